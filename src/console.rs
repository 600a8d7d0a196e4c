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

/// With `BILAN_TIMINGS` set in the environment, writes to the standard
/// error how long the run took to reach `stage` (milliseconds since the
/// first lap) and, on Linux, the memory held now and the peak so far:
/// where the time and the memory go, for BENCHMARKS.md, without a
/// profiler.
pub fn lap(stage: &str) {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    let start = START.get_or_init(|| std::env::var_os("BILAN_TIMINGS").map(|_| Instant::now()));
    if let Some(start) = start {
        let megabytes =
            |field| megabytes(field).map_or_else(|| "?".to_string(), |mb| mb.to_string());
        note(format_args!(
            "timing: {:>7.1} ms  {:>4} MB now {:>4} MB peak  {stage}",
            start.elapsed().as_secs_f64() * 1000.0,
            megabytes("VmRSS:"),
            megabytes("VmHWM:"),
        ));
    }
}

/// The process's resident memory now (`VmRSS:`) or at its peak so far
/// (`VmHWM:`), where the system tells it.
fn megabytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}
