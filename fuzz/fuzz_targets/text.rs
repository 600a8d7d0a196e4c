//! One cell's text → dates, normalisation, categories, départements, teams
//! (`bilan::harness::text`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bilan::harness::text(data));
