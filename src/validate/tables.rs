//! The output of stage 2: the clean tables (persons, demandes,
//! interventions, collective actions), per-file counts and findings, and what a command asks
//! of them before the frames take the tables over (the year span).

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Finding, Hours, Interner};
use crate::catalog::year_of;
use crate::catalog::Attribute;
use crate::reference::{CategoryValue, FileKind, TeamKind};

/// The persons of `usagers.csv` that were kept, one entry per person: the
/// person numbered `k` in [`CleanExport::person_ids`] is entry `k`.
#[derive(Debug, Default, Clone)]
pub struct Persons {
    pub line: Vec<u64>,
    /// Birth date as `AAAAMMJJ`.
    pub birth: Vec<Option<i32>>,
    /// The birth date as the file writes it, when that is not `JJ/MM/AAAA`:
    /// a finding's value is the text on its line.
    pub birth_written: Vec<Option<Box<str>>>,
    /// Each attribute of the catalog, in [`Attribute::ALL`] order, as its
    /// [`Reading`](crate::catalog::Reading) gives it: a code, codes joined
    /// by `|` in the spec's order, or the cell as written.
    pub coded: [Repeated; Attribute::COUNT],
    /// (v3) Whether each attribute's column is in the table (in any of its
    /// files, even with every cell empty); a derived attribute is.
    pub present: [bool; Attribute::COUNT],
}

/// A column whose values repeat from row to row (codes, combinations of
/// codes): each distinct value is kept once, and each row holds its number,
/// 4 bytes a cell rather than a 16-byte reference or a string of its own
/// (decision 87).
#[derive(Debug, Default, Clone)]
pub struct Repeated {
    values: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
    /// 0 for *not filled in*, `k` for `values[k - 1]`.
    cells: Vec<u32>,
}

impl Repeated {
    pub fn push(&mut self, value: Option<&str>) {
        let cell = self.number(value);
        self.push_number(cell);
    }

    /// The number of `value` (0 for *not filled in*), numbering it if it
    /// is new, without adding a row.
    pub fn number(&mut self, value: Option<&str>) -> u32 {
        match value {
            None => 0,
            Some(value) => match self.numbers.get(value) {
                Some(&number) => number,
                None => {
                    self.values.push(value.into());
                    // Four billion distinct values would need far more
                    // memory than a machine has before this saturates.
                    let number = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
                    self.numbers.insert(value.into(), number);
                    number
                }
            },
        }
    }

    /// Adds a row holding the value numbered `number` by
    /// [`Repeated::number`].
    pub fn push_number(&mut self, number: u32) {
        self.cells.push(number);
    }

    /// The value numbered `number` (`None` for 0, *not filled in*).
    pub fn value(&self, number: u32) -> Option<&str> {
        let k = (number as usize).checked_sub(1)?;
        self.values.get(k).map(|v| &**v)
    }

    /// Every row's value, in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.cells.iter().map(|&cell| self.value(cell))
    }

    /// The distinct values, numbered from 1, and each row's number (0 for
    /// *not filled in*).
    pub fn into_parts(self) -> (Vec<Box<str>>, Vec<u32>) {
        (self.values, self.cells)
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl Persons {
    pub fn len(&self) -> usize {
        self.line.len()
    }

    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }
}

/// The demandes or interventions that were kept.
#[derive(Debug, Default, Clone)]
pub struct Acts {
    /// The person's number in [`CleanExport::person_ids`].
    pub person: Vec<u32>,
    /// `AAAAMMJJ`.
    pub date: Vec<i32>,
    /// The team's number in [`CleanExport::scopes`]; `None` when not filled in.
    pub team: Vec<Option<u32>>,
    /// `origine` for a demande, `type_intervention` for an intervention:
    /// the code's position in [`Acts::values`].
    pub category: Vec<Option<u8>>,
    /// The values of that category.
    pub values: &'static [CategoryValue],
    /// `duree_minutes` (interventions only).
    pub duree: Vec<Option<u16>>,
}

