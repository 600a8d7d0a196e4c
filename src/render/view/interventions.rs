//! *Interventions* (`interventions.html`): by type and team, their
//! durations, and the visits indicator by scope.

use anyhow::Result;
use serde::Serialize;

use super::parts::{category_bars, Cell, Chart, ChartView, Orientation, TableView};
use super::requests::by_team;
use crate::indicators::{Count, Durations, Indicator};
use crate::reference::{Category, NATIONAL};
use crate::secret::{Published, ScopeFigures};

#[derive(Debug, Clone, Serialize)]
pub struct InterventionsView {
    pub charts: Vec<ChartView>,
    pub durations: TableView,
    pub visits: TableView,
}

pub fn interventions(published: &Published, report: &ScopeFigures) -> Result<InterventionsView> {
    let b = &report.breakdowns;
    let by_type: Vec<Count> = b
        .interventions_by_type
        .iter()
        .map(|d| Count {
            value: d.value.clone(),
            count: d.count,
            suppressed: d.count.is_none(),
        })
        .collect();
    let charts = [
        Chart {
            id: "interventions-type",
            title: "Interventions par type",
            header: "Type",
            bars: category_bars(published, Category::TypeIntervention, &by_type),
            total: b.interventions,
            orientation: Orientation::Horizontal,
            note: Some(format!(
                "{} interventions réalisées en {}.",
                published.show(b.interventions),
                published.year()
            )),
        },
        Chart {
            id: "interventions-equipe",
            title: "Interventions par équipe",
            header: "Équipe",
            bars: by_team(published, &b.interventions_by_team),
            total: b.interventions,
            orientation: Orientation::Horizontal,
            note: None,
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect::<Result<Vec<_>>>()?;
    Ok(InterventionsView {
        charts,
        durations: durations(published, &b.interventions_by_type),
        visits: visits(published, report),
    })
}

/// Total hours and mean minutes of the interventions whose duration is
/// filled in; `—` when masked.
fn hours(d: &Durations) -> (Cell, Cell) {
    match (d.minutes, d.with_duration) {
        (Some(minutes), Some(with)) => (
            Cell::Decimal(Some(minutes as f64 / 60.0), 1),
            Cell::Decimal((with > 0).then(|| minutes as f64 / with as f64), 0),
        ),
        _ => (Cell::Decimal(None, 1), Cell::Decimal(None, 0)),
    }
}

fn durations(published: &Published, by_type: &[Durations]) -> TableView {
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
                    Cell::Count(d.with_duration),
                    total,
                    mean,
                ]
            })
            .collect(),
        None,
        published.secrecy(),
    )
}

/// The visits indicator: every scope in the national report, the team and
/// the national scope in a team's.
fn visits(published: &Published, report: &ScopeFigures) -> TableView {
    let scope = report.scope.code();
    TableView::new(
        "Personnes ayant bénéficié d'au moins une visite à domicile ou en établissement",
        vec![
            "Périmètre".into(),
            "Personnes visitées".into(),
            "Personnes accompagnées".into(),
            "Part".into(),
        ],
        published
            .rows()
            .iter()
            .filter(|r| {
                r.indicator == Indicator::VisiteDomicileOuEtablissement
                    && (report.scope.is_national() || r.scope == scope || r.scope == NATIONAL)
            })
            .map(|r| {
                let label = if r.scope == NATIONAL {
                    "National".to_string()
                } else {
                    published.teams().label(&r.scope)
                };
                vec![
                    Cell::Text(label),
                    Cell::Count(r.numerator),
                    Cell::Count(r.denominator),
                    Cell::Share(r.numerator, r.denominator),
                ]
            })
            .collect(),
        None,
        published.secrecy(),
    )
}
