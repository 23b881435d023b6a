//! A born-digital page's text layer checked against the page's ink, and
//! read by OCR where it does not reach. Where the layer leaves print unread
//! (labels drawn inside a picture, a scanned insert or letterhead beside
//! typeset text), the page is rendered at the layer's resolution,
//! everything but those regions blanked, read, and the lines found there
//! put among the layer's. Each such line keeps its
//! recogniser (`Line::engine`), so no one takes it for the layer's text.
//! A line the recogniser is unsure of is left out and its region stays
//! unread, so the page stays suspect rather than carrying a guess.

use super::{ocr_one, PageTask, Result};
use crate::compose;
use crate::ocr::OcrEngine;
use crate::page::{BBox, Line, PageImage, PageText, Raster, Verdict};
use crate::preprocess::Preprocess;
use crate::textlayer::{self, TEXT_LAYER_DPI};
use crate::verdict::{self, VerdictParams};

/// The verdict on a page read from its text layer, against the page
/// rendered at `dpi`: the ink as a whole, then region by region, so that
/// print drawn as a picture beside the layer's text is not silently left
/// out. Dark areas (photographs, logos) are pictures a layer never holds.
/// Also the regions left unread (at `dpi`), for OCR to read.
pub(super) fn text_layer_verdict(
    render: &crate::page::Raster,
    dpi: f32,
    lines: &[Line],
) -> (Verdict, Vec<verdict::Unread>) {
    let params = VerdictParams::default();
    let scale = dpi / textlayer::TEXT_LAYER_DPI;
    let at = |b: BBox, k: f32| BBox(b.0.map(|v| (v as f32 * k).round() as u32));
    let boxes: Vec<_> = lines
        .iter()
        .filter(|l| l.text.chars().any(|c| !c.is_whitespace()))
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
    pub check: &'a crate::page::Raster,
    pub dpi: f32,
    pub unread: &'a [verdict::Unread],
}

/// How the regions a text layer leaves unread are read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapParams {
    /// Paper kept around each region (inches), so that a line whose ink
    /// only partly made the region (its box is cut at a cell's edge) is
    /// read whole: half a line of body type at 300 dpi, about 30 px.
    pub margin_inch: f32,
    /// The share of a line's box that must lie inside a region for the line
    /// to be taken: a line mostly elsewhere is the layer's or a fragment.
    pub min_inside: f32,
    /// The share of a line's box that may lie over the layer's own lines:
    /// beyond it the line reads print the layer already holds.
    pub max_over_layer: f32,
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
            max_over_layer: 0.5,
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
    let scale = TEXT_LAYER_DPI / gaps.dpi;
    let margin = (p.margin_inch * TEXT_LAYER_DPI).round() as u32;
    let grown: Vec<BBox> = gaps
        .unread
        .iter()
        .map(|u| {
            let [x0, y0, x1, y1] = u.bbox.0.map(|v| (v as f32 * scale).round() as u32);
            BBox([
                x0.saturating_sub(margin),
                y0.saturating_sub(margin),
                (x1 + margin).min(render.width),
                (y1 + margin).min(render.height),
            ])
        })
        .collect();
    let masked = only_inside(render, &grown);
    let image = PageImage {
        raster: masked,
        dpi: Some(TEXT_LAYER_DPI),
    };
    let read = ocr_one(task, image, engine, cfg)?;
    let layer_boxes: Vec<BBox> = layer
        .iter()
        .filter(|l| l.text.chars().any(|c| !c.is_whitespace()))
        .map(|l| l.bbox)
        .collect();
    Ok(read
        .lines
        .into_iter()
        .filter(|l| l.text.chars().any(|c| !c.is_whitespace()))
        .filter(|l| {
            let area = area(l.bbox).max(1) as f32;
            let inside: u64 = grown.iter().map(|g| overlap(l.bbox, *g)).sum();
            let over: u64 = layer_boxes.iter().map(|b| overlap(l.bbox, *b)).sum();
            let sure = l.calibrated.unwrap_or(l.confidence).get();
            let keep = inside as f32 >= p.min_inside * area
                && (over as f32) <= p.max_over_layer * area
                && sure >= p.min_probability;
            if !keep {
                tracing::debug!(file = %task.file.display(), page = task.page, text = %l.text, bbox = ?l.bbox, inside = inside as f32 / area, over = over as f32 / area, sure, "line read where a text layer does not reach, left out");
            }
            keep
        })
        .collect())
}

/// `layer`'s lines with `found` among them: each found line goes before the
/// first layer line that starts at or below its top (a letterhead drawn as a
/// picture comes first, a figure's labels after the text above it), found
/// lines among themselves in the order read.
pub(super) fn merge(layer: &[Line], found: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(layer.len() + found.len());
    let mut rest = found;
    for l in layer {
        let top = l.bbox.0[1];
        let (now, later): (Vec<Line>, Vec<Line>) =
            rest.into_iter().partition(|f| f.bbox.0[1] <= top);
        out.extend(now);
        rest = later;
        out.push(l.clone());
    }
    out.extend(rest);
    out
}

/// A white raster of `r`'s size holding `r`'s pixels inside `boxes` only.
fn only_inside(r: &Raster, boxes: &[BBox]) -> Raster {
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
    let [x0, y0, x1, y1] = b.0;
    x1.saturating_sub(x0) as u64 * y1.saturating_sub(y0) as u64
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

    /// Found lines go above the first layer line starting below their top,
    /// in the order read; those below every layer line go last.
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
