//! Bytes → the three files of an export → read and checked
//! (`bilan::harness::export_bytes`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bilan::harness::export_bytes(data));
