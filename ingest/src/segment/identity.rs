//! The issue's identity: its gazette, year and number from the running
//! heads (read on every page, then voted), or from its file name.

/// The issue's gazette, year and number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub gazette: String,
    pub year: u16,
    pub issue: u16,
    /// The printed page number of each page of the issue by position
    /// (`printed[0]` is the first page's), pages that could not be read
    /// included, numbered from the run of their neighbours' folios (from
    /// `segment`; empty from [`running_head`]).
    pub printed: Vec<u32>,
}

/// Reads 云南省人民政府公报  2017年第5期 into its parts.
pub fn running_head(s: &str) -> Option<Identity> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let nian = t.find("年第")?;
    let year_start = t[..nian].char_indices().rev().take(4).last()?.0;
    let year: u16 = t[year_start..nian].parse().ok()?;
    let after = &t[nian + "年第".len()..];
    let qi = after.find('期')?;
    let issue: u16 = after[..qi].parse().ok()?;
    let gazette = t[..year_start]
        .trim_matches(|c: char| !crate::textfix::is_cjk(c) || c == '》' || c == '《');
    Some(Identity {
        gazette: gazette.to_string(),
        year,
        issue,
        printed: Vec::new(),
    })
}

/// A year printed in a running head is at least this: a head read with
/// its digits damaged (1954 read 1451 on a heavily damaged page) is no
/// year to cite. (The Republic's gazettes print 民國 years, no such digits.)
pub(super) const EARLIEST_HEAD_YEAR: u16 = 1900;

pub(super) const LATEST_HEAD_YEAR: u16 = 2100;

/// The issue as its running heads say it, each page's head a vote: a
/// damaged head (its year or the gazette's first character misread) is
/// outvoted by the other pages' (the first head alone would put a
/// misread year in every citation of the issue). The year and issue are
/// the commonest read (a year out of range is no vote); the gazette's
/// name the commonest, or, when no name was read alike twice, voted
/// character by character among the names of the commonest length, a
/// character and its traditional form one vote (雲/云 over 县, 尖, 公).
/// Ties go to the earlier page. `None` without a head.
pub(super) fn vote(heads: &[Identity]) -> Option<Identity> {
    fn commonest<T: PartialEq + Copy>(v: impl Iterator<Item = T>) -> Option<T> {
        let v: Vec<T> = v.collect();
        let count = |x: &T| v.iter().filter(|y| *y == x).count();
        // max_by_key keeps the last of equals: reversed, the earliest.
        v.iter().rev().copied().max_by_key(count)
    }
    if heads.is_empty() {
        return None;
    }
    let years = heads
        .iter()
        .map(|h| h.year)
        .filter(|y| (EARLIEST_HEAD_YEAR..=LATEST_HEAD_YEAR).contains(y));
    let year = commonest(years).unwrap_or(0);
    let issue = commonest(heads.iter().map(|h| h.issue)).unwrap_or(0);
    let names: Vec<&str> = heads
        .iter()
        .map(|h| h.gazette.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let gazette = match commonest(names.iter().copied()) {
        Some(n) if names.iter().filter(|m| **m == n).count() >= 2 => n.to_string(),
        Some(_) => {
            let len = commonest(names.iter().map(|n| n.chars().count())).unwrap_or(0);
            let alike: Vec<Vec<char>> = names
                .iter()
                .map(|n| n.chars().collect::<Vec<char>>())
                .filter(|n| n.len() == len)
                .collect();
            (0..len)
                .filter_map(|i| {
                    let folded = commonest(
                        alike
                            .iter()
                            .map(|n| gazette_model::script::simplified(n[i])),
                    )?;
                    // The winner as printed: its first reading.
                    alike
                        .iter()
                        .map(|n| n[i])
                        .find(|&c| gazette_model::script::simplified(c) == folded)
                })
                .collect()
        }
        None => String::new(),
    };
    Some(Identity {
        gazette,
        year,
        issue,
        printed: Vec::new(),
    })
}

/// A year and issue number in a file or folder name: 2017年第5期,
/// yn-2017-05, 2017_5.
pub(super) fn identity_from_name(name: &str) -> Option<(u16, u16)> {
    if let Some(id) = running_head(name) {
        return Some((id.year, id.issue));
    }
    let digits: Vec<(usize, String)> = {
        let mut v = Vec::new();
        let mut cur = String::new();
        let mut start = 0;
        for (i, c) in name.char_indices() {
            if c.is_ascii_digit() {
                if cur.is_empty() {
                    start = i;
                }
                cur.push(c);
            } else if !cur.is_empty() {
                v.push((start, std::mem::take(&mut cur)));
            }
        }
        if !cur.is_empty() {
            v.push((start, cur));
        }
        v
    };
    let y = digits
        .iter()
        .position(|(_, d)| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))?;
    let issue = digits.get(y + 1).filter(|(_, d)| d.len() <= 3)?;
    Some((digits[y].1.parse().ok()?, issue.1.parse().ok()?))
}
