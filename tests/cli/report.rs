//! `bilan report`: the report folder end to end.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn bilan() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn report(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    bilan()
        .arg("report")
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_html_of_a_small_export_matches_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport");
    let output = report(&repo("tests/fixtures/clean_export"), &out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!("report_clean_export_html", read(&out.join("bilan.html")));
}

#[test]
fn the_report_folder_holds_every_output_and_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bilan-2024");
    let output = report(&repo("sample_data"), &out, &["--year", "2024"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "actions.csv",
            "actions_public.csv",
            "bilan.html",
            "breakdowns.json",
            "findings.csv",
            "indicators.csv",
            "indicators.json",
            "manifest.json"
        ]
    );
    let html = read(&out.join("bilan.html"));
    for section in [
        "chiffres-cles",
        "personnes",
        "profil",
        "sollicitations",
        "interventions",
        "actions-collectives",
        "qualite",
        "methodologie",
    ] {
        assert!(
            html.contains(&format!("<section class=\"chapter\" id=\"{section}\"")),
            "section {section}"
        );
    }
    // 14, and the three of the collective actions.
    assert_eq!(html.matches("<svg").count(), 17, "one SVG per chart");
    assert_eq!(
        html.matches("role=\"img\" aria-label=\"Diagramme en barres")
            .count(),
        17,
        "every chart has its text"
    );
    // Nothing is fetched and nothing needs JavaScript.
    for forbidden in [
        "<script",
        "<link",
        "<img",
        "@import",
        "url(",
        "src=",
        "href=\"http",
    ] {
        assert!(!html.contains(forbidden), "the report holds {forbidden}");
    }
    // French typography of known figures.
    assert!(
        html.contains("2\u{202F}345"),
        "2 345 with a narrow no-break space"
    );
    assert!(html.contains("63\u{A0}%") && html.contains("76\u{A0}%") && html.contains("59\u{A0}%"));
    assert!(html.contains("Bilan d’activité 2024"));
    assert!(html.contains("du 2 janvier 2019 au 28 décembre 2024"));
    assert!(html.contains("2023\u{202F}: 2\u{202F}267"), "Y-1 beside Y");
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(
        !style.contains("&#x27;") && !style.contains("&amp;"),
        "nothing escaped in the CSS footer"
    );
    assert!(style.contains("content: \"Bilan d’activité 2024 — National"));
}

#[test]
fn the_report_figures_are_those_of_bilan_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    assert!(report(&repo("sample_data"), &out, &[]).status.success());
    // The report publishes under secrecy (K = 5 by default), as does
    // `bilan indicators --min-count 5`.
    let printed = bilan()
        .args([
            "indicators",
            "--format",
            "json",
            "--min-count",
            "5",
            "--input",
        ])
        .arg(repo("sample_data"))
        .output()
        .unwrap();
    assert!(
        read(&out.join("indicators.json")) == String::from_utf8(printed.stdout).unwrap(),
        "indicators.json differs from `bilan indicators --format json --min-count 5`"
    );
    let csv = bilan()
        .args([
            "indicators",
            "--format",
            "csv",
            "--min-count",
            "5",
            "--input",
        ])
        .arg(repo("sample_data"))
        .output()
        .unwrap();
    assert_eq!(
        read(&out.join("indicators.csv")),
        String::from_utf8(csv.stdout).unwrap()
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["year"], 2024);
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 4);
    assert_eq!(manifest["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["file"] == "bilan.html"));
}

#[test]
fn two_runs_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(report(&repo("sample_data"), &a, &[]).status.success());
    assert!(report(&repo("sample_data"), &b, &[]).status.success());
    for entry in std::fs::read_dir(&a).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            std::fs::read(a.join(&name)).unwrap() == std::fs::read(b.join(&name)).unwrap(),
            "{name:?} differs"
        );
    }
}

