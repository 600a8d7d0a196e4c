//! Stage 4 — the report folder (SPEC §6), from the published figures only:
//! view structs → Tera templates → one self-contained HTML file per scope,
//! the machine-readable files beside it (`files.rs`, listed in
//! `outputs.rs`), the publication files for the websites and open data
//! (`publication/`, listed there too), the workbook `bilan.xlsx`
//! (`workbook/`), the analyst's `controle.html` and `controle.xlsx`, the
//! PDF when asked for (one browser for the run, `pdf.rs`), and the
//! manifest last; all written into a staging folder that takes the place
//! of the output folder once complete.

mod content;
mod destination;
mod files;
mod glossary;
mod outputs;
mod pdf;
mod pdfua;
mod publication;
mod templates;
pub mod terminal;
mod texts;
mod toc;
mod view;
mod workbook;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;

use crate::atomic::Staging;
use crate::job::ReportJob;
use crate::reference::Scope;
use crate::secret::{Published, ScopeReport};

pub use destination::check_destination;
pub use files::{
    actions_csv, categories_csv, delais_csv, diagnostics_csv, frequent_csv, indicators_csv,
    indicators_json, reseau_csv, ProfileArrays, SCHEMA_VERSION,
};
pub use pdf::{find_chrome, Launch};
pub use templates::load as load_templates;
pub use texts::Texts;
pub use workbook::{as_made_on_unix, XLSX};

