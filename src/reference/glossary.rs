//! The glossary (SPEC §6 item 12): every acronym the report's text may use,
//! with its French expansion, kept in `data/glossaire.csv` so that the
//! GNCHR can add one without touching code. The render stage marks each
//! acronym's first use with `<abbr title>` and lists those it met in the
//! *Glossaire* section; the tests check that every all-capitals word of
//! the report is here or is a team code.
//!
//! What a "word" is here: a run of letters and digits, several such runs
//! joined by hyphens making one token (`ERHR-BRE`, `SHA-256`,
//! `PACA-Corse`). A token whose parts are all capitals or digits, two of
//! them with letters, has the shape of a team code and is a name, not an
//! acronym; otherwise each part is a word of its own.

use std::sync::OnceLock;

use serde::Deserialize;

const GLOSSAIRE_CSV: &str = include_str!("data/glossaire.csv");

/// One acronym and its expansion.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Acronym {
    /// As written in the text, case included (`TND`, `CoP`).
    pub sigle: String,
    /// Its expansion in French (`Trouble du neurodéveloppement`).
    pub developpement: String,
}

/// The acronyms of `data/glossaire.csv`, in the file's order.
#[derive(Debug, Clone)]
pub struct Glossary {
    acronyms: Vec<Acronym>,
}

impl Glossary {
    /// The glossary shipped with the tool.
    pub fn builtin() -> &'static Glossary {
        static GLOSSARY: OnceLock<Glossary> = OnceLock::new();
        GLOSSARY.get_or_init(|| {
            let acronyms = csv::Reader::from_reader(GLOSSAIRE_CSV.as_bytes())
                .deserialize()
                .collect::<Result<Vec<Acronym>, _>>()
                .expect("the built-in glossary is valid (checked by its test)");
            Glossary { acronyms }
        })
    }

    /// The acronym written exactly so, if the glossary has it.
    pub fn get(&self, word: &str) -> Option<&Acronym> {
        self.acronyms.iter().find(|a| a.sigle == word)
    }

    pub fn acronyms(&self) -> &[Acronym] {
        &self.acronyms
    }
}

/// A word of running text, as the glossary sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// Where it starts in the text, in bytes.
    pub start: usize,
    pub text: &'a str,
}

/// The words of `text` that may be acronyms: each part of a token that
/// does not have the shape of a team code (see the module's comment).
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    for (start, token) in tokens(text) {
        if is_code(token) {
            continue;
        }
        let mut offset = 0;
        for part in token.split('-') {
            if !part.is_empty() {
                words.push(Word {
                    start: start + offset,
                    text: part,
                });
            }
            offset += part.len() + 1;
        }
    }
    words
}

/// Whether a word is written in capitals: letters only, at least two,
/// none of them lower case (`TND`, `ORPHA`; not `A`, not `CoP`, not an id
/// such as `AC000002`).
pub fn is_capitals(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().all(char::is_alphabetic)
        && !word.chars().any(char::is_lowercase)
}

/// The tokens of `text`: runs of letters and digits, joined by single
/// hyphens, with where each starts.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let joins = c == '-'
            && start.is_some()
            && chars.peek().is_some_and(|(_, next)| next.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            tokens.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        tokens.push((s, &text[s..]));
    }
    tokens
}

/// A team code's shape: capitals and digits in hyphen-joined parts, two
/// of them with letters (`ERHR-BRE`, `CNRHR-CRESAM`; not `SHA-256`).
fn is_code(token: &str) -> bool {
    let parts: Vec<&str> = token.split('-').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && !p.chars().any(char::is_lowercase))
        && parts
            .iter()
            .filter(|p| p.chars().any(char::is_alphabetic))
            .count()
            >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_glossary_is_sorted_unique_and_expanded() {
        let glossary = Glossary::builtin();
        let sigles: Vec<String> = glossary
            .acronyms()
            .iter()
            .map(|a| a.sigle.to_uppercase())
            .collect();
        let mut sorted = sigles.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sigles, sorted,
            "one line per acronym, in alphabetical order"
        );
        for acronym in glossary.acronyms() {
            assert!(!acronym.developpement.trim().is_empty(), "{acronym:?}");
            assert_eq!(
                acronym.developpement.trim(),
                acronym.developpement,
                "{acronym:?}"
            );
            assert!(
                !acronym.developpement.contains('\''),
                "French apostrophes: {acronym:?}"
            );
        }
        // SPEC §6 item 12 names these.
        for sigle in [
            "DIHR", "ERHR", "CNRHR", "GNCHR", "TND", "ESMS", "MDPH", "CASF", "ORPHA", "CoP", "IME",
            "SESSAD", "CAMSP", "MAS", "FAM", "EAM", "ESAT", "SAMSAH", "SAVS", "SSIAD", "SAAD",
            "PCPE", "HAD", "FALC", "RGAA",
        ] {
            assert!(glossary.get(sigle).is_some(), "{sigle}");
        }
    }

    #[test]
    fn team_codes_are_names_and_other_tokens_split_on_hyphens() {
        let text = "l’ERHR-BRE et le CNRHR-CRESAM, SHA-256, ERHR PACA-Corse (TND) d’ESMS";
        let found: Vec<&str> = words(text).iter().map(|w| w.text).collect();
        assert_eq!(
            found,
            ["l", "et", "le", "SHA", "256", "ERHR", "PACA", "Corse", "TND", "d", "ESMS"]
        );
        for word in words(text) {
            assert_eq!(&text[word.start..word.start + word.text.len()], word.text);
        }
        assert!(is_capitals("TND"));
        assert!(is_capitals("ÉTÉ"));
        assert!(!is_capitals("A"));
        assert!(!is_capitals("CoP"));
        assert!(!is_capitals("2A"));
        assert!(!is_capitals("256"));
        assert!(!is_capitals("AC000002"));
    }
}
