//! Traditional and simplified characters, by OpenCC's character table
//! (`data/opencc/`, Apache-2.0): what the archive folds for search and how
//! ingest tells a page's script.
//! Character for character: a character
//! folds to one character, so offsets into a printed text stay valid.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// OpenCC's traditional → simplified character table (see
/// `data/opencc/README.md`).
const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");

struct Tables {
    /// Each traditional or variant character → its usual simplified form
    /// (the table's first value).
    simplified: HashMap<char, char>,
    /// Simplified forms that are no traditional character themselves
    /// (华, 国): print in traditional characters does not have them.
    simplified_only: HashSet<char>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut simplified = HashMap::new();
        let mut values = HashSet::new();
        for line in TS_CHARACTERS.lines() {
            let mut parts = line.split(['\t', ' ']).filter(|p| !p.is_empty());
            let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
                continue;
            };
            // Entries whose key or value is not one character are skipped.
            let (mut k, mut v) = (key.chars(), value.chars());
            if let (Some(kc), None, Some(vc), None) = (k.next(), k.next(), v.next(), v.next()) {
                if kc != vc {
                    simplified.insert(kc, vc);
                    values.insert(vc);
                }
            }
        }
        let simplified_only = values
            .into_iter()
            .filter(|c| !simplified.contains_key(c))
            .collect();
        Tables {
            simplified,
            simplified_only,
        }
    })
}

/// The simplified form of a character (itself when it has none).
pub fn simplified(c: char) -> char {
    if (c as u32) < 0x2E80 {
        return c;
    }
    tables().simplified.get(&c).copied().unwrap_or(c)
}

/// A string with every character folded to its simplified form.
pub fn simplify(s: &str) -> String {
    s.chars().map(simplified).collect()
}

/// Whether `c` is a traditional (or old variant) form with a different
/// simplified form: 華, 國, 旣.
pub fn is_traditional_form(c: char) -> bool {
    (c as u32) >= 0x2E80 && tables().simplified.contains_key(&c)
}

/// Whether `c` is a simplified form no traditional text prints: 华, 国.
pub fn is_simplified_form(c: char) -> bool {
    (c as u32) >= 0x2E80 && tables().simplified_only.contains(&c)
}

/// How many traditional forms and how many simplified-only forms a text
/// holds: `(traditional, simplified)`, what a page's script is told by.
pub fn form_counts(text: &str) -> (usize, usize) {
    text.chars().fold((0, 0), |(t, s), c| {
        (
            t + usize::from(is_traditional_form(c)),
            s + usize::from(is_simplified_form(c)),
        )
    })
}

/// Punctuation as a vertical column prints it: horizontal forms and their
/// vertical presentation forms (Unicode's CJK Compatibility Forms and
/// Vertical Forms blocks, whose compatibility decomposition is the
/// horizontal form); quotation marks “” ‘’ stand as corner brackets.
const VERTICAL_FORMS: &[(char, char)] = &[
    ('，', '︐'),
    ('、', '︑'),
    ('。', '︒'),
    ('：', '︓'),
    ('；', '︔'),
    ('！', '︕'),
    ('？', '︖'),
    ('（', '︵'),
    ('）', '︶'),
    ('〔', '︹'),
    ('〕', '︺'),
    ('【', '︻'),
    ('】', '︼'),
    ('《', '︽'),
    ('》', '︾'),
    ('〈', '︿'),
    ('〉', '﹀'),
    ('「', '﹁'),
    ('」', '﹂'),
    ('『', '﹃'),
    ('』', '﹄'),
    ('“', '﹁'),
    ('”', '﹂'),
    ('‘', '﹃'),
    ('’', '﹄'),
    ('—', '︱'),
    ('…', '︙'),
    ('｛', '︷'),
    ('｝', '︸'),
];

/// The form a vertical column prints `c` in: a punctuation mark's vertical
/// presentation form (。 → ︒, （ → ︵), any other character itself. The
/// standard text keeps the horizontal forms; ALTO, which records the
/// glyphs as printed, the vertical ones.
pub fn vertical_form(c: char) -> char {
    VERTICAL_FORMS
        .iter()
        .find(|(h, _)| *h == c)
        .map_or(c, |(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_each_script() {
        assert_eq!(simplified('華'), '华');
        assert_eq!(simplified('旣'), '既');
        assert_eq!(simplified('华'), '华');
        assert_eq!(simplified('a'), 'a');
        assert!(is_traditional_form('國') && !is_simplified_form('國'));
        assert!(is_simplified_form('国') && !is_traditional_form('国'));
        // Shared by both scripts: neither.
        assert!(!is_traditional_form('人') && !is_simplified_form('人'));
        assert_eq!(form_counts("中華人民共和國 中华"), (2, 1));
        assert!(tables().simplified.len() > 3000, "the table is loaded");
    }

    #[test]
    fn punctuation_in_its_vertical_forms() {
        let v: String = "第一條：（一）「華」。"
            .chars()
            .map(vertical_form)
            .collect();
        assert_eq!(v, "第一條︓︵一︶﹁華﹂︒");
        // Every vertical form is in the blocks the text fixes map back.
        assert!(VERTICAL_FORMS
            .iter()
            .all(|(_, v)| matches!(*v, '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE4F}')));
    }
}
