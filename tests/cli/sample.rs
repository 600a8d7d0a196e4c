//! `bilan sample` and the committed `sample_data/`.

use std::path::Path;

use super::support::bilan;
use predicates::prelude::*;

fn sample_data() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// The documented invocation (sample_data/README.md).
const INVOCATION: [&str; 7] = [
    "sample",
    "--seed",
    "2024",
    "--persons",
    "6000",
    "--years",
    "2015-2024",
];

/// `--persons` of the documented invocation: the published counts come out
/// exactly for it, and are scaled for other sizes.
const REFERENCE_PERSONS: u64 = 6000;

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

/// The national rows of a year: indicator → (numerator, denominator).
type Figures = std::collections::BTreeMap<String, (u64, Option<u64>)>;

fn national(input: &Path, year: i32) -> Figures {
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
    let rows: Vec<&serde_json::Value> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scope"] == "national")
        .collect();
    assert_eq!(rows.len(), 11, "the eleven indicators of SPEC §4 (v3)");
    rows.into_iter()
        .map(|r| {
            (
                r["indicator"].as_str().unwrap().to_string(),
                (r["numerator"].as_u64().unwrap(), r["denominator"].as_u64()),
            )
        })
        .collect()
}

/// A rate in whole percent, rounded half away from zero (SPEC §4).
fn percent(numerator: u64, denominator: u64) -> u64 {
    (200 * numerator + denominator) / (2 * denominator)
}

/// A published count for `persons` instead of the reference size, rounded
/// half up.
fn scaled(count: u64, persons: u64) -> u64 {
    (2 * persons * count + REFERENCE_PERSONS) / (2 * REFERENCE_PERSONS)
}

fn count(figures: &Figures, indicator: &str) -> u64 {
    figures[indicator].0
}

fn rate(figures: &Figures, indicator: &str) -> u64 {
    let (numerator, denominator) = figures[indicator];
    percent(numerator, denominator.expect("a rate"))
}

/// The published national figures of the bilan d'activité 2024 (SPEC §1,
/// §4), counts scaled to `persons`.
fn assert_published_2024(figures: &Figures, persons: u64) {
    assert_eq!(
        count(figures, "personnes_accompagnees"),
        scaled(2345, persons)
    );
    assert_eq!(count(figures, "nouvelles_personnes"), scaled(627, persons));
    for (indicator, published) in [
        ("maladie_rare_diagnostiquee", 63),
        ("vit_a_domicile", 76),
        ("au_moins_un_tnd", 35),
        ("enfants_3_16_scolarises", 59),
        ("visite_domicile_ou_etablissement", 35),
        ("moins_de_20_ans", 53),
    ] {
        assert_eq!(rate(figures, indicator), published, "2024 {indicator}");
    }
    assert_eq!(
        count(figures, "personnes_sans_solution"),
        scaled(590, persons),
        "590 personnes sont sans solution"
    );
    let (_, filled) = figures["personnes_sans_solution"];
    let not_filled = count(figures, "personnes_accompagnees") - filled.unwrap();
    assert!(
        not_filled > 0 && 100 * not_filled < 10 * count(figures, "personnes_accompagnees"),
        "a few percent of situations not filled in: {not_filled}"
    );
    // (v3) "1 643 personnes présentent au moins un trouble associé", "1
    // personne accompagnée cumule en moyenne 4 types d'accompagnements".
    assert_eq!(
        count(figures, "au_moins_un_trouble_associe"),
        scaled(1643, persons),
        "1 643 personnes présentent au moins un trouble associé"
    );
    let (types, with_types) = figures["types_accompagnement_par_personne"];
    let with_types = with_types.unwrap();
    assert_eq!(
        (2 * types + with_types) / (2 * with_types),
        4,
        "{types} types for {with_types} persons: 4 on average"
    );
}

