//! A document's legal structure, read from its standard text: the
//! 编/章/节 headings, the articles (条) with their paragraphs (款), items
//! (项, （一）) and sub-items (目, 1.), and, in a notice with no articles,
//! its numbered sections (一、二、). Each article gets a number by which it
//! is addressed and cited (《全称》（文号）第六条). Pure: the archive's API,
//! web pages and IIIF ranges all read structure through here.
//!
//! What is not an article is never made one: an article starts a paragraph
//! and numbers run upward (a 第六条 quoted inside a later paragraph, or a
//! second rule's 第一条 after the first's, starts nothing).

use crate::document::Paragraph;
use serde::Serialize;

/// What kind of part an addressable unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// 第X条 of a rule.
    Article,
    /// 一、 of a notice that has no articles.
    Section,
}

/// An addressable part of a document: an article (条), or a section of a
/// notice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Article {
    /// 6 for 第六条 (and for 六、).
    pub number: u32,
    /// As printed: 第六条, or 六、.
    pub label: String,
    pub kind: PartKind,
    /// The headings it stands under, outermost first (第一章　总则).
    pub headings: Vec<String>,
    /// Indices of its paragraphs (its 款, items included) in the
    /// document's paragraphs.
    pub paragraphs: Vec<usize>,
    /// Its paragraphs' text, joined by newlines.
    pub text: String,
    /// Its items (项: （一）…) and sub-items (目: 1. …) as printed labels.
    pub items: Vec<String>,
}

/// The value of a number written in Chinese numerals (up to 9999: 六,
/// 十二, 一百零三, 两千) or in digits.
pub fn cn_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let ascii: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    c
                } else {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
                }
            })
            .collect();
        return ascii.parse().ok().filter(|n| *n > 0 && *n < 10_000);
    }
    let digit = |c: char| match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let (mut total, mut pending) = (0u32, None::<u32>);
    let mut last_unit = 10_000;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                let d = digit(c)?;
                if pending.is_some() && d != 0 {
                    // Two digits in a row (一二) is no number here.
                    return None;
                }
                pending = if d == 0 { None } else { Some(d) };
                continue;
            }
        };
        if unit >= last_unit {
            return None;
        }
        // 十二: a bare 十 is one ten; a bare 百 or 千 is no number.
        let times = match (pending.take(), unit) {
            (Some(d), _) => d,
            (None, 10) => 1,
            (None, _) => return None,
        };
        total += times * unit;
        last_unit = unit;
    }
    total += pending.unwrap_or(0);
    (total > 0).then_some(total)
}

fn is_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百千两0123456789０１２３４５６７８９".contains(c)
}

/// `第X条` (or 编, 章, 节) at the start of a paragraph: its number, the
/// label and the rest of the paragraph.
fn numbered(p: &str, unit: char) -> Option<(u32, &str, &str)> {
    let rest = p.strip_prefix('第')?;
    let end = rest.find(|c: char| !is_numeral(c))?;
    let after = &rest[end..];
    let tail = after.strip_prefix(unit)?;
    let n = cn_number(&rest[..end])?;
    let label_len = '第'.len_utf8() + end + unit.len_utf8();
    Some((n, &p[..label_len], tail))
}

/// A heading line: 第X编/章/节 and a short title.
fn heading(p: &str) -> Option<(usize, &str)> {
    const MAX_HEADING_CHARS: usize = 30;
    if p.chars().count() > MAX_HEADING_CHARS || p.ends_with('。') {
        return None;
    }
    ['编', '章', '节']
        .iter()
        .position(|u| numbered(p, *u).is_some())
        .map(|level| (level, p))
}

/// A section of a notice: 一、 at the start of a paragraph.
fn section(p: &str) -> Option<(u32, &str)> {
    let end = p.find('、')?;
    let n = &p[..end];
    if n.is_empty() || n.chars().count() > 4 || !n.chars().all(is_numeral) {
        return None;
    }
    if n.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    Some((cn_number(n)?, &p[..end + '、'.len_utf8()]))
}

/// An item (（一）) or sub-item (1. / 1、) label at the start of a paragraph.
fn item(p: &str) -> Option<&str> {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = p.strip_prefix(open) {
            let end = rest.find(close)?;
            if cn_number(&rest[..end]).is_some() {
                return Some(&p[..open.len_utf8() + end + close.len_utf8()]);
            }
        }
    }
    let digits = p.find(|c: char| !c.is_ascii_digit())?;
    let rest = &p[digits..];
    (digits > 0 && (rest.starts_with('.') || rest.starts_with('、') || rest.starts_with('．')))
        .then(|| &p[..digits + rest.chars().next().map_or(0, char::len_utf8)])
}

