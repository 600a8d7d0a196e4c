//! Stage 4 — the report folder (SPEC §6), from the published figures only:
//! view structs → Tera templates → one self-contained HTML file per scope,
//! the machine-readable files beside it (`files.rs`), the workbook
//! `bilan.xlsx` (`workbook/`), the PDF when asked for, and the manifest
//! last; all written into a staging folder that takes the place of the
//! output folder once complete.

mod destination;
mod files;
mod pdf;
mod templates;
mod toc;
mod view;
mod workbook;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use serde::Serialize;

use crate::atomic::Staging;
use crate::job::ReportJob;
use crate::reference::Scope;
use crate::secret::Published;

pub use destination::check_destination;
pub use files::{actions_csv, delais_csv, indicators_csv, indicators_json, SCHEMA_VERSION};
pub use pdf::find_chrome;
pub use templates::load as load_templates;
pub use workbook::{as_made_on_unix, XLSX};

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
    let target = if job.scopes.per_team() {
        let mut entries = Vec::new();
        for report in published.scopes() {
            let name = report.scope.code();
            let dir = staging.path().join(name);
            std::fs::create_dir(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_scope_folder(published, job, tera, &about, &report.scope, &dir)?;
            entries.push(view::index_entry(published, &report.scope));
        }
        let index = view::index(published, &entries);
        write(
            staging.path(),
            "index.html",
            &render_template(tera, "index.html", &index)?,
        )?;
        let manifest =
            files::manifest_json(published, job, crate::reference::NATIONAL, staging.path())?;
        write(staging.path(), files::MANIFEST, &manifest)?;
        out.join("index.html")
    } else {
        write_scope_folder(
            published,
            job,
            tera,
            &about,
            &Scope::National,
            staging.path(),
        )?;
        out.join(HTML)
    };
    staging.commit()?;
    Ok(target)
}

/// Writes one scope's report folder into `dir`: the HTML, its
/// machine-readable files, the workbook, the PDF when asked for, then the
/// manifest.
fn write_scope_folder(
    published: &Published,
    job: &ReportJob,
    tera: &tera::Tera,
    about: &view::About,
    scope: &Scope,
    dir: &Path,
) -> Result<()> {
    let report = published
        .scopes()
        .iter()
        .find(|r| &r.scope == scope)
        .ok_or_else(|| anyhow!("no figures were computed for the scope {}", scope.code()))?;
    let view = view::build(published, report, about)?;
    crate::console::lap("views and charts built");
    if let (Some(path), true) = (&job.dump_context, scope.is_national()) {
        std::fs::write(path, serde_json::to_string_pretty(&view)?)
            .with_context(|| format!("cannot write the template context to {}", path.display()))?;
    }
    let rows = published.rows_of(scope);
    let delais = published.delais_of(scope);
    let with_suppressed = published.secrecy().enabled();
    write(dir, HTML, &render_template(tera, "report.html", &view)?)?;
    crate::console::lap("report.html rendered");
    let actions = published.actions_of(scope);
    write(
        dir,
        "indicators.json",
        &files::indicators_json(&rows, &delais, &actions)?,
    )?;
    write(
        dir,
        "actions.csv",
        &files::actions_csv(&actions.by_type, "type_action")?,
    )?;
    write(
        dir,
        "actions_public.csv",
        &files::actions_csv(&actions.by_public, "public")?,
    )?;
    write(
        dir,
        "indicators.csv",
        &files::indicators_csv(&rows, with_suppressed)?,
    )?;
    write(
        dir,
        "delais.csv",
        &files::delais_csv(&delais, with_suppressed)?,
    )?;
    write(dir, "series.json", &files::series_json(published, scope)?)?;
    write(
        dir,
        "breakdowns.json",
        &files::breakdowns_json(&report.breakdowns)?,
    )?;
    write(dir, "findings.csv", &files::findings_csv(&report.findings)?)?;
    crate::console::lap("json and csv files written");
    let xlsx = dir.join(XLSX);
    std::fs::write(&xlsx, workbook::workbook(published, report, &view, about)?)
        .with_context(|| format!("cannot write {}", xlsx.display()))?;
    if let Some(chrome) = &job.chrome {
        let dir = dir.canonicalize()?;
        toc::print_with_page_numbers(chrome, tera, &view, &dir.join(HTML), &dir.join(PDF))?;
    }
    crate::console::lap("bilan.xlsx written");
    let manifest = files::manifest_json(published, job, scope.code(), dir)?;
    write(dir, files::MANIFEST, &manifest)
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Renders one template with a serialisable view as its context.
fn render_template(tera: &tera::Tera, name: &str, view: &impl Serialize) -> Result<String> {
    let context = tera::Context::from_serialize(view)
        .map_err(|e| anyhow!("cannot build the template context: {e}"))?;
    tera.render(name, &context).map_err(|e| {
        anyhow!(
            "cannot render the report ({name}): {}",
            templates::tera_cause(&e)
        )
    })
}
