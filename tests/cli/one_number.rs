//! One figure, one number (SPEC §6 v3): each attribute's share is the
//! same number in every place a report shows it — its key figure, the
//! *Évolution* summary and line chart, the *Profil* table — in the
//! national report and in every team's, masked or not.

use std::path::Path;

use assert_cmd::Command;

/// A rate's key figure, its row in the *Évolution* summary, the caption of
/// its line chart's table and its row in a *Profil* table where it has one.
const RATES: [(&str, &str, &str, Option<&str>); 7] = [
    (
        "maladie_rare_diagnostiquee",
        "Maladie rare diagnostiquée",
        "Personnes ayant une maladie rare diagnostiquée",
        Some("Maladie rare diagnostiquée"),
    ),
    (
        "vit_a_domicile",
        "À domicile",
        "Personnes vivant à domicile",
        Some("À domicile (familial ou personnel)"),
    ),
    (
        "au_moins_un_tnd",
        "Au moins un TND",
        "Personnes ayant au moins un trouble du neurodéveloppement (TND)",
        None,
    ),
    (
        "enfants_3_16_scolarises",
        "3–16 ans scolarisés",
        "Enfants de 3 à 16 ans scolarisés",
        None,
    ),
    (
        "visite_domicile_ou_etablissement",
        "Visite à domicile ou en établissement",
        "Personnes ayant bénéficié d’au moins une visite à domicile ou en établissement",
        None,
    ),
    (
        "moins_de_20_ans",
        "Moins de 20 ans",
        "Personnes de moins de 20 ans",
        None,
    ),
    (
        "personnes_sans_solution",
        "Sans solution",
        "Personnes sans solution d’accompagnement adaptée à leurs besoins",
        Some("Sans solution"),
    ),
];

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

/// The cells of a row (`<th scope="row">label</th>` then `<td>`s) of the
/// table starting at `table`.
fn row<'a>(table: &'a str, label: &str) -> Option<Vec<&'a str>> {
    let start = format!("<th scope=\"row\">{label}</th>");
    let cells = between(table, &start, "</tr>")?;
    Some(
        cells
            .split("</td>")
            .filter_map(|c| c.rsplit_once('>').map(|(_, v)| v))
            .collect(),
    )
}

/// A share's text: `63 %` (a U+202F before the sign) or a mask.
fn share_in(text: &str) -> Option<String> {
    let at = text.find("\u{202F}%")?;
    let start = text[..at]
        .rfind(|c: char| !c.is_ascii_digit() && c != ',' && c != '<' && c != ' ')
        .map_or(0, |i| i + text[i..].chars().next().unwrap().len_utf8());
    Some(text[start..at + "\u{202F}%".len()].trim().to_string())
}

fn check(html: &str, scope: &str, year: &str, wrong: &mut Vec<String>) -> usize {
    let mut compared = 0;
    for (id, evolution_label, chart_title, profile_label) in RATES {
        let Some(card) = between(
            html,
            &format!("id=\"indicateur-{id}\""),
            "</div>\n    </div>",
        ) else {
            continue;
        };
        // The key figure: its value, or for a count-led card, the share
        // in its detail line.
        // A team's card adds the national figure after its own.
        let value = between(card, "<div class=\"value\">", "</div>")
            .unwrap_or_default()
            .split('<')
            .next()
            .unwrap_or_default()
            .trim();
        let key = if value.contains('%') || value == "s" {
            value.to_string()
        } else {
            match between(card, "<div class=\"detail\">", "</div>").and_then(share_in) {
                Some(share) => share,
                None => continue,
            }
        };
        let mut places = Vec::new();
        // The Évolution summary: the column of the year.
        if let Some(table) = between(html, "Évolution des chiffres clés", "</table>") {
            let header: Vec<&str> = between(table, "<thead>", "</thead>")
                .unwrap_or_default()
                .split("</th>")
                .filter_map(|c| c.rsplit_once('>').map(|(_, v)| v))
                .collect();
            if let (Some(col), Some(cells)) = (
                header.iter().position(|h| *h == year),
                row(table, evolution_label),
            ) {
                places.push(("Évolution", cells.get(col - 1).map(|c| c.to_string())));
            }
        }
        // The line chart's table: its last year.
        if let Some(table) = between(
            html,
            &format!("{chart_title} — données du graphique"),
            "</table>",
        ) {
            places.push((
                "courbe",
                row(table, "Taux").and_then(|c| c.last().map(|c| c.to_string())),
            ));
        }
        // The Profil table.
        if let Some(label) = profile_label {
            if let Some(profile) = between(html, "id=\"profil\"", "</section>") {
                places.push((
                    "Profil",
                    row(profile, label).and_then(|c| c.get(1).map(|c| c.to_string())),
                ));
            }
        }
        for (place, shown) in places {
            compared += 1;
            if shown.as_deref() != Some(key.as_str()) {
                wrong.push(format!(
                    "{scope} / {id}: {key} in Chiffres clés, {shown:?} in {place}"
                ));
            }
        }
    }
    compared
}

#[test]
fn each_share_is_the_same_number_everywhere_it_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bilan");
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
        .args(["report", "--by-team", "--input"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut wrong = Vec::new();
    let mut compared = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let folder = entry.unwrap().path();
        let Ok(html) = std::fs::read_to_string(folder.join("bilan.html")) else {
            continue;
        };
        let scope = folder.file_name().unwrap().to_string_lossy().to_string();
        compared += check(&html, &scope, "2024", &mut wrong);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(compared > 200, "{compared} comparisons");
}
