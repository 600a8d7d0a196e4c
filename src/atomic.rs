//! Writing a folder atomically: every file goes to a temporary sibling
//! folder, which takes the place of the destination only once complete.
//! On any error before that, dropping the staging folder removes what was
//! written, so no half-written folder is ever left behind.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A folder being written.
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
