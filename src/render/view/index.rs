//! `index.html` of a run with several reports: each report's folder, its
//! scope and its headline figures, and its collective actions when the
//! export has them.

use serde::Serialize;

use super::key_figures::shown_value;
use super::HTML;
use crate::format;
use crate::indicators::Indicator;
use crate::reference::Scope;
use crate::secret::Published;

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

pub fn index_entry(published: &Published, scope: &Scope) -> IndexEntry {
    let mut figures: Vec<String> = Indicator::ALL
        .into_iter()
        .filter_map(|i| published.row(scope.code(), i))
        .map(|r| shown_value(published, r))
        .collect();
    let actions = published.actions();
    if actions.exported {
        let year = published.year();
        figures.push(format::int(actions.total(scope.code(), year).actions));
    }
    IndexEntry {
        folder: scope.code().to_string(),
        label: scope.label(published.teams()),
        figures,
    }
}

pub fn index<'a>(published: &Published, entries: &'a [IndexEntry]) -> IndexView<'a> {
    let secrecy = published.secrecy();
    IndexView {
        year: published.year(),
        restricted: !secrecy.enabled(),
        min_count: secrecy.enabled().then_some(secrecy.min_count),
        largest_masked: secrecy.enabled().then(|| secrecy.min_count - 1),
        masked: published.masked(),
        columns: Indicator::ALL
            .iter()
            .map(|i| i.short_label())
            .chain(
                published
                    .actions()
                    .exported
                    .then_some("Actions collectives"),
            )
            .collect(),
        html: HTML,
        entries,
    }
}
