//! *Actions collectives* (`actions.html`, SPEC §6 item 9): the year's
//! collective actions by type, by team (national report), by public
//! reached, with participants and hours, Y−1 beside them. These figures
//! count actions and professionals, not accompanied persons: statistical
//! secrecy leaves them as they are (SPEC §8), and the section says so.

use anyhow::Result;
use serde::Serialize;

use super::parts::{Chart, ChartView, Orientation, Row, TableView};
use crate::format;
use crate::indicators::{ActionCounts, ActionFigures, ActionRow};
use crate::reference::{Category, Scope};
use crate::secret::{ScopeReport, Shown};

#[derive(Debug, Clone, Serialize)]
pub struct ActionsView {
    /// Whether the export has an `actions` table.
    pub exported: bool,
    /// One sentence: how many actions, participants and hours in Y.
    pub summary: String,
    pub charts: Vec<ChartView>,
    pub by_type: TableView,
    pub by_public: TableView,
    /// Every team's actions (national report), or the team beside the
    /// national figures (a team's report).
    pub by_team: TableView,
    /// Actions by type and year, from the first year of the series to Y;
    /// `None` for a single year.
    pub by_year: Option<TableView>,
}

/// Hours as read in French: `1 234,5` (a decimal only when needed).
fn hours(counts: &ActionCounts) -> String {
    let hundredths = counts.heures_centiemes;
    match hundredths % 100 {
        0 => format::int(hundredths / 100),
        n if n % 10 == 0 => format::decimal(counts.hours(), 1),
        _ => format::decimal(counts.hours(), 2),
    }
}

/// `1 action`, `2 345 actions`.
fn count(n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        format::int(n),
        if n > 1 { plural } else { singular }
    )
}

/// `12 (11)`: a sum and how many actions fill it in, when some do not.
fn with_filled(sum: String, filled: u64, actions: u64) -> String {
    if filled == actions {
        sum
    } else {
        format!("{sum} ({})", format::int(filled))
    }
}

/// The row of a value in `rows` (`None`: not filled in).
fn find<'a>(rows: &'a [ActionRow], value: Option<&str>) -> Option<&'a ActionCounts> {
    rows.iter().find(|r| r.value == value).map(|r| &r.counts)
}

/// Rows of a table by value, in the order of the nomenclature, then *Non
/// renseigné*: label, actions, participants, hours, and Y−1's actions.
fn category_rows(
    category: Category,
    now: &[ActionRow],
    before: Option<&[ActionRow]>,
) -> Vec<Vec<String>> {
    let values = category
        .values()
        .iter()
        .map(|v| (Some(v.code), v.display))
        .chain(std::iter::once((None, "Non renseigné")));
    values
        .filter_map(|(value, label)| {
            let counts = find(now, value);
            let previous = before.map(|rows| find(rows, value).map_or(0, |c| c.actions));
            if counts.is_none() && previous.unwrap_or(0) == 0 {
                return None;
            }
            let c = counts.copied().unwrap_or_default();
            let mut row = vec![
                label.to_string(),
                format::int(c.actions),
                with_filled(
                    format::int(c.participants),
                    c.participants_renseignes,
                    c.actions,
                ),
                with_filled(hours(&c), c.heures_renseignees, c.actions),
            ];
            if let Some(previous) = previous {
                row.push(format::int(previous));
            }
            Some(row)
        })
        .collect()
}

fn columns(first: &str, previous_year: Option<i32>) -> Vec<String> {
    let mut columns = vec![
        first.to_string(),
        "Actions".to_string(),
        "Participants".to_string(),
        "Heures".to_string(),
    ];
    if let Some(year) = previous_year {
        columns.push(format!("Actions {year}"));
    }
    columns
}

/// Rows of the actions by value, in the nomenclature's order (zeros
/// included), then *Non renseigné* when there is any.
fn action_rows(category: Category, rows: &[ActionRow]) -> Vec<Row> {
    let mut bars: Vec<Row> = category
        .values()
        .iter()
        .map(|v| {
            let n = find(rows, Some(v.code)).map_or(0, |c| c.actions);
            (v.display.to_string(), Shown::Value(n))
        })
        .collect();
    if let Some(missing) = find(rows, None) {
        bars.push(("Non renseigné".to_string(), Shown::Value(missing.actions)));
    }
    bars
}

