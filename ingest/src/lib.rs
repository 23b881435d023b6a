//! The ingest library: reads gazette issues (page images, scanned and
//! born-digital PDFs), preprocesses and OCRs them into pages of lines with
//! geometry, and cuts each issue into its documents. It knows nothing of
//! storage, indexing or HTTP.
//!
//! The stages, each a folder, in pipeline order: [`source`] finds issues
//! and their pages; [`decode`] turns a page's bytes into its image as
//! printed ([`raster`] for image files, [`pdf`] and [`compose`] for PDFs)
//! or its text ([`textlayer`]); [`prepare`] readies an image
//! ([`preprocess::prepare`]); [`recognise`] reads it (an [`OcrEngine`], the
//! [`textfix`] that puts print right, each page's [`verdict`]);
//! [`segment`] cuts an issue into documents. [`pipeline::run`] runs
//! reading in parallel and hands over whole issues in order.

pub mod debug;
pub mod decode;
pub mod error;
pub mod page;
pub mod pipeline;
mod pixel;
pub mod prepare;
pub mod recognise;
pub mod segment;
pub mod source;

// The stages' modules by their own names, as the rest of the workspace
// knows them.
pub use decode::{compose, keep, pdf, raster, seal, textlayer};
pub use prepare::{pagefind, preprocess, spread};
pub use recognise::{calibrate, choose, folio, ocr, ppocr, textfix, verdict, vertical};

pub use error::{Error, ErrorKind};
pub use gazette_model as model;
pub use ocr::Tesseract;
pub use page::{
    BBox, Confidence, KeptImage, Line, PageImage, PageText, Raster, SourceRegion, TextOrigin,
    Verdict,
};
pub use pipeline::{Event, IssuePage, Options, ReadIssue};
pub use preprocess::{Preprocess, Switch};
pub use recognise::engine::{OcrEngine, OcrError, Turn};
pub use segment::Document;
pub use source::IssueSource;
