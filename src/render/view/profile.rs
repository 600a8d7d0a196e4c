//! *Profil* (`profil.html`): maladie rare, déficiences and their most
//! frequent combinations, TND, lieu de vie (and at home or elsewhere),
//! situation, scolarisation of the 3–16 year olds. Every share is over the
//! persons whose field is filled in — the base of the indicator it goes
//! with (SPEC §6, one figure, one number) — the *non renseigné* a count
//! beside it.

use anyhow::Result;

use super::parts::{
    category_rows, shown, Cell, Chart, ChartView, Distribution, Orientation, TableView, NOT_FILLED,
};
use crate::catalog::{Indicator, TableId};
use crate::indicators::{Count, IndicatorRow, Mask};
use crate::reference::Category;
use crate::secret::{ScopeReport, Shown};

/// The rows of a table of codes (a person counts once per code), the
/// persons not filled in apart, and the base of the shares: the persons
/// whose field is filled in.
fn code_rows(report: &ScopeReport, category: Category, table: TableId) -> Distribution {
    let table = report.tables().get(table);
    let (rows, _, _) = category_rows(category, &table.cells);
    let active = report
        .own_row(Indicator::PersonnesAccompagnees)
        .and_then(|r| r.numerator);
    // No not-filled count: the scope has too few persons for the table.
    let (not_filled, base) = match (table.not_filled, active) {
        (None, _) => (Shown::Masked(Mask::Withheld), Shown::Masked(Mask::Withheld)),
        (Some(n), Some(active)) => (Shown::Value(n), Shown::Value(active - n.min(active))),
        (Some(n), None) => (Shown::Value(n), Shown::Masked(Mask::Protecting)),
    };
    (rows, vec![(NOT_FILLED.to_string(), not_filled)], base)
}

