//! The reading pipeline: every page of every issue, decoded, preprocessed
//! and recognised (or read from a PDF's text layer) in parallel on a rayon
//! pool, delivered as whole issues in input order, each page in its place
//! (read or failed), with a bounded number of pages being decoded.

use crate::compose::{self, ComposeParams};
use crate::error::{Error, ErrorKind, Result};
use crate::ocr::OcrEngine;
use crate::page::{BBox, Line, PageImage, PageText, SourceRegion, TextOrigin, Verdict};
use crate::pdf::PdfFile;
use crate::preprocess::{self, Preprocess};
use crate::source::{self, IssueSource, PageRef, PageTask};
use crate::verdict::{self, VerdictParams};
use crate::{pdf, raster, textfix, textlayer};
use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc;

mod gaps;
pub use gaps::GapParams;
use gaps::{read_layer_gaps, text_layer_verdict, Gaps};

/// How to run the pipeline.
#[derive(Clone, Debug)]
pub struct Options {
    /// Worker threads (each holds one OCR engine).
    pub jobs: usize,
    pub preprocess: Preprocess,
    /// Keep each page's image for serving (see [`crate::keep`]).
    pub keep_images: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            jobs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            preprocess: Preprocess::default(),
            keep_images: false,
        }
    }
}

/// One page of an issue, in its place: what was read, or why it could not
/// be. A page that failed keeps its position, so the pages after it keep
/// theirs.
#[derive(Debug)]
pub struct IssuePage {
    /// 1-based position of the page in its issue.
    pub position: usize,
    /// The file holding the page.
    pub file: PathBuf,
    /// 1-based page (or frame) within `file`.
    pub index_in_file: usize,
    pub read: Result<PageText>,
}

/// A whole issue as read: its source and every page in order.
#[derive(Debug)]
pub struct ReadIssue {
    pub source: IssueSource,
    /// One entry per page of the issue, in order (`pages[i].position == i + 1`).
    pub pages: Vec<IssuePage>,
}

impl ReadIssue {
    /// The pages that were read, in order (each knows its position).
    pub fn read_pages(&self) -> Vec<&PageText> {
        self.pages
            .iter()
            .filter_map(|p| p.read.as_ref().ok())
            .collect()
    }

    /// The errors of the pages that could not be read.
    pub fn failures(&self) -> impl Iterator<Item = &Error> {
        self.pages.iter().filter_map(|p| p.read.as_ref().err())
    }
}

/// What the pipeline reports. Issues and unreadable sources come in input
/// order; `Opened` and `PageDone` are for progress displays.
#[derive(Debug)]
pub enum Event {
    /// An issue was opened and has this many pages.
    Opened { path: PathBuf, pages: usize },
    /// A page of an open issue is done (its result comes with its issue).
    PageDone { ok: bool },
    /// Every page of an issue, when its last page is done.
    Issue(Box<ReadIssue>),
    /// An issue that could not be opened at all (its file or folder is
    /// unreadable, not a PDF, has no pages…).
    Unreadable(Error),
}

enum Item {
    Opened(IssueSource, usize),
    Unreadable(Error),
    Task(PageTask),
}

/// An issue being read: its pages as they finish.
struct Open {
    source: IssueSource,
    /// What each page task gave: one page, or two for a book spread.
    pages: Vec<Option<Vec<IssuePage>>>,
    missing: usize,
}

/// The queue of issues in input order; the front is emitted once complete.
enum Slot {
    Issue(Open),
    Unreadable(Error),
}

/// Reads every page of `issues`, calling `sink` with each issue, whole, in
/// input order, while pages are processed in parallel across all issues.
/// At most `2 × jobs + 2` pages are handed to workers and not yet back;
/// finished pages wait in their issue (text, boxes and any kept image, no
/// decoded raster) until its last page is done.
pub fn run<E: OcrEngine + ?Sized>(
    issues: &[IssueSource],
    engine: &E,
    opts: &Options,
    mut sink: impl FnMut(Event),
) -> std::result::Result<(), rayon::ThreadPoolBuildError> {
    run_until(issues, engine, opts, |ev| {
        sink(ev);
        ControlFlow::Continue(())
    })
}

