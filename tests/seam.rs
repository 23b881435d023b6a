//! Where ingest meets the archive: an issue with a page destroyed in the
//! middle keeps the printed numbers, citations and anchors of every page
//! after it, through the archive and the JSON API; ALTO word confidence is
//! the engine's line confidence on ALTO's 0–1 scale; and an archive written
//! by an earlier build (the committed compat fixture) still opens,
//! verifies, searches and serves.

use crate::util::{data, gazette, get_json, get_text, json_lines, serve};
use serde_json::Value;
use std::path::Path;

/// The gap fixture's printed page numbers run 31–36 over positions 1–6.
const FIRST_PRINTED: u64 = 31;

/// Copies the six-page gap issue into `dir`, its third page overwritten
/// with bytes no decoder reads.
fn issue_with_a_destroyed_page(dir: &Path) -> std::path::PathBuf {
    let issue = dir.join("yn-2018-09");
    std::fs::create_dir_all(&issue).unwrap();
    for n in 1..=6 {
        let name = format!("page-{n:03}.tif");
        std::fs::copy(data("gap").join(&name), issue.join(&name)).unwrap();
    }
    std::fs::write(issue.join("page-003.tif"), b"II*\0 this page was torn out").unwrap();
    issue
}

#[test]
fn a_failed_page_keeps_every_later_page_citation_and_anchor_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let issue = issue_with_a_destroyed_page(tmp.path());
    let arc = tmp.path().join("a");
    let out = gazette()
        .args(["ingest", "--archive"])
        .arg(&arc)
        .arg(&issue)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a failed page fails the run: {err}");
    assert!(
        err.contains("page-003.tif"),
        "the failure names its file: {err}"
    );
    assert!(err.contains("1 failed"), "{err}");

    // The failed page is stored in its place with its verdict, and every
    // page has its printed number.
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(data("gap/manifest.json")).unwrap()).unwrap();
    for n in 1..=6u64 {
        let page: Value = serde_json::from_slice(
            &gazette()
                .args(["show", "--archive"])
                .arg(&arc)
                .args([&format!("yn-2018-09-p{n:02}"), "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert_eq!(page["printed"], FIRST_PRINTED + n - 1, "page {n}");
        let kind = page["verdict"]["kind"].as_str().unwrap();
        assert_eq!(kind == "failed", n == 3, "page {n}: {page}");
    }

    // verify lists the failed page for a person to look at, and finds the
    // archive sound.
    let out = gazette()
        .args(["verify", "--archive"])
        .arg(&arc)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("page yn-2018-09-p03: failed: "), "{err}");

    // Every document after the failed page: its printed pages and citation
    // as printed, and every anchor on a page of that printed number.
    let last = manifest["documents"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let exported = json_lines(
        &String::from_utf8(
            gazette()
                .args(["export", "--archive"])
                .arg(&arc)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    );
    let doc = exported
        .iter()
        .find(|d| d["title"] == last["title"])
        .unwrap_or_else(|| panic!("{} not found in {exported:#?}", last["title"]));
    assert_eq!(doc["start_page"], last["start_page"]);
    assert_eq!(doc["end_page"], last["end_page"]);
    let citation = format!(
        "第{}—{}页",
        last["start_page"].as_u64().unwrap(),
        last["end_page"].as_u64().unwrap()
    );
    assert!(
        doc["citation"].as_str().unwrap().ends_with(&citation),
        "{}",
        doc["citation"]
    );
    // (sled lets one process open the archive: the server comes last.)
    let (_server, base) = serve(&arc);
    let api = get_json(&format!(
        "{base}/api/documents/{}",
        doc["id"].as_str().unwrap()
    ));
    assert_eq!(api["citation"], doc["citation"]);
    let mut anchors = 0;
    for d in &exported {
        let api = get_json(&format!(
            "{base}/api/documents/{}",
            d["id"].as_str().unwrap()
        ));
        for p in api["paragraphs"].as_array().unwrap() {
            for a in p["anchors"].as_array().unwrap() {
                let position = a["page"].as_u64().unwrap();
                assert_ne!(position, 3, "nothing is anchored on the destroyed page");
                assert_eq!(
                    a["printed_page"].as_u64().unwrap(),
                    FIRST_PRINTED + position - 1,
                    "{a}"
                );
                if position > 3 {
                    anchors += 1;
                }
            }
        }
    }
    assert!(anchors > 10, "only {anchors} anchors after the failed page");

    // The issue's web page says which page could not be read.
    let html = get_text(&format!("{base}/issues/yn-2018-09"));
    assert!(
        html.contains("第33页</a> <span class=\"verdict\">（未能读取："),
        "{html}"
    );

    // ALTO of an OCR'd page: WC is the line's calibrated confidence, on
    // 0–1, and the page's quality is its PC.
    let alto = get_text(&format!("{base}/api/pages/yn-2018-09-p04/alto"));
    let wcs: Vec<f64> = alto
        .split("WC=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    assert!(!wcs.is_empty());
    assert!(wcs.iter().all(|w| (0.0..=1.0).contains(w)), "{wcs:?}");
    assert!(alto.contains(" PC=\"0."), "page quality as PC");
    let ocr = json_lines(
        &String::from_utf8(
            gazette()
                .args(["ocr", "--format", "json"])
                .arg(issue.join("page-004.tif"))
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    );
    // ALTO's WC is the calibrated confidence where there is one.
    let engine: Vec<f64> = ocr[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["calibrated"]
                .as_f64()
                .or(l["confidence"].as_f64())
                .unwrap()
        })
        .collect();
    assert_eq!(engine.len(), wcs.len());
    for (e, w) in engine.iter().zip(&wcs) {
        assert!((e - w).abs() <= 0.005, "engine {e}, ALTO {w}");
    }
    assert!(
        wcs.iter().sum::<f64>() / wcs.len() as f64 > 0.5,
        "a clean page reads with confidence well above 0.5: {wcs:?}"
    );
}

/// A copy of the committed archive of format 1 (written by the build of
/// 2026-11-30: the gap issue, page 3 destroyed), in a temporary directory
/// (opening an archive writes to it).
fn compat_copy(dir: &Path) -> std::path::PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let to = dir.join("archive-1");
    copy(&data("compat/archive-1"), &to);
    to
}

fn ok(args: &[&str], archive: &Path) -> String {
    let out = gazette()
        .args(args)
        .arg("--archive")
        .arg(archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gazette {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every later build must read the archives earlier builds wrote: the
/// committed archive opens, verifies clean, exports what it exported when
/// it was written, finds its documents and is served.
#[test]
fn an_archive_written_by_an_earlier_build_opens_verifies_searches_and_serves() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = compat_copy(tmp.path());
    assert_eq!(ok(&["verify"], &arc), "", "verify finds nothing wrong");
    let want = std::fs::read_to_string(data("compat/archive-1.export.jsonl")).unwrap();
    assert_eq!(ok(&["export"], &arc), want);
    for doc in json_lines(&want) {
        let text = doc["text"].as_str().unwrap();
        let phrase: String = text.chars().skip(10).take(8).collect();
        let found: Value = serde_json::from_str(&ok(&["search", "--json", &phrase], &arc)).unwrap();
        assert!(
            found["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == doc["id"]),
            "{phrase} does not find {}",
            doc["id"]
        );
    }
    let (_server, base) = serve(&arc);
    let d = get_json(&format!("{base}/api/documents/yn-2018-09-03"));
    assert_eq!(d["citation"], "《云南省人民政府公报》2018年第9期第34—36页");
    assert!(get_text(&format!("{base}/api/pages/yn-2018-09-p04/alto")).contains("<String "));
    let info = get_json(&format!("{base}/iiif/yn-2018-09-p04/info.json"));
    assert!(info["width"].as_u64().unwrap() > 0);
    drop(_server);
    // Opened by this build, the archive is of today's format: a build of
    // format 1 would take a candidate reading for a current text.
    assert_eq!(
        std::fs::read_to_string(arc.join("FORMAT")).unwrap(),
        "gazette-archive 2\n"
    );
    // The issue read again whole (its third page rescanned): every id of
    // the earlier build still holds its own document.
    let issue = tmp.path().join("yn-2018-09");
    std::fs::create_dir_all(&issue).unwrap();
    for n in 1..=6 {
        let name = format!("page-{n:03}.tif");
        std::fs::copy(data("gap").join(&name), issue.join(&name)).unwrap();
    }
    let out = gazette()
        .args(["ingest", "--archive"])
        .arg(&arc)
        .arg(&issue)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for doc in json_lines(&want) {
        let id = doc["id"].as_str().unwrap();
        let now: Value = serde_json::from_str(&ok(&["show", id, "--json"], &arc)).unwrap();
        assert_eq!(now["title"], doc["title"], "{id}");
        assert_eq!(now["version"], 2, "{id} read again");
    }
    assert_eq!(ok(&["verify"], &arc), "");
}

/// An index whose analysis version is not today's is rebuilt from the
/// store when the archive is opened, and searches the same afterwards.
#[test]
fn an_index_of_another_analysis_version_is_rebuilt_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = compat_copy(tmp.path());
    let before = ok(&["search", "--json", "教材委员会"], &arc);
    std::fs::write(arc.join("index/ANALYSIS"), "bigram-0 fold-0\n").unwrap();
    let out = gazette()
        .args(["search", "--json", "教材委员会", "--archive"])
        .arg(&arc)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rebuilding it from the store"), "{err}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), before);
    // Rebuilt once: the next open says nothing.
    let again = gazette()
        .args(["search", "--json", "教材委员会", "--archive"])
        .arg(&arc)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    assert_eq!(ok(&["verify"], &arc), "");
}
