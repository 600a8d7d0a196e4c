//! `bilan indicators`: SPEC §5 on stdout, as a table, JSON or CSV.

use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::{IndicatorsArgs, IndicatorsFormat};
use crate::console;
use crate::format;
use crate::indicators::{compute, empty_rows, Frames, IndicatorRow};
use crate::job::ExportSource;
use crate::reference::{Scope, Teams};
use crate::render::{indicators_csv, indicators_json};
use crate::secret::{publish_rows, Secrecy};

pub fn run(args: IndicatorsArgs) -> Result<ExitCode> {
    let source = ExportSource::from(args.input);
    let secrecy = args.min_count.map(Secrecy::new);
    let mut loaded = source.load()?;
    let year = loaded.choose_year(args.year)?;
    let findings = loaded.clean.findings.len();
    let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
    // The frames take the acts over: nothing below reads them from `clean`.
    let frames = Frames::new(&mut loaded.clean)?;
    let mut rows = compute(&frames, year)?;
    if let Some(secrecy) = secrecy {
        rows = publish_rows(rows, secrecy);
    }
    if !args.team.is_empty() {
        rows = select_teams(rows, &args.team, &loaded.teams, year)?;
    }
    match args.format {
        IndicatorsFormat::Json => console::stdout(&indicators_json(&rows)?)?,
        IndicatorsFormat::Csv => {
            let with_suppressed = secrecy.is_some_and(Secrecy::enabled);
            console::stdout(&indicators_csv(&rows, with_suppressed)?)?
        }
        IndicatorsFormat::Table => console::stdout(&to_table(&rows, &loaded.teams))?,
    }
    if findings > 0 {
        crate::note!(
            "note: {findings} finding(s) in the export, {excluded} row(s) excluded from the counts; run `bilan validate --input {}` for the details",
            source.input.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps the rows of the asked scopes, in the order asked; a known team
/// without activity in the year gets zero rows.
fn select_teams(
    rows: Vec<IndicatorRow>,
    asked: &[String],
    teams: &Teams,
    year: i32,
) -> Result<Vec<IndicatorRow>> {
    let mut selected = Vec::new();
    for name in asked {
        let scope = teams.scope_of(name);
        let matching: Vec<IndicatorRow> = rows
            .iter()
            .filter(|r| r.scope == scope.code())
            .cloned()
            .collect();
        match &scope {
            _ if !matching.is_empty() => selected.extend(matching),
            Scope::Team(code) if teams.get(code).is_some() => {
                selected.extend(empty_rows(code, year))
            }
            _ => bail!(
                "--team {name}: no such team in the referential nor in the export's {year} activity; use a code such as ERHR-BRE or CNRHR-CRESAM"
            ),
        }
    }
    Ok(selected)
}

/// A French table for the terminal: one block per scope.
fn to_table(rows: &[IndicatorRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some(&row.scope) {
            current = Some(&row.scope);
            let title = match Scope::from_code(&row.scope) {
                Scope::National => "National".to_string(),
                Scope::Team(code) => match teams.get(&code) {
                    Some(team) => format!("{} ({})", team.name, team.code),
                    None => teams.label(&code),
                },
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
