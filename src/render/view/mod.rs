//! View structs: everything the templates show, already formatted in
//! French, built from the report figures only. Templates only loop and
//! branch over these. One file per section of the report, named like its
//! template: `key_figures.rs` (`chiffres_cles.html`), `persons.rs`
//! (`personnes.html`), `profile.rs` (`profil.html`), `requests.rs`
//! (`sollicitations.html`), `interventions.rs`, `actions.rs`
//! (`actions.html`), `sources.rs` (`sources.html`), `index.rs`
//! (`index.html`); `parts.rs` holds the charts and tables they are made of.
//! The analyst's page `controle.html` has its own view (`quality.rs`,
//! `checks.rs`: [`ControlView`]), never part of the published report.

pub(crate) mod actions;
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
pub(crate) mod quality;
mod requests;
mod sources;
mod synthesis;

use anyhow::Result;
use serde::Serialize;

pub use index::{index, index_entry};
pub use key_figures::not_exported;
pub use parts::{Cell, ChartView, TableView};
pub use profile_more::Part;
pub use quality::{control, ControlView};

use super::files::generated_on;
use super::texts::Texts;
use super::toc::{sommaire, TocEntry};
use super::HTML;
use crate::job::ReportJob;
use crate::secret::ScopeReport;
use actions::ActionsView;
use interventions::InterventionsView;
use key_figures::KeyFigure;
use sources::SourcesView;

/// What the run says of itself beside the figures: the date of edition
/// (published), and for the analyst's page the export, the tool and the
/// options.
pub struct About {
    pub export_name: String,
    pub tool_version: String,
    pub generated_on: Option<String>,
    pub options: Vec<(String, String)>,
}

impl About {
    pub fn of(job: &ReportJob) -> Self {
        let file = |path: &Option<std::path::PathBuf>| {
            path.as_ref()
                .map_or("—".to_string(), |p| p.display().to_string())
        };
        let options = vec![
            ("--min-count".to_string(), job.secrecy.min_count.to_string()),
            ("--teams".to_string(), file(&job.source.teams)),
            ("--columns".to_string(), file(&job.source.columns)),
            ("--templates".to_string(), file(&job.templates)),
            (
                "--pdf".to_string(),
                if job.chrome.is_some() { "oui" } else { "non" }.to_string(),
            ),
        ];
        Self {
            export_name: job.source.export_name(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            generated_on: generated_on(),
            options,
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
    /// The date of edition (`SOURCE_DATE_EPOCH`), when set.
    pub generated_on: Option<String>,
    /// The tool that wrote the page (the `generator` meta element).
    pub tool: String,
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
    pub reseau: network::NetworkView,
    pub actions: ActionsView,
    pub sources: SourcesView,
    pub synthesis: synthesis::SynthesisView,
    pub network: synthesis::NetworkView,
    /// The analyst's texts (`--textes`), as HTML.
    pub texts: Texts,
}

/// The view of one scope's report.
pub fn build(report: &ScopeReport, about: &About, texts: &Texts) -> Result<ReportView> {
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
        generated_on: about.generated_on.clone(),
        tool: format!("bilan {}", about.tool_version),
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
        reseau: network::network(report)?,
        actions: actions::actions(report, report.scope())?,
        sources: sources::sources(report),
        synthesis: synthesis::synthesis(report),
        network: synthesis::network(report),
        texts: texts.clone(),
    })
}
