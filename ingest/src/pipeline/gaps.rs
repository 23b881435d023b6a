//! Regions of ink no line was read from, read again on their own. On a
//! page read by OCR, Tesseract's layout loses lines among pictures, dotted
//! leaders and photographed ground that it finds when the rest is blank. A
//! born-digital page's text layer is checked against the page's ink, and
//! where it leaves print unread (labels drawn inside a picture, a scanned
//! insert or letterhead beside typeset text) the page is rendered at the
//! layer's resolution and those regions read by OCR. Either way everything
//! but the regions is blanked, the lines found there are put among the
//! others by where they stand, and each keeps its recogniser
//! (`Line::engine`), so no one takes it for the layer's text. A line the
//! recogniser is unsure of is left out and its region stays unread, so the
//! page stays suspect, naming it, rather than carrying a guess.

use super::{finish_lines, judge_reading, ocr_one, PageTask, Reading, Result};
use crate::compose;
use crate::ocr::OcrEngine;
use crate::page::{BBox, Line, PageImage, PageText, Raster, Verdict};
use crate::preprocess;
use crate::preprocess::Preprocess;
use crate::textlayer::{self, TEXT_LAYER_DPI};
use crate::verdict::{self, Unread, VerdictParams};

/// The verdict on a page read from its text layer, against the page
/// rendered at `dpi`: the ink as a whole, then region by region, so that
/// print drawn as a picture beside the layer's text is not silently left
/// out. Dark areas (photographs, logos) are pictures a layer never holds.
/// Also the regions left unread (at `dpi`), for OCR to read.
pub(super) fn text_layer_verdict(
    render: &Raster,
    dpi: f32,
    lines: &[Line],
) -> (Verdict, Vec<verdict::Unread>) {
    let params = VerdictParams::default();
    let scale = dpi / textlayer::TEXT_LAYER_DPI;
    let at = |b: BBox, k: f32| BBox(b.0.map(|v| (v as f32 * k).round() as u32));
    let boxes: Vec<_> = lines
        .iter()
        .filter(|l| verdict::has_text(&l.text))
        .map(|l| at(l.bbox, scale))
        .collect();
    let whole = verdict::judge_text_layer(verdict::judge_ocr(
        &params,
        render.width,
        render.height,
        dpi,
        verdict::ink_share(render),
        lines,
    ));
    if whole != Verdict::Ok {
        return (whole, Vec::new());
    }
    let unread: Vec<_> = verdict::unread_regions(&params, render, dpi, &boxes)
        .into_iter()
        .filter(|u| !u.dense)
        .collect();
    (
        verdict::with_unread(whole, &unread, |b| at(b, 1.0 / scale)),
        unread,
    )
}

/// Reads by OCR the regions a text-layer page leaves unread,
/// puts the lines found among the layer's and judges the page again: ok
/// when nothing is left unread, suspect naming what still is. When the
/// page cannot be rendered or read, the layer stays as it was, with its
/// verdict naming the regions.
pub(super) fn read_layer_gaps<E: OcrEngine + ?Sized>(
    task: &PageTask,
    pdf: &hayro::hayro_syntax::Pdf,
    index: usize,
    gaps: &Gaps,
    engine: &E,
    cfg: &Preprocess,
    page: &mut PageText,
) {
    let Gaps { check, dpi, unread } = *gaps;
    let t0 = std::time::Instant::now();
    let render = match compose::render(pdf, index, textlayer::TEXT_LAYER_DPI) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(file = %task.file.display(), page = task.page, error = %e, "regions a text layer leaves unread: page not rendered for OCR");
            return;
        }
    };
    let p = GapParams::default();
    let found = match read(task, &render, gaps, &page.lines, engine, cfg, &p) {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(file = %task.file.display(), page = task.page, error = %e, "regions a text layer leaves unread: OCR failed");
            return;
        }
    };
    tracing::info!(file = %task.file.display(), page = task.page, regions = unread.len(), lines = found.len(), ms = t0.elapsed().as_millis() as u64, "read by OCR where the text layer leaves print unread");
    if found.is_empty() {
        return;
    }
    let lines = merge(&page.lines, found);
    page.verdict = text_layer_verdict(check, dpi, &lines).0;
    page.lines = lines;
}

