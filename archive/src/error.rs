//! The archive crate's error type.

use std::path::PathBuf;

/// What can go wrong in the archive.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid gazette code {0:?}: use 1 to 16 lowercase ascii letters or digits")]
    GazetteCode(String),
    #[error("invalid id {0:?}: expected CODE-YEAR-ISSUE[-DOC|-pPAGE], e.g. yn-2017-05-03")]
    Id(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a gazette archive (no FORMAT file, and the directory is not empty)")]
    NotArchive { path: PathBuf },
    #[error("{path}: archive format {found} is not the format this program reads ({expected})")]
    Format {
        path: PathBuf,
        found: String,
        expected: u32,
    },
    #[error("{path}: archive is in use by another process")]
    Locked { path: PathBuf },
    #[error("store: {0}")]
    Store(#[from] sled::Error),
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("stored record {key}: {source}")]
    Record {
        key: String,
        source: serde_json::Error,
    },
    #[error("gazette code {code} already names {existing}, not {new}")]
    GazetteConflict {
        code: String,
        existing: String,
        new: String,
    },
    #[error("no document {0}")]
    UnknownDocument(String),
    #[error("document {id} has no version {version}")]
    UnknownVersion { id: String, version: u32 },
    #[error("{0}: no machine reading waits for a decision")]
    NoCandidate(String),
    #[error("{id}: the edit was made against version {base}; the document is at version {current} now: export it again")]
    Moved { id: String, base: u32, current: u32 },
    #[error("issue {0}: more documents than an id can number (999)")]
    TooManyDocuments(String),
    #[error("issue package {path}: {why}")]
    Bag { path: PathBuf, why: String },
    #[error("a correction needs a reason")]
    NoReason,
    #[error("invalid query: {0}")]
    Query(String),
    #[error("journal line {line}: {message}")]
    Journal { line: usize, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl PartialEq for Error {
    /// Errors compare by message: enough for tests, and the wrapped library
    /// errors are not comparable themselves.
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}
