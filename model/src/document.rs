//! A document as segmentation finds it and the archive keeps it: its
//! citation fields and its paragraphs, each anchored to the lines it was
//! read from.

use crate::page::BBox;
use serde::{Deserialize, Serialize};

/// Where part of a paragraph is printed: a line box on a page of the issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// 1-based position of the page in its issue as scanned (a page that
    /// failed to read keeps its position).
    pub page: u32,
    /// The page number printed on it.
    pub printed_page: u32,
    pub bbox: BBox,
}

/// A paragraph of a document's standard text and where it is printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub anchors: Vec<Anchor>,
}

/// A document's fields: the keys of `gazette segment`'s output and of the
/// archive's document versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    pub gazette: String,
    pub year: u16,
    pub issue: u16,
    pub title: String,
    /// The 文号 as printed.
    pub doc_number: String,
    pub doc_number_normalised: String,
    pub issuer: String,
    /// The date as printed, and as `yyyy-mm-dd` where it parses.
    pub date: String,
    pub date_iso: String,
    /// 此件公开发布 and the like.
    pub attribute: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Printed page numbers.
    pub start_page: u32,
    pub end_page: u32,
    /// The standard text: paragraphs joined by newlines.
    pub text: String,
    pub citation: String,
    /// Hex SHA-256 of `text` in UTF-8.
    pub sha256: String,
}
