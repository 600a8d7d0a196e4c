//! The *Sommaire* (SPEC §6, item 2): the report's sections, linked from the
//! page after the cover, with in print the page on which each one starts.
//!
//! Chromium prints no `target-counter()`, so the numbers are read from the
//! PDF itself. The report is printed once with a two-digit placeholder in
//! every line of the Sommaire, each line a different one (between them,
//! every digit), the page of each section is read from that PDF (the
//! named destination Chromium writes for every `href="#id"` target), the
//! HTML is written again with those numbers, and the numbers are written
//! into the printed PDF in place of the placeholders: each placeholder's
//! glyphs become its number's, right-aligned where it ended, in the same
//! tagged content (decision 158). The layout is the same: page numbers
//! are tabular and the box laid out for two digits holds three. When the
//! placeholders cannot be found as expected, the report is printed whole
//! again with its numbers, until the pages read back are the numbers
//! printed. When they cannot be confirmed, the Sommaire keeps its links
//! and shows no number: never a wrong page number.
//!
//! A destination is where the section's element starts. In print every
//! section starts a page (`break-before: page`) with its heading, so that
//! is the page of the heading, which the tests check in the PDF's text.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
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

/// The numbers the lines of the Sommaire show in the first print, so that
/// the Sommaire is laid out and tagged as it will be with its numbers: two
/// digits each, as wide as any page number under 100 or wider, all
/// different, and the first five hold every digit once, so that every
/// digit is drawn in the Sommaire's font and each line is told apart.
fn placeholders(lines: usize) -> Vec<u32> {
    let mut numbers = vec![10, 23, 45, 67, 89];
    numbers.extend((11..100).filter(|n| ![23, 45, 67, 89].contains(n)));
    numbers.truncate(lines);
    numbers
}

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
    let shown: Vec<u32> = placeholders(ids.len());
    let placeholder = render(
        tera,
        &numbered(view, &shown.iter().copied().map(Some).collect::<Vec<_>>()),
    )?;
    write(html, &placeholder)?;
    let first = tab.print(html)?;
    crate::console::lap("first print");
    let (mut doc, found) = match read_pages(&first, &ids) {
        Ok(read) => read,
        Err(why) => return without_numbers(tab, tera, view, html, &why),
    };
    let final_html = render(tera, &numbered(view, &found))?;
    write(html, &final_html)?;
    if only_the_numbers_differ(&placeholder, &final_html, &shown, &found)
        && write_numbers(&mut doc, &shown, &found)?
    {
        crate::console::lap("the Sommaire's page numbers written in place of the placeholders");
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

/// Whether the report `after`, with the page numbers `pages`, is the
/// report `before`, with the placeholders `shown`, but for those numbers:
/// every run of digits the same, except that each placeholder that is not
/// its line's page becomes that page, in order. A template that shows a
/// number elsewhere, or lays out anything according to it, is printed
/// whole again instead.
fn only_the_numbers_differ(
    before: &str,
    after: &str,
    shown: &[u32],
    pages: &[Option<u32>],
) -> bool {
    let Some(pages) = pages.iter().copied().collect::<Option<Vec<u32>>>() else {
        return false;
    };
    let expected: Vec<(String, String)> = shown
        .iter()
        .zip(&pages)
        .filter(|(placeholder, page)| placeholder != page)
        .map(|(placeholder, page)| (placeholder.to_string(), page.to_string()))
        .collect();
    let (before, after) = (digit_runs(before), digit_runs(after));
    if before.len() != after.len() {
        return false;
    }
    let mut changed = Vec::new();
    for ((b_digits, b), (a_digits, a)) in before.into_iter().zip(after) {
        if b_digits != a_digits {
            return false;
        }
        if b != a {
            if !b_digits {
                return false;
            }
            changed.push((b.to_string(), a.to_string()));
        }
    }
    changed == expected
}

/// `text` cut into its runs of ASCII digits and what lies between them,
/// each marked `true` for digits.
fn digit_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
            runs.push((bytes[start].is_ascii_digit(), &text[start..i]));
            start = i;
        }
    }
    runs
}

