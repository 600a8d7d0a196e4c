//! Findings (SPEC §3): every problem met in an export, as data. A finding
//! names the file, the physical line, the column, the value, a stable rule
//! code and a French message saying how to fix it.

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

pub use crate::ingest::is_blank;
use crate::ingest::{line_breaks, ColumnMap, NotData, Row, SourceFile};

/// How many line numbers an aggregated finding lists.
pub const FIRST_LINES: usize = 5;

/// The rules, with stable codes (used in `findings.csv` and `--format json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The row's own id, or its `id_usager`, is empty: row excluded.
    IdManquant,
    /// The id was already seen earlier in the file: the later row is excluded.
    IdEnDouble,
    /// A demande/intervention/action date is empty or unparseable: row excluded.
    DateInvalide,
    /// The row has the wrong number of fields: row excluded.
    LigneIrreguliere,
    /// (v3) A later line repeats the header line (an export pasted under
    /// another): not data.
    EnteteRepete,
    /// A demande/intervention names a person missing from `usagers.csv`.
    UsagerInconnu,
    /// A categorical value matches no code or label: treated as not filled.
    ValeurNonReconnue,
    /// A birth date that cannot be read: age unknown.
    DateNaissanceInvalide,
    /// A birth date after 31 December of Y or more than 120 years before it.
    DateNaissanceHorsLimites,
    /// A team code or name missing from the referential.
    EquipeInconnue,
    /// No team on a demande/intervention/action: counted nationally only.
    EquipeManquante,
    /// `aucun` next to another TND: the other values win.
    TndContradictoire,
    /// A duration that cannot be read: not a whole number of minutes
    /// (interventions), not a number of hours ≥ 0 (actions).
    DureeInvalide,
    /// Two headers of one file map to the same column.
    ColonneEnDouble,
    /// No demande before 1 January Y: new persons cannot be told apart.
    HistoriqueAbsent,
    /// Every cell of the row is empty (`;;;;;` left by a spreadsheet, or
    /// an empty line): row excluded (one finding per file, with a count).
    LigneVide,
    /// A line above the header line (a title, an export date): not data.
    Preambule,
    /// An action's `participants` is not a whole number ≥ 0.
    ParticipantsInvalide,
    /// (v3) A line of the footer below the table (`Nombre de lignes : 2345`,
    /// `Exporté le …`): not data.
    PiedDePage,
    /// (v3) A Windows-1252 line in a file whose other non-ASCII lines are
    /// UTF-8: read as Windows-1252, its accents right.
    EncodageMixte,
    /// (v3) `aucun` next to another value of `troubles_associes` or
    /// `accompagnements`: the other values win (as for `tnd`).
    AucunContradictoire,
    /// (v3) A part of `code_orpha` that is not an ORPHA code: dropped.
    CodeOrphaInvalide,
}

