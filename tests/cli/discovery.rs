//! Finding the tables of a folder (SPEC §2, "Finding the tables"): dated
//! and prefixed names, two candidates, none, and tables named on the
//! command line, through the binary.

use std::path::{Path, PathBuf};

use super::support::bilan;
use predicates::prelude::*;

fn clean_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean_export")
}

/// The clean export's three files copied into `dir` under new names.
fn renamed(dir: &Path, names: [&str; 3]) {
    for (from, to) in ["usagers.csv", "demandes.csv", "interventions.csv"]
        .iter()
        .zip(names)
    {
        std::fs::copy(clean_export().join(from), dir.join(to)).unwrap();
    }
}

fn indicators_json(args: &[&str]) -> String {
    let output = bilan()
        .args(["indicators", "--format", "json"])
        .args(args)
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
fn dated_and_prefixed_names_give_the_same_indicators() {
    let dir = tempfile::tempdir().unwrap();
    renamed(
        dir.path(),
        [
            "export_usagers_20250105.csv",
            "Mediateam - Demandes.csv",
            "Export Interventions 2024.txt",
        ],
    );
    let want = indicators_json(&["--input", clean_export().to_str().unwrap()]);
    let got = indicators_json(&["--input", dir.path().to_str().unwrap()]);
    assert_eq!(got, want);
}

#[test]
fn two_candidates_for_a_table_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    renamed(
        dir.path(),
        ["usagers.csv", "demandes.csv", "interventions.csv"],
    );
    std::fs::copy(
        clean_export().join("usagers.csv"),
        dir.path().join("usagers_2023.csv"),
    )
    .unwrap();
    for command in ["indicators", "validate"] {
        bilan()
            .args([command, "--input"])
            .arg(dir.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains("usagers.csv"))
            .stderr(predicate::str::contains("usagers_2023.csv"))
            .stderr(predicate::str::contains("--usagers"))
            // v3: the message says the option reads several files as one.
            .stderr(predicate::str::contains("repeated"))
            .stderr(predicate::str::contains("as one table"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn a_folder_of_pdfs_is_refused_with_what_was_found_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["usagers.pdf", "demandes.pdf", "interventions.pdf"] {
        std::fs::write(dir.path().join(name), "%PDF-1.4").unwrap();
    }
    bilan()
        .args(["validate", "--input"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "found: demandes.pdf, interventions.pdf, usagers.pdf",
        ))
        .stderr(predicate::str::contains(
            "found usagers.pdf: export the table as CSV or Excel",
        ));
}

#[test]
fn tables_named_on_the_command_line_are_read_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    renamed(
        &elsewhere,
        ["personnes.csv", "sollicitations.csv", "actes.csv"],
    );
    // The folder holds a stale copy that the options take precedence over.
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("usagers.csv"), "not;the;table\n").unwrap();
    let want = indicators_json(&["--input", clean_export().to_str().unwrap()]);
    let got = indicators_json(&[
        "--input",
        input.to_str().unwrap(),
        "--usagers",
        elsewhere.join("personnes.csv").to_str().unwrap(),
        "--demandes",
        elsewhere.join("sollicitations.csv").to_str().unwrap(),
        "--interventions",
        elsewhere.join("actes.csv").to_str().unwrap(),
    ]);
    assert_eq!(got, want);
    // validate says which file each table came from.
    let output = bilan()
        .args(["validate", "--format", "json", "--input"])
        .arg(&input)
        .arg("--usagers")
        .arg(elsewhere.join("personnes.csv"))
        .arg("--demandes")
        .arg(elsewhere.join("sollicitations.csv"))
        .arg("--interventions")
        .arg(elsewhere.join("actes.csv"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["personnes.csv", "sollicitations.csv", "actes.csv"]);
}

/// The split-tables fixture: two yearly exports of `usagers` and of
/// `demandes`, a later row replacing an earlier one.
fn split() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dialect_split_tables")
}

/// The options naming the split fixture's tables, oldest file first.
fn split_tables() -> Vec<String> {
    let at = |name: &str| split().join(name).to_string_lossy().into_owned();
    [
        ("--usagers", "usagers_2023.csv"),
        ("--usagers", "usagers_2024.csv"),
        ("--demandes", "demandes_2023.csv"),
        ("--demandes", "demandes_2024.csv"),
        ("--interventions", "interventions.csv"),
    ]
    .iter()
    .flat_map(|(option, name)| [option.to_string(), at(name)])
    .collect()
}

#[test]
fn a_table_in_several_files_is_read_as_one_without_input() {
    // v3 (SPEC §7): the options repeat, the later file's rows win, and
    // --input may be left out when the three tables are named.
    let want = indicators_json(&["--input", clean_export().to_str().unwrap()]);
    let options = split_tables();
    let args: Vec<&str> = options.iter().map(String::as_str).collect();
    assert_eq!(indicators_json(&args), want);
    // In the other order, the 2023 profile of U1 wins: other figures.
    let mut reversed = args.clone();
    reversed.swap(1, 3);
    assert_ne!(indicators_json(&reversed), want);
    // validate counts the rows each file replaced, in text and in JSON.
    bilan()
        .arg("validate")
        .args(&args)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "replaced 1 row(s) of earlier files of its table",
        ));
    let output = bilan()
        .args(["validate", "--format", "json"])
        .args(&args)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let replaced: Vec<(String, u64)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["rows_replaced"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        replaced,
        [
            ("usagers_2023.csv".to_string(), 0),
            ("usagers_2024.csv".to_string(), 1),
            ("demandes_2023.csv".to_string(), 0),
            ("demandes_2024.csv".to_string(), 1),
            ("interventions.csv".to_string(), 0),
        ]
    );
    assert!(json["files"][0].get("rows_replaced").is_none());
    // Without --input, a missing table is a usage error naming the option.
    bilan()
        .args(["validate", "--usagers"])
        .arg(split().join("usagers_2024.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--input"));
}

#[test]
fn the_report_counts_the_replaced_rows_and_stays_out_of_the_tables_folders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bilan");
    let options = split_tables();
    bilan()
        .arg("report")
        .args(&options)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let quality = std::fs::read_to_string(out.join("controle.html")).unwrap();
    assert!(
        quality.contains("usagers_2024.csv remplace des lignes d’un fichier précédent de la même table (même identifiant\u{202F}: l’export le plus récent l’emporte)\u{202F}; lignes remplacées\u{202F}: 1."),
        "the quality section names the replaced rows"
    );
    // Never into the folder of a table read.
    bilan()
        .arg("report")
        .args(&options)
        .arg("--out")
        .arg(split().join("bilan"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("never writes into the export"));
    assert!(!split().join("bilan").exists());
}
