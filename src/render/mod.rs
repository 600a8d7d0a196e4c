//! Stage 4b — the report folder (SPEC §6): view structs → Tera templates →
//! one self-contained HTML file, plus the machine-readable files beside it,
//! written atomically, and the PDF when asked for.

mod output;
mod pdf;
mod templates;
mod toc;
mod view;

use std::path::Path;

use anyhow::{anyhow, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::atomic::Staging;
pub use output::{check_destination, MANIFEST};
pub use pdf::find_chrome;
pub use templates::{load as load_templates, BUILTIN as BUILTIN_TEMPLATES};
pub use toc::{print_with_page_numbers, TocEntry};
pub use view::{build, published_value, shown_value, ReportInput, ReportView, MASKED_VALUE};

use crate::secret::Secrecy;
use crate::validate::Finding;

/// The report's HTML file name in the output folder.
pub const HTML: &str = "bilan.html";
/// The PDF's file name in the output folder.
pub const PDF: &str = "bilan.pdf";

/// Renders the report's HTML from its view.
pub fn render_html(tera: &tera::Tera, view: &ReportView) -> Result<String> {
    render_template(tera, "report.html", view)
}

/// Renders one template with a serialisable view as its context.
pub fn render_template(tera: &tera::Tera, name: &str, view: &impl Serialize) -> Result<String> {
    let context = tera::Context::from_serialize(view)
        .map_err(|e| anyhow!("cannot build the template context: {e}"))?;
    tera.render(name, &context).map_err(|e| {
        anyhow!(
            "cannot render the report ({name}): {}",
            templates::tera_cause(&e)
        )
    })
}

/// `findings.csv`: every finding, with personal data masked and, under
/// statistical secrecy, occurrence counts from 1 to K−1 read `< K` like
/// every other published count (`bilan validate` gives them exactly).
pub fn findings_csv(findings: &[Finding], secrecy: Secrecy) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "rule", "file", "line", "column", "value", "id", "count", "lines", "message",
    ])?;
    for f in findings {
        let lines: Vec<String> = f.lines.iter().map(u64::to_string).collect();
        writer.write_record([
            f.rule.code().to_string(),
            f.file.clone(),
            f.line.map_or(String::new(), |l| l.to_string()),
            f.column.clone().unwrap_or_default(),
            published_value(f),
            f.id.clone().unwrap_or_default(),
            if secrecy.is_small(f.count) {
                secrecy.label()
            } else {
                f.count.to_string()
            },
            lines.join(" "),
            f.message.clone(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// One file of the report folder, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct OutputFile {
    pub file: String,
    pub sha256: String,
}

pub fn sha256_of(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Lists the files under `dir` (recursively, as `folder/file` paths) with
/// their SHA-256, by path.
pub fn list_outputs(dir: &Path) -> Result<Vec<OutputFile>> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<OutputFile>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, files)?;
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let file = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(OutputFile {
                sha256: sha256_of(&std::fs::read(&path)?),
                file,
            });
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(files)
}
