//! View structs: everything the templates show, already formatted in
//! French, built from the report figures only. Templates only loop and
//! branch over these. One file per section of the report, named like its
//! template: `key_figures.rs` (`chiffres_cles.html`), `persons.rs`
//! (`personnes.html`), `profile.rs` (`profil.html`), `requests.rs`
//! (`sollicitations.html`), `interventions.rs`, `actions.rs`
//! (`actions.html`), `quality.rs` (`qualite.html`
//! and the cover's files), `index.rs` (`index.html`); `parts.rs` holds the
//! charts and tables they are made of.

mod actions;
mod checks;
mod evolution;
mod index;
mod interventions;
mod key_figures;
mod network;
mod parts;
mod persons;
mod profile;
mod profile_more;
mod quality;
mod requests;

use anyhow::Result;
use serde::Serialize;

pub use index::{index, index_entry};
pub use key_figures::not_exported;
pub use parts::{Cell, ChartView, TableView};
pub use profile_more::Part;

use super::files::generated_on;
use super::toc::{sommaire, TocEntry};
use super::HTML;
use crate::format;
use crate::job::ExportSource;
use crate::secret::ScopeReport;
use actions::ActionsView;
use interventions::InterventionsView;
use key_figures::KeyFigure;
use quality::{FileView, QualityView};

/// What the cover says about the run, beside the figures.
pub struct About {
    pub export_name: String,
    pub tool_version: String,
    pub generated_on: Option<String>,
}

impl About {
    pub fn of(source: &ExportSource) -> Self {
        Self {
            export_name: source.export_name(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            generated_on: generated_on(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub title: String,
    pub year: i32,
    pub previous_year: i32,
    pub scope_label: String,
    pub is_national: bool,
    /// `--min-count 1`: figures are exact, not for publication.
    pub restricted: bool,
    /// The threshold K of statistical secrecy, when on.
    pub min_count: Option<u64>,
    /// The largest masked count, K−1, when secrecy is on.
    pub largest_masked: Option<u64>,
    /// How a masked count reads: `< 5`.
    pub masked: String,
    pub tool: String,
    pub generated_on: Option<String>,
    pub source: SourceView,
    /// The Sommaire (`toc.rs`): page numbers only in a printed report.
    pub toc: Vec<TocEntry>,
    pub has_previous: bool,
    pub key_figures: Vec<KeyFigure>,
    pub evolution: evolution::EvolutionView,
    pub persons: Vec<ChartView>,
    pub profile: Vec<ChartView>,
    /// (v3) The end of *Profil*: associated disorders, accompaniments,
    /// legal categories, diagnoses.
    pub profile_more: profile_more::ProfileMoreView,
    pub requests: Vec<ChartView>,
    pub response_times: requests::ResponseTimesView,
    pub interventions: InterventionsView,
    /// (v3) *Réseau*: the network of teams (SPEC §4.7).
    pub network: network::NetworkView,
    pub actions: ActionsView,
    pub quality: QualityView,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub export: String,
    pub period: String,
    pub files: Vec<FileView>,
}

/// The view of one scope's report.
pub fn build(report: &ScopeReport, about: &About) -> Result<ReportView> {
    let secrecy = report.secrecy();
    Ok(ReportView {
        title: format!("Bilan d’activité {}", report.year()),
        year: report.year(),
        previous_year: report.year() - 1,
        scope_label: report.scope().label(report.teams()),
        is_national: report.scope().is_national(),
        restricted: !secrecy.enabled(),
        min_count: secrecy.enabled().then_some(secrecy.min_count),
        largest_masked: secrecy.enabled().then(|| secrecy.min_count - 1),
        masked: report.masked(),
        tool: format!("bilan {}", about.tool_version),
        generated_on: about.generated_on.clone(),
        source: SourceView {
            export: about.export_name.clone(),
            period: report
                .period()
                .map_or("aucune activité datée".to_string(), |(a, b)| {
                    format!("du {} au {}", format::date(a), format::date(b))
                }),
            files: report.files().iter().map(quality::file_view).collect(),
        },
        toc: sommaire(),
        has_previous: report.has_previous(),
        key_figures: key_figures::key_figures(report, report.scope()),
        evolution: evolution::evolution(report)?,
        persons: persons::persons(report)?,
        profile: profile::profile(report)?,
        profile_more: profile_more::profile_more(report)?,
        requests: requests::requests(report)?,
        response_times: requests::response_times(report)?,
        interventions: interventions::interventions(report)?,
        network: network::network(report)?,
        actions: actions::actions(report, report.scope())?,
        quality: quality::quality(report),
    })
}