/// As [`run`], but the sink can stop the run (say, when the archive it
/// writes to fails): no new pages are started, those in flight finish and
/// their results are dropped.
pub fn run_until<E: OcrEngine + ?Sized>(
    issues: &[IssueSource],
    engine: &E,
    opts: &Options,
    mut sink: impl FnMut(Event) -> ControlFlow<()>,
) -> std::result::Result<(), rayon::ThreadPoolBuildError> {
    let jobs = opts.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("ocr-{i}"))
        .build()?;
    let window = 2 * jobs + 2;
    let cfg = &opts.preprocess;
    let keep = opts.keep_images;
    // Issues are opened lazily, as the window needs pages, so a batch of a
    // thousand PDFs never has them all loaded.
    let mut items = issues.iter().flat_map(|src| -> Vec<Item> {
        match source::open(src) {
            Ok(tasks) => std::iter::once(Item::Opened(src.clone(), tasks.len()))
                .chain(tasks.into_iter().map(Item::Task))
                .collect(),
            Err(e) => vec![Item::Unreadable(e)],
        }
    });
    // (issue sequence number, page task's index in issue, its pages)
    let (tx, rx) = mpsc::channel::<(usize, usize, Vec<IssuePage>)>();
    pool.in_place_scope(|scope| {
        let mut queue: VecDeque<Slot> = VecDeque::new();
        // Sequence number of the queue's front issue.
        let mut base = 0usize;
        let (mut in_flight, mut exhausted, mut stopped) = (0usize, false, false);
        loop {
            while in_flight < window && !exhausted && !stopped {
                match items.next() {
                    Some(Item::Opened(source, pages)) => {
                        let path = source.path.clone();
                        queue.push_back(Slot::Issue(Open {
                            source,
                            pages: (0..pages).map(|_| None).collect(),
                            missing: pages,
                        }));
                        if sink(Event::Opened { path, pages }).is_break() {
                            stopped = true;
                        }
                    }
                    Some(Item::Unreadable(e)) => queue.push_back(Slot::Unreadable(e)),
                    Some(Item::Task(task)) => {
                        let seq = base + queue.len() - 1;
                        in_flight += 1;
                        let tx = tx.clone();
                        scope.spawn(move |_| {
                            let page = read_task(&task, engine, cfg, keep);
                            // The receiver lives until every spawned task has
                            // reported, so a send cannot fail here.
                            let _ = tx.send((seq, task.page - 1, page));
                        });
                    }
                    None => exhausted = true,
                }
            }
            // Emit every complete issue at the front, in order.
            while !stopped {
                let done = match queue.front() {
                    Some(Slot::Issue(o)) => o.missing == 0,
                    Some(Slot::Unreadable(_)) => true,
                    None => false,
                };
                if !done {
                    break;
                }
                base += 1;
                let ev = match queue.pop_front() {
                    Some(Slot::Issue(o)) => Event::Issue(Box::new(ReadIssue {
                        source: o.source,
                        pages: numbered(o.pages.into_iter().flatten().flatten()),
                    })),
                    Some(Slot::Unreadable(e)) => Event::Unreadable(e),
                    None => break,
                };
                if sink(ev).is_break() {
                    stopped = true;
                }
            }
            if in_flight == 0 && (exhausted || stopped) {
                break;
            }
            if in_flight == 0 {
                continue;
            }
            match rx.recv() {
                Ok((seq, index, page)) => {
                    in_flight -= 1;
                    if stopped {
                        continue;
                    }
                    let ok = page.iter().all(|p| p.read.is_ok());
                    if let Some(Slot::Issue(o)) = queue.get_mut(seq - base) {
                        if let Some(slot) = o.pages.get_mut(index) {
                            if slot.replace(page).is_none() {
                                o.missing -= 1;
                            }
                        }
                    }
                    if sink(Event::PageDone { ok }).is_break() {
                        stopped = true;
                    }
                }
                Err(_) => break,
            }
        }
    });
    // Free the workers' engines while the pool is alive, rather than leave
    // them to thread exit racing process exit.
    pool.broadcast(|_| engine.release());
    Ok(())
}

