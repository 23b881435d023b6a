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
mod corrections;
pub mod coverage;
pub mod error;
pub mod feed;
mod fixity;
pub mod fold;
mod format;
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

pub use corrections::{normalise_text, Edit, Pending, Replay};
pub use error::Error;
pub use fixity::Problem;
pub use format::FORMAT_VERSION;
pub use hash::sha256_hex;
pub use id::{DocId, GazetteCode, IssueId, PageId};
pub use identity::MatchParams;
pub use model::*;
pub use search::{Hit, Query, Results, Snippet, Sort};
pub use store::now;

use index::SearchIndex;
use journal::Journal;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use store::Store;

pub type Result<T> = std::result::Result<T, Error>;

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
        format::check_format(dir, create)?;
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
            let Some(c) = self.store.hit_card(&doc, h.version as u32)? else {
                continue;
            };
            let (id, score, standing) = (h.id, h.score, h.standing);
            hits.push(Hit {
                id,
                version: c.version,
                snippet: search::snippet(&c.text, &q.text),
                title: c.title,
                doc_number: c.doc_number,
                issuer: c.issuer,
                date: c.date,
                citation: c.citation,
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
