//! Collective actions (SPEC §4.4): for each year asked and
//! each scope (national, then every team with an action that year), by
//! `type_action` and by `public`, the number of actions, the sum of
//! `participants` and how many actions fill it in, the sum of
//! `duree_heures` and how many fill it in.
//!
//! Hours are summed exactly: the frame holds each duration as whole hours
//! and two 9-digit parts of its fraction (all integers), each action's
//! duration is summed in 10⁻¹⁸ h, and the sum is rounded to the hundredth
//! once, here.

use polars::prelude::*;
use serde::Serialize;

use super::{Frames, NATIONAL_SCOPE};
use crate::reference::{Category, Scope};
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
    pub scope: Scope,
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
    pub fn of(&self, scope: &Scope, year: i32) -> ActionFigures {
        self.keep(|r| r.scope == *scope && r.year == year)
    }

    /// The figures of a year that a scope's report folder publishes: the
    /// national folder every scope's, a team's folder its own.
    pub fn of_folder(&self, scope: &Scope, year: i32) -> ActionFigures {
        self.keep(|r| r.year == year && (scope.is_national() || r.scope == *scope))
    }

    /// The rows for which `wanted` holds, keeping both tables' order.
    fn keep(&self, wanted: impl Fn(&ActionRow) -> bool) -> ActionFigures {
        let keep = |rows: &[ActionRow]| -> Vec<ActionRow> {
            rows.iter().filter(|r| wanted(r)).cloned().collect()
        };
        ActionFigures {
            exported: self.exported,
            by_type: keep(&self.by_type),
            by_public: keep(&self.by_public),
        }
    }

    /// Only the rows of these scopes (by code), in the order asked.
    pub fn select(&self, scopes: &[Scope]) -> ActionFigures {
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
    pub fn total(&self, scope: &Scope, year: i32) -> ActionCounts {
        let mut total = ActionCounts::default();
        for row in self
            .by_type
            .iter()
            .filter(|r| r.scope == *scope && r.year == year)
        {
            total += row.counts;
        }
        total
    }
}

/// The sums of SPEC §4.4 over a group of actions: counts of actions and
/// of filled values, the sum of `participants`, and the sum of the hours
/// in its three integer parts (whole hours, then two 9-digit parts of the
/// fraction), which Polars sums exactly.
fn sums() -> [Expr; 7] {
    // Its values that are not null, counted: no column of numbers is made
    // for a sum (decision 169).
    let filled = |name: &str| col(name).count().cast(DataType::UInt64);
    [
        len().cast(DataType::UInt64).alias("actions"),
        col("participants").sum().alias("participants"),
        filled("participants").alias("participants_renseignes"),
        col("h_whole").sum().alias("h_whole"),
        col("h_hi").sum().alias("h_hi"),
        col("h_lo").sum().alias("h_lo"),
        filled("h_whole").alias("heures_renseignees"),
    ]
}

/// The actions of `years` with their year, twice: those with a team under
/// it, and every one under the national scope ([`NATIONAL_SCOPE`] in
/// `team`). Each is summed on its own ([`summed`]) rather than
/// concatenated: the copy would hold every action twice.
fn by_scope(actions: &DataFrame, years: &[i32]) -> [LazyFrame; 2] {
    let dated = actions
        .clone()
        .lazy()
        .with_column((col("date") / lit(10_000)).alias("year"))
        .filter(
            years
                .iter()
                .fold(lit(false), |any, &y| any.or(col("year").eq(lit(y)))),
        );
    [
        dated.clone().filter(col("team").is_not_null()),
        dated.with_column(lit(NATIONAL_SCOPE).cast(DataType::UInt32).alias("team")),
    ]
}

