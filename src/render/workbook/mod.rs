//! `bilan.xlsx` (SPEC §6 v2): every table of a scope's report in an Excel
//! workbook, so that a communications team can rework the figures without
//! retyping them; and `controle.xlsx`, the analyst's sheets (files,
//! findings), never published (SPEC §6 v3). Input: the report figures
//! (through the report's views, themselves built from a [`ScopeReport`]
//! only) — the same masks as every other report file. Output: the
//! workbooks' bytes.
//!
//! One sheet per section of the report, each built by one small function
//! returning a [`Sheet`]: a title and tables stacked under it, each with
//! its title, French header row, typed rows ([`Cell`]) and note. Adding a
//! section is one such function and one line in [`workbook`]. Numbers are
//! numbers with a display format (`#,##0`, `0 %`, dates); a masked count is
//! the text `< K`. The document properties and every time stamp are fixed,
//! so the same export and options give the same bytes.

mod parts;
mod quality;
mod write;
mod zip_host;

use anyhow::Result;

use super::files::source_date_epoch;
use super::view::{Cell, ChartView, ControlView, ReportView, TableView};
use crate::indicators::{Indicator, IndicatorRow, Mask};
use crate::reference::Scope;
use crate::secret::{ScopeReport, Shown};

pub use zip_host::as_made_on_unix;

/// The workbook's file name in a report folder.
pub const XLSX: &str = "bilan.xlsx";
/// The analyst's workbook in a report folder (not for publication).
pub const CONTROL_XLSX: &str = "controle.xlsx";

/// A sheet of the workbook: its tab name (at most 31 characters, none of
/// `/ \ ? * [ ] :`), the line that says what it holds, and its tables.
pub struct Sheet {
    pub name: &'static str,
    pub title: String,
    pub tables: Vec<Table>,
}

/// A table of a sheet: its title, header row, typed rows and note.
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
    pub note: Option<String>,
}

/// A cell of a text table: `1 270` a count, `12,5` a decimal, any other
/// text (`7 (1)`, `—`) as it is.
fn typed(text: &str) -> Cell {
    let plain: String = text.chars().filter(|&c| c != '\u{202F}').collect();
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = plain.parse::<u64>() {
            return Cell::count(n);
        }
    }
    if let Some((whole, fraction)) = plain.split_once(',') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(fraction) {
            if let Ok(value) = format!("{whole}.{fraction}").parse::<f64>() {
                return Cell::Decimal(Some(value), fraction.len().min(2));
            }
        }
    }
    Cell::Text(text.to_string())
}

impl Table {
    /// A chart's table of figures, then the table shown under it if any.
    pub fn of_chart(chart: &ChartView) -> impl Iterator<Item = Table> + '_ {
        std::iter::once(Table {
            title: chart.title.clone(),
            columns: chart.columns.clone(),
            cells: chart.cells.clone(),
            note: chart.note.clone(),
        })
        .chain(chart.table.as_ref().map(Table::from))
    }
}

impl From<&TableView> for Table {
    /// The table's typed cells; a table built of text alone (the collective
    /// actions) gives each cell that is a French number alone as that
    /// number ([`text_table`]).
    fn from(table: &TableView) -> Self {
        if table.cells.is_empty() {
            return text_table(table);
        }
        Self {
            title: table.title.clone(),
            columns: table.columns.clone(),
            cells: table.cells.clone(),
            note: table.note.clone(),
        }
    }
}

