//! Secrecy on the tables of one scope, each as the catalog declares its
//! [`Protection`] (SPEC §8): which cells add up to what, which cells are
//! secrets, and which rates a masked cell of their table takes with it.
//! Counts of persons are masked; counts of acts (demandes, interventions)
//! are published as they are, but in the national interventions by team,
//! whose small cells are masked as a line. In the national tables of acts
//! by team, the teams without a report of their own are one row with the
//! acts without a team ([`merge_others`]): their acts would tell their
//! persons back (a person has at least one act), and masking them cannot
//! hide them, since every other team publishes its own.

use std::collections::BTreeSet;

use super::suppression::{small_count_pinned, Table};
use super::Secrecy;
use crate::catalog::{
    brackets_under_age, Counted, Counting, Dimension, Indicator, Positive, Protection,
    CODE_COUNT_BRACKETS, NONE, TND_DISORDER,
};
use crate::indicators::{Count, CountTable, Mask, Tables};

/// What protecting a scope's tables decided beyond the tables themselves.
#[derive(Debug, Clone, Default)]
pub struct TableMasks {
    /// The rates whose table masks a cell of their numerator, complement or
    /// denominator: masked with it.
    pub rates: BTreeSet<Indicator>,
    /// The rates whose population is masked (the children aged 3 to 16):
    /// their not-filled count is masked too (it would give it back).
    pub populations: BTreeSet<Indicator>,
    /// (v3) The indicators whose distribution of a number of codes masks
    /// a cell: the shares of their codes are masked with it.
    pub distributions: BTreeSet<Indicator>,
    /// The rates whose table masks its not-filled cell (taken as a last
    /// resort to protect another): their rows' not-filled count is masked
    /// too, or it would give the cell back.
    pub not_filled: BTreeSet<Indicator>,
}

/// Applies the table's masks to its cells (indices `0..cells.len()`).
fn apply(table: &Table, counts: &mut [Count]) {
    for (cell, count) in counts.iter_mut().enumerate() {
        if let Some(mask) = table.mask(cell) {
            count.mask(mask);
        }
    }
}

/// Withholds every cell of a table whose suppression leaves a secret
/// pinned (nothing is left to mask in its lines, or another published
/// figure caps it): it reads `nd`, zeros and *not filled in* included.
/// Whether it did.
fn withhold_if_pinned(table: &Table, counts: &mut [Count], secrecy: Secrecy) -> bool {
    let pinned = table.leaves_a_secret_pinned(secrecy);
    if pinned {
        for count in counts.iter_mut() {
            count.mask(Mask::Withheld);
        }
    }
    pinned
}

/// What the national table tells an intruder of each cell of a team's
/// table (`None` at the national level): at most its national count
/// when shown, K − 1 when it reads `< K`.
fn national_caps(
    counts: &[Count],
    national: Option<&CountTable>,
    secrecy: Secrecy,
) -> Vec<Option<u64>> {
    counts
        .iter()
        .map(|count| {
            let cell = national?.cells.iter().find(|c| c.value == count.value)?;
            match (cell.count, cell.mask) {
                (Some(n), _) => Some(n),
                (None, Some(Mask::Small)) => Some(secrecy.min_count - 1),
                (None, _) => None,
            }
        })
        .collect()
}

/// Caps the cells `0..caps.len()` of `table`.
fn cap(table: &mut Table, caps: &[Option<u64>]) {
    for (cell, at_most) in caps.iter().enumerate() {
        if let Some(at_most) = *at_most {
            table.cap(cell, at_most);
        }
    }
}

/// A list of counts that adds up to `total` (shown elsewhere: fixed);
/// the count of *not filled in* (no value) is fixed too. Withheld whole
/// when no mask can protect a cell.
fn protect_line(counts: &mut [Count], total: u64, caps: &[Option<u64>], secrecy: Secrecy) {
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
    table.publish(total_index);
    table.add_line((0..total_index).collect(), total_index);
    cap(&mut table, caps);
    table.protect(secrecy);
    if !withhold_if_pinned(&table, counts, secrecy) {
        apply(&table, counts);
    }
}

