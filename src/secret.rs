//! Stage 3b — statistical secrecy (SPEC §8). Runs after the indicators and
//! breakdowns, before anything is drawn or written, so that the HTML text,
//! tables, chart series and machine-readable files all show the same mask.
//!
//! Primary suppression masks every count from 1 to K−1. Secondary
//! suppression then looks at every line of a table whose total is
//! published: a line with exactly one masked cell would give it back by
//! subtraction, so its next smallest non-zero cell is masked too (or its
//! total, when no such cell is left), until no line has a single mask.

use crate::indicators::{Breakdowns, Count, Indicator, IndicatorRow};

/// The threshold K of `--min-count K`; K ≤ 1 turns secrecy off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secrecy {
    pub min_count: u64,
}

impl Secrecy {
    pub fn new(min_count: u64) -> Self {
        Self { min_count }
    }

    pub fn enabled(self) -> bool {
        self.min_count > 1
    }

    /// A count that primary suppression masks: 1 to K−1.
    pub fn is_small(self, count: u64) -> bool {
        self.enabled() && count >= 1 && count < self.min_count
    }

    /// How a masked count reads in French: `< 5`.
    pub fn label(self) -> String {
        format!("<\u{a0}{}", self.min_count)
    }

    /// A count as published: French digits, or `< K` when masked (`None`
    /// or small).
    pub fn show(self, count: Option<u64>) -> String {
        match count {
            Some(n) if !self.is_small(n) => crate::format::int(n),
            _ => self.label(),
        }
    }
}

/// A table of counts and the lines along which they add up.
#[derive(Debug, Clone)]
pub struct Table {
    pub values: Vec<u64>,
    pub masked: Vec<bool>,
    /// (cells, total): the cells sum to the total cell.
    lines: Vec<(Vec<usize>, usize)>,
}

impl Table {
    pub fn new(values: Vec<u64>) -> Self {
        let masked = vec![false; values.len()];
        Self {
            values,
            masked,
            lines: Vec::new(),
        }
    }

    /// Declares that `cells` add up to `total` (all indices of `values`).
    pub fn add_line(&mut self, cells: Vec<usize>, total: usize) {
        self.lines.push((cells, total));
    }

    /// Primary then secondary suppression, to a fixed point.
    pub fn protect(&mut self, secrecy: Secrecy) {
        if !secrecy.enabled() {
            return;
        }
        for (value, masked) in self.values.iter().zip(self.masked.iter_mut()) {
            *masked = secrecy.is_small(*value);
        }
        loop {
            let mut changed = false;
            for (cells, total) in &self.lines {
                if self.masked[*total] || cells.iter().filter(|&&c| self.masked[c]).count() != 1 {
                    continue;
                }
                let next = cells
                    .iter()
                    .copied()
                    .filter(|&c| !self.masked[c] && self.values[c] > 0)
                    .min_by_key(|&c| (self.values[c], c));
                self.masked[next.unwrap_or(*total)] = true;
                changed = true;
            }
            if !changed {
                break;
            }
        }
    }
}

/// Masks a list of counts that adds up to a published `total`: returns
/// the masked list and whether the total itself is masked.
fn protect_line(counts: &mut [Count], total: u64, secrecy: Secrecy) -> bool {
    let values: Vec<u64> = counts
        .iter()
        .map(|c| c.count.unwrap_or(0))
        .chain([total])
        .collect();
    let total_index = values.len() - 1;
    let mut table = Table::new(values);
    table.add_line((0..total_index).collect(), total_index);
    table.protect(secrecy);
    for (count, masked) in counts.iter_mut().zip(&table.masked) {
        if *masked {
            count.mask();
        }
    }
    table.masked[total_index]
}

/// Masks counts that add up to nothing published (primary suppression only).
fn protect_cells(counts: &mut [Count], secrecy: Secrecy) {
    for count in counts.iter_mut() {
        if count.count.is_some_and(|c| secrecy.is_small(c)) {
            count.mask();
        }
    }
}

/// Which rates of a scope must be suppressed so that their figures do not
/// reopen a masked cell of the table they come from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Masks {
    pub maladie_rare: bool,
    pub lieu_de_vie: bool,
    pub tnd: bool,
    pub scolarisation: bool,
}

