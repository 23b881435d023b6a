//! The OCR engine behind a trait, so the pipeline can be tested with a fake,
//! and its Tesseract implementation: one Tesseract instance per worker
//! thread, created on first use and reused for every later page, followed
//! by a second pass that mends Tesseract's layout analysis on gazette pages.

use super::assemble::{assemble, parenthesis_widths};
use super::choose::{self, ChoiceParams};
pub use super::engine::{OcrEngine, OcrError, PageRead, Turn, TESSERACT};
pub use super::folio_dashes::*;
pub use super::marks::*;
use super::mixed::Region;
use super::ppocr::LineRecogniser;
pub use super::repair::*;
use super::tess::{tesseract_version, Api};
use super::vertical::{Direction, Script, VerticalParams};
use crate::page::{BBox, Confidence, Layout, Line, PageDirection, PageScript, Raster};
use gazette_model::script;
use std::cell::RefCell;
use std::ffi::CString;

/// The reason recorded for a script forced with `--script`.
pub(super) const SCRIPT_GIVEN: &str = "script given for the batch";

/// What reading a page found of its script, gathered as its parts are read.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// The script the page's text was read in, when a part decided it.
    script: Option<Script>,
    /// Each finding's reason, in words.
    why: Vec<String>,
}

impl Findings {
    pub(super) fn script(&mut self, script: Script, why: String) {
        // A mixed page's parts each decide: traditional wins (the page
        // holds traditional print).
        if self.script != Some(Script::Traditional) {
            self.script = Some(script);
        }
        self.why.push(why);
    }
}

/// Tesseract with a language such as `chi_sim` or `chi_sim+eng`.
#[derive(Clone)]
pub struct Tesseract {
    pub(super) lang: String,
    pub(super) datapath: Option<String>,
    pub(super) psm: i32,
    pub(super) repair: RepairParams,
    /// The second recogniser for the lines Tesseract is unsure of.
    pub(super) second: Option<std::sync::Arc<dyn LineRecogniser>>,
    pub(super) choice: ChoiceParams,
    pub(super) columns: super::columns::ColumnParams,
    pub(super) vertical: VerticalParams,
    pub(super) grid: super::grid::GridParams,
    pub(super) direction: Direction,
    pub(super) script: Script,
    /// Keeps its engine in the thread's second slot (the traditional
    /// reader beside the main one), so neither evicts the other.
    pub(super) other_slot: bool,
    /// Where tuning images go.
    pub(super) debug: crate::debug::DebugSink,
}

thread_local! {
    /// The calling thread's engine and the language it was loaded with.
    static API: RefCell<Option<(String, Api)>> = const { RefCell::new(None) };
    /// The calling thread's engine for the other script (chi_tra beside
    /// chi_sim), so a page read with both does not reload either.
    static API_OTHER: RefCell<Option<(String, Api)>> = const { RefCell::new(None) };
    /// The calling thread's orientation detector (Tesseract's `osd`
    /// model), made the first time a page needs it.
    static API_OSD: RefCell<Option<(String, Api)>> = const { RefCell::new(None) };
}

