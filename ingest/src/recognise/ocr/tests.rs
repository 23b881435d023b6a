//! Unit tests of `ocr`: kept beside it, apart, so that the module's
//! own file holds only its code.

use super::super::tess::{self, TextLine};
use super::*;

fn line(text: &str, b: [u32; 4]) -> Line {
    Line {
        text: text.into(),
        bbox: BBox(b),
        confidence: Confidence::new(0.9),
        ..Default::default()
    }
}

/// A foxed page: specks in every row, two lines of print, and a short
/// line beside the dark edge of the scan.
fn foxed() -> Raster {
    let mut r = Raster::blank(600, 120);
    for y in 0..120 {
        // two specks per row, far apart
        r.pixels[y * 600 + (y * 37) % 600] = 0;
        r.pixels[y * 600 + (y * 53 + 300) % 600] = 0;
    }
    let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize| {
        for y in y0..y1 {
            for x in (x0..x1).step_by(2) {
                r.pixels[y * 600 + x] = 0;
            }
        }
    };
    fill(50, 550, 10, 30); // a full line
    fill(50, 110, 50, 70); // a short line (轮采。)
    fill(592, 600, 0, 120); // the scan's dark edge
    fill(50, 550, 90, 110); // a full line
    r
}

#[test]
fn rows_of_ink_stand_apart_on_foxed_paper_and_a_short_row_keeps_its_extent() {
    let r = foxed();
    let k = RepairParams::default();
    // Before the noise floor, specks in every row made one band.
    assert_eq!(ink_bands(&r, 128, 0.0, 0, 40).len(), 1);
    let bands = ink_bands(&r, 128, k.row_noise_share, 0, 40);
    assert_eq!(bands, vec![(10, 30), (50, 70), (90, 110)]);
    // The short row's print is its own, not stretched to the edge.
    let extent = |y0, y1| ink_extent(&r, 128, y0, y1, k.min_row_ink).map(|e| (e.x0, e.x1));
    assert_eq!(extent(50, 70), Some((50, 108)));
    assert_eq!(extent(10, 30), Some((50, 548)));
}

/// A 300-dpi page of grainy paper (226 ± 8, dark grains) with a line of dark print
/// and, at its foot, a folio printed faint (grey 178, over the page's
/// ink threshold): — 2 —, or with `dashes` false a bare 2.
fn faint_folio_page(dashes: bool) -> Raster {
    let (w, h) = (1200usize, 1000usize);
    let mut seed = 7u32;
    let pixels = (0..w * h)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            // One pixel in twelve a dark grain, under the lighter
            // threshold a faint folio is looked for at.
            match (seed >> 16) % 204 {
                n if n < 17 => 190 + (n % 11) as u8,
                n => 218 + (n % 17) as u8,
            }
        })
        .collect();
    let mut r = Raster {
        width: w as u32,
        height: h as u32,
        pixels,
    };
    let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize, v: u8| {
        for y in y0..y1 {
            for x in x0..x1 {
                r.pixels[y * w + x] = v;
            }
        }
    };
    for x in (100..1100).step_by(36) {
        fill(x, x + 24, 100, 130, 60);
    }
    // 2: three bars and two stems, 26 pixels tall.
    fill(585, 605, 940, 945, 178);
    fill(600, 605, 940, 953, 178);
    fill(585, 605, 951, 956, 178);
    fill(585, 590, 951, 966, 178);
    fill(585, 605, 961, 966, 178);
    if dashes {
        fill(545, 572, 951, 956, 178);
        fill(618, 645, 951, 956, 178);
    }
    r
}

/// A second recogniser's reading too unsure to keep as text.
fn unsure(b: BBox, text: &str) -> Option<Line> {
    Some(Line {
        bbox: b,
        readings: vec![crate::page::Reading {
            engine: "ppocr".into(),
            text: text.into(),
            confidence: Confidence::new(0.41),
        }],
        ..Default::default()
    })
}

