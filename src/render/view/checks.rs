//! The year-on-year moves to check before publication (*Qualité des
//! données*), as the médico-social dashboards' data-reliability campaigns
//! flag aberrant values: each flag says what moved, from what to what, and
//! what to verify. Thresholds (documented in `docs/decisions.md`):
//! persons or new persons of a scope moving by more than 25 % (and at
//! least 10 persons), a rate by more than 10 points, a field's fill rate
//! dropping by more than 10 points. Only report figures are compared.

use super::parts::{Cell, TableView};
use crate::format;
use crate::indicators::{Indicator, IndicatorRow};
use crate::reference::Scope;
use crate::secret::ScopeReport;

/// A count moving by more than this share (percent) is flagged…
const COUNT_MOVE_PERCENT: u64 = 25;
/// …when it moves by at least this many persons.
const COUNT_MOVE_PERSONS: u64 = 10;
/// A rate moving by more than this many points is flagged.
const RATE_MOVE_POINTS: u64 = 10;
/// A fill rate dropping by more than this many points is flagged.
const FILL_DROP_POINTS: u64 = 10;

/// The field a rate indicator's fill rate is about.
fn field_of(indicator: Indicator) -> Option<&'static str> {
    match indicator {
        Indicator::MaladieRareDiagnostiquee => Some("Maladie rare"),
        Indicator::VitADomicile => Some("Lieu de vie"),
        Indicator::AuMoinsUnTnd => Some("TND"),
        Indicator::Enfants316Scolarises => Some("Scolarisation (3–16 ans)"),
        Indicator::MoinsDe20Ans => Some("Date de naissance"),
        Indicator::PersonnesSansSolution => Some("Situation"),
        _ => None,
    }
}

/// The share of the population whose field is filled in, in percent.
fn fill_rate(row: &IndicatorRow) -> Option<u64> {
    let (d, nf) = (row.denominator?, row.not_filled?);
    (d + nf > 0).then(|| format::round_percent(d, d + nf))
}

pub fn checks(report: &ScopeReport) -> TableView {
    let year = report.year();
    let mut rows = Vec::new();
    let scopes: Vec<&Scope> = if report.scope().is_national() {
        report.scopes()
    } else {
        vec![report.scope()]
    };
    for scope in scopes {
        let label = scope.name(report.teams());
        for indicator in Indicator::ALL {
            let (Some(now), Some(then)) = (
                report.row(scope, indicator),
                report.previous_row(scope, indicator),
            ) else {
                continue;
            };
            if now.suppressed || then.suppressed {
                continue;
            }
            let what = format!("{label} — {}", format::in_sentence(indicator.short_label()));
            if indicator.is_count() {
                let (Some(a), Some(b)) = (now.numerator, then.numerator) else {
                    continue;
                };
                let delta = a.abs_diff(b);
                if delta >= COUNT_MOVE_PERSONS && delta * 100 > COUNT_MOVE_PERCENT * b.max(1) {
                    let verify = if indicator == Indicator::NouvellesPersonnes {
                        "l’historique exporté (demandes des années précédentes), la date de la première demande, des dossiers recréés"
                    } else {
                        "une équipe renommée ou fusionnée, des dossiers non exportés l’une des deux années, un changement de saisie"
                    };
                    rows.push(flag(
                        what,
                        format::int(b),
                        format::int(a),
                        change(a, b),
                        verify,
                        year,
                    ));
                }
            } else if let (Some(a), Some(b)) = (now.percent(), then.percent()) {
                if a.abs_diff(b) > RATE_MOVE_POINTS {
                    rows.push(flag(
                        what.clone(),
                        format::percent(b),
                        format::percent(a),
                        points(a, b),
                        "la nomenclature employée (libellés nouveaux ou non reconnus), la saisie du champ dans l’équipe",
                        year,
                    ));
                }
            }
            if let (Some(field), Some(a), Some(b)) =
                (field_of(indicator), fill_rate(now), fill_rate(then))
            {
                if b > a && b - a > FILL_DROP_POINTS {
                    rows.push(flag(
                        format!("{label} — taux de remplissage : {field}"),
                        format::percent(b),
                        format::percent(a),
                        points(a, b),
                        "la colonne dans l’export (renommée, vidée), les valeurs non reconnues signalées ci-dessous",
                        year,
                    ));
                }
            }
        }
    }
    TableView::new(
        format!("Évolutions {}–{year} à vérifier avant publication", year - 1),
        vec![
            "Ce qui a bougé".into(),
            format!("{}", year - 1),
            format!("{year}"),
            "Écart".into(),
            "À vérifier".into(),
        ],
        rows.into_iter()
            .map(|row| row.into_iter().map(Cell::Text).collect())
            .collect(),
        Some(format!(
            "Signalé : un effectif (personnes accompagnées, nouvelles personnes) qui varie de plus de {COUNT_MOVE_PERCENT}\u{202F}% et d’au moins {COUNT_MOVE_PERSONS} personnes, un taux qui varie de plus de {RATE_MOVE_POINTS} points, un taux de remplissage qui baisse de plus de {FILL_DROP_POINTS} points. Une variation réelle est possible : ces lignes disent où regarder avant de publier."
        )),
        report.secrecy(),
    )
}

fn flag(
    what: String,
    before: String,
    now: String,
    gap: String,
    verify: &str,
    _year: i32,
) -> Vec<String> {
    vec![what, before, now, gap, format!("Vérifier {verify}.")]
}

fn change(now: u64, then: u64) -> String {
    let delta = now as i64 - then as i64;
    if then == 0 {
        return format::signed(delta);
    }
    let percent = (delta as f64 * 100.0 / then as f64).round() as i64;
    format!(
        "{} ({}\u{a0}%)",
        format::signed(delta),
        format::signed(percent)
    )
}

fn points(now: u64, then: u64) -> String {
    format!("{} points", format::signed(now as i64 - then as i64))
}
