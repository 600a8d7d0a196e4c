//! `datapackage.json` (SPEC §6): a Frictionless Data Package describing
//! every CSV of the report folder but `findings.csv` (the analyst's, not
//! for publication), so that the folder can be published as open data and
//! checked by `frictionless validate` as it stands: for each CSV its
//! size (no hash: a published file holds none, SPEC §6 v3; the manifest
//! has the checksums), and a Table Schema — names, types, French titles and
//! descriptions, primary key, and the empty cell as the missing value
//! (a masked figure, or one that has no meaning on its row). Not written
//! under `--min-count 1` (*diffusion restreinte*): see
//! [`super::super::outputs::PUBLICATION`].
//!
//! A CSV added to the folder's list (`outputs.rs`) needs its schema here:
//! without one the report fails to write, and a unit test says so first.

use anyhow::{anyhow, Result};
use serde_json::{json, Value};

use super::super::files::source_date_epoch;
use super::super::outputs::OUTPUTS;
use crate::format;
use crate::indicators::Indicator;
use crate::reference::Category;
use crate::secret::ScopeReport;

/// The CSV the package leaves out.
const FINDINGS: &str = "findings.csv";

/// The type of a column (Table Schema's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Year,
    Count,
    Number,
    Flag,
}

/// One column of a CSV.
struct Column {
    name: &'static str,
    kind: Kind,
    title: &'static str,
    description: String,
    /// Never empty (the primary key's columns but a `null` category).
    required: bool,
    /// The codes a text column may hold.
    codes: Option<Vec<&'static str>>,
}

/// What the package says of one CSV.
struct Table {
    title: &'static str,
    description: String,
    columns: Vec<Column>,
    primary_key: Vec<&'static str>,
}

fn column(name: &'static str, kind: Kind, title: &'static str, description: &str) -> Column {
    Column {
        name,
        kind,
        title,
        description: description.to_string(),
        required: false,
        codes: None,
    }
}

fn required(column: Column) -> Column {
    Column {
        required: true,
        ..column
    }
}

/// The description of a figure that secrecy may mask.
fn masked(description: &str) -> String {
    format!("{description} Vide lorsque la valeur est masquée par le secret statistique (la colonne suppressed vaut alors true).")
}

/// `scope` and `year`, first in every CSV.
fn scope_and_year(what: &str) -> [Column; 2] {
    [
        required(column(
            "scope",
            Kind::Text,
            "Périmètre",
            "« national » (l’ensemble des équipes, chaque personne comptée une seule fois) ou le code de l’équipe (par exemple ERHR-BRE).",
        )),
        required(column(
            "year",
            Kind::Year,
            "Année",
            &format!("Année civile {what}."),
        )),
    ]
}

/// `suppressed`, last in the CSVs that secrecy may mask (SPEC §5).
fn suppressed() -> Column {
    required(column(
        "suppressed",
        Kind::Flag,
        "Masqué",
        "true lorsqu’au moins une valeur de la ligne est masquée par le secret statistique : un effectif de personnes de 1 à K−1 (K étant le seuil de diffusion), ou une valeur qui permettrait de le retrouver ; false sinon.",
    ))
}

/// The Table Schema of each CSV of a report folder, by file name.
fn table(file: &str) -> Option<Table> {
    match file {
        "indicators.csv" => Some(indicators()),
        "delais.csv" => Some(delais()),
        "actions.csv" => Some(actions(
            "type_action",
            "Type d’action",
            Category::TypeAction,
            "Actions collectives par type",
            "type",
        )),
        "actions_public.csv" => Some(actions(
            "public",
            "Public visé",
            Category::Public,
            "Actions collectives par public visé",
            "public visé (une action qui vise plusieurs publics compte pour chacun : les lignes ne s’additionnent pas)",
        )),
        "categories.csv" => Some(categories()),
        "diagnostics.csv" => Some(diagnostics()),
        "diagnostics_frequents.csv" => Some(frequent_diagnoses()),
        "reseau.csv" => Some(network()),
        _ => None,
    }
}

