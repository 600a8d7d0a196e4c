//! Stage 4 — the report folder (SPEC §6), from the published figures only:
//! view structs → Tera templates → one self-contained HTML file per scope,
//! the machine-readable files beside it (`files.rs`), the publication
//! files for the websites and open data (`publication/`), the workbook
//! `bilan.xlsx` (`workbook/`), the PDF when asked for, and the manifest
//! last; all written into a staging folder that takes the place of the
//! output folder once complete.

mod destination;
mod files;
mod glossary;
mod outputs;
mod pdf;
mod publication;
mod templates;
pub mod terminal;
mod toc;
mod view;
mod workbook;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use serde::Serialize;

use crate::atomic::Staging;
use crate::job::ReportJob;
use crate::reference::Scope;
use crate::secret::{Published, ScopeReport};

pub use destination::check_destination;
pub use files::{actions_csv, delais_csv, indicators_csv, indicators_json, SCHEMA_VERSION};
pub use pdf::find_chrome;
pub use templates::load as load_templates;
pub use workbook::XLSX;

/// The report's HTML file name in the output folder.
pub const HTML: &str = "bilan.html";
/// The PDF's file name in the output folder.
pub const PDF: &str = "bilan.pdf";

/// Writes the report folder `out` of a run: one report (national) in the
/// folder itself, or with several scopes, one folder per scope, an
/// `index.html` listing them and the run's manifest. Returns the page to
/// open.
pub fn write_report(
    published: &Published,
    job: &ReportJob,
    tera: &tera::Tera,
    out: &Path,
) -> Result<PathBuf> {
    let staging = Staging::new(out)?;
    let about = view::About::of(&job.source);
    let reports = published.reports();
    let target = if job.scopes.per_team() {
        let mut entries = Vec::new();
        for report in reports {
            let dir = staging.path().join(report.scope().code());
            std::fs::create_dir(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_scope_folder(report, job, tera, &about, &dir)?;
            entries.push(view::index_entry(report));
        }
        let first = reports
            .first()
            .ok_or_else(|| anyhow!("a run with several reports has at least one"))?;
        let index = view::index(first, &entries);
        write(
            staging.path(),
            "index.html",
            &render_template(tera, "index.html", &index)?,
        )?;
        let manifest = files::manifest_json(first, job, &Scope::National, staging.path())?;
        write(staging.path(), files::MANIFEST, &manifest)?;
        out.join("index.html")
    } else {
        let national = reports
            .iter()
            .find(|r| r.scope().is_national())
            .ok_or_else(|| anyhow!("no figures were computed for the national scope"))?;
        write_scope_folder(national, job, tera, &about, staging.path())?;
        out.join(HTML)
    };
    staging.commit()?;
    Ok(target)
}

/// Writes one scope's report folder into `dir`: the HTML, its
/// machine-readable files, the workbook, the PDF when asked for, then the
/// manifest.
fn write_scope_folder(
    report: &ScopeReport,
    job: &ReportJob,
    tera: &tera::Tera,
    about: &view::About,
    dir: &Path,
) -> Result<()> {
    let scope = report.scope();
    let view = view::build(report, about)?;
    crate::console::lap("views and charts built");
    if let (Some(path), true) = (&job.dump_context, scope.is_national()) {
        std::fs::write(path, serde_json::to_string_pretty(&view)?)
            .with_context(|| format!("cannot write the template context to {}", path.display()))?;
    }
    write(dir, HTML, &render_template(tera, "report.html", &view)?)?;
    crate::console::lap("report.html rendered");
    for output in outputs::OUTPUTS {
        write(dir, output.file, &(output.write)(report)?)?;
    }
    for file in outputs::PUBLICATION
        .iter()
        .filter(|f| f.written_for(report))
    {
        write(dir, file.file, &(file.write)(report, tera)?)?;
    }
    crate::console::lap("json and csv files written");
    let xlsx = dir.join(XLSX);
    std::fs::write(&xlsx, workbook::workbook(report, &view, about)?)
        .with_context(|| format!("cannot write {}", xlsx.display()))?;
    if let Some(chrome) = &job.chrome {
        let dir = dir.canonicalize()?;
        toc::print_with_page_numbers(chrome, tera, &view, &dir.join(HTML), &dir.join(PDF))?;
    }
    crate::console::lap("bilan.xlsx written");
    let manifest = files::manifest_json(report, job, scope, dir)?;
    write(dir, files::MANIFEST, &manifest)
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Renders one template with a serialisable view as its context, each
/// acronym's first use marked and the *Glossaire* filled (`glossary.rs`).
fn render_template(tera: &tera::Tera, name: &str, view: &impl Serialize) -> Result<String> {
    let context = tera::Context::from_serialize(view)
        .map_err(|e| anyhow!("cannot build the template context: {e}"))?;
    let html = tera.render(name, &context).map_err(|e| {
        anyhow!(
            "cannot render the report ({name}): {}",
            templates::tera_cause(&e)
        )
    })?;
    Ok(glossary::mark_acronyms(&html))
}
