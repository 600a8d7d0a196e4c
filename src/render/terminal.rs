//! The French tables `bilan indicators` prints in a terminal: the
//! indicator rows, the response times and the collective actions, from
//! figures already computed (and masked when `--min-count` is given).

use crate::format;
use crate::indicators::{
    ActionRow, CategoryRow, DelaiRow, DiagnosticRow, FrequentDiagnosis, IndicatorRow, NetworkPair,
};
use crate::reference::{Category, Scope, Teams};

/// A title for a scope in the terminal: `ERHR Bretagne (ERHR-BRE)`.
fn scope_title(scope: &Scope, teams: &Teams) -> String {
    match scope {
        Scope::National => scope.name(teams),
        Scope::Team(code) => match teams.get(code) {
            Some(team) => format!("{} ({})", team.name, team.code),
            None => teams.label(code),
        },
    }
}

/// The response times in French for the terminal: one line per scope.
pub fn delais_table(delais: &[DelaiRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    let days = |d: Option<u64>| d.map_or("—".to_string(), |d| format!("{d} j"));
    let count = |n: Option<u64>| n.map_or("masqué".to_string(), format::int);
    for row in delais {
        if current != Some(row.year) {
            current = Some(row.year);
            out.push_str(&format!(
                "\nDélais de réponse {} — première demande → première intervention\n  {:<58} {:>9} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9} {:>10}\n",
                row.year, "Périmètre", "Répondues", "Médiane", "P25", "P75", "P90", "≤ 30 j", "≤ 90 j", "En attente"
            ));
        }
        let title: String = scope_title(&row.scope, teams).chars().take(58).collect();
        out.push_str(&format!(
            "  {title:<58} {:>9} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9} {:>10}\n",
            count(row.repondues),
            days(row.delai_median),
            days(row.delai_p25),
            days(row.delai_p75),
            days(row.delai_p90),
            count(row.sous_30_jours),
            count(row.sous_90_jours),
            count(row.en_attente_31_12),
        ));
    }
    out
}

/// A French table for the terminal: one block per scope.
pub fn rows_table(rows: &[IndicatorRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some(&row.scope) {
            current = Some(&row.scope);
            let title = scope_title(&row.scope, teams);
            out.push_str(&format!("\n{title} — {}\n", row.year));
        }
        let value = match (row.indicator.is_count(), row.numerator, row.percent()) {
            _ if row.suppressed => "masqué".to_string(),
            (true, Some(n), _) => format::int(n),
            (false, _, Some(p)) => format::percent(p),
            _ => match row.mean_tenths() {
                Some(tenths) => format::tenths(tenths),
                None => "—".to_string(),
            },
        };
        let detail = match (row.numerator, row.denominator, row.not_filled) {
            (Some(n), Some(d), Some(nf)) if !row.indicator.is_count() => {
                format!(
                    "  ({} / {} ; non renseigné : {})",
                    format::int(n),
                    format::int(d),
                    format::int(nf)
                )
            }
            _ => String::new(),
        };
        let label = row.indicator.label();
        let pad = 82usize.saturating_sub(label.chars().count());
        out.push_str(&format!(
            "  {label}{} {value:>7}{detail}\n",
            " ".repeat(pad)
        ));
    }
    out
}

/// Collective actions as a French table for the terminal: one block per
/// scope and year, one line per type (or public).
pub fn actions_table(
    rows: &[ActionRow],
    category: Category,
    teams: &Teams,
    exported: bool,
) -> String {
    if !exported {
        return "\nAucune action collective : l’export ne contient pas de table actions.\n"
            .to_string();
    }
    if rows.is_empty() {
        return "\nAucune action collective datée de l’année.\n".to_string();
    }
    let header = match category {
        Category::Public => "Public",
        _ => "Type d’action",
    };
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some((&row.scope, row.year)) {
            current = Some((&row.scope, row.year));
            let title = scope_title(&row.scope, teams);
            out.push_str(&format!(
                "\n{title} — {}\n  {header:<40} {:>8} {:>14} {:>12} {:>12} {:>12}\n",
                row.year, "Actions", "Participants", "renseignés", "Heures", "renseignées"
            ));
        }
        let label = row
            .value
            .map_or("Non renseigné", |code| category.display(code));
        let c = &row.counts;
        out.push_str(&format!(
            "  {label:<40} {:>8} {:>14} {:>12} {:>12} {:>12}\n",
            format::int(c.actions),
            format::int(c.participants),
            format::int(c.participants_renseignes),
            format::decimal(c.hours(), 2),
            format::int(c.heures_renseignees),
        ));
    }
    out
}

