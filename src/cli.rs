//! The command line (SPEC §7). The `///` comments are the help text.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::reference::FileKind;

/// Turns Mediateam CSV exports into the yearly bilan d'activité of the
/// Dispositif intégré handicaps rares (DIHR).
#[derive(Debug, Parser)]
#[command(name = "bilan", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the bilan d'activité: a French HTML report (and PDF), with
    /// indicators.json/csv, findings.csv and manifest.json beside it.
    Report(ReportArgs),
    /// Print the indicators, the response times, the collective actions,
    /// the legal categories, the diagnoses and the network of a year (or a
    /// range of years), national and per team.
    Indicators(IndicatorsArgs),
    /// Check an export and list every problem found (findings).
    Validate(ValidateArgs),
    /// Write a synthetic export in the dialect of real ones.
    Sample(SampleArgs),
    /// Print a completion script for a shell (see the README to install it).
    Completions(CompletionsArgs),
    /// Print a manual page (roff): `bilan man > bilan.1`, and one per
    /// command: `bilan man report > bilan-report.1`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print [default: the page of bilan itself,
    /// which lists the commands].
    #[arg(value_parser = COMMANDS)]
    pub command: Option<String>,
}

/// The names of the subcommands, for `bilan man COMMAND`.
pub const COMMANDS: [&str; 6] = [
    "report",
    "indicators",
    "validate",
    "sample",
    "completions",
    "man",
];

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells of SPEC §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(name = "powershell")]
    PowerShell,
}

/// Where the export is and how to read it.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// The export folder (the Mediateam files usagers, demandes,
    /// interventions and, optionally, actions).
    ///
    /// Each table is a file (.csv, .txt, .tsv, .xlsx, .xlsm, .xls, .ods) or
    /// a workbook sheet whose name holds the word usagers, demandes,
    /// interventions or actions (e.g. export_usagers_20250105.csv). May be
    /// left out when --usagers, --demandes and --interventions are all
    /// given.
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present_all = ["usagers", "demandes", "interventions"]
    )]
    pub input: Option<PathBuf>,
    /// The usagers table, when its name does not say so or several files
    /// do.
    ///
    /// A file, or FILE#SHEET for one sheet of a workbook. Repeat it to
    /// read a table kept in several files (one export per year, or an
    /// older then a newer one) as one, in the order given: a row whose id
    /// an earlier file already had replaces it.
    #[arg(long, value_name = "FILE[#SHEET]")]
    pub usagers: Vec<PathBuf>,
    /// The demandes table (a file, or FILE#SHEET; repeatable), as for
    /// --usagers.
    #[arg(long, value_name = "FILE[#SHEET]")]
    pub demandes: Vec<PathBuf>,
    /// The interventions table (a file, or FILE#SHEET; repeatable), as for
    /// --usagers.
    #[arg(long, value_name = "FILE[#SHEET]")]
    pub interventions: Vec<PathBuf>,
    /// The optional collective actions table (a file, or FILE#SHEET;
    /// repeatable), as for --usagers.
    #[arg(long, value_name = "FILE[#SHEET]")]
    pub actions: Vec<PathBuf>,
    /// Your own team referential (CSV with the columns code,name,kind,regions)
    /// instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub teams: Option<PathBuf>,
    /// Your own header names (CSV with the columns file,column,header), for
    /// a site whose exports name columns differently.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// An ORPHA nomenclature (CSV with the columns code,label, e.g.
    /// extracted from Orphadata: see docs/orpha.md) that names the most
    /// frequent diagnoses; without it they are written ORPHA:558.
    #[arg(long, value_name = "FILE")]
    pub orpha_labels: Option<PathBuf>,
}

impl InputArgs {
    /// The tables named on the command line, owned.
    pub fn named_tables_owned(&self) -> Vec<(FileKind, PathBuf)> {
        self.named_tables()
            .into_iter()
            .map(|(kind, path)| (kind, path.to_path_buf()))
            .collect()
    }

