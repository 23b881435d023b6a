//! Decoding of page image files (PNG, JPEG, TIFF incl. multi-page and CCITT
//! Group 4) into greyscale rasters, with size limits checked before any pixel
//! memory is allocated.

use crate::error::ErrorKind;
use crate::page::{PageImage, Raster};
use std::io::Cursor;

/// The longest side, in pixels, of a page we agree to decode. A 600 dpi A2
/// scan is about 14,000 pixels; anything claiming more is damaged or hostile.
pub const MAX_SIDE: u32 = 20_000;
/// The most pixels we agree to decode for one page (150 MB of greyscale).
pub const MAX_PIXELS: u64 = 150_000_000;

/// The container formats we recognise by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Tiff,
    Pdf,
}

/// Recognises a file's format from its first bytes, never from its name: a
/// text file named `.tif` must be refused, not misread.
pub fn sniff(bytes: &[u8]) -> Result<Format, ErrorKind> {
    if bytes.is_empty() {
        return Err(ErrorKind::Image("file is empty (0 bytes)".into()));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(Format::Jpeg)
    } else if bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"II+\0")
        || bytes.starts_with(b"MM\0+")
    {
        Ok(Format::Tiff)
    } else if bytes.starts_with(b"%PDF-")
        || bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        Ok(Format::Pdf)
    } else {
        let head = &bytes[..bytes.len().min(16)];
        let texty = head
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80);
        Err(ErrorKind::UnknownFormat(if texty {
            format!(
                "starts with {:?}, looks like text",
                String::from_utf8_lossy(head)
            )
        } else {
            format!("starts with bytes {head:02x?}")
        }))
    }
}

/// Refuses dimensions beyond the limits, before anything is allocated.
pub fn check_size(width: u64, height: u64) -> Result<(), ErrorKind> {
    if width == 0 || height == 0 {
        return Err(ErrorKind::Image(format!(
            "image has no pixels ({width}x{height})"
        )));
    }
    if width > MAX_SIDE as u64 || height > MAX_SIDE as u64 || width * height > MAX_PIXELS {
        return Err(ErrorKind::TooLarge {
            width,
            height,
            limit: MAX_SIDE,
            max_pixels: MAX_PIXELS,
        });
    }
    Ok(())
}

/// Number of frames (pages) in a TIFF file.
pub fn tiff_frame_count(bytes: &[u8]) -> Result<usize, ErrorKind> {
    let mut dec = tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(tiff_err)?;
    let mut n = 1;
    while dec.more_images() {
        dec.next_image().map_err(tiff_err)?;
        n += 1;
        // A chain of IFDs that points back on itself would never end; the
        // tiff crate guards against cycles, this bounds pathological lengths.
        if n > 100_000 {
            return Err(ErrorKind::Image(
                "more than 100000 frames in one tiff".into(),
            ));
        }
    }
    Ok(n)
}

/// Decodes frame `frame` (0-based) of an image file's bytes.
pub fn decode(bytes: &[u8], frame: usize) -> Result<PageImage, ErrorKind> {
    match sniff(bytes)? {
        Format::Png | Format::Jpeg if frame > 0 => Err(ErrorKind::Image(format!(
            "frame {} requested from a single-frame image",
            frame + 1
        ))),
        Format::Png => decode_with_image(bytes, image::ImageFormat::Png, png_dpi(bytes)),
        Format::Jpeg => decode_with_image(bytes, image::ImageFormat::Jpeg, jpeg_dpi(bytes)),
        Format::Tiff => decode_tiff(bytes, frame),
        Format::Pdf => Err(ErrorKind::UnknownFormat(
            "a pdf where a page image was expected".into(),
        )),
    }
}

/// Decodes an in-memory JPEG, as found in a PDF's DCTDecode stream.
pub fn decode_jpeg(bytes: &[u8]) -> Result<Raster, ErrorKind> {
    decode_with_image(bytes, image::ImageFormat::Jpeg, None).map(|p| p.raster)
}

