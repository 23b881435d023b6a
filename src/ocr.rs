//! `gazette ocr`: read issues and print each page's text or lines as JSON.

use crate::read::{read, ReadArgs};
use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use ingest::pipeline::Event;
use ingest::PageText;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// Output: page texts separated by form feeds, or one JSON object per page.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    read: ReadArgs,
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
    verdict: &'a ingest::Verdict,
    /// The page's quality for proofreading (gazette_model::page_quality).
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<f32>,
    /// How the page was found to be set (direction, script) and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'a gazette_model::Layout>,
    /// The page's box in its source image, when the image held two pages
    /// (a book spread).
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<ingest::SourceRegion>,
    lines: &'a [ingest::Line],
}

pub fn run(args: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    read(&args.read, |ev| match ev {
        Event::Issue(issue) => {
            for p in &issue.pages {
                match &p.read {
                    Ok(page) => write_page(&mut out, page, args.format)?,
                    Err(e) => write_failed(&mut out, p, e, args.format)?,
                }
            }
            Ok(())
        }
        _ => Ok(()),
    })
}

/// A page that could not be read keeps its place in the output: an empty
/// page in text, a `failed` verdict in JSON.
fn write_failed(
    out: &mut impl Write,
    p: &ingest::IssuePage,
    e: &ingest::Error,
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Text => writeln!(out, "\x0c")?,
        Format::Json => {
            let j = JsonPage {
                source: p.file.display().to_string(),
                page: p.position,
                width: 0,
                height: 0,
                dpi: None,
                origin: ingest::TextOrigin::Ocr,
                verdict: &ingest::Verdict::Failed(e.to_string()),
                quality: None,
                layout: None,
                region: None,
                lines: &[],
            };
            serde_json::to_writer(&mut *out, &j)?;
            writeln!(out)?;
        }
    }
    out.flush()
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
                verdict: &p.verdict,
                quality: gazette_model::page_quality(&p.lines),
                layout: p.layout.as_ref(),
                region: p.region,
                lines: &p.lines,
            };
            serde_json::to_writer(&mut *out, &j)?;
            writeln!(out)?;
        }
    }
    out.flush()
}
