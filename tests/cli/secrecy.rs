//! Statistical secrecy (SPEC §8) and per-team reports, end to end.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bilan() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
}

/// A small export whose teams are tiny: many counts from 1 to 4.
fn tiny_export(dir: &Path) -> PathBuf {
    let input = dir.join("tiny");
    bilan()
        .args(["sample", "--persons", "90", "--seed", "5", "--out"])
        .arg(&input)
        .assert()
        .success();
    input
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

/// Every count published in a JSON value: no number from 1 to K−1 under
/// the keys that hold counts.
fn small_counts_in_json(value: &serde_json::Value, key: &str, k: u64, found: &mut Vec<String>) {
    const COUNT_KEYS: [&str; 12] = [
        "numerator",
        "denominator",
        "not_filled",
        "count",
        "with_duration",
        "minutes",
        "filled",
        "rows",
        "requests",
        "interventions",
        "children",
        "rows_excluded",
    ];
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .for_each(|(k2, v)| small_counts_in_json(v, k2, k, found)),
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|v| small_counts_in_json(v, key, k, found)),
        serde_json::Value::Number(n) => {
            let counted = COUNT_KEYS.contains(&key) || key.ends_with("_not_filled");
            if counted && n.as_u64().is_some_and(|n| n >= 1 && n < k) {
                found.push(format!("{key}={n}"));
            }
        }
        _ => {}
    }
}

/// The numbers shown in the cells of the HTML tables and charts.
fn small_counts_in_html(html: &str, k: u64) -> Vec<String> {
    let mut found = Vec::new();
    for piece in html.split("<td class=\"num\">").skip(1).chain(
        html.split("<text")
            .skip(1)
            .map(|t| t.split_once('>').map_or("", |x| x.1)),
    ) {
        let cell = piece.split('<').next().unwrap_or("").trim();
        let digits: String = cell
            .chars()
            .filter(|c| !matches!(c, '\u{202F}' | '\u{A0}' | ' '))
            .collect();
        if let Ok(n) = digits.parse::<u64>() {
            if n >= 1 && n < k {
                found.push(cell.to_string());
            }
        }
    }
    found
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
    let mut suppressed_rows = 0;
    for file in files_under(&out) {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.display().to_string();
        if name.ends_with(".json") {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut found = Vec::new();
            small_counts_in_json(&json, "", 5, &mut found);
            assert!(found.is_empty(), "{name}: {found:?}");
            suppressed_rows += text.matches("\"suppressed\": true").count();
        } else if name.ends_with("indicators.csv") {
            for line in text.lines().skip(1) {
                let cells: Vec<&str> = line.split(',').collect();
                for cell in &cells[3..6] {
                    assert!(
                        !cell.parse::<u64>().is_ok_and(|n| (1..5).contains(&n)),
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
            let found = small_counts_in_html(&text, 5);
            assert!(found.is_empty(), "{name}: {found:?}");
        } else if name.ends_with("findings.csv") {
            for line in text.lines().skip(1) {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_bytes());
                if let Some(Ok(record)) = reader.records().next() {
                    assert!(
                        !record[6].parse::<u64>().is_ok_and(|n| (1..5).contains(&n)),
                        "{name}: {line}"
                    );
                }
            }
        }
    }
    assert!(suppressed_rows > 0, "the tiny export must exercise masking");
    let html = std::fs::read_to_string(out.join("national/bilan.html")).unwrap();
    assert!(html.contains("<\u{A0}5"), "masked cells read < 5");
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
    assert!(exact.starts_with("scope,year,indicator,numerator,denominator,not_filled\n"));
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
    for folder in teams.iter().chain([&"national".to_string()]) {
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
        bretagne.contains("— national 63\u{A0}%"),
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
