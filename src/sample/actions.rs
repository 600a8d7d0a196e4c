//! The collective actions of the synthetic export (`actions.csv`, SPEC
//! §2.6): sensibilisation and formation sessions, about ten communities of
//! practice meeting several times a year, animation territoriale,
//! appui-conseil, studies and tools, spread over the teams.
//!
//! The 2021 national counts of the published bilan (349 actions de
//! sensibilisation, 497 actions de formation) come out exactly in the year
//! that plays 2021, for the reference size (`--persons 6000`), scaled with
//! `--persons`; the other years follow the persons accompanied then (no
//! action before the first teams open). Actions are drawn
//! from their own random stream, so the three other files do not change
//! with them. The bad rows (unless `--clean`) cannot move a 2021 count.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::calibration::{scale, REFERENCE_PERSONS, SERIES};
use super::labels::ERHR_WEIGHTS;
use super::{weighted, SampleOptions};
use crate::reference::{FileKind, Teams};
use crate::validate::format_date;

/// The year of the published counts, and the counts (reference size).
pub const CALIBRATION_YEAR: i32 = 2021;
pub const SENSIBILISATION_2021: u64 = 349;
pub const FORMATION_2021: u64 = 497;

/// Actions of a year by type at the reference size, around 2021, for the
/// types not calibrated: (code, actions in 2021).
const OTHER_TYPES: [(&str, u64); 5] = [
    ("animation_territoriale", 140),
    ("appui_conseil", 210),
    ("etude_recherche", 18),
    ("outil", 26),
    ("autre", 35),
];

/// Communities of practice at the reference size: (theme, team).
const COMMUNITIES: [(&str, &str); 10] = [
    ("surdicécité", "CNRHR-CRESAM"),
    ("épilepsies sévères", "CNRHR-FAHRES"),
    (
        "déficience visuelle et troubles associés",
        "CNRHR-PEPINIERE",
    ),
    ("troubles complexes du langage", "CNRHR-LAPLANE"),
    ("autisme et déficience sensorielle", "ERHR-IDF"),
    ("polyhandicap et communication", "ERHR-ARA"),
    ("handicaps rares en établissement", "ERHR-NO"),
    ("aidants", "ERHR-NA"),
    ("scolarisation", "ERHR-OCC"),
    ("Outre-mer", "ERHR-RM"),
];

const HEADER: [&str; 9] = [
    "N° action",
    "Date de l'action",
    "Équipe",
    "Type d'action",
    "Public visé",
    "Nombre de participants",
    "Durée (h)",
    "Intitulé",
    "Partenaires",
];

/// The ways people type each code.
fn forms(field: &str, code: &str) -> &'static [&'static str] {
    match (field, code) {
        ("type", "sensibilisation") => &["Sensibilisation", "Sensibilisation", "Information"],
        ("type", "formation") => &["Formation", "Formation", "FORMATION"],
        ("type", "communaute_pratiques") => &[
            "Communauté de pratiques",
            "CoP",
            "Groupe d'analyse des pratiques",
        ],
        ("type", "animation_territoriale") => &[
            "Animation territoriale",
            "Animation de réseau",
            "Mise en réseau",
        ],
        ("type", "appui_conseil") => &["Appui conseil", "Appui technique", "Conseil technique"],
        ("type", "etude_recherche") => &["Etude", "Recherche", "Recherche action"],
        ("type", "outil") => &["Création d'outil", "Outil de sensibilisation"],
        ("public", "professionnels_medico_social") => &["ESMS", "Professionnels médico-sociaux"],
        ("public", "professionnels_sante") => &["Professionnels de santé", "Sanitaire"],
        ("public", "education") => &["Education nationale", "Enseignants"],
        ("public", "familles") => &["Familles", "Aidants", "Proches"],
        ("public", "personnes") => &["Personnes concernées", "Usagers"],
        ("public", "institutions") => &["MDPH", "ARS", "Conseil départemental"],
        _ => &["Autre"],
    }
}

/// Who each type of action is for: (public, weight).
fn publics(code: &str) -> &'static [(&'static str, u32)] {
    match code {
        "sensibilisation" => &[
            ("professionnels_medico_social", 6),
            ("education", 2),
            ("familles", 2),
            ("professionnels_sante", 2),
        ],
        "formation" => &[
            ("professionnels_medico_social", 8),
            ("professionnels_sante", 3),
            ("education", 1),
        ],
        "communaute_pratiques" => &[
            ("professionnels_medico_social", 5),
            ("professionnels_sante", 2),
        ],
        "animation_territoriale" => &[
            ("institutions", 4),
            ("professionnels_medico_social", 4),
            ("professionnels_sante", 1),
        ],
        "appui_conseil" => &[
            ("professionnels_medico_social", 7),
            ("education", 2),
            ("institutions", 1),
        ],
        _ => &[
            ("professionnels_medico_social", 3),
            ("familles", 1),
            ("personnes", 1),
            ("autre", 1),
        ],
    }
}

