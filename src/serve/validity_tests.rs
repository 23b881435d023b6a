//! Validity through `app().oneshot(...)`: a rule in force from its 施行
//! date, repealed by a later decision from the decision's; a notice with a
//! term of years; a text that says nothing (未知); an amendment of a text
//! not in the archive (unresolved); the same answers whichever issue is
//! stored first; a bad `as_of` a 400.

use super::tests::{doc, fields, get, json};
use super::*;
use archive::{GazetteCode, IssueId, NewDocument, NewIssue, SourceFile};

const RULE: &str = "第一条　为了推进政务公开，制定本办法。\n第二条　本办法自2018年1月1日起施行。";
const DECISION: &str = "省人民政府决定：\n本决定自2021年3月1日起施行，《云南省政务公开办法》（云政发〔2017〕88号）同时废止。\n对《云南省档案管理办法》作如下修改：\n将第三条修改为：“……”";
const NOTICE: &str = "现将有关事项通知如下。\n本通知自印发之日起施行，有效期2年。";
const SILENT: &str = "现将有关事项通知如下。\n请认真贯彻执行。";

fn document(
    title: &str,
    number: &str,
    text: &str,
    date: &str,
    year: u16,
    issue: u16,
) -> NewDocument {
    let mut d = doc(fields(title, number, "云南省人民政府", text, (1, 1)));
    d.fields.date_iso = date.into();
    d.fields.year = year;
    d.fields.issue = issue;
    d
}

fn issue(year: u16, number: u16, documents: Vec<NewDocument>) -> NewIssue {
    NewIssue {
        id: IssueId {
            gazette: GazetteCode::new("yn").unwrap(),
            year,
            issue: number,
        },
        gazette: "云南省人民政府公报".into(),
        sources: vec![SourceFile {
            path: format!("/scans/{year}-{number}.pdf"),
            sha256: archive::sha256_hex(format!("{year}-{number}").as_bytes()),
            bytes: 1,
        }],
        pages: Vec::new(),
        documents,
    }
}

/// An archive of the rule and the notice (2017/12) and the decision
/// (2021/2), stored in the order given.
fn archive_of(decision_first: bool) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("a"), true).unwrap();
    let early = issue(
        2017,
        12,
        vec![
            document(
                "云南省政务公开办法",
                "云政发〔2017〕88号",
                RULE,
                "2017-12-10",
                2017,
                12,
            ),
            document(
                "关于做好春耕工作的通知",
                "云政办发〔2018〕3号",
                NOTICE,
                "2018-03-01",
                2017,
                12,
            ),
            document(
                "关于认真学习的通知",
                "云政办发〔2018〕4号",
                SILENT,
                "2018-03-02",
                2017,
                12,
            ),
        ],
    );
    let late = issue(
        2021,
        2,
        vec![document(
            "云南省人民政府关于废止和修改部分规章的决定",
            "云政发〔2021〕9号",
            DECISION,
            "2021-02-01",
            2021,
            2,
        )],
    );
    let order = if decision_first {
        [&late, &early]
    } else {
        [&early, &late]
    };
    for i in order {
        a.store_issue(i).unwrap();
    }
    (dir, AppState::new(a))
}

async fn validity(s: &AppState, id: &str, as_of: &str) -> serde_json::Value {
    json(s, &format!("/api/documents/{id}?as_of={as_of}")).await["validity"].clone()
}

#[tokio::test]
async fn status_on_any_day_with_its_evidence_whichever_issue_came_first() {
    for decision_first in [false, true] {
        let (_d, s) = archive_of(decision_first);
        let rule = "yn-2017-12-01";
        let decision = "yn-2021-02-01";
        for (day, want) in [
            ("2017-12-31", "尚未生效"),
            ("2018-01-01", "有效"),
            ("2021-02-28", "有效"),
            ("2021-03-01", "已废止"),
        ] {
            let v = validity(&s, rule, day).await;
            assert_eq!(
                v["status"], want,
                "{day}, decision first: {decision_first}: {v}"
            );
        }
        let v = validity(&s, rule, "2021-03-01").await;
        assert_eq!(v["effective_from"], "2018-01-01");
        assert_eq!(
            v["evidence"][0]["source"]["sentence"],
            "第二条　本办法自2018年1月1日起施行。"
        );
        let by = &v["repealed_by"][0];
        assert_eq!(by["id"], decision);
        assert_eq!(by["from"], "2021-03-01");
        assert_eq!(
            by["name"],
            "《云南省人民政府关于废止和修改部分规章的决定》（云政发〔2021〕9号）"
        );
        assert!(by["evidence"]["sentence"]
            .as_str()
            .unwrap()
            .contains("同时废止"));
        assert_eq!(by["issue"], "《云南省人民政府公报》2021年第2期");
        // The later decision names what it acts on: the rule, found; the
        // archives rule it amends, not in the archive, listed unresolved.
        let d = validity(&s, decision, "2021-03-01").await;
        assert_eq!(d["acts_on"][0]["ids"], serde_json::json!([rule]));
        assert_eq!(d["unresolved"][0]["title"], "云南省档案管理办法");
        assert_eq!(d["unresolved"][0]["action"], "amends");
        assert_eq!(d["status"], "有效");
    }
}

#[tokio::test]
async fn terms_of_years_and_texts_that_say_nothing() {
    let (_d, s) = archive_of(false);
    let n = validity(&s, "yn-2017-12-02", "2019-06-01").await;
    assert_eq!(
        (n["status"].as_str(), n["expires"].as_str()),
        (Some("有效"), Some("2020-02-29"))
    );
    assert_eq!(
        validity(&s, "yn-2017-12-02", "2020-03-01").await["status"],
        "失效"
    );
    // No sentence on its effect: 未知, never 有效.
    let silent = validity(&s, "yn-2017-12-03", "2019-01-01").await;
    assert_eq!(silent["status"], "未知");
    assert!(silent["effective_from"].is_null());
    // Without as_of: today.
    let today = json(&s, "/api/documents/yn-2017-12-01").await;
    assert_eq!(
        today["validity"]["as_of"],
        archive::legal::today().to_string()
    );
    assert_eq!(today["validity"]["status"], "已废止");
    // The page says it: repealed, by which document, seen where.
    let (_, _, body) = get(&s, "/documents/yn-2017-12-01").await;
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("时效性：已废止"), "{html}");
    assert!(html.contains(
        "本件已被《云南省人民政府关于废止和修改部分规章的决定》（云政发〔2021〕9号）废止（自2021-03-01起），见《云南省人民政府公报》2021年第2期第1页"
    ));
    let (_, _, body) = get(&s, "/documents/yn-2017-12-03").await;
    assert!(String::from_utf8(body).unwrap().contains("时效性：未知"));
    for bad in ["2021-02-30", "yesterday", "2021-3-1", ""] {
        let (st, _, _) = get(&s, &format!("/api/documents/yn-2017-12-01?as_of={bad}")).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}");
    }
}
