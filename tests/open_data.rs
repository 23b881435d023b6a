//! The archive as open data, through the binary: the coverage report of an
//! archive with gaps in its sequence and a damaged page.

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
