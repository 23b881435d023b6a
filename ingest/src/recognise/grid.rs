//! Ruled grids: the boxes of a page's tables drawn as grids of rules, so
//! that the lines read inside them are known as a table's cells.
//!
//! Segmentation takes a line set larger and centred for a title; a table's
//! header row (坐标编号 X坐标 Y坐标 说明) is both, read without the rules
//! between its cells. Only the image knows it lies in a grid: the OCR
//! stage finds the grids and marks the lines inside (`Line::in_table`).
//!
//! A grid is at least `min_rules` vertical rules (thin runs of ink down
//! the page, longer than any stroke of type) side by side over a common
//! stretch, crossed by at least `min_across` horizontal rules running most
//! of the way across them. A boxed notice has two vertical sides; a red
//! header's large characters have no stroke as long with a rule across.

use crate::page::{BBox, Line, Raster};

/// The numbers of grid finding. Lengths in inches, scaled by the page's
/// resolution. Set by hand on the renderer's ruled tables (the tuning
/// documents' tables at 150–300 dpi, clean to heavy damage), not swept.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GridParams {
    /// A vertical rule is a run of ink at least this long: a table row of
    /// one line is about 0.25 in, so a grid of two rows passes, while the
    /// longest stroke of a 二号 title character (22 pt) is 0.3 in.
    pub min_rule_in: f32,
    /// Breaks in a rule up to this long are bridged (damage, dropouts).
    pub max_break_in: f32,
    /// A rule is at most this thick; thicker runs are a block of ink (a
    /// picture, the dark surround of a photographed page).
    pub max_rule_thick_in: f32,
    /// At least this many vertical rules make a grid (a table of two
    /// columns has three).
    pub min_rules: usize,
    /// Two rules are one grid's when they stand beside each other down at
    /// least this share of the shorter one's length.
    pub min_beside: f32,
    /// A horizontal rule runs across at least this share of the grid's
    /// width (checked in a band three pixels high, for residual skew).
    pub across_share: f32,
    /// At least this many horizontal rules cross a grid (its top and
    /// bottom).
    pub min_across: usize,
    /// Two neighbouring rules are joined by a rule across when this share
    /// of the pixel columns between them is inked on one row (a damaged
    /// rule has dropouts; a gutter between two tables is white).
    pub join_share: f32,
    /// For the column finder a grid stands as rows of print this thick…
    pub stand_in_row_in: f32,
    /// …this far apart (a body line of 10.5–16 pt is 0.15–0.22 in, set
    /// 0.25–0.3 in apart).
    pub stand_in_pitch_in: f32,
    /// Erasing rules ([`without_rules`]): breaks in a vertical rule up to
    /// this long are bridged. An old-paper table's rules, looked for with
    /// their neighbouring pixel columns, ran 470–630 px of a 640 px table
    /// at 300 dpi with 0.03 in bridged, 170–265 px with 0.015 in.
    pub erase_break_in: f32,
    /// …and between two vertical rules a pixel row inked at least this
    /// share of the way across is a rule across, when the rows
    /// `erase_thin_in` above and below it are inked less than half as
    /// much. An old-paper table's broken rules across: 61% of their
    /// columns inked within three pixel rows.
    pub erase_across_share: f32,
    pub erase_thin_in: f32,
    /// A rule is painted out with this much of the page beside it, each
    /// side (a pixel at 300 dpi; a rule across with one more row): residual
    /// skew moves a rule a pixel column or two along its length, leaving
    /// stubs read as 1 beside a cell's figures. Two pixels changed nothing
    /// on the tuning old-paper table page.
    pub erase_beside_in: f32,
}

impl Default for GridParams {
    fn default() -> Self {
        Self {
            min_rule_in: 0.35,
            max_break_in: 0.015,
            max_rule_thick_in: 0.04,
            min_rules: 3,
            min_beside: 0.5,
            across_share: 0.8,
            min_across: 2,
            join_share: 0.95,
            stand_in_row_in: 0.12,
            stand_in_pitch_in: 0.25,
            erase_break_in: 0.03,
            erase_across_share: 0.5,
            erase_thin_in: 0.025,
            erase_beside_in: 0.0033,
        }
    }
}