#[test]
fn a_previous_report_is_replaced_and_other_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    assert!(report(&repo("tests/fixtures/clean_export"), &out, &[])
        .status
        .success());
    std::fs::write(out.join("stale.txt"), "left over").unwrap();
    assert!(report(&repo("tests/fixtures/clean_export"), &out, &[])
        .status
        .success());
    assert!(
        !out.join("stale.txt").exists(),
        "the old report is replaced whole"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no staging folder left behind: {leftovers:?}"
    );

    let precious = dir.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("notes.txt"), "mine").unwrap();
    let output = report(&repo("tests/fixtures/clean_export"), &precious, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a bilan report"));
    assert_eq!(read(&precious.join("notes.txt")), "mine");

    let input = tempfile::tempdir().unwrap();
    for f in ["usagers.csv", "demandes.csv", "interventions.csv"] {
        std::fs::copy(
            repo("tests/fixtures/clean_export").join(f),
            input.path().join(f),
        )
        .unwrap();
    }
    let output = report(input.path(), &input.path().join("out"), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("never writes into the export"));
    assert!(!input.path().join("out").exists());
}

#[test]
fn templates_can_be_overridden_by_name_and_the_context_dumped() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mes-modeles");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("methodologie.html"),
        "<section class=\"chapter\" id=\"methodologie\"><h2>Notre méthode</h2><p>{{ year }} — texte revu par l’équipe.</p></section>",
    )
    .unwrap();
    let out = dir.path().join("r");
    let context = dir.path().join("context.json");
    let output = report(
        &repo("tests/fixtures/clean_export"),
        &out,
        &[
            "--templates",
            templates.to_str().unwrap(),
            "--dump-context",
            context.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = read(&out.join("bilan.html"));
    assert!(html.contains("2024 — texte revu par l’équipe."));
    assert!(
        html.contains("Chiffres clés 2024"),
        "other templates stay built-in"
    );
    let json: serde_json::Value = serde_json::from_str(&read(&context)).unwrap();
    assert_eq!(json["year"], 2024);
    assert!(json["key_figures"].as_array().unwrap().len() == 7);

    std::fs::write(templates.join("methodologie.html"), "{{ annee_inconnue }}").unwrap();
    let output = report(
        &repo("tests/fixtures/clean_export"),
        &dir.path().join("r2"),
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot render the report"), "{stderr}");
    assert!(!dir.path().join("r2").exists(), "nothing half-written");
}

#[test]
fn published_outputs_never_show_a_birth_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    assert!(report(
        &repo("tests/fixtures/rule_date_naissance_invalide"),
        &out,
        &[]
    )
    .status
    .success());
    let findings = read(&out.join("findings.csv"));
    assert!(findings.contains("date_naissance_invalide"));
    assert!(findings.contains("(masquée)"));
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("31/02/2015"), "a birth date leaked");
        assert!(!text.contains("ORPHA:558"), "an ORPHA code leaked");
    }
    // The analyst's own terminal may show it.
    bilan()
        .args(["validate", "--input"])
        .arg(repo("tests/fixtures/rule_date_naissance_invalide"))
        .assert()
        .stdout(predicate::str::contains("31/02/2015"));
}

#[test]
fn the_pdf_is_printed_with_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let output = report(&repo("sample_data"), &out, &["--pdf"]);
    assert!(
        output.status.success(),
        "--pdf needs Debian's chromium (.ci/run installs it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = out.join("bilan.pdf");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((12..=40).contains(&pages), "{pages} pages");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Bilan d’activité 2024"));
    assert!(text.contains("Chiffres clés 2024"));
    assert!(
        text.contains(&format!("Page 2 / {pages}")),
        "page numbers in the footer"
    );
    assert!(text.contains("Méthodologie"));
}

#[test]
fn pdf_without_a_browser_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = report(
        &repo("tests/fixtures/clean_export"),
        &dir.path().join("r"),
        &["--pdf", "--chrome", "/nonexistent/chrome"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--chrome /nonexistent/chrome"));
    assert!(!dir.path().join("r").exists());
}
