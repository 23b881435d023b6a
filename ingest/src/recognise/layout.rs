//! How a page is set and read by its layout: the script of vertical
//! columns, vertical and mixed pages, rows read one by one, and regions
//! (a column, a block) read apart, their lines put back in page pixels.
//! Methods of the Tesseract reader (`ocr.rs`), kept apart by stage.

use super::assemble::Column;
use super::choose;
use super::engine::OcrError;
use super::mixed::Region;
use super::ocr::{Findings, Tesseract, SCRIPT_GIVEN};
use super::vertical::{Script, VerticalLayout};
use crate::page::{BBox, Line, Raster};
use crate::pixel::ink_box;
use gazette_model::script;

impl Tesseract {
    /// The script of a vertical page's columns: as given, or found from a
    /// sample of its longest columns.
    ///
    /// With the second recogniser: by the forms it reads. PP-OCRv4 knows
    /// most traditional characters and reads them as printed (條為發動),
    /// so a traditional page reads with more traditional forms (華, 國)
    /// than simplified ones (华, 国) and a simplified page the other way.
    /// Tesseract's models are no judge of that: each reads the other
    /// script's glyphs as its own characters (chi_sim reads 華 as 华).
    ///
    /// Without it: the Tesseract model that reads the sample the surer, by
    /// a margin (`VerticalParams::script_margin`), else simplified. Weak:
    /// right on 9 of 13 held-back rendered pages (the summed confidences
    /// differ by 1–2%). Without a traditional model installed, simplified.
    pub(super) fn column_script(
        &self,
        columns: &[Column],
        dpi: u32,
    ) -> Result<(Script, String), OcrError> {
        if self.script != Script::Auto {
            return Ok((self.script, SCRIPT_GIVEN.into()));
        }
        let tra = self.lang_for(Script::Traditional);
        if tra == self.lang || !self.traditional_model_loads(&tra) {
            return Ok((
                Script::Simplified,
                "no traditional model to tell the script: read as simplified".into(),
            ));
        }
        let mut order: Vec<&Raster> = columns.iter().map(|c| &c.line).collect();
        order.sort_by_key(|img| std::cmp::Reverse(img.width));
        if let Some(second) = &self.second {
            // The longest columns first, and more while their forms are
            // few or tied (a table's columns of figures hold few
            // characters: four of them read 12 traditional forms and 12
            // simplified on a traditional page).
            let (mut trad, mut simp, mut n) = (0usize, 0usize, 0usize);
            for img in &order {
                if n >= self.vertical.script_sample
                    && trad + simp >= self.vertical.script_forms
                    && trad != simp
                {
                    break;
                }
                n += 1;
                if let Ok(r) = second.read_line(img) {
                    let (t, si) = script::form_counts(&r.text);
                    trad += t;
                    simp += si;
                }
            }
            if trad + simp > 0 {
                let found = if trad > simp {
                    Script::Traditional
                } else {
                    Script::Simplified
                };
                tracing::debug!(trad, simp, script = ?found, "script of a vertical page, by forms");
                return Ok((
                    found,
                    format!("PP-OCRv4 read {trad} traditional forms and {simp} simplified in {n} columns"),
                ));
            }
        }
        let mut conf = [0.0f32; 2];
        for (i, lang) in [self.lang.as_str(), tra.as_str()].into_iter().enumerate() {
            for img in order.iter().take(self.vertical.script_sample) {
                conf[i] += self.read_line_image(lang, img, dpi)?.confidence.get();
            }
        }
        let found = if conf[1] > conf[0] * (1.0 + self.vertical.script_margin) {
            Script::Traditional
        } else {
            Script::Simplified
        };
        tracing::debug!(simplified = conf[0], traditional = conf[1], script = ?found, "script of a vertical page");
        Ok((
            found,
            format!(
                "summed confidence of {} columns: chi_tra {:.2}, chi_sim {:.2}",
                order.len().min(self.vertical.script_sample),
                conf[1],
                conf[0]
            ),
        ))
    }

    /// Reads a vertical page: the rows above its columns, the columns right
    /// to left (each cut into its cells and read as a horizontal line, by
    /// Tesseract and, for simplified print, the second recogniser), then
    /// the rows below.
    pub(super) fn recognize_vertical(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        v: &VerticalLayout,
        found: &mut Findings,
    ) -> Result<Vec<Line>, OcrError> {
        let k = &self.vertical;
        let mut out = self.read_rows(raster, dpi, threshold, &v.above)?;
        let columns: Vec<Column> = super::cells::without_margin(raster, threshold, &v.columns, k)
            .into_iter()
            .filter_map(|(c, cs)| {
                // The column's box is its cells' (specks of damage past its
                // print left out).
                let (first, last) = (cs.first()?, cs.last()?);
                let (line, cells) = super::cells::as_line(raster, threshold, c, &cs, k);
                Some(Column {
                    bbox: BBox([c.x0(), first.0, c.x1(), last.1]),
                    line,
                    cells,
                })
            })
            .collect();
        let (script, why) = self.column_script(&columns, dpi)?;
        found.script(script, why);
        let lang = self.lang_for(script);
        for Column {
            bbox: c,
            line: img,
            cells,
        } in &columns
        {
            // A tuning aid: the column as the recogniser sees it.
            self.debug
                .image(&format!("column-{}-{}.png", c.x0(), c.y0()), img);
            let mut line = self.read_line_image_widths(&lang, img, dpi, Some(cells))?;
            if script == Script::Traditional && looks_like_date(&line.text) {
                // A date is the same characters in either script, and
                // chi_tra's fast model reads digits worse than chi_sim's
                // (1952年8月11日 read 1952年8月1草, 1958年4月19日 read
                // 1958年4月1日): a column shaped like a date is read with
                // the simplified model too, and that reading kept when it
                // is a date and nothing else (a column of a date and an
                // issuer keeps chi_tra's reading, for the issuer's sake).
                let other = self.read_line_image(&self.lang_for(Script::Simplified), img, dpi)?;
                if gazette_model::printed::date_iso(other.text.trim()).is_some() {
                    line = other;
                }
            }
            // PP-OCRv4's characters are simplified (a quarter of a
            // traditional page's characters are not among them).
            if script != Script::Traditional {
                if let Some(second) = &self.second {
                    match second.read_line(img) {
                        Ok(r) => choose::choose(&mut line, r, &self.choice),
                        Err(e) => {
                            tracing::debug!(error = %e, "second recogniser failed on a column")
                        }
                    }
                }
            }
            line.bbox = *c;
            line.vertical = true;
            if !line.text.trim().is_empty() {
                out.push(line);
            }
        }
        out.extend(self.read_rows(raster, dpi, threshold, &v.below)?);
        Ok(out)
    }

