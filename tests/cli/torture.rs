//! The torture corpus: malformed exports and hostile output paths, made
//! by the test itself, against every command. Each must end with a
//! documented exit code and a message, never a panic; rows are never lost
//! (read = kept + excluded); the input is never modified.

use std::path::{Path, PathBuf};

use super::support::bilan;

const USAGERS: &str = "id_usager;date_naissance;sexe;lieu_de_vie;maladie_rare;tnd;scolarisation\nU1;01/02/2015;F;domicile;oui;tsa;temps plein\nU2;03/04/1990;M;esms;non;aucun;\n";
const DEMANDES: &str = "id_demande;id_usager;date_demande;equipe;origine\nD1;U1;15/03/2023;ERHR-BRE;famille\nD2;U2;10/01/2024;ERHR-IDF;mdph\n";
const INTERVENTIONS: &str = "id_intervention;id_usager;date_intervention;equipe;type_intervention;duree_minutes\nI1;U1;20/03/2024;ERHR-BRE;vad;60\n";

/// A valid export with one file replaced by `bytes`.
fn export_with(dir: &Path, file: &str, bytes: &[u8]) -> PathBuf {
    let input = dir.join("export");
    std::fs::create_dir_all(&input).unwrap();
    for (name, text) in [
        ("usagers.csv", USAGERS),
        ("demandes.csv", DEMANDES),
        ("interventions.csv", INTERVENTIONS),
    ] {
        std::fs::write(input.join(name), text).unwrap();
    }
    std::fs::write(input.join(file), bytes).unwrap();
    input
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// `bilan report --input INPUT --out OUT`: its exit code and stderr, which
/// must never show a panic.
fn report_to(input: &Path, out: &Path) -> (Option<i32>, String) {
    let output = bilan()
        .arg("report")
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{}: {stderr}", out.display());
    (output.status.code(), stderr)
}

/// Runs the three commands on `input`; checks exit codes, messages, counts.
fn torture(case: &str, input: &Path, file: &str) {
    let before = snapshot(input);
    let out = input.parent().unwrap().join("out");
    for args in [
        vec!["indicators", "--format", "json"],
        vec!["validate", "--format", "json"],
        vec!["report"],
    ] {
        let mut command = bilan();
        command.args(&args).arg("--input").arg(input);
        if args[0] == "report" {
            command.arg("--out").arg(&out);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let code = output.status.code().unwrap_or(-1);
        assert!(
            !stderr.contains("panicked"),
            "{case} / {}: panic: {stderr}",
            args[0]
        );
        assert!(
            code == 0 || code == 1,
            "{case} / {}: exit {code}: {stderr}",
            args[0]
        );
        if code == 1 {
            assert!(
                stderr.contains(file) || stderr.contains("no demande or intervention"),
                "{case} / {}: {stderr}",
                args[0]
            );
            if args[0] == "report" {
                assert!(!out.exists(), "{case}: a failed report leaves nothing");
            }
        }
        if args[0] == "validate" && code == 0 {
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            for f in json["files"].as_array().unwrap() {
                let (read, kept, excluded) = (
                    f["rows_read"].as_u64(),
                    f["rows_kept"].as_u64(),
                    f["rows_excluded"].as_u64(),
                );
                assert_eq!(
                    read.unwrap(),
                    kept.unwrap() + excluded.unwrap(),
                    "{case}: counts add up"
                );
            }
            let excluding = json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| {
                    [
                        "id_manquant",
                        "id_en_double",
                        "date_invalide",
                        "ligne_irreguliere",
                    ]
                    .contains(&f["rule"].as_str().unwrap())
                })
                .count() as u64;
            let excluded: u64 = json["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rows_excluded"].as_u64().unwrap())
                .sum();
            assert_eq!(excluding, excluded, "{case}: one finding per excluded row");
        }
    }
    assert_eq!(before, snapshot(input), "{case}: the input was modified");
}

