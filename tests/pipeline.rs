//! The pipeline with a fake engine: input order kept while pages of all
//! issues run in parallel, bounded pages in flight, errors and panics
//! reported per page while the rest goes on.

use crate::util::{self, data, Fake};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, ErrorKind, Preprocess};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

fn batch() -> Vec<PathBuf> {
    vec![
        data("small/multi-lzw.tif"),
        data("small/png"),
        data("small/text.pdf"),
        data("small/multi-raw.tif"),
        data("small/scan-ccitt.pdf"),
        data("small/jpeg"),
    ]
}

#[test]
fn output_is_in_input_order_whatever_the_finishing_order() {
    let serial = util::pages(&util::run(&batch(), &Fake::default(), 1));
    let fake = Fake {
        delay_ms: 5,
        ..Fake::default()
    };
    let parallel = util::pages(&util::run(&batch(), &fake, 4));
    assert_eq!(serial.len(), 12);
    assert_eq!(parallel, serial);
    assert!(
        fake.max_running.load(Ordering::SeqCst) > 1,
        "pages ran one at a time"
    );
}

#[test]
fn pages_of_one_file_run_in_parallel() {
    // Long enough that the second page is decoded and started while the
    // first is still in the engine, even on a machine busy with other tests.
    let fake = Fake {
        delay_ms: 150,
        ..Fake::default()
    };
    // One multi-page file: parallelism must come from within it.
    let events = util::run(&[data("small/multi-deflate.tif")], &fake, 2);
    assert_eq!(util::pages(&events).len(), 2);
    assert_eq!(fake.max_running.load(Ordering::SeqCst), 2);
}

#[test]
fn pages_in_flight_are_bounded() {
    let fake = Fake {
        delay_ms: 2,
        ..Fake::default()
    };
    let paths: Vec<PathBuf> = (0..6).flat_map(|_| batch()).collect();
    let (issues, _) = source::discover(&paths);
    let jobs = 2;
    let opts = Options {
        jobs,
        preprocess: Preprocess::none(),
        keep_images: false,
    };
    let mut emitted = 0usize;
    let mut worst = 0usize;
    pipeline::run(&issues, &fake, &opts, |e| {
        if let Event::PageDone { .. } = e {
            emitted += 1;
        }
        // Pages handed to the engine but not yet delivered.
        let started = fake.calls.load(Ordering::SeqCst);
        worst = worst.max(started.saturating_sub(emitted));
    })
    .unwrap();
    assert_eq!(emitted, 72);
    assert!(worst <= 2 * jobs + 2, "{worst} pages in flight");
    assert!(fake.max_running.load(Ordering::SeqCst) <= jobs);
}

#[test]
fn engine_failures_and_panics_are_reported_per_page() {
    // The multi-raw.tif pages are 600 px wide, every other page 1240.
    let fake = Fake {
        panic_width: Some(600),
        ..Fake::default()
    };
    let events = util::run(&batch(), &fake, 2);
    let failed = util::failures(&events);
    assert_eq!(failed.len(), 2, "{failed:?}");
    for f in &failed {
        assert!(matches!(f.kind, ErrorKind::Panic(_)));
        assert!(f.path.ends_with("multi-raw.tif"));
        assert!(f.page.is_some());
        assert!(f.to_string().contains("multi-raw.tif: page"), "{f}");
    }
    assert_eq!(
        util::pages(&events).len(),
        10,
        "the rest of the batch completes"
    );

    let fake = Fake {
        fail_width: Some(600),
        ..Fake::default()
    };
    let events = util::run(&batch(), &fake, 2);
    let failed = util::failures(&events);
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|f| matches!(f.kind, ErrorKind::Ocr(_))));
}

#[test]
fn directories_are_walked_into_issues() {
    let (issues, errors) = source::discover(&[data("small")]);
    assert!(errors.is_empty());
    let mut names: Vec<String> = issues
        .iter()
        .map(|i| {
            i.path
                .strip_prefix(data("small"))
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    // The loose multi-page TIFFs are not pages of one issue: the folder of
    // them holds several issues, the page folders one each.
    assert!(names.contains(&"g4".to_string()), "{names:?}");
    assert!(names.contains(&"png".to_string()));
    assert!(names.contains(&"scan-dct.pdf".to_string()));
    assert!(names.contains(&"multi-lzw.tif".to_string()));
    assert!(!names.iter().any(|n| n.starts_with("truth")), "{names:?}");
}

#[test]
fn issues_come_whole_with_failed_pages_in_their_place() {
    // A folder of three page scans whose middle one is destroyed, then a
    // PDF: two issues, in input order, every page at its position.
    let tmp = tempfile::tempdir().unwrap();
    let scans = tmp.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    let png = std::fs::read_dir(data("small/png"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    std::fs::copy(&png, scans.join("page-1.png")).unwrap();
    std::fs::write(scans.join("page-2.png"), b"\x89PNG\r\n\x1a\n torn").unwrap();
    std::fs::copy(&png, scans.join("page-3.png")).unwrap();
    let fake = Fake {
        delay_ms: 3,
        ..Fake::default()
    };
    let events = util::run(&[scans.clone(), data("small/text.pdf")], &fake, 2);
    let issues: Vec<&ingest::ReadIssue> = events
        .iter()
        .filter_map(|e| match e {
            Event::Issue(i) => Some(&**i),
            _ => None,
        })
        .collect();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0].source.path, scans);
    let positions: Vec<usize> = issues[0].pages.iter().map(|p| p.position).collect();
    assert_eq!(positions, [1, 2, 3]);
    let failed = issues[0].pages[1].read.as_ref().unwrap_err();
    assert!(failed.path.ends_with("page-2.png"), "{failed}");
    for p in [&issues[0].pages[0], &issues[0].pages[2]] {
        let read = p.read.as_ref().unwrap();
        assert_eq!(read.page, p.position, "a page knows its own position");
    }
    assert_eq!(issues[1].pages.len(), 2);
    assert!(issues[1].pages.iter().all(|p| p.read.is_ok()));
}
