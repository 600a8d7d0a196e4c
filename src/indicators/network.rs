//! (v3) Facts → the network of teams (SPEC §4.7): for each year, the
//! persons active with both an ERHR and a CNRHR (each pair, and the totals
//! per ERHR and per CNRHR), from the team pairs of the facts and each
//! scope's kind in the referential; and the referrals, the demandes of the
//! year by `origine`, nationally and by addressee team.

use polars::prelude::*;
use serde::Serialize;

use std::collections::BTreeMap;

use super::exprs::in_years;
use super::{Count, Facts, Frames, Mask, NATIONAL_SCOPE};
use crate::reference::{Category, Scope, TeamKind};

/// One object of `reseau` (SPEC §5 v3): the persons active in the year
/// with both teams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkPair {
    pub year: i32,
    pub erhr: String,
    pub cnrhr: String,
    pub personnes: Option<u64>,
    /// Set by statistical secrecy; `personnes` is then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    #[serde(skip)]
    pub mask: Option<Mask>,
}

/// A network total of a team (SPEC §4.7): for an ERHR, its persons of the
/// year followed by at least one CNRHR; for a CNRHR, by at least one ERHR.
/// A figure of the report, not of the JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkTotal {
    pub year: i32,
    pub team: String,
    pub kind: TeamKind,
    pub personnes: Option<u64>,
    pub mask: Option<Mask>,
}

/// The demandes of the year addressed to a scope (national: every
/// demande) by `origine`, which names the teams of the dispositif (`erhr`,
/// `cnrhr`): the referrals (SPEC §4.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrals {
    pub year: i32,
    pub scope: Scope,
    /// Counts of acts, published as they are (SPEC §8).
    pub demandes: u64,
    /// The demandes by `origine`, in the order of its values, then *not
    /// filled in* (no value); those from `erhr` and `cnrhr` are masked as
    /// counts of persons (SPEC §8 v3), the others only to protect them.
    pub by_origin: Vec<Count>,
}

impl Referrals {
    /// The demandes from `origine` = `code` (`erhr`, `cnrhr`).
    pub fn from(&self, code: &str) -> Option<&Count> {
        self.by_origin
            .iter()
            .find(|c| c.value.as_deref() == Some(code))
    }
}

/// The network of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// The pairs with at least one person, by ERHR then CNRHR code.
    pub pairs: Vec<NetworkPair>,
    /// Every ERHR then every CNRHR active in the year, by code.
    pub totals: Vec<NetworkTotal>,
    /// National first, then every team with a demande in the year, by code.
    pub referrals: Vec<Referrals>,
}

/// The network of each year of `facts`, in order.
pub(super) fn network_figures(frames: &Frames, facts: &Facts) -> PolarsResult<Vec<Network>> {
    // Each team scope's kind, as a small table to join.
    let (mut erhr, mut cnrhr) = (Vec::new(), Vec::new());
    for number in 0..frames.scope_count() as u32 {
        match frames.scope_kind(number) {
            Some(TeamKind::Erhr) => erhr.push(number),
            Some(TeamKind::Cnrhr) => cnrhr.push(number),
            None => {}
        }
    }
    let of_kind = |numbers: &[u32], name: &str| -> LazyFrame {
        let kind = DataFrame::new(
            numbers.len(),
            vec![Column::new("scope".into(), numbers.to_vec())],
        )
        .unwrap_or_default()
        .lazy();
        facts
            .active
            .clone()
            .lazy()
            .select([col("year"), col("scope"), col("id")])
            .join(
                kind,
                [col("scope")],
                [col("scope")],
                JoinArgs::new(JoinType::Inner),
            )
            .select([col("year"), col("scope").alias(name), col("id")])
    };
    let both = of_kind(&erhr, "erhr")
        .join(
            of_kind(&cnrhr, "cnrhr"),
            [col("year"), col("id")],
            [col("year"), col("id")],
            JoinArgs::new(JoinType::Inner),
        )
        .collect()?;
    let pairs = both
        .clone()
        .lazy()
        .group_by([col("year"), col("erhr"), col("cnrhr")])
        .agg([len().cast(DataType::UInt64).alias("persons")])
        .collect()?;
    let total_of = |team: &str| -> PolarsResult<DataFrame> {
        both.clone()
            .lazy()
            .group_by([col("year"), col(team)])
            .agg([col("id").n_unique().cast(DataType::UInt64).alias("persons")])
            .collect()
    };
    let (erhr_totals, cnrhr_totals) = (total_of("erhr")?, total_of("cnrhr")?);
    let referrals = referral_counts(frames, &facts.years)?;
    let mut years = Vec::new();
    for &year in &facts.years {
        let mut network = Network::default();
        let pairs_of = triples(&pairs, year, &["erhr", "cnrhr"])?;
        for (teams, persons) in pairs_of {
            network.pairs.push(NetworkPair {
                year,
                erhr: frames.scope_name(teams[0]).to_string(),
                cnrhr: frames.scope_name(teams[1]).to_string(),
                personnes: Some(persons),
                suppressed: false,
                mask: None,
            });
        }
        network
            .pairs
            .sort_by(|a, b| (&a.erhr, &a.cnrhr).cmp(&(&b.erhr, &b.cnrhr)));
        // Every team of each kind active in the year, 0 when it shares none.
        let active = active_scopes(facts, year)?;
        for (kind, numbers, table, name) in [
            (TeamKind::Erhr, &erhr, &erhr_totals, "erhr"),
            (TeamKind::Cnrhr, &cnrhr, &cnrhr_totals, "cnrhr"),
        ] {
            let found = triples(table, year, &[name])?;
            let mut totals: Vec<NetworkTotal> = numbers
                .iter()
                .filter(|n| active.contains(n))
                .map(|&n| NetworkTotal {
                    year,
                    team: frames.scope_name(n).to_string(),
                    kind,
                    personnes: Some(found.iter().find(|(t, _)| t[0] == n).map_or(0, |(_, p)| *p)),
                    mask: None,
                })
                .collect();
            totals.sort_by(|a, b| a.team.cmp(&b.team));
            network.totals.extend(totals);
        }
        network.referrals = referrals
            .iter()
            .filter(|r| r.year == year)
            .cloned()
            .collect();
        years.push(network);
    }
    Ok(years)
}

