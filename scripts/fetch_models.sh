#!/usr/bin/env bash
# Installs the second recogniser: PP-OCRv4's Chinese text-line recognition
# model (Apache-2.0, from the rapidocr-onnxruntime wheel, which carries its
# character list in the model's metadata) and the ONNX Runtime library that
# runs it (MIT, from the onnxruntime wheel; it needs only glibc and
# libstdc++). Neither has a Debian package, so both come from PyPI, pinned by
# URL and SHA-256. Installed into GAZETTE_MODELS (default
# ${XDG_DATA_HOME:-~/.local/share}/gazette/models), where `gazette` looks for
# them; without them it reads with Tesseract alone and says so once.
set -euo pipefail
dest="${GAZETTE_MODELS:-${XDG_DATA_HOME:-$HOME/.local/share}/gazette/models}"
model=ch_PP-OCRv4_rec_infer.onnx
lib=libonnxruntime.so.1.32.0
if [ -f "$dest/$model" ] && [ -f "$dest/$lib" ]; then exit 0; fi
case "$(uname -m)" in
  x86_64)
    ort_url=https://files.pythonhosted.org/packages/1d/46/e6f356c9539d2eed44126de3421a81e217da2ad91b22dc11b379cb1e384f/onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl
    ort_sha=5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d ;;
  *)
    echo "no pinned ONNX Runtime for $(uname -m): gazette will read with Tesseract alone" >&2
    exit 0 ;;
esac
rapid_url=https://files.pythonhosted.org/packages/ba/12/1e5497183bdbe782dbb91bad1d0d2297dba4d2831b2652657f7517bfc6df/rapidocr_onnxruntime-1.4.4-py3-none-any.whl
rapid_sha=971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf
command -v unzip >/dev/null || { echo "unzip is needed (apt install unzip)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching PP-OCRv4 recognition model and ONNX Runtime into $dest"
curl -sSfL -o "$tmp/rapid.whl" "$rapid_url"
curl -sSfL -o "$tmp/ort.whl" "$ort_url"
echo "$rapid_sha  $tmp/rapid.whl" | sha256sum -c --quiet
echo "$ort_sha  $tmp/ort.whl" | sha256sum -c --quiet
mkdir -p "$dest"
unzip -o -q -j "$tmp/rapid.whl" "rapidocr_onnxruntime/models/$model" -d "$dest"
unzip -o -q -j "$tmp/ort.whl" "onnxruntime/capi/$lib" onnxruntime/LICENSE -d "$dest"
mv "$dest/LICENSE" "$dest/LICENSE.onnxruntime"
cat > "$dest/NOTICE" <<NOTE
$model: PaddleOCR's PP-OCRv4 Chinese recognition model, Apache License 2.0,
  Copyright (c) PaddlePaddle Authors; as converted to ONNX and shipped in
  rapidocr-onnxruntime 1.4.4 (PyPI, sha256 $rapid_sha).
$lib: ONNX Runtime 1.32.0, MIT License (LICENSE.onnxruntime), Copyright (c)
  Microsoft Corporation; from onnxruntime 1.32.0 (PyPI, sha256 $ort_sha).
NOTE
