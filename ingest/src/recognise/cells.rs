//! A vertical column's character cells: found on the column's grid (its
//! pitch fitted to the ink), specks dropped, the column's margin trimmed,
//! and a column read as one line.

use super::vertical::*;
use crate::page::{BBox, Raster};
use crate::pixel::{column_ink_in, ink_rows};

/// A column's cells, top to bottom, as `(y0, y1)` page rows: runs of ink
/// gathered while they fit in one cell, a run longer than a cell cut
/// evenly.
pub fn cells(r: &Raster, threshold: u8, col: BBox, k: &VerticalParams) -> Vec<(u32, u32)> {
    let rows = ink_rows(
        r,
        threshold,
        (col.x0() as usize, col.x1() as usize),
        (col.y0() as usize, col.y1() as usize),
    );
    let pitch = col.width().max(1) as f32;
    let max = (pitch * k.max_cell).max(1.0);
    let mut runs = Vec::new();
    let mut y = 0;
    while y < rows.len() {
        if rows[y] == 0 {
            y += 1;
            continue;
        }
        let s = y;
        while y < rows.len() && rows[y] > 0 {
            y += 1;
        }
        runs.push((s, y));
    }
    // Runs gathered while they fit in one cell.
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for run in runs {
        match groups.last_mut() {
            Some(g) if ((run.1 - g[0].0) as f32) <= max => g.push(run),
            _ => groups.push(vec![run]),
        }
    }
    let groups = regroup_on_grid(groups, pitch, max, k);
    let mut out: Vec<(u32, u32)> = Vec::new();
    let push = |(a, b): (usize, usize), out: &mut Vec<(u32, u32)>| {
        let h = (b - a) as f32;
        // Characters touching: cut the run into cells of one pitch.
        let n = if h > max {
            (h / pitch).round().max(1.0) as usize
        } else {
            1
        };
        for i in 0..n {
            let y0 = a + (b - a) * i / n;
            let y1 = a + (b - a) * (i + 1) / n;
            out.push((col.y0() + y0 as u32, col.y0() + y1 as u32));
        }
    };
    for g in &groups {
        if let (Some(first), Some(last)) = (g.first(), g.last()) {
            push((first.0, last.1), &mut out);
        }
    }
    drop_specks(&out, &rows, col.y0(), pitch, k)
}

/// The runs gathered again on the column's grid: runs on both sides of a
/// boundary between cells are two cells. Characters are set on a regular
/// pitch down a column; gathered by height alone, a mark low in its cell
/// joined a flat character high in the next (︵ over 一 read as 二, a
/// digit with 元's head stroke, leaving 兀), and a mark took the dot of
/// the character under it (、文 read `叉). The grid is fitted to the
/// centres of the cells a character fills (`grid_*`); runs are parted
/// where a boundary falls in the white between them, which a character's
/// own gaps (六's dot, 二's strokes) do not span. Without a grid (a short
/// column) the cells stay as gathered.
fn regroup_on_grid(
    groups: Vec<Vec<(usize, usize)>>,
    pitch: f32,
    max: f32,
    k: &VerticalParams,
) -> Vec<Vec<(usize, usize)>> {
    let span = |g: &[(usize, usize)]| match (g.first(), g.last()) {
        (Some(a), Some(b)) => (a.0 as f32, b.1 as f32),
        _ => (0.0, 0.0),
    };
    let full: Vec<f32> = groups
        .iter()
        .map(|g| span(g))
        .filter(|&(a, b)| b - a >= pitch * k.grid_full && b - a <= max)
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    let Some((a, p)) = fit_grid(&full, pitch, k) else {
        return groups;
    };
    // The number of the first boundary at or below row `y` (boundary `n`
    // stands at `a + (n + 0.5) p`, between slots `n` and `n + 1`).
    let boundary_from = |y: f32| ((y - a) / p - 0.5).ceil();
    // Characters touching (a run taller than a cell) are parted at the
    // boundaries within them, not evenly: 结合 touching in a serif face,
    // cut in halves, left 合's 口 a cell of its own. A piece begun at a
    // boundary begins a cell.
    let mut pieces: Vec<((usize, usize), bool)> = Vec::new();
    for run in groups.into_iter().flatten() {
        if ((run.1 - run.0) as f32) <= max {
            pieces.push((run, false));
            continue;
        }
        let mut start = run.0;
        let mut n = boundary_from(run.0 as f32);
        loop {
            let b = (a + (n + 0.5) * p).round() as usize;
            n += 1.0;
            if b <= start {
                continue;
            }
            if b >= run.1 {
                break;
            }
            pieces.push(((start, b), start != run.0));
            start = b;
        }
        pieces.push(((start, run.1), start != run.0));
    }
    // The runs gathered again: a run joins the cell above unless a
    // boundary falls in the white between them or the cell would grow
    // too tall.
    let mut out: Vec<Vec<(usize, usize)>> = Vec::with_capacity(pieces.len());
    for (run, at_boundary) in pieces {
        if let Some(g) = out.last_mut().filter(|_| !at_boundary) {
            if let (Some(first), Some(last)) = (g.first(), g.last()) {
                // The first boundary below the end of the run above.
                let boundary = a + (boundary_from(last.1 as f32) + 0.5) * p;
                if boundary > run.0 as f32 && ((run.1 - first.0) as f32) <= max {
                    g.push(run);
                    continue;
                }
            }
        }
        out.push(vec![run]);
    }
    out
}