#[test]
fn malformed_files_never_crash_and_never_lose_rows() {
    let long_field = format!(
        "id_usager;commentaire\nU1;\"{}\"\nU2;ok\n",
        "x".repeat(3_000_000)
    );
    let long_line = format!(
        "id_usager;{}\nU1{}\n",
        (0..2000)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(";"),
        ";v".repeat(2000)
    );
    let mut random = Vec::new();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        random.push((state >> 24) as u8);
    }
    let mut nul_and_invalid = USAGERS.as_bytes().to_vec();
    nul_and_invalid.extend_from_slice(
        b"U3;\x00\x00;F;\xff\xfe domicile;oui;;\nU4;01/01/2000;M;\xe9tablissement;non;;\n",
    );
    let mixed_encoding = "id_usager;lieu_de_vie\nU1;Établissement\n"
        .as_bytes()
        .iter()
        .chain(b"U2;\xc9tablissement\n")
        .copied()
        .collect::<Vec<u8>>();
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("empty file", "usagers.csv", Vec::new()),
        ("header only", "demandes.csv", b"id_demande;id_usager;date_demande;equipe\n".to_vec()),
        ("header only everywhere", "interventions.csv", b"id_intervention;id_usager;date_intervention;equipe\n".to_vec()),
        ("random bytes in usagers", "usagers.csv", random.clone()),
        ("random bytes in demandes", "demandes.csv", random.clone()),
        ("random bytes in interventions", "interventions.csv", random.clone()),
        ("invalid UTF-8 and NUL bytes mid-file", "usagers.csv", nul_and_invalid),
        ("too few and too many fields", "demandes.csv", b"id_demande;id_usager;date_demande;equipe\nD1;U1;01/01/2024\nD2;U1;01/01/2024;ERHR-BRE;x;y\nD3;U1;02/01/2024;ERHR-BRE\n".to_vec()),
        ("multi-megabyte field", "usagers.csv", long_field.into_bytes()),
        ("unterminated quote", "demandes.csv", b"id_demande;id_usager;date_demande;equipe\nD1;U1;\"01/01/2024;ERHR-BRE\nD2;U1;02/01/2024;ERHR-BRE\n".to_vec()),
        (
            "impossible dates",
            "demandes.csv",
            b"id_demande;id_usager;date_demande;equipe\nD1;U1;29/02/2023;ERHR-BRE\nD2;U1;00/01/2024;ERHR-BRE\nD3;U1;2024-02-30;ERHR-BRE\nD4;U1;01/01/0000;ERHR-BRE\nD5;U1;31/12/9999;ERHR-BRE\nD6;U1;-1/01/2024;ERHR-BRE\nD7;U2;15/06/2024;ERHR-BRE\n".to_vec(),
        ),
        ("impossible birth dates", "usagers.csv", b"id_usager;date_naissance\nU1;9999-12-31\nU2;0001-01-01\nU3;-5\n".to_vec()),
        ("two columns for one field", "demandes.csv", b"id;id_demande;id_usager;date;date_demande;equipe\nX;D1;U1;01/01/1990;15/03/2024;ERHR-BRE\n".to_vec()),
        ("only delimiters", "interventions.csv", b";;;;;\n;;;;;\n;;;;;\n".to_vec()),
        ("mixed encodings", "usagers.csv", mixed_encoding),
        ("very long line", "usagers.csv", long_line.into_bytes()),
        ("header repeated mid-file", "interventions.csv", format!("{INTERVENTIONS}id_intervention;id_usager;date_intervention;equipe;type_intervention;duree_minutes\nI2;U2;01/05/2024;ERHR-IDF;vad;\n").into_bytes()),
        ("CR only line endings", "demandes.csv", b"id_demande;id_usager;date_demande;equipe\rD1;U1;01/01/2024;ERHR-BRE\r".to_vec()),
        ("negative and huge durations", "interventions.csv", b"id_intervention;id_usager;date_intervention;equipe;duree_minutes\nI1;U1;01/01/2024;ERHR-BRE;-30\nI2;U1;01/01/2024;ERHR-BRE;99999999999999999999\n".to_vec()),
    ];
    for (case, file, bytes) in cases {
        let dir = tempfile::tempdir().unwrap();
        let input = export_with(dir.path(), file, &bytes);
        torture(case, &input, file);
    }
}

