//! `bilan sample`: a deterministic synthetic export in the dialect of real
//! ones (`;`, Windows-1252, `JJ/MM/AAAA`, CRLF, French headers and labels as
//! people type them, a few percent not filled in, a handful of bad rows of
//! each kind of SPEC §3), and the teams' collective actions (`actions.rs`,
//! calibrated on the bilan 2021: 349 sensibilisation and 497 formation
//! actions).
//!
//! Calibration is by construction, not by trying seeds: every person's
//! timeline (year of first demande, last active year) is decided first, so
//! that exactly the published share is active in the last year and exactly
//! the published share of those is new; then the attributes of the persons
//! active in the last year are dealt by exact counts (not filled in,
//! positive, negative) so that every rate rounds to the published one. The
//! bad rows are placed where they cannot move a figure of the last year.

mod actions;
mod acts;
mod calibration;
mod labels;
mod write;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use write::write_export;

use crate::reference::{departements_of, Teams};
use labels::{Labels, ERHR_WEIGHTS};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub seed: u64,
    pub persons: u64,
    pub first_year: i32,
    pub last_year: i32,
    /// No bad rows, no unknown values.
    pub clean: bool,
}

/// The four files as text (UTF-8; encoded to Windows-1252 when written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleExport {
    pub usagers: String,
    pub demandes: String,
    pub interventions: String,
    /// `actions.csv`, the collective actions (SPEC §2.6).
    pub actions: String,
}

/// The outcome of a person's field for the last year's rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    NotFilled,
    Positive,
    Negative,
}

#[derive(Debug, Clone)]
struct Person {
    id: String,
    first: i32,
    last: i32,
    erhr: Option<&'static str>,
    cnrhr: Option<&'static str>,
    departement: &'static str,
    birth: (i32, u32, u32),
    sexe: &'static str,
    lieu: Slot,
    maladie: Slot,
    tnd: Slot,
    school: Slot,
    /// A visit in the last year (for persons active then).
    visited_last: bool,
    deficiences: Vec<&'static str>,
}

impl Person {
    fn age(&self, year: i32) -> i32 {
        year - self.birth.0
    }

    fn teams(&self) -> Vec<&'static str> {
        self.erhr.iter().chain(self.cnrhr.iter()).copied().collect()
    }
}

/// One row of `demandes.csv` or `interventions.csv`, before ids are given.
#[derive(Debug, Clone)]
struct Act {
    person: usize,
    date: i32,
    team: &'static str,
    /// `origine` or `type_intervention` code.
    kind: &'static str,
    minutes: Option<u32>,
}

/// Generates the export in memory.
pub fn generate(options: &SampleOptions) -> SampleExport {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let labels = Labels::new();
    let mut persons = timelines(options, &mut rng);
    demographics(&mut persons, options.last_year, &mut rng);
    deal_last_year(&mut persons, options.last_year, &mut rng);
    let (demandes, interventions) = acts::acts(&persons, options, &mut rng);
    let mut export = write::render(
        &persons,
        demandes,
        interventions,
        options,
        &labels,
        &mut rng,
    );
    export.actions = actions::actions_csv(options);
    export
}

