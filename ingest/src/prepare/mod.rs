//! Preparing a page image for recognition: resolution, specks, background,
//! skew, smoothing, each on measured need.

pub mod preprocess;
