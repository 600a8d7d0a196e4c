//! The machine-readable files of a report folder (SPEC §5–6), as one list:
//! a new output file is one entry here and one writer in `files.rs`. The
//! HTML, the workbook, the PDF and the manifest (written last, over every
//! other file) are written by `write_scope_folder` itself.

use anyhow::Result;

use super::files;
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
