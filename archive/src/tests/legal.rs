//! The legal layer and open data: statuses on a day, the change feed,
//! bags.

use super::*;

/// An issue written as a bag reads back whole; stored from the bag it
/// gives what storing it directly gives; a bag changed after packing, or
/// with a file more or less, is refused by name.
#[test]
fn bags_round_trip_and_refuse_any_change() {
    let d = tempfile::tempdir().unwrap();
    let issue = new_issue(2017, 5, &[A, B], "");
    let bag = d.path().join("bags/yn-2017-05");
    let alto = vec![("alto/p001.xml".to_string(), b"<alto/>".to_vec())];
    bag::write_bag(&bag, &issue, &alto, &[("Engine".into(), "test".into())]).unwrap();
    let back = bag::read_bag(&bag).unwrap();
    assert_eq!(back.id, issue.id);
    assert_eq!(back.sources, issue.sources);
    assert_eq!(back.pages.len(), issue.pages.len());
    for (a, b) in back.pages.iter().zip(&issue.pages) {
        assert_eq!(
            a.image.as_ref().unwrap().bytes,
            b.image.as_ref().unwrap().bytes
        );
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.provenance, b.provenance);
    }
    let direct = Archive::open(&d.path().join("direct"), true).unwrap();
    let packed = Archive::open(&d.path().join("packed"), true).unwrap();
    direct.store_issue(&issue).unwrap();
    packed.store_issue(&back).unwrap();
    let docs = |a: &Archive| -> Vec<(String, String, String)> {
        a.current_versions()
            .unwrap()
            .into_iter()
            .map(|v| (v.id.to_string(), v.fields.title, v.fields.sha256))
            .collect()
    };
    assert_eq!(docs(&direct), docs(&packed));
    assert_eq!(direct.digest().unwrap(), packed.digest().unwrap());

    let copy = |name: &str| {
        let to = d.path().join(name);
        std::process::Command::new("cp")
            .arg("-r")
            .arg(&bag)
            .arg(&to)
            .status()
            .unwrap();
        to
    };
    let flipped = copy("flipped");
    let doc = flipped.join("data/issue.json");
    let mut bytes = std::fs::read(&doc).unwrap();
    let at = bytes.iter().position(|&b| b == b'"').unwrap();
    bytes[at + 1] ^= 1;
    std::fs::write(&doc, bytes).unwrap();
    let e = bag::read_bag(&flipped).unwrap_err().to_string();
    assert!(
        e.contains("flipped") && e.contains("data/issue.json"),
        "{e}"
    );
    let more = copy("more");
    std::fs::write(more.join("data/note.txt"), "x").unwrap();
    assert!(bag::read_bag(&more)
        .unwrap_err()
        .to_string()
        .contains("data/note.txt"));
    let less = copy("less");
    std::fs::remove_file(less.join("data/alto/p001.xml")).unwrap();
    assert!(bag::read_bag(&less)
        .unwrap_err()
        .to_string()
        .contains("missing"));
    let tag = copy("tag");
    std::fs::write(tag.join("bag-info.txt"), "Payload-Oxum: 1.1\n").unwrap();
    assert!(bag::read_bag(&tag)
        .unwrap_err()
        .to_string()
        .contains("tagmanifest"));
}

/// A rule in force from 2017-04-01 and a decision of 2019 repealing it by
/// 文号 from 2019-06-01, and one amending a notice by title.
const RULE: (&str, &str, &str, &str) = (
    "云南省林木种子管理办法",
    "云政发〔2017〕9号",
    "云南省人民政府",
    "第一条 为了加强林木种子管理，制定本办法。\n第二条 本办法自2017年4月1日起施行。",
);
const REPEAL: (&str, &str, &str, &str) = (
    "云南省人民政府关于废止部分规章的决定",
    "云政发〔2019〕3号",
    "云南省人民政府",
    "省人民政府决定废止《云南省林木种子管理办法》（云政发〔2017〕9号）。\n本决定自2019年6月1日起施行。",
);

fn statuses(a: &Archive, day: &str) -> Vec<(String, String)> {
    let as_of = gazette_model::legal::Date::parse_iso(day);
    let mut out = Vec::new();
    for status in crate::legal::Status::ALL {
        let mut q = Query::new("");
        q.limit = 100;
        q.status = Some(status);
        q.as_of = as_of;
        for h in a.search(&q).unwrap().hits {
            // The filter and the hit's own standing agree.
            assert_eq!(h.standing.status(as_of.unwrap()), status, "{}", h.id);
            out.push((h.title, status.as_str().to_string()));
        }
    }
    out.sort();
    out
}

