//! Stage 1 — files → raw text tables (SPEC §2.1).
//!
//! Finds the three files of an export folder, decodes them (UTF-8 with or
//! without BOM, else Windows-1252), detects the delimiter from the header
//! line, and maps the header names to the columns of SPEC §2.2–2.4 through
//! their accepted names (plus a site's own names from `--columns FILE`).
//! Rows are handed out one by one, with their physical line number, to the
//! validate stage: nothing here judges a cell.

mod columns;
mod decode;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

pub use columns::{ColumnMap, ColumnOverrides, DuplicateColumn};
pub use decode::{decode, detect_delimiter, Encoding};

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
    text: String,
}

/// The three files of an export folder.
#[derive(Debug)]
pub struct Export {
    pub folder: PathBuf,
    pub files: Vec<SourceFile>,
}

impl Export {
    pub fn file(&self, kind: FileKind) -> &SourceFile {
        self.files
            .iter()
            .find(|file| file.kind == kind)
            .expect("read_export loads every file kind")
    }
}

/// Reads an export folder: the three files, decoded and with mapped headers.
/// A missing file, an unreadable one or a missing required column is an error.
pub fn read_export(folder: &Path, overrides: &ColumnOverrides) -> Result<Export> {
    let located = locate_files(folder)?;
    let mut files = Vec::new();
    for kind in FileKind::ALL {
        let path = located[&kind].clone();
        files.push(read_file(kind, path, overrides)?);
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
    let bytes =
        std::fs::read(&path).with_context(|| format!("{name}: cannot read {}", path.display()))?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let size = bytes.len() as u64;
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let header = {
        let mut reader = reader_for(text.as_bytes(), delimiter);
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => record,
            Ok(false) => bail!(
                "{name}: the file is empty; it must start with a header line naming its columns"
            ),
            Err(err) => bail!("{name}: cannot read the header line: {err}"),
        }
    };
    let columns = ColumnMap::resolve(kind, &name, &header, overrides)?;
    Ok(SourceFile {
        kind,
        path,
        name,
        size,
        sha256,
        encoding,
        delimiter,
        columns,
        text,
    })
}

fn reader_for(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// One data row: its physical line (header = 1) and its fields.
pub struct Row<'a> {
    pub line: u64,
    pub record: &'a csv::StringRecord,
}

impl SourceFile {
    /// Calls `visit` on every data row after the header. The text is valid
    /// UTF-8 in memory, so the reader cannot fail; should it ever, the row is
    /// handed over with no field, to be reported as ragged, not lost.
    pub fn for_each_row(&self, mut visit: impl FnMut(Row<'_>)) {
        let mut reader = reader_for(self.text.as_bytes(), self.delimiter);
        let mut record = csv::StringRecord::new();
        let mut first = true;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    if first {
                        first = false;
                        continue;
                    }
                    let line = record.position().map_or(0, |p| p.line());
                    visit(Row {
                        line,
                        record: &record,
                    });
                }
                Err(err) => {
                    let line = err.position().map_or(0, |p| p.line());
                    visit(Row {
                        line,
                        record: &csv::StringRecord::new(),
                    });
                    break;
                }
            }
        }
    }
}
