#!/usr/bin/env python3
"""End-to-end tests of the three report templates on their records:

  selfcheck-report   examples/selfcheck.xml   自查报告, 附件1 名录, 附件2 汇总表 (included)
  inspection-report  examples/inspection.xml  报告 with its list of serious violators
  demo-list          examples/demo-list.xml   公告 with the list grouped by city

and on bigger records from tools/make_records.py (a demo list of
3,000 entries, 200 violators, 300 enterprises), empty ones, and a demo
list with regions outside the province's cities.  For each: the render
exits 0; the text read back holds every field of the record (titles,
names, the Markdown paragraphs, every table row once, with its values in
their columns); every font is an embedded subset; the pages are portrait
with the landscape lists turned onto them (GB/T 9704-2012 10.1), each with
its number; the outline has
the expected entries, pointing at the right pages; the demo list's groups
come in the province's order of cities, numbered 1..N straight through.

Plain script, standard library only; run from the project root; the last
line printed is "N passed, N failed" and the exit status is non-zero if
any check failed.  GEN names the program (default bin/gen).  The
3,000-entry list (some 10 s) is left out when E2E_SKIP_BIG=1, and when GEN
names another build (sanitizers, valgrind) unless E2E_BIG=1."""

import collections
import os
import re
import tempfile
import xml.etree.ElementTree as ET

import pdfcheck as pc
from harness import (EXAMPLES, GEN, MAKE_RECORDS, ROOT, check, cn_date, finish, gen, guarded,
                     make_records, skipped, summarise)
from pdfcheck import A4, A4_LANDSCAPE, MM, centre_y, nows

BIG = os.environ.get("E2E_BIG") == "1" or (
    os.environ.get("E2E_SKIP_BIG") != "1"
    and os.path.realpath(GEN) == os.path.realpath(os.path.join(ROOT, "bin", "gen")))

CITIES = "杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市".split()
DPI = 100                # of the renderings colours are read from
PX = DPI / 72.0
LINE_TOL = 4.0           # pt: the vertical centres of the words of one line


def text(node, path):
    return " ".join((node.findtext(path) or "").split())


# ------------------------------------------------------------- the PDF ---

def joined(words):
    """The text of words, line by line, without white space."""
    return pc.text_of(words, LINE_TOL)


def page_text(page):
    """The page's text without its page number (— n — below the type
    area), so a paragraph running onto the next page reads whole."""
    return joined([w for w in page.words
                   if not (w.y0 > page.height - 32 * MM and re.fullmatch(r"—|\d+", w.text))])


def is_landscape(page):
    return page.width > page.height


def upright_pages(pdf, pages):
    """(pages, turned): the pages as a reader holding them upright sees
    them, and the numbers of those turned.  A page whose text runs bottom
    to top (read from its content stream, pc.text_runs) is a landscape
    page turned onto a portrait sheet (GB/T 9704-2012 10.1): its words are
    given in the landscape frame (pc.turned_frame), but its page number,
    upright under the sheet's type area (262 mm), stays its lowest line,
    where page_number_faults and read_table look for it."""
    out, turned = [], set()
    for p in pages:
        runs = pc.text_runs(pdf, p.number)
        if not runs or sum(1 for r in runs if (r[2], r[3]) == (0, 1)) * 2 <= len(runs):
            out.append(p)
            continue
        turned.add(p.number)
        unturn = pc.turned_frame((p.width, p.height))
        words = [unturn(w) for w in p.words if w.y0 < 262 * MM]
        words += [pc.Word(w.x0, p.width - 20, w.x1, p.width - 10, w.text) for w in p.words
                  if w.y0 >= 262 * MM]
        out.append(pc.Page(p.number, p.height, p.width, words))
    return out, turned


def table_columns(pdf, page, head):
    """The x positions (pt) of a table's vertical rules: read from a
    rendering, in the padding just under the top rule of the header row
    whose first cell says `head` (a Word).  A turned page (upright_pages)
    is rendered on its sheet and turned back."""
    if page.width > page.height and pc.page_size(pdf, page.number)[0] < page.width - 1:
        img = pc.unturned_image(pc.render_page(pdf, page.number, (page.height, page.width), DPI))
    else:
        img = pc.render_page(pdf, page.number, (page.width, page.height), DPI)
    x = int((head.x0 + head.x1) / 2 * PX)
    y = int(head.y0 * PX) - 1
    while y > 0 and img.pixel(x, y) >= pc.INK:
        y -= 1
    return pc.rules_across_row(img, y + 3)


