//! *Profil* (`profil.html`): maladie rare, déficiences and their most
//! frequent combinations, TND, lieu de vie, scolarisation of the 3–16 year
//! olds.

use anyhow::Result;

use super::parts::{bar, category_bars, share, Chart, ChartView, Orientation, TableView};
use crate::reference::Category;
use crate::secret::{Published, ScopeFigures};

pub fn profile(
    published: &Published,
    report: &ScopeFigures,
    active: Option<u64>,
) -> Result<Vec<ChartView>> {
    let b = &report.breakdowns;
    let mut deficiences = category_bars(published, Category::Deficiences, &b.deficiences);
    deficiences.push(bar(
        published,
        "Non renseigné",
        Some(b.deficiences_not_filled),
    ));
    let mut tnd = category_bars(published, Category::Tnd, &b.tnd);
    tnd.push(bar(published, "Non renseigné", Some(b.tnd_not_filled)));
    let combinations = TableView {
        title: "Combinaisons de déficiences les plus fréquentes".to_string(),
        columns: vec!["Combinaison".into(), "Personnes".into(), "Part".into()],
        rows: b
            .deficience_combinations
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
                    names.join(" + "),
                    published.show(c.count),
                    share(c.count, active),
                ]
            })
            .collect(),
        note: Some("Part parmi l'ensemble des personnes accompagnées.".to_string()),
    };
    let children_note = format!(
        "{} enfants de 3 à 16 ans accompagnés.",
        published.show(b.children)
    );
    let mut charts = [
        Chart {
            id: "profil-maladie-rare",
            title: "Statut de maladie rare",
            header: "Statut",
            bars: category_bars(published, Category::MaladieRare, &b.maladie_rare),
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
            bars: category_bars(published, Category::LieuDeVie, &b.lieu_de_vie),
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "profil-situation",
            title: "Situation : réponse apportée aux besoins de la personne",
            header: "Situation",
            bars: category_bars(published, Category::Situation, &b.situation),
            total: active,
            orientation: Orientation::Horizontal,
            note: Some("Une personne « sans solution » n’a pas d’accompagnement qui réponde à ses besoins, quel que soit son lieu de vie.".to_string()),
        },
        Chart {
            id: "profil-scolarisation",
            title: "Scolarisation des enfants de 3 à 16 ans",
            header: "Scolarisation",
            bars: category_bars(published, Category::Scolarisation, &b.scolarisation_3_16),
            total: b.children,
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
