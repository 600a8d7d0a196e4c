//! Line numbers of findings (SPEC §3: physical lines, header = line 1) on
//! random exports in every dialect: whatever the delimiter, line end
//! (`\n`, `\r\n`, v3: `\r` alone), encoding (v3: mixed line by line) or
//! quoted line breaks, and with footers (v3), each finding's value stands
//! on the physical line it names. The file is split into lines here by its
//! bytes, independently of the reader; each Windows-1252 line of a mixed
//! file is an `encodage_mixte` on its line.

use std::path::Path;

use bilan::job::ExportSource;
use proptest::prelude::*;

use crate::generator::{generate, physical_lines, Dialect};

/// The text of a generated file, decoded as the generator encoded it, with
/// every line end written `\n`.
fn decoded(path: &Path, dialect: &Dialect) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = match dialect.encoding {
        0 => String::from_utf8(bytes).unwrap(),
        1 => String::from_utf8(bytes[3..].to_vec()).unwrap(),
        2 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned(),
        3 => encoding_rs::UTF_16LE
            .decode_without_bom_handling(&bytes[2..])
            .0
            .into_owned(),
        4 => encoding_rs::UTF_16BE
            .decode_without_bom_handling(&bytes[2..])
            .0
            .into_owned(),
        _ => physical_lines(&bytes)
            .map(|line| match std::str::from_utf8(line) {
                Ok(line) => line.to_string(),
                Err(_) => encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(line)
                    .0
                    .into_owned(),
            })
            .collect(),
    };
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The lines of a file (UTF-8 or Windows-1252, no BOM) that must be
/// `encodage_mixte`: those not UTF-8, when another non-ASCII line is.
fn mixed_lines(path: &Path) -> Vec<u64> {
    let bytes = std::fs::read(path).unwrap();
    let mut invalid = Vec::new();
    let mut utf8 = false;
    for (line, text) in (1..).zip(physical_lines(&bytes)) {
        match std::str::from_utf8(text) {
            Ok(text) => utf8 |= !text.is_ascii(),
            Err(_) => invalid.push(line),
        }
    }
    if utf8 {
        invalid
    } else {
        Vec::new()
    }
}

/// Checks every finding of the export in `dir`; returns how many findings
/// named a line with a value on it.
fn check_lines(dir: &Path, dialect: &Dialect) -> usize {
    let mut loaded = ExportSource::new(dir)
        .load()
        .unwrap_or_else(|e| panic!("{e:#}"));
    // The year-bound findings too; an export without activity has none.
    let _ = loaded.choose_year(Some(2024));
    let findings = loaded.clean.findings.clone();
    let mut checked = 0;
    if dialect.encoding == 5 || dialect.encoding == 2 || dialect.encoding == 0 {
        for file in &loaded.clean.files {
            let got: Vec<u64> = findings
                .iter()
                .filter(|f| f.rule.code() == "encodage_mixte" && f.file == file.name)
                .filter_map(|f| f.line)
                .collect();
            let want = mixed_lines(&dir.join(&file.name));
            assert_eq!(got, want, "{}: encodage_mixte lines", file.name);
            checked += want.len();
        }
    }
    for finding in &findings {
        let Some(line) = finding.line else { continue };
        let text = decoded(&dir.join(&finding.file), dialect);
        let lines: Vec<&str> = text.split('\n').collect();
        let physical = lines
            .get(line as usize - 1)
            .unwrap_or_else(|| panic!("{finding:?}: the file has {} lines", lines.len()));
        if finding.rule.code() == "ligne_vide" {
            for &blank in &finding.lines {
                let physical = lines[blank as usize - 1];
                assert!(
                    physical.chars().all(|c| ";,\t\" \r".contains(c)),
                    "{} line {blank} is not blank: {physical:?}",
                    finding.file
                );
                checked += 1;
            }
        }
        // A value spanning lines starts on the line named (quotes aside: a
        // footer's value is a cell's text, which the file quotes).
        if let Some(value) = finding.value.as_deref() {
            let first = value
                .split('\n')
                .next()
                .unwrap_or("")
                .trim()
                .replace('"', "");
            if first.is_empty() {
                continue;
            }
            assert!(
                physical.replace('"', "").contains(&first),
                "{} line {line}: {first:?} is not on that line: {physical:?}\n{finding:?}",
                finding.file
            );
            checked += 1;
        }
    }
    checked
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_finding_stands_on_the_physical_line_it_names(seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        let (_, dialect) = generate(seed, dir.path(), 2024);
        check_lines(dir.path(), &dialect);
    }
}

#[test]
fn the_line_check_can_fail_and_does_check_findings() {
    // Enough findings are checked over a few seeds for the property to mean
    // something, in every line end, with footers and mixed encodings.
    let mut by_line_end = [0, 0, 0];
    let (mut footers, mut mixed) = (0, 0);
    for seed in 0..24 {
        let dir = tempfile::tempdir().unwrap();
        let (_, dialect) = generate(seed, dir.path(), 2024);
        by_line_end[usize::from(dialect.line_end)] += check_lines(dir.path(), &dialect);
        let loaded = ExportSource::new(dir.path()).load().unwrap();
        let count = |code: &str| {
            loaded
                .clean
                .findings
                .iter()
                .filter(|f| f.rule.code() == code)
                .count()
        };
        footers += count("pied_de_page");
        mixed += count("encodage_mixte");
    }
    assert!(by_line_end.iter().all(|&n| n > 20), "{by_line_end:?}");
    assert!(
        footers > 10 && mixed > 10,
        "{footers} footer lines, {mixed} mixed lines"
    );
}
