//! Bad input never stops a batch: each broken file gives a clear error
//! naming it (and its page), and the good files in the batch still come out.

use crate::util::{self, data, Fake};
use ingest::ErrorKind;
use lopdf::{dictionary, Document, Object, Stream};
use std::path::Path;

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A valid PNG header whose IHDR claims 100000 × 100000 pixels.
fn huge_png() -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    png
}

fn page_tree_loop_pdf(path: &Path) {
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into(), pages.into()], "Count" => 2 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

fn jbig2_pdf(path: &Path) {
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 100,
            "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray", "Filter" => "JBIG2Decode",
        },
        vec![0u8; 64],
    );
    util::one_image_pdf(path, image, b"q 595 0 0 842 0 0 cm /Im0 Do Q");
}

/// A folder of every kind of broken file, plus one good issue.
pub fn bad_batch(dir: &Path) {
    let png = std::fs::read(data("small/png/page-002.png")).unwrap();
    let text_pdf = std::fs::read(data("small/text.pdf")).unwrap();
    let images = dir.join("scans");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::write(images.join("page-1-empty.png"), b"").unwrap();
    std::fs::write(images.join("page-2-cut.png"), &png[..png.len() / 3]).unwrap();
    std::fs::write(images.join("page-3-huge.png"), huge_png()).unwrap();
    std::fs::write(
        images.join("page-4-text.tif"),
        "this is a text file, not a tiff\n",
    )
    .unwrap();
    std::fs::copy(
        data("small/png/page-001.png"),
        images.join("page-5-good.png"),
    )
    .unwrap();
    std::fs::write(dir.join("truncated.pdf"), &text_pdf[..text_pdf.len() / 2]).unwrap();
    page_tree_loop_pdf(&dir.join("loop.pdf"));
    jbig2_pdf(&dir.join("jbig2.pdf"));
    std::fs::copy(data("small/text.pdf"), dir.join("good.pdf")).unwrap();
}

#[test]
fn every_bad_file_is_named_and_the_rest_completes() {
    let tmp = tempfile::tempdir().unwrap();
    bad_batch(tmp.path());
    let events = util::run(&[tmp.path().to_path_buf()], &Fake::default(), 2);
    let failed = util::failures(&events);
    let find = |name: &str| {
        failed
            .iter()
            .find(|f| f.path.file_name().is_some_and(|n| n == name))
            .unwrap_or_else(|| panic!("no error for {name}: {failed:?}"))
    };
    assert!(matches!(&find("page-1-empty.png").kind, ErrorKind::Image(m) if m.contains("empty")));
    assert!(matches!(&find("page-2-cut.png").kind, ErrorKind::Image(_)));
    let huge = &find("page-3-huge.png").kind;
    assert!(
        matches!(huge, ErrorKind::TooLarge { width: 100_000, .. }),
        "{huge:?}"
    );
    assert!(
        matches!(&find("page-4-text.tif").kind, ErrorKind::UnknownFormat(m) if m.contains("text"))
    );
    assert!(matches!(
        find("truncated.pdf").kind,
        ErrorKind::Pdf(_) | ErrorKind::NoPages
    ));
    assert!(matches!(find("loop.pdf").kind, ErrorKind::PageTreeLoop(..)));
    // JBIG2 is decoded now; this stream is not JBIG2 data at all.
    let jbig2 = find("jbig2.pdf");
    assert!(
        matches!(&jbig2.kind, ErrorKind::Image(m) if m.contains("Jbig2Decode")),
        "{jbig2}"
    );
    assert_eq!(jbig2.page, Some(1));
    assert!(
        jbig2.to_string().contains(
            "jbig2.pdf: page 1: corrupt or truncated image: cannot decode Jbig2Decode image"
        ),
        "{jbig2}"
    );
    assert_eq!(failed.len(), 7, "{failed:?}");
    // The good page among the broken ones, and the good PDF, still come out.
    let pages = util::pages(&events);
    assert!(
        pages.iter().any(|(f, _, _)| f == "page-5-good.png"),
        "{pages:?}"
    );
    assert_eq!(pages.iter().filter(|(f, _, _)| f == "good.pdf").count(), 2);
}
