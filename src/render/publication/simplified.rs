//! `version_simplifiee.html` (SPEC §6): the key figures as short sentences
//! of one idea each, in everyday words, one sentence a line, a rate said in
//! words by SPEC §6's table ("environ 1 personne sur 3"). A draft: its first
//! line says that a FALC group must read and validate it before it is
//! published (a text is *facile à lire et à comprendre* only once persons
//! with an intellectual disability have validated it; the tool never
//! applies the FALC logo). A figure secrecy masks, or that the export
//! cannot give, has no sentence.

use anyhow::Result;
use serde::Serialize;

use super::{count, plural, rate, team_subject};
use crate::format;
use crate::indicators::{Indicator, IndicatorRow};
use crate::secret::ScopeReport;

/// The draft's first line (SPEC §6).
const DRAFT: &str =
    "Brouillon : ce texte doit être relu et validé par un groupe FALC avant d'être publié.";

/// Who a rate is about: its words change with the noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Personnes,
    Enfants,
}

/// A rate said in words: the subject of a sentence, whether its verb is
/// plural ("environ 1 personne sur 3 a", "la plupart des personnes ont"),
/// and whether it says none ("aucune personne n’a").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateWords {
    pub words: String,
    pub plural: bool,
    pub none: bool,
}

impl RateWords {
    /// `singular` or `plural` as the subject asks, negated after "aucune".
    fn verb(&self, singular: &str, plural: &str) -> String {
        match (self.none, self.plural) {
            (true, _) => negated(singular),
            (false, true) => plural.to_string(),
            (false, false) => singular.to_string(),
        }
    }
}

/// A verb with the "ne" that "aucun" asks for: "n’a", "ne vit".
fn negated(verb: &str) -> String {
    if verb.starts_with(['a', 'e', 'é', 'i', 'o', 'u']) {
        format!("n’{verb}")
    } else {
        format!("ne {verb}")
    }
}

/// A rate said in words, by SPEC §6's table on the rate rounded as in the
/// report; "aucune personne" when none has it and "toutes les personnes"
/// when all have it, where the table's "très peu" and "presque toutes"
/// would not be true.
pub fn rate_words(numerator: u64, denominator: u64, noun: Noun) -> RateWords {
    let (one, many, some, all_of, none) = match noun {
        Noun::Personnes => (
            "personne",
            "personnes",
            "de personnes",
            "toutes les personnes",
            "aucune personne",
        ),
        Noun::Enfants => (
            "enfant",
            "enfants",
            "d’enfants",
            "tous les enfants",
            "aucun enfant",
        ),
    };
    let of = format!("des {many}");
    let words = |text: String, plural: bool| RateWords {
        words: text,
        plural,
        none: false,
    };
    if numerator == 0 {
        return RateWords {
            words: none.to_string(),
            plural: false,
            none: true,
        };
    }
    if numerator == denominator {
        return words(all_of.to_string(), true);
    }
    match format::round_percent(numerator, denominator) {
        0..=4 => words(format!("très peu {some}"), true),
        5..=14 => words(format!("environ 1 {one} sur 10"), false),
        15..=22 => words(format!("environ 1 {one} sur 5"), false),
        23..=29 => words(format!("environ 1 {one} sur 4"), false),
        30..=40 => words(format!("environ 1 {one} sur 3"), false),
        41..=49 => words(format!("presque la moitié {of}"), true),
        50 => words(format!("la moitié {of}"), true),
        51..=59 => words(format!("plus de la moitié {of}"), true),
        60..=70 => words(format!("environ 2 {many} sur 3"), true),
        71..=80 => words(format!("environ 3 {many} sur 4"), true),
        81..=94 => words(format!("la plupart {of}"), true),
        _ => words(format!("presque {all_of}"), true),
    }
}

/// The page's view (template `version_simplifiee.html`).
#[derive(Debug, Clone, Serialize)]
struct SimplifiedView {
    year: i32,
    /// "Le bilan 2024 des équipes handicaps rares", or of one team.
    title: String,
    draft: String,
    sentences: Vec<String>,
    restricted: bool,
    restricted_line: String,
}

