//! PDF issues: loading with lopdf, a page-tree walk that refuses loops, and
//! extraction of a scanned page's image (DCT, Flate with predictors, CCITT
//! fax); unsupported encodings such as JBIG2 are refused by name.

use crate::error::ErrorKind;
use crate::page::{PageImage, Raster};
use crate::raster::{self, check_size, luma};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;
use std::path::Path;

/// A loaded PDF and its pages in order: lopdf's objects (text layer,
/// scans' image streams) and, loaded on first need, hayro's interpreter
/// (composing pages as printed). A batch of born-digital issues never
/// loads hayro.
pub struct PdfFile {
    pub path: std::path::PathBuf,
    pub doc: Document,
    pub pages: Vec<ObjectId>,
    hayro: std::sync::OnceLock<Option<hayro::hayro_syntax::Pdf>>,
}

impl PdfFile {
    /// hayro's view of the file; `None` where hayro cannot load it or sees
    /// another page count than the page tree (then only pages our own
    /// reading handles are read).
    pub fn hayro(&self) -> Option<&hayro::hayro_syntax::Pdf> {
        self.hayro
            .get_or_init(|| {
                let loaded = std::fs::read(&self.path)
                    .map_err(ErrorKind::from)
                    .and_then(crate::compose::load);
                match loaded {
                    Ok(h) if h.pages().len() == self.pages.len() => Some(h),
                    Ok(h) => {
                        tracing::warn!(
                            "{}: hayro sees {} pages where the page tree has {}; pages are read without composing",
                            self.path.display(),
                            h.pages().len(),
                            self.pages.len()
                        );
                        None
                    }
                    Err(e) => {
                        tracing::warn!(
                            "{}: hayro cannot load the file ({e}); pages are read without composing",
                            self.path.display()
                        );
                        None
                    }
                }
            })
            .as_ref()
    }
}

/// Loads a PDF and lists its pages; a file that yields no pages is an error
/// (lopdf reads some truncated files as empty documents).
pub fn open(path: &Path) -> Result<PdfFile, ErrorKind> {
    let bytes = std::fs::read(path)?;
    raster::sniff(&bytes).and_then(|f| match f {
        raster::Format::Pdf => Ok(()),
        other => Err(ErrorKind::UnknownFormat(format!(
            "named .pdf but is {other:?}"
        ))),
    })?;
    let doc = Document::load_mem(&bytes).map_err(|e| ErrorKind::Pdf(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(ErrorKind::Unsupported("encrypted pdf".into()));
    }
    let pages = page_ids(&doc)?;
    if pages.is_empty() {
        return Err(ErrorKind::NoPages);
    }
    Ok(PdfFile {
        path: path.to_path_buf(),
        doc,
        pages,
        hayro: std::sync::OnceLock::new(),
    })
}

/// Walks the page tree depth-first, in order. Unlike a bounded iterator this
/// reports a loop as an error instead of silently repeating or dropping pages.
fn page_ids(doc: &Document) -> Result<Vec<ObjectId>, ErrorKind> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| ErrorKind::Pdf(format!("no page tree: {e}")))?;
    let mut out = Vec::new();
    let mut on_path = HashSet::new();
    let mut seen = HashSet::new();
    walk(doc, root, &mut on_path, &mut seen, &mut out, 0)?;
    Ok(out)
}

fn walk(
    doc: &Document,
    id: ObjectId,
    on_path: &mut HashSet<ObjectId>,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<ObjectId>,
    depth: usize,
) -> Result<(), ErrorKind> {
    if on_path.contains(&id) || !seen.insert(id) || depth > 64 {
        return Err(ErrorKind::PageTreeLoop(id.0, id.1));
    }
    let dict = doc
        .get_dictionary(id)
        .map_err(|e| ErrorKind::Pdf(format!("page tree node {} {}: {e}", id.0, id.1)))?;
    let is_pages = dict.get_type().map(|t| t == b"Pages").unwrap_or(false) || dict.has(b"Kids");
    if !is_pages {
        out.push(id);
        return Ok(());
    }
    on_path.insert(id);
    let kids = dict
        .get_deref(b"Kids", doc)
        .and_then(Object::as_array)
        .map_err(|e| {
            ErrorKind::Pdf(format!("page tree node {} {} has no kids: {e}", id.0, id.1))
        })?;
    for kid in kids {
        let kid = kid
            .as_reference()
            .map_err(|_| ErrorKind::Pdf("page tree kid is not a reference".into()))?;
        walk(doc, kid, on_path, seen, out, depth + 1)?;
    }
    on_path.remove(&id);
    Ok(())
}

