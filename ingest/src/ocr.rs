//! The OCR engine behind a trait, so the pipeline can be tested with a fake,
//! and its Tesseract implementation: one `TessBaseApi` per worker thread,
//! created on first use and reused for every later page.

use crate::page::{BBox, Line, Raster};
use std::cell::RefCell;
use std::ffi::CString;
use tesseract::plumbing::TessBaseApi;

/// Recognises the text lines of a prepared page image.
///
/// Implementations are shared by all worker threads, so they must be
/// `Sync`; per-thread state belongs in thread-locals.
pub trait OcrEngine: Sync {
    /// Lines in reading order, with boxes in the given raster's pixels and
    /// raw engine text (the caller fixes spacing and punctuation).
    fn recognize(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, String>;
    /// Recognises a raster known to hold a single line of text.
    fn recognize_line(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, String> {
        self.recognize(raster, dpi)
    }
    /// Frees the calling thread's engine state (called on every worker as a
    /// run ends, so no engine outlives its pool).
    fn release(&self) {}
    /// Engine, version and model, for provenance.
    fn describe(&self) -> String;
}

/// Tesseract with a language such as `chi_sim` or `chi_sim+eng`.
pub struct Tesseract {
    lang: String,
    datapath: Option<String>,
    psm: i32,
}

thread_local! {
    /// The calling thread's engine and the language it was loaded with.
    static API: RefCell<Option<(String, TessBaseApi)>> = const { RefCell::new(None) };
}

/// Page segmentation mode 3: fully automatic layout analysis. It finds the
/// centred titles, right-aligned signatures and footers of a gazette page
/// that mode 6 (one uniform block) merges or drops.
pub const DEFAULT_PSM: i32 = 4;

impl Tesseract {
    /// Checks that the language loads, so a missing traineddata file is one
    /// clear error at start rather than one per page.
    pub fn new(lang: &str) -> Result<Self, String> {
        let t = Self {
            lang: lang.to_string(),
            datapath: std::env::var("TESSDATA_PREFIX").ok(),
            psm: DEFAULT_PSM,
        };
        t.create_api().map(|_| t)
    }

    /// Overrides the page segmentation mode (see `tesseract --help-psm`).
    pub fn with_psm(mut self, psm: i32) -> Self {
        self.psm = psm;
        self
    }

    fn create_api(&self) -> Result<TessBaseApi, String> {
        let lang = CString::new(self.lang.clone())
            .map_err(|_| "language name contains a nul byte".to_string())?;
        let datapath = match &self.datapath {
            Some(d) => Some(
                CString::new(d.clone())
                    .map_err(|_| "TESSDATA_PREFIX contains a nul byte".to_string())?,
            ),
            None => None,
        };
        let mut api = TessBaseApi::create();
        api.init_2(datapath.as_deref(), Some(&lang)).map_err(|_| {
            format!(
                "cannot load tesseract language '{}' (is its traineddata installed, e.g. apt install tesseract-ocr-{}?)",
                self.lang,
                self.lang.split('+').next().unwrap_or("").replace('_', "-")
            )
        })?;
        // Tesseract reports a character per word otherwise; our line
        // fixer handles CJK spacing, and these keep interword gaps honest.
        let _ = api.set_variable(c"preserve_interword_spaces", c"1");
        api.set_page_seg_mode(self.psm as u32);
        Ok(api)
    }
}

impl Tesseract {
    fn run(&self, raster: &Raster, dpi: u32, psm: i32) -> Result<Vec<Line>, String> {
        API.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.as_ref().is_none_or(|(lang, _)| *lang != self.lang) {
                *slot = Some((self.lang.clone(), self.create_api()?));
            }
            let Some((_, api)) = slot.as_mut() else {
                return Err("tesseract engine missing after creation".to_string());
            };
            let (w, h) = (raster.width as i32, raster.height as i32);
            api.set_image(&raster.pixels, w, h, 1, w)
                .map_err(|e| format!("image rejected by tesseract: {e:?}"))?;
            api.set_source_resolution(dpi as i32);
            api.set_page_seg_mode(psm as u32);
            let result = api.recognize();
            api.set_page_seg_mode(self.psm as u32);
            result.map_err(|_| "tesseract recognition failed".to_string())?;
            let tsv = api
                .get_tsv_text(0)
                .map_err(|_| "tesseract returned no tsv output".to_string())?;
            let tsv = tsv.as_ref().to_string_lossy().into_owned();
            Ok(parse_tsv(&tsv))
        })
    }
}

/// Page segmentation mode 7: the image is one text line.
const PSM_SINGLE_LINE: i32 = 7;

