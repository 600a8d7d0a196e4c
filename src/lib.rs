//! `bilan`: Mediateam CSV exports → the yearly *bilan d'activité* of the
//! DIHR. Data flows one way through the stages below; a stage uses only
//! the stages before it.

pub mod atomic;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod format;
pub mod indicators;
pub mod ingest;
pub mod normalize;
pub mod reference;
pub mod render;
pub mod sample;
pub mod secret;
pub mod validate;