/// The bilan 2021: 2 436 persons accompanied, 62 % diagnosed, "77 %
/// vivent à domicile et 23 % sont en hébergement mixte ou ESMS".
fn assert_published_2021(figures: &Figures, persons: u64) {
    assert_eq!(
        count(figures, "personnes_accompagnees"),
        scaled(2436, persons)
    );
    assert_eq!(rate(figures, "maladie_rare_diagnostiquee"), 62);
    assert_eq!(rate(figures, "vit_a_domicile"), 77);
    let (home, filled) = figures["vit_a_domicile"];
    assert_eq!(percent(filled.unwrap() - home, filled.unwrap()), 23);
}

/// 2021 is +5 % on 2020 and +44 % on 2018, in persons accompanied (the
/// change in percent rounded half away from zero).
fn assert_evolutions(input: &Path, active_2021: u64) {
    for (year, evolution) in [(2020, 5), (2018, 44)] {
        let before = count(&national(input, year), "personnes_accompagnees");
        assert!(before < active_2021, "{year}: {before}");
        assert_eq!(
            percent(active_2021 - before, before),
            evolution,
            "2021 on {year}: {active_2021} persons, {before} then"
        );
    }
}

#[test]
fn sample_data_reproduces_every_published_figure() {
    let figures = national(&sample_data(), 2024);
    assert_published_2024(&figures, REFERENCE_PERSONS);
    let figures = national(&sample_data(), 2021);
    assert_published_2021(&figures, REFERENCE_PERSONS);
    assert_evolutions(&sample_data(), count(&figures, "personnes_accompagnees"));
}

/// (v3) The words of the 2024 bilan around its figures, in the exact
/// report's tables (`--min-count 1`): the associated disorders "souvent
/// multiple (jusqu'à six), dont près de la moitié relève de troubles
/// neurodéveloppementaux", a mean of `4,1` types of accompaniment, the
/// two-way split of the place of residence.
#[test]
fn sample_data_says_what_the_2024_bilan_says_of_disorders_and_accompaniments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exact");
    bilan()
        .args(["report", "--min-count", "1", "--input"])
        .arg(sample_data())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let breakdowns: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("breakdowns.json")).unwrap())
            .unwrap();
    let cell = |table: &str, value: &str| -> u64 {
        breakdowns[table]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == value)
            .and_then(|c| c["count"].as_u64())
            .unwrap_or_else(|| panic!("{table} {value}"))
    };
    assert!(
        cell("troubles_associes_par_personne", "6 et plus") > 0,
        "some with six"
    );
    let with: u64 = ["1", "2", "3", "4", "5", "6 et plus"]
        .iter()
        .map(|b| cell("troubles_associes_par_personne", b))
        .sum();
    assert_eq!(with, 1643);
    let tnd = percent(cell("troubles_associes", "tnd"), with);
    assert!((45..=55).contains(&tnd), "dont TND: {tnd} %");
    let html = std::fs::read_to_string(out.join("bilan.html")).unwrap();
    assert!(
        html.contains("cumule en moyenne 4,1\u{a0}types")
            || html.contains("cumule en moyenne 4,1 types"),
        "the mean to one decimal"
    );
    assert!(html.contains("(environ 4)"), "and to the unit");
}