/// (v3) The legal categories of *handicap rare* (SPEC §4.5).
fn categories() -> Table {
    let [scope, year] = scope_and_year("des personnes accompagnées");
    Table {
        title: "Catégories du handicap rare",
        description: "Les personnes accompagnées dans l’année selon les catégories légales du handicap rare (article D. 312-194 du CASF) : une ligne par périmètre et par catégorie.".to_string(),
        columns: vec![
            scope,
            year,
            required(column(
                "categorie",
                Kind::Text,
                "Catégorie",
                "Code de la catégorie légale (cat1_… à cat5_…), ou la ligne des personnes qui ne relèvent d’aucune.",
            )),
            column(
                "personnes",
                Kind::Count,
                "Personnes",
                &masked("Personnes accompagnées relevant de la catégorie."),
            ),
            column(
                "denominateur",
                Kind::Count,
                "Dénominateur",
                &masked("Base de la part : les personnes accompagnées dont les champs qui décident de la catégorie sont renseignés."),
            ),
            column(
                "non_renseignes",
                Kind::Count,
                "Non renseignés",
                &masked("Personnes accompagnées dont ces champs ne sont pas renseignés."),
            ),
            suppressed(),
        ],
        primary_key: vec!["scope", "year", "categorie"],
    }
}

/// (v3) The diagnoses (SPEC §4.6).
fn diagnostics() -> Table {
    let [scope, year] = scope_and_year("des personnes accompagnées");
    Table {
        title: "Diagnostics de maladie rare",
        description: "Les personnes accompagnées dans l’année dont le diagnostic de maladie rare porte un code ORPHA : une ligne par périmètre.".to_string(),
        columns: vec![
            scope,
            year,
            column(
                "personnes_avec_code",
                Kind::Count,
                "Personnes avec un code ORPHA",
                &masked("Personnes dont le diagnostic porte au moins un code ORPHA valide."),
            ),
            column(
                "maladies_distinctes",
                Kind::Count,
                "Maladies rares différentes",
                &masked("Nombre de codes ORPHA différents parmi ces personnes."),
            ),
            column(
                "diagnostiquees_sans_code",
                Kind::Count,
                "Diagnostiquées sans code",
                &masked("Personnes dont la maladie rare est diagnostiquée sans code ORPHA."),
            ),
            suppressed(),
        ],
        primary_key: vec!["scope", "year"],
    }
}

/// (v3) The most frequent diagnoses, nationally (SPEC §4.6): a list that
/// secrecy cuts rather than masks.
fn frequent_diagnoses() -> Table {
    Table {
        title: "Maladies rares les plus fréquentes",
        description: "Les codes ORPHA des personnes accompagnées dans l’année, du plus fréquent au moins fréquent, chacun porté par au moins K personnes (K étant le seuil de diffusion).".to_string(),
        columns: vec![
            required(column("year", Kind::Year, "Année", "Année civile des personnes accompagnées.")),
            required(column("code", Kind::Text, "Code ORPHA", "Code ORPHA de la maladie rare.")),
            column("label", Kind::Text, "Maladie", "Nom de la maladie dans la nomenclature Orphanet, vide sans nomenclature."),
            required(column("personnes", Kind::Count, "Personnes", "Personnes accompagnées dont le diagnostic porte ce code.")),
        ],
        primary_key: vec!["year", "code"],
    }
}

