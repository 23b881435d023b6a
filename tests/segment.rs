//! Cutting issues into documents: the born-digital fixture issue (exact
//! text, no OCR) segmented and checked field by field against the
//! renderer's manifest, and the `gazette segment` command's output.

use crate::util::{self, data};
use ingest::segment::{segment, Hints};
use sha2::{Digest, Sha256};

fn manifest() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data("small/manifest.json")).unwrap()).unwrap()
}

#[test]
fn born_digital_issue_matches_its_manifest() {
    let pages = util::read_pages(&data("small/text.pdf"));
    let (id, docs) = segment(&pages.iter().collect::<Vec<_>>(), &Hints::default());
    let m = manifest();
    assert_eq!(id.gazette, m["gazette"]);
    assert_eq!(id.year as u64, m["year"].as_u64().unwrap());
    assert_eq!(id.issue as u64, m["issue"].as_u64().unwrap());
    let want = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), want.len());
    for (doc, w) in docs.iter().zip(want) {
        let d = &doc.fields;
        let s = |k: &str| w[k].as_str().unwrap_or("").to_string();
        assert_eq!(d.title, s("title"));
        assert_eq!(d.doc_number, s("doc_number"));
        assert_eq!(d.issuer, s("issuer"));
        assert_eq!(d.date, s("date"));
        assert_eq!(d.attribute, s("attribute"));
        assert_eq!(d.start_page as u64, w["start_page"].as_u64().unwrap());
        assert_eq!(d.end_page as u64, w["end_page"].as_u64().unwrap());
        let squash = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(squash(&d.text), squash(&s("text")));
        assert_eq!(
            d.text.lines().count(),
            s("text").lines().count(),
            "one paragraph per printed paragraph"
        );
        let hash: String = Sha256::digest(d.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(d.sha256, hash);
        assert_eq!(d.doc_type, "通知");
        assert_eq!(d.date_iso, "2018-12-04");
        assert_eq!(d.doc_number_normalised, "国办发明电〔2018〕15号");
        assert_eq!(d.citation, "《云南省人民政府公报》2017年第5期第2页");
        // Every paragraph is anchored to lines of the pages it spans.
        assert_eq!(doc.paragraphs.len(), d.text.lines().count());
        for p in &doc.paragraphs {
            assert!(!p.anchors.is_empty());
            assert!(p
                .anchors
                .iter()
                .all(|a| a.printed_page >= d.start_page && a.printed_page <= d.end_page));
        }
    }
}

#[test]
fn segment_command_prints_one_object_per_document() {
    let docs = util::json_lines(&util::stdout_of(&["segment"], &data("small/text.pdf")));
    assert_eq!(docs.len(), 1);
    let keys = [
        "gazette",
        "year",
        "issue",
        "title",
        "doc_number",
        "doc_number_normalised",
        "issuer",
        "date",
        "date_iso",
        "attribute",
        "type",
        "start_page",
        "end_page",
        "text",
        "citation",
        "sha256",
    ];
    let obj = docs[0].as_object().unwrap();
    for k in keys {
        assert!(obj.contains_key(k), "missing {k}");
    }
    assert_eq!(obj.len(), keys.len());
    assert_eq!(docs[0]["doc_number"], "国办发明电〔2018〕15号");
}

/// Segments the born-digital issue of every corpus document.
fn corpus_issue() -> (Vec<ingest::Document>, serde_json::Value) {
    let pages = util::read_pages(&data("corpus-issue/issue.pdf"));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("corpus-issue/manifest.json")).unwrap())
            .unwrap();
    (
        segment(&pages.iter().collect::<Vec<_>>(), &Hints::default()).1,
        m,
    )
}

#[test]
fn every_corpus_document_is_found_with_its_metadata_and_text() {
    let (docs, m) = corpus_issue();
    let want = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), want.len());
    for (doc, w) in docs.iter().zip(want) {
        let d = &doc.fields;
        let s = |k: &str| w[k].as_str().unwrap_or("").to_string();
        assert_eq!(
            (
                d.title.as_str(),
                d.doc_number.as_str(),
                d.issuer.as_str(),
                d.date.as_str(),
                d.attribute.as_str()
            ),
            (
                s("title").as_str(),
                s("doc_number").as_str(),
                s("issuer").as_str(),
                s("date").as_str(),
                s("attribute").as_str()
            )
        );
        assert_eq!(
            (d.start_page as u64, d.end_page as u64),
            (
                w["start_page"].as_u64().unwrap(),
                w["end_page"].as_u64().unwrap()
            )
        );
        // The renderer's font lacks a few characters (〇): the PDF prints
        // its .notdef box there, which reads back as U+FFFD.
        let squash = |t: &str| t.split_whitespace().collect::<String>();
        let (got, want) = (squash(&d.text), squash(&s("text")));
        assert_eq!(got.chars().count(), want.chars().count(), "{}", d.title);
        for (g, w) in got.chars().zip(want.chars()) {
            assert!(g == w || g == '\u{FFFD}', "{}: {g} for {w}", d.title);
        }
    }
}

#[test]
fn page_spans_are_ordered_and_cover_the_body_and_lines_are_used_once() {
    let (docs, m) = corpus_issue();
    let fields: Vec<&ingest::model::Fields> = docs.iter().map(|d| &d.fields).collect();
    for pair in fields.windows(2) {
        assert!(pair[0].start_page <= pair[0].end_page);
        // Documents may share a page, never overlap beyond it.
        assert!(
            pair[1].start_page >= pair[0].end_page,
            "{} then {}",
            pair[0].title,
            pair[1].title
        );
    }
    // The body pages (all but the contents page) are covered.
    let last = m["pages"].as_array().unwrap().last().unwrap()["printed_number"]
        .as_u64()
        .unwrap() as u32;
    for page in 2..=last {
        assert!(
            fields
                .iter()
                .any(|d| d.start_page <= page && page <= d.end_page),
            "page {page} uncovered"
        );
    }
    // No printed line belongs to two paragraphs.
    let mut seen = std::collections::HashSet::new();
    for d in &docs {
        for p in &d.paragraphs {
            for a in &p.anchors {
                assert!(seen.insert((a.page, a.bbox.0)), "line {:?} used twice", a);
            }
        }
    }
}

#[test]
fn golden_output() {
    let out = util::stdout_of(&["segment"], &data("corpus-issue/issue.pdf"));
    let golden = data("corpus-issue/issue.expected.jsonl");
    if std::env::var_os("GAZETTE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(
        out, want,
        "segment output changed; check it, then GAZETTE_UPDATE_GOLDEN=1"
    );
}
