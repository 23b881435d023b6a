//! `/bulk/`: the bulk files (per gazette and year, documents and page
//! texts as gzipped JSON lines; `crate::bulk`) with their sizes and
//! SHA-256, and `/bulk/{name}` each file. The files are made when first
//! asked for after a write and kept in `ARCHIVE/bulk/{change}/`, named by
//! the last change-feed entry they include; older sets are removed.

use super::{blocking, cached, not_modified, ApiResult, AppError, AppState};
use crate::bulk::{read_manifest, write_all, Manifest};
use archive::Archive;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::path::PathBuf;
use std::sync::Mutex;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bulk/", get(list))
        .route("/bulk/{name}", get(file))
}

/// Held while a set of files is made: one maker at a time.
static MAKING: Mutex<()> = Mutex::new(());

/// The directory of the files of the archive as it is now, made if need
/// be, with its manifest.
fn current(a: &Archive) -> anyhow::Result<(PathBuf, Manifest)> {
    let seq = a.latest_changes(1)?.first().map_or(0, |c| c.seq);
    let root = a.dir().join("bulk");
    let dir = root.join(seq.to_string());
    if let Some(m) = read_manifest(&dir) {
        return Ok((dir, m));
    }
    let _making = MAKING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(m) = read_manifest(&dir) {
        return Ok((dir, m));
    }
    // Made beside, then renamed: a reader never sees half a set.
    let tmp = root.join(format!("{seq}.part"));
    let _ = std::fs::remove_dir_all(&tmp);
    let m = write_all(a, &tmp)?;
    std::fs::rename(&tmp, &dir)?;
    for e in std::fs::read_dir(&root)?.flatten() {
        if e.path() != dir {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    Ok((dir, m))
}

fn internal(e: anyhow::Error) -> AppError {
    tracing::error!("bulk files: {e:#}");
    AppError {
        status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        message: "cannot make the bulk files".into(),
    }
}

async fn list(State(s): State<AppState>) -> ApiResult<Response> {
    let a = s.archive.clone();
    let m = blocking(move || current(&a).map_err(internal)).await?.1;
    let files: Vec<serde_json::Value> = m
        .files
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or_default();
            v["url"] = format!("/bulk/{}", f.name).into();
            v
        })
        .collect();
    Ok(Json(serde_json::json!({"as_of_change": m.as_of_change, "files": files})).into_response())
}

async fn file(
    State(s): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let a = s.archive.clone();
    let (dir, m) = blocking(move || current(&a).map_err(internal)).await?;
    let f = m
        .files
        .into_iter()
        .find(|f| f.name == name)
        .ok_or_else(|| AppError::not_found(format!("no bulk file {name:?}")))?;
    if let Some(r) = not_modified(&headers, &f.sha256) {
        return Ok(r);
    }
    let path = dir.join(&f.name);
    let bytes = blocking(move || std::fs::read(path).map_err(|e| internal(e.into()))).await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/gzip"),
    );
    Ok(cached(r, &f.sha256, false))
}
