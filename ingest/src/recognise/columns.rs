//! Pages set in two columns: where the gutter runs, and the page cut into
//! regions read one at a time in reading order, because Tesseract's page
//! segmentation (mode 4, one column of text) reads straight across a
//! gutter and interleaves the columns' lines.
//!
//! The page's rows of print are found first (as lines of ink); a gutter is
//! a band of columns near the middle of the page that no row's ink crosses
//! on most rows, and wider than any space between characters. Rows whose
//! ink does cross it (running heads, a title set across the page, a
//! folio) are full-width; runs of rows that do not are two-column bands.
//! Reading order: bands top to bottom; in a two-column band the left
//! column, then the right.

use crate::page::Raster;
use gazette_model::BBox;
use serde::{Deserialize, Serialize};

/// The numbers column finding decides by, measured on the renderer's
/// two-column gazette pages (`--two-columns`, gutter 2 characters) and
/// checked against every single-column set of `make eval` (none split).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnParams {
    /// The gutter lies between these fractions of the page's width.
    pub middle: (f32, f32),
    /// A gutter is at least this wide, in inches: wider than the space
    /// between two characters of body type (about 0.05 in at 12 pt), as
    /// wide as one character or more.
    pub min_gutter_in: f32,
    /// Of the page's rows of print, at least this share must leave the
    /// gutter empty (the rest cross it: heads, titles across the page).
    pub min_split_rows: f32,
    /// A two-column band holds at least this many rows; fewer (a short
    /// last line left of the middle) are read with the page.
    pub min_band_rows: usize,
    /// Each column has print on at least this share of a band's rows (and
    /// on `min_band_rows` of them): a last page's right column may stop
    /// early, but a signature right of the middle is no column.
    pub min_side_share: f32,
    /// Ink this close to the image's left or right side (inches) is no
    /// column's print: a photographed page's edge and its shadow, in
    /// pieces shorter than `max_row_in`, made a contents page's right
    /// margin a column beside its entries.
    pub edge_in: f32,
    /// A row has print in a column when its ink there spans at least this
    /// share of the column's width.
    pub min_line_fill: f32,
    /// The rows of each column span at least this share of the shorter
    /// column's height beside the other's.
    pub min_beside: f32,
    /// The gutter proper: columns that at most this share of the rows
    /// more than the emptiest column cross.
    pub gutter_tolerance: f32,
    /// A row of print taller than this, in inches, is lines run together:
    /// two columns whose lines do not line up leave no white row between
    /// them (a held-back roster page came out as one row 8 inches tall).
    /// Its rows are found again in each half of the page. (A title of
    /// three lines at 二号 stands under an inch.) A run of ink down the
    /// page longer than this is no type either (a photographed page's
    /// edge, a rule): it is left out of the rows.
    pub max_row_in: f32,
}

impl Default for ColumnParams {
    fn default() -> Self {
        ColumnParams {
            middle: (0.3, 0.7),
            min_gutter_in: 0.12,
            min_split_rows: 0.5,
            min_band_rows: 3,
            min_side_share: 0.25,
            min_beside: 0.5,
            edge_in: 0.25,
            min_line_fill: 0.25,
            gutter_tolerance: 0.05,
            max_row_in: 1.0,
        }
    }
}

/// A region of the page to read on its own, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub bbox: BBox,
}

/// Rows of print: runs of pixel rows holding ink (more than two pixels:
/// fewer are a speck), with gaps of up to two rows bridged.
fn rows(r: &Raster, threshold: u8) -> Vec<(usize, usize)> {
    crate::pixel::runs(&crate::pixel::row_ink(r, threshold), 3)
}

