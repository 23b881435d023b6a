//! `gazette ingest`: read issues, cut them into documents and store them in
//! an archive, one issue at a time (store committed, then index), skipping
//! issues whose source files are already stored.

use crate::read::{read_issues, HintArgs, ReadArgs};
use anyhow::{Context, Result};
use archive::{
    GazetteCode, IssueId, NewDocument, NewImage, NewIssue, NewPage, Provenance, SourceFile, Stored,
    TextOrigin, Verdict,
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

#[derive(Default)]
struct Tally {
    new: usize,
    revised: usize,
    unchanged: usize,
    failed: usize,
    pages: usize,
    documents: usize,
    /// Documents whose person's text stays current while a new machine
    /// reading waits for a decision.
    review: Vec<String>,
}

/// Says what a new reading of an issue did to documents a person had
/// worked on, and to ids it no longer lists.
fn report_changes(changes: &[archive::DocChange], review: &mut Vec<String>) {
    use archive::DocChange;
    for c in changes {
        match c {
            DocChange::Review {
                id,
                current,
                candidate,
            } => {
                eprintln!("  {id}: a person's text (version {current}) stays current; the new reading is version {candidate}, a candidate: review it");
                review.push(id.to_string());
            }
            DocChange::Carried { id, version } => eprintln!(
                "  {id}: the person's text carried over onto the new reading (version {version})"
            ),
            DocChange::Gone { id, gone, person } => {
                let into: Vec<String> = gone.into.iter().map(|d| d.to_string()).collect();
                eprintln!(
                    "  {id}: no longer in the issue ({}{}); its id still resolves{}",
                    gone.kind.as_str(),
                    if into.is_empty() {
                        String::new()
                    } else {
                        format!(" into {}", into.join(", "))
                    },
                    if *person {
                        "; its text is a person's: review it"
                    } else {
                        ""
                    }
                );
                if *person {
                    review.push(id.to_string());
                }
            }
        }
    }
}

/// A path as the archive records it: absolute where it can be.
pub(crate) fn recorded(path: &Path) -> String {
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

/// An issue's source files, hashed. Its sidecar is one of them: adding or
/// correcting it makes a new version of the issue (its identity
/// completed), with nothing overwritten.
pub(crate) fn sources_of(src: &IssueSource) -> std::result::Result<Vec<SourceFile>, ingest::Error> {
    let sidecar = crate::read::Sidecar::path_for(&src.path);
    src.files()
        .iter()
        .map(|f| f.as_path())
        .chain(sidecar.is_file().then_some(sidecar.as_path()))
        .map(hash_file)
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| ingest::Error::file(&src.path, e))
}

/// What reading issues for an archive needs: the gazette's code as given,
/// a reader that keeps page images, and what each page records of it.
pub(crate) fn prepare(
    code: Option<&str>,
    read: &ReadArgs,
) -> Result<(Option<GazetteCode>, crate::read::Reader, ReadContext)> {
    let code = code.map(GazetteCode::new).transpose().context("--code")?;
    let mut reader = read.reader()?;
    reader.opts.keep_images = true;
    let ctx = ReadContext::new(&reader);
    Ok((code, reader, ctx))
}

/// What every page of a run records of how it was read.
pub(crate) struct ReadContext {
    pub engine: String,
    pub traineddata: String,
    pub preprocess: String,
    time: String,
}

impl ReadContext {
    pub fn new(reader: &crate::read::Reader) -> Self {
        ReadContext {
            engine: ingest::OcrEngine::describe(&reader.engine),
            traineddata: reader.engine.traineddata(),
            preprocess: serde_json::to_string(&reader.opts.preprocess).unwrap_or_default(),
            time: archive::now(),
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    // The archive itself, or (while `gazette serve` owns it) its server,
    // which stores what this process reads.
    let mut archive = crate::owner::Writer::open(&args.archive, true)?;
    if let Some(a) = archive.local() {
        // A crash between a store commit and its index commit is put
        // right before anything else (a server did so when it started).
        let fixed = a.reconcile().context("reconciling index and store")?;
        if fixed > 0 {
            eprintln!("index: {fixed} entries brought in line with the store");
        }
    } else {
        eprintln!(
            "{} is served: its server stores each issue as it is read",
            args.archive.display()
        );
    }
    let (code, reader, ctx) = prepare(args.code.as_deref(), &args.read)?;

    let (found, early) = ingest::source::discover(&args.read.paths);
    let mut failures: Vec<String> = Vec::new();
    for f in &early {
        archive.record_failure(&recorded(&f.path), &f.to_string())?;
        failures.push(f.to_string());
    }
    let mut tally = Tally::default();
    let mut todo: Vec<(IssueSource, Vec<SourceFile>)> = Vec::new();
    for src in found {
        let sources = match sources_of(&src) {
            Ok(s) => s,
            Err(e) => {
                archive.record_failure(&recorded(&src.path), &e.to_string())?;
                failures.push(e.to_string());
                continue;
            }
        };
        if let Some(id) = archive.known_sources(&sources)? {
            eprintln!("{}: already stored as {id}, skipped", src.path.display());
            tally.unchanged += 1;
            continue;
        }
        todo.push((src, sources));
    }
    let issues: Vec<IssueSource> = todo.iter().map(|(s, _)| s.clone()).collect();

    // The pipeline hands over one issue (or one unreadable source) per
    // source, in input order: the n-th event is the n-th of `todo`.
    let mut next = 0usize;
    let mut fatal: Option<anyhow::Error> = None;
    let archive = &mut archive;
    let summary = read_issues(&reader, &issues, true, failures, |ev| {
        let Some((src, sources)) = todo.get(next) else {
            return Ok(());
        };
        next += 1;
        let step = match ev {
            Event::Issue(issue) => store(
                archive,
                &args,
                code.as_ref(),
                &ctx,
                *issue,
                sources,
                &mut tally,
            ),
            Event::Unreadable(e) => {
                tally.failed += 1;
                archive.record_failure(&recorded(&src.path), &e.to_string())
            }
            _ => Ok(()),
        };
        step.map_err(|e| {
            let io = std::io::Error::other(format!("{e:#}"));
            fatal = Some(e);
            io
        })
    });
    if let Some(e) = fatal {
        return Err(e);
    }
    let summary = summary?;
    let stats = archive.stats()?;
    eprintln!(
        "{} issues: {} new, {} revised, {} already stored, {} not stored; {} pages ({}), {} documents stored; {} failures; {:.1}s ({:.2} pages/s)",
        tally.new + tally.revised + tally.unchanged + tally.failed,
        tally.new,
        tally.revised,
        tally.unchanged,
        tally.failed,
        tally.pages,
        summary.verdict_line(),
        tally.documents,
        summary.failures.len(),
        summary.seconds,
        summary.rate,
    );
    eprintln!(
        "archive {}: {} issues, {} pages, {} documents",
        args.archive.display(),
        stats.issues,
        stats.pages,
        stats.documents
    );
    crate::read::report_flagged(&summary.flagged);
    if !tally.review.is_empty() {
        eprintln!(
            "{} documents wait for a person's decision (gazette correct ID --candidate, or --text-file, or --verified): {}",
            tally.review.len(),
            tally.review.join(", ")
        );
    }
    if tally.failed > 0 && summary.failures.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(crate::read::report_failures(&summary.failures))
}

/// Segments a read issue and stores it, recording why when it cannot be.
fn store(
    archive: &mut crate::owner::Writer,
    args: &Args,
    code: Option<&GazetteCode>,
    ctx: &ReadContext,
    issue: ingest::ReadIssue,
    sources: &[SourceFile],
    tally: &mut Tally,
) -> Result<()> {
    let path = issue.source.path.clone();
    let new = match build_issue(&args.hints, code, ctx, issue, sources) {
        Ok(n) => n,
        Err(why) => {
            eprintln!("{}: not stored: {why}", path.display());
            archive.record_failure(&recorded(&path), &why)?;
            tally.failed += 1;
            return Ok(());
        }
    };
    let pages = new.pages.len();
    let stored = archive
        .store_issue(&new)
        .with_context(|| format!("storing {}", path.display()))?;
    archive.clear_failure(&recorded(&path))?;
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
            changes,
        } => {
            eprintln!("{id}: sources changed, stored as version {version}, {pages} pages, {documents} documents");
            report_changes(&changes, &mut tally.review);
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
}

/// Turns a read issue into the archive's form: identity, every page in its
/// place (failed ones too) with image and provenance, documents. Fails
/// (with a reason to record) when the issue cannot be identified.
pub(crate) fn build_issue(
    hints: &HintArgs,
    code: Option<&GazetteCode>,
    ctx: &ReadContext,
    issue: ingest::ReadIssue,
    sources: &[SourceFile],
) -> std::result::Result<NewIssue, String> {
    let read = issue.read_pages();
    if read.is_empty() {
        return Err("no page could be read".into());
    }
    let hints = hints.for_issue(&issue.source.path)?;
    let (identity, docs) = segment::segment(&read, &hints);
    if identity.year == 0 || identity.issue == 0 {
        return Err("cannot tell the issue's year and number from its running heads, sidecar (issue.toml) or name: give them in a sidecar or with --year and --issue".into());
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
    let mut pages: Vec<NewPage> = Vec::with_capacity(issue.pages.len());
    for p in issue.pages {
        // Segmentation numbered every position, failed pages included;
        // past its last read page, the run goes on.
        let printed = identity
            .printed
            .get(p.position - 1)
            .copied()
            .unwrap_or_else(|| pages.last().map_or(1, |l| l.printed + 1));
        let sha256 = source_sha(sources, &p.file);
        pages.push(match p.read {
            Ok(page) => read_page(ctx, page, printed, sha256),
            Err(e) => failed_page(ctx, &p.file, p.index_in_file, e, printed, sha256),
        });
    }
    Ok(NewIssue {
        id,
        gazette: identity.gazette,
        sources: sources.to_vec(),
        pages,
        documents: docs
            .into_iter()
            .map(|d| NewDocument {
                fields: d.fields,
                paragraphs: d.paragraphs,
            })
            .collect(),
    })
}

/// The recorded hash of the source file a page came from.
fn source_sha(sources: &[SourceFile], file: &Path) -> String {
    let path = recorded(file);
    sources
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.sha256.clone())
        .unwrap_or_default()
}

/// A page that was read, its image moved into the archive's form.
fn read_page(ctx: &ReadContext, p: PageText, printed: u32, source_sha256: String) -> NewPage {
    let text_layer = p.origin == TextOrigin::TextLayer;
    let by_ocr = |s: &str| {
        if text_layer {
            String::new()
        } else {
            s.to_string()
        }
    };
    NewPage {
        printed,
        width: p.width,
        height: p.height,
        dpi: p.dpi,
        origin: p.origin,
        verdict: p.verdict,
        image: p.image.map(|k| NewImage {
            region: p.region.map(|r| region_in(&r, k.width, k.height)),
            format: k.format.to_string(),
            width: k.width,
            height: k.height,
            bytes: k.bytes,
        }),
        lines: p.lines,
        layout: p.layout,
        error: p.image_error,
        provenance: Provenance {
            source: p.source.display().to_string(),
            source_sha256,
            index_in_source: p.source_page as u32,
            engine: if text_layer {
                "pdf text layer".into()
            } else {
                ctx.engine.clone()
            },
            traineddata: by_ocr(&ctx.traineddata),
            preprocess: by_ocr(&ctx.preprocess),
            replaced_text_layer: p.replaced_text_layer,
            time: ctx.time.clone(),
        },
    }
}

/// A page's region of its source image (a half of a book spread) in the
/// pixels of the image kept, which may be stored at another scale than it
/// was decoded at.
fn region_in(r: &ingest::SourceRegion, width: u32, height: u32) -> [u32; 4] {
    let sx = |v: u32| (u64::from(v) * u64::from(width) / u64::from(r.width.max(1))) as u32;
    let sy = |v: u32| (u64::from(v) * u64::from(height) / u64::from(r.height.max(1))) as u32;
    let (x0, y0) = (sx(r.bbox.x0()).min(width), sy(r.bbox.y0()).min(height));
    let (x1, y1) = (sx(r.bbox.x1()).min(width), sy(r.bbox.y1()).min(height));
    [x0, y0, (x1 - x0.min(x1)).max(1), (y1 - y0.min(y1)).max(1)]
}

/// A page that could not be read keeps its place, with its error.
fn failed_page(
    ctx: &ReadContext,
    file: &Path,
    index_in_file: usize,
    e: ingest::Error,
    printed: u32,
    source_sha256: String,
) -> NewPage {
    let why = e.to_string();
    NewPage {
        printed,
        width: 0,
        height: 0,
        dpi: None,
        origin: TextOrigin::Ocr,
        verdict: Verdict::Failed(why.clone()),
        image: None,
        lines: Vec::new(),
        layout: None,
        error: Some(why),
        provenance: Provenance {
            source: file.display().to_string(),
            source_sha256,
            index_in_source: index_in_file as u32,
            engine: ctx.engine.clone(),
            traineddata: ctx.traineddata.clone(),
            preprocess: ctx.preprocess.clone(),
            replaced_text_layer: None,
            time: ctx.time.clone(),
        },
    }
}
