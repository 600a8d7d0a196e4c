//! Stage 2 — raw rows → typed clean tables + findings (SPEC §2.2–2.4, §3).
//!
//! Each row of each file is checked once, in file order: a row breaking an
//! excluding rule becomes a finding and is left out; the others become a
//! typed row whose unreadable cells are *not filled in* (with a finding).
//! The counts of rows read, kept and excluded per file always add up.

mod dates;
mod findings;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

pub use dates::{format_date, parse_date, year_of};
pub use findings::{Finding, FindingSink, MergeKey, Rule, FIRST_LINES};

use crate::ingest::{Export, SourceFile};
use crate::normalize::{cell_is_not_filled, is_not_filled, normalize};
use crate::reference::{canonical_departement, region_of, Category, FileKind, Teams};

/// The persons of `usagers.csv` that were kept, one entry per person.
#[derive(Debug, Default, Clone)]
pub struct Persons {
    pub id: Vec<String>,
    pub line: Vec<u64>,
    /// Birth date as `AAAAMMJJ`.
    pub birth: Vec<Option<i32>>,
    pub sexe: Vec<Option<&'static str>>,
    pub departement: Vec<Option<&'static str>>,
    pub region: Vec<Option<&'static str>>,
    pub lieu_de_vie: Vec<Option<&'static str>>,
    pub maladie_rare: Vec<Option<&'static str>>,
    /// Whether an ORPHA code is filled in (the code itself is not kept).
    pub code_orpha: Vec<bool>,
    /// Recognised codes in the spec's order, joined by `|`.
    pub deficiences: Vec<Option<String>>,
    /// Recognised codes in the spec's order, joined by `|`; `aucun` only alone.
    pub tnd: Vec<Option<String>>,
    pub scolarisation: Vec<Option<&'static str>>,
}

/// The demandes or interventions that were kept.
#[derive(Debug, Default, Clone)]
pub struct Acts {
    pub id_usager: Vec<String>,
    /// `AAAAMMJJ`.
    pub date: Vec<i32>,
    /// Team code from the referential, or the unknown code as written
    /// (trimmed, upper case); `None` when not filled in.
    pub team: Vec<Option<String>>,
    /// `origine` for a demande, `type_intervention` for an intervention.
    pub category: Vec<Option<&'static str>>,
    /// `duree_minutes` (interventions only).
    pub duree: Vec<Option<i32>>,
}

impl Acts {
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
    pub delimiter: char,
    pub size: u64,
    pub sha256: String,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_excluded: u64,
    /// Optional columns the file does not have (every value *not filled in*).
    pub absent_columns: Vec<&'static str>,
}

/// An export after checking: clean tables, per-file counts and findings.
#[derive(Debug, Clone)]
pub struct CleanExport {
    pub persons: Persons,
    pub demandes: Acts,
    pub interventions: Acts,
    pub files: Vec<FileSummary>,
    /// Findings that do not depend on the report year.
    pub findings: Vec<Finding>,
}

/// Checks every row of an export.
pub fn check(export: &Export, teams: &Teams) -> CleanExport {
    let mut sink = FindingSink::default();
    let mut files = Vec::new();
    for file in &export.files {
        for duplicate in &file.columns.duplicates {
            sink.push(
                Finding::new(
                    Rule::ColonneEnDouble,
                    &file.name,
                    Some(1),
                    format!(
                        "Les colonnes « {} » et « {} » désignent toutes deux {} : seule « {} » est lue. Supprimez ou renommez l'autre.",
                        duplicate.kept_header, duplicate.header, duplicate.column, duplicate.kept_header
                    ),
                )
                .column(duplicate.column)
                .value(&duplicate.header),
            );
        }
    }
    let usagers = export.file(FileKind::Usagers);
    let (persons, summary) = check_usagers(usagers, &mut sink);
    files.push(summary);
    let known: HashSet<&str> = persons.id.iter().map(String::as_str).collect();
    let mut acts = Vec::new();
    for kind in [FileKind::Demandes, FileKind::Interventions] {
        let (table, summary) = check_acts(export.file(kind), teams, &known, &mut sink);
        acts.push(table);
        files.push(summary);
    }
    let interventions = acts.pop().unwrap_or_default();
    let demandes = acts.pop().unwrap_or_default();
    CleanExport {
        persons,
        demandes,
        interventions,
        files,
        findings: sink.into_vec(),
    }
}

