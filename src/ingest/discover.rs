//! Finding the tables of an export folder (SPEC §2, "Finding the tables").
//!
//! A table is a file whose name, without its extension, holds the table's
//! name (singular or plural) as a word of its own: case and accents are
//! ignored and anything but a letter separates words, so
//! `export_usagers_20250105.csv`, `Export Usagers 2024.txt` and
//! `Mediateam - Demandes.xlsx` all match, `usagersbis.csv` does not. A
//! workbook named for no table is searched for sheets named for the tables
//! (listed by the workbook reader); so is a workbook named for another
//! table, when a table has no other candidate. A table named on the command
//! line (`--usagers FILE[#SHEET]`, v3: repeatable, the files read in the
//! order given) is not searched for, and without a folder (`--input` left
//! out, v3) only tables named so are read.
//! Exactly one candidate per table, or an error that names the files.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::normalize::normalize;
use crate::reference::FileKind;

/// Whether the export must hold a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    /// Read when found; its absence is no error (e.g. `actions`, SPEC §2.6).
    Optional,
}

/// The tables an export folder is searched for, in the order they are read.
/// A new table is one line here.
pub const TABLES: [(FileKind, Need); 4] = [
    (FileKind::Usagers, Need::Required),
    (FileKind::Demandes, Need::Required),
    (FileKind::Interventions, Need::Required),
    (FileKind::Actions, Need::Optional),
];

/// The extensions of text tables (SPEC §2.1).
pub const TEXT_EXTENSIONS: [&str; 3] = ["csv", "txt", "tsv"];

/// The extensions of workbooks (SPEC §2.1, v2).
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Where one table is read from: a file, and for a workbook the sheet named
/// on the command line or found by name (`None`: the sheet named for the
/// table, else the first one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSource {
    pub kind: FileKind,
    pub path: PathBuf,
    pub sheet: Option<String>,
}

impl TableSource {
    /// The file of `FILE[#SHEET]` as given on the command line.
    pub fn file_of(arg: &Path) -> PathBuf {
        parse_table_arg(FileKind::Usagers, arg).path
    }
}

/// Splits `FILE#SHEET` as given on the command line. A path that exists as
/// written is a file, even if its name holds a `#`.
pub fn parse_table_arg(kind: FileKind, arg: &Path) -> TableSource {
    let whole = TableSource {
        kind,
        path: arg.to_path_buf(),
        sheet: None,
    };
    if arg.exists() {
        return whole;
    }
    match arg.to_str().and_then(|text| text.rsplit_once('#')) {
        Some((file, sheet)) if !file.is_empty() && !sheet.is_empty() => TableSource {
            kind,
            path: PathBuf::from(file),
            sheet: Some(sheet.to_string()),
        },
        _ => whole,
    }
}

/// The words of a name: normalised (lower case, no accents), cut at
/// anything but a letter.
fn words(name: &str) -> Vec<String> {
    normalize(name)
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a name (a file stem or a sheet name) is named for a table: one
/// of its words is the table's name, plural or singular.
pub fn names_table(name: &str, kind: FileKind) -> bool {
    let plural = kind.stem();
    let singular = plural.strip_suffix('s').unwrap_or(plural);
    words(name).iter().any(|w| w == plural || w == singular)
}

/// The extension of a file name, lower case, and its stem.
fn split_name(name: &str) -> (&str, Option<String>) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext.to_lowercase())),
        _ => (name, None),
    }
}

/// What the folder holds, as far as finding tables goes.
struct Listing {
    /// Readable files: (name, path, is a workbook).
    readable: Vec<(String, PathBuf, bool)>,
    /// Every file name seen, for the error when a table is missing.
    seen: Vec<String>,
}

