//! The header line (SPEC §2.1, v2): the first line, among the first
//! [`HEADER_SEARCH`], whose cells name the table's required columns. What
//! stands above it (a title, an export date, an empty line) is kept as the
//! file's preamble, to be reported line by line, never read as data.
//!
//! The delimiter is chosen with it: each of `;`, `,` and tab is tried, and
//! the one that finds a header line first wins (on the same line, the one
//! that cuts it into the most cells). A title line above the header holds
//! no delimiter, so the header line itself has to decide.

use anyhow::{anyhow, Result};

use super::columns::{ColumnMap, ColumnOverrides};
use super::lines::Records;
use super::Record;
use crate::reference::FileKind;

/// How many physical lines from the top of a file the header is looked for in.
pub const HEADER_SEARCH: u64 = 20;

/// A line above the header: its number and the first text on it (none for
/// an empty line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreambleLine {
    pub line: u64,
    pub text: Option<String>,
}

/// The header line found in a file.
#[derive(Debug)]
pub struct Header {
    pub line: u64,
    pub delimiter: u8,
    pub columns: ColumnMap,
    /// How many rows the reader hands out up to and including the header
    /// (the data starts after them).
    pub rows_before_data: u64,
    pub preamble: Vec<PreambleLine>,
}

/// What the first rows of a table, cut one way, say about its header.
struct Search {
    /// The header: its position among the rows, and the columns it maps.
    found: Option<(usize, ColumnMap)>,
    /// Why the first row with text is not a header, and its number of cells.
    refusal: Option<(anyhow::Error, usize)>,
    any_text: bool,
}

/// Looks for the header among `rows` (the first lines of a table).
fn search(
    kind: FileKind,
    name: &str,
    overrides: &ColumnOverrides,
    rows: &[(u64, Record)],
) -> Search {
    let mut result = Search {
        found: None,
        refusal: None,
        any_text: false,
    };
    for (index, (line, record)) in rows.iter().enumerate() {
        if first_text(record).is_none() {
            continue;
        }
        match ColumnMap::resolve(kind, name, *line, record, overrides) {
            Ok(columns) => {
                result.found = Some((index, columns));
                return result;
            }
            Err(err) if !result.any_text => result.refusal = Some((err, record.len())),
            Err(_) => {}
        }
        result.any_text = true;
    }
    result
}

/// The first text of a row, trimmed; `None` for a row with none.
fn first_text(record: &Record) -> Option<String> {
    record
        .iter()
        .map(str::trim)
        .find(|cell| !cell.is_empty())
        .map(str::to_string)
}

/// The header at `index` of `rows`, and the rows above it as the preamble.
fn header_at(rows: &[(u64, Record)], index: usize, columns: ColumnMap, delimiter: u8) -> Header {
    Header {
        line: rows[index].0,
        delimiter,
        columns,
        rows_before_data: index as u64 + 1,
        preamble: rows[..index]
            .iter()
            .map(|(line, record)| PreambleLine {
                line: *line,
                text: first_text(record),
            })
            .collect(),
    }
}

/// The error when no row fits: the refusal of the first row with text, or
/// an empty table.
fn no_header(name: &str, refusal: Option<anyhow::Error>, any_text: bool) -> anyhow::Error {
    match refusal {
        Some(err) => anyhow!(
            "{err} (no line among the first {HEADER_SEARCH} names the required columns; the header line may follow a few title lines)"
        ),
        None if any_text => anyhow!("{name}: no header line among the first {HEADER_SEARCH} lines"),
        None => anyhow!(
            "{name}: the file is empty; it must hold a header line naming its columns"
        ),
    }
}

/// Looks for the header of a sheet among its first rows (line = the
/// sheet's row number); a sheet has no delimiter.
pub fn find_sheet_header(
    kind: FileKind,
    name: &str,
    overrides: &ColumnOverrides,
    rows: &[(u64, Record)],
) -> Result<Header> {
    let result = search(kind, name, overrides, rows);
    match result.found {
        Some((index, columns)) => Ok(header_at(rows, index, columns, 0)),
        None => Err(no_header(
            name,
            result.refusal.map(|(err, _)| err),
            result.any_text,
        )),
    }
}