/// A count for the terminal: French digits, `masqué` when secrecy hides it.
fn shown(count: Option<u64>) -> String {
    count.map_or("masqué".to_string(), format::int)
}

/// (v3) The legal categories (SPEC §4.5) for the terminal: one block per
/// scope and year, one line per category with its share.
pub fn categories_table(rows: &[CategoryRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some((&row.scope, row.year)) {
            current = Some((&row.scope, row.year));
            out.push_str(&format!(
                "\n{} — {} — catégories de handicap rare (art. D312-194 CASF)\n  déficiences renseignées : {} ; non renseignées : {}\n",
                scope_title(&row.scope, teams),
                row.year,
                shown(row.denominateur),
                shown(row.non_renseignes),
            ));
        }
        let share = match (row.personnes, row.denominateur) {
            (Some(n), Some(d)) => format::share(n, d).unwrap_or_else(|| "—".to_string()),
            _ => "—".to_string(),
        };
        let label: String = row.categorie.label().chars().take(70).collect();
        out.push_str(&format!(
            "  {label:<70} {:>8} {share:>7}\n",
            shown(row.personnes)
        ));
    }
    out
}

/// (v3) The diagnoses (SPEC §4.6) for the terminal: one line per scope.
pub fn diagnostics_table(rows: &[DiagnosticRow], teams: &Teams) -> String {
    let mut out = String::new();
    let mut current = None;
    for row in rows {
        if current != Some(row.year) {
            current = Some(row.year);
            out.push_str(&format!(
                "\nDiagnostics {}\n  {:<58} {:>14} {:>14} {:>16}\n",
                row.year, "Périmètre", "Avec code", "Maladies", "Diag. sans code"
            ));
        }
        let title: String = scope_title(&row.scope, teams).chars().take(58).collect();
        out.push_str(&format!(
            "  {title:<58} {:>14} {:>14} {:>16}\n",
            shown(row.personnes_avec_code),
            shown(row.maladies_distinctes),
            shown(row.diagnostiquees_sans_code),
        ));
    }
    out
}

/// (v3) The most frequent diagnoses, national (SPEC §4.6).
pub fn frequent_table(list: &[FrequentDiagnosis]) -> String {
    if list.is_empty() {
        return "\nAucun diagnostic fréquent à lister.\n".to_string();
    }
    let mut out = String::new();
    let mut current = None;
    for d in list {
        if current != Some(d.year) {
            current = Some(d.year);
            out.push_str(&format!(
                "\nDiagnostics les plus fréquents {} — national\n",
                d.year
            ));
        }
        let name = crate::reference::orpha_name(d.code, d.label.as_deref());
        let name: String = name.chars().take(70).collect();
        out.push_str(&format!("  {name:<70} {:>8}\n", format::int(d.personnes)));
    }
    out
}

/// (v3) The network's pairs (SPEC §4.7): persons followed by both teams.
pub fn reseau_table(pairs: &[NetworkPair], teams: &Teams) -> String {
    if pairs.is_empty() {
        return "\nAucune personne suivie à la fois par une ERHR et un CNRHR.\n".to_string();
    }
    let mut out = String::new();
    let mut current = None;
    for p in pairs {
        if current != Some(p.year) {
            current = Some(p.year);
            out.push_str(&format!(
                "\nPersonnes suivies par une ERHR et un CNRHR — {}\n",
                p.year
            ));
        }
        let name = |code: &str| teams.get(code).map_or(code.to_string(), |t| t.name.clone());
        let pair: String = format!("{} + {}", name(&p.erhr), name(&p.cnrhr))
            .chars()
            .take(70)
            .collect();
        out.push_str(&format!("  {pair:<70} {:>8}\n", shown(p.personnes)));
    }
    out
}
