//! The `bilan` binary: parse, run, print the error chain, pick the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    return_freed_memory();
    bilan::console::lap("start");
    // On Windows, a double click or a folder dropped onto bilan.exe.
    if let Some(code) = bilan::desktop::run() {
        return code;
    }
    let cli = bilan::cli::Cli::parse();
    match bilan::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            bilan::note!("error: {err:#}");
            if let Some(hint) = hint(&err) {
                bilan::note!("{hint}");
            }
            ExitCode::from(bilan::cmd::exit::FAILURE)
        }
    }
}

/// Makes glibc hand large freed blocks back to the system at once. By
/// default it raises its mmap threshold as blocks are freed and then keeps
/// later ones in its heaps: Polars' short-lived buffers, freed on several
/// threads, then stayed in the peak memory (about 17 MB more for a 81 MB
/// export, BENCHMARKS.md).
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets an allocator tuning parameter; it is called
    // first thing in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
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
