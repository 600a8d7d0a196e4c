//! `bilan report`: the report folder of SPEC §6–8, for the national scope
//! and, with `--by-team` or `--team`, for each team. The export is read and
//! every scope's figures computed once; statistical secrecy is applied to
//! all of them before anything is written.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::indicators::{to_csv, to_json, SCHEMA_VERSION};
use super::{load, resolve_year, Loaded};
use crate::cli::ReportArgs;
use crate::format;
use crate::indicators::{
    compute, compute_breakdowns, Breakdowns, Frames, Indicator, IndicatorRow, NATIONAL,
};
use crate::render::{self, OutputFile, ReportInput, Staging, HTML, MANIFEST, PDF};
use crate::secret::{protect_breakdowns, protect_rows, Masks, Secrecy};
use crate::validate::{year_findings, year_of, CleanExport, Finding};

#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: u32,
    tool: &'static str,
    version: &'static str,
    year: i32,
    scope: &'a str,
    generated_on: Option<String>,
    min_count: u64,
    options: ManifestOptions,
    inputs: Vec<serde_json::Value>,
    outputs: Vec<OutputFile>,
}

#[derive(Serialize, Clone)]
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

/// Everything computed once for all the reports of a run.
struct Run<'a> {
    args: &'a ReportArgs,
    loaded: &'a Loaded,
    year: i32,
    secrecy: Secrecy,
    rows: Vec<IndicatorRow>,
    previous: Option<Vec<IndicatorRow>>,
    findings: Vec<Finding>,
    /// The teams that followed each person (for the team's data quality).
    person_teams: HashMap<String, BTreeSet<String>>,
    chrome: Option<PathBuf>,
    tera: tera::Tera,
    export_name: String,
    period: Option<(i32, i32)>,
}

