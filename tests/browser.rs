//! The service in a real headless browser (Debian's chromium driven
//! through chromedriver over WebDriver):
//! - the public pages on a 375-px-wide phone screen: search, open a
//!   document, check its citation, follow a paragraph to its page and check
//!   the image loads with the paragraph outlined;
//! - an issue's IIIF manifest in Mirador (npm `mirador`, served from
//!   `tests/mirador` by the test itself, no CDN): page 1's image is shown,
//!   the index lists the issue's documents, and a content search for a
//!   phrase finds it.
//!
//! Needs `chromium` and `chromium-driver`, and `npm ci` in `tests/mirador`
//! (scripts/test.sh does all three); set GAZETTE_SKIP_BROWSER=1 to skip
//! where they cannot be installed.

use crate::util::{data, free_port, gazette, wait_for, Running};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Driver {
    base: String,
}

impl Driver {
    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.base, path);
        let resp = match method {
            "POST" => ureq::post(&url).send_json(&body),
            "GET" => ureq::get(&url).call(),
            _ => ureq::delete(&url).call(),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let v: Value = resp.body_mut().read_json().unwrap();
        v["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let t = Instant::now();
        loop {
            let url = format!("{}/element", self.base);
            if let Ok(mut r) =
                ureq::post(&url).send_json(json!({"using": "css selector", "value": css}))
            {
                let v: Value = r.body_mut().read_json().unwrap();
                if let Some(id) = v["value"].as_object().and_then(|o| o.values().next()) {
                    return id.as_str().unwrap().to_string();
                }
            }
            assert!(t.elapsed() < Duration::from_secs(20), "no element {css}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": js, "args": []}))
    }
}

/// chromedriver and a headless chromium session with a window of this size.
fn browser(width: u32, height: u32) -> (Running, Driver) {
    let dport = free_port();
    let driver = Running(
        Command::new("chromedriver")
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) is needed, or set GAZETTE_SKIP_BROWSER=1"),
    );
    wait_for(&format!("http://127.0.0.1:{dport}/status"));
    let session: Value = ureq::post(&format!("http://127.0.0.1:{dport}/session"))
        .send_json(json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", &format!("--window-size={width},{height}")]
            }
        }}}))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let sid = session["value"]["sessionId"].as_str().unwrap().to_string();
    let d = Driver {
        base: format!("http://127.0.0.1:{dport}/session/{sid}"),
    };
    (driver, d)
}

fn skip() -> bool {
    let skip = std::env::var_os("GAZETTE_SKIP_BROWSER").is_some();
    if skip {
        eprintln!("browser test skipped (GAZETTE_SKIP_BROWSER)");
    }
    skip
}

