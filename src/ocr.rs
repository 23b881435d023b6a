//! `gazette ocr`: read issues and print each page's text or lines as JSON.

use crate::progress::Progress;
use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, PageText, Preprocess, Switch, Tesseract};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// Output: page texts separated by form feeds, or one JSON object per page.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
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
    paths: Vec<PathBuf>,
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

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// One page as `--format json` prints it.
#[derive(Serialize)]
struct JsonPage<'a> {
    source: String,
    page: usize,
    width: u32,
    height: u32,
    dpi: Option<f32>,
    origin: ingest::TextOrigin,
    lines: &'a [ingest::Line],
}

pub fn run(args: Args) -> Result<ExitCode> {
    let engine = Tesseract::new(&args.lang)
        .map_err(anyhow::Error::msg)
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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut pages = 0usize;
    let mut write_err: Option<std::io::Error> = None;
    pipeline::run(&issues, &engine, &opts, |ev| match ev {
        Event::Issue { pages, .. } => progress.issue(pages),
        Event::Page(p) => {
            progress.page();
            pages += 1;
            if write_err.is_none() {
                if let Err(e) = write_page(&mut out, &p, args.format) {
                    write_err = Some(e);
                }
            }
        }
        Event::Failed(e) => {
            if e.page.is_some() {
                progress.page();
            }
            tracing::error!("{e}");
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
    out.flush().ok();
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

fn write_page(out: &mut impl Write, p: &PageText, format: Format) -> std::io::Result<()> {
    match format {
        Format::Text => {
            let text = p.text();
            if !text.is_empty() {
                writeln!(out, "{text}")?;
            }
            writeln!(out, "\x0c")?;
        }
        Format::Json => {
            let j = JsonPage {
                source: p.source.display().to_string(),
                page: p.page,
                width: p.width,
                height: p.height,
                dpi: p.dpi,
                origin: p.origin,
                lines: &p.lines,
            };
            serde_json::to_writer(&mut *out, &j)?;
            writeln!(out)?;
        }
    }
    out.flush()
}
