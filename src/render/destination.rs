//! Where a report may be written: never into the input, never over a
//! folder that is not a previous report.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::files::MANIFEST;

/// Checks that `out` may receive a report: not the input folder nor inside
/// it, not a file, and either absent, empty, or a previous report.
pub fn check_destination(out: &Path, input: &Path) -> Result<()> {
    let input = input
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", input.display()))?;
    let resolved = resolve(out);
    if resolved.starts_with(&input) {
        bail!(
            "--out {} is the input folder or inside it: the tool never writes into the export; choose a folder elsewhere",
            out.display()
        );
    }
    if out.is_file() {
        bail!("--out {} is a file: give a folder name", out.display());
    }
    if out.is_dir() {
        let mut entries =
            std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() && !out.join(MANIFEST).is_file() {
            bail!(
                "--out {} already holds files that are not a bilan report: choose a new folder (the tool only replaces its own reports)",
                out.display()
            );
        }
    }
    Ok(())
}

/// `path` made absolute, resolving what exists of it.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.iter().rev() {
        resolved.push(part);
    }
    resolved
}
