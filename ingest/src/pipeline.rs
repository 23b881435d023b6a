//! The reading pipeline: every page of every issue, decoded, preprocessed
//! and recognised (or read from a PDF's text layer) in parallel on a rayon
//! pool, delivered in input order, with a bounded number of pages in memory.

use crate::error::{Error, ErrorKind, Result};
use crate::ocr::OcrEngine;
use crate::page::{Line, PageImage, PageText, TextOrigin};
use crate::preprocess::{self, Preprocess};
use crate::source::{self, IssueSource, PageRef, PageTask};
use crate::{pdf, raster, textfix, textlayer};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc;

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

/// What the pipeline reports, in input order.
#[derive(Debug)]
pub enum Event {
    /// An issue was opened and has this many pages.
    Issue { path: PathBuf, pages: usize },
    /// A page was read.
    Page(Box<PageText>),
    /// A page, or a whole issue, could not be read.
    Failed(Error),
}

enum Item {
    Ready(Event),
    Task(PageTask),
}

/// Reads every page of `issues`, calling `sink` with events in input order
/// (issue by issue, page by page) while pages are processed in parallel
/// across all issues. At most `2 × jobs + 2` pages are decoded or waiting
/// at any time.
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
/// their events are dropped.
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
            Ok(tasks) => std::iter::once(Item::Ready(Event::Issue {
                path: src.path.clone(),
                pages: tasks.len(),
            }))
            .chain(tasks.into_iter().map(Item::Task))
            .collect(),
            Err(e) => vec![Item::Ready(Event::Failed(e))],
        }
    });
    let (tx, rx) = mpsc::channel::<(usize, Event)>();
    pool.in_place_scope(|scope| {
        let mut pending: BTreeMap<usize, Event> = BTreeMap::new();
        let (mut next, mut emit, mut in_flight, mut exhausted) = (0usize, 0usize, 0usize, false);
        let mut stopped = false;
        loop {
            while in_flight < window && !exhausted {
                match items.next() {
                    Some(Item::Ready(ev)) => {
                        pending.insert(next, ev);
                        next += 1;
                    }
                    Some(Item::Task(task)) => {
                        let seq = next;
                        next += 1;
                        in_flight += 1;
                        let tx = tx.clone();
                        scope.spawn(move |_| {
                            let ev = match std::panic::catch_unwind(AssertUnwindSafe(|| {
                                let mut page = read_page(&task, engine, cfg)?;
                                if keep {
                                    match crate::keep::keep_image(&task, page.origin) {
                                        Ok(img) => page.image = Some(img),
                                        Err(k) => page.image_error = Some(k.to_string()),
                                    }
                                }
                                Ok(page)
                            })) {
                                Ok(Ok(p)) => Event::Page(Box::new(p)),
                                Ok(Err(e)) => Event::Failed(e),
                                Err(panic) => Event::Failed(
                                    task.error(ErrorKind::Panic(panic_message(&panic))),
                                ),
                            };
                            // The receiver lives until every spawned task has
                            // reported, so a send cannot fail here.
                            let _ = tx.send((seq, ev));
                        });
                    }
                    None => exhausted = true,
                }
            }
            while !stopped {
                let Some(ev) = pending.remove(&emit) else {
                    break;
                };
                emit += 1;
                if sink(ev).is_break() {
                    stopped = true;
                    exhausted = true;
                }
            }
            if in_flight == 0 {
                if exhausted {
                    break;
                }
                continue;
            }
            match rx.recv() {
                Ok((seq, ev)) => {
                    in_flight -= 1;
                    pending.insert(seq, ev);
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

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Reads one page: from the text layer of a born-digital PDF page when it
/// has usable text, otherwise by OCR of its image.
pub fn read_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    engine: &E,
    cfg: &Preprocess,
) -> Result<PageText> {
    match &task.what {
        PageRef::Frame(frame) => {
            let bytes = std::fs::read(&task.file).map_err(|e| task.error(e.into()))?;
            let image = raster::decode(&bytes, *frame).map_err(|k| task.error(k))?;
            drop(bytes);
            ocr_page(task, image, engine, cfg)
        }
        PageRef::Pdf(file, index) => {
            let id = file.pages[*index];
            let text = textlayer::extract(&file.doc, id);
            if let Ok(t) = &text {
                if t.is_usable() {
                    return Ok(page_text(
                        task,
                        t.width,
                        t.height,
                        Some(textlayer::TEXT_LAYER_DPI),
                        TextOrigin::TextLayer,
                        t.lines.clone(),
                    ));
                }
            }
            match pdf::page_image(&file.doc, id).map_err(|k| task.error(k))? {
                Some(image) => ocr_page(task, image, engine, cfg),
                None => match text {
                    // Text we could not fully decode is still better than
                    // nothing on a page with no image to recognise.
                    Ok(t) => Ok(page_text(
                        task,
                        t.width,
                        t.height,
                        Some(textlayer::TEXT_LAYER_DPI),
                        TextOrigin::TextLayer,
                        t.lines,
                    )),
                    Err(k) => Err(task.error(k)),
                },
            }
        }
    }
}

fn page_text(
    task: &PageTask,
    width: u32,
    height: u32,
    dpi: Option<f32>,
    origin: TextOrigin,
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
        lines,
        image: None,
        image_error: None,
    }
}

/// Preprocesses and recognises a page image, then puts the text right and
/// the boxes back into the decoded image's pixels.
pub fn ocr_page<E: OcrEngine + ?Sized>(
    task: &PageTask,
    image: PageImage,
    engine: &E,
    cfg: &Preprocess,
) -> Result<PageText> {
    let (width, height, dpi) = (image.raster.width, image.raster.height, image.dpi);
    let t0 = std::time::Instant::now();
    let prepared = preprocess::prepare(image, cfg);
    tracing::debug!(file = %task.file.display(), page = task.page, ms = t0.elapsed().as_millis() as u64, report = ?prepared.report, "preprocessed");
    if let Some(dir) = std::env::var_os("GAZETTE_DEBUG_DIR") {
        // A tuning aid: the image exactly as the engine sees it.
        let path = std::path::Path::new(&dir).join(format!("page-{:04}.png", task.page));
        if let Some(img) = image::GrayImage::from_raw(
            prepared.raster.width,
            prepared.raster.height,
            prepared.raster.pixels.clone(),
        ) {
            let _ = img.save(path);
        }
    }
    let raw = engine
        .recognize(&prepared.raster, prepared.dpi.round() as u32)
        .map_err(|m| task.error(ErrorKind::Ocr(m)))?;
    drop(prepared.raster);
    let mut texts: Vec<String> = raw.iter().map(|l| l.text.clone()).collect();
    textfix::fix_page(&mut texts);
    let lines = raw
        .into_iter()
        .zip(texts)
        .filter(|(_, t)| !t.is_empty())
        .map(|(l, text)| Line {
            text,
            bbox: prepared.transform.to_original(l.bbox),
            confidence: l.confidence,
        })
        .collect();
    Ok(page_text(task, width, height, dpi, TextOrigin::Ocr, lines))
}
