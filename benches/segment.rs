//! Criterion benchmark of segmentation: cutting the born-digital issue of
//! every corpus document (24 pages, 7 documents) into its documents, pages
//! already read. Segmentation is pure code beside OCR; this keeps it so.

use criterion::{criterion_group, criterion_main, Criterion};
use ingest::segment::{segment, Hints};
use ingest::{textlayer, PageText, TextOrigin};
use std::path::Path;

fn pages() -> Vec<PageText> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus-issue/issue.pdf");
    let doc = lopdf::Document::load(&path).unwrap();
    doc.get_pages()
        .values()
        .enumerate()
        .map(|(i, id)| {
            let t = textlayer::extract(&doc, *id).unwrap();
            PageText {
                source: path.clone(),
                page: i + 1,
                width: t.width,
                height: t.height,
                dpi: Some(textlayer::TEXT_LAYER_DPI),
                origin: TextOrigin::TextLayer,
                lines: t.lines,
                ..Default::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    c.bench_function("segment a 24-page issue of 7 documents", |b| {
        b.iter(|| segment(&pages.iter().collect::<Vec<_>>(), &Hints::default()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