/// The column's grid fitted to the centres of its full cells (`grid_*`):
/// the centre of slot 0 and the pitch, both in the column's rows; None
/// when too few steps between them say it.
pub(super) fn fit_grid(full: &[f32], pitch: f32, k: &VerticalParams) -> Option<(f32, f32)> {
    let mut steps: Vec<f32> = full
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&d| d >= pitch * k.grid_step.0 && d <= pitch * k.grid_step.1)
        .collect();
    if steps.len() < k.grid_min_steps {
        return None;
    }
    steps.sort_by(f32::total_cmp);
    let step0 = steps[steps.len() / 2];
    // Least squares of centre on slot number: over every full cell, again
    // without those lying off it (a cell wrongly gathered), and again
    // with the cells numbered by that fit.
    let fit = |pts: &[(f32, f32)]| -> Option<(f32, f32)> {
        let n = pts.len() as f32;
        let (sx, sy) = pts.iter().fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
        let (mx, my) = (sx / n, sy / n);
        let (sxy, sxx) = pts.iter().fold((0.0, 0.0), |(a, b), p| {
            (a + (p.0 - mx) * (p.1 - my), b + (p.0 - mx) * (p.0 - mx))
        });
        (sxx > 0.0).then(|| (my - sxy / sxx * mx, sxy / sxx))
    };
    // Slots numbered from the first cell by the mean step: the mean of
    // the steps between neighbours lying a whole number of steps apart
    // (within `grid_residual`), each divided by its number. Numbered by
    // the median step alone, half a row off (46 where characters of two
    // heights step 44 and 46 by turns, 44.5 for 45 on a tuning yellowed
    // page), a long column slipped a slot and the fit stood a third of a
    // cell off.
    let whole: Vec<f32> = full
        .windows(2)
        .filter_map(|w| {
            let d = w[1] - w[0];
            let m = (d / step0).round();
            (m >= 1.0 && (d / step0 - m).abs() <= k.grid_residual).then_some(d / m)
        })
        .collect();
    let step = whole.iter().sum::<f32>() / whole.len().max(1) as f32;
    let step = if whole.is_empty() { step0 } else { step };
    let pts: Vec<(f32, f32)> = full
        .iter()
        .map(|&c| (((c - full[0]) / step).round(), c))
        .collect();
    let (a, p) = fit(&pts)?;
    let kept: Vec<(f32, f32)> = pts
        .iter()
        .copied()
        .filter(|&(n, c)| (c - (a + p * n)).abs() <= step0 * k.grid_residual)
        .collect();
    let (a, p) = fit(&kept).filter(|&(_, p)| kept.len() > k.grid_min_steps && p > 0.0)?;
    // Numbered again by that fit, and fitted again.
    let kept: Vec<(f32, f32)> = full
        .iter()
        .map(|&c| (((c - a) / p).round(), c))
        .filter(|&(n, c)| (c - (a + p * n)).abs() <= step0 * k.grid_residual)
        .collect();
    // A pitch outside the steps' range is no grid (and would part a run
    // at every row).
    fit(&kept).filter(|&(_, p)| {
        kept.len() > k.grid_min_steps && p >= pitch * k.grid_step.0 && p <= pitch * k.grid_step.1
    })
}

