//! Renders the generated persons and acts as the three CSV files of a
//! Mediateam export, with a handful of bad rows of each kind, and writes
//! them to a new folder atomically.

use std::path::Path;

use anyhow::{bail, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::forms::Renderer;
use super::labels::Labels;
use super::{Act, Person, SampleExport, SampleOptions, Slot};
use crate::atomic::Staging;
use crate::normalize::normalize;
use crate::reference::{column_specs, FileKind, Teams};
use crate::validate::format_date;

const USAGERS_HEADER: [&str; 13] = [
    "N° dossier",
    "Date de naissance",
    "Sexe",
    "Département",
    "Lieu de vie",
    "Maladie rare",
    "Code ORPHA",
    "Déficiences",
    "TND",
    "Scolarisation",
    "Situation",
    "Troubles associés",
    "Accompagnements",
];
const DEMANDES_HEADER: [&str; 5] = [
    "N° demande",
    "N° dossier",
    "Date de la demande",
    "Équipe",
    "Origine de la demande",
];
const INTERVENTIONS_HEADER: [&str; 6] = [
    "N° intervention",
    "N° dossier",
    "Date de l'intervention",
    "Équipe",
    "Type d'intervention",
    "Durée (min)",
];

pub(super) type Row = Vec<String>;

pub(super) fn pick<'a>(rng: &mut ChaCha8Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.gen_range(0..items.len())]
}

/// Sorts acts as an export lists them (by date) and numbers them.
fn numbered(mut acts: Vec<Act>, prefix: &str) -> Vec<(String, Act)> {
    acts.sort_by_key(|a| (a.date, a.person));
    acts.into_iter()
        .enumerate()
        .map(|(i, a)| (format!("{prefix}{:07}", i + 1), a))
        .collect()
}

/// Rendered act rows in the order of their acts' (person, date, id).
fn by_person(rows: Vec<Row>, acts: &[(String, Act)]) -> Vec<Row> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (acts[i].1.person, acts[i].1.date, i));
    let mut rows: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| rows[i].take()).collect()
}

/// Inserts `row` at a random place after `after` (a row index).
fn insert_after(rng: &mut ChaCha8Rng, rows: &mut Vec<Row>, after: usize, row: Row) {
    let at = rng.gen_range(after.min(rows.len())..=rows.len());
    rows.insert(at, row);
}

