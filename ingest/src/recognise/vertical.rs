//! Pages set in vertical columns, read top to bottom and right to left (the
//! gazettes of the early 1950s and the texts they reprint).
//!
//! Finding them: the page's rows of print are found as for a horizontal
//! page (runs of inked pixel rows). On a horizontal page each row is one
//! line of text, and cutting it at its empty pixel columns gives pieces
//! about as tall as wide (characters). On a vertical page the column block
//! is one tall row, and cutting it gives pieces many times taller than wide
//! (the columns). A page is vertical when most of its ink lies in such
//! pieces; the rows around the block (a running head, a folio, a title set
//! across the page) stay horizontal and are read as such.
//!
//! Reading them: Tesseract's vertical models (`chi_sim_vert`,
//! `chi_tra_vert`) read a rendered vertical page at 3–13% CER where the
//! same text set horizontally reads at about 1%. Characters in a vertical
//! column stand in square cells, upright, so a column cut into its cells
//! and the cells set side by side is a horizontal line of the same
//! characters: the horizontal recognisers read it at their own accuracy.
//! Vertical punctuation forms (︒ ︑ ﹁ ﹂ ︵ ︶) come out as whatever the
//! recogniser makes of them; the text fixes map the vertical forms to the
//! horizontal ones.

pub use super::engine::{Direction, Script};
use crate::page::Raster;
use crate::pixel::{column_ink, column_ink_in, ink_rows, row_ink, runs};
use gazette_model::BBox;
use serde::{Deserialize, Serialize};

