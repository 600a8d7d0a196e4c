//! The suppression algorithm on a table of counts (SPEC §8): primary
//! suppression, then secondary suppression until no masked count can be
//! worked out — judged as an intruder would judge it.
//!
//! The intruder knows every shown cell, that the cells of each line add up
//! to its total, that a cell masked for being small (`< K`) is from 1 to
//! K−1, that a cell masked to protect another (`s`) is at least K (it
//! was shown otherwise), and what caps a cell elsewhere (a team's cell is
//! at most the national one, [`Table::cap`]). From these it narrows every masked cell to an
//! interval, line by line, to a fixed point ([`Table::intervals`]). As
//! long as some secret cell is narrowed to one or two values inside its
//! range (two cells summing to 2 are both 1), the smallest shown cell of
//! one of its lines is masked too, and the intervals are worked out again.

use super::Secrecy;
use crate::indicators::Mask;

/// An unbounded count, for the intervals.
pub(super) const UNBOUNDED: u64 = u64::MAX / 4;

/// Whether an intruder who knows a count lies in `lo..=hi` has narrowed
/// it to fewer than three values of its `range` (all of them when the
/// range has fewer): the bar a masked count must clear (SPEC §8).
fn pinned_in((lo, hi): (u64, u64), range: (u64, u64)) -> bool {
    let (lo, hi) = (lo.max(range.0), hi.min(range.1));
    let left = if hi >= lo { hi - lo + 1 } else { 0 };
    left < 3.min(range.1 - range.0 + 1)
}

/// Whether a count from 1 to K − 1 (`< K`) that an intruder knows to lie
/// in `lo..=hi` is pinned ([`pinned_in`]).
pub(super) fn small_count_pinned(lo: u64, hi: u64, secrecy: Secrecy) -> bool {
    pinned_in((lo, hi), (1, secrecy.min_count - 1))
}

/// What a cell is to the intruder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Published: its value is known.
    Shown,
    /// A count of persons from 1 to K−1, masked: it must keep at least
    /// three possible values (all of them when K−1 < 3).
    Small,
    /// Masked whatever its value, because it tells a masked count back (the
    /// acts of a scope of fewer than K persons: at least one act per
    /// person); it must keep at least three possible values.
    Guarded,
    /// Masked to protect another: at least K.
    Protecting,
}

/// A table of counts and the lines along which they add up.
#[derive(Debug, Clone)]
pub struct Table {
    pub values: Vec<u64>,
    kinds: Vec<Kind>,
    /// Cells shown unless nothing else can protect a secret cell (the
    /// counts of *not filled in*, a total published elsewhere).
    fixed: Vec<bool>,
    /// Cells masked whatever their value ([`Kind::Guarded`]).
    guarded: Vec<bool>,
    /// Cells published elsewhere: never masked here.
    published: Vec<bool>,
    /// (v3) Counts that are no secret (counts of acts) but may be masked
    /// like any other cell to protect one.
    open: Vec<bool>,
    /// (cells, total): the cells sum to the total cell.
    lines: Vec<(Vec<usize>, usize)>,
    /// What the intruder knows of each cell from elsewhere: at most this
    /// (a team's cell is at most the national one).
    caps: Vec<u64>,
}

impl Table {
    pub fn new(values: Vec<u64>) -> Self {
        let n = values.len();
        Self {
            values,
            kinds: vec![Kind::Shown; n],
            fixed: vec![false; n],
            guarded: vec![false; n],
            published: vec![false; n],
            open: vec![false; n],
            lines: Vec::new(),
            caps: vec![UNBOUNDED; n],
        }
    }

    /// Declares that a cell is known to be at most `at_most` from another
    /// published figure (the same cell of the national table).
    pub fn cap(&mut self, cell: usize, at_most: u64) {
        self.caps[cell] = self.caps[cell].min(at_most);
    }

    /// Declares a cell that is published unless a secret cell can be
    /// protected no other way (a not-filled count, a total shown elsewhere).
    pub fn fix(&mut self, cell: usize) {
        self.fixed[cell] = true;
    }

    /// Declares a cell published elsewhere (the scope's persons, its new
    /// persons): never masked here, whatever it would protect.
    pub fn publish(&mut self, cell: usize) {
        self.published[cell] = true;
        self.fixed[cell] = true;
    }

    /// (v3) Declares a count that is no secret, however small (a count of
    /// acts), but that may be masked to protect a secret cell.
    pub fn open(&mut self, cell: usize) {
        self.open[cell] = true;
    }

    /// Declares a cell masked whatever its value: it would tell a masked
    /// count back.
    pub fn guard(&mut self, cell: usize) {
        self.guarded[cell] = true;
    }

    /// Declares that `cells` add up to `total` (all indices of `values`).
    pub fn add_line(&mut self, cells: Vec<usize>, total: usize) {
        self.lines.push((cells, total));
    }

