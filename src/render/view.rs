//! View structs: everything the templates show, already formatted in
//! French. Templates only loop and branch over these.

use anyhow::Result;
use serde::Serialize;

use crate::charts::{alt_text, horizontal_bars, vertical_bars, Bar};
use crate::format;
use crate::indicators::{Breakdowns, Count, Indicator, IndicatorRow, NATIONAL};
use crate::reference::{Category, Teams};
use crate::secret::Secrecy;
use crate::validate::{FileSummary, Finding, Rule};

/// What the report is built from.
pub struct ReportInput<'a> {
    pub year: i32,
    /// `None` for the national report.
    pub scope: Option<&'a str>,
    /// The year's rows of every scope.
    pub rows: &'a [IndicatorRow],
    /// Y−1 rows, when the export covers Y−1.
    pub previous: Option<&'a [IndicatorRow]>,
    pub breakdowns: &'a Breakdowns,
    pub files: &'a [FileSummary],
    pub findings: &'a [Finding],
    pub teams: &'a Teams,
    /// First and last date of the export's kept acts (`AAAAMMJJ`).
    pub period: Option<(i32, i32)>,
    pub export_name: String,
    pub tool_version: String,
    pub generated_on: Option<String>,
    pub secrecy: Secrecy,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub title: String,
    pub year: i32,
    pub previous_year: i32,
    pub scope_label: String,
    pub is_national: bool,
    /// `--min-count 1`: figures are exact, not for publication.
    pub restricted: bool,
    /// The threshold K of statistical secrecy, when on.
    pub min_count: Option<u64>,
    pub tool: String,
    pub generated_on: Option<String>,
    pub source: SourceView,
    pub has_previous: bool,
    pub key_figures: Vec<KeyFigure>,
    pub persons: Vec<ChartView>,
    pub profile: Vec<ChartView>,
    pub combinations: TableView,
    pub requests: Vec<ChartView>,
    pub interventions: Vec<ChartView>,
    pub durations: TableView,
    pub visits: TableView,
    pub quality: QualityView,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub export: String,
    pub period: String,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub name: String,
    pub encoding: String,
    pub delimiter: String,
    pub size: String,
    pub rows_read: String,
    pub rows_kept: String,
    pub rows_excluded: String,
    pub sha256: String,
    pub absent_columns: String,
}

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

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub alt: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityView {
    pub files: Vec<FileView>,
    pub fill_rates: TableView,
    pub total_findings: String,
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub code: &'static str,
    pub explanation: String,
    pub count: String,
    pub effect: &'static str,
    pub examples: Vec<Vec<String>>,
}

/// How many example rows the report shows per rule.
const EXAMPLES: usize = 5;
/// What the report shows instead of a value that is personal data.
pub const MASKED_VALUE: &str = "(masquée)";

fn not_filled_label(value: &Option<String>, label: impl Fn(&str) -> String) -> String {
    match value {
        Some(v) => label(v),
        None => "Non renseigné".to_string(),
    }
}

/// A share in whole percent; `—` when either figure is masked or zero.
fn share(part: Option<u64>, whole: Option<u64>) -> String {
    match (part, whole) {
        (Some(part), Some(whole)) if whole > 0 => {
            format::percent(crate::indicators::round_percent(part, whole))
        }
        _ => "—".to_string(),
    }
}

/// A bar for a count as published: masked counts read `< K`, no bar drawn.
fn bar(label: impl Into<String>, count: Option<u64>, secrecy: Secrecy) -> Bar {
    match count {
        Some(n) if !secrecy.is_small(n) => Bar::new(label, n),
        _ => Bar {
            label: label.into(),
            value: None,
            shown: secrecy.label(),
        },
    }
}

/// A chart with its table: label, count, share of `total`.
#[allow(clippy::too_many_arguments)] // one call per chart reads best with every part named in place
fn chart(
    id: &str,
    title: &str,
    header: &str,
    bars: Vec<Bar>,
    total: Option<u64>,
    vertical: bool,
    note: Option<String>,
) -> Result<ChartView> {
    let svg = if vertical {
        vertical_bars(title, &bars)?
    } else {
        horizontal_bars(title, &bars)?
    };
    let rows = bars
        .iter()
        .map(|b| vec![b.label.clone(), b.shown.clone(), share(b.value, total)])
        .collect();
    Ok(ChartView {
        id: id.to_string(),
        title: title.to_string(),
        alt: alt_text(title, &bars),
        svg,
        columns: vec![
            header.to_string(),
            "Effectif".to_string(),
            "Part".to_string(),
        ],
        rows,
        note: note.map(|n| format::typography(&n)),
    })
}

