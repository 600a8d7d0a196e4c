//! The acts of the synthetic export: each person's first demande and first
//! answer (SPEC §4.2), then their demandes and interventions, dated across
//! the years of their timeline, with the origins, types and durations of a
//! real export.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{weighted, Act, Person, SampleOptions};
use crate::validate::days_in_month;

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

/// (low, high, weight) of the days from a first demande to the first
/// answer: a call back within the week for one in five, most within weeks,
/// a tail of several months (median about three weeks, nine in ten within
/// three months).
const DELAYS: [(u32, u32, u32); 5] = [
    (0, 7, 22),
    (8, 30, 38),
    (31, 90, 28),
    (91, 180, 9),
    (181, 300, 3),
];

/// `date` (`AAAAMMJJ`) plus `days`.
fn add_days(date: i32, days: u32) -> i32 {
    let (mut year, mut month) = (date / 10_000, date / 100 % 100);
    let mut day = date % 100 + days as i32;
    while day > days_in_month(year, month) {
        day -= days_in_month(year, month);
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    year * 10_000 + month * 100 + day
}

/// Dates every person's first demande, in their first year, and their first
/// answer after a drawn delay. An answer that would come after the person's
/// last year never comes: a first demande late in the last year is still
/// waiting on 31 December.
pub(super) fn schedule(persons: &mut [Person], rng: &mut ChaCha8Rng) {
    for person in persons {
        person.asked = random_date(rng, person.first, person.first * 10_000 + 101);
        let (low, high, _) = *weighted(rng, &DELAYS, |d| d.2);
        let answer = add_days(person.asked, rng.gen_range(low..=high));
        person.answered = (answer / 10_000 <= person.last).then_some(answer);
    }
}

/// Every person's demandes and interventions, year by year: no
/// intervention before the first answer, which is by the team first asked;
/// the second team (a CNRHR beside an ERHR) is asked once the first has
/// answered, and intervenes only after it was asked.
///
/// (v3) Drawn from `v3`, so that the acts written before stay as they
/// were: the network of SPEC §4.7 — the ERHR asks the CNRHR (origin
/// `erhr`), a CNRHR sometimes asks the ERHR again (`cnrhr`), a person
/// followed by a CNRHR alone was often sent by an ERHR, and the two teams
/// meet about the person (a `reunion` of the second team) in half of the
/// years after it was asked.
pub(super) fn acts(
    persons: &[Person],
    options: &SampleOptions,
    rng: &mut ChaCha8Rng,
    v3: &mut ChaCha8Rng,
) -> (Vec<Act>, Vec<Act>) {
    let mut demandes = Vec::new();
    let mut interventions = Vec::new();
    for (index, person) in persons.iter().enumerate() {
        let teams = person.teams();
        let primary = teams[0];
        let both = person.erhr.is_some() && person.cnrhr.is_some();
        let mut second_asked: Option<i32> = None;
        for year in person.first..=person.last {
            let mut start = year * 10_000 + 101;
            let asked_again = year != person.first && rng.gen_bool(0.25);
            if year == person.first {
                start = person.asked;
            } else if asked_again {
                start = random_date(rng, year, start);
            }
            if year == person.first || asked_again {
                let mut kind = weighted(rng, &ORIGINS, |o| o.1).0;
                if person.erhr.is_none() && year == person.first && v3.gen_bool(0.2) {
                    kind = "erhr";
                } else if both && second_asked.is_some() && v3.gen_bool(0.25) {
                    kind = "cnrhr";
                }
                demandes.push(Act {
                    person: index,
                    date: start,
                    team: primary,
                    kind,
                    minutes: None,
                });
            }
            let answer = match person.answered {
                Some(answer) if answer / 10_000 == year => Some(answer),
                Some(answer) if answer / 10_000 < year => None,
                _ => continue,
            };
            if let Some(answer) = answer {
                start = start.max(answer);
            }
            if teams.len() > 1 && second_asked.is_none() && rng.gen_bool(0.6) {
                let date = random_date(rng, year, start);
                second_asked = Some(date);
                demandes.push(Act {
                    person: index,
                    date,
                    team: teams[1],
                    kind: if v3.gen_bool(0.75) { "erhr" } else { "esms" },
                    minutes: None,
                });
            }
            let visited = if year == options.last_year {
                person.visited_last
            } else {
                rng.gen_bool(0.35)
            };
            // More acts in the first year (evaluation), fewer in follow-up.
            let count = if year == person.first {
                1 + rng.gen_range(0..3) + rng.gen_range(0..3)
            } else {
                1 + rng.gen_range(0..2) + rng.gen_range(0..2)
            };
            for k in 0..count {
                let kind = if visited && k == count - 1 {
                    if rng.gen_bool(0.6) {
                        "visite_domicile"
                    } else {
                        "visite_etablissement"
                    }
                } else {
                    weighted(rng, &OTHER_TYPES, |t| t.1).0
                };
                let (date, team) = match answer {
                    Some(answer) if k == 0 => (answer, primary),
                    _ => {
                        let date = random_date(rng, year, start);
                        let second = second_asked.is_some_and(|asked| asked <= date);
                        if second && rng.gen_bool(0.3) {
                            (date, teams[1])
                        } else {
                            (date, primary)
                        }
                    }
                };
                interventions.push(Act {
                    person: index,
                    date,
                    team,
                    kind,
                    minutes: minutes(rng, kind),
                });
            }
            if let Some(asked) = second_asked.filter(|_| v3.gen_bool(0.5)) {
                let date = random_date(v3, year, start.max(asked));
                interventions.push(Act {
                    person: index,
                    date,
                    team: teams[1],
                    kind: "reunion",
                    minutes: minutes(v3, "reunion"),
                });
            }
        }
    }
    (demandes, interventions)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC §4.2 as the sample means it: the first demande is the earliest,
    /// the first answer is the earliest intervention, and it comes on or
    /// after the first demande, by the team first asked.
    #[test]
    fn no_intervention_comes_before_the_first_answer() {
        use rand::SeedableRng;
        let options = SampleOptions {
            seed: 5,
            persons: 600,
            first_year: 2015,
            last_year: 2024,
            clean: true,
            canonical: false,
            by_person: false,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut v3 = ChaCha8Rng::seed_from_u64(options.seed + 1);
        let mut persons = super::super::timelines(&options, &mut rng);
        for person in &mut persons {
            person.erhr = Some("ERHR-BRE");
            person.cnrhr = Some("CNRHR-FAHRES");
        }
        schedule(&mut persons, &mut rng);
        let (demandes, interventions) = acts(&persons, &options, &mut rng, &mut v3);
        let mut waiting = 0;
        for (index, person) in persons.iter().enumerate() {
            let earliest = |acts: &[Act]| {
                acts.iter()
                    .filter(|a| a.person == index)
                    .min_by_key(|a| a.date)
                    .map(|a| (a.date, a.team))
            };
            assert_eq!(earliest(&demandes), Some((person.asked, "ERHR-BRE")));
            match person.answered {
                Some(answer) => {
                    assert!(answer >= person.asked);
                    assert_eq!(earliest(&interventions), Some((answer, "ERHR-BRE")));
                }
                None => {
                    waiting += 1;
                    assert_eq!(earliest(&interventions), None);
                    assert_eq!(person.first, person.last);
                }
            }
        }
        assert!(waiting > 0 && waiting < persons.len() / 10, "{waiting}");
    }

    #[test]
    fn days_are_added_across_months_and_years() {
        assert_eq!(add_days(20240101, 0), 20240101);
        assert_eq!(add_days(20240220, 10), 20240301);
        assert_eq!(add_days(20231220, 300), 20241015);
    }
}
