//! Where a query's words are printed on a page: the lines (and the
//! characters of each line) that a search term covers, for IIIF Content
//! Search answers and for the boxes drawn on the page view.
//!
//! A term is matched against the page's lines read as one stream, folded as
//! the index folds (widths, brackets, case; whitespace dropped), so a word
//! broken over the end of a line is still found, and the hit covers the
//! end of one line and the start of the next.

use archive::fold::fold_char;

/// Most terms a query is split into (the rest are ignored).
const MAX_TERMS: usize = 16;
/// Most hits reported for one page, so a one-character query cannot make
/// an answer of every line.
pub const MAX_HITS_PER_PAGE: usize = 200;

/// A part of one line a hit covers: characters `start..end` of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// One occurrence of a term: the parts of the lines it covers, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub term: String,
    pub spans: Vec<Span>,
}

/// The query's terms, folded: quoted phrases as one term each, the rest
/// split at whitespace. The search syntax's own operators are not terms.
pub fn terms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = String::new();
    let mut phrase: Option<String> = None;
    for c in q.chars() {
        match (c, phrase.as_mut()) {
            ('"' | '“' | '”', None) => phrase = Some(String::new()),
            ('"' | '“' | '”', Some(p)) => {
                out.push(p.clone());
                phrase = None;
            }
            (_, Some(p)) => p.push(c),
            (_, None) => rest.push(c),
        }
    }
    if let Some(p) = phrase {
        rest.push(' ');
        rest.push_str(&p);
    }
    out.extend(rest.split_whitespace().map(str::to_string));
    let mut folded: Vec<String> = Vec::new();
    for t in out {
        let f: String = t.chars().filter_map(fold_char).collect();
        if !f.is_empty() && !["and", "or", "not"].contains(&f.as_str()) && !folded.contains(&f) {
            folded.push(f);
        }
        if folded.len() == MAX_TERMS {
            break;
        }
    }
    folded
}

/// Every occurrence of every term in `lines` (a page's lines in reading
/// order), in page order, at most [`MAX_HITS_PER_PAGE`].
pub fn find<S: AsRef<str>>(lines: &[S], terms: &[String]) -> Vec<Hit> {
    // The folded stream, and for each folded character its line and
    // character index there.
    let mut stream: Vec<char> = Vec::new();
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        for (ci, c) in l.as_ref().chars().enumerate() {
            if let Some(f) = fold_char(c) {
                stream.push(f);
                at.push((li, ci));
            }
        }
    }
    let mut found: Vec<(usize, Hit)> = Vec::new();
    for t in terms {
        let t: Vec<char> = t.chars().collect();
        if t.is_empty() || t.len() > stream.len() {
            continue;
        }
        let mut i = 0;
        while i + t.len() <= stream.len() {
            if stream[i..i + t.len()] == t[..] {
                found.push((i, hit(&at[i..i + t.len()], &t)));
                i += t.len();
            } else {
                i += 1;
            }
        }
    }
    found.sort_by_key(|(i, _)| *i);
    found
        .into_iter()
        .map(|(_, h)| h)
        .take(MAX_HITS_PER_PAGE)
        .collect()
}

fn hit(at: &[(usize, usize)], term: &[char]) -> Hit {
    let mut spans: Vec<Span> = Vec::new();
    for &(line, c) in at {
        match spans.last_mut() {
            Some(s) if s.line == line => s.end = c + 1,
            _ => spans.push(Span {
                line,
                start: c,
                end: c + 1,
            }),
        }
    }
    Hit {
        term: term.iter().collect(),
        spans,
    }
}

/// The text of a line before and after a span, a few characters each, for
/// a hit's context.
pub fn context(line: &str, start: usize, end: usize) -> (String, String, String) {
    const AROUND: usize = 12;
    let chars: Vec<char> = line.chars().collect();
    let end = end.min(chars.len());
    let start = start.min(end);
    (
        chars[start.saturating_sub(AROUND)..start].iter().collect(),
        chars[start..end].iter().collect(),
        chars[end..(end + AROUND).min(chars.len())].iter().collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_and_keep_phrases() {
        assert_eq!(
            terms("云政办发［2017］22号  \"人民 政府\" AND 通知"),
            vec!["人民政府", "云政办发(2017)22号", "通知"]
        );
        assert!(terms("   ").is_empty());
    }

    #[test]
    fn a_term_is_found_across_a_line_break_and_in_any_width() {
        let lines = ["关于印发云南省人民", "政府工作规则的通知", "ＡＢＣ"];
        let h = find(&lines, &terms("人民政府 abc"));
        assert_eq!(h.len(), 2);
        assert_eq!(
            h[0].spans,
            vec![
                Span {
                    line: 0,
                    start: 7,
                    end: 9
                },
                Span {
                    line: 1,
                    start: 0,
                    end: 2
                }
            ]
        );
        assert_eq!(
            h[1].spans,
            vec![Span {
                line: 2,
                start: 0,
                end: 3
            }]
        );
        assert!(find(&lines, &terms("国务院")).is_empty());
    }

    #[test]
    fn spaces_inside_a_line_do_not_hide_a_term() {
        let lines = ["人 民 政 府"];
        let h = find(&lines, &terms("民政"));
        assert_eq!(
            h[0].spans,
            vec![Span {
                line: 0,
                start: 2,
                end: 5
            }]
        );
        assert_eq!(
            context(lines[0], 2, 5),
            ("人 ".into(), "民 政".into(), " 府".into())
        );
    }
}
