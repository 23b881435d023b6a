//! Unit tests of `vertical`: kept beside it, apart, so that the module's
//! own file holds only its code.

// The whole vertical reader's tests: finding columns here, mixed
// pages and column cells in their own files.
use super::super::cells::*;
use super::super::mixed::*;
use super::*;

/// Draws a filled block (a stand-in for a character's ink).
fn ink(r: &mut Raster, x0: u32, y0: u32, x1: u32, y1: u32) {
    for y in y0..y1 {
        for x in x0..x1 {
            r.pixels[(y * r.width + x) as usize] = 0;
        }
    }
}

/// A box of 3-px rules round `x0..x1` × `y0..y1`.
fn frame(r: &mut Raster, x0: u32, y0: u32, x1: u32, y1: u32) {
    ink(r, x0, y0, x0 + 3, y1);
    ink(r, x1 - 3, y0, x1, y1);
    ink(r, x0, y0, x1, y0 + 3);
    ink(r, x0, y1 - 3, x1, y1);
}

/// A page of `n` columns of 30×37-px characters (a 40-px pitch), a head
/// row across the top and a folio below.
fn vertical_page(n: u32) -> Raster {
    let mut r = Raster::blank(600, 800);
    ink(&mut r, 40, 20, 400, 50); // running head
    for c in 0..n {
        let x = 520 - c * 50;
        for i in 0..12 {
            ink(&mut r, x, 100 + i * 40, x + 30, 100 + i * 40 + 37);
        }
    }
    // Folio: — 1 —
    ink(&mut r, 240, 754, 270, 756);
    ink(&mut r, 290, 740, 300, 770);
    ink(&mut r, 320, 754, 350, 756);
    r
}

#[test]
fn columns_are_found_right_to_left_with_the_rows_around_them() {
    let r = vertical_page(5);
    let v = find(&r, 128, 300.0, &VerticalParams::default()).expect("vertical");
    assert_eq!(v.columns.len(), 5);
    assert_eq!(v.columns[0], BBox([520, 100, 550, 577]));
    assert!(v.columns.windows(2).all(|w| w[0].x0() > w[1].x0()));
    // Rows with half their height of white round them.
    assert_eq!(v.above, vec![BBox([0, 5, 600, 65])]);
    assert_eq!(v.below, vec![BBox([0, 725, 600, 785])]);
}

#[test]
fn a_stain_between_columns_joins_none() {
    let mut r = vertical_page(5);
    // A grey stain (foxing) the height of three characters, across the
    // gap between the second and third columns, and one touching the
    // fifth: ink at a yellowed page's threshold, not at its core.
    for (x0, x1, y0) in [(440, 480, 300), (300, 330, 200)] {
        for y in y0..y0 + 110 {
            for x in x0..x1 {
                r.pixels[(y * r.width + x) as usize] = 150;
            }
        }
    }
    let v = find(&r, 170, 300.0, &VerticalParams::default()).expect("vertical");
    let x: Vec<(u32, u32)> = v.columns.iter().map(|c| (c.x0(), c.x1())).collect();
    assert_eq!(
        x,
        vec![(520, 550), (470, 500), (420, 450), (370, 400), (320, 350)]
    );
}

#[test]
fn columns_of_figures_spaced_apart_are_vertical() {
    // A vertical table: columns 30 px wide, 26 apart, of digit cells 30
    // tall, 11 apart (0.36 of a width: a table's figures; a text
    // column's cells stand closer).
    let mut r = Raster::blank(600, 800);
    for c in 0..8 {
        let x = 520 - c * 56;
        for i in 0..14 {
            ink(&mut r, x, 100 + i * 41, x + 30, 100 + i * 41 + 30);
        }
    }
    let v = find(&r, 128, 300.0, &VerticalParams::default()).expect("vertical");
    assert_eq!(v.columns.len(), 8);
    // The same cells, rows apart as wide as the columns are close: a
    // horizontal table.
    let mut r = Raster::blank(800, 800);
    for row in 0..8 {
        for i in 0..14 {
            ink(
                &mut r,
                60 + i * 41,
                100 + row * 56,
                90 + i * 41,
                130 + row * 56,
            );
        }
    }
    assert_eq!(find(&r, 128, 300.0, &VerticalParams::default()), None);
}

