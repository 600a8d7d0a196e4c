//! `bilan completions SHELL` and `bilan man [COMMAND]`: the help of the
//! command line (`cli.rs`) as a shell completion script or a roff manual
//! page, on stdout.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell as Generator;

use crate::cli::{Cli, CompletionsArgs, ManArgs, Shell};
use crate::console;

/// The name the scripts complete and the manual pages describe.
const BIN: &str = "bilan";

pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let generator = match args.shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::PowerShell => Generator::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), BIN, &mut script);
    console::stdout(&String::from_utf8(script).context("the completion script is not UTF-8")?)?;
    Ok(ExitCode::SUCCESS)
}

/// `bilan(1)`, whose COMMANDS section names `bilan-report(1)` and the
/// others, or the page of one command, as `clap_mangen::generate_to` would
/// write them.
pub fn man(args: ManArgs) -> Result<ExitCode> {
    // `bilan help` is clap's, and has no page of its own.
    let mut cli = Cli::command().name(BIN).disable_help_subcommand(true);
    // Gives each command its name on the page (`bilan-report`) and in its
    // synopsis (`bilan report`).
    cli.build();
    let command = match &args.command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)
            .cloned()
            .with_context(|| format!("no command {name}"))?,
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
        .render(&mut page)
        .context("cannot write the manual page")?;
    console::stdout(&String::from_utf8(page).context("the manual page is not UTF-8")?)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_knows_every_command() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, crate::cli::COMMANDS);
    }
}
