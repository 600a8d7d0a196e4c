//! The indicator rows and response times of several years at once (SPEC
//! §4.1–4.3), from two passes over the acts whatever the number of years.
//!
//! The first pass groups the acts by (team, person) pair, then each
//! person's team pairs into their national pair: for each pair, whether it
//! was active and visited in each year asked for, the date of its first
//! demande ever, and of its first act in the years asked for. The second
//! finds each pair's first answer: the earliest intervention of the scope on
//! or after the first demande and by 31 December of that year. A year's
//! figures are then sums over the pairs active in it, grouped by scope, for
//! every year in one query; its response times come from the pairs whose
//! first demande is dated in it.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::delais::{days_of, DelaiRow};
use super::exprs::{
    age, age_known, child_3_16, count_true, equals_any, in_year, in_years, national_scope,
    pair_key, union,
};
use super::{
    empty_rows, rows_of, Frames, YearFigures, AT_HOME, DIAGNOSED, NATIONAL_SCOPE, NO_TEAM,
    SCHOOLED, WITHOUT_SOLUTION,
};
use crate::reference::NATIONAL;

/// Every (scope, person) pair with an act, and what the figures of the
/// years asked for need of it.
pub struct Pairs {
    /// `key`, `scope`, `id`, `first` (first demande ever, `AAAAMMJJ`),
    /// `entry` (first act in the years asked for), `answer` (first answer
    /// to the first demande), and `active_Y`, `visited_Y` for each year.
    table: DataFrame,
    years: Vec<i32>,
}

fn active_column(year: i32) -> String {
    format!("active_{year}")
}

fn visited_column(year: i32) -> String {
    format!("visited_{year}")
}

/// The last day of the year of an `AAAAMMJJ` date.
fn end_of_year(date: Expr) -> Expr {
    date / lit(10_000) * lit(10_000) + lit(1231)
}

/// The least value of `value` among the rows where `condition` holds.
fn min_where(condition: Expr, value: Expr) -> Expr {
    when(condition).then(value).otherwise(lit(NULL)).min()
}

