//! Stage 1 — files → raw text tables (SPEC §2, §2.1).
//!
//! Finds the tables of an export folder by their names (`discover`), or
//! takes those named on the command line. A text file is decoded (UTF-8
//! with or without BOM, UTF-16 after its BOM, else Windows-1252) as it
//! streams; a workbook's sheet is read cell by cell (`workbook`). The
//! header line and the delimiter are found in the first 20 lines
//! (`header`), and the header names are mapped to the columns of SPEC
//! §2.2–2.4 through their accepted names (plus a site's own names from
//! `--columns FILE`). Rows are handed out one by one, with their physical
//! line number (`lines`), to the validate stage: nothing here judges a
//! cell. A text file is read in blocks, never held whole in memory: once to
//! choose its encoding, once for its rows, and, when the run shows its
//! hash, once more on a thread of its own while the rows are read.

mod cells;
mod columns;
mod decode;
mod discover;
mod footer;
mod header;
mod lines;
mod mixed;
mod nomenclature;
mod record;
mod workbook;

use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread::JoinHandle;

use anyhow::{bail, Context, Result};
use encoding_rs_io::DecodeReaderBytesBuilder;
use sha2::{Digest, Sha256};

pub use cells::serial_date;
pub use columns::{ColumnMap, ColumnOverrides, DuplicateColumn};
pub use decode::{decode, detect_delimiter, Encoding};
pub use discover::{names_table, TableSource, TABLES};
pub use footer::{is_blank, own_id, NotData, FOOTER_WORDS};
pub use header::{PreambleLine, HEADER_SEARCH};
pub use lines::line_breaks;
pub use nomenclature::read_orpha_labels;
pub use record::Record;

use decode::BOM;
use footer::{Footer, Sorted};
use lines::Records;

use crate::reference::FileKind;

/// One input file, decoded, with its header mapped to the spec's columns.
#[derive(Debug)]
pub struct SourceFile {
    pub kind: FileKind,
    pub path: PathBuf,
    /// The file name as found (its case may differ from the table's), or
    /// `FILE#SHEET` for a workbook's sheet.
    pub name: String,
    pub size: u64,
    /// Computed while the rows are read; none when the run does not show
    /// it ([`Hash::None`]).
    pub sha256: FileHash,
    pub encoding: Encoding,
    pub delimiter: u8,
    pub columns: ColumnMap,
    /// The physical line of the header (1 unless title lines stand above).
    pub header_line: u64,
    /// The lines above the header line (SPEC §2.1: finding `preambule`).
    pub preamble: Vec<PreambleLine>,
    /// (v3) The lines decoded as Windows-1252 in a file whose other
    /// non-ASCII lines are UTF-8 (SPEC §2.1: finding `encodage_mixte`);
    /// empty for any other file.
    pub mixed_lines: Vec<u64>,
    /// The sheet, for a table read from a workbook (then `name` is
    /// `FILE#SHEET`, lines are the sheet's row numbers and `delimiter` is 0).
    pub sheet: Option<String>,
    /// How many rows the reader hands out before the first data row.
    rows_before_data: u64,
}

/// The tables of an export.
#[derive(Debug)]
pub struct Export {
    /// The export's folder; none when every table was named (v3).
    pub folder: Option<PathBuf>,
    pub files: Vec<SourceFile>,
}

impl Export {
    /// The files a table is read from, in order: one, or (v3) several
    /// named on the command line; none for an absent optional table.
    pub fn table(&self, kind: FileKind) -> Vec<&SourceFile> {
        self.files.iter().filter(|file| file.kind == kind).collect()
    }
}

/// Reads an export folder: the three files, and `actions.csv` when there
/// is one, decoded and with mapped headers. A missing required file, an
/// unreadable one or a missing required column is an error.
pub fn read_export(folder: &Path, overrides: &ColumnOverrides) -> Result<Export> {
    read_export_from(Some(folder), &[], overrides, Hash::Sha256)
}

/// Whether the files read are hashed: the report and `bilan validate`
/// show each file's SHA-256, `bilan indicators` does not (hashing the
/// files was a tenth of its CPU time on 100 000 persons, decision 175).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    None,
}

