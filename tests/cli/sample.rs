//! `bilan sample` and the committed `sample_data/`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn bilan() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
}

fn sample_data() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// The documented invocation (sample_data/README.md).
const INVOCATION: [&str; 7] = [
    "sample",
    "--seed",
    "2024",
    "--persons",
    "4000",
    "--years",
    "2019-2024",
];

#[test]
fn sample_data_is_exactly_what_the_documented_invocation_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("regenerated");
    bilan()
        .args(INVOCATION)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for file in [
        "usagers.csv",
        "demandes.csv",
        "interventions.csv",
        "actions.csv",
    ] {
        let committed = std::fs::read(sample_data().join(file)).unwrap();
        let regenerated = std::fs::read(out.join(file)).unwrap();
        assert!(
            committed == regenerated,
            "{file} differs from a fresh `bilan sample`"
        );
    }
}

fn national(input: &Path, year: i32) -> Vec<(String, Option<u64>, Option<u64>)> {
    let output = bilan()
        .args([
            "indicators",
            "--format",
            "json",
            "--year",
            &year.to_string(),
            "--input",
        ])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scope"] == "national")
        .map(|r| {
            (
                r["indicator"].as_str().unwrap().to_string(),
                r["numerator"].as_u64(),
                r["denominator"].as_u64(),
            )
        })
        .collect()
}

/// The published national table of the bilan d'activité 2024.
fn assert_published(rows: &[(String, Option<u64>, Option<u64>)]) {
    let percent = |n: u64, d: u64| (200 * n + d) / (2 * d);
    let published = [
        ("personnes_accompagnees", 2345),
        ("nouvelles_personnes", 627),
        ("maladie_rare_diagnostiquee", 63),
        ("vit_a_domicile", 76),
        ("au_moins_un_tnd", 35),
        ("enfants_3_16_scolarises", 59),
        ("visite_domicile_ou_etablissement", 35),
    ];
    assert_eq!(rows.len(), 9, "the nine indicators of SPEC §4");
    for ((indicator, numerator, denominator), (want_indicator, want)) in rows.iter().zip(published)
    {
        assert_eq!(indicator, want_indicator);
        let got = match denominator {
            Some(d) => percent(numerator.unwrap(), *d),
            None => numerator.unwrap(),
        };
        assert_eq!(got, want, "{indicator}");
    }
}

#[test]
fn sample_data_reproduces_the_published_bilan_2024_and_has_2023() {
    assert_published(&national(&sample_data(), 2024));
    let previous = national(&sample_data(), 2023);
    let active_2023 = previous[0].1.unwrap();
    assert!(
        (1800..2345).contains(&active_2023),
        "2023: {active_2023} persons"
    );
}

#[test]
fn calibration_holds_whatever_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("other");
    bilan()
        .args(["sample", "--seed", "99", "--years", "2017-2024", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_published(&national(&out, 2024));
    let first = std::fs::read(out.join("usagers.csv")).unwrap();
    assert_ne!(
        first,
        std::fs::read(sample_data().join("usagers.csv")).unwrap(),
        "another seed, another export"
    );
}

#[test]
fn sample_data_reads_like_a_real_export_with_a_data_quality_story() {
    let bytes = std::fs::read(sample_data().join("usagers.csv")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "Windows-1252, as real exports"
    );
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(text.starts_with("N° dossier;Date de naissance;Sexe;Département;"));
    assert!(text.contains("\r\n"));
    assert!(
        !text.contains("domicile_familial"),
        "labels as people type them, not codes"
    );
    let output = bilan()
        .args(["validate", "--format", "json", "--input"])
        .arg(sample_data())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: std::collections::BTreeSet<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "id_manquant",
        "id_en_double",
        "date_invalide",
        "ligne_irreguliere",
        "usager_inconnu",
        "valeur_non_reconnue",
        "date_naissance_invalide",
        "date_naissance_hors_limites",
        "equipe_inconnue",
        "equipe_manquante",
        "tnd_contradictoire",
        "duree_invalide",
        "participants_invalide",
    ] {
        assert!(rules.contains(rule), "sample_data has no {rule}");
    }
}

/// The 2021 national counts of sensibilisation and formation actions of
/// `input`, from `bilan indicators --format csv --table actions`.
fn actions_2021(input: &Path) -> (u64, u64, u64) {
    let output = bilan()
        .args([
            "indicators",
            "--year",
            "2021",
            "--format",
            "csv",
            "--table",
            "actions",
            "--input",
        ])
        .arg(input)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let count = |kind: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(&format!("national,2021,{kind},")))
            .and_then(|l| l.split(',').nth(3))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (
        count("sensibilisation"),
        count("formation"),
        count("communaute_pratiques"),
    )
}

#[test]
fn the_collective_actions_of_2021_are_those_of_the_published_bilan() {
    let (sensibilisation, formation, communities) = actions_2021(&sample_data());
    assert_eq!((sensibilisation, formation), (349, 497));
    // About ten communities of practice, each meeting several times.
    assert!((30..=90).contains(&communities), "{communities} sessions");
    let table = std::process::Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
        .args([
            "indicators",
            "--year",
            "2021",
            "--table",
            "actions",
            "--input",
        ])
        .arg(sample_data())
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("Sensibilisation") && table.contains("349"),
        "{table}"
    );
    assert!(
        table.contains("Formation") && table.contains("497"),
        "{table}"
    );
}

#[test]
fn a_clean_or_larger_sample_keeps_the_2021_actions_in_scale() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    bilan()
        .args(["sample", "--clean", "--years", "2020-2022", "--out"])
        .arg(&clean)
        .assert()
        .success();
    assert_eq!(actions_2021(&clean).0, 349);
    assert_eq!(actions_2021(&clean).1, 497);
    let double = dir.path().join("double");
    bilan()
        .args([
            "sample",
            "--persons",
            "8000",
            "--years",
            "2021-2021",
            "--out",
        ])
        .arg(&double)
        .assert()
        .success();
    assert_eq!(actions_2021(&double).0, 698);
    assert_eq!(actions_2021(&double).1, 994);
}

#[test]
fn a_clean_sample_has_no_finding_and_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean");
    bilan()
        .args(["sample", "--clean", "--out"])
        .arg(&out)
        .assert()
        .success();
    bilan()
        .args(["validate", "--strict", "--input"])
        .arg(&out)
        .assert()
        .success();
    assert_published(&national(&out, 2024));
}

#[test]
fn sample_never_overwrites_and_rejects_bad_options() {
    bilan()
        .args(["sample", "--out"])
        .arg(sample_data())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "already exists and is not an empty folder",
        ));
    let dir = tempfile::tempdir().unwrap();
    bilan()
        .args(["sample", "--years", "2024-2019", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--years 2024-2019"));
    bilan()
        .args(["sample", "--persons", "0", "--out"])
        .arg(dir.path().join("y"))
        .assert()
        .code(1);
    // An empty folder may be filled; a tiny export works too.
    bilan()
        .args(["sample", "--persons", "3", "--years", "2024-2024", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("usagers.csv").is_file());
    bilan()
        .args(["indicators", "--input"])
        .arg(dir.path())
        .assert()
        .success();
}
