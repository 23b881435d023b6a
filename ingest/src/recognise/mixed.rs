//! Mixed pages: a block of vertical columns beside horizontal text (a
//! facsimile of a vertical document beside an article), cut into regions
//! each read in its own direction, in reading order.

use super::vertical::*;
use crate::page::{BBox, Raster};
use crate::pixel::{column_ink, ink_rows, row_ink, runs};

/// One region of a mixed page, read in its own direction.
#[derive(Clone, Debug, PartialEq)]
pub enum Region {
    /// Horizontal print (rows of text), read as a horizontal page.
    Rows(BBox),
    /// A block of columns: its box on the page, and its layout in the
    /// block's own pixels (the block cropped out).
    Columns(BBox, VerticalLayout),
}

impl Region {
    /// The region's box on the page.
    pub fn bbox(&self) -> BBox {
        match self {
            Region::Rows(b) | Region::Columns(b, _) => *b,
        }
    }
}

/// How a part of a band is set, for deciding whether a page is mixed.
#[derive(Clone, Debug, PartialEq)]
enum Set {
    /// A block of columns (`mixed_min_columns` or more, of square cells).
    Columns(VerticalLayout),
    /// Rows of horizontal text.
    Rows,
    /// Neither for sure: a column or two, a picture, a column of figures.
    Unsure(Option<VerticalLayout>),
}

