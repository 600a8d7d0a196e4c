//! (v3) The sheets of the sections made of parts (`view::Part`): the end of
//! *Profil* (associated disorders, accompaniments, legal categories,
//! diagnoses) and *Réseau*. Each part's sentences become a one-column
//! table, then its charts' figures and its tables, in the report's order.

use super::{Sheet, Table};
use crate::render::view::{Cell, Part};

/// A sheet of the parts of a section.
pub(super) fn of_parts(name: &'static str, title: String, parts: &[Part]) -> Sheet {
    let mut tables = Vec::new();
    for part in parts {
        if !part.paragraphs.is_empty() {
            tables.push(Table {
                title: part.title.clone(),
                // The part's title is the table's: the column says what it holds.
                columns: vec!["Commentaire".to_string()],
                cells: part
                    .paragraphs
                    .iter()
                    .map(|p| vec![Cell::text(crate::format::typography(p))])
                    .collect(),
                note: None,
            });
        }
        for chart in &part.charts {
            tables.extend(Table::of_chart(chart));
        }
        tables.extend(part.tables.iter().map(Table::from));
    }
    Sheet {
        name,
        title,
        tables,
    }
}
