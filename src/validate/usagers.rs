//! Checks `usagers.csv`: the kept persons, their ids numbered in order.

use std::borrow::Cow;

use anyhow::Result;

use super::cells::{CellReader, ReadingCache};
use super::dates::is_written_as;
use super::rows::{cell, start_row, IdColumns, Later, RowVerdict, Seen, Tally};
use super::{not_data_findings, FileSummary, FindingSink, Interner, Persons};
use crate::catalog::{associated_disorders, Attribute, Reading};
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;

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
    // A column is present when any file of the table has its header, even
    // if every cell is empty (SPEC §4 v3); a derived attribute is present.
    for attribute in Attribute::ALL {
        persons.present[attribute.index()] = !attribute.is_column()
            || files
                .iter()
                .any(|file| file.columns.get(attribute.column()).is_some());
    }
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
    let birth_at = at("date_naissance");
    let columns = Attribute::ALL.map(|attribute| at(attribute.column()));
    let present = persons.present;
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
            // The département gives the région too: read once.
            let departement =
                values.departement(cell(record, columns[Attribute::Departement.index()]));
            persons
                .line
                .push(values.sink.line_of("date_naissance", line));
            persons.birth.push(birth);
            // Each attribute in order: a derived one reads those before it.
            let mut read: [Option<Cow<str>>; Attribute::COUNT] = Default::default();
            for attribute in Attribute::ALL {
                let raw = cell(record, columns[attribute.index()]);
                let earlier = |a: Attribute| read[a.index()].as_deref();
                let value: Option<Cow<str>> = match attribute.spec().reading {
                    Reading::Category(category) => values.category(category, raw).map(Cow::from),
                    Reading::Multi(category) => values.multi(category, raw).map(Cow::from),
                    Reading::Departement => departement.map(|(code, _)| Cow::from(code)),
                    Reading::RegionOfDepartement => {
                        departement.and_then(|(_, region)| region).map(Cow::from)
                    }
                    Reading::Written => (!cell_is_not_filled(raw)).then(|| Cow::from(raw.trim())),
                    Reading::Orpha => values.orpha(raw).map(Cow::from),
                    // Never a figure of `tnd` alone (SPEC §4 v3).
                    Reading::AssociatedDisorders
                        if !present[Attribute::TroublesAssocies.index()] =>
                    {
                        None
                    }
                    Reading::AssociatedDisorders => associated_disorders(
                        earlier(Attribute::TroublesAssocies),
                        earlier(Attribute::Tnd),
                    )
                    .map(Cow::from),
                };
                persons.coded[attribute.index()].push(value.as_deref());
                read[attribute.index()] = value;
            }
        },
    )?;
    not_data_findings(file, &not_data)
        .into_iter()
        .for_each(|finding| sink.push(finding));
    Ok(tally.summary(file))
}