/// The sentences of the simplified version, in the order a reader meets
/// the figures: who was accompanied and their age, who came for the first
/// time, their lives, the help they received.
pub fn sentences(report: &ScopeReport) -> Vec<String> {
    use Indicator::*;
    let year = report.year();
    let team = report
        .scope()
        .team()
        .map(|code| team_subject(report.teams(), code));
    // Who did it: named in the first sentence, then "les équipes" or
    // "l’équipe".
    let (named, teams, did) = match &team {
        None => ("les équipes".to_string(), "les équipes", "ont"),
        Some(subject) => (subject.clone(), "l’équipe", "a"),
    };
    let words = |row: &IndicatorRow, noun: Noun| {
        rate_words(
            row.numerator.unwrap_or(0),
            row.denominator.unwrap_or(0),
            noun,
        )
    };
    let mut sentences = Vec::new();
    if let Some(n) = count(report, PersonnesAccompagnees) {
        sentences.push(format!(
            "En {year}, {named} {did} accompagné {} {}.",
            format::int(n),
            plural(n, "personne", "personnes")
        ));
    }
    if let Some(row) = rate(report, MoinsDe20Ans) {
        let r = words(row, Noun::Personnes);
        sentences.push(format!(
            "{} {} moins de 20 ans.",
            r.words,
            r.verb("a", "ont")
        ));
    }
    if let Some(n) = count(report, NouvellesPersonnes) {
        sentences.push(format!(
            "{} {} demandé de l’aide pour la première fois.",
            format::int(n),
            plural(n, "personne a", "personnes ont")
        ));
    }
    if let Some(row) = rate(report, VitADomicile) {
        let r = words(row, Noun::Personnes);
        sentences.push(format!(
            "{} {} à la maison.",
            r.words,
            r.verb("vit", "vivent")
        ));
    }
    if let Some(row) = rate(report, Enfants316Scolarises) {
        let r = words(row, Noun::Enfants);
        sentences.push(format!(
            "Entre 3 et 16 ans, {} {} à l’école.",
            r.words,
            r.verb("va", "vont")
        ));
    }
    if let Some(row) = rate(report, MaladieRareDiagnostiquee) {
        let r = words(row, Noun::Personnes);
        sentences.push(format!(
            "{} {} une maladie rare connue des médecins.",
            r.words,
            r.verb("a", "ont")
        ));
    }
    if let Some(row) = rate(report, AuMoinsUnTnd) {
        let r = words(row, Noun::Personnes);
        sentences.push(format!(
            "{} {} un trouble du développement du cerveau, comme l’autisme.",
            r.words,
            r.verb("a", "ont")
        ));
    }
    if let Some(n) = count(report, PersonnesSansSolution) {
        sentences.push(format!(
            "{} {} pas d’accompagnement adapté à {} besoins.",
            format::int(n),
            plural(n, "personne n’a", "personnes n’ont"),
            plural(n, "ses", "leurs")
        ));
    }
    if let Some(row) = rate(report, VisiteDomicileOuEtablissement) {
        let r = words(row, Noun::Personnes);
        let did = if r.none {
            negated(did)
        } else {
            did.to_string()
        };
        sentences.push(format!("{teams} {did} rendu visite à {}.", r.words));
    }
    // TODO(#25): the associated disorders and the types of accompaniment
    // ("1 643 personnes ont aussi d’autres troubles.") once the catalog
    // has them.
    if let Some(days) = report.delai(report.scope()).and_then(|d| d.delai_median) {
        let wait = match days {
            0 => "le jour même".to_string(),
            days => format!("en {} ou moins", format::days(days)),
        };
        sentences.push(format!(
            "La moitié des nouvelles personnes qui ont eu une réponse l’ont eue {wait}."
        ));
    }
    let actions = report.actions();
    if actions.exported {
        let total = actions.total(report.scope(), year);
        sentences.push(format!(
            "{teams} {did} fait {} pour des groupes, comme des formations.",
            match total.actions {
                0 => "aucune action".to_string(),
                1 => "1 action".to_string(),
                n => format!("{} actions", format::int(n)),
            }
        ));
        if total.participants_renseignes > 0 && total.actions > 0 {
            sentences.push(format!(
                "{} {}.",
                plural(
                    total.actions,
                    "Cette action a réuni",
                    "Ces actions ont réuni"
                ),
                match total.participants {
                    1 => "1 participant".to_string(),
                    n => format!("{} participants", format::int(n)),
                }
            ));
        }
    }
    sentences
        .into_iter()
        .map(|s| format::typography(&capitalised(&s)))
        .collect()
}

