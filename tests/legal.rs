//! The legal layer through the binary, on rendered issues: a rule's
//! articles, 款 and 项 at their addresses, and a rule attached to a notice;
//! their status on any day — amended by title, repealed by 文号 and
//! title, a three-year term run out — whichever issue is ingested first;
//! the search's status filter agreeing with each document's validity; the
//! decision's targets found or listed unresolved; and the status
//! recomputed when the repealing text is corrected.

use crate::util::{arg as s, data, gazette_ok as ok, get_json, get_text, serve};
use serde_json::Value;
use std::path::Path;

const RULE: &str = "yn-2017-12-01";
const DECISION: &str = "yn-2021-02-01";
/// A notice carrying a rule as its attachment, in force for 3 years.
const NOTICE: &str = "yn-2019-06-01";
/// A decision amending RULE, naming it by title only.
const AMENDMENT: &str = "yn-2019-06-02";
const ISSUES: [&str; 3] = ["yn-2017-12.pdf", "yn-2019-06.pdf", "yn-2021-02.pdf"];

fn validity(base: &str, id: &str, day: &str) -> Value {
    get_json(&format!("{base}/api/documents/{id}?as_of={day}"))["validity"].clone()
}

/// The ids `/api/search` finds with this status on this day.
fn search_ids(base: &str, status: &str, day: &str) -> Vec<String> {
    let r = get_json(&format!(
        "{base}/api/search?size=100&status={}&as_of={day}",
        percent(status)
    ));
    r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            assert_eq!(h["status"], status);
            h["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn percent(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_string())
        .collect()
}

/// Every check, on an archive holding both issues.
fn check(arc: &Path) {
    let (server, base) = serve(arc);
    let rule = get_json(&format!("{base}/api/documents/{RULE}"));
    assert_eq!(
        labels(&rule["articles"]),
        ["第一条", "第二条", "第三条", "第四条"]
    );
    let second = get_json(&format!("{base}/api/documents/{RULE}/articles/2"));
    assert_eq!(second["paragraphs"].as_array().unwrap().len(), 2, "two 款");
    let third = get_json(&format!("{base}/api/documents/{RULE}/articles/3"));
    assert_eq!(
        third["items"],
        serde_json::json!(["（一）", "（二）", "（三）"])
    );
    assert_eq!(
        third["citations"]["court"],
        "《云南省政务信息公开管理办法》（云政发〔2017〕88号）第三条"
    );
    for (day, want) in [
        ("2017-12-31", "尚未生效"),
        ("2018-06-01", "有效"),
        ("2019-07-31", "有效"),
        ("2019-08-01", "已修改"),
        ("2021-02-28", "已修改"),
        ("2021-03-01", "已废止"),
    ] {
        assert_eq!(validity(&base, RULE, day)["status"], want, "{day}");
    }
    let v = validity(&base, RULE, "2019-08-01");
    assert_eq!(v["amended_by"][0]["id"], AMENDMENT);
    assert_eq!(v["amended_by"][0]["from"], "2019-08-01");
    let m = validity(&base, AMENDMENT, "2019-08-01");
    assert_eq!(m["acts_on"][0]["action"], "amends");
    assert_eq!(m["acts_on"][0]["ids"], serde_json::json!([RULE]));
    // The attached rule's articles are the notice's; its term ends after
    // three years.
    let notice = get_json(&format!("{base}/api/documents/{NOTICE}"));
    assert_eq!(
        labels(&notice["articles"]),
        ["第一条", "第二条", "第三条", "第四条"]
    );
    for (day, want) in [
        ("2019-06-30", "尚未生效"),
        ("2019-07-01", "有效"),
        ("2022-06-30", "有效"),
        ("2022-07-01", "失效"),
    ] {
        assert_eq!(validity(&base, NOTICE, day)["status"], want, "{day}");
    }
    assert_eq!(
        validity(&base, NOTICE, "2022-07-01")["expires"],
        "2022-06-30"
    );
    let v = validity(&base, RULE, "2021-03-01");
    assert_eq!(v["repealed_by"][0]["id"], DECISION);
    assert!(v["repealed_by"][0]["evidence"]["printed_page"].is_u64());
    // The search's status filter and every hit's status agree with each
    // document's own validity, on every day asked.
    for day in [
        "2017-12-31",
        "2019-06-30",
        "2019-08-01",
        "2021-03-01",
        "2022-07-01",
    ] {
        let mut seen = 0;
        for status in ["有效", "已修改", "已废止", "失效", "尚未生效", "未知"] {
            for h in search_ids(&base, status, day) {
                assert_eq!(validity(&base, &h, day)["status"], status, "{h} {day}");
                seen += 1;
            }
        }
        let all = get_json(&format!("{base}/api/search?size=100"));
        assert_eq!(
            seen,
            all["total"].as_u64().unwrap(),
            "{day}: every document once"
        );
    }
    assert_eq!(search_ids(&base, "已废止", "2021-03-01"), [RULE]);
    assert!(search_ids(&base, "已废止", "2021-02-28").is_empty());
    assert_eq!(search_ids(&base, "已修改", "2021-02-28"), [RULE]);
    assert_eq!(search_ids(&base, "失效", "2022-07-01"), [NOTICE]);
    assert!(search_ids(&base, "尚未生效", "2017-12-31").contains(&RULE.to_string()));
    // The web search filters alike and shows each hit's status.
    let page = get_text(&format!(
        "{base}/search?status={}&as_of=2021-03-01",
        percent("已废止")
    ));
    assert!(page.contains("云南省政务信息公开管理办法"), "{page}");
    assert!(page.contains(r#"<span class="status">已废止</span>"#));
    assert!(page.contains(r#"value="2021-03-01""#));
    let d = validity(&base, DECISION, "2021-03-01");
    assert_eq!(d["acts_on"][0]["ids"], serde_json::json!([RULE]));
    assert_eq!(d["unresolved"][0]["doc_number"], "云政发〔2009〕41号");
    drop(server);
}

#[test]
fn a_repealed_rule_whichever_issue_came_first() {
    let [a, b, c] = ISSUES;
    for order in [[a, b, c], [c, b, a], [b, c, a]] {
        let tmp = tempfile::tempdir().unwrap();
        let arc = tmp.path().join("a");
        for f in order {
            ok(&[
                "ingest",
                "--archive",
                s(&arc),
                s(&data(&format!("legal/{f}"))),
            ]);
        }
        check(&arc);
    }
}

#[test]
fn a_correction_of_the_repealing_text_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let arc = tmp.path().join("a");
    for f in ISSUES {
        ok(&[
            "ingest",
            "--archive",
            s(&arc),
            s(&data(&format!("legal/{f}"))),
        ]);
    }
    // The decision corrected to repeal nothing: the rule is in force, as
    // amended.
    let fixed = tmp.path().join("fixed.txt");
    std::fs::write(&fixed, "各州、市人民政府：\n本决定自2021年3月1日起施行。").unwrap();
    ok(&[
        "correct",
        "--archive",
        s(&arc),
        DECISION,
        "--text-file",
        s(&fixed),
        "--reason",
        "校对",
    ]);
    let (_server, base) = serve(&arc);
    let v = validity(&base, RULE, "2021-03-01");
    assert_eq!(v["status"], "已修改", "{v}");
    assert!(v["repealed_by"].as_array().unwrap().is_empty());
    assert!(search_ids(&base, "已废止", "2021-03-01").is_empty());
    assert_eq!(search_ids(&base, "已修改", "2021-03-01"), [RULE]);
}
