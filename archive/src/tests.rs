//! Unit tests of the archive through its API, on small synthetic issues:
//! storing, idempotence, versions, corrections and their journal, fixity
//! and search.

use super::*;

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

#[test]
fn store_is_idempotent_and_versions_changed_sources() {
    let (_d, a) = archive();
    let first = new_issue(2017, 5, &[A, B], "");
    assert!(matches!(
        a.store_issue(&first).unwrap(),
        Stored::New { documents: 2, .. }
    ));
    assert!(matches!(
        a.store_issue(&first).unwrap(),
        Stored::Unchanged { .. }
    ));
    assert_eq!(a.current_versions().unwrap().len(), 2);
    // The same issue from a changed source, now cut into one other
    // document: it is no document stored, so it gets a new id, and the two
    // stored ones say they were withdrawn. No id moves to another text.
    let changed = new_issue(2017, 5, &[C], "-rescanned");
    let stored = a.store_issue(&changed).unwrap();
    let Stored::Revised {
        version,
        documents,
        changes,
        ..
    } = stored
    else {
        panic!("{stored:?}")
    };
    assert_eq!((version, documents), (2, 1));
    let issue = a.issue(&first.id).unwrap().unwrap();
    assert_eq!(issue.versions.len(), 2);
    let doc = |n: u16| -> DocId { format!("yn-2017-05-{n:02}").parse().unwrap() };
    assert_eq!(issue.current().documents, [doc(3)]);
    assert_eq!(a.current(&doc(3)).unwrap().unwrap().fields.title, C.0);
    for n in [1, 2] {
        let head = a.document(&doc(n)).unwrap().unwrap();
        assert_eq!(head.versions.len(), 1, "{n}");
        let gone = head.gone.expect("what became of it");
        assert_eq!((gone.kind, gone.issue_version), (GoneKind::Withdrawn, 2));
        assert!(changes.contains(&DocChange::Gone {
            id: doc(n),
            gone: gone.clone(),
            person: false,
        }));
    }
    assert_eq!(a.current(&doc(1)).unwrap().unwrap().fields.title, A.0);
    // The old version's pages are kept beside the new ones.
    let p1: PageId = "yn-2017-05-p01".parse().unwrap();
    assert_eq!(a.page(&p1, Some(1)).unwrap().unwrap().issue_version, 1);
    assert_eq!(a.page(&p1, None).unwrap().unwrap().issue_version, 2);
    // Documents 1 and 2 are no longer current: out of the index and the
    // export.
    assert_eq!(a.current_versions().unwrap().len(), 1);
    assert!(a.search(&Query::new("科学技术奖")).unwrap().hits.is_empty());
    assert!(a.verify(false).unwrap().is_empty());
    // Read again as at first: the withdrawn documents come back under
    // their own ids, and the third is withdrawn in turn.
    let again = new_issue(2017, 5, &[A, B], "-third");
    a.store_issue(&again).unwrap();
    let issue = a.issue(&first.id).unwrap().unwrap();
    assert_eq!(issue.current().documents, [doc(1), doc(2)]);
    assert!(a.document(&doc(1)).unwrap().unwrap().gone.is_none());
    assert!(a.document(&doc(3)).unwrap().unwrap().gone.is_some());
    assert!(a.verify(false).unwrap().is_empty());
}

