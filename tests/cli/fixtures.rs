//! Runs every golden fixture folder of `tests/fixtures/` (see its README).

use std::collections::BTreeSet;
use std::path::Path;

use bilan::indicators::{
    compute_actions, compute_year, ActionFigures, ActionRow, Frames, YearFigures,
};
use bilan::job::ExportSource;
use bilan::reference::FileKind;

fn dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_string())
}

fn check_case(dir: &Path) -> Result<(), String> {
    let expected = std::fs::read_to_string(dir.join("expected.txt")).map_err(|e| e.to_string())?;
    let mut source = ExportSource::new(dir);
    for line in expected.lines() {
        // `table KIND FILE…`: the table is read from these files, in order,
        // as `--KIND FILE` repeated names them (SPEC §7, v3).
        let words: Vec<&str> = line.split_whitespace().collect();
        if let ["table", kind, files @ ..] = words.as_slice() {
            let kind = FileKind::ALL
                .into_iter()
                .find(|k| k.stem() == *kind)
                .ok_or(format!("no table {kind}"))?;
            source
                .tables
                .extend(files.iter().map(|file| (kind, dir.join(file))));
        }
    }
    let mut loaded = source.load().map_err(|e| format!("{e:#}"))?;
    let mut year = None;
    let mut want_findings = BTreeSet::new();
    // (v3) A line starting with `#` is a comment.
    let statements: Vec<Vec<&str>> = expected
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    for words in &statements {
        match words.as_slice() {
            ["year", y] => year = Some(y.parse::<i32>().map_err(|e| e.to_string())?),
            ["finding", rule, file, line, column] => {
                want_findings.insert(format!("{rule} {file} {line} {column}"));
            }
            _ => {}
        }
    }
    let year = year.ok_or("expected.txt needs a `year` line")?;
    loaded
        .choose_year(Some(year))
        .map_err(|e| format!("{e:#}"))?;
    let findings = loaded.clean.findings.clone();
    let got_findings: BTreeSet<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.rule.code(),
                f.file,
                dash(f.line.map(|l| l.to_string())),
                dash(f.column.clone())
            )
        })
        .collect();
    if got_findings != want_findings {
        return Err(format!(
            "findings differ\n  got:  {got_findings:?}\n  want: {want_findings:?}"
        ));
    }
    let frames = Frames::new(&mut loaded.clean).map_err(|e| e.to_string())?;
    let figures = compute_year(&frames, year).map_err(|e| e.to_string())?;
    check_profile(&statements, &figures)?;
    let YearFigures { rows, delais, .. } = figures;
    let actions = compute_actions(&frames, &[year - 1, year]).map_err(|e| e.to_string())?;
    check_actions(&statements, &actions)?;
    for words in &statements {
        match words.as_slice() {
            ["rows", file, read, kept, excluded] => {
                let summary = loaded
                    .clean
                    .files
                    .iter()
                    .find(|f| f.name == *file)
                    .ok_or(format!("no file {file}"))?;
                let got = format!(
                    "{} {} {}",
                    summary.rows_read, summary.rows_kept, summary.rows_excluded
                );
                if got != format!("{read} {kept} {excluded}") {
                    return Err(format!(
                        "rows of {file}: got {got}, want {read} {kept} {excluded}"
                    ));
                }
            }
            ["replaced", file, n] => {
                let summary = loaded
                    .clean
                    .files
                    .iter()
                    .find(|f| f.name == *file)
                    .ok_or(format!("no file {file}"))?;
                if summary.rows_replaced.to_string() != *n {
                    return Err(format!(
                        "rows of {file} replaced: got {}, want {n}",
                        summary.rows_replaced
                    ));
                }
            }
            ["count", rule, file, n] => {
                let got: u64 = findings
                    .iter()
                    .filter(|f| f.rule.code() == *rule && f.file == *file)
                    .map(|f| f.count)
                    .sum();
                if got.to_string() != *n {
                    return Err(format!("count of {rule} in {file}: got {got}, want {n}"));
                }
            }
            ["indicator", scope, indicator, num, den, nf] => {
                let row = rows
                    .iter()
                    .find(|r| r.scope.code() == *scope && r.indicator.id() == *indicator)
                    .ok_or(format!("no row {scope} {indicator}"))?;
                let show = |v: Option<u64>| dash(v.map(|v| v.to_string()));
                let got = format!(
                    "{} {} {}",
                    show(row.numerator),
                    show(row.denominator),
                    show(row.not_filled)
                );
                if got != format!("{num} {den} {nf}") {
                    return Err(format!(
                        "{scope} {indicator}: got {got}, want {num} {den} {nf}"
                    ));
                }
            }
            ["delai", scope, figures @ ..] => {
                let d = delais
                    .iter()
                    .find(|d| d.scope.code() == *scope)
                    .ok_or(format!("no délais for {scope}"))?;
                let show = |v: Option<u64>| dash(v.map(|v| v.to_string()));
                let got = [
                    d.repondues,
                    d.delai_median,
                    d.delai_p25,
                    d.delai_p75,
                    d.delai_p90,
                    d.sous_30_jours,
                    d.sous_90_jours,
                    d.en_attente_31_12,
                ]
                .map(show)
                .join(" ");
                if got != figures.join(" ") {
                    return Err(format!(
                        "délais of {scope}: got {got}, want {}",
                        figures.join(" ")
                    ));
                }
            }
            ["scope_absent", scope] => {
                if rows.iter().any(|r| r.scope.code() == *scope) {
                    return Err(format!("scope {scope} should have no row"));
                }
            }
            []
            | ["year", _]
            | ["finding", ..]
            | ["table", ..]
            | ["action" | "action_public", ..]
            | ["categorie" | "diagnostic" | "frequent" | "reseau" | "total" | "referral", ..] => {}
            other => return Err(format!("unknown statement {other:?}")),
        }
    }
    Ok(())
}

