//! `bilan indicators`: SPEC §5 on stdout, as a table, JSON or CSV.

use std::process::ExitCode;

use anyhow::{bail, Result};
use serde::Serialize;

use super::{load, resolve_year};
use crate::cli::{IndicatorsArgs, IndicatorsFormat};
use crate::console;
use crate::format;
use crate::indicators::{compute, empty_rows, Frames, IndicatorRow, NATIONAL};
use crate::normalize::normalize;
use crate::reference::Teams;
use crate::validate::year_findings;

/// Version of the machine-readable indicator schema (SPEC §5).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    rows: &'a [IndicatorRow],
}

pub fn run(args: IndicatorsArgs) -> Result<ExitCode> {
    let mut loaded = load(&args.input)?;
    let year = resolve_year(&loaded.clean, args.year)?;
    let findings = loaded.clean.findings.len() + year_findings(&loaded.clean, year).len();
    // The frames take the acts over: nothing below reads them from `clean`.
    let frames = Frames::new(&mut loaded.clean)?;
    let mut rows = compute(&frames, year)?;
    if let Some(k) = args.min_count {
        crate::secret::protect_rows(&mut rows, crate::secret::Secrecy::new(k), |_| {
            Default::default()
        });
    }
    if !args.team.is_empty() {
        rows = select_teams(rows, &args.team, &loaded.teams, year)?;
    }
    match args.format {
        IndicatorsFormat::Json => console::stdout(&format!("{}\n", to_json(&rows)?))?,
        IndicatorsFormat::Csv => {
            console::stdout(&to_csv(&rows, args.min_count.is_some_and(|k| k > 1))?)?
        }
        IndicatorsFormat::Table => console::stdout(&to_table(&rows, &loaded.teams))?,
    }
    let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
    if findings > 0 {
        crate::note!(
            "note: {findings} finding(s) in the export, {excluded} row(s) excluded from the counts; run `bilan validate --input {}` for the details",
            args.input.input.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps the rows of the asked teams, in the order asked; a known team
/// without activity in the year gets zero rows.
fn select_teams(
    rows: Vec<IndicatorRow>,
    asked: &[String],
    teams: &Teams,
    year: i32,
) -> Result<Vec<IndicatorRow>> {
    let mut selected = Vec::new();
    for name in asked {
        let code = match teams.lookup(name) {
            Some(team) => team.code.clone(),
            None => name.trim().to_uppercase(),
        };
        let matching: Vec<IndicatorRow> =
            rows.iter().filter(|r| r.scope == code).cloned().collect();
        if !matching.is_empty() {
            selected.extend(matching);
        } else if teams.get(&code).is_some() {
            selected.extend(empty_rows(&code, year));
        } else if normalize(name) == NATIONAL {
            selected.extend(rows.iter().filter(|r| r.scope == NATIONAL).cloned());
        } else {
            bail!(
                "--team {name}: no such team in the referential nor in the export's {year} activity; use a code such as ERHR-BRE or CNRHR-CRESAM"
            );
        }
    }
    Ok(selected)
}

pub fn to_json(rows: &[IndicatorRow]) -> Result<String> {
    Ok(serde_json::to_string_pretty(&Document {
        schema_version: SCHEMA_VERSION,
        rows,
    })?)
}

/// The CSV of SPEC §5; with secrecy on, a last column `suppressed`.
pub fn to_csv(rows: &[IndicatorRow], secrecy: bool) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "scope",
        "year",
        "indicator",
        "numerator",
        "denominator",
        "not_filled",
    ];
    if secrecy {
        header.push("suppressed");
    }
    writer.write_record(&header)?;
    let cell = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
    for row in rows {
        let mut record = vec![
            row.scope.clone(),
            row.year.to_string(),
            row.indicator.id().to_string(),
            cell(row.numerator),
            cell(row.denominator),
            cell(row.not_filled),
        ];
        if secrecy {
            record.push(row.suppressed.to_string());
        }
        writer.write_record(&record)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A French table for the terminal: one block per scope.
fn to_table(rows: &[IndicatorRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some(&row.scope) {
            current = Some(&row.scope);
            let title = if row.scope == NATIONAL {
                "National".to_string()
            } else {
                match teams.get(&row.scope) {
                    Some(team) => format!("{} ({})", team.name, team.code),
                    None => format!("{} (hors référentiel)", row.scope),
                }
            };
            out.push_str(&format!("\n{title} — {}\n", row.year));
        }
        let value = match (row.indicator.is_count(), row.numerator, row.percent()) {
            _ if row.suppressed => "masqué".to_string(),
            (true, Some(n), _) => format::int(n),
            (false, _, Some(p)) => format::percent(p),
            _ => "—".to_string(),
        };
        let detail = match (row.numerator, row.denominator, row.not_filled) {
            (Some(n), Some(d), Some(nf)) if !row.indicator.is_count() => {
                format!(
                    "  ({} / {} ; non renseigné : {})",
                    format::int(n),
                    format::int(d),
                    format::int(nf)
                )
            }
            _ => String::new(),
        };
        let label = row.indicator.label();
        let pad = 82usize.saturating_sub(label.chars().count());
        out.push_str(&format!(
            "  {label}{} {value:>7}{detail}\n",
            " ".repeat(pad)
        ));
    }
    out
}