/// The numbers vertical reading decides by, measured on the renderer's
/// vertical pages (`--vertical`, simplified and traditional, fonts uming,
/// gbsn, ukai; tuning documents only) and checked against every horizontal
/// set of `make eval` (none taken for vertical).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct VerticalParams {
    /// A column is at least this many times taller than wide (a vertical
    /// column of four characters; a horizontal character is about 1).
    pub min_column_aspect: f32,
    /// A column is at least this wide, in inches: a ruled table's rule is
    /// tall and thin but no column (6 pt type is 0.08 in).
    pub min_column_in: f32,
    /// The page is vertical when at least this share of its ink lies in
    /// columns.
    pub min_share: f32,
    /// ... and it has at least this many columns.
    pub min_columns: usize,
    /// Blocks of print are cut at white gaps of at least this many inches
    /// (wider than the space between two characters of a column, about
    /// 0.01 in at 12 pt, and than the line spacing of body type, about
    /// 0.08 in; narrower than the space round a running head's rule).
    pub block_gap_in: f32,
    /// ... its cells' gaps at most this share of its columns' width (0.2
    /// missed yellowed pages, whose faded strokes widen the gaps between
    /// stacked characters to 0.21 of a width, and columns of a table's
    /// figures, a digit to a cell: 0.36, seen on a held-back set, which is
    /// therefore held back no more; a horizontal page's tall pieces,
    /// characters of successive lines, are held off by the gap rules
    /// below, not this one) ...
    pub max_cell_gap: f32,
    /// ... and the gaps between its columns at least this share (columns
    /// stand a line's spacing apart; on a yellowed horizontal page whose
    /// show-through filled the gaps between lines, the pieces cut at the
    /// narrow spaces between characters were taken for columns).
    pub min_column_gap: f32,
    /// Columns standing apart by at least this share of their width are
    /// columns when their gaps are at least `wide_gap_ratio` times the
    /// cells' (not `gap_ratio`): a vertical table of figures, a digit or
    /// two to a cell, spaces its cells 0.36 of a width and its columns 0.86
    /// (a held-back yellowed set's page, read across its columns before);
    /// a horizontal page's pieces, characters of successive lines, stand
    /// a character's spacing apart, under 0.3.
    pub wide_column_gap: f32,
    pub wide_gap_ratio: f32,
    /// A block no taller than this many column widths, of several pieces
    /// side by side, is a horizontal row (a running head, a folio).
    pub row_height: f32,
    /// A block is vertical when the median white gap between its pixel
    /// columns is at least this many times that between its pixel rows.
    pub gap_ratio: f32,
    /// A piece of a column block with less ink than this share of the
    /// median piece's is a speck, and dropped.
    pub speck_share: f32,
    /// A piece of a column block narrower than this share of the block's
    /// median column width (a stray mark, a punctuation mark set beside the
    /// column) joins the nearer column when within this share of it.
    pub narrow_piece: f32,
    /// A column more than this many times as wide as the usual column
    /// (the lower third of the page's widths) is looked into for its
    /// print ...
    pub wide_column: f32,
    /// ... the spans of its pixel columns inked at least this share of its
    /// densest (12 pt type on a yellowed page: a column's inside 0.2 and
    /// up, its strokes' edges 0.09, a stain beside it or between two
    /// 0.03–0.04) ...
    pub core_share: f32,
    /// ... counting as ink pixels at most this share of the ink threshold
    /// (a yellowed page's threshold, 170 and more, takes in its stains,
    /// grey 170–190, which ink at 130 does not: a stain the height of
    /// three characters held two columns together).
    pub core_level: f32,
    /// A character cell is at most this many column widths tall: runs of
    /// ink in a column are gathered into cells up to this height (二 and 三
    /// are several runs), and a longer run (characters touching) is cut
    /// into cells of one width each.
    pub max_cell: f32,
    /// The column's grid (`regroup_on_grid`) is fitted to the centres of
    /// cells at least `grid_full` of its width tall (digits 0.7, marks
    /// 0.2), spaced `grid_step` widths apart (the characters' pitch, 1.0–1.2
    /// on the renderer's pages and in letterpress; a skipped cell 2), with
    /// at least `grid_min_steps` such steps; cells lying over
    /// `grid_residual` of a step off the first fit are left out of the
    /// second.
    pub grid_full: f32,
    pub grid_step: (f32, f32),
    pub grid_min_steps: usize,
    pub grid_residual: f32,
    /// A cell with less ink than this share of the column's median
    /// character (`grid_full` tall),
    /// with at least `speck_gap` column widths of white above and below it
    /// (or the column's end), is a speck of damage, no cell: on a heavily
    /// damaged page such a speck far down a short column's pixel columns
    /// stretched its box down the page (turned for segmentation, the line
    /// ran the page's width, centred and widely spaced: a title, and a
    /// document cut in two on the tuning split) and was read as a full
    /// stop. A mark (。、), however little its ink, sits in the cell under
    /// its character, a third of a width from it at most.
    pub speck_cell: f32,
    pub speck_gap: f32,
    /// Cells this many column widths under the rest of their column, and
    /// under every other column's end, are in the margin
    /// (`without_margin`): a folio under the print is 5 and more widths
    /// down (the tuning roster page: 40); a column's own white, a
    /// full-width space or two, is under 3.
    pub margin_gap: f32,
    /// The space set between cells in the horizontal line, in column
    /// widths (as between the characters of a horizontal line).
    pub cell_gap: f32,
    /// White margin round the horizontal line, in column widths.
    pub margin: f32,
    /// A cell whose ink is within this share of the column's width both
    /// ways ...
    pub mark: f32,
    /// ... centred at least this share of the column's width from its
    /// left edge is a mark (punctuation), set where horizontal print sets
    /// it: marks stand in the upper right (0.75) in mainland print. Marks
    /// centred (0.48: ukai's vertical forms) stay where they stand: taken
    /// as marks too (0.35), ukai's 、 read right more often but 。 read
    /// ，。 and a decimal point or a hyphen between figures, centred too,
    /// read ． and _ (tuning split: uming 0.59% → 0.77%, simplified
    /// yellowed 1.23% → 1.94%).
    pub mark_from: f32,
    /// ... and one narrower than this share but taller is a narrow
    /// character (a digit, a Latin letter).
    pub narrow: f32,
    /// Script detection reads this many of the page's longest columns with
    /// each model ...
    pub script_sample: usize,
    /// ... and, by the second recogniser's forms, more, longest first,
    /// until its reading holds at least this many forms of either script,
    /// not tied (four columns of a table's figures held 12 and 12; a
    /// page's four longest columns of text hold 60–200);
    pub script_forms: usize,
    /// without it, takes traditional when its model's summed confidence is
    /// higher than the simplified model's by more than this share.
    pub script_margin: f32,
    /// A horizontal page is read again as traditional when its reading
    /// holds at least this many traditional forms (and more than
    /// simplified ones): a simplified page quoting an old title or a name
    /// in traditional characters is no traditional page.
    pub min_script_forms: usize,
    /// A row above or below the columns whose ink is thinner than this, in
    /// inches, is a rule, not read (6 pt type is 0.08 in tall, a head's
    /// rule 0.5–3 pt, up to 0.04 in).
    pub rule_in: f32,
    /// A block over the columns whose pieces are at least this many times
    /// taller than wide (the median) is the heads of columns cut off by a
    /// wide space, and read with them (characters of a row are about 1).
    pub short_column_aspect: f32,
    /// A cell as wide as a mark or wider, shorter than this share of the
    /// column's width (ukai's ︽ is 0.45; 四, the squattest character,
    /// about 0.7) ...
    pub turned_height: f32,
    /// ... whose ink fills less than this share of its box, in one run
    /// of rows (二 is as squat and as sparse), is a vertical bracket (︵ ︶ ﹁ ﹂: arcs and corners, where 一 is a solid bar) and
    /// is turned a quarter to the left to read as its horizontal form.
    pub turned_fill: f32,
    /// ... or, filling less than `bowed_fill`, is bowed: the ink of its
    /// middle fifth lies at least `bowed_offset` of its height off the
    /// box's middle, and no stroke at its ends runs down `side_stroke` of
    /// its height. Ink spread fills brackets up to 0.53 (ukai's ︽ 0.44–0.47
    /// on light damage, arcs on heavy 0.45–0.54) where 一 fills 0.52–0.66
    /// but lies flat (offset 0.01–0.09), and 口 (0.51, offset 0.11–0.16)
    /// has its sides (0.7 of its height); ︽ stands 0.15–0.21 off, arcs
    /// 0.18–0.31 (tuning pages of ukai, uming, gbsn, heavy G4).
    pub bowed_fill: f32,
    pub bowed_offset: f32,
    pub side_stroke: f32,
    /// Mixed pages (a block of columns beside horizontal text): a band of
    /// print is cut into parts side by side at white gutters at least this
    /// many inches wide (wider than the space between columns, 0.05–0.15
    /// in for 10–16 pt type; a two-column page's gutter is 0.25–0.4 in,
    /// and its parts, both horizontal, make no mixed page).
    pub gutter_in: f32,
    /// A part is a block of columns only with at least this many (a
    /// contents page's column of page numbers, set apart from its entries,
    /// is one tall piece) ...
    pub mixed_min_columns: usize,
    /// ... whose runs of ink are, at the median, at least this share of a
    /// column's width tall: characters stacked in a column are about
    /// square (0.8–1.0), rows of figures stacked in a table much shorter
    /// than their width (0.3–0.5) ...
    pub mixed_cell_shape: f32,
    /// ... and at most this share: a scan's dark edge beside old paper's
    /// show-through, cut into "columns", ran twice as tall as wide (2.0;
    /// a tuning old-paper page was read as columns at its edge and the
    /// page's last lines lost), where characters, even touching on heavy
    /// damage, hold a median near 1.
    pub mixed_cell_shape_max: f32,
    /// A part is rows of text when its runs of inked pixel rows are, at the
    /// median, at least this many times wider than tall (a line of three
    /// characters or more; a short column's characters are about 1).
    pub mixed_row_aspect: f32,
    /// A box round a region of rows: a rule inks at least this share of
    /// the region's height (width; a row through a line of text, its
    /// characters' spacing white, inks less: 0.7 was too little for solid
    /// stand-ins of characters) ...
    pub frame_rule: f32,
    /// ... within this share of the region's width (height) from its side.
    pub frame_edge: f32,
    /// A band with no gutter is cut again at white gaps between lines at
    /// least this many inches tall, to find parts side by side under lines
    /// set across the page (wider than the gaps between a column's
    /// characters, 0.01–0.03 in, so the columns hold together; narrower
    /// than the spacing of body lines, 0.04 in and up).
    pub fine_gap_in: f32,
}

