//! Who writes to an archive. sled lets one process open a store, so an
//! archive has one owner at a time: a command that writes (`ingest`,
//! `import`, `correct`, `proof import`) opens the archive itself when it
//! is free, and when `gazette serve` holds it, hands its work to the
//! server over the archive's control socket (`DIR/control.sock`, a Unix
//! socket only the archive's owner user can open; never the public port).
//! The heavy work — reading and segmenting issues — stays in the command;
//! the server only verifies and stores finished issue packages, one at a
//! time, between readers' requests.
//!
//! The protocol: one JSON request a line, one JSON reply a line.

use anyhow::{bail, Context, Result};
use archive::{
    Archive, DocId, Document, Edit, IssueId, NewIssue, Paragraph, SourceFile, Stats, Stored,
    Version,
};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

/// The control socket's name in the archive's directory.
pub const SOCKET: &str = "control.sock";
/// Where a command leaves the issue packages it hands to the server.
pub const INBOX: &str = "inbox";

/// What a command asks of the archive's owner.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// The issue stored from exactly these sources, if any.
    Known {
        sources: Vec<SourceFile>,
    },
    /// Verify and store an issue package; `remove` it afterwards when it
    /// is the asking command's own (in the archive's inbox).
    Import {
        bag: PathBuf,
        remove: bool,
    },
    Failure {
        path: String,
        error: String,
    },
    ClearFailure {
        path: String,
    },
    /// A person's decision on a document (see [`archive::Edit`]).
    Decide {
        id: DocId,
        text: Option<String>,
        paragraphs: Option<Vec<Paragraph>>,
        take_candidate: bool,
        verified: bool,
        reason: String,
        by: String,
        base: Option<u32>,
    },
    Stats,
    /// A document's history and one of its versions (the current one
    /// without `version`).
    Document {
        id: DocId,
        version: Option<u32>,
    },
}

impl Request {
    /// Whether the request changes the archive (readers' caches must then
    /// follow).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Request::Known { .. } | Request::Stats | Request::Document { .. }
        )
    }
}

/// The owner's answer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Known(Option<IssueId>),
    Stored(Stored),
    Version(Box<Version>),
    Stats(Stats),
    Document(Option<Box<(Document, Option<Version>)>>),
    Done,
    Error(String),
}

/// Verifies an issue package and reads it (no lock needed: it reads only
/// the package).
pub fn read_package(bag: &Path) -> std::result::Result<NewIssue, String> {
    archive::bag::read_bag(bag).map_err(|e| e.to_string())
}

/// Carries out a request on the archive (the server calls it with the
/// readers held off for writes; a package is read and verified before).
pub fn handle(a: &Archive, req: Request, package: Option<NewIssue>) -> Reply {
    let r: std::result::Result<Reply, String> = (|| {
        let err = |e: archive::Error| e.to_string();
        Ok(match req {
            Request::Known { sources } => Reply::Known(a.known_sources(&sources).map_err(err)?),
            Request::Import { bag, remove } => {
                let issue = package.ok_or("the package was not read")?;
                // Storing clears each source's recorded failure.
                let stored = a.store_issue(&issue).map_err(err)?;
                // Only the inbox's own packages are removed: a bag an
                // archivist imports stays where it is.
                let inbox = std::fs::canonicalize(a.dir().join(INBOX)).unwrap_or_default();
                if remove && !inbox.as_os_str().is_empty() && bag.starts_with(&inbox) {
                    let _ = std::fs::remove_dir_all(&bag);
                }
                Reply::Stored(stored)
            }
            Request::Failure { path, error } => {
                a.record_failure(&path, &error).map_err(err)?;
                Reply::Done
            }
            Request::ClearFailure { path } => {
                a.clear_failure(&path).map_err(err)?;
                Reply::Done
            }
            Request::Decide {
                id,
                text,
                paragraphs,
                take_candidate,
                verified,
                reason,
                by,
                base,
            } => {
                let edit = Edit {
                    text: text.as_deref(),
                    paragraphs,
                    take_candidate,
                    verified,
                    reason: &reason,
                    by: &by,
                    base,
                };
                Reply::Version(Box::new(a.decide(&id, &edit).map_err(err)?))
            }
            Request::Stats => Reply::Stats(a.stats().map_err(err)?),
            Request::Document { id, version } => match a.document(&id).map_err(err)? {
                None => Reply::Document(None),
                Some(head) => {
                    let n = version.unwrap_or(head.current());
                    let v = a.version(&id, n).map_err(err)?;
                    Reply::Document(Some(Box::new((head, v))))
                }
            },
        })
    })();
    r.unwrap_or_else(Reply::Error)
}

/// The server's end, for a command of this process's archive.
pub struct Remote {
    dir: PathBuf,
    stream: BufReader<UnixStream>,
}

impl Remote {
    fn ask(&mut self, req: &Request) -> Result<Reply> {
        let mut line = serde_json::to_vec(req).context("encoding a request")?;
        line.push(b'\n');
        let s = self.stream.get_mut();
        s.write_all(&line)
            .context("writing to the archive's server")?;
        let mut reply = String::new();
        self.stream
            .read_line(&mut reply)
            .context("reading the archive's server")?;
        if reply.is_empty() {
            bail!("the archive's server closed the connection");
        }
        match serde_json::from_str(&reply).context("the server's reply")? {
            Reply::Error(e) => bail!("{e}"),
            r => Ok(r),
        }
    }
}

/// An archive a command writes to: opened here, or served by another
/// process that stores what this one hands it.
pub enum Writer {
    Local(Box<Archive>),
    Remote(Remote),
}