/// The model Tesseract's orientation and script detection loads.
const OSD_MODEL: &str = "osd";

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
            debug: Default::default(),
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

    /// Writes the images its stages see into `debug`'s directory (a
    /// tuning aid).
    pub fn with_debug(mut self, debug: crate::debug::DebugSink) -> Self {
        self.debug = debug;
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
    pub(super) fn lang_for(&self, script: Script) -> String {
        match script {
            Script::Traditional => self.lang.replace("chi_sim", "chi_tra"),
            _ => self.lang.clone(),
        }
    }

    pub(super) fn create_api(&self) -> Result<Api, OcrError> {
        self.create_api_for(&self.lang)
    }

    pub(super) fn create_api_for(&self, lang_name: &str) -> Result<Api, OcrError> {
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

    pub(super) fn run(
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
    pub(super) fn layout(&self, raster: &Raster, dpi: u32) -> Result<Vec<Line>, OcrError> {
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
    pub(super) fn with_api<T>(
        &self,
        f: impl FnOnce(&mut Api) -> Result<T, OcrError>,
    ) -> Result<T, OcrError> {
        let slot = if self.other_slot { &API_OTHER } else { &API };
        slot.with(|cell| {
            let mut slot = cell.borrow_mut();
            f(super::keyed(&mut slot, &self.lang, || self.create_api())?)
        })
    }

    /// Whether the traditional model `tra` loads on this thread; said once,
    /// for the whole run, when it does not (pages are then read with the
    /// simplified one, never failed).
    pub(super) fn traditional_model_loads(&self, tra: &str) -> bool {
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
    pub(super) fn with_api_for<T>(
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
    pub(super) fn read_line_image(
        &self,
        lang: &str,
        img: &Raster,
        dpi: u32,
    ) -> Result<Line, OcrError> {
        self.read_line_image_widths(lang, img, dpi, None)
    }

    /// [`read_line_image`](Self::read_line_image) of a vertical column set
    /// as a line, `cells` the spans its cells were set in and whether each
    /// is narrow: a parenthesis read is made half-width (`(`) when it was
    /// printed in a narrow cell and full-width (`（`) otherwise, so its
    /// width is as printed, told by the cell's shape rather than by the
    /// model (which reads both as `(`).
    pub(super) fn read_line_image_widths(
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
}

/// Paper kept round a 文号's line for its second reading, as a share of
/// the line's height: Tesseract's single-line mode reads a line best with
/// a margin of paper round its ink, and its layout boxes are tight. Not
/// tuned (the crop of tests/data/ppocr/doc-number-line.png reads with it).
const DOC_NUMBER_MARGIN: f32 = 0.25;

/// Page segmentation mode 7: the image is one text line.
pub(super) const PSM_SINGLE_LINE: i32 = 7;

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
                    super::mixed::mixed(raster, threshold, dpi as f32, &self.vertical)
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
                turned: 0,
            }),
        })
    }

    /// Tesseract's orientation and script detection (the `osd` model,
    /// Debian's tesseract-ocr-osd). `None` when the model is missing (said
    /// once) or nothing was found.
    fn orientation(&self, raster: &Raster, dpi: u32) -> Result<Option<Turn>, OcrError> {
        let found = API_OSD.with(|cell| {
            let mut slot = cell.borrow_mut();
            let key = OSD_MODEL.to_string();
            let api = match super::keyed(&mut slot, &key, || self.create_api_for(OSD_MODEL)) {
                Ok(api) => api,
                Err(e) => {
                    static WARNED: std::sync::Once = std::sync::Once::new();
                    WARNED.call_once(|| {
                        tracing::warn!(error = %e, "no orientation model: pages set sideways are left suspect")
                    });
                    return Ok(None);
                }
            };
            // Mode 0: orientation and script detection only.
            api.set_page_seg_mode(0);
            api.orientation(raster, dpi)
        })?;
        Ok(found.map(|(rotate, confidence)| Turn {
            quarters: ((rotate.rem_euclid(360) / 90) % 4) as u8,
            confidence,
        }))
    }

    fn release(&self) {
        API.with(|cell| cell.borrow_mut().take());
        API_OTHER.with(|cell| cell.borrow_mut().take());
        API_OSD.with(|cell| cell.borrow_mut().take());
        if let Some(s) = &self.second {
            s.release();
        }
    }

    fn debug(&self) -> &crate::debug::DebugSink {
        &self.debug
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
    pub(super) fn traditional(&self) -> Tesseract {
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
    pub(super) fn recognize_horizontal(
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
    pub(super) fn read_horizontal(
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
    pub(super) fn recognize_region(
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
        if let Some(u) = &unruled {
            // A tuning aid: the page its rows are found on.
            self.debug
                .image(&format!("unruled-{}x{}.png", u.width, u.height), u);
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
                            &self.debug,
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
                &self.debug,
            ),
            None => 0,
        };
        let t_second = t0.elapsed() - t_repair;
        // Lines found by layout alone that no reader could read.
        lines.retain(|l| !l.text.trim().is_empty());
        if let Some(second) = &self.second {
            let folio =
                read_faint_folio(rows_of, threshold, dpi as f32, k, &mut lines, |r, b, t| {
                    choose::read_row(r, t, b, second.as_ref(), &self.choice, &self.debug)
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
        if layout_only {
            self.read_doc_numbers_again(raster, dpi, &mut lines);
        }
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

    /// Lines shaped like a 文号 that one recogniser alone read (PP-OCR,
    /// where Tesseract only found the line) are read by Tesseract too, and
    /// its reading kept beside the other: segmentation takes the reading
    /// that parses as a 文号, and a 文号 one reader gets wrong the other
    /// often reads (PP-OCR 国函〔[1996]95号, Tesseract 国函 [1996] 95 号).
    /// A line or two a document, at a single line's reading each.
    fn read_doc_numbers_again(&self, raster: &Raster, dpi: u32, lines: &mut [Line]) {
        for line in lines.iter_mut() {
            if line.readings.len() > 1 || !super::textfix::looks_like_doc_number(&line.text) {
                continue;
            }
            let pad = (line.bbox.height() as f32 * DOC_NUMBER_MARGIN).round() as u32;
            let b = line.bbox.grown(pad, raster.width, raster.height);
            if b.width() == 0 || b.height() == 0 {
                continue;
            }
            let crop = raster.crop(b.x0(), b.y0(), b.width(), b.height());
            match self.read_line_image(&self.lang, &crop, dpi) {
                Ok(t) if !t.text.trim().is_empty() => line.readings.push(crate::page::Reading {
                    engine: TESSERACT.to_string(),
                    text: t.text,
                    confidence: t.confidence,
                }),
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "a 文号's second reading failed"),
            }
        }
    }

    /// What the engine is, for provenance.
    pub(super) fn describe_engine(&self) -> String {
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

#[cfg(test)]
mod tests;
