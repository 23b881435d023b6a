#!/usr/bin/env python3
"""Mixed pages (issue 14): a block of vertical columns beside horizontal text,
with exact truth. The shared renderer sets a page in one direction only; this
draws, with its fonts and helpers, pages of two kinds:

- `article`: a horizontal article (title across the page, its text in the
  left part) with a facsimile of a vertical document in the right part (its
  title and text in columns, right to left, the vertical punctuation forms
  where the font has them). Read left part, then right part.
- `notice`: a page of vertical columns (the right part, the wider) with a
  horizontal notice boxed in beside it on the left. Read right part, then
  left part (the page is a vertical one).

Both have a running head across the top (gazette, year, issue) and a folio
at the foot. truth/page-NNN.txt lists the printed lines in reading order:
head, title (article), the parts' lines (a column's characters as one line,
with horizontal punctuation), folio.

With --lead N, an article's first N lines run across the whole text width, at
the text's own line spacing, before the parts side by side.

usage: scripts/render_mixed.py --out DIR --docs A B [C D ...] [--kind article|notice] [--lead N]
         [--font uming] [--dpi 300] [--pt 12] [--traditional] [--degrade none|light|heavy]
         [--format png|tiff-g4] [--seed N] [--year 1953] [--issue 5] [--first-page 1]
Each pair of documents makes one page: the first horizontal, the second vertical.
"""
import argparse, os, random, sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalcommon import SHARED  # noqa: E402

sys.path.insert(0, str(SHARED / "tools"))
import render_gazette as rg  # noqa: E402

GUTTER_IN = 0.45  # between the two parts
PITCH = 1.75  # line and column pitch, in character sizes


def to_traditional(text):
    from opencc_purepy import OpenCC
    return OpenCC("s2t").convert(text)


def draw_rows(d, f, lines, x, y, pitch):
    for line in lines:
        d.text((x, y), line, font=f, fill=0)
        y += pitch
    return y


def draw_column(d, fname, px, x, y, text):
    """One character per em cell, top to bottom; vertical punctuation forms where the font has them."""
    f = rg.font(fname, px)
    for i, ch in enumerate(text):
        vf = rg.VERTICAL_FORMS.get(ch)
        glyph = vf if vf and rg.has_glyph(fname, vf) else ch
        d.text((x + (px - f.getlength(glyph)) / 2, y + i * px), glyph, font=f, fill=0)


def columns(doc, n_chars, n_cols):
    """The document's title and paragraphs cut into columns of n_chars (paragraphs indented two)."""
    out = [doc["title"][:n_chars]]
    for para in doc["body"]:
        text = "　　" + para
        while text and len(out) < n_cols:
            # Closing punctuation stays with the column before (as the renderer's wrap does).
            cut = n_chars
            while cut < len(text) and text[cut] in rg.NO_LINE_START:
                cut -= 1
            out.append(text[:cut])
            text = text[cut:]
        if len(out) >= n_cols:
            break
    return out[:n_cols]


