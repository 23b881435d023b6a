//! Reading issues for a command: the options every reading command shares
//! (`--jobs`, `--lang`, preprocessing), the pipeline run with progress, and
//! the closing summary of what failed.

use crate::progress::Progress;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, IssueSource, Preprocess, Switch, Tesseract, Verdict};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReadArgs {
    /// Worker threads (default: all cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Tesseract language(s), e.g. chi_sim, chi_sim+eng, chi_tra.
    #[arg(long, default_value = "chi_sim")]
    lang: String,
    /// Tesseract page segmentation mode.
    #[arg(long, default_value_t = ingest::ocr::DEFAULT_PSM)]
    psm: i32,
    /// Send images to the engine as decoded, with no preprocessing.
    #[arg(long)]
    no_preprocess: bool,
    /// Binarise pages (Sauvola) before OCR: off by default, as it costs
    /// accuracy on all but the worst scans.
    #[arg(long)]
    binarize: bool,
    /// The second recogniser (PP-OCRv4, installed by scripts/setup.sh) for
    /// the lines Tesseract is unsure of: auto (when installed), off.
    #[arg(long, value_enum, default_value_t = SecondArg::Auto)]
    second_reader: SecondArg,
    /// Lines Tesseract reads at or above this confidence (0–1) are not
    /// read a second time; above 1, every line is.
    #[arg(long)]
    reread_below: Option<f32>,
    /// Smooth crisp pages before OCR: auto (when measured sharp), on, off.
    #[arg(long, value_enum, default_value_t = SwitchArg::Auto)]
    smooth: SwitchArg,
    /// How pages are set: auto (found per page), horizontal, or vertical
    /// (columns right to left) for a whole batch.
    #[arg(long, default_value = "auto")]
    direction: ingest::vertical::Direction,
    /// The characters vertical pages are printed in: auto (found per page),
    /// simplified, traditional (read with chi_tra).
    #[arg(long, default_value = "auto")]
    script: ingest::vertical::Script,
    /// A tuning aid: write the images the stages see (each prepared page,
    /// rows and columns as the recognisers get them) into this directory.
    #[arg(long, value_name = "DIR")]
    debug_dir: Option<PathBuf>,
    /// Issues: PDF files, multi-page TIFFs, directories of page images, or
    /// directories holding any of these.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum SwitchArg {
    Auto,
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum SecondArg {
    Auto,
    Off,
}

impl From<SwitchArg> for Switch {
    fn from(s: SwitchArg) -> Switch {
        match s {
            SwitchArg::Auto => Switch::Auto,
            SwitchArg::On => Switch::On,
            SwitchArg::Off => Switch::Off,
        }
    }
}

/// What to take an issue's identity from when its running heads do not
/// give it.
#[derive(Args)]
pub struct HintArgs {
    /// The gazette's name, when the pages' running heads do not give it.
    #[arg(long)]
    gazette: Option<String>,
    /// The issue's year, when the running heads do not give it.
    #[arg(long)]
    year: Option<u16>,
    /// The issue's number in its year, when the running heads do not give it.
    #[arg(long)]
    issue: Option<u16>,
}

/// An issue's identity given in a sidecar file beside it, for a batch
/// whose files cannot be renamed: `issue.toml` inside an issue's folder, or
/// `NAME.toml` beside an issue file `NAME.pdf` (or `.tif`). Every key is
/// optional:
///
/// ```toml
/// gazette = "云南省人民政府公报"
/// year = 1977
/// issue = 3
/// first_page = 41   # the printed number of the issue's first page
/// ```
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub gazette: Option<String>,
    pub year: Option<u16>,
    pub issue: Option<u16>,
    pub first_page: Option<u32>,
}

impl Sidecar {
    /// The sidecar's path for the issue at `path`.
    pub fn path_for(path: &std::path::Path) -> std::path::PathBuf {
        if path.is_dir() {
            path.join("issue.toml")
        } else {
            path.with_extension("toml")
        }
    }

