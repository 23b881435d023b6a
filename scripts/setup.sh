#!/usr/bin/env bash
# Installs what building and testing gazette needs on Debian: Tesseract with
# the chi_sim model, the headers its Rust bindings build against, a C
# toolchain, poppler's pdftoppm (page images of born-digital PDFs), Rust
# (through rustup) when cargo is missing, and the second recogniser
# (PP-OCRv4 and ONNX Runtime, from PyPI: scripts/fetch_models.sh).
# chi_tra reads pages printed in traditional characters (the 1950s).
set -euo pipefail
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
packages=(build-essential make curl ca-certificates pkg-config clang libclang-dev
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra libtesseract-dev libleptonica-dev poppler-utils unzip)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! command -v cargo >/dev/null && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  echo "installing the Rust toolchain (rustup)"
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
fi
bash "$(dirname "$0")/fetch_models.sh"
