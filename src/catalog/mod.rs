//! Every published figure declared once — a leaf beside `reference/`, with
//! no Polars and no I/O. The catalog says *what* is counted; the stages
//! say *how*: stage 2 reads each [`Attribute`] of a person as its
//! [`Reading`] says, the engine turns each [`Indicator`] and [`TableId`]
//! into Polars queries over the facts, secrecy protects each table as its
//! [`Protection`] says, and the report and the files list them in the
//! catalog's order. Indicators, attributes and tables are enums, never
//! strings: a missing link is a compile error.
//!
//! - `definitions.rs`: the SPEC's shared rules (ages, the year's dates);
//! - `attributes.rs`: the persons' columns;
//! - `indicators.rs`: the indicators of SPEC §4;
//! - `profile.rs`: (v3) the associated disorders, the number of codes of a
//!   cell, the legal categories of *handicap rare*;
//! - `tables.rs`: the report's tables.
//!
//! To add a person attribute: its column in `reference/data/columns.csv`
//! (and its values in `categories.csv`), one [`Attribute`] and its spec.
//! To add a rate: one [`Indicator`] and its spec. To show it as a table
//! with its linked masks: one [`TableId`] and its spec. The README's
//! "Where a change goes" lists the rest.

mod attributes;
mod definitions;
mod indicators;
mod profile;
mod tables;

pub use attributes::{Attribute, AttributeSpec, Reading};
pub use definitions::{
    age_on_31_december, birth_bounds, brackets_under_age, in_years, year_of, year_span,
    AGE_BRACKETS, CHILD_AGES, UNDER_AGE,
};
pub use indicators::{
    Counted, Indicator, IndicatorSpec, Kind, Population, Positive, AT_HOME, DIAGNOSED, SCHOOLED,
    VISITS, WITHOUT_SOLUTION,
};
pub use profile::{
    associated_disorders, code_count_bracket, number_of_codes, LegalCategory, CODE_COUNT_BRACKETS,
    FREQUENT_DIAGNOSES, NONE, TND_DISORDER,
};
pub use tables::{Counting, Dimension, Keep, Placement, Protection, TableId, TableSpec};
