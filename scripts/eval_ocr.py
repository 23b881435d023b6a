#!/usr/bin/env python3
"""OCR fidelity and throughput of `gazette ocr`, side by side with bare Tesseract.

Renders issues from ../shared/corpus with ../shared/tools/render_gazette.py in
several fonts, formats and degradations, runs `gazette ocr` and the bare
`tesseract IMG - -l chi_sim` on the same pages, and prints strict CER
(everything printed on the page, running head and folio included) and pages/s.

usage: scripts/eval_ocr.py [--gazette target/release/gazette] [--work DIR] [--quick]
Needs python3 with pillow numpy reportlab img2pdf rapidfuzz, the CJK fonts, and
the tesseract CLI (make eval-deps installs them).
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, cer, render  # noqa: E402

# (font, title font, degrade, format, seed); documents rotate over the corpus.
MATRIX = [
    ("serif", "serif-bold", "none", "png", 1),
    ("uming", "serif-bold", "none", "tiff-g4", 2),
    ("wenkai", "wenkai-bold", "none", "jpeg", 3),
    ("gbsn", "sans-bold", "light", "png", 4),
    ("zenhei", "zenhei", "light", "pdf-scan", 5),
    ("sans", "sans-bold", "light", "jpeg", 6),
    ("serif", "serif-bold", "heavy", "png", 7),
    ("ukai", "serif-bold", "heavy", "jpeg", 8),
    ("uming", "wenkai-bold", "heavy", "pdf-scan", 9),
]
QUICK = [MATRIX[0], MATRIX[3], MATRIX[6]]


def issue_input(out, manifest):
    return out / "issue.pdf" if manifest["format"].startswith("pdf") else out


def score(out, manifest, texts):
    edits = chars = 0
    for p, text in zip(manifest["pages"], texts):
        d, n = cer((out / p["truth"]).read_text(encoding="utf-8"), text, strict=True)
        edits, chars = edits + d, chars + n
    missing = len(manifest["pages"]) - len(texts)
    for p in manifest["pages"][len(texts):]:
        n = len("".join((out / p["truth"]).read_text(encoding="utf-8").split()))
        edits, chars = edits + n, chars + n
    return edits, chars, missing


def run_gazette(gazette, inputs, jobs=2):
    t = time.time()
    r = subprocess.run([gazette, "ocr", "--jobs", str(jobs), *map(str, inputs)], capture_output=True, text=True)
    dt = time.time() - t
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
    pages = r.stdout.split("\f\n")[:-1]
    return pages, dt


def run_bare(images, jobs=2, omp_limit=True):
    env = dict(os.environ)
    if omp_limit:
        env["OMP_THREAD_LIMIT"] = "1"
    else:
        env.pop("OMP_THREAD_LIMIT", None)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.time()
        # xargs -P runs the CLI the way an archivist's shell script would.
        subprocess.run(["xargs", "-P", str(jobs), "-I{}", "sh", "-c",
                        f'tesseract "{{}}" "{tmp}/$(basename "{{}}")" -l chi_sim >/dev/null 2>&1'],
                       input="\n".join(map(str, images)), text=True, env=env, check=True)
        dt = time.time() - t
        return [Path(f"{tmp}/{Path(i).name}.txt").read_text(encoding="utf-8") for i in images], dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    rows, totals = [], {}
    matrix = QUICK if a.quick else MATRIX
    for k, (font, tfont, degrade, fmt, seed) in enumerate(matrix):
        docs = [CORPUS[(2 * k) % len(CORPUS)], CORPUS[(2 * k + 1) % len(CORPUS)]]
        out = work / f"{k:02d}-{font}-{degrade}-{fmt}"
        if not (out / "manifest.json").exists():
            render(out, docs, font, tfont, degrade, fmt, seed)
        m = json.loads((out / "manifest.json").read_text())
        texts, dt = run_gazette(a.gazette, [issue_input(out, m)])
        e, n, miss = score(out, m, texts)
        bare = "-"
        if not fmt.startswith("pdf"):
            btexts, _ = run_bare([out / f for f in m["files"]])
            be, bn, _ = score(out, m, btexts)
            bare = f"{100 * be / bn:.2f}%"
            totals.setdefault(("bare", degrade), [0, 0])
            totals[("bare", degrade)][0] += be
            totals[("bare", degrade)][1] += bn
        totals.setdefault(("gazette", degrade), [0, 0])
        totals[("gazette", degrade)][0] += e
        totals[("gazette", degrade)][1] += n
        rows.append((font, degrade, fmt, len(m["pages"]), f"{100 * e / n:.2f}%", bare, miss))
        print(f"{font:8} {degrade:6} {fmt:9} pages={len(m['pages']):3} gazette={100 * e / n:.2f}% bare={bare}"
              + (f" MISSING {miss} pages" if miss else ""), flush=True)

    print("\n| font | degrade | format | pages | gazette ocr CER | bare tesseract CER |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} |")
    print("\nStrict CER by degradation (all pages pooled; bare: image formats only):")
    for deg in ("none", "light", "heavy"):
        g = totals.get(("gazette", deg))
        b = totals.get(("bare", deg))
        if g:
            print(f"  {deg:6} gazette {100 * g[0] / g[1]:.2f}%" + (f"   bare {100 * b[0] / b[1]:.2f}%" if b else ""))

    # Throughput: the same 20+ page images through both, two workers each.
    images = []
    for d in sorted(work.iterdir()):
        m = json.loads((d / "manifest.json").read_text()) if (d / "manifest.json").exists() else None
        if m and m["format"] in ("png", "jpeg", "tiff-g4"):
            images += [d / f for f in m["files"]]
        if len(images) >= 24:
            break
    images = images[:24]
    with tempfile.TemporaryDirectory() as tmp:
        for i, img in enumerate(images):
            os.symlink(img, f"{tmp}/page-{i + 1:03d}{img.suffix}")
        pages, dt = run_gazette(a.gazette, [tmp], jobs=2)
    _, bt = run_bare(images, 2, omp_limit=True)
    _, bt_omp = run_bare(images, 2, omp_limit=False)
    print(f"\nThroughput on {len(images)} page images, 2 workers:")
    print(f"  gazette ocr --jobs 2          {len(pages) / dt:.2f} pages/s")
    print(f"  tesseract, xargs -P2          {len(images) / bt_omp:.2f} pages/s (OpenMP as installed)")
    print(f"  tesseract, xargs -P2, OMP=1   {len(images) / bt:.2f} pages/s")
    print(f"  ratio gazette / bare          {(len(pages) / dt) / (len(images) / bt_omp):.2f}x"
          f" ({(len(pages) / dt) / (len(images) / bt):.2f}x against OMP=1)")

    # Born-digital PDF: the text layer, no OCR.
    out = work / "born-digital"
    if not (out / "manifest.json").exists():
        render(out, CORPUS, "gbsn", "wenkai-bold", "none", "pdf-text", 1)
    m = json.loads((out / "manifest.json").read_text())
    texts, _ = run_gazette(a.gazette, [out / "issue.pdf"])
    e, n, _ = score(out, m, texts)
    reps = 10
    texts, dt = run_gazette(a.gazette, [out / "issue.pdf"] * reps)
    print(f"\nBorn-digital PDF: {len(m['pages'])} pages, text-layer CER {100 * e / n:.2f}%, "
          f"{len(texts) / dt:.0f} pages/s ({reps} copies, whole process timed)")


if __name__ == "__main__":
    main()
