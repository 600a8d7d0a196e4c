//! The checks every file shares, row by row (SPEC §3): ragged rows,
//! repeated headers, empty and duplicate ids (the row's own, and the
//! person's where the file names one); and the per-file tally of rows
//! read, kept and excluded.

use super::ids::{Key, Keyed};
use super::{is_blank, parse_date, FileSummary, Finding, FindingSink, Interner, Rule};
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;
use crate::reference::FileKind;

/// The cell at a column's position, trimmed; `""` when the file has no
/// such column.
pub(super) fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|i| record.get(i)).map_or("", trim)
}

/// `str::trim`, without decoding the ends of a cell that starts and ends
/// with a visible ASCII character (most cells): then there is nothing to
/// trim.
fn trim(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// The ids a file has seen, numbered, with the line of each first sight.
/// `usagers.csv`'s become the person ids, which the acts look up
/// ([`Keyed`] slots); the other files' are only checked for repeats
/// ([`Compact`](super::ids::Compact) slots).
pub(super) struct Seen<K = Keyed> {
    pub(super) ids: Interner<K>,
    pub(super) lines: Vec<u64>,
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Self {
            ids: Interner::default(),
            lines: Vec::new(),
        }
    }
}

/// The id columns of a file: its own (`id_usager` for `usagers.csv`) and
/// the person's, with their positions. `actions.csv` names no person.
pub(super) struct IdColumns {
    pub(super) own: &'static str,
    pub(super) own_at: Option<usize>,
    pub(super) person_at: Option<usize>,
    /// Whether the file's rows name a person (every file but `actions.csv`).
    pub(super) has_person: bool,
}

impl IdColumns {
    pub(super) fn new(file: &SourceFile, own: &'static str) -> Self {
        Self {
            own,
            own_at: file.columns.get(own),
            person_at: file.columns.get("id_usager"),
            has_person: file.kind != FileKind::Actions,
        }
    }
}

/// What the first checks of a row found, in the order of SPEC §3: blank
/// row, ragged row, repeated header, empty ids, id already seen. They read
/// only the row and the ids before it, so they run on the parsing thread
/// ([`Seen::precheck`]); [`start_row`] reports them in file order.
#[derive(Debug, Clone, Copy)]
pub(super) enum Precheck {
    Blank,
    Ragged,
    RepeatedHeader,
    /// The row's own id (`true`) or its person's id (`false`) is empty.
    EmptyId {
        own: bool,
    },
    /// The row's id was first seen on this line.
    Duplicate {
        first: u64,
    },
    Fresh,
}

impl<K: Key> Seen<K> {
    /// The first checks of a row; a fresh id is numbered.
    pub(super) fn precheck(
        &mut self,
        file: &SourceFile,
        line: u64,
        record: &csv::StringRecord,
        columns: &IdColumns,
    ) -> Precheck {
        if is_blank(record) {
            return Precheck::Blank;
        }
        if record.len() != file.columns.headers.len() {
            return Precheck::Ragged;
        }
        if record
            .iter()
            .zip(&file.columns.headers)
            .all(|(c, h)| c.trim() == h)
        {
            return Precheck::RepeatedHeader;
        }
        let id = cell(record, columns.own_at);
        if cell_is_not_filled(id) {
            return Precheck::EmptyId { own: true };
        }
        if columns.has_person && cell_is_not_filled(cell(record, columns.person_at)) {
            return Precheck::EmptyId { own: false };
        }
        match self.ids.insert(id) {
            Err(first) => Precheck::Duplicate {
                first: self.lines[first as usize],
            },
            Ok(_) => {
                self.lines.push(line);
                Precheck::Fresh
            }
        }
    }
}

/// What the first checks of a row decided, shared by every file.
pub(super) enum RowVerdict<'r> {
    Excluded,
    Kept { id: &'r str },
}

