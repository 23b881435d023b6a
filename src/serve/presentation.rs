//! IIIF Presentation API 3.0, after the cookbook's newspaper recipe (0068),
//! so any IIIF viewer (Mirador, Universal Viewer) opens an issue:
//!
//! - `/iiif/presentation/collection`: every gazette;
//! - `/iiif/presentation/collection/{code}`: a gazette's years;
//! - `/iiif/presentation/collection/{code}/{year}`: a year's issues;
//! - `/iiif/presentation/issues/{id}/manifest`: an issue, one Canvas per
//!   page (its size, its IIIF Image service), one Range per document, the
//!   OCR of each page as `supplementing` annotations in an AnnotationPage
//!   (`.../annotations/{n}`), `seeAlso` the page's ALTO, and a Content
//!   Search service ([`super::content_search`]);
//! - `/iiif/presentation/documents/{id}/manifest`: one document's pages.
//!
//! Ids are absolute URLs on the host the request came to (IIIF requires
//! HTTP(S) URIs); canvases are named by their issue and page so an issue's
//! and a document's manifest share them.

use super::content_search;
use super::linked::{document_pages, ld, Scope, Urls};
use super::request::parse_issue_id;
use super::{blocking, ApiResult, AppError, AppState};
use archive::{Archive, Page, PageId, Version};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;

pub const PRESENTATION_CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// The rights statement every manifest carries. Official documents are not
/// protected by the Copyright Law of the PRC (Article 5), but an archive
/// cannot vouch for everything a gazette prints (photographs, adverts), so
/// the statement is RightsStatements.org's "No Known Copyright", with the
/// reason and the standard-text caveat in `requiredStatement`.
const RIGHTS: &str = "http://rightsstatements.org/vocab/NKC/1.0/";
const REQUIRED_STATEMENT: &str =
    "本库所收为政府公报刊登的官方文件，依《中华人民共和国著作权法》第五条不适用该法保护。\
政府公报所刊文本为标准文本；本库文字由扫描图像识读，引用时请与原件图像核对。";

const TOP_LABEL: &str = "本库所藏政府公报";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/iiif/presentation/collection", get(top_collection))
        .route(
            "/iiif/presentation/collection/{code}",
            get(gazette_collection),
        )
        .route(
            "/iiif/presentation/collection/{code}/{year}",
            get(year_collection),
        )
        .route(
            "/iiif/presentation/issues/{id}/manifest",
            get(issue_manifest),
        )
        .route(
            "/iiif/presentation/issues/{id}/annotations/{n}",
            get(annotation_page),
        )
        .route(
            "/iiif/presentation/documents/{id}/manifest",
            get(document_manifest),
        )
        .route(
            "/iiif/presentation/issues/{id}/search",
            get(content_search::issue_v2),
        )
        .route(
            "/iiif/presentation/issues/{id}/search1",
            get(content_search::issue_v1),
        )
        .route(
            "/iiif/presentation/documents/{id}/search",
            get(content_search::document_v2),
        )
        .route(
            "/iiif/presentation/documents/{id}/search1",
            get(content_search::document_v1),
        )
}

fn zh(s: &str) -> Value {
    json!({ "zh": [s] })
}

use gazette_model::citation::issue_title as issue_label;

/// The latest date among the issue's documents: the issue was printed on
/// or after it. The issue's own date is not recorded, so this is what
/// `navDate` (a viewer's calendar position) gets, and the manifest says so.
fn nav_date(s: &Scope) -> Option<String> {
    s.documents
        .iter()
        .map(|v| v.fields.date_iso.as_str())
        .filter(|d| d.len() == 10 && d.starts_with(&format!("{:04}", s.issue.year)))
        .max()
        .map(|d| format!("{d}T00:00:00Z"))
}