/// Decides who is active when: `first` is the year of the first demande,
/// and the person is active every year from `first` to `last`.
fn timelines(options: &SampleOptions, rng: &mut ChaCha8Rng) -> Vec<Person> {
    let (a, b) = (options.first_year, options.last_year);
    let total = options.persons;
    // With a single year there is no history: everyone is active and new.
    let (active, new) = if a < b {
        let active = calibration::scale(total, calibration::ACTIVE, calibration::REFERENCE_PERSONS);
        let active = active.min(total);
        (
            active,
            calibration::scale(active, calibration::NEW, calibration::ACTIVE),
        )
    } else {
        (total, total)
    };
    // Persons active in the last year but known before: first demande in
    // any earlier year. Persons no longer active: their last year leans to
    // recent years (a third end the year before), and they were followed
    // for one year or a few.
    let history: Vec<i32> = (a..b).collect();
    let last_weights: Vec<(i32, u32)> = history
        .iter()
        .map(|&y| {
            (
                y,
                if y == b - 1 {
                    5
                } else {
                    2 + u32::from(y >= b - 3)
                },
            )
        })
        .collect();
    let mut persons = Vec::with_capacity(total as usize);
    for index in 0..total {
        let (first, last) = if index < new {
            (b, b)
        } else if index < active {
            (history[rng.gen_range(0..history.len())], b)
        } else {
            let last = weighted(rng, &last_weights, |w| w.1).0;
            let mut first = last;
            while first > a && rng.gen_bool(0.5) {
                first -= 1;
            }
            (first, last)
        };
        persons.push(Person {
            id: String::new(),
            first,
            last,
            erhr: None,
            cnrhr: None,
            departement: "",
            birth: (0, 1, 1),
            sexe: "F",
            lieu: Slot::NotFilled,
            maladie: Slot::NotFilled,
            tnd: Slot::NotFilled,
            school: Slot::NotFilled,
            visited_last: false,
            deficiences: Vec::new(),
        });
    }
    persons.shuffle(rng);
    for (index, person) in persons.iter_mut().enumerate() {
        person.id = format!("U{:06}", index + 1);
    }
    persons
}

/// Teams, département, age, sex and déficiences; persons followed by a
/// CNRHR get the déficiences of its speciality.
fn demographics(persons: &mut [Person], last_year: i32, rng: &mut ChaCha8Rng) {
    let teams = Teams::builtin();
    let territories: std::collections::BTreeMap<&str, Vec<&'static str>> = ERHR_WEIGHTS
        .iter()
        .map(|(code, _)| {
            let regions = teams.get(code).map_or("", |t| t.regions.as_str());
            let departements = regions.split('|').flat_map(departements_of).collect();
            (*code, departements)
        })
        .collect();
    // (bracket low, high, weight) of ages on 31 December of the last year.
    const AGES: [(i32, i32, u32); 9] = [
        (0, 2, 5),
        (3, 5, 9),
        (6, 11, 17),
        (12, 15, 12),
        (16, 17, 5),
        (18, 24, 10),
        (25, 44, 20),
        (45, 59, 14),
        (60, 85, 8),
    ];
    const CNRHR: [(&str, &[&str], u32); 4] = [
        ("CNRHR-CRESAM", &["surdicecite"], 25),
        ("CNRHR-LAPLANE", &["auditive", "langage"], 30),
        ("CNRHR-PEPINIERE", &["visuelle"], 25),
        ("CNRHR-FAHRES", &["epilepsie"], 20),
    ];
    const OTHERS: [(&str, u32); 7] = [
        ("intellectuelle", 30),
        ("motrice", 20),
        ("psychique", 14),
        ("langage", 12),
        ("affection_chronique", 10),
        ("auditive", 7),
        ("visuelle", 7),
    ];
    for person in persons.iter_mut() {
        let (low, high, _) = *weighted(rng, &AGES, |a| a.2);
        let age = rng.gen_range(low..=high);
        person.birth = (
            last_year - age,
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        );
        person.sexe = if rng.gen_bool(0.54) { "M" } else { "F" };
        let (erhr, _) = *weighted(rng, &ERHR_WEIGHTS, |t| t.1);
        let departements = &territories[erhr];
        person.departement = departements[rng.gen_range(0..departements.len())];
        person.erhr = Some(erhr);
        if rng.gen_bool(0.14) {
            let (code, deficiences, _) = *weighted(rng, &CNRHR, |c| c.2);
            person.cnrhr = Some(code);
            if rng.gen_bool(0.35) {
                person.erhr = None;
            }
            person.deficiences = deficiences.to_vec();
        }
        let extra = if person.deficiences.is_empty() {
            2
        } else {
            rng.gen_range(1..=2)
        };
        for _ in 0..extra {
            let (code, _) = *weighted(rng, &OTHERS, |o| o.1);
            if !person.deficiences.contains(&code) {
                person.deficiences.push(code);
            }
        }
    }
}