/// The collective actions' tables, whose cells join a sum and the number
/// of actions that fill it in (`9 867 (295)`, the number left out when all
/// do): in the workbook the two are numbers in columns of their own (the
/// number, when left out, is the row's actions, its second column), and
/// the numbers of one column share one format (hours: two decimals).
fn text_table(table: &TableView) -> Table {
    let split = |text: &str| -> Option<(Cell, Cell)> {
        let (sum, rest) = text.rsplit_once(" (")?;
        let filled = typed(rest.strip_suffix(')')?);
        let sum = typed(sum);
        let number = |c: &Cell| matches!(c, Cell::Count(_) | Cell::Decimal(..));
        (number(&sum) && number(&filled)).then_some((sum, filled))
    };
    let width = table.columns.len();
    let joined: Vec<bool> = (0..width)
        .map(|col| {
            col > 0
                && table
                    .rows
                    .iter()
                    .any(|row| row.get(col).and_then(|c| split(c)).is_some())
        })
        .collect();
    let mut columns = Vec::new();
    for (col, name) in table.columns.iter().enumerate() {
        columns.push(name.clone());
        if joined[col] {
            columns.push(format!("{name} : actions renseignées"));
        }
    }
    let mut cells: Vec<Vec<Cell>> = table
        .rows
        .iter()
        .map(|row| {
            let mut cells = Vec::new();
            for (col, text) in row.iter().enumerate() {
                match (col, joined.get(col).copied().unwrap_or(false)) {
                    (0, _) => cells.push(Cell::Text(text.clone())),
                    (_, false) => cells.push(typed(text)),
                    (_, true) => {
                        let (sum, filled) = split(text).unwrap_or_else(|| {
                            (typed(text), row.get(1).map_or(Cell::Empty, |a| typed(a)))
                        });
                        cells.push(sum);
                        cells.push(filled);
                    }
                }
            }
            cells
        })
        .collect();
    // One format a column: its largest number of decimals.
    for col in 0..columns.len() {
        let places = cells
            .iter()
            .filter_map(|row| match row.get(col) {
                Some(Cell::Decimal(_, places)) => Some(*places),
                _ => None,
            })
            .max();
        if let Some(places) = places {
            for cell in cells.iter_mut().filter_map(|row| row.get_mut(col)) {
                match *cell {
                    Cell::Decimal(_, ref mut p) => *p = places,
                    Cell::Count(Shown::Value(n)) => *cell = Cell::Decimal(Some(n as f64), places),
                    _ => {}
                }
            }
        }
    }
    let note = table.note.as_ref().map(|note| {
        note.replace(
            super::view::actions::FILLED_NOTE,
            "Les colonnes « … : actions renseignées » donnent le nombre d’actions pour lesquelles la donnée est renseignée ; les sommes portent sur ces actions seulement.",
        )
    });
    Table {
        title: table.title.clone(),
        columns,
        cells,
        note,
    }
}

impl Sheet {
    /// A section of the report made of charts: the table of each chart's
    /// figures (and the table under it, if any), then `more` tables.
    fn of_charts<'a>(
        name: &'static str,
        title: String,
        charts: impl IntoIterator<Item = &'a ChartView>,
        more: impl IntoIterator<Item = &'a TableView>,
    ) -> Self {
        let mut tables = Vec::new();
        for chart in charts {
            tables.extend(Table::of_chart(chart));
        }
        tables.extend(more.into_iter().map(Table::from));
        Self {
            name,
            title,
            tables,
        }
    }
}

/// The workbook of one scope's report: a first sheet that says what it is,
/// then one sheet per section, in the order of the report.
pub fn workbook(report: &ScopeReport, view: &ReportView) -> Result<Vec<u8>> {
    let year = report.year();
    let scope = &view.scope_label;
    let sections = vec![
        key_figures(report, report.scope()),
        Sheet::of_charts(
            "Évolution",
            format!("Évolution {}–{year} — {scope}", view.evolution.first_year),
            &view.evolution.charts,
            [&view.evolution.summary]
                .into_iter()
                .chain(view.evolution.by_team.as_ref()),
        ),
        Sheet::of_charts(
            "Personnes",
            format!("Personnes accompagnées en {year} — {scope}"),
            &view.persons,
            [],
        ),
        Sheet::of_charts(
            "Profil",
            format!("Profil des personnes accompagnées en {year} — {scope}"),
            &view.profile,
            [],
        ),
        parts::of_parts(
            "Profil (suite)",
            format!("Troubles associés, accompagnements, catégories de handicap rare et diagnostics en {year} — {scope}"),
            &view.profile_more.parts,
        ),
        Sheet::of_charts(
            "Sollicitations",
            format!("Sollicitations et délais de réponse en {year} — {scope}"),
            view.requests.iter().chain([&view.response_times.chart]),
            [&view.response_times.by_scope],
        ),
        Sheet::of_charts(
            "Interventions",
            format!("Interventions réalisées en {year} — {scope}"),
            &view.interventions.charts,
            [&view.interventions.durations, &view.interventions.visits],
        ),
        parts::of_parts(
            "Réseau",
            format!("Réseau des équipes en {year} — {scope}"),
            &view.reseau.parts,
        ),
        Sheet::of_charts(
            "Actions collectives",
            format!("Actions collectives en {year} — {scope}"),
            &view.actions.charts,
            [
                &view.actions.by_type,
                &view.actions.by_public,
                &view.actions.by_team,
            ]
            .into_iter()
            .chain(view.actions.by_year.as_ref()),
        ),
    ];
    let mut sheets = vec![about_sheet(report, view, &sections)];
    sheets.extend(sections);
    let title = format!("{} — {}", view.title, view.scope_label);
    write::write(&title, XLSX, report.secrecy(), &sheets)
}

