//! The pass that mends Tesseract's reading of a gazette page: rows of ink
//! it missed or mis-cut are read again, row fragments joined, lines kept in
//! reading order, and what is not print (specks, rules) left out. Its
//! numbers are `RepairParams`.

use super::choose;
use super::engine::OcrError;
use crate::page::{BBox, Confidence, Line, Raster};
use crate::pixel::{row_ink_inside, runs};

/// The numbers of the pass that mends Tesseract's reading of a gazette
/// page: re-reading rows it missed or mis-cut, joining row fragments,
/// restoring folio dashes and finding table cell marks. Lengths in inches
/// are scaled by the page's resolution. Each was set by hand on the
/// rendered pages of `make eval` (scripts/eval_ocr.py) while developing,
/// not swept; where a figure rests on print sizes the comment says which.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RepairParams {
    /// Rows of ink lower than this (inches) are specks or rules, not text:
    /// 1/25 in is 2.9 pt, under the x-height of the smallest print (小五,
    /// 9 pt).
    pub min_row_in: f32,
    /// Rows taller than this (inches) are pictures or merged rows: 1/2.5 in
    /// is 29 pt, above a 二号 title line (22 pt).
    pub max_row_in: f32,
    /// A line overlapping at least this share of a row's height covers it.
    pub covered_share: f32,
    /// A line over at least this many text rows is a mis-cut column.
    pub miscut_rows: usize,
    /// More rows to re-read than this and the page is not rows of text (a
    /// picture, a table of boxes): Tesseract's reading is left alone
    /// rather than spend minutes re-reading.
    pub max_rereads: usize,
    /// …and with a second recogniser, which reads a row in about 50 ms, not
    /// Tesseract's few hundred: a page Tesseract read nothing of is all
    /// rows to re-read (an old-paper page holding a table of 14 rows over
    /// a text of 25 had 47, and was left empty at 40).
    pub max_rereads_second: usize,
    /// A pixel row belongs to a row of ink when it holds more than this
    /// share of a full text row's ink (the 90th-percentile row): on aged
    /// paper specks in every gap merge a page's lines into one band. Rows
    /// of any ink apart from those still count (a folio's thin rows). Set
    /// on the `old` set of scripts/eval_print.py (tuning documents).
    pub row_noise_share: f32,
    /// Ink this many inches from the image's sides is the scan's dark
    /// edge, and counts in no row of print ([`row_ink_inside`]): the edge
    /// of a tuning old-paper page reached 0.11 in in; a gazette's margins
    /// are an inch and more.
    pub edge_margin_in: f32,
    /// A row is text only if its ink covers at least this share of its
    /// box (a lone mark covers less), and a piece of it twice this share.
    /// A date in Chinese numerals (二〇一二年一月九日) is sparse print: on a
    /// tuning old-paper page its piece covered 0.097 and, at 0.05, the
    /// line was lost. At 0.04 the tuning old-paper sets rendered afresh
    /// read 2.98% -> 2.71% (with the mixed-page fix), eval_print's tuning
    /// sets as before (heavy 0.75% -> 0.73%).
    pub min_row_ink: f32,
    /// A row's print is looked for in its core: the rows around its
    /// inkiest that hold at least this share of that row's ink (a line of
    /// print's rows all cross strokes; show-through beside it holds less
    /// ink). Set on one old-paper contents page of the tuning documents.
    pub core_share: f32,
    /// A re-read line below this confidence is dropped as noise.
    pub min_reread_confidence: f32,
    /// Row fragments of at most this many characters are joined to the
    /// line beside them (a contents entry's page number, a date beside its
    /// issuer); longer pieces stay apart, as the lines of two columns do.
    pub max_fragment_chars: usize,
    /// Folio dashes are looked for within this many line heights on
    /// either side of the number.
    pub folio_reach: f32,
    /// A page with no folio read is searched for one printed too faint
    /// for its ink threshold ([`read_faint_folio`]) in this share of its
    /// height at the foot, below its last line, ...
    pub folio_zone: f32,
    /// ... at a threshold this share of the way from the ink threshold to
    /// the paper ...
    pub folio_faint: f32,
    /// ... in a row of print at most this share of the page wide, found
    /// on the page's foot blurred by this σ (pixels at 300 dpi).
    pub folio_max_width: f32,
    pub folio_blur: f32,
    /// Smallest and largest side of a table cell mark (⊠), in inches.
    pub min_mark_in: f32,
    pub max_mark_in: f32,
    /// Of 25 probes along each edge and diagonal of a mark, at least this
    /// many must hit ink.
    pub mark_probes_inked: usize,
    /// At most this share of the probes away from the strokes may hit ink
    /// (a ⊠ is hollow; a dense character is not).
    pub mark_max_fill: f32,
    /// A vertical rule at least this long (inches) is a table's: no stroke
    /// of body type, nor of a red header's large characters, is so long.
    pub table_rule_in: f32,
    /// This many such rules side by side make a ruled table.
    pub table_rules: usize,
    /// A line whose box holds less than this share of pixels at or under
    /// the page's ink threshold is the facing page showing through, not
    /// print: Tesseract's own threshold, set on a sparse aged page, takes
    /// the mirrored print for ink, and it was read as garbage at confidence
    /// 0.6–0.8 (two tuning old-paper pages, a contents page and a last
    /// page, 175% and 224% CER). Measured on 2349 lines of 14 tuning sets
    /// (eval_print's seven, eval_vertical's old paper, six old-paper sets
    /// in other fonts): every show-through line 0.0000, the faintest line
    /// of print 0.015 (a date on old paper; digits in a wide table row
    /// 0.037). A third of that. The page's verdict counts ink the same
    /// way, so a page of nothing but show-through is blank, not empty.
    pub show_through_ink: f32,
    /// A line's box reaching at least this many line heights past its
    /// print (pixels at or under the page's ink threshold) is trimmed to
    /// the print, half a height of margin left: on old paper, Tesseract's
    /// box for a short centred 文号 took in the facing page's print
    /// showing through to its left (no ink by the threshold), from the
    /// page's edge, and the second recogniser read that crop `国#969号`
    /// (tuning split). Runs of print further apart than a line height
    /// holding less than `trim_speck_share` of a height's square are
    /// specks, and no print.
    pub trim_heights: f32,
    pub trim_speck_share: f32,
}

