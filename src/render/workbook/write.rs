//! Writing the sheets of `bilan.xlsx`: display formats, stacked tables,
//! column widths, frozen rows, print layout and fixed document properties.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::Sheet;
use crate::format::Percent;
use crate::render::files::source_date_epoch;
use crate::render::view::Cell;
use crate::secret::{Secrecy, Shown};

/// The display formats of the workbook's cells.
struct Formats {
    title: Format,
    subtitle: Format,
    table_title: Format,
    header: Format,
    /// The header of a column of figures, right-aligned like them.
    header_number: Format,
    text: Format,
    /// Text after the first column: indented off the figures before it.
    text_after: Format,
    count: Format,
    rate: Format,
    /// A share the report shows as `> 99 %` or `< 1 %`: the cell keeps its
    /// exact value and shows the same words.
    rate_above: Format,
    rate_below: Format,
    days: Format,
    decimal: [Format; 3],
    plain: Format,
    date: Format,
    /// `< K` and `—`: text in a column of numbers.
    masked: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let number = |code: &str| Format::new().set_num_format(code);
        Self {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            table_title: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            header_number: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Right),
            text: Format::new(),
            text_after: Format::new().set_indent(1),
            // Number formats are stored in Excel's neutral syntax: a French
            // Excel or LibreOffice shows `#,##0` as `2 345` and `0.0` as `1,5`.
            count: number("#,##0"),
            rate: number("0 %"),
            // A format made of a literal: the words, whatever the value.
            rate_above: number(&format!("\"{}\"", crate::format::ABOVE_99_PERCENT)),
            rate_below: number(&format!("\"{}\"", crate::format::BELOW_ONE_PERCENT)),
            days: number("[=1]0\" jour\";#,##0\" jours\""),
            decimal: [number("#,##0"), number("#,##0.0"), number("#,##0.00")],
            plain: number("0"),
            date: number("dd/mm/yyyy"),
            masked: Format::new().set_align(FormatAlign::Right),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555)),
        }
    }
}

/// Writes the sheets into a workbook with fixed document properties.
pub(super) fn write(
    title: &str,
    file: &str,
    secrecy: Secrecy,
    sheets: &[Sheet],
) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    // A fixed creation time: SOURCE_DATE_EPOCH when set (like the cover's
    // date), else 1 January 1980, the time the zip entries carry.
    let created = match source_date_epoch() {
        Some(seconds) => ExcelDateTime::from_timestamp(seconds)?,
        None => ExcelDateTime::from_ymd(1980, 1, 1)?,
    };
    let properties = DocProperties::new()
        .set_title(title)
        .set_subject("Tableaux du bilan d’activité du dispositif intégré handicaps rares")
        .set_author("GNCHR")
        .set_comment("Écrit par bilan à partir d’un export Mediateam")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    let formats = Formats::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, sheet, &formats, secrecy)
            .with_context(|| format!("cannot write the sheet « {} » of {file}", sheet.name))?;
    }
    let mut bytes = workbook.save_to_buffer()?;
    // The same bytes whatever system runs bilan (zip_host.rs).
    super::as_made_on_unix(&mut bytes).context("cannot write bilan.xlsx")?;
    Ok(bytes)
}

/// The first row of the first table: the sheet's title, a line saying the
/// masks, and an empty row above it.
const FIRST_TABLE_ROW: u32 = 3;
/// The narrowest and widest columns, in characters.
const WIDTHS: (usize, usize) = (8, 90);

