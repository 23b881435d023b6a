//! A PDF page as it is printed. Scanning bureaus and PDF tools write a page
//! in many shapes: one image covering the page, a page cut into dozens of
//! CCITT strips, a JPEG background under a 1-bit text mask (MRC), images
//! inside Form XObjects, inline images, stencil masks, JBIG2 and JPEG 2000
//! streams, rotated pages, text drawn as outlines. Reading only the largest
//! image of such a page reads a strip, or nothing.
//!
//! The page's content stream is interpreted by `hayro` (pure Rust, the most
//! complete PDF interpreter and rasteriser on crates.io, with its own JBIG2,
//! JPEG 2000 and CCITT decoders): [`survey`] lists what the page draws
//! (every image with where it lands, visible and invisible text, vector
//! paint) without rasterising, and [`render`] paints the whole page, with
//! its /Rotate, /UserUnit and CropBox, onto one grey canvas at the page's
//! native scan resolution. Poppler renders the same pages too, but as a
//! process per page; hayro runs in the worker thread, and the test
//! `composed_pages_match_poppler` holds the two to the same pixels.

use crate::error::ErrorKind;
use crate::page::Raster;
use crate::raster::check_size;
use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask, TransformExt,
};
use hayro::hayro_syntax::page::Page;
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::{Affine, BezPath, Rect};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

/// The numbers composition decides by.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ComposeParams {
    /// A page with no image is rendered at this resolution: the resolution
    /// Tesseract reads best at and preprocessing scales to.
    pub default_dpi: f32,
    /// Native resolutions are kept within these bounds: below 150 dpi
    /// print is too coarse to read and preprocessing scales it up anyway;
    /// above 600 dpi a page costs memory without helping OCR.
    pub min_dpi: f32,
    pub max_dpi: f32,
    /// Images smaller than this share of the page (a logo, a seal) do not
    /// set the page's resolution.
    pub min_image_share: f64,
    /// A page whose images cover at least this share of it is a scan, read
    /// by OCR whatever text layer lies over it; below it, a page with a
    /// usable visible text layer is born-digital with pictures.
    pub scan_coverage: f64,
    /// A scan whose images cover less than this share of the page, with no
    /// other ink drawn, is suspect: part of the scan may be missing. (A
    /// scan of a smaller sheet on a larger page box covers 70–90%.)
    pub partial_coverage: f64,
    /// One image covering at least this share of the page, upright, with
    /// square pixels, is a plain scan, decoded as it is rather than
    /// painted.
    pub plain_scan_coverage: f64,
    /// Its two resolutions agree within this share.
    pub square_pixels: f32,
    /// A born-digital page that draws more than its text is rendered at
    /// this resolution to check its text layer against its ink: coarse is
    /// enough to count ink, and cheap (a few milliseconds).
    pub check_dpi: f32,
    /// A page rendered because no text layer decodes its text is suspect
    /// when OCR reads less than this share of the characters it draws
    /// (counted from the content stream)…
    pub min_read_of_drawn: f32,
    /// …once it draws at least this many.
    pub min_drawn_glyphs: usize,
    /// A composed page with no pixel darker than this is bare paper: its
    /// images are then checked for ones that could not be decoded.
    pub paper: u8,
    /// A born-digital page is read from its text layer without surveying
    /// it when it paints at most this many paths (rules, a table's grid).
    /// A page of text drawn as outlines paints one path per glyph or run,
    /// hundreds, and is surveyed. Not measured on real outline pages: the
    /// corpus has none.
    pub max_plain_paints: usize,
}

impl Default for ComposeParams {
    fn default() -> Self {
        Self {
            default_dpi: 300.0,
            min_dpi: 150.0,
            max_dpi: 600.0,
            min_image_share: 0.05,
            scan_coverage: 0.5,
            partial_coverage: 0.6,
            plain_scan_coverage: 0.97,
            square_pixels: 0.02,
            paper: 250,
            check_dpi: 100.0,
            min_read_of_drawn: 0.5,
            min_drawn_glyphs: 20,
            max_plain_paints: 200,
        }
    }
}

