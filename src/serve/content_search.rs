//! IIIF Content Search for a manifest: `?q=` answered with the page lines
//! that hold the query's terms, as `highlighting` annotations on their
//! canvases (the box of the line: the OCR keeps no character boxes), in
//! version 2.0 (`.../search`) and, beside it, 1.0 (`.../search1`), which is
//! what Mirador 3 and 4 speak.
//!
//! Terms are found as the page view finds them ([`super::hits`]): folded as
//! the index folds, across line breaks; a hit over a line break gives both
//! lines. A document's search looks only at the lines inside its own
//! paragraphs' boxes, not at a neighbour sharing its page.

use super::hits::{self, Hit};
use super::linked::{ld, Scope, Urls};
use super::params::Params;
use super::request::{parse_issue_id, MAX_IGNORED_CHARS};
use super::{blocking, ApiResult, AppState};
use archive::Page;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

/// Most hits in one answer (no paging: an issue is a few dozen pages).
const MAX_HITS: usize = 1000;
/// The parameters the two versions define; only `q` is used, the rest
/// are accepted and ignored, as both versions ask of a service that does
/// not support them.
const PARAMS: &[&str] = &["q", "motivation", "date", "user"];

const SEARCH2_CONTEXT: &str = "http://iiif.io/api/search/2/context.json";

/// A hit resolved to its page and lines.
struct Found<'a> {
    page: &'a Page,
    hit: Hit,
}

/// The lines of a page the scope covers: all of them, or for a document
/// those whose centre lies in one of its paragraphs' boxes on that page.
fn lines_in_scope<'a>(s: &Scope, p: &'a Page) -> Vec<(usize, &'a str)> {
    let boxes: Option<Vec<gazette_model::BBox>> = s.document.as_ref().map(|_| {
        s.documents
            .iter()
            .flat_map(|v| v.paragraphs.iter())
            .flat_map(|pr| pr.anchors.iter())
            .filter(|a| a.page == p.id.page as u32)
            .map(|a| a.bbox)
            .collect()
    });
    p.lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            boxes.as_ref().is_none_or(|bs| {
                let cx = (l.bbox.x0() + l.bbox.x1()) / 2;
                let cy = (l.bbox.y0() + l.bbox.y1()) / 2;
                bs.iter()
                    .any(|b| (b.x0()..=b.x1()).contains(&cx) && (b.y0()..=b.y1()).contains(&cy))
            })
        })
        .map(|(i, l)| (i, l.text.as_str()))
        .collect()
}

fn search<'a>(s: &'a Scope, q: &str) -> Vec<Found<'a>> {
    let terms = hits::terms(q);
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    for p in &s.pages {
        let lines = lines_in_scope(s, p);
        let texts: Vec<&str> = lines.iter().map(|(_, t)| *t).collect();
        for mut h in hits::find(&texts, &terms) {
            // Spans name lines of the scope's list; make them the page's.
            for sp in &mut h.spans {
                sp.line = lines[sp.line].0;
            }
            out.push(Found { page: p, hit: h });
            if out.len() == MAX_HITS {
                return out;
            }
        }
    }
    out
}

/// The lines hits fall on, each once, in page order: (page, line index).
fn hit_lines<'a>(found: &[Found<'a>]) -> Vec<(&'a Page, usize)> {
    let mut v: Vec<(&Page, usize)> = Vec::new();
    for f in found {
        for sp in &f.hit.spans {
            if !v.iter().any(|(p, l)| p.id == f.page.id && *l == sp.line) {
                v.push((f.page, sp.line));
            }
        }
    }
    v
}

fn highlight_id(u: &Urls, p: &Page, line: usize) -> String {
    format!("{}/h{}", u.annotations(&p.id), line + 1)
}

/// The text around a hit: before its first span, the matched text, after
/// its last.
fn quote(f: &Found) -> (String, String, String) {
    let (first, last) = match (f.hit.spans.first(), f.hit.spans.last()) {
        (Some(a), Some(b)) => (a, b),
        _ => return Default::default(),
    };
    let line = |i: usize| f.page.lines[i].text.as_str();
    let (before, _, _) = hits::context(line(first.line), first.start, first.end);
    let (_, _, after) = hits::context(line(last.line), last.start, last.end);
    let exact: String = f
        .hit
        .spans
        .iter()
        .map(|sp| hits::context(line(sp.line), sp.start, sp.end).1)
        .collect();
    (before, exact, after)
}

