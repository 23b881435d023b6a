//! Text as printed: undoes Tesseract's habits on Chinese pages (spaces
//! between ideographs, ASCII look-alikes of full-width punctuation, 〔〕
//! read as 【], 〈〉 read as 《” or （), using the context of the line and
//! of the bracket nesting on the page.

pub use gazette_model::printed::is_cjk;

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Trims and collapses runs of whitespace to one space.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a line is Chinese text, so ASCII punctuation in it is a
/// misreading of the full-width form.
fn is_chinese_line(chars: &[char]) -> bool {
    let han = chars.iter().filter(|c| is_han(**c)).count();
    let latin = chars.iter().filter(|c| c.is_ascii_alphabetic()).count();
    han > 0 && han >= latin
}

/// Fixes one line on its own: spacing, ASCII look-alikes, 文号 brackets,
/// page-number footers.
pub fn fix_line(line: &str) -> String {
    fix_line_read(line, false)
}

/// Vertical presentation forms of punctuation (︒ ︑ ﹁ ﹂ ︵ ︶ …, as a
/// vertical page prints them) as their horizontal forms (。、「」（）): the
/// standard text is compared, searched and cited in one form. Their
/// compatibility decomposition (NFKC) is exactly that form.
pub fn horizontal_forms(line: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let vertical = |c: char| matches!(c, '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE4F}');
    if !line.chars().any(vertical) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if vertical(c) {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
    out
}

/// The quotation marks and decimal points of a vertical column as
/// horizontal print sets them. A column prints “” and ‘’ as corner brackets
/// (﹁﹂ ﹃﹄, the forms of 「」『』), which its reading gives back as 「」『』
/// (as the forms' decomposition, or read from a turned bracket). The
/// standard text of a mainland gazette quotes with “” and ‘’, so a column's
/// corner brackets become them (a source quoting with 「」 set vertically
/// cannot be told from it). A column sets a figure's decimal point in the
/// middle of its cell, read as a middle dot (14246·091): between digits it
/// is the point.
pub fn vertical_forms(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            '「' => '“',
            '」' => '”',
            '『' => '‘',
            '』' => '’',
            '·' | '・' | '•' | '∙'
                if i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) =>
            {
                '.'
            }
            c => c,
        })
        .collect()
}

/// [`fix_line`] for a line whose recogniser tells a half-width parenthesis
/// from a full-width one by its glyph (`widths_seen`: PP-OCR does, trained
/// on both; Tesseract's chi_sim reads both as ASCII). Such a line keeps the
/// parentheses it read, as printed: sources of the 1950s print (一) half-width
/// as often as （一）. Only a pair read half one way and half the other is
/// made full-width, the Chinese norm.
pub fn fix_line_read(line: &str, widths_seen: bool) -> String {
    // Table cells are fixed one by one and stay tab-separated.
    if line.contains('\t') {
        return line
            .split('\t')
            .map(|cell| fix_line_read(cell, widths_seen))
            .collect::<Vec<_>>()
            .join("\t");
    }
    let line = drop_stray_quotes(&horizontal_forms(line));
    let chars: Vec<char> = collapse_spaces(&line).chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if let Some(footer) = footer(&chars) {
        return footer;
    }
    let chars = doc_number_brackets(&chars);
    let chinese = is_chinese_line(&chars);
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = out.last().copied();
        let next = chars.get(i + 1).copied();
        if c == ' ' {
            // A space survives only between two non-CJK characters
            // (English words, numbers); ideographs are never spaced.
            let keep = match (prev, next) {
                (Some(p), Some(n)) => {
                    !is_cjk(p)
                        && !is_cjk(n)
                        && !(chinese && (is_cjk_punct_ascii(p) || is_cjk_punct_ascii(n)))
                }
                _ => false,
            };
            if keep {
                out.push(c);
            }
            continue;
        }
        let digit_both =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let fixed = if chinese {
            match c {
                ',' if !digit_both => '，',
                ':' if !digit_both => '：',
                ';' => '；',
                '?' => '？',
                '!' => '！',
                '(' if !widths_seen => '（',
                ')' if !widths_seen => '）',
                // PP-OCR reads the enumeration comma as the radical 丶,
                // which no document prints.
                '丶' => '、',
                'O' | 'o' if digit_both => '0',
                'l' | 'I' if digit_both => '1',
                _ => c,
            }
        } else {
            c
        };
        out.push(fixed);
    }
    if chinese {
        if widths_seen {
            mixed_parentheses(&mut out);
        }
        known_misreadings(&mut out);
        numbered_item_paren(&mut out);
        bars_in_dates(&mut out);
        article_gap(&mut out);
        times_signs(&mut out);
    }
    out.into_iter().collect()
}

