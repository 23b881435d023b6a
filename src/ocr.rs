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
    lines: &'a [ingest::Line],
}

pub fn run(args: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    read(&args.read, |ev| match ev {
        Event::Page(p) => write_page(&mut out, p, args.format),
        _ => Ok(()),
    })
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
