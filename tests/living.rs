//! The living archive: issues ingested (and texts corrected) while the
//! archive is served, seen whole within seconds with no request failing;
//! issue packages (BagIt, validated by the Library of Congress's
//! bagit-python) packed in shards and imported, equal to one ingest; a
//! package altered after packing refused by name; the deployment
//! manifests valid against Kubernetes' schemas and the Slurm scripts run
//! as local processes.

use crate::util::{data, gazette, get_json, serve};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::{arg as s, gazette_ok as ok};

/// A GET's status and body (no panic on an error status: the readers
/// count every answer).
fn get(url: &str) -> Result<(u16, String), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let mut r = agent.get(url).call().map_err(|e| format!("{url}: {e}"))?;
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    Ok((status, body))
}

/// What a reader saw: requests made, and anything wrong.
#[derive(Default)]
struct Seen {
    requests: usize,
    problems: Vec<String>,
    whole: bool,
}

/// One request of a reader: its body when it answered 200, else a problem.
fn check(seen: &mut Seen, url: &str) -> Option<String> {
    seen.requests += 1;
    match get(url) {
        Ok((200, body)) => Some(body),
        Ok((status, body)) => {
            seen.problems.push(format!("{url}: {status} {body}"));
            None
        }
        Err(e) => {
            seen.problems.push(e);
            None
        }
    }
}

/// Polls the service until told to stop (or a minute passes): the issue
/// list, a search for the new issue's text, and the new issue's documents
/// once it is listed. Any failed request, the issue listed without its
/// documents, or its text found before it is listed, is a problem.
fn reader(base: String, issue: &'static str, phrase: String, stop: Arc<AtomicBool>) -> Seen {
    let mut seen = Seen::default();
    let start = Instant::now();
    while !stop.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(60) {
        let Some(list) = check(&mut seen, &format!("{base}/api/issues")) else {
            continue;
        };
        let listed = list.contains(&format!("\"{issue}\""));
        if let Some(body) = check(&mut seen, &format!("{base}/api/search?q={phrase}")) {
            let found: Value = serde_json::from_str(&body).unwrap_or_default();
            let total = found["total"].as_u64().unwrap_or(0);
            let now_listed =
                || get(&format!("{base}/api/issues")).is_ok_and(|(_, l)| l.contains(issue));
            if total > 0 && !listed && !now_listed() {
                seen.problems
                    .push("found by search before its issue is listed".into());
            }
        }
        if !listed {
            continue;
        }
        let Some(body) = check(&mut seen, &format!("{base}/api/issues/{issue}")) else {
            continue;
        };
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        let docs = v["documents"].as_array().cloned().unwrap_or_default();
        if docs.is_empty() {
            seen.problems
                .push(format!("{issue} listed with no documents"));
        }
        for d in docs {
            let id = d["id"].as_str().unwrap_or_default().to_string();
            check(&mut seen, &format!("{base}/api/documents/{id}"));
        }
        seen.whole = true;
    }
    seen
}

