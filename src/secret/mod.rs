//! Stage 3b — statistical secrecy (SPEC §8). Runs after the indicators and
//! breakdowns, before anything is drawn or written, so that the HTML text,
//! tables, chart series and machine-readable files all show the same mask.
//!
//! Primary suppression masks every count from 1 to K−1. Secondary
//! suppression then looks at every line of a table whose total is
//! published: a line with exactly one masked cell would give it back by
//! subtraction, so its next smallest non-zero cell is masked too (or its
//! total, when no such cell is left), until no line has a single mask.
//!
//! Only counts of accompanied persons (and of their requests and
//! interventions) are masked. Collective actions (SPEC §4.4) count actions
//! and professionals reached: they go through `Published` unmasked, so that
//! the report writer keeps one input. *Not filled in* counts, row counts, findings
//! and fill rates are data-quality figures: they are published as they are
//! and are shown cells for secondary suppression (SPEC §8).

//! The stage boundary is a type: [`publish`] is the only way to build a
//! [`Published`] (its fields are private to this module), and `Published`
//! is the only input of the report's views, charts and written files
//! (`render::write_report`). A figure that has not been through secrecy
//! cannot reach a published file: the compiler refuses it.
//!
//! One file a job: `table.rs` (the algorithm on a table of counts),
//! `breakdowns.rs` (the tables of one scope and the rates they hold),
//! `rows.rs` (indicator rows).

mod breakdowns;
mod delais;
mod rows;
mod series;
mod table;

use std::collections::BTreeMap;

use crate::indicators::{
    ActionFigures, ActionRow, Breakdowns, DelaiRow, Indicator, IndicatorRow, SeriesYear,
    YearFigures,
};
use crate::reference::{Scope, Teams};
use crate::validate::{FileSummary, Finding};

/// The threshold K of `--min-count K`; K ≤ 1 turns secrecy off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secrecy {
    pub min_count: u64,
}

impl Secrecy {
    pub fn new(min_count: u64) -> Self {
        Self { min_count }
    }

    pub fn enabled(self) -> bool {
        self.min_count > 1
    }

    /// A count that primary suppression masks: 1 to K−1.
    pub fn is_small(self, count: u64) -> bool {
        self.enabled() && count >= 1 && count < self.min_count
    }

    /// How a masked count reads in French: `< 5`.
    pub fn label(self) -> String {
        format!("<\u{a0}{}", self.min_count)
    }

    /// A count as published: French digits, or `< K` when masked. Counts
    /// reach this point protected already: `None` is a masked count, and a
    /// small one left standing is a data-quality figure.
    pub fn show(self, count: Option<u64>) -> String {
        match count {
            Some(n) => crate::format::int(n),
            None => self.label(),
        }
    }
}

/// Everything a report run computed, before secrecy: the input of
/// [`publish`].
#[derive(Debug, Clone)]
pub struct Figures {
    pub year: i32,
    /// The year's indicator rows and response times of every scope active
    /// in it.
    pub current: YearFigures,
    /// The same for Y−1, when the export covers Y−1.
    pub previous: Option<YearFigures>,
    /// Every year from the series' first year A to Y (SPEC §4.3), the last
    /// one being `current`.
    pub series: Vec<SeriesYear>,
    /// One entry per report to write, national first.
    pub scopes: Vec<ScopeFigures>,
    /// What happened to the rows of each file (data quality).
    pub files: Vec<FileSummary>,
    /// First and last date of the kept acts (`AAAAMMJJ`).
    pub period: Option<(i32, i32)>,
    /// The referential, for the scopes' names.
    pub teams: Teams,
    /// Collective actions of Y and Y−1 (SPEC §4.4). They count actions
    /// and professionals, not accompanied persons: secrecy passes them
    /// through unmasked (SPEC §8).
    pub actions: ActionFigures,
}

/// The figures of one report: its scope's breakdowns and the findings its
/// *Qualité des données* shows.
#[derive(Debug, Clone)]
pub struct ScopeFigures {
    pub scope: Scope,
    pub breakdowns: Breakdowns,
    pub findings: Vec<Finding>,
}

/// The figures of a report run after statistical secrecy: every count of
/// persons from 1 to K−1 is `None` (masked), every cell that could give
/// one back by subtraction too. Built only by [`publish`]: outside this
/// module, its fields cannot be named, so this does not compile:
///
/// ```compile_fail,E0451
/// # use bilan::secret::{Figures, Published, Secrecy};
/// fn sneak(figures: Figures) -> Published {
///     Published { figures, secrecy: Secrecy::new(1) }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Published {
    figures: Figures,
    secrecy: Secrecy,
}