/// The sentence with its first letter in capitals.
fn capitalised(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `version_simplifiee.html`.
pub fn version_simplifiee_html(report: &ScopeReport, tera: &tera::Tera) -> Result<String> {
    let year = report.year();
    let title = match report.scope().team() {
        None => format!("Le bilan {year} des équipes handicaps rares"),
        Some(code) => format!("Le bilan {year} de {}", team_subject(report.teams(), code)),
    };
    let view = SimplifiedView {
        year,
        title: format::typography(&title),
        draft: format::typography(DRAFT),
        sentences: sentences(report),
        restricted: !report.secrecy().enabled(),
        restricted_line: format::typography(super::RESTRICTED),
    };
    super::render_template(tera, "version_simplifiee.html", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC §6's table, on the rate rounded half away from zero.
    #[test]
    fn rates_are_said_in_words_by_the_spec_table() {
        let said = |percent: u64| rate_words(percent, 100, Noun::Personnes).words;
        let table = [
            (1, "très peu de personnes"),
            (4, "très peu de personnes"),
            (5, "environ 1 personne sur 10"),
            (14, "environ 1 personne sur 10"),
            (15, "environ 1 personne sur 5"),
            (22, "environ 1 personne sur 5"),
            (23, "environ 1 personne sur 4"),
            (29, "environ 1 personne sur 4"),
            (30, "environ 1 personne sur 3"),
            (40, "environ 1 personne sur 3"),
            (41, "presque la moitié des personnes"),
            (49, "presque la moitié des personnes"),
            (50, "la moitié des personnes"),
            (51, "plus de la moitié des personnes"),
            (59, "plus de la moitié des personnes"),
            (60, "environ 2 personnes sur 3"),
            (70, "environ 2 personnes sur 3"),
            (71, "environ 3 personnes sur 4"),
            (80, "environ 3 personnes sur 4"),
            (81, "la plupart des personnes"),
            (94, "la plupart des personnes"),
            (95, "presque toutes les personnes"),
            (99, "presque toutes les personnes"),
        ];
        for (percent, words) in table {
            assert_eq!(said(percent), words, "{percent} %");
        }
        // Rounded as in the report: 4,5 % is 5 %, 14,4 % is 14 %, 99,6 % is
        // "presque toutes", never "toutes".
        assert_eq!(
            rate_words(9, 200, Noun::Personnes).words,
            "environ 1 personne sur 10"
        );
        assert_eq!(
            rate_words(144, 1000, Noun::Personnes).words,
            "environ 1 personne sur 10"
        );
        assert_eq!(
            rate_words(996, 1000, Noun::Personnes).words,
            "presque toutes les personnes"
        );
        assert_eq!(
            rate_words(1, 1000, Noun::Personnes).words,
            "très peu de personnes"
        );
        // The ends of the scale, where the table's words would be false.
        let none = rate_words(0, 40, Noun::Personnes);
        assert_eq!(none.words, "aucune personne");
        assert_eq!(none.verb("a", "ont"), "n’a");
        assert_eq!(none.verb("vit", "vivent"), "ne vit");
        assert_eq!(negated("ont"), "n’ont");
        assert_eq!(
            rate_words(40, 40, Noun::Personnes).words,
            "toutes les personnes"
        );
        // Children, and the verb's number.
        let children = rate_words(59, 100, Noun::Enfants);
        assert_eq!(children.words, "plus de la moitié des enfants");
        assert!(children.plural);
        assert_eq!(
            rate_words(97, 100, Noun::Enfants).words,
            "presque tous les enfants"
        );
        assert_eq!(
            rate_words(3, 100, Noun::Enfants).words,
            "très peu d’enfants"
        );
        assert!(!rate_words(35, 100, Noun::Personnes).plural);
    }

    #[test]
    fn sentences_start_with_a_capital() {
        assert_eq!(capitalised("environ 1 personne"), "Environ 1 personne");
        assert_eq!(capitalised("élan"), "Élan");
        assert_eq!(capitalised(""), "");
    }
}
