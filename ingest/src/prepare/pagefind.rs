//! Finding the page in a camera photo and taking it out flat: the sheet is
//! the large bright quadrilateral on a darker ground (a desk, a book's
//! binding, a scanner lid), seen in perspective. Its four corners are found
//! on a small copy of the image and the quadrilateral mapped to an upright
//! rectangle by the homography through them. A scan whose page fills the
//! frame, or a picture that is not one clear quadrilateral, is left alone:
//! cropping away print is worse than a little background.

use crate::page::Raster;

/// What a page in a photo must measure as before it is cut out. Tuned on
/// the renderer's `--photo` pages of the tuning documents (a page on wood,
/// keystoned, mildly curled) and on the flat scans of every other set,
/// which must all be left alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageFindParams {
    /// Long side of the small copy the page is looked for on, pixels.
    pub work_side: usize,
    /// The page's share of the frame: below, it is not the subject; above,
    /// the frame is the page (a scan) and there is nothing to cut away.
    pub min_area: f32,
    pub max_area: f32,
    /// The bright region's share of its own quadrilateral: a page fills
    /// its outline; a bright patch of another shape does not.
    pub min_fill: f32,
    /// How much brighter the page is than the ground around it (grey
    /// levels, medians): wood and tables measure 60–110 darker than paper.
    pub min_contrast: f32,
    /// Corners' angles stay within this many degrees of square: a page in
    /// mild perspective, not a sliver.
    pub max_corner_skew_deg: f32,
}

impl Default for PageFindParams {
    fn default() -> Self {
        Self {
            work_side: 600,
            min_area: 0.25,
            max_area: 0.94,
            min_fill: 0.92,
            min_contrast: 40.0,
            max_corner_skew_deg: 25.0,
        }
    }
}

/// A page's corners in the image: top-left, top-right, bottom-right,
/// bottom-left, in pixels of the full image.
pub type Quad = [(f32, f32); 4];

/// The page's corners when the image shows one page on a darker ground.
pub fn find_page(r: &Raster, k: &PageFindParams) -> Option<Quad> {
    let (w, h) = (r.width as usize, r.height as usize);
    let f = w.max(h).div_ceil(k.work_side).max(1);
    let (sw, sh) = (w / f, h / f);
    if sw < 16 || sh < 16 {
        return None;
    }
    // Box-averaged small copy: print averages into the paper's grey.
    let mut small = vec![0u8; sw * sh];
    for y in 0..sh {
        for x in 0..sw {
            let mut sum = 0u32;
            for yy in y * f..(y + 1) * f {
                let row = &r.pixels[yy * w + x * f..yy * w + (x + 1) * f];
                sum += row.iter().map(|&p| p as u32).sum::<u32>();
            }
            small[y * sw + x] = (sum / (f * f) as u32) as u8;
        }
    }
    let t = otsu(&small);
    // Bright pixels, with the gaps print leaves closed by a 5×5 maximum of
    // brightness (lines of type are about a pixel high at this scale).
    let bright: Vec<bool> = small.iter().map(|&p| p > t).collect();
    let closed = dilate(&bright, sw, sh, 2);
    let component = largest_component(&closed, sw, sh)?;
    let area = component.iter().filter(|&&b| b).count();
    let share = area as f32 / (sw * sh) as f32;
    if share < k.min_area || share > k.max_area {
        return None;
    }
    // Extreme points along the diagonals are the corners of a convex
    // quadrilateral seen at less than 45°.
    let mut best = [(0usize, 0usize, i64::MIN); 4];
    for y in 0..sh {
        for x in 0..sw {
            if !component[y * sw + x] {
                continue;
            }
            let (xi, yi) = (x as i64, y as i64);
            let scores = [-(xi + yi), xi - yi, xi + yi, yi - xi];
            for (b, s) in best.iter_mut().zip(scores) {
                if s > b.2 {
                    *b = (x, y, s);
                }
            }
        }
    }
    let small_quad: Quad = best.map(|(x, y, _)| (x as f32 + 0.5, y as f32 + 0.5));
    let quad_area = polygon_area(&small_quad);
    if quad_area <= 0.0 || (area as f32) < k.min_fill * quad_area {
        return None;
    }
    for i in 0..4 {
        let (a, b, c) = (
            small_quad[(i + 3) % 4],
            small_quad[i],
            small_quad[(i + 1) % 4],
        );
        let (ux, uy, vx, vy) = (a.0 - b.0, a.1 - b.1, c.0 - b.0, c.1 - b.1);
        let cos = (ux * vx + uy * vy) / ((ux * ux + uy * uy).sqrt() * (vx * vx + vy * vy).sqrt());
        if cos.abs() > k.max_corner_skew_deg.to_radians().sin() {
            return None;
        }
    }
    // The ground is what lies outside the quadrilateral (print inside the
    // page is not ground): there must be some, and darker than the page.
    // A scan whose white margins make the region reach every corner has
    // no ground outside it.
    let mut inside = Vec::with_capacity(sw * sh);
    let mut outside = Vec::new();
    for y in 0..sh {
        for x in 0..sw {
            let p = (x as f32 + 0.5, y as f32 + 0.5);
            if in_quad(&small_quad, p) {
                inside.push(small[y * sw + x]);
            } else {
                outside.push(small[y * sw + x]);
            }
        }
    }
    if (outside.len() as f32) < (1.0 - k.max_area) * (sw * sh) as f32 {
        return None;
    }
    let (inside, outside) = (
        crate::pixel::median(inside.into_iter()),
        crate::pixel::median(outside.into_iter()),
    );
    if (inside as f32 - outside as f32) < k.min_contrast {
        return None;
    }
    Some(small_quad.map(|(x, y)| (x * f as f32, y * f as f32)))
}

