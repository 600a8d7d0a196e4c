//! The clean tables as Polars data frames, built once per run.

use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use polars::prelude::*;

use super::FillRate;
use super::NATIONAL_SCOPE;
use crate::catalog::{number_of_codes, Attribute, Counted, Indicator, LegalCategory, AGE_BRACKETS};
use crate::reference::{Scope, TeamKind, NATIONAL};
use crate::validate::{Actions, Acts, CleanExport, Hours, Persons};

/// `persons`: id, birth (`AAAAMMJJ`), sexe, departement, region,
/// lieu_de_vie, maladie_rare, code_orpha (filled), deficiences, tnd,
/// scolarisation, situation. `acts`: id, team, date, demande (bool), category
/// (origine or type), duree.
///
/// The acts are a million rows, so they hold numbers, not text: `id` is the
/// person's number ([`CleanExport::person_ids`]), `team` the scope's number
/// ([`Frames::scope_name`]) and `category` the code's number
/// ([`Frames::category_code`]). The persons' coded columns (all but `id`,
/// `birth` and `code_orpha`) hold their value's number in the column's
/// list of values ([`Frames::coded`]). Text comes back only in aggregated
/// tables ([`Frames::labels`]).
#[derive(Debug)]
pub struct Frames {
    pub persons: DataFrame,
    /// The acts: every one ([`Frames::every_act`]), until
    /// [`Frames::keep_acts_of`] lets go of those of the years no figure
    /// asks for any more ([`Frames::acts_of`]).
    acts: RwLock<HeldActs>,
    /// The fill rates of the scopes worked out so far: those of the
    /// report's scopes are, before the acts are cut down.
    fill_rates: Mutex<Vec<(Scope, Vec<FillRate>)>>,
    /// `actions` (SPEC §2.6), when the export has the table: date, team,
    /// type (position in `type_action`), publics (bit `k` set for the
    /// `k`-th value of `public`, 0 when none is recognised), participants,
    /// and the hours as `h_whole` + (`h_hi` · 10⁹ + `h_lo`) / 10¹⁸,
    /// integers that Polars sums exactly.
    pub actions: Option<DataFrame>,
    scopes: Vec<String>,
    /// The codes of `origine`, then those of `type_intervention`.
    categories: Vec<&'static str>,
    /// Each coded column of the persons with its values, numbered from 0.
    coded: Vec<(&'static str, Vec<Box<str>>)>,
    /// (v3) Whether each attribute's column is in `usagers` (SPEC §4).
    present: [bool; Attribute::COUNT],
    /// (v3) The kind of each scope in the referential (SPEC §4.7).
    scope_kinds: Vec<Option<TeamKind>>,
}

/// The acts frame, and the years it was cut down to (none while it holds
/// every act).
#[derive(Debug)]
struct HeldActs {
    frame: DataFrame,
    years: Option<(i32, i32)>,
}

/// The persons as a frame, one row per person, `id` their number, and the
/// values of each coded column. Each column's source is moved in and freed
/// as soon as Polars holds its copy.
type PersonsFrame = (DataFrame, Vec<(&'static str, Vec<Box<str>>)>);

fn persons_frame(p: Persons) -> PolarsResult<PersonsFrame> {
    let Persons { birth, coded, .. } = p;
    let mut values_of = Vec::new();
    let mut columns = vec![
        Column::new("id".into(), (0..birth.len() as u32).collect::<Vec<u32>>()),
        i32s("birth", birth.into_iter()),
    ];
    for (attribute, column) in Attribute::ALL.into_iter().zip(coded) {
        let name = attribute.column();
        let (values, cells) = column.into_parts();
        // A flag per value, as a column over the persons (null when not
        // filled in): worked out once per distinct value.
        let flag = |name: &str, of_value: &dyn Fn(&str) -> bool| {
            let of: Vec<bool> = values.iter().map(|v| of_value(v)).collect();
            flags(
                name,
                cells
                    .iter()
                    .map(|&c| c.checked_sub(1).map(|k| of[k as usize])),
            )
        };
        // Each indicator counting this attribute's values: whether the
        // person's value is counted; (v3) each indicator summing its
        // number of codes: that number.
        for indicator in Indicator::ALL {
            match indicator.spec().counted {
                Counted::Value(counted, positive) if counted == attribute => {
                    columns.push(flag(indicator.id(), &|v| positive.counts(v)));
                }
                Counted::CodeCount(counted) if counted == attribute => {
                    let numbers: Vec<u32> =
                        values.iter().map(|v| number_of_codes(v) as u32).collect();
                    columns.push(u32s(
                        indicator.id(),
                        cells
                            .iter()
                            .map(|&c| c.checked_sub(1).map(|k| numbers[k as usize])),
                    ));
                }
                _ => {}
            }
        }
        // (v3) The legal categories of the déficiences (SPEC §4.5): a flag
        // per category, named by its code.
        if attribute == Attribute::Deficiences {
            for category in LegalCategory::ALL {
                columns.push(flag(category.code(), &|v| category.holds(v)));
            }
        }
        // 0 is *not filled in*, `k` the value numbered `k - 1`.
        columns.push(u32s(name, cells.into_iter().map(|c| c.checked_sub(1))));
        values_of.push((name, values));
    }
    Ok((DataFrame::new_infer_height(columns)?, values_of))
}

/// Columns with nulls, each collected into one array at once: Polars'
/// `from_iter_options` appends value by value through its builder, which
/// took a tenth of the work after the rows were read (decision 163).
pub(super) fn u32s(name: &str, values: impl Iterator<Item = Option<u32>>) -> Column {
    let numbers: UInt32Chunked = values.collect_ca(name.into());
    numbers.into_column()
}

pub(super) fn i32s(name: &str, values: impl Iterator<Item = Option<i32>>) -> Column {
    let numbers: Int32Chunked = values.collect_ca(name.into());
    numbers.into_column()
}

fn u64s(name: &str, values: impl Iterator<Item = Option<u64>>) -> Column {
    let numbers: UInt64Chunked = values.collect_ca(name.into());
    numbers.into_column()
}

fn flags(name: &str, values: impl Iterator<Item = Option<bool>>) -> Column {
    let flags: BooleanChunked = values.collect_ca(name.into());
    flags.into_column()
}

/// The acts of one file as a frame, taking over its clean table column by
/// column: the numbers without nulls are moved, not copied, and each other
/// column is freed as soon as Polars holds its copy.
fn acts_frame(acts: Acts, demande: bool, offset: usize) -> PolarsResult<DataFrame> {
    let Acts {
        person,
        date,
        team,
        category,
        duree,
        ..
    } = acts;
    let height = date.len();
    let team = u32s("team", team.into_iter());
    let category = u32s(
        "category",
        category
            .into_iter()
            .map(|k| k.and_then(|k| u32::try_from(usize::from(k) + offset).ok())),
    );
    let duree = i32s("duree", duree.into_iter().map(|m| m.map(i32::from)));
    DataFrame::new(
        height,
        vec![
            UInt32Chunked::from_vec("id".into(), person).into_column(),
            team,
            Int32Chunked::from_vec("date".into(), date).into_column(),
            BooleanChunked::full("demande".into(), demande, height).into_column(),
            category,
            duree,
        ],
    )
}

/// The collective actions as a frame.
fn actions_frame(actions: Actions) -> PolarsResult<DataFrame> {
    let Actions {
        date,
        team,
        type_action,
        publics,
        participants,
        heures,
    } = actions;
    let height = date.len();
    let hours = |part: fn(&Hours) -> u64| -> Column {
        u64s("", heures.iter().map(|h| h.as_ref().map(part)))
    };
    DataFrame::new(
        height,
        vec![
            Int32Chunked::from_vec("date".into(), date).into_column(),
            u32s("team", team.into_iter()),
            u32s("type", type_action.into_iter().map(|t| t.map(u32::from))),
            UInt32Chunked::from_vec(
                "publics".into(),
                publics.into_iter().map(u32::from).collect(),
            )
            .into_column(),
            u64s(
                "participants",
                participants.into_iter().map(|p| p.map(u64::from)),
            ),
            hours(|h| u64::from(h.whole)).with_name("h_whole".into()),
            hours(|h| h.fraction / 1_000_000_000).with_name("h_hi".into()),
            hours(|h| h.fraction % 1_000_000_000).with_name("h_lo".into()),
        ],
    )
}

impl Frames {
    /// Builds the frames, taking the persons, demandes, interventions and
    /// actions out
    /// of the clean export (they are left empty): the tables are the bulk of
    /// a run's memory and are held once, by Polars. Whatever else a command
    /// needs of them (year findings, latest year…) must be read before.
    pub fn new(export: &mut CleanExport) -> PolarsResult<Self> {
        let persons = std::mem::take(&mut export.persons);
        let demandes = std::mem::take(&mut export.demandes);
        let interventions = std::mem::take(&mut export.interventions);
        let actions = export.actions.take();
        let categories: Vec<&'static str> = demandes
            .values
            .iter()
            .chain(interventions.values)
            .map(|v| v.code)
            .collect();
        let offset = demandes.values.len();
        let present = persons.present;
        // The persons and the actions are built on a thread of their own
        // while the acts are built here: the other core would wait.
        let (persons, actions, acts) = std::thread::scope(|scope| {
            let persons = scope.spawn(move || persons_frame(persons));
            let actions = scope.spawn(move || actions.map(actions_frame).transpose());
            let acts = acts_frame(demandes, true, 0).and_then(|mut acts| {
                acts.vstack_mut(&acts_frame(interventions, false, offset)?)?;
                Ok(acts)
            });
            let stopped =
                || polars_err!(ComputeError: "a thread building the frames stopped unexpectedly");
            (
                persons.join().unwrap_or_else(|_| Err(stopped())),
                actions.join().unwrap_or_else(|_| Err(stopped())),
                acts,
            )
        });
        super::release_freed_memory();
        super::release_shared_zeroes();
        let (persons, coded) = persons?;
        Ok(Self {
            persons,
            acts: RwLock::new(HeldActs {
                frame: acts?,
                years: None,
            }),
            fill_rates: Mutex::default(),
            actions: actions?,
            scopes: export.scopes.iter().map(str::to_string).collect(),
            categories,
            coded,
            present,
            scope_kinds: export.scope_kinds.clone(),
        })
    }

    fn held_acts(&self) -> RwLockReadGuard<'_, HeldActs> {
        self.acts.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every act. An error once [`Frames::keep_acts_of`] has let some go:
    /// a figure computed then would count too few.
    pub fn every_act(&self) -> PolarsResult<DataFrame> {
        let held = self.held_acts();
        if let Some((first, last)) = held.years {
            polars_bail!(ComputeError: "internal error: every act was asked for once only those of {first} to {last} were kept");
        }
        Ok(held.frame.clone())
    }

    /// The acts, at least every one dated in the years `first..=last` (the
    /// query filters its years itself). An error if
    /// [`Frames::keep_acts_of`] let some of them go.
    pub fn acts_of(&self, first: i32, last: i32) -> PolarsResult<DataFrame> {
        let held = self.held_acts();
        if let Some((from, to)) = held.years {
            if first < from || last > to {
                polars_bail!(ComputeError: "internal error: the acts of {first} to {last} were asked for once only those of {from} to {to} were kept");
            }
        }
        Ok(held.frame.clone())
    }

    /// Keeps only the acts dated in the years `first..=last`: the acts are
    /// the largest frame, and once the series' acts are grouped the report
    /// needs those of its year alone (peak memory, decision 199). The fill
    /// rates of `scopes`, which count every act, are worked out first.
    pub fn keep_acts_of(&self, first: i32, last: i32, scopes: &[Scope]) -> PolarsResult<()> {
        for scope in scopes {
            self.fill_rates(scope)?;
        }
        let mut held = self.acts.write().unwrap_or_else(PoisonError::into_inner);
        let kept = held
            .frame
            .clone()
            .lazy()
            .filter(super::exprs::in_years(first, last))
            .collect()?;
        *held = HeldActs {
            frame: kept,
            years: Some((first, last)),
        };
        drop(held);
        super::release_freed_memory();
        Ok(())
    }

    /// The rows of `rows` (acts or actions, with a `team` column) that
    /// belong to `scope`: every row nationally, a team's own rows (none
    /// for a team no row names).
    pub fn of_scope(&self, rows: LazyFrame, scope: &Scope) -> LazyFrame {
        match scope.team().map(|team| self.scope_number(team)) {
            Some(Some(team)) => rows.filter(col("team").eq(lit(team).cast(DataType::UInt32))),
            Some(None) => rows.filter(lit(false)),
            None => rows,
        }
    }

    /// The fill rate of every column for a scope (SPEC §6), worked out once.
    pub fn fill_rates(&self, scope: &Scope) -> PolarsResult<Vec<FillRate>> {
        let mut done = self
            .fill_rates
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, rates)) = done.iter().find(|(of, _)| of == scope) {
            return Ok(rates.clone());
        }
        let rates = super::fill_rates::fill_rates(self, scope)?;
        done.push((scope.clone(), rates.clone()));
        Ok(rates)
    }

    /// (v3) Whether `usagers` has the attribute's column (in any of its
    /// files): an indicator that requires it is not computed without it.
    pub fn has_column(&self, attribute: Attribute) -> bool {
        self.present[attribute.index()]
    }

    /// (v3) The kind of scope number `team` in the referential.
    pub fn scope_kind(&self, team: u32) -> Option<TeamKind> {
        self.scope_kinds.get(team as usize).copied().flatten()
    }

    /// The columns of the persons frame that say, for an indicator counting
    /// an attribute's values, whether each person's value is counted (for
    /// a mean, the person's number of codes): named by the indicator's id.
    pub fn indicator_flags(&self) -> impl Iterator<Item = &'static str> {
        Indicator::ALL
            .into_iter()
            .filter(|i| matches!(i.spec().counted, Counted::Value(..) | Counted::CodeCount(_)))
            .map(Indicator::id)
    }

