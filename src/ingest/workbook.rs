//! Workbooks (SPEC §2.1, v2): `.xlsx`/`.xlsm`/`.xls`/`.ods` sheets read cell
//! by cell with `calamine`, never converted to CSV on disk. Each row comes
//! out as the text a CSV export would hold, with the sheet's row number as
//! its line, so that the rest of the reader and every check treat it like a
//! line of a text file:
//!
//! - a date cell is written `JJ/MM/AAAA`; a number in a date column is an
//!   Excel serial date (1900 system, or 1904 when the workbook says so);
//! - a number elsewhere is written without a trailing `.0` (`35`, not
//!   `35.0`: départements, ids, durations);
//! - a formula gives its cached value; merged and hidden cells are read as
//!   they are stored (a merged area's value is in its first cell only).
//!
//! An `.xlsx`/`.xlsm` sheet is streamed cell by cell, so a huge declared
//! dimension costs nothing; `.xls` and `.ods` sheets are held whole by
//! `calamine`. A hostile workbook (not a zip, truncated, a declared size
//! beyond Excel's limits, an HTML table saved as `.xls`) ends in an error
//! naming the file, never a panic.

use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use calamine::{Data, Ods, Reader, Xls, Xlsx};

use super::cells::{cell_text, Value};

use super::discover::names_table;
use super::Record;
use crate::reference::FileKind;

/// Excel's limits: 1 048 576 rows, 16 384 columns (XFD).
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// The most cells an `.xls` sheet may declare before `calamine` reserves
/// room for them: an `.xls` sheet has at most 65 536 × 256 cells.
const MAX_XLS_CELLS: u64 = 65_536 * 256;

/// The kinds of workbook, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.xlsx` and `.xlsm` (Office Open XML).
    Xlsx,
    /// `.xls` (BIFF, Excel 97–2003).
    Xls,
    /// `.ods` (OpenDocument).
    Ods,
}

impl Format {
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// An open workbook of any kind.
enum Book {
    Xlsx(Xlsx<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    Ods(Ods<BufReader<File>>),
}

/// Runs `work` with panics inside `calamine` turned into an error naming
/// the file: a hostile workbook must end the run with a message, not a
/// crash. The default panic message is silenced meanwhile.
fn guarded<T>(name: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    std::panic::set_hook(previous);
    outcome.unwrap_or_else(|_| {
        Err(anyhow!(
            "{name}: the workbook is damaged or not what its extension says; open it in Excel or LibreOffice and save it again (or export the table as CSV)"
        ))
    })
}

/// What to tell a user whose workbook cannot be opened.
fn unreadable(name: &str, format: Format, err: impl std::fmt::Display) -> anyhow::Error {
    let kind = match format {
        Format::Xlsx => "an Excel workbook (.xlsx)",
        Format::Xls => "an Excel 97–2003 workbook (.xls)",
        Format::Ods => "an OpenDocument spreadsheet (.ods)",
    };
    anyhow!(
        "{name}: cannot be read as {kind}: {err}. If the file was saved by another program under this extension (an HTML page saved as .xls, a CSV renamed), open it in Excel or LibreOffice and save it as a real workbook, or export the table as CSV"
    )
}

fn open(path: &Path, name: &str, format: Format) -> Result<Book> {
    let file =
        File::open(path).map_err(|err| anyhow!("{name}: cannot read {}: {err}", path.display()))?;
    let reader = BufReader::new(file);
    match format {
        Format::Xlsx => Xlsx::new(reader)
            .map(Book::Xlsx)
            .map_err(|e| unreadable(name, format, e)),
        Format::Xls => {
            check_xls_dimensions(path, name)?;
            Xls::new(reader)
                .map(Book::Xls)
                .map_err(|e| unreadable(name, format, e))
        }
        Format::Ods => Ods::new(reader)
            .map(Book::Ods)
            .map_err(|e| unreadable(name, format, e)),
    }
}

/// Refuses an `.xls` file that declares a sheet larger than an `.xls` sheet
/// can be: `calamine` reserves memory for every declared cell before it
/// reads one. The DIMENSIONS records (id 0x0200, 14 bytes in BIFF8) are
/// looked for in the raw bytes; a chance match in other data can only
/// refuse a file that is refused anyway, or declare a plausible size.
fn check_xls_dimensions(path: &Path, name: &str) -> Result<()> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|err| anyhow!("{name}: cannot read {}: {err}", path.display()))?;
    for at in 0..bytes.len().saturating_sub(16) {
        if bytes[at..at + 4] != [0x00, 0x02, 0x0E, 0x00] {
            continue;
        }
        let r = &bytes[at + 4..at + 16];
        let u32_at = |i: usize| u64::from(u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]));
        let u16_at = |i: usize| u64::from(u16::from_le_bytes([r[i], r[i + 1]]));
        let rows = u32_at(4).saturating_sub(u32_at(0));
        let columns = u16_at(10).saturating_sub(u16_at(8));
        if rows.saturating_mul(columns) > MAX_XLS_CELLS {
            bail!(
                "{name}: the workbook declares a sheet of {rows} rows and {columns} columns, more than an .xls file can hold; it is damaged: open it in Excel or LibreOffice and save it again, or export the table as CSV"
            );
        }
    }
    Ok(())
}