pub(crate) const FILLED_NOTE: &str = "Entre parenthèses, le nombre d'actions pour lesquelles la donnée est renseignée, lorsqu'il diffère du nombre d'actions ; les sommes portent sur ces actions seulement.";

pub fn actions(report: &ScopeReport, scope: &Scope) -> Result<ActionsView> {
    let year = report.year();
    let all = report.actions();
    let mine = all.of(scope, year);
    let previous_year = report.has_previous().then_some(year - 1);
    let before = previous_year.map(|y| all.of(scope, y));
    let total = all.total(scope, year);
    if !all.exported {
        return Ok(ActionsView {
            exported: false,
            summary: String::new(),
            charts: Vec::new(),
            by_type: empty_table(),
            by_public: empty_table(),
            by_team: empty_table(),
            by_year: None,
        });
    }
    let summary = match total.actions {
        0 => format!("Aucune action collective n'est datée de {year}."),
        n => format!(
            "{} en {year}, qui {} réuni {} (nombre renseigné pour {}) pendant {} heure{} (durée renseignée pour {}).",
            count(n, "action collective menée", "actions collectives menées"),
            if n > 1 { "ont" } else { "a" },
            count(total.participants, "participant", "participants"),
            count(total.participants_renseignes, "action", "actions"),
            hours(&total),
            if total.heures_centiemes >= 200 { "s" } else { "" },
            count(total.heures_renseignees, "action", "actions"),
        ),
    };
    let by_public_bars = action_rows(Category::Public, &mine.by_public);
    let all_actions = Some(Shown::Value(total.actions));
    let mut charts = vec![
        Chart {
            id: "actions-type",
            title: "Actions collectives par type",
            header: "Type d’action",
            rows: action_rows(Category::TypeAction, &mine.by_type),
            aside: Vec::new(),
            base: all_actions,
            orientation: Orientation::Horizontal,
            several: false,
            note: None,
        },
        Chart {
            id: "actions-public",
            title: "Actions collectives par public visé",
            header: "Public visé",
            rows: by_public_bars,
            aside: Vec::new(),
            base: all_actions,
            orientation: Orientation::Horizontal,
            several: true,
            note: Some(
                "Une action qui vise plusieurs publics compte pour chacun : la somme des publics dépasse le nombre d'actions, et la part est celle des actions qui visent ce public."
                    .to_string(),
            ),
        },
    ];
    if scope.is_national() {
        charts.push(Chart {
            id: "actions-equipe",
            title: "Actions collectives par équipe",
            header: "Équipe",
            rows: team_totals(all, year)
                .into_iter()
                .map(|(team, c)| (team.name(report.teams()), Shown::Value(c.actions)))
                .collect(),
            aside: Vec::new(),
            base: all_actions,
            orientation: Orientation::Horizontal,
            several: false,
            note: match teamless(all, year) {
                0 => None,
                1 => Some(
                    "1 action sans équipe renseignée compte au niveau national seulement."
                        .to_string(),
                ),
                n => Some(format!(
                    "{} actions sans équipe renseignée comptent au niveau national seulement.",
                    format::int(n)
                )),
            },
        });
    }
    let charts = charts
        .into_iter()
        .map(|chart| {
            let mut view = chart.view(report.secrecy())?;
            // The bars count actions, not persons.
            view.columns[1] = "Actions".to_string();
            Ok(view)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ActionsView {
        exported: true,
        summary: format::typography(&summary),
        charts,
        by_type: TableView {
            title: "Actions, participants et heures par type d’action".to_string(),
            columns: columns("Type d’action", previous_year),
            rows: category_rows(
                Category::TypeAction,
                &mine.by_type,
                before.as_ref().map(|b| b.by_type.as_slice()),
            ),
            note: Some(FILLED_NOTE.to_string()),
            // bilan.xlsx reads the text rows (`workbook::text_table`).
            cells: Vec::new(),
        },
        by_public: TableView {
            title: "Professionnels et autres publics touchés, par public visé".to_string(),
            columns: columns("Public visé", previous_year),
            rows: category_rows(
                Category::Public,
                &mine.by_public,
                before.as_ref().map(|b| b.by_public.as_slice()),
            ),
            note: Some(
                "Les participants d'une action qui vise plusieurs publics comptent pour chacun d'eux : les lignes ne s'additionnent pas."
                    .to_string(),
            ),
            // bilan.xlsx reads the text rows (`workbook::text_table`).
            cells: Vec::new(),
        },
        by_team: team_table(report, scope, year, previous_year),
        by_year: year_table(report, scope),
    })
}

/// Actions by type (rows) and year (columns) over the series of §4.3, with
/// a total line; types with no action in any year are left out.
fn year_table(report: &ScopeReport, scope: &Scope) -> Option<TableView> {
    let years: Vec<i32> = report.series().iter().map(|s| s.figures.year).collect();
    if years.len() < 2 {
        return None;
    }
    let all = report.actions();
    let of = |year: i32, value: Option<&str>| {
        find(&all.of(scope, year).by_type, value).map_or(0, |c| c.actions)
    };
    let values = Category::TypeAction
        .values()
        .iter()
        .map(|v| (Some(v.code), v.display))
        .chain(std::iter::once((None, "Non renseigné")));
    let mut rows: Vec<Vec<String>> = values
        .filter(|(value, _)| years.iter().any(|&y| of(y, *value) > 0))
        .map(|(value, label)| {
            std::iter::once(label.to_string())
                .chain(years.iter().map(|&y| format::int(of(y, value))))
                .collect()
        })
        .collect();
    rows.push(
        std::iter::once("Total".to_string())
            .chain(
                years
                    .iter()
                    .map(|&y| format::int(all.total(scope, y).actions)),
            )
            .collect(),
    );
    Some(TableView {
        title: format!(
            "Actions collectives par type, de {} à {}",
            years[0],
            years[years.len() - 1]
        ),
        columns: std::iter::once("Type d’action".to_string())
            .chain(years.iter().map(i32::to_string))
            .collect(),
        rows,
        note: None,
        // bilan.xlsx reads the text rows (`workbook::text_table`).
        cells: Vec::new(),
    })
}

fn empty_table() -> TableView {
    TableView {
        title: String::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        note: None,
        cells: Vec::new(),
    }
}

/// Each team's totals of the year, by code.
fn team_totals(all: &ActionFigures, year: i32) -> Vec<(Scope, ActionCounts)> {
    let mut teams: Vec<Scope> = all
        .by_type
        .iter()
        .filter(|r| r.year == year && !r.scope.is_national())
        .map(|r| r.scope.clone())
        .collect();
    teams.dedup();
    teams
        .into_iter()
        .map(|team| {
            let total = all.total(&team, year);
            (team, total)
        })
        .collect()
}

/// Actions of the year without a team: national minus the teams' sum.
fn teamless(all: &ActionFigures, year: i32) -> u64 {
    let teams: u64 = team_totals(all, year).iter().map(|(_, c)| c.actions).sum();
    all.total(&Scope::National, year)
        .actions
        .saturating_sub(teams)
}

/// By team: every team in the national report, the team and the national
/// scope in a team's.
fn team_table(
    report: &ScopeReport,
    scope: &Scope,
    year: i32,
    previous_year: Option<i32>,
) -> TableView {
    let all = report.actions();
    let mut scopes: Vec<Scope> = match scope {
        Scope::National => team_totals(all, year).into_iter().map(|(t, _)| t).collect(),
        Scope::Team(_) => vec![scope.clone()],
    };
    scopes.push(Scope::National);
    let rows = scopes
        .iter()
        .map(|code| {
            let c = all.total(code, year);
            let label = code.name(report.teams());
            let mut row = vec![
                label,
                format::int(c.actions),
                with_filled(
                    format::int(c.participants),
                    c.participants_renseignes,
                    c.actions,
                ),
                with_filled(hours(&c), c.heures_renseignees, c.actions),
            ];
            if let Some(y) = previous_year {
                row.push(format::int(all.total(code, y).actions));
            }
            row
        })
        .collect();
    TableView {
        title: match scope {
            Scope::National => "Actions collectives par équipe".to_string(),
            Scope::Team(_) => {
                "Actions collectives de l’équipe et de l’ensemble du dispositif".to_string()
            }
        },
        columns: columns("Équipe", previous_year),
        rows,
        note: Some(FILLED_NOTE.to_string()),
        // bilan.xlsx reads the text rows (`workbook::text_table`).
        cells: Vec::new(),
    }
}