/// Writes the page numbers `pages` in place of the placeholders `shown`
/// on the Sommaire's pages of `doc` (after the cover, before the first
/// section): the glyphs of each placeholder become those of its number,
/// right-aligned where the placeholder ended, inside the same tagged
/// content. The placeholders are found by their text, as the PDF reads
/// it back (the font's `/ToUnicode`), and together draw every digit in
/// the Sommaire's font, so each digit's glyph is known and in the PDF (a
/// number in another font is written only with the digits drawn in it).
/// Nothing else moves: a number of one to three digits fits the box laid
/// out for two. Returns `false`, with `doc` unchanged, unless the
/// placeholders are found, once each and in order, each as a text object
/// of its own.
fn write_numbers(doc: &mut Document, shown: &[u32], pages: &[Option<u32>]) -> Result<bool> {
    let Some(numbers) = pages.iter().copied().collect::<Option<Vec<u32>>>() else {
        return Ok(false);
    };
    let Some(&first_section) = numbers.first() else {
        return Ok(false);
    };
    if first_section < 3 || numbers.len() != shown.len() || numbers.iter().any(|&n| n > 999) {
        return Ok(false);
    }
    let page_ids = doc.get_pages();
    let mut contents = Vec::new();
    let mut found = Vec::new();
    for n in 2..first_section {
        let Some(&page) = page_ids.get(&n) else {
            return Ok(false);
        };
        // Read whole or not at all: lopdf's lenient reading stops at what
        // it cannot read, and the page written back would lose its end.
        let Ok(content) = Content::decode_strict(&doc.get_page_content(page)) else {
            return Ok(false);
        };
        let fonts = doc.get_page_fonts(page).unwrap_or_default();
        for placeholder in placeholders_in(&content.operations) {
            let text = fonts
                .get(&placeholder.font)
                .and_then(|font| font.get_font_encoding(doc).ok())
                .and_then(|encoding| {
                    Document::decode_text(&encoding, &placeholder.glyphs.concat()).ok()
                });
            // A title of two letters is not a placeholder.
            if let Some(text) = text.filter(|t| t.bytes().all(|b| b.is_ascii_digit())) {
                found.push((contents.len(), placeholder, text));
            }
        }
        contents.push((page, content));
    }
    let texts: Vec<&str> = found.iter().map(|(_, _, text)| text.as_str()).collect();
    if texts != shown.iter().map(u32::to_string).collect::<Vec<_>>() {
        return Ok(false);
    }
    // Each digit's glyph in each font, as the placeholders draw it.
    let mut glyphs: HashMap<(&[u8], u8), &[u8]> = HashMap::new();
    for (_, placeholder, text) in &found {
        for (digit, glyph) in text.bytes().zip(&placeholder.glyphs) {
            let key = (placeholder.font.as_slice(), digit);
            if *glyphs.entry(key).or_insert(glyph) != glyph.as_slice() {
                return Ok(false);
            }
        }
    }
    let mut drawn = Vec::with_capacity(found.len());
    for ((_, placeholder, _), number) in found.iter().zip(&numbers) {
        let digits = number.to_string();
        let font = placeholder.font.as_slice();
        let digits = digits.bytes().map(|d| glyphs.get(&(font, d)).copied());
        let Some(digits) = digits.collect::<Option<Vec<&[u8]>>>() else {
            return Ok(false);
        };
        drawn.push(placeholder.drawn_as(&digits));
    }
    // From the last text object of a page to its first, so that the
    // places of those before stay true.
    for ((index, placeholder, _), operations) in found.iter().zip(drawn).rev() {
        let content = &mut contents[*index].1;
        content
            .operations
            .splice(placeholder.object.clone(), operations);
    }
    for (page, content) in contents {
        let bytes = content
            .encode()
            .context("cannot write the Sommaire's page")?;
        let stream = doc.add_object(super::pdfua::compressed(bytes)?);
        doc.get_dictionary_mut(page)?.set("Contents", stream);
    }
    Ok(true)
}