/// Participants and hours of a session of each type: (participants low,
/// high, hours in quarters low, high).
fn size(code: &str) -> (u32, u32, u32, u32) {
    match code {
        "sensibilisation" => (8, 60, 4, 12),
        "formation" => (6, 18, 12, 28),
        "communaute_pratiques" => (5, 14, 8, 12),
        "animation_territoriale" => (6, 30, 6, 16),
        "appui_conseil" => (2, 8, 4, 12),
        _ => (2, 10, 8, 40),
    }
}

const MONTHS: [u32; 12] = [8, 10, 11, 10, 9, 10, 4, 1, 10, 11, 10, 6];

/// One action before it is written.
struct Planned {
    date: i32,
    team: &'static str,
    code: &'static str,
    title: String,
}

/// Teams that lead collective actions in `year`, with their weights: the
/// ERHR open by then, by size, and the CNRHR (there from the start).
fn team_weights(options: &SampleOptions, year: i32) -> Vec<(&'static str, u32)> {
    let first_teams = options.playing(SERIES[0].0);
    let mut teams: Vec<(&'static str, u32)> = ERHR_WEIGHTS
        .iter()
        .filter(|(_, _, opens)| first_teams + opens <= year)
        .map(|&(code, weight, _)| (code, weight))
        .collect();
    for code in [
        "CNRHR-CRESAM",
        "CNRHR-LAPLANE",
        "CNRHR-PEPINIERE",
        "CNRHR-FAHRES",
    ] {
        teams.push((code, 4));
    }
    teams
}

fn date_in(rng: &mut ChaCha8Rng, year: i32) -> i32 {
    let months: Vec<(i32, u32)> = (1..=12).zip(MONTHS).collect();
    let month = weighted(rng, &months, |m| m.1).0;
    year * 10_000 + month * 100 + rng.gen_range(1..=28)
}

/// Persons accompanied in a published year at the reference size, from
/// the calibration's series (0 before the first teams open).
fn accompanied(published: i32) -> u64 {
    SERIES.iter().find(|s| s.0 == published).map_or(0, |s| s.1)
}

/// How many actions of a type in the year that plays `published`: exactly
/// the scaled 2021 count in 2021, and in the other years the same count in
/// proportion to the persons accompanied then, with some noise.
fn volume(rng: &mut ChaCha8Rng, reference: u64, persons: u64, published: i32) -> u64 {
    let scaled = scale(reference, persons, REFERENCE_PERSONS);
    if published == CALIBRATION_YEAR {
        return scaled;
    }
    let share = accompanied(published) as f64 / accompanied(CALIBRATION_YEAR) as f64;
    let noise = rng.gen_range(0.92..1.08);
    (scaled as f64 * share * noise).round() as u64
}

/// The planned actions of every year, sorted by date.
fn plan(options: &SampleOptions, rng: &mut ChaCha8Rng) -> Vec<Planned> {
    let mut planned = Vec::new();
    for year in options.first_active_year()..=options.last_year {
        let published = options.played(year);
        let teams = team_weights(options, year);
        let calibrated = [
            ("sensibilisation", SENSIBILISATION_2021),
            ("formation", FORMATION_2021),
        ];
        for (code, reference) in calibrated.into_iter().chain(OTHER_TYPES) {
            for _ in 0..volume(rng, reference, options.persons, published) {
                let team = weighted(rng, &teams, |t| t.1).0;
                let title = match code {
                    "sensibilisation" => "Sensibilisation aux handicaps rares",
                    "formation" => "Formation handicaps rares et troubles associés",
                    "animation_territoriale" => "Réunion du réseau territorial",
                    "appui_conseil" => "Appui à une équipe d'établissement",
                    "etude_recherche" => "Recherche-action",
                    "outil" => "Création d'un guide",
                    _ => "Participation à un colloque",
                };
                planned.push(Planned {
                    date: date_in(rng, year),
                    team,
                    code,
                    title: title.to_string(),
                });
            }
        }
        // About ten communities of practice, each meeting several times a
        // year: the first from the third year of the network, all ten a
        // year before 2021.
        let communities = scale(10, options.persons, REFERENCE_PERSONS).min(10) as usize;
        let started = match published {
            ..=2016 => 0,
            2017..=2019 => 7,
            _ => 10,
        };
        for (theme, team) in COMMUNITIES.iter().take(communities.min(started)) {
            for session in 1..=rng.gen_range(4..=8) {
                planned.push(Planned {
                    date: date_in(rng, year),
                    team,
                    code: "communaute_pratiques",
                    title: format!("CoP {theme} — séance {session}"),
                });
            }
        }
    }
    planned.sort_by_key(|p| p.date);
    planned
}

/// `actions.csv` as text (UTF-8; written in Windows-1252 like the others).
pub(super) fn actions_csv(options: &SampleOptions) -> String {
    // Its own stream: the other files do not depend on the actions.
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x00AC_7105);
    let rng = &mut rng;
    let referential = Teams::builtin();
    let planned = plan(options, rng);
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(planned.len());
    for (index, action) in planned.iter().enumerate() {
        // The same draws with --canonical, which writes the codes.
        let form = |rng: &mut ChaCha8Rng, field: &str, code: &str| {
            let forms = forms(field, code);
            let typed = forms[rng.gen_range(0..forms.len())];
            if options.canonical { code } else { typed }.to_string()
        };
        let team = match referential.get(action.team) {
            Some(team) if rng.gen_bool(0.4) && !options.canonical => team.name.clone(),
            _ => action.team.to_string(),
        };
        let mut codes = vec![weighted(rng, publics(action.code), |p| p.1).0];
        if rng.gen_bool(0.3) {
            let other = weighted(rng, publics(action.code), |p| p.1).0;
            if !codes.contains(&other) {
                codes.push(other);
            }
        }
        let public = if rng.gen_bool(0.04) {
            String::new()
        } else {
            codes
                .iter()
                .map(|c| form(rng, "public", c))
                .collect::<Vec<_>>()
                .join("|")
        };
        let (low, high, quarter_low, quarter_high) = size(action.code);
        let participants = if rng.gen_bool(0.06) {
            String::new()
        } else {
            rng.gen_range(low..=high).to_string()
        };
        let hours = if rng.gen_bool(0.05) {
            String::new()
        } else {
            let quarters = rng.gen_range(quarter_low..=quarter_high);
            let text = match quarters % 4 {
                0 => (quarters / 4).to_string(),
                2 => format!("{},5", quarters / 4),
                q => format!("{},{}", quarters / 4, q * 25),
            };
            if rng.gen_bool(0.1) || options.canonical {
                text.replace(',', ".")
            } else {
                text
            }
        };
        let partners = *[
            "",
            "",
            "",
            "ARS",
            "MDPH",
            "Centre de ressources autisme",
            "Université",
        ]
        .choose(rng)
        .unwrap_or(&"");
        rows.push(vec![
            format!("AC{:06}", index + 1),
            format_date(action.date),
            team,
            form(rng, "type", action.code),
            public,
            participants,
            hours,
            action.title.clone(),
            partners.to_string(),
        ]);
    }
    if !options.clean {
        dirty(&mut rows, options, rng);
    }
    super::write::to_csv(FileKind::Actions, &HEADER, &rows, options.canonical)
}