fn list(folder: &Path) -> Result<Listing> {
    if !folder.is_dir() {
        bail!(
            "the input {} is not a folder: give the folder that holds the export's tables (usagers, demandes, interventions)",
            folder.display()
        );
    }
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("cannot list the input folder {}", folder.display()))?;
    let mut listing = Listing {
        readable: Vec::new(),
        seen: Vec::new(),
    };
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list the input folder {}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Office's lock files (`~$usagers.xlsx`, held while the workbook is
        // open) and hidden files (`._usagers.csv` from macOS) are not tables.
        if name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        // A folder named like a table stays a candidate, to be refused by
        // name rather than reported missing.
        let path = entry.path();
        listing.seen.push(name.clone());
        let (_, ext) = split_name(&name);
        let Some(ext) = ext else { continue };
        if TEXT_EXTENSIONS.contains(&ext.as_str()) {
            listing.readable.push((name, path, false));
        } else if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            listing.readable.push((name, path, true));
        }
    }
    listing.readable.sort();
    listing.seen.sort();
    Ok(listing)
}

/// The sheets of a workbook, by name, in order (opened only for a workbook
/// named for no table).
pub type SheetLister<'a> = dyn FnMut(&Path) -> Result<Vec<String>> + 'a;

/// Finds every table of [`TABLES`] in `folder`; `explicit` tables (from
/// the command line, one or several files a table) are taken as given, in
/// their order. Without a folder, every required table must be explicit.
/// `sheets` lists a workbook's sheets.
pub fn locate_tables(
    folder: Option<&Path>,
    explicit: &[TableSource],
    sheets: &mut SheetLister<'_>,
) -> Result<Vec<TableSource>> {
    let Some(folder) = folder else {
        let mut located = Vec::new();
        for (kind, need) in TABLES {
            let given: Vec<&TableSource> = explicit.iter().filter(|t| t.kind == kind).collect();
            if given.is_empty() && need == Need::Required {
                bail!(
                    "{table}: no file for the {table} table: give the export's folder with --input, or name the table's file with --{table} (the three tables usagers, demandes and interventions are needed)",
                    table = kind.stem()
                );
            }
            located.extend(given.into_iter().cloned());
        }
        return Ok(located);
    };
    let listing = list(folder)?;
    // Workbooks named for no table, with their sheets.
    let mut unnamed_workbooks: Vec<(String, PathBuf, Vec<String>)> = Vec::new();
    for (name, path, workbook) in &listing.readable {
        let (stem, _) = split_name(name);
        if *workbook && !TABLES.iter().any(|&(kind, _)| names_table(stem, kind)) {
            let names = sheets(path)?;
            unnamed_workbooks.push((name.clone(), path.clone(), names));
        }
    }
    let mut located = Vec::new();
    for (kind, need) in TABLES {
        let given: Vec<&TableSource> = explicit.iter().filter(|t| t.kind == kind).collect();
        if !given.is_empty() {
            located.extend(given.into_iter().cloned());
            continue;
        }
        let mut candidates: Vec<(String, TableSource)> = Vec::new();
        for (name, path, _) in &listing.readable {
            if names_table(split_name(name).0, kind) {
                candidates.push((
                    name.clone(),
                    TableSource {
                        kind,
                        path: path.clone(),
                        sheet: None,
                    },
                ));
            }
        }
        for (name, path, names) in &unnamed_workbooks {
            for sheet in names.iter().filter(|s| names_table(s, kind)) {
                candidates.push((
                    format!("{name}#{sheet}"),
                    TableSource {
                        kind,
                        path: path.clone(),
                        sheet: Some(sheet.clone()),
                    },
                ));
            }
        }
        // No file and no sheet of an unnamed workbook: a sheet named for
        // the table in a workbook named for another one (`usagers.xlsx`
        // holding the three tables) beats a refusal.
        if candidates.is_empty() {
            for (name, path, workbook) in &listing.readable {
                let stem = split_name(name).0;
                if !*workbook || !TABLES.iter().any(|&(other, _)| names_table(stem, other)) {
                    continue;
                }
                for sheet in sheets(path)?.into_iter().filter(|s| names_table(s, kind)) {
                    candidates.push((
                        format!("{name}#{sheet}"),
                        TableSource {
                            kind,
                            path: path.clone(),
                            sheet: Some(sheet),
                        },
                    ));
                }
            }
        }
        match candidates.len() {
            1 => located.push(candidates.remove(0).1),
            0 if need == Need::Optional => {}
            0 => bail!(missing(folder, kind, &listing.seen)),
            _ => {
                let names: Vec<&str> = candidates.iter().map(|(n, _)| n.as_str()).collect();
                bail!(
                    "{table}: several files in {} could be the {table} table: {}; keep only one, or name the one to read with --{table} FILE; to read them all as one table (one export per year, or an older then a newer one), name each with --{table}, repeated, oldest first: a row whose id an earlier file already had replaces it",
                    folder.display(),
                    names.join(", "),
                    table = kind.stem()
                );
            }
        }
    }
    Ok(located)
}

