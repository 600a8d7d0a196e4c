//! Differential test: the Polars path against a plain computation of SPEC
//! §3–4 over the generator's own rows, on random exports in random
//! dialects with dirty rows, for the report year and the year before,
//! nationally and for every team.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use bilan::cli::InputArgs;
use bilan::indicators::{compute, Frames, Indicator, IndicatorRow};

use super::generator::{generate, Act, Generated};

const YEAR: i32 = 2024;

/// (scope, indicator, numerator, denominator, not_filled)
type Figures = (String, &'static str, u64, Option<u64>, Option<u64>);

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
            (num, Some(den), Some(all - den))
        };
        let child = |p: &super::generator::Person| {
            p.birth.is_some_and(|b| {
                b >= (year - 120) * 10_000 + 1231
                    && b <= year * 10_000 + 1231
                    && (3..=16).contains(&(year - b / 10_000))
            })
        };
        let children = people.iter().flatten().filter(|p| child(p)).count() as u64;
        let always = |_: &super::generator::Person| true;
        let visits = ids
            .iter()
            .filter(|id| visited.contains(&(scope.clone(), (*id).clone())))
            .count() as u64;
        let figures = [
            ("personnes_accompagnees", (n, None, None)),
            ("nouvelles_personnes", (new, None, None)),
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
                (visits, Some(n), Some(0)),
            ),
        ];
        for (indicator, (num, den, nf)) in figures {
            rows.push((scope.clone(), indicator, num, den, nf));
        }
    }
    rows
}

fn polars_rows(rows: &[IndicatorRow]) -> Vec<Figures> {
    rows.iter()
        .map(|r| {
            (
                r.scope.clone(),
                Indicator::id(r.indicator),
                r.numerator.unwrap(),
                r.denominator,
                r.not_filled,
            )
        })
        .collect()
}

#[test]
fn polars_indicators_agree_with_a_plain_model_on_random_dirty_exports() {
    for seed in 0..60 {
        let dir = tempfile::tempdir().unwrap();
        let (generated, _) = generate(seed, dir.path(), YEAR);
        let input = InputArgs {
            input: dir.path().to_path_buf(),
            teams: None,
            columns: None,
            ..Default::default()
        };
        let mut loaded = bilan::cmd::load(&input).unwrap_or_else(|e| panic!("seed {seed}: {e:#}"));
        let frames = Frames::new(&mut loaded.clean).unwrap();
        for year in [YEAR, YEAR - 1] {
            let rows = compute(&frames, year).unwrap();
            // The report's 3–16 table counts the population of the rate.
            if let Some(school) = rows
                .iter()
                .find(|r| r.scope == "national" && r.indicator == Indicator::Enfants316Scolarises)
            {
                let breakdowns =
                    bilan::indicators::compute_breakdowns(&frames, year, None).unwrap();
                let population = school.denominator.unwrap() + school.not_filled.unwrap();
                assert_eq!(
                    breakdowns.children,
                    Some(population),
                    "seed {seed}, year {year}"
                );
            }
            let got = polars_rows(&rows);
            let want = model(&generated, year);
            assert_eq!(got, want, "seed {seed}, year {year}");
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
        let sizes = [
            generated.persons.len(),
            generated.demandes.len(),
            generated.interventions.len(),
        ];
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
    }
}
