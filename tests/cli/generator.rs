//! Random exports for the differential test: each generated row carries its
//! intended meaning, so the model below needs no CSV parsing of its own.
//! Dialect (encoding, delimiter, quoting, line endings, header names, column
//! order, extra columns) and dirty rows of every kind of SPEC §3 are drawn
//! from a seeded generator.

use std::path::Path;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A person row as meant by the generator.
#[derive(Debug, Clone)]
pub enum RowFate {
    Kept,
    Ragged,
    EmptyId,
    Duplicate,
    BadDate,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub fate: RowFate,
    pub ragged: bool,
    pub id: String,
    /// Parsed birth date (AAAAMMJJ) if the cell is a real date.
    pub birth: Option<i32>,
    pub lieu_de_vie: Option<&'static str>,
    pub maladie_rare: Option<&'static str>,
    /// `Some(true)` ≥ 1 TND, `Some(false)` aucun only, `None` not filled.
    pub tnd: Option<bool>,
    pub scolarisation: Option<&'static str>,
    /// `None` when not filled, unrecognised, or the column is absent.
    pub situation: Option<&'static str>,
    /// (v3) The recognised codes of `troubles_associes`, `aucun` dropped
    /// beside another (`None`: not filled in, or the column is absent).
    pub troubles: Option<Vec<&'static str>>,
    /// (v3) The same for `accompagnements`.
    pub accompagnements: Option<Vec<&'static str>>,
    /// (v3) The recognised déficiences (`None`: not filled in).
    pub deficiences: Option<Vec<&'static str>>,
    /// (v3) The valid ORPHA codes, each once.
    pub codes: Vec<u32>,
    pub cells: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
pub struct Act {
    pub fate: RowFate,
    pub ragged: bool,
    pub id: String,
    pub id_usager: String,
    pub date: Option<i32>,
    /// The scope the team cell stands for (`None`: not filled).
    pub team: Option<String>,
    pub visit: bool,
    /// (v3) A demande's recognised `origine`.
    pub origin: Option<&'static str>,
    pub cells: Vec<(&'static str, String)>,
}

/// A row of `actions.csv` as meant by the generator (SPEC §2.6).
#[derive(Debug, Clone)]
pub struct Action {
    pub fate: RowFate,
    pub ragged: bool,
    pub id: String,
    pub date: Option<i32>,
    pub team: Option<String>,
    pub type_action: Option<&'static str>,
    /// The distinct recognised publics.
    pub publics: std::collections::BTreeSet<&'static str>,
    pub participants: Option<u64>,
    /// Thousandths of an hour, exactly as written.
    pub millihours: Option<u64>,
    pub cells: Vec<(&'static str, String)>,
}

pub struct Generated {
    pub persons: Vec<Person>,
    pub demandes: Vec<Act>,
    pub interventions: Vec<Act>,
    /// Blank rows (`;;;;` or empty lines) written among the rows of each
    /// file: read, and excluded as `ligne_vide`.
    pub blank_rows: [u64; 4],
    /// `None`: the export has no `actions.csv`.
    pub actions: Option<Vec<Action>>,
    /// (v3) Whether `usagers` has the columns `troubles_associes` and
    /// `accompagnements`.
    pub with_troubles: bool,
    pub with_accompagnements: bool,
}

/// (v3) `troubles_associes` parts: (raw, code); `None` and not empty:
/// unrecognised.
const TROUBLES: &[(&str, Option<&str>)] = &[
    ("TND", Some("tnd")),
    ("troubles du neurodéveloppement", Some("tnd")),
    ("épilepsie", Some("epilepsie")),
    ("Troubles du sommeil", Some("sommeil")),
    ("comportements-défis", Some("comportement")),
    ("douleur chronique", Some("somatique")),
    ("troubles psychiatriques", Some("psychique")),
    ("aucun", Some("aucun")),
    ("Non", Some("aucun")),
    ("autre", Some("autre")),
    ("", None),
    ("NR", None),
    ("TOC", None),
];
/// (v3) `accompagnements` parts: (raw, code).
const ACCOMPAGNEMENTS: &[(&str, Option<&str>)] = &[
    ("IME", Some("ime")),
    ("sessad", Some("sessad")),
    ("Aide à domicile", Some("saad")),
    ("SAAD", Some("saad")),
    ("hôpital de jour", Some("hopital")),
    ("HAD", Some("had")),
    ("orthophoniste", Some("liberal")),
    ("kinésithérapeute", Some("liberal")),
    ("MAS", Some("mas")),
    ("FAM", Some("fam_eam")),
    ("EAM", Some("fam_eam")),
    ("aucun", Some("aucun")),
    ("sans accompagnement", Some("aucun")),
    ("", None),
    ("NSP", None),
    ("Crèche", None),
];
/// (v3) `deficiences` parts: (raw, code).
const DEFICIENCES: &[(&str, Option<&str>)] = &[
    ("auditive", Some("auditive")),
    ("Visuelle", Some("visuelle")),
    ("surdicécité", Some("surdicecite")),
    ("double déficience sensorielle", Some("surdicecite")),
    ("motrice", Some("motrice")),
    ("cognitive", Some("intellectuelle")),
    ("épilepsie", Some("epilepsie")),
    ("troubles du langage", Some("langage")),
    ("maladie chronique", Some("affection_chronique")),
    ("autre", Some("autre")),
    ("", None),
    ("?", None),
];
/// (v3) `code_orpha` parts: (raw, code); `None` and not a not-filled
/// marker: not a code.
const ORPHA: &[(&str, Option<u32>)] = &[
    ("ORPHA:558", Some(558)),
    ("558", Some(558)),
    ("Orpha 886", Some(886)),
    ("ORPHA: 33069", Some(33069)),
    ("orphanet-00558", Some(558)),
    ("0000886", Some(886)),
    ("ORPHA:138", Some(138)),
    ("ORPHANET 72", Some(72)),
    ("OMIM:154700", None),
    ("Marfan", None),
    ("ORPHA:0", None),
    ("ORPHA:12345678", None),
    ("NR", None),
    ("", None),
];
/// (v3) `origine` cells: (raw, code).
const ORIGINES: &[(&str, Option<&str>)] = &[
    ("famille", Some("famille")),
    ("MDPH", Some("mdph")),
    ("école", Some("education")),
    ("", None),
    ("voisin", None),
    ("ERHR", Some("erhr")),
    ("Équipe relais", Some("erhr")),
    ("CNRHR", Some("cnrhr")),
    ("centre de ressources handicaps rares", Some("cnrhr")),
];

/// (v3) `|`-joined parts drawn from `table`: the cell and the recognised
/// codes, each once, `aucun` dropped beside another (`None` when none is
/// recognised).
fn multi_cell(
    rng: &mut ChaCha8Rng,
    table: &[(&'static str, Option<&'static str>)],
) -> (String, Option<Vec<&'static str>>) {
    let parts: Vec<(&str, Option<&str>)> = (0..rng.gen_range(0..4))
        .map(|_| *pick(rng, table))
        .collect();
    let mut codes: Vec<&'static str> = Vec::new();
    for code in parts.iter().filter_map(|p| p.1) {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.len() > 1 {
        codes.retain(|&c| c != "aucun");
    }
    let cell = parts.iter().map(|p| p.0).collect::<Vec<_>>().join("|");
    (cell, (!codes.is_empty()).then_some(codes))
}

/// `type_action` cells: (raw, code), from the spec's table.
const ACTION_TYPES: &[(&str, Option<&str>)] = &[
    ("Sensibilisation", Some("sensibilisation")),
    ("information", Some("sensibilisation")),
    ("Formation", Some("formation")),
    ("FORMATION", Some("formation")),
    ("CoP", Some("communaute_pratiques")),
    ("Communauté de pratiques", Some("communaute_pratiques")),
    (
        "groupe d'analyse des pratiques",
        Some("communaute_pratiques"),
    ),
    ("Animation de réseau", Some("animation_territoriale")),
    ("mise en réseau", Some("animation_territoriale")),
    ("Appui technique", Some("appui_conseil")),
    ("appui-conseil", Some("appui_conseil")),
    ("Recherche-action", Some("etude_recherche")),
    ("étude", Some("etude_recherche")),
    ("Création d'outil", Some("outil")),
    ("autre", Some("autre")),
    ("", None),
    ("NR", None),
    ("Webinaire", None),
];
/// `public` parts: (raw, code); `None` and not empty: unrecognised.
const ACTION_PUBLICS: &[(&str, Option<&str>)] = &[
    ("ESMS", Some("professionnels_medico_social")),
    (
        "Professionnels médico-sociaux",
        Some("professionnels_medico_social"),
    ),
    ("sanitaire", Some("professionnels_sante")),
    ("Professionnels de santé", Some("professionnels_sante")),
    ("enseignants", Some("education")),
    ("Éducation nationale", Some("education")),
    ("Familles", Some("familles")),
    ("aidants", Some("familles")),
    ("usagers", Some("personnes")),
    ("MDPH", Some("institutions")),
    ("ARS", Some("institutions")),
    ("autre", Some("autre")),
    ("NR", None),
    ("", None),
    ("voisins", None),
];

/// (raw label, meaning) tables, written from the spec's tables.
const LIEU: &[(&str, Option<&str>)] = &[
    ("Domicile familial", Some("domicile_familial")),
    ("domicile des parents", Some("domicile_familial")),
    ("FAMILLE", Some("domicile_familial")),
    ("Domicile", Some("domicile_personnel")),
    ("logement personnel", Some("domicile_personnel")),
    ("ESMS", Some("etablissement_medico_social")),
    (
        "Établissement médico-social",
        Some("etablissement_medico_social"),
    ),
    ("hôpital", Some("etablissement_sanitaire")),
    ("Famille d'accueil", Some("famille_accueil")),
    // Not a place of residence (SPEC §2.2 v2): unrecognised here.
    ("sans solution", None),
    ("Autre", Some("autre")),
    ("", None),
    ("NR", None),
    ("Non renseigné", None),
    ("château", None),
    ("hébergement mixte", Some("hebergement_mixte")),
    ("Internat de semaine", Some("hebergement_mixte")),
];
const SITUATION: &[(&str, Option<&str>)] = &[
    ("sans solution", Some("sans_solution")),
    ("Aucune solution", Some("sans_solution")),
    ("en attente de solution", Some("sans_solution")),
    ("Solution partielle", Some("solution_partielle")),
    ("solution inadaptée", Some("solution_partielle")),
    ("Accompagné", Some("avec_solution")),
    ("avec solution", Some("avec_solution")),
    ("", None),
    ("NR", None),
    ("à voir", None),
];
const MALADIE: &[(&str, Option<&str>)] = &[
    ("Oui", Some("diagnostiquee")),
    ("diagnostiquée", Some("diagnostiquee")),
    ("Maladie rare diagnostiquée", Some("diagnostiquee")),
    ("en cours de diagnostic", Some("suspectee")),
    ("errance diagnostique", Some("suspectee")),
    ("Non", Some("non")),
    ("pas de maladie rare", Some("non")),
    ("", None),
    ("inconnu", None),
    ("peut-être", None),
];
const SCOLARITE: &[(&str, Option<&str>)] = &[
    ("temps plein", Some("temps_plein")),
    ("Scolarisé à temps partiel", Some("temps_partiel")),
    ("oui", Some("oui")),
    ("Non scolarisé", Some("non_scolarise")),
    ("déscolarisé", Some("non_scolarise")),
    ("", None),
    ("NSP", None),
    ("IME", None),
];
/// TND parts: (label, is a TND, recognised).
const TND: &[(&str, bool, bool)] = &[
    ("TSA", true, true),
    ("autisme", true, true),
    ("Déficience intellectuelle", true, true),
    ("TDAH", true, true),
    ("dys", true, true),
    ("dyspraxie", true, true),
    ("aucun", false, true),
    ("Pas de TND", false, true),
    ("hyperactif", false, false),
];
/// Team cells: (raw, scope).
const TEAMS: &[(&str, Option<&str>)] = &[
    ("ERHR-BRE", Some("ERHR-BRE")),
    ("erhr bre", Some("ERHR-BRE")),
    ("ERHR Bretagne", Some("ERHR-BRE")),
    ("ERHR Île-de-France", Some("ERHR-IDF")),
    ("ERHR-IDF", Some("ERHR-IDF")),
    ("CNRHR-CRESAM", Some("CNRHR-CRESAM")),
    ("CRESAM", Some("CNRHR-CRESAM")),
    ("La Pépinière", Some("CNRHR-PEPINIERE")),
    ("ERHR-NO", Some("ERHR-NO")),
    (" erhr-zz ", Some("ERHR-ZZ")),
    ("", None),
];
const TYPES: &[(&str, bool)] = &[
    ("VAD", true),
    ("visite à domicile", true),
    ("Visite en établissement", true),
    ("entretien téléphonique", false),
    ("réunion", false),
    ("bilan", false),
    ("orientation", false),
    ("", false),
    ("visite virtuelle", false),
];

pub struct Dialect {
    /// 0 UTF-8, 1 UTF-8 BOM, 2 Windows-1252, 3 UTF-16 LE, 4 UTF-16 BE,
    /// 5 mixed (v3): every other physical line Windows-1252, the others UTF-8.
    pub encoding: u8,
    pub delimiter: u8,
    /// 0 `\n`, 1 `\r\n`, 2 `\r` alone (v3).
    pub line_end: u8,
    pub quote_all: bool,
}

impl Dialect {
    pub fn line_end(&self) -> &'static str {
        ["\n", "\r\n", "\r"][usize::from(self.line_end)]
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// A date cell in one of the accepted forms, or a broken one.
fn date_cell(rng: &mut ChaCha8Rng, year: i32) -> (String, Option<i32>) {
    let (month, day) = (rng.gen_range(1..=12), rng.gen_range(1..=28));
    let value = Some(year * 10_000 + month * 100 + day);
    match rng.gen_range(0..12) {
        0 => (format!("{year}-{month:02}-{day:02}"), value),
        1 => (format!("{day}/{month}/{year}"), value),
        2 => (format!("{day:02}/{month:02}/{year} 10:30"), value),
        3 => (format!("{year}-{month:02}-{day:02} 08:15:00"), value),
        4 => ("31/02/".to_string() + &year.to_string(), None),
        5 if rng.gen_bool(0.5) => (String::new(), None),
        5 => ("hier".to_string(), None),
        _ => (format!("{day:02}/{month:02}/{year}"), value),
    }
}

pub fn generate(seed: u64, dir: &Path, year: i32) -> (Generated, Dialect) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dialect = Dialect {
        encoding: rng.gen_range(0..6),
        delimiter: *pick(&mut rng, b";,\t"),
        line_end: rng.gen_range(0..3),
        quote_all: rng.gen_bool(0.3),
    };
    let n_persons = rng.gen_range(0..40);
    // Half the exports predate the `situation` column (SPEC §2.2 v2).
    let with_situation = rng.gen_bool(0.5);
    // (v3) Some lack the columns of SPEC v3.
    let with_troubles = rng.gen_bool(0.65);
    let with_accompagnements = rng.gen_bool(0.65);
    let mut persons: Vec<Person> = Vec::new();
    for i in 0..n_persons {
        let fate = match rng.gen_range(0..20) {
            0 => RowFate::Ragged,
            1 => RowFate::EmptyId,
            2 if !persons.is_empty() => RowFate::Duplicate,
            _ => RowFate::Kept,
        };
        let id = match fate {
            RowFate::EmptyId => pick(&mut rng, &["", " ", "NR"]).to_string(),
            RowFate::Duplicate => persons[rng.gen_range(0..persons.len())].id.clone(),
            _ => format!("U{i:03}"),
        };
        let birth_year = rng.gen_range(year - 30..=year + 1);
        let (birth_cell, birth) = match rng.gen_range(0..10) {
            0 => (String::new(), None),
            1 => ("29/02/2023".to_string(), None),
            2 => (
                format!("15/06/{}", year - 121),
                Some((year - 121) * 10_000 + 615),
            ),
            _ => {
                let (cell, value) = date_cell(&mut rng, birth_year);
                (cell, value)
            }
        };
        let lieu = *pick(&mut rng, LIEU);
        let maladie = *pick(&mut rng, MALADIE);
        let scol = *pick(&mut rng, SCOLARITE);
        let situation = *pick(&mut rng, SITUATION);
        let n_tnd = rng.gen_range(0..3);
        let parts: Vec<(&str, bool, bool)> = (0..n_tnd).map(|_| *pick(&mut rng, TND)).collect();
        let recognised: Vec<&(&str, bool, bool)> = parts.iter().filter(|p| p.2).collect();
        let tnd = if recognised.is_empty() {
            None
        } else {
            Some(recognised.iter().any(|p| p.1))
        };
        let tnd_cell = parts.iter().map(|p| p.0).collect::<Vec<_>>().join("|");
        let (troubles_cell, troubles) = multi_cell(&mut rng, TROUBLES);
        let (accompagnements_cell, accompagnements) = multi_cell(&mut rng, ACCOMPAGNEMENTS);
        let (deficiences_cell, deficiences) = multi_cell(&mut rng, DEFICIENCES);
        let orpha: Vec<(&str, Option<u32>)> = (0..rng.gen_range(0..3))
            .map(|_| *pick(&mut rng, ORPHA))
            .collect();
        let mut codes: Vec<u32> = orpha.iter().filter_map(|p| p.1).collect();
        codes.sort_unstable();
        codes.dedup();
        let orpha_cell = orpha.iter().map(|p| p.0).collect::<Vec<_>>().join(" | ");
        let cells = vec![
            ("id_usager", id.clone()),
            ("date_naissance", birth_cell),
            (
                "sexe",
                pick(&mut rng, &["F", "M", "féminin", "Homme", "", "X"]).to_string(),
            ),
            (
                "departement",
                pick(&mut rng, &["1", "2A", "75", "974", "20", ""]).to_string(),
            ),
            ("lieu_de_vie", lieu.0.to_string()),
            ("maladie_rare", maladie.0.to_string()),
            ("code_orpha", orpha_cell),
            ("deficiences", deficiences_cell),
            ("tnd", tnd_cell),
            ("scolarisation", scol.0.to_string()),
            ("situation", situation.0.to_string()),
            ("troubles_associes", troubles_cell),
            ("accompagnements", accompagnements_cell),
        ];
        persons.push(Person {
            ragged: matches!(fate, RowFate::Ragged),
            fate,
            id,
            birth,
            lieu_de_vie: lieu.1,
            maladie_rare: maladie.1,
            tnd,
            scolarisation: scol.1,
            situation: situation.1.filter(|_| with_situation),
            troubles: troubles.filter(|_| with_troubles),
            accompagnements: accompagnements.filter(|_| with_accompagnements),
            deficiences,
            codes,
            cells,
        });
    }
    let known: Vec<String> = persons
        .iter()
        .filter(|p| matches!(p.fate, RowFate::Kept))
        .map(|p| p.id.clone())
        .collect();
    let make_acts = |rng: &mut ChaCha8Rng, prefix: &str, interventions: bool| -> Vec<Act> {
        let mut acts: Vec<Act> = Vec::new();
        for i in 0..rng.gen_range(0..120) {
            let id_usager = match rng.gen_range(0..20) {
                0 => String::new(),
                1 => format!("X{}", rng.gen_range(0..3)),
                _ if known.is_empty() => "U000".to_string(),
                _ => pick(rng, &known).clone(),
            };
            let act_year = rng.gen_range(year - 3..=year);
            let (date_cell, date) = date_cell(rng, act_year);
            let mut fate = match rng.gen_range(0..25) {
                0 => RowFate::Ragged,
                1 if !acts.is_empty() => RowFate::Duplicate,
                _ => RowFate::Kept,
            };
            if matches!(fate, RowFate::Kept) && id_usager.is_empty() {
                fate = RowFate::EmptyId;
            }
            if matches!(fate, RowFate::Kept) && date.is_none() {
                fate = RowFate::BadDate;
            }
            let id = match fate {
                RowFate::Duplicate => {
                    let earlier: Vec<&Act> = acts
                        .iter()
                        .filter(|a| !matches!(a.fate, RowFate::Ragged))
                        .collect();
                    if earlier.is_empty() {
                        format!("{prefix}{i}")
                    } else {
                        pick(rng, &earlier).id.clone()
                    }
                }
                _ => format!("{prefix}{i}"),
            };
            let team = *pick(rng, TEAMS);
            let kind = *pick(rng, TYPES);
            let origin = *pick(rng, ORIGINES);
            let mut cells = vec![
                (
                    if interventions {
                        "id_intervention"
                    } else {
                        "id_demande"
                    },
                    id.clone(),
                ),
                ("id_usager", id_usager.clone()),
                (
                    if interventions {
                        "date_intervention"
                    } else {
                        "date_demande"
                    },
                    date_cell,
                ),
                ("equipe", team.0.to_string()),
            ];
            if interventions {
                cells.push(("type_intervention", kind.0.to_string()));
                cells.push(("duree_minutes", pick(rng, &["30", "", "1h"]).to_string()));
            } else {
                cells.push(("origine", origin.0.to_string()));
            }
            acts.push(Act {
                ragged: matches!(fate, RowFate::Ragged),
                fate,
                id,
                id_usager,
                date,
                team: team.1.map(str::to_string),
                visit: interventions && kind.1,
                origin: (!interventions).then_some(origin.1).flatten(),
                cells,
            });
        }
        acts
    };
    let demandes = make_acts(&mut rng, "D", false);
    let interventions = make_acts(&mut rng, "I", true);
    let actions = rng.gen_bool(0.7).then(|| make_actions(&mut rng, year));
    let mut generated = Generated {
        persons,
        demandes,
        interventions,
        blank_rows: [0; 4],
        actions,
        with_troubles,
        with_accompagnements,
    };
    generated.blank_rows[0] = write_file(
        &mut rng,
        &dialect,
        &dir.join("usagers.csv"),
        &usager_headers(with_situation, with_troubles, with_accompagnements),
        generated.persons.iter().map(|p| (&p.fate, &p.cells)),
    );
    let demande_headers = act_headers(false);
    generated.blank_rows[1] = write_file(
        &mut rng,
        &dialect,
        &dir.join("Demandes.CSV"),
        &demande_headers,
        generated.demandes.iter().map(|a| (&a.fate, &a.cells)),
    );
    generated.blank_rows[2] = write_file(
        &mut rng,
        &dialect,
        &dir.join("interventions.csv"),
        &act_headers(true),
        generated.interventions.iter().map(|a| (&a.fate, &a.cells)),
    );
    if let Some(actions) = &generated.actions {
        let name = *pick(&mut rng, &["actions.csv", "Actions.CSV"]);
        generated.blank_rows[3] = write_file(
            &mut rng,
            &dialect,
            &dir.join(name),
            &action_headers(),
            actions.iter().map(|a| (&a.fate, &a.cells)),
        );
    }
    (generated, dialect)
}

/// `participants` cells: (raw, value).
fn participants_cell(rng: &mut ChaCha8Rng) -> (String, Option<u64>) {
    match rng.gen_range(0..10) {
        0 => (String::new(), None),
        1 => ("NR".to_string(), None),
        2 => (
            pick(rng, &["-3", "12,5", "douze", "1 200"]).to_string(),
            None,
        ),
        3 => ("0".to_string(), Some(0)),
        _ => {
            let n = rng.gen_range(1..200);
            (n.to_string(), Some(n))
        }
    }
}

/// `duree_heures` cells: (raw, thousandths of an hour), with 0 to 3
/// decimals after a comma or a point.
fn hours_cell(rng: &mut ChaCha8Rng) -> (String, Option<u64>) {
    match rng.gen_range(0..10) {
        0 => (String::new(), None),
        1 => (pick(rng, &["1h30", "-2", "deux", "NR"]).to_string(), None),
        _ => {
            let decimals = rng.gen_range(0..=3u32);
            let scaled: u64 = rng.gen_range(0..20 * 10u64.pow(decimals));
            let unit = 10u64.pow(decimals);
            let separator = *pick(rng, &[",", "."]);
            let text = if decimals == 0 {
                scaled.to_string()
            } else {
                format!(
                    "{}{separator}{:0width$}",
                    scaled / unit,
                    scaled % unit,
                    width = decimals as usize
                )
            };
            (text, Some(scaled * 10u64.pow(3 - decimals)))
        }
    }
}

fn make_actions(rng: &mut ChaCha8Rng, year: i32) -> Vec<Action> {
    let mut actions: Vec<Action> = Vec::new();
    for i in 0..rng.gen_range(0..80) {
        let action_year = rng.gen_range(year - 2..=year);
        let (date_cell, date) = date_cell(rng, action_year);
        let mut fate = match rng.gen_range(0..25) {
            0 => RowFate::Ragged,
            1 if !actions.is_empty() => RowFate::Duplicate,
            2 => RowFate::EmptyId,
            _ => RowFate::Kept,
        };
        if matches!(fate, RowFate::Kept) && date.is_none() {
            fate = RowFate::BadDate;
        }
        let id = match fate {
            RowFate::EmptyId => pick(rng, &["", " ", "NR"]).to_string(),
            RowFate::Duplicate => {
                let earlier: Vec<&Action> = actions
                    .iter()
                    .filter(|a| matches!(a.fate, RowFate::Kept | RowFate::BadDate))
                    .collect();
                if earlier.is_empty() {
                    fate = RowFate::Kept;
                    format!("A{i}")
                } else {
                    pick(rng, &earlier).id.clone()
                }
            }
            _ => format!("A{i}"),
        };
        let team = *pick(rng, TEAMS);
        let kind = *pick(rng, ACTION_TYPES);
        let parts: Vec<(&str, Option<&str>)> = (0..rng.gen_range(0..4))
            .map(|_| *pick(rng, ACTION_PUBLICS))
            .collect();
        let publics = parts.iter().filter_map(|p| p.1).collect();
        let public_cell = parts.iter().map(|p| p.0).collect::<Vec<_>>().join("|");
        let (participants_cell, participants) = participants_cell(rng);
        let (hours_cell, millihours) = hours_cell(rng);
        let cells = vec![
            ("id_action", id.clone()),
            ("date_action", date_cell),
            ("equipe", team.0.to_string()),
            ("type_action", kind.0.to_string()),
            ("public", public_cell),
            ("participants", participants_cell),
            ("duree_heures", hours_cell),
        ];
        actions.push(Action {
            ragged: matches!(fate, RowFate::Ragged),
            fate,
            id,
            date,
            team: team.1.map(str::to_string),
            type_action: kind.1,
            publics,
            participants,
            millihours,
            cells,
        });
    }
    actions
}

fn action_headers() -> Headers {
    vec![
        ("id_action", &["N° action", "ID", "Identifiant action"]),
        ("date_action", &["Date de l'action", "date", "Date action"]),
        ("equipe", &["Équipe", "structure", "Code équipe"]),
        ("type_action", &["Type d'action", "nature", "Type"]),
        ("public", &["Public visé", "destinataires", "public"]),
        (
            "participants",
            &["Nombre de participants", "nb participants"],
        ),
        ("duree_heures", &["Durée (h)", "durée heures", "Durée"]),
    ]
}

type Headers = Vec<(&'static str, &'static [&'static str])>;

fn usager_headers(
    with_situation: bool,
    with_troubles: bool,
    with_accompagnements: bool,
) -> Headers {
    let mut headers: Headers = vec![
        (
            "id_usager",
            &["N° dossier", "id", "Identifiant usager", "ID_USAGER"],
        ),
        (
            "date_naissance",
            &["Date de naissance", "né le", "DATE_NAISSANCE"],
        ),
        ("sexe", &["Sexe", "genre"]),
        ("departement", &["Département", "dept", "Code département"]),
        ("lieu_de_vie", &["Lieu de vie", "mode de vie"]),
        ("maladie_rare", &["Maladie rare", "Statut diagnostic"]),
        ("code_orpha", &["Code ORPHA", "orphacode"]),
        ("deficiences", &["Déficiences", "types de déficience"]),
        ("tnd", &["TND", "Troubles du neurodéveloppement"]),
        ("scolarisation", &["Scolarisation", "scolarité"]),
    ];
    if with_situation {
        headers.push((
            "situation",
            &["Situation", "situation de la personne", "Réponse"],
        ));
    }
    if with_troubles {
        headers.push((
            "troubles_associes",
            &[
                "Troubles associés",
                "trouble associé",
                "Troubles associés à la déficience",
            ],
        ));
    }
    if with_accompagnements {
        headers.push((
            "accompagnements",
            &[
                "Accompagnements",
                "types d'accompagnement",
                "Prises en charge",
            ],
        ));
    }
    headers
}

fn act_headers(interventions: bool) -> Headers {
    let headers: Headers = if interventions {
        vec![
            (
                "id_intervention",
                &["id acte", "Identifiant intervention", "ID"],
            ),
            ("id_usager", &["N° dossier", "id_usager", "numéro dossier"]),
            (
                "date_intervention",
                &["Date de l'intervention", "date acte", "Date"],
            ),
            ("equipe", &["Équipe", "structure", "code équipe"]),
            ("type_intervention", &["Type d'intervention", "nature"]),
            ("duree_minutes", &["Durée (min)", "durée"]),
        ]
    } else {
        vec![
            ("id_demande", &["N° demande", "ID", "identifiant demande"]),
            ("id_usager", &["N° dossier", "Id usager"]),
            (
                "date_demande",
                &["Date de la demande", "date sollicitation", "DATE"],
            ),
            ("equipe", &["Équipe", "structure"]),
            ("origine", &["Origine de la demande", "demandeur"]),
        ]
    };
    headers
}

fn write_file<'a>(
    rng: &mut ChaCha8Rng,
    dialect: &Dialect,
    path: &Path,
    headers: &Headers,
    rows: impl Iterator<Item = (&'a RowFate, &'a Vec<(&'static str, String)>)>,
) -> u64 {
    // Column order shuffled, with an extra free-text column somewhere.
    let mut order: Vec<Option<usize>> = (0..headers.len()).map(Some).collect();
    order.push(None);
    order.shuffle(rng);
    let names: Vec<String> = order
        .iter()
        .map(|slot| match slot {
            Some(i) => pick(rng, headers[*i].1).to_string(),
            None => "Commentaire libre".to_string(),
        })
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .flexible(true)
        .quote_style(if dialect.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .terminator(match dialect.line_end {
            1 => csv::Terminator::CRLF,
            2 => csv::Terminator::Any(b'\r'),
            _ => csv::Terminator::Any(b'\n'),
        })
        .from_writer(Vec::new());
    writer.write_record(&names).unwrap();
    let mut blank_rows = 0;
    // The records first: the rows at the end of a table are looked at once
    // all are known.
    let mut records: Vec<Vec<String>> = Vec::new();
    // Whether a blank row follows each record: all cells empty, or an
    // empty line (written as a one-cell record, then erased).
    let mut blank_after: Vec<Option<bool>> = Vec::new();
    for (fate, cells) in rows {
        let mut record: Vec<String> = order
            .iter()
            .map(|slot| match slot {
                Some(i) => {
                    let name = headers[*i].0;
                    cells
                        .iter()
                        .find(|(c, _)| *c == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                }
                None => pick(
                    rng,
                    &[
                        "",
                        "suivi \"renforcé\"; voir dossier",
                        "ligne 1\nligne 2",
                        "RAS",
                    ],
                )
                .to_string(),
            })
            .collect();
        if matches!(fate, RowFate::Ragged) {
            if rng.gen_bool(0.5) {
                record.push("en trop".to_string());
            } else {
                record.pop();
            }
        }
        records.push(record);
        // Now and then blank rows, as a spreadsheet leaves them.
        blank_after.push(rng.gen_ratio(1, 15).then(|| rng.gen_bool(0.5)));
    }
    // The rows at the end of a table whose own id (its first column) is
    // missing or empty are its footer (SPEC §2.1, v3), not rows: those
    // meant to be `id_manquant` say `NR` there, and those meant to be
    // ragged have an extra field instead of a missing one.
    let own = order.iter().position(|slot| *slot == Some(0)).unwrap_or(0);
    for record in records.iter_mut().rev() {
        match record.get_mut(own) {
            Some(id) if id.trim().is_empty() => *id = "NR".to_string(),
            Some(_) => break,
            None => {
                while record.len() < order.len() {
                    record.push(String::new());
                }
                record[own] = "X".to_string();
                record.push("en trop".to_string());
                break;
            }
        }
    }
    for (record, blank) in records.iter().zip(&blank_after) {
        writer.write_record(record).unwrap();
        if let Some(full) = blank {
            blank_rows += 1;
            if *full {
                writer.write_record(vec![""; order.len()]).unwrap();
            } else {
                writer.write_record([EMPTY_LINE]).unwrap();
            }
        }
    }
    let mut text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let end = dialect.line_end();
    // Now and then a footer under the table (v3), an empty line in it.
    if rng.gen_ratio(1, 3) {
        text.push_str(&format!("Nombre de lignes : {}{end}", records.len()));
        if rng.gen_bool(0.5) {
            text.push_str(end);
            blank_rows += 1;
        }
        text.push_str(&format!("Exporté le 05/01/2025 par Mediateam{end}"));
    }
    // Now and then title lines above the header, as exports have them.
    if rng.gen_ratio(1, 4) {
        let titles = ["Export Mediateam du 05/01/2025", "", "Période : 2023, 2024"];
        let above: Vec<&str> = titles[..rng.gen_range(1..=3)].to_vec();
        text = above.join(end) + end + &text;
    }
    let text = text
        .replace(&format!("\"{EMPTY_LINE}\""), "")
        .replace(EMPTY_LINE, "");
    let bytes = match dialect.encoding {
        0 => text.into_bytes(),
        1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        2 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
        // Excel's "Texte Unicode": UTF-16 with its byte order mark.
        3 => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        4 => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
        // Pasted together from two tools (v3): every other physical line
        // in Windows-1252.
        _ => physical_lines(text.as_bytes())
            .enumerate()
            .flat_map(|(k, line)| {
                let line = std::str::from_utf8(line).unwrap();
                if k % 2 == 1 {
                    encoding_rs::WINDOWS_1252.encode(line).0.into_owned()
                } else {
                    line.as_bytes().to_vec()
                }
            })
            .collect(),
    };
    std::fs::write(path, bytes).unwrap();
    blank_rows
}

/// The physical lines of a text, each with its line end (`\r\n`, `\n` or
/// `\r` alone).
pub fn physical_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(at) if rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n') => at + 2,
            Some(at) => at + 1,
            None => rest.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// Written as a one-cell record, then erased: the csv writer would quote
/// an empty line.
const EMPTY_LINE: &str = "@@EMPTY_LINE@@";
