//! Reading issues for a command: the options every reading command shares
//! (`--jobs`, `--lang`, preprocessing), the pipeline run with progress, and
//! the closing summary of what failed.

use crate::progress::Progress;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, IssueSource, Preprocess, Switch, Tesseract};
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
        let engine = Tesseract::new(&self.lang)
            .context("starting the ocr engine")?
            .with_psm(self.psm);
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
    pub failures: Vec<ingest::Error>,
}

/// Reads every page of the issues under `args.paths`, handing events to
/// `sink` in input order, then prints the summary; the exit code says
/// whether anything failed.
pub fn read(args: &ReadArgs, sink: impl FnMut(&Event) -> std::io::Result<()>) -> Result<ExitCode> {
    let reader = args.reader()?;
    let (issues, failures) = source::discover(&args.paths);
    let summary = read_issues(&reader, &issues, false, failures, sink)?;
    eprintln!(
        "{} issues, {} pages read in {:.1}s ({:.2} pages/s), {} failed",
        summary.issues,
        summary.pages,
        summary.seconds,
        summary.rate,
        summary.failures.len()
    );
    Ok(report_failures(&summary.failures))
}

/// Lists the failures; the exit code says whether there were any.
pub fn report_failures(failures: &[ingest::Error]) -> ExitCode {
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

/// Runs the pipeline over `issues` with a progress display, handing events
/// to `sink` in input order. `failures` are those found before reading
/// (files that are not issues); the pipeline's own are added. With
/// `stop_on_error`, the first error of the sink stops the run (no point in
/// reading on when the archive cannot be written).
pub fn read_issues(
    reader: &Reader,
    issues: &[IssueSource],
    stop_on_error: bool,
    mut failures: Vec<ingest::Error>,
    mut sink: impl FnMut(&Event) -> std::io::Result<()>,
) -> Result<Summary> {
    let mut progress = Progress::new(issues.len());
    let mut pages = 0usize;
    let mut write_err: Option<std::io::Error> = None;
    pipeline::run_until(issues, &reader.engine, &reader.opts, |ev| {
        match &ev {
            Event::Issue { pages, .. } => progress.issue(*pages),
            Event::Page(_) => {
                progress.page();
                pages += 1;
            }
            Event::Failed(e) => {
                if e.page.is_some() {
                    progress.page();
                }
                tracing::error!("{e}");
            }
        }
        if write_err.is_none() {
            if let Err(e) = sink(&ev) {
                write_err = Some(e);
            }
        }
        if let Event::Failed(e) = ev {
            failures.push(e);
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
    })
}
