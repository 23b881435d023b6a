//! Recognition: the OCR engine behind a trait (Tesseract, through a small
//! wrapper of its C API), the pass that mends its reading of gazette pages,
//! the text fixes that restore print as printed, folios, and each page's
//! verdict.

pub mod choose;
pub mod folio;
pub mod ocr;
pub mod ppocr;
mod tess;
pub mod textfix;
pub mod verdict;