impl Rule {
    pub const ALL: [Rule; 22] = [
        Rule::IdManquant,
        Rule::IdEnDouble,
        Rule::DateInvalide,
        Rule::LigneIrreguliere,
        Rule::EnteteRepete,
        Rule::UsagerInconnu,
        Rule::ValeurNonReconnue,
        Rule::DateNaissanceInvalide,
        Rule::DateNaissanceHorsLimites,
        Rule::EquipeInconnue,
        Rule::EquipeManquante,
        Rule::TndContradictoire,
        Rule::DureeInvalide,
        Rule::ColonneEnDouble,
        Rule::HistoriqueAbsent,
        Rule::LigneVide,
        Rule::Preambule,
        Rule::ParticipantsInvalide,
        Rule::PiedDePage,
        Rule::EncodageMixte,
        Rule::AucunContradictoire,
        Rule::CodeOrphaInvalide,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::IdManquant => "id_manquant",
            Rule::IdEnDouble => "id_en_double",
            Rule::DateInvalide => "date_invalide",
            Rule::LigneIrreguliere => "ligne_irreguliere",
            Rule::EnteteRepete => "entete_repete",
            Rule::UsagerInconnu => "usager_inconnu",
            Rule::ValeurNonReconnue => "valeur_non_reconnue",
            Rule::DateNaissanceInvalide => "date_naissance_invalide",
            Rule::DateNaissanceHorsLimites => "date_naissance_hors_limites",
            Rule::EquipeInconnue => "equipe_inconnue",
            Rule::EquipeManquante => "equipe_manquante",
            Rule::TndContradictoire => "tnd_contradictoire",
            Rule::DureeInvalide => "duree_invalide",
            Rule::ColonneEnDouble => "colonne_en_double",
            Rule::HistoriqueAbsent => "historique_absent",
            Rule::LigneVide => "ligne_vide",
            Rule::Preambule => "preambule",
            Rule::ParticipantsInvalide => "participants_invalide",
            Rule::PiedDePage => "pied_de_page",
            Rule::EncodageMixte => "encodage_mixte",
            Rule::AucunContradictoire => "aucun_contradictoire",
            Rule::CodeOrphaInvalide => "code_orpha_invalide",
        }
    }

    /// True when a row breaking this rule is left out of every count.
    pub fn excludes_row(self) -> bool {
        matches!(
            self,
            Rule::IdManquant
                | Rule::IdEnDouble
                | Rule::DateInvalide
                | Rule::LigneIrreguliere
                | Rule::LigneVide
        )
    }

    /// What the rule means and what it does to the figures, in French, for
    /// the report's data-quality section.
    pub fn explanation(self) -> &'static str {
        match self {
            Rule::IdManquant => "Identifiant de la ligne ou de l'usager vide : la ligne n'est pas comptée.",
            Rule::IdEnDouble => "Identifiant déjà présent plus haut dans le fichier : seule la première ligne est comptée.",
            Rule::DateInvalide => "Date de demande, d'intervention ou d'action vide ou illisible : la ligne n'est pas comptée.",
            Rule::LigneIrreguliere => "Ligne dont le nombre de champs diffère de l'en-tête : la ligne n'est pas comptée.",
            Rule::EnteteRepete => "Ligne d'en-tête répétée plus bas dans le fichier (exports mis bout à bout) : elle n'est pas lue comme une donnée.",
            Rule::UsagerInconnu => "Usager absent de usagers.csv : ses demandes et interventions comptent, son profil est non renseigné.",
            Rule::ValeurNonReconnue => "Valeur hors nomenclature : elle est traitée comme non renseignée.",
            Rule::DateNaissanceInvalide => "Date de naissance illisible : l'âge est inconnu.",
            Rule::DateNaissanceHorsLimites => "Date de naissance après la fin de l'année ou plus de 120 ans avant : l'âge est inconnu.",
            Rule::EquipeInconnue => "Équipe absente du référentiel : ses lignes comptent au niveau national et forment un périmètre à part.",
            Rule::EquipeManquante => "Équipe non renseignée : la ligne compte au niveau national seulement.",
            Rule::TndContradictoire => "« aucun » TND coché avec d'autres TND : les autres valeurs sont retenues.",
            Rule::DureeInvalide => "Durée illisible (intervention : nombre entier de minutes ; action collective : nombre d'heures) : elle est ignorée.",
            Rule::ColonneEnDouble => "Deux colonnes désignent la même donnée : seule la première reconnue est lue.",
            Rule::HistoriqueAbsent => "Aucune demande avant l'année du bilan : les nouvelles personnes ne se distinguent pas des personnes déjà connues.",
            Rule::LigneVide => "Ligne dont toutes les cellules sont vides : la ligne n'est pas comptée.",
            Rule::Preambule => "Ligne au-dessus de la ligne d'en-tête (titre, date d'export) : elle n'est pas lue comme une donnée.",
            Rule::ParticipantsInvalide => "Nombre de participants d'une action collective qui n'est pas un entier positif ou nul : il est traité comme non renseigné.",
            Rule::PiedDePage => "Ligne de pied de page sous le tableau (nombre de lignes, date d'export, total) : elle n'est pas lue comme une donnée.",
            Rule::EncodageMixte => "Ligne enregistrée en Windows-1252 dans un fichier UTF-8 (fichier assemblé à partir de deux outils) : elle est lue en Windows-1252, ses accents sont corrects.",
            Rule::AucunContradictoire => "« aucun » coché avec d'autres valeurs (troubles associés, accompagnements) : les autres valeurs sont retenues.",
            Rule::CodeOrphaInvalide => "Code ORPHA illisible (ni un numéro, ni ORPHA: suivi d'un numéro) : il est ignoré ; les autres codes de la cellule sont lus.",
        }
    }
}

