//! Tesseract's output made into lines: its text lines with their symbols
//! joined into `Line`s, table cell marks become tabs, parentheses given
//! their printed widths; and the columns a vertical page's reading keeps.

use super::engine::TESSERACT;
use super::tess::{self, TextLine};
use crate::page::{BBox, Confidence, Line, Raster};

/// A vertical column set as a horizontal line ([`super::cells::as_line`]):
/// its box on the page (its cells'), the line, and the span each cell was
/// set in and whether it was narrow.
pub(super) struct Column {
    pub(super) bbox: BBox,
    pub(super) line: Raster,
    pub(super) cells: Vec<(u32, u32, bool)>,
}

/// Sets each parenthesis among a column's symbols (read from the column
/// set as a line) to the width of the cell it was printed in: see
/// [`Tesseract::read_line_image_widths`]. Tesseract's boxes are rough (一
/// given a box over four cells), but a parenthesis's box begins in its
/// cell (seen on the tuning split's traditional pages: its end runs on
/// into the next character's cell as often as not); a box under
/// `MIN_BOX_PX` wide (a `)` given one pixel past its cell) places nothing,
/// and such a mark takes the width of its pair's other half. A mark placed
/// nowhere, pair and all, is full-width, the Chinese norm.
pub(super) fn parenthesis_widths(symbols: &mut [tess::Symbol], cells: &[(u32, u32, bool)]) {
    /// Narrower than this many pixels, a symbol's box does not place it.
    const MIN_BOX_PX: u32 = 3;
    let opening = |s: &tess::Symbol| matches!(s.text.as_str(), "(" | "（");
    let closing = |s: &tess::Symbol| matches!(s.text.as_str(), ")" | "）");
    let mut half: Vec<Option<bool>> = symbols
        .iter()
        .map(|s| {
            let b = s.bbox;
            (b.width() >= MIN_BOX_PX && (opening(s) || closing(s)))
                .then(|| cells.iter().find(|&&(a, z, _)| a <= b.x0() && b.x0() < z))
                .flatten()
                .map(|c| c.2)
        })
        .collect();
    // Pairs: an undecided half takes the other's width.
    let mut open: Vec<usize> = Vec::new();
    for j in 0..symbols.len() {
        if opening(&symbols[j]) {
            open.push(j);
        } else if closing(&symbols[j]) {
            if let Some(o) = open.pop() {
                let both = half[o].or(half[j]);
                half[o] = half[o].or(both);
                half[j] = half[j].or(both);
            }
        }
    }
    for (s, h) in symbols.iter_mut().zip(half) {
        let half = h == Some(true);
        if opening(s) {
            s.text = if half { "(" } else { "（" }.to_string();
        } else if closing(s) {
            s.text = if half { ")" } else { "）" }.to_string();
        }
    }
}

/// Builds lines from Tesseract's symbols: words joined by a space, or by a
/// tab where a table cell mark from `marks` lay between them; symbols
/// Tesseract read inside a (blanked) mark are dropped; confidence is the
/// mean of the symbols', the box the union of theirs.
pub(crate) fn assemble(lines: Vec<TextLine>, marks: &[BBox]) -> Vec<Line> {
    // Tesseract hallucinates quotation marks and commas in the wide gap a
    // blanked mark leaves: punctuation within half a mark's width of one
    // was not printed.
    let phantom = |s: &tess::Symbol| {
        let punct = s.text.chars().all(|c| "“”\"'‘’，,、。.".contains(c));
        let (cx, cy) = (
            (s.bbox.x0() + s.bbox.x1()) / 2,
            (s.bbox.y0() + s.bbox.y1()) / 2,
        );
        punct
            && marks.iter().any(|m| {
                let pad = m.width() / 2;
                cx + pad >= m.x0() && cx <= m.x1() + pad && cy >= m.y0() && cy <= m.y1()
            })
    };
    // A symbol lying mostly within a mark was read from the blank (LSTM
    // symbol boxes are approximate, so a neighbour may overlap a little).
    let inside = |b: &BBox| {
        marks.iter().any(|m| {
            let ox = b.x1().min(m.x1()).saturating_sub(b.x0().max(m.x0()));
            let oy = b.y1().min(m.y1()).saturating_sub(b.y0().max(m.y0()));
            (ox * oy) as u64 * 10 >= (b.width() * b.height()) as u64 * 6
        })
    };
    let dropped_in_mark = |s: &tess::Symbol| {
        let dropped = inside(&s.bbox);
        if dropped {
            tracing::trace!(text = %s.text, bbox = ?s.bbox, "dropped symbol in a cell mark");
        }
        dropped
    };
    let mut out = Vec::new();
    for tl in lines {
        let mut text = String::new();
        let mut bbox: Option<BBox> = None;
        let (mut conf, mut n) = (0.0f32, 0usize);
        let mut last_cx = 0u32;
        for s in tl
            .symbols
            .iter()
            .filter(|s| !phantom(s))
            .filter(|s| !dropped_in_mark(s))
        {
            if !text.is_empty() {
                let between = marks.iter().any(|m| {
                    let (cx, cy) = ((m.x0() + m.x1()) / 2, (m.y0() + m.y1()) / 2);
                    let here = (s.bbox.x0() + s.bbox.x1()) / 2;
                    cx >= last_cx && cx <= here && cy >= tl.bbox.y0() && cy <= tl.bbox.y1()
                });
                if between {
                    text.push('\t');
                } else if s.word_start {
                    text.push(' ');
                }
            }
            text.push_str(&s.text);
            last_cx = (s.bbox.x0() + s.bbox.x1()) / 2;
            bbox = Some(bbox.map_or(s.bbox, |b| b.union(&s.bbox)));
            conf += s.confidence;
            n += 1;
        }
        if let Some(bbox) = bbox {
            out.push(Line {
                text,
                bbox,
                confidence: Confidence::from_percent(conf / n as f32),
                engine: Some(TESSERACT.to_string()),
                ..Default::default()
            });
        }
    }
    out
}
