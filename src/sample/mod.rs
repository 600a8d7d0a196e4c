//! `bilan sample`: a deterministic synthetic export in the dialect of real
//! ones (`;`, Windows-1252, `JJ/MM/AAAA`, CRLF, French headers and labels as
//! people type them, a few percent not filled in, a handful of bad rows of
//! each kind of SPEC §3), and the teams' collective actions (`actions.rs`,
//! calibrated on the bilan 2021: 349 sensibilisation and 497 formation
//! actions). With `--canonical` the same persons and acts are written as a
//! database dump would write them: UTF-8, LF, the spec's column names and
//! codes, team codes, empty cells for what is not filled in.
//!
//! It is a ten-year archive of a network that opens in 2015 (with the
//! default `--years 2015-2024`), and calibration is by construction, not by
//! trying seeds (see `calibration`): every person's timeline is decided
//! first, year by year, so that exactly the published number of persons is
//! active each year and exactly the published number is new; then the dates
//! of each person's first demande and first answer; then the attributes of
//! the persons active in a calibrated year are dealt by exact counts (not
//! filled in, positive, negative) so that every rate rounds to the published
//! one, 2024 first and 2021 among the persons 2024 left free. The bad rows
//! are placed where they cannot move a calibrated figure.

mod actions;
mod acts;
mod calibration;
mod deal;
mod forms;
mod labels;
mod profile;
mod write;
mod xlsx;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use write::write_export;
pub use xlsx::write_workbooks;

use crate::reference::{departements_of, Teams};
use calibration as c;
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
    /// Codes instead of labels, team codes, the spec's column names, no
    /// not-filled markers but empty cells; UTF-8 with LF line ends.
    pub canonical: bool,
    /// The act files' rows grouped by person, then by date (clean exports).
    pub by_person: bool,
}

impl SampleOptions {
    /// The year of the window that plays `published` (a year of the
    /// published bilans): the last year plays 2024.
    fn playing(&self, published: i32) -> i32 {
        published - c::LAST + self.last_year
    }

    /// The published year that `year` of the window plays.
    fn played(&self, year: i32) -> i32 {
        year - self.last_year + c::LAST
    }

    /// The first year with activity: the year the first teams open, or the
    /// first year of the window if it starts later.
    fn first_active_year(&self) -> i32 {
        self.first_year.max(self.playing(c::SERIES[0].0))
    }
}

/// The four files as text (UTF-8; encoded to Windows-1252 when written,
/// unless the export is canonical).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleExport {
    /// Written as `--canonical` asks: UTF-8, codes, the spec's columns.
    pub canonical: bool,
    pub usagers: String,
    pub demandes: String,
    pub interventions: String,
    /// `actions.csv`, the collective actions (SPEC §2.6).
    pub actions: String,
}

/// The outcome of a person's field for a calibrated year's rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    NotFilled,
    Positive,
    Negative,
}

#[derive(Debug, Clone)]
struct Person {
    id: String,
    /// The person is active every year from `first` to `last`.
    first: i32,
    last: i32,
    /// The first demande (`AAAAMMJJ`), in `first`.
    asked: i32,
    /// The first answer: the earliest intervention, on or after `asked`.
    /// `None` when it would come after `last` (still waiting at the end of
    /// the window, or gone before an answer).
    answered: Option<i32>,
    erhr: Option<&'static str>,
    cnrhr: Option<&'static str>,
    departement: &'static str,
    birth: (i32, u32, u32),
    sexe: &'static str,
    lieu: Slot,
    maladie: Slot,
    tnd: Slot,
    school: Slot,
    /// `Positive` is *sans solution*.
    situation: Slot,
    /// A visit in the last year (for persons active then).
    visited_last: bool,
    deficiences: Vec<&'static str>,
    /// (v3) The codes written in `troubles_associes` (empty: `aucun`;
    /// `None`: not filled in).
    troubles: Option<Vec<&'static str>>,
    /// (v3) The types of accompaniment (empty: `aucun`; `None`: not filled in).
    accompagnements: Option<Vec<&'static str>>,
}

impl Person {
    fn new(first: i32) -> Self {
        Person {
            id: String::new(),
            first,
            last: first,
            asked: first * 10_000 + 101,
            answered: None,
            erhr: None,
            cnrhr: None,
            departement: "",
            birth: (0, 1, 1),
            sexe: "F",
            lieu: Slot::NotFilled,
            maladie: Slot::NotFilled,
            tnd: Slot::NotFilled,
            school: Slot::NotFilled,
            situation: Slot::NotFilled,
            visited_last: false,
            deficiences: Vec::new(),
            troubles: None,
            accompagnements: None,
        }
    }

    fn age(&self, year: i32) -> i32 {
        year - self.birth.0
    }