impl Default for RepairParams {
    fn default() -> Self {
        Self {
            min_row_in: 1.0 / 25.0,
            max_row_in: 1.0 / 2.5,
            covered_share: 0.4,
            miscut_rows: 2,
            max_rereads: 40,
            max_rereads_second: 90,
            min_row_ink: 0.04,
            core_share: 0.25,
            row_noise_share: 0.04,
            edge_margin_in: 0.15,
            min_reread_confidence: 0.5,
            max_fragment_chars: 6,
            folio_reach: 3.0,
            folio_zone: 0.12,
            folio_faint: 0.5,
            folio_max_width: 0.25,
            folio_blur: 1.5,
            min_mark_in: 1.0 / 25.0,
            max_mark_in: 1.0 / 3.5,
            mark_probes_inked: 22,
            mark_max_fill: 0.05,
            table_rule_in: 0.8,
            table_rules: 3,
            show_through_ink: 0.005,
            trim_heights: 2.0,
            trim_speck_share: 0.05,
        }
    }
}

/// Keeps the lines that are print: drops those that are the facing page
/// showing through ([`RepairParams::show_through_ink`]), returning how
/// many, and trims each box that reaches far past its print to the print
/// ([`RepairParams::trim_heights`]). Each line's ink is measured once, by
/// pixel column, for both.
pub fn keep_print(r: &Raster, threshold: u8, k: &RepairParams, lines: &mut Vec<Line>) -> usize {
    let before = lines.len();
    lines.retain_mut(|l| {
        let b = l.bbox;
        let (x1, y1) = (b.x1().min(r.width), b.y1().min(r.height));
        let (x0, y0) = (b.x0().min(x1), b.y0().min(y1));
        let h = (y1 - y0) as usize;
        let ink = crate::pixel::column_ink_in(
            r,
            threshold,
            (x0 as usize, x1 as usize),
            (y0 as usize, y1 as usize),
        );
        let area = ink.len() * h;
        let share = if area == 0 {
            0.0
        } else {
            ink.iter().sum::<usize>() as f32 / area as f32
        };
        if share < k.show_through_ink {
            tracing::trace!(bbox = ?b.0, share, text = %l.text, "show-through left out");
            return false;
        }
        let speck = (h * h) as f32 * k.trim_speck_share;
        let print: Vec<(usize, usize)> = super::grid::bridged_runs(ink.len(), h, |x| ink[x] > 0)
            .into_iter()
            .filter(|&(a, z)| ink[a..z].iter().sum::<usize>() as f32 >= speck)
            .collect();
        let (Some(first), Some(last)) = (print.first(), print.last()) else {
            return true;
        };
        let far = (h as f32 * k.trim_heights) as usize;
        let pad = h / 2;
        let mut nb = b;
        if first.0 >= far {
            nb = BBox([x0 + (first.0 - pad) as u32, nb.y0(), nb.x1(), nb.y1()]);
        }
        if ink.len() - last.1 >= far {
            nb = BBox([nb.x0(), nb.y0(), x0 + (last.1 + pad) as u32, nb.y1()]);
        }
        if nb != b {
            tracing::trace!(from = ?b.0, to = ?nb.0, "line trimmed to its print");
            l.bbox = nb;
        }
        true
    });
    before - lines.len()
}