/// An issue ingested while the archive is served: the ingest succeeds
/// (its server stores it), the issue is found within seconds whole —
/// listed, searched, its documents, pages and images served — and no
/// reader's request fails meanwhile; a correction while served is seen at
/// once, the document's cached answer and ETag following it.
#[test]
fn an_issue_ingested_while_served_appears_whole_and_no_request_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&[
        "ingest",
        "--archive",
        s(&arc),
        s(&data("issues/yn-2016-03.pdf")),
    ]);
    let (server, base) = serve(&arc);
    let new = data("issues/yn-2018-11.pdf");
    // A phrase of the new issue's text, from what `segment` reads of it.
    let seg: Value =
        serde_json::from_str(ok(&["segment", s(&new)]).0.lines().next().unwrap()).unwrap();
    let text: Vec<char> = seg["text"].as_str().unwrap().chars().collect();
    let phrase: String = text[text.len() / 2..].iter().take(12).collect();
    let phrase = percent_encoding::utf8_percent_encode(&phrase, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let before = get_json(&format!("{base}/api/search?q={phrase}"));
    assert_eq!(before["total"], 0);

    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (b, p, st) = (base.clone(), phrase.clone(), stop.clone());
            std::thread::spawn(move || reader(b, "yn-2018-11", p, st))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (_, err) = ok(&["ingest", "--archive", s(&arc), s(&new)]);
    assert!(err.contains("is served") && err.contains("1 new"), "{err}");
    let done = Instant::now();
    // Found within seconds, with no restart.
    loop {
        let r = get_json(&format!("{base}/api/search?q={phrase}"));
        if r["total"] == 1 {
            break;
        }
        assert!(done.elapsed() < Duration::from_secs(5), "not found: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    let mut requests = 0;
    for r in readers {
        let seen = r.join().unwrap();
        assert!(seen.problems.is_empty(), "{:?}", seen.problems);
        assert!(seen.whole, "the readers saw the issue");
        requests += seen.requests;
    }
    assert!(requests > 10, "{requests} requests");
    let issue = get_json(&format!("{base}/api/issues/yn-2018-11"));
    let doc = issue["documents"][0]["id"].as_str().unwrap().to_string();
    let page = issue["pages"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        get(&format!("{base}/iiif/{page}/info.json")).unwrap().0,
        200
    );
    assert_eq!(get(&format!("{base}/documents/{doc}")).unwrap().0, 200);
    // The inbox's package is gone once stored.
    let inbox: Vec<_> = std::fs::read_dir(arc.join("inbox")).unwrap().collect();
    assert!(inbox.is_empty(), "{inbox:?}");

    // A correction while served: the cached document follows at once.
    let url = format!("{base}/api/documents/{doc}");
    let old_tag = ureq::get(&url)
        .call()
        .unwrap()
        .headers()
        .get("etag")
        .cloned();
    let text = tmp.path().join("t.txt");
    std::fs::write(&text, "校对后的文本。").unwrap();
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        &doc,
        "--text-file",
        s(&text),
        "--reason",
        "校对",
    ]);
    let r = ureq::get(&url).call().unwrap();
    let new_tag = r.headers().get("etag").cloned();
    let body: Value = serde_json::from_str(&r.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(
        (body["version"].as_u64(), body["text"].as_str()),
        (Some(2), Some("校对后的文本。"))
    );
    assert_ne!(old_tag, new_tag);
    let q =
        percent_encoding::utf8_percent_encode("校对后的文本", percent_encoding::NON_ALPHANUMERIC);
    let hits = get_json(&format!("{base}/api/search?q={q}"));
    assert_eq!(hits["total"], 1);
    // The public port writes nothing.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = agent.post(&url).send("x").unwrap();
    assert_eq!(post.status().as_u16(), 405);
    // The control socket is its owner's alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(arc.join("control.sock"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    drop(server);
}

/// Every current document as (id, title, sha256, citation).
fn documents(arc: &Path) -> Vec<(String, String, String, String)> {
    ok(&["export", "--archive", s(arc)])
        .0
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let f = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (f("id"), f("title"), f("sha256"), f("citation"))
        })
        .collect()
}

fn bags_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("bagit.txt").is_file())
        .collect();
    v.sort();
    v
}

/// bagit-python's verdict on a bag (installed by scripts/test.sh).
fn bagit_valid(bag: &Path) -> Result<(), String> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import bagit, sys; bagit.Bag(sys.argv[1]).validate()"])
        .arg(bag)
        .output()
        .expect("python3 with bagit (scripts/test.sh installs it)");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The issues read in two shards by the Slurm script run as two local
