#!/usr/bin/env python3
"""Whether two builds read alike: `gazette ocr --format json` and
`gazette segment` of a BEFORE binary and an AFTER binary, byte for byte, on
every input set — for a refactor that must not change what comes out.

Sets: every fixture under tests/data that is an issue (image folders,
PDFs, multi-page TIFFs, single pages), the real pages and PDFs of
../shared (real/, pdfs/), and issues rendered from the corpus in the OCR
evaluation's matrix (scripts/eval_ocr.py; --quick: its three quick rows).

    cp target/release/gazette target/gazette-before    # before the change
    ... change, cargo build --release ...
    python3 scripts/same_output.py target/gazette-before target/release/gazette [--quick]

Prints one line per input and output kind, `same` or `DIFFERS` with the
first differing line, and exits 1 when anything differs."""
import argparse, os, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, SHARED, render  # noqa: E402
from eval_ocr import MATRIX, QUICK, issue_input  # noqa: E402

DATA = ROOT / "tests/data"


def fixture_inputs():
    """Every fixture that is something `ocr` reads as an issue."""
    out = [DATA / "clean-page.png"]
    for d in ["small/png", "small/g4", "small/jpeg", "gap", "vertical", "two-columns",
              "redhead", "spread", "tables", "traditional", "mixed", "corpus-issue"]:
        if (DATA / d).is_dir():
            out.append(DATA / d)
    out += sorted((DATA / "small").glob("*.pdf")) + sorted((DATA / "small").glob("*.tif"))
    out += sorted((DATA / "print").glob("*.jpg"))
    for d in ["pdf", "issues", "legal"]:
        out += sorted((DATA / d).glob("*.pdf"))
    out += sorted((SHARED / "real").glob("*.jpg")) + sorted((SHARED / "pdfs").glob("*.pdf"))
    return [p for p in out if p.exists()]


def rendered_inputs(work, quick):
    out = []
    for k, (font, tfont, degrade, fmt, seed) in enumerate(QUICK if quick else MATRIX):
        docs = [CORPUS[(2 * k) % len(CORPUS)], CORPUS[(2 * k + 1) % len(CORPUS)]]
        d = work / f"{k:02d}-{font}-{degrade}-{fmt}"
        if not (d / "manifest.json").exists():
            render(d, docs, font, tfont, degrade, fmt, seed)
        import json
        out.append(issue_input(d, json.loads((d / "manifest.json").read_text())))
    return out


def run(binary, args, path):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run([binary, *args, str(path)], capture_output=True, env=env)
    # The exit code is part of the output: a page that fails must fail alike.
    return r.returncode, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--work", default=None, help="where rendered issues are kept between runs")
    ap.add_argument("--start", type=int, default=0, help="skip the first N inputs (to finish a run that was stopped)")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-same-"))
    work.mkdir(parents=True, exist_ok=True)
    inputs = (fixture_inputs() + rendered_inputs(work, a.quick))[a.start:]
    differ = 0
    for path in inputs:
        for kind, args in [("ocr", ["ocr", "--format", "json", "--jobs", "2"]),
                           ("segment", ["segment", "--jobs", "2"])]:
            b, f = run(a.before, args, path), run(a.after, args, path)
            name = os.path.relpath(path, ROOT)
            if b == f:
                print(f"same     {kind:8} {name}", flush=True)
                continue
            differ += 1
            bl, fl = b[1].decode(errors="replace").splitlines(), f[1].decode(errors="replace").splitlines()
            first = next((i for i, (x, y) in enumerate(zip(bl, fl)) if x != y), min(len(bl), len(fl)))
            print(f"DIFFERS  {kind:8} {name}: exit {b[0]} vs {f[0]}, first at line {first + 1}", flush=True)
    print(f"\n{len(inputs)} inputs, {2 * len(inputs)} outputs compared; {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
