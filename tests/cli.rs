//! The `gazette ocr` command as a user runs it: text and JSON output, and a
//! batch with broken files that completes, names them and exits non-zero.

use crate::util::{data, gazette, json_lines, stdout_of};

#[test]
fn text_output_has_every_page_and_form_feeds() {
    let text = stdout_of(&["ocr", "--jobs", "2"], &data("small/png"));
    let pages: Vec<&str> = text.split("\x0c\n").collect();
    assert_eq!(
        pages.len(),
        3,
        "two pages, each followed by a form feed line: {text:?}"
    );
    assert!(pages[2].is_empty());
    assert!(pages[0].starts_with("云南省人民政府公报"), "{}", pages[0]);
    assert!(pages[1].contains("2019年部分节假日安排"), "{}", pages[1]);
    assert!(
        pages[1].lines().last().is_some_and(|l| l == "— 2 —"),
        "{}",
        pages[1]
    );
}

#[test]
fn json_output_has_lines_with_boxes() {
    let pages = json_lines(&stdout_of(
        &["ocr", "--format", "json"],
        &data("small/text.pdf"),
    ));
    assert_eq!(pages.len(), 2);
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["page"], i + 1);
        assert!(p["source"].as_str().unwrap().ends_with("text.pdf"));
        let (w, h) = (p["width"].as_u64().unwrap(), p["height"].as_u64().unwrap());
        assert!(
            w.abs_diff(2480) <= 2 && h.abs_diff(3507) <= 2,
            "a4 at 300 dpi: {w}x{h}"
        );
        let lines = p["lines"].as_array().unwrap();
        assert!(!lines.is_empty());
        for l in lines {
            let b: Vec<u64> = l["bbox"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            assert!(b[0] < b[2] && b[1] < b[3] && b[2] <= w && b[3] <= h, "{l}");
            assert!(l["text"].as_str().is_some_and(|t| !t.is_empty()));
            assert!((0.0..=1.0).contains(&l["confidence"].as_f64().unwrap()));
        }
    }
}

#[test]
fn broken_files_are_summarised_and_exit_non_zero() {
    let tmp = tempfile::tempdir().unwrap();
    crate::bad_input::bad_batch(tmp.path());
    let out = gazette().arg("ocr").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for name in [
        "page-1-empty.png",
        "page-2-cut.png",
        "page-3-huge.png",
        "page-4-text.tif",
        "truncated.pdf",
        "loop.pdf",
        "jbig2.pdf: page 1",
    ] {
        assert!(err.contains(name), "{name} not named in:\n{err}");
    }
    assert!(err.contains("5 failed; 7 failures in all"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("国办发明电〔2018〕15号"),
        "the good pdf is still read"
    );
}

#[test]
fn missing_language_is_one_clear_error() {
    let out = gazette()
        .args(["ocr", "--lang", "xx_nope"])
        .arg(data("small/text.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot load tesseract language 'xx_nope'"),
        "{err}"
    );
}