    /// Reads a mixed page region by region, each in its own direction, in
    /// the order given.
    pub(super) fn recognize_mixed(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        regions: &[Region],
        found: &mut Findings,
    ) -> Result<Vec<Line>, OcrError> {
        let mut out = Vec::new();
        for region in regions {
            let b = region.bbox();
            let crop = raster.crop(b.x0(), b.y0(), b.width(), b.height());
            let lines = match region {
                Region::Columns(_, v) => {
                    self.recognize_vertical(&crop, dpi, threshold, v, found)?
                }
                Region::Rows(_) => {
                    let t = crate::preprocess::ink_threshold(&crop);
                    self.recognize_horizontal(&crop, dpi, t, None, found)?
                }
            };
            if lines.is_empty() && matches!(region, Region::Rows(_)) {
                // A row Tesseract's layout finds empty (a faint folio).
                out.extend(self.read_as_one_line(raster, dpi, threshold, b)?);
            } else {
                out.extend(lines.into_iter().map(|l| on_page(l, b)));
            }
        }
        Ok(out)
    }

    /// Reads the rows above and below a vertical page's columns. A row
    /// Tesseract's layout analysis finds empty (a folio "— 2 —" on a
    /// yellowed page, its dashes and digit faint) is read as one line.
    pub(super) fn read_rows(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        rows: &[BBox],
    ) -> Result<Vec<Line>, OcrError> {
        let mut out = Vec::new();
        for row in rows {
            let lines = self.read_regions(raster, dpi, std::slice::from_ref(row))?;
            if !lines.is_empty() {
                out.extend(lines);
                continue;
            }
            out.extend(self.read_as_one_line(raster, dpi, threshold, *row)?);
        }
        Ok(out)
    }

    /// The ink of a row read as one line (with PP-OCRv4's choice when
    /// installed), in page pixels; `None` for a row of no ink, a rule, or
    /// nothing read.
    pub(super) fn read_as_one_line(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        row: BBox,
    ) -> Result<Option<Line>, OcrError> {
        let Some(ink) = ink_box(raster, threshold, row) else {
            return Ok(None);
        };
        // A rule (under a running head) is no row of print: thinner than
        // the smallest type.
        if (ink.height() as f32) < dpi as f32 * self.vertical.rule_in {
            return Ok(None);
        }
        // Cropped to the ink with white round it (a row the page wide is
        // mostly empty, and Tesseract read noise into it).
        let pad = ink.height() / 2;
        let b = ink.grown(pad, raster.width, raster.height);
        let crop = raster.crop(b.x0(), b.y0(), b.width(), b.height());
        let mut line = self.read_line_image(&self.lang, &crop, dpi)?;
        if let Some(second) = &self.second {
            match second.read_line(&crop) {
                Ok(r) => choose::choose(&mut line, r, &self.choice),
                Err(e) => tracing::debug!(error = %e, "second recogniser failed on a row"),
            }
        }
        line.bbox = ink;
        Ok((!line.text.trim().is_empty()).then_some(line))
    }

    /// Reads regions of the page one by one, boxes back in page pixels.
    pub(super) fn read_regions(
        &self,
        raster: &Raster,
        dpi: u32,
        regions: &[BBox],
    ) -> Result<Vec<Line>, OcrError> {
        let mut out = Vec::new();
        for b in regions {
            if b.width() == 0 || b.height() == 0 {
                continue;
            }
            let crop = raster.crop(b.x0(), b.y0(), b.width(), b.height());
            out.extend(
                self.recognize_region(&crop, dpi, None)?
                    .into_iter()
                    .map(|l| on_page(l, *b)),
            );
        }
        Ok(out)
    }
}

/// A line read from the crop of `region`, its box back in page pixels.
fn on_page(mut l: Line, region: BBox) -> Line {
    l.bbox = BBox([
        l.bbox.x0() + region.x0(),
        l.bbox.y0() + region.y0(),
        l.bbox.x1() + region.x0(),
        l.bbox.y1() + region.y0(),
    ]);
    l
}

/// A short line that begins like a date: a year (four digits or numerals)
/// and 年.
fn looks_like_date(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let year = t.split_once('年').is_some_and(|(y, _)| {
        y.chars().count() == 4
            && y.chars()
                .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九".contains(c))
    });
    year && t.chars().count() <= 16
}
