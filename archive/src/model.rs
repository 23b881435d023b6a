//! The archive's data model: gazette → issue (versions of its sources) →
//! pages (image, OCR lines, provenance) → documents → versions of their
//! standard text. These are the records the store keeps (as JSON) and the
//! commands print; the ingest side builds [`NewIssue`]s from them.

use crate::id::{DocId, GazetteCode, IssueId, PageId};
pub use gazette_model::{
    Anchor, BBox, Confidence, Fields, Layout, Line, PageDirection, PageScript, Paragraph,
    TextOrigin, Verdict,
};
use serde::{Deserialize, Serialize};

/// A gazette the archive holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gazette {
    pub code: GazetteCode,
    pub name: String,
}

/// A source file an issue was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The path as given to `ingest` (for people: files move).
    pub path: String,
    /// Hex SHA-256 of the file's bytes: what identifies the source.
    pub sha256: String,
    pub bytes: u64,
}

/// One ingest of an issue. A new version is made only when the issue's
/// source files change; earlier versions and their pages are kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueVersion {
    pub version: u32,
    pub sources: Vec<SourceFile>,
    pub pages: u32,
    /// The documents this version was cut into, in printed order.
    pub documents: Vec<DocId>,
    /// When it was stored (RFC 3339, UTC).
    pub time: String,
}

/// An issue and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub id: IssueId,
    pub gazette: String,
    pub year: u16,
    pub number: u16,
    /// Oldest first; the last is current.
    pub versions: Vec<IssueVersion>,
}

impl Issue {
    /// Every document any version of the issue listed, each once, in id
    /// order: the ones a new reading is matched against.
    pub fn ever_listed(&self) -> Vec<&DocId> {
        let mut ids: Vec<&DocId> = self
            .versions
            .iter()
            .flat_map(|v| v.documents.iter())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The current version. An issue is only ever stored with at least one
    /// version, so the fallback is never taken.
    pub fn current(&self) -> &IssueVersion {
        static EMPTY: IssueVersion = IssueVersion {
            version: 0,
            sources: Vec::new(),
            pages: 0,
            documents: Vec::new(),
            time: String::new(),
        };
        self.versions.last().unwrap_or(&EMPTY)
    }
}

/// A stored page image: the original bytes where the format serves (PNG,
/// JPEG), otherwise a lossless PNG re-encoding. Kept once per content
/// hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageRef {
    pub sha256: String,
    /// `png` or `jpeg`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// The page's part of the image, `[x, y, width, height]` in its pixels,
    /// when the image holds more than the page (a book spread scanned as
    /// one image, kept once, whole, as delivered); absent when the page is
    /// the whole image, and in records written before spreads were cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<[u32; 4]>,
}

impl ImageRef {
    /// The size of the page's image as served: its region's, or the
    /// whole image's.
    pub fn page_size(&self) -> (u32, u32) {
        match self.region {
            Some([_, _, w, h]) => (w, h),
            None => (self.width, self.height),
        }
    }
}

/// Where a page came from and how it was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: String,
    pub source_sha256: String,
    /// 1-based page (or frame) within the source file.
    pub index_in_source: u32,
    /// `tesseract 5.3.0`, or `pdf text layer` for born-digital pages.
    pub engine: String,
    /// The language model, e.g. `chi_sim`, empty for text-layer pages.
    pub traineddata: String,
    /// The preprocessing settings, as the ingest side describes them.
    pub preprocess: String,
    /// The text of a text layer the page carried but was not read from (an
    /// invisible layer of an earlier OCR, a little visible text over a
    /// scan): what the file claimed, kept beside what was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_text_layer: Option<String>,
    pub time: String,
}

