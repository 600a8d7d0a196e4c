//! The published tables of a report (SPEC §6, sections 5–8), declared
//! once: what each counts, along which dimension, what its cells add up
//! to, the rate it carries, its title. The engine computes each by its
//! [`Dimension`] (`indicators/tables.rs`), secrecy protects each by its
//! [`Protection`] (`secret/tables.rs`), the report draws each as a chart
//! with the table of its figures, and `breakdowns.json` writes each under
//! its [`TableSpec::key`].

use super::attributes::Attribute;
use super::indicators::Indicator;

/// The report's tables, in the order of `breakdowns.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    PersonsByTeam,
    PersonsByRegion,
    PersonsByAge,
    PersonsBySex,
    MaladieRare,
    Deficiences,
    DeficienceCombinations,
    Tnd,
    LieuDeVie,
    Situation,
    Scolarisation316,
    RequestsByMonth,
    RequestsByOrigin,
    RequestsByTeam,
    InterventionsByType,
    InterventionsByTeam,
    /// (v3) Persons by their number of associated disorders.
    NumberOfDisorders,
    /// (v3) Persons by associated disorder.
    Disorders,
    /// (v3) Persons by their number of types of accompaniment.
    NumberOfAccompaniments,
    /// (v3) Persons by type of accompaniment.
    Accompaniments,
}

/// What a table counts, in its scope and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counting {
    /// The active persons.
    Persons,
    /// The active persons aged 3 to 16 on 31 December.
    Children,
    /// (team, person) pairs: nationally, the persons each team followed;
    /// for a team, its persons that another team also followed, by that
    /// other team (co-accompaniment).
    TeamPersons,
    /// The demandes dated in the year.
    Demandes,
    /// The interventions dated in the year.
    Interventions,
}

/// Along what a table's cells are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// One cell per value of the attribute, *not filled in* a cell of its
    /// own.
    Value(Attribute),
    /// One cell per combination of values of a multi-valued attribute;
    /// *not filled in* is a figure beside it.
    Combination(Attribute),
    /// One cell per code of a multi-valued attribute: a person counts once
    /// for each of their codes; *not filled in* is a figure beside it.
    EachCode(Attribute),
    /// The age brackets on 31 December ([`super::AGE_BRACKETS`]), unknown
    /// age a cell of its own.
    AgeBracket,
    /// The team (of the act, or of the other team of a pair).
    Team,
    /// The month of the act, 1 to 12, every month listed.
    Month,
    /// The act's category: `origine` of a demande, `type_intervention` of
    /// an intervention (with the durations of the interventions).
    ActCategory,
    /// (v3) The number of codes of a multi-valued attribute, `aucun`
    /// counting for none, in the brackets 0 to 5 and 6 and more
    /// ([`super::CODE_COUNT_BRACKETS`]); *not filled in* a cell of its own.
    CodeCount(Attribute),
}

/// How many cells a table keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// The largest ones only (the most frequent combinations).
    Largest(usize),
}

/// How statistical secrecy protects a table (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Its cells add up to nothing published: each small cell is masked.
    Cells,
    /// Its cells add up to its published total (the not-filled cell
    /// always shown).
    Line,
    /// It holds a rate's numerator (the rate's counted values), complement
    /// and denominator (the filled cells), protected together: a masked
    /// cell masks the rate.
    Rate(Indicator),
    /// The codes of a multi-valued attribute holding a rate "any value but
    /// one": the rate's numerator (persons with another code), that one
    /// code's cell (alone in a cell) and the not-filled count add up to
    /// the persons.
    CodesRate(Indicator),
    /// (v3) The distribution of a number of codes over an indicator's
    /// denominator: its cells add up to the denominator, the not-filled
    /// cell completes them to the persons. For a rate the cells above 0
    /// are its numerator and the 0 its complement (protected as
    /// [`Protection::Rate`]); a mean is masked when any cell is.
    Distribution(Indicator),
    /// (v3) Each code's persons, a share of the indicator's base (the
    /// persons with ≥ 1 for a rate, its denominator for a mean): each
    /// small cell, or one whose complement in the base is small, is
    /// masked, and every cell when the indicator's distribution masks one
    /// (their sum gives the distribution's weighted total back).
    Shares(Indicator),
}

/// What the catalog says of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    /// Its key in `breakdowns.json`.
    pub key: &'static str,
    pub counting: Counting,
    pub dimension: Dimension,
    pub keep: Keep,
    pub protection: Protection,
    /// `breakdowns.json` writes the table's total under this key, before
    /// the table (`requests`) or after it (`children`).
    pub total_key: Option<(&'static str, Placement)>,
    /// `breakdowns.json` writes the persons whose attribute is not filled
    /// in under this key, after the table.
    pub not_filled_key: Option<&'static str>,
}

/// Where `breakdowns.json` places a figure beside its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Before,
    After,
}

impl TableId {
    pub const ALL: [TableId; 20] = [
        TableId::PersonsByTeam,
        TableId::PersonsByRegion,
        TableId::PersonsByAge,
        TableId::PersonsBySex,
        TableId::MaladieRare,
        TableId::Deficiences,
        TableId::DeficienceCombinations,
        TableId::Tnd,
        TableId::LieuDeVie,
        TableId::Situation,
        TableId::Scolarisation316,
        TableId::RequestsByMonth,
        TableId::RequestsByOrigin,
        TableId::RequestsByTeam,
        TableId::InterventionsByType,
        TableId::InterventionsByTeam,
        TableId::NumberOfDisorders,
        TableId::Disorders,
        TableId::NumberOfAccompaniments,
        TableId::Accompaniments,
    ];

