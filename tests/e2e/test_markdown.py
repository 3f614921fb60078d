#!/usr/bin/env python3
"""End-to-end tests of Markdown in a notice's body (gen/markdown.c): the
notice of examples/notice.xml with a body holding ordered lists and pipe
tables, rendered with bin/gen; the PDF read back.

- Ordered lists are numbered 1． (U+FF0E, the third level of GB/T 9704-2012
  7.3.3), lists inside them （1）, in the text layer; "1. 4月30日前" never
  reads 1.4月.
- A pipe table is drawn ruled: its horizontal rules (pixels, at 100 dpi)
  run across the type area, one above each row and one below the last; its
  vertical rules cross the header row at both edges of the type area and
  between the columns; each cell's text lies between its row's rules and
  its column's, right-aligned where the delimiter row says --:.
- A table longer than a page: each page it runs onto begins with 续表 and
  the header row again.

Plain script, standard library only; the last line printed is
"N passed, N failed" and the exit status is non-zero if any check failed.
Geometry: PDF points, y from the top of the page (pdftotext -bbox)."""

import os
import re
import tempfile

import pdfcheck as pc
from harness import EXAMPLES, can_run, check, finish, gen, guarded, summarise
from pdfcheck import A4, MM, nows

RECORD = os.path.join(EXAMPLES, "notice.xml")
LEFT = 28 * MM     # the type area's edges (GB/T 9704-2012, templates/gbt9704.xml)
RIGHT = 184 * MM
TOL = 1.0          # points: a rule found in pixels at 100 dpi (0.72 pt each)
DPI = 100

SHORT_ROWS = [("1", "甲认证有限公司", "12"), ("2", "乙认证中心", "3"), ("3", "丙检测公司", "105")]
LONG_ROWS = 45

BODY = """为做好认证监管工作，现将有关要求通知如下：

1. 4月30日前完成自查；
2. 5月开展检查：

   1. 随机抽查；
   2. 重点检查。

检查结果如下：

| 序号 | 机构名称 | 金额（万元） |
|:-:|---|--:|
%s

汇总名单：

| 序号 | 企业名称 | 证书类型 |
|:-:|---|:-:|
%s
""" % ("\n".join("| %s | %s | %s |" % r for r in SHORT_ROWS),
       "\n".join("| %d | 第%d家企业有限公司 | 质量管理体系认证 |" % (i, i)
                 for i in range(1, LONG_ROWS + 1)))


