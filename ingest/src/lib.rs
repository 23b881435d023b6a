//! The ingest library: reads gazette issues (page images, scanned and
//! born-digital PDFs), preprocesses and OCRs them into pages of lines with
//! geometry. It knows nothing of storage, indexing or HTTP.
//!
//! The stages are functions, in pipeline order: [`source::discover`] and
//! [`source::open`] find issues and their pages; [`raster`] and [`pdf`]
//! decode page images; [`textlayer`] reads born-digital text;
//! [`preprocess::prepare`] readies an image; an [`ocr::OcrEngine`]
//! recognises it; [`textfix`] puts the text right; [`pipeline::run`] runs it
//! all in parallel and in order.

pub mod error;
pub mod folio;
pub mod keep;
pub mod ocr;
pub mod page;
pub mod pdf;
pub mod pipeline;
pub mod preprocess;
pub mod raster;
pub mod segment;
pub mod source;
mod tess;
pub mod textfix;
pub mod textlayer;
pub mod verdict;

pub use error::{Error, ErrorKind};
pub use gazette_model as model;
pub use ocr::{OcrEngine, OcrError, Tesseract};
pub use page::{
    BBox, Confidence, KeptImage, Line, PageImage, PageText, Raster, TextOrigin, Verdict,
};
pub use pipeline::{Event, IssuePage, Options, ReadIssue};
pub use preprocess::{Preprocess, Switch};
pub use segment::Document;
pub use source::IssueSource;
