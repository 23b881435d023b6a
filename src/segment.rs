//! `gazette segment`: read issues and print their documents, one JSON
//! object per document, with citation metadata.

use crate::read::{read, HintArgs, ReadArgs};
use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use ingest::pipeline::Event;
use ingest::segment;
use std::io::Write;
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
    read(&args.read, |ev| {
        if let Event::Issue(issue) = ev {
            let hints = match args.hints.for_issue(&issue.source.path) {
                Ok(h) => h,
                Err(e) => {
                    eprintln!("{}: not segmented: {e}", issue.source.path.display());
                    return Ok(());
                }
            };
            let (_, docs) = segment::segment(&issue.read_pages(), &hints);
            for d in docs {
                serde_json::to_writer(&mut out, &d)?;
                writeln!(out)?;
            }
            out.flush()?;
        }
        Ok(())
    })
}