/// One scanned page of one version of an issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub id: PageId,
    pub issue_version: u32,
    /// The page number printed on it (inferred from its neighbours' when
    /// unreadable).
    pub printed: u32,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<f32>,
    pub origin: TextOrigin,
    /// ok, blank, suspect or failed, with the measured reason. Records of
    /// archives written before verdicts read as `ok`.
    #[serde(default)]
    pub verdict: Verdict,
    pub image: Option<ImageRef>,
    /// Lines in the page's coordinates (`width` × `height` pixels; the
    /// image may be stored at another scale).
    pub lines: Vec<Line>,
    /// How the page was found to be set (direction, script) and why; absent
    /// for a text layer, a failed page and records written before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// Why the page could not be read, or its image not kept; a failed page
    /// keeps its place so the issue's numbering stays right.
    pub error: Option<String>,
    pub provenance: Provenance,
}

/// How far a version of a text has been checked by people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Raw OCR (or text layer), as the machine read it.
    Machine,
    /// Proofread and corrected by an archivist.
    Corrected,
    /// Checked against the printed page.
    Verified,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Machine => "machine",
            Status::Corrected => "corrected",
            Status::Verified => "verified",
        }
    }
}

/// What a search hit shows of a version, read from its record without the
/// rest: `Version` flattens `Fields`, so serde buffers a whole record
/// (paragraphs and their anchors included) before reading it; here the
/// paragraphs are skipped unread. A small saving, measured on the bench's
/// 100,000 documents (2026-12-08): a rare phrase's ten hits went from 6.9
/// to 6.5 ms a search, the whole records' reading being about a twentieth
/// of it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct HitCard {
    pub version: u32,
    pub title: String,
    pub doc_number: String,
    pub issuer: String,
    pub date: String,
    pub citation: String,
    pub text: String,
}

/// One version of a document. Versions are never changed or removed: a
/// correction or a re-read source appends one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub id: DocId,
    pub version: u32,
    pub status: Status,
    /// The issue version the text was read from.
    pub issue_version: u32,
    #[serde(flatten)]
    pub fields: Fields,
    pub paragraphs: Vec<Paragraph>,
    /// Why this version exists: `ingested`, a source change, a correction.
    pub reason: String,
    pub time: String,
    /// A machine reading of a text a person had corrected or verified: kept,
    /// never current, until a person decides (see [`Document::pending`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub candidate: bool,
    /// Who recorded a correction, as they gave it; empty for machine
    /// readings and for corrections recorded before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

impl Version {
    /// This version's entry in its document's history.
    pub fn info(&self) -> VersionInfo {
        VersionInfo {
            version: self.version,
            status: self.status,
            sha256: self.fields.sha256.clone(),
            reason: self.reason.clone(),
            time: self.time.clone(),
            candidate: self.candidate,
            by: self.by.clone(),
        }
    }
}

/// A version's summary, in a document's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: u32,
    pub status: Status,
    pub sha256: String,
    pub reason: String,
    pub time: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub candidate: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// What became of a document that a later reading of its issue no longer
/// finds: its id keeps resolving, to its last text and to this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gone {
    pub kind: GoneKind,
    /// The documents of the new reading that hold its text (merged: one;
    /// split: several; withdrawn: none).
    #[serde(default)]
    pub into: Vec<DocId>,
    /// The issue version from which it is no longer listed.
    pub issue_version: u32,
    pub time: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoneKind {
    /// Its text is now part of another document.
    Merged,
    /// Its text is now in several documents.
    Split,
    /// No document of the new reading holds its text.
    Withdrawn,
}

impl GoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GoneKind::Merged => "merged",
            GoneKind::Split => "split",
            GoneKind::Withdrawn => "withdrawn",
        }
    }
}

/// A document and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocId,
    /// Oldest first. The current version is the last that is not a
    /// candidate.
    pub versions: Vec<VersionInfo>,
    /// Set while the document is not listed in its issue's current
    /// version; absent for documents that are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone: Option<Gone>,
}

impl Document {
    /// The current version's number: the last version that is not a
    /// candidate (documents are stored with at least one version, the
    /// first never a candidate).
    pub fn current(&self) -> u32 {
        self.current_info().map(|v| v.version).unwrap_or(0)
    }

