//! Page images over the IIIF Image API 3.0 at compliance level 1 (regions
//! full/square/x,y,w,h; sizes max, w,, ,h, w,h, also !w,h and pct:n, ^ for
//! upscaling; rotation 0; qualities default and gray; jpg and png), so
//! IIIF viewers show our pages. An identifier is a page id or the name of a
//! single-page scan file it was ingested from.
//!
//! Caching: decoded page images (by content hash, 8 pages) and rendered
//! responses (by request, 512 of them) are kept in memory, LRU.

use super::{base_url, blocking, not_modified, ApiResult, AppError, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use image::DynamicImage;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/iiif/{id}", get(base))
        .route("/iiif/{id}/info.json", get(info))
        .route(
            "/iiif/{id}/{region}/{size}/{rotation}/{file}",
            get(image_request),
        )
}

/// Largest side a request may produce (with ^), and largest area.
const MAX_SIDE: u32 = 10_000;
const MAX_AREA: u64 = 50_000_000;

/// The stored image of the page named `id`.
async fn resolve(s: &AppState, id: &str) -> ApiResult<archive::ImageRef> {
    if id.len() > 128
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(AppError::not_found(format!("no image {id:?}")));
    }
    let a = s.archive.clone();
    let id = id.to_string();
    blocking(move || {
        let pid = match id.parse::<archive::PageId>() {
            Ok(p) => Some(p),
            Err(_) => a.page_named(&id)?,
        };
        let page = match pid {
            Some(p) => a.page(&p, None)?,
            None => None,
        };
        page.and_then(|p| p.image)
            .ok_or_else(|| AppError::not_found(format!("no image {id:?}")))
    })
    .await
}

fn cors(r: &mut Response) {
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
}

async fn base(Path(id): Path<String>) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(&format!(
        "/iiif/{}/info.json",
        percent_encoding::utf8_percent_encode(&id, percent_encoding::NON_ALPHANUMERIC)
    )) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    cors(&mut r);
    r
}

async fn info(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (w, h) = resolve(&s, &id).await?.page_size();
    let body = serde_json::json!({
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": format!("{}/iiif/{}", base_url(&headers), id),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level1",
        "width": w,
        "height": h,
        "maxArea": MAX_AREA,
        "extraFormats": ["png"],
        "extraQualities": ["gray"],
        "extraFeatures": ["sizeByConfinedWh", "sizeByPct", "sizeUpscaling"],
    });
    let mut r = super::linked::ld(&headers, "http://iiif.io/api/image/3/context.json", &body);
    r.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static("<http://iiif.io/api/image/3/level1.json>;rel=\"profile\""),
    );
    // An image's size does not change: cached longer than a manifest.
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(r)
}

/// A parsed image request.
#[derive(Debug, PartialEq)]
struct Request {
    region: (u32, u32, u32, u32),
    size: (u32, u32),
    gray: bool,
    png: bool,
}

fn bad(what: &str, v: &str) -> AppError {
    AppError::bad(format!("{what}: {v:?} is not supported"))
}

