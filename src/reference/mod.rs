//! Reference data compiled into the binary: the team referential (SPEC §2.5,
//! replaceable with `--teams FILE`), the département → région table, the
//! categories with their accepted labels and French display names, and the
//! accepted header names of every column. The data lives in `data/*.csv`.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::normalize::normalize;

pub mod glossary;
mod orpha;
mod scope;

pub use glossary::Glossary;
pub use orpha::{orpha_name, parse_orpha, OrphaLabels};
pub use scope::{NamedTeam, Scope, NATIONAL};

const TEAMS_CSV: &str = include_str!("data/teams.csv");
const DEPARTEMENTS_CSV: &str = include_str!("data/departements.csv");
const CATEGORIES_CSV: &str = include_str!("data/categories.csv");
const COLUMNS_CSV: &str = include_str!("data/columns.csv");

/// One team of the referential.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Team {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// Régions covered, separated by `|` in the file; empty for a CNRHR.
    pub regions: String,
    /// A CNRHR's speciality (`surdicécité`), for *Le dispositif*; an
    /// optional column of the file.
    #[serde(default)]
    pub specialite: String,
}

/// The two kinds of team of the dispositif (SPEC §2.5): the network of
/// §4.7 pairs each ERHR with each CNRHR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TeamKind {
    Erhr,
    Cnrhr,
}

impl Team {
    /// The team's kind, from the referential's `kind` column (`ERHR`,
    /// `CNRHR`, any case); none for another kind.
    pub fn team_kind(&self) -> Option<TeamKind> {
        match self.kind.trim().to_uppercase().as_str() {
            "ERHR" => Some(TeamKind::Erhr),
            "CNRHR" => Some(TeamKind::Cnrhr),
            _ => None,
        }
    }
}

/// The team referential, looked up by normalised code or name.
#[derive(Debug, Clone)]
pub struct Teams {
    teams: Vec<Team>,
    by_key: HashMap<String, usize>,
}

impl Teams {
    /// The referential shipped with the tool.
    pub fn builtin() -> Self {
        Self::parse(TEAMS_CSV.as_bytes()).expect("the built-in team referential is valid")
    }

    /// A user's referential, with the columns `code,name,kind,regions`.
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the team referential {}", path.display()))?;
        Self::parse(&bytes).with_context(|| {
            format!(
                "the team referential {} must be a CSV file with the columns code,name,kind,regions",
                path.display()
            )
        })
    }

    fn parse(bytes: &[u8]) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let mut teams = Vec::new();
        for (index, record) in reader.deserialize::<Team>().enumerate() {
            let mut team = record.with_context(|| format!("line {}", index + 2))?;
            team.code = team.code.to_uppercase();
            if team.code.is_empty() {
                bail!("line {}: the team code is empty", index + 2);
            }
            teams.push(team);
        }
        let mut by_key = HashMap::new();
        for (index, team) in teams.iter().enumerate() {
            // Codes win over names when a name happens to equal another code.
            by_key.entry(normalize(&team.name)).or_insert(index);
        }
        for (index, team) in teams.iter().enumerate() {
            by_key.insert(normalize(&team.code), index);
        }
        Ok(Self { teams, by_key })
    }

    /// The team a cell refers to, by code or name.
    pub fn lookup(&self, raw: &str) -> Option<&Team> {
        self.by_key
            .get(&normalize(raw))
            .map(|&index| &self.teams[index])
    }

    /// The team of the referential whose code or name is closest to
    /// `raw` (at most two edits away, once normalised), for a code outside
    /// it: most often a typo.
    pub fn closest(&self, raw: &str) -> Option<&Team> {
        let wanted = normalize(raw);
        self.by_key
            .iter()
            .map(|(key, &index)| (edit_distance(key, &wanted), key, index))
            .filter(|(distance, _, _)| *distance <= 2)
            .min()
            .map(|(_, _, index)| &self.teams[index])
    }

    pub fn get(&self, code: &str) -> Option<&Team> {
        self.teams.iter().find(|team| team.code == code)
    }

    /// The kind of the team of this code: none for a code outside the
    /// referential (SPEC §4.7: it is in no pair).
    pub fn kind_of(&self, code: &str) -> Option<TeamKind> {
        self.get(code).and_then(Team::team_kind)
    }

    /// Every team of the referential, in the file's order.
    pub fn all(&self) -> &[Team] {
        &self.teams
    }
}

/// The number of one-character insertions, deletions and substitutions
/// from `a` to `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// The région of a département code in its canonical form (`01`, `2A`, `974`).
pub fn region_of(departement: &str) -> Option<&'static str> {
    departements().get(departement).copied()
}

fn departements() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: std::sync::OnceLock<HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        DEPARTEMENTS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(','))
            .collect()
    })
}