impl Default for VerticalParams {
    fn default() -> Self {
        VerticalParams {
            min_column_aspect: 4.0,
            min_column_in: 0.06,
            min_share: 0.5,
            min_columns: 1,
            block_gap_in: 0.12,
            gap_ratio: 3.0,
            max_cell_gap: 0.4,
            min_column_gap: 0.3,
            wide_column_gap: 0.6,
            wide_gap_ratio: 2.0,
            row_height: 1.5,
            narrow_piece: 0.35,
            wide_column: 1.3,
            core_share: 0.06,
            core_level: 0.75,
            speck_share: 0.01,
            max_cell: 1.05,
            grid_full: 0.6,
            grid_step: (0.8, 1.6),
            grid_min_steps: 4,
            grid_residual: 0.2,
            speck_cell: 0.05,
            speck_gap: 1.0,
            margin_gap: 4.0,
            cell_gap: 0.12,
            margin: 0.25,
            mark: 0.5,
            mark_from: 0.55,
            narrow: 0.6,
            script_sample: 4,
            script_forms: 40,
            script_margin: 0.01,
            min_script_forms: 20,
            rule_in: 0.05,
            short_column_aspect: 2.0,
            turned_height: 0.55,
            turned_fill: 0.45,
            bowed_fill: 0.55,
            bowed_offset: 0.14,
            side_stroke: 0.6,
            gutter_in: 0.25,
            mixed_min_columns: 3,
            mixed_cell_shape: 0.6,
            mixed_cell_shape_max: 1.6,
            mixed_row_aspect: 3.0,
            frame_rule: 0.9,
            frame_edge: 0.1,
            fine_gap_in: 0.03,
        }
    }
}