def column_of(xs, x):
    for c in range(len(xs) - 1):
        if x < xs[c + 1] - 0.5:
            return c
    return len(xs) - 1


def read_table(pages, xs, first_heading):
    """The rows of a table over its pages: ("group", text) for a row
    spanning the columns (its text starts in the first column and is no
    number), ("row", [cell texts]) for the others, anchored by the number
    in their first cell; words go to the row with the nearest vertical
    centre.  Header rows (those with first_heading in the first cell) and
    what lies outside the table's rules are left out; each page's lowest
    line (its number) too."""
    rows = []
    for page in pages:
        if not page.words:
            continue
        bottom = max(w.y0 for w in page.words) - 2       # the page number's line
        heads = [w for w in page.words if w.text == first_heading and column_of(xs, w.x0) == 0]
        top = max(w.y1 for w in page.words if heads and abs(centre_y(w) - centre_y(heads[0])) <= 12) \
            if heads else 0
        words = [w for w in page.words
                 if top < centre_y(w) < bottom and xs[0] - 1 < w.x0 and w.x1 < xs[-1] + 6]
        if heads:
            # the header band: everything level with the first heading
            words = [w for w in words if w.y0 > heads[0].y1]
        anchors = sorted((w for w in words if column_of(xs, w.x0) == 0 and w.text.isdigit()),
                         key=centre_y)
        groups = [w for w in words if column_of(xs, w.x0) == 0 and not w.text.isdigit()]
        group_lines = []
        for g in groups:
            line = [w for w in words if abs(centre_y(w) - centre_y(g)) <= 3]
            group_lines.append((centre_y(g), joined(line), line))
        taken = {id(w) for _, _, line in group_lines for w in line}
        cells = [[[] for _ in range(len(xs) - 1)] for _ in anchors]
        stray = []
        for w in words:
            if id(w) in taken:
                continue
            if not anchors:
                stray.append(w)
                continue
            k = min(range(len(anchors)), key=lambda i: abs(centre_y(anchors[i]) - centre_y(w)))
            cells[k][min(column_of(xs, w.x0), len(xs) - 2)].append(w)
        items = [(centre_y(a), ("row", [joined(c) for c in cells[k]])) for k, a in enumerate(anchors)]
        items += [(y, ("group", t)) for y, t, _ in group_lines]
        rows += [item for _, item in sorted(items, key=lambda i: i[0])]
        rows += [("stray", "page %d: %r" % (page.number, w.text)) for w in stray]
    return rows


def fonts_faults(pdf):
    bad = []
    for f in pc.pdffonts(pdf):
        if f["emb"] != "yes" or f["sub"] != "yes" or not re.match(r"[A-Z]{6}\+", f["name"]):
            bad.append("%s (emb %s, sub %s)" % (f["name"], f["emb"], f["sub"]))
    return bad


def page_number_faults(pages):
    """Each page's lowest line reads "— n —"."""
    bad = []
    for p in pages:
        if not p.words:
            bad.append("page %d is empty" % p.number)
            continue
        low = max(w.y0 for w in p.words)
        last = nows(joined([w for w in p.words if w.y0 >= low - 2]))
        if last != "—%d—" % p.number:
            bad.append("page %d ends with %r" % (p.number, last))
    return bad


def red_fraction(pdf, page, word):
    """The share of the inked pixels of a word's box that are red."""
    x, y = int(word.x0 * PX), int(word.y0 * PX)
    w, h = max(1, int((word.x1 - word.x0) * PX)), max(1, int((word.y1 - word.y0) * PX))
    img = pc.render(pdf, page, x, y, w, h, dpi=DPI)
    ink = red = 0
    for yy in range(img.height):
        for xx in range(img.width):
            r, g, b = img.pixel(xx, yy)
            if min(r, g, b) < 200:          # ink, anti-aliased edges too
                ink += 1
                red += r - max(g, b) > 60
    return red / ink if ink else 0.0


