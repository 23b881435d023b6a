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
    /// the current text as checked, and `--candidate` takes the machine
    /// reading that waits for a decision.
    #[arg(long, conflicts_with = "candidate")]
    text_file: Option<PathBuf>,
    /// Take the new machine reading kept as a candidate (a re-read of a
    /// document a person had corrected) as the document's text.
    #[arg(long)]
    candidate: bool,
    /// Why: kept with the version.
    #[arg(long)]
    reason: String,
    /// Who records it (kept with the version; default: the login name).
    #[arg(long)]
    by: Option<String>,
    /// The text has been checked against the printed page.
    #[arg(long)]
    verified: bool,
}

/// Who records a correction: as given, else the login name.
pub fn recorder(by: Option<&str>) -> String {
    by.map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_default()
}

pub fn run(args: Args) -> Result<ExitCode> {
    let id: DocId = args.id.parse().context("document id")?;
    anyhow::ensure!(
        args.text_file.is_some() || args.verified || args.candidate,
        "give --text-file with the corrected text, --candidate to take the reading that waits, or --verified"
    );
    let text = match &args.text_file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .with_context(|| format!("reading {} (utf-8 text)", f.display()))?,
        ),
        None => None,
    };
    // The archive itself, or (while it is served) its server.
    let mut archive = crate::owner::Writer::open(&args.archive, false)?;
    let by = recorder(args.by.as_deref());
    let edit = archive::Edit {
        text: text.as_deref(),
        take_candidate: args.candidate,
        verified: args.verified,
        reason: &args.reason,
        by: &by,
        ..Default::default()
    };
    let v = archive
        .decide(&id, &edit)
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
    let mut refused = 0;
    if args.from_journal {
        let r = archive.replay_journal().context("replaying the journal")?;
        for p in &r.refused {
            eprintln!("refused: {}: {}", p.id, p.what);
        }
        refused = r.refused.len();
        eprintln!(
            "journal: {} corrections restored, {} already stored, {} for documents not in the store, {} refused (made against another text)",
            r.applied, r.present, r.unknown, refused
        );
    }
    let n = archive.reindex().context("rebuilding the index")?;
    eprintln!("index rebuilt: {n} documents");
    Ok(if refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
