//! Parsers for the metadata printed in a gazette document: 文号 (document
//! numbers) with their bracket and width variants, dates in Arabic or
//! Chinese numerals, publication attributes, and the document type named
//! at the end of a title.

pub use gazette_model::printed::{date_iso, doc_number, doc_number_loose, fold, DocNumber};

/// `s` in simplified characters, one for one (辦公廳 → 办公厅), for matching
/// the keywords a name or line is told by; values keep the printed form.
pub(crate) fn simplified(s: &str) -> String {
    gazette_model::script::simplify(s)
}

/// The publication attribute of a line such as （此件公开发布） or
/// （本文有删减）, without its parentheses.
pub fn attribute(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t
        .trim_start_matches(['（', '(', '〔', '【', '['])
        .trim_end_matches(['）', ')', '〕', '】', ']']);
    let k = simplified(inner);
    let known = k.starts_with("此件") || k.starts_with("本文有删减") || k.starts_with("本件");
    (known && inner.chars().count() <= 12 && (k.contains("公开") || k.contains("删减")))
        .then(|| inner.to_string())
}

/// Document types, longest first so 命令 wins over 令.
const TYPES: &[&str] = &[
    "实施细则",
    "实施意见",
    "实施办法",
    "命令",
    "决定",
    "通知",
    "办法",
    "规定",
    "条例",
    "意见",
    "批复",
    "公告",
    "通告",
    "报告",
    "细则",
    "规则",
    "方案",
    "规划",
    "决议",
    "通报",
    "函",
    "令",
];

/// The type of a document named at the end of its title (…的通知 is a
/// 通知); the general class for the 实施… forms.
pub fn doc_type(title: &str) -> Option<&'static str> {
    // The type as a category, in simplified characters (a 決定 is a 决定).
    let s = simplified(title);
    let t = s.trim_end_matches(['）', ')', '》', '"', '”', ' ']);
    let t = t.split(['（', '(']).next().unwrap_or(t);
    TYPES.iter().find(|k| t.ends_with(*k)).map(|k| match *k {
        "实施细则" => "细则",
        "实施意见" => "意见",
        "实施办法" => "办法",
        k => k,
    })
}

/// A line that is a date and nothing else.
pub fn is_date_line(s: &str) -> bool {
    date_iso(s).is_some()
}

/// Whether a signature line has the shape of an issuer, an organ's name
/// (云南省人民政府办公厅, 国务院): Chinese characters (and the odd
/// bracket or interpunct), no digits, and not a date, so that a damaged
/// date (2018年12月？7有日) is never taken for an issuer.
pub fn looks_like_issuer(s: &str) -> bool {
    let t: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let cjk = t.iter().filter(|c| crate::textfix::is_cjk(**c)).count();
    let digits = t
        .iter()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(c));
    let dated = t.contains(&'年') && (t.contains(&'月') || t.contains(&'日'));
    t.len() >= 2 && !digits && !dated && cjk * 10 >= t.len() * 8
}

/// How organs' names end (政府, 办公厅, 委员会, 部, 局 …): an issuer's
/// name has one of these endings. Longest first is not needed: any match
/// will do.
const ORGAN_ENDINGS: &[&str] = &[
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "常委会",
    "人民代表大会",
    "军委",
    "中央",
    "院",
    "部",
    "局",
    "厅",
    "署",
    "委",
    "会",
    "办",
    "室",
    "办事处",
    "研究所",
    "中心",
    "银行",
    "社",
    "团",
    "公司",
    "集团",
    "总队",
    "法院",
    "检察院",
    "政协",
    "党委",
    "党组",
    "省",
    "市",
    "县",
    "区",
];

/// Shortest and longest organ names taken (国务院 … a ministry's full name
/// with 中华人民共和国).
const ORGAN_CHARS: std::ops::RangeInclusive<usize> = 2..=32;

