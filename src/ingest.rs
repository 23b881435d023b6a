//! `gazette ingest`: read issues, cut them into documents and store them in
//! an archive, one issue at a time (store committed, then index), skipping
//! issues whose source files are already stored.

use crate::read::{read_issues, HintArgs, ReadArgs};
use anyhow::{Context, Result};
use archive::{
    Anchor, Archive, Fields, GazetteCode, IssueId, Line, NewDocument, NewIssue, NewPage, Paragraph,
    Provenance, SourceFile, Stored,
};
use clap::Args as ClapArgs;
use ingest::pipeline::Event;
use ingest::segment;
use ingest::{IssueSource, PageText};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// The archive directory (created if absent or empty).
    #[arg(long)]
    archive: PathBuf,
    /// The gazette's short code in ids (default: from its name, e.g. yn
    /// for 云南省人民政府公报).
    #[arg(long)]
    code: Option<String>,
    #[command(flatten)]
    hints: HintArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// One slot of an issue being read: a page, or why it could not be read.
enum Slot {
    Page(Box<PageText>),
    Failed(String),
}

struct Pending {
    index: usize,
    slots: Vec<Slot>,
}

#[derive(Default)]
struct Tally {
    new: usize,
    revised: usize,
    unchanged: usize,
    failed: usize,
    pages: usize,
    documents: usize,
}

