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
    // Printed when there is something to say.
    let optional = ["issuers", "field_sources", "review"];
    let obj = docs[0].as_object().unwrap();
    for k in keys {
        assert!(obj.contains_key(k), "missing {k}");
    }
    for k in obj.keys() {
        assert!(
            keys.contains(&k.as_str()) || optional.contains(&k.as_str()),
            "unexpected {k}"
        );
    }
    assert_eq!(docs[0]["doc_number"], "国办发明电〔2018〕15号");
    // Where the 文号 was read: a line box on the page.
    let src = docs[0]["field_sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["field"] == "doc_number")
        .expect("the 文号's source");
    assert_eq!(src["page"], 2);
    assert_eq!(src["bbox"].as_array().unwrap().len(), 4);
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

/// The ISO form of a date as the corpus writes it (1996年11月5日).
fn iso(date: &str) -> String {
    let (y, rest) = date.split_once('年').unwrap();
    let (m, rest) = rest.split_once('月').unwrap();
    let d = rest.trim_end_matches('日');
    format!(
        "{y}-{:02}-{:02}",
        m.parse::<u32>().unwrap(),
        d.parse::<u32>().unwrap()
    )
}

/// Documents as issued (GB/T 9704), the shape of a real joint notice: a
/// red 版头 of two issuers, the 文号 printed above the title, the joint
/// signature under seals, and no gazette running head. Every field is
/// found with where it was read, each issuer on its own, and no citation
/// is made from the identity the pages do not give.
#[test]
fn documents_as_issued_with_joint_issuers_and_no_identity() {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("redhead/manifest.json")).unwrap())
            .unwrap();
    let docs = util::json_lines(&util::stdout_of(&["segment"], &data("redhead/notices.pdf")));
    let want = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), want.len());
    for (d, w) in docs.iter().zip(want) {
        let t = w["title"].as_str().unwrap();
        assert_eq!(d["title"], w["title"]);
        assert_eq!(
            d["doc_number"],
            w.get("doc_number").cloned().unwrap_or("".into()),
            "{t}"
        );
        assert_eq!(d["issuer"], w["issuer"], "{t}");
        let each: Vec<&str> = w["issuer"].as_str().unwrap().split('\u{3000}').collect();
        assert_eq!(each.len(), 2, "a joint document: {t}");
        assert_eq!(d["issuers"], serde_json::json!(each), "{t}");
        assert_eq!(d["date_iso"], iso(w["date"].as_str().unwrap()), "{t}");
        assert_eq!(d["start_page"], w["start_page"], "{t}");
        assert_eq!(d["end_page"], w["end_page"], "{t}");
        assert_eq!(d["citation"], "", "no identity, no citation: {t}");
        assert!(d.get("review").is_none(), "nothing refused: {t}");
        // Where the issuers and the date were read: on the document's
        // last page, in its lower half, right of centre.
        for field in ["issuer", "date"] {
            let s = d["field_sources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["field"] == field)
                .unwrap_or_else(|| panic!("{field} source: {t}"));
            assert_eq!(s["page"], w["end_page"], "{field}: {t}");
            assert!(
                s["bbox"][2].as_u64().unwrap() > 1240,
                "{field} right of centre: {t}"
            );
        }
    }
    // The first carries its 文号 from above its title.
    assert_eq!(docs[0]["doc_number"], "国函〔1996〕95号");
    let src = docs[0]["field_sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["field"] == "doc_number")
        .unwrap()
        .clone();
    let title = docs[0]["field_sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["field"] == "title")
        .unwrap()
        .clone();
    assert!(
        src["bbox"][3].as_u64() < title["bbox"][1].as_u64(),
        "文号 above the title"
    );
}

/// Joint issuers in the forms GB/T 9704 allows, in a born-digital PDF
/// drawn glyph by glyph as office suites write them (tests/data/joint):
/// names stacked in the 版头 with 文件 beside them (centred on the stack,
/// or on the first name's line) or below them, or side by side set apart
/// by blank paper alone; signatures stacked (three over the date) or side
/// by side (a row of four across the text's width, from its left margin),
/// with and without seals. Every issuer is found, in order, with
/// the date under them, the title whole, and nothing sent to review.
#[test]
fn joint_issuers_in_every_form_of_the_standard() {
    let want: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(data("joint/expected.json")).unwrap())
            .unwrap();
    let docs = util::json_lines(&util::stdout_of(&["segment"], &data("joint/joint.pdf")));
    assert_eq!(docs.len(), want.len());
    // Spaces are the printed page's blank paper between names: compared as
    // one space, whatever character the page set.
    let spaced = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (d, w) in docs.iter().zip(&want) {
        let form = format!("版头 {}, signature {}", w["header"], w["signature"]);
        assert_eq!(
            spaced(d["title"].as_str().unwrap()),
            spaced(w["title"].as_str().unwrap()),
            "{form}"
        );
        assert_eq!(d["doc_number"], w["doc_number"], "{form}");
        assert_eq!(d["issuers"], w["issuers"], "{form}");
        let each: Vec<&str> = w["issuers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(d["issuer"], each.join("\u{3000}"), "{form}");
        assert_eq!(d["date_iso"], iso(w["date"].as_str().unwrap()), "{form}");
        assert_eq!(d["start_page"], w["page"], "{form}");
        // Each document is its own page: no name of the next one's 版头
        // is left to the one before.
        assert_eq!(d["end_page"], w["page"], "{form}");
        assert!(d.get("review").is_none(), "nothing refused: {form}: {d}");
        // The issuers are read from the signature, under the title, not
        // taken from the 版头.
        let sources = d["field_sources"].as_array().unwrap();
        let at = |field: &str| -> Vec<u64> {
            sources
                .iter()
                .filter(|s| s["field"] == field)
                .map(|s| s["bbox"][1].as_u64().unwrap())
                .collect()
        };
        let title_top = at("title")[0];
        let signed = at("issuer");
        assert!(
            !signed.is_empty() && signed.iter().all(|&y| y > title_top),
            "issuers from the signature: {form}: {sources:?}"
        );
        // No name of the 版头 or the signature is left in the text.
        let text = d["text"].as_str().unwrap();
        let last = text.lines().last().unwrap_or_default();
        assert!(
            !each.iter().any(|n| last.contains(n)),
            "a signature's name in the text: {form}: {last}"
        );
    }
}

/// Ingested without an identity the pages give, a batch is stored only
/// with one given: by options (no gazette name: stored, citation withheld,
/// said 出处未定 by API and page) or by a sidecar `NAME.toml` beside the
/// file (which wins over the options, and completed later makes a new
/// version). Each issuer is a search facet.
#[test]
fn identity_from_sidecar_or_options_and_none_invented() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("notices.pdf");
    std::fs::copy(data("redhead/notices.pdf"), &pdf).unwrap();
    let arc = tmp.path().join("a");
    let ingest = |extra: &[&str]| {
        util::gazette()
            .args(["ingest", "--archive", arc.to_str().unwrap()])
            .args(extra)
            .arg(&pdf)
            .output()
            .unwrap()
    };
    // Nothing to tell the year and number by: not stored, and why.
    let out = ingest(&["--code", "gw"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("issue.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Year and number given, the gazette's name not: stored, no citation.
    let out = ingest(&["--code", "gw", "--year", "2019", "--issue", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (server, base) = util::serve(&arc);
    let doc = util::get_json(&format!("{base}/api/documents/gw-2019-03-01"));
    assert_eq!(doc["citations"]["status"], "出处未定");
    assert!(doc["citations"]["chinese"].is_null() && doc["citations"]["plain"].is_null());
    assert_eq!(doc["issuers"], serde_json::json!(["国务院", "中央军委"]));
    let html = util::get_text(&format!("{base}/documents/gw-2019-03-01"));
    assert!(
        html.contains("出处未定") && !html.contains("《》"),
        "{html}"
    );
    let issues = util::get_json(&format!("{base}/api/issues"));
    assert_eq!(issues["issues"][0]["identity"], "incomplete");
    let facets = util::get_json(&format!("{base}/api/search?q="));
    let issuers: Vec<&str> = facets["facets"]["issuer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    for who in ["国务院", "中央军委", "交通部", "水产部"] {
        assert!(issuers.contains(&who), "{who} in {issuers:?}");
    }
    drop(server);
    // The identity completed after ingest: a sidecar with the gazette's
    // name is a changed source, so the same command stores a new version
    // of the issue, now cited; the first version stays.
    std::fs::write(
        tmp.path().join("notices.toml"),
        "gazette = \"中华人民共和国国务院公报\"\n",
    )
    .unwrap();
    let out = ingest(&["--code", "gw", "--year", "2019", "--issue", "3"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.contains("version 2"), "{err}");
    let (server, base) = util::serve(&arc);
    let doc = util::get_json(&format!("{base}/api/documents/gw-2019-03-01"));
    assert_eq!(
        doc["citations"]["chinese"],
        "《中华人民共和国国务院公报》2019年第3期第1页"
    );
    assert_eq!(doc["versions"].as_array().unwrap().len(), 2);
    let old = util::get_json(&format!("{base}/api/documents/gw-2019-03-01/versions/1"));
    assert_eq!(old["citations"]["status"], "出处未定");
    drop(server);
    // A sidecar's year and number beat the options': a new archive
    // stores the issue under them, cited in full.
    std::fs::write(
        tmp.path().join("notices.toml"),
        "gazette = \"中华人民共和国国务院公报\"\nyear = 1996\nissue = 31\n",
    )
    .unwrap();
    let arc2 = tmp.path().join("b");
    let out = util::gazette()
        .args([
            "ingest",
            "--archive",
            arc2.to_str().unwrap(),
            "--code",
            "gw",
            "--year",
            "2019",
            "--issue",
            "3",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_server, base) = util::serve(&arc2);
    let doc = util::get_json(&format!("{base}/api/documents/gw-1996-31-01"));
    assert_eq!(
        doc["citations"]["chinese"],
        "《中华人民共和国国务院公报》1996年第31期第1页"
    );
    // A broken sidecar is an error naming it, not a guess.
    std::fs::write(tmp.path().join("notices.toml"), "year = \"nineteen\"\n").unwrap();
    let out = util::gazette()
        .args([
            "ingest",
            "--archive",
            tmp.path().join("c").to_str().unwrap(),
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("notices.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A page set in two columns whose lines do not line up (each column's
/// titles at their own heights): each column is read on its own, top to
/// bottom, left then right, and the documents come out whole, in order,
/// with their pages. Fixture `data/two-columns` (make_fixtures.py), through
/// real OCR.
#[test]
fn a_two_column_issue_is_read_column_by_column() {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("two-columns/manifest.json")).unwrap())
            .unwrap();
    let docs = util::json_lines(&util::stdout_of(&["segment"], &data("two-columns")));
    let want = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), want.len(), "{docs:?}");
    for (d, w) in docs.iter().zip(want) {
        assert_eq!(d["title"], w["title"], "{d}");
        assert_eq!(d["start_page"], w["start_page"], "{d}");
        assert_eq!(d["end_page"], w["end_page"], "{d}");
        assert_eq!(
            d["doc_number"].as_str().unwrap_or(""),
            w["doc_number"].as_str().unwrap_or(""),
            "{d}"
        );
        // Read across the gutter, the columns' lines interleave: the text
        // would be every character and nothing in order. (A signature not
        // taken for issuer and date stays in the text, as printed.)
        let mut want_text = w["text"].as_str().unwrap().to_string();
        if d["issuer"] == "" {
            want_text += w["issuer"].as_str().unwrap_or("");
            want_text += w["date"].as_str().unwrap_or("");
        }
        let cer = util::cer(&want_text, d["text"].as_str().unwrap());
        assert!(cer < 0.03, "{}: CER {cer:.3}", w["title"]);
    }
    assert_eq!(docs[0]["issuer"], "国务院办公厅");
    assert_eq!(docs[1]["date_iso"], "1996-11-05");
}
