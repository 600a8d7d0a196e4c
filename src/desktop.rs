//! A Windows user's first minute (issue #29): `bilan.exe` started from the
//! Explorer rather than typed in a terminal.
//!
//! - A folder dropped onto `bilan.exe` (Windows starts it with that one
//!   argument, no subcommand): the report of that export is written into
//!   a folder beside it, `EXPORT - bilan`, and its HTML opened in the
//!   browser. Typed in a terminal (`bilan.exe D:\export`), it does the same.
//! - A double click (no argument): how to use it, instead of the help of
//!   the command line flashing by.
//!
//! Both speak French. When bilan has the console window to itself (so
//! Windows made it for bilan and closes it when bilan ends), they wait for
//! Enter before ending, after an error too, which they state with what to
//! do. Any other start is the command line of every platform, unchanged;
//! on other systems this module does nothing (a folder cannot be dropped
//! onto a program there, and `bilan report --input DIR` says it all).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::cli::{Cli, COMMANDS};
use crate::cmd::exit;

/// How bilan was started, from its arguments (the program first).
#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    /// A double click: no argument, and a console of its own.
    Usage,
    /// One argument that names a file or folder: dropped onto bilan.exe
    /// (or typed as a shortcut for `report --input`).
    Dropped(PathBuf),
    /// Several files or folders dropped at once.
    Several,
    /// The command line: a subcommand, an option, or a start from a terminal.
    Command,
}

/// Tells how bilan was started. `own_console`: bilan is the only program
/// attached to its console window (Windows made the window for it).
pub fn launch(args: &[OsString], own_console: bool) -> Launch {
    let is_path = |arg: &OsString| {
        let text = arg.to_string_lossy();
        !text.starts_with('-')
            && text != "help"
            && !COMMANDS.contains(&text.as_ref())
            && Path::new(arg).exists()
    };
    match args {
        [_] if own_console => Launch::Usage,
        [_, arg] if is_path(arg) => Launch::Dropped(PathBuf::from(arg)),
        [_, paths @ ..] if own_console && paths.len() > 1 && paths.iter().all(is_path) => {
            Launch::Several
        }
        _ => Launch::Command,
    }
}

/// Runs bilan as a Windows user started it from the Explorer, or returns
/// `None` for the command line (always, on other systems).
pub fn run() -> Option<ExitCode> {
    if !cfg!(windows) {
        return None;
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let own_console = own_console();
    let code = match launch(&args, own_console) {
        Launch::Command => return None,
        Launch::Usage => {
            say(&usage());
            ExitCode::SUCCESS
        }
        Launch::Several => {
            say("Déposez un seul dossier à la fois sur bilan.exe : le dossier de l’export Mediateam.");
            ExitCode::from(exit::FAILURE)
        }
        Launch::Dropped(path) => report_beside(&path),
    };
    if own_console {
        say("\nAppuyez sur Entrée pour fermer cette fenêtre.");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    Some(code)
}

/// The report of the export `path` into a folder beside it, then opened.
fn report_beside(path: &Path) -> ExitCode {
    say(&format!(
        "bilan {} — bilan d’activité du dispositif intégré handicaps rares\n",
        env!("CARGO_PKG_VERSION")
    ));
    match write_and_open(path) {
        Ok(code) => code,
        Err(err) => {
            crate::note!("error: {err:#}");
            say(&format!(
                "\nLe rapport n’a pas pu être écrit.\n{}",
                what_to_do(&err)
            ));
            ExitCode::from(exit::FAILURE)
        }
    }
}

fn write_and_open(path: &Path) -> Result<ExitCode> {
    let export =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let out = out_beside(&export)?;
    say(&format!("Export : {}", export.display()));
    say(&format!("Rapport : {}\n", out.display()));
    let args: [&OsStr; 6] = [
        "bilan".as_ref(),
        "report".as_ref(),
        "--input".as_ref(),
        export.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let code = crate::cmd::run(Cli::try_parse_from(args)?)?;
    let html = out.join(crate::render::HTML);
    say(&format!("\nLe rapport est prêt : {}", html.display()));
    if open(&html) {
        say("Il s’ouvre dans votre navigateur.");
    } else {
        say("Ouvrez ce fichier dans votre navigateur (double-clic dessus dans l’Explorateur).");
    }
    say(&wrap(
        "Dans le même dossier : bilan.xlsx (les tableaux, pour Excel), findings.csv (les problèmes trouvés dans l’export) et les chiffres pour d’autres programmes. Pour le PDF : LISEZMOI.txt.",
    ));
    Ok(code)
}

/// A dropped path that is not an export folder.
#[derive(Debug)]
enum NotAFolder {
    Zip(PathBuf),
    File(PathBuf),
    DriveRoot(PathBuf),
}

impl std::fmt::Display for NotAFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Zip(path) => write!(f, "{} is a zip file, not a folder", path.display()),
            Self::File(path) => write!(f, "{} is a file, not a folder", path.display()),
            Self::DriveRoot(path) => write!(
                f,
                "{} is the root of a drive: there is no folder beside it",
                path.display()
            ),
        }
    }
}