/// Looks for the header line of `kind` in the rows that `open` gives for a
/// delimiter, trying `first` then the other delimiters. The error when no
/// line fits is that of the first line that is not empty, read with the
/// delimiter that cuts it into the most cells.
pub fn find_header<R: std::io::Read>(
    kind: FileKind,
    name: &str,
    first: u8,
    overrides: &ColumnOverrides,
    mut open: impl FnMut(u8) -> Result<Records<R>>,
) -> Result<Header> {
    let mut order = vec![first];
    order.extend([b';', b',', b'\t'].into_iter().filter(|&d| d != first));
    let mut best: Option<(Header, usize)> = None;
    let mut refusal: Option<(anyhow::Error, usize)> = None;
    let mut any_text = false;
    for delimiter in order {
        let mut records = open(delimiter)?;
        let mut rows = Vec::new();
        loop {
            let mut record = Record::new();
            match records.next(&mut record) {
                Ok(Some(line)) if line <= HEADER_SEARCH => rows.push((line, record)),
                Ok(_) => break,
                Err((line, err)) => {
                    return Err(anyhow!("{name}: cannot read line {line}: {err}"));
                }
            }
        }
        let result = search(kind, name, overrides, &rows);
        any_text |= result.any_text;
        match result.found {
            Some((index, columns)) => {
                let (line, cells) = (rows[index].0, rows[index].1.len());
                let better = best.as_ref().is_none_or(|(found, found_cells)| {
                    line < found.line || (line == found.line && cells > *found_cells)
                });
                if better {
                    best = Some((header_at(&rows, index, columns, delimiter), cells));
                }
            }
            None => {
                if let Some((err, cells)) = result.refusal {
                    if refusal.as_ref().is_none_or(|(_, n)| cells > *n) {
                        refusal = Some((err, cells));
                    }
                }
            }
        }
    }
    match best {
        Some((header, _)) => Ok(header),
        None => Err(no_header(name, refusal.map(|(err, _)| err), any_text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &'static str) -> Result<Header> {
        find_header(
            FileKind::Demandes,
            "demandes.csv",
            b';',
            &ColumnOverrides::default(),
            |delimiter| Ok(Records::new(text.as_bytes(), delimiter)),
        )
    }

    #[test]
    fn title_lines_above_the_header_are_the_preamble() {
        let found = header(
            "Export Mediateam du 05/01/2025\r\n\r\nid\tid usager\tdate\tequipe\r\nD1\tU1\t01/02/2024\tERHR-BRE\r\n",
        )
        .unwrap();
        assert_eq!(found.line, 3);
        assert_eq!(found.delimiter, b'\t');
        assert_eq!(found.rows_before_data, 3);
        assert_eq!(
            found.preamble,
            vec![
                PreambleLine {
                    line: 1,
                    text: Some("Export Mediateam du 05/01/2025".to_string())
                },
                PreambleLine {
                    line: 2,
                    text: None
                },
            ]
        );
    }

    #[test]
    fn the_delimiter_that_cuts_the_header_in_more_cells_wins() {
        let found = header("id,id usager,date,equipe,a;b\nD1,U1,01/02/2024,A,c;d\n").unwrap();
        assert_eq!(found.delimiter, b',');
        assert_eq!(found.line, 1);
        assert!(found.preamble.is_empty());
    }

    #[test]
    fn no_header_in_the_first_lines_names_the_first_line_and_the_search() {
        let err = format!("{:#}", header("Titre\nid;date\n").unwrap_err());
        assert!(err.contains("demandes.csv"), "{err}");
        assert!(err.contains("line 1 has: Titre"), "{err}");
        assert!(err.contains("first 20"), "{err}");
        let text = "x\n".repeat(20) + "id;id usager;date;equipe\n";
        let text: &'static str = Box::leak(text.into_boxed_str());
        assert!(header(text).is_err());
        let err = format!("{:#}", header("\n\n").unwrap_err());
        assert!(err.contains("empty"), "{err}");
    }
}
