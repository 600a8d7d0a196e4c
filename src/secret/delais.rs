//! Secrecy on response times (SPEC §8): every count in them is a count of
//! persons — the answered within 30 days, within 31–90 days, later (they
//! add up to `repondues`), the persons still waiting (with `repondues`,
//! they add up to the scope's new persons, published in the rows) —
//! protected as one table. The quantiles and the shares are published
//! only for a scope whose `repondues` is at least 2K and none of whose
//! counts is masked: a quantile of a few délais is one person's délai,
//! and with the 30/90-day bands it would give a masked count back.

use super::suppression::Table;
use super::Secrecy;
use crate::indicators::{DelaiRow, Indicator, IndicatorRow, Mask};

/// Applies secrecy to the response times of a year, given the year's
/// rows (already protected) for the new persons of each scope.
pub(super) fn protect_delais(delais: &mut [DelaiRow], rows: &[IndicatorRow], secrecy: Secrecy) {
    for row in delais.iter_mut() {
        let (answered, within_30, within_90) =
            (row.repondues, row.sous_30_jours, row.sous_90_jours);
        row.masks.bands = [
            within_30,
            within_90.zip(within_30).map(|(b, a)| b - a),
            answered.zip(within_90).map(|(b, a)| b - a),
        ];
    }
    if !secrecy.enabled() {
        return;
    }
    for row in delais {
        // (v3) A scope of too few persons: none of its response times
        // (their counts, bands and quantiles bound its new persons).
        let persons = rows
            .iter()
            .find(|r| r.scope == row.scope && r.indicator == Indicator::PersonnesAccompagnees)
            .and_then(|r| r.numerator.or(r.mask.map(|_| 1)));
        if persons.is_some_and(|n| secrecy.is_thin(n)) {
            withhold(row);
            continue;
        }
        let new = rows
            .iter()
            .find(|r| r.scope == row.scope && r.indicator == Indicator::NouvellesPersonnes);
        let answered = row.repondues.unwrap_or(0);
        let waiting = row.en_attente_31_12.unwrap_or(0);
        let within_30 = row.sous_30_jours.unwrap_or(0);
        let within_90 = row.sous_90_jours.unwrap_or(0);
        let mut table = Table::new(vec![
            answered,
            waiting,
            answered + waiting,
            within_30,
            within_90 - within_30,
            answered - within_90,
        ]);
        const NEW: usize = 2;
        table.add_line(vec![0, 1], NEW);
        table.add_line(vec![3, 4, 5], 0);
        // The new persons are published in the rows: shown there, or
        // masked there as small (then every count of theirs is small too).
        if new.is_some_and(|r| !r.suppressed) {
            table.publish(NEW);
        }
        table.protect(secrecy);
        // (v3) Nothing left to mask and a count still pinned (new persons
        // 7, waiting `< 5`, answered `s`: waiting is 1 or 2): none of the
        // scope's response times is published.
        if table.leaves_a_secret_pinned(secrecy) {
            withhold(row);
            continue;
        }
        let counts_masked = (0..6).any(|c| c != NEW && table.is_masked(c));
        if let Some(mask) = table.mask(0) {
            row.repondues = None;
            row.masks.repondues = Some(mask);
        }
        if let Some(mask) = table.mask(1) {
            row.en_attente_31_12 = None;
            row.masks.en_attente = Some(mask);
        }
        for (i, cell) in (3..6).enumerate() {
            if let Some(mask) = table.mask(cell) {
                row.masks.bands[i] = None;
                row.masks.band_masks[i] = Some(mask);
            }
        }
        // Within 30 days is its band; within 90 the first two bands, and
        // the answered minus the later ones.
        if table.is_masked(3) {
            row.sous_30_jours = None;
        }
        if table.is_masked(3) || table.is_masked(4) || table.is_masked(5) {
            row.sous_90_jours = None;
        }
        // The quantiles only from 2K answered and no count masked (they
        // would bound the bands); the shares only from 2K answered.
        if answered < 2 * secrecy.min_count || counts_masked {
            row.delai_median = None;
            row.delai_p25 = None;
            row.delai_p75 = None;
            row.delai_p90 = None;
        }
        if answered < 2 * secrecy.min_count && answered > 0 {
            row.sous_30_jours = None;
            row.sous_90_jours = None;
        }
        row.suppressed = counts_masked
            || row.delai_median.is_none() && answered > 0
            || row.sous_30_jours.is_none() && answered > 0;
        // A row with no one answered has nothing to mask but its counts.
        if answered == 0 && row.masks.en_attente.is_none() && row.masks.repondues.is_none() {
            row.suppressed = false;
        }
    }
}