/// Otsu's threshold of a grey image.
fn otsu(p: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &v in p {
        hist[v as usize] += 1;
    }
    let total = p.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut wb, mut sb, mut best, mut at) = (0.0, 0.0, 0.0, 0u8);
    for (i, &c) in hist.iter().enumerate() {
        wb += c as f64;
        if wb == 0.0 || wb == total {
            continue;
        }
        sb += i as f64 * c as f64;
        let (mb, mf) = (sb / wb, (sum - sb) / (total - wb));
        let between = wb * (total - wb) * (mb - mf) * (mb - mf);
        if between > best {
            best = between;
            at = i as u8;
        }
    }
    at
}

fn dilate(m: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    let mut rows = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let (a, b) = (x.saturating_sub(r), (x + r).min(w - 1));
            rows[y * w + x] = m[y * w + a..=y * w + b].iter().any(|&v| v);
        }
    }
    let mut out = vec![false; w * h];
    for y in 0..h {
        let (a, b) = (y.saturating_sub(r), (y + r).min(h - 1));
        for x in 0..w {
            out[y * w + x] = (a..=b).any(|yy| rows[yy * w + x]);
        }
    }
    out
}

/// The largest 4-connected region of set pixels, as a mask.
fn largest_component(m: &[bool], w: usize, h: usize) -> Option<Vec<bool>> {
    let mut label = vec![0u32; w * h];
    let (mut best, mut best_n, mut next) = (0u32, 0usize, 0u32);
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !m[start] || label[start] != 0 {
            continue;
        }
        next += 1;
        label[start] = next;
        stack.push(start);
        let mut n = 0;
        while let Some(i) = stack.pop() {
            n += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if m[j] && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if n > best_n {
            (best, best_n) = (next, n);
        }
    }
    (best_n > 0).then(|| label.iter().map(|&l| l == best).collect())
}

/// Whether `p` lies inside the convex quadrilateral (corners clockwise on
/// the image, y down), edges included.
fn in_quad(q: &Quad, p: (f32, f32)) -> bool {
    (0..4).all(|i| {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0) >= 0.0
    })
}

