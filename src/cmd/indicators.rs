//! `bilan indicators`: SPEC §5 on stdout, as a table, JSON or CSV, for a
//! year or a range of years: the indicator rows, the response times, and
//! the collective actions by type and by public.

use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::{IndicatorsArgs, IndicatorsFormat, IndicatorsTable};
use crate::console;
use crate::format;
use crate::indicators::{
    compute_actions, compute_year, empty_rows, ActionRow, DelaiRow, Frames, IndicatorRow,
    YearFigures,
};
use crate::job::{ExportSource, Years};
use crate::reference::{Category, Scope, Teams};
use crate::render::{actions_csv, delais_csv, indicators_csv, indicators_json};
use crate::secret::{publish_year, Secrecy};

pub fn run(args: IndicatorsArgs) -> Result<ExitCode> {
    let source = ExportSource::from(args.input);
    let secrecy = args.min_count.map(Secrecy::new);
    let mut loaded = source.load()?;
    let years = loaded.choose_years(args.year.map(Years::from))?;
    let findings = loaded.clean.findings.len();
    let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
    // The frames take the acts over: nothing below reads them from `clean`.
    let frames = Frames::new(&mut loaded.clean)?;
    crate::console::lap("frames built");
    let (mut rows, mut delais) = (Vec::new(), Vec::new());
    for year in years.iter() {
        let mut figures = compute_year(&frames, year)?;
        if let Some(secrecy) = secrecy {
            figures = publish_year(figures, secrecy);
        }
        if !args.team.is_empty() {
            figures = select_teams(figures, &args.team, &loaded.teams)?;
        }
        rows.extend(figures.rows);
        delais.extend(figures.delais);
    }
    // Collective actions count actions and professionals, not accompanied
    // persons: secrecy leaves them as they are (SPEC §8).
    let years_asked: Vec<i32> = years.iter().collect();
    let mut actions = compute_actions(&frames, &years_asked)?;
    if !args.team.is_empty() {
        let scopes: Vec<String> = args
            .team
            .iter()
            .map(|name| loaded.teams.scope_of(name).code().to_string())
            .collect();
        actions = actions.select(&scopes);
    }
    let with_suppressed = secrecy.is_some_and(Secrecy::enabled);
    let text = match (args.format, args.table) {
        (IndicatorsFormat::Json, _) => indicators_json(&rows, &delais, &actions)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Rows) => indicators_csv(&rows, with_suppressed)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Delais) => delais_csv(&delais, with_suppressed)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Actions) => {
            actions_csv(&actions.by_type, "type_action")?
        }
        (IndicatorsFormat::Csv, IndicatorsTable::ActionsPublic) => {
            actions_csv(&actions.by_public, "public")?
        }
        (IndicatorsFormat::Table, IndicatorsTable::Rows) => to_table(&rows, &loaded.teams),
        (IndicatorsFormat::Table, IndicatorsTable::Delais) => delais_table(&delais, &loaded.teams),
        (IndicatorsFormat::Table, IndicatorsTable::Actions) => actions_table(
            &actions.by_type,
            Category::TypeAction,
            &loaded.teams,
            actions.exported,
        ),
        (IndicatorsFormat::Table, IndicatorsTable::ActionsPublic) => actions_table(
            &actions.by_public,
            Category::Public,
            &loaded.teams,
            actions.exported,
        ),
    };
    crate::console::lap("indicators computed");
    console::stdout(&text)?;
    if findings > 0 {
        match &source.input {
            Some(input) => crate::note!(
                "note: {findings} finding(s) in the export, {excluded} row(s) excluded from the counts; run `bilan validate --input {}` for the details",
                input.display()
            ),
            None => crate::note!(
                "note: {findings} finding(s) in the export, {excluded} row(s) excluded from the counts; run `bilan validate` with the same --usagers, --demandes and --interventions for the details"
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps the figures of the asked scopes, in the order asked; a known team
/// without activity in the year gets zeros.
fn select_teams(figures: YearFigures, asked: &[String], teams: &Teams) -> Result<YearFigures> {
    let year = figures.year;
    let mut selected = YearFigures {
        year,
        rows: Vec::new(),
        delais: Vec::new(),
    };
    for name in asked {
        let scope = teams.scope_of(name);
        let code = scope.code();
        let rows: Vec<IndicatorRow> = figures
            .rows
            .iter()
            .filter(|r| r.scope == code)
            .cloned()
            .collect();
        match &scope {
            _ if !rows.is_empty() => {
                selected.rows.extend(rows);
                selected
                    .delais
                    .extend(figures.delais.iter().filter(|d| d.scope == code).cloned());
            }
            Scope::Team(code) if teams.get(code).is_some() => {
                selected.rows.extend(empty_rows(code, year));
                selected.delais.push(DelaiRow::empty(code, year));
            }
            _ => bail!(
                "--team {name}: no such team in the referential nor in the export's {year} activity; use a code such as ERHR-BRE or CNRHR-CRESAM"
            ),
        }
    }
    Ok(selected)
}

/// A title for a scope in the terminal: `ERHR Bretagne (ERHR-BRE)`.
fn scope_title(scope: &str, teams: &Teams) -> String {
    match Scope::from_code(scope) {
        Scope::National => "National".to_string(),
        Scope::Team(code) => match teams.get(&code) {
            Some(team) => format!("{} ({})", team.name, team.code),
            None => teams.label(&code),
        },
    }
}

/// The response times in French for the terminal: one line per scope.
fn delais_table(delais: &[DelaiRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    let days = |d: Option<u64>| d.map_or("—".to_string(), |d| format!("{d} j"));
    let count = |n: Option<u64>| n.map_or("masqué".to_string(), format::int);
    for row in delais {
        if current != Some(row.year) {
            current = Some(row.year);
            out.push_str(&format!(
                "\nDélais de réponse {} — première demande → première intervention\n  {:<58} {:>9} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9} {:>10}\n",
                row.year, "Périmètre", "Répondues", "Médiane", "P25", "P75", "P90", "≤ 30 j", "≤ 90 j", "En attente"
            ));
        }
        let title: String = scope_title(&row.scope, teams).chars().take(58).collect();
        out.push_str(&format!(
            "  {title:<58} {:>9} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9} {:>10}\n",
            count(row.repondues),
            days(row.delai_median),
            days(row.delai_p25),
            days(row.delai_p75),
            days(row.delai_p90),
            count(row.sous_30_jours),
            count(row.sous_90_jours),
            count(row.en_attente_31_12),
        ));
    }
    out
}

/// A French table for the terminal: one block per scope.
fn to_table(rows: &[IndicatorRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some(&row.scope) {
            current = Some(&row.scope);
            let title = scope_title(&row.scope, teams);
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

/// Collective actions as a French table for the terminal: one block per
/// scope and year, one line per type (or public).
fn actions_table(rows: &[ActionRow], category: Category, teams: &Teams, exported: bool) -> String {
    if !exported {
        return "\nAucune action collective : l’export ne contient pas de table actions.\n"
            .to_string();
    }
    if rows.is_empty() {
        return "\nAucune action collective datée de l’année.\n".to_string();
    }
    let header = match category {
        Category::Public => "Public",
        _ => "Type d’action",
    };
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some((&row.scope, row.year)) {
            current = Some((&row.scope, row.year));
            let title = scope_title(&row.scope, teams);
            out.push_str(&format!(
                "\n{title} — {}\n  {header:<40} {:>8} {:>14} {:>12} {:>12} {:>12}\n",
                row.year, "Actions", "Participants", "renseignés", "Heures", "renseignées"
            ));
        }
        let label = row
            .value
            .map_or("Non renseigné", |code| category.display(code));
        let c = &row.counts;
        out.push_str(&format!(
            "  {label:<40} {:>8} {:>14} {:>12} {:>12} {:>12}\n",
            format::int(c.actions),
            format::int(c.participants),
            format::int(c.participants_renseignes),
            format::decimal(c.hours(), 2),
            format::int(c.heures_renseignees),
        ));
    }
    out
}