#[test]
fn a_horizontal_page_and_a_ruled_table_are_not_vertical() {
    let mut r = Raster::blank(600, 800);
    for row in 0..10 {
        for i in 0..12 {
            ink(
                &mut r,
                40 + i * 40,
                100 + row * 50,
                70 + i * 40,
                130 + row * 50,
            );
        }
    }
    // Table rules: tall, thin.
    for x in [30, 200, 400, 560] {
        ink(&mut r, x, 90, x + 2, 600);
    }
    assert_eq!(find(&r, 128, 300.0, &VerticalParams::default()), None);
}

/// A page with a head row and a folio, horizontal lines of `rows`
/// 30-px characters on the left and `cols` columns on the right.
fn mixed_page(rows: u32, chars: u32, cols: u32) -> Raster {
    let mut r = Raster::blank(1200, 800);
    ink(&mut r, 40, 20, 1100, 50);
    for row in 0..rows {
        for i in 0..chars {
            let (x, y) = (40 + i * 36, 100 + row * 50);
            ink(&mut r, x, y, x + 30, y + 30);
        }
    }
    for c in 0..cols {
        let x = 1120 - c * 50;
        for i in 0..12 {
            ink(&mut r, x, 100 + i * 40, x + 30, 100 + i * 40 + 37);
        }
    }
    ink(&mut r, 590, 740, 600, 770);
    r
}

#[test]
fn columns_beside_horizontal_text_are_a_region_of_their_own() {
    let k = VerticalParams::default();
    // The text wider than the columns: read first, left to right.
    let r = mixed_page(10, 14, 5);
    let regions = mixed(&r, 128, 300.0, &k).expect("mixed");
    let kinds: Vec<(bool, u32)> = regions
        .iter()
        .map(|g| match g {
            Region::Rows(b) => (false, b.x0()),
            Region::Columns(b, _) => (true, b.x0()),
        })
        .collect();
    assert_eq!(
        kinds.iter().map(|k| k.0).collect::<Vec<_>>(),
        vec![false, false, true, false],
        "{regions:?}"
    );
    let Region::Columns(b, v) = &regions[2] else {
        unreachable!()
    };
    assert_eq!(*b, BBox([920, 100, 1150, 580]));
    // The layout is the block's own, its columns right to left.
    assert_eq!(v.columns.len(), 5);
    assert_eq!(v.columns[0].x0(), 200);
    // The rows beside end short of the columns, with white round them.
    let Region::Rows(left) = &regions[1] else {
        unreachable!()
    };
    assert!(left.x1() < 920 && left.x1() > 538, "{left:?}");
    // The columns the larger: read first, right to left; the text
    // beside them boxed in, read inside its rules.
    let mut r = mixed_page(10, 4, 12);
    frame(&mut r, 28, 88, 189, 593);
    let regions = mixed(&r, 128, 300.0, &k).expect("mixed");
    assert!(matches!(regions[1], Region::Columns(..)), "{regions:?}");
    let Region::Rows(notice) = regions[2] else {
        panic!("{regions:?}")
    };
    assert_eq!(notice, BBox([31, 91, 186, 590]));
    // A boxed notice is the insert even when larger than the columns
    // beside it: the columns are read first.
    let mut r = mixed_page(10, 14, 5);
    frame(&mut r, 28, 88, 549, 593);
    let regions = mixed(&r, 128, 300.0, &k).expect("mixed");
    assert!(matches!(regions[1], Region::Columns(..)), "{regions:?}");
    assert!(matches!(regions[2], Region::Rows(..)), "{regions:?}");
}