/// (v3) The network of teams (SPEC §4.7).
fn network() -> Table {
    Table {
        title: "Réseau des équipes",
        description: "Les personnes accompagnées dans l’année à la fois par une ERHR et par un CNRHR : une ligne par couple d’équipes.".to_string(),
        columns: vec![
            required(column("year", Kind::Year, "Année", "Année civile de l’accompagnement.")),
            required(column("erhr", Kind::Text, "ERHR", "Code de l’équipe relais handicaps rares.")),
            required(column("cnrhr", Kind::Text, "CNRHR", "Code du centre national de ressources handicaps rares.")),
            column(
                "personnes",
                Kind::Count,
                "Personnes",
                &masked("Personnes accompagnées par les deux équipes dans l’année."),
            ),
            suppressed(),
        ],
        primary_key: vec!["year", "erhr", "cnrhr"],
    }
}

fn indicators() -> Table {
    let ids: Vec<&'static str> = Indicator::ALL.iter().map(|i| i.id()).collect();
    let listed: Vec<String> = Indicator::ALL
        .iter()
        .map(|i| format!("{} ({})", i.id(), format::in_sentence(i.label())))
        .collect();
    let [scope, year] = scope_and_year("des indicateurs");
    Table {
        title: "Indicateurs du bilan d’activité",
        description: "Les indicateurs de l’année, une ligne par périmètre et par indicateur : un effectif de personnes (numerator seul) ou un taux (numerator sur denominator, les personnes dont le champ n’est pas renseigné étant comptées à part).".to_string(),
        columns: vec![
            scope,
            year,
            Column {
                codes: Some(ids),
                ..required(column(
                    "indicator",
                    Kind::Text,
                    "Indicateur",
                    &format!("Identifiant de l’indicateur : {}.", listed.join(", ")),
                ))
            },
            column(
                "numerator",
                Kind::Count,
                "Numérateur",
                &masked("Nombre de personnes : l’effectif, ou pour un taux les personnes qui ont la caractéristique."),
            ),
            column(
                "denominator",
                Kind::Count,
                "Dénominateur",
                &masked("Pour un taux, les personnes dont le champ est renseigné. Vide pour un effectif."),
            ),
            column(
                "not_filled",
                Kind::Count,
                "Non renseignés",
                "Pour un taux, les personnes de la population dont le champ n’est pas renseigné (indicateur de qualité des données). Vide pour un effectif, ou lorsque la population qu’il complète n’est pas publiée.",
            ),
            suppressed(),
        ],
        primary_key: vec!["scope", "year", "indicator"],
    }
}

fn delais() -> Table {
    let days = |name: &'static str, title: &'static str, q: &str| {
        column(
            name,
            Kind::Count,
            title,
            &masked(&format!(
                "{q} des délais, en jours, entre la première demande et la première intervention (la valeur de rang ⌈q × n⌉ parmi les n délais triés). Publié à partir de 2K personnes ayant reçu une réponse."
            )),
        )
    };
    let [scope, year] = scope_and_year("de la première demande");
    Table {
        title: "Délais de première réponse",
        description: "Pour les nouvelles personnes de l’année (première demande datée de l’année), le délai entre cette demande et la première intervention, au plus tard le 31 décembre : une ligne par périmètre.".to_string(),
        columns: vec![
            scope,
            year,
            column(
                "repondues",
                Kind::Count,
                "Personnes ayant reçu une réponse",
                &masked("Nouvelles personnes ayant reçu une première intervention dans l’année."),
            ),
            days("delai_median", "Délai médian (jours)", "Médiane"),
            days("delai_p25", "Premier quartile (jours)", "Premier quartile"),
            days("delai_p75", "Troisième quartile (jours)", "Troisième quartile"),
            days("delai_p90", "Neuvième décile (jours)", "Neuvième décile"),
            column(
                "sous_30_jours",
                Kind::Count,
                "Réponse en 30 jours au plus",
                &masked("Personnes ayant reçu une réponse dont le délai est de 30 jours au plus."),
            ),
            column(
                "sous_90_jours",
                Kind::Count,
                "Réponse en 90 jours au plus",
                &masked("Personnes ayant reçu une réponse dont le délai est de 90 jours au plus."),
            ),
            column(
                "en_attente_31_12",
                Kind::Count,
                "En attente au 31 décembre",
                &masked("Nouvelles personnes sans première intervention au 31 décembre."),
            ),
            suppressed(),
        ],
        primary_key: vec!["scope", "year"],
    }
}

