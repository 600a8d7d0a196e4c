//! What Chromium's tagged PDF lacks for PDF/UA-1 (SPEC §6, "Accessibility"),
//! added to the printed PDF: running headers, footers and page numbers as
//! artifacts, no `/Figure` without a text alternative, links that say
//! where they go, XMP metadata (title, language, PDF/UA identification),
//! the language `fr-FR`, and dates from `SOURCE_DATE_EPOCH` or none.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::files::source_date_epoch;
use super::toc::TocEntry;

/// The document's language, as the report's `lang` and in the metadata.
const LANGUAGE: &str = "fr-FR";

/// Makes `doc`, as Chromium printed it, a PDF/UA document and returns its
/// bytes. `toc` names the sections the Sommaire's links go to.
pub fn finish(doc: &mut Document, toc: &[TocEntry]) -> Result<Vec<u8>> {
    let epoch = source_date_epoch();
    mark_artifacts(doc)?;
    untag_figure_wrappers(doc);
    describe_links(doc, toc);
    rename_element_ids(doc);
    let title = set_info(doc, epoch)?;
    set_catalog(doc, &title, epoch)?;
    // The content streams replaced here and by the Sommaire's pages.
    doc.prune_objects();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .context("cannot write the PDF after making it accessible")?;
    Ok(bytes)
}

/// Chromium names each structure element after its DOM node (`/ID
/// (node00000225)`), a number that depends on when the page's nodes were
/// created: under load, two prints of the same report differed there and
/// nowhere else. Renames them in object order (`e00001`, …), in the
/// elements, in the `/Headers` of table cells that point at them, and in
/// the structure tree's `/IDTree`, rebuilt as one sorted node.
fn rename_element_ids(doc: &mut Document) {
    let mut names: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let mut elements: Vec<(Vec<u8>, ObjectId)> = Vec::new();
    for (&id, object) in &doc.objects {
        let Ok(dict) = object.as_dict() else { continue };
        if !dict
            .get(b"Type")
            .is_ok_and(|t| t.as_name().ok() == Some(&b"StructElem"[..]))
        {
            continue;
        }
        if let Ok(Object::String(old, _)) = dict.get(b"ID") {
            let new = format!("e{:05}", names.len() + 1).into_bytes();
            if names.insert(old.clone(), new.clone()).is_none() {
                elements.push((new, id));
            }
        }
    }
    if names.is_empty() {
        return;
    }
    for object in doc.objects.values_mut() {
        rename_in(object, &names, false);
    }
    let tree = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
        .and_then(|r| r.as_reference().ok())
        .and_then(|root| doc.get_dictionary(root).ok())
        .and_then(|root| root.get(b"IDTree").ok())
        .and_then(|t| t.as_reference().ok());
    if let Some(tree) = tree {
        elements.sort();
        let pairs: Vec<Object> = elements
            .into_iter()
            .flat_map(|(name, id)| {
                [
                    Object::String(name, StringFormat::Literal),
                    Object::Reference(id),
                ]
            })
            .collect();
        doc.objects
            .insert(tree, Object::Dictionary(dictionary! { "Names" => pairs }));
    }
}

/// Renames the element ids of [`rename_element_ids`] inside `object`: an
/// element's `/ID`, and the strings of a `/Headers` array.
fn rename_in(object: &mut Object, names: &HashMap<Vec<u8>, Vec<u8>>, in_headers: bool) {
    match object {
        Object::String(text, _) if in_headers => {
            if let Some(new) = names.get(text.as_slice()) {
                *text = new.clone();
            }
        }
        Object::Array(items) => {
            for item in items {
                rename_in(item, names, in_headers);
            }
        }
        Object::Dictionary(dict) => {
            for (key, value) in dict.iter_mut() {
                let key = key.as_slice();
                if key == b"ID" {
                    rename_in(value, names, true);
                } else {
                    rename_in(value, names, key == b"Headers");
                }
            }
        }
        _ => {}
    }
}

