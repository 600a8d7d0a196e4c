//! The publication outputs (SPEC §6 v3, "Publication outputs") and the
//! glossary (item 12), read as their readers would: the web text of
//! `sample_data` 2024 as the GNCHR published it, a team's wording, masked
//! figures left out, the infographic read back as XML, the simplified
//! version, the data package against the files it describes, and every
//! acronym of the reports in the glossary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::support::{read, repo, report, sample_export};
use sha2::{Digest, Sha256};

/// `report --by-team` on `sample_data`, written once for the tests of this
/// file.
fn sample_by_team() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        report(
            &repo("sample_data"),
            &dir.path().join("out"),
            &["--by-team"],
        );
        dir
    })
    .path()
    .join("out")
    .leak()
}

/// `report --by-team` on a small generated export whose teams have masked
/// figures (the export of the secrecy tests).
fn tiny_by_team() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = sample_export(dir.path(), 90, 5);
        report(&input, &dir.path().join("out"), &["--by-team"]);
        dir
    })
    .path()
    .join("out")
    .leak()
}

/// The report folders of a `--by-team` run.
fn folders(out: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

/// The web text of `sample_data` 2024 (SPEC §6), with French typography:
/// U+202F in numbers, before `:` and `%` and inside « », and the French
/// apostrophe. The two figures the sample export has no column for (the
/// associated disorders, the types of accompaniment) are left out.
const CHIFFRES_CLES_2024: &str = "En 2024 ce sont notamment\u{202F}:
2\u{202F}345 personnes en situation de handicap rare accompagnées par les ERHR et les CNRHR
627 nouvelles personnes qui ont sollicité le DIHR
63\u{202F}% des personnes ont une maladie rare diagnostiquée
76\u{202F}% des personnes vivent à domicile
35\u{202F}% des personnes ont au moins un trouble du neurodéveloppement
59\u{202F}% des enfants âgés de 3 à 16 ans sont scolarisés
35\u{202F}% des personnes ont bénéficié au moins d’une visite à domicile ou en établissement
53\u{202F}% des personnes ont moins de 20 ans
590 personnes sont «\u{202F}sans solution\u{202F}»
1\u{202F}643 personnes présentent au moins un trouble associé
1 personne accompagnée cumule en moyenne 4 types d’accompagnements médico-sociaux ou sanitaires
23 jours de délai médian entre la première demande et la première intervention
1\u{202F}287 actions collectives auprès de 19\u{202F}740 participants
";

/// The 2024 text as SPEC §6 quotes it (the GNCHR's website).
const PUBLISHED_2024: [&str; 8] = [
    "En 2024 ce sont notamment :",
    "2 345 personnes en situation de handicap rare accompagnées par les ERHR et les CNRHR",
    "627 nouvelles personnes qui ont sollicité le DIHR",
    "63 % des personnes ont une maladie rare diagnostiquée",
    "76 % des personnes vivent à domicile",
    "35 % des personnes ont au moins un trouble du neurodéveloppement",
    "59 % des enfants âgés de 3 à 16 ans sont scolarisés",
    "35 % des personnes ont bénéficié au moins d'une visite à domicile ou en établissement",
];

#[test]
fn the_key_figures_of_sample_data_2024_read_as_the_published_text() {
    let national = sample_by_team().join("national");
    let text = read(&national.join("chiffres_cles.txt"));
    assert_eq!(text, CHIFFRES_CLES_2024);
    // Figure for figure the GNCHR's own words, typography aside.
    let plain = text.replace('\u{202F}', " ").replace('’', "'");
    for (line, published) in plain.lines().zip(PUBLISHED_2024) {
        assert_eq!(line, published);
    }
    assert!(!text.contains('\r') && text.ends_with('\n'));
    // The same text, as a whole page.
    let html = read(&national.join("chiffres_cles.html"));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html.contains("<main>") && html.contains("<h1>Chiffres clés 2024</h1>"));
    let items: Vec<String> = html
        .split("<li ")
        .skip(1)
        .map(|li| strip_tags(li.split_once('>').unwrap().1.split("</li>").next().unwrap()))
        .collect();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(items, lines);
}

/// `text` without its tags.
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&amp;", "&")
}