/// The latest calendar year with a demande or an intervention.
pub fn latest_year(export: &CleanExport) -> Option<i32> {
    export
        .demandes
        .date
        .iter()
        .chain(&export.interventions.date)
        .max()
        .map(|&d| year_of(d))
}

/// Findings that depend on the report year Y: birth dates after 31 December
/// Y or more than 120 years before it, and no demande before 1 January Y.
pub fn year_findings(export: &CleanExport, year: i32) -> Vec<Finding> {
    let mut findings = Vec::new();
    let (earliest, latest) = birth_bounds(year);
    let usagers = file_name(export, FileKind::Usagers);
    for ((&birth, &line), id) in export
        .persons
        .birth
        .iter()
        .zip(&export.persons.line)
        .zip(&export.persons.id)
    {
        if let Some(birth) = birth.filter(|b| !(earliest..=latest).contains(b)) {
            findings.push(
                Finding::new(
                    Rule::DateNaissanceHorsLimites,
                    usagers,
                    Some(line),
                    format!(
                        "Date de naissance postérieure au 31 décembre {year} ou de plus de 120 ans avant : l'âge est inconnu. Vérifiez la date de naissance."
                    ),
                )
                .column("date_naissance")
                .value(&format_date(birth))
                .id(id)
                .sensitive(),
            );
        }
    }
    let first_of_year = year * 10_000 + 101;
    if !export.demandes.date.iter().any(|&d| d < first_of_year) {
        findings.push(Finding::new(
            Rule::HistoriqueAbsent,
            file_name(export, FileKind::Demandes),
            None,
            format!(
                "L'export ne contient aucune demande antérieure au 1er janvier {year} : les nouvelles personnes ne peuvent pas être distinguées des personnes déjà suivies. Exportez aussi les années précédentes."
            ),
        ));
    }
    findings
}

/// The birth dates (`AAAAMMJJ`, inclusive) that give a known age for year Y:
/// not after 31 December Y, not more than 120 years before it.
pub fn birth_bounds(year: i32) -> (i32, i32) {
    ((year - 120) * 10_000 + 1231, year * 10_000 + 1231)
}

fn file_name(export: &CleanExport, kind: FileKind) -> &str {
    export
        .files
        .iter()
        .find(|f| f.file == kind)
        .map_or("", |f| f.name.as_str())
}

/// The cell of a column in a record, `""` when the file has no such column.
fn cell<'r>(file: &SourceFile, record: &'r csv::StringRecord, column: &str) -> &'r str {
    file.columns
        .get(column)
        .and_then(|i| record.get(i))
        .map_or("", str::trim)
}

/// What the first checks of a row decided, shared by every file.
enum RowStart<'r> {
    Excluded,
    Kept { id: &'r str },
}

/// The checks every file shares, in the order of SPEC §3: ragged row,
/// repeated header, empty ids, id already seen.
fn start_row<'r>(
    file: &SourceFile,
    line: u64,
    record: &'r csv::StringRecord,
    id_column: &'static str,
    seen: &mut HashMap<String, u64>,
    sink: &mut FindingSink,
) -> RowStart<'r> {
    let expected = file.columns.headers.len();
    if record.len() != expected {
        sink.push(
            Finding::new(
                Rule::LigneIrreguliere,
                &file.name,
                Some(line),
                format!(
                    "La ligne compte {} champ(s) au lieu de {expected} : la ligne n'est pas comptée. Vérifiez les séparateurs et les guillemets de cette ligne.",
                    record.len()
                ),
            )
            .id(record.get(file.columns.get(id_column).unwrap_or(usize::MAX)).unwrap_or("").trim()),
        );
        return RowStart::Excluded;
    }
    if record
        .iter()
        .zip(&file.columns.headers)
        .all(|(c, h)| c.trim() == h)
    {
        sink.push(Finding::new(
            Rule::EnteteRepetee,
            &file.name,
            Some(line),
            "La ligne d'en-tête est répétée au milieu du fichier : la ligne est ignorée. Supprimez-la (fichiers mis bout à bout ?).".to_string(),
        ));
        return RowStart::Excluded;
    }
    let id = cell(file, record, id_column);
    let id_usager = cell(file, record, "id_usager");
    for (column, value) in [(id_column, id), ("id_usager", id_usager)] {
        if cell_is_not_filled(value) {
            sink.push(
                Finding::new(
                    Rule::IdManquant,
                    &file.name,
                    Some(line),
                    format!("Identifiant {column} vide : la ligne n'est pas comptée. Renseignez l'identifiant ou supprimez la ligne."),
                )
                .column(column)
                .value(value)
                .id(if column == id_column { id_usager } else { id }),
            );
            return RowStart::Excluded;
        }
    }
    if let Some(&first) = seen.get(id) {
        sink.push(
            Finding::new(
                Rule::IdEnDouble,
                &file.name,
                Some(line),
                format!(
                    "Identifiant {id} déjà présent ligne {first} : cette ligne n'est pas comptée (la première est conservée). Corrigez l'identifiant ou supprimez le doublon."
                ),
            )
            .column(id_column)
            .value(id)
            .id(id),
        );
        return RowStart::Excluded;
    }
    seen.insert(id.to_string(), line);
    RowStart::Kept { id }
}

