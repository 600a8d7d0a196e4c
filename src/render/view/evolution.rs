//! *Évolution A–Y* (`evolution.html`, SPEC §4.3): a line chart per
//! headline figure with its table, the persons per team and year, the
//! distinct persons cumulated since A, and the change on Y−1 and on A.

use anyhow::Result;
use serde::Serialize;

use super::parts::{Cell, ChartView, TableView};
use crate::catalog::Kind;
use crate::charts::{line_alt_text, line_chart, Axis, Point};
use crate::format;
use crate::indicators::{Indicator, IndicatorRow, SeriesYear};
use crate::reference::Scope;
use crate::secret::{ScopeReport, Shown};

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
fn row_in<'a>(
    year: &'a SeriesYear,
    scope: &Scope,
    indicator: Indicator,
) -> Option<&'a IndicatorRow> {
    year.figures
        .rows
        .iter()
        .find(|r| r.scope == *scope && r.indicator == indicator)
}

/// The value drawn for a row: the count for counts, the rate for rates,
/// (v3) the mean in tenths for a mean.
fn value_of(row: &IndicatorRow) -> Option<u64> {
    if row.suppressed {
        None
    } else if row.indicator.is_count() {
        row.numerator
    } else if row.indicator.is_mean() {
        row.mean_tenths()
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
        (Some(a), Some(b)) if now.indicator.is_count() => format::change(a, b),
        (Some(a), Some(b)) if now.indicator.is_mean() => {
            let sign = match a.cmp(&b) {
                std::cmp::Ordering::Greater => "+",
                std::cmp::Ordering::Less => "\u{2212}",
                std::cmp::Ordering::Equal => "",
            };
            format!("{sign}{}", format::tenths(a.abs_diff(b)))
        }
        (Some(a), Some(b)) => format::points(a, b),
        _ => "—".to_string(),
    }
}