/// Every région of the département table, in alphabetical order (accents
/// aside: Île-de-France among the I): the fixed order of the tables by
/// région (SPEC §8).
pub fn regions() -> Vec<&'static str> {
    let mut regions: Vec<&'static str> = departements().values().copied().collect();
    regions.sort_unstable_by_key(|region| (crate::normalize::normalize(region), *region));
    regions.dedup();
    regions
}

/// The départements of a région, in code order.
pub fn departements_of(region: &str) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = departements()
        .iter()
        .filter(|(_, r)| **r == region)
        .map(|(code, _)| *code)
        .collect();
    codes.sort_unstable();
    codes
}

/// The canonical code of a département cell (`1` → `01`, `2a` → `2A`), if it
/// is one of SPEC §2.2's codes.
pub fn canonical_departement(raw: &str) -> Option<&'static str> {
    let trimmed = raw.trim().to_uppercase();
    let padded = if trimmed.len() == 1 {
        format!("0{trimmed}")
    } else {
        trimmed
    };
    departements()
        .get_key_value(padded.as_str())
        .map(|(code, _)| *code)
}

/// A categorical field of SPEC §2.2–2.4 and §2.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Sexe,
    LieuDeVie,
    MaladieRare,
    Deficiences,
    Tnd,
    Scolarisation,
    Situation,
    Origine,
    TypeIntervention,
    TypeAction,
    Public,
    /// (v3) The disorders associated with the déficiences (SPEC §2.2).
    TroublesAssocies,
    /// (v3) The médico-social and health services of the year.
    Accompagnements,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::Sexe,
        Category::LieuDeVie,
        Category::MaladieRare,
        Category::Deficiences,
        Category::Tnd,
        Category::Scolarisation,
        Category::Situation,
        Category::Origine,
        Category::TypeIntervention,
        Category::TypeAction,
        Category::Public,
        Category::TroublesAssocies,
        Category::Accompagnements,
    ];

    pub fn field(self) -> &'static str {
        match self {
            Category::Sexe => "sexe",
            Category::LieuDeVie => "lieu_de_vie",
            Category::MaladieRare => "maladie_rare",
            Category::Deficiences => "deficiences",
            Category::Tnd => "tnd",
            Category::Scolarisation => "scolarisation",
            Category::Situation => "situation",
            Category::Origine => "origine",
            Category::TypeIntervention => "type_intervention",
            Category::TypeAction => "type_action",
            Category::Public => "public",
            Category::TroublesAssocies => "troubles_associes",
            Category::Accompagnements => "accompagnements",
        }
    }
}

/// One value of a category: its code and French display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryValue {
    pub code: &'static str,
    pub display: &'static str,
}

struct CategoryTable {
    values: Vec<CategoryValue>,
    by_label: HashMap<String, &'static str>,
}

/// Each category's table, in [`Category::ALL`] order: looked up on every
/// multi-valued cell, so by index rather than by hashing its name.
fn categories() -> &'static [CategoryTable; Category::ALL.len()] {
    static TABLE: std::sync::OnceLock<[CategoryTable; Category::ALL.len()]> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut tables: HashMap<&'static str, CategoryTable> = HashMap::new();
        let mut reader = csv::Reader::from_reader(CATEGORIES_CSV.as_bytes());
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .expect("categories.csv is valid")
        {
            let leak =
                |i: usize| -> &'static str { Box::leak(record[i].to_owned().into_boxed_str()) };
            let (field, code, display, labels) = (leak(0), leak(1), leak(2), leak(3));
            let table = tables.entry(field).or_insert_with(|| CategoryTable {
                values: Vec::new(),
                by_label: HashMap::new(),
            });
            table.values.push(CategoryValue { code, display });
            for label in std::iter::once(code).chain(labels.split('|')) {
                table.by_label.entry(normalize(label)).or_insert(code);
            }
        }
        Category::ALL.map(|category| {
            tables
                .remove(category.field())
                .expect("categories.csv lists every category")
        })
    })
}

impl Category {
    /// The code an already normalised value stands for.
    pub fn lookup(self, normalized: &str) -> Option<&'static str> {
        categories()[self as usize]
            .by_label
            .get(normalized)
            .copied()
    }

    /// Every value in the order of the spec's table.
    pub fn values(self) -> &'static [CategoryValue] {
        &categories()[self as usize].values
    }

    /// The French display name of a code.
    pub fn display(self, code: &str) -> &'static str {
        self.values()
            .iter()
            .find(|value| value.code == code)
            .map_or("", |value| value.display)
    }
}

/// The files of an export: three required, `actions` optional (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Usagers,
    Demandes,
    Interventions,
    /// Collective actions (SPEC §2.6): optional.
    Actions,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [
        FileKind::Usagers,
        FileKind::Demandes,
        FileKind::Interventions,
        FileKind::Actions,
    ];

    pub fn stem(self) -> &'static str {
        match self {
            FileKind::Usagers => "usagers",
            FileKind::Demandes => "demandes",
            FileKind::Interventions => "interventions",
            FileKind::Actions => "actions",
        }
    }

    /// Whether an export may leave the file out (SPEC §2.6).
    pub fn is_optional(self) -> bool {
        self == FileKind::Actions
    }

    pub fn file_name(self) -> String {
        format!("{}.csv", self.stem())
    }
}

