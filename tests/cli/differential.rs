//! Differential test: the Polars path against a plain computation of SPEC
//! §3–4 over the generator's own rows, on random exports in random
//! dialects with dirty rows, for the report year and the year before,
//! nationally and for every team; the series of three years computed
//! together (SPEC §4.3); the collective actions (SPEC §4.4) by type and
//! by public, with and without `actions.csv`; (v3) the two indicators of
//! §4 v3 with and without their columns, the legal categories, diagnoses
//! and the network of teams (§4.5–4.7).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use bilan::catalog::TableId;
use bilan::indicators::{
    compute, compute_actions, compute_delais, compute_series, compute_tables, compute_year,
    ActionFigures, ActionRow, Frames, Indicator, IndicatorRow,
};
use bilan::job::ExportSource;
use bilan::reference::Scope;

use super::generator::{generate, Act, Action, Generated};
use super::support::CATEGORIES;

const YEAR: i32 = 2024;

/// (scope, indicator, numerator, denominator, not_filled)
type Figures = (String, &'static str, Option<u64>, Option<u64>, Option<u64>);

fn not_filled_id(id: &str) -> bool {
    matches!(id.trim(), "" | "NR")
}

/// Rows kept by the rules of SPEC §3, in file order, first id wins.
fn kept_acts(acts: &[Act]) -> Vec<&Act> {
    let mut seen = HashSet::new();
    let mut kept = Vec::new();
    for act in acts {
        if act.ragged || not_filled_id(&act.id_usager) {
            continue;
        }
        if !seen.insert(act.id.clone()) {
            continue;
        }
        if act.date.is_some() {
            kept.push(act);
        }
    }
    kept
}

/// SPEC §4 computed row by row with sets and maps.
fn model(generated: &Generated, year: i32) -> Vec<Figures> {
    let mut seen = HashSet::new();
    let mut persons = HashMap::new();
    for person in &generated.persons {
        if person.ragged || not_filled_id(&person.id) || !seen.insert(person.id.trim().to_string())
        {
            continue;
        }
        persons.insert(person.id.trim().to_string(), person);
    }
    let demandes = kept_acts(&generated.demandes);
    let interventions = kept_acts(&generated.interventions);
    let in_year = |act: &&&Act| act.date.unwrap() / 10_000 == year;
    let scopes_of = |act: &Act| -> Vec<String> {
        let mut scopes = vec!["national".to_string()];
        scopes.extend(act.team.clone());
        scopes
    };
    let mut active: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut visited: HashSet<(String, String)> = HashSet::new();
    for act in demandes.iter().chain(&interventions).filter(in_year) {
        for scope in scopes_of(act) {
            active
                .entry(scope.clone())
                .or_default()
                .insert(act.id_usager.clone());
            if act.visit {
                visited.insert((scope, act.id_usager.clone()));
            }
        }
    }
    let mut first: HashMap<(String, String), i32> = HashMap::new();
    for act in &demandes {
        for scope in scopes_of(act) {
            let entry = first
                .entry((scope, act.id_usager.clone()))
                .or_insert(i32::MAX);
            *entry = (*entry).min(act.date.unwrap());
        }
    }
    let mut rows = Vec::new();
    let mut order: Vec<&String> = active.keys().collect();
    order.sort_by_key(|s| (s.as_str() != "national", s.to_string()));
    for scope in order {
        let ids = &active[scope];
        let people: Vec<Option<&&super::generator::Person>> =
            ids.iter().map(|id| persons.get(id)).collect();
        let n = ids.len() as u64;
        let new = ids
            .iter()
            .filter(|id| {
                first
                    .get(&(scope.clone(), (*id).clone()))
                    .is_some_and(|d| d / 10_000 == year)
            })
            .count() as u64;
        let rate = |num: &dyn Fn(&super::generator::Person) -> bool,
                    filled: &dyn Fn(&super::generator::Person) -> bool,
                    population: &dyn Fn(&super::generator::Person) -> bool,
                    all: u64| {
            let den = people
                .iter()
                .flatten()
                .filter(|p| population(p) && filled(p))
                .count() as u64;
            let num = people
                .iter()
                .flatten()
                .filter(|p| population(p) && filled(p) && num(p))
                .count() as u64;
            (Some(num), Some(den), Some(all - den))
        };
        let child = |p: &super::generator::Person| {
            p.birth.is_some_and(|b| {
                b >= (year - 120) * 10_000 + 1231
                    && b <= year * 10_000 + 1231
                    && (3..=16).contains(&(year - b / 10_000))
            })
        };
        let children = people.iter().flatten().filter(|p| child(p)).count() as u64;
        let age_known = |p: &super::generator::Person| {
            p.birth
                .is_some_and(|b| b >= (year - 120) * 10_000 + 1231 && b <= year * 10_000 + 1231)
        };
        let always = |_: &super::generator::Person| true;
        let visits = ids
            .iter()
            .filter(|id| visited.contains(&(scope.clone(), (*id).clone())))
            .count() as u64;
        let filled = people.iter().flatten();
        // (v3) A person's associated disorders: the codes of
        // troubles_associes but `aucun`, and a TND of `tnd` (once).
        let disorders = |p: &super::generator::Person| -> Option<usize> {
            if p.troubles.is_none() && p.tnd.is_none() {
                return None;
            }
            let mut codes: BTreeSet<&str> = p
                .troubles
                .iter()
                .flatten()
                .copied()
                .filter(|c| *c != "aucun")
                .collect();
            if p.tnd == Some(true) {
                codes.insert("tnd");
            }
            Some(codes.len())
        };
        let troubles = if generated.with_troubles {
            let den = filled.clone().filter(|p| disorders(p).is_some()).count() as u64;
            let num = filled
                .clone()
                .filter(|p| disorders(p).unwrap_or(0) > 0)
                .count() as u64;
            (Some(num), Some(den), Some(n - den))
        } else {
            (None, None, Some(n))
        };
        let types = if generated.with_accompagnements {
            let with: Vec<&Vec<&str>> = filled
                .clone()
                .filter_map(|p| p.accompagnements.as_ref())
                .collect();
            let sum: usize = with
                .iter()
                .map(|a| a.iter().filter(|c| **c != "aucun").count())
                .sum();
            (
                Some(sum as u64),
                Some(with.len() as u64),
                Some(n - with.len() as u64),
            )
        } else {
            (None, None, Some(n))
        };
        let figures = [
            ("personnes_accompagnees", (Some(n), None, None)),
            ("nouvelles_personnes", (Some(new), None, None)),
            (
                "maladie_rare_diagnostiquee",
                rate(
                    &|p| p.maladie_rare == Some("diagnostiquee"),
                    &|p| p.maladie_rare.is_some(),
                    &always,
                    n,
                ),
            ),
            (
                "vit_a_domicile",
                rate(
                    &|p| {
                        matches!(
                            p.lieu_de_vie,
                            Some("domicile_familial" | "domicile_personnel")
                        )
                    },
                    &|p| p.lieu_de_vie.is_some(),
                    &always,
                    n,
                ),
            ),
            (
                "au_moins_un_tnd",
                rate(&|p| p.tnd == Some(true), &|p| p.tnd.is_some(), &always, n),
            ),
            (
                "enfants_3_16_scolarises",
                rate(
                    &|p| {
                        matches!(
                            p.scolarisation,
                            Some("temps_plein" | "temps_partiel" | "oui")
                        )
                    },
                    &|p| p.scolarisation.is_some(),
                    &child,
                    children,
                ),
            ),
            (
                "visite_domicile_ou_etablissement",
                (Some(visits), Some(n), Some(0)),
            ),
            (
                "moins_de_20_ans",
                rate(
                    &|p| year - p.birth.unwrap_or(0) / 10_000 < 20,
                    &age_known,
                    &always,
                    n,
                ),
            ),
            (
                "personnes_sans_solution",
                rate(
                    &|p| p.situation == Some("sans_solution"),
                    &|p| p.situation.is_some(),
                    &always,
                    n,
                ),
            ),
            ("au_moins_un_trouble_associe", troubles),
            ("types_accompagnement_par_personne", types),
        ];
        for (indicator, (num, den, nf)) in figures {
            rows.push((scope.clone(), indicator, num, den, nf));
        }
    }
    rows
}

/// (scope, year, value, actions, participants, filled, hundredths, filled)
type ActionTuple = (String, i32, Option<&'static str>, u64, u64, u64, u64, u64);

/// The values of `type_action` and `public` in the order of SPEC §2.6.
const TYPE_ORDER: [&str; 8] = [
    "sensibilisation",
    "formation",
    "communaute_pratiques",
    "animation_territoriale",
    "appui_conseil",
    "etude_recherche",
    "outil",
    "autre",
];
const PUBLIC_ORDER: [&str; 7] = [
    "professionnels_medico_social",
    "professionnels_sante",
    "education",
    "familles",
    "personnes",
    "institutions",
    "autre",
];

/// SPEC §4.4 row by row: the kept actions of `years`, grouped by (year,
/// scope, value) where `values` gives each action's values (by type: its
/// type; by public: each distinct public, or `None` when it has none).
fn action_model(
    actions: &[Action],
    years: &[i32],
    values: &dyn Fn(&Action) -> Vec<Option<&'static str>>,
    order: &[&str],
) -> Vec<ActionTuple> {
    let mut seen = HashSet::new();
    // (year, not national, scope) → (no value, rank) → (actions,
    // participants, filled, millihours, filled)
    type Sums = BTreeMap<(bool, usize), [u64; 5]>;
    let mut groups: BTreeMap<(i32, bool, String), Sums> = BTreeMap::new();
    for action in actions {
        if action.ragged || not_filled_id(&action.id) || !seen.insert(action.id.trim()) {
            continue;
        }
        let Some(date) = action.date else { continue };
        let year = date / 10_000;
        if !years.contains(&year) {
            continue;
        }
        let mut scopes = vec!["national".to_string()];
        scopes.extend(action.team.clone());
        for scope in scopes {
            for value in values(action) {
                let rank = value.map_or(order.len(), |v| {
                    order.iter().position(|o| *o == v).expect("a known code")
                });
                let sums = groups
                    .entry((year, scope != "national", scope.clone()))
                    .or_default()
                    .entry((value.is_none(), rank))
                    .or_default();
                sums[0] += 1;
                sums[1] += action.participants.unwrap_or(0);
                sums[2] += u64::from(action.participants.is_some());
                sums[3] += action.millihours.unwrap_or(0);
                sums[4] += u64::from(action.millihours.is_some());
            }
        }
    }
    let mut rows = Vec::new();
    for ((year, _, scope), values) in groups {
        for ((_, rank), [n, participants, p_filled, millihours, h_filled]) in values {
            let value = order.get(rank).map(|v| {
                // The model's codes are the spec's; give them back as 'static.
                *TYPE_ORDER
                    .iter()
                    .chain(&PUBLIC_ORDER)
                    .find(|c| **c == *v)
                    .unwrap()
            });
            // Thousandths to hundredths, half up, once.
            let hundredths = (millihours + 5) / 10;
            rows.push((
                scope.clone(),
                year,
                value,
                n,
                participants,
                p_filled,
                hundredths,
                h_filled,
            ));
        }
    }
    rows
}

fn polars_actions(rows: &[ActionRow]) -> Vec<ActionTuple> {
    rows.iter()
        .map(|r| {
            let c = &r.counts;
            (
                r.scope.code().to_string(),
                r.year,
                r.value,
                c.actions,
                c.participants,
                c.participants_renseignes,
                c.heures_centiemes,
                c.heures_renseignees,
            )
        })
        .collect()
}

/// Days from 1 January 2000 of an `AAAAMMJJ` date, counted plainly.
fn day_number(date: i32) -> i64 {
    let (year, month, day) = (date / 10_000, date / 100 % 100, date % 100);
    let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days: i64 = (2000..year).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += lengths[..(month - 1) as usize].iter().sum::<i64>();
    days + i64::from(day - 1)
}

/// (scope, repondues, median, p25, p75, p90, ≤ 30, ≤ 90, waiting)
type Delais = (
    String,
    u64,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    u64,
    u64,
    u64,
);

/// SPEC §4.2 computed pair by pair, for the scopes of `rows` in order.
fn model_delais(generated: &Generated, year: i32, scopes: &[String]) -> Vec<Delais> {
    let demandes = kept_acts(&generated.demandes);
    let interventions = kept_acts(&generated.interventions);
    let scopes_of = |act: &Act| -> Vec<String> {
        let mut scopes = vec!["national".to_string()];
        scopes.extend(act.team.clone());
        scopes
    };
    let mut first: HashMap<(String, String), i32> = HashMap::new();
    for act in &demandes {
        for scope in scopes_of(act) {
            let entry = first
                .entry((scope, act.id_usager.clone()))
                .or_insert(i32::MAX);
            *entry = (*entry).min(act.date.unwrap());
        }
    }
    scopes
        .iter()
        .map(|scope| {
            let mut days = Vec::new();
            let mut waiting = 0;
            for ((s, person), &d0) in &first {
                if s != scope || d0 / 10_000 != year {
                    continue;
                }
                let answer = interventions
                    .iter()
                    .filter(|i| &i.id_usager == person && scopes_of(i).contains(scope))
                    .map(|i| i.date.unwrap())
                    .filter(|&d| d >= d0 && d <= year * 10_000 + 1231)
                    .min();
                match answer {
                    Some(d1) => days.push((day_number(d1) - day_number(d0)) as u64),
                    None => waiting += 1,
                }
            }
            days.sort_unstable();
            let n = days.len();
            let quantile = |q: f64| -> Option<u64> {
                (n > 0).then(|| days[((q * n as f64).ceil() as usize).max(1) - 1])
            };
            let within = |limit: u64| days.iter().filter(|&&d| d <= limit).count() as u64;
            (
                scope.clone(),
                n as u64,
                quantile(0.5),
                quantile(0.25),
                quantile(0.75),
                quantile(0.9),
                within(30),
                within(90),
                waiting,
            )
        })
        .collect()
}

fn polars_rows(rows: &[IndicatorRow]) -> Vec<Figures> {
    rows.iter()
        .map(|r| {
            (
                r.scope.code().to_string(),
                Indicator::id(r.indicator),
                r.numerator,
                r.denominator,
                r.not_filled,
            )
        })
        .collect()
}

/// (v3) The figures of SPEC §4.5–4.7 of a year as plain tuples: the
/// categories (scope, code, persons, denominator, not filled), the
/// diagnostics (scope, with a code, distinct, diagnosed without), the
/// frequent codes (code, persons), the pairs (erhr, cnrhr, persons), the
/// totals (team, persons), the referrals (scope, demandes, erhr, cnrhr).
#[derive(Debug, PartialEq, Eq, Default)]
struct Profile {
    categories: Vec<(String, &'static str, u64, u64, u64)>,
    diagnostics: Vec<(String, u64, u64, u64)>,
    frequent: Vec<(u32, u64)>,
    pairs: Vec<(String, String, u64)>,
    totals: Vec<(String, u64)>,
    referrals: Vec<(String, u64, u64, u64)>,
}

/// The kind of the generator's teams in the referential.
fn kind(team: &str) -> Option<&'static str> {
    match team {
        "ERHR-BRE" | "ERHR-IDF" | "ERHR-NO" => Some("erhr"),
        "CNRHR-CRESAM" | "CNRHR-PEPINIERE" => Some("cnrhr"),
        _ => None,
    }
}

/// The legal categories of SPEC §4.5 of a person's déficiences, written
/// from the article's table (not from the tool's code).
fn legal_categories(deficiences: &[&str]) -> Vec<&'static str> {
    let mut d: BTreeSet<&str> = BTreeSet::new();
    for code in deficiences {
        if *code == "surdicecite" {
            d.insert("auditive");
            d.insert("visuelle");
        } else {
            d.insert(code);
        }
    }
    let (aud, vis) = (d.contains("auditive"), d.contains("visuelle"));
    let chronic = d.contains("affection_chronique") || d.contains("epilepsie");
    let mut out = Vec::new();
    if aud && vis {
        out.push("cat1_surdicecite");
    }
    if vis && !aud && d.iter().any(|v| *v != "visuelle") {
        out.push("cat2_visuelle_associee");
    }
    if aud && !vis && d.iter().any(|v| *v != "auditive") {
        out.push("cat3_auditive_associee");
    }
    if d.contains("langage") {
        out.push("cat4_dysphasie");
    }
    if chronic
        && d.iter()
            .any(|v| !matches!(*v, "affection_chronique" | "epilepsie"))
    {
        out.push("cat5_affection_chronique");
    }
    if out.is_empty() {
        out.push("non_classable");
    }
    out
}

/// SPEC §4.5–4.7 computed person by person, for the scopes of the year's
/// rows (`scopes`, national first).
fn model_profile(generated: &Generated, year: i32, scopes: &[String]) -> Profile {
    let mut seen = HashSet::new();
    let mut persons = HashMap::new();
    for person in &generated.persons {
        if person.ragged || not_filled_id(&person.id) || !seen.insert(person.id.trim().to_string())
        {
            continue;
        }
        persons.insert(person.id.trim().to_string(), person);
    }
    let demandes = kept_acts(&generated.demandes);
    let interventions = kept_acts(&generated.interventions);
    let in_year = |act: &&&Act| act.date.unwrap() / 10_000 == year;
    let mut active: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for act in demandes.iter().chain(&interventions).filter(in_year) {
        active
            .entry("national".to_string())
            .or_default()
            .insert(act.id_usager.clone());
        if let Some(team) = &act.team {
            active
                .entry(team.clone())
                .or_default()
                .insert(act.id_usager.clone());
        }
    }
    let mut profile = Profile::default();
    for scope in scopes {
        let ids = active.get(scope).cloned().unwrap_or_default();
        let people: Vec<&super::generator::Person> = ids
            .iter()
            .filter_map(|id| persons.get(id).copied())
            .collect();
        let n = ids.len() as u64;
        let filled: Vec<Vec<&str>> = people
            .iter()
            .filter_map(|p| p.deficiences.as_ref())
            .map(|d| legal_categories(d))
            .collect();
        for category in CATEGORIES {
            profile.categories.push((
                scope.clone(),
                category,
                filled.iter().filter(|c| c.contains(&category)).count() as u64,
                filled.len() as u64,
                n - filled.len() as u64,
            ));
        }
        let with_code = people.iter().filter(|p| !p.codes.is_empty()).count() as u64;
        let distinct: BTreeSet<u32> = people
            .iter()
            .flat_map(|p| p.codes.iter().copied())
            .collect();
        let without = people
            .iter()
            .filter(|p| p.maladie_rare == Some("diagnostiquee") && p.codes.is_empty())
            .count() as u64;
        profile
            .diagnostics
            .push((scope.clone(), with_code, distinct.len() as u64, without));
        if scope == "national" {
            let mut by_code: BTreeMap<u32, u64> = BTreeMap::new();
            for code in people.iter().flat_map(|p| p.codes.iter()) {
                *by_code.entry(*code).or_default() += 1;
            }
            let mut list: Vec<(u32, u64)> = by_code.into_iter().collect();
            list.sort_by_key(|&(code, n)| (std::cmp::Reverse(n), code));
            list.truncate(20);
            profile.frequent = list;
        }
    }
    // The network: each person's teams of the year by kind.
    let mut teams_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (team, ids) in active.iter().filter(|(t, _)| *t != "national") {
        for id in ids {
            teams_of.entry(id.clone()).or_default().insert(team.clone());
        }
    }
    let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut totals: BTreeMap<String, u64> = active
        .keys()
        .filter(|t| kind(t).is_some())
        .map(|t| (t.clone(), 0))
        .collect();
    for teams in teams_of.values() {
        let erhr: Vec<&String> = teams.iter().filter(|t| kind(t) == Some("erhr")).collect();
        let cnrhr: Vec<&String> = teams.iter().filter(|t| kind(t) == Some("cnrhr")).collect();
        for e in &erhr {
            for c in &cnrhr {
                *pairs.entry(((*e).clone(), (*c).clone())).or_default() += 1;
            }
        }
        if !cnrhr.is_empty() {
            for e in &erhr {
                *totals.entry((*e).clone()).or_default() += 1;
            }
        }
        if !erhr.is_empty() {
            for c in &cnrhr {
                *totals.entry((*c).clone()).or_default() += 1;
            }
        }
    }
    profile.pairs = pairs.into_iter().map(|((e, c), n)| (e, c, n)).collect();
    // ERHR first, then CNRHR, each by code.
    let mut totals: Vec<(String, u64)> = totals.into_iter().collect();
    totals.sort_by_key(|(t, _)| (kind(t) != Some("erhr"), t.clone()));
    profile.totals = totals;
    let mut referrals: BTreeMap<(bool, String), [u64; 3]> = BTreeMap::new();
    for act in demandes.iter().filter(in_year) {
        let mut scopes = vec![(false, "national".to_string())];
        scopes.extend(act.team.clone().map(|t| (true, t)));
        for scope in scopes {
            let sums = referrals.entry(scope).or_default();
            sums[0] += 1;
            sums[1] += u64::from(act.origin == Some("erhr"));
            sums[2] += u64::from(act.origin == Some("cnrhr"));
        }
    }
    profile.referrals = referrals
        .into_iter()
        .map(|((_, scope), [d, e, c])| (scope, d, e, c))
        .collect();
    profile
}

/// The same figures as the engine gives them.
fn polars_profile(figures: &bilan::indicators::YearFigures) -> Profile {
    let value = |v: Option<u64>| v.expect("no secrecy here");
    Profile {
        categories: figures
            .categories
            .iter()
            .map(|c| {
                (
                    c.scope.code().to_string(),
                    c.categorie.code(),
                    value(c.personnes),
                    value(c.denominateur),
                    value(c.non_renseignes),
                )
            })
            .collect(),
        diagnostics: figures
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.scope.code().to_string(),
                    value(d.personnes_avec_code),
                    value(d.maladies_distinctes),
                    value(d.diagnostiquees_sans_code),
                )
            })
            .collect(),
        frequent: figures
            .frequent
            .iter()
            .map(|d| (d.code, d.personnes))
            .collect(),
        pairs: figures
            .network
            .pairs
            .iter()
            .map(|p| (p.erhr.clone(), p.cnrhr.clone(), value(p.personnes)))
            .collect(),
        totals: figures
            .network
            .totals
            .iter()
            .map(|t| (t.team.clone(), value(t.personnes)))
            .collect(),
        referrals: figures
            .network
            .referrals
            .iter()
            .map(|r| {
                let from = |code: &str| value(r.from(code).and_then(|c| c.count));
                (
                    r.scope.code().to_string(),
                    r.demandes,
                    from("erhr"),
                    from("cnrhr"),
                )
            })
            .collect(),
    }
}

