//! Cutting an issue into its documents: the issue's identity from its
//! running heads, printed page numbers from the folios, the contents page,
//! and for each document its title, 文号, issuer, date, attribute, type,
//! pages and standard text, with every paragraph anchored to the line boxes
//! it came from. Pure code: pages in, documents out.

mod build;
mod identity;
mod params;
pub mod parse;
mod placed;
mod turn;

pub use build::Document;
use build::*;
use identity::*;
pub use identity::{running_head, Identity};
pub use params::{Hints, SegmentParams};
use placed::*;

use crate::page::{Line, PageText};

pub use gazette_model::{Anchor, Fields, Paragraph};

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
