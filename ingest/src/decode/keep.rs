//! Keeping page images for serving: the original bytes where the format
//! serves on the web (PNG, JPEG, a PDF's plain JPEG scan), otherwise a
//! lossless PNG of the decoded page (1-bit for bilevel scans such as CCITT
//! G4, 8-bit grey otherwise); born-digital PDF pages are rendered with
//! poppler's `pdftoppm` at [`RENDER_DPI`].

use crate::error::ErrorKind;
use crate::page::{KeptImage, Raster, TextOrigin};
use crate::pdf;
use crate::raster::{self, Format};
use crate::source::{PageRef, PageTask};
use std::process::Command;

/// Resolution born-digital pages are rendered at for viewing.
pub const RENDER_DPI: u32 = 150;

/// The image to keep for the page `task`, whose text came from `origin`.
pub fn keep_image(task: &PageTask, origin: TextOrigin) -> Result<KeptImage, ErrorKind> {
    match &task.what {
        PageRef::Frame(frame) => {
            let bytes = std::fs::read(&task.file)?;
            let format = raster::sniff(&bytes)?;
            match format {
                Format::Png | Format::Jpeg if *frame == 0 => {
                    let (fmt, name) = if format == Format::Png {
                        (image::ImageFormat::Png, "png")
                    } else {
                        (image::ImageFormat::Jpeg, "jpeg")
                    };
                    let (width, height) =
                        image::ImageReader::with_format(std::io::Cursor::new(&bytes), fmt)
                            .into_dimensions()
                            .map_err(|e| ErrorKind::Image(e.to_string()))?;
                    Ok(KeptImage {
                        format: name,
                        width,
                        height,
                        bytes,
                    })
                }
                _ => png(&raster::decode(&bytes, *frame)?.raster),
            }
        }
        PageRef::Pdf(file, index) => {
            let id = file.pages[*index];
            if origin == TextOrigin::TextLayer {
                return render_pdf_page(&task.file, *index + 1);
            }
            if let Some(bytes) = pdf::page_jpeg(&file.doc, id) {
                if let Ok(r) = raster::decode_jpeg(&bytes) {
                    return Ok(KeptImage {
                        format: "jpeg",
                        width: r.width,
                        height: r.height,
                        bytes,
                    });
                }
            }
            match pdf::page_image(&file.doc, id)? {
                Some(img) => png(&img.raster),
                None => render_pdf_page(&task.file, *index + 1),
            }
        }
    }
}

/// Encodes a grey raster as PNG, packing pure black-and-white pages to one
/// bit per pixel (an eighth of the pixels to compress).
pub fn png(r: &Raster) -> Result<KeptImage, ErrorKind> {
    let bilevel = r.pixels.iter().all(|&p| p == 0 || p == 255);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, r.width, r.height);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_compression(png::Compression::Fast);
        let data: Vec<u8> = if bilevel {
            enc.set_depth(png::BitDepth::One);
            let row_bytes = r.width.div_ceil(8) as usize;
            let mut packed = vec![0u8; row_bytes * r.height as usize];
            for (y, row) in r.pixels.chunks(r.width as usize).enumerate() {
                for (x, &p) in row.iter().enumerate() {
                    if p == 255 {
                        packed[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
                    }
                }
            }
            packed
        } else {
            enc.set_depth(png::BitDepth::Eight);
            r.pixels.clone()
        };
        let err = |e: png::EncodingError| ErrorKind::Keep(e.to_string());
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(&data).map_err(err)?;
        w.finish().map_err(err)?;
    }
    Ok(KeptImage {
        format: "png",
        width: r.width,
        height: r.height,
        bytes: out,
    })
}

/// Renders one page (1-based) of a PDF to a grey PNG with `pdftoppm`.
fn render_pdf_page(path: &std::path::Path, page: usize) -> Result<KeptImage, ErrorKind> {
    let out = Command::new("pdftoppm")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .args(["-r", &RENDER_DPI.to_string(), "-gray"])
        .arg(path)
        .output()
        .map_err(|e| {
            ErrorKind::Keep(format!(
                "cannot run pdftoppm (install poppler-utils) to render the page: {e}"
            ))
        })?;
    if !out.status.success() {
        return Err(ErrorKind::Keep(format!(
            "pdftoppm failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    png(&parse_pgm(&out.stdout)?)
}

/// Reads a binary 8-bit PGM (P5), what `pdftoppm -gray` writes.
fn parse_pgm(b: &[u8]) -> Result<Raster, ErrorKind> {
    let bad = || ErrorKind::Keep("pdftoppm wrote no readable image".into());
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'#') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i {
            return Err(bad());
        }
        fields.push(std::str::from_utf8(&b[start..i]).map_err(|_| bad())?);
    }
    let (w, h, max): (u32, u32, u32) = (
        fields[1].parse().map_err(|_| bad())?,
        fields[2].parse().map_err(|_| bad())?,
        fields[3].parse().map_err(|_| bad())?,
    );
    if fields[0] != "P5" || max != 255 {
        return Err(bad());
    }
    raster::check_size(w as u64, h as u64)?;
    let data = b.get(i + 1..i + 1 + (w * h) as usize).ok_or_else(bad)?;
    Ok(Raster {
        width: w,
        height: h,
        pixels: data.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilevel_pages_pack_to_one_bit_and_round_trip() {
        let mut r = Raster::blank(13, 3);
        r.pixels[0] = 0;
        r.pixels[14] = 0;
        for p in r.pixels.iter_mut().skip(20) {
            *p = 0;
        }
        let k = png(&r).unwrap();
        let back = image::load_from_memory(&k.bytes).unwrap().to_luma8();
        assert_eq!(back.as_raw(), &r.pixels);
        r.pixels[1] = 128;
        let back = image::load_from_memory(&png(&r).unwrap().bytes)
            .unwrap()
            .to_luma8();
        assert_eq!(back.as_raw(), &r.pixels);
    }

    #[test]
    fn pgm_headers() {
        let mut b = b"P5\n# c\n2 2\n255\n".to_vec();
        b.extend([1, 2, 3, 4]);
        let r = parse_pgm(&b).unwrap();
        assert_eq!((r.width, r.height, r.pixels), (2, 2, vec![1, 2, 3, 4]));
        assert!(parse_pgm(b"P5\n2 2\n255\n\x01").is_err());
        assert!(parse_pgm(b"P6\n1 1\n255\n\x01\x02\x03").is_err());
    }
}
