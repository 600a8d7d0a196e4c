//! *Personnes accompagnées* (`personnes.html`): by team, région, age
//! bracket and sex.

use anyhow::Result;

use super::parts::{bar, bars, category_bars, Chart, ChartView, Orientation};
use crate::catalog::{TableId, AGE_BRACKETS};
use crate::charts::Bar;
use crate::reference::Category;
use crate::secret::ScopeReport;

pub fn persons(report: &ScopeReport, active: Option<u64>) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let teams = |code: &str| report.teams().label(code);
    let region = |r: &str| r.to_string();
    let mut by_age: Vec<Bar> = AGE_BRACKETS
        .iter()
        .map(|(label, _, _)| {
            match b
                .get(TableId::PersonsByAge)
                .cells
                .iter()
                .find(|c| c.value.as_deref() == Some(label))
            {
                Some(c) => bar(report, *label, c.count),
                None => Bar::new(*label, 0),
            }
        })
        .collect();
    if let Some(unknown) = b
        .get(TableId::PersonsByAge)
        .cells
        .iter()
        .find(|c| c.value.is_none())
    {
        by_age.push(bar(report, "Âge inconnu", unknown.count));
    }
    let several_teams = "Une personne suivie par plusieurs équipes compte pour chacune : la somme dépasse le total.";
    let shared = "Personnes accompagnées par l’équipe en {year} qui l’ont aussi été par une autre équipe du dispositif la même année (co-accompagnement) : la coordination des parcours complexes est la première mission des équipes. Une personne suivie par plusieurs autres équipes compte pour chacune.".replace("{year}", &report.year().to_string());
    let (team_title, team_header, team_note) = if report.scope().is_national() {
        (
            "Personnes accompagnées par équipe",
            "Équipe",
            several_teams.to_string(),
        )
    } else {
        (
            "Personnes accompagnées aussi par une autre équipe",
            "Autre équipe",
            shared,
        )
    };
    let age_title = format!(
        "Personnes accompagnées par âge au 31 décembre {}",
        report.year()
    );
    [
        Chart {
            id: "personnes-equipe",
            title: team_title,
            header: team_header,
            bars: bars(report, &b.get(TableId::PersonsByTeam).cells, &teams),
            total: active,
            orientation: Orientation::Horizontal,
            note: Some(team_note),
        },
        Chart {
            id: "personnes-region",
            title: "Personnes accompagnées par région de résidence",
            header: "Région",
            bars: bars(report, &b.get(TableId::PersonsByRegion).cells, &region),
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "personnes-age",
            title: &age_title,
            header: "Âge",
            bars: by_age,
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "personnes-sexe",
            title: "Personnes accompagnées par sexe",
            header: "Sexe",
            bars: category_bars(report, Category::Sexe, &b.get(TableId::PersonsBySex).cells),
            total: active,
            orientation: Orientation::Horizontal,
            note: None,
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect()
}