def markdown_texts(md):
    """The plain text of each paragraph, heading and list item of a
    Markdown field (the subset the records use)."""
    out = []
    for block in re.split(r"\n\s*\n", md.strip()):
        for item in re.split(r"\n(?=\s*[-*+] )", block.strip()):
            t = re.sub(r"^\s*(#{1,6}|[-*+])\s+", "", item.strip())
            t = t.replace("**", "").replace("`", "")
            t = re.sub(r"(?<!\*)\*(?!\*)", "", t)
            if t.strip():
                out.append(nows(t))
    return out


def page_sizes_faults(pages, want):
    """want(page) -> "portrait" | "landscape"."""
    bad = []
    for p in pages:
        size = A4_LANDSCAPE if want(p) == "landscape" else A4
        if abs(p.width - size[0]) > 0.5 or abs(p.height - size[1]) > 0.5:
            bad.append("page %d is %.1f x %.1f, not A4 %s" % (p.number, p.width, p.height, want(p)))
    return bad


def first_page_with(pages, word_text, x_max=None):
    for p in pages:
        for w in p.words:
            if w.text == word_text and (x_max is None or w.x0 < x_max):
                return p
    return None


def label_faults(page, label, left):
    """An attachment's label: the top line of its page, at the left edge of
    the type area, 3号 (16 pt) 黑体."""
    if page is None:
        return ["no page starts with %s" % label]
    top = min(page.words, key=lambda w: (w.y0, w.x0))
    bad = []
    if top.text != label:
        bad.append("page %d starts with %r, not %s" % (page.number, top.text, label))
    elif abs(top.x0 - left) > 1:
        bad.append("%s at x %.1f mm, the type area starts at %.1f mm" % (label, top.x0 / MM, left / MM))
    elif not 14 <= (top.y1 - top.y0) <= 24:
        bad.append("%s box %.1f pt high: not 3号" % (label, top.y1 - top.y0))
    return bad


def compare_rows(what, got, want):
    """got: [cell texts] rows read back; want: [cell texts] from the
    record.  Checks the 序号 run and every cell."""
    seqs = [nows(r[0]) for r in got]
    wants = [str(k) for k in range(1, len(want) + 1)]
    first = next((k for k, (a, b) in enumerate(zip(seqs, wants)) if a != b), min(len(seqs), len(wants)))
    check(seqs == wants, "%s: 序号 run 1..%d, each once, in order" % (what, len(want)),
          "%d rows read back; from row %d on read %s, expected %s"
          % (len(seqs), first + 1, seqs[first:first + 4], wants[first:first + 4]))
    bad = []
    for k, (g, w) in enumerate(zip(got, want)):
        for c, (a, b) in enumerate(zip(g, w)):
            if nows(a) != nows(b):
                bad.append("row %d column %d: read %r, expected %r" % (k + 1, c + 1, a[:40], b[:40]))
    check(not bad and len(got) == len(want),
          "%s: every row's cells hold the record's values" % what, summarise(bad, 4))


# --------------------------------------------------- selfcheck-report ---

