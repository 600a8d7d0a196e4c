//! *Sollicitations* (`sollicitations.html`): the year's demandes by month,
//! origin and team, and the response times to the new persons. Demandes
//! are acts: their counts are published as they are, but a team's of
//! fewer than K persons (SPEC §8).

use anyhow::Result;
use serde::Serialize;

use super::parts::{
    category_rows, rows, shown, Cell, Chart, ChartView, Orientation, Row, TableView,
};
use crate::catalog::TableId;
use crate::format;
use crate::indicators::{Count, DelaiRow, Indicator, Mask};
use crate::reference::Category;
use crate::secret::{ScopeReport, Shown};

/// What the row of acts without a value reads in a table by team: the acts
/// of the teams without a report of their own, merged with those whose team
/// is not filled in (`secret::publish`, SPEC §8).
pub const OTHER_TEAMS: &str = "Autres (équipe sans rapport ou non renseignée)";

/// Rows by team, [`OTHER_TEAMS`] last.
pub fn by_team(report: &ScopeReport, counts: &[Count]) -> Vec<Row> {
    counts
        .iter()
        .map(|c| {
            let label = c
                .value
                .as_deref()
                .map_or(OTHER_TEAMS.to_string(), |code| report.teams().label(code));
            (label, shown(c))
        })
        .collect()
}

/// A table's total of acts (never masked: acts are published as they are).
pub fn acts_total(report: &ScopeReport, table: TableId) -> Shown {
    Shown::of(report.tables().get(table).total, None)
}

pub fn requests(report: &ScopeReport) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let requests = acts_total(report, TableId::RequestsByMonth);
    let year = report.year();
    let month = |m: &str| format::month_name(m.parse().unwrap_or(0)).to_string();
    let title = format!("Demandes reçues par mois en {year}");
    let (origins, no_origin, _) =
        category_rows(Category::Origine, &b.get(TableId::RequestsByOrigin).cells);
    let by_month: Vec<Count> = b
        .get(TableId::RequestsByMonth)
        .cells
        .iter()
        .filter(|c| c.value.is_some())
        .cloned()
        .collect();
    [
        Chart {
            id: "demandes-mois",
            title: &title,
            header: "Mois",
            rows: rows(&by_month, &month),
            aside: Vec::new(),
            base: Some(requests),
            orientation: Orientation::Vertical,
            several: false,
            note: Some(format!(
                "{} demandes reçues en {year}.",
                report.show(requests)
            )),
        },
        Chart {
            id: "demandes-origine",
            title: "Demandes par origine",
            header: "Origine",
            rows: origins.into_iter().chain(no_origin).collect(),
            aside: Vec::new(),
            base: Some(requests),
            orientation: Orientation::Horizontal,
            several: false,
            note: None,
        },
        Chart {
            id: "demandes-equipe",
            title: "Demandes par équipe",
            header: "Équipe",
            rows: by_team(report, &b.get(TableId::RequestsByTeam).cells),
            aside: Vec::new(),
            base: Some(requests),
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
    .collect()
}

/// Response times (SPEC §4.2) in *Sollicitations*: how the scope's new
/// persons were answered, and the median délai by scope with Y−1.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseTimesView {
    pub chart: ChartView,
    pub by_scope: TableView,
}

/// The answered persons of a response-time row, as published.
fn answered(d: &DelaiRow) -> Shown {
    Shown::of(d.repondues, d.masks.repondues)
}

/// The persons still waiting on 31 December, as published.
fn waiting(d: &DelaiRow) -> Shown {
    Shown::of(d.en_attente_31_12, d.masks.en_attente)
}

