//! The acronyms of a rendered HTML page (SPEC §6 item 12): the first use of
//! each acronym of the glossary, in document order, becomes
//! `<abbr title="expansion">`, and the element whose `id` is
//! [`LIST_ID`] (the *Glossaire* section's `<dl>`) receives one entry per
//! acronym the page uses. A pass over the finished HTML rather than a
//! template filter: it sees every text the templates write, the user's
//! own templates included, and the templates need not know it.
//!
//! Only text is read: tags and their attributes are copied as they are,
//! and so is everything inside `<head>`, `<svg>` (charts have their own
//! text alternative and table), `<script>`, `<style>`, `<title>`,
//! `<code>`, `<pre>` and an `<abbr>` already written.

use crate::format;
use crate::reference::glossary::{self, Acronym, Glossary};

/// The `id` of the element that lists the page's acronyms.
pub const LIST_ID: &str = "glossaire-liste";

/// Elements whose content is not running text.
const SKIPPED: [&str; 8] = [
    "head", "svg", "script", "style", "title", "code", "pre", "abbr",
];

/// `html` with its acronyms marked and, when it has the list element, the
/// list filled.
pub fn mark_acronyms(html: &str) -> String {
    mark_with(html, Glossary::builtin())
}

fn mark_with(html: &str, glossary: &Glossary) -> String {
    let mut out = String::with_capacity(html.len() + 4096);
    let mut used: Vec<&Acronym> = Vec::new();
    let mut list_at: Option<usize> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            mark_text(rest, glossary, &mut used, &mut out);
            break;
        };
        mark_text(&rest[..open], glossary, &mut used, &mut out);
        rest = &rest[open..];
        let tag_len = tag_length(rest);
        let tag = &rest[..tag_len];
        out.push_str(tag);
        rest = &rest[tag_len..];
        if tag.contains(&format!("id=\"{LIST_ID}\"")) {
            list_at = Some(out.len());
        }
        if let Some(name) = opening_name(tag) {
            if SKIPPED.contains(&name.as_str()) && !tag.ends_with("/>") {
                let end = closing_end(rest, &name);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    if let Some(at) = list_at {
        out.insert_str(at, &list(&used));
    }
    out
}

/// Copies a run of text to `out`, each glossary acronym not met before
/// wrapped in `<abbr>`. Character references (`&amp;`) are copied whole.
fn mark_text<'g>(
    text: &str,
    glossary: &'g Glossary,
    used: &mut Vec<&'g Acronym>,
    out: &mut String,
) {
    let mut copied = 0;
    for word in glossary::words(text) {
        if word.start < copied || in_reference(text, word.start) {
            continue;
        }
        let Some(acronym) = glossary.get(word.text) else {
            continue;
        };
        if used.iter().any(|a| a.sigle == acronym.sigle) {
            continue;
        }
        used.push(acronym);
        out.push_str(&text[copied..word.start]);
        out.push_str(&format!(
            "<abbr title=\"{}\">{}</abbr>",
            escape(&format::typography(&acronym.developpement)),
            word.text
        ));
        copied = word.start + word.text.len();
    }
    out.push_str(&text[copied..]);
}

/// Whether byte `at` of `text` is inside a character reference (`&#x27;`).
fn in_reference(text: &str, at: usize) -> bool {
    let before = &text[..at];
    match before.rfind('&') {
        Some(amp) => !before[amp..].contains(';') && text[at..].contains(';'),
        None => false,
    }
}

/// The length of the tag, comment or declaration at the start of `text`
/// (which starts with `<`), quotes in attributes respected.
fn tag_length(text: &str) -> usize {
    if text.starts_with("<!--") {
        return text.find("-->").map_or(text.len(), |end| end + 3);
    }
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// The lower-case element name of an opening tag; none for a closing tag,
/// a comment or a declaration.
fn opening_name(tag: &str) -> Option<String> {
    let name: String = tag
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Where the element `name` whose content starts `text` ends: just after
/// its closing tag (nested elements of the same name counted).
fn closing_end(text: &str, name: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let (open, close) = (format!("<{name}"), format!("</{name}"));
    let mut depth = 1;
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        let rest = &lower[start..];
        let length = tag_length(&text[start..]);
        if rest.starts_with(&close) && is_name_end(rest, close.len()) {
            depth -= 1;
            if depth == 0 {
                return start + length;
            }
        } else if rest.starts_with(&open)
            && is_name_end(rest, open.len())
            && !text[start..start + length].ends_with("/>")
        {
            depth += 1;
        }
        at = start + length.max(1);
    }
    text.len()
}

fn is_name_end(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// The *Glossaire*'s entries: the acronyms the page uses, alphabetically.
fn list(used: &[&Acronym]) -> String {
    let mut sorted = used.to_vec();
    sorted.sort_by_key(|a| a.sigle.to_uppercase());
    sorted
        .iter()
        .map(|a| {
            format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape(&a.sigle),
                escape(&format::typography(&a.developpement))
            )
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_use_of_each_acronym_is_marked_in_text_only() {
        let html = concat!(
            "<!DOCTYPE html><html><head><title>Les ERHR</title></head><body>",
            "<p title=\"TND\">Les ERHR et les CNRHR ; l’ERHR-BRE ; les ERHR.</p>",
            "<svg><text>TND</text><svg><text>MDPH</text></svg><text>MDPH</text></svg>",
            "<p>Au moins un TND &amp; la MDPH</p>",
            "<dl id=\"glossaire-liste\"></dl></body></html>"
        );
        let marked = mark_acronyms(html);
        assert_eq!(
            marked.matches("<abbr").count(),
            4,
            "ERHR, CNRHR, TND, MDPH once each: {marked}"
        );
        assert!(marked.contains("<title>Les ERHR</title>"));
        assert!(marked.contains(
            "<p title=\"TND\">Les <abbr title=\"Équipe relais handicaps rares\">ERHR</abbr> et"
        ));
        assert!(marked.contains("l’ERHR-BRE ; les ERHR.</p>"), "{marked}");
        assert!(marked
            .contains("<svg><text>TND</text><svg><text>MDPH</text></svg><text>MDPH</text></svg>"));
        assert!(marked.contains(
            "un <abbr title=\"Trouble du neurodéveloppement\">TND</abbr> &amp; la <abbr"
        ));
        assert!(marked.contains(concat!(
            "<dl id=\"glossaire-liste\"><dt>CNRHR</dt><dd>Centre national de ressources handicaps rares</dd>\n",
            "<dt>ERHR</dt><dd>Équipe relais handicaps rares</dd>\n",
            "<dt>MDPH</dt>"
        )));
    }

    #[test]
    fn references_quotes_and_comments_are_left_alone() {
        let html = "<p data-x='a > TND'>x &#x2F;TND<!-- ERHR --> FALC</p>";
        let marked = mark_acronyms(html);
        assert_eq!(
            marked,
            "<p data-x='a > TND'>x &#x2F;<abbr title=\"Trouble du neurodéveloppement\">TND</abbr><!-- ERHR --> <abbr title=\"Facile à lire et à comprendre\">FALC</abbr></p>"
        );
        let no_list = "<p>Sans liste : TND</p>";
        assert!(!mark_acronyms(no_list).contains("<dt>"));
    }
}
