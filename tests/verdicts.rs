//! Every page read gets a verdict with its measured reason, and a page
//! with ink is never reported as read with nothing on it: a blank page is
//! `blank`, a page of ink the engine reads nothing from is `suspect`, a scan
//! covering a third of its page is `suspect`, and a page read is `ok`.

use crate::util::{self, data, Fake};
use ingest::Verdict;
use lopdf::{dictionary, Stream};
use std::path::Path;

fn verdicts(path: &Path, engine: &Fake) -> Vec<Verdict> {
    let events = util::run(&[path.to_path_buf()], engine, 1);
    assert!(util::failures(&events).is_empty());
    util::page_texts(&events)
        .into_iter()
        .map(|p| p.verdict.clone())
        .collect()
}

/// A w×h grey image XObject, black where `ink` says, white elsewhere.
fn bars(w: u32, h: u32, ink: impl Fn(u32, u32) -> bool) -> Stream {
    let pixels = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| if ink(x, y) { 0u8 } else { 255 })
        .collect();
    Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
        },
        pixels,
    )
}

/// A one-page PDF (A4) holding a 600×400 grey image of sparse dark bars
/// (about as much ink as the fake engine's reading accounts for), drawn
/// over the top third of the page.
fn third_of_a_page(path: &Path) {
    let (w, h) = (600u32, 400u32);
    // Sparse rows of "print": bars 4 px high every 60 px.
    let image = bars(w, h, |x, y| {
        y % 60 < 4 && x % 80 < 40 && (40..560).contains(&x)
    });
    util::one_image_pdf(path, image, b"q 595 0 0 280 0 562 cm /Im0 Do Q");
}

#[test]
fn blank_unreadable_partial_and_ok_pages() {
    let tmp = tempfile::tempdir().unwrap();
    // Blank paper.
    let blank = tmp.path().join("blank.png");
    image::GrayImage::from_pixel(1240, 1754, image::Luma([255u8]))
        .save(&blank)
        .unwrap();
    let silent = Fake {
        silent: true,
        ..Fake::default()
    };
    let v = verdicts(&blank, &silent);
    assert!(
        matches!(&v[..], [Verdict::Blank(r)] if r.contains("no ink")),
        "{v:?}"
    );

    // A page of print the engine reads nothing from.
    let print = data("small/png/page-001.png");
    let v = verdicts(&print, &silent);
    assert!(
        matches!(&v[..], [Verdict::Suspect(r)] if r.contains("0 characters read")),
        "{v:?}"
    );
    // (The same kind of page read by the real engine is `ok`: ocr_quality.)

    // A scan covering the top third of its page.
    let third = tmp.path().join("third.pdf");
    third_of_a_page(&third);
    let v = verdicts(&third, &Fake::default());
    assert!(
        matches!(&v[..], [Verdict::Suspect(r)] if r.contains("cover 33% of the page")),
        "{v:?}"
    );
}

/// A page whose right half holds print no line was read from is suspect,
/// naming where, though its left half reads well; the same page read
/// across its whole width is `ok`.
#[test]
fn ink_left_unread_in_a_region_makes_the_page_suspect() {
    let print = data("small/png/page-002.png");
    // As many characters as the page prints, so the page as a whole is
    // accounted for.
    let page_of_text = Some("字".repeat(600));
    let whole = Fake {
        text: page_of_text.clone(),
        ..Fake::default()
    };
    let v = verdicts(&print, &whole);
    assert!(matches!(&v[..], [Verdict::Ok]), "{v:?}");
    let half = Fake {
        left_half: true,
        text: page_of_text,
        ..Fake::default()
    };
    let v = verdicts(&print, &half);
    let [Verdict::Suspect(why)] = &v[..] else {
        panic!("{v:?}");
    };
    assert!(why.contains("ink with no line read at ["), "{why}");
    // The region named lies in the right half.
    let width = image::image_dimensions(&print).unwrap().0;
    let x0: u32 = why
        .split('[')
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap();
    assert!(x0 >= width / 2, "{why}");
}

