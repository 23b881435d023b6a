//! The archive end to end through the binary: ingest → export round trip,
//! idempotence, changed sources, corrections, verify, reindex, search, and
//! kill -9 at many moments of a bulk ingest.

use crate::util::{data, gazette, json_lines};
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    gazette().args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "gazette {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn export(dir: &Path) -> String {
    ok(&["export", "--archive", s(dir)])
}

#[test]
fn ingest_then_export_round_trips_segmentation() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    let issues = data("issues");
    let out = run(&["ingest", "--archive", s(&arc), s(&issues)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("4 new"), "{err}");
    let exported = json_lines(&export(&arc));
    let segmented = json_lines(&ok(&["segment", s(&issues)]));
    assert_eq!(exported.len(), segmented.len());
    assert_eq!(exported.len(), 6);
    for (e, g) in exported.iter().zip(&segmented) {
        let mut e = e.as_object().unwrap().clone();
        assert_eq!(e.remove("version").unwrap(), 1);
        assert_eq!(e.remove("status").unwrap(), "machine");
        let id = e.remove("id").unwrap();
        let want = format!("yn-{}-{:02}-", g["year"], g["issue"].as_u64().unwrap());
        assert!(id.as_str().unwrap().starts_with(&want), "{id} {want}");
        assert_eq!(&serde_json::Value::Object(e), g);
    }
    // The plain-text export carries every standard text with its citation.
    let txt = ok(&["export", "--archive", s(&arc), "--format", "txt"]);
    for g in &segmented {
        assert!(txt.contains(g["text"].as_str().unwrap()));
        assert!(txt.contains(g["citation"].as_str().unwrap()));
    }
    // Pages keep an image, provenance and their printed numbers.
    let page: serde_json::Value = serde_json::from_str(&ok(&[
        "show",
        "--archive",
        s(&arc),
        "yn-2016-03-p02",
        "--json",
    ]))
    .unwrap();
    assert_eq!(page["printed"], 2);
    assert_eq!(page["image"]["format"], "png");
    assert_eq!(page["provenance"]["index_in_source"], 2);
    assert_eq!(
        page["provenance"]["source_sha256"].as_str().unwrap().len(),
        64
    );
    assert!(ok(&["verify", "--archive", s(&arc), "--sources"]).is_empty());
}

#[test]
fn a_second_ingest_stores_nothing_and_changed_sources_make_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&["ingest", "--archive", s(&arc), s(&data("issues"))]);
    let first = export(&arc);
    let out = run(&["ingest", "--archive", s(&arc), s(&data("issues"))]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 new, 0 revised, 4 already stored"), "{err}");
    assert_eq!(export(&arc), first);

    // Issue 2016-03 again, set in another font: a new version.
    let out = run(&["ingest", "--archive", s(&arc), s(&data("issues-changed"))]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("yn-2016-03: sources changed, stored as version 2"),
        "{err}"
    );
    let issue: serde_json::Value =
        serde_json::from_str(&ok(&["show", "--archive", s(&arc), "yn-2016-03", "--json"])).unwrap();
    assert_eq!(issue["versions"].as_array().unwrap().len(), 2);
    let doc: serde_json::Value = serde_json::from_str(&ok(&[
        "show",
        "--archive",
        s(&arc),
        "yn-2016-03-01",
        "--json",
    ]))
    .unwrap();
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["versions"].as_array().unwrap().len(), 2);
    // The first version is still there, unchanged.
    let v1: serde_json::Value = serde_json::from_str(&ok(&[
        "show",
        "--archive",
        s(&arc),
        "yn-2016-03-01",
        "--json",
        "--version",
        "1",
    ]))
    .unwrap();
    let old = json_lines(&first);
    assert_eq!(v1["sha256"], old[0]["sha256"]);
    assert!(ok(&["verify", "--archive", s(&arc)]).is_empty());
}