/// Whether `s` (whitespace ignored) has the shape of one organ's name:
/// the characters of [`looks_like_issuer`] and an organ's ending. The
/// reason when not.
pub fn organ_name(s: &str) -> Result<String, &'static str> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !looks_like_issuer(&t) {
        return Err("not an organ's name: digits, a date or other than Chinese characters");
    }
    if !ORGAN_CHARS.contains(&t.chars().count()) {
        return Err("not an organ's name: too short or too long");
    }
    if t.contains(['。', '，', '：', '；', '？', '！', '、']) {
        return Err("not an organ's name: sentence punctuation");
    }
    if !ORGAN_ENDINGS.iter().any(|e| simplified(&t).ends_with(e)) {
        return Err("not an organ's name: no organ's ending (政府, 办公厅, 委员会, 部, 局 …)");
    }
    Ok(t)
}

/// The issuers on a signature line: one organ's name, or several set apart
/// by spaces (国务院办公厅　中央军委办公厅), or names printed in the
/// 版头 run together (`known`). Otherwise the reason.
pub fn issuers(s: &str, known: &[String]) -> Result<Vec<String>, &'static str> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() > 1 {
        if let Ok(v) = parts
            .iter()
            .map(|p| organ_name(p))
            .collect::<Result<Vec<String>, _>>()
        {
            return Ok(v);
        }
    }
    let whole: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    // The 版头's names run together, in any order the signature sets them.
    if known.len() > 1 {
        let mut rest = whole.as_str();
        let mut out = Vec::new();
        while let Some(k) = known
            .iter()
            .find(|k| !k.is_empty() && rest.starts_with(k.as_str()))
        {
            out.push(k.clone());
            rest = &rest[k.len()..];
        }
        if rest.is_empty() && out.len() > 1 {
            return Ok(out);
        }
    }
    if let Some(v) = run_together(&whole) {
        return Ok(v);
    }
    organ_name(&whole).map(|n| vec![n])
}

/// Endings that close an organ's name for certain (a ministry, a court, a
/// general office), where a second name may begin; not 省/市/会/委, which
/// also end a part of one name (云南省|人民政府).
const CLOSING: &[&str] = &[
    "部",
    "院",
    "厅",
    "局",
    "署",
    "委员会",
    "政府",
    "办公室",
    "军委",
    "中央",
];
/// How the rest of one organ's name begins: after 云南省人民政府 comes
/// 办公厅, which is no second issuer.
const CONTINUING: &[&str] = &[
    "办公", "人民", "常务", "委员", "政府", "省", "市", "县", "区", "党", "直属", "驻", "所属",
];

/// Joint issuers whose names OCR ran together (交通部水产部, 国务院中央军委):
/// cut after a closing ending where what follows is a whole name of its own
/// that does not continue the first; each part at least three characters.
/// `None` when no such cut exists.
fn run_together(t: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = t.chars().collect();
    for cut in 3..chars.len().saturating_sub(2) {
        let (a, b): (String, String) =
            (chars[..cut].iter().collect(), chars[cut..].iter().collect());
        let (sa, sb) = (simplified(&a), simplified(&b));
        if !CLOSING.iter().any(|e| sa.ends_with(e)) || CONTINUING.iter().any(|c| sb.starts_with(c))
        {
            continue;
        }
        if organ_name(&a).is_err() {
            continue;
        }
        let rest = run_together(&b).or_else(|| organ_name(&b).ok().map(|n| vec![n]));
        if let Some(rest) = rest {
            return Some(std::iter::once(a).chain(rest).collect());
        }
    }
    None
}

/// A 版头 (发文机关标志) line: organ names followed by 文件, as documents
/// are issued (GB/T 9704); the names, or `None`.
pub fn red_header(s: &str) -> Option<Vec<String>> {
    // 文件 is often spread apart (文　件) to the names' width.
    let names = s.trim().strip_suffix('件')?.trim_end().strip_suffix('文')?;
    if names.trim().is_empty() {
        return Some(Vec::new());
    }
    issuers(names, &[]).ok()
}