/// Applies statistical secrecy to all the figures of a run at once: the
/// breakdowns of each scope, then the indicator rows (a rate goes when its
/// table shows a mask on it), then the rows of Y−1.
pub fn publish(mut figures: Figures, secrecy: Secrecy) -> Published {
    let figure = |rows: &[IndicatorRow], scope: &Scope, indicator: Indicator| {
        rows.iter()
            .find(|r| r.scope == scope.code() && r.indicator == indicator)
            .and_then(|r| r.numerator)
            .unwrap_or(0)
    };
    let mut linked = BTreeMap::new();
    for report in &mut figures.scopes {
        let active = figure(
            &figures.current.rows,
            &report.scope,
            Indicator::PersonnesAccompagnees,
        );
        let tnd = figure(
            &figures.current.rows,
            &report.scope,
            Indicator::AuMoinsUnTnd,
        );
        let rates = breakdowns::protect_breakdowns(&mut report.breakdowns, active, tnd, secrecy);
        linked.insert(report.scope.code().to_string(), rates);
    }
    rows::protect_rows(&mut figures.current.rows, secrecy, |scope| {
        linked.get(scope).copied().unwrap_or_default()
    });
    delais::protect_delais(&mut figures.current.delais, secrecy);
    figures.previous = figures
        .previous
        .map(|previous| publish_year(previous, secrecy));
    for year in &mut figures.series {
        year.figures = if year.figures.year == figures.year {
            figures.current.clone()
        } else {
            publish_year(year.figures.clone(), secrecy)
        };
    }
    series::protect_cumulated(&mut figures.series, secrecy);
    Published { figures, secrecy }
}

/// A year's figures as `bilan indicators --min-count K` prints them: the
/// same rules as the report's rows and response times, without the tables
/// behind the rows.
pub fn publish_year(mut figures: YearFigures, secrecy: Secrecy) -> YearFigures {
    rows::protect_rows(&mut figures.rows, secrecy, |_| Default::default());
    delais::protect_delais(&mut figures.delais, secrecy);
    figures
}

impl Published {
    pub fn year(&self) -> i32 {
        self.figures.year
    }

    pub fn secrecy(&self) -> Secrecy {
        self.secrecy
    }

    /// The year's rows of every scope.
    pub fn rows(&self) -> &[IndicatorRow] {
        &self.figures.current.rows
    }

    /// The year's response times of every scope.
    pub fn delais(&self) -> &[DelaiRow] {
        &self.figures.current.delais
    }

    /// The rows a scope's folder publishes: the national folder every
    /// scope's, a team's folder its own.
    pub fn rows_of(&self, scope: &Scope) -> Vec<IndicatorRow> {
        of_scope(self.rows(), scope, |r| &r.scope)
    }

    /// The response times a scope's folder publishes, as [`Self::rows_of`].
    pub fn delais_of(&self, scope: &Scope) -> Vec<DelaiRow> {
        of_scope(self.delais(), scope, |d| &d.scope)
    }

    /// One row of the year.
    pub fn row(&self, scope: &str, indicator: Indicator) -> Option<&IndicatorRow> {
        find_row(self.rows(), scope, indicator)
    }

    /// One row of Y−1, when the export covers Y−1.
    pub fn previous_row(&self, scope: &str, indicator: Indicator) -> Option<&IndicatorRow> {
        find_row(&self.figures.previous.as_ref()?.rows, scope, indicator)
    }

    /// A scope's response times of the year.
    pub fn delai(&self, scope: &str) -> Option<&DelaiRow> {
        self.delais().iter().find(|d| d.scope == scope)
    }

    /// A scope's response times of Y−1, when the export covers Y−1.
    pub fn previous_delai(&self, scope: &str) -> Option<&DelaiRow> {
        let previous = self.figures.previous.as_ref()?;
        previous.delais.iter().find(|d| d.scope == scope)
    }

    /// The years of the series, A to Y, as published.
    pub fn series(&self) -> &[SeriesYear] {
        &self.figures.series
    }

    pub fn has_previous(&self) -> bool {
        self.figures.previous.is_some()
    }

    /// The reports of the run, national first.
    pub fn scopes(&self) -> &[ScopeFigures] {
        &self.figures.scopes
    }

    pub fn files(&self) -> &[FileSummary] {
        &self.figures.files
    }

    pub fn period(&self) -> Option<(i32, i32)> {
        self.figures.period
    }

    pub fn teams(&self) -> &Teams {
        &self.figures.teams
    }

    /// Collective actions of Y and Y−1, every scope (not masked: SPEC §8).
    pub fn actions(&self) -> &ActionFigures {
        &self.figures.actions
    }

    /// The year's collective actions a scope's folder publishes: the
    /// national folder every scope's, a team's folder its own.
    pub fn actions_of(&self, scope: &Scope) -> ActionFigures {
        let year = self.figures.year;
        let actions = &self.figures.actions;
        let keep = |rows: &[ActionRow]| -> Vec<ActionRow> {
            rows.iter()
                .filter(|r| r.year == year && (scope.is_national() || r.scope == scope.code()))
                .cloned()
                .collect()
        };
        ActionFigures {
            exported: actions.exported,
            by_type: keep(&actions.by_type),
            by_public: keep(&actions.by_public),
        }
    }

    /// How a masked count reads: `< 5`.
    pub fn masked(&self) -> String {
        self.secrecy.label()
    }

    /// A published count: French digits, or `< K` when masked.
    pub fn show(&self, count: Option<u64>) -> String {
        self.secrecy.show(count)
    }
}

/// The items of a scope's folder: all of them for the national scope.
fn of_scope<T: Clone>(items: &[T], scope: &Scope, scope_of: impl Fn(&T) -> &String) -> Vec<T> {
    match scope {
        Scope::National => items.to_vec(),
        Scope::Team(code) => items
            .iter()
            .filter(|item| scope_of(item) == code)
            .cloned()
            .collect(),
    }
}

fn find_row<'a>(
    rows: &'a [IndicatorRow],
    scope: &str,
    indicator: Indicator,
) -> Option<&'a IndicatorRow> {
    rows.iter()
        .find(|r| r.scope == scope && r.indicator == indicator)
}
