//! Every input format decodes to the right pixels: lossless formats match
//! the PNG exactly, the three CCITT G4 containers match each other and the
//! thresholded PNG, JPEG is close, and the born-digital PDF's text layer is
//! the printed text.

use crate::util::{self, data, Fake};
use ingest::{Raster, TextOrigin};

/// The rasters the engine saw, in page order, with each page's dpi.
fn rasters(path: &str) -> Vec<(Raster, Option<f32>)> {
    let fake = Fake::default();
    let events = util::run(&[data(path)], &fake, 2);
    assert!(
        util::failures(&events).is_empty(),
        "{path}: {:?}",
        util::failures(&events)
    );
    let map = fake.rasters.lock().unwrap();
    util::page_texts(&events)
        .into_iter()
        .map(|p| (map[&p.lines[0].text].clone(), p.dpi))
        .collect()
}

fn png() -> Vec<(Raster, Option<f32>)> {
    rasters("small/png")
}

#[test]
fn lossless_formats_match_png_exactly() {
    let reference = png();
    assert_eq!(reference.len(), 2);
    assert_eq!((reference[0].0.width, reference[0].0.height), (1240, 1753));
    for f in [
        "small/multi-lzw.tif",
        "small/multi-deflate.tif",
        "small/multi-packbits.tif",
        "small/scan-flate.pdf",
    ] {
        let got = rasters(f);
        assert_eq!(got.len(), 2, "{f}");
        for (i, ((a, _), (b, dpi))) in reference.iter().zip(&got).enumerate() {
            assert!(a == b, "{f} page {} differs from the png", i + 1);
            let dpi = dpi.unwrap_or(0.0);
            assert!((dpi - 150.0).abs() < 1.0, "{f}: dpi {dpi}");
        }
    }
}

#[test]
fn uncompressed_tiff_matches_png() {
    let reference = png();
    let got = rasters("small/multi-raw.tif");
    assert_eq!(got.len(), 2);
    for ((full, _), (crop, _)) in reference.iter().zip(&got) {
        assert_eq!((crop.width, crop.height), (600, 400));
        assert!(*crop == full.crop(0, 0, 600, 400));
    }
}

#[test]
fn g4_in_every_container_is_the_thresholded_page() {
    let reference: Vec<Raster> = png()
        .into_iter()
        .map(|(mut r, _)| {
            // The renderer made its bitonal pages with this threshold.
            r.pixels
                .iter_mut()
                .for_each(|p| *p = if *p > 150 { 255 } else { 0 });
            r
        })
        .collect();
    for f in ["small/g4", "small/multi-g4.tif", "small/scan-ccitt.pdf"] {
        let got = rasters(f);
        assert_eq!(got.len(), 2, "{f}");
        for (i, (a, (b, _))) in reference.iter().zip(&got).enumerate() {
            assert!(
                *a == *b,
                "{f} page {} differs (polarity or decoding)",
                i + 1
            );
        }
    }
}

fn mean_abs_diff(a: &Raster, b: &Raster) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    a.pixels
        .iter()
        .zip(&b.pixels)
        .map(|(x, y)| (*x as f64 - *y as f64).abs())
        .sum::<f64>()
        / a.pixels.len() as f64
}

#[test]
fn jpeg_pages_are_close_to_png() {
    let reference = png();
    for f in ["small/jpeg", "small/scan-dct.pdf"] {
        let got = rasters(f);
        assert_eq!(got.len(), 2, "{f}");
        for ((a, _), (b, dpi)) in reference.iter().zip(&got) {
            let d = mean_abs_diff(a, b);
            assert!(d < 4.0, "{f}: mean difference {d}");
            assert!((dpi.unwrap_or(0.0) - 150.0).abs() < 1.0, "{f}: dpi {dpi:?}");
        }
    }
}

#[test]
fn born_digital_pdf_uses_its_text_layer() {
    let fake = Fake::default();
    let events = util::run(&[data("small/text.pdf")], &fake, 2);
    assert_eq!(
        fake.calls.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no page needed ocr"
    );
    let pages = util::page_texts(&events);
    assert_eq!(pages.len(), 2);
    for p in pages {
        assert_eq!(p.origin, TextOrigin::TextLayer);
        let truth =
            std::fs::read_to_string(data(&format!("small/truth/page-{:03}.txt", p.page))).unwrap();
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let want: Vec<String> = truth
            .lines()
            .map(squash)
            .filter(|l| !l.is_empty())
            .collect();
        let got: Vec<String> = p.lines.iter().map(|l| squash(&l.text)).collect();
        assert_eq!(got, want, "page {}", p.page);
        let mut last_top = 0;
        for l in &p.lines {
            assert!(
                l.bbox.x1() <= p.width && l.bbox.y1() <= p.height,
                "{l:?} outside the page"
            );
            assert!(l.bbox.y0() >= last_top, "lines out of order: {l:?}");
            assert!(
                l.bbox.height() > 20 && l.bbox.height() < 150,
                "implausible line height: {l:?}"
            );
            last_top = l.bbox.y0();
        }
    }
}

/// A JPEG with an EXIF APP1 segment saying `orientation` (1–8).
fn jpeg_with_orientation(img: &image::GrayImage, orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(img)
        .unwrap();
    // TIFF header (little endian), one IFD entry: 0x0112 SHORT 1 value.
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[test]
fn camera_orientation_alpha_and_sixteen_bits_read_right() {
    // A 40×20 landscape image, dark on its left half, stored with EXIF
    // orientation 6 (rotate 90° clockwise to view): upright it is 20×40,
    // dark on its top half.
    let mut img = image::GrayImage::from_pixel(40, 20, image::Luma([255]));
    for y in 0..20 {
        for x in 0..20 {
            img.put_pixel(x, y, image::Luma([0]));
        }
    }
    let page = ingest::raster::decode(&jpeg_with_orientation(&img, 6), 0).unwrap();
    assert_eq!((page.raster.width, page.raster.height), (20, 40));
    assert!(page.raster.get(10, 5) < 60 && page.raster.get(10, 35) > 200);

    // Transparent pixels are paper, whatever colour they store.
    let mut rgba = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
    rgba.put_pixel(3, 3, image::Rgba([0, 0, 0, 255]));
    let mut png = Vec::new();
    rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let page = ingest::raster::decode(&png, 0).unwrap();
    assert_eq!(page.raster.get(0, 0), 255);
    assert_eq!(page.raster.get(3, 3), 0);

    // 16-bit grey keeps its level.
    let deep =
        image::ImageBuffer::<image::Luma<u16>, _>::from_pixel(8, 8, image::Luma([0x8000u16]));
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma16(deep)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let page = ingest::raster::decode(&png, 0).unwrap();
    assert_eq!(page.raster.get(4, 4), 128);
}
