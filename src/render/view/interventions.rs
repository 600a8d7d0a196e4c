//! *Interventions* (`interventions.html`): by type and team, their
//! durations, and the visits indicator by scope. Interventions are acts:
//! their counts are published as they are, but a team's of fewer than K
//! persons (SPEC §8).

use anyhow::Result;
use serde::Serialize;

use super::parts::{category_rows, shown, Cell, Chart, ChartView, Orientation, TableView};
use super::requests::{acts_total, by_team};
use crate::catalog::TableId;
use crate::indicators::{Count, Indicator};
use crate::reference::Category;
use crate::secret::{ScopeReport, Shown};

#[derive(Debug, Clone, Serialize)]
pub struct InterventionsView {
    pub charts: Vec<ChartView>,
    pub durations: TableView,
    pub visits: TableView,
}

pub fn interventions(report: &ScopeReport) -> Result<InterventionsView> {
    let b = report.tables();
    let by_type = &b.get(TableId::InterventionsByType).cells;
    let total = acts_total(report, TableId::InterventionsByType);
    let (types, no_type, _) = category_rows(Category::TypeIntervention, by_type);
    let charts = [
        Chart {
            id: "interventions-type",
            title: "Interventions par type",
            header: "Type",
            rows: types.into_iter().chain(no_type).collect(),
            aside: Vec::new(),
            base: Some(total),
            orientation: Orientation::Horizontal,
            several: false,
            note: Some(format!(
                "{} interventions réalisées en {}.",
                report.show(total),
                report.year()
            )),
        },
        Chart {
            id: "interventions-equipe",
            title: "Interventions par équipe",
            header: "Équipe",
            rows: by_team(report, &b.get(TableId::InterventionsByTeam).cells),
            aside: Vec::new(),
            base: Some(total),
            orientation: Orientation::Horizontal,
            several: false,
            note: None,
        },
    ]
    .into_iter()
    // In a team's report its acts are its own: a chart by team would list
    // every other team at 0.
    .filter(|chart| report.scope().is_national() || !chart.id.ends_with("-equipe"))
    .map(|chart| chart.view(report.secrecy()))
    .collect::<Result<Vec<_>>>()?;
    Ok(InterventionsView {
        charts,
        durations: durations(report, by_type),
        visits: visits(report),
    })
}

/// Total hours and mean minutes of the interventions whose duration is
/// filled in; `—` when none is.
fn hours(d: &Count) -> (Cell, Cell) {
    match d.durations.map(|d| (d.minutes, d.with_duration)) {
        Some((Some(minutes), Some(with))) => (
            Cell::Decimal(Some(minutes as f64 / 60.0), 1),
            Cell::Decimal((with > 0).then(|| minutes as f64 / with as f64), 0),
        ),
        _ => (Cell::Decimal(None, 1), Cell::Decimal(None, 0)),
    }
}

fn durations(report: &ScopeReport, by_type: &[Count]) -> TableView {
    TableView::new(
        "Durée des interventions",
        vec![
            "Type".into(),
            "Interventions".into(),
            "Durée renseignée".into(),
            "Total (heures)".into(),
            "Durée moyenne (min)".into(),
        ],
        by_type
            .iter()
            .map(|d| {
                let label = d.value.as_deref().map_or("Non renseigné", |code| {
                    Category::TypeIntervention.display(code)
                });
                let (total, mean) = hours(d);
                let with_duration = d.durations.and_then(|d| d.with_duration).unwrap_or(0);
                vec![
                    Cell::text(label),
                    Cell::Count(shown(d)),
                    Cell::count(with_duration),
                    total,
                    mean,
                ]
            })
            .collect(),
        None,
        report.secrecy(),
    )
}

/// The visits indicator: every scope in the national report, the team and
/// the national scope in a team's; the persons accompanied are the key
/// figure's.
fn visits(report: &ScopeReport) -> TableView {
    TableView::new(
        "Personnes ayant bénéficié d’au moins une visite à domicile ou en établissement",
        vec![
            "Périmètre".into(),
            "Personnes visitées".into(),
            "Personnes accompagnées".into(),
            "Part".into(),
        ],
        report
            .scopes()
            .into_iter()
            .filter_map(|scope| {
                let visits = report.row(scope, Indicator::VisiteDomicileOuEtablissement)?;
                let persons = report.row(scope, Indicator::PersonnesAccompagnees)?;
                let visited = Shown::of(visits.numerator, visits.mask);
                let persons = Shown::of(persons.numerator, persons.mask);
                Some(vec![
                    Cell::Text(scope.name(report.teams())),
                    Cell::Count(visited),
                    Cell::Count(persons),
                    Cell::Share(visited, persons),
                ])
            })
            .collect(),
        None,
        report.secrecy(),
    )
}
