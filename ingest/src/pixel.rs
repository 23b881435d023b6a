//! Pixel routines in one place: ink counted by row and by column over a
//! rectangle, runs of a profile, the box of the ink in a rectangle,
//! sampling between pixels and the median of a sample — what the
//! preparation and recognition stages measure pages with. "Ink" is a pixel
//! at or under a threshold (grey, 0 black).

use crate::page::{BBox, Raster};

/// The pixels of ink in each row, leaving out `side` pixel columns at
/// each side of the image: a scan's dark edge lies there, and print keeps
/// a margin. Counted in, the dark edge down part of a sparse page held more
/// ink than its 90th-percentile row (a contents page is nine tenths white):
/// the band finder's floor (`recognise::ocr`) stood at a pixel or two, the page's lines and the
/// show-through between them made one band too tall for a line, and no
/// line of it was read again when Tesseract, taking the show-through for
/// ink, had found none (a tuning old-paper contents page read empty).
pub fn row_ink_inside(r: &Raster, threshold: u8, side: usize) -> Vec<usize> {
    let w = r.width as usize;
    let (x0, x1) = (side.min(w / 4), w - side.min(w / 4));
    ink_rows(r, threshold, (x0, x1), (0, r.height as usize))
}

/// The pixels of ink (at or under `threshold`) in each row.
pub fn row_ink(r: &Raster, threshold: u8) -> Vec<usize> {
    row_ink_inside(r, threshold, 0)
}

/// Ink per pixel column within rows `y0..y1`.
pub fn column_ink(r: &Raster, threshold: u8, y0: usize, y1: usize) -> Vec<usize> {
    column_ink_in(r, threshold, (0, r.width as usize), (y0, y1))
}

/// Ink per pixel column of `x0..x1` within rows `y0..y1`.
pub fn column_ink_in(
    r: &Raster,
    threshold: u8,
    (x0, x1): (usize, usize),
    (y0, y1): (usize, usize),
) -> Vec<usize> {
    let w = r.width as usize;
    let mut col = vec![0usize; x1 - x0];
    for y in y0..y1 {
        for (n, p) in col.iter_mut().zip(&r.pixels[y * w + x0..y * w + x1]) {
            *n += (*p <= threshold) as usize;
        }
    }
    col
}

/// Ink per pixel row of `x0..x1` within rows `y0..y1`.
pub fn ink_rows(
    r: &Raster,
    threshold: u8,
    (x0, x1): (usize, usize),
    (y0, y1): (usize, usize),
) -> Vec<usize> {
    let w = r.width as usize;
    (y0..y1)
        .map(|y| {
            r.pixels[y * w + x0..y * w + x1]
                .iter()
                .filter(|p| **p <= threshold)
                .count()
        })
        .collect()
}

