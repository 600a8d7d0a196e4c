//! The publication outputs of a report folder (SPEC §6 v3, "Publication
//! outputs"): what the websites post and print, from the folder's published
//! figures only (a [`ScopeReport`]), so every file shows the same masks.
//!
//! - `chiffres_cles.txt` and `.html`: the GNCHR's web text, "En 2024 ce
//!   sont notamment :" then one line per figure (this file);
//! - `chiffres_cles.svg`: the same figures as an A4 infographic
//!   (`infographic.rs`);
//! - `version_simplifiee.html`: the figures in short sentences of everyday
//!   words, a draft for a FALC group (`simplified.rs`);
//! - `datapackage.json`: the folder's CSVs described for open data
//!   (`datapackage.rs`).
//!
//! The list of these files, with their French descriptions for the
//! workbook's *À propos*, is [`super::outputs::PUBLICATION`].

mod datapackage;
mod infographic;
mod simplified;

use anyhow::Result;
use serde::Serialize;

use super::render_template;
use crate::format;
use crate::indicators::{Indicator, IndicatorRow};
use crate::reference::Teams;
use crate::secret::ScopeReport;

pub use datapackage::datapackage_json;
pub use infographic::chiffres_cles_svg;
pub use simplified::version_simplifiee_html;

/// One figure of the web text: its value and the words after it, as the
/// GNCHR writes them ("2 345" "personnes en situation de handicap rare
/// accompagnées par les ERHR et les CNRHR"), and for the one line that
/// does not start with its figure, the words before it ("1 personne
/// accompagnée cumule en moyenne" "4" "types d’accompagnements…").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebFigure {
    /// A stable name, for the HTML and the tests (the indicator's id).
    pub id: &'static str,
    /// The words before the figure, if any.
    pub lead: Option<String>,
    /// The figure: `2 345`, `63 %`, `23 jours`, `4`.
    pub value: String,
    /// The words that follow it.
    pub words: String,
    /// The words beside the figure on its own (the infographic's tile),
    /// for a line with a `lead`.
    pub alone: Option<String>,
}

impl WebFigure {
    /// The figure's line of the text.
    pub fn sentence(&self) -> String {
        match &self.lead {
            Some(lead) => format!("{lead} {} {}", self.value, self.words),
            None => format!("{} {}", self.value, self.words),
        }
    }

    /// The words beside the figure on its own.
    pub fn tile_words(&self) -> &str {
        self.alone.as_deref().unwrap_or(&self.words)
    }
}

/// The web text of a report folder: its opening line and its figures, in
/// the order the GNCHR publishes them.
#[derive(Debug, Clone, Serialize)]
pub struct KeyText {
    pub year: i32,
    /// The report's scope, as its title names it.
    pub scope_label: String,
    /// "En 2024 ce sont notamment :", or for a team "En 2024, l’ERHR
    /// Bretagne, ce sont notamment :".
    pub intro: String,
    pub figures: Vec<WebFigure>,
    /// `--min-count 1`: exact figures, not for publication.
    pub restricted: bool,
    /// The line that says so, when restricted.
    pub restricted_line: String,
}