/// Every figure of a row withheld (`nd`).
fn withhold(row: &mut DelaiRow) {
    row.repondues = None;
    row.en_attente_31_12 = None;
    row.sous_30_jours = None;
    row.sous_90_jours = None;
    row.delai_median = None;
    row.delai_p25 = None;
    row.delai_p75 = None;
    row.delai_p90 = None;
    row.masks.repondues = Some(Mask::Withheld);
    row.masks.en_attente = Some(Mask::Withheld);
    row.masks.bands = [None; 3];
    row.masks.band_masks = [Some(Mask::Withheld); 3];
    row.suppressed = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::DelaiMasks;
    use crate::reference::Scope;

    const K: Secrecy = Secrecy { min_count: 5 };

    fn row(days: &[u64], waiting: u64) -> DelaiRow {
        let n = days.len() as u64;
        let within = |l: u64| days.iter().filter(|&&d| d <= l).count() as u64;
        DelaiRow {
            scope: Scope::Team("T".into()),
            year: 2024,
            repondues: Some(n),
            delai_median: Some(1),
            delai_p25: Some(1),
            delai_p75: Some(1),
            delai_p90: Some(1),
            sous_30_jours: Some(within(30)),
            sous_90_jours: Some(within(90)),
            en_attente_31_12: Some(waiting),
            suppressed: false,
            masks: DelaiMasks::default(),
        }
    }

    fn new_persons(n: u64) -> Vec<IndicatorRow> {
        let mut rows = crate::indicators::empty_rows(Scope::Team("T".into()), 2024);
        rows[1].numerator = Some(n);
        rows
    }

    #[test]
    fn few_answered_mask_their_number_the_waiting_ones_and_the_delais() {
        let mut rows = vec![row(&[3, 40], 10)];
        protect_delais(&mut rows, &new_persons(12), K);
        assert!(rows[0].suppressed);
        assert_eq!(rows[0].masks.repondues, Some(Mask::Small));
        assert_eq!(
            rows[0].masks.en_attente,
            Some(Mask::Protecting),
            "12 − 10 = 2"
        );
        assert_eq!(rows[0].delai_median, None);
        assert_eq!(
            rows[0].masks.band_masks[..2],
            [Some(Mask::Small); 2],
            "1, 1"
        );
        assert_eq!(rows[0].masks.bands, [None, None, Some(0)]);
    }

    #[test]
    fn response_times_that_would_leave_a_count_pinned_are_withheld() {
        // 3 answered (`< 5`), one in each band: three bands of at least 1
        // adding up to at most 4 are each 1 or 2, whatever is masked.
        let mut rows = vec![row(&[3, 40, 100], 10)];
        protect_delais(&mut rows, &new_persons(13), K);
        assert!(rows[0].suppressed);
        assert_eq!(rows[0].repondues, None);
        assert_eq!(rows[0].masks.repondues, Some(Mask::Withheld));
        assert_eq!(rows[0].masks.band_masks, [Some(Mask::Withheld); 3]);
    }

    #[test]
    fn a_band_the_table_leaves_is_published_even_without_the_shares() {
        // 8 answered within 30 days, none later: too few for the shares
        // and the quantiles, but the bands are counts the table protects.
        let mut rows = vec![row(&[1; 8], 7)];
        protect_delais(&mut rows, &new_persons(15), K);
        assert_eq!(rows[0].delai_median, None);
        assert_eq!(rows[0].masks.bands, [Some(8), Some(0), Some(0)]);
        assert_eq!(rows[0].masks.band_masks, [None; 3]);
    }

    #[test]
    fn a_small_number_waiting_hides_the_answered_and_what_adds_up_to_them() {
        let mut rows = vec![row(&[1; 20], 2)];
        protect_delais(&mut rows, &new_persons(22), K);
        assert_eq!((rows[0].repondues, rows[0].en_attente_31_12), (None, None));
        assert_eq!(rows[0].masks.en_attente, Some(Mask::Small));
        assert_eq!(
            rows[0].sous_30_jours, None,
            "20 within 30 days would give 22 − 20 back"
        );
        assert_eq!(rows[0].delai_median, None);
    }

    #[test]
    fn a_small_band_is_masked_with_another_and_the_quantiles_go() {
        // 20 within 30 days, 2 within 31–90, 10 later.
        let days: Vec<u64> = [vec![5; 20], vec![60; 2], vec![200; 10]].concat();
        let mut rows = vec![row(&days, 8)];
        protect_delais(&mut rows, &new_persons(40), K);
        assert_eq!(rows[0].repondues, Some(32));
        assert_eq!(rows[0].sous_30_jours, Some(20));
        assert_eq!(rows[0].sous_90_jours, None);
        assert_eq!(
            rows[0].delai_median, None,
            "the quantiles would bound the bands"
        );
    }

    #[test]
    fn enough_answered_keep_their_delais() {
        let days: Vec<u64> = [vec![5; 20], vec![60; 10], vec![200; 10]].concat();
        let mut rows = vec![row(&days, 8)];
        protect_delais(&mut rows, &new_persons(48), K);
        assert!(!rows[0].suppressed);
        assert_eq!(rows[0].delai_median, Some(1));
    }
}