#[test]
fn a_faint_folio_is_read_by_its_form() {
    let k = RepairParams::default();
    let body = || {
        vec![Line {
            text: "正文".into(),
            bbox: BBox([100, 100, 1100, 130]),
            ..Default::default()
        }]
    };
    let r = faint_folio_page(true);
    let threshold = crate::preprocess::ink_threshold(&r);
    assert!(
        threshold < 178,
        "the folio is fainter than the ink threshold"
    );
    let mut lines = body();
    let mut boxes = Vec::new();
    let folio = read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, b, _| {
        boxes.push(b);
        unsure(b, "2")
    })
    .expect("a folio");
    assert_eq!(folio.text, "— 2 —");
    assert!(
        folio.bbox.y0() >= 930 && folio.bbox.x0() <= 585,
        "{:?}",
        folio.bbox
    );
    // Read bare at the page's threshold, its box the digit's: given
    // the dashes measured.
    let mut lines = body();
    lines.push(Line {
        text: "2".into(),
        bbox: BBox([585, 940, 605, 966]),
        ..Default::default()
    });
    assert_eq!(
        read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, _, _| None),
        None
    );
    assert_eq!(lines[1].text, "— 2 —");
    // No dashes: a faint figure read unsure is no folio (it could be
    // the facing page's print showing through).
    let r = faint_folio_page(false);
    let mut lines = body();
    let none = read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, b, _| {
        unsure(b, "2")
    });
    assert_eq!(none, None);
}

#[test]
fn a_date_in_chinese_numerals_is_a_row_of_print() {
    // 二〇一二年一月九日 in a 27-pixel row: 二 and 一 are one or two
    // strokes, 〇 a ring; faded, its print covers under a tenth of its
    // box (0.093 here, as on the tuning page).
    let mut r = Raster::blank(800, 60);
    let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize| {
        for y in y0..y1 {
            for x in x0..x1 {
                r.pixels[y * 800 + x] = 0;
            }
        }
    };
    for i in 0..9 {
        let x = 100 + i * 36;
        // A stroke of two pixels across a 27-pixel cell and one down.
        fill(x, x + 27, 20, 22);
        fill(x + 12, x + 14, 22, 39);
    }
    let k = RepairParams::default();
    let e = ink_extent(&r, 128, 18, 45, k.min_row_ink).expect("a row of print");
    assert_eq!((e.x0, e.x1), (100, 414));
}

#[test]
fn a_sparse_pages_dark_edge_does_not_join_its_rows() {
    // A contents page: three rows of print, a speck of show-through in
    // every row between them, and the scan's dark edge down the top
    // of its right side, more ink a row than the speck.
    let (w, h) = (1000usize, 1000usize);
    let mut r = Raster::blank(w as u32, h as u32);
    for y in 0..400 {
        for x in 985..w {
            r.pixels[y * w + x] = 0;
        }
        r.pixels[y * w + 100 + (y * 37) % 800] = 0;
    }
    for y0 in [100, 200, 300] {
        for y in y0..y0 + 30 {
            for x in (100..900).filter(|x| x % 20 < 12) {
                r.pixels[y * w + x] = 0;
            }
        }
    }
    let k = RepairParams::default();
    // Counted in, the edge set the noise floor under the specks: one
    // band, too tall for a line.
    assert_eq!(ink_bands(&r, 128, k.row_noise_share, 0, 40), vec![(0, 400)]);
    let side = (300.0 * k.edge_margin_in) as usize;
    assert_eq!(
        ink_bands(&r, 128, k.row_noise_share, side, 40),
        vec![(100, 130), (200, 230), (300, 330)]
    );
}

