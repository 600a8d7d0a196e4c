//! `bilan report`: the report folder of SPEC §6–8, for the national scope
//! and, with `--by-team` or `--team`, for each team. The export is read and
//! every scope's figures computed once; secrecy is applied to all of them
//! (`secret::publish`) before `render::write_report` draws or writes
//! anything.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::job::{ExportSource, ReportJob, ReportScopes};
use crate::render;
use crate::secret::{self, Secrecy};

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let scopes = match (args.team.is_empty(), args.by_team) {
        (false, _) => ReportScopes::Teams(args.team),
        (true, true) => ReportScopes::NationalAndTeams,
        (true, false) => ReportScopes::National,
    };
    // Every option that can be wrong is checked before the export is read:
    // the referential, the templates, the browser, an explicit output folder.
    let source: ExportSource = args.input.into();
    let referential = source.referential()?;
    let tera = render::load_templates(args.templates.as_deref())?;
    let texts = render::Texts::read(args.textes.as_deref())?;
    let chrome = match args.pdf {
        true => Some(render::find_chrome(args.chrome.as_deref())?),
        false => None,
    };
    if let Some(out) = &args.out {
        for folder in source.folders() {
            render::check_destination(out, &folder)?;
        }
    }
    // The browser starts while the export is read.
    let browser = chrome.clone().map(render::Launch::start);
    let job = ReportJob {
        source,
        year: args.year,
        out: args.out,
        scopes,
        since: args.since,
        secrecy: Secrecy::new(args.min_count.max(1)),
        templates: args.templates,
        chrome,
        dump_context: args.dump_context,
    };
    let mut loaded = job.source.load_with(referential)?;
    let year = loaded.choose_year(job.year)?;
    let out = job.out_dir(year);
    for folder in job.source.folders() {
        render::check_destination(&out, &folder)?;
    }
    let findings = loaded.clean.findings.len();
    let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
    let published = secret::publish(job.figures(loaded, year)?, job.secrecy);
    crate::console::lap("secrecy applied");
    let target = render::write_report(&published, &job, &tera, &texts, &out, browser)?;
    crate::console::lap("report written");

    crate::note!("wrote the {year} report to {}", target.display());
    if findings > 0 {
        crate::note!(
            "note: {findings} finding(s), {excluded} row(s) excluded; see controle.html (the analyst's page beside the report) and findings.csv"
        );
    }
    if !job.secrecy.enabled() {
        crate::note!("note: --min-count 1: statistical secrecy is off; the report is stamped « Diffusion restreinte »");
    }
    Ok(ExitCode::SUCCESS)
}
