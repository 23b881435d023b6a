//! PDF pages as they are printed: every scanned-PDF structure (strips, MRC
//! background and mask, rotation, Form XObjects, JBIG2) composed onto one
//! page, checked pixel by pixel against poppler's rendering of the same
//! page at the same resolution, and read.

use crate::util::{self, data, Fake};
use ingest::compose::{self, ComposeParams};
use ingest::pipeline::scan_image;
use ingest::Raster;
use std::path::{Path, PathBuf};

/// The committed fixtures (`tests/data/make_fixtures.py`): one page of the
/// 2019 holiday notice, 150 dpi, as `render_gazette.py` writes each
/// structure; page 2 of `small/text.pdf` with its text turned into paths by
/// Ghostscript (outlines); and page 2 of `small/png` as a JPEG 2000 stream
/// (jpx) and as an Adobe CMYK JPEG with its inverting /Decode (cmyk), both
/// placed by img2pdf.
const STRUCTURES: &[&str] = &[
    "strips",
    "mrc",
    "mrc-colour",
    "rot90",
    "rot180",
    "rot270",
    "form",
    "outlines",
    "jpx",
    "cmyk",
];

fn shared_pdf(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/pdfs")
        .join(name)
}

/// The image the pipeline reads page 1 from, and whether it was composed.
fn page_image(path: &Path) -> (Raster, f32, bool) {
    let file = ingest::pdf::open(path).unwrap();
    let pdf = file.hayro().expect("hayro loads the file");
    let k = ComposeParams::default();
    let survey = compose::survey(pdf, 0).unwrap();
    let (image, composed) = scan_image(&file, pdf, 0, &survey, &k).unwrap();
    (image.raster, image.dpi.unwrap(), composed)
}

/// Poppler's rendering of page 1 at `dpi`, grey (pdftocairo places images
/// pixel for pixel; pdftoppm resamples them).
fn poppler(path: &Path, dpi: f32) -> Raster {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page");
    let st = std::process::Command::new("pdftocairo")
        .args(["-png", "-gray", "-singlefile", "-f", "1", "-l", "1", "-r"])
        .arg(format!("{dpi}"))
        .arg(path)
        .arg(&out)
        .status()
        .expect("pdftocairo (poppler-utils)");
    assert!(st.success());
    let img = image::open(out.with_extension("png")).unwrap().to_luma8();
    Raster {
        width: img.width(),
        height: img.height(),
        pixels: img.into_raw(),
    }
}

/// The share of pixels on which two pages agree, ink or paper, thresholded
/// at mid-grey, over the area both cover (sizes may differ by a pixel of
/// rounding).
fn agreement(a: &Raster, b: &Raster) -> f64 {
    assert!(
        a.width.abs_diff(b.width) <= 2 && a.height.abs_diff(b.height) <= 2,
        "{}x{} against {}x{}",
        a.width,
        a.height,
        b.width,
        b.height
    );
    let (w, h) = (a.width.min(b.width), a.height.min(b.height));
    let mut same = 0u64;
    for y in 0..h {
        for x in 0..w {
            same += u64::from((a.get(x, y) < 128) == (b.get(x, y) < 128));
        }
    }
    same as f64 / (w as u64 * h as u64) as f64
}

fn ink(r: &Raster) -> f64 {
    r.pixels.iter().filter(|p| **p < 128).count() as f64 / r.pixels.len() as f64
}

#[test]
fn composed_pages_match_poppler() {
    let mut cases: Vec<PathBuf> = STRUCTURES
        .iter()
        .map(|s| data(&format!("pdf/{s}.pdf")))
        .collect();
    cases.push(shared_pdf("jbig2.pdf"));
    cases.push(shared_pdf("jbig2_baddevicen.pdf"));
    for path in cases {
        let (ours, dpi, composed) = page_image(&path);
        let theirs = poppler(&path, dpi);
        let agree = agreement(&ours, &theirs);
        eprintln!(
            "{}: {}x{} at {dpi} dpi, composed {composed}, ink {:.2}%, agreement with poppler {:.4}%",
            path.file_name().unwrap().to_string_lossy(),
            ours.width,
            ours.height,
            ink(&ours) * 100.0,
            agree * 100.0
        );
        assert!(ink(&ours) > 0.005, "{}: the page has ink", path.display());
        assert!(agree >= 0.99, "{}: {:.4}", path.display(), agree);
    }
}

