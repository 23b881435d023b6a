//! The JSON API under /api: search, documents and their versions, 文号
//! lookup, issues, and the OpenAPI description of it all.

use super::params::Params;
use super::request::{load_version, parse_doc_id, parse_issue_id, MAX_FIELD_CHARS, MAX_PAGE};
use super::{blocking, cached, not_modified, ApiResult, AppError, AppState};
use archive::{DocId, Query, Sort, Version};
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gazette_model::legal::Date;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/documents/{id}", get(document))
        .route("/api/documents/{id}/versions/{n}", get(document_version))
        .route(
            "/api/documents/{id}/articles/{n}",
            get(super::articles::api_article),
        )
        .route("/api/lookup", get(lookup))
        .route("/api/issues", get(issues))
        .route("/api/issues/{id}", get(issue))
        .route("/api/pages/{id}/alto", get(super::alto::alto))
        .route("/api/openapi.json", get(super::openapi::openapi))
}

pub const SEARCH_PARAMS: &[&str] = &[
    "q",
    "year_from",
    "year_to",
    "issuer",
    "type",
    "attribute",
    "sort",
    "page",
    "size",
    "status",
    "as_of",
];

/// A search request from its parameters (shared with the web pages).
pub fn search_query(p: &Params) -> Result<(Query, usize), AppError> {
    let size = p
        .num::<usize>("size", 1..=archive::search::MAX_LIMIT)?
        .unwrap_or(10);
    let page = p.num::<usize>("page", 1..=MAX_PAGE)?.unwrap_or(1);
    let offset = (page - 1) * size;
    if offset > archive::search::MAX_OFFSET {
        return Err(AppError::bad(
            "parameter \"page\": too deep; narrow the search",
        ));
    }
    let sort = match p.str("sort") {
        None | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::DateDesc,
        Some("date_asc") => Sort::DateAsc,
        Some(other) => {
            return Err(AppError::bad(format!(
                "parameter \"sort\": expected relevance, date or date_asc, got {other:?}"
            )))
        }
    };
    let status = match p.str("status") {
        None => None,
        Some(s) => Some(archive::legal::Status::parse(s).ok_or_else(|| {
            AppError::bad(format!(
                "parameter \"status\": expected {}, got {s:?}",
                archive::legal::Status::expected()
            ))
        })?),
    };
    let q = Query {
        facets: true,
        status,
        as_of: as_of_param(p)?,
        acting: false,
        text: p.str("q").unwrap_or("").to_string(),
        year_from: p.num::<u16>("year_from", 1..=9999)?,
        year_to: p.num::<u16>("year_to", 1..=9999)?,
        issue: None,
        issuer: p.text("issuer", MAX_FIELD_CHARS)?.map(str::to_string),
        doc_type: p.text("type", MAX_FIELD_CHARS)?.map(str::to_string),
        attribute: p.text("attribute", MAX_FIELD_CHARS)?.map(str::to_string),
        sort,
        offset,
        limit: size,
    };
    q.check().map_err(|e| AppError::bad(e.to_string()))?;
    Ok((q, page))
}

fn facets(f: &[(String, u64)]) -> Value {
    f.iter()
        .map(|(v, n)| json!({"value": v, "count": n}))
        .collect()
}

async fn search(State(s): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref(), SEARCH_PARAMS)?;
    let (q, page) = search_query(&p)?;
    let size = q.limit;
    let day = q.as_of.unwrap_or_else(archive::legal::today);
    let r = s.search(q).await?;
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            json!({
                "id": h.id, "version": h.version, "title": h.title, "doc_number": h.doc_number,
                "issuer": h.issuer, "date": h.date, "citation": h.citation,
                "snippet": h.snippet.to_html(), "score": h.score,
                "status": h.standing.status(day).as_str(),
                "url": format!("/api/documents/{}", h.id),
            })
        })
        .collect();
    let body = json!({
        "total": r.total, "total_relation": if r.total_exact { "eq" } else { "gte" },
        "page": page, "size": size, "as_of": day.to_string(), "hits": hits,
        "facets": {"year": facets(&r.facets.year), "issuer": facets(&r.facets.issuer), "type": facets(&r.facets.doc_type)},
    });
    let mut resp = Json(body).into_response();
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=60"),
    );
    Ok(resp)
}

/// The plain citation style, for bibliographies outside China; empty when
/// the gazette's identity is not known (as the Chinese one is).
pub fn plain_citation(v: &Version) -> String {
    let f = &v.fields;
    if f.citation.is_empty() || f.gazette.is_empty() || f.year == 0 || f.issue == 0 {
        return String::new();
    }
    let pages = if f.start_page == f.end_page {
        format!("p. {}", f.start_page)
    } else {
        format!("pp. {}–{}", f.start_page, f.end_page)
    };
    let title = if f.doc_number.is_empty() {
        f.title.clone()
    } else {
        format!("{} ({})", f.title, f.doc_number)
    };
    format!(
        "{title}. {}, {}, no. {}, {pages}.",
        f.gazette, f.year, f.issue
    )
}

