//! The indicator rows and response times of several years at once (SPEC
//! §4.1–4.3), from two passes over the acts whatever the number of years.
//!
//! The first pass tallies the acts by (team, person) pair and by person
//! (their national pair): for each pair, whether it was active and visited
//! in each year asked for, the date of its first demande ever, and of its
//! first act in the years asked for. The second finds each pair's first
//! answer: the earliest intervention of the scope on or after the first
//! demande and by 31 December of that year. A year's figures are then sums
//! over the pairs active in it, by scope, every year in one loop over the
//! pairs; its response times come from the pairs whose first demande is
//! dated in it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::delais::{days_of, DelaiRow};
use super::{
    empty_rows, rows_of, Frames, Sums, YearFigures, AT_HOME, DIAGNOSED, NATIONAL_SCOPE, SCHOOLED,
    WITHOUT_SOLUTION,
};
use crate::reference::NATIONAL;

/// Every (scope, person) pair with an act, and what the figures of the
/// years asked for need of it.
pub struct Pairs {
    /// The team pairs, then the national pairs (`scope` [`NATIONAL_SCOPE`]).
    pairs: Vec<Pair>,
    years: Vec<i32>,
}

/// One (scope, person) pair: the scope's number, the person's, and its
/// [`Tally`].
struct Pair {
    scope: u32,
    id: u32,
    tally: Tally,
}

/// At most this many years are grouped at a time: each takes two bits of
/// a pair's `u32` bit set ([`Tally`]), and their sums are kept side by
/// side (an export with a date in 9999 asks for thousands).
pub const YEARS_AT_ONCE: usize = 16;

/// A pair's figures, from its acts: the first demande ever, the first act
/// in the window, the years it was active (bit `k` for the `k`-th year
/// asked for) and visited (bit [`YEARS_AT_ONCE`]` + k`); `answer` once the
/// interventions are read again. `i32::MAX` is no date.
#[derive(Clone, Copy)]
struct Tally {
    first: i32,
    entry: i32,
    bits: u32,
    answer: i32,
}

impl Tally {
    const EMPTY: Self = Self {
        first: i32::MAX,
        entry: i32::MAX,
        bits: 0,
        answer: i32::MAX,
    };

    fn add(&mut self, act: &Act, bits: u32, window: (i32, i32)) {
        if act.demande {
            self.first = self.first.min(act.date);
        }
        if in_span(act.date, window) {
            self.entry = self.entry.min(act.date);
        }
        self.bits |= bits;
    }

    /// Takes `date` as the answer if it is one: on or after the first
    /// demande, by 31 December of its year, which is one of the years
    /// asked for (`years`: the first and the last).
    fn answer_with(&mut self, date: i32, years: (i32, i32)) {
        let first = self.first;
        if first != i32::MAX
            && in_span(first, years)
            && date >= first
            && date <= first / 10_000 * 10_000 + 1231
        {
            self.answer = self.answer.min(date);
        }
    }
}

fn date_of(date: i32) -> Option<i32> {
    (date != i32::MAX).then_some(date)
}

/// Whether an `AAAAMMJJ` date falls from 1 January of the first year to 31
/// December of the last.
fn in_span(date: i32, (first, last): (i32, i32)) -> bool {
    date >= first * 10_000 + 101 && date <= last * 10_000 + 1231
}

/// One row of the acts frame.
struct Act {
    id: u32,
    team: Option<u32>,
    date: i32,
    demande: bool,
    category: Option<u32>,
}

/// Calls `each` with every act of the frame, in order, reading the
/// columns chunk by chunk as slices and bitmaps (each column in one chunk
/// if their chunks do not line up).
fn for_each_act(acts: &DataFrame, mut each: impl FnMut(Act)) -> PolarsResult<()> {
    let ids = acts.column("id")?.u32()?;
    let teams = acts.column("team")?.u32()?;
    let dates = acts.column("date")?.i32()?;
    let demandes = acts.column("demande")?.bool()?;
    let categories = acts.column("category")?.u32()?;
    let lengths: Vec<usize> = ids.chunk_lengths().collect();
    let aligned = teams.chunk_lengths().eq(lengths.iter().copied())
        && dates.chunk_lengths().eq(lengths.iter().copied())
        && demandes.chunk_lengths().eq(lengths.iter().copied())
        && categories.chunk_lengths().eq(lengths.iter().copied());
    let (ids, teams, dates) = (
        lined_up(ids, aligned),
        lined_up(teams, aligned),
        lined_up(dates, aligned),
    );
    let (demandes, categories) = (lined_up(demandes, aligned), lined_up(categories, aligned));
    let chunks = ids
        .downcast_iter()
        .zip(teams.downcast_iter())
        .zip(dates.downcast_iter())
        .zip(demandes.downcast_iter())
        .zip(categories.downcast_iter());
    for ((((ids, teams), dates), demandes), categories) in chunks {
        // The frame's ids and dates have no nulls (`Frames`).
        let rows = ids.values().iter().zip(dates.values().iter());
        for (row, (&id, &date)) in rows.enumerate() {
            each(Act {
                id,
                team: teams.get(row),
                date,
                demande: demandes.value(row),
                category: categories.get(row),
            });
        }
    }
    Ok(())
}