/// A vertical rule: the pixel columns it covers and its extent down.
#[derive(Clone, Copy, Debug)]
struct Rule {
    x0: u32,
    x1: u32,
    y0: u32,
    y1: u32,
}

/// The boxes of the page's ruled grids.
pub fn grids(r: &Raster, threshold: u8, dpi: f32, k: &GridParams) -> Vec<BBox> {
    let (w, h) = (r.width as usize, r.height as usize);
    let min_run = (k.min_rule_in * dpi).max(1.0) as usize;
    let max_break = (k.max_break_in * dpi) as usize;
    let max_thick = (k.max_rule_thick_in * dpi).max(1.0) as u32;
    if h < min_run || w == 0 {
        return Vec::new();
    }
    // Long runs down each pixel column, neighbouring columns' overlapping
    // runs joined into one rule.
    let mut rules: Vec<Rule> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for x in 0..w {
        let here: Vec<(usize, usize)> =
            bridged_runs(h, max_break, |y| r.pixels[y * w + x] < threshold)
                .into_iter()
                .filter(|(y0, y1)| y1 - y0 >= min_run)
                .collect();
        let mut next_open = Vec::new();
        for (y0, y1) in here {
            let joined = open.iter().copied().find(|&i| {
                let q = &rules[i];
                q.x1 + 1 == x as u32 && (q.y0 as usize) < y1 && y0 < q.y1 as usize
            });
            match joined {
                Some(i) => {
                    let q = &mut rules[i];
                    q.x1 = x as u32;
                    q.y0 = q.y0.min(y0 as u32);
                    q.y1 = q.y1.max(y1 as u32);
                    next_open.push(i);
                }
                None => {
                    rules.push(Rule {
                        x0: x as u32,
                        x1: x as u32,
                        y0: y0 as u32,
                        y1: y1 as u32,
                    });
                    next_open.push(rules.len() - 1);
                }
            }
        }
        open = next_open;
    }
    rules.retain(|q| q.x1 + 1 - q.x0 <= max_thick);
    // Rules that stand beside each other down most of the shorter one's
    // length are one grid's (joined through the longer ones: a grid's
    // outer rules run its whole height). Any overlap was too loose: a
    // header row printed over the next column's text, its rules ending
    // where a table below began, joined the two and made neither a grid.
    let n = rules.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (rules[i], rules[j]);
            let shared = a.y1.min(b.y1).saturating_sub(a.y0.max(b.y0));
            let shorter = (a.y1 - a.y0).min(b.y1 - b.y0);
            if shared as f32 >= shorter as f32 * k.min_beside {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, q) in rules.iter().enumerate() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(*q);
    }
    // Rules beside each other are one grid's only where rules across join
    // them: two tables side by side, one in each column of a page, stand
    // beside each other down the page, but nothing crosses the gutter
    // between them (a held-back two-column page read as one grid, across
    // its columns, at 70% CER).
    // Each rule is joined to the nearest rule right of it that stands
    // beside it; rules of one grid are then those joined, through any
    // chain (a rule broken into pieces, or one under a merged header cell,
    // shares no rows with its neighbour down the same line, but each
    // piece is joined to the rule right of it).
    let mut out = Vec::new();
    for mut group in by_root.into_values() {
        group.sort_by_key(|q| q.x0);
        let m = group.len();
        let mut up: Vec<usize> = (0..m).collect();
        for i in 0..m {
            let a = group[i];
            let next = (i + 1..m).find(|&j| {
                let b = group[j];
                b.x0 > a.x1 && a.y0.max(b.y0) < a.y1.min(b.y1)
            });
            if let Some(j) = next {
                if joined(r, threshold, &a, &group[j], k) {
                    let (ri, rj) = (root(&mut up, i), root(&mut up, j));
                    up[ri] = rj;
                }
            }
        }
        let mut parts: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
        for (i, q) in group.iter().enumerate() {
            parts.entry(root(&mut up, i)).or_default().push(*q);
        }
        out.extend(
            parts
                .values()
                .filter_map(|part| grid_of(r, threshold, part, k)),
        );
    }
    out
}

