//! Unit tests of the archive through its API, on small synthetic issues,
//! one module a concern; the helpers and sample documents they share.

use super::*;

mod legal;
mod search;
mod versions;

fn fields(year: u16, issue: u16, title: &str, number: &str, issuer: &str, text: &str) -> Fields {
    Fields {
        gazette: "云南省人民政府公报".into(),
        year,
        issue,
        title: title.into(),
        doc_number: number.into(),
        doc_number_normalised: number.into(),
        issuer: issuer.into(),
        date: format!("{year}年3月1日"),
        date_iso: format!("{year}-03-01"),
        attribute: "此件公开发布".into(),
        doc_type: if title.ends_with("通知") {
            "通知".into()
        } else {
            "决定".into()
        },
        start_page: 1,
        end_page: 2,
        sha256: sha256_hex(text.as_bytes()),
        text: text.into(),
        citation: format!("《云南省人民政府公报》{year}年第{issue}期第1—2页"),
        issuers: if issuer.contains('\u{3000}') {
            issuer.split('\u{3000}').map(str::to_string).collect()
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

fn new_issue(year: u16, issue: u16, docs: &[(&str, &str, &str, &str)], salt: &str) -> NewIssue {
    let id = IssueId {
        gazette: GazetteCode::new("yn").unwrap(),
        year,
        issue,
    };
    let png = format!("image of {year}-{issue}{salt}").into_bytes();
    NewIssue {
        id,
        gazette: "云南省人民政府公报".into(),
        sources: vec![SourceFile {
            path: format!("/scans/{year}-{issue}.pdf"),
            sha256: sha256_hex(format!("source {year} {issue}{salt}").as_bytes()),
            bytes: 100,
        }],
        pages: (1..=2)
            .map(|n| NewPage {
                printed: n,
                width: 100,
                height: 140,
                dpi: Some(300.0),
                origin: TextOrigin::Ocr,
                verdict: Verdict::Ok,
                image: Some(NewImage {
                    format: "png".into(),
                    width: 10,
                    height: 14,
                    region: None,
                    bytes: png.clone(),
                }),
                lines: vec![Line {
                    text: "一行".into(),
                    bbox: BBox([1, 2, 30, 12]),
                    confidence: Confidence::new(0.91),
                    ..Default::default()
                }],
                layout: None,
                error: None,
                provenance: Provenance {
                    source: "/scans/x.pdf".into(),
                    source_sha256: "00".into(),
                    index_in_source: n,
                    engine: "tesseract 5.3.0".into(),
                    traineddata: "chi_sim".into(),
                    preprocess: "default".into(),
                    replaced_text_layer: None,
                    time: now(),
                },
            })
            .collect(),
        documents: docs
            .iter()
            .map(|(t, n, i, x)| NewDocument {
                fields: fields(year, issue, t, n, i, x),
                paragraphs: x
                    .split('\n')
                    .map(|p| Paragraph {
                        text: p.into(),
                        anchors: vec![Anchor {
                            page: 1,
                            printed_page: 1,
                            bbox: BBox([1, 2, 3, 4]),
                            chars: Some([0, p.chars().count() as u32]),
                        }],
                    })
                    .collect(),
            })
            .collect(),
    }
}

const A: (&str, &str, &str, &str) = (
    "云南省人民政府办公厅关于做好政务公开工作的通知",
    "云政办发〔2017〕22号",
    "云南省人民政府办公厅",
    "各州、市人民政府：\n为做好政务公开工作，现将有关事项通知如下。\n一、加强政务公开。",
);
const B: (&str, &str, &str, &str) = (
    "国务院关于2018年度国家科学技术奖励的决定",
    "国发〔2018〕44号",
    "国务院",
    "为全面贯彻党的十九大精神，\n国务院决定授予科学技术奖。",
);
const C: (&str, &str, &str, &str) = (
    "国务院办公厅关于2019年部分节假日安排的通知",
    "国办发明电〔2018〕15号",
    "国务院办公厅",
    "经国务院批准，现将2019年元旦、春节放假调休日期通知如下。\n提及云政办发〔2017〕22号。",
);

fn archive() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("a"), true).unwrap();
    (dir, a)
}

fn ids(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}
