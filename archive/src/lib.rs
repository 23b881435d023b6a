//! The archive library: the data model of a gazette archive and, as it
//! grows, its store, index and fixity checks. It knows nothing of PDFs or
//! OCR. Today it holds the identifiers every later part shares.

pub mod error;
pub mod id;

pub use error::Error;
pub use id::{DocId, GazetteCode, IssueId};

/// The on-disk format version of an archive. An archive written with
/// another version is refused with a clear error rather than misread.
pub const FORMAT_VERSION: u32 = 1;