fn actions(
    key: &'static str,
    key_title: &'static str,
    category: Category,
    title: &'static str,
    by: &str,
) -> Table {
    let codes: Vec<&'static str> = category.values().iter().map(|v| v.code).collect();
    let listed: Vec<String> = category
        .values()
        .iter()
        .map(|v| format!("{} ({})", v.code, format::in_sentence(v.display)))
        .collect();
    let [scope, year] = scope_and_year("des actions");
    Table {
        title,
        description: format!(
            "Les actions collectives de l’année (une ligne par séance dans l’export) par {by}. Ce sont des actions et des participants, non des personnes accompagnées : ils ne sont pas masqués. Fichier limité à son en-tête lorsque l’export ne comporte pas d’actions."
        ),
        columns: vec![
            scope,
            year,
            Column {
                codes: Some(codes),
                ..column(
                    key,
                    Kind::Text,
                    key_title,
                    &format!(
                        "{} : {}. Vide : non renseigné ou non reconnu.",
                        key_title,
                        listed.join(", ")
                    ),
                )
            },
            required(column("actions", Kind::Count, "Actions", "Nombre d’actions.")),
            required(column(
                "participants",
                Kind::Count,
                "Participants",
                "Somme des participants (professionnels et autres publics touchés) des actions où ce nombre est renseigné.",
            )),
            required(column(
                "participants_renseignes",
                Kind::Count,
                "Actions dont les participants sont renseignés",
                "Nombre d’actions dont le nombre de participants est renseigné.",
            )),
            required(column(
                "heures",
                Kind::Number,
                "Heures",
                "Somme des durées en heures des actions où elle est renseignée, arrondie au centième.",
            )),
            required(column(
                "heures_renseignees",
                Kind::Count,
                "Actions dont la durée est renseignée",
                "Nombre d’actions dont la durée est renseignée.",
            )),
        ],
        primary_key: vec!["scope", "year", key],
    }
}

/// A column's Table Schema field.
fn field(column: &Column) -> Value {
    let kind = match column.kind {
        Kind::Text => "string",
        Kind::Year => "year",
        Kind::Count => "integer",
        Kind::Number => "number",
        Kind::Flag => "boolean",
    };
    let mut constraints = serde_json::Map::new();
    if column.required {
        constraints.insert("required".into(), json!(true));
    }
    if matches!(column.kind, Kind::Count | Kind::Number) {
        constraints.insert("minimum".into(), json!(0));
    }
    if let Some(codes) = &column.codes {
        constraints.insert("enum".into(), json!(codes));
    }
    let mut field = json!({
        "name": column.name,
        "type": kind,
        "title": column.title,
        "description": format::typography(&column.description),
    });
    if !constraints.is_empty() {
        field["constraints"] = Value::Object(constraints);
    }
    if column.kind == Kind::Flag {
        field["trueValues"] = json!(["true"]);
        field["falseValues"] = json!(["false"]);
    }
    field
}

/// The CSV's resource: where it is, its size, its schema; an
/// error when the header written differs from the schema's columns.
fn resource(file: &str, csv: &str) -> Result<Value> {
    let table = table(file).ok_or_else(|| {
        anyhow!("{file} has no Table Schema: declare it in src/render/publication/datapackage.rs")
    })?;
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let header = csv.lines().next().unwrap_or_default();
    if header != names.join(",") {
        return Err(anyhow!(
            "{file}: its header ({header}) is not its Table Schema's columns ({})",
            names.join(",")
        ));
    }
    let name = file.trim_end_matches(".csv");
    Ok(json!({
        "name": name,
        "path": file,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": format::typography(&table.description),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": csv.len(),
        "schema": {
            "fields": table.columns.iter().map(field).collect::<Vec<_>>(),
            "primaryKey": table.primary_key,
            "missingValues": [""],
        },
    }))
}

