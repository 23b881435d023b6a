//! Two readings of a line and the choice between them: Tesseract finds the
//! lines and reads them; where its reading is unsure, the second recogniser
//! ([`LineRecogniser`], PP-OCRv4) reads the same line box, and the line
//! keeps the reading the rule prefers. Both readings are kept on the line
//! (`Line::readings`) with the chosen engine (`Line::engine`): the
//! provenance of the standard text.

use super::engine::TESSERACT;
use super::ppocr::{LineReading, LineRecogniser};
use crate::page::{Confidence, Line, Raster, Reading};

/// The name a line read by PP-OCRv4 records as its engine.
pub const PPOCR: &str = "ppocr";

/// The numbers of the second reading. Measured with `make eval`
/// (scripts/eval_ocr.py, `--choice` sweep) on the rendered sets of the
/// tuning documents only; the held-back documents' figures are in
/// MEASURED.md.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ChoiceParams {
    /// Lines Tesseract reads at or above this confidence keep its reading
    /// unread by the second recogniser: on clean print both agree and the
    /// second reading would only cost time.
    pub reread_below: f32,
    /// A row belongs to the line's band of ink when it holds at least this
    /// share of the inkiest row's ink: the rows of a line of print all
    /// cross some stroke, the gap to the next line holds only specks.
    pub band_share: f32,
    /// Padding added around the line's band of ink before the crop is read,
    /// as shares of the line's height: the model was trained on detector
    /// boxes that leave a margin round the ink, and Tesseract's boxes are
    /// tight.
    pub pad_x: f32,
    pub pad_y: f32,
    /// The second reading is taken when its mean character confidence is
    /// at least this …
    pub min_second_confidence: f32,
    /// … and it is not more than this many times longer or shorter than
    /// Tesseract's (a crop that caught part of the next line, or lost
    /// half of its own, reads at a very different length).
    pub max_length_ratio: f32,
    /// Lines of a page read by both readers first, spread over the page …
    pub sample_lines: usize,
    /// … and when their mean disagreement (edit distance per character)
    /// is above this, the page is hard and every line is read again.
    pub hard_page_disagreement: f32,
    /// Tesseract only finds the lines (its layout analysis, no
    /// recognition) and the second recogniser reads every one; pages with
    /// table cell marks keep Tesseract's full reading. The default since
    /// the sets of the tuning documents measured it better on six of seven
    /// (clean 2.92% → 0.18%, photo 3.48% → 0.33%, red ink 1.18% → 0.43%,
    /// heavy damage 1.26% → 1.35%) at about the same CPU time; MEASURED.md
    /// has the held-back figures.
    pub layout_only: bool,
    /// A row Tesseract missed, read by the second recogniser alone, is kept
    /// when its mean character confidence is at least this (a row of
    /// specks or show-through reads as a few unsure characters).
    pub min_row_confidence: f32,
    /// A line whose band of ink is under this share of its box's height
    /// was narrowed to a rule it takes in (a table row's box over a rule:
    /// the band 6–10 px of a 78 px box), and is cropped from the page
    /// without its rules. (Not swept: a line of print fills most of the box
    /// drawn round it.)
    pub min_band_share: f32,
    /// … and it is read cell by cell, split where blank paper runs this
    /// many crop heights wide (a row's cells stand 4–8 heights apart; words
    /// of print, and spaced titles like `说　明`, under one). Swept on a
    /// tuning set of ruled tables (MEASURED.md, eval-print): 0.8 / 1.5 /
    /// 2.3 read 4.48 / 4.44 / 4.44% strict CER.
    pub cell_gap: f32,
}

impl Default for ChoiceParams {
    fn default() -> Self {
        Self {
            reread_below: 0.95,
            band_share: 0.05,
            pad_x: 0.3,
            pad_y: 0.15,
            min_second_confidence: 0.5,
            max_length_ratio: 1.6,
            min_row_confidence: 0.6,
            min_band_share: 0.3,
            cell_gap: 1.5,
            layout_only: true,
            sample_lines: 6,
            hard_page_disagreement: 0.03,
        }
    }
}

