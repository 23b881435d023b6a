//! The legal layer through the binary, on rendered issues: a rule's
//! articles, 款 and 项 at their addresses; its status on any day, repealed
//! by a later decision whichever issue is ingested first; the decision's
//! targets found or listed unresolved; and the status recomputed when the
//! repealing text is corrected.

use crate::util::{arg as s, data, gazette_ok as ok, get_json, serve};
use serde_json::Value;
use std::path::Path;

const RULE: &str = "yn-2017-12-01";
const DECISION: &str = "yn-2021-02-01";

fn validity(base: &str, id: &str, day: &str) -> Value {
    get_json(&format!("{base}/api/documents/{id}?as_of={day}"))["validity"].clone()
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
        ("2021-02-28", "有效"),
        ("2021-03-01", "已废止"),
    ] {
        assert_eq!(validity(&base, RULE, day)["status"], want, "{day}");
    }
    let v = validity(&base, RULE, "2021-03-01");
    assert_eq!(v["repealed_by"][0]["id"], DECISION);
    assert!(v["repealed_by"][0]["evidence"]["printed_page"].is_u64());
    let d = validity(&base, DECISION, "2021-03-01");
    assert_eq!(d["acts_on"][0]["ids"], serde_json::json!([RULE]));
    assert_eq!(d["unresolved"][0]["doc_number"], "云政发〔2009〕41号");
    drop(server);
}

#[test]
fn a_repealed_rule_whichever_issue_came_first() {
    for order in [
        ["yn-2017-12.pdf", "yn-2021-02.pdf"],
        ["yn-2021-02.pdf", "yn-2017-12.pdf"],
    ] {
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
    for f in ["yn-2017-12.pdf", "yn-2021-02.pdf"] {
        ok(&[
            "ingest",
            "--archive",
            s(&arc),
            s(&data(&format!("legal/{f}"))),
        ]);
    }
    // The decision corrected to repeal nothing: the rule is in force.
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
    assert_eq!(v["status"], "有效", "{v}");
    assert!(v["repealed_by"].as_array().unwrap().is_empty());
}
