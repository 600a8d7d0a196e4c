//! Secrecy on indicator rows (SPEC §5, §8).

use super::tables::TableMasks;
use super::Secrecy;
use crate::catalog::{Kind, Population};
use crate::indicators::{Indicator, IndicatorRow, Mask};
use crate::reference::Scope;

/// Applies secrecy to indicator rows: a count from 1 to K−1 is masked; a
/// rate's numerator and denominator are masked (`null`) when its
/// numerator, denominator or complement (denominator − numerator) is from 1
/// to K−1, or when the table it comes from masks one of them. Its
/// not-filled count is a data-quality figure: published only where the
/// population it completes is (SPEC §8), the scope's persons or, for the
/// 3–16 year olds, the children when their table shows them, and only
/// where its table shows its cell. A scope whose
/// persons are masked shows no part of any of its rows.
pub(super) fn protect_rows<'a>(
    rows: &mut [IndicatorRow],
    secrecy: Secrecy,
    masks_of: impl Fn(&Scope) -> Option<&'a TableMasks>,
) {
    if !secrecy.enabled() {
        return;
    }
    let small = |v: u64| secrecy.is_small(v);
    let persons_masked: Vec<Scope> = rows
        .iter()
        .filter(|r| r.indicator == Indicator::PersonnesAccompagnees)
        .filter(|r| r.numerator.is_some_and(small))
        .map(|r| r.scope.clone())
        .collect();
    let thin: Vec<Scope> = rows
        .iter()
        .filter(|r| r.indicator == Indicator::PersonnesAccompagnees)
        .filter(|r| r.numerator.is_some_and(|n| secrecy.is_thin(n)))
        .map(|r| r.scope.clone())
        .collect();
    for row in rows.iter_mut() {
        let masks = masks_of(&row.scope);
        let linked = masks.is_some_and(|m| m.rates.contains(&row.indicator));
        let complement = row
            .denominator
            .zip(row.numerator)
            .map(|(d, n)| d.saturating_sub(n));
        // (v3) A mean's numerator is a number of codes, not of persons:
        // only its denominator is (SPEC §8).
        let any_small = if row.indicator.is_mean() {
            row.denominator.is_some_and(small)
        } else {
            [row.numerator, row.denominator, complement]
                .into_iter()
                .flatten()
                .any(small)
        };
        // A small denominator is the population less its not-filled
        // count, both published otherwise: it takes the count with it.
        let small_denominator = row.denominator.is_some_and(small);
        if any_small || linked {
            row.mask = match row.numerator {
                Some(_) if row.indicator.is_mean() => Some(Mask::Protecting),
                numerator => numerator.map(|n| Mask::of(n, small)),
            };
            row.numerator = None;
            row.denominator = None;
            row.suppressed = true;
        }
        // (v3, SPEC §8 "Against an intruder") A scope of too few persons
        // that year (fewer than 3K, its persons masked or not) shows no
        // part of any rate or mean, zeros included: a denominator of 0 and
        // a not-filled count add up to its persons, and a few persons'
        // rates pin their tables' cells. (Its counts are published as the
        // rules above say.)
        let rate_or_mean = !matches!(row.indicator.spec().kind, Kind::Count);
        if rate_or_mean && thin.contains(&row.scope) {
            row.mask = Some(Mask::Withheld);
            row.numerator = None;
            row.denominator = None;
            row.not_filled = None;
            row.suppressed = true;
        }
        let population_masked = match row.indicator.spec().population {
            Population::Active => persons_masked.contains(&row.scope),
            // The children are published in the report's table only.
            Population::Children => {
                row.suppressed && masks.is_none_or(|m| m.populations.contains(&row.indicator))
            }
        };
        // The table behind the rate masked its not-filled cell.
        let cell_masked = masks.is_some_and(|m| m.not_filled.contains(&row.indicator));
        if (population_masked || cell_masked || small_denominator)
            && row.not_filled.is_some_and(|nf| nf > 0)
        {
            row.not_filled = None;
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
            mask: None,
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
        protect_rows(&mut rows, K, |_| None);
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
        assert_eq!(rows[4].mask, Some(Mask::Small));
        assert_eq!(rows[3].mask, Some(Mask::Protecting), "37 is not small");
    }

    #[test]
    fn not_filled_goes_with_a_masked_population() {
        // 3 persons, none with `situation` filled in: not filled = 3.
        let mut rows = vec![
            row(Indicator::PersonnesAccompagnees, (3, None, None)),
            row(Indicator::PersonnesSansSolution, (0, Some(0), Some(3))),
        ];
        protect_rows(&mut rows, K, |_| None);
        assert_eq!(rows[1].not_filled, None);
    }

    #[test]
    fn not_filled_goes_with_its_masked_table_cell() {
        // The table of 17 persons masked its 2 not filled in (a last
        // resort): the row would give it back.
        let mut rows = vec![
            row(Indicator::PersonnesAccompagnees, (17, None, None)),
            row(Indicator::VitADomicile, (11, Some(15), Some(2))),
        ];
        let masks = TableMasks {
            rates: [Indicator::VitADomicile].into(),
            not_filled: [Indicator::VitADomicile].into(),
            ..TableMasks::default()
        };
        protect_rows(&mut rows, K, |_| Some(&masks));
        assert_eq!(
            (rows[1].numerator, rows[1].denominator, rows[1].not_filled),
            (None, None, None)
        );
        assert!(rows[1].suppressed);
    }

    #[test]
    fn a_small_denominator_takes_its_not_filled_count_with_it() {
        // 43 persons, 3 of them with the field filled in: 43 − 40 = 3.
        let mut rows = vec![
            row(Indicator::PersonnesAccompagnees, (43, None, None)),
            row(Indicator::PersonnesSansSolution, (1, Some(3), Some(40))),
        ];
        protect_rows(&mut rows, K, |_| None);
        assert_eq!(
            (rows[1].numerator, rows[1].denominator, rows[1].not_filled),
            (None, None, None)
        );
    }

    #[test]
    fn a_scope_of_fewer_than_3k_persons_shows_no_part_of_its_rates_zeros_included() {
        // 12 persons at K = 5: their rates would pin their tables' cells.
        let mut rows = vec![
            row(Indicator::PersonnesAccompagnees, (12, None, None)),
            row(Indicator::NouvellesPersonnes, (6, None, None)),
            row(Indicator::VitADomicile, (6, Some(12), Some(0))),
            row(Indicator::PersonnesSansSolution, (0, Some(0), Some(12))),
        ];
        protect_rows(&mut rows, K, |_| None);
        assert_eq!(rows[0].numerator, Some(12), "its persons are published");
        assert_eq!(rows[1].numerator, Some(6), "a count stays");
        for rate in &rows[2..] {
            assert_eq!(
                (rate.numerator, rate.denominator, rate.not_filled),
                (None, None, None)
            );
            assert_eq!(rate.mask, Some(Mask::Withheld));
            assert_eq!(rate.parts_mask(), Mask::Withheld);
        }
        // 15 persons is not thin.
        let mut rows = vec![
            row(Indicator::PersonnesAccompagnees, (15, None, None)),
            row(Indicator::VitADomicile, (7, Some(15), Some(0))),
        ];
        protect_rows(&mut rows, K, |_| None);
        assert_eq!(rows[1].numerator, Some(7));
    }
}
