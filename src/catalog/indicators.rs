//! The indicators of SPEC §4, declared once: id, French labels, kind,
//! population and what the numerator counts. The engine turns each
//! declaration into Polars expressions (`indicators/`), secrecy finds the
//! table a rate is drawn from in `tables.rs`, and the report, the workbook
//! and the machine-readable files list them in this order.

use super::attributes::Attribute;
use super::definitions::UNDER_AGE;

/// The indicators, in the order of SPEC §4 (and of `rows`, SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    PersonnesAccompagnees,
    NouvellesPersonnes,
    MaladieRareDiagnostiquee,
    VitADomicile,
    AuMoinsUnTnd,
    Enfants316Scolarises,
    VisiteDomicileOuEtablissement,
    MoinsDe20Ans,
    PersonnesSansSolution,
}

/// A count of persons, or a rate (numerator over denominator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    Rate,
}

/// The persons an indicator is about, in its scope and year (SPEC §4):
/// its not-filled count completes its denominator to this population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Population {
    /// The active persons.
    Active,
    /// The active persons aged 3 to 16 on 31 December.
    Children,
}

/// What an indicator's numerator counts among its population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Every person of the population (`personnes_accompagnees`).
    Everyone,
    /// Persons whose first demande is dated in the year.
    New,
    /// Persons with a home or establishment visit in the year; the
    /// denominator is the whole population, nothing is *not filled in*.
    Visited,
    /// Persons whose attribute holds a [`Positive`] value; the
    /// denominator is the persons whose attribute is filled in.
    Value(Attribute, Positive),
    /// Persons younger than this age; the denominator is the persons
    /// whose age is known.
    AgeUnder(i32),
}

/// The values of an attribute an indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Positive {
    /// These codes (for a multi-valued attribute: a cell holding one).
    Codes(&'static [&'static str]),
    /// Any value but this code (`tnd`: ≥ 1 TND is any value but `aucun`).
    AnyBut(&'static str),
}

impl Positive {
    /// Whether a cell's value (codes joined by `|`) is counted.
    pub fn counts(self, value: &str) -> bool {
        match self {
            Positive::Codes(codes) => value.split('|').any(|v| codes.contains(&v)),
            Positive::AnyBut(code) => value != code,
        }
    }
}

/// What the catalog says of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorSpec {
    /// Its id in the machine-readable outputs (SPEC §4).
    pub id: &'static str,
    /// The French label of the published table.
    pub label: &'static str,
    /// The label in a team's report, where it differs (`… par l’équipe`).
    pub team_label: Option<&'static str>,
    /// A short French label for table headers.
    pub short_label: &'static str,
    pub kind: Kind,
    pub population: Population,
    pub counted: Counted,
    /// Whether the report leads with the count rather than the rate: the
    /// published bilan says "590 personnes sont sans solution".
    pub leads_with_count: bool,
    /// The field whose fill rate the data-quality checks follow, as the
    /// report names it; none for a count or the visits.
    pub field: Option<&'static str>,
}

/// `maladie_rare` codes counted by `maladie_rare_diagnostiquee`.
pub const DIAGNOSED: [&str; 1] = ["diagnostiquee"];
/// `lieu_de_vie` codes that are home (`vit_a_domicile`).
pub const AT_HOME: [&str; 2] = ["domicile_familial", "domicile_personnel"];
/// `scolarisation` codes that are schooled (`enfants_3_16_scolarises`).
pub const SCHOOLED: [&str; 3] = ["temps_plein", "temps_partiel", "oui"];
/// `situation` codes counted by `personnes_sans_solution`.
pub const WITHOUT_SOLUTION: [&str; 1] = ["sans_solution"];
/// The intervention types that are visits.
pub const VISITS: [&str; 2] = ["visite_domicile", "visite_etablissement"];

impl Indicator {
    pub const ALL: [Indicator; 9] = [
        Indicator::PersonnesAccompagnees,
        Indicator::NouvellesPersonnes,
        Indicator::MaladieRareDiagnostiquee,
        Indicator::VitADomicile,
        Indicator::AuMoinsUnTnd,
        Indicator::Enfants316Scolarises,
        Indicator::VisiteDomicileOuEtablissement,
        Indicator::MoinsDe20Ans,
        Indicator::PersonnesSansSolution,
    ];