/// The page's size in points: (x0, y0, width, height) of its MediaBox,
/// looked up the tree when inherited; US Letter-less default is A4.
pub fn media_box(doc: &Document, page: ObjectId) -> (f32, f32, f32, f32) {
    let mut node = doc.get_dictionary(page).ok();
    for _ in 0..64 {
        let Some(d) = node else { break };
        if let Ok(arr) = d.get_deref(b"MediaBox", doc).and_then(Object::as_array) {
            let v: Vec<f32> = arr.iter().filter_map(|o| num(doc, o)).collect();
            if v.len() == 4 && v[2] != v[0] && v[3] != v[1] {
                return (
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    (v[2] - v[0]).abs(),
                    (v[3] - v[1]).abs(),
                );
            }
        }
        node = d.get_deref(b"Parent", doc).and_then(Object::as_dict).ok();
    }
    (0.0, 0.0, 595.28, 841.89)
}

/// A number object (integer or real), following a reference.
pub fn num(doc: &Document, o: &Object) -> Option<f32> {
    match doc.dereference(o).ok()?.1 {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// The page's largest image XObject: its scan.
fn biggest_image(doc: &Document, page: ObjectId) -> Result<Option<&lopdf::Stream>, ErrorKind> {
    let (resources, inherited) = doc
        .get_page_resources(page)
        .map_err(|e| ErrorKind::Pdf(format!("page resources: {e}")))?;
    let mut dicts: Vec<&Dictionary> = resources.into_iter().collect();
    for id in inherited {
        if let Ok(d) = doc.get_dictionary(id) {
            dicts.push(d);
        }
    }
    let mut best: Option<(i64, &lopdf::Stream)> = None;
    for res in dicts {
        let Ok(xobjects) = res.get_deref(b"XObject", doc).and_then(Object::as_dict) else {
            continue;
        };
        for (_, obj) in xobjects.iter() {
            let Ok((_, Object::Stream(s))) = doc.dereference(obj) else {
                continue;
            };
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
                continue;
            }
            let w = s.dict.get(b"Width").and_then(Object::as_i64).unwrap_or(0);
            let h = s.dict.get(b"Height").and_then(Object::as_i64).unwrap_or(0);
            if best.is_none_or(|(a, _)| w * h > a) {
                best = Some((w * h, s));
            }
        }
    }
    Ok(best.map(|(_, s)| s))
}

/// The raw bytes of the page's scan when it is a plain grey or RGB JPEG
/// (DCTDecode only, no Decode array), to be kept as it is rather than
/// re-encoded.
pub fn page_jpeg(doc: &Document, page: ObjectId) -> Option<Vec<u8>> {
    let s = biggest_image(doc, page).ok()??;
    let plain_colour = matches!(
        s.dict.get(b"ColorSpace").and_then(Object::as_name),
        Ok(b"DeviceGray") | Ok(b"DeviceRGB")
    );
    (filters(doc, &s.dict) == [b"DCTDecode".to_vec()]
        && plain_colour
        && s.dict.get(b"Decode").is_err())
    .then(|| s.content.clone())
}

/// Whether the page is one plain scan: a single upright image with square
/// pixels covering the page, drawn from the page's own resources, in an
/// encoding and colour our decoder reads exactly (grey or RGB DCT, Flate or
/// LZW, CCITT; no masks). Such a page is decoded as it is, pixel for pixel;
/// any other is composed.
pub fn is_plain_scan(
    doc: &Document,
    page: ObjectId,
    survey: &crate::compose::Survey,
    k: &crate::compose::ComposeParams,
) -> bool {
    let [img] = survey.images.as_slice() else {
        return false;
    };
    let square = (img.dpi.0 - img.dpi.1).abs() <= img.dpi.0.max(img.dpi.1) * k.square_pixels;
    if img.stencil || !img.upright || !square || survey.image_coverage() < k.plain_scan_coverage {
        return false;
    }
    let Ok(Some(s)) = biggest_image(doc, page) else {
        return false;
    };
    let d = &s.dict;
    let int = |key: &[u8]| d.get(key).ok().and_then(|o| num(doc, o)).map(|v| v as u32);
    if int(b"Width") != Some(img.width) || int(b"Height") != Some(img.height) {
        // The image drawn is not the page's own XObject (a form's, inline).
        return false;
    }
    let masked = d.has(b"SMask") || d.has(b"Mask") || d.has(b"ImageMask");
    let fs = filters(doc, d);
    let known = fs.iter().all(|f| {
        matches!(
            f.as_slice(),
            b"FlateDecode"
                | b"Fl"
                | b"LZWDecode"
                | b"LZW"
                | b"CCITTFaxDecode"
                | b"CCF"
                | b"DCTDecode"
                | b"DCT"
        )
    });
    let dct = fs
        .iter()
        .any(|f| matches!(f.as_slice(), b"DCTDecode" | b"DCT"));
    let space = d.get(b"ColorSpace").and_then(Object::as_name).ok();
    let plain_colour = match space {
        Some(b"DeviceGray") | Some(b"DeviceRGB") => true,
        // CMYK, Lab, Indexed, ICC and the rest: painted by the interpreter,
        // whose colour handling is complete.
        None => fs
            .iter()
            .any(|f| matches!(f.as_slice(), b"CCITTFaxDecode" | b"CCF")),
        _ => false,
    };
    !masked && known && plain_colour && !(dct && fs.len() > 1)
}

/// The page's largest image XObject, decoded; `Ok(None)` when it has none.
pub fn page_image(doc: &Document, page: ObjectId) -> Result<Option<PageImage>, ErrorKind> {
    let Some(stream) = biggest_image(doc, page)? else {
        return Ok(None);
    };
    let raster = decode_image_stream(doc, stream)?;
    let (_, _, pw, _) = media_box(doc, page);
    let dpi = (pw > 0.0).then(|| raster.width as f32 / (pw / 72.0));
    Ok(Some(PageImage { raster, dpi }))
}

/// Whether an image's /Decode array inverts its first component (1 0).
fn decode_inverted(doc: &Document, d: &Dictionary) -> bool {
    d.get(b"Decode")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first().and_then(|o| num(doc, o)))
        .is_some_and(|v| v > 0.5)
}