/// A 300-dpi page holding a table of aged letterpress: rules broken
/// into dashes no longer than a cell, dropouts on alternate pixel
/// columns of each rule, and sparse cells (a name, two figures) in each
/// of its four rows, most of each row a gap between cells.
fn broken_table() -> (Raster, Vec<(usize, usize)>) {
    let (w, h) = (1400usize, 900usize);
    let mut r = Raster::blank(w as u32, h as u32);
    let mut put = |x: usize, y: usize| r.pixels[y * w + x] = 0;
    let rows: Vec<(usize, usize)> = (0..4).map(|i| (130 + i * 100, 175 + i * 100)).collect();
    for (i, x) in [100usize, 400, 800, 1200].into_iter().enumerate() {
        for y in 100..500 {
            // 60-pixel dashes, 6-pixel breaks, on columns alternating
            // with the row: no pixel column holds a run of 0.35 in.
            for t in 0..3 {
                if (y + i * 13) % 66 < 60 && (y + t) % 2 == 0 {
                    put(x + t, y);
                }
            }
        }
    }
    for y in (100..=500).step_by(100) {
        for x in 100..1203 {
            if x % 80 < 70 {
                put(x, y);
                put(x, y + 1);
            }
        }
    }
    for &(y0, y1) in &rows {
        for x0 in [150usize, 650, 1050] {
            for y in y0..y1 {
                for x in (x0..x0 + 40).step_by(3) {
                    put(x, y);
                }
            }
        }
    }
    (r, rows)
}

#[test]
fn a_table_of_broken_rules_is_read_row_by_row_once_its_rules_are_erased() {
    let (r, rows) = broken_table();
    let k = RepairParams::default();
    let unruled = super::super::grid::without_rules(&r, 128, 300.0, &Default::default()).unwrap();
    // With its rules the table is one band of ink, too tall for a row.
    assert!(ink_bands(&r, 128, k.row_noise_share, 0, 120)
        .iter()
        .any(|&(y0, y1)| y0 <= 130 && y1 >= 475));
    // Without them each row stands apart and is read, cell by cell
    // (three cells far apart are print, though most of the row is
    // gap), into one line.
    let mut read = Vec::new();
    let mut lines = Vec::new();
    repair_lines(&unruled, 128, 300.0, &k, &mut lines, |_, ox, oy, b| {
        read.push(b);
        let mut l = line(
            &format!("c{}", b.x0()),
            [b.x0() - ox, b.y0() - oy, b.x1() - ox, b.y1() - oy],
        );
        l.engine = Some("test".into());
        Ok(vec![l])
    })
    .unwrap();
    assert_eq!(read.len(), 3 * rows.len(), "{read:?}");
    assert_eq!(lines.len(), rows.len());
    for (l, (t0, t1)) in lines.iter().zip(rows) {
        assert_eq!(l.text, "c150 c650 c1050");
        let b = l.bbox;
        assert!(
            b.y0().abs_diff(t0 as u32) <= 1 && b.y1().abs_diff(t1 as u32) <= 1,
            "{b:?}"
        );
        assert!(b.x0() <= 150 && b.x1() >= 1087, "{b:?}");
    }
    // The cells' print is kept.
    assert_eq!(unruled.pixels[140 * 1400 + 150], 0);
}

#[test]
fn lines_of_show_through_are_left_out_and_faint_print_kept() {
    // Aged paper at 190; a line of print at 40; a line of the facing
    // page showing through at 165, mirrored print as dense as real
    // print but never as dark as the page's ink; a line of sparse faint
    // print (2% of its box at 120, a date's thin digits).
    let (w, h) = (600usize, 300usize);
    let mut r = Raster::blank(w as u32, h as u32);
    r.pixels.fill(190);
    let paint = |r: &mut Raster, y0: usize, grey: u8, every: usize| {
        for y in y0..y0 + 40 {
            for x in 50..550 {
                if (x * 7 + y * 3) % every == 0 {
                    r.pixels[y * w + x] = grey;
                }
            }
        }
    };
    paint(&mut r, 20, 40, 5);
    paint(&mut r, 120, 165, 5);
    paint(&mut r, 220, 120, 50);
    let threshold = crate::preprocess::ink_threshold(&r);
    assert!((120..165).contains(&threshold), "{threshold}");
    let line = |y0: u32, text: &str| Line {
        bbox: BBox([50, y0, 550, y0 + 40]),
        text: text.into(),
        ..Default::default()
    };
    let mut lines = vec![line(20, "print"), line(120, "show"), line(220, "faint")];
    let k = RepairParams::default();
    assert_eq!(keep_print(&r, threshold, &k, &mut lines), 1);
    let kept: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(kept, ["print", "faint"]);
}

