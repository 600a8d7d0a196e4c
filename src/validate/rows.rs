//! The checks every file shares, row by row (SPEC §3): ragged rows, empty
//! and duplicate ids (the row's own, and the person's where the file names
//! one); rows replaced by a later file of their table (v3); and the
//! per-file tally of rows read, kept and excluded.

use anyhow::Context;
use rustc_hash::FxHashMap;

use super::ids::{Compact, Key, Keyed, Narrow};
use super::{is_blank, parse_date, FileSummary, Finding, FindingSink, Interner, Rule};
use crate::format::shown;
use crate::ingest::Record;
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;
use crate::reference::FileKind;

/// The cell at a column's position, trimmed; `""` when the file has no
/// such column.
pub(super) fn cell(record: &Record, column: Option<usize>) -> &str {
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
    pub(super) lines: Narrow,
    /// (v3) The ids of this file that a later file of its table replaces,
    /// with the line of each first sight: they are not numbered in `ids`.
    replaced: FxHashMap<Box<str>, u64>,
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Self {
            ids: Interner::default(),
            lines: Narrow::default(),
            replaced: FxHashMap::default(),
        }
    }
}

impl<K> Seen<K> {
    /// For the rows of `files`, whatever order they come in.
    pub(super) fn for_files(files: &[&SourceFile]) -> Self {
        Self {
            ids: Interner::with_room(room_for(files)),
            ..Self::default()
        }
    }

    /// Starts the next file of a table read from several.
    pub(super) fn next_file(&mut self) {
        self.replaced.clear();
    }
}

/// How many entries the array numbering the ids of `files` may have
/// ([`Interner::with_room`]): a quarter of their size, so that it takes no
/// more memory than their text.
fn room_for(files: &[&SourceFile]) -> usize {
    let bytes: u64 = files.iter().map(|file| file.size).sum();
    usize::try_from(bytes / 4).unwrap_or(usize::MAX)
}

/// (v3) The ids kept by each later file of a table read from several
/// files, nearest first: a row whose id one of them keeps is replaced by
/// it. Empty for the last (or only) file.
pub(super) type Later = [Interner<Compact>];

/// How many files further the nearest later file keeping `id` is (0: the
/// next file), if one does.
pub(super) fn replaced_by(later: &Later, id: &str) -> Option<usize> {
    later.iter().position(|ids| ids.contains(id))
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
/// row, ragged row, empty ids, id already seen. They read only the row and
/// the ids before it, so they run on the parsing thread
/// ([`Seen::precheck`]); [`start_row`] reports them in file order. (A
/// repeated header line is no row: the reader keeps it out, v3.)
#[derive(Debug, Clone, Copy)]
pub(super) enum Precheck {
    Blank,
    Ragged,
    /// The row's own id (`true`) or its person's id (`false`) is empty.
    EmptyId {
        own: bool,
    },
    /// The row's id was first seen on this line.
    Duplicate {
        first: u64,
    },
    /// (v3) A later file of the table keeps this id (`by` files further):
    /// the row is read, and replaced.
    Replaced {
        by: usize,
    },
    Fresh,
}

/// Whether a row has the header's fields: fewer is ragged, and so are more
/// unless every extra one is empty (v3: many exporters end each line with
/// the delimiter).
fn is_ragged(record: &Record, width: usize) -> bool {
    match record.len().cmp(&width) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Equal => false,
        std::cmp::Ordering::Greater => record
            .iter()
            .skip(width)
            .any(|cell| !cell.trim().is_empty()),
    }
}

