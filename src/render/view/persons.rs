//! *Personnes accompagnées* (`personnes.html`): by team, région, age
//! bracket and sex, each share over the persons whose field is known.

use anyhow::Result;

use super::parts::{category_rows, filled_base, rows, shown, Chart, ChartView, Orientation};
use crate::catalog::TableId;
use crate::reference::Category;
use crate::secret::ScopeReport;

pub fn persons(report: &ScopeReport) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let cells = |id: TableId| b.get(id).cells.as_slice();
    let teams = |code: &str| report.teams().label(code);
    let same = |value: &str| value.to_string();
    // A cell of the age brackets or régions, or their unknown one apart.
    let split = |id: TableId| {
        let (known, unknown): (Vec<_>, Vec<_>) = cells(id).iter().partition(|c| c.value.is_some());
        let base = filled_base(&known);
        let label = |c: &&crate::indicators::Count| c.value.clone().unwrap_or_default();
        let known = known.iter().map(|c| (label(c), shown(c))).collect();
        (known, unknown, base)
    };
    let (by_age, unknown_age, age_base) = split(TableId::PersonsByAge);
    let (by_region, no_region, region_base) = split(TableId::PersonsByRegion);
    let (by_sex, sex_aside, sex_base) = category_rows(Category::Sexe, cells(TableId::PersonsBySex));
    let several_teams = "Une personne suivie par plusieurs équipes compte pour chacune : la somme dépasse le nombre de personnes accompagnées.";
    let shared = format!(
        "Personnes accompagnées par l’équipe en {} qui l’ont aussi été par une autre équipe du dispositif la même année (co-accompagnement) : la coordination des parcours complexes est la première mission des équipes. Une personne suivie par plusieurs autres équipes compte pour chacune.",
        report.year()
    );
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
    let by_team: Vec<_> = cells(TableId::PersonsByTeam)
        .iter()
        .filter(|c| c.value.is_some())
        .cloned()
        .collect();
    let secrecy = report.secrecy();
    [
        Chart {
            id: "personnes-equipe",
            title: team_title,
            header: team_header,
            rows: rows(&by_team, &teams),
            aside: Vec::new(),
            base: None,
            orientation: Orientation::Horizontal,
            several: true,
            note: Some(team_note),
        },
        Chart {
            id: "personnes-region",
            title: "Personnes accompagnées par région de résidence",
            header: "Région",
            rows: by_region,
            aside: rows(&no_region.into_iter().cloned().collect::<Vec<_>>(), &same),
            base: Some(region_base),
            orientation: Orientation::Horizontal,
            several: false,
            note: Some("Parts calculées sur les personnes dont la région est connue.".to_string()),
        },
        Chart {
            id: "personnes-age",
            title: &age_title,
            header: "Âge",
            rows: by_age,
            aside: unknown_age
                .iter()
                .map(|c| ("Âge inconnu".to_string(), shown(c)))
                .collect(),
            base: Some(age_base),
            orientation: Orientation::Horizontal,
            several: false,
            note: Some("Parts calculées sur les personnes dont l’âge est connu.".to_string()),
        },
        Chart {
            id: "personnes-sexe",
            title: "Personnes accompagnées par sexe",
            header: "Sexe",
            rows: by_sex,
            aside: sex_aside,
            base: Some(sex_base),
            orientation: Orientation::Horizontal,
            several: false,
            note: None,
        },
    ]
    .into_iter()
    .map(|chart| chart.view(secrecy))
    .collect()
}