/// The [`sums`] of each of `parts` by year, team and `value`, one after
/// the other: a (year, team, value) group lies in one part, and
/// [`rows_of`] sorts the rows. Summed together, every part was held at
/// once, the peak of `report` (decision 156).
fn summed(parts: impl IntoIterator<Item = LazyFrame>) -> PolarsResult<DataFrame> {
    let mut all: Option<DataFrame> = None;
    for part in parts {
        let sums = part
            .group_by([col("year"), col("team"), col("value")])
            .agg(sums())
            .collect()?;
        match &mut all {
            None => all = Some(sums),
            Some(all) => {
                all.vstack_mut(&sums)?;
            }
        }
    }
    Ok(all.unwrap_or_default())
}

/// The figures of SPEC §4.4 for every year of `years`, by type and by
/// public, in the order of SPEC §5: by year, national then teams by code,
/// values in the order of §2.6 then `null`. Each action counts for its
/// team (if it has one) and nationally, once by type and once for each
/// public it is aimed at (an action without any counts under *not filled
/// in*).
pub fn compute_actions(frames: &Frames, years: &[i32]) -> PolarsResult<ActionFigures> {
    let Some(actions) = &frames.actions else {
        return Ok(ActionFigures::default());
    };
    let scoped = by_scope(actions, years);
    let by_type = summed(
        scoped
            .iter()
            .map(|part| part.clone().with_column(col("type").alias("value"))),
    )?;
    // One row per (action, public aimed at): the publics are bits of
    // `publics` (bit k for the k-th value), read with integer arithmetic;
    // an action aimed at none counts once with no public.
    let publics = Category::Public.values().len() as u32;
    let mut aimed = Vec::new();
    for part in &scoped {
        aimed.push(
            part.clone()
                .filter(col("publics").eq(lit(0u32)))
                .with_column(lit(NULL).cast(DataType::UInt32).alias("value")),
        );
        for k in 0..publics {
            aimed.push(
                part.clone()
                    .filter((col("publics") / lit(1u32 << k) % lit(2u32)).eq(lit(1u32)))
                    .with_column(lit(k).cast(DataType::UInt32).alias("value")),
            );
        }
    }
    let by_public = summed(aimed)?;
    Ok(ActionFigures {
        exported: true,
        by_type: rows_of(frames, &by_type, Category::TypeAction)?,
        by_public: rows_of(frames, &by_public, Category::Public)?,
    })
}

/// The groups as rows, in output order; the hours' parts summed by Polars
/// are put together here and rounded to the hundredth once.
fn rows_of(frames: &Frames, table: &DataFrame, category: Category) -> PolarsResult<Vec<ActionRow>> {
    let values = category.values();
    let u64s = |name: &str| -> PolarsResult<Vec<u64>> {
        Ok(table
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .iter()
            .map(|v| v.unwrap_or(0))
            .collect())
    };
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
    let years = table.column("year")?.i32()?;
    let teams = table.column("team")?.u32()?;
    let keys = table.column("value")?.u32()?;
    let mut rows: Vec<(Option<u32>, ActionRow)> = Vec::new();
    for row in 0..table.height() {
        let (Some(year), Some(team)) = (years.get(row), teams.get(row)) else {
            continue;
        };
        let key = keys.get(row);
        let attohours = u128::from(whole[row]) * 1_000_000_000_000_000_000
            + u128::from(hi[row]) * 1_000_000_000
            + u128::from(lo[row]);
        rows.push((
            key,
            ActionRow {
                scope: frames.scope(team),
                year,
                value: key.and_then(|k| values.get(k as usize)).map(|v| v.code),
                counts: ActionCounts {
                    actions: actions[row],
                    participants: participants[row],
                    participants_renseignes: participants_filled[row],
                    heures_centiemes: round_to_hundredths(attohours),
                    heures_renseignees: hours_filled[row],
                },
            },
        ));
    }
    rows.sort_by(|(a_key, a), (b_key, b)| {
        let order =
            |key: &Option<u32>, row: &ActionRow| (row.year, row.scope.clone(), key.is_none(), *key);
        order(a_key, a).cmp(&order(b_key, b))
    });
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}
