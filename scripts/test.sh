#!/usr/bin/env bash
# The tests: installs what is needed, checks formatting and lints, runs every
# test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Tesseract's OpenMP threads fight the test threads; the binary sets this
# itself, the test harness needs it from outside.
export OMP_THREAD_LIMIT=1
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
