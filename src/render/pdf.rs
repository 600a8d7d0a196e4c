//! Printing the HTML reports to PDF: one headless Chromium for the whole
//! run, started with the command and driven over the DevTools protocol
//! (`headless_chrome`), printing one report in one tab and several in a
//! tab a core and one more (docs/decisions.md, 149); each printed report
//! is made PDF/UA and written on a thread of its own while its tab prints
//! the next (159).

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{JoinHandle, Scope, ScopedJoinHandle};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use headless_chrome::browser::DEFAULT_ARGS;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Page;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions, Tab};
use lopdf::Document;

use super::view::ReportView;
use super::{pdfua, toc, HTML, PDF};

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

/// The longest the browser may stay silent while a call waits for it: a
/// print of a long report takes seconds, never minutes.
const SILENCE: Duration = Duration::from_secs(300);

/// Features of Chromium 156 that a headless print does without: every
/// window preloads its address bar's suggestions, plain and in AI mode, in
/// pages of their own and a renderer of their own (0.5 CPU-second a tab,
/// decision 197), though a headless window has no address bar.
const UNUSED_FEATURES: &str = "WebUIOmniboxPopup,WebUIOmniboxAimPopup";

/// The `--disable-features` switch of `headless_chrome`'s defaults, if
/// any, and the one to pass instead: Chromium reads only the last such
/// switch, so ours keeps the features the defaults turn off.
fn disabled_features() -> (Option<&'static str>, String) {
    let default = DEFAULT_ARGS
        .iter()
        .copied()
        .find(|arg| arg.starts_with("--disable-features="));
    let ours = match default {
        Some(default) => format!("{default},{UNUSED_FEATURES}"),
        None => format!("--disable-features={UNUSED_FEATURES}"),
    };
    (default, ours)
}

/// How often a page's load that is taking a while checks that the browser
/// is still there (it may have died).
const STILL_THERE: Duration = Duration::from_millis(250);

/// The browser to print with: `--chrome PATH`, else the first of the usual
/// names found on `PATH`, else, on Windows, Google Chrome or Microsoft Edge
/// where their installers put them.
pub fn find_chrome(asked: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = asked {
        if !path.is_file() {
            bail!("--chrome {}: no such program", path.display());
        }
        // Chrome on Windows prints no version to a console.
        if !cfg!(windows) {
            says_it_is_a_browser(path)?;
        }
        return Ok(path.to_path_buf());
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

/// The names a Chromium-based browser gives in its `--version` (lower case).
const BROWSER_NAMES: [&str; 5] = ["chrom", "edge", "brave", "vivaldi", "opera"];

/// Checks that `path`, given with `--chrome`, is a Chromium-based browser:
/// its `--version` names one. Another program (a script, a wrong file)
/// would make the launch wait for a debugging address it never prints,
/// 30 s at each of eleven tries. Gives up on a program that does not
/// answer in 10 s.
fn says_it_is_a_browser(path: &Path) -> Result<()> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("--chrome {}: cannot run it", path.display()))?;
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut said = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        use std::io::Read;
        stdout.read_to_string(&mut said).ok();
    }
    let said = said.trim();
    let lower = said.to_lowercase();
    let named = BROWSER_NAMES.iter().any(|name| lower.contains(name));
    if status.is_some_and(|s| s.success()) && named {
        return Ok(());
    }
    let what = match (status, said.lines().next()) {
        (None, _) => "gave no answer in 10 s".to_string(),
        (Some(_), Some(line)) if !line.is_empty() => format!("answered « {line} »"),
        (Some(status), _) => format!("printed nothing ({status})"),
    };
    bail!(
        "--chrome {}: this is not Chromium, Google Chrome or Microsoft Edge (`--version` {what}); give the path of the browser's program, e.g. /usr/bin/chromium",
        path.display()
    )
}

/// One report to print: its view (for the Sommaire's numbers) and the
/// folder that holds its HTML, where its PDF goes.
pub struct PrintJob {
    /// What the error messages call it: `national` or the team's code.
    pub label: String,
    pub view: ReportView,
    /// An absolute path.
    pub dir: PathBuf,
}

/// The browser of a run, launched in the background as soon as the options
/// are checked, while the export is read and the figures computed.
/// Dropping it before the printing starts waits for the launch and ends the
/// browser: no browser outlives an error.
pub struct Launch {
    browser: Option<JoinHandle<Result<(Printer, LoadingTab)>>>,
}

