//! What is published and what stays internal (SPEC §6 v3): no file of a
//! `report --by-team` folder that goes out (everything but `controle.html`,
//! `controle.xlsx`, `findings.csv` and `manifest.json`) holds a rule code,
//! a dossier id, a hash or the name of an input file or folder.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::report_workbook::searchable_text;

/// The analyst's files: they name rows, files and rules.
const INTERNAL: [&str; 4] = [
    "controle.html",
    "controle.xlsx",
    "findings.csv",
    "manifest.json",
];

fn published_files(out: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![out.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if !INTERNAL.iter().any(|name| path.ends_with(name)) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A run of 64 hexadecimal digits: a SHA-256.
fn has_hash(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run >= 64 {
            return true;
        }
    }
    false
}

#[test]
fn no_published_file_holds_the_analysts_material() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export_mediateam");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    std::fs::create_dir(&input).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, input.join(path.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("bilan");
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
        .args(["report", "--by-team", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // What the analyst's files name: the rules, the dossiers.
    let mut findings = csv::Reader::from_path(out.join("national/findings.csv")).unwrap();
    let headers = findings.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (rule, id) = (column("rule"), column("id"));
    let mut forbidden: Vec<String> = vec!["export_mediateam".into()];
    for name in [
        "usagers.csv",
        "demandes.csv",
        "interventions.csv",
        "equipes.csv",
    ] {
        forbidden.push(name.into());
    }
    for record in findings.records() {
        let record = record.unwrap();
        for value in [&record[rule], &record[id]] {
            // A value of two or three letters (`NR`) is not a dossier id.
            if value.len() >= 4 && !forbidden.iter().any(|f| f == value) {
                forbidden.push(value.to_string());
            }
        }
    }
    assert!(forbidden.len() > 20, "{forbidden:?}");
    let files = published_files(&out);
    assert!(files.len() > 50, "{} published files", files.len());
    let mut found = Vec::new();
    for file in &files {
        let text = searchable_text(file);
        for word in &forbidden {
            // A dossier id or a rule code as a word, not inside another.
            let whole = text.match_indices(word.as_str()).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if whole {
                found.push(format!(
                    "{}: {word}",
                    file.strip_prefix(&out).unwrap().display()
                ));
            }
        }
        if has_hash(&text) {
            found.push(format!(
                "{}: a hash",
                file.strip_prefix(&out).unwrap().display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "internal material published:\n{}",
        found.join("\n")
    );
}