/// Reads an export: the tables named on the command line (`FILE` or
/// `FILE#SHEET`; v3: a table may be named several times, its files read in
/// that order), the others found in `folder` by their names.
pub fn read_export_from(
    folder: Option<&Path>,
    named: &[(FileKind, &Path)],
    overrides: &ColumnOverrides,
    hash: Hash,
) -> Result<Export> {
    let explicit: Vec<TableSource> = named
        .iter()
        .map(|&(kind, path)| discover::parse_table_arg(kind, path))
        .collect();
    let located = discover::locate_tables(folder, &explicit, &mut |path| {
        workbook::sheet_names(path, &file_name(path))
    })?;
    // Each file is scanned and its header found on a thread of its own
    // (the scan reads the whole file); the first error in table order wins.
    let read: Vec<Result<SourceFile>> = std::thread::scope(|scope| {
        let handles: Vec<_> = located
            .into_iter()
            .map(|table| scope.spawn(move || read_table(table, overrides)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    bail!("a file could not be read: its reading thread stopped unexpectedly")
                })
            })
            .collect()
    });
    let mut files = read.into_iter().collect::<Result<Vec<_>>>()?;
    if hash == Hash::Sha256 {
        for file in &mut files {
            file.sha256 = FileHash::start(&file.path);
        }
    }
    Ok(Export {
        folder: folder.map(Path::to_path_buf),
        files,
    })
}

/// The name of a file as the user sees it.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn read_table(table: TableSource, overrides: &ColumnOverrides) -> Result<SourceFile> {
    if let Some(format) = workbook::Format::of(&table.path) {
        return read_sheet(table, format, overrides);
    }
    if table.sheet.is_some() {
        bail!(
            "{}: only a workbook has sheets; name a text file without #SHEET",
            table.path.display()
        );
    }
    read_file(table.kind, table.path, overrides)
}

/// Reads a table from a workbook's sheet: its name in findings is
/// `FILE#SHEET`, its lines the sheet's row numbers.
fn read_sheet(
    table: TableSource,
    format: workbook::Format,
    overrides: &ColumnOverrides,
) -> Result<SourceFile> {
    let TableSource { kind, path, sheet } = table;
    let file = file_name(&path);
    let metadata = std::fs::metadata(&path)
        .with_context(|| format!("{file}: cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "{file}: {} is not a regular file (a folder, a pipe or a device): give the workbook itself",
            path.display()
        );
    }
    let scan = scan(&path).with_context(|| format!("{file}: cannot read {}", path.display()))?;
    let (sheet, rows) = workbook::first_rows(&path, &file, kind, sheet.as_deref(), HEADER_SEARCH)?;
    let name = format!("{file}#{sheet}");
    let header = header::find_sheet_header(kind, &name, overrides, &rows)?;
    Ok(SourceFile {
        kind,
        path,
        name,
        size: scan.size,
        sha256: FileHash::not_shown(),
        encoding: match format {
            workbook::Format::Xlsx => Encoding::Xlsx,
            workbook::Format::Xls => Encoding::Xls,
            workbook::Format::Ods => Encoding::Ods,
        },
        delimiter: 0,
        columns: header.columns,
        header_line: header.line,
        preamble: header.preamble,
        mixed_lines: Vec::new(),
        sheet: Some(sheet),
        rows_before_data: header.rows_before_data,
    })
}

fn read_file(kind: FileKind, path: PathBuf, overrides: &ColumnOverrides) -> Result<SourceFile> {
    let name = path
        .file_name()
        .map_or_else(|| kind.file_name(), |n| n.to_string_lossy().into_owned());
    let metadata = std::fs::metadata(&path)
        .with_context(|| format!("{name}: cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "{name}: {} is not a regular file (a folder, a pipe or a device): give the table's file itself",
            path.display()
        );
    }
    let scan = scan(&path).with_context(|| format!("{name}: cannot read {}", path.display()))?;
    // A workbook saved under a text extension would be read as garbage and
    // refused for its header: say what it is instead.
    if scan.head.starts_with(b"PK\x03\x04") || scan.head.starts_with(b"\xD0\xCF\x11\xE0") {
        bail!(
            "{name}: this is a workbook (Excel or OpenDocument), not a text file: rename it with its real extension (.xlsx, .xls or .ods), or save the table as CSV"
        );
    }
    let mut mixed_lines = Vec::new();
    let encoding = match (Encoding::utf16_from_bom(&scan.head), scan.utf8, scan.bom) {
        (Some(utf16), _, _) => utf16,
        (None, true, true) => Encoding::Utf8Bom,
        (None, true, false) => Encoding::Utf8,
        // Line by line (v3): a file with a UTF-8 BOM or a non-ASCII UTF-8
        // line says it is UTF-8, so its other lines were pasted from
        // another tool; with neither, it is simply Windows-1252.
        (None, false, bom) => {
            let classify = |list| {
                classify_lines(&path, bom, list)
                    .with_context(|| format!("{name}: cannot read {}", path.display()))
            };
            // First whether some non-ASCII line is UTF-8 (no list kept),
            // then, for a mixed file only, which lines are not.
            let utf8 = bom || classify(false)?.utf8;
            match (bom, utf8) {
                (false, false) => Encoding::Windows1252,
                (bom, _) => {
                    mixed_lines = classify(true)?.windows_1252;
                    if bom {
                        Encoding::MixedBom
                    } else {
                        Encoding::Mixed
                    }
                }
            }
        }
    };
    // The delimiters are ASCII: UTF-16 text is decoded before they are
    // counted, the other encodings write them as themselves.
    let first_delimiter = match encoding.decoder() {
        Some(decoder) if decoder != encoding_rs::WINDOWS_1252 => {
            let (head, _) = decoder.decode_without_bom_handling(&scan.head[2..]);
            detect_delimiter(head.as_bytes())
        }
        _ => detect_delimiter(&scan.head),
    };
    let mut file = SourceFile {
        kind,
        sha256: FileHash::not_shown(),
        path,
        name,
        size: scan.size,
        encoding,
        delimiter: b';',
        columns: ColumnMap::default(),
        header_line: 1,
        preamble: Vec::new(),
        mixed_lines,
        sheet: None,
        rows_before_data: 0,
    };
    let header = header::find_header(kind, &file.name, first_delimiter, overrides, |delimiter| {
        file.records(delimiter)
    })?;
    file.delimiter = header.delimiter;
    file.columns = header.columns;
    file.header_line = header.line;
    file.preamble = header.preamble;
    file.rows_before_data = header.rows_before_data;
    Ok(file)
}