fn polygon_area(q: &Quad) -> f32 {
    let mut a = 0.0;
    for i in 0..4 {
        let (p, n) = (q[i], q[(i + 1) % 4]);
        a += p.0 * n.1 - n.0 * p.1;
    }
    a / 2.0
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// The homography taking the rectangle `0..w × 0..h` to `quad` (corners in
/// the order of [`Quad`]), as the 3×3 matrix's first eight entries, the
/// ninth being 1. None when the corners are degenerate.
pub fn homography(w: f32, h: f32, quad: &Quad) -> Option<[f64; 8]> {
    let src = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    // Eight equations in h0..h7: u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1),
    // v = (h3 x + h4 y + h5) / (h6 x + h7 y + 1).
    let mut a = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = (src[i].0 as f64, src[i].1 as f64);
        let (u, v) = (quad[i].0 as f64, quad[i].1 as f64);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (row, r) in a.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (v, p) in r.iter_mut().zip(pivot_row).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    Some(std::array::from_fn(|i| a[i][8] / a[i][i]))
}

/// Maps a point of the flattened page to the photo.
pub fn apply(hm: &[f64; 8], x: f64, y: f64) -> (f64, f64) {
    let d = hm[6] * x + hm[7] * y + 1.0;
    (
        (hm[0] * x + hm[1] * y + hm[2]) / d,
        (hm[3] * x + hm[4] * y + hm[5]) / d,
    )
}

/// The page cut out of the photo and made rectangular (its size the longer
/// of each pair of opposite sides), with the homography from the new image
/// to the photo.
pub fn flatten_page(r: &Raster, quad: &Quad, fill: u8) -> Option<(Raster, [f64; 8])> {
    let ow = dist(quad[0], quad[1]).max(dist(quad[3], quad[2])).round() as usize;
    let oh = dist(quad[0], quad[3]).max(dist(quad[1], quad[2])).round() as usize;
    if ow < 16 || oh < 16 {
        return None;
    }
    let hm = homography(ow as f32, oh as f32, quad)?;
    let mut out = vec![fill; ow * oh];
    for y in 0..oh {
        for x in 0..ow {
            let (sx, sy) = apply(&hm, x as f64 + 0.5, y as f64 + 0.5);
            if let Some(v) = crate::pixel::bilinear(r, sx as f32 - 0.5, sy as f32 - 0.5) {
                out[y * ow + x] = v;
            }
        }
    }
    Some((
        Raster {
            width: ow as u32,
            height: oh as u32,
            pixels: out,
        },
        hm,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bright keystoned page with lines of "print" on a dark ground.
    fn photo() -> (Raster, Quad) {
        let (w, h) = (1200usize, 1600usize);
        let quad: Quad = [
            (260.0, 180.0),
            (950.0, 210.0),
            (1040.0, 1450.0),
            (150.0, 1420.0),
        ];
        let hm = homography(700.0, 1000.0, &quad).unwrap();
        let mut px = vec![90u8; w * h];
        for y in 0..1000 {
            for x in 0..700 {
                let ink = (y % 40) < 10 && (60..640).contains(&x) && (80..920).contains(&y);
                let (u, v) = apply(&hm, x as f64, y as f64);
                let (u, v) = (u as usize, v as usize);
                if u < w && v < h {
                    px[v * w + u] = if ink { 30 } else { 225 };
                }
            }
        }
        let r = Raster {
            width: w as u32,
            height: h as u32,
            pixels: px,
        };
        (r, quad)
    }

    #[test]
    fn a_keystoned_page_is_found_and_flattened() {
        let (r, quad) = photo();
        let found = find_page(&r, &PageFindParams::default()).expect("page found");
        for (a, b) in found.iter().zip(quad) {
            assert!(dist(*a, b) < 12.0, "corner {a:?} vs {b:?}");
        }
        let (flat, hm) = flatten_page(&r, &found, 255).unwrap();
        // The longer of each pair of opposite sides: 890 across, 1245 down.
        assert!((flat.width as i32 - 890).abs() < 30 && (flat.height as i32 - 1245).abs() < 30);
        // The flattened page's corner maps back to the photo's corner.
        let (x, y) = apply(&hm, 0.0, 0.0);
        assert!(dist((x as f32, y as f32), found[0]) < 1.0);
        // Rows of print are level on the flattened page: a row's middle
        // is dark from one side of the text block to the other.
        let row_dark = |y: usize| {
            (0..flat.width as usize)
                .filter(|&x| flat.pixels[y * flat.width as usize + x] < 100)
                .count()
        };
        let darkest = (0..flat.height as usize).map(row_dark).max().unwrap();
        assert!(
            darkest as f32 > 0.7 * flat.width as f32,
            "rows level: {darkest}"
        );
    }

    #[test]
    fn a_white_page_with_a_block_of_print_is_no_photo() {
        // The block averages darker than paper on the small copy: the
        // bright region is the margins, reaching every corner of the frame.
        let (w, h) = (1200usize, 1600usize);
        let mut px = vec![255u8; w * h];
        for y in (200..600).filter(|y| y % 25 < 10) {
            for x in 100..1100 {
                px[y * w + x] = 0;
            }
        }
        let r = Raster {
            width: w as u32,
            height: h as u32,
            pixels: px,
        };
        assert_eq!(find_page(&r, &PageFindParams::default()), None);
    }

    #[test]
    fn a_scan_filling_the_frame_is_left_alone() {
        let (w, h) = (800usize, 1100usize);
        let mut px = vec![235u8; w * h];
        for y in (100..1000).filter(|y| y % 30 < 8) {
            for x in 80..720 {
                px[y * w + x] = 20;
            }
        }
        let r = Raster {
            width: w as u32,
            height: h as u32,
            pixels: px,
        };
        assert_eq!(find_page(&r, &PageFindParams::default()), None);
    }
}
