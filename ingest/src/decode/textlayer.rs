//! The text layer of a born-digital PDF page: a small content-stream
//! interpreter that places every glyph (ToUnicode-decoded) on the page and
//! groups glyphs into lines with boxes, the same shape OCR produces.

use crate::error::ErrorKind;
use crate::page::{BBox, Line};
use crate::pdf::{media_box, num};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};
use std::collections::BTreeMap;

/// Text-layer pages are given the pixel geometry of a 300 dpi scan, so boxes
/// from both paths are comparable.
pub const TEXT_LAYER_DPI: f32 = 300.0;

/// The most content-stream bytes we decompress for one page.
const MAX_CONTENT: usize = 64 << 20;

/// A page's text with its geometry, in pixels at [`TEXT_LAYER_DPI`], and
/// what else its content stream draws.
pub struct TextPage {
    pub width: u32,
    pub height: u32,
    /// The visible text (render modes other than 3 and 7).
    pub lines: Vec<Line>,
    /// Glyphs drawn invisibly (text render mode 3 or 7: the layer an OCR
    /// tool leaves over a scan), not in `lines`.
    pub invisible_glyphs: usize,
    /// XObjects painted (`Do`: images or forms) and inline images (`BI`).
    pub xobjects: usize,
    /// Paths filled or stroked, and shadings painted.
    pub paints: usize,
    /// Every character of the layer, visible or not, in drawing order, a
    /// line per text object: what the file claims the page says (kept as
    /// provenance when the page is read by OCR instead).
    pub claimed: String,
}

impl TextPage {
    /// Whether the text is worth using instead of OCR: some characters, and
    /// hardly any that could not be decoded (a font without a usable
    /// ToUnicode map gives replacement or control characters).
    pub fn is_usable(&self) -> bool {
        let mut total = 0usize;
        let mut bad = 0usize;
        for l in &self.lines {
            for c in l.text.chars().filter(|c| !c.is_whitespace()) {
                total += 1;
                if c == '\u{FFFD}' || c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) {
                    bad += 1;
                }
            }
        }
        total > 0 && bad * 20 <= total
    }

    /// Whether the page draws nothing but its visible text and a few
    /// vector strokes (rules, a table's grid): a plain born-digital page,
    /// read from its text layer without interpreting it further.
    pub fn is_plain(&self, max_paints: usize) -> bool {
        self.invisible_glyphs == 0 && self.xobjects == 0 && self.paints <= max_paints
    }
}

/// One font as the interpreter needs it.
struct Font<'a> {
    /// 2 for composite (Type0) fonts, whose codes are two bytes.
    code_len: usize,
    /// Always the `UnicodeMapEncoding` variant: lopdf does not export the
    /// map's type, so it travels inside its enum.
    cmap: Option<Encoding<'a>>,
    fallback: Option<Encoding<'a>>,
    /// A composite font without a ToUnicode map whose predefined CMap
    /// numbers characters by Unicode (UniGB-UCS2-H, UniCNS-UTF16-H…, as
    /// PDFs made with non-embedded Chinese fonts use): each code is the
    /// character.
    unicode_codes: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    ascent: f32,
    descent: f32,
}