/// Joins a short fragment to the line beside it on the same row: Tesseract
/// splits a contents entry from its page number, and a date from its
/// issuer's name on the same row. Only short pieces (at most six
/// characters) are joined, so the lines of a two-column page stay apart.
pub fn merge_row_fragments(lines: &mut Vec<Line>, k: &RepairParams) {
    let mut i = 0;
    while i < lines.len() {
        let partner = (0..lines.len()).find(|&j| {
            if j == i {
                return false;
            }
            let (a, b) = (&lines[i], &lines[j]);
            let short =
                b.text.chars().filter(|c| !c.is_whitespace()).count() <= k.max_fragment_chars;
            let v = (a.bbox.y1().min(b.bbox.y1())).saturating_sub(a.bbox.y0().max(b.bbox.y0()));
            let same_row = v * 2 >= a.bbox.height().min(b.bbox.height());
            let apart = a.bbox.x1() <= b.bbox.x0() + 2 || b.bbox.x1() <= a.bbox.x0() + 2;
            short && same_row && apart
        });
        match partner {
            Some(j) => {
                let b = lines.remove(j);
                let i2 = if j < i { i - 1 } else { i };
                let a = &mut lines[i2];
                let (conf_a, conf_b) = (a.confidence.get(), b.confidence.get());
                let (na, nb) = (a.text.chars().count() as f32, b.text.chars().count() as f32);
                a.text = if b.bbox.x0() >= a.bbox.x1() {
                    format!("{} {}", a.text, b.text)
                } else {
                    format!("{} {}", b.text, a.text)
                };
                a.confidence = Confidence::new((conf_a * na + conf_b * nb) / (na + nb).max(1.0));
                a.bbox = a.bbox.union(&b.bbox);
                i = i2;
            }
            None => i += 1,
        }
    }
}

/// Rows of ink on a page: maximal runs of rows holding ink, allowing
/// gaps of two pixel rows, as (top, bottom exclusive).
pub(crate) fn ink_bands(
    r: &Raster,
    threshold: u8,
    noise_share: f32,
    side: usize,
    max_h: usize,
) -> Vec<(usize, usize)> {
    let h = r.height as usize;
    let row_ink = row_ink_inside(r, threshold, side);
    // The gaps between lines of aged or damaged paper are not empty:
    // specks and show-through put a little ink in every row and merge a
    // page's lines into one band. Rows of ink are taken where rows hold
    // more than a share of a full text row's ink (the 90th-percentile
    // row) …
    let mut sorted = row_ink.clone();
    sorted.sort_unstable();
    let full = sorted.get(h * 9 / 10).copied().unwrap_or(0) as f32;
    let floor = ((full * noise_share) as usize).max(2);
    let mut bands = runs(&row_ink, floor);
    // … but a run of rows holding any ink, no taller than a line, stands
    // for the pieces the floor cut it into: a folio's rows (— 2 —) hold
    // less than the floor but for the dashes' few.
    if floor > 2 {
        for (a, z) in runs(&row_ink, 2) {
            let inside = |&(b0, b1): &(usize, usize)| b0 < z && b1 > a;
            let small = bands
                .iter()
                .filter(|b| inside(b))
                .all(|&(b0, b1)| (b1 - b0) * 2 < z - a);
            if z - a <= max_h && small {
                bands.retain(|b| !inside(b));
                bands.push((a, z));
            }
        }
        bands.sort_unstable();
    }
    bands
}

