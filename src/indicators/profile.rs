//! (v3) Facts → the legal categories of *handicap rare* (SPEC §4.5) and
//! the diagnoses (§4.6) of every scope active in each year, as the JSON's
//! `categories`, `diagnostics` and `diagnostics_frequents` (§5): the pairs
//! active in each year with their persons' flags (one per category, worked
//! out once per combination of déficiences, `frames.rs`) gathered beside
//! them, grouped by year and scope; the ORPHA codes counted through the
//! combinations of codes the pairs hold (`Frames::value_codes`).

use polars::prelude::*;
use serde::Serialize;

use super::exprs::count;
use super::{Facts, Frames, Mask, NATIONAL_SCOPE};
use crate::catalog::{Attribute, Indicator, LegalCategory, FREQUENT_DIAGNOSES};
use crate::reference::{OrphaLabels, Scope};

/// One object of `categories` (SPEC §5 v3): the active persons in a legal
/// category, those whose `deficiences` is filled in, the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    pub scope: Scope,
    pub year: i32,
    pub categorie: LegalCategory,
    pub personnes: Option<u64>,
    pub denominateur: Option<u64>,
    pub non_renseignes: Option<u64>,
    /// Set by statistical secrecy; figures are then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// How the masked `personnes` reads.
    #[serde(skip)]
    pub mask: Option<Mask>,
}

impl CategoryRow {
    /// The six rows of a scope without activity in the year: zeros.
    pub fn empty(scope: Scope, year: i32) -> Vec<CategoryRow> {
        LegalCategory::ALL
            .into_iter()
            .map(|categorie| CategoryRow {
                scope: scope.clone(),
                year,
                categorie,
                personnes: Some(0),
                denominateur: Some(0),
                non_renseignes: Some(0),
                suppressed: false,
                mask: None,
            })
            .collect()
    }
}

/// One object of `diagnostics` (SPEC §5 v3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticRow {
    pub scope: Scope,
    pub year: i32,
    /// Active persons with ≥ 1 valid ORPHA code, whatever their
    /// `maladie_rare`.
    pub personnes_avec_code: Option<u64>,
    /// The distinct codes they hold.
    pub maladies_distinctes: Option<u64>,
    /// Active persons whose `maladie_rare` is `diagnostiquee` without a
    /// valid code (a data-quality figure).
    pub diagnostiquees_sans_code: Option<u64>,
    /// Set by statistical secrecy; masked figures are then `None`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// How the masked counts read.
    #[serde(skip)]
    pub masks: DiagnosticMasks,
}

impl DiagnosticRow {
    /// The row of a scope without activity in the year: zeros.
    pub fn empty(scope: Scope, year: i32) -> Self {
        Self {
            scope,
            year,
            personnes_avec_code: Some(0),
            maladies_distinctes: Some(0),
            diagnostiquees_sans_code: Some(0),
            suppressed: false,
            masks: DiagnosticMasks::default(),
        }
    }
}

/// How the masked counts of a diagnostics row read (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiagnosticMasks {
    pub avec_code: Option<Mask>,
    pub sans_code: Option<Mask>,
}

/// One object of `diagnostics_frequents` (SPEC §5 v3): national only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrequentDiagnosis {
    pub year: i32,
    pub code: u32,
    /// From `--orpha-labels`; null without it, or when the nomenclature
    /// lacks the code.
    pub label: Option<String>,
    pub personnes: u64,
}

/// The categories, diagnostics and frequent diagnoses of the years of
/// `facts`, each year's in the order of its `scopes` (national first, then
/// the teams by code: the order of the rows).
#[derive(Default)]
pub(super) struct ProfileFigures {
    pub categories: Vec<Vec<CategoryRow>>,
    pub diagnostics: Vec<Vec<DiagnosticRow>>,
    pub frequent: Vec<Vec<FrequentDiagnosis>>,
}

/// The values of some columns of a grouped table, by (year, scope number).
type Grouped = Vec<((i32, u32), Vec<u64>)>;

/// (year, scope number) → the values of `names`, from a grouped table.
fn grouped(table: &DataFrame, names: &[String]) -> PolarsResult<Grouped> {
    let years = table.column("year")?.i32()?;
    let scopes = table.column("scope")?.u32()?;
    let columns = names
        .iter()
        .map(|name| table.column(name)?.cast(&DataType::UInt64))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut out = Vec::new();
    for row in 0..table.height() {
        let (Some(year), Some(scope)) = (years.get(row), scopes.get(row)) else {
            continue;
        };
        let values = columns
            .iter()
            .map(|c| Ok(c.u64()?.get(row).unwrap_or(0)))
            .collect::<PolarsResult<Vec<u64>>>()?;
        out.push(((year, scope), values));
    }
    Ok(out)
}

