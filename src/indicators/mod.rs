//! Stage 3 — clean tables → indicator rows (SPEC §4).
//!
//! The clean tables become two data frames, built once: `persons` (one row
//! per person of `usagers.csv`) and `acts` (every kept demande and
//! intervention). The indicators of every scope come from one tally of the
//! acts by (scope, person) pair, national and by team, read straight from
//! the frame's columns (`years.rs`, decision 81): each pair active in a
//! year adds its person's attributes to its scope's sums. The breakdowns
//! and fill rates are Polars queries over the frames.
//! Collective actions (SPEC §4.4, `actions.rs`) have frames of their own,
//! summed by year, scope and type or public.

mod actions;
mod breakdowns;
mod delais;
mod exprs;
mod fill_rates;
mod frames;
mod series;
mod years;

use polars::prelude::*;
use serde::Serialize;

pub use actions::{compute_actions, ActionCounts, ActionFigures, ActionRow};
pub use breakdowns::{compute_breakdowns, Breakdowns, Count, Durations, AGE_BRACKETS};
pub use delais::{compute_delais, days_of, DelaiRow};
pub use exprs::{AT_HOME, DIAGNOSED, SCHOOLED, WITHOUT_SOLUTION};
pub use fill_rates::FillRate;
pub use frames::Frames;
pub use series::{compute_series, Cumulated, SeriesYear};
pub use years::Pairs;

use crate::format::round_percent;
use crate::reference::NATIONAL;
/// The national scope's number in the query's `scope` column (teams have
/// their own numbers, [`Frames::scope_name`]).
pub(crate) const NATIONAL_SCOPE: u32 = u32::MAX;

/// The nine indicators, in the order of SPEC §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    PersonnesAccompagnees,
    NouvellesPersonnes,
    MaladieRareDiagnostiquee,
    VitADomicile,
    AuMoinsUnTnd,
    Enfants316Scolarises,
    VisiteDomicileOuEtablissement,
    MoinsDe20Ans,
    PersonnesSansSolution,
}

impl Indicator {
    pub const ALL: [Indicator; 9] = [
        Indicator::PersonnesAccompagnees,
        Indicator::NouvellesPersonnes,
        Indicator::MaladieRareDiagnostiquee,
        Indicator::VitADomicile,
        Indicator::AuMoinsUnTnd,
        Indicator::Enfants316Scolarises,
        Indicator::VisiteDomicileOuEtablissement,
        Indicator::MoinsDe20Ans,
        Indicator::PersonnesSansSolution,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Indicator::PersonnesAccompagnees => "personnes_accompagnees",
            Indicator::NouvellesPersonnes => "nouvelles_personnes",
            Indicator::MaladieRareDiagnostiquee => "maladie_rare_diagnostiquee",
            Indicator::VitADomicile => "vit_a_domicile",
            Indicator::AuMoinsUnTnd => "au_moins_un_tnd",
            Indicator::Enfants316Scolarises => "enfants_3_16_scolarises",
            Indicator::VisiteDomicileOuEtablissement => "visite_domicile_ou_etablissement",
            Indicator::MoinsDe20Ans => "moins_de_20_ans",
            Indicator::PersonnesSansSolution => "personnes_sans_solution",
        }
    }

    /// The French label of the published table.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::PersonnesAccompagnees => "Personnes accompagnées par les ERHR et les CNRHR",
            Indicator::NouvellesPersonnes => "Nouvelles personnes ayant sollicité le DIHR",
            Indicator::MaladieRareDiagnostiquee => "Personnes ayant une maladie rare diagnostiquée",
            Indicator::VitADomicile => "Personnes vivant à domicile",
            Indicator::AuMoinsUnTnd => {
                "Personnes ayant au moins un trouble du neurodéveloppement (TND)"
            }
            Indicator::Enfants316Scolarises => "Enfants de 3 à 16 ans scolarisés",
            Indicator::VisiteDomicileOuEtablissement => {
                "Personnes ayant bénéficié d’au moins une visite à domicile ou en établissement"
            }
            Indicator::MoinsDe20Ans => "Personnes de moins de 20 ans",
            Indicator::PersonnesSansSolution => {
                "Personnes sans solution d’accompagnement adaptée à leurs besoins"
            }
        }
    }

    /// A short French label for table headers.
    pub fn short_label(self) -> &'static str {
        match self {
            Indicator::PersonnesAccompagnees => "Personnes accompagnées",
            Indicator::NouvellesPersonnes => "Nouvelles personnes",
            Indicator::MaladieRareDiagnostiquee => "Maladie rare diagnostiquée",
            Indicator::VitADomicile => "À domicile",
            Indicator::AuMoinsUnTnd => "Au moins un TND",
            Indicator::Enfants316Scolarises => "3–16 ans scolarisés",
            Indicator::VisiteDomicileOuEtablissement => "Visite à domicile ou en établissement",
            Indicator::MoinsDe20Ans => "Moins de 20 ans",
            Indicator::PersonnesSansSolution => "Sans solution",
        }
    }

    /// Whether the report leads with the count rather than the rate: the
    /// published bilan says "590 personnes sont sans solution".
    pub fn leads_with_count(self) -> bool {
        self.is_count() || self == Indicator::PersonnesSansSolution
    }

    /// True for a count, false for a rate.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Indicator::PersonnesAccompagnees | Indicator::NouvellesPersonnes
        )
    }

    /// The sums (numerator, denominator, population) the indicator reads.
    fn columns(self) -> (Sum, Option<Sum>, Option<Sum>) {
        match self {
            Indicator::PersonnesAccompagnees => (|s| s.active, None, None),
            Indicator::NouvellesPersonnes => (|s| s.new, None, None),
            Indicator::MaladieRareDiagnostiquee => {
                (|s| s.mr_num, Some(|s| s.mr_den), Some(|s| s.active))
            }
            Indicator::VitADomicile => (|s| s.home_num, Some(|s| s.home_den), Some(|s| s.active)),
            Indicator::AuMoinsUnTnd => (|s| s.tnd_num, Some(|s| s.tnd_den), Some(|s| s.active)),
            Indicator::Enfants316Scolarises => {
                (|s| s.school_num, Some(|s| s.school_den), Some(|s| s.child))
            }
            Indicator::VisiteDomicileOuEtablissement => {
                (|s| s.visit_num, Some(|s| s.active), Some(|s| s.active))
            }
            Indicator::MoinsDe20Ans => {
                (|s| s.under20_num, Some(|s| s.age_known), Some(|s| s.active))
            }
            Indicator::PersonnesSansSolution => (
                |s| s.nosol_num,
                Some(|s| s.situation_den),
                Some(|s| s.active),
            ),
        }
    }
}

