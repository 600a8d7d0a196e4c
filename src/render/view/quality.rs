//! The analyst's page `controle.html` (SPEC §6: "what is published and
//! what stays internal"): the export's files with their sizes, encodings
//! and SHA-256, the tool's version and options, rows read, kept and
//! excluded per file, fill rates by file, the year-on-year moves to check,
//! findings by rule with their first rows. Never meant for publication:
//! the published report has its short *Sources et limites* instead
//! (`sources.rs`).

use serde::Serialize;

use super::parts::{Cell, TableView};
use crate::format;
use crate::reference::column_label;
use crate::secret::{PublishedFinding, ScopeReport};
use crate::validate::{FileSummary, Finding, Rule};

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub name: String,
    pub encoding: String,
    pub delimiter: String,
    pub size: String,
    pub rows_read: String,
    pub rows_kept: String,
    pub rows_excluded: String,
    pub sha256: String,
    pub absent_columns: String,
    /// (v3) The rows of earlier files of the table that this file's rows
    /// replaced; empty when none.
    pub rows_replaced: String,
}

/// What `controle.html` shows.
#[derive(Debug, Clone, Serialize)]
pub struct ControlView {
    pub title: String,
    pub scope_label: String,
    pub year: i32,
    pub previous_year: i32,
    pub has_previous: bool,
    /// The export's folder name.
    pub export: String,
    pub period: String,
    pub tool: String,
    /// The options of the run, as the analyst gave them.
    pub options: Vec<(String, String)>,
    pub generated_on: Option<String>,
    pub quality: QualityView,
}

/// The analyst's page of one scope's report.
pub fn control(report: &ScopeReport, about: &super::About) -> ControlView {
    ControlView {
        title: format!(
            "Contrôle avant publication — Bilan d’activité {}",
            report.year()
        ),
        scope_label: report.scope().label(report.teams()),
        year: report.year(),
        previous_year: report.year() - 1,
        has_previous: report.has_previous(),
        export: about.export_name.clone(),
        period: report
            .period()
            .map_or("aucune activité datée".to_string(), |(a, b)| {
                format!("du {} au {}", format::date(a), format::date(b))
            }),
        tool: format!("bilan {}", about.tool_version),
        options: about.options.clone(),
        generated_on: about.generated_on.clone(),
        quality: quality(report),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityView {
    pub files: Vec<FileView>,
    /// What the files' counts cover, in a team's page: the whole export,
    /// where the rest of the page is the team's.
    pub files_note: Option<String>,
    /// The year-on-year moves to check before publication.
    pub checks: TableView,
    pub fill_rates: TableView,
    pub total_findings: String,
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub code: &'static str,
    pub explanation: String,
    pub count: String,
    /// `count`, as a number: for the workbook.
    #[serde(skip)]
    pub occurrences: u64,
    pub effect: &'static str,
    pub examples: Vec<Vec<String>>,
}

/// How many example rows the report shows per rule.
const EXAMPLES: usize = 5;

pub fn file_view(file: &FileSummary) -> FileView {
    FileView {
        name: file.name.clone(),
        encoding: file.encoding.to_string(),
        delimiter: match file.delimiter {
            Some(';') => "point-virgule".to_string(),
            Some(',') => "virgule".to_string(),
            Some(_) => "tabulation".to_string(),
            None => "aucun (classeur)".to_string(),
        },
        size: format!("{} Ko", format::decimal(file.size as f64 / 1024.0, 0)),
        rows_read: format::int(file.rows_read),
        rows_kept: format::int(file.rows_kept),
        rows_excluded: format::int(file.rows_excluded),
        sha256: file.sha256.clone().unwrap_or_default(),
        absent_columns: file.absent_columns.join(", "),
        rows_replaced: match file.rows_replaced {
            0 => String::new(),
            n => format::int(n),
        },
    }
}

/// `12, 13, …` for a finding's lines (`—` when it has none).
pub(crate) fn lines_of(finding: &Finding) -> String {
    match finding.lines.as_slice() {
        [] => "—".to_string(),
        [line] => format::int(*line),
        many => {
            let list: Vec<String> = many.iter().map(|l| format::int(*l)).collect();
            let more = if finding.count > many.len() as u64 {
                ", …"
            } else {
                ""
            };
            format!("{}{more}", list.join(", "))
        }
    }
}

pub fn quality(report: &ScopeReport) -> QualityView {
    let fill_rates = TableView::new(
        "Taux de remplissage des champs",
        vec![
            "Fichier".into(),
            "Champ".into(),
            "Renseigné".into(),
            "Lignes".into(),
            "Taux".into(),
        ],
        report
            .tables()
            .fill_rates
            .iter()
            .map(|f| {
                vec![
                    Cell::Text(format!("{}.csv", f.file)),
                    Cell::text(column_label(f.file, f.column)),
                    Cell::count(f.filled),
                    Cell::count(f.rows),
                    Cell::Share(f.filled.into(), f.rows.into()),
                ]
            })
            .collect(),
        Some("Une valeur illisible ou hors nomenclature compte comme non renseignée.".to_string()),
        report.secrecy(),
    );
    let findings = report.findings();
    let mut rules = Vec::new();
    for rule in Rule::ALL {
        let of_rule: Vec<&PublishedFinding> = findings.iter().filter(|f| f.rule == rule).collect();
        if of_rule.is_empty() {
            continue;
        }
        let count: u64 = of_rule.iter().map(|f| f.count).sum();
        let examples = of_rule
            .iter()
            .take(EXAMPLES)
            .map(|f| {
                vec![
                    f.file.clone(),
                    lines_of(f),
                    f.column.clone().unwrap_or_default(),
                    format::shown(f.shown_value()).into_owned(),
                    format::typography(&f.message),
                ]
            })
            .collect();
        rules.push(RuleView {
            code: rule.code(),
            explanation: format::typography(rule.explanation()),
            count: format::int(count),
            occurrences: count,
            effect: if rule.excludes_row() {
                "lignes écartées"
            } else {
                "lignes conservées"
            },
            examples,
        });
    }
    let total: u64 = findings.iter().map(|f| f.count).sum();
    QualityView {
        files: report.files().iter().map(file_view).collect(),
        files_note: (!report.scope().is_national()).then(|| {
            "Les fichiers de l’export entier, toutes équipes confondues ; les taux de remplissage, les évolutions et les signalements ci-dessous portent sur les lignes de l’équipe.".to_string()
        }),
        checks: super::checks::checks(report),
        fill_rates,
        total_findings: format::int(total),
        rules,
    }
}
