//! Response times (SPEC §4.2): how long a person who turns to the
//! dispositif for the first time waits for a first answer. The pairs'
//! facts give each cohort pair its délai (`pairs.rs`); Polars takes the
//! counts and the exact quantiles (`x_k`, `k = ⌈q·n⌉`, in integers) per
//! year and scope.

use polars::prelude::*;
use serde::Serialize;

use super::exprs::count;
use super::{Facts, Frames, Mask, Pairs};
use crate::reference::Scope;

/// One object of the `delais` array (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelaiRow {
    pub scope: Scope,
    pub year: i32,
    /// Persons of the cohort with a first answer.
    pub repondues: Option<u64>,
    pub delai_median: Option<u64>,
    pub delai_p25: Option<u64>,
    pub delai_p75: Option<u64>,
    pub delai_p90: Option<u64>,
    pub sous_30_jours: Option<u64>,
    pub sous_90_jours: Option<u64>,
    /// Persons of the cohort without a first answer on 31 December.
    pub en_attente_31_12: Option<u64>,
    /// Set by statistical secrecy; masked figures are then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// How the masked `repondues` and `en_attente_31_12` read.
    #[serde(skip)]
    pub masks: DelaiMasks,
}

/// How the masked counts of a response-time row read (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DelaiMasks {
    pub repondues: Option<Mask>,
    pub en_attente: Option<Mask>,
    /// The answered by délai band (within 30 days, 31 to 90, later), as
    /// published: `None` where masked, `band_masks` saying how.
    pub bands: [Option<u64>; 3],
    pub band_masks: [Option<Mask>; 3],
}

impl DelaiRow {
    /// A scope without any new person in the year.
    pub fn empty(scope: Scope, year: i32) -> Self {
        Self {
            scope,
            year,
            repondues: Some(0),
            delai_median: None,
            delai_p25: None,
            delai_p75: None,
            delai_p90: None,
            sous_30_jours: Some(0),
            sous_90_jours: Some(0),
            en_attente_31_12: Some(0),
            suppressed: false,
            masks: DelaiMasks::default(),
        }
    }
}

/// "the q-quantile of their délais: with the délais sorted x₁ ≤ … ≤ xₙ,
/// the value x_k with k = ⌈q·n⌉ (k ≥ 1); null when n = 0" (SPEC §4.2),
/// for q = `percent` / 100, in integers.
fn quantile(percent: i64) -> Expr {
    let answered = col("delai").drop_nulls();
    let n = answered.clone().len().cast(DataType::Int64);
    let k = (n * lit(percent) + lit(99)) / lit(100);
    answered
        .sort(SortOptions::default())
        .get(k - lit(1), true)
        .cast(DataType::UInt64)
}

/// Of the answered persons, those whose délai is at most `days`.
fn within(days: u32) -> Expr {
    count(col("delai").lt_eq(lit(days)))
}

/// The response-time figures of every (year, scope) cohort of `facts`:
/// (year, scope number) → row (its `scope` set by the caller).
pub(super) fn cohort_figures(facts: &Facts) -> PolarsResult<Vec<((i32, u32), DelaiRow)>> {
    let table = facts
        .cohorts
        .clone()
        .lazy()
        .group_by([col("year"), col("scope")])
        .agg([
            col("delai")
                .count()
                .cast(DataType::UInt64)
                .alias("repondues"),
            quantile(50).alias("delai_median"),
            quantile(25).alias("delai_p25"),
            quantile(75).alias("delai_p75"),
            quantile(90).alias("delai_p90"),
            within(30).alias("sous_30_jours"),
            within(90).alias("sous_90_jours"),
            col("delai")
                .null_count()
                .cast(DataType::UInt64)
                .alias("en_attente_31_12"),
        ])
        .collect()?;
    let figure = |name: &str, row: usize| -> PolarsResult<Option<u64>> {
        Ok(table.column(name)?.u64()?.get(row))
    };
    let years = table.column("year")?.i32()?;
    let scopes = table.column("scope")?.u32()?;
    let mut cohorts = Vec::new();
    for row in 0..table.height() {
        let (Some(year), Some(scope)) = (years.get(row), scopes.get(row)) else {
            continue;
        };
        cohorts.push((
            (year, scope),
            DelaiRow {
                scope: Scope::National,
                year,
                repondues: figure("repondues", row)?,
                delai_median: figure("delai_median", row)?,
                delai_p25: figure("delai_p25", row)?,
                delai_p75: figure("delai_p75", row)?,
                delai_p90: figure("delai_p90", row)?,
                sous_30_jours: figure("sous_30_jours", row)?,
                sous_90_jours: figure("sous_90_jours", row)?,
                en_attente_31_12: figure("en_attente_31_12", row)?,
                suppressed: false,
                masks: DelaiMasks::default(),
            },
        ));
    }
    Ok(cohorts)
}