#[test]
fn corrections_are_versions_and_survive_a_lost_store() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&["ingest", "--archive", s(&arc), s(&data("issues"))]);
    let id = "yn-2018-11-01";
    let before: serde_json::Value =
        serde_json::from_str(&ok(&["show", "--archive", s(&arc), id, "--json"])).unwrap();
    let text = before["text"]
        .as_str()
        .unwrap()
        .replacen("决定", "决定（校）", 1);
    let file = tmp.path().join("fixed.txt");
    std::fs::write(&file, format!("{text}\n")).unwrap();
    // No reason, no text: refused.
    assert!(!run(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--text-file",
        s(&file),
        "--reason",
        ""
    ])
    .status
    .success());
    assert!(
        !run(&["correct", "--archive", s(&arc), id, "--reason", "x"])
            .status
            .success()
    );
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--text-file",
        s(&file),
        "--reason",
        "校对第一段",
    ]);
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--verified",
        "--reason",
        "与原件核对",
    ]);
    let after: serde_json::Value =
        serde_json::from_str(&ok(&["show", "--archive", s(&arc), id, "--json"])).unwrap();
    assert_eq!(after["version"], 3);
    assert_eq!(after["status"], "verified");
    assert_eq!(after["text"], text);
    assert_ne!(after["sha256"], before["sha256"]);
    let reasons: Vec<&str> = after["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["ingested", "校对第一段", "与原件核对"]);
    let hits = ok(&["search", "--archive", s(&arc), "--json", "决定（校）"]);
    assert!(hits.contains(id), "{hits}");

    // The store is lost; the scans are ingested again and the journal
    // gives the corrections back.
    std::fs::remove_dir_all(arc.join("store")).unwrap();
    std::fs::remove_dir_all(arc.join("index")).unwrap();
    ok(&["ingest", "--archive", s(&arc), s(&data("issues"))]);
    let plain: serde_json::Value =
        serde_json::from_str(&ok(&["show", "--archive", s(&arc), id, "--json"])).unwrap();
    assert_eq!(plain["version"], 1);
    let out = run(&["reindex", "--archive", s(&arc), "--from-journal"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 corrections restored"));
    let restored: serde_json::Value =
        serde_json::from_str(&ok(&["show", "--archive", s(&arc), id, "--json"])).unwrap();
    assert_eq!(restored["text"], text);
    assert_eq!(restored["status"], "verified");
    assert!(ok(&["verify", "--archive", s(&arc)]).is_empty());
}

#[test]
fn search_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&["ingest", "--archive", s(&arc), s(&data("issues"))]);
    let r: serde_json::Value = serde_json::from_str(&ok(&[
        "search",
        "--archive",
        s(&arc),
        "--json",
        "国办发明电[2018]15号",
    ]))
    .unwrap();
    assert_eq!(r["total"], 2);
    let hit = &r["hits"][0];
    let keys: Vec<&str> = hit
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "citation",
            "date",
            "doc_number",
            "id",
            "issuer",
            "score",
            "snippet",
            "status",
            "title"
        ]
    );
    // Its 时效性 today, as the API gives it.
    assert!(["有效", "已修改", "已废止", "失效", "尚未生效", "未知"]
        .contains(&hit["status"].as_str().unwrap()));
    assert_eq!(hit["doc_number"], "国办发明电〔2018〕15号");
    let years: Vec<&str> = r["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["2016", "2019"]);
    let r: serde_json::Value = serde_json::from_str(&ok(&[
        "search",
        "--archive",
        s(&arc),
        "--json",
        "--year-from",
        "2019",
        "放假调休",
    ]))
    .unwrap();
    assert_eq!(r["total"], 1);
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));
    // Bad requests are clear errors, not crashes.
    let out = run(&["search", "--archive", s(&arc), "--limit", "0", "公报"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit"));
    let out = run(&["search", "--archive", s(&tmp.path().join("none")), "公报"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Every corpus document is found in the top 10 by its 文号 in three
/// bracket forms and by three phrases of its text.
#[test]
fn corpus_documents_are_found_by_doc_number_and_phrases() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&[
        "ingest",
        "--archive",
        s(&arc),
        s(&data("corpus-issue/issue.pdf")),
    ]);
    let docs = json_lines(&export(&arc));
    assert_eq!(docs.len(), 7);
    let mut tried = 0;
    for d in &docs {
        let id = d["id"].as_str().unwrap();
        let number = d["doc_number"].as_str().unwrap();
        let mut queries = Vec::new();
        if !number.is_empty() {
            queries.push(number.to_string());
            queries.push(number.replace('〔', "[").replace('〕', "]"));
            queries.push(number.replace('〔', "（").replace('〕', "）"));
        }
        let chars: Vec<char> = d["text"]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| *c != '\n')
            .collect();
        for at in [chars.len() / 10, chars.len() / 2, chars.len() * 9 / 10] {
            let at = at.min(chars.len() - 10);
            queries.push(format!(
                "\"{}\"",
                chars[at..at + 10].iter().collect::<String>()
            ));
        }
        for q in queries {
            tried += 1;
            let r: serde_json::Value =
                serde_json::from_str(&ok(&["search", "--archive", s(&arc), "--json", &q])).unwrap();
            let ids: Vec<&str> = r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap())
                .collect();
            assert!(ids.contains(&id), "{id} not found by {q}: {ids:?}");
            if !number.is_empty() && !q.starts_with('"') {
                assert_eq!(ids[0], id, "{q} ranks its document first");
            }
        }
    }
    assert_eq!(tried, 6 * 6 + 3);
}