/// A line that is a 文号 in part (〔2018〕43号, a number whose issuer's
/// code was not read): where a 文号 stands, noted for review, never used.
pub fn doc_number_fragment(s: &str) -> bool {
    crate::textfix::looks_like_doc_number(s)
}

/// A line of the 版记 at a document's foot: 抄送 …, or the line naming
/// who printed it and when (国务院办公厅　2018年12月29日印发).
pub fn is_colophon(s: &str) -> bool {
    let t: String = simplified(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    t.starts_with("抄送") || (t.ends_with("印发") && t.contains('年') && t.contains('月'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organs_joint_issuers_and_red_headers() {
        for ok in [
            "国务院",
            "云南省人民政府办公厅",
            "中央军委",
            "河南省人民代表大会常务委员会",
            "国家档案局",
        ] {
            assert_eq!(organ_name(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "2018年12月？7有日",
            "各州、市人民政府",
            "省长",
            "现批复如下",
            "一九九六年十一月五日",
        ] {
            assert!(organ_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            issuers("国务院办公厅　中央军委办公厅", &[]).unwrap(),
            ["国务院办公厅", "中央军委办公厅"]
        );
        assert_eq!(issuers("云南省人民 政府", &[]).unwrap(), ["云南省人民政府"]);
        let known = vec!["最高人民法院".to_string(), "最高人民检察院".to_string()];
        assert_eq!(
            issuers("最高人民法院最高人民检察院", &known).unwrap(),
            known
        );
        assert!(issuers("2018年12月？7有日", &known).is_err());
        // Run together by OCR, cut where one name closes and another begins.
        for (line, want) in [
            ("交通部水产部", vec!["交通部", "水产部"]),
            ("国务院中央军委", vec!["国务院", "中央军委"]),
            (
                "国务院办公厅中央军委办公厅",
                vec!["国务院办公厅", "中央军委办公厅"],
            ),
            (
                "国家经济委员会国家档案局",
                vec!["国家经济委员会", "国家档案局"],
            ),
            ("云南省人民政府办公厅", vec!["云南省人民政府办公厅"]),
            (
                "河南省人民代表大会常务委员会",
                vec!["河南省人民代表大会常务委员会"],
            ),
            (
                "中华人民共和国国家发展和改革委员会",
                vec!["中华人民共和国国家发展和改革委员会"],
            ),
            ("新余市人民政府办公室", vec!["新余市人民政府办公室"]),
            ("国家药品监督管理局", vec!["国家药品监督管理局"]),
        ] {
            assert_eq!(issuers(line, &[]).unwrap(), want, "{line}");
        }
        assert_eq!(red_header("国务院文件"), Some(vec!["国务院".to_string()]));
        assert_eq!(
            red_header("国务院办公厅 中央军委办公厅 文件"),
            Some(vec![
                "国务院办公厅".to_string(),
                "中央军委办公厅".to_string()
            ])
        );
        assert_eq!(red_header("关于加强规范性文件"), None);
        assert_eq!(
            red_header("财 政 部 文 件"),
            Some(vec!["财政部".to_string()])
        );
        assert_eq!(red_header("文　件"), Some(vec![]));
        assert!(doc_number_fragment("〔2018〕43号"));
        assert!(!doc_number_fragment("各省、自治区、直辖市人民政府："));
        assert!(is_colophon("抄送：党中央各部门，全国人大常委会办公厅"));
        assert!(is_colophon("国务院办公厅　　2018年12月29日印发"));
        assert!(!is_colophon("现将《办法》印发给你们，请认真贯彻执行。"));
    }

    #[test]
    fn issuers_have_the_shape_of_an_organ() {
        for ok in [
            "云南省人民政府办公厅",
            "国务院",
            "中华人民共和国国家发展和改革委员会",
        ] {
            assert!(looks_like_issuer(ok), "{ok}");
        }
        for bad in [
            "2018年12月？7有日",
            "二〇一八年十二月四日",
            "（2018年12月4日）",
            "-3-",
            "A",
        ] {
            assert!(!looks_like_issuer(bad), "{bad}");
        }
    }

    #[test]
    fn doc_numbers_in_their_variants() {
        for s in [
            "云政办发〔2017〕22号",
            "云政办发[2017]22号",
            "云政办发(2017)22号",
            "云政办发【２０１７】２２号",
            "云政办发〔2017〕 22 号",
        ] {
            let d = doc_number(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.normalised, "云政办发〔2017〕22号", "{s}");
            assert_eq!(
                (d.code.as_str(), d.year, d.serial),
                ("云政办发", Some(2017), 22)
            );
        }
        let d = doc_number("国办发明电〔2018〕15号").unwrap();
        assert_eq!(
            (d.code.as_str(), d.year, d.serial),
            ("国办发明电", Some(2018), 15)
        );
        let d = doc_number("国令第707号").unwrap();
        assert_eq!(
            (d.normalised.as_str(), d.year, d.serial),
            ("国令第707号", None, 707)
        );
        assert_eq!(
            doc_number("云政办发（2017]】22号").unwrap().normalised,
            "云政办发〔2017〕22号"
        );
        assert!(doc_number("第十二条").is_none());
        // Printed in traditional characters.
        let d = doc_number("國發〔1981〕88號").unwrap();
        assert_eq!(
            (d.code.as_str(), d.year, d.serial),
            ("國發", Some(1981), 88)
        );
        assert!(doc_number_fragment("〔1981〕88號"));
        // Organ names printed in traditional characters, as printed.
        assert_eq!(
            issuers("國務院辦公廳　中央軍委辦公廳", &[]).unwrap(),
            ["國務院辦公廳", "中央軍委辦公廳"]
        );
        assert_eq!(issuers("交通部水產部", &[]).unwrap(), ["交通部", "水產部"]);
        assert_eq!(doc_type("國境河流外國籍船舶管理辦法"), Some("办法"));
        assert_eq!(
            attribute("（此件公開發布）").as_deref(),
            Some("此件公開發布")
        );
        assert!(is_colophon("抄送：各省人民政府"));
        for s in ["国办发【2019j 4号", "国办发2019] 4号", "国办发〔2019〕4号"] {
            assert_eq!(
                doc_number_loose(s).map(|d| d.normalised).as_deref(),
                Some("国办发〔2019〕4号"),
                "{s}"
            );
        }
        assert!(doc_number_loose("各州、市人民政府").is_none());
        assert!(doc_number_loose("第3号").is_none());
        assert!(doc_number("各州、市人民政府，省直各委、办、厅、局：").is_none());
        assert!(doc_number("2017年第5期").is_none());
    }

    #[test]
    fn attributes() {
        assert_eq!(
            attribute("（此件公开发布）").as_deref(),
            Some("此件公开发布")
        );
        assert_eq!(
            attribute("(此件依申请公开)").as_deref(),
            Some("此件依申请公开")
        );
        assert_eq!(
            attribute("（此件删减后公开）").as_deref(),
            Some("此件删减后公开")
        );
        assert_eq!(attribute("（本文有删减）").as_deref(), Some("本文有删减"));
        assert_eq!(attribute("（一）严格审查公开属性"), None);
    }

    #[test]
    fn types_from_titles() {
        assert_eq!(
            doc_type("国务院办公厅关于2019年部分节假日安排的通知"),
            Some("通知")
        );
        assert_eq!(
            doc_type("国务院关于2018年度国家科学技术奖励的决定"),
            Some("决定")
        );
        assert_eq!(doc_type("河南省企业集体合同条例"), Some("条例"));
        assert_eq!(doc_type("云南省人民政府令"), Some("令"));
        assert_eq!(
            doc_type("关于加强三级公立医院绩效考核工作的意见"),
            Some("意见")
        );
        assert_eq!(doc_type("政务公开"), None);
    }
}
