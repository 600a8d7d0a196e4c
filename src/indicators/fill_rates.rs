//! The fill rate of every column of the export for a scope (SPEC §6
//! *Qualité des données*): a data-quality figure, published as it is.

use polars::prelude::*;
use serde::Serialize;

use super::Frames;
use crate::catalog::Attribute;
use crate::reference::Scope;

/// How often a column is filled in, over the kept rows of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FillRate {
    pub file: &'static str,
    pub column: &'static str,
    pub filled: u64,
    pub rows: u64,
}

/// The share of kept rows with each column filled in: usagers over the
/// persons of the scope (national: every person of the file; a team: the
/// persons it ever saw), demandes, interventions and actions over the
/// scope's rows.
pub(super) fn fill_rates(frames: &Frames, scope: &Scope) -> PolarsResult<Vec<FillRate>> {
    // Every act of the scope, whatever its year.
    let acts = frames.of_scope(frames.every_act()?.lazy(), scope);
    // The birth date, then every attribute that is a column of the export.
    let person_columns: Vec<&str> = std::iter::once("birth")
        .chain(
            Attribute::ALL
                .into_iter()
                .filter(|a| a.spec().fill_rate)
                .map(Attribute::column),
        )
        .collect();
    let persons = frames.persons.clone().lazy();
    let persons = match scope.team() {
        Some(_) => acts
            .clone()
            .select([col("id")])
            .unique(None, UniqueKeepStrategy::Any)
            .join(
                persons,
                [col("id")],
                [col("id")],
                JoinArgs::new(JoinType::Inner),
            ),
        None => persons,
    };
    let mut exprs = vec![len().cast(DataType::UInt64).alias("rows")];
    for &column in &person_columns {
        exprs.push(filled(col(column)).alias(column));
    }
    let table = persons.select(exprs).collect()?;
    let value = |t: &DataFrame, name: &str| -> PolarsResult<u64> {
        Ok(t.column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .get(0)
            .unwrap_or(0))
    };
    let rows = value(&table, "rows")?;
    let mut rates: Vec<FillRate> = person_columns
        .iter()
        .map(|&column| {
            Ok(FillRate {
                file: "usagers",
                column: if column == "birth" {
                    "date_naissance"
                } else {
                    column
                },
                filled: value(&table, column)?,
                rows,
            })
        })
        .collect::<PolarsResult<_>>()?;
    for (file, demande, columns) in [
        (
            "demandes",
            true,
            [("equipe", "team"), ("origine", "category"), ("", "")],
        ),
        (
            "interventions",
            false,
            [
                ("equipe", "team"),
                ("type_intervention", "category"),
                ("duree_minutes", "duree"),
            ],
        ),
    ] {
        // Counted over every act with a condition on its file, rather
        // than over a filtered copy of the file's acts.
        let of_file = || col("demande").eq(lit(demande));
        let mut exprs = vec![of_file().sum().alias("rows")];
        for (name, source) in columns.iter().filter(|c| !c.0.is_empty()) {
            exprs.push(col(*source).is_not_null().and(of_file()).sum().alias(*name));
        }
        let table = acts.clone().select(exprs).collect()?;
        let rows = value(&table, "rows")?;
        for (name, _) in columns.iter().filter(|c| !c.0.is_empty()) {
            rates.push(FillRate {
                file,
                column: name,
                filled: value(&table, name)?,
                rows,
            });
        }
    }
    rates.extend(action_fill_rates(frames, scope)?);
    Ok(rates)
}

/// The fill rates of `actions.csv` over the scope's kept actions (every
/// year), when the export has the table: the team, and the optional
/// columns. `public` is filled when at least one public is recognised.
fn action_fill_rates(frames: &Frames, scope: &Scope) -> PolarsResult<Vec<FillRate>> {
    let Some(actions) = &frames.actions else {
        return Ok(Vec::new());
    };
    let actions = frames.of_scope(actions.clone().lazy(), scope);
    let table = actions
        .select([
            len().cast(DataType::UInt64).alias("rows"),
            filled(col("team")).alias("equipe"),
            filled(col("type")).alias("type_action"),
            col("publics").neq(lit(0u32)).sum().alias("public"),
            filled(col("participants")).alias("participants"),
            filled(col("h_whole")).alias("duree_heures"),
        ])
        .collect()?;
    let value = |name: &str| -> PolarsResult<u64> {
        Ok(table
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .get(0)
            .unwrap_or(0))
    };
    let rows = value("rows")?;
    [
        "equipe",
        "type_action",
        "public",
        "participants",
        "duree_heures",
    ]
    .into_iter()
    .map(|column| {
        Ok(FillRate {
            file: "actions",
            column,
            filled: value(column)?,
            rows,
        })
    })
    .collect()
}

/// How many rows have the column filled in (a flag's sum: no column of
/// integers is made).
fn filled(column: Expr) -> Expr {
    column.is_not_null().sum()
}