/// The regions of a page that sets a block of columns beside horizontal
/// text (a facsimile of a vertical document beside an article, a
/// horizontal notice beside vertical columns), in reading order; `None`
/// for a page of one direction, or with its two directions only stacked
/// (a horizontal title over columns: [`find`] reads those).
///
/// The page is cut into bands as in [`find`], and each band into parts at
/// white gutters wider than the space between columns. A band is mixed
/// when one of its parts is a block of columns and another rows of text.
/// Bands are read top to bottom, and a mixed band's parts the page's own
/// text first, then the insert set beside it (a facsimile, a notice): the
/// insert is the part in a box, or else the smaller part. So a band is
/// read left to right when its leading part is on the left, else right to
/// left. (Ink weighed the wrong way: a box's rules and a dense horizontal
/// notice outweighed a wider block of columns; and a short vertical
/// document beside a long boxed notice takes less of the page than it.)
pub fn mixed(r: &Raster, threshold: u8, dpi: f32, k: &VerticalParams) -> Option<Vec<Region>> {
    let bridge = (dpi * k.block_gap_in).max(3.0) as usize;
    let gutter = (dpi * k.gutter_in).max(3.0) as usize;
    let page_rows = row_ink(r, threshold);
    let bands = runs_bridged(&page_rows, bridge);
    let crop = |b: BBox| r.crop(b.x0(), b.y0(), b.width(), b.height());
    // A band's box (its ink's width) and, when it is mixed, its parts
    // (box, set, area).
    type Parts = Vec<(BBox, Set, usize)>;
    let split = |y0: usize, y1: usize| -> Option<(BBox, Option<Parts>)> {
        let profile = column_ink(r, threshold, y0, y1);
        let parts = runs_bridged(&profile, gutter);
        let band = BBox([
            parts.first()?.0 as u32,
            y0 as u32,
            parts.last()?.1 as u32,
            y1 as u32,
        ]);
        if parts.len() < 2 {
            return Some((band, None));
        }
        let sets: Parts = parts
            .iter()
            .map(|&(x0, x1)| {
                let b = BBox([x0 as u32, y0 as u32, x1 as u32, y1 as u32]);
                let area = b.width() as usize * b.height() as usize;
                (b, part_set(&crop(b), threshold, dpi, k), area)
            })
            .collect();
        let has = |f: fn(&Set) -> bool| sets.iter().any(|s| f(&s.1));
        let mixed = has(|s| matches!(s, Set::Columns(_))) && has(|s| *s == Set::Rows);
        Some((band, mixed.then_some(sets)))
    };
    let fine = (dpi * k.fine_gap_in).max(1.0) as usize;
    let mut plan: Vec<(BBox, Option<Parts>)> = Vec::new();
    let mut queue: std::collections::VecDeque<(usize, usize)> = bands.into_iter().collect();
    while let Some((y0, y1)) = queue.pop_front() {
        let Some((band, parts)) = split(y0, y1) else {
            continue;
        };
        if parts.is_some() {
            plan.push((band, parts));
            continue;
        }
        // Lines across the page set close over the parts side by side
        // (an article's first lines over its text and a facsimile) make
        // one band with no gutter: the band is cut at every white gap
        // between lines, and the first piece that is mixed stands alone,
        // the lines above it a band, those below cut again.
        let pieces = runs_bridged(&page_rows[y0..y1], fine);
        let found = (pieces.len() > 1)
            .then(|| {
                pieces.iter().find_map(|&(a, b)| {
                    let (b0, parts) = split(y0 + a, y0 + b)?;
                    parts.map(|p| (a, b, b0, p))
                })
            })
            .flatten();
        match found {
            Some((a, b, piece, parts)) => {
                if a > 0 {
                    if let Some((above, _)) = split(y0, y0 + a) {
                        plan.push((above, None));
                    }
                }
                plan.push((piece, Some(parts)));
                if y0 + b < y1 {
                    queue.push_front((y0 + b, y1));
                }
            }
            None => plan.push((band, None)),
        }
    }
    let (mut in_columns, mut in_rows) = (0usize, 0usize);
    let mut boxed_rows = false;
    for (band, parts) in &plan {
        let Some(sets) = parts else { continue };
        for (b, set, area) in sets {
            match set {
                Set::Columns(_) => in_columns += area,
                Set::Rows => {
                    in_rows += area;
                    boxed_rows |= inside_rules(r, threshold, *b, k) != *b;
                }
                Set::Unsure(_) => {}
            }
        }
        tracing::debug!(band = ?band, parts = ?sets.iter().map(|s| (s.0, matches!(s.1, Set::Columns(_)))).collect::<Vec<_>>(), "mixed band");
    }
    let any_mixed = plan.iter().any(|p| p.1.is_some());
    if !any_mixed {
        return None;
    }
    let columns_lead = boxed_rows || in_columns > in_rows;
    // Rows with white round them (Tesseract loses the ends of a line
    // cropped tight), short of the next part and halfway across the gap to
    // the bands above and below (bands cut at a line's spacing stand
    // closer than `block_gap_in`).
    let limits: Vec<(u32, u32)> = (0..plan.len())
        .map(|i| {
            let lo = i.checked_sub(1).map_or(0, |j| plan[j].0.y1());
            let hi = plan.get(i + 1).map_or(r.height, |n| n.0.y0());
            let b = plan[i].0;
            ((lo + b.y0()).div_ceil(2), (b.y1() + hi) / 2)
        })
        .collect();
    let pad = |b: BBox, (lo, hi): (u32, u32)| {
        let (px, py) = ((gutter / 2) as u32, (bridge / 2) as u32);
        BBox([
            b.x0().saturating_sub(px),
            b.y0().saturating_sub(py).max(lo.min(b.y0())),
            (b.x1() + px).min(r.width),
            (b.y1() + py).min(r.height).min(hi.max(b.y1())),
        ])
    };
    let mut out = Vec::new();
    for ((band, parts), limit) in plan.into_iter().zip(limits) {
        match parts {
            None => out.push(match find(&crop(band), threshold, dpi, k) {
                Some(v) => Region::Columns(band, v),
                None => Region::Rows(pad(band, limit)),
            }),
            Some(mut parts) => {
                // The leading kind's parts on the right: right to left.
                let centre = |columns: bool| {
                    let xs: Vec<u32> = parts
                        .iter()
                        .filter(|p| match p.1 {
                            Set::Columns(_) => columns,
                            Set::Rows => !columns,
                            Set::Unsure(_) => false,
                        })
                        .map(|p| (p.0.x0() + p.0.x1()) / 2)
                        .collect();
                    xs.iter().sum::<u32>() / xs.len().max(1) as u32
                };
                if centre(columns_lead) > centre(!columns_lead) {
                    parts.reverse();
                }
                out.extend(parts.into_iter().map(|(b, set, _)| match set {
                    Set::Columns(v) | Set::Unsure(Some(v)) => Region::Columns(b, v),
                    Set::Rows | Set::Unsure(None) => {
                        // Inside a box, the box's own margin is the white.
                        let inner = inside_rules(r, threshold, b, k);
                        Region::Rows(if inner == b { pad(b, limit) } else { inner })
                    }
                }));
            }
        }
    }
    Some(out)
}