impl<'a> Font<'a> {
    fn load(doc: &'a Document, dict: &'a Dictionary) -> Self {
        let type0 = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        // lopdf prefers /Encoding over /ToUnicode when both exist, which
        // garbles subset CJK fonts; we read the ToUnicode map on its own by
        // asking lopdf about a copy of the font without /Encoding.
        let cmap = if dict.has(b"ToUnicode") {
            let mut copy = dict.clone();
            copy.remove(b"Encoding");
            match copy.get_font_encoding(doc) {
                Ok(Encoding::UnicodeMapEncoding(m)) => Some(Encoding::UnicodeMapEncoding(m)),
                _ => None,
            }
        } else {
            None
        };
        // Without a ToUnicode map, a simple font's codes mean characters
        // only through a standard encoding of a whole font. A subset font
        // (BaseFont ABCDEF+Name) numbers the glyphs it keeps as it likes,
        // and a Type 3 font's glyphs are drawings: their codes decode to
        // plausible-looking nonsense, so they are taken as undecodable and
        // the page is OCR'd.
        let subset = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .is_ok_and(|n| {
                n.len() > 7 && n[6] == b'+' && n[..6].iter().all(u8::is_ascii_uppercase)
            });
        let type3 = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type3");
        let fallback = if cmap.is_none() && !type0 && !subset && !type3 {
            dict.get_font_encoding(doc).ok()
        } else {
            None
        };
        let mut widths = BTreeMap::new();
        let mut default_width = 500.0;
        let descriptor_dict;
        if type0 {
            default_width = 1000.0;
            let desc = dict
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            if let Some(desc) = desc {
                if let Some(dw) = desc.get(b"DW").ok().and_then(|o| num(doc, o)) {
                    default_width = dw;
                }
                if let Ok(w) = desc.get_deref(b"W", doc).and_then(Object::as_array) {
                    parse_cid_widths(doc, w, &mut widths);
                }
            }
            descriptor_dict = desc.and_then(|d| {
                d.get_deref(b"FontDescriptor", doc)
                    .and_then(Object::as_dict)
                    .ok()
            });
        } else {
            let first = dict
                .get(b"FirstChar")
                .ok()
                .and_then(|o| num(doc, o))
                .unwrap_or(0.0) as u32;
            if let Ok(w) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
                for (i, o) in w.iter().enumerate() {
                    if let Some(v) = num(doc, o) {
                        widths.insert(first + i as u32, v);
                    }
                }
            }
            descriptor_dict = dict
                .get_deref(b"FontDescriptor", doc)
                .and_then(Object::as_dict)
                .ok();
        }
        let metric = |k: &[u8]| {
            descriptor_dict
                .and_then(|d| d.get(k).ok())
                .and_then(|o| num(doc, o))
        };
        let ascent = metric(b"Ascent").filter(|a| *a > 0.0).unwrap_or(880.0) / 1000.0;
        let descent = metric(b"Descent").filter(|d| *d < 0.0).unwrap_or(-120.0) / 1000.0;
        let unicode_codes = type0
            && cmap.is_none()
            && dict
                .get(b"Encoding")
                .and_then(Object::as_name)
                .is_ok_and(|n| {
                    n.starts_with(b"Uni")
                        && (n.windows(4).any(|w| w == b"UCS2")
                            || n.windows(5).any(|w| w == b"UTF16"))
                        && n.ends_with(b"-H")
                });
        Font {
            code_len: if type0 { 2 } else { 1 },
            cmap,
            fallback,
            unicode_codes,
            widths,
            default_width,
            ascent,
            descent,
        }
    }

    /// Splits a string operand into (code, text, width in text-space units).
    fn glyphs(&self, bytes: &[u8]) -> Vec<(u32, String, f32)> {
        bytes
            .chunks(self.code_len)
            .map(|c| {
                let code = c.iter().fold(0u32, |a, b| (a << 8) | *b as u32);
                let text = match (&self.cmap, &self.fallback) {
                    // A glyph mapped to U+0000 is the font's .notdef (a
                    // character the font lacks, printed as an empty box).
                    (Some(Encoding::UnicodeMapEncoding(m)), _) => m
                        .get(code, c.len() as u8)
                        .map(|u| String::from_utf16_lossy(&u))
                        .filter(|t| !t.is_empty() && t != "\0")
                        .unwrap_or_else(|| '\u{FFFD}'.to_string()),
                    (None, Some(enc)) => {
                        Document::decode_text(enc, c).unwrap_or_else(|_| '\u{FFFD}'.to_string())
                    }
                    (None, None) if self.unicode_codes => {
                        char::from_u32(code).map_or('\u{FFFD}'.to_string(), String::from)
                    }
                    _ => '\u{FFFD}'.to_string(),
                };
                let w = self
                    .widths
                    .get(&code)
                    .copied()
                    .unwrap_or(self.default_width)
                    / 1000.0;
                (code, text, w)
            })
            .collect()
    }
}

