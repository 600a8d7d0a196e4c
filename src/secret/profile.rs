//! (v3) Secrecy on the legal categories, the diagnoses and the network of
//! a year (SPEC §8): counts of persons masked as the others, with the
//! complement rule of every share; `maladies_distinctes` with
//! `personnes_avec_code`; `diagnostiquees_sans_code` against the
//! diagnosed persons; a diagnosis held by fewer than K persons never
//! listed; the co-accompaniment pairs and their totals protected together
//! (each total the line of its pairs, and against its team's persons);
//! the referrals (demandes from an ERHR or a CNRHR) masked as counts of
//! persons, by scope and against the national figure, and the same masks
//! on the report's demandes by origin.

use super::suppression::Table;
use super::Secrecy;
use crate::catalog::TableId;
use crate::indicators::{
    CountTable, Indicator, IndicatorRow, Mask, Network, Referrals, YearFigures,
};
use crate::reference::{Scope, TeamKind};

/// The codes of `origine` whose counts are referrals (SPEC §4.7).
const REFERRAL_ORIGINS: [&str; 2] = ["erhr", "cnrhr"];

/// Protects the v3 figures of a year, given its rows before secrecy (the
/// scopes' persons, the diagnosed persons).
pub(super) fn protect_year(figures: &mut YearFigures, secrecy: Secrecy) {
    if !secrecy.enabled() {
        return;
    }
    let rows = &figures.rows;
    protect_categories(figures.categories.as_mut_slice(), rows, secrecy);
    protect_diagnostics(figures.diagnostics.as_mut_slice(), rows, secrecy);
    // "A diagnosis held by fewer than K persons of the scope is never
    // listed": the list stops before it.
    if let Some(cut) = figures
        .frequent
        .iter()
        .position(|d| d.personnes < secrecy.min_count)
    {
        figures.frequent.truncate(cut);
    }
    protect_network(&mut figures.network, rows, secrecy);
}

/// A scope's figure of an indicator, before secrecy.
fn numerator(rows: &[IndicatorRow], scope: &Scope, indicator: Indicator) -> u64 {
    rows.iter()
        .find(|r| r.scope == *scope && r.indicator == indicator)
        .and_then(|r| r.numerator)
        .unwrap_or(0)
}

/// Each category's persons is a share of the persons whose `deficiences`
/// is filled in: masked when it, the denominator or their difference is
/// from 1 to K−1. A small denominator is masked in the scope's six rows;
/// `non_renseignes` only when the scope's persons are (SPEC §8).
fn protect_categories(
    categories: &mut [crate::indicators::CategoryRow],
    rows: &[IndicatorRow],
    secrecy: Secrecy,
) {
    let small = |n: u64| secrecy.is_small(n);
    for row in categories {
        let persons = numerator(rows, &row.scope, Indicator::PersonnesAccompagnees);
        if secrecy.is_thin(persons) {
            withhold_category(row);
            continue;
        }
        let (n, d) = (row.personnes.unwrap_or(0), row.denominateur.unwrap_or(0));
        if small(n) || small(d) || small(d.saturating_sub(n)) {
            row.personnes = None;
            row.mask = Some(Mask::of(n, small));
            row.suppressed = true;
        }
        if small(d) {
            row.denominateur = None;
        }
        if small(persons) && row.non_renseignes.is_some_and(|nr| nr > 0) {
            row.non_renseignes = None;
            row.suppressed = true;
        }
    }
}

/// A category of a scope too thin for its tables of persons (fewer than
/// 3K persons, `Secrecy::is_thin`): nothing of it is published, zeros and
/// its *not filled in* included, as its other tables (SPEC §8 "Against an
/// intruder"). The national table by team showed a one-person team's
/// category `< K` and the others `s`: which category its person is in.
fn withhold_category(row: &mut crate::indicators::CategoryRow) {
    row.personnes = None;
    row.denominateur = None;
    row.non_renseignes = None;
    row.mask = Some(Mask::Withheld);
    row.suppressed = true;
}