fn decode_with_image(
    bytes: &[u8],
    format: image::ImageFormat,
    dpi: Option<f32>,
) -> Result<PageImage, ErrorKind> {
    let img_err = |e: image::ImageError| match e {
        image::ImageError::Limits(l) => ErrorKind::Image(format!("over the decoding limits: {l}")),
        other => ErrorKind::Image(other.to_string()),
    };
    // The header alone first, so an absurd size is refused by name before
    // any pixel memory is asked for. A PNG's size is in its first chunk,
    // which we read ourselves: the decoder wants more of the file first.
    if format == image::ImageFormat::Png && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
        check_size(w as u64, h as u64)?;
    }
    let (w, h) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(img_err)?;
    check_size(w as u64, h as u64)?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Room for an RGBA decode of the largest page we accept.
    limits.max_alloc = Some(MAX_PIXELS * 4 + (1 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(img_err)?;
    // A camera's JPEG is stored as the sensor lay and says in EXIF how to
    // turn it upright.
    let orientation = image::ImageDecoder::orientation(&mut decoder).ok();
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(img_err)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let gray = if img.color().has_alpha() {
        // Transparent pixels are paper, whatever colour they store.
        let rgba = img.into_luma_alpha16();
        let (w, h) = rgba.dimensions();
        let pixels = rgba
            .pixels()
            .map(|p| {
                let [l, a] = p.0;
                let (l, a) = (l as u32, a as u32);
                ((l * a + 65535 * (65535 - a)) / 65535 / 257) as u8
            })
            .collect();
        image::GrayImage::from_raw(w, h, pixels)
            .ok_or_else(|| ErrorKind::Image("alpha composite size mismatch".into()))?
    } else if img.color().has_color() {
        // Red seals stamped over the signature are faded out of the text
        // (see seal.rs); the kept page image is the file, seal included.
        let rgb = img.to_rgb8();
        let mut grey = img.into_luma8();
        let seals = super::seal::fade_seals(&rgb, &mut grey, &super::seal::SealParams::default());
        if !seals.is_empty() {
            tracing::debug!(?seals, "red seals faded");
        }
        grey
    } else {
        // 16-bit and palette images are reduced to 8-bit grey here.
        img.into_luma8()
    };
    Ok(PageImage {
        raster: Raster {
            width: gray.width(),
            height: gray.height(),
            pixels: gray.into_raw(),
        },
        dpi,
    })
}

fn tiff_err(e: tiff::TiffError) -> ErrorKind {
    match e {
        tiff::TiffError::UnsupportedError(u) => ErrorKind::Unsupported(u.to_string()),
        tiff::TiffError::LimitsExceeded => ErrorKind::Image("over the tiff decoding limits".into()),
        other => ErrorKind::Image(other.to_string()),
    }
}

fn decode_tiff(bytes: &[u8], frame: usize) -> Result<PageImage, ErrorKind> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    use tiff::tags::Tag;
    use tiff::ColorType;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    let mut dec = Decoder::new(Cursor::new(bytes))
        .map_err(tiff_err)?
        .with_limits(limits);
    if frame > 0 {
        dec.seek_to_image(frame).map_err(tiff_err)?;
    }
    let (w, h) = dec.dimensions().map_err(tiff_err)?;
    check_size(w as u64, h as u64)?;
    let color = dec.colortype().map_err(tiff_err)?;
    // 0 = WhiteIsZero, the usual photometric for bitonal fax-style scans.
    let white_is_zero = dec
        .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
        .map_err(tiff_err)?
        == Some(0);
    let dpi = tiff_dpi(&mut dec);
    let data = dec.read_image().map_err(tiff_err)?;
    let (w, h) = (w as usize, h as usize);
    let mut pixels = Vec::with_capacity(w * h);
    match (color, data) {
        (ColorType::Gray(1), DecodingResult::U8(buf)) => {
            let stride = w.div_ceil(8);
            if buf.len() < stride * h {
                return Err(ErrorKind::Image("bitonal image data is short".into()));
            }
            for y in 0..h {
                let row = &buf[y * stride..(y + 1) * stride];
                for x in 0..w {
                    let bit = (row[x / 8] >> (7 - (x % 8))) & 1;
                    pixels.push(if bit == 1 { 255 } else { 0 });
                }
            }
        }
        (ColorType::Gray(8), DecodingResult::U8(buf)) => {
            pixels.extend_from_slice(&buf[..(w * h).min(buf.len())])
        }
        (ColorType::Gray(16), DecodingResult::U16(buf)) => {
            pixels.extend(buf.iter().take(w * h).map(|v| (v >> 8) as u8))
        }
        (ColorType::GrayA(8), DecodingResult::U8(buf)) => {
            pixels.extend(buf.chunks_exact(2).take(w * h).map(|c| c[0]))
        }
        (ColorType::RGB(8), DecodingResult::U8(buf)) => pixels.extend(
            buf.chunks_exact(3)
                .take(w * h)
                .map(|c| luma(c[0], c[1], c[2])),
        ),
        (ColorType::RGBA(8), DecodingResult::U8(buf)) => pixels.extend(
            buf.chunks_exact(4)
                .take(w * h)
                .map(|c| luma(c[0], c[1], c[2])),
        ),
        (ColorType::RGB(16), DecodingResult::U16(buf)) => pixels.extend(
            buf.chunks_exact(3)
                .take(w * h)
                .map(|c| luma((c[0] >> 8) as u8, (c[1] >> 8) as u8, (c[2] >> 8) as u8)),
        ),
        (ColorType::CMYK(8), DecodingResult::U8(buf)) => {
            pixels.extend(buf.chunks_exact(4).take(w * h).map(|c| {
                let k = 255 - c[3] as u16;
                luma(
                    ((255 - c[0] as u16) * k / 255) as u8,
                    ((255 - c[1] as u16) * k / 255) as u8,
                    ((255 - c[2] as u16) * k / 255) as u8,
                )
            }))
        }
        (other, _) => {
            return Err(ErrorKind::Unsupported(format!(
                "tiff colour type {other:?}"
            )))
        }
    }
    if pixels.len() != w * h {
        return Err(ErrorKind::Image(format!(
            "image data is short: {} of {} pixels",
            pixels.len(),
            w * h
        )));
    }
    if white_is_zero {
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(PageImage {
        raster: Raster {
            width: w as u32,
            height: h as u32,
            pixels,
        },
        dpi,
    })
}

/// ITU-R BT.601 luma, as every scanner driver computes it.
#[inline]
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 299 + g as u32 * 587 + b as u32 * 114 + 500) / 1000) as u8
}