/// Wraps what each page draws outside any marked-content sequence (the
/// running footer of the `@page` margin boxes, the Sommaire's leaders, the
/// lines of the charts) in `/Artifact` sequences: Chromium tags everything
/// else.
fn mark_artifacts(doc: &mut Document) -> Result<()> {
    for page in doc.get_pages().into_values() {
        let content = doc.get_page_content(page);
        // The operations as written, their bytes kept (decision 160);
        // parsed and written again by lopdf only when this reader does not
        // take the page on.
        let bytes = match super::content::operations(&content) {
            Some(operations) => super::content::write(&artifacts(operations)),
            None => {
                let content = Content::decode(&content)
                    .with_context(|| format!("cannot read the content of page object {page:?}"))?;
                Content {
                    operations: artifacts(content.operations),
                }
                .encode()
                .context("cannot write a page's content")?
            }
        };
        let stream = compressed(bytes)?;
        let stream = doc.add_object(stream);
        doc.get_dictionary_mut(page)?.set("Contents", stream);
    }
    Ok(())
}

/// An operation of a content stream, parsed (lopdf's) or as written.
trait Op: Sized {
    fn operator(&self) -> &[u8];
    /// `/Artifact BMC` when `begin`, else `EMC`.
    fn artifact(begin: bool) -> Self;
}

impl Op for Operation {
    fn operator(&self) -> &[u8] {
        self.operator.as_bytes()
    }

    fn artifact(begin: bool) -> Self {
        if begin {
            Operation::new("BMC", vec![Object::Name(b"Artifact".to_vec())])
        } else {
            Operation::new("EMC", vec![])
        }
    }
}

impl Op for super::content::Raw<'_> {
    fn operator(&self) -> &[u8] {
        self.operator
    }

    fn artifact(begin: bool) -> Self {
        if begin {
            Self {
                operator: b"BMC",
                bytes: b"/Artifact BMC",
            }
        } else {
            Self {
                operator: b"EMC",
                bytes: b"EMC",
            }
        }
    }
}

/// A content stream of `bytes`, compressed at zlib's default level.
pub(super) fn compressed(bytes: Vec<u8>) -> Result<Stream> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes)?;
    let compressed = encoder.finish()?;
    Ok(Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        compressed,
    ))
}

/// Path construction operators: a path object starts with one of them.
const PATH: [&[u8]; 7] = [b"m", b"l", b"c", b"v", b"y", b"h", b"re"];
/// Path painting operators: a path object ends with one of them.
const PAINT: [&[u8]; 10] = [
    b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n",
];

/// `operations` with every graphics object drawn at marked-content depth
/// 0 inside an `/Artifact` sequence. A sequence opens before such an
/// object and closes before the next marked content, `q` or `Q`, so that it
/// nests with both; a text object that holds marked content is left as it
/// is.
fn artifacts<T: Op>(operations: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(operations.len() + 64);
    let mut depth = 0usize;
    let mut open = false;
    // The path being built, until the operator that paints (or clips) it.
    let mut path: Vec<T> = Vec::new();
    let mut text: Option<Vec<T>> = None;
    let close = |out: &mut Vec<T>, open: &mut bool| {
        if *open {
            out.push(T::artifact(false));
            *open = false;
        }
    };
    let begin = |out: &mut Vec<T>, open: &mut bool| {
        if !*open {
            out.push(T::artifact(true));
            *open = true;
        }
    };
    for op in operations {
        if let Some(object) = text.as_mut() {
            let end = op.operator() == b"ET";
            object.push(op);
            if end {
                let object = text.take().unwrap_or_default();
                let marked = object
                    .iter()
                    .any(|op| matches!(op.operator(), b"BDC" | b"BMC" | b"EMC"));
                if marked {
                    close(&mut out, &mut open);
                    out.extend(artifacts_in_text(object, &mut depth));
                } else {
                    begin(&mut out, &mut open);
                    out.extend(object);
                }
            }
            continue;
        }
        if !path.is_empty() && !PAINT.contains(&op.operator()) {
            // Inside a path object (its construction, then `W` or `W*`).
            path.push(op);
            continue;
        }
        match op.operator() {
            b"BDC" | b"BMC" => {
                close(&mut out, &mut open);
                depth += 1;
                out.push(op);
            }
            b"EMC" => {
                close(&mut out, &mut open);
                depth = depth.saturating_sub(1);
                out.push(op);
            }
            b"q" | b"Q" => {
                close(&mut out, &mut open);
                out.push(op);
            }
            b"BT" if depth == 0 => text = Some(vec![op]),
            name if depth == 0 && PATH.contains(&name) => path.push(op),
            name if depth == 0 && PAINT.contains(&name) => {
                // A path that only clips (`n`) draws nothing.
                if name != b"n" {
                    begin(&mut out, &mut open);
                }
                out.append(&mut path);
                out.push(op);
            }
            b"Do" | b"sh" | b"BI" if depth == 0 => {
                begin(&mut out, &mut open);
                out.push(op);
            }
            _ => out.push(op),
        }
    }
    if let Some(object) = text {
        out.extend(object);
    }
    out.append(&mut path);
    close(&mut out, &mut open);
    out
}