#[test]
fn lines_across_set_close_over_the_parts_are_a_band_of_their_own() {
    let k = VerticalParams::default();
    let mut r = Raster::blank(1200, 900);
    ink(&mut r, 40, 20, 1100, 50);
    // Three lines across, 20 px apart (less than a block's gap), then
    // the parts side by side 20 px below.
    for row in 0..3 {
        for i in 0..29 {
            let (x, y) = (40 + i * 36, 100 + row * 50);
            ink(&mut r, x, y, x + 30, y + 30);
        }
    }
    for row in 0..10 {
        for i in 0..14 {
            let (x, y) = (40 + i * 36, 250 + row * 50);
            ink(&mut r, x, y, x + 30, y + 30);
        }
    }
    for c in 0..5 {
        let x = 1120 - c * 50;
        for i in 0..12 {
            ink(&mut r, x, 250 + i * 40, x + 30, 250 + i * 40 + 37);
        }
    }
    let regions = mixed(&r, 128, 300.0, &k).expect("mixed");
    let boxes: Vec<(bool, BBox)> = regions
        .iter()
        .map(|g| match g {
            Region::Rows(b) => (false, *b),
            Region::Columns(b, _) => (true, *b),
        })
        .collect();
    assert_eq!(boxes.len(), 4, "{boxes:?}");
    // The lines across: one band, padded short of the parts below.
    assert!(!boxes[1].0 && boxes[1].1.y0() <= 100, "{boxes:?}");
    assert!((230..=250).contains(&boxes[1].1.y1()), "{boxes:?}");
    assert!(!boxes[2].0 && boxes[2].1.y0() >= 230, "{boxes:?}");
    assert_eq!(boxes[3], (true, BBox([920, 250, 1150, 730])));
}

#[test]
fn pages_of_one_direction_are_not_mixed() {
    let k = VerticalParams::default();
    assert_eq!(mixed(&vertical_page(5), 128, 300.0, &k), None);
    // A vertical table's column of dashes beside its columns: no rows.
    let mut r = vertical_page(5);
    for i in 0..12 {
        ink(&mut r, 100, 115 + i * 40, 120, 119 + i * 40);
    }
    assert_eq!(mixed(&r, 128, 300.0, &k), None);
    // Two columns of horizontal text.
    let mut r = mixed_page(10, 8, 0);
    for row in 0..10 {
        for i in 0..8 {
            let (x, y) = (700 + i * 36, 100 + row * 50);
            ink(&mut r, x, y, x + 30, y + 30);
        }
    }
    assert_eq!(mixed(&r, 128, 300.0, &k), None);
    // A column of figures beside the text (a contents page's page
    // numbers): no block of columns.
    let mut r = mixed_page(10, 12, 0);
    for row in 0..10 {
        ink(&mut r, 1000, 100 + row * 50, 1060, 130 + row * 50);
    }
    assert_eq!(mixed(&r, 128, 300.0, &k), None);
    // Strips down the page's side whose runs stand twice as tall as
    // they are wide (a scan's dark edge through show-through): no
    // characters, no block of columns.
    let mut r = mixed_page(10, 14, 0);
    for c in 0..5 {
        let x = 1120 - c * 50;
        for i in 0..7 {
            ink(&mut r, x, 100 + i * 70, x + 30, 100 + i * 70 + 60);
        }
    }
    assert_eq!(mixed(&r, 128, 300.0, &k), None);
}

#[test]
fn a_column_becomes_a_horizontal_line_of_its_cells() {
    let mut r = vertical_page(1);
    // 二: two strokes in one cell, then a tall run of two touching
    // characters.
    ink(&mut r, 100, 100, 130, 106);
    ink(&mut r, 100, 120, 130, 126);
    ink(&mut r, 100, 140, 130, 200);
    let col = BBox([100, 100, 130, 200]);
    let k = VerticalParams::default();
    let cs = cells(&r, 128, col, &k);
    assert_eq!(cs, vec![(100, 126), (140, 170), (170, 200)]);
    let (line, _) = as_line(&r, 128, col, &cs, &k);
    assert!(
        line.width > 3 * 30 && line.height < 2 * 30,
        "{}x{}",
        line.width,
        line.height
    );
    let inked = line.pixels.iter().filter(|p| **p == 0).count();
    assert_eq!(inked, 30 * 12 + 30 * 60);
}

