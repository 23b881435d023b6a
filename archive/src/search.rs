//! Search requests and results: the query language (whitespace-separated
//! literal segments, "quoted" phrases, filters), facets, paging and the
//! highlighted snippets cut from a document's standard text.

use crate::error::Error;
use crate::fold::fold_char;
use crate::id::IssueId;
use serde::Serialize;

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest a request may page.
pub const MAX_OFFSET: usize = 10_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    DateDesc,
    DateAsc,
}

/// A search. Every whitespace-separated segment of `text` (or "quoted"
/// phrase) must occur literally in the title or text, after folding width,
/// brackets and case; an empty text lists what the filters allow.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub text: String,
    pub year_from: Option<u16>,
    pub year_to: Option<u16>,
    pub issue: Option<IssueId>,
    pub issuer: Option<String>,
    pub doc_type: Option<String>,
    pub attribute: Option<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    /// Only documents with this status on `as_of` (today when `None`).
    pub status: Option<crate::legal::Status>,
    pub as_of: Option<gazette_model::legal::Date>,
    /// Only documents that repeal or amend others.
    pub acting: bool,
    /// Count matches by year, issuer and type (a second pass over them):
    /// what people see beside the hits; internal lookups need none.
    pub facets: bool,
}

impl Query {
    pub fn new(text: &str) -> Self {
        Query {
            text: text.to_string(),
            limit: 10,
            facets: true,
            ..Default::default()
        }
    }

    /// Refuses what would be costly or meaningless, naming the parameter.
    pub fn check(&self) -> Result<(), Error> {
        if self.text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Query(format!(
                "q: longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::Query(format!("limit: must be 1 to {MAX_LIMIT}")));
        }
        if self.offset > MAX_OFFSET {
            return Err(Error::Query(format!("offset: at most {MAX_OFFSET}")));
        }
        // year_from after year_to is allowed: an empty range, no hits.
        Ok(())
    }
}

/// A snippet of a standard text with the matched characters marked.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub marks: Vec<(usize, usize)>,
}

impl Snippet {
    /// HTML: the text escaped, matches in `<mark>`.
    pub fn to_html(&self) -> String {
        self.render("<mark>", "</mark>", true)
    }

    /// Plain text with matches between `open` and `close`.
    pub fn render(&self, open: &str, close: &str, escape: bool) -> String {
        let esc = |s: &str| {
            if escape {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
            } else {
                s.to_string()
            }
        };
        let mut out = String::new();
        let mut at = 0;
        for &(a, b) in &self.marks {
            out.push_str(&esc(&self.text[at..a]));
            out.push_str(open);
            out.push_str(&esc(&self.text[a..b]));
            out.push_str(close);
            at = b;
        }
        out.push_str(&esc(&self.text[at..]));
        out
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Facets {
    pub year: Vec<(String, u64)>,
    pub issuer: Vec<(String, u64)>,
    #[serde(rename = "type")]
    pub doc_type: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    pub date: String,
    pub citation: String,
    pub snippet: Snippet,
    pub score: f32,
    /// Its standing in law, as indexed: its status on any day.
    #[serde(skip)]
    pub standing: crate::legal::Standing,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// Matching documents: all of them when `total_exact`, else a lower
    /// bound (the count stops at 10,100, where a full count of a broad
    /// query would cost time in proportion to the archive).
    pub total: usize,
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// The query's segments: "quoted" phrases whole, the rest split on
/// whitespace (ideographic space too).
pub fn segments(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' | '“' | '”' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 90;

/// Cuts a snippet of `text` around the first match of the query's segments,
/// marking every match inside it. Matching folds as the index does, so what
/// is marked is what was found.
pub fn snippet(text: &str, query: &str) -> Snippet {
    // Folded characters and the byte span of each in `text`.
    let folded: Vec<(char, usize, usize)> = text
        .char_indices()
        .filter_map(|(i, c)| fold_char(c).map(|f| (f, i, i + c.len_utf8())))
        .collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for seg in segments(query) {
        let pat: Vec<char> = seg.chars().filter_map(fold_char).collect();
        if pat.is_empty() || pat.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - pat.len() {
            if folded[start..start + pat.len()]
                .iter()
                .zip(&pat)
                .all(|(a, b)| a.0 == *b)
            {
                spans.push((folded[start].1, folded[start + pat.len() - 1].2));
            }
        }
    }
    spans.sort_unstable();
    // The window: from a little before the first match.
    let first = spans.first().map_or(0, |s| s.0);
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let first_char = starts.partition_point(|&b| b < first);
    let from_char = first_char.saturating_sub(SNIPPET_CHARS / 4);
    let to_char = (from_char + SNIPPET_CHARS).min(starts.len());
    let from = starts.get(from_char).copied().unwrap_or(text.len());
    let to = starts.get(to_char).copied().unwrap_or(text.len());
    let mut out = String::new();
    let mut marks = Vec::new();
    let lead = if from > 0 { "…" } else { "" };
    out.push_str(lead);
    let base = lead.len();
    // Newlines become spaces; every other character keeps its byte length,
    // so spans shift only by the lead.
    out.push_str(&text[from..to].replace('\n', " "));
    let mut last_end = 0;
    for (a, b) in spans {
        if a >= from && b <= to && a >= last_end {
            marks.push((a - from + base, b - from + base));
            last_end = b;
        }
    }
    if to < text.len() {
        out.push('…');
    }
    Snippet { text: out, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_quotes() {
        assert_eq!(segments("政务 公开"), vec!["政务", "公开"]);
        assert_eq!(segments("\"政务 公开\" 通知"), vec!["政务 公开", "通知"]);
        assert_eq!(segments("政务　公开"), vec!["政务", "公开"]);
        assert!(segments("  ").is_empty());
    }

    #[test]
    fn snippets_mark_folded_matches() {
        let text = "根据云政办发〔2017〕22号文件，\n做好政务公开工作。";
        let s = snippet(text, "云政办发[2017]22号 政务公开");
        let marked: Vec<&str> = s.marks.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, vec!["云政办发〔2017〕22号", "政务公开"]);
        assert_eq!(
            s.to_html(),
            "根据<mark>云政办发〔2017〕22号</mark>文件， 做好<mark>政务公开</mark>工作。"
        );
        let long = "甲".repeat(200) + "政务公开" + &"乙".repeat(200);
        let s = snippet(&long, "政务公开");
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(s.marks.len(), 1);
        assert_eq!(&s.text[s.marks[0].0..s.marks[0].1], "政务公开");
    }
}