impl std::error::Error for NotAFolder {}

/// Where the report of the export folder `export` (absolute) goes: the
/// folder `NAME - bilan` beside it. A file, or a drive's root, is refused.
pub fn out_beside(export: &Path) -> Result<PathBuf> {
    let path = export.to_path_buf();
    if !export.is_dir() {
        let zip = export
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"));
        bail!(if zip {
            NotAFolder::Zip(path)
        } else {
            NotAFolder::File(path)
        });
    }
    match (export.parent(), export.file_name()) {
        (Some(parent), Some(name)) => {
            let mut folder = name.to_os_string();
            folder.push(" - bilan");
            Ok(parent.join(folder))
        }
        _ => bail!(NotAFolder::DriveRoot(path)),
    }
}

/// What to do about `err`, in French, for someone who dropped a folder.
pub fn what_to_do(err: &anyhow::Error) -> String {
    use std::io::ErrorKind;
    let io_kind = || {
        err.chain()
            .find_map(|cause| cause.downcast_ref::<std::io::Error>())
            .map(std::io::Error::kind)
    };
    let advice = match (err.downcast_ref::<NotAFolder>(), io_kind()) {
        (Some(NotAFolder::Zip(_)), _) => {
            "Un export reçu en fichier .zip doit d’abord être décompressé : clic droit sur le fichier, « Extraire tout… », puis déposez sur bilan.exe le dossier obtenu."
        }
        (Some(NotAFolder::File(_)), _) => {
            "Déposez sur bilan.exe le dossier de l’export, celui qui contient les fichiers usagers, demandes et interventions, et non l’un de ces fichiers."
        }
        (Some(NotAFolder::DriveRoot(_)), _) => {
            "Copiez le contenu de l’export dans un dossier (par exemple dans Documents), puis déposez ce dossier sur bilan.exe."
        }
        (
            None,
            Some(ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge),
        ) => {
            "Le disque est plein : libérez de la place, puis déposez à nouveau le dossier. Rien n’a été laissé à moitié écrit."
        }
        (None, Some(ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem)) => {
            "bilan ne peut pas écrire à côté de l’export (dossier partagé en lecture seule, clé protégée…) : copiez le dossier de l’export dans Documents, puis déposez cette copie sur bilan.exe."
        }
        _ => {
            "Le message « error: » ci-dessus (en anglais) dit ce qui bloque et, quand il s’agit d’un fichier de l’export, lequel, à quelle ligne et dans quelle colonne. Vérifiez que vous avez déposé le dossier de l’export Mediateam (avec ses fichiers usagers, demandes et interventions), corrigez ce qui est signalé, puis déposez à nouveau le dossier."
        }
    };
    wrap(&format!("Que faire : {advice}"))
}

/// `text` cut into lines that fit the narrowest console (80 columns),
/// between words.
fn wrap(text: &str) -> String {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() >= 80 {
                lines.push(std::mem::take(&mut line));
            } else if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// What a double click says.
fn usage() -> String {
    format!(
        "bilan {} — bilan d’activité du dispositif intégré handicaps rares

bilan lit un export Mediateam et écrit le bilan d’activité de l’année :
un rapport à ouvrir dans le navigateur, ses tableaux pour Excel (bilan.xlsx)
et la liste des problèmes trouvés dans l’export.

Pour l’utiliser :
  1. Dans l’Explorateur, ouvrez le dossier où se trouve bilan.exe.
  2. Faites glisser le dossier de l’export Mediateam (celui qui contient les
     fichiers usagers, demandes et interventions) et déposez-le sur bilan.exe.
  3. Le rapport s’écrit dans un nouveau dossier à côté de l’export,
     « NOM DE L’EXPORT - bilan », et s’ouvre dans votre navigateur.

Pour essayer : déposez sur bilan.exe le dossier sample_data, livré avec lui
(un export fictif).

Le PDF, le rapport de chaque équipe et le choix de l’année se demandent dans
un terminal : voir LISEZMOI.txt.",
        env!("CARGO_PKG_VERSION")
    )
}

/// One message to the person at the console (standard error, never panics).
fn say(text: &str) {
    crate::note!("{text}");
}

/// Whether bilan is the only program attached to its console: Windows
/// made the window for it (a double click, a folder dropped onto it), and
/// closes it when bilan ends. From a terminal, the shell is attached too.
#[cfg(windows)]
fn own_console() -> bool {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut list = [0u32; 4];
    // SAFETY: `list` has room for the 4 process ids the call is allowed to
    // write; it returns how many processes share the console (0 if none).
    let attached = unsafe { GetConsoleProcessList(list.as_mut_ptr(), 4) };
    attached == 1
}

#[cfg(not(windows))]
fn own_console() -> bool {
    false
}

/// Opens `file` with the program Windows opens it with (the browser, for
/// an HTML file); false if that failed.
#[cfg(windows)]
fn open(file: &Path) -> bool {
    use std::ffi::c_void;
    use std::os::windows::ffi::OsStrExt;
    #[link(name = "shell32")]
    extern "system" {
        fn ShellExecuteW(
            window: *mut c_void,
            operation: *const u16,
            file: *const u16,
            parameters: *const u16,
            directory: *const u16,
            show: i32,
        ) -> *mut c_void;
    }
    let wide = |text: &OsStr| -> Vec<u16> { text.encode_wide().chain([0]).collect() };
    let (operation, file) = (wide("open".as_ref()), wide(file.as_os_str()));
    const SW_SHOWNORMAL: i32 = 1;
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call;
    // no window, parameters or directory (null) are allowed by the API.
    let result = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            operation.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_SHOWNORMAL,
        )
    };
    // A value above 32 means success (Win32 ShellExecuteW).
    result as usize > 32
}

