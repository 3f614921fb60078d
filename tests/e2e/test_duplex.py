#!/usr/bin/env python3
"""--duplex (render, bundle, batch, check): printing on both sides of the
paper, the 版记 is on the last side of the last sheet, an even page
(GB/T 9704-2012 7.4: 置于公文最后一面); when it stands on a page of its own
that would be odd, a blank page comes before it, and neither the blank page
nor the 版记's page is numbered (7.5: 版记页前有空白页的，空白页和版记页均不
编排页码).  Text and page numbers read back from the PDFs; the 版记's rules
from a 254 dpi render.

Plain script, standard library only; the last line printed is
"N passed, N failed"."""

import os
import re
import tempfile

import pdfcheck as pc
from harness import EXAMPLES, ROOT, can_run, check, finish, gen, guarded, make_records, summarise
from pdfcheck import MM, nows

BOTTOM = 262 * MM  # the type area's bottom edge
BLANK_RECORD = os.path.join(ROOT, "tests", "regress", "notice-duplex-blank.xml")


def pages_of(pdf):
    """[(the page's text but its page number, its page number "— n —")] per
    page; the page number is what reads — n — (on a landscape or a form's
    page too, where it is not under 262 mm)."""
    out = []
    for p in range(1, pc.page_count(pdf) + 1):
        text = nows("".join(w.text for w in pc.page_words(pdf, p)))
        numbers = re.findall(r"—\d+—", text)
        out.append((re.sub(r"—\d+—", "", text), "".join(numbers)))
    return out


def number_faults(pages, numbered):
    """Each page i (from 1) in `numbered` reads — i —; every other page
    has no page number."""
    bad = []
    for i, (_, pn) in enumerate(pages, 1):
        want = "—%d—" % i if i in numbered else ""
        if pn != want:
            bad.append("page %d: page number %r, expected %r" % (i, pn, want))
    return bad


def last_rule_faults(pdf, page):
    """The 版记's last rule: its bottom edge on the type area's bottom."""
    img = pc.render_page(pdf, page, pc.A4, dpi=254)
    rules = [y for y in pc.horizontal_rules(img, 28 * MM, 184 * MM) if y > 200 * MM]
    if not rules:
        return ["page %d: no rule across the type area below 200 mm" % page]
    if abs(rules[-1] + 0.175 * MM - BOTTOM) > 0.3 * MM:
        return ["page %d: last rule's bottom edge at %s" % (page, pc.fmt_mm(rules[-1] + 0.175 * MM))]
    return []


def render(tmp, name, *args):
    pdf = os.path.join(tmp, name + ".pdf")
    rc, _, err = gen("render", *args, "-o", pdf)
    check(rc == 0 and os.path.exists(pdf), "render %s: exit 0" % name, err.strip()[:300])
    return pages_of(pdf) if rc == 0 else None, pdf


def test_over_the_leaf(tmp):
    """The notice's text ends on page 7 with its 版记: with --duplex the
    版记 goes over the leaf to page 8, numbered; pages 1..7 unchanged."""
    one, _ = render(tmp, "notice", os.path.join(EXAMPLES, "notice.xml"))
    two, pdf = render(tmp, "notice-duplex", "--duplex", os.path.join(EXAMPLES, "notice.xml"))
    if not one or not two:
        return
    check(len(one) % 2 == 1 and "印发" in one[-1][0], "one side: the 版记 under the text on odd page %d"
          % len(one))
    check(len(two) == len(one) + 1, "duplex: one page more (%d, %d)" % (len(one), len(two)))
    head = [t for t, _ in one[:-1]]
    last = one[-1][0][:one[-1][0].index("主题词")] if "主题词" in one[-1][0] else one[-1][0]
    check([t for t, _ in two[:len(one) - 1]] == head and two[len(one) - 1][0] == last,
          "duplex: the text's pages as one-sided, without the 版记")
    check(two[-1][0].startswith("主题词") and two[-1][0].endswith("印发"),
          "duplex: page %d holds the 版记 alone" % len(two), two[-1][0][:60])
    bad = number_faults(two, set(range(1, len(two) + 1)))
    check(not bad, "duplex: every page numbered, the 版记's too (no blank page before it)",
          summarise(bad))
    bad = last_rule_faults(pdf, len(two))
    check(not bad, "duplex: the 版记's last rule on the type area's bottom", summarise(bad))