/// Counts that add up to nothing published: each small one is masked.
fn protect_cells(counts: &mut [Count], secrecy: Secrecy) {
    for count in counts.iter_mut().filter(|c| c.value.is_some()) {
        if count.count.is_some_and(|c| secrecy.is_small(c)) {
            count.mask(Mask::Small);
        }
    }
}

/// (v3, SPEC §8 "Against an intruder") The national tables of acts by
/// team: the acts of the teams in `withheld` (no report of their own: under
/// K persons, or outside the referential) and those without a team become
/// one row, without a value (*Autres*), last. Masking a withheld team's
/// acts cannot hide them — the national total minus every other team's,
/// each published in its own report, gives them back, and with them a
/// bound on its persons — while their sum with the acts of no team tells
/// no team's.
pub(super) fn merge_others(tables: &mut Tables, withheld: &BTreeSet<String>) {
    for table in &mut tables.tables {
        let spec = table.id.spec();
        let acts = matches!(spec.counting, Counting::Demandes | Counting::Interventions);
        if !acts || spec.dimension != Dimension::Team {
            continue;
        }
        let (others, kept): (Vec<Count>, Vec<Count>) = std::mem::take(&mut table.cells)
            .into_iter()
            .partition(|c| c.value.as_ref().is_none_or(|team| withheld.contains(team)));
        table.cells = kept;
        let sum = others.iter().filter_map(|c| c.count).sum();
        table.cells.push(Count::new(None, sum));
    }
}

/// Protects a categorical table together with the rate drawn from it: the
/// rate's numerator (the `positive` values), its complement (the other
/// filled values) and its denominator (every filled value) are cells of
/// the same table, with their lines, so that a rate left published never
/// gives back a masked cell. The not-filled cell and, for a table of the
/// scope's persons, the total are published elsewhere (fixed). Withheld
/// whole, with its rate, when no mask can protect a cell.
fn protect_rate_table(
    counts: &mut [Count],
    positive: &[&str],
    total: u64,
    total_fixed: bool,
    caps: &[Option<u64>],
    secrecy: Secrecy,
) -> RateTable {
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
    if total_fixed {
        table.publish(all);
    }
    cap(&mut table, caps);
    table.protect(secrecy);
    if withhold_if_pinned(&table, counts, secrecy) {
        return RateTable {
            rate_masked: true,
            total_mask: table.mask(all),
            not_filled_masked: (0..n).any(|i| counts[i].value.is_none()),
        };
    }
    apply(&table, counts);
    RateTable {
        rate_masked: [num, den, complement].iter().any(|&c| table.is_masked(c)),
        total_mask: table.mask(all),
        not_filled_masked: (0..n).any(|i| counts[i].value.is_none() && table.is_masked(i)),
    }
}