#[test]
fn a_missing_file_is_named_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    std::fs::remove_file(input.join("demandes.csv")).unwrap();
    torture("missing file", &input, "demandes.csv");
}

#[test]
fn validate_strict_fails_a_dirty_export_and_passes_a_clean_one() {
    let dir = tempfile::tempdir().unwrap();
    let clean = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    bilan()
        .args(["validate", "--strict", "--input"])
        .arg(&clean)
        .assert()
        .success();
    let dirty = export_with(
        &dir.path().join("dirty"),
        "demandes.csv",
        format!("{DEMANDES}D3;U1;31/02/2024;ERHR-BRE;\n").as_bytes(),
    );
    bilan()
        .args(["validate", "--strict", "--input"])
        .arg(&dirty)
        .assert()
        .code(3);
}

#[test]
fn a_text_pasted_in_a_cell_is_cut_where_people_read_it_and_kept_whole_in_findings_csv() {
    let dir = tempfile::tempdir().unwrap();
    let pasted = "Compte rendu de la réunion ".repeat(2_000);
    let input = export_with(
        dir.path(),
        "demandes.csv",
        format!("{DEMANDES}D3;U1;12/02/2024;ERHR-BRE;{pasted}\n").as_bytes(),
    );
    let output = bilan()
        .args(["validate", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let terminal = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(terminal.contains("… (53999 characters)"), "{terminal}");
    assert!(
        terminal.contains("… (53\u{202f}999 caractères)"),
        "{terminal}"
    );
    assert!(terminal.len() < 5_000, "{} bytes", terminal.len());
    let out = dir.path().join("report");
    super::support::report(&input, &out, &[]);
    let control = std::fs::read_to_string(out.join("controle.html")).unwrap();
    assert!(control.contains("caractères)"));
    assert!(!control.contains(&pasted));
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(
        findings.contains(pasted.trim()),
        "findings.csv keeps the whole value"
    );
}

#[test]
fn hostile_output_paths_are_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    let before = snapshot(&input);
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "keep me").unwrap();
    for (case, out) in [
        ("out is a file", a_file.clone()),
        ("out under a file", a_file.join("sub")),
        ("out is the input", input.clone()),
        ("out inside the input", input.join("report")),
        (
            "out inside the input, relative dots",
            input.join("x/../report"),
        ),
    ] {
        let (code, stderr) = report_to(&input, &out);
        assert_eq!(code, Some(1), "{case}: {stderr}");
        assert!(
            stderr.contains("--out") || stderr.contains("cannot"),
            "{case}: {stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&a_file).unwrap(), "keep me");
    assert_eq!(before, snapshot(&input), "the input is untouched");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_privacy_plant_never_reaches_the_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let usagers = "id_usager;date_naissance;code_orpha;commentaire libre;lieu_de_vie\nU1;17/08/2011;ORPHA:98765;Mme Planté habite 12 rue des Lilas;domicile\nU2;31/13/2011;ORPHA:4321;Téléphone 06 12 34 56 78;esms\n";
    let input = export_with(dir.path(), "usagers.csv", usagers.as_bytes());
    let out = dir.path().join("out");
    bilan()
        .args(["report", "--min-count", "1", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let text = super::report_workbook::searchable_text(&path);
        for planted in [
            "17/08/2011",
            "2011-08-17",
            "31/13/2011",
            "Planté",
            "Lilas",
            "06 12 34 56 78",
        ] {
            assert!(
                !text.contains(planted),
                "{planted} leaked into {}",
                path.display()
            );
        }
    }
    // (v3) Under `--min-count 1` (diffusion restreinte) the frequent
    // diagnoses list every code; with secrecy on, a diagnosis held by one
    // person is listed nowhere (SPEC §8).
    let out = dir.path().join("published");
    bilan()
        .args(["report", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let text = super::report_workbook::searchable_text(&path);
        for planted in ["98765", "4321", "Planté", "17/08/2011"] {
            assert!(
                !text.contains(planted),
                "{planted} leaked into {}",
                path.display()
            );
        }
    }
}

#[test]
fn a_file_that_is_a_folder_or_a_pipe_is_refused_not_waited_for() {
    for kind in ["folder", "pipe"] {
        let dir = tempfile::tempdir().unwrap();
        let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
        let target = input.join("usagers.csv");
        std::fs::remove_file(&target).unwrap();
        if kind == "folder" {
            std::fs::create_dir(&target).unwrap();
        } else {
            let made = std::process::Command::new("mkfifo")
                .arg(&target)
                .status()
                .unwrap();
            assert!(made.success());
        }
        for command in ["indicators", "validate", "report"] {
            let output = bilan()
                .arg(command)
                .arg("--input")
                .arg(&input)
                .current_dir(dir.path())
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{kind} {command}: {stderr}");
            assert!(
                stderr.contains("usagers.csv") && stderr.contains("not a regular file"),
                "{kind} {command}: {stderr}"
            );
        }
    }
}

#[test]
fn an_unwritable_out_is_refused_with_a_message() {
    // procfs refuses new files even to root, so this holds however the
    // tests are run (permission bits alone would not stop root).
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    for out in ["/proc/bilan-report", "/proc/self/bilan-report/deeper"] {
        let (code, stderr) = report_to(&input, Path::new(out));
        assert_eq!(code, Some(1), "{out}: {stderr}");
        assert!(
            stderr.contains("cannot") && stderr.contains("/proc"),
            "{out}: {stderr}"
        );
        assert!(stderr.contains("choose another --out"), "{out}: {stderr}");
    }
}

/// A filesystem of `size` mounted at a new folder, unmounted on drop.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str, read_only: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let options = format!("size={size}{}", if read_only { ",ro" } else { "" });
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a small tmpfs needs root (the CI runs as root; run the tests as root or in `unshare -rm`)"
        );
        Self(dir)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        std::process::Command::new("umount")
            .arg(self.0.path())
            .status()
            .ok();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    // Large enough for the previous report's manifest, too small for the
    // new report's HTML: the disk fills in the middle of the writes.
    let disk = Tmpfs::mount("64k", false);
    let out = disk.0.path().join("bilan-2024");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("manifest.json"), "{\"previous\": true}").unwrap();
    let (code, stderr) = report_to(&input, &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("free some disk space"), "{stderr}");
    // The previous report is untouched and nothing half-written is left.
    let names: Vec<String> = std::fs::read_dir(disk.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bilan-2024"]);
    assert_eq!(
        std::fs::read_to_string(out.join("manifest.json")).unwrap(),
        "{\"previous\": true}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn a_read_only_disk_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    let disk = Tmpfs::mount("1m", true);
    let (code, stderr) = report_to(&input, &disk.0.path().join("bilan-2024"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert!(stderr.contains("choose another --out"), "{stderr}");
    assert_eq!(std::fs::read_dir(disk.0.path()).unwrap().count(), 0);
}

#[test]
fn a_closed_or_full_standard_output_is_no_crash() {
    let dir = tempfile::tempdir().unwrap();
    let input = export_with(dir.path(), "usagers.csv", USAGERS.as_bytes());
    for args in [
        &["indicators", "--format", "json"][..],
        &["indicators", "--format", "table"],
        &["validate", "--format", "json"],
        &["validate"],
    ] {
        // A reader that stops at once (`bilan … | head -c 0`): not an error.
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
            .args(args)
            .arg("--input")
            .arg(&input)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(output.status.code(), Some(101), "{args:?}: {stderr}");
        // A full disk behind `>`: an error with a message, never a panic.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("bilan"))
            .args(args)
            .arg("--input")
            .arg(&input)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the result to the standard output"),
            "{args:?}: {stderr}"
        );
    }
}
