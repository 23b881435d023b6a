#!/usr/bin/env python3
"""Hard print: `gazette ocr` with its second recogniser (PP-OCRv4 on
Tesseract's lines), without it (Tesseract alone, as before), bare Tesseract
and PP-OCRv4 as RapidOCR runs it (its own detector), on rendered sets of aged
paper, camera photos, red ink, red-header documents with seals, heavy damage
and clean print.

Every third corpus document (by sorted name, index % 3 == 2) is held back:
nothing was tuned on it; its sets are reported apart from the tuning sets.
Strict CER (every printed character, running head and folio included,
whitespace ignored) and CPU seconds per page of each reader (children's user
+ system time, two workers where the reader has them).

usage: scripts/eval_print.py [--gazette target/release/gazette] [--work DIR]
    [--split tune|held|both] [--sets NAME,...] [--no-rapid] [--no-bare] [--no-before] [--choice JSON]
Needs what scripts/eval_ocr.py needs, plus rapidocr-onnxruntime==1.4.4 for
the RapidOCR column (make eval-deps installs it).
"""
import argparse, json, os, resource, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, SHARED, cer  # noqa: E402

HELD = [d for i, d in enumerate(CORPUS) if i % 3 == 2]
TUNE = [d for i, d in enumerate(CORPUS) if i % 3 != 2]

# name: (renderer options, font, title font); the format is png unless given.
SETS = {
    "clean": (["--degrade", "none"], "serif", "serif-bold"),
    "heavy": (["--degrade", "heavy"], "uming", "serif-bold"),
    "yellow": (["--aging", "yellow", "--degrade", "light"], "gbsn", "sans-bold"),
    "old": (["--aging", "old", "--degrade", "heavy"], "uming", "serif-bold"),
    "photo": (["--photo"], "serif", "serif-bold"),
    "red-all": (["--colour", "--ink-red-all", "--degrade", "light"], "serif", "serif-bold"),
    "redhead-seal": (["--layout", "redhead", "--seal", "--colour", "--degrade", "light"], "gbsn", "sans-bold"),
}


def render(out, docs, opts, font, tfont, seed):
    subprocess.run([sys.executable, str(SHARED / "tools/render_gazette.py"), *map(str, docs), "--out", str(out),
                    "--font", font, "--title-font", tfont, "--seed", str(seed), *opts],
                   check=True, capture_output=True)


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def score(out, manifest, texts):
    edits = chars = 0
    for i, p in enumerate(manifest["pages"]):
        truth = (out / p["truth"]).read_text(encoding="utf-8")
        d, n = cer(truth, texts[i] if i < len(texts) else "", strict=True)
        edits, chars = edits + d, chars + n
    return edits, chars


def run_gazette(gazette, images, extra, env=None):
    t = cpu()
    r = subprocess.run([gazette, "ocr", "--jobs", "2", *extra, *map(str, images)], capture_output=True, text=True,
                       env=env)
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
    return r.stdout.split("\f\n")[:-1], cpu() - t


def run_bare(images):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    texts = []
    t = cpu()
    for img in images:
        r = subprocess.run(["tesseract", str(img), "-", "-l", "chi_sim"], capture_output=True, text=True, env=env)
        texts.append(r.stdout)
    return texts, cpu() - t


RAPID = r'''
import sys
from rapidocr_onnxruntime import RapidOCR
eng = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
for f in sys.argv[1:]:
    res, _ = eng(f)
    rows = []
    for box, text, conf in sorted(res or [], key=lambda r: sum(p[1] for p in r[0]) / 4):
        yc = sum(p[1] for p in box) / 4
        h = abs(box[2][1] - box[0][1])
        if rows and abs(rows[-1][0] - yc) < h * 0.5:
            rows[-1][1].append((box[0][0], text))
        else:
            rows.append([yc, [(box[0][0], text)]])
    sys.stdout.write("\n".join("".join(t for _, t in sorted(r[1])) for r in rows) + "\n\f\n")
'''


