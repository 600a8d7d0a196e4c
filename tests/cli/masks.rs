//! The differential test of the masks (SPEC §8): the same `report
//! --by-team` with the default `--min-count 5` and with `--min-count 1`
//! (exact), compared cell by cell over every table of every sheet of every
//! scope's workbook. A cell reading `< 5` is 1 to 4 in the exact twin; a
//! cell reading `s` (masked to protect another) is a count of at least 5
//! in a scope that has a `< 5` cell to protect; every figure
//! shown is the exact figure.

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use calamine::Data;

use crate::report_workbook::{not_a_count_of_persons, sheets, tables, text};

fn report(out: &Path, min_count: &str) {
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
        .args(["report", "--by-team", "--min-count", min_count, "--input"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data"))
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// A workbook's cells by (sheet, table, row label, column header); a row
/// label repeated in a table (none should be) keeps its first row.
fn cells(path: &Path) -> HashMap<(String, String, String, String), Data> {
    let mut cells = HashMap::new();
    for (sheet, rows) in sheets(path) {
        for (title, header, data) in tables(&rows) {
            for row in &data {
                let label = text(&row[0]);
                for (col, cell) in row.iter().enumerate().skip(1) {
                    let column = header.get(col).cloned().unwrap_or_default();
                    cells
                        .entry((sheet.clone(), title.clone(), label.clone(), column))
                        .or_insert_with(|| cell.clone());
                }
            }
        }
    }
    cells
}

/// The tables of acts (demandes, interventions): published as they are.
const ACTS: [&str; 4] = [
    "Demandes",
    "Interventions par",
    "Durée des interventions",
    "Actions collectives",
];

/// How a small count reads: `< 5`, a no-break space inside.
const SMALL: &str = "<\u{A0}5";

fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(n) => Some(*n),
        Data::Int(n) => Some(*n as f64),
        _ => None,
    }
}

#[test]
fn every_mask_tells_the_truth_against_the_exact_twin() {
    let dir = tempfile::tempdir().unwrap();
    let (masked_dir, exact_dir) = (dir.path().join("k5"), dir.path().join("k1"));
    report(&masked_dir, "5");
    report(&exact_dir, "1");
    let mut scopes = 0;
    let (mut small, mut protecting, mut shown) = (0, 0, 0);
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&masked_dir).unwrap() {
        let scope = entry.unwrap().path();
        let Some(name) = scope.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !scope.join("bilan.xlsx").exists() {
            continue;
        }
        scopes += 1;
        let masked = cells(&scope.join("bilan.xlsx"));
        let exact = cells(&exact_dir.join(name).join("bilan.xlsx"));
        // An `s` protects a `< 5` cell of the scope, in its table or in
        // another that shares a total with it (the délais by band and by
        // scope, an indicator and its table).
        let with_small = masked.values().any(|cell| text(cell) == SMALL);
        for (key, cell) in &masked {
            let (sheet, title, label, column) = key;
            let at = format!("{name} / {sheet} / {title} / {label} / {column}");
            let twin = exact.get(key);
            match text(cell).as_str() {
                SMALL => {
                    small += 1;
                    match twin.and_then(number) {
                        Some(n) if (1.0..=4.0).contains(&n) => {}
                        other => wrong.push(format!("{at}: `< 5` but exactly {other:?}")),
                    }
                }
                "s" => {
                    protecting += 1;
                    // A rate or a délai is masked with the counts it is
                    // made of, which may be in another table or year.
                    let rates_by_year = title.starts_with("Évolution des chiffres clés")
                        && !["Personnes accompagnées", "Nouvelles personnes"]
                            .contains(&label.as_str());
                    let count = !not_a_count_of_persons(column)
                        && label != "Taux"
                        && label != "Moyenne"
                        && !rates_by_year;
                    if count && !with_small {
                        wrong.push(format!("{at}: `s` in a scope without a `< 5` cell"));
                    }
                    // A team under K has its whole row masked in the
                    // tables by team, its acts and zeros too.
                    let small_row = masked.iter().any(|((s, t, l, _), c)| {
                        (s, t, l) == (sheet, title, label) && text(c) == SMALL
                    });
                    let acts = ACTS.iter().any(|acts| title.starts_with(acts));
                    let exact = twin.and_then(number);
                    if count && !small_row && !acts && !exact.is_some_and(|n| n >= 5.0) {
                        wrong.push(format!(
                            "{at}: `s` over {exact:?}, not a count of 5 or more"
                        ));
                    } else if exact.is_none() && twin.is_none_or(|t| text(t).is_empty()) {
                        wrong.push(format!("{at}: `s` over nothing"));
                    }
                }
                _ => {
                    if let Some(value) = number(cell) {
                        shown += 1;
                        let exact = twin.and_then(number);
                        if exact.is_none_or(|e| (e - value).abs() > 1e-9) {
                            wrong.push(format!("{at}: shows {value}, exactly {exact:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cell(s) that do not tell the truth:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // The comparison ran over something: the sample has small teams.
    assert!(scopes >= 15, "{scopes} scopes");
    assert!(
        small > 0 && protecting > 0 && shown > 1000,
        "{small} {protecting} {shown}"
    );
}
