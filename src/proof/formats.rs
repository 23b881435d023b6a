//! The two files proofreading tools exchange: PAGE XML (the 2019-07-15
//! schema, Transkribus' and eScriptorium's) and ALTO 4. Written with one
//! region per paragraph on a page and one line per printed line, each
//! line's ID naming the document version, paragraph and line it is, so
//! the corrected file comes back to its place; read back to (ID, box,
//! text) whatever tool wrote it.

use crate::xml::esc;
use archive::BBox;
use std::fmt::Write;

const PAGE_NS: &str = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15";
const ALTO_NS: &str = "http://www.loc.gov/standards/alto/ns-v4#";

/// A line to check: its ID, where it is printed, the text the archive
/// holds for it, and how sure the reader was (absent when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct ProofLine {
    pub id: String,
    pub bbox: BBox,
    pub text: String,
    pub confidence: Option<f32>,
}

/// One paragraph's lines on one page.
#[derive(Clone, Debug, PartialEq)]
pub struct ProofRegion {
    pub id: String,
    pub lines: Vec<ProofLine>,
}

/// A page image and the lines to check on it, in the image's pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct ProofPage {
    /// The image file's name, beside the XML (PAGE) or one folder up.
    pub image: String,
    pub width: u32,
    pub height: u32,
    pub regions: Vec<ProofRegion>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Page,
    Alto,
}

fn union(lines: &[ProofLine]) -> BBox {
    let mut b = lines.first().map(|l| l.bbox).unwrap_or_default();
    for l in lines {
        b = b.union(&l.bbox);
    }
    b
}

fn points(b: &BBox) -> String {
    let [x0, y0, x1, y1] = b.0;
    format!("{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")
}

/// A page as PAGE XML (2019-07-15).
pub fn write_page(p: &ProofPage, created: &str) -> String {
    let mut x = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<PcGts xmlns=\"{PAGE_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"{PAGE_NS} {PAGE_NS}/pagecontent.xsd\">\n\
<Metadata><Creator>gazette {}</Creator><Created>{created}</Created>\
<LastChange>{created}</LastChange></Metadata>\n\
<Page imageFilename=\"{}\" imageWidth=\"{}\" imageHeight=\"{}\">",
        env!("CARGO_PKG_VERSION"),
        esc(&p.image),
        p.width,
        p.height
    );
    for r in &p.regions {
        let _ = writeln!(
            x,
            "<TextRegion id=\"{}\" type=\"paragraph\"><Coords points=\"{}\"/>",
            esc(&r.id),
            points(&union(&r.lines))
        );
        for l in &r.lines {
            let conf = l
                .confidence
                .map(|c| format!(" conf=\"{:.3}\"", c.clamp(0.0, 1.0)))
                .unwrap_or_default();
            let _ = writeln!(
                x,
                "<TextLine id=\"{}\"><Coords points=\"{}\"/><TextEquiv{conf}><Unicode>{}</Unicode></TextEquiv></TextLine>",
                esc(&l.id),
                points(&l.bbox),
                esc(&l.text)
            );
        }
        x.push_str("</TextRegion>\n");
    }
    x.push_str("</Page>\n</PcGts>\n");
    x
}

/// A page as ALTO 4.4: one TextBlock per region, one String per line
/// (Chinese print has no spaces to cut words at).
pub fn write_alto(p: &ProofPage) -> String {
    let mut x = String::new();
    let _ = writeln!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<alto xmlns=\"{ALTO_NS}\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd\">\n\
<Description><MeasurementUnit>pixel</MeasurementUnit>\
<sourceImageInformation><fileName>{}</fileName></sourceImageInformation></Description>\n\
<Layout><Page ID=\"page\" PHYSICAL_IMG_NR=\"1\" WIDTH=\"{}\" HEIGHT=\"{}\">\n\
<PrintSpace HPOS=\"0\" VPOS=\"0\" WIDTH=\"{}\" HEIGHT=\"{}\">",
        esc(&p.image),
        p.width,
        p.height,
        p.width,
        p.height
    );
    let hv = |b: &BBox| {
        format!(
            "HPOS=\"{}\" VPOS=\"{}\" WIDTH=\"{}\" HEIGHT=\"{}\"",
            b.x0(),
            b.y0(),
            b.width(),
            b.height()
        )
    };
    for r in &p.regions {
        let _ = writeln!(
            x,
            "<TextBlock ID=\"{}\" {}>",
            esc(&r.id),
            hv(&union(&r.lines))
        );
        for l in &r.lines {
            let wc = l
                .confidence
                .map(|c| format!(" WC=\"{:.3}\"", c.clamp(0.0, 1.0)))
                .unwrap_or_default();
            let _ = writeln!(
                x,
                "<TextLine ID=\"{}\" {}><String ID=\"{}_s\" CONTENT=\"{}\" {}{wc}/></TextLine>",
                esc(&l.id),
                hv(&l.bbox),
                esc(&l.id),
                esc(&l.text),
                hv(&l.bbox)
            );
        }
        x.push_str("</TextBlock>\n");
    }
    x.push_str("</PrintSpace>\n</Page></Layout>\n</alto>\n");
    x
}

/// A line as a proofreading file gives it back.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadLine {
    pub id: String,
    pub bbox: Option<BBox>,
    pub text: String,
}

