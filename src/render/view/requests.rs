//! *Sollicitations* (`sollicitations.html`): the year's demandes by month,
//! origin and team, and the response times to the new persons.

use anyhow::Result;
use serde::Serialize;

use super::parts::{bar, category_bars, Cell, Chart, ChartView, Orientation, TableView};
use crate::catalog::TableId;
use crate::charts::Bar;
use crate::format;
use crate::indicators::{Count, DelaiRow, Indicator};
use crate::reference::Category;
use crate::secret::ScopeReport;

/// Bars by team, *Sans équipe* for the acts whose team is not filled in.
pub fn by_team(report: &ScopeReport, counts: &[Count]) -> Vec<Bar> {
    counts
        .iter()
        .map(|c| {
            let label = c
                .value
                .as_deref()
                .map_or("Sans équipe".to_string(), |code| {
                    report.teams().label(code)
                });
            bar(report, label, c.count)
        })
        .collect()
}

pub fn requests(report: &ScopeReport) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let requests = b.get(TableId::RequestsByMonth).total;
    let year = report.year();
    let months: Vec<Bar> = b
        .get(TableId::RequestsByMonth)
        .cells
        .iter()
        .map(|c| {
            let month: u32 = c.value.as_deref().and_then(|m| m.parse().ok()).unwrap_or(0);
            bar(report, format::month_name(month), c.count)
        })
        .collect();
    let title = format!("Demandes reçues par mois en {year}");
    [
        Chart {
            id: "demandes-mois",
            title: &title,
            header: "Mois",
            bars: months,
            total: requests,
            orientation: Orientation::Vertical,
            note: Some(format!(
                "{} demandes reçues en {year}.",
                report.show(requests)
            )),
        },
        Chart {
            id: "demandes-origine",
            title: "Demandes par origine",
            header: "Origine",
            bars: category_bars(
                report,
                Category::Origine,
                &b.get(TableId::RequestsByOrigin).cells,
            ),
            total: requests,
            orientation: Orientation::Horizontal,
            note: None,
        },
        Chart {
            id: "demandes-equipe",
            title: "Demandes par équipe",
            header: "Équipe",
            bars: by_team(report, &b.get(TableId::RequestsByTeam).cells),
            total: requests,
            orientation: Orientation::Horizontal,
            note: None,
        },
    ]
    .into_iter()
    .map(Chart::view)
    .collect()
}

/// Response times (SPEC §4.2) in *Sollicitations*: how the scope's new
/// persons were answered, and the median délai by scope with Y−1.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseTimesView {
    pub chart: ChartView,
    pub by_scope: TableView,
}

pub fn response_times(report: &ScopeReport) -> Result<ResponseTimesView> {
    let year = report.year();
    let delai = report.delai(report.scope());
    let new = report
        .own_row(Indicator::NouvellesPersonnes)
        .and_then(|r| r.numerator);
    let band = |from: Option<u64>, to: Option<u64>| from.zip(to).map(|(a, b)| a - b);
    let (answered, within_30, within_90, waiting) = delai.map_or((None, None, None, None), |d| {
        (
            d.repondues,
            d.sous_30_jours,
            d.sous_90_jours,
            d.en_attente_31_12,
        )
    });
    let bars = vec![
        bar(report, "Sous 30 jours", within_30),
        bar(report, "De 31 à 90 jours", band(within_90, within_30)),
        bar(report, "Plus de 90 jours", band(answered, within_90)),
        bar(report, format!("En attente au 31 décembre {year}"), waiting),
    ];
    let chart = Chart {
        id: "demandes-delais",
        title: &format!("Délai de première réponse aux nouvelles personnes de {year}"),
        header: "Délai",
        bars,
        total: new,
        orientation: Orientation::Horizontal,
        note: Some(format!(
            "{} nouvelles personnes en {year}, dont {} ayant reçu une première intervention avant le 31 décembre. Délai médian : {}.",
            report.show(new),
            report.show(answered),
            Cell::Days(delai.and_then(|d| d.delai_median)).shown(report.secrecy())
        )),
    }
    .view()?;
    let scopes: Vec<&DelaiRow> = report
        .scopes()
        .into_iter()
        .filter_map(|scope| report.delai(scope))
        .collect();
    let by_scope = TableView::new(
        "Délai de première réponse par périmètre",
        vec![
            "Périmètre".into(),
            "Répondues".into(),
            format!("Délai médian {year}"),
            format!("Délai médian {}", year - 1),
            "Sous 30 jours".into(),
            "Sous 90 jours".into(),
            "En attente au 31/12".into(),
        ],
        scopes
            .iter()
            .map(|d| {
                let label = d.scope.name(report.teams());
                let before = report.previous_delai(&d.scope);
                vec![
                    Cell::Text(label),
                    Cell::Count(d.repondues),
                    Cell::Days(d.delai_median),
                    Cell::Days(before.and_then(|b| b.delai_median)),
                    Cell::Share(d.sous_30_jours, d.repondues),
                    Cell::Share(d.sous_90_jours, d.repondues),
                    Cell::Count(d.en_attente_31_12),
                ]
            })
            .collect(),
        Some(format!(
            "Délai : nombre de jours entre la première demande adressée au périmètre et sa première intervention datée du même jour ou après, jusqu’au 31 décembre {year}. Parts calculées sur les personnes ayant reçu une réponse ; « — » : moins de {} personnes ayant reçu une réponse (secret statistique) ou aucune.",
            report.secrecy().min_count.max(1)
        )),
        report.secrecy(),
    );
    Ok(ResponseTimesView { chart, by_scope })
}
