//! Stable, human-readable identifiers: `yn-2017-05` is issue 5 of 2017 of
//! the gazette whose short code is `yn`, `yn-2017-05-03` the third
//! document in it and `yn-2017-05-p07` its seventh scanned page. They appear in URLs and citations, so they are
//! validated on the way in and never contain anything but [a-z0-9-].

use crate::Error;
use std::fmt;
use std::str::FromStr;

/// A gazette's short code, e.g. `yn` for 《云南省人民政府公报》.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GazetteCode(String);

impl GazetteCode {
    pub fn new(code: &str) -> Result<Self, Error> {
        let ok = (1..=16).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(code.to_string()))
        } else {
            Err(Error::GazetteCode(code.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code for a provincial-level gazette named like
    /// 《云南省人民政府公报》: the province's ISO 3166-2:CN code in lower
    /// case (`yn`), or `gwy` for 《中华人民共和国国务院公报》. Other
    /// gazettes need a code given by hand.
    pub fn for_name(name: &str) -> Option<GazetteCode> {
        const CODES: &[(&str, &str)] = &[
            ("国务院", "gwy"),
            ("北京", "bj"),
            ("天津", "tj"),
            ("河北", "he"),
            ("山西", "sx"),
            ("内蒙古", "nm"),
            ("辽宁", "ln"),
            ("吉林", "jl"),
            ("黑龙江", "hl"),
            ("上海", "sh"),
            ("江苏", "js"),
            ("浙江", "zj"),
            ("安徽", "ah"),
            ("福建", "fj"),
            ("江西", "jx"),
            ("山东", "sd"),
            ("河南", "ha"),
            ("湖北", "hb"),
            ("湖南", "hn"),
            ("广东", "gd"),
            ("广西", "gx"),
            ("海南", "hi"),
            ("重庆", "cq"),
            ("四川", "sc"),
            ("贵州", "gz"),
            ("云南", "yn"),
            ("西藏", "xz"),
            ("陕西", "sn"),
            ("甘肃", "gs"),
            ("青海", "qh"),
            ("宁夏", "nx"),
            ("新疆", "xj"),
        ];
        // A name printed in traditional characters (雲南省人民政府公報) is
        // the same gazette's.
        let folded = gazette_model::script::simplify(name);
        let name = folded.trim_start_matches(['《', '〈']);
        let name = name.strip_prefix("中华人民共和国").unwrap_or(name);
        if !name.ends_with("公报") {
            return None;
        }
        CODES
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix))
            .map(|(_, code)| GazetteCode(code.to_string()))
    }
}

/// One issue of a gazette: code, year and issue number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueId {
    pub gazette: GazetteCode,
    pub year: u16,
    pub issue: u16,
}

/// One document of an issue, numbered from 1 in printed order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId {
    pub issue: IssueId,
    pub number: u16,
}

/// One page of an issue, numbered from 1 in scanned order (the printed
/// folio is a property of the page, not its identity: folios can repeat or
/// be missing).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId {
    pub issue: IssueId,
    pub page: u16,
}

impl fmt::Display for IssueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:02}", self.gazette.0, self.year, self.issue)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.issue, self.number)
    }
}

impl fmt::Display for PageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-p{:02}", self.issue, self.page)
    }
}

impl fmt::Display for GazetteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_parts(s: &str, want: usize) -> Result<Vec<&str>, Error> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != want || s.len() > 40 {
        return Err(Error::Id(s.to_string()));
    }
    Ok(parts)
}

fn number(s: &str, whole: &str, max: u16) -> Result<u16, Error> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Id(whole.to_string()));
    }
    match s.parse::<u16>() {
        Ok(n) if n >= 1 && n <= max => Ok(n),
        _ => Err(Error::Id(whole.to_string())),
    }
}

impl FromStr for IssueId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let p = parse_parts(s, 3)?;
        Ok(IssueId {
            gazette: GazetteCode::new(p[0]).map_err(|_| Error::Id(s.to_string()))?,
            year: number(p[1], s, 9999)?,
            issue: number(p[2], s, 999)?,
        })
    }
}

impl FromStr for DocId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let p = parse_parts(s, 4)?;
        Ok(DocId {
            issue: format!("{}-{}-{}", p[0], p[1], p[2])
                .parse()
                .map_err(|_| Error::Id(s.to_string()))?,
            number: number(p[3], s, 999)?,
        })
    }
}

impl FromStr for PageId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let p = parse_parts(s, 4)?;
        let n = p[3]
            .strip_prefix('p')
            .ok_or_else(|| Error::Id(s.to_string()))?;
        Ok(PageId {
            issue: format!("{}-{}-{}", p[0], p[1], p[2])
                .parse()
                .map_err(|_| Error::Id(s.to_string()))?,
            page: number(n, s, 9999)?,
        })
    }
}

/// Ids travel as their text form in records, JSON and URLs.
macro_rules! serde_as_string {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_as_string!(IssueId, DocId, PageId);

impl FromStr for GazetteCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        GazetteCode::new(s)
    }
}
serde_as_string!(GazetteCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let d: DocId = "yn-2017-05-03".parse().unwrap();
        assert_eq!(d.issue.year, 2017);
        assert_eq!(d.issue.issue, 5);
        assert_eq!(d.number, 3);
        assert_eq!(d.to_string(), "yn-2017-05-03");
        let i: IssueId = "yn-2017-5".parse().unwrap();
        assert_eq!(i.to_string(), "yn-2017-05");
        let p: PageId = "yn-2017-05-p7".parse().unwrap();
        assert_eq!(p.to_string(), "yn-2017-05-p07");
        assert_eq!(p.page, 7);
        assert!("yn-2017-05-07".parse::<PageId>().is_err());
        assert!("yn-2017-05-p".parse::<PageId>().is_err());
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"yn-2017-05-03\"");
        assert_eq!(serde_json::from_str::<DocId>(&json).unwrap(), d);
        assert!(serde_json::from_str::<DocId>("\"../x\"").is_err());
    }

    #[test]
    fn codes_for_gazette_names() {
        let code = |n| GazetteCode::for_name(n).map(|c| c.to_string());
        assert_eq!(code("云南省人民政府公报").as_deref(), Some("yn"));
        assert_eq!(code("中华人民共和国国务院公报").as_deref(), Some("gwy"));
        assert_eq!(code("陕西省人民政府公报").as_deref(), Some("sn"));
        assert_eq!(code("某某公报"), None);
        assert_eq!(code("云南日报"), None);
        // Printed in traditional characters: the same gazette.
        assert_eq!(code("雲南省人民政府公報").as_deref(), Some("yn"));
    }

    #[test]
    fn hostile_ids_are_refused() {
        for bad in [
            "",
            "yn",
            "../etc-2017-05-03",
            "YN-2017-05-03",
            "yn-2017-05-00",
            "yn-2017--05-03",
            "yn-2017-05-03-",
            "yn-20x7-05-03",
            "yn-2017-05-+3",
        ] {
            assert!(bad.parse::<DocId>().is_err(), "{bad}");
        }
    }
}
