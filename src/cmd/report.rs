//! `bilan report`: the report folder of SPEC §6–7.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;

use super::indicators::{to_csv, to_json, SCHEMA_VERSION};
use super::{load, resolve_year};
use crate::cli::ReportArgs;
use crate::format;
use crate::indicators::{compute, compute_breakdowns, Frames};
use crate::render::{self, OutputFile, ReportInput, Staging, HTML, MANIFEST, PDF};
use crate::validate::{year_findings, year_of, FileSummary};

#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: u32,
    tool: &'static str,
    version: &'static str,
    year: i32,
    scope: &'static str,
    generated_on: Option<String>,
    options: ManifestOptions,
    inputs: &'a [FileSummary],
    outputs: Vec<OutputFile>,
}

#[derive(Serialize)]
struct ManifestOptions {
    teams: String,
    columns: Option<String>,
    templates: Option<String>,
    pdf: bool,
}

/// The date of `SOURCE_DATE_EPOCH`, when set: outputs carry no wall-clock
/// time otherwise, so that two runs give identical bytes.
fn generated_on() -> Option<String> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(format::date(format::date_of_epoch(seconds)))
}

fn file_label(path: &Option<PathBuf>) -> Option<String> {
    path.as_ref().map(|p| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    })
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    let clean = &loaded.clean;
    let year = resolve_year(clean, args.year)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("bilan-{year}")));
    render::check_destination(&out, &args.input.input)?;
    let chrome = if args.pdf {
        Some(render::find_chrome(args.chrome.as_deref())?)
    } else {
        None
    };
    let tera = render::load_templates(args.templates.as_deref())?;

    let frames = Frames::new(clean)?;
    let rows = compute(&frames, year)?;
    let covers_previous = clean
        .demandes
        .date
        .iter()
        .chain(&clean.interventions.date)
        .any(|&d| year_of(d) == year - 1);
    let previous = if covers_previous {
        Some(compute(&frames, year - 1)?)
    } else {
        None
    };
    let breakdowns = compute_breakdowns(&frames, year, None)?;
    let mut findings = clean.findings.clone();
    findings.extend(year_findings(clean, year));
    let dates = clean.demandes.date.iter().chain(&clean.interventions.date);
    let period = dates.clone().min().copied().zip(dates.max().copied());
    let export_name = args
        .input
        .input
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| args.input.input.display().to_string());
    let view = render::build(&ReportInput {
        year,
        scope: None,
        rows: &rows,
        previous: previous.as_deref(),
        breakdowns: &breakdowns,
        files: &clean.files,
        findings: &findings,
        teams: &loaded.teams,
        period,
        export_name,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_on: generated_on(),
    })?;
    if let Some(path) = &args.dump_context {
        std::fs::write(path, serde_json::to_string_pretty(&view)?)
            .with_context(|| format!("cannot write the template context to {}", path.display()))?;
    }
    let html = render::render_html(&tera, &view)?;

    let staging = Staging::new(&out)?;
    staging.write(HTML, html.as_bytes())?;
    staging.write(
        "indicators.json",
        format!("{}\n", to_json(&rows)?).as_bytes(),
    )?;
    staging.write("indicators.csv", to_csv(&rows)?.as_bytes())?;
    staging.write(
        "breakdowns.json",
        format!("{}\n", serde_json::to_string_pretty(&breakdowns)?).as_bytes(),
    )?;
    staging.write("findings.csv", render::findings_csv(&findings)?.as_bytes())?;
    if let Some(chrome) = &chrome {
        let dir = staging.path().canonicalize()?;
        render::print(chrome, &dir.join(HTML), &dir.join(PDF))?;
    }
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        tool: "bilan",
        version: env!("CARGO_PKG_VERSION"),
        year,
        scope: "national",
        generated_on: generated_on(),
        options: ManifestOptions {
            teams: file_label(&args.input.teams).unwrap_or_else(|| "built-in".to_string()),
            columns: file_label(&args.input.columns),
            templates: file_label(&args.templates),
            pdf: args.pdf,
        },
        inputs: &clean.files,
        // The PDF embeds its own creation time, so it is left out of the
        // checksums that make two runs comparable.
        outputs: render::list_outputs(staging.path())?
            .into_iter()
            .filter(|o| o.file != PDF)
            .collect(),
    };
    staging.write(
        MANIFEST,
        format!("{}\n", serde_json::to_string_pretty(&manifest)?).as_bytes(),
    )?;
    staging.commit()?;
    eprintln!("wrote the {year} report to {}", out.join(HTML).display());
    let excluded: u64 = clean.files.iter().map(|f| f.rows_excluded).sum();
    if !findings.is_empty() {
        eprintln!(
            "note: {} finding(s), {excluded} row(s) excluded; see the report's « Qualité des données » section and findings.csv",
            findings.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
