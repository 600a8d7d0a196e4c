//! `bilan indicators`: SPEC §5 on stdout, as a table, JSON or CSV, for a
//! year or a range of years: the indicator rows, the response times, the
//! collective actions by type and by public, and (v3) the legal
//! categories, the diagnoses and the network.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{IndicatorsArgs, IndicatorsFormat, IndicatorsTable};
use crate::console;
use crate::job::{IndicatorsJob, Years};
use crate::reference::Category;
use crate::render::{
    actions_csv, categories_csv, delais_csv, diagnostics_csv, frequent_csv, indicators_csv,
    indicators_json, reseau_csv, terminal, ProfileArrays,
};
use crate::secret::Secrecy;

pub fn run(args: IndicatorsArgs) -> Result<ExitCode> {
    let job = IndicatorsJob::resolve(
        args.input.into(),
        args.year.map(Years::from),
        &args.team,
        args.min_count.map(Secrecy::new),
    )?;
    let figures = job.figures()?;
    let (rows, delais, actions) = (&figures.rows, &figures.delais, &figures.actions);
    let teams = job.teams();
    let profile = ProfileArrays {
        categories: &figures.categories,
        diagnostics: &figures.diagnostics,
        frequent: &figures.frequent,
        reseau: &figures.reseau,
    };
    let text = match (args.format, args.table) {
        (IndicatorsFormat::Json, _) => indicators_json(rows, delais, actions, profile)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Categories) => categories_csv(profile.categories)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Diagnostics) => {
            diagnostics_csv(profile.diagnostics)?
        }
        (IndicatorsFormat::Csv, IndicatorsTable::DiagnosticsFrequents) => {
            frequent_csv(profile.frequent)?
        }
        (IndicatorsFormat::Csv, IndicatorsTable::Reseau) => reseau_csv(profile.reseau)?,
        (IndicatorsFormat::Table, IndicatorsTable::Categories) => {
            terminal::categories_table(profile.categories, teams)
        }
        (IndicatorsFormat::Table, IndicatorsTable::Diagnostics) => {
            terminal::diagnostics_table(profile.diagnostics, teams)
        }
        (IndicatorsFormat::Table, IndicatorsTable::DiagnosticsFrequents) => {
            terminal::frequent_table(profile.frequent)
        }
        (IndicatorsFormat::Table, IndicatorsTable::Reseau) => {
            terminal::reseau_table(profile.reseau, teams)
        }
        (IndicatorsFormat::Csv, IndicatorsTable::Rows) => indicators_csv(rows)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Delais) => delais_csv(delais)?,
        (IndicatorsFormat::Csv, IndicatorsTable::Actions) => {
            actions_csv(&actions.by_type, "type_action")?
        }
        (IndicatorsFormat::Csv, IndicatorsTable::ActionsPublic) => {
            actions_csv(&actions.by_public, "public")?
        }
        (IndicatorsFormat::Table, IndicatorsTable::Rows) => terminal::rows_table(rows, teams),
        (IndicatorsFormat::Table, IndicatorsTable::Delais) => terminal::delais_table(delais, teams),
        (IndicatorsFormat::Table, IndicatorsTable::Actions) => terminal::actions_table(
            &actions.by_type,
            Category::TypeAction,
            teams,
            actions.exported,
        ),
        (IndicatorsFormat::Table, IndicatorsTable::ActionsPublic) => terminal::actions_table(
            &actions.by_public,
            Category::Public,
            teams,
            actions.exported,
        ),
    };
    crate::console::lap("indicators computed");
    console::stdout(&text)?;
    if figures.findings > 0 {
        let (findings, excluded) = (figures.findings, figures.excluded);
        match job.input() {
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