#[test]
fn polars_indicators_agree_with_a_plain_model_on_random_dirty_exports() {
    let mut compared = 0;
    let mut compared_v3 = 0;
    for seed in 0..60 {
        let dir = tempfile::tempdir().unwrap();
        let (generated, _) = generate(seed, dir.path(), YEAR);
        let mut loaded = ExportSource::new(dir.path())
            .load()
            .unwrap_or_else(|e| panic!("seed {seed}: {e:#}"));
        bilan::harness::check_clean(&loaded.clean);
        let frames = Frames::new(&mut loaded.clean).unwrap();
        for year in [YEAR, YEAR - 1] {
            let rows = compute(&frames, year).unwrap();
            // The report's 3–16 table counts the population of the rate.
            if let Some(school) = rows
                .iter()
                .find(|r| r.scope.is_national() && r.indicator == Indicator::Enfants316Scolarises)
            {
                let tables =
                    bilan::indicators::compute_tables(&frames, year, &Scope::National).unwrap();
                let population = school.denominator.unwrap() + school.not_filled.unwrap();
                assert_eq!(
                    tables.get(TableId::Scolarisation316).total,
                    Some(population),
                    "seed {seed}, year {year}"
                );
            }
            let got = polars_rows(&rows);
            let want = model(&generated, year);
            assert_eq!(got, want, "seed {seed}, year {year}");
            let mut scopes: Vec<Scope> = rows.iter().map(|r| r.scope.clone()).collect();
            scopes.dedup();
            // (v3) The categories, diagnoses and network of the year.
            if !rows.is_empty() {
                let codes: Vec<String> = scopes.iter().map(|s| s.code().to_string()).collect();
                let figures = compute_year(&frames, year).unwrap();
                let want = model_profile(&generated, year, &codes);
                assert_eq!(
                    polars_profile(&figures),
                    want,
                    "profile, seed {seed}, year {year}"
                );
                compared_v3 += want.categories.len() + want.pairs.len() + want.referrals.len();
            }
            let got: Vec<Delais> = compute_delais(&frames, year, &scopes)
                .unwrap()
                .into_iter()
                .map(|d| {
                    (
                        d.scope.code().to_string(),
                        d.repondues.unwrap(),
                        d.delai_median,
                        d.delai_p25,
                        d.delai_p75,
                        d.delai_p90,
                        d.sous_30_jours.unwrap(),
                        d.sous_90_jours.unwrap(),
                        d.en_attente_31_12.unwrap(),
                    )
                })
                .collect();
            let codes: Vec<String> = scopes.iter().map(|s| s.code().to_string()).collect();
            let want = model_delais(&generated, year, &codes);
            assert_eq!(got, want, "délais, seed {seed}, year {year}");
        }
        // The series computes its years together: each as on its own, and
        // the persons cumulated since its first year.
        let series = compute_series(&frames, YEAR - 2, YEAR, None).unwrap();
        let mut cumulated: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let acts = [
            kept_acts(&generated.demandes),
            kept_acts(&generated.interventions),
        ];
        for (year, entry) in (YEAR - 2..=YEAR).zip(&series) {
            let alone = compute_year(&frames, year).unwrap();
            assert_eq!(entry.figures.rows, alone.rows, "seed {seed}, year {year}");
            assert_eq!(
                entry.figures.delais, alone.delais,
                "seed {seed}, year {year}"
            );
            // The profile and network are published for Y only: the
            // series computes them for its last year (decision 151).
            let profile = match year {
                YEAR => polars_profile(&alone),
                _ => polars_profile(&bilan::indicators::YearFigures::default()),
            };
            assert_eq!(
                polars_profile(&entry.figures),
                profile,
                "seed {seed}, year {year}"
            );
            for act in acts
                .iter()
                .flatten()
                .filter(|a| a.date.unwrap() / 10_000 == year)
            {
                for scope in std::iter::once("national".to_string()).chain(act.team.clone()) {
                    cumulated
                        .entry(scope)
                        .or_default()
                        .insert(act.id_usager.clone());
                }
            }
            for c in &entry.cumulated {
                let want = cumulated
                    .get(c.scope.code())
                    .map_or(0, |persons| persons.len() as u64);
                assert_eq!(
                    c.personnes_cumulees,
                    Some(want),
                    "seed {seed}, {year}, {}",
                    c.scope.code()
                );
            }
        }
        // Collective actions, for a list of years as `--year A-B` asks.
        let years = [YEAR - 2, YEAR - 1, YEAR];
        let actions = compute_actions(&frames, &years).unwrap();
        match &generated.actions {
            None => assert_eq!(actions, ActionFigures::default(), "seed {seed}"),
            Some(rows) => {
                let by_type = action_model(rows, &years, &|a| vec![a.type_action], &TYPE_ORDER);
                assert_eq!(polars_actions(&actions.by_type), by_type, "seed {seed}");
                let by_public = action_model(
                    rows,
                    &years,
                    &|a| {
                        if a.publics.is_empty() {
                            vec![None]
                        } else {
                            a.publics.iter().map(|p| Some(*p)).collect()
                        }
                    },
                    &PUBLIC_ORDER,
                );
                assert_eq!(polars_actions(&actions.by_public), by_public, "seed {seed}");
                compared += by_type.len() + by_public.len();
                // Only the years asked, and one year alone is the same rows.
                let one = compute_actions(&frames, &[YEAR - 1]).unwrap();
                let of_year: Vec<_> = actions
                    .by_type
                    .iter()
                    .filter(|r| r.year == YEAR - 1)
                    .cloned()
                    .collect();
                assert_eq!(one.by_type, of_year, "seed {seed}");
            }
        }
        // Every row is accounted for: read = kept + excluded, and each
        // excluded row has exactly one excluding finding.
        let excluded_findings: u64 = loaded
            .clean
            .findings
            .iter()
            .filter(|f| f.rule.excludes_row())
            .map(|f| f.count)
            .sum();
        let excluded: u64 = loaded.clean.files.iter().map(|f| f.rows_excluded).sum();
        assert_eq!(excluded, excluded_findings, "seed {seed}");
        let mut sizes = vec![
            generated.persons.len(),
            generated.demandes.len(),
            generated.interventions.len(),
        ];
        sizes.extend(generated.actions.as_ref().map(Vec::len));
        assert_eq!(loaded.clean.files.len(), sizes.len(), "seed {seed}");
        for ((file, size), blank) in loaded
            .clean
            .files
            .iter()
            .zip(sizes)
            .zip(generated.blank_rows)
        {
            assert_eq!(
                file.rows_read,
                size as u64 + blank,
                "seed {seed} {}",
                file.name
            );
            assert_eq!(file.rows_read, file.rows_kept + file.rows_excluded);
        }
        // (Decision 199) A report's series keeps only the acts of Y once it
        // has grouped them: the series, the tables and the fill rates of
        // its scopes read the same as from every act, and no figure can be
        // asked of the acts let go.
        let scopes: Vec<Scope> = std::iter::once(Scope::National)
            .chain((0..frames.scope_count() as u32).map(|n| frames.scope(n)))
            .collect();
        let tables = |frames: &Frames| -> Vec<_> {
            scopes
                .iter()
                .map(|scope| compute_tables(frames, YEAR, scope).unwrap())
                .collect()
        };
        let mut again = ExportSource::new(dir.path()).load().unwrap();
        let cut = Frames::new(&mut again.clean).unwrap();
        let kept = compute_series(&cut, YEAR - 2, YEAR, Some(((YEAR, YEAR), &scopes))).unwrap();
        for (kept, all) in kept.iter().zip(&series) {
            // Every figure, the network of Y included (it reads the acts
            // of Y after the cut).
            assert_eq!(kept.figures, all.figures, "seed {seed}");
            assert_eq!(kept.cumulated, all.cumulated, "seed {seed}");
        }
        assert_eq!(tables(&cut), tables(&frames), "seed {seed}");
        assert!(cut.every_act().is_err(), "seed {seed}");
        assert!(cut.acts_of(YEAR - 1, YEAR).is_err(), "seed {seed}");
        assert!(cut.acts_of(YEAR, YEAR).is_ok(), "seed {seed}");
    }
    assert!(compared > 500, "only {compared} action rows compared");
    assert!(compared_v3 > 1000, "only {compared_v3} v3 rows compared");
}
