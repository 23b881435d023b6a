//! Real Tesseract on a committed 300 dpi page: the character error rate of
//! the whole reading path stays under a bound that bare Tesseract misses
//! (it scores about 3.3% on this page, mostly punctuation and the folio;
//! we measure 0.1%).

use crate::util::{cer, data};
use ingest::pipeline::{self, Event, Options};
use ingest::{source, Tesseract};

#[test]
fn clean_page_cer_is_under_one_and_a_half_percent() {
    let engine = Tesseract::new("chi_sim").expect("tesseract with chi_sim is installed");
    let (issues, _) = source::discover(&[data("clean-page.png")]);
    let opts = Options {
        jobs: 1,
        ..Options::default()
    };
    let mut text = String::new();
    let mut verdict = None;
    pipeline::run(&issues, &engine, &opts, |e| match e {
        Event::Issue(i) => {
            for p in i.pages {
                let page = p.read.unwrap_or_else(|f| panic!("{f}"));
                text = page.text();
                verdict = Some(page.verdict);
            }
        }
        Event::Unreadable(f) => panic!("{f}"),
        _ => {}
    })
    .unwrap();
    let truth = std::fs::read_to_string(data("clean-page.expected.txt")).unwrap();
    let rate = cer(&truth, &text);
    assert!(rate <= 0.01, "strict cer {:.2}%:\n{text}", rate * 100.0);
    // Text as printed: the 文号 in its own brackets, the folio, no spaces
    // between ideographs.
    assert!(text.contains("云政办发〔2017〕22号"), "{text}");
    assert!(text.lines().last().is_some_and(|l| l == "— 2 —"), "{text}");
    assert!(!text.contains("云 南"));
    assert_eq!(verdict, Some(ingest::Verdict::Ok), "a page read well is ok");
}