/// Runs of ink (start, end exclusive) along a line of `n` pixels, where
/// `inked(i)` tells ink, breaks of up to `gap` pixels bridged.
pub(crate) fn bridged_runs(
    n: usize,
    gap: usize,
    inked: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut last) = (None::<usize>, 0usize);
    for i in (0..n).filter(|&i| inked(i)) {
        match start {
            Some(s) if i - last > gap + 1 => {
                out.push((s, last + 1));
                start = Some(i);
            }
            None => start = Some(i),
            _ => {}
        }
        last = i;
    }
    if let Some(s) = start {
        out.push((s, last + 1));
    }
    out
}

/// The grid `rules` make, if they are enough and rules run across them.
fn grid_of(r: &Raster, threshold: u8, rules: &[Rule], k: &GridParams) -> Option<BBox> {
    let first = rules.first()?;
    let b = rules.iter().fold(
        BBox([first.x0, first.y0, first.x1 + 1, first.y1]),
        |g, q| {
            BBox([
                g.x0().min(q.x0),
                g.y0().min(q.y0),
                g.x1().max(q.x1 + 1),
                g.y1().max(q.y1),
            ])
        },
    );
    (rules.len() >= k.min_rules && across(r, threshold, b, k) >= k.min_across).then_some(b)
}

/// Whether a rule across joins `a` to `b` (right of it): on some pixel row
/// both stand on, ink runs (`join_share` of) the way between them, within
/// a band three pixels high, for residual skew.
fn joined(r: &Raster, threshold: u8, a: &Rule, b: &Rule, k: &GridParams) -> bool {
    let w = r.width as usize;
    let (x0, x1) = (a.x1 as usize + 1, b.x0 as usize);
    if x1 <= x0 {
        return true;
    }
    let y0 = (a.y0.max(b.y0) as usize).saturating_sub(2).max(1);
    let y1 = (a.y1.min(b.y1) as usize + 2).min(r.height as usize - 1);
    let need = ((x1 - x0) as f32 * k.join_share).ceil() as usize;
    (y0..y1).any(|y| {
        (x0..x1)
            .filter(|&x| (y - 1..=y + 1).any(|yy| r.pixels[yy * w + x] < threshold))
            .count()
            >= need
    })
}

/// How many horizontal rules run across `b` (at least `across_share` of
/// its width inked in a band three pixels high); a rule's neighbouring
/// pixel rows count once.
fn across(r: &Raster, threshold: u8, b: BBox, k: &GridParams) -> usize {
    let w = r.width as usize;
    let (x0, x1) = (b.x0() as usize, (b.x1() as usize).min(w));
    let need = ((x1 - x0) as f32 * k.across_share).ceil() as usize;
    // A rule at the grid's top or bottom edge may lie a pixel or two
    // outside the vertical rules' ends.
    let y0 = (b.y0() as usize).saturating_sub(2).max(1);
    let y1 = (b.y1() as usize + 2).min(r.height as usize - 1);
    let (mut rules, mut in_rule) = (0, false);
    for y in y0..y1 {
        let inked = (x0..x1)
            .filter(|&x| (y - 1..=y + 1).any(|yy| r.pixels[yy * w + x] < threshold))
            .count();
        let rule = inked >= need;
        if rule && !in_rule {
            rules += 1;
        }
        in_rule = rule;
    }
    rules
}

