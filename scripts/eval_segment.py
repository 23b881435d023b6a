#!/usr/bin/env python3
"""Segmentation quality of `gazette segment` against the renderer's manifest.

Renders issues of three corpus documents each across layouts (gazette pages,
documents as issued with and without seals, two columns, spreads, vertical
traditional), fonts, damage levels and formats, twice over: once from the
tuning documents and once from the held-back ones (every third corpus
document by sorted name, index % 3 == 2, never looked at while developing
segmentation). For each split it reports:
- document boundaries: precision, recall, F1 (found = same start page and
  title within 10% CER);
- exact match of each field over the expected documents: 文号, issuer (the
  signature as printed, issuers joined by an ideographic space), date (as
  ISO: the renderer prints the date in the document's own numerals), attribute,
  start and end page;
- fields filled with a value of the wrong shape (a 文号 that does not parse,
  an issuer that is not an organ's name, a date that is no date): the
  target is none;
- strict CER of each document's text against the manifest's, per layout.

usage: scripts/eval_segment.py [--gazette target/release/gazette] [--work DIR]
                               [--split tune|held|both] [--sets NAME,...] [--offset N]
`--offset N` deals each set the documents N further on (and seeds its damage
N further): the same held-back documents in layouts and damage nobody has
looked at them in.
"""
import argparse, json, re, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import CORPUS, ROOT, SHARED, cer  # noqa: E402

HELD = [d for i, d in enumerate(CORPUS) if i % 3 == 2]
TUNE = [d for i, d in enumerate(CORPUS) if i % 3 != 2]

# name: (renderer options, font, title font, format, seed)
SETS = {
    "serif-png": (["--degrade", "none"], "serif", "serif-bold", "png", 21),
    "uming-g4": (["--degrade", "none"], "uming", "wenkai-bold", "tiff-g4", 22),
    "gbsn-jpeg-light": (["--degrade", "light"], "gbsn", "sans-bold", "jpeg", 23),
    "zenhei-scan-light": (["--degrade", "light"], "zenhei", "zenhei", "pdf-scan", 24),
    "sans-png-heavy": (["--degrade", "heavy"], "sans", "sans-bold", "png", 25),
    "born-digital": (["--degrade", "none"], "gbsn", "wenkai-bold", "pdf-text", 1),
    "redhead": (["--layout", "redhead", "--degrade", "light"], "serif", "serif-bold", "png", 31),
    "redhead-seal": (["--layout", "redhead", "--seal", "--colour", "--degrade", "light"], "gbsn", "sans-bold", "jpeg", 32),
    "redhead-text": (["--layout", "redhead", "--seal", "--no-contents"], "uming", "uming", "pdf-text", 33),
    "two-columns": (["--two-columns", "--degrade", "light"], "serif", "serif-bold", "png", 41),
    "spread": (["--spread", "--degrade", "light"], "gbsn", "sans-bold", "png", 51),
    "vertical-traditional": (["--vertical", "--traditional"], "uming", "uming", "png", 61),
}
FIELDS = ["doc_number", "issuer", "date", "attribute", "start_page", "end_page"]

ORGAN_END = re.compile(r"(政府|办公厅|办公室|委员会|常委会|人民代表大会|军委|中央|院|部|局|厅|署|委|会|办|室|办事处|研究所|中心|银行|社|团|公司|集团|总队|政协|党委|党组|省|市|县|区)$")
DOC_NUMBER = re.compile(r"^\S{1,12}〔\d{4}〕\d{1,4}号$|^\S{0,8}第\d{1,4}号$")