    /// Whether a cell is masked, and why.
    pub fn mask(&self, cell: usize) -> Option<Mask> {
        match self.kinds[cell] {
            Kind::Shown => None,
            Kind::Small => Some(Mask::Small),
            Kind::Guarded | Kind::Protecting => Some(Mask::Protecting),
        }
    }

    pub fn is_masked(&self, cell: usize) -> bool {
        self.kinds[cell] != Kind::Shown
    }

    /// Primary then secondary suppression, to a fixed point.
    pub fn protect(&mut self, secrecy: Secrecy) {
        if !secrecy.enabled() {
            return;
        }
        for cell in 0..self.values.len() {
            self.kinds[cell] = if self.guarded[cell] && self.values[cell] > 0 {
                Kind::Guarded
            } else if secrecy.is_small(self.values[cell]) && !self.fixed[cell] && !self.open[cell] {
                Kind::Small
            } else {
                Kind::Shown
            };
        }
        // Fixed cells that are small are secrets too, once nothing else
        // protects them; they are masked only as a last resort.
        let mut hopeless = vec![false; self.values.len()];
        loop {
            let intervals = self.intervals(secrecy);
            let pinned = (0..self.values.len())
                .find(|&cell| !hopeless[cell] && self.is_pinned(cell, intervals[cell], secrecy));
            let Some(cell) = pinned else {
                break;
            };
            match self.next_to_mask(cell) {
                // A fixed cell from 1 to K−1 taken as a last resort is a
                // secret itself and reads `< K` (`s` says at least K).
                Some(next) if secrecy.is_small(self.values[next]) => {
                    self.kinds[next] = Kind::Small;
                }
                Some(next) => self.kinds[next] = Kind::Protecting,
                None => hopeless[cell] = true,
            }
        }
    }

    /// Whether a secret cell is still pinned once [`Table::protect`] has
    /// masked all it could (the table is then better withheld whole).
    pub fn leaves_a_secret_pinned(&self, secrecy: Secrecy) -> bool {
        let intervals = self.intervals(secrecy);
        (0..self.values.len()).any(|cell| self.is_pinned(cell, intervals[cell], secrecy))
    }

    /// Whether the intruder has narrowed a secret cell to fewer than three
    /// values of its range (all of them when the range has fewer).
    fn is_pinned(&self, cell: usize, bounds: (u64, u64), secrecy: Secrecy) -> bool {
        match self.kinds[cell] {
            Kind::Small => small_count_pinned(bounds.0, bounds.1, secrecy),
            Kind::Guarded => pinned_in(bounds, (1, UNBOUNDED)),
            Kind::Shown | Kind::Protecting => false,
        }
    }

    /// The cell to mask next to protect `cell`: the smallest shown cell
    /// that is neither fixed nor zero, in the lines holding it, else in the
    /// lines holding a masked cell those lines hold (and so on: the masked
    /// cells that narrow it); a fixed one only when there is no other.
    fn next_to_mask(&self, cell: usize) -> Option<usize> {
        let candidate = |c: usize, fixed_too: bool| {
            self.kinds[c] == Kind::Shown
                && self.values[c] > 0
                && !self.published[c]
                && (fixed_too || !self.fixed[c])
        };
        for fixed_too in [false, true] {
            let mut reached = vec![cell];
            let mut seen = vec![false; self.values.len()];
            seen[cell] = true;
            while !reached.is_empty() {
                let lines: Vec<Vec<usize>> = self
                    .lines
                    .iter()
                    .filter(|(cells, total)| {
                        reached.iter().any(|r| r == total || cells.contains(r))
                    })
                    .map(|(cells, total)| cells.iter().copied().chain([*total]).collect())
                    .collect();
                let best = lines
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|&c| candidate(c, fixed_too))
                    .min_by_key(|&c| (self.lines.iter().any(|(_, t)| *t == c), self.values[c], c));
                if best.is_some() {
                    return best;
                }
                reached = lines
                    .into_iter()
                    .flatten()
                    .filter(|&c| {
                        self.kinds[c] != Kind::Shown && !std::mem::replace(&mut seen[c], true)
                    })
                    .collect();
            }
        }
        None
    }

    /// What an intruder can tell of each cell: the interval of its value,
    /// from the shown cells, the masks' ranges and the lines, narrowed to a
    /// fixed point.
    pub fn intervals(&self, secrecy: Secrecy) -> Vec<(u64, u64)> {
        let k = secrecy.min_count;
        let mut bounds: Vec<(u64, u64)> = self
            .values
            .iter()
            .zip(&self.kinds)
            .zip(&self.caps)
            .map(|((&value, kind), &cap)| match kind {
                Kind::Shown => (value, value),
                Kind::Small => (1, (k - 1).min(cap)),
                Kind::Guarded => (1, cap),
                Kind::Protecting => (k, cap.max(k)),
            })
            .collect();
        for _ in 0..64 {
            let mut changed = false;
            for (cells, total) in &self.lines {
                let low: u64 = cells
                    .iter()
                    .map(|&c| bounds[c].0)
                    .fold(0, u64::saturating_add);
                let high: u64 = cells
                    .iter()
                    .map(|&c| bounds[c].1)
                    .fold(0, u64::saturating_add)
                    .min(UNBOUNDED);
                changed |= narrow(&mut bounds[*total], low, high);
                let (total_low, total_high) = bounds[*total];
                for &cell in cells {
                    let others = cells.iter().filter(|&&c| c != cell);
                    let others_low: u64 = others
                        .clone()
                        .map(|&c| bounds[c].0)
                        .fold(0, u64::saturating_add);
                    let others_high: u64 =
                        others.map(|&c| bounds[c].1).fold(0, u64::saturating_add);
                    let new_low = if others_high >= UNBOUNDED {
                        0
                    } else {
                        total_low.saturating_sub(others_high)
                    };
                    let new_high = if total_high >= UNBOUNDED {
                        UNBOUNDED
                    } else {
                        total_high.saturating_sub(others_low)
                    };
                    changed |= narrow(&mut bounds[cell], new_low, new_high);
                }
            }
            if !changed {
                break;
            }
        }
        bounds
    }
}

