//! Vertical pages for segmentation: each page whose columns were read top
//! to bottom, right to left, is turned into a horizontal page where each
//! column is a line, the rightmost on top, so the rules segmentation knows
//! (a title set larger, centred; a signature at the line's end; a date
//! under it) hold as they do for horizontal print: a column's width is a
//! line's height, its run down the page a line's run across. Rows printed
//! across the page (running head, folio) stay rows, above and below the
//! columns. The boxes the documents carry are turned back to the page's.
//!
//! Mixed pages (a block of columns beside horizontal text): when the
//! columns take more of the page than the text beside them, the page is
//! turned as a vertical one and the text beside the columns follows them
//! (as OCR reads it); otherwise the block of columns is turned within its
//! own box, its run down the box scaled to the box's width, so it lies
//! beside the page's text as a column of lines would (and segmentation's
//! two-column rules place it), every line as tall as its column is wide.

use crate::page::{BBox, Line, PageText};

/// How a page's columns are laid for segmentation.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// A vertical page: turned whole; rows below follow the columns.
    Page,
    /// Columns beside text, the columns the larger: turned whole, and
    /// every row from the columns' top down moved below them.
    Beside,
    /// Columns beside text, the text the larger: the columns turned in
    /// their own box, the rest of the page as it is.
    InPlace,
}

/// How one page was turned: the column area's top and bottom, and the
/// columns' left and right edges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turn {
    top: u32,
    bottom: u32,
    left: u32,
    right: u32,
    mode: Mode,
}

impl Turn {
    /// The turn of a page with vertical lines; `None` for a horizontal page.
    pub fn of(p: &PageText) -> Option<Turn> {
        let v: Vec<&BBox> = p
            .lines
            .iter()
            .filter(|l| l.vertical)
            .map(|l| &l.bbox)
            .collect();
        let mut t = Turn {
            top: v.iter().map(|b| b.y0()).min()?,
            bottom: v.iter().map(|b| b.y1()).max()?,
            left: v.iter().map(|b| b.x0()).min()?,
            right: v.iter().map(|b| b.x1()).max()?,
            mode: Mode::Page,
        };
        // Rows beside the columns: level with them, clear of them.
        let beside = p
            .lines
            .iter()
            .filter(|l| {
                !l.vertical
                    && l.bbox.y0() < t.bottom
                    && l.bbox.y1() > t.top
                    && (l.bbox.x1() <= t.left || l.bbox.x0() >= t.right)
            })
            .map(|l| l.bbox)
            .reduce(|a, b| a.union(&b));
        if let Some(b) = beside {
            let area = |b: BBox| b.width() as u64 * b.height() as u64;
            let columns = BBox([t.left, t.top, t.right, t.bottom]);
            t.mode = if area(columns) > area(b) {
                Mode::Beside
            } else {
                Mode::InPlace
            };
        }
        Some(t)
    }

    /// The turned page's columns band: `top .. top + span`, at least as
    /// tall as the page's (a page of a few columns turned into a short
    /// page, and its running head no longer lay in the top share where a
    /// head is looked for: it was left in the text); rows below stay where
    /// they are.
    fn span(&self) -> u32 {
        (self.right - self.left).max(self.bottom - self.top)
    }

    /// In place: a column's run down its box to a run across the box.
    fn scale(&self) -> f32 {
        (self.right - self.left) as f32 / (self.bottom - self.top).max(1) as f32
    }

    /// A line's box on the turned page.
    fn forward(&self, l: &Line) -> BBox {
        let b = l.bbox;
        if l.vertical {
            let (x0, x1) = match self.mode {
                Mode::InPlace => {
                    let s = self.scale();
                    let at =
                        |y: u32| self.left + (y.saturating_sub(self.top) as f32 * s).round() as u32;
                    (at(b.y0()), at(b.y1()))
                }
                _ => (b.y0(), b.y1()),
            };
            BBox([
                x0,
                self.top + (self.right - b.x1().min(self.right)),
                x1,
                self.top + (self.right - b.x0().max(self.left)),
            ])
        } else if b.y0() < self.top || self.mode == Mode::InPlace {
            b
        } else if self.mode == Mode::Beside {
            // Beside and below the columns: after them, in the order read.
            BBox([b.x0(), b.y0() + self.span(), b.x1(), b.y1() + self.span()])
        } else {
            // Below the columns: moved down (or up) to follow them.
            let y0 = b.y0().saturating_sub(self.bottom) + self.top + self.span();
            BBox([b.x0(), y0, b.x1(), y0 + b.height()])
        }
    }