pub fn response_times(report: &ScopeReport) -> Result<ResponseTimesView> {
    let year = report.year();
    let delai = report.delai(report.scope());
    let new = report.own_row(Indicator::NouvellesPersonnes);
    let new = new.map_or(Shown::Value(0), |r| Shown::of(r.numerator, r.mask));
    let (answered_now, waiting_now, median) = match delai {
        Some(d) => (answered(d), waiting(d), d.delai_median),
        None => (Shown::Value(0), Shown::Value(0), None),
    };
    // The bands as the table protected them (`< K` where small).
    let band = |i: usize| match delai {
        Some(d) => Shown::of(d.masks.bands[i], d.masks.band_masks[i]),
        None => Shown::Value(0),
    };
    let answered_count = answered_now.value();
    let rows = vec![
        ("Sous 30 jours".to_string(), band(0)),
        ("De 31 à 90 jours".to_string(), band(1)),
        ("Plus de 90 jours".to_string(), band(2)),
    ];
    // One sentence per fact; a masked figure is never written as small.
    let mut note = match new {
        Shown::Value(n) => format!("{} nouvelles personnes en {year}", format::int(n)),
        Shown::Masked(_) => {
            format!("Nombre de nouvelles personnes en {year} masqué (secret statistique)")
        }
    };
    match answered_now {
        Shown::Value(n) if new.value().is_some() => note.push_str(&format!(
            ", dont {} ayant reçu une première intervention avant le 31 décembre.",
            format::int(n)
        )),
        Shown::Value(n) => note.push_str(&format!(
            " ; {} ont reçu une première intervention avant le 31 décembre.",
            format::int(n)
        )),
        Shown::Masked(_) => note.push_str(" ; le nombre de celles qui ont reçu une première intervention avant le 31 décembre est masqué (secret statistique)."),
    }
    match median {
        Some(days) => note.push_str(&format!(" Délai médian : {}. Parts calculées sur les personnes ayant reçu une réponse.", Cell::Days(Some(days)).shown(report.secrecy()))),
        None if answered_count.unwrap_or(1) > 0 => note.push_str(&format!(
            " Les délais ne sont publiés qu’à partir de {} personnes ayant reçu une réponse, sans effectif masqué.",
            2 * report.secrecy().min_count.max(1)
        )),
        None => {}
    }
    let chart = Chart {
        id: "demandes-delais",
        title: &format!("Délai de première réponse aux nouvelles personnes de {year}"),
        header: "Délai",
        rows,
        aside: vec![(format!("En attente au 31 décembre {year}"), waiting_now)],
        base: Some(answered_now),
        orientation: Orientation::Horizontal,
        several: false,
        note: Some(note),
    }
    .view(report.secrecy())?;
    let masked = Shown::Masked(Mask::Protecting);
    let by_scope = TableView::new(
        "Délai de première réponse par périmètre",
        vec![
            "Périmètre".into(),
            "Personnes ayant reçu une réponse".into(),
            format!("Délai médian {year}"),
            format!("Délai médian {}", year - 1),
            "Sous 30 jours".into(),
            "Sous 90 jours".into(),
            "En attente au 31 décembre".into(),
        ],
        report
            .scopes()
            .into_iter()
            .filter_map(|scope| report.delai(scope))
            .map(|d| {
                let before = report.previous_delai(&d.scope);
                let shares_shown = d.delai_median.is_some();
                let share = |count: Option<u64>| match (shares_shown, count) {
                    (true, Some(count)) => Cell::Share(Shown::Value(count), answered(d)),
                    _ => Cell::Share(masked, answered(d)),
                };
                vec![
                    Cell::Text(d.scope.name(report.teams())),
                    Cell::Count(answered(d)),
                    masked_days(d.delai_median, d),
                    before.map_or(Cell::Days(None), |b| masked_days(b.delai_median, b)),
                    share(d.sous_30_jours),
                    share(d.sous_90_jours),
                    Cell::Count(waiting(d)),
                ]
            })
            .collect(),
        Some(format!(
            "Délai : nombre de jours entre la première demande adressée au périmètre et sa première intervention datée du même jour ou après, jusqu’au 31 décembre {year}. Parts calculées sur les personnes ayant reçu une réponse ; délais et parts publiés à partir de {} personnes ayant reçu une réponse.",
            2 * report.secrecy().min_count.max(1)
        )),
        report.secrecy(),
    );
    Ok(ResponseTimesView { chart, by_scope })
}

/// A délai as published: `s` when secrecy withholds it, `—` when no one
/// was answered.
fn masked_days(days: Option<u64>, row: &DelaiRow) -> Cell {
    match days {
        Some(days) => Cell::Days(Some(days)),
        None if row.repondues == Some(0) => Cell::Days(None),
        None => Cell::Count(Shown::Masked(Mask::Protecting)),
    }
}