/// Rows of print, a row taller than `max` pixels (lines of two columns run
/// together) found again in the left and the right half of the page; in
/// order of their tops.
fn rows_split(r: &Raster, threshold: u8, max: usize) -> Vec<(usize, usize)> {
    let w = r.width as usize;
    let mut out = Vec::new();
    for (y0, y1) in rows(r, threshold) {
        if y1 - y0 <= max {
            out.push((y0, y1));
            continue;
        }
        for (x0, x1) in [(0, w / 2), (w / 2, w)] {
            let ink = crate::pixel::ink_rows(r, threshold, (x0, x1), (y0, y1));
            out.extend(
                crate::pixel::runs(&ink, 3)
                    .into_iter()
                    .map(|(a, b)| (y0 + a, y0 + b)),
            );
        }
    }
    out.sort_unstable();
    out
}

/// Per column of pixels, whether a row band holds ink there.
fn inked_columns(r: &Raster, threshold: u8, (y0, y1): (usize, usize)) -> Vec<bool> {
    let w = r.width as usize;
    let mut col = vec![false; w];
    for y in y0..y1 {
        for (x, p) in r.pixels[y * w..(y + 1) * w].iter().enumerate() {
            if *p <= threshold {
                col[x] = true;
            }
        }
    }
    col
}