/// Reads one page task into its place in the issue, catching a panic as
/// that page's error: one page, or the two pages of a book spread.
fn read_task<E: OcrEngine + ?Sized>(
    task: &PageTask,
    engine: &E,
    cfg: &Preprocess,
    keep: bool,
) -> Vec<IssuePage> {
    let read = match std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut pages = read_page(task, engine, cfg, keep)?;
        let unkept = |p: &PageText| p.image.is_none() && p.image_error.is_none();
        if keep && pages.iter().any(unkept) {
            // Each page of a spread shows its part of the one image kept.
            let origin = pages.first().map_or(TextOrigin::Ocr, |p| p.origin);
            let kept = crate::keep::keep_image(task, origin);
            for page in pages.iter_mut().filter(|p| unkept(p)) {
                match &kept {
                    Ok(img) => page.image = Some(img.clone()),
                    Err(k) => page.image_error = Some(k.to_string()),
                }
            }
        }
        Ok(pages)
    })) {
        Ok(r) => r,
        Err(panic) => Err(task.error(ErrorKind::Panic(panic_message(&panic)))),
    };
    let page = |read| IssuePage {
        position: task.page,
        file: task.file.to_path_buf(),
        index_in_file: task.page_in_file().unwrap_or(1),
        read,
    };
    match read {
        Ok(pages) => pages.into_iter().map(|p| page(Ok(p))).collect(),
        Err(e) => vec![page(Err(e))],
    }
}

/// The pages of an issue in order, numbered by their place in it: a
/// spread's two pages each take one, and the pages after it move on.
fn numbered(pages: impl Iterator<Item = IssuePage>) -> Vec<IssuePage> {
    pages
        .enumerate()
        .map(|(i, mut p)| {
            p.position = i + 1;
            if let Ok(t) = &mut p.read {
                t.page = i + 1;
            }
            p
        })
        .collect()
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Reads one page: from the text layer of a born-digital PDF page when it
/// has usable text, otherwise by OCR of its image (two pages when the image
/// is a book spread). With `keep`, a page composed from a PDF keeps the
/// composed image (other pages' images are kept from their sources by
/// [`crate::keep`]).
pub fn read_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    engine: &E,
    cfg: &Preprocess,
    keep: bool,
) -> Result<Vec<PageText>> {
    match &task.what {
        PageRef::Frame(frame) => {
            let bytes = std::fs::read(&task.file).map_err(|e| task.error(e.into()))?;
            let image = raster::decode(&bytes, *frame).map_err(|k| task.error(k))?;
            drop(bytes);
            ocr_page(task, image, engine, cfg)
        }
        PageRef::Pdf(file, index) => read_pdf_page(task, file, *index, engine, cfg, keep),
    }
}

