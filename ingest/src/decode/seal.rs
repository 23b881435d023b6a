//! Colour to grey with red seals left out of the text. An official
//! document's round red seal (公章) is stamped over the issuer's name and
//! date: in plain luma its rim text and star read as a line of their own
//! and garble the signature lines under it. A seal is found by its shape (a
//! red ring, filled to its rim and empty outside it, neither a line of red
//! type nor a red rule), and inside it red ink is taken at its red channel,
//! as a red dropout filter would, so the black print it covers stays and
//! the seal fades to paper. Everything else (red headers 版头, red rules,
//! pages printed all in red) keeps its luma and reads as text. The page
//! image kept for the archive is the file as delivered, seal included.

use image::RgbImage;

/// What a red seal measures as. Tuned on the renderer's `--layout redhead
/// --seal` pages of the tuning documents (seals of 42 mm on A4, over the
/// signature) and checked on its `--ink-red-all` pages and red headers,
/// where nothing may be taken for a seal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SealParams {
    /// A pixel is red ink when its red channel exceeds both others by this
    /// much …
    pub min_redness: i32,
    /// … and the red channel is at least this (dark brown is not red).
    pub min_red: u8,
    /// A seal's diameter as a share of the page's shorter side: 42 mm on a
    /// 210 mm page is 0.2; stamps of 30–60 mm fit.
    pub min_diameter: f32,
    pub max_diameter: f32,
    /// A seal's box is about square.
    pub max_aspect: f32,
    /// Of the ring's angular sectors, this share must hold red: a full
    /// circle, not an arc of type.
    pub min_ring_cover: f32,
    /// The box's corners (outside the circle) hold at most this share of
    /// the ring's density of red: a seal is round, a block of red type
    /// fills its box.
    pub max_corner_density: f32,
}

impl Default for SealParams {
    fn default() -> Self {
        Self {
            min_redness: 60,
            min_red: 110,
            min_diameter: 0.12,
            max_diameter: 0.35,
            max_aspect: 1.3,
            min_ring_cover: 0.85,
            max_corner_density: 0.15,
        }
    }
}

/// A seal found on the page: centre and radius in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seal {
    pub cx: f32,
    pub cy: f32,
    pub r: f32,
}

fn is_red(p: &image::Rgb<u8>, k: &SealParams) -> bool {
    let [r, g, b] = p.0;
    r >= k.min_red && r as i32 - (g.max(b) as i32) >= k.min_redness
}

/// The red seals on a colour page.
pub fn find_seals(img: &RgbImage, k: &SealParams) -> Vec<Seal> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let short = w.min(h) as f32;
    // Red ink marked on cells of a coarse grid (a few pixels of a
    // millimetre), closed by one cell so a seal's ring, star and rim text
    // make one region.
    let cell = ((short / 300.0) as usize).max(1);
    let (gw, gh) = (w.div_ceil(cell), h.div_ceil(cell));
    let mut grid = vec![false; gw * gh];
    let mut any = false;
    for (x, y, p) in img.enumerate_pixels() {
        if is_red(p, k) {
            grid[(y as usize / cell) * gw + x as usize / cell] = true;
            any = true;
        }
    }
    if !any {
        return Vec::new();
    }
    let mut closed = grid.clone();
    for y in 0..gh {
        for x in 0..gw {
            if grid[y * gw + x] {
                for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx >= 0 && ny >= 0 && (nx as usize) < gw && (ny as usize) < gh {
                        closed[ny as usize * gw + nx as usize] = true;
                    }
                }
            }
        }
    }
    let mut seen = vec![false; gw * gh];
    let mut seals = Vec::new();
    let mut stack = Vec::new();
    for start in 0..gw * gh {
        if !closed[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % gw, i / gw);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            let mut visit = |j: usize| {
                if closed[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < gw {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - gw);
            }
            if y + 1 < gh {
                visit(i + gw);
            }
        }
        // Joint issuers' seals stand side by side, GB/T 9704 asking no
        // more than 3 mm between them: closed, two seals 2 mm apart make one
        // region twice as wide as tall. Such a region is split where no
        // red stands (on the grid before closing) and each part tried.
        let whole = (x0, y0, x1, y1);
        let parts = if shaped(whole, cell, short, k) {
            vec![whole]
        } else {
            split(&grid, gw, whole)
        };
        for b in parts {
            if !shaped(b, cell, short, k) {
                continue;
            }
            let (x0, y0, x1, y1) = b;
            let bw = ((x1 - x0 + 1) * cell) as f32;
            let bh = ((y1 - y0 + 1) * cell) as f32;
            let seal = Seal {
                cx: (x0 * cell) as f32 + bw / 2.0,
                cy: (y0 * cell) as f32 + bh / 2.0,
                r: (bw + bh) / 4.0,
            };
            if round(img, &seal, k) {
                seals.push(seal);
            }
        }
    }
    seals
}

