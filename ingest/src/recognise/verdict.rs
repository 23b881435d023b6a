//! A verdict for every page read: `ok`, `blank` (no ink, measured) or
//! `suspect` (ink on the page but little or no text read), each with the
//! figures that decided it, so that a page is never reported as read with
//! nothing in it while it has ink. Failed pages get theirs from their error.

use crate::page::{BBox, Line, Raster, Verdict};

/// The numbers that decide a page's verdict.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VerdictParams {
    /// Below this fraction of dark pixels (after speck removal) a page with
    /// no text is blank. A folio alone (— 36 —, four glyphs at about 380
    /// dark pixels each, see below) inks about 0.017% of a 300-dpi A4
    /// page; this is under half of that, so a page with any printed
    /// character on it is not blank.
    pub blank_ink: f64,
    /// Dark pixels one printed character inks, at 300 dpi. Measured (pixels
    /// below 128 over non-space characters of the truth): the clean fixture
    /// page (`tests/data/clean-page.png`, Noto Serif) 383, the six pages of
    /// `tests/data/gap` (AR PL UMing, 200 dpi, scaled) 292–397. Bold faces
    /// and ink spread ink more, so 600 is used: a page of heavy print is
    /// not taken for missing text.
    pub ink_per_char_300dpi: f64,
    /// A page is suspect when it read fewer characters than this share of
    /// what its ink would print. Ruled tables and seals spend ink on no
    /// character, so the share is kept low: a tenth.
    pub min_read_share: f64,
    /// Ink worth fewer characters than this is never suspect for reading
    /// little (a lone stamp, a folio, a rule).
    pub min_expected_chars: f64,
    /// Tesseract's orientation confidence at and above which a page is
    /// read again turned. Measured on the real pages (`../shared/real`):
    /// twelve upright pages turned by 90, 180 and 270° were found right at
    /// 9.2–14.5, the cover photographed sideways at 3.4; 2 leaves that
    /// margin and stays above the noise of pages with little text.
    pub min_turn_confidence: f32,
    /// Tesseract's orientation confidence at and above which a turn is
    /// sure: a page wider than high is turned before it is read (and never
    /// cut as a spread), and a turned reading replaces the unturned one
    /// when it is surer at all (no `min_turn_gain`). Measured on the real
    /// pages: true turns 9.2–14.5 (above), so 6 keeps a margin below them
    /// and three times `min_turn_confidence`.
    pub sure_turn_confidence: f32,
    /// How much surer (mean character confidence, 0–1) a turned reading
    /// must be than the unturned one, when their verdicts are alike, to
    /// replace it: a sideways letterpress page read as columns gave 0.854,
    /// upright 0.886.
    pub min_turn_gain: f32,
    /// Below this mean character confidence (0–1) a page's orientation is
    /// checked. Measured: the clean fixture page upright 0.99; the real
    /// letterpress speech page upright 0.886 (checked: worn print costs
    /// the check), sideways read as rows 0.854; the fixture upside down,
    /// PP-OCRv4's lines 0.69.
    pub turn_check_below: f32,
    /// How ink is looked for where no line was read (`unread_regions`).
    pub regions: RegionParams,
}