fn tiff_dpi<R: std::io::Read + std::io::Seek>(dec: &mut tiff::decoder::Decoder<R>) -> Option<f32> {
    use tiff::decoder::ifd::Value;
    use tiff::tags::Tag;
    let x = match dec.find_tag(Tag::XResolution).ok()?? {
        Value::Rational(n, d) if d != 0 => n as f32 / d as f32,
        Value::Float(f) => f,
        Value::Unsigned(u) => u as f32,
        _ => return None,
    };
    let unit = dec
        .find_tag_unsigned::<u16>(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .unwrap_or(2);
    let dpi = match unit {
        3 => x * 2.54,
        1 => return None,
        _ => x,
    };
    plausible_dpi(dpi)
}

/// Resolution from a PNG's pHYs chunk (pixels per metre).
fn png_dpi(bytes: &[u8]) -> Option<f32> {
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().ok()?) as usize;
        let kind = &bytes[i + 4..i + 8];
        if kind == b"IDAT" {
            return None;
        }
        if kind == b"pHYs" && len >= 9 && i + 8 + 9 <= bytes.len() {
            let d = &bytes[i + 8..i + 17];
            let ppu = u32::from_be_bytes(d[0..4].try_into().ok()?);
            return if d[8] == 1 {
                plausible_dpi(ppu as f32 * 0.0254)
            } else {
                None
            };
        }
        i = i.checked_add(12 + len)?;
    }
    None
}

/// Resolution from a JPEG's JFIF APP0 segment.
fn jpeg_dpi(bytes: &[u8]) -> Option<f32> {
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if marker == 0xE0 && bytes.get(i + 4..i + 9) == Some(b"JFIF\0") {
            let d = bytes.get(i + 11..i + 16)?;
            let unit = d[0];
            let x = u16::from_be_bytes([d[1], d[2]]) as f32;
            return match unit {
                1 => plausible_dpi(x),
                2 => plausible_dpi(x * 2.54),
                _ => None,
            };
        }
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    None
}

/// Metadata sometimes says 1 or 72 dpi by default; only believe values a
/// scanner could have produced.
fn plausible_dpi(dpi: f32) -> Option<f32> {
    (dpi.is_finite() && (50.0..=2400.0).contains(&dpi)).then_some(dpi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_refuses_text_and_empty_files() {
        assert!(matches!(sniff(b""), Err(ErrorKind::Image(m)) if m.contains("empty")));
        assert!(
            matches!(sniff(b"hello, this is text"), Err(ErrorKind::UnknownFormat(m)) if m.contains("text"))
        );
        assert_eq!(sniff(b"II*\0rest").ok(), Some(Format::Tiff));
        assert_eq!(sniff(b"%PDF-1.4").ok(), Some(Format::Pdf));
    }

    #[test]
    fn size_limits() {
        assert!(check_size(2480, 3508).is_ok());
        assert!(matches!(
            check_size(100_000, 100_000),
            Err(ErrorKind::TooLarge { .. })
        ));
        assert!(check_size(0, 10).is_err());
    }

    #[test]
    fn only_plausible_resolutions_are_believed() {
        assert_eq!(plausible_dpi(300.0), Some(300.0));
        assert_eq!(plausible_dpi(1.0), None);
    }
}