pub(super) fn render(
    persons: &[Person],
    demandes: Vec<Act>,
    interventions: Vec<Act>,
    options: &SampleOptions,
    labels: &Labels,
    (rng, v3): (&mut ChaCha8Rng, &mut ChaCha8Rng),
) -> SampleExport {
    let (first, last) = (options.first_active_year(), options.last_year);
    let mut r = Renderer {
        labels,
        teams: Teams::builtin(),
        rng,
        v3,
        clean: options.clean,
        canonical: options.canonical,
        last_rare: None,
    };
    let mut usagers: Vec<Row> = persons.iter().map(|p| r.person(p)).collect();
    let demandes = numbered(demandes, "D");
    let interventions = numbered(interventions, "I");
    let mut demande_rows: Vec<Row> = demandes
        .iter()
        .map(|(id, a)| r.act(id.clone(), a, persons, "origine"))
        .collect();
    let mut intervention_rows: Vec<Row> = interventions
        .iter()
        .map(|(id, a)| r.act(id.clone(), a, persons, "type_intervention"))
        .collect();
    let rng = r.rng;
    if options.by_person {
        // The same rows and ids (numbered by date), listed by person.
        demande_rows = by_person(demande_rows, &demandes);
        intervention_rows = by_person(intervention_rows, &interventions);
    }

    // Bad rows of every kind, only where no calibrated figure moves:
    // excluded rows, problems on persons not active in the last year that
    // no figure of the earlier calibrated years reads (birth dates,
    // départements), and acts of unknown persons in the first year with
    // activity, which no bilan publishes.
    let inactive: Vec<usize> = (0..persons.len())
        .filter(|&i| persons[i].last < last)
        .collect();
    let active: Vec<usize> = (0..persons.len())
        .filter(|&i| persons[i].last == last)
        .collect();
    let dirty = !options.clean;
    if dirty && inactive.len() >= 10 && !usagers.is_empty() {
        let mut victims = inactive.clone();
        victims.shuffle(rng);
        let broken_births = [
            format!("31/06/{}", persons[victims[0]].birth.0),
            format!("12/13/{}", persons[victims[1]].birth.0),
            persons[victims[2]].birth.0.to_string(),
            "00/00/0000".to_string(),
            format!("15/03/{}", last + 1),
            "01/01/1890".to_string(),
        ];
        for (victim, birth) in victims.iter().zip(broken_births) {
            usagers[*victim][1] = birth;
        }
        for &victim in &victims[6..9] {
            usagers[victim][3] = pick(rng, labels.unknown("departement")).to_string();
        }
        // The person's other rows come later and are excluded (first wins).
        for &victim in &victims[..3] {
            let mut copy = usagers[victim].clone();
            copy[4] = "Domicile".to_string();
            copy[1] = "01/01/2001".to_string();
            insert_after(rng, &mut usagers, victim + 1, copy);
        }
        for id in ["", "NR"] {
            let mut row = usagers[victims[9]].clone();
            row[0] = id.to_string();
            let at = rng.gen_range(0..usagers.len());
            usagers.insert(at, row);
        }
        for k in 0..2 {
            let mut row = usagers[victims[k]].clone();
            row[0] = format!("U9{:05}", k + 1);
            row.push("voir dossier papier".to_string());
            let at = rng.gen_range(0..usagers.len());
            usagers.insert(at, row);
        }
    }
    // `aucun` ticked next to another TND: the other value wins.
    for &person in active
        .iter()
        .filter(|&&i| persons[i].tnd == Slot::Positive)
        .take(if dirty { 3 } else { 0 })
    {
        let row = usagers
            .iter_mut()
            .find(|row| row[0] == persons[person].id)
            .expect("the person has a row");
        let aucun = if options.canonical { "aucun" } else { "Aucun" };
        row[8] = format!("{aucun}|{}", row[8]);
    }
    // (v3) The same in `troubles_associes` and `accompagnements` (columns
    // 11 and 12): the other values win, no figure moves.
    for (column, named) in [
        (
            11,
            (|p: &Person| p.troubles.as_ref().is_some_and(|t| !t.is_empty()))
                as fn(&Person) -> bool,
        ),
        (12, |p: &Person| {
            p.accompagnements.as_ref().is_some_and(|a| !a.is_empty())
        }),
    ] {
        for &person in active
            .iter()
            .filter(|&&i| named(&persons[i]))
            .take(if dirty { 3 } else { 0 })
        {
            let row = usagers
                .iter_mut()
                .find(|row| row[0] == persons[person].id)
                .expect("the person has a row");
            let aucun = if options.canonical { "aucun" } else { "Aucun" };
            row[column] = format!("{aucun}|{}", row[column]);
        }
    }
    if dirty
        && first < last
        && demande_rows.len() >= 10
        && intervention_rows.len() >= 10
        && !active.is_empty()
    {
        let any_date_in = |rng: &mut ChaCha8Rng, year: i32| {
            year * 10_000 + rng.gen_range(1..=12) * 100 + rng.gen_range(1..=28)
        };
        let someone = |rng: &mut ChaCha8Rng| persons[rng.gen_range(0..persons.len())].id.clone();
        let mut fresh = 0;
        let mut next_id = |prefix: &str| {
            fresh += 1;
            format!("{prefix}9{fresh:06}")
        };
        for rows in [&mut demande_rows, &mut intervention_rows] {
            let kind = if rows[0].len() == 5 { "D" } else { "I" };
            let template = rows[0].clone();
            // Later rows reusing an id: excluded.
            for _ in 0..3 {
                let original = rng.gen_range(0..rows.len());
                let mut copy = rows[original].clone();
                copy[2] = format_date(any_date_in(rng, last - 1));
                insert_after(rng, rows, original + 1, copy);
            }
            let mut extra: Vec<Row> = Vec::new();
            let with = |id: String, person: String, day: String, rest: &[&str]| -> Row {
                let mut row = vec![id, person, day];
                row.extend(rest.iter().map(|s| s.to_string()));
                row
            };
            let tail: Vec<&str> = template[3..].iter().map(String::as_str).collect();
            for person in ["", "NR"] {
                extra.push(with(
                    next_id(kind),
                    person.to_string(),
                    format_date(any_date_in(rng, last - 1)),
                    &tail,
                ));
            }
            for bad in [
                format!("31/11/{}", last - 1),
                format!("{}-02-30", last - 1),
                String::new(),
            ] {
                extra.push(with(next_id(kind), someone(rng), bad, &tail));
            }
            let mut ragged = with(
                next_id(kind),
                someone(rng),
                format_date(any_date_in(rng, last - 1)),
                &tail,
            );
            ragged.push("à revoir".to_string());
            extra.push(ragged);
            for k in 0..2 {
                let stranger = format!("U8{:05}", k + 1);
                extra.push(with(
                    next_id(kind),
                    stranger,
                    format_date(any_date_in(rng, first)),
                    &tail,
                ));
            }
            for row in extra {
                let at = rng.gen_range(0..=rows.len());
                rows.insert(at, row);
            }
        }
        // Acts in the last year of persons active then anyway, not visits:
        // an unknown team code, and a team left empty.
        for (k, team) in ["ERHR-BRET", "", ""].into_iter().enumerate() {
            let person = persons[active[k * active.len() / 3]].id.clone();
            let row = vec![
                next_id("I"),
                person,
                format_date(any_date_in(rng, last)),
                team.to_string(),
                "Téléphone".to_string(),
                "20".to_string(),
            ];
            let at = rng.gen_range(0..=intervention_rows.len());
            intervention_rows.insert(at, row);
        }
        for duration in ["1h30", "45 min", "2h"] {
            let at = rng.gen_range(0..intervention_rows.len());
            if intervention_rows[at].len() == 6 {
                intervention_rows[at][5] = duration.to_string();
            }
        }
    }
    let c = options.canonical;
    SampleExport {
        canonical: c,
        usagers: to_csv(FileKind::Usagers, &USAGERS_HEADER, &usagers, c),
        demandes: to_csv(FileKind::Demandes, &DEMANDES_HEADER, &demande_rows, c),
        interventions: to_csv(
            FileKind::Interventions,
            &INTERVENTIONS_HEADER,
            &intervention_rows,
            c,
        ),
        actions: String::new(),
    }
}