def selfcheck_checks(label, record, tmp):
    pdf = os.path.join(tmp, label + ".pdf")
    rc, _, err = gen("render", "-t", "selfcheck-report", record, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), label + ": renders with exit 0", err.strip()[:300]):
        return
    root = ET.parse(record).getroot()
    ents = root.findall("enterprises/enterprise")
    sheets = pc.bbox_pages(pdf)
    pages, turned = upright_pages(pdf, sheets)
    p1 = first_page_with(pages, "附件1", x_max=30 * MM)
    p2 = first_page_with(pages, "附件2", x_max=40 * MM)
    if not check(p1 is not None and p2 is not None and p1.number < p2.number,
                 label + ": 附件1 and 附件2 begin pages, in that order"):
        return
    report_pages = pages[:p1.number - 1]
    directory_pages = pages[p1.number - 1:p2.number - 1]
    summary_pages = pages[p2.number - 1:]

    check(not page_sizes_faults(sheets, lambda p: "portrait"),
          label + ": every sheet A4 portrait", summarise(page_sizes_faults(sheets, lambda p: "portrait")))
    check(turned == set(range(p2.number, len(pages) + 1)),
          label + ": 附件2's pages (landscape) turned onto them, the others upright (GB/T 9704-2012 10.1)",
          "turned: %s" % sorted(turned))
    check(not page_number_faults(pages), label + ": every page numbered — n —, straight through",
          summarise(page_number_faults(pages)))
    check(not fonts_faults(pdf), label + ": every font an embedded subset", summarise(fonts_faults(pdf)))

    # the report: every field, every Markdown paragraph, in order
    body = nows("".join(page_text(p) for p in report_pages))
    title = "关于“认证执法监管百万行动”自查情况的报告"
    want = [("title", title), ("body's name and 批准号", "%s（批准号：%s）"
                                % (text(root, "body/name"), text(root, "body/approval-no"))),
            ("recipients", "浙江省质量技术监督局：")]
    want += [("Markdown", t) for t in markdown_texts(root.findtext("report"))]
    want += [("attachment note", "附件：1.在浙江省认证企业名录2.认证机构自查情况汇总表"),
             ("signature and date", text(root, "signed-by") + cn_date(root.findtext("date"))),
             ("附注", "（联系人：%s；联系电话：%s；地址：%s）" % (text(root, "body/contact"), text(root, "body/phone"),
                                                  text(root, "body/address")))]
    missing, pos = [], 0
    for what, t in want:
        i = body.find(nows(t), pos)
        if i < 0:
            missing.append("%s %r" % (what, t[:30]))
        else:
            pos = i + len(nows(t))
    check(not missing, label + ": the report's pages hold its fields and paragraphs, in order",
          summarise(missing))
    check(body.startswith(nows(title)), label + ": the title is the report's first line",
          body[:40])

    # 附件1: label, title, the directory's rows
    check(not label_faults(p1, "附件1", 28 * MM), label + ": 附件1 label at the top left, 3号",
          summarise(label_faults(p1, "附件1", 28 * MM)))
    check("在浙江省认证企业名录" in page_text(p1), label + ": 附件1's title")
    head = next((w for w in p1.words if w.text == "序号"), None)
    if ents and check(head is not None, label + ": 附件1 has its table"):
        xs = table_columns(pdf, p1, head)
        if check(len(xs) == 8, label + ": 附件1's table has 7 columns", "rules at %s" % xs):
            rows = read_table(directory_pages, xs, "序号")
            stray = [t for k, t in rows if k != "row"]
            check(not stray, label + ": nothing in 附件1's table outside its rows", summarise(stray))
            got = [t for k, t in rows if k == "row"]
            want_rows = [[str(k + 1), text(e, "name"), text(e, "region") + text(e, "county"),
                          text(e, "address"), text(e, "postcode"), text(e, "products"),
                          e.find("certificate").get("no")] for k, e in enumerate(ents)]
            compare_rows(label + ": 附件1", got, want_rows)
        later = [p.number for p in directory_pages[1:] if nows(page_text(p))[:2] != "续表"]
        check(not later, label + ": 附件1's later pages begin 续表", summarise(later))
    if not ents:
        check("本期没有在浙江省认证的企业" in nows("".join(page_text(p) for p in directory_pages)),
              label + ": an empty directory says so")

    # 附件2: the included summary, labelled 附件2, its totals
    check(not label_faults(p2, "附件2", 35 * MM), label + ": 附件2 label at the top left, 3号",
          summarise(label_faults(p2, "附件2", 35 * MM)))
    summary = nows("".join(page_text(p) for p in summary_pages))
    period = root.find("period")
    check("认证机构自查情况汇总表" in summary and "共检查企业%d家" % len(ents) in summary
          and "%s至%s" % (cn_date(period.get("from")), cn_date(period.get("to"))) in summary,
          label + ": 附件2 is the summary table, with the period and its total", summary[:80])
    if ents:
        certs = [e.find("certificate").get("no") for e in ents]
        lost = [c for c in certs if summary.count(c) != 1]
        check(not lost, label + ": every certificate number once in 附件2", summarise(lost))

    # the outline
    o = pc.outline(pdf)
    tops = [(t, pg) for t, pg, _ in o]
    check(tops[:1] == [(title, 1)] and [t for t, _ in tops[1:3]] ==
          ["附件1　在浙江省认证企业名录", "附件2　认证机构自查情况汇总表"]
          and [pg for _, pg in tops[1:3]] == [p1.number, p2.number],
          label + ": outline: the title, 附件1 and 附件2 at their pages", repr(tops))
    heads = [nows(re.sub(r"^#\s+", "", l)) for l in root.findtext("report").splitlines()
             if re.match(r"#\s", l)]
    kids = [nows(t) for t, _, _ in o[0][2]] if o else []
    check(kids == heads and len(heads) == 5, label + ": outline: the report's five sections under its title",
          repr(kids))