/// The numbers that find ink no line was read from. Lengths in inches,
/// scaled by the page's resolution.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RegionParams {
    /// The side of the cells ink is counted in: a fifth of a body
    /// character (小四 to 三号, 0.17–0.22 in), so a line's cells stay
    /// within its box.
    pub cell_inch: f32,
    /// A cell is inked when this share of its pixels is ink: 7 pixels of
    /// a 12-pixel cell at 300 dpi, more than a speck left by despeckling.
    pub cell_ink: f32,
    /// Runs of ink this long along a row or down a column are rules, not
    /// text: twice the widest heading character of a body page (二号,
    /// 0.31 in); the 版头's characters are larger, and read.
    pub rule_inch: f32,
    /// A long piece of ink no thicker than this on average is a rule set
    /// askew: rules print at 0.5–2 pt (0.007–0.028 in); a line of type
    /// whose characters run together is as thick as its characters.
    pub rule_thickness_inch: f32,
    /// Ink standing no thicker than this across a region's length (how
    /// tall in each cell column of a region wider than tall, how wide in
    /// each row of one taller than wide) is a rule, broken or askew, or a
    /// dotted leader, and counts for no characters: on a photographed page
    /// a dashed running-head rule made a region of 21 characters' worth,
    /// 2 cells thick; body type (小五, 0.125 in, and up) stands 3 cells or
    /// more.
    pub thin_region_inch: f32,
    /// A read line's box counts this far around it: punctuation and the
    /// tops of tall strokes stand a little outside Tesseract's boxes.
    pub line_margin_inch: f32,
    /// Unread cells this near each other make one region: a gazette's
    /// line gap (1.5-line spacing of 三号 type, about 0.2 in), so an unread
    /// column is one region, not a region per line.
    pub bridge_inch: f32,
    /// A region is unread text when its ink would print at least this many
    /// characters: a line of a narrow column. Fewer is a stamp, a mark or
    /// a lone character a line's box missed.
    pub min_chars: f64,
    /// A region at least this share of whose cells' pixels is ink is a
    /// dark area (a picture, a stain, a scan's edge) rather than print:
    /// print inks 10–30% of the cells it stands in.
    pub dense_share: f64,
}

impl Default for RegionParams {
    fn default() -> Self {
        Self {
            cell_inch: 0.04,
            cell_ink: 0.05,
            rule_inch: 0.6,
            rule_thickness_inch: 0.03,
            thin_region_inch: 0.08,
            line_margin_inch: 0.06,
            bridge_inch: 0.2,
            min_chars: 20.0,
            dense_share: 0.5,
        }
    }
}

/// A stretch of ink on a page no line was read from, in the pixels of the
/// raster it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct Unread {
    pub bbox: BBox,
    /// The characters its ink would print (at `ink_per_char_300dpi`).
    pub chars: f64,
    /// The share of its inked cells' pixels that is ink.
    pub fill: f64,
    /// Most of its cells' pixels are ink: a picture, stain or edge.
    pub dense: bool,
}

