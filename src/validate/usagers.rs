//! Checks `usagers.csv`: the kept persons, their ids numbered in order.

use std::borrow::Cow;

use anyhow::Result;

use super::cells::{CellReader, ReadingCache};
use super::dates::is_written_as;
use super::rows::{cell, start_row, IdColumns, RowVerdict, Seen, Tally};
use super::{FileSummary, FindingSink, Interner, Persons};
use crate::catalog::{Attribute, Reading};
use crate::ingest::SourceFile;
use crate::normalize::cell_is_not_filled;

/// Checks `usagers.csv`: the kept persons, and their ids numbered in order.
pub(super) fn check_usagers(
    file: &SourceFile,
    sink: &mut FindingSink,
) -> Result<(Persons, Interner, FileSummary)> {
    let mut persons = Persons::default();
    let mut seen = Seen::default();
    let mut memo = ReadingCache::default();
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, "id_usager");
    let at = |column: &str| file.columns.get(column);
    let birth_at = at("date_naissance");
    let columns = Attribute::ALL.map(|attribute| at(attribute.column()));
    file.for_each_row(
        |line, record| seen.precheck(file, line, record, &ids),
        |row, precheck| {
            tally.read += 1;
            let (line, record) = (row.line, row.record);
            sink.start_row(&file.columns, &row);
            let RowVerdict::Kept { id } = start_row(file, line, record, &ids, precheck, sink)
            else {
                return;
            };
            tally.kept += 1;
            let mut values = CellReader {
                file,
                line,
                id,
                sink: &mut *sink,
                memo: &mut memo,
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
            for attribute in Attribute::ALL {
                let raw = cell(record, columns[attribute.index()]);
                let value: Option<Cow<str>> = match attribute.spec().reading {
                    Reading::Category(category) => values.category(category, raw).map(Cow::from),
                    Reading::Multi(category) => values.multi(category, raw).map(Cow::from),
                    Reading::Departement => departement.map(|(code, _)| Cow::from(code)),
                    Reading::RegionOfDepartement => {
                        departement.and_then(|(_, region)| region).map(Cow::from)
                    }
                    Reading::Written => (!cell_is_not_filled(raw)).then(|| Cow::from(raw.trim())),
                };
                persons.coded[attribute.index()].push(value.as_deref());
            }
        },
    )?;
    let summary = tally.summary(file);
    Ok((persons, seen.ids, summary))
}
