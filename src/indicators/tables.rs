//! Facts → the report's tables (SPEC §6, sections 5–8), each computed as
//! the catalog declares it ([`TableId`], [`Dimension`]): one Polars
//! group-by per table over the scope's active persons of the year (with
//! their age on 31 December) or its acts of the year.

use polars::prelude::*;
use serde::Serialize;

use super::exprs::{age_bracket, child, in_year, pair_key, AGE_BRACKET};
use super::{FillRate, Frames, Mask};
use crate::catalog::{
    age_on_31_december, code_count_bracket, number_of_codes, Attribute, Counting, Dimension, Keep,
    TableId, TableSpec, AGE_BRACKETS, CODE_COUNT_BRACKETS,
};
use crate::reference::Category;
use crate::reference::Scope;

/// A count per value of a field; `value` is `None` for *not filled in*.
/// `count` is `None` when statistical secrecy masks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub value: Option<String>,
    pub count: Option<u64>,
    /// The interventions of a type: their minutes where filled in.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub durations: Option<Durations>,
    /// Set by statistical secrecy (`"suppressed": true`): the count, or
    /// only its durations, are masked.
    #[serde(
        rename = "suppressed",
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::suppressed"
    )]
    pub mask: Option<Mask>,
}

impl Count {
    pub fn new(value: Option<String>, count: u64) -> Self {
        Self {
            value,
            count: Some(count),
            durations: None,
            mask: None,
        }
    }

    /// Masks the count.
    pub fn mask(&mut self, mask: Mask) {
        self.count = None;
        self.mask = Some(mask);
    }
}

/// Interventions of one type: how many have a duration, and their minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Durations {
    pub with_duration: Option<u64>,
    pub minutes: Option<u64>,
}

/// One table of a report (SPEC §6): its cells, its total (the persons,
/// the children, the demandes or the interventions it counts), and for a
/// table of codes or combinations, the persons whose field is not filled
/// in (a figure beside it, not a cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    pub id: TableId,
    pub cells: Vec<Count>,
    pub total: Option<u64>,
    /// How a masked total reads.
    pub total_mask: Option<Mask>,
    pub not_filled: Option<u64>,
}

/// Every table of one scope's report for a year, in catalog order, and the
/// fill rates of its data-quality section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub scope: Scope,
    pub year: i32,
    pub tables: Vec<CountTable>,
    pub fill_rates: Vec<FillRate>,
}

impl Tables {
    /// The table `id` (every table of the catalog is computed).
    pub fn get(&self, id: TableId) -> &CountTable {
        &self.tables[id as usize]
    }

    pub fn get_mut(&mut self, id: TableId) -> &mut CountTable {
        &mut self.tables[id as usize]
    }
}

/// `breakdowns.json`: the scope and year, every table under its key with
/// the figures the catalog places beside it.
impl Serialize for Tables {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::catalog::Placement;
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("scope", &self.scope)?;
        map.serialize_entry("year", &self.year)?;
        for table in &self.tables {
            let spec = table.id.spec();
            if let Some((key, Placement::Before)) = spec.total_key {
                map.serialize_entry(key, &table.total)?;
            }
            map.serialize_entry(spec.key, &table.cells)?;
            if let Some((key, Placement::After)) = spec.total_key {
                map.serialize_entry(key, &table.total)?;
            }
            if let Some(key) = spec.not_filled_key {
                // `null` when secrecy withholds it (a scope of too few
                // persons).
                map.serialize_entry(key, &table.not_filled)?;
            }
        }
        // The fill rates are data-quality counts by scope: internal (SPEC
        // §8), in `controle.html`, not in this published file.
        map.end()
    }
}

/// The order of every aggregated table: largest count first, then by value,
/// not filled in (no value) last.
fn largest_first(
    (a_count, a_value): (Option<u64>, &Option<String>),
    (b_count, b_value): (Option<u64>, &Option<String>),
) -> std::cmp::Ordering {
    (b_count, a_value.is_none(), a_value).cmp(&(a_count, b_value.is_none(), b_value))
}

/// `(value, count)` rows of a grouped frame, in the order of
/// [`largest_first`].
fn counts(frames: &Frames, frame: LazyFrame, column: &str) -> PolarsResult<Vec<Count>> {
    let table = frame
        .group_by([col(column)])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()?;
    counted(frames, &table, column)
}

