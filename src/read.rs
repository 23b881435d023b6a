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

impl HintArgs {
    /// The hints for the issue at `path` (whose name is the last resort).
    pub fn for_issue(&self, path: &std::path::Path) -> ingest::segment::Hints {
        ingest::segment::Hints {
            gazette: self.gazette.clone(),
            year: self.year,
            issue: self.issue,
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        }
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
            .with_psm(self.psm);
        if self.second_reader == SecondArg::Auto {
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