/// The teams that followed each person named by a finding that has no team
/// of its own (a row of `usagers.csv`), by the person's id: what a team's
/// report needs to show the data quality of its own persons.
fn person_teams(clean: &CleanExport, findings: &[Finding]) -> HashMap<String, BTreeSet<String>> {
    let named: HashSet<u32> = findings
        .iter()
        .filter(|f| f.team.is_none())
        .filter_map(|f| clean.person_ids.find(f.id.as_deref()?))
        .collect();
    let mut teams: HashMap<String, BTreeSet<String>> = HashMap::new();
    if named.is_empty() {
        return teams;
    }
    for acts in [&clean.demandes, &clean.interventions] {
        for (person, team) in acts.person.iter().zip(&acts.team) {
            if let (true, Some(team)) = (named.contains(person), team) {
                teams
                    .entry(clean.person_id(*person).to_string())
                    .or_default()
                    .insert(clean.scope(*team).to_string());
            }
        }
    }
    teams
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let mut loaded = load(&args.input)?;
    let year = resolve_year(&loaded.clean, args.year)?;
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
    let secrecy = Secrecy::new(args.min_count.max(1));

    // What the report needs of the acts themselves, before the frames take
    // them over (peak memory).
    let mut findings = loaded.clean.findings.clone();
    findings.extend(year_findings(&loaded.clean, year));
    let person_teams = person_teams(&loaded.clean, &findings);
    let dates = || {
        let clean = &loaded.clean;
        clean.demandes.date.iter().chain(&clean.interventions.date)
    };
    let period = dates().min().copied().zip(dates().max().copied());
    let covers_previous = dates().any(|&d| year_of(d) == year - 1);
    let frames = Frames::new(&mut loaded.clean)?;
    let loaded = loaded;
    let clean = &loaded.clean;

    let mut rows = compute(&frames, year)?;
    let mut previous = if covers_previous {
        Some(compute(&frames, year - 1)?)
    } else {
        None
    };

    // Which reports: national, and the teams asked for or active in Y.
    let active_teams: Vec<String> = rows
        .iter()
        .filter(|r| r.scope != NATIONAL)
        .map(|r| r.scope.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut scopes: Vec<Option<String>> = Vec::new();
    if args.team.is_empty() {
        scopes.push(None);
        if args.by_team {
            scopes.extend(active_teams.iter().cloned().map(Some));
        }
    } else {
        for asked in &args.team {
            let code = loaded
                .teams
                .lookup(asked)
                .map_or_else(|| asked.trim().to_uppercase(), |t| t.code.clone());
            if !active_teams.contains(&code) {
                bail!("--team {asked}: {code} has no demande or intervention in {year}; teams active then: {}", active_teams.join(", "));
            }
            scopes.push(Some(code));
        }
    }
    let per_team = args.by_team || !args.team.is_empty();

    // Breakdowns of every scope, then secrecy on all figures at once.
    let figure = |rows: &[IndicatorRow], scope: &str, indicator: Indicator| {
        rows.iter()
            .find(|r| r.scope == scope && r.indicator == indicator)
            .and_then(|r| r.numerator)
            .unwrap_or(0)
    };
    let mut breakdowns: Vec<(Option<String>, Breakdowns)> = Vec::new();
    let mut masks: BTreeMap<String, Masks> = BTreeMap::new();
    for scope in &scopes {
        let mut b = compute_breakdowns(&frames, year, scope.as_deref())?;
        let key = scope.clone().unwrap_or_else(|| NATIONAL.to_string());
        let active = figure(&rows, &key, Indicator::PersonnesAccompagnees);
        let tnd = figure(&rows, &key, Indicator::AuMoinsUnTnd);
        masks.insert(
            key.clone(),
            protect_breakdowns(&mut b, active, tnd, secrecy),
        );
        breakdowns.push((scope.clone(), b));
    }
    protect_rows(&mut rows, secrecy, |scope| {
        masks.get(scope).copied().unwrap_or_default()
    });
    if let Some(previous) = previous.as_mut() {
        protect_rows(previous, secrecy, |_| Masks::default());
    }

    let export_name = args
        .input
        .input
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| args.input.input.display().to_string());
    let run = Run {
        args: &args,
        loaded: &loaded,
        year,
        secrecy,
        rows,
        previous,
        findings,
        person_teams,
        chrome,
        tera,
        export_name,
        period,
    };

    let staging = Staging::new(&out)?;
    if per_team {
        let mut entries = Vec::new();
        for (scope, b) in &breakdowns {
            let name = scope.clone().unwrap_or_else(|| NATIONAL.to_string());
            let dir = staging.path().join(&name);
            std::fs::create_dir(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_one(&run, scope.as_deref(), b, &dir)?;
            entries.push(index_entry(&run, &name));
        }
        std::fs::write(
            staging.path().join("index.html"),
            index_html(&run, &entries)?,
        )
        .context("cannot write index.html")?;
        write_manifest(&run, NATIONAL, staging.path())?;
    } else {
        write_one(&run, None, &breakdowns[0].1, staging.path())?;
    }
    staging.commit()?;
    let target = if per_team {
        out.join("index.html")
    } else {
        out.join(HTML)
    };
    crate::note!("wrote the {year} report to {}", target.display());
    let excluded: u64 = clean.files.iter().map(|f| f.rows_excluded).sum();
    if !run.findings.is_empty() {
        crate::note!(
            "note: {} finding(s), {excluded} row(s) excluded; see the report's « Qualité des données » section and findings.csv",
            run.findings.len()
        );
    }
    if !secrecy.enabled() {
        crate::note!("note: --min-count 1: statistical secrecy is off; the report is stamped « Diffusion restreinte »");
    }
    Ok(ExitCode::SUCCESS)
}

/// The findings a scope's report shows: a team sees those of its own rows,
/// those of the persons it followed, and those about the whole export.
fn findings_of(run: &Run, scope: Option<&str>) -> Vec<Finding> {
    let Some(team) = scope else {
        return run.findings.clone();
    };
    run.findings
        .iter()
        .filter(|f| match (&f.team, f.line) {
            (Some(t), _) => t == team,
            (None, None) | (None, Some(1)) => true,
            (None, Some(_)) => {
                f.id.as_ref()
                    .and_then(|id| run.person_teams.get(id))
                    .is_some_and(|teams| teams.contains(team))
            }
        })
        .cloned()
        .collect()
}

/// The indicator rows a scope's folder publishes: its own; the national
/// report publishes every scope's.
fn rows_of(rows: &[IndicatorRow], scope: Option<&str>) -> Vec<IndicatorRow> {
    match scope {
        None => rows.to_vec(),
        Some(team) => rows.iter().filter(|r| r.scope == team).cloned().collect(),
    }
}

/// Writes one report folder's files into `dir`.
fn write_one(run: &Run, scope: Option<&str>, breakdowns: &Breakdowns, dir: &Path) -> Result<()> {
    let findings = findings_of(run, scope);
    let view = render::build(&ReportInput {
        year: run.year,
        scope,
        rows: &run.rows,
        previous: run.previous.as_deref(),
        breakdowns,
        files: &run.loaded.clean.files,
        findings: &findings,
        teams: &run.loaded.teams,
        period: run.period,
        export_name: run.export_name.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_on: generated_on(),
        secrecy: run.secrecy,
    })?;
    if let (Some(path), None) = (&run.args.dump_context, scope) {
        std::fs::write(path, serde_json::to_string_pretty(&view)?)
            .with_context(|| format!("cannot write the template context to {}", path.display()))?;
    }
    let html = render::render_html(&run.tera, &view)?;
    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        std::fs::write(dir.join(name), bytes)
            .with_context(|| format!("cannot write {}", dir.join(name).display()))
    };
    let rows = rows_of(&run.rows, scope);
    write(HTML, html.as_bytes())?;
    write(
        "indicators.json",
        format!("{}\n", to_json(&rows)?).as_bytes(),
    )?;
    write(
        "indicators.csv",
        to_csv(&rows, run.secrecy.enabled())?.as_bytes(),
    )?;
    write(
        "breakdowns.json",
        format!("{}\n", serde_json::to_string_pretty(breakdowns)?).as_bytes(),
    )?;
    write(
        "findings.csv",
        render::findings_csv(&findings, run.secrecy)?.as_bytes(),
    )?;
    if let Some(chrome) = &run.chrome {
        let dir = dir.canonicalize()?;
        render::print_with_page_numbers(chrome, &run.tera, &view, &dir.join(HTML), &dir.join(PDF))?;
    }
    write_manifest(run, scope.unwrap_or(NATIONAL), dir)
}

