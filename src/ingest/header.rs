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
    // The refusal of the first non-empty line, with its number of cells.
    let mut refusal: Option<(anyhow::Error, usize)> = None;
    let mut any_text = false;
    for delimiter in order {
        let mut records = open(delimiter)?;
        let mut record = csv::StringRecord::new();
        let mut preamble = Vec::new();
        let mut rows = 0;
        loop {
            let line = match records.next(&mut record) {
                Ok(Some(line)) if line <= HEADER_SEARCH => line,
                Ok(_) => break,
                Err((line, err)) => {
                    return Err(anyhow!("{name}: cannot read line {line}: {err}"));
                }
            };
            rows += 1;
            let text = record
                .iter()
                .map(str::trim)
                .find(|cell| !cell.is_empty())
                .map(str::to_string);
            if text.is_none() {
                preamble.push(PreambleLine { line, text });
                continue;
            }
            any_text = true;
            match ColumnMap::resolve(kind, name, line, &record, overrides) {
                Ok(columns) => {
                    let cells = record.len();
                    let better = best.as_ref().is_none_or(|(found, found_cells)| {
                        line < found.line || (line == found.line && cells > *found_cells)
                    });
                    if better {
                        let header = Header {
                            line,
                            delimiter,
                            columns,
                            rows_before_data: rows,
                            preamble,
                        };
                        best = Some((header, cells));
                    }
                    break;
                }
                Err(err) => {
                    if preamble.iter().all(|p| p.text.is_none())
                        && refusal.as_ref().is_none_or(|(_, n)| record.len() > *n)
                    {
                        refusal = Some((err, record.len()));
                    }
                    preamble.push(PreambleLine { line, text });
                }
            }
        }
    }
    match (best, refusal) {
        (Some((header, _)), _) => Ok(header),
        (None, Some((err, _))) => Err(anyhow!(
            "{err} (no line among the first {HEADER_SEARCH} names the required columns; the header line may follow a few title lines)"
        )),
        (None, None) if any_text => Err(anyhow!(
            "{name}: no header line among the first {HEADER_SEARCH} lines"
        )),
        (None, None) => Err(anyhow!(
            "{name}: the file is empty; it must hold a header line naming its columns"
        )),
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
