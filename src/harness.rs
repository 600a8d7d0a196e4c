//! The checks the fuzz targets (`fuzz/`) run on arbitrary input, and that
//! the test suite replays on every input they ever found
//! (`fuzz/regressions/`). Each function panics when an invariant of the
//! reader or the parsers breaks; on any other input it returns quietly.
//! How to run the fuzzers: `docs/fuzzing.md`.

use std::path::Path;
use std::sync::OnceLock;

use crate::catalog::year_of;
use crate::ingest::{read_export, read_export_from, ColumnOverrides, Hash};
use crate::normalize::normalize;
use crate::reference::{canonical_departement, Category, FileKind, Teams};
use crate::validate::{
    check, format_date, parse_date, parse_hours, parse_whole, CleanExport, FRACTION_UNIT,
};

/// Headers that map every column, put before the fuzz bytes of each file
/// when the flag byte is odd, so that the fuzzer reaches the row checks as
/// well as the header mapping.
const HEADERS: [&str; 3] = [
    "id_usager;date_naissance;sexe;departement;lieu_de_vie;maladie_rare;code_orpha;deficiences;tnd;scolarisation\n",
    "id_demande;id_usager;date_demande;equipe;origine\n",
    "id_intervention;id_usager;date_intervention;equipe;type_intervention;duree_minutes\n",
];

const FILES: [&str; 3] = ["usagers.csv", "demandes.csv", "interventions.csv"];

/// Cuts fuzz bytes into the three files of an export. Bytes 0–1 and 2–3
/// (little-endian) are the lengths of `usagers.csv` and `demandes.csv`
/// (cut short at the end of the data), byte 4 an odd flag to put the
/// headers first (and bit 1 of it: read each table from two files, v3,
/// see [`export_bytes`]); `interventions.csv` is the rest.
pub fn split_export(data: &[u8]) -> [Vec<u8>; 3] {
    let (head, body) = data.split_at(data.len().min(5));
    let length = |k: usize| {
        let bytes = [
            head.get(k).copied().unwrap_or(0),
            head.get(k + 1).copied().unwrap_or(0),
        ];
        usize::from(u16::from_le_bytes(bytes))
    };
    let first = length(0).min(body.len());
    let second = (first + length(2)).min(body.len());
    let with_headers = head.get(4).is_some_and(|b| b % 2 == 1);
    let parts = [&body[..first], &body[first..second], &body[second..]];
    let mut files: [Vec<u8>; 3] = Default::default();
    for ((file, part), header) in files.iter_mut().zip(parts).zip(HEADERS) {
        if with_headers {
            file.extend_from_slice(header.as_bytes());
        }
        file.extend_from_slice(part);
    }
    files
}

/// Writes fuzz bytes as an export in a temporary folder, reads and checks
/// it: either a clear error, or every row read is kept or excluded with
/// exactly one finding occurrence, and every table refers to what exists.
/// When bit 1 of byte 4 is set, each table is read from two files (v3:
/// `--usagers A --usagers B`): the file itself, then the same header (its
/// first line) followed by the lines of its second half, so that ids
/// repeat across files and rows replace rows.
pub fn export_bytes(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = split_export(data);
    if data.get(4).is_some_and(|b| b & 2 == 2) {
        let mut named = Vec::new();
        for ((name, bytes), kind) in FILES.iter().zip(&files).zip(TABLE_KINDS) {
            let first = dir.path().join(name);
            std::fs::write(&first, bytes).expect("a temporary file");
            let header_end = bytes
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .map_or(bytes.len(), |at| at + 1);
            let mut later = bytes[..header_end].to_vec();
            later.extend_from_slice(&bytes[header_end + (bytes.len() - header_end) / 2..]);
            let second = dir.path().join(format!("later_{name}"));
            std::fs::write(&second, later).expect("a temporary file");
            named.push((kind, first));
            named.push((kind, second));
        }
        let named: Vec<(FileKind, &Path)> = named
            .iter()
            .map(|(kind, path)| (*kind, path.as_path()))
            .collect();
        check_read(read_export_from(
            None,
            &named,
            &ColumnOverrides::default(),
            Hash::Sha256,
        ));
        return;
    }
    for (name, bytes) in FILES.iter().zip(files) {
        std::fs::write(dir.path().join(name), bytes).expect("a temporary file");
    }
    check_export(dir.path());
}

/// The tables of [`FILES`], in order.
const TABLE_KINDS: [FileKind; 3] = [
    FileKind::Usagers,
    FileKind::Demandes,
    FileKind::Interventions,
];

/// The workbook extensions `workbook_bytes` picks from with its first byte.
const WORKBOOKS: [&str; 4] = ["usagers.xlsx", "usagers.xls", "usagers.ods", "usagers.xlsm"];

