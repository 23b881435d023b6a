//! `gazette pack` and `gazette import`: issues read and segmented into
//! BagIt packages on any machine (a share of them with `--shard K/N`, so N
//! machines of an existing scheduler read a back-file in parallel), and
//! stored by the one process that owns the archive. A package stored gives
//! the documents, ids and hashes ingesting its sources there gives: it
//! holds exactly what `ingest` hands the archive.

use crate::ingest::{build_issue, prepare, recorded, sources_of};
use crate::read::{read_issues, HintArgs, ReadArgs};
use anyhow::Result;
use archive::{NewIssue, PageId, Stored};
use clap::Args as ClapArgs;
use ingest::pipeline::Event;
use ingest::IssueSource;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

/// This machine's share of the issues: the K-th of N (1 ≤ K ≤ N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    k: usize,
    n: usize,
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?}: give K/N with 1 ≤ K ≤ N, e.g. 3/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// This shard's issues: of all the issues found, sorted by path, every
    /// N-th from the K-th. Every machine of a job is given the same paths,
    /// so they agree on the split, and each reads within one issue of the
    /// same number.
    fn share(&self, mut all: Vec<IssueSource>) -> Vec<IssueSource> {
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all.into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.n == self.k - 1)
            .map(|(_, s)| s)
            .collect()
    }
}

#[derive(ClapArgs)]
pub struct PackArgs {
    /// Where the packages go: one folder (a bag) per issue.
    #[arg(long)]
    out: PathBuf,
    /// The gazette's short code in ids (default: from its name).
    #[arg(long)]
    code: Option<String>,
    /// Read only this machine's share of the issues: K/N.
    #[arg(long)]
    shard: Option<Shard>,
    #[command(flatten)]
    hints: HintArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// A package's folder name: the issue and its sources (two editions of an
/// issue are two packages).
fn bag_name(issue: &NewIssue) -> String {
    let mut all = String::new();
    for s in &issue.sources {
        all.push_str(&s.sha256);
        all.push('\n');
    }
    format!(
        "{}-{}",
        issue.id,
        &archive::sha256_hex(all.as_bytes())[..12]
    )
}

/// ALTO per page and the documents as JSON Lines: the package's payload
/// for people and other systems (storing needs only `issue.json`).
fn extras(issue: &NewIssue) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, p) in issue.pages.iter().enumerate() {
        let id = PageId {
            issue: issue.id.clone(),
            page: i as u16 + 1,
        };
        let page = p.to_page(id.clone(), 0, None);
        out.push((
            format!("alto/{id}.xml"),
            crate::serve::alto::render(&id, &page).into_bytes(),
        ));
    }
    let mut docs = Vec::new();
    for d in &issue.documents {
        // Plain fields: serialising cannot fail.
        docs.extend(serde_json::to_vec(&d.fields).unwrap_or_default());
        docs.push(b'\n');
    }
    out.push(("documents.jsonl".into(), docs));
    out
}

