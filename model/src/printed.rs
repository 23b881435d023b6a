//! Parsers of the fields a gazette prints in a fixed form: 文号 (document
//! numbers) with their bracket and width variants, and dates in Arabic or
//! Chinese numerals. Segmentation reads them from lines; they live here so
//! that every part of the system reads a 文号 or a date the same way.

use serde::{Deserialize, Serialize};

/// Han ideographs and the CJK punctuation and full-width forms that sit
/// between them without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3000}'..='\u{303F}' // CJK punctuation: 、。〈〉《》〔〕
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}' // full-width forms: （），：；
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '—' | '…' | '·' | '㈠'..='㈩')
}

/// Folds full-width digits and letters to ASCII and every bracket variant
/// around a 文号's year to 〔〕.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '[' | '［' | '【' | '(' | '（' | '｛' | '{' | '〖' => '〔',
            ']' | '］' | '】' | ')' | '）' | '｝' | '}' | '〗' => '〕',
            // A 文号 printed in traditional characters ends in 號.
            '號' => '号',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A 文号 parsed into its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocNumber {
    /// As normalised: 云政办发〔2017〕22号, 国令第707号.
    pub normalised: String,
    /// The issuing organ's code: 云政办发, 国办发明电, 国令.
    pub code: String,
    pub year: Option<u16>,
    pub serial: u32,
}

/// Parses a 文号 such as 云政办发〔2017〕22号 (any bracket or width variant),
/// 国令第707号 or 第12号; `None` when the text is not one.
pub fn doc_number(s: &str) -> Option<DocNumber> {
    // OCR doubles brackets (〔2017]】): one of each is meant.
    let f = fold(s).replace("〕〕", "〕").replace("〔〔", "〔");
    let chars: Vec<char> = f.chars().collect();
    if chars.last() != Some(&'号') || chars.len() > 30 {
        return None;
    }
    let digits_end = chars.len() - 1;
    let digits_start = (0..digits_end)
        .rev()
        .take_while(|&i| chars[i].is_ascii_digit())
        .last()?;
    let serial: u32 = chars[digits_start..digits_end]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    let head: String = chars[..digits_start].iter().collect();
    if let Some(open) = head.find('〔') {
        let code = &head[..open];
        let rest = &head[open + '〔'.len_utf8()..];
        let year_s = rest.strip_suffix('〕')?;
        if year_s.len() != 4 || !year_s.chars().all(|c| c.is_ascii_digit()) || code.is_empty() {
            return None;
        }
        if !code.chars().all(is_cjk) {
            return None;
        }
        let year: u16 = year_s.parse().ok()?;
        return Some(DocNumber {
            normalised: format!("{code}〔{year}〕{serial}号"),
            code: code.to_string(),
            year: Some(year),
            serial,
        });
    }
    // 国令第707号, 第12号 (a government order's number).
    let code = head.strip_suffix('第')?;
    if !code.chars().all(is_cjk) || code.chars().count() > 12 {
        return None;
    }
    Some(DocNumber {
        normalised: format!("{code}第{serial}号"),
        code: code.to_string(),
        year: None,
        serial,
    })
}

