//! Finding issues on disk and listing their pages. An issue is one PDF, one
//! multi-page TIFF, or one directory of page images in natural order
//! (page-2 before page-10); a directory given on the command line may hold
//! many issues and is walked recursively.

use crate::error::{Error, ErrorKind, Result};
use crate::pdf::{self, PdfFile};
use crate::raster;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An issue found on disk, not yet opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueSource {
    /// The PDF or TIFF file, or the directory of page images.
    pub path: PathBuf,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Pdf,
    /// A file whose frames are the pages (multi-page TIFF, or one image).
    ImageFile,
    /// Page image files in order.
    ImageDir(Vec<PathBuf>),
}

/// Extensions (lower case) of page image files.
const IMAGE_EXTS: &[&str] = &["png", "jpg", "jpeg", "tif", "tiff"];

fn ext(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Compares file names the way people number pages: page-2 before page-10.
fn natural(a: &Path, b: &Path) -> std::cmp::Ordering {
    natord::compare(&a.to_string_lossy(), &b.to_string_lossy())
}

/// Finds the issues under the given paths, in a stable order. Paths that
/// cannot be read are reported as errors; the rest are still returned.
impl IssueSource {
    /// The files the issue is read from, in page order.
    pub fn files(&self) -> Vec<PathBuf> {
        match &self.kind {
            Kind::ImageDir(files) => files.clone(),
            _ => vec![self.path.clone()],
        }
    }
}

pub fn discover(paths: &[PathBuf]) -> (Vec<IssueSource>, Vec<Error>) {
    let mut issues = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => errors.push(Error::file(p, e)),
            Ok(m) if m.is_dir() => walk_dir(p, &mut issues, &mut errors, 0),
            Ok(_) => issues.push(IssueSource {
                path: p.clone(),
                kind: if ext(p) == "pdf" {
                    Kind::Pdf
                } else {
                    Kind::ImageFile
                },
            }),
        }
    }
    (issues, errors)
}

fn walk_dir(dir: &Path, issues: &mut Vec<IssueSource>, errors: &mut Vec<Error>, depth: usize) {
    if depth > 32 {
        errors.push(Error::file(
            dir,
            ErrorKind::UnknownFormat("directories nest too deep (a link loop?)".into()),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !hidden(p)),
        Err(e) => {
            errors.push(Error::file(dir, e));
            return;
        }
    };
    let mut entries: Vec<PathBuf> = entries.collect();
    entries.sort_by(|a, b| natural(a, b));
    let (mut images, mut pdfs, mut dirs) = (Vec::new(), Vec::new(), Vec::new());
    for p in entries {
        if p.is_dir() {
            dirs.push(p);
        } else if ext(&p) == "pdf" {
            pdfs.push(p);
        } else if IMAGE_EXTS.contains(&ext(&p).as_str()) {
            images.push(p);
        }
    }
    // A folder of multi-page TIFFs is a folder of issues; any single-page
    // image makes the folder's images the pages of one issue.
    let all_multipage_tiffs = !images.is_empty()
        && images.iter().all(|p| {
            matches!(ext(p).as_str(), "tif" | "tiff")
                && std::fs::read(p)
                    .ok()
                    .and_then(|b| raster::tiff_frame_count(&b).ok())
                    .is_some_and(|n| n > 1)
        });
    if all_multipage_tiffs {
        issues.extend(images.into_iter().map(|path| IssueSource {
            path,
            kind: Kind::ImageFile,
        }));
    } else if !images.is_empty() {
        issues.push(IssueSource {
            path: dir.to_path_buf(),
            kind: Kind::ImageDir(images),
        });
    }
    issues.extend(pdfs.into_iter().map(|path| IssueSource {
        path,
        kind: Kind::Pdf,
    }));
    for d in dirs {
        walk_dir(&d, issues, errors, depth + 1);
    }
}

/// One page to read: where its bytes are.
#[derive(Clone)]
pub struct PageTask {
    /// The issue the page belongs to.
    pub issue: Arc<Path>,
    /// 1-based position of the page in its issue.
    pub page: usize,
    /// The file holding the page.
    pub file: Arc<Path>,
    pub(crate) what: PageRef,
}

#[derive(Clone)]
pub(crate) enum PageRef {
    /// Frame (0-based) of an image file.
    Frame(usize),
    /// Page (0-based) of a loaded PDF.
    Pdf(Arc<PdfFile>, usize),
}

impl PageTask {
    /// The page's number within its own file, for error messages.
    pub fn page_in_file(&self) -> Option<usize> {
        match &self.what {
            PageRef::Frame(0) if self.file.as_ref() != self.issue.as_ref() => None,
            PageRef::Frame(f) => Some(f + 1),
            PageRef::Pdf(_, i) => Some(i + 1),
        }
    }

    /// An error located at this page.
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error {
            path: self.file.to_path_buf(),
            page: self.page_in_file(),
            kind,
        }
    }
}

/// Opens an issue and lists its pages. A PDF is loaded here (and shared by
/// its page tasks); image files are only counted, and read when their page
/// is processed, so memory holds no more decoded pages than are in flight.
pub fn open(src: &IssueSource) -> Result<Vec<PageTask>> {
    let issue: Arc<Path> = Arc::from(src.path.as_path());
    match &src.kind {
        Kind::Pdf => {
            let pdf = Arc::new(pdf::open(&src.path).map_err(|k| Error::file(&src.path, k))?);
            Ok((0..pdf.pages.len())
                .map(|i| PageTask {
                    issue: issue.clone(),
                    page: i + 1,
                    file: issue.clone(),
                    what: PageRef::Pdf(pdf.clone(), i),
                })
                .collect())
        }
        Kind::ImageFile => {
            let bytes = std::fs::read(&src.path).map_err(|e| Error::file(&src.path, e))?;
            let frames = match raster::sniff(&bytes).map_err(|k| Error::file(&src.path, k))? {
                raster::Format::Tiff => {
                    raster::tiff_frame_count(&bytes).map_err(|k| Error::file(&src.path, k))?
                }
                raster::Format::Pdf => {
                    return open(&IssueSource {
                        path: src.path.clone(),
                        kind: Kind::Pdf,
                    })
                }
                _ => 1,
            };
            Ok((0..frames)
                .map(|f| PageTask {
                    issue: issue.clone(),
                    page: f + 1,
                    file: issue.clone(),
                    what: PageRef::Frame(f),
                })
                .collect())
        }
        Kind::ImageDir(files) => {
            let mut tasks = Vec::new();
            for f in files {
                let file: Arc<Path> = Arc::from(f.as_path());
                // A file that cannot be counted stays one page, whose
                // decoding then reports the problem with its name.
                let frames = match ext(f).as_str() {
                    "tif" | "tiff" => std::fs::read(f)
                        .ok()
                        .and_then(|b| raster::tiff_frame_count(&b).ok())
                        .unwrap_or(1),
                    _ => 1,
                };
                for fr in 0..frames {
                    tasks.push(PageTask {
                        issue: issue.clone(),
                        page: tasks.len() + 1,
                        file: file.clone(),
                        what: PageRef::Frame(fr),
                    });
                }
            }
            Ok(tasks)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v: Vec<PathBuf> = ["page-10.png", "page-2.png", "page-1.png"]
            .iter()
            .map(PathBuf::from)
            .collect();
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(
            v,
            ["page-1.png", "page-2.png", "page-10.png"]
                .iter()
                .map(PathBuf::from)
                .collect::<Vec<_>>()
        );
    }
}
