//! Secrecy on the breakdowns of one scope: which tables add up to what,
//! and which rates a masked cell of their table takes with it.

use super::table::Table;
use super::Secrecy;
use crate::indicators::{
    Breakdowns, Count, AGE_BRACKETS, AT_HOME, DIAGNOSED, SCHOOLED, WITHOUT_SOLUTION,
};

/// LinkedRates a list of counts that adds up to a published `total`: returns
/// the masked list and whether the total itself is masked. The count of
/// *not filled in* (no value) is always shown.
fn protect_line(counts: &mut [Count], total: u64, secrecy: Secrecy) -> bool {
    let values: Vec<u64> = counts
        .iter()
        .map(|c| c.count.unwrap_or(0))
        .chain([total])
        .collect();
    let total_index = values.len() - 1;
    let mut table = Table::new(values);
    for (i, count) in counts.iter().enumerate() {
        if count.value.is_none() {
            table.fix(i);
        }
    }
    table.add_line((0..total_index).collect(), total_index);
    table.protect(secrecy);
    for (count, masked) in counts.iter_mut().zip(&table.masked) {
        if *masked {
            count.mask();
        }
    }
    table.masked[total_index]
}

/// LinkedRates counts that add up to nothing published (primary suppression
/// only); the count of *not filled in* (no value) is always shown.
fn protect_cells(counts: &mut [Count], secrecy: Secrecy) {
    for count in counts.iter_mut().filter(|c| c.value.is_some()) {
        if count.count.is_some_and(|c| secrecy.is_small(c)) {
            count.mask();
        }
    }
}

/// Which rates of a scope must be suppressed so that their figures do not
/// reopen a masked cell of the table they come from (linked to their table).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LinkedRates {
    pub maladie_rare: bool,
    pub lieu_de_vie: bool,
    pub tnd: bool,
    pub scolarisation: bool,
    pub under_20: bool,
    pub situation: bool,
}

/// Protects a categorical table together with the rate drawn from it: the
/// rate's numerator (the `positive` codes), its complement (the other
/// filled codes) and its denominator (every filled code) are cells of the
/// same table, with their lines, so that a rate left published never gives
/// back a masked cell. The not-filled cell is always shown. Returns whether
/// the rate must be suppressed (its numerator, complement or denominator is
/// masked) and whether the total is.
fn protect_rate_table(
    counts: &mut [Count],
    positive: &[&str],
    total: u64,
    secrecy: Secrecy,
) -> (bool, bool) {
    let n = counts.len();
    let value = |c: &Count| c.count.unwrap_or(0);
    let is_positive = |c: &Count| c.value.as_deref().is_some_and(|v| positive.contains(&v));
    let numerator: u64 = counts.iter().filter(|c| is_positive(c)).map(value).sum();
    let denominator: u64 = counts.iter().filter(|c| c.value.is_some()).map(value).sum();
    let values: Vec<u64> = counts
        .iter()
        .map(value)
        .chain([numerator, denominator, total, denominator - numerator])
        .collect();
    let (num, den, all, complement) = (n, n + 1, n + 2, n + 3);
    let mut table = Table::new(values);
    table.add_line((0..n).collect(), all);
    table.add_line((0..n).filter(|&i| counts[i].value.is_some()).collect(), den);
    table.add_line((0..n).filter(|&i| is_positive(&counts[i])).collect(), num);
    table.add_line(
        (0..n)
            .filter(|&i| counts[i].value.is_some() && !is_positive(&counts[i]))
            .collect(),
        complement,
    );
    table.add_line(vec![num, complement], den);
    if let Some(nf) = (0..n).find(|&i| counts[i].value.is_none()) {
        table.fix(nf);
        table.add_line(vec![den, nf], all);
    }
    table.protect(secrecy);
    for (count, masked) in counts.iter_mut().zip(&table.masked) {
        if *masked {
            count.mask();
        }
    }
    let suppressed = table.masked[num] || table.masked[den] || table.masked[complement];
    (suppressed, table.masked[all])
}