/// A 文号 damaged by OCR (a bracket lost or read as a letter: 国办发【2019j 4号,
/// 云政办发2017] 22号): the organ's code, a year, a serial and 号, with at
/// most one stray mark on either side of the year. Only for the line where
/// a 文号 is expected.
pub fn doc_number_loose(s: &str) -> Option<DocNumber> {
    let c: Vec<char> = fold(s).chars().collect();
    if c.last() != Some(&'号') || c.len() > 30 {
        return None;
    }
    let mut i = c.len() - 1;
    let serial_end = i;
    while i > 0 && c[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i == serial_end {
        return None;
    }
    let serial: u32 = c[i..serial_end].iter().collect::<String>().parse().ok()?;
    // One stray mark (or the bracket) on each side of the year.
    let stray = |x: char| x == '〕' || x == '〔' || (!x.is_ascii_digit() && !is_cjk(x));
    if i > 0 && stray(c[i - 1]) {
        i -= 1;
    }
    if i < 4 || !c[i - 4..i].iter().all(|d| d.is_ascii_digit()) {
        return None;
    }
    let year: u16 = c[i - 4..i].iter().collect::<String>().parse().ok()?;
    if !(1949..=2100).contains(&year) {
        return None;
    }
    let mut j = i - 4;
    if j > 0 && stray(c[j - 1]) {
        j -= 1;
    }
    let code: String = c[..j].iter().collect();
    if code.is_empty()
        || code.chars().count() > 10
        || !code.chars().all(|x| is_cjk(x) && !"〔〕".contains(x))
    {
        return None;
    }
    Some(DocNumber {
        normalised: format!("{code}〔{year}〕{serial}号"),
        code,
        year: Some(year),
        serial,
    })
}

fn chinese_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or(match c {
            '零' | 'O' | 'o' | '0' => Some(0),
            _ => None,
        })
}

/// A number written in Chinese numerals up to 99 (十二, 二十, 三十一) or
/// in digits.
fn small_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let c: Vec<char> = s.chars().collect();
    match c.as_slice() {
        ['十'] => Some(10),
        [d] => chinese_digit(*d),
        ['十', d] => Some(10 + chinese_digit(*d)?),
        [t, '十'] => Some(10 * chinese_digit(*t)?),
        [t, '十', d] => Some(10 * chinese_digit(*t)? + chinese_digit(*d)?),
        _ => None,
    }
}

/// Parses a date as printed (2017年3月2日, 二〇一二年一月九日) into ISO form.
pub fn date_iso(s: &str) -> Option<String> {
    // Inside a date a bar-like mark is the digit 1 (2019年]月16日).
    let f: String = fold(s)
        .chars()
        .map(|c| {
            if matches!(c, '〕' | '〔' | '|' | 'l' | 'I' | '丨') {
                '1'
            } else {
                c
            }
        })
        .collect();
    let (y, rest) = f.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    // Years of the Republic (中華民國三十八年, 民国38年: 1949) count from
    // 1912; 公元 (the Common Era) is said before a year at times.
    let y = y.strip_prefix("公元").unwrap_or(y);
    let republic = ["中华民国", "中華民國", "民国", "民國"]
        .iter()
        .find_map(|p| y.strip_prefix(p));
    let year: u32 = if let Some(n) = republic {
        small_number(n)? + 1911
    } else if y.chars().all(|c| c.is_ascii_digit()) && y.len() == 4 {
        y.parse().ok()?
    } else if y.chars().count() == 4 {
        y.chars()
            .try_fold(0u32, |a, c| Some(a * 10 + chinese_digit(c)?))?
    } else {
        return None;
    };
    let (month, day) = (small_number(m)?, small_number(d)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1900..=2100).contains(&year) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_arabic_and_chinese_numerals() {
        assert_eq!(date_iso("2017年3月2日").as_deref(), Some("2017-03-02"));
        assert_eq!(
            date_iso("二〇一二年一月九日").as_deref(),
            Some("2012-01-09")
        );
        assert_eq!(
            date_iso("二〇一八年十二月二十八日").as_deref(),
            Some("2018-12-28")
        );
        assert_eq!(date_iso("1999年9月24日").as_deref(), Some("1999-09-24"));
        assert_eq!(date_iso("2017年13月2日"), None);
        assert_eq!(date_iso("2019年]月16日").as_deref(), Some("2019-01-16"));
        assert_eq!(date_iso("2017年底前"), None);
        assert_eq!(
            date_iso("中華民國三十八年十月一日").as_deref(),
            Some("1949-10-01")
        );
        assert_eq!(date_iso("民国38年5月4日").as_deref(), Some("1949-05-04"));
        assert_eq!(
            date_iso("公元一九五二年三月十七日").as_deref(),
            Some("1952-03-17")
        );
        assert_eq!(date_iso("中华民国年5月4日"), None);
    }
}