#[test]
fn search_filters_by_status_on_a_day_whatever_order_issues_come_in() {
    let rule_then_repeal = [
        new_issue(2017, 3, &[RULE, A], ""),
        new_issue(2019, 5, &[REPEAL], ""),
    ];
    let repeal_first = [rule_then_repeal[1].clone(), rule_then_repeal[0].clone()];
    for order in [rule_then_repeal.as_slice(), repeal_first.as_slice()] {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(dir.path(), true).unwrap();
        for i in order {
            a.store_issue(i).unwrap();
        }
        let s = |t: &str, st: &str| (t.to_string(), st.to_string());
        assert_eq!(
            statuses(&a, "2017-03-15"),
            vec![
                s(REPEAL.0, "尚未生效"),
                s(A.0, "未知"),
                s(RULE.0, "尚未生效")
            ]
        );
        assert_eq!(
            statuses(&a, "2019-05-31"),
            vec![s(REPEAL.0, "尚未生效"), s(A.0, "未知"), s(RULE.0, "有效")]
        );
        assert_eq!(
            statuses(&a, "2019-06-01"),
            vec![s(REPEAL.0, "有效"), s(A.0, "未知"), s(RULE.0, "已废止")]
        );
        // A rebuilt index holds the same.
        a.reindex().unwrap();
        assert_eq!(statuses(&a, "2019-06-01")[2], s(RULE.0, "已废止"));
        // The repealing text corrected to name another rule (title and
        // 文号): this one is in force again, from the same write.
        let repeal = doc_in(&a, REPEAL.0);
        let other = REPEAL
            .3
            .replace("〔2017〕9号", "〔2017〕8号")
            .replace("林木种子", "草种");
        a.correct(&repeal, Some(&other), "文号", false).unwrap();
        assert_eq!(statuses(&a, "2020-01-01")[2], s(RULE.0, "有效"));
    }
}

fn doc_in(a: &Archive, title: &str) -> DocId {
    let hit = a
        .search(&Query::new(&format!("\"{title}\"")))
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.title == title)
        .unwrap();
    hit.id.parse().unwrap()
}

/// The current documents a harvester holds after following these entries:
/// id → (version, sha256).
fn follow(entries: &[feed::Change]) -> std::collections::BTreeMap<String, (u32, String)> {
    let mut held = std::collections::BTreeMap::new();
    for e in entries {
        match e.kind {
            feed::Kind::Gone => {
                held.remove(&e.id);
            }
            k if k.is_current() => {
                held.insert(e.id.clone(), (e.version, e.sha256.clone()));
            }
            _ => {}
        }
    }
    held
}

#[test]
fn following_the_feed_from_the_start_gives_the_current_documents() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    a.store_issue(&new_issue(2018, 3, &[RULE], "")).unwrap();
    let b: DocId = "yn-2017-05-02".parse().unwrap();
    a.correct(&b, Some(&B.3.replace("精神", "精神。")), "标点", false)
        .unwrap();
    // Cut again into another document: both stored ones leave, then come
    // back, the corrected one carrying its person's text.
    a.store_issue(&new_issue(2017, 5, &[C], "-rescanned"))
        .unwrap();
    a.store_issue(&new_issue(2017, 5, &[A, B], "-third"))
        .unwrap();
    // In pages of two, as a harvester would.
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = a.changes(after, 2).unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        all.extend(page);
    }
    let seqs: Vec<u64> = all.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=all.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        all.iter().filter(|c| c.kind == feed::Kind::Issue).count(),
        4
    );
    assert!(all.iter().any(|c| c.kind == feed::Kind::Gone));
    assert!(all.iter().any(|c| c.kind == feed::Kind::Corrected));
    let want: std::collections::BTreeMap<String, (u32, String)> = a
        .current_versions()
        .unwrap()
        .into_iter()
        .map(|v| (v.id.to_string(), (v.version, v.fields.sha256)))
        .collect();
    assert_eq!(follow(&all), want);
    // The feed rebuilt from the history alone (an archive written before
    // the feed was kept) gives the same documents.
    let issues = a.issues().unwrap();
    let docs: Vec<Document> = [
        "yn-2017-05-01",
        "yn-2017-05-02",
        "yn-2017-05-03",
        "yn-2018-03-01",
    ]
    .iter()
    .map(|id| a.document(&id.parse().unwrap()).unwrap().unwrap())
    .collect();
    assert_eq!(follow(&feed::from_history(&issues, &docs)), want);
}
