#!/usr/bin/env python3
"""End-to-end tests of the red-header notice (GB/T 9704-2012): renders
examples/notice.xml with bin/gen and checks the PDF's text, geometry and
pixels, and the program's behaviour on bad input.

Plain script, standard library only; the last line printed is
"N passed, N failed" and the exit status is non-zero if any check failed.
Geometry: PDF points, y from the top of the page (pdftotext -bbox)."""

import os
import re
import tempfile
import xml.etree.ElementTree as ET

import pdfcheck as pc
from harness import EXAMPLES, can_run, check, cn_date, finish, gen, guarded, summarise
from pdfcheck import A4, MM, NO_END, NO_START, fmt_mm, nows

RECORD = os.path.join(EXAMPLES, "notice.xml")

# ---- the layout's numbers (shared/gbt9704.md, templates/notice.xml) ----
LEFT = 28 * MM                 # type area, left edge
TOP = 37 * MM                  # type area, top edge
RIGHT = 184 * MM               # type area, right edge (28 + 156)
BOTTOM = 262 * MM              # type area, bottom edge (37 + 225)
CENTRE = (LEFT + RIGHT) / 2    # 106 mm
PITCH = 225 * MM / 22          # line pitch, about 28.95 pt
CHAR = 156 * MM / 28           # character pitch, about 15.79 pt
BODY_SIZE = 16.0
PN_SIZE = 14.0                 # page numbers and colophon, 4号
TOL = 0.5 * MM
DPI = 254                      # 10 pixels per millimetre

# (the e-mail address rzjg@example.org.cn may be cut after @ or before a
# point, as the last resort of a line that would be spread by more than a
# quarter em: test_spacing.py checks it)
KEEP_WHOLE = ["0571-80000000", "〔2009〕195号", "〔2008〕14号"]
# full-width marks whose ink sits in the left half: a line may end with one
# squeezed (by up to half its width), its empty part then reaching past the
# right edge in pdftotext's boxes
SQUEEZABLE = NO_START


# ---------------------------------------------------------------- record ---

def load_record(path):
    root = ET.parse(path).getroot()

    def text(tag):
        el = root.find(tag)
        return (el.text or "").strip() if el is not None else ""

    body = text("body")
    paras = []
    for chunk in re.split(r"\n[ \t]*\n", body):
        chunk = chunk.strip()
        if not chunk:
            continue
        chunk = re.sub(r"^#+ ", "", chunk)
        paras.append(nows(chunk))
    return {
        "issuer": text("issuer"),
        "header": text("header"),
        "doc-number": text("doc-number"),
        "title": text("title"),
        "recipients": text("recipients"),
        "paras": paras,
        "attachments": [(a.text or "").strip() for a in root.findall("attachments/attachment")],
        "signature": text("signature"),
        "date": cn_date(text("date")),
        "subject-words": text("subject-words").split(),
        "cc": text("cc"),
        "printer": text("printer"),
        "print-date": cn_date(text("print-date")),
    }


# ----------------------------------------------------------------- tools ---

def lines_of(pdf, page, below=False):
    """Visual lines of a page inside the type area (or, below=True, under
    it: the page number)."""
    lines = pc.visual_lines(pdf, page)
    if below:
        return [l for l in lines if l.y0 >= BOTTOM]
    return [l for l in lines if l.y0 < BOTTOM]


def page_text(pdf, page):
    """The page's text without whitespace and without the page number (the
    words below the type area)."""
    return nows("".join(w.text for w in pc.page_words(pdf, page) if w.y0 < BOTTOM))


def first_dark_row(img, threshold=128):
    for y in range(img.height):
        row = img.row(y)
        if min(row) < threshold:
            return y
    return None


# ------------------------------------------------------------------ tests ---

