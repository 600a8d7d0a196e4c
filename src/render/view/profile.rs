//! *Profil* (`profil.html`): maladie rare, déficiences and their most
//! frequent combinations, TND, lieu de vie, scolarisation of the 3–16 year
//! olds.

use anyhow::Result;

use super::parts::{bar, category_bars, Cell, Chart, ChartView, Orientation, TableView};
use crate::catalog::TableId;
use crate::reference::Category;
use crate::secret::ScopeReport;

pub fn profile(report: &ScopeReport, active: Option<u64>) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let cells = |id: TableId| b.get(id).cells.as_slice();
    let mut deficiences = category_bars(report, Category::Deficiences, cells(TableId::Deficiences));
    deficiences.push(bar(
        report,
        "Non renseigné",
        b.get(TableId::Deficiences).not_filled,
    ));
    let mut tnd = category_bars(report, Category::Tnd, cells(TableId::Tnd));
    tnd.push(bar(report, "Non renseigné", b.get(TableId::Tnd).not_filled));
    let combinations = TableView::new(
        "Combinaisons de déficiences les plus fréquentes",
        vec!["Combinaison".into(), "Personnes".into(), "Part".into()],
        cells(TableId::DeficienceCombinations)
            .iter()
            .map(|c| {
                let names: Vec<&str> = c
                    .value
                    .as_deref()
                    .unwrap_or("")
                    .split('|')
                    .map(|code| Category::Deficiences.display(code))
                    .collect();
                vec![
                    Cell::text(names.join(" + ")),
                    Cell::Count(c.count),
                    Cell::Share(c.count, active),
                ]
            })
            .collect(),
        Some("Part parmi l'ensemble des personnes accompagnées.".to_string()),
        report.secrecy(),
    );
    let children = b.get(TableId::Scolarisation316).total;
    let children_note = format!(
        "{} enfants de 3 à 16 ans accompagnés.",
        report.show(children)
    );
    let mut charts = [
        Chart {
            id: "profil-maladie-rare",
            title: "Statut de maladie rare",
            header: "Statut",
            bars: category_bars(report, Category::MaladieRare, cells(TableId::MaladieRare)),
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "profil-deficiences",
            title: "Déficiences (une personne peut en avoir plusieurs)",
            header: "Déficience",
            bars: deficiences,
            total: active,
            orientation: Orientation::Horizontal,
            note: Some("Parts calculées sur l'ensemble des personnes accompagnées.".to_string()),
        },
        Chart {
            id: "profil-tnd",
            title: "Troubles du neurodéveloppement (une personne peut en avoir plusieurs)",
            header: "TND",
            bars: tnd,
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "profil-lieu-de-vie",
            title: "Lieu de vie",
            header: "Lieu de vie",
            bars: category_bars(report, Category::LieuDeVie, cells(TableId::LieuDeVie)),
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "profil-situation",
            title: "Situation : réponse apportée aux besoins de la personne",
            header: "Situation",
            bars: category_bars(report, Category::Situation, cells(TableId::Situation)),
            total: active,
            orientation: Orientation::Horizontal,
            note: Some("Une personne « sans solution » n’a pas d’accompagnement qui réponde à ses besoins, quel que soit son lieu de vie.".to_string()),
        },
        Chart {
            id: "profil-scolarisation",
            title: "Scolarisation des enfants de 3 à 16 ans",
            header: "Scolarisation",
            bars: category_bars(report, Category::Scolarisation, cells(TableId::Scolarisation316)),
            total: children,
            orientation: Orientation::Horizontal,
            note: Some(children_note),
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect::<Result<Vec<_>>>()?;
    charts[1].table = Some(combinations);
    Ok(charts)
}