/// A row's print: its first and last column, its ink, and its pieces. The row's inked columns are cut into pieces at gaps wider than
/// three row heights; a piece is print when it is at least half a row
/// height wide, its ink is at text density (twice the least a whole row of
/// text has, as a piece has no gaps between words to thin it) and it is not
/// solid dark. Columns with a speck's pixel or two of ink, and those within
/// a row height of the image's sides (the scan's dark edge), are not looked
/// at. So specks, a foxing spot or the edge far along the row do not
/// stretch a short line (轮采。) across the page, where its ink would look
/// too thin to be text.
pub(crate) fn ink_extent(
    r: &Raster,
    threshold: u8,
    y0: usize,
    y1: usize,
    density: f32,
) -> Option<Extent> {
    let w = r.width as usize;
    let bh = (y1 - y0).max(1);
    let cols: Vec<usize> = (0..w)
        .map(|x| {
            (y0..y1)
                .filter(|yy| r.pixels[yy * w + x] <= threshold)
                .count()
        })
        .collect();
    // Pieces of print: (first column, last column, ink).
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
    // A column with a pixel or two of ink is a speck's (specks strung along
    // a foxed row would join print to the page's edge); within a row height
    // of the image's sides is the dark edge of the scan (print keeps a
    // margin).
    let least = (bh / 10).max(2);
    for (x, &c) in cols.iter().enumerate() {
        if c < least || x < bh || x + bh >= w {
            continue;
        }
        match pieces.last_mut() {
            Some(p) if x - p.1 <= 3 * bh => {
                p.1 = x;
                p.2 += c;
            }
            _ => pieces.push((x, x, c)),
        }
    }
    let print: Vec<&(usize, usize, usize)> = pieces
        .iter()
        .filter(|(a, z, ink)| {
            // One dark all through (over 80% of its area, more than the
            // boldest print fills) is a shadow or a rule, not strokes.
            let area = ((z - a + 1) * bh) as f32;
            let solid = *ink as f32 > area * 0.8;
            !solid && z - a + 1 >= bh / 2 && *ink as f32 >= area * 2.0 * density
        })
        .collect();
    let (x0, x1) = (print.first()?.0, print.last()?.1);
    Some(Extent {
        x0,
        x1,
        ink: cols[x0..=x1].iter().sum(),
        printed: print.iter().map(|(a, z, _)| z - a + 1).sum(),
        pieces: print.iter().map(|(a, z, _)| (*a, *z)).collect(),
    })
}

/// A row's print ([`ink_extent`]).
pub(crate) struct Extent {
    /// Its first and last column.
    pub(crate) x0: usize,
    pub(crate) x1: usize,
    /// The ink between them.
    pub(crate) ink: usize,
    /// How many columns its pieces of print span.
    pub(crate) printed: usize,
    /// The pieces (first and last column), apart by more than three row
    /// heights: a table's cells, a contents entry and its page number.
    pub(crate) pieces: Vec<(usize, usize)>,
}