fn filters(doc: &Document, dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter").map(|o| doc.dereference(o)) {
        Ok(Ok((_, Object::Name(n)))) => vec![n.clone()],
        Ok(Ok((_, Object::Array(a)))) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => vec![],
    }
}

fn decode_parms<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match doc.dereference(dict.get(b"DecodeParms").ok()?).ok()?.1 {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) => a
            .iter()
            .find_map(|o| doc.dereference(o).ok()?.1.as_dict().ok()),
        _ => None,
    }
}

fn decode_image_stream(doc: &Document, s: &lopdf::Stream) -> Result<Raster, ErrorKind> {
    let d = &s.dict;
    let int = |k: &[u8]| d.get(k).ok().and_then(|o| num(doc, o)).map(|v| v as i64);
    let width = int(b"Width").unwrap_or(0);
    let height = int(b"Height").unwrap_or(0);
    if width <= 0 || height <= 0 {
        return Err(ErrorKind::Pdf(format!(
            "image has invalid size {width}x{height}"
        )));
    }
    check_size(width as u64, height as u64)?;
    let fs = filters(doc, d);
    let last = fs.last().map(Vec::as_slice);
    match last {
        Some(b"DCTDecode") | Some(b"DCT") => {
            if fs.len() > 1 {
                return Err(ErrorKind::Unsupported("jpeg inside another filter".into()));
            }
            return raster::decode_jpeg(&s.content);
        }
        Some(b"CCITTFaxDecode") | Some(b"CCF") => {
            if fs.len() > 1 {
                return Err(ErrorKind::Unsupported(
                    "ccitt fax inside another filter".into(),
                ));
            }
            return decode_ccitt(doc, d, &s.content, width as u32, height as u32);
        }
        Some(b"JBIG2Decode") => {
            return Err(ErrorKind::Unsupported(
                "JBIG2Decode image (jbig2 is not supported)".into(),
            ))
        }
        Some(b"JPXDecode") => {
            return Err(ErrorKind::Unsupported(
                "JPXDecode image (jpeg 2000 is not supported)".into(),
            ))
        }
        Some(b"FlateDecode") | Some(b"Fl") | Some(b"LZWDecode") | Some(b"LZW") | None => {}
        Some(other) => {
            return Err(ErrorKind::Unsupported(format!(
                "{} image filter",
                String::from_utf8_lossy(other)
            )))
        }
    }
    // lopdf undoes Flate and LZW including PNG and TIFF predictors.
    let data = if fs.is_empty() {
        s.content.clone()
    } else {
        s.decompressed_content()
            .map_err(|e| ErrorKind::Pdf(format!("image stream: {e}")))?
    };
    let bpc = int(b"BitsPerComponent").unwrap_or(8);
    let image_mask = d
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let (components, palette) = if image_mask {
        (1, None)
    } else {
        color_space(doc, d)?
    };
    let inverted = decode_inverted(doc, d);
    let (w, h) = (width as usize, height as usize);
    let stride = (w * components * bpc as usize).div_ceil(8);
    if data.len() < stride * h {
        return Err(ErrorKind::Image(format!(
            "image data is short: {} of {} bytes",
            data.len(),
            stride * h
        )));
    }
    let sample = |row: &[u8], i: usize| -> u8 {
        match bpc {
            8 => row[i],
            16 => row[i * 2],
            1 | 2 | 4 => {
                let bits = bpc as usize;
                let bit = i * bits;
                let v = (row[bit / 8] >> (8 - bits - bit % 8)) & ((1 << bits) - 1);
                if palette.is_some() {
                    v
                } else {
                    (v as u32 * 255 / ((1 << bits) - 1)) as u8
                }
            }
            _ => 0,
        }
    };
    if ![1, 2, 4, 8, 16].contains(&bpc) {
        return Err(ErrorKind::Unsupported(format!("{bpc} bits per component")));
    }
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let row = &data[y * stride..(y + 1) * stride];
        for x in 0..w {
            let v = match (&palette, components) {
                (Some(p), _) => {
                    let idx = sample(row, x) as usize;
                    p.get(idx).copied().unwrap_or(255)
                }
                (None, 1) => sample(row, x),
                (None, 3) => luma(
                    sample(row, x * 3),
                    sample(row, x * 3 + 1),
                    sample(row, x * 3 + 2),
                ),
                (None, _) => {
                    let k = 255 - sample(row, x * 4 + 3) as u16;
                    let c = |i| ((255 - sample(row, x * 4 + i) as u16) * k / 255) as u8;
                    luma(c(0), c(1), c(2))
                }
            };
            pixels.push(v);
        }
    }
    // Samples map to grey directly (an image mask paints black where the
    // sample is 0, which is the same mapping); a Decode of [1 0] flips it.
    if inverted {
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(Raster {
        width: w as u32,
        height: h as u32,
        pixels,
    })
}

