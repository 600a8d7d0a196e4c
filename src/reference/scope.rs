//! Scopes (SPEC §4): the national scope, or one team. A team is named in
//! exports and options by its code or its name; its scope is the
//! referential's code, or, for a team outside the referential, the name as
//! written, trimmed and in upper case (SPEC §2.5). This is the one place
//! that rule and the scopes' French labels are written.

use super::Teams;
use crate::normalize::normalize;

/// The national scope's name in outputs.
pub const NATIONAL: &str = "national";

/// The national scope or one team (by its scope code).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    National,
    Team(String),
}

impl Scope {
    /// `national`, or the team's scope code: the folder and the `scope`
    /// field of the machine-readable outputs.
    pub fn code(&self) -> &str {
        match self {
            Scope::National => NATIONAL,
            Scope::Team(code) => code,
        }
    }

    /// The team's scope code; `None` for the national scope.
    pub fn team(&self) -> Option<&str> {
        match self {
            Scope::National => None,
            Scope::Team(code) => Some(code),
        }
    }

    pub fn is_national(&self) -> bool {
        *self == Scope::National
    }

    /// The scope of an output row's `scope` field.
    pub fn from_code(code: &str) -> Self {
        if code == NATIONAL {
            Scope::National
        } else {
            Scope::Team(code.to_string())
        }
    }

    /// The French title of the scope's report.
    pub fn label(&self, teams: &Teams) -> String {
        match self {
            Scope::National => "National — ensemble des ERHR et des CNRHR".to_string(),
            Scope::Team(code) => teams.label(code),
        }
    }

    /// The scope's French name in a table of several scopes: `National`,
    /// or the team's name.
    pub fn name(&self, teams: &Teams) -> String {
        match self {
            Scope::National => "National".to_string(),
            Scope::Team(code) => teams.label(code),
        }
    }
}

/// Serialised as its code: the `scope` field of SPEC §5.
impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// What a team cell or option names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTeam {
    /// The scope code.
    pub code: String,
    /// Whether the referential knows it.
    pub known: bool,
}

impl Teams {
    /// The scope a team code or name stands for (SPEC §2.5).
    pub fn resolve(&self, raw: &str) -> NamedTeam {
        match self.lookup(raw) {
            Some(team) => NamedTeam {
                code: team.code.clone(),
                known: true,
            },
            None => NamedTeam {
                code: raw.trim().to_uppercase(),
                known: false,
            },
        }
    }

    /// The scope an option names: `national`, or a team by code or name.
    pub fn scope_of(&self, raw: &str) -> Scope {
        if normalize(raw) == NATIONAL {
            Scope::National
        } else {
            Scope::Team(self.resolve(raw).code)
        }
    }

    /// A team's French name; a code outside the referential says so.
    pub fn label(&self, code: &str) -> String {
        self.get(code).map_or_else(
            || format!("{code} (hors référentiel)"),
            |team| team.name.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_resolve_by_code_or_name_and_unknown_ones_as_written() {
        let teams = Teams::builtin();
        assert_eq!(
            teams.scope_of("erhr bretagne"),
            Scope::Team("ERHR-BRE".into())
        );
        assert_eq!(teams.scope_of(" National "), Scope::National);
        assert_eq!(
            teams.resolve(" erhr-xx "),
            NamedTeam {
                code: "ERHR-XX".into(),
                known: false
            }
        );
        assert_eq!(teams.label("ERHR-XX"), "ERHR-XX (hors référentiel)");
        assert_eq!(Scope::Team("CNRHR-CRESAM".into()).label(&teams), "CRESAM");
    }
}