/// A re-segmentation that finds a document more, before the others, moves
/// no id: each keeps its text (and its person's correction).
#[test]
fn a_document_more_moves_no_id() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    let doc = |n: u16| -> DocId { format!("yn-2017-05-{n:02}").parse().unwrap() };
    a.correct(&doc(2), Some(&B.3.replace("精神", "精神。")), "标点", false)
        .unwrap();
    a.store_issue(&new_issue(2017, 5, &[C, A, B], "-resegmented"))
        .unwrap();
    let issue = a.issue(&"yn-2017-05".parse().unwrap()).unwrap().unwrap();
    assert_eq!(issue.current().documents, [doc(3), doc(1), doc(2)]);
    for (n, t) in [(1, A.0), (2, B.0), (3, C.0)] {
        assert_eq!(a.current(&doc(n)).unwrap().unwrap().fields.title, t);
    }
    // The corrected one: the new reading is the text it was corrected
    // from, so the correction carries over onto the new reading.
    let cur = a.current(&doc(2)).unwrap().unwrap();
    assert_eq!(cur.status, Status::Corrected);
    assert!(cur.fields.text.contains("精神。"), "{}", cur.fields.text);
    assert_eq!(cur.issue_version, 2);
    assert!(a.pending().unwrap().is_empty());
    assert!(a.verify(false).unwrap().is_empty());
}

/// A new machine reading that differs from the text a person corrected is
/// never made current: it waits as a candidate, the document is listed as
/// pending, and a person's decision (the candidate, or their own text)
/// ends the wait.
#[test]
fn a_persons_text_is_never_buried_by_a_new_reading() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    let id: DocId = "yn-2017-05-01".parse().unwrap();
    let person = A.3.replace("如下", "如下：");
    a.correct(&id, Some(&person), "标点", false).unwrap();
    // Read again with other settings: one character read otherwise.
    let reread = (
        A.0,
        A.1,
        A.2,
        "各州、市人民政府：\n为做好政务公开工作，现将有关事项通知如卜。\n一、加强政务公开。",
    );
    let stored = a
        .store_issue(&new_issue(2017, 5, &[reread, B], "-psm"))
        .unwrap();
    let Stored::Revised { changes, .. } = stored else {
        panic!("{stored:?}")
    };
    assert_eq!(
        changes,
        [DocChange::Review {
            id: id.clone(),
            current: 2,
            candidate: 3
        }]
    );
    let cur = a.current(&id).unwrap().unwrap();
    assert_eq!((cur.version, cur.status), (2, Status::Corrected));
    assert_eq!(cur.fields.text, person);
    assert_eq!(a.pending().unwrap().len(), 1);
    // The index holds the person's text, not the candidate's.
    assert_eq!(a.search(&Query::new("如卜")).unwrap().total, 0);
    assert_eq!(a.search(&Query::new("如下：")).unwrap().total, 1);
    assert!(a.verify(false).unwrap().is_empty());
    // Taking a candidate that is not there is refused by name.
    let other: DocId = "yn-2017-05-02".parse().unwrap();
    let take = Edit {
        take_candidate: true,
        reason: "the new reading is right",
        by: "李校对",
        ..Edit::default()
    };
    assert!(matches!(
        a.decide(&other, &take),
        Err(Error::NoCandidate(_))
    ));
    // An edit made against a version the document has left is refused.
    let stale = Edit {
        text: Some("x"),
        reason: "old export",
        base: Some(1),
        ..Edit::default()
    };
    assert!(matches!(a.decide(&id, &stale), Err(Error::Moved { .. })));
    // The person keeps their own text, verified: it builds on the new
    // reading's fields and pages, and nothing is pending.
    let kept = a
        .decide(
            &id,
            &Edit {
                verified: true,
                reason: "checked against the page",
                by: "李校对",
                ..Edit::default()
            },
        )
        .unwrap();
    assert_eq!((kept.version, kept.status), (4, Status::Verified));
    assert_eq!(
        (kept.fields.text.as_str(), kept.issue_version),
        (person.as_str(), 2)
    );
    assert_eq!(kept.by, "李校对");
    assert!(a.pending().unwrap().is_empty());
    assert!(a.verify(false).unwrap().is_empty());
}

