//! What the archive holds and what archivists still have to find or
//! rescan: per gazette and year, the issues held, the numbers missing from
//! the year's sequence, and the pages whose verdict is not ok; and the
//! sources that could not be read at all.

use crate::{Archive, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// A page a person should look at again.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageToCheck {
    /// Its page id, e.g. `yn-2017-05-p03`.
    pub id: String,
    pub printed: u32,
    /// blank, suspect or failed.
    pub verdict: &'static str,
    /// What was measured, or the error naming file and page.
    pub reason: String,
}

/// One year of one gazette.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Year {
    pub year: u16,
    /// Issue numbers held, ascending.
    pub held: Vec<u16>,
    /// Numbers below the highest held that are not held. Issues after the
    /// highest held cannot be known missing from the archive alone (a
    /// gazette's yearly count varies), so none is claimed.
    pub missing: Vec<u16>,
    pub pages: u32,
    pub pages_to_check: Vec<PageToCheck>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GazetteCoverage {
    pub code: String,
    pub name: String,
    pub years: Vec<Year>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    pub gazettes: Vec<GazetteCoverage>,
    /// Source files that could not be read at all.
    pub unread_sources: Vec<UnreadSource>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnreadSource {
    pub path: String,
    /// The error, naming file and page.
    pub error: String,
}

/// Numbers from 1 to the highest of `held` that `held` lacks.
fn gaps(held: &[u16]) -> Vec<u16> {
    let top = held.iter().copied().max().unwrap_or(0);
    (1..=top).filter(|n| !held.contains(n)).collect()
}

impl Archive {
    /// The archive's coverage. Reads every current page's record: a report
    /// to cache, not a per-request path.
    pub fn coverage(&self) -> Result<Coverage> {
        let names: BTreeMap<String, String> = self
            .gazettes()?
            .into_iter()
            .map(|g| (g.code.to_string(), g.name))
            .collect();
        let mut by: BTreeMap<String, BTreeMap<u16, Year>> = BTreeMap::new();
        for issue in self.issues()? {
            let code = issue.id.gazette.to_string();
            let year = by
                .entry(code)
                .or_default()
                .entry(issue.year)
                .or_insert(Year {
                    year: issue.year,
                    held: Vec::new(),
                    missing: Vec::new(),
                    pages: 0,
                    pages_to_check: Vec::new(),
                });
            year.held.push(issue.number);
            for p in self.current_pages(&issue)? {
                year.pages += 1;
                if p.verdict != crate::Verdict::Ok {
                    year.pages_to_check.push(PageToCheck {
                        id: p.id.to_string(),
                        printed: p.printed,
                        verdict: p.verdict.name(),
                        reason: p.verdict.reason().to_string(),
                    });
                }
            }
        }
        let gazettes = by
            .into_iter()
            .map(|(code, years)| GazetteCoverage {
                name: names.get(&code).cloned().unwrap_or_default(),
                code,
                years: years
                    .into_values()
                    .map(|mut y| {
                        y.held.sort_unstable();
                        y.held.dedup();
                        y.missing = gaps(&y.held);
                        y
                    })
                    .collect(),
            })
            .collect();
        Ok(Coverage {
            gazettes,
            unread_sources: self
                .failures()?
                .into_iter()
                .map(|(path, error)| UnreadSource { path, error })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn gaps_are_the_numbers_below_the_highest_held() {
        assert_eq!(super::gaps(&[1, 2, 5]), vec![3, 4]);
        assert_eq!(super::gaps(&[3]), vec![1, 2]);
        assert!(super::gaps(&[]).is_empty());
    }
}
