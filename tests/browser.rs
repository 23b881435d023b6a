//! The public pages in a real headless browser (Debian's chromium driven
//! through chromedriver over WebDriver), on a 375-px-wide phone screen:
//! search, open a document, check its citation, follow a paragraph to its
//! page and check the image loads with the paragraph outlined.
//!
//! Needs `chromium` and `chromium-driver` (scripts/test.sh installs them);
//! set GAZETTE_SKIP_BROWSER=1 to skip where they cannot be installed.

use crate::util::{data, free_port, gazette, wait_for, Running};
use serde_json::{json, Value};
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

#[test]
fn search_read_cite_and_check_the_page_in_a_browser() {
    if std::env::var_os("GAZETTE_SKIP_BROWSER").is_some() {
        eprintln!("browser test skipped (GAZETTE_SKIP_BROWSER)");
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

    let port = free_port();
    let site = format!("http://127.0.0.1:{port}");
    let _server = Running(
        gazette()
            .args([
                "serve",
                "--archive",
                arc.to_str().unwrap(),
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(&format!("{site}/healthz"));
    let dport = free_port();
    let _driver = Running(
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
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=375,812"]
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
    let link = d.find("a.title[href='/documents/yn-2019-02-01']");
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
