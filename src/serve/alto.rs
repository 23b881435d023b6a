//! A page's OCR as ALTO 4.4 XML: one TextLine per line, holding one String
//! with the line's text (Chinese print has no spaces to cut words at), its
//! box in the page's pixels and its word confidence (0–1).

use super::{blocking, ApiResult, AppError, AppState};
use crate::xml::esc;
use archive::{Page, PageId};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// The layout tag of lines set in vertical columns.
const VERTICAL_TAG: &str = "vertical-rl";

/// Renders a page as an ALTO 4.4 document.
pub fn render(id: &PageId, p: &Page) -> String {
    let mut x = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd\">\n\
<Description>\n<MeasurementUnit>pixel</MeasurementUnit>\n\
<sourceImageInformation><fileName>{}</fileName></sourceImageInformation>\n\
<Processing ID=\"proc1\"><processingCategory>contentGeneration</processingCategory>\
<processingStepSettings>{}</processingStepSettings>\
<processingSoftware><softwareName>{}</softwareName></processingSoftware></Processing>\n\
</Description>\n",
        esc(&p.provenance.source),
        esc(&p.provenance.traineddata),
        esc(&format!("gazette {} / {}", env!("CARGO_PKG_VERSION"), p.provenance.engine)),
    );
    // ALTO has no writing direction: a page's columns (lines set top to
    // bottom, right to left) carry a layout tag saying so, in CSS's term.
    let vertical = p.lines.iter().any(|l| l.vertical);
    if vertical {
        let _ = writeln!(
            x,
            "<Tags><LayoutTag ID=\"{VERTICAL_TAG}\" LABEL=\"vertical-rl\" DESCRIPTION=\"set in a \
vertical column, top to bottom; columns read right to left (CSS writing-mode vertical-rl); the \
box is the column's; punctuation in its vertical forms, as printed (︒ for 。)\"/></Tags>"
        );
    }
    x.push_str("<Layout>\n");
    // ALTO's page confidence: the page's quality, when its lines are
    // calibrated.
    let pc = gazette_model::page_quality(&p.lines)
        .map(|q| format!(" PC=\"{q:.3}\""))
        .unwrap_or_default();
    let _ = writeln!(
        x,
        "<Page ID=\"{id}\" PHYSICAL_IMG_NR=\"{}\" PRINTED_IMG_NR=\"{}\" WIDTH=\"{}\" HEIGHT=\"{}\"{pc}>",
        id.page, p.printed, p.width, p.height
    );
    let _ = writeln!(
        x,
        "<PrintSpace ID=\"{id}-ps\" HPOS=\"0\" VPOS=\"0\" WIDTH=\"{}\" HEIGHT=\"{}\">",
        p.width, p.height
    );
    if !p.lines.is_empty() {
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for l in &p.lines {
            x0 = x0.min(l.bbox.x0());
            y0 = y0.min(l.bbox.y0());
            x1 = x1.max(l.bbox.x1());
            y1 = y1.max(l.bbox.y1());
        }
        let _ = writeln!(
            x,
            "<TextBlock ID=\"{id}-b1\" HPOS=\"{x0}\" VPOS=\"{y0}\" WIDTH=\"{}\" HEIGHT=\"{}\">",
            x1 - x0,
            y1 - y0
        );
        for (i, l) in p.lines.iter().enumerate() {
            let [a, b, c, d] = l.bbox.0;
            let (w, h) = (c.saturating_sub(a), d.saturating_sub(b));
            // ALTO's WC and our confidence share the 0–1 scale; the
            // calibrated figure, where there is one, means the same for
            // every recogniser.
            let wc = l.calibrated.unwrap_or(l.confidence).get();
            // A column's punctuation as printed: in its vertical forms
            // (the standard text has the horizontal ones).
            let content: String = if l.vertical {
                l.text
                    .chars()
                    .map(gazette_model::script::vertical_form)
                    .collect()
            } else {
                l.text.clone()
            };
            let tag = if l.vertical {
                format!(" TAGREFS=\"{VERTICAL_TAG}\"")
            } else {
                String::new()
            };
            let _ = writeln!(
                x,
                "<TextLine ID=\"{id}-l{n}\"{tag} HPOS=\"{a}\" VPOS=\"{b}\" WIDTH=\"{w}\" HEIGHT=\"{h}\">\
<String ID=\"{id}-s{n}\" CONTENT=\"{}\" HPOS=\"{a}\" VPOS=\"{b}\" WIDTH=\"{w}\" HEIGHT=\"{h}\" WC=\"{wc:.2}\"/></TextLine>",
                esc(&content),
                n = i + 1
            );
        }
        x.push_str("</TextBlock>\n");
    }
    x.push_str("</PrintSpace>\n</Page>\n</Layout>\n</alto>\n");
    x
}

pub fn parse_page_id(id: &str) -> Result<PageId, AppError> {
    id.parse().map_err(|_| {
        AppError::bad(format!(
            "id: {id:?} is not a page id such as yn-2017-05-p03"
        ))
    })
}

pub async fn alto(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_page_id(&id)?;
    let a = s.archive.clone();
    let (id, page) = blocking(move || {
        let p = a
            .page(&id, None)?
            .ok_or_else(|| AppError::not_found(format!("no page {id}")))?;
        Ok((id, p))
    })
    .await?;
    let mut r = render(&id, &page).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    Ok(r)
}
