//! Line numbers of findings (SPEC §3: physical lines, header = line 1) on
//! random exports in every dialect: whatever the delimiter, line end,
//! encoding or quoted line breaks, each finding's value stands on the
//! physical line it names. The file is split into lines here on `\n` alone,
//! independently of the reader.

use std::path::Path;

use bilan::job::ExportSource;
use proptest::prelude::*;

use crate::generator::{generate, Dialect};

/// The text of a generated file, decoded as the generator encoded it.
fn decoded(path: &Path, dialect: &Dialect) -> String {
    let bytes = std::fs::read(path).unwrap();
    match dialect.encoding {
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
        _ => encoding_rs::UTF_16BE
            .decode_without_bom_handling(&bytes[2..])
            .0
            .into_owned(),
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
        // A value spanning lines starts on the line named.
        if let Some(value) = finding.value.as_deref() {
            let first = value.split('\n').next().unwrap_or("").trim();
            if first.is_empty() {
                continue;
            }
            assert!(
                physical.contains(first),
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
    // something, in both line ends.
    let mut by_line_end = [0, 0];
    for seed in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        let (_, dialect) = generate(seed, dir.path(), 2024);
        by_line_end[usize::from(dialect.crlf)] += check_lines(dir.path(), &dialect);
    }
    assert!(by_line_end.iter().all(|&n| n > 20), "{by_line_end:?}");
}