def test_info_and_fonts(ctx):
    pdf = ctx["pdf"]
    n = ctx["pages"]
    rc, out, err = pc.run(["pdfinfo", "-f", "1", "-l", str(n), pdf])
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", out)
    bad = ["page %s is %s x %s" % s for s in sizes
           if abs(float(s[1]) - A4[0]) > 0.1 or abs(float(s[2]) - A4[1]) > 0.1]
    check(sizes and not bad, "1 page size A4",
          summarise(bad) if bad else "pdfinfo gave no page sizes: %r" % out[:200])
    check(n > 1, "1 more than one page", "%d page(s)" % n)
    fonts = pc.pdffonts(pdf)
    bad = ["%s: type %r emb %s sub %s uni %s" % (f["name"], f["type"], f["emb"], f["sub"], f["uni"])
           for f in fonts
           if not (f["type"] in ("CID TrueType", "CID Type 0C") and f["emb"] == "yes"
                   and f["sub"] == "yes" and f["uni"] == "yes")]
    check(fonts and not bad,
          "1 fonts are embedded subsets, CID TrueType or CID Type 0C (CFF), with ToUnicode",
          summarise(bad) if bad else "pdffonts lists no font")


def test_text_round_trip(ctx):
    rec = ctx["rec"]
    text = "".join(page_text(ctx["pdf"], p) for p in range(1, ctx["pages"] + 1))
    expected = [("header", rec["header"]), ("doc-number", rec["doc-number"]),
                ("title", rec["title"]), ("recipients", rec["recipients"])]
    expected += [("body paragraph %d" % (i + 1), p) for i, p in enumerate(rec["paras"])]
    expected += [("attachment %d" % (i + 1), a) for i, a in enumerate(rec["attachments"])]
    expected += [("signature", rec["signature"]), ("date", rec["date"])]
    expected += [("subject word %r" % w, w) for w in rec["subject-words"]]
    expected += [("cc", rec["cc"] + "。"), ("printer", rec["printer"]),
                 ("print date", rec["print-date"] + "印发")]
    pos = 0
    for label, want in expected:
        want = nows(want)
        i = text.find(want, pos)
        if i >= 0:
            check(True, "2 text: " + label)
            pos = i + len(want)
            continue
        if text.find(want) >= 0:
            check(False, "2 text: " + label,
                  "%r is in the PDF text but out of order (before the previous item)" % want[:30])
            continue
        # where does it break off?  the longest prefix found after pos
        k = len(want)
        while k > 0 and text.find(want[:k], pos) < 0:
            k -= 1
        if k == 0:
            reason = "%r not found in the PDF text" % want[:40]
        else:
            j = text.find(want[:k], pos) + k
            reason = ("%r: first %d of %d characters found, then expected %r but the PDF has %r"
                      % (want[:20], k, len(want), want[k:k + 8], text[j:j + 8]))
        check(False, "2 text: " + label, reason)


def body_line_map(ctx):
    """For pages 2..N-1: [(page, [lines], [(first?, last?)] or None)]; the
    flags say whether a line starts and ends a body paragraph, found by
    locating the page's text in the concatenated Markdown paragraphs."""
    paras = ctx["rec"]["paras"]
    body = "".join(paras)
    starts, ends, k = set(), set(), 0
    for p in paras:
        starts.add(k)
        k += len(p)
        ends.add(k)
    result = []
    for page in range(2, ctx["pages"]):
        lines = lines_of(ctx["pdf"], page)
        flat = "".join(l.flat for l in lines)
        idx = body.find(flat)
        if idx < 0:
            result.append((page, lines, None))
            continue
        flags = []
        for l in lines:
            flags.append((idx in starts, idx + len(l.flat) in ends))
            idx += len(l.flat)
        result.append((page, lines, flags))
    return result


