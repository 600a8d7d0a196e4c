//! The rules of SPEC v3 that describe a person beyond one column, written
//! once: their associated disorders (§4: `troubles_associes` and the TND
//! of `tnd`), the number of codes of a multi-valued cell (`aucun` = 0) and
//! its brackets (0 to 5, 6 and more), the legal categories of *handicap
//! rare* (§4.5, article D312-194 CASF), and how many frequent diagnoses are
//! listed (§4.6). Stage 2 and the engine apply them; the differential
//! test's model does not (it is the independent check).

/// The code of a multi-valued cell meaning "none" (`tnd`,
/// `troubles_associes`, `accompagnements`).
pub const NONE: &str = "aucun";

/// The code of `troubles_associes` that is a TND.
pub const TND_DISORDER: &str = "tnd";

/// A person's associated disorders (SPEC §4 v3): the distinct values of
/// `troubles_associes` other than `aucun`, plus `tnd` when `tnd` holds a
/// TND (once if both say it), in the order of `troubles_associes`' values
/// (`tnd` is first). `aucun` when either field is filled in and they give
/// none; not filled in (`None`) when neither is. Both cells are codes
/// joined by `|`, as stage 2 reads them.
pub fn associated_disorders(troubles_associes: Option<&str>, tnd: Option<&str>) -> Option<String> {
    if troubles_associes.is_none() && tnd.is_none() {
        return None;
    }
    let has_tnd = tnd.is_some_and(|codes| codes.split('|').any(|c| c != NONE));
    let mut disorders: Vec<&str> = Vec::new();
    if has_tnd {
        disorders.push(TND_DISORDER);
    }
    for code in troubles_associes.into_iter().flat_map(|c| c.split('|')) {
        if code != NONE && !disorders.contains(&code) {
            disorders.push(code);
        }
    }
    Some(if disorders.is_empty() {
        NONE.to_string()
    } else {
        disorders.join("|")
    })
}

/// How many distinct codes a cell holds, `aucun` counting for none (SPEC
/// §4: a person's number of associated disorders, of types of
/// accompaniment).
pub fn number_of_codes(codes: &str) -> usize {
    codes.split('|').filter(|c| *c != NONE).count()
}

/// The brackets of the distributions of a number of codes per person
/// (SPEC §4: "0, 1, 2, 3, 4, 5, 6 and more"), as the tables label them.
pub const CODE_COUNT_BRACKETS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "6 et plus"];

/// The bracket of a number of codes.
pub fn code_count_bracket(n: usize) -> &'static str {
    CODE_COUNT_BRACKETS[n.min(CODE_COUNT_BRACKETS.len() - 1)]
}

/// At most this many frequent diagnoses are listed (SPEC §4.6).
pub const FREQUENT_DIAGNOSES: usize = 20;

/// The legal categories of *handicap rare* (article D312-194 CASF, SPEC
/// §4.5), and `non_classable`, in the order of the spec's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LegalCategory {
    Surdicecite,
    VisuelleAssociee,
    AuditiveAssociee,
    Dysphasie,
    AffectionChronique,
    NonClassable,
}

impl LegalCategory {
    pub const ALL: [LegalCategory; 6] = [
        LegalCategory::Surdicecite,
        LegalCategory::VisuelleAssociee,
        LegalCategory::AuditiveAssociee,
        LegalCategory::Dysphasie,
        LegalCategory::AffectionChronique,
        LegalCategory::NonClassable,
    ];

