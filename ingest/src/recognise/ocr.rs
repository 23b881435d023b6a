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
mod tests {
    use super::super::tess::{self, TextLine};
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
        assert_eq!(ink_bands(&r, 128, 0.0, 0, 40).len(), 1);
        let bands = ink_bands(&r, 128, k.row_noise_share, 0, 40);
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
        assert_eq!(ink_bands(&r, 128, k.row_noise_share, 0, 40), vec![(0, 400)]);
        let side = (300.0 * k.edge_margin_in) as usize;
        assert_eq!(
            ink_bands(&r, 128, k.row_noise_share, side, 40),
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
        assert!(ink_bands(&r, 128, k.row_noise_share, 0, 120)
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
        let bands = ink_bands(&r, 128, k.row_noise_share, 0, 120);
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