impl Book {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(book) => book.sheet_names(),
            Book::Xls(book) => book.sheet_names(),
            Book::Ods(book) => book.sheet_names(),
        }
    }

    fn is_1904(&self) -> bool {
        match self {
            Book::Xlsx(book) => book.has_1904_epoch(),
            Book::Xls(book) => book.has_1904_epoch(),
            Book::Ods(_) => false,
        }
    }
}

/// The names of a workbook's sheets, in order.
pub fn sheet_names(path: &Path, name: &str) -> Result<Vec<String>> {
    let format = Format::of(path).ok_or_else(|| anyhow!("{name}: not a workbook"))?;
    guarded(name, || Ok(open(path, name, format)?.sheet_names()))
}

/// The sheet a table is read from, among `sheets`: the one asked for,
/// else the one named for the table, else the first.
fn pick_sheet(
    sheets: &[String],
    name: &str,
    kind: FileKind,
    asked: Option<&str>,
) -> Result<String> {
    if let Some(asked) = asked {
        return sheets
            .iter()
            .find(|s| s.as_str() == asked)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| s.trim().eq_ignore_ascii_case(asked.trim()))
            })
            .cloned()
            .ok_or_else(|| {
                anyhow!(
                    "{name}: no sheet {asked:?}; its sheets are: {}",
                    sheets.join(", ")
                )
            });
    }
    let named: Vec<&String> = sheets.iter().filter(|s| names_table(s, kind)).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => sheets
            .first()
            .cloned()
            .ok_or_else(|| anyhow!("{name}: the workbook has no sheet")),
        several => {
            let names: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
            bail!(
                "{name}: several sheets could be the {} table: {}; name one with --{} {name}#SHEET",
                kind.stem(),
                names.join(", "),
                kind.stem()
            )
        }
    }
}

/// Opens a workbook once to choose the sheet of a table and read its
/// first `lines` rows (for the header search): the sheet, and the rows.
pub fn first_rows(
    path: &Path,
    name: &str,
    kind: FileKind,
    asked: Option<&str>,
    lines: u64,
) -> Result<(String, Vec<(u64, Record)>)> {
    let format = Format::of(path).ok_or_else(|| anyhow!("{name}: not a workbook"))?;
    guarded(name, || {
        let mut book = open(path, name, format)?;
        let sheet = pick_sheet(&book.sheet_names(), name, kind, asked)?;
        let shape = Shape {
            dates: &[],
            width: None,
        };
        let mut rows = Vec::new();
        rows_of(&mut book, format, name, &sheet, &shape, |line, record| {
            if line > lines {
                return ControlFlow::Break(());
            }
            rows.push((line, record.clone()));
            ControlFlow::Continue(())
        })?;
        Ok((sheet, rows))
    })
}

/// How to cut the rows of a sheet: which columns hold dates, and how many
/// cells a row keeps (`None`: as many as it has).
pub struct Shape<'a> {
    pub dates: &'a [bool],
    pub width: Option<usize>,
}

/// Calls `visit` with every row of a sheet in order: its row number (the
/// line) and its cells as text. Rows between two stored rows come out
/// empty; rows after the last stored one do not exist. `visit` returns
/// `Break` to stop early.
pub fn for_each_row(
    path: &Path,
    name: &str,
    sheet: &str,
    shape: &Shape<'_>,
    visit: impl FnMut(u64, &Record) -> ControlFlow<()>,
) -> Result<()> {
    let format = Format::of(path).ok_or_else(|| anyhow!("{name}: not a workbook"))?;
    guarded(name, || {
        let mut book = open(path, name, format)?;
        rows_of(&mut book, format, name, sheet, shape, visit)
    })
}