/// Counts of a categorical field in the order of its nomenclature, zeros
/// included, then *not filled in* when there is any.
fn category_bars(category: Category, counts: &[Count], secrecy: Secrecy) -> Vec<Bar> {
    let mut bars: Vec<Bar> = category
        .values()
        .iter()
        .map(
            |v| match counts.iter().find(|c| c.value.as_deref() == Some(v.code)) {
                Some(c) => bar(v.display, c.count, secrecy),
                None => Bar::new(v.display, 0),
            },
        )
        .collect();
    if let Some(missing) = counts.iter().find(|c| c.value.is_none()) {
        bars.push(bar("Non renseigné", missing.count, secrecy));
    }
    bars
}

fn team_label(teams: &Teams, code: &str) -> String {
    teams
        .get(code)
        .map_or_else(|| format!("{code} (hors référentiel)"), |t| t.name.clone())
}

fn row_of<'a>(
    rows: &'a [IndicatorRow],
    scope: &str,
    indicator: Indicator,
) -> Option<&'a IndicatorRow> {
    rows.iter()
        .find(|r| r.scope == scope && r.indicator == indicator)
}

/// The shown value of an indicator row: a count or a rounded rate; a
/// masked count reads `< K`, a masked rate `—`.
pub fn shown_value(row: &IndicatorRow, secrecy: Secrecy) -> String {
    if row.suppressed {
        if row.indicator.is_count() {
            secrecy.label()
        } else {
            "—".to_string()
        }
    } else if row.indicator.is_count() {
        row.numerator.map_or("—".to_string(), format::int)
    } else {
        row.percent().map_or("—".to_string(), format::percent)
    }
}

fn key_figures(input: &ReportInput, scope: &str) -> Vec<KeyFigure> {
    Indicator::ALL
        .into_iter()
        .filter_map(|indicator| {
            let row = row_of(input.rows, scope, indicator)?;
            let before = input
                .previous
                .and_then(|rows| row_of(rows, scope, indicator));
            let change = before.and_then(|b| {
                match (
                    indicator.is_count(),
                    row.numerator,
                    b.numerator,
                    row.percent(),
                    b.percent(),
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
            });
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
                    input.secrecy.min_count
                ),
                (Some(n), Some(d)) if visits => {
                    format!(
                        "{} sur {} personnes accompagnées",
                        format::int(n),
                        format::int(d)
                    )
                }
                (Some(n), Some(d)) if !indicator.is_count() => format!(
                    "{} sur {} personnes renseignées ; taux de remplissage {}",
                    format::int(n),
                    format::int(d),
                    fill_rate.clone().unwrap_or_default()
                ),
                _ => String::new(),
            };
            let previous = before.map(|b| shown_value(b, input.secrecy));
            let compare = previous.as_ref().map(|p| match &change {
                Some(change) => format!("{} : {p} — évolution {change}", input.year - 1),
                None => format!("{} : {p}", input.year - 1),
            });
            Some(KeyFigure {
                id: indicator.id(),
                label: indicator.label(),
                value: shown_value(row, input.secrecy),
                national: input
                    .scope
                    .and_then(|_| row_of(input.rows, NATIONAL, indicator))
                    .map(|n| format!("national {}", shown_value(n, input.secrecy))),
                previous,
                change,
                compare: compare.map(|c| format::typography(&c)),
                detail: format::typography(&detail),
                fill_rate,
            })
        })
        .collect()
}

fn file_view(file: &FileSummary, secrecy: Secrecy) -> FileView {
    FileView {
        name: file.name.clone(),
        encoding: file.encoding.to_string(),
        delimiter: match file.delimiter {
            ';' => "point-virgule".to_string(),
            ',' => "virgule".to_string(),
            '\0' => "aucun (classeur)".to_string(),
            _ => "tabulation".to_string(),
        },
        size: format!("{} Ko", format::decimal(file.size as f64 / 1024.0, 0)),
        rows_read: secrecy.show(Some(file.rows_read)),
        rows_kept: secrecy.show(Some(file.rows_kept)),
        rows_excluded: match file.rows_excluded {
            0 => "0".to_string(),
            n => secrecy.show(Some(n)),
        },
        sha256: file.sha256.clone(),
        absent_columns: file.absent_columns.join(", "),
    }
}

