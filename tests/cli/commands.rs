//! The binary end to end: exit status, stdout and stderr together.

use std::path::{Path, PathBuf};

use super::support::bilan;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of a fixture in a temporary folder, to break on purpose.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn indicators_json_matches_the_snapshot() {
    let output = bilan()
        .args(["indicators", "--format", "json", "--input"])
        .arg(fixture("clean_export"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!(
        "indicators_clean_export_json",
        String::from_utf8(output.stdout).unwrap()
    );
}

#[test]
fn indicators_csv_has_the_spec_header_and_one_row_per_scope_and_indicator() {
    let output = bilan()
        .args(["indicators", "--format", "csv", "--year", "2024", "--input"])
        .arg(fixture("clean_export"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("scope,year,indicator,numerator,denominator,not_filled,suppressed")
    );
    assert_eq!(
        lines.next(),
        Some("national,2024,personnes_accompagnees,3,,,false")
    );
    // national + 3 teams, 11 indicators each (SPEC §4 v3)
    assert_eq!(text.lines().count(), 1 + 4 * 11);
}

#[test]
fn indicators_table_is_french_and_defaults_to_the_latest_year() {
    bilan()
        .args(["indicators", "--input"])
        .arg(fixture("clean_export"))
        .assert()
        .success()
        .stdout(predicate::str::contains("National — 2024"))
        .stdout(predicate::str::contains("Personnes vivant à domicile"))
        .stdout(predicate::str::contains("67\u{202F}%"))
        .stdout(predicate::str::contains("ERHR Bretagne (ERHR-BRE) — 2024"));
}

#[test]
fn indicators_team_restricts_and_knows_names() {
    let output = bilan()
        .args([
            "indicators",
            "--format",
            "csv",
            "--team",
            "ERHR Bretagne",
            "--team",
            "erhr-cvl",
            "--input",
        ])
        .arg(fixture("clean_export"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 2 * 11);
    assert!(text.contains("ERHR-BRE,2024,personnes_accompagnees,1,,"));
    assert!(text.contains("ERHR-CVL,2024,personnes_accompagnees,0,,"));
    bilan()
        .args(["indicators", "--team", "ERHR-ATLANTIS", "--input"])
        .arg(fixture("clean_export"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--team ERHR-ATLANTIS"));
}

#[test]
fn indicators_on_a_dirty_export_points_to_validate() {
    bilan()
        .args(["indicators", "--input"])
        .arg(fixture("rule_id_en_double"))
        .assert()
        .success()
        .stderr(predicate::str::contains("3 row(s) excluded"))
        .stderr(predicate::str::contains("bilan validate"));
}

#[test]
fn validate_summarises_a_clean_export_and_strict_passes() {
    bilan()
        .args(["validate", "--strict", "--input"])
        .arg(fixture("clean_export"))
        .assert()
        .success()
        .stdout(predicate::str::contains("No findings"))
        .stdout(predicate::str::contains(
            "rows read       3  kept       3  excluded      0",
        ));
}

#[test]
fn validate_strict_fails_a_dirty_export_with_code_3() {
    bilan()
        .args(["validate", "--strict", "--input"])
        .arg(fixture("rule_date_invalide"))
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "date_invalide — 3 (rows excluded)",
        ))
        .stdout(predicate::str::contains(
            "demandes.csv, line 5, column date_demande, value \"30/02/2024\", id D4",
        ))
        .stderr(predicate::str::contains("exiting with code 3"));
    bilan()
        .args(["validate", "--input"])
        .arg(fixture("rule_date_invalide"))
        .assert()
        .success();
}

#[test]
fn validate_json_lists_every_finding_with_its_location() {
    let output = bilan()
        .args(["validate", "--format", "json", "--input"])
        .arg(fixture("rule_usager_inconnu"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["rule"], "usager_inconnu");
    assert_eq!(findings[0]["file"], "demandes.csv");
    assert_eq!(findings[0]["line"], 6);
    assert_eq!(findings[0]["count"], 2);
    assert_eq!(findings[0]["lines"], serde_json::json!([6, 7]));
    assert_eq!(findings[0]["value"], "U9");
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains("absent de usagers.csv"));
    assert_eq!(json["files"][1]["rows_read"], 6);
}

#[test]
fn a_missing_file_stops_the_run_and_names_it() {
    let dir = copy_of("clean_export");
    std::fs::remove_file(dir.path().join("interventions.csv")).unwrap();
    for command in ["indicators", "validate"] {
        bilan()
            .args([command, "--input"])
            .arg(dir.path())
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "interventions: no file for the interventions table",
            ));
    }
}

#[test]
fn a_missing_required_column_names_the_file_column_and_accepted_names() {
    let dir = copy_of("clean_export");
    std::fs::write(
        dir.path().join("demandes.csv"),
        "id_demande;id_usager;equipe\nD1;U1;ERHR-BRE\n",
    )
    .unwrap();
    bilan()
        .args(["validate", "--input"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "demandes.csv: required column date_demande missing",
        ))
        .stderr(predicate::str::contains(
            "date de la demande, date sollicitation, date",
        ))
        .stderr(predicate::str::contains("--columns"));
}

#[test]
fn an_empty_file_or_a_missing_folder_is_a_clear_failure() {
    let dir = copy_of("clean_export");
    std::fs::write(dir.path().join("usagers.csv"), "").unwrap();
    bilan()
        .args(["indicators", "--input"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("usagers.csv: the file is empty"));
    bilan()
        .args(["indicators", "--input", "/nonexistent/export"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn no_activity_at_all_says_why_there_is_no_year() {
    let dir = copy_of("clean_export");
    std::fs::write(
        dir.path().join("demandes.csv"),
        "id_demande;id_usager;date_demande;equipe\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("interventions.csv"),
        "id_intervention;id_usager;date_intervention;equipe\n",
    )
    .unwrap();
    bilan()
        .args(["indicators", "--input"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no demande or intervention with a valid date",
        ));
    bilan()
        .args(["indicators", "--year", "2024", "--format", "csv", "--input"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no demande or intervention with a valid date",
        ));
}

/// SPEC §7 v2: a year (or range) without any demande or intervention is an
/// error that gives the period the export covers; an empty report is
/// never written.
#[test]
fn a_year_without_activity_is_an_error_naming_the_period() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let period = bilan()
        .args(["indicators", "--format", "csv", "--year", "1990", "--input"])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(period.status.code(), Some(1));
    assert!(period.stdout.is_empty());
    let message = String::from_utf8(period.stderr).unwrap();
    assert!(
        message.contains(
            "--year 1990: the export has no demande and no intervention then; it covers "
        ) && message.contains(": choose a year in that period"),
        "{message}"
    );
    let out = tempfile::tempdir().unwrap();
    bilan()
        .args(["report", "--year", "2030", "--input"])
        .arg(&sample)
        .arg("--out")
        .arg(out.path().join("r"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--year 2030: the export has no demande",
        ));
    assert!(!out.path().join("r").exists(), "no empty report");
    bilan()
        .args(["indicators", "--year", "1980-1990", "--input"])
        .arg(&sample)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--year 1980-1990: the export has no demande",
        ));
    bilan()
        .args(["indicators", "--year", "2025-2024", "--input"])
        .arg(&sample)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the first year comes after the last",
        ));
}

/// `--year A-B`: every year of the range, by year, national first; a year
/// of the range without activity shows as the national scope's zeros.
#[test]
fn a_range_of_years_gives_every_year_in_order() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let json = |years: &str| -> serde_json::Value {
        let output = bilan()
            .args(["indicators", "--format", "json", "--year", years, "--input"])
            .arg(&sample)
            .output()
            .unwrap();
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let range = json("2023-2024");
    let (y2023, y2024) = (json("2023"), json("2024"));
    let mut both = y2023["rows"].as_array().unwrap().clone();
    both.extend(y2024["rows"].as_array().unwrap().clone());
    assert_eq!(range["rows"].as_array().unwrap(), &both);
    let mut delais = y2023["delais"].as_array().unwrap().clone();
    delais.extend(y2024["delais"].as_array().unwrap().clone());
    assert_eq!(range["delais"].as_array().unwrap(), &delais);
    // (v3) Every array is each year's, in order.
    for key in [
        "categories",
        "diagnostics",
        "diagnostics_frequents",
        "reseau",
    ] {
        let mut both = y2023[key].as_array().unwrap().clone();
        both.extend(y2024[key].as_array().unwrap().clone());
        assert_eq!(range[key].as_array().unwrap(), &both, "{key}");
    }
    assert_eq!(range["schema_version"], 3);
    let first = sample_first_year(&sample);
    let before = json(&format!("{}-{first}", first - 1));
    let rows = before["rows"].as_array().unwrap();
    let empty: Vec<&serde_json::Value> = rows.iter().filter(|r| r["year"] == first - 1).collect();
    assert_eq!(empty.len(), 11, "the national scope's zeros");
    assert!(empty
        .iter()
        .all(|r| r["scope"] == "national" && r["numerator"] == 0));
}

/// The first year with a demande or an intervention in an export, read
/// from the period the error for a year without activity gives.
fn sample_first_year(input: &Path) -> i64 {
    let output = bilan()
        .args(["indicators", "--year", "1", "--input"])
        .arg(input)
        .output()
        .unwrap();
    let message = String::from_utf8(output.stderr).unwrap();
    let covers = message.split("it covers ").nth(1).unwrap();
    covers[6..10].parse().unwrap()
}