/// The analyst's workbook of one scope: what the export was and how it was
/// read (files, sizes, SHA-256, tool, options), the data-quality sheet and
/// every finding (SPEC §6: internal, not for publication).
pub fn control_workbook(report: &ScopeReport, control: &ControlView) -> Result<Vec<u8>> {
    let mut facts = vec![
        vec![
            Cell::text("Document"),
            Cell::text("Contrôle avant publication — usage interne, ne pas publier"),
        ],
        vec![Cell::text("Périmètre"), Cell::text(&control.scope_label)],
        vec![Cell::text("Année"), Cell::Plain(control.year.into())],
        vec![Cell::text("Export source"), Cell::text(&control.export)],
        vec![
            Cell::text("Période de l’export"),
            Cell::text(&control.period),
        ],
        vec![Cell::text("Outil"), Cell::text(&control.tool)],
    ];
    facts.extend(
        control
            .options
            .iter()
            .map(|(option, value)| vec![Cell::text(option), Cell::text(value)]),
    );
    let files = Table {
        title: "Fichiers de l’export".to_string(),
        columns: ["Fichier", "Taille", "Encodage", "SHA-256"]
            .map(String::from)
            .to_vec(),
        cells: report
            .files()
            .iter()
            .zip(&control.quality.files)
            .map(|(f, shown)| {
                vec![
                    Cell::text(&f.name),
                    Cell::text(&shown.size),
                    Cell::text(f.encoding),
                    Cell::text(f.sha256.as_deref().unwrap_or_default()),
                ]
            })
            .collect(),
        note: None,
    };
    let sheets = vec![
        Sheet {
            name: "Export",
            title: format!("{} — {}", control.title, control.scope_label),
            tables: vec![
                Table {
                    title: "Ce classeur".to_string(),
                    columns: vec!["Élément".into(), "Valeur".into()],
                    cells: facts,
                    note: Some("Pour l’analyste : ce classeur nomme les fichiers, les lignes et les identifiants de dossier ; il ne se publie pas.".to_string()),
                },
                files,
            ],
        },
        quality::quality(report, control),
        quality::findings(report),
    ];
    let title = format!("{} — {}", control.title, control.scope_label);
    write::write(&title, CONTROL_XLSX, report.secrecy(), &sheets)
}

/// *À propos*: what the workbook is, where its figures come from, and the
/// list of its sheets.
fn about_sheet(report: &ScopeReport, view: &ReportView, sections: &[Sheet]) -> Sheet {
    let secrecy = report.secrecy();
    let mut facts = vec![
        ("Rapport", Cell::text(&view.title)),
        ("Périmètre", Cell::text(&view.scope_label)),
        ("Année", Cell::Plain(report.year().into())),
        (
            "Éditeur",
            Cell::text("Groupement national de coopération handicaps rares (GNCHR)"),
        ),
    ];
    if let Some((first, last)) = report.period() {
        facts.push(("Première date d’activité de l’export", Cell::Date(first)));
        facts.push(("Dernière date d’activité de l’export", Cell::Date(last)));
    }
    facts.push((
        "Secret statistique",
        Cell::Text(if secrecy.enabled() {
            crate::format::typography(&secrecy.legend())
        } else {
            "désactivé : diffusion restreinte".to_string()
        }),
    ));
    if let Some(seconds) = source_date_epoch() {
        facts.push((
            "Édité le",
            Cell::Date(crate::format::date_of_epoch(seconds)),
        ));
    }
    let contents = Table {
        title: "Feuilles".to_string(),
        columns: vec!["Feuille".into(), "Contenu".into()],
        cells: sections
            .iter()
            .map(|s| vec![Cell::text(s.name), Cell::text(&s.title)])
            .collect(),
        note: Some(if secrecy.enabled() {
            format!(
                "Les nombres sont des nombres : ils se recalculent et se reformatent. Un effectif masqué par le secret statistique est un texte (« {} » ou « s ») ; « nd » : non diffusé.",
                report.masked()
            )
        } else {
            "Les nombres sont des nombres : ils se recalculent et se reformatent.".to_string()
        }),
    };
    Sheet {
        name: "À propos",
        title: format!("{} — {}", view.title, view.scope_label),
        tables: vec![
            Table {
                title: "Ce classeur".to_string(),
                columns: vec!["Élément".into(), "Valeur".into()],
                cells: facts
                    .into_iter()
                    .map(|(label, value)| vec![Cell::text(label), value])
                    .collect(),
                note: Some(
                    "Les tableaux du rapport bilan.html, publiés avec le même secret statistique."
                        .to_string(),
                ),
            },
            contents,
            publication_files(report),
        ],
    }
}

