//! The shapes that flow through the pipeline: a decoded page raster and a
//! read page. Boxes, lines, confidence, text origin and verdicts are the
//! shared model's (`gazette_model`), re-exported here.

pub use gazette_model::{
    BBox, Confidence, Layout, Line, PageDirection, PageScript, Reading, TextOrigin, Verdict,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// An 8-bit greyscale raster of one page (0 = black ink, 255 = white paper).
///
/// Every source format is reduced to this: Tesseract is fed 8-bit buffers and
/// the preprocessing steps all work on grey values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// Row-major pixels, `width * height` bytes.
    pub pixels: Vec<u8>,
}

impl Raster {
    /// A white raster of the given size.
    pub fn blank(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            pixels: vec![255; width as usize * height as usize],
        }
    }

    /// A copy of the region at (x, y) of size w × h, clipped to the raster.
    pub fn crop(&self, x: u32, y: u32, w: u32, h: u32) -> Raster {
        let x = x.min(self.width);
        let y = y.min(self.height);
        let w = w.min(self.width - x);
        let h = h.min(self.height - y);
        let mut pixels = Vec::with_capacity(w as usize * h as usize);
        for row in y..y + h {
            let start = row as usize * self.width as usize + x as usize;
            pixels.extend_from_slice(&self.pixels[start..start + w as usize]);
        }
        Raster {
            width: w,
            height: h,
            pixels,
        }
    }

    /// The grey value at (x, y); the caller keeps x and y in range.
    #[inline]
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.pixels[y as usize * self.width as usize + x as usize]
    }
}

/// A page image as decoded from its source, before preprocessing.
#[derive(Clone, Debug)]
pub struct PageImage {
    pub raster: Raster,
    /// Resolution from the file's metadata (or, for a PDF, from the image's
    /// size on the page); `None` when the file does not say.
    pub dpi: Option<f32>,
}

/// A page image kept for serving: the original bytes where the format
/// serves (PNG, JPEG), otherwise a lossless PNG.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptImage {
    /// `png` or `jpeg`.
    pub format: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// A page with its text: the output of the reading half of ingest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    /// The file the page came from.
    pub source: PathBuf,
    /// 1-based position of the page within its issue.
    pub page: usize,
    /// 1-based page (or frame) within `source`.
    pub source_page: usize,
    /// Page size in pixels of the page image as decoded (for a text-layer
    /// page, at 300 dpi).
    pub width: u32,
    pub height: u32,
    pub dpi: Option<f32>,
    pub origin: TextOrigin,
    /// What reading concluded about the page: ok, blank or suspect, with
    /// the measured reason (a page that failed has no `PageText`).
    #[serde(default)]
    pub verdict: Verdict,
    /// Lines in reading order.
    pub lines: Vec<Line>,
    /// How the page was found to be set (direction, script, and why),
    /// when it was recognised by an engine that finds that.
    pub layout: Option<Layout>,
    /// The page image, when the pipeline was asked to keep it.
    #[serde(skip)]
    pub image: Option<KeptImage>,
    /// The text of a text layer the page had but was not read from (an
    /// invisible layer an earlier OCR left, or a little visible text over a
    /// scan), kept as provenance of what the file claimed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replaced_text_layer: Option<String>,
    /// Why the image could not be kept (the text is kept all the same).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub image_error: Option<String>,
    /// Where the page lies in its source's image, when that image holds
    /// more than the page (a book spread cut at its spine); `width`,
    /// `height` and the lines' boxes are then the page's own.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<SourceRegion>,
}

/// A page's box within the image it was cut from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRegion {
    pub bbox: BBox,
    /// The whole image's size, in the pixels `bbox` is given in.
    pub width: u32,
    pub height: u32,
}

impl PageText {
    /// The page's text, lines joined by newlines.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&l.text);
        }
        s
    }
}
