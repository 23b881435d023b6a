#!/usr/bin/env python3
"""Regenerates the committed test fixtures (tests never run this: they use the
committed files). Needs what ../shared/tools/render_gazette.py needs, plus img2pdf.

    python3 tests/data/make_fixtures.py

clean-page.png / clean-page.expected.txt
    page 2 of an issue of the 2017 Yunnan notice, Noto Serif, 300 dpi, no damage,
    and its exact printed lines: the OCR accuracy check.
small/
    a two-page issue (the 2019 holiday notice), AR PL UMing, 150 dpi, in every
    input format: png/ jpeg/ g4/ (page directories), multi-page TIFFs with each
    compression, scan-dct.pdf (JPEG pages), scan-flate.pdf (PNG pages with
    predictors), scan-ccitt.pdf (G4 pages), text.pdf (born-digital), and truth/.
corpus-issue/
    every corpus document in one born-digital issue, with its manifest: the
    segmentation check (issue.expected.jsonl is `gazette segment`'s output,
    checked against the manifest; regenerate with GAZETTE_UPDATE_GOLDEN=1).
pdf/
    scanned-PDF structures, one page each: strips, mrc, mrc-colour, rot90/180/270,
    form (render_gazette.py), outlines (small/text.pdf page 2 through Ghostscript
    with -dNoOutputFonts: text as paths), jpx and cmyk (small/png page 2 as a
    JPEG 2000 and as an Adobe CMYK JPEG, through img2pdf); ucs2 (a page in
    reportlab's non-embedded STSong-Light, UniGB-UCS2-H, no ToUnicode); truth.txt.
gap/
    a six-page issue of four documents (printed pages 31-36) as a folder of
    200-dpi G4 TIFF pages: the failed-page check (a test destroys page 3 and
    the pages, citations and anchors after it must keep their numbers).
print/
    hard print from documents held back from tuning (scripts/eval_print.py):
    photo.jpg, a camera photo of a page (--photo) scaled to 60%; red.jpg, a
    page printed all in red (--colour --ink-red-all --degrade light) and
    redhead.jpg, the first page of a red-header document with a seal
    (--layout redhead --seal), both at 200 dpi; each with its .expected.txt.
    photo-table.jpg: a camera photo (--photo, Noto Serif) of a page of a ruled
    table from a tuning issue of the three tuning documents with tables, grey,
    scaled to 85%: its broken frame made one row round the others, and the
    page was cut into overlapping column bands (its lines read twice).
    show-through.jpg: the top half of the last page of an old-paper issue of
    two tuning documents (scripts/eval_vertical.py's old-paper set: --aging
    old, Noto Serif, 300 dpi), the facing page's print showing through under
    a date and a note; show-through.expected.txt its print.
joint/
    joint.pdf and expected.json, written by joint/make_joint.py (not by this
    script): four born-digital documents of joint issuers in the forms GB/T
    9704 allows, drawn glyph by glyph.
two-columns/
    a two-page issue of three short tuning documents set in two columns whose
    lines do not line up (--two-columns), 200-dpi PNG with truth/ and
    manifest.json: issue 12's two-column pages, read column by column.
spread/
    two images of a bound volume lying open, each two facing pages (the
    first page beside a blank facing page, then pages 2 | 3), four short
    tuning documents, 200-dpi JPEG with truth/ and manifest.json: issue 12's
    book spreads, cut at the spine.
vertical/
    a two-page issue of the 1952 regulation set in vertical columns, right to
    left, in traditional characters (--vertical --traditional), AR PL UMing,
    200-dpi G4 TIFF pages with truth/ and manifest.json: issue 14's end-to-end
    check.
traditional/
    the first page of the 1966 border-rivers notice in traditional characters,
    set horizontally, 200-dpi G4, with its truth: script detection.
mixed/
    two mixed pages (scripts/render_mixed.py, AR PL UMing, 200-dpi G4): a vertical
    traditional facsimile (the 1958 sailing rules) beside a horizontal article (the
    1989 relics notice, its first four lines across the page, 10.5 pt), and a horizontal notice (the 2019 notice) boxed in beside
    vertical traditional columns (the 1979 aquatic resources regulation); truth/
    in reading order.
issues/
    four small born-digital issues of different years and numbers: the archive's
    ingest, idempotence and kill -9 checks. issues-changed/ holds issue 2016-03
    again, set in another font: a changed source of an ingested issue.
"""
import json, os, shutil, subprocess, sys, tempfile
from pathlib import Path
from PIL import Image
import img2pdf

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("GAZETTE_SHARED", HERE.parent.parent.parent / "shared"))
RENDER = SHARED / "tools" / "render_gazette.py"
CORPUS = SHARED / "corpus"