# -------------------------------------------------- inspection-report ---

def colophon_faults(pdf, page, printer, date):
    """The 版记 of GB/T 9704-2012 7.4 on a portrait page: two rules across
    the type area (28..184 mm), the last one's bottom edge on the type
    area's bottom (262 mm); between them 印发机关 one 4号 character (14 pt)
    in from the left and "DATE印发" one in from the right."""
    bad = []
    if is_landscape(page):
        return ["page %d is landscape" % page.number]
    img = pc.render_page(pdf, page.number, pc.A4, dpi=254)
    rules = [y for y in pc.horizontal_rules(img, 28 * MM, 184 * MM) if y > 200 * MM]
    if len(rules) != 2:
        return ["page %d: %d rules across the type area below 200 mm, not 2 (at %s)"
                % (page.number, len(rules), ", ".join(pc.fmt_mm(y) for y in rules))]
    # a 0.35 mm rule: its middle 0.175 mm above its bottom edge
    if abs(rules[1] + 0.175 * MM - 262 * MM) > 0.3 * MM:
        bad.append("last rule's bottom edge at %s, not 262 mm" % pc.fmt_mm(rules[1] + 0.175 * MM))
    words = sorted((w for w in page.words if rules[0] < centre_y(w) < rules[1]), key=lambda w: w.x0)
    line = nows("".join(w.text for w in words))
    if line != nows(printer + date + "印发"):
        bad.append("between the rules: %r" % line)
    elif abs(words[0].x0 - (28 * MM + 14)) > 0.5 * MM or abs(words[-1].x1 - (184 * MM - 14)) > 0.5 * MM:
        bad.append("the line spans %s..%s, not one character in from 28 and 184 mm"
                   % (pc.fmt_mm(words[0].x0), pc.fmt_mm(words[-1].x1)))
    return bad


