//! The archive's costs, measured: storing and indexing an issue against
//! the OCR time of its pages, and search latency (p50/p99 of 20 realistic
//! queries) on an archive of 100,000 documents built from the corpus texts
//! through the library API (no OCR), with archive size per document and
//! page, and the recall of every corpus document by its 文号 and phrases.
//!
//! `cargo bench --bench archive` (the archive is built once into
//! target/bench-archive-{docs} and reused; delete it to rebuild).
//! `GAZETTE_BENCH_DOCS=1000000` sets its size (100,000 by default).
//! `GAZETTE_BENCH_ONLY=<a query's text>` runs that one query of the mix
//! over and over instead, for a profiler.

use archive::{
    Anchor, Archive, Fields, GazetteCode, IssueId, NewDocument, NewIssue, NewPage, Paragraph,
    Provenance, Query, Sort, SourceFile,
};
use ingest::OcrEngine;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Documents in the bench's archive unless `GAZETTE_BENCH_DOCS` says.
const DEFAULT_DOCS: usize = 100_000;
const DOCS_PER_ISSUE: usize = 25;
/// Issues stored per [`Archive::store_issues`] batch while building.
const ISSUES_PER_BATCH: usize = 400;

fn bench_docs() -> usize {
    std::env::var("GAZETTE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_DOCS)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The seven real corpus documents, as segmentation read them.
fn corpus() -> Vec<Fields> {
    std::fs::read_to_string(root().join("tests/data/corpus-issue/issue.expected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A small deterministic generator (xorshift), so every build is the same.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn provenance() -> Provenance {
    Provenance {
        source: "bench".into(),
        source_sha256: String::new(),
        index_in_source: 1,
        engine: "bench".into(),
        traineddata: String::new(),
        preprocess: String::new(),
        replaced_text_layer: None,
        time: archive::now(),
    }
}

fn new_document(f: Fields) -> NewDocument {
    let paragraphs = f
        .text
        .split('\n')
        .map(|t| Paragraph {
            text: t.to_string(),
            anchors: vec![Anchor {
                page: f.start_page,
                printed_page: f.start_page,
                bbox: archive::BBox([300, 400, 2200, 460]),
                chars: None,
            }],
        })
        .collect();
    NewDocument {
        fields: f,
        paragraphs,
    }
}

/// A character bigram model of the corpus: each character's followers, as
/// often as they follow it. Text drawn from it has the corpus's character
/// and bigram frequencies (so posting lists are as long as real ones would
/// be) without repeating its sentences (so a phrase of a real document
/// still identifies it).
struct Markov {
    next: std::collections::HashMap<char, Vec<char>>,
    starts: Vec<char>,
}

impl Markov {
    fn new(texts: &[String]) -> Self {
        let mut next: std::collections::HashMap<char, Vec<char>> = Default::default();
        let mut starts = Vec::new();
        for t in texts {
            for line in t.split('\n') {
                let cs: Vec<char> = line.chars().collect();
                if let Some(&c) = cs.first() {
                    starts.push(c);
                }
                for w in cs.windows(2) {
                    next.entry(w[0]).or_default().push(w[1]);
                }
            }
        }
        Markov { next, starts }
    }

    fn text(&self, rng: &mut Rng, len: usize) -> String {
        let mut c = self.starts[rng.below(self.starts.len())];
        let mut out = String::new();
        for _ in 0..len {
            out.push(c);
            c = match self.next.get(&c) {
                Some(f) if !f.is_empty() => f[rng.below(f.len())],
                _ => self.starts[rng.below(self.starts.len())],
            };
        }
        out
    }
}

/// Synthetic documents: text and title topics drawn from the corpus's
/// bigram model, 文号 of its issuers' patterns.
fn synthetic(
    rng: &mut Rng,
    model: &Markov,
    corpus: &[Fields],
    gazette: &str,
    year: u16,
    issue: u16,
) -> Fields {
    const PREFIXES: &[&str] = &[
        "国发",
        "国办发",
        "云政发",
        "云政办发",
        "云政办函",
        "余府发",
        "豫政",
        "国办发明电",
    ];
    const TYPES: &[&str] = &["通知", "意见", "决定", "办法", "规定", "批复"];
    let issuers: Vec<&str> = corpus.iter().map(|c| c.issuer.as_str()).collect();
    let n = 4 + rng.below(20);
    let paras: Vec<String> = (0..n)
        .map(|_| {
            let len = 30 + rng.below(170);
            model.text(rng, len)
        })
        .collect();
    let text = paras.join("\n");
    let len = 4 + rng.below(8);
    let topic = model.text(rng, len);
    let issuer = issuers[rng.below(issuers.len())].to_string();
    let doc_type = TYPES[rng.below(TYPES.len())].to_string();
    let number = format!(
        "{}〔{}〕{}号",
        PREFIXES[rng.below(PREFIXES.len())],
        year,
        1 + rng.below(300)
    );
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    Fields {
        gazette: gazette.into(),
        year,
        issue,
        title: format!("{issuer}关于{topic}的{doc_type}"),
        doc_number: number.clone(),
        doc_number_normalised: number,
        issuer,
        date: format!("{year}年{month}月{day}日"),
        date_iso: format!("{year}-{month:02}-{day:02}"),
        attribute: if rng.below(2) == 0 {
            "此件公开发布".into()
        } else {
            String::new()
        },
        doc_type,
        start_page: 1,
        end_page: 2,
        sha256: archive::sha256_hex(text.as_bytes()),
        citation: format!("《{gazette}》{year}年第{issue}期第1—2页"),
        text,
        ..Default::default()
    }
}

fn issue(id: IssueId, sources: &str, pages: Vec<NewPage>, docs: Vec<NewDocument>) -> NewIssue {
    NewIssue {
        gazette: gazette_name(&id.gazette),
        id,
        sources: vec![SourceFile {
            path: sources.into(),
            sha256: archive::sha256_hex(sources.as_bytes()),
            bytes: 0,
        }],
        pages,
        documents: docs,
    }
}

fn yn(year: u16, n: u16) -> IssueId {
    IssueId {
        gazette: GazetteCode::new("yn").unwrap(),
        year,
        issue: n,
    }
}

/// The bench's gazettes: 云南 first, then as many more as its size needs
/// (`g01`, `g02`, …), each 24 issues a year from 1950 to 2026 as a
/// provincial gazette's back issues would be: a million documents is a
/// national archive, not one gazette's.
const FIRST_YEAR: u16 = 1950;
const LAST_YEAR: u16 = 2026;
const ISSUES_A_YEAR: u32 = 24;

fn nth_issue(k: u32) -> IssueId {
    let per_gazette = (LAST_YEAR - FIRST_YEAR + 1) as u32 * ISSUES_A_YEAR;
    let g = k / per_gazette;
    let code = if g == 0 {
        "yn".to_string()
    } else {
        format!("g{g:02}")
    };
    let at = k % per_gazette;
    IssueId {
        gazette: GazetteCode::new(&code).unwrap(),
        year: FIRST_YEAR + (at / ISSUES_A_YEAR) as u16,
        issue: (at % ISSUES_A_YEAR) as u16 + 1,
    }
}

fn gazette_name(code: &GazetteCode) -> String {
    match code.as_str() {
        "yn" => "云南省人民政府公报".into(),
        g => format!("第{}号人民政府公报", &g[1..]),
    }
}

fn build(dir: &Path, docs: usize) -> Archive {
    let done = dir.join("BUILT");
    if done.exists() {
        return Archive::open(dir, false).unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
    let a = Archive::open(dir, true).unwrap();
    let corpus = corpus();
    let texts: Vec<String> = corpus.iter().map(|c| c.text.clone()).collect();
    let model = Markov::new(&texts);
    // The real documents, as they were segmented.
    a.store_issue(&issue(
        yn(2017, 5),
        "corpus",
        vec![],
        corpus.iter().cloned().map(new_document).collect(),
    ))
    .unwrap();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let t0 = Instant::now();
    let mut made = corpus.len();
    let mut k = 0u32;
    let mut batch = Vec::new();
    while made < docs {
        let id = nth_issue(k);
        k += 1;
        if id == yn(2017, 5) {
            continue;
        }
        let name = gazette_name(&id.gazette);
        let new: Vec<NewDocument> = (0..DOCS_PER_ISSUE.min(docs - made))
            .map(|_| {
                new_document(synthetic(
                    &mut rng, &model, &corpus, &name, id.year, id.issue,
                ))
            })
            .collect();
        made += new.len();
        let page = NewPage {
            printed: 1,
            width: 2480,
            height: 3508,
            dpi: Some(300.0),
            origin: archive::TextOrigin::Ocr,
            verdict: archive::Verdict::Ok,
            image: None,
            lines: vec![],
            layout: None,
            error: None,
            provenance: provenance(),
        };
        batch.push(issue(id, &format!("synthetic {k}"), vec![page], new));
        if batch.len() == ISSUES_PER_BATCH || made == docs {
            a.store_issues(&std::mem::take(&mut batch)).unwrap();
        }
        if k % 2000 == 0 {
            eprintln!(
                "  {made} documents stored ({:.0}s)",
                t0.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "built {made} documents in {:.0}s",
        t0.elapsed().as_secs_f64()
    );
    std::fs::write(done, "").unwrap();
    a
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn queries() -> Vec<(&'static str, Query)> {
    let q = |t: &str| Query::new(t);
    let mut v = vec![
        ("title words", q("政务公开")),
        ("title words", q("节假日安排")),
        ("title words", q("科学技术奖励")),
        ("title words", q("集体合同")),
        ("title words", q("绿色建筑")),
        ("phrase", q("\"各州、市人民政府\"")),
        ("phrase", q("\"现将有关事项通知如下\"")),
        ("phrase", q("放假调休")),
        ("phrase", q("职工代表大会")),
        ("two words", q("政务 公开")),
        ("doc number", q("云政办发[2017]22号")),
        ("doc number", q("国发(2018)44号")),
        ("doc number", q("国办发〔2019〕4号")),
        ("doc number", q("余府发（2012）3号")),
    ];
    let mut f = q("通知");
    f.year_from = Some(2010);
    f.year_to = Some(2020);
    v.push(("filter years", f));
    let mut f = q("");
    f.issuer = Some("国务院".into());
    f.doc_type = Some("通知".into());
    f.sort = Sort::DateDesc;
    v.push(("filters, by date", f));
    let mut f = q("政务公开");
    f.doc_type = Some("意见".into());
    v.push(("filter type", f));
    let mut f = q("人民政府");
    f.year_from = Some(2017);
    f.year_to = Some(2017);
    v.push(("filter year", f));
    let mut f = q("国务院 决定");
    f.sort = Sort::DateDesc;
    v.push(("by date", f));
    let mut f = q("奖售粮");
    f.offset = 20;
    v.push(("page 3", f));
    v
}

fn search_latency(a: &Archive) {
    let qs = queries();
    for (_, q) in &qs {
        a.search(q).unwrap();
    }
    let mut all = Vec::new();
    println!("query                          total   p50 ms");
    for (what, q) in &qs {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..30 {
            let t = Instant::now();
            total = a.search(q).unwrap().total;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{:<14} {:<16} {:>6} {:>8.2}",
            what,
            q.text,
            total,
            percentile(&times, 0.5).as_secs_f64() * 1e3
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "search over {} documents, {} runs: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        a.stats().unwrap().documents,
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().unwrap().as_secs_f64() * 1e3
    );
}

fn recall(a: &Archive) {
    let mut found = 0;
    let mut tried = 0;
    for (i, c) in corpus().iter().enumerate() {
        let id = format!("yn-2017-05-{:02}", i + 1);
        let mut qs = Vec::new();
        if !c.doc_number.is_empty() {
            qs.push(c.doc_number.clone());
            qs.push(c.doc_number.replace('〔', "[").replace('〕', "]"));
            qs.push(c.doc_number.replace('〔', "(").replace('〕', ")"));
        }
        // Three phrases from the text: near its start, middle and end.
        let chars: Vec<char> = c.text.chars().filter(|c| *c != '\n').collect();
        for at in [chars.len() / 10, chars.len() / 2, chars.len() * 9 / 10] {
            let at = at.min(chars.len().saturating_sub(12));
            qs.push(format!(
                "\"{}\"",
                chars[at..at + 12].iter().collect::<String>()
            ));
        }
        for q in qs {
            tried += 1;
            let r = a.search(&Query::new(&q)).unwrap();
            if r.hits.iter().take(10).any(|h| h.id == id) {
                found += 1;
            } else {
                println!("recall miss: {id} for {q}");
            }
        }
    }
    println!("recall: {found}/{tried} queries find their corpus document in the top 10");
}

/// Store + index of a real issue against the OCR time of its pages.
fn overhead() {
    let tif = root().join("sample/yn-2017-05.tif");
    let bytes = std::fs::read(&tif).unwrap();
    let frames = ingest::raster::tiff_frame_count(&bytes).unwrap();
    let images: Vec<_> = (0..frames)
        .map(|f| ingest::raster::decode(&bytes, f).unwrap())
        .collect();
    let t = Instant::now();
    let kept: Vec<_> = images
        .iter()
        .map(|i| ingest::keep::png(&i.raster).unwrap())
        .collect();
    let keep_per_page = t.elapsed() / frames as u32;
    let engine = ingest::Tesseract::new("chi_sim").unwrap();
    let t = Instant::now();
    let prepared = ingest::preprocess::prepare(images[1].clone(), &Default::default());
    let lines = engine
        .recognize(&prepared.raster, prepared.dpi.round() as u32)
        .unwrap();
    let ocr_per_page = t.elapsed();
    let docs: Vec<NewDocument> = corpus().into_iter().map(new_document).collect();
    let pages: Vec<NewPage> = kept
        .iter()
        .map(|k| NewPage {
            printed: 1,
            width: k.width,
            height: k.height,
            dpi: Some(300.0),
            origin: archive::TextOrigin::Ocr,
            verdict: archive::Verdict::Ok,
            image: Some(archive::NewImage {
                format: "png".into(),
                width: k.width,
                height: k.height,
                region: None,
                bytes: k.bytes.clone(),
            }),
            lines: lines.clone(),
            layout: None,
            error: None,
            provenance: provenance(),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("a"), true).unwrap();
    let mut per_page = Vec::new();
    for round in 0..5u16 {
        let t = Instant::now();
        a.store_issue(&issue(
            yn(2000 + round, 1),
            &format!("o{round}"),
            pages.clone(),
            docs.clone(),
        ))
        .unwrap();
        per_page.push(t.elapsed() / frames as u32);
    }
    per_page.sort();
    let store = per_page[per_page.len() / 2];
    let image_bytes: usize = kept.iter().map(|k| k.bytes.len()).sum();
    println!(
        "per page: ocr {:.0} ms (one worker), keep image {:.1} ms, store + index {:.1} ms: {:.2}% of ocr ({:.1}% with the image); stored G4 page image {:.0} kB",
        ocr_per_page.as_secs_f64() * 1e3,
        keep_per_page.as_secs_f64() * 1e3,
        store.as_secs_f64() * 1e3,
        store.as_secs_f64() / ocr_per_page.as_secs_f64() * 100.0,
        (store + keep_per_page).as_secs_f64() / ocr_per_page.as_secs_f64() * 100.0,
        image_bytes as f64 / frames as f64 / 1e3
    );
}

fn main() {
    // `cargo test --benches` runs benches with --bench absent: stay quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if std::env::var("GAZETTE_BENCH_ONLY").is_err() {
        overhead();
    }
    let docs = bench_docs();
    let dir = root().join(format!("target/bench-archive-{docs}"));
    let a = build(&dir, docs);
    let s = a.stats().unwrap();
    println!(
        "archive: {} documents, {} issues, store {:.0} MB, index {:.0} MB: {:.1} kB per document",
        s.documents,
        s.issues,
        s.store_bytes as f64 / 1e6,
        s.index_bytes as f64 / 1e6,
        (s.store_bytes + s.index_bytes) as f64 / s.documents as f64 / 1e3
    );
    // One query of the mix, by its text, run again and again with nothing
    // else: what a profiler should see (`perf record` on the bench binary).
    if let Ok(only) = std::env::var("GAZETTE_BENCH_ONLY") {
        let Some((_, q)) = queries().into_iter().find(|(_, q)| q.text == only) else {
            panic!("GAZETTE_BENCH_ONLY: no query {only:?} in the mix");
        };
        let t = Instant::now();
        for _ in 0..ONLY_RUNS {
            a.search(&q).unwrap();
        }
        let each = t.elapsed().as_secs_f64() * 1e3 / ONLY_RUNS as f64;
        println!("{only}: {each:.2} ms a search, {ONLY_RUNS} runs");
        return;
    }
    search_latency(&a);
    recall(&a);
    write_load_queries(&root().join("target/search-queries.txt"));
}

/// Runs of the one query `GAZETTE_BENCH_ONLY` names: a few seconds' worth.
const ONLY_RUNS: usize = 400;

/// How many queries the HTTP load test draws from.
const LOAD_QUERIES: usize = 2000;

/// Writes the queries of the HTTP load test (`scripts/bench_http.sh`): 2 to
/// 4 consecutive characters of the corpus texts, one a line in UTF-8,
/// deduplicated and sorted, drawn with the bench's fixed seed so every run
/// loads the server alike.
fn write_load_queries(path: &Path) {
    let texts: Vec<Vec<char>> = corpus()
        .iter()
        .map(|c| {
            c.text
                .chars()
                .filter(|ch| ('\u{4e00}'..='\u{9fff}').contains(ch))
                .collect()
        })
        .filter(|t: &Vec<char>| t.len() > 8)
        .collect();
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut qs = std::collections::BTreeSet::new();
    while qs.len() < LOAD_QUERIES {
        let t = &texts[rng.below(texts.len())];
        let n = 2 + rng.below(3);
        let at = rng.below(t.len() - n);
        qs.insert(t[at..at + n].iter().collect::<String>());
    }
    let body: String = qs.into_iter().map(|q| q + "\n").collect();
    std::fs::write(path, body).unwrap();
    println!(
        "load-test queries: {LOAD_QUERIES} written to {}",
        path.display()
    );
}
