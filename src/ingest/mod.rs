//! Stage 1 — files → raw text tables (SPEC §2.1).
//!
//! Finds the three files of an export folder (and the optional fourth,
//! `actions.csv`, when it is there), decodes them (UTF-8 with or
//! without BOM, else Windows-1252), detects the delimiter from the header
//! line, and maps the header names to the columns of SPEC §2.2–2.4 through
//! their accepted names (plus a site's own names from `--columns FILE`).
//! Rows are handed out one by one, with their physical line number, to the
//! validate stage: nothing here judges a cell. A file is read twice, in
//! blocks (once to hash it and choose its encoding, once for its rows), and
//! never held whole in memory.

mod columns;
mod decode;

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::{bail, Context, Result};
use encoding_rs_io::DecodeReaderBytesBuilder;
use sha2::{Digest, Sha256};

pub use columns::{ColumnMap, ColumnOverrides, DuplicateColumn};
pub use decode::{decode, detect_delimiter, Encoding};

use decode::BOM;

use crate::reference::FileKind;

/// One input file, decoded, with its header mapped to the spec's columns.
#[derive(Debug)]
pub struct SourceFile {
    pub kind: FileKind,
    pub path: PathBuf,
    /// The file name as found in the folder (its case may differ).
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub encoding: Encoding,
    pub delimiter: u8,
    pub columns: ColumnMap,
    /// Whether the file starts with a UTF-8 byte order mark (skipped).
    bom: bool,
}

/// The files of an export folder: the three required ones, then
/// `actions.csv` when the folder has it.
#[derive(Debug)]
pub struct Export {
    pub folder: PathBuf,
    pub files: Vec<SourceFile>,
}

impl Export {
    /// A required file.
    pub fn file(&self, kind: FileKind) -> &SourceFile {
        self.optional(kind)
            .expect("read_export loads every required file kind")
    }

    /// A file that may be absent (`actions.csv`).
    pub fn optional(&self, kind: FileKind) -> Option<&SourceFile> {
        self.files.iter().find(|file| file.kind == kind)
    }
}

/// Reads an export folder: the three files, and `actions.csv` when there
/// is one, decoded and with mapped headers. A missing required file, an
/// unreadable one or a missing required column is an error.
pub fn read_export(folder: &Path, overrides: &ColumnOverrides) -> Result<Export> {
    let mut located = locate_files(folder)?;
    let mut files = Vec::new();
    for kind in FileKind::ALL {
        // An optional file that is absent is simply not read (SPEC §2.6).
        if let Some(path) = located.remove(&kind) {
            files.push(read_file(kind, path, overrides)?);
        }
    }
    Ok(Export {
        folder: folder.to_path_buf(),
        files,
    })
}

fn locate_files(folder: &Path) -> Result<HashMap<FileKind, PathBuf>> {
    if !folder.is_dir() {
        bail!(
            "the input {} is not a folder: give the folder that holds usagers.csv, demandes.csv and interventions.csv",
            folder.display()
        );
    }
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("cannot list the input folder {}", folder.display()))?;
    let mut found: HashMap<FileKind, Vec<PathBuf>> = HashMap::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list the input folder {}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if let Some(kind) = FileKind::ALL
            .into_iter()
            .find(|kind| kind.file_name() == name)
        {
            found.entry(kind).or_default().push(entry.path());
        }
    }
    let mut located = HashMap::new();
    for kind in FileKind::ALL {
        match found.remove(&kind) {
            None if kind.is_optional() => {}
            None => bail!(
                "{}: file missing in {} (the export needs usagers.csv, demandes.csv and interventions.csv; names are matched ignoring case)",
                kind.file_name(),
                folder.display()
            ),
            Some(mut paths) if paths.len() > 1 => {
                paths.sort();
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                bail!(
                    "{}: several files match in {} ({}): keep only one",
                    kind.file_name(),
                    folder.display(),
                    names.join(", ")
                );
            }
            Some(mut paths) => {
                located.insert(kind, paths.remove(0));
            }
        }
    }
    Ok(located)
}

fn read_file(kind: FileKind, path: PathBuf, overrides: &ColumnOverrides) -> Result<SourceFile> {
    let name = path
        .file_name()
        .map_or_else(|| kind.file_name(), |n| n.to_string_lossy().into_owned());
    let metadata = std::fs::metadata(&path)
        .with_context(|| format!("{name}: cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "{name}: {} is not a regular file (a folder, a pipe or a device): put the CSV file itself in the export folder",
            path.display()
        );
    }
    let scan = scan(&path).with_context(|| format!("{name}: cannot read {}", path.display()))?;
    let encoding = match (scan.utf8, scan.bom) {
        (true, true) => Encoding::Utf8Bom,
        (true, false) => Encoding::Utf8,
        (false, _) => Encoding::Windows1252,
    };
    let delimiter = detect_delimiter(&scan.head);
    let mut file = SourceFile {
        kind,
        path,
        name,
        size: scan.size,
        sha256: scan.sha256,
        encoding,
        delimiter,
        columns: ColumnMap::default(),
        bom: scan.bom,
    };
    let header = {
        let mut reader = file.reader()?;
        let mut record = csv::StringRecord::new();
        let name = &file.name;
        match reader.read_record(&mut record) {
            Ok(true) => record,
            Ok(false) => bail!(
                "{name}: the file is empty; it must start with a header line naming its columns"
            ),
            Err(err) => bail!("{name}: cannot read the header line: {err}"),
        }
    };
    file.columns = ColumnMap::resolve(kind, &file.name, &header, overrides)?;
    Ok(file)
}

