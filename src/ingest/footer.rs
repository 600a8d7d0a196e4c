//! Lines below the header that are not data (SPEC §2.1, v3): a line
//! repeating the header line (an export pasted under another), and the
//! table's footer (`Nombre de lignes : 2345`, `Exporté le …`, a total).
//!
//! The footer is found by reading the table upwards from its end: blank
//! lines are passed over (they stay rows, reported `ligne_vide`), and each
//! line whose own id cell is empty, whose first text begins with one of
//! [`FOOTER_WORDS`], or that has fewer than half the header's fields, is a
//! footer line; the first line that is none of these ends the footer. The
//! rows stream, so such lines are held back as they come, and handed out
//! as rows as soon as a line that is none of these follows them: only the
//! lines still held at the end of the table are its footer.

use super::columns::ColumnMap;
use super::header::PreambleLine;
use super::Record;
use crate::normalize::normalize;
use crate::reference::FileKind;

/// The words a footer line's first text begins with, normalised.
pub const FOOTER_WORDS: [&str; 7] = [
    "total", "nombre", "exporte", "edite", "genere", "extrait", "page",
];

/// The lines of a table that are not data, found while its rows are read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NotData {
    /// The lines repeating the header line (finding `entete_repete`).
    pub repeated_headers: Vec<u64>,
    /// The footer lines, with their first text (finding `pied_de_page`).
    pub footer: Vec<PreambleLine>,
}

/// What a row after the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sorted {
    /// A row to hand out, after the rows held before it.
    Data,
    /// Blank, or looking like a footer line: held until what follows says.
    Held,
    /// The header line again: not data; the rows held before it are rows.
    RepeatedHeader,
}

/// A row held back: a blank one keeps only its line.
enum Held {
    Blank(u64),
    Row(u64, bool, Record),
}

/// The rows held back at the end of what was read so far, and what was
/// found not to be data.
pub(super) struct Footer<'a> {
    columns: &'a ColumnMap,
    /// The table's own id column.
    id_at: Option<usize>,
    held: Vec<Held>,
    pub(super) not_data: NotData,
}

impl<'a> Footer<'a> {
    pub(super) fn new(kind: FileKind, columns: &'a ColumnMap) -> Self {
        Self {
            columns,
            id_at: columns.get(own_id(kind)),
            held: Vec::new(),
            not_data: NotData::default(),
        }
    }

    /// Sorts the row on `line`; a repeated header is noted here.
    pub(super) fn sort(&mut self, line: u64, record: &Record) -> Sorted {
        // A row the reader could not decode has no field: a ragged row.
        if record.is_empty() {
            return Sorted::Data;
        }
        if self.columns.repeats_header(record) {
            self.not_data.repeated_headers.push(line);
            return Sorted::RepeatedHeader;
        }
        // A blank row has an empty id too: one test holds both.
        if self.looks_like_footer(record) {
            Sorted::Held
        } else {
            Sorted::Data
        }
    }

    fn looks_like_footer(&self, record: &Record) -> bool {
        let id_empty = self
            .id_at
            .is_none_or(|at| record.get(at).is_none_or(|cell| cell.trim().is_empty()));
        id_empty
            || record.len() * 2 < self.columns.headers.len()
            || record
                .iter()
                .map(str::trim)
                .find(|cell| !cell.is_empty())
                .is_some_and(begins_with_footer_word)
    }

    /// Holds a row that [`Footer::sort`] said to hold.
    pub(super) fn hold(&mut self, line: u64, spans_lines: bool, record: Record) {
        if is_blank(&record) {
            self.held.push(Held::Blank(line));
        } else {
            self.held.push(Held::Row(line, spans_lines, record));
        }
    }

    /// Whether rows are held.
    pub(super) fn holds(&self) -> bool {
        !self.held.is_empty()
    }

    /// Hands the held rows out as rows, in order (a line that is data
    /// followed them).
    pub(super) fn release(&mut self, mut row: impl FnMut(u64, bool, &Record)) {
        let mut blank = Record::new();
        blank.push_field("");
        for held in self.held.drain(..) {
            match held {
                Held::Blank(line) => row(line, false, &blank),
                Held::Row(line, spans_lines, record) => row(line, spans_lines, &record),
            }
        }
    }

    /// At the end of the table: the held blank rows are rows (blank ones),
    /// the other held lines the footer. Returns what was not data.
    pub(super) fn finish(mut self, mut row: impl FnMut(u64, bool, &Record)) -> NotData {
        let mut blank = Record::new();
        blank.push_field("");
        for held in std::mem::take(&mut self.held) {
            match held {
                Held::Blank(line) => row(line, false, &blank),
                Held::Row(line, _, record) => self.not_data.footer.push(PreambleLine {
                    line,
                    text: record
                        .iter()
                        .map(str::trim)
                        .find(|cell| !cell.is_empty())
                        .map(str::to_string),
                }),
            }
        }
        self.not_data
    }
}

