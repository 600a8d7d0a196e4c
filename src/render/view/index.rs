//! `index.html` of a run with several reports: each report's folder, its
//! scope and its headline figures, and its collective actions when the
//! export has them; then the teams active in the year without a report of
//! their own (fewer than K persons, or a code outside the referential to
//! correct).

use serde::Serialize;

use super::key_figures::shown_value;
use super::HTML;
use crate::format;
use crate::indicators::Indicator;
use crate::reference::Scope;
use crate::secret::{ScopeReport, Withheld};

/// One line of `index.html`: the folder, the scope's name, its headline figures.
#[derive(Serialize)]
pub struct IndexEntry {
    folder: String,
    label: String,
    figures: Vec<String>,
}

/// What `index.html` shows (template `index.html`).
#[derive(Serialize)]
pub struct IndexView<'a> {
    year: i32,
    restricted: bool,
    min_count: Option<u64>,
    /// The largest masked count, K−1.
    largest_masked: Option<u64>,
    masked: String,
    columns: Vec<&'static str>,
    html: &'static str,
    entries: &'a [IndexEntry],
    withheld: Vec<WithheldEntry>,
}

/// A team active in the year without a report of its own.
#[derive(Serialize)]
pub struct WithheldEntry {
    label: String,
    why: String,
}

pub fn index_entry(report: &ScopeReport) -> IndexEntry {
    let scope = report.scope();
    let mut figures: Vec<String> = Indicator::ALL
        .into_iter()
        .filter_map(|i| report.own_row(i))
        .map(|r| shown_value(report.secrecy(), r))
        .collect();
    let actions = report.actions();
    if actions.exported {
        let year = report.year();
        figures.push(format::int(actions.total(scope, year).actions));
    }
    IndexEntry {
        folder: scope.code().to_string(),
        label: scope.label(report.teams()),
        figures,
    }
}

pub fn index<'a>(
    report: &ScopeReport,
    entries: &'a [IndexEntry],
    withheld: &[(Scope, Withheld)],
) -> IndexView<'a> {
    let secrecy = report.secrecy();
    let withheld = withheld
        .iter()
        .map(|(scope, why)| WithheldEntry {
            label: scope.name(report.teams()),
            why: match why {
                Withheld::FewPersons => format!(
                    "moins de {} personnes accompagnées : pas de rapport (secret statistique)",
                    secrecy.min_count
                ),
                Withheld::OutsideReferential => {
                    "code d’équipe absent du référentiel : à corriger dans l’export (ses lignes comptent au niveau national)".to_string()
                }
            },
        })
        .collect();
    IndexView {
        year: report.year(),
        restricted: !secrecy.enabled(),
        min_count: secrecy.enabled().then_some(secrecy.min_count),
        largest_masked: secrecy.enabled().then(|| secrecy.min_count - 1),
        masked: report.masked(),
        columns: Indicator::ALL
            .iter()
            .map(|i| i.short_label())
            .chain(report.actions().exported.then_some("Actions collectives"))
            .collect(),
        html: HTML,
        entries,
        withheld,
    }
}