pub fn evolution(report: &ScopeReport) -> Result<EvolutionView> {
    let series = report.series();
    let scope = report.scope();
    let (first_year, last_year) = (
        series.first().map_or(report.year(), |s| s.figures.year),
        report.year(),
    );
    let cell = |year: &SeriesYear, indicator: Indicator| -> Cell {
        match row_in(year, scope, indicator) {
            _ if !year.active => Cell::text("aucune activité"),
            Some(row) => cell_of(row),
            // The scope was not active that year: none of its persons, and
            // no share of them.
            None if indicator.is_count() => Cell::count(0),
            None => Cell::text("—"),
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
    let summary = TableView::new(
        format!("Évolution des chiffres clés de {first_year} à {last_year}"),
        columns,
        Indicator::ALL
            .iter()
            .map(|&indicator| {
                let mut row = vec![Cell::text(indicator.short_label())];
                row.extend(years.iter().map(|year| cell(year, indicator)));
                let now = last.and_then(|y| row_in(y, scope, indicator));
                let year_before = before.and_then(|y| row_in(y, scope, indicator));
                let year_first = first.and_then(|y| row_in(y, scope, indicator));
                row.push(Cell::text(change(now, year_before)));
                row.push(Cell::text(change(now, year_first)));
                row
            })
            .collect(),
        Some("Évolution en personnes et en pourcentage pour les effectifs, en points pour les taux, en types d’accompagnement pour la moyenne ; « — » : valeur masquée (secret statistique), année sans activité ou champ absent de l’export.".to_string()),
        report.secrecy(),
    );
    let mut charts = Vec::new();
    for indicator in Indicator::ALL {
        let (points, cells): (Vec<Point>, Vec<Cell>) = series
            .iter()
            .map(|year| {
                let row = row_in(year, scope, indicator);
                let cell = match row {
                    _ if !year.active => Cell::text("—"),
                    Some(row) => cell_of(row),
                    None if indicator.is_count() => Cell::count(0),
                    None => Cell::text("—"),
                };
                let point = Point {
                    label: year.figures.year.to_string(),
                    value: row.filter(|_| year.active).and_then(value_of),
                    shown: cell.shown(report.secrecy()),
                };
                (point, cell)
            })
            .unzip();
        let axis = match indicator.spec().kind {
            Kind::Count => Axis::Count,
            Kind::Rate => Axis::Percent,
            Kind::Mean => Axis::Tenths,
        };
        charts.push(line_view(
            &format!("evolution-{}", indicator.id().replace('_', "-")),
            indicator.label_for(scope.is_national()),
            points,
            cells,
            axis,
        )?);
    }
    let (cumulated, cumulated_cells): (Vec<Point>, Vec<Cell>) = series
        .iter()
        .map(|year| {
            let found = year.cumulated.iter().find(|c| c.scope == *scope);
            let value = found.and_then(|c| c.personnes_cumulees);
            let cell = match found {
                Some(c) => Cell::Count(Shown::of(c.personnes_cumulees, c.mask)),
                None => Cell::text("—"),
            };
            let point = Point {
                label: year.figures.year.to_string(),
                value,
                shown: cell.shown(report.secrecy()),
            };
            (point, cell)
        })
        .unzip();
    charts.push(line_view(
        "evolution-personnes-cumulees",
        &format!("Personnes distinctes accompagnées depuis {first_year} (cumul)"),
        cumulated,
        cumulated_cells,
        Axis::Count,
    )?);
    let by_team = report
        .scope()
        .is_national()
        .then(|| by_team(report, series));
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
fn line_view(
    id: &str,
    title: &str,
    points: Vec<Point>,
    cells: Vec<Cell>,
    axis: Axis,
) -> Result<ChartView> {
    let mut columns = vec!["Année".to_string()];
    columns.extend(points.iter().map(|p| p.label.clone()));
    let kind = match axis {
        Axis::Count => "Effectif",
        Axis::Percent => "Taux",
        Axis::Tenths => "Moyenne",
    };
    let mut values = vec![kind.to_string()];
    values.extend(points.iter().map(|p| p.shown.clone()));
    let mut row = vec![Cell::text(kind)];
    row.extend(cells);
    Ok(ChartView {
        id: id.to_string(),
        title: title.to_string(),
        svg: line_chart(title, &points, axis)?,
        alt: line_alt_text(title, &points),
        columns,
        rows: vec![values],
        note: None,
        table: None,
        cells: vec![row],
    })
}

/// A published row as a typed cell: its count, or its rate (a masked
/// count reads `< K` or `s`, a masked rate `s`).
fn cell_of(row: &IndicatorRow) -> Cell {
    let masked = Shown::Masked(row.parts_mask());
    match (row.numerator, row.denominator) {
        _ if super::key_figures::not_exported(row) => Cell::text("—"),
        _ if row.indicator.is_count() => Cell::Count(Shown::of(row.numerator, row.mask)),
        (Some(_), Some(_)) if row.indicator.is_mean() => {
            Cell::Decimal(row.mean_tenths().map(|t| t as f64 / 10.0), 1)
        }
        (Some(n), Some(d)) => Cell::Share(n.into(), d.into()),
        _ if row.indicator.is_mean() => Cell::Count(masked),
        _ => Cell::Share(masked, masked),
    }
}

/// Persons accompanied per team and year (national report).
fn by_team(report: &ScopeReport, series: &[SeriesYear]) -> TableView {
    let mut teams: Vec<&Scope> = series
        .iter()
        .flat_map(|s| s.figures.rows.iter().map(|r| &r.scope))
        .filter(|s| !s.is_national())
        .collect();
    teams.sort_unstable();
    teams.dedup();
    let mut columns = vec!["Équipe".to_string()];
    columns.extend(series.iter().map(|s| s.figures.year.to_string()));
    TableView::new(
        "Personnes accompagnées par équipe et par année",
        columns,
        teams
            .iter()
            .map(|team| {
                let mut row = vec![Cell::text(team.name(report.teams()))];
                row.extend(series.iter().map(|year| {
                    row_in(year, team, Indicator::PersonnesAccompagnees)
                        .map_or(Cell::text("—"), cell_of)
                }));
                row
            })
            .collect(),
        Some("« — » : l’équipe n’a aucune demande ni intervention cette année-là.".to_string()),
        report.secrecy(),
    )
}
