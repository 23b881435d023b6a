//! Decoding: from a page's bytes to its image as printed (image files,
//! scanned PDFs composed as drawn) or to its text (a born-digital PDF's
//! text layer), and keeping a servable copy of the page image.

pub mod compose;
pub mod keep;
pub mod pdf;
pub mod raster;
pub mod seal;
pub mod textlayer;