fn canvas(u: &Urls, p: &Page) -> Value {
    let label = if p.printed > 0 {
        format!("第{}页", p.printed)
    } else {
        format!("扫描第{}页", p.id.page)
    };
    let cid = u.canvas(&p.id);
    let mut items = Vec::new();
    if let Some(img) = &p.image {
        let service = format!("{}/iiif/{}", u.base, p.id);
        items.push(json!({
            "id": format!("{cid}/page"),
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{cid}/page/image"),
                "type": "Annotation",
                "motivation": "painting",
                "body": {
                    "id": format!("{service}/full/max/0/default.jpg"),
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": img.page_size().0,
                    "height": img.page_size().1,
                    "service": [{"id": service, "type": "ImageService3", "profile": "level1"}]
                },
                "target": cid
            }]
        }));
    }
    json!({
        "id": cid,
        "type": "Canvas",
        "label": zh(&label),
        "width": p.width.max(1),
        "height": p.height.max(1),
        "items": items,
        "annotations": [{"id": u.annotations(&p.id), "type": "AnnotationPage"}],
        "seeAlso": [{
            "id": format!("{}/api/pages/{}/alto", u.base, p.id),
            "type": "Dataset",
            "format": "application/xml+alto",
            "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd",
            "label": zh("本页识读文字（ALTO）")
        }]
    })
}

fn range(u: &Urls, v: &Version, pages: &[Page]) -> Option<Value> {
    let on = document_pages(v);
    let items: Vec<Value> = pages
        .iter()
        .filter(|p| on.contains(&(p.id.page as u32)))
        .map(|p| json!({"id": u.canvas(&p.id), "type": "Canvas"}))
        .collect();
    if items.is_empty() {
        return None;
    }
    let title = if v.fields.title.is_empty() {
        format!("文件 {}", v.id)
    } else {
        v.fields.title.clone()
    };
    // A range per article (or a notice's section) inside the document's:
    // the canvases it is printed on, so a viewer's contents list them.
    let mut items = items;
    for a in gazette_model::legal::articles(&v.paragraphs) {
        let on: Vec<u32> = a
            .paragraphs
            .iter()
            .filter_map(|&i| v.paragraphs.get(i))
            .flat_map(|p| p.anchors.iter().map(|an| an.page))
            .collect();
        let canvases: Vec<Value> = pages
            .iter()
            .filter(|p| on.contains(&(p.id.page as u32)))
            .map(|p| json!({"id": u.canvas(&p.id), "type": "Canvas"}))
            .collect();
        if canvases.is_empty() {
            continue;
        }
        items.push(json!({
            "id": format!("{}/iiif/presentation/documents/{}/articles/{}/range", u.base, v.id, a.number),
            "type": "Range",
            "label": zh(&a.label),
            "items": canvases,
            "homepage": [{
                "id": format!("{}/documents/{}/articles/{}", u.base, v.id, a.number),
                "type": "Text", "format": "text/html", "label": zh(&a.label)
            }]
        }));
    }
    Some(json!({
        "id": format!("{}/iiif/presentation/documents/{}/range", u.base, v.id),
        "type": "Range",
        "label": zh(&title),
        "items": items,
        "rendering": [{
            "id": format!("{}/documents/{}.txt", u.base, v.id),
            "type": "Text",
            "format": "text/plain",
            "label": zh("标准文本（纯文本）")
        }]
    }))
}

fn metadata(s: &Scope) -> Vec<Value> {
    let entry = |k: &str, v: &str| json!({"label": zh(k), "value": zh(v)});
    let mut m = vec![
        entry("刊名", &s.issue.gazette),
        entry("年份", &s.issue.year.to_string()),
        entry("期号", &s.issue.number.to_string()),
    ];
    if let (Some(_), Some(v)) = (&s.document, s.documents.first()) {
        let f = &v.fields;
        for (k, val) in [
            ("标题", &f.title),
            ("文号", &f.doc_number),
            ("发文机关", &f.issuer),
            ("成文日期", &f.date),
            ("引用", &f.citation),
        ] {
            if !val.is_empty() {
                m.push(entry(k, val));
            }
        }
    } else if nav_date(s).is_some() {
        m.push(entry(
            "日期说明",
            "导航日期取本期所刊文件的最晚成文日期；本期出版日期未著录。",
        ));
    }
    m
}