/// The lines of a text file that is not valid UTF-8 as a whole, after its
/// UTF-8 BOM if it has one: which are not UTF-8, and whether a non-ASCII
/// one is.
fn classify_lines(path: &Path, bom: bool, list: bool) -> std::io::Result<mixed::Lines> {
    let mut file = File::open(path)?;
    if bom {
        file.read_exact(&mut [0u8; 3])?;
    }
    mixed::classify(file, list)
}

/// What one pass over a file's bytes tells before its rows are read.
struct Scan {
    size: u64,
    bom: bool,
    /// Whether the whole file is valid UTF-8.
    utf8: bool,
    /// The first bytes, for the header line's delimiter.
    head: Vec<u8>,
}

/// How much of the start of a file the delimiter is detected on.
const HEAD: usize = 1 << 16;

/// Reads a file once in blocks: its size, BOM, whether it is valid UTF-8
/// and its first bytes. Nothing else of it is kept in memory.
fn scan(path: &Path) -> std::io::Result<Scan> {
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; 1 << 18];
    // Bytes of a UTF-8 sequence cut by the end of the previous block.
    let mut carry = 0;
    let mut utf8 = true;
    let mut size = 0u64;
    let mut head = Vec::new();
    loop {
        let read = match file.read(&mut buffer[carry..]) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let fresh = &buffer[carry..carry + read];
        size += read as u64;
        if head.len() < HEAD {
            head.extend_from_slice(&fresh[..fresh.len().min(HEAD - head.len())]);
        }
        let block = carry + read;
        carry = 0;
        if utf8 {
            if let Err(err) = std::str::from_utf8(&buffer[..block]) {
                if err.error_len().is_some() {
                    utf8 = false;
                } else {
                    carry = block - err.valid_up_to();
                    buffer.copy_within(err.valid_up_to()..block, 0);
                }
            }
        }
    }
    Ok(Scan {
        size,
        bom: head.starts_with(BOM),
        // A sequence still cut at the end of the file is not UTF-8.
        utf8: utf8 && carry == 0,
        head,
    })
}

/// A file's SHA-256, for the runs that show it (decision 189). Nothing
/// read before the manifest needs it, so it is computed on a thread of its
/// own while the rows are read and checked (the checking thread leaves
/// time to spare on the second core), and [`FileHash::get`] waits for it.
#[derive(Debug)]
pub struct FileHash(Mutex<Hashing>);

#[derive(Debug)]
enum Hashing {
    NotShown,
    Running(JoinHandle<std::io::Result<String>>),
    Done(String),
    Failed(String),
}

impl FileHash {
    fn not_shown() -> Self {
        FileHash(Mutex::new(Hashing::NotShown))
    }

    fn start(path: &Path) -> Self {
        let path = path.to_path_buf();
        FileHash(Mutex::new(Hashing::Running(std::thread::spawn(
            move || sha256_of(&path),
        ))))
    }