/// Days since 1 January 1970 of an `AAAAMMJJ` date (Howard Hinnant's
/// days-from-civil).
pub fn days_of(date: i32) -> i64 {
    let (y, m, d) = (
        i64::from(date / 10_000),
        i64::from(date / 100 % 100),
        i64::from(date % 100),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The response times of `year` for `scopes` (national and the teams
/// active in the year, in output order). A scope with no new person has
/// `repondues` 0 and no quantile.
pub fn compute_delais(frames: &Frames, year: i32, scopes: &[Scope]) -> PolarsResult<Vec<DelaiRow>> {
    let facts = Pairs::new(frames, &[year], (year, year))?.facts(frames)?;
    let cohorts = cohort_figures(&facts)?;
    Ok(delai_rows(frames, &cohorts, year, scopes))
}

/// The rows of `scopes` in `year`, in that order, from the cohorts' figures.
pub(super) fn delai_rows(
    frames: &Frames,
    cohorts: &[((i32, u32), DelaiRow)],
    year: i32,
    scopes: &[Scope],
) -> Vec<DelaiRow> {
    scopes
        .iter()
        .map(|scope| {
            let found = cohorts
                .iter()
                .find(|((y, number), _)| *y == year && frames.scope(*number) == *scope);
            match found {
                Some((_, row)) => DelaiRow {
                    scope: scope.clone(),
                    ..row.clone()
                },
                None => DelaiRow::empty(scope.clone(), year),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_across_months_leap_years_and_years() {
        assert_eq!(days_of(19700101), 0);
        assert_eq!(days_of(20240301) - days_of(20240228), 2);
        assert_eq!(days_of(20230301) - days_of(20230228), 1);
        assert_eq!(days_of(20250101) - days_of(20241231), 1);
        assert_eq!(
            crate::format::date_of_epoch(days_of(20241115) * 86_400),
            20241115
        );
    }

    fn figures_of(delais: &[Option<u32>]) -> DelaiRow {
        let facts = Facts {
            years: vec![2024],
            active: DataFrame::empty(),
            cohorts: DataFrame::new_infer_height(vec![
                Column::new("year".into(), vec![2024; delais.len()]),
                Column::new("scope".into(), vec![0u32; delais.len()]),
                Column::new("delai".into(), delais.to_vec()),
            ])
            .unwrap(),
            entries: DataFrame::empty(),
        };
        let mut cohorts = cohort_figures(&facts).unwrap();
        assert_eq!(cohorts.len(), 1);
        cohorts.pop().unwrap().1
    }

    #[test]
    fn quantiles_are_order_statistics_with_k_the_ceiling_of_q_n() {
        let row = figures_of(&[Some(40), Some(10), Some(0), None, Some(30), Some(91), None]);
        // sorted 0 10 30 40 91; n = 5: k(0.25) = 2, k(0.5) = 3, k(0.75) = 4, k(0.9) = 5
        assert_eq!(row.delai_p25, Some(10));
        assert_eq!(row.delai_median, Some(30));
        assert_eq!(row.delai_p75, Some(40));
        assert_eq!(row.delai_p90, Some(91));
        assert_eq!((row.sous_30_jours, row.sous_90_jours), (Some(3), Some(4)));
        assert_eq!(row.en_attente_31_12, Some(2));
        let one = figures_of(&[Some(7)]);
        assert_eq!((one.delai_p25, one.delai_p90), (Some(7), Some(7)));
        let none = figures_of(&[None, None, None]);
        assert_eq!((none.repondues, none.delai_median), (Some(0), None));
        assert_eq!(none.sous_30_jours, Some(0));
        // k = ⌈0.9 · 10⌉ = 9, not 10 (no floating point).
        let ten: Vec<Option<u32>> = (1..=10).map(Some).collect();
        assert_eq!(figures_of(&ten).delai_p90, Some(9));
    }
}
