//! `gazette serve`: the read-only HTTP service over an archive (tokio +
//! axum): the JSON API under /api, page images over IIIF Image API 3.0,
//! ALTO for each page's OCR, and server-rendered pages for the public.

pub(crate) mod alto;
mod api;
#[cfg(test)]
mod article_tests;
mod articles;
mod bulk;
mod content_search;
mod control;
mod coverage;
mod feed;
mod hits;
mod iiif;
mod linked;
mod oai;
mod openapi;
mod params;
mod presentation;
mod proofread;
mod request;
mod sitemap;
#[cfg(test)]
mod tests;
mod validity;
#[cfg(test)]
mod validity_tests;
mod web;

use anyhow::Context;
use archive::Archive;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clap::Args as ClapArgs;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long)]
    archive: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Records per OAI-PMH list answer (ListRecords, ListIdentifiers)
    /// before a resumption token.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    oai_page: u16,
}

/// Held for reading by every request's work on the archive, for writing
/// by a write handed over the control socket: a reader sees an issue
/// stored whole or not at all. One archive is served per process.
pub static GATE: RwLock<()> = RwLock::new(());

/// What every handler shares: the archive and the caches. Handlers only
/// read; writes come over the control socket (`control.rs`).
#[derive(Clone)]
pub struct AppState {
    pub archive: Arc<Archive>,
    /// Moves on at every write: caches hold only what was read in the
    /// current generation, and the ETags of what may change carry it.
    pub generation: Arc<AtomicU64>,
    /// Rendered IIIF responses by request path (bytes, content type).
    pub tiles: Arc<Mutex<lru::LruCache<String, (bytes::Bytes, &'static str)>>>,
    /// Decoded page images by content hash.
    pub decoded: Arc<Mutex<lru::LruCache<String, Arc<image::DynamicImage>>>>,
    /// Search results by query (cleared at every write).
    pub searches: Arc<Mutex<lru::LruCache<String, Arc<archive::Results>>>>,
    /// Rendered document JSON by id and version.
    pub documents: Arc<Mutex<lru::LruCache<String, bytes::Bytes>>>,
    /// Searches and images being computed, so that a burst of identical
    /// requests computes once and the rest wait for it.
    pub search_flights: Arc<Flights<Arc<archive::Results>>>,
    pub tile_flights: Arc<Flights<bytes::Bytes>>,
}

/// Single flight: concurrent calls with one key share one computation.
pub struct Flights<T>(Mutex<std::collections::HashMap<String, Arc<tokio::sync::OnceCell<T>>>>);

impl<T: Clone> Flights<T> {
    fn new() -> Self {
        Flights(Mutex::new(Default::default()))
    }

    /// Runs `f` for `key` unless a run is already under way, whose result
    /// is then shared. `f` should store its result where later callers
    /// look first (a cache): the key is forgotten once it finishes.
    pub async fn run<F, Fut>(&self, key: &str, f: F) -> ApiResult<T>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ApiResult<T>>,
    {
        let cell = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key.to_string())
            .or_default()
            .clone();
        let r = cell.get_or_try_init(f).await.cloned();
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        r
    }
}

impl AppState {
    pub fn new(archive: Archive) -> Self {
        // Sizes are non-zero constants.
        let tiles = NonZeroUsize::new(512).unwrap_or(NonZeroUsize::MIN);
        let decoded = NonZeroUsize::new(8).unwrap_or(NonZeroUsize::MIN);
        let many = NonZeroUsize::new(4096).unwrap_or(NonZeroUsize::MIN);
        AppState {
            archive: Arc::new(archive),
            generation: Arc::new(AtomicU64::new(0)),
            tiles: Arc::new(Mutex::new(lru::LruCache::new(tiles))),
            decoded: Arc::new(Mutex::new(lru::LruCache::new(decoded))),
            searches: Arc::new(Mutex::new(lru::LruCache::new(many))),
            documents: Arc::new(Mutex::new(lru::LruCache::new(many))),
            search_flights: Arc::new(Flights::new()),
            tile_flights: Arc::new(Flights::new()),
        }
    }

    /// The archive's generation: how many writes this server has made.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// After a write: the caches of what the archive says (searches,
    /// documents) are emptied and the generation moves on. Tiles and
    /// decoded images are keyed by their image's hash, which names one
    /// image forever: they stay.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.searches
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.documents
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Runs a search, or answers it from the cache.
    pub async fn search(&self, q: archive::Query) -> ApiResult<Arc<archive::Results>> {
        let key = format!("{q:?}");
        if let Some(r) = self
            .searches
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(r.clone());
        }
        let a = self.archive.clone();
        let cache = self.searches.clone();
        let k = key.clone();
        // A search begun before a write is neither joined by one begun
        // after it nor cached once the write is done.
        let gen = self.generation();
        let now = self.generation.clone();
        self.search_flights
            .run(&format!("{gen}:{key}"), || async move {
                let r = Arc::new(blocking(move || Ok(a.search(&q)?)).await?);
                let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
                if now.load(Ordering::SeqCst) == gen {
                    c.put(k, r.clone());
                }
                Ok(r)
            })
            .await
    }
}

