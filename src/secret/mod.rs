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
//! [`Published`] and its [`ScopeReport`]s (their fields are private to
//! this module), and a `ScopeReport` is the only input of a report's
//! views, charts and written files (`render::write_report`). A figure that
//! has not been through secrecy cannot reach a published file: the
//! compiler refuses it.
//!
//! One file a job: `suppression.rs` (the algorithm on a table of
//! counts), `tables.rs` (the tables of one scope and the rates they hold),
//! `rows.rs` (indicator rows).

mod delais;
mod profile;
mod rows;
mod series;
mod suppression;
mod tables;

use tables::TableMasks;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::indicators::{
    ActionFigures, CategoryRow, DelaiRow, DiagnosticRow, FrequentDiagnosis, Indicator,
    IndicatorRow, Mask, Network, SeriesYear, Tables, YearFigures,
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

    /// (v3) Whether a scope's persons in a year are too few for its tables
    /// and rates to be published (fewer than 3K: [`Mask::Withheld`]). With
    /// a few persons in a table's many cells, secondary suppression has
    /// nothing left to mask and the masked cells add up to the published
    /// persons, so that each is pinned (`docs/secrecy.md`): showing less
    /// beats masking everything.
    /// A scope without any person is not thin: it has nothing to show.
    pub fn is_thin(self, persons: u64) -> bool {
        self.enabled() && persons > 0 && persons < self.thin_below()
    }

    /// The persons a scope needs for its tables and rates: 3K.
    pub fn thin_below(self) -> u64 {
        THIN_TIMES_K * self.min_count
    }

    /// How a masked count reads in French: `< 5`.
    pub fn label(self) -> String {
        format!("<\u{a0}{}", self.min_count)
    }

    /// A count as published: French digits, `< K` for a count masked for
    /// being small, `s` for one masked to protect another (SPEC §8).
    pub fn show(self, count: Shown) -> String {
        match count {
            Shown::Value(n) => crate::format::int(n),
            Shown::Masked(Mask::Small) => self.label(),
            Shown::Masked(Mask::Protecting) => PROTECTING.to_string(),
            Shown::Masked(Mask::Withheld) => WITHHELD.to_string(),
        }
    }

    /// What `< K` and `s` mean, for the note under a table, a chart or a
    /// sentence that has a masked cell.
    pub fn legend(self) -> String {
        format!(
            "{} : effectif de 1 à {} personnes, masqué (secret statistique) ; {PROTECTING} : masqué pour qu’un petit effectif voisin ne puisse pas être déduit ; {WITHHELD} : non diffusé (moins de {} personnes dans l’année, ou un tableau dont un petit effectif se déduirait malgré les masques).",
            self.label(),
            self.min_count - 1,
            self.thin_below()
        )
    }
}

/// How a count masked to protect another reads (SPEC §8).
pub const PROTECTING: &str = "s";

/// How a figure of a scope of too few persons reads ([`Mask::Withheld`]).
pub const WITHHELD: &str = "nd";

/// A scope of fewer than this many times K persons is *thin*
/// ([`Secrecy::is_thin`]).
const THIN_TIMES_K: u64 = 3;

/// A published count as a reader sees it: its value, or why it is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Value(u64),
    Masked(Mask),
}

impl Shown {
    /// A figure as secrecy left it: its value, or its mask (a `None`
    /// without a mask is one masked with another: `s`).
    pub fn of(count: Option<u64>, mask: Option<Mask>) -> Self {
        match count {
            Some(n) => Shown::Value(n),
            None => Shown::Masked(mask.unwrap_or(Mask::Protecting)),
        }
    }

    /// A count never masked (acts, data-quality counts).
    pub fn value(self) -> Option<u64> {
        match self {
            Shown::Value(n) => Some(n),
            Shown::Masked(_) => None,
        }
    }

    pub fn is_masked(self) -> bool {
        matches!(self, Shown::Masked(_))
    }
}