/// Reads a PDF page as it is printed. A plain born-digital page (visible,
/// decodable text and a few strokes) is read from its text layer without
/// further ado. Any other page is surveyed (what it draws, where): a page
/// whose images cover at least half of it is a scan, read by OCR of the
/// page as composed, whatever text layer lies over it (an invisible one is
/// an earlier OCR, a small visible one a stamp added later); a page of
/// decodable visible text with pictures is read from its text layer; a
/// page that draws text no text layer decodes (outlines, fonts without a
/// Unicode map) is rendered and OCR'd.
fn read_pdf_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    file: &PdfFile,
    index: usize,
    engine: &E,
    cfg: &Preprocess,
    keep: bool,
) -> Result<Vec<PageText>> {
    let k = ComposeParams::default();
    let id = file.pages[index];
    let text = textlayer::extract(&file.doc, id);
    let text_page = |t: &textlayer::TextPage, verdict: Verdict| {
        page_text(
            task,
            t.width,
            t.height,
            Some(textlayer::TEXT_LAYER_DPI),
            TextOrigin::TextLayer,
            verdict,
            t.lines.clone(),
        )
    };
    if let Ok(t) = &text {
        if t.is_usable() && t.is_plain(k.max_plain_paints) {
            return Ok(vec![text_page(t, Verdict::Ok)]);
        }
    }
    let Some(pdf) = file.hayro() else {
        // Without an interpreter, the page's largest image is all we can read.
        return match pdf::page_image(&file.doc, id).map_err(|e| task.error(e))? {
            Some(image) => ocr_page(task, image, engine, cfg),
            None => match &text {
                Ok(t) if t.is_usable() => Ok(vec![text_page(t, Verdict::Ok)]),
                Ok(_) | Err(_) => Err(task.error(ErrorKind::EmptyPage)),
            },
        };
    };
    let survey = compose::survey(pdf, index).map_err(|e| task.error(e))?;
    let coverage = survey.image_coverage();
    tracing::debug!(file = %task.file.display(), page = task.page, images = survey.images.len(), visible_text = survey.visible_text, invisible_text = survey.invisible_text, paths = survey.paths, coverage, "surveyed");
    let scan = coverage >= k.scan_coverage;
    if let Ok(t) = &text {
        if t.is_usable() && !scan && survey.visible_text > 0 {
            // A page drawn with more than its text: its text layer is
            // checked against the page's ink, rendered coarsely, and read
            // by OCR where it leaves print unread.
            let Ok(check) = compose::render(pdf, index, k.check_dpi) else {
                return Ok(vec![text_page(t, Verdict::Ok)]);
            };
            let (verdict, unread) = text_layer_verdict(&check, k.check_dpi, &t.lines);
            let mut page = text_page(t, verdict);
            if !unread.is_empty() {
                let gaps = Gaps {
                    check: &check,
                    dpi: k.check_dpi,
                    unread: &unread,
                };
                read_layer_gaps(task, pdf, index, &gaps, engine, cfg, &mut page);
            }
            return Ok(vec![page]);
        }
    }
    let (image, composed) = scan_image(file, pdf, index, &survey, &k).map_err(|e| task.error(e))?;
    let kept = (keep && composed).then(|| crate::keep::png(&image.raster));
    let mut pages = ocr_page(task, image, engine, cfg)?;
    let claimed = text
        .as_ref()
        .ok()
        .map(|t| t.claimed.clone())
        .filter(|c| !c.is_empty());
    let partial = !survey.images.is_empty() && coverage < k.partial_coverage;
    let spread = pages.len() > 1;
    for page in &mut pages {
        page.replaced_text_layer = claimed.clone();
        match &kept {
            Some(Ok(img)) => page.image = Some(img.clone()),
            Some(Err(e)) => page.image_error = Some(e.to_string()),
            None => {}
        }
        if spread {
            // The checks below weigh the PDF page's text and images against
            // one page's reading.
            continue;
        }
        // Text the page draws but no layer decodes was rendered for OCR;
        // if the renderer lacked its font, the render holds little of it.
        // The glyphs drawn say how much there was.
        if let Ok(t) = &text {
            let (drawn, read) = (verdict::chars(&t.lines), verdict::chars(&page.lines));
            if !scan
                && drawn >= k.min_drawn_glyphs
                && (read as f32) < drawn as f32 * k.min_read_of_drawn
            {
                page.verdict = Verdict::Suspect(format!(
                    "the page draws {drawn} characters in fonts no text layer decodes; OCR of its rendering read {read} (a font the renderer lacks?)"
                ));
            }
        }
        if page.verdict == Verdict::Ok && partial && survey.visible_text == 0 && survey.paths == 0 {
            page.verdict = Verdict::Suspect(format!(
                "its images cover {:.0}% of the page: part of the scan may be missing",
                coverage * 100.0
            ));
        }
    }
    Ok(pages)
}

/// The image a PDF page is read from: a plain scan (one upright image
/// covering the page, in an encoding we decode) as its own pixels, any other
/// page painted as printed at its native scan resolution. The flag says
/// whether it was composed.
pub fn scan_image(
    file: &PdfFile,
    pdf: &hayro::hayro_syntax::Pdf,
    index: usize,
    survey: &compose::Survey,
    k: &ComposeParams,
) -> std::result::Result<(PageImage, bool), ErrorKind> {
    let id = file.pages[index];
    if pdf::is_plain_scan(&file.doc, id, survey, k) {
        if let Some(image) = pdf::page_image(&file.doc, id)? {
            return Ok((image, false));
        }
    }
    let dpi = survey.native_dpi(k);
    let t0 = std::time::Instant::now();
    let raster = compose::render(pdf, index, dpi)?;
    tracing::debug!(
        page = index + 1,
        dpi,
        images = survey.images.len(),
        ms = t0.elapsed().as_millis() as u64,
        "composed"
    );
    // A page with images that comes out as bare paper may hide a scan the
    // interpreter could not decode (it paints nothing for one): find out.
    if !survey.images.is_empty() && raster.pixels.iter().all(|p| *p >= k.paper) {
        let bad = compose::undecodable_images(pdf, index)?;
        if !bad.is_empty() {
            return Err(ErrorKind::Image(format!(
                "cannot decode {} (corrupt, or an encoding no decoder here reads)",
                bad.join(", ")
            )));
        }
    }
    Ok((
        PageImage {
            raster,
            dpi: Some(dpi),
        },
        true,
    ))
}