#[test]
fn search_read_cite_and_check_the_page_in_a_browser() {
    if skip() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    let st = gazette()
        .args(["ingest", "--archive", arc.to_str().unwrap()])
        .arg(data("issues"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let export = gazette()
        .args(["export", "--archive", arc.to_str().unwrap()])
        .output()
        .unwrap();
    let docs: Vec<Value> = String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let holiday = docs.iter().find(|d| d["id"] == "yn-2019-02-01").unwrap();

    let (_server, site) = crate::util::serve(&arc);
    let (_driver, d) = browser(375, 812);

    // Search from the home page, as a reader types.
    d.cmd("POST", "/url", json!({"url": format!("{site}/")}));
    let input = d.find("form.bigsearch input[name=q]");
    d.cmd(
        "POST",
        &format!("/element/{input}/value"),
        json!({"text": "放假调休"}),
    );
    let button = d.find("form.bigsearch button");
    d.cmd("POST", &format!("/element/{button}/click"), json!({}));
    let total = d.find("#total");
    assert_eq!(
        d.cmd("GET", &format!("/element/{total}/text"), json!({})),
        "2"
    );
    assert!(
        d.script("return document.querySelectorAll('.snippet mark').length")
            .as_u64()
            .unwrap()
            >= 1
    );

    // Open the 2019 notice and check its citation.
    let link = d.find("a.title[href^='/documents/yn-2019-02-01?']");
    d.cmd("POST", &format!("/element/{link}/click"), json!({}));
    let cite = d.find("#citation");
    assert_eq!(
        d.cmd("GET", &format!("/element/{cite}/text"), json!({})),
        holiday["citation"]
    );
    // Readable on the phone: nothing wider than the screen.
    let overflow = d.script("return document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "page overflows by {overflow} px"
    );

    // Follow the first paragraph to its page: the image loads and the
    // paragraph's lines are outlined over it.
    let para = d.find(".text a.pagelink");
    d.cmd("POST", &format!("/element/{para}/click"), json!({}));
    d.find("#page-image");
    let t = Instant::now();
    loop {
        let loaded = d.script("var i = document.getElementById('page-image'); return i.complete && i.naturalWidth > 0");
        if loaded == json!(true) {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "page image did not load"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let outline = d.script(
        "var r = document.querySelector('rect.anchor'); if (!r) return null; \
         var b = r.getBoundingClientRect(), i = document.getElementById('page-image').getBoundingClientRect(); \
         return [b.width, b.height, b.left >= i.left && b.right <= i.right + 1 && b.top >= i.top && b.bottom <= i.bottom + 1]",
    );
    assert!(outline[0].as_f64().unwrap() > 10.0, "{outline}");
    assert!(outline[1].as_f64().unwrap() > 2.0, "{outline}");
    assert_eq!(outline[2], json!(true), "outline lies on the image");
    d.cmd("DELETE", "", json!({}));
}

/// Serves Mirador's page and script on a port of its own (another origin
/// than the service's, as for any viewer): GET `/` and `/mirador.min.js`.
fn serve_mirador() -> u16 {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mirador");
    let script = dir.join("node_modules/mirador/dist/mirador.min.js");
    assert!(
        script.exists(),
        "{} missing: run `npm ci` in tests/mirador (scripts/test.sh does), or set GAZETTE_SKIP_BROWSER=1",
        script.display()
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let root = dir.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                // The rest of the request head.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = first.split_whitespace().nth(1).unwrap_or("/");
                let (file, ctype) = if path.starts_with("/mirador.min.js") {
                    (
                        root.join("node_modules/mirador/dist/mirador.min.js"),
                        "text/javascript",
                    )
                } else if path == "/" || path.starts_with("/?") {
                    (root.join("index.html"), "text/html; charset=utf-8")
                } else {
                    (PathBuf::new(), "")
                };
                let mut out = &stream;
                match std::fs::read(&file) {
                    Ok(body) => {
                        let _ = write!(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = out.write_all(&body);
                    }
                    Err(_) => {
                        let _ = out.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                }
            });
        }
    });
    port
}

/// Waits until the script returns true.
fn until(d: &Driver, js: &str, what: &str) {
    let t = Instant::now();
    while d.script(js) != json!(true) {
        assert!(t.elapsed() < Duration::from_secs(30), "{what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A new user pastes an issue's manifest URL into Mirador: the issue opens
/// on page 1's image, the index lists its documents, and searching it for
/// a phrase lists a hit on the page that prints it.
#[test]
fn an_issue_in_mirador_with_its_documents_and_search() {
    if skip() {
        return;
    }
    let mport = serve_mirador();
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    let st = gazette()
        .args(["ingest", "--archive", arc.to_str().unwrap()])
        .arg(data("corpus-issue/issue.pdf"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let (_server, site) = crate::util::serve(&arc);
    let issues = crate::util::get_json(&format!("{site}/api/issues"));
    let issue_id = issues["issues"][0]["id"].as_str().unwrap().to_string();
    let manifest = format!("{site}/iiif/presentation/issues/{issue_id}/manifest");
    let titles: Vec<String> = crate::util::get_json(&format!("{site}/api/issues/{issue_id}"))
        ["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.len() >= 2);

    let (_driver, d) = browser(1280, 900);
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    d.cmd(
        "POST",
        "/url",
        json!({"url": format!("http://127.0.0.1:{mport}/?manifest={}", enc(&manifest))}),
    );
    // The window is titled with the issue, and its index lists every
    // document (the manifest's ranges).
    until(
        &d,
        "return !!document.querySelector('section.mirador-window') && document.body.innerText.includes('2017年第5期')",
        "Mirador did not open the manifest",
    );
    for t in &titles {
        let js = format!("return document.body.innerText.includes({})", json!(t));
        until(&d, &js, &format!("the index does not list {t}"));
    }
    // Page 1's image, through the IIIF Image service, is drawn.
    until(
        &d,
        &format!(
            "return performance.getEntriesByType('resource').some(e => e.name.includes('/iiif/{issue_id}-p01/') \
             && !e.name.endsWith('info.json') && e.responseEnd > 0)"
        ),
        "page 1's image was not fetched",
    );
    until(
        &d,
        "var c = document.querySelector('.openseadragon-canvas canvas'); return !!c && c.width > 100",
        "no image canvas",
    );
    // Search the issue for a phrase it prints.
    let tab = d.find("button[aria-label='Search']");
    d.cmd("POST", &format!("/element/{tab}/click"), json!({}));
    let input = d.find("form[aria-label='Search'] input");
    d.cmd(
        "POST",
        &format!("/element/{input}/value"),
        json!({"text": "政务公开\u{E007}"}),
    );
    until(
        &d,
        "return Array.from(document.querySelectorAll('[class*=SearchHit-root]')).some(h => h.innerText.includes('政务公开'))",
        "the search found no hit",
    );
    // Every hit the service gives is listed, in its order, with its text.
    let hits = crate::util::get_json(&format!(
        "{site}/iiif/presentation/issues/{issue_id}/search1?q={}",
        enc("政务公开")
    ));
    let hits = hits["hits"].as_array().unwrap();
    let js = format!(
        "return document.querySelectorAll('[class*=SearchHit-root]').length == {}",
        hits.len()
    );
    until(
        &d,
        &js,
        "Mirador lists another number of hits than the service gave",
    );
    let shown = d.script(
        "return Array.from(document.querySelectorAll('[class*=SearchHit-root]')).map(e => e.innerText.replace(/\\s+/g, ''))",
    );
    for (h, text) in hits.iter().zip(shown.as_array().unwrap()) {
        let want = format!(
            "{}{}",
            h["match"].as_str().unwrap(),
            h["after"].as_str().unwrap()
        );
        let want: String = want
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(6)
            .collect();
        assert!(
            text.as_str().unwrap().contains(&want),
            "{text} lacks {want}"
        );
    }
    d.cmd("DELETE", "", json!({}));
}
