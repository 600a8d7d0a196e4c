//! `index.html` of a run with several reports: each report's folder, its
//! scope and its headline figures, and its collective actions when the
//! export has them.

use serde::Serialize;

use super::key_figures::shown_value;
use super::HTML;
use crate::format;
use crate::indicators::Indicator;
use crate::secret::ScopeReport;

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

pub fn index<'a>(report: &ScopeReport, entries: &'a [IndexEntry]) -> IndexView<'a> {
    let secrecy = report.secrecy();
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
    }
}