/// Deals the rate outcomes of the persons active in the last year by exact
/// counts, and draws those of the others with the same shares.
fn deal_last_year(persons: &mut [Person], year: i32, rng: &mut ChaCha8Rng) {
    let active: Vec<usize> = (0..persons.len())
        .filter(|&i| persons[i].last == year)
        .collect();
    let children: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| (3..=16).contains(&persons[i].age(year)))
        .collect();
    use calibration as c;
    let dealt =
        |rng: &mut ChaCha8Rng, population: &[usize], not_filled_per_mille: u64, percent: u64| {
            let not_filled = c::scale(population.len() as u64, not_filled_per_mille, 1000);
            let positive = c::numerator_for(percent, population.len() as u64 - not_filled);
            let mut order = population.to_vec();
            order.shuffle(rng);
            order
                .into_iter()
                .enumerate()
                .map(|(rank, person)| {
                    let rank = rank as u64;
                    let slot = if rank < not_filled {
                        Slot::NotFilled
                    } else if rank < not_filled + positive {
                        Slot::Positive
                    } else {
                        Slot::Negative
                    };
                    (person, slot)
                })
                .collect::<Vec<_>>()
        };
    for (person, slot) in dealt(rng, &active, c::NOT_FILLED_DIAGNOSIS, c::DIAGNOSED) {
        persons[person].maladie = slot;
    }
    for (person, slot) in dealt(rng, &active, c::NOT_FILLED_HOME, c::AT_HOME) {
        persons[person].lieu = slot;
    }
    for (person, slot) in dealt(rng, &active, c::NOT_FILLED_TND, c::TND) {
        persons[person].tnd = slot;
    }
    for (person, slot) in dealt(rng, &children, c::NOT_FILLED_SCHOOL, c::SCHOOLED) {
        persons[person].school = slot;
    }
    for (person, slot) in dealt(rng, &active, 0, c::VISITED) {
        persons[person].visited_last = slot == Slot::Positive;
    }
    let draw = |rng: &mut ChaCha8Rng, not_filled_per_mille: u64, percent: u64| {
        if rng.gen_range(0..1000) < not_filled_per_mille {
            Slot::NotFilled
        } else if rng.gen_range(0..100) < percent {
            Slot::Positive
        } else {
            Slot::Negative
        }
    };
    for person in persons.iter_mut().filter(|p| p.last != year) {
        person.maladie = draw(rng, c::NOT_FILLED_DIAGNOSIS, c::DIAGNOSED);
        person.lieu = draw(rng, c::NOT_FILLED_HOME, c::AT_HOME);
        person.tnd = draw(rng, c::NOT_FILLED_TND, c::TND);
        person.school = draw(rng, c::NOT_FILLED_SCHOOL, c::SCHOOLED);
    }
}

/// An item drawn with probability proportional to its weight.
fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut pick = rng.gen_range(0..total);
    for item in items {
        let w = weight(item);
        if pick < w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1]
}

/// Parses `--years A-B`.
pub fn parse_years(text: &str) -> Result<(i32, i32), String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("--years {text}: expected FIRST-LAST, e.g. 2019-2024"))?;
    let (a, b): (i32, i32) = (
        a.trim()
            .parse()
            .map_err(|_| format!("--years {text}: {a} is not a year"))?,
        b.trim()
            .parse()
            .map_err(|_| format!("--years {text}: {b} is not a year"))?,
    );
    if !(1900..=2200).contains(&a) || !(1900..=2200).contains(&b) || a > b || b - a > 50 {
        return Err(format!("--years {text}: give two years between 1900 and 2200, the first not after the last, at most 50 apart"));
    }
    Ok((a, b))
}