#[test]
fn a_team_folder_says_it_of_the_team() {
    let out = sample_by_team();
    let bretagne = read(&out.join("ERHR-BRE/chiffres_cles.txt"));
    assert!(
        bretagne.starts_with("En 2024, l’ERHR Bretagne, ce sont notamment\u{202F}:\n136 personnes en situation de handicap rare accompagnées par l’équipe\n46 nouvelles personnes qui ont sollicité l’équipe\n"),
        "{bretagne}"
    );
    assert!(read(&out.join("CNRHR-CRESAM/chiffres_cles.txt")).starts_with("En 2024, le CRESAM,"));
    assert!(
        read(&out.join("CNRHR-PEPINIERE/chiffres_cles.txt")).starts_with("En 2024, La Pépinière,")
    );
    let simplified = read(&out.join("ERHR-BRE/version_simplifiee.html"));
    assert!(simplified.contains("<p>En 2024, l’ERHR Bretagne a accompagné 136 personnes.</p>"));
}

/// The figures a folder publishes for its own scope, by the `id` the web
/// text gives them: every indicator row not masked (and, for a rate, with
/// a denominator), the median délai when published, the actions.
fn published_ids(folder: &Path) -> BTreeSet<String> {
    let scope = folder.file_name().unwrap().to_str().unwrap().to_string();
    let mut ids = BTreeSet::new();
    for line in read(&folder.join("indicators.csv")).lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (row_scope, id, numerator, denominator, suppressed) =
            (cells[0], cells[2], cells[3], cells[4], cells[6]);
        let rate = !matches!(id, "personnes_accompagnees" | "nouvelles_personnes")
            && id != "personnes_sans_solution";
        if row_scope != scope || suppressed == "true" || numerator.is_empty() {
            continue;
        }
        if rate && denominator.parse::<u64>().unwrap_or(0) == 0 {
            continue;
        }
        ids.insert(id.to_string());
    }
    for line in read(&folder.join("delais.csv")).lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[0] == scope && !cells[3].is_empty() {
            ids.insert("delai_median".to_string());
        }
    }
    if read(&folder.join("actions.csv")).lines().count() > 1 {
        ids.insert("actions_collectives".to_string());
    }
    ids
}

/// The ids of the figures of a folder's `chiffres_cles.html`.
fn text_ids(folder: &Path) -> BTreeSet<String> {
    read(&folder.join("chiffres_cles.html"))
        .split("<li id=\"")
        .skip(1)
        .map(|li| li.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_masked_figure_is_left_out_never_written_small() {
    let mut left_out = 0;
    for out in [sample_by_team(), tiny_by_team()] {
        for folder in folders(out) {
            let name = folder.display().to_string();
            let published = published_ids(&folder);
            let shown = text_ids(&folder);
            assert_eq!(shown, published, "{name}");
            let scope = folder.file_name().unwrap().to_str().unwrap().to_string();
            left_out += read(&folder.join("indicators.csv"))
                .lines()
                .filter(|l| l.starts_with(&format!("{scope},")) && l.ends_with(",true"))
                .count();
            let text = read(&folder.join("chiffres_cles.txt"));
            let simplified = read(&folder.join("version_simplifiee.html"));
            let svg = read(&folder.join("chiffres_cles.svg"));
            for page in [&text, &simplified, &svg] {
                assert!(
                    !page.contains("<\u{a0}5") && !page.contains("&lt;\u{a0}5"),
                    "{name}"
                );
                assert!(!page.contains(" s ") && !page.contains("masqu"), "{name}");
            }
            assert_eq!(text.lines().count(), 1 + shown.len(), "{name}");
        }
    }
    assert!(left_out > 0, "the exports must exercise a masked figure");
}

/// An SVG element: its name, its attributes and its text.
type Element = (String, Vec<(String, String)>, String);

/// The attributes and text of every element of an SVG, in document order.
fn svg_elements(svg: &str) -> Vec<Element> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                        (a.key.as_ref().to_string(), value)
                    })
                    .collect();
                elements.push((e.name().as_ref().to_string(), attributes, String::new()));
                if matches!(event, Event::Start(_)) {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].2.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    elements[i].2.push_str(match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        other => panic!("&{other};"),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    elements
}

