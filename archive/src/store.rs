//! The sled store: every record of the archive, written issue by issue in
//! one transaction each and flushed before the index hears of it. sled is
//! kept behind this module; nothing else in the workspace names it.

use crate::error::Error;
use crate::feed::{Change, Kind};
use crate::hash::{sha256_hex, sourceset_key};
use crate::id::{DocId, IssueId, PageId};
use crate::identity;
use crate::model::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::{Transactional, Tree};
use std::path::{Path, PathBuf};

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// The current time, RFC 3339 in UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

pub(crate) struct Store {
    db: sled::Db,
    gazettes: Tree,
    issues: Tree,
    /// Key: the hash of an issue's source hashes in page order; value: the
    /// issue id. What makes a second ingest of the same files a no-op.
    sourcesets: Tree,
    /// Key: `{issue}/{version:04}/{page:04}`.
    pages: Tree,
    /// Key: the image's SHA-256; value: its bytes.
    images: Tree,
    docs: Tree,
    /// Key: `{doc}/{version:06}`.
    versions: Tree,
    /// Key: a source path that could not be read; value: the error.
    failures: Tree,
    /// Key: the file name (without extension) of a single-page source
    /// file; value: the page id it became. Scan file names are identifiers
    /// archivists and IIIF clients already use.
    names: Tree,
    /// The change feed: key the entry's number (8 bytes, big-endian),
    /// value a `feed::Change`; and under `next`, the next number.
    changes: Tree,
    /// Where it lives, as it was opened.
    path: PathBuf,
}

/// The key of the feed's counter (shorter than any entry's key).
const FEED_NEXT: &[u8] = b"next";

/// Numbers entries from the feed's counter and writes them, inside a
/// transaction: the counter moves with the entries, so numbers never repeat
/// or go back whatever crashes.
fn write_feed(
    ch: &sled::transaction::TransactionalTree,
    entries: &[Change],
) -> std::result::Result<(), ConflictableTransactionError<()>> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut next = ch
        .get(FEED_NEXT)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map_or(1, u64::from_be_bytes);
    for e in entries {
        let mut e = e.clone();
        e.seq = next;
        ch.insert(&next.to_be_bytes(), json(&e))?;
        next += 1;
    }
    ch.insert(FEED_NEXT, &next.to_be_bytes())?;
    Ok(())
}

/// Up to `limit` feed entries of a walk over the feed's tree, decoded (the
/// counter, whose key is not an entry's, is passed over).
fn feed_entries(
    walk: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    limit: usize,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for kv in walk {
        let (k, v) = kv?;
        let Ok(seq) = <[u8; 8]>::try_from(k.as_ref()) else {
            continue;
        };
        if out.len() == limit {
            break;
        }
        out.push(serde_json::from_slice(&v).map_err(|source| Error::Record {
            key: format!("changes/{}", u64::from_be_bytes(seq)),
            source,
        })?);
    }
    Ok(out)
}

fn get<T: DeserializeOwned>(tree: &Tree, key: &str) -> Result<Option<T>> {
    match tree.get(key.as_bytes())? {
        Some(v) => serde_json::from_slice(&v)
            .map(Some)
            .map_err(|source| Error::Record {
                key: key.to_string(),
                source,
            }),
        None => Ok(None),
    }
}

/// Our transactions never abort themselves, so every failure is sled's.
fn tx_error(e: TransactionError<()>) -> Error {
    match e {
        TransactionError::Storage(e) => Error::Store(e),
        TransactionError::Abort(()) => {
            Error::Store(sled::Error::Unsupported("transaction aborted".to_string()))
        }
    }
}

/// Every record of a tree with its key, each decoded on its own (one bad
/// record does not hide the rest).
fn each<T: DeserializeOwned>(tree: &Tree, mut f: impl FnMut(&str, Result<T>)) -> Result<()> {
    for kv in tree.iter() {
        let (k, v) = kv?;
        let key = String::from_utf8_lossy(&k).into_owned();
        let rec = serde_json::from_slice(&v).map_err(|source| Error::Record {
            key: key.clone(),
            source,
        });
        f(&key, rec);
    }
    Ok(())
}