/// `ca` itself when the columns' chunks line up, else in one chunk.
fn lined_up<T: PolarsDataType>(ca: &ChunkedArray<T>, aligned: bool) -> Cow<'_, ChunkedArray<T>> {
    if aligned {
        Cow::Borrowed(ca)
    } else {
        ca.rechunk()
    }
}

impl Pairs {
    /// Groups the acts by pair for `years` (ascending, contiguous or not,
    /// at most [`YEARS_AT_ONCE`] of them); `entry` is each pair's first act
    /// in `window` (first and last year, inclusive).
    ///
    /// Two passes over the acts in plain Rust (decision 81): the first
    /// tallies each team pair in a hash table and each person's national
    /// pair in a table indexed by their number; the second gives the pairs
    /// whose first demande is in the years their first answer.
    pub fn new(frames: &Frames, years: &[i32], window: (i32, i32)) -> PolarsResult<Self> {
        let asked = (
            years.first().copied().unwrap_or(0),
            years.last().copied().unwrap_or(0),
        );
        // Every demande (for the first one ever), and the interventions
        // that can count: those of the years and of the window.
        let span = (window.0.min(asked.0), window.1.max(asked.1));
        let visits: Vec<u32> = ["visite_domicile", "visite_etablissement"]
            .iter()
            .flat_map(|code| frames.category_numbers(code))
            .collect();
        // An act's years as bits: bit `k` when it is dated in the `k`-th
        // year, and bit `YEARS_AT_ONCE + k` too when it is also a visit.
        let year_bits = |act: &Act| -> u32 {
            let Some(k) = years.iter().position(|&y| in_span(act.date, (y, y))) else {
                return 0;
            };
            let active = 1u32 << k;
            let visit = !act.demande && act.category.is_some_and(|c| visits.contains(&c));
            if visit {
                active | active << YEARS_AT_ONCE
            } else {
                active
            }
        };
        let mut teams: FxHashMap<u64, Tally> = FxHashMap::default();
        // By person number; `None` for a person without an act that counts.
        let mut national: Vec<Option<Tally>> = Vec::new();
        for_each_act(&frames.acts, |act| {
            if !(act.demande || in_span(act.date, span)) {
                return;
            }
            let bits = year_bits(&act);
            // The acts without a team count nationally only.
            if let Some(team) = act.team {
                teams
                    .entry(pair_key(team, act.id))
                    .or_insert(Tally::EMPTY)
                    .add(&act, bits, window);
            }
            let person = act.id as usize;
            if person >= national.len() {
                national.resize(person + 1, None);
            }
            national[person]
                .get_or_insert(Tally::EMPTY)
                .add(&act, bits, window);
        })?;
        crate::console::lap("pairs: grouped");
        // The first answer of the pairs whose first demande is in the years:
        // each intervention answers for its team, and nationally.
        // An answer is dated from 1 January of the first year to 31
        // December of the last.
        for_each_act(&frames.acts, |act| {
            if act.demande || !in_span(act.date, asked) {
                return;
            }
            if let Some(team) = act.team {
                if let Some(pair) = teams.get_mut(&pair_key(team, act.id)) {
                    pair.answer_with(act.date, asked);
                }
            }
            if let Some(Some(pair)) = national.get_mut(act.id as usize) {
                pair.answer_with(act.date, asked);
            }
        })?;
        let national = (0u32..).zip(national).filter_map(|(id, tally)| {
            Some(Pair {
                scope: NATIONAL_SCOPE,
                id,
                tally: tally?,
            })
        });
        let pairs = teams
            .into_iter()
            .map(|(key, tally)| Pair {
                scope: (key >> 32) as u32,
                id: key as u32,
                tally,
            })
            .chain(national)
            .collect();
        crate::console::lap("pairs: answers");
        Ok(Self {
            pairs,
            years: years.to_vec(),
        })
    }