    /// The codes of each value of a multi-valued attribute's column, a row
    /// per (value, code): `value` (its number in the coded column) and
    /// `code`. A few hundred rows where a row per (person, code) was
    /// hundreds of thousands (decision 185).
    pub fn value_codes(&self, attribute: Attribute) -> PolarsResult<DataFrame> {
        let mut numbers: Vec<u32> = Vec::new();
        let mut codes: Vec<&str> = Vec::new();
        for (number, value) in (0u32..).zip(self.coded(attribute.column())) {
            for code in value.split('|') {
                numbers.push(number);
                codes.push(code);
            }
        }
        DataFrame::new_infer_height(vec![
            Column::new("value".into(), numbers),
            Column::new("code".into(), codes),
        ])
    }

    /// The persons of each code of a multi-valued attribute among `rows`
    /// (persons, or pairs, with the attribute's column), by `keys`: a row
    /// per (keys…, code) with `n`. Polars counts the rows of each
    /// combination of codes (a value of the coded column), then joins the
    /// codes of each combination ([`Frames::value_codes`]); a code's persons
    /// are the sum of its rows' `n` (decision 185).
    pub fn by_code(
        &self,
        rows: LazyFrame,
        attribute: Attribute,
        keys: &[&str],
    ) -> PolarsResult<LazyFrame> {
        let column = attribute.column();
        let mut group: Vec<Expr> = keys.iter().map(|key| col(*key)).collect();
        group.push(col(column));
        Ok(rows
            .group_by(group)
            .agg([len().cast(DataType::UInt64).alias("n")])
            .join(
                self.value_codes(attribute)?.lazy(),
                [col(column)],
                [col("value")],
                JoinArgs::new(JoinType::Inner),
            ))
    }

