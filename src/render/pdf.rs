//! Printing the HTML report to PDF with headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const CANDIDATES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The browser to print with: `--chrome PATH`, else the first of the usual
/// names found on `PATH`.
pub fn find_chrome(asked: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = asked {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!("--chrome {}: no such program", path.display());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in CANDIDATES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "--pdf needs Chromium or Google Chrome, and none was found on PATH ({}); install it (Debian: apt-get install chromium) or give its path with --chrome PATH",
        CANDIDATES.join(", ")
    )
}

/// Prints `html` to `pdf` (both absolute paths), tagged and with bookmarks.
pub fn print(chrome: &Path, html: &Path, pdf: &Path) -> Result<()> {
    let profile = tempfile::tempdir().context("cannot create a browser profile folder")?;
    let output = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            // Bookmarks from the headings (h1, h2, h3 nested under them).
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .with_context(|| format!("cannot run {}", chrome.display()))?;
    if !output.status.success() || !pdf.is_file() {
        bail!(
            "{} could not print the report to PDF (exit {:?}): {}",
            chrome.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(())
}