/// Runs of rows holding at least `floor` ink, bridging gaps of up to two
/// rows.
pub fn runs(row_ink: &[usize], floor: usize) -> Vec<(usize, usize)> {
    let h = row_ink.len();
    let mut bands = Vec::new();
    let mut y = 0;
    while y < h {
        if row_ink[y] < floor {
            y += 1;
            continue;
        }
        let start = y;
        let mut end = y;
        let mut gap = 0;
        while y < h && gap <= 2 {
            if row_ink[y] >= floor {
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

/// The box of the ink (pixels at or below `threshold`) within `b`.
pub fn ink_box(r: &Raster, threshold: u8, b: BBox) -> Option<BBox> {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in b.y0()..b.y1().min(r.height) {
        for x in b.x0()..b.x1().min(r.width) {
            if r.get(x, y) <= threshold {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    (x1 > x0).then_some(BBox([x0, y0, x1, y1]))
}

/// A page's ink counted in square cells of `cell` pixels (the last row
/// and column of cells may be cut short), leaving out rules: runs of ink
/// `rule` pixels or longer along a row or down a column. A printed
/// character's strokes are shorter than its body; rules, table borders and
/// the 版头's red line are longer, and hold no text to be read.
pub struct InkCells {
    pub cols: usize,
    pub rows: usize,
    pub cell: usize,
    /// Ink pixels of each cell, row-major.
    pub ink: Vec<u32>,
}

impl InkCells {
    pub fn new(r: &Raster, threshold: u8, cell: usize, rule: usize, thin: usize) -> InkCells {
        let (w, h) = (r.width as usize, r.height as usize);
        let cell = cell.max(1);
        let mut ink: Vec<bool> = r.pixels.iter().map(|p| *p <= threshold).collect();
        let mut long = vec![false; w * h];
        // Rows, then columns: a pixel in a long run either way is a rule's.
        for y in 0..h {
            mark_long_runs(&ink, &mut long, y * w, 1, w, rule);
        }
        for x in 0..w {
            mark_long_runs(&ink, &mut long, x, w, h, rule);
        }
        for (i, l) in ink.iter_mut().zip(&long) {
            *i &= !*l;
        }
        // A rule set askew (a photographed page) is no long run along a row
        // or a column, but it is one long, thin piece of ink: no wider on
        // average than `thin` along its length.
        let mask = Raster {
            width: r.width,
            height: r.height,
            pixels: ink.iter().map(|i| if *i { 0 } else { 255 }).collect(),
        };
        for_each_component(&mask, 0, usize::MAX, |(x0, y0, x1, y1), members| {
            let length = (x1 - x0 + 1).max(y1 - y0 + 1);
            let members = members.unwrap_or_default();
            if length >= rule && members.len() <= length * thin {
                for &i in members {
                    ink[i] = false;
                }
            }
        });
        let (cols, rows) = (w.div_ceil(cell), h.div_ceil(cell));
        let mut counts = vec![0u32; cols * rows];
        for y in 0..h {
            let row = &ink[y * w..(y + 1) * w];
            let base = (y / cell) * cols;
            for (x, dark) in row.iter().enumerate() {
                counts[base + x / cell] += u32::from(*dark);
            }
        }
        InkCells {
            cols,
            rows,
            cell,
            ink: counts,
        }
    }
}

/// Marks in `long` the runs of `ink` of at least `min` pixels along the
/// line of `len` pixels starting at `start`, `step` apart.
fn mark_long_runs(
    ink: &[bool],
    long: &mut [bool],
    start: usize,
    step: usize,
    len: usize,
    min: usize,
) {
    let mut run = 0;
    for k in 0..=len {
        if k < len && ink[start + k * step] {
            run += 1;
            continue;
        }
        if run >= min {
            for j in k - run..k {
                long[start + j * step] = true;
            }
        }
        run = 0;
    }
}

/// Visits every 8-connected component of pixels at or below `threshold`:
/// its bounding box (x0, y0, x1, y1 inclusive) and, when it has at most
/// `keep` pixels, their indices.
pub fn for_each_component(
    r: &Raster,
    threshold: u8,
    keep: usize,
    mut visit: impl FnMut((usize, usize, usize, usize), Option<&[usize]>),
) {
    let (w, h) = (r.width as usize, r.height as usize);
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut comp = Vec::new();
    for start in 0..w * h {
        if seen[start] || r.pixels[start] > threshold {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        comp.clear();
        let mut too_big = false;
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            if !too_big {
                comp.push(i);
                too_big = comp.len() > keep;
            }
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            for dy in [-1i64, 0, 1] {
                for dx in [-1i64, 0, 1] {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if !seen[j] && r.pixels[j] <= threshold {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        visit((x0, y0, x1, y1), (!too_big).then_some(comp.as_slice()));
    }
}

/// The raster's value at a fractional position, interpolated between its
/// four neighbours; None outside (the caller keeps its fill).
pub fn bilinear(r: &Raster, sx: f32, sy: f32) -> Option<u8> {
    let (w, h) = (r.width as usize, r.height as usize);
    if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
        return None;
    }
    let (x0, y0) = (sx as usize, sy as usize);
    let (ax, ay) = (sx - x0 as f32, sy - y0 as f32);
    let p = |xx: usize, yy: usize| r.pixels[yy * w + xx] as f32;
    let top = p(x0, y0) * (1.0 - ax) + p(x0 + 1, y0) * ax;
    let bot = p(x0, y0 + 1) * (1.0 - ax) + p(x0 + 1, y0 + 1) * ax;
    Some((top * (1.0 - ay) + bot * ay + 0.5) as u8)
}

/// The median of grey levels (or any byte values), by histogram.
pub fn median(it: impl Iterator<Item = u8>) -> u8 {
    let mut hist = [0usize; 256];
    let mut n = 0;
    for v in it {
        hist[v as usize] += 1;
        n += 1;
    }
    let mut seen = 0;
    for (v, c) in hist.iter().enumerate() {
        seen += c;
        if seen * 2 >= n {
            return v as u8;
        }
    }
    0
}

/// The raster turned clockwise by `quarters` quarter turns (0 to 3; more
/// wrap round).
pub fn quarter_turn(r: &Raster, quarters: u8) -> Raster {
    let (w, h) = (r.width as usize, r.height as usize);
    let q = quarters % 4;
    if q == 0 {
        return r.clone();
    }
    let (tw, th) = if q == 2 { (w, h) } else { (h, w) };
    let mut pixels = vec![255u8; tw * th];
    for y in 0..h {
        for x in 0..w {
            // Where (x, y) lands once turned.
            let (u, v) = match q {
                1 => (h - 1 - y, x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (y, w - 1 - x),
            };
            pixels[v * tw + u] = r.pixels[y * w + x];
        }
    }
    Raster {
        width: tw as u32,
        height: th as u32,
        pixels,
    }
}

/// A box in a raster turned clockwise by `quarters`, back in the pixels of
/// the raster before the turn (`w` × `h`).
pub fn unturn_box(b: BBox, quarters: u8, w: u32, h: u32) -> BBox {
    let [x0, y0, x1, y1] = b.0;
    let sub = |n: u32, v: u32| n.saturating_sub(v);
    match quarters % 4 {
        0 => b,
        1 => BBox([y0, sub(h, x1), y1, sub(h, x0)]),
        2 => BBox([sub(w, x1), sub(h, y1), sub(w, x0), sub(h, y0)]),
        _ => BBox([sub(w, y1), x0, sub(w, y0), x1]),
    }
}

#[cfg(test)]
mod turn_tests {
    use super::*;

    #[test]
    fn a_box_turned_with_its_raster_comes_back_where_it_was() {
        // A 7 × 4 raster with a dark 2 × 1 mark at (5, 2).
        let mut r = Raster {
            width: 7,
            height: 4,
            pixels: vec![255; 28],
        };
        r.pixels[2 * 7 + 5] = 0;
        r.pixels[2 * 7 + 6] = 0;
        let mark = BBox([5, 2, 7, 3]);
        for q in 0..4u8 {
            let t = quarter_turn(&r, q);
            assert_eq!(quarter_turn(&t, 4 - q), r, "{q} turns and back");
            // The ink's box in the turned raster, brought back.
            let ink = ink_box(&t, 128, BBox([0, 0, t.width, t.height])).unwrap();
            assert_eq!(unturn_box(ink, q, 7, 4), mark, "{q}: {ink:?}");
        }
        assert_eq!(
            (quarter_turn(&r, 1).width, quarter_turn(&r, 1).height),
            (4, 7)
        );
    }
}