def inspection_checks(label, record, tmp):
    pdf = os.path.join(tmp, label + ".pdf")
    rc, _, err = gen("render", "-t", "inspection-report", record, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), label + ": renders with exit 0", err.strip()[:300]):
        return
    root = ET.parse(record).getroot()
    vios = root.findall("violations/violation")
    sheets = pc.bbox_pages(pdf)
    pages, turned = upright_pages(pdf, sheets)
    att = first_page_with(pages, "附件", x_max=40 * MM) if vios else None
    first_att = att.number if att else len(pages) + 1

    # the 版记 after a landscape list: a portrait page of its own, the last
    last_att = len(pages) - 1 if vios else len(pages)
    check(not page_sizes_faults(sheets, lambda p: "portrait"),
          label + ": every sheet A4 portrait", summarise(page_sizes_faults(sheets, lambda p: "portrait")))
    check(turned == set(range(first_att, last_att + 1)),
          label + ": %s turned onto its sheets (GB/T 9704-2012 10.1)"
          % ("the list (landscape)" if vios else "no page"), "turned: %s" % sorted(turned))
    check(not page_number_faults(pages), label + ": every page numbered — n —, straight through",
          summarise(page_number_faults(pages)))
    check(not fonts_faults(pdf), label + ": every font an embedded subset", summarise(fonts_faults(pdf)))

    body = nows("".join(page_text(p) for p in pages[:first_att - 1]))
    mark = text(root, "issuer") + "文件"
    want = [("mark", mark), ("doc-number", text(root, "doc-number")), ("title", text(root, "title")),
            ("recipients", text(root, "recipients"))]
    want += [("Markdown", t) for t in markdown_texts(root.findtext("body"))]
    if vios:
        want.append(("attachment note", "附件：严重违法企业名单"))
    want.append(("signature and date", text(root, "signature") + cn_date(root.findtext("date"))))
    missing, pos = [], 0
    for what, t in want:
        i = body.find(nows(t), pos)
        if i < 0:
            missing.append("%s %r" % (what, t[:30]))
        else:
            pos = i + len(nows(t))
    check(not missing, label + ": the report's pages hold its fields and paragraphs, in order",
          summarise(missing))
    check(body.startswith(nows(mark)), label + ": the issuer's mark heads the first page", body[:30])
    mw = next((w for w in pages[0].words if nows(w.text) == nows(mark)), None)
    check(mw is not None and red_fraction(pdf, 1, mw) > 0.8, label + ": the mark is red")
    gap = pc.red_rule_gap(pdf)
    check(gap is not None and abs(gap - 4) <= 0.3,
          label + ": red rule 4 mm below the 发文字号's characters (7.2.6)", "gap %r mm" % gap)
    bad = colophon_faults(pdf, pages[-1], text(root, "issuer"), cn_date(root.findtext("date")))
    check(not bad, label + ": 版记 on the last page: 印发机关 and 印发日期 between thick rules, "
          "the last on the type area's bottom edge", summarise(bad))
    if not vios:
        check("附件" not in body and len(pages) <= 2 and all(not is_landscape(p) for p in pages),
              label + ": no violators, no attachment note and no list")

    o = pc.outline(pdf)
    heads = [nows(re.sub(r"^#\s+", "", l)) for l in root.findtext("body").splitlines()
             if re.match(r"#\s", l)]
    want_o = [(text(root, "title"), 1)] + ([("附件　严重违法企业名单", first_att)] if vios else [])
    check([(t, pg) for t, pg, _ in o] == want_o and [nows(t) for t, _, _ in o[0][2]] == heads,
          label + ": outline: the title with its sections, the list at its page",
          repr([(t, pg, [k for k, _, _ in kids]) for t, pg, kids in o]))
    if not vios:
        return

    check(not label_faults(att, "附件", 35 * MM), label + ": 附件 label at the top left, 3号",
          summarise(label_faults(att, "附件", 35 * MM)))
    check("严重违法企业名单" in nows(page_text(att)), label + ": the list's title")
    head = next((w for w in att.words if w.text == "序号"), None)
    if not check(head is not None, label + ": the list has its table"):
        return
    xs = table_columns(pdf, att, head)
    if not check(len(xs) == 8, label + ": the list's table has 7 columns", "rules at %s" % xs):
        return
    hw = sorted((w for w in att.words if abs(centre_y(w) - centre_y(head)) <= 12), key=lambda w: w.x0)
    cols = [joined([w for w in hw if column_of(xs, w.x0) == c]) for c in range(7)]
    check(cols == ["序号", "企业名称", "所在县（市、区）", "证书编号", "产品", "违法问题", "处理措施"],
          label + ": the list's column headings", repr(cols))
    rows = read_table(pages[first_att - 1:last_att], xs, "序号")
    stray = [t for k, t in rows if k != "row"]
    check(not stray, label + ": nothing in the list's table outside its rows", summarise(stray))
    got = [t for k, t in rows if k == "row"]
    want_rows = [[str(k + 1), text(v, "enterprise"), text(v, "county"), v.find("certificate").get("no"),
                  text(v, "product"), text(v, "problem"), text(v, "action")] for k, v in enumerate(vios)]
    compare_rows(label + ": the list", got, want_rows)
    later = [p.number for p in pages[first_att:last_att] if nows(page_text(p))[:2] != "续表"]
    check(not later, label + ": the list's later pages begin 续表", summarise(later))


# ---------------------------------------------------------- demo-list ---

def list_name(root):
    t = text(root, "title")
    if "关于公布" in t and "的公告" in t:
        return t.split("关于公布", 1)[1].split("的公告", 1)[0]
    return root.get("year") + "年度认证示范企业名单"