    /// The figures of each year asked for, in order: the nine indicators
    /// for every scope active in the year (national scope's zeros for a
    /// year without activity), and the response times of those scopes.
    pub fn figures(&self, frames: &Frames) -> PolarsResult<Vec<YearFigures>> {
        let persons = person_flags(frames)?;
        let scopes = frames.scope_count();
        // One row of sums per scope number, the national scope's last, for
        // each year in turn.
        let slot = |scope: u32| match scope {
            NATIONAL_SCOPE => scopes,
            team => team as usize,
        };
        let mut sums = vec![Sums::default(); (scopes + 1) * self.years.len()];
        for pair in &self.pairs {
            let person = persons.get(pair.id as usize).copied().unwrap_or_default();
            for (k, &year) in self.years.iter().enumerate() {
                if pair.tally.bits & 1 << k != 0 {
                    let visited = pair.tally.bits & 1 << (k + YEARS_AT_ONCE) != 0;
                    let new = pair.tally.first / 10_000 == year;
                    sums[k * (scopes + 1) + slot(pair.scope)].add(&person, year, new, visited);
                }
            }
        }
        crate::console::lap("pairs: year sums");
        let mut delais = self.delais(frames);
        let mut figures = Vec::new();
        for (k, &year) in self.years.iter().enumerate() {
            let of_year: Vec<(u32, Sums)> = (0..scopes)
                .filter_map(|team| u32::try_from(team).ok())
                .chain([NATIONAL_SCOPE])
                .map(|scope| (scope, sums[k * (scopes + 1) + slot(scope)]))
                .filter(|(_, sums)| sums.any())
                .collect();
            let mut rows = rows_of(frames, &of_year, year);
            if rows.is_empty() {
                rows = empty_rows(NATIONAL, year);
            }
            let mut scopes: Vec<String> = rows.iter().map(|r| r.scope.clone()).collect();
            scopes.dedup();
            let delais = delai_rows(delais.remove(&year).unwrap_or_default(), year, &scopes);
            figures.push(YearFigures { year, rows, delais });
        }
        Ok(figures)
    }

    /// For each year and scope, the days to the first answer of the pairs
    /// whose first demande is dated in the year, and how many had none by
    /// 31 December.
    fn delais(&self, frames: &Frames) -> BTreeMap<i32, Cohorts> {
        let mut by_number: BTreeMap<(i32, u32), (Vec<u64>, u64)> = BTreeMap::new();
        for pair in &self.pairs {
            let Some(first) = date_of(pair.tally.first) else {
                continue;
            };
            let year = first / 10_000;
            if !self.years.contains(&year) {
                continue;
            }
            let cohort = by_number.entry((year, pair.scope)).or_default();
            match date_of(pair.tally.answer) {
                Some(answer) => cohort
                    .0
                    .push((days_of(answer) - days_of(first)).unsigned_abs()),
                None => cohort.1 += 1,
            }
        }
        let mut by_year: BTreeMap<i32, Cohorts> = BTreeMap::new();
        for ((year, scope), cohort) in by_number {
            let named = by_year.entry(year).or_default();
            named.insert(frames.scope_name(scope).to_string(), cohort);
        }
        by_year
    }

    /// The response times of `year` (one of those asked for) for `scopes`,
    /// in that order.
    pub fn delais_of(&self, frames: &Frames, year: i32, scopes: &[String]) -> Vec<DelaiRow> {
        let cohorts = self.delais(frames).remove(&year).unwrap_or_default();
        delai_rows(cohorts, year, scopes)
    }

    /// How many pairs had their first act of the years asked for in each of
    /// them: ((scope, year), pairs).
    pub fn entries(&self, frames: &Frames) -> BTreeMap<(String, i32), u64> {
        let mut by_number: BTreeMap<(u32, i32), u64> = BTreeMap::new();
        for pair in &self.pairs {
            if let Some(entry) = date_of(pair.tally.entry) {
                *by_number.entry((pair.scope, entry / 10_000)).or_default() += 1;
            }
        }
        by_number
            .into_iter()
            .map(|((scope, year), pairs)| ((frames.scope_name(scope).to_string(), year), pairs))
            .collect()
    }
}

/// Days to the first answer, and persons still waiting, of a scope's cohort.
type Cohorts = BTreeMap<String, (Vec<u64>, u64)>;

