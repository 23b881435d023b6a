#!/usr/bin/env python3
"""Mixed pages (issue 14): `gazette ocr` on pages that set a block of vertical
columns beside horizontal text (scripts/render_mixed.py), from documents held
back from tuning (every third corpus document, index % 3 == 2) or, with
--split tune, from the others.

For each set it reports:
- mixed found: pages read with columns (vertical lines) and, level with
  them, horizontal lines beside them;
- strict CER per page pooled, against truth in reading order (article:
  the article's text, then the facsimile's columns; notice: the columns,
  then the notice), so a region read in the wrong order or direction
  counts. `article-lead` sets its first lines across the page, at the
  text's own spacing, over the parts side by side.

usage: scripts/eval_mixed.py [--gazette target/release/gazette] [--work DIR] [--split held|tune]
"""
import argparse, json, os, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, cer  # noqa: E402

HELD = [d for i, d in enumerate(CORPUS) if i % 3 == 2]
TUNE = [d for i, d in enumerate(CORPUS) if i % 3 != 2]
PAGES = 4
# name: (kind, font, options, format, seed)
SETS = {
    "article-trad-uming": ("article", "uming", ["--traditional"], "png", 81),
    "article-simp-gbsn-light": ("article", "gbsn", ["--degrade", "light"], "png", 82),
    "article-lead-serif": ("article", "serif", ["--lead", "6", "--pt", "10.5"], "png", 85),
    "notice-trad-ukai": ("notice", "ukai", ["--traditional"], "png", 83),
    "notice-trad-uming-heavy-g4": ("notice", "uming", ["--traditional", "--degrade", "heavy"], "tiff-g4", 84),
}


def mixed(page):
    """Columns read, and horizontal lines level with them and beside them."""
    cols = [l["bbox"] for l in page["lines"] if l.get("vertical")]
    if not cols:
        return False
    top, bottom = min(b[1] for b in cols), max(b[3] for b in cols)
    left, right = min(b[0] for b in cols), max(b[2] for b in cols)
    beside = [l for l in page["lines"] if not l.get("vertical") and l["bbox"][1] < bottom and l["bbox"][3] > top
              and (l["bbox"][2] <= left or l["bbox"][0] >= right)]
    return len(beside) >= 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--split", choices=["held", "tune"], default="held")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="eval-mixed-"))
    docs = HELD if a.split == "held" else TUNE
    print(f"| set ({a.split}) | mixed found | CER |\n|---|---|---|")
    for s, (name, (kind, font, opts, fmt, seed)) in enumerate(SETS.items()):
        out = work / a.split / name
        # Pairs of documents, each set its own: horizontal, then vertical.
        pairs = [(docs[(s + 2 * i) % len(docs)], docs[(s + 2 * i + 1) % len(docs)]) for i in range(PAGES)]
        if not (out / "truth").is_dir():
            subprocess.run([sys.executable, str(ROOT / "scripts/render_mixed.py"), "--out", str(out), "--kind", kind,
                            "--font", font, "--format", fmt, "--seed", str(seed), *opts, "--docs",
                            *[str(d) for p in pairs for d in p]], check=True)
        # The caller's environment: the second recogniser is found through it.
        r = subprocess.run([a.gazette, "ocr", "--format", "json", str(out)], capture_output=True, text=True,
                           env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        pages = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        found, dist, n = 0, 0, 0
        for i, p in enumerate(pages):
            found += mixed(p)
            truth = (out / "truth" / f"page-{i + 1:03}.txt").read_text(encoding="utf-8")
            d, m = cer(truth, "\n".join(l["text"] for l in p["lines"]), strict=True)
            dist, n = dist + d, n + m
        print(f"| {name} | {found}/{len(pages)} | {dist / max(n, 1):.2%} |", flush=True)


if __name__ == "__main__":
    main()
