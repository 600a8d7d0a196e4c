//! Stage 3 — facts → figures (SPEC §4): the indicator rows, response
//! times, series, tables and collective actions, driven by the catalog.
//!
//! Rows become facts in Rust: the clean tables become frames once
//! (`frames.rs`: the persons, the acts, the actions), and the acts are
//! grouped by (scope, person) pair in one hand-written pass (`pairs.rs`,
//! decision 81), which gives the facts of the pairs active in each year,
//! their cohorts and their first year. Polars turns the facts into every
//! figure: each indicator a conditional sum built from its declaration
//! (`exprs.rs`, `rows.rs`), the response times' counts and quantiles
//! (`delais.rs`), the series (`series.rs`), the tables of the report
//! (`tables.rs`, `fill_rates.rs`) and the collective actions
//! (`actions.rs`).

mod actions;
mod delais;
mod exprs;
mod fill_rates;
mod frames;
mod network;
mod pairs;
mod profile;
mod rows;
mod series;
mod tables;

use polars::prelude::*;
use serde::Serialize;

pub use actions::{compute_actions, ActionCounts, ActionFigures, ActionRow};
pub use delais::{compute_delais, days_of, DelaiMasks, DelaiRow};
pub use fill_rates::FillRate;
pub use frames::Frames;
pub use network::{Network, NetworkPair, NetworkTotal, Referrals};
pub use pairs::{Facts, Pairs};
pub use profile::{
    label_diagnoses, CategoryRow, DiagnosticMasks, DiagnosticRow, FrequentDiagnosis,
};
pub use series::{compute_series, Cumulated, SeriesYear};
pub use tables::{compute_tables, Count, CountTable, Durations, Tables};

pub use crate::catalog::Indicator;

use crate::format::round_percent;
use crate::reference::Scope;
/// The national scope's number in the query's `scope` column (teams have
/// their own numbers, [`Frames::scope_name`]).
pub(crate) const NATIONAL_SCOPE: u32 = u32::MAX;

/// Why statistical secrecy masks a figure (SPEC §8): it reads `< K` only
/// when its own count is from 1 to K−1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// Its own count is from 1 to K−1: it reads `< K`.
    Small,
    /// Masked so that a masked count cannot be worked out from it (the
    /// next smallest cell of a line, a share, a total): it reads `s`.
    Protecting,
    /// (v3) Not published whatever its value, zeros included: its scope
    /// has too few persons in the year for a breakdown or a rate (fewer
    /// than 3K, `Secrecy::is_thin`; SPEC §8 "Against an intruder"). It
    /// reads `nd`.
    Withheld,
}

impl Mask {
    /// The mask of a count masked with others: `< K` when the count itself
    /// is small, else `s`.
    pub fn of(count: u64, small: impl Fn(u64) -> bool) -> Mask {
        if small(count) {
            Mask::Small
        } else {
            Mask::Protecting
        }
    }
}

/// Serialises a mask as `"suppressed": true` (SPEC §5); none is left out.
pub(crate) fn suppressed<S: serde::Serializer>(
    _: &Option<Mask>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_bool(true)
}

/// One row of SPEC §5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRow {
    pub scope: Scope,
    pub year: i32,
    pub indicator: Indicator,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub not_filled: Option<u64>,
    /// Set by statistical secrecy; figures are then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// How the masked numerator reads (`< K` when it is itself small).
    #[serde(skip)]
    pub mask: Option<Mask>,
}

impl IndicatorRow {
    /// How the parts of a masked row read: `nd` for a scope of too few
    /// persons, else `s`.
    pub fn parts_mask(&self) -> Mask {
        match self.mask {
            Some(Mask::Withheld) => Mask::Withheld,
            _ => Mask::Protecting,
        }
    }

    /// The rate in whole percent, rounded half away from zero; none for a
    /// count or a mean.
    pub fn percent(&self) -> Option<u64> {
        match (self.numerator, self.denominator) {
            _ if self.indicator.is_mean() => None,
            (Some(n), Some(d)) if d > 0 => Some(round_percent(n, d)),
            _ => None,
        }
    }

