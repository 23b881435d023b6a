//! `gazette verify`: the archive's fixity check, by id; exit 0 only when
//! clean.

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    /// Also re-hash the source files at the paths they were ingested from.
    #[arg(long)]
    sources: bool,
    /// Print only the digest of the current documents (to compare
    /// replicas that imported the same packages).
    #[arg(long)]
    digest: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let archive = crate::export::open(&args.archive)?;
    let digest = archive
        .digest()
        .context("digesting the current documents")?;
    if args.digest {
        println!("{digest}");
        return Ok(ExitCode::SUCCESS);
    }
    let problems = archive.verify(args.sources).context("verifying")?;
    let stats = archive.stats()?;
    for p in &problems {
        println!("{}: {}", p.id, p.what);
    }
    // Pages read as blank, suspect or failed are not damage to the archive
    // either, but each is a page a person should look at.
    let mut flagged = 0;
    for issue in archive.issues()? {
        for p in archive.current_pages(&issue)? {
            if p.verdict != archive::Verdict::Ok {
                flagged += 1;
                eprintln!(
                    "page {}: {}: {}",
                    p.id,
                    p.verdict.name(),
                    p.verdict.reason()
                );
            }
        }
    }
    if flagged > 0 {
        eprintln!("{flagged} pages to look at (blank, suspect or failed)");
    }
    // A new machine reading waiting beside a person's text is not damage
    // either, but nobody sees the candidate until a person decides.
    let pending = archive.pending().context("listing documents to review")?;
    for p in &pending {
        match p.candidate {
            Some(c) => eprintln!(
                "review {}: version {} is a person's text; version {c} is a new machine reading waiting for a decision",
                p.id, p.current
            ),
            None => eprintln!("review {}: {}", p.id, p.reason),
        }
    }
    if !pending.is_empty() {
        eprintln!("{} documents wait for a decision", pending.len());
    }
    // Sources that could not be ingested are not damage to the archive,
    // but an archivist should see them.
    for (path, error) in archive.failures()? {
        eprintln!("not ingested: {path}: {error}");
    }
    eprintln!(
        "checked {} issues, {} pages, {} document versions: {} problems; digest of the current documents {digest}",
        stats.issues,
        stats.pages,
        stats.versions,
        problems.len()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
