//! Table cell marks and ruled columns: the printed rules Tesseract reads as
//! characters, found so they are blanked before reading and become tabs
//! between cells after.

use super::repair::*;
use crate::page::{BBox, Raster};

/// Table cells separated by a boxed cross (⊠, the mark a typesetter's
/// missing glyph prints, as tabs in tables come out of many systems): the
/// component's four edges and both diagonals are inked and the four
/// triangles between them are empty. Returns the marks' boxes.
pub fn find_cell_marks(r: &Raster, threshold: u8, dpi: f32, k: &RepairParams) -> Vec<BBox> {
    let (w, h) = (r.width as usize, r.height as usize);
    let (min, max) = (
        (dpi * k.min_mark_in) as usize,
        (dpi * k.max_mark_in) as usize,
    );
    let ink = |x: f32, y: f32, rad: i32| -> bool {
        let (cx, cy) = (x.round() as i32, y.round() as i32);
        (-rad..=rad).any(|dy| {
            (-rad..=rad).any(|dx| {
                let (px, py) = (cx + dx, cy + dy);
                px >= 0
                    && py >= 0
                    && (px as usize) < w
                    && (py as usize) < h
                    && r.pixels[py as usize * w + px as usize] <= threshold
            })
        })
    };
    let mut marks = Vec::new();
    for (x0, y0, x1, y1) in crate::preprocess::components(r, threshold, max * max * 4) {
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
        if bw < min || bh < min || bw > max || bh > max || bw * 5 < bh * 2 || bh * 5 < bw * 2 {
            continue;
        }
        let (fx0, fy0, fw, fh) = (x0 as f32, y0 as f32, (bw - 1) as f32, (bh - 1) as f32);
        let rad = ((dpi / 150.0).round() as i32).max(1);
        let along = |f: &dyn Fn(f32) -> (f32, f32)| {
            (0..=24)
                .filter(|i| {
                    let (x, y) = f(*i as f32 / 24.0);
                    ink(x, y, rad)
                })
                .count()
                >= k.mark_probes_inked
        };
        let edges = along(&|t| (fx0 + t * fw, fy0))
            && along(&|t| (fx0 + t * fw, fy0 + fh))
            && along(&|t| (fx0, fy0 + t * fh))
            && along(&|t| (fx0 + fw, fy0 + t * fh));
        let diagonals = along(&|t| (fx0 + t * fw, fy0 + t * fh))
            && along(&|t| (fx0 + t * fw, fy0 + fh - t * fh));
        // Away from the edges and the diagonals, a ⊠ is empty; a
        // character dense enough to pass the tests above is not.
        let (mut probes, mut inked) = (0, 0);
        for i in 1..16 {
            for j in 1..16 {
                let (u, v) = (i as f32 / 16.0, j as f32 / 16.0);
                let clear = (u - v).abs() > 0.12
                    && (u + v - 1.0).abs() > 0.12
                    && u.min(v).min(1.0 - u).min(1.0 - v) > 0.1;
                if clear {
                    probes += 1;
                    inked += usize::from(ink(fx0 + u * fw, fy0 + v * fh, 0));
                }
            }
        }
        let hollow = inked as f32 <= probes as f32 * k.mark_max_fill;
        if edges && diagonals && hollow {
            marks.push(BBox([x0 as u32, y0 as u32, x1 as u32 + 1, y1 as u32 + 1]));
        }
    }
    marks
}

/// A copy of the page with the given boxes, and a margin for the blur
/// around their strokes, painted paper-white.
pub(crate) fn blank(r: &Raster, boxes: &[BBox]) -> Raster {
    let mut out = r.clone();
    let w = r.width as usize;
    let m = 3;
    for b in boxes {
        let g = b.grown(m, r.width, r.height);
        for y in g.y0()..g.y1() {
            for x in g.x0()..g.x1() {
                out.pixels[y as usize * w + x as usize] = 255;
            }
        }
    }
    out
}

/// How many vertical rules (runs of ink at least `min_run` pixels long,
/// neighbouring columns counted once) the page has.
pub fn ruled_columns(r: &Raster, threshold: u8, min_run: usize) -> usize {
    let (w, h) = (r.width as usize, r.height as usize);
    if min_run == 0 || h < min_run {
        return 0;
    }
    let mut rules = 0;
    let mut in_rule = false;
    for x in 0..w {
        let (mut run, mut long) = (0usize, false);
        for y in 0..h {
            if r.pixels[y * w + x] < threshold {
                run += 1;
                if run >= min_run {
                    long = true;
                    break;
                }
            } else {
                run = 0;
            }
        }
        if long && !in_rule {
            rules += 1;
        }
        in_rule = long;
    }
    rules
}
