//! The numbers segmentation decides by (`SegmentParams`) and what the
//! caller knows of an issue when its pages do not say (`Hints`).

use serde::Serialize;

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