/// The same page, read by an engine that loses its right half on the
/// whole page but reads it on its own: the region left unread is read
/// again, its line is kept beside the left half's, and the page, read in
/// full, is ok.
#[test]
fn ink_left_unread_in_a_region_is_read_again() {
    let print = data("small/png/page-002.png");
    let engine = Fake {
        left_half: true,
        ink_box_after_first: true,
        text: Some("字".repeat(600)),
        engine: Some("fake".into()),
        ..Fake::default()
    };
    let events = util::run(std::slice::from_ref(&print), &engine, 1);
    let pages = util::page_texts(&events);
    let [p] = &pages[..] else { panic!("{pages:?}") };
    assert_eq!(p.verdict, Verdict::Ok, "{:?}", p.verdict);
    assert_eq!(p.lines.len(), 2, "{:?}", p.lines);
    let width = image::image_dimensions(&print).unwrap().0;
    // The whole page's reading (the left half, the page's height: so it
    // stands below the line found, in order) and the line found in the
    // right half (its box takes in the region's margin).
    let boxes: Vec<[u32; 4]> = p.lines.iter().map(|l| l.bbox.0).collect();
    assert!(
        boxes.iter().any(|b| b[0] == 0 && b[2] <= width / 2),
        "{boxes:?}"
    );
    assert!(
        boxes.iter().any(|b| b[0] > 0 && b[0] + b[2] >= width),
        "{boxes:?}"
    );
    assert!(engine.calls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
}

/// Adds Helvetica as font F1 to the resources of the one-page PDF at
/// `path`, for the text its content draws.
fn with_helvetica_as_f1(path: &Path) {
    let mut doc = lopdf::Document::load(path).unwrap();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let page = *doc.get_pages().values().next().unwrap();
    let res = doc
        .get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .get_mut(b"Resources")
        .unwrap()
        .as_dict_mut()
        .unwrap();
    res.set("Font", dictionary! { "F1" => font });
    doc.save(path).unwrap();
}

/// A born-digital page whose text layer says one word while a picture of
/// print fills two fifths of the page: the layer does not account for the
/// ink, and the page is suspect.
#[test]
fn a_text_layer_that_does_not_match_the_ink_is_suspect() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("layer.pdf");
    let (w, h) = (600u32, 400u32);
    // Dense rows of "print".
    let image = bars(w, h, |x, y| {
        (40..560).contains(&x) && y % 20 < 8 && x % 16 < 12
    });
    util::one_image_pdf(
        &path,
        image,
        b"q 595 0 0 330 0 400 cm /Im0 Do Q BT /F1 14 Tf 72 100 Td (Notice) Tj ET",
    );
    with_helvetica_as_f1(&path);

    let events = util::run(&[path], &Fake::default(), 1);
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].origin, ingest::TextOrigin::TextLayer);
    assert!(pages[0].text().contains("Notice"));
    assert!(
        matches!(&pages[0].verdict, Verdict::Suspect(r) if r.contains("does not match the page's ink")),
        "{:?}",
        pages[0].verdict
    );
}

/// A born-digital page whose text layer holds a page of text, with print
/// drawn as a picture in its lower part (at 120-250 pt from the foot of an
/// A4 page: 2,467-3,008 px down at 300 dpi).
fn layer_with_print_below(path: &std::path::Path) {
    let (w, h) = (600u32, 200u32);
    // Sparse rows of "print", as strokes ink a line of type.
    let image = bars(w, h, |x, y| y % 20 < 10 && x % 16 < 12 && (x + y) % 3 == 0);
    let mut content = b"q 400 0 0 130 100 120 cm /Im0 Do Q BT /F1 10 Tf 72 780 Td".to_vec();
    for _ in 0..30 {
        content.extend_from_slice(
            b" (Notice of the provincial government on the keeping of archives) Tj 0 -14 Td",
        );
    }
    content.extend_from_slice(b" ET");
    util::one_image_pdf(path, image, &content);
    with_helvetica_as_f1(path);
}

/// The top of the first region a verdict names as unread.
fn first_unread_top(why: &str) -> u32 {
    why.split('[')
        .nth(1)
        .and_then(|s| s.split(',').nth(1))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("no region in {why}"))
}

/// The layer accounts for the page's ink as a whole, but not for the
/// picture's region: where OCR reads nothing there (or nothing it is sure
/// of), the page is suspect, naming where, and holds the layer alone.
#[test]
fn print_drawn_beside_a_text_layer_is_named_when_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("layer.pdf");
    layer_with_print_below(&path);
    let unsure = Fake {
        ink_box: true,
        text: Some("图中文字".repeat(20)),
        engine: Some("tesseract".into()),
        confidence: Some(ingest::Confidence::new(0.05)),
        ..Default::default()
    };
    let silent = Fake {
        silent: true,
        ..Default::default()
    };
    for engine in [&silent, &unsure] {
        let events = util::run(std::slice::from_ref(&path), engine, 1);
        let pages = util::page_texts(&events);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].origin, ingest::TextOrigin::TextLayer);
        let Verdict::Suspect(why) = &pages[0].verdict else {
            panic!("{:?}", pages[0].verdict);
        };
        assert!(why.starts_with("ink with no line read at ["), "{why}");
        assert!((2400..3000).contains(&first_unread_top(why)), "{why}");
        assert_eq!(pages[0].lines.len(), 30);
        assert!(pages[0].lines.iter().all(|l| l.engine.is_none()));
    }
}