/// A region of rows without the rules of a box round it (a boxed notice):
/// Tesseract reads a frame's sides as characters (丨, |) at the ends of its
/// lines. A rule is a pixel column (row) inked over at least `frame_rule`
/// of the box's height (width), within `frame_edge` of its side.
fn inside_rules(r: &Raster, threshold: u8, b: BBox, k: &VerticalParams) -> BBox {
    let (x0, y0, x1, y1) = (
        b.x0() as usize,
        b.y0() as usize,
        b.x1() as usize,
        b.y1() as usize,
    );
    if x1 <= x0 || y1 <= y0 {
        return b;
    }
    let cols = column_ink(r, threshold, y0, y1);
    let rows = ink_rows(r, threshold, (x0, x1), (y0, y1));
    // The inner edge of the rules near each side of a profile.
    let trim = |profile: &[usize], long: usize| -> (usize, usize) {
        let n = profile.len();
        let edge = (n as f32 * k.frame_edge) as usize;
        let rule = |v: usize| v as f32 >= long as f32 * k.frame_rule;
        let lo = profile[..edge.min(n)]
            .iter()
            .rposition(|&v| rule(v))
            .map_or(0, |i| i + 1);
        let hi = profile[n.saturating_sub(edge)..]
            .iter()
            .position(|&v| rule(v))
            .map_or(n, |i| n.saturating_sub(edge) + i);
        if lo < hi {
            (lo, hi)
        } else {
            (0, n)
        }
    };
    let (cx0, cx1) = trim(&cols[x0..x1], y1 - y0);
    let (ry0, ry1) = trim(&rows, x1 - x0);
    BBox([
        (x0 + cx0) as u32,
        (y0 + ry0) as u32,
        (x0 + cx1) as u32,
        (y0 + ry1) as u32,
    ])
}

/// How one part of a band (cropped out) is set.
fn part_set(part: &Raster, threshold: u8, dpi: f32, k: &VerticalParams) -> Set {
    if let Some(v) = find(part, threshold, dpi, k) {
        let mut shapes: Vec<f32> = v
            .columns
            .iter()
            .flat_map(|c| {
                let rows = ink_rows(
                    part,
                    threshold,
                    (c.x0() as usize, c.x1() as usize),
                    (c.y0() as usize, c.y1() as usize),
                );
                let w = c.width().max(1) as f32;
                runs_bridged(&rows, 0)
                    .into_iter()
                    .map(move |(a, b)| (b - a) as f32 / w)
            })
            .collect();
        shapes.sort_unstable_by(f32::total_cmp);
        let shape = shapes.get(shapes.len() / 2).copied().unwrap_or(0.0);
        tracing::trace!(
            columns = v.columns.len(),
            shape,
            "mixed: a part of columns?"
        );
        return if v.columns.len() >= k.mixed_min_columns
            && (k.mixed_cell_shape..=k.mixed_cell_shape_max).contains(&shape)
        {
            Set::Columns(v)
        } else {
            Set::Unsure(Some(v))
        };
    }
    // Rows of text: runs of inked pixel rows, each much wider than tall
    // (a column's characters, cut this way, are each about square). The
    // rules of a box round the text ink every row a little: rows with no
    // more ink than `rule_in` are gaps.
    let floor = (dpi * k.rule_in).max(1.0) as usize;
    let rows = runs(&row_ink(part, threshold), floor);
    // Runs thinner than the smallest type are no lines (a column of a
    // table's dashes, each a wide thin run, was taken for rows).
    let min_h = (dpi * k.min_column_in).max(1.0) as usize;
    let mut aspects: Vec<f32> = rows
        .iter()
        .filter(|&&(y0, y1)| y1 - y0 >= min_h)
        .filter_map(|&(y0, y1)| {
            let col = column_ink(part, threshold, y0, y1);
            let x0 = col.iter().position(|&n| n > 0)?;
            let x1 = col.iter().rposition(|&n| n > 0)? + 1;
            Some((x1 - x0) as f32 / (y1 - y0) as f32)
        })
        .collect();
    aspects.sort_unstable_by(f32::total_cmp);
    match aspects.get(aspects.len() / 2) {
        Some(&a) if a >= k.mixed_row_aspect => Set::Rows,
        _ => Set::Unsure(None),
    }
}
