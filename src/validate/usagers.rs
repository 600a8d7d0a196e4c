//! Checks `usagers.csv`: the kept persons, their ids numbered in order.

use anyhow::Result;
use rustc_hash::FxHashMap;

use super::cells::{codes_of, CellReader, CodeSet, ReadingCache};
use super::dates::is_written_as;
use super::ids::packed;
use super::rows::{cell, start_row, IdColumns, Later, RowVerdict, Seen, Tally};
use super::{not_data_findings, FileSummary, FindingSink, Interner, Persons};
use crate::catalog::{associated_disorders, Attribute, Reading};
use crate::ingest::{Record, SourceFile};
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
    let mut seen = Seen::for_files(files);
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

/// The number of each value already read in a column (its
/// [`Repeated`](super::Repeated) number), so that a value that repeats from
/// row to row is read and looked up once.
#[derive(Default)]
struct Known {
    /// By the cell's [`Texts`] number, for the readings of the cell alone
    /// that gave no finding: most columns repeat a handful of texts.
    texts: [Vec<Option<u32>>; Attribute::COUNT],
    /// By the set of codes of a multi-valued cell: the same codes written
    /// in any order or case are one combination.
    sets: [FxHashMap<CodeSet, u32>; Attribute::COUNT],
    /// The associated disorders, by the numbers of `troubles_associes` and
    /// `tnd`.
    disorders: FxHashMap<[u32; 2], u32>,
}

impl Known {
    /// The number the text numbered `text` read as, if it was kept.
    fn of_text(&self, attribute: usize, text: Option<u32>) -> Option<u32> {
        let texts = &self.texts[attribute];
        texts.get(text? as usize).copied().flatten()
    }

    /// Keeps `number` as what the text numbered `text` reads as.
    fn keep_text(&mut self, attribute: usize, text: Option<u32>, number: u32) {
        let Some(text) = text else { return };
        let texts = &mut self.texts[attribute];
        let at = text as usize;
        if texts.len() <= at {
            texts.resize(at + 1, None);
        }
        texts[at] = Some(number);
    }
}

/// Numbers the texts of the cells read by their text alone, in the order
/// they come, on the parsing thread ahead of the checks (decision 178):
/// the checks then find a text's reading by its number, and the thread
/// that hashes and compares the texts is the one that has time for it.
/// At most [`KNOWN_TEXTS`] texts a column, so that a column of free text
/// does not hold a second copy of itself: the others have no number and
/// are read on every row.
struct Texts {
    /// For each attribute read by its text, its column.
    columns: [Option<Option<usize>>; Attribute::COUNT],
    /// The texts of up to [`SHORT`] bytes, by [`short_key`]: most cells.
    short: [FxHashMap<[u64; 4], u32>; Attribute::COUNT],
    /// The longer ones.
    long: [FxHashMap<Box<str>, u32>; Attribute::COUNT],
}

/// The longest text kept in a key of its own ([`short_key`]).
const SHORT: usize = 31;

/// A text of up to [`SHORT`] bytes as four words: its bytes, zeros, then
/// its length in the last byte. Two texts have the same key when they are
/// the same: keys are compared and hashed as four integers, with no call
/// to compare bytes (decision 184).
fn short_key(text: &str) -> Option<[u64; 4]> {
    let bytes = text.as_bytes();
    (bytes.len() <= SHORT).then(|| packed(bytes, bytes.len() as u8))
}

/// The number of each attribute's text in a row ([`Texts`]).
type TextNumbers = [Option<u32>; Attribute::COUNT];

impl Texts {
    /// For the attributes' columns in the file (`columns`, by attribute).
    fn new(columns: &[Option<usize>; Attribute::COUNT]) -> Self {
        Self {
            columns: std::array::from_fn(|i| {
                by_text(Attribute::ALL[i].spec().reading).then_some(columns[i])
            }),
            short: Default::default(),
            long: Default::default(),
        }
    }

