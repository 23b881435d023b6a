#!/usr/bin/env python3
"""Calibration of line confidence: how often a line read at confidence c is
read exactly right, per recogniser, on the rendered sets of
scripts/eval_print.py (clean, heavy, aged, photo, red ink, red-header).

A line is right when, spaces aside, it equals the line of the page's truth it
is nearest to. The map from each recogniser's own confidence to that
probability is fitted on the tuning documents (equal-count bins made monotone
by pooling adjacent violators) and printed as the knots of
`ingest/src/recognise/calibrate.rs`; it is then checked on the held-back
documents (read as configured and with Tesseract alone): expected
calibration error (ECE, the line-weighted gap between
stated and observed accuracy) of the engines' raw confidence and of the
calibrated figure, and a reliability table.

usage: scripts/calibrate.py [--gazette target/release/gazette] [--work DIR] [--bins N]
Renders what is missing into --work (the same sets eval_print.py renders).
"""
import argparse, json, re, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_print import HELD, SETS, TUNE, rendered_set  # noqa: E402
from evalcommon import ROOT  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

WS = re.compile(r"\s+")


def lines_of(gazette, images, extra):
    r = subprocess.run([gazette, "ocr", "--jobs", "2", "--format", "json", *extra, *map(str, images)],
                       capture_output=True, text=True, check=True)
    return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


def observations(gazette, work, split, docs, extra):
    """(engine, confidence, calibrated or None, right) for every line read."""
    out = []
    for k, name in enumerate(SETS):
        d, m = rendered_set(work, split, docs, k, name)
        pages = lines_of(gazette, [d / f for f in m["files"]], extra)
        for page, p in zip(pages, m["pages"]):
            truth = [WS.sub("", t) for t in (d / p["truth"]).read_text(encoding="utf-8").splitlines()]
            truth = [t for t in truth if t]
            for line in page["lines"]:
                text = WS.sub("", line["text"])
                if not text or not truth:
                    continue
                best = min(Levenshtein.distance(text, t) for t in truth)
                out.append((line.get("engine") or "none", line["confidence"], line.get("calibrated"), best == 0))
    return out


def fit(obs, bins):
    """Knots (confidence, probability right) by equal-count bins, pooled to
    be non-decreasing."""
    obs = sorted(obs)
    n = len(obs)
    groups = []
    for b in range(bins):
        part = obs[b * n // bins:(b + 1) * n // bins]
        if part:
            groups.append([sum(c for c, _ in part) / len(part), sum(r for _, r in part), len(part)])
    # Pool adjacent violators: merge a bin with its predecessor while the
    # predecessor's rate is higher.
    pooled = []
    for g in groups:
        pooled.append(g)
        while len(pooled) > 1 and pooled[-2][1] / pooled[-2][2] > pooled[-1][1] / pooled[-1][2]:
            b, a = pooled.pop(), pooled.pop()
            n2 = a[2] + b[2]
            pooled.append([(a[0] * a[2] + b[0] * b[2]) / n2, a[1] + b[1], n2])
    return [(round(c, 4), round(r / k, 4)) for c, r, k in pooled]


def ece(pairs, bins=10):
    """Line-weighted mean |stated − observed| over bins of the stated figure."""
    total = len(pairs)
    if not total:
        return float("nan")
    err = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        part = [(p, r) for p, r in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if part:
            err += abs(sum(p for p, _ in part) / len(part) - sum(r for _, r in part) / len(part)) * len(part)
    return err / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--bins", type=int, default=12)
    ap.add_argument("--held-only", action="store_true", help="only the check on the held-back documents")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-calibrate-"))
    work.mkdir(parents=True, exist_ok=True)
    # As configured (PP-OCR reads the lines), and with Tesseract alone, as
    # where the second recogniser is not installed.
    runs = ([], ["--second-reader", "off"])
    tune = [] if a.held_only else [o for x in runs for o in observations(a.gazette, work, "tune", TUNE, x)]
    held = [o for x in runs for o in observations(a.gazette, work, "held", HELD, x)]
    if tune:
        print("fitted on the tuning documents' lines:")
    for engine in sorted({e for e, *_ in tune}):
        obs = [(c, r) for e, c, _, r in tune if e == engine]
        print(f"  {engine}: {len(obs)} lines, {100 * sum(r for _, r in obs) / len(obs):.1f}% right; knots {fit(obs, a.bins)}")
    print("\nvalidation documents (every third corpus document; looked at while tuning):")
    for engine in sorted({e for e, *_ in held}):
        raw = [(c, r) for e, c, _, r in held if e == engine]
        cal = [(p, r) for e, _, p, r in held if e == engine and p is not None]
        print(f"  {engine}: {len(raw)} lines, {100 * sum(r for _, r in raw) / len(raw):.1f}% right; "
              f"ECE raw {ece(raw):.3f}, calibrated {ece(cal):.3f} ({len(cal)} lines)")
    cal = [(p, r) for _, _, p, r in held if p is not None]
    print("\n| calibrated | lines | stated | right |\n|---|---|---|---|")
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        part = [(p, r) for p, r in cal if lo <= p < hi or (b == 9 and p == 1.0)]
        if part:
            print(f"| {lo:.1f}–{hi:.1f} | {len(part)} | {sum(p for p, _ in part) / len(part):.2f} | "
                  f"{sum(r for _, r in part) / len(part):.2f} |")
    print(f"| all | {len(cal)} | ECE {ece(cal):.3f} | |")


if __name__ == "__main__":
    main()