/// (v3) None of the persons of 2024 has more than six associated
/// disorders, and the diagnoses are those of a real dispositif: a few
/// hundred distinct codes, a handful held by many, a long tail held by one
/// or two persons — counted plainly over the same sample written with
/// codes (`--canonical`, the same persons).
#[test]
fn the_sample_has_at_most_six_disorders_and_a_long_tail_of_diagnoses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("codes");
    bilan()
        .args(INVOCATION)
        .args(["--canonical", "--out"])
        .arg(&out)
        .assert()
        .success();
    let read = |file: &str| std::fs::read_to_string(out.join(file)).unwrap();
    let mut active = std::collections::BTreeSet::new();
    for file in ["demandes.csv", "interventions.csv"] {
        for line in read(file).lines().skip(1) {
            let cells: Vec<&str> = line.split(';').collect();
            if cells.len() > 2 && cells[2].ends_with("/2024") {
                active.insert(cells[1].to_string());
            }
        }
    }
    let usagers = read("usagers.csv");
    let mut lines = usagers.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (tnd, troubles, orpha) = (at("tnd"), at("troubles_associes"), at("code_orpha"));
    let mut most = 0;
    let mut holders: std::collections::BTreeMap<String, u64> = Default::default();
    let mut seen = std::collections::BTreeSet::new();
    for line in lines {
        let cells: Vec<&str> = line.split(';').collect();
        if cells.len() != header.len() || !active.contains(cells[0]) || !seen.insert(cells[0]) {
            continue;
        }
        let mut disorders: std::collections::BTreeSet<&str> = cells[troubles]
            .split('|')
            .filter(|c| !c.is_empty() && *c != "aucun")
            .collect();
        if cells[tnd].split('|').any(|c| !c.is_empty() && c != "aucun") {
            disorders.insert("tnd");
        }
        most = most.max(disorders.len());
        let codes: std::collections::BTreeSet<&str> = cells[orpha]
            .split('|')
            .filter(|c| c.chars().all(|c| c.is_ascii_digit()) && !c.is_empty())
            .collect();
        for code in codes {
            *holders.entry(code.to_string()).or_default() += 1;
        }
    }
    assert_eq!(most, 6, "up to six associated disorders, none with more");
    let distinct = holders.len();
    assert!((200..=600).contains(&distinct), "{distinct} distinct codes");
    let frequent = holders.values().filter(|&&n| n >= 30).count();
    assert!((3..=10).contains(&frequent), "{frequent} frequent codes");
    let tail = holders.values().filter(|&&n| n <= 2).count();
    assert!(
        tail * 2 > distinct,
        "{tail} codes held by one or two persons"
    );
}

/// Persons with a demande or intervention dated in each year, counted over
/// the rows as `bilan` should (SPEC §3): the rows with as many fields as
/// the header, an id seen for the first time, a person, a valid date.
fn plain_active_by_year(input: &Path) -> std::collections::BTreeMap<i32, usize> {
    let valid_year = |cell: &str| -> Option<i32> {
        let parts: Vec<i32> = cell
            .split('/')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [day, month, year] = parts[..] else {
            return None;
        };
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(year)
    };
    let mut active: std::collections::BTreeMap<i32, std::collections::BTreeSet<String>> =
        Default::default();
    for file in ["demandes.csv", "interventions.csv"] {
        let bytes = std::fs::read(input.join(file)).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        let width = lines.next().unwrap().split(';').count();
        let mut ids = std::collections::HashSet::new();
        for line in lines {
            let cells: Vec<&str> = line.split(';').collect();
            if cells.len() != width || cells[0].is_empty() || cells[1].is_empty() {
                continue;
            }
            if !ids.insert(cells[0].to_string()) || cells[1] == "NR" {
                continue;
            }
            if let Some(year) = valid_year(cells[2]) {
                active.entry(year).or_default().insert(cells[1].to_string());
            }
        }
    }
    active.into_iter().map(|(y, p)| (y, p.len())).collect()
}

/// Ten years of a network that opens in 2015, grows while its teams fill up
/// and levels off; `bilan` agrees with a plain count over the rows.
#[test]
fn sample_data_is_a_ten_year_archive_of_a_growing_network() {
    let active = plain_active_by_year(&sample_data());
    assert_eq!(
        active.keys().copied().collect::<Vec<_>>(),
        (2015..=2024).collect::<Vec<_>>(),
        "activity in every year 2015-2024, and only then"
    );
    for year in [2015, 2019] {
        let figures = national(&sample_data(), year);
        assert_eq!(
            count(&figures, "personnes_accompagnees") as usize,
            active[&year],
            "{year}"
        );
    }
    let series: Vec<usize> = active.values().copied().collect();
    assert!(
        series[..7].windows(2).all(|w| w[0] < w[1]),
        "growth up to 2021: {series:?}"
    );
    assert!(
        series[7..].iter().all(|&n| 100 * n >= 95 * series[6]),
        "then a plateau: {series:?}"
    );
    assert!(series[9] > 5 * series[0], "{series:?}");
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
    assert_published_2024(&national(&out, 2024), REFERENCE_PERSONS);
    assert_published_2021(&national(&out, 2021), REFERENCE_PERSONS);
    let first = std::fs::read(out.join("usagers.csv")).unwrap();
    assert_ne!(
        first,
        std::fs::read(sample_data().join("usagers.csv")).unwrap(),
        "another seed, another export"
    );
}

