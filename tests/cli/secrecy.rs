//! Statistical secrecy (SPEC §8) and per-team reports, end to end.

use std::path::{Path, PathBuf};

use super::support::{bilan, report, sample_export, AS_THEY_ARE_LABELS};

/// A small export whose teams are tiny: many counts from 1 to 4.
fn tiny_export(dir: &Path) -> PathBuf {
    sample_export(dir, 90, 5)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Every count of persons published in a JSON value: no number from 1 to
/// K−1 under the keys that hold such counts. Not-filled counts (`not_filled`,
/// `*_not_filled`, a count whose `value` is null) and the data-quality
/// figures (rows, fill counts) are published as they are (SPEC §8).
fn small_counts_in_json(value: &serde_json::Value, key: &str, k: u64, found: &mut Vec<String>) {
    const COUNT_KEYS: [&str; 4] = ["numerator", "denominator", "count", "children"];
    // Counts of acts (demandes, interventions) are published as they are
    // (SPEC §8), by team too.
    const ACTS: [&str; 6] = [
        "requests_by_month",
        "requests_by_origin",
        "requests_by_team",
        "interventions_by_type",
        "interventions_by_team",
        "actions",
    ];
    match value {
        serde_json::Value::Object(map) => {
            let not_filled = map.get("value").is_some_and(|v| v.is_null());
            map.iter()
                .filter(|(k2, _)| !(not_filled && k2.as_str() == "count"))
                .filter(|(k2, _)| !ACTS.contains(&k2.as_str()))
                .for_each(|(k2, v)| small_counts_in_json(v, k2, k, found))
        }
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|v| small_counts_in_json(v, key, k, found)),
        serde_json::Value::Number(n)
            if COUNT_KEYS.contains(&key) && n.as_u64().is_some_and(|n| n >= 1 && n < k) =>
        {
            found.push(format!("{key}={n}"));
        }
        _ => {}
    }
}

fn number_in(cell: &str) -> Option<u64> {
    let digits: String = cell
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\u{202F}' | '\u{A0}' | ' '))
        .collect();
    digits.parse().ok()
}

/// The text of each `<tag …>text</tag>` in `html`.
fn texts<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    html.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| rest.split('<').next().unwrap_or("").trim())
        .collect()
}

/// The cells of a table row: its row header (`<th scope="row">`), then its
/// data cells.
fn row_cells(row: &str) -> Vec<&str> {
    let mut cells = if row.contains("<th scope=\"row\"") {
        texts(row, "th")
    } else {
        Vec::new()
    };
    cells.extend(texts(row, "td"));
    cells
}

/// The page without its counts of acts (demandes, interventions), which
/// are published as they are (SPEC §8): their charts and the durations'
/// table. The response times and the visits count persons.
fn without_acts(html: &str) -> String {
    let mut kept = String::new();
    for (k, part) in html.split("<figure").enumerate() {
        let acts = [
            "demandes-mois",
            "demandes-origine",
            "demandes-equipe",
            "interventions-",
        ]
        .iter()
        .any(|id| {
            part.split('>')
                .next()
                .unwrap_or("")
                .contains(&format!("id=\"{id}"))
        });
        if k > 0 && acts {
            kept.push_str(part.split_once("</figure>").map_or("", |(_, rest)| rest));
        } else {
            if k > 0 {
                kept.push_str("<figure");
            }
            kept.push_str(part);
        }
    }
    let kept = match kept.split_once("Durée des interventions</caption>") {
        Some((before, after)) => {
            let after = after.split_once("</table>").map_or("", |(_, rest)| rest);
            format!("{before}{after}")
        }
        None => kept,
    };
    // (v3) The demandes each team received beside their referral counts:
    // the workbook test checks the referral columns alone.
    match kept.split_once("<caption class=\"table-title\">Demandes reçues en ") {
        Some((before, after)) => {
            let after = after.split_once("</table>").map_or("", |(_, rest)| rest);
            format!("{before}{after}")
        }
        None => kept,
    }
}