    pub const fn spec(self) -> IndicatorSpec {
        use Counted::*;
        use Indicator::*;
        const fn count(
            id: &'static str,
            label: &'static str,
            short: &'static str,
            counted: Counted,
        ) -> IndicatorSpec {
            IndicatorSpec {
                id,
                label,
                team_label: None,
                short_label: short,
                kind: Kind::Count,
                population: Population::Active,
                counted,
                leads_with_count: true,
                field: None,
            }
        }
        const fn rate(
            id: &'static str,
            label: &'static str,
            short: &'static str,
            counted: Counted,
            field: Option<&'static str>,
        ) -> IndicatorSpec {
            IndicatorSpec {
                id,
                label,
                team_label: None,
                short_label: short,
                kind: Kind::Rate,
                population: Population::Active,
                counted,
                leads_with_count: false,
                field,
            }
        }
        match self {
            PersonnesAccompagnees => IndicatorSpec {
                team_label: Some("Personnes accompagnées par l’équipe"),
                ..count(
                    "personnes_accompagnees",
                    "Personnes accompagnées par les ERHR et les CNRHR",
                    "Personnes accompagnées",
                    Everyone,
                )
            },
            NouvellesPersonnes => IndicatorSpec {
                team_label: Some("Nouvelles personnes ayant sollicité l’équipe"),
                ..count(
                    "nouvelles_personnes",
                    "Nouvelles personnes ayant sollicité le DIHR",
                    "Nouvelles personnes",
                    New,
                )
            },
            MaladieRareDiagnostiquee => rate(
                "maladie_rare_diagnostiquee",
                "Personnes ayant une maladie rare diagnostiquée",
                "Maladie rare diagnostiquée",
                Value(Attribute::MaladieRare, Positive::Codes(&DIAGNOSED)),
                Some("Maladie rare"),
            ),
            VitADomicile => rate(
                "vit_a_domicile",
                "Personnes vivant à domicile",
                "À domicile",
                Value(Attribute::LieuDeVie, Positive::Codes(&AT_HOME)),
                Some("Lieu de vie"),
            ),
            AuMoinsUnTnd => rate(
                "au_moins_un_tnd",
                "Personnes ayant au moins un trouble du neurodéveloppement (TND)",
                "Au moins un TND",
                Value(Attribute::Tnd, Positive::AnyBut("aucun")),
                Some("TND"),
            ),
            Enfants316Scolarises => IndicatorSpec {
                population: Population::Children,
                ..rate(
                    "enfants_3_16_scolarises",
                    "Enfants de 3 à 16 ans scolarisés",
                    "3–16 ans scolarisés",
                    Value(Attribute::Scolarisation, Positive::Codes(&SCHOOLED)),
                    Some("Scolarisation (3–16 ans)"),
                )
            },
            VisiteDomicileOuEtablissement => rate(
                "visite_domicile_ou_etablissement",
                "Personnes ayant bénéficié d’au moins une visite à domicile ou en établissement",
                "Visite à domicile ou en établissement",
                Visited,
                None,
            ),
            MoinsDe20Ans => rate(
                "moins_de_20_ans",
                "Personnes de moins de 20 ans",
                "Moins de 20 ans",
                AgeUnder(UNDER_AGE),
                Some("Date de naissance"),
            ),
            PersonnesSansSolution => IndicatorSpec {
                leads_with_count: true,
                ..rate(
                    "personnes_sans_solution",
                    "Personnes sans solution d’accompagnement adaptée à leurs besoins",
                    "Sans solution",
                    Value(Attribute::Situation, Positive::Codes(&WITHOUT_SOLUTION)),
                    Some("Situation"),
                )
            },
        }
    }

    pub const fn id(self) -> &'static str {
        self.spec().id
    }

    /// The French label of the published table.
    pub const fn label(self) -> &'static str {
        self.spec().label
    }

    /// The French label in the report of a scope: a team's says "l’équipe"
    /// where the national one says "les ERHR et les CNRHR".
    pub fn label_for(self, national: bool) -> &'static str {
        match self.spec().team_label {
            Some(label) if !national => label,
            _ => self.label(),
        }
    }

    /// A short French label for table headers.
    pub const fn short_label(self) -> &'static str {
        self.spec().short_label
    }

    /// True for a count, false for a rate.
    pub const fn is_count(self) -> bool {
        matches!(self.spec().kind, Kind::Count)
    }

    /// Whether the report leads with the count rather than the rate.
    pub const fn leads_with_count(self) -> bool {
        self.spec().leads_with_count
    }
}

/// Serialised as its id of SPEC §4 (`enfants_3_16_scolarises`).
impl serde::Serialize for Indicator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_rates_have_a_denominator_rule() {
        let mut ids: Vec<&str> = Indicator::ALL.iter().map(|i| i.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Indicator::ALL.len());
        for indicator in Indicator::ALL {
            let spec = indicator.spec();
            match spec.kind {
                Kind::Count => assert!(matches!(spec.counted, Counted::Everyone | Counted::New)),
                Kind::Rate => assert!(!matches!(spec.counted, Counted::Everyone | Counted::New)),
            }
        }
    }

    #[test]
    fn positive_values_are_codes_or_anything_but_one() {
        let tnd = Positive::AnyBut("aucun");
        assert!(tnd.counts("tsa|tdah"));
        assert!(!tnd.counts("aucun"));
        let home = Positive::Codes(&AT_HOME);
        assert!(home.counts("domicile_personnel"));
        assert!(!home.counts("autre"));
    }
}
