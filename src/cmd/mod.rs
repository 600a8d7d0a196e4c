//! One file per subcommand: resolve the options, call the stages, write.
//! Shared here: loading an export and choosing the year.

mod indicators;
mod report;
mod sample;
mod validate;

use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cli::{Cli, Command, InputArgs};
use crate::ingest::{read_export_from, ColumnOverrides};
use crate::reference::Teams;
use crate::validate::{check, latest_year, CleanExport};

/// Exit codes of SPEC §7.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const FINDINGS: u8 = 3;
}

/// Runs one command; `Err` is a failed run (exit 1).
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Report(args) => report::run(args),
        Command::Indicators(args) => indicators::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Sample(args) => sample::run(args),
    }
}

/// An export read and checked, with the referential it was checked against.
pub struct Loaded {
    pub clean: CleanExport,
    pub teams: Teams,
}

pub fn load(input: &InputArgs) -> Result<Loaded> {
    let teams = match &input.teams {
        Some(path) => Teams::from_file(path)?,
        None => Teams::builtin(),
    };
    let overrides = match &input.columns {
        Some(path) => ColumnOverrides::from_file(path)?,
        None => ColumnOverrides::default(),
    };
    let export = read_export_from(&input.input, &input.named_tables(), &overrides)?;
    let clean = check(&export, &teams)?;
    Ok(Loaded { clean, teams })
}

/// The year asked for, or the latest year with activity.
pub fn resolve_year(clean: &CleanExport, asked: Option<i32>) -> Result<i32> {
    if let Some(year) = asked {
        if !(1..=9999).contains(&year) {
            bail!("--year {year} is not a calendar year (1 to 9999)");
        }
        return Ok(year);
    }
    latest_year(clean).context(
        "the export has no demande or intervention with a valid date, so there is no year to report on; run `bilan validate` to see why rows were excluded",
    )
}