impl Launch {
    /// Starts `chrome`, and opens its first tab, in a thread of its own.
    pub fn start(chrome: PathBuf) -> Self {
        let browser = std::thread::spawn(move || {
            let printer = Printer::launch(&chrome)?;
            crate::console::lap("browser started");
            let tab = printer.first_tab()?;
            crate::console::lap("first tab opened");
            Ok((printer, tab))
        });
        Self {
            browser: Some(browser),
        }
    }

    /// The browser and its first tab, once they are up, or why they could
    /// not start.
    fn join(mut self) -> Result<(Printer, LoadingTab)> {
        match self.browser.take() {
            Some(browser) => browser
                .join()
                .unwrap_or_else(|_| Err(anyhow!("the browser's launch stopped unexpectedly"))),
            None => Err(anyhow!("the browser was already taken")),
        }
    }
}

impl Drop for Launch {
    fn drop(&mut self) {
        if let Some(browser) = self.browser.take() {
            // The printer it returns is dropped here, which ends the browser.
            browser.join().ok();
        }
    }
}

/// The printing of a run: one browser, `tabs` tabs, each taking the next
/// report as it is handed in. Reports print while the main thread writes
/// the other files of the next folders.
pub struct Pool<'scope> {
    jobs: mpsc::Sender<PrintJob>,
    done: ScopedJoinHandle<'scope, Result<()>>,
}

impl<'scope> Pool<'scope> {
    /// Starts printing in `tabs` tabs of the browser of `launch`, opened
    /// together as soon as it is up.
    pub fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        launch: Launch,
        tera: &'env tera::Tera,
        tabs: usize,
    ) -> Self {
        let (jobs, queue) = mpsc::channel::<PrintJob>();
        let done = scope.spawn(move || run(launch, tera, queue, tabs));
        Self { jobs, done }
    }

    /// Hands a report in; an error of the printing shows at `finish`.
    pub fn submit(&self, job: PrintJob) {
        // A closed queue means the printing already failed: `finish` says why.
        self.jobs.send(job).ok();
    }

    /// Waits for every report handed in to be printed.
    pub fn finish(self) -> Result<()> {
        drop(self.jobs);
        self.done
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the printing of the PDF stopped unexpectedly")))
    }
}

/// Prints every job of `queue` in `tabs` tabs of the browser of `launch`;
/// the first error stops every tab. Each printed report is made PDF/UA
/// and written on a thread of its own while its tab prints the next one,
/// and the browser is closed while the last ones are.
fn run(
    launch: Launch,
    tera: &tera::Tera,
    queue: mpsc::Receiver<PrintJob>,
    tabs: usize,
) -> Result<()> {
    let failed = AtomicBool::new(false);
    std::thread::scope(|finishers| {
        let finishing = Mutex::new(Vec::new());
        let printed = print_all(launch, tera, queue, tabs, &failed, &|doc, job| {
            let failed = &failed;
            let finisher = finishers.spawn(move || {
                let result = finish_report(doc, &job);
                if result.is_err() {
                    failed.store(true, Ordering::SeqCst);
                }
                result
            });
            if let Ok(mut finishing) = finishing.lock() {
                finishing.push(finisher);
            }
        });
        let finished: Vec<Result<()>> = finishing
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .map(|f| {
                f.join()
                    .unwrap_or_else(|_| Err(anyhow!("the writing of a PDF stopped unexpectedly")))
            })
            .collect();
        printed?;
        finished.into_iter().collect()
    })
}

/// A printed report handed over to be made PDF/UA and written.
type Printed<'a> = &'a (dyn Fn(Document, PrintJob) + Sync);

/// Prints every job of `queue` in `tabs` tabs, handing each printed
/// report to `printed`; the browser is closed when it returns.
fn print_all(
    launch: Launch,
    tera: &tera::Tera,
    queue: mpsc::Receiver<PrintJob>,
    tabs: usize,
    failed: &AtomicBool,
    printed: Printed<'_>,
) -> Result<()> {
    let (printer, first) = launch.join()?;
    let mut first = Some(first);
    let queue = Mutex::new(queue);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..tabs.max(1))
            .map(|_| {
                let (printer, queue) = (&printer, &queue);
                let tab = first.take();
                scope.spawn(move || {
                    let result = work(printer, tab, tera, queue, failed, printed);
                    if result.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    result
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(anyhow!("a printing tab stopped unexpectedly")))
            })
            .collect()
    });
    results.into_iter().collect()
}