def date_iso(s):
    """The ISO form of a date in Arabic or Chinese numerals, or None."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    digits.update({"零": 0, "○": 0})

    def small(x):
        if x.isdigit():
            return int(x)
        if x == "十":
            return 10
        if len(x) == 2 and x[0] == "十":
            return 10 + digits.get(x[1], -100)
        if len(x) == 2 and x[1] == "十":
            return 10 * digits.get(x[0], -100)
        if len(x) == 3 and x[1] == "十":
            return 10 * digits.get(x[0], -100) + digits.get(x[2], -100)
        if len(x) == 1:
            return digits.get(x, -100)
        return -1

    m = re.fullmatch(r"(.{4})年(.{1,3})月(.{1,3})日", s or "")
    if not m:
        return None
    y = m.group(1)
    year = int(y) if y.isdigit() else (sum(digits.get(c, -10000) * 10 ** (3 - i) for i, c in enumerate(y)))
    mo, d = small(m.group(2)), small(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{mo:02d}-{d:02d}"


def simplified(s):
    """Traditional characters as simplified (OpenCC t2s), so the shape checks
    hold for both scripts; as is without opencc-purepy."""
    try:
        from opencc_purepy import OpenCC
    except ImportError:
        return s
    return OpenCC("t2s").convert(s)


def wrong_shape(o):
    """The fields of a segmented document filled with a value of another kind."""
    bad = []
    if o.get("doc_number") and not DOC_NUMBER.match(simplified(o["doc_number"])):
        bad.append("doc_number")
    for i in (o.get("issuers") or ([o["issuer"]] if o.get("issuer") else [])):
        if re.search(r"[0-9０-９]", i) or not ORGAN_END.search(simplified(i)):
            bad.append("issuer")
    if o.get("date") and not date_iso(o["date"]):
        bad.append("date")
    return bad


def render(out, docs, opts, font, tfont, fmt, seed, issue):
    subprocess.run([sys.executable, str(SHARED / "tools/render_gazette.py"), *map(str, docs), "--out", str(out),
                    "--font", font, "--title-font", tfont, "--format", fmt, "--seed", str(seed),
                    "--issue", str(issue), *opts], check=True, capture_output=True)


def expected(d, f):
    v = d.get(f)
    if f == "date":
        return date_iso(v) if v else ""
    if v is None:
        return None if f in ("start_page", "end_page") else ""
    return v


def got_value(o, f):
    if f == "date":
        return o.get("date_iso") or ""
    return o.get(f)


def run_split(a, work, split, docs_all, names):
    tp = fp = fn = 0
    match, text_cer, shape = {}, {}, []
    for k, name in enumerate(names):
        opts, font, tfont, fmt, seed = SETS[name]
        # Three documents per issue, a different three for each set.
        docs = [docs_all[(3 * k + j + a.offset) % len(docs_all)] for j in range(3)]
        if name == "born-digital":
            docs = docs_all
        out = work / split / name
        if not (out / "manifest.json").exists():
            try:
                render(out, docs, opts, font, tfont, fmt, seed + a.offset, 3 + k)
            except subprocess.CalledProcessError as e:
                print(f"  {split}/{name}: not rendered: {e.stderr.decode()[-200:]}")
                continue
        m = json.loads((out / "manifest.json").read_text())
        inp = out / "issue.pdf" if fmt.startswith("pdf") else out
        seg = subprocess.run([a.gazette, "segment", "--jobs", "2", str(inp)], capture_output=True, text=True)
        got = [json.loads(l) for l in seg.stdout.splitlines() if l.strip()]
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
                print(f"  {split}/{name}: missed {d['title'][:24]} (p{d['start_page']})")
                for f in FIELDS:
                    match.setdefault(f, [0, 0])[1] += 1
                continue
            used.add(hit)
            tp += 1
            o = got[hit]
            for f in FIELDS:
                mm = match.setdefault(f, [0, 0])
                mm[1] += 1
                want, have = expected(d, f), got_value(o, f)
                ok = have == want
                mm[0] += ok
                if not ok:
                    print(f"  {split}/{name}: {d['title'][:16]} {f}: got {have!r} want {want!r}")
            te, tn = cer(d["text"], o["text"], strict=True)
            tc = text_cer.setdefault(name, [0, 0])
            tc[0] += te
            tc[1] += tn
        for i, o in enumerate(got):
            bad = wrong_shape(o)
            if bad:
                shape.append((name, o["title"][:16], bad))
                print(f"  {split}/{name}: WRONG SHAPE {bad} in {o['title'][:16]}: "
                      + ", ".join(f"{f}={o.get(f)!r}" for f in set(bad)))
            if i not in used:
                fp += 1
                print(f"  {split}/{name}: extra {o['title'][:24]} (p{o['start_page']})")
        print(f"{split}/{name}: {len(got)} found, {len(m['documents'])} expected", flush=True)
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    label = "validation documents (every third corpus document; looked at while tuning)" if split == "held" else "tuning documents"
    print(f"\n== {label}: {len(names)} issues ==")
    print(f"Boundaries: precision {prec:.3f} recall {rec:.3f} F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}"
          f" ({tp} found, {fp} extra, {fn} missed)")
    print("Fields exact: " + ", ".join(f"{f} {100 * match[f][0] / max(match[f][1], 1):.1f}%"
                                      for f in FIELDS if f in match))
    print(f"Fields of the wrong shape: {len(shape)}")
    print("Text strict CER by set: " + ", ".join(f"{n} {100 * t[0] / max(t[1], 1):.2f}%" for n, t in text_cer.items()))
    print(flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--split", default="both", choices=["tune", "held", "both"])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--offset", type=int, default=0,
                    help="deal each set other documents (and fresh damage): a check on pairings nobody looked at")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="gazette-seg-"))
    work.mkdir(parents=True, exist_ok=True)
    names = [n for n in a.sets.split(",") if n]
    for split in (["tune", "held"] if a.split == "both" else [a.split]):
        run_split(a, work, split, TUNE if split == "tune" else HELD, names)


if __name__ == "__main__":
    main()
