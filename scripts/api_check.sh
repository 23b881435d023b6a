#!/usr/bin/env bash
# The service's contracts, against a running `gazette serve` over the
# bundled 24-page issue (tests/data/corpus-issue):
# - IIIF Presentation 3.0: every collection, manifest and annotation page
#   reached from the top collection loads in the iiif-prezi3 model and
#   passes the specification's rules (scripts/iiif_presentation_check.py),
#   and both Content Search versions find a phrase on the manifest's canvases;
# - the OpenAPI document: schemathesis `run --checks all` (fixed seed,
#   bounded examples) finds no failure.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/api-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5" "iiif-prezi3==3.1.1"
fi
cargo build -q
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
./target/debug/gazette ingest --archive "$tmp/archive" tests/data/corpus-issue/issue.pdf 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./target/debug/gazette serve --archive "$tmp/archive" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
"$venv/bin/python" scripts/iiif_presentation_check.py "http://127.0.0.1:$port" 政务公开
out=$("$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all --max-examples 50 --seed 1 --no-color 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E "generated|passed in" | tail -2
