//! The CJK bigram tokenizer: every two consecutive folded characters are a
//! token, at consecutive positions, so that any literal substring of two or
//! more characters is a phrase of bigrams and is found (jieba misses
//! substrings across its word boundaries; tantivy's n-gram tokenizer puts
//! every token at position 0, which rules out phrases).

use crate::fold::fold_char;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in the index.
pub const NAME: &str = "gazette_bigram";

/// The version of the analysis that makes the index's terms: this
/// tokenizer and the folding of [`crate::fold`]. An index made by another
/// version is rebuilt from the store when the archive is opened, since its
/// terms would no longer match the queries' terms. Change it with any
/// change to what a text or query becomes (the test
/// `analysis_is_pinned` fails until you do).
pub const ANALYSIS_VERSION: &str = "bigram-1 fold-2";

#[derive(Clone, Default)]
pub struct Bigram {
    chars: Vec<(char, usize, usize)>,
}

pub struct BigramStream<'a> {
    chars: &'a [(char, usize, usize)],
    next: usize,
    token: Token,
}

impl Tokenizer for Bigram {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        // Folded characters with their byte span in the original text;
        // whitespace is dropped, so a phrase wrapped across lines is found.
        self.chars.clear();
        for (i, c) in text.char_indices() {
            if let Some(f) = fold_char(c) {
                self.chars.push((f, i, i + c.len_utf8()));
            }
        }
        BigramStream {
            chars: &self.chars,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let n = self.chars.len();
        // A text of one character is one token; otherwise one per pair.
        let count = if n == 1 { 1 } else { n.saturating_sub(1) };
        if self.next >= count {
            return false;
        }
        let i = self.next;
        let (a, from, to) = self.chars[i];
        self.token.text.clear();
        self.token.text.push(a);
        self.token.offset_from = from;
        self.token.offset_to = to;
        if let Some(&(b, _, end)) = self.chars.get(i + 1) {
            self.token.text.push(b);
            self.token.offset_to = end;
        }
        self.token.position = i;
        self.token.position_length = 1;
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The folded bigrams of a query string, in order.
pub fn bigrams(text: &str) -> Vec<String> {
    let mut t = Bigram::default();
    let mut s = t.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_with_positions_and_offsets() {
        let mut t = Bigram::default();
        let text = "政务 公开〔2017〕";
        let mut s = t.token_stream(text);
        let mut got = Vec::new();
        while s.advance() {
            let k = s.token();
            got.push((
                k.text.clone(),
                k.position,
                &text[k.offset_from..k.offset_to],
            ));
        }
        assert_eq!(got[0], ("政务".to_string(), 0, "政务"));
        assert_eq!(got[1], ("务公".to_string(), 1, "务 公"));
        assert_eq!(got[3], ("开(".to_string(), 3, "开〔"));
        assert_eq!(got.len(), 9);
        assert_eq!(bigrams("公"), vec!["公"]);
        assert!(bigrams(" ").is_empty());
    }

    /// What a text becomes under today's analysis, pinned beside its
    /// version: a change to tokenizing or folding that leaves
    /// `ANALYSIS_VERSION` alone would leave old indexes silently wrong.
    #[test]
    fn analysis_is_pinned() {
        let sample = "云政办发［2017］22号 ＡＢＣ　第○條（一）「引」";
        let mut t = Bigram::default();
        let mut s = t.token_stream(sample);
        let mut got = Vec::new();
        while s.advance() {
            got.push(s.token().text.clone());
        }
        assert_eq!(
            (ANALYSIS_VERSION, got.join(" ")),
            (
                "bigram-1 fold-2",
                "云政 政办 办发 发( (2 20 01 17 7) )2 22 2号 号a ab bc c第 第〇 〇条 条( (一 一) )「 「引 引」"
                    .to_string()
            ),
            "the analysis changed: bump ANALYSIS_VERSION (and this test) so old indexes are rebuilt"
        );
    }
}