/// The persons holding each code of a multi-valued attribute, among the
/// persons of `rows` ([`Frames::by_code`]).
fn each_code(frames: &Frames, rows: LazyFrame, attribute: Attribute) -> PolarsResult<Vec<Count>> {
    let table = frames
        .by_code(rows, attribute, &[])?
        .group_by([col("code")])
        .agg([col("n").sum().alias("n")])
        .collect()?;
    counted(frames, &table, "code")
}

/// `(value, count)` rows of a grouped table (`column` and its count `n`),
/// in the order of [`largest_first`].
fn counted(frames: &Frames, table: &DataFrame, column: &str) -> PolarsResult<Vec<Count>> {
    let values = frames.labels(table.column(column)?)?;
    let n = table.column("n")?.u64()?;
    let mut counts: Vec<Count> = values
        .into_iter()
        .zip(n.iter())
        .map(|(value, n)| Count::new(value, n.unwrap_or(0)))
        .collect();
    counts.sort_by(|a, b| largest_first((a.count, &a.value), (b.count, &b.value)));
    Ok(counts)
}

/// The persons of `ids` (the scope's acts of the year, each id once or
/// more), every column of the persons frame, and their ids. A person
/// missing from `usagers.csv` is a row of nulls (every attribute *not
/// filled in*). They are picked by a mask over the persons frame, whose
/// row is the person's number, rather than joined: a join's working copies
/// set the report's peak memory.
fn active_persons(
    frames: &Frames,
    ids: &UInt32Chunked,
    year: i32,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let persons = &frames.persons;
    let height = persons.height();
    let mut seen = vec![false; height];
    for id in ids.iter().flatten() {
        let id = id as usize;
        if id >= seen.len() {
            seen.resize(id + 1, false);
        }
        seen[id] = true;
    }
    let mut active = persons.filter(&BooleanChunked::from_slice(
        "active".into(),
        &seen[..height],
    ))?;
    let missing = seen[height..].iter().filter(|&&s| s).count();
    if missing > 0 {
        let nulls = persons
            .columns()
            .iter()
            .map(|c| Column::full_null(c.name().clone(), missing, c.dtype()))
            .collect();
        active.vstack_mut(&DataFrame::new(missing, nulls)?)?;
    }
    // Their age on 31 December of the year (catalog), null when unknown.
    let ages: Int32Chunked = active
        .column("birth")?
        .i32()?
        .iter()
        .map(|birth| birth.and_then(|birth| age_on_31_december(birth, year)))
        .collect();
    active.with_column(ages.with_name("age".into()).into_column())?;
    let ids: Vec<u32> = (0u32..)
        .zip(&seen)
        .filter_map(|(id, &seen)| seen.then_some(id))
        .collect();
    Ok((
        active,
        DataFrame::new(ids.len(), vec![Column::new("id".into(), ids)])?,
    ))
}

/// What the tables of one scope and year are computed from: its acts of
/// the year, its active persons (with their age), its
/// children, its (team, person) pairs.
struct Sources {
    scope: Scope,
    in_year: LazyFrame,
    active: LazyFrame,
    team_pairs: LazyFrame,
}