/// One tab's work: the next job of `queue` until none is left. The tabs
/// other than the first open together, as the printing starts.
fn work(
    printer: &Printer,
    tab: Option<LoadingTab>,
    tera: &tera::Tera,
    queue: &Mutex<mpsc::Receiver<PrintJob>>,
    failed: &AtomicBool,
    printed: Printed<'_>,
) -> Result<()> {
    let tab = match tab {
        Some(tab) => tab,
        None => printer.tab()?,
    };
    loop {
        let next = queue.lock().map_err(|_| anyhow!("no print queue"))?.recv();
        let Ok(job) = next else { return Ok(()) };
        if failed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let html = job.dir.join(HTML);
        let doc =
            toc::print_with_page_numbers(&tab, tera, &job.view, &html).with_context(|| {
                format!(
                    "{} failed while printing the report {}",
                    printer.chrome.display(),
                    job.label,
                )
            })?;
        crate::console::lap(&format!("{}: printed with its page numbers", job.label));
        printed(doc, job);
    }
}

/// Makes a printed report PDF/UA and writes it beside its HTML.
fn finish_report(mut doc: Document, job: &PrintJob) -> Result<()> {
    let bytes = pdfua::finish(&mut doc, &job.view.toc)
        .with_context(|| format!("cannot make the PDF of the report {} accessible", job.label))?;
    let pdf = job.dir.join(PDF);
    std::fs::write(&pdf, bytes).with_context(|| format!("cannot write {}", pdf.display()))?;
    crate::console::lap(&format!("{}: PDF/UA written", job.label));
    Ok(())
}

/// One headless browser for a run; dropping it ends the browser, then
/// removes its profile.
pub struct Printer {
    browser: Browser,
    chrome: PathBuf,
    /// Dropped after `browser`, which waits for the browser to end.
    _profile: Profile,
}

/// The browser's profile folder, removed when dropped. The browser's helper
/// processes (its storage service, its renderers) outlive it for a moment
/// and may still write into the folder while it is removed: a removal that
/// fails is tried again for up to a second.
struct Profile(PathBuf);

impl Drop for Profile {
    fn drop(&mut self) {
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.0).is_ok() || !self.0.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The prefix of the browser profiles' folders.
const PROFILE_PREFIX: &str = "bilan-chromium-";

/// How much room a folder in memory must have for a profile (about 3 MB).
#[cfg(target_os = "linux")]
const PROFILE_ROOM: u64 = 32 << 20;

/// A folder for the browser's throwaway profile, removed when dropped: on
/// Linux, in memory (`/dev/shm`) when it has room, where creating the
/// profile's 190 files costs nothing (0.15 s of CPU a run on a disk where
/// many files come and go, decision 164); otherwise in the temporary
/// folder, as `headless_chrome` would.
fn profile_folder() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(PROFILE_PREFIX);
    #[cfg(target_os = "linux")]
    {
        const SHM: &str = "/dev/shm";
        remove_stale_profiles(Path::new(SHM));
        if room_in(SHM).is_some_and(|room| room >= PROFILE_ROOM) {
            if let Ok(folder) = builder.tempdir_in(SHM) {
                return Ok(folder);
            }
        }
    }
    remove_stale_profiles(&std::env::temp_dir());
    builder.tempdir()
}

/// How old a profile folder left behind must be to be removed.
const STALE: Duration = Duration::from_secs(3600);