/// A closing date line (二〇一八年一月九日, 2018年1月9日): where the last
/// article ends.
fn date_line(p: &str) -> bool {
    const MAX_DATE_CHARS: usize = 16;
    p.chars().count() <= MAX_DATE_CHARS && p.contains('年') && p.contains('月') && p.ends_with('日')
}

/// How many parts in a row the reader may have lost and the numbering
/// still be followed (第六条 then 第八条).
const MAX_GAP: u32 = 2;

/// A signature line: short, with no sentence punctuation.
fn signature(p: &str) -> bool {
    const MAX_SIGNATURE_CHARS: usize = 30;
    p.chars().count() <= MAX_SIGNATURE_CHARS && !p.contains(['。', '，', '；', '：', '、'])
}

/// The signature lines (issuers, one or several) over a closing date are
/// no part of the last article.
fn drop_signature(a: &mut Article, texts: &[&str]) {
    while a.paragraphs.len() > 1 {
        let Some(&last) = a.paragraphs.last() else {
            break;
        };
        if !signature(texts[last]) {
            break;
        }
        a.paragraphs.pop();
    }
    a.text = a
        .paragraphs
        .iter()
        .map(|&i| texts[i])
        .collect::<Vec<_>>()
        .join("\n");
    a.items = a
        .paragraphs
        .iter()
        .skip(1)
        .filter_map(|&i| item(texts[i]))
        .map(str::to_string)
        .collect();
}

/// The articles of a document, or, when it has none, its sections.
pub fn articles(paragraphs: &[Paragraph]) -> Vec<Article> {
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.trim()).collect();
    let found = parts(&texts, PartKind::Article);
    if found.is_empty() {
        parts(&texts, PartKind::Section)
    } else {
        found
    }
}

fn parts(texts: &[&str], kind: PartKind) -> Vec<Article> {
    let mut out: Vec<Article> = Vec::new();
    let mut headings: [Option<String>; 3] = [None, None, None];
    let mut open = false;
    for (i, t) in texts.iter().enumerate() {
        if kind == PartKind::Article {
            if let Some((level, h)) = heading(t) {
                headings[level] = Some(h.to_string());
                for deeper in headings.iter_mut().skip(level + 1) {
                    *deeper = None;
                }
                open = false;
                continue;
            }
        }
        let start = match kind {
            PartKind::Article => numbered(t, '条').map(|(n, label, _)| (n, label)),
            PartKind::Section => section(t),
        };
        // Numbers run upward from one: a number out of its place starts
        // nothing (a gap of a part or two lost to the reader is allowed).
        let next = out.last().map_or(1, |a| a.number + 1);
        let max = if out.is_empty() { 1 } else { next + MAX_GAP };
        match start.filter(|(n, _)| (next..=max).contains(n)) {
            Some((n, label)) => {
                out.push(Article {
                    number: n,
                    label: label.to_string(),
                    kind,
                    headings: headings.iter().flatten().cloned().collect(),
                    paragraphs: vec![i],
                    text: t.to_string(),
                    items: Vec::new(),
                });
                open = true;
            }
            None if open && date_line(t) => {
                open = false;
                if let Some(a) = out.last_mut() {
                    drop_signature(a, texts);
                }
            }
            None if open => {
                if let Some(a) = out.last_mut() {
                    a.paragraphs.push(i);
                    a.text.push('\n');
                    a.text.push_str(t);
                    if let Some(label) = item(t) {
                        a.items.push(label.to_string());
                    }
                }
            }
            None => {}
        }
    }
    out
}

/// An article's citation as a court writes it: 《全称》（文号）第六条 (the
/// 文号 when there is one). `None` without a title: nothing is cited from
/// nothing.
pub fn court_citation(title: &str, doc_number: &str, label: &str) -> Option<String> {
    let title = title.trim().trim_matches(|c| c == '《' || c == '》');
    if title.is_empty() {
        return None;
    }
    let number = if doc_number.trim().is_empty() {
        String::new()
    } else {
        format!("（{}）", doc_number.trim())
    };
    // A section of a notice is cited by its number, not as an article.
    let label = label.trim_end_matches('、');
    let label = if label.starts_with('第') {
        label.to_string()
    } else {
        format!("第{label}部分")
    };
    Some(format!("《{title}》{number}{label}"))
}

