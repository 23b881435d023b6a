//! Reading issues for a command: the options every reading command shares
//! (`--jobs`, `--lang`, preprocessing), the pipeline run with progress, and
//! the closing summary of what failed.

use crate::progress::Progress;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, Preprocess, Switch, Tesseract};
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

/// Reads every page of the issues under `args.paths`, handing events to
/// `sink` in input order, then prints the summary; the exit code says
/// whether anything failed.
pub fn read(
    args: &ReadArgs,
    mut sink: impl FnMut(&Event) -> std::io::Result<()>,
) -> Result<ExitCode> {
    let engine = Tesseract::new(&args.lang)
        .context("starting the ocr engine")?
        .with_psm(args.psm);
    let mut preprocess = if args.no_preprocess {
        Preprocess::none()
    } else {
        Preprocess::default()
    };
    if args.binarize {
        preprocess.binarize = Switch::On;
    }
    if !args.no_preprocess {
        preprocess.smooth = args.smooth.into();
    }
    let mut opts = Options {
        preprocess,
        ..Options::default()
    };
    if let Some(j) = args.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
        opts.jobs = j;
    }

    let (issues, mut failures) = source::discover(&args.paths);
    let mut progress = Progress::new(issues.len());
    let mut pages = 0usize;
    let mut write_err: Option<std::io::Error> = None;
    pipeline::run(&issues, &engine, &opts, |ev| {
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
    })
    .context("starting the worker threads")?;
    progress.finish();
    if let Some(e) = write_err {
        // A closed pipe (as with `| head`) is not worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e).context("writing output");
        }
    }
    eprintln!(
        "{} issues, {} pages read in {:.1}s ({:.2} pages/s), {} failed",
        issues.len(),
        pages,
        progress.elapsed().as_secs_f64(),
        progress.rate(),
        failures.len()
    );
    if failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("failed:");
        for f in &failures {
            eprintln!("  {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}