/// The folder's publication files (SPEC §6 v3), beside the workbook.
fn publication_files(report: &ScopeReport) -> Table {
    Table {
        title: "Fichiers de publication du dossier".to_string(),
        columns: vec!["Fichier".into(), "Contenu".into()],
        cells: super::outputs::PUBLICATION
            .iter()
            .filter(|f| f.written_for(report))
            .map(|f| {
                vec![
                    Cell::text(f.file),
                    Cell::Text(crate::format::typography(f.about)),
                ]
            })
            .collect(),
        note: Some(
            "Écrits à côté de ce classeur, avec les mêmes chiffres et le même secret statistique."
                .to_string(),
        ),
    }
}

/// *Chiffres clés*: each indicator of Y and Y−1 with its numerator,
/// denominator, not filled and rate, then the response times; a team's
/// sheet has the national figures under its own.
fn key_figures(report: &ScopeReport, scope: &Scope) -> Sheet {
    let year = report.year();
    let mut tables = vec![indicator_table(
        report,
        scope,
        format!("Indicateurs {year} — {}", scope.label(report.teams())),
    )];
    if !scope.is_national() {
        tables.push(indicator_table(
            report,
            &Scope::National,
            format!("Indicateurs {year} — National, pour comparaison"),
        ));
    }
    tables.push(response_times(report, scope));
    Sheet {
        name: "Chiffres clés",
        title: format!("Chiffres clés {year}"),
        tables,
    }
}

/// The response times (SPEC §4.2) of the scope, and of the nation for a
/// team, in Y and Y−1: the délais in days, the persons answered and
/// waiting.
fn response_times(report: &ScopeReport, scope: &Scope) -> Table {
    let year = report.year();
    let mut scopes = vec![(scope.clone(), scope.label(report.teams()))];
    if !scope.is_national() {
        scopes.push((Scope::National, Scope::National.name(report.teams())));
    }
    let mut cells = Vec::new();
    for (code, label) in scopes {
        let years = [
            (
                year,
                report.delai(&code),
                report.row(&code, Indicator::NouvellesPersonnes),
            ),
            (
                year - 1,
                report.previous_delai(&code),
                report.previous_row(&code, Indicator::NouvellesPersonnes),
            ),
        ];
        for (year, delai, new) in years {
            let Some(d) = delai else { continue };
            cells.push(vec![
                Cell::text(&label),
                Cell::Plain(year.into()),
                Cell::Count(new.map_or(Shown::Value(0), |r| Shown::of(r.numerator, r.mask))),
                Cell::Count(Shown::of(d.repondues, d.masks.repondues)),
                Cell::Days(d.delai_median),
                Cell::Days(d.delai_p25),
                Cell::Days(d.delai_p75),
                Cell::Days(d.delai_p90),
                Cell::Count(Shown::of(d.masks.bands[0], d.masks.band_masks[0])),
                Cell::Count(Shown::of(d.masks.bands[1], d.masks.band_masks[1])),
                Cell::Count(Shown::of(d.masks.bands[2], d.masks.band_masks[2])),
                Cell::Count(Shown::of(d.en_attente_31_12, d.masks.en_attente)),
            ]);
        }
    }
    Table {
title: if report.has_previous() {
            format!("Délai de première réponse aux nouvelles personnes, {year} et {}", year - 1)
        } else {
            format!("Délai de première réponse aux nouvelles personnes, {year}")
        },
        columns: [
            "Périmètre",
            "Année",
            "Nouvelles personnes",
            "Ayant reçu une réponse avant le 31/12",
            "Délai médian",
            "Délai 1er quartile",
            "Délai 3e quartile",
            "Délai 9e décile",
            "Réponse en 30 jours ou moins",
            "Réponse en 31 à 90 jours",
            "Réponse après 90 jours",
            "En attente au 31/12",
        ]
        .map(String::from)
        .to_vec(),
        cells,
        note: Some(format!(
            "Délai : jours entre la première demande de l’année et la première intervention datée du même jour ou après, jusqu’au 31 décembre. « — » : {}.",
            match report.secrecy() {
                k if k.enabled() => format!(
                    "aucune personne n’a reçu de réponse, ou délais non publiés (secret statistique : moins de {} personnes ayant reçu une réponse, moins de {} personnes dans l’année, ou un petit effectif voisin à protéger)",
                    2 * k.min_count,
                    k.thin_below()
                ),
                _ => "aucune personne n’a reçu de réponse".to_string(),
            }
        )),
    }
}

