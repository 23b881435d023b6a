//! A verdict for every page read: `ok`, `blank` (no ink, measured) or
//! `suspect` (ink on the page but little or no text read), each with the
//! figures that decided it, so that a page is never reported as read with
//! nothing in it while it has ink. Failed pages get theirs from their error.

use crate::page::{Line, Raster, Verdict};

/// The numbers that decide a page's verdict.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VerdictParams {
    /// Below this fraction of dark pixels (after speck removal) a page with
    /// no text is blank. A folio alone (— 36 —, four glyphs at about 380
    /// dark pixels each, see below) inks about 0.017% of a 300-dpi A4
    /// page; this is under half of that, so a page with any printed
    /// character on it is not blank.
    pub blank_ink: f64,
    /// Dark pixels one printed character inks, at 300 dpi. Measured (pixels
    /// below 128 over non-space characters of the truth): the clean fixture
    /// page (`tests/data/clean-page.png`, Noto Serif) 383, the six pages of
    /// `tests/data/gap` (AR PL UMing, 200 dpi, scaled) 292–397. Bold faces
    /// and ink spread ink more, so 600 is used: a page of heavy print is
    /// not taken for missing text.
    pub ink_per_char_300dpi: f64,
    /// A page is suspect when it read fewer characters than this share of
    /// what its ink would print. Ruled tables and seals spend ink on no
    /// character, so the share is kept low: a tenth.
    pub min_read_share: f64,
    /// Ink worth fewer characters than this is never suspect for reading
    /// little (a lone stamp, a folio, a rule).
    pub min_expected_chars: f64,
    /// Tesseract's orientation confidence at and above which a page is
    /// read again turned. Measured on the real pages (`../shared/real`):
    /// twelve upright pages turned by 90, 180 and 270° were found right at
    /// 9.2–14.5, the cover photographed sideways at 3.4; 2 leaves that
    /// margin and stays above the noise of pages with little text.
    pub min_turn_confidence: f32,
    /// Tesseract's orientation confidence at and above which a turn is
    /// sure: a page wider than high is turned before it is read (and never
    /// cut as a spread), and a turned reading replaces the unturned one
    /// when it is surer at all (no `min_turn_gain`). Measured on the real
    /// pages: true turns 9.2–14.5 (above), so 6 keeps a margin below them
    /// and three times `min_turn_confidence`.
    pub sure_turn_confidence: f32,
    /// How much surer (mean character confidence, 0–1) a turned reading
    /// must be than the unturned one, when their verdicts are alike, to
    /// replace it: a sideways letterpress page read as columns gave 0.854,
    /// upright 0.886.
    pub min_turn_gain: f32,
    /// Below this mean character confidence (0–1) a page's orientation is
    /// checked. Measured: the clean fixture page upright 0.99; the real
    /// letterpress speech page upright 0.886 (checked: worn print costs
    /// the check), sideways read as rows 0.854; the fixture upside down,
    /// PP-OCRv4's lines 0.69.
    pub turn_check_below: f32,
}

impl Default for VerdictParams {
    fn default() -> Self {
        Self {
            blank_ink: 0.0001,
            ink_per_char_300dpi: 600.0,
            min_read_share: 0.1,
            min_expected_chars: 20.0,
            min_turn_confidence: 2.0,
            sure_turn_confidence: 6.0,
            min_turn_gain: 0.02,
            turn_check_below: 0.9,
        }
    }
}

/// The share of a raster's pixels that are ink (at or below the page's
/// own ink threshold, [`crate::preprocess::ink_threshold`]).
pub fn ink_share(r: &Raster) -> f64 {
    if r.pixels.is_empty() {
        return 0.0;
    }
    let threshold = crate::preprocess::ink_threshold(r);
    let dark = r.pixels.iter().filter(|p| **p <= threshold).count();
    dark as f64 / r.pixels.len() as f64
}

/// The characters of some lines, spaces not counted.
pub fn chars(lines: &[Line]) -> usize {
    lines
        .iter()
        .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// The verdict on a page recognised from its image: `raster` as the engine
/// saw it (at `dpi`), with `share` of its pixels inked, and the lines read.
pub fn judge_ocr(
    p: &VerdictParams,
    width: u32,
    height: u32,
    dpi: f32,
    share: f64,
    lines: &[Line],
) -> Verdict {
    let chars = chars(lines);
    let pixels = width as f64 * height as f64;
    let scale = (dpi as f64 / 300.0).powi(2).max(1e-6);
    let expected = share * pixels / (p.ink_per_char_300dpi * scale);
    if chars == 0 && share < p.blank_ink {
        return Verdict::Blank(format!("no ink: {:.4}% of the page is dark", share * 100.0));
    }
    if expected >= p.min_expected_chars && (chars as f64) < expected * p.min_read_share {
        return Verdict::Suspect(format!(
            "ink on {:.2}% of the page (about {:.0} characters' worth), {chars} characters read",
            share * 100.0,
            expected
        ));
    }
    Verdict::Ok
}

/// The verdict on a page read from its text layer, given [`judge_ocr`]'s
/// verdict on the layer's lines against the page's ink: `suspect` when the
/// ink would print far more than the layer holds (a layer of another text,
/// or covering part of the page); `ok` otherwise.
pub fn judge_text_layer(against_ink: Verdict) -> Verdict {
    match against_ink {
        Verdict::Suspect(why) => Verdict::Suspect(format!(
            "the text layer does not match the page's ink: {why}"
        )),
        _ => Verdict::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{BBox, Confidence};

    fn line(n: usize) -> Line {
        Line {
            text: "字".repeat(n),
            bbox: BBox([0, 0, 10, 10]),
            confidence: Confidence::new(0.9),
            ..Default::default()
        }
    }

    #[test]
    fn blank_suspect_and_ok() {
        let p = VerdictParams::default();
        let (w, h) = (2480, 3508);
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.0, &[]).name(), "blank");
        // A folio alone is a page read, not a blank one.
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.00015, &[line(3)]).name(), "ok");
        // A full page of ink read as nothing.
        let v = judge_ocr(&p, w, h, 300.0, 0.05, &[]);
        assert_eq!(v.name(), "suspect");
        assert!(v.reason().contains("0 characters read"), "{v:?}");
        // The same ink read as a page of text.
        assert_eq!(judge_ocr(&p, w, h, 300.0, 0.05, &[line(700)]).name(), "ok");
    }
}
