//! The report's breakdowns (SPEC §6, sections 3–7), as Polars queries over
//! the same frames as the indicators, for the national scope or one team.

use polars::prelude::*;
use serde::Serialize;

use super::exprs::{age, age_known, child_3_16, in_year, pair_key};
use super::Frames;
use crate::reference::Scope;

/// A count per value of a field; `value` is `None` for *not filled in*.
/// `count` is `None` when statistical secrecy masks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub value: Option<String>,
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

impl Count {
    pub fn new(value: Option<String>, count: u64) -> Self {
        Self {
            value,
            count: Some(count),
            suppressed: false,
        }
    }

    pub fn mask(&mut self) {
        self.count = None;
        self.suppressed = true;
    }
}

/// Interventions of one type: how many, and their minutes where filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Durations {
    pub value: Option<String>,
    pub count: Option<u64>,
    pub with_duration: Option<u64>,
    pub minutes: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

/// Everything the report shows beside the seven indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdowns {
    pub scope: String,
    pub year: i32,
    /// National: active persons by team. A team: its active persons that
    /// another team also followed in the year, by that other team
    /// (co-accompaniment).
    pub persons_by_team: Vec<Count>,
    pub persons_by_region: Vec<Count>,
    /// Age brackets in order, then `None` for unknown ages.
    pub persons_by_age: Vec<Count>,
    pub persons_by_sex: Vec<Count>,
    pub maladie_rare: Vec<Count>,
    /// Persons having each déficience (a person counts once per value).
    pub deficiences: Vec<Count>,
    /// The most frequent combinations (`auditive|visuelle`), largest first.
    pub deficience_combinations: Vec<Count>,
    pub deficiences_not_filled: u64,
    pub tnd: Vec<Count>,
    pub tnd_not_filled: u64,
    pub lieu_de_vie: Vec<Count>,
    /// `situation`: whether the person has an accompaniment answering
    /// their needs.
    pub situation: Vec<Count>,
    /// `scolarisation` of the active persons aged 3 to 16.
    pub scolarisation_3_16: Vec<Count>,
    /// Active persons aged 3 to 16.
    pub children: Option<u64>,
    /// Demandes dated in the year: how many, and by month 1–12.
    pub requests: Option<u64>,
    pub requests_by_month: Vec<Count>,
    pub requests_by_origin: Vec<Count>,
    pub requests_by_team: Vec<Count>,
    /// Interventions dated in the year.
    pub interventions: Option<u64>,
    pub interventions_by_type: Vec<Durations>,
    pub interventions_by_team: Vec<Count>,
    pub fill_rates: Vec<super::FillRate>,
}

/// Age brackets of the report: (label, lowest age, highest age).
/// Cut so that *under 20* reads off the table (SPEC §4).
pub const AGE_BRACKETS: [(&str, i32, i32); 10] = [
    ("0–2 ans", 0, 2),
    ("3–5 ans", 3, 5),
    ("6–11 ans", 6, 11),
    ("12–15 ans", 12, 15),
    ("16–17 ans", 16, 17),
    ("18–19 ans", 18, 19),
    ("20–24 ans", 20, 24),
    ("25–44 ans", 25, 44),
    ("45–59 ans", 45, 59),
    ("60 ans et plus", 60, 200),
];

/// How many combinations of déficiences the report lists.
const TOP_COMBINATIONS: u32 = 10;

/// The acts of the scope.
fn scoped(frames: &Frames, scope: &Scope) -> LazyFrame {
    let acts = frames.acts.clone().lazy();
    match scope.team().map(|team| frames.scope_number(team)) {
        Some(Some(team)) => acts.filter(col("team").eq(lit(team).cast(DataType::UInt32))),
        Some(None) => acts.filter(lit(false)),
        None => acts,
    }
}