/// The response-time rows of `scopes`, in that order; a scope without any
/// new person has `repondues` 0 and no quantile.
fn delai_rows(mut cohorts: Cohorts, year: i32, scopes: &[String]) -> Vec<DelaiRow> {
    scopes
        .iter()
        .map(|scope| {
            let (days, waiting) = cohorts.remove(scope).unwrap_or_default();
            DelaiRow::of(scope.clone(), year, days, waiting)
        })
        .collect()
}

/// One integer for a (scope, person) pair.
fn pair_key(scope: u32, id: u32) -> u64 {
    u64::from(scope) << 32 | u64::from(id)
}

/// What the year sums read of a person, worked out once for all the
/// years: the birth date, and for each attribute of [`ATTRIBUTES`] whether
/// it is filled (bit `a` of `filled`) and counted (bit `a` of `counted`).
/// A person missing from `usagers.csv` has neither.
#[derive(Debug, Clone, Copy, Default)]
struct Person {
    birth: Option<i32>,
    filled: u8,
    counted: u8,
}

/// The persons' attributes the indicators count, in the order of their
/// bits in [`Person`], each with the values counted (SPEC §4.1): a rare
/// disease diagnosed, living at home, at least one TND (any value but
/// `aucun`), schooled, without a solution.
const ATTRIBUTES: [(&str, Counted); 5] = [
    ("maladie_rare", |v| DIAGNOSED.contains(&v)),
    ("lieu_de_vie", |v| AT_HOME.contains(&v)),
    ("tnd", |v| v != "aucun"),
    ("scolarisation", |v| SCHOOLED.contains(&v)),
    ("situation", |v| WITHOUT_SOLUTION.contains(&v)),
];
/// Whether an attribute's value is counted.
type Counted = fn(&str) -> bool;
const RARE_DISEASE: u8 = 1;
const HOME: u8 = 1 << 1;
const TND: u8 = 1 << 2;
const SCHOOL: u8 = 1 << 3;
const NO_SOLUTION: u8 = 1 << 4;

impl Person {
    fn is(&self, bit: u8) -> u64 {
        u64::from(self.counted & bit != 0)
    }

    fn has(&self, bit: u8) -> u64 {
        u64::from(self.filled & bit != 0)
    }
}

/// Each person of the persons frame, by number.
fn person_flags(frames: &Frames) -> PolarsResult<Vec<Person>> {
    let persons = &frames.persons;
    let mut people: Vec<Person> = persons
        .column("birth")?
        .i32()?
        .iter()
        .map(|birth| Person {
            birth,
            ..Person::default()
        })
        .collect();
    for (a, (column, counts)) in ATTRIBUTES.iter().enumerate() {
        let counted: Vec<bool> = frames.coded(column).iter().map(|v| counts(v)).collect();
        let cells = persons.column(column)?.u32()?;
        for (person, cell) in people.iter_mut().zip(cells.iter()) {
            if let Some(k) = cell {
                person.filled |= 1 << a;
                if counted.get(k as usize).copied().unwrap_or(false) {
                    person.counted |= 1 << a;
                }
            }
        }
    }
    Ok(people)
}

impl Sums {
    /// Counts a pair active in `year`: `new` when its first demande is
    /// dated in the year, `visited` when it had a visit then.
    fn add(&mut self, person: &Person, year: i32, new: bool, visited: bool) {
        let (earliest, latest) = crate::catalog::birth_bounds(year);
        // The age in completed years on 31 December (`Y − birth year`), for
        // a birth date that gives a known age (SPEC §3).
        let age = person
            .birth
            .filter(|birth| (earliest..=latest).contains(birth))
            .map(|birth| year - birth / 10_000);
        let child = u64::from(age.is_some_and(|age| (3..=16).contains(&age)));
        self.active += 1;
        self.new += u64::from(new);
        self.mr_num += person.is(RARE_DISEASE);
        self.mr_den += person.has(RARE_DISEASE);
        self.home_num += person.is(HOME);
        self.home_den += person.has(HOME);
        self.tnd_num += person.is(TND);
        self.tnd_den += person.has(TND);
        self.child += child;
        self.school_num += child * person.is(SCHOOL);
        self.school_den += child * person.has(SCHOOL);
        self.visit_num += u64::from(visited);
        self.age_known += u64::from(age.is_some());
        self.under20_num += u64::from(age.is_some_and(|age| age < 20));
        self.situation_den += person.has(NO_SOLUTION);
        self.nosol_num += person.is(NO_SOLUTION);
    }
}
