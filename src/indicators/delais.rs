//! Response times (SPEC §4.2): how long a person who turns to the
//! dispositif for the first time waits for a first answer. Polars finds,
//! for every (scope, person) pair, the first demande and the first
//! intervention on or after it within the year ([`Pairs`]); the days and
//! the exact quantiles (`x_k`, `k = ⌈q·n⌉`) are then taken per scope over
//! those few hundred pairs, in integer arithmetic, here.

use polars::prelude::*;
use serde::Serialize;

use super::{Frames, Pairs};

/// One object of the `delais` array (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelaiRow {
    pub scope: String,
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
}

impl DelaiRow {
    /// A scope without any new person in the year.
    pub fn empty(scope: &str, year: i32) -> Self {
        Self::of(scope.to_string(), year, Vec::new(), 0)
    }

    /// The figures of a cohort's délais (days) and waiting persons.
    pub(super) fn of(scope: String, year: i32, mut days: Vec<u64>, waiting: u64) -> Self {
        days.sort_unstable();
        let n = days.len() as u64;
        // x_k with k = ⌈q·n⌉ (k ≥ 1), q = per_cent / 100, in integers.
        let quantile = |per_cent: u64| -> Option<u64> {
            let k = (per_cent * n).div_ceil(100).max(1);
            days.get(k as usize - 1).copied()
        };
        let within = |limit: u64| days.iter().filter(|&&d| d <= limit).count() as u64;
        Self {
            scope,
            year,
            repondues: Some(n),
            delai_median: quantile(50),
            delai_p25: quantile(25),
            delai_p75: quantile(75),
            delai_p90: quantile(90),
            sous_30_jours: Some(within(30)),
            sous_90_jours: Some(within(90)),
            en_attente_31_12: Some(waiting),
            suppressed: false,
        }
    }
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
pub fn compute_delais(
    frames: &Frames,
    year: i32,
    scopes: &[String],
) -> PolarsResult<Vec<DelaiRow>> {
    Ok(Pairs::new(frames, &[year], (year, year))?.delais_of(frames, year, scopes))
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

    #[test]
    fn quantiles_are_order_statistics_with_k_the_ceiling_of_q_n() {
        let row = DelaiRow::of("x".into(), 2024, vec![40, 10, 0, 30, 91], 2);
        // sorted 0 10 30 40 91; n = 5: k(0.25) = 2, k(0.5) = 3, k(0.75) = 4, k(0.9) = 5
        assert_eq!(row.delai_p25, Some(10));
        assert_eq!(row.delai_median, Some(30));
        assert_eq!(row.delai_p75, Some(40));
        assert_eq!(row.delai_p90, Some(91));
        assert_eq!((row.sous_30_jours, row.sous_90_jours), (Some(3), Some(4)));
        assert_eq!(row.en_attente_31_12, Some(2));
        let one = DelaiRow::of("x".into(), 2024, vec![7], 0);
        assert_eq!((one.delai_p25, one.delai_p90), (Some(7), Some(7)));
        let none = DelaiRow::of("x".into(), 2024, vec![], 3);
        assert_eq!((none.repondues, none.delai_median), (Some(0), None));
        assert_eq!(none.sous_30_jours, Some(0));
    }
}
