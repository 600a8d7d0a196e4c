//! Stage 3 — clean tables → indicator rows (SPEC §4), with Polars' lazy API.
//!
//! The clean tables become two data frames, built once: `persons` (one row
//! per person of `usagers.csv`) and `acts` (every kept demande and
//! intervention). Every scope is computed in one query: the (scope, person)
//! pairs of the national scope and of each team are stacked, joined to the
//! persons' attributes, and counted with boolean sums grouped by scope.
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

/// The team number of the acts (and actions) without a team while they are
/// grouped by team: the national figures, derived from the teams' groups,
/// keep them; no team's figures do.
pub(crate) const NO_TEAM: u32 = NATIONAL_SCOPE - 1;

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

    /// The aggregated columns (numerator, denominator, population) of the query.
    fn columns(self) -> (&'static str, Option<&'static str>, Option<&'static str>) {
        match self {
            Indicator::PersonnesAccompagnees => ("active", None, None),
            Indicator::NouvellesPersonnes => ("new", None, None),
            Indicator::MaladieRareDiagnostiquee => ("mr_num", Some("mr_den"), Some("active")),
            Indicator::VitADomicile => ("home_num", Some("home_den"), Some("active")),
            Indicator::AuMoinsUnTnd => ("tnd_num", Some("tnd_den"), Some("active")),
            Indicator::Enfants316Scolarises => ("school_num", Some("school_den"), Some("child")),
            Indicator::VisiteDomicileOuEtablissement => {
                ("visit_num", Some("active"), Some("active"))
            }
            Indicator::MoinsDe20Ans => ("under20_num", Some("age_known"), Some("active")),
            Indicator::PersonnesSansSolution => {
                ("nosol_num", Some("situation_den"), Some("active"))
            }
        }
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

/// Turns the per-scope aggregate table into SPEC §5 rows, in output order.
fn rows_of(frames: &Frames, table: &DataFrame, year: i32) -> PolarsResult<Vec<IndicatorRow>> {
    let scopes: Vec<String> = table
        .column("scope")?
        .u32()?
        .iter()
        .map(|scope| match scope {
            Some(NATIONAL_SCOPE) => NATIONAL.to_string(),
            Some(team) => frames.scope_name(team).to_string(),
            None => String::new(),
        })
        .collect();
    let mut order: Vec<usize> = (0..scopes.len()).collect();
    order.sort_by(|&a, &b| {
        (scopes[a] != NATIONAL, &scopes[a]).cmp(&(scopes[b] != NATIONAL, &scopes[b]))
    });
    let value = |name: &str, row: usize| -> PolarsResult<u64> {
        let column = table.column(name)?.cast(&DataType::UInt64)?;
        Ok(column.u64()?.get(row).unwrap_or(0))
    };
    let mut rows = Vec::new();
    for row in order {
        for indicator in Indicator::ALL {
            let (num, den, population) = indicator.columns();
            let numerator = value(num, row)?;
            let denominator = den.map(|d| value(d, row)).transpose()?;
            let not_filled = match (denominator, population) {
                (Some(d), Some(p)) => Some(value(p, row)? - d),
                _ => None,
            };
            rows.push(IndicatorRow {
                scope: scopes[row].clone(),
                year,
                indicator,
                numerator: Some(numerator),
                denominator,
                not_filled,
                suppressed: false,
            });
        }
    }
    Ok(rows)
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
