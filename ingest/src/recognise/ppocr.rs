//! The second recogniser: PP-OCRv4's Chinese text-line recognition model
//! (PaddleOCR, Apache-2.0, as converted to ONNX in rapidocr-onnxruntime
//! 1.4.4) run by ONNX Runtime through the `ort` crate, loaded at run time
//! (`load-dynamic`) so a machine without the library still builds and reads
//! with Tesseract alone. It reads one line crop at a time: Tesseract stays
//! the layout engine and finds the lines.
//!
//! Input as the model was trained: the crop as three equal channels, scaled
//! to 48 pixels high (bilinear, OpenCV's half-pixel convention) keeping its
//! aspect, values `(x/255 − 0.5)/0.5`, zero-padded to at least 320 wide.
//! Output: per time step (8 pixels of input) a probability for each of the
//! 6625 classes (blank, the model's characters, space); greedy CTC decoding
//! keeps each step's best class, drops repeats and blanks, and takes the
//! step's probability as that character's confidence.

use super::engine::OcrError;
use crate::page::Raster;
use ort::session::Session;
use ort::value::Tensor;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A recogniser of single printed lines: the crop of one line, read left to
/// right. Behind a trait so another runtime (tract) or model fits.
pub trait LineRecogniser: Sync + Send {
    /// Reads one line image (grey, ink dark).
    fn read_line(&self, crop: &Raster) -> Result<LineReading, OcrError>;
    /// Frees the calling thread's state.
    fn release(&self) {}
    /// Engine, runtime and model, for provenance.
    fn describe(&self) -> String;
}

/// What a line recogniser read: the text and each character's confidence
/// (0–1), one per `char` of `text`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineReading {
    pub text: String,
    pub char_confidence: Vec<f32>,
    /// Where each `char` of `text` was read along the line, in the model's
    /// time steps (the middle of its run of frames); empty when the
    /// recogniser does not say.
    pub char_position: Vec<f32>,
}

impl LineReading {
    /// The mean character confidence; 0 for an empty reading.
    pub fn mean_confidence(&self) -> f32 {
        if self.char_confidence.is_empty() {
            0.0
        } else {
            self.char_confidence.iter().sum::<f32>() / self.char_confidence.len() as f32
        }
    }
}

/// File names as `scripts/fetch_models.sh` installs them.
pub const MODEL_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";
pub const RUNTIME_FILE: &str = "libonnxruntime.so.1.32.0";

/// The model's input height and least input width.
const INPUT_HEIGHT: u32 = 48;
const MIN_INPUT_WIDTH: u32 = 320;
/// Lines wider than this many heights are read in pieces' worth of width
/// at most: beyond it the model's memory grows without gain (a line of a
/// gazette page is at most ~45 characters, ~50 heights).
const MAX_ASPECT: f32 = 80.0;

/// Where the model and runtime are looked for, in order: `GAZETTE_MODELS`,
/// then `$XDG_DATA_HOME/gazette/models` (default `~/.local/share/…`), then
/// `/usr/local/share/gazette/models` and `/usr/share/gazette/models`.
pub fn model_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("GAZETTE_MODELS") {
        dirs.push(PathBuf::from(d));
        // An explicit directory is the only one looked in, so a test (or
        // an archivist) can turn the second recogniser off by pointing at
        // an empty one.
        return dirs;
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(x) if !x.is_empty() => dirs.push(PathBuf::from(x).join("gazette/models")),
        _ => {
            if let Some(h) = std::env::var_os("HOME") {
                dirs.push(PathBuf::from(h).join(".local/share/gazette/models"));
            }
        }
    }
    dirs.push(PathBuf::from("/usr/local/share/gazette/models"));
    dirs.push(PathBuf::from("/usr/share/gazette/models"));
    dirs
}

