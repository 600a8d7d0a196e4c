//! Workbooks (SPEC §2.1, v2) end to end: the same export saved as separate
//! `.xlsx` files or as one workbook with a sheet per table gives exactly
//! the indicators of the CSV export; findings name `FILE#SHEET` and the
//! row; hostile workbooks end with exit 0 or 1 and a message naming the
//! file. The workbooks are written by the test (`rust_xlsxwriter`), never
//! committed.

use std::path::{Path, PathBuf};

use super::support::bilan;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

const TABLES: [&str; 3] = ["usagers", "demandes", "interventions"];

/// A synthetic CSV export in `dir/csv` (`bilan sample`, a few hundred persons).
fn sample(dir: &Path) -> PathBuf {
    let out = dir.join("csv");
    bilan()
        .args(["sample", "--persons", "250", "--seed", "11", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// The rows of a CSV file of `folder` whose name holds `table`, decoded.
fn csv_rows(folder: &Path, table: &str) -> Vec<Vec<String>> {
    let path = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .to_lowercase()
                .contains(table)
        })
        .unwrap();
    let (text, _) = bilan::ingest::decode(std::fs::read(&path).unwrap());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(bilan::ingest::detect_delimiter(text.as_bytes()))
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// `JJ/MM/AAAA` or `AAAA-MM-JJ` (a time may follow) as (year, month, day).
fn ymd(text: &str) -> Option<(u16, u8, u8)> {
    let date = text.split(' ').next()?;
    let parts: Vec<&str> = date.split(['/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ExcelDateTime::from_ymd(date.0, date.1, date.2).ok()?;
    Some(date)
}

/// Writes rows into a sheet as an analyst's workbook holds them: dates as
/// date cells (every other one as a bare serial number, as when the date
/// format is lost), whole numbers as numbers, one duration as a formula
/// with its cached value; the rest as text.
fn fill(sheet: &mut Worksheet, rows: &[Vec<String>]) {
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let header = &rows[0];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r16, c16) = (r as u32, c as u16);
            let column = header.get(c).map_or("", String::as_str).to_lowercase();
            if r > 0 && column.contains("date") {
                if let Some((y, m, d)) = ymd(cell) {
                    let date = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    if r % 2 == 0 {
                        sheet
                            .write_datetime_with_format(r16, c16, &date, &date_format)
                            .unwrap();
                    } else {
                        sheet.write_number(r16, c16, date.to_excel()).unwrap();
                    }
                    continue;
                }
            }
            if r > 0
                && !cell.is_empty()
                && cell.len() < 10
                && cell.bytes().all(|b| b.is_ascii_digit())
            {
                let value: f64 = cell.parse().unwrap();
                if r == 3 && column.contains("dur") {
                    let formula = Formula::new(format!("={value}*1")).set_result(cell.clone());
                    sheet.write_formula(r16, c16, formula).unwrap();
                } else {
                    sheet.write_number(r16, c16, value).unwrap();
                }
                continue;
            }
            sheet.write_string(r16, c16, cell).unwrap();
        }
    }
}

/// The indicator rows and response times of 2024 (the sample's collective
/// actions stay in its CSV folder: the workbooks here hold the three
/// tables of persons).
fn indicators(input: &Path) -> String {
    let output = bilan()
        .args([
            "indicators",
            "--format",
            "json",
            "--year",
            "2024",
            "--input",
        ])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    persons_figures(&output.stdout)
}

/// The JSON of `bilan indicators` without its collective actions.
fn persons_figures(stdout: &[u8]) -> String {
    let mut json: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    let object = json.as_object_mut().unwrap();
    object.remove("actions");
    object.remove("actions_public");
    serde_json::to_string_pretty(&json).unwrap()
}

#[test]
fn separate_workbooks_and_one_workbook_give_the_indicators_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = sample(dir.path());
    let want = indicators(&csv);
    let separate = dir.path().join("separate");
    let single = dir.path().join("single");
    std::fs::create_dir_all(&separate).unwrap();
    std::fs::create_dir_all(&single).unwrap();
    let mut book = Workbook::new();
    for table in TABLES {
        let rows = csv_rows(&csv, table);
        let mut own = Workbook::new();
        fill(own.add_worksheet(), &rows);
        own.save(separate.join(format!("{table}.xlsx"))).unwrap();
        let sheet = book.add_worksheet();
        sheet
            .set_name(format!("Export {}", table.to_uppercase()))
            .unwrap();
        fill(sheet, &rows);
    }
    book.save(single.join("Export Mediateam 2024.xlsx"))
        .unwrap();
    assert_eq!(indicators(&separate), want, "one .xlsx per table");
    assert_eq!(indicators(&single), want, "one workbook, a sheet per table");
}

