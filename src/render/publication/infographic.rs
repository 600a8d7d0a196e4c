//! `chiffres_cles.svg` (SPEC §6): the web text's figures as a one-page A4
//! infographic — a title band, then one tile per figure with its value and
//! its words, in the order of the text. Real text, not outlines, so that
//! it can be read aloud, searched and reworded; no text smaller than 4.2
//! units (12 pt printed on A4); every text at least 4.5:1 against what is
//! behind it; `role="img"` with a `<title>` and a `<desc>` holding the text
//! of `chiffres_cles.txt`.
//!
//! SVG does not wrap text: the words are cut into lines here, by an
//! estimate of their printed width in the widest font the page names
//! (DejaVu Sans), so that a narrower one (Liberation Sans, Arial) only
//! leaves more room.

use std::fmt::Write as _;

use anyhow::Result;

use super::{key_text, KeyText};
use crate::secret::ScopeReport;

/// The page, in millimetres (the `viewBox`'s units).
const PAGE_WIDTH: f64 = 210.0;
const PAGE_HEIGHT: f64 = 297.0;
const MARGIN: f64 = 12.0;
/// The smallest text on the page (12 pt).
pub const SMALLEST_TEXT: f64 = 4.2;

const FONT: &str = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
/// The report's accent: 6.7:1 on white, 6.1:1 on the tiles.
const ACCENT: &str = "#1f5f8b";
const TILE: &str = "#eef3f7";
const TEXT: &str = "#222222";
const MUTED: &str = "#4a4a4a";
const WHITE: &str = "#ffffff";
const RESTRICTED: &str = "#a40000";

/// The band at the top holding the title.
const BAND: f64 = 36.0;
/// Where the tiles may start and end.
const TILES_TOP: f64 = 54.0;
const TILES_BOTTOM: f64 = 279.0;
const TILE_GAP: f64 = 2.5;
/// Above and below a tile's text, together.
const TILE_PADDING: f64 = 3.5;
/// The tallest a tile gets when there are few.
const TILE_MAX: f64 = 26.0;
/// The value's column, then the words' column, inside a tile.
const VALUE_X: f64 = MARGIN + 7.0;
const VALUE_WIDTH: f64 = 55.0;
const WORDS_X: f64 = MARGIN + 64.0;
const WORDS_WIDTH: f64 = PAGE_WIDTH - MARGIN - 4.0 - WORDS_X;
const VALUE_SIZE: f64 = 10.0;
const WORDS_SIZE: f64 = 5.6;
/// Line height, in font sizes.
const LEADING: f64 = 1.25;

/// `chiffres_cles.svg` of a report folder.
pub fn chiffres_cles_svg(report: &ScopeReport, _: &tera::Tera) -> Result<String> {
    let text = key_text(report);
    let year = report.year();
    let (subtitle, source) = match report.scope().team() {
        None => (
            "Dispositif intégré handicaps rares".to_string(),
            format!(
                "Source : bilan d’activité {year} du dispositif intégré handicaps rares, année civile {year}."
            ),
        ),
        Some(_) => (
            text.scope_label.clone(),
            format!(
                "Source : bilan d’activité {year} — {}, année civile {year}.",
                text.scope_label
            ),
        ),
    };
    Ok(draw(&text, &subtitle, &crate::format::typography(&source)))
}

