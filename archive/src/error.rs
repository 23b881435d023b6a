//! The archive crate's error type.

/// What can go wrong in the archive.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("invalid gazette code {0:?}: use 1 to 16 lowercase ascii letters or digits")]
    GazetteCode(String),
    #[error("invalid id {0:?}: expected CODE-YEAR-ISSUE[-DOC], e.g. yn-2017-05-03")]
    Id(String),
}
