//! Page preprocessing before OCR, each step a function switchable in
//! [`Preprocess`]: rescaling, speck removal (grey values kept), background
//! flattening, deskew, optional binarisation. Steps run only where a
//! measurement of the page says they help, because on clean pages
//! binarising or filtering erases the thin strokes of Song-style type.

use crate::page::{BBox, PageImage, Raster};
use serde::{Deserialize, Serialize};

/// Whether a step runs: always, never, or when the page measures as needing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Switch {
    On,
    Off,
    Auto,
}

impl Switch {
    fn decide(self, measured: bool) -> bool {
        match self {
            Switch::On => true,
            Switch::Off => false,
            Switch::Auto => measured,
        }
    }
}

/// The preprocessing settings; the defaults are the measured ones (see
/// ARCHITECTURE.md for the figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preprocess {
    /// Cut the page out of a camera photo and undo its perspective. Auto:
    /// when the image shows one bright quadrilateral on a darker ground
    /// (see [`super::pagefind::PageFindParams`]).
    #[serde(default = "auto")]
    pub find_page: Switch,
    /// Remove isolated dust specks, replacing them with paper colour.
    /// Auto: when the page has more specks than a clean print shows.
    pub despeckle: Switch,
    /// Flatten uneven lighting and stretch faded ink to full contrast.
    /// Auto: when the paper brightness varies across the page.
    pub flatten: Switch,
    /// Rotate the page so its lines are level. Auto: when skew is measurable.
    pub deskew: Switch,
    /// Gaussian smoothing of crisp pages (bitonal scans, sharp renders),
    /// whose hard stair-stepped edges the LSTM model, trained on soft grey
    /// text, reads worse. Auto: when the strokes' edges are sharp.
    pub smooth: Switch,
    /// The smoothing's standard deviation in pixels at 300 dpi (scaled
    /// with resolution).
    pub smooth_sigma: f32,
    /// Auto smoothing also takes pages whose paper is grainier than this
    /// ([`Report::grain`], grey levels): aged paper's grain under faded
    /// grey print put the ink threshold inside the strokes and Tesseract's
    /// own threshold inside the paper, and whole pages were read as empty
    /// (see ARCHITECTURE.md, preprocessing, for the figures).
    #[serde(default = "grain_above")]
    pub grain_above: f32,
    /// The smoothing's standard deviation (pixels at 300 dpi) on a grainy
    /// page whose strokes are soft already. On the tuning old-paper pages
    /// 1.3 (as for crisp pages) lost a table of broken rules (its page 17%
    /// → 33% CER; 1.0: 21%, 0.8: 8.5%, 0.6: 9.4%), while each took the
    /// grain away (a page read as empty, 98%: 1.6%, 1.5%, 1.4%, 1.8%).
    #[serde(default = "grain_sigma")]
    pub grain_sigma: f32,
    /// Sauvola binarisation. Off by default: it costs accuracy on clean and
    /// lightly damaged pages.
    pub binarize: Switch,
    /// The resolution pages are scaled to when theirs is far from it.
    pub target_dpi: f32,
    /// Pages below this resolution are scaled up to `target_dpi`.
    pub upscale_below: f32,
    /// Pages above this resolution are scaled down to `target_dpi`.
    pub downscale_above: f32,
}

fn auto() -> Switch {
    Switch::Auto
}

fn grain_above() -> f32 {
    GRAIN_ABOVE
}

fn grain_sigma() -> f32 {
    GRAIN_SIGMA
}

/// The default of [`Preprocess::grain_sigma`].
const GRAIN_SIGMA: f32 = 0.8;

/// The default of [`Preprocess::grain_above`]. Measured on the renderer's
/// tuning pages (median neighbour difference as decoded): clean print 0,
/// red ink 4, yellowed 8–9, heavy damage 14–15, old paper 16.
const GRAIN_ABOVE: f32 = 6.0;

impl Default for Preprocess {
    fn default() -> Self {
        Self {
            find_page: Switch::Auto,
            despeckle: Switch::Auto,
            flatten: Switch::Auto,
            deskew: Switch::Auto,
            smooth: Switch::Auto,
            smooth_sigma: 1.3,
            grain_above: GRAIN_ABOVE,
            grain_sigma: GRAIN_SIGMA,
            binarize: Switch::Off,
            target_dpi: 300.0,
            upscale_below: 240.0,
            downscale_above: 420.0,
        }
    }
}