#[test]
fn a_line_box_reaching_over_show_through_is_trimmed_to_its_print() {
    // Paper at 190; a short line of print (40) at 400..520 whose box
    // Tesseract drew from the page's edge over the facing page's print
    // showing through (165) at 10..350, with a speck of ink (2 px) at
    // 100; a full line of print beside show-through is left alone.
    let (w, h) = (600usize, 100usize);
    let mut r = Raster::blank(w as u32, h as u32);
    r.pixels.fill(190);
    let paint = |r: &mut Raster, (x0, x1): (usize, usize), (y0, y1): (usize, usize), grey| {
        for y in y0..y1 {
            for x in x0..x1 {
                if (x * 7 + y * 3) % 5 == 0 {
                    r.pixels[y * w + x] = grey;
                }
            }
        }
    };
    paint(&mut r, (10, 350), (10, 40), 165);
    paint(&mut r, (400, 520), (10, 40), 40);
    r.pixels[20 * w + 100] = 40;
    r.pixels[21 * w + 100] = 40;
    paint(&mut r, (30, 590), (60, 90), 40);
    let threshold = 120;
    let mut lines = vec![
        Line {
            bbox: BBox([0, 10, 530, 40]),
            ..Default::default()
        },
        Line {
            bbox: BBox([20, 60, 600, 90]),
            ..Default::default()
        },
    ];
    assert_eq!(
        keep_print(&r, threshold, &RepairParams::default(), &mut lines),
        0
    );
    // Half the line's height (30) of margin round its print.
    assert_eq!(lines[0].bbox, BBox([400 - 15, 10, 530, 40]));
    assert_eq!(lines[1].bbox, BBox([20, 60, 600, 90]));
}

#[test]
fn a_line_under_show_through_is_print() {
    // A line of faint, broken print (a seventh of its pixels inked)
    // with the facing page's title showing through just above it,
    // thinly: together one band twice the line's height.
    let (w, h) = (600usize, 220usize);
    let mut r = Raster::blank(w as u32, h as u32);
    for y in 58..100 {
        for x in 50..550 {
            if (x * 3 + y * 5) % 50 == 0 {
                r.pixels[y * w + x] = 0;
            }
        }
    }
    for y in 100..140 {
        for x in 50..550 {
            if (x + y) % 7 == 0 {
                r.pixels[y * w + x] = 0;
            }
        }
    }
    let k = RepairParams::default();
    let bands = ink_bands(&r, 128, k.row_noise_share, 0, 120);
    assert_eq!(bands.len(), 1, "{bands:?}");
    assert!(bands[0].0 <= 60 && bands[0].1 >= 139, "{bands:?}");
    let mut read = Vec::new();
    repair_lines(&r, 128, 300.0, &k, &mut Vec::new(), |_, _, _, b| {
        read.push((b.x0(), b.x1()));
        Ok(vec![])
    })
    .unwrap();
    assert_eq!(read.len(), 1);
    assert!(read[0].0 <= 52 && read[0].1 >= 546, "{read:?}");
}

#[test]
fn a_folio_is_read_whole_not_cut_at_its_dashes() {
    // — 12 —: the dashes' rows are the row's inkiest, too low to be a
    // line's core; read in them, the folio fell into three pieces.
    let (w, h) = (600usize, 100usize);
    let mut r = Raster::blank(w as u32, h as u32);
    for y in 50..53 {
        for x in (200..250).chain(320..370) {
            r.pixels[y * w + x] = 0;
        }
    }
    for y in 36..66 {
        for x in (275..300).chain(303..328).step_by(2) {
            r.pixels[y * w + x] = 0;
        }
    }
    let mut read = Vec::new();
    let k = RepairParams::default();
    repair_lines(&r, 128, 300.0, &k, &mut Vec::new(), |_, _, _, b| {
        read.push((b.x0(), b.x1()));
        Ok(vec![])
    })
    .unwrap();
    assert_eq!(read.len(), 1, "{read:?}");
    assert!(read[0].0 <= 200 && read[0].1 >= 369, "{read:?}");
}

