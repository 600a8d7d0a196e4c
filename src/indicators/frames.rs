//! The clean tables as Polars data frames, built once per run.

use polars::prelude::*;

use crate::validate::{year_of, CleanExport};

/// `persons`: id, birth (`AAAAMMJJ`), sexe, departement, region,
/// lieu_de_vie, maladie_rare, code_orpha (filled), deficiences, tnd,
/// scolarisation. `acts`: id, team, date, year, month, demande (bool),
/// category (origine or type), duree.
/// `deficiences` and `tnd`: one row per (person, code), for counting each
/// value of a multi-valued field.
#[derive(Debug, Clone)]
pub struct Frames {
    pub persons: DataFrame,
    pub acts: DataFrame,
    pub deficiences: DataFrame,
    pub tnd: DataFrame,
}

/// One row per (person, code) of a `|`-joined multi-valued column.
fn long(ids: &[String], cells: &[Option<String>]) -> PolarsResult<DataFrame> {
    let mut id_column = Vec::new();
    let mut code_column = Vec::new();
    for (id, cell) in ids.iter().zip(cells) {
        for code in cell.iter().flat_map(|c| c.split('|')) {
            id_column.push(id.as_str());
            code_column.push(code);
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("id".into(), id_column),
        Column::new("code".into(), code_column),
    ])
}

impl Frames {
    pub fn new(export: &CleanExport) -> PolarsResult<Self> {
        let p = &export.persons;
        let persons = DataFrame::new_infer_height(vec![
            Column::new("id".into(), &p.id),
            Column::new("birth".into(), &p.birth),
            Column::new("sexe".into(), &p.sexe),
            Column::new("departement".into(), &p.departement),
            Column::new("region".into(), &p.region),
            Column::new("lieu_de_vie".into(), &p.lieu_de_vie),
            Column::new("maladie_rare".into(), &p.maladie_rare),
            Column::new("code_orpha".into(), &p.code_orpha),
            Column::new("deficiences".into(), &p.deficiences),
            Column::new("tnd".into(), &p.tnd),
            Column::new("scolarisation".into(), &p.scolarisation),
        ])?;
        let (d, i) = (&export.demandes, &export.interventions);
        // Borrowed, not cloned: Polars copies the text into its own buffers.
        let ids: Vec<&str> = d
            .id_usager
            .iter()
            .chain(&i.id_usager)
            .map(String::as_str)
            .collect();
        let dates: Vec<i32> = d.date.iter().chain(&i.date).copied().collect();
        let is_demande: Vec<bool> = (0..d.len() + i.len()).map(|k| k < d.len()).collect();
        let categories: Vec<Option<&str>> = d.category.iter().chain(&i.category).copied().collect();
        let teams: Vec<Option<&str>> = d.team.iter().chain(&i.team).map(Option::as_deref).collect();
        let acts = DataFrame::new_infer_height(vec![
            Column::new("id".into(), ids),
            Column::new("team".into(), teams),
            Column::new(
                "year".into(),
                dates.iter().map(|&x| year_of(x)).collect::<Vec<i32>>(),
            ),
            Column::new(
                "month".into(),
                dates.iter().map(|&x| x / 100 % 100).collect::<Vec<i32>>(),
            ),
            Column::new("date".into(), dates),
            Column::new("demande".into(), is_demande),
            Column::new("category".into(), categories),
            Column::new(
                "duree".into(),
                d.duree
                    .iter()
                    .chain(&i.duree)
                    .copied()
                    .collect::<Vec<Option<i32>>>(),
            ),
        ])?;
        let deficiences = long(&p.id, &p.deficiences)?;
        let tnd = long(&p.id, &p.tnd)?;
        Ok(Self {
            persons,
            acts,
            deficiences,
            tnd,
        })
    }
}