/// The lines of a PAGE or ALTO file, with the format found. Errors name
/// what is wrong (the line, where it is one).
pub fn read(xml: &str) -> Result<(Format, Vec<ReadLine>), String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| format!("not XML: {e}"))?;
    let root = doc.root_element();
    match (root.tag_name().name(), root.tag_name().namespace()) {
        ("PcGts", Some(ns)) if ns.starts_with("http://schema.primaresearch.org/PAGE/gts/") => {
            read_page(root).map(|l| (Format::Page, l))
        }
        ("alto", Some(ns)) if ns.starts_with("http://www.loc.gov/standards/alto/") => {
            read_alto(root).map(|l| (Format::Alto, l))
        }
        (name, ns) => Err(format!(
            "neither PAGE XML nor ALTO (root element {name} in namespace {})",
            ns.unwrap_or("none")
        )),
    }
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn read_page(root: roxmltree::Node) -> Result<Vec<ReadLine>, String> {
    let mut out = Vec::new();
    for line in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "TextLine")
    {
        let id = line
            .attribute("id")
            .ok_or("a TextLine without an id")?
            .to_string();
        let bbox = child(line, "Coords")
            .and_then(|c| c.attribute("points"))
            .and_then(points_box);
        // The line's own reading: of several, the one with the lowest
        // index (PAGE's order of preference), else the first.
        let equivs: Vec<_> = line
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "TextEquiv")
            .collect();
        let best = equivs
            .iter()
            .min_by_key(|e| {
                e.attribute("index")
                    .and_then(|i| i.parse::<i64>().ok())
                    .unwrap_or(i64::MAX)
            })
            .ok_or_else(|| format!("line {id}: no TextEquiv with the line's text"))?;
        let text = child(*best, "Unicode")
            .map(|u| u.text().unwrap_or_default().to_string())
            .ok_or_else(|| format!("line {id}: its TextEquiv has no Unicode"))?;
        out.push(ReadLine { id, bbox, text });
    }
    Ok(out)
}

fn points_box(s: &str) -> Option<BBox> {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    let mut any = false;
    for p in s.split_whitespace() {
        let (x, y) = p.split_once(',')?;
        let (x, y) = (x.parse::<f64>().ok()?, y.parse::<f64>().ok()?);
        let (x, y) = (x.max(0.0).round() as u32, y.max(0.0).round() as u32);
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
        any = true;
    }
    any.then_some(BBox([x0, y0, x1, y1]))
}

fn read_alto(root: roxmltree::Node) -> Result<Vec<ReadLine>, String> {
    let num = |n: roxmltree::Node, a: &str| {
        n.attribute(a)
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| v.max(0.0).round() as u32)
    };
    let mut out = Vec::new();
    for line in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "TextLine")
    {
        let id = line
            .attribute("ID")
            .ok_or("a TextLine without an ID")?
            .to_string();
        let bbox = match (
            num(line, "HPOS"),
            num(line, "VPOS"),
            num(line, "WIDTH"),
            num(line, "HEIGHT"),
        ) {
            (Some(x), Some(y), Some(w), Some(h)) => Some(BBox([x, y, x + w, y + h])),
            _ => None,
        };
        // Strings in order; a space where the file marks one, a hyphen
        // where it marks one.
        let mut text = String::new();
        for c in line.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "String" => text.push_str(c.attribute("CONTENT").unwrap_or_default()),
                "SP" => text.push(' '),
                "HYP" => text.push_str(c.attribute("CONTENT").unwrap_or("-")),
                _ => {}
            }
        }
        out.push(ReadLine { id, bbox, text });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> ProofPage {
        ProofPage {
            image: "yn-2017-05-p01-v1.png".into(),
            width: 1000,
            height: 1400,
            regions: vec![ProofRegion {
                id: "r_yn-2017-05-01_v1_p1_1".into(),
                lines: vec![
                    ProofLine {
                        id: "l_yn-2017-05-01_v1_p1_a1".into(),
                        bbox: BBox([100, 200, 900, 240]),
                        text: "各州、市人民政府 <省直> & \"委\"".into(),
                        confidence: Some(0.62),
                    },
                    ProofLine {
                        id: "l_yn-2017-05-01_v1_p1_a2".into(),
                        bbox: BBox([100, 250, 500, 290]),
                        text: "现通知如下。".into(),
                        confidence: None,
                    },
                ],
            }],
        }
    }

    #[test]
    fn both_formats_read_back_what_they_wrote() {
        let p = page();
        for (xml, format) in [
            (write_page(&p, "2026-12-07T00:00:00Z"), Format::Page),
            (write_alto(&p), Format::Alto),
        ] {
            let (f, lines) = read(&xml).unwrap();
            assert_eq!(f, format);
            let want: Vec<ReadLine> = p.regions[0]
                .lines
                .iter()
                .map(|l| ReadLine {
                    id: l.id.clone(),
                    bbox: Some(l.bbox),
                    text: l.text.clone(),
                })
                .collect();
            assert_eq!(lines, want, "{xml}");
        }
    }

    #[test]
    fn other_files_are_refused_by_what_they_are() {
        assert!(read("<html/>")
            .unwrap_err()
            .contains("neither PAGE XML nor ALTO"));
        assert!(read("not xml").unwrap_err().contains("not XML"));
        let no_text = format!(
            "<PcGts xmlns=\"{PAGE_NS}\"><Page><TextRegion id=\"r\"><TextLine id=\"l_x\"><Coords points=\"0,0 1,1\"/></TextLine></TextRegion></Page></PcGts>"
        );
        assert!(read(&no_text).unwrap_err().contains("line l_x"));
        // PAGE's preferred reading is the lowest index.
        let two = format!(
            "<PcGts xmlns=\"{PAGE_NS}\"><Page><TextRegion id=\"r\"><TextLine id=\"l_x\">\
<TextEquiv index=\"2\"><Unicode>乙</Unicode></TextEquiv><TextEquiv index=\"1\"><Unicode>甲</Unicode></TextEquiv>\
</TextLine></TextRegion></Page></PcGts>"
        );
        assert_eq!(read(&two).unwrap().1[0].text, "甲");
    }
}
