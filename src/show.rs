//! `gazette show`: one document (its standard text headed by the citation,
//! or any earlier version), an issue's contents, or a page's lines.

use anyhow::{bail, Context, Result};
use archive::{DocId, IssueId, PageId};
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    /// A document (yn-2017-05-03), issue (yn-2017-05) or page (yn-2017-05-p03).
    id: String,
    /// A document's version (default: current).
    #[arg(long)]
    version: Option<u32>,
    /// Print the stored record as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let archive = crate::export::open(&args.archive)?;
    if let Ok(id) = args.id.parse::<DocId>() {
        let head = archive
            .document(&id)?
            .with_context(|| format!("no document {id}"))?;
        let n = args.version.unwrap_or(head.current());
        let v = archive
            .version(&id, n)?
            .with_context(|| format!("document {id} has no version {n}"))?;
        if args.json {
            let mut rec = crate::record::record(&v);
            rec["paragraphs"] = serde_json::to_value(&v.paragraphs)?;
            rec["versions"] = serde_json::to_value(&head.versions)?;
            rec["pending"] = serde_json::to_value(head.pending())?;
            rec["gone"] = serde_json::to_value(&head.gone)?;
            rec["candidate"] = v.candidate.into();
            if !v.by.is_empty() {
                rec["by"] = v.by.clone().into();
            }
            println!("{rec}");
        } else {
            println!("{}", v.fields.title);
            println!("{}", v.fields.citation);
            println!(
                "{} version {} of {} ({}), sha256 {}",
                v.id,
                v.version,
                head.current(),
                v.status.as_str(),
                v.fields.sha256
            );
            if let Some(p) = head.pending() {
                println!(
                    "version {} waits for a decision: {} (gazette correct {id} --candidate, --text-file or --verified)",
                    p.version, p.reason
                );
            }
            if let Some(g) = &head.gone {
                let into: Vec<String> = g.into.iter().map(|d| d.to_string()).collect();
                println!(
                    "no longer in its issue since issue version {} ({}{})",
                    g.issue_version,
                    g.kind.as_str(),
                    if into.is_empty() {
                        String::new()
                    } else {
                        format!(" into {}", into.join(", "))
                    }
                );
            }
            println!();
            println!("{}", v.fields.text);
        }
    } else if let Ok(id) = args.id.parse::<PageId>() {
        let p = archive
            .page(&id, None)?
            .with_context(|| format!("no page {id}"))?;
        if args.json {
            println!("{}", serde_json::to_string(&p)?);
        } else {
            let quality = gazette_model::page_quality(&p.lines)
                .map(|q| format!(", quality {q:.2}"))
                .unwrap_or_default();
            println!(
                "{id} (printed page {}): {}{quality}",
                p.printed,
                p.verdict.name()
            );
            if !p.verdict.reason().is_empty() {
                println!("{}", p.verdict.reason());
            }
            if let Some(e) = p.error.as_ref().filter(|e| *e != p.verdict.reason()) {
                println!("error: {e}");
            }
            for l in &p.lines {
                println!("{}", l.text);
            }
        }
    } else if let Ok(id) = args.id.parse::<IssueId>() {
        let issue = archive
            .issue(&id)?
            .with_context(|| format!("no issue {id}"))?;
        if args.json {
            println!("{}", serde_json::to_string(&issue)?);
        } else {
            let cur = issue.current();
            println!(
                "{} {}年第{}期 (version {}, {} pages)",
                issue.gazette, issue.year, issue.number, cur.version, cur.pages
            );
            for d in &cur.documents {
                if let Some(v) = archive.current(d)? {
                    println!(
                        "{d}  {}  {}  pp. {}–{}",
                        v.fields.title, v.fields.doc_number, v.fields.start_page, v.fields.end_page
                    );
                }
            }
        }
    } else {
        bail!(
            "{:?} is not a document, issue or page id (e.g. yn-2017-05-03, yn-2017-05, yn-2017-05-p03)",
            args.id
        );
    }
    Ok(ExitCode::SUCCESS)
}