/// Computes the figures of the years of `facts` for the scopes of each
/// year (`scopes[k]`, the year `facts.years[k]`).
pub(super) fn profile_figures(
    frames: &Frames,
    facts: &Facts,
    scopes: &[Vec<Scope>],
) -> PolarsResult<ProfileFigures> {
    let codes = Attribute::CodeOrpha.column();
    let diagnosed = Indicator::MaladieRareDiagnostiquee.id();
    let mut columns = vec![codes, diagnosed];
    columns.extend(LegalCategory::ALL.map(LegalCategory::code));
    let persons = super::rows::gathered(frames, &facts.active, columns.into_iter())?;
    let mut sums = Vec::new();
    for category in LegalCategory::ALL {
        let flag = col(category.code());
        sums.push(
            count(flag.clone().fill_null(lit(false))).alias(format!("{}:n", category.code())),
        );
    }
    // Every category is null together: the déficiences not filled in.
    let filled = col(LegalCategory::Surdicecite.code()).is_not_null();
    sums.push(count(filled.clone()).alias("denominateur"));
    sums.push(count(filled.not()).alias("non_renseignes"));
    sums.push(count(col(codes).is_not_null()).alias("avec_code"));
    sums.push(
        count(
            col(diagnosed)
                .fill_null(lit(false))
                .and(col(codes).is_null()),
        )
        .alias("sans_code"),
    );
    let table = facts
        .active
        .hstack(persons.columns())?
        .lazy()
        .group_by([col("year"), col("scope")])
        .agg(sums)
        .collect()?;
    let mut names: Vec<String> = LegalCategory::ALL
        .iter()
        .map(|c| format!("{}:n", c.code()))
        .collect();
    names.extend(["denominateur", "non_renseignes", "avec_code", "sans_code"].map(str::to_string));
    let counts = grouped(&table, &names)?;
    // The active pairs holding each code, by (year, scope).
    let held = frames.by_code(
        facts
            .active
            .select(["year", "scope"])?
            .hstack(&[persons.column(codes)?.clone()])?
            .lazy(),
        Attribute::CodeOrpha,
        &["year", "scope"],
    )?;
    let distinct = held
        .clone()
        .group_by([col("year"), col("scope")])
        .agg([col("code").n_unique().alias("distinct")])
        .collect()?;
    let distinct = grouped(&distinct, &["distinct".to_string()])?;
    // The national codes by persons (a person holds a code once).
    let frequent = held
        .filter(col("scope").eq(lit(NATIONAL_SCOPE)))
        .group_by([col("year"), col("code")])
        .agg([col("n").sum().cast(DataType::UInt64).alias("persons")])
        .collect()?;
    let mut figures = ProfileFigures {
        categories: Vec::new(),
        diagnostics: Vec::new(),
        frequent: Vec::new(),
    };
    for (k, &year) in facts.years.iter().enumerate() {
        let mut categories = Vec::new();
        let mut diagnostics = Vec::new();
        for scope in scopes.get(k).into_iter().flatten() {
            let number = frames.scope_number_of(scope);
            let of = |table: &[((i32, u32), Vec<u64>)]| -> Vec<u64> {
                table
                    .iter()
                    .find(|(key, _)| Some(*key) == number.map(|n| (year, n)))
                    .map_or_else(Vec::new, |(_, v)| v.clone())
            };
            let values = of(&counts);
            let value = |i: usize| values.get(i).copied().unwrap_or(0);
            let n = LegalCategory::ALL.len();
            for (i, categorie) in LegalCategory::ALL.into_iter().enumerate() {
                categories.push(CategoryRow {
                    scope: scope.clone(),
                    year,
                    categorie,
                    personnes: Some(value(i)),
                    denominateur: Some(value(n)),
                    non_renseignes: Some(value(n + 1)),
                    suppressed: false,
                    mask: None,
                });
            }
            diagnostics.push(DiagnosticRow {
                scope: scope.clone(),
                year,
                personnes_avec_code: Some(value(n + 2)),
                maladies_distinctes: Some(of(&distinct).first().copied().unwrap_or(0)),
                diagnostiquees_sans_code: Some(value(n + 3)),
                suppressed: false,
                masks: DiagnosticMasks::default(),
            });
        }
        figures.categories.push(categories);
        figures.diagnostics.push(diagnostics);
        figures.frequent.push(frequent_of(&frequent, year)?);
    }
    Ok(figures)
}

/// "The codes held by the most active persons (descending, then code
/// ascending), at most 20, each with its persons" (SPEC §4.6), codes
/// compared as numbers; no label yet ([`label_diagnoses`]).
fn frequent_of(table: &DataFrame, year: i32) -> PolarsResult<Vec<FrequentDiagnosis>> {
    let years = table.column("year")?.i32()?;
    let codes = table.column("code")?.str()?;
    let persons = table.column("persons")?.u64()?;
    let mut list: Vec<FrequentDiagnosis> = (0..table.height())
        .filter(|&row| years.get(row) == Some(year))
        .filter_map(|row| {
            Some(FrequentDiagnosis {
                year,
                code: codes.get(row)?.parse().ok()?,
                label: None,
                personnes: persons.get(row)?,
            })
        })
        .collect();
    list.sort_by_key(|d| (std::cmp::Reverse(d.personnes), d.code));
    list.truncate(FREQUENT_DIAGNOSES);
    Ok(list)
}

/// Names the frequent diagnoses with the user's nomenclature.
pub fn label_diagnoses(list: &mut [FrequentDiagnosis], labels: &OrphaLabels) {
    for diagnosis in list {
        diagnosis.label = labels.get(diagnosis.code).map(str::to_string);
    }
}