/// A parenthesis pair read with one half-width and one full-width mark
/// (PP-OCR's `(1）`) is one misread: both become full-width.
fn mixed_parentheses(chars: &mut [char]) {
    let mut open: Option<usize> = None;
    for i in 0..chars.len() {
        match chars[i] {
            '(' | '（' => open = Some(i),
            ')' | '）' => {
                if let Some(o) = open.take() {
                    if (chars[o] == '(') != (chars[i] == ')') {
                        chars[o] = '（';
                        chars[i] = '）';
                    }
                }
            }
            _ => {}
        }
    }
}

/// Item numbers （一）（二）… are often read with the opening parenthesis
/// as 4, \\ or 《: a look-alike before Chinese numerals and a closing
/// parenthesis is （.
fn numbered_item_paren(chars: &mut [char]) {
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    for i in 0..chars.len() {
        if !matches!(
            chars[i],
            '4' | '\\' | '《' | '〈' | '<' | '{' | '[' | '【' | '|' | 'C' | 'c'
        ) {
            continue;
        }
        let n = chars[i + 1..].iter().take_while(|c| numeral(**c)).count();
        if (1..=3).contains(&n)
            && chars.get(i + 1 + n) == Some(&'）')
            && !(i > 0 && chars[i - 1].is_ascii_digit())
        {
            chars[i] = '（';
        }
    }
}

/// Misreadings of the words every gazette prints, where the misread form
/// is not a word at all: (misread, printed).
const MISREADINGS: &[(&str, &str)] = &[("办公打", "办公厅")];

fn known_misreadings(chars: &mut Vec<char>) {
    let s: String = chars.iter().collect();
    if MISREADINGS.iter().any(|(bad, _)| s.contains(bad)) {
        let fixed = MISREADINGS
            .iter()
            .fold(s, |acc, (bad, good)| acc.replace(bad, good));
        *chars = fixed.chars().collect();
    }
}

/// In a date, a bar-like mark between 年, 月, 日 and digits is the digit 1
/// (2019年]月16日).
fn bars_in_dates(chars: &mut [char]) {
    for i in 1..chars.len().saturating_sub(1) {
        let (p, c, n) = (chars[i - 1], chars[i], chars[i + 1]);
        let before = p.is_ascii_digit() || p == '年' || p == '月';
        let after = n.is_ascii_digit() || n == '月' || n == '日';
        if matches!(c, ']' | '|' | 'l' | 'I' | '】' | '[' | '丨') && before && after {
            chars[i] = '1';
        }
    }
}