/// Text-showing operators: a text object draws glyphs with them.
const SHOW: [&[u8]; 4] = [b"Tj", b"TJ", b"'", b"\""];

/// A text object that holds marked content, with each text-showing
/// operator found at marked-content depth 0 in its own `/Artifact`
/// sequence: Chromium puts the text of an `inert` chart (its labels, read
/// from the chart's table instead) in the same text object as tagged text.
/// `depth` follows the sequences the object opens or closes.
fn artifacts_in_text<T: Op>(object: Vec<T>, depth: &mut usize) -> Vec<T> {
    let mut out = Vec::with_capacity(object.len() + 8);
    for op in object {
        match op.operator() {
            b"BDC" | b"BMC" => *depth += 1,
            b"EMC" => *depth = depth.saturating_sub(1),
            _ => {}
        }
        if *depth == 0 && SHOW.contains(&op.operator()) {
            out.push(T::artifact(true));
            out.push(op);
            out.push(T::artifact(false));
        } else {
            out.push(op);
        }
    }
    out
}

/// Chromium tags a `<figure>` as a `/Figure` even when it only groups a
/// chart (itself a `/Figure` with its `/Alt`) and its table: such a wrapper
/// becomes a `/Div`, so that every `/Figure` left has a text alternative.
fn untag_figure_wrappers(doc: &mut Document) {
    let mut wrappers = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = Vec::new();
    if let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
        .and_then(|r| r.as_reference().ok())
    {
        stack.push(root);
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Ok(element) = doc.get_dictionary(id) else {
            continue;
        };
        let kids: Vec<ObjectId> = match element.get(b"K") {
            Ok(Object::Array(kids)) => kids.iter().filter_map(|k| k.as_reference().ok()).collect(),
            Ok(Object::Reference(kid)) => vec![*kid],
            _ => Vec::new(),
        };
        let structural: Vec<ObjectId> = kids
            .iter()
            .copied()
            .filter(|kid| {
                // Marked-content and object references have no /S.
                doc.get_dictionary(*kid).is_ok_and(|k| k.has(b"S"))
            })
            .collect();
        let is_figure = element.get(b"S").and_then(Object::as_name).ok() == Some(b"Figure");
        if is_figure
            && !element.has(b"Alt")
            && !element.has(b"ActualText")
            && !structural.is_empty()
        {
            wrappers.push(id);
        }
        stack.extend(structural);
    }
    for id in wrappers {
        if let Ok(element) = doc.get_dictionary_mut(id) {
            element.set("S", Object::Name(b"Div".to_vec()));
        }
    }
}