impl From<u64> for Shown {
    fn from(value: u64) -> Self {
        Shown::Value(value)
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
    /// In a run of teams only (`--team`), the national tables, never
    /// written: the teams' tables are protected knowing them, as in a run
    /// that writes the national report (SPEC §8 "Against an intruder").
    pub national_tables: Option<Tables>,
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

/// The figures of one report: its scope's tables and the findings its
/// *Qualité des données* shows.
#[derive(Debug, Clone)]
pub struct ScopeFigures {
    pub scope: Scope,
    pub tables: Tables,
    pub findings: Vec<Finding>,
}

/// What every report of a run shares, as published: the year's figures of
/// every scope, Y−1's, the series, the collective actions, the export's
/// files.
#[derive(Debug)]
struct Run {
    year: i32,
    secrecy: Secrecy,
    current: YearFigures,
    previous: Option<YearFigures>,
    series: Vec<SeriesYear>,
    files: Vec<FileSummary>,
    period: Option<(i32, i32)>,
    teams: Teams,
    actions: ActionFigures,
}

/// The figures of a report run after statistical secrecy: every count of
/// persons from 1 to K−1 is `None` (masked), every cell that could give
/// one back by subtraction too. Built only by [`publish`]: outside this
/// module, its fields cannot be named, so this does not compile:
///
/// ```compile_fail,E0451
/// # use bilan::secret::{Published, ScopeReport};
/// fn sneak(reports: Vec<ScopeReport>) -> Published {
///     Published { reports, withheld: Vec::new() }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Published {
    reports: Vec<ScopeReport>,
    withheld: Vec<(Scope, Withheld)>,
}

/// Why a team active in the year has no report of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// Fewer than K persons in the year (SPEC §8): its figures appear only
    /// masked in the national tables.
    FewPersons,
    /// A code outside the team referential, to be corrected (SPEC §6).
    OutsideReferential,
}

/// One report folder's published figures — the only input of `render`:
/// its scope's tables and findings (personal values already masked), and
/// the run's figures it shows, queried by [`Scope`].
#[derive(Debug, Clone)]
pub struct ScopeReport {
    run: Arc<Run>,
    scope: Scope,
    tables: Tables,
    findings: Vec<PublishedFinding>,
}

/// A finding as published: a value that is personal data reads
/// `(masquée)`. Built only by [`publish`].
#[derive(Debug, Clone)]
pub struct PublishedFinding(Finding);

impl std::ops::Deref for PublishedFinding {
    type Target = Finding;

    fn deref(&self) -> &Finding {
        &self.0
    }
}

/// What a published output shows instead of a value that is personal data.
const MASKED_VALUE: &str = "(masquée)";

impl PublishedFinding {
    fn of(mut finding: Finding) -> Self {
        if finding.sensitive && finding.value.is_some() {
            finding.value = Some(MASKED_VALUE.to_string());
        }
        Self(finding)
    }

    /// The value as published (empty for none).
    pub fn shown_value(&self) -> &str {
        self.0.value.as_deref().unwrap_or("")
    }
}

