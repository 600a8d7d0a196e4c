//! Rows → facts: the acts grouped by (scope, person) pair, in plain Rust
//! (the one place where speed asks for a hand-written loop, decision 81),
//! and the facts the figures of several years are computed from.
//!
//! The first pass tallies the acts by (team, person) pair and by person
//! (their national pair): for each pair, whether it was active and visited
//! in each year asked for, the date of its first demande ever, and of its
//! first act in the years asked for. The second finds each pair's first
//! answer: the earliest intervention of the scope on or after the first
//! demande and by 31 December of that year. The pairs then become three
//! tables of facts ([`Facts`]) that Polars turns into every figure
//! (`rows.rs`, `delais.rs`, `series.rs`).

use std::borrow::Cow;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::delais::days_of;
use super::frames::{i32s, u32s};
use super::{Frames, NATIONAL_SCOPE};
use crate::catalog::{age_on_31_december, in_years, year_of, VISITS};

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
        if in_years(act.date, window) {
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
            && in_years(first, years)
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
    /// tallies each team pair ([`TeamPairs`]) and each person's national
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
        let visits: Vec<u32> = VISITS
            .iter()
            .flat_map(|code| frames.category_numbers(code))
            .collect();
        // An act's years as bits: bit `k` when it is dated in the `k`-th
        // year, and bit `YEARS_AT_ONCE + k` too when it is also a visit.
        let year_bits = |act: &Act| -> u32 {
            let Some(k) = years.iter().position(|&y| in_years(act.date, (y, y))) else {
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
        let acts = frames.every_act()?;
        let mut teams = TeamPairs::default();
        // By person number; `None` for a person without an act that counts.
        let mut national: Vec<Option<Tally>> = Vec::new();
        for_each_act(&acts, |act| {
            if !(act.demande || in_years(act.date, span)) {
                return;
            }
            let bits = year_bits(&act);
            // The acts without a team count nationally only.
            if let Some(team) = act.team {
                teams.entry(team, act.id).add(&act, bits, window);
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
        for_each_act(&acts, |act| {
            if act.demande || !in_years(act.date, asked) {
                return;
            }
            if let Some(pair) = act.team.and_then(|team| teams.get_mut(team, act.id)) {
                pair.answer_with(act.date, asked);
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
        let pairs = teams.into_pairs().chain(national).collect();
        crate::console::lap("pairs: answers");
        Ok(Self {
            pairs,
            years: years.to_vec(),
        })
    }

    /// The facts of the years asked for ([`Facts`]).
    pub fn facts(&self, frames: &Frames) -> PolarsResult<Facts> {
        self.facts_of(frames, &self.years)
    }

    /// The facts of `years`, some of the years asked for (ascending): the
    /// series groups the acts once for up to [`YEARS_AT_ONCE`] years and
    /// turns them into facts a few years at a time (decision 179).
    pub fn facts_of(&self, frames: &Frames, years: &[i32]) -> PolarsResult<Facts> {
        let births: Vec<Option<i32>> = frames.persons.column("birth")?.i32()?.iter().collect();
        let mut active = ActiveColumns::default();
        let mut cohorts = CohortColumns::default();
        let mut entries = EntryColumns::default();
        // Each year wanted with its bit.
        let wanted: Vec<(usize, i32)> = (self.years.iter().enumerate())
            .filter(|(_, year)| years.contains(year))
            .map(|(k, &year)| (k, year))
            .collect();
        for pair in &self.pairs {
            let birth = births.get(pair.id as usize).copied().flatten();
            for &(k, year) in &wanted {
                if pair.tally.bits & 1 << k != 0 {
                    active.year.push(year);
                    active.scope.push(pair.scope);
                    active.id.push(pair.id);
                    active.new.push(year_of(pair.tally.first) == year);
                    active
                        .visited
                        .push(pair.tally.bits & 1 << (k + YEARS_AT_ONCE) != 0);
                    active
                        .age
                        .push(birth.and_then(|birth| age_on_31_december(birth, year)));
                }
            }
            if let Some(first) = date_of(pair.tally.first) {
                if wanted.iter().any(|&(_, year)| year == year_of(first)) {
                    cohorts.year.push(year_of(first));
                    cohorts.scope.push(pair.scope);
                    cohorts.delai.push(date_of(pair.tally.answer).map(|answer| {
                        u32::try_from(days_of(answer) - days_of(first)).unwrap_or(u32::MAX)
                    }));
                }
            }
            if let Some(entry) = date_of(pair.tally.entry) {
                entries.scope.push(pair.scope);
                entries.year.push(year_of(entry));
            }
        }
        crate::console::lap("pairs: facts");
        Ok(Facts {
            years: wanted.into_iter().map(|(_, year)| year).collect(),
            active: DataFrame::new_infer_height(vec![
                Column::new("year".into(), active.year),
                Column::new("scope".into(), active.scope),
                Column::new("id".into(), active.id),
                BooleanChunked::full("active".into(), true, active.new.len()).into_column(),
                Column::new("new".into(), active.new),
                Column::new("visited".into(), active.visited),
                i32s("age", active.age.into_iter()),
            ])?,
            cohorts: DataFrame::new_infer_height(vec![
                Column::new("year".into(), cohorts.year),
                Column::new("scope".into(), cohorts.scope),
                u32s("delai", cohorts.delai.into_iter()),
            ])?,
            entries: DataFrame::new_infer_height(vec![
                Column::new("scope".into(), entries.scope),
                Column::new("year".into(), entries.year),
            ])?,
        })
    }
}

/// The team pairs, by person: the first team a person's acts name in a
/// table indexed by their number (most persons have one team), any other
/// in a hash table. A hash table of every pair was a third of the
/// grouping (decision 181).
#[derive(Default)]
struct TeamPairs {
    /// By person number: their first team's number and its tally.
    first: Vec<Option<(u32, Tally)>>,
    /// The other pairs, by [`pair_key`].
    others: FxHashMap<u64, Tally>,
}

impl TeamPairs {
    /// The tally of the pair, empty the first time.
    fn entry(&mut self, team: u32, person: u32) -> &mut Tally {
        let at = person as usize;
        if at >= self.first.len() {
            self.first.resize(at + 1, None);
        }
        match &mut self.first[at] {
            slot @ None => &mut slot.insert((team, Tally::EMPTY)).1,
            Some((first, tally)) if *first == team => tally,
            Some(_) => self
                .others
                .entry(pair_key(team, person))
                .or_insert(Tally::EMPTY),
        }
    }

    /// The tally of the pair, if it has one.
    fn get_mut(&mut self, team: u32, person: u32) -> Option<&mut Tally> {
        match self.first.get_mut(person as usize)? {
            Some((first, tally)) if *first == team => Some(tally),
            Some(_) => self.others.get_mut(&pair_key(team, person)),
            None => None,
        }
    }

    /// Every pair: the first teams by person, then the others by team and
    /// person.
    fn into_pairs(self) -> impl Iterator<Item = Pair> {
        let first = (0u32..).zip(self.first).filter_map(|(id, slot)| {
            let (scope, tally) = slot?;
            Some(Pair { scope, id, tally })
        });
        let mut others: Vec<(u64, Tally)> = self.others.into_iter().collect();
        others.sort_unstable_by_key(|&(key, _)| key);
        first.chain(others.into_iter().map(|(key, tally)| Pair {
            scope: (key >> 32) as u32,
            id: key as u32,
            tally,
        }))
    }
}

/// The facts of some years, by (scope, person) pair; `scope` is a scope's
/// number ([`Frames::scope_name`], [`NATIONAL_SCOPE`]), `id` a person's.
pub struct Facts {
    /// The years asked for, ascending.
    pub years: Vec<i32>,
    /// One row per pair and year it was active in: `year`, `scope`, `id`,
    /// `active` (true: the row is a pair active in the year), `new` (its
    /// first demande is dated in the year), `visited` (a home or
    /// establishment visit in the year), `age` (on 31 December, when the
    /// birth date gives one).
    pub active: DataFrame,
    /// One row per pair whose first demande is dated in a year asked for:
    /// `year` (of that demande), `scope`, `delai` (days to its first
    /// answer; null when none came by 31 December).
    pub cohorts: DataFrame,
    /// One row per pair with an act in the window: `scope`, `year` (of its
    /// first act in the window).
    pub entries: DataFrame,
}

impl Facts {
    /// The facts of `years` (some of these facts' years, ascending) that
    /// the profile and network read: the active pairs.
    pub(super) fn only_years(&self, years: Vec<i32>) -> PolarsResult<Facts> {
        let kept = years
            .iter()
            .map(|&year| col("year").eq(lit(year)))
            .reduce(Expr::or)
            .unwrap_or(lit(false));
        let active = self.active.clone().lazy().filter(kept).collect()?;
        Ok(Facts {
            years,
            active,
            cohorts: self.cohorts.clear(),
            entries: self.entries.clear(),
        })
    }
}

#[derive(Default)]
struct ActiveColumns {
    year: Vec<i32>,
    scope: Vec<u32>,
    id: Vec<u32>,
    new: Vec<bool>,
    visited: Vec<bool>,
    age: Vec<Option<i32>>,
}

#[derive(Default)]
struct CohortColumns {
    year: Vec<i32>,
    scope: Vec<u32>,
    delai: Vec<Option<u32>>,
}

#[derive(Default)]
struct EntryColumns {
    scope: Vec<u32>,
    year: Vec<i32>,
}

/// One integer for a (scope, person) pair.
fn pair_key(scope: u32, id: u32) -> u64 {
    u64::from(scope) << 32 | u64::from(id)
}
