//! Secrecy on response times (SPEC §8): the quantiles and shares of a
//! scope whose `repondues` is under K are masked, and every count in them
//! is a count of persons: the answered within 30 days, within 31–90 days,
//! later (they add up to `repondues`), and the persons still waiting
//! (with `repondues`, they add up to the scope's new persons).

use super::suppression::Table;
use super::Secrecy;
use crate::indicators::DelaiRow;

pub(super) fn protect_delais(delais: &mut [DelaiRow], secrecy: Secrecy) {
    if !secrecy.enabled() {
        return;
    }
    for row in delais {
        let answered = row.repondues.unwrap_or(0);
        let waiting = row.en_attente_31_12.unwrap_or(0);
        let waiting_small = secrecy.is_small(waiting);
        if waiting_small {
            row.en_attente_31_12 = None;
            row.suppressed = true;
        }
        // Under K answered persons: neither their number nor their délais.
        if answered < secrecy.min_count {
            if answered > 0 {
                row.suppressed = true;
            }
            row.repondues = (answered == 0 && !waiting_small).then_some(0);
            row.delai_median = None;
            row.delai_p25 = None;
            row.delai_p75 = None;
            row.delai_p90 = None;
            row.sous_30_jours = row.repondues;
            row.sous_90_jours = row.repondues;
            continue;
        }
        // A masked number still waiting would come back as the new persons
        // minus the answered: their number goes too, and with it the
        // counts that add up to it. The délais of K or more persons stay.
        if waiting_small {
            row.repondues = None;
            row.sous_30_jours = None;
            row.sous_90_jours = None;
            continue;
        }
        let within_30 = row.sous_30_jours.unwrap_or(0);
        let within_90 = row.sous_90_jours.unwrap_or(0);
        let mut table = Table::new(vec![
            within_30,
            within_90 - within_30,
            answered - within_90,
            answered,
        ]);
        table.add_line(vec![0, 1, 2], 3);
        table.protect(secrecy);
        // Within 90 days is the answered minus the later ones.
        if table.masked[0] {
            row.sous_30_jours = None;
            row.suppressed = true;
        }
        if table.masked[2] {
            row.sous_90_jours = None;
            row.suppressed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Secrecy = Secrecy { min_count: 5 };

    fn row(days: &[u64], waiting: u64) -> DelaiRow {
        let n = days.len() as u64;
        let within = |l: u64| days.iter().filter(|&&d| d <= l).count() as u64;
        DelaiRow {
            scope: crate::reference::Scope::Team("T".into()),
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
        }
    }

    #[test]
    fn few_answered_mask_the_quantiles_and_shares() {
        let mut rows = vec![row(&[3, 40, 100], 10)];
        protect_delais(&mut rows, K);
        assert!(rows[0].suppressed);
        assert_eq!((rows[0].repondues, rows[0].delai_median), (None, None));
        assert_eq!(rows[0].en_attente_31_12, Some(10));
    }

    #[test]
    fn a_small_number_waiting_hides_the_answered_too_not_their_delais() {
        let mut rows = vec![row(&[1; 20], 2)];
        protect_delais(&mut rows, K);
        assert_eq!((rows[0].repondues, rows[0].en_attente_31_12), (None, None));
        assert_eq!((rows[0].sous_30_jours, rows[0].sous_90_jours), (None, None));
        assert_eq!(rows[0].delai_median, Some(1));
    }

    #[test]
    fn a_small_band_is_masked_with_the_next_one() {
        // 20 within 30 days, 2 within 31–90, 10 later.
        let days: Vec<u64> = [vec![5; 20], vec![60; 2], vec![200; 10]].concat();
        let mut rows = vec![row(&days, 8)];
        protect_delais(&mut rows, K);
        assert_eq!(rows[0].repondues, Some(32));
        assert_eq!(rows[0].delai_median, Some(1));
        // 31–90 (2) is masked, and with it the later band (10), so within
        // 90 days cannot be shown; within 30 days stays.
        assert_eq!(rows[0].sous_30_jours, Some(20));
        assert_eq!(rows[0].sous_90_jours, None);
    }
}
