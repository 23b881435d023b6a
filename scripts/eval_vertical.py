#!/usr/bin/env python3
"""Vertical and traditional pages (issue 14): `gazette ocr` on rendered issues
set in vertical columns, against the same documents set horizontally.

Sets are rendered from the tuning documents and, separately, from the
held-back ones (every third corpus document by sorted name, index % 3 == 2,
never looked at while developing). For each set it reports:
- direction detection: the share of pages read as vertical (a page is read
  as vertical when most characters of its body, outside the running head
  and folio, are in columns); vertical sets should be
  100%, their horizontal twins and the negative sets 0%;
- script detection: a page of a traditional set (vertical or its twin)
  should be read with the traditional model (its text holds more
  traditional forms than simplified ones), of a simplified set with the
  simplified one;
- strict CER per page pooled (truth lists columns right to left with
  horizontal punctuation), beside the horizontal twin's (read as it comes:
  a traditional twin must be found traditional and read with chi_tra);
- search recall: each traditional set's issue ingested, and for every
  document its 文号 (when it has one) and every tenth 4-character phrase of
  its text, converted to simplified characters (OpenCC t2s), searched for;
  found = the document among the hits (its title's first 8 characters
  within one edit). `recall` counts every query; `of read` only those
  whose printed form the OCR read right somewhere in the issue, so a miss
  there is the search's (folding), not the recogniser's.

usage: scripts/eval_vertical.py [--gazette target/release/gazette] [--work DIR]
                                [--split tune|held|both] [--jobs N]
                                [--sets NAME ...] [--seed-offset N]
`--seed-offset` renders the same documents with fresh damage (the seed
drives the damage and the aging only: an undamaged set renders the same
pages): a check on pages nobody has looked at.
Needs opencc-purepy (pip) for the simplified queries.
"""
import argparse, json, shutil, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, SHARED, cer  # noqa: E402

HELD = [d for i, d in enumerate(CORPUS) if i % 3 == 2]
TUNE = [d for i, d in enumerate(CORPUS) if i % 3 != 2]

# name: (renderer options, font, format, seed); each vertical set has a
# horizontal twin (the same options without --vertical).
VERTICAL = {
    "trad-uming": (["--traditional"], "uming", "png", 61),
    "trad-ukai-light": (["--traditional", "--degrade", "light"], "ukai", "png", 62),
    "trad-uming-yellow": (["--traditional", "--aging", "yellow"], "uming", "jpeg", 63),
    "trad-uming-heavy-g4": (["--traditional", "--degrade", "heavy"], "uming", "tiff-g4", 64),
    "simp-gbsn": ([], "gbsn", "png", 65),
    "simp-serif-yellow": (["--aging", "yellow"], "serif", "jpeg", 66),
}
# Horizontal layouts that must not be read as vertical.
NEGATIVE = {
    "two-columns": (["--two-columns", "--degrade", "light"], "serif", "png", 71),
    "old-paper": (["--aging", "old"], "serif", "jpeg", 72),
    "photo": (["--photo"], "gbsn", "jpeg", 73),
    "redhead-seal": (["--layout", "redhead", "--seal", "--colour"], "gbsn", "jpeg", 74),
}
PHRASE_STEP = 10


def render(out, docs, opts, font, fmt, seed, issue):
    subprocess.run([sys.executable, str(SHARED / "tools/render_gazette.py"), *map(str, docs), "--out", str(out),
                    "--font", font, "--title-font", font, "--format", fmt, "--seed", str(seed),
                    "--issue", str(issue), "--year", "1954", *opts], check=True, capture_output=True)
    return json.loads((out / "manifest.json").read_text())


def ocr(a, path, extra=()):
    r = subprocess.run([a.gazette, "ocr", "--format", "json", "--jobs", str(a.jobs), *extra, str(path)],
                       capture_output=True, text=True)
    return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


# Running heads and folios stand in this share of the page's height at its
# top and bottom, horizontal on vertical pages too.
MARGIN_SHARE = 0.08


def is_vertical(page):
    """Most of the characters of the page's body (its lines outside the
    running head and folio) are in columns. (Counting lines, a last page of
    two columns under a head and over a folio was read as horizontal.)"""
    h = page.get("height") or 1
    lines = page.get("lines", [])
    body = [l for l in lines if MARGIN_SHARE * h < (l["bbox"][1] + l["bbox"][3]) / 2 < (1 - MARGIN_SHARE) * h] or lines
    chars = sum(len(l["text"]) for l in body)
    return sum(len(l["text"]) for l in body if l.get("vertical")) * 2 > chars > 0


def page_script(text):
    from opencc_purepy import OpenCC
    t2s = OpenCC("t2s")
    trad = sum(1 for c in text if t2s.convert(c) != c)
    s2t = OpenCC("s2t")
    simp = sum(1 for c in text if s2t.convert(c) != c and t2s.convert(c) == c)
    return "traditional" if trad > simp else "simplified"


def pooled_cer(m, out, pages):
    e = n = 0
    for p, got in zip(m["pages"], pages):
        truth = (out / p["truth"]).read_text()
        text = "\n".join(l["text"] for l in got.get("lines", []))
        de, dn = cer(truth, text, strict=True)
        e, n = e + de, n + dn
    return e, n


