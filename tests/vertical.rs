//! The earliest issues (issue 14): an issue set in vertical columns, right
//! to left, in traditional characters, from scan to a searchable, cited
//! document, through real OCR; and a horizontal page in traditional
//! characters read with the traditional model. Fixtures: `data/vertical`,
//! `data/traditional` (make_fixtures.py).

use crate::util::{self, data};

fn truth(page: usize) -> String {
    std::fs::read_to_string(data(&format!("vertical/truth/page-{page:03}.txt"))).unwrap()
}

/// Each page reads in column order, right to left, as printed (traditional
/// characters kept), its vertical punctuation in horizontal form.
#[test]
fn vertical_traditional_pages_read_in_column_order() {
    let out = util::stdout_of(&["ocr"], &data("vertical"));
    let pages: Vec<&str> = out.split('\u{c}').collect();
    for n in 1..=2 {
        let got = pages[n - 1];
        let cer = util::cer(&truth(n), got);
        // Strict: the truth's ASCII (一) against the full-width （一） the
        // text fixes write counts (about 2 points of it).
        assert!(cer < 0.05, "page {n}: CER {cer:.3}\n{got}");
        // Not read across the columns as horizontal rows: the first
        // column is the title on page 1, and the text is traditional.
        assert!(
            !got.contains('︒') && !got.contains('﹁'),
            "vertical forms kept: {got}"
        );
    }
    assert!(
        pages[0].contains("治安保衛委員會暫行組織條例"),
        "{}",
        pages[0]
    );
    // Each column is one line with the column's box (taller than wide),
    // marked vertical.
    let json = util::json_lines(&util::stdout_of(
        &["ocr", "--format", "json"],
        &data("vertical"),
    ));
    let lines = json[0]["lines"].as_array().unwrap();
    let columns: Vec<&serde_json::Value> = lines.iter().filter(|l| l["vertical"] == true).collect();
    assert!(columns.len() > 10, "{}", columns.len());
    for c in &columns {
        let b: Vec<u64> = c["bbox"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert!(
            b[3] - b[1] > b[2] - b[0],
            "a column is taller than wide: {c}"
        );
    }
    // Right to left.
    let x0: Vec<u64> = columns
        .iter()
        .map(|c| c["bbox"][0].as_u64().unwrap())
        .collect();
    assert!(x0.windows(2).all(|w| w[0] > w[1]), "{x0:?}");
    // The running head above the columns stays a horizontal row.
    assert!(lines[0]["vertical"].is_null(), "{}", lines[0]);
}

/// Ingested and served: the document is cut with its fields and cited; a
/// query in simplified characters finds its traditional text.
#[test]
fn a_vertical_traditional_issue_is_searchable_and_cited() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("archive");
    let out = util::gazette()
        .args(["ingest", "--code", "ynzb", "--archive"])
        .arg(&arc)
        .arg(data("vertical"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("vertical/manifest.json")).unwrap())
            .unwrap();
    let want = &m["documents"][0];
    let (_server, base) = util::serve(&arc);
    // Simplified query, traditional text; a 4-character phrase and a longer one.
    for q in ["协助人民政府", "治安保卫", "镇压反革命"] {
        let r = util::get_json(&format!("{base}/api/search?q={q}"));
        assert_eq!(r["total"], 1, "{q}: {r}");
        assert_eq!(r["hits"][0]["title"], want["title"], "{q}");
    }
    let r = util::get_json(&format!("{base}/api/search?q=协助人民政府"));
    let id = r["hits"][0]["id"].as_str().unwrap().to_string();
    let d = util::get_json(&format!("{base}/api/documents/{id}"));
    assert_eq!(d["title"], want["title"]);
    assert_eq!(d["issuer"], want["issuer"]);
    assert_eq!(d["date_iso"], "1952-08-11");
    assert_eq!(d["start_page"], 11);
    assert_eq!(d["end_page"], 12);
    assert_eq!(d["citation"], "《雲南政報》1952年第3期第11—12页");
    // The standard text as printed, traditional.
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("協助人民政府"), "{text}");
    let cer = util::cer(want["text"].as_str().unwrap(), text);
    assert!(cer < 0.05, "document text CER {cer:.3}");
    // The web page says the text is shown horizontally.
    let page = util::get_text(&format!("{base}/documents/{id}"));
    assert!(page.contains("id=\"vertical-note\""), "{page}");
    // The page's ALTO tags its columns.
    let alto = util::get_text(&format!(
        "{base}/api/pages/{}-p01/alto",
        &id[..id.len() - 3]
    ));
    assert!(alto.contains("TAGREFS=\"vertical-rl\""), "{alto}");
    // ... and keeps their punctuation as printed, where the text has the
    // horizontal forms.
    let columns: Vec<&str> = alto
        .lines()
        .filter(|l| l.contains("TAGREFS=\"vertical-rl\""))
        .collect();
    assert!(text.contains('。'), "{text}");
    assert!(columns.iter().any(|l| l.contains('︒')), "{alto}");
    assert!(!columns.iter().any(|l| l.contains('。')), "{alto}");
}

/// A horizontal page printed in traditional characters is found so (by the
/// forms the second recogniser reads) and read with the traditional model:
/// forced to read it as simplified, the same page comes out far worse.
#[test]
fn a_horizontal_traditional_page_is_read_with_the_traditional_model() {
    let truth = std::fs::read_to_string(data("traditional/truth/page-001.txt")).unwrap();
    let auto = util::stdout_of(&["ocr"], &data("traditional"));
    let cer = util::cer(&truth, &auto);
    assert!(cer < 0.02, "CER {cer:.3}\n{auto}");
    assert!(auto.contains("國務院"), "{auto}");
    let forced = util::stdout_of(&["ocr", "--script", "simplified"], &data("traditional"));
    let cer_forced = util::cer(&truth, &forced);
    assert!(
        cer_forced > 2.0 * cer + 0.02,
        "read as simplified {cer_forced:.3}, found traditional {cer:.3}"
    );
}
