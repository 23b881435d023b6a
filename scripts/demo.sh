#!/usr/bin/env bash
# The demo: installs what is needed, builds, and OCRs the bundled sample
# issue (an 8-page CCITT G4 scan), printing it page by page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release
./target/release/gazette ocr sample/yn-2017-05.tif
