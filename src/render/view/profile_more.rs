//! (v3) The end of *Profil* (`profil_v3.html`, included by `profil.html`):
//! the associated disorders (their number per person, each disorder, "dont
//! TND"), the types of accompaniment (their mean and number per person,
//! each type), the legal categories of *handicap rare* (§4.5) and the
//! diagnoses (§4.6). Every figure comes from the published tables and
//! rows; a masked figure reads `< K` or `s`, and a sentence leaves it out
//! rather than state it as small (SPEC §8).

use anyhow::Result;
use serde::Serialize;

use super::key_figures::not_exported;
use super::parts::{shown, Cell, Chart, ChartView, Orientation, Row, TableView, NOT_FILLED};
use crate::catalog::{Indicator, LegalCategory, TableId, CODE_COUNT_BRACKETS, NONE, TND_DISORDER};
use crate::format;
use crate::indicators::{CategoryRow, Count, IndicatorRow, Mask};
use crate::reference::{orpha_name, Category, Scope};
use crate::secret::{ScopeReport, Shown};

/// A part of a section: its heading, its sentences, its charts (each with
/// the table of its figures) and its tables.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub id: &'static str,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub charts: Vec<ChartView>,
    pub tables: Vec<TableView>,
}

/// The parts *Profil* gains with SPEC v3.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileMoreView {
    pub parts: Vec<Part>,
}

pub fn profile_more(report: &ScopeReport) -> Result<ProfileMoreView> {
    Ok(ProfileMoreView {
        parts: vec![
            disorders(report)?,
            accompaniments(report)?,
            categories(report),
            diagnoses(report),
        ],
    })
}

/// A published row's numerator and denominator (`s` when masked).
fn figures_of(row: Option<&IndicatorRow>) -> (Shown, Shown) {
    match row {
        Some(r) if !r.suppressed => (Shown::of(r.numerator, None), Shown::of(r.denominator, None)),
        Some(r) => (
            Shown::Masked(r.mask.unwrap_or(Mask::Protecting)),
            Shown::Masked(r.parts_mask()),
        ),
        None => (Shown::Value(0), Shown::Value(0)),
    }
}

/// The label of a bracket of a number of codes: `1 trouble`, `6 types ou
/// plus`.
fn bracket_label(bracket: &str, one: &str, many: &str, none: &str) -> String {
    match bracket {
        "0" => none.to_string(),
        "1" => format!("1 {one}"),
        "6 et plus" => format!("6 {many} ou plus"),
        n => format!("{n} {many}"),
    }
}

/// The rows of a distribution of a number of codes (its cells in bracket
/// order) and its *non renseigné*.
fn distribution_rows(cells: &[Count], label: impl Fn(&str) -> String) -> (Vec<Row>, Vec<Row>) {
    let rows = CODE_COUNT_BRACKETS
        .iter()
        .map(|bracket| {
            let cell = cells.iter().find(|c| c.value.as_deref() == Some(*bracket));
            (label(bracket), cell.map_or(Shown::Value(0), shown))
        })
        .collect();
    let aside = cells
        .iter()
        .filter(|c| c.value.is_none())
        .map(|c| (NOT_FILLED.to_string(), shown(c)))
        .collect();
    (rows, aside)
}

/// The codes of a table by code (but `aucun`), in the order of their
/// category, as chart rows.
fn code_rows(cells: &[Count], category: Category) -> Vec<Row> {
    cells
        .iter()
        .filter(|c| c.value.as_deref().is_some_and(|v| v != NONE))
        .map(|c| {
            let code = c.value.as_deref().unwrap_or_default();
            (category.display(code).to_string(), shown(c))
        })
        .collect()
}

/// A sentence saying that the export does not carry a field (SPEC §4).
fn not_carried(field: &str, what: &str) -> String {
    format!("L’export ne contient pas la colonne « {field} » : {what} n’est pas calculé. Un chiffre fait d’une autre colonne ne dirait pas la même chose.")
}