/// Reports what [`Seen::precheck`] found of a row, and whether it is kept.
pub(super) fn start_row<'r>(
    file: &SourceFile,
    line: u64,
    record: &'r csv::StringRecord,
    columns: &IdColumns,
    precheck: Precheck,
    sink: &mut FindingSink,
) -> RowVerdict<'r> {
    let id_column = columns.own;
    let id = cell(record, columns.own_at);
    let id_usager = cell(record, columns.person_at);
    let finding = match precheck {
        Precheck::Fresh => return RowVerdict::Kept { id },
        Precheck::Blank => {
            sink.blank_row(file, line);
            return RowVerdict::Excluded;
        }
        Precheck::Ragged => {
            let expected = file.columns.headers.len();
            Finding::new(
                Rule::LigneIrreguliere,
                &file.name,
                Some(line),
                format!(
                    "La ligne compte {} champ(s) au lieu de {expected} : la ligne n'est pas comptée. Vérifiez les séparateurs et les guillemets de cette ligne.",
                    record.len()
                ),
            )
            .id(id)
        }
        Precheck::RepeatedHeader => Finding::new(
            Rule::EnteteRepetee,
            &file.name,
            Some(line),
            "La ligne d'en-tête est répétée au milieu du fichier : la ligne est ignorée. Supprimez-la (fichiers mis bout à bout ?).".to_string(),
        ),
        Precheck::EmptyId { own } => {
            let (column, value, other) = if own {
                (id_column, id, id_usager)
            } else {
                ("id_usager", id_usager, id)
            };
            Finding::new(
                Rule::IdManquant,
                &file.name,
                Some(line),
                format!("Identifiant {column} vide : la ligne n'est pas comptée. Renseignez l'identifiant ou supprimez la ligne."),
            )
            .column(column)
            .value(value)
            .id(other)
        }
        Precheck::Duplicate { first } => Finding::new(
            Rule::IdEnDouble,
            &file.name,
            Some(line),
            format!(
                "Identifiant {id} déjà présent ligne {first} : cette ligne n'est pas comptée (la première est conservée). Corrigez l'identifiant ou supprimez le doublon."
            ),
        )
        .column(id_column)
        .value(id)
        .id(id),
    };
    sink.push(finding);
    RowVerdict::Excluded
}

/// Counts rows read/kept/excluded for a file as its rows are checked.
pub(super) struct Tally {
    pub(super) read: u64,
    pub(super) kept: u64,
}

impl Tally {
    pub(super) fn summary(&self, file: &SourceFile) -> FileSummary {
        FileSummary {
            file: file.kind,
            name: file.name.clone(),
            encoding: file.encoding.label(),
            // A workbook's sheet has none (its reader sets 0).
            delimiter: (file.delimiter != 0).then_some(file.delimiter as char),
            size: file.size,
            sha256: file.sha256.clone(),
            rows_read: self.read,
            rows_kept: self.kept,
            rows_excluded: self.read - self.kept,
            absent_columns: file.columns.absent.clone(),
        }
    }
}

/// A row's required date (`AAAAMMJJ`); an empty or unreadable one is a
/// finding and the row is left out. `uncounted` says what is not counted:
/// « la ligne », « l'action ».
pub(super) fn required_date(
    file: &SourceFile,
    line: u64,
    column: &'static str,
    raw: &str,
    id: &str,
    uncounted: &str,
    sink: &mut FindingSink,
) -> Option<i32> {
    let date = parse_date(raw);
    if date.is_none() {
        sink.push(
            Finding::new(
                Rule::DateInvalide,
                &file.name,
                Some(line),
                format!(
                    "Date « {raw} » vide ou illisible : {uncounted} n'est pas comptée. Écrivez la date au format JJ/MM/AAAA ou AAAA-MM-JJ."
                ),
            )
            .column(column)
            .value(raw)
            .id(id),
        );
    }
    date
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_cell_is_trimmed_as_str_trim_does(cell in "\\PC{0,12}|[ \\t\\u{a0}\\u{3000}]{0,2}[a-z0-9]{0,3}[ \\t\\u{a0}\\u{2003}]{0,2}") {
            prop_assert_eq!(trim(&cell), cell.trim());
        }
    }
}