    fn active_in(&self, year: i32) -> bool {
        (self.first..=self.last).contains(&year)
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

/// The seed of the v3 draws is `--seed` xor this.
const V3_STREAM: u64 = 0x7633_5345_4544_0003;

/// Generates the export in memory.
pub fn generate(options: &SampleOptions) -> SampleExport {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    // (v3) What SPEC v3 adds is drawn apart, so that the rest of the
    // sample stays as it was.
    let mut v3 = ChaCha8Rng::seed_from_u64(options.seed ^ V3_STREAM);
    let labels = Labels::new();
    let mut persons = timelines(options, &mut rng);
    acts::schedule(&mut persons, &mut rng);
    demographics(&mut persons, options, &mut rng);
    deal::deal(&mut persons, options, &mut rng);
    profile::deal_profile(&mut persons, options, &mut v3);
    let (demandes, interventions) = acts::acts(&persons, options, &mut rng, &mut v3);
    let mut export = write::render(
        &persons,
        demandes,
        interventions,
        options,
        &labels,
        (&mut rng, &mut v3),
    );
    export.actions = actions::actions_csv(options);
    export
}

/// Decides who is active when, year by year: the persons followed the year
/// before stay, but for those drawn at random to leave, so that the year
/// has its number of persons accompanied, and the new persons come in.
/// In the window's first year with activity everyone is new (the export
/// holds no earlier history).
fn timelines(options: &SampleOptions, rng: &mut ChaCha8Rng) -> Vec<Person> {
    let mut persons: Vec<Person> = Vec::new();
    let mut followed: Vec<usize> = Vec::new();
    for year in options.first_year..=options.last_year {
        let (mut active, new) = c::series(options.played(year), options.persons);
        if year == options.last_year {
            active = active.max(1);
        }
        let kept = (active.saturating_sub(new) as usize).min(followed.len());
        followed.shuffle(rng);
        for &gone in &followed[kept..] {
            persons[gone].last = year - 1;
        }
        followed.truncate(kept);
        for _ in kept as u64..active {
            followed.push(persons.len());
            persons.push(Person::new(year));
        }
    }
    for &person in &followed {
        persons[person].last = options.last_year;
    }
    persons.shuffle(rng);
    for (index, person) in persons.iter_mut().enumerate() {
        person.id = format!("U{:06}", index + 1);
    }
    persons
}

/// (bracket low, high, weight) of ages on 31 December of a person's last
/// year, cut as the spec's brackets so that the first six are under 20.
const AGES: [(i32, i32, u32); 10] = [
    (0, 2, 5),
    (3, 5, 10),
    (6, 11, 18),
    (12, 15, 12),
    (16, 17, 5),
    (18, 19, 3),
    (20, 24, 7),
    (25, 44, 20),
    (45, 59, 13),
    (60, 85, 7),
];

/// Teams, département, age, sex and déficiences; persons followed by a
/// CNRHR get the déficiences of its speciality. A person's ERHR is one
/// already open in their first year. Exactly the published share of the
/// persons active in the last year is under 20 then.
fn demographics(persons: &mut [Person], options: &SampleOptions, rng: &mut ChaCha8Rng) {
    let teams = Teams::builtin();
    let territories: std::collections::BTreeMap<&str, Vec<&'static str>> = ERHR_WEIGHTS
        .iter()
        .map(|(code, _, _)| {
            let regions = teams.get(code).map_or("", |t| t.regions.as_str());
            let departements = regions.split('|').flat_map(departements_of).collect();
            (*code, departements)
        })
        .collect();
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
    let mut young: Vec<Option<bool>> = vec![None; persons.len()];
    let mut latest: Vec<usize> = (0..persons.len())
        .filter(|&i| persons[i].last == options.last_year)
        .collect();
    let under_20 = c::numerator_for(c::UNDER_20, latest.len() as u64) as usize;
    latest.shuffle(rng);
    for (rank, person) in latest.into_iter().enumerate() {
        young[person] = Some(rank < under_20);
    }
    let first_teams = options.playing(c::SERIES[0].0);
    for (person, young) in persons.iter_mut().zip(young) {
        let ages = match young {
            Some(true) => &AGES[..6],
            Some(false) => &AGES[6..],
            None => &AGES[..],
        };
        let (low, high, _) = *weighted(rng, ages, |a| a.2);
        // Born before their first year: followed since then.
        let age = rng.gen_range(low..=high).max(person.last - person.first);
        let born = person.last - age;
        let (month, day) = if born == person.first {
            // Born the year of their first demande, before it.
            let asked = (person.asked / 100 % 100, person.asked % 100);
            let month = rng.gen_range(1..=asked.0);
            let day = rng.gen_range(1..=if month == asked.0 { asked.1 } else { 28 });
            (month as u32, day as u32)
        } else {
            (rng.gen_range(1..=12), rng.gen_range(1..=28))
        };
        person.birth = (born, month, day);
        person.sexe = if rng.gen_bool(0.54) { "M" } else { "F" };
        let open: Vec<(&'static str, u32)> = ERHR_WEIGHTS
            .iter()
            .filter(|t| first_teams + t.2 <= person.first)
            .map(|t| (t.0, t.1))
            .collect();
        let open = if open.is_empty() {
            ERHR_WEIGHTS.iter().map(|t| (t.0, t.1)).collect()
        } else {
            open
        };
        let (erhr, _) = *weighted(rng, &open, |t| t.1);
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
        .ok_or_else(|| format!("--years {text}: expected FIRST-LAST, e.g. 2015-2024"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options(first_year: i32, last_year: i32, persons: u64) -> SampleOptions {
        SampleOptions {
            seed: 1,
            persons,
            first_year,
            last_year,
            clean: false,
            canonical: false,
            by_person: false,
        }
    }

    /// Each year of the window has the persons and the new persons of the
    /// year it plays; nothing before the first teams.
    #[test]
    fn timelines_follow_the_series_in_any_window() {
        for (options, shift) in [
            (options(2010, 2024, 6000), 0),
            (options(2025, 2034, 3000), 10),
        ] {
            let persons = timelines(&options, &mut ChaCha8Rng::seed_from_u64(1));
            for year in options.first_year..=options.last_year {
                let active = persons.iter().filter(|p| p.active_in(year)).count() as u64;
                let new = persons.iter().filter(|p| p.first == year).count() as u64;
                let (want_active, want_new) = c::series(year - shift, options.persons);
                assert_eq!(active, want_active, "{year}");
                assert_eq!(
                    new,
                    if year == 2015 + shift {
                        active
                    } else {
                        want_new
                    }
                );
            }
            assert_eq!(options.first_active_year(), 2015 + shift);
        }
    }
}
