//! `gazette export`: every current document version, as JSON lines (the
//! fields `gazette segment` prints plus id, version and status) or as the
//! plain standard texts.

use anyhow::{Context, Result};
use archive::Archive;
use clap::{Args as ClapArgs, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write the bulk files instead (per gazette and year, documents and
    /// page texts as gzipped JSON lines, with manifest.json): the files
    /// `/bulk/` serves.
    #[arg(long, value_name = "DIR")]
    bulk: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Jsonl,
    Txt,
}

pub fn open(dir: &std::path::Path) -> Result<Archive> {
    crate::open_archive(dir, false)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let archive = open(&args.archive)?;
    if let Some(dir) = &args.bulk {
        let m = crate::bulk::write_all(&archive, dir)?;
        let bytes: u64 = m.files.iter().map(|f| f.bytes).sum();
        eprintln!(
            "{} bulk files ({bytes} bytes) in {}, as of change {}",
            m.files.len(),
            dir.display(),
            m.as_of_change
        );
        return Ok(ExitCode::SUCCESS);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        for v in archive.current_versions().map_err(std::io::Error::other)? {
            match args.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut *out, &crate::record::record(&v))?;
                    writeln!(out)?;
                }
                Format::Txt => {
                    writeln!(
                        out,
                        "==== {} v{} ({}) ====",
                        v.id,
                        v.version,
                        v.status.as_str()
                    )?;
                    writeln!(out, "{}", v.fields.citation)?;
                    writeln!(out, "sha256 {}", v.fields.sha256)?;
                    writeln!(out)?;
                    writeln!(out, "{}", v.fields.text)?;
                    writeln!(out)?;
                }
            }
        }
        out.flush()
    };
    match write(&mut out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("exporting"),
        _ => Ok(ExitCode::SUCCESS),
    }
}
