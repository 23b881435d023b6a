//! Shared test helpers: fixture paths, a fake OCR engine, running the
//! pipeline into a list of events, and character error rate.

use ingest::pipeline::{self, Event, Options};
use ingest::{source, BBox, Confidence, Line, OcrEngine, OcrError, PageText, Preprocess, Raster};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// A fake engine: reports each raster it is given as one line (size and a
/// hash of the pixels), and can be told to be slow, fail or panic.
#[derive(Default)]
pub struct Fake {
    pub delay_ms: u64,
    /// Panic on rasters of this width.
    pub panic_width: Option<u32>,
    /// Fail on rasters of this width.
    pub fail_width: Option<u32>,
    /// Read nothing at all (as an engine does on print it cannot read).
    pub silent: bool,
    /// Report its line over the raster's left half only, as an engine
    /// that lost a page's right column.
    pub left_half: bool,
    /// Report this text instead of the raster's size and hash (enough of
    /// it to account for a page's ink).
    pub text: Option<String>,
    /// Report its line over the raster's ink (dark pixels) only, as an
    /// engine that finds the one line printed there.
    pub ink_box: bool,
    /// From its second call on, report its line over the raster's ink, as
    /// an engine that finds lines on their own it lost on the whole page.
    pub ink_box_after_first: bool,
    /// Name this recogniser on its line.
    pub engine: Option<String>,
    /// Report this confidence instead of certainty.
    pub confidence: Option<Confidence>,
    pub rasters: Mutex<HashMap<String, Raster>>,
    pub running: AtomicUsize,
    pub max_running: AtomicUsize,
    pub calls: AtomicUsize,
}

/// The box of a raster's dark pixels, if any.
fn ink_box(r: &Raster) -> Option<BBox> {
    let mut b: Option<[u32; 4]> = None;
    for (i, &p) in r.pixels.iter().enumerate() {
        if p < 128 {
            let (x, y) = ((i % r.width as usize) as u32, (i / r.width as usize) as u32);
            let e = b.get_or_insert([x, y, x + 1, y + 1]);
            *e = [e[0].min(x), e[1].min(y), e[2].max(x + 1), e[3].max(y + 1)];
        }
    }
    b.map(BBox)
}

pub fn digest(r: &Raster) -> String {
    // FNV-1a: enough to tell rasters apart in a test.
    let mut h: u64 = 0xcbf29ce484222325;
    for &p in &r.pixels {
        h ^= p as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{}x{}:{h:016x}", r.width, r.height)
}

impl OcrEngine for Fake {
    fn recognize(&self, raster: &Raster, _dpi: u32) -> Result<Vec<Line>, OcrError> {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_running.fetch_max(now, Ordering::SeqCst);
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.delay_ms > 0 {
            // Uneven delays make pages finish out of order.
            std::thread::sleep(Duration::from_millis(
                self.delay_ms * (1 + (n as u64 * 7) % 4),
            ));
        }
        self.running.fetch_sub(1, Ordering::SeqCst);
        if Some(raster.width) == self.panic_width {
            panic!("fake engine told to panic");
        }
        if Some(raster.width) == self.fail_width {
            return Err(OcrError::Engine("fake engine told to fail".into()));
        }
        if self.silent {
            return Ok(Vec::new());
        }
        let d = digest(raster);
        self.rasters
            .lock()
            .unwrap()
            .insert(d.clone(), raster.clone());
        let bbox = if self.ink_box || (self.ink_box_after_first && n > 0) {
            match ink_box(raster) {
                Some(b) => b,
                None => return Ok(Vec::new()),
            }
        } else {
            BBox([
                0,
                0,
                if self.left_half {
                    raster.width / 2
                } else {
                    raster.width
                },
                raster.height,
            ])
        };
        Ok(vec![Line {
            text: self.text.clone().unwrap_or(d),
            bbox,
            confidence: self.confidence.unwrap_or(Confidence::CERTAIN),
            engine: self.engine.clone(),
            ..Default::default()
        }])
    }

    fn describe(&self) -> String {
        "fake".into()
    }
}

/// Runs the pipeline over `paths` with no preprocessing, so the engine sees
/// rasters exactly as decoded.
pub fn run(paths: &[PathBuf], engine: &Fake, jobs: usize) -> Vec<Event> {
    let (issues, errors) = source::discover(paths);
    assert!(errors.is_empty(), "{errors:?}");
    let opts = Options {
        jobs,
        preprocess: Preprocess::none(),
        keep_images: false,
    };
    let mut events = Vec::new();
    pipeline::run(&issues, engine, &opts, |e| events.push(e)).unwrap();
    events
}

/// The `gazette` binary, with Tesseract's threading off as the Makefile has it.
pub fn gazette() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
    c.env("OMP_THREAD_LIMIT", "1");
    c
}