/// A folio printed with em dashes (each as long as the digits are
/// tall, and longer) and read as `- 12 -` is — 12 —; one printed with
/// hyphens (half as long) stays as read.
#[test]
fn a_folio_read_with_hyphens_keeps_its_em_dashes() {
    let folio = |dash: usize| {
        let (w, h) = (600usize, 100usize);
        let mut r = Raster::blank(w as u32, h as u32);
        for y in 50..53 {
            for x in (250 - dash..250).chain(330..330 + dash) {
                r.pixels[y * w + x] = 0;
            }
        }
        // Two digits 30 px tall.
        for y in 36..66 {
            for x in (265..285).chain(295..315).step_by(3) {
                r.pixels[y * w + x] = 0;
            }
        }
        let mut lines = vec![line(
            "- 12 -",
            [(250 - dash) as u32, 36, (330 + dash) as u32, 66],
        )];
        restore_folio_dashes(&r, 128, &RepairParams::default(), &mut lines);
        lines.remove(0).text
    };
    assert_eq!(folio(42), "— 12 —");
    assert_eq!(folio(15), "- 12 -");
}

/// Draws a box of side `n` at (x, y), with its diagonals if `cross`.
fn draw_box(r: &mut Raster, x: usize, y: usize, n: usize, cross: bool) {
    let w = r.width as usize;
    for i in 0..n {
        for t in 0..2 {
            r.pixels[(y + t) * w + x + i] = 0;
            r.pixels[(y + n - 1 - t) * w + x + i] = 0;
            r.pixels[(y + i) * w + x + t] = 0;
            r.pixels[(y + i) * w + x + n - 1 - t] = 0;
            if cross {
                r.pixels[(y + i) * w + (x + i + t).min(x + n - 1)] = 0;
                r.pixels[(y + i) * w + (x + n - 1 - i).saturating_sub(t).max(x)] = 0;
            }
        }
    }
}

#[test]
fn cell_marks_are_found_and_plain_boxes_are_not() {
    let mut r = Raster::blank(400, 200);
    draw_box(&mut r, 50, 50, 40, true);
    draw_box(&mut r, 200, 50, 40, false);
    let marks = find_cell_marks(
        &r,
        crate::preprocess::ink_threshold(&r),
        300.0,
        &RepairParams::default(),
    );
    assert_eq!(marks, vec![BBox([50, 50, 90, 90])]);
}

#[test]
fn a_ruled_table_has_its_vertical_rules_counted_once_each() {
    let mut r = Raster::blank(400, 600);
    for x in [50usize, 51, 52, 200, 201, 350] {
        for y in 100..400 {
            r.pixels[y * 400 + x] = 0;
        }
    }
    // A short stroke is not a rule.
    for y in 100..150 {
        r.pixels[y * 400 + 300] = 0;
    }
    assert_eq!(ruled_columns(&r, 128, 200), 3);
    assert_eq!(ruled_columns(&r, 128, 350), 0);
}

#[test]
fn stray_lines_go_back_into_their_column_and_columns_keep_their_order() {
    let ordered = |mut v: Vec<Line>| {
        reading_order(&mut v);
        v.into_iter().map(|l| l.text).collect::<Vec<_>>()
    };
    let v = vec![
        line("title", [100, 10, 900, 50]),
        line("left 1", [100, 100, 480, 130]),
        line("left 3", [100, 200, 480, 230]),
        line("right 1", [520, 100, 900, 130]),
        line("right 2", [520, 150, 900, 180]),
        line("left 2", [100, 150, 480, 180]),
    ];
    assert_eq!(
        ordered(v),
        ["title", "left 1", "left 2", "left 3", "right 1", "right 2"]
    );
    // A running head at the left, found last, over lines set to the
    // right that it overlaps across with none: first, not last.
    let v = vec![
        line("2017年3月2日", [1800, 365, 2076, 412]),
        line("（此件公开发布）", [1750, 443, 2054, 490]),
        line("— 8 —", [1180, 3300, 1300, 3340]),
        line("云南省人民政府公报", [307, 139, 868, 215]),
    ];
    assert_eq!(
        ordered(v),
        [
            "云南省人民政府公报",
            "2017年3月2日",
            "（此件公开发布）",
            "— 8 —"
        ]
    );
}

