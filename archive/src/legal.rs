//! Where each document stands in law: when it took effect and when its
//! term ends (from its own text, `gazette_model::legal::effect`), and from
//! when later documents in the archive repeal or amend it (found by its
//! 文号 and its title, then read for what their repealing and amending
//! sentences name, `legal::references`).
//!
//! The index holds each document's [`Standing`] so a search can filter by
//! status on any day. A standing depends on the document and on the
//! documents that act on it, so every index write recomputes the standing
//! of the documents written and of every document they acted on before or
//! act on now ([`crate::Archive`]'s `index_write`): it holds whatever order
//! issues were stored in, and follows every correction.

use crate::model::Version;
use crate::{Archive, DocId, Query, Result};
use gazette_model::legal::{self, Action, Date, Effect, Evidence, Reference};

/// How many documents citing a 文号 or title are read for what they do to
/// it: more than any gazette prints citing one document.
const CANDIDATES: usize = 50;

/// A title as compared: no 书名号, no spaces, simplified forms.
pub fn title_key(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != '《' && *c != '》')
        .map(gazette_model::script::simplified)
        .collect()
}

/// The day from which a later document's repeal or amendment holds: its
/// own 施行 date, else its date (a document that names no day of its own
/// effect acts from the day it was made; the basis says which).
pub fn acts_from(v: &Version) -> (Option<Date>, &'static str) {
    match effect_of(v).effective_from {
        Some((d, _)) => (Some(d), "施行日期"),
        None => (Date::parse_iso(&v.fields.date_iso), "成文日期"),
    }
}

/// A document's effect in time as its own text states it, its own date
/// standing for 自印发之日 and the like.
pub fn effect_of(v: &Version) -> Effect {
    legal::effect(
        &v.paragraphs,
        &v.fields.title,
        Date::parse_iso(&v.fields.date_iso),
    )
}

/// A later document's act on an earlier one.
pub struct Act {
    pub action: Action,
    /// The later document, current version.
    pub by: Version,
    /// The sentence of `by` naming the earlier document.
    pub evidence: Evidence,
    /// From when it holds, and on what basis (施行日期 or 成文日期).
    pub from: Option<Date>,
    pub basis: &'static str,
}

/// Later documents in the archive (indexed, current) that repeal or amend
/// `v`, each once.
pub fn acted_on_by(a: &Archive, v: &Version) -> Result<Vec<Act>> {
    let number = crate::fold::doc_number_key(&v.fields.doc_number);
    let title = title_key(&v.fields.title);
    let mut queries = Vec::new();
    if !v.fields.doc_number.trim().is_empty() {
        queries.push(v.fields.doc_number.clone());
    }
    if title.chars().count() >= 4 {
        queries.push(format!("\"{}\"", v.fields.title.trim()));
    }
    let mut seen: Vec<DocId> = vec![v.id.clone()];
    let mut out = Vec::new();
    for q in queries {
        let mut query = Query::new(&q);
        query.limit = CANDIDATES;
        query.acting = true;
        query.facets = false;
        for hit in a.search(&query)?.hits {
            let Ok(id) = hit.id.parse::<DocId>() else {
                continue;
            };
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            let Some(later) = a.current(&id)? else {
                continue;
            };
            let named = legal::references(&later.paragraphs)
                .into_iter()
                .find(|r| names(r, &number, &title));
            if let Some(r) = named {
                let (from, basis) = acts_from(&later);
                out.push(Act {
                    action: r.action,
                    by: later,
                    evidence: r.evidence,
                    from,
                    basis,
                });
            }
        }
    }
    Ok(out)
}

/// Whether a reference names the document with this folded 文号 and title
/// key.
fn names(r: &Reference, number: &str, title: &str) -> bool {
    let by_number = !number.is_empty()
        && r.doc_number.as_deref().map(crate::fold::doc_number_key) == Some(number.to_string());
    let by_title =
        !title.is_empty() && r.title.as_deref().map(title_key) == Some(title.to_string());
    by_number || by_title
}

/// What `v` repeals or amends, each reference with the documents of the
/// archive it names (by 文号, else by full title); none when it names no
/// document held here.
pub fn targets(a: &Archive, v: &Version) -> Result<Vec<(Reference, Vec<DocId>)>> {
    let mut out = Vec::new();
    for r in legal::references(&v.paragraphs) {
        let mut ids: Vec<DocId> = match &r.doc_number {
            Some(n) => a.lookup(n)?,
            None => Vec::new(),
        };
        if ids.is_empty() {
            if let Some(t) = &r.title {
                let mut q = Query::new(&format!("\"{t}\""));
                q.limit = CANDIDATES;
                q.facets = false;
                for hit in a.search(&q)?.hits {
                    if title_key(&hit.title) == title_key(t) {
                        if let Ok(id) = hit.id.parse() {
                            ids.push(id);
                        }
                    }
                }
            }
        }
        ids.retain(|id| *id != v.id);
        out.push((r, ids));
    }
    Ok(out)
}