def demo_checks(label, record, tmp):
    pdf = os.path.join(tmp, label + ".pdf")
    rc, _, err = gen("render", "-t", "demo-list", record, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), label + ": renders with exit 0", err.strip()[:300]):
        return
    root = ET.parse(record).getroot()
    entries = root.findall("entries/entry")
    pages = pc.bbox_pages(pdf)
    att = first_page_with(pages, "附件", x_max=40 * MM)
    if not check(att is not None, label + ": the list begins a page with 附件"):
        return

    check(not page_sizes_faults(pages, lambda p: "portrait"), label + ": every page A4 portrait",
          summarise(page_sizes_faults(pages, lambda p: "portrait")))
    check(not page_number_faults(pages), label + ": every page numbered — n —, straight through",
          summarise(page_number_faults(pages)))
    check(not fonts_faults(pdf), label + ": every font an embedded subset", summarise(fonts_faults(pdf)))

    name = list_name(root)
    body = nows("".join(page_text(p) for p in pages[:att.number - 1]))
    mark = text(root, "issuer") + "公告"
    want = [("mark", mark), ("doc-number", text(root, "doc-number")), ("title", text(root, "title"))]
    want += [("Markdown", t) for t in markdown_texts(root.findtext("body"))]
    want += [("attachment note", "附件：" + name),
             ("signature and date", text(root, "signature") + cn_date(root.findtext("date")))]
    missing, pos = [], 0
    for what, t in want:
        i = body.find(nows(t), pos)
        if i < 0:
            missing.append("%s %r" % (what, t[:30]))
        else:
            pos = i + len(nows(t))
    check(not missing, label + ": the notice's pages hold its fields and paragraphs, in order",
          summarise(missing))
    mw = next((w for w in pages[0].words if nows(w.text) == nows(mark)), None)
    check(mw is not None and red_fraction(pdf, 1, mw) > 0.8,
          label + ": the mark (issuer and 公告) is red, on page 1")
    gap = pc.red_rule_gap(pdf)
    check(gap is not None and abs(gap - 4) <= 0.3,
          label + ": red rule 4 mm below the 发文字号's characters (7.2.6)", "gap %r mm" % gap)

    o = pc.outline(pdf)
    check([(t, pg) for t, pg, _ in o] == [(text(root, "title"), 1), ("附件　" + name, att.number)],
          label + ": outline: the title and the list at its page", repr(o))
    check(not label_faults(att, "附件", 28 * MM), label + ": 附件 label at the top left, 3号",
          summarise(label_faults(att, "附件", 28 * MM)))
    check(nows(name) in nows(page_text(att)), label + ": the list's title on its first page")

    if not entries:
        check("本期没有公布的企业" in nows("".join(page_text(p) for p in pages[att.number - 1:])),
              label + ": an empty list says so")
        return
    head = next((w for w in att.words if w.text == "序号"), None)
    if not check(head is not None, label + ": the list has its table"):
        return
    xs = table_columns(pdf, att, head)
    if not check(len(xs) == 5, label + ": the list's table has 4 columns", "rules at %s" % xs):
        return
    rows = read_table(pages[att.number - 1:], xs, "序号")
    stray = [t for k, t in rows if k == "stray"]
    check(not stray, label + ": nothing in the table outside its rows", summarise(stray))

    # what the record says: the cities in the province's order, then the rest
    def city(e):
        return " ".join((e.findtext("region") or "").split())
    order = [c for c in CITIES if any(city(e) == c for e in entries)]
    others = [e for e in entries if city(e) not in CITIES]
    want_groups = [(c, [e for e in entries if city(e) == c]) for c in order]
    if others:
        want_groups.append(("其他", others))
    got_groups, current = [], None
    for kind, t in rows:
        if kind == "group":
            current = (t, [])
            got_groups.append(current)
        elif kind == "row":
            if current is None:
                current = ("(none)", [])
                got_groups.append(current)
            current[1].append(t)
    heads = [g for g, _ in got_groups]
    want_heads = ["%s（%d家）" % (c, len(es)) for c, es in want_groups]
    check(heads == want_heads, label + ": a group row per city with entries, in the province's order, with its count",
          "read %s" % summarise(heads, 12))
    got = [r for _, rs in got_groups for r in rs]
    want_rows, k = [], 0
    for c, es in want_groups:
        for e in es:
            k += 1
            name_cell = text(e, "enterprise") + ("（%s）" % city(e) if c == "其他" else "")
            want_rows.append([str(k), name_cell, text(e, "certification"), text(e, "nominator")])
    compare_rows(label + ": the list", got, want_rows)
    misplaced = []
    for (g, rs), (c, es) in zip(got_groups, want_groups):
        names = collections.Counter(nows(r[1]) for r in rs)
        want_names = collections.Counter(nows(text(e, "enterprise")) + ("（%s）" % city(e) if c == "其他" else "")
                                         for e in es)
        if names != want_names:
            misplaced.append(g)
    check(not misplaced and len(got_groups) == len(want_groups),
          label + ": under each city exactly its enterprises", summarise(misplaced))
    seen = collections.Counter(nows(r[1]) for r in got)
    counted = collections.Counter(nows(r[1]) for r in want_rows)
    check(seen == counted, label + ": every entry once",
          "missing %s; extra %s" % (summarise((counted - seen).elements()),
                                    summarise((seen - counted).elements())))
    later = [p.number for p in pages[att.number:] if nows(page_text(p))[:2] != "续表"]
    check(not later, label + ": the list's later pages begin 续表", summarise(later))