/// Regulations print a full-width space after an article or chapter
/// heading (第一条　为了…); Tesseract reads that gap as a quotation mark.
fn article_gap(chars: &mut [char]) {
    if chars.first() != Some(&'第') {
        return;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十百千零〇两".contains(c);
    let n = chars[1..].iter().take_while(|c| numeral(**c)).count();
    if n == 0 || n > 6 {
        return;
    }
    let (unit, after) = (chars.get(1 + n).copied(), 2 + n);
    if unit.is_some_and(|u| "条章节编款".contains(u))
        && chars
            .get(after)
            .is_some_and(|q| matches!(q, '”' | '“' | '"' | '\'' | '’' | '‘'))
        && chars.get(after + 1).is_some_and(|c| is_han(*c))
    {
        chars[after] = '\u{3000}';
    }
}

/// The multiplication sign and the ××× placeholder of official texts are
/// read as the letter X: an X between digits, after a digit or
/// ideograph before a digit, or repeated beside an ideograph, is ×.
fn times_signs(chars: &mut [char]) {
    let x = |c: char| matches!(c, 'X' | 'x' | '×');
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if !x(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && x(chars[i]) {
            i += 1;
        }
        let prev = start.checked_sub(1).map(|k| chars[k]);
        let next = chars.get(i).copied();
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let han = |c: Option<char>| c.is_some_and(is_han);
        let times = if i - start >= 2 {
            han(prev) || han(next)
        } else {
            (digit(prev) || han(prev)) && digit(next)
                || digit(prev) && (han(next) || next == Some('%'))
        };
        if times {
            chars[start..i].iter_mut().for_each(|c| *c = '×');
        }
    }
}

/// Tesseract reads a wide gap (as between a gazette's name and its issue in
/// the running head) as a quotation mark standing alone. Chinese quotation
/// marks touch their text, so a lone one with no partner on the line goes.
fn drop_stray_quotes(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let has = |c: char| line.contains(c);
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let lone = matches!(**w, "”" | "“" | "\"" | "’" | "‘" | "'");
            let inner = *i > 0 && *i + 1 < words.len();
            !(lone && inner && !(has('“') && has('”')))
        })
        .map(|(i, w)| {
            // A closing mark after a gap and before a number closes
            // nothing: it is the gap itself, misread.
            if i > 0
                && !has('“')
                && w.strip_prefix('”')
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            {
                w.strip_prefix('”').unwrap_or(w)
            } else {
                w
            }
        })
        .collect();
    kept.join(" ")
}

/// The ASCII characters that stand for full-width punctuation in Chinese.
fn is_cjk_punct_ascii(c: char) -> bool {
    matches!(c, ',' | ':' | ';' | '?' | '!' | '(' | ')')
}

/// A line that is only a page number between dashes, as gazettes print
/// folios (— 12 —): Tesseract reads the dashes as 一 or -.
fn footer(chars: &[char]) -> Option<String> {
    let s: String = chars.iter().collect();
    crate::folio::parse(&s)
        .filter(|f| f.has_dashes())
        .map(|f| f.printed())
}

/// Whether a line has a 文号's shape, whole or damaged (〔2018〕43号,
/// 国函〔[1996]9S号): short, with figures, ending in 号 and no sentence
/// punctuation. Such a line is read by both recognisers
/// (`Tesseract::read_doc_numbers_again`), and where a 文号 stands but none
/// of its readings parses, segmentation notes it for review.
pub fn looks_like_doc_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.ends_with(['号', '號'])
        && t.chars().count() <= 24
        && t.chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && !t.contains(['，', '。', '：'])
}

/// The longest organ's code a 文号 line alone is taken to begin with
/// (国办发, 云政办发; 中共中央办公厅 and the like at most).
const MAX_CODE_CHARS: usize = 10;

