//! Tera setup: the built-in templates of `report_templates/` are compiled
//! in; a user's folder (`--templates DIR`) overrides any of them by name.
//! Filters are registered here, once.

use std::collections::HashMap;
use std::error::Error as _;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use tera::{Tera, Value};

use crate::format;

/// The built-in templates, by name.
pub const BUILTIN: [(&str, &str); 28] = [
    (
        "synthese.html",
        include_str!("../../report_templates/synthese.html"),
    ),
    (
        "dispositif.html",
        include_str!("../../report_templates/dispositif.html"),
    ),
    (
        "sources.html",
        include_str!("../../report_templates/sources.html"),
    ),
    (
        "controle.html",
        include_str!("../../report_templates/controle.html"),
    ),
    (
        "report.html",
        include_str!("../../report_templates/report.html"),
    ),
    (
        "style.css",
        include_str!("../../report_templates/style.css"),
    ),
    (
        "cover.html",
        include_str!("../../report_templates/cover.html"),
    ),
    (
        "sommaire.html",
        include_str!("../../report_templates/sommaire.html"),
    ),
    (
        "chiffres_cles.html",
        include_str!("../../report_templates/chiffres_cles.html"),
    ),
    (
        "evolution.html",
        include_str!("../../report_templates/evolution.html"),
    ),
    (
        "personnes.html",
        include_str!("../../report_templates/personnes.html"),
    ),
    (
        "profil.html",
        include_str!("../../report_templates/profil.html"),
    ),
    (
        "sollicitations.html",
        include_str!("../../report_templates/sollicitations.html"),
    ),
    (
        "interventions.html",
        include_str!("../../report_templates/interventions.html"),
    ),
    (
        "actions.html",
        include_str!("../../report_templates/actions.html"),
    ),
    (
        "qualite.html",
        include_str!("../../report_templates/qualite.html"),
    ),
    (
        "methodologie.html",
        include_str!("../../report_templates/methodologie.html"),
    ),
    (
        "chart.html",
        include_str!("../../report_templates/chart.html"),
    ),
    (
        "table.html",
        include_str!("../../report_templates/table.html"),
    ),
    (
        "index.html",
        include_str!("../../report_templates/index.html"),
    ),
    // (v3) The end of *Profil*, *Réseau*, their parts, and the
    // definitions they add to *Méthodologie*.
    (
        "profil_v3.html",
        include_str!("../../report_templates/profil_v3.html"),
    ),
    (
        "reseau.html",
        include_str!("../../report_templates/reseau.html"),
    ),
    (
        "part.html",
        include_str!("../../report_templates/part.html"),
    ),
    (
        "methodologie_v3.html",
        include_str!("../../report_templates/methodologie_v3.html"),
    ),
    (
        "glossaire.html",
        include_str!("../../report_templates/glossaire.html"),
    ),
    (
        "accessibilite.html",
        include_str!("../../report_templates/accessibilite.html"),
    ),
    (
        "chiffres_cles_web.html",
        include_str!("../../report_templates/chiffres_cles_web.html"),
    ),
    (
        "version_simplifiee.html",
        include_str!("../../report_templates/version_simplifiee.html"),
    ),
];

/// The templates, the user's overriding the built-in ones of the same name.
pub fn load(overrides: Option<&Path>) -> Result<Tera> {
    let mut sources: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    if let Some(dir) = overrides {
        if !dir.is_dir() {
            bail!("--templates {}: not a folder; copy report_templates/ and point --templates at the copy", dir.display());
        }
        let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(slot) = sources.iter_mut().find(|(n, _)| *n == name) {
                slot.1 = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read the template {}", path.display()))?;
            } else if name.ends_with(".html") || name.ends_with(".css") {
                crate::note!(
                    "warning: template {} is not used (the report's templates are {})",
                    path.display(),
                    known.join(", ")
                );
            }
        }
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(sources)
        .map_err(|e| anyhow!("a template does not compile: {}", tera_cause(&e)))?;
    tera.autoescape_on(vec![".html"]);
    tera.register_filter("nombre", filter_int);
    tera.register_filter("pourcent", filter_percent);
    tera.register_filter("typo", filter_typography);
    tera.register_filter("image_svg", filter_svg_image);
    Ok(tera)
}

/// The whole cause chain of a Tera error: "failed to render" alone says
/// nothing of the missing variable or the line.
pub fn tera_cause(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn filter_int(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    value
        .as_u64()
        .map(|v| Value::String(format::int(v)))
        .ok_or_else(|| tera::Error::msg("`nombre` expects a whole number"))
}

fn filter_percent(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    value
        .as_u64()
        .map(|v| Value::String(format::percent(v)))
        .ok_or_else(|| tera::Error::msg("`pourcent` expects a whole number"))
}

/// A chart's SVG as the `data:` URL of an `<img>`: drawn the same, but its
/// text is the image's, named by the `alt`, so an accessibility checker
/// does not try (and fail) to find the contrast of text inside an inline
/// SVG. Only the characters a URL gives a meaning to are escaped, and `&`
/// and `"` for the attribute, so that the SVG stays readable in the
/// page's source: `src="{{ chart.svg | image_svg | safe }}"`.
fn filter_svg_image(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let svg = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("`image_svg` expects an SVG text"))?;
    let mut url = String::from("data:image/svg+xml;charset=utf-8,");
    for c in svg.chars() {
        match c {
            '%' => url.push_str("%25"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '\n' => url.push_str("%0A"),
            '\r' => url.push_str("%0D"),
            '\t' => url.push_str("%09"),
            '&' => url.push_str("&amp;"),
            '"' => url.push_str("&quot;"),
            c => url.push(c),
        }
    }
    Ok(Value::String(url))
}

fn filter_typography(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    value
        .as_str()
        .map(|v| Value::String(format::typography(v)))
        .ok_or_else(|| tera::Error::msg("`typo` expects text"))
}
