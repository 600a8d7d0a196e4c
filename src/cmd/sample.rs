//! `bilan sample`: a synthetic export written to a new folder.

use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};

use crate::cli::{SampleArgs, SampleFormat, SampleOrder};
use crate::sample::{generate, parse_years, write_export, write_workbooks, SampleOptions};

/// More persons than this would not fit a spreadsheet nor a test machine.
const MAX_PERSONS: u64 = 5_000_000;

pub fn run(args: SampleArgs) -> Result<ExitCode> {
    let (first_year, last_year) = parse_years(&args.years).map_err(|e| anyhow!(e))?;
    if args.persons == 0 || args.persons > MAX_PERSONS {
        bail!(
            "--persons {}: give a number of persons from 1 to {MAX_PERSONS}",
            args.persons
        );
    }
    // A dirty export's bad rows are placed after the rows they repeat:
    // grouping by person would move them.
    if args.order == SampleOrder::Person && !args.clean {
        bail!("--order person writes clean exports only: add --clean");
    }
    let options = SampleOptions {
        seed: args.seed,
        persons: args.persons,
        first_year,
        last_year,
        clean: args.clean,
        canonical: args.canonical,
        by_person: args.order == SampleOrder::Person,
    };
    let export = generate(&options);
    match args.format {
        SampleFormat::Csv => write_export(&export, &args.out)?,
        SampleFormat::Xlsx => write_workbooks(&export, &args.out)?,
    }
    crate::note!(
        "wrote a synthetic export of a network of {} persons, {first_year}-{last_year}, to {}",
        args.persons,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