/// The French name of a column of the export, for the fill-rate table.
fn column_label(column: &str) -> &'static str {
    match column {
        "date_naissance" => "Date de naissance",
        "sexe" => "Sexe",
        "departement" => "Département",
        "lieu_de_vie" => "Lieu de vie",
        "maladie_rare" => "Maladie rare",
        "code_orpha" => "Code ORPHA",
        "deficiences" => "Déficiences",
        "tnd" => "TND",
        "scolarisation" => "Scolarisation",
        "equipe" => "Équipe",
        "origine" => "Origine",
        "type_intervention" => "Type d'intervention",
        "duree_minutes" => "Durée",
        _ => "",
    }
}

fn quality(input: &ReportInput) -> QualityView {
    let b = input.breakdowns;
    let fill_rates = TableView {
        title: "Taux de remplissage des champs".to_string(),
        columns: vec![
            "Fichier".into(),
            "Champ".into(),
            "Renseigné".into(),
            "Lignes".into(),
            "Taux".into(),
        ],
        rows: b
            .fill_rates
            .iter()
            .map(|f| {
                vec![
                    format!("{}.csv", f.file),
                    column_label(f.column).to_string(),
                    input.secrecy.show(f.filled),
                    input.secrecy.show(f.rows),
                    share(f.filled, f.rows),
                ]
            })
            .collect(),
        note: Some(
            "Une valeur illisible ou hors nomenclature compte comme non renseignée.".to_string(),
        ),
    };
    let mut rules = Vec::new();
    for rule in Rule::ALL {
        let of_rule: Vec<&Finding> = input.findings.iter().filter(|f| f.rule == rule).collect();
        if of_rule.is_empty() {
            continue;
        }
        let count: u64 = of_rule.iter().map(|f| f.count).sum();
        let examples = of_rule
            .iter()
            .take(EXAMPLES)
            .map(|f| {
                let lines = match f.lines.as_slice() {
                    [] => "—".to_string(),
                    [line] => format::int(*line),
                    many => {
                        let list: Vec<String> = many.iter().map(|l| format::int(*l)).collect();
                        let more = if f.count > many.len() as u64 {
                            ", …"
                        } else {
                            ""
                        };
                        format!("{}{more}", list.join(", "))
                    }
                };
                vec![
                    f.file.clone(),
                    lines,
                    f.column.clone().unwrap_or_default(),
                    published_value(f),
                    format::typography(&f.message),
                ]
            })
            .collect();
        rules.push(RuleView {
            code: rule.code(),
            explanation: format::typography(rule.explanation()),
            count: input.secrecy.show(Some(count)),
            effect: if rule.excludes_row() {
                "lignes écartées"
            } else {
                "lignes conservées"
            },
            examples,
        });
    }
    let total: u64 = input.findings.iter().map(|f| f.count).sum();
    QualityView {
        files: input
            .files
            .iter()
            .map(|f| file_view(f, input.secrecy))
            .collect(),
        fill_rates,
        total_findings: format::int(total),
        rules,
    }
}

/// The value of a finding as published: personal data is masked.
pub fn published_value(finding: &Finding) -> String {
    match &finding.value {
        Some(_) if finding.sensitive => MASKED_VALUE.to_string(),
        Some(value) => value.clone(),
        None => String::new(),
    }
}

