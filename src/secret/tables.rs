//! Secrecy on the tables of one scope, each as the catalog declares its
//! [`Protection`]: which cells add up to what, and which rates a masked
//! cell of their table takes with it.

use std::collections::BTreeSet;

use super::suppression::Table;
use super::Secrecy;
use crate::catalog::{brackets_under_age, Counted, Counting, Indicator, Positive, Protection};
use crate::indicators::{Count, Tables};

/// Masks a list of counts that adds up to a published `total`: returns
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

/// Masks counts that add up to nothing published (primary suppression
/// only); the count of *not filled in* (no value) is always shown.
fn protect_cells(counts: &mut [Count], secrecy: Secrecy) {
    for count in counts.iter_mut().filter(|c| c.value.is_some()) {
        if count.count.is_some_and(|c| secrecy.is_small(c)) {
            count.mask();
        }
    }
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

/// The values of a rate's table that are its numerator: the codes it
/// counts, or the age brackets under its age.
fn positive_cells(indicator: Indicator) -> Vec<&'static str> {
    match indicator.spec().counted {
        Counted::Value(_, Positive::Codes(codes)) => codes.to_vec(),
        Counted::AgeUnder(_) => brackets_under_age().collect(),
        _ => Vec::new(),
    }
}

/// Protects the codes of a multi-valued attribute that hold a rate "any
/// value but one": the rate's numerator `counted` (persons with another
/// code), the persons with that one code alone (its cell) and the
/// persons not filled in (always shown) add up to the persons, the first
/// two to the rate's denominator. Returns whether the rate is masked.
fn protect_codes_rate(
    counts: &mut [Count],
    alone: &str,
    counted: u64,
    not_filled: u64,
    persons: u64,
    secrecy: Secrecy,
) -> bool {
    let alone_index = counts
        .iter()
        .position(|c| c.value.as_deref() == Some(alone));
    let complement = alone_index.and_then(|i| counts[i].count).unwrap_or(0);
    let mut table = Table::new(vec![
        counted,
        complement,
        not_filled,
        counted + complement,
        persons,
    ]);
    table.fix(2);
    table.add_line(vec![0, 1, 2], 4);
    table.add_line(vec![0, 1], 3);
    table.add_line(vec![3, 2], 4);
    table.protect(secrecy);
    if let Some(i) = alone_index.filter(|_| table.masked[1]) {
        counts[i].mask();
    }
    protect_cells(counts, secrecy);
    table.masked[0] || table.masked[1] || table.masked[3]
}

/// Masks the durations of the interventions of a type whose count is
/// masked, or whose number with a duration is small.
fn protect_durations(counts: &mut [Count], secrecy: Secrecy) {
    for count in counts {
        let Some(durations) = &mut count.durations else {
            continue;
        };
        let small = durations.with_duration.is_some_and(|w| secrecy.is_small(w));
        if count.suppressed || small {
            durations.with_duration = None;
            durations.minutes = None;
            count.suppressed = true;
        }
    }
}

/// Applies secrecy to the tables of one scope, each as its spec says.
/// `figure` gives the numerator of one of the scope's indicators (its
/// persons, and the numerators of the rates a table holds). Returns the
/// rates that must be masked with their table.
pub(super) fn protect_tables(
    tables: &mut Tables,
    figure: impl Fn(Indicator) -> u64,
    secrecy: Secrecy,
) -> BTreeSet<Indicator> {
    let mut masked_rates = BTreeSet::new();
    if !secrecy.enabled() {
        return masked_rates;
    }
    let persons = figure(Indicator::PersonnesAccompagnees);
    // Tables of the same acts share their total: masked in one, masked in
    // all.
    let mut masked_totals: BTreeSet<Counting> = BTreeSet::new();
    for table in &mut tables.tables {
        let spec = table.id.spec();
        // The persons tables add up to the scope's persons; the others to
        // their own total.
        let total = match spec.counting {
            Counting::Persons => persons,
            _ => table.total.unwrap_or(0),
        };
        let total_masked = match spec.protection {
            Protection::Cells => {
                protect_cells(&mut table.cells, secrecy);
                false
            }
            Protection::Line => protect_line(&mut table.cells, total, secrecy),
            Protection::Rate(indicator) => {
                let positive = positive_cells(indicator);
                let (rate_masked, total_masked) =
                    protect_rate_table(&mut table.cells, &positive, total, secrecy);
                if rate_masked {
                    masked_rates.insert(indicator);
                }
                total_masked
            }
            Protection::CodesRate(indicator) => {
                let alone = match indicator.spec().counted {
                    Counted::Value(_, Positive::AnyBut(code)) => code,
                    _ => "",
                };
                let not_filled = table.not_filled.unwrap_or(0);
                if protect_codes_rate(
                    &mut table.cells,
                    alone,
                    figure(indicator),
                    not_filled,
                    persons,
                    secrecy,
                ) {
                    masked_rates.insert(indicator);
                }
                false
            }
        };
        protect_durations(&mut table.cells, secrecy);
        if total_masked && spec.counting != Counting::Persons {
            masked_totals.insert(spec.counting);
        }
    }
    for table in &mut tables.tables {
        if masked_totals.contains(&table.id.spec().counting) {
            table.total = None;
        }
    }
    // Fill rates are data-quality figures: published as they are.
    masked_rates
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
        let positive = crate::catalog::AT_HOME;
        let (suppressed, total_masked) = protect_rate_table(&mut counts, &positive, 36, K);
        assert!(suppressed, "the complement 2 would read 27 − 25");
        assert!(!total_masked);
        assert_eq!(counts[4].count, Some(9));
    }
}