#[test]
fn corrections_make_versions_and_are_journalled() {
    let (d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    let id: DocId = "yn-2017-05-01".parse().unwrap();
    assert_eq!(a.correct(&id, Some("x"), "  ", false), Err(Error::NoReason));
    let fixed = A.3.replace("如下", "如下：");
    let v2 = a
        .correct(&id, Some(&format!("{fixed}\r\n")), "标点", false)
        .unwrap();
    assert_eq!((v2.version, v2.status), (2, Status::Corrected));
    assert_eq!(v2.fields.text, fixed);
    assert_eq!(v2.fields.sha256, sha256_hex(fixed.as_bytes()));
    // Same paragraph count: the anchors carry over.
    assert_eq!(v2.paragraphs[1].anchors.len(), 1);
    let v3 = a
        .correct(&id, None, "checked against the page", true)
        .unwrap();
    assert_eq!((v3.version, v3.status), (3, Status::Verified));
    let head = a.document(&id).unwrap().unwrap();
    let statuses: Vec<Status> = head.versions.iter().map(|v| v.status).collect();
    assert_eq!(
        statuses,
        [Status::Machine, Status::Corrected, Status::Verified]
    );
    assert_eq!(a.version(&id, 1).unwrap().unwrap().fields.text, A.3);
    assert_eq!(a.search(&Query::new("如下：")).unwrap().hits.len(), 1);
    assert!(a.verify(false).unwrap().is_empty());

    // A store rebuilt from the scans alone gets the corrections back from
    // the journal, once.
    let journal = std::fs::read(a.journal_path()).unwrap();
    drop(a);
    let b = Archive::open(&d.path().join("b"), true).unwrap();
    b.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    std::fs::write(b.journal_path(), &journal).unwrap();
    let r = b.replay_journal().unwrap();
    assert_eq!(
        (r.applied, r.present, r.unknown, r.refused.len()),
        (2, 0, 0, 0)
    );
    let r = b.replay_journal().unwrap();
    assert_eq!(
        (r.applied, r.present, r.unknown, r.refused.len()),
        (0, 2, 0, 0)
    );
    let cur = b.current(&id).unwrap().unwrap();
    assert_eq!((cur.version, cur.status), (3, Status::Verified));
    assert_eq!(cur.fields.text, fixed);
    assert!(b.verify(false).unwrap().is_empty());

    // Rebuilt from scans cut otherwise, the id holds another text: the
    // corrections made against A's text are refused by name, not laid
    // over B's.
    let c = Archive::open(&d.path().join("c"), true).unwrap();
    c.store_issue(&new_issue(2017, 5, &[B, A], "")).unwrap();
    std::fs::write(c.journal_path(), &journal).unwrap();
    let r = c.replay_journal().unwrap();
    assert_eq!((r.applied, r.refused.len()), (0, 2), "{r:?}");
    assert!(r.refused.iter().all(|p| p.id == "yn-2017-05-01"));
    assert!(r.refused[0]
        .what
        .contains("not this document's current text"));
    assert_eq!(c.current(&id).unwrap().unwrap().fields.title, B.0);
}

#[test]
fn torn_journal_line_is_skipped_and_not_glued_to_the_next() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A], "")).unwrap();
    std::fs::write(a.journal_path(), b"{\"id\":\"yn-2017-05-01\",\"base_ver").unwrap();
    let id: DocId = "yn-2017-05-01".parse().unwrap();
    a.correct(&id, Some("新文本"), "校对", false).unwrap();
    let r = a.replay_journal().unwrap();
    assert_eq!((r.applied, r.present, r.unknown), (0, 1, 0));
}

