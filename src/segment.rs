//! `gazette segment`: read issues and print their documents, one JSON
//! object per document, with citation metadata.

use crate::read::{read, HintArgs, ReadArgs};
use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use ingest::pipeline::Event;
use ingest::segment;
use ingest::PageText;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// Output format: one JSON object per document.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    #[command(flatten)]
    hints: HintArgs,
    #[command(flatten)]
    read: ReadArgs,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Jsonl,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Pages arrive issue by issue; an issue is cut when the next begins.
    let mut current: Option<(PathBuf, Vec<PageText>)> = None;
    let hints = |path: &PathBuf| args.hints.for_issue(path);
    let flush =
        |issue: Option<(PathBuf, Vec<PageText>)>, out: &mut dyn Write| -> std::io::Result<()> {
            if let Some((path, pages)) = issue {
                let (_, docs) = segment::segment(&pages, &hints(&path));
                for d in docs {
                    serde_json::to_writer(&mut *out, &d)?;
                    writeln!(out)?;
                }
                out.flush()?;
            }
            Ok(())
        };
    let code = read(&args.read, |ev| match ev {
        Event::Issue { path, .. } => flush(current.replace((path.clone(), Vec::new())), &mut out),
        Event::Page(p) => {
            if let Some((_, pages)) = current.as_mut() {
                pages.push((**p).clone());
            }
            Ok(())
        }
        Event::Failed(_) => Ok(()),
    })?;
    flush(current.take(), &mut out)?;
    Ok(code)
}
