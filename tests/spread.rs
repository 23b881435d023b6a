//! Book spreads (issue 12): an issue scanned as a bound volume lies open,
//! two facing pages to an image, the first beside a blank facing page. Each
//! image is cut at its spine into two pages, each read, numbered and served
//! on its own (IIIF serves the page's part of the image, kept once, whole).
//! Fixture: `data/spread` (make_fixtures.py), through real OCR.

use crate::util::{self, data, ingested};

fn manifest() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data("spread/manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_spread_issue_is_cut_into_its_pages_and_its_documents_found() {
    let (_tmp, arc) = ingested("spread");
    let m = manifest();
    let (_server, base) = util::serve(&arc);
    let issues = util::get_json(&format!("{base}/api/issues"));
    let id = issues["issues"][0]["id"].as_str().unwrap().to_string();
    let issue = util::get_json(&format!("{base}/api/issues/{id}"));
    let pages = issue["pages"].as_array().unwrap();
    // Two images, four pages: a blank facing page, 1 | 2, 3.
    assert_eq!(pages.len(), 4, "{issue}");
    let printed: Vec<u64> = pages
        .iter()
        .map(|p| p["printed"].as_u64().unwrap())
        .collect();
    assert_eq!(printed, [0, 1, 2, 3], "{issue}");
    assert_eq!(pages[0]["verdict"], "blank", "{issue}");
    for p in &pages[1..] {
        assert_eq!(p["verdict"], "ok", "{p}");
    }
    // Each page is its half of the image.
    let (w0, h0) = image::image_dimensions(data("spread/page-001.jpg")).unwrap();
    for (i, p) in pages.iter().enumerate() {
        let r: Vec<u64> = p["region"]
            .as_array()
            .unwrap_or_else(|| panic!("{p}"))
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let left = i % 2 == 0;
        assert_eq!(r[0] == 0, left, "{p}");
        assert!(r[2].abs_diff(u64::from(w0) / 2) < u64::from(w0) / 20, "{p}");
        assert_eq!(r[3], u64::from(h0), "{p}");
        assert_eq!(p["width"], r[2], "{p}");
    }
    // Every document, with its pages as printed.
    let docs = issue["documents"].as_array().unwrap();
    let want = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), want.len(), "{issue}");
    for (d, w) in docs.iter().zip(want) {
        let (got, title) = (d["title"].as_str().unwrap(), w["title"].as_str().unwrap());
        assert!(
            got.chars().take(8).eq(title.chars().take(8)),
            "{got} / {title}"
        );
        assert_eq!(d["start_page"], w["start_page"], "{d}");
        assert_eq!(d["end_page"], w["end_page"], "{d}");
    }
    // The document across the second spread's two pages is cited so.
    let last = &docs[docs.len() - 1];
    let doc = util::get_json(&format!(
        "{base}/api/documents/{}",
        last["id"].as_str().unwrap()
    ));
    assert!(
        doc["citation"].as_str().unwrap().ends_with("第2—3页"),
        "{doc}"
    );
}

#[test]
fn iiif_serves_each_page_of_a_spread_as_its_own_image() {
    let (_tmp, arc) = ingested("spread");
    let (_server, base) = util::serve(&arc);
    let issues = util::get_json(&format!("{base}/api/issues"));
    let id = issues["issues"][0]["id"].as_str().unwrap().to_string();
    let issue = util::get_json(&format!("{base}/api/issues/{id}"));
    let source = image::open(data("spread/page-002.jpg")).unwrap().to_luma8();
    // Pages 2 and 3 (positions 3 and 4) are the second image's halves.
    for p in &issue["pages"].as_array().unwrap()[2..] {
        let pid = p["id"].as_str().unwrap();
        let info = util::get_json(&format!("{base}/iiif/{pid}/info.json"));
        assert_eq!(info["width"], p["width"], "{info}");
        assert_eq!(info["height"], p["height"], "{info}");
        let bytes = util::get_bytes(&format!("{base}/iiif/{pid}/full/max/0/default.png"));
        let got = image::load_from_memory(&bytes).unwrap().to_luma8();
        let r: Vec<u32> = p["region"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        assert_eq!((got.width(), got.height()), (r[2], r[3]));
        // The served pixels are the source's, in the page's part.
        let want = image::imageops::crop_imm(&source, r[0], r[1], r[2], r[3]).to_image();
        let diff: u64 = got
            .pixels()
            .zip(want.pixels())
            .map(|(a, b)| u64::from(a.0[0].abs_diff(b.0[0])))
            .sum();
        let mean = diff as f64 / f64::from(r[2] * r[3]);
        assert!(mean < 1.0, "{pid}: mean difference {mean:.2}");
    }
}

#[test]
fn a_ruled_table_by_the_spine_is_kept_and_its_cells_marked() {
    // The second spread's left page holds a ruled table whose right rule
    // stands in the inner margin, by the spine: it must not be painted out
    // with the spine's shadow, and OCR must find the grid and mark the lines
    // inside it as a table's (its header row, 刑法条文 罪名, is set large
    // and centred in its cells: without the mark segmentation may take it
    // for a title).
    let out = util::stdout_of(&["ocr", "--format", "json"], &data("spread/page-002.jpg"));
    let pages = util::json_lines(&out);
    assert_eq!(pages.len(), 2, "{out}");
    let lines: Vec<(&str, bool)> = pages
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap())
        .map(|l| {
            (
                l["text"].as_str().unwrap(),
                l["in_table"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let marked = |pick: &dyn Fn(&str) -> bool| {
        lines
            .iter()
            .filter(|(t, _)| pick(t))
            .map(|&(_, m)| m)
            .collect::<Vec<_>>()
    };
    assert_eq!(marked(&|t| t.starts_with("刑法条文")), [true], "{lines:?}");
    // Rows of the table (第151条第3款（《刑法修正案（七）》第1条）…), on
    // both pages.
    let rows = marked(&|t| t.starts_with('第') && t.contains("刑法修正案"));
    assert!(rows.len() >= 10 && rows.iter().all(|&m| m), "{lines:?}");
    // The prose above it is not (根据《中华人民共和国刑法修正案（七）》…,
    // 现对最高人民法院…), nor the title.
    let prose =
        marked(&|t| t.starts_with("根据") || t.starts_with("现对") || t.contains("规定（四）"));
    assert!(prose.len() >= 2 && prose.iter().all(|&m| !m), "{lines:?}");
    let unmarked = lines.iter().filter(|(_, m)| !m).count();
    assert!(unmarked > 20, "{lines:?}");
}
