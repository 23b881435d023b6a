//! A document version's lines as a proofreader sees them: one per printed
//! line where the paragraph keeps each line's share of its text, else one
//! per paragraph; each with its id, box, text and the reader's confidence.
//! Shared by `gazette proof export` and the web's proofreading queue.

use anyhow::Result;
use archive::{Archive, BBox, DocId, Page, PageId, Version};
use std::collections::HashMap;

use super::formats::ProofLine;

/// Which line of which document version a proofreading line is:
/// `l_{doc}_v{version}_p{paragraph}[_a{anchor}]`, numbers from 1. Without
/// an anchor the line is a whole paragraph (one whose lines' shares of the
/// text are not known, after a whole-text correction).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineRef {
    pub doc: DocId,
    pub version: u32,
    pub para: usize,
    pub anchor: Option<usize>,
}

impl LineRef {
    pub fn id(&self) -> String {
        let mut s = format!("l_{}_v{}_p{}", self.doc, self.version, self.para);
        if let Some(a) = self.anchor {
            s.push_str(&format!("_a{a}"));
        }
        s
    }

    pub fn parse(s: &str) -> Option<LineRef> {
        let mut parts = s.strip_prefix("l_")?.split('_');
        let doc = parts.next()?.parse().ok()?;
        let num = |p: Option<&str>, k: char| -> Option<u32> {
            p?.strip_prefix(k)?.parse().ok().filter(|n| *n >= 1)
        };
        let version = num(parts.next(), 'v')?;
        let para = num(parts.next(), 'p')? as usize;
        let anchor = match parts.next() {
            Some(a) => Some(num(Some(a), 'a')? as usize),
            None => None,
        };
        parts.next().is_none().then_some(LineRef {
            doc,
            version,
            para,
            anchor,
        })
    }
}

/// Pages of issue versions, read once each.
pub struct Pages<'a> {
    archive: &'a Archive,
    cache: HashMap<(PageId, u32), Option<Page>>,
}

impl<'a> Pages<'a> {
    pub fn new(archive: &'a Archive) -> Self {
        Pages {
            archive,
            cache: HashMap::new(),
        }
    }

    pub fn get(&mut self, id: &PageId, issue_version: u32) -> Result<Option<&Page>> {
        let key = (id.clone(), issue_version);
        if !self.cache.contains_key(&key) {
            let p = self.archive.page(id, Some(issue_version))?;
            self.cache.insert(key.clone(), p);
        }
        Ok(self.cache.get(&key).and_then(|p| p.as_ref()))
    }
}

/// Where a paragraph kept as one line stands: its first page, its anchors
/// there and their union; `None` for a paragraph with no anchor.
pub fn first_page(p: &archive::Paragraph) -> Option<(u32, Vec<&archive::Anchor>, BBox)> {
    let first = p.anchors.first()?;
    let on: Vec<&archive::Anchor> = p.anchors.iter().filter(|a| a.page == first.page).collect();
    let bbox = on.iter().fold(first.bbox, |b, a| b.union(&a.bbox));
    Some((first.page, on, bbox))
}

/// How sure the reader was of the page's line at `bbox` (the calibrated
/// figure where there is one); `None` when no line of the page has it.
pub fn confidence_at(page: Option<&Page>, bbox: &BBox) -> Option<f32> {
    let l = page?.lines.iter().find(|l| l.bbox == *bbox)?;
    Some(l.calibrated.unwrap_or(l.confidence).get())
}

/// The proofreading lines of one document version, each with its page.
pub fn lines_of(v: &Version, pages: &mut Pages) -> Result<Vec<(u32, LineRef, ProofLine)>> {
    let mut out = Vec::new();
    for (pi, p) in v.paragraphs.iter().enumerate() {
        let page_of = |n: u32| PageId {
            issue: v.id.issue.clone(),
            page: n as u16,
        };
        match p.line_texts() {
            Some(texts) => {
                for (ai, (a, text)) in p.anchors.iter().zip(texts).enumerate() {
                    let r = LineRef {
                        doc: v.id.clone(),
                        version: v.version,
                        para: pi + 1,
                        anchor: Some(ai + 1),
                    };
                    let page = pages.get(&page_of(a.page), v.issue_version)?;
                    out.push((
                        a.page,
                        r.clone(),
                        ProofLine {
                            id: r.id(),
                            bbox: a.bbox,
                            text,
                            confidence: confidence_at(page, &a.bbox),
                        },
                    ));
                }
            }
            None => {
                // The whole paragraph as one line, on its first page.
                let Some((on, on_page, bbox)) = first_page(p) else {
                    continue;
                };
                let page = pages.get(&page_of(on), v.issue_version)?;
                let confidence = on_page
                    .iter()
                    .map(|a| confidence_at(page, &a.bbox))
                    .try_fold(1.0f32, |m, c| c.map(|c| m.min(c)));
                let r = LineRef {
                    doc: v.id.clone(),
                    version: v.version,
                    para: pi + 1,
                    anchor: None,
                };
                out.push((
                    on,
                    r.clone(),
                    ProofLine {
                        id: r.id(),
                        bbox,
                        text: p.text.clone(),
                        confidence,
                    },
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ids_round_trip_and_strangers_are_refused() {
        let r = LineRef {
            doc: "yn-2017-05-03".parse().unwrap(),
            version: 2,
            para: 4,
            anchor: Some(1),
        };
        assert_eq!(r.id(), "l_yn-2017-05-03_v2_p4_a1");
        assert_eq!(LineRef::parse(&r.id()), Some(r.clone()));
        let whole = LineRef { anchor: None, ..r };
        assert_eq!(LineRef::parse(&whole.id()), Some(whole));
        for bad in [
            "eSc_line_1",
            "l_yn-2017-05-03_v0_p1",
            "l_yn-2017-05-03_v1_p1_a1_x",
            "l_yn-2017-05-03_p1_v1",
            "l_../x_v1_p1",
        ] {
            assert_eq!(LineRef::parse(bad), None, "{bad}");
        }
    }
}
