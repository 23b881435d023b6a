#!/usr/bin/env python3
"""Replaces one section of MEASURED.md with the text on standard input,
headed by today's date and the machine's core count:

    python3 scripts/eval_ocr.py | tee target/eval-ocr.txt
    python3 scripts/measured.py eval-ocr < target/eval-ocr.txt

A section is the text between `<!-- begin NAME -->` and `<!-- end NAME -->`;
an unknown NAME is an error, so a typo never writes a section nobody reads."""
import datetime, os, sys
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "MEASURED.md"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    name = sys.argv[1]
    text = FILE.read_text()
    begin, end = f"<!-- begin {name} -->\n", f"<!-- end {name} -->"
    if begin not in text or end not in text:
        sys.exit(f"MEASURED.md has no section {name!r}")
    body = sys.stdin.read().rstrip()
    head = f"Run of {datetime.date.today().isoformat()}, {os.cpu_count()} cores, as the command printed it:"
    new = f"{head}\n\n```\n{body}\n```\n"
    i = text.index(begin) + len(begin)
    FILE.write_text(text[:i] + new + text[text.index(end, i):])
    print(f"MEASURED.md: section {name} updated", file=sys.stderr)


if __name__ == "__main__":
    main()