/// *Troubles associés* (SPEC §4 v3): the persons with ≥ 1, their number
/// per person, each disorder among the persons with ≥ 1, "dont TND".
fn disorders(report: &ScopeReport) -> Result<Part> {
    let secrecy = report.secrecy();
    let row = report.own_row(Indicator::AuMoinsUnTroubleAssocie);
    let mut part = Part {
        id: "profil-troubles-associes",
        title: "Troubles associés".to_string(),
        paragraphs: Vec::new(),
        charts: Vec::new(),
        tables: Vec::new(),
    };
    if row.is_some_and(not_exported) {
        part.paragraphs.push(not_carried(
            "troubles associés",
            "le nombre de personnes présentant au moins un trouble associé",
        ));
        return Ok(part);
    }
    let (with, filled) = figures_of(row);
    let tables = report.tables();
    let distribution = &tables.get(TableId::NumberOfDisorders).cells;
    let each = &tables.get(TableId::Disorders).cells;
    let tnd = each
        .iter()
        .find(|c| c.value.as_deref() == Some(TND_DISORDER))
        .map_or(Shown::Value(0), shown);
    let mut lead = match (with, filled) {
        (Shown::Value(n), Shown::Value(d)) => format!(
            "{} personne{} présente{} au moins un trouble associé, soit {} des {} personnes dont les troubles associés ou les troubles du neurodéveloppement sont renseignés",
            format::int(n),
            plural(n),
            if n > 1 { "nt" } else { "" },
            format::share(n, d).unwrap_or_else(|| "—".to_string()),
            format::int(d)
        ),
        _ => "Le nombre de personnes présentant au moins un trouble associé est masqué (secret statistique)".to_string(),
    };
    if let (Shown::Value(t), Shown::Value(n)) = (tnd, with) {
        if n > 0 {
            lead.push_str(&format!(
                ", dont {} relevant de troubles du neurodéveloppement (TND)",
                format::share(t, n).unwrap_or_default()
            ));
        }
    }
    lead.push('.');
    part.paragraphs.push(lead);
    // "souvent multiple (jusqu'à six)": only when every cell is shown.
    let counts: Option<Vec<u64>> = CODE_COUNT_BRACKETS
        .iter()
        .map(|b| {
            distribution
                .iter()
                .find(|c| c.value.as_deref() == Some(*b))
                .map_or(Some(0), |c| c.count)
        })
        .collect();
    if let Some(counts) = counts {
        let several: u64 = counts[2..].iter().sum();
        let most = counts.iter().rposition(|&n| n > 0);
        if let (true, Some(most)) = (several > 0, most) {
            let upto = match most {
                6 => format!("dont {} six ou plus", format::int(counts[6])),
                k => format!(
                    "jusqu’à {}",
                    ["zéro", "un", "deux", "trois", "quatre", "cinq"][k]
                ),
            };
            part.paragraphs.push(format!(
                "{} en présente{} plusieurs, {upto}.",
                format::int(several),
                if several > 1 { "nt" } else { "" }
            ));
        }
    }
    let (rows, aside) = distribution_rows(distribution, |b| {
        bracket_label(b, "trouble", "troubles", "Aucun trouble associé")
    });
    part.charts.push(
        Chart {
            id: "profil-troubles-nombre",
            title: "Nombre de troubles associés par personne",
            header: "Troubles associés",
            rows,
            aside,
            base: Some(filled),
            orientation: Orientation::Vertical,
            several: false,
            note: Some("Parts calculées sur les personnes dont les troubles associés ou les TND sont renseignés. Un TND indiqué dans la colonne des TND compte comme trouble associé, une seule fois.".to_string()),
        }
        .view(secrecy)?,
    );
    part.charts.push(
        Chart {
            id: "profil-troubles",
            title: "Troubles associés (une personne peut en présenter plusieurs)",
            header: "Trouble associé",
            rows: code_rows(each, Category::TroublesAssocies),
            aside: Vec::new(),
            base: Some(with),
            orientation: Orientation::Horizontal,
            several: true,
            note: Some("Parts calculées sur les personnes présentant au moins un trouble associé ; une personne compte pour chacun de ses troubles. La ligne des TND se lit « dont TND ».".to_string()),
        }
        .view(secrecy)?,
    );
    Ok(part)
}

