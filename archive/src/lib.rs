//! The archive library: the data model of a gazette archive, its sled
//! store, its tantivy index, corrections with their journal, search and
//! fixity checks. It knows nothing of PDFs or OCR: the binary hands it
//! read issues as [`NewIssue`]s.
//!
//! An archive is a directory: `FORMAT` (the format version, checked before
//! anything else is opened), `store/` (sled: every record and page image),
//! `index/` (tantivy: derived from the store, rebuildable) and
//! `journal.jsonl` (every correction, fsynced).

mod anyof;
pub mod bag;
pub mod coverage;
pub mod error;
pub mod feed;
pub mod fold;
mod hash;
pub mod id;
mod identity;
mod index;
pub mod journal;
pub mod legal;
pub mod model;
mod ranked;
pub mod search;
mod store;
pub mod tokenizer;

pub use error::Error;
pub use hash::sha256_hex;
pub use id::{DocId, GazetteCode, IssueId, PageId};
pub use identity::MatchParams;
pub use model::*;
pub use search::{Hit, Query, Results, Snippet, Sort};
pub use store::now;

use index::SearchIndex;
use journal::{Correction, Journal};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use store::Store;

/// The on-disk format version of an archive. An archive written with
/// another version is refused with a clear error rather than misread.
///
/// Format 2 keeps machine readings of a person's text as candidates after
/// the current version, and ids no longer listed with what became of
/// them: a build of format 1 would take a candidate for the current text,
/// so it must refuse these archives. Format 1's records read as they are
/// (no candidates, nothing gone); opening one upgrades its `FORMAT`.
pub const FORMAT_VERSION: u32 = 2;

/// Formats this build reads (and upgrades to [`FORMAT_VERSION`] on open).
const READABLE_FORMATS: [u32; 2] = [1, 2];

const FORMAT_FILE: &str = "FORMAT";
const FORMAT_MAGIC: &str = "gazette-archive";

pub type Result<T> = std::result::Result<T, Error>;

/// Something `verify` found wrong, by the id of what is affected.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub id: String,
    pub what: String,
}

impl Problem {
    fn new(id: String, what: String) -> Problem {
        Problem { id, what }
    }
}

/// What the archive holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub issues: u64,
    pub pages: u64,
    pub documents: u64,
    pub versions: u64,
    pub store_bytes: u64,
    pub index_bytes: u64,
}

pub struct Archive {
    dir: PathBuf,
    store: Store,
    index: SearchIndex,
    journal: Journal,
}

fn check_format(dir: &Path, create: bool) -> Result<()> {
    let file = dir.join(FORMAT_FILE);
    match std::fs::read_to_string(&file) {
        Ok(s) => {
            let found = s.trim();
            let version = found
                .strip_prefix(FORMAT_MAGIC)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|v| READABLE_FORMATS.contains(v));
            match version {
                Some(FORMAT_VERSION) => Ok(()),
                Some(_) => write_format(dir, &file),
                None => Err(Error::Format {
                    path: dir.to_path_buf(),
                    found: found.chars().take(40).collect(),
                    expected: FORMAT_VERSION,
                }),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let empty = match std::fs::read_dir(dir) {
                Ok(mut d) => d.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(e) => return Err(Error::io(dir, e)),
            };
            if !empty {
                return Err(Error::NotArchive {
                    path: dir.to_path_buf(),
                });
            }
            if !create {
                return Err(Error::io(
                    dir,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no archive here"),
                ));
            }
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            write_format(dir, &file)
        }
        Err(e) => Err(Error::io(&file, e)),
    }
}

