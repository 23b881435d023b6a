//! Book spreads: one image holding two facing pages, as a bound volume is
//! scanned open on a flatbed or photographed on a copy stand. Read whole,
//! OCR reads lines across both pages and segmentation sees one page with
//! two folios; the image is cut at the spine into two pages before
//! anything else, each then read, numbered and shown on its own.
//!
//! The spine is found as a band of columns with no print, near the middle of
//! a landscape image. Print is measured as sharp changes of grey down each
//! column, not as dark pixels: the spine's shadow is dark but smooth (a
//! gutter shadow darkens the middle of a scanned book to half grey), text is
//! sharp. A facing page left blank (the first page of an issue beside the
//! cover's verso) leaves one side without print: the image is still cut,
//! at the shadow's deepest column, and the blank side read as a blank page.

use crate::page::Raster;

/// The numbers a spread is found by.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SpreadParams {
    /// A spread is at least this much wider than tall: two A4 or B5 pages
    /// side by side are 1.41 (a photo with the table round it 1.3); a
    /// single page stands upright, 0.71, and a landscape single page is
    /// no spread unless it also shows a spine.
    pub min_aspect: f32,
    /// The spine lies within this middle part of the width.
    pub zone: (f32, f32),
    /// A change of grey of at least this much between a pixel and the one
    /// below it is an edge of print (paper noise and JPEG ringing stay
    /// under 30; a stroke's edge on paper is over 100, faint mimeograph
    /// over 50).
    pub edge: u8,
    /// A column is without print when its edges are at most this share of
    /// a column of print's (the 98th percentile of the columns': a page
    /// beside a blank one, short, leaves most columns empty). The spine's
    /// shadow on a renderer's spread with light damage shows 1–2 edges a
    /// column where print shows 70–200.
    pub empty: f32,
    /// The spine's band of columns without print is at least this share
    /// of the width: two pages' inner margins, 2 cm each of a 42-cm spread
    /// (9%); curl near the spine narrows it on the renderer's spreads to
    /// 4–6%. A gap between paragraphs of a page lying on its side stands
    /// 1.5–5% wide, so a landscape page is cut only when also wide.
    pub min_gutter: f32,
    /// Two bands without print either side of a band at most this share
    /// of the width, each at least `min_side_gap` wide, are one gutter
    /// round the spine's shadow dithered by a bilevel scan (a band with a
    /// column as dense in edges as the densest print's, the 98th
    /// percentile: a heavy-damaged G4 spread's shows 1,000–1,750 edges a
    /// column where print shows 150–250).
    pub max_spine: f32,
    pub min_side_gap: f32,
    /// A side with at most this share of the image's edges holds no print:
    /// a blank facing page.
    pub blank_side: f32,
    /// The spine's shadow: its darkest column at least this many grey
    /// levels under the band's median.
    pub shadow_depth: u8,
}

impl Default for SpreadParams {
    fn default() -> Self {
        Self {
            min_aspect: 1.2,
            zone: (0.35, 0.65),
            edge: 48,
            empty: 0.05,
            min_gutter: 0.03,
            max_spine: 0.04,
            min_side_gap: 0.01,
            blank_side: 0.02,
            shadow_depth: 16,
        }
    }
}

/// Columns `[a, b)` without print, and the dotted spine within them.
type Band = (usize, usize, Option<(usize, usize)>);

/// A two-page image: where to cut it, and which side holds no print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spread {
    /// The first column of the right-hand page.
    pub cut: u32,
    /// The left and the right side hold no print (a blank facing page).
    pub blank: [bool; 2],
    /// The band of columns without print round the spine, `[x0, x1)`.
    pub gutter: (u32, u32),
}