fn page_text(
    task: &PageTask,
    width: u32,
    height: u32,
    dpi: Option<f32>,
    origin: TextOrigin,
    verdict: Verdict,
    lines: Vec<Line>,
) -> PageText {
    PageText {
        source: task.file.to_path_buf(),
        page: task.page,
        source_page: task.page_in_file().unwrap_or(1),
        width,
        height,
        dpi,
        origin,
        verdict,
        lines,
        layout: None,
        image: None,
        replaced_text_layer: None,
        image_error: None,
        region: None,
    }
}

/// Reads a page image: two pages when it holds a book spread (cut at the
/// spine, each read on its own, in reading order: left then right, right
/// then left when both are set in vertical columns, as such books are
/// bound on the right), else one.
pub fn ocr_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    image: PageImage,
    engine: &E,
    cfg: &Preprocess,
) -> Result<Vec<PageText>> {
    let (w, h) = (image.raster.width, image.raster.height);
    let params = VerdictParams::default();
    // An image wider than high is a book spread or a page set sideways;
    // which, is asked before cutting it at a "spine": a sideways page of
    // two blocks of print was cut as a spread and each half read sideways
    // (a real mimeograph page turned 90°, measured). Only a sure finding
    // turns the image here, unchecked by a reading: an upright spread must
    // not be read sideways.
    let sideways = if w > h {
        let dpi = image.dpi.map_or(0, |d| d.round() as u32);
        engine
            .orientation(&image.raster, dpi)
            .map_err(|m| task.error(ErrorKind::Ocr(m)))?
            .inspect(|t| tracing::debug!(file = %task.file.display(), page = task.page, quarters = t.quarters, osd = t.confidence, "orientation of an image wider than high"))
            .filter(|t| t.quarters % 2 == 1 && t.confidence >= params.sure_turn_confidence)
    } else {
        None
    };
    let Some(turn) = sideways else {
        return spread_or_page(task, image, engine, cfg);
    };
    let turned = PageImage {
        raster: crate::pixel::quarter_turn(&image.raster, turn.quarters),
        dpi: image.dpi,
    };
    // Upright, the page stands higher than wide: one page, not a spread.
    let mut page = ocr_one(task, turned, engine, cfg)?;
    for l in &mut page.lines {
        l.bbox = crate::pixel::unturn_box(l.bbox, turn.quarters, w, h);
    }
    (page.width, page.height) = (w, h);
    let inner = page.layout.as_ref().map_or(0, |l| l.turned);
    let degrees = (90 * turn.quarters as u16 + inner) % 360;
    tracing::info!(file = %task.file.display(), page = task.page, degrees, osd = turn.confidence, "image read turned");
    record_turn(
        &mut page.layout,
        degrees,
        format!(
            "the image, wider than high, turned {}° clockwise before reading (orientation found with confidence {:.1})",
            90 * turn.quarters as u16,
            turn.confidence
        ),
    );
    Ok(vec![page])
}

/// Records on a page's layout that it was read turned `degrees` clockwise
/// (in all), and why.
fn record_turn(layout: &mut Option<crate::page::Layout>, degrees: u16, note: String) {
    match layout.as_mut() {
        Some(l) => {
            l.turned = degrees;
            l.why = format!("{}; {note}", l.why);
        }
        None => {
            *layout = Some(crate::page::Layout {
                direction: crate::page::PageDirection::Horizontal,
                script: crate::page::PageScript::Simplified,
                why: note,
                turned: degrees,
            })
        }
    }
}

/// [`ocr_page`] on an image standing as found: cut at the spine when it
/// holds a spread.
fn spread_or_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    image: PageImage,
    engine: &E,
    cfg: &Preprocess,
) -> Result<Vec<PageText>> {
    let Some(spread) = crate::spread::find(&image.raster, &crate::spread::SpreadParams::default())
    else {
        return Ok(vec![ocr_one(task, image, engine, cfg)?]);
    };
    let (w, h) = (image.raster.width, image.raster.height);
    let mut pages = Vec::with_capacity(2);
    let cut = spread.cut;
    for (side, (x0, x1)) in [(0, cut), (cut, w)].into_iter().enumerate() {
        let mut raster = image.raster.crop(x0, 0, x1 - x0, h);
        // The spine's shadow, in columns that hold no print, is set to
        // paper for reading: half a shadow at a page's edge moved its
        // background measures, and a faint folio was lost.
        let (g0, g1) = (
            spread.gutter.0.max(x0) - x0,
            spread.gutter.1.min(x1).saturating_sub(x0),
        );
        for row in raster.pixels.chunks_mut(raster.width as usize) {
            for p in row.iter_mut().take(g1 as usize).skip(g0 as usize) {
                *p = 255;
            }
        }
        let half = PageImage {
            raster,
            dpi: image.dpi,
        };
        let mut page = ocr_one(task, half, engine, cfg)?;
        if spread.blank[side] && page.lines.is_empty() {
            // Half the spine's shadow lies on it, which the page's ink
            // measure counts; its columns hold no edge of print.
            page.verdict = Verdict::Blank(
                "the blank facing page of a book spread: no print in its columns".into(),
            );
        }
        page.region = Some(SourceRegion {
            bbox: BBox([x0, 0, x1, h]),
            width: w,
            height: h,
        });
        pages.push(page);
    }
    let vertical = |p: &PageText| {
        p.layout
            .as_ref()
            .is_some_and(|l| l.direction == crate::page::PageDirection::Vertical)
    };
    let read: Vec<&PageText> = pages.iter().filter(|p| !p.lines.is_empty()).collect();
    if !read.is_empty() && read.iter().all(|p| vertical(p)) {
        pages.reverse();
    }
    Ok(pages)
}

