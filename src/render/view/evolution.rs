//! *Évolution A–Y* (`evolution.html`, SPEC §4.3): a line chart per
//! headline figure with its table, the persons per team and year, the
//! distinct persons cumulated since A, and the change on Y−1 and on A.

use anyhow::Result;
use serde::Serialize;

use super::key_figures::shown_value;
use super::parts::{ChartView, TableView};
use crate::charts::{line_alt_text, line_chart, Point};
use crate::format;
use crate::indicators::{Indicator, IndicatorRow, SeriesYear};
use crate::reference::NATIONAL;
use crate::secret::{Published, ScopeFigures};

#[derive(Debug, Clone, Serialize)]
pub struct EvolutionView {
    pub first_year: i32,
    pub last_year: i32,
    /// Whether the series has more than one year.
    pub has_series: bool,
    pub summary: TableView,
    pub charts: Vec<ChartView>,
    pub by_team: Option<TableView>,
}

/// The row of `indicator` for `scope` in a year of the series.
fn row_in<'a>(year: &'a SeriesYear, scope: &str, indicator: Indicator) -> Option<&'a IndicatorRow> {
    year.figures
        .rows
        .iter()
        .find(|r| r.scope == scope && r.indicator == indicator)
}

/// The value drawn for a row: the count for counts, the rate for rates.
fn value_of(row: &IndicatorRow) -> Option<u64> {
    if row.suppressed {
        None
    } else if row.indicator.is_count() {
        row.numerator
    } else {
        row.percent()
    }
}

/// The change from `then` to `now`: persons and percent for a count,
/// points for a rate; `—` when either is masked or missing.
fn change(now: Option<&IndicatorRow>, then: Option<&IndicatorRow>) -> String {
    let (Some(now), Some(then)) = (now, then) else {
        return "—".to_string();
    };
    match (value_of(now), value_of(then)) {
        (Some(a), Some(b)) if now.indicator.is_count() => {
            let delta = a as i64 - b as i64;
            if b == 0 {
                format::signed(delta)
            } else {
                let percent = (delta as f64 * 100.0 / b as f64).round() as i64;
                format!(
                    "{} ({}\u{a0}%)",
                    format::signed(delta),
                    format::signed(percent)
                )
            }
        }
        (Some(a), Some(b)) => {
            let delta = a as i64 - b as i64;
            format!(
                "{} pt{}",
                format::signed(delta),
                if delta.abs() > 1 { "s" } else { "" }
            )
        }
        _ => "—".to_string(),
    }
}