/// A document's status on a day, in the words the national database of
/// laws and regulations uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 有效: in force, as its text says from when.
    InForce,
    /// 已修改: in force as amended by a later document.
    Amended,
    /// 已废止: repealed by a later document.
    Repealed,
    /// 失效: its term (有效期) has ended.
    Expired,
    /// 尚未生效: its first day is still to come.
    NotYet,
    /// 未知: no sentence says when it took effect, and nothing repeals it.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::InForce,
        Status::Amended,
        Status::Repealed,
        Status::Expired,
        Status::NotYet,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "有效",
            Status::Amended => "已修改",
            Status::Repealed => "已废止",
            Status::Expired => "失效",
            Status::NotYet => "尚未生效",
            Status::Unknown => "未知",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Every status in words, for the message refusing another:
    /// "有效, 已修改, 已废止, 失效, 尚未生效 or 未知".
    pub fn expected() -> String {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        let (last, rest) = names.split_last().unwrap_or((&"", &[]));
        format!("{} or {last}", rest.join(", "))
    }
}

/// What the index keeps of a document's standing in law: the days that
/// decide its status on any day, and the documents acting on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub effective_from: Option<Date>,
    pub expires: Option<Date>,
    /// The first day any later document's repeal holds.
    pub repealed_from: Option<Date>,
    /// The first day any later document's amendment holds.
    pub amended_from: Option<Date>,
    /// The documents repealing or amending it, as ids, sorted.
    pub acted_by: Vec<String>,
}

impl Standing {
    /// From the document's own text alone.
    pub fn own(v: &Version) -> Standing {
        Standing::of(&effect_of(v), &[])
    }

    /// From its own text and the acts of later documents on it.
    pub fn with_acts(v: &Version, acts: &[Act]) -> Standing {
        Standing::of(&effect_of(v), acts)
    }

    /// From its effect as its text states it and the acts on it (for a
    /// caller that has the effect already).
    pub fn of(e: &Effect, acts: &[Act]) -> Standing {
        let first = |action: Action| {
            acts.iter()
                .filter(|x| x.action == action)
                .filter_map(|x| x.from)
                .min()
        };
        let mut acted_by: Vec<String> = acts.iter().map(|x| x.by.id.to_string()).collect();
        acted_by.sort();
        acted_by.dedup();
        Standing {
            effective_from: e.effective_from.as_ref().map(|(d, _)| *d),
            expires: e.expires.as_ref().map(|(d, _)| *d),
            repealed_from: first(Action::Repeals),
            amended_from: first(Action::Amends),
            acted_by,
        }
    }

    /// The status on `as_of`. A repeal outranks everything; then a first
    /// day still to come, an ended term, an amendment; with no first day
    /// known, 未知. An act whose day is unknown never counts.
    pub fn status(&self, as_of: Date) -> Status {
        let by = |d: Option<Date>| d.is_some_and(|d| d <= as_of);
        if by(self.repealed_from) {
            Status::Repealed
        } else if self.effective_from.is_some_and(|d| as_of < d) {
            Status::NotYet
        } else if self.expires.is_some_and(|d| as_of > d) {
            Status::Expired
        } else if by(self.amended_from) {
            Status::Amended
        } else if self.effective_from.is_some() {
            Status::InForce
        } else {
            Status::Unknown
        }
    }
}

/// Today, in UTC.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days((secs / 86_400) as i64)
}

/// The full standing of `v` in the archive as its index is now.
pub fn standing(a: &Archive, v: &Version) -> Result<Standing> {
    Ok(Standing::with_acts(v, &acted_on_by(a, v)?))
}

/// Index writes that keep every document's standing true.
impl Archive {
    /// Writes versions to the index and removes ids from it, then brings
    /// the standing in law up to date wherever the write can have changed
    /// it: the written documents themselves, the documents they (or the
    /// removed ones) acted on before, and those they act on now.
    pub(crate) fn index_write(&self, versions: &[Version], remove: &[String]) -> Result<()> {
        let written: Vec<String> = versions
            .iter()
            .map(|v| v.id.to_string())
            .chain(remove.iter().cloned())
            .collect();
        // Acted on before this write, as the index still records it.
        let before = self.index.acted_on_by_any(&written)?;
        let own: Vec<_> = versions.iter().map(|v| (v, Standing::own(v))).collect();
        self.index.replace(&own, remove)?;
        let mut affected: Vec<DocId> = versions.iter().map(|v| v.id.clone()).collect();
        affected.extend(before.iter().filter_map(|id| id.parse().ok()));
        for v in versions {
            for (_, ids) in targets(self, v)? {
                affected.extend(ids);
            }
        }
        self.restand(affected)
    }

    /// Recomputes the standing of these documents against the index as it
    /// is, and re-indexes those whose standing changed, in one commit.
    pub(crate) fn restand(&self, mut ids: Vec<DocId>) -> Result<()> {
        ids.sort();
        ids.dedup();
        let mut changed = Vec::new();
        for id in ids {
            let key = id.to_string();
            let Some(held) = self.index.standing_of(&key)? else {
                continue;
            };
            let Some(v) = self.current(&id)? else {
                continue;
            };
            let now = standing(self, &v)?;
            if now != held {
                changed.push((v, now));
            }
        }
        if !changed.is_empty() {
            let refs: Vec<_> = changed.iter().map(|(v, s)| (v, s.clone())).collect();
            self.index.replace(&refs, &[])?;
        }
        Ok(())
    }
}