/// Preprocesses and recognises one page's image, then puts the text right
/// and the boxes back into the decoded image's pixels.
fn ocr_one<E: OcrEngine + ?Sized>(
    task: &PageTask,
    image: PageImage,
    engine: &E,
    cfg: &Preprocess,
) -> Result<PageText> {
    let (width, height, dpi) = (image.raster.width, image.raster.height, image.dpi);
    let t0 = std::time::Instant::now();
    let prepared = preprocess::prepare(image, cfg);
    tracing::debug!(file = %task.file.display(), page = task.page, ms = t0.elapsed().as_millis() as u64, report = ?prepared.report, "preprocessed");
    // A tuning aid: the image exactly as the engine sees it.
    engine
        .debug()
        .image(&format!("page-{:04}.png", task.page), &prepared.raster);
    let pdpi = prepared.dpi.round() as u32;
    let ink = verdict::ink_share(&prepared.raster);
    let (pw, ph) = (prepared.raster.width, prepared.raster.height);
    let params = VerdictParams::default();
    let read = |raster: &crate::page::Raster, quarters: u8| -> Result<Reading> {
        let read = engine
            .recognize_page(raster, pdpi)
            .map_err(|m| task.error(ErrorKind::Ocr(m)))?;
        let upright: Vec<_> = read
            .lines
            .iter()
            .filter(|l| verdict::has_text(&l.text))
            .map(|l| crate::pixel::unturn_box(l.bbox, quarters, pw, ph))
            .collect();
        let lines = finish_lines(read.lines, |b| {
            prepared
                .transform
                .to_original(crate::pixel::unturn_box(b, quarters, pw, ph))
        });
        let (verdict, unread) = judge_reading(task, &prepared, ink, &lines, &upright);
        Ok(Reading {
            lines,
            layout: read.layout,
            verdict,
            unread,
            upright,
            quarters,
        })
    };
    let mut best = read(&prepared.raster, 0)?;
    if let Some(turned) =
        turned_reading(task, engine, &prepared.raster, pdpi, &params, &best, read)?
    {
        best = turned;
    }
    // Regions of ink no line was read from are read again on their own:
    // Tesseract's layout loses lines among pictures, dotted leaders and
    // photographed ground that it finds when the rest is blank.
    let horizontal = best
        .layout
        .as_ref()
        .is_none_or(|l| l.direction == crate::page::PageDirection::Horizontal);
    if horizontal && best.unread.iter().any(|u| !u.dense) {
        let t0 = std::time::Instant::now();
        let before = best.lines.len();
        gaps::reread(task, engine, &prepared, pdpi, ink, &mut best);
        tracing::info!(file = %task.file.display(), page = task.page, lines = best.lines.len() - before, ms = t0.elapsed().as_millis() as u64, verdict = best.verdict.name(), "regions with no line read, read again");
    }
    drop(prepared);
    let Reading {
        lines,
        layout,
        verdict,
        ..
    } = best;
    if verdict != Verdict::Ok {
        tracing::warn!(file = %task.file.display(), page = task.page, verdict = verdict.name(), reason = verdict.reason(), "page verdict");
    }
    Ok(PageText {
        layout,
        ..page_text(task, width, height, dpi, TextOrigin::Ocr, verdict, lines)
    })
}

