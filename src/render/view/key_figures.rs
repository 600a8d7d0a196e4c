//! *Chiffres clés*: the indicators of the year, with Y−1 and the change,
//! and a team's figures beside the national ones; then the median
//! response time and the collective actions. A masked figure reads `< K`
//! when it is itself a small count, `s` otherwise, and its sentence says
//! it is masked, never that it is small (SPEC §8).

use serde::Serialize;

use crate::format;
use crate::indicators::{ActionCounts, Indicator, IndicatorRow, Mask};
use crate::reference::Scope;
use crate::secret::{ScopeReport, Secrecy, Shown};

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The national value beside a team's (`national 76 %`).
    pub national: Option<String>,
    pub previous: Option<String>,
    pub change: Option<String>,
    /// `2023 : 2 267 — évolution +78 (+3 %)`, or `— stable`
    pub compare: Option<String>,
    pub detail: String,
    pub fill_rate: Option<String>,
    /// Whether the value is masked (the card then says what `< K` and `s`
    /// mean).
    pub masked: bool,
}

/// A row's numerator as published.
pub fn numerator(row: &IndicatorRow) -> Shown {
    Shown::of(row.numerator, row.mask)
}

/// The shown value of a published indicator row: its count, or its rate
/// rounded (`< 1 %` for a rate that rounds to 0 but is not); a masked
/// count reads `< K` or `s`, a masked rate `s`.
pub fn shown_value(secrecy: Secrecy, row: &IndicatorRow) -> String {
    if not_exported(row) {
        "—".to_string()
    } else if row.indicator.is_count() {
        secrecy.show(numerator(row))
    } else {
        rate(secrecy, row)
    }
}

/// A rate as published; (v3) a mean to one decimal (`4,1`).
fn rate(secrecy: Secrecy, row: &IndicatorRow) -> String {
    match (row.numerator, row.denominator) {
        _ if row.suppressed => secrecy.show(Shown::Masked(row.parts_mask())),
        (Some(n), Some(d)) if row.indicator.is_mean() => {
            format::mean(n, d).unwrap_or_else(|| "—".to_string())
        }
        (Some(n), Some(d)) => format::share(n, d).unwrap_or_else(|| "—".to_string()),
        _ => "—".to_string(),
    }
}

/// (v3) Whether the export has no column for the row's indicator (SPEC
/// §4: its figures are null, every person not filled in).
pub fn not_exported(row: &IndicatorRow) -> bool {
    !row.suppressed && row.numerator.is_none() && row.indicator.spec().requires.is_some()
}

/// The figure a key-figure card leads with: the count for counts and for
/// *sans solution* (the published bilan gives it as a count), else the
/// rate.
fn headline(secrecy: Secrecy, row: &IndicatorRow) -> String {
    if not_exported(row) {
        "—".to_string()
    } else if row.indicator.leads_with_count() {
        secrecy.show(numerator(row))
    } else {
        rate(secrecy, row)
    }
}

/// The change from `then` to `now`: in persons and percent for a count
/// (`+78 (+3 %)`), in points for a rate (`+2 points`); none when either
/// is masked.
fn change(now: &IndicatorRow, then: &IndicatorRow) -> Option<String> {
    if now.suppressed || then.suppressed {
        return None;
    }
    if now.indicator.leads_with_count() {
        Some(format::change(now.numerator?, then.numerator?))
    } else if now.indicator.is_mean() {
        let delta = now.mean_tenths()? as i64 - then.mean_tenths()? as i64;
        let sign = match delta {
            0 => "",
            d if d > 0 => "+",
            _ => "\u{2212}",
        };
        Some(format!("{sign}{}", format::tenths(delta.unsigned_abs())))
    } else {
        Some(format::points(now.percent()?, then.percent()?))
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
        format!(
            "{} : {} action{}, {} — {}",
            year - 1,
            format::int(b.actions),
            if b.actions > 1 { "s" } else { "" },
            reached(&b),
            evolution(&format::change(now.actions, b.actions))
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
        masked: false,
    })
}

/// The median délai of the year's first answers (SPEC §4.2, §6 *Chiffres
/// clés*), with Y−1; `s` when secrecy withholds it.
fn delai_figure(report: &ScopeReport, scope: &Scope) -> Option<KeyFigure> {
    let now = report.delai(scope)?;
    let withheld = now.masks.repondues == Some(Mask::Withheld);
    let days = |d: Option<u64>, answered: Option<u64>| match (d, answered) {
        (Some(d), _) => format::days(d),
        (None, Some(0)) => "—".to_string(),
        (None, _) if withheld => crate::secret::WITHHELD.to_string(),
        (None, _) => crate::secret::PROTECTING.to_string(),
    };
    let before = report.previous_delai(scope);
    let change = before.and_then(|b| {
        let delta = now.delai_median? as i64 - b.delai_median? as i64;
        Some(format!(
            "{} jour{}",
            format::signed(delta),
            if delta.abs() > 1 { "s" } else { "" }
        ))
    });
    let compare = before.map(|b| {
        let then = days(b.delai_median, b.repondues);
        match &change {
            Some(change) => format!("{} : {then} — {}", report.year() - 1, evolution(change)),
            None => format!("{} : {then}", report.year() - 1),
        }
    });
    let answered = Shown::of(now.repondues, now.masks.repondues);
    let waiting = Shown::of(now.en_attente_31_12, now.masks.en_attente);
    let detail = match (answered, waiting) {
        (Shown::Value(a), Shown::Value(w)) => format!(
            "Entre la première demande et la première intervention, pour les {} nouvelles personnes ayant reçu une réponse ; {} en attente au 31 décembre.",
            format::int(a),
            format::int(w)
        ),
        _ => format!(
            "Entre la première demande et la première intervention. Les nombres de nouvelles personnes ayant reçu une réponse et de celles en attente sont masqués (secret statistique) ; les délais sont publiés à partir de {} personnes ayant reçu une réponse.",
            2 * report.secrecy().min_count.max(1)
        ),
    };
    let masked = now.delai_median.is_none() && now.repondues != Some(0);
    Some(KeyFigure {
        id: "delai_median",
        label: "Délai médian de première réponse",
        value: days(now.delai_median, now.repondues),
        national: (!scope.is_national())
            .then(|| report.delai(&Scope::National))
            .flatten()
            .map(|n| format!("national {}", days(n.delai_median, n.repondues))),
        previous: before.map(|b| days(b.delai_median, b.repondues)),
        change,
        compare: compare.map(|c| format::typography(&c)),
        detail: format::typography(&detail),
        fill_rate: None,
        masked,
    })
}