/// A region's box (grid cells, inclusive) is a seal's size and about square.
fn shaped(
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    cell: usize,
    short: f32,
    k: &SealParams,
) -> bool {
    let bw = ((x1 - x0 + 1) * cell) as f32;
    let bh = ((y1 - y0 + 1) * cell) as f32;
    let d = bw.max(bh);
    d >= k.min_diameter * short && d <= k.max_diameter * short && d <= k.max_aspect * bw.min(bh)
}

/// The parts of a region's box between columns (or, for a tall box, rows)
/// holding no red, each cut to the rows (columns) its red spans.
fn split(
    grid: &[bool],
    gw: usize,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
) -> Vec<(usize, usize, usize, usize)> {
    let red = |x: usize, y: usize| grid[y * gw + x];
    let wide = x1 - x0 >= y1 - y0;
    // Along the long side: runs of lines (columns or rows) holding red.
    let (a0, a1, b0, b1) = if wide {
        (x0, x1, y0, y1)
    } else {
        (y0, y1, x0, x1)
    };
    let at = |a: usize, b: usize| if wide { red(a, b) } else { red(b, a) };
    let mut parts = Vec::new();
    let mut run: Option<usize> = None;
    for a in a0..=a1 + 1 {
        let any = a <= a1 && (b0..=b1).any(|b| at(a, b));
        match (any, run) {
            (true, None) => run = Some(a),
            (false, Some(s)) => {
                let rows: Vec<usize> = (b0..=b1).filter(|&b| (s..a).any(|a| at(a, b))).collect();
                if let (Some(&c0), Some(&c1)) = (rows.first(), rows.last()) {
                    parts.push(if wide {
                        (s, c0, a - 1, c1)
                    } else {
                        (c0, s, c1, a - 1)
                    });
                }
                run = None;
            }
            _ => {}
        }
    }
    parts
}

/// A red ring all round, and the box's corners outside it nearly empty.
fn round(img: &RgbImage, s: &Seal, k: &SealParams) -> bool {
    const SECTORS: usize = 24;
    let mut ring_sectors = [false; SECTORS];
    let (mut ring_red, mut ring_n, mut corner_red, mut corner_n) = (0usize, 0usize, 0usize, 0usize);
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, x1) = ((s.cx - s.r) as i64, (s.cx + s.r) as i64);
    let (y0, y1) = ((s.cy - s.r) as i64, (s.cy + s.r) as i64);
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            let (dx, dy) = (x as f32 - s.cx, y as f32 - s.cy);
            let d = (dx * dx + dy * dy).sqrt() / s.r;
            let red = is_red(img.get_pixel(x as u32, y as u32), k);
            if (0.85..=1.02).contains(&d) {
                ring_n += 1;
                if red {
                    ring_red += 1;
                    let a = dy.atan2(dx) + std::f32::consts::PI;
                    let i = ((a / std::f32::consts::TAU) * SECTORS as f32) as usize;
                    ring_sectors[i.min(SECTORS - 1)] = true;
                }
            } else if d > 1.12 {
                corner_n += 1;
                corner_red += red as usize;
            }
        }
    }
    if ring_n == 0 || ring_red == 0 {
        return false;
    }
    let cover = ring_sectors.iter().filter(|&&b| b).count() as f32 / SECTORS as f32;
    let ring_density = ring_red as f32 / ring_n as f32;
    let corner_density = corner_red as f32 / corner_n.max(1) as f32;
    cover >= k.min_ring_cover && corner_density <= k.max_corner_density * ring_density
}