impl Preprocess {
    /// Everything off: the image goes to the engine as decoded.
    pub fn none() -> Self {
        Self {
            find_page: Switch::Off,
            despeckle: Switch::Off,
            flatten: Switch::Off,
            deskew: Switch::Off,
            smooth: Switch::Off,
            smooth_sigma: 1.3,
            grain_above: GRAIN_ABOVE,
            grain_sigma: GRAIN_SIGMA,
            binarize: Switch::Off,
            target_dpi: 300.0,
            upscale_below: 0.0,
            downscale_above: f32::INFINITY,
        }
    }
}

/// How preprocessed coordinates map back to the page as decoded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    /// Prepared pixels per original pixel.
    pub scale: f32,
    /// Rotation applied, radians (positive: the page's lines sloped down to
    /// the right and were levelled).
    pub angle: f32,
    /// Size of the prepared image.
    pub width: u32,
    pub height: u32,
    /// Size of the image before scaling: the original, or the page cut
    /// out of a photo.
    pub orig_width: u32,
    pub orig_height: u32,
    /// When the page was cut out of a photo: the homography from the
    /// flattened page to the photo, and the photo's size.
    pub page: Option<([f64; 8], u32, u32)>,
}

impl Transform {
    fn identity(w: u32, h: u32) -> Self {
        Self {
            scale: 1.0,
            angle: 0.0,
            width: w,
            height: h,
            orig_width: w,
            orig_height: h,
            page: None,
        }
    }

    /// Maps a box found on the prepared image to the original page: the
    /// corners are rotated back and unscaled, and the enclosing box taken.
    pub fn to_original(&self, b: BBox) -> BBox {
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let (s, c) = self.angle.sin_cos();
        let corners = [
            (b.x0() as f32, b.y0() as f32),
            (b.x1() as f32, b.y0() as f32),
            (b.x0() as f32, b.y1() as f32),
            (b.x1() as f32, b.y1() as f32),
        ];
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in corners {
            let (dx, dy) = (x - cx, y - cy);
            let (sx, sy) = (cx + dx * c - dy * s, cy + dx * s + dy * c);
            x0 = x0.min(sx);
            y0 = y0.min(sy);
            x1 = x1.max(sx);
            y1 = y1.max(sy);
        }
        let k = 1.0 / self.scale;
        let clamp = |v: f32, max: u32| (v * k).round().clamp(0.0, max as f32) as u32;
        let b = BBox([
            clamp(x0, self.orig_width),
            clamp(y0, self.orig_height),
            clamp(x1, self.orig_width),
            clamp(y1, self.orig_height),
        ]);
        let Some((hm, pw, ph)) = &self.page else {
            return b;
        };
        // Through the perspective back into the photo: the enclosing box
        // of the corners' images.
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in [
            (b.x0(), b.y0()),
            (b.x1(), b.y0()),
            (b.x0(), b.y1()),
            (b.x1(), b.y1()),
        ] {
            let (u, v) = super::pagefind::apply(hm, x as f64, y as f64);
            x0 = x0.min(u);
            y0 = y0.min(v);
            x1 = x1.max(u);
            y1 = y1.max(v);
        }
        let clamp = |v: f64, max: u32| v.round().clamp(0.0, max as f64) as u32;
        BBox([
            clamp(x0, *pw),
            clamp(y0, *ph),
            clamp(x1, *pw),
            clamp(y1, *ph),
        ])
    }
}

/// What preprocessing measured and did, for provenance and tuning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The page's corners in the photo it was cut out of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_corners: Option<[(f32, f32); 4]>,
    pub specks: usize,
    pub despeckled: bool,
    pub flattened: bool,
    pub skew_degrees: f32,
    pub deskewed: bool,
    /// Median width of the strokes' edges in pixels at 300 dpi: about 1
    /// for a bitonal scan or crisp render, 3 and more for a blurred scan.
    pub edge_width: f32,
    /// The paper's grain: the median difference, in grey levels, between
    /// horizontally neighbouring pixels (0 for a clean render; aged paper
    /// 15 and more).
    #[serde(default)]
    pub grain: f32,
    pub smoothed: bool,
    pub binarized: bool,
    pub scale: f32,
}

