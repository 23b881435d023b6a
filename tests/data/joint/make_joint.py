#!/usr/bin/env python3
"""Writes joint.pdf and expected.json: born-digital documents of joint issuers
in the forms GB/T 9704 allows, drawn glyph by glyph with reportlab the way an
office suite's PDF sets them (tests never run this: they use the committed
files). Needs reportlab and the AR PL gbsn font (fonts-arphic-gbsn00lp).

    python3 tests/data/joint/make_joint.py

One document a page, each with a red 版头, its 文号, a red rule, the title,
主送机关, body, the joint signature over the date, and the 版记 at the foot:
1. two names stacked, 文件 to their right and centred on the stack, set
   larger (the form of a real joint notice that read as one issuer);
2. two names side by side on one line before 文件, set apart by blank paper
   rather than a space character (names that read as one when run together:
   国家发展改革委国家能源局); the signature likewise, under red seals;
3. three names stacked with 文件 centred below them; the signature three
   names stacked over the date;
4. two names stacked, 文件 beside the first on its baseline; the signature
   two names side by side on one line over the date;
5. four names stacked, 文件 to their right; the signature a row of the four
   across the text's width, from its left margin, over the date.
Stacked names are spread to one width, as 版头 are set (财　政　部 as wide as
国家发展改革委), with blank paper between the spread characters.
"""
import json
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
RED, BLACK = Color(0.84, 0.11, 0.14), Color(0, 0, 0)
W, H = 595.0, 842.0
LEFT, RIGHT, TOP = 79.0, 516.0, 842.0 - 105.0
BODY = 16.0
PITCH = 28.0

DOCS = [
    {
        "header": ("stacked-right", ["国家发展改革委", "财政部"]),
        "doc_number": "发改价格〔2019〕1234号",
        "title": ["国家发展改革委　财政部关于降低部分行政", "事业性收费标准的通知"],
        "to": "各省、自治区、直辖市发展改革委、财政厅（局）：",
        "body": [
            "为进一步减轻企业和社会负担，经研究，决定降低部分行政事业性收费标准。现将有关事项通知如下：",
            "一、自2019年7月1日起，降低不动产登记费等收费标准，具体标准见附件。",
            "二、各地要加强收费监督检查，确保各项降费措施落实到位。",
        ],
        "signature": ("stacked", ["国家发展改革委", "财政部"]),
        "date": "2019年6月3日",
        "seal": False,
    },
    {
        "header": ("side-by-side", ["国家发展改革委", "国家能源局"]),
        "doc_number": "发改能源〔2019〕807号",
        "title": ["国家发展改革委　国家能源局关于建立健全", "可再生能源电力消纳保障机制的通知"],
        "to": "各省、自治区、直辖市发展改革委、能源局：",
        "body": [
            "为加快构建清洁低碳、安全高效的能源体系，促进可再生能源开发利用，现就建立健全可再生能源电力消纳保障机制通知如下：",
            "一、对电力消费设定可再生能源电力消纳责任权重。",
            "二、本通知自2020年1月1日起施行。",
        ],
        "signature": ("side-by-side", ["国家发展改革委", "国家能源局"]),
        "date": "2019年5月10日",
        "seal": True,
    },
    {
        "header": ("stacked-below", ["教育部", "财政部", "人力资源社会保障部"]),
        "doc_number": "教师〔2018〕7号",
        "title": ["教育部　财政部　人力资源社会保障部关于", "实施乡村教师支持计划的意见"],
        "to": "各省、自治区、直辖市教育厅（教委）、财政厅（局）、人力资源社会保障厅（局）：",
        "body": [
            "为加强乡村教师队伍建设，现就实施乡村教师支持计划提出如下意见：",
            "一、拓宽乡村教师补充渠道，鼓励高校毕业生到乡村学校任教。",
        ],
        "signature": ("stacked", ["教育部", "财政部", "人力资源社会保障部"]),
        "date": "2018年3月28日",
        "seal": False,
    },
    {
        "header": ("stacked-first-line", ["国务院办公厅", "中央军委办公厅"]),
        "doc_number": "国办发〔2018〕101号",
        "title": ["国务院办公厅　中央军委办公厅关于做好", "退役士兵安置工作的通知"],
        "to": "各省、自治区、直辖市人民政府，各军区：",
        "body": [
            "为做好退役士兵安置工作，维护退役士兵合法权益，现将有关事项通知如下：",
            "一、各级人民政府要将退役士兵安置工作纳入经济社会发展规划。",
            "二、各有关部门要密切配合，确保安置政策落实到位。",
        ],
        "signature": ("side-by-side", ["国务院办公厅", "中央军委办公厅"]),
        "date": "2018年11月5日",
        "seal": False,
    },
    {
        "header": ("stacked-right", ["国家经济委员会", "国家基本建设委员会", "国家科学技术委员会", "国家档案局"]),
        "doc_number": "国档发〔1980〕12号",
        "title": ["科学技术档案工作条例"],
        "to": "各省、自治区、直辖市人民政府：",
        "body": [
            "现将《科学技术档案工作条例》发给你们，请遵照执行。",
            "各地区、各部门在执行中有什么问题和意见，请及时告诉我们。",
        ],
        # Signed with the names' short forms, as documents of the time were.
        "signature": ("row", ["国家经委", "国家建委", "国家科委", "国家档案局"]),
        "date": "1980年12月27日",
        "seal": False,
    },
]