#[test]
fn a_speck_of_damage_down_a_column_is_no_cell_but_a_mark_is() {
    let mut r = vertical_page(1);
    // Three characters, a full stop in the cell under the last, a
    // full-width space, a character; then, far down the column's
    // pixel columns, a speck of damage.
    for i in 0..3 {
        ink(&mut r, 100, 100 + i * 32, 130, 128 + i * 32);
    }
    ink(&mut r, 104, 198, 110, 204); // 。: 36 px, a 25th of a character
    ink(&mut r, 100, 260, 130, 288);
    ink(&mut r, 112, 560, 115, 563); // a speck: 9 px
    let col = BBox([100, 100, 130, 563]);
    let cs = cells(&r, 128, col, &VerticalParams::default());
    assert_eq!(
        cs,
        vec![(100, 128), (132, 160), (164, 192), (198, 204), (260, 288)]
    );
    // Without the rule the speck is a cell of its own.
    let k = VerticalParams {
        speck_cell: 0.0,
        ..VerticalParams::default()
    };
    assert_eq!(cells(&r, 128, col, &k).last(), Some(&(560, 563)));
}

#[test]
fn specks_outnumbering_a_short_columns_characters_are_no_cells() {
    let mut r = vertical_page(1);
    // Two characters and a full stop, then a speck every 60 px down the
    // page: more specks than characters.
    ink(&mut r, 100, 100, 130, 128);
    ink(&mut r, 100, 132, 130, 160);
    ink(&mut r, 104, 166, 110, 172);
    for i in 0..8 {
        ink(&mut r, 112, 240 + i * 60, 115, 243 + i * 60);
    }
    let col = BBox([100, 100, 130, 663]);
    let cs = cells(&r, 128, col, &VerticalParams::default());
    assert_eq!(cs, vec![(100, 128), (132, 160), (166, 172)]);
}

#[test]
fn a_folio_taken_into_the_column_over_it_is_left_in_the_margin() {
    let mut r = Raster::blank(400, 900);
    // Two full columns, 12 characters down to y 580.
    for x in [300, 250] {
        for i in 0..12 {
            ink(&mut r, x, 100 + i * 40, x + 30, 137 + i * 40);
        }
    }
    // A short column of four characters; under it, far below the
    // print, the folio — 2 —, wider than the column.
    for i in 0..4 {
        ink(&mut r, 200, 100 + i * 40, 230, 137 + i * 40);
    }
    ink(&mut r, 180, 812, 200, 814);
    ink(&mut r, 210, 800, 220, 828);
    ink(&mut r, 230, 812, 250, 814);
    // A contents entry's column: its page number at the foot, no lower
    // than the full columns' ends.
    for i in 0..3 {
        ink(&mut r, 150, 100 + i * 40, 180, 137 + i * 40);
    }
    ink(&mut r, 160, 540, 170, 577);
    let columns = [
        BBox([300, 100, 330, 577]),
        BBox([250, 100, 280, 577]),
        BBox([180, 100, 250, 828]),
        BBox([150, 100, 180, 577]),
    ];
    let k = VerticalParams::default();
    let got = without_margin(&r, 128, &columns, &k);
    assert_eq!(got[0], (columns[0], cells(&r, 128, columns[0], &k)));
    // The folio's column: its four characters, narrowed to them.
    assert_eq!(got[2].0, BBox([200, 100, 230, 257]));
    assert_eq!(
        got[2].1,
        (0..4)
            .map(|i| (100 + i * 40, 137 + i * 40))
            .collect::<Vec<_>>()
    );
    // The contents entry keeps its page number.
    assert_eq!(got[3].1.last(), Some(&(540, 577)));
}

#[test]
fn heads_of_columns_cut_off_by_a_wide_space_are_read_with_them() {
    let mut r = Raster::blank(600, 800);
    ink(&mut r, 40, 20, 400, 40); // running head
    for x in [520u32, 470, 420] {
        // 第十二條: four cells, then a full-width space; a block of its
        // own, 78 px tall and 30 wide.
        for i in 0..4 {
            ink(&mut r, x, 80 + i * 20, x + 30, 80 + i * 20 + 18);
        }
        for i in 0..12 {
            ink(&mut r, x, 200 + i * 40, x + 30, 200 + i * 40 + 37);
        }
    }
    let v = find(&r, 128, 300.0, &VerticalParams::default()).expect("vertical");
    assert_eq!(v.columns.len(), 3, "{:?}", v.columns);
    assert_eq!(v.columns[0], BBox([520, 80, 550, 677]));
    assert_eq!(v.above.len(), 1, "{:?}", v.above);
}