/// Counts rows read/kept/excluded for a file as its rows are checked.
struct Tally {
    read: u64,
    kept: u64,
}

impl Tally {
    fn summary(&self, file: &SourceFile) -> FileSummary {
        FileSummary {
            file: file.kind,
            name: file.name.clone(),
            encoding: file.encoding.label(),
            delimiter: file.delimiter as char,
            size: file.size,
            sha256: file.sha256.clone(),
            rows_read: self.read,
            rows_kept: self.kept,
            rows_excluded: self.read - self.kept,
            absent_columns: file.columns.absent.clone(),
        }
    }
}

fn check_usagers(file: &SourceFile, sink: &mut FindingSink) -> (Persons, FileSummary) {
    let mut persons = Persons::default();
    let mut seen = HashMap::default();
    let mut memo = Memo::default();
    let mut tally = Tally { read: 0, kept: 0 };
    file.for_each_row(|row| {
        tally.read += 1;
        let (line, record) = (row.line, row.record);
        let RowStart::Kept { id } = start_row(file, line, record, "id_usager", &mut seen, sink)
        else {
            return;
        };
        tally.kept += 1;
        let mut values = Values {
            file,
            line,
            id,
            sink: &mut *sink,
            memo: &mut memo,
        };
        let birth_cell = cell(file, record, "date_naissance");
        let birth = values.birth_date(birth_cell);
        let departement = values.departement(cell(file, record, "departement"));
        persons.id.push(id.to_string());
        persons.line.push(line);
        persons.birth.push(birth);
        persons.region.push(departement.and_then(region_of));
        persons.departement.push(departement);
        persons
            .sexe
            .push(values.category(Category::Sexe, cell(file, record, "sexe")));
        persons
            .lieu_de_vie
            .push(values.category(Category::LieuDeVie, cell(file, record, "lieu_de_vie")));
        persons
            .maladie_rare
            .push(values.category(Category::MaladieRare, cell(file, record, "maladie_rare")));
        persons
            .code_orpha
            .push(!cell_is_not_filled(cell(file, record, "code_orpha")));
        persons
            .deficiences
            .push(values.multi(Category::Deficiences, cell(file, record, "deficiences")));
        persons
            .tnd
            .push(values.multi(Category::Tnd, cell(file, record, "tnd")));
        persons
            .scolarisation
            .push(values.category(Category::Scolarisation, cell(file, record, "scolarisation")));
    });
    let summary = tally.summary(file);
    (persons, summary)
}

fn check_acts(
    file: &SourceFile,
    teams: &Teams,
    known: &HashSet<&str>,
    sink: &mut FindingSink,
) -> (Acts, FileSummary) {
    let (id_column, date_column, category) = match file.kind {
        FileKind::Demandes => ("id_demande", "date_demande", Category::Origine),
        _ => (
            "id_intervention",
            "date_intervention",
            Category::TypeIntervention,
        ),
    };
    let mut acts = Acts::default();
    let mut seen = HashMap::default();
    let mut memo = Memo::default();
    let mut tally = Tally { read: 0, kept: 0 };
    file.for_each_row(|row| {
        tally.read += 1;
        let (line, record) = (row.line, row.record);
        let team_cell = cell(file, record, "equipe");
        let team = memo.team(teams, team_cell);
        sink.current_team.clone_from(&team.scope);
        let RowStart::Kept { id } = start_row(file, line, record, id_column, &mut seen, sink) else {
            return;
        };
        let date_cell = cell(file, record, date_column);
        let Some(date) = parse_date(date_cell) else {
            sink.push(
                Finding::new(
                    Rule::DateInvalide,
                    &file.name,
                    Some(line),
                    format!(
                        "Date « {date_cell} » vide ou illisible : la ligne n'est pas comptée. Écrivez la date au format JJ/MM/AAAA ou AAAA-MM-JJ."
                    ),
                )
                .column(date_column)
                .value(date_cell)
                .id(id),
            );
            return;
        };
        tally.kept += 1;
        let id_usager = cell(file, record, "id_usager");
        let mut values = Values { file, line, id, sink: &mut *sink, memo: &mut memo };
        if !known.contains(id_usager) {
            values.unknown_person(id_usager);
        }
        acts.team.push(values.team(team, team_cell));
        acts.id_usager.push(id_usager.to_string());
        acts.date.push(date);
        acts.category.push(values.category(category, cell(file, record, category.field())));
        let duree = if file.kind == FileKind::Interventions {
            values.duration(cell(file, record, "duree_minutes"))
        } else {
            None
        };
        acts.duree.push(duree);
    });
    sink.current_team = None;
    let summary = tally.summary(file);
    (acts, summary)
}