/// Applies statistical secrecy to all the figures of a run at once: the
/// tables of each scope, then the indicator rows (a rate goes when its
/// table shows a mask on it), then the rows of Y−1 and of the series.
pub fn publish(mut figures: Figures, secrecy: Secrecy) -> Published {
    let rows = &figures.current.rows;
    // A numerator of a scope's row of the year (0 when it has none).
    let figure_of = |scope: &Scope, indicator: Indicator| {
        rows.iter()
            .find(|r| r.scope == *scope && r.indicator == indicator)
            .and_then(|r| r.numerator)
            .unwrap_or(0)
    };
    // A team of fewer than K persons, or outside the referential, has no
    // report of its own (SPEC §6, §8) — whether this run writes the teams'
    // reports or not, so that the national report is the same.
    let withheld_of = |scope: &Scope| match scope {
        Scope::National => None,
        Scope::Team(code) if figures.teams.get(code).is_none() => {
            Some(Withheld::OutsideReferential)
        }
        scope if secrecy.is_small(figure_of(scope, Indicator::PersonnesAccompagnees)) => {
            Some(Withheld::FewPersons)
        }
        Scope::Team(_) => None,
    };
    let withheld: Vec<(Scope, Withheld)> = figures
        .scopes
        .iter()
        .filter_map(|report| Some((report.scope.clone(), withheld_of(&report.scope)?)))
        .collect();
    let withheld_codes: BTreeSet<String> = figures
        .current
        .rows
        .iter()
        .filter(|r| r.indicator == Indicator::PersonnesAccompagnees)
        .filter_map(|r| match &r.scope {
            Scope::Team(code) if withheld_of(&r.scope).is_some() => Some(code.clone()),
            _ => None,
        })
        .collect();
    let mut linked: BTreeMap<Scope, TableMasks> = BTreeMap::new();
    let protect = |scope: &Scope, tables: &mut Tables, national: Option<&Tables>| {
        if scope.is_national() {
            tables::merge_others(tables, &withheld_codes);
        }
        let national_figure = |indicator| figure_of(&Scope::National, indicator);
        let national = national.map(|tables| tables::National {
            tables,
            figure: &national_figure,
        });
        tables::protect_tables(
            tables,
            |indicator| figure_of(scope, indicator),
            national,
            secrecy,
        )
    };
    // The national tables first: a team's cell is at most the national
    // one, which the teams' secondary suppression takes into account —
    // in a run of teams only too (`--team`), whose national tables are
    // protected for that and not written.
    let mut national: Option<Tables> = figures.national_tables.take().map(|mut tables| {
        protect(&Scope::National, &mut tables, None);
        tables
    });
    for national_first in [true, false] {
        for report in &mut figures.scopes {
            if report.scope.is_national() != national_first {
                continue;
            }
            let masks = protect(&report.scope, &mut report.tables, national.as_ref());
            if national_first {
                national = Some(report.tables.clone());
            }
            linked.insert(report.scope.clone(), masks);
        }
    }
    figures
        .scopes
        .retain(|report| !withheld.iter().any(|(scope, _)| *scope == report.scope));
    // A team without a report has no row of its own among the demandes
    // by addressee either: its demandes are in the national row less the
    // teams', as in « Autres » of the tables of acts by team (decision
    // 146), not beside it.
    figures
        .current
        .network
        .referrals
        .retain(|r| !matches!(&r.scope, Scope::Team(code) if withheld_codes.contains(code)));
    // (v3) The categories, diagnoses and network, from the rows before
    // secrecy; the reports' demandes by origin take the referrals' masks,
    // their persons followed by other teams the network's.
    profile::protect_year(&mut figures.current, secrecy);
    for report in &mut figures.scopes {
        for table in &mut report.tables.tables {
            profile::mask_origins(table, &figures.current.network.referrals, &report.scope);
            profile::mask_pairs(table, &figures.current.network, &report.scope);
        }
    }
    rows::protect_rows(&mut figures.current.rows, secrecy, |scope| {
        linked.get(scope)
    });
    delais::protect_delais(&mut figures.current.delais, &figures.current.rows, secrecy);
    let previous = figures
        .previous
        .map(|previous| publish_year(previous, secrecy));
    let current = figures.current;
    for year in &mut figures.series {
        year.figures = if year.figures.year == figures.year {
            current.clone()
        } else {
            publish_year(year.figures.clone(), secrecy)
        };
    }
    series::protect_cumulated(&mut figures.series, secrecy);
    let run = Arc::new(Run {
        year: figures.year,
        secrecy,
        current,
        previous,
        series: figures.series,
        files: figures.files,
        period: figures.period,
        teams: figures.teams,
        actions: figures.actions,
    });
    let reports = figures
        .scopes
        .into_iter()
        .map(|report| ScopeReport {
            run: Arc::clone(&run),
            scope: report.scope,
            tables: report.tables,
            findings: report
                .findings
                .into_iter()
                .map(PublishedFinding::of)
                .collect(),
        })
        .collect();
    Published { reports, withheld }
}

/// A year's figures as `bilan indicators --min-count K` prints them: the
/// same rules as the report's rows and response times, without the tables
/// behind the rows.
pub fn publish_year(mut figures: YearFigures, secrecy: Secrecy) -> YearFigures {
    profile::protect_year(&mut figures, secrecy);
    rows::protect_rows(&mut figures.rows, secrecy, |_| None);
    delais::protect_delais(&mut figures.delais, &figures.rows, secrecy);
    figures
}

impl Published {
    /// The reports of the run, national first.
    pub fn reports(&self) -> &[ScopeReport] {
        &self.reports
    }

    /// The teams active in the year that have no report, and why.
    pub fn withheld(&self) -> &[(Scope, Withheld)] {
        &self.withheld
    }
}

