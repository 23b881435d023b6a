//! A body line with where it is (`Placed`), and what is asked of lines
//! while cutting: headings, centring, the page's gutter, contents entries,
//! prose, the pitch of print.

use super::params::SegmentParams;
use crate::page::Line;

/// A body line with where it is.
#[derive(Clone, Debug)]
pub(super) struct Placed<'a> {
    /// 1-based position of the page in its issue.
    pub(super) page: usize,
    pub(super) printed: u32,
    /// The text block the line is set in, left and right: the page, or on
    /// a page of two columns, its column.
    pub(super) frame: (u32, u32),
    pub(super) left_margin: u32,
    /// Where the text block's lines end on the right: a column's print,
    /// or (a whole page's frame being the page) the page's full lines.
    pub(super) right_margin: u32,
    pub(super) line: &'a Line,
}

/// The number on a folio line (— 12 —, - 12 -, 12).
pub(super) fn folio(s: &str) -> Option<u32> {
    crate::folio::parse(s).map(|f| f.number)
}

pub(super) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Paragraph headings: 一、 （一） 第一条 第一章 ㈠ 1.
pub(super) fn is_heading(s: &str) -> bool {
    let t = squash(s);
    let mut c = t.chars();
    let first = c.next();
    let numerals = "一二三四五六七八九十";
    match first {
        Some('（') | Some('(') => t
            .chars()
            .nth(1)
            .is_some_and(|d| numerals.contains(d) || d.is_ascii_digit()),
        Some('第') => {
            let rest: String = t
                .chars()
                .skip(1)
                .take_while(|d| {
                    numerals.contains(*d) || "百零〇".contains(*d) || d.is_ascii_digit()
                })
                .collect();
            !rest.is_empty()
                && t.chars()
                    .nth(1 + rest.chars().count())
                    .is_some_and(|u| "条章节".contains(u))
        }
        Some(d) if ('㈠'..='㈩').contains(&d) => true,
        Some(d) if numerals.contains(d) => {
            let n = t.chars().take_while(|x| numerals.contains(*x)).count();
            t.chars().nth(n) == Some('、')
        }
        _ => false,
    }
}

/// Whether a line's centre lies near the page's centre, as titles and 文号
/// are set.
pub(super) fn centred(p: &Placed, k: &SegmentParams) -> bool {
    let b = p.line.bbox;
    let centre = (b.x0() + b.x1()) as f32 / 2.0;
    let (f0, f1) = (p.frame.0 as f32, p.frame.1 as f32);
    (centre - (f0 + f1) / 2.0).abs() < (f1 - f0) * k.centre_tolerance
}

/// Where a page's lines leave a gutter between two columns: an x near the
/// middle that no line (or very few: heads across the page were taken
/// off already) crosses, with enough lines on either side; `None` for a
/// page of one column.
pub(super) fn page_gutter(lines: &[&Line], width: u32, k: &SegmentParams) -> Option<u32> {
    let (lo, hi) = (
        (width as f32 * k.gutter_zone.0) as u32,
        (width as f32 * k.gutter_zone.1) as u32,
    );
    let step = (width / 200).max(1);
    let mut best: Option<(usize, u32)> = None;
    let mut x = lo;
    while x <= hi {
        let crossing = lines
            .iter()
            .filter(|l| l.bbox.x0() < x && l.bbox.x1() > x)
            .count();
        let left = lines.iter().filter(|l| l.bbox.x1() <= x).count();
        let right = lines.iter().filter(|l| l.bbox.x0() >= x).count();
        let ok = crossing as f32 <= lines.len() as f32 * k.gutter_crossing
            && left >= k.min_column_lines
            && right >= k.min_column_lines;
        // The fewest crossings, then the nearest the middle.
        let d = x.abs_diff(width / 2);
        if ok
            && best
                .is_none_or(|(c, bx)| crossing < c || (crossing == c && d < bx.abs_diff(width / 2)))
        {
            best = Some((crossing, x));
        }
        x += step;
    }
    best.map(|(_, x)| x)
}

/// A contents entry: a title (perhaps cut short with …) and the printed
/// page in parentheses after it.
pub(super) fn contents_entry(s: &str) -> Option<(String, u32)> {
    let t = squash(s);
    let (title, num) = t.strip_suffix(['）', ')'])?.rsplit_once(['（', '('])?;
    let page: u32 = num.parse().ok()?;
    let title = title.trim_end_matches(['…', '.', '·', '-', '—']);
    (title.chars().count() >= 4).then(|| (title.to_string(), page))
}

/// Whether a line begins as a title does: most of its first six
/// characters agree (OCR may misread one).
pub(super) fn same_start(line: &str, title: &str, k: &SegmentParams) -> bool {
    let (a, b) = (squash(line), squash(title));
    // An entry cut short (…新余市…) is compared up to the cut.
    let b = b.trim_end_matches(['…', '.', '·']);
    let (la, lb) = (a.chars().count(), b.chars().count());
    let n = la.min(lb).min(k.contents_compared);
    if n == 0 || n < k.contents_min_chars.min(lb) {
        return false;
    }
    let agree = a
        .chars()
        .zip(b.chars())
        .take(n)
        .filter(|(x, y)| x == y)
        .count();
    let allowed = ((n as f32 * (1.0 - k.contents_agreement)) as usize).max(1);
    agree + allowed >= n
}

/// The advance per character of a line, in pixels: its width over its
/// characters (half for ASCII); `None` for lines too short to tell.
pub(super) fn pitch(l: &Line, k: &SegmentParams) -> Option<u32> {
    let units: f32 = l
        .text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum();
    (units >= k.min_pitch_chars).then(|| (l.bbox.width() as f32 / units) as u32)
}

/// The share of a line's characters (whitespace aside) that are figures:
/// digits and the marks between them (`.`, `-`, `/`), ASCII or full-width.
pub(super) fn figure_share(text: &str) -> f32 {
    let (mut all, mut figures) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        let c = if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        } else {
            c
        };
        figures += usize::from(c.is_ascii_digit() || c.is_ascii_punctuation());
    }
    if all == 0 {
        return 0.0;
    }
    figures as f32 / all as f32
}

/// A line of running text, to measure the body on: not a line inside a
/// ruled table, a table's row of spaced cells, nor a column of figures.
pub(super) fn is_prose(l: &Line, k: &SegmentParams) -> bool {
    let cells = l.text.split_whitespace().count() > 2 || l.text.contains(['|', '｜']);
    !l.text.trim().is_empty()
        && !l.in_table
        && !cells
        && figure_share(&l.text) <= k.max_figure_share
}

pub(super) fn median(mut v: Vec<u32>) -> u32 {
    if v.is_empty() {
        return 0;
    }
    let m = v.len() / 2;
    *v.select_nth_unstable(m).1
}