    /// (v3) A mean in tenths, rounded half away from zero from the exact
    /// fraction (SPEC §4: `4,1`); none for a rate or a count.
    pub fn mean_tenths(&self) -> Option<u64> {
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) if d > 0 && self.indicator.is_mean() => {
                Some(crate::format::round_ratio(10 * n, d))
            }
            _ => None,
        }
    }
}

/// The indicators of SPEC §4 for every scope active in `year` (none
/// for a year without activity). Rows come national first, then teams by
/// code, each in indicator order.
pub fn compute(frames: &Frames, year: i32) -> PolarsResult<Vec<IndicatorRow>> {
    let rows = compute_year(frames, year)?.rows;
    let active = rows
        .iter()
        .any(|r| r.indicator == Indicator::PersonnesAccompagnees && r.numerator > Some(0));
    Ok(if active { rows } else { Vec::new() })
}

/// Everything `bilan indicators` gives for one year: the indicator rows and
/// the response times, for the national scope and every team active in the
/// year (SPEC §5 order); (v3) the legal categories, the diagnoses of those
/// scopes, the frequent diagnoses and the network. A year without any
/// activity gives the national scope's zeros, so that it shows as such in
/// a range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFigures {
    pub year: i32,
    pub rows: Vec<IndicatorRow>,
    pub delais: Vec<DelaiRow>,
    /// (v3) Six rows per scope of `rows` (SPEC §4.5).
    pub categories: Vec<CategoryRow>,
    /// (v3) One row per scope of `rows` (SPEC §4.6).
    pub diagnostics: Vec<DiagnosticRow>,
    /// (v3) The national frequent diagnoses (SPEC §4.6).
    pub frequent: Vec<FrequentDiagnosis>,
    /// (v3) The network of teams (SPEC §4.7).
    pub network: Network,
}

pub fn compute_year(frames: &Frames, year: i32) -> PolarsResult<YearFigures> {
    let mut figures = compute_years(frames, &[year])?;
    Ok(figures.pop().unwrap_or_else(|| YearFigures {
        year,
        rows: empty_rows(Scope::National, year),
        delais: vec![DelaiRow::empty(Scope::National, year)],
        ..YearFigures::default()
    }))
}

/// [`compute_year`] for each of `years` (ascending), from one grouping of
/// the acts whatever their number ([`Pairs`]).
pub fn compute_years(frames: &Frames, years: &[i32]) -> PolarsResult<Vec<YearFigures>> {
    let mut figures = Vec::new();
    for chunk in years.chunks(pairs::YEARS_AT_ONCE) {
        let window = (chunk[0], chunk[chunk.len() - 1]);
        let facts = Pairs::new(frames, chunk, window)?.facts(frames)?;
        figures.extend(year_figures(frames, &facts, chunk)?);
    }
    Ok(figures)
}

/// The figures of each year of `facts`, in order: the indicators of every
/// scope active in the year (the national scope's zeros for a year
/// without activity), and the response times of those scopes; the
/// profile (categories, diagnoses) and the network only for the years of
/// `profiled`, empty for the others.
fn year_figures(
    frames: &Frames,
    facts: &Facts,
    profiled: &[i32],
) -> PolarsResult<Vec<YearFigures>> {
    let rows = rows::indicator_rows(frames, facts)?;
    let cohorts = delais::cohort_figures(facts)?;
    crate::console::lap("figures of the years");
    let rows: Vec<Vec<IndicatorRow>> = facts
        .years
        .iter()
        .zip(rows)
        .map(|(&year, rows)| {
            if rows.is_empty() {
                empty_rows(Scope::National, year)
            } else {
                rows
            }
        })
        .collect();
    let scopes: Vec<Vec<Scope>> = rows
        .iter()
        .map(|rows| {
            let mut scopes: Vec<Scope> = rows.iter().map(|r| r.scope.clone()).collect();
            scopes.dedup();
            scopes
        })
        .collect();
    // The profile and network of the years asked for, in their order.
    let asked: Vec<usize> = (0..facts.years.len())
        .filter(|&k| profiled.contains(&facts.years[k]))
        .collect();
    let (mut profile, mut networks) = if asked.is_empty() {
        (profile::ProfileFigures::default(), Vec::new())
    } else {
        let some = facts.only_years(asked.iter().map(|&k| facts.years[k]).collect())?;
        let scopes_of: Vec<Vec<Scope>> = asked.iter().map(|&k| scopes[k].clone()).collect();
        (
            profile::profile_figures(frames, &some, &scopes_of)?,
            network::network_figures(frames, &some)?,
        )
    };
    crate::console::lap("categories, diagnoses, network");
    let mut nth = 0;
    Ok(facts
        .years
        .iter()
        .zip(rows)
        .zip(scopes)
        .enumerate()
        .map(|(k, ((&year, rows), scopes))| {
            let delais = delais::delai_rows(frames, &cohorts, year, &scopes);
            let mut figures = YearFigures {
                year,
                rows,
                delais,
                ..YearFigures::default()
            };
            if asked.contains(&k) {
                figures.categories = std::mem::take(&mut profile.categories[nth]);
                figures.diagnostics = std::mem::take(&mut profile.diagnostics[nth]);
                figures.frequent = std::mem::take(&mut profile.frequent[nth]);
                figures.network = std::mem::take(&mut networks[nth]);
                nth += 1;
            }
            figures
        })
        .collect())
}