impl KeyText {
    /// The text the websites post: the opening line, then one line per
    /// figure; UTF-8 with `\n` line ends and a final newline.
    pub fn text(&self) -> String {
        let mut lines = Vec::new();
        if self.restricted {
            lines.push(self.restricted_line.clone());
        }
        lines.push(self.intro.clone());
        lines.extend(self.figures.iter().map(WebFigure::sentence));
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// The line that opens every publication output under `--min-count 1`.
const RESTRICTED: &str = "Diffusion restreinte — secret statistique désactivé : ces chiffres exacts ne sont pas à publier.";

/// A team as the subject of a sentence: "l’ERHR Bretagne", "le CRESAM",
/// "La Pépinière" (a name that starts with its article keeps it).
pub fn team_subject(teams: &Teams, code: &str) -> String {
    subject(teams.get(code).map_or(code, |team| team.name.as_str()))
}

/// A team's name with its article.
fn subject(name: &str) -> String {
    let article = ["La ", "Le ", "Les ", "L’", "L'"];
    let first = name.chars().next().unwrap_or('x');
    if article.iter().any(|a| name.starts_with(a)) {
        name.to_string()
    } else if "AEIOUYÀÂÉÈÊËÎÏÔÛÜaeiouyéèêàâîôû".contains(first) {
        format!("l’{name}")
    } else {
        format!("le {name}")
    }
}

/// A team's name after « de »: "de l’ERHR Bretagne", "du CRESAM", "de La
/// Pépinière".
pub fn of_team(name: &str) -> String {
    let subject = subject(name);
    if let Some(rest) = subject.strip_prefix("le ") {
        format!("du {rest}")
    } else {
        format!("de {subject}")
    }
}

/// A figure whose line starts with it.
fn plain(id: &'static str, value: String, words: String) -> WebFigure {
    WebFigure {
        id,
        lead: None,
        value,
        words: format::typography(&words),
        alone: None,
    }
}

/// A count of the folder's own scope as published; none when secrecy
/// masks it.
fn count(report: &ScopeReport, indicator: Indicator) -> Option<u64> {
    let row = report.own_row(indicator)?;
    (!row.suppressed).then_some(row.numerator).flatten()
}

/// A rate of the folder's own scope as published, with its exact
/// numerator and denominator; none when secrecy masks it or its
/// denominator is empty (the export cannot give it).
fn rate(report: &ScopeReport, indicator: Indicator) -> Option<&IndicatorRow> {
    let row = report.own_row(indicator)?;
    match (row.suppressed, row.numerator, row.denominator) {
        (false, Some(_), Some(d)) if d > 0 => Some(row),
        _ => None,
    }
}

/// The rate as the report shows it: `63 %`, `< 1 %`.
fn shown_rate(row: &IndicatorRow) -> Option<String> {
    format::share(row.numerator?, row.denominator?)
}

/// `singular` for 0 and 1, `plural` from 2 (French: "0 personne").
fn plural<'a>(n: u64, singular: &'a str, plural: &'a str) -> &'a str {
    if n >= 2 {
        plural
    } else {
        singular
    }
}

/// The web text of a report folder (SPEC §6): the seven figures the GNCHR
/// publishes, then the later ones in the same voice; a figure secrecy
/// masks, or that the export cannot give, is left out.
pub fn key_text(report: &ScopeReport) -> KeyText {
    use Indicator::*;
    let year = report.year();
    let team = report
        .scope()
        .team()
        .map(|code| team_subject(report.teams(), code));
    let intro = match &team {
        None => format!("En {year} ce sont notamment :"),
        Some(subject) => format!("En {year}, {subject}, ce sont notamment :"),
    };
    let (by, asked) = match team {
        None => ("par les ERHR et les CNRHR", "le DIHR"),
        Some(_) => ("par l’équipe", "l’équipe"),
    };
    let mut figures = Vec::new();
    if let Some(n) = count(report, PersonnesAccompagnees) {
        let persons = plural(
            n,
            "personne en situation de handicap rare accompagnée",
            "personnes en situation de handicap rare accompagnées",
        );
        figures.push(plain(
            PersonnesAccompagnees.id(),
            format::int(n),
            format!("{persons} {by}"),
        ));
    }
    if let Some(n) = count(report, NouvellesPersonnes) {
        let persons = plural(
            n,
            "nouvelle personne qui a sollicité",
            "nouvelles personnes qui ont sollicité",
        );
        figures.push(plain(
            NouvellesPersonnes.id(),
            format::int(n),
            format!("{persons} {asked}"),
        ));
    }
    let rates = [
        (
            MaladieRareDiagnostiquee,
            "des personnes ont une maladie rare diagnostiquée",
        ),
        (VitADomicile, "des personnes vivent à domicile"),
        (
            AuMoinsUnTnd,
            "des personnes ont au moins un trouble du neurodéveloppement",
        ),
        (
            Enfants316Scolarises,
            "des enfants âgés de 3 à 16 ans sont scolarisés",
        ),
        (
            VisiteDomicileOuEtablissement,
            "des personnes ont bénéficié au moins d'une visite à domicile ou en établissement",
        ),
        (MoinsDe20Ans, "des personnes ont moins de 20 ans"),
    ];
    for (indicator, words) in rates {
        if let Some(shown) = rate(report, indicator).and_then(shown_rate) {
            figures.push(plain(indicator.id(), shown, words.to_string()));
        }
    }
    if let Some(n) = count(report, PersonnesSansSolution) {
        let words = plural(
            n,
            "personne est « sans solution »",
            "personnes sont « sans solution »",
        );
        figures.push(plain(
            PersonnesSansSolution.id(),
            format::int(n),
            words.to_string(),
        ));
    }
    // (v3) The associated disorders, a count over the persons whose field
    // is filled in, and the mean number of types of accompaniment, rounded
    // to the unit from its exact fraction (half up).
    if let Some(n) = rate(report, AuMoinsUnTroubleAssocie).and_then(|r| r.numerator) {
        let words = plural(
            n,
            "personne présente au moins un trouble associé",
            "personnes présentent au moins un trouble associé",
        );
        figures.push(plain(
            AuMoinsUnTroubleAssocie.id(),
            format::int(n),
            words.to_string(),
        ));
    }
    if let Some(row) = rate(report, TypesAccompagnementParPersonne) {
        if let (Some(n), Some(d)) = (row.numerator, row.denominator) {
            let mean = (2 * n + d) / (2 * d);
            // SPEC §6: "1 personne accompagnée cumule en moyenne 4 types
            // d'accompagnements médico-sociaux ou sanitaires"; the figure
            // is the 4.
            let types = plural(
                mean,
                "type d’accompagnement médico-social ou sanitaire",
                "types d’accompagnements médico-sociaux ou sanitaires",
            );
            figures.push(WebFigure {
                id: TypesAccompagnementParPersonne.id(),
                lead: Some("1 personne accompagnée cumule en moyenne".to_string()),
                value: format::int(mean),
                words: types.to_string(),
                alone: Some(format!("{types} en moyenne par personne accompagnée")),
            });
        }
    }
    if let Some(days) = report.delai(report.scope()).and_then(|d| d.delai_median) {
        let words = plural(days, "jour", "jours");
        figures.push(plain(
            "delai_median",
            format!("{} {words}", format::int(days)),
            "de délai médian entre la première demande et la première intervention".to_string(),
        ));
    }
    let actions = report.actions();
    if actions.exported {
        let total = actions.total(report.scope(), year);
        let mut words =
            plural(total.actions, "action collective", "actions collectives").to_string();
        if total.participants_renseignes > 0 {
            words.push_str(&format!(
                " auprès de {} {}",
                format::int(total.participants),
                plural(total.participants, "participant", "participants")
            ));
        }
        figures.push(plain(
            "actions_collectives",
            format::int(total.actions),
            words,
        ));
    }
    KeyText {
        year,
        scope_label: report.scope().label(report.teams()),
        intro: format::typography(&intro),
        figures,
        restricted: !report.secrecy().enabled(),
        restricted_line: format::typography(RESTRICTED),
    }
}

/// `chiffres_cles.txt`: the web text as the websites post it.
pub fn chiffres_cles_txt(report: &ScopeReport, _: &tera::Tera) -> Result<String> {
    Ok(key_text(report).text())
}

/// `chiffres_cles.html`: the same text as a whole accessible page
/// (template `chiffres_cles_web.html`).
pub fn chiffres_cles_html(report: &ScopeReport, tera: &tera::Tera) -> Result<String> {
    let text = key_text(report);
    render_template(tera, "chiffres_cles_web.html", &text)
}