fn plural(n: u64) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// *Types d'accompagnement* (SPEC §4 v3): the mean per person, the number
/// per person, each type's share of the persons whose accompaniments are
/// filled in.
fn accompaniments(report: &ScopeReport) -> Result<Part> {
    let secrecy = report.secrecy();
    let row = report.own_row(Indicator::TypesAccompagnementParPersonne);
    let mut part = Part {
        id: "profil-accompagnements",
        title: "Accompagnements médico-sociaux et sanitaires".to_string(),
        paragraphs: Vec::new(),
        charts: Vec::new(),
        tables: Vec::new(),
    };
    if row.is_some_and(not_exported) {
        part.paragraphs.push(not_carried(
            "accompagnements",
            "le nombre moyen de types d’accompagnement par personne",
        ));
        return Ok(part);
    }
    let filled = match row {
        Some(r) if !r.suppressed => Shown::of(r.denominator, None),
        Some(_) => Shown::Masked(Mask::Protecting),
        None => Shown::Value(0),
    };
    let lead = match row.map(|r| (r.numerator, r.denominator)) {
        Some((Some(n), Some(d))) if d > 0 => format!(
            "Une personne accompagnée cumule en moyenne {} types d’accompagnements médico-sociaux ou sanitaires dans l’année (environ {}), sur les {} personnes dont les accompagnements sont renseignés.",
            format::mean(n, d).unwrap_or_default(),
            format::mean_unit(n, d).unwrap_or_default(),
            format::int(d)
        ),
        Some((Some(_), Some(_))) => "Aucune personne n’a ses accompagnements renseignés.".to_string(),
        _ => "Le nombre moyen de types d’accompagnement par personne est masqué (secret statistique).".to_string(),
    };
    part.paragraphs.push(lead);
    let tables = report.tables();
    let (rows, aside) =
        distribution_rows(&tables.get(TableId::NumberOfAccompaniments).cells, |b| {
            bracket_label(b, "type", "types", "Aucun accompagnement")
        });
    part.charts.push(
        Chart {
            id: "profil-accompagnements-nombre",
            title: "Nombre de types d’accompagnement par personne",
            header: "Types d’accompagnement",
            rows,
            aside,
            base: Some(filled),
            orientation: Orientation::Vertical,
            several: false,
            note: Some("Parts calculées sur les personnes dont les accompagnements sont renseignés ; « aucun » compte pour zéro.".to_string()),
        }
        .view(secrecy)?,
    );
    part.charts.push(
        Chart {
            id: "profil-accompagnements",
            title: "Types d’accompagnement (une personne peut en avoir plusieurs)",
            header: "Accompagnement",
            rows: code_rows(&tables.get(TableId::Accompaniments).cells, Category::Accompagnements),
            aside: Vec::new(),
            base: Some(filled),
            orientation: Orientation::Horizontal,
            several: true,
            note: Some("Parts calculées sur les personnes dont les accompagnements sont renseignés ; une personne compte pour chacun de ses types d’accompagnement.".to_string()),
        }
        .view(secrecy)?,
    );
    Ok(part)
}

/// A category row's persons as published.
fn persons_of(row: &CategoryRow) -> Shown {
    Shown::of(row.personnes, row.mask)
}

/// The mask a figure takes from the one it stands beside (a category's
/// denominator, its *not filled in*, the distinct diseases): `nd` with a
/// scope too thin for its tables, else none of its own (`s`, masked with
/// it).
fn beside(mask: Option<Mask>) -> Option<Mask> {
    mask.filter(|m| *m == Mask::Withheld)
}