/// Every record of a tree; the first bad one is an error.
fn all<T: DeserializeOwned>(tree: &Tree) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let mut bad = None;
    each(tree, |_, rec| match rec {
        Ok(r) => out.push(r),
        Err(e) => {
            bad.get_or_insert(e);
        }
    })?;
    match bad {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    // Serialising these plain records (strings, numbers, vectors, no maps
    // with non-string keys) cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

pub(crate) fn page_key(issue: &IssueId, version: u32, page: u32) -> String {
    format!("{issue}/{version:04}/{page:04}")
}

pub(crate) fn version_key(doc: &DocId, version: u32) -> String {
    format!("{doc}/{version:06}")
}

/// Everything storing one issue writes, worked out before anything is
/// written: what [`Store::commit`] puts in one transaction. Pure, so what
/// an issue becomes can be read (and tested) apart from sled.
pub(crate) struct IssuePlan<'a> {
    pub stored: Stored,
    /// The current version of every document the new issue version lists
    /// (what the index then holds of the issue).
    pub current: Vec<Version>,
    /// Documents listed before and no longer (they leave the index).
    pub unlisted: Vec<String>,
    /// The gazette's record, when it is new to the archive.
    pub gazette: Option<(String, Vec<u8>)>,
    pub issue_key: String,
    pub issue: Vec<u8>,
    pub sourceset: String,
    /// Page images by hash (kept once however many pages share one).
    pub images: Vec<(String, &'a [u8])>,
    /// Keyed rows of the pages, versions and docs trees.
    pub pages: Vec<(String, Vec<u8>)>,
    pub version_rows: Vec<(String, Vec<u8>)>,
    pub heads: Vec<(String, Vec<u8>)>,
    /// Single-page scan file names → page ids.
    pub names: Vec<(String, String)>,
    /// Source paths whose recorded failures the issue clears.
    pub cleared_failures: Vec<String>,
    /// The feed's entries for this write, in order (numbered at commit).
    pub feed: Vec<Change>,
}

/// What the archive holds of an issue before a new reading is stored: the
/// issue, and every document it ever listed with its current version.
pub(crate) struct Prior {
    pub issue: Option<Issue>,
    pub docs: Vec<(Document, Version)>,
}

/// The highest document number an id can carry.
const MAX_DOC_NUMBER: u16 = 999;

/// What a new machine reading of a stored document becomes.
fn next_version(
    head: Option<&(Document, Version)>,
    d: &NewDocument,
    id: &DocId,
    issue_version: u32,
    reason: &str,
    time: &str,
) -> (Version, Option<DocChange>) {
    let machine = |number: u32| Version {
        id: id.clone(),
        version: number,
        status: Status::Machine,
        issue_version,
        fields: d.fields.clone(),
        paragraphs: d.paragraphs.clone(),
        reason: reason.to_string(),
        time: time.to_string(),
        candidate: false,
        by: String::new(),
    };
    let Some((head, cur)) = head else {
        return (machine(1), None);
    };
    let number = head.next_version();
    if cur.status == Status::Machine {
        return (machine(number), None);
    }
    // A person's text is current. The new reading never replaces it: when
    // it reads the very text the person corrected (only the sidecar or
    // the pages' other text changed) or the text the person made, the
    // person's text carries over onto the new reading's fields and pages;
    // otherwise it waits as a candidate for a person's decision.
    let new_sha = &d.fields.sha256;
    let agrees = head.machine_base() == Some(new_sha.as_str()) || *new_sha == cur.fields.sha256;
    if agrees {
        let mut v = machine(number);
        v.status = cur.status;
        v.fields.text = cur.fields.text.clone();
        v.fields.sha256 = cur.fields.sha256.clone();
        v.paragraphs = crate::corrections::reparagraph(&cur.fields.text, &d.paragraphs);
        v.reason = format!(
            "{reason}; the {} text of version {} carried over (the new reading is the text it was made from)",
            cur.status.as_str(),
            cur.version
        );
        let change = DocChange::Carried {
            id: id.clone(),
            version: number,
        };
        (v, Some(change))
    } else {
        let mut v = machine(number);
        v.candidate = true;
        v.reason = format!(
            "{reason}; a new machine reading of a {} text, kept as a candidate until a person decides",
            cur.status.as_str()
        );
        let change = DocChange::Review {
            id: id.clone(),
            current: cur.version,
            candidate: number,
        };
        (v, Some(change))
    }
}

/// Plans the storing of `new`, given what the archive holds of the issue
/// (`prior`), whether its gazette is new, and the time to record.
/// Documents keep their ids by what they are ([`identity::assign`]); a
/// document that matches none gets the next unused number.
pub(crate) fn plan_issue<'a>(
    new: &'a NewIssue,
    prior: Prior,
    new_gazette: bool,
    time: &str,
) -> Result<IssuePlan<'a>> {
    let Prior { issue: old, docs } = prior;
    let version = old.as_ref().map_or(1, |i| i.current().version + 1);
    let mut images: Vec<(String, &[u8])> = Vec::new();
    let mut pages = Vec::with_capacity(new.pages.len());
    for (i, p) in new.pages.iter().enumerate() {
        let n = i as u32 + 1;
        let image = p.image.as_ref().map(|img| {
            let sha = sha256_hex(&img.bytes);
            images.push((sha.clone(), img.bytes.as_slice()));
            ImageRef {
                sha256: sha,
                format: img.format.clone(),
                width: img.width,
                height: img.height,
                bytes: img.bytes.len() as u64,
                region: img.region,
            }
        });
        let id = PageId {
            issue: new.id.clone(),
            page: n as u16,
        };
        let rec = p.to_page(id, version, image);
        pages.push((page_key(&new.id, version, n), json(&rec)));
    }
    let reason = if version == 1 {
        "ingested".to_string()
    } else {
        format!("source changed: issue version {version}")
    };
    let listed: Vec<DocId> = old
        .as_ref()
        .map(|i| i.current().documents.clone())
        .unwrap_or_default();
    let known: Vec<identity::Known> = docs
        .iter()
        .map(|(h, v)| identity::Known {
            id: h.id.clone(),
            fields: &v.fields,
        })
        .collect();
    let fields: Vec<&Fields> = new.documents.iter().map(|d| &d.fields).collect();
    let matching = identity::assign(&fields, &known, &listed, &identity::MatchParams::default());
    // New ids follow every number the issue ever used: an id is never
    // given to a second document.
    let mut next = old
        .iter()
        .flat_map(|i| i.ever_listed())
        .map(|d| d.number)
        .max()
        .unwrap_or(0);
    let mut doc_ids = Vec::new();
    let mut head_rows = Vec::new();
    let mut current = Vec::new();
    let mut version_rows = Vec::new();
    let mut changes = Vec::new();
    let mut feed = vec![Change {
        seq: 0,
        kind: Kind::Issue,
        id: new.id.to_string(),
        version,
        sha256: sourceset_key(&new.sources),
        time: time.to_string(),
    }];
    for (d, matched) in new.documents.iter().zip(matching.ids.iter()) {
        let id = match matched {
            Some(id) => id.clone(),
            None => {
                next += 1;
                if next > MAX_DOC_NUMBER {
                    return Err(Error::TooManyDocuments(new.id.to_string()));
                }
                DocId {
                    issue: new.id.clone(),
                    number: next,
                }
            }
        };
        let prior_doc = docs.iter().find(|(h, _)| h.id == id);
        let (v, change) = next_version(prior_doc, d, &id, version, &reason, time);
        let mut head = prior_doc.map(|(h, _)| h.clone()).unwrap_or(Document {
            id: id.clone(),
            versions: Vec::new(),
            gone: None,
        });
        // Listed again: whatever became of it before no longer holds.
        head.gone = None;
        head.versions.push(v.info());
        head_rows.push((id.to_string(), json(&head)));
        version_rows.push((version_key(&id, v.version), json(&v)));
        feed.push(Change::of_version(&v));
        match prior_doc.filter(|_| v.candidate) {
            Some((_, cur)) => current.push(cur.clone()),
            None => current.push(v),
        }
        changes.extend(change);
        doc_ids.push(id);
    }
    for (id, kind, into) in matching.gone {
        let Some((head, cur)) = docs.iter().find(|(h, _)| h.id == id) else {
            continue;
        };
        let gone = Gone {
            kind,
            into: into.iter().map(|&i| doc_ids[i].clone()).collect(),
            issue_version: version,
            time: time.to_string(),
        };
        let mut head = head.clone();
        head.gone = Some(gone.clone());
        head_rows.push((id.to_string(), json(&head)));
        feed.push(Change {
            seq: 0,
            kind: Kind::Gone,
            id: id.to_string(),
            version: cur.version,
            sha256: cur.fields.sha256.clone(),
            time: time.to_string(),
        });
        changes.push(DocChange::Gone {
            id,
            gone,
            person: cur.status != Status::Machine,
        });
    }
    let unlisted = listed
        .iter()
        .filter(|d| !doc_ids.contains(d))
        .map(|d| d.to_string())
        .collect();
    let mut issue = old.unwrap_or(Issue {
        id: new.id.clone(),
        gazette: new.gazette.clone(),
        year: new.id.year,
        number: new.id.issue,
        versions: Vec::new(),
    });
    // An issue stored without its gazette's name takes it from the version
    // that brings it (identity completed after ingest).
    if issue.gazette.is_empty() {
        issue.gazette = new.gazette.clone();
    }
    issue.versions.push(IssueVersion {
        version,
        sources: new.sources.clone(),
        pages: new.pages.len() as u32,
        documents: doc_ids,
        time: time.to_string(),
    });
    let documents = current.len();
    Ok(IssuePlan {
        stored: if version == 1 {
            Stored::New {
                id: new.id.clone(),
                documents,
            }
        } else {
            Stored::Revised {
                id: new.id.clone(),
                version,
                documents,
                changes,
            }
        },
        current,
        unlisted,
        gazette: new_gazette.then(|| {
            (
                new.id.gazette.to_string(),
                json(&Gazette {
                    code: new.id.gazette.clone(),
                    name: new.gazette.clone(),
                }),
            )
        }),
        issue_key: new.id.to_string(),
        issue: json(&issue),
        sourceset: sourceset_key(&new.sources),
        images,
        pages,
        version_rows,
        heads: head_rows,
        names: scan_names(new),
        cleared_failures: new.sources.iter().map(|s| s.path.clone()).collect(),
        feed,
    })
}

