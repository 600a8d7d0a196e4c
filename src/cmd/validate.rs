//! `bilan validate`: the findings of an export, as a summary or as JSON.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::exit;
use crate::cli::{ValidateArgs, ValidateFormat};
use crate::console;
use crate::format;
use crate::job::ExportSource;
use crate::validate::{FileSummary, Finding, Rule};

/// Version of the JSON of `bilan validate --format json`.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct ValidationJson<'a> {
    schema_version: u32,
    year: Option<i32>,
    files: &'a [FileSummary],
    findings: &'a [Finding],
}

pub fn run(args: ValidateArgs) -> Result<ExitCode> {
    let mut loaded = ExportSource::from(args.input).load()?;
    // Without --year, an export with no dated activity has no year-bound
    // checks rather than failing.
    let year = match args.year {
        Some(_) => Some(loaded.choose_year(args.year)?),
        None => loaded.choose_year(None).ok(),
    };
    let clean = &loaded.clean;
    let findings = &clean.findings;
    match args.format {
        ValidateFormat::Json => {
            let report = ValidationJson {
                schema_version: SCHEMA_VERSION,
                year,
                files: &clean.files,
                findings,
            };
            console::stdout(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
        }
        ValidateFormat::Text => console::stdout(&summary(&clean.files, findings, year))?,
    }
    if args.strict && !findings.is_empty() {
        crate::note!(
            "--strict: {} finding(s), exiting with code 3",
            findings.len()
        );
        return Ok(ExitCode::from(exit::FINDINGS));
    }
    Ok(ExitCode::SUCCESS)
}

/// How many example findings the text summary shows per rule.
const EXAMPLES: usize = 5;

fn summary(files: &[FileSummary], findings: &[Finding], year: Option<i32>) -> String {
    let mut out = String::new();
    out.push_str("Files\n");
    for file in files {
        out.push_str(&format!(
            "  {:<20} {:<13} delimiter {}  rows read {:>7}  kept {:>7}  excluded {:>6}\n",
            file.name,
            file.encoding,
            // A workbook's sheet has none.
            file.delimiter
                .map_or("none".to_string(), |d| format!("{d:?}")),
            file.rows_read,
            file.rows_kept,
            file.rows_excluded
        ));
        if file.rows_replaced > 0 {
            out.push_str(&format!(
                "  {:<20} replaced {} row(s) of earlier files of its table (same id)\n",
                "", file.rows_replaced
            ));
        }
        if !file.absent_columns.is_empty() {
            out.push_str(&format!(
                "  {:<20} optional columns absent (not filled in): {}\n",
                "",
                file.absent_columns.join(", ")
            ));
        }
    }
    if let Some(year) = year {
        out.push_str(&format!("Year checked: {year}\n"));
    }
    let mut by_rule: BTreeMap<Rule, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_rule.entry(finding.rule).or_default().push(finding);
    }
    if by_rule.is_empty() {
        out.push_str("No findings: every row was read and kept.\n");
        return out;
    }
    let total: u64 = findings.iter().map(|f| f.count).sum();
    out.push_str(&format!(
        "Findings: {total} occurrence(s) of {} rule(s)\n",
        by_rule.len()
    ));
    for (rule, list) in &by_rule {
        let count: u64 = list.iter().map(|f| f.count).sum();
        let effect = if rule.excludes_row() {
            "rows excluded"
        } else {
            "rows kept"
        };
        out.push_str(&format!(
            "\n  {} — {count} ({effect})\n    {}\n",
            rule.code(),
            rule.explanation()
        ));
        for finding in list.iter().take(EXAMPLES) {
            out.push_str(&format!("    {}\n", locate(finding)));
            out.push_str(&format!("      {}\n", finding.message));
        }
        if list.len() > EXAMPLES {
            out.push_str(&format!(
                "    … and {} more (use --format json for all)\n",
                list.len() - EXAMPLES
            ));
        }
    }
    out
}

/// A value as the terminal shows it: quoted, and cut after
/// [`format::SHOWN_CHARS`] characters with its length (a cell can hold a
/// whole text pasted in the wrong column).
fn quoted(value: &str) -> String {
    match format::cut(value, format::SHOWN_CHARS) {
        None => format!("{value:?}"),
        Some((start, length)) => format!("{start:?}… ({length} characters)"),
    }
}

/// `demandes.csv line 12, column date_demande, value "31/02/2024"`.
fn locate(finding: &Finding) -> String {
    let mut parts = vec![finding.file.clone()];
    match finding.lines.as_slice() {
        [] => {}
        [line] => parts.push(format!("line {line}")),
        lines => {
            let list: Vec<String> = lines.iter().map(u64::to_string).collect();
            let more = if finding.count > lines.len() as u64 {
                ", …"
            } else {
                ""
            };
            parts.push(format!(
                "lines {}{more} ({} rows)",
                list.join(", "),
                finding.count
            ));
        }
    }
    if let Some(column) = &finding.column {
        parts.push(format!("column {column}"));
    }
    if let Some(value) = &finding.value {
        parts.push(format!("value {}", quoted(value)));
    }
    if let Some(id) = &finding.id {
        parts.push(format!("id {id}"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_with_its_length() {
        assert_eq!(quoted("31/02/2024"), "\"31/02/2024\"");
        let long = "é".repeat(600);
        assert_eq!(
            quoted(&long),
            format!("\"{}\"… (600 characters)", "é".repeat(format::SHOWN_CHARS))
        );
    }
}