/// A calendar date, as the standard text prints one and ISO 8601 writes
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn month_days(y: u16, m: u8) -> u8 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        (year <= 9999 && (1..=12).contains(&month) && day >= 1 && day <= month_days(year, month))
            .then_some(Date { year, month, day })
    }

    /// `yyyy-mm-dd`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The date `days` days after 1970-01-01 (days from civil, after
    /// Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days after 1970-01-01 (days to civil's inverse, after Howard
    /// Hinnant): what the index stores, so ranges of days compare.
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day before.
    pub fn pred(self) -> Date {
        if self.day > 1 {
            Date {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            let m = self.month - 1;
            Date {
                month: m,
                day: month_days(self.year, m),
                ..self
            }
        } else {
            Date {
                year: self.year - 1,
                month: 12,
                day: 31,
            }
        }
    }

    /// The same day `n` years on (29 February on to the 28th).
    pub fn plus_years(self, n: u16) -> Date {
        let year = self.year + n;
        Date {
            year,
            day: self.day.min(month_days(year, self.month)),
            ..self
        }
    }
}

/// A date as printed in a sentence: 2018年1月1日, 二〇一八年一月一日,
/// 二○一八年十二月三十一日. Returns it and the bytes it took.
pub fn printed_date(s: &str) -> Option<(Date, usize)> {
    let year_end = s.find('年')?;
    let year: String = s[..year_end]
        .chars()
        .map(|c| match c {
            '〇' | '○' | 'O' | '零' => Some('0'),
            '一' => Some('1'),
            '二' => Some('2'),
            '三' => Some('3'),
            '四' => Some('4'),
            '五' => Some('5'),
            '六' => Some('6'),
            '七' => Some('7'),
            '八' => Some('8'),
            '九' => Some('9'),
            c if c.is_ascii_digit() => Some(c),
            c if ('０'..='９').contains(&c) => {
                char::from_u32(c as u32 - '０' as u32 + '0' as u32)
            }
            _ => None,
        })
        .collect::<Option<String>>()?;
    if year.len() != 4 {
        return None;
    }
    let rest = &s[year_end + '年'.len_utf8()..];
    let month_end = rest.find('月')?;
    let month = cn_number(&rest[..month_end])?;
    let rest2 = &rest[month_end + '月'.len_utf8()..];
    let day_end = rest2.find('日')?;
    let day = cn_number(&rest2[..day_end])?;
    let date = Date::new(
        year.parse().ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )?;
    let used = year_end + '年'.len_utf8() + month_end + '月'.len_utf8() + day_end + '日'.len_utf8();
    Some((date, used))
}

/// Where a date of a document's effect was read: the sentence, and the
/// paragraph (of the document's paragraphs) it stands in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub sentence: String,
    pub paragraph: usize,
}

/// A document's effect in time as its own text states it. Nothing is
/// inferred where no sentence says it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Effect {
    /// The first day in force: 自2018年1月1日起施行; 自印发之日起施行 and
    /// the like take the document's own date, when it has one.
    pub effective_from: Option<(Date, Evidence)>,
    /// The last day in force: 有效期至2020年12月31日, or 有效期5年 counted
    /// from the first day.
    pub expires: Option<(Date, Evidence)>,
    /// 暂行 or 试行 in its title: in force for a trial, whatever its term.
    pub provisional: bool,
}