/// Runs `gazette ARGS PATH`, which must succeed, and returns its standard
/// output.
pub fn stdout_of(args: &[&str], path: &Path) -> String {
    let out = gazette().args(args).arg(path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Output of one JSON object per line, parsed.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The pages read from `path` (with the fake engine: for text-layer PDFs).
pub fn read_pages(path: &std::path::Path) -> Vec<PageText> {
    run(&[path.to_path_buf()], &Fake::default(), 2)
        .into_iter()
        .flat_map(|e| match e {
            Event::Issue(i) => i.pages.into_iter().filter_map(|p| p.read.ok()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Every page read in a run, in order.
pub fn page_texts(events: &[Event]) -> Vec<&PageText> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::Issue(i) => i.read_pages(),
            _ => Vec::new(),
        })
        .collect()
}

/// The pages of a run, as (file name, page, first line text).
pub fn pages(events: &[Event]) -> Vec<(String, usize, String)> {
    page_texts(events)
        .into_iter()
        .map(|p| {
            (
                p.source.file_name().unwrap().to_string_lossy().into_owned(),
                p.page,
                p.lines.first().map(|l| l.text.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Every failure of a run: pages that could not be read and sources that
/// could not be opened.
pub fn failures(events: &[Event]) -> Vec<&ingest::Error> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::Issue(i) => i.failures().collect(),
            Event::Unreadable(f) => vec![f],
            _ => Vec::new(),
        })
        .collect()
}

/// Writes a one-page A4 PDF whose page has the resources `resources`
/// (given the document, to add their objects to) and the content stream
/// `content`.
pub fn one_page_pdf(
    path: &Path,
    resources: impl FnOnce(&mut lopdf::Document) -> lopdf::Dictionary,
    content: &[u8],
) {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let resources = resources(&mut doc);
    let content = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => resources,
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

/// Writes a one-page A4 PDF that draws one image XObject (`image`, its
/// dictionary and data) as `Im0` with the content stream `content`.
pub fn one_image_pdf(path: &Path, image: lopdf::Stream, content: &[u8]) {
    one_page_pdf(
        path,
        |doc| {
            let image = doc.add_object(image);
            lopdf::dictionary! { "XObject" => lopdf::dictionary! { "Im0" => image } }
        },
        content,
    );
}

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the child when dropped, so a failing test leaves nothing running.
pub struct Running(pub std::process::Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (at most 30 s) until `url` answers.
pub fn wait_for(url: &str) {
    let t = std::time::Instant::now();
    while ureq::get(url).call().is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "{url} did not come up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `gazette serve` on a free loopback port over `archive`: the server (shut
/// down when dropped) and its base URL.
pub fn serve(archive: &Path) -> (Running, String) {
    serve_with(archive, &[])
}

/// As [`serve`], with more arguments to `gazette serve`.
pub fn serve_with(archive: &Path, extra: &[&str]) -> (Running, String) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = gazette()
        .args(["serve", "--archive"])
        .arg(archive)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    wait_for(&format!("{base}/healthz"));
    (running, base)
}

/// GET `url`, expecting 200, as JSON.
pub fn get_json(url: &str) -> serde_json::Value {
    let mut r = ureq::get(url)
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    r.body_mut().read_json().unwrap()
}

/// GET `url`, expecting 200, as text.
pub fn get_text(url: &str) -> String {
    let mut r = ureq::get(url)
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    r.body_mut().read_to_string().unwrap()
}

/// Strict character error rate, whitespace ignored (as ../shared/tools/cer.py --strict).
pub fn cer(truth: &str, ocr: &str) -> f64 {
    let t: Vec<char> = truth.chars().filter(|c| !c.is_whitespace()).collect();
    let o: Vec<char> = ocr.chars().filter(|c| !c.is_whitespace()).collect();
    let mut prev: Vec<usize> = (0..=o.len()).collect();
    let mut cur = vec![0; o.len() + 1];
    for i in 1..=t.len() {
        cur[0] = i;
        for j in 1..=o.len() {
            let sub = prev[j - 1] + usize::from(t[i - 1] != o[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[o.len()] as f64 / t.len().max(1) as f64
}

#[test]
fn cer_counts_edits() {
    assert_eq!(cer("云南省", "云南省"), 0.0);
    assert!((cer("云南省人", "云 南 市人") - 0.25).abs() < 1e-9);
    assert_eq!(cer("abc", ""), 1.0);
}

/// The fixture `name` ingested into a new archive (kept while the
/// directory lives).
pub fn ingested(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("archive");
    stdout_of(
        &[
            "ingest",
            "--code",
            "ynzb",
            "--archive",
            arc.to_str().unwrap(),
        ],
        &data(name),
    );
    (tmp, arc)
}

/// GET `url`, expecting 200, as bytes.
pub fn get_bytes(url: &str) -> Vec<u8> {
    let mut r = ureq::get(url)
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    r.body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap()
}

/// Runs `gazette ARGS`, expecting success: its standard output and error.
pub fn gazette_ok(args: &[&str]) -> (String, String) {
    let out = gazette().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "gazette {args:?}: {err}");
    (String::from_utf8(out.stdout).unwrap(), err)
}

/// A path as an argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}