/// Reads the unsure lines a second time and keeps the preferred reading.
/// Lines holding table cells (tabs between the cells Tesseract found) keep
/// Tesseract's reading: one crop across the cells would lose them.
/// A failure of the second recogniser on a line leaves Tesseract's reading.
///
/// `unruled`: the page without its rules, when it has some
/// ([`super::grid::without_rules`]): a line whose box takes in a table's
/// rule has the rule for its inkiest rows, and its crop, narrowed to them,
/// would hold the rule alone; such a line is cropped from the page without
/// its rules (a held-back old-paper table of coordinates lost two rows so).
/// Other lines are cropped from the page as it is: erasing long strokes
/// also thins a red header's large characters. A crop from the page without
/// rules is a table row, read cell by cell ([`read_cells`]).
pub fn second_reading(
    raster: &Raster,
    unruled: Option<&Raster>,
    threshold: u8,
    lines: &mut [Line],
    second: &dyn LineRecogniser,
    k: &ChoiceParams,
    debug: &crate::debug::DebugSink,
) -> usize {
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let l = &lines[i];
            l.engine.as_deref() != Some(PPOCR) && !l.text.contains('\t')
        })
        .collect();
    let mut read = 0;
    let mut read_one = |line: &mut Line| -> Option<f32> {
        let reading = match (crop_line(raster, threshold, line, k, debug)?, unruled) {
            (c, Some(u)) if c.band_share < k.min_band_share => read_cells(
                &crop_line(u, threshold, line, k, debug)?.raster,
                threshold,
                second,
                k,
            ),
            (c, _) => second.read_line(&c.raster),
        };
        let reading = match reading {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(error = %e, "second recogniser failed on a line");
                return None;
            }
        };
        read += 1;
        let d = disagreement(&line.text, &reading.text);
        choose(line, reading, k);
        Some(d)
    };
    // A sample of lines spread over the page, read by both: where the two
    // readers disagree the print is hard and every line is read again;
    // where they agree, only the lines Tesseract itself doubts.
    let step = (candidates.len() / k.sample_lines.max(1)).max(1);
    let sample: Vec<usize> = candidates
        .iter()
        .copied()
        .step_by(step)
        .take(k.sample_lines)
        .collect();
    let mut d = Vec::new();
    for &i in &sample {
        if let Some(x) = read_one(&mut lines[i]) {
            d.push(x);
        }
    }
    let hard = d.is_empty() || d.iter().sum::<f32>() / d.len() as f32 > k.hard_page_disagreement;
    for &i in &candidates {
        if sample.contains(&i) {
            continue;
        }
        if hard || lines[i].confidence.get() < k.reread_below {
            read_one(&mut lines[i]);
        }
    }
    tracing::debug!(hard, sampled = d.len(), read, "second reading");
    read
}

/// How far two readings of a line differ: edit distance over the longer
/// one's characters, whitespace ignored; 1 when only one is empty, 0 when
/// both are.
pub fn disagreement(a: &str, b: &str) -> f32 {
    let a: String = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: String = b.chars().filter(|c| !c.is_whitespace()).collect();
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    strsim::levenshtein(&a, &b) as f32 / n as f32
}

/// Reads a row of ink Tesseract missed (found by the repair pass) with the
/// second recogniser alone: a line in the row's box, or nothing when it
/// reads nothing. Read too unsure to keep, the line's text is empty and
/// its reading stands in its readings (a faint folio is kept on its form).
pub fn read_row(
    raster: &Raster,
    threshold: u8,
    ink_box: crate::page::BBox,
    second: &dyn LineRecogniser,
    k: &ChoiceParams,
    debug: &crate::debug::DebugSink,
) -> Option<Line> {
    let probe = Line {
        bbox: ink_box,
        ..Default::default()
    };
    let crop = crop_line(raster, threshold, &probe, k, debug)?.raster;
    let r = match second.read_line(&crop) {
        Ok(r) => r,
        Err(e) => {
            tracing::debug!(error = %e, "second recogniser failed on a row");
            return None;
        }
    };
    let mut line = probe;
    only_reading(&mut line, r, k);
    let read = line.readings.iter().any(|r| !r.text.trim().is_empty());
    read.then_some(line)
}

/// A line the second recogniser alone read: its reading is the line's
/// only one, and its text when confident enough; otherwise the text stays
/// empty and the line is dropped.
fn only_reading(line: &mut Line, second: LineReading, k: &ChoiceParams) {
    let conf = Confidence::new(second.mean_confidence());
    line.readings = vec![Reading {
        engine: PPOCR.to_string(),
        text: second.text.clone(),
        confidence: conf,
    }];
    if conf.get() >= k.min_row_confidence {
        line.text = second.text;
        line.confidence = conf;
        line.engine = Some(PPOCR.to_string());
    }
}

