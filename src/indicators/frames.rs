//! The clean tables as Polars data frames, built once per run.

use polars::prelude::*;

use crate::validate::{year_of, CleanExport};

/// `persons`: id, birth (`AAAAMMJJ`), sexe, departement, region,
/// lieu_de_vie, maladie_rare, code_orpha (filled), deficiences, tnd,
/// scolarisation. `acts`: id, team, date, year, month, demande (bool),
/// category (origine or type), duree.
#[derive(Debug, Clone)]
pub struct Frames {
    pub persons: DataFrame,
    pub acts: DataFrame,
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
        let chain =
            |a: &[String], b: &[String]| -> Vec<String> { a.iter().chain(b).cloned().collect() };
        let dates: Vec<i32> = d.date.iter().chain(&i.date).copied().collect();
        let is_demande: Vec<bool> = (0..d.len() + i.len()).map(|k| k < d.len()).collect();
        let categories: Vec<Option<&str>> = d.category.iter().chain(&i.category).copied().collect();
        let teams: Vec<Option<String>> = d.team.iter().chain(&i.team).cloned().collect();
        let acts = DataFrame::new_infer_height(vec![
            Column::new("id".into(), chain(&d.id_usager, &i.id_usager)),
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
        Ok(Self { persons, acts })
    }
}
