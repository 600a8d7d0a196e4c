//! The checks every file shares, row by row (SPEC §3): ragged rows,
//! repeated headers, empty and duplicate ids (the row's own, and the
//! person's where the file names one); and the per-file tally of rows
//! read, kept and excluded.

use super::{parse_date, FileSummary, Finding, FindingSink, Interner, Rule};
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;
use crate::reference::FileKind;

/// The cell at a column's position, `""` when the file has no such column.
pub(super) fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|i| record.get(i)).map_or("", str::trim)
}

/// The ids a file has seen, numbered, with the line of each first sight.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) ids: Interner,
    pub(super) lines: Vec<u64>,
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

/// What the first checks of a row decided, shared by every file.
pub(super) enum RowVerdict<'r> {
    Excluded,
    Kept { id: &'r str },
}

/// The checks every file shares, in the order of SPEC §3: blank row,
/// ragged row, repeated header, empty ids, id already seen.
pub(super) fn start_row<'r>(
    file: &SourceFile,
    line: u64,
    record: &'r csv::StringRecord,
    columns: &IdColumns,
    seen: &mut Seen,
    sink: &mut FindingSink,
) -> RowVerdict<'r> {
    if sink.blank_row(file, line, record) {
        return RowVerdict::Excluded;
    }
    let expected = file.columns.headers.len();
    if record.len() != expected {
        sink.push(
            Finding::new(
                Rule::LigneIrreguliere,
                &file.name,
                Some(line),
                format!(
                    "La ligne compte {} champ(s) au lieu de {expected} : la ligne n'est pas comptée. Vérifiez les séparateurs et les guillemets de cette ligne.",
                    record.len()
                ),
            )
            .id(cell(record, columns.own_at)),
        );
        return RowVerdict::Excluded;
    }
    if record
        .iter()
        .zip(&file.columns.headers)
        .all(|(c, h)| c.trim() == h)
    {
        sink.push(Finding::new(
            Rule::EnteteRepetee,
            &file.name,
            Some(line),
            "La ligne d'en-tête est répétée au milieu du fichier : la ligne est ignorée. Supprimez-la (fichiers mis bout à bout ?).".to_string(),
        ));
        return RowVerdict::Excluded;
    }
    let id_column = columns.own;
    let id = cell(record, columns.own_at);
    let id_usager = cell(record, columns.person_at);
    let person = columns.has_person.then_some(("id_usager", id_usager));
    for (column, value) in std::iter::once((id_column, id)).chain(person) {
        if cell_is_not_filled(value) {
            sink.push(
                Finding::new(
                    Rule::IdManquant,
                    &file.name,
                    Some(line),
                    format!("Identifiant {column} vide : la ligne n'est pas comptée. Renseignez l'identifiant ou supprimez la ligne."),
                )
                .column(column)
                .value(value)
                .id(if column == id_column { id_usager } else { id }),
            );
            return RowVerdict::Excluded;
        }
    }
    if let Err(first) = seen.ids.insert(id) {
        let first = seen.lines[first as usize];
        sink.push(
            Finding::new(
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
        );
        return RowVerdict::Excluded;
    }
    seen.lines.push(line);
    RowVerdict::Kept { id }
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
            delimiter: file.delimiter as char,
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
