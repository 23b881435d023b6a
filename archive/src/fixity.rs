//! Fixity: every stored hash recomputed, every record an issue names looked
//! up, index and store compared. `Archive::verify` lists what is wrong by
//! the id of what it affects.

use crate::*;
use std::collections::HashSet;

/// Something `verify` found wrong, by the id of what is affected.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub id: String,
    pub what: String,
}

impl Problem {
    pub(crate) fn new(id: String, what: String) -> Problem {
        Problem { id, what }
    }
}

impl Archive {
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
}
