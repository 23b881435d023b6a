//! Vertical pages for segmentation: each page whose columns were read top
//! to bottom, right to left, is turned into a horizontal page where each
//! column is a line, the rightmost on top, so the rules segmentation knows
//! (a title set larger, centred; a signature at the line's end; a date
//! under it) hold as they do for horizontal print: a column's width is a
//! line's height, its run down the page a line's run across. Rows printed
//! across the page (running head, folio) stay rows, above and below the
//! columns. The boxes the documents carry are turned back to the page's.

use crate::page::{BBox, Line, PageText};

/// How one page was turned: the column area's top and bottom, and the
/// columns' left and right edges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turn {
    top: u32,
    bottom: u32,
    left: u32,
    right: u32,
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
        Some(Turn {
            top: v.iter().map(|b| b.y0()).min()?,
            bottom: v.iter().map(|b| b.y1()).max()?,
            left: v.iter().map(|b| b.x0()).min()?,
            right: v.iter().map(|b| b.x1()).max()?,
        })
    }

    /// The turned page's columns band: `top .. top + span`, at least as
    /// tall as the page's (a page of a few columns turned into a short
    /// page, and its running head no longer lay in the top share where a
    /// head is looked for: it was left in the text); rows below stay where
    /// they are.
    fn span(&self) -> u32 {
        (self.right - self.left).max(self.bottom - self.top)
    }

    /// A line's box on the turned page.
    fn forward(&self, l: &Line) -> BBox {
        let b = l.bbox;
        if l.vertical {
            BBox([
                b.y0(),
                self.top + (self.right - b.x1().min(self.right)),
                b.y1(),
                self.top + (self.right - b.x0().max(self.left)),
            ])
        } else if b.y0() < self.top {
            b
        } else {
            // Below the columns: moved down (or up) to follow them.
            let y0 = b.y0().saturating_sub(self.bottom) + self.top + self.span();
            BBox([b.x0(), y0, b.x1(), y0 + b.height()])
        }
    }

    /// A box on the turned page back on the page.
    pub fn back(&self, b: BBox) -> BBox {
        let end = self.top + self.span();
        if b.y0() < self.top {
            b
        } else if b.y0() >= end {
            let y0 = b.y0() - end + self.bottom;
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
        PageText {
            width: p.width.max(p.height),
            // As much paper below the columns as the page has.
            height: self.top + self.span() + p.height.saturating_sub(self.bottom),
            lines,
            image: None,
            ..p.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_become_lines_rightmost_first_and_turn_back() {
        let line = |b: [u32; 4], vertical: bool| Line {
            text: "字".into(),
            bbox: BBox(b),
            vertical,
            ..Default::default()
        };
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
}
