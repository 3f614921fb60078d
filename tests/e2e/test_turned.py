#!/usr/bin/env python3
"""Landscape tables inside a portrait document (GB/T 9704-2012 10.1, 横排
表格): the sheet stays A4 portrait, the table is turned with its head
toward the binding edge (订口) on odd pages and the outer edge (切口) on
even ones, which is the sheet's left edge on both (a recto is bound on its
left, a verso on its right); the page number stays upright where the
document's other pages of that parity have theirs.  A document landscape
throughout (the self-check summary printed alone) stays on landscape
sheets.

Read back from the PDFs: the media boxes (pdfinfo), the direction the
glyphs advance (each text operation's text matrix through the `cm`s in
force, from the content stream: pdfcheck.text_runs), word boxes
(pdftotext -bbox) and the ink of a 100 dpi rendering.

Plain script, standard library only; the last line printed is
"N passed, N failed"."""

import os
import re
import tempfile

import pdfcheck as pc
from harness import EXAMPLES, can_run, check, finish, gen, guarded, summarise
from pdfcheck import A4, A4_LANDSCAPE, MM

UP = (0.0, 1.0)       # glyphs advancing bottom to top
ACROSS = (1.0, 0.0)   # left to right
# the portrait type area of GB/T 9704-2012 (mm from the sheet's left and top)
AREA = (28, 37, 184, 262)
DPI = 100


def direction(run):
    return (run[2], run[3])


def is_number(word):
    return re.fullmatch(r"\d+", word.text) is not None


def number_position(pdf, page):
    """The page number's outer end and top (mm): its line's right end on an
    odd page, its left end on an even one (pdftotext -bbox words under
    the type area)."""
    words = [w for w in pc.page_words(pdf, page) if w.y0 > AREA[3] * MM]
    nums = [w for w in words if is_number(w)]
    if len(nums) != 1:
        return None
    line = [w for w in words if abs(w.y0 - nums[0].y0) < 3]
    edge = max(w.x1 for w in line) if page % 2 else min(w.x0 for w in line)
    return round(edge / MM, 2), round(nums[0].y0 / MM, 2), nums[0].text


def ink_box(img, y_max_pt):
    """The box (x0, y0, x1, y1 in mm, top down) of the ink of a gray
    rendering above y_max (points)."""
    px = img.dpi / 72.0
    xs, ys = [], []
    for y in range(min(img.height, int(y_max_pt * px))):
        row = img.row(y)
        hits = [x for x in range(img.width) if row[x] < pc.INK]
        if hits:
            xs += [hits[0], hits[-1]]
            ys.append(y)
    if not xs:
        return None
    return tuple(round(v / px / MM, 1) for v in (min(xs), ys[0], max(xs) + 1, ys[-1] + 1))


def longest_vertical(img):
    """The longest vertical run of ink of a gray rendering: (x, top, bottom)
    in mm.  A turned table's horizontal rules are vertical on the sheet."""
    px = img.dpi / 72.0
    best = (0, 0, 0, 0)
    for x in range(img.width):
        run = top = 0
        for y in range(img.height):
            if img.data[y * img.width + x] < pc.INK:
                if run == 0:
                    top = y
                run += 1
                if run > best[0]:
                    best = (run, x, top, y + 1)
            else:
                run = 0
    return tuple(round(v / px / MM, 1) for v in best[1:])


def turned_pages(pdf):
    """{page: its text runs} of the pages whose text (but the page number)
    runs bottom to top."""
    out = {}
    for p in range(1, pc.page_count(pdf) + 1):
        runs = pc.text_runs(pdf, p)
        if sum(direction(r) == UP for r in runs) * 2 > len(runs):
            out[p] = runs
    return out


