//! *Chiffres clés*: the indicators of the year, with Y−1 and the change,
//! and a team's figures beside the national ones; then the collective
//! actions and the participants they reached.

use serde::Serialize;

use super::parts::share;
use crate::format;
use crate::indicators::{ActionCounts, Indicator, IndicatorRow};
use crate::reference::Scope;
use crate::secret::ScopeReport;

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The national value beside a team's (`national 76 %`).
    pub national: Option<String>,
    pub previous: Option<String>,
    pub change: Option<String>,
    /// `2023 : 2 267 — évolution +78 (+3 %)`
    pub compare: Option<String>,
    pub detail: String,
    pub fill_rate: Option<String>,
}

/// The shown value of a report indicator row: a count or a rounded
/// rate; a masked count reads `< K`, a masked rate `—`.
pub fn shown_value(report: &ScopeReport, row: &IndicatorRow) -> String {
    if row.suppressed {
        if row.indicator.is_count() {
            report.masked()
        } else {
            "—".to_string()
        }
    } else if row.indicator.is_count() {
        row.numerator.map_or("—".to_string(), format::int)
    } else {
        row.percent().map_or("—".to_string(), format::percent)
    }
}

/// The figure a key-figure card leads with: the count for counts and for
/// *sans solution* (the report bilan gives it as a count), else the rate.
fn headline(report: &ScopeReport, row: &IndicatorRow) -> String {
    match row.numerator {
        Some(n) if row.indicator.leads_with_count() && !row.suppressed => format::int(n),
        _ if row.indicator.leads_with_count() && !row.indicator.is_count() => "—".to_string(),
        _ => shown_value(report, row),
    }
}

/// The change from `then` to `now`: in persons and percent for a count
/// (`+78 (+3 %)`), in points for a rate (`+2 points`).
fn change(now: &IndicatorRow, then: &IndicatorRow) -> Option<String> {
    match (
        now.indicator.leads_with_count(),
        now.numerator,
        then.numerator,
        now.percent(),
        then.percent(),
    ) {
        (true, Some(now), Some(then), _, _) => {
            let delta = now as i64 - then as i64;
            let relative = if then > 0 {
                let percent = (delta as f64 * 100.0 / then as f64).round() as i64;
                format!(" ({}\u{a0}%)", format::signed(percent))
            } else {
                String::new()
            };
            Some(format!("{}{relative}", format::signed(delta)))
        }
        (false, _, _, Some(now), Some(then)) => {
            let delta = now as i64 - then as i64;
            Some(format!(
                "{} point{}",
                format::signed(delta),
                if delta.abs() > 1 { "s" } else { "" }
            ))
        }
        _ => None,
    }
}

/// The collective actions of the year and the participants they reached,
/// with Y−1 (SPEC §6 *Chiffres clés*); none when the export has no
/// `actions` table. Not masked: they are not counts of persons (SPEC §8).
fn actions_figure(report: &ScopeReport, scope: &Scope) -> Option<KeyFigure> {
    let actions = report.actions();
    if !actions.exported {
        return None;
    }
    let year = report.year();
    let now = actions.total(scope, year);
    let before = report
        .has_previous()
        .then(|| actions.total(scope, year - 1));
    let reached = |c: &ActionCounts| {
        format!(
            "{} participant{}",
            format::int(c.participants),
            if c.participants > 1 { "s" } else { "" }
        )
    };
    let compare = before.map(|b| {
        let delta = now.actions as i64 - b.actions as i64;
        let relative = if b.actions > 0 {
            let percent = (delta as f64 * 100.0 / b.actions as f64).round() as i64;
            format!(" ({}\u{a0}%)", format::signed(percent))
        } else {
            String::new()
        };
        format!(
            "{} : {} action{}, {} — évolution {}{relative}",
            year - 1,
            format::int(b.actions),
            if b.actions > 1 { "s" } else { "" },
            reached(&b),
            format::signed(delta)
        )
    });
    let detail = format!(
        "{} touchés, professionnels et autres publics (nombre renseigné pour {} actions sur {})",
        reached(&now),
        format::int(now.participants_renseignes),
        format::int(now.actions)
    );
    Some(KeyFigure {
        id: "actions_collectives",
        label: "Actions collectives menées",
        value: format::int(now.actions),
        national: (!scope.is_national()).then(|| {
            format!(
                "national {}",
                format::int(actions.total(&Scope::National, year).actions)
            )
        }),
        previous: before.map(|b| format::int(b.actions)),
        change: None,
        compare: compare.map(|c| format::typography(&c)),
        detail: format::typography(&detail),
        fill_rate: None,
    })
}

