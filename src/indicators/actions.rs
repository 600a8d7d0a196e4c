//! Collective actions (SPEC §4.4), with Polars: for each year asked and
//! each scope (national, then every team with an action that year), by
//! `type_action` and by `public`, the number of actions, the sum of
//! `participants` and how many actions fill it in, the sum of
//! `duree_heures` and how many fill it in.
//!
//! Hours are summed exactly: the frame holds each duration as whole hours
//! and two 9-digit parts of its fraction (all integers), Polars sums each
//! column, and the sum is rounded to the hundredth once, here.

use polars::prelude::*;
use serde::Serialize;

use super::exprs::{national_scope, union};
use super::{Frames, NATIONAL_SCOPE, NO_TEAM};
use crate::reference::{Category, NATIONAL};
use crate::validate::round_to_hundredths;

/// The figures of a group of actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ActionCounts {
    /// Actions dated in the year.
    pub actions: u64,
    /// The sum of `participants` where it is filled in.
    pub participants: u64,
    /// Actions whose `participants` is filled in.
    pub participants_renseignes: u64,
    /// The exact sum of `duree_heures`, in hundredths of an hour (rounded
    /// half up once); written as a number of hours.
    #[serde(rename = "heures", serialize_with = "hours_of_hundredths")]
    pub heures_centiemes: u64,
    /// Actions whose `duree_heures` is filled in.
    pub heures_renseignees: u64,
}

fn hours_of_hundredths<S: serde::Serializer>(
    value: &u64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(*value as f64 / 100.0)
}

impl ActionCounts {
    /// Hours as a number, for charts and text (`402.5`).
    pub fn hours(&self) -> f64 {
        self.heures_centiemes as f64 / 100.0
    }
}

impl std::ops::AddAssign for ActionCounts {
    fn add_assign(&mut self, other: Self) {
        self.actions += other.actions;
        self.participants += other.participants;
        self.participants_renseignes += other.participants_renseignes;
        self.heures_centiemes += other.heures_centiemes;
        self.heures_renseignees += other.heures_renseignees;
    }
}

/// One row of `actions` or `actions_public` (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub scope: String,
    pub year: i32,
    /// The `type_action` (or `public`) code; `None` for not filled in.
    pub value: Option<&'static str>,
    pub counts: ActionCounts,
}

/// The collective actions of the years asked, by type and by public; both
/// empty when the export has no `actions` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionFigures {
    /// Whether the export has an `actions` table at all.
    pub exported: bool,
    pub by_type: Vec<ActionRow>,
    pub by_public: Vec<ActionRow>,
}

impl ActionFigures {
    /// The figures of one scope and year, keeping both tables' order.
    pub fn of(&self, scope: &str, year: i32) -> ActionFigures {
        let keep = |rows: &[ActionRow]| -> Vec<ActionRow> {
            rows.iter()
                .filter(|r| r.scope == scope && r.year == year)
                .cloned()
                .collect()
        };
        ActionFigures {
            exported: self.exported,
            by_type: keep(&self.by_type),
            by_public: keep(&self.by_public),
        }
    }

    /// Only the rows of these scopes (by code), in the order asked.
    pub fn select(&self, scopes: &[String]) -> ActionFigures {
        let keep = |rows: &[ActionRow]| -> Vec<ActionRow> {
            let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
            years.dedup();
            years
                .iter()
                .flat_map(|&year| {
                    scopes.iter().flat_map(move |scope| {
                        rows.iter()
                            .filter(move |r| r.year == year && &r.scope == scope)
                    })
                })
                .cloned()
                .collect()
        };
        ActionFigures {
            exported: self.exported,
            by_type: keep(&self.by_type),
            by_public: keep(&self.by_public),
        }
    }

    /// The sum of every type's figures of a scope and year (an action has
    /// one type, so this counts each action once).
    pub fn total(&self, scope: &str, year: i32) -> ActionCounts {
        let mut total = ActionCounts::default();
        for row in self
            .by_type
            .iter()
            .filter(|r| r.scope == scope && r.year == year)
        {
            total += row.counts;
        }
        total
    }
}

/// Actions dated in one of `years` (dates are `AAAAMMJJ`).
fn in_years(years: &[i32]) -> Expr {
    years
        .iter()
        .map(|&year| (col("date") / lit(10_000)).eq(lit(year)))
        .fold(lit(false), Expr::or)
}

/// [`per_scope`] by public: for each recognised public, the actions aimed
/// at it (with its position in `public`), and for the actions without any,
/// a null `public` (counted as *not filled in*). An action aimed at several
/// publics counts for each (SPEC §4.4). Grouped public by public, one after
/// the other, so that no copy of the actions stacked once per public, nor
/// of one per public side by side, is ever held.
fn per_public(actions: &LazyFrame) -> PolarsResult<DataFrame> {
    let aimed_at = |k: u32| {
        actions
            .clone()
            .filter(col("publics").and(lit(1u32 << k)).neq(lit(0u32)))
            .with_column(lit(k).cast(DataType::UInt32).alias("public"))
    };
    let none = actions
        .clone()
        .filter(col("publics").eq(lit(0u32)))
        .with_column(lit(NULL).cast(DataType::UInt32).alias("public"));
    let publics = u32::try_from(Category::Public.values().len()).unwrap_or(u32::MAX);
    let mut tables = (0..publics)
        .map(aimed_at)
        .chain([none])
        .map(|frame| per_scope(frame, "public"));
    let mut table = tables.next().transpose()?.unwrap_or_default();
    for next in tables {
        table.vstack_mut(&next?)?;
    }
    Ok(table)
}