/// (v3) The legal categories, diagnoses and network of the year: each
/// `categorie`, `diagnostic`, `total` and `referral` line is one figure;
/// the `frequent` and `reseau` lines of a case, when it has any, are
/// exactly the rows computed, in order.
fn check_profile(statements: &[Vec<&str>], figures: &YearFigures) -> Result<(), String> {
    let show = |v: Option<u64>| dash(v.map(|v| v.to_string()));
    for words in statements {
        match words.as_slice() {
            ["categorie", scope, code, want @ ..] => {
                let row = figures
                    .categories
                    .iter()
                    .find(|r| r.scope.code() == *scope && r.categorie.code() == *code)
                    .ok_or(format!("no category {scope} {code}"))?;
                let got = [row.personnes, row.denominateur, row.non_renseignes].map(show);
                if got.join(" ") != want.join(" ") {
                    return Err(format!("{scope} {code}: got {got:?}, want {want:?}"));
                }
            }
            ["diagnostic", scope, want @ ..] => {
                let row = figures
                    .diagnostics
                    .iter()
                    .find(|r| r.scope.code() == *scope)
                    .ok_or(format!("no diagnostics of {scope}"))?;
                let got = [
                    row.personnes_avec_code,
                    row.maladies_distinctes,
                    row.diagnostiquees_sans_code,
                ]
                .map(show);
                if got.join(" ") != want.join(" ") {
                    return Err(format!(
                        "diagnostics of {scope}: got {got:?}, want {want:?}"
                    ));
                }
            }
            ["total", team, want] => {
                let total = figures
                    .network
                    .totals
                    .iter()
                    .find(|t| t.team == *team)
                    .ok_or(format!("no network total of {team}"))?;
                if show(total.personnes) != *want {
                    return Err(format!(
                        "total of {team}: got {:?}, want {want}",
                        total.personnes
                    ));
                }
            }
            ["referral", scope, want @ ..] => {
                let referral = figures
                    .network
                    .referrals
                    .iter()
                    .find(|r| r.scope.code() == *scope)
                    .ok_or(format!("no referrals of {scope}"))?;
                let from = |code: &str| show(referral.from(code).and_then(|c| c.count));
                let got = [referral.demandes.to_string(), from("erhr"), from("cnrhr")];
                if got.join(" ") != want.join(" ") {
                    return Err(format!("referrals of {scope}: got {got:?}, want {want:?}"));
                }
            }
            _ => {}
        }
    }
    let listed = |word: &str| -> Vec<String> {
        statements
            .iter()
            .filter(|words| words.first() == Some(&word))
            .map(|words| words[1..].join(" "))
            .collect()
    };
    let frequent: Vec<String> = figures
        .frequent
        .iter()
        .map(|d| format!("{} {}", d.code, d.personnes))
        .collect();
    let pairs: Vec<String> = figures
        .network
        .pairs
        .iter()
        .map(|p| format!("{} {} {}", p.erhr, p.cnrhr, show(p.personnes)))
        .collect();
    for (word, got) in [("frequent", frequent), ("reseau", pairs)] {
        let want = listed(word);
        if !want.is_empty() && got != want {
            return Err(format!(
                "{word} rows differ\n  got:  {got:?}\n  want: {want:?}"
            ));
        }
    }
    Ok(())
}

/// An action row as `expected.txt` writes it: `SCOPE YEAR VALUE ACTIONS
/// PARTICIPANTS PARTICIPANTS_FILLED HOURS HOURS_FILLED` (`-` for null).
fn action_line(row: &ActionRow) -> String {
    let c = &row.counts;
    format!(
        "{} {} {} {} {} {} {} {}",
        row.scope.code().replace(' ', "_"),
        row.year,
        row.value.unwrap_or("-"),
        c.actions,
        c.participants,
        c.participants_renseignes,
        c.hours(),
        c.heures_renseignees
    )
}

/// The `action` (by type) and `action_public` lines of a case, when it
/// has any, are exactly the rows computed for the year and the year before.
fn check_actions(statements: &[Vec<&str>], actions: &ActionFigures) -> Result<(), String> {
    for (word, rows) in [
        ("action", &actions.by_type),
        ("action_public", &actions.by_public),
    ] {
        let want: Vec<String> = statements
            .iter()
            .filter(|words| words.first() == Some(&word))
            .map(|words| words[1..].join(" "))
            .collect();
        if want.is_empty() {
            continue;
        }
        let got: Vec<String> = rows.iter().map(action_line).collect();
        if got != want {
            return Err(format!(
                "{word} rows differ\n  got:  {got:?}\n  want: {want:?}"
            ));
        }
    }
    Ok(())
}

#[test]
fn every_golden_fixture_gives_its_expected_findings_and_figures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.retain(|p| p.join("expected.txt").is_file());
    cases.sort();
    assert!(cases.len() >= 25, "fixtures missing: {}", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check_case(case)
                .err()
                .map(|e| format!("{}: {e}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_and_dialect_feature_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for rule in bilan::validate::Rule::ALL {
        assert!(
            root.join(format!("rule_{}", rule.code())).is_dir(),
            "no fixture for rule {}",
            rule.code()
        );
    }
}
