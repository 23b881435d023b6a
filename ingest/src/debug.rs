//! Where tuning images go: a directory the caller names (`--debug-dir`),
//! or nowhere. Passed into the reader, so library code reads no
//! environment to decide what it writes.

use crate::page::Raster;
use std::path::PathBuf;
use std::sync::Arc;

/// A directory for the images a stage sees (the prepared page, a row's
/// crop, a column as the recogniser gets it, the page without its rules),
/// or none. Writing is best effort: a tuning aid never fails a page.
#[derive(Clone, Debug, Default)]
pub struct DebugSink {
    dir: Option<Arc<PathBuf>>,
}

/// The sink that writes nothing, for engines that keep none.
pub static NONE: DebugSink = DebugSink::none();

impl DebugSink {
    /// Nowhere.
    pub const fn none() -> DebugSink {
        DebugSink { dir: None }
    }

    /// Images are written into `dir`, which must exist.
    pub fn to(dir: PathBuf) -> DebugSink {
        DebugSink {
            dir: Some(Arc::new(dir)),
        }
    }

    /// Writes `r` as `name` (a PNG file name), when there is a directory.
    pub fn image(&self, name: &str, r: &Raster) {
        let Some(dir) = &self.dir else {
            return;
        };
        if let Some(img) = image::GrayImage::from_raw(r.width, r.height, r.pixels.clone()) {
            let _ = img.save(dir.join(name));
        }
    }
}
