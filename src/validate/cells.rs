//! Reading the cells of a kept row: categories (with a per-file cache of
//! each spelling's reading), multi-valued fields, dates, départements,
//! teams and durations, each unreadable value a finding.

use rustc_hash::FxHashMap as HashMap;

use super::numbers::{parse_hours, parse_whole, HoursError};
use super::{parse_date, Finding, FindingSink, Hours, Interner, Rule};
use crate::catalog::NONE;
use crate::format::shown;
use crate::ingest::SourceFile;
use crate::normalize::{cell_is_not_filled, is_not_filled, normalize};
use crate::reference::{canonical_departement, parse_orpha, region_of, Category, Teams};

/// Reads the cells of one kept row, reporting what it cannot read.
pub(super) struct CellReader<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) line: u64,
    pub(super) id: &'a str,
    pub(super) sink: &'a mut FindingSink,
    pub(super) memo: &'a mut ReadingCache,
}

/// What a categorical cell reads as, remembered by its raw text: a column
/// holds a handful of spellings, so each is normalised once per file.
#[derive(Debug, Clone)]
pub(super) enum Reading {
    NotFilled,
    /// A code, and its position in the category's values.
    Code(&'static str, u8),
    /// Unrecognised, with its normalised form (the finding's key).
    Unknown(String),
}

/// One table of readings per category, looked up by `&str` without
/// allocating; and the same for team cells.
#[derive(Default)]
pub(super) struct ReadingCache {
    pub(super) readings: [HashMap<String, Reading>; Category::ALL.len()],
    pub(super) teams: HashMap<String, TeamReading>,
    /// The canonical code of each spelling of a département, and its
    /// région.
    pub(super) departements: HashMap<String, Option<(&'static str, Option<&'static str>)>>,
}

/// What a team cell stands for: its scope's number (`None` when not filled
/// in) and whether the referential knows it.
#[derive(Debug, Clone, Copy)]
pub(super) struct TeamReading {
    pub(super) scope: Option<u32>,
    pub(super) known: bool,
}

impl ReadingCache {
    pub(super) fn team(&mut self, teams: &Teams, scopes: &mut Interner, raw: &str) -> TeamReading {
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

    pub(super) fn read(&mut self, category: Category, raw: &str) -> Reading {
        let table = &mut self.readings[category as usize];
        if let Some(reading) = table.get(raw) {
            return reading.clone();
        }
        let normalized = normalize(raw);
        let reading = if is_not_filled(&normalized) {
            Reading::NotFilled
        } else {
            match category.lookup(&normalized) {
                Some(code) => {
                    let values = category.values();
                    let position = values.iter().position(|v| v.code == code);
                    match position.and_then(|k| u8::try_from(k).ok()) {
                        Some(k) => Reading::Code(code, k),
                        None => Reading::Unknown(normalized),
                    }
                }
                None => Reading::Unknown(normalized),
            }
        };
        table.insert(raw.to_string(), reading.clone());
        reading
    }
}

impl CellReader<'_> {
    pub(super) fn unrecognised(
        &mut self,
        column: &'static str,
        raw: &str,
        key: String,
        allowed: String,
    ) {
        let (file, id) = (self.file, self.id);
        self.sink.merge((Rule::ValeurNonReconnue, file.kind.stem(), column, key), self.line, || {
            Finding::new(
                Rule::ValeurNonReconnue,
                &file.name,
                Some(self.line),
                format!("Valeur « {} » non reconnue pour {column} : elle est traitée comme non renseignée. Valeurs acceptées : {allowed}.", shown(raw)),
            )
            .column(column)
            .value(raw)
            .id(id)
        });
    }

    pub(super) fn category(&mut self, category: Category, raw: &str) -> Option<&'static str> {
        match self.memo.read(category, raw) {
            Reading::NotFilled => None,
            Reading::Code(code, _) => Some(code),
            Reading::Unknown(normalized)
                if category == Category::LieuDeVie
                    && Category::Situation.lookup(&normalized).is_some() =>
            {
                self.situation_in_lieu_de_vie(raw, normalized);
                None
            }
            Reading::Unknown(normalized) => {
                self.unrecognised(category.field(), raw, normalized, allowed_values(category));
                None
            }
        }
    }

    /// « Sans solution » describes the accompaniment, not the place of
    /// residence (SPEC §2.2 v2): said once per spelling, with where it goes.
    fn situation_in_lieu_de_vie(&mut self, raw: &str, key: String) {
        let (file, id, line) = (self.file, self.id, self.line);
        self.sink.merge(
            (Rule::ValeurNonReconnue, file.kind.stem(), "lieu_de_vie", key),
            line,
            || {
                Finding::new(
                    Rule::ValeurNonReconnue,
                    &file.name,
                    Some(line),
                    format!("« {} » décrit l'accompagnement de la personne, pas son lieu de vie : le lieu de vie est traité comme non renseigné. Déplacez cette valeur dans la colonne situation et indiquez le lieu de vie (domicile familial, établissement…).", shown(raw)),
                )
                .column("lieu_de_vie")
                .value(raw)
                .id(id)
            },
        );
    }