/// `personnes_avec_code` as a share of the scope's persons (complement
/// rule), `maladies_distinctes` masked with it, `diagnostiquees_sans_code`
/// against the `maladie_rare_diagnostiquee` numerator (SPEC §8 v3).
fn protect_diagnostics(
    diagnostics: &mut [crate::indicators::DiagnosticRow],
    rows: &[IndicatorRow],
    secrecy: Secrecy,
) {
    let small = |n: u64| secrecy.is_small(n);
    for row in diagnostics {
        let persons = numerator(rows, &row.scope, Indicator::PersonnesAccompagnees);
        if secrecy.is_thin(persons) {
            row.personnes_avec_code = None;
            row.maladies_distinctes = None;
            row.diagnostiquees_sans_code = None;
            row.masks.avec_code = Some(Mask::Withheld);
            row.masks.sans_code = Some(Mask::Withheld);
            row.suppressed = true;
            continue;
        }
        let diagnosed = numerator(rows, &row.scope, Indicator::MaladieRareDiagnostiquee);
        let with_code = row.personnes_avec_code.unwrap_or(0);
        if small(with_code) || small(persons.saturating_sub(with_code)) {
            row.personnes_avec_code = None;
            row.maladies_distinctes = None;
            row.masks.avec_code = Some(Mask::of(with_code, small));
            row.suppressed = true;
        }
        let without = row.diagnostiquees_sans_code.unwrap_or(0);
        if small(without) || small(diagnosed.saturating_sub(without)) {
            row.diagnostiquees_sans_code = None;
            row.masks.sans_code = Some(Mask::of(without, small));
            row.suppressed = true;
        }
    }
}

/// The network of a year: the pairs (every active ERHR × every active
/// CNRHR, zeros too) add up to each ERHR's total and to each CNRHR's (as
/// SPEC §8 asks, though a person with two CNRHR counts once in the
/// total), each total and its team's persons minus it to the team's
/// persons; then the referrals.
fn protect_network(network: &mut Network, rows: &[IndicatorRow], secrecy: Secrecy) {
    let erhr: Vec<usize> = (0..network.totals.len())
        .filter(|&k| network.totals[k].kind == TeamKind::Erhr)
        .collect();
    let cnrhr: Vec<usize> = (0..network.totals.len())
        .filter(|&k| network.totals[k].kind == TeamKind::Cnrhr)
        .collect();
    let pair = |e: usize, c: usize| -> u64 {
        let (e, c) = (&network.totals[e].team, &network.totals[c].team);
        network
            .pairs
            .iter()
            .find(|p| p.erhr == *e && p.cnrhr == *c)
            .and_then(|p| p.personnes)
            .unwrap_or(0)
    };
    // Cells: the pairs (e-major), the totals, each team's persons, each
    // team's persons minus its total.
    let mut values: Vec<u64> = Vec::new();
    for &e in &erhr {
        for &c in &cnrhr {
            values.push(pair(e, c));
        }
    }
    let first_total = values.len();
    let totals: Vec<u64> = network
        .totals
        .iter()
        .map(|t| t.personnes.unwrap_or(0))
        .collect();
    values.extend(&totals);
    let first_persons = values.len();
    let persons: Vec<u64> = network
        .totals
        .iter()
        .map(|t| {
            numerator(
                rows,
                &Scope::Team(t.team.clone()),
                Indicator::PersonnesAccompagnees,
            )
        })
        .collect();
    values.extend(&persons);
    let first_rest = values.len();
    values.extend(
        persons
            .iter()
            .zip(&totals)
            .map(|(p, t)| p.saturating_sub(*t)),
    );
    let mut table = Table::new(values);
    let cells_of = |e: Option<usize>, c: Option<usize>| -> Vec<usize> {
        let mut cells = Vec::new();
        for (i, &ee) in erhr.iter().enumerate() {
            for (j, &cc) in cnrhr.iter().enumerate() {
                if e.is_none_or(|e| e == ee) && c.is_none_or(|c| c == cc) {
                    cells.push(i * cnrhr.len() + j);
                }
            }
        }
        cells
    };
    for &e in &erhr {
        table.add_line(cells_of(Some(e), None), first_total + e);
    }
    for &c in &cnrhr {
        table.add_line(cells_of(None, Some(c)), first_total + c);
    }
    for (k, &team_persons) in persons.iter().enumerate().take(totals.len()) {
        // The team's persons are published in its rows, unless small.
        if !secrecy.is_small(team_persons) {
            table.publish(first_persons + k);
        }
        table.add_line(vec![first_total + k, first_rest + k], first_persons + k);
    }
    table.protect(secrecy);
    for (i, &e) in erhr.iter().enumerate() {
        for (j, &c) in cnrhr.iter().enumerate() {
            let Some(mask) = table.mask(i * cnrhr.len() + j) else {
                continue;
            };
            let (e, c) = (&network.totals[e].team, &network.totals[c].team);
            if let Some(p) = network
                .pairs
                .iter_mut()
                .find(|p| p.erhr == *e && p.cnrhr == *c)
            {
                p.personnes = None;
                p.mask = Some(mask);
                p.suppressed = true;
            }
        }
    }
    for (k, total) in network.totals.iter_mut().enumerate() {
        if let Some(mask) = table.mask(first_total + k) {
            total.personnes = None;
            total.mask = Some(mask);
        }
    }
    protect_referrals(&mut network.referrals, secrecy);
}