def test_blank_page(tmp):
    """The text ends on page 2 and leaves no room for the 版记: page 3 is
    blank and the 版记 on page 4, neither numbered."""
    one, _ = render(tmp, "blank-one", BLANK_RECORD)
    two, pdf = render(tmp, "blank-duplex", "--duplex", BLANK_RECORD)
    if not one or not two:
        return
    check(len(one) == 3 and one[2][0].endswith("印发") and "印发" not in one[1][0],
          "one side: the 版记 alone on page 3", "%d pages" % len(one))
    check(len(two) == 4, "duplex: 4 pages", "%d pages" % len(two))
    if len(two) != 4:
        return
    check(two[2] == ("", ""), "duplex: page 3 blank, without a page number", repr(two[2]))
    check(two[3][0] == one[2][0], "duplex: the 版记 on page 4", two[3][0][:60])
    bad = number_faults(two, {1, 2})
    check(not bad, "duplex: pages 1 and 2 numbered, the blank page and the 版记's not", summarise(bad))
    bad = last_rule_faults(pdf, 4)
    check(not bad, "duplex: the 版记's last rule on the type area's bottom", summarise(bad))


def test_bundle(tmp):
    """A bundle whose 版记 would stand alone on page 13: page 13 blank, the
    版记 on page 14, neither numbered; the attachments' pages numbered on
    (附件1's turned ones too: GB/T 9704-2012 10.1, pages 8-10)."""
    nom = make_records(os.path.join(tmp, "nom2.xml"), "nominations", "--count", "2")
    args = ["--bundle", os.path.join(EXAMPLES, "notice.xml"), os.path.join(EXAMPLES, "selfcheck.xml"), nom]
    one, _ = render(tmp, "bundle-one", *args)
    two, _ = render(tmp, "bundle-duplex", "--duplex", *args)
    if not one or not two:
        return
    check(len(one) == 13 and "抄送" in one[-1][0] and "推荐单位" not in one[-1][0],
          "one side: the bundle's 版记 alone on page 13", "%d pages" % len(one))
    check(len(two) == 14 and two[12] == ("", "") and two[13][0] == one[12][0],
          "duplex: page 13 blank, the 版记 on page 14", "%d pages" % len(two))
    bad = number_faults(two, set(range(1, 13)))
    check(not bad, "duplex: pages 1..12 numbered on through the attachments, 13 and 14 not",
          summarise(bad))


def test_batch_and_check(tmp):
    """batch and check take --duplex; a form without a 版记 is as before."""
    record = os.path.join(EXAMPLES, "nominations.xml")
    out1, out2 = os.path.join(tmp, "forms"), os.path.join(tmp, "forms-duplex")
    rc1, _, err1 = gen("batch", record, "-o", out1)
    rc2, _, err2 = gen("batch", record, "-o", out2, "--duplex")
    check(rc1 == 0 and rc2 == 0, "batch --duplex: exit 0", (err1 + err2).strip()[:300])
    if rc1 == 0 and rc2 == 0:
        names = sorted(os.listdir(out1))
        same = names == sorted(os.listdir(out2)) and all(
            pages_of(os.path.join(out1, n)) == pages_of(os.path.join(out2, n)) for n in names)
        check(names and same, "batch --duplex: forms without a 版记 are laid out as before")
    rc, _, err = gen("check", "--duplex", BLANK_RECORD)
    check(rc == 0, "check --duplex: exit 0", err.strip()[:300])
    rc, _, err = gen("fonts", "--duplex")
    check(rc == 2 and "--duplex" in err, "fonts refuses --duplex, naming it", err.strip()[:200])
    rc, out, _ = gen("render", "--help")
    check(rc == 0 and re.search(r"--duplex", out) is not None, "gen render --help tells of --duplex")


def main():
    with tempfile.TemporaryDirectory(prefix="e2e-duplex-") as tmp:
        for fn in (test_over_the_leaf, test_blank_page, test_bundle, test_batch_and_check):
            guarded(fn.__name__, fn, tmp)


if __name__ == "__main__":
    if can_run("pdftotext", "pdfinfo", "pdftoppm"):
        main()
    finish()