fn parse(
    region: &str,
    size: &str,
    rotation: &str,
    file: &str,
    w: u32,
    h: u32,
) -> Result<Request, AppError> {
    let region = match region {
        "full" => (0, 0, w, h),
        "square" => {
            let s = w.min(h);
            ((w - s) / 2, (h - s) / 2, s, s)
        }
        r => {
            let (nums, pct) = match r.strip_prefix("pct:") {
                Some(rest) => (rest, true),
                None => (r, false),
            };
            let v: Vec<f64> = nums
                .split(',')
                .map(|n| n.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0))
                .collect::<Option<_>>()
                .filter(|v: &Vec<f64>| v.len() == 4)
                .ok_or_else(|| bad("region", r))?;
            let (x, y, rw, rh) = if pct {
                (
                    v[0] * w as f64 / 100.0,
                    v[1] * h as f64 / 100.0,
                    v[2] * w as f64 / 100.0,
                    v[3] * h as f64 / 100.0,
                )
            } else {
                if v.iter().any(|x| x.fract() != 0.0) {
                    return Err(bad("region", r));
                }
                (v[0], v[1], v[2], v[3])
            };
            let (x, y) = (x.round() as u64, y.round() as u64);
            let (rw, rh) = (rw.round() as u64, rh.round() as u64);
            if rw == 0 || rh == 0 || x >= w as u64 || y >= h as u64 {
                return Err(AppError::bad(format!(
                    "region: {r:?} lies outside the {w}x{h} image"
                )));
            }
            let rw = rw.min(w as u64 - x);
            let rh = rh.min(h as u64 - y);
            (x as u32, y as u32, rw as u32, rh as u32)
        }
    };
    let (rw, rh) = (region.2 as f64, region.3 as f64);
    let (up, s) = match size.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, size),
    };
    let num = |t: &str| t.parse::<u32>().ok().filter(|n| *n > 0);
    let (sw, sh) = if s == "max" {
        (region.2, region.3)
    } else if let Some(p) = s.strip_prefix("pct:") {
        let p: f64 = p
            .parse()
            .ok()
            .filter(|p: &f64| *p > 0.0 && p.is_finite())
            .ok_or_else(|| bad("size", size))?;
        (
            (rw * p / 100.0).round() as u32,
            (rh * p / 100.0).round() as u32,
        )
    } else if let Some(wh) = s.strip_prefix('!') {
        let (a, b) = wh.split_once(',').ok_or_else(|| bad("size", size))?;
        let (a, b) = (
            num(a).ok_or_else(|| bad("size", size))?,
            num(b).ok_or_else(|| bad("size", size))?,
        );
        let scale = (a as f64 / rw).min(b as f64 / rh);
        ((rw * scale).round() as u32, (rh * scale).round() as u32)
    } else {
        let (a, b) = s.split_once(',').ok_or_else(|| bad("size", size))?;
        match (a.is_empty(), b.is_empty()) {
            (false, true) => {
                let a = num(a).ok_or_else(|| bad("size", size))?;
                (a, (rh * a as f64 / rw).round() as u32)
            }
            (true, false) => {
                let b = num(b).ok_or_else(|| bad("size", size))?;
                ((rw * b as f64 / rh).round() as u32, b)
            }
            (false, false) => (
                num(a).ok_or_else(|| bad("size", size))?,
                num(b).ok_or_else(|| bad("size", size))?,
            ),
            (true, true) => return Err(bad("size", size)),
        }
    };
    if sw == 0 || sh == 0 {
        return Err(AppError::bad(format!(
            "size: {size:?} gives an empty image"
        )));
    }
    if !up && (sw > region.2 || sh > region.3) {
        return Err(AppError::bad(format!(
            "size: {size:?} is larger than the {}x{} region; prefix it with ^ to upscale",
            region.2, region.3
        )));
    }
    if sw > MAX_SIDE || sh > MAX_SIDE || sw as u64 * sh as u64 > MAX_AREA {
        return Err(AppError::bad(format!(
            "size: {size:?} exceeds the limit of {MAX_SIDE} pixels a side"
        )));
    }
    if rotation != "0" {
        return Err(bad("rotation", rotation));
    }
    let (quality, format) = file
        .rsplit_once('.')
        .ok_or_else(|| bad("quality.format", file))?;
    let gray = match quality {
        "default" | "color" => false,
        "gray" => true,
        q => return Err(bad("quality", q)),
    };
    let png = match format {
        "jpg" => false,
        "png" => true,
        f => return Err(bad("format", f)),
    };
    Ok(Request {
        region,
        size: (sw, sh),
        gray,
        png,
    })
}

fn decoded(s: &AppState, sha: &str) -> ApiResult<Arc<DynamicImage>> {
    if let Some(img) = s.decoded.lock().unwrap_or_else(|p| p.into_inner()).get(sha) {
        return Ok(img.clone());
    }
    let bytes = s
        .archive
        .image(sha)?
        .ok_or_else(|| AppError::not_found("page image missing from the store"))?;
    let img = image::load_from_memory(&bytes).map_err(|e| {
        tracing::error!("stored image {sha}: {e}");
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "stored image unreadable".into(),
        }
    })?;
    let img = Arc::new(img);
    s.decoded
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .put(sha.to_string(), img.clone());
    Ok(img)
}

fn render(img: &DynamicImage, r: &Request) -> Result<Vec<u8>, image::ImageError> {
    let (x, y, w, h) = r.region;
    let mut out = if (x, y, w, h) == (0, 0, img.width(), img.height()) {
        img.clone()
    } else {
        img.crop_imm(x, y, w, h)
    };
    if (out.width(), out.height()) != r.size {
        out = if r.size.0 <= out.width() && r.size.1 <= out.height() {
            // Shrinking: area averaging, several times faster than a
            // filtered resize and as good for text at these ratios.
            out.thumbnail_exact(r.size.0, r.size.1)
        } else {
            out.resize_exact(r.size.0, r.size.1, image::imageops::FilterType::Triangle)
        };
    }
    if r.gray {
        out = DynamicImage::ImageLuma8(out.to_luma8());
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    if r.png {
        out.write_to(&mut buf, image::ImageFormat::Png)?;
    } else {
        // JPEG carries no alpha: flatten to grey or RGB. jpeg-encoder is
        // several times faster than image's own encoder (SIMD).
        let (data, kind) = match &out {
            DynamicImage::ImageLuma8(g) => (g.as_raw().clone(), jpeg_encoder::ColorType::Luma),
            DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_) => {
                (out.to_luma8().into_raw(), jpeg_encoder::ColorType::Luma)
            }
            _ => (out.to_rgb8().into_raw(), jpeg_encoder::ColorType::Rgb),
        };
        let (w, h) = (r.size.0 as u16, r.size.1 as u16);
        jpeg_encoder::Encoder::new(buf.get_mut(), 85)
            .encode(&data, w, h, kind)
            .map_err(|e| image::ImageError::IoError(std::io::Error::other(e.to_string())))?;
    }
    Ok(buf.into_inner())
}