#[test]
fn verify_finds_flipped_bytes_and_index_drift() {
    let (_d, a) = archive();
    let issue = new_issue(2017, 5, &[A, B], "");
    a.store_issue(&issue).unwrap();
    assert!(a.verify(false).unwrap().is_empty());
    let bytes = issue.pages[0].image.clone().unwrap().bytes;
    let sha = sha256_hex(&bytes);
    a.tamper("images", &sha, |v| v[0] ^= 1);
    // A byte of the text, inside its JSON record: 各 → 吂 (one bit).
    a.tamper("versions", "yn-2017-05-02/000001", |v| {
        let s = String::from_utf8(v.clone())
            .unwrap()
            .replacen("国务院决定", "国务院决走", 1);
        *v = s.into_bytes();
    });
    let problems = a.verify(false).unwrap();
    let ids: Vec<&str> = problems.iter().map(|p| p.id.as_str()).collect();
    assert!(
        ids.contains(&format!("image {sha}").as_str()),
        "{problems:?}"
    );
    assert!(ids.contains(&"yn-2017-05-02 v1"), "{problems:?}");
    // The index drifts: it lost a document.
    a.index
        .replace(&[], &["yn-2017-05-01".to_string()])
        .unwrap();
    let problems = a.verify(false).unwrap();
    assert!(problems
        .iter()
        .any(|p| p.id == "yn-2017-05-01" && p.what.contains("not in the index")));
    assert_eq!(a.reconcile().unwrap(), 1);
    assert!(!a
        .verify(false)
        .unwrap()
        .iter()
        .any(|p| p.id == "yn-2017-05-01"));
}

#[test]
fn wrong_format_and_foreign_directories_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("a");
    drop(Archive::open(&dir, true).unwrap());
    let reopened = Archive::open(&dir, false);
    assert!(reopened.is_ok(), "{:?}", reopened.err());
    drop(reopened);
    std::fs::write(dir.join("FORMAT"), "gazette-archive 99\n").unwrap();
    let e = Archive::open(&dir, true).err().unwrap();
    assert!(matches!(e, Error::Format { .. }), "{e}");
    assert!(e.to_string().contains("gazette-archive 99"), "{e}");
    let other = d.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    assert!(matches!(
        Archive::open(&other, true).err().unwrap(),
        Error::NotArchive { .. }
    ));
    assert!(Archive::open(&d.path().join("missing"), false).is_err());
}

#[test]
fn search_finds_substrings_doc_numbers_and_filters() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A], "")).unwrap();
    a.store_issue(&new_issue(2018, 11, &[B], "")).unwrap();
    a.store_issue(&new_issue(2019, 2, &[C], "")).unwrap();
    // Any substring of two or more characters, across word boundaries.
    assert_eq!(
        ids(&a.search(&Query::new("务公")).unwrap()),
        ["yn-2017-05-01"]
    );
    assert_eq!(
        ids(&a.search(&Query::new("春节放假调休")).unwrap()),
        ["yn-2019-02-01"]
    );
    // A phrase wrapped over two lines of the text is found.
    assert_eq!(
        ids(&a.search(&Query::new("精神，国务院")).unwrap()),
        ["yn-2018-11-01"]
    );
    // Every segment must occur; a quoted phrase is literal.
    assert!(a
        .search(&Query::new("政务公开 科学技术"))
        .unwrap()
        .hits
        .is_empty());
    assert!(a
        .search(&Query::new("\"公开政务\""))
        .unwrap()
        .hits
        .is_empty());
    // A 文号 in any bracket or width finds its document first, above the
    // document that cites it.
    for q in [
        "云政办发〔2017〕22号",
        "云政办发[2017]22号",
        "云政办发(2017)22号",
        "云政办发（２０１７）２２号",
    ] {
        let r = a.search(&Query::new(q)).unwrap();
        assert_eq!(ids(&r), ["yn-2017-05-01", "yn-2019-02-01"], "{q}");
        let h = &r.hits[1];
        assert_eq!(
            &h.snippet.text[h.snippet.marks[0].0..h.snippet.marks[0].1],
            A.1
        );
    }
    // Filters, facets, sorting, paging.
    let mut q = Query::new("国务院");
    let r = a.search(&q).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.facets.year, vec![("2018".into(), 1), ("2019".into(), 1)]);
    q.year_from = Some(2019);
    assert_eq!(ids(&a.search(&q).unwrap()), ["yn-2019-02-01"]);
    // A reversed range is a range with nothing in it, not an error.
    q.year_to = Some(2018);
    assert_eq!(a.search(&q).unwrap().total, 0);
    let mut q = Query::new("");
    q.issuer = Some("国务院".into());
    assert_eq!(ids(&a.search(&q).unwrap()), ["yn-2018-11-01"]);
    let mut q = Query::new("");
    q.doc_type = Some("通知".into());
    q.sort = Sort::DateDesc;
    assert_eq!(
        ids(&a.search(&q).unwrap()),
        ["yn-2019-02-01", "yn-2017-05-01"]
    );
    q.sort = Sort::DateAsc;
    q.limit = 1;
    q.offset = 1;
    let r = a.search(&q).unwrap();
    assert_eq!((r.total, ids(&r)), (2, vec!["yn-2019-02-01"]));
    q.issue = Some("yn-2017-05".parse().unwrap());
    q.offset = 0;
    assert_eq!(ids(&a.search(&q).unwrap()), ["yn-2017-05-01"]);
    // Limits are refused by name.
    let mut q = Query::new(&"政".repeat(300));
    assert!(a.search(&q).unwrap_err().to_string().contains("q:"));
    q = Query::new("政务");
    q.limit = 1000;
    assert!(a.search(&q).unwrap_err().to_string().contains("limit"));
}

