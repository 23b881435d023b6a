#!/usr/bin/env python3
"""The legal layer on the 31 real texts of ../shared/corpus, each rendered
as a born-digital issue, ingested and read back through the API:

- articles found against articles printed (the source's paragraphs that
  begin 第X条, counted from the source text, not by our parser);
- 施行日期 found against present, and right: the truth is written by hand
  below (TRUTH), read from each text's sentences.

Split: the article figures are on texts the article parser was not tuned
on; the 施行 figures are validation (the corpus's 施行 sentences were read
and two forms added after, 2026-12-07).

`--split test` runs the frozen test split instead (eval/legal-test: eleven
real regulations never used in development, truth in its TRUTH.json):
施行 and 有效期 found against the truth, and repeal targets read. Run it
once per release; never fix what it shows (eval/legal-test/README.md).

    cargo build --release && python3 scripts/eval_legal.py | tee target/eval-legal.txt
    python3 scripts/measured.py eval-legal < target/eval-legal.txt
    python3 scripts/eval_legal.py --split test | tee target/eval-legal-test.txt"""
import json, re, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = ROOT / "target/release/gazette"

# 施行 as each text states it: a date, "own" (on its own date: 自发布之日起),
# or absent (no sentence gives a day: 经…批准发布施行, or none at all).
TRUTH = {
    "1958-mot-mof-sailing-vessels.txt": "1958-07-01",
    "1979-gwy-aquatic-resources.txt": "own",
    "1980-sec-archives.txt": "own",
    "1988-gl-20.txt": "own",
    "1999-henan-collective-contracts.txt": "1999-12-01",
    "1999-yjjl-10.txt": "2000-01-01",
    "2009-spc-spp-charges-4.txt": "2009-10-16",
    "2012-yfb-3.txt": "2012-02-01",
    "2015-zhejiang-oath.txt": "2016-01-01",
    "2017-beijing-envtax-decision.txt": "2018-01-01",
    "2018-gf-41.txt": "2019-01-01",
    "2018-gl-706.txt": "2019-03-01",
    "2018-jiaxing-rental.txt": "2018-08-01",
}
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇两0-9０-９]+条")


def run(*args):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True)


def get(url):
    return json.loads(urllib.request.urlopen(url, timeout=60).read())


def main():
    if not BIN.is_file():
        sys.exit("build the release binary first: cargo build --release")
    test = sys.argv[1:] == ["--split", "test"]
    if not test and sys.argv[1:]:
        sys.exit("usage: eval_legal.py [--split test]")
    corpus = ROOT / "eval/legal-test" if test else CORPUS
    truth = json.loads((corpus / "TRUTH.json").read_text()) if test else None
    texts = sorted(corpus.glob("*.txt"))
    # The test split is rendered with seeds no other run uses.
    seed0 = 500 if test else 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n, t in enumerate(texts, 1):
            run(sys.executable, ROOT.parent / "shared/tools/render_gazette.py", "--out", tmp / f"i{n:02}",
                "--year", 2000, "--issue", n, "--format", "pdf-text", "--font", "uming",
                "--title-font", "uming", "--no-contents", "--seed", seed0 + n, t)
        arc = tmp / "archive"
        run(BIN, "ingest", "--archive", arc, *sorted(tmp.glob("i*")))
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        server = subprocess.Popen([BIN, "serve", "--archive", arc, "--addr", f"127.0.0.1:{port}"],
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    get(base + "/healthz")
                    break
                except Exception:
                    time.sleep(0.1)
            docs = {}
            for i in get(base + "/api/issues")["issues"]:
                for d in get(base + "/api/issues/" + i["id"])["documents"]:
                    j = get(base + "/api/documents/" + d["id"])
                    docs[j["title"]] = j
            for t in texts:
                lines = t.read_text().split("\n")
                title = lines[0].strip()
                header = dict(l.split(": ", 1) for l in lines[1:6] if ": " in l)
                body = lines[lines.index("") + 1:] if "" in lines else []
                printed = sum(1 for l in body if ARTICLE.match(l.strip()))
                j = docs.get(title)
                found = sum(1 for a in j["articles"] if a["kind"] == "article") if j else None
                if test:
                    rows.append((t.name, truth[t.name], j))
                    continue
                want = TRUTH.get(t.name)
                if want == "own":
                    d = header.get("date", "")
                    m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", d)
                    want = f"{m[1]}-{int(m[2]):02}-{int(m[3]):02}" if m else None
                got = j["validity"]["effective_from"] if j else None
                rows.append((t.name, printed, found, want, got, j is not None))
        finally:
            server.terminate()
            server.wait()
    if test:
        return report_test(rows)
    print(f"{'text':<42} {'条 printed':>10} {'found':>6}  {'施行 (truth)':<12} {'found':<12}")
    for name, printed, found, want, got, seen in rows:
        mark = "" if seen else "  (document not found by title)"
        print(f"{name:<42} {printed:>10} {str(found):>6}  {str(want):<12} {str(got):<12}{mark}")
    art_printed = sum(r[1] for r in rows)
    art_found_right = sum(min(r[1], r[2] or 0) for r in rows if r[2] is not None)
    art_extra = sum(max(0, (r[2] or 0) - r[1]) for r in rows)
    docs_exact = sum(1 for r in rows if r[2] == r[1])
    present = [r for r in rows if r[3]]
    right = sum(1 for r in present if r[4] == r[3])
    wrong = sum(1 for r in rows if r[4] and r[4] != r[3])
    print()
    print(f"articles (held-back for the parser): {art_found_right} of {art_printed} printed found, "
          f"{art_extra} extra; {docs_exact} of {len(rows)} texts exact")
    print(f"施行日期 (validation): {right} of {len(present)} present found right; "
          f"{wrong} given where the truth differs or has none; {len(rows) - len(present)} texts state none")


def report_test(rows):
    """The test split's table and totals: 施行 and 有效期 against the truth
    (a date given where the truth has none counts as wrong), and targets
    read (resolved or not) against those named."""
    print(f"{'text':<30} {'施行 truth':<11} {'found':<11} {'有效期 truth':<11} {'found':<11} {'targets':>7} {'read':>5}")
    right = wrong = exp_right = exp_wrong = t_named = t_read = missing = 0
    for name, want, j in rows:
        if j is None:
            missing += 1
            print(f"{name:<30} (document not found by title)")
            continue
        v = j["validity"]
        got, exp = v["effective_from"], v["expires"]
        read = len(v["acts_on"]) + len(v["unresolved"])
        right += got == want["effective_from"]
        wrong += got is not None and got != want["effective_from"]
        exp_right += exp == want["expires"]
        exp_wrong += exp is not None and exp != want["expires"]
        t_named += want["targets"]
        t_read += min(read, want["targets"])
        print(f"{name:<30} {str(want['effective_from']):<11} {str(got):<11} "
              f"{str(want['expires']):<11} {str(exp):<11} {want['targets']:>7} {read:>5}")
    n = len(rows)
    print()
    print(f"施行日期 (legal-test split): {right} of {n} right, {wrong} wrong dates given, {missing} documents not found")
    print(f"有效期 (legal-test split): {exp_right} of {n} right, {exp_wrong} terms given where the truth differs or has none")
    print(f"repeal targets (legal-test split): {t_read} of {t_named} named read")


if __name__ == "__main__":
    main()
