//! A minimal safe wrapper over Tesseract's C API: create and load a model,
//! recognise an 8-bit grey raster, and walk the result symbol by symbol with
//! each symbol's box and confidence. The `tesseract` crate's plumbing has no
//! result iterator, and character boxes are what lets every character of a
//! text lead back to its place on the page.

use super::engine::OcrError;
use crate::page::{BBox, Raster};
use std::ffi::CStr;
use std::os::raw::c_int;
use std::ptr::NonNull;
use tesseract::plumbing::tesseract_sys as sys;

/// One Tesseract instance. Not `Sync`: each worker thread owns its own.
pub(crate) struct Api(NonNull<sys::TessBaseAPI>);

// SAFETY: a TessBaseAPI has no thread affinity; it may move between threads
// as long as only one uses it at a time, which `&mut self` guarantees.
unsafe impl Send for Api {}

/// A recognised symbol (usually one character).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Symbol {
    pub text: String,
    pub bbox: BBox,
    /// 0 to 100, as Tesseract reports it.
    pub confidence: f32,
    /// The symbol begins a word (Tesseract saw a gap before it).
    pub word_start: bool,
}

/// A recognised text line: its box and symbols in reading order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextLine {
    pub bbox: BBox,
    pub symbols: Vec<Symbol>,
}

impl Api {
    /// Creates an instance and loads `lang` from `datapath` (or the default
    /// tessdata directory); `None` when the model cannot be loaded.
    pub fn new(datapath: Option<&CStr>, lang: &CStr) -> Option<Api> {
        // SAFETY: TessBaseAPICreate has no preconditions.
        let raw = unsafe { sys::TessBaseAPICreate() };
        let api = Api(NonNull::new(raw)?);
        // SAFETY: the handle is live and both strings are nul-terminated
        // and outlive the call.
        let rc = unsafe {
            sys::TessBaseAPIInit3(
                api.0.as_ptr(),
                datapath.map_or(std::ptr::null(), CStr::as_ptr),
                lang.as_ptr(),
            )
        };
        (rc == 0).then_some(api)
    }

    pub fn set_variable(&mut self, name: &CStr, value: &CStr) -> bool {
        // SAFETY: live handle, nul-terminated strings.
        unsafe { sys::TessBaseAPISetVariable(self.0.as_ptr(), name.as_ptr(), value.as_ptr()) == 1 }
    }

    pub fn set_page_seg_mode(&mut self, psm: i32) {
        // SAFETY: live handle; an unknown mode is ignored by Tesseract.
        unsafe { sys::TessBaseAPISetPageSegMode(self.0.as_ptr(), psm as sys::TessPageSegMode) }
    }

    /// Recognises a raster and returns its lines.
    pub fn recognize(&mut self, r: &Raster, dpi: u32) -> Result<Vec<TextLine>, OcrError> {
        self.set_image(r, dpi)?;
        // SAFETY: live handle with an image set.
        if unsafe { sys::TessBaseAPIRecognize(self.0.as_ptr(), std::ptr::null_mut()) } != 0 {
            return Err(OcrError::Recognition);
        }
        Ok(self.lines())
    }

    /// Gives Tesseract the raster and its resolution.
    fn set_image(&mut self, r: &Raster, dpi: u32) -> Result<(), OcrError> {
        let (w, h) = (r.width as c_int, r.height as c_int);
        if w <= 0 || h <= 0 || r.pixels.len() < r.width as usize * r.height as usize {
            return Err(OcrError::Raster(r.width, r.height));
        }
        // SAFETY: the buffer holds width*height bytes (checked above) and
        // Tesseract copies it into its own image during SetImage.
        unsafe {
            sys::TessBaseAPISetImage(self.0.as_ptr(), r.pixels.as_ptr(), w, h, 1, w);
            sys::TessBaseAPISetSourceResolution(self.0.as_ptr(), dpi as c_int);
        }
        Ok(())
    }

    /// Orientation detection (an `osd` model, page segmentation mode 0):
    /// the clockwise turn in degrees that sets the page upright, and
    /// Tesseract's confidence in it; `None` when it finds no text to judge.
    pub fn orientation(&mut self, r: &Raster, dpi: u32) -> Result<Option<(i32, f32)>, OcrError> {
        self.set_image(r, dpi)?;
        let (mut deg, mut conf, mut script_conf) = (0 as c_int, 0f32, 0f32);
        let mut script: *const std::os::raw::c_char = std::ptr::null();
        // SAFETY: live handle with an image set; every out-pointer is a
        // local that outlives the call; the script name points into
        // Tesseract's own table and is not freed by us.
        let ok = unsafe {
            sys::TessBaseAPIDetectOrientationScript(
                self.0.as_ptr(),
                &mut deg,
                &mut conf,
                &mut script,
                &mut script_conf,
            )
        };
        // `deg` is the text's orientation; the turn that undoes it is its
        // complement (Tesseract prints both: "Orientation in degrees: 270,
        // Rotate: 90").
        Ok((ok != 0).then_some(((360 - deg).rem_euclid(360), conf)))
    }

