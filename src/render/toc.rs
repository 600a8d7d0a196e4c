//! The *Sommaire* (SPEC §6, item 2): the report's sections, linked from the
//! page after the cover, with in print the page on which each one starts.
//!
//! Chromium prints no `target-counter()`, so the numbers are read from the
//! PDF itself: print once, find in that PDF the page of each section (the
//! named destination Chromium writes for every `href="#id"` target), render
//! the HTML again with those numbers and print again, until the pages read
//! back are the numbers printed. When they cannot be confirmed, the Sommaire
//! keeps its links and shows no number: never a wrong page number.
//!
//! A destination is where the section's element starts. In print every
//! section starts a page (`break-before: page`) with its heading, so that
//! is the page of the heading, which the tests check in the PDF's text.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;

use super::view::ReportView;
use super::{pdf, render_template};

/// One line of the Sommaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// The `id` of the section's element in the templates, its link target.
    pub id: &'static str,
    pub title: &'static str,
    /// The page in the PDF: `None` in the HTML alone, and when a print
    /// could not confirm it.
    pub page: Option<u32>,
}

/// The report's sections in order: the `id` of each `<section>` of
/// `report_templates/` and its title in the Sommaire.
const SECTIONS: [(&str, &str); 10] = [
    ("chiffres-cles", "Chiffres clés"),
    ("evolution", "Évolution"),
    ("personnes", "Personnes accompagnées"),
    ("profil", "Profil des personnes accompagnées"),
    ("sollicitations", "Sollicitations"),
    ("interventions", "Interventions"),
    ("actions-collectives", "Actions collectives"),
    ("qualite", "Qualité des données"),
    ("methodologie", "Méthodologie"),
    ("glossaire", "Glossaire"),
];

/// How many times the report is printed with numbers before they are given
/// up on. Numbers only lengthen the Sommaire's lines, so the second print
/// normally confirms the first.
const NUMBERED_PRINTS: usize = 3;

/// The Sommaire without page numbers (the HTML alone has no pages).
pub fn sommaire() -> Vec<TocEntry> {
    SECTIONS
        .iter()
        .map(|&(id, title)| TocEntry {
            id,
            title,
            page: None,
        })
        .collect()
}

/// Prints the report of `view`, already written to `html` without page
/// numbers, to `pdf`, then writes both again with the Sommaire's numbers
/// once a print confirms them. `html` and `pdf` are absolute paths.
pub fn print_with_page_numbers(
    chrome: &Path,
    tera: &tera::Tera,
    view: &ReportView,
    html: &Path,
    pdf: &Path,
) -> Result<()> {
    let ids: Vec<&str> = view.toc.iter().map(|e| e.id).collect();
    // The numbers `html` shows now.
    let mut shown: Vec<Option<u32>> = vec![None; ids.len()];
    let mut why = String::new();
    for _ in 0..=NUMBERED_PRINTS {
        pdf::print(chrome, html, pdf)?;
        let read = std::fs::read(pdf).context("cannot read the printed PDF");
        let found = match read.and_then(|bytes| section_pages(&bytes, &ids)) {
            Ok(found) => found,
            Err(err) => {
                why = format!("{err:#}");
                break;
            }
        };
        if let Some(missing) = ids.iter().zip(&found).find(|(_, p)| p.is_none()) {
            why = format!("no page for the section #{} in the PDF", missing.0);
            break;
        }
        if found == shown {
            return Ok(());
        }
        why = "the pages moved at each print".to_string();
        shown = found;
        write_html(tera, &numbered(view, &shown), html)?;
    }
    crate::note!(
        "warning: the PDF's Sommaire shows no page numbers ({why}); its links and bookmarks work"
    );
    if shown.iter().any(Option::is_some) {
        write_html(tera, view, html)?;
        pdf::print(chrome, html, pdf)?;
    }
    Ok(())
}

/// `view` with these page numbers in its Sommaire.
fn numbered(view: &ReportView, pages: &[Option<u32>]) -> ReportView {
    let mut view = view.clone();
    for (entry, page) in view.toc.iter_mut().zip(pages) {
        entry.page = *page;
    }
    view
}

fn write_html(tera: &tera::Tera, view: &ReportView, html: &Path) -> Result<()> {
    std::fs::write(html, render_template(tera, "report.html", view)?)
        .with_context(|| format!("cannot write {}", html.display()))
}

