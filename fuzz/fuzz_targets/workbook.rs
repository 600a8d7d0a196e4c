//! Bytes → a workbook (.xlsx, .xls, .ods or .xlsm, picked by the first
//! byte) beside two valid tables → read and checked
//! (`bilan::harness::workbook_bytes`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bilan::harness::workbook_bytes(data));