/// The page of `text`, its band naming `subtitle`, `source` at its foot.
fn draw(text: &KeyText, subtitle: &str, source: &str) -> String {
    let title = format!("Chiffres clés {}", text.year);
    let mut svg = String::new();
    svg.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\" role=\"img\" aria-labelledby=\"titre description\" lang=\"fr\" xml:lang=\"fr\" font-family=\"{FONT}\">"
    );
    let _ = writeln!(
        svg,
        "<title id=\"titre\">{}</title>",
        escape(&format!("{title} — {}", text.scope_label))
    );
    let _ = writeln!(
        svg,
        "<desc id=\"description\">{}</desc>",
        escape(text.text().trim_end())
    );
    rect(&mut svg, 0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT, WHITE);
    rect(&mut svg, 0.0, 0.0, PAGE_WIDTH, BAND, ACCENT);
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    label(
        &mut svg,
        MARGIN,
        17.0,
        fit(&title, 13.0, width, true),
        WHITE,
        true,
        &title,
    );
    label(
        &mut svg,
        MARGIN,
        28.5,
        fit(subtitle, 6.5, width, false),
        WHITE,
        false,
        subtitle,
    );
    label(
        &mut svg,
        MARGIN,
        47.0,
        fit(&text.intro, 6.5, width, false),
        TEXT,
        false,
        &text.intro,
    );
    tiles(&mut svg, text);
    let mut foot = PAGE_HEIGHT - 9.0;
    label(
        &mut svg,
        MARGIN,
        foot,
        fit(source, SMALLEST_TEXT, width, false),
        MUTED,
        false,
        source,
    );
    if text.restricted {
        foot -= 6.5;
        let line = &text.restricted_line;
        label(
            &mut svg,
            MARGIN,
            foot,
            fit(line, 4.6, width, true),
            RESTRICTED,
            true,
            line,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// One tile per figure, full width, one under the other: the words at the
/// largest size (down to the smallest allowed) at which every tile fits the
/// page, the tiles of one height when they can be.
fn tiles(svg: &mut String, text: &KeyText) {
    let bottom = if text.restricted {
        TILES_BOTTOM - 6.0
    } else {
        TILES_BOTTOM
    };
    let count = text.figures.len();
    let gaps = TILE_GAP * count.saturating_sub(1) as f64;
    let room = bottom - TILES_TOP - gaps;
    let even = (room / count.max(1) as f64).min(TILE_MAX);
    let layout = |size: f64| {
        let lines: Vec<Vec<String>> = text
            .figures
            .iter()
            .map(|f| wrap(f.tile_words(), size, WORDS_WIDTH))
            .collect();
        let needs: Vec<f64> = lines
            .iter()
            .map(|l| (l.len() as f64 * size * LEADING).max(VALUE_SIZE) + TILE_PADDING)
            .collect();
        (size, lines, needs)
    };
    // The largest words at which the tiles are all of one height; failing
    // that, the largest at which tiles of their own heights fit.
    let sizes: Vec<f64> = (0..)
        .map(|step| WORDS_SIZE - 0.2 * f64::from(step))
        .take_while(|size| *size >= SMALLEST_TEXT - 1e-9)
        .collect();
    let tallest = |needs: &[f64]| needs.iter().copied().fold(0.0, f64::max);
    let (size, lines, needs) = sizes
        .iter()
        .map(|&size| layout(size))
        .find(|(_, _, needs)| tallest(needs) <= even)
        .or_else(|| {
            sizes
                .iter()
                .map(|&size| layout(size))
                .find(|(_, _, needs)| needs.iter().sum::<f64>() <= room)
        })
        .unwrap_or_else(|| layout(SMALLEST_TEXT));
    let tallest = tallest(&needs);
    let spare = (room - needs.iter().sum::<f64>()) / count.max(1) as f64;
    let mut top = TILES_TOP;
    for ((figure, lines), need) in text.figures.iter().zip(&lines).zip(&needs) {
        let height = if tallest <= even {
            even
        } else {
            need + spare.max(0.0)
        };
        rect(svg, MARGIN, top, PAGE_WIDTH - 2.0 * MARGIN, height, TILE);
        rect(svg, MARGIN, top, 2.5, height, ACCENT);
        let value_size = fit(&figure.value, VALUE_SIZE, VALUE_WIDTH, true);
        let middle = top + height / 2.0;
        label(
            svg,
            VALUE_X,
            middle + value_size * 0.36,
            value_size,
            ACCENT,
            true,
            &figure.value,
        );
        let block = lines.len() as f64 * size * LEADING;
        let first = middle - block / 2.0 + size * LEADING * 0.5 + size * 0.36;
        for (j, line) in lines.iter().enumerate() {
            label(
                svg,
                WORDS_X,
                first + j as f64 * size * LEADING,
                size,
                TEXT,
                false,
                line,
            );
        }
        top += height + TILE_GAP;
    }
}

fn rect(svg: &mut String, x: f64, y: f64, width: f64, height: f64, fill: &str) {
    let _ = writeln!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
        number(x),
        number(y),
        number(width),
        number(height)
    );
}

/// A line of text whose baseline starts at (`x`, `y`).
fn label(svg: &mut String, x: f64, y: f64, size: f64, fill: &str, bold: bool, text: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} fill=\"{fill}\">{}</text>",
        number(x),
        number(y),
        number(size),
        escape(text)
    );
}

