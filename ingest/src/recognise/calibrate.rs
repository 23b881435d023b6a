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

/// 12 bins of 2,476 lines (1,263 Tesseract's, read with `--second-reader
/// off`; 1,213 PP-OCR's, read as configured), refitted on 2026-12-02 (the
/// fit of 2026-11-30 had drifted as the reading improved: PP-OCR's lines
/// right 81% → 90%, its calibrated ECE on the held-back lines 0.085):
/// Tesseract's confidence crowds into 0.97–0.99 and means far less than it
/// says.
const KNOTS_TESSERACT: &[(f32, f32)] = &[
    (0.8832, 0.0952),
    (0.9667, 0.1333),
    (0.9817, 0.3555),
    (0.9869, 0.5429),
    (0.9885, 0.7714),
    (0.991, 0.8955),
    (0.9925, 0.9238),
    (0.9935, 0.9623),
];
const KNOTS_PPOCR: &[(f32, f32)] = &[
    (0.8726, 0.703),
    (0.9716, 0.797),
    (0.9868, 0.8119),
    (0.9909, 0.8812),
    (0.9941, 0.9406),
    (0.9962, 0.9505),
    (0.9983, 0.9505),
    (0.9996, 0.9934),
];

impl CalibrationParams {
    /// The calibrated confidence of a line read by `engine`; None for an
    /// engine without a measured map (a text layer has no engine).
    pub fn line(&self, engine: Option<&str>, confidence: Confidence) -> Option<Confidence> {
        let knots = match engine? {
            super::engine::TESSERACT => &self.tesseract,
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
