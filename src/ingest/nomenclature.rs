//! The user's ORPHA nomenclature (`--orpha-labels FILE`, SPEC §4.6): a CSV
//! with the header `code,label`, read in the dialect of exports (SPEC §2.1:
//! its encoding, its delimiter, lines above its header), codes parsed as in
//! `code_orpha` (SPEC §2.2). A code that is not an ORPHA code, or that
//! comes twice, stops the run naming its line.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{decode, detect_delimiter, HEADER_SEARCH};
use crate::normalize::{cell_is_not_filled, normalize};
use crate::reference::{parse_orpha, OrphaLabels};

/// Reads the nomenclature of `path`.
pub fn read_orpha_labels(path: &Path) -> Result<OrphaLabels> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the ORPHA nomenclature {}", path.display()))?;
    parse(bytes).with_context(|| {
        format!(
            "{}: the ORPHA nomenclature must be a CSV file with the columns code,label (see docs/orpha.md)",
            path.display()
        )
    })
}

/// The physical lines of a text with their byte offsets, each ending at
/// `\r\n`, `\n` or `\r` alone (quotes are not looked at: a header line has
/// no line break inside a cell).
fn physical_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = &text[offset..];
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\n', '\r']) {
            Some(at) if rest[at..].starts_with("\r\n") => at + 2,
            Some(at) => at + 1,
            None => rest.len(),
        };
        let line = (offset, &rest[..end]);
        offset += end;
        Some(line)
    })
}

/// The physical line (1-based) of byte `at` of `text`.
fn line_at(text: &str, at: usize) -> u64 {
    let before = &text[..at.min(text.len())];
    let breaks = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    breaks as u64 + 1
}

fn parse(bytes: Vec<u8>) -> Result<OrphaLabels> {
    let (text, _) = decode(bytes);
    let header = physical_lines(&text)
        .take(HEADER_SEARCH as usize)
        .find_map(|(offset, line)| {
            let delimiter = detect_delimiter(line.as_bytes());
            let cells: Vec<String> = line
                .trim_end_matches(['\n', '\r'])
                .split(char::from(delimiter))
                .map(|cell| normalize(cell.trim().trim_matches('"')))
                .collect();
            let at = |name: &str| cells.iter().position(|c| c == name);
            Some((offset, delimiter, at("code")?, at("label")?))
        });
    let Some((start, delimiter, code_at, label_at)) = header else {
        bail!("no header line with the columns code and label in its first {HEADER_SEARCH} lines");
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(&text.as_bytes()[start..]);
    let mut labels = BTreeMap::new();
    let mut lines: BTreeMap<u32, u64> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = start + reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => bail!("line {}: {e}", line_at(&text, before)),
        }
        let line = line_at(
            &text,
            record
                .position()
                .map_or(before, |p| start + p.byte() as usize),
        );
        let raw = record.get(code_at).unwrap_or("");
        if cell_is_not_filled(raw) {
            // An empty line, or a footer without a code.
            continue;
        }
        let Some(code) = parse_orpha(raw) else {
            bail!("line {line}: {raw:?} is not an ORPHA code (write it 558 or ORPHA:558)");
        };
        if let Some(earlier) = lines.insert(code, line) {
            bail!(
                "line {line}: ORPHA:{code} is already on line {earlier}; keep one label per code"
            );
        }
        let label = record.get(label_at).unwrap_or("").trim();
        if !label.is_empty() {
            labels.insert(code, label.to_string());
        }
    }
    Ok(OrphaLabels::new(labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nomenclature_is_read_in_the_dialect_of_exports() {
        let text = "Extrait Orphadata\n\ncode;label;\nORPHA:558;Syndrome de Marfan;\n886;\"Syndrome de Usher; type 1\";\n\n";
        let labels = parse(text.as_bytes().to_vec()).unwrap();
        assert_eq!(labels.get(558), Some("Syndrome de Marfan"));
        assert_eq!(labels.get(886), Some("Syndrome de Usher; type 1"));
        assert_eq!(labels.get(1), None);
        let windows = encoding_rs::WINDOWS_1252
            .encode("code,label\r\n33069,Syndrome de Dravet, épilepsie\r\n")
            .0
            .into_owned();
        let labels = parse(windows).unwrap();
        assert_eq!(labels.get(33069), Some("Syndrome de Dravet"));
    }

    #[test]
    fn a_duplicate_or_invalid_code_names_its_line() {
        let duplicate = "code,label\r\n558,Marfan\r\n886,Usher\r\nORPHA:00558,Marfan bis\r\n";
        let error = parse(duplicate.as_bytes().to_vec()).unwrap_err();
        assert!(
            format!("{error:#}").contains("line 4: ORPHA:558 is already on line 2"),
            "{error:#}"
        );
        let invalid = "titre\rcode,label\r558,Marfan\rOMIM 12,Autre\r";
        let error = parse(invalid.as_bytes().to_vec()).unwrap_err();
        assert!(format!("{error:#}").contains("line 4:"), "{error:#}");
        assert!(parse(b"a,b\n1,2\n".to_vec()).is_err());
    }
}