/// A page rendered from its template; a template that fails is a 500,
/// logged.
pub fn page_html(t: impl askama::Template) -> ApiResult<Response> {
    let body = t.render().map_err(|e| {
        tracing::error!("template: {e}");
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "cannot render the page".into(),
        }
    })?;
    Ok(axum::response::Html(body).into_response())
}

/// An error answer: a status and a message (naming the parameter at
/// fault), sent as JSON `{"error": "..."}`.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
}

impl AppError {
    pub fn bad(message: impl Into<String>) -> Self {
        AppError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<archive::Error> for AppError {
    fn from(e: archive::Error) -> Self {
        match e {
            archive::Error::Query(m) => AppError::bad(m),
            archive::Error::Id(_) | archive::Error::GazetteCode(_) => AppError::bad(e.to_string()),
            e => {
                tracing::error!("archive: {e}");
                AppError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "internal error reading the archive".into(),
                }
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

pub type ApiResult<T> = Result<T, AppError>;

/// Runs blocking archive work off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    // Readers share the gate; a write over the control socket waits for
    // them and holds them off while it stores.
    let read = move || {
        let _gate = GATE.read().unwrap_or_else(|p| p.into_inner());
        f()
    };
    tokio::task::spawn_blocking(read).await.unwrap_or_else(|e| {
        tracing::error!("worker failed: {e}");
        Err(AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".into(),
        })
    })
}

/// The scheme and host a request came to (behind a proxy that says
/// `X-Forwarded-Proto: https`, https), for the absolute URLs IIIF wants.
/// A Host header that is not a plain host name gives `localhost`.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() < 256
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

pub use gazette_model::citation::{gazette_title, issue_title};

/// Only GET and HEAD: this service never changes anything.
async fn read_only(req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        next.run(req).await
    } else {
        let mut r = AppError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            message: format!(
                "method {} not allowed: this service is read-only",
                req.method()
            ),
        }
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    }
}

/// axum's own rejections (an undecodable path segment, say) are plain
/// text; every error this service gives is JSON.
async fn json_errors(req: Request, next: Next) -> Response {
    let r = next.run(req).await;
    let plain = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(r.status().is_client_error() && plain) {
        return r;
    }
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    AppError {
        status,
        message: String::from_utf8_lossy(&body).trim().to_lowercase(),
    }
    .into_response()
}

async fn not_found() -> AppError {
    AppError::not_found("no such page")
}

/// Liveness, kept trivial: it is also the baseline of the load benchmark.
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "format": archive::FORMAT_VERSION}))
}

/// The service. Every route, the read-only guard, limits, security
/// headers, compression and request logs.
pub fn app(state: AppState) -> Router {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
               object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(iiif::routes())
        .merge(presentation::routes())
        .merge(web::routes())
        .merge(coverage::routes())
        .merge(feed::routes())
        .merge(oai::routes())
        .merge(sitemap::routes())
        .merge(bulk::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(read_only))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
}

/// Long-lived caching for what never changes (a version, an image by
/// content), short for what may (the latest version, searches).
pub fn cached(mut r: Response, etag: &str, immutable: bool) -> Response {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\"")) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=60"
        }),
    );
    r
}

/// 304 when the client already holds this entity.
pub fn not_modified(req_headers: &axum::http::HeaderMap, etag: &str) -> Option<Response> {
    let inm = req_headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let quoted = format!("\"{etag}\"");
    if inm
        .split(',')
        .any(|t| t.trim() == quoted || t.trim() == "*")
    {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        if let Ok(v) = HeaderValue::from_str(&quoted) {
            r.headers_mut().insert(header::ETAG, v);
        }
        Some(r)
    } else {
        None
    }
}

pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let archive = crate::export::open(&args.archive)?;
    oai::set_page(args.oai_page.into());
    // A crash between a store commit and its index commit is put right
    // before anyone reads.
    let fixed = archive.reconcile().context("reconciling index and store")?;
    if fixed > 0 {
        eprintln!("index: {fixed} entries brought in line with the store");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let state = AppState::new(archive);
        control::clear_inbox(&args.archive);
        let (control, sock) = control::bind(&args.archive)?;
        tokio::spawn(control::run(control, state.clone()));
        eprintln!(
            "serving {} on http://{} (writes: {})",
            args.archive.display(),
            listener.local_addr()?,
            sock.display()
        );
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")?;
        Ok(std::process::ExitCode::SUCCESS)
    })
}
