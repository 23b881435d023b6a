#!/usr/bin/env python3
"""Scanned-PDF structures read as printed: strict CER and time per page of
`gazette ocr` on the same pages stored as plain page images and as each PDF
structure the renderer writes (one JPEG per page, CCITT strips, MRC
background + mask, colour MRC, /Rotate, Form XObjects), the time composing
takes (from the debug log), and born-digital throughput.

Documents are held out from every fixture and every tuning run (none of
them is in tests/data): 1980-sec-archives and 2015-zhejiang-oath.

usage: scripts/eval_pdf.py [--gazette target/release/gazette] [--work DIR]
Needs what eval_ocr.py needs (make eval-deps).
"""
import argparse, re, subprocess, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import ROOT, SHARED, cer  # noqa: E402

DOCS = ["1980-sec-archives.txt", "2015-zhejiang-oath.txt"]
# (name, renderer arguments)
STRUCTURES = [
    ("png (pages)", ["--format", "png"]),
    ("pdf-scan (one JPEG a page)", ["--format", "pdf-scan"]),
    ("pdf-strips (CCITT strips)", ["--format", "pdf-strips"]),
    ("pdf-mrc (JPEG + 1-bit mask)", ["--format", "pdf-mrc"]),
    ("pdf-mrc --colour", ["--format", "pdf-mrc", "--colour"]),
    ("pdf-scan --pdf-rotate 90", ["--format", "pdf-scan", "--pdf-rotate", "90"]),
    ("pdf-scan --pdf-form-xobject", ["--format", "pdf-scan", "--pdf-form-xobject"]),
]
COMMON = ["--font", "serif", "--title-font", "serif-bold", "--degrade", "light", "--seed", "21", "--dpi", "300"]


def render(out, args):
    subprocess.run([sys.executable, str(SHARED / "tools/render_gazette.py"), *[str(SHARED / "corpus" / d) for d in DOCS],
                    "--out", str(out), *COMMON, *args], check=True, capture_output=True)
    import json
    return json.loads((out / "manifest.json").read_text())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="eval-pdf-"))
    print(f"| structure | pages | strict CER | s/page (2 workers) | composing ms/page | verdicts |")
    print("|---|---|---|---|---|---|")
    for name, args in STRUCTURES:
        out = work / re.sub(r"[^a-z0-9]+", "-", name)
        m = render(out, args)
        src = out / "issue.pdf" if m["format"].startswith("pdf") else out
        t = time.time()
        r = subprocess.run([a.gazette, "ocr", "--jobs", "2", str(src)], capture_output=True, text=True,
                           env={"GAZETTE_LOG": "ingest=debug,warn", "PATH": "/usr/bin:/bin"})
        dt = time.time() - t
        texts = r.stdout.split("\f\n")[:-1]
        edits = chars = 0
        for p, text in zip(m["pages"], texts):
            d, n = cer((out / p["truth"]).read_text(encoding="utf-8"), text, strict=True)
            edits, chars = edits + d, chars + n
        for p in m["pages"][len(texts):]:
            n = len("".join((out / p["truth"]).read_text(encoding="utf-8").split()))
            edits, chars = edits + n, chars + n
        composed = [int(x) for x in re.findall(r"composed.* ms=(\d+)", r.stderr)]
        comp = f"{sum(composed) / len(composed):.0f} ({len(composed)} pages)" if composed else "– (not composed)"
        verdicts = re.search(r"pages/s\): ([^;]*);", r.stderr)
        print(f"| {name} | {len(m['pages'])} | {100 * edits / max(chars, 1):.2f}% | {dt / max(len(m['pages']), 1):.2f} "
              f"| {comp} | {verdicts.group(1) if verdicts else '?'} |", flush=True)
    # Born-digital throughput: the corpus issue, 100 copies, whole process.
    bd = work / "born-digital"
    bd.mkdir(exist_ok=True)
    src = (ROOT / "tests/data/corpus-issue/issue.pdf").read_bytes()
    for i in range(100):
        (bd / f"i{i:03}.pdf").write_bytes(src)
    t = time.time()
    r = subprocess.run([a.gazette, "ocr", "--jobs", "2", str(bd)], capture_output=True, text=True)
    dt = time.time() - t
    pages = r.stdout.count("\f\n")
    print(f"\nBorn-digital: {pages} pages (the corpus issue x100) in {dt:.2f} s whole process: {pages / dt:.0f} pages/s")


if __name__ == "__main__":
    main()