/// The counts from 1 to K−1 shown in the HTML tables and charts outside
/// the data-quality section, other than not-filled counts.
fn small_counts_in_html(html: &str, k: u64) -> Vec<String> {
    let persons = html.split("id=\"qualite\"").next().unwrap_or(html);
    // Collective actions count actions and professionals, not persons:
    // they are published as they are (SPEC §8).
    let persons = match persons.split_once("id=\"actions-collectives\"") {
        Some((before, after)) => {
            let rest = after.split_once("</section>").map_or("", |(_, rest)| rest);
            format!("{before}{rest}")
        }
        None => persons.to_string(),
    };
    let persons = without_acts(&persons);
    let persons = persons.as_str();
    let small = |n: u64| n >= 1 && n < k;
    let mut found = Vec::new();
    for figure in persons.split("<figure").skip(1) {
        let figure = figure.split("</figure>").next().unwrap_or("");
        let mut allowed = Vec::new();
        for row in figure.split("<tr>").skip(1) {
            let cells = row_cells(row);
            let Some(label) = cells.first() else { continue };
            let numbers = cells[1..].iter().filter_map(|c| number_in(c));
            if AS_THEY_ARE_LABELS.contains(label) {
                allowed.extend(numbers);
            } else {
                found.extend(
                    numbers
                        .filter(|&n| small(n))
                        .map(|n| format!("{label}: {n}")),
                );
            }
        }
        for text in texts(figure, "text") {
            if let Some(n) = number_in(text).filter(|&n| small(n) && !allowed.contains(&n)) {
                found.push(format!("chart text {n}"));
            }
        }
    }
    for row in persons.split("<tr>").skip(1) {
        let cells = row_cells(row);
        // (v3) The number of distinct diseases is published as it is.
        if cells.first().is_some_and(|l| {
            !AS_THEY_ARE_LABELS.contains(l) && !l.starts_with("Maladies rares différentes")
        }) {
            found.extend(
                row.split("<td class=\"num\">")
                    .skip(1)
                    .filter_map(|c| number_in(c.split('<').next().unwrap_or("")))
                    .filter(|&n| small(n))
                    .map(|n| format!("{}: {n}", cells[0])),
            );
        }
    }
    found
}

