//! *Interventions* (`interventions.html`): by type and team, their
//! durations, and the visits indicator by scope.

use anyhow::Result;
use serde::Serialize;

use super::parts::{category_bars, Cell, Chart, ChartView, Orientation, TableView};
use super::requests::by_team;
use crate::catalog::TableId;
use crate::indicators::{Count, Durations, Indicator};
use crate::reference::Category;
use crate::secret::ScopeReport;

#[derive(Debug, Clone, Serialize)]
pub struct InterventionsView {
    pub charts: Vec<ChartView>,
    pub durations: TableView,
    pub visits: TableView,
}

pub fn interventions(report: &ScopeReport) -> Result<InterventionsView> {
    let b = report.tables();
    let by_type = &b.get(TableId::InterventionsByType).cells;
    let total = b.get(TableId::InterventionsByType).total;
    let charts = [
        Chart {
            id: "interventions-type",
            title: "Interventions par type",
            header: "Type",
            bars: category_bars(report, Category::TypeIntervention, by_type),
            total,
            orientation: Orientation::Horizontal,
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
            bars: by_team(report, &b.get(TableId::InterventionsByTeam).cells),
            total,
            orientation: Orientation::Horizontal,
            note: None,
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect::<Result<Vec<_>>>()?;
    Ok(InterventionsView {
        charts,
        durations: durations(report, by_type),
        visits: visits(report),
    })
}

/// Total hours and mean minutes of the interventions whose duration is
/// filled in; `—` when masked.
fn hours(d: &Count) -> (Cell, Cell) {
    let durations = d.durations.unwrap_or(Durations {
        with_duration: None,
        minutes: None,
    });
    match (durations.minutes, durations.with_duration) {
        (Some(minutes), Some(with)) => (
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
        Category::TypeIntervention
            .values()
            .iter()
            .filter_map(|v| {
                by_type
                    .iter()
                    .find(|d| d.value.as_deref() == Some(v.code))
                    .map(|d| (v.display.to_string(), d))
            })
            .chain(
                by_type
                    .iter()
                    .filter(|d| d.value.is_none())
                    .map(|d| ("Non renseigné".to_string(), d)),
            )
            .map(|(label, d)| {
                let (total, mean) = hours(d);
                vec![
                    Cell::Text(label),
                    Cell::Count(d.count),
                    Cell::Count(d.durations.and_then(|d| d.with_duration)),
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
/// the national scope in a team's.
fn visits(report: &ScopeReport) -> TableView {
    TableView::new(
        "Personnes ayant bénéficié d'au moins une visite à domicile ou en établissement",
        vec![
            "Périmètre".into(),
            "Personnes visitées".into(),
            "Personnes accompagnées".into(),
            "Part".into(),
        ],
        report
            .scopes()
            .into_iter()
            .filter_map(|scope| report.row(scope, Indicator::VisiteDomicileOuEtablissement))
            .map(|r| {
                vec![
                    Cell::Text(r.scope.name(report.teams())),
                    Cell::Count(r.numerator),
                    Cell::Count(r.denominator),
                    Cell::Share(r.numerator, r.denominator),
                ]
            })
            .collect(),
        None,
        report.secrecy(),
    )
}
