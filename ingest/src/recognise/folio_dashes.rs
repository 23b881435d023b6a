//! Folio dashes from the ink: the dashes of a printed folio (— 12 —) that
//! Tesseract dropped or never saw, found in the pixels beside the number,
//! and a faint folio read again.

use super::repair::*;
use crate::page::{BBox, Line, Raster};

/// The folio of a page printed too faint for the page's ink threshold: on
/// old paper small type takes less ink, and the folio (— 2 —) of nearly
/// every tuning page of old paper was lost, or read as a bare number (its
/// box trimmed to the digits, its dashes no ink). The search is at a
/// lighter threshold ([`RepairParams::folio_faint`]) on the page blurred
/// ([`RepairParams::folio_blur`]: the paper's grain is ink at that
/// threshold, three standard deviations under the paper on the tuning
/// pages, and blurred no longer is), and its dashes are measured there
/// ([`faint_folio_dashes`]).
///
/// A folio read without both dashes, the page's lowest line in its foot
/// ([`RepairParams::folio_zone`]), is given the dashes measured. With no
/// folio read, rows of print are looked for in the foot below the last
/// line; a narrow one ([`RepairParams::folio_max_width`]) is read (`read`:
/// a raster, the box on it, a threshold) with its contrast stretched from
/// its darkest pixel to the paper (as found, PP-OCRv4 read nothing of it),
/// and returned only as a folio whose dashes were read (confidently) or
/// measured on both sides: at that threshold the facing page showing
/// through is ink too, and only a folio's form tells print from it.
pub fn read_faint_folio(
    r: &Raster,
    threshold: u8,
    dpi: f32,
    k: &RepairParams,
    lines: &mut [Line],
    mut read: impl FnMut(&Raster, BBox, u8) -> Option<Line>,
) -> Option<Line> {
    let (w, h) = (r.width as usize, r.height as usize);
    let zone = (h as f32 * (1.0 - k.folio_zone)) as u32;
    // One histogram pass over the page, taken only when it is needed.
    let paper = || crate::preprocess::paper_level(r);
    let faint = |paper: u8| {
        threshold.saturating_add((paper.saturating_sub(threshold) as f32 * k.folio_faint) as u8)
    };
    let lowest = lines.iter().map(|l| l.bbox.y1()).max().unwrap_or(0);
    if let Some((l, f)) = lines
        .iter_mut()
        .find_map(|l| super::folio::parse(&l.text).map(|f| (l, f)))
    {
        if !(f.left && f.right) && l.bbox.y0() >= zone && l.bbox.y1() == lowest {
            let (both, em) = faint_folio_dashes(r, faint(paper()), dpi, k, l.bbox);
            tracing::trace!(text = %l.text, both, em, "a folio's faint dashes");
            if both {
                l.text = dashed(f.number, em);
            }
        }
        return None;
    }
    let top = (lowest as usize).max(zone as usize);
    if top + 1 >= h {
        return None;
    }
    let paper = paper();
    let faint = faint(paper);
    let foot = r.crop(0, top as u32, w as u32, (h - top) as u32);
    let mut blurred = foot.clone();
    crate::preprocess::gaussian_blur(&mut blurred, k.folio_blur * dpi / 300.0);
    let (min_h, max_h) = ((dpi * k.min_row_in) as usize, (dpi * k.max_row_in) as usize);
    let side = (dpi * k.edge_margin_in) as usize;
    let mut bands = ink_bands(&blurred, faint, k.row_noise_share, side, max_h);
    bands.retain(|(y0, y1)| (min_h..=max_h).contains(&(y1 - y0)));
    // The folio is the page's last print: the lowest row first.
    for &(y0, y1) in bands.iter().rev() {
        let Some(e) = ink_extent(&blurred, faint, y0, y1, k.min_row_ink) else {
            continue;
        };
        if (e.x1 - e.x0) as f32 > w as f32 * k.folio_max_width {
            continue;
        }
        let b = BBox([e.x0 as u32, y0 as u32, e.x1 as u32 + 1, y1 as u32]);
        let dark = (y0..y1)
            .flat_map(|y| foot.pixels[y * w + e.x0..=y * w + e.x1].iter().copied())
            .min()
            .unwrap_or(0);
        let span = paper.saturating_sub(dark).max(1) as f32;
        let stretch = |v: u8| (v.saturating_sub(dark) as f32 * 255.0 / span).min(255.0) as u8;
        let lut: Vec<u8> = (0..=255u8).map(stretch).collect();
        let stretched = Raster {
            width: foot.width,
            height: foot.height,
            pixels: foot.pixels.iter().map(|&p| lut[p as usize]).collect(),
        };
        let Some(mut line) = read(&stretched, b, stretch(faint)) else {
            continue;
        };
        line.bbox = BBox([b.x0(), b.y0() + top as u32, b.x1(), b.y1() + top as u32]);
        // A reading too unsure for a line of text still reads a folio
        // whose dashes the ink shows on both sides (— 2 — read 2 at 0.41).
        let unsure = line.text.trim().is_empty();
        if unsure {
            let Some(r) = line.readings.first() else {
                continue;
            };
            line.text = r.text.clone();
            line.confidence = r.confidence;
            line.engine = Some(r.engine.clone());
        }
        let folio = super::folio::parse(&line.text);
        let (both, em) = faint_folio_dashes(r, faint, dpi, k, line.bbox);
        tracing::trace!(bbox = ?line.bbox, faint, text = %line.text, ?folio, both, em, "a faint folio?");
        let Some(f) = folio.filter(|f| both || (f.has_dashes() && !unsure)) else {
            continue;
        };
        if em || both {
            line.text = dashed(f.number, em);
        }
        return Some(line);
    }
    None
}