/// What one pass over a file's bytes tells before its rows are read.
struct Scan {
    size: u64,
    sha256: String,
    bom: bool,
    /// Whether the whole file is valid UTF-8.
    utf8: bool,
    /// The first bytes, for the header line's delimiter.
    head: Vec<u8>,
}

/// How much of the start of a file the delimiter is detected on.
const HEAD: usize = 1 << 16;

/// Reads a file once in blocks: its size, SHA-256, BOM, whether it is valid
/// UTF-8 and its first bytes. Nothing else of it is kept in memory.
fn scan(path: &Path) -> std::io::Result<Scan> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
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
        hasher.update(fresh);
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
        sha256: format!("{:x}", hasher.finalize()),
        bom: head.starts_with(BOM),
        // A sequence still cut at the end of the file is not UTF-8.
        utf8: utf8 && carry == 0,
        head,
    })
}

fn reader_for<R: Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(input)
}

/// One data row: its physical line (header = 1) and its fields.
pub struct Row<'a> {
    pub line: u64,
    pub record: &'a csv::StringRecord,
}

impl SourceFile {
    /// A CSV reader over the file's text, decoded on the fly: the file is
    /// read again from disk rather than held in memory.
    fn reader(&self) -> Result<csv::Reader<Box<dyn Read + Send>>> {
        let mut file = File::open(&self.path)
            .with_context(|| format!("{}: cannot read {}", self.name, self.path.display()))?;
        if self.bom {
            let mut bom = [0u8; BOM.len()];
            file.read_exact(&mut bom)
                .with_context(|| format!("{}: cannot read {}", self.name, self.path.display()))?;
        }
        let input: Box<dyn Read + Send> = match self.encoding {
            Encoding::Windows1252 => Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::WINDOWS_1252))
                    .bom_sniffing(false)
                    .build(file),
            ),
            _ => Box::new(file),
        };
        Ok(reader_for(input, self.delimiter))
    }

    /// Calls `visit` on every data row after the header, in file order. A
    /// row the reader cannot decode (the file changed since it was first
    /// read) is handed over with no field, to be reported as ragged, not
    /// lost; a read error stops the run with the file and line.
    ///
    /// The file is parsed on a second thread, a batch of rows ahead of
    /// `visit`: parsing and checking take about as long as each other.
    pub fn for_each_row(&self, mut visit: impl FnMut(Row<'_>)) -> Result<()> {
        let mut reader = self.reader()?;
        let name = self.name.as_str();
        std::thread::scope(|scope| {
            let (full, ready) = mpsc::sync_channel::<Batch>(1);
            let (recycle, spare) = mpsc::channel::<Batch>();
            let parser = std::thread::Builder::new()
                .name("bilan-reader".into())
                .spawn_scoped(scope, move || -> Result<()> {
                    let mut first = true;
                    loop {
                        let mut batch = spare.try_recv().unwrap_or_default();
                        batch.len = 0;
                        while batch.len < BATCH {
                            if batch.rows.len() == batch.len {
                                batch.rows.push(Default::default());
                            }
                            let (line, record) = &mut batch.rows[batch.len];
                            match reader.read_record(record) {
                                Ok(false) => {
                                    // The receiver only goes away once every batch is read.
                                    let _ = full.send(batch);
                                    return Ok(());
                                }
                                Ok(true) => {
                                    *line = record.position().map_or(0, |p| p.line());
                                    if first {
                                        first = false;
                                        continue;
                                    }
                                }
                                Err(err) => {
                                    *line = err.position().map_or(0, |p| p.line());
                                    if let csv::ErrorKind::Io(io) = err.kind() {
                                        let message =
                                            format!("{name}: cannot read line {line}: {io}");
                                        let _ = full.send(batch);
                                        bail!(message);
                                    }
                                    first = false;
                                    record.clear();
                                }
                            }
                            batch.len += 1;
                        }
                        if full.send(batch).is_err() {
                            return Ok(());
                        }
                    }
                })
                .with_context(|| format!("{name}: cannot start the reading thread"))?;
            for batch in ready {
                for (line, record) in &batch.rows[..batch.len] {
                    visit(Row {
                        line: *line,
                        record,
                    });
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

/// Rows parsed ahead of the checks: their physical line and their fields
/// (none for a row that could not be decoded). Batches are sent back to be
/// filled again, so records are allocated once.
#[derive(Default)]
struct Batch {
    rows: Vec<(u64, csv::StringRecord)>,
    len: usize,
}