fn indicator_table(report: &ScopeReport, scope: &Scope, title: String) -> Table {
    let year = report.year();
    let mut years = vec![year];
    if report.has_previous() {
        years.push(year - 1);
    }
    let columns = std::iter::once("Indicateur".to_string())
        .chain(years.iter().flat_map(|y| {
            ["Numérateur", "Dénominateur", "Non renseignés", "Taux"].map(|c| format!("{c} {y}"))
        }))
        .collect();
    let figures = |row: Option<&IndicatorRow>| -> [Cell; 4] {
        match row {
            None => [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
            Some(r) if r.indicator.is_count() => [
                Cell::Count(Shown::of(r.numerator, r.mask)),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
            // (v3) No column in the export: no figure, every person not
            // filled in.
            Some(r) if super::view::not_exported(r) => [
                Cell::Empty,
                Cell::Empty,
                r.not_filled.map_or(Cell::Empty, Cell::count),
                Cell::Empty,
            ],
            Some(r) => {
                let masked = Shown::Masked(Mask::Protecting);
                let (numerator, denominator) = match (r.numerator, r.denominator) {
                    (Some(n), Some(d)) => (Shown::Value(n), Shown::Value(d)),
                    _ => (Shown::of(None, r.mask), masked),
                };
                // (v3) A mean's value is its mean, to one decimal.
                let value = match r.mean_tenths() {
                    Some(tenths) => Cell::Decimal(Some(tenths as f64 / 10.0), 1),
                    // No one to average over: « — »; masked: « s », as a
                    // masked rate.
                    None if r.indicator.is_mean() && r.denominator == Some(0) => {
                        Cell::Decimal(None, 1)
                    }
                    None if r.indicator.is_mean() => Cell::Count(masked),
                    None => Cell::Share(numerator, denominator),
                };
                [
                    Cell::Count(numerator),
                    Cell::Count(denominator),
                    r.not_filled.map_or(Cell::Count(masked), Cell::count),
                    value,
                ]
            }
        }
    };
    let cells = Indicator::ALL
        .into_iter()
        .map(|indicator| {
            let mut row = vec![Cell::text(indicator.label_for(scope.is_national()))];
            row.extend(figures(report.row(scope, indicator)));
            if report.has_previous() {
                row.extend(figures(report.previous_row(scope, indicator)));
            }
            row
        })
        .collect();
    let masked = report.secrecy().enabled().then(|| {
        format!(
            " Secret statistique : un effectif de 1 à {} est noté « {} », et avec lui le numérateur et le dénominateur d’un taux qui le laisserait retrouver ; ce taux, ou cette moyenne, est alors noté « s ».",
            report.secrecy().min_count - 1,
            report.masked()
        )
    });
    Table {
        title,
        columns,
        cells,
        note: Some(format!(
            "Taux = numérateur / dénominateur (pour les types d’accompagnement : moyenne par personne, à une décimale) ; les personnes dont le champ n’est pas renseigné sont hors du dénominateur.{}",
            masked.unwrap_or_default()
        )),
    }
}

#[cfg(test)]
mod typed_tests {
    use super::*;

    #[test]
    fn a_text_table_gives_its_numbers_as_numbers() {
        assert_eq!(typed("1\u{202F}270"), Cell::count(1270));
        assert_eq!(typed("0"), Cell::count(0));
        assert_eq!(typed("12,75"), Cell::Decimal(Some(12.75), 2));
        assert_eq!(typed("7 (1)"), Cell::text("7 (1)"));
        assert_eq!(typed("—"), Cell::text("—"));
        assert_eq!(typed(""), Cell::text(""));
    }
}