/// The verdict on a reading of the `prepared` image (`ink` the share of it
/// inked; `upright` the boxes of the lines with text, in its pixels), and
/// the regions of ink no line covers. Region by region, a lost column or
/// block makes the page suspect even when the rest reads well; a page
/// already not `ok` keeps its reason, as regions are looked for only on a
/// page that reads well as a whole.
fn judge_reading(
    task: &PageTask,
    prepared: &preprocess::Prepared,
    ink: f64,
    lines: &[Line],
    upright: &[BBox],
) -> (Verdict, Vec<verdict::Unread>) {
    let params = VerdictParams::default();
    let (pw, ph) = (prepared.raster.width, prepared.raster.height);
    let verdict = verdict::judge_ocr(&params, pw, ph, prepared.dpi, ink, lines);
    if verdict != Verdict::Ok {
        return (verdict, Vec::new());
    }
    let t0 = std::time::Instant::now();
    let unread = verdict::unread_regions(&params, &prepared.raster, prepared.dpi, upright);
    tracing::debug!(file = %task.file.display(), page = task.page, ms = t0.elapsed().as_millis() as u64, ?unread, "ink with no line read");
    let verdict = verdict::with_unread(verdict, &unread, |b| prepared.transform.to_original(b));
    (verdict, unread)
}

/// A page's reading: lines (boxes in the decoded image's pixels), how it
/// was found to be set, and the verdict on it.
struct Reading {
    lines: Vec<Line>,
    layout: Option<crate::page::Layout>,
    verdict: Verdict,
    /// Regions of ink no line covers (in the prepared image's pixels),
    /// looked for when the page reads well as a whole.
    unread: Vec<verdict::Unread>,
    /// The boxes of the lines read with text, in the prepared image's
    /// pixels, upright.
    upright: Vec<BBox>,
    /// Quarter turns clockwise the image was read at.
    quarters: u8,
}

impl Reading {
    /// Characters read, and their mean confidence.
    fn measure(&self) -> (usize, f32) {
        let chars: usize = self.lines.iter().map(|l| l.text.chars().count()).sum();
        let weighted: f32 = self
            .lines
            .iter()
            .map(|l| l.confidence.get() * l.text.chars().count() as f32)
            .sum();
        (chars, weighted / chars.max(1) as f32)
    }
}

/// The page read again turned upright, when it may have been set sideways
/// or upside down and the turned reading is the better. Orientation is
/// looked for (0.2–0.6 s a page, measured in process on the real pages,
/// too dear for every page) only on a page that read suspect (upside down,
/// Tesseract finds nothing), one read unsurely (upside down, it may read
/// nonsense), one found set in columns (a sideways page's rows stand as
/// columns), or one wider than high that was not cut as a spread (gazette
/// pages stand upright; sideways rows read across as nonsense rows).
/// Upright pages read surely as rows cost nothing more.
fn turned_reading<E: OcrEngine + ?Sized>(
    task: &PageTask,
    engine: &E,
    raster: &crate::page::Raster,
    dpi: u32,
    params: &VerdictParams,
    first: &Reading,
    read: impl Fn(&crate::page::Raster, u8) -> Result<Reading>,
) -> Result<Option<Reading>> {
    let columns = first
        .layout
        .as_ref()
        .is_some_and(|l| l.direction != crate::page::PageDirection::Horizontal);
    let landscape = raster.width > raster.height;
    let unsure = first.measure().1 < params.turn_check_below;
    if !matches!(first.verdict, Verdict::Suspect(_)) && !columns && !landscape && !unsure {
        return Ok(None);
    }
    let Some(turn) = engine
        .orientation(raster, dpi)
        .map_err(|m| task.error(ErrorKind::Ocr(m)))?
        .filter(|t| t.quarters != 0 && t.confidence >= params.min_turn_confidence)
    else {
        return Ok(None);
    };
    let turned = crate::pixel::quarter_turn(raster, turn.quarters);
    let mut again = read(&turned, turn.quarters)?;
    let (n0, c0) = first.measure();
    let (n1, c1) = again.measure();
    let better = turned_is_better(
        params,
        turn.confidence,
        (&first.verdict, c0),
        (&again.verdict, n1, c1),
    );
    tracing::info!(file = %task.file.display(), page = task.page, degrees = 90 * turn.quarters as u16, osd = turn.confidence, chars = ?(n0, n1), confidence = ?(c0, c1), kept = better, "page read turned");
    if !better {
        return Ok(None);
    }
    let degrees = 90 * turn.quarters as u16;
    let note = format!(
        "turned {degrees}° clockwise to read (orientation found with confidence {:.1}; read {n1} characters at {c1:.2} against {n0} at {c0:.2} unturned)",
        turn.confidence
    );
    record_turn(&mut again.layout, degrees, note);
    Ok(Some(again))
}