/// Writes fuzz bytes as a workbook beside two valid text tables: the first
/// byte picks the extension (`.xlsx`, `.xls`, `.ods`, `.xlsm`), the rest is
/// the file. Either an error naming the workbook, or the rows are read and
/// checked with the invariants of [`check_clean`].
pub fn workbook_bytes(data: &[u8]) {
    let (pick, body) = data.split_first().unwrap_or((&0, &[]));
    let name = WORKBOOKS[usize::from(*pick) % WORKBOOKS.len()];
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join(name), body).expect("a temporary file");
    for (file, header) in FILES.iter().zip(HEADERS).skip(1) {
        std::fs::write(dir.path().join(file), header).expect("a temporary file");
    }
    match read_export(dir.path(), &ColumnOverrides::default()) {
        Ok(export) => match check(&export, builtin_teams()) {
            Ok(clean) => check_clean(&clean),
            Err(err) => assert!(format!("{err:#}").contains(name), "{err:#}"),
        },
        Err(err) => {
            let message = format!("{err:#}");
            assert!(
                message.contains(name),
                "an error must name its file: {message}"
            );
        }
    }
}

/// The invariants of reading and checking the export in `folder`.
pub fn check_export(folder: &Path) {
    check_read(read_export(folder, &ColumnOverrides::default()));
}

/// The invariants of an export read (or refused) and checked.
fn check_read(read: anyhow::Result<crate::ingest::Export>) {
    let export = match read {
        Ok(export) => export,
        Err(err) => {
            let message = format!("{err:#}");
            assert!(
                FILES.iter().any(|name| message.contains(name)),
                "an error must name its file: {message}"
            );
            return;
        }
    };
    match check(&export, builtin_teams()) {
        Ok(clean) => check_clean(&clean),
        Err(err) => panic!("files read once cannot fail on the second read: {err:#}"),
    }
}

/// The invariants of a checked export: every row read is kept or excluded
/// with exactly one finding, and every table refers to what exists.
pub fn check_clean(clean: &CleanExport) {
    // An aggregated finding (blank rows) counts every row it stands for.
    let excluding: u64 = clean
        .findings
        .iter()
        .filter(|f| f.rule.excludes_row())
        .map(|f| f.count)
        .sum();
    let excluded: u64 = clean.files.iter().map(|f| f.rows_excluded).sum();
    assert_eq!(excluding, excluded, "one finding per excluded row");
    for file in &clean.files {
        assert_eq!(file.rows_read, file.rows_kept + file.rows_excluded);
    }
    // A row kept by its file and replaced by a later file of its table
    // (v3) is in the table once: under the later file.
    let table_len = |kind: FileKind| -> u64 {
        clean
            .files
            .iter()
            .filter(|f| f.file == kind)
            .map(|f| f.rows_kept - f.rows_replaced)
            .sum()
    };
    assert_eq!(clean.persons.len() as u64, table_len(FileKind::Usagers));
    assert!(clean.person_ids.len() >= clean.persons.len());
    for (acts, kind) in [
        (&clean.demandes, FileKind::Demandes),
        (&clean.interventions, FileKind::Interventions),
    ] {
        assert_eq!(acts.len() as u64, table_len(kind));
        assert!(acts
            .person
            .iter()
            .all(|&p| (p as usize) < clean.person_ids.len()));
        assert!(acts
            .team
            .iter()
            .flatten()
            .all(|&t| (t as usize) < clean.scopes.len()));
        assert!(acts.date.iter().all(|&d| (1..=9999).contains(&year_of(d))));
    }
    if let Some(actions) = &clean.actions {
        assert_eq!(actions.len() as u64, table_len(FileKind::Actions));
        for column in [
            actions.team.len(),
            actions.type_action.len(),
            actions.publics.len(),
            actions.participants.len(),
            actions.heures.len(),
        ] {
            assert_eq!(column, actions.len(), "every column has a value per action");
        }
        assert!(actions
            .team
            .iter()
            .flatten()
            .all(|&t| (t as usize) < clean.scopes.len()));
        assert!(actions
            .heures
            .iter()
            .flatten()
            .all(|h| h.fraction < crate::validate::FRACTION_UNIT));
    }
}

/// One cell's text through every parser: dates read back as themselves,
/// an action's numbers are in range,
/// normalisation is idempotent, a recognised code is a code of its
/// category, a département code is canonical, team lookup does not fail.
pub fn text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(date) = parse_date(&text) {
        assert!((1..=9999).contains(&year_of(date)), "{text:?} -> {date}");
        assert_eq!(parse_date(&format_date(date)), Some(date), "{text:?}");
    }
    let normalized = normalize(&text);
    assert_eq!(normalize(&normalized), normalized, "{text:?}");
    for category in Category::ALL {
        if let Some(code) = category.lookup(&normalized) {
            assert!(category.values().iter().any(|v| v.code == code));
            assert_eq!(category.lookup(&normalize(code)), Some(code), "{code}");
        }
    }
    if let Ok(hours) = parse_hours(&text) {
        assert!(hours.fraction < FRACTION_UNIT, "{text:?}");
    }
    if let Some(n) = parse_whole(&text) {
        assert_eq!(parse_whole(&n.to_string()), Some(n), "{text:?}");
    }
    if let Some(code) = canonical_departement(&text) {
        assert_eq!(canonical_departement(code), Some(code), "{text:?}");
    }
    let teams = builtin_teams();
    if let Some(team) = teams.lookup(&text) {
        assert!(teams.lookup(&team.code).is_some(), "{text:?}");
    }
}

/// The built-in referential, parsed once for all the inputs of a run.
fn builtin_teams() -> &'static Teams {
    static TEAMS: OnceLock<Teams> = OnceLock::new();
    TEAMS.get_or_init(Teams::builtin)
}