/// The rows of a sheet of an open workbook, as [`for_each_row`] gives them.
fn rows_of(
    book: &mut Book,
    format: Format,
    name: &str,
    sheet: &str,
    shape: &Shape<'_>,
    mut visit: impl FnMut(u64, &Record) -> ControlFlow<()>,
) -> Result<()> {
    let is_1904 = book.is_1904();
    let mut emitter = Emitter {
        shape,
        is_1904,
        record: Record::new(),
        cells: Vec::new(),
        next_line: None,
    };
    match book {
        Book::Xlsx(xlsx) => {
            let mut cells = xlsx
                .worksheet_cells_reader(sheet)
                .map_err(|e| unreadable(name, format, e))?;
            let mut row: Option<u32> = None;
            loop {
                let cell = cells.next_cell().map_err(|e| unreadable(name, format, e))?;
                let Some(cell) = cell else { break };
                let (r, c) = cell.get_position();
                if r >= MAX_ROWS || c >= MAX_COLUMNS {
                    bail!(
                        "{name}: sheet {sheet:?} has a cell beyond Excel's last row or column (row {}, column {}); the workbook is damaged: save it again from Excel or LibreOffice",
                        u64::from(r) + 1,
                        u64::from(c) + 1
                    );
                }
                if row != Some(r) {
                    if let Some(done) = row {
                        if r < done {
                            bail!("{name}: sheet {sheet:?} stores its rows out of order (row {} after row {}); save it again from Excel or LibreOffice", r + 1, done + 1);
                        }
                        if emitter.flush(u64::from(done) + 1, &mut visit).is_break() {
                            return Ok(());
                        }
                    }
                    row = Some(r);
                }
                emitter.set(c as usize, Value::from(cell.get_value()));
            }
            if let Some(done) = row {
                let _ = emitter.flush(u64::from(done) + 1, &mut visit);
            }
        }
        Book::Xls(xls) => {
            let range = xls
                .worksheet_range(sheet)
                .map_err(|e| unreadable(name, format, e))?;
            emitter.range(&range, &mut visit);
        }
        Book::Ods(ods) => {
            let range = ods
                .worksheet_range(sheet)
                .map_err(|e| unreadable(name, format, e))?;
            emitter.range(&range, &mut visit);
        }
    }
    Ok(())
}

/// Turns the cells of one row into a record, and hands rows out in order
/// with the empty rows between them.
struct Emitter<'a> {
    shape: &'a Shape<'a>,
    is_1904: bool,
    record: Record,
    /// The text of the current row's cells, by column.
    cells: Vec<String>,
    /// The line the next row handed out should have.
    next_line: Option<u64>,
}

impl Emitter<'_> {
    /// Hands out every row of a sheet held whole.
    fn range(
        &mut self,
        range: &calamine::Range<Data>,
        visit: &mut impl FnMut(u64, &Record) -> ControlFlow<()>,
    ) {
        let Some((top, left)) = range.start() else {
            return;
        };
        for (i, cells) in range.rows().enumerate() {
            for (j, data) in cells.iter().enumerate() {
                self.set(left as usize + j, Value::from(data));
            }
            if self.flush(u64::from(top) + i as u64 + 1, visit).is_break() {
                return;
            }
        }
    }

    fn set(&mut self, column: usize, value: Value<'_>) {
        if self.shape.width.is_some_and(|w| column >= w) {
            return;
        }
        if self.cells.len() <= column {
            self.cells.resize(column + 1, String::new());
        }
        let date = self.shape.dates.get(column).copied().unwrap_or(false);
        self.cells[column] = cell_text(value, date, self.is_1904);
    }

    /// Hands out the row on `line`, after the empty rows above it.
    fn flush(
        &mut self,
        line: u64,
        visit: &mut impl FnMut(u64, &Record) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let width = self.shape.width;
        if let Some(mut gap) = self.next_line {
            // One empty cell is enough for a blank row, and keeps a
            // sheet with two cells a million rows apart cheap to read.
            while gap < line {
                self.record.clear();
                self.record.push_field("");
                visit(gap, &self.record)?;
                gap += 1;
            }
        }
        self.next_line = Some(line + 1);
        self.record.clear();
        let count = width.unwrap_or(self.cells.len()).max(1);
        for i in 0..count {
            self.record
                .push_field(self.cells.get(i).map_or("", String::as_str));
        }
        self.cells.clear();
        visit(line, &self.record)
    }
}
