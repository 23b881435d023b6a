//! `/api/coverage` and `/coverage`: per gazette and year, the issues held,
//! the numbers missing from each year's sequence, and the pages whose
//! verdict is not ok; and the sources that could not be read at all —
//! what archivists still have to find or rescan.

use super::{blocking, cached, not_modified, page_html, ApiResult, AppState};
use archive::coverage::Coverage;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/coverage", get(api))
        .route("/coverage", get(web))
}

/// The coverage and its ETag, or 304 when the client holds this
/// generation's already: it reads every page record, so a revalidation
/// costs nothing.
async fn load(
    s: &AppState,
    headers: &HeaderMap,
    kind: &str,
) -> ApiResult<Result<(Coverage, String), Response>> {
    let etag = format!("coverage-{kind}-g{}", s.generation());
    if let Some(r) = not_modified(headers, &etag) {
        return Ok(Err(r));
    }
    let a = s.archive.clone();
    Ok(Ok((blocking(move || Ok(a.coverage()?)).await?, etag)))
}

async fn api(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    match load(&s, &headers, "json").await? {
        Ok((c, etag)) => Ok(cached(Json(c).into_response(), &etag, false)),
        Err(not_modified) => Ok(not_modified),
    }
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct View {
    c: Coverage,
}

async fn web(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    match load(&s, &headers, "html").await? {
        Ok((c, etag)) => Ok(cached(page_html(View { c })?, &etag, false)),
        Err(not_modified) => Ok(not_modified),
    }
}