/// A path as the archive records it: absolute where it can be.
fn recorded(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn hash_file(path: &Path) -> std::io::Result<SourceFile> {
    let bytes = std::fs::read(path)?;
    // Recorded absolute, so `verify --sources` works from anywhere.
    Ok(SourceFile {
        path: recorded(path),
        sha256: archive::sha256_hex(&bytes),
        bytes: bytes.len() as u64,
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    let archive = Archive::open(&args.archive, true)
        .with_context(|| format!("opening archive {}", args.archive.display()))?;
    // A crash between a store commit and its index commit is put right
    // before anything else.
    let fixed = archive.reconcile().context("reconciling index and store")?;
    if fixed > 0 {
        eprintln!("index: {fixed} entries brought in line with the store");
    }
    let code = args
        .code
        .as_deref()
        .map(GazetteCode::new)
        .transpose()
        .context("--code")?;
    let mut reader = args.read.reader()?;
    reader.opts.keep_images = true;
    let engine = ingest::OcrEngine::describe(&reader.engine);
    let traineddata = reader.engine.traineddata();
    let preprocess = serde_json::to_string(&reader.opts.preprocess).unwrap_or_default();

    let (found, mut failures) = ingest::source::discover(&args.read.paths);
    let mut tally = Tally::default();
    let mut todo: Vec<(IssueSource, Vec<SourceFile>)> = Vec::new();
    for src in found {
        let mut sources = Vec::new();
        let mut unreadable = None;
        for f in src.files() {
            match hash_file(&f) {
                Ok(s) => sources.push(s),
                Err(e) => {
                    unreadable = Some(ingest::Error::file(&f, e));
                    break;
                }
            }
        }
        if let Some(e) = unreadable {
            failures.push(e);
            continue;
        }
        if let Some(id) = archive.known_sources(&sources)? {
            eprintln!("{}: already stored as {id}, skipped", src.path.display());
            tally.unchanged += 1;
            continue;
        }
        todo.push((src, sources));
    }
    for f in &failures {
        archive.record_failure(&recorded(&f.path), &f.to_string())?;
    }
    let issues: Vec<IssueSource> = todo.iter().map(|(s, _)| s.clone()).collect();

    let store = |p: Pending, tally: &mut Tally| -> Result<()> {
        let (src, sources) = &todo[p.index];
        let new = match build_issue(
            &args,
            code.as_ref(),
            src,
            sources,
            p.slots,
            &engine,
            &traineddata,
            &preprocess,
        ) {
            Ok(n) => n,
            Err(why) => {
                eprintln!("{}: not stored: {why}", src.path.display());
                archive.record_failure(&recorded(&src.path), &why)?;
                tally.failed += 1;
                return Ok(());
            }
        };
        let pages = new.pages.len();
        let stored = archive
            .store_issue(&new)
            .with_context(|| format!("storing {}", src.path.display()))?;
        archive.clear_failure(&recorded(&src.path))?;
        match stored {
            Stored::New { id, documents } => {
                eprintln!("{id}: stored, {pages} pages, {documents} documents");
                tally.new += 1;
                tally.pages += pages;
                tally.documents += documents;
            }
            Stored::Revised {
                id,
                version,
                documents,
            } => {
                eprintln!("{id}: sources changed, stored as version {version}, {pages} pages, {documents} documents");
                tally.revised += 1;
                tally.pages += pages;
                tally.documents += documents;
            }
            Stored::Unchanged { id } => {
                eprintln!("{id}: unchanged, nothing stored");
                tally.unchanged += 1;
            }
        }
        Ok(())
    };

    let mut current: Option<Pending> = None;
    let mut fatal: Option<anyhow::Error> = None;
    let mut next_issue = 0usize;
    let summary = read_issues(&reader, &issues, true, Vec::new(), |ev| {
        let mut step = || -> Result<()> {
            match ev {
                Event::Issue { path, .. } => {
                    if let Some(p) = current.take() {
                        store(p, &mut tally)?;
                    }
                    // Issues arrive in input order; one that failed to open
                    // comes as a failure instead.
                    while next_issue < issues.len() && issues[next_issue].path != *path {
                        next_issue += 1;
                    }
                    current = Some(Pending {
                        index: next_issue,
                        slots: Vec::new(),
                    });
                    next_issue += 1;
                }
                Event::Page(p) => {
                    if let Some(c) = current.as_mut() {
                        c.slots.push(Slot::Page(p.clone()));
                    }
                }
                Event::Failed(e) => {
                    let in_current = current.as_ref().is_some_and(|c| {
                        let src = &issues[c.index];
                        e.path == src.path || src.files().contains(&e.path)
                    });
                    match current.as_mut() {
                        Some(c) if in_current => c.slots.push(Slot::Failed(e.to_string())),
                        _ => archive.record_failure(&recorded(&e.path), &e.to_string())?,
                    }
                }
            }
            Ok(())
        };
        step().map_err(|e| {
            let io = std::io::Error::other(format!("{e:#}"));
            fatal = Some(e);
            io
        })
    });
    if let Some(e) = fatal {
        return Err(e);
    }
    let summary = summary?;
    if let Some(p) = current.take() {
        store(p, &mut tally)?;
    }
    failures.extend(summary.failures);
    let stats = archive.stats()?;
    eprintln!(
        "{} issues: {} new, {} revised, {} already stored, {} not stored; {} pages, {} documents stored; {} failures; {:.1}s ({:.2} pages/s)",
        tally.new + tally.revised + tally.unchanged + tally.failed,
        tally.new,
        tally.revised,
        tally.unchanged,
        tally.failed,
        tally.pages,
        tally.documents,
        failures.len(),
        summary.seconds,
        summary.rate,
    );
    eprintln!(
        "archive {}: {} issues, {} pages, {} documents",
        archive.dir().display(),
        stats.issues,
        stats.pages,
        stats.documents
    );
    if tally.failed > 0 && failures.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(crate::read::report_failures(&failures))
}

/// Turns a read issue into the archive's form: identity, pages with their
/// images and provenance, documents. Fails (with a reason to record) when
/// the issue cannot be identified.
#[allow(clippy::too_many_arguments)]
fn build_issue(
    args: &Args,
    code: Option<&GazetteCode>,
    src: &IssueSource,
    sources: &[SourceFile],
    slots: Vec<Slot>,
    engine: &str,
    traineddata: &str,
    preprocess: &str,
) -> std::result::Result<NewIssue, String> {
    let pages: Vec<PageText> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Page(p) => Some((**p).clone()),
            Slot::Failed(_) => None,
        })
        .collect();
    if pages.is_empty() {
        return Err("no page could be read".into());
    }
    let (identity, docs) = segment::segment(&pages, &args.hints.for_issue(&src.path));
    if identity.year == 0 || identity.issue == 0 {
        return Err("cannot tell the issue's year and number from its running heads or name: give --year and --issue".into());
    }
    let code = match code {
        Some(c) => c.clone(),
        None => GazetteCode::for_name(&identity.gazette).ok_or_else(|| {
            format!(
                "no short code known for the gazette {:?}: give --code",
                identity.gazette
            )
        })?,
    };
    let id = IssueId {
        gazette: code,
        year: identity.year,
        issue: identity.issue,
    };
    let time = archive::now();
    let sha_of = |path: &Path| {
        let path = recorded(path);
        sources
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.sha256.clone())
            .unwrap_or_default()
    };
    let mut new_pages = Vec::with_capacity(slots.len());
    let mut read = 0usize;
    for slot in slots {
        let position = new_pages.len();
        let page = match slot {
            Slot::Page(p) => {
                let printed = identity
                    .printed
                    .get(read)
                    .copied()
                    .unwrap_or(position as u32 + 1);
                read += 1;
                let image = p
                    .image
                    .as_ref()
                    .map(|k| (k.format.to_string(), k.width, k.height, k.bytes.clone()));
                let text_layer = p.origin == ingest::TextOrigin::TextLayer;
                NewPage {
                    printed,
                    width: p.width,
                    height: p.height,
                    dpi: p.dpi,
                    origin: if text_layer { "text-layer" } else { "ocr" }.into(),
                    image,
                    lines: p
                        .lines
                        .iter()
                        .map(|l| Line {
                            text: l.text.clone(),
                            bbox: l.bbox.0,
                            // Tesseract's 0–100; a text layer is certain.
                            confidence: if text_layer {
                                100.0
                            } else if l.confidence.is_finite() {
                                l.confidence
                            } else {
                                0.0
                            },
                        })
                        .collect(),
                    error: p.image_error.clone(),
                    provenance: Provenance {
                        source: p.source.display().to_string(),
                        source_sha256: sha_of(&p.source),
                        index_in_source: p.source_page as u32,
                        engine: if text_layer {
                            "pdf text layer".into()
                        } else {
                            engine.to_string()
                        },
                        traineddata: if text_layer {
                            String::new()
                        } else {
                            traineddata.to_string()
                        },
                        preprocess: if text_layer {
                            String::new()
                        } else {
                            preprocess.to_string()
                        },
                        time: time.clone(),
                    },
                }
            }
            Slot::Failed(why) => {
                // Its printed number follows the page before it.
                let printed = new_pages.last().map_or(1, |p: &NewPage| p.printed + 1);
                NewPage {
                    printed,
                    width: 0,
                    height: 0,
                    dpi: None,
                    origin: "ocr".into(),
                    image: None,
                    lines: Vec::new(),
                    error: Some(why),
                    provenance: Provenance {
                        source: src.path.display().to_string(),
                        source_sha256: String::new(),
                        index_in_source: 0,
                        engine: engine.to_string(),
                        traineddata: traineddata.to_string(),
                        preprocess: preprocess.to_string(),
                        time: time.clone(),
                    },
                }
            }
        };
        new_pages.push(page);
    }
    let documents = docs
        .into_iter()
        .map(|d| NewDocument {
            paragraphs: d
                .paragraphs
                .iter()
                .map(|p| Paragraph {
                    text: p.text.clone(),
                    anchors: p
                        .anchors
                        .iter()
                        .map(|a| Anchor {
                            page: a.page as u32,
                            printed_page: a.printed_page,
                            bbox: a.bbox.0,
                        })
                        .collect(),
                })
                .collect(),
            fields: Fields {
                gazette: d.gazette,
                year: d.year,
                issue: d.issue,
                title: d.title,
                doc_number: d.doc_number,
                doc_number_normalised: d.doc_number_normalised,
                issuer: d.issuer,
                date: d.date,
                date_iso: d.date_iso,
                attribute: d.attribute,
                doc_type: d.doc_type,
                start_page: d.start_page,
                end_page: d.end_page,
                text: d.text,
                citation: d.citation,
                sha256: d.sha256,
            },
        })
        .collect();
    Ok(NewIssue {
        id,
        gazette: identity.gazette,
        sources: sources.to_vec(),
        pages: new_pages,
        documents,
    })
}