#[test]
fn a_yellowed_column_is_set_on_white_and_vertical_brackets_are_turned() {
    // Paper at 200, not white: the line is stretched so paper is 255.
    let mut r = Raster::blank(60, 200);
    r.pixels.iter_mut().for_each(|p| *p = 200);
    ink(&mut r, 10, 10, 40, 40); // a character
                                 // ︵: an arc 30 wide, 8 tall (ink fills a third of its box).
    ink(&mut r, 10, 50, 12, 58);
    ink(&mut r, 12, 50, 38, 52);
    ink(&mut r, 38, 50, 40, 58);
    ink(&mut r, 10, 70, 40, 100); // a character
                                  // 二, as squat and sparse as the arc but two strokes: not turned.
    ink(&mut r, 10, 120, 40, 122);
    ink(&mut r, 10, 132, 40, 134);
    let col = BBox([10, 10, 40, 134]);
    let k = VerticalParams::default();
    let cs = cells(&r, 128, col, &k);
    assert_eq!(cs.len(), 4, "{cs:?}");
    let (line, _) = as_line(&r, 128, col, &cs, &k);
    assert!(line.pixels.iter().all(|&p| p == 0 || p == 255));
    // The arc turned a quarter left: 8 wide and 30 tall, opening right
    // like (: its long stroke on the left.
    let inked_cols: Vec<u32> = (0..line.width)
        .filter(|&x| (0..line.height).any(|y| line.get(x, y) == 0))
        .collect();
    let middle: Vec<u32> = inked_cols
        .iter()
        .copied()
        .filter(|&x| x > 30 + 7 && x < 30 + 7 + 30 + 7)
        .collect();
    assert_eq!(middle.len(), 8, "{inked_cols:?}");
    let tall = |x: u32| (0..line.height).filter(|&y| line.get(x, y) == 0).count();
    assert_eq!(tall(middle[0]), 30);
    // ... and its two ends on the right.
    assert_eq!(tall(middle[7]), 4);
    // 二 stands as printed: its strokes 30 wide, one above the other.
    let last = *inked_cols.last().unwrap();
    assert_eq!(tall(last), 4, "{inked_cols:?}");
    assert_eq!(inked_cols.iter().filter(|&&x| x + 30 > last).count(), 30);
}

#[test]
fn a_bracket_filled_by_ink_spread_is_turned_but_a_bar_or_a_box_is_not() {
    let mut r = Raster::blank(60, 200);
    // ︵ thickened by ink spread: a bar over its middle, short legs at
    // its ends; 40 × 14, half its box inked.
    ink(&mut r, 18, 10, 42, 17);
    ink(&mut r, 10, 17, 18, 24);
    ink(&mut r, 42, 17, 50, 24);
    // A bar swelling in its middle, as full: its ends as short, but
    // flat.
    ink(&mut r, 10, 57, 50, 61);
    ink(&mut r, 26, 54, 34, 64);
    // 口 with its foot heavier than its head: bowed as much, but its
    // sides run its height.
    ink(&mut r, 10, 100, 12, 120);
    ink(&mut r, 48, 100, 50, 120);
    ink(&mut r, 12, 100, 48, 101);
    ink(&mut r, 12, 113, 48, 120);
    let col = BBox([10, 10, 50, 120]);
    let k = VerticalParams::default();
    let cs = cells(&r, 128, col, &k);
    assert_eq!(cs, vec![(10, 24), (54, 64), (100, 120)]);
    let (line, spans) = as_line(&r, 128, col, &cs, &k);
    // How wide each cell's ink stands on the line: the turned bracket
    // as wide as it was tall.
    let widths: Vec<usize> = spans
        .iter()
        .map(|&(x0, x1, _)| {
            (x0..x1)
                .filter(|&x| (0..line.height).any(|y| line.get(x, y) == 0))
                .count()
        })
        .collect();
    assert_eq!(widths, vec![14, 40, 40]);
}