/// Protects a categorical table together with the rate drawn from it: the
/// rate's numerator (the `positive` codes) and denominator (every filled
/// code) are cells of the same table, with their lines, so that a rate
/// left published never gives back a masked cell. Returns whether the
/// rate must be suppressed (its numerator, denominator or not-filled cell
/// is masked) and whether the total is.
fn protect_rate_table(
    counts: &mut [Count],
    positive: &[&str],
    total: u64,
    secrecy: Secrecy,
) -> (bool, bool) {
    let n = counts.len();
    let value = |c: &Count| c.count.unwrap_or(0);
    let numerator: u64 = counts
        .iter()
        .filter(|c| c.value.as_deref().is_some_and(|v| positive.contains(&v)))
        .map(value)
        .sum();
    let denominator: u64 = counts.iter().filter(|c| c.value.is_some()).map(value).sum();
    let values: Vec<u64> = counts
        .iter()
        .map(value)
        .chain([numerator, denominator, total])
        .collect();
    let (num, den, all) = (n, n + 1, n + 2);
    let mut table = Table::new(values);
    table.add_line((0..n).collect(), all);
    table.add_line((0..n).filter(|&i| counts[i].value.is_some()).collect(), den);
    table.add_line(
        (0..n)
            .filter(|&i| {
                counts[i]
                    .value
                    .as_deref()
                    .is_some_and(|v| positive.contains(&v))
            })
            .collect(),
        num,
    );
    let not_filled = (0..n).find(|&i| counts[i].value.is_none());
    if let Some(nf) = not_filled {
        table.add_line(vec![den, nf], all);
    }
    table.protect(secrecy);
    for (count, masked) in counts.iter_mut().zip(&table.masked) {
        if *masked {
            count.mask();
        }
    }
    let suppressed =
        table.masked[num] || table.masked[den] || not_filled.is_some_and(|nf| table.masked[nf]);
    (suppressed, table.masked[all])
}