/// The regions of `raster` (at `dpi`) that hold ink worth a line of text
/// and are not covered by any of the `read` boxes (of lines with text, in
/// the raster's pixels), largest first. Rules are left out.
pub fn unread_regions(p: &VerdictParams, raster: &Raster, dpi: f32, read: &[BBox]) -> Vec<Unread> {
    let q = &p.regions;
    let px = |inch: f32| (inch * dpi).round().max(1.0) as usize;
    let threshold = crate::preprocess::ink_threshold(raster);
    let cells = crate::pixel::InkCells::new(
        raster,
        threshold,
        px(q.cell_inch),
        px(q.rule_inch),
        px(q.rule_thickness_inch),
    );
    let (cols, rows, cell) = (cells.cols, cells.rows, cells.cell);
    let min_ink = (q.cell_ink * (cell * cell) as f32).ceil() as u32;
    let mut covered = vec![false; cols * rows];
    let margin = px(q.line_margin_inch);
    for b in read {
        let x0 = (b.x0() as usize).saturating_sub(margin) / cell;
        let y0 = (b.y0() as usize).saturating_sub(margin) / cell;
        let x1 = ((b.x1() as usize + margin).div_ceil(cell)).min(cols);
        let y1 = ((b.y1() as usize + margin).div_ceil(cell)).min(rows);
        for y in y0..y1 {
            covered[y * cols + x0.min(x1)..y * cols + x1].fill(true);
        }
    }
    let mut unread: Vec<bool> = (0..cols * rows)
        .map(|i| !covered[i] && cells.ink[i] >= min_ink)
        .collect();
    // Ink that reaches the image's edge is the paper's edge, a binding's
    // holes, a spread's gutter or the shadow beyond the page, not print:
    // print keeps a margin. Seen on the real photographed pages, where
    // such strips inked as many cells, as densely, as a line of type.
    let mut edge = Raster::blank(cols as u32, rows as u32);
    for (i, u) in unread.iter().enumerate() {
        if *u {
            edge.pixels[i] = 0;
        }
    }
    crate::pixel::for_each_component(&edge, 0, usize::MAX, |(x0, y0, x1, y1), members| {
        if x0 == 0 || y0 == 0 || x1 + 1 == cols || y1 + 1 == rows {
            for &i in members.unwrap_or_default() {
                unread[i] = false;
            }
        }
    });
    // Unread cells grown by the bridge, as a raster whose dark components
    // are the regions.
    let reach = px(q.bridge_inch).div_ceil(cell) / 2;
    let mut grown = Raster::blank(cols as u32, rows as u32);
    for y in 0..rows {
        for x in 0..cols {
            if unread[y * cols + x] {
                for gy in y.saturating_sub(reach)..(y + reach + 1).min(rows) {
                    let row = gy * cols;
                    grown.pixels[row + x.saturating_sub(reach)..row + (x + reach + 1).min(cols)]
                        .fill(0);
                }
            }
        }
    }
    let per_char = p.ink_per_char_300dpi * (dpi as f64 / 300.0).powi(2).max(1e-6);
    let mut found = Vec::new();
    crate::pixel::for_each_component(&grown, 0, usize::MAX, |_, members| {
        let Some(members) = members else { return };
        let (mut ink, mut n) = (0u64, 0u64);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &i in members.iter().filter(|&&i| unread[i]) {
            ink += u64::from(cells.ink[i]);
            n += 1;
            let (x, y) = (i % cols, i / cols);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
        }
        let chars = ink as f64 / per_char;
        if n == 0 || chars < q.min_chars {
            return;
        }
        let own: Vec<usize> = members.iter().copied().filter(|&i| unread[i]).collect();
        let thin = px(q.thin_region_inch).div_ceil(cell);
        let chars = type_ink(&own, &cells.ink, cols, [x0, y0, x1, y1], thin) as f64 / per_char;
        if chars < q.min_chars {
            return;
        }
        let (w, h) = (raster.width, raster.height);
        let at = |v: usize, max: u32| ((v * cell) as u32).min(max);
        let fill = ink as f64 / (n as usize * cell * cell) as f64;
        found.push(Unread {
            bbox: BBox([at(x0, w), at(y0, h), at(x1, w), at(y1, h)]),
            chars,
            fill,
            dense: fill >= q.dense_share,
        });
    });
    found.sort_by(|a, b| b.chars.total_cmp(&a.chars));
    found
}

/// The ink of a region's cells that stands as type does: in the cell
/// columns (of a region wider than tall; rows, of one taller than wide)
/// where some stretch of its ink is more than `thin` cells thick. A rule,
/// broken or askew, and a contents line's dotted leader are a cell or two
/// thick all along; a line of type is its characters' height.
fn type_ink(
    cells: &[usize],
    ink: &[u32],
    cols: usize,
    [x0, y0, x1, y1]: [usize; 4],
    thin: usize,
) -> u64 {
    let across_columns = x1 - x0 >= y1 - y0;
    // (lane, depth) of a cell: its column and row in a wide region, its
    // row and column in a tall one.
    let place = |i: usize| {
        let (x, y) = (i % cols - x0, i / cols - y0);
        if across_columns {
            (x, y)
        } else {
            (y, x)
        }
    };
    let lanes = if across_columns { x1 - x0 } else { y1 - y0 };
    let mut depths: Vec<Vec<usize>> = vec![Vec::new(); lanes];
    for &i in cells {
        let (l, d) = place(i);
        depths[l].push(d);
    }
    // A lane is as thick as its longest stretch of inked cells, a cell's
    // gap bridged (a character's strokes leave such gaps).
    let thick: Vec<bool> = depths
        .iter_mut()
        .map(|d| {
            d.sort_unstable();
            let (mut longest, mut start) = (0, 0);
            for k in 0..d.len() {
                if k > 0 && d[k] - d[k - 1] > 2 {
                    start = k;
                }
                longest = longest.max(d[k] - d[start] + 1);
            }
            longest > thin
        })
        .collect();
    cells
        .iter()
        .filter(|&&i| thick[place(i).0])
        .map(|&i| u64::from(ink[i]))
        .sum()
}

