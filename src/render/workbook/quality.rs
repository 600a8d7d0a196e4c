//! The data-quality sheets of `controle.xlsx` (internal): files read, fill
//! rates and findings by rule; every finding.

use super::{Sheet, Table};
use crate::render::view::{Cell, ControlView};
use crate::secret::ScopeReport;

/// *Qualité des données*: files read, fill rates, findings by rule. These
/// are data-quality figures, report as they are (SPEC §8).
pub(super) fn quality(report: &ScopeReport, view: &ControlView) -> Sheet {
    let files = Table {
        title: "Fichiers lus".to_string(),
        columns: [
            "Fichier",
            "Encodage",
            "Séparateur",
            "Lignes lues",
            "Retenues",
            "Écartées",
            "Colonnes absentes",
        ]
        .map(String::from)
        .to_vec(),
        cells: report
            .files()
            .iter()
            .zip(&view.quality.files)
            .map(|(f, shown)| {
                vec![
                    Cell::text(&f.name),
                    Cell::text(f.encoding),
                    Cell::text(&shown.delimiter),
                    Cell::count(f.rows_read),
                    Cell::count(f.rows_kept),
                    Cell::count(f.rows_excluded),
                    Cell::text(&shown.absent_columns),
                ]
            })
            .collect(),
        note: None,
    };
    let rules = Table {
        title: "Signalements par règle".to_string(),
        columns: ["Règle", "Occurrences", "Effet", "Explication"]
            .map(String::from)
            .to_vec(),
        cells: view
            .quality
            .rules
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.code),
                    Cell::count(r.occurrences),
                    Cell::text(r.effect),
                    Cell::text(&r.explanation),
                ]
            })
            .collect(),
        note: Some(
            "La liste de tous les signalements est dans la feuille « Signalements ».".into(),
        ),
    };
    Sheet {
        name: "Qualité des données",
        title: format!("Qualité des données — {}", view.scope_label),
        tables: vec![
            files,
            Table::from(&view.quality.fill_rates),
            Table::from(&view.quality.checks),
            rules,
        ],
    }
}

/// *Signalements*: every finding, as `findings.csv` holds them (personal
/// values masked).
pub(super) fn findings(report: &ScopeReport) -> Sheet {
    let cells = report
        .findings()
        .iter()
        .map(|f| {
            vec![
                Cell::text(f.rule.code()),
                Cell::text(&f.file),
                f.line.map_or(Cell::Empty, |l| Cell::Plain(l as i64)),
                Cell::text(f.column.clone().unwrap_or_default()),
                Cell::text(crate::format::shown(f.shown_value())),
                Cell::text(crate::format::shown(f.id.as_deref().unwrap_or_default())),
                Cell::count(f.count),
                // As the control page lists them: « 20, 112, 220, … ».
                if f.lines.is_empty() {
                    Cell::Empty
                } else {
                    Cell::text(crate::render::view::quality::lines_of(f))
                },
                Cell::text(crate::format::typography(&f.message)),
            ]
        })
        .collect();
    Sheet {
        name: "Signalements",
        title: "Signalements : les lignes de l’export à vérifier ou corriger".to_string(),
        tables: vec![Table {
            title: "Tous les signalements".to_string(),
            columns: [
                "Règle",
                "Fichier",
                "Ligne",
                "Colonne",
                "Valeur",
                "Identifiant",
                "Occurrences",
                "Premières lignes",
                "Message",
            ]
            .map(String::from)
            .to_vec(),
            cells,
            note: None,
        }],
    }
}