    /// The tables named on the command line (`--usagers` and the like),
    /// each table's files in the order given.
    pub fn named_tables(&self) -> Vec<(FileKind, &Path)> {
        [
            (FileKind::Usagers, &self.usagers),
            (FileKind::Demandes, &self.demandes),
            (FileKind::Interventions, &self.interventions),
            (FileKind::Actions, &self.actions),
        ]
        .into_iter()
        .flat_map(|(kind, paths)| paths.iter().map(move |path| (kind, path.as_path())))
        .collect()
    }
}

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Calendar year of the bilan, or a range of years (2015-2024)
    /// [default: the latest year with activity].
    #[arg(long, value_name = "Y|A-B", value_parser = year_or_range, help_heading = "Figures")]
    pub year: Option<(i32, i32)>,
    /// Only this team (code or name); repeat for several. Without it: the
    /// national scope, then every team active in the year.
    #[arg(long, value_name = "CODE", help_heading = "Figures")]
    pub team: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = IndicatorsFormat::Table, help_heading = "Figures")]
    pub format: IndicatorsFormat,
    /// Which table to print as CSV or in the terminal (JSON holds them all).
    #[arg(long, value_enum, default_value_t = IndicatorsTable::Rows, help_heading = "Figures")]
    pub table: IndicatorsTable,
    /// Apply statistical secrecy (mask counts from 1 to K−1) as in the
    /// published report; without it, the analyst sees exact figures.
    #[arg(long, value_name = "K", help_heading = "Secrecy")]
    pub min_count: Option<u64>,
}

/// `2024` or `2015-2024`, as (first, last).
fn year_or_range(text: &str) -> Result<(i32, i32), String> {
    let year = |part: &str| -> Result<i32, String> {
        match part.trim().parse::<i32>() {
            Ok(year) if (1..=9999).contains(&year) => Ok(year),
            _ => Err(format!(
                "{:?} is not a calendar year (1 to 9999); write a year (2024) or a range (2015-2024)",
                part.trim()
            )),
        }
    };
    let (first, last) = match text.split_once('-') {
        Some((first, last)) => (year(first)?, year(last)?),
        None => (year(text)?, year(text)?),
    };
    if first > last {
        return Err(format!(
            "{text}: the first year comes after the last; write the range as FIRST-LAST"
        ));
    }
    Ok((first, last))
}

