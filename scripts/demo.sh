#!/usr/bin/env bash
# The demo: installs what is needed, builds, ingests the bundled sample
# issue (an 8-page CCITT G4 scan) into an archive, and shows and searches it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release
archive=target/demo-archive
./target/release/gazette ingest --archive "$archive" sample/yn-2017-05.tif
./target/release/gazette show --archive "$archive" yn-2017-05
./target/release/gazette search --archive "$archive" 政务公开
./target/release/gazette verify --archive "$archive"
