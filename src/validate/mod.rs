//! Stage 2 — the rows of each file → typed clean tables + findings (SPEC
//! §2.2–2.4, §2.6, §3).
//!
//! Each row of each file is checked once, in file order: a row breaking an
//! excluding rule becomes a finding and is left out; the others become a
//! typed row whose unreadable cells are *not filled in* (with a finding).
//! The counts of rows read, kept and excluded per file always add up.
//! Person ids and team scopes are numbered once ([`Interner`]); the tables
//! hold the numbers.
//!
//! One file a job: `rows.rs` (checks every file shares), `usagers.rs`,
//! `acts.rs` and `actions.rs` (one checker per kind of file), `cells.rs`
//! (reading a cell), `numbers.rs` (participants and hours),
//! `year.rs` (findings that depend on the year), `scope.rs` (which findings
//! a team's report shows), `tables.rs` (the output).

mod actions;
mod acts;
mod cells;
mod dates;
mod findings;
mod ids;
mod numbers;
mod rows;
mod scope;
mod tables;
mod usagers;
mod year;

use anyhow::Result;

pub use dates::{days_in_month, format_date, parse_date};
pub use findings::{
    is_blank, mixed_encoding, not_data_findings, preamble, Finding, FindingSink, Rule,
};
pub use ids::Interner;
pub use numbers::{
    parse_hours, parse_whole, round_to_hundredths, Hours, HoursError, FRACTION_UNIT,
};
pub use scope::PersonTeams;
pub use tables::{Actions, Acts, CleanExport, FileSummary, Persons, Repeated};

use actions::check_actions;
use acts::{check_acts, Numbering};
use usagers::check_usagers;

use crate::ingest::Export;
use crate::reference::{FileKind, Teams};

/// Checks every row of an export. Fails only when a file cannot be read.
pub fn check(export: &Export, teams: &Teams) -> Result<CleanExport> {
    let mut sink = FindingSink::default();
    let mut files = Vec::new();
    for file in &export.files {
        mixed_encoding(file).for_each(|finding| sink.push(finding));
        preamble(file).for_each(|finding| sink.push(finding));
        for duplicate in &file.columns.duplicates {
            sink.push(
                Finding::new(
                    Rule::ColonneEnDouble,
                    &file.name,
                    Some(file.header_line),
                    format!(
                        "Les colonnes « {} » et « {} » désignent toutes deux {} : seule « {} » est lue. Supprimez ou renommez l'autre.",
                        duplicate.kept_header, duplicate.header, duplicate.column, duplicate.kept_header
                    ),
                )
                .column(duplicate.column)
                .value(&duplicate.header),
            );
        }
    }
    // `actions.csv` names no person: it is checked on a thread of its own
    // while the other files are, with its own findings and team numbers,
    // which are added after theirs as if it had been checked last.
    let (acts_checked, actions_checked) = std::thread::scope(|scope| {
        let files = export.table(FileKind::Actions);
        let actions = (!files.is_empty()).then(|| {
            scope.spawn(move || {
                let mut sink = FindingSink::default();
                let mut scopes = Interner::default();
                check_actions(&files, teams, &mut scopes, &mut sink)
                    .map(|(table, summaries)| (table, summaries, scopes, sink))
            })
        });
        let acts = check_people(export, teams, &mut sink);
        let actions = actions.map(|handle| {
            handle.join().unwrap_or_else(|_| {
                anyhow::bail!("actions: the checking thread stopped unexpectedly")
            })
        });
        (acts, actions.transpose())
    });
    let (persons, demandes, interventions, person_ids, mut scopes, summaries) = acts_checked?;
    files.extend(summaries);
    let actions = match actions_checked? {
        Some((mut table, summaries, local, actions_sink)) => {
            let numbers: Vec<u32> = local
                .iter()
                .map(|name| scopes.insert(name).unwrap_or_else(|k| k))
                .collect();
            for team in table.team.iter_mut().flatten() {
                *team = numbers[*team as usize];
            }
            sink.append(actions_sink);
            files.extend(summaries);
            Some(table)
        }
        None => None,
    };
    let mut findings = sink.into_vec();
    suggest_teams(&mut findings, teams);
    Ok(CleanExport {
        persons,
        demandes,
        interventions,
        actions,
        person_ids,
        scopes,
        files,
        findings,
    })
}

/// Names, in each finding of a team code outside the referential, the
/// closest code of the referential when there is one (`ERHR-BRET` →
/// `ERHR-BRE`, SPEC §6): most often a typo.
fn suggest_teams(findings: &mut [Finding], teams: &Teams) {
    for finding in findings
        .iter_mut()
        .filter(|f| f.rule == Rule::EquipeInconnue)
    {
        let Some(written) = finding.value.as_deref() else {
            continue;
        };
        if let Some(team) = teams.closest(written) {
            finding.message.push_str(&format!(
                " Vouliez-vous écrire {} ({}) ?",
                team.code, team.name
            ));
        }
    }
}

/// The persons and their acts, as [`check`] returns them.
type People = (Persons, Acts, Acts, Interner, Interner, Vec<FileSummary>);

/// Checks `usagers`, `demandes` and `interventions`, in that order: the
/// persons, the acts with person ids and team scopes numbered across both
/// files, and the three files' summaries.
fn check_people(export: &Export, teams: &Teams, sink: &mut FindingSink) -> Result<People> {
    let usagers = export.table(FileKind::Usagers);
    let (persons, mut person_ids, mut files) = check_usagers(&usagers, sink)?;
    let mut scopes = Interner::default();
    let mut acts = Vec::new();
    for kind in [FileKind::Demandes, FileKind::Interventions] {
        let mut registry = Numbering {
            teams,
            persons: persons.len(),
            person_ids: &mut person_ids,
            scopes: &mut scopes,
        };
        let (table, summaries) = check_acts(&export.table(kind), &mut registry, sink)?;
        acts.push(table);
        files.extend(summaries);
    }
    let interventions = acts.pop().unwrap_or_default();
    let demandes = acts.pop().unwrap_or_default();
    Ok((persons, demandes, interventions, person_ids, scopes, files))
}

/// Finishes the findings once the report year is known: birth dates that
/// give no age in `year`, and no demande before it. Called once, by the job
/// that chose the year.
pub fn check_year(export: &mut CleanExport, year: i32) {
    let findings = year::year_findings(export, year);
    export.findings.extend(findings);
}
