//! End-to-end tests of `gazette`, one binary made of modules (as ripgrep
//! does): fixture formats, bad input, the pipeline with a fake engine, and
//! real OCR through Tesseract.

mod archive;
mod bad_input;
mod browser;
mod cli;
mod compose;
mod corrections;
mod formats;
mod legal;
mod living;
mod ocr_quality;
mod open_data;
mod orientation;
mod pipeline;
mod print;
mod recogniser;
mod seam;
mod segment;
mod spread;
mod util;
mod verdicts;
mod vertical;
