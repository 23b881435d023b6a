//! The OCR engine behind a trait, so the pipeline can be tested with a fake,
//! and its Tesseract implementation: one Tesseract instance per worker
//! thread, created on first use and reused for every later page, followed
//! by a second pass that mends Tesseract's layout analysis on gazette pages.

use super::choose::{self, ChoiceParams};
pub use super::engine::{OcrEngine, OcrError, PageRead, TESSERACT};
use super::ppocr::LineRecogniser;
use super::tess::{self, Api, TextLine};
use super::vertical::{Direction, Region, Script, VerticalLayout, VerticalParams};
use crate::page::{BBox, Confidence, Layout, Line, PageDirection, PageScript, Raster};
use crate::pixel::{ink_box, row_ink_inside, runs};
use gazette_model::script;
use std::cell::RefCell;
use std::ffi::CString;

/// The reason recorded for a script forced with `--script`.
const SCRIPT_GIVEN: &str = "script given for the batch";

/// What reading a page found of its script, gathered as its parts are read.
#[derive(Debug, Default)]
struct Findings {
    /// The script the page's text was read in, when a part decided it.
    script: Option<Script>,
    /// Each finding's reason, in words.
    why: Vec<String>,
}

impl Findings {
    fn script(&mut self, script: Script, why: String) {
        // A mixed page's parts each decide: traditional wins (the page
        // holds traditional print).
        if self.script != Some(Script::Traditional) {
            self.script = Some(script);
        }
        self.why.push(why);
    }
}

/// The numbers of the pass that mends Tesseract's reading of a gazette
/// page: re-reading rows it missed or mis-cut, joining row fragments,
/// restoring folio dashes and finding table cell marks. Lengths in inches
/// are scaled by the page's resolution. Each was set by hand on the
/// rendered pages of `make eval` (scripts/eval_ocr.py) while developing,
/// not swept; where a figure rests on print sizes the comment says which.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RepairParams {
    /// Rows of ink lower than this (inches) are specks or rules, not text:
    /// 1/25 in is 2.9 pt, under the x-height of the smallest print (小五,
    /// 9 pt).
    pub min_row_in: f32,
    /// Rows taller than this (inches) are pictures or merged rows: 1/2.5 in
    /// is 29 pt, above a 二号 title line (22 pt).
    pub max_row_in: f32,
    /// A line overlapping at least this share of a row's height covers it.
    pub covered_share: f32,
    /// A line over at least this many text rows is a mis-cut column.
    pub miscut_rows: usize,
    /// More rows to re-read than this and the page is not rows of text (a
    /// picture, a table of boxes): Tesseract's reading is left alone
    /// rather than spend minutes re-reading.
    pub max_rereads: usize,
    /// …and with a second recogniser, which reads a row in about 50 ms, not
    /// Tesseract's few hundred: a page Tesseract read nothing of is all
    /// rows to re-read (an old-paper page holding a table of 14 rows over
    /// a text of 25 had 47, and was left empty at 40).
    pub max_rereads_second: usize,
    /// A pixel row belongs to a row of ink when it holds more than this
    /// share of a full text row's ink (the 90th-percentile row): on aged
    /// paper specks in every gap merge a page's lines into one band. Rows
    /// of any ink apart from those still count (a folio's thin rows). Set
    /// on the `old` set of scripts/eval_print.py (tuning documents).
    pub row_noise_share: f32,
    /// Ink this many inches from the image's sides is the scan's dark
    /// edge, and counts in no row of print ([`row_ink_inside`]): the edge
    /// of a tuning old-paper page reached 0.11 in in; a gazette's margins
    /// are an inch and more.
    pub edge_margin_in: f32,
    /// A row is text only if its ink covers at least this share of its
    /// box (a lone mark covers less), and a piece of it twice this share.
    /// A date in Chinese numerals (二〇一二年一月九日) is sparse print: on a
    /// tuning old-paper page its piece covered 0.097 and, at 0.05, the
    /// line was lost. At 0.04 the tuning old-paper sets rendered afresh
    /// read 2.98% -> 2.71% (with the mixed-page fix), eval_print's tuning
    /// sets as before (heavy 0.75% -> 0.73%).
    pub min_row_ink: f32,
    /// A row's print is looked for in its core: the rows around its
    /// inkiest that hold at least this share of that row's ink (a line of
    /// print's rows all cross strokes; show-through beside it holds less
    /// ink). Set on one old-paper contents page of the tuning documents.
    pub core_share: f32,
    /// A re-read line below this confidence is dropped as noise.
    pub min_reread_confidence: f32,
    /// Row fragments of at most this many characters are joined to the
    /// line beside them (a contents entry's page number, a date beside its
    /// issuer); longer pieces stay apart, as the lines of two columns do.
    pub max_fragment_chars: usize,
    /// Folio dashes are looked for within this many line heights on
    /// either side of the number.
    pub folio_reach: f32,
    /// A page with no folio read is searched for one printed too faint
    /// for its ink threshold ([`read_faint_folio`]) in this share of its
    /// height at the foot, below its last line, ...
    pub folio_zone: f32,
    /// ... at a threshold this share of the way from the ink threshold to
    /// the paper ...
    pub folio_faint: f32,
    /// ... in a row of print at most this share of the page wide, found
    /// on the page's foot blurred by this σ (pixels at 300 dpi).
    pub folio_max_width: f32,
    pub folio_blur: f32,
    /// Smallest and largest side of a table cell mark (⊠), in inches.
    pub min_mark_in: f32,
    pub max_mark_in: f32,
    /// Of 25 probes along each edge and diagonal of a mark, at least this
    /// many must hit ink.
    pub mark_probes_inked: usize,
    /// At most this share of the probes away from the strokes may hit ink
    /// (a ⊠ is hollow; a dense character is not).
    pub mark_max_fill: f32,
    /// A vertical rule at least this long (inches) is a table's: no stroke
    /// of body type, nor of a red header's large characters, is so long.
    pub table_rule_in: f32,
    /// This many such rules side by side make a ruled table.
    pub table_rules: usize,
    /// A line whose box holds less than this share of pixels at or under
    /// the page's ink threshold is the facing page showing through, not
    /// print: Tesseract's own threshold, set on a sparse aged page, takes
    /// the mirrored print for ink, and it was read as garbage at confidence
    /// 0.6–0.8 (two tuning old-paper pages, a contents page and a last
    /// page, 175% and 224% CER). Measured on 2349 lines of 14 tuning sets
    /// (eval_print's seven, eval_vertical's old paper, six old-paper sets
    /// in other fonts): every show-through line 0.0000, the faintest line
    /// of print 0.015 (a date on old paper; digits in a wide table row
    /// 0.037). A third of that. The page's verdict counts ink the same
    /// way, so a page of nothing but show-through is blank, not empty.
    pub show_through_ink: f32,
    /// A line's box reaching at least this many line heights past its
    /// print (pixels at or under the page's ink threshold) is trimmed to
    /// the print, half a height of margin left: on old paper, Tesseract's
    /// box for a short centred 文号 took in the facing page's print
    /// showing through to its left (no ink by the threshold), from the
    /// page's edge, and the second recogniser read that crop `国#969号`
    /// (tuning split). Runs of print further apart than a line height
    /// holding less than `trim_speck_share` of a height's square are
    /// specks, and no print.
    pub trim_heights: f32,
    pub trim_speck_share: f32,
}

impl Default for RepairParams {
    fn default() -> Self {
        Self {
            min_row_in: 1.0 / 25.0,
            max_row_in: 1.0 / 2.5,
            covered_share: 0.4,
            miscut_rows: 2,
            max_rereads: 40,
            max_rereads_second: 90,
            min_row_ink: 0.04,
            core_share: 0.25,
            row_noise_share: 0.04,
            edge_margin_in: 0.15,
            min_reread_confidence: 0.5,
            max_fragment_chars: 6,
            folio_reach: 3.0,
            folio_zone: 0.12,
            folio_faint: 0.5,
            folio_max_width: 0.25,
            folio_blur: 1.5,
            min_mark_in: 1.0 / 25.0,
            max_mark_in: 1.0 / 3.5,
            mark_probes_inked: 22,
            mark_max_fill: 0.05,
            table_rule_in: 0.8,
            table_rules: 3,
            show_through_ink: 0.005,
            trim_heights: 2.0,
            trim_speck_share: 0.05,
        }
    }
}

/// Tesseract with a language such as `chi_sim` or `chi_sim+eng`.
#[derive(Clone)]
pub struct Tesseract {
    lang: String,
    datapath: Option<String>,
    psm: i32,
    repair: RepairParams,
    /// The second recogniser for the lines Tesseract is unsure of.
    second: Option<std::sync::Arc<dyn LineRecogniser>>,
    choice: ChoiceParams,
    columns: super::columns::ColumnParams,
    vertical: VerticalParams,
    grid: super::grid::GridParams,
    direction: Direction,
    script: Script,
    /// Keeps its engine in the thread's second slot (the traditional
    /// reader beside the main one), so neither evicts the other.
    other_slot: bool,
}

thread_local! {
    /// The calling thread's engine and the language it was loaded with.
    static API: RefCell<Option<(String, Api)>> = const { RefCell::new(None) };
    /// The calling thread's engine for the other script (chi_tra beside
    /// chi_sim), so a page read with both does not reload either.
    static API_OTHER: RefCell<Option<(String, Api)>> = const { RefCell::new(None) };
}

/// Page segmentation mode 4: a single column of text of variable sizes.
/// Measured on rendered gazette pages, mode 3 (automatic) cuts list markers
/// (一、二、) into a column of their own and mode 6 (one uniform block)
/// dissolves into noise on heavily damaged scans.
pub const DEFAULT_PSM: i32 = 4;

impl Tesseract {
    /// Checks that the language loads, so a missing traineddata file is one
    /// clear error at start rather than one per page.
    pub fn new(lang: &str) -> Result<Self, OcrError> {
        let t = Self {
            lang: lang.to_string(),
            datapath: std::env::var("TESSDATA_PREFIX").ok(),
            psm: DEFAULT_PSM,
            repair: RepairParams::default(),
            second: None,
            choice: ChoiceParams::default(),
            columns: super::columns::ColumnParams::default(),
            vertical: VerticalParams::default(),
            grid: Default::default(),
            direction: Direction::Auto,
            script: Script::Auto,
            other_slot: false,
        };
        t.create_api().map(|_| t)
    }

