//! The machine-readable files of a report folder and of `bilan indicators`
//! (SPEC §5, §6): `indicators.json`/`.csv`, `delais.csv`, `actions.csv`,
//! `actions_public.csv`, (v3) `categories.csv`, `diagnostics.csv`,
//! `diagnostics_frequents.csv`, `reseau.csv`, `series.json`,
//! `breakdowns.json`, `findings.csv`
//! (the folder's list: `outputs.rs`) and `manifest.json`, each from
//! published figures; and the run's clock.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::format;
use crate::indicators::{
    ActionCounts, ActionFigures, ActionRow, CategoryRow, Cumulated, DelaiRow, DiagnosticRow,
    FrequentDiagnosis, IndicatorRow, NetworkPair,
};
use crate::job::ReportJob;
use crate::reference::Scope;
use crate::secret::ScopeReport;

/// Version of the machine-readable indicator schema (SPEC §5): 3 adds the
/// two indicators of SPEC §4 v3, `hebergement_mixte` in `vit_a_domicile`'s
/// denominator, and the arrays `categories`, `diagnostics`,
/// `diagnostics_frequents` and `reseau`.
pub const SCHEMA_VERSION: u32 = 3;

/// The file that marks a folder as a report written by this tool.
pub const MANIFEST: &str = "manifest.json";

#[derive(Serialize)]
struct IndicatorsJson<'a> {
    schema_version: u32,
    rows: &'a [IndicatorRow],
    delais: &'a [DelaiRow],
    actions: Vec<ActionJson<'a>>,
    actions_public: Vec<ActionPublicJson<'a>>,
    categories: &'a [CategoryRow],
    diagnostics: &'a [DiagnosticRow],
    diagnostics_frequents: &'a [FrequentDiagnosis],
    reseau: &'a [NetworkPair],
}

/// (v3) The arrays schema 3 adds to `indicators.json` (SPEC §5): the legal
/// categories and diagnostics of each scope and year, the national frequent
/// diagnoses, the network's pairs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileArrays<'a> {
    pub categories: &'a [CategoryRow],
    pub diagnostics: &'a [DiagnosticRow],
    pub frequent: &'a [FrequentDiagnosis],
    pub reseau: &'a [NetworkPair],
}

/// One object of `actions` (SPEC §5).
#[derive(Serialize)]
struct ActionJson<'a> {
    scope: &'a Scope,
    year: i32,
    type_action: Option<&'a str>,
    #[serde(flatten)]
    counts: &'a ActionCounts,
}

/// One object of `actions_public` (SPEC §5).
#[derive(Serialize)]
struct ActionPublicJson<'a> {
    scope: &'a Scope,
    year: i32,
    public: Option<&'a str>,
    #[serde(flatten)]
    counts: &'a ActionCounts,
}

/// `indicators.json` (SPEC §5): the indicator rows, the response times,
/// and the collective actions by type and by public.
pub fn indicators_json(
    rows: &[IndicatorRow],
    delais: &[DelaiRow],
    actions: &ActionFigures,
    profile: ProfileArrays,
) -> Result<String> {
    let json = serde_json::to_string_pretty(&IndicatorsJson {
        schema_version: SCHEMA_VERSION,
        rows,
        delais,
        categories: profile.categories,
        diagnostics: profile.diagnostics,
        diagnostics_frequents: profile.frequent,
        reseau: profile.reseau,
        actions: actions
            .by_type
            .iter()
            .map(|r| ActionJson {
                scope: &r.scope,
                year: r.year,
                type_action: r.value,
                counts: &r.counts,
            })
            .collect(),
        actions_public: actions
            .by_public
            .iter()
            .map(|r| ActionPublicJson {
                scope: &r.scope,
                year: r.year,
                public: r.value,
                counts: &r.counts,
            })
            .collect(),
    })?;
    Ok(format!("{json}\n"))
}

/// `indicators.json` of a report folder: its published rows, response
/// times and collective actions of the year.
pub fn indicators_json_of(report: &ScopeReport) -> Result<String> {
    let (categories, diagnostics) = (report.categories(), report.diagnostics());
    let network = report.network();
    indicators_json(
        &report.rows(),
        &report.delais(),
        &report.published_actions(),
        ProfileArrays {
            categories: &categories,
            diagnostics: &diagnostics,
            frequent: report.frequent(),
            reseau: &network.pairs,
        },
    )
}

