//! *Synthèse* (`synthese.html`) and *Le dispositif* (`dispositif.html`):
//! the words around the figures (SPEC §6). The view gives the figures,
//! ready in French, and says which are published; the sentences are in the
//! templates, so that the GNCHR can reword them. A masked figure is None:
//! its sentence is left out, never written with `< K`.

use serde::Serialize;

use super::key_figures::numerator;
use crate::catalog::Indicator;
use crate::format;
use crate::reference::Scope;
use crate::secret::{ScopeReport, Shown};

/// The figures of the *Synthèse*, each `None` when masked or missing.
#[derive(Debug, Clone, Serialize)]
pub struct SynthesisView {
    /// `les ERHR et les CNRHR`, or `l’équipe`.
    pub who: String,
    /// The same, at the start of a sentence.
    pub who_capital: String,
    pub persons: Option<String>,
    /// `78 de plus qu’en 2023 (+3 %)`, `12 de moins…`.
    pub persons_change: Option<String>,
    pub new_persons: Option<String>,
    pub diagnosed: Option<String>,
    pub at_home: Option<String>,
    pub tnd: Option<String>,
    pub schooled: Option<String>,
    pub visits: Option<String>,
    pub under_20: Option<String>,
    pub without_solution: Option<String>,
    /// The rates that moved most since Y−1 (at least 3 points), largest
    /// first: what, from, to, and whether up.
    pub moves: Vec<MoveView>,
    pub delai_median: Option<String>,
    pub within_30: Option<String>,
    pub actions: Option<String>,
    pub participants: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoveView {
    pub what: String,
    pub from: String,
    pub to: String,
    pub points: String,
    pub up: bool,
}

/// Moves under this many points are not worth a sentence.
const NOTABLE_POINTS: u64 = 3;

pub fn synthesis(report: &ScopeReport) -> SynthesisView {
    let scope = report.scope();
    let count = |indicator| {
        report
            .own_row(indicator)
            .and_then(|r| numerator(r).value())
            .map(format::int)
    };
    let rate = |indicator| {
        let row = report.own_row(indicator)?;
        if row.suppressed {
            return None;
        }
        format::share(row.numerator?, row.denominator?)
    };
    let persons_change = (|| {
        let now = report.own_row(Indicator::PersonnesAccompagnees)?;
        let then = report.previous_row(scope, Indicator::PersonnesAccompagnees)?;
        let (now, then) = (numerator(now).value()?, numerator(then).value()?);
        let delta = now.abs_diff(then);
        let words = match now.cmp(&then) {
            std::cmp::Ordering::Greater => "de plus",
            std::cmp::Ordering::Less => "de moins",
            std::cmp::Ordering::Equal => {
                return Some(format!("autant qu’en {}", report.year() - 1))
            }
        };
        let change = format::change(now, then);
        let percent = change
            .split_once(" (")
            .map_or("", |(_, p)| p.trim_end_matches(')'));
        Some(format!(
            "{} {words} qu’en {} ({percent})",
            format::int(delta),
            report.year() - 1
        ))
    })();
    let mut moves: Vec<(u64, MoveView)> = Indicator::ALL
        .into_iter()
        .filter(|i| !i.is_count())
        .filter_map(|indicator| {
            let now = report.own_row(indicator)?;
            let then = report.previous_row(scope, indicator)?;
            if now.suppressed || then.suppressed {
                return None;
            }
            let (a, b) = (now.percent()?, then.percent()?);
            let gap = a.abs_diff(b);
            (gap >= NOTABLE_POINTS).then(|| {
                (
                    gap,
                    MoveView {
                        what: format::in_sentence(indicator.short_label()),
                        from: format::percent(b),
                        to: format::percent(a),
                        points: format!("{} points", format::int(gap)),
                        up: a > b,
                    },
                )
            })
        })
        .collect();
    moves.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.what.cmp(&b.1.what)));
    let delai = report.delai(scope);
    let within_30 = delai.and_then(|d| {
        let answered = Shown::of(d.repondues, d.masks.repondues).value()?;
        d.delai_median?;
        format::share(d.sous_30_jours?, answered)
    });
    let actions = report.actions();
    let year_actions = actions
        .exported
        .then(|| actions.total(scope, report.year()))
        .filter(|c| c.actions > 0);
    SynthesisView {
        who: match scope {
            Scope::National => "les ERHR et les CNRHR".to_string(),
            Scope::Team(_) => "l’équipe".to_string(),
        },
        who_capital: match scope {
            Scope::National => "Les ERHR et les CNRHR".to_string(),
            Scope::Team(_) => "L’équipe".to_string(),
        },
        persons: count(Indicator::PersonnesAccompagnees),
        persons_change,
        new_persons: count(Indicator::NouvellesPersonnes),
        diagnosed: rate(Indicator::MaladieRareDiagnostiquee),
        at_home: rate(Indicator::VitADomicile),
        tnd: rate(Indicator::AuMoinsUnTnd),
        schooled: rate(Indicator::Enfants316Scolarises),
        visits: rate(Indicator::VisiteDomicileOuEtablissement),
        under_20: rate(Indicator::MoinsDe20Ans),
        without_solution: count(Indicator::PersonnesSansSolution).filter(|n| n != "0"),
        moves: moves.into_iter().take(3).map(|(_, m)| m).collect(),
        delai_median: delai.and_then(|d| d.delai_median).map(format::days),
        within_30,
        actions: year_actions.map(|c| format::int(c.actions)),
        participants: year_actions
            .filter(|c| c.participants > 0)
            .map(|c| format::int(c.participants)),
    }
}

/// *Le dispositif*: the DIHR from the team referential — each ERHR with
/// its régions, each CNRHR with its speciality — and, in a team's report,
/// which team it is.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkView {
    pub erhr_count: usize,
    pub cnrhr_count: usize,
    pub erhr: Vec<TeamView>,
    pub cnrhr: Vec<TeamView>,
    /// The team of a team's report.
    pub team: Option<TeamView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub name: String,
    /// The name after « de »: "de l’ERHR Bretagne", "du CRESAM".
    pub of: String,
    pub kind: String,
    /// The régions of an ERHR, the speciality of a CNRHR.
    pub covers: String,
}

pub fn network(report: &ScopeReport) -> NetworkView {
    let teams = report.teams();
    let view = |team: &crate::reference::Team| TeamView {
        name: format::typography(&team.name),
        of: format::typography(&crate::render::publication::of_team(&team.name)),
        kind: team.kind.clone(),
        covers: format::typography(&if team.kind == "CNRHR" {
            team.specialite.clone()
        } else {
            team.regions.replace('|', ", ")
        }),
    };
    let of_kind = |kind: &str| -> Vec<TeamView> {
        let mut list: Vec<TeamView> = teams
            .all()
            .iter()
            .filter(|t| t.kind == kind)
            .map(view)
            .collect();
        list.sort_by_key(|t| crate::normalize::normalize(&t.name));
        list
    };
    let (erhr, cnrhr) = (of_kind("ERHR"), of_kind("CNRHR"));
    NetworkView {
        erhr_count: erhr.len(),
        cnrhr_count: cnrhr.len(),
        erhr,
        cnrhr,
        team: report
            .scope()
            .team()
            .and_then(|code| teams.get(code))
            .map(view),
    }
}
