#!/usr/bin/env python3
"""End-to-end: the spacing of a line by clreq (GB/T 15834-2011, W3C clreq).
The notices (examples/notice.xml, notice-sealed.xml, and the shared
record's notice when /work/shared is there) are rendered and every glyph's
origin and advance read back from the PDF's content streams
(pdfcheck.glyphs).  On the body's lines (16 pt on the grid of 28
characters in 156 mm):
  - no two ideographs side by side are further apart than the grid's pitch
    and a quarter em (the 0571-80000000；E-mail： line was spread 0.83 em);
  - a quote “ ” between two ideographs takes one em (LXGW WenKai draws
    them 0.35 em wide);
  - 》（ between two ideographs takes one and a half ems;
  - a mid-line comma between two ideographs keeps its em when the line is
    not squeezed (it is never narrower than what the line's marks give
    alike).

Plain script, standard library only; the last line printed is
"N passed, N failed"."""

import os
import statistics
import tempfile

import pdfcheck as pc
from harness import EXAMPLES, SHARED, can_run, check, finish, gen, guarded, skipped, summarise
from pdfcheck import MM

CHAR = 156 * MM / 28  # the grid's pitch, about 15.79 pt
EM = 16.0
TOL = 0.3             # pt
QUARTER = EM / 4


def ideograph(ch):
    return "\u3400" <= ch <= "\u9fff"


def body_lines(pdf):
    """(page, line) of every line of 16 pt glyphs."""
    out = []
    for n, page in enumerate(pc.glyphs(pdf), 1):
        for line in pc.glyph_lines([g for g in page if abs(g.size - EM) < 0.01]):
            out.append((n, line))
    return out


def spread_of(line):
    """The line's spread between two characters: the usual distance of two
    ideographs side by side less the pitch (the spread is even on a line)."""
    steps = [b.x - a.x for a, b in zip(line, line[1:]) if ideograph(a.ch) and ideograph(b.ch)]
    return statistics.median(steps) - CHAR if steps else 0.0


def text_of(line):
    return "".join(g.ch for g in line)


def check_notice(name, pdf):
    lines = body_lines(pdf)
    check(len(lines) > 50, "%s: body lines read back from the PDF (%d)" % (name, len(lines)))
    wide, quotes, pairs, commas = [], [], [], []
    nquotes = npairs = ncommas = 0
    for page, line in lines:
        spread = spread_of(line)
        for a, b in zip(line, line[1:]):
            if ideograph(a.ch) and ideograph(b.ch) and b.x - a.x - a.adv > QUARTER:
                wide.append("p%d %s%s %.2f em in %s" % (page, a.ch, b.ch, (b.x - a.x - a.adv) / EM,
                                                        text_of(line)))
        for i in range(1, len(line) - 1):
            prev, g, nxt = line[i - 1], line[i], line[i + 1]
            if g.ch in "“”" and ideograph(prev.ch) and ideograph(nxt.ch):
                nquotes += 1
                want = 2 * CHAR + 2 * spread
                if abs(nxt.x - prev.x - want) > TOL:
                    quotes.append("p%d %s%s%s: %.2f pt, not %.2f" % (page, prev.ch, g.ch, nxt.ch,
                                                                    nxt.x - prev.x, want))
            if g.ch == "，" and ideograph(prev.ch) and ideograph(nxt.ch) and spread >= -0.01:
                ncommas += 1
                if nxt.x - g.x < CHAR + spread - TOL:
                    commas.append("p%d %s，%s: %.2f pt" % (page, prev.ch, nxt.ch, nxt.x - g.x))
        for i in range(1, len(line) - 2):
            x, a, b, y = line[i - 1], line[i], line[i + 1], line[i + 2]
            if a.ch + b.ch == "》（" and ideograph(x.ch) and ideograph(y.ch):
                npairs += 1
                want = 2.5 * CHAR + 3 * spread
                if abs(y.x - x.x - want) > TOL:
                    pairs.append("p%d %s》（%s: %.2f pt, not %.2f" % (page, x.ch, y.ch, y.x - x.x,
                                                                   want))
    check(not wide, "%s: no line spread more than a quarter em between ideographs" % name,
          summarise(wide))
    check(nquotes > 0, "%s: quotes between ideographs found (%d)" % (name, nquotes))
    check(not quotes, "%s: every quote between ideographs takes an em" % name, summarise(quotes))
    check(npairs > 0, "%s: 》（ between ideographs found (%d)" % (name, npairs))
    check(not pairs, "%s: every 》（ takes 1.5 em" % name, summarise(pairs))
    check(ncommas > 0, "%s: mid-line commas on unsqueezed lines found (%d)" % (name, ncommas))
    check(not commas, "%s: mid-line commas keep their em on unsqueezed lines" % name,
          summarise(commas))
    text = "".join(text_of(l) for _, l in lines)
    check("rzjg@example.org.cn" in text, "%s: the e-mail address is all there" % name)


def test_notices(tmp):
    records = [("examples/notice.xml", os.path.join(EXAMPLES, "notice.xml")),
               ("examples/notice-sealed.xml", os.path.join(EXAMPLES, "notice-sealed.xml"))]
    shared = os.path.join(SHARED, "records", "notice.xml")
    if os.path.exists(shared):
        records.append(("shared notice.xml", shared))
    else:
        skipped("the shared record's notice (%s not there)" % shared)
    for name, record in records:
        pdf = os.path.join(tmp, os.path.basename(record) + ".pdf")
        status, _, err = gen("render", record, "-o", pdf)
        check(status == 0, "%s renders" % name, err)
        if status == 0:
            check_notice(name, pdf)


def main():
    if not can_run("qpdf"):
        finish()
        return
    with tempfile.TemporaryDirectory() as tmp:
        guarded("notices", test_notices, tmp)
    finish()


if __name__ == "__main__":
    main()