    /// The hash in lower-case hexadecimal, once computed; none when the run
    /// does not show it. An error if the file could not be read again.
    pub fn get(&self) -> std::io::Result<Option<String>> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Hashing::Running(_) = &*state {
            let Hashing::Running(thread) = std::mem::replace(&mut *state, Hashing::NotShown) else {
                unreachable!("matched just above")
            };
            *state = match thread.join() {
                Ok(Ok(hex)) => Hashing::Done(hex),
                Ok(Err(err)) => Hashing::Failed(err.to_string()),
                Err(_) => Hashing::Failed("its hashing thread stopped unexpectedly".into()),
            };
        }
        match &*state {
            Hashing::NotShown => Ok(None),
            Hashing::Done(hex) => Ok(Some(hex.clone())),
            Hashing::Failed(why) => Err(std::io::Error::other(why.clone())),
            Hashing::Running(_) => unreachable!("joined just above"),
        }
    }
}

/// A file's SHA-256 in lower-case hexadecimal, read in blocks: the
/// inputs' ([`FileHash`]) and the report's outputs' (`manifest.json`).
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    // Read 256 KiB at a time, as the scan does (`io::copy` reads through a
    // `BufReader`'s own buffer).
    let mut file = std::io::BufReader::with_capacity(1 << 18, File::open(path)?);
    std::io::copy(&mut file, &mut hasher)?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// One data row: its physical line (header = 1) and its fields.
pub struct Row<'a> {
    pub line: u64,
    pub record: &'a Record,
    /// Whether a field holds a line break (then the row spans several
    /// lines of a text file).
    pub spans_lines: bool,
}

impl SourceFile {
    /// The rows of the file's text, decoded on the fly: the file is read
    /// again from disk rather than held in memory.
    fn records(&self, delimiter: u8) -> Result<Records<Box<dyn Read + Send>>> {
        let mut file = File::open(&self.path)
            .with_context(|| format!("{}: cannot read {}", self.name, self.path.display()))?;
        let bom = self.encoding.bom();
        if !bom.is_empty() {
            let mut skipped = [0u8; 3];
            file.read_exact(&mut skipped[..bom.len()])
                .with_context(|| format!("{}: cannot read {}", self.name, self.path.display()))?;
        }
        let input: Box<dyn Read + Send> = match self.encoding.decoder() {
            None if matches!(self.encoding, Encoding::Mixed | Encoding::MixedBom) => {
                Box::new(mixed::MixedDecoder::new(file, self.mixed_lines.clone()))
            }
            Some(decoder) => Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(decoder))
                    .bom_sniffing(false)
                    .build(file),
            ),
            None => Box::new(file),
        };
        Ok(Records::new(input, delimiter))
    }

    /// Calls `visit` on every data row after the header, in file order,
    /// with what `ahead` said of the row, and returns the lines after the
    /// header that are not data (v3: a repeated header line, the footer),
    /// which neither sees. A row the reader cannot decode (the file changed
    /// since it was first read) is handed over with no field, to be
    /// reported as ragged, not lost; a read error stops the run with the
    /// file and line.
    ///
    /// The file is parsed on a second thread, a batch of rows ahead of
    /// `visit`, and `ahead` runs there too, on each row in file order: the
    /// checks that need only the row and the rows before it (such as
    /// duplicate ids) are done on that thread, so that both cores work.
    pub fn for_each_row<T: Send>(
        &self,
        mut ahead: impl FnMut(u64, &Record) -> T + Send,
        mut visit: impl FnMut(Row<'_>, T),
    ) -> Result<NotData> {
        if let Some(sheet) = &self.sheet {
            let width = self.columns.headers.len();
            let mut dates = vec![false; width];
            for (column, at) in self.columns.positions() {
                if column.starts_with("date_") && at < width {
                    dates[at] = true;
                }
            }
            let shape = workbook::Shape {
                dates: &dates,
                width: Some(width),
            };
            let mut footer = Footer::new(self.kind, &self.columns);
            let mut row = |line: u64, record: &Record| {
                let said = ahead(line, record);
                let spans_lines = record.holds_line_break();
                let row = Row {
                    line,
                    record,
                    spans_lines,
                };
                visit(row, said);
            };
            workbook::for_each_row(&self.path, &self.name, sheet, &shape, |line, record| {
                if line > self.header_line {
                    match footer.sort(line, record) {
                        Sorted::Held => footer.hold(line, false, record.clone()),
                        sorted => {
                            footer.release(|line, _, record| row(line, record));
                            if sorted == Sorted::Data {
                                row(line, record);
                            }
                        }
                    }
                }
                ControlFlow::Continue(())
            })?;
            return Ok(footer.finish(|line, _, record| row(line, record)));
        }
        let mut records = self.records(self.delimiter)?;
        let mut before_data = self.rows_before_data;
        let name = self.name.as_str();
        let mut footer = Footer::new(self.kind, &self.columns);
        std::thread::scope(|scope| {
            let (full, ready) = mpsc::sync_channel::<Batch<T>>(1);
            let (recycle, spare) = mpsc::channel::<Batch<T>>();
            let parser = std::thread::Builder::new()
                .name("bilan-reader".into())
                .spawn_scoped(scope, move || -> Result<NotData> {
                    loop {
                        let mut batch = spare.try_recv().unwrap_or_default();
                        batch.len = 0;
                        batch.said.clear();
                        while batch.len < BATCH {
                            if batch.rows.len() == batch.len {
                                batch.rows.push(Default::default());
                            }
                            let (line, spans_lines, record) = &mut batch.rows[batch.len];
                            match records.next(record) {
                                Ok(None) => {
                                    let not_data = footer.finish(|line, spans_lines, record| {
                                        let said = ahead(line, record);
                                        batch.put((line, spans_lines, record.clone()), said);
                                    });
                                    // The receiver only goes away once every batch is read.
                                    let _ = full.send(batch);
                                    return Ok(not_data);
                                }
                                Ok(Some(at)) => {
                                    *line = at;
                                    *spans_lines = records.spans_lines();
                                    // The preamble and the header line.
                                    if before_data > 0 {
                                        before_data -= 1;
                                        continue;
                                    }
                                }
                                Err((at, io)) => {
                                    let message = format!("{name}: cannot read line {at}: {io}");
                                    let _ = full.send(batch);
                                    bail!(message);
                                }
                            }
                            match footer.sort(*line, record) {
                                Sorted::Data if !footer.holds() => {
                                    let said = ahead(*line, record);
                                    batch.said.push(said);
                                    batch.len += 1;
                                }
                                Sorted::Held => {
                                    let (line, spans_lines, record) =
                                        std::mem::take(&mut batch.rows[batch.len]);
                                    footer.hold(line, spans_lines, record);
                                }
                                sorted => {
                                    let current = std::mem::take(&mut batch.rows[batch.len]);
                                    footer.release(|line, spans_lines, record| {
                                        let said = ahead(line, record);
                                        batch.put((line, spans_lines, record.clone()), said);
                                    });
                                    if sorted == Sorted::Data {
                                        let said = ahead(current.0, &current.2);
                                        batch.put(current, said);
                                    }
                                }
                            }
                        }
                        if full.send(batch).is_err() {
                            return Ok(NotData::default());
                        }
                    }
                })
                .with_context(|| format!("{name}: cannot start the reading thread"))?;
            for mut batch in ready {
                for ((line, spans_lines, record), said) in
                    batch.rows[..batch.len].iter().zip(batch.said.drain(..))
                {
                    let row = Row {
                        line: *line,
                        record,
                        spans_lines: *spans_lines,
                    };
                    visit(row, said);
                }
                let _ = recycle.send(batch);
            }
            parser
                .join()
                .unwrap_or_else(|_| bail!("{name}: the reading thread stopped unexpectedly"))
        })
    }
}

