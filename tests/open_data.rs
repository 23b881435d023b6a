//! The archive as open data, through the binary: the coverage report of an
//! archive with gaps in its sequence and a damaged page; the change feed,
//! followed from the start, rebuilding the export; the Atom feed.

use crate::util::{arg as s, data, gazette, gazette_ok as ok, get_json, get_text, serve};

#[test]
fn coverage_names_missing_issues_and_damaged_pages() {
    let tmp = tempfile::tempdir().unwrap();
    // A two-page scanned issue whose second page was delivered cut short.
    let issue = tmp.path().join("scans");
    std::fs::create_dir_all(&issue).unwrap();
    std::fs::copy(data("small/png/page-001.png"), issue.join("page-001.png")).unwrap();
    let png = std::fs::read(data("small/png/page-002.png")).unwrap();
    std::fs::write(issue.join("page-002.png"), &png[..png.len() / 3]).unwrap();
    let arc = tmp.path().join("a");
    // The damaged page fails the command (exit 1) and is recorded; the
    // issue is stored with the page in its place.
    let out = gazette()
        .args(["ingest", "--archive", s(&arc), s(&issue)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    for f in ["yn-2018-11.pdf", "yn-2016-03.pdf"] {
        ok(&[
            "ingest",
            "--archive",
            s(&arc),
            s(&data(&format!("issues/{f}"))),
        ]);
    }
    let (_server, base) = serve(&arc);
    let c = get_json(&format!("{base}/api/coverage"));
    let years = c["gazettes"][0]["years"].as_array().unwrap();
    let year = |y: u64| years.iter().find(|x| x["year"] == y).unwrap().clone();
    assert_eq!(
        years
            .iter()
            .map(|y| y["year"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2016, 2017, 2018]
    );
    assert_eq!(year(2016)["held"], serde_json::json!([3]));
    assert_eq!(year(2016)["missing"], serde_json::json!([1, 2]));
    assert_eq!(year(2018)["missing"].as_array().unwrap().len(), 10);
    // The damaged page is named with its error; the good ones are not.
    let check = year(2017)["pages_to_check"].clone();
    assert_eq!(check.as_array().unwrap().len(), 1, "{check}");
    assert_eq!(check[0]["id"], "yn-2017-05-p02");
    assert_eq!(check[0]["verdict"], "failed");
    assert!(check[0]["reason"]
        .as_str()
        .unwrap()
        .contains("page-002.png"));
    assert!(year(2016)["pages_to_check"].as_array().unwrap().is_empty());
    let page = get_text(&format!("{base}/coverage"));
    assert!(page.contains("yn-2017-05-p02（failed）"), "{page}");
    assert!(page.contains(r#"<td class="missing">1 2 </td>"#), "{page}");
}

/// Follows `/api/changes` from the start, `limit` entries a request, and
/// fetches each current version as a harvester would: id → the version's
/// JSON.
fn harvest(base: &str, limit: usize) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut held = std::collections::BTreeMap::new();
    let mut url = format!("{base}/api/changes?limit={limit}");
    loop {
        let page = get_json(&url);
        for c in page["changes"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap().to_string();
            match c["kind"].as_str().unwrap() {
                "gone" => {
                    held.remove(&id);
                }
                _ if c["current"] == true => {
                    let v = get_json(&format!("{base}{}", c["url"].as_str().unwrap()));
                    held.insert(id, v);
                }
                _ => {}
            }
        }
        match page["next"].as_str() {
            Some(n) => url = format!("{base}/api/changes?limit={limit}&since={n}"),
            None => break,
        }
    }
    held
}

#[test]
fn following_the_change_feed_from_the_start_rebuilds_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    for f in ["yn-2016-03.pdf", "yn-2018-11.pdf"] {
        ok(&[
            "ingest",
            "--archive",
            s(&arc),
            s(&data(&format!("issues/{f}"))),
        ]);
    }
    // A person's correction and a check: each a new current version.
    let fixed = tmp.path().join("fixed.txt");
    std::fs::write(&fixed, "校正后的正文。").unwrap();
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        "yn-2016-03-01",
        "--text-file",
        s(&fixed),
        "--reason",
        "校对",
    ]);
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        "yn-2018-11-01",
        "--verified",
        "--reason",
        "核对",
    ]);
    let (export, _) = ok(&["export", "--archive", s(&arc)]);
    let want: std::collections::BTreeMap<String, serde_json::Value> = export
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect();
    assert!(want.len() >= 2);
    let (_server, base) = serve(&arc);
    let got = harvest(&base, 3);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (id, w) in &want {
        let g = &got[id];
        assert_eq!(g["version"], w["version"], "{id}");
        assert_eq!(g["sha256"], w["sha256"], "{id}");
        assert_eq!(g["text"], w["text"], "{id}");
    }
    // The cursor of the last answer finds nothing new; a bad one is a 400.
    let last = get_json(&format!("{base}/api/changes"));
    let cursor = last["cursor"].as_str().unwrap();
    let again = get_json(&format!("{base}/api/changes?since={cursor}"));
    assert!(again["changes"].as_array().unwrap().is_empty());
    assert!(again["next"].is_null());
    let bad = status_of(&format!("{base}/api/changes?since=abc"));
    assert_eq!(bad, 400);
    // The Atom feed parses as XML and names the corrected document.
    let atom = get_text(&format!("{base}/feed.atom"));
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .collect();
    assert!(!entries.is_empty());
    assert!(atom.contains("人工校正"), "{atom}");
}

/// The status of a GET, whatever it is.
fn status_of(url: &str) -> u16 {
    match ureq::get(url).call() {
        Ok(r) => r.status().as_u16(),
        Err(ureq::Error::StatusCode(c)) => c,
        Err(e) => panic!("{url}: {e}"),
    }
}