/// A manifest for an issue or a document.
pub fn manifest(u: &Urls, s: &Scope) -> Value {
    let issue_id = &s.issue.id;
    let (id, label, homepage, search) = match &s.document {
        Some(d) => {
            let title = s
                .documents
                .first()
                .map(|v| v.fields.title.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| format!("文件 {d}"));
            (
                u.document_manifest(d),
                title,
                format!("{}/documents/{d}", u.base),
                format!("{}/iiif/presentation/documents/{d}", u.base),
            )
        }
        None => (
            u.issue_manifest(issue_id),
            issue_label(&s.issue.gazette, s.issue.year, s.issue.number),
            format!("{}/issues/{issue_id}", u.base),
            format!("{}/iiif/presentation/issues/{issue_id}", u.base),
        ),
    };
    let mut m = json!({
        "@context": ["http://iiif.io/api/search/2/context.json", PRESENTATION_CONTEXT],
        "id": id,
        "type": "Manifest",
        "label": zh(&label),
        "metadata": metadata(s),
        "summary": zh(&format!("{}，共{}页", issue_label(&s.issue.gazette, s.issue.year, s.issue.number), s.pages.len())),
        "rights": RIGHTS,
        "requiredStatement": {"label": zh("使用说明"), "value": zh(REQUIRED_STATEMENT)},
        "behavior": ["paged"],
        "viewingDirection": "left-to-right",
        "homepage": [{"id": homepage, "type": "Text", "label": zh(&label), "format": "text/html", "language": ["zh"]}],
        "items": s.pages.iter().map(|p| canvas(u, p)).collect::<Vec<_>>(),
        "service": [
            {"id": format!("{search}/search"), "type": "SearchService2"},
            {"@id": format!("{search}/search1"), "@type": "SearchService1",
             "profile": "http://iiif.io/api/search/1/search"}
        ]
    });
    if let Some(d) = nav_date(s) {
        m["navDate"] = json!(d);
    }
    let ranges: Vec<Value> = s
        .documents
        .iter()
        .filter_map(|v| range(u, v, &s.pages))
        .collect();
    if !ranges.is_empty() {
        m["structures"] = json!(ranges);
    }
    if let (Some(_), Some(v)) = (&s.document, s.documents.first()) {
        m["rendering"] = json!([{
            "id": format!("{}/documents/{}.txt", u.base, v.id),
            "type": "Text", "format": "text/plain", "label": zh("标准文本（纯文本）")
        }]);
        m["partOf"] = json!([{"id": u.issue_manifest(issue_id), "type": "Manifest",
            "label": zh(&issue_label(&s.issue.gazette, s.issue.year, s.issue.number))}]);
    } else {
        m["partOf"] = json!([{
            "id": u.collection(&format!("/{}/{}", issue_id.gazette, issue_id.year)),
            "type": "Collection",
            "label": zh(&format!("{}{}年", super::gazette_title(&s.issue.gazette), s.issue.year))
        }]);
    }
    m
}

/// A page's OCR lines as `supplementing` annotations.
pub fn annotations(u: &Urls, p: &Page) -> Value {
    let items: Vec<Value> = p
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.text.trim().is_empty())
        .map(|(i, l)| {
            json!({
                "id": u.line(&p.id, i),
                "type": "Annotation",
                "motivation": "supplementing",
                "body": {"type": "TextualBody", "value": l.text, "format": "text/plain", "language": "zh"},
                "target": u.target(&p.id, &l.bbox)
            })
        })
        .collect();
    json!({
        "@context": PRESENTATION_CONTEXT,
        "id": u.annotations(&p.id),
        "type": "AnnotationPage",
        "items": items
    })
}

async fn issue_manifest(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_issue_id(&id)?;
    let a = s.archive.clone();
    let scope = blocking(move || Scope::load_issue(&a, &id)).await?;
    Ok(ld(
        &headers,
        PRESENTATION_CONTEXT,
        &manifest(&Urls::new(&headers), &scope),
    ))
}

async fn document_manifest(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = super::request::parse_doc_id(&id)?;
    let a = s.archive.clone();
    let scope = blocking(move || Scope::load_document(&a, &id)).await?;
    Ok(ld(
        &headers,
        PRESENTATION_CONTEXT,
        &manifest(&Urls::new(&headers), &scope),
    ))
}

async fn annotation_page(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let issue = parse_issue_id(&id)?;
    let page: u16 = n
        .parse()
        .ok()
        .filter(|n| (1..=9999).contains(n))
        .ok_or_else(|| AppError::bad(format!("n: {n:?} is not a page number (1 to 9999)")))?;
    let pid = PageId { issue, page };
    let a = s.archive.clone();
    let p = blocking(move || {
        a.page(&pid, None)?
            .ok_or_else(|| AppError::not_found(format!("no page {pid}")))
    })
    .await?;
    Ok(ld(
        &headers,
        PRESENTATION_CONTEXT,
        &annotations(&Urls::new(&headers), &p),
    ))
}