/// `--persons` scales the counts and keeps the rates and evolutions; a
/// shorter window holds the persons active in it.
#[test]
fn calibration_scales_with_the_number_of_persons() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("half");
    let persons = REFERENCE_PERSONS / 2;
    bilan()
        .args(["sample", "--seed", "7", "--years", "2018-2024", "--persons"])
        .arg(persons.to_string())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_published_2024(&national(&out, 2024), persons);
    let figures = national(&out, 2021);
    assert_published_2021(&figures, persons);
    assert_evolutions(&out, count(&figures, "personnes_accompagnees"));
    let active = plain_active_by_year(&out);
    assert_eq!(
        active.keys().next(),
        Some(&2018),
        "nothing before the window"
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
    // SPEC §2.2 v2: "sans solution" is a situation, never a lieu de vie.
    let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (lieu, situation) = (column("Lieu de vie"), column("Situation"));
    let cells = |at: usize| -> Vec<String> {
        text.lines()
            .skip(1)
            .filter_map(|l| l.split(';').nth(at).map(str::to_lowercase))
            .collect()
    };
    assert!(!cells(lieu).iter().any(|c| c.contains("solution")));
    assert!(cells(situation).iter().any(|c| c == "sans solution"));
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
        "aucun_contradictoire",
        "code_orpha_invalide",
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
    // The year that plays 2021 is three years before the last one.
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    bilan()
        .args(["sample", "--clean", "--years", "2019-2024", "--out"])
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
            "12000",
            "--years",
            "2021-2024",
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
    assert_published_2024(&national(&out, 2024), REFERENCE_PERSONS);
    assert_published_2021(&national(&out, 2021), REFERENCE_PERSONS);
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

#[test]
fn an_xlsx_sample_gives_the_indicators_of_the_csv_sample_with_date_cells() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let mut figures = Vec::new();
    for format in ["csv", "xlsx"] {
        let out = dir.path().join(format);
        bilan()
            .args([
                "sample",
                "--persons",
                "300",
                "--seed",
                "5",
                "--format",
                format,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let output = bilan()
            .args(["indicators", "--format", "json", "--input"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        figures.push(String::from_utf8(output.stdout).unwrap());
    }
    assert_eq!(figures[0], figures[1]);
    let mut book: Xlsx<_> = calamine::open_workbook(dir.path().join("xlsx/demandes.xlsx")).unwrap();
    let range = book.worksheet_range("Feuil1").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let date_at = header
        .iter()
        .position(|h| h.to_lowercase().contains("date"))
        .unwrap();
    let date_cells = range
        .rows()
        .skip(1)
        .filter(|row| matches!(row[date_at], Data::DateTime(_)))
        .count();
    assert!(date_cells > 100, "{date_cells} date cells");
}

/// `--canonical` writes the same export as a database dump would (UTF-8,
/// LF, the spec's column names, codes): the same figures, every table and
/// scope, and the same findings.
#[test]
fn a_canonical_sample_is_the_same_export_written_with_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for canonical in [false, true] {
        let out = dir
            .path()
            .join(if canonical { "canonical" } else { "labels" });
        let mut sample = bilan();
        sample.args(["sample", "--persons", "800", "--seed", "9", "--out"]);
        sample.arg(&out);
        if canonical {
            sample.arg("--canonical");
        }
        sample.assert().success();
        let mut figures = String::new();
        for table in ["rows", "delais", "actions"] {
            let output = bilan()
                .args(["indicators", "--format", "csv", "--year", "2015-2024"])
                .args(["--table", table, "--input"])
                .arg(&out)
                .output()
                .unwrap();
            assert!(output.status.success());
            figures.push_str(&String::from_utf8(output.stdout).unwrap());
        }
        let findings = bilan()
            .args(["validate", "--format", "json", "--input"])
            .arg(&out)
            .output()
            .unwrap();
        let findings: serde_json::Value = serde_json::from_slice(&findings.stdout).unwrap();
        let mut seen = String::new();
        for file in findings["files"].as_array().unwrap() {
            seen += &format!(
                "{} {} {}\n",
                file["name"], file["rows_read"], file["rows_kept"]
            );
        }
        for finding in findings["findings"].as_array().unwrap() {
            seen += &format!(
                "{} {} {}\n",
                finding["rule"], finding["file"], finding["line"]
            );
        }
        outputs.push((out, figures, seen));
    }
    assert_eq!(outputs[0].1, outputs[1].1, "the same figures");
    assert_eq!(outputs[0].2, outputs[1].2, "the same findings");
    let canonical = &outputs[1].0;
    let usagers = std::fs::read_to_string(canonical.join("usagers.csv")).unwrap();
    assert!(usagers.starts_with("id_usager;date_naissance;sexe;departement;lieu_de_vie;"));
    assert!(!usagers.contains('\r'), "LF line ends");
    assert!(usagers.contains(";diagnostiquee;"));
    assert!(!usagers.contains("Diagnostiquée") && !usagers.contains(";NR;"));
    let demandes = std::fs::read_to_string(canonical.join("demandes.csv")).unwrap();
    assert!(demandes.starts_with("id_demande;id_usager;date_demande;equipe;origine\n"));
    assert!(!demandes.contains("ERHR Bretagne"), "team codes, not names");
    let actions = std::fs::read(canonical.join("actions.csv")).unwrap();
    assert!(String::from_utf8(actions).is_ok(), "UTF-8");
}

/// `--order person` (issue #28's second row order): the same rows, listed
/// by person then date, and the same figures; a dirty export is refused.
#[test]
fn order_person_lists_the_same_acts_by_person_with_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        bilan()
            .args([
                "sample",
                "--clean",
                "--canonical",
                "--persons",
                "300",
                "--out",
            ])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out
    };
    let by_date = write("date", &[]);
    let by_person = write("person", &["--order", "person"]);
    for file in ["demandes.csv", "interventions.csv"] {
        let lines = |dir: &Path| -> Vec<String> {
            std::fs::read_to_string(dir.join(file))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        };
        let (dated, grouped) = (lines(&by_date), lines(&by_person));
        assert_eq!(dated[0], grouped[0], "{file}: the header");
        assert_ne!(dated, grouped, "{file}: another order");
        let mut sorted = (dated[1..].to_vec(), grouped[1..].to_vec());
        sorted.0.sort();
        sorted.1.sort();
        assert_eq!(sorted.0, sorted.1, "{file}: the same rows");
        // Grouped: each person's rows are together, in date order.
        let person = |line: &String| line.split(';').nth(1).unwrap_or("").to_string();
        let mut seen = std::collections::BTreeSet::new();
        let mut previous = String::new();
        for line in &grouped[1..] {
            let p = person(line);
            if p != previous {
                assert!(seen.insert(p.clone()), "{file}: {p} listed twice apart");
                previous = p;
            }
        }
    }
    for file in ["usagers.csv", "actions.csv"] {
        let read = |dir: &Path| std::fs::read(dir.join(file)).unwrap();
        assert_eq!(read(&by_date), read(&by_person), "{file} is unchanged");
    }
    let indicators = |dir: &Path| {
        bilan()
            .args([
                "indicators",
                "--year",
                "2015-2024",
                "--format",
                "json",
                "--input",
            ])
            .arg(dir)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(indicators(&by_date), indicators(&by_person));
    bilan()
        .args(["sample", "--order", "person", "--out"])
        .arg(dir.path().join("dirty"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--order person writes clean exports only: add --clean",
        ));
    assert!(!dir.path().join("dirty").exists());
}