/// (v3) `categories.csv` of a report folder.
pub fn categories_csv_of(report: &ScopeReport) -> Result<String> {
    categories_csv(&report.categories())
}

/// (v3) `diagnostics.csv` of a report folder.
pub fn diagnostics_csv_of(report: &ScopeReport) -> Result<String> {
    diagnostics_csv(&report.diagnostics())
}

/// (v3) `diagnostics_frequents.csv` of a report folder (national only:
/// a team's folder has the header alone).
pub fn frequent_csv_of(report: &ScopeReport) -> Result<String> {
    frequent_csv(report.frequent())
}

/// (v3) `reseau.csv` of a report folder.
pub fn reseau_csv_of(report: &ScopeReport) -> Result<String> {
    reseau_csv(&report.network().pairs)
}

/// (v3) `categories.csv` (SPEC §5): the keys of `categories`, then
/// `suppressed` whatever the options.
pub fn categories_csv(rows: &[CategoryRow]) -> Result<String> {
    let header = [
        "scope",
        "year",
        "categorie",
        "personnes",
        "denominateur",
        "non_renseignes",
    ];
    let rows = rows.iter().map(|row| {
        let record = vec![
            row.scope.code().to_string(),
            row.year.to_string(),
            row.categorie.code().to_string(),
            cell(row.personnes),
            cell(row.denominateur),
            cell(row.non_renseignes),
        ];
        (record, row.suppressed)
    });
    masked_csv(&header, rows)
}

/// (v3) `diagnostics.csv` (SPEC §5), with `suppressed`.
pub fn diagnostics_csv(rows: &[DiagnosticRow]) -> Result<String> {
    let header = [
        "scope",
        "year",
        "personnes_avec_code",
        "maladies_distinctes",
        "diagnostiquees_sans_code",
    ];
    let rows = rows.iter().map(|row| {
        let record = vec![
            row.scope.code().to_string(),
            row.year.to_string(),
            cell(row.personnes_avec_code),
            cell(row.maladies_distinctes),
            cell(row.diagnostiquees_sans_code),
        ];
        (record, row.suppressed)
    });
    masked_csv(&header, rows)
}