/// A column of a file, with its accepted header names (normalised).
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    pub file: FileKind,
    pub name: &'static str,
    pub required: bool,
    /// The column's French name in the report.
    pub label: &'static str,
    pub aliases: Vec<String>,
}

/// The French name of a column of a file (by stem: `usagers`), as the
/// report names it (`Date de naissance`).
pub fn column_label(file: &str, column: &str) -> &'static str {
    column_specs()
        .into_iter()
        .find(|spec| spec.file.stem() == file && spec.name == column)
        .map_or("", |spec| spec.label)
}

/// The columns of every file, in the order of SPEC §2.2–2.4 and §2.6.
pub fn column_specs() -> Vec<ColumnSpec> {
    COLUMNS_CSV
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&'static str> = line.splitn(5, ',').collect();
            let file = FileKind::ALL
                .into_iter()
                .find(|kind| kind.stem() == fields[0])
                .expect("columns.csv names a known file");
            ColumnSpec {
                file,
                name: fields[1],
                required: fields[2] == "yes",
                label: fields[3],
                aliases: fields[4].split('|').map(normalize).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_departement_has_a_region() {
        for n in 1..=95 {
            let code = format!("{n:02}");
            if code != "20" {
                assert!(region_of(&code).is_some(), "{code}");
            }
        }
        for code in ["2A", "2B", "971", "972", "973", "974", "975", "976"] {
            assert!(region_of(code).is_some(), "{code}");
        }
        assert_eq!(canonical_departement("1"), Some("01"));
        assert_eq!(canonical_departement(" 2a "), Some("2A"));
        assert_eq!(canonical_departement("20"), None);
        assert_eq!(canonical_departement("977"), None);
        assert_eq!(canonical_departement("0"), None);
    }

    #[test]
    fn team_regions_exist_in_the_departement_table() {
        let known: std::collections::HashSet<&str> = departements().values().copied().collect();
        for team in Teams::builtin().all() {
            for region in team.regions.split('|').filter(|r| !r.is_empty()) {
                assert!(known.contains(region), "{region}");
            }
        }
    }

    #[test]
    fn a_code_outside_the_referential_names_its_closest_team() {
        let teams = Teams::builtin();
        assert_eq!(
            teams.closest("ERHR-BRET").map(|t| t.code.as_str()),
            Some("ERHR-BRE")
        );
        assert_eq!(
            teams.closest("CNRHR-CRESEM").map(|t| t.code.as_str()),
            Some("CNRHR-CRESAM")
        );
        assert!(teams.closest("ERHR-ATLANTIDE").is_none());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn teams_are_found_by_code_or_name() {
        let teams = Teams::builtin();
        assert_eq!(teams.all().len(), 17);
        assert_eq!(teams.lookup("erhr-bre").unwrap().code, "ERHR-BRE");
        assert_eq!(teams.lookup("ERHR Île-de-France").unwrap().code, "ERHR-IDF");
        assert_eq!(
            teams.lookup("la pepiniere").unwrap().code,
            "CNRHR-PEPINIERE"
        );
        assert!(teams.lookup("ERHR Atlantide").is_none());
    }

    #[test]
    fn each_category_is_at_its_place_in_all() {
        for (k, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(category as usize, k);
            assert!(!category.values().is_empty(), "{category:?}");
        }
    }

    #[test]
    fn categories_match_codes_and_labels() {
        assert_eq!(
            Category::LieuDeVie.lookup("domicile"),
            Some("domicile_personnel")
        );
        assert_eq!(
            Category::LieuDeVie.lookup("domicile familial"),
            Some("domicile_familial")
        );
        assert_eq!(Category::Tnd.lookup("non"), Some("aucun"));
        assert_eq!(
            Category::TypeIntervention.lookup("vad"),
            Some("visite_domicile")
        );
        assert_eq!(Category::Sexe.lookup("feminin"), Some("F"));
        assert_eq!(Category::Sexe.lookup("f"), Some("F"));
        assert_eq!(Category::MaladieRare.lookup("peut etre"), None);
        assert_eq!(
            Category::TypeAction.lookup("cop"),
            Some("communaute_pratiques")
        );
        assert_eq!(
            Category::TypeAction.lookup("communaute pratiques"),
            Some("communaute_pratiques")
        );
        assert_eq!(Category::Public.lookup("mdph"), Some("institutions"));
        for category in Category::ALL {
            assert!(!category.values().is_empty());
        }
    }

    #[test]
    fn every_file_has_its_columns() {
        let specs = column_specs();
        assert_eq!(specs.len(), 31);
        assert!(specs
            .iter()
            .any(|c| c.name == "duree_minutes" && c.aliases.contains(&"duree min".to_string())));
    }
}
