//! A read page's parts: boxes in page pixels, lines of text with their
//! confidence, where the text came from and what the reader concluded
//! about the page as a whole.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An axis-aligned box in page pixels: left, top, right, bottom
/// (exclusive). Serialised as `[x0, y0, x1, y1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BBox(pub [u32; 4]);

impl BBox {
    pub fn x0(&self) -> u32 {
        self.0[0]
    }
    pub fn y0(&self) -> u32 {
        self.0[1]
    }
    pub fn x1(&self) -> u32 {
        self.0[2]
    }
    pub fn y1(&self) -> u32 {
        self.0[3]
    }
    pub fn height(&self) -> u32 {
        self.y1().saturating_sub(self.y0())
    }
    pub fn width(&self) -> u32 {
        self.x1().saturating_sub(self.x0())
    }
    /// Grown by `margin` on every side and clipped to a page of `width` ×
    /// `height` (a crop with paper round its ink).
    pub fn grown(&self, margin: u32, width: u32, height: u32) -> BBox {
        BBox([
            self.x0().saturating_sub(margin),
            self.y0().saturating_sub(margin),
            (self.x1() + margin).min(width),
            (self.y1() + margin).min(height),
        ])
    }
    /// The smallest box holding both.
    pub fn union(&self, o: &BBox) -> BBox {
        BBox([
            self.x0().min(o.x0()),
            self.y0().min(o.y0()),
            self.x1().max(o.x1()),
            self.y1().max(o.y1()),
        ])
    }
}

/// How sure a recogniser is of a reading: a probability-like figure on
/// 0–1, the scale of ALTO's `WC`. 1 for text taken from a born-digital
/// text layer.
///
/// The value is always finite and within 0–1: [`Confidence::new`] clamps,
/// and reading a stored record does too. Archives of format 1 stored
/// text-layer lines at 100 (a 0–100 scale); a stored value above 1 is read
/// as a percentage, so those records mean what they meant.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Confidence(f32);

impl Confidence {
    /// Certain: a born-digital text layer.
    pub const CERTAIN: Confidence = Confidence(1.0);

    /// A confidence on 0–1; out-of-range values are clamped and NaN is 0.
    pub fn new(value: f32) -> Confidence {
        if value.is_nan() {
            Confidence(0.0)
        } else {
            Confidence(value.clamp(0.0, 1.0))
        }
    }

    /// From a 0–100 percentage (Tesseract's symbol confidence).
    pub fn from_percent(value: f32) -> Confidence {
        Confidence::new(value / 100.0)
    }

    pub fn get(self) -> f32 {
        self.0
    }
}

impl Serialize for Confidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f32(self.0)
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f32::deserialize(d)?;
        // Format 1 kept text-layer lines at 100 on a 0–100 scale.
        Ok(if v > 1.0 {
            Confidence::from_percent(v)
        } else {
            Confidence::new(v)
        })
    }
}

/// One printed line: its text, where it is on the page, and how sure the
/// reader was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub bbox: BBox,
    pub confidence: Confidence,
    /// The recogniser whose reading `text` is (`tesseract`, `ppocr`), when
    /// the line was recognised; absent for a text layer and in records
    /// written before recognisers were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// Every recogniser's reading of the line as it came out of the engine
    /// (before the page's text fixes), when more than one read it: the
    /// provenance of the chosen text and what a proofreader compares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// The probability that `text` is the line exactly as printed: the
    /// recogniser's confidence through the calibration measured on rendered
    /// pages (ingest's `recognise::calibrate`), so that of lines at 0.9
    /// about nine in ten are right. Absent for a text layer and in records
    /// written before calibration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibrated: Option<Confidence>,
    /// Set top to bottom in a vertical column (its box is the column's);
    /// columns come right to left in reading order.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vertical: bool,
    /// Read inside a ruled table's grid (a cell's text): never a title,
    /// and no measure of the body's type. Absent in records written before
    /// grids were found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_table: bool,
}

/// A page's quality for proofreading: the share of its characters on lines
/// expected to be read exactly right (each line's [`Line::calibrated`]
/// weighted by its length). None when no line is calibrated (a text layer,
/// an empty page, an older record): unknown, not perfect.
pub fn page_quality(lines: &[Line]) -> Option<f32> {
    let (mut sum, mut chars) = (0.0f64, 0usize);
    for l in lines {
        if let Some(p) = l.calibrated {
            let n = l.text.chars().filter(|c| !c.is_whitespace()).count();
            sum += p.get() as f64 * n as f64;
            chars += n;
        }
    }
    (chars > 0).then(|| (sum / chars as f64) as f32)
}

