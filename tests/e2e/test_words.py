#!/usr/bin/env python3
"""End-to-end: words stay whole (GB/T 9704-2012 7.3.1).  Notices with long
titles rendered from examples/notice.xml, the title's lines read back from
the PDF (pdftotext -bbox): every break falls where ICU's Chinese
dictionary ends a word (the titles below are written with "/" at those
boundaries, as ICU 72 segments them; tests/unit/test_words.c checks the
layout against ICU itself), the lines are centred on the type area and as
even as those boundaries allow.  The report examples' tables read back:
no cell breaks 质量管理体/系, 整改后符/合 or 零部件有限公/司, and no
line holds one character and its mark.

Plain script, standard library only; the last line printed is
"N passed, N failed"."""

import os
import re
import tempfile

import pdfcheck as pc
from harness import EXAMPLES, can_run, check, finish, gen, guarded
from pdfcheck import MM, group_lines, line_text

# ICU 72's word boundaries ("/") of real-style titles
TITLES = [
    "关于/开展/2010/年度/强制/性/产品/认证/获/证/企业/监督/检查/工作/的/通知",
    "关于/开展/认证/机构/自律/和/认证/企业/帮/扶/行动/暨/认证/执法/监管/专/项/检查/工作/的/通知",
    "关于/进一步/加强/认证/认可/监督/管理/工作/的/通知/暨/年度/检查/安排",
    "关于/印/发/浙江省/强制/性/产品/认证/监督/检查/工作/规范/的/通知",
    "关于/表彰/2009/年度/认证/认可/工作/先进/集体/和/先进/个人/的/决定",
    "关于/公布/2009/年度/浙江省/认证/示范/企业/名单/的/公告",
]
TYPE_AREA_CENTRE = (28 + 156 / 2) * MM  # the notice's type area, x of its centre
TITLE_SIZE = 22


def title_lines(pdf, title):
    """The lines of page 1 that together read `title`, top to bottom."""
    words = pc.bbox_pages(pdf)[0].words
    lines = group_lines(words)
    texts = [line_text(l) for l in lines]
    for i in range(len(texts)):
        joined = ""
        for j in range(i, len(texts)):
            joined += texts[j]
            if joined == title:
                return lines[i:j + 1]
            if not title.startswith(joined):
                break
    return None


def em(text):
    return sum(0.5 if ord(c) < 0x80 else 1 for c in text)


def test_titles(tmp):
    with open(os.path.join(EXAMPLES, "notice.xml"), encoding="utf-8") as f:
        source = f.read()
    old = re.search(r"<title>([^<]*)</title>", source).group(1)
    for k, marked in enumerate(TITLES):
        title = marked.replace("/", "")
        cuts = set()
        at = 0
        for w in marked.split("/")[:-1]:
            at += len(w)
            cuts.add(at)
        rec = os.path.join(tmp, "title-%d.xml" % k)
        with open(rec, "w", encoding="utf-8") as f:
            f.write(source.replace(old, title))
        pdf = os.path.join(tmp, "title-%d.pdf" % k)
        rc, _, err = gen("render", rec, "-o", pdf)
        if not check(rc == 0, "render a notice titled %s" % title, err[:300]):
            continue
        lines = title_lines(pdf, title)
        if not check(lines is not None, "%s read back from page 1" % title):
            continue
        texts = [line_text(l) for l in lines]
        at = 0
        for t in texts[:-1]:
            at += len(t)
            check(at in cuts, "%s: the line %s ends where a word ends" % (title, t),
                  "break at character %d, not an ICU boundary" % at)
        for l, t in zip(lines, texts):
            mid = (min(w.x0 for w in l) + max(w.x1 for w in l)) / 2
            check(abs(mid - TYPE_AREA_CENTRE) < 1.0, "%s: line %s centred" % (title, t),
                  "centre %.1f pt, type area's %.1f" % (mid, TYPE_AREA_CENTRE))
        if len(texts) == 2:
            got = abs(em(texts[0]) - em(texts[1]))
            best = min(abs(em(title[:c]) - em(title[c:])) for c in cuts
                       if em(title[:c]) <= 20 and em(title[c:]) <= 20)
            check(got <= best + 1.0, "%s: two lines as even as its words allow" % title,
                  "%s / %s differ by %.1f em, %.1f possible" % (texts[0], texts[1], got, best))


LONE = re.compile(r"^[\u3400-\u9fff][，。、；：？！）」』》”]*$")
SPLIT = ["质量管理体", "环境管理体", "整改后符", "零部件有限公", "强制性产品认"]


def test_cells(tmp):
    for name in ("inspection.xml", "selfcheck.xml"):
        pdf = os.path.join(tmp, name.replace(".xml", ".pdf"))
        rc, _, err = gen("render", os.path.join(EXAMPLES, name), "-o", pdf)
        if not check(rc == 0, "render examples/%s" % name, err[:300]):
            continue
        pages = pc.bbox_pages(pdf)
        lone, split = [], []
        for p in pages:
            for w in p.words:
                if LONE.match(w.text):
                    lone.append("p%d %s" % (p.number, w.text))
                if w.text in SPLIT:
                    split.append("p%d %s" % (p.number, w.text))
        check(not split, "%s: no cell breaks inside 质量管理体系, 整改后符合, 有限公司" % name,
              "; ".join(split[:6]))
        check(not lone, "%s: no line of one character and its mark" % name, "; ".join(lone[:6]))


def main():
    with tempfile.TemporaryDirectory(prefix="words-") as tmp:
        guarded("titles", test_titles, tmp)
        guarded("cells", test_cells, tmp)


if __name__ == "__main__":
    if can_run("pdftotext"):
        main()
    finish()