    fn of(&mut self, record: &Record) -> TextNumbers {
        std::array::from_fn(|i| {
            let raw = cell(record, self.columns[i]?);
            let (short, long) = (&mut self.short[i], &mut self.long[i]);
            let key = short_key(raw);
            let known = match key {
                Some(key) => short.get(&key),
                None => long.get(raw),
            };
            if let Some(&number) = known {
                return Some(number);
            }
            // Numbered in the order met, across both tables.
            let count = short.len() + long.len();
            if count >= KNOWN_TEXTS {
                return None;
            }
            let number = u32::try_from(count).ok()?;
            match key {
                Some(key) => short.insert(key, number),
                None => long.insert(raw.into(), number),
            };
            Some(number)
        })
    }
}

/// Whether a reading reads the cell alone, so that a text reads the same
/// on every row.
fn by_text(reading: Reading) -> bool {
    matches!(
        reading,
        Reading::Category(_) | Reading::Multi(_) | Reading::Written | Reading::Orpha
    )
}

/// How many texts of a column [`Texts`] numbers.
const KNOWN_TEXTS: usize = 4096;

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
    let mut known = Known::default();
    let mut texts = Texts::new(&columns);
    let not_data = file.for_each_row(
        |_, record| texts.of(record),
        |row, text_numbers| {
            tally.read += 1;
            let (line, record) = (row.line, row.record);
            let precheck = seen.precheck(file, line, record, &ids, later);
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
            let mut numbers = [0u32; Attribute::COUNT];
            for attribute in Attribute::ALL {
                let i = attribute.index();
                let raw = cell(record, columns[i]);
                let reading = attribute.spec().reading;
                // These read the cell alone, so a text reads the same on
                // every row. A multi-valued cell is also known by its set
                // of codes, whatever their order or case: two texts of one
                // set have one number.
                let text = text_numbers[i];
                if let Some(number) = known.of_text(i, text) {
                    persons.coded[i].push_number(number);
                    numbers[i] = number;
                    continue;
                }
                let reported = values.sink.reported();
                let coded = &mut persons.coded;
                let number = match reading {
                    Reading::Category(category) => coded[i].number(values.category(category, raw)),
                    Reading::Multi(category) => {
                        let set = values.multi_set(category, raw);
                        *known.sets[i]
                            .entry(set)
                            .or_insert_with(|| coded[i].number(codes_of(category, set).as_deref()))
                    }
                    Reading::Departement => coded[i].number(departement.map(|(code, _)| code)),
                    Reading::RegionOfDepartement => {
                        coded[i].number(departement.and_then(|(_, region)| region))
                    }
                    Reading::Written => {
                        coded[i].number((!cell_is_not_filled(raw)).then(|| raw.trim()))
                    }
                    Reading::Orpha => coded[i].number(values.orpha(raw).as_deref()),
                    // Never a figure of `tnd` alone (SPEC §4 v3).
                    Reading::AssociatedDisorders
                        if !present[Attribute::TroublesAssocies.index()] =>
                    {
                        0
                    }
                    Reading::AssociatedDisorders => {
                        let pair = [Attribute::TroublesAssocies, Attribute::Tnd]
                            .map(|a| numbers[a.index()]);
                        match known.disorders.get(&pair) {
                            Some(&number) => number,
                            None => {
                                let [troubles, tnd] = [Attribute::TroublesAssocies, Attribute::Tnd]
                                    .map(|a| coded[a.index()].value(numbers[a.index()]));
                                let disorders = associated_disorders(troubles, tnd);
                                let number = coded[i].number(disorders.as_deref());
                                known.disorders.insert(pair, number);
                                number
                            }
                        }
                    }
                };
                persons.coded[i].push_number(number);
                numbers[i] = number;
                // A text that reads without a finding reads the same on
                // every row: its number is kept for the next rows.
                if values.sink.reported() == reported {
                    known.keep_text(i, text, number);
                }
            }
        },
    )?;
    not_data_findings(file, &not_data)
        .into_iter()
        .for_each(|finding| sink.push(finding));
    tally.summary(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_have_the_same_short_key_only_when_they_are_the_same() {
        let texts = [
            "",
            "a",
            "a\0",
            "\0",
            "A",
            "é",
            "domicile_personnel",
            "motrice|psychique",
            "etablissement_medico_social",
            "0123456789012345678901234567890",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(short_key(a) == short_key(b), a == b, "{a:?} {b:?}");
            }
        }
        assert_eq!("0123456789012345678901234567890".len(), SHORT);
        assert!(short_key("01234567890123456789012345678901").is_none());
    }
}
