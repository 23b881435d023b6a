//! Storing, idempotence, ids that never move, versions, corrections and
//! their journal, fixity, the format file and reopening.

use super::*;

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
