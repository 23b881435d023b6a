//! The server's control socket: while `gazette serve` owns an archive,
//! commands that write to it (`ingest`, `import`, `correct`, `proof
//! import`) hand their work over `DIR/control.sock` (see `crate::owner`).
//! The socket is a file in the archive's directory, open to its owner user
//! alone (mode 0600): nothing on the public HTTP port writes.
//!
//! A write runs with every reader's request held off (the gate in
//! `serve::blocking`), so a reader sees an issue whole or not at all; then
//! the service's caches are cleared and its generation moves on, so no
//! cached search, document or ETag outlives the change.

use super::AppState;
use crate::owner::{self, Reply, Request, SOCKET};
use anyhow::Context;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

/// The longest path a Unix socket may have (sun_path, less its NUL).
const MAX_SOCKET_PATH: usize = 107;

/// Binds the archive's control socket. A socket file left by a server
/// that died is removed first: this process holds the store's lock, so no
/// other server of it runs.
pub fn bind(dir: &Path) -> anyhow::Result<(UnixListener, PathBuf)> {
    let path = std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .join(SOCKET);
    anyhow::ensure!(
        path.as_os_str().len() <= MAX_SOCKET_PATH,
        "{}: the archive's path is too long for its control socket ({} bytes at most): serve it from a shorter path",
        path.display(),
        MAX_SOCKET_PATH
    );
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)
        .with_context(|| format!("binding the control socket {}", path.display()))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("setting the permissions of {}", path.display()))?;
    Ok((listener, path))
}

/// Empties the archive's inbox: packages a command left there for a
/// server that stopped before storing them (the command saw the failure;
/// run again, it reads the issue again). Called at start, before the
/// socket takes any request.
pub fn clear_inbox(dir: &Path) {
    let inbox = dir.join(crate::owner::INBOX);
    let Ok(entries) = std::fs::read_dir(&inbox) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let gone = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        match gone {
            Ok(()) => tracing::warn!(
                "removed an unstored package left in the inbox: {}",
                p.display()
            ),
            Err(err) => tracing::warn!("cannot remove {}: {err}", p.display()),
        }
    }
}

/// Serves the control socket until the process ends.
pub async fn run(listener: UnixListener, state: AppState) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let state = state.clone();
                tokio::spawn(async move {
                    if let Err(e) = connection(stream, state).await {
                        tracing::warn!("control connection: {e:#}");
                    }
                });
            }
            Err(e) => {
                tracing::error!("control socket: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

async fn connection(stream: UnixStream, state: AppState) -> anyhow::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        let reply = match serde_json::from_str::<Request>(&line) {
            Ok(req) => answer(&state, req).await,
            Err(e) => Reply::Error(format!("not a request: {e}")),
        };
        let mut out = serde_json::to_vec(&reply).unwrap_or_default();
        out.push(b'\n');
        write.write_all(&out).await?;
    }
    Ok(())
}

/// Carries out one request: a package is verified first, with readers
/// still served; the write itself holds them off, then the caches follow.
async fn answer(state: &AppState, req: Request) -> Reply {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let package = match &req {
            Request::Import { bag, .. } => match owner::read_package(bag) {
                Ok(p) => Some(p),
                Err(e) => return Reply::Error(e),
            },
            _ => None,
        };
        if !req.writes() {
            return owner::handle(&state.archive, req, package);
        }
        let _gate = super::GATE.write().unwrap_or_else(|p| p.into_inner());
        let reply = owner::handle(&state.archive, req, package);
        // Under the gate: no reader is between reading the archive and
        // caching what it read.
        state.changed();
        reply
    })
    .await
    .unwrap_or_else(|e| Reply::Error(format!("the request failed: {e}")))
}