#[test]
fn fragments_on_a_row_join() {
    let mut v = vec![
        line(
            "国务院办公厅关于2019年部分节假日安排的通知",
            [330, 461, 1269, 516],
        ),
        line("(2)", [2112, 487, 2162, 531]),
        line("下一行", [330, 560, 900, 600]),
    ];
    merge_row_fragments(&mut v, &RepairParams::default());
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].text, "国务院办公厅关于2019年部分节假日安排的通知 (2)");
    assert_eq!(v[0].bbox, BBox([330, 461, 2162, 531]));
    let mut two_columns = vec![
        line("左栏的一行相当长的文字内容", [100, 100, 1000, 140]),
        line("右栏的一行相当长的文字内容", [1100, 100, 2000, 140]),
    ];
    merge_row_fragments(&mut two_columns, &RepairParams::default());
    assert_eq!(two_columns.len(), 2);
}

fn sym(text: &str, x: u32, word_start: bool) -> tess::Symbol {
    tess::Symbol {
        text: text.into(),
        bbox: BBox([x, 45, x + 40, 90]),
        confidence: 90.0,
        word_start,
    }
}

#[test]
fn a_columns_parentheses_take_the_width_of_their_cells() {
    // Boxes as Tesseract gave them on a tuning page: 設(以…建)等, the
    // parentheses in narrow cells, the ( box running on into 以's
    // cell, the ) box one pixel wide; then a pair in full cells.
    let at = |text: &str, x0: u32, x1: u32| tess::Symbol {
        text: text.into(),
        bbox: BBox([x0, 10, x1, 50]),
        confidence: 90.0,
        word_start: false,
    };
    let cells = [
        (1215, 1264, false), // 設
        (1264, 1291, true),  // (
        (1291, 1340, false), // 以
        (1340, 1389, false), // 建
        (1389, 1416, true),  // )
        (1416, 1465, false), // 等
        (1465, 1514, false), // ︵, turned
        (1514, 1563, false), // 一
        (1563, 1612, false), // ︶, turned
    ];
    let read = |mut symbols: Vec<tess::Symbol>| -> String {
        parenthesis_widths(&mut symbols, &cells);
        symbols.iter().map(|s| s.text.as_str()).collect()
    };
    let symbols = vec![
        at("設", 1235, 1259),
        at("(", 1274, 1312),
        at("以", 1309, 1332),
        at("建", 1345, 1372),
        at(")", 1420, 1421),
        at("等", 1426, 1472),
        at("(", 1470, 1510),
        at("一", 1515, 1560),
        at(")", 1565, 1600),
    ];
    assert_eq!(read(symbols), "設(以建)等（一）");
    // Placed nowhere, pair and all: full-width.
    let lone = vec![
        at("(", 2000, 2001),
        at("一", 2001, 2040),
        at(")", 2040, 2041),
    ];
    assert_eq!(read(lone), "（一）");
}

#[test]
fn symbols_become_lines_with_tabs_at_cell_marks() {
    let line = TextLine {
        bbox: BBox([0, 40, 400, 100]),
        symbols: vec![
            sym("定", 0, true),
            sym("量", 42, false),
            sym("因", 100, true), // read inside the blanked mark
            sym("计", 150, true),
            sym("算", 192, false),
            sym("指", 300, true),
        ],
    };
    let marks = [BBox([95, 45, 140, 90])];
    let lines = assemble(vec![line.clone()], &marks);
    assert_eq!(lines[0].text, "定量\t计算 指");
    assert_eq!(lines[0].bbox, BBox([0, 45, 340, 90]));
    assert!((lines[0].confidence.get() - 0.9).abs() < 1e-6);
    assert_eq!(assemble(vec![line.clone()], &[])[0].text, "定量 因 计算 指");
    // A quotation mark read in the gap beside a mark is a phantom.
    let mut with_quote = line;
    with_quote.symbols.insert(3, sym("“", 130, true));
    assert_eq!(
        assemble(vec![with_quote.clone()], &marks)[0].text,
        "定量\t计算 指"
    );
    assert_eq!(assemble(vec![with_quote], &[])[0].text, "定量 因 “ 计算 指");
}
