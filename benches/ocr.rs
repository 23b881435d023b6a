//! Criterion benchmarks of the reading path's own costs (everything but
//! Tesseract): decoding, preprocessing a 300 dpi page, and reading a
//! born-digital page's text layer. OCR fidelity and throughput against bare
//! Tesseract are measured by `make eval` (scripts/eval_ocr.py).

use criterion::{criterion_group, criterion_main, Criterion};
use ingest::preprocess::{self, Preprocess};
use ingest::{raster, textlayer};
use std::path::Path;

fn data(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn decode(c: &mut Criterion) {
    let png = std::fs::read(data("clean-page.png")).unwrap();
    let g4 = std::fs::read(data("small/multi-g4.tif")).unwrap();
    c.bench_function("decode png 300dpi page", |b| {
        b.iter(|| raster::decode(&png, 0).unwrap())
    });
    c.bench_function("decode g4 tiff frame 2", |b| {
        b.iter(|| raster::decode(&g4, 1).unwrap())
    });
}

fn prepare(c: &mut Criterion) {
    let page = raster::decode(&std::fs::read(data("clean-page.png")).unwrap(), 0).unwrap();
    let cfg = Preprocess::default();
    c.bench_function("prepare clean 300dpi page (measure, no change)", |b| {
        b.iter(|| preprocess::prepare(page.clone(), &cfg))
    });
    let skewed = preprocess::rotate(&page.raster, 1.5f32.to_radians(), 255);
    let skewed = ingest::PageImage {
        raster: skewed,
        dpi: page.dpi,
    };
    c.bench_function("prepare skewed 300dpi page (deskew)", |b| {
        b.iter(|| preprocess::prepare(skewed.clone(), &cfg))
    });
}

fn text_layer(c: &mut Criterion) {
    let doc = lopdf::Document::load(data("small/text.pdf")).unwrap();
    let page = *doc.get_pages().get(&2).unwrap();
    c.bench_function("text layer of a born-digital page", |b| {
        b.iter(|| textlayer::extract(&doc, page).unwrap())
    });
}

criterion_group!(benches, decode, prepare, text_layer);
criterion_main!(benches);