#[test]
fn every_structure_is_read_as_printed() {
    // A strip or a background alone reads as nothing; the page as printed
    // reads as the notice. The fake engine sees the composed page: its size
    // is the page's, not a strip's.
    for s in STRUCTURES {
        let path = data(&format!("pdf/{s}.pdf"));
        let (ours, dpi, _) = page_image(&path);
        let inches = (ours.width as f32 / dpi, ours.height as f32 / dpi);
        assert!(
            (inches.0 - 8.27).abs() < 0.1 && (inches.1 - 11.69).abs() < 0.1,
            "{s}: an upright A4 page, not {inches:?}"
        );
        let events = util::run(std::slice::from_ref(&path), &Fake::default(), 1);
        assert!(util::failures(&events).is_empty(), "{s}");
        let pages = util::page_texts(&events);
        assert_eq!(pages.len(), 1, "{s}");
        assert_eq!(pages[0].origin, ingest::TextOrigin::Ocr, "{s}");
    }
}

/// `text.pdf` with every font's ToUnicode map removed: the page prints
/// text that no text layer decodes.
fn without_unicode_maps(to: &Path) {
    let mut doc = lopdf::Document::load(data("small/text.pdf")).unwrap();
    for (_, obj) in doc.objects.iter_mut() {
        if let Ok(d) = obj.as_dict_mut() {
            d.remove(b"ToUnicode");
        }
    }
    doc.save(to).unwrap();
}

/// `scan-dct.pdf` with an invisible text layer (render mode 3, as OCR tools
/// leave one) saying something the page does not print.
fn with_invisible_layer(to: &Path) {
    use lopdf::{dictionary, Object, Stream};
    let mut doc = lopdf::Document::load(data("small/scan-dct.pdf")).unwrap();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let layer = doc.add_object(Stream::new(
        dictionary! {},
        b"BT 3 Tr /Fx 12 Tf 72 700 Td (an earlier ocr said this) Tj ET".to_vec(),
    ));
    for (_, id) in doc.get_pages() {
        let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
        let mut contents = match page.get(b"Contents").unwrap().clone() {
            Object::Array(a) => a,
            other => vec![other],
        };
        contents.push(layer.into());
        page.set("Contents", contents);
        // The font goes into the page's own resources.
        let res_id = page.get(b"Resources").unwrap().as_reference().ok();
        let fonts = dictionary! { "Fx" => font };
        match res_id {
            Some(r) => {
                let res = doc.get_object_mut(r).unwrap().as_dict_mut().unwrap();
                res.set("Font", fonts);
            }
            None => {
                let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
                let res = page.get_mut(b"Resources").unwrap().as_dict_mut().unwrap();
                res.set("Font", fonts);
            }
        }
    }
    doc.save(to).unwrap();
}

#[test]
fn text_no_layer_decodes_and_invisible_layers_are_read_from_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    // Fonts without a Unicode map: the text layer is garbage, the page is
    // rendered and OCR'd (the fake engine is called and sees ink).
    let garbled = tmp.path().join("no-tounicode.pdf");
    without_unicode_maps(&garbled);
    let fake = Fake::default();
    let events = util::run(std::slice::from_ref(&garbled), &fake, 1);
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.origin == ingest::TextOrigin::Ocr));
    let rasters = fake.rasters.lock().unwrap();
    for p in &pages {
        let r = &rasters[&p.lines[0].text];
        eprintln!(
            "page {}: {}x{}, ink {:.3}%",
            p.page,
            r.width,
            r.height,
            ink(r) * 100.0
        );
        assert!(
            ink(r) > 0.001,
            "the rendered page has its print: {:.4}%",
            ink(r) * 100.0
        );
    }
    drop(rasters);

    // An invisible layer over a scan: the scan is OCR'd, the layer's words
    // are not the page's text.
    let layered = tmp.path().join("invisible.pdf");
    with_invisible_layer(&layered);
    let fake = Fake::default();
    let events = util::run(&[layered], &fake, 1);
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 2);
    for p in pages {
        assert_eq!(p.origin, ingest::TextOrigin::Ocr);
        assert!(!p.text().contains("earlier ocr"));
        // What the layer claimed is kept as provenance.
        assert!(
            p.replaced_text_layer
                .as_deref()
                .is_some_and(|t| t.contains("an earlier ocr said this")),
            "{:?}",
            p.replaced_text_layer
        );
    }
    assert_eq!(fake.calls.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// A PDF set in a non-embedded Chinese font through a predefined Unicode
/// CMap (UniGB-UCS2-H, no ToUnicode), as reportlab's STSong-Light writes
/// it and many government PDFs are made: the codes are the characters, so
/// the text layer is read, not OCR'd.
#[test]
fn unicode_cmaps_without_tounicode_are_read_from_the_text_layer() {
    let pages = util::read_pages(&data("pdf/ucs2.pdf"));
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].origin, ingest::TextOrigin::TextLayer);
    let text = pages[0].text();
    assert!(
        text.contains("国务院办公厅关于调整国家教材委员会组成人员的通知"),
        "{text}"
    );
}