/// A folio as printed with em dashes (— 2 —) or hyphens (- 2 -).
pub(crate) fn dashed(number: u32, em: bool) -> String {
    super::folio::Folio {
        number,
        left: true,
        right: true,
        ascii: !em,
    }
    .printed()
}

/// Whether a faint folio's box (`b`, on the page) has a dash on each side
/// of its middle, and whether one is an em dash, measured at the `faint`
/// threshold on its neighbourhood blurred as in [`read_faint_folio`].
/// Faded, a dash breaks into pieces and shrinks: flat pieces less than a
/// third of a digit's height apart are one dash; a dash is a third of a
/// digit's height long at least (the paper's grain left by the blur is
/// shorter), an em dash three quarters (a hyphen is half; the tuning
/// folios' dashes measured 23–29 px beside digits 26–27 px tall).
pub(crate) fn faint_folio_dashes(
    r: &Raster,
    faint: u8,
    dpi: f32,
    k: &RepairParams,
    b: BBox,
) -> (bool, bool) {
    let [x0, y0, x1, y1] = folio_window(r, k, b).0;
    if x1 <= x0 || y1 <= y0 {
        return (false, false);
    }
    let mut near = r.crop(x0, y0, x1 - x0, y1 - y0);
    crate::preprocess::gaussian_blur(&mut near, k.folio_blur * dpi / 300.0);
    let local = BBox([b.x0() - x0, b.y0() - y0, b.x1() - x0, b.y1() - y0]);
    let (runs, tallest) = folio_runs(&near, faint, k, local);
    let mut dashes: Vec<(i64, i64)> = Vec::new();
    for r in runs.iter().filter(|r| (r.3 - r.2 + 1) * 3 <= tallest) {
        match dashes.last_mut() {
            Some(d) if (r.0 - d.1) * 3 <= tallest => d.1 = r.1,
            _ => dashes.push((r.0, r.1)),
        }
    }
    let len = |d: &(i64, i64)| d.1 - d.0 + 1;
    dashes.retain(|d| len(d) * 3 >= tallest);
    let em = dashes.iter().any(|d| len(d) * 4 >= tallest * 3);
    let centre = (local.x0() + local.x1()) as i64;
    let side = |left: bool| {
        dashes
            .iter()
            .any(|d| d.0 + d.1 != centre && (d.0 + d.1 < centre) == left)
    };
    (side(true) && side(false), em)
}

/// Tesseract often keeps the number of a folio printed as — 12 — and drops
/// the dashes as noise. A line that is only a number, with a short flat
/// stroke of ink on each side of it on the same row, is given its dashes.
/// A folio read with hyphens (- 12 -) whose dashes are printed at least as
/// long as its digits are tall is an em dash's (一字线, as GB/T 9704 sets
/// folios; a hyphen is half a digit's height): on smoothed heavy-damage
/// pages the em dashes were read as hyphens.
pub fn restore_folio_dashes(r: &Raster, threshold: u8, k: &RepairParams, lines: &mut [Line]) {
    for l in lines.iter_mut() {
        let Some((t, hyphens)) = crate::folio::parse(&l.text)
            .filter(|f| !f.has_dashes() || (f.ascii && f.left && f.right))
            .map(|f| (f.number, f.has_dashes()))
        else {
            continue;
        };
        let (runs, tallest) = folio_runs(r, threshold, k, l.bbox);
        let flat = |r: &(i64, i64, i64, i64)| {
            (r.3 - r.2 + 1) * 3 <= tallest && (r.1 - r.0 + 1) * 5 >= tallest * 2
        };
        // An em dash is as long as a digit is tall; measured on the dashes
        // read as hyphens only (a dash Tesseract dropped may be broken).
        let dash = |r: &(i64, i64, i64, i64)| flat(r) && (!hyphens || r.1 - r.0 + 1 >= tallest);
        if runs.len() >= 3 && dash(&runs[0]) && dash(&runs[runs.len() - 1]) {
            l.text = dashed(t, true);
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

/// Where a folio's dashes are looked for: its row, half a line height
/// over and under it, [`RepairParams::folio_reach`] line heights to
/// either side, clipped to the page.
pub(crate) fn folio_window(r: &Raster, k: &RepairParams, b: BBox) -> BBox {
    let lh = b.height();
    let reach = (k.folio_reach * lh as f32) as u32;
    BBox([
        b.x0().saturating_sub(reach),
        b.y0().saturating_sub(lh / 2),
        (b.x1() + reach).min(r.width),
        (b.y1() + lh / 2).min(r.height),
    ])
}

/// Runs of inked columns along a folio's row, within
/// [`RepairParams::folio_reach`] line heights of its box, each as (first
/// column, last column, top, bottom), and the tallest run's height.
pub(crate) fn folio_runs(
    r: &Raster,
    threshold: u8,
    k: &RepairParams,
    b: BBox,
) -> (Vec<(i64, i64, i64, i64)>, i64) {
    let w = r.width as i64;
    let [xa, y0, xb, y1] = folio_window(r, k, b).0.map(i64::from);
    let mut runs: Vec<(i64, i64, i64, i64)> = Vec::new();
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
    (runs, tallest)
}