pub fn build(input: &ReportInput) -> Result<ReportView> {
    let scope = input.scope.unwrap_or(NATIONAL);
    let secrecy = input.secrecy;
    let b = input.breakdowns;
    let active_row = row_of(input.rows, scope, Indicator::PersonnesAccompagnees);
    let active = active_row
        .filter(|r| !r.suppressed)
        .and_then(|r| r.numerator);
    let scope_label = match input.scope {
        None => "National — ensemble des ERHR et des CNRHR".to_string(),
        Some(code) => team_label(input.teams, code),
    };
    let bars_of = |counts: &[Count], label: &dyn Fn(&str) -> String| -> Vec<Bar> {
        counts
            .iter()
            .map(|c| bar(not_filled_label(&c.value, label), c.count, secrecy))
            .collect()
    };
    let teams = |code: &str| team_label(input.teams, code);
    let no_team = |counts: &[Count]| -> Vec<Bar> {
        counts
            .iter()
            .map(|c| {
                bar(
                    c.value.as_deref().map_or("Sans équipe".to_string(), teams),
                    c.count,
                    secrecy,
                )
            })
            .collect()
    };
    let region = |r: &str| r.to_string();
    let mut by_age: Vec<Bar> = crate::indicators::AGE_BRACKETS
        .iter()
        .map(|(label, _, _)| {
            match b
                .persons_by_age
                .iter()
                .find(|c| c.value.as_deref() == Some(label))
            {
                Some(c) => bar(*label, c.count, secrecy),
                None => Bar::new(*label, 0),
            }
        })
        .collect();
    if let Some(unknown) = b.persons_by_age.iter().find(|c| c.value.is_none()) {
        by_age.push(bar("Âge inconnu", unknown.count, secrecy));
    }
    let several_teams = "Une personne suivie par plusieurs équipes compte pour chacune : la somme dépasse le total.";
    let persons = vec![
        chart(
            "personnes-equipe",
            "Personnes accompagnées par équipe",
            "Équipe",
            bars_of(&b.persons_by_team, &teams),
            active,
            false,
            input.scope.is_none().then(|| several_teams.to_string()),
        )?,
        chart(
            "personnes-region",
            "Personnes accompagnées par région de résidence",
            "Région",
            bars_of(&b.persons_by_region, &region),
            active,
            false,
            None,
        )?,
        chart(
            "personnes-age",
            &format!(
                "Personnes accompagnées par âge au 31 décembre {}",
                input.year
            ),
            "Âge",
            by_age,
            active,
            false,
            None,
        )?,
        chart(
            "personnes-sexe",
            "Personnes accompagnées par sexe",
            "Sexe",
            category_bars(Category::Sexe, &b.persons_by_sex, secrecy),
            active,
            false,
            None,
        )?,
    ];
    let mut deficiences = category_bars(Category::Deficiences, &b.deficiences, secrecy);
    deficiences.push(bar("Non renseigné", b.deficiences_not_filled, secrecy));
    let mut tnd = category_bars(Category::Tnd, &b.tnd, secrecy);
    tnd.push(bar("Non renseigné", b.tnd_not_filled, secrecy));
    let profile = vec![
        chart(
            "profil-maladie-rare",
            "Statut de maladie rare",
            "Statut",
            category_bars(Category::MaladieRare, &b.maladie_rare, secrecy),
            active,
            false,
            None,
        )?,
        chart(
            "profil-deficiences",
            "Déficiences (une personne peut en avoir plusieurs)",
            "Déficience",
            deficiences,
            active,
            false,
            Some("Parts calculées sur l'ensemble des personnes accompagnées.".to_string()),
        )?,
        chart(
            "profil-tnd",
            "Troubles du neurodéveloppement (une personne peut en avoir plusieurs)",
            "TND",
            tnd,
            active,
            false,
            None,
        )?,
        chart(
            "profil-lieu-de-vie",
            "Lieu de vie",
            "Lieu de vie",
            category_bars(Category::LieuDeVie, &b.lieu_de_vie, secrecy),
            active,
            false,
            None,
        )?,
        chart(
            "profil-scolarisation",
            "Scolarisation des enfants de 3 à 16 ans",
            "Scolarisation",
            category_bars(Category::Scolarisation, &b.scolarisation_3_16, secrecy),
            b.children,
            false,
            Some(format!(
                "{} enfants de 3 à 16 ans accompagnés.",
                secrecy.show(b.children)
            )),
        )?,
    ];
    let combinations = TableView {
        title: "Combinaisons de déficiences les plus fréquentes".to_string(),
        columns: vec!["Combinaison".into(), "Personnes".into(), "Part".into()],
        rows: b
            .deficience_combinations
            .iter()
            .map(|c| {
                let names: Vec<&str> = c
                    .value
                    .as_deref()
                    .unwrap_or("")
                    .split('|')
                    .map(|code| Category::Deficiences.display(code))
                    .collect();
                vec![
                    names.join(" + "),
                    secrecy.show(c.count),
                    share(c.count, active),
                ]
            })
            .collect(),
        note: Some("Part parmi l'ensemble des personnes accompagnées.".to_string()),
    };
    let months: Vec<Bar> = b
        .requests_by_month
        .iter()
        .map(|c| {
            let month: u32 = c.value.as_deref().and_then(|m| m.parse().ok()).unwrap_or(0);
            bar(format::month_name(month), c.count, secrecy)
        })
        .collect();
    let requests = vec![
        chart(
            "demandes-mois",
            &format!("Demandes reçues par mois en {}", input.year),
            "Mois",
            months,
            b.requests,
            true,
            Some(format!(
                "{} demandes reçues en {}.",
                secrecy.show(b.requests),
                input.year
            )),
        )?,
        chart(
            "demandes-origine",
            "Demandes par origine",
            "Origine",
            category_bars(Category::Origine, &b.requests_by_origin, secrecy),
            b.requests,
            false,
            None,
        )?,
        chart(
            "demandes-equipe",
            "Demandes par équipe",
            "Équipe",
            no_team(&b.requests_by_team),
            b.requests,
            false,
            None,
        )?,
    ];
    let by_type: Vec<Count> = b
        .interventions_by_type
        .iter()
        .map(|d| Count {
            value: d.value.clone(),
            count: d.count,
            suppressed: d.count.is_none(),
        })
        .collect();
    let interventions = vec![
        chart(
            "interventions-type",
            "Interventions par type",
            "Type",
            category_bars(Category::TypeIntervention, &by_type, secrecy),
            b.interventions,
            false,
            Some(format!(
                "{} interventions réalisées en {}.",
                secrecy.show(b.interventions),
                input.year
            )),
        )?,
        chart(
            "interventions-equipe",
            "Interventions par équipe",
            "Équipe",
            no_team(&b.interventions_by_team),
            b.interventions,
            false,
            None,
        )?,
    ];
    let hours = |d: &crate::indicators::Durations| match (d.minutes, d.with_duration) {
        (Some(minutes), Some(with)) => (
            format::decimal(minutes as f64 / 60.0, 1),
            if with > 0 {
                format::decimal(minutes as f64 / with as f64, 0)
            } else {
                "—".into()
            },
        ),
        _ => ("—".into(), "—".into()),
    };
    let durations = TableView {
        title: "Durée des interventions".to_string(),
        columns: vec![
            "Type".into(),
            "Interventions".into(),
            "Durée renseignée".into(),
            "Total (heures)".into(),
            "Durée moyenne (min)".into(),
        ],
        rows: Category::TypeIntervention
            .values()
            .iter()
            .filter_map(|v| {
                b.interventions_by_type
                    .iter()
                    .find(|d| d.value.as_deref() == Some(v.code))
                    .map(|d| (v.display.to_string(), d))
            })
            .chain(
                b.interventions_by_type
                    .iter()
                    .filter(|d| d.value.is_none())
                    .map(|d| ("Non renseigné".to_string(), d)),
            )
            .map(|(label, d)| {
                let (total, mean) = hours(d);
                vec![
                    label,
                    secrecy.show(d.count),
                    secrecy.show(d.with_duration),
                    total,
                    mean,
                ]
            })
            .collect(),
        note: None,
    };
    let visit_rows: Vec<&IndicatorRow> = input
        .rows
        .iter()
        .filter(|r| {
            r.indicator == Indicator::VisiteDomicileOuEtablissement
                && (input.scope.is_none() || r.scope == scope || r.scope == NATIONAL)
        })
        .collect();
    let visits = TableView {
        title: "Personnes ayant bénéficié d'au moins une visite à domicile ou en établissement"
            .to_string(),
        columns: vec![
            "Périmètre".into(),
            "Personnes visitées".into(),
            "Personnes accompagnées".into(),
            "Part".into(),
        ],
        rows: visit_rows
            .iter()
            .map(|r| {
                let label = if r.scope == NATIONAL {
                    "National".to_string()
                } else {
                    team_label(input.teams, &r.scope)
                };
                vec![
                    label,
                    secrecy.show(r.numerator),
                    secrecy.show(r.denominator),
                    shown_value(r, secrecy),
                ]
            })
            .collect(),
        note: None,
    };
    let files: Vec<FileView> = input.files.iter().map(|f| file_view(f, secrecy)).collect();
    Ok(ReportView {
        title: format!("Bilan d’activité {}", input.year),
        year: input.year,
        previous_year: input.year - 1,
        scope_label,
        is_national: input.scope.is_none(),
        restricted: !secrecy.enabled(),
        min_count: secrecy.enabled().then_some(secrecy.min_count),
        tool: format!("bilan {}", input.tool_version),
        generated_on: input.generated_on.clone(),
        source: SourceView {
            export: input.export_name.clone(),
            period: input
                .period
                .map_or("aucune activité datée".to_string(), |(a, b)| {
                    format!("du {} au {}", format::date(a), format::date(b))
                }),
            files,
        },
        has_previous: input.previous.is_some(),
        key_figures: key_figures(input, scope),
        persons,
        profile,
        combinations,
        requests,
        interventions,
        durations,
        visits,
        quality: quality(input),
    })
}