def test_body_positions(ctx):
    pdf, n = ctx["pdf"], ctx["pages"]
    if n < 3:
        check(False, "3 body pages exist", "only %d pages: no page 2..N-1" % n)
        return
    metrics = ctx["metrics"]
    mapped = body_line_map(ctx)

    count_bad, pitch_bad, start_bad, end_bad, unmapped = [], [], [], [], []
    for k, (page, lines, flags) in enumerate(mapped):
        # 22 lines; 21 only when the 22nd would have been a paragraph's
        # first line alone (an orphan: this page ends a paragraph) or the
        # next page would begin with a paragraph's last line alone (a widow:
        # the next page begins with a paragraph's last two lines)
        nxt = mapped[k + 1][2] if k + 1 < len(mapped) else None
        orphan = flags and flags[-1][1]
        widow = nxt and len(nxt) >= 2 and not nxt[0][0] and not nxt[0][1] and nxt[1][1]
        if not (len(lines) == 22 or (len(lines) == 21 and (orphan or widow))):
            count_bad.append("page %d has %d lines" % (page, len(lines)))
        # line pitch, by baselines: pdftotext's yMin is baseline minus the
        # font's ascent, so yMin of a 黑体 heading and of 仿宋 text differ by
        # the fonts' ascents, not by their position on the grid
        bases = [pc.baseline(l, metrics)[0] for l in lines]
        for i in range(1, len(lines)):
            d = bases[i] - bases[i - 1]
            if abs(d - PITCH) > 0.1:
                pitch_bad.append("page %d line %d->%d: %.2f pt (%r)"
                                 % (page, i, i + 1, d, lines[i].flat[:10]))
        if flags is None:
            unmapped.append("page %d: its text is not a run of the body paragraphs" % page)
            continue
        for i, (l, (first, last)) in enumerate(zip(lines, flags)):
            want = LEFT + (2 * CHAR if first else 0)
            # an opening quote takes an em with its glyph at the right of it
            # (clreq): the line's box starts at the glyph, within that em
            inset = CHAR if l.flat[:1] in "“‘" else 0
            if not want - TOL <= l.x0 <= want + inset + TOL:
                start_bad.append("page %d line %d %r starts at %s, expected %s (%s)"
                                 % (page, i + 1, l.flat[:8], fmt_mm(l.x0), fmt_mm(want),
                                    "paragraph start, indented 2 chars" if first else "continuation"))
            if not last:
                ok = abs(l.x1 - RIGHT) <= TOL
                if not ok and l.flat[-1:] in SQUEEZABLE:
                    # a line-final mark squeezed by up to half its width (its
                    # ink sits in the left half): pdftotext's box still has
                    # the mark's full advance, so it ends up to half an em
                    # beyond the edge the line is justified to
                    ok = RIGHT - TOL <= l.x1 <= RIGHT + BODY_SIZE / 2 + TOL
                if not ok:
                    end_bad.append("page %d line %d %r...%r ends at %s, not justified to 184 mm"
                                   % (page, i + 1, l.flat[:6], l.flat[-4:], fmt_mm(l.x1)))
    check(not count_bad, "3 body pages 2..N-1 hold 22 lines each (21 where an orphan or a widow was avoided)", summarise(count_bad))
    check(not pitch_bad, "3 line pitch 28.95 pt on body pages", summarise(pitch_bad))
    check(not unmapped, "3 body text of pages 2..N-1 found in the record", summarise(unmapped))
    check(not start_bad and not unmapped,
          "3 lines start at 28 mm or 28 mm + 2 chars (paragraph start)", summarise(start_bad or unmapped))
    check(not end_bad and not unmapped,
          "3 lines but the last of a paragraph end at 184 mm", summarise(end_bad or unmapped))
    lines = mapped[0][1]
    if not lines:
        check(False, "3 first line of page 2 in the first grid cell", "page 2 has no text")
    else:
        l = lines[0]
        check(l.y0 >= TOP - TOL and l.y1 <= TOP + PITCH + TOL,
              "3 first line of page 2 in the first grid cell",
              "its box is y %.2f..%.2f pt, the cell %.2f..%.2f pt"
              % (l.y0, l.y1, TOP, TOP + PITCH))