/// The package's name: `bilan-2024-national`, `bilan-2024-erhr-bre`.
fn package_name(report: &ScopeReport) -> String {
    let scope: String = report
        .scope()
        .code()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("bilan-{}-{scope}", report.year())
}

/// An ISO 8601 time stamp of `SOURCE_DATE_EPOCH`.
fn created(seconds: i64) -> String {
    let day = format::date_of_epoch(seconds);
    let time = seconds.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day / 10_000,
        day / 100 % 100,
        day % 100,
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// `datapackage.json` of a report folder: each of its CSVs as written by
/// `outputs::OUTPUTS` (their bytes, so the sizes are those of the
/// files beside it), `findings.csv` left out.
pub fn datapackage_json(report: &ScopeReport, _: &tera::Tera) -> Result<String> {
    let mut resources = Vec::new();
    for output in OUTPUTS
        .iter()
        .filter(|o| o.file.ends_with(".csv") && o.file != FINDINGS)
    {
        resources.push(resource(output.file, &(output.write)(report)?)?);
    }
    let secrecy = report.secrecy();
    let year = report.year();
    let scope = report.scope().label(report.teams());
    let description = format!(
        "Les chiffres du bilan d’activité {year} du Dispositif intégré handicaps rares (DIHR), périmètre « {scope} » : indicateurs, délais de première réponse et actions collectives. Secret statistique : les effectifs de personnes de 1 à {} sont masqués (cellule vide, suppressed = true), comme les valeurs qui permettraient de les retrouver. Les définitions sont celles de la partie « Méthodologie » du bilan.",
        secrecy.min_count.saturating_sub(1)
    );
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": package_name(report),
        "title": format!("Bilan d’activité {year} — {scope}"),
        "description": format::typography(&description),
        "keywords": ["handicap rare", "DIHR", "ERHR", "CNRHR", "bilan d’activité", year.to_string()],
        "resources": resources,
    });
    if let Some(seconds) = source_date_epoch() {
        package["created"] = json!(created(seconds));
    }
    Ok(format!("{}\n", serde_json::to_string_pretty(&package)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_of_the_folder_but_the_findings_has_a_schema() {
        for output in OUTPUTS.iter().filter(|o| o.file.ends_with(".csv")) {
            let declared = table(output.file);
            assert_eq!(
                declared.is_some(),
                output.file != FINDINGS,
                "{}: a CSV of the folder needs its Table Schema here",
                output.file
            );
            let Some(table) = declared else { continue };
            for key in &table.primary_key {
                assert!(
                    table.columns.iter().any(|c| c.name == *key),
                    "{}: primary key {key}",
                    output.file
                );
            }
            for column in &table.columns {
                assert!(!column.title.is_empty() && !column.description.is_empty());
            }
        }
    }

    #[test]
    fn fields_carry_types_constraints_and_french_words() {
        let table = indicators();
        let fields: Vec<Value> = table.columns.iter().map(field).collect();
        assert_eq!(fields[1]["type"], "year");
        assert_eq!(
            fields[2]["constraints"]["enum"][0],
            "personnes_accompagnees"
        );
        assert_eq!(fields[3]["type"], "integer");
        assert_eq!(fields[3]["constraints"]["minimum"], 0);
        assert!(fields[3]["description"]
            .as_str()
            .unwrap()
            .contains("secret statistique"));
        assert_eq!(fields[6]["type"], "boolean");
        assert_eq!(fields[6]["trueValues"], json!(["true"]));
        assert!(resource("indicators.csv", "scope,year\n").is_err());
        assert!(resource("autre.csv", "a\n").is_err());
        assert_eq!(created(1_732_320_000), "2024-11-23T00:00:00Z");
        assert_eq!(created(1_732_320_000 + 3_723), "2024-11-23T01:02:03Z");
    }
}
