//! Series over the years (SPEC §4.3): every year from a first year A to Y
//! computed exactly as a year on its own, and the distinct persons
//! cumulated since A.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::exprs::{national_scope, pair_key, union};
use super::{compute_year, Frames, Indicator, YearFigures, NATIONAL_SCOPE};
use crate::reference::NATIONAL;

/// Distinct persons of a scope active in at least one year from A to this
/// year (national: counted once across teams).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cumulated {
    pub scope: String,
    pub personnes_cumulees: Option<u64>,
}

/// One year of the series.
#[derive(Debug, Clone)]
pub struct SeriesYear {
    pub figures: YearFigures,
    /// Whether the year has any demande or intervention.
    pub active: bool,
    /// For the scopes of `figures`, in the same order.
    pub cumulated: Vec<Cumulated>,
}

/// The years `first..=last`, each computed on its own, with the persons
/// cumulated since `first`.
pub fn compute_series(frames: &Frames, first: i32, last: i32) -> PolarsResult<Vec<SeriesYear>> {
    let entries = first_years(frames, first, last)?;
    let mut running: BTreeMap<String, u64> = BTreeMap::new();
    let mut series = Vec::new();
    for year in first..=last {
        for ((scope, entry), count) in &entries {
            if *entry == year {
                *running.entry(scope.clone()).or_default() += count;
            }
        }
        let figures = compute_year(frames, year)?;
        let active = figures
            .rows
            .iter()
            .any(|r| r.indicator == Indicator::PersonnesAccompagnees && r.numerator > Some(0));
        let mut scopes: Vec<&String> = figures.rows.iter().map(|r| &r.scope).collect();
        scopes.dedup();
        let cumulated = scopes
            .into_iter()
            .map(|scope| Cumulated {
                scope: scope.clone(),
                personnes_cumulees: Some(running.get(scope).copied().unwrap_or(0)),
            })
            .collect();
        series.push(SeriesYear {
            figures,
            active,
            cumulated,
        });
    }
    Ok(series)
}

/// How many (scope, person) pairs were first active in each year of
/// `first..=last`: ((scope, year), persons).
fn first_years(
    frames: &Frames,
    first: i32,
    last: i32,
) -> PolarsResult<BTreeMap<(String, i32), u64>> {
    let acts = frames.acts.clone().lazy().filter(
        col("date")
            .gt_eq(lit(first * 10_000 + 101))
            .and(col("date").lt_eq(lit(last * 10_000 + 1231))),
    );
    let national = acts
        .clone()
        .select([national_scope(), col("id"), col("date")]);
    let teams = acts.filter(col("team").is_not_null()).select([
        col("team").alias("scope"),
        col("id"),
        col("date"),
    ]);
    let table = union(national, teams)
        .with_column(pair_key())
        .group_by([col("key")])
        .agg([
            col("scope").first(),
            (col("date").min() / lit(10_000)).alias("entry"),
        ])
        .group_by([col("scope"), col("entry")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let mut entries = BTreeMap::new();
    let scope = table.column("scope")?.u32()?;
    let entry = table.column("entry")?.cast(&DataType::Int32)?;
    let entry = entry.i32()?;
    let n = table.column("n")?.u64()?;
    for ((scope, entry), n) in scope.iter().zip(entry.iter()).zip(n.iter()) {
        let name = match scope {
            Some(NATIONAL_SCOPE) | None => NATIONAL.to_string(),
            Some(team) => frames.scope_name(team).to_string(),
        };
        if let (Some(entry), Some(n)) = (entry, n) {
            entries.insert((name, entry), n);
        }
    }
    Ok(entries)
}