#[test]
fn reindex_rebuilds_from_the_store() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    a.index.clear().unwrap();
    assert!(a.search(&Query::new("政务公开")).unwrap().hits.is_empty());
    assert_eq!(a.reindex().unwrap(), 2);
    assert_eq!(a.search(&Query::new("政务公开")).unwrap().hits.len(), 1);
    assert!(a.verify(false).unwrap().is_empty());
    let s = a.stats().unwrap();
    assert_eq!((s.issues, s.pages, s.documents, s.versions), (1, 2, 2, 2));
}

#[test]
fn lookup_by_doc_number_and_pages_by_scan_name() {
    let (_d, a) = archive();
    let mut issue = new_issue(2017, 5, &[A, C], "");
    issue.sources.push(SourceFile {
        path: "/scans/2017-5/page-002.png".into(),
        sha256: sha256_hex(b"second"),
        bytes: 1,
    });
    issue.pages[0].provenance.source = "/scans/2017-5/page-001.png".into();
    issue.pages[1].provenance.source = "/scans/2017-5/page-002.png".into();
    a.store_issue(&issue).unwrap();
    let ids = |v: Vec<DocId>| v.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    assert_eq!(
        ids(a.lookup("云政办发[2017]22号").unwrap()),
        ["yn-2017-05-01"]
    );
    assert_eq!(
        ids(a.lookup("国办发明电（2018）15号").unwrap()),
        ["yn-2017-05-02"]
    );
    assert!(a.lookup("云政办发〔2017〕23号").unwrap().is_empty());
    assert_eq!(
        a.page_named("page-002").unwrap().map(|p| p.to_string()),
        Some("yn-2017-05-p02".to_string())
    );
    assert_eq!(a.page_named("page-003").unwrap(), None);
}

/// A joint document counts once under each of its issuers, and is found
/// by filtering on any of them or on the signature line as printed.
#[test]
fn joint_issuers_are_faceted_and_filtered_each() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(
        2018,
        3,
        &[
            (
                "国务院办公厅　中央军委办公厅关于军队转业的通知",
                "国办发〔2018〕1号",
                "国务院办公厅\u{3000}中央军委办公厅",
                "军队转业干部安置。",
            ),
            (
                "国务院办公厅关于节假日的通知",
                "国办发〔2018〕2号",
                "国务院办公厅",
                "放假安排。",
            ),
        ],
        "",
    ))
    .unwrap();
    let r = a.search(&Query::new("")).unwrap();
    assert_eq!(
        r.facets.issuer,
        vec![("国务院办公厅".into(), 2), ("中央军委办公厅".into(), 1)]
    );
    for (who, n) in [
        ("中央军委办公厅", 1),
        ("国务院办公厅", 2),
        ("国务院办公厅\u{3000}中央军委办公厅", 1),
    ] {
        let mut q = Query::new("");
        q.issuer = Some(who.into());
        assert_eq!(a.search(&q).unwrap().total, n, "{who}");
    }
}

