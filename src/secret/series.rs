//! Secrecy on the series over the years (SPEC §4.3, §8): every year's rows
//! and response times are protected as a year of their own (`publish_year`);
//! here, the cumulated distinct persons. Two consecutive shown values would
//! give the persons who joined in between by subtraction: a value is shown
//! only when it is 0 or at least K, and differs from the last shown value
//! of its scope by 0 or at least K. And a shown value bounds the masked
//! ones before it from below — the cumulated persons grow each year by at
//! most that year's persons (SPEC §8 "Against an intruder"): it is shown
//! only when it leaves each small masked value since the last shown one at
//! least three possible values.

use std::collections::HashMap;

use super::suppression::{small_count_pinned, UNBOUNDED};
use super::Secrecy;
use crate::indicators::{Indicator, Mask, SeriesYear};
use crate::reference::Scope;

/// What protecting one scope's cumulated persons remembers.
#[derive(Default)]
struct Trail {
    /// The last value shown.
    shown: u64,
    /// The small masked values since the last shown one: for each, the
    /// sum of the persons of the years after it, as an intruder bounds
    /// them (a shown count, K − 1 for `< K`).
    masked: Vec<u64>,
}

pub(super) fn protect_cumulated(series: &mut [SeriesYear], secrecy: Secrecy) {
    if !secrecy.enabled() {
        return;
    }
    let k = secrecy.min_count;
    let mut trails: HashMap<Scope, Trail> = HashMap::new();
    for year in series {
        let rows = &year.figures.rows;
        let persons_at_most = |scope: &Scope| {
            rows.iter()
                .find(|r| r.scope == *scope && r.indicator == Indicator::PersonnesAccompagnees)
                .map_or(UNBOUNDED, |r| match (r.numerator, r.mask) {
                    (Some(n), _) => n,
                    (None, Some(Mask::Small)) => k - 1,
                    (None, _) => UNBOUNDED,
                })
        };
        for cell in &mut year.cumulated {
            let Some(value) = cell.personnes_cumulees else {
                continue;
            };
            let trail = trails.entry(cell.scope.clone()).or_default();
            let joined_at_most = persons_at_most(&cell.scope);
            for sum in &mut trail.masked {
                *sum = sum.saturating_add(joined_at_most).min(UNBOUNDED);
            }
            let pins_one_before = trail
                .masked
                .iter()
                .any(|&sum| small_count_pinned(value.saturating_sub(sum), k - 1, secrecy));
            if secrecy.is_small(value)
                || secrecy.is_small(value.saturating_sub(trail.shown))
                || pins_one_before
            {
                cell.personnes_cumulees = None;
                cell.mask = Some(Mask::of(value, |v| secrecy.is_small(v)));
                if secrecy.is_small(value) {
                    trail.masked.push(0);
                }
            } else {
                trail.shown = value;
                trail.masked.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Cumulated, IndicatorRow, YearFigures};

    fn year(year: i32, cumulated: u64) -> SeriesYear {
        SeriesYear {
            figures: YearFigures {
                year,
                ..YearFigures::default()
            },
            active: true,
            cumulated: vec![Cumulated {
                scope: Scope::Team("T".into()),
                personnes_cumulees: Some(cumulated),
                mask: None,
            }],
        }
    }

    #[test]
    fn a_small_step_between_shown_years_is_masked() {
        let mut series = vec![
            year(2020, 3),
            year(2021, 10),
            year(2022, 12),
            year(2023, 20),
        ];
        protect_cumulated(&mut series, Secrecy::new(5));
        let shown: Vec<Option<u64>> = series
            .iter()
            .map(|y| y.cumulated[0].personnes_cumulees)
            .collect();
        // 3 is small; 10 − 0 shown; 12 − 10 = 2 masked; 20 − 10 = 10 shown.
        assert_eq!(shown, vec![None, Some(10), None, Some(20)]);
    }

    /// A year with the scope's persons as published (`None`: `< K`).
    fn year_with(year_: i32, cumulated: u64, persons: Option<u64>) -> SeriesYear {
        let mut y = year(year_, cumulated);
        y.figures.rows.push(IndicatorRow {
            scope: Scope::Team("T".into()),
            year: year_,
            indicator: Indicator::PersonnesAccompagnees,
            numerator: persons,
            denominator: None,
            not_filled: None,
            suppressed: persons.is_none(),
            mask: persons.is_none().then_some(Mask::Small),
        });
        y
    }

    #[test]
    fn a_shown_value_does_not_pin_a_small_one_before_it() {
        // 4 persons in 2015 (`< 5`), 6 more in 2016: 9 cumulated shown
        // with 6 persons would make 2015's 3 or 4. In 2017, 15 less the 13
        // persons of 2016 and 2017 leaves 2015 from 2 to 4.
        let mut series = vec![
            year_with(2015, 4, None),
            year_with(2016, 9, Some(6)),
            year_with(2017, 15, Some(7)),
        ];
        protect_cumulated(&mut series, Secrecy::new(5));
        let shown: Vec<(Option<u64>, Option<Mask>)> = series
            .iter()
            .map(|y| (y.cumulated[0].personnes_cumulees, y.cumulated[0].mask))
            .collect();
        assert_eq!(
            shown,
            vec![
                (None, Some(Mask::Small)),
                (None, Some(Mask::Protecting)),
                (Some(15), None)
            ]
        );
        // A masked year's persons count K − 1 to the intruder: 2016's
        // `< 5` and 2017's 6 take 12 down to 2, and 2015 is 2 to 4.
        let mut series = vec![
            year_with(2015, 4, None),
            year_with(2016, 6, None),
            year_with(2017, 12, Some(6)),
        ];
        protect_cumulated(&mut series, Secrecy::new(5));
        assert_eq!(series[2].cumulated[0].personnes_cumulees, Some(12));
    }
}
