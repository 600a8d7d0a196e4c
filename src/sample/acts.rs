//! The acts of the synthetic export: each person's demandes and
//! interventions, dated across the years of their timeline, with the
//! origins, types and durations of a real export.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{weighted, Act, Person, SampleOptions};

/// Month weights: fewer requests in summer and at Christmas.
const MONTHS: [u32; 12] = [9, 9, 10, 9, 9, 10, 6, 3, 10, 10, 9, 6];

fn random_date(rng: &mut ChaCha8Rng, year: i32, not_before: i32) -> i32 {
    let earliest_month = if not_before / 10_000 == year {
        (not_before / 100 % 100) as usize
    } else {
        1
    };
    let months: Vec<(usize, u32)> = (earliest_month..=12).map(|m| (m, MONTHS[m - 1])).collect();
    let (month, _) = *weighted(rng, &months, |m| m.1);
    let earliest_day = if not_before / 100 == year * 100 + month as i32 {
        not_before % 100
    } else {
        1
    };
    let day = rng.gen_range(earliest_day..=28.max(earliest_day));
    year * 10_000 + month as i32 * 100 + day
}

const ORIGINS: [(&str, u32); 7] = [
    ("famille", 30),
    ("esms", 22),
    ("sanitaire", 18),
    ("mdph", 10),
    ("education", 8),
    ("personne", 7),
    ("autre", 5),
];
const OTHER_TYPES: [(&str, u32); 6] = [
    ("entretien", 40),
    ("reunion", 20),
    ("evaluation", 15),
    ("orientation", 14),
    ("pret_materiel", 5),
    ("autre", 6),
];

fn minutes(rng: &mut ChaCha8Rng, kind: &str) -> Option<u32> {
    if rng.gen_bool(0.05) {
        return None;
    }
    let (low, high) = match kind {
        "visite_domicile" | "visite_etablissement" => (4, 12),
        "evaluation" => (6, 16),
        "reunion" => (4, 8),
        "entretien" | "orientation" => (1, 4),
        _ => (2, 4),
    };
    Some(15 * rng.gen_range(low..=high))
}

/// Every person's demandes and interventions, year by year.
pub(super) fn acts(
    persons: &[Person],
    options: &SampleOptions,
    rng: &mut ChaCha8Rng,
) -> (Vec<Act>, Vec<Act>) {
    let mut demandes = Vec::new();
    let mut interventions = Vec::new();
    for (index, person) in persons.iter().enumerate() {
        let teams = person.teams();
        let primary = teams[0];
        let mut second_asked = teams.len() < 2;
        for year in person.first..=person.last {
            let mut start = year * 10_000 + 101;
            if year == person.first || rng.gen_bool(0.25) {
                start = random_date(rng, year, start);
                let kind = weighted(rng, &ORIGINS, |o| o.1).0;
                demandes.push(Act {
                    person: index,
                    date: start,
                    team: primary,
                    kind,
                    minutes: None,
                });
            }
            if !second_asked && rng.gen_bool(0.6) {
                second_asked = true;
                let date = random_date(rng, year, start);
                demandes.push(Act {
                    person: index,
                    date,
                    team: teams[1],
                    kind: "esms",
                    minutes: None,
                });
            }
            let visited = if year == options.last_year {
                person.visited_last
            } else {
                rng.gen_bool(0.35)
            };
            let count = 1 + rng.gen_range(0..3) + rng.gen_range(0..3);
            for k in 0..count {
                let kind = if visited && k == 0 {
                    if rng.gen_bool(0.6) {
                        "visite_domicile"
                    } else {
                        "visite_etablissement"
                    }
                } else {
                    weighted(rng, &OTHER_TYPES, |t| t.1).0
                };
                let team = if teams.len() > 1 && rng.gen_bool(0.3) {
                    teams[1]
                } else {
                    primary
                };
                let date = random_date(rng, year, start);
                interventions.push(Act {
                    person: index,
                    date,
                    team,
                    kind,
                    minutes: minutes(rng, kind),
                });
            }
        }
    }
    (demandes, interventions)
}