/// What the check of a text layer left unread: the regions (at `dpi`) of
/// the page rendered at `dpi` (`check`).
#[derive(Clone, Copy)]
pub(super) struct Gaps<'a> {
    pub check: &'a Raster,
    pub dpi: f32,
    pub unread: &'a [verdict::Unread],
}

/// Reads again, on their own, the regions of `best` that hold ink no line
/// was read from (the rest of the prepared image blanked, turned as `best`
/// was read), keeps the lines found there that [`GapParams::takes`], puts
/// them among the page's lines by where they stand, and judges the page
/// again. An engine's failure here leaves the reading as it was.
pub(super) fn reread<E: OcrEngine + ?Sized>(
    task: &PageTask,
    engine: &E,
    prepared: &preprocess::Prepared,
    pdpi: u32,
    ink: f64,
    best: &mut Reading,
) {
    let p = GapParams::default();
    let (pw, ph) = (prepared.raster.width, prepared.raster.height);
    let margin = (p.margin_inch * prepared.dpi).round() as u32;
    let text: Vec<_> = best.unread.iter().filter(|u| !u.dense).cloned().collect();
    let regions = grow(&text, 1.0, margin, &prepared.raster);
    let masked = only_inside(&prepared.raster, &regions);
    let q = best.quarters;
    let masked = if q == 0 {
        masked
    } else {
        crate::pixel::quarter_turn(&masked, q)
    };
    let again = match engine.recognize_page(&masked, pdpi) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(file = %task.file.display(), page = task.page, error = %e, "regions with no line read: reading again failed");
            return;
        }
    };
    let calibration = crate::calibrate::CalibrationParams::default();
    let found: Vec<_> = again
        .lines
        .into_iter()
        .filter(|l| verdict::has_text(&l.text))
        .map(|mut l| {
            l.bbox = crate::pixel::unturn_box(l.bbox, q, pw, ph);
            l
        })
        .filter(|l| {
            let sure = calibration
                .line(l.engine.as_deref(), l.confidence)
                .unwrap_or(l.confidence)
                .get();
            p.takes(l.bbox, sure, &regions, &best.upright)
        })
        .collect();
    if found.is_empty() {
        return;
    }
    let mut upright = best.upright.clone();
    upright.extend(found.iter().map(|l| l.bbox));
    let found = finish_lines(found, |b| prepared.transform.to_original(b));
    for l in &found {
        tracing::debug!(file = %task.file.display(), page = task.page, text = %l.text, bbox = ?l.bbox, "line found on reading a region again");
    }
    let lines = merge(&best.lines, found);
    let (verdict, unread) = judge_reading(task, prepared, ink, &lines, &upright);
    *best = Reading {
        lines,
        layout: best.layout.take(),
        verdict,
        unread,
        upright,
        quarters: q,
    };
}

/// How the regions a reading or a text layer leaves unread are read again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapParams {
    /// Paper kept around each region (inches), so that a line whose ink
    /// only partly made the region (its box is cut at a cell's edge) is
    /// read whole: half a line of body type at 300 dpi, about 30 px.
    pub margin_inch: f32,
    /// The share of a line's box that must lie inside a region for the line
    /// to be taken: a line mostly elsewhere is the layer's or a fragment.
    pub min_inside: f32,
    /// The share of a line's box that may lie over the lines already read
    /// (the layer's, or the first reading's): beyond it the line reads
    /// print already held.
    pub max_over_read: f32,
    /// The least probability of being read exactly right (calibrated, or
    /// the engine's confidence where there is no calibration) for a line to
    /// be taken: the floor of the calibration's lowest bin
    /// (`calibrate.rs`: Tesseract's lines below 0.88 raw confidence, right
    /// about one in ten). Below it a reading is likelier texture than print
    /// (a seal's rim, a photograph's grain); such a line leaves its region
    /// unread, which the verdict then names. Not tuned on these regions.
    /// (Exactly right is a strict measure: a clean line of ten characters
    /// read correctly scored 0.46.)
    pub min_probability: f32,
}