/// The first answer of each pair of `cohort` (`key`, `id`, `first`): the
/// earliest of `interventions` (`date`) joined to it on the column `on`,
/// dated on or after its first demande and by 31 December of that year.
/// One (`on`, `answer`) row per pair with an answer.
fn first_answers(cohort: LazyFrame, interventions: LazyFrame, on: &str) -> LazyFrame {
    interventions
        .select([col(on), col("date")])
        .join(
            cohort.select([col(on), col("first")]),
            [col(on)],
            [col(on)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(
            col("date")
                .gt_eq(col("first"))
                .and(col("date").lt_eq(end_of_year(col("first")))),
        )
        .group_by([col(on)])
        .agg([col("date").min().alias("answer")])
}

/// An act's years as bits, for the years asked for (at most
/// [`YEARS_AT_ONCE`]): bit `k` when it is dated in the `k`-th, and bit
/// `YEARS_AT_ONCE + k` too when it is also a visit (an intervention of a
/// type that `visit` holds true for). A pair's flags are then one bitwise or of its acts'
/// bits, and a person's national flags one of their team pairs': one
/// aggregation whatever the number of years, instead of two per year.
fn year_bits(years: &[i32], visit: Expr) -> Expr {
    let visited = col("demande").not().and(visit);
    (0..).zip(years).fold(lit(0u32), |bits, (k, &year)| {
        let active = 1u32 << k;
        let both = active | active << YEARS_AT_ONCE;
        let of_year = when(visited.clone()).then(lit(both)).otherwise(lit(active));
        bits + when(in_year(year)).then(of_year).otherwise(lit(0u32))
    })
}

/// Whether bit `k` of a pair's `bits` is set.
fn has_bit(k: usize) -> Expr {
    col("bits").and(lit(1u32 << k)).neq(lit(0u32))
}

/// The scope and person of a pair, from its key.
fn pair_parts() -> [Expr; 2] {
    [
        (col("key") / lit(1u64 << 32))
            .cast(DataType::UInt32)
            .alias("scope"),
        (col("key") % lit(1u64 << 32))
            .cast(DataType::UInt32)
            .alias("id"),
    ]
}

/// At most this many years are grouped at a time: each takes two bits of
/// an act's `u32` bit set ([`year_bits`]), two flag columns and a query to
/// the year sums, and a plan of thousands of them (an export with a date
/// in 9999) would exhaust the stack.
pub const YEARS_AT_ONCE: usize = 16;

impl Pairs {
    /// Groups the acts by pair for `years` (ascending, contiguous or not,
    /// at most [`YEARS_AT_ONCE`] of them); `entry` is each pair's first act
    /// in `window` (first and last year, inclusive).
    pub fn new(frames: &Frames, years: &[i32], window: (i32, i32)) -> PolarsResult<Self> {
        let (first_year, last_year) = (
            years.first().copied().unwrap_or(0),
            years.last().copied().unwrap_or(0),
        );
        // Every demande (for the first one ever), and the interventions
        // that can count: those of the years and of the window.
        let span = (window.0.min(first_year), window.1.max(last_year));
        let acts = frames
            .acts
            .clone()
            .lazy()
            .filter(col("demande").or(in_years(col("date"), span.0, span.1)));
        let visit = ["visite_domicile", "visite_etablissement"]
            .iter()
            .flat_map(|code| frames.category_numbers(code))
            .map(|k| col("category").eq(lit(k).cast(DataType::UInt32)))
            .fold(lit(false), Expr::or);
        // The acts are grouped by (team, person) first, the acts without a
        // team under a team of their own; a person's national pair is then
        // the grouping of their team pairs (the least date, any year flag).
        // Grouping the acts once, not stacked twice (national and team),
        // halves the rows of the costliest grouping.
        let aggregations = [
            min_where(col("demande"), col("date")).alias("first"),
            min_where(in_years(col("date"), window.0, window.1), col("date")).alias("entry"),
            col("bits").bitwise_or().alias("bits"),
        ];
        let national = [
            col("first").min(),
            col("entry").min(),
            col("bits").bitwise_or(),
        ];
        let by_team = acts
            .clone()
            .with_columns([
                col("team")
                    .fill_null(lit(NO_TEAM).cast(DataType::UInt32))
                    .alias("scope"),
                year_bits(years, visit).alias("bits"),
            ])
            .with_column(pair_key())
            .group_by([col("key")])
            .agg(aggregations)
            .with_columns(pair_parts())
            .collect()?;
        let by_person = by_team
            .clone()
            .lazy()
            .group_by([col("id")])
            .agg(national)
            .with_column(national_scope())
            .with_column(pair_key());
        // The national pairs' columns in the team pairs' order, to stack them.
        let columns: Vec<Expr> = by_team
            .get_column_names()
            .into_iter()
            .map(|name| col(name.as_str()))
            .collect();
        let team_pairs = by_team
            .lazy()
            .filter(col("scope").neq(lit(NO_TEAM).cast(DataType::UInt32)));
        let flags = (0..).zip(years).flat_map(|(k, &year)| {
            [
                has_bit(k).alias(active_column(year)),
                has_bit(k + YEARS_AT_ONCE).alias(visited_column(year)),
            ]
        });
        let pairs = union(team_pairs, by_person.select(columns))
            .with_columns(flags.collect::<Vec<_>>())
            .drop(cols(["bits"]))
            .collect()?;
        super::release_freed_memory();
        crate::console::lap("pairs: grouped");
        // The first answer of the pairs whose first demande is in the years:
        // each intervention answers for its team, and nationally.
        let cohort = pairs
            .clone()
            .lazy()
            .filter(in_years(col("first"), first_year, last_year));
        let is_national = || col("scope").eq(lit(NATIONAL_SCOPE).cast(DataType::UInt32));
        let interventions = acts.filter(col("demande").not());
        let team_answers = first_answers(
            cohort.clone().filter(is_national().not()),
            interventions
                .clone()
                .filter(col("team").is_not_null())
                .select([col("team").alias("scope"), col("id"), col("date")])
                .with_column(pair_key()),
            "key",
        );
        let national_answers = first_answers(cohort.filter(is_national()), interventions, "id")
            .with_column(national_scope())
            .select([pair_key(), col("answer")]);
        // One after the other: each join holds a copy of the
        // interventions, and side by side they set the peak of `report`.
        let answers = union(
            team_answers.collect()?.lazy(),
            national_answers.collect()?.lazy(),
        );
        let table = pairs
            .lazy()
            .join(
                answers,
                [col("key")],
                [col("key")],
                JoinArgs::new(JoinType::Left),
            )
            .collect()?;
        crate::console::lap("pairs: answers");
        Ok(Self {
            table,
            years: years.to_vec(),
        })
    }

    /// The figures of each year asked for, in order: the nine indicators
    /// for every scope active in the year (national scope's zeros for a
    /// year without activity), and the response times of those scopes.
    pub fn figures(&self, frames: &Frames) -> PolarsResult<Vec<YearFigures>> {
        let joined = self
            .table
            .clone()
            .lazy()
            .join(
                person_flags(frames),
                [col("id")],
                [col("id")],
                JoinArgs::new(JoinType::Left),
            )
            .collect()?;
        crate::console::lap("pairs: joined");
        let per_year: Vec<LazyFrame> = self
            .years
            .iter()
            .map(|&year| year_sums(joined.clone().lazy(), year))
            .collect();
        let sums = match per_year.len() {
            0 => return Ok(Vec::new()),
            _ => concat(per_year, UnionArgs::default())?.collect()?,
        };
        crate::console::lap("pairs: year sums");
        let mut delais = self.delais(frames)?;
        let mut figures = Vec::new();
        for &year in &self.years {
            let of_year = sums
                .clone()
                .lazy()
                .filter(col("year").eq(lit(year)))
                .collect()?;
            let mut rows = rows_of(frames, &of_year, year)?;
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
    fn delais(&self, frames: &Frames) -> PolarsResult<BTreeMap<i32, Cohorts>> {
        let table = &self.table;
        let scope = table.column("scope")?.u32()?;
        let first = table.column("first")?.i32()?;
        let answer = table.column("answer")?.i32()?;
        let mut by_year: BTreeMap<i32, Cohorts> = BTreeMap::new();
        for ((scope, first), answer) in scope.iter().zip(first.iter()).zip(answer.iter()) {
            let Some(first) = first else { continue };
            let year = first / 10_000;
            if !self.years.contains(&year) {
                continue;
            }
            let entry = by_year
                .entry(year)
                .or_default()
                .entry(scope_name(frames, scope))
                .or_default();
            match answer {
                Some(answer) => entry
                    .0
                    .push((days_of(answer) - days_of(first)).unsigned_abs()),
                None => entry.1 += 1,
            }
        }
        Ok(by_year)
    }

    /// The response times of `year` (one of those asked for) for `scopes`,
    /// in that order.
    pub fn delais_of(
        &self,
        frames: &Frames,
        year: i32,
        scopes: &[String],
    ) -> PolarsResult<Vec<DelaiRow>> {
        let cohorts = self.delais(frames)?.remove(&year).unwrap_or_default();
        Ok(delai_rows(cohorts, year, scopes))
    }

    /// How many pairs had their first act of the years asked for in each of
    /// them: ((scope, year), pairs).
    pub fn entries(&self, frames: &Frames) -> PolarsResult<BTreeMap<(String, i32), u64>> {
        let scope = self.table.column("scope")?.u32()?;
        let entry = self.table.column("entry")?.i32()?;
        let mut entries = BTreeMap::new();
        for (scope, entry) in scope.iter().zip(entry.iter()) {
            if let Some(entry) = entry {
                *entries
                    .entry((scope_name(frames, scope), entry / 10_000))
                    .or_default() += 1;
            }
        }
        Ok(entries)
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

fn scope_name(frames: &Frames, scope: Option<u32>) -> String {
    match scope {
        Some(NATIONAL_SCOPE) | None => NATIONAL.to_string(),
        Some(team) => frames.scope_name(team).to_string(),
    }
}

/// What the sums of [`year_sums`] read of each person, worked out once for
/// all the years: the birth date, and each attribute as a flag (null for a
/// person missing from `usagers.csv`, which counts as false).
fn person_flags(frames: &Frames) -> LazyFrame {
    frames.persons.clone().lazy().select([
        col("id"),
        col("birth"),
        equals_any("maladie_rare", &DIAGNOSED).alias("mr_yes"),
        col("maladie_rare").is_not_null().alias("mr_filled"),
        equals_any("lieu_de_vie", &AT_HOME).alias("home_yes"),
        col("lieu_de_vie").is_not_null().alias("home_filled"),
        col("tnd").neq(lit("aucun")).alias("tnd_yes"),
        col("tnd").is_not_null().alias("tnd_filled"),
        equals_any("scolarisation", &SCHOOLED).alias("school_yes"),
        col("scolarisation").is_not_null().alias("school_filled"),
        equals_any("situation", &WITHOUT_SOLUTION).alias("nosol_yes"),
        col("situation").is_not_null().alias("situation_filled"),
    ])
}

/// The sums of SPEC §4.1 for `year`, by scope, over the pairs active then
/// (joined to their person's flags): the columns [`super::Indicator`] reads.
fn year_sums(joined: LazyFrame, year: i32) -> LazyFrame {
    joined
        .filter(col(active_column(year)))
        .with_column(child_3_16(year).fill_null(lit(false)).alias("child"))
        .with_column(age_known(year).fill_null(lit(false)).alias("age_known"))
        .group_by([col("scope")])
        .agg([
            len().cast(DataType::UInt32).alias("active"),
            count_true((col("first") / lit(10_000)).eq(lit(year))).alias("new"),
            count_true(col("mr_yes")).alias("mr_num"),
            count_true(col("mr_filled")).alias("mr_den"),
            count_true(col("home_yes")).alias("home_num"),
            count_true(col("home_filled")).alias("home_den"),
            count_true(col("tnd_yes")).alias("tnd_num"),
            count_true(col("tnd_filled")).alias("tnd_den"),
            count_true(col("child")).alias("child"),
            count_true(col("child").and(col("school_yes"))).alias("school_num"),
            count_true(col("child").and(col("school_filled"))).alias("school_den"),
            count_true(col(visited_column(year))).alias("visit_num"),
            count_true(col("age_known")).alias("age_known"),
            count_true(col("age_known").and(age(year).lt(lit(20)))).alias("under20_num"),
            count_true(col("situation_filled")).alias("situation_den"),
            count_true(col("nosol_yes")).alias("nosol_num"),
        ])
        .with_column(lit(year).alias("year"))
}