/// Every table of the report for one scope and year, in catalog order.
pub fn compute_tables(frames: &Frames, year: i32, scope: &Scope) -> PolarsResult<Tables> {
    // The scope's acts of the year, its persons and their attributes are
    // read by every table: each is computed once, not per table.
    let of_year = frames.acts_of(year, year)?.lazy().filter(in_year(year));
    let in_year = frames.of_scope(of_year.clone(), scope).collect()?;
    let (active, active_ids) = active_persons(frames, in_year.column("id")?.u32()?, year)?;
    let (in_year, active, active_ids) = (in_year.lazy(), active.lazy(), active_ids.lazy());
    // (team, person) pairs of the year: the scope's own acts nationally;
    // for a team, every other team's acts for the persons it followed.
    let team_pairs = match scope.team().and_then(|team| frames.scope_number(team)) {
        Some(team) => of_year
            .join(
                active_ids,
                [col("id")],
                [col("id")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("team").neq(lit(team).cast(DataType::UInt32))),
        None => in_year.clone(),
    };
    let sources = Sources {
        scope: scope.clone(),
        in_year,
        active,
        team_pairs,
    };
    // Two tables at a time: each query leaves a core idle for about half
    // of its time (decision 165). The first error in catalog order wins.
    let tables = crate::parallel::two_at_a_time(&TableId::ALL, |&id| table(frames, &sources, id))
        .into_iter()
        .map(|table| {
            table.unwrap_or_else(|| {
                Err(polars_err!(ComputeError: "a thread computing the tables stopped unexpectedly"))
            })
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok(Tables {
        scope: scope.clone(),
        year,
        tables,
        fill_rates: frames.fill_rates(scope)?,
    })
}

/// One table, as its spec says.
fn table(frames: &Frames, sources: &Sources, id: TableId) -> PolarsResult<CountTable> {
    let spec: TableSpec = id.spec();
    let rows = match spec.counting {
        Counting::Persons => sources.active.clone(),
        Counting::Children => sources.active.clone().filter(child()),
        Counting::TeamPersons => sources
            .team_pairs
            .clone()
            .filter(col("team").is_not_null())
            .select([col("team").alias("scope"), col("id")])
            .with_column(pair_key())
            .group_by([col("key")])
            .agg([col("scope").first().alias("team")]),
        Counting::Demandes => sources.in_year.clone().filter(col("demande")),
        Counting::Interventions => sources.in_year.clone().filter(col("demande").not()),
    };
    let mut not_filled = None;
    let mut cells = match spec.dimension {
        Dimension::Value(attribute) => counts(frames, rows, attribute.column())?,
        Dimension::Combination(attribute) => {
            let column = attribute.column();
            not_filled = Some(nulls(rows.clone(), column)?);
            counts(frames, rows.filter(col(column).is_not_null()), column)?
        }
        Dimension::EachCode(attribute) => {
            not_filled = Some(nulls(rows.clone(), attribute.column())?);
            each_code(frames, rows, attribute)?
        }
        Dimension::AgeBracket => counts(frames, rows.with_column(age_bracket()), AGE_BRACKET)?,
        Dimension::Team => counts(frames, rows, "team")?,
        Dimension::Month => months(frames, rows)?,
        Dimension::ActCategory if spec.counting == Counting::Interventions => {
            durations(frames, rows)?
        }
        Dimension::ActCategory => counts(frames, rows, "category")?,
        Dimension::CodeCount(attribute) => code_counts(frames, rows, attribute)?,
    };
    match spec.keep {
        Keep::Largest(n) => cells.truncate(n),
        Keep::All => cells = in_fixed_order(frames, &spec, cells),
    }
    // The other teams of a team's persons: never the team itself, and a
    // pair always has a team.
    if spec.counting == Counting::TeamPersons {
        let own = sources.scope.team();
        cells.retain(|c| c.value.is_some() && c.value.as_deref() != own);
    }
    let total = match spec.counting {
        // Every cell of these tables is a person (or an act) counted once.
        Counting::Children | Counting::Demandes | Counting::Interventions => {
            Some(cells.iter().filter_map(|c| c.count).sum())
        }
        Counting::Persons | Counting::TeamPersons => None,
    };
    Ok(CountTable {
        id,
        cells,
        total,
        total_mask: None,
        not_filled,
    })
}

/// The cells in the fixed order of their dimension (SPEC §8: never by
/// count), every value listed — 0 where no one has it — and *not filled
/// in* (no value) last, also when 0: neither the order nor the presence of
/// a cell tells its size. The values of a category in the order of its
/// table in SPEC §2, régions alphabetically, age brackets and months in
/// order, teams by code (every team the export names).
fn in_fixed_order(frames: &Frames, spec: &TableSpec, cells: Vec<Count>) -> Vec<Count> {
    let codes: Vec<String> = match spec.dimension {
        Dimension::Value(Attribute::Region) => crate::reference::regions()
            .iter()
            .map(|r| r.to_string())
            .collect(),
        Dimension::Value(attribute) | Dimension::EachCode(attribute) => attribute
            .category()
            .map(|c| c.values().iter().map(|v| v.code.to_string()).collect())
            .unwrap_or_default(),
        Dimension::AgeBracket => AGE_BRACKETS.iter().map(|(l, _, _)| l.to_string()).collect(),
        Dimension::Month => (1..=12).map(|m| m.to_string()).collect(),
        Dimension::Team => {
            let mut teams: Vec<String> = (0..frames.scope_count())
                .filter_map(|k| u32::try_from(k).ok())
                .map(|k| frames.scope_name(k).to_string())
                .collect();
            teams.sort();
            teams
        }
        Dimension::ActCategory => {
            let category = match spec.counting {
                Counting::Demandes => Category::Origine,
                _ => Category::TypeIntervention,
            };
            category
                .values()
                .iter()
                .map(|v| v.code.to_string())
                .collect()
        }
        Dimension::CodeCount(_) => CODE_COUNT_BRACKETS.iter().map(|b| b.to_string()).collect(),
        Dimension::Combination(_) => return cells,
    };
    // A cell no one is in; an intervention type's has its durations (0).
    let zero = |value: Option<String>| Count {
        durations: (spec.counting == Counting::Interventions
            && spec.dimension == Dimension::ActCategory)
            .then_some(Durations {
                with_duration: Some(0),
                minutes: Some(0),
            }),
        ..Count::new(value, 0)
    };
    let mut ordered: Vec<Count> = codes
        .into_iter()
        .map(|code| {
            cells
                .iter()
                .find(|c| c.value.as_deref() == Some(&code))
                .cloned()
                .unwrap_or_else(|| zero(Some(code)))
        })
        .collect();
    // Values the order does not know (none for a category) keep theirs.
    let unknown: Vec<Count> = cells
        .iter()
        .filter(|c| c.value.is_some() && !ordered.iter().any(|o| o.value == c.value))
        .cloned()
        .collect();
    ordered.extend(unknown);
    let missing = cells.iter().find(|c| c.value.is_none()).cloned();
    ordered.push(missing.unwrap_or_else(|| zero(None)));
    ordered
}

/// (v3) The persons by their number of codes of a multi-valued attribute
/// (`aucun` = 0), in the brackets 0 to 5 and 6 and more (SPEC §4); *not
/// filled in* a cell of its own. Each value's bracket is worked out once.
fn code_counts(frames: &Frames, rows: LazyFrame, attribute: Attribute) -> PolarsResult<Vec<Count>> {
    let column = attribute.column();
    let brackets: Vec<&str> = frames
        .coded(column)
        .iter()
        .map(|codes| code_count_bracket(number_of_codes(codes)))
        .collect();
    let persons = rows.select([col(column)]).collect()?;
    let bracket: StringChunked = persons
        .column(column)?
        .u32()?
        .iter()
        .map(|k| k.and_then(|k| brackets.get(k as usize).copied()))
        .collect();
    let frame = DataFrame::new(
        bracket.len(),
        vec![bracket.with_name("bracket".into()).into_column()],
    )?;
    counts(frames, frame.lazy(), "bracket")
}

/// How many of `rows` have `column` not filled in.
fn nulls(rows: LazyFrame, column: &str) -> PolarsResult<u64> {
    let table = rows
        .select([col(column)
            .is_null()
            .cast(DataType::UInt64)
            .sum()
            .alias("n")])
        .collect()?;
    Ok(table.column("n")?.u64()?.get(0).unwrap_or(0))
}

/// The demandes by month of the year, every month listed (0 when none).
fn months(frames: &Frames, demandes: LazyFrame) -> PolarsResult<Vec<Count>> {
    let by_month = counts(
        frames,
        demandes.select([(col("date") / lit(100) % lit(100)).alias("month")]),
        "month",
    )?;
    Ok((1..=12)
        .map(|m| {
            let found = by_month
                .iter()
                .find(|c| c.value.as_deref() == Some(&m.to_string()));
            Count::new(
                Some(m.to_string()),
                found.and_then(|c| c.count).unwrap_or(0),
            )
        })
        .collect())
}

/// The interventions by type, with how many have a duration and their
/// minutes.
fn durations(frames: &Frames, interventions: LazyFrame) -> PolarsResult<Vec<Count>> {
    let table = interventions
        .group_by([col("category")])
        .agg([
            len().cast(DataType::UInt64).alias("n"),
            col("duree")
                .is_not_null()
                .cast(DataType::UInt64)
                .sum()
                .alias("with_duration"),
            col("duree").cast(DataType::UInt64).sum().alias("minutes"),
        ])
        .collect()?;
    let values = frames.labels(table.column("category")?)?;
    let get = |name: &str, i: usize| -> PolarsResult<u64> {
        Ok(table
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .get(i)
            .unwrap_or(0))
    };
    let mut durations = (0..table.height())
        .map(|i| {
            Ok(Count {
                durations: Some(Durations {
                    with_duration: Some(get("with_duration", i)?),
                    minutes: Some(get("minutes", i)?),
                }),
                ..Count::new(values[i].clone(), get("n", i)?)
            })
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    durations.sort_by(|a, b| largest_first((a.count, &a.value), (b.count, &b.value)));
    Ok(durations)
}