/// A placeholder of the Sommaire as the browser drew it: a text object of
/// its own inside tagged content, `BT /F… Tf 1 0 0 -1 x y Tm <g1> Tj dx 0
/// Td <g2> Tj ET`.
struct Placeholder {
    /// The text object's operations, `BT` to `ET`.
    object: std::ops::Range<usize>,
    /// The operations that set its font and place it (`Tf`, `Tm`).
    setup: Vec<Operation>,
    /// The font's name in the page's resources.
    font: Vec<u8>,
    /// The glyph of each digit (two bytes each, as the browser writes).
    glyphs: Vec<Vec<u8>>,
    /// A digit's width in text space (digits are all as wide), the `Td`
    /// between the two.
    advance: f32,
}

impl Placeholder {
    /// The text object drawing `digits` (their glyphs) instead, ending
    /// where the placeholder ended.
    fn drawn_as(&self, digits: &[&[u8]]) -> Vec<Operation> {
        let shift = (self.glyphs.len() as f32 - digits.len() as f32) * self.advance;
        let mut out = vec![Operation::new("BT", vec![])];
        for op in &self.setup {
            let mut op = op.clone();
            if op.operator == "Tm" {
                let scale = op.operands[0].as_float().unwrap_or(1.0);
                let x = op.operands[4].as_float().unwrap_or(0.0);
                op.operands[4] = Object::Real(x + shift * scale);
            }
            out.push(op);
        }
        for (n, glyph) in digits.iter().enumerate() {
            if n > 0 {
                out.push(Operation::new(
                    "Td",
                    vec![Object::Real(self.advance), Object::Integer(0)],
                ));
            }
            out.push(Operation::new(
                "Tj",
                vec![Object::String(glyph.to_vec(), StringFormat::Hexadecimal)],
            ));
        }
        out.push(Operation::new("ET", vec![]));
        out
    }
}

/// The text objects of `operations`, inside marked content, that draw two
/// glyphs and nothing else: the placeholders of a Sommaire's page, in
/// order.
fn placeholders_in(operations: &[Operation]) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (i, op) in operations.iter().enumerate() {
        match op.operator.as_str() {
            "BDC" | "BMC" => depth += 1,
            "EMC" => depth = depth.saturating_sub(1),
            "BT" if depth > 0 => start = Some(i),
            "ET" => {
                if let Some(begin) = start.take() {
                    found.extend(placeholder(&operations[begin + 1..i], begin..i + 1));
                }
            }
            _ => {}
        }
    }
    found
}