impl ScopeReport {
    /// The report's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn year(&self) -> i32 {
        self.run.year
    }

    pub fn secrecy(&self) -> Secrecy {
        self.run.secrecy
    }

    /// The report's tables.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// The findings its *Qualité des données* shows.
    pub fn findings(&self) -> &[PublishedFinding] {
        &self.findings
    }

    /// Whether the report shows a scope's figures: the national report
    /// every scope's, a team's report its own and the national ones (for
    /// comparison).
    fn shows(&self, scope: &Scope) -> bool {
        self.scope.is_national() || *scope == self.scope || scope.is_national()
    }

    /// Whether the report's folder publishes a scope's rows in its files:
    /// the national folder every scope's, a team's folder its own.
    fn publishes(&self, scope: &Scope) -> bool {
        self.scope.is_national() || *scope == self.scope
    }

    /// The scopes of the year the report shows in its tables by scope, in
    /// output order: every active scope in the national report; the
    /// national scope and the team in a team's.
    pub fn scopes(&self) -> Vec<&Scope> {
        let mut scopes: Vec<&Scope> = self
            .run
            .current
            .rows
            .iter()
            .map(|r| &r.scope)
            .filter(|scope| self.shows(scope))
            .collect();
        scopes.dedup();
        scopes
    }

    /// The year's rows the folder publishes (SPEC §5 order).
    pub fn rows(&self) -> Vec<IndicatorRow> {
        keep(&self.run.current.rows, |r| self.publishes(&r.scope))
    }

    /// The year's response times the folder publishes.
    pub fn delais(&self) -> Vec<DelaiRow> {
        keep(&self.run.current.delais, |d| self.publishes(&d.scope))
    }

    /// One row of the year, of a scope the report shows.
    pub fn row(&self, scope: &Scope, indicator: Indicator) -> Option<&IndicatorRow> {
        self.shows(scope)
            .then(|| find_row(&self.run.current.rows, scope, indicator))
            .flatten()
    }

    /// One row of Y−1, when the export covers Y−1.
    pub fn previous_row(&self, scope: &Scope, indicator: Indicator) -> Option<&IndicatorRow> {
        let previous = self.run.previous.as_ref()?;
        self.shows(scope)
            .then(|| find_row(&previous.rows, scope, indicator))
            .flatten()
    }

    /// The report's own row of the year.
    pub fn own_row(&self, indicator: Indicator) -> Option<&IndicatorRow> {
        self.row(&self.scope, indicator)
    }

    /// A scope's response times of the year.
    pub fn delai(&self, scope: &Scope) -> Option<&DelaiRow> {
        let delais = &self.run.current.delais;
        self.shows(scope)
            .then(|| delais.iter().find(|d| d.scope == *scope))
            .flatten()
    }

    /// A scope's response times of Y−1, when the export covers Y−1.
    pub fn previous_delai(&self, scope: &Scope) -> Option<&DelaiRow> {
        let previous = self.run.previous.as_ref()?;
        self.shows(scope)
            .then(|| previous.delais.iter().find(|d| d.scope == *scope))
            .flatten()
    }

    /// (v3) The year's legal categories the folder publishes (SPEC §4.5):
    /// every scope's in the national folder, a team's own in its folder.
    pub fn categories(&self) -> Vec<CategoryRow> {
        keep(&self.run.current.categories, |c| self.publishes(&c.scope))
    }

    /// (v3) The year's diagnostics the folder publishes (SPEC §4.6).
    pub fn diagnostics(&self) -> Vec<DiagnosticRow> {
        keep(&self.run.current.diagnostics, |d| self.publishes(&d.scope))
    }

    /// (v3) The year's frequent diagnoses, national: only in the national
    /// folder (SPEC §4.6: a team's report has no list).
    pub fn frequent(&self) -> &[FrequentDiagnosis] {
        if self.scope.is_national() {
            &self.run.current.frequent
        } else {
            &[]
        }
    }

    /// (v3) The year's network (SPEC §4.7), as the folder publishes it:
    /// every pair, total and referral in the national folder; a team's
    /// folder those of its own team.
    pub fn network(&self) -> Network {
        let network = &self.run.current.network;
        let Scope::Team(code) = &self.scope else {
            return network.clone();
        };
        Network {
            pairs: keep(&network.pairs, |p| p.erhr == *code || p.cnrhr == *code),
            totals: keep(&network.totals, |t| t.team == *code),
            referrals: keep(&network.referrals, |r| r.scope == self.scope),
        }
    }

    /// The years of the series, A to Y, as published (every scope's).
    pub fn series(&self) -> &[SeriesYear] {
        &self.run.series
    }

    pub fn has_previous(&self) -> bool {
        self.run.previous.is_some()
    }

    pub fn files(&self) -> &[FileSummary] {
        &self.run.files
    }

    pub fn period(&self) -> Option<(i32, i32)> {
        self.run.period
    }

    pub fn teams(&self) -> &Teams {
        &self.run.teams
    }

    /// Collective actions of Y and Y−1 (and of the series' years), every
    /// scope (not masked: SPEC §8).
    pub fn actions(&self) -> &ActionFigures {
        &self.run.actions
    }

    /// The year's collective actions the folder publishes.
    pub fn published_actions(&self) -> ActionFigures {
        self.run.actions.of_folder(&self.scope, self.run.year)
    }

    /// How a masked count reads: `< 5`.
    pub fn masked(&self) -> String {
        self.run.secrecy.label()
    }

    /// A published count: French digits, `< K` or `s`.
    pub fn show(&self, count: Shown) -> String {
        self.run.secrecy.show(count)
    }
}

fn keep<T: Clone>(items: &[T], wanted: impl Fn(&T) -> bool) -> Vec<T> {
    items.iter().filter(|item| wanted(item)).cloned().collect()
}

fn find_row<'a>(
    rows: &'a [IndicatorRow],
    scope: &Scope,
    indicator: Indicator,
) -> Option<&'a IndicatorRow> {
    rows.iter()
        .find(|r| r.scope == *scope && r.indicator == indicator)
}