/// Everything about a version: its fields, paragraphs with anchors, both
/// citation styles, status and the document's history.
pub fn document_json(v: &Version, head: &archive::Document) -> Value {
    let mut rec = crate::record::record(v);
    let paragraphs: Vec<Value> = v
        .paragraphs
        .iter()
        .map(|p| {
            let anchors: Vec<Value> = p
                .anchors
                .iter()
                .map(|a| {
                    json!({
                        "page": a.page, "printed_page": a.printed_page, "bbox": a.bbox,
                        "page_id": format!("{}-p{:02}", v.id.issue, a.page),
                    })
                })
                .collect();
            json!({"text": p.text, "anchors": anchors})
        })
        .collect();
    rec["paragraphs"] = Value::Array(paragraphs);
    // Its articles (条), or a notice's sections, each at its own address.
    rec["articles"] = super::articles::summaries(v);
    // No citation is made from a missing identity: both are null and the
    // status says 出处未定 (the source is not established).
    let known = !v.fields.citation.is_empty();
    let plain = plain_citation(v);
    rec["citations"] = json!({
        "chinese": known.then_some(&v.fields.citation),
        "plain": (!plain.is_empty()).then_some(plain),
        "status": if known { "cited" } else { "出处未定" },
    });
    // Joint documents name each issuer; every field says where it was
    // read; values refused by their shape check are listed for review.
    rec["issuers"] = json!(v.fields.issuer_list());
    rec["field_sources"] = json!(v.fields.field_sources);
    rec["review"] = json!(v.fields.review);
    // A new machine reading of a person's text waits beside it: the
    // document is flagged until a person decides.
    let pending = head.pending().map(|p| {
        json!({"candidate_version": p.version, "current_version": head.current(),
               "reason": p.reason,
               "url": format!("/api/documents/{}/versions/{}", v.id, p.version)})
    });
    rec["needs_review"] = json!(v.fields.needs_review() || pending.is_some());
    rec["pending"] = json!(pending);
    rec["candidate"] = json!(v.candidate);
    if !v.by.is_empty() {
        rec["by"] = json!(v.by);
    }
    // An id the issue no longer lists still resolves, and says what
    // became of its document.
    rec["gone"] = json!(head.gone.as_ref().map(|g| json!({
        "kind": g.kind.as_str(),
        "into": g.into.iter().map(|d| json!({"id": d.to_string(),
            "url": format!("/api/documents/{d}")})).collect::<Vec<_>>(),
        "issue_version": g.issue_version,
        "time": g.time,
    })));
    rec["permalink"] = json!(format!("/documents/{}/v/{}", v.id, v.version));
    rec["latest"] = json!(format!("/documents/{}", v.id));
    rec["current_version"] = json!(head.current());
    rec["versions"] = head
        .versions
        .iter()
        .map(|i| {
            json!({"version": i.version, "status": i.status.as_str(), "sha256": i.sha256,
                   "reason": i.reason, "time": i.time, "candidate": i.candidate, "by": i.by,
                   "url": format!("/api/documents/{}/versions/{}", v.id, i.version)})
        })
        .collect();
    rec
}

/// A version's JSON and ETag, with its validity on `as_of`, rendered once
/// per generation of the archive and day asked about.
async fn document_bytes(
    s: &AppState,
    id: DocId,
    n: Option<u32>,
    as_of: Date,
) -> ApiResult<(String, bytes::Bytes)> {
    let key = format!(
        "{id}/{}/{as_of}",
        n.map_or("latest".to_string(), |n| n.to_string())
    );
    if let Some(b) = s
        .documents
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
    {
        if let Some((etag, body)) = split_cached(b) {
            return Ok((etag, body));
        }
    }
    let gen = s.generation();
    let (v, head) = load_version(s, id, n).await?;
    // The body holds the history (and what waits): it may change with
    // the archive, so its tag carries the generation.
    let etag = format!("{}-{}-g{gen}-{as_of}", v.version, v.fields.sha256);
    let mut rec = document_json(&v, &head);
    let a = s.archive.clone();
    rec["validity"] = blocking(move || Ok(super::validity::validity(&a, &v, as_of)?)).await?;
    let body = serde_json::to_vec(&rec).unwrap_or_default();
    // Stored as ETag, newline, body.
    let mut entry = etag.clone().into_bytes();
    entry.push(b'\n');
    entry.extend_from_slice(&body);
    let mut cache = s.documents.lock().unwrap_or_else(|p| p.into_inner());
    if s.generation() == gen {
        cache.put(key, bytes::Bytes::from(entry));
    }
    Ok((etag, bytes::Bytes::from(body)))
}

fn split_cached(b: &bytes::Bytes) -> Option<(String, bytes::Bytes)> {
    let nl = b.iter().position(|&c| c == b'\n')?;
    Some((
        String::from_utf8_lossy(&b[..nl]).into_owned(),
        b.slice(nl + 1..),
    ))
}

