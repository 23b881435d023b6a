#!/usr/bin/env bash
# Runs the official IIIF Image API validator (iiif-validator from PyPI,
# version 3.0, level 1) against `gazette serve`, with the validator's test
# image ingested as a page of an archive and served under its file name.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${GAZETTE_SHARED:-../shared}"
image="$shared/schemas/iiif/67352ccc-d1b0-11e1-89ae-279075081939.png"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
# The validator identifies images with libmagic.
dpkg -s libmagic1 >/dev/null 2>&1 || {
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libmagic1 python3-venv
}
venv=target/iiif-venv
if [ ! -x "$venv/bin/iiif-validate.py" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q iiif-validator
fi
cargo build -q
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir "$tmp/scans"
cp "$image" "$tmp/scans/"
./target/debug/gazette ingest --archive "$tmp/archive" --code iiif --gazette "IIIF 测试图像" \
  --year 2000 --issue 1 "$tmp/scans" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./target/debug/gazette serve --archive "$tmp/archive" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
out=$("$venv/bin/iiif-validate.py" -s "127.0.0.1:$port" -p iiif \
  -i 67352ccc-d1b0-11e1-89ae-279075081939 --version=3.0 --level 1 2>&1) || { echo "$out"; exit 1; }
echo "$out" | tail -1
echo "$out" | grep -Eq "Done \(([2-9][0-9]) tests, 0 failures\)" || { echo "$out"; exit 1; }