    /// The sidecar of the issue at `path`, if it has one; a sidecar that
    /// cannot be read or parsed is an error naming it (the issue is then
    /// not stored: its identity would be guessed).
    pub fn for_issue(path: &std::path::Path) -> Result<Option<Sidecar>, String> {
        let file = Sidecar::path_for(path);
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", file.display())),
        };
        let s: Sidecar = toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        if s.year.is_some_and(|y| !(1..=9999).contains(&y))
            || s.issue.is_some_and(|n| !(1..=999).contains(&n))
            || s.first_page == Some(0)
        {
            return Err(format!(
                "{}: year must be 1–9999, issue 1–999, first_page at least 1",
                file.display()
            ));
        }
        Ok(Some(s))
    }
}

impl HintArgs {
    /// The hints for the issue at `path`: its sidecar first, then the
    /// options, then its file or folder name (the last resort); the
    /// running heads, read later, come before all of them.
    pub fn for_issue(&self, path: &std::path::Path) -> Result<ingest::segment::Hints, String> {
        let side = Sidecar::for_issue(path)?.unwrap_or_default();
        Ok(ingest::segment::Hints {
            gazette: side.gazette.or_else(|| self.gazette.clone()),
            year: side.year.or(self.year),
            issue: side.issue.or(self.issue),
            first_page: side.first_page,
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        })
    }
}

/// The engine and pipeline options the arguments ask for.
pub struct Reader {
    pub engine: Tesseract,
    pub opts: Options,
}

impl ReadArgs {
    pub fn reader(&self) -> Result<Reader> {
        let mut engine = Tesseract::new(&self.lang)
            .context("starting the ocr engine")?
            .with_psm(self.psm)
            .with_direction(self.direction, self.script);
        if let Some(dir) = &self.debug_dir {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating --debug-dir {}", dir.display()))?;
            engine = engine.with_debug(ingest::debug::DebugSink::to(dir.clone()));
        }
        // PP-OCRv4 knows simplified characters (and only three in four of
        // a traditional page's): a batch read with the traditional model
        // is read by it alone.
        let traditional_lang = self.lang.contains("chi_tra");
        if traditional_lang && self.second_reader == SecondArg::Auto {
            eprintln!("note: --lang {}: read without the second recogniser, which reads simplified characters", self.lang);
        }
        if self.second_reader == SecondArg::Auto && !traditional_lang {
            // A tuning aid for the eval's sweeps: the parameters as JSON.
            let mut choice: ingest::choose::ChoiceParams = match std::env::var("GAZETTE_CHOICE") {
                Ok(j) => serde_json::from_str(&j).context("GAZETTE_CHOICE")?,
                Err(_) => Default::default(),
            };
            if let Some(r) = self.reread_below {
                choice.reread_below = r;
            }
            // Never fail a batch for the second recogniser: say once why
            // it is not in use and read with Tesseract alone.
            match ingest::ppocr::PpOcr::locate() {
                Ok(Some(p)) => engine = engine.with_second(std::sync::Arc::new(p), choice),
                Ok(None) => eprintln!(
                    "note: the second recogniser (PP-OCRv4) is not installed in {}; reading with Tesseract alone (bash scripts/fetch_models.sh installs it)",
                    ingest::ppocr::model_dirs()
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                Err(e) => eprintln!(
                    "warning: the second recogniser (PP-OCRv4) does not load ({e}); reading with Tesseract alone"
                ),
            }
        }
        let mut preprocess = if self.no_preprocess {
            Preprocess::none()
        } else {
            Preprocess::default()
        };
        if self.binarize {
            preprocess.binarize = Switch::On;
        }
        if !self.no_preprocess {
            preprocess.smooth = self.smooth.into();
        }
        let mut opts = Options {
            preprocess,
            ..Options::default()
        };
        if let Some(j) = self.jobs {
            anyhow::ensure!(j > 0, "--jobs must be at least 1");
            opts.jobs = j;
        }
        Ok(Reader { engine, opts })
    }
}

/// What a run of the pipeline did.
pub struct Summary {
    pub issues: usize,
    pub pages: usize,
    pub seconds: f64,
    pub rate: f64,
    /// Every failure, by file and page, in input order.
    pub failures: Vec<String>,
    /// Pages read but judged blank or suspect: (file: page, verdict, reason).
    pub flagged: Vec<String>,
    /// Pages by verdict: ok, blank, suspect, failed.
    pub verdicts: [usize; 4],
}

impl Summary {
    /// `12 ok, 1 blank, 0 suspect, 2 failed`: the pages by verdict.
    pub fn verdict_line(&self) -> String {
        let [ok, blank, suspect, failed] = self.verdicts;
        format!("{ok} ok, {blank} blank, {suspect} suspect, {failed} failed")
    }
}

/// Reads every page of the issues under `args.paths`, handing each issue
/// (or unreadable source) to `sink` in input order, then prints the
/// summary; the exit code says whether anything failed.
pub fn read(args: &ReadArgs, sink: impl FnMut(Event) -> std::io::Result<()>) -> Result<ExitCode> {
    let reader = args.reader()?;
    let (issues, failures) = source::discover(&args.paths);
    let failures = failures.iter().map(|e| e.to_string()).collect();
    let summary = read_issues(&reader, &issues, false, failures, sink)?;
    eprintln!(
        "{} issues, {} pages in {:.1}s ({:.2} pages/s): {}; {} failures in all (pages and sources)",
        summary.issues,
        summary.pages,
        summary.seconds,
        summary.rate,
        summary.verdict_line(),
        summary.failures.len()
    );
    report_flagged(&summary.flagged);
    Ok(report_failures(&summary.failures))
}

/// Lists the pages an archivist should look at (blank or suspect).
pub fn report_flagged(flagged: &[String]) {
    if !flagged.is_empty() {
        eprintln!("to look at:");
        for f in flagged {
            eprintln!("  {f}");
        }
    }
}

/// Lists the failures; the exit code says whether there were any.
pub fn report_failures(failures: &[String]) -> ExitCode {
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("failed:");
        for f in failures {
            eprintln!("  {f}");
        }
        ExitCode::FAILURE
    }
}

