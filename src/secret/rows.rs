//! Secrecy on indicator rows (SPEC §5, §8).

use std::collections::BTreeSet;

use super::Secrecy;
use crate::indicators::{Indicator, IndicatorRow};
use crate::reference::Scope;

/// Applies secrecy to indicator rows: a count from 1 to K−1 is masked; a
/// rate's numerator and denominator are masked (`null`) when its
/// numerator, denominator or complement (denominator − numerator) is from 1
/// to K−1, or when the table it comes from shows a mask. Its not-filled
/// count is a data-quality figure and stays.
pub(super) fn protect_rows<'a>(
    rows: &mut [IndicatorRow],
    secrecy: Secrecy,
    masked_with_table: impl Fn(&Scope) -> &'a BTreeSet<Indicator>,
) {
    if !secrecy.enabled() {
        return;
    }
    for row in rows.iter_mut() {
        let linked = masked_with_table(&row.scope).contains(&row.indicator);
        let complement = row
            .denominator
            .zip(row.numerator)
            .map(|(d, n)| d.saturating_sub(n));
        let small = [row.numerator, row.denominator, complement]
            .into_iter()
            .flatten()
            .any(|v| secrecy.is_small(v));
        if small || linked {
            row.numerator = None;
            row.denominator = None;
            row.suppressed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Secrecy = Secrecy { min_count: 5 };

    fn row(indicator: Indicator, figures: (u64, Option<u64>, Option<u64>)) -> IndicatorRow {
        IndicatorRow {
            scope: Scope::Team("T".into()),
            year: 2024,
            indicator,
            numerator: Some(figures.0),
            denominator: figures.1,
            not_filled: figures.2,
            suppressed: false,
        }
    }

    #[test]
    fn a_rate_goes_with_a_small_numerator_denominator_or_complement_not_with_its_not_filled() {
        let mut rows = vec![
            row(Indicator::VitADomicile, (30, Some(40), Some(2))),
            row(Indicator::PersonnesAccompagnees, (42, None, None)),
            row(Indicator::NouvellesPersonnes, (4, None, None)),
            row(Indicator::AuMoinsUnTnd, (37, Some(40), Some(2))),
            row(Indicator::MaladieRareDiagnostiquee, (3, Some(40), Some(0))),
        ];
        let none = BTreeSet::new();
        protect_rows(&mut rows, K, |_| &none);
        assert!(
            !rows[0].suppressed,
            "2 not filled in is a data-quality figure"
        );
        assert_eq!(rows[0].not_filled, Some(2));
        assert!(!rows[1].suppressed);
        assert!(rows[2].suppressed && rows[2].numerator.is_none());
        assert!(rows[3].suppressed, "40 − 37 = 3 persons without a TND");
        assert_eq!(
            (rows[3].numerator, rows[3].denominator, rows[3].not_filled),
            (None, None, Some(2))
        );
        assert!(rows[4].suppressed);
    }
}