/// A page ready for the engine.
pub struct Prepared {
    pub raster: Raster,
    /// The resolution of `raster` (assumed from the page size when the file
    /// did not say).
    pub dpi: f32,
    pub transform: Transform,
    pub report: Report,
}

/// An A4 page's width in inches, used to guess a resolution the file omits.
const A4_WIDTH_IN: f32 = 8.27;

/// Runs the configured steps on a decoded page.
pub fn prepare(page: PageImage, cfg: &Preprocess) -> Prepared {
    let PageImage { raster, dpi } = page;
    let mut report = Report {
        scale: 1.0,
        ..Report::default()
    };
    let mut raster = raster;
    let mut page_map = None;
    if cfg.find_page != Switch::Off {
        let k = super::pagefind::PageFindParams::default();
        if let Some(quad) = super::pagefind::find_page(&raster, &k) {
            if let Some((flat, hm)) = super::pagefind::flatten_page(&raster, &quad, 255) {
                page_map = Some((hm, raster.width, raster.height));
                report.page_corners = Some(quad);
                raster = flat;
            }
        }
    }
    let (ow, oh) = (raster.width, raster.height);
    // A photo's resolution is the page's, guessed from its size (a
    // camera's 72 dpi says nothing); a scan's stated resolution holds.
    let dpi = if page_map.is_some() { None } else { dpi };
    let dpi_in = dpi.unwrap_or_else(|| (ow.min(oh) as f32 / A4_WIDTH_IN).max(50.0));
    let mut transform = Transform::identity(ow, oh);
    transform.page = page_map;
    let mut out_dpi = dpi_in;
    if dpi_in < cfg.upscale_below || dpi_in > cfg.downscale_above {
        let k = cfg.target_dpi / dpi_in;
        raster = resize(&raster, k);
        transform.scale = raster.width as f32 / ow as f32;
        out_dpi = dpi_in * transform.scale;
        report.scale = transform.scale;
    }
    let threshold = ink_threshold(&raster);
    let speck_area = ((out_dpi / 300.0).powi(2) * 16.0).max(2.0) as usize;
    let specks = find_specks(&raster, threshold, speck_area);
    report.specks = specks.len();
    // A clean print has a handful of isolated dots (full stops of Latin
    // text, the dot of i); scanned dust gives hundreds.
    if cfg.despeckle.decide(specks.len() > 150) {
        let paper = paper_level(&raster);
        for &i in specks.iter().flatten() {
            raster.pixels[i] = paper;
        }
        report.despeckled = true;
    }
    let (bg, bg_spread) = background(&raster);
    if cfg.flatten.decide(bg_spread > 24) {
        flatten(&mut raster, &bg);
        report.flattened = true;
    }
    let skew = estimate_skew(&raster, ink_threshold(&raster));
    report.skew_degrees = skew.to_degrees();
    if cfg.deskew.decide(skew.abs().to_degrees() >= 0.12) && skew != 0.0 {
        raster = rotate(&raster, skew, paper_level(&raster));
        transform.angle = skew;
        report.deskewed = true;
    }
    let edge = edge_width(&raster, ink_threshold(&raster)) * 300.0 / out_dpi;
    report.edge_width = edge;
    report.grain = grain(&raster);
    if cfg
        .smooth
        .decide(edge < SOFT_EDGE || report.grain > cfg.grain_above)
        && cfg.smooth_sigma > 0.0
    {
        // A soft page smoothed for its grain alone is smoothed less: its
        // strokes are blurred already, and a table's broken rules blurred
        // further break into dashes too far apart to be found.
        let sigma = if edge < SOFT_EDGE {
            cfg.smooth_sigma
        } else {
            cfg.grain_sigma
        };
        gaussian_blur(&mut raster, sigma * out_dpi / 300.0);
        report.smoothed = true;
    }
    if cfg.binarize.decide(false) {
        sauvola(&mut raster, (out_dpi / 10.0) as u32, 0.2);
        report.binarized = true;
    }
    transform.width = raster.width;
    transform.height = raster.height;
    Prepared {
        raster,
        dpi: out_dpi,
        transform,
        report,
    }
}

