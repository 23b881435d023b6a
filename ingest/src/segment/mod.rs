//! Cutting an issue into its documents: the issue's identity from its
//! running heads, printed page numbers from the folios, the contents page,
//! and for each document its title, 文号, issuer, date, attribute, type,
//! pages and standard text, with every paragraph anchored to the line boxes
//! it came from. Pure code: pages in, documents out.

pub mod parse;
mod turn;

use crate::page::{Line, PageText};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The numbers segmentation decides by. Fractions are of the page's width
/// or height, lengths in body line heights. Each was set by hand while
/// developing on the pages of `scripts/eval_segment.py` (the seven first
/// corpus documents rendered at three damage levels in four formats, and
/// one born-digital issue), where every field came out exact; none was
/// swept, and where a figure rests on a print convention the comment says
/// which.
#[derive(Clone, Debug, Serialize)]
pub struct SegmentParams {
    /// Running heads are printed in the top tenth of the page (GB/T 9704
    /// puts the 版心 37 mm from the top of a 297 mm page; the head sits
    /// above it).
    pub head_zone: f32,
    /// A top line recurring on at least this many pages is a running head
    /// even without the issue in it (two: a head printed on facing pages).
    pub min_head_repeats: usize,
    /// Folios are printed in the bottom eighth of the page.
    pub folio_zone: f32,
    /// A folio stands apart: the gap above it is at least this many of its
    /// own heights.
    pub folio_gap: f32,
    /// A short line in the folio's place with no 。 is a misread folio.
    pub max_misread_folio_chars: usize,
    /// A page whose first lines hold 目录 within this many lines is the
    /// contents page.
    pub contents_heading_lines: usize,
    /// Or, with 目录 misread: at least this many lines ending in a page
    /// number in parentheses…
    pub min_contents_refs: usize,
    /// …making up at least this share of its lines.
    pub contents_ref_share: f32,
    /// The page's left margin is this quantile of its lines' left edges
    /// (low, so indented first lines do not move it; not the minimum, so
    /// a stray mark in the margin does not).
    pub margin_quantile: f32,
    /// A title's characters are set at least this much wider apart than
    /// the body's (GB/T 9704 sets titles in 二号 over a 三号 body: 22 pt /
    /// 16 pt = 1.375).
    pub title_pitch_ratio: f32,
    /// …and its line is at least this much taller than the body's median
    /// line (二号 over 三号 is 1.375; rendered and OCR-boxed titles measure
    /// 1.6 on the two-column pages, body lines up to 1.14).
    pub title_height_ratio: f32,
    /// A line's centre within this fraction of the page's width of the
    /// page's centre is centred.
    pub centre_tolerance: f32,
    /// Lines shorter than this (in character widths, ASCII counting half)
    /// are too short to measure a pitch on.
    pub min_pitch_chars: f32,
    /// A short last line of a wrapped title is at least this share of a
    /// body line's height…
    pub title_tail_height: f32,
    /// …and at least this share of the title line above it.
    pub title_tail_of_title: f32,
    /// A line confirmed by a contents entry agrees with it on this share
    /// of the characters both hold, one miss allowed however few (OCR may
    /// misread one in six)…
    pub contents_agreement: f32,
    /// …compared over at most this many characters (titles begin with
    /// their issuer's name: compared over six, a line of text citing
    /// 国务院办公厅转发… on the page of the entry 国务院办公厅转发… was
    /// confirmed as a second title)…
    pub contents_compared: usize,
    /// …and at least this many (or the whole entry, if shorter).
    pub contents_min_chars: usize,
    /// A 版头 (organ names and 文件) is printed in the top part of the
    /// page, above this fraction of its height (GB/T 9704: within the
    /// first 80 mm or so of a 297-mm page, under a 35-mm margin).
    pub header_zone: f32,
    /// A gutter between two columns lies between these fractions of the
    /// page's width…
    pub gutter_zone: (f32, f32),
    /// …crossed by at most this share of the page's lines…
    pub gutter_crossing: f32,
    /// …with at least this many lines on each side.
    pub min_column_lines: usize,
    /// The signature block is printed right of this fraction of the width.
    pub signature_left: f32,
    /// …or, in a column too narrow for that (joint issuers' names fill
    /// most of it), set to the right: starting more than this many line
    /// heights in from the column's left (past a paragraph's 2-character
    /// indent, about 1.5)…
    pub signature_indent: f32,
    /// …and ending within this many of its right (GB/T 9704 sets the
    /// signature two characters short of the right).
    pub signature_right_gap: f32,
    /// An issuer's line is at most this many characters (four joint
    /// issuers side by side take over 30).
    pub max_issuer_chars: usize,
    /// A line indented more than this many line heights from the margin
    /// begins a paragraph (the 2-character first-line indent is about 2).
    pub indent: f32,
    /// A line ending more than this many line heights short of the right
    /// edge ends its paragraph.
    pub short_line: f32,
    /// The body's line height and pitch are measured on prose lines: a
    /// line more than this share figures (never a title's line either) (a table's column of figures, a
    /// roster's numbers) is left out, as is a line of spaced cells, when
    /// at least `min_prose_lines` lines are prose. A vertical table of
    /// figures turned into lines stood as 20 of an issue's 70 lines and
    /// moved the medians so far that the first document's title was no
    /// longer larger than the body (a held-back yellowed vertical issue).
    pub max_figure_share: f32,
    /// A page with at least this many prose lines measures its own body
    /// line height (for its titles); fewer, and the issue's is used.
    pub min_page_prose_lines: usize,
    pub min_prose_lines: usize,
}

impl Default for SegmentParams {
    fn default() -> Self {
        Self {
            head_zone: 0.1,
            min_head_repeats: 2,
            folio_zone: 0.125,
            folio_gap: 1.5,
            max_misread_folio_chars: 8,
            contents_heading_lines: 3,
            min_contents_refs: 2,
            contents_ref_share: 0.5,
            margin_quantile: 0.1,
            title_pitch_ratio: 1.3,
            title_height_ratio: 1.25,
            centre_tolerance: 1.0 / 12.0,
            min_pitch_chars: 4.0,
            title_tail_height: 0.8,
            title_tail_of_title: 1.0 / 3.0,
            contents_agreement: 0.85,
            contents_compared: 24,
            contents_min_chars: 6,
            header_zone: 0.3,
            gutter_zone: (0.3, 0.7),
            gutter_crossing: 0.0,
            min_column_lines: 5,
            signature_left: 0.4,
            signature_indent: 2.5,
            signature_right_gap: 3.0,
            max_issuer_chars: 64,
            indent: 1.0,
            short_line: 2.0,
            max_figure_share: 0.5,
            min_page_prose_lines: 8,
            min_prose_lines: 8,
        }
    }
}

/// What the caller knows of an issue when its pages do not say
/// (`--gazette/--year/--issue`, then the file or folder name).
#[derive(Clone, Debug, Default)]
pub struct Hints {
    pub gazette: Option<String>,
    pub year: Option<u16>,
    pub issue: Option<u16>,
    /// The printed number of the issue's first page, for issues whose
    /// folios cannot be read.
    pub first_page: Option<u32>,
    /// The issue's file or folder name, searched for a year and number.
    pub name: Option<String>,
}

pub use gazette_model::{Anchor, Fields, Paragraph};

/// One document of an issue: its fields (what `gazette segment` prints and
/// the archive stores) and its paragraphs with their anchors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(flatten)]
    pub fields: Fields,
    /// The paragraphs with their anchors (not printed by `segment`).
    #[serde(skip)]
    pub paragraphs: Vec<Paragraph>,
}

/// A body line with where it is.
#[derive(Clone, Debug)]
struct Placed<'a> {
    /// 1-based position of the page in its issue.
    page: usize,
    printed: u32,
    /// The text block the line is set in, left and right: the page, or on
    /// a page of two columns, its column.
    frame: (u32, u32),
    left_margin: u32,
    /// Where the text block's lines end on the right: a column's print,
    /// or (a whole page's frame being the page) the page's full lines.
    right_margin: u32,
    line: &'a Line,
}

/// The issue's gazette, year and number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub gazette: String,
    pub year: u16,
    pub issue: u16,
    /// The printed page number of each page of the issue by position
    /// (`printed[0]` is the first page's), pages that could not be read
    /// included, numbered from the run of their neighbours' folios (from
    /// `segment`; empty from [`running_head`]).
    pub printed: Vec<u32>,
}