#[test]
fn the_infographic_is_an_a4_page_of_real_text_whose_desc_is_the_text() {
    for folder in folders(sample_by_team()) {
        let svg = read(&folder.join("chiffres_cles.svg"));
        let elements = svg_elements(&svg);
        let attribute = |i: usize, key: &str| -> String {
            elements[i]
                .1
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(elements[0].0, "svg");
        assert_eq!(attribute(0, "viewBox"), "0 0 210 297");
        assert_eq!(attribute(0, "width"), "210mm");
        assert_eq!(attribute(0, "role"), "img");
        let desc = elements.iter().find(|e| e.0 == "desc").unwrap();
        let text = read(&folder.join("chiffres_cles.txt"));
        assert_eq!(desc.2, text.trim_end());
        assert!(elements
            .iter()
            .any(|e| e.0 == "title" && e.2.starts_with("Chiffres clés 2024")));
        let texts: Vec<usize> = (0..elements.len())
            .filter(|&i| elements[i].0 == "text")
            .collect();
        for &i in &texts {
            let size: f64 = attribute(i, "font-size").parse().unwrap();
            assert!(size >= 4.2, "{:?}", elements[i]);
        }
        // The tiles' values, in the order of the text.
        let values: Vec<&str> = texts
            .iter()
            .filter(|&&i| {
                attribute(i, "font-weight") == "bold" && attribute(i, "fill") == "#1f5f8b"
            })
            .map(|&i| elements[i].2.as_str())
            .collect();
        let html = read(&folder.join("chiffres_cles.html"));
        let strong: Vec<String> = html
            .split("<strong>")
            .skip(1)
            .map(|s| strip_tags(s.split("</strong>").next().unwrap()))
            .collect();
        assert_eq!(values, strong, "{}", folder.display());
    }
}

#[test]
fn the_simplified_version_is_a_draft_of_short_sentences_in_large_type() {
    let html = read(&sample_by_team().join("national/version_simplifiee.html"));
    assert!(html.contains("p { font-size: 1.4rem;"));
    assert!(html.contains("text-align: left"));
    let paragraphs: Vec<String> = html
        .split("<p")
        .skip(1)
        .map(|p| strip_tags(p.split_once('>').unwrap().1.split("</p>").next().unwrap()))
        .collect();
    assert_eq!(
        paragraphs[0],
        "Brouillon\u{202F}: ce texte doit être relu et validé par un groupe FALC avant d’être publié."
    );
    assert_eq!(
        &paragraphs[1..],
        [
            "En 2024, les équipes ont accompagné 2\u{202F}345 personnes.",
            "Plus de la moitié des personnes ont moins de 20 ans.",
            "627 personnes ont demandé de l’aide pour la première fois.",
            "Environ 3 personnes sur 4 vivent à la maison.",
            "Entre 3 et 16 ans, plus de la moitié des enfants vont à l’école.",
            "Environ 2 personnes sur 3 ont une maladie rare connue des médecins.",
            "Environ 1 personne sur 3 a un trouble du développement du cerveau, comme l’autisme.",
            "590 personnes n’ont pas d’accompagnement adapté à leurs besoins.",
            "Les équipes ont rendu visite à environ 1 personne sur 3.",
            "La moitié des nouvelles personnes qui ont eu une réponse l’ont eue en 23 jours ou moins.",
            "Les équipes ont fait 1\u{202F}287 actions pour des groupes, comme des formations.",
            "Ces actions ont réuni 19\u{202F}740 participants.",
        ]
    );
    for sentence in &paragraphs[1..] {
        assert_eq!(
            sentence.matches(". ").count(),
            0,
            "one sentence a line: {sentence}"
        );
    }
}

#[test]
fn the_data_package_describes_every_csv_but_the_findings_as_written() {
    for out in [sample_by_team(), tiny_by_team()] {
        for folder in folders(out) {
            let package: serde_json::Value =
                serde_json::from_str(&read(&folder.join("datapackage.json"))).unwrap();
            let mut csvs: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".csv") && n != "findings.csv")
                .collect();
            csvs.sort();
            let resources = package["resources"].as_array().unwrap();
            let mut paths: Vec<String> = resources
                .iter()
                .map(|r| r["path"].as_str().unwrap().to_string())
                .collect();
            paths.sort();
            assert_eq!(paths, csvs, "{}", folder.display());
            for resource in resources {
                let path = folder.join(resource["path"].as_str().unwrap());
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(resource["bytes"], bytes.len());
                assert!(resource.get("hash").is_none(), "no hash is published");
                let header = String::from_utf8(bytes).unwrap();
                let header = header.lines().next().unwrap();
                let fields: Vec<&str> = resource["schema"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap())
                    .collect();
                assert_eq!(header, fields.join(","));
                for field in resource["schema"]["fields"].as_array().unwrap() {
                    assert!(!field["title"].as_str().unwrap().is_empty());
                    assert!(!field["description"].as_str().unwrap().is_empty());
                }
                assert_eq!(resource["schema"]["missingValues"], serde_json::json!([""]));
                assert!(!resource["schema"]["primaryKey"]
                    .as_array()
                    .unwrap()
                    .is_empty());
                if ["indicators.csv", "delais.csv"].contains(&resource["path"].as_str().unwrap()) {
                    assert!(header.ends_with(",suppressed"));
                }
            }
        }
    }
}