impl Acts {
    /// The category code of act `k`.
    pub fn category_code(&self, k: usize) -> Option<&'static str> {
        self.category[k].map(|v| self.values[usize::from(v)].code)
    }

    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
}

/// The collective actions that were kept (SPEC §2.6), one entry per action.
/// Free-text columns (a title, partner names) are not read.
#[derive(Debug, Default, Clone)]
pub struct Actions {
    /// `AAAAMMJJ`.
    pub date: Vec<i32>,
    /// The team's number in [`CleanExport::scopes`]; `None` when not filled in.
    pub team: Vec<Option<u32>>,
    /// The position of `type_action` in its category's values; `None` when
    /// not filled in or not recognised.
    pub type_action: Vec<Option<u8>>,
    /// The distinct recognised publics: bit `k` for the `k`-th value of
    /// `public`; 0 when the cell is not filled in.
    pub publics: Vec<u16>,
    pub participants: Vec<Option<u32>>,
    pub heures: Vec<Option<Hours>>,
}

impl Actions {
    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
}

/// What happened to the rows of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    pub file: FileKind,
    pub name: String,
    pub encoding: &'static str,
    /// The delimiter of a text file; `None` for a workbook's sheet.
    pub delimiter: Option<char>,
    pub size: u64,
    /// None when the run does not show it (`bilan indicators`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_excluded: u64,
    /// (v3) The rows of earlier files of its table that this file's rows
    /// replaced (same id: the later export is the newer). Left out of the
    /// JSON when there are none, as for a table read from one file.
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_replaced: u64,
    /// Optional columns the file does not have (every value *not filled in*).
    pub absent_columns: Vec<&'static str>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// An export after checking: clean tables, per-file counts and findings.
#[derive(Debug, Clone)]
pub struct CleanExport {
    pub persons: Persons,
    pub demandes: Acts,
    pub interventions: Acts,
    /// `None` when the export has no `actions.csv` (SPEC §2.6).
    pub actions: Option<Actions>,
    /// Person ids: first the kept persons of `usagers.csv` in file order,
    /// then the ids that only demandes or interventions name.
    pub person_ids: Interner,
    /// Team scopes: a code of the referential, or an unknown team as
    /// written (trimmed, upper case).
    pub scopes: Interner,
    /// (v3) The kind of each scope of `scopes` in the referential (ERHR,
    /// CNRHR); none outside it (SPEC §4.7).
    pub scope_kinds: Vec<Option<TeamKind>>,
    pub files: Vec<FileSummary>,
    /// Findings that do not depend on the report year.
    pub findings: Vec<Finding>,
}

impl CleanExport {
    /// The pseudonymous id of person number `key`.
    pub fn person_id(&self, key: u32) -> &str {
        self.person_ids.get(key)
    }

    /// The scope name of team number `team`.
    pub fn scope(&self, team: u32) -> &str {
        self.scopes.get(team)
    }
}

impl CleanExport {
    /// The dates of the kept demandes and interventions (`AAAAMMJJ`).
    fn act_dates(&self) -> impl Iterator<Item = i32> + '_ {
        self.demandes
            .date
            .iter()
            .chain(&self.interventions.date)
            .copied()
    }

    /// The first and last dates of the kept acts.
    pub fn period(&self) -> Option<(i32, i32)> {
        self.act_dates().min().zip(self.act_dates().max())
    }

    /// The latest calendar year with a demande or an intervention.
    pub fn latest_year(&self) -> Option<i32> {
        self.act_dates().max().map(year_of)
    }

    /// Whether some demande or intervention is dated in `year`.
    pub fn covers_year(&self, year: i32) -> bool {
        self.act_dates().any(|d| year_of(d) == year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_column_gives_back_every_row_in_order() {
        let rows = [
            Some("F"),
            None,
            Some("M"),
            Some("F"),
            Some(""),
            None,
            Some("M"),
        ];
        let mut column = Repeated::default();
        for row in rows {
            column.push(row);
        }
        assert_eq!(column.len(), rows.len());
        assert_eq!(column.iter().collect::<Vec<_>>(), rows);
        assert_eq!(column.values.len(), 3);
    }
}
