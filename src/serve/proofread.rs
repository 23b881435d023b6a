//! The proofreading queue of an issue (`/issues/{id}/proof`): its
//! documents' lines, least sure first, each with its crop of the page
//! image beside the text and the commands that correct it. Read-only like
//! every page: the correcting is done with `gazette proof` where the
//! archive is kept.

use super::{blocking, ApiResult, AppError, AppState};
use crate::proof::lines::{lines_of, Pages};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// How many lines the queue shows: enough for a sitting's work, few
/// enough that the page (one image crop a line) stays light.
const QUEUE_LINES: usize = 200;

/// One line to check.
struct QueueLine {
    /// Confidence in per cent, or `?` when unknown.
    confidence: String,
    text: String,
    /// The crop of the page image (IIIF), when the line is on the page
    /// the issue serves.
    crop: Option<String>,
    page_link: String,
    doc: String,
    doc_title: String,
    line_id: String,
}

#[derive(Template)]
#[template(path = "proof.html")]
struct QueueView {
    id: String,
    title: String,
    total: usize,
    lines: Vec<QueueLine>,
    /// Documents whose new machine reading waits beside a person's text.
    pending: Vec<(String, String, u32)>,
}

pub async fn queue(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let id = super::request::parse_issue_id(&id)?;
    let a = s.archive.clone();
    let view = blocking(move || {
        let issue = super::request::issue(&a, &id)?;
        let cur = issue.current();
        let mut pages = Pages::new(&a);
        let mut all = Vec::new();
        let mut pending = Vec::new();
        for d in &cur.documents {
            let (Some(head), Some(v)) = (a.document(d)?, a.current(d)?) else {
                continue;
            };
            if let Some(p) = head.pending() {
                pending.push((d.to_string(), v.fields.title.clone(), p.version));
            }
            let found = lines_of(&v, &mut pages).map_err(|e| AppError {
                status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("{d}: {e:#}"),
            })?;
            for (page_no, _, line) in found {
                all.push((
                    page_no,
                    v.issue_version,
                    v.fields.title.clone(),
                    d.clone(),
                    line,
                ));
            }
        }
        // Least sure first; a line whose confidence is not known is less
        // sure than any.
        all.sort_by(|x, y| {
            let c = |l: &crate::proof::formats::ProofLine| l.confidence.unwrap_or(-1.0);
            c(&x.4).total_cmp(&c(&y.4))
        });
        let total = all.len();
        let mut lines = Vec::new();
        for (page_no, iv, title, doc, line) in all.into_iter().take(QUEUE_LINES) {
            let pid = archive::PageId {
                issue: id.clone(),
                page: page_no as u16,
            };
            // The image served is the current issue version's page, at
            // its stored size: the box is scaled to it.
            let crop = if iv == cur.version {
                pages.get(&pid, iv).ok().flatten().and_then(|p| {
                    let img = p.image.as_ref()?;
                    let (w, h) = img.page_size();
                    let sx =
                        |v: u32| (u64::from(v) * u64::from(w) / u64::from(p.width.max(1))) as u32;
                    let sy =
                        |v: u32| (u64::from(v) * u64::from(h) / u64::from(p.height.max(1))) as u32;
                    let b = line.bbox;
                    let (x0, y0) = (
                        sx(b.x0()).min(w.saturating_sub(1)),
                        sy(b.y0()).min(h.saturating_sub(1)),
                    );
                    let (x1, y1) = (sx(b.x1()).min(w), sy(b.y1()).min(h));
                    (x1 > x0 && y1 > y0).then(|| {
                        format!(
                            "/iiif/{pid}/{x0},{y0},{},{}/max/0/default.jpg",
                            x1 - x0,
                            y1 - y0
                        )
                    })
                })
            } else {
                None
            };
            lines.push(QueueLine {
                confidence: line
                    .confidence
                    .map_or("?".to_string(), |c| format!("{:.0}", c * 100.0)),
                text: line.text,
                crop,
                page_link: format!("/pages/{pid}?doc={doc}"),
                doc: doc.to_string(),
                doc_title: title,
                line_id: line.id,
            });
        }
        Ok(QueueView {
            title: super::issue_title(&issue.gazette, issue.year, issue.number),
            id: id.to_string(),
            total,
            lines,
            pending,
        })
    })
    .await?;
    super::page_html(view)
}