/// A label quoted inside a sentence loses its capital, not its acronyms:
/// « au moins un TND », « accompagnées par les ERHR et les CNRHR ».
#[test]
fn labels_in_sentences_keep_their_acronyms() {
    let lowered = ["un tnd", "(tnd)", "les erhr", "les cnrhr", "le dihr"];
    for folder in folders(sample_by_team()) {
        for file in ["bilan.html", "controle.html", "datapackage.json"] {
            let path = folder.join(file);
            if !path.exists() {
                continue;
            }
            let text = read(&path);
            for words in lowered {
                assert!(!text.contains(words), "{}: « {words} »", path.display());
            }
        }
    }
}

/// The workbooks say what the report says: the real mark of a masked
/// count, a team's own labels, one title a table, a finding's first lines
/// as the control page lists them.
#[test]
fn the_workbooks_read_as_the_report_does() {
    let out = sample_by_team();
    let texts = |path: &Path, sheet: &str| -> Vec<Vec<String>> {
        let sheets = super::report_workbook::sheets(path);
        let (_, rows) = sheets
            .iter()
            .find(|(name, _)| name == sheet)
            .unwrap_or_else(|| panic!("{}: no sheet {sheet}", path.display()));
        rows.iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let about = texts(&out.join("national/bilan.xlsx"), "À propos").concat();
    assert!(
        about
            .iter()
            .any(|c| c.contains("«\u{202f}<\u{a0}5\u{202f}»")),
        "{about:?}"
    );
    assert!(!about.iter().any(|c| c.contains("< K")), "{about:?}");
    // The team's own table, before the national one for comparison.
    let key: Vec<String> = texts(&out.join("ERHR-BRE/bilan.xlsx"), "Chiffres clés")
        .into_iter()
        .take_while(|row| !row.iter().any(|c| c.contains("pour comparaison")))
        .flatten()
        .collect();
    assert!(key
        .iter()
        .any(|c| c == "Personnes accompagnées par l’équipe"));
    assert!(!key.iter().any(|c| c.contains("par les ERHR et les CNRHR")));
    for sheet in ["Profil (suite)", "Réseau"] {
        let rows = texts(&out.join("national/bilan.xlsx"), sheet);
        for pair in rows.windows(2) {
            let first = |row: &Vec<String>| row.first().cloned().unwrap_or_default();
            assert!(
                first(&pair[0]).is_empty() || first(&pair[0]) != first(&pair[1]),
                "{sheet}: « {} » twice",
                first(&pair[0])
            );
        }
    }
    // A masked mean reads as a masked rate does, as the note says.
    let key = texts(&out.join("CNRHR-PEPINIERE/bilan.xlsx"), "Chiffres clés");
    let mean = key
        .iter()
        .find(|row| {
            row.first()
                .is_some_and(|c| c.starts_with("Types d’accompagnement"))
        })
        .expect("the mean's row");
    assert_eq!(mean[1..5], ["s", "s", "7", "s"], "{mean:?}");
    // The actions' sums and the actions that fill them in: two numbers.
    let actions = texts(&out.join("national/bilan.xlsx"), "Actions collectives");
    assert!(actions
        .iter()
        .flatten()
        .any(|c| c == "Participants : actions renseignées"));
    assert!(
        !actions.iter().flatten().any(|c| c.ends_with(')')
            && c.contains(" (")
            && c.chars().next().is_some_and(|c| c.is_ascii_digit())),
        "a figure and its fill joined in one text cell"
    );
    // A fill rate the page shows as « > 99 % » reads the same in the
    // workbook, its exact value kept.
    let mut styles = String::new();
    let file = std::fs::File::open(out.join("national/controle.xlsx")).unwrap();
    std::io::Read::read_to_string(
        &mut zip::ZipArchive::new(file)
            .unwrap()
            .by_name("xl/styles.xml")
            .unwrap(),
        &mut styles,
    )
    .unwrap();
    assert!(
        styles.contains("formatCode=\"&quot;&gt;\u{a0}99\u{202f}%&quot;\""),
        "{styles}"
    );
    let findings = texts(&out.join("national/controle.xlsx"), "Signalements");
    let column = findings[1..]
        .iter()
        .position(|row| row.iter().any(|c| c == "Premières lignes"))
        .map(|at| &findings[at + 1])
        .and_then(|header| header.iter().position(|c| c == "Premières lignes"))
        .expect("a column of first lines");
    let listed: Vec<&String> = findings.iter().filter_map(|row| row.get(column)).collect();
    assert!(
        listed.iter().any(|c| c.contains(", ") && c.ends_with('…')),
        "{listed:?}"
    );
}

/// The control page quotes a value of the export as it is, so that the
/// analyst finds it there: no typographic apostrophe in it; a team's page
/// says which of its counts are the whole export's.
#[test]
fn the_control_page_quotes_the_export_as_it_is() {
    let page = read(&sample_by_team().join("national/controle.html"));
    assert!(
        page.contains("<samp>Troubles de l&#x27;attention</samp>"),
        "the value column keeps the export's apostrophe"
    );
    assert!(!page.contains("Les fichiers de l’export entier"));
    // A team's page says what its counts cover, and that nothing moved.
    let team = read(&sample_by_team().join("ERHR-BRE/controle.html"));
    assert!(team.contains("Les fichiers de l’export entier, toutes équipes confondues"));
    assert!(team.contains("Aucune évolution ne dépasse les seuils."));
}

#[test]
fn restricted_figures_get_no_data_package_and_say_so_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    report(&repo("sample_data"), &out, &["--min-count", "1"]);
    assert!(!out.join("datapackage.json").exists());
    assert!(!read(&out.join("manifest.json")).contains("datapackage.json"));
    assert!(read(&out.join("indicators.csv"))
        .starts_with("scope,year,indicator,numerator,denominator,not_filled,suppressed\n"));
    for file in [
        "chiffres_cles.txt",
        "chiffres_cles.html",
        "chiffres_cles.svg",
        "version_simplifiee.html",
    ] {
        assert!(
            read(&out.join(file)).contains("Diffusion restreinte"),
            "{file}"
        );
    }
    let about = &super::report_workbook::sheets(&out.join("bilan.xlsx"))[0];
    let cells: Vec<String> = about.1.iter().flatten().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "chiffres_cles.svg"));
    assert!(!cells.iter().any(|c| c == "datapackage.json"));
}

