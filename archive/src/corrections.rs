//! Corrections: a person's edits and verifications as new versions,
//! journalled and fsynced before the store is written, the journal replayed
//! on a rebuilt store, and the documents waiting for a person's decision.

use crate::journal::Correction;
use crate::*;

/// Splits a corrected text into paragraphs, keeping the anchors of the
/// version it corrects where the paragraphs still line up (same count, or
/// the same text). A line's span in its paragraph is kept only where the
/// paragraph's text is unchanged: elsewhere the lines' shares are unknown.
pub(crate) fn reparagraph(text: &str, old: &[Paragraph]) -> Vec<Paragraph> {
    let new: Vec<&str> = text.split('\n').collect();
    let without_spans = |anchors: &[Anchor]| -> Vec<Anchor> {
        anchors
            .iter()
            .map(|a| Anchor {
                chars: None,
                ..a.clone()
            })
            .collect()
    };
    new.iter()
        .enumerate()
        .map(|(i, t)| {
            let anchors = if new.len() != old.len() {
                old.iter()
                    .find(|p| p.text == *t)
                    .map(|p| p.anchors.clone())
                    .unwrap_or_default()
            } else if old[i].text == *t {
                old[i].anchors.clone()
            } else {
                without_spans(&old[i].anchors)
            };
            Paragraph {
                text: t.to_string(),
                anchors,
            }
        })
        .collect()
}

/// A person's decision on a document's text: a correction, a verification,
/// or the choice of a machine reading kept as a candidate.
#[derive(Clone, Debug, Default)]
pub struct Edit<'a> {
    /// The corrected text. `None` keeps the text decided on: the current
    /// one, or with `take_candidate` the candidate's.
    pub text: Option<&'a str>,
    /// The paragraphs with their anchors, when the editor knows them (lines
    /// corrected in a proofreading file): stored as they are. Their texts
    /// joined by newlines must be `text`.
    pub paragraphs: Option<Vec<Paragraph>>,
    /// Take the pending candidate's reading.
    pub take_candidate: bool,
    /// The text has been checked against the printed page.
    pub verified: bool,
    pub reason: &'a str,
    /// Who records it.
    pub by: &'a str,
    /// The version the edit was made against: refused when the document's
    /// current version (or pending candidate) is another.
    pub base: Option<u32>,
}

/// What replaying the journal did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    pub applied: usize,
    /// Corrections the store already holds.
    pub present: usize,
    /// Corrections of documents the store does not hold.
    pub unknown: usize,
    /// Corrections made against a text that is not the document's now:
    /// not applied, each named with why.
    pub refused: Vec<Problem>,
}

/// A document waiting for a person: a machine reading kept as a candidate
/// beside their text, or their text on a document its issue no longer
/// lists.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Pending {
    pub id: DocId,
    pub current: u32,
    /// The candidate's version; absent for a document no longer listed.
    pub candidate: Option<u32>,
    /// What became of it, for a document no longer listed.
    pub gone: Option<Gone>,
    pub reason: String,
}

/// The archive's form of a corrected text: a byte-order mark, carriage
/// returns and trailing blank space (an editor's last newline) removed.
pub fn normalise_text(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .trim_end()
        .to_string()
}

impl Archive {
    /// Makes a new version of a document: `text` corrected (or, with no
    /// text, the current text marked verified). Journalled and fsynced
    /// before the store is written; the index follows.
    pub fn correct(
        &self,
        id: &DocId,
        text: Option<&str>,
        reason: &str,
        verified: bool,
    ) -> Result<Version> {
        self.decide(
            id,
            &Edit {
                text,
                verified,
                reason,
                ..Edit::default()
            },
        )
    }

    /// Records a person's decision on a document as a new, current version.
    /// A decision made while a candidate waits builds on the candidate's
    /// reading (its fields and pages, the issue's latest) with the text
    /// decided; either way the candidate is no longer pending. Journalled
    /// and fsynced before the store is written; the index follows.
    pub fn decide(&self, id: &DocId, edit: &Edit) -> Result<Version> {
        if edit.reason.trim().is_empty() {
            return Err(Error::NoReason);
        }
        let head = self
            .store
            .document(id)?
            .ok_or_else(|| Error::UnknownDocument(id.to_string()))?;
        let load = |n: u32| -> Result<Version> {
            self.store
                .version(id, n)?
                .ok_or_else(|| Error::UnknownVersion {
                    id: id.to_string(),
                    version: n,
                })
        };
        let cur = load(head.current())?;
        let pending = head.pending().map(|p| load(p.version)).transpose()?;
        if edit.take_candidate && pending.is_none() {
            return Err(Error::NoCandidate(id.to_string()));
        }
        let basis = match edit.base {
            Some(b) if b == cur.version => cur.clone(),
            Some(b) if pending.as_ref().is_some_and(|p| p.version == b) => {
                pending.clone().unwrap_or_else(|| cur.clone())
            }
            Some(b) => {
                return Err(Error::Moved {
                    id: id.to_string(),
                    base: b,
                    current: cur.version,
                })
            }
            None => pending.clone().unwrap_or_else(|| cur.clone()),
        };
        let text = match (edit.text, &pending) {
            (Some(t), _) => normalise_text(t),
            (None, Some(p)) if edit.take_candidate => p.fields.text.clone(),
            (None, _) => cur.fields.text.clone(),
        };
        if let Some(ps) = &edit.paragraphs {
            let joined: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
            if joined.join("\n") != text {
                return Err(Error::Query(
                    "the paragraphs given do not make the text given".into(),
                ));
            }
        }
        let c = Correction {
            id: id.clone(),
            base_version: basis.version,
            base_sha256: basis.fields.sha256.clone(),
            status: if edit.verified {
                Status::Verified
            } else {
                Status::Corrected
            },
            sha256: sha256_hex(text.as_bytes()),
            text,
            paragraphs: edit.paragraphs.clone(),
            reason: edit.reason.trim().to_string(),
            by: edit.by.trim().to_string(),
            time: now(),
        };
        self.journal.append(&c)?;
        self.apply(&c, &basis, &head)
    }