    /// A `|`-separated cell as the set of its recognised codes: bit `k` for
    /// the `k`-th of the category's values. Unrecognised parts are reported
    /// and dropped; for `tnd`, `troubles_associes` and `accompagnements`,
    /// `aucun` next to another value is reported and dropped (SPEC §2.2).
    pub(super) fn multi_set(&mut self, category: Category, raw: &str) -> CodeSet {
        let mut set: CodeSet = 0;
        for part in raw.split('|') {
            match self.memo.read(category, part) {
                Reading::NotFilled => {}
                Reading::Code(_, k) => set |= 1 << k,
                Reading::Unknown(normalized) => {
                    self.unrecognised(
                        category.field(),
                        part.trim(),
                        normalized,
                        allowed_values(category),
                    );
                }
            }
        }
        if let Some(rule) = none_rule(category) {
            let none = category.values().iter().position(|v| v.code == NONE);
            let none: CodeSet = none.map_or(0, |k| 1 << k);
            if set & none != 0 && set & !none != 0 {
                let message = match rule {
                    Rule::TndContradictoire => "« aucun » TND est indiqué avec d'autres TND : les autres valeurs sont retenues. Retirez « aucun » ou les autres valeurs.".to_string(),
                    _ => format!("« aucun » est indiqué avec d'autres valeurs dans {} : les autres valeurs sont retenues. Retirez « aucun » ou les autres valeurs.", category.field()),
                };
                self.sink.push(
                    Finding::new(rule, &self.file.name, Some(self.line), message)
                        .column(category.field())
                        .value(raw)
                        .id(self.id),
                );
                set &= !none;
            }
        }
        set
    }

    /// A `code_orpha` cell (SPEC §2.2 v3): its ORPHA codes, each distinct
    /// code once, by value, joined by `|`. Empty parts and not-filled
    /// markers are ignored; any other part that is not a code is a
    /// finding `code_orpha_invalide` (once per distinct value) and is
    /// dropped. Not filled in when no part is a code.
    pub(super) fn orpha(&mut self, raw: &str) -> Option<String> {
        let mut codes: Vec<u32> = Vec::new();
        for part in raw.split('|') {
            if cell_is_not_filled(part) {
                continue;
            }
            match parse_orpha(part) {
                Some(code) => codes.push(code),
                None => {
                    let (file, id, line) = (self.file, self.id, self.line);
                    let value = part.trim();
                    let key = (
                        Rule::CodeOrphaInvalide,
                        file.kind.stem(),
                        "code_orpha",
                        normalize(value),
                    );
                    self.sink.merge(key, line, || {
                        Finding::new(
                            Rule::CodeOrphaInvalide,
                            &file.name,
                            Some(line),
                            format!("« {} » n'est pas un code ORPHA : il est ignoré (les autres codes de la cellule sont lus). Écrivez le numéro ORPHA seul ou précédé de « ORPHA: » (par exemple ORPHA:1234), et séparez plusieurs codes par « | ».", shown(value)),
                        )
                        .column("code_orpha")
                        .value(value)
                        .id(id)
                    });
                }
            }
        }
        codes.sort_unstable();
        codes.dedup();
        (!codes.is_empty()).then(|| {
            codes
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("|")
        })
    }