#[test]
fn cells_follow_the_columns_grid_not_the_gaps_alone() {
    // Characters 40 tall on a pitch of 46, a slot's top at 10 + 46 i.
    let slot = |i: u32| 10 + 46 * i;
    let mut r = Raster::blank(60, 700);
    for i in (0..7).chain(11..13) {
        ink(&mut r, 10, slot(i), 50, slot(i) + 40);
    }
    // ︵ low in its slot, 一 high in the next: close enough to gather.
    ink(&mut r, 10, slot(7) + 30, 50, slot(7) + 33);
    ink(&mut r, 10, slot(8) + 18, 50, slot(8) + 24);
    // A mark in the middle of its slot, then a character whose dot
    // stands apart over its body.
    ink(&mut r, 38, slot(9) + 18, 46, slot(9) + 26);
    ink(&mut r, 26, slot(10) + 2, 34, slot(10) + 8);
    ink(&mut r, 10, slot(10) + 10, 50, slot(10) + 40);
    let col = BBox([10, 10, 50, slot(12) + 40]);
    let mut k = VerticalParams::default();
    let mut want: Vec<(u32, u32)> = (0..7).map(|i| (slot(i), slot(i) + 40)).collect();
    want.extend([
        (slot(7) + 30, slot(7) + 33),
        (slot(8) + 18, slot(8) + 24),
        (slot(9) + 18, slot(9) + 26),
        (slot(10) + 2, slot(10) + 40),
        (slot(11), slot(11) + 40),
        (slot(12), slot(12) + 40),
    ]);
    assert_eq!(cells(&r, 128, col, &k), want);
    // Too few characters to fit a grid to: gathered by height alone.
    k.grid_min_steps = 20;
    let got = cells(&r, 128, col, &k);
    assert!(got.contains(&(slot(7) + 30, slot(8) + 24)), "{got:?}");
}

#[test]
fn touching_characters_are_parted_at_the_grid() {
    // Characters 44 wide and 40 tall on a pitch of 46.
    let slot = |i: u32| 10 + 46 * i;
    let mut r = Raster::blank(70, 700);
    for i in (0..6).chain(8..12) {
        ink(&mut r, 10, slot(i), 54, slot(i) + 40);
    }
    // A tall character touching the head of the next (结合 in a serif
    // face): one run from slot 6 into slot 7, whose foot (合's 口)
    // stands apart under it.
    ink(&mut r, 10, slot(6), 54, slot(7) + 20);
    ink(&mut r, 20, slot(7) + 24, 44, slot(7) + 40);
    let col = BBox([10, 10, 54, slot(11) + 40]);
    let got = cells(&r, 128, col, &VerticalParams::default());
    // The boundary between slots 6 and 7 is 43 under slot 6's top.
    assert!(got.contains(&(slot(6), slot(6) + 43)), "{got:?}");
    assert!(got.contains(&(slot(6) + 43, slot(7) + 40)), "{got:?}");
    assert_eq!(got.len(), 12, "{got:?}");
}

#[test]
fn a_long_columns_grid_does_not_slip_a_slot() {
    // 70 centres on a pitch of 45 from row 20, each half a row up or
    // down by turns (characters of two heights): the steps between
    // them 44 and 46, their median 46. Numbered from the first alone a
    // slot slips every 23; numbered step by step none does.
    let full: Vec<f32> = (0..70)
        .map(|i| 20.0 + 45.0 * i as f32 + if i % 2 == 0 { -0.5 } else { 0.5 })
        .map(|c: f32| c.round())
        .collect();
    let (a, p) = fit_grid(&full, 40.0, &VerticalParams::default()).unwrap();
    assert!((p - 45.0).abs() < 0.05, "pitch {p}");
    assert!((a - 20.0).abs() < 1.0, "phase {a}");
}