def spread(c, text, x, y, size, width):
    """`text` drawn glyph by glyph from x to x + width, spaced evenly (a 版头's
    names set to one width), with no space character between."""
    n = len(text)
    step = (width - size) / (n - 1) if n > 1 else 0
    for i, ch in enumerate(text):
        c.drawString(x + i * step, y, ch)


def glyphs(c, text, x, y):
    """`text` drawn one glyph at a time, as office suites write CJK."""
    size = c._fontsize
    for ch in text:
        if ch != "　":
            c.drawString(x, y, ch)
        x += size * (0.5 if ch.isascii() else 1.0)


def header(c, form, names, y):
    """The 版头 in red; returns the y under it."""
    size, wj = 26.0, 34.0
    c.setFillColor(RED)
    c.setFont("gbsn", size)
    width = max(len(n) for n in names) * size
    if form == "side-by-side":
        line = sum(len(n) for n in names) * size + size * 2 * len(names) + 2 * wj
        x = (W - line) / 2
        for n in names:
            glyphs(c, n, x, y)
            x += len(n) * size + 2 * size
        c.setFont("gbsn", wj)
        glyphs(c, "文件", x, y)
        return y - 1.6 * size
    gap = 1.3 * size
    x = (W - width - 2.5 * wj) / 2 if form != "stacked-below" else (W - width) / 2
    for i, n in enumerate(names):
        spread(c, n, x, y - i * gap, size, width)
    bottom = y - (len(names) - 1) * gap
    c.setFont("gbsn", wj)
    if form == "stacked-right":
        # Centred on the stack: its baseline halfway between the names'.
        glyphs(c, "文件", x + width + 0.5 * wj, (y + bottom) / 2 - 0.3 * wj)
    elif form == "stacked-first-line":
        glyphs(c, "文件", x + width + 0.5 * wj, y)
    else:
        glyphs(c, "文件", (W - 2 * wj) / 2, bottom - 1.4 * wj)
        bottom -= 1.4 * wj
    return bottom - 1.6 * size


