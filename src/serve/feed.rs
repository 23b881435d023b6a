//! The change feed over HTTP: `/api/changes?since=CURSOR` (JSON, in the
//! order written, paged; a harvester following it from the start holds the
//! current documents exactly) and `/feed.atom` (the latest entries, newest
//! first, for people's feed readers).

use super::params::Params;
use super::{base_url, blocking, ApiResult, AppError, AppState};
use crate::xml::esc;
use archive::feed::{Change, Kind};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Entries per page of `/api/changes` unless `limit` says fewer.
const PAGE: usize = 1000;
/// Entries in the Atom feed.
const ATOM_ENTRIES: usize = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/changes", get(changes))
        .route("/feed.atom", get(atom))
}

/// Where an entry's version is read.
fn url(c: &Change) -> String {
    match c.kind {
        Kind::Issue => format!("/api/issues/{}", c.id),
        _ => format!("/api/documents/{}/versions/{}", c.id, c.version),
    }
}

fn entry(c: &Change) -> Value {
    json!({"seq": c.seq, "kind": c.kind, "id": c.id, "version": c.version,
           "sha256": c.sha256, "time": c.time, "url": url(c),
           "current": c.kind.is_current()})
}

async fn changes(State(s): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref(), &["since", "limit"])?;
    // The cursor is the number of the last entry a client holds; none
    // (or empty) is the start.
    let since = match p.str("since") {
        None => 0,
        Some(c) => c.trim().parse::<u64>().map_err(|_| {
            AppError::bad(format!(
                "parameter \"since\": expected a cursor from an earlier answer (a whole number), got {c:?}"
            ))
        })?,
    };
    let limit = p.num::<usize>("limit", 1..=PAGE)?.unwrap_or(PAGE);
    let a = s.archive.clone();
    // One more than asked tells whether more follow now.
    let mut got = blocking(move || Ok(a.changes(since, limit + 1)?)).await?;
    let more = got.len() > limit;
    got.truncate(limit);
    let cursor = got.last().map_or(since, |c| c.seq);
    let body = json!({
        "changes": got.iter().map(entry).collect::<Vec<_>>(),
        "next": more.then(|| cursor.to_string()),
        "cursor": cursor.to_string(),
    });
    let mut r = Json(body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}

/// What an entry says, for people.
fn title(c: &Change, doc_title: &str) -> String {
    let what = match c.kind {
        Kind::Issue => "新收一期",
        Kind::Added => "新增文件",
        Kind::Revised => "重新识读",
        Kind::Corrected => "人工校正",
        Kind::Verified => "人工核对",
        Kind::Candidate => "待定识读",
        Kind::Gone => "不再列于该期",
    };
    if doc_title.is_empty() {
        format!("{what}：{}", c.id)
    } else {
        format!("{what}：{doc_title}（{}）", c.id)
    }
}

async fn atom(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let base = base_url(&headers);
    let a = s.archive.clone();
    let entries = blocking(move || {
        let all = a.latest_changes(ATOM_ENTRIES)?;
        let mut out = Vec::new();
        for c in all {
            let doc_title = match c.kind {
                Kind::Issue => String::new(),
                _ => {
                    c.id.parse()
                        .ok()
                        .and_then(|id| a.version(&id, c.version).ok().flatten())
                        .map(|v| v.fields.title)
                        .unwrap_or_default()
                }
            };
            out.push((c, doc_title));
        }
        Ok(out)
    })
    .await?;
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z".to_string(), |(c, _)| c.time.clone());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str("<title>政府公报数据库：更新</title>\n");
    x.push_str(&format!("<id>{}/feed.atom</id>\n", esc(&base)));
    x.push_str(&format!(
        "<link rel=\"self\" href=\"{}/feed.atom\"/>\n",
        esc(&base)
    ));
    x.push_str(&format!("<updated>{}</updated>\n", esc(&updated)));
    x.push_str("<author><name>政府公报数据库</name></author>\n");
    for (c, doc_title) in &entries {
        let page = match c.kind {
            Kind::Issue => format!("{base}/issues/{}", c.id),
            _ => format!("{base}/documents/{}/v/{}", c.id, c.version),
        };
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", esc(&title(c, doc_title))));
        x.push_str(&format!("<id>{}/api/changes#{}</id>\n", esc(&base), c.seq));
        x.push_str(&format!("<link href=\"{}\"/>\n", esc(&page)));
        x.push_str(&format!("<updated>{}</updated>\n", esc(&c.time)));
        x.push_str(&format!(
            "<summary>{} {} v{} sha256 {}</summary>\n",
            esc(&serde_json::to_string(&c.kind).unwrap_or_default()),
            esc(&c.id),
            c.version,
            esc(&c.sha256)
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    let mut r = x.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(r)
}
