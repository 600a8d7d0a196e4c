//! The pieces every section of the report is built from: a chart with the
//! table of its figures, a plain table, a published count as a bar. A
//! table's cells are kept typed ([`Cell`]) beside their French text, so
//! that the workbook writes numbers as numbers from the same figures.
//!
//! One figure, one number (SPEC §6): a share is always taken over the
//! persons whose field is filled in, the count of *non renseigné* beside
//! it without a share; a masked cell reads `< K` only when its own count
//! is small, `s` otherwise, and every table or chart with one says below
//! it what they mean.

use anyhow::Result;
use serde::Serialize;

use crate::charts::{alt_text, horizontal_bars, vertical_bars, Bar};
use crate::format;
use crate::indicators::{Count, Mask};
use crate::reference::Category;
use crate::secret::{Secrecy, Shown};

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub alt: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
    /// A table shown under the chart (the déficiences' combinations).
    pub table: Option<TableView>,
    /// `rows`, typed: what the workbook writes.
    #[serde(skip)]
    pub cells: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
    /// `rows`, typed: what the workbook writes.
    #[serde(skip)]
    pub cells: Vec<Vec<Cell>>,
}

impl TableView {
    /// A table whose French text is that of its typed cells.
    pub fn new(
        title: impl Into<String>,
        columns: Vec<String>,
        cells: Vec<Vec<Cell>>,
        note: Option<String>,
        secrecy: Secrecy,
    ) -> Self {
        Self {
            title: title.into(),
            columns,
            rows: shown_rows(&cells, secrecy),
            note: with_legend(note, cells.iter().flatten().any(Cell::is_masked), secrecy),
            cells,
        }
    }
}

/// A note, with what `< K` and `s` mean when the table shows a masked
/// cell (SPEC §8).
pub fn with_legend(note: Option<String>, masked: bool, secrecy: Secrecy) -> Option<String> {
    match (note, masked) {
        (note, false) => note,
        (Some(note), true) => Some(format!("{note} {}", secrecy.legend())),
        (None, true) => Some(secrecy.legend()),
    }
}

/// One report cell of a table, typed: the report shows its French text
/// ([`Cell::shown`]), the workbook writes its number with a display format.
/// Every figure in it has been through secrecy already (`None` is masked,
/// or for a share and a délai, not computable).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A whole number shown without grouping: a year, a line number.
    Plain(i64),
    /// A date, `AAAAMMJJ`.
    Date(i32),
    /// A count: of persons (masked: `< K` or `s`), of acts, rows or
    /// findings.
    Count(Shown),
    /// `part / whole` as a rate; `s` when either is masked, `—` when
    /// `whole` is 0.
    Share(Shown, Shown),
    /// A délai in days.
    Days(Option<u64>),
    /// A decimal figure shown with so many places (hours, minutes).
    Decimal(Option<f64>, usize),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell::Text(text.into())
    }

    /// The cell as the report shows it.
    pub fn shown(&self, secrecy: Secrecy) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Plain(number) => number.to_string(),
            Cell::Date(date) => format::date(*date),
            Cell::Count(count) => secrecy.show(*count),
            Cell::Share(part, whole) => share(*part, *whole),
            Cell::Days(Some(1)) => "1 jour".to_string(),
            Cell::Days(Some(days)) => format!("{} jours", format::int(*days)),
            Cell::Decimal(Some(value), places) => format::decimal(*value, *places),
            Cell::Days(None) | Cell::Decimal(None, _) => "—".to_string(),
        }
    }

    /// A count that secrecy never masks (acts, rows, findings).
    pub fn count(n: u64) -> Self {
        Cell::Count(Shown::Value(n))
    }

    /// The rate of a share, when it is shown.
    pub fn rate(part: Shown, whole: Shown) -> Option<f64> {
        match (part, whole) {
            (Shown::Value(part), Shown::Value(whole)) if whole > 0 => {
                Some(part as f64 / whole as f64)
            }
            _ => None,
        }
    }

    /// Whether the cell shows a masked figure.
    pub fn is_masked(&self) -> bool {
        match self {
            Cell::Count(count) => count.is_masked(),
            Cell::Share(part, whole) => part.is_masked() || whole.is_masked(),
            _ => false,
        }
    }
}

/// The French text of typed rows.
pub fn shown_rows(cells: &[Vec<Cell>], secrecy: Secrecy) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|row| row.iter().map(|cell| cell.shown(secrecy)).collect())
        .collect()
}

/// The label of a value, or *Non renseigné* for no value.
pub fn not_filled_label(value: &Option<String>, label: impl Fn(&str) -> String) -> String {
    match value {
        Some(v) => label(v),
        None => NOT_FILLED.to_string(),
    }
}

/// How the report names the persons whose field is not filled in.
pub const NOT_FILLED: &str = "Non renseigné";

/// A share in whole percent (`< 1 %` when it is not zero but rounds to
/// it); `s` when either figure is masked, `—` when `whole` is 0.
pub fn share(part: Shown, whole: Shown) -> String {
    match (part, whole) {
        (Shown::Value(part), Shown::Value(whole)) => {
            format::share(part, whole).unwrap_or_else(|| "—".to_string())
        }
        (Shown::Masked(Mask::Withheld), _) | (_, Shown::Masked(Mask::Withheld)) => {
            crate::secret::WITHHELD.to_string()
        }
        _ => crate::secret::PROTECTING.to_string(),
    }
}

/// A row of a chart: its label and its published count.
pub type Row = (String, Shown);

/// A categorical table for a chart: its rows, its *non renseigné* apart,
/// and the base of the shares.
pub type Distribution = (Vec<Row>, Vec<Row>, Shown);