/// The lines read from a row's pieces, left to right, as one line: texts
/// joined by a space (as Tesseract joins words), each engine's readings
/// likewise, confidences weighted by characters.
pub(crate) fn join_pieces(mut parts: Vec<Line>) -> Option<Line> {
    parts.sort_by_key(|l| l.bbox.x0());
    let chars = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count().max(1) as f32;
    let weighted = |items: &[(f32, &str)]| {
        let n: f32 = items.iter().map(|(_, t)| chars(t)).sum();
        items.iter().map(|(c, t)| c * chars(t)).sum::<f32>() / n.max(1.0)
    };
    let mut first = parts.first()?.clone();
    if parts.len() == 1 {
        return Some(first);
    }
    let text = |ls: &[&str]| ls.join(" ");
    first.text = text(&parts.iter().map(|l| l.text.as_str()).collect::<Vec<_>>());
    first.bbox = parts
        .iter()
        .skip(1)
        .fold(first.bbox, |b, l| b.union(&l.bbox));
    first.confidence = Confidence::new(weighted(
        &parts
            .iter()
            .map(|l| (l.confidence.get(), l.text.as_str()))
            .collect::<Vec<_>>(),
    ));
    if parts.iter().any(|l| l.engine != first.engine) {
        first.engine = None;
    }
    // An engine's reading of the row, where it read every piece.
    first.readings = first
        .readings
        .iter()
        .filter_map(|r0| {
            let each: Vec<&crate::page::Reading> = parts
                .iter()
                .map(|l| l.readings.iter().find(|r| r.engine == r0.engine))
                .collect::<Option<_>>()?;
            Some(crate::page::Reading {
                engine: r0.engine.clone(),
                text: text(&each.iter().map(|r| r.text.as_str()).collect::<Vec<_>>()),
                confidence: Confidence::new(weighted(
                    &each
                        .iter()
                        .map(|r| (r.confidence.get(), r.text.as_str()))
                        .collect::<Vec<_>>(),
                )),
            })
        })
        .collect();
    Some(first)
}

pub(crate) fn overlap(l: &Line, y0: usize, y1: usize) -> usize {
    (l.bbox.y1() as usize)
        .min(y1)
        .saturating_sub((l.bbox.y0() as usize).max(y0))
}

/// Puts each line before the first earlier line of its column (overlapping
/// it across) whose middle is lower: lines of one column read top to
/// bottom, and columns side by side keep their order.
pub fn reading_order(lines: &mut Vec<Line>) {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        let at = place_of(&out, &l);
        out.insert(at, l);
    }
    *lines = out;
}

/// Where `l` goes among `lines`: before the first line of the same column
/// (overlapping it across) whose middle is lower (tall, mis-cut boxes of
/// damaged pages overlap their neighbours' rows, so tops and overlaps do
/// not order them); first if it lies above every line (a running head at
/// the left over a date and a note set to the right, which no line
/// overlaps across); else last.
pub(crate) fn place_of(lines: &[Line], l: &Line) -> usize {
    let mid = |b: &BBox| b.y0() + b.y1();
    lines
        .iter()
        .position(|o| {
            mid(&o.bbox) > mid(&l.bbox) && o.bbox.x0() < l.bbox.x1() && l.bbox.x0() < o.bbox.x1()
        })
        .or_else(|| {
            lines
                .iter()
                .all(|o| o.bbox.y0() >= l.bbox.y1())
                .then_some(0)
        })
        .unwrap_or(lines.len())
}