def test_line_breaking(ctx):
    pdf = ctx["pdf"]
    all_lines = []
    for p in range(1, ctx["pages"] + 1):
        all_lines += [(p, l) for l in pc.visual_lines(pdf, p)]
    bad_start = ["page %d: %r" % (p, l.flat[:12]) for p, l in all_lines
                 if l.flat and l.flat[0] in NO_START]
    bad_end = ["page %d: ...%r" % (p, l.flat[-12:]) for p, l in all_lines
               if l.flat and l.flat[-1] in NO_END]
    check(not bad_start, "4 no line starts with closing punctuation", summarise(bad_start))
    check(not bad_end, "4 no line ends with opening punctuation", summarise(bad_end))
    for s in KEEP_WHOLE:
        where = [(p, l) for p, l in all_lines if s in l.flat]
        reason = ""
        if not where:
            # show the two lines it is split across
            for i in range(len(all_lines) - 1):
                a, b = all_lines[i][1].flat, all_lines[i + 1][1].flat
                if s in a + b:
                    reason = "split: ...%r / %r..." % (a[-12:], b[:12])
                    break
            else:
                reason = "not found in any line"
        check(bool(where), "4 %r kept on one line" % s, reason)


def test_page_numbers(ctx):
    pdf, n = ctx["pdf"], ctx["pages"]
    words_bad, pos_bad, ink_bad = [], [], []
    for p in range(1, n + 1):
        words = [w for w in pc.page_words(pdf, p) if w.y0 >= BOTTOM]
        texts = [w.text for w in words]
        if texts != ["—", str(p), "—"]:
            words_bad.append("page %d: %r" % (p, texts))
            continue
        if p % 2:
            want, got, edge = RIGHT - PN_SIZE, words[-1].x1, "right end"
        else:
            want, got, edge = LEFT + PN_SIZE, words[0].x0, "left end"
        if abs(got - want) > TOL:
            pos_bad.append("page %d (%s): %s at %s, expected %s"
                           % (p, "odd" if p % 2 else "even", edge, fmt_mm(got), fmt_mm(want)))
        dash = words[0]
        x = int(dash.x0 / 72 * DPI)
        w = max(1, int(dash.x1 / 72 * DPI + 0.999) - x)
        y0_px = 262 * 10
        img = pc.render(pdf, p, x, y0_px, w, 180, dpi=DPI, gray=True)
        r = first_dark_row(img)
        if r is None:
            ink_bad.append("page %d: no ink under the first dash between 262 and 280 mm" % p)
        else:
            top_mm = (y0_px + r) / 10.0
            if abs(top_mm - 269) > 0.5:
                ink_bad.append("page %d: dash ink top at %.1f mm, expected 269 mm" % (p, top_mm))
    check(not words_bad, "5 page numbers read '— N —' below the type area", summarise(words_bad))
    check(not pos_bad and not words_bad,
          "5 page numbers one character in from the outer edge", summarise(pos_bad or words_bad))
    check(not ink_bad and not words_bad,
          "5 page number dashes' ink top 7 mm below the type area", summarise(ink_bad or words_bad))


def red(px):
    return px[0] > 180 and px[1] < 100 and px[2] < 100


def dark(px):
    return px < 128