    /// Tesseract's layout analysis alone, no recognition: the boxes of the
    /// page's text lines in reading order.
    pub fn layout(&mut self, r: &Raster, dpi: u32) -> Result<Vec<BBox>, OcrError> {
        self.set_image(r, dpi)?;
        let mut boxes = Vec::new();
        // SAFETY: live handle with an image set; the page iterator
        // AnalyseLayout returns is ours until TessPageIteratorDelete.
        unsafe {
            let pi = sys::TessBaseAPIAnalyseLayout(self.0.as_ptr());
            if pi.is_null() {
                return Ok(boxes);
            }
            let line = sys::TessPageIteratorLevel_RIL_TEXTLINE;
            loop {
                let (mut l, mut t, mut rr, mut b) = (0, 0, 0, 0);
                if sys::TessPageIteratorBoundingBox(pi, line, &mut l, &mut t, &mut rr, &mut b) != 0
                {
                    boxes.push(BBox([
                        l.max(0) as u32,
                        t.max(0) as u32,
                        rr.max(0) as u32,
                        b.max(0) as u32,
                    ]));
                }
                if sys::TessPageIteratorNext(pi, line) == 0 {
                    break;
                }
            }
            sys::TessPageIteratorDelete(pi);
        }
        Ok(boxes)
    }

    fn lines(&mut self) -> Vec<TextLine> {
        use sys::{
            TessPageIteratorLevel_RIL_SYMBOL as SYMBOL, TessPageIteratorLevel_RIL_TEXTLINE as LINE,
            TessPageIteratorLevel_RIL_WORD as WORD,
        };
        let mut lines: Vec<TextLine> = Vec::new();
        // SAFETY: the iterator belongs to us until TessResultIteratorDelete;
        // the page iterator is the same object viewed as its base class and
        // is not deleted separately; every text returned is freed with
        // TessDeleteText after being copied.
        unsafe {
            let ri = sys::TessBaseAPIGetIterator(self.0.as_ptr());
            if ri.is_null() {
                return lines;
            }
            let pi = sys::TessResultIteratorGetPageIteratorConst(ri);
            let bbox = |level| {
                let (mut l, mut t, mut r, mut b) = (0, 0, 0, 0);
                if sys::TessPageIteratorBoundingBox(pi, level, &mut l, &mut t, &mut r, &mut b) != 0
                {
                    Some(BBox([
                        l.max(0) as u32,
                        t.max(0) as u32,
                        r.max(0) as u32,
                        b.max(0) as u32,
                    ]))
                } else {
                    None
                }
            };
            loop {
                if sys::TessPageIteratorIsAtBeginningOf(pi, LINE) != 0 || lines.is_empty() {
                    lines.push(TextLine {
                        bbox: bbox(LINE).unwrap_or(BBox([0, 0, 0, 0])),
                        symbols: Vec::new(),
                    });
                }
                let word_start = sys::TessPageIteratorIsAtBeginningOf(pi, WORD) != 0;
                let text = sys::TessResultIteratorGetUTF8Text(ri, SYMBOL);
                if !text.is_null() {
                    let s = CStr::from_ptr(text).to_string_lossy().into_owned();
                    sys::TessDeleteText(text);
                    if let (Some(b), Some(line)) = (bbox(SYMBOL), lines.last_mut()) {
                        if !s.trim().is_empty() {
                            line.symbols.push(Symbol {
                                text: s,
                                bbox: b,
                                confidence: sys::TessResultIteratorConfidence(ri, SYMBOL),
                                word_start,
                            });
                        }
                    }
                }
                if sys::TessResultIteratorNext(ri, SYMBOL) == 0 {
                    break;
                }
            }
            sys::TessResultIteratorDelete(ri);
        }
        lines.retain(|l| !l.symbols.is_empty());
        lines
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        // SAFETY: the handle is live and dropped exactly once.
        unsafe {
            sys::TessBaseAPIEnd(self.0.as_ptr());
            sys::TessBaseAPIDelete(self.0.as_ptr());
        }
    }
}

/// The linked Tesseract library's version.
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static, nul-terminated
    // string owned by the library.
    let v = unsafe { std::ffi::CStr::from_ptr(tesseract::plumbing::tesseract_sys::TessVersion()) };
    v.to_string_lossy().into_owned()
}
