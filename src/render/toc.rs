//! The *Sommaire* (SPEC §6, item 2): the report's sections, linked from the
//! page after the cover, with in print the page on which each one starts.
//!
//! Chromium prints no `target-counter()`, so the numbers are read from the
//! PDF itself. The report is printed once with a number in every line of
//! the Sommaire (a placeholder), the page of each section is read from that
//! PDF (the named destination Chromium writes for every `href="#id"`
//! target), and the HTML is written again with those numbers. When the
//! numbers change nothing but the Sommaire (the HTML differs only before
//! the first section, which still starts on the same page), only the pages
//! of the Sommaire are printed again, from a short document (the report up
//! to its first section, then each section as its number of empty pages),
//! and put in place of the placeholder ones: same content, same tags, same
//! links. Otherwise the report is
//! printed whole again, until the pages read back are the numbers printed.
//! When they cannot be confirmed, the Sommaire keeps its links and shows no
//! number: never a wrong page number.
//!
//! A destination is where the section's element starts. In print every
//! section starts a page (`break-before: page`) with its heading, so that
//! is the page of the heading, which the tests check in the PDF's text.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;

use super::pdf::LoadingTab;
use super::render_template;
use super::view::ReportView;
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
const SECTIONS: [(&str, &str); 13] = [
    ("synthese", "Synthèse"),
    ("chiffres-cles", "Chiffres clés"),
    ("dispositif", "Le dispositif"),
    ("evolution", "Évolution"),
    ("personnes", "Personnes accompagnées"),
    ("profil", "Profil des personnes accompagnées"),
    ("sollicitations", "Sollicitations"),
    ("interventions", "Interventions"),
    ("reseau", "Réseau des équipes"),
    ("actions-collectives", "Actions collectives"),
    ("sources", "Sources et limites"),
    ("methodologie", "Méthodologie"),
    ("glossaire", "Glossaire"),
];

/// How many times the report is printed whole with numbers before they are
/// given up on. Numbers only lengthen the Sommaire's lines, so the second
/// print normally confirms the first.
const NUMBERED_PRINTS: usize = 3;

/// The number every line of the Sommaire shows in the first print, so
/// that the Sommaire is laid out and tagged as it will be with its numbers.
const PLACEHOLDER: u32 = 10;

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

/// Prints the report of `view` with the Sommaire's page numbers, and
/// writes its HTML with the same numbers to `html` (an absolute path).
pub fn print_with_page_numbers(
    tab: &LoadingTab,
    tera: &tera::Tera,
    view: &ReportView,
    html: &Path,
) -> Result<Document> {
    let ids: Vec<&str> = view.toc.iter().map(|e| e.id).collect();
    let placeholder = render(tera, &numbered(view, &vec![Some(PLACEHOLDER); ids.len()]))?;
    write(html, &placeholder)?;
    let first = tab.print(html)?;
    crate::console::lap("first print");
    let (doc, found) = match read_pages(&first, &ids) {
        Ok(read) => read,
        Err(why) => return without_numbers(tab, tera, view, html, &why),
    };
    let final_html = render(tera, &numbered(view, &found))?;
    if final_html == placeholder {
        return Ok(doc);
    }
    write(html, &final_html)?;
    if let Some(doc) = reprint_sommaire(tab, html, doc, &placeholder, &final_html, &ids, &found)? {
        crate::console::lap("the Sommaire's pages printed again and put in place");
        return Ok(doc);
    }
    // The numbers changed more than the Sommaire's pages: print it whole.
    let mut shown = found;
    for _ in 0..NUMBERED_PRINTS {
        crate::console::lap("the report printed whole again");
        let (doc, found) = match read_pages(&tab.print(html)?, &ids) {
            Ok(read) => read,
            Err(why) => return without_numbers(tab, tera, view, html, &why),
        };
        if found == shown {
            return Ok(doc);
        }
        shown = found;
        write(html, &render(tera, &numbered(view, &shown))?)?;
    }
    without_numbers(tab, tera, view, html, "the pages moved at each print")
}

/// The report printed with no number in its Sommaire, with a warning.
fn without_numbers(
    tab: &LoadingTab,
    tera: &tera::Tera,
    view: &ReportView,
    html: &Path,
    why: &str,
) -> Result<Document> {
    crate::note!(
        "warning: the PDF's Sommaire shows no page numbers ({why}); its links and bookmarks work"
    );
    write(html, &render(tera, view)?)?;
    Document::load_mem(&tab.print(html)?).context("cannot read back the printed PDF")
}