/// 〔2017〕 in a 文号 is read as 【2017], [2017] or (2017): a bracketed
/// year followed by a serial number and 号 is always the 〔〕 form. In a
/// vertical column the brackets are set turned (︹︺), and a column read
/// as a line takes them for 一: 一1981一88號.
fn doc_number_brackets(chars: &[char]) -> Vec<char> {
    let open = |c: char| {
        matches!(
            c,
            '【' | '[' | '〔' | '(' | '（' | '［' | '{' | '〈' | '《' | 'l' | '|' | '一'
        )
    };
    let close = |c: char| {
        matches!(
            c,
            '】' | ']' | '〕' | ')' | '）' | '］' | '}' | '〉' | '》' | 'l' | '|' | '1' | '一'
        )
    };
    // Work on the non-space characters, remembering where each sits, since
    // Tesseract spaces the bracket off from the year and the serial.
    let idx: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] != ' ').collect();
    let c = |k: usize| chars[idx[k]];
    let mut out = chars.to_vec();
    let n = idx.len();
    let mut k = 0;
    while k + 5 < n {
        let year = open(c(k))
            && (k + 1..k + 5).all(|j| c(j).is_ascii_digit())
            && matches!(c(k + 1), '1' | '2');
        // A line that is a 文号 and nothing else (its own line under a
        // title, or its own column): whatever stands between the year and
        // the serial is the closing bracket, however damaged (a heavily
        // damaged column's ︺ read 闌, or ~二), one or two marks. Not the
        // opening one: a bracket lost there leaves the code's last
        // character next to the year.
        // (Looked for only where a bracketed year stands.)
        let alone = year
            && k <= MAX_CODE_CHARS
            && (0..k).all(|j| is_han(c(j)))
            && matches!(c(n - 1), '号' | '號')
            && (k + 6..n)
                .find(|&j| c(j).is_ascii_digit())
                .is_some_and(|s| {
                    s <= k + 7
                        && s < n - 1
                        && (k + 5..s).all(|j| c(j) != '年')
                        && (s..n - 1).all(|j| c(j).is_ascii_digit())
                });
        let closing = |ch: char| close(ch) || (alone && !ch.is_ascii_digit() && ch != '年');
        if year && closing(c(k + 5)) {
            // Serial digits and 号 must follow (a year in ordinary
            // parentheses, as in （2017年）, has no serial after it).
            // One stray mark read between the bracket and the serial
            // (【2012]j 3号) is noise.
            let junk = k + 6 < n
                && !c(k + 6).is_ascii_digit()
                && (c(k + 6).is_ascii() || close(c(k + 6)) || alone)
                && k + 7 < n
                && c(k + 7).is_ascii_digit();
            let serial = if junk { k + 7 } else { k + 6 };
            let mut j = serial;
            while j < n && c(j).is_ascii_digit() {
                j += 1;
            }
            if j > serial && j < n && matches!(c(j), '号' | '號') {
                if junk {
                    out[idx[k + 6]] = '\u{0}';
                }
                // A bracket read twice before the year (国函〔[1996]95号,
                // PP-OCR on a two-column page): one is printed. Square
                // forms only: （〔1996〕3号） cites a 文号 in parentheses.
                if k > 0 && matches!(c(k - 1), '【' | '[' | '〔' | '［') {
                    out[idx[k - 1]] = '\u{0}';
                }
                out[idx[k]] = '〔';
                out[idx[k + 5]] = '〕';
                // Spaces inside the number go too: it is printed solid.
                for ch in &mut out[idx[k]..idx[j]] {
                    if *ch == ' ' {
                        *ch = '\u{0}';
                    }
                }
                k = j;
                continue;
            }
        }
        k += 1;
    }
    out.retain(|&ch| ch != '\u{0}');
    out
}

/// Fixes a page's lines: each line on its own, then bracket and quote
/// nesting across lines (a title in 《》 often wraps). Where a closing mark
/// shows what an opening one must have been, the opener is corrected too.
pub fn fix_page(lines: &mut [String]) {
    fix_page_read(lines, &[]);
}

/// [`fix_page`] where `widths_seen[i]` says line `i` was read by a
/// recogniser that tells half- from full-width parentheses (see
/// [`fix_line_read`]); lines beyond the slice are taken as not.
pub fn fix_page_read(lines: &mut [String], widths_seen: &[bool]) {
    for (i, l) in lines.iter_mut().enumerate() {
        *l = fix_line_read(l, widths_seen.get(i).copied().unwrap_or(false));
    }
    let mut page: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
    // Open marks: (line, position, mark as now written).
    let mut stack: Vec<(usize, usize, char)> = Vec::new();
    for li in 0..page.len() {
        if !is_chinese_line(&page[li]) {
            continue;
        }
        for ci in 0..page[li].len() {
            let c = page[li][ci];
            let top = stack.last().map(|t| t.2);
            let mut set = |ch: char| page[li][ci] = ch;
            match c {
                // Chinese nests titles as 《…〈…〉…》: a 《 inside an open 《
                // is a misread 〈.
                '《' | '〈' if top == Some('《') => {
                    set('〈');
                    stack.push((li, ci, '〈'));
                }
                '《' => stack.push((li, ci, '《')),
                // Outside a title, 〈 is a misread full-width parenthesis.
                '〈' => {
                    set('（');
                    stack.push((li, ci, '（'));
                }
                '“' | '（' => stack.push((li, ci, c)),
                '"' => {
                    if top == Some('“') {
                        set('”');
                        stack.pop();
                    } else {
                        set('“');
                        stack.push((li, ci, '“'));
                    }
                }
                '》' | '〉' | '”' | '）' => {
                    let Some(&(ol, oc, open)) = stack.last() else {
                        continue;
                    };
                    let fixed = match (c, open) {
                        (_, '〈') if c != '〉' && c != '）' => Some('〉'),
                        ('”', '《') | ('〉', '《') => Some('》'),
                        ('〉', '（') | ('”', '（') => Some('）'),
                        _ => None,
                    };
                    if let Some(f) = fixed {
                        set(f);
                        stack.pop();
                    } else if closes(open) == c {
                        stack.pop();
                    } else if c == '）' && (open == '《' || open == '〈') {
                        // A parenthesis closes what Tesseract read as a
                        // title mark: the opener was （.
                        page[ol][oc] = '（';
                        stack.pop();
                    }
                }
                _ => {}
            }
            if stack.len() > 8 {
                // Something went unclosed; forget rather than mislead.
                stack.clear();
            }
        }
        // Titles and quotations do not run past the end of a sentence.
        if matches!(page[li].last(), Some('。') | Some('；') | Some('：')) {
            stack.clear();
        }
    }
    for (l, chars) in lines.iter_mut().zip(page) {
        *l = chars.into_iter().collect();
    }
}

