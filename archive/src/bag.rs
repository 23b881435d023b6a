//! Issue packages: one BagIt bag (RFC 8493) per read issue, so issues can
//! be read on many machines and stored by the one process that owns the
//! archive. The payload holds everything storing the issue needs — the
//! issue's record (`data/issue.json`: identity, sources and their hashes,
//! pages with lines and provenance, documents), its page images, kept once
//! each by hash (`data/images/`), and whatever the caller adds (ALTO per
//! page, the documents as JSON Lines). A bag is read back only whole and
//! only when every checksum holds: a bag that fails is refused, naming it,
//! before anything of it is stored.

use crate::error::Error;
use crate::hash::sha256_hex;
use crate::model::{NewDocument, NewIssue, NewPage, SourceFile};
use crate::IssueId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The version of `data/issue.json`'s layout.
pub const BAG_FORMAT: u32 = 1;

const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// `data/issue.json`: the issue as storing it needs it, images by file.
#[derive(Serialize, Deserialize)]
struct BagIssue {
    bag_format: u32,
    id: IssueId,
    gazette: String,
    sources: Vec<SourceFile>,
    pages: Vec<BagPage>,
    documents: Vec<NewDocument>,
}

#[derive(Serialize, Deserialize)]
struct BagPage {
    #[serde(flatten)]
    page: NewPage,
    /// The image's file in the payload and its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image_sha256: Option<String>,
}

fn bag_error(path: &Path, why: impl Into<String>) -> Error {
    Error::Bag {
        path: path.to_path_buf(),
        why: why.into(),
    }
}

fn ext(format: &str) -> &'static str {
    if format == "jpeg" {
        "jpg"
    } else {
        "png"
    }
}

/// Writes `issue` as a bag at `dir` (replaced whole if it exists: written
/// beside it, then renamed). `extra` are further payload files (paths under
/// `data/`), `info` further `bag-info.txt` lines.
pub fn write_bag(
    dir: &Path,
    issue: &NewIssue,
    extra: &[(String, Vec<u8>)],
    info: &[(String, String)],
) -> Result<(), Error> {
    let io = |p: &Path, e: std::io::Error| Error::io(p, e);
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bag".into());
    let tmp = parent.join(format!(".{name}.partial"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
    }
    // Payload files: path under the bag → bytes.
    let mut payload: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut pages = Vec::with_capacity(issue.pages.len());
    for p in &issue.pages {
        let (image_file, image_sha256) = match &p.image {
            Some(img) => {
                let sha = sha256_hex(&img.bytes);
                let file = format!("data/images/{sha}.{}", ext(&img.format));
                payload
                    .entry(file.clone())
                    .or_insert_with(|| img.bytes.clone());
                (Some(file), Some(sha))
            }
            None => (None, None),
        };
        pages.push(BagPage {
            page: p.clone(),
            image_file,
            image_sha256,
        });
    }
    let record = BagIssue {
        bag_format: BAG_FORMAT,
        id: issue.id.clone(),
        gazette: issue.gazette.clone(),
        sources: issue.sources.clone(),
        pages,
        documents: issue.documents.clone(),
    };
    // Plain records of strings and numbers: serialising cannot fail.
    let json = serde_json::to_vec_pretty(&record).unwrap_or_default();
    payload.insert("data/issue.json".into(), json);
    for (path, bytes) in extra {
        let clean = !path.is_empty()
            && !path.starts_with('/')
            && path
                .split('/')
                .all(|c| !c.is_empty() && c != "." && c != "..")
            && !path.contains(['\r', '\n', '%']);
        if !clean {
            return Err(bag_error(
                dir,
                format!("payload path {path:?} is not a plain relative path"),
            ));
        }
        payload.insert(format!("data/{path}"), bytes.clone());
    }
    let mut manifest = String::new();
    let mut total = 0u64;
    for (path, bytes) in &payload {
        let at = tmp.join(path);
        if let Some(d) = at.parent() {
            std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
        }
        std::fs::write(&at, bytes).map_err(|e| io(&at, e))?;
        manifest.push_str(&format!("{}  {path}\n", sha256_hex(bytes)));
        total += bytes.len() as u64;
    }
    let mut bag_info = vec![
        (
            "Bag-Software-Agent".to_string(),
            format!("gazette {}", env!("CARGO_PKG_VERSION")),
        ),
        (
            "Bagging-Date".into(),
            crate::now().chars().take(10).collect(),
        ),
        ("Payload-Oxum".into(), format!("{total}.{}", payload.len())),
        ("External-Identifier".into(), issue.id.to_string()),
        ("Gazette-Code".into(), issue.id.gazette.to_string()),
        ("Gazette-Name".into(), issue.gazette.clone()),
        ("Issue-Year".into(), issue.id.year.to_string()),
        ("Issue-Number".into(), issue.id.issue.to_string()),
        ("Gazette-Bag-Format".into(), BAG_FORMAT.to_string()),
    ];
    bag_info.extend(info.iter().cloned());
    let bag_info: String = bag_info
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", v.replace(['\r', '\n'], " ")))
        .collect();
    let mut tags = String::new();
    for (name, body) in [
        ("bagit.txt", BAGIT_TXT.as_bytes()),
        ("bag-info.txt", bag_info.as_bytes()),
        ("manifest-sha256.txt", manifest.as_bytes()),
    ] {
        let at = tmp.join(name);
        std::fs::write(&at, body).map_err(|e| io(&at, e))?;
        tags.push_str(&format!("{}  {name}\n", sha256_hex(body)));
    }
    let at = tmp.join("tagmanifest-sha256.txt");
    std::fs::write(&at, tags).map_err(|e| io(&at, e))?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    std::fs::rename(&tmp, dir).map_err(|e| io(dir, e))
}

/// The entries of a manifest: path → hash, refusing paths that leave the
/// bag.
fn manifest(dir: &Path, name: &str) -> Result<BTreeMap<String, String>, Error> {
    let text = std::fs::read_to_string(dir.join(name))
        .map_err(|e| bag_error(dir, format!("{name}: {e}")))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (sha, path) = line
            .split_once(char::is_whitespace)
            .map(|(s, p)| (s.trim(), p.trim()))
            .ok_or_else(|| bag_error(dir, format!("{name} line {}: not `hash path`", i + 1)))?;
        let path = path
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%");
        if path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(bag_error(
                dir,
                format!("{name} line {}: {path:?} leaves the bag", i + 1),
            ));
        }
        out.insert(path, sha.to_ascii_lowercase());
    }
    Ok(out)
}

