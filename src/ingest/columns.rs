//! Header names → the spec's columns, through the accepted names of SPEC
//! §2.2–2.4 and a site's own names (`--columns FILE`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::Record;
use crate::normalize::normalize;
use crate::reference::{column_specs, FileKind};

/// Extra accepted header names, from a CSV file with the columns
/// `file,column,header` (e.g. `usagers,date_naissance,Né(e) le`). They are
/// tried before the built-in names.
#[derive(Debug, Clone, Default)]
pub struct ColumnOverrides {
    extra: HashMap<(FileKind, String), Vec<String>>,
}

impl ColumnOverrides {
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the column mapping {}", path.display()))?;
        let (text, _) = super::decode(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .delimiter(super::detect_delimiter(text.as_bytes()))
            .from_reader(text.as_bytes());
        let specs = column_specs();
        let mut extra: HashMap<(FileKind, String), Vec<String>> = HashMap::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = record.with_context(|| format!("{}: line {line}", path.display()))?;
            let (Some(file), Some(column), Some(header)) =
                (record.get(0), record.get(1), record.get(2))
            else {
                bail!(
                    "{}: line {line} must have three cells: file,column,header (e.g. usagers,date_naissance,Né(e) le)",
                    path.display()
                );
            };
            let Some(kind) = FileKind::ALL
                .into_iter()
                .find(|k| k.stem() == file.to_lowercase())
            else {
                bail!("{}: line {line}: unknown file {file:?}; use usagers, demandes, interventions or actions", path.display());
            };
            if !specs.iter().any(|s| s.file == kind && s.name == column) {
                let known: Vec<&str> = specs
                    .iter()
                    .filter(|s| s.file == kind)
                    .map(|s| s.name)
                    .collect();
                bail!(
                    "{}: line {line}: {file} has no column {column:?}; its columns are {}",
                    path.display(),
                    known.join(", ")
                );
            }
            extra
                .entry((kind, column.to_string()))
                .or_default()
                .push(normalize(header));
        }
        Ok(Self { extra })
    }

    fn names_for(&self, kind: FileKind, column: &str) -> &[String] {
        self.extra
            .get(&(kind, column.to_string()))
            .map_or(&[], Vec::as_slice)
    }
}

/// A header that maps to a column already taken by another header.
#[derive(Debug, Clone)]
pub struct DuplicateColumn {
    pub column: &'static str,
    pub header: String,
    pub kept_header: String,
}

/// Where each of the spec's columns is in a file.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// The header line's cells, trimmed, without its trailing empty ones
    /// (v3: a header line ending with the delimiter).
    pub headers: Vec<String>,
    /// The same, normalised (SPEC §2.1), to know the header line again
    /// further down (`entete_repete`).
    pub normalized: Vec<String>,
    index: HashMap<&'static str, usize>,
    pub duplicates: Vec<DuplicateColumn>,
    /// Optional columns the file does not have.
    pub absent: Vec<&'static str>,
}

impl ColumnMap {
    /// Maps the header line of `kind`. For each column, the header matching
    /// its earliest accepted name wins (leftmost on a tie); the others that
    /// match are reported as duplicates and ignored.
    pub fn resolve(
        kind: FileKind,
        file_name: &str,
        line: u64,
        header: &Record,
        overrides: &ColumnOverrides,
    ) -> Result<Self> {
        let mut headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let mut index = HashMap::new();
        let mut duplicates = Vec::new();
        let mut absent = Vec::new();
        for spec in column_specs().into_iter().filter(|s| s.file == kind) {
            let names: Vec<&String> = overrides
                .names_for(kind, spec.name)
                .iter()
                .chain(&spec.aliases)
                .collect();
            let mut matches: Vec<(usize, usize)> = normalized
                .iter()
                .enumerate()
                .filter_map(|(col, h)| names.iter().position(|n| *n == h).map(|rank| (rank, col)))
                .collect();
            matches.sort();
            match matches.first() {
                Some(&(_, col)) => {
                    index.insert(spec.name, col);
                    for &(_, other) in &matches[1..] {
                        duplicates.push(DuplicateColumn {
                            column: spec.name,
                            header: headers[other].clone(),
                            kept_header: headers[col].clone(),
                        });
                    }
                }
                None if spec.required => {
                    let accepted: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
                    bail!(
                        "{file_name}: required column {} missing (line {line} has: {}); accepted header names: {} — rename the column, or map your own name with --columns",
                        spec.name,
                        headers.join(" | "),
                        accepted.join(", ")
                    );
                }
                None => absent.push(spec.name),
            }
        }
        Ok(Self {
            headers,
            normalized,
            index,
            duplicates,
            absent,
        })
    }

    /// The position of a column, if the file has it.
    pub fn get(&self, column: &str) -> Option<usize> {
        self.index.get(column).copied()
    }