#[test]
fn findings_name_the_file_the_sheet_and_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export");
    std::fs::create_dir_all(&input).unwrap();
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean_export");
    for table in TABLES {
        let mut rows = csv_rows(&clean, table);
        if table == "usagers" {
            rows[2][2] = "zz".to_string();
        }
        // A title row and an empty row above the table, an empty row
        // after its first row.
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Feuil1").unwrap();
        let mut shifted = vec![Vec::new(), Vec::new()];
        shifted.extend(rows.clone());
        shifted.insert(4, Vec::new());
        shifted[0] = vec!["Export Mediateam du 05/01/2025".to_string()];
        shifted[2] = rows[0].clone();
        fill(sheet, &shifted[..]);
        book.save(input.join(format!("{table}.xlsx"))).unwrap();
    }
    let output = bilan()
        .args(["validate", "--format", "json", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let has = |rule: &str, file: &str, line: u64| {
        found.contains(&(rule.to_string(), file.to_string(), line))
    };
    // Row 3 is the header, rows 4 and 6 hold U1 and U2.
    assert!(
        has("valeur_non_reconnue", "usagers.xlsx#Feuil1", 6),
        "{found:?}"
    );
    assert!(has("preambule", "usagers.xlsx#Feuil1", 1), "{found:?}");
    assert!(has("preambule", "usagers.xlsx#Feuil1", 2), "{found:?}");
    assert!(has("ligne_vide", "demandes.xlsx#Feuil1", 5), "{found:?}");
    let names: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "usagers.xlsx#Feuil1",
            "demandes.xlsx#Feuil1",
            "interventions.xlsx#Feuil1"
        ]
    );
    // A sheet has no delimiter: null, not a NUL character.
    for file in json["files"].as_array().unwrap() {
        assert!(file["delimiter"].is_null(), "{file}");
    }
}

#[test]
fn hostile_workbooks_end_with_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean_export");
    let mut valid = Workbook::new();
    fill(valid.add_worksheet(), &csv_rows(&clean, "usagers"));
    let valid = valid.save_to_buffer().unwrap();
    // Two cells at opposite corners: a declared dimension of the whole
    // sheet, A1:XFD1048576.
    let mut far = Workbook::new();
    let sheet = far.add_worksheet();
    fill(sheet, &csv_rows(&clean, "usagers"));
    sheet.write_string(1_048_575, 16_383, "fin").unwrap();
    let far = far.save_to_buffer().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("usagers.xlsx", b"id_usager;sexe\nU1;F\n".to_vec()),
        ("usagers.xlsx", valid[..valid.len() / 2].to_vec()),
        (
            "usagers.xlsx",
            b"PK\x05\x06".iter().copied().chain([0; 18]).collect(),
        ),
        ("usagers.xlsx", Vec::new()),
        ("usagers.xlsx", far),
        (
            "usagers.xls",
            b"<html><body><table><tr><td>id_usager</td></tr></table></body></html>".to_vec(),
        ),
        (
            "usagers.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".repeat(64),
        ),
        ("usagers.ods", valid.clone()),
        ("usagers.ods", b"PK\x03\x04garbage".to_vec()),
        ("usagers.xlsm", (0..=255u8).cycle().take(5000).collect()),
    ];
    for (i, (name, bytes)) in cases.into_iter().enumerate() {
        let input = dir.path().join(format!("case{i}"));
        std::fs::create_dir_all(&input).unwrap();
        for table in ["demandes", "interventions"] {
            std::fs::copy(
                clean.join(format!("{table}.csv")),
                input.join(format!("{table}.csv")),
            )
            .unwrap();
        }
        std::fs::write(input.join(name), &bytes).unwrap();
        let output = bilan()
            .args(["validate", "--format", "json", "--input"])
            .arg(&input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let code = output.status.code();
        assert!(!stderr.contains("panicked"), "case {i} {name}: {stderr}");
        assert!(
            matches!(code, Some(0) | Some(1)),
            "case {i} {name}: {code:?} {stderr}"
        );
        if code == Some(1) {
            assert!(stderr.contains(name), "case {i}: {stderr}");
        }
    }
}

