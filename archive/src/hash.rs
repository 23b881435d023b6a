//! Hashes the archive names things by: SHA-256 in hex, and the key of a
//! set of source files.

use crate::model::SourceFile;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The key of a set of sources: their hashes in order.
pub(crate) fn sourceset_key(sources: &[SourceFile]) -> String {
    let mut all = String::new();
    for s in sources {
        all.push_str(&s.sha256);
        all.push('\n');
    }
    sha256_hex(all.as_bytes())
}