/// The page (from 1) on which each element `ids` names starts in `pdf`,
/// from its named destinations: those of the catalog's `/Dests`, where
/// Chromium writes them, or of the `/Names` tree, where PDF 1.2 and later
/// may.
fn section_pages(pdf: &[u8], ids: &[&str]) -> Result<Vec<Option<u32>>> {
    let doc = Document::load_mem(pdf).context("cannot read back the printed PDF")?;
    let page_of: HashMap<ObjectId, u32> = doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number))
        .collect();
    let catalog = doc.catalog().context("the printed PDF has no catalog")?;
    let dests = deref_dict(&doc, catalog.get(b"Dests").ok());
    let names = deref_dict(&doc, catalog.get(b"Names").ok())
        .and_then(|names| deref_dict(&doc, names.get(b"Dests").ok()));
    Ok(ids
        .iter()
        .map(|id| {
            let dest = dests.and_then(|d| d.get(id.as_bytes()).ok()).or_else(|| {
                names.and_then(|tree| name_tree_lookup(&doc, tree, id.as_bytes(), 0))
            })?;
            let page = destination_page(&doc, dest)?;
            page_of.get(&page).copied()
        })
        .collect())
}

fn deref_dict<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Dictionary> {
    doc.dereference(object?).ok()?.1.as_dict().ok()
}

/// The value of `key` in a name tree (PDF 32000 §7.9.6).
fn name_tree_lookup<'a>(
    doc: &'a Document,
    node: &'a Dictionary,
    key: &[u8],
    depth: usize,
) -> Option<&'a Object> {
    if depth > 32 {
        return None;
    }
    if let Some(Ok(pairs)) = node.get(b"Names").ok().map(|n| doc.dereference(n)) {
        let pairs = pairs.1.as_array().ok()?;
        for pair in pairs.chunks(2) {
            if let [name, value] = pair {
                if doc.dereference(name).ok()?.1.as_str().ok() == Some(key) {
                    return Some(value);
                }
            }
        }
    }
    let kids = doc
        .dereference(node.get(b"Kids").ok()?)
        .ok()?
        .1
        .as_array()
        .ok()?;
    kids.iter()
        .filter_map(|kid| deref_dict(doc, Some(kid)))
        .find_map(|kid| name_tree_lookup(doc, kid, key, depth + 1))
}

/// The page object a destination points to: `[page /XYZ …]`, or a
/// dictionary whose `/D` is that array.
fn destination_page(doc: &Document, dest: &Object) -> Option<ObjectId> {
    let dest = doc.dereference(dest).ok()?.1;
    let array = match dest {
        Object::Dictionary(d) => doc.dereference(d.get(b"D").ok()?).ok()?.1.as_array().ok()?,
        other => other.as_array().ok()?,
    };
    array.first()?.as_reference().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sommaire_lists_every_section_once_without_numbers() {
        let entries = sommaire();
        assert_eq!(entries.len(), SECTIONS.len());
        let mut ids: Vec<&str> = entries.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SECTIONS.len());
        assert!(entries.iter().all(|e| e.page.is_none()));
    }

    #[test]
    fn every_section_of_the_templates_is_in_the_sommaire() {
        const CHAPTER: &str = "<section class=\"chapter\" id=\"";
        let mut found = Vec::new();
        for (_, source) in super::super::templates::BUILTIN {
            for (at, _) in source.match_indices(CHAPTER) {
                let rest = &source[at + CHAPTER.len()..];
                found.push(&rest[..rest.find('"').unwrap()]);
            }
        }
        for id in &found {
            assert!(
                SECTIONS.iter().any(|(known, _)| known == id),
                "section #{id} of report_templates/ is missing from SECTIONS (toc.rs)"
            );
        }
        assert_eq!(found.len(), SECTIONS.len());
    }

    #[test]
    fn every_section_of_the_sommaire_is_in_the_templates() {
        for (id, _) in SECTIONS {
            let element = format!("id=\"{id}\"");
            assert!(
                super::super::templates::BUILTIN
                    .iter()
                    .any(|(_, source)| source.contains(&element)),
                "no element {element} in report_templates/"
            );
        }
    }

    /// A PDF of three pages, `a` named in the catalog's `/Dests` (page 3),
    /// `b` in a `/Names` tree as a `/D` dictionary (page 2).
    fn three_pages() -> Vec<u8> {
        use lopdf::{dictionary, Document, Object};
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let pages: Vec<ObjectId> = (0..3)
            .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id }))
            .collect();
        let kids: Vec<Object> = pages.iter().map(|&p| p.into()).collect();
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 3 }.into(),
        );
        let at = |page: ObjectId| -> Object { vec![page.into(), "Fit".into()].into() };
        let leaf = doc.add_object(dictionary! {
            "Names" => vec![Object::string_literal("b"), dictionary! { "D" => at(pages[1]) }.into()],
        });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "Dests" => dictionary! { "a" => at(pages[2]) },
            "Names" => dictionary! { "Dests" => dictionary! { "Kids" => vec![leaf.into()] } },
        });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn pages_come_from_named_destinations_of_both_kinds() {
        let pdf = three_pages();
        assert_eq!(
            section_pages(&pdf, &["a", "b", "c"]).unwrap(),
            [Some(3), Some(2), None]
        );
    }

    #[test]
    fn what_is_not_a_pdf_is_an_error_not_a_page() {
        assert!(section_pages(b"<html></html>", &["qualite"]).is_err());
    }
}
