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
    /// (v3) The draws of what SPEC v3 adds (`profile.rs`).
    pub(super) v3: &'a mut ChaCha8Rng,
    pub(super) clean: bool,
    /// Codes rather than labels (`--canonical`); the random draws are the
    /// same either way, so both exports hold the same persons and acts.
    pub(super) canonical: bool,
    /// (v3) The last rare ORPHA code written, which a second person may
    /// share (a code of the long tail is held by one or two persons).
    pub(super) last_rare: Option<u32>,
}

/// (v3) The frequent ORPHA codes of the sample, with weights: CHARGE,
/// Usher, Rett, Dravet, Angelman, Prader-Willi syndromes.
const FREQUENT_CODES: [(u32, u32); 6] =
    [(138, 8), (886, 7), (778, 6), (33069, 5), (72, 4), (739, 4)];

/// (v3) Codes of the middle of the list: each held by some ten persons a
/// year nationally.
const MIDDLE_CODES: [u32; 24] = [
    558, 904, 567, 908, 199, 65, 64, 110, 649, 3463, 805, 2382, 3451, 818, 1331, 261, 96, 1900,
    2322, 3200, 1606, 2940, 377, 2914,
];

/// (v3) How people write an ORPHA code (SPEC §2.2).
const ORPHA_FORMS: [&str; 6] = [
    "{}",
    "ORPHA:{}",
    "ORPHA:{}",
    "Orpha {}",
    "ORPHA: {}",
    "orphanet-{:05}",
];

/// (v3) Values of `code_orpha` that are not codes, as found in exports.
const NOT_CODES: [&str; 4] = ["Marfan", "ORPHA:", "OMIM:154700", "ORPHA 12a"];

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
                let form = self.form("lieu_de_vie", code);
                // (v3) Three in ten living in an establishment alternate
                // with home (hébergement mixte).
                if code == "etablissement_medico_social" && self.v3.gen_bool(0.3) {
                    self.form_v3("lieu_de_vie", "hebergement_mixte")
                } else {
                    form
                }
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
        // The draws of the sample before v3 decide who has a code and the
        // code of the long tail; which list a code comes from is v3's.
        let drawn = (person.maladie == Slot::Positive && self.rng.gen_bool(0.7))
            .then(|| self.rng.gen_range(30..=600_000u32));
        let suspected = person.maladie != Slot::Positive && self.v3.gen_bool(0.03);
        let tail = match drawn {
            Some(code) => Some(code),
            None if suspected => Some(self.v3.gen_range(30..=600_000)),
            None => None,
        };
        let orpha = self.orpha(tail);
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
        let troubles = self.codes_v3("troubles_associes", person.troubles.as_deref());
        let accompagnements = self.codes_v3("accompagnements", person.accompagnements.as_deref());
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
            troubles,
            accompagnements,
        ]
    }

    /// (v3) A code written as people do, drawn from the v3 stream.
    fn form_v3(&mut self, field: &str, code: &str) -> String {
        let typed = pick(self.v3, self.labels.forms(field, code));
        if self.canonical { code } else { typed }.to_string()
    }

    /// (v3) A multi-valued cell of v3's columns: `aucun` for none, codes
    /// joined by `|`, or not filled in (mostly empty, sometimes a marker or
    /// a value no nomenclature knows).
    fn codes_v3(&mut self, field: &str, codes: Option<&[&str]>) -> String {
        match codes {
            None if !self.clean && self.v3.gen_bool(0.12) => {
                pick(self.v3, self.labels.unknown(field)).to_string()
            }
            None => {
                let marker = pick(self.v3, &NOT_FILLED);
                if self.canonical { "" } else { marker }.to_string()
            }
            Some([]) => self.form_v3(field, "aucun"),
            Some(codes) => codes
                .iter()
                .map(|code| self.form_v3(field, code))
                .collect::<Vec<_>>()
                .join("|"),
        }
    }

    /// (v3) A `code_orpha` cell for a person with a code (`tail`: a code of
    /// the long tail, drawn): one of the frequent codes, of the middle of
    /// the list, or of the long tail (one or two persons each), now and
    /// then a second code, in the forms people write; unless `--clean`, a
    /// few values that are not codes.
    fn orpha(&mut self, tail: Option<u32>) -> String {
        let Some(tail) = tail else {
            return String::new();
        };
        let mut codes = vec![self.orpha_code(tail)];
        if self.v3.gen_bool(0.08) {
            let second = self.v3.gen_range(30..=600_000);
            codes.push(self.orpha_code(second));
        }
        let mut parts: Vec<String> = codes
            .into_iter()
            .map(|code| {
                // Drawn either way: a canonical export holds the same codes.
                let form = pick(self.v3, &ORPHA_FORMS);
                match form {
                    _ if self.canonical => code.to_string(),
                    "orphanet-{:05}" => format!("orphanet-{code:05}"),
                    form => form.replace("{}", &code.to_string()),
                }
            })
            .collect();
        if !self.clean && self.v3.gen_bool(0.01) {
            parts.push(pick(self.v3, &NOT_CODES).to_string());
        }
        parts.join("|")
    }

    /// (v3) A code: frequent (a quarter), of the middle (four in ten), or
    /// `tail`, which the next person of the tail may share.
    fn orpha_code(&mut self, tail: u32) -> u32 {
        let roll = self.v3.gen_range(0..100);
        if roll < 25 {
            weighted(self.v3, &FREQUENT_CODES, |c| c.1).0
        } else if roll < 65 {
            MIDDLE_CODES[self.v3.gen_range(0..MIDDLE_CODES.len())]
        } else {
            match self.last_rare.take() {
                Some(shared) if self.v3.gen_bool(0.2) => shared,
                _ => {
                    self.last_rare = Some(tail);
                    tail
                }
            }
        }
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
