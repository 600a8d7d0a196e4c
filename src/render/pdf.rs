//! Printing the HTML reports to PDF: one headless Chromium for the whole
//! run, driven over the DevTools protocol (`headless_chrome`), printing in
//! as many tabs as there are cores (two here).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Page;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions, Tab};

use super::view::ReportView;
use super::{pdfua, toc, HTML, PDF};

const CANDIDATES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The longest the browser may stay silent while a call waits for it: a
/// print of a long report takes seconds, never minutes.
const SILENCE: Duration = Duration::from_secs(300);

/// The browser to print with: `--chrome PATH`, else the first of the usual
/// names found on `PATH`.
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
    bail!(
        "--pdf needs Chromium or Google Chrome, and none was found on PATH ({}); install it (Debian: apt-get install chromium) or give its path with --chrome PATH",
        CANDIDATES.join(", ")
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

/// The printing of a run: one browser, one tab a core, each taking the
/// next report as it is handed in. Reports print while the main thread
/// writes the other files of the next folders.
pub struct Pool<'scope> {
    jobs: mpsc::Sender<PrintJob>,
    done: ScopedJoinHandle<'scope, Result<()>>,
}

impl<'scope> Pool<'scope> {
    /// Launches `chrome` in the background and starts the printing tabs.
    pub fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        chrome: &'env Path,
        tera: &'env tera::Tera,
    ) -> Self {
        let (jobs, queue) = mpsc::channel::<PrintJob>();
        let done = scope.spawn(move || run(chrome, tera, queue));
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

/// Launches the browser and prints every job of `queue` in as many tabs
/// as there are cores; the first error stops every tab.
fn run(chrome: &Path, tera: &tera::Tera, queue: mpsc::Receiver<PrintJob>) -> Result<()> {
    let printer = Printer::launch(chrome)?;
    crate::console::lap("browser started");
    // The first tab opens with the browser, the others with their first job.
    let first = printer.tab()?;
    crate::console::lap("first tab opened");
    let queue = Mutex::new(queue);
    let failed = AtomicBool::new(false);
    let tabs = std::thread::available_parallelism().map_or(1, usize::from);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..tabs)
            .map(|n| {
                let first = (n == 0).then(|| Arc::clone(&first));
                let (printer, queue, failed) = (&printer, &queue, &failed);
                scope.spawn(move || {
                    let result = work(printer, first, tera, queue, failed);
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

/// One tab's work: the next job of `queue` until none is left.
fn work(
    printer: &Printer,
    mut tab: Option<Arc<LoadingTab>>,
    tera: &tera::Tera,
    queue: &Mutex<mpsc::Receiver<PrintJob>>,
    failed: &AtomicBool,
) -> Result<()> {
    loop {
        let next = queue.lock().map_err(|_| anyhow!("no print queue"))?.recv();
        let Ok(job) = next else { return Ok(()) };
        if failed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let tab = match &tab {
            Some(tab) => Arc::clone(tab),
            None => tab.insert(printer.tab()?).clone(),
        };
        print_report(&tab, tera, &job).with_context(|| {
            format!(
                "{} failed while printing the report {}",
                printer.chrome.display(),
                job.label,
            )
        })?;
    }
}

/// Prints one report with its Sommaire's page numbers, makes it PDF/UA
/// and writes it beside its HTML.
fn print_report(tab: &LoadingTab, tera: &tera::Tera, job: &PrintJob) -> Result<()> {
    let html = job.dir.join(HTML);
    let mut doc = toc::print_with_page_numbers(tab, tera, &job.view, &html)?;
    crate::console::lap(&format!("{}: printed with its page numbers", job.label));
    let bytes = pdfua::finish(&mut doc, &job.view.toc)?;
    let pdf = job.dir.join(PDF);
    std::fs::write(&pdf, bytes).with_context(|| format!("cannot write {}", pdf.display()))?;
    crate::console::lap(&format!("{}: PDF/UA written", job.label));
    Ok(())
}

/// One headless browser for a run; dropping it ends the browser.
pub struct Printer {
    browser: Browser,
    chrome: PathBuf,
}

impl Printer {
    /// Starts `chrome` headless, with a profile of its own that is removed
    /// when it stops.
    pub fn launch(chrome: &Path) -> Result<Self> {
        let flags: Vec<&OsStr> = [
            "--disable-quic",
            "--disable-component-update",
            "--no-pdf-header-footer",
            // No first tab: each printing tab is opened in a browser
            // context of its own (its own renderer process, so one a core).
            "--no-startup-window",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(chrome.to_path_buf()))
            .headless(true)
            .sandbox(false)
            .args(flags)
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
        })
    }

    /// A new tab to print in, in a browser context of its own.
    pub fn tab(&self) -> Result<Arc<LoadingTab>> {
        let context = self
            .browser
            .new_context()
            .map_err(|e| anyhow!("{} cannot open a tab: {e:#}", self.chrome.display()))?;
        let tab = context
            .new_tab()
            .map_err(|e| anyhow!("{} cannot open a tab: {e:#}", self.chrome.display()))?;
        tab.set_default_timeout(SILENCE);
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
        Ok(Arc::new(LoadingTab {
            tab,
            loads: Mutex::new(loads),
            frame: Mutex::new(None),
        }))
    }
}

/// A tab and the `load` events of the documents it loads.
pub struct LoadingTab {
    tab: Arc<Tab>,
    loads: Mutex<mpsc::Receiver<String>>,
    /// The tab's main frame, once a page is loaded.
    frame: Mutex<Option<String>>,
}

impl LoadingTab {
    /// Loads `html` (an absolute path) and waits for its `load` event (all
    /// the document and what it includes), not for the network to be idle.
    fn load(&self, html: &Path) -> Result<()> {
        let url = format!("file://{}", html.display());
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
        if let Ok(mut frame) = self.frame.lock() {
            *frame = Some(navigation.frame_id.clone());
        }
        let Some(loader) = navigation.loader_id else {
            return Ok(());
        };
        let loads = self.loads.lock().map_err(|_| anyhow!("no load events"))?;
        loop {
            match loads.recv_timeout(SILENCE) {
                Ok(loaded) if loaded == loader => return Ok(()),
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    bail!("the page did not finish loading in {} s", SILENCE.as_secs())
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    bail!("the browser closed its connection while loading the page (it stopped)")
                }
            }
        }
    }

    /// Loads `html` (an absolute path) and prints it, tagged and with
    /// bookmarks from the headings, as Chromium's `--print-to-pdf` does:
    /// the whole document, or only `pages` (e.g. `"2-3"`).
    pub fn print(&self, html: &Path, pages: Option<&str>) -> Result<Vec<u8>> {
        self.load(html)?;
        self.print_loaded(pages)
    }

    /// Replaces the document loaded last (from the file `html` holds now)
    /// with `text`, the same file's new content, without loading it again
    /// (`Page.setDocumentContent`: the same parse, none of a navigation's
    /// cost), and prints it as `print` does.
    pub fn print_again(&self, html: &Path, text: &str, pages: Option<&str>) -> Result<Vec<u8>> {
        let frame = self.frame.lock().ok().and_then(|frame| frame.clone());
        let Some(frame_id) = frame else {
            return self.print(html, pages);
        };
        self.tab
            .call_method(Page::SetDocumentContent {
                frame_id,
                html: text.to_string(),
            })
            .map_err(|e| anyhow!("cannot load the page again: {e:#}"))?;
        self.print_loaded(pages)
    }

    fn print_loaded(&self, pages: Option<&str>) -> Result<Vec<u8>> {
        let options = PrintToPdfOptions {
            display_header_footer: Some(false),
            print_background: Some(true),
            prefer_css_page_size: Some(true),
            page_ranges: pages.map(str::to_string),
            generate_tagged_pdf: Some(true),
            generate_document_outline: Some(true),
            ..PrintToPdfOptions::default()
        };
        self.tab
            .print_to_pdf(Some(options))
            .map_err(|e| anyhow!("cannot print the page: {e:#}"))
    }
}