/// The printed PDF and the page of each section, or why there is none.
fn read_pages(pdf: &[u8], ids: &[&str]) -> Result<(Document, Vec<Option<u32>>), String> {
    let doc =
        Document::load_mem(pdf).map_err(|e| format!("cannot read back the printed PDF: {e}"))?;
    let found = pages_in(&doc, ids).map_err(|e| format!("{e:#}"))?;
    if let Some((id, _)) = ids.iter().zip(&found).find(|(_, p)| p.is_none()) {
        return Err(format!("no page for the section #{id} in the PDF"));
    }
    Ok((doc, found))
}

/// `doc` with its Sommaire's pages printed again from `html` (which now
/// holds `after`, printed as `before` in `doc`), when the numbers change
/// nothing else; `None` when they may have.
fn reprint_sommaire(
    tab: &LoadingTab,
    html: &Path,
    mut doc: Document,
    before: &str,
    after: &str,
    ids: &[&str],
    found: &[Option<u32>],
) -> Result<Option<Document>> {
    let Some(first_section) = found.first().copied().flatten() else {
        return Ok(None);
    };
    // The Sommaire's pages: after the cover, before the first section.
    if first_section < 3 || !changes_only_before(before, after, ids[0]) {
        return Ok(None);
    }
    // The Sommaire is printed again in a short document: the report up to
    // its first section, then each section as as many empty pages as it
    // has, so that every page is numbered as in the report (« Page 2 / 50 »).
    let total = doc.get_pages().len() as u32;
    let Some(short) = sommaire_only(after, ids, found, total) else {
        return Ok(None);
    };
    let part = tab.print_again(html, &short)?;
    let part = Document::load_mem(&part).context("cannot read back the printed PDF")?;
    // Every section must start on its page, and the report end on its own:
    // the cover and Sommaire, the only pages kept, are then laid out as in
    // the whole report (their HTML is the same).
    if part.get_pages().len() != total as usize || pages_in(&part, ids)? != found {
        return Ok(None);
    }
    let pages: Vec<(u32, u32)> = (2..first_section).map(|n| (n, n)).collect();
    Ok(splice(&mut doc, &part, &pages)?.then_some(doc))
}