/// A vertical page's parts, each to read on its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VerticalLayout {
    /// Horizontal rows above the column block (running head, a title set
    /// across), top to bottom.
    pub above: Vec<BBox>,
    /// The columns, right to left.
    pub columns: Vec<BBox>,
    /// Horizontal rows below the block (folio), top to bottom.
    pub below: Vec<BBox>,
    /// The share of the page's ink in blocks of columns (what found it
    /// vertical, against `VerticalParams::min_share`).
    pub ink_in_columns: f32,
}

/// The pieces of a row band cut at its empty pixel columns, each as the box
/// of its ink, with its ink count.
pub(super) fn pieces(r: &Raster, threshold: u8, (y0, y1): (usize, usize)) -> Vec<(BBox, usize)> {
    let col = column_ink(r, threshold, y0, y1);
    runs(&col, 1)
        .into_iter()
        .filter_map(|(x0, x1)| {
            let rows = ink_rows(r, threshold, (x0, x1), (y0, y1));
            let first = rows.iter().position(|&n| n > 0)?;
            let last = rows.iter().rposition(|&n| n > 0)?;
            let ink = rows.iter().sum();
            Some((
                BBox([
                    x0 as u32,
                    (y0 + first) as u32,
                    x1 as u32,
                    (y0 + last + 1) as u32,
                ]),
                ink,
            ))
        })
        .collect()
}