async fn image_request(
    State(s): State<AppState>,
    Path((id, region, size, rotation, file)): Path<(String, String, String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let stored = resolve(&s, &id).await?;
    let (w, h) = stored.page_size();
    let mut req = parse(&region, &size, &rotation, &file, w, h)?;
    // A page that is part of its image (half a book spread): the request,
    // in the page's pixels, is moved onto the image's, and the caches know
    // the part by name.
    let (sha, part) = match stored.region {
        Some([x, y, pw, ph]) => {
            req.region.0 += x;
            req.region.1 += y;
            let part = format!("{}@{x},{y},{pw},{ph}", stored.sha256);
            (stored.sha256, part)
        }
        None => (stored.sha256.clone(), stored.sha256),
    };
    let etag = format!("{part}-{region}-{size}-{rotation}-{file}");
    if let Some(r) = not_modified(&headers, &etag) {
        return Ok(r);
    }
    let key = format!("{part}/{region}/{size}/{rotation}/{file}");
    let ctype = if req.png { "image/png" } else { "image/jpeg" };
    let cached = s
        .tiles
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    let bytes = match cached {
        Some((b, _)) => b,
        None => {
            let st = s.clone();
            let k = key.clone();
            s.tile_flights
                .run(&key, || async move {
                    blocking(move || {
                        let img = decoded(&st, &sha)?;
                        let b = render(&img, &req).map(bytes::Bytes::from).map_err(|e| {
                            tracing::error!("rendering {k}: {e}");
                            AppError {
                                status: StatusCode::INTERNAL_SERVER_ERROR,
                                message: "cannot render the image".into(),
                            }
                        })?;
                        st.tiles
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .put(k, (b.clone(), ctype));
                        Ok(b)
                    })
                    .await
                })
                .await?
        }
    };
    let mut r = ([(header::CONTENT_TYPE, ctype)], bytes).into_response();
    r.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static("<http://iiif.io/api/image/3/level1.json>;rel=\"profile\""),
    );
    let mut r = super::cached(r, &etag, false);
    // A page id names the current scan of the page, which a re-ingest of a
    // changed source can replace: a day, revalidated by ETag.
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    cors(&mut r);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_limits_hold() {
        let r = parse("full", "max", "0", "default.jpg", 1000, 2000).unwrap();
        assert_eq!(
            (r.region, r.size, r.gray, r.png),
            ((0, 0, 1000, 2000), (1000, 2000), false, false)
        );
        assert_eq!(
            parse("square", "100,", "0", "gray.png", 1000, 2000)
                .unwrap()
                .region,
            (0, 500, 1000, 1000)
        );
        assert_eq!(
            parse("10,20,500,5000", ",300", "0", "default.jpg", 1000, 2000)
                .unwrap()
                .region,
            (10, 20, 500, 1980)
        );
        assert_eq!(
            parse("full", "!100,100", "0", "default.jpg", 1000, 2000)
                .unwrap()
                .size,
            (50, 100)
        );
        assert_eq!(
            parse("full", "pct:10", "0", "default.jpg", 1000, 2000)
                .unwrap()
                .size,
            (100, 200)
        );
        assert_eq!(
            parse("full", "^2000,", "0", "default.jpg", 1000, 2000)
                .unwrap()
                .size,
            (2000, 4000)
        );
        for (region, size, rot, file) in [
            ("full", "2000,", "0", "default.jpg"),
            ("full", "full", "0", "default.jpg"),
            ("full", "0,", "0", "default.jpg"),
            ("full", ",", "0", "default.jpg"),
            ("2000,0,10,10", "max", "0", "default.jpg"),
            ("0,0,0,10", "max", "0", "default.jpg"),
            ("a,b,c,d", "max", "0", "default.jpg"),
            ("full", "max", "90", "default.jpg"),
            ("full", "max", "0", "bitonal.jpg"),
            ("full", "max", "0", "default.gif"),
            ("full", "^100000,", "0", "default.jpg"),
        ] {
            let e = parse(region, size, rot, file, 1000, 2000).unwrap_err();
            assert_eq!(
                e.status,
                StatusCode::BAD_REQUEST,
                "{region} {size} {rot} {file}"
            );
        }
    }
}
