//! Secrecy on the series over the years (SPEC §4.3, §8): every year's rows
//! and response times are protected as a year of their own (`publish_year`);
//! here, the cumulated distinct persons. Two consecutive shown values would
//! give the persons who joined in between by subtraction: a value is shown
//! only when it is 0 or at least K, and differs from the last shown value
//! of its scope by 0 or at least K.

use std::collections::HashMap;

use super::Secrecy;
use crate::indicators::{Mask, SeriesYear};
use crate::reference::Scope;

pub(super) fn protect_cumulated(series: &mut [SeriesYear], secrecy: Secrecy) {
    if !secrecy.enabled() {
        return;
    }
    let mut last_shown: HashMap<Scope, u64> = HashMap::new();
    for year in series {
        for cell in &mut year.cumulated {
            let Some(value) = cell.personnes_cumulees else {
                continue;
            };
            let before = last_shown.get(&cell.scope).copied().unwrap_or(0);
            if secrecy.is_small(value) || secrecy.is_small(value.saturating_sub(before)) {
                cell.personnes_cumulees = None;
                cell.mask = Some(Mask::of(value, |v| secrecy.is_small(v)));
            } else {
                last_shown.insert(cell.scope.clone(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Cumulated, YearFigures};

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
}