fn unexpected(r: Reply) -> anyhow::Error {
    anyhow::anyhow!("unexpected reply from the archive's server: {r:?}")
}

impl Writer {
    /// Opens the archive in `dir` (creating it if `create`); when a
    /// `gazette serve` holds it, connects to its control socket instead.
    pub fn open(dir: &Path, create: bool) -> Result<Writer> {
        match crate::open_archive(dir, create) {
            Ok(a) => Ok(Writer::Local(Box::new(a))),
            Err(e) => {
                let locked = matches!(
                    e.downcast_ref::<archive::Error>(),
                    Some(archive::Error::Locked { .. })
                );
                if !locked {
                    return Err(e);
                }
                let sock = dir.join(SOCKET);
                let stream = UnixStream::connect(&sock).map_err(|c| {
                    e.context(format!(
                        "and no `gazette serve` of it answers on {} ({c})",
                        sock.display()
                    ))
                })?;
                Ok(Writer::Remote(Remote {
                    dir: dir.to_path_buf(),
                    stream: BufReader::new(stream),
                }))
            }
        }
    }

    /// The archive itself, when this process holds it.
    pub fn local(&self) -> Option<&Archive> {
        match self {
            Writer::Local(a) => Some(a),
            Writer::Remote(_) => None,
        }
    }

    pub fn known_sources(&mut self, sources: &[SourceFile]) -> Result<Option<IssueId>> {
        match self {
            Writer::Local(a) => Ok(a.known_sources(sources)?),
            Writer::Remote(r) => match r.ask(&Request::Known {
                sources: sources.to_vec(),
            })? {
                Reply::Known(k) => Ok(k),
                other => Err(unexpected(other)),
            },
        }
    }

    /// Stores a read issue: here, or packed into the archive's inbox and
    /// handed to its server, which verifies the package and stores it
    /// whole.
    pub fn store_issue(&mut self, issue: &NewIssue) -> Result<Stored> {
        match self {
            Writer::Local(a) => Ok(a.store_issue(issue)?),
            Writer::Remote(r) => {
                let name = format!(
                    "{}-{}-{}",
                    issue.id,
                    std::process::id(),
                    archive::sha256_hex(archive::now().as_bytes())
                        .get(..8)
                        .unwrap_or("0")
                );
                let bag = r.dir.join(INBOX).join(name);
                archive::bag::write_bag(&bag, issue, &[], &[])
                    .with_context(|| format!("packing {}", issue.id))?;
                let bag = std::fs::canonicalize(&bag).unwrap_or(bag);
                match r.ask(&Request::Import { bag, remove: true })? {
                    Reply::Stored(s) => Ok(s),
                    other => Err(unexpected(other)),
                }
            }
        }
    }

    /// Verifies and stores an issue package (refused whole, naming it, if
    /// any checksum fails).
    pub fn import(&mut self, bag: &Path) -> Result<Stored> {
        match self {
            Writer::Local(a) => {
                // Storing clears each source's recorded failure.
                Ok(a.store_issue(&archive::bag::read_bag(bag)?)?)
            }
            Writer::Remote(r) => {
                let bag =
                    std::fs::canonicalize(bag).with_context(|| format!("{}", bag.display()))?;
                match r.ask(&Request::Import { bag, remove: false })? {
                    Reply::Stored(s) => Ok(s),
                    other => Err(unexpected(other)),
                }
            }
        }
    }

    pub fn record_failure(&mut self, path: &str, error: &str) -> Result<()> {
        match self {
            Writer::Local(a) => Ok(a.record_failure(path, error)?),
            Writer::Remote(r) => r
                .ask(&Request::Failure {
                    path: path.into(),
                    error: error.into(),
                })
                .map(|_| ()),
        }
    }

    pub fn clear_failure(&mut self, path: &str) -> Result<()> {
        match self {
            Writer::Local(a) => Ok(a.clear_failure(path)?),
            Writer::Remote(r) => r
                .ask(&Request::ClearFailure { path: path.into() })
                .map(|_| ()),
        }
    }

    pub fn decide(&mut self, id: &DocId, edit: &Edit) -> Result<Version> {
        match self {
            Writer::Local(a) => Ok(a.decide(id, edit)?),
            Writer::Remote(r) => match r.ask(&Request::Decide {
                id: id.clone(),
                text: edit.text.map(str::to_string),
                paragraphs: edit.paragraphs.clone(),
                take_candidate: edit.take_candidate,
                verified: edit.verified,
                reason: edit.reason.into(),
                by: edit.by.into(),
                base: edit.base,
            })? {
                Reply::Version(v) => Ok(*v),
                other => Err(unexpected(other)),
            },
        }
    }

    /// A document's history and its version `n` (`None`: the current).
    pub fn document(
        &mut self,
        id: &DocId,
        n: Option<u32>,
    ) -> Result<Option<(Document, Option<Version>)>> {
        match self {
            Writer::Local(a) => match a.document(id)? {
                None => Ok(None),
                Some(head) => {
                    let v = a.version(id, n.unwrap_or(head.current()))?;
                    Ok(Some((head, v)))
                }
            },
            Writer::Remote(r) => match r.ask(&Request::Document {
                id: id.clone(),
                version: n,
            })? {
                Reply::Document(d) => Ok(d.map(|b| *b)),
                other => Err(unexpected(other)),
            },
        }
    }

    pub fn stats(&mut self) -> Result<Stats> {
        match self {
            Writer::Local(a) => Ok(a.stats()?),
            Writer::Remote(r) => match r.ask(&Request::Stats)? {
                Reply::Stats(s) => Ok(s),
                other => Err(unexpected(other)),
            },
        }
    }
}