/// SPEC §4.4 for one key column (`type` or `public`): per (year, scope,
/// key), per team (the actions of that team), then national as the sums of
/// the teams' figures, the actions without a team counted under a team of
/// their own that only the national figures keep.
fn per_scope(frame: LazyFrame, key: &str) -> PolarsResult<DataFrame> {
    let no_team = || lit(NO_TEAM).cast(DataType::UInt32);
    let filled = |column: &str| col(column).is_not_null().cast(DataType::UInt64).sum();
    let sums = [
        "actions",
        "participants",
        "participants_renseignes",
        "h_whole",
        "h_hi",
        "h_lo",
        "heures_renseignees",
    ];
    let by_team = frame
        .select([
            (col("date") / lit(10_000)).alias("year"),
            col("team").fill_null(no_team()).alias("scope"),
            col(key),
            col("participants"),
            col("h_whole"),
            col("h_hi"),
            col("h_lo"),
        ])
        .group_by([col("year"), col("scope"), col(key)])
        .agg([
            len().cast(DataType::UInt64).alias("actions"),
            col("participants").sum().alias("participants"),
            filled("participants").alias("participants_renseignes"),
            col("h_whole").sum().alias("h_whole"),
            col("h_hi").sum().alias("h_hi"),
            col("h_lo").sum().alias("h_lo"),
            filled("h_whole").alias("heures_renseignees"),
        ]);
    // Grouped once: both the teams' rows and the national sums read it.
    let by_team = by_team.collect()?.lazy();
    let national = by_team
        .clone()
        .group_by([col("year"), col(key)])
        .agg(sums.map(|column| col(column).sum()))
        .select(
            [col("year"), national_scope(), col(key)]
                .into_iter()
                .chain(sums.map(col))
                .collect::<Vec<_>>(),
        );
    union(by_team.filter(col("scope").neq(no_team())), national).collect()
}

/// The figures of SPEC §4.4 for every year of `years`, by type and by
/// public, in the order of SPEC §5: by year, national then teams by code,
/// values in the order of §2.6 then `null`.
pub fn compute_actions(frames: &Frames, years: &[i32]) -> PolarsResult<ActionFigures> {
    let Some(actions) = &frames.actions else {
        return Ok(ActionFigures::default());
    };
    // Collected once: both tables read it, the publics' once per public.
    let dated = actions
        .clone()
        .lazy()
        .filter(in_years(years))
        .collect()?
        .lazy();
    let by_type = per_scope(dated.clone(), "type")?;
    let by_public = per_public(&dated)?;
    Ok(ActionFigures {
        exported: true,
        by_type: rows_of(frames, &by_type, "type", Category::TypeAction)?,
        by_public: rows_of(frames, &by_public, "public", Category::Public)?,
    })
}

/// The aggregated table as rows, in output order.
fn rows_of(
    frames: &Frames,
    table: &DataFrame,
    key: &str,
    category: Category,
) -> PolarsResult<Vec<ActionRow>> {
    let u64s = |name: &str| -> PolarsResult<Vec<u64>> {
        let column = table.column(name)?.cast(&DataType::UInt64)?;
        Ok(column.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let years: Vec<i32> = table
        .column("year")?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .map(|y| y.unwrap_or(0))
        .collect();
    let scopes: Vec<Option<u32>> = table.column("scope")?.u32()?.iter().collect();
    let keys: Vec<Option<u32>> = table
        .column(key)?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .collect();
    let (actions, participants, participants_filled) = (
        u64s("actions")?,
        u64s("participants")?,
        u64s("participants_renseignes")?,
    );
    let (whole, hi, lo, hours_filled) = (
        u64s("h_whole")?,
        u64s("h_hi")?,
        u64s("h_lo")?,
        u64s("heures_renseignees")?,
    );
    let values = category.values();
    let mut rows: Vec<(Option<u32>, ActionRow)> = (0..table.height())
        .map(|i| {
            let attohours = u128::from(whole[i]) * 1_000_000_000_000_000_000
                + u128::from(hi[i]) * 1_000_000_000
                + u128::from(lo[i]);
            let scope = match scopes[i] {
                Some(NATIONAL_SCOPE) | None => NATIONAL.to_string(),
                Some(team) => frames.scope_name(team).to_string(),
            };
            let value = keys[i].and_then(|k| values.get(k as usize)).map(|v| v.code);
            let row = ActionRow {
                scope,
                year: years[i],
                value,
                counts: ActionCounts {
                    actions: actions[i],
                    participants: participants[i],
                    participants_renseignes: participants_filled[i],
                    heures_centiemes: round_to_hundredths(attohours),
                    heures_renseignees: hours_filled[i],
                },
            };
            (keys[i], row)
        })
        .collect();
    rows.sort_by(|(a_key, a), (b_key, b)| {
        let order = |key: &Option<u32>, row: &ActionRow| {
            (
                row.year,
                row.scope != NATIONAL,
                row.scope.clone(),
                key.is_none(),
                *key,
            )
        };
        order(a_key, a).cmp(&order(b_key, b))
    });
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}