/// Names of single-page image files (a folder of page scans) → page ids:
/// scan file names are identifiers archivists and IIIF clients use.
fn scan_names(new: &NewIssue) -> Vec<(String, String)> {
    let mut names = Vec::new();
    for (i, p) in new.pages.iter().enumerate() {
        let path = Path::new(&p.provenance.source);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let image = path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            ["png", "jpg", "jpeg", "tif", "tiff"].contains(&e.as_str())
        });
        let single = new
            .pages
            .iter()
            .filter(|q| q.provenance.source == p.provenance.source)
            .count()
            == 1;
        if image && single && !stem.is_empty() && stem.len() <= 128 {
            let id = PageId {
                issue: new.id.clone(),
                page: i as u16 + 1,
            };
            names.push((stem, id.to_string()));
        }
    }
    names
}

/// Stores this process has closed. sled's I/O threads may still hold a
/// closed store's file, and with it its lock, for a moment after the last
/// handle is dropped; opening such a store again in the same process waits
/// for them, where a store held by another process is refused at once.
static CLOSED_HERE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// How long a reopening waits for sled's I/O threads to let go of a store
/// this process closed. They finish writes already handed to them; on a
/// loaded CI machine that was seen to outlast an immediate reopen.
const REOPEN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);
const REOPEN_POLL: std::time::Duration = std::time::Duration::from_millis(20);

