//! Series over the years (SPEC §4.3): every year from a first year A to Y
//! computed exactly as a year on its own, and the distinct persons
//! cumulated since A.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::years::YEARS_AT_ONCE;
use super::{Frames, Indicator, Pairs, YearFigures};

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

/// The years `first..=last`, each computed as on its own, with the
/// persons cumulated since `first`: one grouping of the acts per
/// [`YEARS_AT_ONCE`] years ([`Pairs`]).
pub fn compute_series(frames: &Frames, first: i32, last: i32) -> PolarsResult<Vec<SeriesYear>> {
    let years: Vec<i32> = (first..=last).collect();
    let mut entries = BTreeMap::new();
    let mut all = Vec::new();
    for (k, chunk) in years.chunks(YEARS_AT_ONCE).enumerate() {
        let pairs = Pairs::new(frames, chunk, (first, last))?;
        if k == 0 {
            // The first act from A to Y does not depend on the chunk.
            entries = pairs.entries(frames);
        }
        all.extend(pairs.figures(frames)?);
    }
    let mut running: BTreeMap<String, u64> = BTreeMap::new();
    let mut series = Vec::new();
    for figures in all {
        for ((scope, entry), count) in &entries {
            if *entry == figures.year {
                *running.entry(scope.clone()).or_default() += count;
            }
        }
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