    /// The values of a coded column of the persons, by number (none for
    /// another column).
    pub fn coded(&self, column: &str) -> &[Box<str>] {
        self.coded
            .iter()
            .find(|(name, _)| *name == column)
            .map_or(&[], |(_, values)| values.as_slice())
    }

    /// The name of scope number `team`: `national` for the national
    /// scope's number in the queries' `scope` columns, `"?"` for a number
    /// it never gave.
    pub fn scope_name(&self, team: u32) -> &str {
        if team == NATIONAL_SCOPE {
            return NATIONAL;
        }
        self.scopes.get(team as usize).map_or("?", String::as_str)
    }

    /// The number of a scope in the facts: a team's, or the national
    /// scope's ([`NATIONAL_SCOPE`]).
    pub fn scope_number_of(&self, scope: &Scope) -> Option<u32> {
        match scope {
            Scope::National => Some(NATIONAL_SCOPE),
            Scope::Team(code) => self.scope_number(code),
        }
    }

    /// The scope numbered `number` in the facts (a team, or the national
    /// scope's [`NATIONAL_SCOPE`]).
    pub fn scope(&self, number: u32) -> Scope {
        Scope::from_code(self.scope_name(number))
    }

    /// How many scopes the acts and the actions name (their numbers are
    /// `0..count`).
    pub fn scope_count(&self) -> usize {
        self.scopes.len()
    }

