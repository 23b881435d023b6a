//! One document made from its group of lines: 版头, title, 文号, issuer,
//! date and attribute from their places, the standard text in paragraphs
//! anchored to the line boxes they came from.

use super::identity::Identity;
use super::params::SegmentParams;
use super::parse;
use super::placed::*;
use gazette_model::{Anchor, Fields, Paragraph};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

/// One document's lines as grouped: its 版头's names (when issued with
/// one), the lines between 版头 and title, the title's lines, the rest.
#[derive(Default)]
pub(super) struct Group<'a, 'b> {
    pub(super) header: Vec<String>,
    pub(super) letterhead: bool,
    pub(super) pre: Vec<&'b Placed<'a>>,
    pub(super) title: Vec<&'b Placed<'a>>,
    pub(super) rest: Vec<&'b Placed<'a>>,
}

pub(super) fn source(field: &str, p: &Placed) -> gazette_model::FieldSource {
    gazette_model::FieldSource {
        field: field.into(),
        page: p.page as u32,
        bbox: p.line.bbox,
    }
}

pub(super) fn note(field: &str, p: &Placed, reason: &str) -> gazette_model::FieldNote {
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
pub(super) const SIGNATURE_LINES: usize = 3;

/// The most lines a signature block of joint issuers takes (names stacked
/// one a line over the date, as GB/T 9704 sets many, or rows of them):
/// beyond [`SIGNATURE_LINES`], a line above the block is taken only while
/// it names issuers and the block's first line is a name or the date.
/// Eight names over the date: more than any joint document seen, fewer
/// than a page's lines of text.
pub(super) const STACKED_SIGNATURE_LINES: usize = 9;

/// How far from the end of a document's lines its 版记 (抄送, 印发) may
/// begin.
pub(super) const COLOPHON_LINES: usize = 8;

pub(super) fn build(id: &Identity, g: Group, line_h: u32, k: &SegmentParams) -> Document {
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
        // The line as chosen, then each other reading kept on it (the
        // other recogniser's): where the chosen one is no 文号, another
        // that is one is what the line says (PP-OCR read 国函〔[1996]95号
        // where Tesseract read 国函 [1996] 95 号). A whole 文号 in any
        // reading before a damaged one in any.
        let mut texts = vec![p.line.text.clone()];
        for r in &p.line.readings {
            let t = crate::textfix::fix_line(&r.text);
            if !texts.contains(&t) {
                texts.push(t);
            }
        }
        if let Some((t, d)) = texts
            .iter()
            .find_map(|t| parse::doc_number(t).map(|d| (t, d)))
        {
            doc_number = squash(t);
            normalised = d.normalised;
        } else if let Some(d) = texts.iter().find_map(|t| parse::doc_number_loose(t)) {
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
    let ends_right = |p: &Placed| {
        p.line.bbox.x1() as f32 + line_h as f32 * k.signature_right_gap >= p.right_margin as f32
    };
    let right = |p: &Placed| {
        let (f0, f1) = (p.frame.0 as f32, p.frame.1 as f32);
        let m0 = p.left_margin.max(p.frame.0) as f32;
        let x0 = p.line.bbox.x0() as f32;
        x0 > f0 + (f1 - f0) * k.signature_left
            || (x0 > m0 + line_h as f32 * k.signature_indent && ends_right(p))
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
    // Joint issuers make longer blocks: names stacked one a line over the
    // date, or a row of them set across the text's width (four names side
    // by side begin at its left margin), which a reader may cut in pieces.
    // A line above the block is taken while it is issuers and is set to
    // the right as the block is, or names two or more across to the right
    // margin (a line of two names ending a paragraph is text), or stands
    // on the row of the block's first line.
    while block.len() < STACKED_SIGNATURE_LINES {
        let (Some(&first), Some(&p)) = (block.first(), body.last()) else {
            break;
        };
        let Ok(names) = parse::issuers(p.line.text.trim(), &g.header) else {
            break;
        };
        let under = first.line.text.trim();
        let signed = parse::issuers(under, &g.header).is_ok() || parse::is_date_line(under);
        let (a, b) = (p.line.bbox, first.line.bbox);
        let same_row = p.page == first.page
            && a.y1().min(b.y1()) > a.y0().max(b.y0())
            && a.y1().min(b.y1()) - a.y0().max(b.y0()) >= a.height().min(b.height()) / 2;
        let row = names.len() > 1 && ends_right(p);
        if !(signed && (short(p) || row || same_row)) {
            break;
        }
        block.insert(0, p);
        body.pop();
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
    let citation =
        gazette_model::citation::pages(&id.gazette, id.year, id.issue, start_page, end_page)
            .unwrap_or_default();
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
pub(super) fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    gazette_model::join_lines(lines).0
}

/// Lines into paragraphs: a new one at an indented line, a heading, a table
/// row, or after a line that stopped short of the right margin.
pub(super) fn paragraphs(body: &[&Placed], line_h: u32, k: &SegmentParams) -> Vec<Paragraph> {
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