    /// The current version's summary.
    pub fn current_info(&self) -> Option<&VersionInfo> {
        self.versions.iter().rev().find(|v| !v.candidate)
    }

    /// The number the next version takes: after every version, a
    /// candidate included.
    pub fn next_version(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.version) + 1
    }

    /// A machine reading waiting for a person's decision: the last version,
    /// when it is a candidate (a decision appends a version after it).
    pub fn pending(&self) -> Option<&VersionInfo> {
        self.versions.last().filter(|v| v.candidate)
    }

    /// The text the current one was corrected from: the sha256 of the last
    /// machine reading at or before the current version (the current
    /// version's own when it is a machine reading).
    pub fn machine_base(&self) -> Option<&str> {
        let cur = self.current();
        self.versions
            .iter()
            .rev()
            .filter(|v| !v.candidate && v.version <= cur)
            .find(|v| v.status == Status::Machine)
            .map(|v| v.sha256.as_str())
    }
}

/// A page image as the ingest side hands it over. In a bag's record the
/// bytes are a file of their own (see `bag`), so they are not serialised.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewImage {
    /// `png` or `jpeg`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The page's part of the image (see [`ImageRef::region`]).
    pub region: Option<[u32; 4]>,
}

/// A page as the ingest side hands it over: record and image bytes. Pages
/// are handed over in the issue's order, failed pages in their place.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewPage {
    pub printed: u32,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<f32>,
    pub origin: TextOrigin,
    pub verdict: Verdict,
    pub image: Option<NewImage>,
    pub lines: Vec<Line>,
    pub layout: Option<Layout>,
    pub error: Option<String>,
    pub provenance: Provenance,
}

impl NewPage {
    /// The page's record as the archive keeps it: page `id` of issue
    /// version `issue_version`, its image as stored (`None`: not kept).
    pub fn to_page(&self, id: PageId, issue_version: u32, image: Option<ImageRef>) -> Page {
        Page {
            id,
            issue_version,
            printed: self.printed,
            width: self.width,
            height: self.height,
            dpi: self.dpi,
            origin: self.origin,
            verdict: self.verdict.clone(),
            image,
            lines: self.lines.clone(),
            layout: self.layout.clone(),
            error: self.error.clone(),
            provenance: self.provenance.clone(),
        }
    }
}

/// A document as the ingest side hands it over.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewDocument {
    pub fields: Fields,
    pub paragraphs: Vec<Paragraph>,
}

/// A whole read issue, to be stored in one step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewIssue {
    pub id: IssueId,
    pub gazette: String,
    pub sources: Vec<SourceFile>,
    pub pages: Vec<NewPage>,
    pub documents: Vec<NewDocument>,
}

/// What storing an issue did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stored {
    /// The issue was new: version 1.
    New { id: IssueId, documents: usize },
    /// Its sources changed: a new version of its pages and documents.
    Revised {
        id: IssueId,
        version: u32,
        documents: usize,
        /// What the new reading did to each document a person had
        /// corrected or verified, and to ids no longer listed.
        changes: Vec<DocChange>,
    },
    /// The same sources are already stored: nothing written.
    Unchanged { id: IssueId },
}

/// What a new reading of an issue did to one of its documents, where a
/// person should know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocChange {
    /// A person's text stays current and the new reading is kept as a
    /// candidate: the document waits for a decision.
    Review {
        id: DocId,
        current: u32,
        candidate: u32,
    },
    /// The new reading's text is the one the person corrected: their
    /// correction carries over to it (a new version, their text).
    Carried { id: DocId, version: u32 },
    /// The id is no longer listed in the issue; `person` when its current
    /// text is a person's (then it waits for a person too: their text is
    /// out of the issue's view).
    Gone { id: DocId, gone: Gone, person: bool },
}
