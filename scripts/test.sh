#!/usr/bin/env bash
# The tests: installs what is needed, checks formatting and lints, runs every
# test of the workspace, then the IIIF validator against the service.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# What only the tests need: xmllint (ALTO against its schema), chromium and
# chromedriver (the browser test), curl.
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for p in libxml2-utils chromium chromium-driver curl; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
export PATH="$HOME/.cargo/bin:$PATH"
# Tesseract's OpenMP threads fight the test threads; the binary sets this
# itself, the test harness needs it from outside.
export OMP_THREAD_LIMIT=1
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The official IIIF Image API validator against the running service.
bash scripts/iiif_validate.sh