/// Reads the cells of one kept row, reporting what it cannot read.
struct Values<'a> {
    file: &'a SourceFile,
    line: u64,
    id: &'a str,
    sink: &'a mut FindingSink,
    memo: &'a mut Memo,
}

/// What a categorical cell reads as, remembered by its raw text: a column
/// holds a handful of spellings, so each is normalised once per file.
#[derive(Debug, Clone)]
enum Reading {
    NotFilled,
    Code(&'static str),
    /// Unrecognised, with its normalised form (the finding's key).
    Unknown(String),
}

/// One table of readings per category, looked up by `&str` without
/// allocating; and the same for team cells.
#[derive(Default)]
struct Memo {
    readings: [HashMap<String, Reading>; Category::ALL.len()],
    teams: HashMap<String, TeamReading>,
}

/// What a team cell stands for: its scope (`None` when not filled in) and
/// whether the referential knows it.
#[derive(Debug, Clone)]
struct TeamReading {
    scope: Option<String>,
    known: bool,
}

impl Memo {
    fn team(&mut self, teams: &Teams, raw: &str) -> TeamReading {
        if let Some(reading) = self.teams.get(raw) {
            return reading.clone();
        }
        let reading = if is_not_filled(&normalize(raw)) {
            TeamReading {
                scope: None,
                known: false,
            }
        } else {
            match teams.lookup(raw) {
                Some(team) => TeamReading {
                    scope: Some(team.code.clone()),
                    known: true,
                },
                None => TeamReading {
                    scope: Some(raw.trim().to_uppercase()),
                    known: false,
                },
            }
        };
        self.teams.insert(raw.to_string(), reading.clone());
        reading
    }

    fn read(&mut self, category: Category, raw: &str) -> Reading {
        let table = &mut self.readings[category as usize];
        if let Some(reading) = table.get(raw) {
            return reading.clone();
        }
        let normalized = normalize(raw);
        let reading = if is_not_filled(&normalized) {
            Reading::NotFilled
        } else {
            match category.lookup(&normalized) {
                Some(code) => Reading::Code(code),
                None => Reading::Unknown(normalized),
            }
        };
        table.insert(raw.to_string(), reading.clone());
        reading
    }
}

impl Values<'_> {
    fn unrecognised(&mut self, column: &'static str, raw: &str, key: String, allowed: String) {
        let (file, id) = (self.file, self.id);
        self.sink.merge((Rule::ValeurNonReconnue, file.kind.stem(), column, key), self.line, || {
            Finding::new(
                Rule::ValeurNonReconnue,
                &file.name,
                Some(self.line),
                format!("Valeur « {raw} » non reconnue pour {column} : elle est traitée comme non renseignée. Valeurs acceptées : {allowed}."),
            )
            .column(column)
            .value(raw)
            .id(id)
        });
    }