/// Whether a text, normalised, begins with a footer word. Most first cells
/// are ids starting with another letter or a digit: those are not
/// normalised.
fn begins_with_footer_word(text: &str) -> bool {
    let first = text.as_bytes()[0];
    if first.is_ascii_alphanumeric() && !b"tnepgTNEPG".contains(&first) {
        return false;
    }
    let normalized = normalize(text);
    FOOTER_WORDS.iter().any(|word| normalized.starts_with(word))
}

/// Whether every cell of a row is empty (`;;;;;` left below a table by a
/// spreadsheet, or an empty line). Such a row is not a person or an act
/// with an empty id: reporting it as `id_manquant` would send the user
/// looking for a row that holds nothing. A row the reader could not decode
/// has no cell at all and is not blank (it is ragged).
pub fn is_blank(record: &Record) -> bool {
    !record.is_empty() && record.iter().all(|cell| cell.trim().is_empty())
}

/// The column of a table's own id (SPEC §2.2–2.6).
pub fn own_id(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Usagers => "id_usager",
        FileKind::Demandes => "id_demande",
        FileKind::Interventions => "id_intervention",
        FileKind::Actions => "id_action",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ColumnOverrides;

    fn record(cells: &[&str]) -> Record {
        Record::from(cells.to_vec())
    }

    /// Sorts `rows` (from line 2) as the reader does: the lines handed out
    /// as rows, and what is not data.
    fn read(rows: &[&[&str]]) -> (Vec<u64>, NotData) {
        let columns = ColumnMap::resolve(
            FileKind::Demandes,
            "demandes.csv",
            1,
            &record(&["id", "id usager", "date", "equipe"]),
            &ColumnOverrides::default(),
        )
        .unwrap();
        let mut footer = Footer::new(FileKind::Demandes, &columns);
        let mut out = Vec::new();
        for (line, cells) in (2..).zip(rows) {
            let row = record(cells);
            match footer.sort(line, &row) {
                Sorted::Held => footer.hold(line, false, row),
                sorted => {
                    footer.release(|l, _, _| out.push(l));
                    if sorted == Sorted::Data {
                        out.push(line);
                    }
                }
            }
        }
        let not_data = footer.finish(|l, _, _| out.push(l));
        (out, not_data)
    }

    #[test]
    fn the_footer_is_found_upwards_and_blank_lines_stay_rows() {
        let (rows, not_data) = read(&[
            &["D1", "U1", "01/02/2024", "A"],
            &["", "U2", "01/02/2024", "A"],
            &["D3", "U3", "01/02/2024", "A"],
            &["", "", "", ""],
            &["Nombre de lignes : 2", "", "", ""],
            &[""],
            &["Exporté le 05/01/2025"],
            &["", "", "", "Total 2"],
        ]);
        // The empty id on line 3 is followed by data: a row.
        assert_eq!(rows, vec![2, 3, 4, 5, 7]);
        let lines: Vec<u64> = not_data.footer.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![6, 8, 9]);
        assert_eq!(
            not_data.footer[1].text.as_deref(),
            Some("Exporté le 05/01/2025")
        );
        assert!(not_data.repeated_headers.is_empty());
    }

    #[test]
    fn a_repeated_header_is_not_data_and_ends_the_footer() {
        let (rows, not_data) = read(&[
            &["D1", "U1", "01/02/2024", "A"],
            &["Total", "", "", ""],
            &["ID", "Id usager", "Date", "Équipe", ""],
            &["D2", "U2", "01/02/2024", "A"],
            &["Page 1/1"],
        ]);
        assert_eq!(rows, vec![2, 3, 5]);
        assert_eq!(not_data.repeated_headers, vec![4]);
        assert_eq!(not_data.footer.len(), 1);
        assert_eq!(not_data.footer[0].line, 6);
    }

    #[test]
    fn ids_and_dates_are_not_footer_words() {
        for text in ["U0001", "2345", "E12", "Pierre", "ERHR-BRE"] {
            assert!(!begins_with_footer_word(text), "{text}");
        }
        for text in [
            "TOTAL",
            "Éditée le",
            "généré par Mediateam",
            "— Page 2",
            "nombre",
        ] {
            assert!(begins_with_footer_word(text), "{text}");
        }
    }
}
