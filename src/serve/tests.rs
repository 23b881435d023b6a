//! The service through `app().oneshot(...)`, without a socket: every
//! endpoint, the headers, and hostile requests answered 4xx, never 5xx.

use super::*;
use archive::{
    Anchor, BBox, Confidence, Fields, GazetteCode, IssueId, Line, NewDocument, NewImage, NewIssue,
    NewPage, Paragraph, Provenance, SourceFile, TextOrigin, Verdict,
};
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

const TEXT_A: &str =
    "各州、市人民政府：\n为做好政务公开工作，现将有关事项通知如下。\n一、加强政务公开。";
const TEXT_B: &str = "经国务院批准，现将2019年元旦、春节放假调休日期通知如下。";

pub(super) fn fields(
    title: &str,
    number: &str,
    issuer: &str,
    text: &str,
    pages: (u32, u32),
) -> Fields {
    Fields {
        gazette: "云南省人民政府公报".into(),
        year: 2017,
        issue: 5,
        title: title.into(),
        doc_number: number.into(),
        doc_number_normalised: number.into(),
        issuer: issuer.into(),
        date: "2017年3月1日".into(),
        date_iso: "2017-03-01".into(),
        attribute: "此件公开发布".into(),
        doc_type: "通知".into(),
        start_page: pages.0,
        end_page: pages.1,
        sha256: archive::sha256_hex(text.as_bytes()),
        text: text.into(),
        citation: format!(
            "《云南省人民政府公报》2017年第5期第{}—{}页",
            pages.0, pages.1
        ),
        ..Default::default()
    }
}

pub(super) fn doc(f: Fields) -> NewDocument {
    let paragraphs = f
        .text
        .split('\n')
        .enumerate()
        .map(|(i, t)| Paragraph {
            text: t.into(),
            anchors: vec![Anchor {
                page: 1,
                printed_page: 1,
                bbox: BBox([100, 200 + 60 * i as u32, 700, 250 + 60 * i as u32]),
                chars: Some([0, t.chars().count() as u32]),
            }],
        })
        .collect();
    NewDocument {
        fields: f,
        paragraphs,
    }
}

/// An archive of one issue: two pages with images, two documents.
pub(super) fn state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("a"), true).unwrap();
    let mut raster = ingest::Raster::blank(800, 1100);
    for y in 200..260 {
        for x in 100..700 {
            raster.pixels[y * 800 + x] = 30;
        }
    }
    let png = ingest::keep::png(&raster).unwrap();
    let page = |n: u32| NewPage {
        printed: n,
        width: 800,
        height: 1100,
        dpi: Some(100.0),
        origin: TextOrigin::Ocr,
        verdict: Verdict::Ok,
        image: Some(NewImage {
            format: "png".into(),
            width: 800,
            height: 1100,
            region: None,
            bytes: png.bytes.clone(),
        }),
        lines: vec![Line {
            text: "为做好政务公开工作，<现将>&“通知”".into(),
            bbox: BBox([100, 200, 700, 260]),
            confidence: Confidence::new(0.935),
            ..Default::default()
        }],
        layout: None,
        error: None,
        provenance: Provenance {
            source: format!("/scans/page-{n:03}.png"),
            source_sha256: "ab".repeat(32),
            index_in_source: 1,
            engine: "tesseract 5.3.0 chi_sim psm 4".into(),
            traineddata: "chi_sim".into(),
            preprocess: "{}".into(),
            replaced_text_layer: None,
            time: archive::now(),
        },
    };
    a.store_issue(&NewIssue {
        id: IssueId {
            gazette: GazetteCode::new("yn").unwrap(),
            year: 2017,
            issue: 5,
        },
        gazette: "云南省人民政府公报".into(),
        sources: vec![
            SourceFile {
                path: "/scans/page-001.png".into(),
                sha256: "01".repeat(32),
                bytes: 1,
            },
            SourceFile {
                path: "/scans/page-002.png".into(),
                sha256: "02".repeat(32),
                bytes: 1,
            },
        ],
        pages: vec![page(1), page(2)],
        documents: vec![
            doc(fields(
                "云南省人民政府办公厅关于做好政务公开工作的通知",
                "云政办发〔2017〕22号",
                "云南省人民政府办公厅",
                TEXT_A,
                (1, 2),
            )),
            doc(fields(
                "国务院办公厅关于2019年部分节假日安排的通知",
                "国办发明电〔2018〕15号",
                "国务院办公厅",
                TEXT_B,
                (2, 2),
            )),
        ],
    })
    .unwrap();
    a.correct(&"yn-2017-05-02".parse().unwrap(), None, "与原件核对", true)
        .unwrap();
    (dir, AppState::new(a))
}

