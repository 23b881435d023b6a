//! Sitemaps for search engines (sitemaps.org 0.9): `/sitemap.xml`, an
//! index with one sitemap per gazette and year, and
//! `/sitemaps/{code}-{year}.xml`, every current document's page and every
//! page image's page of that year with its last change.

use super::{base_url, blocking, ApiResult, AppError, AppState};
use crate::xml::esc;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sitemap.xml", get(index))
        .route("/sitemaps/{name}", get(year))
}

fn xml(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

/// The later of two RFC 3339 times.
fn later(a: &str, b: &str) -> String {
    a.max(b).to_string()
}

async fn index(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let base = base_url(&headers);
    let a = s.archive.clone();
    let years = blocking(move || {
        // Per gazette and year, the latest change of any issue in it.
        let mut years: std::collections::BTreeMap<(String, u16), String> = Default::default();
        for i in a.issues()? {
            let t = i.current().time.clone();
            let e = years.entry((i.id.gazette.to_string(), i.year)).or_default();
            *e = later(e, &t);
        }
        Ok(years)
    })
    .await?;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for ((code, y), t) in years {
        x.push_str(&format!(
            "<sitemap><loc>{}/sitemaps/{code}-{y}.xml</loc><lastmod>{}</lastmod></sitemap>\n",
            esc(&base),
            esc(&t)
        ));
    }
    x.push_str("</sitemapindex>\n");
    Ok(xml(x))
}

async fn year(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let bad = || AppError::not_found(format!("no sitemap {name:?}"));
    let stem = name.strip_suffix(".xml").ok_or_else(bad)?;
    let (code, y) = stem.rsplit_once('-').ok_or_else(bad)?;
    let year: u16 = y.parse().map_err(|_| bad())?;
    let code = code.to_string();
    let base = base_url(&headers);
    let a = s.archive.clone();
    let urls = blocking(move || {
        let mut urls = Vec::new();
        for i in a.issues()? {
            if i.year != year || i.id.gazette.to_string() != code {
                continue;
            }
            let issue_time = i.current().time.clone();
            urls.push((format!("/issues/{}", i.id), issue_time.clone()));
            for d in &i.current().documents {
                let Some(head) = a.document(d)? else { continue };
                let t = head
                    .current_info()
                    .map_or(issue_time.clone(), |v| v.time.clone());
                urls.push((format!("/documents/{d}"), t));
            }
            for n in 1..=i.current().pages {
                urls.push((format!("/pages/{}-p{n:02}", i.id), issue_time.clone()));
            }
        }
        Ok(urls)
    })
    .await?;
    if urls.is_empty() {
        return Err(bad());
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, t) in urls {
        x.push_str(&format!(
            "<url><loc>{}{}</loc><lastmod>{}</lastmod></url>\n",
            esc(&base),
            esc(&path),
            esc(&t)
        ));
    }
    x.push_str("</urlset>\n");
    Ok(xml(x))
}