fn json_bytes(body: bytes::Bytes) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// The day a document's validity is asked about: `as_of` (yyyy-mm-dd),
/// else today.
fn as_of(raw: Option<&str>) -> Result<Date, AppError> {
    let p = Params::parse(raw, &["as_of"])?;
    Ok(as_of_param(&p)?.unwrap_or_else(archive::legal::today))
}

/// The `as_of` parameter: absent is `None`; present, it must be a date
/// (an empty one is not).
pub fn as_of_param(p: &Params) -> Result<Option<Date>, AppError> {
    match p.raw("as_of") {
        Some(d) => Date::parse_iso(d)
            .map(Some)
            .ok_or_else(|| AppError::bad(format!("as_of: {d:?} is not a date (yyyy-mm-dd)"))),
        None => Ok(None),
    }
}

async fn document(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let when = as_of(raw.as_deref())?;
    let (etag, body) = document_bytes(&s, parse_doc_id(&id)?, None, when).await?;
    if let Some(r) = not_modified(&headers, &etag) {
        return Ok(r);
    }
    Ok(cached(json_bytes(body), &etag, false))
}

async fn document_version(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let n: u32 = n
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| AppError::bad(format!("n: {n:?} is not a version number")))?;
    let (etag, body) =
        document_bytes(&s, parse_doc_id(&id)?, Some(n), as_of(raw.as_deref())?).await?;
    if let Some(r) = not_modified(&headers, &etag) {
        return Ok(r);
    }
    // A version's text never changes, but the record also holds the
    // document's history and what waits for a person, which do.
    Ok(cached(json_bytes(body), &etag, false))
}

async fn lookup(State(s): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(raw.as_deref(), &["doc_number"])?;
    // Blank is a 文号 nothing has; only a missing or empty one is refused.
    let number = p
        .raw("doc_number")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AppError::bad("parameter \"doc_number\" is required"))?
        .to_string();
    if number.chars().count() > 64 {
        return Err(AppError::bad(
            "parameter \"doc_number\": longer than 64 characters",
        ));
    }
    let a = s.archive.clone();
    let docs = blocking(move || {
        let mut out = Vec::new();
        for id in a.lookup(&number)? {
            if let Some(v) = a.current(&id)? {
                out.push(json!({"id": id.to_string(), "title": v.fields.title,
                    "doc_number": v.fields.doc_number, "citation": v.fields.citation,
                    "url": format!("/api/documents/{id}")}));
            }
        }
        Ok(out)
    })
    .await?;
    Ok(Json(json!({"documents": docs})))
}

async fn issues(State(s): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(raw.as_deref(), &["year"])?;
    let year = p.num::<u16>("year", 1..=9999)?;
    let a = s.archive.clone();
    let list = blocking(move || {
        Ok(a.issues()?
            .into_iter()
            .filter(|i| year.is_none_or(|y| i.year == y))
            .map(|i| {
                json!({"id": i.id.to_string(), "gazette": i.gazette, "year": i.year,
                       "number": i.number, "pages": i.current().pages,
                       "identity": if i.gazette.trim().is_empty() { "incomplete" } else { "complete" },
                       "documents": i.current().documents.len(),
                       "url": format!("/api/issues/{}", i.id)})
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(Json(json!({"issues": list})))
}

async fn issue(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = parse_issue_id(&id)?;
    let a = s.archive.clone();
    blocking(move || {
        let issue = super::request::issue(&a, &id)?;
        let cur = issue.current();
        let mut docs = Vec::new();
        for d in &cur.documents {
            if let Some(v) = a.current(d)? {
                docs.push(json!({"id": d.to_string(), "title": v.fields.title,
                    "doc_number": v.fields.doc_number, "start_page": v.fields.start_page,
                    "end_page": v.fields.end_page, "url": format!("/api/documents/{d}")}));
            }
        }
        let pages: Vec<Value> = a.current_pages(&issue)?.into_iter().map(|p| {
            let pid = &p.id;
            json!({"id": pid.to_string(), "printed": p.printed,
                "width": p.width, "height": p.height, "error": p.error,
                "verdict": p.verdict.name(), "quality": gazette_model::page_quality(&p.lines),
                "layout": p.layout,
                "region": p.image.as_ref().and_then(|i| i.region),
                "iiif": format!("/iiif/{pid}/info.json"),
                "alto": format!("/api/pages/{pid}/alto")})
        }).collect();
        let versions: Vec<Value> = issue
            .versions
            .iter()
            .map(|v| json!({"version": v.version, "sources": v.sources, "pages": v.pages, "time": v.time}))
            .collect();
        Ok(Json(json!({"id": id.to_string(), "gazette": issue.gazette, "year": issue.year,
            "number": issue.number, "version": cur.version, "documents": docs,
            "pages": pages, "versions": versions})))
    })
    .await
}