def make_record(tmp):
    with open(RECORD, encoding="utf-8") as f:
        src = f.read()
    src = re.sub(r"<body format=\"markdown\"><!\[CDATA\[.*?\]\]></body>",
                 lambda m: "<body format=\"markdown\"><![CDATA[\n" + BODY + "]]></body>", src,
                 flags=re.S)
    path = os.path.join(tmp, "notice-md.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src)
    return path


def page_with(pdf, text):
    """The first page whose text (without white space) holds `text`, else 1."""
    for i in range(1, pc.page_count(pdf) + 1):
        if text in nows(pc.pdf_text(pdf, "-f", str(i), "-l", str(i))):
            return i
    return 1


def find_line(lines, text):
    for l in lines:
        if nows(l.text).startswith(text):
            return l
    return None


def test_numbering(ctx):
    text = nows(pc.pdf_text(ctx["pdf"]))
    check("1．4月30日前完成自查；" in text, "1． numbering in the text layer")
    check("2．5月开展检查：" in text, "2． numbering")
    check("（1）随机抽查；" in text and "（2）重点检查。" in text, "nested list （1）（2）")
    check("1.4月" not in text, "no 1.4月")
    lines = pc.visual_lines(ctx["pdf"], page_with(ctx["pdf"], "1．4月30日前"))
    first = find_line(lines, "1．4月")
    nested = find_line(lines, "（1）随机")
    para = find_line(lines, "为做好认证")
    if check(first and nested and para, "list lines found on the page"):
        # the paragraphs' two-character indent; the nested list one indent more
        check(abs(first.x0 - para.x0) < 1.5, "1． indented as a paragraph",
              "%.2f vs %.2f" % (first.x0, para.x0))
        check(abs(para.x0 - LEFT - 2 * 15.79) < 1.5, "paragraph indent two characters",
              "%.2f" % (para.x0 - LEFT))
        check(abs(nested.x0 - first.x0 - 2 * 15.79) < 2.5, "（1） one indent further",
              "%.2f" % (nested.x0 - first.x0))


def table_rules(ctx, page, y0, y1):
    img = pc.render_page(ctx["pdf"], page, A4, dpi=DPI)
    return img, [y for y in pc.horizontal_rules(img, LEFT, RIGHT) if y0 < y < y1]


def test_short_table(ctx):
    page = page_with(ctx["pdf"], "序号机构名称金额（万元）")
    lines = pc.visual_lines(ctx["pdf"], page)
    header = find_line(lines, "序号")
    below = find_line(lines, "汇总名单")
    if not check(header, "the table's header found"):
        return
    # the header's text sits some 10 pt under its rule, the line above it
    # (if on this page) further up
    img, rules = table_rules(ctx, page, header.y0 - 14, below.y0 if below else A4[1] - 20 * MM)
    nrows = 1 + len(SHORT_ROWS)
    if not check(len(rules) == nrows + 1, "a rule above each row and below the last",
                 "%d rules between the paragraphs: %s" % (len(rules), rules)):
        return
    px = DPI / 72.0
    mid = (rules[0] + rules[1]) / 2
    xs = pc.rules_across_row(img, int(mid * px))
    # the header's words are ink too: keep what lies outside them
    verticals = [x for x in xs if not any(w.x0 - 1 < x < w.x1 + 1 for w in header.words)]
    check(len(verticals) == 4, "four vertical rules cross the header row", str(verticals))
    if verticals:
        check(abs(verticals[0] - LEFT) < TOL and abs(verticals[-1] - RIGHT) < TOL,
              "the table spans the type area", "%.2f..%.2f" % (verticals[0], verticals[-1]))
    bad = []
    for r, row in enumerate(SHORT_ROWS):
        top, bottom = rules[r + 1], rules[r + 2]
        row_words = [w for w in pc.page_words(ctx["pdf"], page)
                     if top < pc.centre_y(w) < bottom]
        text = "".join(w.text for w in sorted(row_words, key=lambda w: w.x0))
        if nows(text) != "".join(row):
            bad.append("row %d: %r" % (r + 1, text))
            continue
        amount = [w for w in row_words if w.text == row[2]]
        if len(verticals) == 4 and amount:
            # --: right-aligned: the amount ends a padding left of the right rule
            if not (0 < verticals[3] - amount[0].x1 < 3 * MM):
                bad.append("row %d: amount ends at %.2f, rule at %.2f" %
                           (r + 1, amount[0].x1, verticals[3]))
    check(not bad, "each row's cells between its rules, amounts right-aligned", summarise(bad))
    words = pc.page_words(ctx["pdf"], page)
    fonts_ok = any(w.text.startswith("序号") for w in words)
    check(fonts_ok, "header text in the text layer")


def test_long_table(ctx):
    pages = pc.bbox_pages(ctx["pdf"])
    starts = []
    for p in pages:
        lines = pc.group_lines(p.words)
        texts = [pc.line_text(l) for l in lines]
        if any(re.match(r"^\d+第\d+家企业有限公司质量管理体系认证$", t) for t in texts):
            starts.append((p.number, texts[:2]))
    if not check(len(starts) >= 2, "the long table runs onto another page",
                 "pages with its rows: %s" % [s[0] for s in starts]):
        return
    bad = [("page %d: %s" % (n, t)) for n, t in starts[1:]
           if len(t) < 2 or t[0] != "续表" or t[1] != "序号企业名称证书类型"]
    check(not bad, "each page it runs onto begins with 续表 and the header row", summarise(bad))
    seen = []
    for p in pages:
        for l in pc.group_lines(p.words):
            m = re.match(r"^(\d+)第\1家企业有限公司", pc.line_text(l))
            if m:
                seen.append(int(m.group(1)))
    check(seen == list(range(1, LONG_ROWS + 1)), "every row once, in order",
          "%d rows" % len(seen))
    # on the second page, the rules: one above 续表's header, below each row
    n = starts[1][0]
    img, rules = table_rules(ctx, n, 0, A4[1])
    rows_here = sum(1 for l in pc.group_lines(pages[n - 1].words)
                    if re.match(r"^\d+第\d+家", pc.line_text(l)))
    check(len(rules) == rows_here + 2, "page %d: header and %d rows ruled" % (n, rows_here),
          "%d rules" % len(rules))


def main():
    with tempfile.TemporaryDirectory(prefix="e2e-markdown-") as tmp:
        ctx = {}
        record = make_record(tmp)
        pdf = os.path.join(tmp, "notice-md.pdf")
        rc, _, err = gen("render", record, "-o", pdf)
        if not check(rc == 0 and os.path.exists(pdf), "render a notice with Markdown tables",
                     "exit %d: %s" % (rc, err.strip()[:500])):
            return
        check("raw" not in err and "|" not in pc.pdf_text(pdf), "no pipes printed", err[:300])
        ctx["pdf"] = pdf
        for fn in (test_numbering, test_short_table, test_long_table):
            guarded(fn.__name__, fn, ctx)


if __name__ == "__main__":
    if can_run("pdftotext", "pdftoppm"):
        main()
    finish()