/// A line's crop ([`crop_line`]) and how much of its box the ink filled.
struct Crop {
    raster: Raster,
    /// The band of ink's height over the line box's.
    band_share: f32,
}

/// The line's crop: Tesseract's box narrowed to the band of rows that
/// holds the line's ink (its boxes on damaged pages take in specks and the
/// edges of the lines above and below, which the model then reads), then
/// padded and clipped to the page.
fn crop_line(
    raster: &Raster,
    threshold: u8,
    line: &Line,
    k: &ChoiceParams,
    debug: &crate::debug::DebugSink,
) -> Option<Crop> {
    let b = line.bbox;
    if b.width() == 0 || b.height() == 0 || b.x1() > raster.width || b.y1() > raster.height {
        return None;
    }
    let rows: Vec<u32> = (b.y0()..b.y1())
        .map(|y| {
            (b.x0()..b.x1())
                .filter(|&x| raster.get(x, y) < threshold)
                .count() as u32
        })
        .collect();
    let (y0, y1) = ink_band(&rows, k.band_share).map_or((b.y0(), b.y1()), |(a, z)| {
        (b.y0() + a as u32, b.y0() + z as u32)
    });
    let h = (y1 - y0) as f32;
    let band_share = h / b.height() as f32;
    let (px, py) = ((h * k.pad_x).round() as u32, (h * k.pad_y).round() as u32);
    let x0 = b.x0().saturating_sub(px);
    let y0 = y0.saturating_sub(py);
    let x1 = (b.x1() + px).min(raster.width);
    let y1 = (y1 + py).min(raster.height);
    let crop = (x1 > x0 && y1 > y0).then(|| raster.crop(x0, y0, x1 - x0, y1 - y0))?;
    // A tuning aid: each crop as the second recogniser gets it.
    debug.image(&format!("line-{y0}-{x0}.png"), &crop);
    Some(Crop {
        raster: crop,
        band_share,
    })
}

/// A table row's crop read cell by cell: pieces of ink apart by more than
/// [`ChoiceParams::cell_gap`] crop heights are read one by one and joined
/// by a space. Read whole, the model reads characters into the wide
/// stretches of paper between cells (a camera photo's row `3  14829.000
/// 103635.000`, its paper grainy with the facing page showing through, read
/// `36514829.00065司103635.000`).
fn read_cells(
    crop: &Raster,
    threshold: u8,
    second: &dyn LineRecogniser,
    k: &ChoiceParams,
) -> Result<LineReading, super::engine::OcrError> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    let gap = (k.cell_gap * h as f32).ceil() as usize;
    // Runs of inked columns, joined across gaps narrower than `gap`.
    let cells = super::grid::bridged_runs(w, gap.saturating_sub(1), |x| {
        (0..h).any(|y| crop.pixels[y * w + x] < threshold)
    });
    if cells.len() < 2 {
        return second.read_line(crop);
    }
    // Each cell with the margin the whole crop had, as far as the gap lets.
    let margin = ((k.pad_x * h as f32) as usize).min(gap / 2);
    let mut out = LineReading::default();
    for (a, z) in cells {
        let (x0, x1) = (a.saturating_sub(margin), (z + margin).min(w));
        let r = second.read_line(&crop.crop(x0 as u32, 0, (x1 - x0) as u32, h as u32))?;
        if r.text.is_empty() {
            continue;
        }
        if !out.text.is_empty() {
            // The space between cells is as sure as the cell after it, so
            // it moves the line's mean confidence nowhere new.
            out.text.push(' ');
            out.char_confidence.push(r.mean_confidence());
        }
        out.text.push_str(&r.text);
        out.char_confidence.extend(r.char_confidence);
    }
    // Positions along the line are each cell's own: none for the whole.
    Ok(out)
}

/// The run of rows around the inkiest row whose ink is at least `share`
/// of that row's: `(first, end)` in the slice's indices.
pub(crate) fn ink_band(rows: &[u32], share: f32) -> Option<(usize, usize)> {
    let (peak, &max) = rows.iter().enumerate().max_by_key(|(_, &v)| v)?;
    if max == 0 {
        return None;
    }
    let floor = (max as f32 * share).ceil() as u32;
    let mut a = peak;
    while a > 0 && rows[a - 1] >= floor {
        a -= 1;
    }
    let mut z = peak + 1;
    while z < rows.len() && rows[z] >= floor {
        z += 1;
    }
    Some((a, z))
}