/// Runs of entries holding ink (> 0), bridging gaps up to `bridge`.
pub(super) fn runs_bridged(profile: &[usize], bridge: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &v) in profile.iter().enumerate() {
        if v == 0 {
            continue;
        }
        match out.last_mut() {
            Some(last) if i - last.1 <= bridge => last.1 = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// The median white gap between consecutive runs (0 with fewer than two).
pub(super) fn median_gap(runs: &[(usize, usize)]) -> usize {
    let mut gaps: Vec<usize> = runs.windows(2).map(|w| w[1].0 - w[0].1).collect();
    gaps.sort_unstable();
    gaps.get(gaps.len() / 2).copied().unwrap_or(0)
}

/// The page's vertical layout, or `None` for a horizontal page.
///
/// The page is cut into blocks of print at white gaps wider than the space
/// between lines. Within a block, the white gaps between pixel rows and
/// between pixel columns tell its direction: in horizontal print the gaps
/// between rows are the line spacing and those between columns (where
/// characters stand on a grid) the narrow space between characters; in
/// vertical print the other way round. Pieces of ink merely taller than
/// wide say nothing: horizontal Chinese set on a grid also cuts into tall
/// columns of characters.
pub fn find(r: &Raster, threshold: u8, dpi: f32, k: &VerticalParams) -> Option<VerticalLayout> {
    let bridge = (dpi * k.block_gap_in).max(3.0) as usize;
    let blocks = runs_bridged(&row_ink(r, threshold), bridge);
    let min_w = (dpi * k.min_column_in).max(3.0) as u32;
    let (mut total, mut in_columns) = (0usize, 0usize);
    let mut bands = Vec::new();
    for &band in &blocks {
        let ps = pieces(r, threshold, band);
        let ink: usize = ps.iter().map(|p| p.1).sum();
        // Rules (a head's rule across the page) are no print of either
        // direction.
        total += ps
            .iter()
            .filter(|(b, _)| b.height() >= min_w)
            .map(|p| p.1)
            .sum::<usize>();
        let tall: Vec<&(BBox, usize)> = ps
            .iter()
            .filter(|(b, _)| {
                b.width() >= min_w && b.height() as f32 >= b.width() as f32 * k.min_column_aspect
            })
            .collect();
        // Most of a block of columns is in its columns (a horizontal block
        // whose lines all start on one grid cuts into one tall piece at its
        // left edge and one wide piece, the rest).
        let tall_ink: usize = tall.iter().map(|p| p.1).sum();
        let block = tall.len() >= k.min_columns && tall_ink as f32 >= ink as f32 * k.min_share && {
            // Gaps between pieces, and gaps within the tall pieces (pooled).
            let col_runs: Vec<(usize, usize)> = ps
                .iter()
                .map(|(b, _)| (b.x0() as usize, b.x1() as usize))
                .collect();
            let mut within: Vec<usize> = Vec::new();
            for (b, _) in &ps {
                if b.width() < min_w {
                    continue;
                }
                let rows = ink_rows(
                    r,
                    threshold,
                    (b.x0() as usize, b.x1() as usize),
                    (b.y0() as usize, b.y1() as usize),
                );
                let runs = runs_bridged(&rows, 0);
                within.extend(runs.windows(2).map(|w| w[1].0 - w[0].1));
            }
            within.sort_unstable();
            let gr = within.get(within.len() / 2).copied();
            let gc = median_gap(&col_runs);
            let wide = {
                let mut ws: Vec<u32> = ps
                    .iter()
                    .map(|p| p.0.width())
                    .filter(|&w| w >= min_w)
                    .collect();
                ws.sort_unstable();
                ws.get(ws.len() / 2).copied().unwrap_or(0) as f32
            };
            // Cells stacked close (the gap within a column is a sliver of
            // a character's width; between lines of horizontal print it is
            // a third of one or more), and columns further apart than
            // cells. No gaps within the pieces at all: rules, or solid ink.
            tracing::trace!(?gr, gc, wide, "vertical: gaps");
            gr.is_some_and(|gr| {
                (gr as f32) <= wide * k.max_cell_gap
                    && (col_runs.len() < 2
                        || (gc as f32 >= (gr as f32 * k.gap_ratio).max(1.0)
                            && gc as f32 >= wide * k.min_column_gap)
                        || (gc as f32 >= (gr as f32 * k.wide_gap_ratio).max(1.0)
                            && gc as f32 >= wide * k.wide_column_gap))
            })
        };
        if block {
            in_columns += ink;
        }
        tracing::trace!(
            ?band,
            pieces = ps.len(),
            tall = tall.len(),
            tall_ink,
            ink,
            block,
            "vertical: block"
        );
        bands.push((band, ps, block));
    }
    if total == 0 || (in_columns as f32) < total as f32 * k.min_share {
        tracing::trace!(total, in_columns, "vertical: not columns");
        return None;
    }
    // The column area runs from the first block of columns to the last
    // block that is no horizontal row: a title spaced down its column
    // (目　录), a number under an entry, leave gaps wider than a block's.
    let mut first = bands.iter().position(|b| b.2)?;
    let mut pitches: Vec<u32> = bands
        .iter()
        .filter(|b| b.2)
        .flat_map(|b| b.1.iter().map(|p| p.0.width()).filter(|&w| w >= min_w))
        .collect();
    pitches.sort_unstable();
    let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(1) as f32;
    let is_row = |b: &((usize, usize), Vec<(BBox, usize)>, bool)| {
        !b.2 && b.1.len() >= 2 && ((b.0 .1 - b.0 .0) as f32) <= pitch * k.row_height
    };
    // Columns' heads cut off by a wide space (a full-width space after
    // 第十二條, stacked over the next column's 第十三條) are a block of short
    // columns above the rest: pieces taller than wide, no row.
    let short_columns = |b: &((usize, usize), Vec<(BBox, usize)>, bool)| {
        let mut aspects: Vec<f32> =
            b.1.iter()
                .filter(|p| p.0.width() >= min_w)
                .map(|p| p.0.height() as f32 / p.0.width() as f32)
                .collect();
        aspects.sort_unstable_by(f32::total_cmp);
        !is_row(b)
            && aspects
                .get(aspects.len() / 2)
                .is_some_and(|&a| a >= k.short_column_aspect)
    };
    while first > 0 && short_columns(&bands[first - 1]) {
        first -= 1;
    }
    let mut last = first;
    for (i, b) in bands.iter().enumerate().skip(first) {
        if b.2 {
            last = i;
        } else if is_row(b) {
            // A horizontal row ends the area unless columns come after it.
            if !bands[i..].iter().any(|b| b.2) {
                break;
            }
        } else {
            last = i;
        }
    }
    let mut out = VerticalLayout {
        ink_in_columns: in_columns as f32 / total as f32,
        ..VerticalLayout::default()
    };
    let area = (bands[first].0 .0, bands[last].0 .1);
    for (i, (band, _, _)) in bands.iter().enumerate() {
        // A row with white round it: Tesseract loses the ends of a line
        // cropped tight (a head read "2年第3期" for "雲南政報 1952年第3期").
        let pad = ((band.1 - band.0) / 2) as u32;
        let row = BBox([
            0,
            (band.0 as u32).saturating_sub(pad),
            r.width,
            (band.1 as u32 + pad).min(r.height),
        ]);
        if i < first {
            out.above.push(row);
        } else if i > last {
            out.below.push(row);
        }
    }
    let columns = columns_of(pieces(r, threshold, area), k);
    // A column's width: the lower third of the widths, as stains widen
    // some columns and a title column is set larger.
    let mut widths: Vec<u32> = columns.iter().map(|c| c.width()).collect();
    widths.sort_unstable();
    let usual = widths.get(widths.len() / 3).copied().unwrap_or(0) as f32;
    out.columns = columns
        .into_iter()
        .flat_map(|c| {
            if c.width() as f32 > usual * k.wide_column {
                print_of(r, threshold, c, usual, k)
            } else {
                vec![c]
            }
        })
        .rev()
        .collect();
    Some(out)
}

/// A column wider than its neighbours narrowed to its print: the spans of
/// pixel columns whose dark ink (at `core_level` of the threshold) is at
/// least `core_share` of the densest one's, each a column (spans narrower
/// than `narrow_piece` of a column dropped).
/// A stain touching a column (foxing on aged paper, faint but darker than
/// a yellowed page's ink threshold) widened its box to two characters'
/// width, and its cells, a box's width tall, took two characters each; a
/// stain between two columns joined them into one.
pub(super) fn print_of(
    r: &Raster,
    threshold: u8,
    b: BBox,
    usual: f32,
    k: &VerticalParams,
) -> Vec<BBox> {
    let dark = (threshold as f32 * k.core_level) as u8;
    let ink = column_ink_in(
        r,
        dark,
        (b.x0() as usize, b.x1() as usize),
        (b.y0() as usize, b.y1() as usize),
    );
    let peak = ink.iter().copied().max().unwrap_or(0) as f32;
    let core: Vec<usize> = ink
        .iter()
        .map(|&n| (n as f32 >= peak * k.core_share) as usize)
        .collect();
    let spans: Vec<BBox> = runs_bridged(&core, 0)
        .into_iter()
        .filter(|(a, z)| (z - a) as f32 >= usual * k.narrow_piece)
        .map(|(a, z)| BBox([b.x0() + a as u32, b.y0(), b.x0() + z as u32, b.y1()]))
        .collect();
    // One span little narrower than the box is the column as it was: a
    // title column set larger, its strokes' faint edges trimmed, would
    // read as smaller type.
    match spans.as_slice() {
        [] => vec![b],
        [one] if ((b.width() - one.width()) as f32) < usual * k.narrow_piece => vec![b],
        _ => spans,
    }
}

/// A column block's pieces as columns, left to right: narrow pieces (a
/// mark beside a column, a column cut by a common gap) join their nearer
/// neighbour.
pub(super) fn columns_of(ps: Vec<(BBox, usize)>, k: &VerticalParams) -> Vec<BBox> {
    // Specks between columns are no print: joined to a column they widen
    // its box (a damaged page's columns came out half again as wide, and
    // a title set larger no longer stood out).
    let mut inks: Vec<usize> = ps.iter().map(|p| p.1).collect();
    inks.sort_unstable();
    let median_ink = inks.get(inks.len() / 2).copied().unwrap_or(0) as f32;
    let ps: Vec<(BBox, usize)> = ps
        .into_iter()
        .filter(|p| p.1 as f32 >= median_ink * k.speck_share)
        .collect();
    let mut widths: Vec<u32> = ps.iter().map(|p| p.0.width()).collect();
    widths.sort_unstable();
    let median = widths.get(widths.len() / 2).copied().unwrap_or(0) as f32;
    let mut cols: Vec<BBox> = Vec::new();
    for (b, _) in ps {
        let narrow = (b.width() as f32) < median * k.narrow_piece;
        match cols.last_mut() {
            Some(prev)
                if (narrow || (prev.width() as f32) < median * k.narrow_piece)
                    && (b.x0().saturating_sub(prev.x1()) as f32) < median * k.narrow_piece =>
            {
                *prev = prev.union(&b);
            }
            _ => cols.push(b),
        }
    }
    cols
}

#[cfg(test)]
mod tests;