impl OcrEngine for Tesseract {
    /// Tesseract's reading, then the second pass that mends its layout
    /// analysis on gazette pages ([`repair_lines`], [`merge_row_fragments`]).
    fn recognize(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, String> {
        let mut lines = self.run(raster, dpi, self.psm)?;
        repair_lines(self, raster, dpi as f32, &mut lines)?;
        merge_row_fragments(&mut lines);
        restore_folio_dashes(raster, &mut lines);
        Ok(lines)
    }

    fn recognize_line(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, String> {
        self.run(raster, dpi, PSM_SINGLE_LINE)
    }

    fn release(&self) {
        API.with(|cell| cell.borrow_mut().take());
    }

    fn describe(&self) -> String {
        format!(
            "tesseract {} {} psm {}",
            tesseract_version(),
            self.lang,
            self.psm
        )
    }
}

/// The linked Tesseract library's version.
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static, nul-terminated
    // string owned by the library.
    let v = unsafe { std::ffi::CStr::from_ptr(tesseract::plumbing::tesseract_sys::TessVersion()) };
    v.to_string_lossy().into_owned()
}

/// Builds lines from Tesseract's TSV (level 4 rows are lines, level 5
/// words): text is the words joined by spaces, confidence the mean of the
/// words', box the line's.
pub fn parse_tsv(tsv: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut confs: Vec<f32> = Vec::new();
    let finish = |lines: &mut Vec<Line>, confs: &mut Vec<f32>| {
        if let Some(l) = lines.last_mut() {
            if !confs.is_empty() {
                l.confidence = confs.iter().sum::<f32>() / confs.len() as f32 / 100.0;
            }
            l.text = l.text.trim().to_string();
        }
        confs.clear();
    };
    for row in tsv.lines() {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<i64>().ok();
        let (Some(level), Some(l), Some(t), Some(w), Some(h)) =
            (num(0), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        match level {
            4 => {
                finish(&mut lines, &mut confs);
                let c = |v: i64| v.max(0) as u32;
                lines.push(Line {
                    text: String::new(),
                    bbox: BBox([c(l), c(t), c(l + w), c(t + h)]),
                    confidence: 0.0,
                });
            }
            5 => {
                let text = f[11..].join("\t");
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                if let Some(line) = lines.last_mut() {
                    if !line.text.is_empty() {
                        line.text.push(' ');
                    }
                    line.text.push_str(text);
                    if let Ok(c) = f[10].trim().parse::<f32>() {
                        if c >= 0.0 {
                            confs.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    finish(&mut lines, &mut confs);
    lines.retain(|l| !l.text.is_empty());
    lines
}

/// Joins a short fragment to the line beside it on the same row: Tesseract
/// splits a contents entry from its page number, and a date from its
/// issuer's name on the same row. Only short pieces (at most six
/// characters) are joined, so the lines of a two-column page stay apart.
pub fn merge_row_fragments(lines: &mut Vec<Line>) {
    let mut i = 0;
    while i < lines.len() {
        let partner = (0..lines.len()).find(|&j| {
            if j == i {
                return false;
            }
            let (a, b) = (&lines[i], &lines[j]);
            let short = b.text.chars().filter(|c| !c.is_whitespace()).count() <= 6;
            let v = (a.bbox.y1().min(b.bbox.y1())).saturating_sub(a.bbox.y0().max(b.bbox.y0()));
            let same_row = v * 2 >= a.bbox.height().min(b.bbox.height());
            let apart = a.bbox.x1() <= b.bbox.x0() + 2 || b.bbox.x1() <= a.bbox.x0() + 2;
            short && same_row && apart
        });
        match partner {
            Some(j) => {
                let b = lines.remove(j);
                let i2 = if j < i { i - 1 } else { i };
                let a = &mut lines[i2];
                let (conf_a, conf_b) = (a.confidence, b.confidence);
                let (na, nb) = (a.text.chars().count() as f32, b.text.chars().count() as f32);
                a.text = if b.bbox.x0() >= a.bbox.x1() {
                    format!("{} {}", a.text, b.text)
                } else {
                    format!("{} {}", b.text, a.text)
                };
                a.confidence = (conf_a * na + conf_b * nb) / (na + nb).max(1.0);
                a.bbox = a.bbox.union(&b.bbox);
                i = i2;
            }
            None => i += 1,
        }
    }
}

/// Tesseract often keeps the number of a folio printed as — 12 — and drops
/// the dashes as noise. A line that is only a number, with a short flat
/// stroke of ink on each side of it on the same row, is given its dashes.
pub fn restore_folio_dashes(r: &Raster, lines: &mut [Line]) {
    let threshold = crate::preprocess::ink_threshold(r);
    let (w, h) = (r.width as i64, r.height as i64);
    for l in lines.iter_mut() {
        let t: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
        if t.is_empty() || t.len() > 4 || !t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let lh = l.bbox.height() as i64;
        let (y0, y1) = (
            (l.bbox.y0() as i64 - lh / 2).max(0),
            (l.bbox.y1() as i64 + lh / 2).min(h),
        );
        let (xa, xb) = (
            (l.bbox.x0() as i64 - 3 * lh).max(0),
            (l.bbox.x1() as i64 + 3 * lh).min(w),
        );
        // Runs of inked columns along the row, each with its ink's height.
        let mut runs: Vec<(i64, i64, i64, i64)> = Vec::new(); // x0, x1, top, bottom
        let mut gap = i64::MAX;
        for x in xa..xb {
            let ink: Vec<i64> = (y0..y1)
                .filter(|&y| r.pixels[(y * w + x) as usize] <= threshold)
                .collect();
            match (ink.first(), ink.last()) {
                (Some(&top), Some(&bottom)) => {
                    match runs.last_mut() {
                        Some(run) if gap <= 3 => {
                            run.1 = x;
                            run.2 = run.2.min(top);
                            run.3 = run.3.max(bottom);
                        }
                        _ => runs.push((x, x, top, bottom)),
                    }
                    gap = 0;
                }
                _ => gap = gap.saturating_add(1),
            }
        }
        let tallest = runs.iter().map(|r| r.3 - r.2 + 1).max().unwrap_or(0);
        let flat = |r: &(i64, i64, i64, i64)| {
            (r.3 - r.2 + 1) * 3 <= tallest && (r.1 - r.0 + 1) * 5 >= tallest * 2
        };
        if runs.len() >= 3 && flat(&runs[0]) && flat(&runs[runs.len() - 1]) {
            l.text = format!("— {t} —");
            let (first, last) = (runs[0], runs[runs.len() - 1]);
            l.bbox = l.bbox.union(&BBox([
                first.0 as u32,
                l.bbox.y0(),
                last.1 as u32 + 1,
                l.bbox.y1(),
            ]));
        }
    }
}

/// Rows of ink on a page: maximal runs of rows holding ink, allowing
/// gaps of two pixel rows, as (top, bottom exclusive).
fn ink_rows(r: &Raster, threshold: u8) -> Vec<(usize, usize)> {
    let (w, h) = (r.width as usize, r.height as usize);
    let row_ink: Vec<usize> = (0..h)
        .map(|y| {
            r.pixels[y * w..(y + 1) * w]
                .iter()
                .filter(|p| **p <= threshold)
                .count()
        })
        .collect();
    let mut bands = Vec::new();
    let mut y = 0;
    while y < h {
        if row_ink[y] < 2 {
            y += 1;
            continue;
        }
        let start = y;
        let mut end = y;
        let mut gap = 0;
        while y < h && gap <= 2 {
            if row_ink[y] >= 2 {
                end = y;
                gap = 0;
            } else {
                gap += 1;
            }
            y += 1;
        }
        bands.push((start, end + 1));
    }
    bands
}

fn overlap(l: &Line, y0: usize, y1: usize) -> usize {
    (l.bbox.y1() as usize)
        .min(y1)
        .saturating_sub((l.bbox.y0() as usize).max(y0))
}

/// Second pass over Tesseract's layout analysis, which on gazette pages
/// fails in two ways: it drops short isolated lines (page-number footers,
/// a lone 上班。), and it cuts a column of list markers (一、二、三、) off
/// from the lines they begin, reading it as one tall garbled line. Rows of
/// ink that no line covers, and rows that such a tall line spans, are
/// recognised again one row at a time as single lines.
pub fn repair_lines<E: OcrEngine + ?Sized>(
    engine: &E,
    r: &Raster,
    dpi: f32,
    lines: &mut Vec<Line>,
) -> Result<(), String> {
    let threshold = crate::preprocess::ink_threshold(r);
    let (w, h) = (r.width as usize, r.height as usize);
    let min_h = (dpi / 25.0) as usize;
    let max_h = (dpi / 2.5) as usize;
    let bands: Vec<(usize, usize)> = ink_rows(r, threshold)
        .into_iter()
        .filter(|(y0, y1)| (min_h..=max_h).contains(&(y1 - y0)))
        .collect();
    // A line spanning two or more text rows is a mis-cut column.
    let spans = |l: &Line| {
        bands
            .iter()
            .filter(|(y0, y1)| overlap(l, *y0, *y1) * 2 >= y1 - y0)
            .count()
    };
    let mut redo: Vec<(usize, usize)> = Vec::new();
    let bad: Vec<bool> = lines.iter().map(|l| spans(l) >= 2).collect();
    for &(y0, y1) in &bands {
        let bh = y1 - y0;
        let in_bad = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| *b && overlap(l, y0, y1) * 2 >= bh);
        let covered = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| !*b && overlap(l, y0, y1) * 10 >= bh * 4);
        if in_bad || !covered {
            redo.push((y0, y1));
        }
    }
    if redo.len() > 40 {
        // Not a page of text rows (a picture, a table of boxes): leave
        // Tesseract's reading alone rather than spend minutes on it.
        return Ok(());
    }
    // Drop the tall lines, and any line of a row that is read again.
    let mut kept: Vec<Line> = Vec::with_capacity(lines.len());
    for (l, b) in lines.drain(..).zip(bad) {
        let centre = (l.bbox.y0() + l.bbox.y1()) as usize / 2;
        if !b && !redo.iter().any(|(y0, y1)| (*y0..*y1).contains(&centre)) {
            kept.push(l);
        }
    }
    *lines = kept;
    for (y0, y1) in redo {
        let bh = y1 - y0;
        let cols: Vec<usize> = (0..w)
            .filter(|&x| (y0..y1).any(|yy| r.pixels[yy * w + x] <= threshold))
            .collect();
        let (Some(&x0), Some(&x1)) = (cols.first(), cols.last()) else {
            continue;
        };
        let ink: usize = (y0..y1)
            .map(|yy| {
                r.pixels[yy * w + x0..=yy * w + x1]
                    .iter()
                    .filter(|p| **p <= threshold)
                    .count()
            })
            .sum();
        // Text is dense ink; a slanted rule or a lone mark is not.
        if x1 - x0 < bh / 2 || ink * 20 < (x1 - x0 + 1) * bh {
            continue;
        }
        let pad = bh / 2 + 2;
        let (cx0, cy0) = (x0.saturating_sub(pad), y0.saturating_sub(pad));
        let (cx1, cy1) = ((x1 + pad + 1).min(w), (y1 + pad).min(h));
        let crop = r.crop(
            cx0 as u32,
            cy0 as u32,
            (cx1 - cx0) as u32,
            (cy1 - cy0) as u32,
        );
        let found = engine.recognize_line(&crop, dpi.round() as u32)?;
        for mut l in found {
            if l.text.trim().is_empty() || l.confidence < 0.5 {
                continue;
            }
            let b = l.bbox.0;
            l.bbox = BBox([
                b[0] + cx0 as u32,
                b[1] + cy0 as u32,
                b[2] + cx0 as u32,
                b[3] + cy0 as u32,
            ]);
            let at = lines
                .iter()
                .position(|o| {
                    o.bbox.y0() > l.bbox.y0()
                        && overlap(o, l.bbox.y0() as usize, l.bbox.y1() as usize) == 0
                })
                .unwrap_or(lines.len());
            lines.insert(at, l);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, b: [u32; 4]) -> Line {
        Line {
            text: text.into(),
            bbox: BBox(b),
            confidence: 0.9,
        }
    }

    #[test]
    fn fragments_on_a_row_join() {
        let mut v = vec![
            line(
                "国务院办公厅关于2019年部分节假日安排的通知",
                [330, 461, 1269, 516],
            ),
            line("(2)", [2112, 487, 2162, 531]),
            line("下一行", [330, 560, 900, 600]),
        ];
        merge_row_fragments(&mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].text, "国务院办公厅关于2019年部分节假日安排的通知 (2)");
        assert_eq!(v[0].bbox, BBox([330, 461, 2162, 531]));
        let mut two_columns = vec![
            line("左栏的一行相当长的文字内容", [100, 100, 1000, 140]),
            line("右栏的一行相当长的文字内容", [1100, 100, 2000, 140]),
        ];
        merge_row_fragments(&mut two_columns);
        assert_eq!(two_columns.len(), 2);
    }

    #[test]
    fn tsv_lines_and_confidences() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
4\t1\t1\t1\t1\t0\t100\t200\t500\t40\t-1\t\n\
5\t1\t1\t1\t1\t1\t100\t200\t200\t40\t90\t云南\n\
5\t1\t1\t1\t1\t2\t300\t200\t300\t40\t80\t省\n\
4\t1\t1\t1\t2\t0\t100\t260\t500\t40\t-1\t\n\
5\t1\t1\t1\t2\t1\t100\t260\t500\t40\t-1\t \n";
        let lines = parse_tsv(tsv);
        assert_eq!(lines.len(), 1, "a line with no words is dropped");
        assert_eq!(lines[0].text, "云南 省");
        assert_eq!(lines[0].bbox, BBox([100, 200, 600, 240]));
        assert!((lines[0].confidence - 0.85).abs() < 1e-6);
    }
}