fn parse_cid_widths(doc: &Document, w: &[Object], out: &mut BTreeMap<u32, f32>) {
    let mut i = 0;
    while i + 1 < w.len() {
        let Some(first) = num(doc, &w[i]) else { break };
        let first = first as u32;
        match doc.dereference(&w[i + 1]).map(|x| x.1) {
            Ok(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(65_536) {
                    if let Some(v) = num(doc, o) {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            _ => {
                let (Some(last), Some(v)) =
                    (num(doc, &w[i + 1]), w.get(i + 2).and_then(|o| num(doc, o)))
                else {
                    break;
                };
                for c in first..=(last as u32).min(first + 65_536) {
                    out.insert(c, v);
                }
                i += 3;
            }
        }
    }
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// m1 × m2 in PDF's row-vector convention (apply m1 first).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// The parts of the graphics state (with its text state) that place glyphs;
/// saved and restored by q and Q.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    leading: f32,
    char_sp: f32,
    word_sp: f32,
    hscale: f32,
    rise: f32,
    /// Text render mode (`Tr`).
    render: i64,
}

impl Default for GState {
    fn default() -> Self {
        Self {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            leading: 0.0,
            char_sp: 0.0,
            word_sp: 0.0,
            hscale: 1.0,
            rise: 0.0,
            render: 0,
        }
    }
}

/// A placed glyph in page space (points, y up).
struct Glyph {
    text: String,
    x: f32,
    y: f32,
    advance: f32,
    size: f32,
    ascent: f32,
    descent: f32,
}

/// The strings (and, in a TJ array, the spacing numbers) a text-showing
/// operator shows.
fn shown(op: &lopdf::content::Operation) -> Vec<&Object> {
    match op.operator.as_str() {
        "TJ" => op
            .operands
            .first()
            .and_then(|o| o.as_array().ok())
            .map(|v| v.iter().collect())
            .unwrap_or_default(),
        _ => op.operands.last().into_iter().collect(),
    }
}

/// Reads the text layer of one page.
pub fn extract(doc: &Document, page: ObjectId) -> Result<TextPage, ErrorKind> {
    let content = doc
        .get_page_content_with_limit(page, MAX_CONTENT)
        .map_err(|e| ErrorKind::Pdf(format!("page content: {e}")))?;
    let content =
        Content::decode(&content).map_err(|e| ErrorKind::Pdf(format!("page content: {e}")))?;
    let fonts: BTreeMap<Vec<u8>, Font> = doc
        .get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, d)| (name, Font::load(doc, d)))
        .collect();
    let mut claimed = String::new();

    let mut glyphs = Vec::new();
    let (mut invisible_glyphs, mut xobjects, mut paints) = (0usize, 0usize, 0usize);
    let mut gs = GState::default();
    let mut stack: Vec<GState> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let f = |o: &Object| num(doc, o).unwrap_or(0.0);

    for op in &content.operations {
        let a = &op.operands;
        match op.operator.as_str() {
            "q" => stack.push(gs.clone()),
            "Q" => {
                if let Some(s) = stack.pop() {
                    gs = s;
                }
            }
            "cm" if a.len() == 6 => {
                let m = [f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]), f(&a[4]), f(&a[5])];
                gs.ctm = mul(&m, &gs.ctm);
            }
            "ET" => claimed.push('\n'),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" if a.len() == 2 => {
                gs.font = a[0].as_name().ok().map(<[u8]>::to_vec);
                gs.size = f(&a[1]);
            }
            "TL" if a.len() == 1 => gs.leading = f(&a[0]),
            "Tr" if a.len() == 1 => gs.render = a[0].as_i64().unwrap_or(0),
            "Do" | "BI" | "EI" => xobjects += 1,
            "f" | "F" | "f*" | "S" | "s" | "B" | "B*" | "b" | "b*" | "sh" => paints += 1,
            "Tc" if a.len() == 1 => gs.char_sp = f(&a[0]),
            "Tw" if a.len() == 1 => gs.word_sp = f(&a[0]),
            "Tz" if a.len() == 1 => gs.hscale = f(&a[0]) / 100.0,
            "Ts" if a.len() == 1 => gs.rise = f(&a[0]),
            "Td" | "TD" if a.len() == 2 => {
                let (tx, ty) = (f(&a[0]), f(&a[1]));
                if op.operator == "TD" {
                    gs.leading = -ty;
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                tm = tlm;
            }
            "Tm" if a.len() == 6 => {
                tlm = [f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]), f(&a[4]), f(&a[5])];
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" && a.len() == 3 {
                        gs.word_sp = f(&a[0]);
                        gs.char_sp = f(&a[1]);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                let Some(fnt) = gs.font.as_ref().and_then(|n| fonts.get(n)) else {
                    continue;
                };
                let items = shown(op);
                let (size, hscale) = (gs.size, gs.hscale);
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            let invisible = matches!(gs.render, 3 | 7);
                            for (code, text, w) in fnt.glyphs(bytes) {
                                let trm = mul(
                                    &[size * hscale, 0.0, 0.0, size, 0.0, gs.rise],
                                    &mul(&tm, &gs.ctm),
                                );
                                let scale = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                                let sx = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt();
                                let spacing = gs.char_sp
                                    + if fnt.code_len == 1 && code == 32 {
                                        gs.word_sp
                                    } else {
                                        0.0
                                    };
                                let tx = (w * size + spacing) * hscale;
                                claimed.push_str(&text);
                                if invisible {
                                    invisible_glyphs += 1;
                                } else {
                                    glyphs.push(Glyph {
                                        text,
                                        x: trm[4],
                                        y: trm[5],
                                        advance: w * sx,
                                        size: scale,
                                        ascent: fnt.ascent,
                                        descent: fnt.descent,
                                    });
                                }
                                tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                            }
                        }
                        other => {
                            let adj = f(other);
                            tm = mul(
                                &[1.0, 0.0, 0.0, 1.0, -adj / 1000.0 * size * hscale, 0.0],
                                &tm,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }

    let (x0, y0, pw, ph) = media_box(doc, page);
    let k = TEXT_LAYER_DPI / 72.0;
    let lines = group_lines(glyphs, |x, y| ((x - x0) * k, (ph - (y - y0)) * k));
    Ok(TextPage {
        width: (pw * k).round() as u32,
        height: (ph * k).round() as u32,
        lines,
        invisible_glyphs,
        xobjects,
        paints,
        claimed: claimed.trim().to_string(),
    })
}