/// `verdict` made suspect when ink worth text was left unread, naming the
/// largest region in the decoded image's pixels (`to_original`).
pub fn with_unread(
    verdict: Verdict,
    unread: &[Unread],
    to_original: impl Fn(BBox) -> BBox,
) -> Verdict {
    let Some(first) = unread.first() else {
        return verdict;
    };
    if verdict != Verdict::Ok {
        return verdict;
    }
    let b = to_original(first.bbox);
    let kind = if first.dense {
        "a dark area (picture, stain or edge?)"
    } else {
        "ink"
    };
    let more = match unread.len() {
        1 => String::new(),
        n => format!("; {} more such regions", n - 1),
    };
    Verdict::Suspect(format!(
        "{kind} with no line read at [{}, {}, {}, {}] (about {:.0} characters' worth){more}",
        b.x0(),
        b.y0(),
        b.x1(),
        b.y1(),
        first.chars
    ))
}

impl Default for VerdictParams {
    fn default() -> Self {
        Self {
            blank_ink: 0.0001,
            ink_per_char_300dpi: 600.0,
            min_read_share: 0.1,
            min_expected_chars: 20.0,
            min_turn_confidence: 2.0,
            sure_turn_confidence: 6.0,
            min_turn_gain: 0.02,
            turn_check_below: 0.9,
            regions: RegionParams::default(),
        }
    }
}

/// The share of a raster's pixels that are ink (at or below the page's
/// own ink threshold, [`crate::preprocess::ink_threshold`]).
pub fn ink_share(r: &Raster) -> f64 {
    if r.pixels.is_empty() {
        return 0.0;
    }
    let threshold = crate::preprocess::ink_threshold(r);
    let dark = r.pixels.iter().filter(|p| **p <= threshold).count();
    dark as f64 / r.pixels.len() as f64
}

/// Whether a line's text holds anything but spaces: only such a line's box
/// accounts for ink (a line read as spaces found nothing there).
pub fn has_text(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace())
}

