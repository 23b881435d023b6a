//! Calibrated line confidence: each recogniser's own confidence mapped to
//! the probability that the line is read exactly right, so that a figure
//! means the same whichever engine read the line and a proofreader can sort
//! pages by it ([`gazette_model::page_quality`]).

use gazette_model::Confidence;

/// Knots `(engine confidence, share of lines right)` per recogniser,
/// non-decreasing; between knots the map is linear, above the last flat,
/// and below the first it falls linearly to 0 at confidence 0 (a reading
/// its engine gives nothing for is not right; the lowest bin is wide).
/// Measured by `scripts/calibrate.py` on the rendered sets of the tuning
/// documents (clean, heavy damage, yellowed, foxed with show-through,
/// camera photo, all red, red-header with seal: equal-count bins, pooled
/// to be monotone, 12 bins); its check on the held-back documents is in MEASURED.md
/// (`calibrate`). A line is right when it equals its line of the truth,
/// spaces aside.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationParams {
    pub tesseract: Vec<(f32, f32)>,
    pub ppocr: Vec<(f32, f32)>,
}

impl Default for CalibrationParams {
    fn default() -> Self {
        Self {
            tesseract: KNOTS_TESSERACT.to_vec(),
            ppocr: KNOTS_PPOCR.to_vec(),
        }
    }
}

/// 12 bins of 2,282 lines (1,154 Tesseract's, read with `--second-reader
/// off`; 1,128 PP-OCR's, read as configured): Tesseract's confidence
/// crowds into 0.97–0.99 and means far less than it says.
const KNOTS_TESSERACT: &[(f32, f32)] = &[
    (0.8938, 0.0417),
    (0.9672, 0.1458),
    (0.9791, 0.3438),
    (0.9849, 0.4583),
    (0.9874, 0.5833),
    (0.989, 0.7938),
    (0.99, 0.8125),
    (0.9912, 0.8542),
    (0.9921, 0.875),
    (0.9926, 0.875),
    (0.9937, 0.9588),
];
const KNOTS_PPOCR: &[(f32, f32)] = &[
    (0.8665, 0.3936),
    (0.9631, 0.7447),
    (0.9796, 0.7553),
    (0.986, 0.8511),
    (0.9963, 0.8678),
    (0.9999, 0.9362),
];

impl CalibrationParams {
    /// The calibrated confidence of a line read by `engine`; None for an
    /// engine without a measured map (a text layer has no engine).
    pub fn line(&self, engine: Option<&str>, confidence: Confidence) -> Option<Confidence> {
        let knots = match engine? {
            super::ocr::TESSERACT => &self.tesseract,
            super::choose::PPOCR => &self.ppocr,
            _ => return None,
        };
        interpolate(knots, confidence.get()).map(Confidence::new)
    }
}

fn interpolate(knots: &[(f32, f32)], x: f32) -> Option<f32> {
    let (first, last) = (knots.first()?, knots.last()?);
    if x <= first.0 {
        return Some(if first.0 > 0.0 {
            first.1 * (x / first.0).max(0.0)
        } else {
            first.1
        });
    }
    if x >= last.0 {
        return Some(last.1);
    }
    let i = knots.iter().position(|k| k.0 >= x)?;
    let (a, b) = (knots[i - 1], knots[i]);
    let t = if b.0 > a.0 {
        (x - a.0) / (b.0 - a.0)
    } else {
        1.0
    };
    Some(a.1 + t * (b.1 - a.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knots_interpolate_and_hold_beyond_their_ends() {
        let k = [(0.5, 0.1), (0.9, 0.5), (0.99, 0.9)];
        assert!((interpolate(&k, 0.25).unwrap() - 0.05).abs() < 1e-6);
        assert!((interpolate(&k, 0.7).unwrap() - 0.3).abs() < 1e-6);
        assert_eq!(interpolate(&k, 1.0), Some(0.9));
        assert_eq!(interpolate(&[], 0.5), None);
    }

    #[test]
    fn measured_maps_rise_and_stay_probabilities() {
        let p = CalibrationParams::default();
        for knots in [&p.tesseract, &p.ppocr] {
            assert!(knots.len() >= 3, "a measured map");
            assert!(knots
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
            assert!(knots.iter().all(|k| (0.0..=1.0).contains(&k.1)));
        }
        assert_eq!(p.line(None, Confidence::new(0.9)), None);
    }
}