/// Components per pixel and, for an indexed space, a grey palette.
fn color_space(doc: &Document, d: &Dictionary) -> Result<(usize, Option<Vec<u8>>), ErrorKind> {
    let cs = match d.get(b"ColorSpace") {
        Ok(o) => {
            doc.dereference(o)
                .map_err(|e| ErrorKind::Pdf(e.to_string()))?
                .1
        }
        Err(_) => return Ok((1, None)),
    };
    base_space(doc, cs, 0)
}

fn base_space(
    doc: &Document,
    cs: &Object,
    depth: u8,
) -> Result<(usize, Option<Vec<u8>>), ErrorKind> {
    if depth > 4 {
        return Err(ErrorKind::Pdf("colour space nests too deep".into()));
    }
    let deref = |o: &Object| {
        doc.dereference(o)
            .map(|x| x.1.clone())
            .unwrap_or(Object::Null)
    };
    match cs {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Ok((1, None)),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok((3, None)),
            b"DeviceCMYK" | b"CMYK" => Ok((4, None)),
            other => Err(ErrorKind::Unsupported(format!(
                "colour space {}",
                String::from_utf8_lossy(other)
            ))),
        },
        Object::Array(a) => match a.first().and_then(|o| o.as_name().ok()) {
            Some(b"ICCBased") => {
                let n = a
                    .get(1)
                    .map(deref)
                    .and_then(|o| {
                        o.as_stream()
                            .ok()
                            .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok())
                    })
                    .unwrap_or(3);
                Ok((n.clamp(1, 4) as usize, None))
            }
            Some(b"Indexed") | Some(b"I") => {
                let base = a.get(1).map(deref).unwrap_or(Object::Null);
                let (bc, _) = base_space(doc, &base, depth + 1)?;
                let lookup = match a.get(3).map(deref) {
                    Some(Object::String(s, _)) => s,
                    Some(Object::Stream(s)) => s
                        .decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                    _ => {
                        return Err(ErrorKind::Pdf(
                            "indexed colour space without a lookup table".into(),
                        ))
                    }
                };
                let palette = lookup
                    .chunks(bc)
                    .map(|c| match c.len() {
                        1 => c[0],
                        3 => luma(c[0], c[1], c[2]),
                        4 => 255 - c[3].max(c[0].max(c[1]).max(c[2])),
                        _ => 255,
                    })
                    .collect();
                Ok((1, Some(palette)))
            }
            Some(b"CalGray") => Ok((1, None)),
            Some(b"CalRGB") | Some(b"Lab") => Ok((3, None)),
            Some(other) => Err(ErrorKind::Unsupported(format!(
                "colour space {}",
                String::from_utf8_lossy(other)
            ))),
            None => Err(ErrorKind::Pdf("empty colour space".into())),
        },
        _ => Err(ErrorKind::Pdf("invalid colour space".into())),
    }
}