/// A corrupt issue in a batch is recorded by name and the rest stored; once
/// the file is replaced, the same command stores it.
#[test]
fn a_corrupt_issue_is_recorded_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    let scans = tmp.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    std::fs::copy(data("issues/yn-2018-11.pdf"), scans.join("yn-2018-11.pdf")).unwrap();
    let good = std::fs::read(data("issues/yn-2019-02.pdf")).unwrap();
    std::fs::write(scans.join("yn-2019-02.pdf"), &good[..good.len() / 3]).unwrap();
    let out = run(&["ingest", "--archive", s(&arc), s(&scans)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("yn-2019-02.pdf"), "{err}");
    assert!(err.contains("1 new"), "{err}");
    assert_eq!(json_lines(&export(&arc)).len(), 1);
    let out = run(&["verify", "--archive", s(&arc)]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not ingested:"));
    std::fs::write(scans.join("yn-2019-02.pdf"), &good).unwrap();
    let out = run(&["ingest", "--archive", s(&arc), s(&scans)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&export(&arc)).len(), 2);
    let out = run(&["verify", "--archive", s(&arc)]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not ingested:"));
}

#[test]
fn an_archive_of_another_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&[
        "ingest",
        "--archive",
        s(&arc),
        s(&data("issues/yn-2018-11.pdf")),
    ]);
    std::fs::write(arc.join("FORMAT"), "gazette-archive 3\n").unwrap();
    for cmd in [
        vec!["export", "--archive", s(&arc)],
        vec!["ingest", "--archive", s(&arc), s(&data("issues"))],
    ] {
        let out = run(&cmd);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("archive format gazette-archive 3"), "{err}");
    }
}

/// Every issue of the batch: born-digital issues, a 24-page issue, and two
/// scanned editions of one issue (so versions are made too).
fn batch() -> Vec<PathBuf> {
    vec![
        data("issues"),
        data("corpus-issue/issue.pdf"),
        data("small/png"),
        data("small/g4"),
    ]
}

fn ingest_cmd(arc: &Path) -> std::process::Command {
    let mut c = gazette();
    c.args(["ingest", "--archive", s(arc), "--jobs", "2"]);
    c.args(batch());
    c.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

/// kill -9 at moments spread over a whole bulk ingest; after each, the
/// same command again must give an archive equal to an uninterrupted
/// run's, with every issue once and `verify` clean.
#[test]
fn kill_9_at_any_moment_then_rerun_gives_the_same_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("reference");
    let t0 = std::time::Instant::now();
    assert!(ingest_cmd(&reference).status().unwrap().success());
    let full = t0.elapsed();
    let want = export(&reference);
    let want_issues: serde_json::Value = serde_json::from_str(&ok(&[
        "show",
        "--archive",
        s(&reference),
        "yn-2017-05",
        "--json",
    ]))
    .unwrap();
    let mut partial = 0;
    for (i, fraction) in [0.02, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9]
        .iter()
        .enumerate()
    {
        let arc = tmp.path().join(format!("killed-{i}"));
        let mut child = ingest_cmd(&arc).spawn().unwrap();
        std::thread::sleep(full.mul_f64(*fraction));
        // SIGKILL: no destructors, no flush.
        child.kill().unwrap();
        child.wait().unwrap();
        if arc.join("store").exists() {
            let out = run(&["export", "--archive", s(&arc)]);
            assert!(
                out.status.success(),
                "archive unreadable after kill -9 at {fraction}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let got = String::from_utf8(out.stdout).unwrap();
            if got != want {
                partial += 1;
            }
        }
        let status = ingest_cmd(&arc).status().unwrap();
        assert!(status.success(), "rerun after kill at {fraction} failed");
        assert_eq!(export(&arc), want, "after kill at {fraction}");
        let out = run(&["verify", "--archive", s(&arc)]);
        assert!(
            out.status.success(),
            "verify after kill at {fraction}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let issue: serde_json::Value =
            serde_json::from_str(&ok(&["show", "--archive", s(&arc), "yn-2017-05", "--json"]))
                .unwrap();
        // Same versions, same sources, in the same order (times differ).
        let versions = |v: &serde_json::Value| -> Vec<(serde_json::Value, serde_json::Value)> {
            v["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x["version"].clone(), x["sources"].clone()))
                .collect()
        };
        assert_eq!(
            versions(&issue),
            versions(&want_issues),
            "after kill at {fraction}"
        );
    }
    // The kills must have landed inside the run, or this tested nothing.
    assert!(partial >= 3, "only {partial} kills interrupted the ingest");
}