    /// The number of a scope, if any act names it.
    pub fn scope_number(&self, name: &str) -> Option<u32> {
        let position = self.scopes.iter().position(|s| s == name)?;
        u32::try_from(position).ok()
    }

    /// The category code numbered `k` in the acts' `category` column.
    pub fn category_code(&self, k: u32) -> &'static str {
        self.categories.get(k as usize).copied().unwrap_or("?")
    }

    /// The numbers an intervention type may have in the `category` column
    /// (the same code may also be a value of `origine`).
    pub fn category_numbers(&self, code: &str) -> Vec<u32> {
        (0..)
            .zip(&self.categories)
            .filter(|(_, c)| **c == code)
            .map(|(k, _)| k)
            .collect()
    }

    /// The values of a column of an aggregated table as text: scope names
    /// for `team`, codes for `category` and the persons' coded columns, the
    /// values themselves otherwise.
    pub fn labels(&self, column: &Column) -> PolarsResult<Vec<Option<String>>> {
        Ok(match column.name().as_str() {
            name if self.coded.iter().any(|(coded, _)| *coded == name) => {
                let values = self.coded(name);
                column
                    .u32()?
                    .iter()
                    .map(|k| {
                        k.and_then(|k| values.get(k as usize))
                            .map(|v| v.to_string())
                    })
                    .collect()
            }
            "team" => column
                .u32()?
                .iter()
                .map(|t| t.map(|t| self.scope_name(t).to_string()))
                .collect(),
            "category" => column
                .u32()?
                .iter()
                .map(|k| k.map(|k| self.category_code(k).to_string()))
                .collect(),
            super::exprs::AGE_BRACKET => column
                .u32()?
                .iter()
                .map(|k| {
                    let (label, ..) = AGE_BRACKETS.get(k? as usize)?;
                    Some(label.to_string())
                })
                .collect(),
            _ => column
                .cast(&DataType::String)?
                .str()?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect(),
        })
    }
}