def test_header(ctx):
    pdf, rec = ctx["pdf"], ctx["rec"]
    y0_px = 370                       # 37 mm
    img = pc.render(pdf, 1, 0, y0_px, 2100, 1300, dpi=DPI)   # 37..167 mm
    rules = pc.long_rules(img, red, 1500, [1060, 400, 1700])
    if not check(bool(rules), "6 red rule on page 1", "no red horizontal run wider than 150 mm"):
        pass
    else:
        left = min(r[1] for r in rules) / 10.0
        right = (max(r[2] for r in rules) + 1) / 10.0
        check(abs(left - 28) <= 0.5 and abs(right - 184) <= 0.5, "6 red rule spans 28..184 mm",
              "it spans %.1f..%.1f mm (rows %.1f..%.1f mm)"
              % (left, right, (y0_px + rules[0][0]) / 10.0, (y0_px + rules[-1][0] + 1) / 10.0))
        mid = rules[len(rules) // 2][0]
        colour = img.pixel(1060, mid)
        check(all(abs(a - b) <= 12 for a, b in zip(colour, (0xE6, 0, 0x12))), "6 red rule colour #E60012",
              "centre pixel is #%02X%02X%02X" % colour)
    # 7.2.6: 4 mm from the bottom of the number's characters (their ink:
    # the 〔〕 reach the em box's bottom) to the rule's top edge
    gap = pc.red_rule_gap(pdf)
    check(gap is not None and abs(gap - 4) <= 0.3, "6 red rule 4 mm below the 发文字号",
          "gap %r mm" % gap)

    lines = lines_of(pdf, 1)
    title = nows(rec["title"])
    tl = []
    for i, l in enumerate(lines):
        if l.flat and title.startswith(l.flat):
            acc, j = "", i
            while j < len(lines) and title.startswith(acc + lines[j].flat) and acc != title:
                acc += lines[j].flat
                j += 1
            if acc == title:
                tl = lines[i:j]
                break
    if check(bool(tl), "6 title found on page 1", "no run of lines on page 1 reads %r" % title):
        check(len(tl) == 2, "6 title set in two lines",
              "%d lines: %s" % (len(tl), " / ".join(l.flat for l in tl)))
        off = ["%r centred at %s" % (l.flat, fmt_mm((l.x0 + l.x1) / 2)) for l in tl
               if abs((l.x0 + l.x1) / 2 - CENTRE) > 1 * MM]
        check(not off, "6 title lines centred on 106 mm", summarise(off))
        single = [l.flat for l in tl if len(l.flat) < 2]
        check(not single, "6 no title line holds a single character", summarise(single))
    for label, key in (("header", "header"), ("doc-number", "doc-number")):
        want = nows(rec[key])
        found = [l for l in lines if l.flat == want]
        if not found:
            check(False, "6 %s centred" % label, "no line on page 1 reads %r" % want)
            continue
        l = found[0]
        c = (l.x0 + l.x1) / 2
        check(abs(c - CENTRE) <= 1 * MM, "6 %s centred" % label,
              "%r spans %s..%s, centre %s" % (want, fmt_mm(l.x0), fmt_mm(l.x1), fmt_mm(c)))


def test_colophon(ctx):
    pdf, rec, n = ctx["pdf"], ctx["rec"], ctx["pages"]
    y0_px = 2000                      # 200 mm
    img = pc.render(pdf, n, 0, y0_px, 2100, 700, dpi=DPI, gray=True)   # 200..270 mm
    rules = pc.long_rules(img, dark, 1500, [1060, 400, 1700])
    if check(bool(rules), "7 colophon rules on the last page",
             "no dark horizontal run wider than 150 mm between 200 and 270 mm"):
        last = max(r[0] for r in rules)
        bottom = (y0_px + last + 1) / 10.0
        check(abs(bottom - 262) <= 0.5, "7 last rule's bottom edge on 262 mm",
              "its bottom edge is at %.1f mm" % bottom)
        bad = ["row %.1f mm spans %.1f..%.1f mm" % ((y0_px + y) / 10.0, a / 10.0, (b + 1) / 10.0)
               for y, a, b in rules if abs(a / 10.0 - 28) > 0.5 or abs((b + 1) / 10.0 - 184) > 0.5]
        check(not bad, "7 colophon rules as wide as the type area", summarise(bad, 3))
    lines = lines_of(pdf, n)
    cc = [l for l in lines if l.flat.startswith("抄送：")]
    if check(bool(cc), "7 抄送 line on the last page", "no line starts with 抄送："):
        check(abs(cc[0].x0 - (LEFT + PN_SIZE)) <= TOL, "7 抄送 one character in from the left",
              "starts at %s, expected %s" % (fmt_mm(cc[0].x0), fmt_mm(LEFT + PN_SIZE)))
    want = nows(rec["printer"] + rec["print-date"] + "印发")
    pl = [l for l in lines if l.flat == want]
    if check(bool(pl), "7 印发 line on the last page", "no line reads %r" % want):
        l = pl[0]
        check(abs(l.x0 - (LEFT + PN_SIZE)) <= TOL, "7 printer one character in from the left",
              "starts at %s, expected %s" % (fmt_mm(l.x0), fmt_mm(LEFT + PN_SIZE)))
        check(abs(l.x1 - (RIGHT - PN_SIZE)) <= TOL, "7 印发 date one character in from the right",
              "ends at %s, expected %s" % (fmt_mm(l.x1), fmt_mm(RIGHT - PN_SIZE)))


def test_signature(ctx):
    pdf, rec, n = ctx["pdf"], ctx["rec"], ctx["pages"]
    lines = lines_of(pdf, n)
    sig = [l for l in lines if l.flat == nows(rec["signature"])]
    date = [l for l in lines if l.flat == nows(rec["date"])]
    if not check(sig and date, "8 signature and date lines on the last page",
                 "signature line found: %s, date line found: %s" % (bool(sig), bool(date))):
        return
    s, d = sig[-1], date[-1]
    want = RIGHT - 2 * CHAR
    check(abs(s.x1 - want) <= TOL, "8 signature right-indented two characters",
          "ends at %s, expected %s" % (fmt_mm(s.x1), fmt_mm(want)))
    check(abs(d.x0 - s.x0 - 2 * CHAR) <= TOL, "8 date starts two characters right of the signature",
          "signature starts %s, date %s: %.2f pt apart, expected %.2f"
          % (fmt_mm(s.x0), fmt_mm(d.x0), d.x0 - s.x0, 2 * CHAR))


def test_template_option(ctx, tmp):
    out = os.path.join(tmp, "t-notice.pdf")
    rc, _, err = gen("render", "-t", "notice", RECORD, "-o", out)
    if check(rc == 0 and os.path.exists(out), "9 render -t notice succeeds",
             "exit %d: %s" % (rc, err.strip()[:300])):
        m = pc.page_count(out)
        check(m == ctx["pages"], "9 -t notice gives the same page count",
              "%d pages with -t notice, %d without" % (m, ctx["pages"]))


def test_edition_1999(ctx, tmp):
    src = ctx["source"]
    path = os.path.join(tmp, "notice-1999.xml")
    new = re.sub(r"<notice(\s|>)", r'<notice edition="1999"\1', src, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    out = os.path.join(tmp, "notice-1999.pdf")
    rc, _, err = gen("render", path, "-o", out)
    if check(rc == 0 and os.path.exists(out), "10 edition=1999 renders",
             "exit %d: %s" % (rc, err.strip()[:300])):
        text = "".join(page_text(out, p) for p in range(1, pc.page_count(out) + 1))
        check("二〇〇九年八月四日" in text, "10 edition=1999 dates in Chinese numerals",
              "'二〇〇九年八月四日' not in the text")


def test_bad_input(ctx, tmp):
    src = ctx["source"]
    # an impossible date
    path = os.path.join(tmp, "bad-date.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src.replace("<date>2009-08-04</date>", "<date>2009-13-45</date>"))
    line = next(i + 1 for i, l in enumerate(src.splitlines()) if "<date>" in l)
    out = os.path.join(tmp, "bad-date.pdf")
    rc, _, err = gen("render", path, "-o", out)
    check(rc == 2, "11 bad date: exit 2", "exit %d" % rc)
    check("%s:%d:" % (path, line) in err, "11 bad date: FILE:LINE: of the date",
          "expected %r in stderr: %r" % ("%s:%d:" % (os.path.basename(path), line), err.strip()[:300]))
    check(not os.path.exists(out), "11 bad date: no PDF written", "%s exists" % out)

    # malformed XML
    path = os.path.join(tmp, "truncated.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src[:len(src) // 2])
    out = os.path.join(tmp, "truncated.pdf")
    rc, _, err = gen("render", path, "-o", out)
    check(rc == 2, "11 truncated XML: exit 2", "exit %d" % rc)
    check(path in err, "11 truncated XML: message names the file",
          "stderr: %r" % err.strip()[:300])
    check(not os.path.exists(out), "11 truncated XML: no PDF written", "%s exists" % out)

    # unknown template
    out = os.path.join(tmp, "nosuch.pdf")
    rc, _, err = gen("render", "-t", "nosuch", RECORD, "-o", out)
    check(rc == 2, "11 unknown template: exit 2", "exit %d: %r" % (rc, err.strip()[:200]))
    check(not os.path.exists(out), "11 unknown template: no PDF written", "%s exists" % out)


def test_missing_glyph(ctx, tmp):
    src = ctx["source"]
    path = os.path.join(tmp, "pua.xml")
    new = re.sub(r"<title>(.)", "<title>\\1\ue000", src, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    out = os.path.join(tmp, "pua.pdf")
    rc, _, err = gen("render", path, "-o", out)
    check(rc == 0 and os.path.exists(out), "12 missing glyph: exit 0 and a PDF",
          "exit %d, PDF %s: %r" % (rc, "written" if os.path.exists(out) else "missing", err.strip()[:300]))
    check("U+E000" in err and "title" in err and "warning" in err.lower(),
          "12 missing glyph: warning names U+E000 and title",
          "stderr: %r" % err.strip()[:300])
    out = os.path.join(tmp, "pua-strict.pdf")
    rc, _, err = gen("render", "--strict", path, "-o", out)
    check(rc == 2, "12 missing glyph --strict: exit 2", "exit %d: %r" % (rc, err.strip()[:300]))
    check(not os.path.exists(out), "12 missing glyph --strict: no PDF written", "%s exists" % out)


def test_document_info(ctx):
    """Not in the numbered list: the template maps title, issuer,
    doc-number and subject-words to the PDF's document information; PDF text
    strings must be PDFDocEncoding or UTF-16BE with a BOM, so a reader has
    to get the Chinese back exactly."""
    rec, info = ctx["rec"], pc.pdfinfo(ctx["pdf"])
    for key, want in (("Title", rec["title"]), ("Author", rec["issuer"]),
                      ("Subject", rec["doc-number"])):
        got = info.get(key, "")
        check(nows(got) == nows(want), "13 document info %s" % key,
              "pdfinfo reads %r, expected %r" % (got[:40], want))
    got = info.get("Keywords", "")
    check(all(w in got for w in rec["subject-words"]), "13 document info Keywords",
          "pdfinfo reads %r, expected the words %r" % (got[:40], rec["subject-words"]))


# ------------------------------------------------------------------- main ---

def main():
    with tempfile.TemporaryDirectory(prefix="e2e-notice-") as tmp:
        ctx = {}
        try:
            with open(RECORD, encoding="utf-8") as f:
                ctx["source"] = f.read()
            ctx["rec"] = load_record(RECORD)
        except Exception as e:  # noqa: BLE001
            check(False, "record readable", "%s: %s" % (RECORD, e))
            return
        pdf = os.path.join(tmp, "notice.pdf")
        rc, _, err = gen("render", RECORD, "-o", pdf)
        if not check(rc == 0 and os.path.exists(pdf), "0 render examples/notice.xml",
                     "exit %d: %s" % (rc, err.strip()[:500])):
            return
        ctx["pdf"] = pdf
        ctx["pages"] = pc.page_count(pdf)
        ctx["metrics"] = pc.font_metrics(pdf)

        tests = [
            (test_info_and_fonts, False), (test_text_round_trip, False),
            (test_body_positions, False), (test_line_breaking, False),
            (test_page_numbers, False), (test_header, False), (test_colophon, False),
            (test_signature, False), (test_template_option, True),
            (test_edition_1999, True), (test_bad_input, True), (test_missing_glyph, True),
            (test_document_info, False),
        ]
        for fn, wants_tmp in tests:
            guarded(fn.__name__, fn, *((ctx, tmp) if wants_tmp else (ctx,)))


if __name__ == "__main__":
    if can_run("pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "qpdf"):
        main()
    finish()
