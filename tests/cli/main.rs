//! The one integration-test binary (each extra `tests/*.rs` would re-link
//! Polars): the binary end to end, golden fixtures, and the differential
//! test of the indicators.

mod actions;
mod commands;
mod completions;
mod differential;
mod discovery;
mod fixtures;
mod fuzzed;
mod generator;
mod input_workbooks;
mod intruder;
mod line_numbers;
mod masks;
mod one_number;
mod pdf;
mod properties;
mod publication;
mod published;
mod report;
mod report_workbook;
mod sample;
mod secrecy;
mod support;
mod torture;