    fn apply(&self, c: &Correction, basis: &Version, head: &Document) -> Result<Version> {
        let mut v = basis.clone();
        // After every version, a candidate included: the decision is the
        // newest word on the document.
        v.version = head.next_version();
        v.status = c.status;
        v.candidate = false;
        v.paragraphs = match &c.paragraphs {
            Some(p) => p.clone(),
            None => reparagraph(&c.text, &basis.paragraphs),
        };
        v.fields.text = c.text.clone();
        v.fields.sha256 = c.sha256.clone();
        v.reason = c.reason.clone();
        v.by = c.by.clone();
        v.time = c.time.clone();
        self.store.append_version(&v)?;
        // Only a document in its issue's current version is in the index.
        let listed = self
            .store
            .issue(&v.id.issue)?
            .is_some_and(|i| i.current().documents.contains(&v.id));
        if listed {
            self.index_write(std::slice::from_ref(&v), &[])?;
        }
        Ok(v)
    }

    /// Re-applies journalled corrections the store lacks (after the store
    /// was restored or rebuilt from the scans). A correction is applied only
    /// to the text it was made against (its base's hash, the document's
    /// current text or pending candidate); one made against another text is
    /// refused and named, never laid over a text it was not made for.
    pub fn replay_journal(&self) -> Result<Replay> {
        let mut r = Replay::default();
        for c in self.journal.read()? {
            let Some(head) = self.store.document(&c.id)? else {
                r.unknown += 1;
                continue;
            };
            let have = head
                .versions
                .iter()
                .any(|v| v.sha256 == c.sha256 && v.reason == c.reason && v.time == c.time);
            if have {
                r.present += 1;
                continue;
            }
            let target = if c.base_sha256.is_empty() {
                // Written before base hashes were kept: its base version
                // must still be the current one.
                (head.current() == c.base_version).then(|| head.current())
            } else {
                head.pending()
                    .filter(|p| p.sha256 == c.base_sha256)
                    .or_else(|| head.current_info().filter(|i| i.sha256 == c.base_sha256))
                    .map(|i| i.version)
            };
            let Some(target) = target else {
                r.refused.push(Problem::new(
                    c.id.to_string(),
                    format!(
                        "correction of {} ({}) was made against version {} (text sha256 {}), which is not this document's current text: not applied",
                        c.time,
                        c.reason,
                        c.base_version,
                        if c.base_sha256.is_empty() { "not recorded" } else { &c.base_sha256 }
                    ),
                ));
                continue;
            };
            let Some(basis) = self.store.version(&c.id, target)? else {
                r.unknown += 1;
                continue;
            };
            self.apply(&c, &basis, &head)?;
            r.applied += 1;
        }
        Ok(r)
    }

    /// Documents waiting for a person, in id order: those listed in their
    /// issue whose new machine reading waits beside a person's text, and
    /// those with a person's text that their issue no longer lists.
    pub fn pending(&self) -> Result<Vec<Pending>> {
        let mut out = Vec::new();
        for issue in self.store.issues()? {
            let listed = &issue.current().documents;
            for id in issue.ever_listed() {
                let Some(head) = self.store.document(id)? else {
                    continue;
                };
                if listed.contains(id) {
                    if let Some(p) = head.pending() {
                        out.push(Pending {
                            id: id.clone(),
                            current: head.current(),
                            candidate: Some(p.version),
                            gone: None,
                            reason: p.reason.clone(),
                        });
                    }
                    continue;
                }
                let person = head
                    .current_info()
                    .is_some_and(|i| i.status != Status::Machine);
                if let (true, Some(g)) = (person, &head.gone) {
                    out.push(Pending {
                        id: id.clone(),
                        current: head.current(),
                        candidate: None,
                        gone: Some(g.clone()),
                        reason: format!(
                            "a person's text, no longer in its issue since issue version {} ({})",
                            g.issue_version,
                            g.kind.as_str()
                        ),
                    });
                }
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }
}