def recall(a, out, m, work, read):
    from opencc_purepy import OpenCC
    t2s = OpenCC("t2s")
    arc = work / "archive"
    # A fresh archive each run: ingest skips an issue already stored, so a
    # kept one would answer with an earlier binary's documents.
    shutil.rmtree(arc, ignore_errors=True)
    subprocess.run([a.gazette, "ingest", "--code", "ev", "--jobs", str(a.jobs), "--archive", str(arc), str(out)],
                   capture_output=True)
    found = total = read_found = read_total = 0
    for d in m["documents"]:
        queries = []
        if d.get("doc_number"):
            queries.append(("文号", d["doc_number"]))
        text = "".join(c for c in d["text"] if not c.isspace())
        for i in range(0, max(len(text) - 4, 0), 4 * PHRASE_STEP):
            q = text[i:i + 4]
            if all("\u4e00" <= c <= "\u9fff" for c in q):
                queries.append(("phrase", q))
        for kind, printed in queries:
            q = t2s.convert(printed)
            r = subprocess.run([a.gazette, "search", "--archive", str(arc), "--json", "--limit", "50", q],
                               capture_output=True, text=True)
            hits = json.loads(r.stdout or "{}").get("hits", [])
            # The document among the hits: its title begins as expected
            # (a title read with a character wrong, or with its 文号 run
            # into it, is segmentation's fault, not search's).
            ok = any(cer(d["title"][:8], h.get("title", "")[:8], strict=True)[0] <= 1 for h in hits)
            found += ok
            total += 1
            # Read as printed somewhere in the issue's OCR text: a miss then
            # is the search's (folding), not the recogniser's.
            if "".join(printed.split()) in read:
                read_found += ok
                read_total += 1
            if not ok and a.verbose:
                print(f"    not found: {kind} {q} (printed {printed}, {'read' if printed in read else 'misread'})")
    return found, total, read_found, read_total


def run_split(a, work, split, docs_all):
    print(f"\n== {'validation documents (every third corpus document; looked at while tuning)' if split == 'held' else 'tuning documents'} ==")
    print(f"{'set':24} {'pages':>5} {'vertical':>9} {'script ok v h':>13} {'CER vert':>9} {'CER horiz':>9} {'ratio':>6} {'recall':>8} {'of read':>8}")
    k = 0
    for name, (opts, font, fmt, seed) in list(VERTICAL.items()) + list(NEGATIVE.items()):
        docs = [docs_all[(2 * k + j) % len(docs_all)] for j in range(2)]
        k += 1
        if a.sets and name not in a.sets:
            continue
        seed += a.seed_offset
        negative = name in NEGATIVE
        variants = [("h", opts)] if negative else [("v", opts + ["--vertical"]), ("h", opts)]
        row = {}
        for tag, o in variants:
            out = work / split / f"{name}-{tag}"
            if not (out / "manifest.json").exists():
                try:
                    render(out, docs, o, font, fmt, seed, 3 + k)
                except subprocess.CalledProcessError as e:
                    print(f"  {name}-{tag}: not rendered: {e.stderr.decode()[-200:]}")
                    continue
            m = json.loads((out / "manifest.json").read_text())
            inp = out / "issue.pdf" if fmt.startswith("pdf") else out
            trad = "--traditional" in o
            pages = ocr(a, inp)
            e, n = pooled_cer(m, out, pages)
            row[tag] = {
                "pages": len(pages),
                "vertical": sum(is_vertical(p) for p in pages),
                "script": sum(page_script("".join(l["text"] for l in p.get("lines", [])))
                              == ("traditional" if trad else "simplified") for p in pages),
                "cer": e / max(n, 1),
            }
            if tag == "v" and trad:
                read = "".join("".join(l["text"].split()) for p in pages for l in p.get("lines", []))
                row[tag]["recall"] = recall(a, out, m, work / split / f"{name}-{tag}-work", read)
        v, h = row.get("v"), row.get("h")
        main = v or h
        if main is None:
            continue
        rec = main.get("recall")
        print(f"{name:24} {main['pages']:>5} {main['vertical']:>4}/{main['pages']:<4} "
              f"{str(main['script']) + '/' + str(main['pages']) + (' ' + str(h['script']) + '/' + str(h['pages']) if v and h else ''):>13} "
              f"{100 * v['cer'] if v else float('nan'):>8.2f}% {100 * h['cer'] if h else float('nan'):>8.2f}% "
              f"{(v['cer'] / max(h['cer'], 1e-9)) if v and h else float('nan'):>6.2f} "
              f"{(str(rec[0]) + '/' + str(rec[1])) if rec else '-':>8} "
              f"{(str(rec[2]) + '/' + str(rec[3])) if rec else '-':>8}"
              + (f"   (horizontal twin read as vertical: {h['vertical']}/{h['pages']})" if v and h and h["vertical"] else ""),
              flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--split", default="both", choices=["tune", "held", "both"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--sets", nargs="*", help="only these sets (default: all)")
    ap.add_argument("--seed-offset", type=int, default=0,
                    help="added to every set's seed: the same documents with fresh damage")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-vert-"))
    work.mkdir(parents=True, exist_ok=True)
    for split in (["tune", "held"] if a.split == "both" else [a.split]):
        run_split(a, work, split, TUNE if split == "tune" else HELD)


if __name__ == "__main__":
    main()