/// Runs the pipeline over `issues` with a progress display, handing each
/// read issue (and each source that could not be opened) to `sink` in
/// input order. `failures` are those found before reading (files that are
/// not issues); the pipeline's own are added. With `stop_on_error`, the
/// first error of the sink stops the run (no point in reading on when the
/// archive cannot be written).
pub fn read_issues(
    reader: &Reader,
    issues: &[IssueSource],
    stop_on_error: bool,
    mut failures: Vec<String>,
    mut sink: impl FnMut(Event) -> std::io::Result<()>,
) -> Result<Summary> {
    let mut progress = Progress::new(issues.len());
    let mut pages = 0usize;
    let mut flagged = Vec::new();
    let mut verdicts = [0usize; 4];
    let mut write_err: Option<std::io::Error> = None;
    pipeline::run_until(issues, &reader.engine, &reader.opts, |ev| {
        match &ev {
            Event::Opened { pages, .. } => progress.issue(*pages),
            Event::PageDone { .. } => progress.page(),
            Event::Issue(issue) => {
                for p in &issue.pages {
                    pages += 1;
                    match &p.read {
                        Ok(t) => {
                            let v = &t.verdict;
                            verdicts[match v {
                                Verdict::Ok => 0,
                                Verdict::Blank(_) => 1,
                                Verdict::Suspect(_) => 2,
                                Verdict::Failed(_) => 3,
                            }] += 1;
                            if *v != Verdict::Ok {
                                flagged.push(format!(
                                    "{}: page {}: {}: {}",
                                    p.file.display(),
                                    p.index_in_file,
                                    v.name(),
                                    v.reason()
                                ));
                            }
                        }
                        Err(e) => {
                            verdicts[3] += 1;
                            tracing::error!("{e}");
                            failures.push(e.to_string());
                        }
                    }
                }
            }
            Event::Unreadable(e) => {
                tracing::error!("{e}");
                failures.push(e.to_string());
            }
        }
        if write_err.is_none() && matches!(ev, Event::Issue(_) | Event::Unreadable(_)) {
            if let Err(e) = sink(ev) {
                write_err = Some(e);
            }
        }
        if stop_on_error && write_err.is_some() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .context("starting the worker threads")?;
    progress.finish();
    if let Some(e) = write_err {
        // A closed pipe (as with `| head`) is not worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e).context("writing output");
        }
    }
    Ok(Summary {
        issues: issues.len(),
        pages,
        seconds: progress.elapsed().as_secs_f64(),
        rate: progress.rate(),
        failures,
        flagged,
        verdicts,
    })
}
