//! Collective actions end to end (SPEC §2.6, §4.4, §5): the optional
//! `actions.csv`, `--table actions|actions_public`, and the report
//! folder's files, with and without the table.

use std::path::{Path, PathBuf};

use super::support::bilan;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The clean export with a clean `actions.csv` beside it.
fn clean_with_actions(dir: &Path) -> PathBuf {
    let input = dir.join("export");
    std::fs::create_dir(&input).unwrap();
    for file in ["usagers.csv", "demandes.csv", "interventions.csv"] {
        std::fs::copy(fixture("clean_export").join(file), input.join(file)).unwrap();
    }
    std::fs::write(
        input.join("actions.csv"),
        "id_action;date_action;equipe;type_action;public;participants;duree_heures;intitule\n\
         A1;05/02/2024;ERHR-BRE;formation;esms|familles;12;3,5;Formation TSA\n\
         A2;06/02/2024;ERHR Île-de-France;cop;enseignants;8;1.25;CoP\n\
         A3;07/02/2023;ERHR-BRE;sensibilisation;;;;Café\n",
    )
    .unwrap();
    input
}

fn stdout(args: &[&str], input: &Path) -> String {
    let output = bilan()
        .args(args)
        .arg("--input")
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn strict_validation_passes_a_clean_export_with_or_without_actions() {
    let dir = tempfile::tempdir().unwrap();
    for input in [fixture("clean_export"), clean_with_actions(dir.path())] {
        bilan()
            .args(["validate", "--strict", "--input"])
            .arg(&input)
            .assert()
            .success();
    }
}

#[test]
fn without_an_actions_table_the_arrays_are_empty_and_the_csv_a_header() {
    let input = fixture("clean_export");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["indicators", "--format", "json"], &input)).unwrap();
    assert_eq!(json["actions"], serde_json::json!([]));
    assert_eq!(json["actions_public"], serde_json::json!([]));
    assert_eq!(
        stdout(&["indicators", "--format", "csv", "--table", "actions"], &input),
        "scope,year,type_action,actions,participants,participants_renseignes,heures,heures_renseignees\n"
    );
    assert!(stdout(&["indicators", "--table", "actions"], &input)
        .contains("ne contient pas de table actions"));
}

#[test]
fn the_actions_of_the_year_by_type_and_by_public_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = clean_with_actions(dir.path());
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &["indicators", "--format", "json", "--year", "2024"],
        &input,
    ))
    .unwrap();
    let types: Vec<String> = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {} {}", r["scope"], r["type_action"], r["heures"]))
        .collect();
    assert_eq!(
        types,
        [
            r#""national" "formation" 3.5"#,
            r#""national" "communaute_pratiques" 1.25"#,
            r#""ERHR-BRE" "formation" 3.5"#,
            r#""ERHR-IDF" "communaute_pratiques" 1.25"#,
        ]
    );
    assert_eq!(json["actions_public"].as_array().unwrap().len(), 6);
    assert_eq!(
        stdout(
            &["indicators", "--format", "csv", "--table", "actions_public", "--team", "ERHR-BRE", "--year", "2024"],
            &input
        ),
        "scope,year,public,actions,participants,participants_renseignes,heures,heures_renseignees\n\
         ERHR-BRE,2024,professionnels_medico_social,1,12,1,3.5,1\n\
         ERHR-BRE,2024,familles,1,12,1,3.5,1\n"
    );
    let table = stdout(
        &["indicators", "--table", "actions", "--year", "2024"],
        &input,
    );
    assert!(table.contains("Communauté de pratiques"), "{table}");
    assert!(table.contains("1,25"), "{table}");
}

#[test]
fn the_report_folder_always_holds_the_actions_files() {
    let dir = tempfile::tempdir().unwrap();
    let with = clean_with_actions(dir.path());
    for (input, lines) in [(fixture("clean_export"), 1), (with, 5)] {
        let out = dir.path().join(format!("report-{lines}"));
        bilan()
            .args(["report", "--year", "2024", "--input"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let actions = std::fs::read_to_string(out.join("actions.csv")).unwrap();
        assert_eq!(actions.lines().count(), lines, "{actions}");
        assert!(out.join("actions_public.csv").is_file());
    }
}

#[test]
fn the_report_shows_the_actions_in_their_section_and_key_figures_unmasked() {
    let dir = tempfile::tempdir().unwrap();
    let input = clean_with_actions(dir.path());
    let out = dir.path().join("report");
    // Every team has a report of its own (the export's teams are small).
    bilan()
        .args([
            "report",
            "--year",
            "2024",
            "--by-team",
            "--min-count",
            "1",
            "--input",
        ])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let national = std::fs::read_to_string(out.join("national/bilan.html")).unwrap();
    let section = national
        .split("id=\"actions-collectives\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    // Two actions, 20 participants, 4,75 hours: small counts, not masked.
    assert!(
        section.contains("2 actions collectives menées en 2024"),
        "{section}"
    );
    assert!(section.contains("20 participants"), "{section}");
    assert!(section.contains("4,75 heures"), "{section}");
    assert!(section.contains("ne sont pas soumis au secret statistique"));
    assert!(section.contains("Actions collectives par équipe"));
    assert!(section.contains("Actions collectives par type, de 2023 à 2024"));
    // The series over the years carries each year's actions by type.
    let series: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("national/series.json")).unwrap())
            .unwrap();
    let of_2023: Vec<String> = series["years"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|y| y["year"] == 2023)
        .flat_map(|y| y["actions"].as_array().unwrap().clone())
        .map(|a| format!("{} {} {}", a["scope"], a["type_action"], a["actions"]))
        .collect();
    assert_eq!(
        of_2023,
        [
            r#""national" "sensibilisation" 1"#,
            r#""ERHR-BRE" "sensibilisation" 1"#
        ]
    );
    assert!(
        !section.contains("Formation TSA"),
        "free text is never published"
    );
    assert!(national.contains("id=\"indicateur-actions_collectives\""));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<th>Actions collectives</th>"), "{index}");
    // Data quality, on the analyst's page: the fill rates of actions.csv,
    // over every kept action.
    let fill_rate = |folder: &str, column: &str| -> String {
        let page = std::fs::read_to_string(out.join(folder).join("controle.html")).unwrap();
        let row = page
            .split("<tr>")
            .find(|row| row.contains("actions.csv") && row.contains(&format!(">{column}<")))
            .unwrap_or_else(|| panic!("no fill rate of {column}"))
            .to_string();
        let cells: Vec<String> = row
            .split("<td")
            .skip(2)
            .map(|c| {
                c.split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        cells[..2].join("/")
    };
    assert_eq!(fill_rate("national", "Public visé"), "2/3");
    assert_eq!(fill_rate("national", "Durée (heures)"), "2/3");
    assert_eq!(fill_rate("ERHR-BRE", "Public visé"), "1/2");
    assert!(
        !std::fs::read_to_string(out.join("national/breakdowns.json"))
            .unwrap()
            .contains("fill_rates"),
        "data-quality counts by scope are internal"
    );
    // The team's report shows its own figures beside the national ones.
    let team = std::fs::read_to_string(out.join("ERHR-BRE/bilan.html")).unwrap();
    let section = team
        .split("id=\"actions-collectives\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    assert!(
        section.contains("1 action collective menée en 2024, qui a réuni 12 participants"),
        "{section}"
    );
    assert!(section.contains("3,5 heures"), "{section}");
}
