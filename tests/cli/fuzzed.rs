//! Every input in `fuzz/regressions/` (hand-made seeds, and each input a
//! fuzzer ever made fail) replayed through the fuzz targets' own checks.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 5,
        "{}: the seeds are missing",
        folder.display()
    );
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails again", input.display());
    }
}

#[test]
fn every_export_the_fuzzer_found_is_read_and_checked() {
    replay("export", bilan::harness::export_bytes);
}

#[test]
fn every_text_the_fuzzer_found_parses_consistently() {
    replay("text", bilan::harness::text);
}

#[test]
fn every_workbook_the_fuzzer_found_is_refused_by_name_or_read() {
    replay("workbook", bilan::harness::workbook_bytes);
}
