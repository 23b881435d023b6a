//! Every page read gets a verdict with its measured reason, and a page
//! with ink is never reported as read with nothing on it: a blank page is
//! `blank`, a page of ink the engine reads nothing from is `suspect`, a scan
//! covering a third of its page is `suspect`, and a page read is `ok`.

use crate::util::{self, data, Fake};
use ingest::Verdict;
use lopdf::{dictionary, Document, Object, Stream};
use std::path::Path;

fn verdicts(path: &Path, engine: &Fake) -> Vec<Verdict> {
    let events = util::run(&[path.to_path_buf()], engine, 1);
    assert!(util::failures(&events).is_empty());
    util::page_texts(&events)
        .into_iter()
        .map(|p| p.verdict.clone())
        .collect()
}

/// A one-page PDF (A4) holding a 600×400 grey image of sparse dark bars
/// (about as much ink as the fake engine's reading accounts for), drawn
/// over the top third of the page.
fn third_of_a_page(path: &Path) {
    let (w, h) = (600u32, 400u32);
    let mut pixels = vec![255u8; (w * h) as usize];
    for y in 0..h {
        for x in 0..w {
            // Sparse rows of "print": bars 4 px high every 60 px.
            if y % 60 < 4 && x % 80 < 40 && (40..560).contains(&x) {
                pixels[(y * w + x) as usize] = 0;
            }
        }
    }
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
            "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
        },
        pixels,
    ));
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"q 595 0 0 280 0 562 cm /Im0 Do Q".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
        "Contents" => content,
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
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
