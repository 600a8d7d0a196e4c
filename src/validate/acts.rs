//! Checks `demandes.csv` and `interventions.csv`: the kept acts, with
//! person ids and team scopes numbered across both files.

use std::sync::{Mutex, PoisonError};

use anyhow::Result;

use super::cells::{CellReader, ReadingCache};
use super::ids::Compact;
use super::rows::{
    cell, replaced_by, required_date, start_row, IdColumns, Later, RowVerdict, Seen, Tally,
};
use super::{not_data_findings, Acts, FileSummary, FindingSink, Interner};
use crate::ingest::SourceFile;
use crate::reference::{Category, FileKind, Teams};

/// What the act files share while they are checked: the referential, the
/// numbered person ids (the first `persons` are those of `usagers.csv`;
/// unknown ones are added) and the numbered team scopes.
pub(super) struct Numbering<'a> {
    pub(super) teams: &'a Teams,
    pub(super) persons: usize,
    pub(super) person_ids: &'a mut Interner,
    pub(super) scopes: &'a mut Interner,
}

/// The id column, date column and category of an act table.
fn columns_of(kind: FileKind) -> (&'static str, &'static str, Category) {
    match kind {
        FileKind::Demandes => ("id_demande", "date_demande", Category::Origine),
        _ => (
            "id_intervention",
            "date_intervention",
            Category::TypeIntervention,
        ),
    }
}

/// Checks the `demandes` or `interventions` table, read from one file or
/// (v3) several in order: a kept row whose id a later file keeps is
/// replaced by that file's row, counted in its `rows_replaced`.
pub(super) fn check_acts(
    files: &[&SourceFile],
    registry: &mut Numbering<'_>,
    sink: &mut FindingSink,
) -> Result<(Acts, Vec<FileSummary>)> {
    let Some(first) = files.first() else {
        return Ok((Acts::default(), Vec::new()));
    };
    let (id_column, date_column, category) = columns_of(first.kind);
    let later = super::rows::later_ids(files, id_column, Some(date_column))?;
    let mut acts = Acts {
        values: category.values(),
        ..Acts::default()
    };
    let mut summaries = Vec::new();
    let mut replaced = vec![0u64; files.len()];
    for (index, file) in files.iter().enumerate() {
        sink.next_file();
        let summary = check_file(
            file,
            &later[index..],
            &mut replaced[index + 1..],
            &mut acts,
            registry,
            sink,
        )?;
        summaries.push(summary);
    }
    for (summary, count) in summaries.iter_mut().zip(replaced) {
        summary.rows_replaced = count;
    }
    Ok((acts, summaries))
}

/// Checks one file of an act table into `acts`; `replaced` counts the rows
/// replaced by each later file.
fn check_file(
    file: &SourceFile,
    later: &Later,
    replaced: &mut [u64],
    acts: &mut Acts,
    registry: &mut Numbering<'_>,
    sink: &mut FindingSink,
) -> Result<FileSummary> {
    let (id_column, date_column, category) = columns_of(file.kind);
    // The file's own ids, only checked for repeats: by the reading thread,
    // then handed over to this one (`handed`, below).
    let mut seen = Some(Seen::<Compact>::for_files(&[file]));
    let handed: Mutex<Option<Seen<Compact>>> = Mutex::new(None);
    let mut taken: Option<Seen<Compact>> = None;
    let mut memo = ReadingCache::default();
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, id_column);
    let at = |column: &str| file.columns.get(column);
    let (team_at, date_at, category_at) = (at("equipe"), at(date_column), at(category.field()));
    let duree_at = match file.kind {
        FileKind::Interventions => at("duree_minutes"),
        _ => None,
    };
    // The team of the current row, as given to the sink's findings.
    let mut current: Option<u32> = None;
    // The first checks (repeated ids) run on the reading thread while the
    // file's ids come in order: then this thread is the one the other
    // waits for (decision 176; decision 85 found the opposite). Ids in no
    // order (a file grouped by person) cost more to number, and the
    // reading thread became the one this one waits for: the checks come
    // here once an id breaks the order (decision 201). The persons' run
    // on the checking thread, their parsing thread numbering their texts
    // (decision 188).
    let not_data = file.for_each_row(
        |line, record| {
            let mine = seen.as_mut()?;
            if mine.ids.in_order() {
                return Some(mine.precheck(file, line, record, &ids, &[]));
            }
            // Handed over before this row is: the other thread finds it
            // when this row reaches it, after every row checked here.
            let mut slot = handed.lock().unwrap_or_else(PoisonError::into_inner);
            *slot = seen.take();
            None
        },
        |row, precheck| {
            let (line, record) = (row.line, row.record);
            let precheck = match precheck {
                Some(precheck) => precheck,
                None => {
                    // The slot always holds them by now: an empty one only
                    // avoids a panic path that cannot be reached.
                    let seen = taken.get_or_insert_with(|| {
                        let mut slot = handed.lock().unwrap_or_else(PoisonError::into_inner);
                        slot.take().unwrap_or_default()
                    });
                    seen.precheck(file, line, record, &ids, &[])
                }
            };
            tally.read += 1;
            sink.start_row(&file.columns, &row);
            let team_cell = cell(record, team_at);
            let team = memo.team(registry.teams, registry.scopes, team_cell);
            if team.scope != current {
                current = team.scope;
                sink.current_team = current.map(|t| registry.scopes.get(t).to_string());
            }
            let RowVerdict::Kept { id } = start_row(file, line, record, &ids, precheck, sink)
            else {
                return;
            };
            let date_cell = cell(record, date_at);
            let Some(date) =
                required_date(file, line, date_column, date_cell, id, "la ligne", sink)
            else {
                return;
            };
            tally.kept += 1;
            if let Some(by) = replaced_by(later, id) {
                replaced[by] += 1;
                return;
            }
            let id_usager = cell(record, ids.person_at);
            let person = registry.person_ids.insert(id_usager).unwrap_or_else(|k| k);
            let mut values = CellReader {
                file,
                line,
                id,
                sink: &mut *sink,
                memo: &mut memo,
            };
            if person as usize >= registry.persons {
                values.unknown_person(id_usager);
            }
            let scope = team.scope.map(|t| registry.scopes.get(t));
            acts.team
                .push(values.team(team.scope, team.known, scope, team_cell));
            acts.person.push(person);
            acts.date.push(date);
            let code = values.category(category, cell(record, category_at));
            acts.category.push(code.and_then(|code| {
                let position = acts.values.iter().position(|v| v.code == code)?;
                u8::try_from(position).ok()
            }));
            let duree = if duree_at.is_some() {
                values.duration(cell(record, duree_at))
            } else {
                None
            };
            acts.duree.push(duree);
        },
    )?;
    sink.current_team = None;
    not_data_findings(file, &not_data)
        .into_iter()
        .for_each(|finding| sink.push(finding));
    tally.summary(file)
}