/// Every file under `dir/data`, as bag paths.
fn payload_files(dir: &Path, sub: &Path, out: &mut BTreeSet<String>) -> Result<(), Error> {
    let here = dir.join(sub);
    for e in
        std::fs::read_dir(&here).map_err(|e| bag_error(dir, format!("{}: {e}", here.display())))?
    {
        let e = e.map_err(|e| Error::io(&here, e))?;
        let rel = sub.join(e.file_name());
        let kind = e.file_type().map_err(|e| Error::io(&here, e))?;
        if kind.is_dir() {
            payload_files(dir, &rel, out)?;
        } else {
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Checks a bag whole: its declaration, every tag file and payload file
/// against its manifest, no payload file unlisted or missing, the
/// Payload-Oxum. Returns the payload's manifest.
pub fn verify_bag(dir: &Path) -> Result<BTreeMap<String, String>, Error> {
    let decl = std::fs::read_to_string(dir.join("bagit.txt"))
        .map_err(|e| bag_error(dir, format!("bagit.txt: {e}")))?;
    if !decl.starts_with("BagIt-Version:") {
        return Err(bag_error(dir, "bagit.txt does not declare a BagIt version"));
    }
    let tags = manifest(dir, "tagmanifest-sha256.txt")?;
    for (path, sha) in &tags {
        let bytes =
            std::fs::read(dir.join(path)).map_err(|e| bag_error(dir, format!("{path}: {e}")))?;
        if sha256_hex(&bytes) != *sha {
            return Err(bag_error(
                dir,
                format!("{path}: checksum does not match tagmanifest-sha256.txt"),
            ));
        }
    }
    let files = manifest(dir, "manifest-sha256.txt")?;
    let mut present = BTreeSet::new();
    payload_files(dir, Path::new("data"), &mut present)?;
    let mut total = 0u64;
    for (path, sha) in &files {
        if !present.contains(path) {
            return Err(bag_error(
                dir,
                format!("{path}: listed in the manifest, missing"),
            ));
        }
        let bytes =
            std::fs::read(dir.join(path)).map_err(|e| bag_error(dir, format!("{path}: {e}")))?;
        if sha256_hex(&bytes) != *sha {
            return Err(bag_error(
                dir,
                format!("{path}: checksum does not match manifest-sha256.txt"),
            ));
        }
        total += bytes.len() as u64;
    }
    if let Some(extra) = present.iter().find(|p| !files.contains_key(*p)) {
        return Err(bag_error(
            dir,
            format!("{extra}: in the payload, not in the manifest"),
        ));
    }
    let info = std::fs::read_to_string(dir.join("bag-info.txt")).unwrap_or_default();
    if let Some(oxum) = info.lines().find_map(|l| l.strip_prefix("Payload-Oxum:")) {
        let want = format!("{total}.{}", files.len());
        if oxum.trim() != want {
            return Err(bag_error(
                dir,
                format!("Payload-Oxum {} is not the payload's {want}", oxum.trim()),
            ));
        }
    }
    Ok(files)
}

/// Reads a bag back into the issue it holds, after [`verify_bag`].
pub fn read_bag(dir: &Path) -> Result<NewIssue, Error> {
    let files = verify_bag(dir)?;
    if !files.contains_key("data/issue.json") {
        return Err(bag_error(dir, "no data/issue.json: not an issue package"));
    }
    let json = std::fs::read(dir.join("data/issue.json")).map_err(|e| Error::io(dir, e))?;
    let rec: BagIssue = serde_json::from_slice(&json)
        .map_err(|e| bag_error(dir, format!("data/issue.json: {e}")))?;
    if rec.bag_format != BAG_FORMAT {
        return Err(bag_error(
            dir,
            format!(
                "issue package format {} is not the format this program reads ({BAG_FORMAT})",
                rec.bag_format
            ),
        ));
    }
    let mut pages = Vec::with_capacity(rec.pages.len());
    for (i, bp) in rec.pages.into_iter().enumerate() {
        let mut page = bp.page;
        match (&mut page.image, bp.image_file, bp.image_sha256) {
            (Some(img), Some(file), Some(sha)) => {
                if files.get(&file) != Some(&sha) {
                    return Err(bag_error(
                        dir,
                        format!(
                            "page {}: image {file} is not in the manifest with its hash",
                            i + 1
                        ),
                    ));
                }
                img.bytes =
                    std::fs::read(dir.join(&file)).map_err(|e| Error::io(dir.join(&file), e))?;
            }
            (None, None, None) => {}
            _ => {
                return Err(bag_error(
                    dir,
                    format!("page {}: image record and file disagree", i + 1),
                ))
            }
        }
        pages.push(page);
    }
    Ok(NewIssue {
        id: rec.id,
        gazette: rec.gazette,
        sources: rec.sources,
        pages,
        documents: rec.documents,
    })
}