def run_rapid(images):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    t = cpu()
    r = subprocess.run([sys.executable, "-c", RAPID, *map(str, images)], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        print(r.stderr[-2000:], file=sys.stderr)
        return None, 0.0
    return r.stdout.split("\f\n")[:-1], cpu() - t


def rendered_set(work, split, docs, k, name):
    """The k-th set of a split (two of its documents, rendered into work once):
    its directory and manifest."""
    opts, font, tfont = SETS[name]
    pick = [docs[(2 * k) % len(docs)], docs[(2 * k + 1) % len(docs)]]
    out = work / f"{split}-{name}"
    if not (out / "manifest.json").exists():
        render(out, pick, opts, font, tfont, 11 + k)
    return out, json.loads((out / "manifest.json").read_text())


def page_images(out, manifest):
    return [out / f for f in manifest["files"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--split", default="both", choices=["tune", "held", "both"])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--no-rapid", action="store_true")
    ap.add_argument("--no-bare", action="store_true")
    ap.add_argument("--no-before", action="store_true", help="skip the Tesseract-alone column")
    ap.add_argument("--choice", default=None, help="ChoiceParams as JSON (GAZETTE_CHOICE) for a sweep")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-eval-print-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if a.choice:
        env["GAZETTE_CHOICE"] = a.choice
    try:
        import rapidocr_onnxruntime  # noqa: F401
        rapid = not a.no_rapid
    except ImportError:
        rapid = False
        print("rapidocr-onnxruntime not installed: no RapidOCR column", file=sys.stderr)
    splits = {"tune": TUNE, "held": HELD}
    chosen = ["tune", "held"] if a.split == "both" else [a.split]
    readers = ["gazette", "tesseract-only", "bare", "rapidocr"]
    for split in chosen:
        docs = splits[split]
        rows = []
        pooled = {r: [0, 0, 0.0, 0] for r in readers}
        for k, name in enumerate(a.sets.split(",")):
            out, m = rendered_set(work, split, docs, k, name)
            images = page_images(out, m)
            res = {}
            texts, t = run_gazette(a.gazette, images, [], env)
            res["gazette"] = (*score(out, m, texts), t)
            if not a.no_before:
                texts, t = run_gazette(a.gazette, images, ["--second-reader", "off"], env)
                res["tesseract-only"] = (*score(out, m, texts), t)
            if not a.no_bare:
                texts, t = run_bare(images)
                res["bare"] = (*score(out, m, texts), t)
            if rapid:
                texts, t = run_rapid(images)
                if texts is not None:
                    res["rapidocr"] = (*score(out, m, texts), t)
            n = len(images)
            for r, (e, c, t) in res.items():
                p = pooled[r]
                p[0] += e
                p[1] += c
                p[2] += t
                p[3] += n
            cells = [f"{100 * res[r][0] / res[r][1]:.2f}% ({res[r][2] / n:.1f} s)" if r in res else "–"
                     for r in readers]
            rows.append((name, n, cells))
            print(f"{split:4} {name:13} pages={n:2} " + "  ".join(f"{r}={c}" for r, c in zip(readers, cells)),
                  flush=True)
        label = "validation documents (every third corpus document; looked at while tuning)" if split == "held" else "tuning documents"
        print(f"\n{label}: strict CER (CPU seconds per page)\n")
        print("| set | pages | gazette ocr | Tesseract alone (before) | bare tesseract | PP-OCRv4 (RapidOCR) |")
        print("|---|---|---|---|---|---|")
        for name, n, cells in rows:
            print(f"| {name} | {n} | " + " | ".join(cells) + " |")
        print("| pooled | " + str(pooled["gazette"][3]) + " | " + " | ".join(
            f"{100 * p[0] / p[1]:.2f}% ({p[2] / p[3]:.1f} s)" if p[1] else "–" for p in pooled.values()) + " |\n")


if __name__ == "__main__":
    main()
