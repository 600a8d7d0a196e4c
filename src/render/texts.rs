//! The analyst's own texts (`--textes DIR`, SPEC §6): `edito.md`,
//! `faits_marquants.md` and `perspectives.md`, each optional, in Markdown,
//! placed in their sections of the report. Read and turned into HTML before
//! the export is read, so that a wrong folder or file fails at once. Raw
//! HTML in them is written as text (the report stays accessible and
//! self-contained); their headings are put under the section's.

use std::path::Path;

use anyhow::{bail, Context, Result};
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// The texts, as HTML; `None` for a file the folder does not have.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Texts {
    pub edito: Option<String>,
    pub faits_marquants: Option<String>,
    pub perspectives: Option<String>,
}

/// The files a texts folder may hold.
const FILES: [&str; 3] = ["edito.md", "faits_marquants.md", "perspectives.md"];

impl Texts {
    /// Reads the texts of `dir`; none without a folder.
    pub fn read(dir: Option<&Path>) -> Result<Self> {
        let Some(dir) = dir else {
            return Ok(Self::default());
        };
        if !dir.is_dir() {
            bail!(
                "--textes {}: not a folder; give the folder holding {}",
                dir.display(),
                FILES.join(", ")
            );
        }
        let read = |name: &str| -> Result<Option<String>> {
            let path = dir.join(name);
            if !path.exists() {
                return Ok(None);
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!(
                    "{} is not UTF-8 text: save it as UTF-8 (« Texte Unicode UTF-8 » in a text editor)",
                    path.display()
                )
            })?;
            Ok((!text.trim().is_empty()).then(|| markdown(&text)))
        };
        let texts = Self {
            edito: read(FILES[0])?,
            faits_marquants: read(FILES[1])?,
            perspectives: read(FILES[2])?,
        };
        if texts.edito.is_none() && texts.faits_marquants.is_none() && texts.perspectives.is_none()
        {
            bail!(
                "--textes {}: the folder holds none of {}",
                dir.display(),
                FILES.join(", ")
            );
        }
        Ok(texts)
    }
}

/// Markdown as HTML: raw HTML written as text, headings two levels down
/// (a `#` title is a third-level heading under the section's).
fn markdown(text: &str) -> String {
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let events = Parser::new_ext(text, Options::empty()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    crate::format::typography_html(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_with_its_headings_under_the_section_and_no_raw_html() {
        let html = markdown("# Un titre\n\nUn *mot* : <script>x</script>\n");
        assert!(html.contains("<h3>Un titre</h3>"), "{html}");
        assert!(html.contains("<em>mot</em>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("\u{202F}:"), "French typography: {html}");
    }

    #[test]
    fn a_folder_without_any_text_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Texts::read(Some(dir.path())).is_err());
        std::fs::write(dir.path().join("edito.md"), "Bonne lecture.").unwrap();
        let texts = Texts::read(Some(dir.path())).unwrap();
        assert!(texts.edito.is_some() && texts.perspectives.is_none());
    }
}
