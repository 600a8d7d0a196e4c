//! Which findings a team's report shows (SPEC §6 *Qualité des données*): a
//! team sees the findings on its own demandes and interventions, those on
//! the persons it followed, and those about the whole export.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{CleanExport, Finding};
use crate::reference::Scope;

/// The teams that followed each person named by a finding that has no team
/// of its own (a row of `usagers.csv`), by the person's id. Read from the
/// acts before the frames take them over; only the persons a finding names
/// are kept (peak memory).
#[derive(Debug, Default, Clone)]
pub struct PersonTeams(HashMap<String, BTreeSet<String>>);

impl PersonTeams {
    pub fn new(clean: &CleanExport) -> Self {
        let named: HashSet<u32> = clean
            .findings
            .iter()
            .filter(|f| f.team.is_none())
            .filter_map(|f| clean.person_ids.find(f.id.as_deref()?))
            .collect();
        let mut teams: HashMap<String, BTreeSet<String>> = HashMap::new();
        if named.is_empty() {
            return Self(teams);
        }
        for acts in [&clean.demandes, &clean.interventions] {
            for (person, team) in acts.person.iter().zip(&acts.team) {
                if let (true, Some(team)) = (named.contains(person), team) {
                    teams
                        .entry(clean.person_id(*person).to_string())
                        .or_default()
                        .insert(clean.scope(*team).to_string());
                }
            }
        }
        Self(teams)
    }

    /// The findings a scope's report shows: the national report all of
    /// them; a team those of its own rows, those of the persons it
    /// followed, and those about the whole export (no line, or the header).
    pub fn findings_for(&self, findings: &[Finding], scope: &Scope) -> Vec<Finding> {
        let Some(team) = scope.team() else {
            return findings.to_vec();
        };
        findings
            .iter()
            .filter(|f| match (&f.team, f.line) {
                (Some(t), _) => t == team,
                (None, None) | (None, Some(1)) => true,
                (None, Some(_)) => {
                    f.id.as_ref()
                        .and_then(|id| self.0.get(id))
                        .is_some_and(|teams| teams.contains(team))
                }
            })
            .cloned()
            .collect()
    }
}