pub fn profile(report: &ScopeReport) -> Result<Vec<ChartView>> {
    let b = report.tables();
    let cells = |id: TableId| b.get(id).cells.as_slice();
    let secrecy = report.secrecy();
    let (deficiences, deficiences_aside, deficiences_base) =
        code_rows(report, Category::Deficiences, TableId::Deficiences);
    let (tnd, tnd_aside, tnd_base) = code_rows(report, Category::Tnd, TableId::Tnd);
    let combinations = TableView::new(
        "Combinaisons de déficiences les plus fréquentes",
        vec!["Combinaison".into(), "Personnes".into(), "Part".into()],
        cells(TableId::DeficienceCombinations)
            .iter()
            .map(|c: &Count| {
                let names: Vec<&str> = c
                    .value
                    .as_deref()
                    .unwrap_or("")
                    .split('|')
                    .map(|code| Category::Deficiences.display(code))
                    .collect();
                vec![
                    Cell::text(names.join(" + ")),
                    Cell::Count(shown(c)),
                    Cell::Share(shown(c), deficiences_base),
                ]
            })
            .collect(),
        Some(format!(
            "Parts calculées sur les personnes dont les déficiences sont renseignées. Seules figurent les combinaisons d’au moins {} personnes.",
            secrecy.min_count.max(1)
        )),
        secrecy,
    );
    let children = Shown::of(
        b.get(TableId::Scolarisation316).total,
        b.get(TableId::Scolarisation316).total_mask,
    );
    let children_note = match children {
        Shown::Value(n) => format!(
            "{} enfants de 3 à 16 ans accompagnés ; parts calculées sur ceux dont la scolarisation est renseignée.",
            crate::format::int(n)
        ),
        Shown::Masked(_) => "Nombre d’enfants de 3 à 16 ans accompagnés masqué (secret statistique) ; parts calculées sur ceux dont la scolarisation est renseignée.".to_string(),
    };
    // `several`: a person may count in several bars (SPEC §2.1
    // *Multi-valued*).
    let chart = |several: bool,
                 id: &'static str,
                 title: &'static str,
                 header: &'static str,
                 (rows, aside, base): Distribution,
                 note: Option<String>| {
        Chart {
            id,
            title,
            header,
            rows,
            aside,
            base: Some(base),
            orientation: Orientation::Horizontal,
            several,
            note,
        }
        .view(secrecy)
    };
    let filled_note =
        Some("Parts calculées sur les personnes dont le champ est renseigné.".to_string());
    // A table of one value per person: its shares are over the base of
    // the indicator it goes with, published with it (SPEC §6, one figure,
    // one number), even where a masked cell hides the sum of the table.
    let rows = |category: Category, id: TableId, indicator: Indicator| {
        let (rows, aside, base) = category_rows(category, cells(id));
        let published = report
            .own_row(indicator)
            .filter(|r| !r.suppressed)
            .and_then(|r| r.denominator);
        (rows, aside, published.map_or(base, Shown::Value))
    };
    let mut charts = vec![
        chart(
            false,
            "profil-maladie-rare",
            "Statut de maladie rare",
            "Statut",
            rows(
                Category::MaladieRare,
                TableId::MaladieRare,
                Indicator::MaladieRareDiagnostiquee,
            ),
            filled_note.clone(),
        )?,
        chart(
            true,
            "profil-deficiences",
            "Déficiences (une personne peut en avoir plusieurs)",
            "Déficience",
            (deficiences, deficiences_aside, deficiences_base),
            Some("Parts calculées sur les personnes dont les déficiences sont renseignées ; une personne compte pour chacune de ses déficiences.".to_string()),
        )?,
        chart(
            true,
            "profil-tnd",
            "Troubles du neurodéveloppement (une personne peut en avoir plusieurs)",
            "TND",
            (tnd, tnd_aside, tnd_base),
            Some("Parts calculées sur les personnes dont les TND sont renseignés ; une personne compte pour chacun de ses troubles.".to_string()),
        )?,
        chart(
            false,
            "profil-lieu-de-vie",
            "Lieu de vie",
            "Lieu de vie",
            rows(Category::LieuDeVie, TableId::LieuDeVie, Indicator::VitADomicile),
            filled_note.clone(),
        )?,
        chart(
            false,
            "profil-situation",
            "Situation : réponse apportée aux besoins de la personne",
            "Situation",
            rows(
                Category::Situation,
                TableId::Situation,
                Indicator::PersonnesSansSolution,
            ),
            Some("Une personne « sans solution » n’a pas d’accompagnement qui réponde à ses besoins, quel que soit son lieu de vie. Parts calculées sur les personnes dont la situation est renseignée.".to_string()),
        )?,
        chart(
            false,
            "profil-scolarisation",
            "Scolarisation des enfants de 3 à 16 ans",
            "Scolarisation",
            rows(
                Category::Scolarisation,
                TableId::Scolarisation316,
                Indicator::Enfants316Scolarises,
            ),
            Some(children_note),
        )?,
    ];
    charts[1].table = Some(combinations);
    charts[3].table = Some(home_or_elsewhere(report));
    Ok(charts)
}

/// The place of residence in two: at home, anywhere else (SPEC §6), over
/// the persons whose place of residence is filled in: the key figure's
/// rate and its complement, which add up to 100 %.
fn home_or_elsewhere(report: &ScopeReport) -> TableView {
    let row = report.own_row(Indicator::VitADomicile);
    let (home, filled) = match row {
        Some(r) if !r.suppressed => (Shown::of(r.numerator, None), Shown::of(r.denominator, None)),
        _ => (
            Shown::Masked(row.and_then(|r| r.mask).unwrap_or(Mask::Protecting)),
            Shown::Masked(row.map_or(Mask::Protecting, IndicatorRow::parts_mask)),
        ),
    };
    let elsewhere = match (home, filled) {
        (Shown::Value(home), Shown::Value(filled)) => Shown::Value(filled - home),
        (_, Shown::Masked(Mask::Withheld)) => Shown::Masked(Mask::Withheld),
        _ => Shown::Masked(Mask::Protecting),
    };
    TableView::new(
        "À domicile ou ailleurs",
        vec!["Lieu de vie".into(), "Personnes".into(), "Part".into()],
        vec![
            vec![
                Cell::text("À domicile (familial ou personnel)"),
                Cell::Count(home),
                Cell::Share(home, filled),
            ],
            vec![
                Cell::text("Ailleurs (établissement, hébergement, famille d’accueil, autre)"),
                Cell::Count(elsewhere),
                Cell::Share(elsewhere, filled),
            ],
        ],
        Some("Parts calculées sur les personnes dont le lieu de vie est renseigné : la part à domicile est l’indicateur des chiffres clés.".to_string()),
        report.secrecy(),
    )
}