/// PP-OCRv4 recognition through ONNX Runtime, one session per worker thread.
pub struct PpOcr {
    model: PathBuf,
    runtime: PathBuf,
    /// Class index → character; index 0 is CTC's blank.
    classes: Vec<String>,
    model_sha256: String,
}

/// The process's one ONNX Runtime environment (ort allows one), with the
/// library it was loaded from, or why it could not be.
static ENVIRONMENT: OnceLock<Result<(PathBuf, ort::environment::Environment), String>> =
    OnceLock::new();

thread_local! {
    /// The calling thread's session and the model it was made from.
    static SESSION: RefCell<Option<(PathBuf, Session)>> = const { RefCell::new(None) };
}

fn environment(runtime: &Path) -> Result<&'static ort::environment::Environment, OcrError> {
    let env = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(runtime)
            .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", runtime.display()))?;
        builder
            .with_name("gazette")
            .with_telemetry(false)
            .build()
            .map(|e| (runtime.to_path_buf(), e))
            .map_err(|e| format!("ONNX Runtime environment: {e}"))
    });
    match env {
        Ok((loaded, env)) if loaded == runtime => Ok(env),
        Ok((loaded, _)) => Err(OcrError::Engine(format!(
            "ONNX Runtime already loaded from {} (one per process)",
            loaded.display()
        ))),
        Err(e) => Err(OcrError::Engine(e.clone())),
    }
}