/// Pages whose strokes' edges are wider than this (median pixels at 300
/// dpi from paper to ink) are soft already and not smoothed further.
const SOFT_EDGE: f32 = 2.5;

/// The paper's grain ([`Report::grain`]), over every other pixel row: the
/// page is mostly paper, and inside a stroke neighbours differ little, so
/// the median is the paper's.
fn grain(r: &Raster) -> f32 {
    let w = r.width as usize;
    let steps = r
        .pixels
        .chunks_exact(w.max(1))
        .step_by(2)
        .flat_map(|row| row.windows(2).map(|p| p[0].abs_diff(p[1])));
    crate::pixel::median(steps) as f32
}

/// The median width, in pixels, of the transitions from paper to ink along
/// sampled rows: about 1 for a bitonal scan or a crisp render, 3 and more
/// for a blurred scan.
fn edge_width(r: &Raster, threshold: u8) -> f32 {
    let (w, h) = (r.width as usize, r.height as usize);
    let paper = paper_level(r) as f32;
    let mut dark: Vec<u8> = r
        .pixels
        .iter()
        .step_by(5)
        .copied()
        .filter(|p| *p <= threshold)
        .collect();
    if dark.len() < 100 {
        return f32::INFINITY;
    }
    let k = dark.len() / 10;
    let ink = *dark.select_nth_unstable(k).1 as f32;
    let delta = paper - ink;
    if delta < 40.0 {
        return f32::INFINITY;
    }
    let (hi, lo, mid) = (paper - 0.2 * delta, ink + 0.2 * delta, (paper + ink) / 2.0);
    let reached = |v: u8, goal: f32, light: bool| {
        if light {
            v as f32 >= goal
        } else {
            v as f32 <= goal
        }
    };
    let mut widths: Vec<u16> = Vec::new();
    'rows: for y in (0..h).step_by(7) {
        let row = &r.pixels[y * w..(y + 1) * w];
        for x in 1..w {
            let light_left = row[x - 1] as f32 >= mid;
            if light_left == (row[x] as f32 >= mid) {
                continue;
            }
            // Walk to the paper plateau on the light side and to the ink
            // plateau on the dark side.
            let (left_goal, right_goal) = if light_left { (hi, lo) } else { (lo, hi) };
            let (mut l, mut rr) = (x - 1, x);
            let mut steps = 0;
            while !reached(row[l], left_goal, light_left) && l > 0 && steps < 8 {
                l -= 1;
                steps += 1;
            }
            steps = 0;
            while !reached(row[rr], right_goal, !light_left) && rr + 1 < w && steps < 8 {
                rr += 1;
                steps += 1;
            }
            widths.push((rr - l - 1) as u16);
            if widths.len() >= 20_000 {
                break 'rows;
            }
        }
    }
    if widths.is_empty() {
        return f32::INFINITY;
    }
    let m = widths.len() / 2;
    *widths.select_nth_unstable(m).1 as f32
}

