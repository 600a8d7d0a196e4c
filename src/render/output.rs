//! Writing the report folder atomically: every file goes to a temporary
//! sibling folder, which replaces the output folder only once complete. A
//! previous report there is replaced whole; anything else is left alone.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The file that marks a folder as a report written by this tool.
pub const MANIFEST: &str = "manifest.json";

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

/// A report folder being written.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Self> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out
            .file_name()
            .map_or_else(|| "bilan".into(), |n| n.to_string_lossy().into_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.partial-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot write in {}", parent.display()))?;
        Ok(Self {
            dir,
            out: out.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Puts the complete folder in place of `out` (moving a previous report
    /// aside first, and deleting it once the new one is in place). On any
    /// error before this, dropping `Staging` removes what was written.
    pub fn commit(self) -> Result<()> {
        let parent = self
            .dir
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let old = if self.out.exists() {
            let aside = tempfile::Builder::new()
                .prefix(".bilan.previous-")
                .tempdir_in(&parent)
                .with_context(|| format!("cannot write in {}", parent.display()))?
                .keep();
            std::fs::remove_dir(&aside).ok();
            std::fs::rename(&self.out, &aside).with_context(|| {
                format!(
                    "cannot move the previous report {} aside",
                    self.out.display()
                )
            })?;
            Some(aside)
        } else {
            None
        };
        let staged = self.dir.keep();
        if let Err(err) = std::fs::rename(&staged, &self.out) {
            if let Some(old) = &old {
                std::fs::rename(old, &self.out).ok();
            }
            std::fs::remove_dir_all(&staged).ok();
            return Err(err)
                .with_context(|| format!("cannot move the report into {}", self.out.display()));
        }
        if let Some(old) = old {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove the previous report {}", old.display()))?;
        }
        Ok(())
    }
}