impl Default for GapParams {
    fn default() -> Self {
        Self {
            margin_inch: 0.1,
            min_inside: 0.5,
            max_over_read: 0.5,
            min_probability: 0.1,
        }
    }
}

/// The lines OCR reads in the regions `gaps` names of `render`
/// (the page at [`TEXT_LAYER_DPI`], the layer's pixels), not already held
/// by `layer`. An engine's failure is the page's error to record, not a
/// reason to lose the layer: the caller keeps the layer then.
pub(super) fn read<E: OcrEngine + ?Sized>(
    task: &PageTask,
    render: &Raster,
    gaps: &Gaps,
    layer: &[Line],
    engine: &E,
    cfg: &Preprocess,
    p: &GapParams,
) -> Result<Vec<Line>> {
    let margin = (p.margin_inch * TEXT_LAYER_DPI).round() as u32;
    let grown = grow(gaps.unread, TEXT_LAYER_DPI / gaps.dpi, margin, render);
    let masked = only_inside(render, &grown);
    let image = PageImage {
        raster: masked,
        dpi: Some(TEXT_LAYER_DPI),
    };
    let read = ocr_one(task, image, engine, cfg)?;
    let layer_boxes: Vec<BBox> = layer
        .iter()
        .filter(|l| verdict::has_text(&l.text))
        .map(|l| l.bbox)
        .collect();
    Ok(read
        .lines
        .into_iter()
        .filter(|l| verdict::has_text(&l.text))
        .filter(|l| {
            let sure = l.calibrated.unwrap_or(l.confidence).get();
            let keep = p.takes(l.bbox, sure, &grown, &layer_boxes);
            if !keep {
                tracing::debug!(file = %task.file.display(), page = task.page, text = %l.text, bbox = ?l.bbox, sure, "line read where a text layer does not reach, left out");
            }
            keep
        })
        .collect())
}

/// `lines` with `found` among them, each found line placed by its
/// neighbours in its own column (lines whose boxes overlap it across): after
/// the nearest such line above it, else before the first such line below
/// it, else at the end. Found lines are placed in the order read, so a
/// region's lines stay together and in order. A letterhead drawn as a
/// picture comes first, a figure's labels after the text above them, a
/// lost column's lines after that column's last line read.
pub(super) fn merge(lines: &[Line], found: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = lines.to_vec();
    let centre = |b: BBox| b.0[1] + b.0[3];
    let across = |a: BBox, b: BBox| a.0[0] < b.0[2] && b.0[0] < a.0[2];
    for f in found {
        let c = centre(f.bbox);
        let above = out
            .iter()
            .enumerate()
            .filter(|(_, l)| across(l.bbox, f.bbox) && centre(l.bbox) <= c)
            .max_by_key(|(i, l)| (centre(l.bbox), *i))
            .map(|(i, _)| i + 1);
        let below = || {
            out.iter()
                .position(|l| across(l.bbox, f.bbox) && centre(l.bbox) > c)
        };
        let at = above.or_else(below).unwrap_or(out.len());
        out.insert(at, f);
    }
    out
}

impl GapParams {
    /// Whether a line read again at `bbox`, right with probability `sure`,
    /// is taken: inside the `regions` read again, not over the lines
    /// already `read`, and not below the floor.
    pub(super) fn takes(&self, bbox: BBox, sure: f32, regions: &[BBox], read: &[BBox]) -> bool {
        let area = area(bbox).max(1) as f32;
        let inside: u64 = regions.iter().map(|g| overlap(bbox, *g)).sum();
        let over: u64 = read.iter().map(|b| overlap(bbox, *b)).sum();
        inside as f32 >= self.min_inside * area
            && (over as f32) <= self.max_over_read * area
            && sure >= self.min_probability
    }
}

/// The unread regions' boxes, scaled by `scale`, grown by `margin` pixels
/// and kept inside `r`.
pub(super) fn grow(unread: &[Unread], scale: f32, margin: u32, r: &Raster) -> Vec<BBox> {
    unread
        .iter()
        .map(|u| {
            BBox(u.bbox.0.map(|v| (v as f32 * scale).round() as u32))
                .grown(margin, r.width, r.height)
        })
        .collect()
}

