//! A row's cells as text: what `csv::StringRecord` holds (the cells' text
//! and where each one is), but filled from a line without quotes in one
//! copy of the line rather than one copy a cell (decision 172).

/// The cells of one row.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The cells' text; between two cells, the delimiter they were split
    /// at (or nothing, for cells pushed one by one).
    text: String,
    /// Where each cell starts and ends in `text`.
    bounds: Vec<(usize, usize)>,
}

impl Record {
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every cell.
    pub fn clear(&mut self) {
        self.text.clear();
        self.bounds.clear();
    }

    /// Adds a cell after the others.
    pub fn push_field(&mut self, cell: &str) {
        let start = self.text.len();
        self.text.push_str(cell);
        self.bounds.push((start, self.text.len()));
    }

    /// Makes the record the cells of `line` cut at the offsets `cuts`
    /// (ascending, each a delimiter's, an ASCII byte, so that every cell is
    /// whole UTF-8): one copy of the line, and the cells' bounds.
    pub fn split_at(&mut self, line: &str, cuts: &[usize]) {
        self.clear();
        self.text.push_str(line);
        let mut from = 0;
        for &at in cuts {
            debug_assert!(line.as_bytes()[at].is_ascii());
            self.bounds.push((from, at));
            from = at + 1;
        }
        self.bounds.push((from, line.len()));
    }

    /// How many cells it has.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The cell at `index`, if the row has that many.
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.bounds.get(index)?;
        self.text.get(start..end)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        self.bounds
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// Whether a cell holds a line break.
    pub fn holds_line_break(&self) -> bool {
        self.iter().any(|cell| cell.contains(['\n', '\r']))
    }
}

/// Two records are equal when their cells are, however they were filled.
impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Record {}

impl From<Vec<&str>> for Record {
    fn from(cells: Vec<&str>) -> Self {
        let mut record = Record::new();
        for cell in cells {
            record.push_field(cell);
        }
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_line_has_the_cells_pushed_one_by_one() {
        let mut split = Record::new();
        split.split_at("U1;;é;x", &[2, 3, 6]);
        assert_eq!(split.len(), 4);
        assert_eq!(split.iter().collect::<Vec<_>>(), vec!["U1", "", "é", "x"]);
        assert_eq!(split.get(2), Some("é"));
        assert_eq!(split.get(4), None);
        assert_eq!(split, Record::from(vec!["U1", "", "é", "x"]));
        assert_ne!(split, Record::from(vec!["U1", "", "é"]));
        split.split_at("", &[]);
        assert_eq!(split.iter().collect::<Vec<_>>(), vec![""]);
        assert!(!split.holds_line_break());
        assert!(Record::from(vec!["a", "b\nc"]).holds_line_break());
        split.clear();
        assert!(split.is_empty());
    }
}
