//! The ingest crate's error type: every failure names the file and, where
//! there is one, the page, so a batch can report exactly what went wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure to read, decode or recognise one issue or one page of it.
///
/// The location is part of the error rather than of the message so that a
/// caller can group, count or record failures without parsing text.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", Location { path, page: *page })]
pub struct Error {
    /// The file (or directory) the failure belongs to.
    pub path: PathBuf,
    /// The 1-based page within that file, when the failure is a page's.
    pub page: Option<usize>,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong, independent of where.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a supported page image or pdf ({0})")]
    UnknownFormat(String),
    #[error("corrupt or truncated image: {0}")]
    Image(String),
    #[error("corrupt or truncated pdf: {0}")]
    Pdf(String),
    #[error("pdf has no pages (truncated or damaged file)")]
    NoPages,
    #[error("pdf page tree loops back to object {0} {1}")]
    PageTreeLoop(u32, u16),
    #[error("image is {width}x{height} pixels, more than the limit of {limit} pixels a side or {max_pixels} in all")]
    TooLarge {
        width: u64,
        height: u64,
        limit: u32,
        max_pixels: u64,
    },
    #[error("unsupported image encoding: {0}")]
    Unsupported(String),
    #[error("page has neither usable text nor an image")]
    EmptyPage,
    #[error("ocr failed: {0}")]
    Ocr(#[from] crate::ocr::OcrError),
    #[error("cannot keep the page image: {0}")]
    Keep(String),
    #[error("internal error (panic) while processing: {0}")]
    Panic(String),
}

impl Error {
    /// An error about a whole file.
    pub fn file(path: impl Into<PathBuf>, kind: impl Into<ErrorKind>) -> Self {
        Self {
            path: path.into(),
            page: None,
            kind: kind.into(),
        }
    }

    /// An error about one page of a file.
    pub fn page(path: impl Into<PathBuf>, page: usize, kind: impl Into<ErrorKind>) -> Self {
        Self {
            path: path.into(),
            page: Some(page),
            kind: kind.into(),
        }
    }
}

struct Location<'a> {
    path: &'a Path,
    page: Option<usize>,
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(p) => write!(f, "{}: page {p}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