/// Where the layer leaves the picture's print unread, OCR reads it there:
/// the line found goes after the layer's lines above it, naming its
/// recogniser, and the page, read in full, is ok.
#[test]
fn print_drawn_beside_a_text_layer_is_read_by_ocr() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("layer.pdf");
    layer_with_print_below(&path);
    let engine = Fake {
        ink_box: true,
        text: Some("图中文字".repeat(20)),
        engine: Some("fake".into()),
        ..Default::default()
    };
    let events = util::run(&[path], &engine, 1);
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!(p.verdict, Verdict::Ok, "{:?}", p.verdict);
    assert_eq!(p.lines.len(), 31);
    let last = p.lines.last().unwrap();
    assert_eq!(last.engine.as_deref(), Some("fake"));
    assert!(last.text.starts_with("图中文字"));
    // In the layer's pixels (300 dpi), where the picture stands.
    assert!((2400..2600).contains(&last.bbox.0[1]), "{:?}", last.bbox);
    assert!(p.lines[..30].iter().all(|l| l.engine.is_none()));
}

/// A page drawn in a Chinese font that is neither embedded nor mapped to
/// Unicode (Identity-H, no ToUnicode): no text layer decodes it and no
/// renderer here has the font, so its rendering holds none of its text.
/// OCR of it reads next to nothing, and the page says so.
#[test]
fn text_in_a_font_nobody_has_is_suspect_not_ok() {
    use lopdf::Object;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("missing-font.pdf");
    let mut content = String::new();
    for row in 0..10 {
        let codes: String = (0..30)
            .map(|i| format!("{:04X}", 1000 + row * 30 + i))
            .collect();
        content.push_str(&format!(
            "BT /F1 16 Tf 60 {} Td <{codes}> Tj ET\n",
            760 - row * 30
        ));
    }
    util::one_page_pdf(
        &path,
        |doc| {
            let descriptor = doc.add_object(dictionary! {
                "Type" => "FontDescriptor", "FontName" => "SimSun", "Flags" => 6,
                "FontBBox" => vec![0.into(), (-141).into(), 996.into(), 855.into()],
                "ItalicAngle" => 0, "Ascent" => 859, "Descent" => -141, "CapHeight" => 683, "StemV" => 80,
            });
            let cid = doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal("GB1"),
                    "Supplement" => 2,
                },
                "FontDescriptor" => descriptor, "DW" => 1000,
            });
            let font = doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
                "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()],
            });
            dictionary! { "Font" => dictionary! { "F1" => font } }
        },
        content.as_bytes(),
    );

    let silent = Fake {
        silent: true,
        ..Fake::default()
    };
    let events = util::run(&[path], &silent, 1);
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].origin, ingest::TextOrigin::Ocr);
    assert!(
        matches!(&pages[0].verdict, Verdict::Suspect(r) if r.contains("draws 300 characters")),
        "{:?}",
        pages[0].verdict
    );
}

/// The same with real print and the real recogniser: two lines of the clean
/// page's scan (its 300 dpi pixels, rows 1,060-1,200: "一、全面推进“五公开”"
/// and "（一）严格审查公开属性") drawn as a picture below a page of
/// text-layer print. Tesseract reads them where the layer does not reach.
#[test]
fn real_print_beside_a_text_layer_is_read_by_tesseract() {
    let scan = image::open(data("clean-page.png")).unwrap().to_luma8();
    let (x0, y0, w, h) = (300u32, 1060u32, 1900u32, 140u32);
    let crop = image::imageops::crop_imm(&scan, x0, y0, w, h).to_image();
    let picture = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
        },
        crop.into_raw(),
    );
    // At its scan's size: 1,900 × 140 px at 300 dpi is 456 × 33.6 pt.
    let mut content = b"q 456 0 0 33.6 72 150 cm /Im0 Do Q BT /F1 10 Tf 72 780 Td".to_vec();
    for _ in 0..30 {
        content.extend_from_slice(
            b" (Notice of the provincial government on the keeping of archives) Tj 0 -14 Td",
        );
    }
    content.extend_from_slice(b" ET");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("layer.pdf");
    util::one_image_pdf(&path, picture, &content);
    with_helvetica_as_f1(&path);

    let engine = ingest::Tesseract::new("chi_sim").expect("tesseract with chi_sim is installed");
    let (issues, errors) = ingest::source::discover(&[path]);
    assert!(errors.is_empty(), "{errors:?}");
    let opts = ingest::Options {
        jobs: 1,
        ..ingest::Options::default()
    };
    let mut events = Vec::new();
    ingest::pipeline::run(&issues, &engine, &opts, |e| events.push(e)).unwrap();
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!(p.origin, ingest::TextOrigin::TextLayer);
    let read: String = p
        .lines
        .iter()
        .filter(|l| l.engine.is_some())
        .map(|l| l.text.as_str())
        .collect();
    assert!(
        read.contains("五公开") && read.contains("严格审查"),
        "{read:?}"
    );
    assert_eq!(p.verdict, Verdict::Ok, "{:?}", p.verdict);
    assert!(p.lines[..30].iter().all(|l| l.engine.is_none()));
}