fn answer_v2(u: &Urls, self_id: &str, found: &[Found]) -> Value {
    let items: Vec<Value> = hit_lines(found)
        .into_iter()
        .map(|(p, i)| {
            let l = &p.lines[i];
            json!({
                "id": highlight_id(u, p, i),
                "type": "Annotation",
                "motivation": "highlighting",
                "body": {"type": "TextualBody", "value": l.text, "format": "text/plain", "language": "zh"},
                "target": u.target(&p.id, &l.bbox)
            })
        })
        .collect();
    let matches: Vec<Value> = found
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let (prefix, exact, suffix) = quote(f);
            let targets: Vec<Value> = f
                .hit
                .spans
                .iter()
                .map(|sp| {
                    json!({"type": "SpecificResource", "source": highlight_id(u, f.page, sp.line),
                           "selector": [{"type": "TextQuoteSelector", "prefix": prefix,
                                         "exact": exact, "suffix": suffix}]})
                })
                .collect();
            json!({"id": format!("{self_id}#m{}", n + 1), "type": "Annotation",
                   "motivation": "contextualizing", "target": targets})
        })
        .collect();
    json!({
        "@context": SEARCH2_CONTEXT,
        "id": self_id,
        "type": "AnnotationPage",
        "items": items,
        "annotations": [{"type": "AnnotationPage", "items": matches}]
    })
}

fn answer_v1(u: &Urls, self_id: &str, found: &[Found]) -> Value {
    let resources: Vec<Value> = hit_lines(found)
        .into_iter()
        .map(|(p, i)| {
            let l = &p.lines[i];
            json!({
                "@id": highlight_id(u, p, i),
                "@type": "oa:Annotation",
                "motivation": "sc:painting",
                "resource": {"@type": "cnt:ContentAsText", "chars": l.text},
                "on": u.target(&p.id, &l.bbox)
            })
        })
        .collect();
    let hits: Vec<Value> = found
        .iter()
        .map(|f| {
            let (before, exact, after) = quote(f);
            let annos: Vec<String> = f
                .hit
                .spans
                .iter()
                .map(|sp| highlight_id(u, f.page, sp.line))
                .collect();
            json!({"@type": "search:Hit", "annotations": annos, "match": exact,
                   "before": before, "after": after})
        })
        .collect();
    json!({
        "@context": ["http://iiif.io/api/presentation/2/context.json", "http://iiif.io/api/search/1/context.json"],
        "@id": self_id,
        "@type": "sc:AnnotationList",
        "within": {"@type": "sc:Layer", "total": resources.len()},
        "resources": resources,
        "hits": hits
    })
}

#[derive(Clone, Copy)]
enum Version {
    V1,
    V2,
}

enum Target {
    Issue(String),
    Document(String),
}

async fn run(
    s: AppState,
    target: Target,
    version: Version,
    raw: Option<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref(), PARAMS)?;
    let q = p
        .text("q", archive::search::MAX_QUERY_CHARS)?
        .unwrap_or("")
        .to_string();
    for ignored in &PARAMS[1..] {
        p.text(ignored, MAX_IGNORED_CHARS)?;
    }
    let a = s.archive.clone();
    let (scope, path) = match target {
        Target::Issue(id) => {
            let id = parse_issue_id(&id)?;
            let path = format!("/iiif/presentation/issues/{id}");
            (blocking(move || Scope::load_issue(&a, &id)).await?, path)
        }
        Target::Document(id) => {
            let id = super::request::parse_doc_id(&id)?;
            let path = format!("/iiif/presentation/documents/{id}");
            (blocking(move || Scope::load_document(&a, &id)).await?, path)
        }
    };
    let u = Urls::new(&headers);
    let found = search(&scope, &q);
    let enc = percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC);
    Ok(match version {
        Version::V2 => {
            let id = format!("{}{path}/search?q={enc}", u.base);
            ld(&headers, SEARCH2_CONTEXT, &answer_v2(&u, &id, &found))
        }
        Version::V1 => {
            let id = format!("{}{path}/search1?q={enc}", u.base);
            ld(
                &headers,
                "http://iiif.io/api/search/1/context.json",
                &answer_v1(&u, &id, &found),
            )
        }
    })
}

pub async fn issue_v2(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    run(s, Target::Issue(id), Version::V2, raw, headers).await
}

pub async fn issue_v1(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    run(s, Target::Issue(id), Version::V1, raw, headers).await
}

pub async fn document_v2(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    run(s, Target::Document(id), Version::V2, raw, headers).await
}

pub async fn document_v1(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    run(s, Target::Document(id), Version::V1, raw, headers).await
}
