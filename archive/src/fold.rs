//! Character folding shared by the index and queries, so that what readers
//! type finds what the gazette prints: full-width and half-width forms are
//! one, every bracket a 文号 may be typed with is one, case does not matter,
//! and traditional characters (and the variant forms of old print) are one
//! with their simplified forms, by OpenCC's table (`gazette_model::script`), so a
//! query in either script finds a text printed in the other.

pub use gazette_model::script::simplified;

/// Folds one character, or drops it (whitespace) by returning `None`.
pub fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    let c = match c {
        // 〔2017〕 is printed, [2017], (2017), 【2017】, ［2017］ and
        // （2017） are typed or misread for it.
        '〔' | '［' | '[' | '【' | '（' | '(' | '〖' | '｛' | '{' => '(',
        '〕' | '］' | ']' | '】' | '）' | ')' | '〗' | '｝' | '}' => ')',
        // The zero of a Chinese date is printed 〇 and often typed ○ or Ｏ.
        '○' | '◯' => '〇',
        // Full-width ASCII forms fold to ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => simplified(c),
    };
    Some(c.to_ascii_lowercase())
}

/// Folds a string, dropping whitespace.
pub fn fold(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

/// The key a 文号 is looked up by: folded, so 云政办发[2017]22号 and
/// 云政办发（2017）22号 both give the key of 云政办发〔2017〕22号.
pub fn doc_number_key(s: &str) -> String {
    fold(s)
}

/// Whether a query looks like a 文号 (an issuer's abbreviation, a
/// bracketed year and a number followed by 号), so it can be ranked first.
pub fn looks_like_doc_number(s: &str) -> bool {
    let f = fold(s);
    let Some(open) = f.find('(') else {
        return false;
    };
    let rest = &f[open + 1..];
    let Some(close) = rest.find(')') else {
        return false;
    };
    let year = &rest[..close];
    let after = &rest[close + 1..];
    open > 0
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && after.ends_with('号')
        && after
            .trim_end_matches('号')
            .bytes()
            .all(|b| b.is_ascii_digit())
        && after.len() > '号'.len_utf8()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_and_width_variants_fold_together() {
        let key = doc_number_key("云政办发〔2017〕22号");
        for v in [
            "云政办发[2017]22号",
            "云政办发(2017)22号",
            "云政办发（2017）22号",
            "云政办发【2017】22号",
            "云政办发［２０１７］２２号",
            "云政办发 〔2017〕 22号",
        ] {
            assert_eq!(doc_number_key(v), key, "{v}");
        }
        assert_ne!(doc_number_key("云政办发〔2017〕23号"), key);
        assert_eq!(fold("ＡＢｃ　1"), "abc1");
        // A traditional 文号 has the key of its simplified form.
        assert_eq!(
            doc_number_key("雲政辦發〔2017〕22號"),
            key,
            "traditional 文号"
        );
    }

    #[test]
    fn traditional_and_variant_forms_fold_to_simplified() {
        assert_eq!(
            fold("治安保衛委員會暫行組織條例"),
            "治安保卫委员会暂行组织条例"
        );
        // Variant forms of old print.
        assert_eq!(fold("旣內峯敎"), "既内峰教");
        // Simplified text and what the table has no entry for stay.
        assert_eq!(fold("治安保卫委员会"), "治安保卫委员会");
        assert_eq!(fold("〇一二"), "〇一二");
    }

    #[test]
    fn doc_number_shapes() {
        assert!(looks_like_doc_number("云政办发[2017]22号"));
        assert!(looks_like_doc_number("国办发明电〔2018〕15号"));
        assert!(!looks_like_doc_number("政务公开"));
        assert!(!looks_like_doc_number("(2017)"));
        assert!(!looks_like_doc_number("云政办发〔2017〕号"));
    }
}
