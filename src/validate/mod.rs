//! Stage 2 — raw rows → typed clean tables + findings (SPEC §2.2–2.4, §3).
//!
//! Each row of each file is checked once, in file order: a row breaking an
//! excluding rule becomes a finding and is left out; the others become a
//! typed row whose unreadable cells are *not filled in* (with a finding).
//! The counts of rows read, kept and excluded per file always add up.
//! Person ids and team scopes are numbered once ([`Interner`]); the tables
//! hold the numbers.

mod dates;
mod findings;
mod ids;

use anyhow::Result;
use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

pub use dates::{format_date, parse_date, year_of};
pub use findings::{is_blank, preamble, Finding, FindingSink, MergeKey, Rule, FIRST_LINES};
pub use ids::Interner;

use crate::ingest::{Export, SourceFile};
use crate::normalize::{cell_is_not_filled, is_not_filled, normalize};
use crate::reference::{
    canonical_departement, region_of, Category, CategoryValue, FileKind, Teams,
};

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
    /// Person ids: first the kept persons of `usagers.csv` in file order,
    /// then the ids that only demandes or interventions name.
    pub person_ids: Interner,
    /// Team scopes: a code of the referential, or an unknown team as
    /// written (trimmed, upper case).
    pub scopes: Interner,
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

/// Checks every row of an export. Fails only when a file cannot be read.
pub fn check(export: &Export, teams: &Teams) -> Result<CleanExport> {
    let mut sink = FindingSink::default();
    let mut files = Vec::new();
    for file in &export.files {
        preamble(file).for_each(|finding| sink.push(finding));
        for duplicate in &file.columns.duplicates {
            sink.push(
                Finding::new(
                    Rule::ColonneEnDouble,
                    &file.name,
                    Some(file.header_line),
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
    let (persons, mut person_ids, summary) = check_usagers(usagers, &mut sink)?;
    files.push(summary);
    let mut scopes = Interner::default();
    let mut acts = Vec::new();
    for kind in [FileKind::Demandes, FileKind::Interventions] {
        let mut registry = Registry {
            teams,
            persons: persons.len(),
            person_ids: &mut person_ids,
            scopes: &mut scopes,
        };
        let (table, summary) = check_acts(export.file(kind), &mut registry, &mut sink)?;
        acts.push(table);
        files.push(summary);
    }
    let interventions = acts.pop().unwrap_or_default();
    let demandes = acts.pop().unwrap_or_default();
    Ok(CleanExport {
        persons,
        demandes,
        interventions,
        person_ids,
        scopes,
        files,
        findings: sink.into_vec(),
    })
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
    for (((&birth, written), &line), id) in export
        .persons
        .birth
        .iter()
        .zip(&export.persons.birth_written)
        .zip(&export.persons.line)
        .zip(export.person_ids.iter())
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
                .value(written.as_deref().unwrap_or(&format_date(birth)))
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

/// The cell at a column's position, `""` when the file has no such column.
fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|i| record.get(i)).map_or("", str::trim)
}

/// The ids a file has seen, numbered, with the line of each first sight.
#[derive(Default)]
struct Seen {
    ids: Interner,
    lines: Vec<u64>,
}

/// The two id columns of a file: its own (`id_usager` for `usagers.csv`)
/// and the person's, with their positions.
struct IdColumns {
    own: &'static str,
    own_at: Option<usize>,
    person_at: Option<usize>,
}

impl IdColumns {
    fn new(file: &SourceFile, own: &'static str) -> Self {
        Self {
            own,
            own_at: file.columns.get(own),
            person_at: file.columns.get("id_usager"),
        }
    }
}

/// What the first checks of a row decided, shared by every file.
enum RowStart<'r> {
    Excluded,
    Kept { id: &'r str },
}

/// The checks every file shares, in the order of SPEC §3: blank row,
/// ragged row, repeated header, empty ids, id already seen.
fn start_row<'r>(
    file: &SourceFile,
    line: u64,
    record: &'r csv::StringRecord,
    columns: &IdColumns,
    seen: &mut Seen,
    sink: &mut FindingSink,
) -> RowStart<'r> {
    if sink.blank_row(file, line, record) {
        return RowStart::Excluded;
    }
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
            .id(cell(record, columns.own_at)),
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
    let id_column = columns.own;
    let id = cell(record, columns.own_at);
    let id_usager = cell(record, columns.person_at);
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
    if let Err(first) = seen.ids.insert(id) {
        let first = seen.lines[first as usize];
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
    seen.lines.push(line);
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

/// Checks `usagers.csv`: the kept persons, and their ids numbered in order.
fn check_usagers(
    file: &SourceFile,
    sink: &mut FindingSink,
) -> Result<(Persons, Interner, FileSummary)> {
    let mut persons = Persons::default();
    let mut seen = Seen::default();
    let mut memo = Memo::default();
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, "id_usager");
    let at = |column: &str| file.columns.get(column);
    let (birth_at, departement_at, sexe_at) = (at("date_naissance"), at("departement"), at("sexe"));
    let (lieu_at, maladie_at, orpha_at) = (at("lieu_de_vie"), at("maladie_rare"), at("code_orpha"));
    let (deficiences_at, tnd_at, scolarisation_at) =
        (at("deficiences"), at("tnd"), at("scolarisation"));
    file.for_each_row(|row| {
        tally.read += 1;
        let (line, record) = (row.line, row.record);
        sink.start_row(&file.columns, line, record);
        let RowStart::Kept { id } = start_row(file, line, record, &ids, &mut seen, sink) else {
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
        let birth = values.birth_date(cell(record, birth_at));
        let written = cell(record, birth_at);
        persons.birth_written.push(
            birth
                .filter(|&b| format_date(b) != written)
                .map(|_| written.into()),
        );
        let departement = values.departement(cell(record, departement_at));
        persons
            .line
            .push(values.sink.line_of("date_naissance", line));
        persons.birth.push(birth);
        persons.region.push(departement.and_then(region_of));
        persons.departement.push(departement);
        persons
            .sexe
            .push(values.category(Category::Sexe, cell(record, sexe_at)));
        persons
            .lieu_de_vie
            .push(values.category(Category::LieuDeVie, cell(record, lieu_at)));
        persons
            .maladie_rare
            .push(values.category(Category::MaladieRare, cell(record, maladie_at)));
        persons
            .code_orpha
            .push(!cell_is_not_filled(cell(record, orpha_at)));
        persons
            .deficiences
            .push(values.multi(Category::Deficiences, cell(record, deficiences_at)));
        persons
            .tnd
            .push(values.multi(Category::Tnd, cell(record, tnd_at)));
        persons
            .scolarisation
            .push(values.category(Category::Scolarisation, cell(record, scolarisation_at)));
    })?;
    let summary = tally.summary(file);
    Ok((persons, seen.ids, summary))
}

/// What the act files share while they are checked: the referential, the
/// numbered person ids (the first `persons` are those of `usagers.csv`;
/// unknown ones are added) and the numbered team scopes.
struct Registry<'a> {
    teams: &'a Teams,
    persons: usize,
    person_ids: &'a mut Interner,
    scopes: &'a mut Interner,
}

fn check_acts(
    file: &SourceFile,
    registry: &mut Registry<'_>,
    sink: &mut FindingSink,
) -> Result<(Acts, FileSummary)> {
    let (id_column, date_column, category) = match file.kind {
        FileKind::Demandes => ("id_demande", "date_demande", Category::Origine),
        _ => (
            "id_intervention",
            "date_intervention",
            Category::TypeIntervention,
        ),
    };
    let mut acts = Acts {
        values: category.values(),
        ..Acts::default()
    };
    let mut seen = Seen::default();
    let mut memo = Memo::default();
    let mut tally = Tally { read: 0, kept: 0 };
    let ids = IdColumns::new(file, id_column);
    let at = |column: &str| file.columns.get(column);
    let (team_at, date_at, category_at) = (at("equipe"), at(date_column), at(category.field()));
    let duree_at = match file.kind {
        FileKind::Interventions => at("duree_minutes"),
        _ => None,
    };
    // The team of the current row, as given to the sink's findings.
    let mut current: Option<u32> = None;
    file.for_each_row(|row| {
        tally.read += 1;
        let (line, record) = (row.line, row.record);
        sink.start_row(&file.columns, line, record);
        let team_cell = cell(record, team_at);
        let team = memo.team(registry.teams, registry.scopes, team_cell);
        if team.scope != current {
            current = team.scope;
            sink.current_team = current.map(|t| registry.scopes.get(t).to_string());
        }
        let RowStart::Kept { id } = start_row(file, line, record, &ids, &mut seen, sink) else {
            return;
        };
        let date_cell = cell(record, date_at);
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
        let id_usager = cell(record, ids.person_at);
        let person = registry.person_ids.insert(id_usager).unwrap_or_else(|k| k);
        let mut values = Values { file, line, id, sink: &mut *sink, memo: &mut memo };
        if person as usize >= registry.persons {
            values.unknown_person(id_usager);
        }
        let scope = team.scope.map(|t| registry.scopes.get(t));
        acts.team.push(values.team(team.scope, team.known, scope, team_cell));
        acts.person.push(person);
        acts.date.push(date);
        let code = values.category(category, cell(record, category_at));
        acts.category.push(code.and_then(|code| {
            let position = acts.values.iter().position(|v| v.code == code)?;
            u8::try_from(position).ok()
        }));
        let duree = if duree_at.is_some() {
            values.duration(cell(record, duree_at))
        } else {
            None
        };
        acts.duree.push(duree);
    })?;
    sink.current_team = None;
    let summary = tally.summary(file);
    Ok((acts, summary))
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

/// What a team cell stands for: its scope's number (`None` when not filled
/// in) and whether the referential knows it.
#[derive(Debug, Clone, Copy)]
struct TeamReading {
    scope: Option<u32>,
    known: bool,
}

impl Memo {
    fn team(&mut self, teams: &Teams, scopes: &mut Interner, raw: &str) -> TeamReading {
        if let Some(&reading) = self.teams.get(raw) {
            return reading;
        }
        let mut scope = |name: &str| Some(scopes.insert(name).unwrap_or_else(|k| k));
        let reading = if is_not_filled(&normalize(raw)) {
            TeamReading {
                scope: None,
                known: false,
            }
        } else {
            match teams.lookup(raw) {
                Some(team) => TeamReading {
                    scope: scope(&team.code),
                    known: true,
                },
                None => TeamReading {
                    scope: scope(&raw.trim().to_uppercase()),
                    known: false,
                },
            }
        };
        self.teams.insert(raw.to_string(), reading);
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

    /// A team cell read as `scope` (named `name`): reports an empty or an
    /// unknown team, and keeps the scope.
    fn team(
        &mut self,
        scope: Option<u32>,
        known: bool,
        name: Option<&str>,
        raw: &str,
    ) -> Option<u32> {
        let (Some(scope), Some(code)) = (scope, name) else {
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
        if known {
            return Some(scope);
        }
        let (file, id, line) = (self.file, self.id, self.line);
        self.sink.merge((Rule::EquipeInconnue, file.kind.stem(), "equipe", code.to_string()), line, || {
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
        Some(scope)
    }

    fn duration(&mut self, raw: &str) -> Option<u16> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let minutes = raw.parse::<u16>().ok();
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