def check_turned_document(label, pdf, want_turned, header_word):
    """Every sheet portrait; exactly want_turned turned; on each of them the
    text but the page number runs bottom to top, the header row is nearest
    the sheet's left edge, the ink (the table's rules) inside the portrait
    type area, the rules as long as it is tall, and the page number where
    the portrait pages of its parity have theirs."""
    n = pc.page_count(pdf)
    bad = [p for p in range(1, n + 1) if any(abs(a - b) > 0.5 for a, b in zip(pc.page_size(pdf, p), A4))]
    check(n > 0 and not bad, label + ": every page's media box A4 portrait 595 x 842", "pages %s" % bad)
    turned = turned_pages(pdf)
    check(sorted(turned) == want_turned, label + ": pages %s turned" % want_turned, "turned %s" % sorted(turned))
    upright = [p for p in range(1, n + 1) if p not in turned and pc.text_runs(pdf, p)]
    refs = {}
    for p in upright:
        refs.setdefault(p % 2, number_position(pdf, p))
    check(set(refs) == {0, 1} and all(refs.values()), label + ": odd and even portrait pages to compare with",
          repr(refs))
    for p, runs in sorted(turned.items()):
        where = "%s page %d" % (label, p)
        across = [r for r in runs if direction(r) != UP]
        check(len(across) == 1 and direction(across[0]) == ACROSS and across[0][1] < (297 - AREA[3]) * MM,
              where + ": every run but one bottom to top; that one (the page number) left to right, "
              "under the type area", repr([r[:4] for r in across]))
        # the header row nearest the left edge: its 序号 left of every row number
        words = [w for w in pc.page_words(pdf, p) if w.y0 < AREA[3] * MM]
        head = [w for w in words if w.text == header_word]
        nums = [w for w in words if is_number(w)]
        check(len(head) == 1 and nums and head[0].x1 < min(w.x0 for w in nums),
              where + ": the header row (%s) nearest the sheet's left edge, left of the rows' numbers"
              % header_word, "head %s, numbers from %s" % (head, min((w.x0 for w in nums), default=None)))
        label_word = min(words, key=lambda w: w.x0)
        check(label_word.text in ("附件", "附件1", "附件2", "续表") and label_word.y1 > AREA[3] * MM - 30,
              where + ": the page's head (附件 or 续表) at the left, its first line starting at the bottom "
              "of the type area", repr(label_word))
        img = pc.render_page(pdf, p, A4, DPI)
        box = ink_box(img, AREA[3] * MM + 1)
        ok = box and box[0] >= AREA[0] - 0.5 and box[1] >= AREA[1] - 0.5 and \
            box[2] <= AREA[2] + 0.5 and box[3] <= AREA[3] + 0.5
        check(ok, where + ": all ink above the page number inside the portrait type area, 28..184 x 37..262 mm",
              "ink box %s mm" % (box,))
        x, top, bottom = longest_vertical(img)
        check(abs(top - AREA[1]) <= 0.5 and abs(bottom - AREA[3]) <= 0.5,
              where + ": the table's rules run the type area's height, 37..262 mm", "%s..%s mm" % (top, bottom))
        got, want = number_position(pdf, p), refs.get(p % 2)
        check(got and want and got[2] == str(p) and abs(got[0] - want[0]) <= 0.2 and abs(got[1] - want[1]) <= 0.2,
              where + ": — %d — upright where the portrait %s pages have theirs" % (p, "odd" if p % 2 else "even"),
              "at %s, portrait at %s" % (got, want))


def test_report(tmp):
    pdf = os.path.join(tmp, "inspection.pdf")
    rc, _, err = gen("render", os.path.join(EXAMPLES, "inspection.xml"), "-o", pdf)
    if not check(rc == 0, "the inspection report renders", err[:300]):
        return
    n = pc.page_count(pdf)
    # the list is on pages 3..n-1 (the 版记 alone on the last, portrait)
    check_turned_document("inspection report", pdf, list(range(3, n)), "序号")
    outline = pc.outline(pdf)
    check([pg for t, pg, _ in outline if t.startswith("附件")] == [3],
          "inspection report: the 附件's bookmark lands on its turned page 3", repr(outline))


def test_bundle(tmp):
    pdf = os.path.join(tmp, "bundle.pdf")
    rc, _, err = gen("render", "--bundle", *(os.path.join(EXAMPLES, f) for f in
                                             ("notice.xml", "selfcheck.xml", "nominations.xml")), "-o", pdf)
    if not check(rc == 0, "the bundle renders", err[:300]):
        return
    text = [pc.pdf_text(pdf, "-f", str(p), "-l", str(p)) for p in range(1, pc.page_count(pdf) + 1)]
    summary = [p for p, t in enumerate(text, 1) if "证书编号" in t and "推荐企业" not in t]
    check(len(summary) >= 2, "bundle: 附件1 (the landscape summary) over several pages", repr(summary))
    check_turned_document("bundle", pdf, summary, "序号")


def test_standalone(tmp):
    pdf = os.path.join(tmp, "summary.pdf")
    rc, _, err = gen("render", "-t", "selfcheck-summary", os.path.join(EXAMPLES, "selfcheck.xml"), "-o", pdf)
    if not check(rc == 0, "the summary alone renders", err[:300]):
        return
    n = pc.page_count(pdf)
    bad = [p for p in range(1, n + 1)
           if any(abs(a - b) > 0.5 for a, b in zip(pc.page_size(pdf, p), A4_LANDSCAPE))]
    check(n > 0 and not bad, "the summary alone (landscape throughout): landscape sheets 842 x 595", repr(bad))
    dirs = {direction(r) for p in range(1, n + 1) for r in pc.text_runs(pdf, p)}
    check(dirs == {ACROSS}, "the summary alone: nothing turned, its text left to right", repr(dirs))


def main():
    with tempfile.TemporaryDirectory(prefix="e2e-turned-") as tmp:
        for fn in (test_report, test_bundle, test_standalone):
            guarded(fn.__name__, fn, tmp)


if __name__ == "__main__":
    if can_run("pdftotext", "pdfinfo", "pdftoppm", "qpdf"):
        main()
    finish()
