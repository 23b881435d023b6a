//! Preparing a page image for recognition: the page found in a photo,
//! resolution, specks, background,
//! skew, smoothing, each on measured need.

pub mod pagefind;
pub mod preprocess;
pub mod spread;