pub fn pack(args: PackArgs) -> Result<ExitCode> {
    let (code, reader, ctx) = prepare(args.code.as_deref(), &args.read)?;
    let (found, early) = ingest::source::discover(&args.read.paths);
    let found = match args.shard {
        Some(s) => s.share(found),
        None => found,
    };
    let mut failures: Vec<String> = early.iter().map(|e| e.to_string()).collect();
    let mut todo: Vec<(IssueSource, Vec<archive::SourceFile>)> = Vec::new();
    for src in found {
        match sources_of(&src) {
            Ok(s) => todo.push((src, s)),
            Err(e) => failures.push(e.to_string()),
        }
    }
    let issues: Vec<IssueSource> = todo.iter().map(|(s, _)| s.clone()).collect();
    let info = vec![
        ("Engine".to_string(), ctx.engine.clone()),
        ("Traineddata".to_string(), ctx.traineddata.clone()),
        ("Preprocess".to_string(), ctx.preprocess.clone()),
        (
            "Analysis-Version".to_string(),
            archive::tokenizer::ANALYSIS_VERSION.to_string(),
        ),
    ];
    let mut next = 0usize;
    let mut packed = 0usize;
    let mut refused = 0usize;
    let summary = read_issues(&reader, &issues, true, failures, |ev| {
        let Some((src, sources)) = todo.get(next) else {
            return Ok(());
        };
        next += 1;
        if let Event::Issue(issue) = ev {
            match build_issue(&args.hints, code.as_ref(), &ctx, *issue, sources) {
                Ok(new) => {
                    let dir = args.out.join(bag_name(&new));
                    archive::bag::write_bag(&dir, &new, &extras(&new), &info)
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    eprintln!("{}: packed as {}", src.path.display(), dir.display());
                    packed += 1;
                }
                Err(why) => {
                    eprintln!("{}: not packed: {why}", recorded(&src.path));
                    refused += 1;
                }
            }
        }
        Ok(())
    })?;
    eprintln!(
        "{packed} issues packed into {}; {refused} not packed; {} pages ({}); {} failures",
        args.out.display(),
        summary.pages,
        summary.verdict_line(),
        summary.failures.len()
    );
    crate::read::report_flagged(&summary.flagged);
    if refused > 0 && summary.failures.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(crate::read::report_failures(&summary.failures))
}

#[derive(ClapArgs)]
pub struct ImportArgs {
    /// The archive (created if absent or empty; while served, its server
    /// stores the packages).
    #[arg(long)]
    archive: PathBuf,
    /// Packages (bags), or folders of them.
    #[arg(required = true)]
    bags: Vec<PathBuf>,
}

/// The bags named: a bag as given, a folder's bags (sorted).
fn bags(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.join("bagit.txt").is_file() || !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|b| b.join("bagit.txt").is_file())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        if found.is_empty() {
            out.push(p.clone());
        }
        out.extend(found);
    }
    out
}

pub fn import(args: ImportArgs) -> Result<ExitCode> {
    let mut archive = crate::owner::Writer::open(&args.archive, true)?;
    let (mut new, mut revised, mut unchanged, mut refused) = (0, 0, 0, 0);
    for bag in bags(&args.bags) {
        match archive.import(&bag) {
            Ok(Stored::New { id, documents }) => {
                eprintln!("{}: stored as {id}, {documents} documents", bag.display());
                new += 1;
            }
            Ok(Stored::Revised { id, version, .. }) => {
                eprintln!("{}: stored as {id} version {version}", bag.display());
                revised += 1;
            }
            Ok(Stored::Unchanged { id }) => {
                eprintln!("{}: already stored as {id}", bag.display());
                unchanged += 1;
            }
            Err(e) => {
                eprintln!("refused: {e:#}");
                refused += 1;
            }
        }
    }
    eprintln!("{new} new, {revised} revised, {unchanged} already stored, {refused} refused");
    Ok(if refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_issues_between_them_and_refuse_nonsense() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..7 {
            std::fs::write(d.path().join(format!("issue-{i}.pdf")), b"%PDF").unwrap();
        }
        let (found, _) = ingest::source::discover(&[d.path().to_path_buf()]);
        assert_eq!(found.len(), 7);
        let mut seen = Vec::new();
        for k in 1..=3 {
            // Given in another order, a machine takes the same share.
            let mut shuffled = found.clone();
            shuffled.reverse();
            let share = Shard { k, n: 3 }.share(shuffled);
            assert!((2..=3).contains(&share.len()), "{k}: {}", share.len());
            assert_eq!(
                share.iter().map(|s| s.path.clone()).collect::<Vec<_>>(),
                Shard { k, n: 3 }
                    .share(found.clone())
                    .iter()
                    .map(|s| s.path.clone())
                    .collect::<Vec<_>>()
            );
            seen.extend(share.into_iter().map(|s| s.path));
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 7, "every issue in exactly one share");
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