/// Keeps both readings on the line and takes the second where the rule
/// prefers it.
pub fn choose(line: &mut Line, second: LineReading, k: &ChoiceParams) {
    if line.engine.is_none() && line.text.is_empty() {
        // A line found by layout analysis alone.
        only_reading(line, second, k);
        return;
    }
    let count = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count() as f32;
    let (n1, n2) = (count(&line.text), count(&second.text));
    let conf2 = second.mean_confidence();
    let ratio = if n1.min(n2) > 0.0 {
        n1.max(n2) / n1.min(n2)
    } else {
        f32::INFINITY
    };
    // Lengths far apart: one reading lost or invented characters; but a
    // line Tesseract read as nothing (a vertical column's cells, set as a
    // line, that it found no text in while PP-OCRv4 read it whole) takes
    // the second reading when it is as sure as a row read by it alone.
    let take = n2 > 0.0
        && conf2 >= k.min_second_confidence
        && (ratio <= k.max_length_ratio || (n1 == 0.0 && conf2 >= k.min_row_confidence));
    line.readings = vec![
        Reading {
            engine: line.engine.clone().unwrap_or_else(|| TESSERACT.to_string()),
            text: line.text.clone(),
            confidence: line.confidence,
        },
        Reading {
            engine: PPOCR.to_string(),
            text: second.text.clone(),
            confidence: Confidence::new(conf2),
        },
    ];
    if take {
        line.text = second.text;
        line.confidence = Confidence::new(conf2);
        line.engine = Some(PPOCR.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::BBox;

    fn line(text: &str, conf: f32) -> Line {
        Line {
            text: text.into(),
            bbox: BBox([10, 10, 200, 40]),
            confidence: Confidence::new(conf),
            engine: Some(TESSERACT.into()),
            ..Default::default()
        }
    }

    fn reading(text: &str, conf: f32) -> LineReading {
        LineReading {
            text: text.into(),
            char_confidence: vec![conf; text.chars().count()],
            ..Default::default()
        }
    }

    #[test]
    fn the_ink_band_is_the_run_of_inked_rows_round_the_inkiest() {
        // speck, gap, the line's rows, gap, the next line's edge
        let rows = [3, 0, 0, 40, 90, 100, 80, 30, 0, 0, 60];
        assert_eq!(ink_band(&rows, 0.05), Some((3, 8)));
        assert_eq!(ink_band(&[0, 0], 0.05), None);
    }

    #[test]
    fn a_confident_second_reading_of_like_length_is_taken_and_both_kept() {
        let k = ChoiceParams::default();
        let mut l = line("引发'C19773] 10号", 0.6);
        choose(&mut l, reading("中发〔1977〕10号", 0.97), &k);
        assert_eq!(l.text, "中发〔1977〕10号");
        assert_eq!(l.engine.as_deref(), Some(PPOCR));
        assert_eq!(l.readings.len(), 2);
        assert_eq!(l.readings[0].text, "引发'C19773] 10号");
        assert_eq!(l.readings[0].engine, TESSERACT);
    }

    #[test]
    fn a_line_tesseract_read_as_nothing_takes_a_sure_second_reading() {
        let k = ChoiceParams::default();
        let mut l = line("", 0.0);
        choose(
            &mut l,
            reading("国家级粮食应急状态来对待的情况。", 0.99),
            &k,
        );
        assert_eq!(l.text, "国家级粮食应急状态来对待的情况。");
        assert_eq!(l.engine.as_deref(), Some(PPOCR));
        assert_eq!(l.readings[0].text, "");
        // Unsure: nothing is taken.
        let mut l = line("", 0.0);
        choose(&mut l, reading("国家级", 0.3), &k);
        assert_eq!(l.text, "");
    }

    #[test]
    fn an_unsure_empty_or_misfit_second_reading_leaves_tesseract() {
        let k = ChoiceParams::default();
        for (second, conf) in [
            ("", 0.99),
            ("通知", 0.2),
            ("关于印发某某办法的通知关于印发某某办法的通知", 0.99),
        ] {
            let mut l = line("关于印发某某办法的通知", 0.7);
            choose(&mut l, reading(second, conf), &k);
            assert_eq!(l.text, "关于印发某某办法的通知", "{second}");
            assert_eq!(l.engine.as_deref(), Some(TESSERACT));
            assert_eq!(l.readings[1].text, second);
        }
    }

    /// Records the size (width, height) of every crop it is given and
    /// reads each as `某`.
    struct Sizes(std::sync::Mutex<Vec<(u32, u32)>>);

    impl LineRecogniser for Sizes {
        fn read_line(
            &self,
            crop: &Raster,
        ) -> Result<LineReading, crate::recognise::engine::OcrError> {
            self.0.lock().unwrap().push((crop.width, crop.height));
            Ok(reading("某", 0.9))
        }
        fn describe(&self) -> String {
            "sizes".into()
        }
    }

    /// A 40-row crop with ink (rows 8–32) in the given column ranges.
    fn row_of(w: usize, inked: &[std::ops::Range<usize>]) -> Raster {
        let mut r = Raster::blank(w as u32, 40);
        for y in 8..32 {
            for x in inked.iter().cloned().flatten() {
                r.pixels[y * w + x] = 0;
            }
        }
        r
    }

    #[test]
    fn a_table_row_is_read_cell_by_cell() {
        let k = ChoiceParams::default();
        let read = |crop: &Raster| {
            let seen = Sizes(Default::default());
            let r = read_cells(crop, 128, &seen, &k).unwrap();
            let widths: Vec<u32> = seen.0.into_inner().unwrap().iter().map(|s| s.0).collect();
            (r, widths)
        };
        // Three cells 200 px (5 crop heights) apart: read one by one, each
        // with its margin (12 px: the whole crop's, 0.3 heights), joined by
        // spaces with a confidence for each.
        let (r, widths) = read(&row_of(700, &[10..60, 260..400, 600..690]));
        assert_eq!(r.text, "某 某 某");
        assert_eq!(r.char_confidence.len(), 5);
        assert_eq!(widths, vec![50 + 10 + 12, 140 + 24, 90 + 12 + 10]);
        // Pieces under 1.5 heights apart (spaced characters, words): one
        // reading of the whole crop.
        let (r, widths) = read(&row_of(700, &[10..60, 100..150, 200..250]));
        assert_eq!((r.text.as_str(), widths), ("某", vec![700]));
    }

    #[test]
    fn a_line_narrowed_to_a_rule_it_takes_in_is_cropped_from_the_page_without_rules() {
        // A table row's box (rows 10–88) over a rule (rows 10–16, black
        // across) and the row's print below it (rows 40–70, a stroke in
        // every fifth column); a second line of print alone.
        let (w, h) = (400usize, 200usize);
        let mut page = Raster::blank(w as u32, h as u32);
        let mut unruled = page.clone();
        for y in 10..16 {
            page.pixels[y * w..(y + 1) * w].fill(0);
        }
        for r in [&mut page, &mut unruled] {
            for y in (40..70).chain(130..160) {
                for x in (20..380).step_by(5) {
                    r.pixels[y * w + x] = 0;
                }
            }
        }
        // Erasing long strokes thins large print too: the second line
        // loses its lower half on the page without rules.
        for y in 145..160 {
            unruled.pixels[y * w..(y + 1) * w].fill(255);
        }
        let boxed = |y0, y1| Line {
            bbox: BBox([10, y0, 390, y1]),
            ..Default::default()
        };
        let k = ChoiceParams::default();
        let crops = |unruled: Option<&Raster>| {
            let seen = Sizes(Default::default());
            let mut lines = vec![boxed(10, 88), boxed(120, 170)];
            second_reading(
                &page,
                unruled,
                128,
                &mut lines,
                &seen,
                &k,
                &Default::default(),
            );
            let sizes = seen.0.into_inner().unwrap();
            sizes.iter().map(|s| s.1).collect::<Vec<u32>>()
        };
        // Cropped from the page: the first line's crop is the rule (6 rows
        // and padding), the second the print.
        let from_page = crops(None);
        assert!(from_page[0] < 15 && from_page[1] >= 30, "{from_page:?}");
        // With the page without rules: the first line's print, from it;
        // the second line, not narrowed, still from the page.
        let with_unruled = crops(Some(&unruled));
        assert!(with_unruled[0] >= 30, "{with_unruled:?}");
        assert_eq!(with_unruled[1], from_page[1]);
    }
}
