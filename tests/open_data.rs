//! The archive as open data, through the binary: the coverage report of an
//! archive with gaps in its sequence and a damaged page; the change feed,
//! followed from the start, rebuilding the export; the Atom feed; a
//! harvest over OAI-PMH by a client library; the sitemaps.

use crate::util::{
    arg as s, data, gazette, gazette_ok as ok, get_json, get_text, serve, serve_with,
};

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
    let (tmp, arc) = archive_of(&["yn-2016-03", "yn-2018-11"]);
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
    // And as a feed reader's library reads it: well-formed, every entry.
    let mut py = std::process::Command::new("python3")
        .args([
            "-c",
            "import feedparser, sys; d = feedparser.parse(sys.stdin.read()); \
             assert not d.bozo, d.bozo_exception; print(len(d.entries))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with feedparser (scripts/test.sh installs it)");
    use std::io::Write;
    py.stdin.take().unwrap().write_all(atom.as_bytes()).unwrap();
    let out = py.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        entries.len().to_string()
    );
}

/// The status of a GET, whatever it is.
fn status_of(url: &str) -> u16 {
    match ureq::get(url).call() {
        Ok(r) => r.status().as_u16(),
        Err(ureq::Error::StatusCode(c)) => c,
        Err(e) => panic!("{url}: {e}"),
    }
}

/// Sickle (the OAI-PMH client library on PyPI, installed by
/// scripts/test.sh) harvesting `base`: every record's identifier and
/// whether it is deleted, by ListRecords; the identifiers of one set by
/// ListIdentifiers; one record's title by GetRecord.
const HARVEST: &str = r#"
import json, sys
from sickle import Sickle
s = Sickle(sys.argv[1] + "/oai", max_retries=1)
assert s.Identify().protocolVersion == "2.0"
records = [(r.header.identifier, r.header.deleted) for r in s.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)]
in_set = [h.identifier for h in s.ListIdentifiers(metadataPrefix="oai_dc", set=sys.argv[2])]
one = s.GetRecord(identifier=records[0][0], metadataPrefix="oai_dc")
sets = [x.setSpec for x in s.ListSets()]
print(json.dumps({"records": records, "in_set": in_set, "sets": sets,
                  "title": one.metadata.get("title", [""])[0]}))
"#;

#[test]
fn a_harvest_with_an_oai_pmh_client_library_gets_every_record() {
    let (_tmp, arc) = archive_of(&["yn-2016-03", "yn-2018-11", "yn-2019-02", "yn-2020-07"]);
    let (export, _) = ok(&["export", "--archive", s(&arc)]);
    let mut want: Vec<String> = export
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("oai:gazette:{}", v["id"].as_str().unwrap())
        })
        .collect();
    want.sort();
    assert!(want.len() > 4, "enough records for several pages: {want:?}");
    // Two records an answer: every list is split by resumption tokens.
    let (_server, base) = serve_with(&arc, &["--oai-page", "2"]);
    let out = std::process::Command::new("python3")
        .args(["-c", HARVEST, &base, "yn:2018"])
        .output()
        .expect("python3 with sickle (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = h["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r[1], false, "{r}");
            r[0].as_str().unwrap().to_string()
        })
        .collect();
    got.sort();
    assert_eq!(got, want);
    let in_set = h["in_set"].as_array().unwrap();
    assert!(!in_set.is_empty());
    assert!(in_set
        .iter()
        .all(|i| i.as_str().unwrap().starts_with("oai:gazette:yn-2018-11-")));
    assert_eq!(
        in_set.len(),
        want.iter().filter(|w| w.contains("yn-2018-11-")).count()
    );
    assert!(!h["title"].as_str().unwrap().is_empty());
    assert!(h["sets"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("yn:2019")));
    // The sitemap index and its year sitemaps list every current document
    // and every page, each with its last change.
    let index = get_text(&format!("{base}/sitemap.xml"));
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let doc = roxmltree::Document::parse(&index).unwrap();
    let maps: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert_eq!(maps.len(), 4, "{index}");
    let mut docs = Vec::new();
    let mut pages = 0;
    for m in maps {
        let body = get_text(&m);
        let d = roxmltree::Document::parse(&body).unwrap();
        for u in d.descendants().filter(|n| n.has_tag_name((ns, "url"))) {
            let loc = u
                .children()
                .find(|c| c.has_tag_name((ns, "loc")))
                .unwrap()
                .text()
                .unwrap()
                .to_string();
            assert!(u.children().any(|c| c.has_tag_name((ns, "lastmod"))));
            if let Some(id) = loc.split("/documents/").nth(1) {
                docs.push(format!("oai:gazette:{id}"));
            } else if loc.contains("/pages/") {
                pages += 1;
            }
        }
    }
    docs.sort();
    assert_eq!(docs, want);
    assert!(pages >= 4);
    // Protocol errors are OAI-PMH answers, not HTTP errors.
    let bad = get_text(&format!("{base}/oai?verb=ListRecords"));
    assert!(bad.contains(r#"<error code="badArgument">"#), "{bad}");
    let bad = get_text(&format!("{base}/oai?verb=Nope"));
    assert!(bad.contains(r#"<error code="badVerb">"#), "{bad}");
}

#[test]
fn bulk_files_match_their_hashes_and_the_export() {
    let (tmp, arc) = archive_of(&["yn-2016-03", "yn-2018-11", "yn-2019-02"]);
    let (export, _) = ok(&["export", "--archive", s(&arc)]);
    let out = tmp.path().join("bulk");
    ok(&["export", "--archive", s(&arc), "--bulk", s(&out)]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let (_server, base) = serve(&arc);
    let listed = get_json(&format!("{base}/bulk/"));
    assert_eq!(listed["as_of_change"], manifest["as_of_change"]);
    let files = listed["files"].as_array().unwrap();
    assert_eq!(files.len(), 6, "documents and pages for three years");
    let mut lines_seen = Vec::new();
    for (f, m) in files.iter().zip(manifest["files"].as_array().unwrap()) {
        // The same files whoever made them.
        assert_eq!(f["sha256"], m["sha256"], "{f}");
        let bytes = crate::util::get_bytes(&format!("{base}{}", f["url"].as_str().unwrap()));
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap());
        let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes));
        assert_eq!(sha, f["sha256"].as_str().unwrap());
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .unwrap();
        let year = f["year"].as_u64().unwrap();
        assert_eq!(text.lines().count() as u64, f["records"].as_u64().unwrap());
        for l in text.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            if f["kind"] == "documents" {
                assert_eq!(v["year"], year);
                lines_seen.push(l.to_string());
            } else {
                assert!(v["id"].as_str().unwrap().contains(&format!("-{year}-")));
                assert!(v["lines"].is_array());
            }
        }
    }
    // The documents files, put together, are the export.
    assert_eq!(lines_seen, export.lines().collect::<Vec<_>>());
}

/// An archive in a temporary directory holding these rendered issues of
/// tests/data/issues.
fn archive_of(issues: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    for f in issues {
        ok(&[
            "ingest",
            "--archive",
            s(&arc),
            s(&data(&format!("issues/{f}.pdf"))),
        ]);
    }
    (tmp, arc)
}