/// An image as the page places it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedImage {
    /// Its size in pixels.
    pub width: u32,
    pub height: u32,
    /// Where it lands, in points of the page as displayed (rotation and
    /// crop applied, origin top left).
    pub bbox: [f64; 4],
    /// Its resolution on the page along its own x and y axes.
    pub dpi: (f32, f32),
    /// A 1-bit mask painted in the fill colour (/ImageMask).
    pub stencil: bool,
    /// Its pixel grid maps onto the page without rotation, flip or shear.
    pub upright: bool,
}

/// What a page draws, found by interpreting its content stream without
/// painting anything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Survey {
    /// The page as displayed, in points.
    pub width: f64,
    pub height: f64,
    pub images: Vec<PlacedImage>,
    /// Runs of glyphs drawn visibly, and invisibly (text render mode 3, as
    /// OCR tools leave a text layer over a scan).
    pub visible_text: usize,
    pub invisible_text: usize,
    /// Paths filled or stroked (rules, tables, text drawn as outlines).
    pub paths: usize,
}

impl Survey {
    /// The share of the page its images cover (overlaps counted once per
    /// image, so strips that tile the page sum to about 1), at most 1.
    pub fn image_coverage(&self) -> f64 {
        let page = Rect::new(0.0, 0.0, self.width, self.height);
        let area = page.area().max(1e-9);
        let covered: f64 = self
            .images
            .iter()
            .map(|i| {
                let r = Rect::new(i.bbox[0], i.bbox[1], i.bbox[2], i.bbox[3]);
                r.intersect(page).area()
            })
            .sum();
        (covered / area).min(1.0)
    }

    /// The page's scan resolution: the finest resolution of the images
    /// that matter, within the bounds; the default for a page without
    /// images.
    pub fn native_dpi(&self, k: &ComposeParams) -> f32 {
        let page = (self.width * self.height).max(1e-9);
        let big = |i: &&PlacedImage| {
            let (w, h) = (i.bbox[2] - i.bbox[0], i.bbox[3] - i.bbox[1]);
            w * h / page >= k.min_image_share
        };
        let dpi = self
            .images
            .iter()
            .filter(big)
            .map(|i| i.dpi.0.max(i.dpi.1))
            .fold(0.0f32, f32::max);
        if dpi > 0.0 {
            dpi.clamp(k.min_dpi, k.max_dpi)
        } else {
            k.default_dpi
        }
    }
}

/// Loads a PDF for hayro.
pub fn load(bytes: Vec<u8>) -> Result<Pdf, ErrorKind> {
    Pdf::new(bytes).map_err(|e| ErrorKind::Pdf(format!("{e:?}")))
}

/// Settings for the interpreter: hayro's own fonts for the standard 14,
/// and a CJK system font for Chinese text whose font is not embedded.
fn settings() -> InterpreterSettings {
    InterpreterSettings::default()
}

/// Page `index` (0-based) of `pdf`.
fn page(pdf: &Pdf, index: usize) -> Result<&Page<'_>, ErrorKind> {
    pdf.pages()
        .get(index)
        .ok_or_else(|| ErrorKind::Pdf(format!("no page {}", index + 1)))
}

/// Interprets page `index` into `device` in points of the page as
/// displayed, painting nothing; returns the page's size in points.
fn interpret<'a>(
    pdf: &'a Pdf,
    index: usize,
    device: &mut impl Device<'a>,
) -> Result<(f64, f64), ErrorKind> {
    let page = page(pdf, index)?;
    let (w, h) = page.render_dimensions();
    let cache = InterpreterCache::new();
    let mut ctx = Context::new(
        page.initial_transform(true).to_kurbo(),
        Rect::new(0.0, 0.0, w as f64, h as f64),
        &cache,
        page.xref(),
        settings(),
    );
    interpret_page(page, &mut ctx, device);
    Ok((w as f64, h as f64))
}

/// Lists what page `index` (0-based) draws.
pub fn survey(pdf: &Pdf, index: usize) -> Result<Survey, ErrorKind> {
    let mut device = Surveyor {
        survey: Survey::default(),
    };
    let (width, height) = interpret(pdf, index, &mut device)?;
    Ok(Survey {
        width,
        height,
        ..device.survey
    })
}