impl<K: Key> Seen<K> {
    /// The first checks of a row; a fresh id is numbered, unless a later
    /// file of the table keeps it (`later`, v3).
    pub(super) fn precheck(
        &mut self,
        file: &SourceFile,
        line: u64,
        record: &Record,
        columns: &IdColumns,
        later: &Later,
    ) -> Precheck {
        if is_blank(record) {
            return Precheck::Blank;
        }
        if is_ragged(record, file.columns.headers.len()) {
            return Precheck::Ragged;
        }
        let id = cell(record, columns.own_at);
        if cell_is_not_filled(id) {
            return Precheck::EmptyId { own: true };
        }
        if columns.has_person && cell_is_not_filled(cell(record, columns.person_at)) {
            return Precheck::EmptyId { own: false };
        }
        if let Some(by) = replaced_by(later, id) {
            return match self.replaced.get(id) {
                Some(&first) => Precheck::Duplicate { first },
                None => {
                    self.replaced.insert(id.into(), line);
                    Precheck::Replaced { by }
                }
            };
        }
        match self.ids.insert(id) {
            Err(first) => Precheck::Duplicate {
                first: self.lines.get(first as usize),
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
    Kept {
        id: &'r str,
    },
    /// (v3) Kept, and replaced by the row of a later file (`by` files
    /// further) with the same id: its cells are not read.
    Replaced {
        by: usize,
    },
}

/// Reports what [`Seen::precheck`] found of a row, and whether it is kept.
pub(super) fn start_row<'r>(
    file: &SourceFile,
    line: u64,
    record: &'r Record,
    columns: &IdColumns,
    precheck: Precheck,
    sink: &mut FindingSink,
) -> RowVerdict<'r> {
    let id_column = columns.own;
    let id = cell(record, columns.own_at);
    let id_usager = cell(record, columns.person_at);
    let finding = match precheck {
        Precheck::Fresh => return RowVerdict::Kept { id },
        Precheck::Replaced { by } => return RowVerdict::Replaced { by },
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
                    "La ligne compte {} champ{} au lieu de {expected} : la ligne n'est pas comptée. Vérifiez les séparateurs et les guillemets de cette ligne.",
                    record.len(),
                    if record.len() > 1 { "s" } else { "" }
                ),
            )
            .id(id)
        }
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
                format!(
                    "Identifiant {column} {} : la ligne n'est pas comptée. Renseignez l'identifiant ou supprimez la ligne.",
                    if value.trim().is_empty() {
                        "vide".to_string()
                    } else {
                        format!("non renseigné (« {} »)", shown(value))
                    }
                ),
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
                "Identifiant {} déjà présent ligne {first} : cette ligne n'est pas comptée (la première est conservée). Corrigez l'identifiant ou supprimez le doublon.",
                shown(id)
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

/// (v3) The ids that a file of a table read from several keeps: the rows
/// that pass the checks excluding a row (the first of each id, with a
/// readable date in `date_column` when the table has one), as the main
/// pass keeps them. A row of an earlier file with one of these ids is
/// replaced.
pub(super) fn kept_ids(
    file: &SourceFile,
    own: &'static str,
    date_column: Option<&'static str>,
) -> anyhow::Result<Interner<Compact>> {
    let columns = IdColumns::new(file, own);
    let date_at = date_column.and_then(|column| file.columns.get(column));
    let mut seen = Seen::<Compact>::for_files(&[file]);
    let mut kept = Interner::<Compact>::with_room(room_for(&[file]));
    file.for_each_row(
        |line, record| seen.precheck(file, line, record, &columns, &[]),
        |row, precheck| {
            let dated = date_column.is_none() || parse_date(cell(row.record, date_at)).is_some();
            if matches!(precheck, Precheck::Fresh) && dated {
                let _ = kept.insert(cell(row.record, columns.own_at));
            }
        },
    )?;
    Ok(kept)
}

/// (v3) For a table read from `files` in order: the ids kept by each file
/// but the first ([`kept_ids`]), so that `&later_ids(..)[i..]` is what the
/// files after file `i` keep. Empty for a table read from one file.
pub(super) fn later_ids(
    files: &[&SourceFile],
    own: &'static str,
    date_column: Option<&'static str>,
) -> anyhow::Result<Vec<Interner<Compact>>> {
    files
        .iter()
        .skip(1)
        .map(|file| kept_ids(file, own, date_column))
        .collect()
}

impl Tally {
    pub(super) fn summary(&self, file: &SourceFile) -> anyhow::Result<FileSummary> {
        let sha256 = file
            .sha256
            .get()
            .with_context(|| format!("{}: cannot read {}", file.name, file.path.display()))?;
        Ok(FileSummary {
            file: file.kind,
            name: file.name.clone(),
            encoding: file.encoding.label(),
            // A workbook's sheet has none (its reader sets 0).
            delimiter: (file.delimiter != 0).then_some(file.delimiter as char),
            size: file.size,
            sha256,
            rows_read: self.read,
            rows_kept: self.kept,
            rows_excluded: self.read - self.kept,
            rows_replaced: 0,
            absent_columns: file.columns.absent.clone(),
        })
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
                    "Date « {} » vide ou illisible : {uncounted} n'est pas comptée. Écrivez la date au format JJ/MM/AAAA ou AAAA-MM-JJ.",
                    shown(raw)
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