/// Which table of SPEC §5 `--format csv` (and the terminal) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndicatorsTable {
    /// The indicators: scope,year,indicator,numerator,denominator,not_filled.
    Rows,
    /// Response times (délais): first demande → first answer.
    Delais,
    /// Collective actions by type (SPEC §4.4).
    Actions,
    /// Collective actions by public.
    #[value(name = "actions_public")]
    ActionsPublic,
    /// The legal categories of handicap rare (art. D312-194 CASF).
    Categories,
    /// Persons with an ORPHA code, distinct diseases, diagnosed without code.
    Diagnostics,
    /// The most frequent diagnoses, national.
    #[value(name = "diagnostics_frequents")]
    DiagnosticsFrequents,
    /// Persons followed by both an ERHR and a CNRHR, by pair.
    Reseau,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndicatorsFormat {
    /// A table to read in a terminal, in French.
    Table,
    /// The JSON object of the spec (schema_version 3): rows, delais,
    /// actions, actions_public, categories, diagnostics,
    /// diagnostics_frequents and reseau.
    Json,
    /// CSV of the table chosen by --table (rows:
    /// scope,year,indicator,numerator,denominator,not_filled).
    Csv,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Year whose checks depend on it (birth dates, history before it)
    /// [default: the latest year with activity].
    #[arg(long, value_name = "Y", help_heading = "Checks")]
    pub year: Option<i32>,
    /// Exit with code 3 when there is any finding (for CI).
    #[arg(long, help_heading = "Checks")]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text, help_heading = "Checks")]
    pub format: ValidateFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// A summary: rows per file, findings by rule, the first lines of each.
    Text,
    /// Every finding, as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to create with the synthetic export (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed of the random generator: the same seed and options give the same files.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Size of the network: the persons (dossiers usagers) of the ten
    /// years that end with the last year of --years. With 6000, the years
    /// reproduce the published bilans exactly (2024: 2 345 persons
    /// accompanied, 627 new, 590 sans solution; 2021: 2 436); other sizes
    /// scale the counts and keep the rates.
    #[arg(long, default_value_t = 6000)]
    pub persons: u64,
    /// Years of the export, as FIRST-LAST. The last one plays 2024 and the
    /// years before it the years before 2024; activity starts nine years
    /// before the last (the first teams, 2015) and only persons active in
    /// the window are written.
    #[arg(long, value_name = "A-B", default_value = "2015-2024")]
    pub years: String,
    /// No bad rows and no unknown values (for benchmarks): every row is
    /// kept and `bilan validate` has nothing to say.
    #[arg(long)]
    pub clean: bool,
    /// Write the export as a database dump would: UTF-8 with LF line ends,
    /// the spec's column names (`id_usager`, `date_naissance`, …), codes
    /// instead of labels (`diagnostiquee`, `domicile_familial`), team
    /// codes, empty cells for what is not filled in. Same persons, acts
    /// and figures as without it.
    #[arg(long)]
    pub canonical: bool,
    /// How the act files list their rows: by date (as Mediateam exports
    /// them), or grouped by person (as a database dump ordered by dossier
    /// would be; with --clean only). Same rows, ids and figures.
    #[arg(long, value_enum, default_value_t = SampleOrder::Date)]
    pub order: SampleOrder,
    /// Files to write.
    #[arg(long, value_enum, default_value_t = SampleFormat::Csv)]
    pub format: SampleFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleOrder {
    /// Acts by date, then person.
    Date,
    /// Acts by person, then date.
    Person,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleFormat {
    /// usagers.csv, demandes.csv, interventions.csv (Windows-1252, `;`).
    Csv,
    /// usagers.xlsx, demandes.xlsx, interventions.xlsx, dates as date cells
    /// (a ragged CSV row cannot exist in a sheet and is left out).
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Calendar year of the bilan [default: the latest year with activity].
    #[arg(long, value_name = "Y", help_heading = "Period")]
    pub year: Option<i32>,
    /// First year of the report's « Évolution » section (the series over
    /// the years) [default: the first year with activity in the export].
    #[arg(long, value_name = "A", help_heading = "Period")]
    pub since: Option<i32>,
    /// Folder to write the report into [default: bilan-Y]. A previous
    /// report there is replaced; any other non-empty folder is refused.
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub out: Option<PathBuf>,
    /// Also print the report to PDF (bilan.pdf); needs Chromium or Chrome.
    ///
    /// Printed with headless Chromium, which must be installed: tagged
    /// (PDF/UA), bookmarks by section, and the
    /// Sommaire's page numbers read back from a first print. One browser
    /// prints every report of the run.
    #[arg(long, help_heading = "Output")]
    pub pdf: bool,
    /// The Chromium or Chrome program for --pdf [default: found on PATH].
    #[arg(long, value_name = "PATH", help_heading = "Output")]
    pub chrome: Option<PathBuf>,
    /// Your own copies of report templates (any file of report_templates/,
    /// by name), used instead of the built-in ones.
    #[arg(long, value_name = "DIR", help_heading = "Wording")]
    pub templates: Option<PathBuf>,
    /// Your own texts, placed in the report (edito.md,
    /// faits_marquants.md, perspectives.md).
    ///
    /// A folder holding edito.md, faits_marquants.md and perspectives.md
    /// (Markdown, each optional). With --by-team they go in the national
    /// report.
    #[arg(long, value_name = "DIR", help_heading = "Wording")]
    pub textes: Option<PathBuf>,
    /// Write the data handed to the templates as JSON to FILE, for someone
    /// rewording a template (with --by-team: the national report's).
    #[arg(long, value_name = "FILE", help_heading = "Wording")]
    pub dump_context: Option<PathBuf>,
    /// Also write one report per team active in the year, each in its own
    /// folder (OUT/national, OUT/ERHR-BRE, …), with OUT/index.html listing them.
    #[arg(long, help_heading = "Output")]
    pub by_team: bool,
    /// Only this team's report (code or name); repeat for several. Implies
    /// per-team folders, without the national report.
    #[arg(long, value_name = "CODE", help_heading = "Output")]
    pub team: Vec<String>,
    /// Statistical secrecy: mask every count of persons from 1 to K−1.
    ///
    /// A small count reads "< K", a count masked so that a small one
    /// cannot be worked out reads "s", in every published file.
    /// --min-count 1 turns it off and stamps "Diffusion restreinte" on
    /// every page.
    #[arg(long, value_name = "K", default_value_t = 5, help_heading = "Secrecy")]
    pub min_count: u64,
}