/// One of the [`Sums`].
type Sum = fn(&Sums) -> u64;

/// The sums of SPEC §4.1 of one scope in one year, over its pairs active
/// then: what the indicators read ([`Indicator`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sums {
    active: u64,
    new: u64,
    mr_num: u64,
    mr_den: u64,
    home_num: u64,
    home_den: u64,
    tnd_num: u64,
    tnd_den: u64,
    child: u64,
    school_num: u64,
    school_den: u64,
    visit_num: u64,
    age_known: u64,
    under20_num: u64,
    situation_den: u64,
    nosol_num: u64,
}

impl Sums {
    /// Whether any pair of the scope was active.
    pub(crate) fn any(&self) -> bool {
        self.active > 0
    }
}

/// Serialised as its id of SPEC §4 (`enfants_3_16_scolarises`).
impl Serialize for Indicator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One row of SPEC §5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRow {
    pub scope: String,
    pub year: i32,
    pub indicator: Indicator,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub not_filled: Option<u64>,
    /// Set by statistical secrecy; figures are then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

impl IndicatorRow {
    /// The rate in whole percent, rounded half away from zero.
    pub fn percent(&self) -> Option<u64> {
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) if d > 0 => Some(round_percent(n, d)),
            _ => None,
        }
    }
}

/// The nine indicators of SPEC §4 for every scope active in `year` (none
/// for a year without activity). Rows come national first, then teams by
/// code, each in indicator order.
pub fn compute(frames: &Frames, year: i32) -> PolarsResult<Vec<IndicatorRow>> {
    let rows = compute_year(frames, year)?.rows;
    let active = rows
        .iter()
        .any(|r| r.indicator == Indicator::PersonnesAccompagnees && r.numerator > Some(0));
    Ok(if active { rows } else { Vec::new() })
}

/// Turns each scope's sums into SPEC §5 rows, in output order.
fn rows_of(frames: &Frames, sums: &[(u32, Sums)], year: i32) -> Vec<IndicatorRow> {
    let mut named: Vec<(String, &Sums)> = sums
        .iter()
        .map(|(scope, sums)| (frames.scope_name(*scope).to_string(), sums))
        .collect();
    named.sort_by(|(a, _), (b, _)| (a != NATIONAL, a).cmp(&(b != NATIONAL, b)));
    let mut rows = Vec::new();
    for (scope, sums) in named {
        for indicator in Indicator::ALL {
            let (num, den, population) = indicator.columns();
            let denominator = den.map(|d| d(sums));
            let not_filled = match (denominator, population) {
                (Some(d), Some(p)) => Some(p(sums) - d),
                _ => None,
            };
            rows.push(IndicatorRow {
                scope: scope.clone(),
                year,
                indicator,
                numerator: Some(num(sums)),
                denominator,
                not_filled,
                suppressed: false,
            });
        }
    }
    rows
}

/// Everything `bilan indicators` gives for one year: the indicator rows and
/// the response times, for the national scope and every team active in the
/// year (SPEC §5 order). A year without any activity gives the national
/// scope's zeros, so that it shows as such in a range.
#[derive(Debug, Clone)]
pub struct YearFigures {
    pub year: i32,
    pub rows: Vec<IndicatorRow>,
    pub delais: Vec<DelaiRow>,
}

pub fn compute_year(frames: &Frames, year: i32) -> PolarsResult<YearFigures> {
    let mut figures = compute_years(frames, &[year])?;
    Ok(figures.pop().unwrap_or_else(|| YearFigures {
        year,
        rows: empty_rows(NATIONAL, year),
        delais: vec![DelaiRow::empty(NATIONAL, year)],
    }))
}

/// [`compute_year`] for each of `years` (ascending), from one grouping of
/// the acts whatever their number ([`Pairs`]).
pub fn compute_years(frames: &Frames, years: &[i32]) -> PolarsResult<Vec<YearFigures>> {
    let mut figures = Vec::new();
    for chunk in years.chunks(years::YEARS_AT_ONCE) {
        let window = (chunk[0], chunk[chunk.len() - 1]);
        figures.extend(Pairs::new(frames, chunk, window)?.figures(frames)?);
    }
    Ok(figures)
}

/// The rows of a scope that had no activity in the year: zero everywhere.
pub fn empty_rows(scope: &str, year: i32) -> Vec<IndicatorRow> {
    Indicator::ALL
        .into_iter()
        .map(|indicator| IndicatorRow {
            scope: scope.to_string(),
            year,
            indicator,
            numerator: Some(0),
            denominator: (!indicator.is_count()).then_some(0),
            not_filled: (!indicator.is_count()).then_some(0),
            suppressed: false,
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