/// The report `html` cut before the element of the first section, each
/// section of `ids` following as an empty element of the same tag and
/// class broken into as many pages as it has in the report (its start in
/// `pages`, the report's last page `total`).
fn sommaire_only(html: &str, ids: &[&str], pages: &[Option<u32>], total: u32) -> Option<String> {
    let first = ids.first()?;
    let at = html.find(&format!(" id=\"{first}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start + 1..];
    let name = &tag[..tag.find(|c: char| c.is_whitespace())?];
    let (open, close) = (&html[start..at], &html[at + first.len() + 6..=end]);
    let mut short = html[..start].to_string();
    for (n, id) in ids.iter().enumerate() {
        let from = pages.get(n).copied().flatten()?;
        let to = match pages.get(n + 1) {
            Some(next) => next.as_ref()?.checked_sub(1)?,
            None => total,
        };
        // An empty element starts no page: each page holds a pixel.
        let breaks = "<div style=\"break-before: page; height: 1px\"></div>"
            .repeat(to.checked_sub(from)? as usize);
        short.push_str(&format!(
            "{open} id=\"{id}\"{close}<div style=\"height: 1px\"></div>{breaks}</{name}>\n"
        ));
    }
    short.push_str("</body>\n</html>\n");
    Some(short)
}

/// Whether `after` differs from `before` only inside the body and before
/// the element whose `id` is `first`.
fn changes_only_before(before: &str, after: &str, first: &str) -> bool {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let room = before.len().min(after.len()) - prefix;
    let suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let Some(body) = after.find("<body") else {
        return false;
    };
    let Some(element) = after
        .find(&format!(" id=\"{first}\""))
        .and_then(|at| after[..at].rfind('<'))
    else {
        return false;
    };
    prefix > body && after.len() - suffix <= element
}

/// Puts the pages of `part` in place of those of `doc`, `(page of doc,
/// page of part)`, keeping `doc`'s page objects, structure and links: only
/// their content, resources and the links' rectangles change. Nothing is
/// changed, and `false` returned, unless each page of `part` is tagged as
/// the page it replaces (the same marked-content sequence, the same links).
fn splice(doc: &mut Document, part: &Document, pages: &[(u32, u32)]) -> Result<bool> {
    let doc_pages = doc.get_pages();
    let part_pages = part.get_pages();
    let mut edits = Vec::new();
    for &(to, from) in pages {
        let (Some(&to), Some(&from)) = (doc_pages.get(&to), part_pages.get(&from)) else {
            return Ok(false);
        };
        if marked_content(doc, to)? != marked_content(part, from)? {
            return Ok(false);
        }
        let old_links = links(doc, to)?;
        let new_links = links(part, from)?;
        if old_links.len() != new_links.len()
            || old_links.iter().zip(&new_links).any(|(a, b)| a.1 != b.1)
        {
            return Ok(false);
        }
        edits.push((to, from, old_links, new_links));
    }
    for (to, from, old_links, new_links) in edits {
        let mut copied = HashMap::new();
        let page = part.get_dictionary(from)?;
        let contents = copy(part, page.get(b"Contents")?, doc, &mut copied)?;
        let resources = copy(part, page.get(b"Resources")?, doc, &mut copied)?;
        let target = doc.get_dictionary_mut(to)?;
        target.set("Contents", contents);
        target.set("Resources", resources);
        for ((old, _), (new, _)) in old_links.iter().zip(&new_links) {
            let rect = part.get_dictionary(*new)?.get(b"Rect")?.clone();
            doc.get_dictionary_mut(*old)?.set("Rect", rect);
        }
    }
    Ok(true)
}

/// The marked-content sequences of a page, in order: their tag and MCID.
fn marked_content(doc: &Document, page: ObjectId) -> Result<Vec<(Vec<u8>, Option<i64>)>> {
    let content = Content::decode(&doc.get_page_content(page))?;
    Ok(content
        .operations
        .iter()
        .filter(|op| op.operator == "BDC" || op.operator == "BMC")
        .map(|op| {
            let tag = op
                .operands
                .first()
                .and_then(|t| t.as_name().ok())
                .unwrap_or_default()
                .to_vec();
            let mcid = op
                .operands
                .get(1)
                .and_then(|p| p.as_dict().ok())
                .and_then(|p| p.get(b"MCID").ok())
                .and_then(|m| m.as_i64().ok());
            (tag, mcid)
        })
        .collect())
}

/// The link annotations of a page and the named destination of each.
fn links(doc: &Document, page: ObjectId) -> Result<Vec<(ObjectId, Vec<u8>)>> {
    let Ok(annots) = doc.get_dictionary(page)?.get(b"Annots") else {
        return Ok(Vec::new());
    };
    let annots = doc.dereference(annots)?.1.as_array()?;
    annots
        .iter()
        .map(|annot| {
            let id = annot.as_reference()?;
            let dest = doc
                .get_dictionary(id)?
                .get(b"Dest")
                .ok()
                .and_then(|d| d.as_name().or_else(|_| d.as_str()).ok())
                .unwrap_or_default()
                .to_vec();
            Ok((id, dest))
        })
        .collect()
}

/// `object` of `from`, with every object it refers to, added to `to`.
fn copy(
    from: &Document,
    object: &Object,
    to: &mut Document,
    copied: &mut HashMap<ObjectId, ObjectId>,
) -> Result<Object> {
    Ok(match object {
        Object::Reference(id) => {
            if let Some(done) = copied.get(id) {
                return Ok(Object::Reference(*done));
            }
            let new = to.new_object_id();
            copied.insert(*id, new);
            let target = from.get_object(*id)?;
            let object = copy(from, target, to, copied)?;
            to.objects.insert(new, object);
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(
            items
                .iter()
                .map(|item| copy(from, item, to, copied))
                .collect::<Result<_>>()?,
        ),
        Object::Dictionary(dict) => Object::Dictionary(copy_dict(from, dict, to, copied)?),
        Object::Stream(stream) => {
            let mut stream = stream.clone();
            stream.dict = copy_dict(from, &stream.dict, to, copied)?;
            Object::Stream(stream)
        }
        other => other.clone(),
    })
}

fn copy_dict(
    from: &Document,
    dict: &Dictionary,
    to: &mut Document,
    copied: &mut HashMap<ObjectId, ObjectId>,
) -> Result<Dictionary> {
    let mut out = Dictionary::new();
    for (key, value) in dict.iter() {
        // Resources never point up to a page or the structure tree.
        if key == b"Parent" || key == b"P" || key == b"StructParent" || key == b"StructParents" {
            bail!(
                "a page's resources refer to {}",
                String::from_utf8_lossy(key)
            );
        }
        out.set(key.clone(), copy(from, value, to, copied)?);
    }
    Ok(out)
}

fn render(tera: &tera::Tera, view: &ReportView) -> Result<String> {
    render_template(tera, "report.html", view)
}

fn write(html: &Path, text: &str) -> Result<()> {
    std::fs::write(html, text).with_context(|| format!("cannot write {}", html.display()))
}

/// `view` with these page numbers in its Sommaire.
fn numbered(view: &ReportView, pages: &[Option<u32>]) -> ReportView {
    let mut view = view.clone();
    for (entry, page) in view.toc.iter_mut().zip(pages) {
        entry.page = *page;
    }
    view
}

/// The page (from 1) on which each element `ids` names starts in `pdf`,
/// from its named destinations: those of the catalog's `/Dests`, where
/// Chromium writes them, or of the `/Names` tree, where PDF 1.2 and later
/// may.
#[cfg(test)]
fn section_pages(pdf: &[u8], ids: &[&str]) -> Result<Vec<Option<u32>>> {
    let doc = Document::load_mem(pdf).context("cannot read back the printed PDF")?;
    pages_in(&doc, ids)
}

/// The page (from 1) on which each element `ids` names starts in `doc`.
fn pages_in(doc: &Document, ids: &[&str]) -> Result<Vec<Option<u32>>> {
    let page_of: HashMap<ObjectId, u32> = doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number))
        .collect();
    let catalog = doc.catalog().context("the printed PDF has no catalog")?;
    let dests = deref_dict(doc, catalog.get(b"Dests").ok());
    let names = deref_dict(doc, catalog.get(b"Names").ok())
        .and_then(|names| deref_dict(doc, names.get(b"Dests").ok()));
    Ok(ids
        .iter()
        .map(|id| {
            let dest = dests
                .and_then(|d| d.get(id.as_bytes()).ok())
                .or_else(|| names.and_then(|tree| name_tree_lookup(doc, tree, id.as_bytes(), 0)))?;
            let page = destination_page(doc, dest)?;
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
    fn only_a_change_between_the_body_and_the_first_section_is_the_sommaires() {
        let page = |sommaire: &str, section: &str| {
            format!("<html><head><title>t</title></head><body><nav>{sommaire}</nav>\n<section id=\"chiffres-cles\">{section}</section></body></html>")
        };
        let before = page("<li>A 10</li>", "x");
        assert!(changes_only_before(
            &before,
            &page("<li>A 3</li>", "x"),
            "chiffres-cles"
        ));
        assert!(changes_only_before(
            &before,
            &page("<li>A 10</li><p>Suite</p>", "x"),
            "chiffres-cles"
        ));
        assert!(!changes_only_before(
            &before,
            &page("<li>A 3</li>", "y"),
            "chiffres-cles"
        ));
        assert!(!changes_only_before(
            &before,
            &before.replace("<title>t", "<title>u"),
            "chiffres-cles"
        ));
        assert!(!changes_only_before(
            &before,
            &page("<li>A 3</li>", "x"),
            "absent"
        ));
    }

    #[test]
    fn the_sommaire_alone_keeps_the_report_up_to_its_first_section_and_every_section_empty() {
        let report = "<body><nav><a href=\"#a\">A</a><a href=\"#b\">B</a></nav>\n<main>\n<section class=\"chapter\" id=\"a\"><h2>A</h2><p>long</p></section>\n<section class=\"chapter\" id=\"b\"><h2>B</h2></section>\n</main></body></html>";
        let pages = [Some(3), Some(5)];
        assert_eq!(
            sommaire_only(report, &["a", "b"], &pages, 5).as_deref(),
            Some("<body><nav><a href=\"#a\">A</a><a href=\"#b\">B</a></nav>\n<main>\n<section class=\"chapter\" id=\"a\"><div style=\"height: 1px\"></div><div style=\"break-before: page; height: 1px\"></div></section>\n<section class=\"chapter\" id=\"b\"><div style=\"height: 1px\"></div></section>\n</body>\n</html>\n")
        );
        assert_eq!(sommaire_only(report, &["absent"], &pages, 5), None);
        assert_eq!(sommaire_only(report, &[], &pages, 5), None);
        // Pages out of order, or a section without a page: no short document.
        assert_eq!(
            sommaire_only(report, &["a", "b"], &[Some(5), Some(3)], 5),
            None
        );
        assert_eq!(
            sommaire_only(report, &["a", "b"], &[Some(3), None], 5),
            None
        );
    }

    #[test]
    fn what_is_not_a_pdf_is_an_error_not_a_page() {
        assert!(section_pages(b"<html></html>", &["qualite"]).is_err());
    }
}
