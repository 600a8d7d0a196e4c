//! Series over the years (SPEC §4.3): every year from a first year A to Y
//! computed exactly as a year on its own, and the distinct persons
//! cumulated since A.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::pairs::YEARS_AT_ONCE;
use super::{year_figures, Facts, Frames, Indicator, Mask, Pairs, YearFigures};
use crate::reference::Scope;

/// How many years of the series are turned into figures at a time: the
/// facts of a chunk (a row per active (year, scope, person)) are held
/// while its figures are computed, a table that grows with the years.
/// Five at a time halved the peak memory of `report` on ten years
/// (decision 156, when the indicator rows of a chunk were summed in one
/// query); since they are summed a year at a time (decision 182), three at
/// a time takes 3 MiB off the peak for no time that shows (decision 187).
/// The acts are grouped once for up to [`YEARS_AT_ONCE`] years all the
/// same (decision 179).
const SERIES_YEARS_AT_ONCE: usize = 3;
const _: () = assert!(SERIES_YEARS_AT_ONCE <= YEARS_AT_ONCE);

/// Distinct persons of a scope active in at least one year from A to this
/// year (national: counted once across teams).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cumulated {
    pub scope: Scope,
    pub personnes_cumulees: Option<u64>,
    /// How a masked count reads.
    #[serde(skip)]
    pub mask: Option<Mask>,
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
/// [`YEARS_AT_ONCE`] years ([`Pairs`]), their figures
/// [`SERIES_YEARS_AT_ONCE`] years at a time. With `then_keep`, once the
/// last acts are grouped, the frames keep only the acts of those years,
/// and the fill rates of those scopes ([`Frames::keep_acts_of`]): what the
/// caller still needs.
pub fn compute_series(
    frames: &Frames,
    first: i32,
    last: i32,
    then_keep: Option<((i32, i32), &[Scope])>,
) -> PolarsResult<Vec<SeriesYear>> {
    let years: Vec<i32> = (first..=last).collect();
    let mut entries = None;
    let mut all = Vec::new();
    let mut figures_of = |facts: Facts| -> PolarsResult<()> {
        // The first act from A to Y does not depend on the chunk.
        entries.get_or_insert_with(|| facts.entries.clone());
        // The profile and network are published for Y only.
        all.extend(year_figures(frames, &facts, &[last])?);
        Ok(())
    };
    let blocks: Vec<&[i32]> = years.chunks(YEARS_AT_ONCE).collect();
    for (k, &block) in blocks.iter().enumerate() {
        let pairs = Pairs::new(frames, block, (first, last))?;
        if let (Some(((from, to), scopes)), true) = (then_keep, k + 1 == blocks.len()) {
            frames.keep_acts_of(from, to, scopes)?;
        }
        let chunks: Vec<&[i32]> = block.chunks(SERIES_YEARS_AT_ONCE).collect();
        let Some((latest, earlier)) = chunks.split_last() else {
            continue;
        };
        for chunk in earlier {
            figures_of(pairs.facts_of(frames, chunk)?)?;
        }
        // The pairs are let go before the last chunk's figures.
        let facts = pairs.facts_of(frames, latest)?;
        drop(pairs);
        figures_of(facts)?;
    }
    let entries = entries.unwrap_or_default();
    let by_year = cumulated(&entries, &years)?;
    let mut series = Vec::new();
    for (figures, cumulated_now) in all.into_iter().zip(by_year) {
        let active = figures
            .rows
            .iter()
            .any(|r| r.indicator == Indicator::PersonnesAccompagnees && r.numerator > Some(0));
        let mut scopes: Vec<&Scope> = figures.rows.iter().map(|r| &r.scope).collect();
        scopes.dedup();
        let cumulated = scopes
            .into_iter()
            .map(|scope| {
                let number = frames.scope_number_of(scope);
                Cumulated {
                    scope: scope.clone(),
                    personnes_cumulees: Some(
                        number
                            .and_then(|n| cumulated_now.get(&n).copied())
                            .unwrap_or(0),
                    ),
                    mask: None,
                }
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

/// "distinct persons active in at least one year from A to that year
/// (national: counted once across teams)" (SPEC §4.3), for each of
/// `years` (ascending), by scope number: the pairs whose first act from A
/// is dated in that year or before. Polars counts the pairs by the year of
/// their first act, once; each year's figure is the sum of those counts up
/// to it (one query rather than one a year, decision 180).
fn cumulated(entries: &DataFrame, years: &[i32]) -> PolarsResult<Vec<BTreeMap<u32, u64>>> {
    let table = entries
        .clone()
        .lazy()
        .group_by([col("scope"), col("year")])
        .agg([len().cast(DataType::UInt64).alias("persons")])
        .collect()?;
    let scopes = table.column("scope")?.u32()?;
    let firsts = table.column("year")?.i32()?;
    let persons = table.column("persons")?.u64()?;
    let mut by_year = vec![BTreeMap::new(); years.len()];
    for ((scope, first), persons) in scopes.iter().zip(firsts.iter()).zip(persons.iter()) {
        let (Some(scope), Some(first), Some(persons)) = (scope, first, persons) else {
            continue;
        };
        for (cumulated, _) in by_year
            .iter_mut()
            .zip(years)
            .filter(|(_, &year)| first <= year)
        {
            *cumulated.entry(scope).or_insert(0) += persons;
        }
    }
    Ok(by_year)
}
