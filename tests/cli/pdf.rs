//! The PDF as PDF/UA asks for it (SPEC §6, "Accessibility"), read back
//! from what `report --pdf` writes, and a browser that dies mid-run.

use std::path::Path;

use super::support::{repo, report_command};
use assert_cmd::Command;
use lopdf::content::Content;
use lopdf::{Document, Object};

/// `report --pdf` of the small export, with `SOURCE_DATE_EPOCH` or without.
fn printed(out: &Path, epoch: Option<&str>, extra: &[&str]) -> std::process::Output {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("bilan"));
    command
        .arg("report")
        .arg("--input")
        .arg(repo("tests/fixtures/clean_export"))
        .arg("--out")
        .arg(out)
        .arg("--pdf")
        .args(extra);
    match epoch {
        Some(epoch) => command.env("SOURCE_DATE_EPOCH", epoch),
        None => command.env_remove("SOURCE_DATE_EPOCH"),
    };
    command.env("BILAN_TIMINGS", "1");
    command.output().unwrap()
}

/// A PDF text string read back (UTF-16BE after its byte order mark).
fn text(object: &Object) -> String {
    let bytes = object.as_str().unwrap();
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => String::from_utf16(
            &utf16
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        None => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn info(doc: &Document) -> &lopdf::Dictionary {
    let info = doc.trailer.get(b"Info").unwrap();
    doc.dereference(info).unwrap().1.as_dict().unwrap()
}

#[test]
fn the_pdf_declares_pdf_ua_and_leaves_nothing_untagged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let output = printed(&out, None, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // Printed once, its Sommaire's numbers written in place (BILAN_TIMINGS).
    assert!(
        stderr.contains("the Sommaire's page numbers written in place of the placeholders"),
        "{stderr}"
    );
    assert!(!stderr.contains("printed whole again"), "{stderr}");
    let doc = Document::load(out.join("bilan.pdf")).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"fr-FR");
    assert!(catalog.has(b"StructTreeRoot"), "the PDF is tagged");

    // XMP metadata: title, language, PDF/UA-1; no date without SOURCE_DATE_EPOCH.
    let metadata = doc
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    let title = text(info(&doc).get(b"Title").unwrap());
    assert!(title.starts_with("Bilan d’activité 2024"), "{title}");
    assert!(
        xmp.contains(&format!(
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>"
        )),
        "{xmp}"
    );
    assert!(xmp.contains("<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>"));
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(!xmp.contains("Date>"), "{xmp}");
    assert!(!info(&doc).has(b"CreationDate") && !info(&doc).has(b"ModDate"));

    // Every /Figure left has a text alternative.
    let mut figures = 0;
    for object in doc.objects.values() {
        let Ok(element) = object.as_dict() else {
            continue;
        };
        if element.get(b"S").and_then(Object::as_name).ok() == Some(b"Figure") {
            figures += 1;
            assert!(
                element.has(b"Alt") || element.has(b"ActualText"),
                "a /Figure without /Alt: {element:?}"
            );
        }
    }
    assert!(figures > 0, "the charts are figures");

    let pages = doc.get_pages();
    for (number, &page) in &pages {
        // Nothing drawn outside marked content: the footer is an artifact.
        let content = Content::decode(&doc.get_page_content(page)).unwrap();
        let mut depth = 0i32;
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => depth += 1,
                "EMC" => depth -= 1,
                "Tj" | "TJ" | "'" | "\"" | "f" | "S" | "Do" => {
                    assert!(
                        depth > 0,
                        "page {number}: {} outside marked content",
                        op.operator
                    )
                }
                _ => {}
            }
            assert!(depth >= 0, "page {number}: EMC without its BMC");
        }
        assert_eq!(depth, 0, "page {number}: marked content left open");
        // Every link says where it goes.
        for annot in doc.get_page_annotations(page).unwrap() {
            if annot.get(b"Subtype").unwrap().as_name().unwrap() == b"Link" {
                let contents = text(annot.get(b"Contents").unwrap());
                assert!(contents.starts_with("Aller à "), "{contents}");
            }
        }
    }
    // The Sommaire's links name their section and its page.
    let sommaire: Vec<String> = doc
        .get_page_annotations(pages[&2])
        .unwrap()
        .iter()
        .map(|link| text(link.get(b"Contents").unwrap()))
        .collect();
    assert!(
        sommaire[0].starts_with("Aller à la section «\u{202f}Synthèse\u{202f}», page "),
        "{sommaire:?}"
    );
    assert_eq!(sommaire.len(), 13, "{sommaire:?}");
}