/// Gives every link a `/Contents` that says where it goes: the section
/// and its page for the Sommaire's links, the page for other links inside
/// the document, the address for the others.
fn describe_links(doc: &mut Document, toc: &[TocEntry]) {
    let titles: HashMap<&[u8], &str> = toc.iter().map(|e| (e.id.as_bytes(), e.title)).collect();
    let page_of: HashMap<ObjectId, u32> = doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number))
        .collect();
    let mut descriptions = Vec::new();
    for page in doc.get_pages().into_values() {
        let Ok(annots) = doc
            .get_dictionary(page)
            .and_then(|p| p.get(b"Annots"))
            .and_then(|a| doc.dereference(a))
            .and_then(|(_, a)| a.as_array())
        else {
            continue;
        };
        for annot in annots {
            let Ok(id) = annot.as_reference() else {
                continue;
            };
            let Ok(link) = doc.get_dictionary(id) else {
                continue;
            };
            if link.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link")
                || link.has(b"Contents")
            {
                continue;
            }
            let target = link_target(doc, link, &page_of);
            let description = match target {
                Target::Named(name, page) => match (titles.get(name.as_slice()), page) {
                    (Some(title), Some(page)) => {
                        format!("Aller à la section «\u{202f}{title}\u{202f}», page {page}")
                    }
                    (Some(title), None) => format!("Aller à la section «\u{202f}{title}\u{202f}»"),
                    (None, Some(page)) => format!("Aller à la page {page}"),
                    (None, None) => "Aller à un autre endroit du document".to_string(),
                },
                Target::Page(page) => format!("Aller à la page {page}"),
                Target::Uri(uri) => format!("Lien vers {uri}"),
                Target::Unknown => continue,
            };
            descriptions.push((id, description));
        }
    }
    for (id, description) in descriptions {
        if let Ok(link) = doc.get_dictionary_mut(id) {
            link.set("Contents", text_string(&description));
        }
    }
}

enum Target {
    Named(Vec<u8>, Option<u32>),
    Page(u32),
    Uri(String),
    Unknown,
}

fn link_target(doc: &Document, link: &Dictionary, page_of: &HashMap<ObjectId, u32>) -> Target {
    let page_in = |dest: &Object| -> Option<u32> {
        let array = doc.dereference(dest).ok()?.1.as_array().ok()?;
        page_of.get(&array.first()?.as_reference().ok()?).copied()
    };
    if let Ok(dest) = link.get(b"Dest") {
        if let Ok(name) = dest.as_name().or_else(|_| dest.as_str()) {
            let page = named_destination(doc, name).and_then(page_in);
            return Target::Named(name.to_vec(), page);
        }
        return page_in(dest).map_or(Target::Unknown, Target::Page);
    }
    let Some(action) = link
        .get(b"A")
        .ok()
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_dict().ok())
    else {
        return Target::Unknown;
    };
    if let Ok(uri) = action.get(b"URI").and_then(Object::as_str) {
        return Target::Uri(String::from_utf8_lossy(uri).into_owned());
    }
    Target::Unknown
}

/// The destination a name stands for in the catalog's `/Dests`.
fn named_destination<'a>(doc: &'a Document, name: &[u8]) -> Option<&'a Object> {
    let dests = doc.catalog().ok()?.get(b"Dests").ok()?;
    let dests = doc.dereference(dests).ok()?.1.as_dict().ok()?;
    let dest = doc.dereference(dests.get(name).ok()?).ok()?.1;
    match dest {
        Object::Dictionary(d) => d.get(b"D").ok(),
        other => Some(other),
    }
}

/// Sets the dates of the document information from `SOURCE_DATE_EPOCH`,
/// or removes them, and returns the document's title.
fn set_info(doc: &mut Document, epoch: Option<i64>) -> Result<String> {
    let info = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", id);
            id
        }
    };
    let info = doc.get_dictionary_mut(info)?;
    match epoch {
        Some(seconds) => {
            let date = Object::string_literal(pdf_date(seconds));
            info.set("CreationDate", date.clone());
            info.set("ModDate", date);
        }
        None => {
            info.remove(b"CreationDate");
            info.remove(b"ModDate");
        }
    }
    Ok(info
        .get(b"Title")
        .ok()
        .and_then(|t| t.as_str().ok())
        .map(decode_text)
        .unwrap_or_default())
}

/// The catalog's language and XMP metadata.
fn set_catalog(doc: &mut Document, title: &str, epoch: Option<i64>) -> Result<()> {
    let producer = info_text(doc, b"Producer");
    let creator = info_text(doc, b"Creator");
    let xmp = xmp(title, producer.as_deref(), creator.as_deref(), epoch);
    let metadata = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.into_bytes(),
    ));
    let catalog = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .context("the printed PDF has no catalog")?;
    let catalog = doc.get_dictionary_mut(catalog)?;
    catalog.set("Lang", Object::string_literal(LANGUAGE));
    catalog.set("Metadata", metadata);
    Ok(())
}

