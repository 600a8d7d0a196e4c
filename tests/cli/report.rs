//! `bilan report`: the report folder end to end.

use std::path::Path;

use super::support::{bilan, read, repo, report_command};
use predicates::prelude::*;

fn report(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    report_command(input, out, extra).output().unwrap()
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
            "bilan.xlsx",
            "breakdowns.json",
            "categories.csv",
            "chiffres_cles.html",
            "chiffres_cles.svg",
            "chiffres_cles.txt",
            "controle.html",
            "controle.xlsx",
            "datapackage.json",
            "delais.csv",
            "diagnostics.csv",
            "diagnostics_frequents.csv",
            "findings.csv",
            "indicators.csv",
            "indicators.json",
            "manifest.json",
            "reseau.csv",
            "series.json",
            "version_simplifiee.html"
        ]
    );
    let html = read(&out.join("bilan.html"));
    for section in [
        "synthese",
        "chiffres-cles",
        "dispositif",
        "personnes",
        "profil",
        "sollicitations",
        "interventions",
        "reseau",
        "actions-collectives",
        "sources",
        "methodologie",
    ] {
        assert!(
            html.contains(&format!("<section class=\"chapter\" id=\"{section}\"")),
            "section {section}"
        );
    }
    // The Sommaire links to every section; an HTML alone has no pages.
    let sommaire = sommaire_of(&html);
    assert_eq!(sommaire.len(), 13);
    for (id, _, page) in &sommaire {
        assert!(
            html.contains(&format!("<section class=\"chapter\" id=\"{id}\"")),
            "#{id}"
        );
        assert_eq!(*page, None, "#{id} has a page number without --pdf");
    }
    // 26, the three of the collective actions, and (v3) the two curves
    // of the new indicators, the four charts of the associated disorders
    // and the accompaniments, the CNRHR of the network: each an SVG
    // drawn as an image of the page itself, named by its text alternative.
    assert_eq!(
        html.matches("<img class=\"chart\" src=\"data:image/svg+xml;charset=utf-8,<svg ")
            .count(),
        36,
        "one SVG per chart"
    );
    assert_eq!(html.matches("alt=\"Courbe").count(), 12);
    assert_eq!(
        html.matches("alt=\"Diagramme en barres").count(),
        24,
        "every chart has its text"
    );
    // Nothing is fetched and nothing needs JavaScript.
    for forbidden in ["<script", "<link", "@import", "url(", "href=\"http"] {
        assert!(!html.contains(forbidden), "the report holds {forbidden}");
    }
    assert_eq!(
        html.matches("src=").count(),
        html.matches("src=\"data:").count()
    );
    // French typography of known figures.
    assert!(
        html.contains("2\u{202F}345"),
        "2 345 with a narrow no-break space"
    );
    assert!(
        html.contains("63\u{202F}%")
            && html.contains("76\u{202F}%")
            && html.contains("59\u{202F}%")
    );
    assert!(html.contains("Bilan d’activité 2024"));
    assert!(html.contains("du 1<sup>er</sup> janvier 2015 au 31 décembre 2024"));
    assert!(html.contains("2023\u{202F}: 2\u{202F}372"), "Y-1 beside Y");
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