/// "Au moins une catégorie" (1° to 5°): the persons whose déficiences are
/// filled in, but those not classifiable; masked with `non_classable`
/// (SPEC §8).
pub fn at_least_one(rows: &[&CategoryRow]) -> Shown {
    let non_classable = rows
        .iter()
        .find(|r| r.categorie == LegalCategory::NonClassable);
    match non_classable {
        Some(r) => match (r.personnes, r.denominateur) {
            (Some(n), Some(d)) => Shown::Value(d.saturating_sub(n)),
            _ => Shown::of(None, beside(r.mask)),
        },
        None => Shown::Value(0),
    }
}

/// *Catégories de handicap rare* (SPEC §4.5): the scope's categories with
/// their shares and "au moins une catégorie"; in the national report, the
/// same by team.
fn categories(report: &ScopeReport) -> Part {
    let secrecy = report.secrecy();
    let all = report.categories();
    let own: Vec<&CategoryRow> = all.iter().filter(|r| r.scope == *report.scope()).collect();
    let denominator = own.first().map_or(Shown::Value(0), |r| {
        Shown::of(r.denominateur, beside(r.mask))
    });
    let not_filled = own.first().map_or(Shown::Value(0), |r| {
        Shown::of(r.non_renseignes, beside(r.mask))
    });
    let mut cells: Vec<Vec<Cell>> = own
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.categorie.label()),
                Cell::Count(persons_of(r)),
                Cell::Share(persons_of(r), denominator),
            ]
        })
        .collect();
    let one = at_least_one(&own);
    cells.push(vec![
        Cell::text("Au moins une des catégories 1° à 5°"),
        Cell::Count(one),
        Cell::Share(one, denominator),
    ]);
    cells.push(vec![
        Cell::text(NOT_FILLED),
        Cell::Count(not_filled),
        Cell::Empty,
    ]);
    let mut part = Part {
        id: "profil-categories",
        title: "Catégories de handicap rare".to_string(),
        paragraphs: vec![
            "L’article D312-194 du Code de l’action sociale et des familles définit le handicap rare par cinq associations de déficiences graves, selon lesquelles les quatre CNRHR sont organisés. Le classement ci-dessous est déduit des déficiences enregistrées (toutes prises comme graves, la surdicécité valant déficience auditive et visuelle) ; ce n’est pas une décision sur la situation de la personne. Une personne peut relever de plusieurs catégories.".to_string(),
        ],
        charts: Vec::new(),
        tables: vec![TableView::new(
            format!("Catégories de handicap rare en {}", report.year()),
            vec!["Catégorie".into(), "Personnes".into(), "Part".into()],
            cells,
            Some("Parts calculées sur les personnes dont les déficiences sont renseignées ; les catégories ne s’excluent pas.".to_string()),
            secrecy,
        )],
    };
    if report.scope().is_national() {
        let mut columns = vec!["Équipe".to_string()];
        columns.extend(
            [
                "1°",
                "2°",
                "3°",
                "4°",
                "5°",
                "Non classable",
                "Au moins une",
                NOT_FILLED,
            ]
            .map(String::from),
        );
        let mut rows = Vec::new();
        for scope in report.scopes().into_iter().filter(|s| !s.is_national()) {
            let of: Vec<&CategoryRow> = all.iter().filter(|r| r.scope == *scope).collect();
            if of.is_empty() {
                continue;
            }
            let mut row = vec![Cell::Text(scope.name(report.teams()))];
            row.extend(of.iter().map(|r| Cell::Count(persons_of(r))));
            row.push(Cell::Count(at_least_one(&of)));
            row.push(Cell::Count(of.first().map_or(Shown::Value(0), |r| {
                Shown::of(r.non_renseignes, beside(r.mask))
            })));
            rows.push(row);
        }
        part.tables.push(TableView::new(
            format!(
                "Catégories de handicap rare par équipe en {} (personnes)",
                report.year()
            ),
            columns,
            rows,
            Some("Une personne suivie par plusieurs équipes compte pour chacune.".to_string()),
            secrecy,
        ));
    }
    part
}