/// The sentences of a paragraph, each with its closing mark.
fn sentences(p: &str) -> impl Iterator<Item = &str> {
    p.split_inclusive(['。', '；', '！'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Phrases that put a text in force on its own date (颁布 as older texts
/// print it: 本条例自颁布之日起施行).
const ON_ITS_OWN_DATE: [&str; 8] = [
    "自印发之日起",
    "自发布之日起",
    "自公布之日起",
    "自下发之日起",
    "自颁布之日起",
    "自印发之日施行",
    "自发布之日施行",
    "自颁布之日施行",
];

/// Reads a document's effect in time from its paragraphs; `own_date` is
/// the document's date (成文日期), used only where a sentence says the text
/// takes effect on it.
pub fn effect(paragraphs: &[Paragraph], title: &str, own_date: Option<Date>) -> Effect {
    let mut e = Effect {
        provisional: title.contains("暂行") || title.contains("试行"),
        ..Effect::default()
    };
    let mut term_years: Option<(u16, Evidence)> = None;
    for (i, p) in paragraphs.iter().enumerate() {
        for sent in sentences(&p.text) {
            let ev = || Evidence {
                sentence: sent.to_string(),
                paragraph: i,
            };
            let in_force = sent.contains("施行") || sent.contains("实施") || sent.contains("执行");
            if e.effective_from.is_none() && in_force {
                // A 题注 under the title: 1958年7月1日 施行, or 发布之日施行.
                let note = printed_date(sent).filter(|(_, used)| {
                    let rest = sent[*used..].trim_start_matches([' ', '\u{3000}']);
                    rest.starts_with("施行") && sent[*used..].len() - rest.len() <= 3
                });
                if let (Some((d, _)), true) = (note, sent.chars().count() <= 16) {
                    e.effective_from = Some((d, ev()));
                } else if ON_ITS_OWN_DATE.iter().any(|k| sent.contains(k))
                    || sent.trim() == "发布之日施行"
                {
                    if let Some(d) = own_date {
                        e.effective_from = Some((d, ev()));
                    }
                } else if let Some(at) = sent.find('自') {
                    if let Some((d, used)) = printed_date(&sent[at + '自'.len_utf8()..]) {
                        let after = &sent[at + '自'.len_utf8() + used..];
                        if after.starts_with("起") {
                            e.effective_from = Some((d, ev()));
                        } else if let Some(until) = after.strip_prefix('至') {
                            // A term: 自2012年2月1日至2017年1月31日施行.
                            if let Some((end, _)) = printed_date(until) {
                                e.effective_from = Some((d, ev()));
                                e.expires.get_or_insert((end, ev()));
                            }
                        }
                    }
                }
            }
            if let Some(at) = sent.find("有效期").filter(|&at| own_term(&sent[..at])) {
                let rest = &sent[at + "有效期".len()..];
                let rest = rest.trim_start_matches(['为', '：', ':']);
                if let Some(until) = rest.strip_prefix("至") {
                    if let Some((d, _)) = printed_date(until) {
                        e.expires.get_or_insert((d, ev()));
                    }
                } else if let Some(end) = rest.find('年') {
                    if let Some(n) = cn_number(&rest[..end]).and_then(|n| u16::try_from(n).ok()) {
                        term_years.get_or_insert((n, ev()));
                    }
                }
            }
        }
    }
    if e.expires.is_none() {
        if let (Some((n, ev)), Some((from, _))) = (term_years, &e.effective_from) {
            e.expires = Some((from.plus_years(n).pred(), ev));
        }
    }
    e
}

/// Whether the 有效期 that follows `before` (its sentence up to there) is
/// the text's own: its clause names nothing else (…施行，有效期5年) or
/// names the text (本办法有效期至…). A licence's or a permit's term
/// (许可证有效期2年) is not the text's.
fn own_term(before: &str) -> bool {
    let clause = before
        .rsplit(['，', ',', '；', '：'])
        .next()
        .unwrap_or("")
        .trim();
    let clause = clause.strip_suffix('的').unwrap_or(clause);
    clause.is_empty() || (clause.starts_with('本') && clause.chars().count() <= 5)
}

/// What a later document does to an earlier one it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// 废止, 停止执行: no longer in force.
    Repeals,
    /// 修改为, 作如下修改: in force as amended.
    Amends,
}

/// A document a text repeals or amends, as it names it: by 文号, by full
/// title, or both.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reference {
    pub action: Action,
    pub doc_number: Option<String>,
    pub title: Option<String>,
    pub evidence: Evidence,
}

/// The action a sentence (or a list's lead-in) states, if any.
fn action(sentence: &str) -> Option<Action> {
    if sentence.contains("废止") || sentence.contains("停止执行") {
        Some(Action::Repeals)
    } else if sentence.contains("修改为")
        || sentence.contains("作如下修改")
        || sentence.contains("修改如下")
    {
        Some(Action::Amends)
    } else {
        None
    }
}

/// The 文号s printed in a sentence (an issuer's code, a bracketed year, a
/// number and 号), with where each ends.
fn doc_numbers(s: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, '〔' | '[' | '［' | '（' | '(') {
            continue;
        }
        // The year, its closing bracket, the number, 号.
        let tail: String = chars[k + 1..].iter().map(|(_, c)| *c).take(14).collect();
        let year_digits = tail.chars().take_while(|c| c.is_ascii_digit()).count();
        if year_digits != 4 {
            continue;
        }
        let after_year: String = tail.chars().skip(4).collect();
        let Some(close) = after_year
            .chars()
            .next()
            .filter(|c| matches!(c, '〕' | ']' | '］' | '）' | ')'))
        else {
            continue;
        };
        let digits: String = after_year
            .chars()
            .skip(1)
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.is_empty() || after_year.chars().nth(1 + digits.len()) != Some('号') {
            continue;
        }
        // The issuer's code before the bracket: CJK characters back to
        // the previous punctuation or space.
        let code: String = chars[..k]
            .iter()
            .rev()
            .map(|(_, c)| *c)
            .take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if code.is_empty() {
            continue;
        }
        let start = at - code.len();
        let text = format!("{code}{c}{}{close}{digits}号", &tail[..4]);
        let end = at + text.len() - code.len();
        out.push((text, start, end));
    }
    out
}