/// Each input's hash in the manifest is the SHA-256 of the file as it is
/// on disk, whatever its encoding (a text file is hashed while its rows
/// are read, its byte order mark included).
#[test]
fn the_manifest_hashes_each_input_as_it_is_on_disk() {
    use sha2::{Digest, Sha256};
    for fixture in [
        "dialect_utf8_bom_comma_crlf",
        "dialect_utf16_tab",
        "dialect_windows_1252",
        "rule_encodage_mixte",
        "dialect_tab_quoted_multiline",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r");
        let input = repo("tests/fixtures").join(fixture);
        assert!(report(&input, &out, &[]).status.success(), "{fixture}");
        let manifest: serde_json::Value =
            serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
        let inputs = manifest["inputs"].as_array().unwrap();
        assert!(inputs.len() >= 3, "{fixture}");
        for listed in inputs {
            let name = listed["name"].as_str().unwrap();
            let bytes = std::fs::read(input.join(name)).unwrap();
            assert_eq!(
                listed["sha256"],
                format!("{:x}", Sha256::digest(&bytes)),
                "{fixture}/{name}"
            );
        }
    }
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
    assert_eq!(
        json["key_figures"].as_array().unwrap().len(),
        12,
        "eleven indicators and the median délai (no actions table here)"
    );

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

    // The guide for someone rewording a template names every template and
    // every key of the context, and nothing else.
    let guide = read(&repo("docs/templates.md"));
    let first_column = |header: &str| -> std::collections::BTreeSet<String> {
        let table = &guide[guide.find(header).unwrap()..];
        table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .flat_map(|line| {
                let cell = line.split('|').nth(1).unwrap_or_default();
                cell.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let documented = first_column("| file | what it renders |");
    let shipped: std::collections::BTreeSet<String> = std::fs::read_dir(repo("report_templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(documented, shipped, "docs/templates.md's list of templates");
    let keys: std::collections::BTreeSet<String> =
        json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        first_column("| key | content |"),
        keys,
        "docs/templates.md's table of the context"
    );
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
        let path = entry.unwrap().path();
        let text = super::report_workbook::searchable_text(&path);
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

/// The Sommaire of a report's HTML: (link target, title, page number).
fn sommaire_of(html: &str) -> Vec<(String, String, Option<u32>)> {
    let start = html
        .find("<nav class=\"chapter sommaire\"")
        .expect("a Sommaire");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let between = |text: &str, open: &str, close: &str| -> Option<String> {
        let from = text.find(open)? + open.len();
        Some(text[from..from + text[from..].find(close)?].to_string())
    };
    nav.split("<li>")
        .skip(1)
        .map(|item| {
            (
                between(item, "<a href=\"#", "\"").unwrap(),
                between(item, "<span class=\"toc-title\">", "</span>").unwrap(),
                between(item, "<span class=\"toc-page\">", "</span>").map(|n| n.parse().unwrap()),
            )
        })
        .collect()
}

/// The text of each page of a PDF, its whitespace runs made single spaces.
fn pages_of(pdf: &Path) -> Vec<String> {
    let text = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(text.stdout).unwrap();
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| page.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    pages.pop(); // after the last form feed
    pages
}

#[test]
fn the_pdf_has_page_numbers_bookmarks_and_a_true_sommaire() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let output = report(&repo("sample_data"), &out, &["--pdf"]);
    assert!(
        output.status.success(),
        "--pdf needs Debian's chromium (.ci/run installs it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = out.join("bilan.pdf");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let pages = pages_of(&pdf);
    assert_eq!(
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim(),
        pages.len().to_string()
    );
    // (v3) Profil (suite) and Réseau add about ten pages.
    assert!((12..=50).contains(&pages.len()), "{} pages", pages.len());
    assert!(pages[0].contains("Bilan d’activité 2024"));
    assert!(!pages[0].contains("Page 1 /"), "no footer on the cover");
    assert!(
        pages[1].contains(&format!("Page 2 / {}", pages.len())),
        "page numbers in the footer"
    );

    // Each number of the Sommaire is the page where its section's heading
    // stands: the page starts with it, and the Sommaire's page shows it.
    let html = read(&out.join("bilan.html"));
    let sommaire = sommaire_of(&html);
    assert_eq!(sommaire.len(), 13, "{sommaire:?}");
    let mut previous = 2;
    for (id, title, page) in &sommaire {
        let page = page.unwrap_or_else(|| panic!("no page number for {title}"));
        assert!(
            page > previous,
            "{title} on page {page}, after page {previous}"
        );
        previous = page;
        let text = &pages[page as usize - 1];
        assert!(
            text.starts_with(title.as_str()),
            "page {page} of {title} (#{id}) starts with: {}",
            &text[..80.min(text.len())]
        );
        assert!(
            pages[1].contains(&format!("{title} {page}")),
            "the Sommaire page shows {title} {page}"
        );
    }
    assert!(pages[1].starts_with("Sommaire"));

    // The bookmarks a reader sees: the title, then the Sommaire and every
    // section, each titled as its heading on its page.
    let doc = lopdf::Document::load(&pdf).unwrap();
    // The Sommaire's links stay clickable in the PDF.
    let links: Vec<String> = doc
        .get_page_annotations(doc.get_pages()[&2])
        .unwrap()
        .iter()
        .filter_map(|link| link.get(b"Dest").ok()?.as_name().ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    let ids: Vec<String> = sommaire.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(links, ids, "the links of the Sommaire's page");
    let toc = doc.get_toc().expect("the PDF has an outline").toc;
    let titles: Vec<&str> = toc.iter().map(|t| t.title.as_str()).collect();
    assert!(toc.len() >= 8, "{titles:?}");
    assert_eq!((toc[0].level, titles[0]), (1, "Bilan d’activité 2024"));
    for expected in [
        "Sommaire",
        "Synthèse",
        "Chiffres clés 2024",
        "Sources et limites",
        "Méthodologie",
    ] {
        let entry = toc
            .iter()
            .find(|t| t.title == expected)
            .unwrap_or_else(|| panic!("no bookmark {expected}: {titles:?}"));
        assert_eq!(entry.level, 2, "{expected} is a section under the title");
    }
    for entry in &toc {
        assert!(
            pages[entry.page - 1].contains(&entry.title),
            "the bookmark {:?} is not the text of its page {}",
            entry.title,
            entry.page
        );
    }
}

/// The report of the small export printed with `templates` overriding
/// built-in ones: its HTML, the text of each PDF page, and stderr.
fn printed_with(templates: &[(&str, &str)]) -> (String, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("modeles");
    std::fs::create_dir(&folder).unwrap();
    for (name, source) in templates {
        std::fs::write(folder.join(name), source).unwrap();
    }
    let out = dir.path().join("r");
    let output = report_command(
        &repo("tests/fixtures/clean_export"),
        &out,
        &["--pdf", "--templates", folder.to_str().unwrap()],
    )
    .env("BILAN_TIMINGS", "1")
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (
        read(&out.join("bilan.html")),
        pages_of(&out.join("bilan.pdf")),
        stderr,
    )
}

#[test]
fn a_page_number_that_cannot_be_confirmed_is_left_out() {
    // A section the PDF has no page for (its id renamed in a user's
    // template): the Sommaire keeps its links, and shows no number.
    let (html, pages, stderr) = printed_with(&[(
        "methodologie.html",
        "<section class=\"chapter\" id=\"notre-methode\"><h2>Notre méthode</h2></section>",
    )]);
    assert!(stderr.contains("warning: the PDF's Sommaire shows no page numbers (no page for the section #methodologie"), "{stderr}");
    assert!(sommaire_of(&html).iter().all(|(_, _, page)| page.is_none()));
    assert!(
        pages[1].starts_with(
            "Sommaire Synthèse Chiffres clés Le dispositif Évolution Personnes accompagnées"
        ),
        "{}",
        pages[1]
    );

    // Numbers that move the sections at each print (a page break before
    // the Sommaire's end whenever the first number is odd) are never
    // confirmed: after a few prints, the report is printed without them.
    let odd_breaks = BUILTIN_SOMMAIRE.replace(
        "  </ol>",
        "  </ol>{% if toc.0.page and toc.0.page is odd %}<p style=\"break-before: page\">Suite</p>{% endif %}",
    );
    assert_ne!(odd_breaks, BUILTIN_SOMMAIRE);
    let (html, pages, stderr) = printed_with(&[("sommaire.html", &odd_breaks)]);
    assert!(
        stderr.contains("(the pages moved at each print)"),
        "{stderr}"
    );
    assert!(sommaire_of(&html).iter().all(|(_, _, page)| page.is_none()));
    assert!(pages[2].starts_with("Synthèse"), "{}", pages[2]);
}

#[test]
fn numbers_that_lengthen_the_sommaire_are_printed_again_until_they_hold() {
    // Numbers that push every section one page on (the Sommaire takes a
    // second page once it has them, but not with the placeholders) are
    // read again from a new print of the whole report.
    let longer = BUILTIN_SOMMAIRE.replace(
        "  </ol>",
        "  </ol>{% if toc.0.page and toc.0.page < 10 %}<p style=\"break-before: page\">Suite</p>{% endif %}",
    );
    let (html, pages, stderr) = printed_with(&[("sommaire.html", &longer)]);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        stderr.contains("the report printed whole again"),
        "{stderr}"
    );
    let sommaire = sommaire_of(&html);
    assert_eq!(
        sommaire[0].2,
        Some(4),
        "Chiffres clés after the cover and two Sommaire pages"
    );
    for (_, title, page) in sommaire {
        let page = page.unwrap();
        assert!(
            pages[page as usize - 1].starts_with(&title),
            "{title} is not on page {page}"
        );
    }
}

const BUILTIN_SOMMAIRE: &str = include_str!("../../report_templates/sommaire.html");

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

/// A `--chrome` that is not a browser is refused at once, saying what it
/// answered, before the export is read: launching it would wait minutes
/// for a debugging address it never prints.
#[test]
fn a_chrome_that_is_not_a_browser_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let output = report(
        &repo("tests/fixtures/clean_export"),
        &dir.path().join("r"),
        &["--pdf", "--chrome", "/bin/false"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--chrome /bin/false: this is not Chromium"),
        "{stderr}"
    );
    assert!(stderr.contains("/usr/bin/chromium"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(!dir.path().join("r").exists());
}

/// A team's report shows the persons it shares with other teams in the
/// year (co-accompaniment), not itself alone.
#[test]
fn a_team_report_shows_the_persons_shared_with_other_teams() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = report(
        &repo("tests/fixtures/delais_edges"),
        &out,
        &["--by-team", "--min-count", "1", "--year", "2024"],
    );
    assert!(output.status.success());
    let shared = |team: &str| -> serde_json::Value {
        let json: serde_json::Value =
            serde_json::from_str(&read(&out.join(team).join("breakdowns.json"))).unwrap();
        json["persons_by_team"].clone()
    };
    // U1 and U8 are followed by both teams in 2024.
    assert_eq!(
        shared("ERHR-BRE"),
        serde_json::json!([{"value": "ERHR-NA", "count": 2}])
    );
    assert_eq!(
        shared("ERHR-NA"),
        serde_json::json!([{"value": "ERHR-BRE", "count": 2}])
    );
    let html = read(&out.join("ERHR-BRE/bilan.html"));
    assert!(html.contains("Personnes accompagnées aussi par une autre équipe"));
    // A team's acts are its own: no chart of them by team, all zeros.
    for by_team in ["Demandes par équipe", "Interventions par équipe"] {
        assert!(!html.contains(by_team), "{by_team} in a team's report");
        assert!(read(&out.join("national/bilan.html")).contains(by_team));
    }
    let national: serde_json::Value =
        serde_json::from_str(&read(&out.join("national/breakdowns.json"))).unwrap();
    assert_eq!(national["persons_by_team"].as_array().unwrap().len(), 2);
}

/// SPEC §4.3: series.json holds every year from A to Y, each computed as a
/// year of its own, with the distinct persons cumulated since A.
#[test]
fn the_series_holds_every_year_as_computed_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sample = repo("sample_data");
    let output = report(&sample, &out, &["--min-count", "1", "--since", "2020"]);
    assert!(output.status.success());
    let series: serde_json::Value = serde_json::from_str(&read(&out.join("series.json"))).unwrap();
    assert_eq!(series["first_year"], 2020);
    let years = series["years"].as_array().unwrap();
    let last = series["last_year"].as_i64().unwrap();
    assert_eq!(years.len() as i64, last - 2020 + 1);
    let mut cumulated_before = 0;
    for year in years {
        let y = year["year"].as_i64().unwrap();
        let alone = bilan()
            .args([
                "indicators",
                "--format",
                "json",
                "--year",
                &y.to_string(),
                "--input",
            ])
            .arg(&sample)
            .output()
            .unwrap();
        let alone: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
        assert_eq!(year["rows"], alone["rows"], "{y}");
        assert_eq!(year["delais"], alone["delais"], "{y}");
        let national = |key: &str| -> u64 {
            year[key]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["scope"] == "national")
                .map(|r| {
                    r.get("personnes_cumulees")
                        .or(r.get("numerator"))
                        .unwrap()
                        .as_u64()
                        .unwrap()
                })
                .unwrap()
        };
        let cumulated = national("cumulated");
        let active = national("rows");
        assert!(cumulated >= cumulated_before && cumulated >= active, "{y}");
        if y == 2020 {
            assert_eq!(
                cumulated, active,
                "the first year's cumulated persons are its own"
            );
        }
        cumulated_before = cumulated;
    }
    let html = read(&out.join("bilan.html"));
    assert!(html.contains(&format!("Évolution 2020–{last}")));
    assert!(html.contains("Personnes accompagnées par équipe et par année"));
}