    /// Whether the cells of a row normalise to the header line's (v3: a
    /// header line repeated further down, as when two exports are pasted
    /// one under the other). Trailing empty cells do not count, on either.
    pub fn repeats_header(&self, record: &Record) -> bool {
        let width = self.normalized.len();
        if width == 0 || record.len() < width {
            return false;
        }
        // The first cell first: it tells almost every row apart.
        record
            .iter()
            .zip(&self.normalized)
            .all(|(cell, name)| normalizes_to(cell, name))
            && (record.len() == width
                || record.iter().skip(width).all(|cell| cell.trim().is_empty()))
    }

    /// Every column the file has, with its position.
    pub fn positions(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.index.iter().map(|(&name, &at)| (name, at))
    }
}

/// Whether `cell` normalises to `normalized` (SPEC §2.1), without
/// allocating for an ASCII cell: most rows differ from the header in their
/// first cell, and every row is asked.
fn normalizes_to(cell: &str, normalized: &str) -> bool {
    if !cell.is_ascii() {
        return normalize(cell) == normalized;
    }
    let mut want = normalized.bytes();
    let mut pending_space = false;
    let mut started = false;
    for byte in cell.bytes() {
        let lower = byte.to_ascii_lowercase();
        if lower.is_ascii_lowercase() || lower.is_ascii_digit() {
            if pending_space && started && want.next() != Some(b' ') {
                return false;
            }
            if want.next() != Some(lower) {
                return false;
            }
            pending_space = false;
            started = true;
        } else {
            pending_space = true;
        }
    }
    want.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Record {
        Record::from(names.to_vec())
    }

    #[test]
    fn maps_aliases_in_any_order() {
        let map = ColumnMap::resolve(
            FileKind::Demandes,
            "demandes.csv",
            1,
            &header(&[
                "Équipe",
                "Commentaire",
                "Date de la demande",
                "N° dossier",
                "ID",
            ]),
            &ColumnOverrides::default(),
        )
        .unwrap();
        assert_eq!(map.get("equipe"), Some(0));
        assert_eq!(map.get("date_demande"), Some(2));
        assert_eq!(map.get("id_usager"), Some(3));
        assert_eq!(map.get("id_demande"), Some(4));
        assert_eq!(map.absent, vec!["origine"]);
    }

    #[test]
    fn the_most_specific_name_wins_and_the_other_is_reported() {
        let map = ColumnMap::resolve(
            FileKind::Demandes,
            "demandes.csv",
            1,
            &header(&["id", "id usager", "date", "date demande", "equipe"]),
            &ColumnOverrides::default(),
        )
        .unwrap();
        assert_eq!(map.get("date_demande"), Some(3));
        assert_eq!(map.duplicates.len(), 1);
        assert_eq!(map.duplicates[0].header, "date");
    }

    #[test]
    fn a_header_line_ending_with_the_delimiter_counts_no_trailing_field() {
        let map = ColumnMap::resolve(
            FileKind::Demandes,
            "demandes.csv",
            1,
            &header(&["id", "id usager", "date", "equipe", "", " "]),
            &ColumnOverrides::default(),
        )
        .unwrap();
        assert_eq!(map.headers.len(), 4);
        let row = |cells: &[&str]| Record::from(cells.to_vec());
        assert!(map.repeats_header(&row(&["ID", "Id_Usager ", "date", "équipe"])));
        assert!(map.repeats_header(&row(&["id", "id usager", "date", "equipe", "", ""])));
        assert!(!map.repeats_header(&row(&["id", "id usager", "date"])));
        assert!(!map.repeats_header(&row(&["id", "id usager", "date", "equipe", "x"])));
        assert!(!map.repeats_header(&row(&["D1", "U1", "01/02/2024", "A"])));
    }

    #[test]
    fn ascii_cells_normalise_as_normalize_does() {
        for (cell, name) in [
            ("Id usager", "id usager"),
            ("  --id__usager-- ", "id usager"),
            ("id usager2", "id usager"),
            ("idusager", "id usager"),
            ("id usager", "idusager"),
            ("", ""),
            ("--", ""),
            ("x", ""),
        ] {
            assert_eq!(
                normalizes_to(cell, name),
                normalize(cell) == name,
                "{cell:?} {name:?}"
            );
        }
    }

    #[test]
    fn a_missing_required_column_names_the_accepted_names() {
        let err = ColumnMap::resolve(
            FileKind::Interventions,
            "interventions.csv",
            1,
            &header(&["id", "id usager", "equipe"]),
            &ColumnOverrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("interventions.csv"), "{err}");
        assert!(err.contains("date_intervention"), "{err}");
        assert!(err.contains("date de l intervention"), "{err}");
    }
}