/// A query in simplified characters finds a text printed in traditional
/// ones (and the other way round), its snippet marked as printed; a 文号
/// typed in simplified finds the one printed in traditional.
#[test]
fn simplified_and_traditional_find_each_other() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(
        1952,
        3,
        &[
            (
                "治安保衛委員會暫行組織條例",
                "雲政發〔1952〕7號",
                "公安部",
                "第一條　為發動群眾，協助人民政府防奸、防諜、防盜、防火。",
            ),
            (
                "关于內河航行的通知",
                "云政发〔1952〕8号",
                "交通部",
                "各地旣已建立航行管理机构。",
            ),
        ],
        "",
    ))
    .unwrap();
    let r = a.search(&Query::new("协助人民政府")).unwrap();
    assert_eq!(ids(&r), ["yn-1952-03-01"]);
    let s = &r.hits[0].snippet;
    assert_eq!(&s.text[s.marks[0].0..s.marks[0].1], "協助人民政府");
    // Traditional query, simplified text; variant forms fold too.
    assert_eq!(
        ids(&a.search(&Query::new("已建立航行管理機構")).unwrap()),
        ["yn-1952-03-02"]
    );
    assert_eq!(
        ids(&a.search(&Query::new("既已建立")).unwrap()),
        ["yn-1952-03-02"]
    );
    assert_eq!(
        ids(&a.search(&Query::new("内河航行")).unwrap()),
        ["yn-1952-03-02"]
    );
    assert_eq!(
        ids(&a.search(&Query::new("云政发[1952]7号")).unwrap()),
        ["yn-1952-03-01"]
    );
    assert_eq!(
        a.lookup("云政发〔1952〕7号")
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>(),
        ["yn-1952-03-01"]
    );
}

/// A gazette's name read in the other script is the same gazette; another
/// name under the same code is refused.
#[test]
fn a_gazette_named_in_either_script_is_one_gazette() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A], "")).unwrap();
    let mut trad = new_issue(2017, 6, &[B], "");
    trad.gazette = "云南省人民政府公報".into();
    a.store_issue(&trad).unwrap();
    let mut other = new_issue(2017, 7, &[C], "");
    other.gazette = "贵州省人民政府公报".into();
    assert!(matches!(
        a.store_issue(&other),
        Err(Error::GazetteConflict { .. })
    ));
    assert_eq!(a.gazettes().unwrap().len(), 1);
}