/// Paints page `index` (0-based) onto a grey canvas at `dpi`, white paper.
pub fn render(pdf: &Pdf, index: usize, dpi: f32) -> Result<Raster, ErrorKind> {
    let page = page(pdf, index)?;
    let (w, h) = page.render_dimensions();
    let scale = dpi / 72.0;
    let (pw, ph) = ((w * scale) as u64, (h * scale) as u64);
    check_size(pw, ph)?;
    // hayro's canvas is addressed with 16-bit coordinates.
    if pw > u16::MAX as u64 || ph > u16::MAX as u64 || pw == 0 || ph == 0 {
        return Err(ErrorKind::TooLarge {
            width: pw,
            height: ph,
            limit: u16::MAX as u32,
            max_pixels: crate::raster::MAX_PIXELS,
        });
    }
    let cache = RenderCache::new();
    let pixmap = hayro::render(
        page,
        &cache,
        &settings(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    let (width, height) = (pixmap.width() as u32, pixmap.height() as u32);
    // Rec. 601 luma, as poppler's and PIL's grey conversions use, on the
    // RGBA canvas (opaque: its background is white).
    let pixels = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|p| ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114 + 500) / 1000) as u8)
        .collect();
    Ok(Raster {
        width,
        height,
        pixels,
    })
}

/// The images of page `index` (0-based) that cannot be decoded, each
/// described by its filters and size. hayro paints nothing for an image it
/// cannot decode, so a composed page that comes out blank is checked here:
/// a page is never taken for blank paper when its scan is unreadable.
pub fn undecodable_images(pdf: &Pdf, index: usize) -> Result<Vec<String>, ErrorKind> {
    let mut device = DecodeCheck { bad: Vec::new() };
    interpret(pdf, index, &mut device)?;
    Ok(device.bad)
}

/// The device that decodes every image, noting those that fail.
struct DecodeCheck {
    bad: Vec<String>,
}

impl<'a> Device<'a> for DecodeCheck {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, _: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_image(&mut self, image: Image<'a, '_>, _: ImageDrawProps<'a>) {
        let mut decoded = false;
        let (stream, w, h) = match &image {
            Image::Stencil(s) => {
                s.with_stencil(|_, _| decoded = true, None);
                (s.stream(), s.width(), s.height())
            }
            Image::Raster(r) => {
                r.with_rgba(|_, _| decoded = true, None);
                (r.stream(), r.width(), r.height())
            }
        };
        if !decoded {
            let filters: Vec<String> = stream.filters().iter().map(|f| format!("{f:?}")).collect();
            self.bad
                .push(format!("{} image of {w}x{h} pixels", filters.join("+")));
        }
    }
}

/// The device that only takes notes.
struct Surveyor {
    survey: Survey,
}

impl<'a> Device<'a> for Surveyor {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {
        self.survey.paths += 1;
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, _: &GlyphRun<'_, 'a>, _: DrawProps<'a>, mode: &DrawMode) {
        match mode {
            DrawMode::Invisible => self.survey.invisible_text += 1,
            _ => self.survey.visible_text += 1,
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        let (width, height, stencil) = match &image {
            Image::Stencil(s) => (s.width(), s.height(), true),
            Image::Raster(r) => (r.width(), r.height(), false),
        };
        // The transform maps the image's pixel grid onto the page in
        // points: each column's length is a pixel's size.
        let t: Affine = props.transform;
        let [a, b, c, d, _, _] = t.as_coeffs();
        let bbox = t.transform_rect_bbox(Rect::new(0.0, 0.0, width as f64, height as f64));
        let per_inch = |x: f64, y: f64| {
            let len = (x * x + y * y).sqrt();
            if len > 0.0 {
                (72.0 / len) as f32
            } else {
                0.0
            }
        };
        self.survey.images.push(PlacedImage {
            width,
            height,
            bbox: [bbox.x0, bbox.y0, bbox.x1, bbox.y1],
            dpi: (per_inch(a, b), per_inch(c, d)),
            stencil,
            upright: b == 0.0 && c == 0.0 && a > 0.0 && d > 0.0,
        });
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}
}
