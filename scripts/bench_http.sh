#!/usr/bin/env bash
# Load test of `gazette serve` on loopback with wrk (64 connections, 2
# threads): the trivial /healthz handler (the physical limit), a search, a
# document, and a 1024-px IIIF image, side by side in one run; then the
# server's memory over a 60-s search run.
#
# Needs the 100,000-document archive of `cargo bench --bench archive`
# (target/bench-archive-100k) and the demo archive (target/demo-archive,
# from scripts/demo.sh) for page images.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
big=target/bench-archive-100k
pages=target/demo-archive
[ -f "$big/BUILT" ] && [ -f target/search-queries.txt ] || { echo "build $big and the load queries first: cargo bench --bench archive"; exit 1; }
[ -f "$pages/FORMAT" ] || { echo "build $pages first: scripts/demo.sh"; exit 1; }
cargo build --release -q
bin=./target/release/gazette
# Everything measured below is printed and then recorded in MEASURED.md
# (section http).
measure() {
$bin serve --archive "$big" --addr 127.0.0.1:18080 2>/dev/null & a=$!
$bin serve --archive "$pages" --addr 127.0.0.1:18081 2>/dev/null & b=$!
trap 'kill $a $b 2>/dev/null' EXIT
sleep 2
q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("政务公开"))')
run() {
  echo "== $1"
  wrk -t2 -c64 -d"${DURATION:-15s}" --latency "$2" | grep -E "Requests/sec|^ +(50|99)%"
}
run "trivial handler /healthz" "http://127.0.0.1:18080/healthz"
run "search /api/search?q=政务公开 (cached after the first)" "http://127.0.0.1:18080/api/search?q=$q"
echo "== search, 2000 different queries on random pages (uncached)"
wrk -t2 -c64 -d"${DURATION:-15s}" --latency -s scripts/search_random.lua http://127.0.0.1:18080 | grep -E "Requests/sec|^ +(50|99)%"
run "document /api/documents/{id} (rendered once)" "http://127.0.0.1:18080/api/documents/yn-2017-05-04"
run "IIIF 1024-px image (cached after the first)" "http://127.0.0.1:18081/iiif/yn-2017-05-p02/full/1024,/0/default.jpg"
echo "== IIIF 1024-px image of random regions (uncached)"
wrk -t2 -c64 -d"${DURATION:-15s}" --latency -s scripts/iiif_random.lua http://127.0.0.1:18081 | grep -E "Requests/sec|^ +(50|99)%"
echo "== memory over 60 s of searches (RSS, kB)"
echo "before: $(ps -o rss= -p $a)"
DURATION=60s run "search, 60 s" "http://127.0.0.1:18080/api/search?q=$q" >/dev/null
echo "after:  $(ps -o rss= -p $a)"
}
measure | tee target/bench-http.txt
python3 scripts/measured.py http < target/bench-http.txt