/// (v3) `diagnostics_frequents.csv` (SPEC §5): a list secrecy cuts rather
/// than masks, without `suppressed`; an empty label without a nomenclature.
pub fn frequent_csv(list: &[FrequentDiagnosis]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["year", "code", "label", "personnes"])?;
    for d in list {
        writer.write_record([
            d.year.to_string(),
            d.code.to_string(),
            d.label.clone().unwrap_or_default(),
            d.personnes.to_string(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// (v3) `reseau.csv` (SPEC §5), with `suppressed`.
pub fn reseau_csv(pairs: &[NetworkPair]) -> Result<String> {
    let rows = pairs.iter().map(|p| {
        let record = vec![
            p.year.to_string(),
            p.erhr.clone(),
            p.cnrhr.clone(),
            cell(p.personnes),
        ];
        (record, p.suppressed)
    });
    masked_csv(&["year", "erhr", "cnrhr", "personnes"], rows)
}

/// `indicators.csv` of a report folder.
pub fn indicators_csv_of(report: &ScopeReport) -> Result<String> {
    indicators_csv(&report.rows())
}

/// `delais.csv` of a report folder.
pub fn delais_csv_of(report: &ScopeReport) -> Result<String> {
    delais_csv(&report.delais())
}

/// `actions.csv` of a report folder: the year's actions by type.
pub fn actions_csv_of(report: &ScopeReport) -> Result<String> {
    actions_csv(&report.published_actions().by_type, "type_action")
}

/// `actions_public.csv` of a report folder: the year's actions by public.
pub fn actions_public_csv_of(report: &ScopeReport) -> Result<String> {
    actions_csv(&report.published_actions().by_public, "public")
}

/// A CSV of rows that secrecy may mask: `header`, then each row's cells
/// (an empty cell for null), and always a last column `suppressed`, with
/// or without `--min-count`, so that the file's schema does not depend on
/// the options (SPEC §5 v3; `datapackage.json` describes it).
fn masked_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = (Vec<String>, bool)>,
) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = header.to_vec();
    header.push("suppressed");
    writer.write_record(&header)?;
    for (mut record, suppressed) in rows {
        record.push(suppressed.to_string());
        writer.write_record(&record)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A figure's CSV cell: empty for null.
fn cell(value: Option<u64>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// `delais.csv` (SPEC §5): the keys of `delais` as header.
pub fn delais_csv(delais: &[DelaiRow]) -> Result<String> {
    let header = [
        "scope",
        "year",
        "repondues",
        "delai_median",
        "delai_p25",
        "delai_p75",
        "delai_p90",
        "sous_30_jours",
        "sous_90_jours",
        "en_attente_31_12",
    ];
    let rows = delais.iter().map(|row| {
        let mut record = vec![row.scope.code().to_string(), row.year.to_string()];
        record.extend(
            [
                row.repondues,
                row.delai_median,
                row.delai_p25,
                row.delai_p75,
                row.delai_p90,
                row.sous_30_jours,
                row.sous_90_jours,
                row.en_attente_31_12,
            ]
            .map(cell),
        );
        (record, row.suppressed)
    });
    masked_csv(&header, rows)
}

/// `actions.csv` or `actions_public.csv` (SPEC §5): the keys of the JSON
/// objects as header, `key` (`type_action` or `public`) naming the value;
/// an empty cell for `null`. A header only when there is no row.
pub fn actions_csv(rows: &[ActionRow], key: &str) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "scope",
        "year",
        key,
        "actions",
        "participants",
        "participants_renseignes",
        "heures",
        "heures_renseignees",
    ])?;
    for row in rows {
        let c = &row.counts;
        writer.write_record([
            row.scope.code().to_string(),
            row.year.to_string(),
            row.value.unwrap_or_default().to_string(),
            c.actions.to_string(),
            c.participants.to_string(),
            c.participants_renseignes.to_string(),
            c.hours().to_string(),
            c.heures_renseignees.to_string(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// `indicators.csv` (SPEC §5), ending with `suppressed`.
pub fn indicators_csv(rows: &[IndicatorRow]) -> Result<String> {
    let header = [
        "scope",
        "year",
        "indicator",
        "numerator",
        "denominator",
        "not_filled",
    ];
    let rows = rows.iter().map(|row| {
        let record = vec![
            row.scope.code().to_string(),
            row.year.to_string(),
            row.indicator.id().to_string(),
            cell(row.numerator),
            cell(row.denominator),
            cell(row.not_filled),
        ];
        (record, row.suppressed)
    });
    masked_csv(&header, rows)
}

#[derive(Serialize)]
struct SeriesJson<'a> {
    schema_version: u32,
    first_year: i32,
    last_year: i32,
    years: Vec<SeriesYearJson<'a>>,
}

#[derive(Serialize)]
struct SeriesYearJson<'a> {
    year: i32,
    /// Whether the export has any demande or intervention in the year.
    active: bool,
    rows: Vec<&'a IndicatorRow>,
    delais: Vec<&'a DelaiRow>,
    cumulated: Vec<&'a Cumulated>,
    /// Collective actions of the year by type (SPEC §4.4); empty when the
    /// export has no actions table.
    actions: Vec<ActionJson<'a>>,
}

/// `series.json` (SPEC §4.3): every year from A to Y as published, for the
/// folder's scope (the national folder: every scope).
pub fn series_json(report: &ScopeReport) -> Result<String> {
    let scope = report.scope();
    let mine = |s: &Scope| scope.is_national() || s == scope;
    let years: Vec<SeriesYearJson> = report
        .series()
        .iter()
        .map(|year| SeriesYearJson {
            year: year.figures.year,
            active: year.active,
            rows: year
                .figures
                .rows
                .iter()
                .filter(|r| mine(&r.scope))
                .collect(),
            delais: year
                .figures
                .delais
                .iter()
                .filter(|d| mine(&d.scope))
                .collect(),
            cumulated: year.cumulated.iter().filter(|c| mine(&c.scope)).collect(),
            actions: report
                .actions()
                .by_type
                .iter()
                .filter(|r| r.year == year.figures.year && mine(&r.scope))
                .map(|r| ActionJson {
                    scope: &r.scope,
                    year: r.year,
                    type_action: r.value,
                    counts: &r.counts,
                })
                .collect(),
        })
        .collect();
    let json = SeriesJson {
        schema_version: SCHEMA_VERSION,
        first_year: years.first().map_or(report.year(), |y| y.year),
        last_year: report.year(),
        years,
    };
    Ok(format!("{}\n", serde_json::to_string_pretty(&json)?))
}

/// `breakdowns.json`: every table of the report, as published.
pub fn breakdowns_json(report: &ScopeReport) -> Result<String> {
    Ok(format!(
        "{}\n",
        serde_json::to_string_pretty(report.tables())?
    ))
}

/// `findings.csv`: every finding, with personal data masked. Occurrence
/// counts are data-quality figures, published as they are (SPEC §8).
pub fn findings_csv(report: &ScopeReport) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "rule", "file", "line", "column", "value", "id", "count", "lines", "message",
    ])?;
    for f in report.findings() {
        let lines: Vec<String> = f.lines.iter().map(u64::to_string).collect();
        writer.write_record([
            f.rule.code().to_string(),
            f.file.clone(),
            f.line.map_or(String::new(), |l| l.to_string()),
            f.column.clone().unwrap_or_default(),
            f.shown_value().to_string(),
            f.id.clone().unwrap_or_default(),
            f.count.to_string(),
            lines.join(" "),
            f.message.clone(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: u32,
    tool: &'static str,
    version: &'static str,
    year: i32,
    scope: &'a Scope,
    generated_on: Option<String>,
    min_count: u64,
    options: ManifestOptions,
    inputs: Vec<serde_json::Value>,
    outputs: Vec<OutputFile>,
}

#[derive(Serialize)]
struct ManifestOptions {
    teams: String,
    columns: Option<String>,
    templates: Option<String>,
    pdf: bool,
}

/// One file of the report folder, for the manifest.
#[derive(Debug, Clone, Serialize)]
struct OutputFile {
    file: String,
    sha256: String,
}

/// `manifest.json` of the folder `dir`, written last: the options, the
/// inputs with their row counts (data quality, published as they are) and
/// the SHA-256 of every file already in the folder, the PDF excepted (it
/// embeds its own creation time).
pub fn manifest_json(
    report: &ScopeReport,
    job: &ReportJob,
    scope: &Scope,
    dir: &Path,
) -> Result<String> {
    let inputs = report
        .files()
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        tool: "bilan",
        version: env!("CARGO_PKG_VERSION"),
        year: report.year(),
        scope,
        generated_on: generated_on(),
        min_count: report.secrecy().min_count,
        options: ManifestOptions {
            teams: file_label(&job.source.teams).unwrap_or_else(|| "built-in".to_string()),
            columns: file_label(&job.source.columns),
            templates: file_label(&job.templates),
            pdf: job.chrome.is_some(),
        },
        inputs,
        outputs: list_outputs(dir)?
            .into_iter()
            .filter(|o| !o.file.ends_with(super::PDF))
            .collect(),
    };
    Ok(format!("{}\n", serde_json::to_string_pretty(&manifest)?))
}

/// The date of `SOURCE_DATE_EPOCH`, when set: outputs carry no wall-clock
/// time otherwise, so that two runs give identical bytes.
pub fn generated_on() -> Option<String> {
    Some(format::date(format::date_of_epoch(source_date_epoch()?)))
}

/// `SOURCE_DATE_EPOCH` in seconds, when set to a number.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn file_label(path: &Option<PathBuf>) -> Option<String> {
    path.as_ref().map(|p| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    })
}

/// Lists the files under `dir` (recursively, as `folder/file` paths) with
/// their SHA-256, by path.
fn list_outputs(dir: &Path) -> Result<Vec<OutputFile>> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<OutputFile>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, files)?;
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let file = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(OutputFile {
                sha256: crate::ingest::sha256_of(&path)?,
                file,
            });
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(files)
}