def seal(c, cx, cy):
    """A red round seal of strokes, no text (a seal is stamped, not set)."""
    c.setStrokeColor(RED)
    c.setLineWidth(2.5)
    c.circle(cx, cy, 60, stroke=1, fill=0)
    c.setFillColor(RED)
    p = c.beginPath()
    import math
    pts = [(cx + 18 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
            cy + 18 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    p.moveTo(*pts[0])
    for q in pts[1:]:
        p.lineTo(*q)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def wrap(text, per_line, first_indent):
    out, line, room = [], "", per_line - first_indent
    for ch in text:
        if len(line) >= room:
            out.append(line)
            line, room = "", per_line
        line += ch
    if line:
        out.append(line)
    return out


def document(c, d, page):
    y = header(c, *d["header"], TOP)
    c.setFillColor(BLACK)
    c.setFont("gbsn", BODY)
    glyphs(c, d["doc_number"], (W - len(d["doc_number"]) * BODY * 0.8) / 2, y)
    y -= 0.6 * PITCH
    c.setStrokeColor(RED)
    c.setLineWidth(2)
    c.line(LEFT, y, RIGHT, y)
    y -= 1.6 * PITCH
    c.setFont("gbsn", 22)
    for t in d["title"]:
        glyphs(c, t, (W - len(t) * 22) / 2, y)
        y -= 1.3 * 22
    y -= 0.5 * PITCH
    c.setFont("gbsn", BODY)
    per = int((RIGHT - LEFT) // BODY)
    for t in wrap(d["to"], per, 0):
        glyphs(c, t, LEFT, y)
        y -= PITCH
    for para in d["body"]:
        for k, t in enumerate(wrap(para, per, 2)):
            glyphs(c, t, LEFT + (2 * BODY if k == 0 else 0), y)
            y -= PITCH
    y -= PITCH
    form, names = d["signature"]
    date = d["date"]
    date_w = len(date) * BODY * 0.8
    date_x = RIGHT - 4 * BODY - date_w
    centre = date_x + date_w / 2
    seals = []
    if form == "stacked":
        for n in names:
            glyphs(c, n, centre - len(n) * BODY / 2, y)
            seals.append((centre, y))
            y -= PITCH
    else:
        # Side by side two characters short of the right; a row of four
        # spread from the left margin to two characters short of the right.
        chars = sum(len(n) for n in names) * BODY
        gap = 3 * BODY if form == "side-by-side" else (RIGHT - LEFT - 2 * BODY - chars) / (len(names) - 1)
        total = chars + gap * (len(names) - 1)
        x = RIGHT - 2 * BODY - total if form == "side-by-side" else LEFT
        for n in names:
            glyphs(c, n, x, y)
            seals.append((x + len(n) * BODY / 2, y))
            x += len(n) * BODY + gap
        y -= PITCH
    # Arabic figures of the date set half width, as office fonts do.
    x = date_x
    for ch in date:
        c.drawString(x, y, ch)
        x += BODY * (0.5 if ch.isdigit() else 1.0)
    if d["seal"]:
        for sx, sy in seals:
            seal(c, sx, sy)
    # The 版记 at the foot, between rules.
    c.setStrokeColor(BLACK)
    c.setLineWidth(0.8)
    c.setFillColor(BLACK)
    c.setFont("gbsn", 14)
    c.line(LEFT, 150, RIGHT, 150)
    glyphs(c, "抄送：国务院办公厅。", LEFT + 14, 130)
    c.line(LEFT, 120, RIGHT, 120)
    printer = d["signature"][1][0]
    glyphs(c, printer, LEFT + 14, 100)
    text = date + "印发"
    x = RIGHT - 14 - len(text) * 14 * 0.85
    for ch in text:
        c.drawString(x, 100, ch)
        x += 14 * (0.5 if ch.isdigit() else 1.0)
    c.line(LEFT, 90, RIGHT, 90)
    c.setFont("gbsn", 14)
    c.drawString(W / 2 - 14, 50, f"— {page} —")


def main():
    pdfmetrics.registerFont(TTFont("gbsn", FONT))
    c = canvas.Canvas(str(HERE / "joint.pdf"), pagesize=(W, H), invariant=1)
    expected = []
    for i, d in enumerate(DOCS):
        document(c, d, i + 1)
        c.showPage()
        expected.append({
            "page": i + 1,
            "title": "".join(d["title"]),
            "doc_number": d["doc_number"],
            "issuers": d["signature"][1],
            "date": d["date"],
            "header": d["header"][0],
            "signature": d["signature"][0],
        })
    c.save()
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")


if __name__ == "__main__":
    main()
