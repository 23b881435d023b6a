//! A document as segmentation finds it and the archive keeps it: its
//! citation fields and its paragraphs, each anchored to the lines it was
//! read from.

use crate::page::BBox;
use serde::{Deserialize, Serialize};

/// Where part of a paragraph is printed: a line box on a page of the issue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// 1-based position of the page in its issue as scanned (a page that
    /// failed to read keeps its position).
    pub page: u32,
    /// The page number printed on it.
    pub printed_page: u32,
    pub bbox: BBox,
    /// The characters of the paragraph's text this line holds, `[start,
    /// end)` counted in chars: what lets a proofreader correct one line
    /// and the archive put the change back in its place. Absent in records
    /// written before it was kept, and where a whole-text correction
    /// changed the paragraph (the line's share is then unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chars: Option<[u32; 2]>,
}

impl Paragraph {
    /// The text of each of the paragraph's lines, by its anchors' spans;
    /// `None` when any span is missing or does not fit the text.
    pub fn line_texts(&self) -> Option<Vec<String>> {
        let chars: Vec<char> = self.text.chars().collect();
        self.anchors
            .iter()
            .map(|a| {
                let [s, e] = a.chars?;
                let (s, e) = (s as usize, e as usize);
                (s <= e && e <= chars.len()).then(|| chars[s..e].iter().collect())
            })
            .collect()
    }

    /// The paragraph with its lines' texts replaced (one per anchor, in
    /// order), joined as segmentation joins wrapped lines, every anchor's
    /// span measured again. `None` when the count differs from the anchors'.
    pub fn with_lines(&self, lines: &[String]) -> Option<Paragraph> {
        if lines.len() != self.anchors.len() {
            return None;
        }
        let (text, spans) = join_lines(lines.iter().map(String::as_str));
        let anchors = self
            .anchors
            .iter()
            .zip(spans)
            .map(|(a, span)| Anchor {
                chars: Some(span),
                ..a.clone()
            })
            .collect();
        Some(Paragraph { text, anchors })
    }
}

/// Joins a paragraph's wrapped lines as they are printed: trimmed, no space
/// between CJK characters, one between two words of Latin letters or
/// digits. Returns the text and each line's `[start, end)` in chars.
pub fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> (String, Vec<[u32; 2]>) {
    let mut out = String::new();
    let mut len = 0u32;
    let mut spans = Vec::new();
    for l in lines {
        let l = l.trim();
        let needs_space = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if needs_space {
            out.push(' ');
            len += 1;
        }
        let n = l.chars().count() as u32;
        spans.push([len, len + n]);
        out.push_str(l);
        len += n;
    }
    (out, spans)
}

/// A paragraph of a document's standard text and where it is printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub anchors: Vec<Anchor>,
}

/// A document's fields: the keys of `gazette segment`'s output and of the
/// archive's document versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    pub gazette: String,
    pub year: u16,
    pub issue: u16,
    pub title: String,
    /// The 文号 as printed.
    pub doc_number: String,
    pub doc_number_normalised: String,
    pub issuer: String,
    /// The date as printed, and as `yyyy-mm-dd` where it parses.
    pub date: String,
    pub date_iso: String,
    /// 此件公开发布 and the like.
    pub attribute: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Printed page numbers.
    pub start_page: u32,
    pub end_page: u32,
    /// The standard text: paragraphs joined by newlines.
    pub text: String,
    pub citation: String,
    /// Hex SHA-256 of `text` in UTF-8.
    pub sha256: String,
    /// Each issuer as printed, for joint documents several (`issuer` is
    /// them joined by an ideographic space, as a signature line prints
    /// them). Empty in records written before it existed: read `issuer`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// Where each extracted field was read: its page and line box, so a
    /// proofreader can check it on the image.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_sources: Vec<FieldSource>,
    /// Candidates that failed their field's shape check and were left out
    /// (the field stays empty): a document with any is marked for review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<FieldNote>,
}

impl Fields {
    /// The issuers: `issuers`, or for older records `issuer` alone.
    pub fn issuer_list(&self) -> Vec<String> {
        if !self.issuers.is_empty() {
            self.issuers.clone()
        } else if self.issuer.is_empty() {
            Vec::new()
        } else {
            vec![self.issuer.clone()]
        }
    }

    /// Whether a proofreader should look at the fields before they are
    /// trusted.
    pub fn needs_review(&self) -> bool {
        !self.review.is_empty()
    }
}

/// Where a field's value was printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSource {
    /// `title`, `doc_number`, `issuer`, `date` or `attribute`.
    pub field: String,
    /// 1-based position of the page in its issue.
    pub page: u32,
    pub bbox: BBox,
}

/// A value read where a field is printed that is not of the field's kind
/// (a damaged date where the issuer stands, say): kept for a proofreader,
/// never used as the field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldNote {
    pub field: String,
    /// The text as read.
    pub candidate: String,
    /// Why it was refused.
    pub reason: String,
    pub page: u32,
    pub bbox: BBox,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(y: u32) -> Anchor {
        Anchor {
            page: 1,
            printed_page: 1,
            bbox: BBox([0, y, 100, y + 10]),
            chars: None,
        }
    }

    #[test]
    fn a_paragraphs_lines_are_found_again_and_replaced_in_place() {
        let (text, spans) =
            join_lines(["  各州、市人民政府：", "Tesseract", "5.3 读的。 "].into_iter());
        // No space between CJK, one between two Latin words or numbers.
        assert_eq!(text, "各州、市人民政府：Tesseract 5.3 读的。");
        let p = Paragraph {
            text,
            anchors: spans
                .iter()
                .enumerate()
                .map(|(i, s)| Anchor {
                    chars: Some(*s),
                    ..anchor(i as u32 * 20)
                })
                .collect(),
        };
        let lines = p.line_texts().unwrap();
        assert_eq!(lines, ["各州、市人民政府：", "Tesseract", "5.3 读的。"]);
        let fixed = p
            .with_lines(&[
                "各州、市人民政府：".into(),
                "Tesseract".into(),
                "5.3读的。".into(),
            ])
            .unwrap();
        assert_eq!(fixed.text, "各州、市人民政府：Tesseract 5.3读的。");
        assert_eq!(fixed.anchors[2].chars, Some([19, 25]));
        assert_eq!(fixed.anchors[2].bbox, p.anchors[2].bbox);
        // A span that does not fit, or a missing one, is no line.
        let mut broken = p.clone();
        broken.anchors[1].chars = Some([5, 99]);
        assert_eq!(broken.line_texts(), None);
        broken.anchors[1].chars = None;
        assert_eq!(broken.line_texts(), None);
        assert_eq!(p.with_lines(&["一行".into()]), None);
    }
}
