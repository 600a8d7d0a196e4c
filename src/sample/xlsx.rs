//! `bilan sample --format xlsx`: the synthetic export as three workbooks
//! (`usagers.xlsx`, `demandes.xlsx`, `interventions.xlsx`, one sheet each),
//! as an analyst who opened the CSV files in Excel would save them: dates
//! are date cells, whole numbers without a leading zero are numbers, the
//! rest is text. A ragged row of the CSV (a field too many or too few)
//! cannot exist in a sheet and is left out; every other row, bad values
//! included, is written as it is.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::SampleExport;
use crate::atomic::Staging;
use crate::normalize::normalize;
use crate::validate::parse_date;

/// Writes the export as workbooks into `out`, a folder that must not exist
/// or be empty, atomically.
pub fn write_workbooks(export: &SampleExport, out: &Path) -> Result<()> {
    super::write::check_out(out)?;
    let staging = Staging::new(out)?;
    for (file, text) in [
        ("usagers.xlsx", &export.usagers),
        ("demandes.xlsx", &export.demandes),
        ("interventions.xlsx", &export.interventions),
        ("actions.xlsx", &export.actions),
    ] {
        let bytes = workbook(text).with_context(|| format!("{file}: cannot write the workbook"))?;
        staging.write(file, &bytes)?;
    }
    staging.commit()
}

/// One workbook holding the rows of a CSV text written by the sample.
fn workbook(csv_text: &str) -> Result<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(b';')
        .from_reader(csv_text.as_bytes());
    let mut book = Workbook::new();
    // A fixed creation time (rust_xlsxwriter's default is the clock), so
    // that the same seed and options give the same files.
    book.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?),
    );
    let sheet = book.add_worksheet();
    sheet.set_name("Feuil1")?;
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let mut dates: Vec<bool> = Vec::new();
    let mut row = 0u32;
    for record in reader.records() {
        let record = record?;
        if row == 0 {
            dates = record
                .iter()
                .map(|h| {
                    let h = normalize(h);
                    h.contains("date") || h == "ne le"
                })
                .collect();
        } else if record.len() != dates.len() {
            continue;
        }
        for (col, cell) in record.iter().enumerate() {
            let col = u16::try_from(col)?;
            let date = row > 0 && dates.get(usize::from(col)).copied().unwrap_or(false);
            match date.then(|| excel_date(cell)).flatten() {
                Some(value) => {
                    sheet.write_datetime_with_format(row, col, &value, &date_format)?;
                }
                None if row > 0 && is_plain_number(cell) => {
                    sheet.write_number(row, col, cell.parse::<f64>()?)?;
                }
                None => {
                    sheet.write_string(row, col, cell)?;
                }
            }
        }
        row += 1;
    }
    let mut bytes = book.save_to_buffer()?;
    // The same bytes whatever system runs bilan (render/workbook/zip_host.rs).
    crate::render::as_made_on_unix(&mut bytes)?;
    Ok(bytes)
}

/// The date of a cell as an Excel date, when it reads as one Excel can hold.
fn excel_date(cell: &str) -> Option<ExcelDateTime> {
    let date = parse_date(cell)?;
    let (year, month, day) = (date / 10_000, date / 100 % 100, date % 100);
    ExcelDateTime::from_ymd(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()
}

/// Whole numbers Excel would store as numbers: digits only, no leading
/// zero (a département `01` stays text, as one typed as text would).
fn is_plain_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell.len() <= 9
        && cell.bytes().all(|b| b.is_ascii_digit())
        && !(cell.len() > 1 && cell.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    fn entry(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn a_workbook_carries_no_time_of_the_clock() {
        let csv = "id;Date demande\r\nU1;05/01/2024\r\n";
        let bytes = workbook(csv).unwrap();
        let core = entry(&bytes, "docProps/core.xml");
        assert!(core.contains(">1980-01-01T00:00:00Z<"), "{core}");
        // The only time written: the date cell's serial number.
        assert!(entry(&bytes, "xl/worksheets/sheet1.xml").contains("<v>45296</v>"));
    }
}
