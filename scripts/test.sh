#!/usr/bin/env bash
# The tests: installs what is needed, checks formatting and lints, runs every
# test of the workspace, then the IIIF Image validator, the IIIF Presentation
# checks and schemathesis against the service.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# What only the tests need: xmllint (ALTO against its schema), chromium and
# chromedriver (the browser tests), curl, npm (Mirador for the browser test).
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for p in libxml2-utils chromium chromium-driver curl; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
export PATH="$HOME/.cargo/bin:$PATH"
# Tesseract's OpenMP threads fight the test threads; the binary sets this
# itself, the test harness needs it from outside.
export OMP_THREAD_LIMIT=1
# Mirador, pinned by tests/mirador/package-lock.json, served by the browser
# test to open our manifests.
[ -f tests/mirador/node_modules/mirador/dist/mirador.min.js ] ||
  npm ci --prefix tests/mirador --no-audit --no-fund --loglevel=error
# The BagIt validator (the Library of Congress's bagit-python) that checks
# our issue packages, and the Kubernetes schemas deploy/kubernetes is
# validated against: in a venv of their own, first on the PATH of the tests.
venv=target/test-venv
# Sickle (an OAI-PMH client library) harvests /oai and feedparser reads
# /feed.atom, as other libraries' software would.
if ! "$venv/bin/python3" -c "import bagit, sickle, feedparser" 2>/dev/null || [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install -q "bagit==1.9.0" "kubernetes-validate==1.37.0" "sickle==0.7.0" "feedparser==6.0.11"
fi
export PATH="$PWD/$venv/bin:$PATH"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The official IIIF Image API validator against the running service.
bash scripts/iiif_validate.sh
# IIIF Presentation and Content Search answers, and the OpenAPI contract
# fuzzed by schemathesis.
bash scripts/api_check.sh
