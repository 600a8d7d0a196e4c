//! Text normalisation shared by every stage (SPEC §2.1): header names,
//! categorical values and team names are all compared in this form.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, every run of characters other than a–z and
/// 0–9 turned into one space, trimmed: `"Lieu de vie (1)"` → `"lieu de vie 1"`.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        for lower in c.to_lowercase() {
            if lower.is_ascii_lowercase() || lower.is_ascii_digit() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(lower);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// The normalised markers that mean *not filled in* (SPEC §2.1).
const NOT_FILLED: [&str; 5] = ["nr", "non renseigne", "inconnu", "ne sait pas", "nsp"];

/// True when an already normalised cell means *not filled in*.
pub fn is_not_filled(normalized: &str) -> bool {
    normalized.is_empty() || NOT_FILLED.contains(&normalized)
}

/// True when a raw cell means *not filled in*. A cell with a digit cannot
/// be a marker (ids, dates, durations), so it is not normalised at all.
pub fn cell_is_not_filled(raw: &str) -> bool {
    if raw.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    is_not_filled(&normalize(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_accents_case_and_punctuation() {
        assert_eq!(normalize("Déficiences"), "deficiences");
        assert_eq!(normalize("  N° dossier "), "n dossier");
        assert_eq!(
            normalize("Date de l'intervention"),
            "date de l intervention"
        );
        assert_eq!(
            normalize("ÉTABLISSEMENT médico-social"),
            "etablissement medico social"
        );
        assert_eq!(normalize("visite_domicile"), "visite domicile");
        assert_eq!(normalize("---"), "");
    }

    #[test]
    fn recognises_not_filled_markers() {
        for raw in [
            "",
            "  ",
            "NR",
            "Non renseigné",
            "INCONNU",
            "ne sait pas",
            "Ne sait pas.",
            "nsp",
        ] {
            assert!(cell_is_not_filled(raw), "{raw:?}");
        }
        // Only the spec's markers: dotted abbreviations are values to report.
        for raw in ["non", "N.S.P.", "n/r"] {
            assert!(!cell_is_not_filled(raw), "{raw:?}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalised_text_is_plain_and_stable(text in "\\PC{0,40}") {
            let once = normalize(&text);
            prop_assert!(once.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
            prop_assert_eq!(normalize(&once), once);
        }
    }
}