def odd_regions_record(path):
    """The demo list with entries of regions outside the province's cities
    and one whose region has white space around it, under a title that
    does not name the list."""
    src = open(os.path.join(EXAMPLES, "demo-list.xml"), encoding="utf-8").read()
    extra = ("<entry><enterprise>浙江省直属测试有限公司</enterprise><region>省直</region>"
             "<certification>质量管理体系</certification><nominator>天衡认证有限公司</nominator></entry>\n"
             "<entry><enterprise>宁波空白测试有限公司</enterprise><region>  宁波市\n </region>"
             "<certification>环境管理体系</certification><nominator>华信认证中心有限公司</nominator></entry>\n"
             "<entry><enterprise>上海外省测试有限公司</enterprise><region>上海市</region>"
             "<certification>强制性产品认证</certification><nominator>东海质量认证有限公司</nominator></entry>\n")
    src = src.replace("<entries>", "<entries>\n" + extra, 1)
    # a title that does not name the list: the list is called by the year
    src = re.sub(r"<title>.*?</title>", "<title>认证示范企业公告</title>", src, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(src)


# ---------------------------------------------------------------- main ---

def main():
    with tempfile.TemporaryDirectory() as tmp:
        for t in ("selfcheck-report", "inspection-report", "demo-list"):
            rc, _, err = pc.run(["xmllint", "--noout", "--relaxng",
                                 os.path.join(ROOT, "schemas", "template.rng"),
                                 os.path.join(ROOT, "templates", t + ".xml")])
            check(rc == 0, "templates/%s.xml is valid by schemas/template.rng" % t, err.strip()[:200])

        steps = [
            ("selfcheck", lambda: selfcheck_checks("selfcheck", os.path.join(EXAMPLES, "selfcheck.xml"), tmp)),
            ("inspection", lambda: inspection_checks("inspection", os.path.join(EXAMPLES, "inspection.xml"), tmp)),
            ("demo-list", lambda: demo_checks("demo-list", os.path.join(EXAMPLES, "demo-list.xml"), tmp)),
        ]

        def odd():
            path = os.path.join(tmp, "odd-regions.xml")
            odd_regions_record(path)
            demo_checks("demo-list odd regions", path, tmp)
        steps.append(("odd regions", odd))

        if check(os.path.exists(MAKE_RECORDS), "the project's record generator is there", MAKE_RECORDS):
            def made(kind, n, fn, label):
                def step():
                    path = os.path.join(tmp, "%s-%d.xml" % (kind, n))
                    make_records(path, kind, "--count", str(n))
                    fn(label, path, tmp)
                return step
            steps += [
                ("empty selfcheck", made("selfcheck", 0, selfcheck_checks, "selfcheck 0")),
                ("empty inspection", made("inspection", 0, inspection_checks, "inspection 0")),
                ("empty demo-list", made("demo-list", 0, demo_checks, "demo-list 0")),
                ("selfcheck 300", made("selfcheck", 300, selfcheck_checks, "selfcheck 300")),
                ("inspection 200", made("inspection", 200, inspection_checks, "inspection 200")),
                ("demo-list 300", made("demo-list", 300, demo_checks, "demo-list 300")),
            ]
            if BIG:
                steps.append(("demo-list 3000", made("demo-list", 3000, demo_checks, "demo-list 3000")))
            else:
                skipped("the 3,000-entry demo list (E2E_SKIP_BIG, or GEN is another build)")

        for name, step in steps:
            guarded(name, step)


if __name__ == "__main__":
    main()
    finish()