/// The demandes by origin of every scope add up to its demandes (counts
/// of acts, published); the national count of each referral origin is the
/// teams' plus the demandes without a team (taken as known). The referral
/// counts are secrets (SPEC §8 v3); the other origins are counts of acts,
/// no secret, masked only to protect one.
fn protect_referrals(referrals: &mut [Referrals], secrecy: Secrecy) {
    let mut values: Vec<u64> = Vec::new();
    // (first cell, cells) of each scope.
    let mut spans = Vec::new();
    for referral in referrals.iter() {
        spans.push((values.len(), referral.by_origin.len()));
        values.extend(referral.by_origin.iter().map(|c| c.count.unwrap_or(0)));
    }
    let first_demandes = values.len();
    values.extend(referrals.iter().map(|r| r.demandes));
    let national = referrals.iter().position(|r| r.scope.is_national());
    // The national referrals minus the teams': those without a team.
    let unknown_first = values.len();
    let origin_at = |r: &Referrals, code: &str| {
        r.by_origin
            .iter()
            .position(|c| c.value.as_deref() == Some(code))
    };
    for code in REFERRAL_ORIGINS {
        let of = |r: &Referrals| {
            origin_at(r, code)
                .and_then(|i| r.by_origin[i].count)
                .unwrap_or(0)
        };
        let national_count = national.map_or(0, |n| of(&referrals[n]));
        let teams: u64 = referrals
            .iter()
            .filter(|r| !r.scope.is_national())
            .map(of)
            .sum();
        values.push(national_count.saturating_sub(teams));
    }
    let mut table = Table::new(values);
    for (k, referral) in referrals.iter().enumerate() {
        let (first, n) = spans[k];
        table.publish(first_demandes + k);
        table.add_line((first..first + n).collect(), first_demandes + k);
        for (i, count) in referral.by_origin.iter().enumerate() {
            let referral_cell = count
                .value
                .as_deref()
                .is_some_and(|v| REFERRAL_ORIGINS.contains(&v));
            if !referral_cell {
                table.open(first + i);
            }
        }
    }
    if let Some(n) = national {
        for (o, code) in REFERRAL_ORIGINS.into_iter().enumerate() {
            let Some(at) = origin_at(&referrals[n], code) else {
                continue;
            };
            let mut cells: Vec<usize> = referrals
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.scope.is_national())
                .filter_map(|(k, r)| origin_at(r, code).map(|i| spans[k].0 + i))
                .collect();
            table.publish(unknown_first + o);
            cells.push(unknown_first + o);
            table.add_line(cells, spans[n].0 + at);
        }
    }
    table.protect(secrecy);
    for (k, referral) in referrals.iter_mut().enumerate() {
        let first = spans[k].0;
        for (i, count) in referral.by_origin.iter_mut().enumerate() {
            if let Some(mask) = table.mask(first + i) {
                count.mask(mask);
            }
        }
    }
}

/// The report's demandes by origin show the masks of the scope's
/// referrals: the same counts, masked alike.
pub(super) fn mask_origins(table: &mut CountTable, referrals: &[Referrals], scope: &Scope) {
    if table.id != TableId::RequestsByOrigin {
        return;
    }
    let Some(referral) = referrals.iter().find(|r| r.scope == *scope) else {
        return;
    };
    for cell in &mut table.cells {
        let masked = referral
            .by_origin
            .iter()
            .find(|c| c.value == cell.value)
            .and_then(|c| c.mask);
        if let Some(mask) = masked {
            cell.mask(mask);
        }
    }
}

