//! The model both libraries speak: what a read page is made of (boxes,
//! lines, confidence, where the text came from, the page's verdict) and what
//! a document is made of (its fields, paragraphs and their anchors).
//!
//! `ingest` produces these types and `archive` stores them; neither depends
//! on the other, so the shapes they share live here, in a leaf crate with no
//! dependency but serde. A type here changes only with both sides in mind:
//! the archive keeps these records on disk (see its format version).

pub mod citation;
mod document;
pub mod legal;
mod page;
pub mod printed;
pub mod script;

pub use document::{join_lines, Anchor, FieldNote, FieldSource, Fields, Paragraph};
pub use page::{
    page_quality, BBox, Confidence, Layout, Line, PageDirection, PageScript, Reading, TextOrigin,
    Verdict,
};