/// The header line of a file: the French headers people see, or for a
/// canonical export the spec's column names in the same order
/// ([`column_specs`]); a column the spec does not name (an action's title)
/// gets its header normalised (`Intitulé` → `intitule`).
fn header(kind: FileKind, labels: &[&str], canonical: bool) -> Vec<String> {
    if !canonical {
        return labels.iter().map(|label| label.to_string()).collect();
    }
    let mut names = column_specs()
        .into_iter()
        .filter(|spec| spec.file == kind)
        .map(|spec| spec.name);
    labels
        .iter()
        .map(|label| {
            names
                .next()
                .map_or_else(|| normalize(label).replace(' ', "_"), str::to_string)
        })
        .collect()
}

/// The rows as `;`-separated text; lines end with CRLF as Windows
/// software writes them, or LF for a canonical export.
pub(super) fn to_csv(kind: FileKind, labels: &[&str], rows: &[Row], canonical: bool) -> String {
    let header = header(kind, labels, canonical);
    let terminator = if canonical {
        csv::Terminator::Any(b'\n')
    } else {
        csv::Terminator::CRLF
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .terminator(terminator)
        .from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>| -> csv::Result<()> {
        writer.write_record(&header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    };
    write(&mut writer).expect("writing CSV to memory cannot fail");
    String::from_utf8(writer.into_inner().expect("in-memory writer"))
        .expect("CSV of UTF-8 strings is UTF-8")
}

/// Writes the export into `out`, a folder that must not exist or be empty,
/// atomically (see `crate::atomic`).
pub fn write_export(export: &SampleExport, out: &Path) -> Result<()> {
    check_out(out)?;
    let staging = Staging::new(out)?;
    for (file, text) in [
        ("usagers.csv", &export.usagers),
        ("demandes.csv", &export.demandes),
        ("interventions.csv", &export.interventions),
        ("actions.csv", &export.actions),
    ] {
        if export.canonical {
            staging.write(file, text.as_bytes())?;
        } else {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
            staging.write(file, &bytes)?;
        }
    }
    staging.commit()
}

/// Refuses an output folder that exists and is not empty.
pub(super) fn check_out(out: &Path) -> Result<()> {
    if out.exists() {
        let empty_dir = out.is_dir()
            && std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !empty_dir {
            bail!(
                "{} already exists and is not an empty folder: choose a new folder for the sample",
                out.display()
            );
        }
    }
    Ok(())
}