/// Removes the profile folders that earlier runs left in `place`: a run
/// killed before it could remove its own, or a browser helper that wrote
/// into one after it was removed (the network service saves its state as
/// it ends). Only those unchanged for an hour: a run in progress keeps
/// its own.
fn remove_stale_profiles(place: &Path) {
    let Ok(entries) = std::fs::read_dir(place) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(PROFILE_PREFIX)
        {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_dir)
            .and_then(|metadata| metadata.modified().ok())
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The bytes an unprivileged user may still write in the file system of
/// `path`.
#[cfg(target_os = "linux")]
fn room_in(path: &str) -> Option<u64> {
    let path = std::ffi::CString::new(path).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is NUL-terminated and `stats` has the size of the
    // structure `statvfs` fills; it is read only when the call succeeded,
    // which means it was filled.
    let stats = unsafe {
        (libc::statvfs(path.as_ptr(), stats.as_mut_ptr()) == 0).then(|| stats.assume_init())
    }?;
    Some((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
}

/// The browser's temporary folder: its profile's. Chromium makes a folder
/// `org.chromium.Chromium.XXXXXX` in the temporary folder for the socket
/// that keeps it to one instance, and leaves it there when it is ended
/// without a word, as `headless_chrome` ends it: one more folder in
/// `/tmp` for every run that printed a PDF (decision 168). In the profile,
/// it goes with the profile. (Chrome on Windows keeps to one instance
/// another way.)
fn browser_temp(profile: &Path) -> Option<HashMap<String, String>> {
    if cfg!(windows) {
        return None;
    }
    let profile = profile.to_str()?;
    Some(HashMap::from([("TMPDIR".to_string(), profile.to_string())]))
}

impl Printer {
    /// Starts `chrome` headless, with a profile of its own that is removed
    /// when it stops.
    pub fn launch(chrome: &Path) -> Result<Self> {
        let (default_features, features) = disabled_features();
        let flags = [
            "--disable-quic",
            "--disable-component-update",
            "--no-pdf-header-footer",
            // No tab but those the printing opens.
            "--no-startup-window",
            &features,
            // Our own local pages: one renderer a tab for the whole run,
            // rather than a new one for most reports (decision 197).
            "--disable-site-isolation-trials",
        ];
        // Removed when the printer is dropped, or at once if the launch fails.
        let profile = Profile(
            profile_folder()
                .context("cannot make a folder for the browser's profile in the temporary folder")?
                .keep(),
        );
        let options = LaunchOptions::default_builder()
            .path(Some(chrome.to_path_buf()))
            .user_data_dir(Some(profile.0.clone()))
            .process_envs(browser_temp(&profile.0))
            .headless(true)
            .sandbox(false)
            .ignore_default_args(default_features.into_iter().map(OsStr::new).collect())
            .args(flags.iter().map(OsStr::new).collect())
            .idle_browser_timeout(SILENCE)
            .build()
            .map_err(|e| anyhow!("{e}"))?;
        let browser = Browser::new(options).map_err(|e| {
            anyhow!(
                "cannot start {} to print the PDF ({e:#}); install Chromium (Debian: apt-get install chromium) or give another browser with --chrome PATH",
                chrome.display()
            )
        })?;
        Ok(Self {
            browser,
            chrome: chrome.to_path_buf(),
            _profile: profile,
        })
    }

    /// The first tab to print in, in the browser's default context: it
    /// opens faster than in a context of its own (0.48 s against 0.58 s,
    /// medians of six runs, decision 159).
    pub fn first_tab(&self) -> Result<LoadingTab> {
        let tab = self
            .browser
            .new_tab()
            .map_err(|e| anyhow!("{} cannot open a tab: {e:#}", self.chrome.display()))?;
        Self::loading(tab)
    }

    /// Another tab to print in, in a browser context of its own (its own
    /// renderer process, so one a core).
    pub fn tab(&self) -> Result<LoadingTab> {
        let context = self
            .browser
            .new_context()
            .map_err(|e| anyhow!("{} cannot open a tab: {e:#}", self.chrome.display()))?;
        let tab = context
            .new_tab()
            .map_err(|e| anyhow!("{} cannot open a tab: {e:#}", self.chrome.display()))?;
        Self::loading(tab)
    }

    /// `tab`, listening to the `load` events of what it loads.
    fn loading(tab: Arc<Tab>) -> Result<LoadingTab> {
        tab.set_default_timeout(SILENCE);
        tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
            source: NOT_ON_SCREEN.to_string(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })
        .map_err(|e| anyhow!("cannot prepare the tab: {e:#}"))?;
        let (loaded, loads) = mpsc::channel::<String>();
        let loaded = Mutex::new(loaded);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Event::PageLifecycleEvent(event) = event {
                if event.params.name == "load" {
                    if let Ok(loaded) = loaded.lock() {
                        loaded.send(event.params.loader_id.clone()).ok();
                    }
                }
            }
        }))
        .map_err(|e| anyhow!("{e:#}"))?;
        Ok(LoadingTab {
            tab,
            loads: Mutex::new(loads),
        })
    }
}

/// Given to every document a printing tab loads, before its own styles:
/// on screen it shows nothing. The tab only prints: its page is laid out
/// for print when printed, and a layout, a paint and frames for a screen
/// nobody sees cost the browser about a tenth of each report (decision
/// 174). The page's own styles and the printed PDF are as before: `print`
/// media does not match this rule.
const NOT_ON_SCREEN: &str = "{ const sheet = new CSSStyleSheet(); \
    sheet.replaceSync('@media screen { html { display: none } }'); \
    document.adoptedStyleSheets = [sheet]; }";

/// A tab and the `load` events of the documents it loads.
pub struct LoadingTab {
    tab: Arc<Tab>,
    loads: Mutex<mpsc::Receiver<String>>,
}