/// Each column's cells without those in the margin under the page's
/// print: cells standing at least `margin_gap` column widths under the
/// rest of their column and lower than every other column's last cell
/// reaches. On a heavily damaged page specks bridge the white between the
/// columns and the folio (— 2 —), the folio is taken into the column over
/// it, and read at its end (…原校長2) it made a title of the column, a
/// document cut in two (a fresh-damage render of a tuning roster). A
/// table of contents' page numbers, set at the foot of every entry's
/// column, stand no lower than the others'. A column so trimmed is
/// narrowed to its cells' ink, as the folio's dashes widened it, and cut
/// into cells again. The columns keep their order; one left without cells
/// keeps none.
pub fn without_margin(
    r: &Raster,
    threshold: u8,
    columns: &[BBox],
    k: &VerticalParams,
) -> Vec<(BBox, Vec<(u32, u32)>)> {
    let all: Vec<Vec<(u32, u32)>> = columns.iter().map(|&c| cells(r, threshold, c, k)).collect();
    if columns.len() < 2 {
        return columns.iter().copied().zip(all).collect();
    }
    let mut widths: Vec<u32> = columns.iter().map(|c| c.width()).collect();
    widths.sort_unstable();
    let usual = widths.get(widths.len() / 3).copied().unwrap_or(1).max(1) as f32;
    let bottoms: Vec<u32> = all.iter().map(|cs| cs.last().map_or(0, |c| c.1)).collect();
    columns
        .iter()
        .zip(all)
        .enumerate()
        .map(|(i, (&c, cs))| {
            // Where the column's last stretch of cells begins after a wide
            // white, when it lies under every other column's end.
            let tail = (1..cs.len())
                .rev()
                .find(|&j| (cs[j].0 - cs[j - 1].1) as f32 >= usual * k.margin_gap)
                .filter(|&j| {
                    bottoms
                        .iter()
                        .enumerate()
                        .all(|(o, &b)| o == i || b < cs[j].0)
                });
            let Some(j) = tail else {
                return (c, cs);
            };
            let (top, bottom) = (cs[0].0, cs[j - 1].1);
            let ink = column_ink_in(
                r,
                threshold,
                (c.x0() as usize, c.x1() as usize),
                (top as usize, bottom as usize),
            );
            let x0 = ink
                .iter()
                .position(|&n| n > 0)
                .map_or(c.x0(), |x| c.x0() + x as u32);
            let x1 = ink
                .iter()
                .rposition(|&n| n > 0)
                .map_or(c.x1(), |x| c.x0() + x as u32 + 1)
                .max(x0 + 1);
            let narrowed = BBox([x0, c.y0(), x1, bottom]);
            (narrowed, cells(r, threshold, narrowed, k))
        })
        .collect()
}

/// `cells` without specks of damage standing alone (`speck_cell`,
/// `speck_gap`).
fn drop_specks(
    cells: &[(u32, u32)],
    rows: &[usize],
    top: u32,
    pitch: f32,
    k: &VerticalParams,
) -> Vec<(u32, u32)> {
    let ink = |&(a, b): &(u32, u32)| -> usize {
        rows[(a - top) as usize..(b - top) as usize].iter().sum()
    };
    let inks: Vec<usize> = cells.iter().map(ink).collect();
    // The median character's ink: of the cells a character fills (a short
    // column's specks outnumbered its characters on a heavily damaged
    // tuning page: the median cell was a speck, none was dropped, and the
    // column stood as a title), of all when none does.
    let tall = |c: &(u32, u32)| (c.1 - c.0) as f32 >= pitch * k.grid_full;
    let mut sorted: Vec<usize> = (0..cells.len())
        .filter(|&i| tall(&cells[i]))
        .map(|i| inks[i])
        .collect();
    if sorted.is_empty() {
        sorted = inks.clone();
    }
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0) as f32;
    let apart = pitch * k.speck_gap;
    let speck = |i: usize| {
        let above = i == 0 || (cells[i].0 - cells[i - 1].1) as f32 >= apart;
        let below = i + 1 == cells.len() || (cells[i + 1].0 - cells[i].1) as f32 >= apart;
        above && below && (inks[i] as f32) < median * k.speck_cell
    };
    (0..cells.len())
        .filter(|&i| !speck(i))
        .map(|i| cells[i])
        .collect()
}

