//! The suppression algorithm on a table of counts: primary suppression,
//! then secondary suppression along every line that adds up to a shown
//! total, to a fixed point.

use super::Secrecy;

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const K: Secrecy = Secrecy { min_count: 5 };

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
