//! `bilan`: Mediateam CSV exports → the yearly *bilan d'activité* of the
//! DIHR. Data flows one way through the stages below; a stage uses only
//! the stages before it.

//!
//! Reading and checking an export (`ingest`, `validate`) needs no Polars:
//! without the default feature `engine`, the library is those stages only,
//! which is what the fuzz targets (`fuzz/`) build, instrumented, in minutes.

pub mod atomic;
#[cfg(feature = "engine")]
pub mod charts;
pub mod cli;
#[cfg(feature = "engine")]
pub mod cmd;
pub mod console;
pub mod format;
#[doc(hidden)]
pub mod harness;
#[cfg(feature = "engine")]
pub mod indicators;
pub mod ingest;
pub mod normalize;
pub mod reference;
#[cfg(feature = "engine")]
pub mod render;
#[cfg(feature = "engine")]
pub mod sample;
#[cfg(feature = "engine")]
pub mod secret;
pub mod validate;