/// processes, every package valid by bagit-python, imported (in either
/// order) into archives that equal one direct ingest — same ids, titles,
/// hashes, citations and digest; imported again, nothing changes; a package
/// altered after packing is refused by name and leaves the archive as it
/// was.
#[test]
fn shards_packed_apart_import_as_one_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    let issues = data("issues");
    let bags = tmp.path().join("bags");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/slurm/pack.sbatch");
    for k in 1..=2 {
        let out = std::process::Command::new("bash")
            .arg(&script)
            .arg(&issues)
            .arg(&bags)
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .env("GAZETTE", env!("CARGO_BIN_EXE_gazette"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let shards = [bags.join("shard-1"), bags.join("shard-2")];
    let counts: Vec<usize> = shards.iter().map(|d| bags_in(d).len()).collect();
    assert_eq!(counts, [2, 2], "four issues, two a shard");
    for b in shards.iter().flat_map(|d| bags_in(d)) {
        bagit_valid(&b).unwrap_or_else(|e| panic!("{}: {e}", b.display()));
        assert!(b.join("data/documents.jsonl").is_file());
        assert!(std::fs::read_dir(b.join("data/alto")).unwrap().count() >= 1);
    }

    let direct = tmp.path().join("direct");
    ok(&["ingest", "--archive", s(&direct), s(&issues)]);
    let want = documents(&direct);
    assert_eq!(want.len(), 6);
    let digest = |a: &Path| ok(&["verify", "--archive", s(a), "--digest"]).0;
    for (name, order) in [("ab", [0, 1]), ("ba", [1, 0])] {
        let arc = tmp.path().join(name);
        for i in order {
            ok(&["import", "--archive", s(&arc), s(&shards[i])]);
        }
        assert_eq!(documents(&arc), want, "{name}");
        assert_eq!(digest(&arc), digest(&direct), "{name}");
        let (_, err) = ok(&["import", "--archive", s(&arc), s(&shards[0]), s(&shards[1])]);
        assert!(err.contains("0 new, 0 revised, 4 already stored"), "{err}");
        assert!(gazette()
            .args(["verify", "--archive", s(&arc)])
            .status()
            .unwrap()
            .success());
    }

    // A package altered after packing: one byte of a page image.
    let victim = bags_in(&shards[0])[0].clone();
    let altered = tmp.path().join("altered");
    assert!(std::process::Command::new("cp")
        .arg("-r")
        .arg(&victim)
        .arg(&altered)
        .status()
        .unwrap()
        .success());
    let image = std::fs::read_dir(altered.join("data/images"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&image).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&image, bytes).unwrap();
    assert!(
        bagit_valid(&altered).is_err(),
        "bagit-python refuses it too"
    );
    let arc = tmp.path().join("ab");
    let before = documents(&arc);
    let out = gazette()
        .args(["import", "--archive", s(&arc), s(&altered)])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("altered") && err.contains("checksum"),
        "{err}"
    );
    assert_eq!(documents(&arc), before);
    // Into a new archive: refused, nothing stored.
    let fresh = tmp.path().join("fresh");
    let out = gazette()
        .args(["import", "--archive", s(&fresh), s(&altered)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(documents(&fresh).is_empty());
}

/// The Kubernetes manifests validate against the Kubernetes schemas
/// (kubernetes-validate, strict: no unknown field), and the pack Job's
/// shard count is its completion count.
#[test]
fn deployment_manifests_are_valid_kubernetes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kubernetes");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert!(files.len() >= 3);
    let out = std::process::Command::new("kubernetes-validate")
        .arg("--strict")
        .args(&files)
        .output()
        .expect("kubernetes-validate (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let job = std::fs::read_to_string(dir.join("pack-job.yaml")).unwrap();
    let completions = job
        .lines()
        .find_map(|l| l.trim().strip_prefix("completions:"))
        .unwrap()
        .trim();
    assert!(
        job.contains(&format!("+ 1))/{completions}\"")),
        "--shard K/{completions}"
    );
    assert!(job.contains("completionMode: Indexed"));
}