/// How many file names the error for a missing table lists.
const LISTED: usize = 12;

/// The error for a table no file stands for: what was looked for, what was
/// found, and what to do about a file that is named for it but cannot be
/// read (a PDF, a Word document).
fn missing(folder: &Path, kind: FileKind, seen: &[String]) -> String {
    let table = kind.stem();
    let mut message = format!(
        "{table}: no file for the {table} table in {} (looked for a file such as {table}.csv or {table}.xlsx: a .csv, .txt, .tsv, .xlsx, .xlsm, .xls or .ods file whose name holds the word {table}, or a workbook sheet named so)",
        folder.display()
    );
    if seen.is_empty() {
        message.push_str("; the folder is empty");
    } else {
        let shown: Vec<&str> = seen.iter().take(LISTED).map(String::as_str).collect();
        let more = if seen.len() > LISTED {
            format!(" and {} more", seen.len() - LISTED)
        } else {
            String::new()
        };
        message.push_str(&format!("; found: {}{more}", shown.join(", ")));
    }
    let named: Vec<&str> = seen
        .iter()
        .filter(|name| names_table(split_name(name).0, kind))
        .map(String::as_str)
        .collect();
    if let Some(name) = named.first() {
        message.push_str(&format!(
            " — found {name}: export the table as CSV or Excel (.csv, .xlsx)"
        ));
    } else {
        message.push_str(&format!(
            " — export the {table} table from Mediateam as CSV or Excel into this folder, or name its file with --{table}"
        ));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_dates_prefixes_accents_and_singulars_match() {
        for name in [
            "usagers",
            "USAGERS",
            "usager",
            "export_usagers_20250105",
            "Export usagers 2024",
            "usagers2024",
            "2024-usager",
        ] {
            assert!(names_table(name, FileKind::Usagers), "{name}");
        }
        assert!(names_table("Mediateam - Demandes", FileKind::Demandes));
        assert!(names_table("Interventions", FileKind::Interventions));
        for name in ["usagersbis", "nonusagers", "demandeur", "export"] {
            assert!(!names_table(name, FileKind::Usagers), "{name}");
            assert!(!names_table(name, FileKind::Demandes), "{name}");
        }
    }

    #[test]
    fn a_sheet_is_split_off_a_path_that_does_not_exist() {
        let t = parse_table_arg(FileKind::Usagers, Path::new("/nowhere/export.xlsx#Feuil 1"));
        assert_eq!(t.path, PathBuf::from("/nowhere/export.xlsx"));
        assert_eq!(t.sheet.as_deref(), Some("Feuil 1"));
        let t = parse_table_arg(FileKind::Usagers, Path::new("/nowhere/usagers.csv"));
        assert_eq!(t.sheet, None);
    }

    fn folder(names: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in names {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        dir
    }

    fn no_sheets(_: &Path) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    #[test]
    fn finds_one_file_per_table_and_ignores_the_rest() {
        let dir = folder(&[
            "export_usagers_20250105.csv",
            "Demandes.TXT",
            "interventions 2024.tsv",
            "notes.docx",
            "~$usagers.xlsx",
        ]);
        let found = locate_tables(Some(dir.path()), &[], &mut no_sheets).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|t| t.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "export_usagers_20250105.csv",
                "Demandes.TXT",
                "interventions 2024.tsv"
            ]
        );
    }

    #[test]
    fn two_candidates_or_none_is_an_error_naming_the_files() {
        let dir = folder(&[
            "usagers.csv",
            "usager_2024.csv",
            "demandes.csv",
            "interventions.csv",
        ]);
        let err = locate_tables(Some(dir.path()), &[], &mut no_sheets)
            .unwrap_err()
            .to_string();
        assert!(err.contains("usager_2024.csv, usagers.csv"), "{err}");
        assert!(err.contains("repeated"), "{err}");
        let dir = folder(&["usagers.pdf", "demandes.pdf", "interventions.pdf"]);
        let err = locate_tables(Some(dir.path()), &[], &mut no_sheets)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("found: demandes.pdf, interventions.pdf, usagers.pdf"),
            "{err}"
        );
        assert!(
            err.contains("found usagers.pdf: export the table as CSV or Excel"),
            "{err}"
        );
    }

    #[test]
    fn a_table_given_explicitly_is_not_searched_for() {
        let dir = folder(&[
            "usagers.csv",
            "usagers_old.csv",
            "demandes.csv",
            "interventions.csv",
        ]);
        let given = TableSource {
            kind: FileKind::Usagers,
            path: dir.path().join("usagers_old.csv"),
            sheet: None,
        };
        let found = locate_tables(
            Some(dir.path()),
            std::slice::from_ref(&given),
            &mut no_sheets,
        )
        .unwrap();
        assert_eq!(found[0], given);
    }

    #[test]
    fn a_table_named_several_times_is_read_from_each_file_in_order() {
        let dir = folder(&["usagers_2023.csv", "usagers_2024.csv", "demandes.csv"]);
        let named = |name: &str, kind| TableSource {
            kind,
            path: dir.path().join(name),
            sheet: None,
        };
        let given = [
            named("usagers_2024.csv", FileKind::Usagers),
            named("interventions.csv", FileKind::Interventions),
            named("usagers_2023.csv", FileKind::Usagers),
        ];
        let found = locate_tables(Some(dir.path()), &given, &mut no_sheets).unwrap();
        assert_eq!(
            found,
            [
                given[0].clone(),
                given[2].clone(),
                named("demandes.csv", FileKind::Demandes),
                given[1].clone()
            ]
        );
        // Without a folder, the three tables must be named.
        let found = locate_tables(None, &given, &mut no_sheets);
        let err = found.unwrap_err().to_string();
        assert!(
            err.contains("--input") && err.contains("--demandes"),
            "{err}"
        );
        let mut all = given.to_vec();
        all.push(named("demandes.csv", FileKind::Demandes));
        assert_eq!(locate_tables(None, &all, &mut no_sheets).unwrap().len(), 4);
    }

    #[test]
    fn a_workbook_named_for_one_table_lends_its_other_sheets() {
        let dir = folder(&["usagers.xlsx"]);
        let mut sheets = |_: &Path| -> Result<Vec<String>> {
            Ok(vec![
                "usagers".into(),
                "demandes".into(),
                "interventions".into(),
            ])
        };
        let found = locate_tables(Some(dir.path()), &[], &mut sheets).unwrap();
        let sheets: Vec<Option<&str>> = found.iter().map(|t| t.sheet.as_deref()).collect();
        assert_eq!(sheets, [None, Some("demandes"), Some("interventions")]);
    }

    #[test]
    fn a_workbook_named_for_no_table_gives_its_sheets() {
        let dir = folder(&["export.xlsx"]);
        let mut sheets = |_: &Path| -> Result<Vec<String>> {
            Ok(vec![
                "Usagers".into(),
                "Demandes".into(),
                "Interventions".into(),
                "Notes".into(),
            ])
        };
        let found = locate_tables(Some(dir.path()), &[], &mut sheets).unwrap();
        let sheets: Vec<Option<&str>> = found.iter().map(|t| t.sheet.as_deref()).collect();
        assert_eq!(
            sheets,
            [Some("Usagers"), Some("Demandes"), Some("Interventions")]
        );
    }
}