/// The team numbers active in `year`.
fn active_scopes(facts: &Facts, year: i32) -> PolarsResult<Vec<u32>> {
    let table = facts
        .active
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)))
        .select([col("scope").unique()])
        .collect()?;
    Ok(table
        .column("scope")?
        .u32()?
        .iter()
        .flatten()
        .filter(|&s| s != NATIONAL_SCOPE)
        .collect())
}

/// The rows of a table grouped by `year` and the scope columns `keys`,
/// for one year: (the scopes, `persons`).
fn triples(table: &DataFrame, year: i32, keys: &[&str]) -> PolarsResult<Vec<(Vec<u32>, u64)>> {
    let years = table.column("year")?.i32()?;
    let persons = table.column("persons")?.u64()?;
    let keys = keys
        .iter()
        .map(|k| table.column(k)?.u32().cloned())
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..table.height())
        .filter(|&row| years.get(row) == Some(year))
        .filter_map(|row| {
            let scopes = keys
                .iter()
                .map(|k| k.get(row))
                .collect::<Option<Vec<u32>>>()?;
            Some((scopes, persons.get(row)?))
        })
        .collect())
}

/// The demandes of each year by `origine` (SPEC §4.7): nationally (every
/// demande) and by addressee team, every origin listed (0 where none).
fn referral_counts(frames: &Frames, years: &[i32]) -> PolarsResult<Vec<Referrals>> {
    let (first, last) = match (years.first(), years.last()) {
        (Some(&first), Some(&last)) => (first, last),
        _ => return Ok(Vec::new()),
    };
    let table = frames
        .acts_of(first, last)?
        .lazy()
        .filter(col("demande").and(in_years(first, last)))
        .select([
            (col("date") / lit(10_000)).alias("year"),
            col("team"),
            col("category"),
        ])
        .group_by([col("year"), col("team"), col("category")])
        .agg([len().cast(DataType::UInt64).alias("demandes")])
        .collect()?;
    let year_column = table.column("year")?.i32()?;
    let teams = table.column("team")?.u32()?;
    let categories = table.column("category")?.u32()?;
    let counts = table.column("demandes")?.u64()?;
    let origins = Category::Origine.values();
    // (year, scope number) → demandes by origin, not filled in last.
    let mut sums: BTreeMap<(i32, u32), Vec<u64>> = BTreeMap::new();
    for row in 0..table.height() {
        let (Some(year), Some(n)) = (year_column.get(row), counts.get(row)) else {
            continue;
        };
        if !years.contains(&year) {
            continue;
        }
        let code = categories.get(row).map(|k| frames.category_code(k));
        let slot = code
            .and_then(|code| origins.iter().position(|v| v.code == code))
            .unwrap_or(origins.len());
        let mut add = |scope: u32| {
            sums.entry((year, scope))
                .or_insert_with(|| vec![0; origins.len() + 1])[slot] += n;
        };
        add(NATIONAL_SCOPE);
        if let Some(team) = teams.get(row) {
            add(team);
        }
    }
    let mut referrals: Vec<Referrals> = sums
        .into_iter()
        .map(|((year, scope), by_origin)| Referrals {
            year,
            scope: frames.scope(scope),
            demandes: by_origin.iter().sum(),
            by_origin: by_origin
                .into_iter()
                .enumerate()
                .map(|(k, n)| Count::new(origins.get(k).map(|v| v.code.to_string()), n))
                .collect(),
        })
        .collect();
    // By year, national first, then the teams by code.
    referrals.sort_by(|a, b| (a.year, &a.scope).cmp(&(b.year, &b.scope)));
    Ok(referrals)
}
