//! *Sollicitations* (`sollicitations.html`): the year's demandes by month,
//! origin and team, and the response times to the new persons.

use anyhow::Result;
use serde::Serialize;

use super::parts::{bar, category_bars, Chart, ChartView, Orientation, TableView};
use crate::charts::Bar;
use crate::format;
use crate::indicators::{Count, DelaiRow, Indicator};
use crate::reference::{Category, NATIONAL};
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

/// Response times (SPEC §4.2) in *Sollicitations*: how the scope's new
/// persons were answered, and the median délai by scope with Y−1.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseTimesView {
    pub chart: ChartView,
    pub by_scope: TableView,
}

pub fn response_times(published: &Published, report: &ScopeFigures) -> Result<ResponseTimesView> {
    let year = published.year();
    let code = report.scope.code();
    let delai = published.delai(code);
    let new = published
        .row(code, Indicator::NouvellesPersonnes)
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
        bar(published, "Sous 30 jours", within_30),
        bar(published, "De 31 à 90 jours", band(within_90, within_30)),
        bar(published, "Plus de 90 jours", band(answered, within_90)),
        bar(
            published,
            format!("En attente au 31 décembre {year}"),
            waiting,
        ),
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
            published.show(new),
            published.show(answered),
            days(delai.and_then(|d| d.delai_median))
        )),
    }
    .view()?;
    let scopes: Vec<&DelaiRow> = published
        .delais()
        .iter()
        .filter(|d| report.scope.is_national() || d.scope == code || d.scope == NATIONAL)
        .collect();
    let share = |part: Option<u64>, whole: Option<u64>| super::parts::share(part, whole);
    let by_scope = TableView {
        title: "Délai de première réponse par périmètre".to_string(),
        columns: vec![
            "Périmètre".into(),
            "Répondues".into(),
            format!("Délai médian {year}"),
            format!("Délai médian {}", year - 1),
            "Sous 30 jours".into(),
            "Sous 90 jours".into(),
            "En attente au 31/12".into(),
        ],
        rows: scopes
            .iter()
            .map(|d| {
                let label = if d.scope == NATIONAL {
                    "National".to_string()
                } else {
                    published.teams().label(&d.scope)
                };
                let before = published.previous_delai(&d.scope);
                vec![
                    label,
                    published.show(d.repondues),
                    days(d.delai_median),
                    before.map_or("—".to_string(), |b| days(b.delai_median)),
                    share(d.sous_30_jours, d.repondues),
                    share(d.sous_90_jours, d.repondues),
                    published.show(d.en_attente_31_12),
                ]
            })
            .collect(),
        note: Some(format!(
            "Délai : nombre de jours entre la première demande adressée au périmètre et sa première intervention datée du même jour ou après, jusqu’au 31 décembre {year}. Parts calculées sur les personnes ayant reçu une réponse ; « — » : moins de {} personnes ayant reçu une réponse (secret statistique) ou aucune.",
            published.secrecy().min_count.max(1)
        )),
    };
    Ok(ResponseTimesView { chart, by_scope })
}

/// `21 jours`, or `—` when masked or without any answer.
fn days(value: Option<u64>) -> String {
    match value {
        Some(1) => "1 jour".to_string(),
        Some(d) => format!("{} jours", format::int(d)),
        None => "—".to_string(),
    }
}
