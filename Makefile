# gazette: the two commands of README.md, and the measurements.
#   make demo   install what is needed, build, OCR the bundled sample issue
#   make test   install what is needed, check formatting and lints, run every test
#   make eval   OCR fidelity and throughput against bare Tesseract, segmentation quality, PDF structures, hard print beside PP-OCRv4 (scripts/)
#   make bench  benchmarks: decoding, preprocessing, segmentation, archive

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EVAL_APT := python3-pip fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai \
	fonts-arphic-gbsn00lp fonts-wqy-zenhei fonts-lxgw-wenkai
# Tesseract's OpenMP threads fight our worker threads; the binary sets this
# itself, the test harness needs it from outside.
export OMP_THREAD_LIMIT := 1
# Where rustup puts cargo, for a machine that had none before `make deps`.
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: deps eval-deps build demo test eval bench clean

deps:
	bash scripts/setup.sh

build: deps
	cargo build --release

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

eval-deps: deps
	@missing=$$(for p in $(EVAL_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	python3 -c "import PIL, numpy, reportlab, img2pdf, rapidfuzz, rapidocr_onnxruntime, opencc_purepy" 2>/dev/null || \
		python3 -m pip install -q pillow numpy reportlab img2pdf rapidfuzz rapidocr-onnxruntime==1.4.4 opencc-purepy

# Each measurement is printed and recorded in its section of MEASURED.md.
eval: eval-deps build
	mkdir -p target
	set -o pipefail; python3 scripts/eval_ocr.py | tee target/eval-ocr.txt
	python3 scripts/measured.py eval-ocr < target/eval-ocr.txt
	set -o pipefail; python3 scripts/eval_segment.py | tee target/eval-segment.txt
	python3 scripts/measured.py eval-segment < target/eval-segment.txt
	set -o pipefail; python3 scripts/eval_pdf.py | tee target/eval-pdf.txt
	python3 scripts/measured.py eval-pdf < target/eval-pdf.txt
	set -o pipefail; python3 scripts/eval_print.py | tee target/eval-print.txt
	python3 scripts/measured.py eval-print < target/eval-print.txt
	set -o pipefail; python3 scripts/calibrate.py | tee target/calibrate.txt
	python3 scripts/measured.py calibrate < target/calibrate.txt
	set -o pipefail; python3 scripts/eval_vertical.py | tee target/eval-vertical.txt
	python3 scripts/measured.py eval-vertical < target/eval-vertical.txt
	set -o pipefail; python3 scripts/eval_mixed.py | tee target/eval-mixed.txt
	python3 scripts/measured.py eval-mixed < target/eval-mixed.txt

bench: deps
	mkdir -p target
	set -o pipefail; cargo bench --bench ocr --bench segment --bench archive 2>&1 | tee target/bench.txt
	grep -vE '^(\s*(Compiling|Finished|Running|Gnuplot|Benchmarking))' target/bench.txt | python3 scripts/measured.py bench

clean:
	cargo clean