/// One problem found in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub file: String,
    /// Physical line (header = 1) of the first occurrence; `None` for a
    /// finding about the whole export.
    pub line: Option<u64>,
    /// The spec's column name.
    pub column: Option<String>,
    pub value: Option<String>,
    /// The pseudonymous id of the row (person, demande, intervention or action).
    pub id: Option<String>,
    /// How many rows share this finding (1 for a row finding).
    pub count: u64,
    /// The first lines where it occurs (at most [`FIRST_LINES`]).
    pub lines: Vec<u64>,
    /// Whether the value is personal data that a published output must mask.
    #[serde(skip)]
    pub sensitive: bool,
    /// The team of the row (demandes, interventions, actions), for the team's
    /// own report; an aggregated finding has the team of its first row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// In French: what is wrong and how to fix it.
    pub message: String,
}

impl Finding {
    pub fn new(rule: Rule, file: &str, line: Option<u64>, message: String) -> Self {
        Self {
            rule,
            file: file.to_string(),
            line,
            column: None,
            value: None,
            id: None,
            count: 1,
            lines: line.into_iter().collect(),
            sensitive: false,
            team: None,
            message,
        }
    }

    pub fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    pub fn value(mut self, value: &str) -> Self {
        self.value = Some(value.to_string());
        self
    }

    pub fn id(mut self, id: &str) -> Self {
        if !id.is_empty() {
            self.id = Some(id.to_string());
        }
        self
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// One finding per line above the header line of a file (a title, an
/// export date, an empty line): it is not data, and says so rather than
/// vanish. Its value is the first text on the line.
pub fn preamble(file: &SourceFile) -> impl Iterator<Item = Finding> + '_ {
    file.preamble.iter().map(|above| {
        let finding = Finding::new(
            Rule::Preambule,
            &file.name,
            Some(above.line),
            format!(
                "Ligne située au-dessus de la ligne d'en-tête (ligne {}) : elle n'est pas lue comme une donnée. Rien à corriger si c'est un titre ; sinon, placez l'en-tête sur la première ligne.",
                file.header_line
            ),
        );
        match &above.text {
            Some(text) => finding.value(text),
            None => finding,
        }
    })
}

/// One finding per line of a file decoded as Windows-1252 while its other
/// non-ASCII lines are UTF-8 (v3): its accents read right, but the file
/// should be saved again in one encoding.
pub fn mixed_encoding(file: &SourceFile) -> impl Iterator<Item = Finding> + '_ {
    file.mixed_lines.iter().map(|&line| {
        Finding::new(
            Rule::EncodageMixte,
            &file.name,
            Some(line),
            "Ligne enregistrée en Windows-1252 alors que le reste du fichier est en UTF-8 (fichier assemblé à partir de deux outils) : elle est lue en Windows-1252 et ses accents sont corrects. Pour un fichier homogène, ouvrez-le dans un tableur et enregistrez-le entier en CSV UTF-8.".to_string(),
        )
    })
}

/// One finding per line below the header that is not data (v3): a line
/// repeating the header line, a line of the footer. The value of a footer
/// line is its first text.
pub fn not_data_findings(file: &SourceFile, lines: &NotData) -> Vec<Finding> {
    let mut findings: Vec<Finding> = lines
        .repeated_headers
        .iter()
        .map(|&line| {
            Finding::new(
                Rule::EnteteRepete,
                &file.name,
                Some(line),
                format!(
                    "La ligne d'en-tête (ligne {}) est répétée ici (exports mis bout à bout ?) : elle n'est pas lue comme une donnée. Supprimez cette ligne ; les lignes en dessous sont lues normalement.",
                    file.header_line
                ),
            )
        })
        .collect();
    findings.extend(lines.footer.iter().map(|below| {
        let finding = Finding::new(
            Rule::PiedDePage,
            &file.name,
            Some(below.line),
            "Ligne de pied de page sous le tableau (nombre de lignes, date d'export, total, ligne sans identifiant) : elle n'est pas lue comme une donnée. Rien à corriger si c'est un pied de page ; si c'est une donnée, renseignez son identifiant et toutes ses colonnes.".to_string(),
        );
        match &below.text {
            Some(text) => finding.value(text),
            None => finding,
        }
    }));
    findings.sort_by_key(|f| f.line);
    findings
}

/// What makes two findings one: rule, file, column and normalised value.
pub type MergeKey = (Rule, &'static str, &'static str, String);