/// What protecting a rate's table decided for the rate.
struct RateTable {
    /// Its numerator, denominator or complement is masked.
    rate_masked: bool,
    /// How its total reads, when masked.
    total_mask: Option<Mask>,
    /// Its not-filled cell is masked.
    not_filled_masked: bool,
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
/// persons not filled in (fixed) add up to the persons (fixed), the first
/// two to the rate's denominator. Its not-filled count is masked only as
/// a last resort, and then with the rate's (`RateTable`). For a team,
/// `counted_at_most` is the national numerator; withheld whole when no
/// mask can protect a cell.
fn protect_codes_rate(
    counts: &mut [Count],
    alone: &str,
    counted: u64,
    not_filled: u64,
    persons: u64,
    counted_at_most: Option<u64>,
    secrecy: Secrecy,
) -> RateTable {
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
    table.publish(4);
    table.add_line(vec![0, 1, 2], 4);
    table.add_line(vec![0, 1], 3);
    table.add_line(vec![3, 2], 4);
    if let Some(at_most) = counted_at_most {
        table.cap(0, at_most);
    }
    table.protect(secrecy);
    if withhold_if_pinned(&table, counts, secrecy) {
        return RateTable {
            rate_masked: true,
            total_mask: None,
            not_filled_masked: true,
        };
    }
    if let Some(i) = alone_index {
        if let Some(mask) = table.mask(1) {
            counts[i].mask(mask);
        }
    }
    protect_cells(counts, secrecy);
    RateTable {
        rate_masked: table.is_masked(0) || table.is_masked(1) || table.is_masked(3),
        total_mask: None,
        not_filled_masked: table.is_masked(2),
    }
}

/// (v3) Protects each code's persons, a share of `base` (SPEC §8): the
/// codes' cells add up to the persons' total number of codes (the
/// numerator of a mean, the distribution's weighted total), taken as
/// published; each cell and its complement in the base (`base − n`, the
/// complement rule of a share) must not be pinned to a small count. Every
/// cell is masked when the distribution of the number of codes masks one
/// (`distribution_masked`); `aucun` is the distribution's 0, masked with
/// it. With `tnd`, the persons with ≥ 1 TND of `tnd`, the `tnd` cell
/// ("dont TND") is masked when it differs from them by 1 to K−1.
fn protect_shares(
    counts: &mut [Count],
    base: u64,
    distribution_masked: bool,
    tnd: Option<u64>,
    caps: &[Option<u64>],
    secrecy: Secrecy,
) {
    let small = |n: u64| secrecy.is_small(n);
    let codes: Vec<usize> = (0..counts.len())
        .filter(|&i| counts[i].value.as_deref().is_some_and(|v| v != NONE))
        .collect();
    if distribution_masked {
        for count in counts.iter_mut().filter(|c| c.value.is_some()) {
            // A zero is no secret and protects nothing (SPEC §8).
            if let Some(n) = count.count.filter(|&n| n > 0) {
                count.mask(Mask::of(n, small));
            }
        }
        return;
    }
    let value = |i: usize| counts[i].count.unwrap_or(0);
    // The cells, their sum, the base, then each cell's complement.
    let mut values: Vec<u64> = codes.iter().map(|&i| value(i)).collect();
    let total = values.len();
    values.push(values.iter().sum());
    let base_cell = values.len();
    values.push(base);
    for &i in &codes {
        values.push(base.saturating_sub(value(i)));
    }
    let mut table = Table::new(values);
    table.publish(total);
    table.publish(base_cell);
    table.add_line((0..codes.len()).collect(), total);
    for (k, &i) in codes.iter().enumerate() {
        table.add_line(vec![k, base_cell + 1 + k], base_cell);
        // "dont TND" is masked whatever its value when it would give back
        // a small difference with the persons with ≥ 1 TND.
        if counts[i].value.as_deref() == Some(TND_DISORDER)
            && tnd.is_some_and(|t| small(value(i).saturating_sub(t)))
        {
            table.guard(k);
        }
        if let Some(at_most) = caps.get(i).copied().flatten() {
            table.cap(k, at_most);
        }
    }
    table.protect(secrecy);
    if withhold_if_pinned(&table, counts, secrecy) {
        return;
    }
    for (k, &i) in codes.iter().enumerate() {
        if let Some(mask) = table.mask(k) {
            counts[i].mask(mask);
        }
    }
}

/// (v3) A scope of too few persons for a breakdown (`Secrecy::is_thin`):
/// every cell of its tables of persons reads `nd`, zeros and *not filled
/// in* included, and so does a total that is not its persons (the
/// children). Its tables of acts stay.
fn withhold_persons_tables(tables: &mut Tables) {
    for table in &mut tables.tables {
        let counting = table.id.spec().counting;
        if !matches!(
            counting,
            Counting::Persons | Counting::Children | Counting::TeamPersons
        ) {
            continue;
        }
        for cell in &mut table.cells {
            cell.mask(Mask::Withheld);
        }
        table.not_filled = None;
        if counting != Counting::Persons {
            table.total = None;
            table.total_mask = Some(Mask::Withheld);
        }
    }
}

/// What caps a team's tables (SPEC §8 "Against an intruder"): the
/// national tables as published, and the national figures (a team's
/// persons with a TND are at most the nation's).
pub(super) struct National<'a> {
    pub tables: &'a Tables,
    pub figure: &'a dyn Fn(Indicator) -> u64,
}