def render(out, docs, *args):
    subprocess.run([sys.executable, str(RENDER), *[str(CORPUS / d) for d in docs], "--out", str(out), *args],
                   check=True, capture_output=True)
    return json.loads((out / "manifest.json").read_text())


def main():
    tmp = Path(tempfile.mkdtemp())
    # The accuracy page.
    render(tmp / "clean", ["2017-yzbf-22.txt"], "--format", "png", "--font", "serif")
    shutil.copy(tmp / "clean" / "page-002.png", HERE / "clean-page.png")
    shutil.copy(tmp / "clean" / "truth" / "page-002.txt", HERE / "clean-page.expected.txt")

    small = HERE / "small"
    shutil.rmtree(small, ignore_errors=True)
    small.mkdir()
    common = ["--font", "uming", "--title-font", "wenkai-bold", "--dpi", "150"]
    doc = ["2018-gbfmd-15.txt"]
    m = render(tmp / "png", doc, "--format", "png", *common)
    shutil.copytree(tmp / "png" / "truth", small / "truth")
    (small / "png").mkdir()
    for f in m["files"]:
        shutil.copy(tmp / "png" / f, small / "png" / f)
    render(tmp / "jpeg", doc, "--format", "jpeg", *common)
    render(tmp / "g4", doc, "--format", "tiff-g4", *common)
    for kind in ("jpeg", "g4"):
        (small / kind).mkdir()
        for f in sorted((tmp / kind).glob("page-*")):
            shutil.copy(f, small / kind / f.name)
    pngs = [Image.open(small / "png" / f) for f in m["files"]]
    # Uncompressed pages are big: that one holds the top-left 600x400 of each.
    crops = [p.crop((0, 0, 600, 400)) for p in pngs]
    crops[0].save(small / "multi-raw.tif", save_all=True, append_images=crops[1:], compression="raw", dpi=(150, 150))
    for comp, name in [("tiff_lzw", "lzw"), ("tiff_adobe_deflate", "deflate"), ("packbits", "packbits")]:
        pngs[0].save(small / f"multi-{name}.tif", save_all=True, append_images=pngs[1:], compression=comp,
                     dpi=(150, 150))
    g4 = [Image.open(p) for p in sorted((small / "g4").glob("*.tif"))]
    g4[0].save(small / "multi-g4.tif", save_all=True, append_images=g4[1:], compression="group4", dpi=(150, 150))
    render(tmp / "scan", doc, "--format", "pdf-scan", *common)
    shutil.copy(tmp / "scan" / "issue.pdf", small / "scan-dct.pdf")
    (small / "scan-flate.pdf").write_bytes(img2pdf.convert([str(small / "png" / f) for f in m["files"]]))
    (small / "scan-ccitt.pdf").write_bytes(img2pdf.convert([str(p) for p in sorted((small / "g4").glob("*.tif"))]))
    render(tmp / "text", doc, "--format", "pdf-text", *common)
    shutil.copy(tmp / "text" / "issue.pdf", small / "text.pdf")
    shutil.copy(tmp / "text" / "manifest.json", small / "manifest.json")
    # Every corpus document in one born-digital issue: several documents on
    # a page, documents over many pages, documents without a 文号.
    corpus = HERE / "corpus-issue"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    render(tmp / "corpus", sorted(p.name for p in CORPUS.glob("*.txt")), "--format", "pdf-text", "--font", "gbsn",
           "--title-font", "wenkai-bold", "--seed", "1")
    shutil.copy(tmp / "corpus" / "issue.pdf", corpus / "issue.pdf")
    shutil.copy(tmp / "corpus" / "manifest.json", corpus / "manifest.json")
    # Scanned-PDF structures, one page each.
    pdfdir = HERE / "pdf"
    shutil.rmtree(pdfdir, ignore_errors=True)
    pdfdir.mkdir()
    one = ["--font", "uming", "--title-font", "wenkai-bold", "--dpi", "150", "--no-contents", "--seed", "3"]
    for name, args in [("strips", ["--format", "pdf-strips"]), ("mrc", ["--format", "pdf-mrc"]),
                       ("mrc-colour", ["--format", "pdf-mrc", "--colour"]),
                       ("rot90", ["--format", "pdf-scan", "--pdf-rotate", "90"]),
                       ("rot180", ["--format", "pdf-scan", "--pdf-rotate", "180"]),
                       ("rot270", ["--format", "pdf-scan", "--pdf-rotate", "270"]),
                       ("form", ["--format", "pdf-scan", "--pdf-form-xobject"])]:
        render(tmp / name, doc, *one, *args)
        shutil.copy(tmp / name / "issue.pdf", pdfdir / f"{name}.pdf")
    shutil.copy(tmp / "strips" / "truth" / "page-001.txt", pdfdir / "truth.txt")
    subprocess.run(["gs", "-q", "-o", str(pdfdir / "outlines.pdf"), "-sDEVICE=pdfwrite", "-dNoOutputFonts",
                    "-dFirstPage=2", "-dLastPage=2", str(small / "text.pdf")], check=True)
    page = Image.open(small / "png" / m["files"][1]).convert("L")
    at150 = img2pdf.get_fixed_dpi_layout_fun((150, 150))
    page.save(tmp / "page.jp2", quality_mode="rates", quality_layers=[20])
    (pdfdir / "jpx.pdf").write_bytes(img2pdf.convert([str(tmp / "page.jp2")], layout_fun=at150))
    page.convert("CMYK").save(tmp / "page-cmyk.jpg", quality=85, dpi=(150, 150))
    (pdfdir / "cmyk.pdf").write_bytes(img2pdf.convert([str(tmp / "page-cmyk.jpg")], layout_fun=at150))
    # A page set in a non-embedded CJK font through UniGB-UCS2-H (no ToUnicode).
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(pdfdir / "ucs2.pdf"), pagesize=(595, 842))
    c.setFont("STSong-Light", 16)
    for i, line in enumerate(["国务院办公厅关于调整国家教材委员会组成人员的通知",
                              "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
                              "经国务院批准，现将有关事项通知如下。", "一、国家教材委员会负责指导和统筹全国教材工作。",
                              "二、各地区、各部门要认真贯彻执行。"]):
        c.drawString(60, 760 - 30 * i, line)
    c.save()
    # An issue whose third page a test destroys.
    gap = HERE / "gap"
    shutil.rmtree(gap, ignore_errors=True)
    render(gap, ["2018-gbfmd-15.txt", "2018-gf-43.txt", "1999-yjjl-10.txt", "2018-gbf-109.txt"], "--format",
           "tiff-g4", "--font", "uming", "--title-font", "wenkai-bold", "--dpi", "200", "--year", "2018",
           "--issue", "9", "--first-page", "31", "--seed", "4")
    # Hard print: a photo, red ink, a red header with a seal.
    hard = HERE / "print"
    shutil.rmtree(hard, ignore_errors=True)
    hard.mkdir()
    for name, doc, page, scale, args in [
        ("photo", "2006-gh-132.txt", 2, 0.6, ["--photo", "--font", "serif"]),
        ("red", "1981-gf-88.txt", 2, 2 / 3, ["--colour", "--ink-red-all", "--degrade", "light", "--font", "serif"]),
        ("redhead", "2018-gf-43.txt", 2, 2 / 3, ["--layout", "redhead", "--seal", "--colour", "--degrade", "light",
                                                 "--font", "gbsn", "--title-font", "sans-bold"]),
    ]:
        m = render(tmp / name, [doc], *args, "--seed", "3")
        img = Image.open(tmp / name / m["files"][page - 1]).convert("RGB")
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
        img.save(hard / f"{name}.jpg", quality=75)
        shutil.copy(tmp / name / m["pages"][page - 1]["truth"], hard / f"{name}.expected.txt")
    # A camera photo of a page of a ruled table (page 16 of a tuning issue
    # of the three tuning documents with tables): its frame, too broken to
    # be left out as a rule, made one row round the page's other rows, and
    # the column bands cut from it overlapped (lines read twice).
    m = render(tmp / "photo-table", ["1996-gbf-32.txt", "2009-spc-spp-charges-4.txt", "2019-gbf-4.txt"], "--photo",
               "--font", "serif", "--title-font", "serif-bold", "--seed", "203")
    img = Image.open(tmp / "photo-table" / m["files"][15]).convert("L")
    img = img.resize((round(img.width * 0.85), round(img.height * 0.85)), Image.LANCZOS)
    img.save(hard / "photo-table.jpg", quality=75)
    shutil.copy(tmp / "photo-table" / m["pages"][15]["truth"], hard / "photo-table.expected.txt")
    # Show-through: the tuning page its rule was set on (eval_vertical's
    # old-paper set, page 8), its top half.
    m = render(tmp / "show-through", ["2017-beijing-envtax-decision.txt", "2017-yzbf-22.txt"], "--aging", "old",
               "--font", "serif", "--title-font", "serif", "--format", "jpeg", "--seed", "72", "--issue", "11",
               "--year", "1954")
    img = Image.open(tmp / "show-through" / m["files"][7]).convert("L")
    img.crop((0, 0, img.width, img.height // 2)).save(hard / "show-through.jpg", quality=75)
    truth = (tmp / "show-through" / m["pages"][7]["truth"]).read_text().splitlines()
    (hard / "show-through.expected.txt").write_text("\n".join(truth[:3]) + "\n")
    # Small issues for the archive tests.
    issues = HERE / "issues"
    changed = HERE / "issues-changed"
    for d in (issues, changed):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    plan = [(2016, 3, ["1981-gf-88.txt", "2018-gbfmd-15.txt"]), (2018, 11, ["2018-gf-44.txt"]),
            (2019, 2, ["2018-gbfmd-15.txt"]), (2020, 7, ["1981-gf-88.txt", "2018-gf-44.txt"])]
    for year, number, docs in plan:
        name = f"yn-{year}-{number:02}"
        render(tmp / name, docs, "--format", "pdf-text", "--font", "uming", "--title-font", "wenkai-bold", "--year", str(year),
               "--issue", str(number), "--seed", str(number))
        shutil.copy(tmp / name / "issue.pdf", issues / f"{name}.pdf")
        shutil.copy(tmp / name / "manifest.json", issues / f"{name}.json")
    year, number, docs = plan[0]
    render(tmp / "changed", docs, "--format", "pdf-text", "--font", "ukai", "--title-font", "wenkai-bold", "--year", str(year),
           "--issue", str(number), "--seed", "9")
    shutil.copy(tmp / "changed" / "issue.pdf", changed / f"yn-{year}-{number:02}.pdf")
    # Documents as issued (GB/T 9704): 版头 of two issuers, 文号 above the
    # title, seals over the joint signature, no gazette running head (the
    # shape of a real joint notice): the segmentation test of issue 12.
    redhead = HERE / "redhead"
    shutil.rmtree(redhead, ignore_errors=True)
    redhead.mkdir()
    render(tmp / "redhead", ["1996-gh-95.txt", "1958-mot-mof-sailing-vessels.txt"], "--layout", "redhead", "--seal",
           "--format", "pdf-text", "--font", "zenhei", "--title-font", "zenhei", "--no-contents", "--seed", "7",
           "--year", "2019", "--issue", "3")
    shutil.copy(tmp / "redhead" / "issue.pdf", redhead / "notices.pdf")
    shutil.copy(tmp / "redhead" / "manifest.json", redhead / "manifest.json")
    # The earliest issues: vertical columns, right to left, traditional
    # characters (issue 14), as a folder of 200-dpi G4 TIFF pages.
    vertical = HERE / "vertical"
    shutil.rmtree(vertical, ignore_errors=True)
    render(tmp / "vertical", ["1952-mps-security-committees.txt"], "--vertical", "--traditional", "--font", "uming",
           "--format", "tiff-g4", "--dpi", "200", "--no-contents", "--seed", "3", "--gazette", "雲南政報",
           "--year", "1952", "--issue", "3", "--first-page", "11")
    shutil.copytree(tmp / "vertical", vertical)
    # A horizontal page in traditional characters: script detection.
    trad = HERE / "traditional"
    shutil.rmtree(trad, ignore_errors=True)
    (trad / "truth").mkdir(parents=True)
    render(tmp / "traditional", ["1966-mot-border-rivers.txt"], "--traditional", "--font", "uming", "--format",
           "tiff-g4", "--dpi", "200", "--no-contents", "--seed", "5", "--gazette", "雲南政報", "--year", "1966",
           "--issue", "2")
    shutil.copy(tmp / "traditional" / "page-001.tif", trad / "page-001.tif")
    shutil.copy(tmp / "traditional" / "truth" / "page-001.txt", trad / "truth" / "page-001.txt")
    # A bound volume scanned open (issue 12's spreads): two facing pages to
    # an image, the first page beside a blank facing page; 200-dpi JPEG.
    spread = HERE / "spread"
    shutil.rmtree(spread, ignore_errors=True)
    render(tmp / "spread", ["1996-gh-95.txt", "2017-beijing-envtax-decision.txt", "2018-gbfmd-15.txt",
                            "2009-spc-spp-charges-4.txt"], "--spread", "--degrade", "none", "--font", "gbsn",
           "--title-font", "sans-bold", "--format", "jpeg", "--dpi", "200", "--no-contents", "--seed", "5",
           "--year", "2018", "--issue", "4", "--first-page", "1")
    shutil.copytree(tmp / "spread", spread)
    # Two columns whose lines do not line up (titles at their own heights in
    # each column): issue 12's two-column gazette pages; 200-dpi PNG.
    two = HERE / "two-columns"
    shutil.rmtree(two, ignore_errors=True)
    render(tmp / "two-columns", ["2018-gbfmd-15.txt", "1996-gh-95.txt", "2017-beijing-envtax-decision.txt"],
           "--two-columns", "--degrade", "none", "--font", "serif", "--title-font", "serif-bold", "--format", "png",
           "--dpi", "200", "--no-contents", "--seed", "7", "--year", "2018", "--issue", "6", "--first-page", "5")
    shutil.copytree(tmp / "two-columns", two)
    # Mixed pages: a vertical facsimile beside a horizontal article, and a
    # horizontal notice boxed in beside vertical columns (scripts/render_mixed.py).
    mixed = HERE / "mixed"
    shutil.rmtree(mixed, ignore_errors=True)
    (mixed / "truth").mkdir(parents=True)
    mix = HERE.parent.parent / "scripts" / "render_mixed.py"
    for n, (kind, docs, seed, more) in enumerate([
            ("article", ["1989-luoyang-relics.txt", "1958-mot-mof-sailing-vessels.txt"], 8, ["--lead", "4", "--pt", "10.5"]),
            ("notice", ["2019-gbf-4.txt", "1979-gwy-aquatic-resources.txt"], 9, [])], 1):
        subprocess.run([sys.executable, str(mix), "--out", str(tmp / kind), "--kind", kind, "--docs",
                        *[str(CORPUS / d) for d in docs], "--traditional", "--font", "uming", "--dpi", "200",
                        "--format", "tiff-g4", "--seed", str(seed), "--first-page", str(20 + n), *more], check=True)
        shutil.copy(tmp / kind / "page-001.tif", mixed / f"page-{n:03}.tif")
        shutil.copy(tmp / kind / "truth" / "page-001.txt", mixed / "truth" / f"page-{n:03}.txt")
    shutil.rmtree(tmp)
    print("fixtures written to", HERE)


if __name__ == "__main__":
    main()