#[cfg(not(windows))]
fn open(_file: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        std::iter::once("bilan.exe")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn a_double_click_shows_the_usage_and_a_terminal_gets_the_command_line() {
        assert_eq!(launch(&args(&[]), true), Launch::Usage);
        assert_eq!(launch(&args(&[]), false), Launch::Command);
    }

    #[test]
    fn one_existing_path_is_a_dropped_export_anything_else_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("Export Mediateam");
        std::fs::create_dir(&export).unwrap();
        let file = dir.path().join("usagers.csv");
        std::fs::write(&file, "").unwrap();
        for own in [true, false] {
            let export_arg = export.to_str().unwrap();
            assert_eq!(
                launch(&args(&[export_arg]), own),
                Launch::Dropped(export.clone())
            );
            assert_eq!(
                launch(&args(&[file.to_str().unwrap()]), own),
                Launch::Dropped(file.clone())
            );
            for command in [
                vec!["report", "--input", export_arg],
                vec!["--help"],
                vec!["--version"],
                vec!["validate"],
                vec!["no-such-folder"],
                vec![export_arg, "--year", "2024"],
            ] {
                assert_eq!(launch(&args(&command), own), Launch::Command, "{command:?}");
            }
        }
        // A folder named like a subcommand, given by its name, is the subcommand.
        assert_eq!(launch(&args(&["report"]), true), Launch::Command);
        assert_eq!(launch(&args(&["help"]), true), Launch::Command);
        // Several files dropped at once, from the Explorer only.
        let several = [export.to_str().unwrap(), file.to_str().unwrap()];
        assert_eq!(launch(&args(&several), true), Launch::Several);
        assert_eq!(launch(&args(&several), false), Launch::Command);
    }

    #[test]
    fn the_report_goes_beside_the_export() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("Export 2024, final");
        std::fs::create_dir(&export).unwrap();
        assert_eq!(
            out_beside(&export).unwrap(),
            dir.path().join("Export 2024, final - bilan")
        );
        let zip = dir.path().join("export.ZIP");
        std::fs::write(&zip, "PK").unwrap();
        let err = out_beside(&zip).unwrap_err();
        assert!(what_to_do(&err).contains("Extraire tout"), "{err:#}");
        let csv = dir.path().join("usagers.csv");
        std::fs::write(&csv, "").unwrap();
        let err = out_beside(&csv).unwrap_err();
        assert!(
            what_to_do(&err).contains("et non l’un de ces fichiers"),
            "{err:#}"
        );
        let err = out_beside(Path::new("/")).unwrap_err();
        assert!(what_to_do(&err).contains("Copiez le contenu"), "{err:#}");
    }

    #[test]
    fn errors_say_in_french_what_to_do() {
        let denied = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
            .context("cannot create the report folder");
        assert!(what_to_do(&denied).contains("copiez le dossier de l’export dans Documents"));
        // A folder that is not an export: the message of the run is the guide.
        let full = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(what_to_do(&full).contains("Le disque est plein"));
        let other = anyhow::anyhow!("no usagers table in D:\\export");
        assert!(what_to_do(&other).starts_with("Que faire : Le message « error: » ci-dessus"));
        for err in [denied, full, other] {
            let text = what_to_do(&err);
            assert!(text.lines().all(|line| line.chars().count() < 80), "{text}");
        }
    }

    #[test]
    fn the_usage_says_how_to_drop_a_folder() {
        let text = usage();
        assert!(text.contains("déposez-le sur bilan.exe"));
        assert!(text.contains("sample_data"));
        assert!(
            text.lines().all(|line| line.chars().count() <= 84),
            "{text}"
        );
    }
}