pub fn key_figures(report: &ScopeReport, scope: &Scope) -> Vec<KeyFigure> {
    let mut figures = indicator_figures(report, scope);
    figures.extend(delai_figure(report, scope));
    figures.extend(actions_figure(report, scope));
    figures
}

/// The detail of a card: the rate's numerator and denominator, its fill
/// rate; for a masked figure, that it is masked.
fn detail(report: &ScopeReport, row: &IndicatorRow, fill_rate: &Option<String>) -> String {
    let indicator = row.indicator;
    let visits = indicator == Indicator::VisiteDomicileOuEtablissement;
    match (row.numerator, row.denominator) {
        _ if not_exported(row) => format!(
            "L’export ne contient pas ce champ ({}) : l’indicateur n’est pas calculé.",
            indicator.spec().field.unwrap_or_default().to_lowercase()
        ),
        (Some(n), Some(d)) if indicator.is_mean() => format!(
            "{} types d’accompagnement pour {} personnes dont les accompagnements sont renseignés, soit {} en moyenne (environ {}) ; taux de remplissage {}",
            format::int(n),
            format::int(d),
            format::mean(n, d).unwrap_or_default(),
            format::mean_unit(n, d).unwrap_or_default(),
            fill_rate.clone().unwrap_or_default()
        ),
        _ if row.suppressed && indicator.is_count() => {
            "Masqué : effectif de 1 à K−1 personnes (secret statistique).".replace(
                "K−1",
                &report.secrecy().min_count.saturating_sub(1).to_string(),
            )
        }
        _ if row.suppressed && row.parts_mask() == Mask::Withheld => format!(
            "Non diffusé : moins de {} personnes accompagnées dans l’année (secret statistique).",
            report.secrecy().thin_below()
        ),
        _ if row.suppressed => {
            "Masqué : un effectif dont il dépend est trop petit pour être publié (secret statistique).".to_string()
        }
        (Some(n), Some(d)) if visits => format!(
            "{} sur {} personnes accompagnées",
            format::int(n),
            format::int(d)
        ),
        (Some(n), Some(d)) if indicator.leads_with_count() => format!(
            "{} des {} personnes dont le champ est renseigné ; taux de remplissage {}",
            format::share(n, d).unwrap_or_default(),
            format::int(d),
            fill_rate.clone().unwrap_or_default()
        ),
        (Some(n), Some(d)) if !indicator.is_count() => format!(
            "{} sur {} personnes dont le champ est renseigné ; taux de remplissage {}",
            format::int(n),
            format::int(d),
            fill_rate.clone().unwrap_or_default()
        ),
        _ => String::new(),
    }
}

fn indicator_figures(report: &ScopeReport, scope: &Scope) -> Vec<KeyFigure> {
    let secrecy = report.secrecy();
    Indicator::ALL
        .into_iter()
        .filter_map(|indicator| {
            let row = report.row(scope, indicator)?;
            let before = report.previous_row(scope, indicator);
            let change = before.and_then(|b| change(row, b));
            let visits = indicator == Indicator::VisiteDomicileOuEtablissement;
            let fill_rate = match (row.denominator, row.not_filled) {
                (Some(d), Some(nf)) if !indicator.is_count() && !visits => format::share(d, d + nf),
                _ => None,
            };
            let previous = before.map(|b| headline(secrecy, b));
            let compare = previous.as_ref().map(|p| match &change {
                Some(change) => format!("{} : {p} — {}", report.year() - 1, evolution(change)),
                None => format!("{} : {p}", report.year() - 1),
            });
            Some(KeyFigure {
                id: indicator.id(),
                label: indicator.label_for(scope.is_national()),
                value: headline(secrecy, row),
                national: (!scope.is_national())
                    .then(|| report.row(&Scope::National, indicator))
                    .flatten()
                    .map(|n| format!("national {}", headline(secrecy, n))),
                previous,
                change,
                compare: compare.map(|c| format::typography(&c)),
                detail: format::typography(&detail(report, row, &fill_rate)),
                fill_rate,
                masked: row.suppressed,
            })
        })
        .collect()
}

/// « évolution +78 (+3 %) », or « stable » for no change (`0`, `0 point`).
fn evolution(change: &str) -> String {
    if change.starts_with('0') {
        "stable".to_string()
    } else {
        format!("évolution {change}")
    }
}
