//! `bilan`: Mediateam exports → the yearly *bilan d'activité* of the DIHR.
//! Data flows one way through the stages below; a stage uses only the
//! stages before it.
//!
//! ```text
//!  export folder
//!    │  ingest      files → a stream of rows (encoding, delimiter, headers)
//!    │  validate    rows → clean tables + findings
//!    │  indicators  clean tables → Polars frames → indicator rows, breakdowns
//!    │  secret      figures → Published (counts of persons below K masked)
//!    │  job         what a command was asked, resolved; drives the stages
//!    ▼  render      Published → views → charts, templates → report folder
//!  cmd/ (one file per subcommand) resolves the command line into a job.
//! ```
//!
//! Reading and checking an export (`ingest`, `validate`) needs no Polars:
//! without the default feature `engine`, the library is those stages only,
//! which is what the fuzz targets (`fuzz/`) build, instrumented, in minutes.

// Leaves: reference data and small helpers every stage may use.
pub mod atomic;
pub mod catalog;
pub mod console;
pub mod format;
pub mod normalize;
pub mod parallel;
pub mod reference;

// The stages, in pipeline order.
#[cfg(feature = "engine")]
pub mod charts;
#[cfg(feature = "engine")]
pub mod indicators;
pub mod ingest;
#[cfg(feature = "engine")]
pub mod job;
#[cfg(feature = "engine")]
pub mod render;
#[cfg(feature = "engine")]
pub mod secret;
pub mod validate;

// The command line.
pub mod cli;
#[cfg(feature = "engine")]
pub mod cmd;
/// bilan.exe started from the Windows Explorer: a dropped folder, a double click.
#[cfg(feature = "engine")]
pub mod desktop;

// Side rooms: the synthetic export, and the fuzz targets' checks.
#[doc(hidden)]
pub mod harness;
#[cfg(feature = "engine")]
pub mod sample;