#[test]
fn every_publication_file_is_in_the_manifest_and_the_workbook() {
    let national = sample_by_team().join("national");
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&national.join("manifest.json"))).unwrap();
    let about = &super::report_workbook::sheets(&national.join("bilan.xlsx"))[0];
    assert_eq!(about.0, "À propos");
    let cells: Vec<String> = about.1.iter().flatten().map(|c| c.to_string()).collect();
    for file in [
        "chiffres_cles.txt",
        "chiffres_cles.html",
        "chiffres_cles.svg",
        "version_simplifiee.html",
        "datapackage.json",
    ] {
        let bytes = std::fs::read(national.join(file)).unwrap();
        assert!(
            manifest["outputs"].as_array().unwrap().iter().any(
                |o| o["file"] == file && o["sha256"] == format!("{:x}", Sha256::digest(&bytes))
            ),
            "{file} in the manifest"
        );
        assert!(cells.iter().any(|c| c == file), "{file} in À propos");
    }
}

/// The running text of a page: outside tags, and outside `<head>`,
/// `<svg>`, `<script>`, `<style>` and the chart images.
fn running_text(html: &str) -> String {
    let body = html.split_once("</head>").map_or(html, |(_, body)| body);
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let after = &rest[open..];
        let skipped = ["<svg", "<script", "<style"]
            .iter()
            .find(|tag| after.starts_with(**tag))
            .map(|tag| format!("</{}>", &tag[1..]));
        rest = match skipped {
            Some(close) => after.split_once(close.as_str()).map_or("", |(_, r)| r),
            None => {
                // An attribute value may hold `>` (a chart's data URL): find
                // the tag's end outside quotes.
                let mut quote = None;
                let mut end = after.len();
                for (i, c) in after.char_indices().skip(1) {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(c),
                        (None, '>') => {
                            end = i + 1;
                            break;
                        }
                        _ => {}
                    }
                }
                &after[end..]
            }
        };
    }
    text.push_str(rest);
    text.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
}