/// Narrows `bound` to `low..=high`; whether it changed.
fn narrow(bound: &mut (u64, u64), low: u64, high: u64) -> bool {
    let narrowed = (bound.0.max(low), bound.1.min(high));
    let changed = narrowed != *bound && narrowed.0 <= narrowed.1;
    if changed {
        *bound = narrowed;
    }
    changed
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

    #[test]
    fn two_small_cells_summing_to_two_are_not_left_alone() {
        // 13 + 11 + 5 + 1 + 1 = 31: masking the two 1s alone gives them back
        // (31 − 13 − 11 − 5 = 2 over two cells of at least 1); with the 5
        // masked too they are 1 or 1 (the 5 is at least K); the 11 goes too.
        let mut table = Table::new(vec![13, 11, 5, 1, 1, 31]);
        table.add_line(vec![0, 1, 2, 3, 4], 5);
        table.protect(K);
        assert_eq!(table.mask(3), Some(Mask::Small));
        assert_eq!(table.mask(4), Some(Mask::Small));
        assert_eq!(table.mask(2), Some(Mask::Protecting));
        assert_eq!(table.mask(1), Some(Mask::Protecting));
        assert!(!table.is_masked(0));
        let intervals = table.intervals(K);
        for cell in [3, 4] {
            let (lo, hi) = intervals[cell];
            assert!(hi.min(4) >= lo.max(1) + 2, "cell {cell}: {lo}..{hi}");
        }
    }

    #[test]
    fn a_protecting_cell_just_above_k_is_not_enough() {
        // 2 + 5 + 40 = 47: with the 5 masked, the 2 is 1 or 2.
        let mut table = Table::new(vec![2, 5, 40, 47]);
        table.add_line(vec![0, 1, 2], 3);
        table.protect(K);
        assert!(table.is_masked(0) && table.is_masked(1) && table.is_masked(2));
    }

    #[test]
    fn min_count_one_turns_it_off() {
        let mut table = Table::new(vec![1, 2, 3]);
        table.add_line(vec![0, 1], 2);
        table.protect(Secrecy::new(1));
        assert!((0..3).all(|c| !table.is_masked(c)));
    }

    proptest! {
        #[test]
        fn no_small_masked_cell_is_narrowed_to_two_values_unless_nothing_is_left_to_mask(
            cells in prop::collection::vec(prop::collection::vec(0u64..30, 2..6), 2..6)
                .prop_filter("rectangular", |rows| rows.iter().all(|r| r.len() == rows[0].len())),
            not_filled in prop::collection::vec(any::<bool>(), 25),
        ) {
            let mut table = grid(&cells);
            let inner = cells.len() * cells[0].len();
            for cell in (0..inner).filter(|&i| not_filled[i]) {
                table.fix(cell);
            }
            table.protect(K);
            let intervals = table.intervals(K);
            // What `protect` promises: no small masked cell narrowed to
            // two values — or, when every count but zeros is masked and one
            // still is (a grid of a few 1s whose totals are small too), it
            // says so, and the caller withholds the table
            // (`leaves_a_secret_pinned`).
            let hopeless = table.leaves_a_secret_pinned(K);
            if hopeless {
                for (i, value) in table.values.iter().enumerate() {
                    prop_assert!(
                        *value == 0 || table.is_masked(i),
                        "cell {i} ({value}) could still be masked"
                    );
                }
            }
            for (i, value) in table.values.iter().enumerate() {
                let small = K.is_small(*value);
                prop_assert!(!small || table.is_masked(i) || table.fixed[i], "a small count is shown");
                if table.mask(i) == Some(Mask::Small) {
                    let (lo, hi) = intervals[i];
                    prop_assert!((lo..=hi).contains(value), "the intervals hold the truth");
                    let (lo, hi) = (lo.max(1), hi.min(4));
                    prop_assert!(hopeless || hi >= lo + 2, "cell {i} ({value}) narrowed to {lo}..{hi}");
                }
            }
        }
    }
}