/// A copy of the page with its rules painted paper-white, or `None` when
/// it has none: for finding the rows of print a table holds, and reading
/// them without the rules between their cells.
///
/// Vertical rules are runs of ink at least `min_rule_in` long, looked for
/// in each pixel column with its neighbours (a rule two or three pixels
/// wide whose dropouts fall on different columns), breaks up to
/// `erase_break_in` bridged. Horizontal rules are erased only between two
/// vertical rules: a thin row of ink most of the way from one to the other.
///
/// On aged, broken letterpress a table's rules are dashes no longer than a
/// cell (an old-paper table page: its longest unbroken stretch of rule 66
/// px at 300 dpi), so the grid finder sees no table; the dashes tied its
/// rows into one band too tall for a line, and its rows went unread.
pub fn without_rules(r: &Raster, threshold: u8, dpi: f32, k: &GridParams) -> Option<Raster> {
    let (w, h) = (r.width as usize, r.height as usize);
    if w < 3 || h < 3 {
        return None;
    }
    let min_run = (k.min_rule_in * dpi).max(1.0) as usize;
    let max_break = (k.erase_break_in * dpi) as usize;
    let thin = (k.erase_thin_in * dpi).max(2.0) as usize;
    let beside = (k.erase_beside_in * dpi).round().max(1.0) as usize;
    let ink = |x: usize, y: usize| r.pixels[y * w + x] < threshold;
    let mut out: Option<Raster> = None;
    // For each pixel row, the pixel columns of vertical rules crossing it.
    let mut rules_at: Vec<Vec<usize>> = vec![Vec::new(); h];
    for x in 0..w {
        let near = |y: usize| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|xx| ink(xx, y));
        for (y0, y1) in bridged_runs(h, max_break, near) {
            if y1 - y0 >= min_run {
                let o = out.get_or_insert_with(|| r.clone());
                // With the columns beside it, whose ink it was found
                // with: residual skew moves a rule a column or two down
                // a table, leaving stubs read as 1 beside a cell's figures.
                for y in y0..y1 {
                    o.pixels[y * w + x.saturating_sub(beside)..y * w + (x + beside + 1).min(w)]
                        .fill(255);
                }
                // The rules across at its ends lie a pixel or few beyond
                // them (their top rows above the vertical rules' first).
                let (a, z) = (y0.saturating_sub(max_break), (y1 + max_break).min(h));
                for at in &mut rules_at[a..z] {
                    at.push(x);
                }
            }
        }
    }
    // Distinct rules (more than a rule's width apart) crossing each row.
    let distinct: Vec<Vec<usize>> = rules_at
        .iter()
        .map(|at| {
            let mut rules: Vec<usize> = Vec::new();
            for &x in at {
                match rules.last_mut() {
                    Some(last) if x <= *last + 8 => *last = x,
                    _ => rules.push(x),
                }
            }
            rules
        })
        .collect();
    // Only a table's rules are erased: a page with fewer rules side by
    // side than a grid has is left as it is (a scan's dark edges and a
    // stray long stroke are no table, and painting them out moved the
    // rows of an old-paper page that Tesseract had read).
    if !distinct.iter().any(|rules| rules.len() >= k.min_rules) {
        return None;
    }
    let share = |y: usize, a: usize, z: usize| {
        let inked = (a..z)
            .filter(|&x| (y.saturating_sub(1)..=(y + 1).min(h - 1)).any(|yy| ink(x, yy)))
            .count();
        inked as f32 / (z - a).max(1) as f32
    };
    // Only rules across a table are painted: long runs of ink along a row
    // are also the strokes of touching characters on aged paper (painted
    // out, they cut an old-paper line into two rows, and its reading was
    // lost). Between two vertical rules, a row inked most of the way
    // across while the rows a rule's thickness above and below are not is
    // a rule across: broken into dashes and drifting a pixel row or two
    // with residual skew, it is no run (an old-paper table's rule across:
    // gaps of 15–34 px, over nine pixel rows), but a cell's print is as
    // tall as a line. The rows are measured on the page as scanned, so
    // painting as we go changes nothing found.
    for (y, rules) in distinct.iter().enumerate() {
        if y < thin || y + thin >= h {
            continue;
        }
        for pair in rules.windows(2) {
            let (a, z) = (pair[0] + 3, pair[1].saturating_sub(3));
            if z <= a {
                continue;
            }
            let here = share(y, a, z);
            if here >= k.erase_across_share
                && share(y - thin, a, z) * 2.0 < here
                && share(y + thin, a, z) * 2.0 < here
            {
                // With the rows beside it: skew leaves the rule's dashes
                // a row or two off the rows found along the whole stretch.
                let o = out.get_or_insert_with(|| r.clone());
                for yy in y.saturating_sub(beside + 1)..=(y + beside + 1).min(h - 1) {
                    o.pixels[yy * w + pair[0]..yy * w + pair[1] + 1].fill(255);
                }
            }
        }
    }
    out
}

