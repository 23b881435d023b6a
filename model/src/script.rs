//! Traditional and simplified characters, by OpenCC's character table
//! (`data/opencc/`, Apache-2.0): what the archive folds for search.
//! Character for character: a character
//! folds to one character, so offsets into a printed text stay valid.

use std::collections::HashMap;
use std::sync::OnceLock;

/// OpenCC's traditional → simplified character table (see
/// `data/opencc/README.md`).
const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");

struct Tables {
    /// Each traditional or variant character → its usual simplified form
    /// (the table's first value).
    simplified: HashMap<char, char>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut simplified = HashMap::new();
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
                }
            }
        }
        Tables { simplified }
    })
}

/// The simplified form of a character (itself when it has none).
pub fn simplified(c: char) -> char {
    if (c as u32) < 0x2E80 {
        return c;
    }
    tables().simplified.get(&c).copied().unwrap_or(c)
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
        assert!(tables().simplified.len() > 3000, "the table is loaded");
    }
}
