//! `gazette search`: the archive's full-text search from the command line,
//! as text or as JSON.

use anyhow::{Context, Result};
use archive::{Query, Sort};
use clap::{Args as ClapArgs, ValueEnum};
use gazette_model::legal::Date;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    /// Print {"total", "hits", "facets"} as JSON.
    #[arg(long)]
    json: bool,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    year_from: Option<u16>,
    #[arg(long)]
    year_to: Option<u16>,
    /// An issue id, e.g. yn-2017-05.
    #[arg(long)]
    issue: Option<String>,
    #[arg(long)]
    issuer: Option<String>,
    #[arg(long = "type")]
    doc_type: Option<String>,
    #[arg(long)]
    attribute: Option<String>,
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Only documents with this status: 有效, 已修改, 已废止, 失效,
    /// 尚未生效 or 未知.
    #[arg(long)]
    status: Option<String>,
    /// The day the status is taken on (yyyy-mm-dd; today by default).
    #[arg(long)]
    as_of: Option<String>,
    /// Words, 文号 or "quoted phrases"; every one must occur.
    query: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum SortArg {
    Relevance,
    Date,
    DateAsc,
}

/// Facet counts as a list of {value, count}, most frequent first.
pub fn facet_json(f: &[(String, u64)]) -> serde_json::Value {
    f.iter()
        .map(|(v, n)| serde_json::json!({"value": v, "count": n}))
        .collect()
}

pub fn run(args: Args) -> Result<ExitCode> {
    let status = match args.status.as_deref() {
        None => None,
        Some(s) => Some(archive::legal::Status::parse(s).with_context(|| {
            format!(
                "--status {s:?}: expected {}",
                archive::legal::Status::expected()
            )
        })?),
    };
    let as_of = match args.as_of.as_deref() {
        None => None,
        Some(s) => Some(
            Date::parse_iso(s).with_context(|| format!("--as-of {s:?}: expected yyyy-mm-dd"))?,
        ),
    };
    let day = as_of.unwrap_or_else(archive::legal::today);
    let archive = crate::export::open(&args.archive)?;
    let q = Query {
        facets: true,
        text: args.query.join(" "),
        year_from: args.year_from,
        year_to: args.year_to,
        issue: args
            .issue
            .as_deref()
            .map(str::parse)
            .transpose()
            .context("--issue")?,
        issuer: args.issuer,
        doc_type: args.doc_type,
        attribute: args.attribute,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::DateDesc,
            SortArg::DateAsc => Sort::DateAsc,
        },
        offset: args.offset,
        limit: args.limit,
        status,
        as_of,
        acting: false,
    };
    let r = archive.search(&q).context("searching")?;
    if args.json {
        let hits: Vec<serde_json::Value> = r
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "id": h.id, "title": h.title, "doc_number": h.doc_number,
                    "issuer": h.issuer, "date": h.date, "citation": h.citation,
                    "snippet": h.snippet.to_html(), "score": h.score,
                    "status": h.standing.status(day).as_str(),
                })
            })
            .collect();
        let out = serde_json::json!({
            "total": r.total,
            "total_relation": if r.total_exact { "eq" } else { "gte" },
            "hits": hits,
            "facets": {
                "year": facet_json(&r.facets.year),
                "issuer": facet_json(&r.facets.issuer),
                "type": facet_json(&r.facets.doc_type),
            }
        });
        println!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    let (open, close) = if std::io::stdout().is_terminal() {
        ("\x1b[7m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    if r.total_exact {
        println!("{} documents", r.total);
    } else {
        println!("{}+ documents (counted up to there)", r.total);
    }
    for (i, h) in r.hits.iter().enumerate() {
        println!();
        println!("{}. {}  {}", q.offset + i + 1, h.id, h.title);
        let status = h.standing.status(day).as_str();
        let meta: Vec<&str> = [
            h.doc_number.as_str(),
            h.issuer.as_str(),
            h.date.as_str(),
            status,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        if !meta.is_empty() {
            println!("   {}", meta.join(" · "));
        }
        println!("   {}", h.citation);
        println!("   {}", h.snippet.render(open, close, false));
    }
    Ok(ExitCode::SUCCESS)
}