    pub const fn spec(self) -> TableSpec {
        use Counting::*;
        use Dimension::*;
        use Protection::*;
        const fn table(
            key: &'static str,
            counting: Counting,
            dimension: Dimension,
            protection: Protection,
        ) -> TableSpec {
            TableSpec {
                key,
                counting,
                dimension,
                keep: Keep::All,
                protection,
                total_key: None,
                not_filled_key: None,
            }
        }
        match self {
            TableId::PersonsByTeam => table("persons_by_team", TeamPersons, Team, Cells),
            TableId::PersonsByRegion => {
                table("persons_by_region", Persons, Value(Attribute::Region), Line)
            }
            TableId::PersonsByAge => table(
                "persons_by_age",
                Persons,
                AgeBracket,
                Rate(Indicator::MoinsDe20Ans),
            ),
            TableId::PersonsBySex => table("persons_by_sex", Persons, Value(Attribute::Sexe), Line),
            TableId::MaladieRare => table(
                "maladie_rare",
                Persons,
                Value(Attribute::MaladieRare),
                Rate(Indicator::MaladieRareDiagnostiquee),
            ),
            TableId::Deficiences => table(
                "deficiences",
                Persons,
                EachCode(Attribute::Deficiences),
                Cells,
            ),
            TableId::DeficienceCombinations => TableSpec {
                keep: Keep::Largest(10),
                not_filled_key: Some("deficiences_not_filled"),
                ..table(
                    "deficience_combinations",
                    Persons,
                    Combination(Attribute::Deficiences),
                    Cells,
                )
            },
            TableId::Tnd => TableSpec {
                not_filled_key: Some("tnd_not_filled"),
                ..table(
                    "tnd",
                    Persons,
                    EachCode(Attribute::Tnd),
                    CodesRate(Indicator::AuMoinsUnTnd),
                )
            },
            TableId::LieuDeVie => table(
                "lieu_de_vie",
                Persons,
                Value(Attribute::LieuDeVie),
                Rate(Indicator::VitADomicile),
            ),
            TableId::Situation => table(
                "situation",
                Persons,
                Value(Attribute::Situation),
                Rate(Indicator::PersonnesSansSolution),
            ),
            TableId::Scolarisation316 => TableSpec {
                total_key: Some(("children", Placement::After)),
                ..table(
                    "scolarisation_3_16",
                    Children,
                    Value(Attribute::Scolarisation),
                    Rate(Indicator::Enfants316Scolarises),
                )
            },
            TableId::RequestsByMonth => TableSpec {
                total_key: Some(("requests", Placement::Before)),
                ..table("requests_by_month", Demandes, Month, Line)
            },
            TableId::RequestsByOrigin => table("requests_by_origin", Demandes, ActCategory, Line),
            TableId::RequestsByTeam => table("requests_by_team", Demandes, Team, Line),
            TableId::InterventionsByType => TableSpec {
                total_key: Some(("interventions", Placement::Before)),
                ..table("interventions_by_type", Interventions, ActCategory, Line)
            },
            TableId::InterventionsByTeam => {
                table("interventions_by_team", Interventions, Team, Line)
            }
            TableId::NumberOfDisorders => table(
                "troubles_associes_par_personne",
                Persons,
                CodeCount(Attribute::Troubles),
                Distribution(Indicator::AuMoinsUnTroubleAssocie),
            ),
            TableId::Disorders => TableSpec {
                not_filled_key: Some("troubles_associes_not_filled"),
                ..table(
                    "troubles_associes",
                    Persons,
                    EachCode(Attribute::Troubles),
                    Shares(Indicator::AuMoinsUnTroubleAssocie),
                )
            },
            TableId::NumberOfAccompaniments => table(
                "accompagnements_par_personne",
                Persons,
                CodeCount(Attribute::Accompagnements),
                Distribution(Indicator::TypesAccompagnementParPersonne),
            ),
            TableId::Accompaniments => TableSpec {
                not_filled_key: Some("accompagnements_not_filled"),
                ..table(
                    "accompagnements",
                    Persons,
                    EachCode(Attribute::Accompagnements),
                    Shares(Indicator::TypesAccompagnementParPersonne),
                )
            },
        }
    }

    /// Its key in `breakdowns.json`.
    pub const fn key(self) -> &'static str {
        self.spec().key
    }
}

impl Indicator {
    /// The table a rate is drawn from, whose masks it shares (SPEC §8: a
    /// rate is masked when its table shows a mask on it).
    pub fn table(self) -> Option<TableId> {
        TableId::ALL.into_iter().find(|table| {
            matches!(table.spec().protection,
                Protection::Rate(rate) | Protection::CodesRate(rate)
                    | Protection::Distribution(rate) if rate == self)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;

    #[test]
    fn keys_are_unique_and_each_rate_shown_by_a_table_is_linked_to_it_once() {
        let mut keys: Vec<&str> = TableId::ALL.iter().map(|t| t.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TableId::ALL.len());
        for indicator in Indicator::ALL {
            let linked = TableId::ALL
                .iter()
                .filter(|t| {
                    matches!(t.spec().protection,
                    Protection::Rate(r) | Protection::CodesRate(r)
                        | Protection::Distribution(r) if r == indicator)
                })
                .count();
            assert!(linked <= 1, "{indicator:?}");
            if indicator.spec().kind == Kind::Count {
                assert_eq!(linked, 0);
            }
        }
        assert_eq!(Indicator::VitADomicile.table(), Some(TableId::LieuDeVie));
        assert_eq!(Indicator::VisiteDomicileOuEtablissement.table(), None);
    }
}
