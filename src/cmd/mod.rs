//! One file per subcommand: resolve the options into a job
//! (`crate::job`), call the stages, print notes. Only this folder and
//! `main.rs` see clap types.

mod completions;
mod indicators;
mod report;
mod sample;
mod validate;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command, InputArgs};
use crate::ingest::Hash;
use crate::job::ExportSource;

/// Exit codes of SPEC §7 (clap exits with 2 itself on a usage error).
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const FINDINGS: u8 = 3;
}

/// Runs one command; `Err` is a failed run (exit 1).
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Report(args) => report::run(args),
        Command::Indicators(args) => indicators::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    }
}

impl From<InputArgs> for ExportSource {
    fn from(args: InputArgs) -> Self {
        ExportSource {
            tables: args.named_tables_owned(),
            input: args.input,
            teams: args.teams,
            columns: args.columns,
            orpha_labels: args.orpha_labels,
            hash: Hash::Sha256,
        }
    }
}
