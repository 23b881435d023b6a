//! The corrections journal: every correction, appended as one JSON line
//! and fsynced before the store is touched. Corrections are human work that
//! no scan can give back, so they live twice: in the store and here, from
//! where `gazette reindex --from-journal` restores any the store lacks.

use crate::error::Error;
use crate::id::DocId;
use crate::model::{Paragraph, Status};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    pub id: DocId,
    /// The version the correction was made from.
    pub base_version: u32,
    /// The hash of that version's text: what replay checks, since version
    /// numbers differ between a store and one rebuilt from the scans.
    /// Empty in lines written before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_sha256: String,
    pub status: Status,
    pub text: String,
    pub sha256: String,
    /// The paragraphs with their anchors, when the correction gave them
    /// (lines corrected in a proofreading file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<Vec<Paragraph>>,
    pub reason: String,
    /// Who recorded it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    pub time: String,
}

pub(crate) struct Journal {
    path: PathBuf,
}

fn ends_without_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut b = [0u8; 1];
    f.seek(SeekFrom::End(-1)).is_ok() && f.read_exact(&mut b).is_ok() && b[0] != b'\n'
}

impl Journal {
    pub fn new(path: PathBuf) -> Self {
        Journal { path }
    }

    pub fn append(&self, c: &Correction) -> Result<(), Error> {
        let io = |e| Error::io(&self.path, e);
        let mut line = serde_json::to_vec(c).map_err(|e| Error::Journal {
            line: 0,
            message: e.to_string(),
        })?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io)?;
        // A torn line left by a crash must not swallow this one.
        if ends_without_newline(&self.path) {
            line.insert(0, b'\n');
        }
        f.write_all(&line).map_err(io)?;
        f.sync_all().map_err(io)?;
        Ok(())
    }

    /// Every correction in order. A torn line (a crash during the append,
    /// before the store was written) is skipped; any other bad line is an
    /// error.
    pub fn read(&self) -> Result<Vec<Correction>, Error> {
        let f = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&self.path, e)),
        };
        let lines: Vec<String> = std::io::BufReader::new(f)
            .lines()
            .collect::<Result<_, _>>()
            .map_err(|e| Error::io(&self.path, e))?;
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(l) {
                Ok(c) => out.push(c),
                // A line cut short by a crash during its append (the store
                // was never written for it) is skipped.
                Err(_) if !l.trim_end().ends_with('}') => {
                    tracing::warn!(path = %self.path.display(), line = i + 1, "torn journal line skipped")
                }
                Err(e) => {
                    return Err(Error::Journal {
                        line: i + 1,
                        message: e.to_string(),
                    })
                }
            }
        }
        Ok(out)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
