//! Checks `actions.csv` (SPEC §2.6), the optional table of collective
//! actions: the same row checks as the other files (ragged rows, repeated
//! headers, empty and duplicate ids, dates, teams), then its categories
//! (`type_action`, multi-valued `public`) and numbers (`participants`,
//! `duree_heures`). An action names no person. Free-text columns are
//! never read.

use anyhow::Result;

use super::cells::{CellReader, ReadingCache};
use super::ids::Compact;
use super::rows::{
    cell, replaced_by, required_date, start_row, IdColumns, Later, RowVerdict, Seen, Tally,
};
use super::{not_data_findings, Actions, FileSummary, FindingSink, Interner};
use crate::ingest::SourceFile;
use crate::reference::{Category, Teams};

/// Checks the `actions` table, read from one file or (v3) several in
/// order: the kept actions, their teams numbered in the same scopes as the
/// demandes and interventions. A kept row whose id a later file keeps is
/// replaced by that file's row, counted in its `rows_replaced`.
pub(super) fn check_actions(
    files: &[&SourceFile],
    teams: &Teams,
    scopes: &mut Interner,
    sink: &mut FindingSink,
) -> Result<(Actions, Vec<FileSummary>)> {
    let later = super::rows::later_ids(files, "id_action", Some("date_action"))?;
    let mut actions = Actions::default();
    let mut summaries = Vec::new();
    let mut replaced = vec![0u64; files.len()];
    for (index, file) in files.iter().enumerate() {
        sink.next_file();
        let summary = check_file(
            file,
            &later[index..],
            &mut replaced[index + 1..],
            (teams, scopes),
            &mut actions,
            sink,
        )?;
        summaries.push(summary);
    }
    for (summary, count) in summaries.iter_mut().zip(replaced) {
        summary.rows_replaced = count;
    }
    Ok((actions, summaries))
}

/// Checks one file of the `actions` table into `actions`; `replaced`
/// counts the rows replaced by each later file.
fn check_file(
    file: &SourceFile,
    later: &Later,
    replaced: &mut [u64],
    (teams, scopes): (&Teams, &mut Interner),
    actions: &mut Actions,
    sink: &mut FindingSink,
) -> Result<FileSummary> {
    // The file's own ids, only checked for repeats.
    let mut seen = Seen::<Compact>::for_files(&[file]);
    let mut memo = ReadingCache::default();
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, "id_action");
    let at = |column: &str| file.columns.get(column);
    let (team_at, date_at, type_at) = (at("equipe"), at("date_action"), at("type_action"));
    let (public_at, participants_at, hours_at) =
        (at("public"), at("participants"), at("duree_heures"));
    let types = Category::TypeAction.values();
    // The team of the current row, as given to the sink's findings.
    let mut current: Option<u32> = None;
    let not_data = file.for_each_row(
        |line, record| seen.precheck(file, line, record, &ids, &[]),
        |row, precheck| {
            tally.read += 1;
            let (line, record) = (row.line, row.record);
            // Each cell's own line, for a row with a quoted line break.
            sink.start_row(&file.columns, &row);
            let team_cell = cell(record, team_at);
            let team = memo.team(teams, scopes, team_cell);
            if team.scope != current {
                current = team.scope;
                sink.current_team = current.map(|t| scopes.get(t).to_string());
            }
            let RowVerdict::Kept { id } = start_row(file, line, record, &ids, precheck, sink)
            else {
                return;
            };
            let date_cell = cell(record, date_at);
            let Some(date) =
                required_date(file, line, "date_action", date_cell, id, "l'action", sink)
            else {
                return;
            };
            tally.kept += 1;
            if let Some(by) = replaced_by(later, id) {
                replaced[by] += 1;
                return;
            }
            let mut values = CellReader {
                file,
                line,
                id,
                sink: &mut *sink,
                memo: &mut memo,
            };
            let scope = team.scope.map(|t| scopes.get(t));
            actions
                .team
                .push(values.team(team.scope, team.known, scope, team_cell));
            actions.date.push(date);
            let code = values.category(Category::TypeAction, cell(record, type_at));
            actions.type_action.push(code.and_then(|code| {
                let position = types.iter().position(|v| v.code == code)?;
                u8::try_from(position).ok()
            }));
            actions
                .publics
                .push(values.multi_positions(Category::Public, cell(record, public_at)));
            actions
                .participants
                .push(values.participants(cell(record, participants_at)));
            actions.heures.push(values.hours(cell(record, hours_at)));
        },
    )?;
    sink.current_team = None;
    not_data_findings(file, &not_data)
        .into_iter()
        .for_each(|finding| sink.push(finding));
    tally.summary(file)
}
