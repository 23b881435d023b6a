//! Articles: each article (条) of a document's standard text — or each
//! section (一、) of a notice without articles — at a stable address,
//! `/api/documents/{id}/articles/{n}` and `/documents/{id}/articles/{n}`,
//! with its paragraphs (款) and items (项), the pages it is printed on
//! (linked to the page image) and its citation as courts write it
//! (《全称》（文号）第六条). Structure is read by `gazette_model::legal`.

use super::request::{load_version, parse_doc_id};
use super::{cached, not_modified, ApiResult, AppError, AppState};
use archive::Version;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use gazette_model::legal::{self, Article, PartKind};
use serde_json::{json, Value};

/// An article number in a path: 1 to 9999.
fn parse_number(n: &str) -> Result<u32, AppError> {
    n.parse::<u32>()
        .ok()
        .filter(|n| (1..10_000).contains(n))
        .ok_or_else(|| AppError::bad(format!("n: {n:?} is not an article number (1 to 9999)")))
}

/// The pages an article is printed on, in order, each once: (position in
/// the issue, printed number).
fn pages(v: &Version, a: &Article) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &i in &a.paragraphs {
        for an in v
            .paragraphs
            .get(i)
            .map(|p| p.anchors.as_slice())
            .unwrap_or_default()
        {
            if !out.iter().any(|(p, _)| *p == an.page) {
                out.push((an.page, an.printed_page));
            }
        }
    }
    out
}

/// The article's citations: as a court writes it, the same with where it
/// is printed (《公报》YYYY年第N期第X页), and the plain style; each `None`
/// where the document's identity does not give it.
fn citations(v: &Version, a: &Article) -> Value {
    let f = &v.fields;
    let court = legal::court_citation(&f.title, &f.doc_number, &a.label);
    let printed = pages(v, a).first().map(|(_, p)| *p);
    // Only a document whose own citation was made is cited by page; the
    // page then stands in both styles, or in neither.
    let cited = printed.filter(|_| !f.citation.is_empty()).and_then(|p| {
        gazette_model::citation::pages(&f.gazette, f.year, f.issue, p, p).map(|s| (p, s))
    });
    let source = cited.as_ref().map(|(_, s)| s.clone());
    let chinese = match (&court, &source) {
        (Some(c), Some(s)) => Some(format!("{c}，载{s}")),
        _ => None,
    };
    let plain = match (court.is_some(), cited.map(|(p, _)| p)) {
        (true, Some(p)) => {
            let part = match a.kind {
                PartKind::Article => format!("art. {}", a.number),
                PartKind::Section => format!("part {}", a.number),
            };
            let number = if f.doc_number.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.doc_number)
            };
            Some(format!(
                "{}{number}, {part}. {}, {}, no. {}, p. {p}.",
                f.title, f.gazette, f.year, f.issue
            ))
        }
        _ => None,
    };
    json!({"court": court, "chinese": chinese, "plain": plain,
           "status": if chinese.is_some() { "cited" } else { "出处未定" }})
}

fn api_url(v: &Version, a: &Article) -> String {
    format!("/api/documents/{}/articles/{}", v.id, a.number)
}

fn web_url(v: &Version, a: &Article) -> String {
    format!("/documents/{}/articles/{}", v.id, a.number)
}

/// The document's articles as its JSON lists them.
pub fn summaries(v: &Version) -> Value {
    legal::articles(&v.paragraphs)
        .iter()
        .map(|a| {
            json!({"number": a.number, "label": a.label, "kind": a.kind, "text": a.text,
                   "url": api_url(v, a), "page_url": web_url(v, a)})
        })
        .collect()
}

/// One article, whole.
fn article_json(v: &Version, a: &Article) -> Value {
    let paragraphs: Vec<Value> = a
        .paragraphs
        .iter()
        .filter_map(|&i| v.paragraphs.get(i))
        .map(|p| {
            let anchors: Vec<Value> = p
                .anchors
                .iter()
                .map(|an| {
                    json!({"page": an.page, "printed_page": an.printed_page, "bbox": an.bbox,
                           "page_id": format!("{}-p{:02}", v.id.issue, an.page)})
                })
                .collect();
            json!({"text": p.text, "anchors": anchors})
        })
        .collect();
    let pages: Vec<Value> = pages(v, a)
        .into_iter()
        .map(|(page, printed)| {
            let id = format!("{}-p{page:02}", v.id.issue);
            json!({"page": page, "printed_page": printed, "page_id": id,
                   "url": format!("/pages/{id}?doc={}&v={}", v.id, v.version),
                   "image": format!("/iiif/{id}/full/max/0/default.jpg")})
        })
        .collect();
    json!({
        "document": v.id.to_string(), "version": v.version, "title": v.fields.title,
        "doc_number": v.fields.doc_number,
        "number": a.number, "label": a.label, "kind": a.kind, "headings": a.headings,
        "text": a.text, "paragraphs": paragraphs, "items": a.items, "pages": pages,
        "citations": citations(v, a), "url": api_url(v, a), "page_url": web_url(v, a),
        "document_url": format!("/api/documents/{}", v.id),
    })
}

/// The current version and its article `n`.
async fn load(s: &AppState, id: &str, n: &str) -> ApiResult<(Version, Article)> {
    let n = parse_number(n)?;
    let (v, _) = load_version(s, parse_doc_id(id)?, None).await?;
    let a = legal::articles(&v.paragraphs)
        .into_iter()
        .find(|a| a.number == n)
        .ok_or_else(|| AppError::not_found(format!("document {} has no article {n}", v.id)))?;
    Ok((v, a))
}

pub async fn api_article(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (v, a) = load(&s, &id, &n).await?;
    let etag = format!(
        "a{}-{}-{}-g{}",
        a.number,
        v.version,
        v.fields.sha256,
        s.generation()
    );
    if let Some(r) = not_modified(&headers, &etag) {
        return Ok(r);
    }
    Ok(cached(
        axum::Json(article_json(&v, &a)).into_response(),
        &etag,
        false,
    ))
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticleView {
    v: Version,
    a: Article,
    court: String,
    chinese: String,
    /// (printed page, link to the page view).
    pages: Vec<(u32, String)>,
}

pub async fn web_article(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (v, a) = load(&s, &id, &n).await?;
    let c = citations(&v, &a);
    let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    let pages = pages(&v, &a)
        .into_iter()
        .map(|(page, printed)| {
            (
                printed,
                format!(
                    "/pages/{}-p{page:02}?doc={}&v={}",
                    v.id.issue, v.id, v.version
                ),
            )
        })
        .collect();
    super::page_html(ArticleView {
        court: text("court"),
        chinese: text("chinese"),
        pages,
        v,
        a,
    })
}