/// The type size, from `size` down to the smallest allowed, at which
/// `text` fits `width` on one line.
fn fit(text: &str, size: f64, width: f64, bold: bool) -> f64 {
    let mut size = size;
    while size > SMALLEST_TEXT && text_width(text, size, bold) > width {
        size = (size - 0.1).max(SMALLEST_TEXT);
    }
    size
}

/// `text` cut into lines no wider than `width` at `size`, at ordinary
/// spaces only (no-break spaces keep `19 740` and `« sans solution »`
/// whole), the lines as even as their number allows: a tile never ends on
/// one short word.
pub fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let lines = greedy(text, size, width);
    // The narrowest width that still gives as few lines.
    let (mut low, mut high) = (0.0, width);
    for _ in 0..20 {
        let middle = (low + high) / 2.0;
        if greedy(text, size, middle).len() <= lines.len() {
            high = middle;
        } else {
            low = middle;
        }
    }
    let even = greedy(text, size, high);
    if even.len() == lines.len() {
        even
    } else {
        lines
    }
}

/// Fills each line with as many words as fit `width`; a word of one or
/// two letters, or a number, stays with the next ("de 3 à 16 ans",
/// "le DIHR").
fn greedy(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let binds = word.chars().count() <= 2 || word.ends_with(|c: char| c.is_ascii_digit());
        let group = match pending.take() {
            Some(before) => format!("{before} {word}"),
            None => word.to_string(),
        };
        if binds {
            pending = Some(group);
        } else {
            words.push(group);
        }
    }
    words.extend(pending);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in &words {
        let candidate = if line.is_empty() {
            word.clone()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, size, false) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.clone()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// An estimate of the printed width of `text` at `size` in DejaVu Sans
/// (its advance widths, 3 % to spare), bold about a tenth wider.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(advance).sum();
    ems * size * 1.03 * if bold { 1.12 } else { 1.0 }
}

/// A character's advance width in DejaVu Sans, in ems; an accented letter
/// as its letter.
fn advance(c: char) -> f64 {
    let mut base = c;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base == c {
            base = d;
        }
    });
    match base {
        ' ' | '\u{a0}' | '.' | ',' | '’' => 0.32,
        '\u{202f}' => 0.25,
        '\'' => 0.275,
        ':' | ';' | '/' => 0.337,
        '!' => 0.401,
        '(' | ')' => 0.39,
        '-' => 0.361,
        '%' => 0.95,
        '—' => 1.0,
        '–' => 0.5,
        '«' | '»' => 0.557,
        '<' | '>' | '=' | '+' => 0.838,
        '0'..='9' => 0.636,
        'i' | 'j' | 'l' | 'I' | 'J' => 0.295,
        'f' => 0.352,
        't' => 0.392,
        'r' => 0.411,
        's' => 0.521,
        'z' => 0.525,
        'c' => 0.55,
        'k' => 0.579,
        'v' | 'x' | 'y' => 0.592,
        'a' | 'e' | 'o' => 0.615,
        'm' => 0.974,
        'w' => 0.818,
        'L' => 0.557,
        'F' => 0.575,
        'P' | 'T' | 'Y' => 0.611,
        'E' | 'S' => 0.635,
        'K' => 0.656,
        'A' | 'B' | 'C' | 'R' | 'V' | 'X' | 'Z' => 0.698,
        'M' => 0.863,
        'W' => 0.989,
        c if c.is_lowercase() => 0.635,
        c if c.is_uppercase() => 0.787,
        _ => 0.8,
    }
}

