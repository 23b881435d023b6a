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

/// The coverage, unless the client holds this generation's already. It
/// reads every page record, so a revalidation costs nothing.
async fn load(
    s: &AppState,
    headers: &HeaderMap,
    kind: &str,
) -> ApiResult<Result<Coverage, Response>> {
    let etag = format!("coverage-{kind}-g{}", s.generation());
    if let Some(r) = not_modified(headers, &etag) {
        return Ok(Err(r));
    }
    let a = s.archive.clone();
    Ok(Ok(blocking(move || Ok(a.coverage()?)).await?))
}

async fn api(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let c = match load(&s, &headers, "json").await? {
        Ok(c) => c,
        Err(not_modified) => return Ok(not_modified),
    };
    let etag = format!("coverage-json-g{}", s.generation());
    Ok(cached(Json(c).into_response(), &etag, false))
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct View {
    c: Coverage,
}

async fn web(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let c = match load(&s, &headers, "html").await? {
        Ok(c) => c,
        Err(not_modified) => return Ok(not_modified),
    };
    let etag = format!("coverage-html-g{}", s.generation());
    Ok(cached(page_html(View { c })?, &etag, false))
}
