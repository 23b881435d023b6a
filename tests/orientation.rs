//! Pages scanned sideways or upside down are read upright: the committed
//! clean page, turned by 90, 180 and 270°, reads as its upright twin does
//! (within 1.2× its character error rate, and never worse than 1%), its
//! layout records the turn that set it upright, and every line's box is in
//! the turned image as it is, at the place of the same line on the twin.

use crate::util::{cer, data};
use ingest::page::{BBox, PageText};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, Tesseract};

fn read(path: &std::path::Path) -> Vec<PageText> {
    let engine = Tesseract::new("chi_sim").expect("tesseract with chi_sim is installed");
    let (issues, _) = source::discover(&[path.to_path_buf()]);
    let opts = Options {
        jobs: 1,
        ..Options::default()
    };
    let mut pages = Vec::new();
    pipeline::run(&issues, &engine, &opts, |e| match e {
        Event::Issue(i) => {
            for p in i.pages {
                pages.push(p.read.unwrap_or_else(|f| panic!("{f}")));
            }
        }
        Event::Unreadable(f) => panic!("{f}"),
        _ => {}
    })
    .unwrap();
    pages
}

/// A box of the upright page (`w` × `h`) where it lands when the page is
/// turned `ccw` degrees counter-clockwise (as it was scanned).
fn turned_box(b: BBox, ccw: u32, w: u32, h: u32) -> BBox {
    let [x0, y0, x1, y1] = b.0;
    match ccw {
        90 => BBox([y0, w - x1, y1, w - x0]),
        180 => BBox([w - x1, h - y1, w - x0, h - y0]),
        270 => BBox([h - y1, x0, h - y0, x1]),
        _ => b,
    }
}

#[test]
fn a_page_scanned_turned_reads_like_its_upright_twin() {
    let upright = read(&data("clean-page.png"));
    assert_eq!(upright.len(), 1);
    let twin = &upright[0];
    let truth = std::fs::read_to_string(data("clean-page.expected.txt")).unwrap();
    let twin_cer = cer(&truth, &twin.text());
    assert!(twin.layout.as_ref().is_none_or(|l| l.turned == 0));
    let img = image::open(data("clean-page.png")).unwrap().to_luma8();
    let (w, h) = img.dimensions();
    let dir = tempfile::tempdir().unwrap();
    for ccw in [90u32, 180, 270] {
        // Turned counter-clockwise as a scanner would leave it; as many
        // degrees clockwise set it upright.
        let turned = match ccw {
            90 => image::imageops::rotate270(&img),
            180 => image::imageops::rotate180(&img),
            _ => image::imageops::rotate90(&img),
        };
        let path = dir.path().join(format!("turned-{ccw}.png"));
        turned.save(&path).unwrap();
        let pages = read(&path);
        assert_eq!(pages.len(), 1, "{ccw}: one page, not cut as a spread");
        let p = &pages[0];
        let text = p.text();
        let rate = cer(&truth, &text);
        assert!(
            rate <= (twin_cer * 1.2).max(0.01),
            "{ccw}: cer {:.2}% against {:.2}% upright:\n{text}",
            rate * 100.0,
            twin_cer * 100.0
        );
        assert_eq!(p.verdict, ingest::Verdict::Ok, "{ccw}");
        let layout = p.layout.as_ref().expect("a layout");
        assert_eq!(u32::from(layout.turned), ccw, "{ccw}: {}", layout.why);
        assert!(layout.why.contains("turned"), "{}", layout.why);
        // Boxes in the turned image: each line read alike on both lands
        // where the twin's line does once turned (a few pixels apart).
        let mut matched = 0;
        for l in &p.lines {
            let Some(u) = twin.lines.iter().find(|u| u.text == l.text) else {
                continue;
            };
            let want = turned_box(u.bbox, ccw, w, h);
            let off = want
                .0
                .iter()
                .zip(l.bbox.0)
                .map(|(a, b)| a.abs_diff(b))
                .max()
                .unwrap();
            assert!(
                off <= 40,
                "{ccw}: {} at {:?}, want {:?}",
                l.text,
                l.bbox,
                want
            );
            matched += 1;
        }
        assert!(
            matched * 2 >= twin.lines.len(),
            "{ccw}: {matched} lines matched"
        );
    }
}

/// The clean page with a blank band across its middle (two blocks of
/// print, as a notice and its signature, or two paragraphs far apart),
/// upright: higher than wide, as a page stands.
fn two_blocks(img: &image::GrayImage) -> image::GrayImage {
    use image::GenericImageView;
    let (w, h) = img.dimensions();
    // The white row nearest the middle: the band goes in between lines.
    let white = |y: u32| (0..w).all(|x| img.get_pixel(x, y).0[0] > 200);
    let at = (0..h / 2)
        .flat_map(|d| [h / 2 + d, h / 2 - d])
        .find(|&y| white(y))
        .expect("a white row between lines");
    let band = w / 4;
    let mut out = image::GrayImage::from_pixel(w, h + band, image::Luma([255]));
    image::imageops::replace(&mut out, &img.view(0, 0, w, at).to_image(), 0, 0);
    let rest = img.view(0, at, w, h - at).to_image();
    image::imageops::replace(&mut out, &rest, 0, i64::from(at + band));
    out
}

/// A page set sideways is wider than high, like a book spread; two blocks
/// of print then stand side by side with a gap like a spine between them.
/// It is turned upright before it is looked at as a spread, so it reads as
/// one page, not as two halves each read sideways.
#[test]
fn a_sideways_page_of_two_blocks_is_not_cut_as_a_spread() {
    let img = image::open(data("clean-page.png")).unwrap().to_luma8();
    let page = two_blocks(&img);
    assert!(page.dimensions().1 > page.dimensions().0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-blocks.png");
    page.save(&path).unwrap();
    let twin = read(&path);
    assert_eq!(twin.len(), 1);
    let truth = std::fs::read_to_string(data("clean-page.expected.txt")).unwrap();
    let twin_cer = cer(&truth, &twin[0].text());
    for ccw in [90u32, 270] {
        let turned = match ccw {
            90 => image::imageops::rotate270(&page),
            _ => image::imageops::rotate90(&page),
        };
        assert!(turned.dimensions().0 > turned.dimensions().1);
        let path = dir.path().join(format!("two-blocks-{ccw}.png"));
        turned.save(&path).unwrap();
        let pages = read(&path);
        assert_eq!(pages.len(), 1, "{ccw}: one page, not cut as a spread");
        let p = &pages[0];
        assert_eq!((p.width, p.height), turned.dimensions(), "{ccw}");
        let layout = p.layout.as_ref().expect("a layout");
        assert_eq!(u32::from(layout.turned), ccw, "{ccw}: {}", layout.why);
        let rate = cer(&truth, &p.text());
        assert!(
            rate <= (twin_cer * 1.2).max(0.01),
            "{ccw}: cer {:.2}% against {:.2}% upright:\n{}",
            rate * 100.0,
            twin_cer * 100.0,
            p.text()
        );
        // Every box within the turned image.
        let (tw, th) = turned.dimensions();
        for l in &p.lines {
            assert!(l.bbox.0[2] <= tw && l.bbox.0[3] <= th, "{:?}", l.bbox);
        }
    }
}