/// Applies secrecy to the breakdowns of one scope. `active` is the scope's
/// number of persons (the total of the person tables) and `tnd` the
/// numerator of its TND rate.
pub(super) fn protect_breakdowns(
    breakdowns: &mut Breakdowns,
    active: u64,
    tnd: u64,
    secrecy: Secrecy,
) -> LinkedRates {
    if !secrecy.enabled() {
        return LinkedRates::default();
    }
    for counts in [
        &mut breakdowns.persons_by_region,
        &mut breakdowns.persons_by_sex,
    ] {
        protect_line(counts, active, secrecy);
    }
    // The age brackets hold the rate `moins_de_20_ans`: the brackets under
    // 20 are its numerator, an unknown age its not-filled cell.
    let under_20_brackets: Vec<&str> = AGE_BRACKETS
        .iter()
        .filter(|(_, _, highest)| *highest < 20)
        .map(|(label, _, _)| *label)
        .collect();
    let (under_20, _) = protect_rate_table(
        &mut breakdowns.persons_by_age,
        &under_20_brackets,
        active,
        secrecy,
    );
    let (situation, _) = protect_rate_table(
        &mut breakdowns.situation,
        &WITHOUT_SOLUTION,
        active,
        secrecy,
    );
    let (maladie_rare, _) =
        protect_rate_table(&mut breakdowns.maladie_rare, &DIAGNOSED, active, secrecy);
    let (lieu_de_vie, _) =
        protect_rate_table(&mut breakdowns.lieu_de_vie, &AT_HOME, active, secrecy);
    let children = breakdowns.children.unwrap_or(0);
    let (scolarisation, children_masked) = protect_rate_table(
        &mut breakdowns.scolarisation_3_16,
        &SCHOOLED,
        children,
        secrecy,
    );
    if children_masked {
        breakdowns.children = None;
    }
    protect_cells(&mut breakdowns.persons_by_team, secrecy);
    protect_cells(&mut breakdowns.deficiences, secrecy);
    protect_cells(&mut breakdowns.deficience_combinations, secrecy);
    // TND: persons with at least one TND (the numerator), `aucun` alone
    // (the complement) and not filled in (always shown) add up to the
    // persons; the first two to the rate's denominator.
    let tnd_masked = {
        let aucun_index = breakdowns
            .tnd
            .iter()
            .position(|c| c.value.as_deref() == Some("aucun"));
        let aucun = aucun_index
            .and_then(|i| breakdowns.tnd[i].count)
            .unwrap_or(0);
        let not_filled = breakdowns.tnd_not_filled;
        let mut table = Table::new(vec![tnd, aucun, not_filled, tnd + aucun, active]);
        table.fix(2);
        table.add_line(vec![0, 1, 2], 4);
        table.add_line(vec![0, 1], 3);
        table.add_line(vec![3, 2], 4);
        table.protect(secrecy);
        if let Some(i) = aucun_index.filter(|_| table.masked[1]) {
            breakdowns.tnd[i].mask();
        }
        protect_cells(&mut breakdowns.tnd, secrecy);
        table.masked[0] || table.masked[1] || table.masked[3]
    };
    let requests = breakdowns.requests.unwrap_or(0);
    for counts in [
        &mut breakdowns.requests_by_month,
        &mut breakdowns.requests_by_origin,
        &mut breakdowns.requests_by_team,
    ] {
        if protect_line(counts, requests, secrecy) {
            breakdowns.requests = None;
        }
    }
    let interventions = breakdowns.interventions.unwrap_or(0);
    if protect_line(
        &mut breakdowns.interventions_by_team,
        interventions,
        secrecy,
    ) {
        breakdowns.interventions = None;
    }
    let mut by_type: Vec<Count> = breakdowns
        .interventions_by_type
        .iter()
        .map(|d| Count::new(d.value.clone(), d.count.unwrap_or(0)))
        .collect();
    if protect_line(&mut by_type, interventions, secrecy) {
        breakdowns.interventions = None;
    }
    for (durations, count) in breakdowns.interventions_by_type.iter_mut().zip(&by_type) {
        let small_duration = durations.with_duration.is_some_and(|w| secrecy.is_small(w));
        if count.suppressed || small_duration {
            durations.count = if count.suppressed {
                None
            } else {
                durations.count
            };
            durations.with_duration = None;
            durations.minutes = None;
            durations.suppressed = true;
        }
    }
    // Fill rates are data-quality figures: published as they are.
    LinkedRates {
        maladie_rare,
        lieu_de_vie,
        tnd: tnd_masked,
        scolarisation,
        under_20,
        situation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Secrecy = Secrecy { min_count: 5 };

    #[test]
    fn a_single_small_cell_takes_the_next_smallest_with_it() {
        // 3 + 40 + 12 = 55: masking 3 alone would give it back as 55 − 40 − 12.
        let mut counts = vec![
            Count::new(Some("a".into()), 3),
            Count::new(Some("b".into()), 40),
            Count::new(Some("c".into()), 12),
        ];
        let total_masked = protect_line(&mut counts, 55, K);
        assert!(!total_masked);
        assert!(counts[0].suppressed && counts[2].suppressed && !counts[1].suppressed);
        assert_eq!(counts[0].count, None);
        assert_eq!(counts[1].count, Some(40));
    }

    #[test]
    fn zeros_stay_and_the_total_goes_when_nothing_else_can() {
        let mut counts = vec![
            Count::new(Some("a".into()), 2),
            Count::new(Some("b".into()), 0),
        ];
        assert!(
            protect_line(&mut counts, 2, K),
            "the total is masked (it is small anyway)"
        );
        let mut counts = vec![
            Count::new(Some("a".into()), 4),
            Count::new(Some("b".into()), 0),
        ];
        let mut table = Table::new(vec![4, 0, 30]);
        table.add_line(vec![0, 1], 2);
        table.protect(K);
        assert_eq!(table.masked, vec![true, false, true]);
        assert!(
            protect_line(&mut counts, 30, K),
            "the zero cannot hide the 4: the total goes"
        );
        assert!(counts[0].suppressed && !counts[1].suppressed);
    }

    #[test]
    fn min_count_one_turns_it_off() {
        let mut counts = vec![
            Count::new(Some("a".into()), 1),
            Count::new(Some("b".into()), 2),
        ];
        protect_line(&mut counts, 3, Secrecy::new(1));
        assert!(counts.iter().all(|c| !c.suppressed));
    }

    #[test]
    fn not_filled_cells_are_shown_and_never_taken_by_secondary_suppression() {
        // 3 + 40 + 2 (not filled) = 45: the 3 is masked, and the next cell
        // masked with it is the 40, not the not-filled 2.
        let mut counts = vec![
            Count::new(Some("a".into()), 3),
            Count::new(Some("b".into()), 40),
            Count::new(None, 2),
        ];
        assert!(!protect_line(&mut counts, 45, K));
        assert!(counts[0].suppressed && counts[1].suppressed);
        assert_eq!(counts[2].count, Some(2));
    }

    #[test]
    fn a_rate_table_masks_its_rate_when_the_complement_is_small() {
        // 20 + 5 at home, 1 + 1 elsewhere, 9 not filled: 25 / 27.
        let mut counts = vec![
            Count::new(Some("domicile_familial".into()), 20),
            Count::new(Some("domicile_personnel".into()), 5),
            Count::new(Some("etablissement_medico_social".into()), 1),
            Count::new(Some("etablissement_sanitaire".into()), 1),
            Count::new(None, 9),
        ];
        let positive = AT_HOME;
        let (suppressed, total_masked) = protect_rate_table(&mut counts, &positive, 36, K);
        assert!(suppressed, "the complement 2 would read 27 − 25");
        assert!(!total_masked);
        assert_eq!(counts[4].count, Some(9));
    }
}