/// Reads 云南省人民政府公报  2017年第5期 into its parts.
pub fn running_head(s: &str) -> Option<Identity> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let nian = t.find("年第")?;
    let year_start = t[..nian].char_indices().rev().take(4).last()?.0;
    let year: u16 = t[year_start..nian].parse().ok()?;
    let after = &t[nian + "年第".len()..];
    let qi = after.find('期')?;
    let issue: u16 = after[..qi].parse().ok()?;
    let gazette = t[..year_start]
        .trim_matches(|c: char| !crate::textfix::is_cjk(c) || c == '》' || c == '《');
    Some(Identity {
        gazette: gazette.to_string(),
        year,
        issue,
        printed: Vec::new(),
    })
}

/// A year printed in a running head is at least this: a head read with
/// its digits damaged (1954 read 1451 on a heavily damaged page) is no
/// year to cite. (The Republic's gazettes print 民國 years, no such digits.)
const EARLIEST_HEAD_YEAR: u16 = 1900;
const LATEST_HEAD_YEAR: u16 = 2100;

/// The issue as its running heads say it, each page's head a vote: a
/// damaged head (its year or the gazette's first character misread) is
/// outvoted by the other pages' (the first head alone would put a
/// misread year in every citation of the issue). The year and issue are
/// the commonest read (a year out of range is no vote); the gazette's
/// name the commonest, or, when no name was read alike twice, voted
/// character by character among the names of the commonest length, a
/// character and its traditional form one vote (雲/云 over 县, 尖, 公).
/// Ties go to the earlier page. `None` without a head.
fn vote(heads: &[Identity]) -> Option<Identity> {
    fn commonest<T: PartialEq + Copy>(v: impl Iterator<Item = T>) -> Option<T> {
        let v: Vec<T> = v.collect();
        let count = |x: &T| v.iter().filter(|y| *y == x).count();
        // max_by_key keeps the last of equals: reversed, the earliest.
        v.iter().rev().copied().max_by_key(count)
    }
    if heads.is_empty() {
        return None;
    }
    let years = heads
        .iter()
        .map(|h| h.year)
        .filter(|y| (EARLIEST_HEAD_YEAR..=LATEST_HEAD_YEAR).contains(y));
    let year = commonest(years).unwrap_or(0);
    let issue = commonest(heads.iter().map(|h| h.issue)).unwrap_or(0);
    let names: Vec<&str> = heads
        .iter()
        .map(|h| h.gazette.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let gazette = match commonest(names.iter().copied()) {
        Some(n) if names.iter().filter(|m| **m == n).count() >= 2 => n.to_string(),
        Some(_) => {
            let len = commonest(names.iter().map(|n| n.chars().count())).unwrap_or(0);
            let alike: Vec<Vec<char>> = names
                .iter()
                .map(|n| n.chars().collect::<Vec<char>>())
                .filter(|n| n.len() == len)
                .collect();
            (0..len)
                .filter_map(|i| {
                    let folded = commonest(
                        alike
                            .iter()
                            .map(|n| gazette_model::script::simplified(n[i])),
                    )?;
                    // The winner as printed: its first reading.
                    alike
                        .iter()
                        .map(|n| n[i])
                        .find(|&c| gazette_model::script::simplified(c) == folded)
                })
                .collect()
        }
        None => String::new(),
    };
    Some(Identity {
        gazette,
        year,
        issue,
        printed: Vec::new(),
    })
}

/// A year and issue number in a file or folder name: 2017年第5期,
/// yn-2017-05, 2017_5.
fn identity_from_name(name: &str) -> Option<(u16, u16)> {
    if let Some(id) = running_head(name) {
        return Some((id.year, id.issue));
    }
    let digits: Vec<(usize, String)> = {
        let mut v = Vec::new();
        let mut cur = String::new();
        let mut start = 0;
        for (i, c) in name.char_indices() {
            if c.is_ascii_digit() {
                if cur.is_empty() {
                    start = i;
                }
                cur.push(c);
            } else if !cur.is_empty() {
                v.push((start, std::mem::take(&mut cur)));
            }
        }
        if !cur.is_empty() {
            v.push((start, cur));
        }
        v
    };
    let y = digits
        .iter()
        .position(|(_, d)| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))?;
    let issue = digits.get(y + 1).filter(|(_, d)| d.len() <= 3)?;
    Some((digits[y].1.parse().ok()?, issue.1.parse().ok()?))
}

