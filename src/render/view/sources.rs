//! *Sources et limites* (`sources.html`), the published report's short
//! account of where its figures come from (SPEC §6): the export's period,
//! the fill rate of each field a published figure uses among the year's
//! active persons of the scope, what is not counted, and the secrecy rule.
//! The analyst's material (files, findings, lines) is in `controle.html`.

use serde::Serialize;

use super::parts::{Cell, TableView};
use crate::catalog::{Indicator, TableId};
use crate::format;
use crate::indicators::Mask;
use crate::secret::{ScopeReport, Shown};

#[derive(Debug, Clone, Serialize)]
pub struct SourcesView {
    /// `du 3 janvier 2015 au 30 décembre 2024`.
    pub period: String,
    pub fill_rates: TableView,
}

/// The persons of the year whose field is filled in, of `of`: a rate's
/// denominator over its population, or a table's cells but its *non
/// renseigné*.
fn filled_share(report: &ScopeReport, field: Field) -> Option<(Shown, Shown)> {
    match field {
        Field::Rate(indicator) => {
            let row = report.own_row(indicator)?;
            match (row.denominator, row.not_filled) {
                (Some(d), Some(nf)) => Some((d.into(), (d + nf).into())),
                _ if row.mask == Some(Mask::Withheld) => Some((withheld(), withheld())),
                _ => Some((masked(), masked())),
            }
        }
        Field::Table(table) => {
            let persons = report
                .own_row(Indicator::PersonnesAccompagnees)?
                .numerator?;
            let table = report.tables().get(table);
            // A scope of too few persons: its tables' cells are withheld.
            if table.cells.iter().any(|c| c.mask == Some(Mask::Withheld)) {
                return Some((withheld(), persons.into()));
            }
            // The not-filled count beside a table of codes, or its cell;
            // masked, the share filled in is masked with it (it is not
            // 100 %).
            let not_filled = match (
                table.not_filled,
                table.cells.iter().find(|c| c.value.is_none()),
            ) {
                (Some(nf), _) => Some(nf),
                (None, Some(cell)) => cell.count,
                (None, None) => None,
            };
            match not_filled {
                Some(nf) => Some(((persons - nf.min(persons)).into(), persons.into())),
                None => Some((masked(), persons.into())),
            }
        }
    }
}

fn masked() -> Shown {
    Shown::Masked(Mask::Protecting)
}

fn withheld() -> Shown {
    Shown::Masked(Mask::Withheld)
}

/// Where a field's fill rate is read.
#[derive(Clone, Copy)]
enum Field {
    Rate(Indicator),
    Table(TableId),
}

/// The fields the published figures use, as the report names them.
const FIELDS: [(&str, Field); 9] = [
    (
        "Date de naissance (âge)",
        Field::Rate(Indicator::MoinsDe20Ans),
    ),
    ("Sexe", Field::Table(TableId::PersonsBySex)),
    (
        "Département (région)",
        Field::Table(TableId::PersonsByRegion),
    ),
    ("Lieu de vie", Field::Rate(Indicator::VitADomicile)),
    (
        "Maladie rare",
        Field::Rate(Indicator::MaladieRareDiagnostiquee),
    ),
    ("Déficiences", Field::Table(TableId::Deficiences)),
    (
        "Troubles du neurodéveloppement",
        Field::Rate(Indicator::AuMoinsUnTnd),
    ),
    (
        "Scolarisation (enfants de 3 à 16 ans)",
        Field::Rate(Indicator::Enfants316Scolarises),
    ),
    ("Situation", Field::Rate(Indicator::PersonnesSansSolution)),
];

pub fn sources(report: &ScopeReport) -> SourcesView {
    let period = report
        .period()
        .map_or("aucune activité datée".to_string(), |(a, b)| {
            format!("du {} au {}", format::date(a), format::date(b))
        });
    let fill_rates = TableView::new(
        format!(
            "Taux de remplissage des champs, parmi les personnes accompagnées en {}",
            report.year()
        ),
        vec!["Champ".into(), "Taux de remplissage".into()],
        FIELDS
            .iter()
            .filter_map(|(label, field)| {
                let (filled, of) = filled_share(report, *field)?;
                Some(vec![Cell::text(*label), Cell::Share(filled, of)])
            })
            .collect(),
        Some("Part des personnes accompagnées de l’année (pour la scolarisation : des enfants de 3 à 16 ans) dont le champ est renseigné ; une valeur illisible ou hors nomenclature compte comme non renseignée.".to_string()),
        report.secrecy(),
    );
    SourcesView { period, fill_rates }
}