fn collection(id: String, label: &str, items: Vec<Value>) -> Value {
    json!({
        "@context": PRESENTATION_CONTEXT,
        "id": id,
        "type": "Collection",
        "label": zh(label),
        "rights": RIGHTS,
        "requiredStatement": {"label": zh("使用说明"), "value": zh(REQUIRED_STATEMENT)},
        "items": items
    })
}

async fn top_collection(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let a = s.archive.clone();
    let gazettes = blocking(move || Ok(a.gazettes()?)).await?;
    let u = Urls::new(&headers);
    let items = gazettes
        .iter()
        .map(|g| {
            json!({"id": u.collection(&format!("/{}", g.code)), "type": "Collection",
                   "label": zh(&super::gazette_title(&g.name))})
        })
        .collect();
    Ok(ld(
        &headers,
        PRESENTATION_CONTEXT,
        &collection(u.collection(""), TOP_LABEL, items),
    ))
}

fn gazette_code(code: &str) -> Result<archive::GazetteCode, AppError> {
    archive::GazetteCode::new(code).map_err(|_| {
        AppError::bad(format!(
            "code: {code:?} is not a gazette code (1 to 16 lower-case letters or digits)"
        ))
    })
}

/// The gazette named by `code` and its issues.
async fn gazette_issues(
    s: &AppState,
    code: archive::GazetteCode,
) -> ApiResult<(archive::Gazette, Vec<archive::Issue>)> {
    let a: Arc<Archive> = s.archive.clone();
    blocking(move || {
        let g = a
            .gazettes()?
            .into_iter()
            .find(|g| g.code == code)
            .ok_or_else(|| AppError::not_found(format!("no gazette {code}")))?;
        let issues = a
            .issues()?
            .into_iter()
            .filter(|i| i.id.gazette == code)
            .collect();
        Ok((g, issues))
    })
    .await
}

async fn gazette_collection(
    State(s): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (g, issues) = gazette_issues(&s, gazette_code(&code)?).await?;
    let u = Urls::new(&headers);
    let mut years: Vec<u16> = issues.iter().map(|i| i.year).collect();
    years.sort_unstable();
    years.dedup();
    let items = years
        .iter()
        .map(|y| {
            json!({"id": u.collection(&format!("/{}/{y}", g.code)), "type": "Collection",
                   "label": zh(&format!("{}{y}年", super::gazette_title(&g.name)))})
        })
        .collect();
    let mut c = collection(
        u.collection(&format!("/{}", g.code)),
        &super::gazette_title(&g.name),
        items,
    );
    c["partOf"] = json!([{"id": u.collection(""), "type": "Collection", "label": zh(TOP_LABEL)}]);
    Ok(ld(&headers, PRESENTATION_CONTEXT, &c))
}

async fn year_collection(
    State(s): State<AppState>,
    Path((code, year)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let code = gazette_code(&code)?;
    let year: u16 = year
        .parse()
        .ok()
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(|| AppError::bad(format!("year: {year:?} is not a year (1 to 9999)")))?;
    let (g, issues) = gazette_issues(&s, code).await?;
    let mut issues: Vec<archive::Issue> = issues.into_iter().filter(|i| i.year == year).collect();
    if issues.is_empty() {
        return Err(AppError::not_found(format!(
            "no issue of {} in {year}",
            g.code
        )));
    }
    issues.sort_by_key(|i| i.number);
    let u = Urls::new(&headers);
    let items = issues
        .iter()
        .map(|i| {
            json!({"id": u.issue_manifest(&i.id), "type": "Manifest",
                   "label": zh(&issue_label(&i.gazette, i.year, i.number))})
        })
        .collect();
    let mut c = collection(
        u.collection(&format!("/{}/{year}", g.code)),
        &format!("{}{year}年", super::gazette_title(&g.name)),
        items,
    );
    c["partOf"] = json!([{"id": u.collection(&format!("/{}", g.code)), "type": "Collection",
                          "label": zh(&super::gazette_title(&g.name))}]);
    Ok(ld(&headers, PRESENTATION_CONTEXT, &c))
}