/// Separable Gaussian blur with standard deviation `sigma` pixels, in
/// 16-bit fixed point. Runs of blank paper (most of a page) are copied,
/// not convolved: blurring a constant changes nothing.
pub fn gaussian_blur(r: &mut Raster, sigma: f32) {
    // No spread is no blur (the weights below would divide by zero).
    if sigma.is_nan() || sigma <= 0.0 {
        return;
    }
    let radius = (sigma * 3.0).ceil() as usize;
    let weights: Vec<f32> = (0..=2 * radius)
        .map(|i| {
            let d = i as f32 - radius as f32;
            (-(d * d) / (2.0 * sigma * sigma)).exp()
        })
        .collect();
    let total: f32 = weights.iter().sum();
    // Weights summing to 1 << 12, so 255 × 4096 fits comfortably in u32.
    let kernel: Vec<u32> = weights
        .iter()
        .map(|v| (v / total * 4096.0).round() as u32)
        .collect();
    let norm: u32 = kernel.iter().sum();
    let (w, h) = (r.width as usize, r.height as usize);
    if w == 0 || h == 0 {
        return;
    }
    let flat: Vec<bool> = (0..h)
        .map(|y| {
            r.pixels[y * w..(y + 1) * w]
                .iter()
                .all(|p| *p == r.pixels[y * w])
        })
        .collect();
    let mut tmp = r.pixels.clone();
    for y in (0..h).filter(|&y| !flat[y]) {
        let row = &r.pixels[y * w..(y + 1) * w];
        let out = &mut tmp[y * w..(y + 1) * w];
        for x in 0..w {
            let mut acc = 0u32;
            if x >= radius && x + radius < w {
                for (k, kv) in kernel.iter().enumerate() {
                    acc += row[x + k - radius] as u32 * kv;
                }
            } else {
                for (k, kv) in kernel.iter().enumerate() {
                    let xx = (x + k).saturating_sub(radius).min(w - 1);
                    acc += row[xx] as u32 * kv;
                }
            }
            out[x] = ((acc + norm / 2) / norm).min(255) as u8;
        }
    }
    for y in 0..h {
        let (lo, hi) = (y.saturating_sub(radius), (y + radius).min(h - 1));
        let same = (lo..=hi).all(|yy| flat[yy] && tmp[yy * w] == tmp[y * w]);
        if same {
            let (src, dst) = (&tmp[y * w..(y + 1) * w], &mut r.pixels[y * w..(y + 1) * w]);
            dst.copy_from_slice(src);
            continue;
        }
        for x in 0..w {
            let mut acc = 0u32;
            for (k, kv) in kernel.iter().enumerate() {
                let yy = (y + k).saturating_sub(radius).min(h - 1);
                acc += tmp[yy * w + x] as u32 * kv;
            }
            r.pixels[y * w + x] = ((acc + norm / 2) / norm).min(255) as u8;
        }
    }
}

/// Bilinear resize by factor `k`.
pub fn resize(r: &Raster, k: f32) -> Raster {
    let w = ((r.width as f32 * k).round() as u32).max(1);
    let h = ((r.height as f32 * k).round() as u32).max(1);
    let img = image::GrayImage::from_raw(r.width, r.height, r.pixels.clone());
    match img {
        Some(img) => {
            let filter = if k > 1.0 {
                image::imageops::FilterType::CatmullRom
            } else {
                image::imageops::FilterType::Triangle
            };
            let out = image::imageops::resize(&img, w, h, filter);
            Raster {
                width: w,
                height: h,
                pixels: out.into_raw(),
            }
        }
        // The buffer length always matches width*height for a Raster we
        // built; should it not, leave the page as it is rather than fail.
        None => r.clone(),
    }
}

/// The grey level below which a pixel is ink. Otsu's method fails on
/// sparse pages (a contents page is 1% ink), where it splits the paper's
/// own noise; instead we find the paper's level and spread and call ink
/// what lies well below both.
pub fn ink_threshold(r: &Raster) -> u8 {
    let mut hist = [0u64; 256];
    for &p in &r.pixels {
        hist[p as usize] += 1;
    }
    let smooth = |i: usize| -> u64 {
        (i.saturating_sub(2)..=(i + 2).min(255))
            .map(|j| hist[j])
            .sum()
    };
    let paper = (100..256).max_by_key(|&i| smooth(i)).unwrap_or(255);
    let peak = smooth(paper);
    // exp(-2) of the peak: two standard deviations below it.
    let mut v = paper;
    while v > 0 && smooth(v) * 1000 > peak * 135 {
        v -= 1;
    }
    let sigma = (paper - v) as f32 / 2.0;
    (paper as f32 - (4.0 * sigma).max(50.0)).clamp(30.0, 220.0) as u8
}

/// The paper's grey level: the brightest well-populated histogram bin.
pub fn paper_level(r: &Raster) -> u8 {
    let mut hist = [0u64; 256];
    for &p in &r.pixels {
        hist[p as usize] += 1;
    }
    hist.iter()
        .enumerate()
        .skip(100)
        .max_by_key(|(_, c)| **c)
        .map(|(i, _)| i as u8)
        .unwrap_or(255)
}

