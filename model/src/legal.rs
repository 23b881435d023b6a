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
}
