#!/usr/bin/env python3
"""The living archive's costs, in one run on this machine:

- pack: issues read into BagIt packages (born-digital issues rendered from
  the corpus, so reading is not what is measured), issues/s;
- import into a served archive: packages stored through its control
  socket, packages/s and pages/s;
- the service's latency (p50/p99 over a fixed request mix, two clients on
  loopback) while idle, then while those packages are imported.

    cargo build --release && python3 scripts/bench_live.py | tee target/bench-live.txt
    python3 scripts/measured.py bench-live < target/bench-live.txt

Needs the renderer's Python packages and fonts (make eval-deps)."""
import json, os, random, socket, statistics, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BIN = ROOT / "target/release/gazette"
ISSUES = 24  # packages imported while served
CLIENTS = 2
IDLE_SECONDS = 10


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kw)


def render(out: Path, corpus: list, n: int):
    """n born-digital issues of year 2019, three corpus texts each."""
    rnd = random.Random(7)
    for i in range(1, n + 1):
        docs = rnd.sample(corpus, 3)
        d = out / f"yn-2019-{i:02}"
        run(sys.executable, SHARED / "tools/render_gazette.py", "--out", d, "--year", 2019,
            "--issue", i, "--format", "pdf-text", "--font", "uming", "--title-font", "uming",
            "--seed", i, *docs)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def get(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
        status = r.status
    return time.perf_counter() - t, status


def load(base, urls, stop, out, errors):
    rnd = random.Random()
    while not stop.is_set():
        u = rnd.choice(urls)
        try:
            dt, status = get(base + u)
            out.append(dt)
            if status != 200:
                errors.append(f"{u}: {status}")
        except Exception as e:  # a failed request is the finding
            errors.append(f"{u}: {e}")


def measure(base, urls, during=None, seconds=IDLE_SECONDS):
    stop, lat, errors = threading.Event(), [], []
    ts = [threading.Thread(target=load, args=(base, urls, stop, lat, errors)) for _ in range(CLIENTS)]
    for t in ts:
        t.start()
    t0 = time.perf_counter()
    result = during() if during else time.sleep(seconds)
    elapsed = time.perf_counter() - t0
    stop.set()
    for t in ts:
        t.join()
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    return {"requests": len(lat), "p50": q(0.5), "p99": q(0.99), "errors": errors,
            "seconds": elapsed, "result": result}


def main():
    if not BIN.is_file():
        sys.exit("build the release binary first: cargo build --release")
    corpus = sorted(str(p) for p in (SHARED / "corpus").glob("*.txt"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        render(tmp / "issues", corpus, ISSUES + 1)
        base_issue = tmp / "issues" / "yn-2019-01"
        rest = tmp / "rest"
        rest.mkdir()
        for d in sorted((tmp / "issues").iterdir()):
            if d != base_issue:
                d.rename(rest / d.name)
        t = time.perf_counter()
        run(BIN, "pack", "--out", tmp / "bags", rest, env=env)
        pack_s = time.perf_counter() - t
        bags = sorted((tmp / "bags").iterdir())
        pages = sum(len(json.loads((b / "data/issue.json").read_text())["pages"]) for b in bags)
        arc = tmp / "archive"
        run(BIN, "ingest", "--archive", arc, base_issue, env=env)
        port = free_port()
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
            doc = json.loads(urllib.request.urlopen(base + "/api/issues/yn-2019-01").read())["documents"][0]["id"]
            q = urllib.parse.quote("人民政府")
            urls = ["/api/issues", f"/api/search?q={q}", f"/api/documents/{doc}",
                    f"/documents/{doc}", "/api/issues/yn-2019-01", f"/search?q={q}"]
            idle = measure(base, urls)
            imported = lambda: run(BIN, "import", "--archive", arc, tmp / "bags", env=env).stderr.strip().splitlines()[-1]
            busy = measure(base, urls, during=imported)
            listed = len(json.loads(urllib.request.urlopen(base + "/api/issues").read())["issues"])
        finally:
            server.terminate()
            server.wait()
    print(f"pack: {len(bags)} born-digital issues ({pages} pages) in {pack_s:.1f} s: "
          f"{len(bags) / pack_s:.2f} issues/s")
    print(f"import into the served archive: {busy['result']}; {len(bags)} packages in "
          f"{busy['seconds']:.2f} s: {len(bags) / busy['seconds']:.1f} packages/s, "
          f"{pages / busy['seconds']:.0f} pages/s; {listed} issues listed after")
    print(f"{'service, ' + str(CLIENTS) + ' clients':<34} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}")
    for name, m in [("idle", idle), ("during the import", busy)]:
        print(f"{name:<34} {m['requests']:>8} {m['p50']:>8.1f} {m['p99']:>8.1f} {len(m['errors']):>7}")
    for e in (idle["errors"] + busy["errors"])[:5]:
        print("failed:", e)


if __name__ == "__main__":
    main()