/// The titles in 书名号 in a sentence (a gazette's own name left out), with
/// where each ends.
fn titles(s: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = s[from..].find('《') {
        let open = from + open;
        let Some(close) = s[open..].find('》') else {
            break;
        };
        let close = open + close;
        let t = &s[open + '《'.len_utf8()..close];
        if !t.is_empty() && !t.ends_with("公报") {
            out.push((t.to_string(), open, close + '》'.len_utf8()));
        }
        from = close + '》'.len_utf8();
    }
    out
}

/// The documents a text repeals or amends. A sentence stating the action
/// names them; a lead-in ending in a colon (废止下列文件：) names them in
/// the numbered paragraphs after it. A 文号 printed right after a title
/// (in brackets) is that title's.
pub fn references(paragraphs: &[Paragraph]) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut list: Option<Action> = None;
    for (i, p) in paragraphs.iter().enumerate() {
        let text = p.text.trim();
        if list.is_some() && item(text).is_none() {
            list = None;
        }
        for sent in sentences(text) {
            let act = match list {
                Some(a) => Some(a),
                None => action(sent),
            };
            let Some(act) = act else {
                continue;
            };
            let ts = titles(sent);
            let ns = doc_numbers(sent);
            let mut used = vec![false; ns.len()];
            for (t, _, t_end) in &ts {
                // Its 文号 follows it in brackets, within a few characters.
                let own = ns
                    .iter()
                    .position(|(_, n_start, _)| *n_start >= *t_end && *n_start <= t_end + 6);
                if let Some(k) = own {
                    used[k] = true;
                }
                out.push(Reference {
                    action: act,
                    doc_number: own.map(|k| ns[k].0.clone()),
                    title: Some(t.clone()),
                    evidence: Evidence {
                        sentence: sent.to_string(),
                        paragraph: i,
                    },
                });
            }
            for (k, (n, _, _)) in ns.iter().enumerate() {
                if !used[k] {
                    out.push(Reference {
                        action: act,
                        doc_number: Some(n.clone()),
                        title: None,
                        evidence: Evidence {
                            sentence: sent.to_string(),
                            paragraph: i,
                        },
                    });
                }
            }
        }
        if list.is_none() && (text.ends_with('：') || text.ends_with(':')) {
            list = action(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<Paragraph> {
        text.lines()
            .map(|t| Paragraph {
                text: t.into(),
                anchors: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百", 100),
            ("一百零三", 103),
            ("一百二十", 120),
            ("两千零五", 2005),
            ("6", 6),
            ("１２", 12),
        ] {
            assert_eq!(cn_number(s), Some(n), "{s}");
        }
        for s in ["", "一二", "百", "十十", "零", "abc", "0"] {
            assert_eq!(cn_number(s), None, "{s}");
        }
    }

    const RULES: &str = "云南省政务公开办法
第一章　总则
第一条　为了推进政务公开，制定本办法。
第二条　本办法适用于本省各级行政机关。
前款所称行政机关，包括法律、法规授权的组织。
第二章　公开的内容
第一节　主动公开
第三条　行政机关应当主动公开下列政府信息：
（一）机构职能；
（二）规范性文件；
1.省级规章；
（三）财政预算。
第四条　依照本办法第三条第一项公开的信息，应当及时更新。
第三章　附则
第五条　本办法自2018年1月1日起施行。
云南省人民政府
二〇一七年十二月十日";

    #[test]
    fn a_rule_is_cut_into_its_chapters_articles_paragraphs_and_items() {
        let a = articles(&paras(RULES));
        let labels: Vec<&str> = a.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["第一条", "第二条", "第三条", "第四条", "第五条"]);
        assert_eq!(a[1].paragraphs, [3, 4], "two 款");
        assert_eq!(a[2].items, ["（一）", "（二）", "1.", "（三）"]);
        assert_eq!(a[2].headings, ["第二章　公开的内容", "第一节　主动公开"]);
        // 第三章 resets the section.
        assert_eq!(a[4].headings, ["第三章　附则"]);
        // The quoted 第三条 inside 第四条 starts nothing; the signature
        // and date are no part of the last article.
        assert_eq!(
            a[3].text,
            "第四条　依照本办法第三条第一项公开的信息，应当及时更新。"
        );
        assert_eq!(a[4].text, "第五条　本办法自2018年1月1日起施行。");
        assert!(a.iter().all(|x| x.kind == PartKind::Article));
    }

    #[test]
    fn a_notice_that_carries_a_rule_has_the_rules_articles() {
        let text = format!(
            "各州、市人民政府：\n现将《云南省政务公开办法》印发给你们，请认真贯彻执行。\n云南省人民政府\n2017年12月10日\n{RULES}"
        );
        let a = articles(&paras(&text));
        assert_eq!(a.len(), 5);
        assert_eq!(a[0].number, 1);
    }

    #[test]
    fn a_notice_without_articles_has_its_sections() {
        let text = "各州、市人民政府：\n现将有关事项通知如下：\n一、加强组织领导。\n各地要高度重视。\n二、明确工作任务。\n三、抓好督促落实。\n云南省人民政府办公厅\n2018年3月1日";
        let a = articles(&paras(text));
        let labels: Vec<&str> = a.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["一、", "二、", "三、"]);
        assert_eq!(a[0].text, "一、加强组织领导。\n各地要高度重视。");
        assert_eq!(
            a[2].text, "三、抓好督促落实。",
            "the signature is not the section's"
        );
        assert!(a.iter().all(|x| x.kind == PartKind::Section));
    }

    #[test]
    fn numbers_run_upward_and_a_second_series_starts_nothing() {
        // A second rule attached after the first: its 第一条 is not the
        // document's first article again.
        let text = "第一条　甲。\n第二条　乙。\n第一条　丙。\n第三条　丁。";
        let a = articles(&paras(text));
        let labels: Vec<&str> = a.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["第一条", "第二条", "第三条"]);
        assert_eq!(a[1].text, "第二条　乙。\n第一条　丙。");
        // One article lost to the reader (第二条 misread) leaves a gap,
        // not a stop.
        let gap = articles(&paras("第一条　甲。\n第三条　乙。"));
        assert_eq!(gap.iter().map(|a| a.number).collect::<Vec<_>>(), [1, 3]);
        // An amending decision's paragraphs name articles: none is one.
        let amend = articles(&paras("第十二条修改为：“……”\n第十五条第二款删去。"));
        assert!(amend.is_empty());
    }

    #[test]
    fn citations_as_courts_write_them() {
        assert_eq!(
            court_citation("《云南省政务公开办法》", "云政发〔2017〕88号", "第六条").as_deref(),
            Some("《云南省政务公开办法》（云政发〔2017〕88号）第六条")
        );
        assert_eq!(
            court_citation("关于做好工作的通知", "", "二、").as_deref(),
            Some("《关于做好工作的通知》第二部分")
        );
        assert_eq!(court_citation("  ", "x", "第一条"), None);
    }

    #[test]
    fn dates_as_printed_and_counted() {
        assert_eq!(
            printed_date("2018年1月1日起施行").map(|(d, _)| d.to_string()),
            Some("2018-01-01".into())
        );
        assert_eq!(
            printed_date("二〇一八年十二月三十一日").map(|(d, _)| d.to_string()),
            Some("2018-12-31".into())
        );
        assert_eq!(printed_date("2018年2月30日"), None);
        let d = Date::new(2020, 2, 29).unwrap();
        assert_eq!(d.plus_years(1).to_string(), "2021-02-28");
        assert_eq!(
            Date::new(2021, 1, 1).unwrap().pred().to_string(),
            "2020-12-31"
        );
        assert_eq!(
            Date::new(2021, 3, 1).unwrap().pred().to_string(),
            "2021-02-28"
        );
        assert_eq!(Date::parse_iso("2018-01-09"), Date::new(2018, 1, 9));
        assert_eq!(Date::parse_iso("2018-1-9"), None);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_794).to_string(), "2026-12-07");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
        // days() is from_days' inverse over every day from 1900 to 2100.
        for n in -25_567..47_482 {
            assert_eq!(Date::from_days(n).days(), n);
        }
        assert_eq!(Date::new(1949, 10, 1).unwrap().days(), -7397);
    }

    #[test]
    fn effect_in_time_is_read_from_the_text_and_never_guessed() {
        let own = Date::new(2017, 12, 10);
        let e = effect(&paras(RULES), "云南省政务公开办法", own);
        let (from, ev) = e.effective_from.unwrap();
        assert_eq!(from.to_string(), "2018-01-01");
        assert_eq!(ev.sentence, "第五条　本办法自2018年1月1日起施行。");
        assert_eq!(ev.paragraph, 14);
        assert!(e.expires.is_none() && !e.provisional);

        let notice = "现将有关事项通知如下。\n本通知自印发之日起施行，有效期5年。";
        let e = effect(&paras(notice), "关于做好工作的暂行通知", own);
        assert_eq!(
            e.effective_from.as_ref().unwrap().0.to_string(),
            "2017-12-10"
        );
        assert_eq!(e.expires.as_ref().unwrap().0.to_string(), "2022-12-09");
        assert!(e.provisional);
        // No date of its own: in force "from its issue" says nothing.
        assert!(effect(&paras(notice), "通知", None)
            .effective_from
            .is_none());

        // A licence's term is not the text's.
        let licence = effect(
            &paras("本条例自公布之日起施行。\n生鲜乳收购许可证有效期2年；不再办理登记。"),
            "条例",
            own,
        );
        assert_eq!(licence.expires, None);
        let until = effect(&paras("本办法有效期至2020年12月31日。"), "办法", own);
        assert_eq!(until.expires.unwrap().0.to_string(), "2020-12-31");
        // Older forms, found on the corpus texts (so these are tuning
        // cases now): 颁布, and a term in the 施行 sentence.
        let old = effect(&paras("第二十条　本条例自颁布之日起施行。"), "条例", own);
        assert_eq!(old.effective_from.unwrap().0.to_string(), "2017-12-10");
        let term = effect(
            &paras("第二十九条　本办法自2012年2月1日至2017年1月31日施行。"),
            "办法",
            own,
        );
        assert_eq!(term.effective_from.unwrap().0.to_string(), "2012-02-01");
        assert_eq!(term.expires.unwrap().0.to_string(), "2017-01-31");
        let note = effect(&paras("1958年7月1日 施行\n第一条　为了……"), "规则", own);
        assert_eq!(note.effective_from.unwrap().0.to_string(), "1958-07-01");
        // Nothing said: nothing known.
        assert_eq!(
            effect(&paras("现将有关事项通知如下。"), "通知", own),
            Effect::default()
        );
    }

    #[test]
    fn repeals_and_amendments_name_their_targets() {
        let text = "省人民政府决定：
一、废止下列文件：
1.《云南省政务公开办法》（云政发〔2010〕5号）；
2.云政办发〔2012〕7号文件。
二、对《云南省档案管理办法》作如下修改：
将第三条修改为：“……”
本决定自2021年3月1日起施行，《云南省旧规定》同时废止。
此外，《云南省人民政府公报》另行刊登。";
        let refs = references(&paras(text));
        let got: Vec<(Action, Option<&str>, Option<&str>)> = refs
            .iter()
            .map(|r| (r.action, r.doc_number.as_deref(), r.title.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Action::Repeals,
                    Some("云政发〔2010〕5号"),
                    Some("云南省政务公开办法")
                ),
                (Action::Repeals, Some("云政办发〔2012〕7号"), None),
                (Action::Amends, None, Some("云南省档案管理办法")),
                (Action::Repeals, None, Some("云南省旧规定")),
            ]
        );
        assert_eq!(refs[0].evidence.paragraph, 2);
        // A text that only mentions a 文号 repeals nothing.
        assert!(references(&paras(
            "根据《云南省政务公开办法》（云政发〔2010〕5号），现通知如下。"
        ))
        .is_empty());
    }
}