/// The characters of some lines, spaces not counted.
pub fn chars(lines: &[Line]) -> usize {
    lines
        .iter()
        .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// The verdict on a page recognised from its image: `raster` as the engine
/// saw it (at `dpi`), with `share` of its pixels inked, and the lines read.
pub fn judge_ocr(
    p: &VerdictParams,
    width: u32,
    height: u32,
    dpi: f32,
    share: f64,
    lines: &[Line],
) -> Verdict {
    let chars = chars(lines);
    let pixels = width as f64 * height as f64;
    let scale = (dpi as f64 / 300.0).powi(2).max(1e-6);
    let expected = share * pixels / (p.ink_per_char_300dpi * scale);
    if chars == 0 && share < p.blank_ink {
        return Verdict::Blank(format!("no ink: {:.4}% of the page is dark", share * 100.0));
    }
    if expected >= p.min_expected_chars && (chars as f64) < expected * p.min_read_share {
        return Verdict::Suspect(format!(
            "ink on {:.2}% of the page (about {:.0} characters' worth), {chars} characters read",
            share * 100.0,
            expected
        ));
    }
    Verdict::Ok
}

/// The verdict on a page read from its text layer, given [`judge_ocr`]'s
/// verdict on the layer's lines against the page's ink: `suspect` when the
/// ink would print far more than the layer holds (a layer of another text,
/// or covering part of the page); `ok` otherwise.
pub fn judge_text_layer(against_ink: Verdict) -> Verdict {
    match against_ink {
        Verdict::Suspect(why) => Verdict::Suspect(format!(
            "the text layer does not match the page's ink: {why}"
        )),
        _ => Verdict::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Confidence;

    fn line(n: usize) -> Line {
        Line {
            text: "字".repeat(n),
            bbox: BBox([0, 0, 10, 10]),
            confidence: Confidence::new(0.9),
            ..Default::default()
        }
    }

    /// A white A4 page at 300 dpi with `lines` lines of 20 glyph-like
    /// characters (three strokes, about 370 pixels of ink each, as a body
    /// character inks) from (x, y); returns the page and each line's box.
    fn page_with_lines(x: u32, y: u32, lines: u32) -> (Raster, Vec<BBox>) {
        let mut r = Raster::blank(2480, 3508);
        let mut boxes = Vec::new();
        for l in 0..lines {
            let top = y + l * 80;
            for c in 0..20 {
                let left = x + c * 44;
                let mut ink = |x0: u32, y0: u32, w: u32, h: u32| {
                    for yy in y0..y0 + h {
                        for xx in x0..x0 + w {
                            r.pixels[(yy * 2480 + xx) as usize] = 0;
                        }
                    }
                };
                ink(left + 4, top + 8, 32, 4);
                ink(left + 4, top + 28, 32, 4);
                ink(left + 18, top + 4, 4, 32);
            }
            boxes.push(BBox([x, top, x + 20 * 44, top + 40]));
        }
        (r, boxes)
    }

    #[test]
    fn ink_with_no_line_read_is_found_region_by_region() {
        let p = VerdictParams::default();
        let (mut r, boxes) = page_with_lines(300, 400, 10);
        // Every line read: nothing unread.
        assert!(unread_regions(&p, &r, 300.0, &boxes).is_empty());
        // The last four lines not read: one region, where they stand.
        let found = unread_regions(&p, &r, 300.0, &boxes[..6]);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0].bbox;
        assert!(
            b.y0() >= 400 + 6 * 80 - 12 && b.y1() <= 400 + 10 * 80 + 12,
            "{b:?}"
        );
        assert!(b.x0() >= 288 && b.x1() <= 300 + 880 + 12, "{b:?}");
        // Four lines of 20 characters of about 370 pixels each, counted at
        // 600 a character.
        assert!((40.0..60.0).contains(&found[0].chars), "{found:?}");
        assert!(!found[0].dense);
        // A single line is not enough ink to be a lost region.
        assert!(unread_regions(&p, &r, 300.0, &boxes[..9]).is_empty());
        // Rules hold no text: a long rule and a table's border unread are
        // not a region.
        for x in 300..2200 {
            for y in 2000..2008 {
                r.pixels[y * 2480 + x] = 0;
            }
        }
        for y in 2100..3000 {
            for x in 1200..1206 {
                r.pixels[y * 2480 + x] = 0;
            }
        }
        assert!(unread_regions(&p, &r, 300.0, &boxes).is_empty());
        // Nor is a rule set askew, as on a photographed page: 8 pixels
        // thick (the ink of 25 characters), falling 200 pixels over 1,900.
        for x in 300..2200usize {
            let y = 3100 + (x - 300) * 200 / 1900;
            for t in 0..8 {
                r.pixels[(y + t) * 2480 + x] = 0;
            }
        }
        assert!(unread_regions(&p, &r, 300.0, &boxes).is_empty());
        // Nor one broken into dashes (pieces shorter than a rule), as a
        // worn or photocopied rule is: 9 pixels thick, 26 characters' worth.
        for x in (300..2200usize).filter(|x| x % 120 < 100) {
            let y = 3300 + (x - 300) * 100 / 1900;
            for t in 0..9 {
                r.pixels[(y + t) * 2480 + x] = 0;
            }
        }
        assert!(unread_regions(&p, &r, 300.0, &boxes).is_empty());
    }

    #[test]
    fn a_dotted_leader_counts_for_no_characters() {
        let p = VerdictParams::default();
        // Two contents lines of 20 characters, each led by dots to its
        // page number across the rest of the page, neither read.
        let (mut r, _) = page_with_lines(300, 400, 2);
        for line in 0..2usize {
            let y = 400 + line * 80 + 30;
            for x in (1200..2150usize).filter(|x| x % 24 < 6) {
                for t in 0..6 {
                    r.pixels[(y + t) * 2480 + x] = 0;
                }
            }
        }
        let found = unread_regions(&p, &r, 300.0, &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        // The characters' ink (40 of about 370 pixels, at 600 a character),
        // not the dots'.
        assert!((22.0..27.0).contains(&found[0].chars), "{found:?}");
        // Dots alone are no text lost.
        let mut dots = Raster::blank(2480, 3508);
        for line in 0..6usize {
            let y = 400 + line * 80;
            for x in (300..2150usize).filter(|x| x % 24 < 6) {
                for t in 0..6 {
                    dots.pixels[(y + t) * 2480 + x] = 0;
                }
            }
        }
        assert!(unread_regions(&p, &dots, 300.0, &[]).is_empty());
    }

    #[test]
    fn ink_reaching_the_edge_is_the_paper_not_print() {
        let p = VerdictParams::default();
        // A dark strip down the left edge, as a binding or a gutter leaves.
        let (mut r, boxes) = page_with_lines(300, 400, 10);
        for y in 0..3508 {
            for x in 0..160 {
                if (x * 7 + y * 13) % 5 < 2 {
                    r.pixels[y * 2480 + x] = 30;
                }
            }
        }
        assert!(unread_regions(&p, &r, 300.0, &boxes).is_empty());
        // The same strip inside the page is ink unread.
        let (mut r, _) = page_with_lines(300, 400, 10);
        for y in 1500..3000 {
            for x in 1400..1560 {
                if (x * 7 + y * 13) % 5 < 2 {
                    r.pixels[y * 2480 + x] = 30;
                }
            }
        }
        let found = unread_regions(&p, &r, 300.0, &boxes);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn an_unread_region_makes_an_ok_page_suspect_and_names_it() {
        let region = Unread {
            bbox: BBox([100, 200, 300, 400]),
            chars: 42.0,
            fill: 0.2,
            dense: false,
        };
        let v = with_unread(Verdict::Ok, std::slice::from_ref(&region), |b| {
            BBox([b.x0() * 2, b.y0() * 2, b.x1() * 2, b.y1() * 2])
        });
        assert_eq!(
            v,
            Verdict::Suspect(
                "ink with no line read at [200, 400, 600, 800] (about 42 characters' worth)".into()
            )
        );
        // A verdict already not ok keeps its own reason.
        let blank = Verdict::Blank("no ink".into());
        assert_eq!(with_unread(blank.clone(), &[region], |b| b), blank);
        assert_eq!(with_unread(Verdict::Ok, &[], |b| b), Verdict::Ok);
    }

    #[test]
    fn blank_suspect_and_ok() {
        let p = VerdictParams::default();
        let (w, h) = (2480, 3508);
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.0, &[]).name(), "blank");
        // A folio alone is a page read, not a blank one.
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.00015, &[line(3)]).name(), "ok");
        // A full page of ink read as nothing.
        let v = judge_ocr(&p, w, h, 300.0, 0.05, &[]);
        assert_eq!(v.name(), "suspect");
        assert!(v.reason().contains("0 characters read"), "{v:?}");
        // The same ink read as a page of text.
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.05, &[line(700)]).name(), "ok");
    }
}