/// Whether a page's reading turned (its verdict, characters read and their
/// mean confidence) is better than the unturned one (verdict, confidence),
/// the turn found with `osd` confidence: a better verdict, or as good a
/// verdict and surer characters (a sideways page read as columns can fill
/// as many characters as the upright one, but nonsense, at a lower
/// confidence), by `min_turn_gain` unless the turn is sure.
fn turned_is_better(
    params: &VerdictParams,
    osd: f32,
    (v0, c0): (&Verdict, f32),
    (v1, n1, c1): (&Verdict, usize, f32),
) -> bool {
    let rank = |v: &Verdict| match v {
        Verdict::Ok => 2,
        Verdict::Blank(_) => 1,
        _ => 0,
    };
    // A sure orientation needs only a surer reading: a real letterpress
    // page turned 90° read sideways at 0.889, upright at 0.908.
    let surer = if osd >= params.sure_turn_confidence {
        c1 > c0
    } else {
        c1 >= c0 + params.min_turn_gain
    };
    rank(v1) > rank(v0) || (rank(v1) == rank(v0) && n1 > 0 && surer)
}

/// An engine's raw lines made final: spacing and punctuation fixed, boxes
/// brought to the decoded image by `to_original`, calibrated confidence.
fn finish_lines(
    raw: Vec<crate::page::Line>,
    to_original: impl Fn(crate::page::BBox) -> crate::page::BBox,
) -> Vec<Line> {
    let mut texts: Vec<String> = raw.iter().map(|l| l.text.clone()).collect();
    // PP-OCR tells a half-width parenthesis from a full-width one by its
    // glyph; a vertical column's are told by their cells' shape (read as
    // printed by `recognize_vertical`).
    let widths_seen: Vec<bool> = raw
        .iter()
        .map(|l| l.vertical || l.engine.as_deref() == Some(crate::choose::PPOCR))
        .collect();
    textfix::fix_page_read(&mut texts, &widths_seen);
    for (t, l) in texts.iter_mut().zip(&raw) {
        if l.vertical {
            *t = textfix::vertical_forms(t);
        }
    }
    let calibration = crate::calibrate::CalibrationParams::default();
    raw.into_iter()
        .zip(texts)
        .filter(|(_, t)| !t.is_empty())
        .map(|(l, text)| Line {
            text,
            bbox: to_original(l.bbox),
            confidence: l.confidence,
            calibrated: calibration.line(l.engine.as_deref(), l.confidence),
            engine: l.engine,
            readings: l.readings,
            vertical: l.vertical,
            in_table: l.in_table,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A turned reading replaces the unturned one by a better verdict, or
    /// as good a verdict and surer characters: by `min_turn_gain` when the
    /// turn was found unsurely, by any margin when surely (the figures of
    /// the real letterpress page turned 90°).
    #[test]
    fn a_turned_reading_replaces_by_verdict_then_confidence() {
        let p = VerdictParams::default();
        let ok = Verdict::Ok;
        let suspect = Verdict::Suspect("little read".into());
        let (unsure, sure) = (p.min_turn_confidence, p.sure_turn_confidence);
        assert!(turned_is_better(
            &p,
            unsure,
            (&suspect, 0.5),
            (&ok, 100, 0.4)
        ));
        assert!(!turned_is_better(
            &p,
            sure,
            (&ok, 0.9),
            (&suspect, 100, 0.99)
        ));
        // The letterpress page: 0.889 sideways, 0.908 upright.
        assert!(turned_is_better(&p, sure, (&ok, 0.889), (&ok, 720, 0.908)));
        assert!(!turned_is_better(
            &p,
            unsure,
            (&ok, 0.889),
            (&ok, 720, 0.908)
        ));
        assert!(turned_is_better(&p, unsure, (&ok, 0.85), (&ok, 720, 0.9)));
        // Never for less sure characters, nor for none.
        assert!(!turned_is_better(&p, sure, (&ok, 0.9), (&ok, 720, 0.89)));
        assert!(!turned_is_better(&p, sure, (&ok, 0.0), (&ok, 0, 0.5)));
    }
}