/// How many rows the parsing thread hands over at a time.
const BATCH: usize = 1024;

/// Rows parsed ahead of the checks: their physical line, whether their
/// fields hold a line break, their fields (none for a row that could not
/// be decoded), and what the parsing thread said of each. Batches are sent
/// back to be filled again, so records are allocated once.
struct Batch<T> {
    rows: Vec<(u64, bool, Record)>,
    said: Vec<T>,
    len: usize,
}

impl<T> Batch<T> {
    /// Adds a row after the others.
    fn put(&mut self, row: (u64, bool, Record), said: T) {
        if self.rows.len() == self.len {
            self.rows.push(row);
        } else {
            self.rows[self.len] = row;
        }
        self.said.push(said);
        self.len += 1;
    }
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            said: Vec::new(),
            len: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_hashed_only_when_asked_and_scanned_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usagers.csv");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(
            FileHash::start(&path).get().unwrap().as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(FileHash::not_shown().get().unwrap(), None);
        // A byte that is not UTF-8 past the first block: the whole file is
        // scanned.
        let mut text = vec![b'a'; (1 << 18) + 10];
        text.push(0xE9);
        std::fs::write(&path, &text).unwrap();
        let scan = scan(&path).unwrap();
        assert_eq!(scan.size, text.len() as u64);
        assert!(!scan.utf8 && !scan.bom);
        assert_eq!(scan.head.len(), HEAD);
        // A file gone before it is hashed is an error, asked for again.
        let gone = FileHash::start(&dir.path().join("absent.csv"));
        assert!(gone.get().is_err());
        assert!(gone.get().is_err());
    }
}