/// Checks every file of a report folder (and its team folders): no count
/// of persons from 1 to K−1. Returns the number of suppressed rows.
fn assert_no_small_count_of_persons(out: &Path, k: u64) -> usize {
    let mut suppressed_rows = 0;
    for file in files_under(out) {
        let name = file.display().to_string();
        // The analyst's files are internal, never published (SPEC §6).
        if [
            "controle.html",
            "controle.xlsx",
            "findings.csv",
            "manifest.json",
        ]
        .iter()
        .any(|internal| name.ends_with(internal))
        {
            continue;
        }
        if name.ends_with(".xlsx") {
            let found = super::report_workbook::small_counts_in_workbook(&file, k);
            assert!(found.is_empty(), "{name}: {found:#?}");
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if name.ends_with(".json") {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut found = Vec::new();
            small_counts_in_json(&json, "", k, &mut found);
            assert!(found.is_empty(), "{name}: {found:?}");
            suppressed_rows += text.matches("\"suppressed\": true").count();
        } else if name.ends_with("indicators.csv") {
            for line in text.lines().skip(1) {
                let cells: Vec<&str> = line.split(',').collect();
                for cell in &cells[3..5] {
                    assert!(
                        !cell.parse::<u64>().is_ok_and(|n| (1..k).contains(&n)),
                        "{name}: {line}"
                    );
                }
                if cells[3].is_empty() {
                    assert_eq!(
                        cells[6], "true",
                        "{name}: a null figure is marked suppressed: {line}"
                    );
                }
            }
        } else if name.ends_with(".html") {
            let found = small_counts_in_html(&text, k);
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }
    suppressed_rows
}

#[test]
fn no_count_below_k_survives_anywhere_in_any_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = tiny_export(dir.path());
    let out = dir.path().join("out");
    bilan()
        .args(["report", "--by-team", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let suppressed_rows = assert_no_small_count_of_persons(&out, 5);
    assert!(suppressed_rows > 0, "the tiny export must exercise masking");
    let html = std::fs::read_to_string(out.join("national/bilan.html")).unwrap();
    assert!(html.contains("&lt;\u{A0}5"), "masked cells read < 5");
    assert!(html.contains("Secret statistique"));
}

#[test]
fn min_count_one_shows_exact_figures_stamped_restricted() {
    let dir = tempfile::tempdir().unwrap();
    let input = tiny_export(dir.path());
    let out = dir.path().join("out");
    bilan()
        .args(["report", "--min-count", "1", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("bilan.html")).unwrap();
    assert!(
        html.contains("@top-center { content: \"Diffusion restreinte\""),
        "on every page"
    );
    assert!(html.contains("Diffusion restreinte — secret statistique désactivé"));
    assert!(!html.contains("<\u{A0}5"));
    let json = std::fs::read_to_string(out.join("indicators.json")).unwrap();
    assert!(!json.contains("suppressed"));
}

#[test]
fn indicators_are_exact_for_the_analyst_unless_min_count_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let input = tiny_export(dir.path());
    let exact = bilan()
        .args(["indicators", "--format", "csv", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let exact = String::from_utf8(exact.stdout).unwrap();
    // The same columns with or without secrecy (SPEC §5 v3).
    assert!(exact.starts_with("scope,year,indicator,numerator,denominator,not_filled,suppressed\n"));
    assert!(!exact.contains("true"));
    let masked = bilan()
        .args([
            "indicators",
            "--format",
            "csv",
            "--min-count",
            "5",
            "--input",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let masked = String::from_utf8(masked.stdout).unwrap();
    assert!(
        masked.starts_with("scope,year,indicator,numerator,denominator,not_filled,suppressed\n")
    );
    assert!(masked.contains(",,,true"));
}

#[test]
fn by_team_writes_the_national_report_and_one_per_active_team() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    bilan()
        .args(["report", "--by-team", "--input"])
        .arg(&sample)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = bilan()
        .args(["indicators", "--format", "csv", "--input"])
        .arg(&sample)
        .output()
        .unwrap();
    let teams: std::collections::BTreeSet<String> = String::from_utf8(csv.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .filter(|s| s != "national")
        .collect();
    assert_eq!(
        teams.len(),
        18,
        "17 teams and one code outside the referential"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    // A code outside the referential has no report: the index says to
    // correct it, and its finding names the closest code.
    assert!(!out.join("ERHR-BRET").exists());
    assert!(
        index.contains(
            "ERHR-BRET (hors référentiel) — code d’équipe absent du référentiel\u{202F}: à corriger"
        ),
        "{index}"
    );
    let findings = std::fs::read_to_string(out.join("national/findings.csv")).unwrap();
    assert!(findings.contains("Vouliez-vous écrire ERHR-BRE (ERHR Bretagne) ?"));
    for folder in teams
        .iter()
        .filter(|t| *t != "ERHR-BRET")
        .chain([&"national".to_string()])
    {
        let html = std::fs::read_to_string(out.join(folder).join("bilan.html")).unwrap();
        assert!(
            html.contains("<section class=\"chapter\" id=\"methodologie\""),
            "{folder}"
        );
        assert!(
            index.contains(&format!("href=\"{folder}/bilan.html\"")),
            "{folder}"
        );
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(folder).join("indicators.json")).unwrap(),
        )
        .unwrap();
        assert!(
            json["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["scope"] == folder.as_str())
                || folder == "national"
        );
    }
    let bretagne = std::fs::read_to_string(out.join("ERHR-BRE/bilan.html")).unwrap();
    assert!(bretagne.contains("ERHR Bretagne"));
    assert!(
        bretagne.contains("— national 63\u{202F}%"),
        "a team's figures sit beside the national ones"
    );
    // Only the asked teams with --team.
    let only = dir.path().join("only");
    bilan()
        .args(["report", "--team", "ERHR Bretagne", "--input"])
        .arg(&sample)
        .arg("--out")
        .arg(&only)
        .assert()
        .success();
    let folders: Vec<String> = std::fs::read_dir(&only)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains('.'))
        .collect();
    assert_eq!(folders, ["ERHR-BRE"]);
}

/// SPEC §8 v2: secrecy protects persons without blanking the team reports.
/// On the shipped export, at most 10 % of the rate rows of all scopes are
/// masked (Y and Y−1), no count of persons from 1 to 4 is published in any
/// folder, and no published rate has a complement from 1 to 4.
#[test]
fn team_reports_keep_their_rates_and_publish_no_small_count_of_persons() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    bilan()
        .args(["report", "--by-team", "--input"])
        .arg(&sample)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_no_small_count_of_persons(&out, 5);
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let output = bilan()
            .args(["indicators", "--format", "json", "--input"])
            .arg(&sample)
            .args(args)
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        value["rows"].as_array().unwrap().clone()
    };
    let published: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("national/indicators.json")).unwrap(),
    )
    .unwrap();
    let published = published["rows"].as_array().unwrap().clone();
    let previous = json(&["--year", "2023", "--min-count", "5"]);
    let exact: Vec<serde_json::Value> = json(&[])
        .into_iter()
        .chain(json(&["--year", "2023"]))
        .collect();
    let is_rate = |r: &&serde_json::Value| !r["denominator"].is_null() || r["suppressed"] == true;
    let rates: Vec<&serde_json::Value> = published
        .iter()
        .chain(&previous)
        .filter(|r| {
            !matches!(
                r["indicator"].as_str(),
                Some("personnes_accompagnees" | "nouvelles_personnes")
            )
        })
        .collect();
    let masked = rates.iter().filter(|r| r["suppressed"] == true).count();
    assert!(rates.iter().all(is_rate));
    assert!(rates.len() > 150, "{} rate rows", rates.len());
    assert!(
        masked * 10 <= rates.len(),
        "{masked} of {} rate rows masked",
        rates.len()
    );
    for row in &rates {
        // (v3) A mean's numerator is a number of types, not a part of its
        // denominator: it has no complement.
        let mean = row["indicator"] == "types_accompagnement_par_personne";
        if row["suppressed"] == true {
            // A rate of the children aged 3 to 16 whose population is
            // masked loses its not-filled count with it (SPEC §8 v3), and
            // a scope of fewer than 3K persons (masked, or under 15)
            // publishes no part of its rates.
            let persons = published
                .iter()
                .chain(&previous)
                .find(|p| {
                    p["indicator"] == "personnes_accompagnees"
                        && p["scope"] == row["scope"]
                        && p["year"] == row["year"]
                })
                .map(|p| p["numerator"].as_u64());
            let thin = persons.is_some_and(|n| n.is_none_or(|n| n < 15));
            assert!(
                !row["not_filled"].is_null()
                    || row["indicator"] == "enfants_3_16_scolarises"
                    || thin,
                "the not-filled count stays: {row}"
            );
            continue;
        }
        let same = |e: &&serde_json::Value| {
            e["scope"] == row["scope"]
                && e["year"] == row["year"]
                && e["indicator"] == row["indicator"]
        };
        let truth = exact.iter().find(same).unwrap();
        assert_eq!(truth, *row, "a published rate is exact");
        if mean {
            continue;
        }
        let complement =
            truth["denominator"].as_u64().unwrap() - truth["numerator"].as_u64().unwrap();
        assert!(
            !(1..5).contains(&complement),
            "complement {complement}: {row}"
        );
    }
}

/// `--team` naming a team that has no report of its own (ERHR-BRET, a
/// code outside the referential, in `sample_data`; or a team under K
/// persons) says why and what to run instead, and writes nothing.
#[test]
fn a_team_without_a_report_of_its_own_is_told_why_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    for (team, k) in [("ERHR-BRET", "5"), ("ERHR-AG", "200")] {
        let out = dir.path().join(team);
        let output = bilan()
            .args(["report", "--input"])
            .arg(&sample)
            .args(["--team", team, "--min-count", k, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(
            stderr.contains(&format!("--team {team}: no report to write"))
                && stderr.contains(&format!("fewer than {k} persons"))
                && stderr.contains("--by-team"),
            "{stderr}"
        );
        assert!(!out.exists(), "{team}: nothing is written");
    }
}

/// Counts of acts are published as they are (SPEC §8), in the tables by
/// team too (decision 198): each team's own lists by team give its own
/// totals, and the national « Demandes par équipe » gives each team with a
/// report the demandes its report publishes, small or not (it read `< 5`
/// there while the team's report, and the national referral table, read
/// 2). The national « Interventions par équipe » still masks a small
/// count: in a run of the national report alone, a team's 1 or 2
/// interventions would bound its persons answered or visited.
#[test]
fn the_acts_of_a_team_read_the_same_nationally_and_in_its_own_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_export(dir.path(), 200, 7);
    let out = dir.path().join("out");
    report(&input, &out, &["--by-team"]);
    let json = |path: PathBuf| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let national = json(out.join("national/breakdowns.json"));
    let (mut teams, mut small) = (0, 0);
    for entry in std::fs::read_dir(&out).unwrap() {
        let folder = entry.unwrap().path();
        let team = folder.file_name().unwrap().to_string_lossy().to_string();
        if team == "national" || !folder.join("breakdowns.json").exists() {
            continue;
        }
        teams += 1;
        let own = json(folder.join("breakdowns.json"));
        for (total, by_team) in [
            ("requests", "requests_by_team"),
            ("interventions", "interventions_by_team"),
        ] {
            let count = own[total].as_u64().expect("a team's acts are shown");
            let cell = |b: &serde_json::Value| -> serde_json::Value {
                b[by_team]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["value"] == team.as_str())
                    .expect("every team with a report has its row")
                    .clone()
            };
            assert_eq!(
                cell(&own)["count"].as_u64(),
                Some(count),
                "{team}'s own {by_team}"
            );
            let nationally = cell(&national);
            if by_team == "requests_by_team" {
                assert_eq!(
                    nationally["count"].as_u64(),
                    Some(count),
                    "{team} {by_team}"
                );
            } else if (1..5).contains(&count) {
                assert_eq!(nationally["suppressed"], true, "{team} {by_team}");
            } else if nationally["suppressed"] != true {
                assert_eq!(
                    nationally["count"].as_u64(),
                    Some(count),
                    "{team} {by_team}"
                );
            }
            if (1..5).contains(&count) {
                small += 1;
            }
        }
    }
    assert!(
        teams >= 3 && small > 0,
        "{teams} teams, {small} small counts of acts"
    );
}
