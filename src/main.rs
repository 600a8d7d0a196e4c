//! The `bilan` binary: parse, run, print the error chain, pick the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = bilan::cli::Cli::parse();
    match bilan::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(bilan::cmd::exit::FAILURE)
        }
    }
}