/// Writes today's `FORMAT`: whole, then renamed, so a crash leaves no
/// half file.
fn write_format(dir: &Path, file: &Path) -> Result<()> {
    let tmp = dir.join("FORMAT.tmp");
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        writeln!(f, "{FORMAT_MAGIC} {FORMAT_VERSION}")?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().map_err(|e| Error::io(file, e))
}

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
    /// Opens the archive in `dir`, creating it if `create` and the
    /// directory is absent or empty. An index made by another analysis
    /// version is rebuilt from the store first (progress in the log; see
    /// [`Archive::open_with_progress`]).
    pub fn open(dir: &Path, create: bool) -> Result<Archive> {
        Self::open_with_progress(dir, create, &mut |done, total| {
            if done == total || done % 1000 == 0 {
                tracing::info!("rebuilding the index: {done} of {total} documents");
            }
        })
    }

    /// As [`Archive::open`], reporting the progress of an index rebuild as
    /// (documents done, documents in all).
    pub fn open_with_progress(
        dir: &Path,
        create: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Archive> {
        check_format(dir, create)?;
        let store = Store::open(&dir.join("store"))?;
        let (index, stale) = SearchIndex::open(&dir.join("index"))?;
        let archive = Archive {
            dir: dir.to_path_buf(),
            store,
            index,
            journal: Journal::new(dir.join("journal.jsonl")),
        };
        let backfilled = archive.store.backfill_feed()?;
        if backfilled > 0 {
            tracing::info!(
                "{}: the change feed rebuilt from the records' history: {backfilled} entries",
                dir.display()
            );
        }
        if stale {
            tracing::warn!(
                "{}: the index was made by another analysis version; rebuilding it from the store",
                dir.display()
            );
            archive.rebuild_index(progress)?;
        }
        Ok(archive)
    }

    /// Empties the index and indexes every current version again, in
    /// batches, reporting progress.
    fn rebuild_index(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        const BATCH: usize = 1000;
        let current = self.current_versions()?;
        self.index.clear()?;
        progress(0, current.len());
        for (i, chunk) in current.chunks(BATCH).enumerate() {
            let own: Vec<_> = chunk.iter().map(|v| (v, legal::Standing::own(v))).collect();
            self.index.replace(&own, &[])?;
            progress((i * BATCH + chunk.len()).min(current.len()), current.len());
        }
        // With every document indexed, those that others act on learn it.
        let mut affected = Vec::new();
        for v in &current {
            for (_, ids) in legal::targets(self, v)? {
                affected.extend(ids);
            }
        }
        self.restand(affected)?;
        Ok(current.len())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The issue already stored from exactly these sources, if any.
    pub fn known_sources(&self, sources: &[SourceFile]) -> Result<Option<IssueId>> {
        self.store.known_sources(sources)
    }

    /// Stores a read issue and indexes its documents. The store is
    /// committed and flushed first; if the process dies before the index
    /// commit, [`Archive::reconcile`] puts the index right.
    pub fn store_issue(&self, new: &NewIssue) -> Result<Stored> {
        let (stored, current, unlisted) = self.store.store_issue(new)?;
        if !current.is_empty() || !unlisted.is_empty() {
            // Documents no longer listed leave the index (their versions
            // stay in the store, their ids resolve).
            self.index_write(&current, &unlisted)?;
        }
        Ok(stored)
    }

    /// Stores several read issues, then flushes the store once and indexes
    /// their documents in one index write: a bulk load (a bench's archive,
    /// a migration) pays one fsync and one index commit per batch instead
    /// of per issue. A crash inside the batch leaves the store ahead of the
    /// index, which [`Archive::reconcile`] puts right, as after any crash
    /// between the two commits.
    pub fn store_issues(&self, new: &[NewIssue]) -> Result<Vec<Stored>> {
        let mut stored = Vec::with_capacity(new.len());
        let mut current = Vec::new();
        let mut unlisted = Vec::new();
        for issue in new {
            let (s, c, u) = self.store.store_issue_unflushed(issue)?;
            stored.push(s);
            current.extend(c);
            unlisted.extend(u);
        }
        self.store.flush()?;
        if !current.is_empty() || !unlisted.is_empty() {
            self.index_write(&current, &unlisted)?;
        }
        Ok(stored)
    }

    /// Records a source that could not be read at all.
    pub fn record_failure(&self, path: &str, error: &str) -> Result<()> {
        self.store.record_failure(path, error)
    }

    /// Forgets a recorded failure (the source has since been stored).
    pub fn clear_failure(&self, path: &str) -> Result<()> {
        self.store.clear_failure(path)
    }

    pub fn failures(&self) -> Result<Vec<(String, String)>> {
        self.store.failures()
    }

    /// The current version of every document of every issue's current
    /// version, in id order: what is exported and indexed.
    pub fn current_versions(&self) -> Result<Vec<Version>> {
        let mut out = Vec::new();
        for issue in self.store.issues()? {
            for id in &issue.current().documents {
                let Some(head) = self.store.document(id)? else {
                    continue;
                };
                if let Some(v) = self.store.version(id, head.current())? {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    /// Makes the index hold exactly the store's current versions: after a
    /// crash between a store commit and the index commit, or any other
    /// drift. Returns how many entries it changed.
    pub fn reconcile(&self) -> Result<usize> {
        // Compared by the documents' histories (small records); only the
        // versions the index lacks are read whole.
        let catalog = self.index.catalog()?;
        let mut add = Vec::new();
        let mut want: HashMap<String, ()> = HashMap::new();
        for issue in self.store.issues()? {
            for id in &issue.current().documents {
                let Some(head) = self.store.document(id)? else {
                    continue;
                };
                let Some(last) = head.current_info() else {
                    continue;
                };
                let key = id.to_string();
                let ok = catalog.get(&key).is_some_and(|e| {
                    e.len() == 1 && e[0].0 == last.version as u64 && e[0].1 == last.sha256
                });
                want.insert(key, ());
                if !ok {
                    if let Some(v) = self.store.version(id, last.version)? {
                        add.push(v);
                    }
                }
            }
        }
        let remove: Vec<String> = catalog
            .keys()
            .filter(|k| !want.contains_key(*k))
            .cloned()
            .collect();
        let changed = add.len() + remove.len();
        if changed > 0 {
            self.index_write(&add, &remove)?;
        }
        Ok(changed)
    }

    /// A digest of the current documents: SHA-256 over each one's id,
    /// status and fields (text, its hash, citation and every other field),
    /// in id order. Two replicas that hold the same documents print the
    /// same digest, whatever order they stored the issues in.
    pub fn digest(&self) -> Result<String> {
        let mut lines: Vec<String> = self
            .current_versions()?
            .iter()
            .map(|v| {
                // Plain fields: serialising cannot fail.
                let fields = serde_json::to_vec(&v.fields).unwrap_or_default();
                format!("{}\t{}\t{}\n", v.id, v.status.as_str(), sha256_hex(&fields))
            })
            .collect();
        lines.sort();
        Ok(sha256_hex(lines.concat().as_bytes()))
    }

    /// Rebuilds the index from the store.
    pub fn reindex(&self) -> Result<usize> {
        self.rebuild_index(&mut |_, _| {})
    }

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

    /// Searches the index and dresses the hits from the store, with
    /// snippets cut from the standard text.
    pub fn search(&self, q: &Query) -> Result<Results> {
        q.check()?;
        let found = self.index.search(q)?;
        let mut hits = Vec::with_capacity(found.hits.len());
        for h in found.hits {
            let Ok(doc) = h.id.parse::<DocId>() else {
                continue;
            };
            let Some(v) = self.store.version(&doc, h.version as u32)? else {
                continue;
            };
            let (id, score, standing) = (h.id, h.score, h.standing);
            let f = v.fields;
            hits.push(Hit {
                id,
                version: v.version,
                snippet: search::snippet(&f.text, &q.text),
                title: f.title,
                doc_number: f.doc_number,
                issuer: f.issuer,
                date: f.date,
                citation: f.citation,
                score,
                standing,
            });
        }
        Ok(Results {
            total: found.total,
            total_exact: found.total_exact,
            hits,
            facets: found.facets,
        })
    }

    /// Up to `limit` entries of the change feed numbered above `after`
    /// (0: from the start), in the order written.
    pub fn changes(&self, after: u64, limit: usize) -> Result<Vec<feed::Change>> {
        self.store.changes_after(after, limit)
    }

    /// The last `limit` entries of the change feed, newest first.
    pub fn latest_changes(&self, limit: usize) -> Result<Vec<feed::Change>> {
        self.store.latest_changes(limit)
    }

    pub fn issue(&self, id: &IssueId) -> Result<Option<Issue>> {
        self.store.issue(id)
    }

    pub fn issues(&self) -> Result<Vec<Issue>> {
        self.store.issues()
    }

    pub fn gazettes(&self) -> Result<Vec<Gazette>> {
        self.store.gazettes()
    }

    /// A page of an issue's current version, or of `version`.
    pub fn page(&self, id: &PageId, version: Option<u32>) -> Result<Option<Page>> {
        let version = match version {
            Some(v) => v,
            None => match self.store.issue(&id.issue)? {
                Some(i) => i.current().version,
                None => return Ok(None),
            },
        };
        self.store.page(&id.issue, version, id.page as u32)
    }

    /// The pages of an issue's current version, in order (a page record
    /// that is missing is left out; `verify` reports it).
    pub fn current_pages(&self, issue: &Issue) -> Result<Vec<Page>> {
        let v = issue.current();
        let mut pages = Vec::with_capacity(v.pages as usize);
        for n in 1..=v.pages {
            if let Some(p) = self.store.page(&issue.id, v.version, n)? {
                pages.push(p);
            }
        }
        Ok(pages)
    }

    /// The page a single-page source file of this name (without its
    /// extension) became, e.g. a scan `yn-2017-05-003.png`.
    pub fn page_named(&self, name: &str) -> Result<Option<PageId>> {
        self.store.page_named(name)
    }

    /// The current documents whose 文号 is `doc_number` in any bracket or
    /// width form.
    pub fn lookup(&self, doc_number: &str) -> Result<Vec<DocId>> {
        Ok(self
            .index
            .lookup(&fold::doc_number_key(doc_number))?
            .into_iter()
            .filter_map(|id| id.parse().ok())
            .collect())
    }

    /// A stored page image's bytes by its hash.
    pub fn image(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.store.image(sha256)
    }

    pub fn document(&self, id: &DocId) -> Result<Option<Document>> {
        self.store.document(id)
    }

    pub fn version(&self, id: &DocId, version: u32) -> Result<Option<Version>> {
        self.store.version(id, version)
    }

    /// The current version of a document.
    pub fn current(&self, id: &DocId) -> Result<Option<Version>> {
        match self.store.document(id)? {
            Some(h) => self.store.version(id, h.current()),
            None => Ok(None),
        }
    }

    pub fn stats(&self) -> Result<Stats> {
        let mut s = Stats::default();
        for i in self.store.issues()? {
            s.issues += 1;
            s.pages += i.current().pages as u64;
            s.documents += i.current().documents.len() as u64;
        }
        self.store.each_version(|_, _| s.versions += 1)?;
        s.store_bytes = self.store.size_on_disk();
        s.index_bytes = dir_size(&self.dir.join("index"));
        Ok(s)
    }

    /// Recomputes every stored hash (page images, texts; with `sources`,
    /// the source files still at their recorded paths), checks that every
    /// record an issue names exists and that index and store agree. An
    /// empty list means the archive is sound.
    pub fn verify(&self, sources: bool) -> Result<Vec<Problem>> {
        let mut problems = Vec::new();
        let images = self.verify_images(&mut problems)?;
        self.verify_pages(&images, &mut problems)?;
        self.verify_versions(&mut problems)?;
        self.verify_issues(sources, &mut problems)?;
        self.verify_index(&mut problems)?;
        Ok(problems)
    }

    /// Every image against the hash it is keyed by; returns the keys.
    fn verify_images(&self, problems: &mut Vec<Problem>) -> Result<HashSet<String>> {
        let mut images = HashSet::new();
        self.store.each_image(|key, bytes| {
            let sha = sha256_hex(bytes);
            if sha != key {
                problems.push(Problem::new(
                    format!("image {key}"),
                    format!("content hash is {sha}"),
                ));
            }
            images.insert(key.to_string());
        })?;
        Ok(images)
    }

    /// Every page record readable, its image present.
    fn verify_pages(&self, images: &HashSet<String>, problems: &mut Vec<Problem>) -> Result<()> {
        self.store.each_page(|key, rec| match rec {
            Err(e) => problems.push(Problem::new(format!("page {key}"), e.to_string())),
            Ok(page) => {
                if let Some(img) = page.image.as_ref().filter(|i| !images.contains(&i.sha256)) {
                    problems.push(Problem::new(
                        format!("{} (issue version {})", page.id, page.issue_version),
                        format!("image {} missing", img.sha256),
                    ));
                }
            }
        })
    }

    /// Every version's text against its hash and its document's history.
    fn verify_versions(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let mut heads: BTreeMap<String, Option<Document>> = BTreeMap::new();
        let mut found = Vec::new();
        self.store
            .each_version(|key, rec| found.push((key.to_string(), rec)))?;
        for (key, rec) in found {
            let v = match rec {
                Ok(v) => v,
                Err(e) => {
                    problems.push(Problem::new(key, e.to_string()));
                    continue;
                }
            };
            let at = format!("{} v{}", v.id, v.version);
            let sha = sha256_hex(v.fields.text.as_bytes());
            if sha != v.fields.sha256 {
                problems.push(Problem::new(
                    at.clone(),
                    format!("text hash is {sha}, recorded {}", v.fields.sha256),
                ));
            }
            let id = v.id.to_string();
            if !heads.contains_key(&id) {
                heads.insert(id.clone(), self.store.document(&v.id)?);
            }
            match heads.get(&id).and_then(|h| h.as_ref()) {
                Some(h) => {
                    let listed = h
                        .versions
                        .iter()
                        .any(|i| i.version == v.version && i.sha256 == v.fields.sha256);
                    if !listed {
                        problems.push(Problem::new(
                            at,
                            "not in the document's history with this hash".into(),
                        ));
                    }
                }
                None => problems.push(Problem::new(id, "version without a document".into())),
            }
        }
        Ok(())
    }

    /// Every issue's pages and documents exist; with `sources`, its source
    /// files still hash as recorded.
    fn verify_issues(&self, sources: bool, problems: &mut Vec<Problem>) -> Result<()> {
        for issue in self.store.issues()? {
            for iv in &issue.versions {
                for n in 1..=iv.pages {
                    if self.store.page(&issue.id, iv.version, n)?.is_none() {
                        problems.push(Problem::new(
                            format!("{}-p{:02} (issue version {})", issue.id, n, iv.version),
                            "page missing".into(),
                        ));
                    }
                }
            }
            for d in &issue.current().documents {
                match self.store.document(d)? {
                    Some(h) => {
                        for vi in &h.versions {
                            if self.store.version(d, vi.version)?.is_none() {
                                problems.push(Problem::new(
                                    format!("{d} v{}", vi.version),
                                    "version missing".into(),
                                ));
                            }
                        }
                    }
                    None => problems.push(Problem::new(d.to_string(), "document missing".into())),
                }
            }
            if sources {
                for s in &issue.current().sources {
                    let at = format!("{} source {}", issue.id, s.path);
                    match std::fs::read(&s.path) {
                        Ok(b) => {
                            let sha = sha256_hex(&b);
                            if sha != s.sha256 {
                                problems.push(Problem::new(
                                    at,
                                    format!("source hash is {sha}, recorded {}", s.sha256),
                                ));
                            }
                        }
                        Err(e) => problems.push(Problem::new(at, format!("cannot read: {e}"))),
                    }
                }
            }
        }
        Ok(())
    }

    /// The index holds each current version once, and nothing else.
    fn verify_index(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let catalog = self.index.catalog()?;
        let mut seen = HashSet::new();
        for v in &self.current_versions()? {
            let id = v.id.to_string();
            match catalog.get(&id) {
                None => problems.push(Problem::new(
                    id.clone(),
                    "in the store, not in the index".into(),
                )),
                Some(e) if e.len() > 1 => problems.push(Problem::new(
                    id.clone(),
                    format!("indexed {} times", e.len()),
                )),
                Some(e) if e[0].0 != v.version as u64 || e[0].1 != v.fields.sha256 => problems
                    .push(Problem::new(
                        id.clone(),
                        format!(
                            "index has version {}, store has version {}",
                            e[0].0, v.version
                        ),
                    )),
                Some(_) => {}
            }
            seen.insert(id);
        }
        for id in catalog.keys().filter(|id| !seen.contains(*id)) {
            problems.push(Problem::new(
                id.clone(),
                "in the index, not among the store's current documents".into(),
            ));
        }
        Ok(())
    }

    #[cfg(test)]
    fn tamper(&self, tree: &str, key: &str, f: impl Fn(&mut Vec<u8>)) {
        self.store.tamper(tree, key, f)
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
