//! Unit tests of `segment`: kept beside it, apart, so that the module's
//! own file holds only its code.

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

#[test]
fn a_title_spread_to_a_width_is_no_table_row() {
    // A born-digital title set with its characters a full character apart
    // reads with a space between each (decode's text layer keeps blank
    // paper as a space): a row of single characters, which is no table.
    let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
    let title = "关 于 表 彰 先 进 的 决 定";
    let mut lines = vec![head, (title, 540, 400, 1940)];
    let body = "各州、市人民政府，省直各委、办、厅、局：现将表彰的决定公布如下。";
    for i in 0..6 {
        lines.push((body, 310, 600 + i * 70, 1894));
    }
    lines.push(("云南省人民政府", 1800, 1100, 2140));
    lines.push(("2018年1月24日", 1830, 1180, 2140));
    let pages = [page(1, &lines)];
    let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
    let titles: Vec<&str> = docs.iter().map(|d| d.fields.title.as_str()).collect();
    assert_eq!(titles, [title]);
    assert_eq!(docs[0].fields.date_iso, "2018-01-24");
}

#[test]
fn a_row_of_joint_signatures_cut_in_pieces_is_one_signature() {
    // Four issuers side by side across the text's width, from its left
    // margin, over the date: a reader cut the row in two (three names run
    // together at the margin, the fourth apart on the right). Every name
    // is an issuer, in order, and none is left in the text.
    let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
    let mut lines = vec![head, ("科学技术档案工作条例", 840, 400, 1640)];
    let body = "各省、自治区、直辖市人民政府，国务院各部委：现将条例发给你们，请遵照执行。";
    for i in 0..4 {
        lines.push((body, 310, 600 + i * 70, 2100));
    }
    lines.push((
        "国家经济委员会国家基本建设委员会国家科学技术委员会",
        293,
        1000,
        1530,
    ));
    lines.push(("国家档案局", 1710, 985, 1998));
    lines.push(("1980年12月27日", 1667, 1080, 1969));
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
    assert!(!d.text.contains("委员会"), "{}", d.text);
    assert!(d.review.is_empty(), "{:?}", d.review);
}

#[test]
fn a_doc_number_is_read_from_the_reading_that_parses() {
    // The 文号 under the title as the chosen reading has it does not parse
    // (a serial read 9S); the other recogniser's reading of the same line,
    // kept on it, does: that is the 文号, and nothing goes to review.
    let head = ("云南省人民政府公报  2018年第3期", 310, 170, 850);
    let mut lines = vec![
        head,
        ("国务院关于同意迁址新建的批复", 640, 400, 1840),
        ("国函〔1996]9S号", 1000, 530, 1480),
    ];
    let body = "武警总部：关于迁址新建的请示收悉，现批复如下：同意迁址新建。";
    for i in 0..4 {
        lines.push((body, 310, 640 + i * 70, 2100));
    }
    lines.push(("国务院", 1800, 1000, 2140));
    lines.push(("1996年11月5日", 1830, 1080, 2140));
    let mut pages = [page(1, &lines)];
    let reading = |engine: &str, text: &str| crate::page::Reading {
        engine: engine.into(),
        text: text.into(),
        confidence: crate::page::Confidence::new(0.6),
    };
    pages[0].lines[2].readings = vec![
        reading("ppocr", "国函〔1996]9S号"),
        reading("tesseract", "国 函 [1996] 95 号"),
    ];
    let (_, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
    assert_eq!(docs.len(), 1, "{docs:?}");
    let d = &docs[0].fields;
    assert_eq!(
        (d.doc_number.as_str(), d.doc_number_normalised.as_str()),
        ("国函〔1996〕95号", "国函〔1996〕95号")
    );
    assert!(d.review.is_empty(), "{:?}", d.review);
    assert!(!d.text.contains("1996"), "{}", d.text);
}