/// Connected dark components (8-connected) no larger than `max_area`
/// pixels, whose bounding box is also small: the dust of a scan. Returns
/// each speck's pixel indices.
pub fn find_specks(r: &Raster, threshold: u8, max_area: usize) -> Vec<Vec<usize>> {
    let side = (max_area as f32).sqrt().ceil() as usize + 1;
    let mut specks = Vec::new();
    crate::pixel::for_each_component(r, threshold, max_area, |(x0, y0, x1, y1), pixels| {
        if let Some(px) = pixels {
            if x1 - x0 < side && y1 - y0 < side {
                specks.push(px.to_vec());
            }
        }
    });
    specks
}

/// Bounding boxes (x0, y0, x1, y1 inclusive) of the 8-connected ink
/// components of at most `max_area` pixels.
pub fn components(r: &Raster, threshold: u8, max_area: usize) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    crate::pixel::for_each_component(r, threshold, max_area, |b, pixels| {
        if pixels.is_some() {
            out.push(b);
        }
    });
    out
}

/// Block-wise paper brightness (a bright percentile per 64-pixel block,
/// interpolated) and how much it varies over the page.
fn background(r: &Raster) -> (Background, i32) {
    const B: usize = 64;
    let (w, h) = (r.width as usize, r.height as usize);
    let (bw, bh) = (w.div_ceil(B), h.div_ceil(B));
    let mut levels = vec![255u8; bw * bh];
    let mut hist = [0u32; 256];
    for by in 0..bh {
        for bx in 0..bw {
            hist.fill(0);
            let mut n = 0;
            for y in (by * B..((by + 1) * B).min(h)).step_by(2) {
                for x in (bx * B..((bx + 1) * B).min(w)).step_by(2) {
                    hist[r.pixels[y * w + x] as usize] += 1;
                    n += 1;
                }
            }
            // The 90th percentile ignores the ink in the block.
            let mut acc = 0;
            let mut level = 255;
            for (v, &c) in hist.iter().enumerate() {
                acc += c;
                if acc * 10 >= n * 9 {
                    level = v as u8;
                    break;
                }
            }
            levels[by * bw + bx] = level;
        }
    }
    let mut sorted = levels.clone();
    sorted.sort_unstable();
    let spread = if sorted.is_empty() {
        0
    } else {
        sorted[sorted.len() * 95 / 100] as i32 - sorted[sorted.len() * 5 / 100] as i32
    };
    (
        Background {
            levels,
            bw,
            bh,
            block: B,
        },
        spread,
    )
}

struct Background {
    levels: Vec<u8>,
    bw: usize,
    bh: usize,
    block: usize,
}

impl Background {
    fn at(&self, x: usize, y: usize) -> f32 {
        let fx = (x as f32 / self.block as f32 - 0.5).clamp(0.0, (self.bw - 1) as f32);
        let fy = (y as f32 / self.block as f32 - 0.5).clamp(0.0, (self.bh - 1) as f32);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(self.bw - 1), (y0 + 1).min(self.bh - 1));
        let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
        let l = |x: usize, y: usize| self.levels[y * self.bw + x] as f32;
        let top = l(x0, y0) * (1.0 - ax) + l(x1, y0) * ax;
        let bot = l(x0, y1) * (1.0 - ax) + l(x1, y1) * ax;
        top * (1.0 - ay) + bot * ay
    }
}

/// Divides out the paper brightness so the page is evenly lit, keeping the
/// grey values of the strokes (no thresholding).
fn flatten(r: &mut Raster, bg: &Background) {
    let w = r.width as usize;
    for (i, p) in r.pixels.iter_mut().enumerate() {
        let b = bg.at(i % w, i / w).max(32.0);
        *p = ((*p as f32) * 255.0 / b).min(255.0) as u8;
    }
}

