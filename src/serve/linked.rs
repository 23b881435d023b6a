//! The linked-data helpers IIIF Presentation and Content Search share:
//! JSON-LD answers (`ld`), where each resource lives on the host a request
//! came to (`Urls`), and what a manifest shows (`Scope`: an issue, or one
//! document of it, with its pages and current versions). Below both, so
//! neither imports the other for these.

use super::{base_url, ApiResult, AppError};
use archive::{Archive, DocId, IssueId, Page, PageId, Version};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A JSON-LD answer: `application/ld+json` with the API's profile when the
/// client asks for it, plain JSON otherwise (what viewers fetch with);
/// readable from any origin, as viewers are served from elsewhere.
pub fn ld(headers: &HeaderMap, context: &str, body: &Value) -> Response {
    let wants_ld = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("application/ld+json"));
    let ctype = if wants_ld {
        format!("application/ld+json;profile=\"{context}\"")
    } else {
        "application/json".to_string()
    };
    let mut r = serde_json::to_string(body)
        .unwrap_or_default()
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&ctype) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    r
}

/// Where things live, on the host the request came to.
pub struct Urls {
    pub base: String,
}

impl Urls {
    pub fn new(headers: &HeaderMap) -> Urls {
        Urls {
            base: base_url(headers),
        }
    }
    fn issue(&self, id: &IssueId) -> String {
        format!("{}/iiif/presentation/issues/{id}", self.base)
    }
    pub fn issue_manifest(&self, id: &IssueId) -> String {
        format!("{}/manifest", self.issue(id))
    }
    pub fn document_manifest(&self, id: &DocId) -> String {
        format!("{}/iiif/presentation/documents/{id}/manifest", self.base)
    }
    pub fn canvas(&self, p: &PageId) -> String {
        format!("{}/canvas/{}", self.issue(&p.issue), p.page)
    }
    pub fn annotations(&self, p: &PageId) -> String {
        format!("{}/annotations/{}", self.issue(&p.issue), p.page)
    }
    /// A line's OCR annotation (line `i` of the page, from 0).
    pub fn line(&self, p: &PageId, i: usize) -> String {
        format!("{}/l{}", self.annotations(p), i + 1)
    }
    pub fn collection(&self, path: &str) -> String {
        format!("{}/iiif/presentation/collection{path}", self.base)
    }
    /// A line's box on its canvas, as a media fragment target.
    pub fn target(&self, p: &PageId, b: &gazette_model::BBox) -> String {
        format!(
            "{}#xywh={},{},{},{}",
            self.canvas(p),
            b.x0(),
            b.y0(),
            b.width(),
            b.height()
        )
    }
}

/// What a manifest shows: an issue or one document of it, with its pages
/// and the current versions of its documents.
pub struct Scope {
    pub issue: archive::Issue,
    pub pages: Vec<Page>,
    pub documents: Vec<Version>,
    /// The document, when the scope is one.
    pub document: Option<DocId>,
}

impl Scope {
    pub fn load_issue(a: &Archive, id: &IssueId) -> ApiResult<Scope> {
        let issue = super::request::issue(a, id)?;
        let pages = a.current_pages(&issue)?;
        let mut documents = Vec::new();
        for d in &issue.current().documents {
            if let Some(v) = a.current(d)? {
                documents.push(v);
            }
        }
        Ok(Scope {
            issue,
            pages,
            documents,
            document: None,
        })
    }

    /// One document: its current version and the pages it is printed on.
    pub fn load_document(a: &Archive, id: &DocId) -> ApiResult<Scope> {
        let v = a
            .current(id)?
            .ok_or_else(|| AppError::not_found(format!("no document {id}")))?;
        let mut s = Scope::load_issue(a, &id.issue)?;
        let on = document_pages(&v);
        s.pages.retain(|p| on.contains(&(p.id.page as u32)));
        s.documents = vec![v];
        s.document = Some(id.clone());
        Ok(s)
    }
}

/// The pages (scan positions) a document's paragraphs are anchored on.
pub fn document_pages(v: &Version) -> Vec<u32> {
    let mut pages: Vec<u32> = v
        .paragraphs
        .iter()
        .flat_map(|p| p.anchors.iter().map(|a| a.page))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}
