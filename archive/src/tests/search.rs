//! Search: substrings, 文号, filters and facets, scripts, relevance
//! groups, lookups.

use super::*;

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
    // One year, a closed span of a few years (year terms joined), a span
    // too wide for that and an open end (a range over the column): each
    // holds just its years.
    for (from, to, want) in [
        (Some(2018), Some(2018), vec!["yn-2018-11-01"]),
        (Some(2019), Some(2019), vec!["yn-2019-02-01"]),
        (Some(2017), Some(2018), vec!["yn-2018-11-01"]),
        (
            Some(2018),
            Some(2019),
            vec!["yn-2019-02-01", "yn-2018-11-01"],
        ),
        (Some(1950), Some(2018), vec!["yn-2018-11-01"]),
        (None, Some(2018), vec!["yn-2018-11-01"]),
        (Some(2020), Some(2030), vec![]),
    ] {
        q.year_from = from;
        q.year_to = to;
        q.sort = Sort::DateDesc;
        assert_eq!(ids(&a.search(&q).unwrap()), want, "{from:?}..{to:?}");
    }
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

/// A phrase is decided by the bigrams of `index::cover`, led by its rarest:
/// every character stays covered wherever the rarest stands, and documents
/// holding those bigrams out of order or apart are not found.
#[test]
fn a_phrase_led_by_its_rarest_bigram_matches_exactly() {
    for n in 1..14 {
        for r in 0..n {
            // One bigram far rarer than the rest.
            let df: Vec<u64> = (0..n).map(|i| if i == r { 3 } else { 1000 }).collect();
            let c = crate::index::cover(&df);
            assert!(c.contains(&r), "{n} {r}: {c:?}");
            assert!(c.windows(2).all(|w| w[0] < w[1]), "{c:?}");
            // Bigram p holds characters p and p + 1; there are n + 1.
            for ch in 0..=n {
                assert!(
                    c.iter().any(|&p| p == ch || p + 1 == ch),
                    "{n} {r}: {ch} in {c:?}"
                );
            }
            assert!(c.len() <= n / 2 + 2, "{c:?}");
        }
        // All alike: the even cover, the fewer lists.
        assert_eq!(
            crate::index::cover(&vec![50; n]).len(),
            n.div_ceil(2).max(1) + usize::from(n % 2 == 0 && n > 1),
            "{n}"
        );
    }
    let (_d, a) = archive();
    // 乙丙 (the phrase's second bigram) is rare; 甲乙, 丙丁, 丁戊 common.
    let common = "甲乙子丙丁丑丁戊寅";
    let texts = [
        format!("{common}。甲乙丙丁戊。"),
        format!("{common}。乙丙在此，甲乙丙丁己与丙丁戊不连。"),
        format!("{common}。甲乙丙丁，丁戊"),
        format!("{common}。前言甲乙丙丁戊"),
        format!("{common}。"),
        // Only the first or last character differs: a cover that left it
        // out would find these.
        format!("{common}。乙乙丙丁戊"),
        format!("{common}。甲乙丙丁丁"),
    ];
    let titles: Vec<String> = (0..texts.len()).map(|i| format!("文件{i}")).collect();
    let docs: Vec<(&str, &str, &str, &str)> = titles
        .iter()
        .zip(&texts)
        .map(|(t, x)| (t.as_str(), "", "某机关", x.as_str()))
        .collect();
    a.store_issue(&new_issue(2017, 5, &docs, "")).unwrap();
    let mut found = ids(&a.search(&Query::new("甲乙丙丁戊")).unwrap())
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["yn-2017-05-01", "yn-2017-05-04"]);
}