    /// Its code in the machine-readable outputs (SPEC §5 `categories`).
    pub const fn code(self) -> &'static str {
        match self {
            LegalCategory::Surdicecite => "cat1_surdicecite",
            LegalCategory::VisuelleAssociee => "cat2_visuelle_associee",
            LegalCategory::AuditiveAssociee => "cat3_auditive_associee",
            LegalCategory::Dysphasie => "cat4_dysphasie",
            LegalCategory::AffectionChronique => "cat5_affection_chronique",
            LegalCategory::NonClassable => "non_classable",
        }
    }

    /// The article's words (SPEC §4.5), as the report names the category.
    pub const fn label(self) -> &'static str {
        match self {
            LegalCategory::Surdicecite => {
                "1° Déficience auditive grave et déficience visuelle grave"
            }
            LegalCategory::VisuelleAssociee => {
                "2° Déficience visuelle grave et une ou plusieurs autres déficiences graves"
            }
            LegalCategory::AuditiveAssociee => {
                "3° Déficience auditive grave et une ou plusieurs autres déficiences graves"
            }
            LegalCategory::Dysphasie => {
                "4° Dysphasie grave, associée ou non à une autre déficience"
            }
            LegalCategory::AffectionChronique => {
                "5° Une ou plusieurs déficiences graves et une affection chronique, grave ou évolutive (dont l’épilepsie sévère)"
            }
            LegalCategory::NonClassable => "Non classable dans les catégories 1° à 5°",
        }
    }

    /// Whether a person whose `deficiences` are `codes` (joined by `|`,
    /// filled in) is in the category (SPEC §4.5): D is their déficiences,
    /// `surdicecite` standing for both `auditive` and `visuelle`; every
    /// déficience listed is taken as severe; `autre` is another value.
    pub fn holds(self, codes: &str) -> bool {
        let mut set: Vec<&str> = Vec::new();
        for code in codes.split('|').filter(|c| !c.is_empty()) {
            let expanded: &[&str] = if code == "surdicecite" {
                &["auditive", "visuelle"]
            } else {
                std::slice::from_ref(&code)
            };
            for &value in expanded {
                if !set.contains(&value) {
                    set.push(value);
                }
            }
        }
        let has = |value: &str| set.contains(&value);
        let other_than = |excluded: &[&str]| set.iter().any(|v| !excluded.contains(v));
        let chronic = ["affection_chronique", "epilepsie"];
        match self {
            LegalCategory::Surdicecite => has("auditive") && has("visuelle"),
            LegalCategory::VisuelleAssociee => {
                has("visuelle") && !has("auditive") && other_than(&["visuelle"])
            }
            LegalCategory::AuditiveAssociee => {
                has("auditive") && !has("visuelle") && other_than(&["auditive"])
            }
            LegalCategory::Dysphasie => has("langage"),
            LegalCategory::AffectionChronique => {
                chronic.iter().any(|c| has(c)) && other_than(&chronic)
            }
            LegalCategory::NonClassable => {
                !set.is_empty()
                    && LegalCategory::ALL[..5]
                        .iter()
                        .all(|category| !category.holds(codes))
            }
        }
    }
}

/// Serialised as its code of SPEC §4.5 (`cat1_surdicecite`).
impl serde::Serialize for LegalCategory {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(codes: &str) -> Vec<&'static str> {
        LegalCategory::ALL
            .into_iter()
            .filter(|c| c.holds(codes))
            .map(LegalCategory::code)
            .collect()
    }

    #[test]
    fn the_five_categories_of_the_article_and_the_rest() {
        assert_eq!(categories("surdicecite"), ["cat1_surdicecite"]);
        assert_eq!(categories("auditive|visuelle"), ["cat1_surdicecite"]);
        assert_eq!(
            categories("visuelle|surdicecite|motrice"),
            ["cat1_surdicecite"]
        );
        assert_eq!(
            categories("visuelle|intellectuelle"),
            ["cat2_visuelle_associee"]
        );
        assert_eq!(categories("visuelle"), ["non_classable"]);
        assert_eq!(categories("auditive|autre"), ["cat3_auditive_associee"]);
        assert_eq!(categories("langage"), ["cat4_dysphasie"]);
        assert_eq!(
            categories("auditive|langage"),
            ["cat3_auditive_associee", "cat4_dysphasie"]
        );
        // Epilepsy alone is not category 5; with a déficience it is.
        assert_eq!(categories("epilepsie"), ["non_classable"]);
        assert_eq!(
            categories("epilepsie|affection_chronique"),
            ["non_classable"]
        );
        assert_eq!(
            categories("motrice|epilepsie"),
            ["cat5_affection_chronique"]
        );
        assert_eq!(
            categories("langage|affection_chronique"),
            ["cat4_dysphasie", "cat5_affection_chronique"]
        );
        assert_eq!(categories("motrice|intellectuelle"), ["non_classable"]);
        assert!(categories("").is_empty());
    }

    #[test]
    fn associated_disorders_add_the_tnd_of_tnd_once() {
        let of = |ta: Option<&str>, tnd: Option<&str>| associated_disorders(ta, tnd);
        assert_eq!(of(None, None), None);
        assert_eq!(of(Some("aucun"), Some("tsa")).as_deref(), Some("tnd"));
        assert_eq!(of(None, Some("aucun")).as_deref(), Some("aucun"));
        assert_eq!(
            of(Some("tnd|sommeil"), Some("tdah|tsa")).as_deref(),
            Some("tnd|sommeil")
        );
        assert_eq!(
            of(Some("epilepsie|sommeil"), Some("tsa")).as_deref(),
            Some("tnd|epilepsie|sommeil")
        );
        assert_eq!(of(Some("psychique"), None).as_deref(), Some("psychique"));
        assert_eq!(number_of_codes("aucun"), 0);
        assert_eq!(number_of_codes("tnd|epilepsie|sommeil"), 3);
        assert_eq!(code_count_bracket(0), "0");
        assert_eq!(code_count_bracket(6), "6 et plus");
        assert_eq!(code_count_bracket(11), "6 et plus");
    }
}
