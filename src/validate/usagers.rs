//! Checks `usagers.csv`: the kept persons, their ids numbered in order.

use anyhow::Result;

use super::cells::{CellReader, ReadingCache};
use super::dates::is_written_as;
use super::rows::{cell, start_row, IdColumns, Later, RowVerdict, Seen, Tally};
use super::{not_data_findings, FileSummary, FindingSink, Interner, Persons};
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;
use crate::reference::Category;

/// Checks the `usagers` table, read from one file or (v3) several in
/// order: the kept persons, and their ids numbered in order. A row whose id
/// a later file keeps is replaced by that file's row (the later export is
/// the newer), which is counted in that file's `rows_replaced`.
pub(super) fn check_usagers(
    files: &[&SourceFile],
    sink: &mut FindingSink,
) -> Result<(Persons, Interner, Vec<FileSummary>)> {
    let later = super::rows::later_ids(files, "id_usager", None)?;
    let mut persons = Persons::default();
    let mut seen = Seen::default();
    let mut memo = ReadingCache::default();
    let mut summaries = Vec::new();
    let mut replaced = vec![0u64; files.len()];
    for (index, file) in files.iter().enumerate() {
        seen.next_file();
        sink.next_file();
        let summary = check_file(
            file,
            &later[index..],
            &mut replaced[index + 1..],
            (&mut persons, &mut seen, &mut memo),
            sink,
        )?;
        summaries.push(summary);
    }
    for (summary, count) in summaries.iter_mut().zip(replaced) {
        summary.rows_replaced = count;
    }
    Ok((persons, seen.ids, summaries))
}

/// Checks one file of the `usagers` table; `replaced` counts the rows
/// replaced by each later file.
fn check_file(
    file: &SourceFile,
    later: &Later,
    replaced: &mut [u64],
    (persons, seen, memo): (&mut Persons, &mut Seen, &mut ReadingCache),
    sink: &mut FindingSink,
) -> Result<FileSummary> {
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, "id_usager");
    let at = |column: &str| file.columns.get(column);
    let (birth_at, departement_at, sexe_at) = (at("date_naissance"), at("departement"), at("sexe"));
    let (lieu_at, maladie_at, orpha_at) = (at("lieu_de_vie"), at("maladie_rare"), at("code_orpha"));
    let (deficiences_at, tnd_at, scolarisation_at) =
        (at("deficiences"), at("tnd"), at("scolarisation"));
    let situation_at = at("situation");
    let not_data = file.for_each_row(
        |line, record| seen.precheck(file, line, record, &ids, later),
        |row, precheck| {
            tally.read += 1;
            let (line, record) = (row.line, row.record);
            sink.start_row(&file.columns, &row);
            let id = match start_row(file, line, record, &ids, precheck, sink) {
                RowVerdict::Kept { id } => id,
                RowVerdict::Replaced { by } => {
                    tally.kept += 1;
                    replaced[by] += 1;
                    return;
                }
                RowVerdict::Excluded => return,
            };
            tally.kept += 1;
            let mut values = CellReader {
                file,
                line,
                id,
                sink: &mut *sink,
                memo: &mut *memo,
            };
            let birth = values.birth_date(cell(record, birth_at));
            let written = cell(record, birth_at);
            persons.birth_written.push(
                birth
                    .filter(|&b| !is_written_as(b, written))
                    .map(|_| written.into()),
            );
            let departement = values.departement(cell(record, departement_at));
            persons
                .line
                .push(values.sink.line_of("date_naissance", line));
            persons.birth.push(birth);
            persons
                .region
                .push(departement.and_then(|(_, region)| region));
            persons.departement.push(departement.map(|(code, _)| code));
            persons
                .sexe
                .push(values.category(Category::Sexe, cell(record, sexe_at)));
            persons
                .lieu_de_vie
                .push(values.category(Category::LieuDeVie, cell(record, lieu_at)));
            persons
                .maladie_rare
                .push(values.category(Category::MaladieRare, cell(record, maladie_at)));
            persons
                .code_orpha
                .push(!cell_is_not_filled(cell(record, orpha_at)));
            persons.deficiences.push(
                values
                    .multi(Category::Deficiences, cell(record, deficiences_at))
                    .as_deref(),
            );
            persons
                .tnd
                .push(values.multi(Category::Tnd, cell(record, tnd_at)).as_deref());
            persons
                .scolarisation
                .push(values.category(Category::Scolarisation, cell(record, scolarisation_at)));
            persons
                .situation
                .push(values.category(Category::Situation, cell(record, situation_at)));
        },
    )?;
    not_data_findings(file, &not_data)
        .into_iter()
        .for_each(|finding| sink.push(finding));
    Ok(tally.summary(file))
}
