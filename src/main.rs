//! The `gazette` command: the only place that joins the ingest and archive
//! libraries, and the only one that talks to the terminal.

mod bulk;
mod correct;
mod export;
mod ingest;
mod ocr;
mod owner;
mod pack;
mod progress;
mod proof;
mod read;
mod record;
mod search;
mod segment;
mod serve;
mod show;
mod verify;
mod xml;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gazette",
    version,
    about = "Digitise a government gazette into a citation-grade archive"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read issues (page images, scanned or born-digital PDFs) and print
    /// their text, page by page, in input order.
    Ocr(ocr::Args),
    /// Read issues and cut each into its documents, printed one JSON object
    /// per document with citation metadata and the standard text.
    Segment(segment::Args),
    /// Read issues, cut them into documents and store them in an archive
    /// (idempotent: issues whose files are already stored are skipped).
    Ingest(ingest::Args),
    /// Search an archive: every word, 文号 or "phrase" must occur.
    Search(search::Args),
    /// Show a document, an issue or a page of an archive.
    Show(show::Args),
    /// Print every current document of an archive (JSON lines or text).
    Export(export::Args),
    /// Check every stored hash and that index and store agree.
    Verify(verify::Args),
    /// Serve an archive over HTTP, read-only: JSON API, IIIF page images,
    /// ALTO, and web pages for the public.
    Serve(serve::Args),
    /// Read issues and write each as a BagIt package (one folder per
    /// issue) for `import`: on many machines, each with `--shard K/N`.
    Pack(pack::PackArgs),
    /// Verify and store issue packages (made by `pack`) in an archive.
    Import(pack::ImportArgs),
    /// Rebuild the search index from the store.
    Reindex(correct::ReindexArgs),
    /// Store a corrected (or verified) version of a document's text, or
    /// take the machine reading that waits for a decision.
    Correct(correct::Args),
    /// Proofreading round trip: export lines to check as PAGE XML or ALTO
    /// with their page images (for eScriptorium, Transkribus), import the
    /// corrected files as new versions.
    #[command(subcommand)]
    Proof(proof::Command),
}

fn main() -> ExitCode {
    // Tesseract's OpenMP threads fight rayon's workers for the cores and
    // make OCR several times slower; OpenMP reads the limit only when the
    // process starts, so set it by re-executing ourselves.
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        if let Some(code) = reexec_with_omp_limit() {
            return code;
        }
    }
    let cli = Cli::parse();
    // The server logs every request (one structured line each) unless told
    // otherwise; the other commands only warnings.
    let default = match cli.command {
        Command::Serve(_) => "warn,tower_http=info",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GAZETTE_LOG")
                .unwrap_or_else(|_| default.into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
    let result: Result<ExitCode> = match cli.command {
        Command::Ocr(args) => ocr::run(args),
        Command::Segment(args) => segment::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(args),
        Command::Show(args) => show::run(args),
        Command::Export(args) => export::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Reindex(args) => correct::reindex(args),
        Command::Pack(args) => pack::pack(args),
        Command::Import(args) => pack::import(args),
        Command::Serve(args) => serve::run(args),
        Command::Correct(args) => correct::run(args),
        Command::Proof(cmd) => proof::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Opens an archive for a command (creating it if `create`). An index made
/// by another analysis version is rebuilt from the store first, with its
/// progress on stderr.
pub fn open_archive(dir: &std::path::Path, create: bool) -> Result<archive::Archive> {
    use anyhow::Context;
    archive::Archive::open_with_progress(dir, create, &mut |done, total| {
        if done == 0 {
            eprintln!("the index was made by another analysis version: rebuilding it from the store ({total} documents)");
        } else if done == total || done % 1000 == 0 {
            eprintln!("  indexed {done} of {total}");
        }
    })
    .with_context(|| format!("opening archive {}", dir.display()))
}

/// Runs this same program again with OMP_THREAD_LIMIT=1 and returns its
/// exit code; `None` if it could not be started (we then go on as we are).
fn reexec_with_omp_limit() -> Option<ExitCode> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().ok()?;
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec();
    // exec only returns on failure.
    eprintln!("warning: cannot re-run with OMP_THREAD_LIMIT=1 ({err}); ocr will be slower");
    None
}