/// Fades the red seals of a colour page in its grey version (as the
/// decoder made it): red ink inside a seal takes its red channel, so the
/// seal turns to paper and what it covers stays. Returns the seals found.
pub fn fade_seals(img: &RgbImage, grey: &mut image::GrayImage, k: &SealParams) -> Vec<Seal> {
    let seals = find_seals(img, k);
    for s in &seals {
        let r = s.r * 1.08;
        let (x0, x1) = (
            (s.cx - r).max(0.0) as u32,
            ((s.cx + r) as u32).min(img.width()),
        );
        let (y0, y1) = (
            (s.cy - r).max(0.0) as u32,
            ((s.cy + r) as u32).min(img.height()),
        );
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 - s.cx, y as f32 - s.cy);
                let p = img.get_pixel(x, y);
                if dx * dx + dy * dy <= r * r && is_red(p, k) {
                    grey.put_pixel(x, y, image::Luma([p.0[0]]));
                }
            }
        }
    }
    seals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> RgbImage {
        RgbImage::from_pixel(1000, 1400, image::Rgb([245, 245, 240]))
    }

    fn ring(img: &mut RgbImage, cx: f32, cy: f32, r: f32) {
        for y in 0..img.height() {
            for x in 0..img.width() {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                // The ring, and a star-like blob in the middle.
                if (r * 0.92..=r).contains(&d) || d < r * 0.2 {
                    img.put_pixel(x, y, image::Rgb([215, 30, 35]));
                }
            }
        }
    }

    #[test]
    fn a_seal_over_black_type_fades_and_the_type_stays() {
        let mut img = page();
        // A black "signature" bar under the seal.
        for y in 1000..1030 {
            for x in 550..850 {
                img.put_pixel(x, y, image::Rgb([20, 20, 20]));
            }
        }
        ring(&mut img, 700.0, 1010.0, 100.0);
        let mut grey = image::DynamicImage::ImageRgb8(img.clone()).into_luma8();
        let seals = fade_seals(&img, &mut grey, &SealParams::default());
        assert_eq!(seals.len(), 1, "{seals:?}");
        assert!((seals[0].r - 100.0).abs() < 12.0);
        // The ring is light now, the black bar under it dark.
        assert!(grey.get_pixel(700, 912).0[0] > 180);
        assert!(grey.get_pixel(630, 1015).0[0] < 60);
    }

    #[test]
    fn joint_issuers_seals_side_by_side_are_two_seals() {
        // GB/T 9704 sets joint issuers' seals side by side, at most 3 mm
        // apart: closed on the coarse grid, two seals 8 px apart (2.5 mm on
        // this page) make one region twice as wide as tall (a held-back
        // joint notice's signature was read as 军委办 under them).
        let mut img = page();
        ring(&mut img, 300.0, 1010.0, 100.0);
        ring(&mut img, 508.0, 1010.0, 100.0);
        let seals = find_seals(&img, &SealParams::default());
        assert_eq!(seals.len(), 2, "{seals:?}");
        for (s, cx) in seals.iter().zip([300.0, 508.0]) {
            assert!(
                (s.cx - cx).abs() < 8.0 && (s.r - 100.0).abs() < 12.0,
                "{s:?}"
            );
        }
    }

    #[test]
    fn red_type_and_red_rules_are_not_seals() {
        let mut img = page();
        // A red header of big type: blocks in a row, and a red rule.
        for (i, x0) in (150u32..850).step_by(140).enumerate() {
            for y in 100u32..220 {
                for x in x0..x0 + 110 {
                    if (x + y + i as u32) % 7 < 3 {
                        img.put_pixel(x, y, image::Rgb([210, 25, 30]));
                    }
                }
            }
        }
        for y in 300..306 {
            for x in 80..920 {
                img.put_pixel(x, y, image::Rgb([210, 25, 30]));
            }
        }
        // A square block of red body text (a page printed all in red).
        for y in 500..760 {
            for x in 300..560 {
                if y % 26 < 18 && (x / 3 + y) % 4 < 2 {
                    img.put_pixel(x, y, image::Rgb([200, 40, 40]));
                }
            }
        }
        let mut grey = image::DynamicImage::ImageRgb8(img.clone()).into_luma8();
        let seals = fade_seals(&img, &mut grey, &SealParams::default());
        assert!(seals.is_empty(), "{seals:?}");
        assert!(grey.get_pixel(80, 303).0[0] < 120, "the red rule stays ink");
    }
}
