//! Folios: the printed page number at the foot of a gazette page, set as
//! — 12 —, - 12 - or a bare 12. One reading of them serves the text fixer
//! (which restores the printed form), the OCR repair pass (which puts back
//! dashes Tesseract dropped) and segmentation (which numbers the pages).

/// The characters a folio's dashes are printed or misread as: the em dash
/// and its look-alikes, the ASCII hyphen and its full-width form, and 一,
/// which Tesseract reads for a short dash.
pub const DASHES: &[char] = &['—', '―', '–', '-', '－', '一', '_', '~', '='];

/// At most this many dash characters on each side (a long dash is read as
/// two or three).
const MAX_DASHES: usize = 3;

/// At most this many digits: gazettes number pages through the year, in
/// the hundreds or low thousands.
const MAX_DIGITS: usize = 4;

/// A folio as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folio {
    pub number: u32,
    /// Dashes were read on the left, the right.
    pub left: bool,
    pub right: bool,
    /// The dashes read are ASCII hyphens (- 12 -), not em dashes.
    pub ascii: bool,
}

impl Folio {
    pub fn has_dashes(&self) -> bool {
        self.left || self.right
    }

    /// The folio as printed: — 12 — (or - 12 - where printed with
    /// hyphens), or the bare number.
    pub fn printed(&self) -> String {
        match (self.has_dashes(), self.ascii) {
            (false, _) => self.number.to_string(),
            (true, true) => format!("- {} -", self.number),
            (true, false) => format!("— {} —", self.number),
        }
    }
}

/// Reads a line as a folio: a number of up to four digits, alone or with
/// dashes on one or both sides (Tesseract sometimes drops one). Between
/// dashes, a bar-like glyph is read as 1 and a ring as 0.
pub fn parse(line: &str) -> Option<Folio> {
    let s: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    let dash = |c: &char| DASHES.contains(c);
    let start = s.iter().take_while(|c| dash(c)).count();
    let end = s.iter().rev().take_while(|c| dash(c)).count();
    if start + end >= s.len() || start > MAX_DASHES || end > MAX_DASHES {
        return None;
    }
    let dashed = start > 0 || end > 0;
    let mid: String = s[start..s.len() - end]
        .iter()
        .map(|&c| match c {
            '】' | ']' | '[' | '|' | 'l' | 'I' | '!' | '！' | '丨' if dashed => '1',
            'O' | 'o' | '〇' if dashed => '0',
            c => c,
        })
        .collect();
    if mid.len() > MAX_DIGITS || !mid.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Folio {
        number: mid.parse().ok()?,
        left: start > 0,
        right: end > 0,
        ascii: (start == 0 || s[0] == '-') && (end == 0 || s[s.len() - 1] == '-'),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folios_as_printed_and_as_misread() {
        let n = |s: &str| parse(s).map(|f| f.number);
        assert_eq!(n("— 12 —"), Some(12));
        assert_eq!(n("- 3 -"), Some(3));
        assert_eq!(n("7"), Some(7));
        assert_eq!(n("一 1l 一"), Some(11));
        assert_eq!(n("— 2O —"), Some(20));
        assert_eq!(n("12 —"), Some(12));
        assert_eq!(n("第7页"), None);
        assert_eq!(n("l"), None, "a bare bar is not a folio");
        assert_eq!(n("12345"), None);
        assert_eq!(n("——"), None);
        assert_eq!(parse("一 12 一").unwrap().printed(), "— 12 —");
        assert_eq!(parse("- 12 -").unwrap().printed(), "- 12 -");
        assert_eq!(parse("12").unwrap().printed(), "12");
    }
}