/// CCITT Group 3/4 fax data, as scanners write bitonal pages into PDFs.
fn decode_ccitt(
    doc: &Document,
    d: &Dictionary,
    data: &[u8],
    width: u32,
    height: u32,
) -> Result<Raster, ErrorKind> {
    let parms = decode_parms(doc, d);
    let p = |k: &[u8]| parms.and_then(|p| p.get(k).ok()).and_then(|o| num(doc, o));
    let k = p(b"K").unwrap_or(0.0) as i64;
    let columns = p(b"Columns").unwrap_or(1728.0) as u32;
    let rows = p(b"Rows").map(|r| r as u32).unwrap_or(height);
    let black_is_1 = parms
        .and_then(|p| p.get(b"BlackIs1").ok())
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false);
    if columns != width || columns > u16::MAX as u32 || rows > u16::MAX as u32 {
        return Err(ErrorKind::Image(format!(
            "fax columns {columns} do not match image width {width}"
        )));
    }
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    let mut push_line = |transitions: &[u16]| {
        if pixels.len() < width as usize * height as usize {
            pixels.extend(
                fax::decoder::pels(transitions, width as u16).map(|c| match c {
                    fax::Color::Black => 0u8,
                    fax::Color::White => 255u8,
                }),
            );
        }
    };
    let inverted = decode_inverted(doc, d);
    // The decoder labels runs black or white; the filter writes a black run
    // as 0 bits unless BlackIs1, and the colour space then reads a 1 bit as
    // white unless the Decode array flips it.
    let black: u8 = if black_is_1 != inverted { 255 } else { 0 };
    let ok = if k < 0 {
        fax::decoder::decode_g4(
            data.iter().copied(),
            width as u16,
            Some(rows as u16),
            &mut push_line,
        )
    } else if k == 0 {
        fax::decoder::decode_g3(data.iter().copied(), &mut push_line)
    } else {
        return Err(ErrorKind::Unsupported(
            "ccitt group 3 two-dimensional (K>0) fax".into(),
        ));
    };
    if ok.is_none() && pixels.is_empty() {
        return Err(ErrorKind::Image("ccitt fax data does not decode".into()));
    }
    let want = width as usize * height as usize;
    if pixels.len() < want {
        return Err(ErrorKind::Image(format!(
            "ccitt fax data is short: {} of {} rows",
            pixels.len() / width as usize,
            height
        )));
    }
    if black != 0 {
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(Raster {
        width,
        height,
        pixels,
    })
}
