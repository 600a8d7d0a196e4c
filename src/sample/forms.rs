//! How the synthetic export writes a person's and an act's cells: the
//! forms people type for each code, not-filled markers, and (unless
//! `--clean`) the occasional unknown value.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::labels::{Labels, NOT_FILLED};
use super::write::{pick, Row};
use super::{weighted, Act, Person, Slot};
use crate::reference::Teams;
use crate::validate::format_date;

pub(super) struct Renderer<'a> {
    pub(super) labels: &'a Labels,
    pub(super) teams: Teams,
    pub(super) rng: &'a mut ChaCha8Rng,
    pub(super) clean: bool,
    /// Codes rather than labels (`--canonical`); the random draws are the
    /// same either way, so both exports hold the same persons and acts.
    pub(super) canonical: bool,
}

impl Renderer<'_> {
    pub(super) fn form(&mut self, field: &str, code: &str) -> String {
        let typed = pick(self.rng, self.labels.forms(field, code));
        if self.canonical { code } else { typed }.to_string()
    }

    /// A field not filled in: mostly empty, sometimes a marker, now and
    /// then a value no nomenclature knows.
    pub(super) fn not_filled(&mut self, field: &str) -> String {
        if !self.clean && self.rng.gen_bool(0.12) {
            pick(self.rng, self.labels.unknown(field)).to_string()
        } else {
            let marker = pick(self.rng, &NOT_FILLED);
            if self.canonical { "" } else { marker }.to_string()
        }
    }

    pub(super) fn team(&mut self, code: &str) -> String {
        match self.teams.get(code) {
            Some(team) if self.rng.gen_bool(0.45) && !self.canonical => team.name.clone(),
            _ => code.to_string(),
        }
    }

    /// The person as `usagers.csv` holds them, as of their last year.
    pub(super) fn person(&mut self, person: &Person) -> Row {
        let age = person.age(person.last);
        let lieu = match person.lieu {
            Slot::NotFilled => self.not_filled("lieu_de_vie"),
            Slot::Positive => {
                let familial = if age < 18 { 0.9 } else { 0.45 };
                let code = if self.rng.gen_bool(familial) {
                    "domicile_familial"
                } else {
                    "domicile_personnel"
                };
                self.form("lieu_de_vie", code)
            }
            Slot::Negative => {
                let options = [
                    ("etablissement_medico_social", 65),
                    ("etablissement_sanitaire", 8),
                    ("famille_accueil", 12),
                    ("autre", 15),
                ];
                let code = weighted(self.rng, &options, |o| o.1).0;
                self.form("lieu_de_vie", code)
            }
        };
        let maladie = match person.maladie {
            Slot::NotFilled => self.not_filled("maladie_rare"),
            Slot::Positive => self.form("maladie_rare", "diagnostiquee"),
            Slot::Negative => {
                let code = if self.rng.gen_bool(0.6) {
                    "suspectee"
                } else {
                    "non"
                };
                self.form("maladie_rare", code)
            }
        };
        let orpha = if person.maladie == Slot::Positive && self.rng.gen_bool(0.7) {
            format!("ORPHA:{}", self.rng.gen_range(30..=600_000))
        } else {
            String::new()
        };
        let tnd = match person.tnd {
            Slot::NotFilled => self.not_filled("tnd"),
            Slot::Positive => {
                let options = [
                    ("tsa", 35),
                    ("tdi", 30),
                    ("tdah", 10),
                    ("dys", 8),
                    ("communication", 10),
                    ("tdc", 7),
                ];
                let mut codes = vec![weighted(self.rng, &options, |o| o.1).0];
                if self.rng.gen_bool(0.3) {
                    let other = weighted(self.rng, &options, |o| o.1).0;
                    if !codes.contains(&other) {
                        codes.push(other);
                    }
                }
                codes
                    .iter()
                    .map(|c| self.form("tnd", c))
                    .collect::<Vec<_>>()
                    .join("|")
            }
            Slot::Negative => self.form("tnd", "aucun"),
        };
        let school = if (3..=16).contains(&age) {
            match person.school {
                Slot::NotFilled => self.not_filled("scolarisation"),
                Slot::Positive => {
                    let options = [("temps_plein", 55), ("temps_partiel", 35), ("oui", 10)];
                    let code = weighted(self.rng, &options, |o| o.1).0;
                    self.form("scolarisation", code)
                }
                Slot::Negative => self.form("scolarisation", "non_scolarise"),
            }
        } else if (17..=20).contains(&age) && self.rng.gen_bool(0.5) {
            let code = if self.rng.gen_bool(0.4) {
                "temps_partiel"
            } else {
                "non_scolarise"
            };
            self.form("scolarisation", code)
        } else {
            String::new()
        };
        let situation = match person.situation {
            Slot::NotFilled => self.not_filled("situation"),
            Slot::Positive => self.form("situation", "sans_solution"),
            Slot::Negative => {
                let code = if self.rng.gen_bool(0.3) {
                    "solution_partielle"
                } else {
                    "avec_solution"
                };
                self.form("situation", code)
            }
        };
        let deficiences: Vec<String> = person
            .deficiences
            .iter()
            .map(|c| self.form("deficiences", c))
            .collect();
        let departement = match person.departement.strip_prefix('0') {
            Some(short) if self.rng.gen_bool(0.1) => short.to_string(),
            _ => person.departement.to_string(),
        };
        let (y, m, d) = person.birth;
        vec![
            person.id.clone(),
            format!("{d:02}/{m:02}/{y:04}"),
            self.form("sexe", person.sexe),
            departement,
            lieu,
            maladie,
            orpha,
            deficiences.join("|"),
            tnd,
            school,
            situation,
        ]
    }

    pub(super) fn act(&mut self, id: String, act: &Act, persons: &[Person], field: &str) -> Row {
        let mut row = vec![
            id,
            persons[act.person].id.clone(),
            format_date(act.date),
            self.team(act.team),
        ];
        if field == "origine" && self.rng.gen_bool(0.05) {
            row.push(self.not_filled("origine"));
        } else {
            row.push(self.form(field, act.kind));
        }
        if field == "type_intervention" {
            row.push(act.minutes.map_or(String::new(), |m| m.to_string()));
        }
        row
    }
}
