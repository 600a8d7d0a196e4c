//! The terminal, written without ever panicking: `println!` and
//! `eprintln!` panic when their stream fails (`bilan … | head`, a full
//! disk behind `>`), which would turn a finished run into a crash.

use std::io::{ErrorKind, Write};

use anyhow::{Context, Result};

/// Writes a command's result to the standard output. A reader that stops
/// early (`| head`) is not an error: the rest is not wanted. Any other
/// failure (a full disk behind `>`) is.
pub fn stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() != ErrorKind::BrokenPipe => {
            Err(err).context("cannot write the result to the standard output")
        }
        _ => Ok(()),
    }
}

/// Writes one line to the standard error; a failure there has nowhere
/// to be reported, so it is ignored.
pub fn note(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// `eprintln!` that never panics: [`note`].
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::console::note(format_args!($($arg)*))
    };
}