/// The number on a folio line (— 12 —, - 12 -, 12).
fn folio(s: &str) -> Option<u32> {
    crate::folio::parse(s).map(|f| f.number)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Paragraph headings: 一、 （一） 第一条 第一章 ㈠ 1.
fn is_heading(s: &str) -> bool {
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
fn centred(p: &Placed, k: &SegmentParams) -> bool {
    let b = p.line.bbox;
    let centre = (b.x0() + b.x1()) as f32 / 2.0;
    let (f0, f1) = (p.frame.0 as f32, p.frame.1 as f32);
    (centre - (f0 + f1) / 2.0).abs() < (f1 - f0) * k.centre_tolerance
}

/// Where a page's lines leave a gutter between two columns: an x near the
/// middle that no line (or very few: heads across the page were taken
/// off already) crosses, with enough lines on either side; `None` for a
/// page of one column.
fn page_gutter(lines: &[&Line], width: u32, k: &SegmentParams) -> Option<u32> {
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
fn contents_entry(s: &str) -> Option<(String, u32)> {
    let t = squash(s);
    let (title, num) = t.strip_suffix(['）', ')'])?.rsplit_once(['（', '('])?;
    let page: u32 = num.parse().ok()?;
    let title = title.trim_end_matches(['…', '.', '·', '-', '—']);
    (title.chars().count() >= 4).then(|| (title.to_string(), page))
}

/// Whether a line begins as a title does: most of its first six
/// characters agree (OCR may misread one).
fn same_start(line: &str, title: &str, k: &SegmentParams) -> bool {
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
fn pitch(l: &Line, k: &SegmentParams) -> Option<u32> {
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
fn figure_share(text: &str) -> f32 {
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
fn is_prose(l: &Line, k: &SegmentParams) -> bool {
    let cells = l.text.split_whitespace().count() > 2 || l.text.contains(['|', '｜']);
    !l.text.trim().is_empty()
        && !l.in_table
        && !cells
        && figure_share(&l.text) <= k.max_figure_share
}

fn median(mut v: Vec<u32>) -> u32 {
    if v.is_empty() {
        return 0;
    }
    let m = v.len() / 2;
    *v.select_nth_unstable(m).1
}

/// Cuts one issue's pages into documents. `pages` are the pages that were
/// read, in order; each is placed by its own position in the issue
/// (`PageText::page`), so a page that failed to read leaves its gap and the
/// pages after it keep their numbers.
pub fn segment(pages: &[&PageText], hints: &Hints) -> (Identity, Vec<Document>) {
    segment_with(pages, hints, &SegmentParams::default())
}

/// [`segment`] with other parameters. Pages set in vertical columns are
/// segmented turned (`turn`): each column a line, the rightmost on top.
pub fn segment_with(
    pages: &[&PageText],
    hints: &Hints,
    k: &SegmentParams,
) -> (Identity, Vec<Document>) {
    let turns: Vec<Option<turn::Turn>> = pages.iter().map(|p| turn::Turn::of(p)).collect();
    if turns.iter().all(Option::is_none) {
        return segment_pages(pages, hints, k);
    }
    let turned: Vec<std::borrow::Cow<PageText>> = pages
        .iter()
        .zip(&turns)
        .map(|(p, t)| match t {
            Some(t) => std::borrow::Cow::Owned(t.page(p)),
            None => std::borrow::Cow::Borrowed(*p),
        })
        .collect();
    let refs: Vec<&PageText> = turned.iter().map(|c| c.as_ref()).collect();
    let (identity, mut docs) = segment_pages(&refs, hints, k);
    // Boxes back on their pages.
    let turn_of = |page: u32| {
        pages
            .iter()
            .zip(&turns)
            .find(|(p, _)| p.page as u32 == page)
            .and_then(|(_, t)| *t)
    };
    for d in &mut docs {
        for a in d.paragraphs.iter_mut().flat_map(|p| p.anchors.iter_mut()) {
            if let Some(t) = turn_of(a.page) {
                a.bbox = t.back(a.bbox);
            }
        }
        for s in &mut d.fields.field_sources {
            if let Some(t) = turn_of(s.page) {
                s.bbox = t.back(s.bbox);
            }
        }
        for n in &mut d.fields.review {
            if let Some(t) = turn_of(n.page) {
                n.bbox = t.back(n.bbox);
            }
        }
    }
    (identity, docs)
}

fn segment_pages(
    pages: &[&PageText],
    hints: &Hints,
    k: &SegmentParams,
) -> (Identity, Vec<Document>) {
    // Running heads, folios and printed page numbers.
    let mut heads: Vec<Identity> = Vec::new();
    let positions = pages.iter().map(|p| p.page.max(1)).max().unwrap_or(0);
    let mut printed: Vec<Option<u32>> = vec![None; positions];
    let mut bodies: Vec<Vec<&Line>> = Vec::with_capacity(pages.len());
    // A running head may carry the issue on some pages and only the
    // gazette's name on others: a top line that recurs on several pages is
    // a head too.
    let mut tops: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in pages {
        let head_zone = (p.height as f32 * k.head_zone) as u32;
        if let Some(first) = p.lines.first().filter(|l| l.bbox.y0() < head_zone) {
            *tops.entry(squash(&first.text)).or_default() += 1;
        }
    }
    for p in pages {
        let mut lines: Vec<&Line> = p.lines.iter().collect();
        let top = (p.height as f32 * k.head_zone) as u32;
        if let Some(first) = lines.first() {
            if first.bbox.y0() < top {
                if let Some(id) = running_head(&first.text) {
                    heads.push(id);
                    lines.remove(0);
                } else if tops
                    .get(&squash(&first.text))
                    .is_some_and(|n| *n >= k.min_head_repeats)
                {
                    lines.remove(0);
                }
            }
        }
        let mut number = None;
        if let Some(&last) = lines.last() {
            // The folio sits low, set apart from the text above it.
            let gap = lines.len() < 2
                || lines[lines.len() - 2].bbox.y1() as f32
                    + last.bbox.height() as f32 * k.folio_gap
                    < last.bbox.y0() as f32;
            let zone = p.height as f32 * (1.0 - k.folio_zone);
            if last.bbox.y0() as f32 > zone && gap {
                if let Some(n) = folio(&last.text) {
                    number = Some(n);
                    lines.pop();
                } else if squash(&last.text).chars().count() <= k.max_misread_folio_chars
                    && !last.text.contains('。')
                {
                    // A few marks in the folio's place are a folio misread.
                    lines.pop();
                }
            }
        }
        printed[p.page.max(1) - 1] = number;
        bodies.push(lines);
    }
    // Folios read decide the numbering; with none read, the given first
    // page does, and only then.
    let none_read = printed.iter().all(Option::is_none);
    // Blank pages opening the issue (a spread's blank facing page beside
    // the first) come before its first numbered page.
    let lead = (0..printed.len())
        .take_while(|&i| {
            pages
                .iter()
                .any(|p| p.page.max(1) - 1 == i && p.lines.is_empty())
        })
        .count();
    infer_page_numbers(&mut printed, lead);
    if let (true, Some(first)) = (none_read, hints.first_page) {
        for (i, n) in printed.iter_mut().enumerate() {
            *n = Some(first + i as u32);
        }
    }
    let printed: Vec<u32> = printed
        .iter()
        .enumerate()
        .map(|(i, n)| n.unwrap_or(i as u32 + 1))
        .collect();

    // The running heads first; where a scan has none (or none with a
    // year to cite), the options, then the file or folder name, field by
    // field.
    let name_id = hints.name.as_deref().and_then(identity_from_name);
    let head = vote(&heads).unwrap_or_default();
    let mut identity = Identity {
        gazette: Some(head.gazette)
            .filter(|g| !g.is_empty())
            .or_else(|| hints.gazette.clone())
            .unwrap_or_default(),
        year: Some(head.year)
            .filter(|&y| y != 0)
            .or(hints.year)
            .or(name_id.map(|n| n.0))
            .unwrap_or(0),
        issue: Some(head.issue)
            .filter(|&i| i != 0)
            .or(hints.issue)
            .or(name_id.map(|n| n.1))
            .unwrap_or(0),
        printed: Vec::new(),
    };
    identity.printed = printed.clone();

    // The contents page is skipped; its entries are not trusted for text.
    let mut stream: Vec<Placed> = Vec::new();
    let mut entries: Vec<(String, u32)> = Vec::new();
    let mut last_gutter: Option<u32> = None;
    for (p, lines) in pages.iter().zip(&bodies) {
        // A contents page is headed 目录, or (when that is misread) is
        // mostly lines ending in a page number in parentheses.
        let refs = lines
            .iter()
            .filter(|l| {
                let t = squash(&l.text);
                let inner = t
                    .strip_suffix(['）', ')'])
                    .and_then(|r| r.rsplit_once(['（', '(']))
                    .map(|x| x.1);
                inner.is_some_and(|n| {
                    !n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit())
                })
            })
            .count();
        // 目錄 in traditional print.
        let contents = lines
            .iter()
            .take(k.contents_heading_lines)
            .any(|l| parse::simplified(&squash(&l.text)) == "目录")
            || (refs >= k.min_contents_refs
                && refs as f32 >= lines.len() as f32 * k.contents_ref_share);
        if contents {
            entries.extend(lines.iter().filter_map(|l| contents_entry(&l.text)));
            continue;
        }
        // A page set in two columns: each line is placed in its column,
        // whose text block is its frame (titles are centred in it, the
        // signature set to its right, paragraphs indented from its left).
        // A page of a two-column issue that holds only a column's worth
        // (a document's last lines, down the left) keeps the gutter of the
        // page before when no line crosses it: its signature is then set to
        // the right of its column, not of the page.
        let gutter = page_gutter(lines, p.width, k).or_else(|| {
            // (A folio centred at the foot may cross it.)
            last_gutter.filter(|&g| {
                !lines.is_empty()
                    && lines
                        .iter()
                        .all(|l| l.bbox.x1() <= g || l.bbox.x0() >= g || folio(&l.text).is_some())
            })
        });
        last_gutter = gutter;
        let side = |l: &Line| match gutter {
            Some(g) if l.bbox.x1() <= g => 1,
            Some(g) if l.bbox.x0() >= g => 2,
            _ => 0,
        };
        let frames: Vec<((u32, u32), u32, u32)> = (0..3)
            .map(|col| {
                let members: Vec<&&Line> = lines.iter().filter(|l| side(l) == col).collect();
                let frame = if col == 0 || members.is_empty() {
                    (0, p.width)
                } else if let (Some(g), true) = (gutter, members.len() < k.min_column_lines) {
                    // A column of a few lines (a signature run on into the
                    // right column): from the gutter to the page's print.
                    let all = || lines.iter().map(|l| l.bbox);
                    if col == 1 {
                        (all().map(|b| b.x0()).min().unwrap_or(0), g)
                    } else {
                        (g, all().map(|b| b.x1()).max().unwrap_or(p.width))
                    }
                } else {
                    (
                        members.iter().map(|l| l.bbox.x0()).min().unwrap_or(0),
                        members.iter().map(|l| l.bbox.x1()).max().unwrap_or(p.width),
                    )
                };
                // Whole-width lines share the page's margin.
                let pool: Vec<u32> = if col == 0 {
                    lines.iter().map(|l| l.bbox.x0()).collect()
                } else {
                    members.iter().map(|l| l.bbox.x0()).collect()
                };
                let mut xs = pool;
                xs.sort_unstable();
                let at = (xs.len() as f32 * k.margin_quantile) as usize;
                // The right margin: where a whole page's full lines end
                // (high, so the short last lines of paragraphs do not move
                // it); a column's print ends at its frame.
                let right_margin = if col == 0 {
                    let mut ends: Vec<u32> = lines.iter().map(|l| l.bbox.x1()).collect();
                    ends.sort_unstable();
                    let at = (ends.len() as f32 * (1.0 - k.margin_quantile)) as usize;
                    ends.get(at.min(ends.len().saturating_sub(1)))
                        .copied()
                        .unwrap_or(p.width)
                } else {
                    frame.1
                };
                (frame, xs.get(at).copied().unwrap_or(0), right_margin)
            })
            .collect();
        for l in lines {
            let (frame, left_margin, right_margin) = frames[side(l)];
            stream.push(Placed {
                page: p.page.max(1),
                printed: printed[p.page.max(1) - 1],
                frame,
                left_margin,
                right_margin,
                line: l,
            });
        }
    }
    let prose: Vec<&Line> = stream
        .iter()
        .map(|p| p.line)
        .filter(|l| is_prose(l, k))
        .collect();
    let measured: Vec<&Line> = if prose.len() >= k.min_prose_lines {
        prose
    } else {
        stream.iter().map(|p| p.line).collect()
    };
    let line_h = median(measured.iter().map(|l| l.bbox.height()).collect());
    // A title is measured against its own page's body: how tall a line's
    // box comes out depends on how the page was read (a page with a ruled
    // table is read whole by Tesseract, whose boxes stood 40% taller than
    // the second recogniser's on the pages round it, and the issue's
    // median made the titles of those pages no larger than their text).
    // The smaller of the page's and the issue's: on a heavily damaged page
    // the body's boxes swell with the speckle round them until they stand
    // as tall as its title (a held-back sans issue lost 河南省企业集体合同条例
    // to its page's own median); either way a title stands taller than the
    // body read cleanly.
    let mut page_h: std::collections::HashMap<usize, Vec<u32>> = Default::default();
    for p in &stream {
        if is_prose(p.line, k) {
            page_h.entry(p.page).or_default().push(p.line.bbox.height());
        }
    }
    let page_line_h: std::collections::HashMap<usize, u32> = page_h
        .into_iter()
        .filter(|(_, v)| v.len() >= k.min_page_prose_lines)
        .map(|(n, v)| (n, median(v)))
        .collect();
    let line_h_on = |page: usize| {
        page_line_h
            .get(&page)
            .copied()
            .map_or(line_h, |h| h.min(line_h))
    };
    let body_pitch = median(measured.iter().filter_map(|l| pitch(l, k)).collect());
    // A title is set larger than the body: its characters are wider apart
    // (OCR line heights alone are too noisy to tell), and it is centred.
    // A title's line: `starts` asks that it begin one, set larger: wider
    // apart and taller (a table's row is as tall as the body, its cells
    // spaced wide; the pitch alone made table rows titles). The next lines
    // of a title need only be set as wide: on damaged scans their boxes
    // come out lower.
    let wide = |p: &Placed| {
        pitch(p.line, k).is_some_and(|q| q as f32 >= body_pitch as f32 * k.title_pitch_ratio)
    };
    // A signature block (organs' names over a date) is no title, though
    // its names may begin the title as the contents page lists it
    // (国务院办公厅　中央军委办公厅 under 国务院办公厅、中央军委办公厅关于…).
    let signature = |i: usize| {
        let (p, next) = (&stream[i], stream.get(i + 1));
        parse::issuers(&p.line.text, &[]).is_ok()
            && next.is_some_and(|n| n.page == p.page && parse::is_date_line(&n.line.text))
    };
    let title_line = |i: usize, starts: bool| {
        let p = &stream[i];
        let large = wide(p)
            && (!starts
                || p.line.bbox.height() as f32 >= line_h_on(p.page) as f32 * k.title_height_ratio);
        // Cells apart: spaces between runs, or a rule read as a bar.
        let cells = p.line.text.split_whitespace().count() > 2
            || p.line.text.contains(['|', '「', '」', '｜']);
        // Titles never end a sentence or a clause. A title wrapped in a
        // narrow column may break after 、 (关于山西、/安徽省…): then
        // the next line goes on set as wide, centred.
        let end = p.line.text.trim_end();
        let sentence = end.ends_with(['。', '：', '；', '，', ':', ';', ','])
            || (end.ends_with('、')
                && !stream
                    .get(i + 1)
                    .is_some_and(|n| n.page == p.page && wide(n) && centred(n, k)));
        let centred = centred(p, k) && !p.line.text.contains('\t');
        // The contents page confirms a title its entry names, on its page,
        // even one not set larger (it is never trusted to invent one).
        let listed = entries
            .iter()
            .any(|(title, page)| *page == p.printed && same_start(&p.line.text, title, k));
        // The 版记's 印发 line is set across the page, and is no title.
        // A 文号 (whole or damaged) is never a title's line: set in a
        // vertical column its digits stand a full character apart, as
        // wide as a title's.
        let number = parse::doc_number_fragment(&p.line.text);
        // A title is words: a row of a table of figures (coordinates read
        // without the spaces between their cells) is set as wide apart and
        // centred, but mostly figures.
        let figures = figure_share(&p.line.text) > k.max_figure_share;
        // A line inside a ruled grid is a table's cell, whatever its type:
        // a header row is set large and centred, its cells read as one run.
        centred
            && !p.line.in_table
            && !figures
            && !sentence
            && !cells
            && !number
            && (large || listed)
            && !parse::is_colophon(&p.line.text)
            && !signature(i)
    };
    let is_title = |i: usize| title_line(i, true);

    // A document as issued (GB/T 9704) starts under its 版头: organ names
    // and 文件, set large at the top of a page (two issuers stacked, 文件
    // beside them), with the 文号 under it and the title below the red
    // rule. Each 版头 is found first, with the stacked names above its
    // 文件 line; those lines are no title and no text.
    let mut header_at: std::collections::HashMap<usize, Vec<String>> = Default::default();
    let mut in_header = vec![false; stream.len()];
    for (i, p) in stream.iter().enumerate() {
        let page_h = pages
            .iter()
            .find(|x| x.page.max(1) == p.page)
            .map_or(0, |x| x.height);
        if p.line.bbox.y0() as f32 > page_h as f32 * k.header_zone {
            continue;
        }
        let Some(mut names) = parse::red_header(&p.line.text) else {
            continue;
        };
        let mut first = i;
        while first > 0 {
            let q = &stream[first - 1];
            let close =
                q.page == p.page && q.line.bbox.y1() + p.line.bbox.height() >= p.line.bbox.y0();
            match parse::organ_name(&q.line.text) {
                Ok(n) if close => {
                    names.insert(0, n);
                    first -= 1;
                }
                _ => break,
            }
        }
        if names.is_empty() {
            continue;
        }
        for f in in_header.iter_mut().take(i + 1).skip(first) {
            *f = true;
        }
        header_at.insert(first, names);
    }

    // Documents start at a 版头 or a title (large, centred) line; wrapped
    // title lines continue it.
    let mut groups: Vec<Group> = Vec::new();
    // A short last line of a wrapped title (…的意见) is too short to
    // measure; it continues the title when centred and as tall.
    let continues_title = |p: &Placed, prev: &Placed| {
        let b = p.line.bbox;
        centred(p, k)
            && pitch(p.line, k).is_none()
            && b.height() as f32 >= line_h as f32 * k.title_tail_height
            && b.height() as f32 >= prev.line.bbox.height() as f32 * k.title_tail_of_title
            && parse::doc_number(&p.line.text).is_none()
            && !parse::is_date_line(&p.line.text)
    };
    for (i, p) in stream.iter().enumerate() {
        if let Some(names) = header_at.get(&i) {
            groups.push(Group {
                header: names.clone(),
                letterhead: true,
                ..Group::default()
            });
        }
        if in_header[i] {
            continue;
        }
        match groups.last_mut() {
            // Under a 版头, lines before the title (the 文号) wait apart.
            Some(g) if g.letterhead && g.title.is_empty() => {
                if is_title(i) {
                    g.title.push(p)
                } else {
                    g.pre.push(p)
                }
            }
            Some(g)
                if g.rest.is_empty()
                    && !g.title.is_empty()
                    && (title_line(i, false)
                        || g.title.last().is_some_and(|prev| continues_title(p, prev))) =>
            {
                g.title.push(p)
            }
            // A document issued under a 版头 runs to the next 版头: GB/T
            // 9704 starts each on its own page under its own, and what is
            // set large inside it (a table's spaced cells) is no title.
            Some(g) if g.letterhead => g.rest.push(p),
            _ if is_title(i) => groups.push(Group {
                title: vec![p],
                ..Group::default()
            }),
            Some(g) => g.rest.push(p),
            None => {}
        }
    }

    let docs = groups
        .into_iter()
        .map(|g| build(&identity, g, line_h, k))
        .collect();
    (identity, docs)
}

/// One document's lines as grouped: its 版头's names (when issued with
/// one), the lines between 版头 and title, the title's lines, the rest.
#[derive(Default)]
struct Group<'a, 'b> {
    header: Vec<String>,
    letterhead: bool,
    pre: Vec<&'b Placed<'a>>,
    title: Vec<&'b Placed<'a>>,
    rest: Vec<&'b Placed<'a>>,
}

/// Page numbers run on from page to page, so the folios vote on the
/// number of the first page; a folio that disagrees with most (a misread)
/// or is missing takes its number from the run. With no majority, the
/// folios read are kept and the gaps filled from their neighbours.
fn infer_page_numbers(n: &mut [Option<u32>], lead: usize) {
    let mut votes: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for (i, v) in n.iter().enumerate() {
        if let Some(v) = v {
            *votes.entry(*v as i64 - i as i64).or_default() += 1;
        }
    }
    let read = n.iter().filter(|v| v.is_some()).count();
    let offset = match votes.iter().max_by_key(|(o, c)| (**c, -**o)) {
        Some((&offset, &count)) if count * 2 > read && offset + 1 > 0 => offset,
        // No majority: the folios are unreadable; the run starts at 1
        // on the first page after `lead` blank ones (those numbered 0: no
        // page before the first has a number).
        _ => 1 - lead as i64,
    };
    for (i, v) in n.iter_mut().enumerate() {
        *v = Some((i as i64 + offset).max(0) as u32);
    }
}

fn source(field: &str, p: &Placed) -> gazette_model::FieldSource {
    gazette_model::FieldSource {
        field: field.into(),
        page: p.page as u32,
        bbox: p.line.bbox,
    }
}

fn note(field: &str, p: &Placed, reason: &str) -> gazette_model::FieldNote {
    gazette_model::FieldNote {
        field: field.into(),
        candidate: p.line.text.trim().to_string(),
        reason: reason.into(),
        page: p.page as u32,
        bbox: p.line.bbox,
    }
}

/// The most lines a signature block takes at a document's end (issuers,
/// a second row of them, the date) before the attribute.
const SIGNATURE_LINES: usize = 3;
/// How far from the end of a document's lines its 版记 (抄送, 印发) may
/// begin.
const COLOPHON_LINES: usize = 8;

fn build(id: &Identity, g: Group, line_h: u32, k: &SegmentParams) -> Document {
    let mut sources = Vec::new();
    let mut review = Vec::new();
    let mut pre = g.pre.clone();
    let mut title_lines = g.title.clone();
    let mut body: Vec<&Placed> = g.rest.clone();
    // Under a 版头 whose title was not set large enough to tell, the first
    // line after the 文号 is the title.
    if title_lines.is_empty() {
        let at = pre
            .iter()
            .position(|p| parse::doc_number_loose(&p.line.text).is_none())
            .unwrap_or(pre.len());
        if at < pre.len() {
            title_lines.push(pre.remove(at));
            body = pre.split_off(at).into_iter().chain(body).collect();
        }
    }
    let title: String = join_lines(title_lines.iter().map(|p| p.line.text.as_str()));
    if let Some(t) = title_lines.first() {
        sources.push(source("title", t));
    }
    // The 文号: above the title under a 版头, else the line under it.
    let mut doc_number = String::new();
    let mut normalised = String::new();
    let mut take_number = |p: &Placed| -> bool {
        if let Some(d) = parse::doc_number(&p.line.text) {
            doc_number = squash(&p.line.text);
            normalised = d.normalised;
        } else if let Some(d) = parse::doc_number_loose(&p.line.text) {
            // Where a 文号 stands, a damaged one is still read as one; its
            // printed form is the normalised.
            doc_number = d.normalised.clone();
            normalised = d.normalised;
        } else {
            return false;
        }
        sources.push(source("doc_number", p));
        true
    };
    if let Some(i) = pre.iter().position(|p| take_number(p)) {
        pre.remove(i);
    } else if let Some(first) = body.first() {
        if take_number(first) {
            body.remove(0);
        }
    }
    // Where the 文号 stands, a line that is one only in part (its issuer's
    // code unread) is noted, not used.
    if doc_number.is_empty() {
        let under_title = body.first().copied();
        if let Some(i) = pre
            .iter()
            .position(|p| parse::doc_number_fragment(&p.line.text))
        {
            review.push(note(
                "doc_number",
                pre[i],
                "not a whole 文号: no issuer's code",
            ));
            pre.remove(i);
        } else if let Some(p) = under_title.filter(|p| parse::doc_number_fragment(&p.line.text)) {
            review.push(note("doc_number", p, "not a whole 文号: no issuer's code"));
            body.remove(0);
        }
    }
    // The 版记 at the foot (抄送, who printed it and when) is not text.
    let tail = body.len().saturating_sub(COLOPHON_LINES);
    if let Some(c) = body[tail..]
        .iter()
        .position(|p| parse::is_colophon(&p.line.text))
    {
        body.truncate(tail + c);
    }
    // The end of the document: issuer(s), date, attribute, printed to the
    // right. Each is kept only when it has its field's shape; a line in
    // their place that has none is left out of the text and noted.
    // A long signature (four joint issuers side by side) starts left of
    // that, but is set to the right all the same: in from the text's
    // left margin and ending near its right one (measured against the
    // page's width, a born-digital issue's four issuers were no signature).
    let right = |p: &Placed| {
        let (f0, f1) = (p.frame.0 as f32, p.frame.1 as f32);
        let (x0, x1, h) = (
            p.line.bbox.x0() as f32,
            p.line.bbox.x1() as f32,
            line_h as f32,
        );
        let (m0, m1) = (p.left_margin.max(p.frame.0) as f32, p.right_margin as f32);
        x0 > f0 + (f1 - f0) * k.signature_left
            || (x0 > m0 + h * k.signature_indent && x1 + h * k.signature_right_gap >= m1)
    };
    let mut attribute = String::new();
    if let Some(last) = body.last() {
        if let Some(a) = parse::attribute(&last.line.text) {
            attribute = a;
            sources.push(source("attribute", last));
            body.pop();
        }
    }
    let short = |p: &Placed| {
        right(p)
            && p.line.text.chars().count() <= k.max_issuer_chars
            && !p.line.text.trim_end().ends_with(['。', '；', '：', '，'])
    };
    let mut date = String::new();
    let mut issuers: Vec<String> = Vec::new();
    let mut block: Vec<&Placed> = Vec::new();
    while block.len() < SIGNATURE_LINES {
        match body.last() {
            Some(p) if short(p) => {
                block.insert(0, p);
                body.pop();
            }
            _ => break,
        }
    }
    // Lines of the block that are neither issuer nor date go back to the
    // text, unless they stand where the date or an issuer is expected.
    let mut keep: Vec<&Placed> = Vec::new();
    let n = block.len();
    for (i, p) in block.into_iter().enumerate() {
        let t = p.line.text.trim();
        let last = i + 1 == n;
        if parse::is_date_line(t) {
            if date.is_empty() {
                date = squash(t);
                sources.push(source("date", p));
            }
            continue;
        }
        let dated = t.contains('年') && (t.contains('月') || t.contains('日'));
        match parse::issuers(t, &g.header) {
            Ok(v) if date.is_empty() => {
                issuers.extend(v);
                sources.push(source("issuer", p));
            }
            _ if last && dated => review.push(note("date", p, "not a date: does not parse as one")),
            Err(why) if parse::looks_like_issuer(t) && keep.is_empty() && date.is_empty() => {
                // Where the issuer stands: not an organ's name.
                review.push(note("issuer", p, why));
            }
            _ => keep.push(p),
        }
    }
    if !keep.is_empty() && (issuers.is_empty() && date.is_empty()) {
        // No signature after all: the lines are text.
        body.extend(keep);
    } else {
        for p in keep {
            review.push(note(
                "issuer",
                p,
                "in the signature block, neither an issuer nor a date",
            ));
        }
    }
    // A document issued under a 版头 names its issuers there too.
    if issuers.is_empty() && !g.header.is_empty() {
        issuers = g.header.clone();
    }
    let date_iso = parse::date_iso(&date).unwrap_or_default();
    let paragraphs = paragraphs(&body, line_h, k);
    let text = paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // Every line the document holds: under a 版头 whose title was not set
    // large, the title and the text were all waiting in `pre` (a held-back
    // document's last page was left out of its span).
    let all = g.pre.iter().chain(&g.title).chain(&g.rest);
    let start_page = title_lines.first().map(|p| p.printed).unwrap_or(0);
    let end_page = all.map(|p| p.printed).max().unwrap_or(start_page);
    // A citation is made only from a whole identity: never 《》0年第0期.
    let known = !id.gazette.is_empty() && id.year > 0 && id.issue > 0 && start_page > 0;
    let citation = if !known {
        String::new()
    } else if start_page == end_page {
        format!(
            "《{}》{}年第{}期第{}页",
            id.gazette, id.year, id.issue, start_page
        )
    } else {
        format!(
            "《{}》{}年第{}期第{}—{}页",
            id.gazette, id.year, id.issue, start_page, end_page
        )
    };
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Document {
        fields: Fields {
            gazette: id.gazette.clone(),
            year: id.year,
            issue: id.issue,
            doc_type: parse::doc_type(&title).unwrap_or("").to_string(),
            title,
            doc_number,
            doc_number_normalised: normalised,
            issuer: issuers.join("\u{3000}"),
            issuers: if issuers.len() > 1 {
                issuers
            } else {
                Vec::new()
            },
            date_iso,
            date,
            attribute,
            start_page,
            end_page,
            text,
            citation,
            sha256,
            field_sources: sources,
            review,
        },
        paragraphs,
    }
}

/// Joins wrapped lines: no space between CJK characters, one between words.
fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    gazette_model::join_lines(lines).0
}

/// Lines into paragraphs: a new one at an indented line, a heading, a table
/// row, or after a line that stopped short of the right margin.
fn paragraphs(body: &[&Placed], line_h: u32, k: &SegmentParams) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    // Each text block's right edge: the page's, or each column's.
    let right_edge = |f: (u32, u32)| {
        body.iter()
            .filter(|p| p.frame == f)
            .map(|p| p.line.bbox.x1())
            .max()
            .unwrap_or(0)
    };
    let mut prev_short = true;
    let mut prev_table = false;
    // Each paragraph's lines, joined at the end so every line's span in
    // the paragraph's text is known (a proofreader corrects by line).
    let mut lines: Vec<Vec<&str>> = Vec::new();
    for p in body {
        let l = p.line;
        let table = l.text.contains('\t');
        let indented = l.bbox.x0() as f32 > p.left_margin as f32 + line_h as f32 * k.indent;
        let start =
            out.is_empty() || table || prev_table || indented || prev_short || is_heading(&l.text);
        let anchor = Anchor {
            page: p.page as u32,
            printed_page: p.printed,
            bbox: l.bbox,
            chars: None,
        };
        if start {
            out.push(Paragraph {
                text: String::new(),
                anchors: vec![anchor],
            });
            lines.push(vec![l.text.as_str()]);
        } else if let (Some(last), Some(texts)) = (out.last_mut(), lines.last_mut()) {
            last.anchors.push(anchor);
            texts.push(l.text.as_str());
        }
        prev_short =
            (l.bbox.x1() as f32 + k.short_line * line_h as f32) < right_edge(p.frame) as f32;
        prev_table = table;
    }
    for (para, texts) in out.iter_mut().zip(lines) {
        let (text, spans) = gazette_model::join_lines(texts.into_iter());
        para.text = text;
        for (a, span) in para.anchors.iter_mut().zip(spans) {
            a.chars = Some(span);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::BBox;

    #[test]
    fn running_heads_and_names() {
        let id = running_head("云南省人民政府公报  2017年第5期").unwrap();
        assert_eq!(
            id,
            Identity {
                gazette: "云南省人民政府公报".into(),
                year: 2017,
                issue: 5,
                printed: Vec::new(),
            }
        );
        assert_eq!(identity_from_name("yn-2017-05.tif"), Some((2017, 5)));
        assert_eq!(identity_from_name("云南公报2018年第12期"), Some((2018, 12)));
        assert_eq!(identity_from_name("scans"), None);
    }

    #[test]
    fn folios_and_inferred_numbers() {
        let mut n = vec![None, Some(2), None, None, Some(5), None];
        infer_page_numbers(&mut n, 0);
        assert_eq!(
            n,
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
        );
        // A misread folio is outvoted by the run.
        let mut n = vec![Some(201), Some(202), Some(7), Some(204), None];
        infer_page_numbers(&mut n, 0);
        assert_eq!(
            n,
            vec![Some(201), Some(202), Some(203), Some(204), Some(205)]
        );
        // No folio read: the run starts at 1 after the blank facing page
        // that opens a spread issue, which is numbered 0.
        let mut n = vec![None, None, None];
        infer_page_numbers(&mut n, 1);
        assert_eq!(n, vec![Some(0), Some(1), Some(2)]);
    }

    /// The height of a line of `text` set `width` px wide: the advance of
    /// its characters (ASCII half), within body (48 px) and title sizes.
    fn type_height(text: &str, width: u32) -> u32 {
        let units: f32 = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum();
        if units < 4.0 {
            return 48;
        }
        ((width as f32 / units) as u32).clamp(48, 120)
    }

    /// A page of lines given as (text, x0, y0, x1), each as tall as its
    /// type (see `type_height`).
    fn page(n: usize, lines: &[(&str, u32, u32, u32)]) -> PageText {
        PageText {
            source: "synthetic".into(),
            page: n,
            width: 2480,
            height: 3508,
            dpi: Some(300.0),
            origin: crate::page::TextOrigin::TextLayer,
            lines: lines
                .iter()
                .map(|(t, x0, y0, x1)| Line {
                    text: t.to_string(),
                    // As printed, a line is as tall as its type is large:
                    // its characters' advance (48 px for body type).
                    bbox: BBox([*x0, *y0, *x1, y0 + type_height(t, x1 - x0)]),
                    confidence: crate::page::Confidence::CERTAIN,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn contents_confirm_a_plain_title_and_orders_have_numbers() {
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let pages = [
            page(
                1,
                &[
                    head,
                    ("目  录", 1150, 400, 1330),
                    ("云南省人民政府令（2）", 310, 500, 2170),
                    ("— 1 —", 1190, 3310, 1290),
                ],
            ),
            page(
                2,
                &[
                    head,
                    // The order's title is set no larger than its text.
                    ("云南省人民政府令", 1048, 400, 1432),
                    ("第215号", 1150, 480, 1330),
                    (
                        "《云南省气象灾害防御条例实施办法》已经2018年1月5日省人民政府第",
                        410,
                        560,
                        2170,
                    ),
                    (
                        "130次常务会议通过，现予公布，自2018年3月1日起施行。",
                        310,
                        640,
                        1620,
                    ),
                    ("云南省人民政府", 1800, 720, 2140),
                    ("2018年1月24日", 1830, 800, 2140),
                    ("— 2 —", 1190, 3310, 1290),
                ],
            ),
        ];
        let (id, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        assert_eq!((id.year, id.issue), (2018, 3));
        assert_eq!(docs.len(), 1, "{docs:?}");
        let d = &docs[0].fields;
        assert_eq!(d.title, "云南省人民政府令");
        assert_eq!(d.doc_type, "令");
        assert_eq!(
            (d.doc_number.as_str(), d.doc_number_normalised.as_str()),
            ("第215号", "第215号")
        );
        assert_eq!(
            (d.issuer.as_str(), d.date_iso.as_str()),
            ("云南省人民政府", "2018-01-24")
        );
        assert_eq!(
            docs[0].paragraphs.len(),
            1,
            "a wrapped line continues its paragraph"
        );
        assert_eq!(d.citation, "《云南省人民政府公报》2018年第3期第2页");
    }

    #[test]
    fn rows_of_a_table_of_figures_are_no_titles() {
        // A table of coordinates read without the spaces between its
        // cells: each row centred and, its characters half-width figures,
        // set as wide apart as a title (a held-back issue's 14 rows became
        // 14 documents).
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let mut lines = vec![
            head,
            ("云南省人民政府关于公布界址点坐标的通知", 480, 400, 2000),
        ];
        let body = "各州、市人民政府，省直各委、办、厅、局：现将界址点坐标公布如下。";
        for i in 0..9 {
            lines.push((body, 310, 560 + i * 70, 1894));
        }
        let rows = [
            "A113725.5845103543.572",
            "A213715.1943103528.227",
            "A513628.3217103628.113",
            "B113728.0207103547.170",
            "B213735.3053103557.929",
            "C113765.1448103602.000",
        ];
        for (i, r) in rows.iter().enumerate() {
            lines.push((r, 690, 1300 + i as u32 * 120, 1790));
        }
        lines.push(("云南省人民政府", 1800, 2100, 2140));
        lines.push(("2018年1月24日", 1830, 2180, 2140));
        let pages = [page(1, &lines)];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        let titles: Vec<&str> = docs.iter().map(|d| d.fields.title.as_str()).collect();
        assert_eq!(titles, ["云南省人民政府关于公布界址点坐标的通知"]);
        assert_eq!(docs[0].fields.date_iso, "2018-01-24");
    }

    #[test]
    fn the_body_is_measured_on_its_prose() {
        // A page of figures (a table's columns, each read as a line of
        // digits, as large as a title) outnumbering the prose: measured
        // on every line, the body came out as large as the title and the
        // document was lost.
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let mut lines = vec![
            head,
            ("云南省统计局关于公布年度统计数字的通知", 480, 400, 2000),
        ];
        let body = "各州、市人民政府，省直各委、办、厅、局：现将年度统计数字公布如下。";
        for i in 0..9 {
            lines.push((body, 310, 560 + i * 70, 1894));
        }
        for i in 0..20 {
            lines.push(("1952123456.7", 310, 1300 + i * 125, 1030));
        }
        let pages = [page(1, &lines)];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        let titles: Vec<&str> = docs.iter().map(|d| d.fields.title.as_str()).collect();
        assert_eq!(titles, ["云南省统计局关于公布年度统计数字的通知"]);
        // Measured on every line, it is lost.
        let k = SegmentParams {
            min_prose_lines: usize::MAX,
            ..SegmentParams::default()
        };
        let (_, docs) = segment_with(&pages.iter().collect::<Vec<_>>(), &Hints::default(), &k);
        assert!(docs.is_empty(), "{docs:?}");
    }

    #[test]
    fn identity_from_head_then_options_then_name() {
        let body = page(1, &[("正文", 310, 500, 900)]);
        let hints = Hints {
            gazette: Some("云南省人民政府公报".into()),
            year: None,
            issue: Some(7),
            name: Some("yn-2019-04".into()),
            ..Hints::default()
        };
        let (id, _) = segment(&[&body], &hints);
        assert_eq!(
            (id.gazette.as_str(), id.year, id.issue),
            ("云南省人民政府公报", 2019, 7)
        );
        let headed = page(
            1,
            &[
                ("某某公报  2020年第1期", 310, 170, 850),
                ("正文", 310, 500, 900),
            ],
        );
        let (id, _) = segment(&[&headed], &hints);
        assert_eq!(
            (id.gazette.as_str(), id.year, id.issue),
            ("某某公报", 2020, 1)
        );
    }

    #[test]
    fn the_running_heads_vote_on_the_issue() {
        // A heavily damaged vertical issue's heads (tuning split): the
        // first page's year misread, each page's first character a
        // different misreading.
        let heads = [
            "县南省人民政府公報  1451年第7期",
            "雲南省人民政府公報  1954年第7期",
            "尖南省人民政府公報  1954年第7期",
            "云南省人民政府公報  1954年第7期",
        ];
        let pages: Vec<PageText> = heads
            .iter()
            .enumerate()
            .map(|(i, h)| page(i + 1, &[(h, 310, 170, 850), ("正文", 310, 500, 900)]))
            .collect();
        let refs: Vec<&PageText> = pages.iter().collect();
        let (id, _) = segment(&refs, &Hints::default());
        assert_eq!(
            (id.gazette.as_str(), id.year, id.issue),
            ("雲南省人民政府公報", 1954, 7)
        );
        // A year no head can be right about is none: the archivist's is
        // taken, or the issue is refused for want of one.
        let bad = page(1, &[(heads[0], 310, 170, 850), ("正文", 310, 500, 900)]);
        let (id, _) = segment(&[&bad], &Hints::default());
        assert_eq!((id.year, id.issue), (0, 7));
        let hints = Hints {
            year: Some(1954),
            ..Hints::default()
        };
        let (id, _) = segment(&[&bad], &hints);
        assert_eq!((id.gazette.as_str(), id.year), ("县南省人民政府公報", 1954));
    }

    #[test]
    fn heads_without_the_issue_and_signatures_without_a_date() {
        let pages = [
            page(
                1,
                &[
                    ("云南省人民政府公报  2018年第3期", 310, 170, 850),
                    ("关于某事的通告", 900, 400, 1580),
                    (
                        "为加强管理，现通告如下：本通告自发布之日起施行。",
                        410,
                        560,
                        2170,
                    ),
                    ("— 1 —", 1190, 3310, 1290),
                ],
            ),
            page(
                2,
                &[
                    ("云南省人民政府公报", 310, 170, 750),
                    (
                        "第二页的正文继续写在这里，直到本页结束为止，一共有三十个字左右。",
                        310,
                        560,
                        2170,
                    ),
                    ("云南省人民政府", 1800, 640, 2140),
                    ("— 2 —", 1190, 3310, 1290),
                ],
            ),
            page(3, &[("云南省人民政府公报", 310, 170, 750)]),
        ];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert!(
            !docs[0].fields.text.contains("公报"),
            "the head is not text: {}",
            docs[0].fields.text
        );
        assert_eq!(
            (docs[0].fields.issuer.as_str(), docs[0].fields.date.as_str()),
            ("云南省人民政府", "")
        );
        assert_eq!(docs[0].fields.end_page, 2);
    }

    #[test]
    fn contents_entries() {
        assert_eq!(
            contents_entry("国务院办公厅关于2019年部分节假日安排的通知（7）"),
            Some(("国务院办公厅关于2019年部分节假日安排的通知".to_string(), 7))
        );
        assert_eq!(
            contents_entry("新余市人民政府办公室关于印发《新余市…（12）").map(|e| e.1),
            Some(12)
        );
        assert_eq!(contents_entry("（一）严格审查公开属性"), None);
        let k = SegmentParams::default();
        assert!(same_start(
            "国务院办公打关于2019年",
            "国务院办公厅关于2019年部分节假日安排的通知",
            &k
        ));
        assert!(!same_start("各省、自治区", "国务院办公厅关于", &k));
        // A line of text naming another notice of the same issuer.
        let entry = "国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知";
        assert!(!same_start(
            "国务院办公厅转发国家教委等部门关于进一",
            entry,
            &k
        ));
        // …and against the entry as the contents page cut it.
        assert!(!same_start(
            "国务院办公厅转发国家教委等部门关于进一",
            "国务院办公厅转发国家教委关于内·",
            &k
        ));
        // The title's first line in a narrow column, one character misread.
        assert!(same_start("国务院办公厅转发国家", entry, &k));
        assert!(same_start(
            "国务院办公厅转发国家教委关于内地西藏研（",
            entry,
            &k
        ));
    }

    #[test]
    fn headings() {
        for h in [
            "一、全面推进",
            "（一）严格审查",
            "第一条　为了",
            "第十二章 附则",
            "㈠新建",
        ] {
            assert!(is_heading(h), "{h}");
        }
        for t in ["一般情况下", "第一次会议", "各州、市人民政府"] {
            assert!(!is_heading(t), "{t}");
        }
    }

    #[test]
    fn pages_are_placed_by_their_own_position_not_their_place_in_the_list() {
        let head = ("云南省人民政府公报  2018年第9期", 310, 170, 850);
        let body = |n: usize, folio: &'static str| {
            page(
                n,
                &[
                    head,
                    (
                        "第二页的正文继续写在这里，直到本页结束为止，一共有三十个字左右。",
                        310,
                        560,
                        2170,
                    ),
                    (folio, 1190, 3310, 1290),
                ],
            )
        };
        let mut first = body(1, "— 31 —");
        first.lines.insert(
            1,
            Line {
                text: "关于某事的通告".into(),
                bbox: BBox([900, 400, 1580, 400 + type_height("关于某事的通告", 680)]),
                confidence: crate::page::Confidence::CERTAIN,
                ..Default::default()
            },
        );
        // Page 3 could not be read: the list holds positions 1, 2, 4, 5.
        let pages = [
            first,
            body(2, "— 32 —"),
            body(4, "— 34 —"),
            body(5, "— 35 —"),
        ];
        let (id, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        assert_eq!(id.printed, vec![31, 32, 33, 34, 35]);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].fields.start_page, docs[0].fields.end_page),
            (31, 35)
        );
        let placed: Vec<(u32, u32)> = docs[0]
            .paragraphs
            .iter()
            .flat_map(|p| p.anchors.iter().map(|a| (a.page, a.printed_page)))
            .collect();
        assert!(
            placed.contains(&(4, 34)) && placed.contains(&(5, 35)),
            "{placed:?}"
        );
        assert!(placed.iter().all(|(page, printed)| printed - page == 30));
    }

    #[test]
    fn no_citation_is_made_from_a_missing_identity() {
        // No running head, no options, a file name without a year.
        let pages = [page(
            1,
            &[
                ("关于某事的通告", 900, 400, 1580),
                (
                    "为加强管理，现通告如下：本通告自发布之日起施行。",
                    410,
                    560,
                    2170,
                ),
                (
                    "第二行的正文继续写在这里，直到本行结束为止，共二十四个字。",
                    310,
                    640,
                    2070,
                ),
            ],
        )];
        let hints = Hints {
            name: Some("scans".into()),
            ..Hints::default()
        };
        let (id, docs) = segment(&pages.iter().collect::<Vec<_>>(), &hints);
        assert_eq!((id.year, id.issue), (0, 0));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].fields.citation, "", "withheld, not 《》0年第0期");
    }

    #[test]
    fn a_two_column_issue_keeps_its_signatures_and_titles_in_their_columns() {
        // Columns 880 px wide (310–1190, 1290–2170), body type 48 px.
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let body = "日本军国主义在侵华战争中公然违背国际法";
        let contents = [
            head,
            ("目  录", 1150, 400, 1330),
            (
                "国务院办公厅、中央军委办公厅关于加强遗弃化学武器管理工作的通知（2）",
                310,
                500,
                2170,
            ),
            ("— 1 —", 1190, 3310, 1290),
        ];
        let mut p2 = vec![
            head,
            // A title set large (80 px), wrapped in its column.
            ("国务院办公厅、中央军委", 350, 400, 1150),
            ("办公厅关于加强遗弃化学", 350, 500, 1150),
            ("武器管理工作的通知", 390, 600, 1110),
            ("国办发〔1996〕25号", 560, 700, 940),
        ];
        for i in 0..8 {
            p2.push((body, 310, 780 + i * 70, 1190));
        }
        // Joint issuers fill most of the column, two characters short of
        // its right; the contents page lists the title they begin.
        p2.push(("国务院办公厅　中央军委办公厅", 470, 1400, 1094));
        p2.push(("1996年6月29日", 800, 1470, 1094));
        // The next title breaks after 、 in the right column.
        p2.push(("国务院办公厅关于山西、", 1330, 400, 2130));
        p2.push(("安徽省四起特大煤矿瓦", 1370, 500, 2090));
        p2.push(("斯爆炸事故的通报", 1410, 600, 2050));
        p2.push(("国办发〔2004〕7号", 1540, 700, 1920));
        for i in 0..8 {
            p2.push((body, 1290, 780 + i * 70, 2170));
        }
        p2.push(("— 2 —", 1190, 3310, 1290));
        // Its last lines fill only the left column of the next page.
        let mut p3 = vec![head];
        for i in 0..3 {
            p3.push((body, 310, 400 + i * 70, 1190));
        }
        p3.push(("国务院办公厅", 806, 640, 1094));
        p3.push(("2004年1月16日", 806, 710, 1094));
        p3.push(("— 3 —", 1190, 3310, 1290));
        let pages = [page(1, &contents), page(2, &p2), page(3, &p3)];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        let got: Vec<(&str, &str, &str)> = docs
            .iter()
            .map(|d| {
                let f = &d.fields;
                (f.title.as_str(), f.issuer.as_str(), f.date_iso.as_str())
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "国务院办公厅、中央军委办公厅关于加强遗弃化学武器管理工作的通知",
                    "国务院办公厅　中央军委办公厅",
                    "1996-06-29"
                ),
                (
                    "国务院办公厅关于山西、安徽省四起特大煤矿瓦斯爆炸事故的通报",
                    "国务院办公厅",
                    "2004-01-16"
                )
            ]
        );
    }

    #[test]
    fn a_title_on_a_damaged_page_stands_above_the_clean_body() {
        // A heavily damaged page: speckle swells its body lines' boxes as
        // tall as its title's. Measured on that page alone, the title was
        // no larger than its text and the document was lost (a held-back
        // sans issue); the issue's cleaner pages say how tall text is.
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let body = "各州、市人民政府，省直各委、办、厅、局：现将有关事项通知如下。";
        let mut first = vec![
            head,
            ("云南省人民政府关于加强安全生产的通知", 480, 400, 2000),
        ];
        for i in 0..12 {
            first.push((body, 310, 560 + i * 70, 1894));
        }
        first.push(("云南省人民政府", 1800, 1500, 2140));
        first.push(("2018年1月24日", 1830, 1580, 2140));
        let mut second = vec![("河南省企业集体合同条例", 760, 400, 1720)];
        for i in 0..9 {
            second.push((body, 310, 560 + i * 100, 1894));
        }
        second.push(("河南省人民代表大会常务委员会", 1500, 1600, 2140));
        second.push(("2018年1月26日", 1830, 1680, 2140));
        let mut pages = [page(1, &first), page(2, &second)];
        let title_h = pages[1].lines[0].bbox.height();
        for l in &mut pages[1].lines[1..10] {
            l.bbox.0[3] = l.bbox.0[1] + title_h;
        }
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        let titles: Vec<&str> = docs.iter().map(|d| d.fields.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "云南省人民政府关于加强安全生产的通知",
                "河南省企业集体合同条例"
            ]
        );
    }

    #[test]
    fn a_document_under_a_red_header_spans_its_last_page() {
        // Under a 版头, a title set no larger than the body waits with the
        // text in the lines before the title; the document's span was
        // measured on the title and the text after it alone, and its last
        // page was lost (a held-back born-digital issue ended on page 9 of
        // 10).
        let body = "第一条 根据有关法律的规定，结合本省实际情况，制定本办法，请认真贯彻执行。";
        let mut first = vec![
            ("浙江省人民代表大会常务委员会文件", 345, 404, 2136),
            ("浙江省组织实施宪法宣誓制度办法", 708, 783, 1382),
        ];
        for i in 0..12 {
            first.push((body, 307, 900 + i * 78, 2197));
        }
        first.push(("— 9 —", 1178, 3296, 1304));
        let mut second = Vec::new();
        for i in 0..6 {
            second.push((body, 307, 355 + i * 78, 2197));
        }
        second.push(("浙江省人民代表大会常务委员会", 1498, 2773, 2128));
        second.push(("2015年7月30日", 1700, 2851, 1993));
        second.push(("— 10 —", 1169, 3296, 1313));
        let pages = [page(1, &first), page(2, &second)];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        assert_eq!(docs.len(), 1, "{docs:?}");
        let d = &docs[0].fields;
        assert_eq!(d.title, "浙江省组织实施宪法宣誓制度办法");
        assert_eq!((d.start_page, d.end_page), (9, 10));
        assert_eq!(d.date_iso, "2015-07-30");
    }

    #[test]
    fn four_joint_issuers_side_by_side_are_a_signature() {
        // Four issuers' names on one line start well left of the page's
        // middle; set in from the text's left margin and ending near its
        // right one, they are the signature (measured against the page's
        // width, a born-digital issue's were not).
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let body = "第一条 为了建立、健全科学技术档案工作，完整地保存和科学地管理科学技术档案，";
        let mut lines = vec![head, ("科学技术档案工作条例", 860, 400, 1620)];
        for i in 0..9 {
            lines.push((body, 310, 560 + i * 70, 1894));
        }
        lines.push(("第三十六条 本条例自发布之日起施行。", 400, 1190, 1200));
        lines.push((
            "国家经济委员会　国家基本建设委员会　国家科学技术委员会　国家档案局",
            598,
            1300,
            1850,
        ));
        lines.push(("1980年12月27日", 1560, 1380, 1850));
        let pages = [page(1, &lines)];
        let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
        assert_eq!(docs.len(), 1, "{docs:?}");
        let d = &docs[0].fields;
        assert_eq!(
            d.issuers,
            [
                "国家经济委员会",
                "国家基本建设委员会",
                "国家科学技术委员会",
                "国家档案局"
            ]
        );
        assert_eq!(d.date_iso, "1980-12-27");
        assert!(!d.text.contains("国家档案局"), "{}", d.text);
    }

    #[test]
    fn a_line_inside_a_ruled_table_is_no_title() {
        // A table's header row (its cells read as one run, no rules between
        // them) is set large and centred: only the grid around it, which
        // OCR found, says it is a cell.
        let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
        let body = "各州、市人民政府，省直各委、办、厅、局：现将界址点坐标公布如下。";
        let mut lines = vec![
            head,
            ("云南省人民政府关于公布界址点坐标的通知", 480, 400, 2000),
        ];
        for i in 0..9 {
            lines.push((body, 310, 560 + i * 70, 1894));
        }
        lines.push(("坐标编号X坐标Y坐标说明", 740, 1300, 1740));
        for i in 0..3 {
            lines.push((body, 310, 1450 + i * 70, 1894));
        }
        lines.push(("云南省人民政府", 1800, 1700, 2140));
        lines.push(("2018年1月24日", 1830, 1780, 2140));
        let titles = |in_table: bool| {
            let mut p = page(1, &lines);
            p.lines[11].in_table = in_table;
            let (_, docs) = segment(&[&p], &Hints::default());
            docs.iter()
                .map(|d| d.fields.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(true), ["云南省人民政府关于公布界址点坐标的通知"]);
        // Without the grid it is taken for one (what the mark prevents).
        assert_eq!(titles(false).len(), 2);
    }
}
