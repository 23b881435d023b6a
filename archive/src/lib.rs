//! The archive library: the data model of a gazette archive, its sled
//! store, its tantivy index, corrections with their journal, search and
//! fixity checks. It knows nothing of PDFs or OCR: the binary hands it
//! read issues as [`NewIssue`]s.
//!
//! An archive is a directory: `FORMAT` (the format version, checked before
//! anything else is opened), `store/` (sled: every record and page image),
//! `index/` (tantivy: derived from the store, rebuildable) and
//! `journal.jsonl` (every correction, fsynced).

pub mod error;
pub mod fold;
pub mod id;
mod index;
pub mod journal;
pub mod model;
pub mod search;
mod store;
pub mod tokenizer;

pub use error::Error;
pub use id::{DocId, GazetteCode, IssueId, PageId};
pub use model::*;
pub use search::{Hit, Query, Results, Snippet, Sort};
pub use store::{now, sha256_hex};

use index::SearchIndex;
use journal::{Correction, Journal};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use store::Store;

/// The on-disk format version of an archive. An archive written with
/// another version is refused with a clear error rather than misread.
pub const FORMAT_VERSION: u32 = 1;

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
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
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
            if found == format!("{FORMAT_MAGIC} {FORMAT_VERSION}") {
                Ok(())
            } else {
                Err(Error::Format {
                    path: dir.to_path_buf(),
                    found: found.chars().take(40).collect(),
                    expected: FORMAT_VERSION,
                })
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
            // Written whole then renamed, so a crash leaves no half file.
            let tmp = dir.join("FORMAT.tmp");
            let write = || -> std::io::Result<()> {
                use std::io::Write;
                let mut f = std::fs::File::create(&tmp)?;
                writeln!(f, "{FORMAT_MAGIC} {FORMAT_VERSION}")?;
                f.sync_all()?;
                std::fs::rename(&tmp, &file)?;
                std::fs::File::open(dir)?.sync_all()
            };
            write().map_err(|e| Error::io(&file, e))
        }
        Err(e) => Err(Error::io(&file, e)),
    }
}

/// Splits a corrected text into paragraphs, keeping the anchors of the
/// version it corrects where the paragraphs still line up (same count, or
/// the same text).
fn reparagraph(text: &str, old: &[Paragraph]) -> Vec<Paragraph> {
    let new: Vec<&str> = text.split('\n').collect();
    new.iter()
        .enumerate()
        .map(|(i, t)| {
            let anchors = if new.len() == old.len() {
                old[i].anchors.clone()
            } else {
                old.iter()
                    .find(|p| p.text == *t)
                    .map(|p| p.anchors.clone())
                    .unwrap_or_default()
            };
            Paragraph {
                text: t.to_string(),
                anchors,
            }
        })
        .collect()
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
            self.index.replace(chunk, &[])?;
            progress((i * BATCH + chunk.len()).min(current.len()), current.len());
        }
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
        let (stored, versions) = self.store.store_issue(new)?;
        if !versions.is_empty() {
            // Documents of an earlier version of the issue beyond the new
            // count leave the index (their versions stay in the store).
            let mut remove = Vec::new();
            if let Stored::Revised { id, .. } = &stored {
                if let Some(issue) = self.store.issue(id)? {
                    if let Some(prev) = issue.versions.iter().rev().nth(1) {
                        for d in prev.documents.iter().skip(versions.len()) {
                            remove.push(d.to_string());
                        }
                    }
                }
            }
            self.index.replace(&versions, &remove)?;
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
                let Some(last) = head.versions.last() else {
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
            self.index.replace(&add, &remove)?;
        }
        Ok(changed)
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
        if reason.trim().is_empty() {
            return Err(Error::NoReason);
        }
        let head = self
            .store
            .document(id)?
            .ok_or_else(|| Error::UnknownDocument(id.to_string()))?;
        let base = head.current();
        let cur = self
            .store
            .version(id, base)?
            .ok_or_else(|| Error::UnknownVersion {
                id: id.to_string(),
                version: base,
            })?;
        let text = match text {
            Some(t) => normalise_text(t),
            None => cur.fields.text.clone(),
        };
        let status = if verified {
            Status::Verified
        } else {
            Status::Corrected
        };
        let c = Correction {
            id: id.clone(),
            base_version: base,
            status,
            sha256: sha256_hex(text.as_bytes()),
            text,
            reason: reason.trim().to_string(),
            time: now(),
        };
        self.journal.append(&c)?;
        self.apply(&c, &cur)
    }

    fn apply(&self, c: &Correction, cur: &Version) -> Result<Version> {
        let mut v = cur.clone();
        v.version = cur.version + 1;
        v.status = c.status;
        v.paragraphs = reparagraph(&c.text, &cur.paragraphs);
        v.fields.text = c.text.clone();
        v.fields.sha256 = c.sha256.clone();
        v.reason = c.reason.clone();
        v.time = c.time.clone();
        self.store.append_version(&v)?;
        // Only a document in its issue's current version is in the index.
        let listed = self
            .store
            .issue(&v.id.issue)?
            .is_some_and(|i| i.current().documents.contains(&v.id));
        if listed {
            self.index.replace(std::slice::from_ref(&v), &[])?;
        }
        Ok(v)
    }

    /// Re-applies journalled corrections the store lacks (after the store
    /// was restored or rebuilt from the scans). Returns (applied, already
    /// present, for unknown documents).
    pub fn replay_journal(&self) -> Result<(usize, usize, usize)> {
        let (mut applied, mut present, mut unknown) = (0, 0, 0);
        for c in self.journal.read()? {
            let Some(head) = self.store.document(&c.id)? else {
                unknown += 1;
                continue;
            };
            let have = head
                .versions
                .iter()
                .any(|v| v.sha256 == c.sha256 && v.reason == c.reason && v.time == c.time);
            if have {
                present += 1;
                continue;
            }
            let Some(cur) = self.store.version(&c.id, head.current())? else {
                unknown += 1;
                continue;
            };
            self.apply(&c, &cur)?;
            applied += 1;
        }
        Ok((applied, present, unknown))
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
        for (id, version, score) in found.hits {
            let Ok(doc) = id.parse::<DocId>() else {
                continue;
            };
            let Some(v) = self.store.version(&doc, version as u32)? else {
                continue;
            };
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
            });
        }
        Ok(Results {
            total: found.total,
            hits,
            facets: found.facets,
        })
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
