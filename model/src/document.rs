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
    /// Each issuer as printed, for joint documents several (`issuer` is
    /// them joined by an ideographic space, as a signature line prints
    /// them). Empty in records written before it existed: read `issuer`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// Where each extracted field was read: its page and line box, so a
    /// proofreader can check it on the image.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_sources: Vec<FieldSource>,
    /// Candidates that failed their field's shape check and were left out
    /// (the field stays empty): a document with any is marked for review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<FieldNote>,
}

impl Fields {
    /// The issuers: `issuers`, or for older records `issuer` alone.
    pub fn issuer_list(&self) -> Vec<String> {
        if !self.issuers.is_empty() {
            self.issuers.clone()
        } else if self.issuer.is_empty() {
            Vec::new()
        } else {
            vec![self.issuer.clone()]
        }
    }

    /// Whether a proofreader should look at the fields before they are
    /// trusted.
    pub fn needs_review(&self) -> bool {
        !self.review.is_empty()
    }
}

/// Where a field's value was printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSource {
    /// `title`, `doc_number`, `issuer`, `date` or `attribute`.
    pub field: String,
    /// 1-based position of the page in its issue.
    pub page: u32,
    pub bbox: BBox,
}

/// A value read where a field is printed that is not of the field's kind
/// (a damaged date where the issuer stands, say): kept for a proofreader,
/// never used as the field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldNote {
    pub field: String,
    /// The text as read.
    pub candidate: String,
    /// Why it was refused.
    pub reason: String,
    pub page: u32,
    pub bbox: BBox,
}
