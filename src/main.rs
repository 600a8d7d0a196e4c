//! The `bilan` binary: parse, run, print the error chain, pick the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = bilan::cli::Cli::parse();
    match bilan::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            if let Some(hint) = hint(&err) {
                eprintln!("{hint}");
            }
            ExitCode::from(bilan::cmd::exit::FAILURE)
        }
    }
}

/// What to do about an error of the system rather than of the export.
fn hint(err: &anyhow::Error) -> Option<&'static str> {
    use std::io::ErrorKind;
    let kind = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<std::io::Error>())?
        .kind();
    match kind {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => Some(
            "hint: the disk is full: free some disk space or choose another --out; nothing was left half-written",
        ),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem | ErrorKind::NotFound => {
            Some("hint: this place cannot be written (or read): check its permissions, or choose another --out (for `report`) or --input")
        }
        _ => None,
    }
}
