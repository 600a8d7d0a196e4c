//! The pieces every section of the report is built from: a chart with the
//! table of its figures, a plain table, a report count as a bar. A
//! table's cells are kept typed ([`Cell`]) beside their French text, so
//! that the workbook writes numbers as numbers from the same figures.

use anyhow::Result;
use serde::Serialize;

use crate::charts::{alt_text, horizontal_bars, vertical_bars, Bar};
use crate::format;
use crate::indicators::Count;
use crate::reference::Category;
use crate::secret::{ScopeReport, Secrecy};

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
            note,
            cells,
        }
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
    /// A count: of persons (`None` when masked), of rows or findings.
    Count(Option<u64>),
    /// `part / whole` as a rate; `—` when either is masked or `whole` is 0.
    Share(Option<u64>, Option<u64>),
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

    /// The rate of a share, when it is shown.
    pub fn rate(part: Option<u64>, whole: Option<u64>) -> Option<f64> {
        match (part, whole) {
            (Some(part), Some(whole)) if whole > 0 => Some(part as f64 / whole as f64),
            _ => None,
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
        None => "Non renseigné".to_string(),
    }
}

/// A share in whole percent; `—` when either figure is masked or zero.
pub fn share(part: Option<u64>, whole: Option<u64>) -> String {
    match (part, whole) {
        (Some(part), Some(whole)) if whole > 0 => {
            format::percent(format::round_percent(part, whole))
        }
        _ => "—".to_string(),
    }
}

/// A bar for a report count: a masked count (`None`) reads `< K` and
/// draws no bar.
pub fn bar(report: &ScopeReport, label: impl Into<String>, count: Option<u64>) -> Bar {
    match count {
        Some(n) => Bar::new(label, n),
        None => Bar {
            label: label.into(),
            value: None,
            shown: report.masked(),
        },
    }
}

/// Bars for counts labelled by value (*Non renseigné* for none).
pub fn bars(report: &ScopeReport, counts: &[Count], label: &dyn Fn(&str) -> String) -> Vec<Bar> {
    counts
        .iter()
        .map(|c| bar(report, not_filled_label(&c.value, label), c.count))
        .collect()
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Horizontal,
    Vertical,
}

/// A chart and the table of its figures: label, count, share of `total`.
pub struct Chart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The header of the labels' column.
    pub header: &'a str,
    pub bars: Vec<Bar>,
    pub total: Option<u64>,
    pub orientation: Orientation,
    pub note: Option<String>,
}

impl Chart<'_> {
    pub fn view(self) -> Result<ChartView> {
        let svg = match self.orientation {
            Orientation::Vertical => vertical_bars(self.title, &self.bars)?,
            Orientation::Horizontal => horizontal_bars(self.title, &self.bars)?,
        };
        let rows = self
            .bars
            .iter()
            .map(|b| vec![b.label.clone(), b.shown.clone(), share(b.value, self.total)])
            .collect();
        let cells = self
            .bars
            .iter()
            .map(|b| {
                vec![
                    Cell::text(&b.label),
                    Cell::Count(b.value),
                    Cell::Share(b.value, self.total),
                ]
            })
            .collect();
        Ok(ChartView {
            id: self.id.to_string(),
            title: self.title.to_string(),
            alt: alt_text(self.title, &self.bars),
            svg,
            columns: vec![
                self.header.to_string(),
                "Effectif".to_string(),
                "Part".to_string(),
            ],
            rows,
            note: self.note.map(|n| format::typography(&n)),
            table: None,
            cells,
        })
    }
}

/// Counts of a categorical field in the order of its nomenclature, zeros
/// included, then *not filled in* when there is any.
pub fn category_bars(report: &ScopeReport, category: Category, counts: &[Count]) -> Vec<Bar> {
    let mut bars: Vec<Bar> = category
        .values()
        .iter()
        .map(
            |v| match counts.iter().find(|c| c.value.as_deref() == Some(v.code)) {
                Some(c) => bar(report, v.display, c.count),
                None => Bar::new(v.display, 0),
            },
        )
        .collect();
    if let Some(missing) = counts.iter().find(|c| c.value.is_none()) {
        bars.push(bar(report, "Non renseigné", missing.count));
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_reads_as_the_report_writes_it() {
        let k = Secrecy::new(5);
        let shown = |cell: Cell| cell.shown(k);
        assert_eq!(shown(Cell::Count(Some(2345))), "2\u{202F}345");
        assert_eq!(shown(Cell::Count(None)), "<\u{a0}5");
        assert_eq!(shown(Cell::Share(Some(5), Some(8))), "63\u{a0}%");
        assert_eq!(shown(Cell::Share(None, Some(8))), "—");
        assert_eq!(shown(Cell::Share(Some(0), Some(0))), "—");
        assert_eq!(shown(Cell::Days(Some(1))), "1 jour");
        assert_eq!(shown(Cell::Days(Some(21))), "21 jours");
        assert_eq!(shown(Cell::Days(None)), "—");
        assert_eq!(shown(Cell::Decimal(Some(1234.56), 1)), "1\u{202F}234,6");
        assert_eq!(shown(Cell::Plain(2024)), "2024");
        assert_eq!(shown(Cell::Date(20241231)), "31 décembre 2024");
        assert_eq!(shown(Cell::Empty), "");
        assert_eq!(Cell::rate(Some(5), Some(8)), Some(0.625));
        assert_eq!(Cell::rate(Some(5), Some(0)), None);
    }
}
