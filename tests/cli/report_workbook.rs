//! `bilan.xlsx` (SPEC §6 v2), read back with calamine as a spreadsheet
//! program would: its sheets, the figures of *Chiffres clés* as numbers,
//! secrecy in every sheet, identical bytes from two runs.

use std::path::{Path, PathBuf};

use super::support::{bilan, report, sample_export, AS_THEY_ARE_LABELS};
use calamine::{open_workbook, Data, Reader, Xlsx};
use sha2::{Digest, Sha256};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// Every sheet of a workbook: its name and its rows of cells.
pub fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut workbook: Xlsx<_> =
        open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            // Rows from A1, whatever the first used cell.
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let cells = (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                        .collect()
                })
                .collect();
            (name, cells)
        })
        .collect()
}

/// A published file as text to search: a workbook's cells, every other
/// file as it is.
pub fn searchable_text(path: &Path) -> String {
    if path.extension().is_some_and(|e| e == "xlsx") {
        let cells: Vec<String> = sheets(path)
            .iter()
            .flat_map(|(_, rows)| rows.iter().flatten().map(text))
            .collect();
        cells.join("\n")
    } else {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The tables of a sheet: runs of non-empty rows under the two title
/// lines, each a title row, a header row and its data rows (a note, one
/// text cell, may end it).
pub fn tables(rows: &[Vec<Data>]) -> Vec<(String, Vec<String>, Vec<Vec<Data>>)> {
    let empty = |row: &Vec<Data>| row.iter().all(|c| matches!(c, Data::Empty));
    let mut tables = Vec::new();
    let mut block: Vec<Vec<Data>> = Vec::new();
    for row in rows.iter().skip(3).chain([&Vec::new()]) {
        if !empty(row) {
            block.push(row.clone());
            continue;
        }
        let note = |row: &Vec<Data>| row.iter().skip(1).all(|c| matches!(c, Data::Empty));
        if block.len() > 2 && block.last().is_some_and(note) {
            block.pop();
        }
        if block.len() >= 2 {
            let mut header: Vec<String> = block[1].iter().map(text).collect();
            while header.last().is_some_and(String::is_empty) {
                header.pop();
            }
            tables.push((text(&block[0][0]), header, block[2..].to_vec()));
        }
        block.clear();
    }
    tables
}

/// The headers of columns that hold no count of persons: rates, délais,
/// durations and not-filled counts.
pub fn not_a_count_of_persons(header: &str) -> bool {
    [
        "Part",
        "Taux",
        "Délai",
        "Sous ",
        "heures",
        "(min)",
        "Non renseignés",
    ]
    .iter()
    .any(|word| header.contains(word))
}

/// The data-quality sheets: row counts, fill counts and findings counts
/// are published as they are (SPEC §8).
/// Sheets without counts of accompanied persons: data quality, and the
/// collective actions (counts of actions and professionals, SPEC §8).
const DATA_QUALITY_SHEETS: [&str; 4] = [
    "À propos",
    "Actions collectives",
    "Qualité des données",
    "Signalements",
];

/// The counts of persons from 1 to K−1 written as numbers in a workbook,
/// outside the data-quality sheets and the not-filled rows and columns.
pub fn small_counts_in_workbook(path: &Path, k: u64) -> Vec<String> {
    let mut found = Vec::new();
    for (name, rows) in sheets(path) {
        if DATA_QUALITY_SHEETS.contains(&name.as_str()) {
            continue;
        }
        for (title, header, data) in tables(&rows) {
            // Counts of acts are published as they are (SPEC §8), by
            // team too.
            if [
                "Demandes reçues par mois",
                "Demandes par origine",
                "Demandes par équipe",
                "Interventions par type",
                "Interventions par équipe",
                "Durée des interventions",
            ]
            .iter()
            .any(|acts| title.starts_with(acts))
            {
                continue;
            }
            for row in &data {
                let label = text(&row[0]);
                // Not-filled counts are data quality; a row of rates (the
                // Évolution's line charts) holds no count.
                // (v3) Nor does a row of means.
                if AS_THEY_ARE_LABELS.contains(&label.as_str())
                    || label == "Taux"
                    || label == "Moyenne"
                    // (v3) A number of diseases, published as it is.
                    || label.starts_with("Maladies rares différentes")
                {
                    continue;
                }
                // The summary of the series: rates but for its two counts.
                if title.starts_with("Évolution des chiffres clés")
                    && !["Personnes accompagnées", "Nouvelles personnes"].contains(&label.as_str())
                {
                    continue;
                }
                for (col, cell) in row.iter().enumerate().skip(1) {
                    let column = header.get(col).map_or("", String::as_str);
                    // (v3) The demandes a team received, counts of acts
                    // beside its referral counts (SPEC §8).
                    if column == "Demandes reçues" {
                        continue;
                    }
                    if let Data::Float(n) = cell {
                        if !not_a_count_of_persons(column) && *n >= 1.0 && *n < k as f64 {
                            found.push(format!("{name} / {title} / {label} / {column}: {n}"));
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_workbook_has_a_sheet_per_section_and_every_national_figure_as_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&sample(), &out, &[]);
    let path = out.join("bilan.xlsx");
    let workbook = sheets(&path);
    let names: Vec<&str> = workbook.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "À propos",
            "Chiffres clés",
            "Évolution",
            "Personnes",
            "Profil",
            "Profil (suite)",
            "Sollicitations",
            "Interventions",
            "Réseau",
            "Actions collectives"
        ]
    );
    // The analyst's sheets are in controle.xlsx, beside it.
    let control = sheets(&out.join("controle.xlsx"));
    let names: Vec<&str> = control.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Export", "Qualité des données", "Signalements"]);
    for name in &names {
        assert!(name.chars().count() <= 31 && !name.contains(['/', '\\', '?', '*', '[', ']']));
    }
    // The first sheet says what the workbook is; the export's files,
    // hashes and the tool are the analyst's, in controle.xlsx.
    let about: Vec<String> = workbook[0].1.iter().flatten().map(text).collect();
    for expected in ["National", "<\u{a0}5", "GNCHR"] {
        assert!(
            about.iter().any(|c| c.contains(expected)),
            "{expected}: {about:?}"
        );
    }
    for internal in ["sample_data", "bilan 0.1.0", "usagers.csv"] {
        assert!(
            !about.iter().any(|c| c.contains(internal)),
            "{internal} in the published workbook: {about:?}"
        );
    }
    let internal: Vec<String> = control[0].1.iter().flatten().map(text).collect();
    for expected in ["sample_data", "bilan 0.1.0", "usagers.csv"] {
        assert!(
            internal.iter().any(|c| c.contains(expected)),
            "{expected}: {internal:?}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for input in manifest["inputs"].as_array().unwrap() {
        let sha = input["sha256"].as_str().unwrap();
        assert!(internal.iter().any(|c| c == sha), "the SHA-256 of {input}");
    }
    assert!(
        workbook[0]
            .1
            .iter()
            .flatten()
            .any(|c| matches!(c, Data::DateTime(_))),
        "the period's dates are dates"
    );

    // Chiffres clés: for each indicator, Y then Y−1: numerator,
    // denominator, not filled, rate.
    let published: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("indicators.json")).unwrap())
            .unwrap();
    let previous = bilan()
        .args(["indicators", "--format", "json", "--min-count", "5"])
        .args(["--year", "2023", "--input"])
        .arg(sample())
        .output()
        .unwrap();
    let previous: serde_json::Value = serde_json::from_slice(&previous.stdout).unwrap();
    let national = |json: &serde_json::Value| -> Vec<serde_json::Value> {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["scope"] == "national")
            .cloned()
            .collect()
    };
    let (now, before) = (national(&published), national(&previous));
    // (v3) And the two new indicators.
    assert_eq!((now.len(), before.len()), (11, 11));
    let key = tables(&workbook[1].1);
    let (_, header, rows) = &key[0];
    assert_eq!(
        header,
        &[
            "Indicateur",
            "Numérateur 2024",
            "Dénominateur 2024",
            "Non renseignés 2024",
            "Taux 2024",
            "Numérateur 2023",
            "Dénominateur 2023",
            "Non renseignés 2023",
            "Taux 2023"
        ]
    );
    let mut numbers = 0;
    for (i, row) in rows.iter().take(11).enumerate() {
        for (first, json) in [(1, &now[i]), (5, &before[i])] {
            for (offset, field) in ["numerator", "denominator", "not_filled"]
                .iter()
                .enumerate()
            {
                let cell = &row[first + offset];
                match json[field].as_u64() {
                    Some(n) => {
                        assert_eq!(cell, &Data::Float(n as f64), "{field} of {json}");
                        numbers += 1;
                    }
                    None if json["suppressed"] == true && *field != "not_filled" => {
                        assert_eq!(text(cell), "<\u{a0}5", "{field} of {json}")
                    }
                    None => assert_eq!(cell, &Data::Empty, "{field} of {json}"),
                }
            }
            let rate = &row[first + 3];
            match (json["numerator"].as_u64(), json["denominator"].as_u64()) {
                // (v3) A mean is written to one decimal.
                (Some(n), Some(d))
                    if d > 0 && json["indicator"] == "types_accompagnement_par_personne" =>
                {
                    let tenths = (20 * n + d) / (2 * d);
                    assert_eq!(rate, &Data::Float(tenths as f64 / 10.0), "{json}")
                }
                (Some(n), Some(d)) if d > 0 => {
                    assert_eq!(rate, &Data::Float(n as f64 / d as f64), "{json}")
                }
                _ if json["denominator"].is_null() && json["suppressed"] != true => {
                    assert_eq!(rate, &Data::Empty)
                }
                _ => assert_eq!(text(rate), "—"),
            }
        }
    }
    assert!(numbers > 40, "{numbers} figures as numbers");
    // The response times of Y and Y−1, the délais in days.
    let (_, header, rows) = &key[1];
    assert_eq!(
        (header[0].as_str(), header[4].as_str()),
        ("Périmètre", "Délai médian")
    );
    for (row, json) in rows.iter().zip([&published, &previous]) {
        let delai = &json["delais"][0];
        assert_eq!(delai["scope"], "national");
        assert_eq!(row[1], Data::Float(delai["year"].as_f64().unwrap()));
        assert_eq!(row[3], Data::Float(delai["repondues"].as_f64().unwrap()));
        assert_eq!(row[4], Data::Float(delai["delai_median"].as_f64().unwrap()));
        assert_eq!(row[7], Data::Float(delai["delai_p90"].as_f64().unwrap()));
    }

    // Every table of the report, with its French header row.
    let titles = |sheet: usize| -> Vec<String> {
        tables(&workbook[sheet].1)
            .into_iter()
            .map(|(title, _, _)| title)
            .collect()
    };
    assert_eq!(
        titles(2).len(),
        12 + 2,
        "ten line charts and (v3) two, the summary, by team"
    );
    assert_eq!(titles(3).len(), 4, "{:?}", titles(3));
    assert_eq!(
        titles(4).len(),
        8,
        "six charts, the combinations, at home or elsewhere"
    );
    // (v3) Profil (suite) and Réseau beside the sections they follow.
    assert!(!titles(5).is_empty());
    assert!(titles(6).contains(&"Délai de première réponse par périmètre".to_string()));
    assert_eq!(titles(7).len(), 4);
    assert!(!titles(8).is_empty());
    let persons = &tables(&workbook[3].1)[0];
    // A person followed by several teams counts for each: no share.
    assert_eq!(persons.1, ["Équipe", "Effectif"]);
    assert!(persons
        .2
        .iter()
        .all(|r| matches!(r[1], Data::Float(_)) || text(&r[1]) == "<\u{a0}5"));
}

#[test]
fn no_sheet_of_any_team_folder_shows_a_count_of_persons_below_k() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_export(dir.path(), 300, 5);
    let out = dir.path().join("out");
    report(&input, &out, &["--by-team"]);
    let mut workbooks = 0;
    let mut masked = 0;
    for folder in std::fs::read_dir(&out).unwrap() {
        let path = folder.unwrap().path().join("bilan.xlsx");
        if !path.exists() {
            continue;
        }
        workbooks += 1;
        let found = small_counts_in_workbook(&path, 5);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
        masked += sheets(&path)
            .iter()
            .flat_map(|(_, rows)| rows.iter().flatten())
            .filter(|c| text(c) == "<\u{a0}5")
            .count();
    }
    // A team of fewer than 5 persons has no folder: some have one.
    assert!(workbooks > 5, "{workbooks} team folders with a workbook");
    assert!(masked > 0, "the tiny export must exercise masking");
}

#[test]
fn two_runs_give_identical_workbooks_listed_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        bilan()
            .env("SOURCE_DATE_EPOCH", "1732320000")
            .args(["report", "--by-team", "--team", "ERHR-BRE", "--input"])
            .arg(sample())
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out.join("ERHR-BRE")
    };
    let (a, b) = (run("a"), run("b"));
    let bytes = std::fs::read(a.join("bilan.xlsx")).unwrap();
    assert!(bytes == std::fs::read(b.join("bilan.xlsx")).unwrap());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["file"] == "bilan.xlsx")
        .expect("bilan.xlsx in the manifest");
    assert_eq!(
        listed["sha256"].as_str().unwrap(),
        format!("{:x}", Sha256::digest(&bytes))
    );
    // The edition date of SOURCE_DATE_EPOCH, as a date; a team's key
    // figures with the national ones under them.
    let sheets = sheets(&a.join("bilan.xlsx"));
    assert!(sheets[0]
        .1
        .iter()
        .any(|row| text(&row[0]) == "Édité le" && matches!(row[1], Data::DateTime(_))));
    let key = tables(&sheets[1].1);
    assert_eq!(key.len(), 3, "the team, the nation, the response times");
    assert!(key[0].0.contains("ERHR Bretagne") && key[1].0.contains("National"));
    let scopes: Vec<String> = key[2].2.iter().map(|row| text(&row[0])).collect();
    assert_eq!(
        scopes,
        ["ERHR Bretagne", "ERHR Bretagne", "National", "National"]
    );
}
