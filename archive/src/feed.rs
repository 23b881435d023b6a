//! The change feed: every write to the archive as a numbered entry, in the
//! order written, so a harvester that follows it from the start (or from
//! where it stopped) holds the current documents exactly. Entries are
//! written in the same sled transaction as what they record, numbered by a
//! counter kept in that transaction: the numbers never go back and never
//! skip a write.

use crate::model::{Document, Issue, Status, Version, VersionInfo};
use serde::{Deserialize, Serialize};

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An issue version stored (its `id` is the issue's; `sha256` is the
    /// hash of its sources' hashes).
    Issue,
    /// A new document: its first version, current.
    Added,
    /// A new machine reading of a document, current.
    Revised,
    /// A person's text, current.
    Corrected,
    /// A person's check of the text, current.
    Verified,
    /// A machine reading waiting beside a person's text: not current.
    Candidate,
    /// No longer listed by its issue (merged, split, withdrawn): its id
    /// resolves, but it is no longer a current document until a later
    /// entry lists it again.
    Gone,
}

impl Kind {
    /// The kind of a document version's entry.
    pub fn of(v: &VersionInfo) -> Kind {
        if v.candidate {
            Kind::Candidate
        } else if v.version == 1 {
            Kind::Added
        } else {
            match v.status {
                Status::Machine => Kind::Revised,
                Status::Corrected => Kind::Corrected,
                Status::Verified => Kind::Verified,
            }
        }
    }

    /// Whether the entry makes its version the document's current one.
    pub fn is_current(self) -> bool {
        matches!(
            self,
            Kind::Added | Kind::Revised | Kind::Corrected | Kind::Verified
        )
    }
}

/// One entry of the feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Its place in the feed: increasing, one per entry.
    pub seq: u64,
    pub kind: Kind,
    /// A document id, or an issue id for [`Kind::Issue`].
    pub id: String,
    pub version: u32,
    pub sha256: String,
    /// When it was written (RFC 3339, UTC).
    pub time: String,
}

impl Change {
    /// The entry for a document version (numbered at commit).
    pub fn of_version(v: &Version) -> Change {
        let info = v.info();
        Change {
            seq: 0,
            kind: Kind::of(&info),
            id: v.id.to_string(),
            version: v.version,
            sha256: info.sha256,
            time: info.time,
        }
    }
}

/// The feed of an archive written before the feed was kept, rebuilt from
/// the records' history: every issue version, document version and
/// departure, in time order (within one second: issues first, then
/// documents by id and version). The order of writes made within the same
/// second cannot be known; every current document still comes out current.
pub fn from_history(issues: &[Issue], docs: &[Document]) -> Vec<Change> {
    let mut out: Vec<(String, u8, String, u32, Change)> = Vec::new();
    for i in issues {
        for v in &i.versions {
            let c = Change {
                seq: 0,
                kind: Kind::Issue,
                id: i.id.to_string(),
                version: v.version,
                sha256: crate::hash::sourceset_key(&v.sources),
                time: v.time.clone(),
            };
            out.push((v.time.clone(), 0, c.id.clone(), v.version, c));
        }
    }
    for d in docs {
        for v in &d.versions {
            let c = Change {
                seq: 0,
                kind: Kind::of(v),
                id: d.id.to_string(),
                version: v.version,
                sha256: v.sha256.clone(),
                time: v.time.clone(),
            };
            out.push((v.time.clone(), 1, c.id.clone(), v.version, c));
        }
        if let (Some(g), Some(last)) = (&d.gone, d.versions.last()) {
            let c = Change {
                seq: 0,
                kind: Kind::Gone,
                id: d.id.to_string(),
                version: last.version,
                sha256: last.sha256.clone(),
                time: g.time.clone(),
            };
            // After the document's last version (it left with it).
            out.push((g.time.clone(), 2, c.id.clone(), u32::MAX, c));
        }
    }
    out.sort_by(|a, b| (&a.0, a.1, &a.2, a.3).cmp(&(&b.0, b.1, &b.2, b.3)));
    out.into_iter().map(|e| e.4).collect()
}
