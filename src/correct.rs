//! `gazette correct` and `gazette reindex`: archivists' corrections (new
//! versions of a standard text, journalled) and rebuilding the index from
//! the store (and corrections from the journal).

use anyhow::{Context, Result};
use archive::DocId;
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    /// The document, e.g. yn-2017-05-03.
    id: String,
    /// The corrected standard text (UTF-8). Without it, `--verified` marks
    /// the current text as checked.
    #[arg(long)]
    text_file: Option<PathBuf>,
    /// Why: kept with the version.
    #[arg(long)]
    reason: String,
    /// The text has been checked against the printed page.
    #[arg(long)]
    verified: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let id: DocId = args.id.parse().context("document id")?;
    anyhow::ensure!(
        args.text_file.is_some() || args.verified,
        "give --text-file with the corrected text, or --verified"
    );
    let text = match &args.text_file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .with_context(|| format!("reading {} (utf-8 text)", f.display()))?,
        ),
        None => None,
    };
    let archive = crate::export::open(&args.archive)?;
    let v = archive
        .correct(&id, text.as_deref(), &args.reason, args.verified)
        .with_context(|| format!("correcting {id}"))?;
    println!(
        "{} version {} ({}), sha256 {}",
        v.id,
        v.version,
        v.status.as_str(),
        v.fields.sha256
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(ClapArgs)]
pub struct ReindexArgs {
    #[arg(long)]
    archive: PathBuf,
    /// First re-apply corrections from the journal that the store lacks.
    #[arg(long)]
    from_journal: bool,
}

pub fn reindex(args: ReindexArgs) -> Result<ExitCode> {
    let archive = crate::export::open(&args.archive)?;
    if args.from_journal {
        let (applied, present, unknown) =
            archive.replay_journal().context("replaying the journal")?;
        eprintln!(
            "journal: {applied} corrections restored, {present} already stored, {unknown} for documents not in the store"
        );
    }
    let n = archive.reindex().context("rebuilding the index")?;
    eprintln!("index rebuilt: {n} documents");
    Ok(ExitCode::SUCCESS)
}
