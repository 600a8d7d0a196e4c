//! Facts → the indicator rows of SPEC §4–5: the pairs active in a year
//! with their persons' attributes gathered beside them, grouped by scope,
//! a year at a time (decisions 182, 186), each
//! indicator's numerator, denominator and not-filled count a conditional
//! sum built from its declaration (`exprs.rs`).

use polars::prelude::*;

use super::exprs::{denominator, numerator, population, trues};
use super::{Facts, Frames, IndicatorRow};
use crate::catalog::{Counted, Indicator};
use crate::reference::Scope;

/// The rows of every scope active in each year of `facts`, by year (as
/// asked), then the national scope first and the teams by code, each in
/// indicator order; a year without activity has none.
pub(super) fn indicator_rows(
    frames: &Frames,
    facts: &Facts,
) -> PolarsResult<Vec<Vec<IndicatorRow>>> {
    // Each count's flag is computed over the whole column first, then
    // aggregated by group: Polars aggregates plain columns by group far
    // faster than it evaluates an expression in each group. A boolean flag
    // has its falses made null and is counted (see `exprs::count`); a
    // mean's numbers are summed.
    let mut counted = Vec::new();
    for indicator in Indicator::ALL {
        let id = indicator.id();
        let summed = matches!(indicator.spec().counted, Counted::CodeCount(_));
        counted.push((format!("{id}:n"), numerator(indicator), summed));
        if let Some(denominator) = denominator(indicator) {
            counted.push((format!("{id}:d"), denominator.clone(), false));
            counted.push((
                format!("{id}:nf"),
                population(indicator).and(denominator.not()),
                false,
            ));
        }
    }
    let flags: Vec<Expr> = counted
        .iter()
        .map(|(name, flag, summed)| match summed {
            true => flag.clone().fill_null(lit(false)).alias(name.as_str()),
            false => trues(flag.clone()).alias(name.as_str()),
        })
        .collect();
    let sums: Vec<Expr> = counted
        .iter()
        .map(|(name, _, summed)| match summed {
            true => col(name.as_str()).sum().cast(DataType::UInt64),
            false => col(name.as_str()).count().cast(DataType::UInt64),
        })
        .collect();
    // One year at a time: the query's working copies (the persons'
    // columns for each active pair, every flag) hold one year's pairs,
    // not the chunk's; they were the peak of `report` (decision 182).
    let mut table: Option<DataFrame> = None;
    for &year in &facts.years {
        let active = facts
            .active
            .clone()
            .lazy()
            .filter(col("year").eq(lit(year)))
            .collect()?;
        let persons = gathered(frames, &active, frames.indicator_flags())?;
        let part = active
            .hstack(persons.columns())?
            .lazy()
            .select(
                [col("scope")]
                    .into_iter()
                    .chain(flags.iter().cloned())
                    .collect::<Vec<_>>(),
            )
            // One year: grouped by scope alone, a key Polars need not
            // encode row by row as it does two columns.
            .group_by([col("scope")])
            .agg(sums.clone())
            .with_column(lit(year).alias("year"))
            .collect()?;
        match &mut table {
            Some(table) => {
                table.vstack_mut(&part)?;
            }
            None => table = Some(part),
        }
    }
    let Some(table) = table else {
        return Ok(Vec::new());
    };
    let years = table.column("year")?.i32()?;
    let scopes = table.column("scope")?.u32()?;
    let figure = |name: String, row: usize| -> PolarsResult<Option<u64>> {
        Ok(table.column(&name)?.u64()?.get(row))
    };
    let mut by_year: Vec<Vec<(Scope, usize)>> = vec![Vec::new(); facts.years.len()];
    for row in 0..table.height() {
        let (Some(year), Some(scope)) = (years.get(row), scopes.get(row)) else {
            continue;
        };
        if let Some(k) = facts.years.iter().position(|&y| y == year) {
            by_year[k].push((frames.scope(scope), row));
        }
    }
    let mut all = Vec::new();
    for (k, mut scopes) in by_year.into_iter().enumerate() {
        // National first, then the teams by code.
        scopes.sort();
        let mut rows = Vec::new();
        for (scope, row) in scopes {
            for indicator in Indicator::ALL {
                let id = indicator.id();
                let rate = denominator(indicator).is_some();
                // (v3) Without its column, an indicator has no figure: every
                // active person is not filled in (SPEC §4).
                let computed = indicator
                    .spec()
                    .requires
                    .is_none_or(|column| frames.has_column(column));
                rows.push(IndicatorRow {
                    scope: scope.clone(),
                    year: facts.years[k],
                    indicator,
                    numerator: if computed {
                        figure(format!("{id}:n"), row)?
                    } else {
                        None
                    },
                    denominator: if rate && computed {
                        figure(format!("{id}:d"), row)?
                    } else {
                        None
                    },
                    not_filled: if rate {
                        figure(format!("{id}:nf"), row)?
                    } else {
                        None
                    },
                    suppressed: false,
                    mask: None,
                });
            }
        }
        all.push(rows);
    }
    Ok(all)
}

/// The `columns` of the persons frame for each row of `active` (pairs), in
/// its order: a person's number is their row in the frame, so the rows are
/// gathered by it rather than joined; a person without a row (an act's id
/// missing from `usagers`) has nulls, as a left join gives.
pub(super) fn gathered<'a>(
    frames: &Frames,
    active: &DataFrame,
    columns: impl Iterator<Item = &'a str>,
) -> PolarsResult<DataFrame> {
    let rows = frames.persons.height();
    let ids = active.column("id")?.u32()?;
    let at: IdxCa = ids
        .iter()
        .map(|id| id.filter(|&id| (id as usize) < rows))
        .collect_ca("at".into());
    frames.persons.select(columns)?.take(&at)
}