fn session(env: &ort::environment::Environment, model: &Path) -> Result<Session, OcrError> {
    let fail = |e: String| OcrError::Engine(format!("PP-OCR model {}: {e}", model.display()));
    // One thread per session: the pipeline runs one session per worker
    // and the workers are the parallelism.
    Session::builder(env)
        .map_err(|e| fail(e.to_string()))?
        .with_intra_threads(1)
        .map_err(|e| fail(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| fail(e.to_string()))?
        .commit_from_file(model)
        .map_err(|e| fail(e.to_string()))
}

impl PpOcr {
    /// Finds the model and runtime in [`model_dirs`] and loads them; `Ok(None)`
    /// when they are not installed, an error when they are but do not load.
    pub fn locate() -> Result<Option<PpOcr>, OcrError> {
        for dir in model_dirs() {
            let (model, runtime) = (dir.join(MODEL_FILE), dir.join(RUNTIME_FILE));
            if model.is_file() && runtime.is_file() {
                return PpOcr::new(&model, &runtime).map(Some);
            }
        }
        Ok(None)
    }

    /// Loads the runtime library and the model once, to read its
    /// character list and fail early.
    pub fn new(model: &Path, runtime: &Path) -> Result<PpOcr, OcrError> {
        let env = environment(runtime)?;
        let s = session(env, model)?;
        let meta = s
            .metadata()
            .map_err(|e| OcrError::Engine(format!("PP-OCR model metadata: {e}")))?;
        let chars = meta.custom("character").ok_or_else(|| {
            OcrError::Engine(format!(
                "{} has no 'character' metadata: not the PP-OCR model expected",
                model.display()
            ))
        })?;
        let mut classes = vec![String::new()];
        classes.extend(chars.lines().map(str::to_string));
        classes.push(" ".to_string());
        let model_sha256 = std::fs::read(model)
            .map(|b| {
                use sha2::Digest;
                sha2::Sha256::digest(&b)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .unwrap_or_default();
        // The session served only to read the metadata: the workers each
        // make their own on first use.
        drop(meta);
        drop(s);
        Ok(PpOcr {
            model: model.to_path_buf(),
            runtime: runtime.to_path_buf(),
            classes,
            model_sha256,
        })
    }

    fn run(&self, input: Vec<f32>, width: u32) -> Result<(Vec<f32>, usize, usize), OcrError> {
        let env = environment(&self.runtime)?;
        SESSION.with(|cell| {
            let mut slot = cell.borrow_mut();
            let s = super::keyed(&mut slot, &self.model, || session(env, &self.model))?;
            let fail = |e: ort::Error| OcrError::Engine(format!("PP-OCR: {e}"));
            let shape = [1usize, 3, INPUT_HEIGHT as usize, width as usize];
            let tensor = Tensor::from_array((shape, input)).map_err(fail)?;
            let outputs = s.run(ort::inputs![tensor]).map_err(fail)?;
            let (shape, probs) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
            // [batch, steps, classes]
            let dims: Vec<i64> = shape.iter().copied().collect();
            if dims.len() != 3 || dims[2] as usize != self.classes.len() {
                return Err(OcrError::Engine(format!(
                    "PP-OCR output shape {dims:?} does not match its {} classes",
                    self.classes.len()
                )));
            }
            Ok((probs.to_vec(), dims[1] as usize, dims[2] as usize))
        })
    }
}

impl LineRecogniser for PpOcr {
    fn read_line(&self, crop: &Raster) -> Result<LineReading, OcrError> {
        if crop.width == 0 || crop.height == 0 {
            return Err(OcrError::Raster(crop.width, crop.height));
        }
        let (input, width) = model_input(crop);
        let (probs, steps, classes) = self.run(input, width)?;
        Ok(ctc_greedy(&probs, steps, classes, &self.classes))
    }

    fn release(&self) {
        SESSION.with(|c| c.borrow_mut().take());
    }

    fn describe(&self) -> String {
        format!(
            "PP-OCRv4 rec ({} sha256 {}) on ONNX Runtime ({})",
            self.model.display(),
            self.model_sha256,
            self.runtime.display()
        )
    }
}

/// The model's input for one line crop: CHW floats and the padded width.
pub fn model_input(crop: &Raster) -> (Vec<f32>, u32) {
    let aspect = (crop.width as f32 / crop.height as f32).min(MAX_ASPECT);
    let resized_w = ((INPUT_HEIGHT as f32 * aspect).ceil() as u32).max(1);
    let width = resized_w.max(MIN_INPUT_WIDTH);
    let scaled = resize_bilinear(crop, resized_w, INPUT_HEIGHT);
    let plane = (INPUT_HEIGHT * width) as usize;
    let mut input = vec![0f32; 3 * plane];
    for y in 0..INPUT_HEIGHT as usize {
        for x in 0..resized_w as usize {
            let v = scaled[y * resized_w as usize + x] as f32 / 255.0;
            let v = (v - 0.5) / 0.5;
            let i = y * width as usize + x;
            input[i] = v;
            input[plane + i] = v;
            input[2 * plane + i] = v;
        }
    }
    (input, width)
}

/// Bilinear scaling as OpenCV's `INTER_LINEAR` does it (pixel centres at
/// +0.5, edges clamped, no area averaging when shrinking), which is what
/// the model saw in training.
fn resize_bilinear(r: &Raster, w: u32, h: u32) -> Vec<u8> {
    let (sw, sh) = (r.width as usize, r.height as usize);
    let (fx, fy) = (r.width as f32 / w as f32, r.height as f32 / h as f32);
    let src = |d: usize, f: f32, n: usize| -> (usize, usize, f32) {
        let s = ((d as f32 + 0.5) * f - 0.5).max(0.0);
        let i0 = (s.floor() as usize).min(n - 1);
        let i1 = (i0 + 1).min(n - 1);
        (i0, i1, s - i0 as f32)
    };
    let cols: Vec<(usize, usize, f32)> = (0..w as usize).map(|x| src(x, fx, sw)).collect();
    let mut out = Vec::with_capacity(w as usize * h as usize);
    for y in 0..h as usize {
        let (y0, y1, ty) = src(y, fy, sh);
        let (r0, r1) = (
            &r.pixels[y0 * sw..(y0 + 1) * sw],
            &r.pixels[y1 * sw..(y1 + 1) * sw],
        );
        for &(x0, x1, tx) in &cols {
            let top = r0[x0] as f32 * (1.0 - tx) + r0[x1] as f32 * tx;
            let bottom = r1[x0] as f32 * (1.0 - tx) + r1[x1] as f32 * tx;
            out.push((top * (1.0 - ty) + bottom * ty).round().clamp(0.0, 255.0) as u8);
        }
    }
    out
}

/// Greedy CTC: each step's best class; repeats and blanks dropped.
pub fn ctc_greedy(probs: &[f32], steps: usize, classes: usize, names: &[String]) -> LineReading {
    let mut out = LineReading::default();
    let mut prev = 0usize;
    // First frame of the current character's run, and how many chars it
    // added (a class name may hold more than one).
    let mut run = (0usize, 0usize);
    for t in 0..steps {
        let row = &probs[t * classes..(t + 1) * classes];
        let (best, p) =
            row.iter().enumerate().fold(
                (0usize, f32::MIN),
                |(bi, bp), (i, &p)| if p > bp { (i, p) } else { (bi, bp) },
            );
        if best != 0 && best != prev {
            if let Some(c) = names.get(best) {
                out.text.push_str(c);
                let n = c.chars().count();
                out.char_confidence.extend(std::iter::repeat_n(p, n));
                out.char_position.extend(std::iter::repeat_n(t as f32, n));
                run = (t, n);
            }
        } else if best != 0 && best == prev && run.1 > 0 {
            // The run goes on: its characters sit at its middle.
            let len = out.char_position.len();
            let mid = (run.0 + t) as f32 / 2.0;
            for v in &mut out.char_position[len - run.1..] {
                *v = mid;
            }
        }
        if best == 0 {
            run = (0, 0);
        }
        prev = best;
    }
    parenthesis_widths(&mut out);
    out
}

/// Spacing that tells a half-width parenthesis from a full-width one: the
/// distance from the character before an opening mark (or after a closing
/// one) to the mark, in ideograph pitches of the same line. A full-width
/// （ stands at the far side of an em box (about 1.25 pitches from the
/// character before it), a half-width ( in a third of one (about 0.67).
/// Measured on rendered lines of Noto Serif and AR PL UMing, both widths.
pub const PAREN_FULL_AT: f32 = 0.95;

/// PP-OCR reads both widths of parenthesis, but leans to the ASCII form on
/// full-width marks; the spacing decides instead where the line has enough
/// ideographs to know its pitch and the mark an ideograph beside it on its
/// outer side. A mark the spacing cannot judge (a line's first mark, one
/// after ：) takes the width of its partner when the spacing judged that:
/// a pair is printed in one width (the tuning documents' clean set began 36
/// lines with a half-width (一) whose opening mark, judged by the norm
/// alone, was made full-width). Otherwise the mark is made full-width, the
/// Chinese norm.
fn parenthesis_widths(r: &mut LineReading) {
    let chars: Vec<char> = r.text.chars().collect();
    if chars.len() != r.char_position.len() || !chars.iter().any(|c| "()（）".contains(*c)) {
        return;
    }
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut gaps: Vec<f32> = (1..chars.len())
        .filter(|&i| han(chars[i]) && han(chars[i - 1]))
        .map(|i| r.char_position[i] - r.char_position[i - 1])
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let pitch = (gaps.len() >= 3).then(|| gaps[gaps.len() / 2]);
    // Each mark's width as the spacing judges it (None: it cannot), and
    // the index of its partner.
    let mut judged: Vec<Option<bool>> = vec![None; chars.len()];
    let mut partner: Vec<Option<usize>> = vec![None; chars.len()];
    let mut open_at: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        let open = match c {
            '(' | '（' => true,
            ')' | '）' => false,
            _ => continue,
        };
        let neighbour = if open {
            i.checked_sub(1)
        } else {
            (i + 1 < chars.len()).then_some(i + 1)
        };
        judged[i] = match (pitch, neighbour) {
            // An ideograph neighbour only: full-width punctuation (：，)
            // carries its own blank half and would look like a wide gap.
            (Some(p), Some(j)) if han(chars[j]) => {
                Some((r.char_position[i] - r.char_position[j]).abs() / p >= PAREN_FULL_AT)
            }
            _ => None,
        };
        if open {
            open_at = Some(i);
        } else if let Some(o) = open_at.take() {
            partner[i] = Some(o);
            partner[o] = Some(i);
        }
    }
    let mut out = chars.clone();
    for (i, &c) in chars.iter().enumerate() {
        let (full_form, half_form) = match c {
            '(' | '（' => ('（', '('),
            ')' | '）' => ('）', ')'),
            _ => continue,
        };
        let full = judged[i]
            .or_else(|| partner[i].and_then(|p| judged[p]))
            .unwrap_or(true);
        out[i] = if full { full_form } else { half_form };
    }
    r.text = out.into_iter().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_drops_blanks_and_repeats_but_keeps_a_repeat_across_a_blank() {
        let names: Vec<String> = ["", "甲", "乙"].iter().map(|s| s.to_string()).collect();
        // steps: 甲 甲 blank 甲 乙 乙
        let probs = [
            0.1, 0.8, 0.1, 0.1, 0.7, 0.2, 0.9, 0.05, 0.05, 0.2, 0.6, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2,
            0.7,
        ];
        let r = ctc_greedy(&probs, 6, 3, &names);
        assert_eq!(r.text, "甲甲乙");
        assert_eq!(r.char_confidence, vec![0.8, 0.6, 0.8]);
        assert_eq!(r.char_position, vec![0.5, 3.0, 4.5]);
    }

    #[test]
    fn parenthesis_width_follows_the_spacing() {
        let reading = |text: &str, pos: &[f32]| {
            let mut r = LineReading {
                text: text.into(),
                char_confidence: vec![0.9; pos.len()],
                char_position: pos.to_vec(),
            };
            parenthesis_widths(&mut r);
            r.text
        };
        // Pitch 4 steps; the marks 2.7 steps from 丁 and 戊: half-width.
        assert_eq!(
            reading(
                "甲乙丙丁(一)戊",
                &[0.0, 4.0, 8.0, 12.0, 14.7, 17.4, 20.1, 22.8]
            ),
            "甲乙丙丁(一)戊"
        );
        // The mark 5 steps after 丁: full-width, whatever was read.
        assert_eq!(
            reading(
                "甲乙丙丁(一)戊",
                &[0.0, 4.0, 8.0, 12.0, 17.0, 21.0, 24.0, 29.0]
            ),
            "甲乙丙丁（一）戊"
        );
        // Line start, too few ideographs to know the pitch: the norm.
        assert_eq!(reading("(一)", &[0.0, 3.0, 6.0]), "（一）");
        // A line's first mark, its partner 2.7 steps from the ideograph
        // after it at a pitch of 4: both half-width, as the pair is printed.
        assert_eq!(
            reading("（一)甲乙丙丁", &[0.0, 2.7, 5.4, 8.1, 12.1, 16.1, 20.1]),
            "(一)甲乙丙丁"
        );
        // … and full-width when the partner stands 5 steps from it.
        assert_eq!(
            reading("(一)甲乙丙丁", &[0.0, 2.7, 5.4, 10.4, 14.4, 18.4, 22.4]),
            "（一）甲乙丙丁"
        );
    }

    #[test]
    fn input_is_48_high_padded_to_320_and_normalised() {
        let mut r = Raster::blank(100, 20);
        r.pixels[0] = 0;
        let (input, width) = model_input(&r);
        assert_eq!(width, MIN_INPUT_WIDTH);
        assert_eq!(input.len(), 3 * 48 * 320);
        // white paper → 1.0, padding → 0.0, ink → below 0
        assert!((input[47 * 320 + 100] - 1.0).abs() < 1e-6);
        assert_eq!(input[300], 0.0);
        assert!(input[0] < 0.0);
    }
}
