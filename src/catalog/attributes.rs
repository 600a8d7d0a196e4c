//! The persons' attributes (SPEC §2.2): every column of `usagers.csv` a
//! figure reads, but the id and the birth date (the age depends on the
//! year: `definitions.rs`), declared once. Stage 2 reads each attribute as
//! its [`Reading`] says and keeps it as a column of numbered values; the
//! engine makes each a column of the persons' facts; the tables of the
//! report count them (`tables.rs`) and *Qualité des données* gives their
//! fill rate.

use crate::reference::Category;

/// A person's attribute, in the order of `usagers.csv`'s columns (SPEC
/// §2.2), which is the order of the fill rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    Sexe,
    Departement,
    /// The région of the département (a built-in table, SPEC §2.5): not a
    /// column of the export.
    Region,
    LieuDeVie,
    MaladieRare,
    CodeOrpha,
    Deficiences,
    Tnd,
    Scolarisation,
    Situation,
    /// (v3) The disorders associated with the déficiences, as written.
    TroublesAssocies,
    /// (v3) The types of médico-social and health accompaniment.
    Accompagnements,
    /// (v3) The person's associated disorders (SPEC §4): those of
    /// `troubles_associes` and a TND of `tnd` ([`super::associated_disorders`]);
    /// not a column of the export.
    Troubles,
}

/// How stage 2 reads an attribute from its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// One value of a category (SPEC §2.1 *Categorical*).
    Category(Category),
    /// `|`-separated values of a category, kept in the spec's order, each
    /// once (SPEC §2.1 *Multi-valued*).
    Multi(Category),
    /// A département code, canonical (`1` → `01`).
    Departement,
    /// The région of the person's département.
    RegionOfDepartement,
    /// The cell as written, trimmed: only whether it is filled in counts.
    Written,
    /// (v3) ORPHA codes (SPEC §2.2), each distinct code once, by value,
    /// joined by `|`; a part that is not a code is a finding.
    Orpha,
    /// (v3) The associated disorders of `troubles_associes` and `tnd`
    /// ([`super::associated_disorders`]); never `tnd` alone: not filled in
    /// for everyone when the table has no `troubles_associes` column.
    AssociatedDisorders,
}

/// What the catalog says of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSpec {
    /// Its column in `usagers.csv` (`columns.csv`), and its column in the
    /// persons' facts.
    pub column: &'static str,
    pub reading: Reading,
    /// Whether *Qualité des données* gives its fill rate (a column of the
    /// export, not a derived one).
    pub fill_rate: bool,
}

impl Attribute {
    pub const ALL: [Attribute; 13] = [
        Attribute::Sexe,
        Attribute::Departement,
        Attribute::Region,
        Attribute::LieuDeVie,
        Attribute::MaladieRare,
        Attribute::CodeOrpha,
        Attribute::Deficiences,
        Attribute::Tnd,
        Attribute::Scolarisation,
        Attribute::Situation,
        Attribute::TroublesAssocies,
        Attribute::Accompagnements,
        Attribute::Troubles,
    ];

    /// How many attributes there are: the length of the persons' columns.
    pub const COUNT: usize = Attribute::ALL.len();

    pub const fn spec(self) -> AttributeSpec {
        use Reading::*;
        let (column, reading, fill_rate) = match self {
            Attribute::Sexe => ("sexe", Category(crate::reference::Category::Sexe), true),
            Attribute::Departement => ("departement", Departement, true),
            Attribute::Region => ("region", RegionOfDepartement, false),
            Attribute::LieuDeVie => (
                "lieu_de_vie",
                Category(crate::reference::Category::LieuDeVie),
                true,
            ),
            Attribute::MaladieRare => (
                "maladie_rare",
                Category(crate::reference::Category::MaladieRare),
                true,
            ),
            Attribute::CodeOrpha => ("code_orpha", Orpha, true),
            Attribute::Deficiences => (
                "deficiences",
                Multi(crate::reference::Category::Deficiences),
                true,
            ),
            Attribute::Tnd => ("tnd", Multi(crate::reference::Category::Tnd), true),
            Attribute::Scolarisation => (
                "scolarisation",
                Category(crate::reference::Category::Scolarisation),
                true,
            ),
            Attribute::Situation => (
                "situation",
                Category(crate::reference::Category::Situation),
                true,
            ),
            Attribute::TroublesAssocies => (
                "troubles_associes",
                Multi(crate::reference::Category::TroublesAssocies),
                true,
            ),
            Attribute::Accompagnements => (
                "accompagnements",
                Multi(crate::reference::Category::Accompagnements),
                true,
            ),
            Attribute::Troubles => ("troubles", AssociatedDisorders, false),
        };
        AttributeSpec {
            column,
            reading,
            fill_rate,
        }
    }

    /// The attribute's column name (`lieu_de_vie`).
    pub const fn column(self) -> &'static str {
        self.spec().column
    }

    /// Its position in [`Attribute::ALL`]: its column among the persons'.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The category of its values, when it has one (the associated
    /// disorders are values of `troubles_associes`).
    pub const fn category(self) -> Option<Category> {
        match self.spec().reading {
            Reading::Category(category) | Reading::Multi(category) => Some(category),
            Reading::AssociatedDisorders => Some(Category::TroublesAssocies),
            _ => None,
        }
    }

    /// Whether a cell holds several values joined by `|`.
    pub const fn is_multi(self) -> bool {
        matches!(
            self.spec().reading,
            Reading::Multi(_) | Reading::Orpha | Reading::AssociatedDisorders
        )
    }

    /// Whether the attribute is a column of `usagers.csv` (not derived
    /// from others).
    pub const fn is_column(self) -> bool {
        self.spec().fill_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{column_specs, FileKind};

    #[test]
    fn attributes_are_in_their_enum_order_and_columns_of_usagers() {
        for (k, attribute) in Attribute::ALL.into_iter().enumerate() {
            assert_eq!(attribute.index(), k);
        }
        let usagers: Vec<&str> = column_specs()
            .into_iter()
            .filter(|c| c.file == FileKind::Usagers)
            .map(|c| c.name)
            .collect();
        let with_columns: Vec<&str> = Attribute::ALL
            .into_iter()
            .filter(|a| a.spec().fill_rate)
            .map(Attribute::column)
            .collect();
        // The export's columns but the id and the birth date, in its order.
        assert_eq!(with_columns, usagers[2..]);
    }
}