/// Applies secrecy to the tables of one scope, each as its spec says.
/// `figure` gives the numerator of one of the scope's indicators (its
/// persons, and the numerators of the rates a table holds); `national`,
/// for a team, what caps its cells.
pub(super) fn protect_tables(
    tables: &mut Tables,
    figure: impl Fn(Indicator) -> u64,
    national: Option<National>,
    secrecy: Secrecy,
) -> TableMasks {
    let mut masks = TableMasks::default();
    if !secrecy.enabled() {
        return masks;
    }
    let persons = figure(Indicator::PersonnesAccompagnees);
    let thin = secrecy.is_thin(persons);
    if thin {
        withhold_persons_tables(tables);
    }
    // (v3) The base of each indicator's shares, from its distribution
    // before any mask: the persons with ≥ 1 code for a rate, the
    // denominator for a mean.
    let bases: Vec<(Indicator, u64)> = tables
        .tables
        .iter()
        .filter_map(|table| match table.id.spec().protection {
            Protection::Distribution(indicator) => Some((
                indicator,
                table
                    .cells
                    .iter()
                    .filter(|c| c.value.is_some())
                    .filter(|c| indicator.is_mean() || c.value.as_deref() != Some("0"))
                    .filter_map(|c| c.count)
                    .sum(),
            )),
            _ => None,
        })
        .collect();
    let is_national = tables.scope.is_national();
    for table in &mut tables.tables {
        let spec = table.id.spec();
        let acts = matches!(spec.counting, Counting::Demandes | Counting::Interventions);
        // Counts of acts are published as they are (SPEC §8), by team too
        // (decision 198)…
        let interventions_by_team = is_national
            && spec.counting == Counting::Interventions
            && spec.dimension == Dimension::Team;
        // A thin scope's other tables are withheld (above).
        if (thin && !acts) || (acts && !interventions_by_team) {
            continue;
        }
        // The persons tables add up to the scope's persons; the others to
        // their own total.
        let total = match spec.counting {
            Counting::Persons => persons,
            _ => table.total.unwrap_or(0),
        };
        let caps = if acts {
            Vec::new()
        } else {
            national_caps(
                &table.cells,
                national.as_ref().map(|n| n.tables.get(table.id)),
                secrecy,
            )
        };
        match spec.protection {
            // … but the national interventions by team mask a team's small
            // cells as a line: a run of the national report alone writes
            // no team report, and a team's 1 or 2 interventions would
            // bound its persons answered or visited. (Its demandes are in
            // the national referral table too; the teams without a report
            // are merged into « Autres » by `merge_others`, fixed.)
            _ if acts => protect_line(&mut table.cells, total, &caps, secrecy),
            Protection::Cells => protect_cells(&mut table.cells, secrecy),
            Protection::Line => protect_line(&mut table.cells, total, &caps, secrecy),
            Protection::Rate(indicator) => {
                let positive = positive_cells(indicator);
                let total_fixed = spec.counting == Counting::Persons;
                let protected = protect_rate_table(
                    &mut table.cells,
                    &positive,
                    total,
                    total_fixed,
                    &caps,
                    secrecy,
                );
                if protected.rate_masked {
                    masks.rates.insert(indicator);
                }
                if protected.not_filled_masked {
                    masks.not_filled.insert(indicator);
                }
                if let Some(mask) = protected.total_mask {
                    table.total = None;
                    table.total_mask = Some(mask);
                    masks.populations.insert(indicator);
                    // Its not-filled count goes with it, as in the rows:
                    // `< K` says it is at least 1, so it reads `nd` when
                    // the national one leaves it one or two values.
                    for (cell, cap) in table.cells.iter_mut().zip(&caps) {
                        let Some(n) = cell.count.filter(|&n| n > 0 && cell.value.is_none()) else {
                            continue;
                        };
                        let capped = cap.is_some_and(|cap| small_count_pinned(1, cap, secrecy));
                        cell.mask(if capped && secrecy.is_small(n) {
                            Mask::Withheld
                        } else {
                            Mask::of(n, |n| secrecy.is_small(n))
                        });
                    }
                }
            }
            Protection::CodesRate(indicator) => {
                let alone = match indicator.spec().counted {
                    Counted::Value(_, Positive::AnyBut(code)) => code,
                    _ => "",
                };
                let not_filled = table.not_filled.unwrap_or(0);
                let protected = protect_codes_rate(
                    &mut table.cells,
                    alone,
                    figure(indicator),
                    not_filled,
                    persons,
                    national.as_ref().map(|n| (n.figure)(indicator)),
                    secrecy,
                );
                if protected.rate_masked {
                    masks.rates.insert(indicator);
                }
                if protected.not_filled_masked {
                    table.not_filled = None;
                    masks.not_filled.insert(indicator);
                }
            }
            Protection::Distribution(indicator) => {
                // A rate's numerator is the cells above 0, its complement
                // the 0; a mean has no cells of its own.
                let positive: Vec<&str> = if indicator.is_mean() {
                    Vec::new()
                } else {
                    CODE_COUNT_BRACKETS[1..].to_vec()
                };
                let protected =
                    protect_rate_table(&mut table.cells, &positive, total, true, &caps, secrecy);
                let any_masked = table
                    .cells
                    .iter()
                    .any(|c| c.value.is_some() && c.mask.is_some());
                if protected.rate_masked || (indicator.is_mean() && any_masked) {
                    masks.rates.insert(indicator);
                }
                if protected.not_filled_masked {
                    masks.not_filled.insert(indicator);
                }
                if any_masked {
                    masks.distributions.insert(indicator);
                }
            }
            Protection::Shares(indicator) => {
                // The persons not filled in, beside the list, are the
                // distribution's *not filled in* cell: masked with it.
                if masks.not_filled.contains(&indicator) {
                    table.not_filled = None;
                }
                let base = bases
                    .iter()
                    .find(|(i, _)| *i == indicator)
                    .map_or(0, |(_, base)| *base);
                // "dont TND" against the persons with ≥ 1 TND of `tnd`.
                let tnd = (indicator == Indicator::AuMoinsUnTroubleAssocie)
                    .then(|| figure(Indicator::AuMoinsUnTnd));
                protect_shares(
                    &mut table.cells,
                    base,
                    masks.distributions.contains(&indicator),
                    tnd,
                    &caps,
                    secrecy,
                );
            }
        }
        // A list cut at its largest cells (the combinations) lists none
        // held by fewer than K persons: a short list says nothing of the
        // cells it leaves out (SPEC §8, as for the frequent diagnoses).
        if matches!(spec.dimension, Dimension::Combination(_)) {
            table.cells.retain(|c| c.mask.is_none());
        }
    }
    masks
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Secrecy = Secrecy { min_count: 5 };

    fn counts(cells: &[(Option<&str>, u64)]) -> Vec<Count> {
        cells
            .iter()
            .map(|(value, n)| Count::new(value.map(str::to_string), *n))
            .collect()
    }

    #[test]
    fn a_small_cell_takes_enough_others_with_it_and_reads_less_than_k() {
        // 3 + 40 + 12 = 55: masking 3 alone would give it back.
        let mut line = counts(&[(Some("a"), 3), (Some("b"), 40), (Some("c"), 12)]);
        protect_line(&mut line, 55, &[], K);
        assert_eq!(line[0].mask, Some(Mask::Small));
        assert_eq!(line[2].mask, Some(Mask::Protecting));
        assert_eq!(line[1].count, Some(40));
    }

    #[test]
    fn not_filled_cells_are_shown_and_taken_only_as_a_last_resort() {
        // 3 + 40 + 2 (not filled) = 45: the 40 protects the 3.
        let mut line = counts(&[(Some("a"), 3), (Some("b"), 40), (None, 2)]);
        protect_line(&mut line, 45, &[], K);
        assert_eq!(line[0].mask, Some(Mask::Small));
        assert_eq!(line[1].mask, Some(Mask::Protecting));
        assert_eq!(line[2].count, Some(2));
    }

    #[test]
    fn min_count_one_turns_it_off() {
        let mut line = counts(&[(Some("a"), 1), (Some("b"), 2)]);
        protect_line(&mut line, 3, &[], Secrecy::new(1));
        assert!(line.iter().all(|c| c.mask.is_none()));
    }

    #[test]
    fn a_rate_table_masks_its_rate_when_the_complement_is_small() {
        // 20 + 5 at home, 1 + 1 elsewhere, 9 not filled: 25 / 27.
        let mut table = counts(&[
            (Some("domicile_familial"), 20),
            (Some("domicile_personnel"), 5),
            (Some("etablissement_medico_social"), 1),
            (Some("etablissement_sanitaire"), 1),
            (None, 9),
        ]);
        let positive = crate::catalog::AT_HOME;
        let protected = protect_rate_table(&mut table, &positive, 36, true, &[], K);
        assert!(protected.rate_masked, "the complement 2 would read 27 − 25");
        assert_eq!(protected.total_mask, None);
        assert!(!protected.not_filled_masked);
        assert_eq!(table[4].count, Some(9));
        assert_eq!(table[2].mask, Some(Mask::Small));
    }

    #[test]
    fn a_table_its_masks_cannot_protect_is_withheld_whole_with_its_rate() {
        // 17 persons (a generated export, K = 5): 6 + 5 at home, 2 + 1 + 1
        // elsewhere, 2 not filled. Every filled cell masked, the three
        // small ones elsewhere still add up to 3 or 4: the table reads
        // `nd`, zeros and not filled in included, and the rate's row
        // must not show its 2 not filled in.
        let mut table = counts(&[
            (Some("domicile_familial"), 6),
            (Some("domicile_personnel"), 5),
            (Some("etablissement_medico_social"), 2),
            (Some("etablissement_sanitaire"), 0),
            (Some("famille_accueil"), 1),
            (Some("hebergement_mixte"), 0),
            (Some("autre"), 1),
            (None, 2),
        ]);
        let positive = crate::catalog::AT_HOME;
        let protected = protect_rate_table(&mut table, &positive, 17, true, &[], K);
        assert!(protected.rate_masked);
        assert!(protected.not_filled_masked);
        assert!(table
            .iter()
            .all(|c| c.count.is_none() && c.mask == Some(Mask::Withheld)));
    }

    #[test]
    fn a_codes_rate_tells_when_its_not_filled_count_is_masked() {
        // 20 persons, 17 not filled in: the denominator 3 would read
        // 20 − 17, and only the 17 is left to mask.
        let mut tnd = counts(&[(Some("tsa"), 2), (Some("aucun"), 1)]);
        let protected = protect_codes_rate(&mut tnd, "aucun", 2, 17, 20, None, K);
        assert!(protected.rate_masked && protected.not_filled_masked);
        assert_eq!(tnd[1].mask, Some(Mask::Small));
        // 6 with a TND and 4 with « aucun » alone, 10 not filled in: the
        // 6 and the denominator protect the 4, the 10 stays.
        let mut tnd = counts(&[(Some("tsa"), 6), (Some("aucun"), 4)]);
        let protected = protect_codes_rate(&mut tnd, "aucun", 6, 10, 20, None, K);
        assert!(protected.rate_masked && !protected.not_filled_masked);
        // 24 persons of 28 with a TND, 4 with « aucun » alone: the 24
        // protects the 4, unless the nation has only 25 with one.
        let team = || counts(&[(Some("tsa"), 24), (Some("aucun"), 4)]);
        let mut tnd = team();
        let protected = protect_codes_rate(&mut tnd, "aucun", 24, 0, 28, Some(40), K);
        assert!(protected.rate_masked);
        assert_eq!(tnd[1].mask, Some(Mask::Small));
        let mut tnd = team();
        let protected = protect_codes_rate(&mut tnd, "aucun", 24, 0, 28, Some(25), K);
        assert!(protected.rate_masked && protected.not_filled_masked);
        assert!(tnd.iter().all(|c| c.mask == Some(Mask::Withheld)));
    }

    #[test]
    fn a_share_capped_by_the_national_one_is_withheld_when_nothing_protects_it() {
        // 20 persons with a code: 3 with a, 6 with c, 9 codes in all.
        // Alone, the 6 and the complements protect the 3; a national c of
        // 6 makes the team's c 5 or 6 and the 3 a 3 or 4: withheld.
        let team = || counts(&[(Some("a"), 3), (Some("b"), 0), (Some("c"), 6)]);
        let mut cells = team();
        protect_shares(&mut cells, 20, false, None, &[], K);
        assert_eq!(cells[0].mask, Some(Mask::Small));
        assert_eq!(cells[2].mask, Some(Mask::Protecting));
        let mut cells = team();
        protect_shares(&mut cells, 20, false, None, &[Some(9), Some(0), Some(6)], K);
        assert!(cells.iter().all(|c| c.mask == Some(Mask::Withheld)));
    }

    #[test]
    fn a_team_cell_is_at_most_the_national_one() {
        // A team of 28 persons in two régions, 4 and 24; nationally the
        // second has 25. Masking the 24 to protect the 4 would leave the 4
        // at 3 or 4 (28 − 25): the table is withheld. With 40 nationally,
        // the 24 protects it.
        let team = || {
            counts(&[
                (Some("r1"), 4),
                (Some("r2"), 24),
                (Some("r3"), 0),
                (None, 0),
            ])
        };
        let mut line = team();
        protect_line(&mut line, 28, &[Some(10), Some(25), Some(0), Some(0)], K);
        assert!(line.iter().all(|c| c.mask == Some(Mask::Withheld)));
        let mut line = team();
        protect_line(&mut line, 28, &[Some(10), Some(40), Some(0), Some(0)], K);
        assert_eq!(line[0].mask, Some(Mask::Small));
        assert_eq!(line[1].mask, Some(Mask::Protecting));
        assert_eq!(line[2].count, Some(0));
    }

    #[test]
    fn the_acts_of_teams_without_a_report_are_one_row_with_the_acts_of_no_team() {
        let mut tables = Tables {
            scope: crate::reference::Scope::National,
            year: 2024,
            tables: crate::catalog::TableId::ALL
                .iter()
                .map(|&id| crate::indicators::CountTable {
                    id,
                    cells: counts(&[
                        (Some("ERHR-BRE"), 120),
                        (Some("ERHR-BRET"), 1),
                        (Some("ERHR-NO"), 300),
                        (None, 2),
                    ]),
                    total: Some(423),
                    total_mask: None,
                    not_filled: None,
                })
                .collect(),
            fill_rates: Vec::new(),
        };
        merge_others(&mut tables, &BTreeSet::from(["ERHR-BRET".to_string()]));
        let cells = |id| {
            tables
                .get(id)
                .cells
                .iter()
                .map(|c| (c.value.clone(), c.count))
                .collect::<Vec<_>>()
        };
        let merged = vec![
            (Some("ERHR-BRE".to_string()), Some(120)),
            (Some("ERHR-NO".to_string()), Some(300)),
            (None, Some(3)),
        ];
        assert_eq!(cells(crate::catalog::TableId::InterventionsByTeam), merged);
        assert_eq!(cells(crate::catalog::TableId::RequestsByTeam), merged);
        assert_eq!(
            cells(crate::catalog::TableId::PersonsByTeam).len(),
            4,
            "a table of persons keeps its rows (masked)"
        );
    }

    /// Every table of the catalog for `scope`, each with `cells` (their sum
    /// its total) and `not_filled`.
    fn every_table(
        scope: crate::reference::Scope,
        cells: &[(Option<&str>, u64)],
        not_filled: Option<u64>,
    ) -> Tables {
        Tables {
            scope,
            year: 2024,
            tables: crate::catalog::TableId::ALL
                .iter()
                .map(|&id| crate::indicators::CountTable {
                    id,
                    cells: counts(cells),
                    total: Some(cells.iter().map(|(_, n)| n).sum()),
                    total_mask: None,
                    not_filled,
                })
                .collect(),
            fill_rates: Vec::new(),
        }
    }

    /// Decision 198: the acts by team are published as they are, but the
    /// national interventions by team protect a team's small count as a
    /// line, in a thin national scope too; a team's own lists are shown.
    #[test]
    fn only_the_national_interventions_by_team_mask_a_small_count_of_acts() {
        use crate::catalog::TableId;
        let cells = [(Some("ERHR-NO"), 3), (Some("ERHR-NE"), 6), (None, 0)];
        let tables_of = |scope| every_table(scope, &cells, None);
        let figure = |indicator: Indicator| match indicator {
            Indicator::PersonnesAccompagnees => 9,
            _ => 0,
        };
        let masks_of = |tables: &Tables, id: TableId| -> Vec<Option<Mask>> {
            tables.get(id).cells.iter().map(|c| c.mask).collect()
        };
        let mut national = tables_of(crate::reference::Scope::National);
        protect_tables(&mut national, figure, None, K);
        assert_eq!(
            masks_of(&national, TableId::RequestsByTeam),
            [None, None, None]
        );
        assert_eq!(
            masks_of(&national, TableId::InterventionsByTeam),
            [Some(Mask::Small), Some(Mask::Protecting), None]
        );
        let caps = national.clone();
        let mut team = tables_of(crate::reference::Scope::Team("ERHR-NO".into()));
        let national_figure = |_: Indicator| 9;
        let above = National {
            tables: &caps,
            figure: &national_figure,
        };
        protect_tables(&mut team, figure, Some(above), K);
        for id in [TableId::RequestsByTeam, TableId::InterventionsByTeam] {
            assert_eq!(masks_of(&team, id), [None, None, None], "{id:?}");
        }
    }

    #[test]
    fn a_thin_scope_withholds_every_cell_of_its_tables_of_persons_not_its_acts() {
        let mut tables = every_table(
            crate::reference::Scope::Team("ERHR-NO".into()),
            &[(Some("a"), 7), (Some("b"), 0), (None, 2)],
            Some(2),
        );
        let figure = |indicator: Indicator| match indicator {
            Indicator::PersonnesAccompagnees => 9,
            _ => 0,
        };
        protect_tables(&mut tables, figure, None, K);
        for table in &tables.tables {
            let acts = matches!(
                table.id.spec().counting,
                Counting::Demandes | Counting::Interventions
            );
            if acts {
                assert!(
                    table.cells.iter().all(|c| c.mask != Some(Mask::Withheld)),
                    "{:?}: acts are not withheld",
                    table.id
                );
            } else {
                assert!(
                    table
                        .cells
                        .iter()
                        .all(|c| c.count.is_none() && c.mask == Some(Mask::Withheld)),
                    "{:?}: every cell withheld, 0 included",
                    table.id
                );
                assert_eq!(table.not_filled, None);
            }
        }
    }
}