/// Applies secrecy to the breakdowns of one scope. `active` is the scope's
/// number of persons (the total of the person tables) and `tnd` the
/// numerator of its TND rate.
pub fn protect_breakdowns(b: &mut Breakdowns, active: u64, tnd: u64, secrecy: Secrecy) -> Masks {
    if !secrecy.enabled() {
        return Masks::default();
    }
    for counts in [
        &mut b.persons_by_region,
        &mut b.persons_by_age,
        &mut b.persons_by_sex,
    ] {
        protect_line(counts, active, secrecy);
    }
    let (maladie_rare, _) =
        protect_rate_table(&mut b.maladie_rare, &["diagnostiquee"], active, secrecy);
    let (lieu_de_vie, _) = protect_rate_table(
        &mut b.lieu_de_vie,
        &["domicile_familial", "domicile_personnel"],
        active,
        secrecy,
    );
    let children = b.children.unwrap_or(0);
    let (scolarisation, children_masked) = protect_rate_table(
        &mut b.scolarisation_3_16,
        &["temps_plein", "temps_partiel", "oui"],
        children,
        secrecy,
    );
    if children_masked {
        b.children = None;
    }
    protect_cells(&mut b.persons_by_team, secrecy);
    protect_cells(&mut b.deficiences, secrecy);
    protect_cells(&mut b.deficience_combinations, secrecy);
    if b.deficiences_not_filled
        .is_some_and(|n| secrecy.is_small(n))
    {
        b.deficiences_not_filled = None;
    }
    // TND: persons with at least one TND, `aucun` alone and not filled in
    // add up to the persons; the first two to the rate's denominator.
    let tnd_masked = {
        let aucun_index = b
            .tnd
            .iter()
            .position(|c| c.value.as_deref() == Some("aucun"));
        let aucun = aucun_index.and_then(|i| b.tnd[i].count).unwrap_or(0);
        let not_filled = b.tnd_not_filled.unwrap_or(0);
        let mut table = Table::new(vec![tnd, aucun, not_filled, tnd + aucun, active]);
        table.add_line(vec![0, 1, 2], 4);
        table.add_line(vec![0, 1], 3);
        table.add_line(vec![3, 2], 4);
        table.protect(secrecy);
        if let Some(i) = aucun_index.filter(|_| table.masked[1]) {
            b.tnd[i].mask();
        }
        if table.masked[2] {
            b.tnd_not_filled = None;
        }
        protect_cells(&mut b.tnd, secrecy);
        table.masked[0] || table.masked[2] || table.masked[3]
    };
    let requests = b.requests.unwrap_or(0);
    for counts in [
        &mut b.requests_by_month,
        &mut b.requests_by_origin,
        &mut b.requests_by_team,
    ] {
        if protect_line(counts, requests, secrecy) {
            b.requests = None;
        }
    }
    let interventions = b.interventions.unwrap_or(0);
    if protect_line(&mut b.interventions_by_team, interventions, secrecy) {
        b.interventions = None;
    }
    let mut by_type: Vec<Count> = b
        .interventions_by_type
        .iter()
        .map(|d| Count::new(d.value.clone(), d.count.unwrap_or(0)))
        .collect();
    if protect_line(&mut by_type, interventions, secrecy) {
        b.interventions = None;
    }
    for (durations, count) in b.interventions_by_type.iter_mut().zip(&by_type) {
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
    for rate in &mut b.fill_rates {
        let (filled, rows) = (rate.filled.unwrap_or(0), rate.rows.unwrap_or(0));
        if secrecy.is_small(filled) || secrecy.is_small(rows - filled) || secrecy.is_small(rows) {
            rate.filled = None;
            rate.suppressed = true;
            if secrecy.is_small(rows) {
                rate.rows = None;
            }
        }
    }
    Masks {
        maladie_rare,
        lieu_de_vie,
        tnd: tnd_masked,
        scolarisation,
    }
}

/// Applies secrecy to indicator rows: a count from 1 to K−1 is masked; a
/// rate is masked (all its figures) when its numerator, denominator or
/// not-filled count is, since `denominator + not_filled` is the published
/// number of persons; and when the table it comes from shows a mask.
pub fn protect_rows(rows: &mut [IndicatorRow], secrecy: Secrecy, masks_of: impl Fn(&str) -> Masks) {
    if !secrecy.enabled() {
        return;
    }
    for row in rows.iter_mut() {
        let masks = masks_of(&row.scope);
        let linked = match row.indicator {
            Indicator::MaladieRareDiagnostiquee => masks.maladie_rare,
            Indicator::VitADomicile => masks.lieu_de_vie,
            Indicator::AuMoinsUnTnd => masks.tnd,
            Indicator::Enfants316Scolarises => masks.scolarisation,
            _ => false,
        };
        let small = [row.numerator, row.denominator, row.not_filled]
            .into_iter()
            .flatten()
            .any(|v| secrecy.is_small(v));
        if small || linked {
            row.numerator = None;
            row.denominator = None;
            row.not_filled = None;
            row.suppressed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        protect_line(&mut counts, 30, K);
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
    fn a_rate_with_a_small_figure_is_masked_whole() {
        let mut rows = vec![
            IndicatorRow {
                scope: "T".into(),
                year: 2024,
                indicator: Indicator::VitADomicile,
                numerator: Some(30),
                denominator: Some(40),
                not_filled: Some(2),
                suppressed: false,
            },
            IndicatorRow {
                scope: "T".into(),
                year: 2024,
                indicator: Indicator::PersonnesAccompagnees,
                numerator: Some(42),
                denominator: None,
                not_filled: None,
                suppressed: false,
            },
            IndicatorRow {
                scope: "T".into(),
                year: 2024,
                indicator: Indicator::NouvellesPersonnes,
                numerator: Some(4),
                denominator: None,
                not_filled: None,
                suppressed: false,
            },
        ];
        protect_rows(&mut rows, K, |_| Masks::default());
        assert!(rows[0].suppressed && rows[0].numerator.is_none() && rows[0].not_filled.is_none());
        assert!(!rows[1].suppressed);
        assert!(rows[2].suppressed && rows[2].numerator.is_none());
    }

    /// A grid with row totals, column totals and a grand total.
    fn grid(cells: &[Vec<u64>]) -> Table {
        let (rows, cols) = (cells.len(), cells[0].len());
        let mut values: Vec<u64> = cells.iter().flatten().copied().collect();
        let row_total = |r: usize| cells[r].iter().sum::<u64>();
        let col_total = |c: usize| cells.iter().map(|row| row[c]).sum::<u64>();
        let first_row_total = values.len();
        values.extend((0..rows).map(row_total));
        let first_col_total = values.len();
        values.extend((0..cols).map(col_total));
        let grand = values.len();
        values.push(cells.iter().flatten().sum());
        let mut table = Table::new(values);
        for r in 0..rows {
            table.add_line(
                (0..cols).map(|c| r * cols + c).collect(),
                first_row_total + r,
            );
        }
        for c in 0..cols {
            table.add_line(
                (0..rows).map(|r| r * cols + c).collect(),
                first_col_total + c,
            );
        }
        table.add_line((0..rows).map(|r| first_row_total + r).collect(), grand);
        table.add_line((0..cols).map(|c| first_col_total + c).collect(), grand);
        table
    }

    proptest! {
        #[test]
        fn no_masked_cell_can_be_recovered_along_a_line(
            cells in prop::collection::vec(prop::collection::vec(0u64..30, 2..6), 2..6)
                .prop_filter("rectangular", |rows| rows.iter().all(|r| r.len() == rows[0].len()))
        ) {
            let mut table = grid(&cells);
            table.protect(K);
            for (value, masked) in table.values.iter().zip(&table.masked) {
                prop_assert!(*masked || !K.is_small(*value), "a small count is shown");
            }
            for (line, total) in &table.lines {
                if !table.masked[*total] {
                    let hidden = line.iter().filter(|&&c| table.masked[c]).count();
                    prop_assert!(hidden != 1, "one masked cell in a line with a shown total");
                }
            }
        }
    }
}
