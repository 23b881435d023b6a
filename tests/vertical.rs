//! The earliest issues (issue 14): an issue set in vertical columns, right
//! to left, in traditional characters, from scan to a searchable, cited
//! document, through real OCR; and a horizontal page in traditional
//! characters read with the traditional model. Fixtures: `data/vertical`,
//! `data/traditional` (make_fixtures.py).

use crate::util::{self, data, ingested};

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
    // What was found, and why, is recorded with each page.
    for p in &json {
        let l = &p["layout"];
        assert_eq!(l["direction"], "vertical", "{l}");
        assert_eq!(l["script"], "traditional", "{l}");
        let why = l["why"].as_str().unwrap();
        assert!(
            why.contains("columns") && why.contains("traditional forms"),
            "{why}"
        );
    }
}

/// Ingested and served: the document is cut with its fields and cited; a
/// query in simplified characters finds its traditional text.
#[test]
fn a_vertical_traditional_issue_is_searchable_and_cited() {
    let (_tmp, arc) = ingested("vertical");
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
    // The archive keeps each page's layout: the issue lists it.
    let issue = util::get_json(&format!("{base}/api/issues/{}", &id[..id.len() - 3]));
    for p in issue["pages"].as_array().unwrap() {
        assert_eq!(p["layout"]["direction"], "vertical", "{p}");
        assert_eq!(p["layout"]["script"], "traditional", "{p}");
    }
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
    // Recorded: found traditional by the forms read, or given.
    let layout = |args: &[&str]| {
        util::json_lines(&util::stdout_of(args, &data("traditional")))[0]["layout"].clone()
    };
    let found = layout(&["ocr", "--format", "json"]);
    assert_eq!(found["direction"], "horizontal", "{found}");
    assert_eq!(found["script"], "traditional", "{found}");
    assert!(
        found["why"].as_str().unwrap().contains("traditional forms"),
        "{found}"
    );
    let given = layout(&["ocr", "--format", "json", "--script", "simplified"]);
    assert_eq!(given["script"], "simplified", "{given}");
    assert!(given["why"].as_str().unwrap().contains("given"), "{given}");
}

/// Mixed pages (`data/mixed`): a vertical facsimile beside a horizontal
/// article, and a horizontal notice boxed in beside vertical columns. Each
/// region is read in its own direction: the article before its facsimile
/// (the text is the page's own, the facsimile the insert), the columns
/// before the notice (the columns take most of that page). Cut and
/// ingested, the article is one document over both pages, its
/// facsimile's paragraphs anchored on the columns.
#[test]
fn mixed_pages_read_each_region_in_its_own_direction() {
    let out = util::stdout_of(&["ocr"], &data("mixed"));
    let pages: Vec<&str> = out.split('\u{c}').collect();
    for n in 1..=2 {
        let truth = std::fs::read_to_string(data(&format!("mixed/truth/page-{n:03}.txt"))).unwrap();
        let cer = util::cer(&truth, pages[n - 1]);
        assert!(cer < 0.04, "page {n}: CER {cer:.3}\n{}", pages[n - 1]);
    }
    let at = |page: &str, s: &str| page.find(s).unwrap_or_else(|| panic!("{s}: {page}"));
    // Page 1: the article's text, then the facsimile's title (its first
    // column) and text, each column whole.
    assert!(at(pages[0], "洛阳市第七届") < at(pages[0], "海上安全航行"));
    assert!(
        pages[0].contains("凡使用人力、風力、拖力的非機動船"),
        "{}",
        pages[0]
    );
    // Page 2: the columns, then the notice.
    assert!(at(pages[1], "水產資源繁殖保護") < at(pages[1], "公立医院绩效考核"));
    assert!(
        pages[1].contains("国务院办公厅关于加强三级"),
        "{}",
        pages[1]
    );

    let json = util::json_lines(&util::stdout_of(
        &["ocr", "--format", "json"],
        &data("mixed"),
    ));
    for p in &json {
        assert_eq!(p["layout"]["direction"], "mixed", "{}", p["layout"]);
    }
    let width = json[0]["width"].as_u64().unwrap();
    let lines = json[0]["lines"].as_array().unwrap();
    let bbox = |l: &serde_json::Value| -> Vec<u64> {
        l["bbox"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    let columns: Vec<Vec<u64>> = lines
        .iter()
        .filter(|l| l["vertical"] == true)
        .map(bbox)
        .collect();
    assert!(columns.len() >= 5, "{columns:?}");
    assert!(columns.iter().all(|b| b[0] > width * 6 / 10), "{columns:?}");
    assert!(columns.windows(2).all(|w| w[0][0] > w[1][0]), "{columns:?}");

    let (_tmp, arc) = ingested("mixed");
    let (_server, base) = util::serve(&arc);
    let r = util::get_json(&format!("{base}/api/search?q=非机动船"));
    assert_eq!(r["total"], 1, "{r}");
    let id = r["hits"][0]["id"].as_str().unwrap().to_string();
    let d = util::get_json(&format!("{base}/api/documents/{id}"));
    assert_eq!(d["title"], "洛阳市《文物保护法》实施细则");
    assert_eq!(d["start_page"], 21);
    assert_eq!(d["end_page"], 22);
    let text = d["text"].as_str().unwrap();
    assert!(
        text.contains("水產資源") && text.contains("公立医院"),
        "{text}"
    );
    // The facsimile's paragraphs: anchored on page 1, on its columns (the
    // right of the page, taller than wide).
    let para = d["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("凡使用人力"))
        .unwrap_or_else(|| panic!("{}", d["paragraphs"]));
    let a = &para["anchors"][0];
    assert_eq!(a["page"], 1, "{para}");
    let b = bbox(a);
    assert!(b[0] > width * 6 / 10, "{para}");
    assert!(b[3] - b[1] > b[2] - b[0], "{para}");
}