/// The glossary's acronyms, read from its data file as a reader of the
/// repository would.
fn glossary() -> BTreeSet<String> {
    read(&repo("src/reference/data/glossaire.csv"))
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_string())
        .collect()
}

/// The team codes and the words of the team names of the referential
/// (`CRESAM`, `FAHRES`) but those of the glossary (`ERHR`, `PACA`), with
/// the codes of the run's folders (a code outside the referential
/// included).
fn team_words(out: &Path, glossary: &BTreeSet<String>) -> BTreeSet<String> {
    let mut words: BTreeSet<String> = folders(out)
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    words.insert("ERHR-BRET".to_string());
    for line in read(&repo("src/reference/data/teams.csv")).lines().skip(1) {
        let mut cells = line.split(',');
        words.insert(cells.next().unwrap().to_string());
        words.extend(
            cells
                .next()
                .unwrap()
                .split(' ')
                .filter(|w| !glossary.contains(*w))
                .map(str::to_string),
        );
    }
    words
}

/// Every all-capitals word of the text: runs of letters, digits and
/// hyphens; a run that is a team code stays whole, any other is split on
/// its hyphens; a word of two letters or more, letters only, none lower
/// case.
fn capitals(text: &str, teams: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let token = token.trim_matches('-');
        if token.is_empty() || teams.contains(token) {
            continue;
        }
        for part in token.split('-') {
            // Letters only: an id such as `AC000002` is not a word.
            let word = part.chars().count() >= 2 && part.chars().all(char::is_alphabetic);
            if word && !part.chars().any(char::is_lowercase) && !teams.contains(part) {
                found.push(part.to_string());
            }
        }
    }
    found
}

#[test]
fn every_acronym_of_the_reports_is_in_the_glossary_and_marked_once() {
    let out = sample_by_team();
    let glossary = glossary();
    let teams = team_words(out, &glossary);
    for folder in folders(out) {
        let html = read(&folder.join("bilan.html"));
        let name = folder.display().to_string();
        // The data-quality section quotes the export's own values (an
        // unrecognised `TOC`): they are the export's words, not the
        // report's.
        let words = match html.split_once("id=\"qualite\"") {
            Some((before, after)) => {
                format!(
                    "{before}{}",
                    after.split_once("</section>").map_or("", |(_, r)| r)
                )
            }
            None => html.clone(),
        };
        let text = running_text(&words);
        let used: Vec<String> = capitals(&text, &teams);
        let missing: BTreeSet<&String> = used.iter().filter(|w| !glossary.contains(*w)).collect();
        assert!(
            missing.is_empty(),
            "{name}: add these to src/reference/data/glossaire.csv: {missing:?}"
        );
        // The first use of each is an <abbr> with its expansion, and only
        // the first.
        let distinct: BTreeSet<&String> = used.iter().collect();
        for acronym in &distinct {
            let marked = format!(">{acronym}</abbr>");
            assert_eq!(html.matches(&marked).count(), 1, "{name}: {acronym}");
            let at = html.find(&marked).unwrap();
            let abbr = html[..at].rfind("<abbr title=\"").unwrap();
            assert!(
                html[abbr..at].len() > "<abbr title=\"\"".len(),
                "{name}: {acronym} expanded"
            );
            let before = capitals(&running_text(&html[..abbr]), &teams);
            assert!(
                !before.contains(acronym),
                "{name}: {acronym} used before its <abbr>"
            );
        }
        assert!(distinct.contains(&"ERHR".to_string()) && distinct.contains(&"TND".to_string()));
        // The Glossaire lists exactly them.
        let list = html
            .split("id=\"glossaire-liste\">")
            .nth(1)
            .unwrap()
            .split("</dl>")
            .next()
            .unwrap();
        let listed: BTreeSet<String> = list
            .split("<dt>")
            .skip(1)
            .map(|dt| dt.split("</dt>").next().unwrap().to_string())
            .collect();
        let distinct: BTreeSet<String> = distinct.into_iter().cloned().collect();
        assert_eq!(listed, distinct, "{name}");
        assert!(html.contains("<h2>Glossaire</h2>"));
    }
}