fn closes(open: char) -> char {
    match open {
        '《' => '》',
        '〈' => '〉',
        '“' => '”',
        '（' => '）',
        _ => '\0',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        fix_page(&mut v);
        v
    }

    #[test]
    fn spaces_between_ideographs_go() {
        assert_eq!(fix_line("云 南 省 人 民 政 府"), "云南省人民政府");
        assert_eq!(fix_line("2017 年底前"), "2017年底前");
        assert_eq!(fix_line("PP-OCR v4 model"), "PP-OCR v4 model");
    }

    #[test]
    fn the_radical_read_for_an_enumeration_comma_is_the_comma() {
        assert_eq!(fix_line("各地区丶各部门"), "各地区、各部门");
    }

    #[test]
    fn ascii_lookalikes_become_full_width_in_chinese() {
        assert_eq!(
            fix_line("各州、市人民政府，省直各委、办、厅、局:"),
            "各州、市人民政府，省直各委、办、厅、局："
        );
        assert_eq!(fix_line("(一) 严格审查公开属性"), "（一）严格审查公开属性");
        assert_eq!(
            fix_line("会议于10:30召开, 共1,000人"),
            "会议于10:30召开，共1,000人"
        );
        assert_eq!(fix_line("see (a), then"), "see (a), then");
    }

    #[test]
    fn doc_number_brackets_fold() {
        assert_eq!(fix_line("云政办发 【2017] 22号"), "云政办发〔2017〕22号");
        assert_eq!(fix_line("国办发 [2016] 80号"), "国办发〔2016〕80号");
        assert_eq!(
            fix_line("（国办发【2016] 80号），进一步"),
            "（国办发〔2016〕80号），进一步"
        );
        assert_eq!(fix_line("（2017年）"), "（2017年）");
        assert_eq!(fix_line("余府发【2012]j 3号"), "余府发〔2012〕3号");
        assert_eq!(fix_line("云政办发（2017]】22号"), "云政办发〔2017〕22号");
        assert_eq!(fix_line("国函〔[1996]95号"), "国函〔1996〕95号");
        assert_eq!(fix_line("请示（[1996]3号）"), "请示（〔1996〕3号）");
        assert_eq!(fix_line("2019年]月16日"), "2019年1月16日");
        // Vertical forms of punctuation print as the horizontal ones.
        // (NFKC gives some as ASCII; the line fixes make them full-width.)
        assert_eq!(
            fix_line("第一條︓為發動群眾︐協助︑防諜︒"),
            "第一條：為發動群眾，協助、防諜。"
        );
        assert_eq!(fix_line("﹁通知﹂︵一︶"), "「通知」（一）");
        assert_eq!(vertical_forms(&fix_line("﹁通知﹂﹃甲﹄")), "“通知”‘甲’");
        // A column's decimal point, set mid-cell, between digits only.
        assert_eq!(
            vertical_forms("14246·091半徑1200・25米"),
            "14246.091半徑1200.25米"
        );
        assert_eq!(vertical_forms("阿沛·阿旺晉美 3·"), "阿沛·阿旺晉美 3·");
        // Turned brackets of a vertical column, a traditional 號.
        assert_eq!(fix_line("國發一1981一88號"), "國發〔1981〕88號");
        // A heavily damaged column's ︺ read as a character: a line that
        // is a 文号 alone has its bracket there whatever was read.
        assert_eq!(fix_line("國辦發一1996闌32號"), "國辦發〔1996〕32號");
        assert_eq!(fix_line("國辦發一1996~二32號"), "國辦發〔1996〕32號");
        assert_eq!(fix_line("見國辦發一1996闌32號文"), "見國辦發一1996闌32號文");
        assert_eq!(fix_line("國辦發一1996年32號"), "國辦發一1996年32號");
        assert_eq!(fix_line("第一1981年"), "第一1981年");
        assert_eq!(fix_line("国务院办公打"), "国务院办公厅");
    }

    #[test]
    fn parentheses_read_by_glyph_stay_as_printed() {
        assert_eq!(
            fix_line_read("(一)凡人民中历史清楚", true),
            "(一)凡人民中历史清楚"
        );
        assert_eq!(fix_line_read("（一）凡人民", true), "（一）凡人民");
        assert_eq!(
            fix_line_read("规定：(1）在航行中", true),
            "规定：（1）在航行中"
        );
        assert_eq!(
            fix_line_read("(一)凡人民中历史清楚", false),
            "（一）凡人民中历史清楚"
        );
        let mut v = vec!["(一)凡人民".to_string(), "(二)治安".to_string()];
        fix_page_read(&mut v, &[true]);
        assert_eq!(v, ["(一)凡人民", "（二）治安"]);
    }

    #[test]
    fn item_number_parentheses() {
        assert_eq!(fix_line("4一）严格审查公开属性"), "（一）严格审查公开属性");
        assert_eq!(fix_line("\\四）满意度评价"), "（四）满意度评价");
        assert_eq!(fix_line("共4人"), "共4人");
    }

    #[test]
    fn article_gaps_and_times_signs() {
        assert_eq!(
            fix_line("第一条”为了加强绿色建筑管理"),
            "第一条\u{3000}为了加强绿色建筑管理"
        );
        assert_eq!(fix_line("第二章“设计"), "第二章\u{3000}设计");
        assert_eq!(fix_line("根据第五条“规定"), "根据第五条“规定");
        assert_eq!(fix_line("手术台次数X100%。"), "手术台次数×100%。");
        assert_eq!(fix_line("XX市人民政府"), "××市人民政府");
        assert_eq!(fix_line("X射线检查"), "X射线检查");
    }

    #[test]
    fn stray_quotes() {
        assert_eq!(
            fix_line("云南省人民政府公报 ” 2017年第5期"),
            "云南省人民政府公报2017年第5期"
        );
        assert_eq!(fix_line("即 “此件公开发布” 等"), "即“此件公开发布”等");
        assert_eq!(fix_line("公报 ”2017年第5期"), "公报2017年第5期");
        assert_eq!(
            fix_line("工作的意见 ”实施细则"),
            "工作的意见”实施细则",
            "a misread 〉 stays for fix_page"
        );
    }

    #[test]
    fn footers() {
        assert_eq!(fix_line("一 12 一"), "— 12 —");
        assert_eq!(fix_line("— 3 —"), "— 3 —");
        assert_eq!(fix_line("- 7 -"), "- 7 -");
        assert_eq!(fix_line("一二三"), "一二三");
        assert_eq!(fix_line("一 】 一"), "— 1 —");
        assert_eq!(fix_line("3一"), "— 3 —");
        assert_eq!(fix_line("2017"), "2017");
    }

    #[test]
    fn nested_titles_across_lines() {
        let v = page(&[
            "为贯彻落实《国务院办公厅印发《关于全面推进政务公开工作的意见”实施细则的通知》",
            "办公厅 〈室) 要定期抽查",
        ]);
        assert_eq!(
            v[0],
            "为贯彻落实《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》"
        );
        assert_eq!(v[1], "办公厅（室）要定期抽查");
        let v = page(&["按照《关于做好工作的通知”要求，做好“五公开”"]);
        assert_eq!(
            v[0], "按照《关于做好工作的通知》要求，做好“五公开”",
            "an unclosed 《 closed by ” is 》"
        );
        let v = page(&[
            "印发《中共云南省委办公厅印发《",
            "关于全面推进的实施意见”的通知》",
        ]);
        assert_eq!(v[1], "关于全面推进的实施意见〉的通知》");
    }
}
