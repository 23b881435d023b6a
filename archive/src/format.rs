//! The archive's `FORMAT` file: which on-disk format a directory holds,
//! checked before anything else is opened, and written whole on create or
//! upgrade.

use crate::{Error, Result};
use std::path::Path;

/// The on-disk format version of an archive. An archive written with
/// another version is refused with a clear error rather than misread.
///
/// Format 2 keeps machine readings of a person's text as candidates after
/// the current version, and ids no longer listed with what became of
/// them: a build of format 1 would take a candidate for the current text,
/// so it must refuse these archives. Format 1's records read as they are
/// (no candidates, nothing gone); opening one upgrades its `FORMAT`.
pub const FORMAT_VERSION: u32 = 2;

/// Formats this build reads (and upgrades to [`FORMAT_VERSION`] on open).
const READABLE_FORMATS: [u32; 2] = [1, 2];

pub(crate) const FORMAT_FILE: &str = "FORMAT";
const FORMAT_MAGIC: &str = "gazette-archive";

pub(crate) fn check_format(dir: &Path, create: bool) -> Result<()> {
    let file = dir.join(FORMAT_FILE);
    match std::fs::read_to_string(&file) {
        Ok(s) => {
            let found = s.trim();
            let version = found
                .strip_prefix(FORMAT_MAGIC)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|v| READABLE_FORMATS.contains(v));
            match version {
                Some(FORMAT_VERSION) => Ok(()),
                Some(_) => write_format(dir, &file),
                None => Err(Error::Format {
                    path: dir.to_path_buf(),
                    found: found.chars().take(40).collect(),
                    expected: FORMAT_VERSION,
                }),
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
            write_format(dir, &file)
        }
        Err(e) => Err(Error::io(&file, e)),
    }
}

/// Writes today's `FORMAT`: whole, then renamed, so a crash leaves no
/// half file.
fn write_format(dir: &Path, file: &Path) -> Result<()> {
    let tmp = dir.join("FORMAT.tmp");
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        writeln!(f, "{FORMAT_MAGIC} {FORMAT_VERSION}")?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().map_err(|e| Error::io(file, e))
}