/// Collects findings; those reported once per distinct value are merged
/// as they come (count and first lines), keeping the order of first sight.
#[derive(Debug, Default)]
pub struct FindingSink {
    findings: Vec<Finding>,
    merged: HashMap<(MergeKey, u32), usize>,
    /// The team of the row being checked, given to its findings.
    pub current_team: Option<String>,
    /// The columns of the row being checked whose cell starts below the
    /// row's first line (after a quoted line break), with that line.
    cell_lines: Vec<(&'static str, u64)>,
    /// Which file is being checked (v3: a table may be read from several,
    /// and a finding merged per value is one per file).
    file: u32,
    /// How many occurrences were reported, merged or not: a reading that
    /// leaves it unchanged reported nothing ([`FindingSink::reported`]).
    reported: u64,
}

impl FindingSink {
    /// Notes the row about to be checked. When a quoted line break makes it
    /// span several physical lines, a finding about one of its cells names
    /// the line that cell starts on, where its value stands (SPEC §3).
    pub fn start_row(&mut self, columns: &ColumnMap, row: &Row<'_>) {
        self.cell_lines.clear();
        if !row.spans_lines {
            return;
        }
        let (line, record) = (row.line, row.record);
        let mut starts = Vec::with_capacity(record.len());
        let mut at = line;
        for field in record.iter() {
            starts.push(at);
            at += line_breaks(field);
        }
        for (column, index) in columns.positions() {
            match starts.get(index) {
                Some(&start) if start != line => self.cell_lines.push((column, start)),
                _ => {}
            }
        }
    }

    /// The line a finding about `column` of the current row names.
    pub fn line_of(&self, column: &str, line: u64) -> u64 {
        self.cell_lines
            .iter()
            .find(|(c, _)| *c == column)
            .map_or(line, |&(_, start)| start)
    }

    pub fn push(&mut self, mut finding: Finding) {
        self.reported += 1;
        finding.team.clone_from(&self.current_team);
        if let (Some(column), Some(line)) = (&finding.column, finding.line) {
            let start = self.line_of(column, line);
            if start != line {
                finding.line = Some(start);
                finding.lines = vec![start];
            }
        }
        self.findings.push(finding);
    }

    /// Adds one occurrence of a finding reported once per distinct value:
    /// `key` identifies it (rule, file, column, normalised value) and `make`
    /// builds it on first sight; later occurrences add to its count and lines.
    pub fn merge(&mut self, key: MergeKey, line: u64, make: impl FnOnce() -> Finding) {
        let line = self.line_of(key.2, line);
        let key = (key, self.file);
        match self.merged.get(&key) {
            Some(&index) => {
                self.reported += 1;
                let finding = &mut self.findings[index];
                finding.count += 1;
                if finding.lines.len() < FIRST_LINES {
                    finding.lines.push(line);
                }
            }
            None => {
                self.merged.insert(key, self.findings.len());
                self.push(make());
            }
        }
    }

    /// How many occurrences of findings were reported so far: a cell whose
    /// reading leaves it unchanged gave no finding, so the same text reads
    /// the same on any row (the readings cached by text rely on it).
    pub fn reported(&self) -> u64 {
        self.reported
    }

    /// Starts the next file: findings merged per value are merged anew.
    pub fn next_file(&mut self) {
        self.file += 1;
    }

    /// Reports a blank row ([`is_blank`]). Blank rows are one finding per
    /// file, with their count and first lines: a sheet can hold thousands
    /// of them below its table.
    pub fn blank_row(&mut self, file: &SourceFile, line: u64) {
        let key = (Rule::LigneVide, file.kind.stem(), "", String::new());
        self.merge(key, line, || {
            Finding::new(
                Rule::LigneVide,
                &file.name,
                Some(line),
                "Ligne vide (toutes les cellules sont vides) : la ligne n'est pas comptée. Supprimez les lignes vides du tableau avant l'export.".to_string(),
            )
        });
    }

    /// Adds the findings of another sink after these (a file checked on
    /// another thread); its merged findings go on merging.
    pub fn append(&mut self, other: FindingSink) {
        let offset = self.findings.len();
        self.merged
            .extend(other.merged.into_iter().map(|(key, at)| (key, at + offset)));
        self.findings.extend(other.findings);
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.findings
    }
}
