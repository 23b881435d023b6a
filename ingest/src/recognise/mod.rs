//! Recognition: the OCR engine behind a trait (Tesseract, through a small
//! wrapper of its C API), the pass that mends its reading of gazette pages,
//! the text fixes that restore print as printed, folios, each line's
//! calibrated confidence and each page's verdict.

mod assemble;
pub mod calibrate;
pub mod cells;
pub mod choose;
pub mod columns;
pub mod engine;
pub mod folio;
pub mod folio_dashes;
pub mod grid;
mod layout;
pub mod marks;
pub mod mixed;
pub mod ocr;
pub mod ppocr;
pub mod repair;
mod tess;
pub mod textfix;
pub mod verdict;
pub mod vertical;

/// The value a thread keeps in `slot` for `key` (an engine for its
/// language, a session for its model), made by `make` on first use or when
/// the key changed.
pub(crate) fn keyed<'a, K: PartialEq + Clone, V, E>(
    slot: &'a mut Option<(K, V)>,
    key: &K,
    make: impl FnOnce() -> Result<V, E>,
) -> Result<&'a mut V, E> {
    if slot.as_ref().is_none_or(|(k, _)| k != key) {
        *slot = None;
    }
    Ok(match slot {
        Some((_, v)) => v,
        None => &mut slot.insert((key.clone(), make()?)).1,
    })
}