fn write_manifest(run: &Run, scope: &str, dir: &Path) -> Result<()> {
    let args = run.args;
    let secrecy = run.secrecy;
    // Row counts are published figures too: a small one is null there.
    let inputs = run
        .loaded
        .clean
        .files
        .iter()
        .map(|f| {
            let mut value = serde_json::to_value(f)?;
            for field in ["rows_read", "rows_kept", "rows_excluded"] {
                if value[field].as_u64().is_some_and(|n| secrecy.is_small(n)) {
                    value[field] = serde_json::Value::Null;
                    value["suppressed"] = serde_json::Value::Bool(true);
                }
            }
            Ok(value)
        })
        .collect::<Result<Vec<_>>>()?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        tool: "bilan",
        version: env!("CARGO_PKG_VERSION"),
        year: run.year,
        scope,
        generated_on: generated_on(),
        min_count: secrecy.min_count,
        options: ManifestOptions {
            teams: file_label(&args.input.teams).unwrap_or_else(|| "built-in".to_string()),
            columns: file_label(&args.input.columns),
            templates: file_label(&args.templates),
            pdf: args.pdf,
        },
        inputs,
        // The PDF embeds its own creation time, so it is left out of the
        // checksums that make two runs comparable.
        outputs: render::list_outputs(dir)?
            .into_iter()
            .filter(|o| !o.file.ends_with(PDF))
            .collect(),
    };
    std::fs::write(
        dir.join(MANIFEST),
        format!("{}\n", serde_json::to_string_pretty(&manifest)?),
    )
    .with_context(|| format!("cannot write {}", dir.join(MANIFEST).display()))
}

/// One line of `index.html`: the folder, the scope's name, its headline figures.
#[derive(Serialize)]
struct IndexEntry {
    folder: String,
    label: String,
    figures: Vec<String>,
}

/// What `index.html` shows (template `index.html`).
#[derive(Serialize)]
struct IndexView<'a> {
    year: i32,
    restricted: bool,
    min_count: Option<u64>,
    masked: String,
    columns: Vec<&'static str>,
    html: &'static str,
    entries: &'a [IndexEntry],
}

fn index_entry(run: &Run, scope: &str) -> IndexEntry {
    let label = if scope == NATIONAL {
        "National — ensemble des ERHR et des CNRHR".to_string()
    } else {
        run.loaded
            .teams
            .get(scope)
            .map_or_else(|| format!("{scope} (hors référentiel)"), |t| t.name.clone())
    };
    let figures = Indicator::ALL
        .into_iter()
        .filter_map(|i| {
            run.rows
                .iter()
                .find(|r| r.scope == scope && r.indicator == i)
        })
        .map(|r| render::shown_value(r, run.secrecy))
        .collect();
    IndexEntry {
        folder: scope.to_string(),
        label,
        figures,
    }
}

/// `index.html`: the reports of the run with their headline figures.
fn index_html(run: &Run, entries: &[IndexEntry]) -> Result<String> {
    let view = IndexView {
        year: run.year,
        restricted: !run.secrecy.enabled(),
        min_count: run.secrecy.enabled().then_some(run.secrecy.min_count),
        masked: run.secrecy.label(),
        columns: Indicator::ALL.iter().map(|i| i.short_label()).collect(),
        html: HTML,
        entries,
    };
    render::render_template(&run.tera, "index.html", &view)
}