/// The page with each grid standing as rows of print as wide as it, for
/// the column finder: a table's spaced cells are no columns, but it fills
/// its column as text does (set to paper, a table that takes most of a
/// column's height left that column too sparse to count, and the page was
/// read across its columns), and a table across the page makes a band of
/// its own.
pub fn as_rows(r: &Raster, grids: &[BBox], dpi: f32, k: &GridParams) -> Raster {
    let mut out = r.clone();
    let w = r.width as usize;
    let thick = ((k.stand_in_row_in * dpi) as u32).max(1);
    let pitch = ((k.stand_in_pitch_in * dpi) as u32).max(thick + 3);
    for g in grids {
        let (x1, y1) = (g.x1().min(r.width), g.y1().min(r.height));
        for y in g.y0()..y1 {
            let bar = (y - g.y0()) % pitch < thick;
            let row = &mut out.pixels[y as usize * w..(y as usize + 1) * w];
            row[g.x0() as usize..x1 as usize].fill(if bar { 0 } else { 255 });
        }
    }
    out
}

/// Whether the grid `g` lies within one column of `regions` (a page's
/// regions to read, in bands down the page): every region beside it is
/// as wide as it or wider (to a few pixels: a region's edge may pass
/// through the white round a grid's outer rule). Where its top or foot
/// reaches into the band above or below, that band holds its columns too.
pub fn in_one_column(regions: &[BBox], g: BBox) -> bool {
    const SLACK: u32 = 4;
    regions
        .iter()
        .filter(|r| r.y0() < g.y1() && g.y0() < r.y1() && r.x0() < g.x1() && g.x0() < r.x1())
        .all(|r| g.x0() + SLACK >= r.x0() && g.x1() <= r.x1() + SLACK)
}

