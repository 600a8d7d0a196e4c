//! Findings that depend on the report year (SPEC §3, §4): birth dates that
//! give no age in Y, and no demande before Y.

use super::{format_date, CleanExport, Finding, Rule};
use crate::catalog::birth_bounds;
use crate::reference::FileKind;

/// Findings that depend on the report year Y: birth dates after 31 December
/// Y or more than 120 years before it, and no demande before 1 January Y.
pub(super) fn year_findings(export: &CleanExport, year: i32) -> Vec<Finding> {
    let mut findings = Vec::new();
    let (earliest, latest) = birth_bounds(year);
    let usagers = file_name(export, FileKind::Usagers);
    for (((&birth, written), &line), id) in export
        .persons
        .birth
        .iter()
        .zip(&export.persons.birth_written)
        .zip(&export.persons.line)
        .zip(export.person_ids.iter())
    {
        if let Some(birth) = birth.filter(|b| !(earliest..=latest).contains(b)) {
            findings.push(
                Finding::new(
                    Rule::DateNaissanceHorsLimites,
                    usagers,
                    Some(line),
                    format!(
                        "Date de naissance postérieure au 31 décembre {year} ou de plus de 120 ans avant : l'âge est inconnu. Vérifiez la date de naissance."
                    ),
                )
                .column("date_naissance")
                .value(written.as_deref().unwrap_or(&format_date(birth)))
                .id(id)
                .sensitive(),
            );
        }
    }
    let first_of_year = year * 10_000 + 101;
    if !export.demandes.date.iter().any(|&d| d < first_of_year) {
        findings.push(Finding::new(
            Rule::HistoriqueAbsent,
            file_name(export, FileKind::Demandes),
            None,
            format!(
                "L'export ne contient aucune demande antérieure au 1er janvier {year} : les nouvelles personnes ne peuvent pas être distinguées des personnes déjà suivies. Exportez aussi les années précédentes."
            ),
        ));
    }
    findings
}

fn file_name(export: &CleanExport, kind: FileKind) -> &str {
    export
        .files
        .iter()
        .find(|f| f.file == kind)
        .map_or("", |f| f.name.as_str())
}