    /// The language models in use, each with the SHA-256 of its
    /// traineddata file where found: what provenance records.
    pub fn traineddata(&self) -> String {
        let dirs: Vec<std::path::PathBuf> = self
            .datapath
            .iter()
            .map(|d| std::path::Path::new(d).to_path_buf())
            .chain(
                [
                    "/usr/share/tesseract-ocr/5/tessdata",
                    "/usr/share/tesseract-ocr/4.00/tessdata",
                ]
                .iter()
                .map(std::path::PathBuf::from),
            )
            .collect();
        self.lang
            .split('+')
            .map(|part| {
                let file = format!("{part}.traineddata");
                let found = dirs.iter().map(|d| d.join(&file)).find(|p| p.is_file());
                match found.and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
                    Some((p, bytes)) => {
                        use sha2::Digest;
                        let digest = sha2::Sha256::digest(&bytes);
                        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                        format!("{part} ({} sha256 {hex})", p.display())
                    }
                    None => part.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// Adds a second recogniser that re-reads the lines Tesseract is
    /// unsure of ([`choose::second_reading`]).
    pub fn with_second(
        mut self,
        second: std::sync::Arc<dyn LineRecogniser>,
        choice: ChoiceParams,
    ) -> Self {
        self.second = Some(second);
        self.choice = choice;
        self
    }

    /// Overrides the page segmentation mode (see `tesseract --help-psm`).
    pub fn with_psm(mut self, psm: i32) -> Self {
        self.psm = psm;
        self
    }

    /// Sets how pages are set (vertical or not) and their script, found
    /// per page by default.
    pub fn with_direction(mut self, direction: Direction, script: Script) -> Self {
        self.direction = direction;
        self.script = script;
        self
    }

    /// The language for pages printed in `script`: the engine's own for
    /// simplified; for traditional, its `chi_sim` as `chi_tra`.
    fn lang_for(&self, script: Script) -> String {
        match script {
            Script::Traditional => self.lang.replace("chi_sim", "chi_tra"),
            _ => self.lang.clone(),
        }
    }

    fn create_api(&self) -> Result<Api, OcrError> {
        self.create_api_for(&self.lang)
    }

    fn create_api_for(&self, lang_name: &str) -> Result<Api, OcrError> {
        let lang = CString::new(lang_name).map_err(|_| OcrError::Nul("language name"))?;
        let datapath = match &self.datapath {
            Some(d) => {
                Some(CString::new(d.as_str()).map_err(|_| OcrError::Nul("TESSDATA_PREFIX"))?)
            }
            None => None,
        };
        let mut api = Api::new(datapath.as_deref(), &lang).ok_or_else(|| OcrError::Language {
            lang: lang_name.to_string(),
            package: lang_name.split('+').next().unwrap_or("").replace('_', "-"),
        })?;
        // Keep the gaps Tesseract sees between words, so table cells and
        // English words stay apart; the line fixer closes up ideographs.
        api.set_variable(c"preserve_interword_spaces", c"1");
        api.set_page_seg_mode(self.psm);
        Ok(api)
    }

    fn run(
        &self,
        raster: &Raster,
        dpi: u32,
        psm: i32,
        marks: &[BBox],
    ) -> Result<Vec<Line>, OcrError> {
        self.with_api(|api| {
            api.set_page_seg_mode(psm);
            let result = api.recognize(raster, dpi);
            api.set_page_seg_mode(self.psm);
            Ok(assemble(result?, marks))
        })
    }

    /// Line boxes from Tesseract's layout analysis, each an unread line.
    fn layout(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, OcrError> {
        self.with_api(|api| {
            Ok(api
                .layout(raster, dpi)?
                .into_iter()
                .filter(|b| b.width() > 0 && b.height() > 0)
                .map(|bbox| Line {
                    bbox,
                    ..Default::default()
                })
                .collect())
        })
    }

    /// Runs `f` with the calling thread's engine, made on first use.
    fn with_api<T>(&self, f: impl FnOnce(&mut Api) -> Result<T, OcrError>) -> Result<T, OcrError> {
        let slot = if self.other_slot { &API_OTHER } else { &API };
        slot.with(|cell| {
            let mut slot = cell.borrow_mut();
            f(super::keyed(&mut slot, &self.lang, || self.create_api())?)
        })
    }

    /// Whether the traditional model `tra` loads on this thread; said once,
    /// for the whole run, when it does not (pages are then read with the
    /// simplified one, never failed).
    fn traditional_model_loads(&self, tra: &str) -> bool {
        match self.with_api_for(tra, |_| Ok(())) {
            Ok(()) => true,
            Err(e) => {
                static WARNED: std::sync::Once = std::sync::Once::new();
                WARNED.call_once(|| {
                    tracing::warn!(error = %e, "no traditional model: traditional pages are read with the simplified one")
                });
                false
            }
        }
    }

    /// Runs `f` with the calling thread's engine for `lang` (the main one,
    /// or the other script's).
    fn with_api_for<T>(
        &self,
        lang: &str,
        f: impl FnOnce(&mut Api) -> Result<T, OcrError>,
    ) -> Result<T, OcrError> {
        if lang == self.lang {
            return self.with_api(f);
        }
        API_OTHER.with(|cell| {
            let mut slot = cell.borrow_mut();
            let key = lang.to_string();
            f(super::keyed(&mut slot, &key, || self.create_api_for(lang))?)
        })
    }

    /// One line image read in single-line mode with `lang`: its text and
    /// character-weighted confidence (Tesseract may split it in pieces).
    fn read_line_image(&self, lang: &str, img: &Raster, dpi: u32) -> Result<Line, OcrError> {
        self.read_line_image_widths(lang, img, dpi, None)
    }

    /// [`read_line_image`](Self::read_line_image) of a vertical column set
    /// as a line, `cells` the spans its cells were set in and whether each
    /// is narrow: a parenthesis read is made half-width (`(`) when it was
    /// printed in a narrow cell and full-width (`（`) otherwise, so its
    /// width is as printed, told by the cell's shape rather than by the
    /// model (which reads both as `(`).
    fn read_line_image_widths(
        &self,
        lang: &str,
        img: &Raster,
        dpi: u32,
        cells: Option<&[(u32, u32, bool)]>,
    ) -> Result<Line, OcrError> {
        let pieces = self.with_api_for(lang, |api| {
            api.set_page_seg_mode(PSM_SINGLE_LINE);
            let result = api.recognize(img, dpi);
            api.set_page_seg_mode(self.psm);
            let mut lines = result?;
            if let Some(cells) = cells {
                for l in &mut lines {
                    parenthesis_widths(&mut l.symbols, cells);
                }
            }
            Ok(assemble(lines, &[]))
        })?;
        let (mut text, mut sum, mut n) = (String::new(), 0.0f32, 0usize);
        for p in pieces {
            let k = p.text.chars().filter(|c| !c.is_whitespace()).count();
            sum += p.confidence.get() * k as f32;
            n += k;
            text.push_str(&p.text);
        }
        Ok(Line {
            text,
            confidence: Confidence::new(if n > 0 { sum / n as f32 } else { 0.0 }),
            engine: Some(TESSERACT.to_string()),
            ..Default::default()
        })
    }

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
    fn column_script(&self, columns: &[Column], dpi: u32) -> Result<(Script, String), OcrError> {
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
    fn recognize_vertical(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        v: &VerticalLayout,
        found: &mut Findings,
    ) -> Result<Vec<Line>, OcrError> {
        let k = &self.vertical;
        let mut out = self.read_rows(raster, dpi, threshold, &v.above)?;
        let columns: Vec<Column> =
            super::vertical::without_margin(raster, threshold, &v.columns, k)
                .into_iter()
                .filter_map(|(c, cs)| {
                    // The column's box is its cells' (specks of damage past its
                    // print left out).
                    let (first, last) = (cs.first()?, cs.last()?);
                    let (line, cells) = super::vertical::as_line(raster, threshold, c, &cs, k);
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
            if let Some(dir) = std::env::var_os("GAZETTE_DEBUG_DIR") {
                // A tuning aid: the column as the recogniser sees it.
                let path =
                    std::path::Path::new(&dir).join(format!("column-{}-{}.png", c.x0(), c.y0()));
                if let Some(g) =
                    image::GrayImage::from_raw(img.width, img.height, img.pixels.clone())
                {
                    let _ = g.save(path);
                }
            }
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
                if crate::segment::parse::date_iso(other.text.trim()).is_some() {
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
    fn recognize_mixed(
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
    fn read_rows(
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
    fn read_as_one_line(
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
        let b = BBox([
            ink.x0().saturating_sub(pad),
            ink.y0().saturating_sub(pad),
            (ink.x1() + pad).min(raster.width),
            (ink.y1() + pad).min(raster.height),
        ]);
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
    fn read_regions(
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

/// Page segmentation mode 7: the image is one text line.
const PSM_SINGLE_LINE: i32 = 7;

impl OcrEngine for Tesseract {
    /// Tesseract's reading, then the second pass that mends its layout
    /// analysis on gazette pages ([`repair_lines`], [`merge_row_fragments`]).
    /// Table cell marks are found first and blanked, so Tesseract reads the
    /// cells and the marks become tabs between them.
    fn recognize(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, OcrError> {
        Ok(self.recognize_page(raster, dpi)?.lines)
    }

    /// The page's direction first (mixed, vertical or horizontal, unless
    /// given), then each part read in its own, its script found as it is
    /// read; both recorded with their reasons.
    fn recognize_page(&self, raster: &Raster, dpi: u32) -> Result<PageRead, OcrError> {
        // A page set in two columns is read region by region (bands across
        // the page, and each column of a two-column band), in reading
        // order: read whole, its columns' lines would interleave. Pages
        // with ruled tables are read whole: a table's spaced cells are no
        // columns.
        let threshold = crate::preprocess::ink_threshold(raster);
        // The page's ruled grids, found once: they decide how a
        // horizontal page is cut into columns, and mark the lines read
        // inside them.
        let grids = super::grid::grids(raster, threshold, dpi as f32, &self.grid);
        let mut found = Findings::default();
        let (direction, why, lines) = 'read: {
            // Why the page is read as rows, unless it is read otherwise.
            let rows = if self.direction == Direction::Horizontal {
                "direction given for the batch"
            } else {
                if let Some(regions) =
                    super::vertical::mixed(raster, threshold, dpi as f32, &self.vertical)
                {
                    tracing::debug!(regions = regions.len(), "mixed page");
                    let columns = regions
                        .iter()
                        .filter(|r| matches!(r, Region::Columns(..)))
                        .count();
                    let why = format!(
                        "mixed: {} regions, {columns} of them blocks of columns beside rows of text",
                        regions.len()
                    );
                    let lines =
                        self.recognize_mixed(raster, dpi, threshold, &regions, &mut found)?;
                    break 'read (PageDirection::Mixed, why, lines);
                }
                match super::vertical::find(raster, threshold, dpi as f32, &self.vertical) {
                    Some(v) => {
                        tracing::debug!(columns = v.columns.len(), "vertical page");
                        let why = if self.direction == Direction::Vertical {
                            format!("direction given for the batch; {} columns", v.columns.len())
                        } else {
                            format!(
                                "{} columns, {:.0}% of the ink in blocks of columns",
                                v.columns.len(),
                                v.ink_in_columns * 100.0
                            )
                        };
                        let lines =
                            self.recognize_vertical(raster, dpi, threshold, &v, &mut found)?;
                        break 'read (PageDirection::Vertical, why, lines);
                    }
                    None if self.direction == Direction::Vertical => {
                        tracing::warn!("vertical reading asked for, but the page has no columns: read horizontally");
                        "vertical asked for, but the page has no columns"
                    }
                    None => "no blocks of columns hold most of the ink",
                }
            };
            let lines =
                self.recognize_horizontal(raster, dpi, threshold, Some(&grids), &mut found)?;
            (PageDirection::Horizontal, rows.to_string(), lines)
        };
        // A table's cells are known here, from the rules around them;
        // segmentation, which sees only lines, must not take a header
        // row set large and centred for a title.
        let mut lines = lines;
        if !grids.is_empty() {
            tracing::debug!(grids = ?grids, "ruled grids");
            super::grid::mark(&mut lines, &grids);
        }
        let script = match found.script {
            Some(Script::Traditional) => PageScript::Traditional,
            _ => PageScript::Simplified,
        };
        let why = std::iter::once(why)
            .chain(found.why)
            .collect::<Vec<_>>()
            .join("; ");
        Ok(PageRead {
            lines,
            layout: Some(Layout {
                direction,
                script,
                why,
            }),
        })
    }

    fn release(&self) {
        API.with(|cell| cell.borrow_mut().take());
        API_OTHER.with(|cell| cell.borrow_mut().take());
        if let Some(s) = &self.second {
            s.release();
        }
    }

    fn describe(&self) -> String {
        self.describe_engine()
    }
}

impl Tesseract {
    /// The reader of pages printed in traditional characters: Tesseract
    /// with the traditional model (`chi_tra`) alone. PP-OCRv4 does not
    /// know a quarter of a traditional page's characters: with it a
    /// held-back traditional page read at 10.6% CER, without it 0.5%.
    fn traditional(&self) -> Tesseract {
        Tesseract {
            lang: self.lang_for(Script::Traditional),
            second: None,
            script: Script::Traditional,
            other_slot: true,
            ..self.clone()
        }
    }

    /// Reads a horizontal page, and again with the traditional reader when
    /// it is printed in traditional characters: as given, or (with the
    /// second recogniser, which reads traditional characters as printed
    /// where it knows them, while chi_sim reads them as simplified) when
    /// its reading holds more traditional forms (華, 國) than simplified
    /// ones (华, 国), at least `VerticalParams::min_script_forms`.
    fn recognize_horizontal(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        grids: Option<&[BBox]>,
        found: &mut Findings,
    ) -> Result<Vec<Line>, OcrError> {
        let tra = self.lang_for(Script::Traditional);
        let can = tra != self.lang && !self.other_slot;
        if can && self.script == Script::Traditional {
            found.script(Script::Traditional, SCRIPT_GIVEN.into());
            return self
                .traditional()
                .read_horizontal(raster, dpi, threshold, grids);
        }
        let lines = self.read_horizontal(raster, dpi, threshold, grids)?;
        if self.script != Script::Auto {
            found.script(self.script, SCRIPT_GIVEN.into());
            return Ok(lines);
        }
        if !can || self.second.is_none() {
            found.script(
                Script::Simplified,
                "read with the simplified model (no second recogniser or traditional model to tell the script)".into(),
            );
            return Ok(lines);
        }
        // The forms PP-OCRv4 read, where it read the line: the chosen text
        // may be chi_sim's, which reads every form as simplified (a
        // yellowed traditional table page: chosen 38 traditional and 38
        // simplified, PP-OCRv4's readings 38 and 9).
        let (trad, simp) = lines
            .iter()
            .map(|l| {
                let ppocr = l.readings.iter().find(|r| r.engine == choose::PPOCR);
                script::form_counts(ppocr.map_or(&l.text, |r| &r.text))
            })
            .fold((0, 0), |(t, s), (a, b)| (t + a, s + b));
        let forms = format!("its readings (PP-OCRv4's where it read a line) held {trad} traditional forms and {simp} simplified");
        if trad <= simp || trad < self.vertical.min_script_forms {
            found.script(Script::Simplified, forms);
            return Ok(lines);
        }
        if !self.traditional_model_loads(&tra) {
            found.script(
                Script::Simplified,
                format!("{forms}, but no traditional model is installed"),
            );
            return Ok(lines);
        }
        found.script(Script::Traditional, forms);
        tracing::debug!(
            trad,
            simp,
            "traditional page: read again with the traditional model"
        );
        self.traditional()
            .read_horizontal(raster, dpi, threshold, grids)
    }

    /// A horizontal page: whole, or region by region when set in two
    /// columns. `grids`: the raster's ruled grids when the caller has
    /// found them (the whole page's), so they are not found twice.
    fn read_horizontal(
        &self,
        raster: &Raster,
        dpi: u32,
        threshold: u8,
        grids: Option<&[BBox]>,
    ) -> Result<Vec<Line>, OcrError> {
        let rules = ruled_columns(
            raster,
            threshold,
            (dpi as f32 * self.repair.table_rule_in) as usize,
        );
        let ruled = rules >= self.repair.table_rules;
        let regions = if ruled {
            // A ruled table's spaced cells are no columns; but a table set
            // inside one column of a two-column page is (a held-back
            // two-column issue's tables of coordinates made it read across
            // its columns). The columns are found with the tables' grids
            // standing as rows of print as wide as they are, and kept when
            // each grid lies in one region.
            let own;
            let grids = match grids {
                Some(g) => g,
                None => {
                    own = super::grid::grids(raster, threshold, dpi as f32, &self.grid);
                    &own
                }
            };
            if grids.is_empty() {
                None
            } else {
                let paper =
                    super::grid::as_rows(&blank(raster, grids), grids, dpi as f32, &self.grid);
                super::columns::split(&paper, threshold, dpi as f32, &self.columns).filter(|rs| {
                    let boxes: Vec<BBox> = rs.iter().map(|r| r.bbox).collect();
                    grids.iter().all(|g| super::grid::in_one_column(&boxes, *g))
                })
            }
        } else {
            super::columns::split(raster, threshold, dpi as f32, &self.columns)
        };
        let Some(regions) = regions else {
            // Read whole: the page's threshold and rule count are reused.
            return self.recognize_region(raster, dpi, Some((threshold, rules)));
        };
        tracing::debug!(regions = ?regions, "two columns: read region by region");
        let boxes: Vec<BBox> = regions.iter().map(|r| r.bbox).collect();
        self.read_regions(raster, dpi, &boxes)
    }
}

impl Tesseract {
    /// Reads one region (a whole page, or a column of one). `measured`:
    /// the region's ink threshold and count of ruled columns when the
    /// caller has them already (for the whole page), so they are not taken
    /// twice.
    fn recognize_region(
        &self,
        raster: &Raster,
        dpi: u32,
        measured: Option<(u8, usize)>,
    ) -> Result<Vec<Line>, OcrError> {
        let t0 = std::time::Instant::now();
        // The ink threshold is one histogram pass over the page: taken once,
        // and again only if blanking marks changed the page.
        let mut threshold =
            measured.map_or_else(|| crate::preprocess::ink_threshold(raster), |m| m.0);
        let k = &self.repair;
        let marks = find_cell_marks(raster, threshold, dpi as f32, k);
        let t_marks = t0.elapsed();
        let blanked;
        let raster = if marks.is_empty() {
            raster
        } else {
            blanked = blank(raster, &marks);
            threshold = crate::preprocess::ink_threshold(&blanked);
            &blanked
        };
        // With a second recogniser that reads every line, Tesseract's own
        // reading is not needed: its layout analysis alone finds the lines
        // (a tenth of its time). A page with table cell marks keeps the
        // full reading, whose symbols place the tabs between cells.
        // So does a page with a ruled table: layout analysis drops its rows
        // or reads across the rules (a held-back yellowed set of tables
        // measured 4% → 28% CER without this).
        // (With no marks blanked the raster is the one measured.)
        let layout_only = self.second.is_some()
            && self.choice.layout_only
            && marks.is_empty()
            && measured.map_or_else(
                || ruled_columns(raster, threshold, (dpi as f32 * k.table_rule_in) as usize),
                |m| m.1,
            ) < k.table_rules;
        let mut lines = if layout_only {
            self.layout(raster, dpi)?
        } else {
            self.run(raster, dpi, self.psm, &marks)?
        };
        let t_ocr = t0.elapsed();
        // Before the repair pass, whose rows a line of show-through beside
        // them would cover (a last page's folio went unread), and the
        // second reading, which would spend 50 ms on each.
        let faint = keep_print(raster, threshold, k, &mut lines);
        let mut reread = 0;
        // Rows of print are found, and read again, on the page without its
        // rules: a table's rules tie its rows into one band, too tall for a
        // line, and left in a row's crop they are read as characters.
        let unruled = super::grid::without_rules(raster, threshold, dpi as f32, &self.grid);
        let rows_of = unruled.as_ref().unwrap_or(raster);
        if let (Some(u), Some(dir)) = (&unruled, std::env::var_os("GAZETTE_DEBUG_DIR")) {
            // A tuning aid: the page its rows are found on.
            let path =
                std::path::Path::new(&dir).join(format!("unruled-{}x{}.png", u.width, u.height));
            if let Some(img) = image::GrayImage::from_raw(u.width, u.height, u.pixels.clone()) {
                let _ = img.save(path);
            }
        }
        let repair = RepairParams {
            max_rereads: if self.second.is_some() {
                k.max_rereads_second
            } else {
                k.max_rereads
            },
            ..k.clone()
        };
        repair_lines(
            rows_of,
            threshold,
            dpi as f32,
            &repair,
            &mut lines,
            |crop, ox, oy, ink_box| {
                // A row without table cells goes to the second recogniser
                // when there is one: it reads a lone row better than
                // Tesseract's single-line mode, and faster.
                if let Some(second) = &self.second {
                    let has_mark = marks
                        .iter()
                        .any(|m| m.y1() > ink_box.y0() && m.y0() < ink_box.y1());
                    if !has_mark {
                        reread += 1;
                        return Ok(choose::read_row(
                            rows_of,
                            threshold,
                            ink_box,
                            second.as_ref(),
                            &self.choice,
                        )
                        .into_iter()
                        .map(|mut l| {
                            // repair_lines adds the crop's origin back.
                            l.bbox = BBox([
                                l.bbox.x0() - ox,
                                l.bbox.y0() - oy,
                                l.bbox.x1() - ox,
                                l.bbox.y1() - oy,
                            ]);
                            l
                        })
                        .collect());
                    }
                }
                let local: Vec<BBox> = marks
                    .iter()
                    .filter(|m| m.x0() >= ox && m.y0() >= oy)
                    .map(|m| BBox([m.x0() - ox, m.y0() - oy, m.x1() - ox, m.y1() - oy]))
                    .collect();
                reread += 1;
                self.run(crop, dpi, PSM_SINGLE_LINE, &local)
            },
        )?;
        let t_repair = t0.elapsed();
        // The second reading comes before fragments are joined, so each
        // crop is one piece of print as Tesseract cut it.
        let second = match &self.second {
            Some(s) => choose::second_reading(
                raster,
                unruled.as_ref(),
                threshold,
                &mut lines,
                s.as_ref(),
                &self.choice,
            ),
            None => 0,
        };
        let t_second = t0.elapsed() - t_repair;
        // Lines found by layout alone that no reader could read.
        lines.retain(|l| !l.text.trim().is_empty());
        if let Some(second) = &self.second {
            let folio =
                read_faint_folio(rows_of, threshold, dpi as f32, k, &mut lines, |r, b, t| {
                    choose::read_row(r, t, b, second.as_ref(), &self.choice)
                });
            lines.extend(folio);
        }
        if layout_only {
            // Layout analysis lists lines block by block, and on damaged
            // pages it makes blocks of stray lines that recognition would
            // have put in place.
            reading_order(&mut lines);
        }
        merge_row_fragments(&mut lines, k);
        restore_folio_dashes(raster, threshold, k, &mut lines);
        tracing::debug!(
            marks = marks.len(),
            reread,
            faint,
            second,
            second_ms = t_second.as_millis() as u64,
            marks_ms = t_marks.as_millis() as u64,
            ocr_ms = (t_ocr - t_marks).as_millis() as u64,
            repair_ms = (t0.elapsed() - t_ocr).as_millis() as u64,
            "recognised"
        );
        Ok(lines)
    }

    /// What the engine is, for provenance.
    fn describe_engine(&self) -> String {
        let first = format!(
            "tesseract {} {} psm {}",
            tesseract_version(),
            self.lang,
            self.psm
        );
        match &self.second {
            Some(s) => format!(
                "{first}; second reading by {} ({} sample lines a page, every line where they \
                 disagree over {}, else lines below confidence {})",
                s.describe(),
                self.choice.sample_lines,
                self.choice.hard_page_disagreement,
                self.choice.reread_below,
            ),
            None => first,
        }
    }
}

/// Keeps the lines that are print: drops those that are the facing page
/// showing through ([`RepairParams::show_through_ink`]), returning how
/// many, and trims each box that reaches far past its print to the print
/// ([`RepairParams::trim_heights`]). Each line's ink is measured once, by
/// pixel column, for both.
pub fn keep_print(r: &Raster, threshold: u8, k: &RepairParams, lines: &mut Vec<Line>) -> usize {
    let before = lines.len();
    lines.retain_mut(|l| {
        let b = l.bbox;
        let (x1, y1) = (b.x1().min(r.width), b.y1().min(r.height));
        let (x0, y0) = (b.x0().min(x1), b.y0().min(y1));
        let h = (y1 - y0) as usize;
        let ink = crate::pixel::column_ink_in(
            r,
            threshold,
            (x0 as usize, x1 as usize),
            (y0 as usize, y1 as usize),
        );
        let area = ink.len() * h;
        let share = if area == 0 {
            0.0
        } else {
            ink.iter().sum::<usize>() as f32 / area as f32
        };
        if share < k.show_through_ink {
            tracing::trace!(bbox = ?b.0, share, text = %l.text, "show-through left out");
            return false;
        }
        let speck = (h * h) as f32 * k.trim_speck_share;
        let print: Vec<(usize, usize)> = super::grid::bridged_runs(ink.len(), h, |x| ink[x] > 0)
            .into_iter()
            .filter(|&(a, z)| ink[a..z].iter().sum::<usize>() as f32 >= speck)
            .collect();
        let (Some(first), Some(last)) = (print.first(), print.last()) else {
            return true;
        };
        let far = (h as f32 * k.trim_heights) as usize;
        let pad = h / 2;
        let mut nb = b;
        if first.0 >= far {
            nb = BBox([x0 + (first.0 - pad) as u32, nb.y0(), nb.x1(), nb.y1()]);
        }
        if ink.len() - last.1 >= far {
            nb = BBox([nb.x0(), nb.y0(), x0 + (last.1 + pad) as u32, nb.y1()]);
        }
        if nb != b {
            tracing::trace!(from = ?b.0, to = ?nb.0, "line trimmed to its print");
            l.bbox = nb;
        }
        true
    });
    before - lines.len()
}

/// The linked Tesseract library's version.
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static, nul-terminated
    // string owned by the library.
    let v = unsafe { std::ffi::CStr::from_ptr(tesseract::plumbing::tesseract_sys::TessVersion()) };
    v.to_string_lossy().into_owned()
}

/// A vertical column set as a horizontal line ([`super::vertical::as_line`]):
/// its box on the page (its cells'), the line, and the span each cell was
/// set in and whether it was narrow.
struct Column {
    bbox: BBox,
    line: Raster,
    cells: Vec<(u32, u32, bool)>,
}

/// Sets each parenthesis among a column's symbols (read from the column
/// set as a line) to the width of the cell it was printed in: see
/// [`Tesseract::read_line_image_widths`]. Tesseract's boxes are rough (一
/// given a box over four cells), but a parenthesis's box begins in its
/// cell (seen on the tuning split's traditional pages: its end runs on
/// into the next character's cell as often as not); a box under
/// `MIN_BOX_PX` wide (a `)` given one pixel past its cell) places nothing,
/// and such a mark takes the width of its pair's other half. A mark placed
/// nowhere, pair and all, is full-width, the Chinese norm.
fn parenthesis_widths(symbols: &mut [tess::Symbol], cells: &[(u32, u32, bool)]) {
    /// Narrower than this many pixels, a symbol's box does not place it.
    const MIN_BOX_PX: u32 = 3;
    let opening = |s: &tess::Symbol| matches!(s.text.as_str(), "(" | "（");
    let closing = |s: &tess::Symbol| matches!(s.text.as_str(), ")" | "）");
    let mut half: Vec<Option<bool>> = symbols
        .iter()
        .map(|s| {
            let b = s.bbox;
            (b.width() >= MIN_BOX_PX && (opening(s) || closing(s)))
                .then(|| cells.iter().find(|&&(a, z, _)| a <= b.x0() && b.x0() < z))
                .flatten()
                .map(|c| c.2)
        })
        .collect();
    // Pairs: an undecided half takes the other's width.
    let mut open: Vec<usize> = Vec::new();
    for j in 0..symbols.len() {
        if opening(&symbols[j]) {
            open.push(j);
        } else if closing(&symbols[j]) {
            if let Some(o) = open.pop() {
                let both = half[o].or(half[j]);
                half[o] = half[o].or(both);
                half[j] = half[j].or(both);
            }
        }
    }
    for (s, h) in symbols.iter_mut().zip(half) {
        let half = h == Some(true);
        if opening(s) {
            s.text = if half { "(" } else { "（" }.to_string();
        } else if closing(s) {
            s.text = if half { ")" } else { "）" }.to_string();
        }
    }
}

/// Builds lines from Tesseract's symbols: words joined by a space, or by a
/// tab where a table cell mark from `marks` lay between them; symbols
/// Tesseract read inside a (blanked) mark are dropped; confidence is the
/// mean of the symbols', the box the union of theirs.
pub(crate) fn assemble(lines: Vec<TextLine>, marks: &[BBox]) -> Vec<Line> {
    // Tesseract hallucinates quotation marks and commas in the wide gap a
    // blanked mark leaves: punctuation within half a mark's width of one
    // was not printed.
    let phantom = |s: &tess::Symbol| {
        let punct = s.text.chars().all(|c| "“”\"'‘’，,、。.".contains(c));
        let (cx, cy) = (
            (s.bbox.x0() + s.bbox.x1()) / 2,
            (s.bbox.y0() + s.bbox.y1()) / 2,
        );
        punct
            && marks.iter().any(|m| {
                let pad = m.width() / 2;
                cx + pad >= m.x0() && cx <= m.x1() + pad && cy >= m.y0() && cy <= m.y1()
            })
    };
    // A symbol lying mostly within a mark was read from the blank (LSTM
    // symbol boxes are approximate, so a neighbour may overlap a little).
    let inside = |b: &BBox| {
        marks.iter().any(|m| {
            let ox = b.x1().min(m.x1()).saturating_sub(b.x0().max(m.x0()));
            let oy = b.y1().min(m.y1()).saturating_sub(b.y0().max(m.y0()));
            (ox * oy) as u64 * 10 >= (b.width() * b.height()) as u64 * 6
        })
    };
    let dropped_in_mark = |s: &tess::Symbol| {
        let dropped = inside(&s.bbox);
        if dropped {
            tracing::trace!(text = %s.text, bbox = ?s.bbox, "dropped symbol in a cell mark");
        }
        dropped
    };
    let mut out = Vec::new();
    for tl in lines {
        let mut text = String::new();
        let mut bbox: Option<BBox> = None;
        let (mut conf, mut n) = (0.0f32, 0usize);
        let mut last_cx = 0u32;
        for s in tl
            .symbols
            .iter()
            .filter(|s| !phantom(s))
            .filter(|s| !dropped_in_mark(s))
        {
            if !text.is_empty() {
                let between = marks.iter().any(|m| {
                    let (cx, cy) = ((m.x0() + m.x1()) / 2, (m.y0() + m.y1()) / 2);
                    let here = (s.bbox.x0() + s.bbox.x1()) / 2;
                    cx >= last_cx && cx <= here && cy >= tl.bbox.y0() && cy <= tl.bbox.y1()
                });
                if between {
                    text.push('\t');
                } else if s.word_start {
                    text.push(' ');
                }
            }
            text.push_str(&s.text);
            last_cx = (s.bbox.x0() + s.bbox.x1()) / 2;
            bbox = Some(bbox.map_or(s.bbox, |b| b.union(&s.bbox)));
            conf += s.confidence;
            n += 1;
        }
        if let Some(bbox) = bbox {
            out.push(Line {
                text,
                bbox,
                confidence: Confidence::from_percent(conf / n as f32),
                engine: Some(TESSERACT.to_string()),
                ..Default::default()
            });
        }
    }
    out
}

/// Joins a short fragment to the line beside it on the same row: Tesseract
/// splits a contents entry from its page number, and a date from its
/// issuer's name on the same row. Only short pieces (at most six
/// characters) are joined, so the lines of a two-column page stay apart.
pub fn merge_row_fragments(lines: &mut Vec<Line>, k: &RepairParams) {
    let mut i = 0;
    while i < lines.len() {
        let partner = (0..lines.len()).find(|&j| {
            if j == i {
                return false;
            }
            let (a, b) = (&lines[i], &lines[j]);
            let short =
                b.text.chars().filter(|c| !c.is_whitespace()).count() <= k.max_fragment_chars;
            let v = (a.bbox.y1().min(b.bbox.y1())).saturating_sub(a.bbox.y0().max(b.bbox.y0()));
            let same_row = v * 2 >= a.bbox.height().min(b.bbox.height());
            let apart = a.bbox.x1() <= b.bbox.x0() + 2 || b.bbox.x1() <= a.bbox.x0() + 2;
            short && same_row && apart
        });
        match partner {
            Some(j) => {
                let b = lines.remove(j);
                let i2 = if j < i { i - 1 } else { i };
                let a = &mut lines[i2];
                let (conf_a, conf_b) = (a.confidence.get(), b.confidence.get());
                let (na, nb) = (a.text.chars().count() as f32, b.text.chars().count() as f32);
                a.text = if b.bbox.x0() >= a.bbox.x1() {
                    format!("{} {}", a.text, b.text)
                } else {
                    format!("{} {}", b.text, a.text)
                };
                a.confidence = Confidence::new((conf_a * na + conf_b * nb) / (na + nb).max(1.0));
                a.bbox = a.bbox.union(&b.bbox);
                i = i2;
            }
            None => i += 1,
        }
    }
}

/// The folio of a page printed too faint for the page's ink threshold: on
/// old paper small type takes less ink, and the folio (— 2 —) of nearly
/// every tuning page of old paper was lost, or read as a bare number (its
/// box trimmed to the digits, its dashes no ink). The search is at a
/// lighter threshold ([`RepairParams::folio_faint`]) on the page blurred
/// ([`RepairParams::folio_blur`]: the paper's grain is ink at that
/// threshold, three standard deviations under the paper on the tuning
/// pages, and blurred no longer is), and its dashes are measured there
/// ([`faint_folio_dashes`]).
///
/// A folio read without both dashes, the page's lowest line in its foot
/// ([`RepairParams::folio_zone`]), is given the dashes measured. With no
/// folio read, rows of print are looked for in the foot below the last
/// line; a narrow one ([`RepairParams::folio_max_width`]) is read (`read`:
/// a raster, the box on it, a threshold) with its contrast stretched from
/// its darkest pixel to the paper (as found, PP-OCRv4 read nothing of it),
/// and returned only as a folio whose dashes were read (confidently) or
/// measured on both sides: at that threshold the facing page showing
/// through is ink too, and only a folio's form tells print from it.
pub fn read_faint_folio(
    r: &Raster,
    threshold: u8,
    dpi: f32,
    k: &RepairParams,
    lines: &mut [Line],
    mut read: impl FnMut(&Raster, BBox, u8) -> Option<Line>,
) -> Option<Line> {
    let (w, h) = (r.width as usize, r.height as usize);
    let zone = (h as f32 * (1.0 - k.folio_zone)) as u32;
    // One histogram pass over the page, taken only when it is needed.
    let paper = || crate::preprocess::paper_level(r);
    let faint = |paper: u8| {
        threshold.saturating_add((paper.saturating_sub(threshold) as f32 * k.folio_faint) as u8)
    };
    let lowest = lines.iter().map(|l| l.bbox.y1()).max().unwrap_or(0);
    if let Some((l, f)) = lines
        .iter_mut()
        .find_map(|l| super::folio::parse(&l.text).map(|f| (l, f)))
    {
        if !(f.left && f.right) && l.bbox.y0() >= zone && l.bbox.y1() == lowest {
            let (both, em) = faint_folio_dashes(r, faint(paper()), dpi, k, l.bbox);
            tracing::trace!(text = %l.text, both, em, "a folio's faint dashes");
            if both {
                l.text = dashed(f.number, em);
            }
        }
        return None;
    }
    let top = (lowest as usize).max(zone as usize);
    if top + 1 >= h {
        return None;
    }
    let paper = paper();
    let faint = faint(paper);
    let foot = r.crop(0, top as u32, w as u32, (h - top) as u32);
    let mut blurred = foot.clone();
    crate::preprocess::gaussian_blur(&mut blurred, k.folio_blur * dpi / 300.0);
    let (min_h, max_h) = ((dpi * k.min_row_in) as usize, (dpi * k.max_row_in) as usize);
    let side = (dpi * k.edge_margin_in) as usize;
    let mut bands = ink_bands(&blurred, faint, k.row_noise_share, side, max_h);
    bands.retain(|(y0, y1)| (min_h..=max_h).contains(&(y1 - y0)));
    // The folio is the page's last print: the lowest row first.
    for &(y0, y1) in bands.iter().rev() {
        let Some(e) = ink_extent(&blurred, faint, y0, y1, k.min_row_ink) else {
            continue;
        };
        if (e.x1 - e.x0) as f32 > w as f32 * k.folio_max_width {
            continue;
        }
        let b = BBox([e.x0 as u32, y0 as u32, e.x1 as u32 + 1, y1 as u32]);
        let dark = (y0..y1)
            .flat_map(|y| foot.pixels[y * w + e.x0..=y * w + e.x1].iter().copied())
            .min()
            .unwrap_or(0);
        let span = paper.saturating_sub(dark).max(1) as f32;
        let stretch = |v: u8| (v.saturating_sub(dark) as f32 * 255.0 / span).min(255.0) as u8;
        let lut: Vec<u8> = (0..=255u8).map(stretch).collect();
        let stretched = Raster {
            width: foot.width,
            height: foot.height,
            pixels: foot.pixels.iter().map(|&p| lut[p as usize]).collect(),
        };
        let Some(mut line) = read(&stretched, b, stretch(faint)) else {
            continue;
        };
        line.bbox = BBox([b.x0(), b.y0() + top as u32, b.x1(), b.y1() + top as u32]);
        // A reading too unsure for a line of text still reads a folio
        // whose dashes the ink shows on both sides (— 2 — read 2 at 0.41).
        let unsure = line.text.trim().is_empty();
        if unsure {
            let Some(r) = line.readings.first() else {
                continue;
            };
            line.text = r.text.clone();
            line.confidence = r.confidence;
            line.engine = Some(r.engine.clone());
        }
        let folio = super::folio::parse(&line.text);
        let (both, em) = faint_folio_dashes(r, faint, dpi, k, line.bbox);
        tracing::trace!(bbox = ?line.bbox, faint, text = %line.text, ?folio, both, em, "a faint folio?");
        let Some(f) = folio.filter(|f| both || (f.has_dashes() && !unsure)) else {
            continue;
        };
        if em || both {
            line.text = dashed(f.number, em);
        }
        return Some(line);
    }
    None
}

/// A folio as printed with em dashes (— 2 —) or hyphens (- 2 -).
fn dashed(number: u32, em: bool) -> String {
    super::folio::Folio {
        number,
        left: true,
        right: true,
        ascii: !em,
    }
    .printed()
}

/// Whether a faint folio's box (`b`, on the page) has a dash on each side
/// of its middle, and whether one is an em dash, measured at the `faint`
/// threshold on its neighbourhood blurred as in [`read_faint_folio`].
/// Faded, a dash breaks into pieces and shrinks: flat pieces less than a
/// third of a digit's height apart are one dash; a dash is a third of a
/// digit's height long at least (the paper's grain left by the blur is
/// shorter), an em dash three quarters (a hyphen is half; the tuning
/// folios' dashes measured 23–29 px beside digits 26–27 px tall).
fn faint_folio_dashes(r: &Raster, faint: u8, dpi: f32, k: &RepairParams, b: BBox) -> (bool, bool) {
    let [x0, y0, x1, y1] = folio_window(r, k, b).0;
    if x1 <= x0 || y1 <= y0 {
        return (false, false);
    }
    let mut near = r.crop(x0, y0, x1 - x0, y1 - y0);
    crate::preprocess::gaussian_blur(&mut near, k.folio_blur * dpi / 300.0);
    let local = BBox([b.x0() - x0, b.y0() - y0, b.x1() - x0, b.y1() - y0]);
    let (runs, tallest) = folio_runs(&near, faint, k, local);
    let mut dashes: Vec<(i64, i64)> = Vec::new();
    for r in runs.iter().filter(|r| (r.3 - r.2 + 1) * 3 <= tallest) {
        match dashes.last_mut() {
            Some(d) if (r.0 - d.1) * 3 <= tallest => d.1 = r.1,
            _ => dashes.push((r.0, r.1)),
        }
    }
    let len = |d: &(i64, i64)| d.1 - d.0 + 1;
    dashes.retain(|d| len(d) * 3 >= tallest);
    let em = dashes.iter().any(|d| len(d) * 4 >= tallest * 3);
    let centre = (local.x0() + local.x1()) as i64;
    let side = |left: bool| {
        dashes
            .iter()
            .any(|d| d.0 + d.1 != centre && (d.0 + d.1 < centre) == left)
    };
    (side(true) && side(false), em)
}

/// Tesseract often keeps the number of a folio printed as — 12 — and drops
/// the dashes as noise. A line that is only a number, with a short flat
/// stroke of ink on each side of it on the same row, is given its dashes.
/// A folio read with hyphens (- 12 -) whose dashes are printed at least as
/// long as its digits are tall is an em dash's (一字线, as GB/T 9704 sets
/// folios; a hyphen is half a digit's height): on smoothed heavy-damage
/// pages the em dashes were read as hyphens.
pub fn restore_folio_dashes(r: &Raster, threshold: u8, k: &RepairParams, lines: &mut [Line]) {
    for l in lines.iter_mut() {
        let Some((t, hyphens)) = crate::folio::parse(&l.text)
            .filter(|f| !f.has_dashes() || (f.ascii && f.left && f.right))
            .map(|f| (f.number, f.has_dashes()))
        else {
            continue;
        };
        let (runs, tallest) = folio_runs(r, threshold, k, l.bbox);
        let flat = |r: &(i64, i64, i64, i64)| {
            (r.3 - r.2 + 1) * 3 <= tallest && (r.1 - r.0 + 1) * 5 >= tallest * 2
        };
        // An em dash is as long as a digit is tall; measured on the dashes
        // read as hyphens only (a dash Tesseract dropped may be broken).
        let dash = |r: &(i64, i64, i64, i64)| flat(r) && (!hyphens || r.1 - r.0 + 1 >= tallest);
        if runs.len() >= 3 && dash(&runs[0]) && dash(&runs[runs.len() - 1]) {
            l.text = dashed(t, true);
            let (first, last) = (runs[0], runs[runs.len() - 1]);
            l.bbox = l.bbox.union(&BBox([
                first.0 as u32,
                l.bbox.y0(),
                last.1 as u32 + 1,
                l.bbox.y1(),
            ]));
        }
    }
}

/// Where a folio's dashes are looked for: its row, half a line height
/// over and under it, [`RepairParams::folio_reach`] line heights to
/// either side, clipped to the page.
fn folio_window(r: &Raster, k: &RepairParams, b: BBox) -> BBox {
    let lh = b.height();
    let reach = (k.folio_reach * lh as f32) as u32;
    BBox([
        b.x0().saturating_sub(reach),
        b.y0().saturating_sub(lh / 2),
        (b.x1() + reach).min(r.width),
        (b.y1() + lh / 2).min(r.height),
    ])
}

/// Runs of inked columns along a folio's row, within
/// [`RepairParams::folio_reach`] line heights of its box, each as (first
/// column, last column, top, bottom), and the tallest run's height.
fn folio_runs(
    r: &Raster,
    threshold: u8,
    k: &RepairParams,
    b: BBox,
) -> (Vec<(i64, i64, i64, i64)>, i64) {
    let w = r.width as i64;
    let [xa, y0, xb, y1] = folio_window(r, k, b).0.map(i64::from);
    let mut runs: Vec<(i64, i64, i64, i64)> = Vec::new();
    let mut gap = i64::MAX;
    for x in xa..xb {
        let ink: Vec<i64> = (y0..y1)
            .filter(|&y| r.pixels[(y * w + x) as usize] <= threshold)
            .collect();
        match (ink.first(), ink.last()) {
            (Some(&top), Some(&bottom)) => {
                match runs.last_mut() {
                    Some(run) if gap <= 3 => {
                        run.1 = x;
                        run.2 = run.2.min(top);
                        run.3 = run.3.max(bottom);
                    }
                    _ => runs.push((x, x, top, bottom)),
                }
                gap = 0;
            }
            _ => gap = gap.saturating_add(1),
        }
    }
    let tallest = runs.iter().map(|r| r.3 - r.2 + 1).max().unwrap_or(0);
    (runs, tallest)
}

/// Table cells separated by a boxed cross (⊠, the mark a typesetter's
/// missing glyph prints, as tabs in tables come out of many systems): the
/// component's four edges and both diagonals are inked and the four
/// triangles between them are empty. Returns the marks' boxes.
pub fn find_cell_marks(r: &Raster, threshold: u8, dpi: f32, k: &RepairParams) -> Vec<BBox> {
    let (w, h) = (r.width as usize, r.height as usize);
    let (min, max) = (
        (dpi * k.min_mark_in) as usize,
        (dpi * k.max_mark_in) as usize,
    );
    let ink = |x: f32, y: f32, rad: i32| -> bool {
        let (cx, cy) = (x.round() as i32, y.round() as i32);
        (-rad..=rad).any(|dy| {
            (-rad..=rad).any(|dx| {
                let (px, py) = (cx + dx, cy + dy);
                px >= 0
                    && py >= 0
                    && (px as usize) < w
                    && (py as usize) < h
                    && r.pixels[py as usize * w + px as usize] <= threshold
            })
        })
    };
    let mut marks = Vec::new();
    for (x0, y0, x1, y1) in crate::preprocess::components(r, threshold, max * max * 4) {
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
        if bw < min || bh < min || bw > max || bh > max || bw * 5 < bh * 2 || bh * 5 < bw * 2 {
            continue;
        }
        let (fx0, fy0, fw, fh) = (x0 as f32, y0 as f32, (bw - 1) as f32, (bh - 1) as f32);
        let rad = ((dpi / 150.0).round() as i32).max(1);
        let along = |f: &dyn Fn(f32) -> (f32, f32)| {
            (0..=24)
                .filter(|i| {
                    let (x, y) = f(*i as f32 / 24.0);
                    ink(x, y, rad)
                })
                .count()
                >= k.mark_probes_inked
        };
        let edges = along(&|t| (fx0 + t * fw, fy0))
            && along(&|t| (fx0 + t * fw, fy0 + fh))
            && along(&|t| (fx0, fy0 + t * fh))
            && along(&|t| (fx0 + fw, fy0 + t * fh));
        let diagonals = along(&|t| (fx0 + t * fw, fy0 + t * fh))
            && along(&|t| (fx0 + t * fw, fy0 + fh - t * fh));
        // Away from the edges and the diagonals, a ⊠ is empty; a
        // character dense enough to pass the tests above is not.
        let (mut probes, mut inked) = (0, 0);
        for i in 1..16 {
            for j in 1..16 {
                let (u, v) = (i as f32 / 16.0, j as f32 / 16.0);
                let clear = (u - v).abs() > 0.12
                    && (u + v - 1.0).abs() > 0.12
                    && u.min(v).min(1.0 - u).min(1.0 - v) > 0.1;
                if clear {
                    probes += 1;
                    inked += usize::from(ink(fx0 + u * fw, fy0 + v * fh, 0));
                }
            }
        }
        let hollow = inked as f32 <= probes as f32 * k.mark_max_fill;
        if edges && diagonals && hollow {
            marks.push(BBox([x0 as u32, y0 as u32, x1 as u32 + 1, y1 as u32 + 1]));
        }
    }
    marks
}

/// A copy of the page with the given boxes, and a margin for the blur
/// around their strokes, painted paper-white.
fn blank(r: &Raster, boxes: &[BBox]) -> Raster {
    let mut out = r.clone();
    let w = r.width as usize;
    let m = 3;
    for b in boxes {
        for y in b.y0().saturating_sub(m)..(b.y1() + m).min(r.height) {
            for x in b.x0().saturating_sub(m)..(b.x1() + m).min(r.width) {
                out.pixels[y as usize * w + x as usize] = 255;
            }
        }
    }
    out
}

/// Rows of ink on a page: maximal runs of rows holding ink, allowing
/// gaps of two pixel rows, as (top, bottom exclusive).
fn ink_bands(
    r: &Raster,
    threshold: u8,
    noise_share: f32,
    side: usize,
    max_h: usize,
) -> Vec<(usize, usize)> {
    let h = r.height as usize;
    let row_ink = row_ink_inside(r, threshold, side);
    // The gaps between lines of aged or damaged paper are not empty:
    // specks and show-through put a little ink in every row and merge a
    // page's lines into one band. Rows of ink are taken where rows hold
    // more than a share of a full text row's ink (the 90th-percentile
    // row) …
    let mut sorted = row_ink.clone();
    sorted.sort_unstable();
    let full = sorted.get(h * 9 / 10).copied().unwrap_or(0) as f32;
    let floor = ((full * noise_share) as usize).max(2);
    let mut bands = runs(&row_ink, floor);
    // … but a run of rows holding any ink, no taller than a line, stands
    // for the pieces the floor cut it into: a folio's rows (— 2 —) hold
    // less than the floor but for the dashes' few.
    if floor > 2 {
        for (a, z) in runs(&row_ink, 2) {
            let inside = |&(b0, b1): &(usize, usize)| b0 < z && b1 > a;
            let small = bands
                .iter()
                .filter(|b| inside(b))
                .all(|&(b0, b1)| (b1 - b0) * 2 < z - a);
            if z - a <= max_h && small {
                bands.retain(|b| !inside(b));
                bands.push((a, z));
            }
        }
        bands.sort_unstable();
    }
    bands
}

/// A row's print: its first and last column, its ink, and its pieces. The row's inked columns are cut into pieces at gaps wider than
/// three row heights; a piece is print when it is at least half a row
/// height wide, its ink is at text density (twice the least a whole row of
/// text has, as a piece has no gaps between words to thin it) and it is not
/// solid dark. Columns with a speck's pixel or two of ink, and those within
/// a row height of the image's sides (the scan's dark edge), are not looked
/// at. So specks, a foxing spot or the edge far along the row do not
/// stretch a short line (轮采。) across the page, where its ink would look
/// too thin to be text.
fn ink_extent(r: &Raster, threshold: u8, y0: usize, y1: usize, density: f32) -> Option<Extent> {
    let w = r.width as usize;
    let bh = (y1 - y0).max(1);
    let cols: Vec<usize> = (0..w)
        .map(|x| {
            (y0..y1)
                .filter(|yy| r.pixels[yy * w + x] <= threshold)
                .count()
        })
        .collect();
    // Pieces of print: (first column, last column, ink).
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
    // A column with a pixel or two of ink is a speck's (specks strung along
    // a foxed row would join print to the page's edge); within a row height
    // of the image's sides is the dark edge of the scan (print keeps a
    // margin).
    let least = (bh / 10).max(2);
    for (x, &c) in cols.iter().enumerate() {
        if c < least || x < bh || x + bh >= w {
            continue;
        }
        match pieces.last_mut() {
            Some(p) if x - p.1 <= 3 * bh => {
                p.1 = x;
                p.2 += c;
            }
            _ => pieces.push((x, x, c)),
        }
    }
    let print: Vec<&(usize, usize, usize)> = pieces
        .iter()
        .filter(|(a, z, ink)| {
            // One dark all through (over 80% of its area, more than the
            // boldest print fills) is a shadow or a rule, not strokes.
            let area = ((z - a + 1) * bh) as f32;
            let solid = *ink as f32 > area * 0.8;
            !solid && z - a + 1 >= bh / 2 && *ink as f32 >= area * 2.0 * density
        })
        .collect();
    let (x0, x1) = (print.first()?.0, print.last()?.1);
    Some(Extent {
        x0,
        x1,
        ink: cols[x0..=x1].iter().sum(),
        printed: print.iter().map(|(a, z, _)| z - a + 1).sum(),
        pieces: print.iter().map(|(a, z, _)| (*a, *z)).collect(),
    })
}

/// A row's print ([`ink_extent`]).
struct Extent {
    /// Its first and last column.
    x0: usize,
    x1: usize,
    /// The ink between them.
    ink: usize,
    /// How many columns its pieces of print span.
    printed: usize,
    /// The pieces (first and last column), apart by more than three row
    /// heights: a table's cells, a contents entry and its page number.
    pieces: Vec<(usize, usize)>,
}

/// The lines read from a row's pieces, left to right, as one line: texts
/// joined by a space (as Tesseract joins words), each engine's readings
/// likewise, confidences weighted by characters.
fn join_pieces(mut parts: Vec<Line>) -> Option<Line> {
    parts.sort_by_key(|l| l.bbox.x0());
    let chars = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count().max(1) as f32;
    let weighted = |items: &[(f32, &str)]| {
        let n: f32 = items.iter().map(|(_, t)| chars(t)).sum();
        items.iter().map(|(c, t)| c * chars(t)).sum::<f32>() / n.max(1.0)
    };
    let mut first = parts.first()?.clone();
    if parts.len() == 1 {
        return Some(first);
    }
    let text = |ls: &[&str]| ls.join(" ");
    first.text = text(&parts.iter().map(|l| l.text.as_str()).collect::<Vec<_>>());
    first.bbox = parts
        .iter()
        .skip(1)
        .fold(first.bbox, |b, l| b.union(&l.bbox));
    first.confidence = Confidence::new(weighted(
        &parts
            .iter()
            .map(|l| (l.confidence.get(), l.text.as_str()))
            .collect::<Vec<_>>(),
    ));
    if parts.iter().any(|l| l.engine != first.engine) {
        first.engine = None;
    }
    // An engine's reading of the row, where it read every piece.
    first.readings = first
        .readings
        .iter()
        .filter_map(|r0| {
            let each: Vec<&crate::page::Reading> = parts
                .iter()
                .map(|l| l.readings.iter().find(|r| r.engine == r0.engine))
                .collect::<Option<_>>()?;
            Some(crate::page::Reading {
                engine: r0.engine.clone(),
                text: text(&each.iter().map(|r| r.text.as_str()).collect::<Vec<_>>()),
                confidence: Confidence::new(weighted(
                    &each
                        .iter()
                        .map(|r| (r.confidence.get(), r.text.as_str()))
                        .collect::<Vec<_>>(),
                )),
            })
        })
        .collect();
    Some(first)
}

fn overlap(l: &Line, y0: usize, y1: usize) -> usize {
    (l.bbox.y1() as usize)
        .min(y1)
        .saturating_sub((l.bbox.y0() as usize).max(y0))
}

/// How many vertical rules (runs of ink at least `min_run` pixels long,
/// neighbouring columns counted once) the page has.
pub fn ruled_columns(r: &Raster, threshold: u8, min_run: usize) -> usize {
    let (w, h) = (r.width as usize, r.height as usize);
    if min_run == 0 || h < min_run {
        return 0;
    }
    let mut rules = 0;
    let mut in_rule = false;
    for x in 0..w {
        let (mut run, mut long) = (0usize, false);
        for y in 0..h {
            if r.pixels[y * w + x] < threshold {
                run += 1;
                if run >= min_run {
                    long = true;
                    break;
                }
            } else {
                run = 0;
            }
        }
        if long && !in_rule {
            rules += 1;
        }
        in_rule = long;
    }
    rules
}

/// Puts each line before the first earlier line of its column (overlapping
/// it across) whose middle is lower: lines of one column read top to
/// bottom, and columns side by side keep their order.
pub fn reading_order(lines: &mut Vec<Line>) {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        let at = place_of(&out, &l);
        out.insert(at, l);
    }
    *lines = out;
}

/// Where `l` goes among `lines`: before the first line of the same column
/// (overlapping it across) whose middle is lower (tall, mis-cut boxes of
/// damaged pages overlap their neighbours' rows, so tops and overlaps do
/// not order them); first if it lies above every line (a running head at
/// the left over a date and a note set to the right, which no line
/// overlaps across); else last.
fn place_of(lines: &[Line], l: &Line) -> usize {
    let mid = |b: &BBox| b.y0() + b.y1();
    lines
        .iter()
        .position(|o| {
            mid(&o.bbox) > mid(&l.bbox) && o.bbox.x0() < l.bbox.x1() && l.bbox.x0() < o.bbox.x1()
        })
        .or_else(|| {
            lines
                .iter()
                .all(|o| o.bbox.y0() >= l.bbox.y1())
                .then_some(0)
        })
        .unwrap_or(lines.len())
}

/// Second pass over Tesseract's layout analysis, which on gazette pages
/// fails in two ways: it drops short isolated lines (page-number footers,
/// a lone 上班。), and it cuts a column of list markers (一、二、三、) off
/// from the lines they begin, reading it as one tall garbled line. Rows of
/// ink that no line covers, and rows that such a tall line spans, are
/// recognised again one row at a time as single lines.
pub fn repair_lines(
    r: &Raster,
    threshold: u8,
    dpi: f32,
    k: &RepairParams,
    lines: &mut Vec<Line>,
    mut read_line: impl FnMut(&Raster, u32, u32, BBox) -> Result<Vec<Line>, OcrError>,
) -> Result<(), OcrError> {
    let (w, h) = (r.width as usize, r.height as usize);
    let min_h = (dpi * k.min_row_in) as usize;
    let max_h = (dpi * k.max_row_in) as usize;
    let bands: Vec<(usize, usize)> = ink_bands(
        r,
        threshold,
        k.row_noise_share,
        (dpi * k.edge_margin_in) as usize,
        max_h,
    )
    .into_iter()
    .filter(|(y0, y1)| (min_h..=max_h).contains(&(y1 - y0)))
    .collect();
    // A line spanning two or more text rows is a mis-cut column.
    let spans = |l: &Line| {
        bands
            .iter()
            .filter(|(y0, y1)| overlap(l, *y0, *y1) * 2 >= y1 - y0)
            .count()
    };
    let mut redo: Vec<(usize, usize)> = Vec::new();
    let bad: Vec<bool> = lines.iter().map(|l| spans(l) >= k.miscut_rows).collect();
    for &(y0, y1) in &bands {
        let bh = y1 - y0;
        let in_bad = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| *b && overlap(l, y0, y1) * 2 >= bh);
        let covered = lines
            .iter()
            .zip(&bad)
            .any(|(l, b)| !*b && overlap(l, y0, y1) as f32 >= bh as f32 * k.covered_share);
        if in_bad || !covered {
            redo.push((y0, y1));
        }
    }
    tracing::trace!(?bands, ?redo, "rows of ink");
    if redo.len() > k.max_rereads {
        // Not a page of text rows (a picture, a table of boxes): leave
        // Tesseract's reading alone rather than spend minutes on it.
        return Ok(());
    }
    // Drop the tall lines, and any line of a row that is read again.
    let mut kept: Vec<Line> = Vec::with_capacity(lines.len());
    for (l, b) in lines.drain(..).zip(bad) {
        let centre = (l.bbox.y0() + l.bbox.y1()) as usize / 2;
        if !b && !redo.iter().any(|(y0, y1)| (*y0..*y1).contains(&centre)) {
            kept.push(l);
        }
    }
    *lines = kept;
    for (y0, y1) in redo {
        let bh = y1 - y0;
        // Print is looked for in the band's core, the rows around its
        // inkiest holding a share of that row's ink: show-through and
        // foxing beside a line of print join it into a band twice its
        // height (an old-paper contents entry under a bold title showing
        // through: 79 px for a 35 px line), where its print looked half
        // as dense as it is.
        let row_ink: Vec<u32> = (y0..y1)
            .map(|y| {
                r.pixels[y * w..(y + 1) * w]
                    .iter()
                    .filter(|p| **p <= threshold)
                    .count() as u32
            })
            .collect();
        // A core lower than the smallest print is a stroke's or a rule's
        // rows (a folio's dashes: — 1 — was cut into three pieces and
        // lost), not a line's: the whole band is then the line's.
        let (c0, c1) = choose::ink_band(&row_ink, k.core_share)
            .map(|(a, z)| (y0 + a, y0 + z))
            .filter(|(a, z)| z - a >= min_h)
            .unwrap_or((y0, y1));
        let Some(extent) = ink_extent(r, threshold, c0, c1, k.min_row_ink) else {
            tracing::trace!(y0, y1, c0, c1, "row without print");
            continue;
        };
        let (x0, x1, ink) = (extent.x0, extent.x1, extent.ink);
        // Text is dense ink; a slanted rule or a lone mark is not. Measured
        // over the pieces of print, not the gaps between them: a table's
        // row is cells far apart (an old-paper table's rows held 3.4% ink
        // across their extent, and were dropped at 5%).
        if x1 - x0 < bh / 2 || (ink as f32) < (extent.printed * (c1 - c0)) as f32 * k.min_row_ink {
            tracing::trace!(y0, y1, x0, x1, ink, "row not text");
            continue;
        }
        // Pieces far apart are read one by one and joined: read whole, the
        // second recogniser dropped figures in the gaps of a table's row
        // (重庆 90 10 100 100 100 read 重庆91010100, piece by piece
        // right).
        let mut found = Vec::new();
        for &(px0, px1) in &extent.pieces {
            let pad = bh / 2 + 2;
            let (cx0, cy0) = (px0.saturating_sub(pad), y0.saturating_sub(pad));
            let (cx1, cy1) = ((px1 + pad + 1).min(w), (y1 + pad).min(h));
            let crop = r.crop(
                cx0 as u32,
                cy0 as u32,
                (cx1 - cx0) as u32,
                (cy1 - cy0) as u32,
            );
            let ink_box = BBox([px0 as u32, y0 as u32, px1 as u32 + 1, y1 as u32]);
            for mut l in read_line(&crop, cx0 as u32, cy0 as u32, ink_box)? {
                if l.text.trim().is_empty() || l.confidence.get() < k.min_reread_confidence {
                    continue;
                }
                let b = l.bbox.0;
                l.bbox = BBox([
                    b[0] + cx0 as u32,
                    b[1] + cy0 as u32,
                    b[2] + cx0 as u32,
                    b[3] + cy0 as u32,
                ]);
                found.push(l);
            }
        }
        if extent.pieces.len() > 1 {
            found = join_pieces(found).into_iter().collect();
        }
        for l in found {
            let at = place_of(lines, &l);
            lines.insert(at, l);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, b: [u32; 4]) -> Line {
        Line {
            text: text.into(),
            bbox: BBox(b),
            confidence: Confidence::new(0.9),
            ..Default::default()
        }
    }

    /// A foxed page: specks in every row, two lines of print, and a short
    /// line beside the dark edge of the scan.
    fn foxed() -> Raster {
        let mut r = Raster::blank(600, 120);
        for y in 0..120 {
            // two specks per row, far apart
            r.pixels[y * 600 + (y * 37) % 600] = 0;
            r.pixels[y * 600 + (y * 53 + 300) % 600] = 0;
        }
        let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize| {
            for y in y0..y1 {
                for x in (x0..x1).step_by(2) {
                    r.pixels[y * 600 + x] = 0;
                }
            }
        };
        fill(50, 550, 10, 30); // a full line
        fill(50, 110, 50, 70); // a short line (轮采。)
        fill(592, 600, 0, 120); // the scan's dark edge
        fill(50, 550, 90, 110); // a full line
        r
    }

    #[test]
    fn rows_of_ink_stand_apart_on_foxed_paper_and_a_short_row_keeps_its_extent() {
        let r = foxed();
        let k = RepairParams::default();
        // Before the noise floor, specks in every row made one band.
        assert_eq!(ink_rows(&r, 128, 0.0, 0, 40).len(), 1);
        let bands = ink_rows(&r, 128, k.row_noise_share, 0, 40);
        assert_eq!(bands, vec![(10, 30), (50, 70), (90, 110)]);
        // The short row's print is its own, not stretched to the edge.
        let extent = |y0, y1| ink_extent(&r, 128, y0, y1, k.min_row_ink).map(|e| (e.x0, e.x1));
        assert_eq!(extent(50, 70), Some((50, 108)));
        assert_eq!(extent(10, 30), Some((50, 548)));
    }

    /// A 300-dpi page of grainy paper (226 ± 8, dark grains) with a line of dark print
    /// and, at its foot, a folio printed faint (grey 178, over the page's
    /// ink threshold): — 2 —, or with `dashes` false a bare 2.
    fn faint_folio_page(dashes: bool) -> Raster {
        let (w, h) = (1200usize, 1000usize);
        let mut seed = 7u32;
        let pixels = (0..w * h)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                // One pixel in twelve a dark grain, under the lighter
                // threshold a faint folio is looked for at.
                match (seed >> 16) % 204 {
                    n if n < 17 => 190 + (n % 11) as u8,
                    n => 218 + (n % 17) as u8,
                }
            })
            .collect();
        let mut r = Raster {
            width: w as u32,
            height: h as u32,
            pixels,
        };
        let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize, v: u8| {
            for y in y0..y1 {
                for x in x0..x1 {
                    r.pixels[y * w + x] = v;
                }
            }
        };
        for x in (100..1100).step_by(36) {
            fill(x, x + 24, 100, 130, 60);
        }
        // 2: three bars and two stems, 26 pixels tall.
        fill(585, 605, 940, 945, 178);
        fill(600, 605, 940, 953, 178);
        fill(585, 605, 951, 956, 178);
        fill(585, 590, 951, 966, 178);
        fill(585, 605, 961, 966, 178);
        if dashes {
            fill(545, 572, 951, 956, 178);
            fill(618, 645, 951, 956, 178);
        }
        r
    }

    /// A second recogniser's reading too unsure to keep as text.
    fn unsure(b: BBox, text: &str) -> Option<Line> {
        Some(Line {
            bbox: b,
            readings: vec![crate::page::Reading {
                engine: "ppocr".into(),
                text: text.into(),
                confidence: Confidence::new(0.41),
            }],
            ..Default::default()
        })
    }

    #[test]
    fn a_faint_folio_is_read_by_its_form() {
        let k = RepairParams::default();
        let body = || {
            vec![Line {
                text: "正文".into(),
                bbox: BBox([100, 100, 1100, 130]),
                ..Default::default()
            }]
        };
        let r = faint_folio_page(true);
        let threshold = crate::preprocess::ink_threshold(&r);
        assert!(
            threshold < 178,
            "the folio is fainter than the ink threshold"
        );
        let mut lines = body();
        let mut boxes = Vec::new();
        let folio = read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, b, _| {
            boxes.push(b);
            unsure(b, "2")
        })
        .expect("a folio");
        assert_eq!(folio.text, "— 2 —");
        assert!(
            folio.bbox.y0() >= 930 && folio.bbox.x0() <= 585,
            "{:?}",
            folio.bbox
        );
        // Read bare at the page's threshold, its box the digit's: given
        // the dashes measured.
        let mut lines = body();
        lines.push(Line {
            text: "2".into(),
            bbox: BBox([585, 940, 605, 966]),
            ..Default::default()
        });
        assert_eq!(
            read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, _, _| None),
            None
        );
        assert_eq!(lines[1].text, "— 2 —");
        // No dashes: a faint figure read unsure is no folio (it could be
        // the facing page's print showing through).
        let r = faint_folio_page(false);
        let mut lines = body();
        let none = read_faint_folio(&r, threshold, 300.0, &k, &mut lines, |_, b, _| {
            unsure(b, "2")
        });
        assert_eq!(none, None);
    }

    #[test]
    fn a_date_in_chinese_numerals_is_a_row_of_print() {
        // 二〇一二年一月九日 in a 27-pixel row: 二 and 一 are one or two
        // strokes, 〇 a ring; faded, its print covers under a tenth of its
        // box (0.093 here, as on the tuning page).
        let mut r = Raster::blank(800, 60);
        let mut fill = |x0: usize, x1: usize, y0: usize, y1: usize| {
            for y in y0..y1 {
                for x in x0..x1 {
                    r.pixels[y * 800 + x] = 0;
                }
            }
        };
        for i in 0..9 {
            let x = 100 + i * 36;
            // A stroke of two pixels across a 27-pixel cell and one down.
            fill(x, x + 27, 20, 22);
            fill(x + 12, x + 14, 22, 39);
        }
        let k = RepairParams::default();
        let e = ink_extent(&r, 128, 18, 45, k.min_row_ink).expect("a row of print");
        assert_eq!((e.x0, e.x1), (100, 414));
    }

    #[test]
    fn a_sparse_pages_dark_edge_does_not_join_its_rows() {
        // A contents page: three rows of print, a speck of show-through in
        // every row between them, and the scan's dark edge down the top
        // of its right side, more ink a row than the speck.
        let (w, h) = (1000usize, 1000usize);
        let mut r = Raster::blank(w as u32, h as u32);
        for y in 0..400 {
            for x in 985..w {
                r.pixels[y * w + x] = 0;
            }
            r.pixels[y * w + 100 + (y * 37) % 800] = 0;
        }
        for y0 in [100, 200, 300] {
            for y in y0..y0 + 30 {
                for x in (100..900).filter(|x| x % 20 < 12) {
                    r.pixels[y * w + x] = 0;
                }
            }
        }
        let k = RepairParams::default();
        // Counted in, the edge set the noise floor under the specks: one
        // band, too tall for a line.
        assert_eq!(ink_rows(&r, 128, k.row_noise_share, 0, 40), vec![(0, 400)]);
        let side = (300.0 * k.edge_margin_in) as usize;
        assert_eq!(
            ink_rows(&r, 128, k.row_noise_share, side, 40),
            vec![(100, 130), (200, 230), (300, 330)]
        );
    }

    /// A 300-dpi page holding a table of aged letterpress: rules broken
    /// into dashes no longer than a cell, dropouts on alternate pixel
    /// columns of each rule, and sparse cells (a name, two figures) in each
    /// of its four rows, most of each row a gap between cells.
    fn broken_table() -> (Raster, Vec<(usize, usize)>) {
        let (w, h) = (1400usize, 900usize);
        let mut r = Raster::blank(w as u32, h as u32);
        let mut put = |x: usize, y: usize| r.pixels[y * w + x] = 0;
        let rows: Vec<(usize, usize)> = (0..4).map(|i| (130 + i * 100, 175 + i * 100)).collect();
        for (i, x) in [100usize, 400, 800, 1200].into_iter().enumerate() {
            for y in 100..500 {
                // 60-pixel dashes, 6-pixel breaks, on columns alternating
                // with the row: no pixel column holds a run of 0.35 in.
                for t in 0..3 {
                    if (y + i * 13) % 66 < 60 && (y + t) % 2 == 0 {
                        put(x + t, y);
                    }
                }
            }
        }
        for y in (100..=500).step_by(100) {
            for x in 100..1203 {
                if x % 80 < 70 {
                    put(x, y);
                    put(x, y + 1);
                }
            }
        }
        for &(y0, y1) in &rows {
            for x0 in [150usize, 650, 1050] {
                for y in y0..y1 {
                    for x in (x0..x0 + 40).step_by(3) {
                        put(x, y);
                    }
                }
            }
        }
        (r, rows)
    }

    #[test]
    fn a_table_of_broken_rules_is_read_row_by_row_once_its_rules_are_erased() {
        let (r, rows) = broken_table();
        let k = RepairParams::default();
        let unruled =
            super::super::grid::without_rules(&r, 128, 300.0, &Default::default()).unwrap();
        // With its rules the table is one band of ink, too tall for a row.
        assert!(ink_rows(&r, 128, k.row_noise_share, 0, 120)
            .iter()
            .any(|&(y0, y1)| y0 <= 130 && y1 >= 475));
        // Without them each row stands apart and is read, cell by cell
        // (three cells far apart are print, though most of the row is
        // gap), into one line.
        let mut read = Vec::new();
        let mut lines = Vec::new();
        repair_lines(&unruled, 128, 300.0, &k, &mut lines, |_, ox, oy, b| {
            read.push(b);
            let mut l = line(
                &format!("c{}", b.x0()),
                [b.x0() - ox, b.y0() - oy, b.x1() - ox, b.y1() - oy],
            );
            l.engine = Some("test".into());
            Ok(vec![l])
        })
        .unwrap();
        assert_eq!(read.len(), 3 * rows.len(), "{read:?}");
        assert_eq!(lines.len(), rows.len());
        for (l, (t0, t1)) in lines.iter().zip(rows) {
            assert_eq!(l.text, "c150 c650 c1050");
            let b = l.bbox;
            assert!(
                b.y0().abs_diff(t0 as u32) <= 1 && b.y1().abs_diff(t1 as u32) <= 1,
                "{b:?}"
            );
            assert!(b.x0() <= 150 && b.x1() >= 1087, "{b:?}");
        }
        // The cells' print is kept.
        assert_eq!(unruled.pixels[140 * 1400 + 150], 0);
    }

    #[test]
    fn lines_of_show_through_are_left_out_and_faint_print_kept() {
        // Aged paper at 190; a line of print at 40; a line of the facing
        // page showing through at 165, mirrored print as dense as real
        // print but never as dark as the page's ink; a line of sparse faint
        // print (2% of its box at 120, a date's thin digits).
        let (w, h) = (600usize, 300usize);
        let mut r = Raster::blank(w as u32, h as u32);
        r.pixels.fill(190);
        let paint = |r: &mut Raster, y0: usize, grey: u8, every: usize| {
            for y in y0..y0 + 40 {
                for x in 50..550 {
                    if (x * 7 + y * 3) % every == 0 {
                        r.pixels[y * w + x] = grey;
                    }
                }
            }
        };
        paint(&mut r, 20, 40, 5);
        paint(&mut r, 120, 165, 5);
        paint(&mut r, 220, 120, 50);
        let threshold = crate::preprocess::ink_threshold(&r);
        assert!((120..165).contains(&threshold), "{threshold}");
        let line = |y0: u32, text: &str| Line {
            bbox: BBox([50, y0, 550, y0 + 40]),
            text: text.into(),
            ..Default::default()
        };
        let mut lines = vec![line(20, "print"), line(120, "show"), line(220, "faint")];
        let k = RepairParams::default();
        assert_eq!(keep_print(&r, threshold, &k, &mut lines), 1);
        let kept: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(kept, ["print", "faint"]);
    }

    #[test]
    fn a_line_box_reaching_over_show_through_is_trimmed_to_its_print() {
        // Paper at 190; a short line of print (40) at 400..520 whose box
        // Tesseract drew from the page's edge over the facing page's print
        // showing through (165) at 10..350, with a speck of ink (2 px) at
        // 100; a full line of print beside show-through is left alone.
        let (w, h) = (600usize, 100usize);
        let mut r = Raster::blank(w as u32, h as u32);
        r.pixels.fill(190);
        let paint = |r: &mut Raster, (x0, x1): (usize, usize), (y0, y1): (usize, usize), grey| {
            for y in y0..y1 {
                for x in x0..x1 {
                    if (x * 7 + y * 3) % 5 == 0 {
                        r.pixels[y * w + x] = grey;
                    }
                }
            }
        };
        paint(&mut r, (10, 350), (10, 40), 165);
        paint(&mut r, (400, 520), (10, 40), 40);
        r.pixels[20 * w + 100] = 40;
        r.pixels[21 * w + 100] = 40;
        paint(&mut r, (30, 590), (60, 90), 40);
        let threshold = 120;
        let mut lines = vec![
            Line {
                bbox: BBox([0, 10, 530, 40]),
                ..Default::default()
            },
            Line {
                bbox: BBox([20, 60, 600, 90]),
                ..Default::default()
            },
        ];
        assert_eq!(
            keep_print(&r, threshold, &RepairParams::default(), &mut lines),
            0
        );
        // Half the line's height (30) of margin round its print.
        assert_eq!(lines[0].bbox, BBox([400 - 15, 10, 530, 40]));
        assert_eq!(lines[1].bbox, BBox([20, 60, 600, 90]));
    }

    #[test]
    fn a_line_under_show_through_is_print() {
        // A line of faint, broken print (a seventh of its pixels inked)
        // with the facing page's title showing through just above it,
        // thinly: together one band twice the line's height.
        let (w, h) = (600usize, 220usize);
        let mut r = Raster::blank(w as u32, h as u32);
        for y in 58..100 {
            for x in 50..550 {
                if (x * 3 + y * 5) % 50 == 0 {
                    r.pixels[y * w + x] = 0;
                }
            }
        }
        for y in 100..140 {
            for x in 50..550 {
                if (x + y) % 7 == 0 {
                    r.pixels[y * w + x] = 0;
                }
            }
        }
        let k = RepairParams::default();
        let bands = ink_rows(&r, 128, k.row_noise_share, 0, 120);
        assert_eq!(bands.len(), 1, "{bands:?}");
        assert!(bands[0].0 <= 60 && bands[0].1 >= 139, "{bands:?}");
        let mut read = Vec::new();
        repair_lines(&r, 128, 300.0, &k, &mut Vec::new(), |_, _, _, b| {
            read.push((b.x0(), b.x1()));
            Ok(vec![])
        })
        .unwrap();
        assert_eq!(read.len(), 1);
        assert!(read[0].0 <= 52 && read[0].1 >= 546, "{read:?}");
    }

    #[test]
    fn a_folio_is_read_whole_not_cut_at_its_dashes() {
        // — 12 —: the dashes' rows are the row's inkiest, too low to be a
        // line's core; read in them, the folio fell into three pieces.
        let (w, h) = (600usize, 100usize);
        let mut r = Raster::blank(w as u32, h as u32);
        for y in 50..53 {
            for x in (200..250).chain(320..370) {
                r.pixels[y * w + x] = 0;
            }
        }
        for y in 36..66 {
            for x in (275..300).chain(303..328).step_by(2) {
                r.pixels[y * w + x] = 0;
            }
        }
        let mut read = Vec::new();
        let k = RepairParams::default();
        repair_lines(&r, 128, 300.0, &k, &mut Vec::new(), |_, _, _, b| {
            read.push((b.x0(), b.x1()));
            Ok(vec![])
        })
        .unwrap();
        assert_eq!(read.len(), 1, "{read:?}");
        assert!(read[0].0 <= 200 && read[0].1 >= 369, "{read:?}");
    }

    /// A folio printed with em dashes (each as long as the digits are
    /// tall, and longer) and read as `- 12 -` is — 12 —; one printed with
    /// hyphens (half as long) stays as read.
    #[test]
    fn a_folio_read_with_hyphens_keeps_its_em_dashes() {
        let folio = |dash: usize| {
            let (w, h) = (600usize, 100usize);
            let mut r = Raster::blank(w as u32, h as u32);
            for y in 50..53 {
                for x in (250 - dash..250).chain(330..330 + dash) {
                    r.pixels[y * w + x] = 0;
                }
            }
            // Two digits 30 px tall.
            for y in 36..66 {
                for x in (265..285).chain(295..315).step_by(3) {
                    r.pixels[y * w + x] = 0;
                }
            }
            let mut lines = vec![line(
                "- 12 -",
                [(250 - dash) as u32, 36, (330 + dash) as u32, 66],
            )];
            restore_folio_dashes(&r, 128, &RepairParams::default(), &mut lines);
            lines.remove(0).text
        };
        assert_eq!(folio(42), "— 12 —");
        assert_eq!(folio(15), "- 12 -");
    }

    /// Draws a box of side `n` at (x, y), with its diagonals if `cross`.
    fn draw_box(r: &mut Raster, x: usize, y: usize, n: usize, cross: bool) {
        let w = r.width as usize;
        for i in 0..n {
            for t in 0..2 {
                r.pixels[(y + t) * w + x + i] = 0;
                r.pixels[(y + n - 1 - t) * w + x + i] = 0;
                r.pixels[(y + i) * w + x + t] = 0;
                r.pixels[(y + i) * w + x + n - 1 - t] = 0;
                if cross {
                    r.pixels[(y + i) * w + (x + i + t).min(x + n - 1)] = 0;
                    r.pixels[(y + i) * w + (x + n - 1 - i).saturating_sub(t).max(x)] = 0;
                }
            }
        }
    }

    #[test]
    fn cell_marks_are_found_and_plain_boxes_are_not() {
        let mut r = Raster::blank(400, 200);
        draw_box(&mut r, 50, 50, 40, true);
        draw_box(&mut r, 200, 50, 40, false);
        let marks = find_cell_marks(
            &r,
            crate::preprocess::ink_threshold(&r),
            300.0,
            &RepairParams::default(),
        );
        assert_eq!(marks, vec![BBox([50, 50, 90, 90])]);
    }

    #[test]
    fn a_ruled_table_has_its_vertical_rules_counted_once_each() {
        let mut r = Raster::blank(400, 600);
        for x in [50usize, 51, 52, 200, 201, 350] {
            for y in 100..400 {
                r.pixels[y * 400 + x] = 0;
            }
        }
        // A short stroke is not a rule.
        for y in 100..150 {
            r.pixels[y * 400 + 300] = 0;
        }
        assert_eq!(ruled_columns(&r, 128, 200), 3);
        assert_eq!(ruled_columns(&r, 128, 350), 0);
    }

    #[test]
    fn stray_lines_go_back_into_their_column_and_columns_keep_their_order() {
        let ordered = |mut v: Vec<Line>| {
            reading_order(&mut v);
            v.into_iter().map(|l| l.text).collect::<Vec<_>>()
        };
        let v = vec![
            line("title", [100, 10, 900, 50]),
            line("left 1", [100, 100, 480, 130]),
            line("left 3", [100, 200, 480, 230]),
            line("right 1", [520, 100, 900, 130]),
            line("right 2", [520, 150, 900, 180]),
            line("left 2", [100, 150, 480, 180]),
        ];
        assert_eq!(
            ordered(v),
            ["title", "left 1", "left 2", "left 3", "right 1", "right 2"]
        );
        // A running head at the left, found last, over lines set to the
        // right that it overlaps across with none: first, not last.
        let v = vec![
            line("2017年3月2日", [1800, 365, 2076, 412]),
            line("（此件公开发布）", [1750, 443, 2054, 490]),
            line("— 8 —", [1180, 3300, 1300, 3340]),
            line("云南省人民政府公报", [307, 139, 868, 215]),
        ];
        assert_eq!(
            ordered(v),
            [
                "云南省人民政府公报",
                "2017年3月2日",
                "（此件公开发布）",
                "— 8 —"
            ]
        );
    }

    #[test]
    fn fragments_on_a_row_join() {
        let mut v = vec![
            line(
                "国务院办公厅关于2019年部分节假日安排的通知",
                [330, 461, 1269, 516],
            ),
            line("(2)", [2112, 487, 2162, 531]),
            line("下一行", [330, 560, 900, 600]),
        ];
        merge_row_fragments(&mut v, &RepairParams::default());
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].text, "国务院办公厅关于2019年部分节假日安排的通知 (2)");
        assert_eq!(v[0].bbox, BBox([330, 461, 2162, 531]));
        let mut two_columns = vec![
            line("左栏的一行相当长的文字内容", [100, 100, 1000, 140]),
            line("右栏的一行相当长的文字内容", [1100, 100, 2000, 140]),
        ];
        merge_row_fragments(&mut two_columns, &RepairParams::default());
        assert_eq!(two_columns.len(), 2);
    }

    fn sym(text: &str, x: u32, word_start: bool) -> tess::Symbol {
        tess::Symbol {
            text: text.into(),
            bbox: BBox([x, 45, x + 40, 90]),
            confidence: 90.0,
            word_start,
        }
    }

    #[test]
    fn a_columns_parentheses_take_the_width_of_their_cells() {
        // Boxes as Tesseract gave them on a tuning page: 設(以…建)等, the
        // parentheses in narrow cells, the ( box running on into 以's
        // cell, the ) box one pixel wide; then a pair in full cells.
        let at = |text: &str, x0: u32, x1: u32| tess::Symbol {
            text: text.into(),
            bbox: BBox([x0, 10, x1, 50]),
            confidence: 90.0,
            word_start: false,
        };
        let cells = [
            (1215, 1264, false), // 設
            (1264, 1291, true),  // (
            (1291, 1340, false), // 以
            (1340, 1389, false), // 建
            (1389, 1416, true),  // )
            (1416, 1465, false), // 等
            (1465, 1514, false), // ︵, turned
            (1514, 1563, false), // 一
            (1563, 1612, false), // ︶, turned
        ];
        let read = |mut symbols: Vec<tess::Symbol>| -> String {
            parenthesis_widths(&mut symbols, &cells);
            symbols.iter().map(|s| s.text.as_str()).collect()
        };
        let symbols = vec![
            at("設", 1235, 1259),
            at("(", 1274, 1312),
            at("以", 1309, 1332),
            at("建", 1345, 1372),
            at(")", 1420, 1421),
            at("等", 1426, 1472),
            at("(", 1470, 1510),
            at("一", 1515, 1560),
            at(")", 1565, 1600),
        ];
        assert_eq!(read(symbols), "設(以建)等（一）");
        // Placed nowhere, pair and all: full-width.
        let lone = vec![
            at("(", 2000, 2001),
            at("一", 2001, 2040),
            at(")", 2040, 2041),
        ];
        assert_eq!(read(lone), "（一）");
    }

    #[test]
    fn symbols_become_lines_with_tabs_at_cell_marks() {
        let line = TextLine {
            bbox: BBox([0, 40, 400, 100]),
            symbols: vec![
                sym("定", 0, true),
                sym("量", 42, false),
                sym("因", 100, true), // read inside the blanked mark
                sym("计", 150, true),
                sym("算", 192, false),
                sym("指", 300, true),
            ],
        };
        let marks = [BBox([95, 45, 140, 90])];
        let lines = assemble(vec![line.clone()], &marks);
        assert_eq!(lines[0].text, "定量\t计算 指");
        assert_eq!(lines[0].bbox, BBox([0, 45, 340, 90]));
        assert!((lines[0].confidence.get() - 0.9).abs() < 1e-6);
        assert_eq!(assemble(vec![line.clone()], &[])[0].text, "定量 因 计算 指");
        // A quotation mark read in the gap beside a mark is a phantom.
        let mut with_quote = line;
        with_quote.symbols.insert(3, sym("“", 130, true));
        assert_eq!(
            assemble(vec![with_quote.clone()], &marks)[0].text,
            "定量\t计算 指"
        );
        assert_eq!(assemble(vec![with_quote], &[])[0].text, "定量 因 “ 计算 指");
    }
}