/// `text` with the five XML specials escaped.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet, as LibreOffice writes one: dates as
/// date cells, whole numbers as floats, empty cells repeated to the right
/// and empty rows repeated below each table.
fn ods(sheets: &[(String, Vec<Vec<String>>)]) -> Vec<u8> {
    use std::io::Write;
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for (name, rows) in sheets {
        content.push_str(&format!(r#"<table:table table:name="{}">"#, xml(name)));
        let header = &rows[0];
        for (r, row) in rows.iter().enumerate() {
            content.push_str("<table:table-row>");
            for (c, cell) in row.iter().enumerate() {
                let column = header.get(c).map_or(String::new(), |h| h.to_lowercase());
                let date = (r > 0 && column.contains("date"))
                    .then(|| ymd(cell))
                    .flatten();
                if let Some((y, m, d)) = date {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}"><text:p>{d:02}/{m:02}/{y:04}</text:p></table:table-cell>"#
                    ));
                } else if r > 0
                    && !cell.is_empty()
                    && cell.len() < 10
                    && cell.bytes().all(|b| b.is_ascii_digit())
                {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{cell}</text:p></table:table-cell>"#
                    ));
                } else if cell.is_empty() {
                    content.push_str("<table:table-cell/>");
                } else {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        xml(cell)
                    ));
                }
            }
            content.push_str(
                r#"<table:table-cell table:number-columns-repeated="1010"/></table:table-row>"#,
            );
        }
        content.push_str(r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#);
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_ods_workbook_gives_the_indicators_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = sample(dir.path());
    let want = indicators(&csv);
    let input = dir.path().join("ods");
    std::fs::create_dir_all(&input).unwrap();
    let sheets: Vec<(String, Vec<Vec<String>>)> = TABLES
        .iter()
        .map(|table| (table.to_string(), csv_rows(&csv, table)))
        .collect();
    std::fs::write(input.join("export_mediateam.ods"), ods(&sheets)).unwrap();
    assert_eq!(indicators(&input), want);
}

#[test]
fn a_sheet_is_named_on_the_command_line_as_file_hash_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean_export");
    let want = indicators(&clean);
    // Sheets named for nothing: only the options say which is which.
    let mut book = Workbook::new();
    for (i, table) in TABLES.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(format!("Onglet {i}")).unwrap();
        fill(sheet, &csv_rows(&clean, table));
    }
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let path = dir.path().join("classeur.xlsx");
    book.save(&path).unwrap();
    let arg = |i: usize| format!("{}#Onglet {i}", path.display());
    let output = bilan()
        .args([
            "indicators",
            "--format",
            "json",
            "--year",
            "2024",
            "--input",
        ])
        .arg(&input)
        .args([
            "--usagers",
            &arg(0),
            "--demandes",
            &arg(1),
            "--interventions",
            &arg(2),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(persons_figures(&output.stdout), want);
    // A sheet that does not exist is named with those that do.
    bilan()
        .args(["validate", "--input"])
        .arg(&input)
        .args(["--usagers", &format!("{}#Feuil9", path.display())])
        .args(["--demandes", &arg(1), "--interventions", &arg(2)])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no sheet \"Feuil9\""))
        .stderr(predicates::str::contains("Onglet 0, Onglet 1, Onglet 2"));
}

/// `bilan validate --format json` of `input`: each finding as its rule,
/// table, line, column and value (the file name differs: `usagers.csv`
/// against `usagers.xlsx#usagers`), and each file's row counts.
fn findings_by_table(input: &Path) -> (Vec<String>, Vec<String>) {
    let output = bilan()
        .args(["validate", "--format", "json", "--year", "2024", "--input"])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let table = |name: &str| name.split(['.', '#']).next().unwrap_or("").to_string();
    let mut findings: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {}",
                f["rule"],
                table(f["file"].as_str().unwrap()),
                f["lines"],
                f["column"],
                f["value"],
                f["count"]
            )
        })
        .collect();
    findings.sort();
    let mut files: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                table(f["name"].as_str().unwrap()),
                f["rows_read"],
                f["rows_kept"],
                f["rows_excluded"]
            )
        })
        .collect();
    files.sort();
    (findings, files)
}

/// The full JSON of `bilan indicators` for 2024 (collective actions too).
fn all_figures(input: &Path) -> String {
    let output = bilan()
        .args([
            "indicators",
            "--format",
            "json",
            "--year",
            "2024",
            "--input",
        ])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn workbooks_saved_by_libreoffice_read_exactly_as_their_csv() {
    // tests/fixtures/libreoffice: a small export as `bilan sample` writes it
    // and the .xlsx, .xls and .ods LibreOffice Calc made of it, once with
    // the cells typed as a French user's Calc types them (dates, numbers),
    // once with every cell as text (dates as text).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libreoffice");
    let source = root.join("source");
    let want = all_figures(&source);
    let want_findings = findings_by_table(&source);
    assert!(
        !want_findings.0.is_empty(),
        "the sample's findings are compared too"
    );
    let mut checked = 0;
    for typing in ["typed", "text"] {
        for format in ["xlsx", "xls", "ods"] {
            let folder = root.join(format!("{typing}-{format}"));
            let books = std::fs::read_dir(&folder)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == format)
                })
                .count();
            assert_eq!(books, 4, "{}: four workbooks", folder.display());
            assert_eq!(all_figures(&folder), want, "{typing} {format}");
            assert_eq!(
                findings_by_table(&folder),
                want_findings,
                "{typing} {format}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}
