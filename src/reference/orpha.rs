//! ORPHA codes (SPEC §2.2 v3, §4.6): the forms people write them in, and
//! the labels of the user's nomenclature (`--orpha-labels FILE`, read by
//! `ingest::read_orpha_labels`; `docs/orpha.md`).

use std::collections::BTreeMap;

/// The ORPHA code a part of a `code_orpha` cell stands for (SPEC §2.2):
/// trimmed and in any case, an optional prefix `orpha` or `orphanet`,
/// optional spaces, an optional `:` or `-`, optional spaces, then digits
/// whose value, leading zeros dropped, has 1 to 7 digits and is not 0.
/// `558`, `ORPHA:558`, `Orpha 558`, `ORPHA: 558` and `orphanet-00558` are
/// all 558.
pub fn parse_orpha(part: &str) -> Option<u32> {
    let lower = part.trim().to_lowercase();
    let rest = lower
        .strip_prefix("orphanet")
        .or_else(|| lower.strip_prefix("orpha"))
        .unwrap_or(&lower);
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('-'))
        .unwrap_or(rest)
        .trim_start();
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = rest.trim_start_matches('0');
    if significant.is_empty() || significant.len() > 7 {
        return None;
    }
    significant.parse().ok()
}

/// The French labels of ORPHA codes, from the user's nomenclature; a code
/// it lacks has no label (the report then writes `ORPHA:558`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrphaLabels {
    labels: BTreeMap<u32, String>,
}

impl OrphaLabels {
    /// The labels of a nomenclature (`ingest::read_orpha_labels`).
    pub fn new(labels: BTreeMap<u32, String>) -> Self {
        Self { labels }
    }

    /// The label of a code, when the nomenclature gives one.
    pub fn get(&self, code: u32) -> Option<&str> {
        self.labels.get(&code).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// How a diagnosis is written in the report: its label when the
/// nomenclature has one, else `ORPHA:558`.
pub fn orpha_name(code: u32, label: Option<&str>) -> String {
    match label {
        Some(label) => label.to_string(),
        None => format!("ORPHA:{code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_the_spec_reads_as_its_code() {
        for form in [
            "558",
            "ORPHA:558",
            "Orpha 558",
            "ORPHA: 558",
            "orphanet-00558",
            " orpha - 558 ",
            "ORPHANET:558",
            "0000000558",
            ":558",
        ] {
            assert_eq!(parse_orpha(form), Some(558), "{form:?}");
        }
        assert_eq!(parse_orpha("ORPHA:1234567"), Some(1_234_567));
        for bad in [
            "",
            "ORPHA:",
            "ORPHA:0",
            "000",
            "ORPHA:12345678",
            "558a",
            "ORPHA 55 8",
            "OMIM:558",
            "Marfan",
            "ORPHA::558",
            "-",
            "+558",
            "5.58",
        ] {
            assert_eq!(parse_orpha(bad), None, "{bad:?}");
        }
    }
}