/// The age bracket label of a person on 31 December of `year`, null when
/// the birth date gives no age.
fn age_bracket(year: i32) -> Expr {
    let (age, known) = (age(year), age_known(year));
    AGE_BRACKETS.iter().rev().fold(
        lit(NULL).cast(DataType::String),
        |otherwise, (label, low, high)| {
            let inside = known
                .clone()
                .and(age.clone().gt_eq(lit(*low)))
                .and(age.clone().lt_eq(lit(*high)));
            when(inside).then(lit(*label)).otherwise(otherwise)
        },
    )
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
fn active_persons(frames: &Frames, ids: &UInt32Chunked) -> PolarsResult<(DataFrame, DataFrame)> {
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
    let ids: Vec<u32> = (0u32..)
        .zip(&seen)
        .filter_map(|(id, &seen)| seen.then_some(id))
        .collect();
    Ok((
        active,
        DataFrame::new(ids.len(), vec![Column::new("id".into(), ids)])?,
    ))
}

/// Every breakdown of the report for one scope and year.
pub fn compute_breakdowns(frames: &Frames, year: i32, scope: &Scope) -> PolarsResult<Breakdowns> {
    // The scope's acts of the year, its persons and their attributes are
    // read by every table below: each is computed once, not per table.
    let acts = scoped(frames, scope);
    let in_year = acts.clone().filter(in_year(year)).collect()?;
    let (active, active_ids) = active_persons(frames, in_year.column("id")?.u32()?)?;
    let (in_year, active, active_ids) = (in_year.lazy(), active.lazy(), active_ids.lazy());
    // (team, person) pairs of the year: the scope's own acts nationally;
    // for a team, every team's acts for the persons it followed.
    let team_acts = match scope.team().and_then(|team| frames.scope_number(team)) {
        Some(team) => frames
            .acts
            .clone()
            .lazy()
            .filter(super::exprs::in_year(year))
            .join(
                active_ids.clone(),
                [col("id")],
                [col("id")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("team").neq(lit(team).cast(DataType::UInt32))),
        None => in_year.clone(),
    };
    let persons_by_team = counts(
        frames,
        team_acts
            .filter(col("team").is_not_null())
            .select([col("team").alias("scope"), col("id")])
            .with_column(pair_key())
            .group_by([col("key")])
            .agg([col("scope").first().alias("team")]),
        "team",
    )?;
    let persons_by_age = counts(
        frames,
        active.clone().with_column(age_bracket(year).alias("age")),
        "age",
    )?;
    // The population of the schooling rate, by its own definition.
    let children = active
        .clone()
        .filter(child_3_16(year).fill_null(lit(false)));
    let multi = |frame: &DataFrame| {
        active_ids.clone().join(
            frame.clone().lazy(),
            [col("id")],
            [col("id")],
            JoinArgs::new(JoinType::Inner),
        )
    };
    let not_filled = |column: &str| -> PolarsResult<u64> {
        let table = active
            .clone()
            .select([col(column)
                .is_null()
                .cast(DataType::UInt64)
                .sum()
                .alias("n")])
            .collect()?;
        Ok(table.column("n")?.u64()?.get(0).unwrap_or(0))
    };
    let combinations = counts(
        frames,
        active.clone().filter(col("deficiences").is_not_null()),
        "deficiences",
    )?
    .into_iter()
    .take(TOP_COMBINATIONS as usize)
    .collect();
    let scolarisation_3_16 = counts(frames, children, "scolarisation")?;
    let demandes = in_year.clone().filter(col("demande"));
    let interventions = in_year.clone().filter(col("demande").not());
    let interventions_by_type = durations(frames, interventions.clone())?;
    let mut by_month = counts(
        frames,
        demandes
            .clone()
            .select([(col("date") / lit(100) % lit(100)).alias("month")]),
        "month",
    )?;
    by_month.sort_by_key(|c| c.value.as_deref().and_then(|m| m.parse::<u32>().ok()));
    let requests_by_month: Vec<Count> = (1..=12)
        .map(|m| {
            let found = by_month
                .iter()
                .find(|c| c.value.as_deref() == Some(&m.to_string()));
            Count::new(
                Some(m.to_string()),
                found.and_then(|c| c.count).unwrap_or(0),
            )
        })
        .collect();
    Ok(Breakdowns {
        scope: scope.code().to_string(),
        year,
        persons_by_team,
        persons_by_region: counts(frames, active.clone(), "region")?,
        persons_by_age,
        persons_by_sex: counts(frames, active.clone(), "sexe")?,
        maladie_rare: counts(frames, active.clone(), "maladie_rare")?,
        deficiences: counts(frames, multi(frames.deficiences()?), "code")?,
        deficience_combinations: combinations,
        deficiences_not_filled: not_filled("deficiences")?,
        tnd: counts(frames, multi(frames.tnd()?), "code")?,
        tnd_not_filled: not_filled("tnd")?,
        lieu_de_vie: counts(frames, active.clone(), "lieu_de_vie")?,
        situation: counts(frames, active.clone(), "situation")?,
        children: Some(scolarisation_3_16.iter().filter_map(|c| c.count).sum()),
        scolarisation_3_16,
        requests: Some(requests_by_month.iter().filter_map(|c| c.count).sum()),
        requests_by_month,
        requests_by_origin: counts(frames, demandes.clone(), "category")?,
        requests_by_team: counts(frames, demandes, "team")?,
        interventions: Some(interventions_by_type.iter().filter_map(|d| d.count).sum()),
        interventions_by_type,
        interventions_by_team: counts(frames, interventions, "team")?,
        fill_rates: super::fill_rates::fill_rates(frames, acts, scope)?,
    })
}

fn durations(frames: &Frames, interventions: LazyFrame) -> PolarsResult<Vec<Durations>> {
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
            Ok(Durations {
                value: values[i].clone(),
                count: Some(get("n", i)?),
                with_duration: Some(get("with_duration", i)?),
                minutes: Some(get("minutes", i)?),
                suppressed: false,
            })
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    durations.sort_by(|a, b| largest_first((a.count, &a.value), (b.count, &b.value)));
    Ok(durations)
}