/// A team's persons also followed by each other team (its table by team)
/// show the network's masks: a pair of an ERHR and a CNRHR is the same
/// count in both. The network masks a pair to protect another of its
/// lines; shown in the team's table, it gave the masked ones back
/// (`sample_data`: ERHR-NA's total of 20, its pairs with CRESAM and
/// Laplane shown in their reports, pinned its two pairs under 5 to 4).
/// Masking more never gives more away, and the network, a national
/// figure, stays the same whichever reports a run writes.
pub(super) fn mask_pairs(table: &mut CountTable, network: &Network, scope: &Scope) {
    let Scope::Team(own) = scope else { return };
    if table.id != TableId::PersonsByTeam {
        return;
    }
    for cell in &mut table.cells {
        let Some(other) = cell.value.as_deref() else {
            continue;
        };
        let masked = network
            .pairs
            .iter()
            .find(|p| (p.erhr == *own && p.cnrhr == other) || (p.erhr == other && p.cnrhr == *own))
            .filter(|p| p.personnes.is_none())
            .and_then(|p| p.mask);
        if let (Some(mask), Some(_)) = (masked, cell.count) {
            cell.mask(mask);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Count, NetworkPair, NetworkTotal};

    const K: Secrecy = Secrecy { min_count: 5 };

    fn persons(scope: Scope, n: u64) -> IndicatorRow {
        IndicatorRow {
            scope,
            year: 2024,
            indicator: Indicator::PersonnesAccompagnees,
            numerator: Some(n),
            denominator: None,
            not_filled: None,
            suppressed: false,
            mask: None,
        }
    }

    #[test]
    fn a_small_pair_is_masked_with_enough_others_that_its_totals_do_not_give_it_back() {
        let team = |code: &str, kind, n| NetworkTotal {
            year: 2024,
            team: code.to_string(),
            kind,
            personnes: Some(n),
            mask: None,
        };
        let pair = |e: &str, c: &str, n| NetworkPair {
            year: 2024,
            erhr: e.to_string(),
            cnrhr: c.to_string(),
            personnes: Some(n),
            suppressed: false,
            mask: None,
        };
        let mut network = Network {
            pairs: vec![
                pair("ERHR-A", "CNRHR-X", 2),
                pair("ERHR-A", "CNRHR-Y", 30),
                pair("ERHR-B", "CNRHR-X", 12),
                pair("ERHR-B", "CNRHR-Y", 9),
            ],
            totals: vec![
                team("ERHR-A", TeamKind::Erhr, 32),
                team("ERHR-B", TeamKind::Erhr, 21),
                team("CNRHR-X", TeamKind::Cnrhr, 14),
                team("CNRHR-Y", TeamKind::Cnrhr, 39),
            ],
            referrals: Vec::new(),
        };
        let rows = vec![
            persons(Scope::Team("ERHR-A".into()), 300),
            persons(Scope::Team("ERHR-B".into()), 200),
            persons(Scope::Team("CNRHR-X".into()), 16),
            persons(Scope::Team("CNRHR-Y".into()), 80),
        ];
        protect_network(&mut network, &rows, K);
        assert_eq!(network.pairs[0].mask, Some(Mask::Small));
        // Its line would give it back: 32 − 30 and 14 − 12.
        let masked = network.pairs.iter().filter(|p| p.mask.is_some()).count()
            + network.totals.iter().filter(|t| t.mask.is_some()).count();
        assert!(masked >= 3, "{network:?}");
        // CNRHR-X: 16 persons, 14 with an ERHR: 2 without, so its total goes.
        assert!(network.totals[2].mask.is_some());
    }

    #[test]
    fn referrals_are_masked_in_every_scope_and_against_the_national_count() {
        let referral = |scope: Scope, erhr: u64, cnrhr: u64, other: u64| Referrals {
            year: 2024,
            scope,
            demandes: erhr + cnrhr + other,
            by_origin: vec![
                Count::new(Some("famille".into()), other),
                Count::new(Some("erhr".into()), erhr),
                Count::new(Some("cnrhr".into()), cnrhr),
                Count::new(None, 0),
            ],
        };
        let mut referrals = vec![
            referral(Scope::National, 12, 0, 100),
            referral(Scope::Team("CNRHR-X".into()), 3, 0, 20),
            referral(Scope::Team("CNRHR-Y".into()), 9, 0, 80),
        ];
        protect_referrals(&mut referrals, K);
        assert_eq!(referrals[1].by_origin[1].mask, Some(Mask::Small));
        // 12 − 9 would give the 3 back; 23 − 20 too.
        assert!(
            referrals[2].by_origin[1].mask.is_some() || referrals[0].by_origin[1].mask.is_some()
        );
        assert!(referrals[1].by_origin[0].mask.is_some());
    }
}
