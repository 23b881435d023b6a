//! `gazette proof`: the proofreading round trip. `export` writes the lines
//! to check (below a confidence, or of documents or issues) as PAGE XML or
//! ALTO beside their page images, laid out as Transkribus and eScriptorium
//! import them; `import` reads the corrected files back and stores each
//! document they change as a correction version (reason and who recorded
//! it), every line's anchor kept. A file whose lines do not match the
//! archive is refused, naming the line, and nothing of the import is
//! stored.

pub mod formats;
pub mod lines;

use crate::owner::Writer;
use anyhow::{Context, Result};
use archive::{Archive, BBox, DocId, Edit, Page, PageId, Paragraph, Version};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use formats::{ProofLine, ProofPage, ProofRegion, ReadLine};
use lines::{lines_of, LineRef, Pages};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Write the lines to check, with their page images, as PAGE XML or
    /// ALTO files a proofreading tool imports.
    Export(ExportArgs),
    /// Store the lines corrected in PAGE XML or ALTO files as new versions
    /// of the documents they belong to.
    Import(ImportArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// PAGE XML, schema 2019-07-15 (files under page/).
    Page,
    /// ALTO 4.4 (files under alto/).
    Alto,
}

#[derive(ClapArgs)]
pub struct ExportArgs {
    #[arg(long)]
    archive: PathBuf,
    /// The folder to write: page images, and page/ or alto/ with the XML.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "page")]
    format: FormatArg,
    /// Only lines read with a confidence under this (0–1); lines whose
    /// confidence is not known are written too.
    #[arg(long)]
    below: Option<f32>,
    /// Lines of this document (repeatable), e.g. yn-2017-05-03.
    #[arg(long = "document")]
    documents: Vec<String>,
    /// Lines of every document of this issue (repeatable), e.g. yn-2017-05.
    #[arg(long = "issue")]
    issues: Vec<String>,
}

#[derive(ClapArgs)]
pub struct ImportArgs {
    #[arg(long)]
    archive: PathBuf,
    /// Why: kept with every version the import makes.
    #[arg(long)]
    reason: String,
    /// Who records it (default: the login name).
    #[arg(long)]
    by: Option<String>,
    /// PAGE XML or ALTO files, or folders of them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Export(a) => export(a),
        Command::Import(a) => import(a),
    }
}

/// The documents an export covers, in id order.
fn selected(archive: &Archive, args: &ExportArgs) -> Result<Vec<DocId>> {
    anyhow::ensure!(
        args.below.is_some() || !args.documents.is_empty() || !args.issues.is_empty(),
        "say which lines: --below CONFIDENCE, --document ID or --issue ID"
    );
    let mut docs = Vec::new();
    for d in &args.documents {
        let id: DocId = d.parse().with_context(|| format!("--document {d}"))?;
        anyhow::ensure!(archive.document(&id)?.is_some(), "no document {id}");
        docs.push(id);
    }
    for i in &args.issues {
        let id = i.parse().with_context(|| format!("--issue {i}"))?;
        let issue = archive
            .issue(&id)?
            .with_context(|| format!("no issue {id}"))?;
        docs.extend(issue.current().documents.iter().cloned());
    }
    if args.documents.is_empty() && args.issues.is_empty() {
        for issue in archive.issues()? {
            docs.extend(issue.current().documents.iter().cloned());
        }
    }
    docs.sort();
    docs.dedup();
    Ok(docs)
}

/// Writes a page's image in the page's own pixels (the frame its lines'
/// boxes are in): the stored bytes where they are that, else the page's
/// part of the stored image scaled to the page, as PNG. Returns the file
/// name.
fn write_image(archive: &Archive, page: &Page, stem: &str, dir: &Path) -> Result<String> {
    let Some(img) = &page.image else {
        anyhow::bail!("{}: no page image is stored", page.id);
    };
    let bytes = archive
        .image(&img.sha256)?
        .with_context(|| format!("{}: image {} missing", page.id, img.sha256))?;
    let same = img.region.is_none() && (img.width, img.height) == (page.width, page.height);
    if same {
        let ext = if img.format == "jpeg" { "jpg" } else { "png" };
        let name = format!("{stem}.{ext}");
        std::fs::write(dir.join(&name), &bytes)
            .with_context(|| format!("writing {}", dir.join(&name).display()))?;
        return Ok(name);
    }
    let decoded = image::load_from_memory(&bytes)
        .with_context(|| format!("{}: decoding its stored image", page.id))?;
    let part = match img.region {
        Some([x, y, w, h]) => decoded.crop_imm(x, y, w, h),
        None => decoded,
    };
    let scaled = part.resize_exact(
        page.width.max(1),
        page.height.max(1),
        image::imageops::FilterType::Triangle,
    );
    let name = format!("{stem}.png");
    scaled
        .save_with_format(dir.join(&name), image::ImageFormat::Png)
        .with_context(|| format!("writing {}", dir.join(&name).display()))?;
    Ok(name)
}

