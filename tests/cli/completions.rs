//! `bilan completions SHELL` and `bilan man`: the help at hand.

use super::support::bilan;

/// Runs `bilan ARGS`, checks that it succeeded in silence, returns stdout.
fn stdout_of(args: &[&str]) -> String {
    let output = bilan().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "bilan {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "bilan {args:?} wrote on stderr");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn bash_completion_is_a_script_bash_accepts_and_registers() {
    let script = stdout_of(&["completions", "bash"]);
    for expected in ["_bilan()", "report", "indicators", "--min-count", "--pdf"] {
        assert!(script.contains(expected), "no {expected} in the script");
    }
    // Bash itself reads it: it parses, and sourcing it registers `bilan`.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bilan.bash");
    std::fs::write(&path, &script).unwrap();
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p bilan", path.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("-F _bilan"));
}

#[test]
fn every_shell_of_the_spec_gets_its_own_script() {
    for (shell, marker, input) in [
        ("zsh", "#compdef bilan", "--input"),
        ("fish", "complete -c bilan", "-l input"),
        ("powershell", "Register-ArgumentCompleter", "'--input'"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker}");
        assert!(script.contains(input), "{shell}: does not complete --input");
    }
    let output = bilan().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("bash, zsh, fish, powershell"));
}

#[test]
fn man_writes_a_roff_page_naming_every_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains("\n.TH bilan 1 "), "no title line");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS"] {
        assert!(page.contains(section), "no {section}");
    }
    for command in ["report", "indicators", "validate", "sample", "completions"] {
        assert!(
            page.contains(&format!("bilan\\-{command}(1)")),
            "bilan-{command}(1) not listed"
        );
    }
}

#[test]
fn man_of_a_command_describes_its_options() {
    let page = stdout_of(&["man", "report"]);
    assert!(page.contains("\n.TH bilan-report 1 "), "no title line");
    assert!(
        page.contains("bilan report"),
        "the synopsis names `bilan report`"
    );
    for option in ["\\-\\-pdf", "\\-\\-min\\-count", "\\-\\-chrome"] {
        assert!(page.contains(option), "no {option}");
    }
    let output = bilan().args(["man", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