    fn category(&mut self, category: Category, raw: &str) -> Option<&'static str> {
        match self.memo.read(category, raw) {
            Reading::NotFilled => None,
            Reading::Code(code) => Some(code),
            Reading::Unknown(normalized) => {
                self.unrecognised(category.field(), raw, normalized, allowed_values(category));
                None
            }
        }
    }

    /// A `|`-separated cell: recognised codes in the spec's order, each once.
    /// Unrecognised parts are reported and dropped; for `tnd`, `aucun` next
    /// to another value is reported and dropped.
    fn multi(&mut self, category: Category, raw: &str) -> Option<String> {
        let mut codes = Vec::new();
        for part in raw.split('|') {
            match self.memo.read(category, part) {
                Reading::NotFilled => {}
                Reading::Code(code) => codes.push(code),
                Reading::Unknown(normalized) => self.unrecognised(
                    category.field(),
                    part.trim(),
                    normalized,
                    allowed_values(category),
                ),
            }
        }
        if category == Category::Tnd
            && codes.contains(&"aucun")
            && codes.iter().any(|&c| c != "aucun")
        {
            self.sink.push(
                Finding::new(
                    Rule::TndContradictoire,
                    &self.file.name,
                    Some(self.line),
                    "« aucun » TND est indiqué avec d'autres TND : les autres valeurs sont retenues. Retirez « aucun » ou les autres valeurs.".to_string(),
                )
                .column("tnd")
                .value(raw)
                .id(self.id),
            );
            codes.retain(|&c| c != "aucun");
        }
        let order: Vec<&str> = category.values().iter().map(|v| v.code).collect();
        codes.sort_by_key(|code| order.iter().position(|o| o == code));
        codes.dedup();
        (!codes.is_empty()).then(|| codes.join("|"))
    }

    fn birth_date(&mut self, raw: &str) -> Option<i32> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let date = parse_date(raw);
        if date.is_none() {
            self.sink.push(
                Finding::new(
                    Rule::DateNaissanceInvalide,
                    &self.file.name,
                    Some(self.line),
                    "Date de naissance illisible : l'âge est inconnu. Écrivez la date au format JJ/MM/AAAA ou AAAA-MM-JJ.".to_string(),
                )
                .column("date_naissance")
                .value(raw)
                .id(self.id)
                .sensitive(),
            );
        }
        date
    }

    fn departement(&mut self, raw: &str) -> Option<&'static str> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let code = canonical_departement(raw);
        if code.is_none() {
            let normalized = normalize(raw);
            self.unrecognised(
                "departement",
                raw,
                normalized,
                "01 à 95, 2A, 2B, 971 à 976 (sans le 20)".to_string(),
            );
        }
        code
    }

    fn team(&mut self, reading: TeamReading, raw: &str) -> Option<String> {
        let Some(code) = reading.scope else {
            self.sink.push(
                Finding::new(
                    Rule::EquipeManquante,
                    &self.file.name,
                    Some(self.line),
                    "Équipe non renseignée : la ligne compte au niveau national mais pour aucune équipe. Renseignez le code de l'équipe.".to_string(),
                )
                .column("equipe")
                .id(self.id),
            );
            return None;
        };
        if reading.known {
            return Some(code);
        }
        let (file, id, line) = (self.file, self.id, self.line);
        self.sink.merge((Rule::EquipeInconnue, file.kind.stem(), "equipe", code.clone()), line, || {
            Finding::new(
                Rule::EquipeInconnue,
                &file.name,
                Some(line),
                format!(
                    "Équipe « {raw} » absente du référentiel : ses lignes comptent au niveau national et forment le périmètre {code}. Corrigez le code ou ajoutez l'équipe au référentiel (--teams)."
                ),
            )
            .column("equipe")
            .value(raw)
            .id(id)
        });
        Some(code)
    }

    fn duration(&mut self, raw: &str) -> Option<i32> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let minutes = raw.parse::<u16>().ok().map(i32::from);
        if minutes.is_none() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            self.sink.push(
                Finding::new(
                    Rule::DureeInvalide,
                    &self.file.name,
                    Some(self.line),
                    format!("Durée « {raw} » illisible : elle est ignorée. Indiquez un nombre entier de minutes (par exemple 45)."),
                )
                .column("duree_minutes")
                .value(raw)
                .id(self.id),
            );
            return None;
        }
        minutes
    }

    fn unknown_person(&mut self, id_usager: &str) {
        let (file, id, line) = (self.file, self.id, self.line);
        self.sink.merge((Rule::UsagerInconnu, file.kind.stem(), "id_usager", id_usager.to_string()), line, || {
            Finding::new(
                Rule::UsagerInconnu,
                &file.name,
                Some(line),
                format!(
                    "L'usager {id_usager} est absent de usagers.csv : ses lignes sont comptées mais son profil est non renseigné. Ajoutez l'usager à l'export ou corrigez l'identifiant."
                ),
            )
            .column("id_usager")
            .value(id_usager)
            .id(id)
        });
    }
}

fn allowed_values(category: Category) -> String {
    let codes: Vec<&str> = category.values().iter().map(|v| v.code).collect();
    codes.join(", ")
}
