//! The engines behind a trait: what an OCR engine is asked (a page's lines,
//! and how the page is set where it finds that), what it can fail with,
//! and the names readings record their engine by.

use crate::page::{Layout, Line, Raster};
use serde::{Deserialize, Serialize};

/// What can go wrong in an OCR engine.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("cannot load tesseract language '{lang}' (is its traineddata installed, e.g. apt install tesseract-ocr-{package}?)")]
    Language { lang: String, package: String },
    #[error("{0} contains a nul byte")]
    Nul(&'static str),
    #[error("invalid raster {0}x{1}")]
    Raster(u32, u32),
    #[error("tesseract recognition failed")]
    Recognition,
    /// Any other engine's failure, in its own words.
    #[error("{0}")]
    Engine(String),
}

/// A page's lines and how it was found to be set.
#[derive(Clone, Debug, Default)]
pub struct PageRead {
    pub lines: Vec<Line>,
    pub layout: Option<Layout>,
}

/// Recognises the text lines of a prepared page image.
///
/// Implementations are shared by all worker threads, so they must be
/// `Sync`; per-thread state belongs in thread-locals.
pub trait OcrEngine: Sync {
    /// Lines in reading order, with boxes in the given raster's pixels and
    /// raw engine text (the caller fixes spacing and punctuation).
    fn recognize(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, OcrError>;
    /// The lines, and how the page was found to be set (direction and
    /// script, with the measurements behind them) where the engine finds
    /// that; an engine that reads every page one way tells nothing.
    fn recognize_page(&self, raster: &Raster, dpi: u32) -> Result<PageRead, OcrError> {
        Ok(PageRead {
            lines: self.recognize(raster, dpi)?,
            layout: None,
        })
    }
    /// How far the page must be turned to stand upright, where the engine
    /// can tell (a page scanned sideways or upside down); `None` when it
    /// cannot.
    fn orientation(&self, _raster: &Raster, _dpi: u32) -> Result<Option<Turn>, OcrError> {
        Ok(None)
    }
    /// Frees the calling thread's engine state (called on every worker as a
    /// run ends, so no engine outlives its pool).
    fn release(&self) {}
    /// Engine, version and model, for provenance.
    fn describe(&self) -> String;
    /// Where the engine's tuning images go (none unless it was given a
    /// directory).
    fn debug(&self) -> &crate::debug::DebugSink {
        &crate::debug::NONE
    }
}

/// A turn that sets a page upright.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turn {
    /// Quarter turns clockwise: 0 to 3.
    pub quarters: u8,
    /// The detector's confidence, on its own scale (Tesseract's: above
    /// about 2 is a clear finding).
    pub confidence: f32,
}

/// The name a line read by Tesseract records as its engine.
pub const TESSERACT: &str = "tesseract";

/// How a batch's pages are set: found per page, or given for the batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Auto,
    Horizontal,
    Vertical,
}

/// Which characters a batch's pages are printed in: found per page (by
/// reading sample lines with each model and taking the surer), or given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    #[default]
    Auto,
    Simplified,
    Traditional,
}

impl std::str::FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Direction::Auto),
            "horizontal" => Ok(Direction::Horizontal),
            "vertical" => Ok(Direction::Vertical),
            _ => Err(format!("'{s}': expected auto, horizontal or vertical")),
        }
    }
}

impl std::str::FromStr for Script {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Script::Auto),
            "simplified" => Ok(Script::Simplified),
            "traditional" => Ok(Script::Traditional),
            _ => Err(format!("'{s}': expected auto, simplified or traditional")),
        }
    }
}