fn closed_here(path: &Path) -> bool {
    // A poisoned lock only means a panic while pushing a path: the list
    // is still a list.
    let closed = CLOSED_HERE.lock().unwrap_or_else(|p| p.into_inner());
    closed.iter().any(|p| p == path)
}

impl Drop for Store {
    fn drop(&mut self) {
        let mut closed = CLOSED_HERE.lock().unwrap_or_else(|p| p.into_inner());
        let path = self.path.clone();
        if !closed.contains(&path) {
            closed.push(path);
        }
    }
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        let started = std::time::Instant::now();
        loop {
            match Self::open_once(path) {
                Err(Error::Locked { .. })
                    if closed_here(path) && started.elapsed() < REOPEN_GRACE =>
                {
                    std::thread::sleep(REOPEN_POLL)
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Store> {
        let db = sled::Config::new().path(path).open().map_err(|e| match e {
            sled::Error::Io(ref io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                Error::Locked {
                    path: path.to_path_buf(),
                }
            }
            sled::Error::Io(io) if io.to_string().contains("lock") => Error::Locked {
                path: path.to_path_buf(),
            },
            e => Error::Store(e),
        })?;
        Ok(Store {
            gazettes: db.open_tree("gazettes")?,
            issues: db.open_tree("issues")?,
            sourcesets: db.open_tree("sourcesets")?,
            pages: db.open_tree("pages")?,
            images: db.open_tree("images")?,
            docs: db.open_tree("docs")?,
            versions: db.open_tree("versions")?,
            failures: db.open_tree("failures")?,
            names: db.open_tree("names")?,
            changes: db.open_tree("changes")?,
            db,
            path: path.to_path_buf(),
        })
    }

    /// Rebuilds the feed from the records' history when the archive was
    /// written before the feed was kept (no entry, but issues). Returns
    /// how many entries it wrote.
    pub fn backfill_feed(&self) -> Result<usize> {
        if !self.changes.is_empty() || self.issues.is_empty() {
            return Ok(0);
        }
        let issues: Vec<Issue> = all(&self.issues)?;
        let docs: Vec<Document> = all(&self.docs)?;
        let entries = crate::feed::from_history(&issues, &docs);
        self.changes
            .transaction(|ch| write_feed(ch, &entries))
            .map_err(tx_error)?;
        self.flush()?;
        Ok(entries.len())
    }

    /// The last `limit` feed entries, newest first.
    pub fn latest_changes(&self, limit: usize) -> Result<Vec<Change>> {
        feed_entries(self.changes.iter().rev(), limit)
    }

    /// Up to `limit` feed entries numbered above `after`, in order.
    pub fn changes_after(&self, after: u64, limit: usize) -> Result<Vec<Change>> {
        let from = after.saturating_add(1).to_be_bytes();
        feed_entries(self.changes.range(from..), limit)
    }

    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    pub fn known_sources(&self, sources: &[SourceFile]) -> Result<Option<IssueId>> {
        let key = sourceset_key(sources);
        match self.sourcesets.get(key.as_bytes())? {
            Some(v) => Ok(String::from_utf8_lossy(&v).parse().ok()),
            None => Ok(None),
        }
    }

    /// Stores a read issue: new, a new version of a known issue, or nothing
    /// when its sources are already stored. Everything is written in one
    /// transaction and flushed, so after a crash the issue is either wholly
    /// there or wholly absent. Returns what was stored, the current
    /// versions of the documents now listed and the ids no longer listed
    /// (what the index must hear of).
    pub fn store_issue(&self, new: &NewIssue) -> Result<(Stored, Vec<Version>, Vec<String>)> {
        let out = self.store_issue_unflushed(new)?;
        self.flush()?;
        Ok(out)
    }

    /// [`Store::store_issue`] without the flush, for a batch that flushes
    /// once at its end.
    pub fn store_issue_unflushed(
        &self,
        new: &NewIssue,
    ) -> Result<(Stored, Vec<Version>, Vec<String>)> {
        if let Some(id) = self.known_sources(&new.sources)? {
            return Ok((Stored::Unchanged { id }, Vec::new(), Vec::new()));
        }
        let code = new.id.gazette.to_string();
        let gazette: Option<Gazette> = get(&self.gazettes, &code)?;
        // A gazette stored without its name (given by code alone) gets
        // it when an issue brings it; a name never changes to another.
        let named_now = gazette
            .as_ref()
            .is_some_and(|g| g.name.is_empty() && !new.gazette.is_empty());
        // A name read in the other script (雲南省人民政府公報 off a page
        // read with the traditional model) is the same gazette's.
        let folded = gazette_model::script::simplify;
        if let Some(g) = gazette.as_ref().filter(|_| !named_now) {
            if folded(&g.name) != folded(&new.gazette) && !new.gazette.is_empty() {
                return Err(Error::GazetteConflict {
                    code,
                    existing: g.name.clone(),
                    new: new.gazette.clone(),
                });
            }
        }
        let old: Option<Issue> = get(&self.issues, &new.id.to_string())?;
        let mut docs = Vec::new();
        for id in old.iter().flat_map(|i| i.ever_listed()) {
            let Some(head) = get::<Document>(&self.docs, &id.to_string())? else {
                continue;
            };
            if let Some(v) = self.version(id, head.current())? {
                docs.push((head, v));
            }
        }
        let prior = Prior { issue: old, docs };
        let plan = plan_issue(new, prior, gazette.is_none() || named_now, &now())?;
        self.commit(&plan)?;
        Ok((plan.stored, plan.current, plan.unlisted))
    }

    /// Writes a plan in one transaction across every tree (the caller
    /// flushes).
    fn commit(&self, plan: &IssuePlan<'_>) -> Result<()> {
        let trees = (
            &self.gazettes,
            &self.issues,
            &self.sourcesets,
            &self.pages,
            &self.images,
            &self.docs,
            &self.versions,
            &self.failures,
            &self.names,
            &self.changes,
        );
        trees
            .transaction(|(g, is, ss, pg, im, dc, vs, fl, nm, ch)| {
                write_feed(ch, &plan.feed)?;
                for (k, v) in &plan.names {
                    nm.insert(k.as_bytes(), v.as_bytes())?;
                }
                if let Some((code, rec)) = &plan.gazette {
                    g.insert(code.as_bytes(), rec.as_slice())?;
                }
                for (sha, bytes) in &plan.images {
                    if im.get(sha.as_bytes())?.is_none() {
                        im.insert(sha.as_bytes(), *bytes)?;
                    }
                }
                for (tree, rows) in [
                    (pg, &plan.pages),
                    (vs, &plan.version_rows),
                    (dc, &plan.heads),
                ] {
                    for (k, v) in rows {
                        tree.insert(k.as_bytes(), v.as_slice())?;
                    }
                }
                for path in &plan.cleared_failures {
                    fl.remove(path.as_bytes())?;
                }
                is.insert(plan.issue_key.as_bytes(), plan.issue.as_slice())?;
                ss.insert(plan.sourceset.as_bytes(), plan.issue_key.as_bytes())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        Ok(())
    }

    /// Appends a version to a document (a correction), in one transaction.
    pub fn append_version(&self, v: &Version) -> Result<()> {
        let id = v.id.to_string();
        let mut head: Document =
            get(&self.docs, &id)?.ok_or_else(|| Error::UnknownDocument(id.clone()))?;
        head.versions.push(v.info());
        let head = json(&head);
        let row = json(v);
        let key = version_key(&v.id, v.version);
        let entry = [Change::of_version(v)];
        (&self.docs, &self.versions, &self.changes)
            .transaction(|(dc, vs, ch)| {
                write_feed(ch, &entry)?;
                vs.insert(key.as_bytes(), row.as_slice())?;
                dc.insert(id.as_bytes(), head.as_slice())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    pub fn record_failure(&self, path: &str, error: &str) -> Result<()> {
        let v = serde_json::json!({"error": error, "time": now()});
        self.failures.insert(path.as_bytes(), json(&v))?;
        self.flush()
    }

    pub fn clear_failure(&self, path: &str) -> Result<()> {
        if self.failures.remove(path.as_bytes())?.is_some() {
            self.flush()?;
        }
        Ok(())
    }

    pub fn failures(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for kv in self.failures.iter() {
            let (k, v) = kv?;
            let v: serde_json::Value = serde_json::from_slice(&v).unwrap_or_default();
            out.push((
                String::from_utf8_lossy(&k).into_owned(),
                v["error"].as_str().unwrap_or_default().to_string(),
            ));
        }
        Ok(out)
    }

    pub fn issue(&self, id: &IssueId) -> Result<Option<Issue>> {
        get(&self.issues, &id.to_string())
    }

    pub fn issues(&self) -> Result<Vec<Issue>> {
        all(&self.issues)
    }

    pub fn gazettes(&self) -> Result<Vec<Gazette>> {
        all(&self.gazettes)
    }

    pub fn page(&self, issue: &IssueId, version: u32, page: u32) -> Result<Option<Page>> {
        get(&self.pages, &page_key(issue, version, page))
    }

    /// The page a single-page source file of this name became.
    pub fn page_named(&self, name: &str) -> Result<Option<PageId>> {
        Ok(self
            .names
            .get(name.as_bytes())?
            .and_then(|v| String::from_utf8_lossy(&v).parse().ok()))
    }

    pub fn image(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.images.get(sha256.as_bytes())?.map(|v| v.to_vec()))
    }

    pub fn document(&self, id: &DocId) -> Result<Option<Document>> {
        get(&self.docs, &id.to_string())
    }

    pub fn version(&self, id: &DocId, version: u32) -> Result<Option<Version>> {
        get(&self.versions, &version_key(id, version))
    }

    /// What a search hit shows of a version (see [`HitCard`]).
    pub fn hit_card(&self, id: &DocId, version: u32) -> Result<Option<HitCard>> {
        get(&self.versions, &version_key(id, version))
    }

    /// Every stored image: hash key and bytes.
    pub fn each_image(&self, mut f: impl FnMut(&str, &[u8])) -> Result<()> {
        for kv in self.images.iter() {
            let (k, v) = kv?;
            f(&String::from_utf8_lossy(&k), &v);
        }
        Ok(())
    }

    /// Every stored document version.
    pub fn each_version(&self, f: impl FnMut(&str, Result<Version>)) -> Result<()> {
        each(&self.versions, f)
    }

    /// Every stored page record.
    pub fn each_page(&self, f: impl FnMut(&str, Result<Page>)) -> Result<()> {
        each(&self.pages, f)
    }

    /// Bytes the store takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    /// Overwrites raw values, for the tamper tests of `verify`.
    #[cfg(test)]
    pub fn tamper(&self, tree: &str, key: &str, f: impl Fn(&mut Vec<u8>)) {
        let t = self.db.open_tree(tree).unwrap();
        let mut v = t.get(key.as_bytes()).unwrap().unwrap().to_vec();
        f(&mut v);
        t.insert(key.as_bytes(), v).unwrap();
    }
}