/// Second pass over Tesseract's layout analysis, which on gazette pages
/// fails in two ways: it drops short isolated lines (page-number footers,
/// a lone 上班。), and it cuts a column of list markers (一、二、三、) off
/// from the lines they begin, reading it as one tall garbled line. Rows of
/// ink that no line covers, and rows that such a tall line spans, are
/// recognised again one row at a time as single lines.
pub fn repair_lines(
    r: &Raster,
    threshold: u8,
    dpi: f32,
    k: &RepairParams,
    lines: &mut Vec<Line>,
    mut read_line: impl FnMut(&Raster, u32, u32, BBox) -> Result<Vec<Line>, OcrError>,
) -> Result<(), OcrError> {
    let (w, h) = (r.width as usize, r.height as usize);
    let min_h = (dpi * k.min_row_in) as usize;
    let max_h = (dpi * k.max_row_in) as usize;
    let bands: Vec<(usize, usize)> = ink_bands(
        r,
        threshold,
        k.row_noise_share,
        (dpi * k.edge_margin_in) as usize,
        max_h,
    )
    .into_iter()
    .filter(|(y0, y1)| (min_h..=max_h).contains(&(y1 - y0)))
    .collect();
    // A line spanning two or more text rows is a mis-cut column.
    let spans = |l: &Line| {
        bands
            .iter()
            .filter(|(y0, y1)| overlap(l, *y0, *y1) * 2 >= y1 - y0)
            .count()
    };
    let mut redo: Vec<(usize, usize)> = Vec::new();
    let bad: Vec<bool> = lines.iter().map(|l| spans(l) >= k.miscut_rows).collect();
    for &(y0, y1) in &bands {
        let bh = y1 - y0;
        let in_bad = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| *b && overlap(l, y0, y1) * 2 >= bh);
        let covered = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| !*b && overlap(l, y0, y1) as f32 >= bh as f32 * k.covered_share);
        if in_bad || !covered {
            redo.push((y0, y1));
        }
    }
    tracing::trace!(?bands, ?redo, "rows of ink");
    if redo.len() > k.max_rereads {
        // Not a page of text rows (a picture, a table of boxes): leave
        // Tesseract's reading alone rather than spend minutes on it.
        return Ok(());
    }
    // Drop the tall lines, and any line of a row that is read again.
    let mut kept: Vec<Line> = Vec::with_capacity(lines.len());
    for (l, b) in lines.drain(..).zip(bad) {
        let centre = (l.bbox.y0() + l.bbox.y1()) as usize / 2;
        if !b && !redo.iter().any(|(y0, y1)| (*y0..*y1).contains(&centre)) {
            kept.push(l);
        }
    }
    *lines = kept;
    for (y0, y1) in redo {
        let bh = y1 - y0;
        // Print is looked for in the band's core, the rows around its
        // inkiest holding a share of that row's ink: show-through and
        // foxing beside a line of print join it into a band twice its
        // height (an old-paper contents entry under a bold title showing
        // through: 79 px for a 35 px line), where its print looked half
        // as dense as it is.
        let row_ink: Vec<u32> = (y0..y1)
            .map(|y| {
                r.pixels[y * w..(y + 1) * w]
                    .iter()
                    .filter(|p| **p <= threshold)
                    .count() as u32
            })
            .collect();
        // A core lower than the smallest print is a stroke's or a rule's
        // rows (a folio's dashes: — 1 — was cut into three pieces and
        // lost), not a line's: the whole band is then the line's.
        let (c0, c1) = choose::ink_band(&row_ink, k.core_share)
            .map(|(a, z)| (y0 + a, y0 + z))
            .filter(|(a, z)| z - a >= min_h)
            .unwrap_or((y0, y1));
        let Some(extent) = ink_extent(r, threshold, c0, c1, k.min_row_ink) else {
            tracing::trace!(y0, y1, c0, c1, "row without print");
            continue;
        };
        let (x0, x1, ink) = (extent.x0, extent.x1, extent.ink);
        // Text is dense ink; a slanted rule or a lone mark is not. Measured
        // over the pieces of print, not the gaps between them: a table's
        // row is cells far apart (an old-paper table's rows held 3.4% ink
        // across their extent, and were dropped at 5%).
        if x1 - x0 < bh / 2 || (ink as f32) < (extent.printed * (c1 - c0)) as f32 * k.min_row_ink {
            tracing::trace!(y0, y1, x0, x1, ink, "row not text");
            continue;
        }
        // Pieces far apart are read one by one and joined: read whole, the
        // second recogniser dropped figures in the gaps of a table's row
        // (重庆 90 10 100 100 100 read 重庆91010100, piece by piece
        // right).
        let mut found = Vec::new();
        for &(px0, px1) in &extent.pieces {
            let pad = bh / 2 + 2;
            let (cx0, cy0) = (px0.saturating_sub(pad), y0.saturating_sub(pad));
            let (cx1, cy1) = ((px1 + pad + 1).min(w), (y1 + pad).min(h));
            let crop = r.crop(
                cx0 as u32,
                cy0 as u32,
                (cx1 - cx0) as u32,
                (cy1 - cy0) as u32,
            );
            let ink_box = BBox([px0 as u32, y0 as u32, px1 as u32 + 1, y1 as u32]);
            for mut l in read_line(&crop, cx0 as u32, cy0 as u32, ink_box)? {
                if l.text.trim().is_empty() || l.confidence.get() < k.min_reread_confidence {
                    continue;
                }
                let b = l.bbox.0;
                l.bbox = BBox([
                    b[0] + cx0 as u32,
                    b[1] + cy0 as u32,
                    b[2] + cx0 as u32,
                    b[3] + cy0 as u32,
                ]);
                found.push(l);
            }
        }
        if extent.pieces.len() > 1 {
            found = join_pieces(found).into_iter().collect();
        }
        for l in found {
            let at = place_of(lines, &l);
            lines.insert(at, l);
        }
    }
    Ok(())
}
