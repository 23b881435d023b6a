//! What a request may name and how much: the id parsers every route
//! uses (a malformed id is a 400 naming it), the limits of parameters the
//! routes and the OpenAPI document share, and loading a document's version.
//! Below every handler module, so none of them imports another for these.

use super::{blocking, ApiResult, AppError, AppState};
use archive::{Archive, DocId, Issue, IssueId, Version};

/// The deepest results page: with the largest page size it stays within
/// the index's deepest offset, so every page number allowed can be served.
pub const MAX_PAGE: usize = archive::search::MAX_OFFSET / archive::search::MAX_LIMIT;

/// Longest value of a field filter (issuer, type, attribute).
pub const MAX_FIELD_CHARS: usize = 256;

/// Longest value of an ignored parameter.
pub const MAX_IGNORED_CHARS: usize = 256;

pub fn parse_issue_id(id: &str) -> Result<IssueId, AppError> {
    id.parse()
        .map_err(|_| AppError::bad(format!("id: {id:?} is not an issue id such as yn-2017-05")))
}

pub fn parse_doc_id(id: &str) -> Result<DocId, AppError> {
    id.parse().map_err(|_| {
        AppError::bad(format!(
            "id: {id:?} is not a document id such as yn-2017-05-03"
        ))
    })
}

/// A document's version (`None`: the latest) with its history.
pub async fn load_version(
    s: &AppState,
    id: DocId,
    n: Option<u32>,
) -> ApiResult<(Version, archive::Document)> {
    let a = s.archive.clone();
    blocking(move || {
        let head = a
            .document(&id)?
            .ok_or_else(|| AppError::not_found(format!("no document {id}")))?;
        let n = n.unwrap_or(head.current());
        let v = a
            .version(&id, n)?
            .ok_or_else(|| AppError::not_found(format!("document {id} has no version {n}")))?;
        Ok((v, head))
    })
    .await
}

/// An issue, or a 404 naming it.
pub fn issue(a: &Archive, id: &IssueId) -> ApiResult<Issue> {
    a.issue(id)?
        .ok_or_else(|| AppError::not_found(format!("no issue {id}")))
}