/// Where a two-page image is to be cut, or `None` for an image of one
/// page.
pub fn find(r: &Raster, k: &SpreadParams) -> Option<Spread> {
    let (w, h) = (r.width as usize, r.height as usize);
    if w < 16 || h < 16 || (w as f32) < h as f32 * k.min_aspect {
        return None;
    }
    // Edges of print per column: down it, and across to each side (a
    // table's vertical rule beside the spine changes little down its
    // column, but sharply across: counted down only, a fixture page's
    // rule was taken for margin and painted out with the shadow).
    let mut edges = vec![0u32; w];
    // Edges down each column alone: a dithered shadow's dots have them, a
    // rule has none.
    let mut down = vec![0u32; w];
    let mut grey = vec![0u64; w];
    for y in 0..h - 1 {
        let row = &r.pixels[y * w..(y + 1) * w];
        let next = &r.pixels[(y + 1) * w..(y + 2) * w];
        for x in 0..w {
            down[x] += u32::from(row[x].abs_diff(next[x]) >= k.edge);
            grey[x] += u64::from(row[x]);
        }
        for x in 0..w - 1 {
            if row[x].abs_diff(row[x + 1]) >= k.edge {
                edges[x] += 1;
                edges[x + 1] += 1;
            }
        }
    }
    for (e, d) in edges.iter_mut().zip(&down) {
        *e += d;
    }
    let p98 = |v: &[u32]| {
        let mut sorted = v.to_vec();
        sorted.sort_unstable();
        sorted[sorted.len() * 98 / 100].max(1)
    };
    // How much print a side holds is measured down the columns alone: a
    // paper's edge against a dark background is no print, and would make
    // a blank facing page print.
    let (full, full_down) = (p98(&edges), p98(&down));
    let total: u64 = down.iter().map(|&e| u64::from(e)).sum();
    if total == 0 {
        return None;
    }
    let empty = |x: usize| edges[x] as f32 <= full as f32 * k.empty;
    // Runs of empty columns; two of them either side of a narrow band
    // are one gutter when that band is the spine's shadow printed as dots
    // (a bilevel scan dithers the shadow: hundreds of edges a column in a
    // band 2–3% of the width wide, between the two pages' margins).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut x = 0;
    while x < w {
        if !empty(x) {
            x += 1;
            continue;
        }
        let a = x;
        while x < w && empty(x) {
            x += 1;
        }
        runs.push((a, x));
    }
    let (spine_max, side_min) = (w as f32 * k.max_spine, w as f32 * k.min_side_gap);
    // Slivers between dots of the shadow, or between characters, are no
    // gutter.
    runs.retain(|&(a, b)| (b - a) as f32 >= side_min);
    // A dithered shadow is denser in edges than any print (its dots an
    // edge every few rows): a column of page numbers in a contents page's
    // margin, between two empty runs, is sparse.
    let dotted = |a: usize, b: usize| down[a..b].iter().any(|&e| e >= full_down);
    let mut bands: Vec<Band> = Vec::new();
    for &(a, b) in &runs {
        match bands.last_mut() {
            Some(last)
                if last.2.is_none() && ((a - last.1) as f32) <= spine_max && dotted(last.1, a) =>
            {
                last.2 = Some((last.1, a));
                last.1 = b;
            }
            _ => bands.push((a, b, None)),
        }
    }
    // The widest band crossing the middle zone.
    let (z0, z1) = (
        (w as f32 * k.zone.0) as usize,
        (w as f32 * k.zone.1) as usize,
    );
    let best = bands
        .iter()
        .filter(|(a, b, _)| *a < z1 && *b > z0)
        .max_by_key(|(a, b, _)| b - a)
        .copied();
    let (a, b, spine) = best?;
    if ((b - a) as f32) < w as f32 * k.min_gutter {
        return None;
    }
    let left: u64 = down[..a].iter().map(|&e| u64::from(e)).sum();
    let right: u64 = down[b..].iter().map(|&e| u64::from(e)).sum();
    let blank = |s: u64| (s as f32) <= total as f32 * k.blank_side;
    if blank(left) && blank(right) {
        return None;
    }
    // The spine's shadow: the band's darkest column, against its median.
    let (lo, hi) = (a.max(z0), b.min(z1));
    let mut levels: Vec<u64> = grey[lo..hi].to_vec();
    levels.sort_unstable();
    let median = levels[levels.len() / 2];
    let (dark_x, dark) = (lo..hi)
        .map(|x| (x, grey[x]))
        .min_by_key(|&(_, g)| g)
        .unwrap_or((w / 2, median));
    let rows = (h - 1) as u64;
    let shadow = (median - dark) / rows.max(1) >= u64::from(k.shadow_depth);
    // Print on one side only (the band reaching the image's edge): a page
    // beside a blank facing page when the spine shows, else a landscape
    // page with its print to one side.
    let one_sided = a == 0 || b == w || blank(left) || blank(right);
    if one_sided && !shadow {
        return None;
    }
    // The cut: at the shadow's deepest column when the band has one, else
    // at the middle of the image if the band holds it (the spine is where
    // the book was centred), else the band's middle.
    let cut = if let Some((s0, s1)) = spine {
        (s0 + s1) / 2
    } else if shadow {
        dark_x
    } else if (a..b).contains(&(w / 2)) {
        w / 2
    } else {
        (a + b) / 2
    };
    tracing::debug!(
        gutter = ?(a, b),
        cut,
        left,
        right,
        "a spread: two pages in one image"
    );
    Some(Spread {
        cut: cut as u32,
        blank: [a == 0 || blank(left), b == w || blank(right)],
        gutter: (a as u32, b as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints `lines` lines of 18-px characters between `x0` and `x1`.
    fn print(r: &mut Raster, x0: u32, x1: u32, lines: u32) {
        for i in 0..lines {
            let y = 60 + i * 30;
            for x in (x0..x1).step_by(24) {
                for yy in y..y + 18 {
                    for xx in x..(x + 18).min(x1) {
                        r.pixels[(yy * r.width + xx) as usize] = 20;
                    }
                }
            }
        }
    }

    /// Darkens the columns round the spine at 490 to half grey, as a
    /// flatbed darkens a book's gutter.
    fn shadow(r: &mut Raster) {
        for x in 460..520u32 {
            let d = 128 - (x as i32 - 490).unsigned_abs() * 4;
            for y in 0..r.height {
                r.pixels[(y * r.width + x) as usize] = (255 - d) as u8;
            }
        }
    }

    #[test]
    fn two_pages_side_by_side_are_cut_at_the_spine() {
        let k = SpreadParams::default();
        // Two pages, each with 60-px margins, the spine's shadow at 490.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 60, 440, 18);
        print(&mut r, 560, 940, 18);
        shadow(&mut r);
        assert_eq!(
            find(&r, &k).map(|s| (s.cut, s.blank)),
            Some((490, [false, false]))
        );
        // No shadow: the middle.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 60, 440, 18);
        print(&mut r, 560, 940, 18);
        assert_eq!(find(&r, &k).map(|s| s.cut), Some(500));
        // The first page beside a blank facing page, the spine showing.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 560, 940, 18);
        shadow(&mut r);
        assert_eq!(
            find(&r, &k).map(|s| (s.cut, s.blank)),
            Some((490, [true, false]))
        );
        // Without the spine's shadow, print to one side is a landscape
        // page.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 560, 940, 18);
        assert_eq!(find(&r, &k), None);
    }

    #[test]
    fn a_table_rule_beside_the_spine_is_print() {
        // A ruled table's right rule, a pixel wide, in the left page's
        // inner margin: little changes down its column, but it is print
        // and stays out of the gutter that is painted to paper.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 60, 440, 18);
        print(&mut r, 560, 940, 18);
        for y in 60..560u32 {
            r.pixels[(y * r.width + 452) as usize] = 20;
        }
        shadow(&mut r);
        let s = find(&r, &SpreadParams::default()).expect("a spread");
        assert_eq!(s.cut, 490);
        assert!(s.gutter.0 > 452, "{:?}", s.gutter);
    }

    #[test]
    fn a_spine_shadow_dithered_by_a_bilevel_scan_is_no_print() {
        // Two pages, and between their margins a band of dots 24 px wide
        // (the shadow thresholded to black and white), off the middle.
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 40, 420, 18);
        print(&mut r, 600, 960, 18);
        for y in 0..700u32 {
            for x in 500..524u32 {
                if (x * 7 + y * 13) % 3 == 0 {
                    r.pixels[(y * 1000 + x) as usize] = 0;
                }
            }
        }
        let s = find(&r, &SpreadParams::default()).expect("a spread");
        assert_eq!(s.cut, 512);
        assert!(s.gutter.0 <= 440 && s.gutter.1 >= 580, "{s:?}");
        // A sparse column of print in the left page's margin (a contents
        // page's page numbers) is print: the cut stays clear of it.
        for y in (60u32..600).step_by(30) {
            for x in 452..470u32 {
                for yy in y..y + 18 {
                    r.pixels[(yy * 1000 + x) as usize] = 20;
                }
            }
        }
        let s = find(&r, &SpreadParams::default()).expect("a spread");
        assert_eq!(s.cut, 512);
        assert!(s.gutter.0 >= 470, "{s:?}");
    }

    #[test]
    fn a_page_standing_upright_or_printed_across_is_one_page() {
        // Upright, two columns: a gutter, but a single page.
        let mut r = Raster::blank(700, 1000);
        print(&mut r, 40, 330, 30);
        print(&mut r, 370, 660, 30);
        assert_eq!(find(&r, &SpreadParams::default()), None);
        // Landscape, print across the middle (a wide table, a single
        // landscape page).
        let mut r = Raster::blank(1000, 700);
        print(&mut r, 60, 940, 18);
        assert_eq!(find(&r, &SpreadParams::default()), None);
        // Landscape and blank.
        assert_eq!(
            find(&Raster::blank(1000, 700), &SpreadParams::default()),
            None
        );
    }
}