/// The column's cells set side by side as a horizontal line, white round
/// them, each as a horizontal line would print it:
/// - a character takes a square of the column's width, centred on the
///   line's middle;
/// - a narrow cell (a digit, a Latin letter set upright) takes its own
///   width, as half-width print does;
/// - a small mark in the upper right of its column is vertical
///   punctuation (。，、 and their vertical forms sit there): it is set at
///   the lower left of its square, where a horizontal line prints them.
///
/// With the line, the span (`x0..x1`) each cell was set in and whether it
/// was narrow: what was printed there is half-width. A parenthesis set
/// upright at half a cell's width is the half-width (, one turned (︵) or
/// filling a cell the full-width （; Tesseract's models read both as ( (the
/// tuning split's traditional pages: 13 of one page's 26 errors).
pub fn as_line(
    r: &Raster,
    threshold: u8,
    col: BBox,
    cells: &[(u32, u32)],
    k: &VerticalParams,
) -> (Raster, Vec<(u32, u32, bool)>) {
    let w = col.width().max(1);
    let pitch = w as f32;
    let gap = (pitch * k.cell_gap).round() as u32;
    let margin = (pitch * k.margin).round() as u32;
    let tallest = cells.iter().map(|c| c.1 - c.0).max().unwrap_or(0).max(w);
    let height = tallest + 2 * margin;
    // Each cell's ink columns within the column.
    let extents: Vec<(u32, u32)> = cells
        .iter()
        .map(|&(y0, y1)| {
            let inked = |x: u32| (y0..y1).any(|y| r.get(x, y) <= threshold);
            let a = (col.x0()..col.x1()).find(|&x| inked(x)).unwrap_or(col.x0());
            let b = (col.x0()..col.x1())
                .rev()
                .find(|&x| inked(x))
                .map_or(col.x1(), |x| x + 1);
            (a, b.max(a + 1))
        })
        .collect();
    #[derive(PartialEq)]
    enum Kind {
        Square,
        Narrow,
        Mark,
        Turned,
    }
    // The share of a cell's box its ink fills.
    let fill = |(y0, y1): (u32, u32), (a, b): (u32, u32)| {
        let n = (y0..y1)
            .flat_map(|y| (a..b).map(move |x| (x, y)))
            .filter(|&(x, y)| r.get(x, y) <= threshold)
            .count();
        n as f32 / ((y1 - y0).max(1) * (b - a).max(1)) as f32
    };
    // Whether every row of a cell holds ink: a bracket is one stroke, 二
    // (as squat, as sparse in ukai) two with white between.
    let unbroken = |(y0, y1): (u32, u32), (a, b): (u32, u32)| {
        (y0..y1).all(|y| (a..b).any(|x| r.get(x, y) <= threshold))
    };
    // Whether a cell is bowed (`bowed_offset`, `side_stroke`): the mean
    // row of its middle fifth's ink off the box's middle, and the longest
    // run of ink down a column in its end fifths, as shares of its height.
    let bowed = |(y0, y1): (u32, u32), (a, b): (u32, u32)| {
        let (w, h) = (b - a, (y1 - y0).max(1));
        let fifth = (w / 5).max(1);
        let mid = a + (w - fifth) / 2;
        let (mut sum, mut n) = (0u64, 0u64);
        for y in y0..y1 {
            for x in mid..mid + fifth {
                if r.get(x, y) <= threshold {
                    sum += u64::from(y - y0);
                    n += 1;
                }
            }
        }
        if n == 0 {
            return false;
        }
        let offset = ((sum as f32 / n as f32 + 0.5) - h as f32 / 2.0).abs() / h as f32;
        let longest = |x: u32| {
            super::grid::bridged_runs(h as usize, 0, |y| r.get(x, y0 + y as u32) <= threshold)
                .into_iter()
                .map(|(s, e)| e - s)
                .max()
                .unwrap_or(0)
        };
        let side = (a..a + fifth)
            .chain(b.saturating_sub(fifth)..b)
            .map(longest)
            .max()
            .unwrap_or(0);
        offset >= k.bowed_offset && (side as f32) < k.side_stroke * h as f32
    };
    let kinds: Vec<Kind> = cells
        .iter()
        .zip(&extents)
        .map(|(&(y0, y1), &(a, b))| {
            let (cw, ch) = ((b - a) as f32, (y1 - y0) as f32);
            let centre = (a + b) as f32 / 2.0;
            if cw < pitch * k.mark
                && ch < pitch * k.mark
                && centre > col.x0() as f32 + pitch * k.mark_from
            {
                Kind::Mark
            } else if cw >= pitch * k.mark
                && ch < pitch * k.turned_height
                && unbroken((y0, y1), (a, b))
                && match fill((y0, y1), (a, b)) {
                    f if f < k.turned_fill => true,
                    f => f < k.bowed_fill && bowed((y0, y1), (a, b)),
                }
            {
                Kind::Turned
            } else if cw < pitch * k.narrow && ch >= pitch * k.mark {
                Kind::Narrow
            } else {
                Kind::Square
            }
        })
        .collect();
    let half_width = |i: usize| (extents[i].1 - extents[i].0).max(w / 2);
    let advance = |i: usize| match kinds[i] {
        // Half-width, as digits are set in horizontal print: a 1 at its
        // ink's width ran into the next character (11日 read 1訓).
        Kind::Narrow => half_width(i) + gap,
        _ => w + gap,
    };
    let width = 2 * margin + (0..cells.len()).map(advance).sum::<u32>();
    let mut out = Raster::blank(width.max(1), height.max(1));
    // The cells are set on white: copied as they are, a yellowed page's
    // cells stood as grey squares on the line, and Tesseract read their
    // edges (a held-out yellowed page: 日 read 目, 白 read 自, a comma
    // read ',). The column's paper is stretched to white instead.
    let paper = paper_level(r, threshold, col) as u32;
    let mut ox = margin;
    let mut spans = Vec::with_capacity(cells.len());
    for (i, &(y0, y1)) in cells.iter().enumerate() {
        let (a, b) = extents[i];
        let (cw, ch) = (b - a, y1 - y0);
        // Where the cell goes on the line, and whether it is turned.
        let (dx, dy, turned) = match kinds[i] {
            Kind::Square => (ox + a - col.x0(), margin + (tallest - ch) / 2, false),
            Kind::Narrow => (
                ox + (half_width(i) - cw) / 2,
                margin + (tallest - ch) / 2,
                false,
            ),
            Kind::Mark => (
                ox + (pitch * 0.1) as u32,
                margin + tallest - ch - (pitch * 0.1) as u32,
                false,
            ),
            // Turned a quarter to the left: ︵ becomes (, ﹁ becomes 「.
            Kind::Turned => (
                ox + w.saturating_sub(ch) / 2,
                margin + tallest.saturating_sub(cw) / 2,
                true,
            ),
        };
        // A pixel's offset from the cell's first ink column and row, placed.
        let place = |x: u32, y: u32| {
            if turned {
                (dx + y, dy + (cw - 1 - x))
            } else {
                (dx + x, dy + y)
            }
        };
        for y in y0..y1.min(r.height) {
            for x in a..b.min(r.width) {
                let p = (r.get(x, y) as u32 * 255 / paper).min(255) as u8;
                let (nx, ny) = place(x - a, y - y0);
                if nx < out.width && ny < out.height {
                    let o = &mut out.pixels[(ny * out.width + nx) as usize];
                    *o = (*o).min(p);
                }
            }
        }
        spans.push((ox, ox + advance(i), kinds[i] == Kind::Narrow));
        ox += advance(i);
    }
    (out, spans)
}

/// The grey level of a column's paper: the commonest level lighter than
/// ink within its box (at least 1).
fn paper_level(r: &Raster, threshold: u8, col: BBox) -> u8 {
    let mut hist = [0usize; 256];
    for y in col.y0()..col.y1().min(r.height) {
        let row = (y * r.width) as usize;
        for x in col.x0()..col.x1().min(r.width) {
            hist[r.pixels[row + x as usize] as usize] += 1;
        }
    }
    (threshold as usize + 1..256)
        .max_by_key(|&i| hist[i])
        .unwrap_or(255)
        .max(1) as u8
}