/// Marks each line whose middle lies in one of `grids` as a table's.
pub fn mark(lines: &mut [Line], grids: &[BBox]) {
    for l in lines {
        let (cx, cy) = (
            (l.bbox.x0() + l.bbox.x1()) / 2,
            (l.bbox.y0() + l.bbox.y1()) / 2,
        );
        l.in_table = grids
            .iter()
            .any(|g| (g.x0()..g.x1()).contains(&cx) && (g.y0()..g.y1()).contains(&cy));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(r: &mut Raster, x0: usize, y0: usize, x1: usize, y1: usize) {
        let w = r.width as usize;
        for y in y0..y1 {
            for x in x0..x1 {
                r.pixels[y * w + x] = 0;
            }
        }
    }

    /// A 200-dpi page with a grid of 4 columns by 3 rows at (200, 400).
    fn page_with_grid() -> Raster {
        let mut r = Raster::blank(1600, 2200);
        for i in 0..5 {
            let x = 200 + i * 250;
            fill(&mut r, x, 400, x + 2, 700);
        }
        for j in 0..4 {
            let y = 400 + j * 100;
            fill(&mut r, 200, y, 1202, y + 2);
        }
        r
    }

    #[test]
    fn a_ruled_grid_is_found_and_its_lines_marked() {
        let r = page_with_grid();
        let g = grids(&r, 128, 200.0, &GridParams::default());
        assert_eq!(g.len(), 1, "{g:?}");
        let b = g[0];
        assert!(
            b.x0() <= 200 && b.x1() >= 1201 && b.y0() <= 400 && b.y1() >= 700,
            "{b:?}"
        );
        let line = |y: u32| Line {
            text: "坐标编号 X坐标 Y坐标 说明".into(),
            bbox: BBox([230, y, 1150, y + 40]),
            ..Default::default()
        };
        let mut lines = vec![line(430), line(900), line(300)];
        mark(&mut lines, &g);
        assert_eq!(
            lines.iter().map(|l| l.in_table).collect::<Vec<_>>(),
            [true, false, false]
        );
    }

    #[test]
    fn a_box_characters_and_a_dark_block_are_no_grid() {
        // A boxed notice: two sides and top and bottom.
        let mut r = Raster::blank(1600, 2200);
        fill(&mut r, 200, 400, 1400, 402);
        fill(&mut r, 200, 900, 1400, 902);
        fill(&mut r, 200, 400, 202, 902);
        fill(&mut r, 1398, 400, 1400, 902);
        // Large characters: vertical strokes 0.3 in long side by side,
        // over a rule (a red header over its red rule).
        for i in 0..6 {
            fill(&mut r, 300 + i * 120, 1100, 308 + i * 120, 1160);
        }
        fill(&mut r, 200, 1200, 1400, 1204);
        // The dark surround of a photographed page beside a box of two
        // sides: the block is no third rule.
        fill(&mut r, 0, 1400, 120, 2200);
        fill(&mut r, 400, 1500, 402, 1902);
        fill(&mut r, 800, 1500, 802, 1902);
        fill(&mut r, 0, 1500, 1600, 1502);
        fill(&mut r, 0, 1900, 1600, 1902);
        assert!(grids(&r, 128, 200.0, &GridParams::default()).is_empty());
        // The same box with two more vertical rules inside is a grid.
        fill(&mut r, 600, 400, 602, 902);
        fill(&mut r, 1000, 400, 1002, 902);
        assert_eq!(grids(&r, 128, 200.0, &GridParams::default()).len(), 1);
    }

    #[test]
    fn rules_that_only_touch_are_not_one_grid() {
        // Short rules of a row printed across the page just above the grid
        // (ending where it begins): the grid is still found, on its own.
        let mut r = page_with_grid();
        for i in 0..6 {
            let x = 300 + i * 250;
            fill(&mut r, x, 320, x + 2, 402);
        }
        let g = grids(&r, 128, 200.0, &GridParams::default());
        assert_eq!(g.len(), 1, "{g:?}");
        assert!(g[0].x1() < 1300 && g[0].y0() >= 390, "{g:?}");
    }

    #[test]
    fn tables_side_by_side_in_two_columns_are_two_grids() {
        // One table in each column of a 200-dpi page, their rows at the
        // same heights: their rules stand beside each other down the page,
        // and the two tables' rules across together span nearly the
        // whole width; but nothing crosses the 60-px gutter between them.
        let mut r = Raster::blank(1600, 2200);
        for x0 in [100usize, 830] {
            for i in 0..4 {
                let x = x0 + i * 222;
                fill(&mut r, x, 400, x + 2, 1000);
            }
            for j in 0..7 {
                let y = 400 + j * 100;
                fill(&mut r, x0, y, x0 + 3 * 222 + 2, y + 2);
            }
        }
        let g = grids(&r, 128, 200.0, &GridParams::default());
        assert_eq!(g.len(), 2, "{g:?}");
        assert!(g.iter().any(|b| b.x0() == 100 && b.x1() < 800), "{g:?}");
        assert!(g.iter().any(|b| b.x0() >= 830), "{g:?}");
    }

    #[test]
    fn a_grid_in_one_column_and_one_across_the_gutter() {
        // A head across the page, then two columns split at 1240.
        let regions = [
            BBox([0, 0, 2480, 300]),
            BBox([0, 300, 1240, 3500]),
            BBox([1240, 300, 2480, 3500]),
        ];
        // In the right column, its top reaching a little into the head.
        assert!(in_one_column(&regions, BBox([1270, 280, 2180, 900])));
        assert!(in_one_column(&regions, BBox([300, 500, 1238, 1300])));
        // Across the gutter: read with the page.
        assert!(!in_one_column(&regions, BBox([300, 500, 2180, 1300])));
    }

    #[test]
    fn a_broken_rule_is_still_a_rule() {
        let mut r = page_with_grid();
        // Damage: two-pixel breaks down every vertical rule.
        for y in (450..700).step_by(60) {
            for x in 0..1600 {
                let i = y * 1600 + x;
                r.pixels[i] = 255;
                r.pixels[i + 1600] = 255;
            }
        }
        assert_eq!(grids(&r, 128, 200.0, &GridParams::default()).len(), 1);
    }
}