fn write_sheet(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    formats: &Formats,
    secrecy: Secrecy,
) -> Result<()> {
    worksheet.set_name(sheet.name)?;
    // French spacing in the words of the sheet (titles, notes), never in
    // the cells, which may quote the export as it is.
    worksheet.write_string_with_format(
        0,
        0,
        crate::format::typography(&sheet.title),
        &formats.title,
    )?;
    let masks = if secrecy.enabled() {
        format!("Secret statistique — {}", secrecy.legend())
    } else {
        "Diffusion restreinte — secret statistique désactivé.".to_string()
    };
    worksheet.write_string_with_format(
        1,
        0,
        crate::format::typography(&masks),
        &formats.subtitle,
    )?;
    let mut widths: Vec<usize> = Vec::new();
    let mut row = FIRST_TABLE_ROW;
    let mut header_row = None;
    for table in &sheet.tables {
        worksheet.write_string_with_format(
            row,
            0,
            crate::format::typography(&table.title),
            &formats.table_title,
        )?;
        row += 1;
        header_row.get_or_insert(row);
        for (col, name) in table.columns.iter().enumerate() {
            // A column of figures: no text in it but the masked ones.
            let column = || table.cells.iter().filter_map(|cells| cells.get(col));
            let figures = column().any(|cell| *cell != Cell::Empty)
                && column().all(|cell| !matches!(cell, Cell::Text(_)));
            let format = if figures {
                &formats.header_number
            } else {
                &formats.header
            };
            worksheet.write_string_with_format(row, col as u16, name, format)?;
            fit(&mut widths, col, name);
        }
        row += 1;
        for cells in &table.cells {
            for (col, cell) in cells.iter().enumerate() {
                write_cell(worksheet, row, col as u16, cell, formats, secrecy)?;
                fit(&mut widths, col, &cell.shown(secrecy));
            }
            row += 1;
        }
        if let Some(note) = &table.note {
            worksheet.write_string_with_format(
                row,
                0,
                crate::format::typography(note),
                &formats.note,
            )?;
            row += 1;
        }
        row += 1;
    }
    for (col, width) in widths.iter().enumerate() {
        worksheet.set_column_width(col as u16, *width as f64)?;
    }
    // Printed on A4 landscape, one page wide.
    worksheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    // One table: its header row stays in view. Several: the sheet's title.
    match (sheet.tables.len(), header_row) {
        (1, Some(header)) => worksheet.set_freeze_panes(header + 1, 0)?,
        _ => worksheet.set_freeze_panes(2, 0)?,
    };
    Ok(())
}

/// Widens column `col` to hold `text`, within [`WIDTHS`]. A width counts
/// the digits of the default font; letters run about a tenth wider.
fn fit(widths: &mut Vec<usize>, col: usize, text: &str) {
    if widths.len() <= col {
        widths.resize(col + 1, WIDTHS.0);
    }
    let width = (text.chars().count() * 11 / 10 + 2).clamp(WIDTHS.0, WIDTHS.1);
    widths[col] = widths[col].max(width);
}

fn write_cell(
    worksheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
    secrecy: Secrecy,
) -> Result<()> {
    let masked = |worksheet: &mut Worksheet| {
        worksheet
            .write_string_with_format(row, col, cell.shown(secrecy), &formats.masked)
            .map(|_| ())
    };
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            let format = if col == 0 {
                &formats.text
            } else {
                &formats.text_after
            };
            // A cell holds at most 32 767 characters in Excel (and in
            // rust_xlsxwriter, which refuses more): a longer text, such as
            // a whole document pasted in a cell of the export, is cut there.
            let text = match crate::format::cut(text, EXCEL_CHARS - 1) {
                Some((start, _)) => std::borrow::Cow::from(format!("{start}…")),
                None => std::borrow::Cow::from(text.as_str()),
            };
            worksheet.write_string_with_format(row, col, text.as_ref(), format)?;
        }
        Cell::Plain(number) => {
            worksheet.write_number_with_format(row, col, *number as f64, &formats.plain)?;
        }
        Cell::Date(date) => {
            let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
            let date = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)?;
            worksheet.write_datetime_with_format(row, col, &date, &formats.date)?;
        }
        Cell::Count(Shown::Value(count)) => {
            worksheet.write_number_with_format(row, col, *count as f64, &formats.count)?;
        }
        Cell::Share(part, whole) => match Cell::rate(*part, *whole) {
            Some(rate) => {
                let reads = match (*part, *whole) {
                    (Shown::Value(p), Shown::Value(w)) => crate::format::percent_of(p, w),
                    _ => None,
                };
                let format = match reads {
                    Some(Percent::BelowOne) => &formats.rate_below,
                    Some(Percent::Above99) => &formats.rate_above,
                    _ => &formats.rate,
                };
                worksheet.write_number_with_format(row, col, rate, format)?;
            }
            None => {
                masked(worksheet)?;
            }
        },
        Cell::Days(Some(days)) => {
            worksheet.write_number_with_format(row, col, *days as f64, &formats.days)?;
        }
        Cell::Decimal(Some(value), places) => {
            let format = &formats.decimal[(*places).min(2)];
            worksheet.write_number_with_format(row, col, *value, format)?;
        }
        Cell::Count(Shown::Masked(_)) | Cell::Days(None) | Cell::Decimal(None, _) => {
            masked(worksheet)?;
        }
    }
    Ok(())
}

/// The most characters an Excel cell holds.
const EXCEL_CHARS: usize = 32_767;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_their_longest_text_within_bounds() {
        let mut widths = Vec::new();
        fit(&mut widths, 2, "Effectif");
        assert_eq!(widths, [8, 8, 10]);
        fit(&mut widths, 0, &"x".repeat(200));
        fit(&mut widths, 2, "12");
        assert_eq!(widths, [WIDTHS.1, 8, 10]);
    }
}