    pub(super) fn birth_date(&mut self, raw: &str) -> Option<i32> {
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

    /// A département's canonical code and its région.
    pub(super) fn departement(
        &mut self,
        raw: &str,
    ) -> Option<(&'static str, Option<&'static str>)> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let code = match self.memo.departements.get(raw) {
            Some(&code) => code,
            None => {
                let code = canonical_departement(raw).map(|code| (code, region_of(code)));
                self.memo.departements.insert(raw.to_string(), code);
                code
            }
        };
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
    pub(super) fn team(
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
                    "Équipe « {} » absente du référentiel : ses lignes comptent au niveau national et forment le périmètre {}. Corrigez le code ou ajoutez l'équipe au référentiel (--teams).",
                    shown(raw),
                    shown(code)
                ),
            )
            .column("equipe")
            .value(raw)
            .id(id)
        });
        Some(scope)
    }

    pub(super) fn duration(&mut self, raw: &str) -> Option<u16> {
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
                    format!("Durée « {} » illisible : elle est ignorée. Indiquez un nombre entier de minutes (par exemple 45).", shown(raw)),
                )
                .column("duree_minutes")
                .value(raw)
                .id(self.id),
            );
            return None;
        }
        minutes
    }

    /// `participants` of an action: a whole number ≥ 0 (SPEC §2.6).
    pub(super) fn participants(&mut self, raw: &str) -> Option<u32> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let participants = parse_whole(raw);
        if participants.is_none() {
            self.sink.push(
                Finding::new(
                    Rule::ParticipantsInvalide,
                    &self.file.name,
                    Some(self.line),
                    format!("Nombre de participants « {} » illisible : il est traité comme non renseigné. Indiquez un nombre entier positif ou nul, sans espace ni décimale (par exemple 12).", shown(raw)),
                )
                .column("participants")
                .value(raw)
                .id(self.id),
            );
        }
        participants
    }

    /// `duree_heures` of an action: hours ≥ 0 with a decimal comma or point.
    pub(super) fn hours(&mut self, raw: &str) -> Option<Hours> {
        if cell_is_not_filled(raw) {
            return None;
        }
        let why = match parse_hours(raw) {
            Ok(hours) => return Some(hours),
            Err(HoursError::NotANumber) => "Indiquez un nombre d'heures positif ou nul, avec une virgule ou un point décimal (par exemple 1,5 pour une heure et demie), sans unité.",
            Err(HoursError::TooLarge) => "Le nombre d'heures dépasse 4 294 967 295 : vérifiez la saisie.",
            Err(HoursError::TooPrecise) => "Gardez au plus 18 décimales (deux suffisent : 1,25).",
        };
        self.sink.push(
            Finding::new(
                Rule::DureeInvalide,
                &self.file.name,
                Some(self.line),
                format!(
                    "Durée « {} » illisible : elle est traitée comme non renseignée. {why}",
                    shown(raw)
                ),
            )
            .column("duree_heures")
            .value(raw)
            .id(self.id),
        );
        None
    }

    /// A multi-valued cell as a set of positions in its category's values
    /// (bit `k` for the `k`-th): each distinct recognised value once,
    /// unrecognised parts reported and dropped.
    pub(super) fn multi_positions(&mut self, category: Category, raw: &str) -> u16 {
        // `public`'s values fit in 16 bits (a test says so).
        self.multi_set(category, raw) as u16
    }

    pub(super) fn unknown_person(&mut self, id_usager: &str) {
        let (file, id, line) = (self.file, self.id, self.line);
        self.sink.merge((Rule::UsagerInconnu, file.kind.stem(), "id_usager", id_usager.to_string()), line, || {
            Finding::new(
                Rule::UsagerInconnu,
                &file.name,
                Some(line),
                format!(
                    "L'usager {} est absent de usagers.csv : ses lignes sont comptées mais son profil est non renseigné. Ajoutez l'usager à l'export ou corrigez l'identifiant.",
                    shown(id_usager)
                ),
            )
            .column("id_usager")
            .value(id_usager)
            .id(id)
        });
    }
}

/// The finding of `aucun` next to another value, for the columns that
/// have that rule (SPEC §2.2).
fn none_rule(category: Category) -> Option<Rule> {
    match category {
        Category::Tnd => Some(Rule::TndContradictoire),
        Category::TroublesAssocies | Category::Accompagnements => Some(Rule::AucunContradictoire),
        _ => None,
    }
}

/// A set of a category's codes: bit `k` for its `k`-th value. No
/// category has more than 64 values (a test says so).
pub(super) type CodeSet = u64;

/// The codes of `set` in the category's order, joined by `|`; `None` for
/// the empty set (*not filled in*).
pub(super) fn codes_of(category: Category, set: CodeSet) -> Option<String> {
    let codes: Vec<&str> = category
        .values()
        .iter()
        .enumerate()
        .filter(|&(k, _)| set & (1 << k) != 0)
        .map(|(_, value)| value.code)
        .collect();
    (!codes.is_empty()).then(|| codes.join("|"))
}

pub(super) fn allowed_values(category: Category) -> String {
    let codes: Vec<&str> = category.values().iter().map(|v| v.code).collect();
    codes.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_fits_a_code_set() {
        for category in Category::ALL {
            assert!(
                category.values().len() <= CodeSet::BITS as usize,
                "{category:?}"
            );
        }
        // Collective actions keep their publics in 16 bits.
        assert!(Category::Public.values().len() <= 16);
    }

    #[test]
    fn a_code_set_reads_back_in_the_order_of_the_spec() {
        let values = Category::Deficiences.values();
        let set = (1 << 2) | 1;
        let expected = format!("{}|{}", values[0].code, values[2].code);
        assert_eq!(codes_of(Category::Deficiences, set), Some(expected));
        assert_eq!(codes_of(Category::Deficiences, 0), None);
    }
}