    /// A box on the turned page back on the page.
    pub fn back(&self, b: BBox) -> BBox {
        if self.mode == Mode::InPlace {
            // Only a box within the turned columns' band was turned.
            let band = self.top + (self.right - self.left);
            if b.x0() < self.left || b.x1() > self.right || b.y0() < self.top || b.y1() > band {
                return b;
            }
            let s = self.scale().max(f32::EPSILON);
            let at = |x: u32| self.top + ((x - self.left) as f32 / s).round() as u32;
            return BBox([
                self.right - (b.y1() - self.top),
                at(b.x0()),
                self.right - (b.y0() - self.top),
                at(b.x1()).min(self.bottom),
            ]);
        }
        let end = self.top + self.span();
        if b.y0() < self.top {
            b
        } else if b.y0() >= end {
            let y0 = if self.mode == Mode::Beside {
                b.y0() - self.span()
            } else {
                b.y0() - end + self.bottom
            };
            BBox([b.x0(), y0, b.x1(), y0 + b.height()])
        } else {
            BBox([
                self.right - (b.y1().min(end) - self.top),
                b.x0(),
                self.right - (b.y0() - self.top),
                b.x1(),
            ])
        }
    }

    /// The page turned, with its lines in the same order.
    pub fn page(&self, p: &PageText) -> PageText {
        let lines = p
            .lines
            .iter()
            .map(|l| Line {
                bbox: self.forward(l),
                ..l.clone()
            })
            .collect();
        let (width, height) = match self.mode {
            Mode::InPlace => (p.width, p.height),
            Mode::Beside => (p.width.max(p.height), p.height + self.span()),
            // As much paper below the columns as the page has.
            Mode::Page => (
                p.width.max(p.height),
                self.top + self.span() + p.height.saturating_sub(self.bottom),
            ),
        };
        PageText {
            width,
            height,
            lines,
            image: None,
            ..p.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of one character with box `b`.
    fn line(b: [u32; 4], vertical: bool) -> Line {
        Line {
            text: "字".into(),
            bbox: BBox(b),
            vertical,
            ..Default::default()
        }
    }

    #[test]
    fn columns_become_lines_rightmost_first_and_turn_back() {
        let p = PageText {
            width: 1000,
            height: 1400,
            lines: vec![
                line([100, 50, 600, 90], false),     // head
                line([850, 200, 900, 1200], true),   // first column (title)
                line([700, 200, 740, 900], true),    // second
                line([400, 1300, 440, 1340], false), // folio
            ],
            ..Default::default()
        };
        let t = Turn::of(&p).unwrap();
        let q = t.page(&p);
        let b: Vec<BBox> = q.lines.iter().map(|l| l.bbox).collect();
        assert_eq!(b[0], BBox([100, 50, 600, 90]));
        assert_eq!(b[1], BBox([200, 200, 1200, 250]));
        assert_eq!(b[2], BBox([200, 360, 900, 400]));
        // A page of two columns turns into a page as tall as the page (its
        // head stays in the head's zone, its folio where printed).
        assert_eq!(b[3], BBox([400, 1300, 440, 1340]));
        assert_eq!(q.height, 1400);
        assert!(b.windows(2).all(|w| w[0].y1() <= w[1].y0()), "{b:?}");
        for (l, turned) in p.lines.iter().zip(&b) {
            assert_eq!(t.back(*turned), l.bbox);
        }
    }

    #[test]
    fn columns_beside_text_turn_in_their_box_or_lead_the_page() {
        // A facsimile of two columns (right) beside a wide block of text.
        let p = PageText {
            width: 1000,
            height: 1400,
            lines: vec![
                line([100, 50, 600, 90], false),     // head
                line([100, 200, 700, 240], false),   // text beside
                line([100, 1060, 700, 1100], false), // text beside
                line([850, 200, 900, 1200], true),   // column
                line([760, 700, 800, 1200], true),   // a short column, low
                line([400, 1300, 440, 1340], false), // folio
            ],
            ..Default::default()
        };
        let t = Turn::of(&p).unwrap();
        let q = t.page(&p);
        assert_eq!((q.width, q.height), (1000, 1400));
        let b: Vec<BBox> = q.lines.iter().map(|l| l.bbox).collect();
        for i in [0, 1, 2, 5] {
            assert_eq!(b[i], p.lines[i].bbox, "rows stay");
        }
        // Columns: lines as tall as the columns are wide, within the
        // columns' box, the right one on top; the short column starts
        // half way across.
        assert_eq!(b[3], BBox([760, 200, 900, 250]));
        assert_eq!(b[4], BBox([830, 300, 900, 340]));
        for (l, turned) in p.lines.iter().zip(&b) {
            assert_eq!(t.back(*turned), l.bbox);
        }
        // The columns the larger: turned whole, the text beside them and
        // the folio after them.
        let mut p = p;
        p.lines[1].bbox = BBox([100, 200, 200, 240]);
        p.lines[2].bbox = BBox([100, 1060, 200, 1100]);
        let t = Turn::of(&p).unwrap();
        let b: Vec<BBox> = t.page(&p).lines.iter().map(|l| l.bbox).collect();
        assert_eq!(b[0], p.lines[0].bbox);
        assert!(b[1].y0() >= b[3].y1() && b[1].y0() >= b[4].y1(), "{b:?}");
        assert!(b[2].y0() > b[1].y0() && b[5].y0() > b[2].y0(), "{b:?}");
        for (l, turned) in p.lines.iter().zip(&b) {
            assert_eq!(t.back(*turned), l.bbox);
        }
    }
}