/// Estimates the skew of the text lines, radians, within ±4 degrees, by
/// maximising the sharpness of the row profile of a reduced ink mask.
pub fn estimate_skew(r: &Raster, threshold: u8) -> f32 {
    // Reduce to about 100 dpi: enough to see lines, cheap to shear.
    let f = (r.width as usize / 800).max(1);
    let (w, h) = (r.width as usize / f, r.height as usize / f);
    let mut ink: Vec<(f32, f32)> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let mut dark = false;
            'b: for yy in y * f..(y + 1) * f {
                for xx in x * f..(x + 1) * f {
                    if r.pixels[yy * r.width as usize + xx] <= threshold {
                        dark = true;
                        break 'b;
                    }
                }
            }
            if dark {
                ink.push((x as f32, y as f32));
            }
        }
    }
    if ink.len() < 100 || ink.len() > w * h / 2 {
        return 0.0;
    }
    let score = |a: f32| -> f64 {
        let t = a.tan();
        let mut bins = vec![0u32; h + 2 * w + 2];
        let off = w as f32 + 1.0;
        for &(x, y) in &ink {
            let b = (y - x * t + off) as usize;
            if let Some(v) = bins.get_mut(b) {
                *v += 1;
            }
        }
        bins.windows(2)
            .map(|p| (p[1] as f64 - p[0] as f64).powi(2))
            .sum()
    };
    let mut best = (0.0f32, score(0.0));
    let search = |lo: f32, hi: f32, step: f32, best: &mut (f32, f64)| {
        let mut a = lo;
        while a <= hi + 1e-6 {
            let s = score(a.to_radians());
            if s > best.1 * 1.000_001 {
                *best = (a, s);
            }
            a += step;
        }
    };
    search(-4.0, 4.0, 0.25, &mut best);
    let c = best.0;
    search(c - 0.25, c + 0.25, 0.03, &mut best);
    best.0.to_radians()
}

/// Rotates the page so that lines sloping by `angle` become level, filling
/// the uncovered corners with paper colour (bilinear sampling).
pub fn rotate(r: &Raster, angle: f32, fill: u8) -> Raster {
    let (w, h) = (r.width as usize, r.height as usize);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (s, c) = angle.sin_cos();
    let mut out = vec![fill; w * h];
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            let sx = cx + dx * c - dy * s;
            let sy = cy + dx * s + dy * c;
            if let Some(v) = crate::pixel::bilinear(r, sx, sy) {
                out[y * w + x] = v;
            }
        }
    }
    Raster {
        width: r.width,
        height: r.height,
        pixels: out,
    }
}

/// Sauvola's adaptive threshold (window `win` pixels, sensitivity `k`),
/// computed with integral images.
pub fn sauvola(r: &mut Raster, win: u32, k: f32) {
    let (w, h) = (r.width as usize, r.height as usize);
    let mut sum = vec![0u64; (w + 1) * (h + 1)];
    let mut sq = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let (mut rs, mut rq) = (0u64, 0u64);
        for x in 0..w {
            let p = r.pixels[y * w + x] as u64;
            rs += p;
            rq += p * p;
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + rs;
            sq[(y + 1) * (w + 1) + x + 1] = sq[y * (w + 1) + x + 1] + rq;
        }
    }
    let half = (win / 2).max(1) as usize;
    let mut out = vec![255u8; w * h];
    for y in 0..h {
        let (ya, yb) = (y.saturating_sub(half), (y + half + 1).min(h));
        for x in 0..w {
            let (xa, xb) = (x.saturating_sub(half), (x + half + 1).min(w));
            let n = ((yb - ya) * (xb - xa)) as f64;
            let s = (sum[yb * (w + 1) + xb] + sum[ya * (w + 1) + xa]
                - sum[ya * (w + 1) + xb]
                - sum[yb * (w + 1) + xa]) as f64;
            let q = (sq[yb * (w + 1) + xb] + sq[ya * (w + 1) + xa]
                - sq[ya * (w + 1) + xb]
                - sq[yb * (w + 1) + xa]) as f64;
            let mean = s / n;
            let sd = (q / n - mean * mean).max(0.0).sqrt();
            let t = mean * (1.0 + k as f64 * (sd / 128.0 - 1.0));
            out[y * w + x] = if (r.pixels[y * w + x] as f64) <= t {
                0
            } else {
                255
            };
        }
    }
    r.pixels = out;
}

#[cfg(test)]
mod tests;