def page(a, n, hdoc, vdoc, rng):
    dpi = a.dpi
    W, H = int(8.27 * dpi), int(11.69 * dpi)
    px, tpx = round(a.pt * dpi / 72), round(a.pt * 1.5 * dpi / 72)
    margin = int(0.85 * dpi)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    f, tf = rg.font(a.font, px), rg.font(a.font, tpx)
    truth = []
    head = f"{a.gazette}　{a.year}年第{a.issue}期"
    y = margin
    d.text(((W - f.getlength(head)) / 2, y), head, font=f, fill=0)
    truth.append(head)
    y += px + int(0.08 * dpi)
    d.line((margin, y, W - margin, y), fill=0, width=max(2, dpi // 100))
    y += int(0.35 * dpi)
    if a.kind == "article":
        title = hdoc["title"]
        d.text(((W - tf.getlength(title)) / 2, y), title, font=tf, fill=0)
        truth.append(title)
        y += tpx + int(0.35 * dpi)
    top, bottom = y, H - margin - int(0.5 * dpi)
    gutter = int(GUTTER_IN * dpi)
    text_w = W - 2 * margin
    hshare = 0.56 if a.kind == "article" else 0.36
    hw = int(text_w * hshare)
    # Horizontal part: left.
    pitch = int(px * PITCH)
    rows = []
    paras = hdoc["body"] if a.kind == "article" else [hdoc["title"], *hdoc["body"]]
    lead, carried = [], False
    if a.lead:
        # Lines across the whole text width first, at the text's own line
        # spacing (no wider gap before the parts side by side).
        while paras and len(lead) < a.lead:
            wrapped = rg.wrap(paras[0], f, text_w, indent=2 * px)
            take = wrapped[: a.lead - len(lead)]
            lead += take
            rest = "".join(line for _, line in wrapped[len(take):])
            paras = ([rest] if rest else []) + paras[1:]
            carried = bool(rest)
        for indent, line in lead:
            d.text((margin + indent, top), line, font=f, fill=0)
            top += pitch
    for i, para in enumerate(paras):
        # A paragraph carried on from the lines across has no indent.
        for indent, line in rg.wrap(para, f, hw, indent=0 if (i == 0 and carried) else 2 * px):
            rows.append((indent, line))
    rows = rows[: (bottom - top) // pitch]
    hx = margin
    yy = top
    for indent, line in rows:
        d.text((hx + indent, yy), line, font=f, fill=0)
        yy += pitch
    if a.kind == "notice":  # the notice boxed in
        pad = int(0.12 * dpi)
        d.rectangle((hx - pad, top - pad, hx + hw + pad, yy + pad - (pitch - px)), outline=0,
                    width=max(2, dpi // 100))
    hlines = [line for _, line in rows]
    # Vertical part: right, columns right to left.
    vx0 = margin + hw + gutter
    n_chars = (bottom - top) // px
    n_cols = (W - margin - vx0) // pitch
    vdoc = dict(vdoc)
    if a.traditional:
        vdoc = {**vdoc, "title": to_traditional(vdoc["title"]),
                "body": [to_traditional(p) for p in vdoc["body"]]}
    cols = columns(vdoc, n_chars, n_cols)
    for i, c in enumerate(cols):
        x = W - margin - (i + 1) * pitch + (pitch - px) // 2
        draw_column(d, a.font, px, x, top, c)
    vlines = [c.strip("　") for c in cols]
    truth += [line for _, line in lead]
    truth += hlines + vlines if a.kind == "article" else vlines + hlines
    folio = f"— {a.first_page + n} —"
    d.text(((W - f.getlength(folio)) / 2, H - margin), folio, font=f, fill=0)
    truth.append(folio)
    img = rg.degrade(img, a.degrade, rng, dpi)
    return img, truth


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", nargs="+", required=True)
    ap.add_argument("--kind", choices=["article", "notice"], default="article")
    ap.add_argument("--font", default="uming", choices=sorted(rg.FONTS))
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--pt", type=float, default=12)
    ap.add_argument("--traditional", action="store_true")
    ap.add_argument("--lead", type=int, default=0,
                    help="article: this many lines across the page before the parts side by side")
    ap.add_argument("--degrade", default="none", choices=["none", "light", "heavy"])
    ap.add_argument("--format", default="png", choices=["png", "tiff-g4"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gazette", default="雲南政報")
    ap.add_argument("--year", type=int, default=1953)
    ap.add_argument("--issue", type=int, default=5)
    ap.add_argument("--first-page", type=int, default=1)
    a = ap.parse_args()
    if len(a.docs) % 2:
        ap.error("--docs takes pairs: a horizontal document, then a vertical one")
    out = Path(a.out)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    rng = random.Random(a.seed)
    docs = [rg.parse_doc(p) for p in a.docs]
    for n in range(len(docs) // 2):
        img, truth = page(a, n, docs[2 * n], docs[2 * n + 1], rng)
        name = f"page-{n + 1:03}"
        if a.format == "tiff-g4":
            rg.bilevel(img).save(out / f"{name}.tif", compression="group4", dpi=(a.dpi, a.dpi))
        else:
            img.save(out / f"{name}.png", dpi=(a.dpi, a.dpi))
        (out / "truth" / f"{name}.txt").write_text("\n".join(truth) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
