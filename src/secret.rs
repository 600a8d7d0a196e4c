//! Stage 3b — statistical secrecy (SPEC §8). Runs after the indicators and
//! breakdowns, before anything is drawn or written, so that the HTML text,
//! tables, chart series and machine-readable files all show the same mask.
//!
//! Primary suppression masks every count from 1 to K−1. Secondary
//! suppression then looks at every line of a table whose total is
//! published: a line with exactly one masked cell would give it back by
//! subtraction, so its next smallest non-zero cell is masked too (or its
//! total, when no such cell is left), until no line has a single mask.
//!
//! Only counts of accompanied persons (and of their requests and
//! interventions) are masked. *Not filled in* counts, row counts, findings
//! and fill rates are data-quality figures: they are published as they are
//! and are shown cells for secondary suppression (SPEC §8).

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

    /// A count as published: French digits, or `< K` when masked. Counts
    /// reach this point protected already: `None` is a masked count, and a
    /// small one left standing is a data-quality figure.
    pub fn show(self, count: Option<u64>) -> String {
        match count {
            Some(n) => crate::format::int(n),
            None => self.label(),
        }
    }
}

/// A table of counts and the lines along which they add up.
#[derive(Debug, Clone)]
pub struct Table {
    pub values: Vec<u64>,
    pub masked: Vec<bool>,
    /// Cells always shown (not-filled counts): never masked, so secondary
    /// suppression looks for another cell of their lines.
    fixed: Vec<bool>,
    /// (cells, total): the cells sum to the total cell.
    lines: Vec<(Vec<usize>, usize)>,
}

impl Table {
    pub fn new(values: Vec<u64>) -> Self {
        let masked = vec![false; values.len()];
        let fixed = masked.clone();
        Self {
            values,
            masked,
            fixed,
            lines: Vec::new(),
        }
    }

    /// Declares a cell that is published whatever its value (a not-filled
    /// count).
    pub fn fix(&mut self, cell: usize) {
        self.fixed[cell] = true;
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
        for ((value, masked), fixed) in self.values.iter().zip(&mut self.masked).zip(&self.fixed) {
            *masked = !fixed && secrecy.is_small(*value);
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
                    .filter(|&c| !self.masked[c] && !self.fixed[c] && self.values[c] > 0)
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
    // TND: persons with at least one TND (the numerator), `aucun` alone
    // (the complement) and not filled in (always shown) add up to the
    // persons; the first two to the rate's denominator.
    let tnd_masked = {
        let aucun_index = b
            .tnd
            .iter()
            .position(|c| c.value.as_deref() == Some("aucun"));
        let aucun = aucun_index.and_then(|i| b.tnd[i].count).unwrap_or(0);
        let not_filled = b.tnd_not_filled.unwrap_or(0);
        let mut table = Table::new(vec![tnd, aucun, not_filled, tnd + aucun, active]);
        table.fix(2);
        table.add_line(vec![0, 1, 2], 4);
        table.add_line(vec![0, 1], 3);
        table.add_line(vec![3, 2], 4);
        table.protect(secrecy);
        if let Some(i) = aucun_index.filter(|_| table.masked[1]) {
            b.tnd[i].mask();
        }
        protect_cells(&mut b.tnd, secrecy);
        table.masked[0] || table.masked[1] || table.masked[3]
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
    // Fill rates are data-quality figures: published as they are.
    Masks {
        maladie_rare,
        lieu_de_vie,
        tnd: tnd_masked,
        scolarisation,
    }
}

/// Applies secrecy to indicator rows: a count from 1 to K−1 is masked; a
/// rate's numerator and denominator are masked (`null`) when its
/// numerator, denominator or complement (denominator − numerator) is from 1
/// to K−1, or when the table it comes from shows a mask. Its not-filled
/// count is a data-quality figure and stays.
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

    fn row(indicator: Indicator, figures: (u64, Option<u64>, Option<u64>)) -> IndicatorRow {
        IndicatorRow {
            scope: "T".into(),
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
        protect_rows(&mut rows, K, |_| Masks::default());
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
        let positive = ["domicile_familial", "domicile_personnel"];
        let (suppressed, total_masked) = protect_rate_table(&mut counts, &positive, 36, K);
        assert!(suppressed, "the complement 2 would read 27 − 25");
        assert!(!total_masked);
        assert_eq!(counts[4].count, Some(9));
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
                .prop_filter("rectangular", |rows| rows.iter().all(|r| r.len() == rows[0].len())),
            not_filled in prop::collection::vec(any::<bool>(), 25),
        ) {
            let mut table = grid(&cells);
            // Some inner cells are not-filled counts: always shown.
            let inner = cells.len() * cells[0].len();
            let fixed: Vec<usize> = (0..inner).filter(|&i| not_filled[i]).collect();
            for &cell in &fixed {
                table.fix(cell);
            }
            table.protect(K);
            for (i, (value, masked)) in table.values.iter().zip(&table.masked).enumerate() {
                let shown_on_purpose = fixed.contains(&i);
                prop_assert!(!(*masked && shown_on_purpose), "a not-filled count is masked");
                prop_assert!(*masked || shown_on_purpose || !K.is_small(*value), "a small count is shown");
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
