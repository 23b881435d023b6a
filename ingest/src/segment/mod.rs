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
        // Cells apart: spaces between runs, or a rule read as a bar. Joint
        // issuers begin a title set apart by spaces (教育部　财政部　人力
        // 资源社会保障部关于…): runs that are organs' names but the last
        // are no cells; nor are single characters spread to a width
        // (决　定　书).
        let runs: Vec<&str> = p.line.text.split_whitespace().collect();
        let joint = runs[..runs.len().saturating_sub(1)]
            .iter()
            .all(|r| parse::organ_name(r).is_ok());
        let spread = runs.iter().all(|r| r.chars().count() == 1);
        let cells =
            (runs.len() > 2 && !joint && !spread) || p.line.text.contains(['|', '「', '」', '｜']);
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
        // Names stacked above it (文件 below them) and under it (文件 set
        // beside the first of them, or centred on the stack and so read
        // with one of its lines).
        let (above, first) = stacked_names(&stream, i, true);
        let (below, last) = stacked_names(&stream, i, false);
        names.splice(0..0, above);
        names.extend(below);
        if names.is_empty() {
            continue;
        }
        for f in in_header.iter_mut().take(last + 1).skip(first) {
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

/// Organs' names stacked next to the 文件 line at `at` in a 版头, walking
/// up or down the page from it, each line within a line's height of the
/// one before it: the names in reading order, and the index of the line
/// the walk ended at (`at` when there are none).
fn stacked_names(stream: &[Placed], at: usize, up: bool) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut end = at;
    loop {
        let next = if up {
            end.checked_sub(1)
        } else {
            Some(end + 1)
        };
        let Some((n, q)) = next.and_then(|n| Some((n, stream.get(n)?))) else {
            break;
        };
        let (b, qb) = (stream[end].line.bbox, q.line.bbox);
        let close = q.page == stream[at].page
            && if up {
                qb.y1() + b.height() >= b.y0()
            } else {
                qb.y0() <= b.y1() + b.height()
            };
        match parse::organ_name(&q.line.text) {
            Ok(name) if close => names.push(name),
            _ => break,
        }
        end = n;
    }
    if up {
        names.reverse();
    }
    (names, end)
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
mod tests;
