//! What every test module of the binary uses: the binary itself, and the
//! files of the repository.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `bilan` binary of this build.
pub fn bilan() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
}

/// `bilan sample --persons PERSONS --seed SEED` written to
/// `dir/export-PERSONS-SEED` (ten years, teams of every size, ERHR-BRET
/// outside the referential).
pub fn sample_export(dir: &Path, persons: u32, seed: u64) -> PathBuf {
    let input = dir.join(format!("export-{persons}-{seed}"));
    bilan()
        .args(["sample", "--persons", &persons.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&input)
        .assert()
        .success();
    input
}

/// `bilan report --input INPUT --out OUT EXTRA…`, to run.
pub fn report_command(input: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut command = bilan();
    command
        .arg("report")
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra);
    command
}

/// [`report_command`], which must succeed.
pub fn report(input: &Path, out: &Path, extra: &[&str]) {
    report_command(input, out, extra).assert().success();
}

/// A text file written by a run.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file or folder of the repository (`sample_data`, a fixture).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The labels of the rows whose small counts are published as they are:
/// *not filled in* (data-quality figures), and the acts of the teams
/// without a report merged with those without a team (counts of acts,
/// SPEC §8).
pub const AS_THEY_ARE_LABELS: [&str; 4] = [
    "Non renseigné",
    "Âge inconnu",
    "Sans équipe",
    "Autres (équipe sans rapport ou non renseignée)",
];

/// The legal categories of SPEC §4.5, in the order of the JSON and of
/// the report.
pub const CATEGORIES: [&str; 6] = [
    "cat1_surdicecite",
    "cat2_visuelle_associee",
    "cat3_auditive_associee",
    "cat4_dysphasie",
    "cat5_affection_chronique",
    "non_classable",
];
