//! A person's work through the binary: corrections that survive every
//! re-ingest (a sidecar added, other reading options), ids that never move
//! to another text, and the proofreading round trip through PAGE XML and
//! ALTO (validated against their published schemas), with the web's
//! proofreading queue.

use crate::util::{data, gazette, get_bytes, get_json, get_text, serve};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    gazette().args(args).output().unwrap()
}

use crate::util::{arg as s, gazette_ok as ok};

fn show(arc: &Path, id: &str) -> Value {
    serde_json::from_str(&ok(&["show", "--archive", s(arc), id, "--json"]).0).unwrap()
}

/// Every current document's title by id.
fn titles(arc: &Path, issue: &str) -> BTreeMap<String, String> {
    let i = show(arc, issue);
    i["versions"].as_array().unwrap().last().unwrap()["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let id = d.as_str().unwrap().to_string();
            let t = show(arc, &id)["title"].as_str().unwrap().to_string();
            (id, t)
        })
        .collect()
}

/// The share of `b`'s characters (folded to simplified forms) that stand
/// in `a`, in order: a title read otherwise is still that title.
fn similar(a: &str, b: &str) -> f64 {
    let fold =
        |s: &str| -> Vec<char> { s.chars().map(gazette_model::script::simplified).collect() };
    let (a, b) = (fold(a), fold(b));
    // Longest common subsequence.
    let mut row = vec![0usize; b.len() + 1];
    for x in &a {
        let mut prev = 0;
        for (j, y) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if x == y {
                prev + 1
            } else {
                row[j + 1].max(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()] as f64 / b.len().max(1) as f64
}

/// The six-page G4 issue (four documents) in a folder of its own.
fn gap_issue(dir: &Path) -> PathBuf {
    let issue = dir.join("yn-2018-09");
    std::fs::create_dir_all(&issue).unwrap();
    for n in 1..=6 {
        let name = format!("page-{n:03}.tif");
        std::fs::copy(data("gap").join(&name), issue.join(&name)).unwrap();
    }
    issue
}

/// The gap issue ingested into a new archive: (directory, issue, archive).
fn gap_ingested() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let issue = gap_issue(tmp.path());
    let arc = tmp.path().join("a");
    ok(&["ingest", "--archive", s(&arc), s(&issue)]);
    (tmp, issue, arc)
}

/// The issue's tale: ingest, correct a document, add the identity sidecar
/// and ingest again, then read again with other options (each time the
/// sidecar touched so the sources change). The corrected text stays
/// current, or the document waits for a decision, said by ingest, verify
/// and the API; every id keeps its title; verify stays clean.
#[test]
fn a_persons_text_survives_every_reingest() {
    let (tmp, issue, arc) = gap_ingested();
    let first = titles(&arc, "yn-2018-09");
    assert_eq!(first.len(), 4, "{first:?}");
    let id = "yn-2018-09-02";
    let machine = show(&arc, id)["text"].as_str().unwrap().to_string();
    let person = format!("{machine}\n（校对补正）");
    let fix = tmp.path().join("fix.txt");
    std::fs::write(&fix, &person).unwrap();
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--text-file",
        s(&fix),
        "--reason",
        "补正",
        "--by",
        "王校对",
    ]);

    let sidecar = issue.join("issue.toml");
    let mut reads: Vec<(&str, Vec<&str>)> = vec![
        ("gazette = \"云南省人民政府公报\"\n", vec![]),
        (
            "gazette = \"云南省人民政府公报\"\n# psm 4\n",
            vec!["--psm", "4"],
        ),
        (
            "gazette = \"云南省人民政府公报\"\n# second reader off\n",
            vec!["--second-reader", "off"],
        ),
        // Read with the traditional model: a text that surely differs.
        (
            "gazette = \"云南省人民政府公报\"\n# chi_tra\n",
            vec!["--lang", "chi_tra", "--second-reader", "off"],
        ),
    ];
    for (n, (toml, opts)) in reads.drain(..).enumerate() {
        std::fs::write(&sidecar, toml).unwrap();
        let mut args = vec!["ingest", "--archive", s(&arc)];
        args.extend(opts.iter().copied());
        args.push(s(&issue));
        let (_, err) = ok(&args);
        assert!(err.contains(&format!("version {}", n + 2)), "{err}");
        // Whatever the new reading, the current text is the person's; a
        // reading that differs from the text they corrected waits, said.
        let doc = show(&arc, id);
        let pending = doc["pending"].is_object();
        assert_eq!(pending, err.contains("review it"), "read {n}: {err}");
        assert_eq!(doc["text"], person.as_str(), "read {n}: {err}");
        assert_ne!(doc["status"], "machine");
        let now = titles(&arc, "yn-2018-09");
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            first.keys().collect::<Vec<_>>()
        );
        for (id, t) in &now {
            if opts.contains(&"chi_tra") {
                // Read in traditional forms, a character or two misread:
                // still this id's title.
                assert!(similar(t, &first[id]) >= 0.8, "{id}: {t} / {}", first[id]);
            } else {
                assert_eq!(t, &first[id], "read {n}: {err}");
            }
        }
        let out = run(&["verify", "--archive", s(&arc)]);
        let verr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && out.stdout.is_empty(), "{verr}");
        assert_eq!(verr.contains(&format!("review {id}")), pending, "{verr}");
    }
    // The last reading differs from the person's text: it waits.
    let doc = show(&arc, id);
    let candidate = doc["pending"]["version"].as_u64().expect("a candidate");
    let cand: Value = serde_json::from_str(
        &ok(&[
            "show",
            "--archive",
            s(&arc),
            id,
            "--json",
            "--version",
            &candidate.to_string(),
        ])
        .0,
    )
    .unwrap();
    assert_eq!(cand["candidate"], true);
    assert_ne!(cand["text"], person.as_str());
    // The sidecar's reading carried the person's text onto the new
    // reading's fields: the version after the correction is theirs.
    let statuses: Vec<&str> = doc["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(&statuses[..3], ["machine", "corrected", "corrected"]);

    // The API and the web page say it too.
    let (server, base) = serve(&arc);
    let api = get_json(&format!("{base}/api/documents/{id}"));
    assert_eq!(api["text"], person.as_str());
    assert_eq!(api["needs_review"], api["pending"].is_object());
    let html = get_text(&format!("{base}/documents/{id}"));
    assert_eq!(html.contains("待人工决定"), api["pending"].is_object());
    let queue = get_text(&format!("{base}/issues/yn-2018-09/proof"));
    assert!(queue.contains(&format!("{id} --candidate")), "{queue}");
    drop(server);

    // A person takes the candidate: it is the current text, a person's
    // decision, and nothing waits.
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--candidate",
        "--reason",
        "新识别文本正确",
        "--by",
        "王校对",
    ]);
    let doc = show(&arc, id);
    assert_eq!(doc["text"], cand["text"]);
    assert_eq!(
        (doc["status"].as_str(), doc["pending"].is_null()),
        (Some("corrected"), true)
    );
    let out = run(&["verify", "--archive", s(&arc)]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("review"));
    // Nothing left to take.
    let out = run(&[
        "correct",
        "--archive",
        s(&arc),
        id,
        "--candidate",
        "--reason",
        "again",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no machine reading waits"));
}

/// An earlier reading's document that a later reading no longer finds
/// keeps its id and says so; a later reading that finds it again gives it
/// back its id.
#[test]
fn a_document_lost_by_a_reading_keeps_its_id_and_comes_back() {
    let (tmp, issue, arc) = gap_ingested();
    let first = titles(&arc, "yn-2018-09");
    // The last two pages lost (a partial rescan): the last document's
    // title page is page 4, so it stays; its end is gone.
    let short = tmp.path().join("short").join("yn-2018-09");
    std::fs::create_dir_all(&short).unwrap();
    for n in [1, 2, 3] {
        let name = format!("page-{n:03}.tif");
        std::fs::copy(issue.join(&name), short.join(&name)).unwrap();
    }
    ok(&["ingest", "--archive", s(&arc), s(&short)]);
    let now = titles(&arc, "yn-2018-09");
    for (id, t) in &now {
        // No id holds another document's title.
        if let Some(was) = first.get(id) {
            assert_eq!(was, t, "{id}");
        }
    }
    let (server, base) = serve(&arc);
    let mut gone = 0;
    for id in first.keys().filter(|id| !now.contains_key(*id)) {
        let d = get_json(&format!("{base}/api/documents/{id}"));
        assert_eq!(d["title"], first[id].as_str(), "its last text resolves");
        assert!(d["gone"]["kind"].is_string(), "{d}");
        let html = get_text(&format!("{base}/documents/{id}"));
        assert!(html.contains("id=\"gone\""), "{id}");
        gone += 1;
    }
    assert!(gone >= 1, "pages 4–6 held at least one document: {now:?}");
    drop(server);
    // Read whole again: every id back on its own title.
    std::fs::write(issue.join("issue.toml"), "# whole again\n").unwrap();
    ok(&["ingest", "--archive", s(&arc), s(&issue)]);
    assert_eq!(titles(&arc, "yn-2018-09"), first);
    assert!(run(&["verify", "--archive", s(&arc)]).status.success());
}

/// A file of the shared test data beside the checkout.
fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// Validates XML against a schema with xmllint; XLink, imported by ALTO's
/// schema from the web, is found in the local copy through a catalogue.
fn validate(xml: &Path, xsd: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let xlink = shared("schemas/alto/xlink.xsd");
    let catalog = dir.path().join("catalog.xml");
    std::fs::write(
        &catalog,
        format!(
            "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\
<uri name=\"http://www.loc.gov/standards/xlink/xlink.xsd\" uri=\"file://{}\"/>\
<system systemId=\"http://www.loc.gov/standards/xlink/xlink.xsd\" uri=\"file://{}\"/></catalog>",
            xlink.canonicalize().unwrap().display(),
            xlink.canonicalize().unwrap().display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(xml)
        .env("XML_CATALOG_FILES", &catalog)
        .output()
        .expect("xmllint (libxml2-utils) validates the proofreading files");
    assert!(
        out.status.success(),
        "{}: {}",
        xml.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    v
}

/// Replaces the text of the line `id` in a PAGE or ALTO file.
fn change_line(file: &Path, id: &str, new: &str) -> String {
    let xml = std::fs::read_to_string(file).unwrap();
    let at = xml.find(&format!("\"{id}\"")).unwrap();
    let (open, close) = if xml.contains("<PcGts") {
        ("<Unicode>", "</Unicode>")
    } else {
        ("CONTENT=\"", "\"")
    };
    let start = at + xml[at..].find(open).unwrap() + open.len();
    let end = start + xml[start..].find(close).unwrap();
    let old = xml[start..end].to_string();
    std::fs::write(file, format!("{}{new}{}", &xml[..start], &xml[end..])).unwrap();
    old
}

/// Export lines as PAGE and as ALTO, both valid against their schemas;
/// change a line, import: the new version holds exactly that change, its
/// anchors kept; a file whose lines do not match the archive is refused
/// naming the line, and nothing is stored.
#[test]
fn proofreading_round_trips_through_page_xml_and_alto() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    ok(&[
        "ingest",
        "--archive",
        s(&arc),
        s(&data("issues/yn-2016-03.pdf")),
    ]);
    let id = "yn-2016-03-01";
    let v1 = show(&arc, id);
    let page_xsd = data("schemas/pagecontent-2019-07-15.xsd");
    let alto_xsd = shared("schemas/alto/alto-4-4.xsd");

    for (round, (format, xsd)) in [("page", &page_xsd), ("alto", &alto_xsd)]
        .into_iter()
        .enumerate()
    {
        let out = tmp.path().join(format!("proof-{format}"));
        ok(&[
            "proof",
            "export",
            "--archive",
            s(&arc),
            "--document",
            id,
            "--format",
            format,
            "--out",
            s(&out),
        ]);
        let files = xml_files(&out.join(format));
        assert!(!files.is_empty());
        for f in &files {
            validate(f, xsd);
            // The image each file names is beside it.
            let xml = std::fs::read_to_string(f).unwrap();
            let name = xml
                .split(if format == "page" {
                    "imageFilename=\""
                } else {
                    "<fileName>"
                })
                .nth(1)
                .unwrap()
                .split(['"', '<'])
                .next()
                .unwrap();
            assert!(out.join(name).is_file(), "{name}");
        }
        let before = show(&arc, id);
        let version = before["version"].as_u64().unwrap();
        // The second line of the first paragraph kept line by line.
        let para = before["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .position(|p| p["anchors"].as_array().unwrap().len() >= 2)
            .expect("a paragraph of two lines or more");
        let line_id = format!("l_{id}_v{version}_p{}_a2", para + 1);
        let file = files
            .iter()
            .find(|f| std::fs::read_to_string(f).unwrap().contains(&line_id))
            .unwrap();
        let new_line = format!("第{round}次校对改过的一行");
        let old_line = change_line(file, &line_id, &new_line);
        ok(&[
            "proof",
            "import",
            "--archive",
            s(&arc),
            "--reason",
            "校对",
            "--by",
            "李校对",
            s(&out.join(format)),
        ]);
        let after = show(&arc, id);
        assert_eq!(after["version"].as_u64().unwrap(), version + 1);
        assert_eq!(after["status"], "corrected");
        assert_eq!(after["by"], "李校对");
        let (b, a) = (
            before["paragraphs"].as_array().unwrap(),
            after["paragraphs"].as_array().unwrap(),
        );
        assert_eq!(b.len(), a.len());
        for (i, (pb, pa)) in b.iter().zip(a).enumerate() {
            let boxes = |p: &Value| -> Vec<Value> {
                p["anchors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["bbox"].clone())
                    .collect()
            };
            assert_eq!(boxes(pb), boxes(pa), "paragraph {i}: anchors kept");
            if i == para {
                let want = pb["text"]
                    .as_str()
                    .unwrap()
                    .replacen(&old_line, &new_line, 1);
                assert_eq!(pa["text"], want.as_str());
            } else {
                assert_eq!(pb["text"], pa["text"], "paragraph {i} untouched");
            }
        }
        // The same files again: made against a version the document has
        // left, refused by the line, and nothing stored.
        let out2 = run(&[
            "proof",
            "import",
            "--archive",
            s(&arc),
            "--reason",
            "again",
            s(&out.join(format)),
        ]);
        let err = String::from_utf8_lossy(&out2.stderr);
        assert!(
            !out2.status.success() && err.contains("export it again"),
            "{err}"
        );
        assert_eq!(show(&arc, id)["version"], after["version"]);
    }
    // A line id naming no line of the archive: refused by name.
    let out = tmp.path().join("proof-bad");
    ok(&[
        "proof",
        "export",
        "--archive",
        s(&arc),
        "--document",
        id,
        "--out",
        s(&out),
    ]);
    let f = &xml_files(&out.join("page"))[0];
    let xml = std::fs::read_to_string(f).unwrap();
    let v = show(&arc, id)["version"].as_u64().unwrap();
    let bad = format!("l_{id}_v{v}_p99_a1");
    let first = xml.find(&format!("l_{id}_v{v}_p")).unwrap();
    let end = first + xml[first..].find('"').unwrap();
    std::fs::write(f, format!("{}{bad}{}", &xml[..first], &xml[end..])).unwrap();
    let r = run(&[
        "proof",
        "import",
        "--archive",
        s(&arc),
        "--reason",
        "x",
        s(f),
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        !r.status.success() && err.contains(&bad) && err.contains("nothing stored"),
        "{err}"
    );
    assert_eq!(show(&arc, id)["version"].as_u64().unwrap(), v);
    assert_eq!(v1["version"], 1);
    assert!(run(&["verify", "--archive", s(&arc)]).status.success());
}

/// Lines below a confidence, from an OCR'd issue; the web's queue lists
/// the issue's lines least sure first, each with its crop of the page.
#[test]
fn lines_to_check_by_confidence_and_the_web_queue() {
    let (tmp, _issue, arc) = gap_ingested();
    let out = tmp.path().join("proof");
    ok(&[
        "proof",
        "export",
        "--archive",
        s(&arc),
        "--issue",
        "yn-2018-09",
        "--below",
        "0.95",
        "--out",
        s(&out),
    ]);
    let confs = |dir: &Path| -> Vec<f32> {
        let mut v = Vec::new();
        for f in xml_files(&dir.join("page")) {
            validate(&f, &data("schemas/pagecontent-2019-07-15.xsd"));
            let xml = std::fs::read_to_string(&f).unwrap();
            for part in xml.split("conf=\"").skip(1) {
                v.push(part.split('"').next().unwrap().parse::<f32>().unwrap());
            }
        }
        v
    };
    let below = confs(&out);
    // Written to three places: 0.9497 is 0.950.
    assert!(below.iter().all(|c| *c <= 0.95), "{below:?}");
    let all_out = tmp.path().join("all");
    ok(&[
        "proof",
        "export",
        "--archive",
        s(&arc),
        "--issue",
        "yn-2018-09",
        "--out",
        s(&all_out),
    ]);
    let all = confs(&all_out);
    assert!(
        below.len() < all.len() && all.iter().any(|c| *c > 0.95),
        "{all:?}"
    );

    let (_server, base) = serve(&arc);
    let html = get_text(&format!("{base}/issues/yn-2018-09/proof"));
    let shown: Vec<f32> = html
        .split("<td class=\"conf\">")
        .skip(1)
        .map(|p| p.split('<').next().unwrap().parse::<f32>().unwrap_or(-1.0))
        .collect();
    assert!(!shown.is_empty(), "{html}");
    assert!(shown.windows(2).all(|w| w[0] <= w[1]), "{shown:?}");
    let crop = html
        .split("<img src=\"")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .expect("a crop of the page");
    let jpeg = get_bytes(&format!("{base}{}", crop.replace("&amp;", "&")));
    assert_eq!(&jpeg[..2], &[0xff, 0xd8], "a JPEG");
    assert!(
        html.contains("gazette proof export"),
        "the command that corrects it"
    );
}