/// A cell of a table as published.
pub fn shown(count: &Count) -> Shown {
    Shown::of(count.count, count.mask)
}

/// Rows for counts labelled by value (*Non renseigné* for none).
pub fn rows(counts: &[Count], label: &dyn Fn(&str) -> String) -> Vec<Row> {
    counts
        .iter()
        .map(|c| (not_filled_label(&c.value, label), shown(c)))
        .collect()
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Horizontal,
    Vertical,
}

/// A chart and the table of its figures: label, count, share of the
/// chart's base (the persons whose field is filled in, or the acts).
/// `aside` rows (the *non renseigné*) have a count and no share, and are
/// not drawn.
pub struct Chart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The header of the labels' column.
    pub header: &'a str,
    pub rows: Vec<Row>,
    pub aside: Vec<Row>,
    /// The base of the shares: `None` for no share column.
    pub base: Option<Shown>,
    pub orientation: Orientation,
    /// Whether one person (or act) may count in several bars: the bars
    /// then add up to more than the persons, and the text alternative
    /// gives no total.
    pub several: bool,
    pub note: Option<String>,
}

impl Chart<'_> {
    pub fn view(self, secrecy: Secrecy) -> Result<ChartView> {
        let bars: Vec<Bar> = self
            .rows
            .iter()
            .map(|(label, count)| Bar {
                label: label.clone(),
                value: count.value(),
                shown: secrecy.show(*count),
            })
            .collect();
        // A chart whose every cell is masked is not drawn (its table says so).
        let drawn = bars.iter().any(|b| b.value.is_some());
        let svg = match (drawn, self.orientation) {
            (false, _) => String::new(),
            (true, Orientation::Vertical) => vertical_bars(self.title, &bars)?,
            (true, Orientation::Horizontal) => horizontal_bars(self.title, &bars)?,
        };
        let row = |label: &String, count: Shown, share: Option<Cell>| {
            let mut row = vec![Cell::text(label), Cell::Count(count)];
            row.extend(share);
            row
        };
        let mut cells: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|(label, count)| row(label, *count, self.base.map(|b| Cell::Share(*count, b))))
            .collect();
        cells.extend(
            self.aside
                .iter()
                .map(|(label, count)| row(label, *count, self.base.map(|_| Cell::Empty))),
        );
        let masked = cells.iter().flatten().any(Cell::is_masked);
        let mut columns = vec![self.header.to_string(), "Effectif".to_string()];
        if self.base.is_some() {
            columns.push("Part".to_string());
        }
        Ok(ChartView {
            id: self.id.to_string(),
            title: self.title.to_string(),
            alt: alt_text(self.title, &bars, !self.several),
            svg,
            columns,
            rows: shown_rows(&cells, secrecy),
            note: with_legend(self.note, masked, secrecy).map(|n| format::typography(&n)),
            table: None,
            cells,
        })
    }
}

/// The rows of a categorical table in the order of its nomenclature (the
/// engine lists every value, zeros included), its *non renseigné* apart,
/// and the base of their shares: the filled cells' sum (`s` when one of
/// them is masked).
pub fn category_rows(category: Category, counts: &[Count]) -> Distribution {
    let label = |code: &str| category.display(code).to_string();
    let filled: Vec<&Count> = counts.iter().filter(|c| c.value.is_some()).collect();
    let rows = filled
        .iter()
        .map(|c| (not_filled_label(&c.value, label), shown(c)))
        .collect();
    let aside = counts
        .iter()
        .filter(|c| c.value.is_none())
        .map(|c| (NOT_FILLED.to_string(), shown(c)))
        .collect();
    (rows, aside, filled_base(&filled))
}

/// The sum of filled cells, the base of their shares; masked (`s`) when
/// one of them is.
pub fn filled_base(filled: &[&Count]) -> Shown {
    match filled.iter().map(|c| c.count).sum::<Option<u64>>() {
        Some(n) => Shown::Value(n),
        None => Shown::Masked(Mask::Protecting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_reads_as_the_report_writes_it() {
        let k = Secrecy::new(5);
        let shown = |cell: Cell| cell.shown(k);
        assert_eq!(shown(Cell::count(2345)), "2\u{202F}345");
        assert_eq!(shown(Cell::Count(Shown::Masked(Mask::Small))), "<\u{a0}5");
        assert_eq!(shown(Cell::Count(Shown::Masked(Mask::Protecting))), "s");
        assert_eq!(shown(Cell::Share(5.into(), 8.into())), "63\u{202F}%");
        assert_eq!(
            shown(Cell::Share(1.into(), 300.into())),
            "<\u{a0}1\u{202F}%"
        );
        assert_eq!(
            shown(Cell::Share(Shown::Masked(Mask::Small), 8.into())),
            "s"
        );
        assert_eq!(shown(Cell::Share(0.into(), 0.into())), "—");
        assert_eq!(shown(Cell::Days(Some(1))), "1 jour");
        assert_eq!(shown(Cell::Days(Some(21))), "21 jours");
        assert_eq!(shown(Cell::Days(None)), "—");
        assert_eq!(shown(Cell::Decimal(Some(1234.56), 1)), "1\u{202F}234,6");
        assert_eq!(shown(Cell::Plain(2024)), "2024");
        assert_eq!(shown(Cell::Date(20241231)), "31 décembre 2024");
        assert_eq!(shown(Cell::Empty), "");
        assert_eq!(Cell::rate(5.into(), 8.into()), Some(0.625));
        assert_eq!(Cell::rate(5.into(), 0.into()), None);
    }
}