impl LoadingTab {
    /// Loads `html` (an absolute path) and waits for its `load` event (all
    /// the document and what it includes), not for the network to be idle.
    fn load(&self, html: &Path) -> Result<()> {
        let url = file_url(&plain(html), cfg!(windows));
        let navigation = self
            .tab
            .call_method(Page::Navigate {
                url: url.clone(),
                referrer: None,
                transition_Type: None,
                frame_id: None,
                referrer_policy: None,
            })
            .map_err(|e| anyhow!("cannot load the page: {e:#}"))?;
        if let Some(error) = navigation.error_text {
            bail!("cannot load {url}: {error}");
        }
        let Some(loader) = navigation.loader_id else {
            return Ok(());
        };
        let loads = self.loads.lock().map_err(|_| anyhow!("no load events"))?;
        let stopped =
            || anyhow!("the browser closed its connection while loading the page (it stopped)");
        let started = std::time::Instant::now();
        loop {
            match loads.recv_timeout(STILL_THERE) {
                Ok(loaded) if loaded == loader => return self.images_decoded(),
                Ok(_) => {}
                // A browser that died leaves the tab's event listener, and
                // so this channel, in place: it is asked whether it is still
                // there, rather than waited for until the silence is over.
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if started.elapsed() >= SILENCE {
                        bail!("the page did not finish loading in {} s", SILENCE.as_secs())
                    }
                    self.tab.get_target_info().map_err(|_| stopped())?;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(stopped()),
            }
        }
    }

    /// Waits until every image of the page (the charts, `<img>` of an SVG)
    /// is decoded: the `load` event says they are fetched, not drawn, and a
    /// print before then may leave a chart out.
    fn images_decoded(&self) -> Result<()> {
        self.tab
            .evaluate(
                "Promise.all(Array.from(document.images, i => i.decode().catch(() => null))).then(() => true)",
                true,
            )
            .map(|_| ())
            .map_err(|e| anyhow!("cannot wait for the page's charts: {e:#}"))
    }

    /// Loads `html` (an absolute path) and prints it whole, tagged and with
    /// bookmarks from the headings, as Chromium's `--print-to-pdf` does.
    pub fn print(&self, html: &Path) -> Result<Vec<u8>> {
        self.load(html)?;
        self.print_loaded()
    }

    fn print_loaded(&self) -> Result<Vec<u8>> {
        let options = PrintToPdfOptions {
            display_header_footer: Some(false),
            print_background: Some(true),
            prefer_css_page_size: Some(true),
            generate_tagged_pdf: Some(true),
            generate_document_outline: Some(true),
            ..PrintToPdfOptions::default()
        };
        self.tab
            .print_to_pdf(Some(options))
            .map_err(|e| anyhow!("cannot print the page: {e:#}"))
    }
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

    /// Chromium reads the last `--disable-features`: ours replaces the
    /// defaults' and keeps what they turned off.
    #[test]
    fn the_features_turned_off_are_the_defaults_and_the_address_bar() {
        let (default, ours) = disabled_features();
        let default = default.expect("headless_chrome turns some features off");
        assert!(ours.starts_with(default), "{ours}");
        for feature in ["TranslateUI", "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"] {
            assert!(ours.split([',', '=']).any(|f| f == feature), "{ours}");
        }
    }

    #[test]
    fn the_profile_is_in_memory_when_there_is_room_and_goes_away_with_the_printer() {
        let folder = profile_folder().unwrap();
        let path = folder.path().to_path_buf();
        assert!(path.is_dir());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(PROFILE_PREFIX), "{name}");
        #[cfg(target_os = "linux")]
        {
            assert_eq!(room_in("/no/such/folder"), None);
            if room_in("/dev/shm").is_some_and(|room| room >= PROFILE_ROOM) {
                assert!(path.starts_with("/dev/shm"), "{}", path.display());
            }
        }
        drop(Profile(folder.keep()));
        assert!(!path.exists());
    }

    // (A folder's time is set through a handle that only Unix opens so.)
    #[cfg(unix)]
    #[test]
    fn profiles_left_behind_over_an_hour_ago_are_removed() {
        let place = tempfile::tempdir().unwrap();
        let folder = |name: &str, age: u64| {
            let path = place.path().join(name);
            std::fs::create_dir_all(path.join("Default/Cache")).unwrap();
            let when = std::time::SystemTime::now() - Duration::from_secs(age);
            std::fs::File::open(&path)
                .unwrap()
                .set_modified(when)
                .unwrap();
            path
        };
        let stale = folder("bilan-chromium-old", 2 * 3600);
        let recent = folder("bilan-chromium-now", 60);
        let other = folder("someone-else", 2 * 3600);
        remove_stale_profiles(place.path());
        assert!(!stale.exists());
        assert!(recent.exists() && other.exists());
    }

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
