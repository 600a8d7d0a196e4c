//! The machine-readable files of a report folder (SPEC §5–6), as one list:
//! a new output file is one entry here and one writer in `files.rs`; then
//! the publication files (SPEC §6 v3), one entry here and one writer in
//! `publication/`. The HTML, the workbook, the PDF and the manifest
//! (written last, over every other file) are written by
//! `write_scope_folder` itself.

use anyhow::Result;

use super::{files, publication};
use crate::secret::ScopeReport;

/// One file of a report folder and how to write it from the report's
/// published figures.
pub struct Output {
    pub file: &'static str,
    pub write: fn(&ScopeReport) -> Result<String>,
}

/// The folder's machine-readable files, in the order they are written.
pub const OUTPUTS: [Output; 12] = [
    Output {
        file: "indicators.json",
        write: files::indicators_json_of,
    },
    Output {
        file: "actions.csv",
        write: files::actions_csv_of,
    },
    Output {
        file: "actions_public.csv",
        write: files::actions_public_csv_of,
    },
    Output {
        file: "indicators.csv",
        write: files::indicators_csv_of,
    },
    Output {
        file: "delais.csv",
        write: files::delais_csv_of,
    },
    Output {
        file: "categories.csv",
        write: files::categories_csv_of,
    },
    Output {
        file: "diagnostics.csv",
        write: files::diagnostics_csv_of,
    },
    Output {
        file: "diagnostics_frequents.csv",
        write: files::frequent_csv_of,
    },
    Output {
        file: "reseau.csv",
        write: files::reseau_csv_of,
    },
    Output {
        file: "series.json",
        write: files::series_json,
    },
    Output {
        file: "breakdowns.json",
        write: files::breakdowns_json,
    },
    Output {
        file: "findings.csv",
        write: files::findings_csv,
    },
];

/// One publication file of a report folder (SPEC §6 v3, "Publication
/// outputs"): its name, what the workbook's *À propos* says of it, and
/// how to write it from the report's published figures (the HTML pages
/// through their templates).
pub struct Publication {
    pub file: &'static str,
    /// What it holds, in French.
    pub about: &'static str,
    pub write: fn(&ScopeReport, &tera::Tera) -> Result<String>,
    /// Written only when secrecy is on: open data is never *diffusion
    /// restreinte*.
    pub open_data: bool,
}

/// The folder's publication files, in the order they are written (after
/// the machine-readable files, which `datapackage.json` describes).
pub const PUBLICATION: [Publication; 5] = [
    Publication {
        file: "chiffres_cles.txt",
        about: "Le texte des chiffres clés, tel que les sites internet le publient",
        write: publication::chiffres_cles_txt,
        open_data: false,
    },
    Publication {
        file: "chiffres_cles.html",
        about: "Le même texte en page web accessible",
        write: publication::chiffres_cles_html,
        open_data: false,
    },
    Publication {
        file: "chiffres_cles.svg",
        about: "L’infographie des chiffres clés, une page A4 (texte réel, alternative textuelle complète)",
        write: publication::chiffres_cles_svg,
        open_data: false,
    },
    Publication {
        file: "version_simplifiee.html",
        about: "Les chiffres clés en phrases courtes et en mots simples : brouillon à faire relire et valider par un groupe FALC avant publication",
        write: publication::version_simplifiee_html,
        open_data: false,
    },
    Publication {
        file: "datapackage.json",
        about: "La description des fichiers CSV du dossier pour la diffusion en données ouvertes (Frictionless Data Package : colonnes, types, clés, cellules masquées)",
        write: publication::datapackage_json,
        open_data: true,
    },
];

impl Publication {
    /// Whether the file is written for this report.
    pub fn written_for(&self, report: &ScopeReport) -> bool {
        !self.open_data || report.secrecy().enabled()
    }
}