/// The raster with every run of ink down a pixel column longer than
/// `min_run` set to paper, when there is one: no type is so tall, but the
/// edge of a photographed page, the dark surround beside it or a rule down
/// the page is. Left in, such a run is print on every row: it joined a
/// camera photo's rows into one, and stood for a second column beside a
/// roster (two photographed pages lost their folios).
fn without_long_runs(r: &Raster, threshold: u8, min_run: usize) -> Option<Raster> {
    let (w, h) = (r.width as usize, r.height as usize);
    let mut out: Option<Raster> = None;
    for x in 0..w {
        let mut start = None;
        for y in 0..=h {
            let ink = y < h && r.pixels[y * w + x] <= threshold;
            match (ink, start) {
                (true, None) => start = Some(y),
                (false, Some(s)) => {
                    if y - s > min_run {
                        let o = out.get_or_insert_with(|| r.clone());
                        for yy in s..y {
                            o.pixels[yy * w + x] = 255;
                        }
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// The regions to read, in order, when the page is set in two columns;
/// `None` for a page to read whole.
pub fn split(r: &Raster, threshold: u8, dpi: f32, k: &ColumnParams) -> Option<Vec<Region>> {
    let max_row = (dpi * k.max_row_in).max(1.0) as usize;
    let cleaned = without_long_runs(r, threshold, max_row);
    let r = cleaned.as_ref().unwrap_or(r);
    let w = r.width as usize;
    let rows = rows_split(r, threshold, max_row);
    if rows.len() < 2 * k.min_band_rows || w < 8 {
        return None;
    }
    let inked: Vec<Vec<bool>> = rows
        .iter()
        .map(|&b| inked_columns(r, threshold, b))
        .collect();
    // For each pixel column of the middle, how many rows leave it empty;
    // the gutter is the widest run of columns empty on the most rows.
    let (m0, m1) = (
        (w as f32 * k.middle.0) as usize,
        (w as f32 * k.middle.1) as usize,
    );
    let min_gutter = (dpi * k.min_gutter_in).max(4.0) as usize;
    let need = (rows.len() as f32 * k.min_split_rows).ceil() as usize;
    // A column is part of a gutter when at least `need` rows leave it empty.
    let empty_on: Vec<usize> = (m0..m1)
        .map(|x| inked.iter().filter(|c| !c[x]).count())
        .collect();
    // Of several runs, the gutter is the one the fewest rows cross, then
    // the widest: in a roster set in two columns, the space between the
    // names and the offices of the right column is empty on most rows and
    // wider than the gutter, but the lines wrapped under them cross it.
    let mut best: Option<(usize, usize, usize)> = None;
    let mut x = 0;
    while x < empty_on.len() {
        if empty_on[x] < need {
            x += 1;
            continue;
        }
        let s = x;
        while x < empty_on.len() && empty_on[x] >= need {
            x += 1;
        }
        let most = empty_on[s..x].iter().copied().max().unwrap_or(0);
        if x - s >= min_gutter && best.is_none_or(|(a, b, m)| (most, x - s) > (m, b - a)) {
            best = Some((s, x, most));
        }
    }
    let (a, b, _) = best?;
    // The gutter proper is where the fewest rows cross: beside it, the
    // ends of short lines leave the column's edge empty on many rows too,
    // and rows reaching there must not count as crossing.
    let most = empty_on[a..b].iter().copied().max().unwrap_or(0);
    let tol = (rows.len() as f32 * k.gutter_tolerance).ceil() as usize;
    let mut core: Option<(usize, usize)> = None;
    let mut x = a;
    while x < b {
        if empty_on[x] + tol < most {
            x += 1;
            continue;
        }
        let s = x;
        while x < b && empty_on[x] + tol >= most {
            x += 1;
        }
        if x - s >= min_gutter && core.is_none_or(|(c0, c1)| x - s > c1 - c0) {
            core = Some((s, x));
        }
    }
    tracing::trace!(?best, ?core, most, m0, "gutter");
    let (g0, g1) = core.map(|(c0, c1)| (c0 + m0, c1 + m0))?;
    // Rows whose ink runs through the gutter's middle are full-width; the
    // rest split. (Its edges are not looked at: a line's last mark may
    // hang a little into the gutter.)
    let mid = (g0 + g1) / 2;
    let q = (min_gutter / 4).max(1);
    let crosses: Vec<bool> = inked
        .iter()
        .map(|c| c[mid - q..mid + q].iter().any(|i| *i))
        .collect();
    // Print of a column lies inside the page's margins: marks at the
    // image's very sides (what is left of a photographed page's edge and
    // shadow) are none.
    // And a column's line runs across a good part of it: a contents
    // page's page numbers, right of its entries, are no column.
    let edge = ((dpi * k.edge_in) as usize).min(g0);
    let fills = |i: usize, (a, b): (usize, usize)| {
        let row = &inked[i][a..b];
        match (row.iter().position(|x| *x), row.iter().rposition(|x| *x)) {
            (Some(f), Some(l)) => (l + 1 - f) as f32 >= (b - a) as f32 * k.min_line_fill,
            _ => false,
        }
    };
    let left_ink = |i: usize| fills(i, (edge, g0));
    let right_ink = |i: usize| fills(i, (g1, w.saturating_sub(edge).max(g1)));
    // Bands: runs of rows of one kind.
    let mut bands: Vec<(bool, usize, usize)> = Vec::new(); // (split, first row, last row)
    for (i, c) in crosses.iter().enumerate() {
        match bands.last_mut() {
            Some((s, _, last)) if *s != *c => *last = i,
            _ => bands.push((!c, i, i)),
        }
    }
    // A split band too short to be columns, or with print on one side on
    // only a few rows (short lines left of the middle, a signature right
    // of it), is read with the page.
    for b in bands.iter_mut().filter(|b| b.0) {
        let n = b.2 - b.1 + 1;
        let need = (n as f32 * k.min_side_share).ceil() as usize;
        let need = need.max(k.min_band_rows);
        let left: Vec<usize> = (b.1..=b.2).filter(|&i| left_ink(i)).collect();
        let right: Vec<usize> = (b.1..=b.2).filter(|&i| right_ink(i)).collect();
        // Columns stand side by side: the rows of one run down beside the
        // other's (a right column may stop early). Print left of the middle
        // and then, below it, print right of it (a signature set twice, on
        // the left and again on the right) is no pair of columns.
        let span = |v: &[usize]| {
            let (a, b) = (v.first().copied()?, v.last().copied()?);
            Some((rows[a].0, rows[b].1))
        };
        let beside = match (span(&left), span(&right)) {
            (Some((l0, l1)), Some((r0, r1))) => {
                let shared = l1.min(r1).saturating_sub(l0.max(r0));
                shared as f32 >= (l1 - l0).min(r1 - r0) as f32 * k.min_beside
            }
            _ => false,
        };
        // A right column may hold only the last lines of a page's text,
        // from the band's top (a document's signature and date run on into
        // it); read with the page, Tesseract joined its first line to the
        // left column's.
        let ends_early = right.first().is_some_and(|&i| i == b.1);
        let right_ok = right.len() >= need || ends_early;
        if n < k.min_band_rows || left.len() < need || !right_ok || !beside {
            b.0 = false;
        }
    }
    tracing::trace!(?bands, "column bands");
    if tracing::enabled!(tracing::Level::TRACE) {
        for (i, row) in rows.iter().enumerate() {
            let xs: Vec<usize> = (0..w).filter(|&x| inked[i][x]).collect();
            tracing::trace!(?row, first = ?xs.first(), last = ?xs.last(), left = left_ink(i), right = right_ink(i), "row");
        }
    }
    if !bands.iter().any(|b| b.0) {
        return None;
    }
    // Merge neighbours of one kind again.
    let mut merged: Vec<(bool, usize, usize)> = Vec::new();
    for b in bands {
        match merged.last_mut() {
            Some(m) if m.0 == b.0 => m.2 = b.2,
            _ => merged.push(b),
        }
    }
    // Regions reach half way into the space between bands, so no print
    // between rows is cut. (Rows found in the halves overlap: a band's
    // extent is its rows' highest top and lowest bottom.)
    let h = r.height as usize;
    let end = |b: &(bool, usize, usize)| (b.1..=b.2).map(|i| rows[i].1).max().unwrap_or(0);
    let start = |b: &(bool, usize, usize)| (b.1..=b.2).map(|i| rows[i].0).min().unwrap_or(0);
    // Bands follow one another down the page. A band reaching below the
    // next one's top holds a row round other rows (a photographed table's
    // frame, its rules too broken to be left out, made one row 2 400 px
    // tall round the page's other rows): regions cut from such bands
    // overlap and their lines were read twice. The page is read whole.
    if merged.windows(2).any(|p| start(&p[1]) < end(&p[0])) {
        tracing::debug!(?merged, "column bands overlap: read whole");
        return None;
    }
    let top_of = |i: usize| {
        if i == 0 {
            0
        } else {
            (end(&merged[i - 1]) + start(&merged[i])) / 2
        }
    };
    let bottom_of = |i: usize| {
        if i + 1 == merged.len() {
            h
        } else {
            (end(&merged[i]) + start(&merged[i + 1])) / 2
        }
    };
    let mut out = Vec::new();
    for (i, b) in merged.iter().enumerate() {
        let (y0, y1) = (top_of(i) as u32, bottom_of(i) as u32);
        if b.0 {
            out.push(Region {
                bbox: BBox([0, y0, mid as u32, y1]),
            });
            out.push(Region {
                bbox: BBox([mid as u32, y0, w as u32, y1]),
            });
        } else {
            out.push(Region {
                bbox: BBox([0, y0, w as u32, y1]),
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of "lines": rows of blocks 20 px tall, 40 px apart, each a
    /// run of 30-px characters with 6-px gaps between x0 and x1.
    fn page(w: u32, h: u32, lines: &[(u32, u32, u32)]) -> Raster {
        let mut r = Raster::blank(w, h);
        for &(y, x0, x1) in lines {
            let mut x = x0;
            while x + 30 <= x1 {
                for yy in y..y + 20 {
                    for xx in x..x + 30 {
                        r.pixels[(yy * w + xx) as usize] = 0;
                    }
                }
                x += 36;
            }
        }
        r
    }

    #[test]
    fn two_columns_under_a_full_width_head_are_read_left_then_right() {
        // A head across the page, then ten rows in two columns with a
        // 70-px gutter at 300 dpi.
        let mut lines = vec![(40, 100, 1100)];
        for i in 0..10 {
            let y = 120 + 40 * i;
            lines.push((y, 100, 560));
            lines.push((y, 630, 1100));
        }
        let r = page(1200, 600, &lines);
        let regions = split(&r, 128, 300.0, &ColumnParams::default()).expect("two columns");
        assert_eq!(regions.len(), 3, "{regions:?}");
        let [head, left, right] = [&regions[0].bbox, &regions[1].bbox, &regions[2].bbox];
        assert_eq!((head.x0(), head.x1()), (0, 1200));
        assert!(head.y1() > 60 && head.y1() <= 120);
        assert!(left.x1() > 560 && left.x1() < 630, "{left:?}");
        assert_eq!(right.x0(), left.x1());
        assert_eq!((left.y0(), left.y1()), (right.y0(), right.y1()));
        assert_eq!(left.y1(), 600);
    }

    #[test]
    fn a_table_filling_a_column_stands_as_its_rows() {
        // The right column holds a ruled table run on from the left
        // column's foot, then three lines of text. Set to paper, the table left the column too sparse
        // to count and the page was read across its columns (a tuning
        // two-column issue, 41% CER); standing as rows of print as wide
        // as the table, the column is found and the table lies in it.
        use crate::recognise::grid::{as_rows, in_one_column, GridParams};
        let mut lines = vec![(40, 100, 1100)];
        for i in 0..14 {
            lines.push((120 + 40 * i, 100, 560));
        }
        for i in 0..3 {
            lines.push((560 + 40 * i, 630, 1100));
        }
        let r = page(1200, 700, &lines);
        let table = BBox([630, 110, 1100, 540]);
        let k = ColumnParams::default();
        assert_eq!(split(&r, 128, 300.0, &k), None, "set to paper");
        let stood = as_rows(&r, &[table], 300.0, &GridParams::default());
        let regions = split(&stood, 128, 300.0, &k).expect("two columns");
        let boxes: Vec<BBox> = regions.iter().map(|r| r.bbox).collect();
        assert_eq!(boxes.len(), 3, "{boxes:?}");
        assert!(in_one_column(&boxes, table), "{boxes:?}");
        // A table across the page stands as rows across it: no columns
        // beside it.
        let wide = BBox([100, 240, 1100, 680]);
        let mut short = vec![(40, 100, 1100)];
        for i in 0..3 {
            short.push((120 + 40 * i, 100, 560));
            short.push((120 + 40 * i, 630, 1100));
        }
        let stood = as_rows(
            &page(1200, 700, &short),
            &[wide],
            300.0,
            &GridParams::default(),
        );
        assert!(split(&stood, 128, 300.0, &k).is_none_or(|rs| {
            let boxes: Vec<BBox> = rs.iter().map(|r| r.bbox).collect();
            in_one_column(&boxes, wide)
        }));
    }

    #[test]
    fn columns_whose_lines_do_not_line_up_are_found() {
        // A head, then two columns whose lines are offset by half a line:
        // no white row runs across the page below the head.
        let mut lines = vec![(40, 100, 1100)];
        for i in 0..14 {
            lines.push((120 + 30 * i, 100, 560));
            lines.push((135 + 30 * i, 630, 1100));
        }
        let r = page(1200, 600, &lines);
        let regions = split(&r, 128, 300.0, &ColumnParams::default()).expect("two columns");
        assert_eq!(regions.len(), 3, "{regions:?}");
        let [left, right] = [&regions[1].bbox, &regions[2].bbox];
        assert!(left.x1() > 560 && left.x1() < 630, "{left:?}");
        assert!(left.y0() <= 120 && left.y1() >= 555, "{left:?}");
        assert_eq!((left.y0(), left.y1()), (right.y0(), right.y1()));
    }

    #[test]
    fn the_edge_of_a_photographed_page_is_no_column() {
        // One column of lines ending anywhere short of the middle's right,
        // beside the dark edge of the page a camera caught down the right
        // side: the edge joined every row and stood for a right column.
        let mut lines = vec![(40, 100, 1100)];
        for i in 0..14 {
            lines.push((120 + 40 * i, 100, 560 + (i * 37) % 140));
        }
        let mut r = page(1200, 700, &lines);
        for y in 150..650 {
            for x in 1170..1185 {
                r.pixels[y * 1200 + x] = 30;
            }
        }
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
        // An edge in pieces, each shorter than an inch, at the image's
        // side.
        let mut r = page(1200, 700, &lines);
        for y0 in (120..660).step_by(40) {
            for y in y0..y0 + 20 {
                for x in 1182..1195 {
                    r.pixels[y * 1200 + x] = 30;
                }
            }
        }
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
        // The same lines with a right column beside them are two columns.
        for i in 0..14 {
            lines.push((120 + 40 * i, 760, 1100));
        }
        let mut r = page(1200, 700, &lines);
        for y in 0..700 {
            for x in 1170..1185 {
                r.pixels[y * 1200 + x] = 30;
            }
        }
        let regions = split(&r, 128, 300.0, &ColumnParams::default()).expect("two columns");
        assert_eq!(regions.len(), 3, "{regions:?}");
    }

    #[test]
    fn print_left_then_right_below_it_is_no_pair_of_columns() {
        // A signature block on the left and the same again on the right
        // under it (a photographed held-back page): both sides have print
        // on enough rows of the band, but not beside each other.
        // (The lines across the page are set off the others' character
        // grid, as print is: gaps lined up down the page are no gutter.)
        let mut lines = vec![(40, 118, 1100)];
        // A roster: names and offices, every line ending left of the
        // middle, then a line across the page.
        for i in 0..10 {
            lines.push((120 + 40 * i, 100, 400 + (i * 37) % 150));
        }
        lines.push((520, 127, 1100));
        for i in 0..3 {
            lines.push((560 + 40 * i, 100, 400));
        }
        for i in 0..3 {
            lines.push((680 + 40 * i, 760, 1100));
        }
        let r = page(1200, 900, &lines);
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
    }

    #[test]
    fn a_right_column_of_one_line_at_the_top_is_a_column() {
        // A last page: the left column full, the right holding only the
        // document's date, on the band's first row.
        let mut lines = vec![(40, 118, 1100)];
        for i in 0..10 {
            lines.push((120 + 40 * i, 100, 560));
        }
        lines.push((120, 800, 1100));
        let r = page(1200, 600, &lines);
        let regions = split(&r, 128, 300.0, &ColumnParams::default()).expect("two columns");
        assert_eq!(regions.len(), 3, "{regions:?}");
        // The same line lower down, beside the column, is not the end of
        // a column (a date set right of the text).
        let last = lines.len() - 1;
        lines[last] = (320, 800, 1100);
        let r = page(1200, 600, &lines);
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
    }

    #[test]
    fn a_contents_page_numbers_are_no_column() {
        // Entries ending left of the middle, each with its page number at
        // the right margin.
        let mut lines = vec![(40, 118, 1100)];
        for i in 0..8 {
            lines.push((120 + 40 * i, 100, 460 + (i * 37) % 100));
            lines.push((120 + 40 * i, 1064, 1100));
        }
        let r = page(1200, 500, &lines);
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
    }

    #[test]
    fn one_column_with_short_lines_is_read_whole() {
        // Full rows, with paragraph ends stopping short of the middle and
        // character gaps lined up down the page.
        let mut lines = Vec::new();
        for i in 0..12 {
            let y = 40 + 40 * i;
            let x1 = if i % 4 == 3 { 500 } else { 1100 };
            lines.push((y, 100, x1));
        }
        let r = page(1200, 600, &lines);
        assert_eq!(split(&r, 128, 300.0, &ColumnParams::default()), None);
    }
}