/// A white raster of `r`'s size holding `r`'s pixels inside `boxes` only.
pub(super) fn only_inside(r: &Raster, boxes: &[BBox]) -> Raster {
    let mut out = Raster::blank(r.width, r.height);
    let w = r.width as usize;
    for b in boxes {
        let [x0, y0, x1, y1] = b.0.map(|v| v as usize);
        for y in y0..y1.min(r.height as usize) {
            let row = y * w;
            let (a, z) = (row + x0.min(w), row + x1.min(w));
            out.pixels[a..z].copy_from_slice(&r.pixels[a..z]);
        }
    }
    out
}

fn area(b: BBox) -> u64 {
    b.width() as u64 * b.height() as u64
}

fn overlap(a: BBox, b: BBox) -> u64 {
    let x = a.0[2].min(b.0[2]).saturating_sub(a.0[0].max(b.0[0]));
    let y = a.0[3].min(b.0[3]).saturating_sub(a.0[1].max(b.0[1]));
    x as u64 * y as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: u32) -> Line {
        Line {
            text: text.into(),
            bbox: BBox([0, y, 100, y + 10]),
            ..Default::default()
        }
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// Found lines go after the nearest line above them in their column, in
    /// the order read; above every line, first; below every line, last.
    #[test]
    fn found_lines_go_where_they_stand() {
        let layer = [line("a", 100), line("b", 200), line("c", 300)];
        let found = vec![
            line("head", 10),
            line("fig1", 250),
            line("fig2", 260),
            line("foot", 900),
        ];
        assert_eq!(
            texts(&merge(&layer, found)),
            ["head", "a", "b", "fig1", "fig2", "c", "foot"]
        );
        assert_eq!(texts(&merge(&layer, vec![])), ["a", "b", "c"]);
        assert_eq!(texts(&merge(&[], vec![line("x", 5)])), ["x"]);
    }

    /// On a page of two columns, a line lost in either column goes into
    /// that column, not among the other's lines at its height.
    #[test]
    fn found_lines_stay_in_their_column() {
        let at = |text: &str, x: u32, y: u32| Line {
            bbox: BBox([x, y, x + 100, y + 10]),
            ..line(text, 0)
        };
        let lines = [
            at("l1", 0, 100),
            at("l2", 0, 200),
            at("l3", 0, 300),
            at("r1", 200, 100),
            at("r2", 200, 200),
        ];
        let found = vec![at("r3", 200, 300), at("l2b", 0, 250), at("r0", 200, 20)];
        assert_eq!(
            texts(&merge(&lines, found)),
            ["l1", "l2", "l2b", "l3", "r0", "r1", "r2", "r3"]
        );
    }

    /// A line read again is taken only inside the regions, off the lines
    /// already read, and at or above the floor.
    #[test]
    fn a_line_read_again_is_taken_by_where_it_is_and_how_sure() {
        let p = GapParams::default();
        let region = [BBox([100, 100, 300, 200])];
        let read = [BBox([0, 0, 100, 100])];
        let inside = BBox([110, 110, 290, 130]);
        assert!(p.takes(inside, 0.5, &region, &read));
        // Sure enough only at the floor.
        assert!(p.takes(inside, p.min_probability, &region, &read));
        assert!(!p.takes(inside, p.min_probability - 0.01, &region, &read));
        // Mostly outside the region.
        assert!(!p.takes(BBox([250, 110, 450, 130]), 0.9, &region, &read));
        // Mostly over a line already read.
        let over = [BBox([100, 100, 300, 200])];
        assert!(!p.takes(inside, 0.9, &region, &over));
    }

    /// Only the boxes' pixels are kept, clipped to the raster.
    #[test]
    fn only_the_regions_are_kept() {
        let r = Raster {
            width: 4,
            height: 3,
            pixels: vec![0; 12],
        };
        let out = only_inside(&r, &[BBox([1, 1, 9, 9])]);
        assert_eq!(out.pixels, [255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0]);
    }
}