/// *Diagnostics* (SPEC §4.6): the persons with an ORPHA code, the
/// distinct diseases, the diagnosed persons without a code; nationally,
/// the most frequent diagnoses (none held by fewer than K persons).
fn diagnoses(report: &ScopeReport) -> Part {
    let secrecy = report.secrecy();
    let rows = report.diagnostics();
    let own = rows.iter().find(|r| r.scope == *report.scope());
    let persons = report
        .own_row(Indicator::PersonnesAccompagnees)
        .map_or(Shown::Value(0), |r| Shown::of(r.numerator, r.mask));
    let diagnosed = figures_of(report.own_row(Indicator::MaladieRareDiagnostiquee)).0;
    let (with_code, distinct, without) = match own {
        Some(r) => (
            Shown::of(r.personnes_avec_code, r.masks.avec_code),
            Shown::of(r.maladies_distinctes, beside(r.masks.avec_code)),
            Shown::of(r.diagnostiquees_sans_code, r.masks.sans_code),
        ),
        None => (Shown::Value(0), Shown::Value(0), Shown::Value(0)),
    };
    let mut paragraphs = Vec::new();
    if let (Shown::Value(n), Shown::Value(m)) = (with_code, distinct) {
        paragraphs.push(format!(
            "{} personne{} {} au moins un code ORPHA valide ; elles présentent {} maladie{} rare{} différente{}.",
            format::int(n),
            plural(n),
            if n > 1 { "ont" } else { "a" },
            format::int(m),
            plural(m),
            plural(m),
            plural(m)
        ));
    }
    let table = TableView::new(
        format!("Diagnostics en {}", report.year()),
        vec!["Diagnostic".into(), "Personnes ou maladies".into(), "Part".into()],
        vec![
            vec![
                Cell::text("Personnes ayant au moins un code ORPHA valide"),
                Cell::Count(with_code),
                Cell::Share(with_code, persons),
            ],
            vec![
                Cell::text("Maladies rares différentes (codes ORPHA distincts)"),
                Cell::Count(distinct),
                Cell::Empty,
            ],
            vec![
                Cell::text("Personnes dont la maladie rare est diagnostiquée, sans code ORPHA valide"),
                Cell::Count(without),
                Cell::Share(without, diagnosed),
            ],
        ],
        Some("Part des personnes avec un code : sur les personnes accompagnées, quel que soit leur statut de maladie rare ; part des diagnostiquées sans code : sur les personnes dont la maladie rare est diagnostiquée (un indicateur de qualité de la saisie).".to_string()),
        secrecy,
    );
    let mut part = Part {
        id: "profil-diagnostics",
        title: "Diagnostics".to_string(),
        paragraphs,
        charts: Vec::new(),
        tables: vec![table],
    };
    if report.scope() == &Scope::National {
        let frequent = report.frequent();
        let named = frequent.iter().any(|d| d.label.is_some());
        let cells: Vec<Vec<Cell>> = frequent
            .iter()
            .map(|d| {
                vec![
                    Cell::text(orpha_name(d.code, d.label.as_deref())),
                    Cell::count(d.personnes),
                    Cell::Share(Shown::Value(d.personnes), with_code),
                ]
            })
            .collect();
        let note = format!(
            "Codes tenus par le plus de personnes accompagnées, du plus fréquent au moins fréquent, au plus 20 ; seuls figurent ceux d’au moins {} personnes (secret statistique : une maladie rare portée par peu de personnes les désigne). Part calculée sur les personnes ayant au moins un code. {}",
            secrecy.min_count.max(1),
            if named {
                "Libellés tirés de la nomenclature ORPHA fournie (--orpha-labels)."
            } else {
                "Sans nomenclature fournie, les diagnostics sont désignés par leur code ORPHA."
            }
        );
        part.tables.push(TableView::new(
            format!("Diagnostics les plus fréquents en {}", report.year()),
            vec!["Diagnostic".into(), "Personnes".into(), "Part".into()],
            cells,
            Some(note),
            secrecy,
        ));
    }
    part
}