async fn send(s: &AppState, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let r = app(s.clone()).oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

pub(super) async fn get(s: &AppState, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    send(s, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub(super) async fn json(s: &AppState, uri: &str) -> serde_json::Value {
    let (status, h, body) = get(s, uri).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&body)
    );
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    serde_json::from_slice(&body).unwrap()
}

pub(super) fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[tokio::test]
async fn search_api() {
    let (_d, s) = state();
    let r = json(&s, &format!("/api/search?q={}", enc("政务公开"))).await;
    assert_eq!(r["total"], 1);
    assert_eq!(r["total_relation"], "eq", "every match counted");
    let h = &r["hits"][0];
    assert_eq!(h["id"], "yn-2017-05-01");
    assert_eq!(h["doc_number"], "云政办发〔2017〕22号");
    assert!(h["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>政务公开</mark>"));
    assert_eq!(r["facets"]["issuer"][0]["value"], "云南省人民政府办公厅");
    // A 文号 in another bracket form; filters; paging.
    let r = json(
        &s,
        &format!("/api/search?q={}", enc("国办发明电[2018]15号")),
    )
    .await;
    assert_eq!(r["hits"][0]["id"], "yn-2017-05-02");
    let r = json(&s, &format!("/api/search?q={}&year_from=2018", enc("通知"))).await;
    assert_eq!(r["total"], 0);
    let r = json(
        &s,
        &format!(
            "/api/search?q=&issuer={}&sort=date&size=1&page=2",
            enc("国务院办公厅")
        ),
    )
    .await;
    assert_eq!(
        (r["total"].as_u64(), r["hits"].as_array().unwrap().len()),
        (Some(1), 0)
    );
}

#[tokio::test]
async fn documents_versions_text_and_caching() {
    let (_d, s) = state();
    let d = json(&s, "/api/documents/yn-2017-05-01").await;
    assert_eq!(d["title"], "云南省人民政府办公厅关于做好政务公开工作的通知");
    assert_eq!(d["status"], "machine");
    assert_eq!(
        d["citations"]["chinese"],
        "《云南省人民政府公报》2017年第5期第1—2页"
    );
    assert_eq!(
        d["citations"]["plain"],
        "云南省人民政府办公厅关于做好政务公开工作的通知 (云政办发〔2017〕22号). 云南省人民政府公报, 2017, no. 5, pp. 1–2."
    );
    assert_eq!(
        d["paragraphs"][1]["anchors"][0]["page_id"],
        "yn-2017-05-p01"
    );
    assert_eq!(d["sha256"], archive::sha256_hex(TEXT_A.as_bytes()));
    let d2 = json(&s, "/api/documents/yn-2017-05-02").await;
    assert_eq!(
        (d2["version"].as_u64(), d2["status"].as_str()),
        (Some(2), Some("verified"))
    );
    assert_eq!(d2["versions"].as_array().unwrap().len(), 2);
    let v1 = json(&s, "/api/documents/yn-2017-05-02/versions/1").await;
    assert_eq!(v1["status"], "machine");
    let (st, h, _) = get(&s, "/api/documents/yn-2017-05-02/versions/1").await;
    assert_eq!(st, StatusCode::OK);
    // A version's text never changes, but its record holds the document's
    // history and what waits for a person, which do: not immutable.
    assert!(!h[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = h[header::ETAG].clone();
    let req = Request::get("/api/documents/yn-2017-05-02/versions/1")
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s, req).await.0, StatusCode::NOT_MODIFIED);
    let (st, h, body) = get(&s, "/documents/yn-2017-05-01.txt").await;
    assert_eq!(st, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("《云南省人民政府公报》2017年第5期第1—2页"));
    assert!(text.contains("/documents/yn-2017-05-01/v/1"));
    assert!(text.contains(&archive::sha256_hex(TEXT_A.as_bytes())));
    assert!(text.ends_with(&format!("{TEXT_A}\n")));
    for (uri, want) in [
        ("/api/documents/yn-2017-05-09", StatusCode::NOT_FOUND),
        (
            "/api/documents/yn-2017-05-02/versions/3",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/documents/yn-2017-05-02/versions/0",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/documents/..%2f..%2fetc%2fpasswd",
            StatusCode::BAD_REQUEST,
        ),
        ("/documents/yn-2099-01-01", StatusCode::NOT_FOUND),
    ] {
        let (st, h, body) = get(&s, uri).await;
        assert_eq!(st, want, "{uri}");
        let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(!e["error"].as_str().unwrap().is_empty());
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
    }
}

#[tokio::test]
async fn lookup_and_issues() {
    let (_d, s) = state();
    for q in [
        "云政办发〔2017〕22号",
        "云政办发[2017]22号",
        "云政办发（２０１７）２２号",
    ] {
        let r = json(&s, &format!("/api/lookup?doc_number={}", enc(q))).await;
        assert_eq!(r["documents"][0]["id"], "yn-2017-05-01", "{q}");
    }
    let r = json(&s, "/api/lookup?doc_number=x").await;
    assert!(r["documents"].as_array().unwrap().is_empty());
    assert_eq!(get(&s, "/api/lookup").await.0, StatusCode::BAD_REQUEST);
    let r = json(&s, "/api/issues?year=2017").await;
    assert_eq!(r["issues"][0]["id"], "yn-2017-05");
    assert!(json(&s, "/api/issues?year=2018").await["issues"]
        .as_array()
        .unwrap()
        .is_empty());
    let i = json(&s, "/api/issues/yn-2017-05").await;
    assert_eq!(i["documents"].as_array().unwrap().len(), 2);
    assert_eq!(i["pages"][1]["id"], "yn-2017-05-p02");
    assert_eq!(i["pages"][1]["printed"], 2);
    assert_eq!(
        get(&s, "/api/issues/yn-2017-06").await.0,
        StatusCode::NOT_FOUND
    );
    let h = json(&s, "/healthz").await;
    assert_eq!(h["status"], "ok");
    let o = json(&s, "/api/openapi.json").await;
    assert_eq!(o["openapi"], "3.0.3");
    assert!(o["paths"]["/api/search"]["get"].is_object());
}

/// The ALTO of a page validates against the ALTO 4.4 schema (xmllint).
#[tokio::test]
async fn alto_is_valid() {
    let (d, s) = state();
    let (st, h, body) = get(&s, "/api/pages/yn-2017-05-p01/alto").await;
    assert_eq!(st, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    let xml = String::from_utf8(body).unwrap();
    assert!(
        xml.contains("CONTENT=\"为做好政务公开工作，&lt;现将&gt;&amp;“通知”\""),
        "{xml}"
    );
    assert!(xml.contains("WC=\"0.94\""));
    assert!(
        !xml.contains("vertical-rl"),
        "a horizontal page has no vertical tag"
    );
    validate_alto(d.path(), &xml);
    assert_eq!(
        get(&s, "/api/pages/yn-2017-05-p09/alto").await.0,
        StatusCode::NOT_FOUND
    );
    // A page of columns: each column's line tagged vertical-rl, valid too.
    let mut page = s
        .archive
        .page(&"yn-2017-05-p01".parse().unwrap(), None)
        .unwrap()
        .unwrap();
    for l in &mut page.lines {
        l.vertical = true;
    }
    page.lines[0].text = "第一條（總則）。".into();
    let xml = super::alto::render(&"yn-2017-05-p01".parse().unwrap(), &page);
    // Its punctuation as the column prints it.
    assert!(xml.contains("CONTENT=\"第一條︵總則︶︒\""), "{xml}");
    assert!(xml.contains("<LayoutTag ID=\"vertical-rl\""), "{xml}");
    assert_eq!(
        xml.matches("TAGREFS=\"vertical-rl\"").count(),
        page.lines.len()
    );
    validate_alto(d.path(), &xml);
}

/// Validates an ALTO document against the ALTO 4.4 schema with xmllint.
fn validate_alto(dir: &std::path::Path, xml: &str) {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/alto");
    let xsd = std::fs::read_to_string(schemas.join("alto-4-4.xsd"))
        .expect("the ALTO schema in ../shared/schemas/alto (beside the checkout)");
    // The schema imports XLink from the web; point it at the local copy.
    let xsd = regex_lite_replace(&xsd);
    std::fs::write(dir.join("alto.xsd"), xsd).unwrap();
    std::fs::copy(schemas.join("xlink.xsd"), dir.join("xlink.xsd")).unwrap();
    std::fs::write(dir.join("page.xml"), xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", "alto.xsd", "page.xml"])
        .current_dir(dir)
        .output()
        .expect("xmllint (libxml2-utils) is needed to validate ALTO");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Rewrites the XLink import's schemaLocation to `xlink.xsd`.
fn regex_lite_replace(xsd: &str) -> String {
    let start = xsd.find("<xsd:import").unwrap();
    let end = start + xsd[start..].find("/>").unwrap();
    let import = &xsd[start..end];
    let loc = import.find("schemaLocation=\"").unwrap() + "schemaLocation=\"".len();
    let loc_end = loc + import[loc..].find('"').unwrap();
    format!(
        "{}xlink.xsd{}",
        &xsd[..start + loc],
        &xsd[start + loc_end..]
    )
}

#[tokio::test]
async fn iiif_images() {
    let (_d, s) = state();
    let info = json(&s, "/iiif/yn-2017-05-p01/info.json").await;
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(800), Some(1100))
    );
    assert_eq!(info["profile"], "level1");
    // The same image by its scan's file name.
    let by_name = json(&s, "/iiif/page-002/info.json").await;
    assert_eq!(by_name["width"], 800);
    let (st, h, body) = get(&s, "/iiif/yn-2017-05-p01/100,200,600,60/300,/0/gray.png").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/png");
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let img = image::load_from_memory(&body).unwrap().to_luma8();
    assert_eq!(img.dimensions(), (300, 30));
    assert!(
        img.pixels().all(|p| p.0[0] < 60),
        "the region is the dark bar"
    );
    let (st, h, body) = get(&s, "/iiif/yn-2017-05-p01/full/max/0/default.jpg").await;
    assert_eq!(
        (st, h[header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::OK, "image/jpeg")
    );
    assert_eq!(image::load_from_memory(&body).unwrap().width(), 800);
    for uri in [
        "/iiif/yn-2017-05-p01/full/801,/0/default.jpg",
        "/iiif/yn-2017-05-p01/full/max/90/default.jpg",
        "/iiif/yn-2017-05-p01/full/max/0/default.webp",
        "/iiif/yn-2017-05-p01/900,0,10,10/max/0/default.jpg",
    ] {
        assert_eq!(get(&s, uri).await.0, StatusCode::BAD_REQUEST, "{uri}");
    }
    assert_eq!(
        get(&s, "/iiif/yn-2017-05-p07/info.json").await.0,
        StatusCode::NOT_FOUND
    );
    let (st, h, _) = get(&s, "/iiif/yn-2017-05-p01").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/iiif/yn%2D2017%2D05%2Dp01/info.json");
}

#[tokio::test]
async fn web_pages() {
    let (_d, s) = state();
    let html = |b: Vec<u8>| String::from_utf8(b).unwrap();
    let (st, h, body) = get(&s, "/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let home = html(body);
    assert!(home.contains("<html lang=\"zh-CN\">") && home.contains("/years/2017"));
    let (_, _, body) = get(&s, &format!("/search?q={}", enc("政务公开"))).await;
    let results = html(body);
    assert!(results.contains("<mark>政务公开</mark>"));
    assert!(results.contains("/documents/yn-2017-05-01"));
    assert!(results.contains("云南省人民政府办公厅</a> <span class=\"count\">1</span>"));
    let (_, _, body) = get(&s, "/documents/yn-2017-05-01").await;
    let page = html(body);
    assert!(page.contains("<p id=\"citation\">《云南省人民政府公报》2017年第5期第1—2页</p>"));
    assert!(page.contains("/pages/yn-2017-05-p01?doc=yn-2017-05-01&#38;v=1&#38;p=2"));
    assert!(page.contains("机器识别"));
    assert!(!page.contains("vertical-note"), "printed horizontally");
    // Citation meta tags, as Zotero and Google Scholar read them.
    for tag in [
        "<meta name=\"citation_title\" content=\"云南省人民政府办公厅关于做好政务公开工作的通知\">",
        "<meta name=\"citation_journal_title\" content=\"云南省人民政府公报\">",
        "<meta name=\"citation_publisher\" content=\"云南省人民政府\">",
        "<meta name=\"citation_issue\" content=\"5\">",
        "<meta name=\"citation_firstpage\" content=\"1\">",
        "<meta name=\"citation_lastpage\" content=\"2\">",
        "<meta name=\"citation_public_url\" content=\"http://localhost/documents/yn-2017-05-01/v/1\">",
        "<span id=\"citation-court\">《云南省人民政府办公厅关于做好政务公开工作的通知》（云政办发〔2017〕22号），载《云南省人民政府公报》2017年第5期第1—2页</span>",
    ] {
        assert!(page.contains(tag), "{tag} missing");
    }
    assert!(page.contains("<meta name=\"citation_date\" content=\"2017/03/01\">"));
    let (_, _, body) = get(&s, "/pages/yn-2017-05-p01?doc=yn-2017-05-01&v=1&p=2").await;
    let view = html(body);
    assert_eq!(view.matches("<rect class=\"anchor\"").count(), 1);
    assert!(view.contains("x=\"100\" y=\"260\" width=\"600\" height=\"50\""));
    assert!(view.contains("/iiif/yn-2017-05-p01/full/800,/0/default.jpg"));
    let (_, _, body) = get(&s, "/issues/yn-2017-05").await;
    assert!(html(body).contains("第1—2页"));
    assert_eq!(get(&s, "/years/2017").await.0, StatusCode::OK);
    let (_, _, body) = get(&s, "/documents/yn-2017-05-02/v/1").await;
    assert!(html(body).contains("第1版"));
}

#[tokio::test]
async fn headers_and_compression() {
    let (_d, s) = state();
    let (_, h, _) = get(&s, "/").await;
    assert!(h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let req = Request::get("/api/openapi.json")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (st, h, _) = send(&s, req).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    let req = Request::head("/api/documents/yn-2017-05-01")
        .body(Body::empty())
        .unwrap();
    let (st, _, body) = send(&s, req).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.is_empty());
}

/// Hostile and malformed requests: always a 4xx with a JSON message.
#[tokio::test]
async fn bad_requests_are_4xx_never_5xx() {
    let (_d, s) = state();
    let long = "政".repeat(3500);
    let cases: Vec<(String, &str)> = vec![
        ("/api/search?q=%FF%FE".into(), "GET"),
        (format!("/api/search?q={}", enc(&long)), "GET"),
        (format!("/api/search?q={}", enc(&"政".repeat(300))), "GET"),
        ("/api/search?page=-1".into(), "GET"),
        ("/api/search?page=0".into(), "GET"),
        ("/api/search?size=1000".into(), "GET"),
        ("/api/search?sort=random".into(), "GET"),
        ("/api/search?year_from=abc".into(), "GET"),
        ("/api/search?colour=red".into(), "GET"),
        ("/api/search?q=a&q=b".into(), "GET"),
        ("/api/documents/..%2f..%2fstore".into(), "GET"),
        ("/api/documents/%00".into(), "GET"),
        ("/api/pages/..%2fFORMAT/alto".into(), "GET"),
        ("/iiif/..%2f..%2fFORMAT/info.json".into(), "GET"),
        ("/iiif/yn-2017-05-p01/full/%FF/0/default.jpg".into(), "GET"),
        ("/pages/yn-2017-05-p01?doc=../x".into(), "GET"),
        ("/static/../Cargo.toml".into(), "GET"),
        ("/years/0".into(), "GET"),
        ("/nowhere".into(), "GET"),
        ("/api/search".into(), "POST"),
        ("/api/documents/yn-2017-05-01".into(), "DELETE"),
        ("/".into(), "PUT"),
    ];
    for (uri, method) in cases {
        let req = Request::builder()
            .method(method)
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let (st, _, body) = send(&s, req).await;
        assert!(st.is_client_error(), "{method} {uri}: {st}");
        if st != StatusCode::NOT_FOUND || uri.starts_with("/api") {
            let e: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|_| {
                panic!(
                    "{method} {uri}: not JSON: {}",
                    String::from_utf8_lossy(&body)
                )
            });
            assert!(e["error"].is_string(), "{method} {uri}");
        }
        if method == "POST" || method == "DELETE" || method == "PUT" {
            assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED);
        }
    }
}

/// The IIIF Presentation answers: the collections lead from the top to
/// the issue's manifest; the manifest has a canvas per page with its image
/// service and OCR annotations, a range per document, search services; a
/// document's manifest has its own pages only.
#[tokio::test]
async fn iiif_collections_and_manifests() {
    let (_d, s) = state();
    let base = "http://localhost/iiif/presentation";
    let top = json(&s, "/iiif/presentation/collection").await;
    assert_eq!(top["type"], "Collection");
    assert_eq!(top["items"][0]["id"], format!("{base}/collection/yn"));
    let g = json(&s, "/iiif/presentation/collection/yn").await;
    assert_eq!(g["items"][0]["id"], format!("{base}/collection/yn/2017"));
    let y = json(&s, "/iiif/presentation/collection/yn/2017").await;
    let murl = format!("{base}/issues/yn-2017-05/manifest");
    assert_eq!(y["items"][0]["id"], murl);
    assert_eq!(
        y["items"][0]["label"]["zh"][0],
        "《云南省人民政府公报》2017年第5期"
    );
    let m = json(&s, "/iiif/presentation/issues/yn-2017-05/manifest").await;
    assert_eq!(m["id"], murl);
    assert_eq!(m["type"], "Manifest");
    assert_eq!(m["navDate"], "2017-03-01T00:00:00Z");
    assert!(m["rights"]
        .as_str()
        .unwrap()
        .starts_with("http://rightsstatements.org/"));
    assert_eq!(m["homepage"][0]["id"], "http://localhost/issues/yn-2017-05");
    let canvases = m["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 2);
    let c = &canvases[1];
    assert_eq!(c["id"], format!("{base}/issues/yn-2017-05/canvas/2"));
    assert_eq!(
        (c["width"].as_u64(), c["height"].as_u64()),
        (Some(800), Some(1100))
    );
    let body = &c["items"][0]["items"][0]["body"];
    assert_eq!(
        body["service"][0]["id"],
        "http://localhost/iiif/yn-2017-05-p02"
    );
    assert_eq!(body["service"][0]["type"], "ImageService3");
    assert_eq!(c["items"][0]["items"][0]["target"], c["id"]);
    assert_eq!(
        c["seeAlso"][0]["id"],
        "http://localhost/api/pages/yn-2017-05-p02/alto"
    );
    assert_eq!(c["seeAlso"][0]["format"], "application/xml+alto");
    let ranges = m["structures"].as_array().unwrap();
    assert_eq!(ranges.len(), 2);
    assert_eq!(
        ranges[0]["label"]["zh"][0],
        "云南省人民政府办公厅关于做好政务公开工作的通知"
    );
    assert_eq!(ranges[0]["items"][0]["id"], canvases[0]["id"]);
    assert_eq!(
        ranges[1]["rendering"][0]["id"],
        "http://localhost/documents/yn-2017-05-02.txt"
    );
    let services: Vec<&str> = m["service"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().or(s["@type"].as_str()).unwrap())
        .collect();
    assert_eq!(services, ["SearchService2", "SearchService1"]);
    // The OCR of a page, line by line, on its canvas.
    let ap = json(&s, "/iiif/presentation/issues/yn-2017-05/annotations/2").await;
    assert_eq!(ap["id"], c["annotations"][0]["id"]);
    assert_eq!(ap["items"][0]["motivation"], "supplementing");
    assert_eq!(
        ap["items"][0]["body"]["value"],
        "为做好政务公开工作，<现将>&“通知”"
    );
    assert_eq!(
        ap["items"][0]["target"],
        format!("{}#xywh=100,200,600,60", c["id"].as_str().unwrap())
    );
    // A document's manifest: its pages, its text, part of the issue.
    let dm = json(&s, "/iiif/presentation/documents/yn-2017-05-02/manifest").await;
    assert_eq!(
        dm["label"]["zh"][0],
        "国务院办公厅关于2019年部分节假日安排的通知"
    );
    assert_eq!(dm["items"].as_array().unwrap().len(), 1);
    assert_eq!(dm["items"][0]["id"], canvases[0]["id"]);
    assert_eq!(dm["partOf"][0]["id"], murl);
    // Viewers fetch from other origins.
    let (_, h, _) = get(&s, "/iiif/presentation/issues/yn-2017-05/manifest").await;
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    for (uri, want) in [
        (
            "/iiif/presentation/issues/yn-2017-06/manifest",
            StatusCode::NOT_FOUND,
        ),
        (
            "/iiif/presentation/issues/yn-2017/manifest",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/iiif/presentation/issues/yn-2017-05/annotations/3",
            StatusCode::NOT_FOUND,
        ),
        (
            "/iiif/presentation/issues/yn-2017-05/annotations/0",
            StatusCode::BAD_REQUEST,
        ),
        ("/iiif/presentation/collection/zz", StatusCode::NOT_FOUND),
        (
            "/iiif/presentation/collection/yn/2016",
            StatusCode::NOT_FOUND,
        ),
        ("/iiif/presentation/collection/YN", StatusCode::BAD_REQUEST),
        (
            "/iiif/presentation/documents/yn-2017-05-09/manifest",
            StatusCode::NOT_FOUND,
        ),
    ] {
        assert_eq!(get(&s, uri).await.0, want, "{uri}");
    }
}

/// The box of a line in the page's ALTO: (HPOS, VPOS, WIDTH, HEIGHT) of
/// the TextLine whose String holds `text`.
fn alto_box(alto: &str, text: &str) -> Option<(u32, u32, u32, u32)> {
    let attr = |tag: &str, name: &str| -> u32 {
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    alto.split("<TextLine ").skip(1).find_map(|t| {
        t.contains(&format!("CONTENT=\"{text}")).then(|| {
            let tag = t.split('>').next().unwrap();
            (
                attr(tag, "HPOS"),
                attr(tag, "VPOS"),
                attr(tag, "WIDTH"),
                attr(tag, "HEIGHT"),
            )
        })
    })
}

/// Content Search 2.0 and 1.0 answer with the lines holding the terms, on
/// their canvases, at the boxes the page's ALTO gives those lines.
#[tokio::test]
async fn content_search_hits_are_the_alto_lines() {
    let (_d, s) = state();
    let (_, _, alto) = get(&s, "/api/pages/yn-2017-05-p01/alto").await;
    let alto = String::from_utf8(alto).unwrap();
    let (x, y, w, h) = alto_box(&alto, "为做好政务公开").expect("the line in ALTO");
    let canvas = "http://localhost/iiif/presentation/issues/yn-2017-05/canvas/1";
    // Full-width and bracket folding as in the index: 政务公开 typed any way.
    let q = enc("政务公开 nothing-like-this");
    let v2 = json(
        &s,
        &format!("/iiif/presentation/issues/yn-2017-05/search?q={q}"),
    )
    .await;
    assert_eq!(v2["type"], "AnnotationPage");
    let items = v2["items"].as_array().unwrap();
    // Page 1 and page 2 each print the line once.
    assert_eq!(items.len(), 2, "{v2}");
    assert_eq!(items[0]["motivation"], "highlighting");
    assert_eq!(items[0]["target"], format!("{canvas}#xywh={x},{y},{w},{h}"));
    let m = &v2["annotations"][0]["items"][0];
    assert_eq!(m["target"][0]["selector"][0]["exact"], "政务公开");
    assert_eq!(m["target"][0]["selector"][0]["prefix"], "为做好");
    assert_eq!(m["target"][0]["source"], items[0]["id"]);
    let v1 = json(
        &s,
        &format!("/iiif/presentation/issues/yn-2017-05/search1?q={q}"),
    )
    .await;
    assert_eq!(v1["@type"], "sc:AnnotationList");
    assert_eq!(v1["resources"][0]["on"], items[0]["target"]);
    assert_eq!(v1["hits"][0]["match"], "政务公开");
    assert_eq!(v1["hits"][0]["annotations"][0], v1["resources"][0]["@id"]);
    // Nothing for an absent term or an empty query; a document's search
    // looks at its own pages only.
    for q in ["", "q=", "q=%E6%B2%A1%E6%9C%89"] {
        let r = json(
            &s,
            &format!("/iiif/presentation/issues/yn-2017-05/search?{q}"),
        )
        .await;
        assert!(r["items"].as_array().unwrap().is_empty(), "{q}");
    }
    let d = json(
        &s,
        &format!("/iiif/presentation/documents/yn-2017-05-01/search?q={q}"),
    )
    .await;
    assert_eq!(d["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(
            &s,
            "/iiif/presentation/issues/yn-2017-05/search?q=a&colour=red"
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
}

/// Reached from a search, the page view draws the lines holding the
/// words (server-drawn SVG, no script) and the document page marks them.
#[tokio::test]
async fn search_hits_on_the_page_and_in_the_text() {
    let (_d, s) = state();
    let q = enc("政务公开");
    let (st, _, body) = get(&s, &format!("/pages/yn-2017-05-p01?q={q}")).await;
    assert_eq!(st, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(r#"<rect class="hit" x="100" y="200" width="600" height="60""#),
        "{html}"
    );
    let (_, _, body) = get(&s, "/pages/yn-2017-05-p01").await;
    assert!(!String::from_utf8(body).unwrap().contains(r#"class="hit""#));
    let (_, _, body) = get(&s, &format!("/pages/yn-2017-05-p01?q={}", enc("国务院"))).await;
    assert!(String::from_utf8(body).unwrap().contains("未见"));
    let (_, _, body) = get(&s, &format!("/documents/yn-2017-05-01?q={q}")).await;
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(r#"为做好<mark class="hit">政务公开</mark>工作"#),
        "{html}"
    );
    // The paragraph's page link carries the query on.
    assert!(html.contains(&format!("&#38;q={q}")), "{html}");
    assert!(html.contains("/iiif/presentation/documents/yn-2017-05-01/manifest"));
    let (_, _, body) = get(&s, &format!("/search?q={q}")).await;
    assert!(String::from_utf8(body)
        .unwrap()
        .contains(&format!("/documents/yn-2017-05-01?q={q}")));
}

/// Every path the OpenAPI document lists answers its example request with
/// a status it documents, and a request it would refuse with one too.
#[tokio::test]
async fn openapi_matches_the_routes() {
    let (_d, s) = state();
    let spec = openapi::spec();
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 20);
    for (path, item) in paths {
        let op = &item["get"];
        let mut uri = path.clone();
        let mut query = Vec::new();
        for p in op["parameters"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            let example = match (p["example"].as_str(), p["schema"]["type"].as_str()) {
                (Some(e), _) => e.to_string(),
                (None, Some("integer")) => "1".to_string(),
                _ => "政务".to_string(),
            };
            if p["in"] == "path" {
                uri = uri.replace(&format!("{{{name}}}"), &example);
            } else if p["required"] == true {
                query.push(format!("{name}={}", enc(&example)));
            }
        }
        if !query.is_empty() {
            uri = format!("{uri}?{}", query.join("&"));
        }
        let (st, _, body) = get(&s, &uri).await;
        let documented = op["responses"].as_object().unwrap();
        assert!(
            documented.contains_key(st.as_str()),
            "{uri}: {st} not documented: {}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(st, StatusCode::OK, "{uri}: the example should be served");
        // Where parameters are read, an unknown one is refused (400, as
        // documented) — except by OAI-PMH, whose protocol answers every
        // request 200, a bad argument with its own error element.
        let reads_query = path != "/oai"
            && op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["in"] == "query");
        if reads_query {
            assert!(documented.contains_key("400"), "{path}: 400 not documented");
            let sep = if uri.contains('?') { '&' } else { '?' };
            let (st, _, _) = get(&s, &format!("{uri}{sep}colour=red")).await;
            assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}: unknown parameter");
        }
    }
}