/// A coordinate with at most two decimals, no trailing zeros.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::contrast::contrast;
    use crate::render::publication::WebFigure;

    fn figure(id: &'static str, value: &str, words: &str) -> WebFigure {
        WebFigure {
            id,
            lead: None,
            value: value.to_string(),
            words: words.to_string(),
            alone: None,
        }
    }

    /// The national text of 2024 with every later figure (thirteen tiles,
    /// the most the page must hold).
    fn full_text(restricted: bool) -> KeyText {
        let n = "\u{202f}";
        let words = [
            ("2{n}345", "personnes en situation de handicap rare accompagnées par les ERHR et les CNRHR"),
            ("627", "nouvelles personnes qui ont sollicité le DIHR"),
            ("63{n}%", "des personnes ont une maladie rare diagnostiquée"),
            ("76{n}%", "des personnes vivent à domicile"),
            ("35{n}%", "des personnes ont au moins un trouble du neurodéveloppement"),
            ("59{n}%", "des enfants âgés de 3 à 16 ans sont scolarisés"),
            ("35{n}%", "des personnes ont bénéficié au moins d’une visite à domicile ou en établissement"),
            ("53{n}%", "des personnes ont moins de 20 ans"),
            ("590", "personnes sont «{n}sans solution{n}»"),
            ("1{n}643", "personnes présentent au moins un trouble associé"),
            ("4", "types d’accompagnements médico-sociaux ou sanitaires cumulés en moyenne par personne accompagnée"),
            ("23 jours", "de délai médian entre la première demande et la première intervention"),
            ("1{n}287", "actions collectives auprès de 19{n}740 participants"),
        ];
        KeyText {
            year: 2024,
            scope_label: "National — ensemble des ERHR et des CNRHR".to_string(),
            intro: "En 2024 ce sont notamment\u{202f}:".to_string(),
            figures: words
                .iter()
                .map(|(v, w)| figure("x", &v.replace("{n}", n), &w.replace("{n}", n)))
                .collect(),
            restricted,
            restricted_line: "Diffusion restreinte".to_string(),
        }
    }

    /// An element of the page as an XML parser reads it back: its name,
    /// attributes and text.
    #[derive(Debug, Default)]
    struct Element {
        name: String,
        attributes: Vec<(String, String)>,
        text: String,
    }

    impl Element {
        fn get(&self, key: &str) -> &str {
            self.attributes
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str())
        }

        fn number(&self, key: &str) -> f64 {
            self.get(key)
                .parse()
                .unwrap_or_else(|_| panic!("{key} of {self:?}"))
        }
    }

    /// Every element of `svg`, in document order (the test fails on XML
    /// that is not well-formed).
    fn parse(svg: &str) -> Vec<Element> {
        use quick_xml::events::Event;
        use quick_xml::XmlVersion;
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
                            let a = a.expect("a well-formed attribute");
                            (
                                a.key.as_ref().to_string(),
                                a.normalized_value(XmlVersion::Implicit1_0)
                                    .expect("escaped")
                                    .into_owned(),
                            )
                        })
                        .collect();
                    elements.push(Element {
                        name: e.name().as_ref().to_string(),
                        attributes,
                        text: String::new(),
                    });
                    if matches!(event, Event::Start(_)) {
                        open.push(elements.len() - 1);
                    }
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(t) => {
                    if let Some(&i) = open.last() {
                        elements[i].text.push_str(t.as_ref());
                    }
                }
                Event::GeneralRef(r) => {
                    let entity = match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        other => panic!("unexpected reference {other:?}"),
                    };
                    if let Some(&i) = open.last() {
                        elements[i].text.push_str(entity);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        elements
    }

    /// Checks SPEC §6's constraints on the page drawn for `text`, reading
    /// it back as XML.
    fn check_page(svg: &str, text: &KeyText) {
        let elements = parse(svg);
        let root = &elements[0];
        assert_eq!(root.name, "svg");
        assert_eq!(root.get("viewBox"), "0 0 210 297");
        assert_eq!(root.get("width"), "210mm");
        assert_eq!(root.get("height"), "297mm");
        assert_eq!(root.get("role"), "img");
        let title = elements
            .iter()
            .find(|e| e.name == "title")
            .expect("a title");
        let desc = elements.iter().find(|e| e.name == "desc").expect("a desc");
        assert_eq!(
            root.get("aria-labelledby"),
            format!("{} {}", title.get("id"), desc.get("id"))
        );
        assert!(
            title.text.starts_with("Chiffres clés 2024"),
            "{}",
            title.text
        );
        assert_eq!(desc.text, text.text().trim_end(), "the desc holds the text");
        assert!(!svg.contains("<path"), "text as text, not outlines");
        let rects: Vec<&Element> = elements.iter().filter(|e| e.name == "rect").collect();
        let texts: Vec<&Element> = elements.iter().filter(|e| e.name == "text").collect();
        for t in &texts {
            let (x, y, size) = (t.number("x"), t.number("y"), t.number("font-size"));
            assert!(size >= SMALLEST_TEXT, "{size} < 4.2: {t:?}");
            assert!(!t.text.trim().is_empty(), "{t:?}");
            let bold = t.get("font-weight") == "bold";
            assert!(
                x >= MARGIN && x + text_width(&t.text, size, bold) <= PAGE_WIDTH - MARGIN + 0.01,
                "within the margins: {t:?}"
            );
            assert!(
                y - size >= 0.0 && y <= PAGE_HEIGHT - 5.0,
                "on the page: {t:?}"
            );
            // What is behind the text: the last rect drawn under its
            // middle.
            let (mx, my) = (x + 1.0, y - size * 0.35);
            let behind = rects
                .iter()
                .rev()
                .find(|r| {
                    let (rx, ry) = (r.number("x"), r.number("y"));
                    mx >= rx
                        && mx <= rx + r.number("width")
                        && my >= ry
                        && my <= ry + r.number("height")
                })
                .expect("every text sits on a rect");
            let ratio = contrast(t.get("fill"), behind.get("fill"));
            assert!(ratio >= 4.5, "{ratio:.2}:1 for {t:?} on {behind:?}");
        }
        // One tile per figure, in the order of the text, none overlapping,
        // each holding its value and its words (the texts drawn after it,
        // up to the next rect), every glyph inside it.
        let mut tiles: Vec<(&Element, Vec<&Element>)> = Vec::new();
        for element in &elements {
            match element.name.as_str() {
                "rect" if element.get("fill") == TILE => tiles.push((element, Vec::new())),
                "rect" => {}
                "text" => {
                    if let Some((tile, texts)) = tiles.last_mut() {
                        let bottom = tile.number("y") + tile.number("height");
                        if element.number("y") <= bottom + 1.0 {
                            texts.push(element);
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(tiles.len(), text.figures.len());
        for pair in tiles.windows(2) {
            assert!(pair[0].0.number("y") + pair[0].0.number("height") < pair[1].0.number("y"));
        }
        for ((tile, texts), figure) in tiles.iter().zip(&text.figures) {
            let (top, bottom) = (tile.number("y"), tile.number("y") + tile.number("height"));
            assert!(bottom <= TILES_BOTTOM, "{tile:?}");
            assert_eq!(texts[0].text, figure.value);
            let words: Vec<&str> = texts[1..].iter().map(|t| t.text.as_str()).collect();
            assert_eq!(words.join(" "), figure.tile_words());
            for t in texts {
                let (y, size) = (t.number("y"), t.number("font-size"));
                // Capitals and accents above the baseline, descenders below.
                assert!(
                    y - size * 0.78 >= top && y + size * 0.24 <= bottom,
                    "{t:?} outside its tile {top}–{bottom}"
                );
            }
        }
    }

    #[test]
    fn the_page_is_a4_with_real_text_large_enough_and_contrasted() {
        for restricted in [false, true] {
            let text = full_text(restricted);
            let svg = draw(
                &text,
                "Dispositif intégré handicaps rares",
                "Source : test.",
            );
            check_page(&svg, &text);
        }
        let mut few = full_text(false);
        few.figures.truncate(3);
        few.figures[2].value = "<\u{a0}1\u{202f}%".to_string();
        let svg = draw(&few, "ERHR Bretagne", "Source & test.");
        check_page(&svg, &few);
    }

    #[test]
    fn words_wrap_at_ordinary_spaces_only() {
        let text = "actions collectives auprès de 19\u{202f}740 participants";
        let lines = wrap(text, 5.0, 80.0);
        assert_eq!(
            lines,
            [
                "actions collectives auprès",
                "de 19\u{202f}740 participants"
            ],
            "no-break spaces hold, a short word or a number goes with the next, the lines are even"
        );
        for line in &lines {
            assert!(text_width(line, 5.0, false) <= 80.0, "{line}");
        }
        assert_eq!(wrap(text, 5.0, 500.0), [text]);
        assert_eq!(
            wrap("des enfants âgés de 3 à 16 ans sont scolarisés", 5.0, 90.0),
            ["des enfants âgés", "de 3 à 16 ans sont scolarisés"]
        );
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.345), "12.35");
        assert_eq!(number(0.5), "0.5");
    }
}