/// The median délai of the year's first answers (SPEC §4.2, §6 *Chiffres
/// clés*), with Y−1; `—` when fewer than K persons were answered.
fn delai_figure(report: &ScopeReport, scope: &Scope) -> Option<KeyFigure> {
    let days = |d: Option<u64>| match d {
        Some(1) => "1 jour".to_string(),
        Some(d) => format!("{} jours", format::int(d)),
        None => "—".to_string(),
    };
    let now = report.delai(scope)?;
    let before = report.previous_delai(scope);
    let change = before.and_then(|b| {
        let delta = now.delai_median? as i64 - b.delai_median? as i64;
        Some(format!(
            "{} jour{}",
            format::signed(delta),
            if delta.abs() > 1 { "s" } else { "" }
        ))
    });
    let compare = before.map(|b| match &change {
        Some(change) => format!(
            "{} : {} — évolution {change}",
            report.year() - 1,
            days(b.delai_median)
        ),
        None => format!("{} : {}", report.year() - 1, days(b.delai_median)),
    });
    let detail = format!(
        "Entre la première demande et la première intervention, pour les {} nouvelles personnes ayant reçu une réponse ; {} en attente au 31 décembre.",
        report.show(now.repondues),
        report.show(now.en_attente_31_12)
    );
    Some(KeyFigure {
        id: "delai_median",
        label: "Délai médian de première réponse",
        value: days(now.delai_median),
        national: (!scope.is_national())
            .then(|| report.delai(&Scope::National))
            .flatten()
            .map(|n| format!("national {}", days(n.delai_median))),
        previous: before.map(|b| days(b.delai_median)),
        change,
        compare: compare.map(|c| format::typography(&c)),
        detail: format::typography(&detail),
        fill_rate: None,
    })
}

pub fn key_figures(report: &ScopeReport, scope: &Scope) -> Vec<KeyFigure> {
    let mut figures = indicator_figures(report, scope);
    figures.extend(delai_figure(report, scope));
    figures.extend(actions_figure(report, scope));
    figures
}

fn indicator_figures(report: &ScopeReport, scope: &Scope) -> Vec<KeyFigure> {
    Indicator::ALL
        .into_iter()
        .filter_map(|indicator| {
            let row = report.row(scope, indicator)?;
            let before = report.previous_row(scope, indicator);
            let change = before.and_then(|b| change(row, b));
            let visits = indicator == Indicator::VisiteDomicileOuEtablissement;
            let fill_rate = match (row.denominator, row.not_filled) {
                (Some(d), Some(nf)) if !indicator.is_count() && !visits => {
                    Some(share(Some(d), Some(d + nf)))
                }
                _ => None,
            };
            let detail = match (row.numerator, row.denominator) {
                _ if row.suppressed => format!(
                    "Masqué : un effectif est inférieur à {} (secret statistique).",
                    report.secrecy().min_count
                ),
                (Some(n), Some(d)) if visits => {
                    format!(
                        "{} sur {} personnes accompagnées",
                        format::int(n),
                        format::int(d)
                    )
                }
                (Some(_), Some(d)) if indicator.leads_with_count() => format!(
                    "{} des {} personnes renseignées ; taux de remplissage {}",
                    row.percent().map_or("—".to_string(), format::percent),
                    format::int(d),
                    fill_rate.clone().unwrap_or_default()
                ),
                (Some(n), Some(d)) if !indicator.is_count() => format!(
                    "{} sur {} personnes renseignées ; taux de remplissage {}",
                    format::int(n),
                    format::int(d),
                    fill_rate.clone().unwrap_or_default()
                ),
                _ => String::new(),
            };
            let previous = before.map(|b| headline(report, b));
            let compare = previous.as_ref().map(|p| match &change {
                Some(change) => format!("{} : {p} — évolution {change}", report.year() - 1),
                None => format!("{} : {p}", report.year() - 1),
            });
            Some(KeyFigure {
                id: indicator.id(),
                label: indicator.label(),
                value: headline(report, row),
                national: (!scope.is_national())
                    .then(|| report.row(&Scope::National, indicator))
                    .flatten()
                    .map(|n| format!("national {}", headline(report, n))),
                previous,
                change,
                compare: compare.map(|c| format::typography(&c)),
                detail: format::typography(&detail),
                fill_rate,
            })
        })
        .collect()
}
