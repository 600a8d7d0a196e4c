//! The Polars expressions the indicator and breakdown queries share, each
//! a small named function (the Polars guide's style), and the codes that
//! define the rates (SPEC §4), written once for the queries and for
//! secrecy's tables.

use polars::prelude::*;

/// `maladie_rare` codes counted by `maladie_rare_diagnostiquee`.
pub const DIAGNOSED: [&str; 1] = ["diagnostiquee"];
/// `lieu_de_vie` codes that are home (`vit_a_domicile`).
pub const AT_HOME: [&str; 2] = ["domicile_familial", "domicile_personnel"];
/// `scolarisation` codes that are schooled (`enfants_3_16_scolarises`).
pub const SCHOOLED: [&str; 3] = ["temps_plein", "temps_partiel", "oui"];
/// `situation` codes counted by `personnes_sans_solution`.
pub const WITHOUT_SOLUTION: [&str; 1] = ["sans_solution"];

/// One integer for a (scope, person) pair. Grouping and joining on it
/// rather than on the two columns spares Polars the row encoding of
/// multi-column keys, which held more memory than the acts themselves.
pub(super) fn pair_key() -> Expr {
    (col("scope").cast(DataType::UInt64) * lit(1u64 << 32) + col("id").cast(DataType::UInt64))
        .alias("key")
}

/// Acts dated in `year` (dates are `AAAAMMJJ`).
pub(super) fn in_year(year: i32) -> Expr {
    in_years(col("date"), year, year)
}

/// Whether an `AAAAMMJJ` date falls from 1 January `first` to 31 December
/// `last`.
pub(super) fn in_years(date: Expr, first: i32, last: i32) -> Expr {
    date.clone()
        .gt_eq(lit(first * 10_000 + 101))
        .and(date.lt_eq(lit(last * 10_000 + 1231)))
}

/// Active persons aged 3 to 16 on 31 December Y (completed years, so
/// `Y − birth year`), with a birth date that gives a known age.
pub(super) fn child_3_16(year: i32) -> Expr {
    age_known(year)
        .and(age(year).gt_eq(lit(3)))
        .and(age(year).lt_eq(lit(16)))
}

/// Whether the birth date gives an age on 31 December Y: not after it, not
/// more than 120 years before it (SPEC §3).
pub(super) fn age_known(year: i32) -> Expr {
    let (earliest, latest) = crate::catalog::birth_bounds(year);
    col("birth")
        .gt_eq(lit(earliest))
        .and(col("birth").lt_eq(lit(latest)))
}

/// The age in completed years on 31 December Y: `Y − birth year` (only
/// meaningful where [`age_known`]).
pub(super) fn age(year: i32) -> Expr {
    lit(year) - col("birth") / lit(10_000)
}