/// The rows of a scope that had no activity in the year: zero everywhere.
pub fn empty_rows(scope: Scope, year: i32) -> Vec<IndicatorRow> {
    Indicator::ALL
        .into_iter()
        .map(|indicator| IndicatorRow {
            scope: scope.clone(),
            year,
            indicator,
            numerator: Some(0),
            denominator: (!indicator.is_count()).then_some(0),
            not_filled: (!indicator.is_count()).then_some(0),
            suppressed: false,
            mask: None,
        })
        .collect()
}

/// Hands the memory freed so far back to the system. glibc keeps small
/// freed blocks in the heap of the thread that freed them, for that
/// thread's next allocations; the clean tables' cells, freed once the
/// frames hold them, and a grouping's working copies, freed on Polars'
/// threads, would otherwise stay in the peak memory while the next query
/// allocates on other heaps (decision 79).
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages of the heaps to the
    // system; it takes the allocator's locks like any allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Polars keeps one buffer of zeroes for every all-null or all-false
/// column it makes: 8 MiB, filled on first use and never freed, so 8 MiB
/// resident to the end of every run, a tenth of the report's peak on a
/// 70 MB export. Its pages are handed back once the frames are built:
/// they read as zeroes again, from the kernel's shared zero page, without
/// being resident (decision 86).
pub(crate) fn release_shared_zeroes() {
    #[cfg(target_os = "linux")]
    {
        const SIZE: usize = 8 << 20;
        let start = |len: usize| {
            let column = UInt8Chunked::full_null("".into(), len);
            let values = column.downcast_iter().next().map(|a| a.values().as_ptr());
            values.map(|values| values as usize)
        };
        // A column of SIZE nulls starts where a one-null column does only
        // if both are views of the shared buffer, so it holds SIZE bytes.
        let (Some(whole), Some(one)) = (start(SIZE), start(1)) else {
            return;
        };
        if whole != one || whole % 4096 != 0 {
            return;
        }
        // SAFETY: `whole..whole + SIZE` lies inside Polars' shared buffer
        // of zeroes (above): memory it leaks on purpose and never writes,
        // since it only hands out read-only views of it. `MADV_DONTNEED`
        // on private anonymous memory only drops its pages, which read as
        // zeroes again: nothing anyone reads changes.
        unsafe {
            libc::madvise(whole as *mut libc::c_void, SIZE, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_zeroes_still_read_as_zeroes_once_handed_back() {
        let before = Int64Chunked::full_null("".into(), 1000);
        release_shared_zeroes();
        release_shared_zeroes();
        let after = UInt8Chunked::full_null("".into(), 8 << 20);
        assert!(after
            .downcast_iter()
            .all(|a| a.values().iter().all(|&v| v == 0)));
        assert!(before
            .downcast_iter()
            .all(|a| a.values().iter().all(|&v| v == 0)));
        let falses = BooleanChunked::full("".into(), false, 1 << 20);
        assert_eq!(falses.sum(), Some(0));
    }
}