/// A gap between two glyphs of a line at least this many of its font's
/// size wide is blank paper set on purpose, and becomes a space even
/// between Chinese characters: joint issuers side by side in a 版头, a
/// signature or a title (国家发展改革委　财政部), which office suites draw
/// as glyphs apart with no space character between. A full empty
/// character cell: justified Chinese text spreads its characters by well
/// under half of one, and a 版头's names spread to one width (财　政　部)
/// read as one name either way ([`crate::segment`] splits names only where
/// every part is one).
const CJK_GAP_EMS: f32 = 1.0;

/// Groups glyphs whose baselines agree into lines, top to bottom, each read
/// left to right; gaps wider than a third of the font size become a space
/// between non-CJK characters, and gaps of [`CJK_GAP_EMS`] between any.
fn group_lines(mut glyphs: Vec<Glyph>, to_px: impl Fn(f32, f32) -> (f32, f32)) -> Vec<Line> {
    glyphs.retain(|g| g.size > 0.0 && !g.text.is_empty());
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (row[0].y - g.y).abs() < 0.4 * row[0].size.min(g.size) => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    let mut lines = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut text = String::new();
        let (mut left, mut right) = (f32::MAX, f32::MIN);
        let (mut top, mut bottom) = (f32::MIN, f32::MAX);
        let mut prev_end: Option<(f32, bool)> = None;
        for g in &row {
            let cjk = g.text.chars().any(crate::textfix::is_cjk);
            if let Some((end, prev_cjk)) = prev_end {
                let gap = g.x - end;
                let wide = gap >= CJK_GAP_EMS * g.size || (gap > 0.3 * g.size && !cjk && !prev_cjk);
                if wide
                    && !text.ends_with(char::is_whitespace)
                    && !g.text.starts_with(char::is_whitespace)
                {
                    text.push(' ');
                }
            }
            text.push_str(&g.text);
            prev_end = Some((g.x + g.advance, cjk));
            if g.text.trim().is_empty() {
                continue;
            }
            left = left.min(g.x);
            right = right.max(g.x + g.advance);
            top = top.max(g.y + g.ascent * g.size);
            bottom = bottom.min(g.y + g.descent * g.size);
        }
        let text = crate::textfix::collapse_spaces(&text);
        if text.is_empty() || left > right {
            continue;
        }
        let (px0, py0) = to_px(left, top);
        let (px1, py1) = to_px(right, bottom);
        lines.push(Line {
            text,
            bbox: BBox([
                px0.max(0.0).round() as u32,
                py0.max(0.0).round() as u32,
                px1.max(0.0).round() as u32,
                py1.max(0.0).round() as u32,
            ]),
            confidence: crate::page::Confidence::CERTAIN,
            ..Default::default()
        });
    }
    lines
}
