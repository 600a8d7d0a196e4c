//! Findings (SPEC §3): every problem met in an export, as data. A finding
//! names the file, the physical line, the column, the value, a stable rule
//! code and a French message saying how to fix it.

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

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
    /// The header line appears again inside the file: row excluded.
    EnteteRepetee,
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
    /// An action's `participants` is not a whole number ≥ 0.
    ParticipantsInvalide,
}

impl Rule {
    pub const ALL: [Rule; 16] = [
        Rule::IdManquant,
        Rule::IdEnDouble,
        Rule::DateInvalide,
        Rule::LigneIrreguliere,
        Rule::EnteteRepetee,
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
        Rule::ParticipantsInvalide,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::IdManquant => "id_manquant",
            Rule::IdEnDouble => "id_en_double",
            Rule::DateInvalide => "date_invalide",
            Rule::LigneIrreguliere => "ligne_irreguliere",
            Rule::EnteteRepetee => "entete_repetee",
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
            Rule::ParticipantsInvalide => "participants_invalide",
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
                | Rule::EnteteRepetee
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
            Rule::EnteteRepetee => "Ligne d'en-tête répétée dans le fichier : la ligne est ignorée.",
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
            Rule::ParticipantsInvalide => "Nombre de participants d'une action collective qui n'est pas un entier positif ou nul : il est traité comme non renseigné.",
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

/// What makes two findings one: rule, file, column and normalised value.
pub type MergeKey = (Rule, &'static str, &'static str, String);

/// Collects findings; those reported once per distinct value are merged
/// as they come (count and first lines), keeping the order of first sight.
#[derive(Debug, Default)]
pub struct FindingSink {
    findings: Vec<Finding>,
    merged: HashMap<MergeKey, usize>,
    /// The team of the row being checked, given to its findings.
    pub current_team: Option<String>,
}

impl FindingSink {
    pub fn push(&mut self, mut finding: Finding) {
        finding.team.clone_from(&self.current_team);
        self.findings.push(finding);
    }

    /// Adds one occurrence of a finding reported once per distinct value:
    /// `key` identifies it (rule, file, column, normalised value) and `make`
    /// builds it on first sight; later occurrences add to its count and lines.
    pub fn merge(&mut self, key: MergeKey, line: u64, make: impl FnOnce() -> Finding) {
        match self.merged.get(&key) {
            Some(&index) => {
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

    pub fn into_vec(self) -> Vec<Finding> {
        self.findings
    }
}
