#!/usr/bin/env python3
"""Segmentation quality of `gazette segment` against the renderer's manifest.

Renders issues of three documents each from ../shared/corpus in several
fonts, damage levels and formats (plus one born-digital issue of them all),
runs `gazette segment` and `gazette ocr`, and reports:
- document boundaries: precision, recall, F1 (found = same start page and
  title within 10% CER);
- metadata exact match of doc_number, issuer, date, attribute, start_page,
  end_page over the expected documents, by damage level;
- strict CER of each document's text against the manifest's, beside the
  strict CER of the page OCR of the same issue.

usage: scripts/eval_segment.py [--gazette target/release/gazette] [--work DIR]
"""
import argparse, json, os, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, cer, render  # noqa: E402

MATRIX = [
    ("serif", "serif-bold", "none", "png", 21),
    ("uming", "wenkai-bold", "none", "tiff-g4", 22),
    ("gbsn", "sans-bold", "light", "jpeg", 23),
    ("zenhei", "zenhei", "light", "pdf-scan", 24),
    ("sans", "sans-bold", "heavy", "png", 25),
    ("ukai", "serif-bold", "heavy", "pdf-scan", 26),
]
FIELDS = ["doc_number", "issuer", "date", "attribute", "start_page", "end_page"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-seg-"))
    work.mkdir(parents=True, exist_ok=True)
    cases = [(f"{k:02d}-{f}-{d}-{fmt}", f, t, d, fmt, s, [CORPUS[(3 * k + j) % len(CORPUS)] for j in range(3)])
             for k, (f, t, d, fmt, s) in enumerate(MATRIX)]
    cases.append(("born-digital", "gbsn", "wenkai-bold", "none", "pdf-text", 1, CORPUS))
    tp = fp = fn = 0
    match = {}
    text_cer = {}
    page_cer = {}
    for name, font, tfont, degrade, fmt, seed, docs in cases:
        out = work / name
        if not (out / "manifest.json").exists():
            render(out, docs, font, tfont, degrade, fmt, seed, 3 + len(name) % 9)
        m = json.loads((out / "manifest.json").read_text())
        inp = out / "issue.pdf" if fmt.startswith("pdf") else out
        seg = subprocess.run([a.gazette, "segment", "--jobs", "2", str(inp)], capture_output=True, text=True)
        got = [json.loads(l) for l in seg.stdout.splitlines() if l.strip()]
        ocr = subprocess.run([a.gazette, "ocr", "--jobs", "2", str(inp)], capture_output=True, text=True)
        pages = ocr.stdout.split("\f\n")[:-1]
        e = n = 0
        for p, text in zip(m["pages"], pages):
            d, c = cer((out / p["truth"]).read_text(encoding="utf-8"), text, strict=True)
            e, n = e + d, n + c
        pc = page_cer.setdefault(degrade, [0, 0])
        pc[0] += e
        pc[1] += n
        used = set()
        for d in m["documents"]:
            hit = None
            for i, o in enumerate(got):
                if i in used:
                    continue
                te, tn = cer(d["title"], o["title"], strict=True)
                if o["start_page"] == d["start_page"] and te <= 0.1 * tn:
                    hit = i
                    break
            if hit is None:
                fn += 1
                print(f"  {name}: missed {d['title'][:24]} (p{d['start_page']})")
                for f in FIELDS:
                    match.setdefault((degrade, f), [0, 0])[1] += 1
                continue
            used.add(hit)
            tp += 1
            o = got[hit]
            for f in FIELDS:
                mm = match.setdefault((degrade, f), [0, 0])
                mm[1] += 1
                ok = o[f] == d.get(f, "" if f not in ("start_page", "end_page") else None)
                mm[0] += ok
                if not ok:
                    print(f"  {name}: {d['title'][:16]} {f}: got {o[f]!r} want {d.get(f, '')!r}")
            te, tn = cer(d["text"], o["text"], strict=True)
            tc = text_cer.setdefault(degrade, [0, 0])
            tc[0] += te
            tc[1] += tn
        for i, o in enumerate(got):
            if i not in used:
                fp += 1
                print(f"  {name}: extra {o['title'][:24]} (p{o['start_page']})")
        print(f"{name}: {len(got)} found, {len(m['documents'])} expected", flush=True)
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    print(f"\nBoundaries: precision {prec:.3f} recall {rec:.3f} F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}"
          f" ({tp} found, {fp} extra, {fn} missed)")
    print("Metadata exact match:")
    for deg in ("none", "light", "heavy"):
        row = [f"{f} {100 * match[(deg, f)][0] / max(match[(deg, f)][1], 1):.0f}%" for f in FIELDS if (deg, f) in match]
        if row:
            print(f"  {deg:6} " + ", ".join(row))
    print("Text strict CER (documents' text vs manifest) beside page OCR CER:")
    for deg in ("none", "light", "heavy"):
        if deg in text_cer:
            t, p = text_cer[deg], page_cer[deg]
            print(f"  {deg:6} text {100 * t[0] / t[1]:.2f}%   pages {100 * p[0] / p[1]:.2f}%")


if __name__ == "__main__":
    main()
