//! Printing the HTML report to PDF with headless Chromium, or on Windows
//! with Microsoft Edge or Google Chrome (the same engine, same flags).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The browser's usual program names on `PATH`.
#[cfg(not(windows))]
const CANDIDATES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
#[cfg(windows)]
const CANDIDATES: [&str; 3] = ["chrome.exe", "msedge.exe", "chromium.exe"];

/// The browser to print with: `--chrome PATH`, else the first of the usual
/// names found on `PATH`, else, on Windows, Google Chrome or Microsoft Edge
/// where their installers put them.
pub fn find_chrome(asked: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = asked {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!("--chrome {}: no such program", path.display());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in CANDIDATES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    if cfg!(windows) {
        let places = windows_places(|name| std::env::var_os(name));
        if let Some(found) = places.iter().find(|place| place.is_file()) {
            return Ok(found.clone());
        }
        bail!(
            "--pdf needs Microsoft Edge or Google Chrome, and neither was found ({}, nor {} on PATH); give the browser's path with --chrome PATH",
            places
                .iter()
                .map(|place| place.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            CANDIDATES.join(", ")
        )
    }
    bail!(
        "--pdf needs Chromium or Google Chrome, and none was found on PATH ({}); install it (Debian: apt-get install chromium) or give its path with --chrome PATH",
        CANDIDATES.join(", ")
    )
}

/// Where Windows installers put Google Chrome (for every user, then for
/// one user) and Microsoft Edge (part of Windows 10 and 11), in that
/// order, given the environment variable `var` of that name.
fn windows_places(var: impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    const CHROME: [&str; 4] = ["Google", "Chrome", "Application", "chrome.exe"];
    const EDGE: [&str; 4] = ["Microsoft", "Edge", "Application", "msedge.exe"];
    let program_files = var("ProgramFiles").unwrap_or_else(|| r"C:\Program Files".into());
    let program_files_x86 =
        var("ProgramFiles(x86)").unwrap_or_else(|| r"C:\Program Files (x86)".into());
    let mut places = vec![
        (program_files.clone(), CHROME),
        (program_files_x86.clone(), CHROME),
    ];
    if let Some(local) = var("LOCALAPPDATA") {
        places.push((local, CHROME));
    }
    places.push((program_files_x86, EDGE));
    places.push((program_files, EDGE));
    let mut seen = Vec::new();
    for (base, parts) in places {
        let place = parts
            .iter()
            .fold(PathBuf::from(base), |p, part| p.join(part));
        if !seen.contains(&place) {
            seen.push(place);
        }
    }
    seen
}

/// Prints `html` to `pdf` (both absolute paths), tagged and with bookmarks.
pub fn print(chrome: &Path, html: &Path, pdf: &Path) -> Result<()> {
    let profile = tempfile::tempdir().context("cannot create a browser profile folder")?;
    let output = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            // Bookmarks from the headings (h1, h2, h3 nested under them).
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", plain(pdf)))
        .arg(file_url(&plain(html), cfg!(windows)))
        .output()
        .with_context(|| format!("cannot run {}", chrome.display()))?;
    if !output.status.success() || !pdf.is_file() {
        bail!(
            "{} could not print the report to PDF (exit {:?}): {}",
            chrome.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(())
}

/// `path` as a string, without the `\\?\` prefix that Windows gives a
/// canonical path (`\\?\C:\Users\…`, `\\?\UNC\server\share\…`),
/// which a browser does not read as a file name.
fn plain(path: &Path) -> String {
    let text = path.display().to_string();
    if let Some(share) = text.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{share}")
    } else if let Some(rest) = text.strip_prefix(r"\\?\") {
        rest.to_string()
    } else {
        text
    }
}

/// The `file:` URL of the absolute path `path`: `file:///tmp/bilan%202024/bilan.html`,
/// and with `windows` (`\` separators, a drive or a share):
/// `file:///C:/Users/…`, `file://server/share/…`. Every byte but letters,
/// digits, `-._~/:` is percent-encoded, so that a `#`, a `%` or a space in
/// a folder name reaches the browser as part of the name.
fn file_url(path: &str, windows: bool) -> String {
    let path = if windows {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let mut url = String::from(match () {
        () if path.starts_with("//") => "file:",
        () if path.starts_with('/') => "file://",
        () => "file:///",
    });
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_encode_what_a_url_would_read_otherwise() {
        assert_eq!(
            file_url("/tmp/bilan-2024/bilan.html", false),
            "file:///tmp/bilan-2024/bilan.html"
        );
        assert_eq!(
            file_url("/tmp/Rapport #2 100% été/bilan.html", false),
            "file:///tmp/Rapport%20%232%20100%25%20%C3%A9t%C3%A9/bilan.html"
        );
        // A backslash is a character of a Linux file name.
        assert_eq!(file_url(r"/tmp/a\b.html", false), "file:///tmp/a%5Cb.html");
        assert_eq!(
            file_url(
                r"C:\Users\Anne Dupont\Documents\export - bilan\bilan.html",
                true
            ),
            "file:///C:/Users/Anne%20Dupont/Documents/export%20-%20bilan/bilan.html"
        );
        assert_eq!(
            file_url(r"\\serveur\partage\bilan.html", true),
            "file://serveur/partage/bilan.html"
        );
    }

    #[test]
    fn the_verbatim_prefix_of_windows_paths_is_dropped() {
        assert_eq!(
            plain(Path::new(r"\\?\C:\Users\a\bilan.pdf")),
            r"C:\Users\a\bilan.pdf"
        );
        assert_eq!(
            plain(Path::new(r"\\?\UNC\srv\share\b.pdf")),
            r"\\srv\share\b.pdf"
        );
        assert_eq!(plain(Path::new("/tmp/bilan.pdf")), "/tmp/bilan.pdf");
    }

    #[test]
    fn on_windows_chrome_is_looked_for_before_edge_where_installers_put_them() {
        let env = |name: &str| -> Option<OsString> {
            match name {
                "ProgramFiles" => Some(r"C:\Program Files".into()),
                "ProgramFiles(x86)" => Some(r"C:\Program Files (x86)".into()),
                "LOCALAPPDATA" => Some(r"C:\Users\anne\AppData\Local".into()),
                _ => None,
            }
        };
        let places: Vec<PathBuf> = windows_places(env);
        let expected: Vec<PathBuf> = [
            [
                r"C:\Program Files",
                "Google",
                "Chrome",
                "Application",
                "chrome.exe",
            ],
            [
                r"C:\Program Files (x86)",
                "Google",
                "Chrome",
                "Application",
                "chrome.exe",
            ],
            [
                r"C:\Users\anne\AppData\Local",
                "Google",
                "Chrome",
                "Application",
                "chrome.exe",
            ],
            [
                r"C:\Program Files (x86)",
                "Microsoft",
                "Edge",
                "Application",
                "msedge.exe",
            ],
            [
                r"C:\Program Files",
                "Microsoft",
                "Edge",
                "Application",
                "msedge.exe",
            ],
        ]
        .iter()
        .map(|parts| parts.iter().collect())
        .collect();
        assert_eq!(places, expected);
        // Without the variables: the usual folders, each place once.
        let places = windows_places(|_| None);
        assert_eq!(places.len(), 4);
        assert!(places[3].starts_with(r"C:\Program Files"));
        assert!(places[2].ends_with("msedge.exe"));
    }
}