/// A handful of bad rows of each kind, none of which can move a count of
/// 2021: excluded rows, rows of another year, and unreadable numbers or
/// publics on existing rows (which change no count of actions).
fn dirty(rows: &mut Vec<Vec<String>>, options: &SampleOptions, rng: &mut ChaCha8Rng) {
    if rows.len() < 20 {
        return;
    }
    let year = if options.last_year != CALIBRATION_YEAR {
        options.last_year
    } else {
        options.first_year
    };
    let other_year = |rng: &mut ChaCha8Rng| format_date(date_in(rng, year));
    let template = rows[0].clone();
    let with = |id: &str, date: String, team: &str, kind: &str| -> Vec<String> {
        let mut row = template.clone();
        row[0] = id.to_string();
        row[1] = date;
        row[2] = team.to_string();
        row[3] = kind.to_string();
        row
    };
    let mut extra = vec![
        with("", other_year(rng), "ERHR-BRE", "Formation"),
        with("NR", other_year(rng), "ERHR-IDF", "Sensibilisation"),
        with("AC900001", "31/02/2022".to_string(), "ERHR-NE", "Formation"),
        with("AC900002", String::new(), "ERHR-NO", "Formation"),
        with("AC900003", other_year(rng), "ERHR-BRET", "Autre"),
        with("AC900004", other_year(rng), "", "Animation territoriale"),
        with("AC900005", other_year(rng), "ERHR-OCC", "Webinaire"),
    ];
    let mut ragged = with("AC900006", other_year(rng), "ERHR-PDL", "Formation");
    ragged.push("voir compte rendu".to_string());
    extra.push(ragged);
    // The first rows' ids again, later in the file: excluded (first wins).
    for row in &rows[..2] {
        let mut copy = row.clone();
        copy[1] = other_year(rng);
        extra.push(copy);
    }
    for (k, (column, value)) in [(5, "une vingtaine"), (5, "15-20"), (6, "1h30"), (6, "2 h")]
        .into_iter()
        .enumerate()
    {
        let at = (k + 1) * rows.len() / 6;
        rows[at][column] = value.to_string();
    }
    let at = rows.len() / 2;
    rows[at][4] = if rows[at][4].is_empty() {
        "Bénévoles".to_string()
    } else {
        format!("{}|Bénévoles", rows[at][4])
    };
    for row in extra {
        let at = rng.gen_range(2..=rows.len());
        rows.insert(at, row);
    }
}