/// One recogniser's reading of a line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub engine: String,
    pub text: String,
    /// The recogniser's own confidence in the reading.
    pub confidence: Confidence,
}

/// Where a page's text came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextOrigin {
    /// Recognised from the page image.
    #[default]
    Ocr,
    /// Read from a born-digital PDF's text layer.
    TextLayer,
}

impl TextOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOrigin::Ocr => "ocr",
            TextOrigin::TextLayer => "text-layer",
        }
    }
}

/// How a page was found to be set, and why: the direction and script it
/// was read in, so a reader of the archive can tell a vertical traditional
/// page read as such from one forced or guessed, and check the finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub direction: PageDirection,
    pub script: PageScript,
    /// The measurements the finding rests on, in words ("12 columns, 91% of
    /// the ink in them"; "PP-OCRv4 read 57 traditional forms, 2
    /// simplified, in 4 columns"), or that it was given for the batch.
    pub why: String,
    /// Degrees (90, 180 or 270) the page image was turned clockwise to be
    /// read upright: it was scanned or photographed sideways or upside
    /// down. Line boxes are in the image as it is, unturned.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub turned: u16,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

/// Which way a page's text runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageDirection {
    /// Rows, left to right, top to bottom.
    Horizontal,
    /// Columns, top to bottom, right to left (running heads and folios may
    /// still be rows).
    Vertical,
    /// Regions of both, each read in its own direction.
    Mixed,
}

/// Which characters a page is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageScript {
    Simplified,
    Traditional,
}

/// What reading concluded about a page as a whole, so that a page is never
/// reported as read with nothing in it while it has ink.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "reason", rename_all = "lowercase")]
pub enum Verdict {
    /// Text was read from a page whose ink it accounts for.
    #[default]
    Ok,
    /// No ink on the page (measured); no text is expected.
    Blank(String),
    /// Something is off and a person should look: ink but little or no
    /// text read, and the like. The reason says what was measured.
    Suspect(String),
    /// The page could not be read; the reason is the error naming file and
    /// page.
    Failed(String),
}

impl Verdict {
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Blank(_) => "blank",
            Verdict::Suspect(_) => "suspect",
            Verdict::Failed(_) => "failed",
        }
    }

    /// The measured reason, empty for `ok`.
    pub fn reason(&self) -> &str {
        match self {
            Verdict::Ok => "",
            Verdict::Blank(r) | Verdict::Suspect(r) | Verdict::Failed(r) => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_grown_stays_on_its_page() {
        let b = BBox([10, 5, 90, 40]);
        assert_eq!(b.grown(4, 100, 100), BBox([6, 1, 94, 44]));
        // Clipped at every edge of a 92 × 42 page.
        assert_eq!(b.grown(8, 92, 42), BBox([2, 0, 92, 42]));
        assert_eq!(b.grown(0, 100, 100), b);
    }

    #[test]
    fn confidence_is_always_within_zero_and_one() {
        assert_eq!(Confidence::new(1.7).get(), 1.0);
        assert_eq!(Confidence::new(-0.2).get(), 0.0);
        assert_eq!(Confidence::new(f32::NAN).get(), 0.0);
        assert_eq!(Confidence::from_percent(91.0).get(), 0.91);
        let read: Confidence = serde_json::from_str("0.87").unwrap();
        assert_eq!(read.get(), 0.87);
        // A format-1 text-layer line.
        let legacy: Confidence = serde_json::from_str("100.0").unwrap();
        assert_eq!(legacy, Confidence::CERTAIN);
        assert_eq!(serde_json::to_string(&Confidence::new(0.5)).unwrap(), "0.5");
    }

    #[test]
    fn boxes_and_verdicts_serialise_plainly() {
        let l = Line {
            text: "第一条".into(),
            bbox: BBox([1, 2, 3, 4]),
            confidence: Confidence::new(0.25),
            ..Default::default()
        };
        let s = serde_json::to_string(&l).unwrap();
        assert_eq!(s, r#"{"text":"第一条","bbox":[1,2,3,4],"confidence":0.25}"#);
        let v = Verdict::Suspect("ink on 12% of the page, 0 characters read".into());
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(
            s,
            r#"{"kind":"suspect","reason":"ink on 12% of the page, 0 characters read"}"#
        );
        assert_eq!(serde_json::from_str::<Verdict>(&s).unwrap(), v);
        assert_eq!(
            serde_json::to_string(&Verdict::Ok).unwrap(),
            r#"{"kind":"ok"}"#
        );
        assert_eq!(TextOrigin::TextLayer.as_str(), "text-layer");
    }
}
