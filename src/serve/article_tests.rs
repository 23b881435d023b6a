//! Articles through `app().oneshot(...)`: a rule's articles at their
//! addresses with text, paragraphs, items, pages and court citations; a
//! notice's sections; unknown and malformed numbers answered 404 and 400;
//! the document's JSON and page listing and anchoring them.

use super::tests::{doc, enc, fields, get, json, state};
use super::*;
use archive::{GazetteCode, IssueId, NewIssue, SourceFile};

const RULES: &str = "第一章　总则
第一条　为了推进政务公开，制定本办法。
第二条　本办法适用于本省各级行政机关。
前款所称行政机关，包括法律、法规授权的组织。
第二章　公开的内容
第三条　行政机关应当主动公开下列政府信息：
（一）机构职能；
（二）规范性文件。
第四条　本办法自2018年1月1日起施行。";

/// The test archive with one more issue: a rule of four articles.
fn with_rules() -> (tempfile::TempDir, AppState) {
    let (d, s) = state();
    let mut rules = doc(fields(
        "云南省政务公开办法",
        "云政发〔2017〕88号",
        "云南省人民政府",
        RULES,
        (5, 6),
    ));
    // Its paragraphs to 第三条's first on page 1 (printed 5), the rest,
    // 第三条's items among them, on page 2.
    for (i, p) in rules.paragraphs.iter_mut().enumerate() {
        for a in &mut p.anchors {
            a.page = if i < 6 { 1 } else { 2 };
            a.printed_page = a.page + 4;
        }
    }
    rules.fields.year = 2017;
    rules.fields.issue = 6;
    rules.fields.citation = "《云南省人民政府公报》2017年第6期第5—6页".into();
    s.archive
        .store_issue(&NewIssue {
            id: IssueId {
                gazette: GazetteCode::new("yn").unwrap(),
                year: 2017,
                issue: 6,
            },
            gazette: "云南省人民政府公报".into(),
            sources: vec![SourceFile {
                path: "/scans/2017-6.pdf".into(),
                sha256: "06".repeat(32),
                bytes: 1,
            }],
            pages: Vec::new(),
            documents: vec![rules],
        })
        .unwrap();
    (d, s)
}

#[tokio::test]
async fn articles_have_addresses_texts_pages_and_citations() {
    let (_d, s) = with_rules();
    let d = json(&s, "/api/documents/yn-2017-06-01").await;
    let labels: Vec<&str> = d["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["第一条", "第二条", "第三条", "第四条"]);
    assert_eq!(
        d["articles"][2]["url"],
        "/api/documents/yn-2017-06-01/articles/3"
    );

    let a = json(&s, "/api/documents/yn-2017-06-01/articles/2").await;
    assert_eq!(a["label"], "第二条");
    assert_eq!(a["kind"], "article");
    assert_eq!(a["headings"], serde_json::json!(["第一章　总则"]));
    assert_eq!(a["paragraphs"].as_array().unwrap().len(), 2, "two 款");
    assert_eq!(
        a["text"],
        "第二条　本办法适用于本省各级行政机关。\n前款所称行政机关，包括法律、法规授权的组织。"
    );
    assert_eq!(
        a["citations"]["court"],
        "《云南省政务公开办法》（云政发〔2017〕88号）第二条"
    );
    assert_eq!(
        a["citations"]["chinese"],
        "《云南省政务公开办法》（云政发〔2017〕88号）第二条，载《云南省人民政府公报》2017年第6期第5页"
    );
    assert_eq!(a["pages"][0]["printed_page"], 5);
    // 第三条 runs onto the next page, with its items.
    let a = json(&s, "/api/documents/yn-2017-06-01/articles/3").await;
    assert_eq!(a["items"], serde_json::json!(["（一）", "（二）"]));
    let printed: Vec<u64> = a["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["printed_page"].as_u64().unwrap())
        .collect();
    assert_eq!(printed, [5, 6]);

    // A notice without articles: its sections.
    let n = json(&s, "/api/documents/yn-2017-05-01").await;
    assert_eq!(n["articles"][0]["label"], "一、");
    assert_eq!(n["articles"][0]["kind"], "section");
    let sec = json(&s, "/api/documents/yn-2017-05-01/articles/1").await;
    assert_eq!(
        sec["citations"]["court"],
        "《云南省人民政府办公厅关于做好政务公开工作的通知》（云政办发〔2017〕22号）第一部分"
    );

    for (uri, want) in [
        (
            "/api/documents/yn-2017-06-01/articles/5",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/documents/yn-2017-06-01/articles/0",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/documents/yn-2017-06-01/articles/六",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/documents/yn-2017-06-01/articles/99999",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/documents/yn-2017-06-09/articles/1",
            StatusCode::NOT_FOUND,
        ),
        ("/documents/yn-2017-06-01/articles/5", StatusCode::NOT_FOUND),
    ] {
        let uri = uri.replace('六', &enc("六"));
        assert_eq!(get(&s, &uri).await.0, want, "{uri}");
    }
}

#[tokio::test]
async fn article_pages_and_anchors_in_the_document_page() {
    let (_d, s) = with_rules();
    let (status, _, body) = get(&s, "/documents/yn-2017-06-01/articles/3").await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("第三条"), "{html}");
    assert!(html.contains("《云南省政务公开办法》（云政发〔2017〕88号）第三条"));
    assert!(html.contains("第二章　公开的内容"));
    let (_, _, body) = get(&s, "/documents/yn-2017-06-01").await;
    let page = String::from_utf8(body).unwrap();
    for n in 1..=4 {
        assert!(page.contains(&format!("id=\"article-{n}\"")), "article {n}");
        assert!(page.contains(&format!("/documents/yn-2017-06-01/articles/{n}")));
    }
}

#[tokio::test]
async fn each_article_is_a_range_of_its_documents_range() {
    let (_d, s) = state();
    let m = json(&s, "/iiif/presentation/issues/yn-2017-05/manifest").await;
    let doc = &m["structures"][0];
    let nested: Vec<&serde_json::Value> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "Range")
        .collect();
    assert_eq!(nested.len(), 1, "{doc}");
    assert_eq!(nested[0]["label"]["zh"][0], "一、");
    assert_eq!(nested[0]["items"][0]["type"], "Canvas");
    assert_eq!(
        nested[0]["homepage"][0]["id"],
        "http://localhost/documents/yn-2017-05-01/articles/1"
    );
}
