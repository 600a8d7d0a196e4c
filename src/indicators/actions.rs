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
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Frames, NATIONAL_SCOPE};
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

/// The sums of a group of actions while they are read: hours in
/// attohours (10⁻¹⁸ h), exact, rounded to the hundredth once.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    actions: u64,
    participants: u64,
    participants_filled: u64,
    attohours: u128,
    hours_filled: u64,
}

impl Sums {
    fn add(&mut self, action: &Action) {
        self.actions += 1;
        if let Some(participants) = action.participants {
            self.participants += participants;
            self.participants_filled += 1;
        }
        if let Some(attohours) = action.attohours {
            self.attohours += attohours;
            self.hours_filled += 1;
        }
    }

    fn counts(&self) -> ActionCounts {
        ActionCounts {
            actions: self.actions,
            participants: self.participants,
            participants_renseignes: self.participants_filled,
            heures_centiemes: round_to_hundredths(self.attohours),
            heures_renseignees: self.hours_filled,
        }
    }
}

/// One action of the frame, as the sums read it.
struct Action {
    participants: Option<u64>,
    attohours: Option<u128>,
}

/// (year, scope number or [`NATIONAL_SCOPE`], position of the value in its
/// category or `None` when not filled in) → sums. Hashed, not ordered: the
/// rows are sorted in output order at the end.
type Groups = FxHashMap<(i32, u32, Option<u32>), Sums>;

/// Adds an action to its team's group (if it has a team) and to the
/// national one.
fn add_to(groups: &mut Groups, year: i32, team: Option<u32>, key: Option<u32>, action: &Action) {
    if let Some(team) = team {
        groups.entry((year, team, key)).or_default().add(action);
    }
    groups
        .entry((year, NATIONAL_SCOPE, key))
        .or_default()
        .add(action);
}

/// The figures of SPEC §4.4 for every year of `years`, by type and by
/// public, in the order of SPEC §5: by year, national then teams by code,
/// values in the order of §2.6 then `null`. One pass over the actions
/// frame (decision 83): each action adds to its team's groups and to the
/// national ones, once by type and once for each public it is aimed at
/// (an action without any counts under *not filled in*).
pub fn compute_actions(frames: &Frames, years: &[i32]) -> PolarsResult<ActionFigures> {
    let Some(actions) = &frames.actions else {
        return Ok(ActionFigures::default());
    };
    let u64s = |name: &str| -> PolarsResult<Vec<Option<u64>>> {
        Ok(actions.column(name)?.u64()?.iter().collect())
    };
    let (whole, hi, lo) = (u64s("h_whole")?, u64s("h_hi")?, u64s("h_lo")?);
    let participants = u64s("participants")?;
    let publics = u32::try_from(Category::Public.values().len()).unwrap_or(u32::MAX);
    let (mut by_type, mut by_public) = (Groups::default(), Groups::default());
    let rows = actions
        .column("date")?
        .i32()?
        .iter()
        .zip(actions.column("team")?.u32()?.iter())
        .zip(actions.column("type")?.u32()?.iter())
        .zip(actions.column("publics")?.u32()?.iter())
        .enumerate();
    for (row, (((date, team), type_action), aimed_at)) in rows {
        let Some(year) = date.map(|date| date / 10_000) else {
            continue;
        };
        if !years.contains(&year) {
            continue;
        }
        let attohours = match (whole[row], hi[row], lo[row]) {
            (Some(whole), Some(hi), Some(lo)) => Some(
                u128::from(whole) * 1_000_000_000_000_000_000
                    + u128::from(hi) * 1_000_000_000
                    + u128::from(lo),
            ),
            _ => None,
        };
        let action = Action {
            participants: participants[row],
            attohours,
        };
        add_to(&mut by_type, year, team, type_action, &action);
        let aimed_at = aimed_at.unwrap_or(0);
        if aimed_at == 0 {
            add_to(&mut by_public, year, team, None, &action);
        }
        for k in (0..publics).filter(|k| aimed_at & 1 << k != 0) {
            add_to(&mut by_public, year, team, Some(k), &action);
        }
    }
    Ok(ActionFigures {
        exported: true,
        by_type: rows_of(frames, by_type, Category::TypeAction),
        by_public: rows_of(frames, by_public, Category::Public),
    })
}

/// The groups as rows, in output order.
fn rows_of(frames: &Frames, groups: Groups, category: Category) -> Vec<ActionRow> {
    let values = category.values();
    let mut rows: Vec<(Option<u32>, ActionRow)> = groups
        .into_iter()
        .map(|((year, scope, key), sums)| {
            let scope = frames.scope_name(scope).to_string();
            let value = key.and_then(|k| values.get(k as usize)).map(|v| v.code);
            let row = ActionRow {
                scope,
                year,
                value,
                counts: sums.counts(),
            };
            (key, row)
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
    rows.into_iter().map(|(_, row)| row).collect()
}
