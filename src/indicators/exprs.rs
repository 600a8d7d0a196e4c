//! The Polars expressions of the figures, each a small named function
//! built from the catalog's declarations (`crate::catalog`): the
//! population, numerator and denominator of an indicator, and the age
//! rules. They read the facts of `pairs.rs` joined with the persons' own
//! (`frames.rs`): `active`, `age`, `new`, `visited`, and for each indicator that
//! counts an attribute's values, a column named by the indicator's id,
//! true for a counted value, false for another, null when not filled in.

use polars::prelude::*;

use crate::catalog::{Counted, Indicator, Population, AGE_BRACKETS, CHILD_AGES};

/// "age: completed years on 31 December of Y", known when the birth date
/// gives one (SPEC §3–4): the facts' `age` is null otherwise.
pub(super) fn age_known() -> Expr {
    col("age").is_not_null()
}

/// Active persons aged 3 to 16 on 31 December (SPEC §4,
/// `enfants_3_16_scolarises`).
pub(super) fn child() -> Expr {
    col("age")
        .gt_eq(lit(*CHILD_AGES.start()))
        .and(col("age").lt_eq(lit(*CHILD_AGES.end())))
        .fill_null(lit(false))
}

/// The persons an indicator is about (SPEC §4: "active", or "active aged
/// 3 to 16").
pub(super) fn population(indicator: Indicator) -> Expr {
    match indicator.spec().population {
        Population::Active => col("active"),
        Population::Children => child(),
    }
}

/// The persons of the population whose field is filled in: the rate's
/// denominator; none for a count.
pub(super) fn denominator(indicator: Indicator) -> Option<Expr> {
    let within = population(indicator);
    match indicator.spec().counted {
        Counted::Everyone | Counted::New => None,
        // "|active|": nothing is not filled in.
        Counted::Visited => Some(within),
        Counted::Value(..) | Counted::CodeCount(_) => {
            Some(within.and(col(indicator.id()).is_not_null()))
        }
        Counted::AgeUnder(_) => Some(within.and(age_known())),
    }
}

/// The persons of the population the indicator counts (SPEC §4's
/// numerator column); for a mean, each person's number to sum.
pub(super) fn numerator(indicator: Indicator) -> Expr {
    let within = population(indicator);
    match indicator.spec().counted {
        Counted::Everyone => within,
        Counted::New => within.and(col("new")),
        Counted::Visited => within.and(col("visited")),
        Counted::Value(..) => within.and(col(indicator.id()).fill_null(lit(false))),
        Counted::AgeUnder(age) => within.and(col("age").lt(lit(age)).fill_null(lit(false))),
        // (v3) "the sum, over active persons whose `accompagnements` is
        // filled in, of their number of distinct types (`aucun` = 0)".
        Counted::CodeCount(_) => when(within.and(col(indicator.id()).is_not_null()))
            .then(col(indicator.id()))
            .otherwise(lit(0u32)),
    }
}

/// A boolean's count over a group, as `u64`: its trues, made its only
/// values that are not null, counted. Polars sums a boolean (or a cast of
/// it) by group by first making a column of numbers as long as the facts,
/// one per sum; counting the set bits of a mask makes none (decision 169).
pub(super) fn count(flag: Expr) -> Expr {
    trues(flag).count().cast(DataType::UInt64)
}

/// A boolean with its falses (and nulls) made null, for [`count`].
pub(super) fn trues(flag: Expr) -> Expr {
    when(flag)
        .then(lit(true))
        .otherwise(lit(NULL).cast(DataType::Boolean))
}

/// The age bracket of a person (SPEC §4's brackets) as its place in
/// [`AGE_BRACKETS`] (column [`AGE_BRACKET`]), null when the age is unknown:
/// a number, which Polars picks and groups faster than the bracket's label
/// (decision 173); [`Frames::labels`](super::Frames::labels) names it.
pub(super) fn age_bracket() -> Expr {
    AGE_BRACKETS
        .iter()
        .enumerate()
        .rev()
        .fold(
            lit(NULL).cast(DataType::UInt32),
            |otherwise, (k, (_, low, high))| {
                let inside = col("age")
                    .gt_eq(lit(*low))
                    .and(col("age").lt_eq(lit(*high)));
                when(inside).then(lit(k as u32)).otherwise(otherwise)
            },
        )
        .alias(AGE_BRACKET)
}

/// The column of [`age_bracket`].
pub(super) const AGE_BRACKET: &str = "age_bracket";

/// One integer for a (scope, person) pair. Grouping on it rather than on
/// the two columns spares Polars the row encoding of multi-column keys.
pub(super) fn pair_key() -> Expr {
    (col("scope").cast(DataType::UInt64) * lit(1u64 << 32) + col("id").cast(DataType::UInt64))
        .alias("key")
}

/// Acts dated in `year` (dates are `AAAAMMJJ`).
pub(super) fn in_year(year: i32) -> Expr {
    in_years(year, year)
}

/// Acts dated in the years `first..=last`.
pub(super) fn in_years(first: i32, last: i32) -> Expr {
    let (start, end) = crate::catalog::year_span(first, last);
    col("date")
        .gt_eq(lit(start))
        .and(col("date").lt_eq(lit(end)))
}