/// The report's HTML file name in the output folder.
pub const HTML: &str = "bilan.html";
/// The analyst's page in the output folder (not for publication).
pub const CONTROL: &str = "controle.html";
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
    texts: &Texts,
    out: &Path,
    browser: Option<pdf::Launch>,
) -> Result<PathBuf> {
    let reports = published.reports();
    if reports.is_empty() {
        let asked = match &job.scopes {
            crate::job::ReportScopes::Teams(asked) => asked.join(", --team "),
            _ => String::new(),
        };
        bail!(
            "--team {asked}: no report to write. A team that accompanied fewer than {} persons in the year, or whose code is not in the referential, has no report of its own: its figures are in the national report, masked (statistical secrecy). Run without --team for the national report, or with --by-team to see in index.html which teams have one.",
            job.secrecy.min_count
        );
    }
    let staging = Staging::new(out)?;
    let about = view::About::of(job);
    // With --pdf, one browser prints every report while the folders are
    // written; the manifests, which list the HTML as printed (with the
    // Sommaire's page numbers), come once every report is printed.
    let mut folders: Vec<(&ScopeReport, PathBuf)> = Vec::new();
    let target = std::thread::scope(|scope| -> Result<PathBuf> {
        // Several reports print in a tab a core and one more, which keeps
        // the cores busy while a report is in bilan's hands (its PDF read
        // back and made PDF/UA); one report prints in one tab.
        let tabs = match job.scopes.per_team() {
            true => std::thread::available_parallelism().map_or(1, usize::from) + 1,
            false => 1,
        };
        let printing = browser.map(|launch| pdf::Pool::start(scope, launch, tera, tabs));
        let target = if job.scopes.per_team() {
            // Two folders at a time: writing one keeps a core busy, and
            // the other is idle unless the PDF is printing (decision 166).
            // After an error the reports after it are not written, and the
            // first error in the reports' order wins.
            let none = Texts::default();
            let failed = AtomicBool::new(false);
            let write_folder = |report: &ScopeReport| -> Result<PathBuf> {
                let name = report.scope().code();
                let dir = staging.path().join(name);
                std::fs::create_dir(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                // The analyst's texts go in the national report.
                let texts = if report.scope().is_national() {
                    texts
                } else {
                    &none
                };
                let view = write_scope_folder(report, job, tera, &about, texts, &dir)?;
                submit(printing.as_ref(), name, view, &dir)?;
                Ok(dir)
            };
            let written = crate::parallel::two_at_a_time(reports, |report| {
                if failed.load(Ordering::Relaxed) {
                    bail!("not written: a report before it failed");
                }
                let written = write_folder(report);
                if written.is_err() {
                    failed.store(true, Ordering::Relaxed);
                }
                written
            });
            let mut entries = Vec::new();
            for (report, dir) in reports.iter().zip(written) {
                let dir = dir.unwrap_or_else(|| {
                    Err(anyhow!(
                        "the writing of the report {} stopped unexpectedly",
                        report.scope().code()
                    ))
                })?;
                folders.push((report, dir));
                entries.push(view::index_entry(report));
            }
            let first = reports
                .first()
                .ok_or_else(|| anyhow!("a run with several reports has at least one"))?;
            let index = view::index(first, &entries, published.withheld());
            write(
                staging.path(),
                "index.html",
                &render_template(tera, "index.html", &index)?,
            )?;
            out.join("index.html")
        } else {
            let national = reports
                .iter()
                .find(|r| r.scope().is_national())
                .ok_or_else(|| anyhow!("no figures were computed for the national scope"))?;
            let dir = staging.path().to_path_buf();
            let view = write_scope_folder(national, job, tera, &about, texts, &dir)?;
            submit(printing.as_ref(), national.scope().code(), view, &dir)?;
            folders.push((national, dir));
            out.join(HTML)
        };
        if let Some(printing) = printing {
            printing.finish()?;
            crate::console::lap("PDF printed");
        }
        Ok(target)
    })?;
    for (report, dir) in &folders {
        let manifest = files::manifest_json(report, job, report.scope(), dir)?;
        write(dir, files::MANIFEST, &manifest)?;
    }
    if job.scopes.per_team() {
        if let Some(first) = reports.first() {
            let manifest = files::manifest_json(first, job, &Scope::National, staging.path())?;
            write(staging.path(), files::MANIFEST, &manifest)?;
        }
    }
    staging.commit()?;
    Ok(target)
}

/// Hands a report to the printing, when there is one.
fn submit(
    printing: Option<&pdf::Pool>,
    label: &str,
    view: view::ReportView,
    dir: &Path,
) -> Result<()> {
    if let Some(printing) = printing {
        printing.submit(pdf::PrintJob {
            label: label.to_string(),
            view,
            dir: dir.canonicalize()?,
        });
    }
    Ok(())
}

/// Writes one scope's report folder into `dir`: the HTML, its
/// machine-readable files, the workbook, the analyst's page and workbook;
/// returns the report's view, for its PDF. The manifest comes last, once
/// the PDF is printed.
fn write_scope_folder(
    report: &ScopeReport,
    job: &ReportJob,
    tera: &tera::Tera,
    about: &view::About,
    texts: &Texts,
    dir: &Path,
) -> Result<view::ReportView> {
    let scope = report.scope();
    let view = view::build(report, about, texts)?;
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
    std::fs::write(&xlsx, workbook::workbook(report, &view)?)
        .with_context(|| format!("cannot write {}", xlsx.display()))?;
    // The analyst's page and workbook, beside the report, not for publication.
    let control = view::control(report, about);
    write(
        dir,
        CONTROL,
        &render_template(tera, "controle.html", &control)?,
    )?;
    let xlsx = dir.join(workbook::CONTROL_XLSX);
    std::fs::write(&xlsx, workbook::control_workbook(report, &control)?)
        .with_context(|| format!("cannot write {}", xlsx.display()))?;
    crate::console::lap("bilan.xlsx and controle.xlsx written");
    Ok(view)
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
    let page = tera.render(name, &context).map_err(|e| {
        anyhow!(
            "cannot render the report ({name}): {}",
            templates::tera_cause(&e)
        )
    })?;
    // French spacing and apostrophes in every sentence, whichever template
    // (built-in or the analyst's) wrote it.
    let page = crate::format::typography_html(&page);
    Ok(glossary::mark_acronyms(&page))
}