fn info_text(doc: &Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = doc.dereference(info).ok()?.1.as_dict().ok()?;
    info.get(key).ok()?.as_str().ok().map(decode_text)
}

/// The XMP packet: title, language, PDF/UA-1, and the tool and dates as in
/// the document information.
fn xmp(title: &str, producer: Option<&str>, creator: Option<&str>, epoch: Option<i64>) -> String {
    let mut fields = String::new();
    if let Some(producer) = producer {
        fields.push_str(&format!(
            "   <pdf:Producer>{}</pdf:Producer>\n",
            escape(producer)
        ));
    }
    if let Some(creator) = creator {
        fields.push_str(&format!(
            "   <xmp:CreatorTool>{}</xmp:CreatorTool>\n",
            escape(creator)
        ));
    }
    if let Some(seconds) = epoch {
        let date = xmp_date(seconds);
        fields.push_str(&format!("   <xmp:CreateDate>{date}</xmp:CreateDate>\n"));
        fields.push_str(&format!("   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n"));
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">
  <rdf:Description rdf:about=\"\"
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"
    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
{fields}   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end=\"r\"?>",
        title = escape(title),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `D:YYYYMMDDHHmmSSZ`, the PDF's date format, in UTC.
fn pdf_date(seconds: i64) -> String {
    let (date, h, m, s) = civil(seconds);
    format!("D:{date:08}{h:02}{m:02}{s:02}Z")
}

/// `YYYY-MM-DDTHH:MM:SSZ`, XMP's date format, in UTC.
fn xmp_date(seconds: i64) -> String {
    let (date, h, m, s) = civil(seconds);
    format!(
        "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}Z",
        date / 10_000,
        date / 100 % 100,
        date % 100
    )
}

fn civil(seconds: i64) -> (i32, i64, i64, i64) {
    let time = seconds.rem_euclid(86_400);
    (
        crate::format::date_of_epoch(seconds),
        time / 3600,
        time / 60 % 60,
        time % 60,
    )
}

/// A PDF text string: PDFDocEncoding's ASCII as it is, anything else in
/// UTF-16BE with its byte order mark.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A PDF text string read back: UTF-16BE after its byte order mark, else
/// PDFDocEncoding read as Latin-1 (the same for the ASCII Chromium writes).
fn decode_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(text: &str) -> Vec<Operation> {
        Content::decode(text.as_bytes()).unwrap().operations
    }

    fn text(operations: Vec<Operation>) -> String {
        String::from_utf8(Content { operations }.encode().unwrap())
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Operations as Chromium writes them, to draw pages from.
    const VOCABULARY: [&str; 32] = [
        "q",
        "Q",
        "BT",
        "ET",
        "EMC",
        "/Artifact BMC",
        "/Span <</MCID 3>> BDC",
        "/P <</MCID 1 /Alt (a \\) (b) c) /K [1 <</A 2>>]>> BDC",
        "/F1 12 Tf",
        "1 0 0 -1 10.5 20 Tm",
        "<0033> Tj",
        "[(a\\)b) -3 <0041>] TJ",
        "(x) '",
        "1 2 (y) \"",
        "0 0 10 10 re",
        "f",
        "n",
        "W",
        "W* n",
        "10 20 m",
        "30.25 -40 l",
        "1 2 3 4 5 6 c",
        "S",
        "f*",
        "/Im1 Do",
        "/Sh1 sh",
        "0.5 g",
        "/G3 gs",
        "1 0 0 1 5 5 cm",
        "5.9264984 0 Td",
        "T* % a comment",
        ".23999999 0 0 -.23999999 +0 841.91998 cm",
    ];

    proptest::proptest! {
        /// The artifacts marked on the operations as written are those
        /// marked on the operations lopdf parses, read back alike.
        #[test]
        fn artifacts_marked_on_the_bytes_are_those_marked_on_the_parsed_operations(
            picks in proptest::collection::vec(0..VOCABULARY.len(), 0..60),
            separators in proptest::collection::vec(0..6usize, 60),
        ) {
            // Mostly a space or a line end; sometimes nothing, so that
            // words run together (`0q`, `EMCQ`) as lopdf may cut them
            // otherwise: then the bytes must be left to lopdf.
            let page: String = picks
                .iter()
                .zip(&separators)
                .map(|(&n, &s)| format!("{}{}", VOCABULARY[n], ["\n", " ", " ", "\n", " ", ""][s]))
                .collect();
            let parsed = artifacts(ops(&page));
            let raw = super::super::content::operations(page.as_bytes());
            proptest::prop_assume!(raw.is_some());
            let raw = raw.unwrap_or_default();
            let written = super::super::content::write(&artifacts(raw));
            let read_back = Content::decode(&written).unwrap().operations;
            proptest::prop_assert_eq!(format!("{read_back:?}"), format!("{parsed:?}"));
        }
    }

    #[test]
    fn what_is_drawn_outside_marked_content_becomes_an_artifact() {
        let page = "q 1 0 0 rg BT /F1 8 Tf 10 10 Td (Page 2 / 9) Tj ET \
                    0 0 5 5 re f Q \
                    /P <</MCID 0>> BDC BT (texte) Tj ET EMC \
                    BT /Span <</MCID 1>> BDC (tagged) Tj EMC ET \
                    0 0 m 5 5 l S";
        assert_eq!(
            text(artifacts(ops(page))),
            "q 1 0 0 rg /Artifact BMC BT /F1 8 Tf 10 10 Td (Page 2 / 9) Tj ET \
             0 0 5 5 re f EMC Q \
             /P <</MCID 0>> BDC BT (texte) Tj ET EMC \
             BT /Span <</MCID 1>> BDC (tagged) Tj EMC ET \
             /Artifact BMC 0 0 m 5 5 l S EMC"
        );
    }

    #[test]
    fn untagged_text_beside_tagged_text_in_one_object_becomes_an_artifact() {
        let page = "BT /F1 8 Tf (3) Tj 5 0 Td (H) Tj /Span <</MCID 2>> BDC (lu) Tj EMC ET \
                    /P <</MCID 3>> BDC BT (dans) Tj ET EMC";
        assert_eq!(
            text(artifacts(ops(page))),
            "BT /F1 8 Tf /Artifact BMC (3) Tj EMC 5 0 Td /Artifact BMC (H) Tj EMC \
             /Span <</MCID 2>> BDC (lu) Tj EMC ET \
             /P <</MCID 3>> BDC BT (dans) Tj ET EMC"
        );
    }

    #[test]
    fn a_page_already_tagged_is_left_as_it_is() {
        let page = "/P <</MCID 0>> BDC BT (a) Tj ET EMC q 0 0 5 5 re W n Q q 1 0 0 1 5 5 cm Q";
        assert_eq!(text(artifacts(ops(page))), text(ops(page)));
    }

    #[test]
    fn dates_come_from_the_epoch_in_both_formats() {
        assert_eq!(pdf_date(1_735_732_800), "D:20250101120000Z");
        assert_eq!(xmp_date(1_735_732_800), "2025-01-01T12:00:00Z");
        assert_eq!(pdf_date(0), "D:19700101000000Z");
    }

    #[test]
    fn text_strings_go_to_utf16_when_not_ascii_and_back() {
        let title = "Bilan d’activité 2024 — «\u{202f}x\u{202f}»";
        let Object::String(bytes, _) = text_string(title) else {
            panic!("not a string")
        };
        assert_eq!(&bytes[..2], &[0xfe, 0xff]);
        assert_eq!(decode_text(&bytes), title);
        assert_eq!(text_string("Page"), Object::string_literal("Page"));
    }

    #[test]
    fn the_metadata_escapes_the_title_and_declares_pdf_ua() {
        let packet = xmp("A & B <C>", Some("Skia/PDF"), None, None);
        assert!(packet.contains("<rdf:li xml:lang=\"x-default\">A &amp; B &lt;C&gt;</rdf:li>"));
        assert!(packet.contains("<rdf:li>fr-FR</rdf:li>"));
        assert!(packet.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(packet.contains("<pdf:Producer>Skia/PDF</pdf:Producer>"));
        assert!(!packet.contains("Date>"));
        assert!(xmp("t", None, None, Some(0))
            .contains("<xmp:CreateDate>1970-01-01T00:00:00Z</xmp:CreateDate>"));
    }
}