pub fn evolution(published: &Published, report: &ScopeFigures) -> Result<EvolutionView> {
    let series = published.series();
    let scope = report.scope.code();
    let (first_year, last_year) = (
        series.first().map_or(published.year(), |s| s.figures.year),
        published.year(),
    );
    let shown = |year: &SeriesYear, indicator: Indicator| -> String {
        match row_in(year, scope, indicator) {
            _ if !year.active => "aucune activité".to_string(),
            Some(row) => shown_value(published, row),
            None => "0".to_string(),
        }
    };
    let last = series.last();
    let before = series.len().checked_sub(2).and_then(|i| series.get(i));
    let first = series.first();
    // A, Y−1 and Y (each once): every year is in the charts' tables.
    let mut years: Vec<&SeriesYear> = [first, before, last].into_iter().flatten().collect();
    years.dedup_by_key(|y| y.figures.year);
    let mut columns = vec!["Indicateur".to_string()];
    columns.extend(years.iter().map(|s| s.figures.year.to_string()));
    columns.push(format!("Sur 1 an ({})", last_year - 1));
    columns.push(format!("Depuis {first_year}"));
    let summary = TableView {
        title: format!("Évolution des chiffres clés de {first_year} à {last_year}"),
        columns,
        rows: Indicator::ALL
            .iter()
            .map(|&indicator| {
                let mut row = vec![indicator.short_label().to_string()];
                row.extend(years.iter().map(|year| shown(year, indicator)));
                let now = last.and_then(|y| row_in(y, scope, indicator));
                let year_before = before.and_then(|y| row_in(y, scope, indicator));
                let year_first = first.and_then(|y| row_in(y, scope, indicator));
                row.push(change(now, year_before));
                row.push(change(now, year_first));
                row
            })
            .collect(),
        note: Some("Évolution en personnes et en pourcentage pour les effectifs, en points pour les taux ; « — » : valeur masquée (secret statistique) ou année sans activité.".to_string()),
    };
    let mut charts = Vec::new();
    for indicator in Indicator::ALL {
        let points: Vec<Point> = series
            .iter()
            .map(|year| {
                let row = row_in(year, scope, indicator);
                Point {
                    label: year.figures.year.to_string(),
                    value: row.filter(|_| year.active).and_then(value_of),
                    shown: if year.active {
                        row.map_or("0".to_string(), |r| shown_value(published, r))
                    } else {
                        "—".to_string()
                    },
                }
            })
            .collect();
        charts.push(line_view(
            &format!("evolution-{}", indicator.id().replace('_', "-")),
            indicator.label(),
            points,
            !indicator.is_count(),
        )?);
    }
    let cumulated: Vec<Point> = series
        .iter()
        .map(|year| {
            let value = year
                .cumulated
                .iter()
                .find(|c| c.scope == scope)
                .and_then(|c| c.personnes_cumulees);
            let known = year.cumulated.iter().any(|c| c.scope == scope);
            Point {
                label: year.figures.year.to_string(),
                value,
                shown: match (value, known) {
                    (Some(v), _) => format::int(v),
                    (None, true) => published.masked(),
                    (None, false) => "—".to_string(),
                },
            }
        })
        .collect();
    charts.push(line_view(
        "evolution-personnes-cumulees",
        &format!("Personnes distinctes accompagnées depuis {first_year} (cumul)"),
        cumulated,
        false,
    )?);
    let by_team = report
        .scope
        .is_national()
        .then(|| by_team(published, series));
    Ok(EvolutionView {
        first_year,
        last_year,
        has_series: series.len() > 1,
        summary,
        charts,
        by_team,
    })
}

/// A line chart with the table of its points, one column per year.
fn line_view(id: &str, title: &str, points: Vec<Point>, percent: bool) -> Result<ChartView> {
    let mut columns = vec!["Année".to_string()];
    columns.extend(points.iter().map(|p| p.label.clone()));
    let mut values = vec![if percent { "Taux" } else { "Effectif" }.to_string()];
    values.extend(points.iter().map(|p| p.shown.clone()));
    Ok(ChartView {
        id: id.to_string(),
        title: title.to_string(),
        svg: line_chart(title, &points, percent)?,
        alt: line_alt_text(title, &points),
        columns,
        rows: vec![values],
        note: None,
        table: None,
    })
}

/// Persons accompanied per team and year (national report).
fn by_team(published: &Published, series: &[SeriesYear]) -> TableView {
    let mut teams: Vec<&str> = series
        .iter()
        .flat_map(|s| s.figures.rows.iter().map(|r| r.scope.as_str()))
        .filter(|s| *s != NATIONAL)
        .collect();
    teams.sort_unstable();
    teams.dedup();
    let mut columns = vec!["Équipe".to_string()];
    columns.extend(series.iter().map(|s| s.figures.year.to_string()));
    TableView {
        title: "Personnes accompagnées par équipe et par année".to_string(),
        columns,
        rows: teams
            .iter()
            .map(|team| {
                let mut row = vec![published.teams().label(team)];
                row.extend(series.iter().map(|year| {
                    row_in(year, team, Indicator::PersonnesAccompagnees)
                        .map_or("—".to_string(), |r| shown_value(published, r))
                }));
                row
            })
            .collect(),
        note: Some(
            "« — » : l’équipe n’a aucune demande ni intervention cette année-là.".to_string(),
        ),
    }
}