/// A document a person corrected that a new reading no longer finds is
/// not out of sight: it waits for a person, said with what became of it.
#[test]
fn a_persons_text_on_a_withdrawn_document_waits_for_a_person() {
    let (_d, a) = archive();
    a.store_issue(&new_issue(2017, 5, &[A, B], "")).unwrap();
    let id: DocId = "yn-2017-05-02".parse().unwrap();
    a.correct(&id, Some("国务院决定授予科学技术奖。"), "删去首句", false)
        .unwrap();
    let stored = a.store_issue(&new_issue(2017, 5, &[A], "-one")).unwrap();
    let Stored::Revised { changes, .. } = stored else {
        panic!("{stored:?}")
    };
    assert!(matches!(
        &changes[..],
        [DocChange::Gone { id: g, person: true, .. }] if *g == id
    ));
    let p = a.pending().unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].id.clone(), p[0].candidate), (id.clone(), None));
    assert_eq!(p[0].gone.as_ref().unwrap().kind, GoneKind::Withdrawn);
    // Its id resolves to the person's text.
    assert_eq!(a.current(&id).unwrap().unwrap().status, Status::Corrected);
}

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
    for status in legal::Status::ALL {
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

/// Relevance is the 文号 typed, then the text in the title, then the text
/// elsewhere, newest first in each; the same whether the matches were all
/// counted and sorted or (past the count's cap) walked in date order.
#[test]
fn relevance_groups_newest_first_counted_or_walked() {
    let (_d, a) = archive();
    let mut want: Vec<(u8, u16, String)> = Vec::new();
    for year in 2001..=2008u16 {
        let docs: Vec<(String, String, String)> = (1..=3u16)
            .map(|k| {
                let in_title = (year + k) % 3 == 0;
                let in_text = (year * k) % 4 != 1;
                let title = if in_title {
                    format!("关于做好第{k}批政务公开工作的通知")
                } else {
                    format!("关于第{k}批工作的通知")
                };
                let number = format!("云政发〔{year}〕{k}号");
                let text = if in_text {
                    "各州、市人民政府：\n现将政务公开有关事项通知如下。"
                } else {
                    "各州、市人民政府：\n现将有关事项通知如下。"
                };
                let id = format!("yn-{year}-01-{k:02}");
                if in_title || in_text {
                    want.push((u8::from(in_title), year, id));
                }
                (title, number, text.to_string())
            })
            .collect();
        let refs: Vec<(&str, &str, &str, &str)> = docs
            .iter()
            .map(|(t, n, x)| (t.as_str(), n.as_str(), "云南省人民政府", x.as_str()))
            .collect();
        a.store_issue(&new_issue(year, 1, &refs, "")).unwrap();
    }
    // Newest first is the exact reverse of date order: an issue's last
    // document before its first.
    want.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)).then(y.2.cmp(&x.2)));
    let want: Vec<&str> = want.iter().map(|w| w.2.as_str()).collect();
    assert!(want.len() > 8, "{want:?}");
    let search = |q: &Query| a.search(q).unwrap();
    let mut q = Query::new("政务公开");
    q.limit = 50;
    let counted = search(&q);
    assert_eq!(ids(&counted), want);
    assert!(counted.total_exact);
    assert_eq!(counted.total, want.len());
    // The 文号 typed first, then the rest as before.
    let mut q2 = Query::new("云政发〔2004〕3号");
    q2.limit = 50;
    let r = search(&q2);
    assert_eq!(ids(&r)[0], "yn-2004-01-03");
    // Past the cap: the same order, paged alike; the count a lower bound
    // and no facets.
    a.index
        .exact_total
        .store(3, std::sync::atomic::Ordering::Relaxed);
    let walked = search(&q);
    assert_eq!(ids(&walked), want);
    assert!(!walked.total_exact);
    assert_eq!(walked.total, 3);
    assert!(walked.facets.year.is_empty());
    assert_eq!(ids(&search(&q2))[0], "yn-2004-01-03");
    for (offset, limit) in [(0, 1), (2, 3), (7, 5)] {
        q.offset = offset;
        q.limit = limit;
        let end = (offset + limit).min(want.len());
        assert_eq!(ids(&search(&q)), want[offset..end], "{offset} {limit}");
    }
    // By date, both ways, with a filter.
    let mut q = Query::new("");
    q.doc_type = Some("通知".into());
    q.limit = 5;
    q.sort = Sort::DateAsc;
    let r = search(&q);
    assert_eq!(
        ids(&r),
        [
            "yn-2001-01-01",
            "yn-2001-01-02",
            "yn-2001-01-03",
            "yn-2002-01-01",
            "yn-2002-01-02"
        ]
    );
    q.sort = Sort::DateDesc;
    assert_eq!(
        ids(&search(&q))[..3],
        ["yn-2008-01-03", "yn-2008-01-02", "yn-2008-01-01"]
    );
}

#[test]
fn a_store_closed_here_is_waited_for_when_reopened() {
    // sled's I/O threads can hold a dropped store's lock for a moment; a
    // reopening in the same process waits for it instead of failing (seen
    // on a loaded CI machine). Here a second handle plays those threads.
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("a");
    drop(Archive::open(&dir, true).unwrap());
    let held = Archive::open(&dir, false).unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(held);
    });
    let reopened = Archive::open(&dir, false);
    release.join().unwrap();
    assert!(reopened.is_ok(), "{:?}", reopened.err());
}
