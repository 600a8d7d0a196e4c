//! *Sollicitations* (`sollicitations.html`): the year's demandes by month,
//! origin and team.

use anyhow::Result;

use super::parts::{bar, category_bars, Chart, ChartView, Orientation};
use crate::charts::Bar;
use crate::format;
use crate::indicators::Count;
use crate::reference::Category;
use crate::secret::{Published, ScopeFigures};

/// Bars by team, *Sans équipe* for the acts whose team is not filled in.
pub fn by_team(published: &Published, counts: &[Count]) -> Vec<Bar> {
    counts
        .iter()
        .map(|c| {
            let label = c
                .value
                .as_deref()
                .map_or("Sans équipe".to_string(), |code| {
                    published.teams().label(code)
                });
            bar(published, label, c.count)
        })
        .collect()
}

pub fn requests(published: &Published, report: &ScopeFigures) -> Result<Vec<ChartView>> {
    let b = &report.breakdowns;
    let year = published.year();
    let months: Vec<Bar> = b
        .requests_by_month
        .iter()
        .map(|c| {
            let month: u32 = c.value.as_deref().and_then(|m| m.parse().ok()).unwrap_or(0);
            bar(published, format::month_name(month), c.count)
        })
        .collect();
    let title = format!("Demandes reçues par mois en {year}");
    [
        Chart {
            id: "demandes-mois",
            title: &title,
            header: "Mois",
            bars: months,
            total: b.requests,
            orientation: Orientation::Vertical,
            note: Some(format!(
                "{} demandes reçues en {year}.",
                published.show(b.requests)
            )),
        },
        Chart {
            id: "demandes-origine",
            title: "Demandes par origine",
            header: "Origine",
            bars: category_bars(published, Category::Origine, &b.requests_by_origin),
            total: b.requests,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "demandes-equipe",
            title: "Demandes par équipe",
            header: "Équipe",
            bars: by_team(published, &b.requests_by_team),
            total: b.requests,
            orientation: Orientation::Horizontal,
            note: None,
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect()
}