/// The text object `object` (its operations between `BT` and `ET`) as a
/// placeholder, if it is one.
fn placeholder(inner: &[Operation], object: std::ops::Range<usize>) -> Option<Placeholder> {
    let mut setup = Vec::new();
    let mut font = None;
    let mut glyphs = Vec::new();
    let mut advance = None;
    for op in inner {
        match (op.operator.as_str(), op.operands.as_slice()) {
            ("Tf", [Object::Name(name), _]) if glyphs.is_empty() => {
                font = Some(name.clone());
                setup.push(op.clone());
            }
            ("Tm", [a, b, _, _, _, _]) if glyphs.is_empty() => {
                // Upright, unrotated text only: its width is along x.
                if a.as_float().ok()? <= 0.0 || b.as_float().ok()? != 0.0 {
                    return None;
                }
                setup.push(op.clone());
            }
            ("Tj", [Object::String(glyph, _)]) if glyph.len() == 2 => glyphs.push(glyph.clone()),
            ("Td", [dx, dy]) if glyphs.len() == 1 && dy.as_float().ok()? == 0.0 => {
                advance = Some(dx.as_float().ok()?);
            }
            _ => return None,
        }
    }
    (glyphs.len() == 2 && setup.len() == 2).then_some(Placeholder {
        object,
        setup,
        font: font?,
        glyphs,
        advance: advance?,
    })
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

    /// A PDF of `pages` pages whose page 2 holds `content`, in the fonts
    /// `/F4` and `/F8` that read glyph `0x13 + d` as the digit `d`, and
    /// 0x36, 0x52, 0x50 as « Som ».
    fn with_sommaire(pages: usize, content: &str) -> Document {
        use lopdf::{dictionary, Stream};
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let stream = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n3 beginbfrange\n<0013> <001C> <0030>\n<0036> <0036> <0053>\n<0050> <0050> <006D>\nendbfrange\n1 beginbfchar\n<0052> <006F>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "AAAAAA+DejaVuSans",
            "Encoding" => "Identity-H",
            "ToUnicode" => to_unicode,
        });
        let kids: Vec<Object> = (0..pages)
            .map(|n| {
                let mut page = dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "Resources" => dictionary! { "Font" => dictionary! { "F4" => font, "F8" => font } },
                };
                if n == 1 {
                    page.set("Contents", stream);
                }
                doc.add_object(page).into()
            })
            .collect();
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 }.into(),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    /// A line of the Sommaire as Chromium draws it: the title, then the
    /// number in a text object of its own, each tagged; glyph `0x13 + d`
    /// for the digit `d`, 9.75 wide.
    fn line(mcid: u32, y: u32, number: u32) -> String {
        let digits: Vec<String> = number
            .to_string()
            .bytes()
            .map(|d| format!("<{:04X}> Tj\n", 0x13 + u32::from(d - b'0')))
            .collect();
        let x = 681.0 - 9.75 * digits.len() as f32;
        format!(
            "/NonStruct <</MCID {mcid}>> BDC\nBT\n/F4 15.33 Tf\n1 0 0 -1 56 {y} Tm\n<0036> Tj\n9.7 0 Td\n<0052> Tj\n9.7 0 Td\n<0050> Tj\nET\nEMC\n/NonStruct <</MCID {}>> BDC\nBT\n/F4 15.33 Tf\n1 0 0 -1 {x} {y} Tm\n{}ET\nEMC\n",
            mcid + 1,
            digits.join("9.75 0 Td\n"),
        )
    }

    /// The text objects of page 2 of `doc`: each one's `Tm` x and glyphs.
    fn texts(doc: &Document) -> Vec<(f32, Vec<u16>)> {
        let page = doc.get_pages()[&2];
        let content = Content::decode(&doc.get_page_content(page)).unwrap();
        let mut out = Vec::new();
        for op in content.operations {
            match op.operator.as_str() {
                "Tm" => out.push((op.operands[4].as_float().unwrap(), Vec::new())),
                "Tj" => {
                    let glyph = op.operands[0].as_str().unwrap();
                    out.last_mut()
                        .unwrap()
                        .1
                        .push(u16::from_be_bytes([glyph[0], glyph[1]]));
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_page_numbers_are_written_in_place_of_the_placeholders_right_aligned() {
        let shown = placeholders(5);
        assert_eq!(shown, [10, 23, 45, 67, 89]);
        let sommaire: String = shown
            .iter()
            .enumerate()
            .map(|(n, &p)| line(2 * n as u32, 100 + 30 * n as u32, p))
            .collect();
        // A title of two letters, read as letters: not a number.
        let mut sommaire = sommaire.replacen("9.7 0 Td\n<0050> Tj\n", "", 1);
        // The running footer, drawn outside any tagged content: not a line.
        sommaire.push_str(
            "BT\n/F8 10.66 Tf\n1 0 0 -1 726 1093 Tm\n<0014> Tj\n5.9 0 Td\n<0013> Tj\nET\n",
        );
        let mut doc = with_sommaire(4, &sommaire);
        let pages = [Some(3), Some(3), Some(4), Some(105), Some(999)];
        assert!(write_numbers(&mut doc, &shown, &pages).unwrap());
        let glyph = |d: u16| 0x13 + d;
        let numbers: Vec<(f32, Vec<u16>)> = texts(&doc).into_iter().skip(1).step_by(2).collect();
        assert_eq!(
            numbers,
            [
                (681.0 - 9.75, vec![glyph(3)]),
                (681.0 - 9.75, vec![glyph(3)]),
                (681.0 - 9.75, vec![glyph(4)]),
                (681.0 - 3.0 * 9.75, vec![glyph(1), glyph(0), glyph(5)]),
                (681.0 - 3.0 * 9.75, vec![glyph(9), glyph(9), glyph(9)]),
            ]
        );
        // The titles and the footer are as they were.
        let all = texts(&doc);
        assert_eq!(all[0], (56.0, vec![0x36, 0x52]));
        assert_eq!(all[2], (56.0, vec![0x36, 0x52, 0x50]));
        assert_eq!(all[10], (726.0, vec![0x14, 0x13]));
    }

    #[test]
    fn the_numbers_are_not_written_where_the_placeholders_are_not_found_as_drawn() {
        let shown = placeholders(5);
        let lines = |n: usize| -> String {
            shown
                .iter()
                .take(n)
                .enumerate()
                .map(|(k, &p)| line(2 * k as u32, 100 + 30 * k as u32, p))
                .collect()
        };
        let pages = [Some(3), Some(3), Some(4), Some(5), Some(6)];
        let unchanged = |doc: &mut Document, pages: &[Option<u32>]| {
            let before = texts(doc);
            assert!(!write_numbers(doc, &shown, pages).unwrap());
            assert_eq!(texts(doc), before);
        };
        // A line missing, or one more.
        unchanged(&mut with_sommaire(6, &lines(4)), &pages);
        unchanged(
            &mut with_sommaire(6, &(lines(5) + &line(10, 300, 12))),
            &pages,
        );
        // A number in another font than the digits it needs.
        let other_font = lines(5).replacen(
            "/F4 15.33 Tf\n1 0 0 -1 661.5 130 Tm",
            "/F8 15.33 Tf\n1 0 0 -1 661.5 130 Tm",
            1,
        );
        assert_ne!(other_font, lines(5));
        unchanged(
            &mut with_sommaire(6, &other_font),
            &[Some(3), Some(4), Some(5), Some(6), Some(7)],
        );
        // Two lines swapped.
        let swapped = line(0, 100, 23)
            + &lines(5)[line(0, 100, 10).len()..].replacen(&line(2, 130, 23), &line(2, 130, 10), 1);
        unchanged(&mut with_sommaire(6, &swapped), &pages);
        // No page for a section, a Sommaire with no page of its own, a
        // number wider than the box.
        let sommaire = lines(5);
        unchanged(
            &mut with_sommaire(6, &sommaire),
            &[Some(3), None, Some(4), Some(5), Some(6)],
        );
        unchanged(
            &mut with_sommaire(6, &sommaire),
            &[Some(2), Some(3), Some(4), Some(5), Some(6)],
        );
        unchanged(
            &mut with_sommaire(6, &sommaire),
            &[Some(3), Some(3), Some(4), Some(5), Some(1000)],
        );
    }

    #[test]
    fn only_a_report_that_differs_by_its_page_numbers_gets_them_written() {
        let page = |a: &str, b: &str, tail: &str| {
            format!("<nav><li>A <span>{a}</span></li><li>B <span>{b}</span></li></nav><h2>2024</h2>{tail}")
        };
        let before = page("10", "23", "");
        let shown = [10, 23];
        let differ = |after: &str, pages: [u32; 2]| {
            only_the_numbers_differ(&before, after, &shown, &pages.map(Some))
        };
        assert!(differ(&page("3", "105", ""), [3, 105]));
        // A page that is its placeholder.
        assert!(differ(&page("10", "12", ""), [10, 12]));
        assert!(differ(&before, [10, 23]));
        // A number shown elsewhere, a layout that follows it, numbers
        // that are not the pages.
        assert!(!differ(&page("3", "4", "<p>3</p>"), [3, 4]));
        assert!(!differ(&page("3", "4", "<p>Suite</p>"), [3, 4]));
        assert!(!differ(&page("4", "3", ""), [3, 4]));
        assert!(!differ(&page("3", "4", "").replace("2024", "2025"), [3, 4]));
        assert!(!only_the_numbers_differ(
            &before,
            &page("3", "23", ""),
            &shown,
            &[Some(3), None]
        ));
        assert_eq!(
            digit_runs("a12b3"),
            [(false, "a"), (true, "12"), (false, "b"), (true, "3")]
        );
        assert!(digit_runs("").is_empty());
    }

    #[test]
    fn what_is_not_a_pdf_is_an_error_not_a_page() {
        assert!(section_pages(b"<html></html>", &["qualite"]).is_err());
    }
}