#[test]
fn source_date_epoch_dates_the_pdf_and_two_runs_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let runs: Vec<Vec<u8>> = ["a", "b"]
        .iter()
        .map(|name| {
            let out = dir.path().join(name);
            let output = printed(&out, Some("1735732800"), &[]);
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            std::fs::read(out.join("bilan.pdf")).unwrap()
        })
        .collect();
    if runs[0] != runs[1] {
        // Intermittent under a loaded machine (two CI runs of about thirty):
        // say which objects differ, and keep both PDFs to look at.
        let docs: Vec<Document> = runs
            .iter()
            .map(|r| Document::load_mem(r).unwrap())
            .collect();
        let shown = |doc: &Document, id| {
            let text = format!("{:?}", doc.objects.get(&id));
            text.chars().take(300).collect::<String>()
        };
        let differing: Vec<_> = docs[0]
            .objects
            .keys()
            .chain(docs[1].objects.keys())
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|&id| shown(&docs[0], id) != shown(&docs[1], id))
            .collect();
        let first = differing.first().copied();
        panic!(
            "two runs printed different PDFs (kept in {}): {} and {} pages; {} objects differ: {:?}; \
             the first is\n{}\nagainst\n{}",
            dir.keep().display(),
            docs[0].get_pages().len(),
            docs[1].get_pages().len(),
            differing.len(),
            &differing[..differing.len().min(10)],
            first.map_or(String::new(), |id| shown(&docs[0], id)),
            first.map_or(String::new(), |id| shown(&docs[1], id)),
        );
    }
    let doc = Document::load_mem(&runs[0]).unwrap();
    let date = text(info(&doc).get(b"CreationDate").unwrap());
    assert_eq!(date, "D:20250101120000Z");
    assert_eq!(text(info(&doc).get(b"ModDate").unwrap()), date);
    let metadata = doc
        .get_object(
            doc.catalog()
                .unwrap()
                .get(b"Metadata")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    assert!(
        xmp.contains("<xmp:CreateDate>2025-01-01T12:00:00Z</xmp:CreateDate>"),
        "{xmp}"
    );
}

/// The browser's temporary files go with its profile: Chromium leaves
/// the folder of its single-instance socket, `org.chromium.Chromium.*`,
/// in the temporary folder of a browser ended as the printing ends it
/// (decision 168).
#[test]
fn a_run_that_prints_leaves_nothing_in_the_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let temp = dir.path().join("temp");
    std::fs::create_dir(&temp).unwrap();
    report_command(
        &repo("tests/fixtures/clean_export"),
        &dir.path().join("out"),
        &["--pdf"],
    )
    .env("TMPDIR", &temp)
    .assert()
    .success();
    let left: Vec<String> = std::fs::read_dir(&temp)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("org.chromium."))
        .collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");
}

/// A browser that dies once the first report of a run is printed: the run
/// fails naming a report it was printing, and leaves no folder behind.
#[test]
fn a_browser_that_dies_mid_run_names_the_report_and_leaves_no_folder() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
        .expect("Debian's chromium (.ci/run installs it)");
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    // Starts the real browser, then kills it as soon as a report is
    // printed: its HTML in the run's staging folder (beside the output)
    // then shows its page numbers, where the placeholders had two digits.
    let wrapper = dir.path().join("chrome");
    std::fs::write(
        &wrapper,
        format!(
            // (Its output to /dev/null: the processes it leaves behind
            // must not hold the test's pipe open.)
            "#!/bin/sh\n[ \"$1\" = --version ] && exec {0} --version\n{0} \"$@\" >/dev/null &\nbrowser=$!\n\
             until grep -rqs 'class=\"toc-page\">[1-9]<' {1}; do\n\
             kill -0 $browser 2>/dev/null || exit 1\nsleep 0.05\ndone\n\
             kill -9 $browser\nwait\n",
            chromium.display(),
            work.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = work.join("r");
    let started = std::time::Instant::now();
    let output = printed(
        &out,
        None,
        // Every team of the small export has a report of its own.
        &[
            "--by-team",
            "--min-count",
            "1",
            "--chrome",
            wrapper.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // At once, not once a call has waited out the browser's silence (five
    // minutes): a tab waiting for its page's load used to, one run in three.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(120),
        "the run took {:?} to fail: {stderr}",
        started.elapsed()
    );
    assert!(
        stderr.contains("failed while printing the report "),
        "{stderr}"
    );
    assert!(
        ["national", "ERHR-BRE", "ERHR-IDF", "CNRHR-FAHRES"]
            .iter()
            .any(|label| stderr.contains(&format!("printing the report {label}: "))),
        "{stderr}"
    );
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(&work).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
