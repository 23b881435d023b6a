#!/usr/bin/env bash
# The demo: installs what is needed, builds, ingests the bundled sample
# issue (an 8-page CCITT G4 scan) into an archive and serves it on
# http://127.0.0.1:8080 (GAZETTE_ADDR to change) until interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release
archive=target/demo-archive
./target/release/gazette ingest --archive "$archive" sample/yn-2017-05.tif
./target/release/gazette verify --archive "$archive"
./target/release/gazette search --archive "$archive" --limit 3 政务公开
addr="${GAZETTE_ADDR:-127.0.0.1:8080}"
echo "open http://$addr/ (search, documents, page images); Ctrl-C to stop"
exec ./target/release/gazette serve --archive "$archive" --addr "$addr"
