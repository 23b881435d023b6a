//! Bulk data: per gazette and year, a gzipped JSON Lines file of every
//! current document (each line as `gazette export` prints it, in the same
//! order) and one of the page texts with coordinates, with a manifest of
//! sizes and SHA-256. Written by `gazette export --bulk DIR` and kept by
//! the server under `ARCHIVE/bulk/` for `/bulk/`.
//!
//! The gzip stream is deterministic (no file name, time 0, one level), so
//! the same archive state gives byte-identical files wherever they are
//! made, and their hashes can be compared.

use anyhow::{Context, Result};
use archive::Archive;
use flate2::{Compression, GzBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The manifest's file name in a bulk directory.
pub const MANIFEST: &str = "manifest.json";

/// One bulk file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkFile {
    pub name: String,
    pub gazette: String,
    pub year: u16,
    /// `documents` or `pages`.
    pub kind: String,
    pub records: usize,
    pub bytes: u64,
    pub sha256: String,
}

/// A bulk directory's manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The last change-feed entry the files include (0: none).
    pub as_of_change: u64,
    pub files: Vec<BulkFile>,
}

/// A page as the pages file has it: where its text is, line by line.
fn page_record(p: &archive::Page) -> serde_json::Value {
    serde_json::json!({
        "id": p.id.to_string(),
        "printed": p.printed,
        "width": p.width,
        "height": p.height,
        "verdict": p.verdict.name(),
        "reason": p.verdict.reason(),
        "lines": p.lines.iter().map(|l| serde_json::json!({
            "text": l.text, "bbox": l.bbox, "confidence": l.confidence,
        })).collect::<Vec<_>>(),
    })
}

/// Writes `lines` gzipped to `dir/name`; its entry.
fn write_file(
    dir: &Path,
    name: &str,
    (gazette, year, kind): (&str, u16, &str),
    lines: &[serde_json::Value],
) -> Result<BulkFile> {
    let path = dir.join(name);
    let mut gz = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::default());
    for l in lines {
        serde_json::to_writer(&mut gz, l)?;
        gz.write_all(b"\n")?;
    }
    let bytes = gz.finish()?;
    std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(BulkFile {
        name: name.to_string(),
        gazette: gazette.to_string(),
        year,
        kind: kind.to_string(),
        records: lines.len(),
        bytes: bytes.len() as u64,
        sha256: archive::sha256_hex(&bytes),
    })
}

/// Writes every bulk file of the archive and the manifest into `dir`
/// (created; files of the same names replaced).
pub fn write_all(a: &Archive, dir: &Path) -> Result<Manifest> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let as_of_change = a.latest_changes(1)?.first().map_or(0, |c| c.seq);
    // Documents in export order (id order), split by gazette and year.
    let mut docs: BTreeMap<(String, u16), Vec<serde_json::Value>> = BTreeMap::new();
    for v in a.current_versions()? {
        docs.entry((v.id.issue.gazette.to_string(), v.id.issue.year))
            .or_default()
            .push(crate::record::record(&v));
    }
    let mut pages: BTreeMap<(String, u16), Vec<serde_json::Value>> = BTreeMap::new();
    let mut issues = a.issues()?;
    issues.sort_by_key(|i| i.id.to_string());
    for i in &issues {
        let list = pages.entry((i.id.gazette.to_string(), i.year)).or_default();
        for p in a.current_pages(i)? {
            list.push(page_record(&p));
        }
    }
    let mut files = Vec::new();
    let keys: std::collections::BTreeSet<(String, u16)> =
        docs.keys().chain(pages.keys()).cloned().collect();
    for (code, year) in keys {
        for (kind, set) in [("documents", &docs), ("pages", &pages)] {
            let lines = set.get(&(code.clone(), year)).cloned().unwrap_or_default();
            let name = format!("{code}-{year}-{kind}.jsonl.gz");
            files.push(write_file(dir, &name, (&code, year, kind), &lines)?);
        }
    }
    let m = Manifest {
        as_of_change,
        files,
    };
    let path = dir.join(MANIFEST);
    std::fs::write(&path, serde_json::to_vec_pretty(&m)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(m)
}

/// The manifest in `dir`, if one is there and readable.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).ok()?).ok()
}