fn export(args: ExportArgs) -> Result<ExitCode> {
    let archive = crate::export::open(&args.archive)?;
    if let Some(b) = args.below {
        anyhow::ensure!(
            (0.0..=1.0).contains(&b),
            "--below: give a confidence from 0 to 1"
        );
    }
    let docs = selected(&archive, &args)?;
    let mut pages = Pages::new(&archive);
    // Lines by page (issue version, page) → paragraph region → lines.
    type Regions = BTreeMap<(DocId, usize), Vec<ProofLine>>;
    let mut by_page: BTreeMap<(PageId, u32), Regions> = BTreeMap::new();
    let mut count = 0usize;
    let mut doc_count = 0usize;
    for id in &docs {
        let Some(v) = archive.current(id)? else {
            continue;
        };
        let mut any = false;
        for (page, r, line) in lines_of(&v, &mut pages)? {
            let keep = match (args.below, line.confidence) {
                (Some(b), Some(c)) => c < b,
                _ => true,
            };
            if !keep {
                continue;
            }
            let pid = PageId {
                issue: id.issue.clone(),
                page: page as u16,
            };
            by_page
                .entry((pid, v.issue_version))
                .or_default()
                .entry((r.doc.clone(), r.para))
                .or_default()
                .push(line);
            count += 1;
            any = true;
        }
        doc_count += usize::from(any);
    }
    let sub = match args.format {
        FormatArg::Page => "page",
        FormatArg::Alto => "alto",
    };
    let xml_dir = args.out.join(sub);
    std::fs::create_dir_all(&xml_dir).with_context(|| format!("creating {}", xml_dir.display()))?;
    let created = archive::now();
    for ((pid, iv), regions) in &by_page {
        let Some(page) = pages.get(pid, *iv)?.cloned() else {
            anyhow::bail!("{pid}: no page record for issue version {iv}");
        };
        let stem = format!("{pid}-v{iv}");
        let image = write_image(&archive, &page, &stem, &args.out)?;
        let proof = ProofPage {
            image,
            width: page.width,
            height: page.height,
            regions: regions
                .iter()
                .map(|((doc, para), lines)| ProofRegion {
                    id: format!("r_{doc}_p{para}_{}", pid.page),
                    lines: lines.clone(),
                })
                .collect(),
        };
        let xml = match args.format {
            FormatArg::Page => formats::write_page(&proof, &created),
            FormatArg::Alto => formats::write_alto(&proof),
        };
        let path = xml_dir.join(format!("{stem}.xml"));
        std::fs::write(&path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "{count} lines of {doc_count} documents on {} pages written to {} ({sub}/ beside the page images); correct them, then: gazette proof import --archive {} --reason \"…\" {}",
        by_page.len(),
        args.out.display(),
        args.archive.display(),
        xml_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The XML files named: files as given, folders' `.xml` files (sorted).
fn xml_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// How much two boxes overlap: their intersection over their union.
fn iou(a: &BBox, b: &BBox) -> f64 {
    let ix = a.x1().min(b.x1()).saturating_sub(a.x0().max(b.x0())) as f64;
    let iy = a.y1().min(b.y1()).saturating_sub(a.y0().max(b.y0())) as f64;
    let inter = ix * iy;
    let area = |r: &BBox| r.width() as f64 * r.height() as f64;
    let union = area(a) + area(b) - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// A line whose box a tool moved this far off (intersection over union)
/// is no longer the line exported: its text may belong elsewhere.
const MIN_OVERLAP: f64 = 0.5;

/// Checks a read line against the archive: the id names a line of a
/// version that is the document's current (or pending) one, and the box
/// is still that line's. Returns the line and the text it holds now.
fn check(
    archive: &mut Writer,
    line: &ReadLine,
    versions: &mut HashMap<DocId, Version>,
) -> Result<(LineRef, String), String> {
    let r = LineRef::parse(&line.id)
        .ok_or_else(|| format!("line {}: not a line id this archive exported", line.id))?;
    if line.text.contains('\n') {
        return Err(format!(
            "line {}: a line's text cannot hold a line break",
            line.id
        ));
    }
    let (head, version) = archive
        .document(&r.doc, Some(r.version))
        .map_err(|e| format!("{e:#}"))?
        .ok_or_else(|| format!("line {}: no document {}", line.id, r.doc))?;
    let live =
        head.current() == r.version || head.pending().is_some_and(|p| p.version == r.version);
    if !live {
        return Err(format!(
            "line {}: {} is at version {} now, not {}: export it again",
            line.id,
            r.doc,
            head.current(),
            r.version
        ));
    }
    if !versions.contains_key(&r.doc) {
        let v = version
            .ok_or_else(|| format!("line {}: {} has no version {}", line.id, r.doc, r.version))?;
        versions.insert(r.doc.clone(), v);
    }
    let v = &versions[&r.doc];
    if v.version != r.version {
        return Err(format!(
            "line {}: lines of versions {} and {} of {}: one import corrects one version",
            line.id, v.version, r.version, r.doc
        ));
    }
    let p = v
        .paragraphs
        .get(r.para - 1)
        .ok_or_else(|| format!("line {}: {} has no paragraph {}", line.id, r.doc, r.para))?;
    let (bbox, text) = match r.anchor {
        Some(a) => {
            let texts = p.line_texts().ok_or_else(|| {
                format!(
                    "line {}: paragraph {} is not kept line by line",
                    line.id, r.para
                )
            })?;
            let anchor = p
                .anchors
                .get(a - 1)
                .ok_or_else(|| format!("line {}: paragraph {} has no line {a}", line.id, r.para))?;
            (anchor.bbox, texts[a - 1].clone())
        }
        None => {
            if p.line_texts().is_some() {
                return Err(format!(
                    "line {}: paragraph {} is kept line by line; export it again",
                    line.id, r.para
                ));
            }
            let (_, _, b) = lines::first_page(p).ok_or_else(|| {
                format!(
                    "line {}: paragraph {} has no place on a page",
                    line.id, r.para
                )
            })?;
            (b, p.text.clone())
        }
    };
    if let Some(b) = line.bbox {
        if iou(&b, &bbox) < MIN_OVERLAP {
            return Err(format!(
                "line {}: its box {:?} is not where that line is printed ({:?})",
                line.id, b.0, bbox.0
            ));
        }
    }
    Ok((r, text))
}

/// A version's paragraphs with the corrected lines put in their places.
fn corrected(v: &Version, edits: &BTreeMap<(usize, Option<usize>), String>) -> Vec<Paragraph> {
    v.paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let para = i + 1;
            if let Some(t) = edits.get(&(para, None)) {
                return Paragraph {
                    text: t.clone(),
                    anchors: p.anchors.clone(),
                };
            }
            match p.line_texts() {
                Some(mut lines) => {
                    let mut changed = false;
                    for (a, line) in lines.iter_mut().enumerate() {
                        if let Some(t) = edits.get(&(para, Some(a + 1))) {
                            changed |= t != line;
                            *line = t.clone();
                        }
                    }
                    if changed {
                        p.with_lines(&lines).unwrap_or_else(|| p.clone())
                    } else {
                        p.clone()
                    }
                }
                None => p.clone(),
            }
        })
        .collect()
}

fn import(args: ImportArgs) -> Result<ExitCode> {
    anyhow::ensure!(!args.reason.trim().is_empty(), "--reason: say why");
    // The archive itself, or (while it is served) its server.
    let mut archive = Writer::open(&args.archive, false)?;
    let files = xml_files(&args.files)?;
    anyhow::ensure!(!files.is_empty(), "no XML files among the paths given");
    // Every line of every file is checked before anything is stored.
    let mut versions: HashMap<DocId, Version> = HashMap::new();
    let mut edits: BTreeMap<DocId, BTreeMap<(usize, Option<usize>), String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut lines_read = 0usize;
    for f in &files {
        let xml = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        let lines = match formats::read(&xml) {
            Ok((_, lines)) => lines,
            Err(e) => {
                problems.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        for l in &lines {
            lines_read += 1;
            match check(&mut archive, l, &mut versions) {
                Ok((r, now)) => {
                    let text = l.text.trim().to_string();
                    // Unchanged lines are kept out of the edit.
                    if text == now {
                        continue;
                    }
                    let slot = edits
                        .entry(r.doc.clone())
                        .or_default()
                        .entry((r.para, r.anchor));
                    match slot {
                        std::collections::btree_map::Entry::Occupied(o) if *o.get() != text => {
                            problems.push(format!(
                                "{}: line {}: corrected twice, differently",
                                f.display(),
                                l.id
                            ))
                        }
                        std::collections::btree_map::Entry::Occupied(_) => {}
                        std::collections::btree_map::Entry::Vacant(v) => {
                            v.insert(text);
                        }
                    }
                }
                Err(e) => problems.push(format!("{}: {e}", f.display())),
            }
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("refused: {p}");
        }
        eprintln!(
            "nothing stored: {} problems in {} files",
            problems.len(),
            files.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let by = crate::correct::recorder(args.by.as_deref());
    let mut stored = 0usize;
    for (doc, lines) in edits.iter().filter(|(_, e)| !e.is_empty()) {
        let v = &versions[doc];
        let paragraphs = corrected(v, lines);
        let text = paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let edit = Edit {
            text: Some(&text),
            paragraphs: Some(paragraphs),
            reason: &args.reason,
            by: &by,
            base: Some(v.version),
            ..Edit::default()
        };
        let new = archive
            .decide(doc, &edit)
            .with_context(|| format!("storing the correction of {doc}"))?;
        println!(
            "{} version {} ({}), {} lines changed, sha256 {}",
            new.id,
            new.version,
            new.status.as_str(),
            lines.len(),
            new.fields.sha256
        );
        stored += 1;
    }
    eprintln!(
        "{lines_read} lines read from {} files; {stored} documents corrected",
        files.len()
    );
    Ok(ExitCode::SUCCESS)
}
