"""gen render --bundle: the notice and its attachments as one PDF."""
import os
import re
import shutil
import tempfile
from harness import EXAMPLES, ROOT, check, finish, gen
from pdfcheck import (A4, MM, outline, page_count, page_size, page_words, pdf_text, render_page, rules_across_row,
                      text_runs)


def page_text(pdf, page):
    """The text of one page, laid out as printed (pdftotext -layout)."""
    return pdf_text(pdf, "-f", str(page), "-l", str(page), "-layout")


def pages_of(pdf):
    """The text of each page (page_text), in order."""
    return [page_text(pdf, i) for i in range(1, page_count(pdf) + 1)]


def bookmarks(pdf):
    """The outline's entries, depth first: (depth from 1, title, page)."""
    entries = []

    def walk(items, depth):
        for title, page, kids in items:
            entries.append((depth, title, page))
            walk(kids, depth + 1)
    walk(outline(pdf), 1)
    return entries


with tempfile.TemporaryDirectory() as tmp:
    pdf = os.path.join(tmp, "bundle.pdf")
    ex = lambda name: os.path.join(EXAMPLES, name)
    rc, _, err = gen("render", "--bundle", ex("notice.xml"), ex("selfcheck.xml"), ex("nominations.xml"), "-o", pdf)
    check(rc == 0 and os.path.exists(pdf), f"the bundle renders: {err}")
    texts = pages_of(pdf)
    pages = len(texts)

    # Continuous GB/T 9704 page numbers on every page, attachments included.
    for i, t in enumerate(texts, 1):
        check(re.search(r"—\s*%d\s*—" % i, t) is not None, f"page {i} is numbered — {i} —")
    check(not any("第 1 页" in t for t in texts), "the attachments' own numbering gives way to the notice's")

    # Order: the notice, 附件1 (landscape summary), 附件2 (the forms), the 版记 last.
    first_att1 = next((i for i, t in enumerate(texts, 1) if "认证机构自查情况汇总表" in t and "附件1" in t), 0)
    first_att2 = next((i for i, t in enumerate(texts, 1) if "认证示范企业推荐表" in t and "附件2" in t), 0)
    notice_end = next((i for i, t in enumerate(texts, 1) if "2009年8月4日" in t and "浙江省质量技术监督局" in t
                       and "抄送" not in t), 0)
    check(0 < notice_end < first_att1 < first_att2, f"notice ({notice_end}) then 附件1 ({first_att1}) then 附件2 ({first_att2})")
    w, h = page_size(pdf, first_att1)
    ups = [r for r in text_runs(pdf, first_att1) if (r[2], r[3]) == (0, 1)]
    check(h > w and len(ups) > 10, f"附件1 is a landscape table turned onto portrait sheets "
          f"(GB/T 9704-2012 10.1; {w} x {h}, {len(ups)} runs bottom to top)")
    w, h = page_size(pdf, 1)
    check(h > w, "the notice is portrait")
    check(texts[first_att1 - 1].lstrip().startswith("附件1"), "附件1's label at the top left of its first page")
    forms = sum(t.count("推荐企业") for t in texts)
    check(forms == open(ex("nominations.xml"), encoding="utf-8").read().count("<nomination>"),
          f"every nomination form is there ({forms})")
    last = texts[-1]
    check("抄送" in last and "印发" in last, "the 版记 is on the last page")
    check(not any("抄送" in t for t in texts[:-1]), "and nowhere else")
    w, h = page_size(pdf, pages)
    check(h > w, "the 版记's page is the notice's paper")

    # One document, one set of furniture: a form page (on the notice's
    # paper) has the notice's margins and type area, so its page number
    # stands where the notice's do (issue 14: it was 10 mm lower, the form
    # 26 mm in from the edge).
    def number_at(page):
        """The page number's top and its outer end: right on odd pages,
        left on even ones (mm)."""
        ws = page_words(pdf, page)
        nums = [w for w in ws if re.fullmatch(r"\d+", w.text)]
        if not nums:
            return None
        n = max(nums, key=lambda w: w.y0)
        line = [w for w in ws if abs(w.y0 - n.y0) < 1]
        edge = max(w.x1 for w in line) if page % 2 else min(w.x0 for w in line)
        return round(edge / MM, 1), round(n.y0 / MM, 1)

    ref = {p % 2: number_at(p) for p in (1, 2)}
    bad = []
    for p in range(first_att2, pages + 1):
        got, want = number_at(p), ref[p % 2]
        if got is None or want is None or abs(got[0] - want[0]) > 0.5 or abs(got[1] - want[1]) > 0.5:
            bad.append("page %d: number at %s, the notice's at %s" % (p, got, want))
    check(not bad, "the forms' page numbers where the notice's are (same x, y on odd and even pages): %s"
          % "; ".join(bad))
    bad = []
    for p in range(first_att2, pages):
        head = next((w for w in page_words(pdf, p) if w.text == "推荐企业"), None)
        if head is None:
            continue
        img = render_page(pdf, p, A4, dpi=100)
        xs = rules_across_row(img, int((head.y0 + head.y1) / 2 * 100 / 72))
        if not xs or abs(xs[0] - 28 * MM) > 0.6 * MM or abs(xs[-1] - 184 * MM) > 0.6 * MM:
            bad.append("page %d: frame %s" % (p, [round(x / MM, 1) for x in xs[:1] + xs[-1:]]))
    check(not bad, "the forms framed across the notice's type area, 28..184 mm: %s" % "; ".join(bad))

    # One outline: the notice and its sections, each attachment and its parts.
    entries = bookmarks(pdf)
    tops = [(title, page) for depth, title, page in entries if depth == 1]
    check([t for t, _ in tops] == ["关于开展“百家认证机构自律、万家认证企业帮扶”行动的通知",
                                   "附件1　认证机构自查情况汇总表", "附件2　质量管理体系认证示范企业推荐表"],
          f"top-level bookmarks: {tops}")
    check(len(tops) == 3 and tops[0][1] == 1 and tops[1][1] == first_att1 and tops[2][1] == first_att2,
          f"each bookmark points at its first page: {tops}")
    sections = [title for depth, title, _ in entries if depth == 2]
    check("一、目的和意义" in sections and "五、工作要求" in sections, f"the notice's sections: {sections}")

    # Everything of the record's text is there: the notice body round trip.
    body = open(ex("notice.xml"), encoding="utf-8").read()
    body = body[body.index("<![CDATA[") + 9: body.index("]]>")]
    flat = re.sub(r"\s+|—\s*\d+\s*—", "", "".join(texts))
    paras = [re.sub(r"^#+\s*", "", p.strip()) for p in body.split("\n\n") if p.strip()]
    check(all(re.sub(r"\s+", "", p) in flat for p in paras), "every paragraph of the notice in the bundle")

    # A bad attachment stops the bundle: exit 2, no PDF.
    bad = os.path.join(tmp, "bad.xml")
    open(bad, "w", encoding="utf-8").write(open(ex("nominations.xml"), encoding="utf-8").read()
                                           .replace("<postcode>310158</postcode>", "<postcode>31015</postcode>"))
    out2 = os.path.join(tmp, "bad.pdf")
    rc, _, err = gen("render", "--bundle", ex("notice.xml"), ex("selfcheck.xml"), bad, "-o", out2)
    check(rc == 2 and bad in err and not os.path.exists(out2),
          f"a bad attachment: exit 2, named, no PDF ({rc}: {err[:200]})")


# ---- the notice's list numbers and titles its attachments (issue 12) ----

def bundle(out, *records):
    """gen render --bundle RECORDS -o OUT: (exit status, stderr)."""
    rc, _, err = gen("render", "--bundle", *records, "-o", out)
    return rc, err


def first_lines(text, n):
    return [line.strip() for line in text.splitlines() if line.strip()][:n]


def line_of(path, needle):
    """The line of the notice holding `needle` (its entry), 1-based."""
    return next(i for i, line in enumerate(open(path, encoding="utf-8"), 1) if needle in line)


def refused(what, rc, err, out, *needles):
    """Exit 2, every needle in the message, no output file."""
    missing = [n for n in needles if n not in err]
    check(rc == 2 and not missing and not os.path.exists(out),
          f"{what}: exit 2, the message names {missing or 'all'}, no PDF ({rc}: {err.strip()[:300]})")


SUMMARY = '<attachment ref="selfcheck-summary">认证机构自查情况汇总表</attachment>'
FORMS = '<attachment ref="nomination-form">质量管理体系认证示范企业推荐表</attachment>'
FORMS_TITLE = "质量管理体系认证示范企业推荐表"

with tempfile.TemporaryDirectory() as tmp:
    ex = lambda name: os.path.join(EXAMPLES, name)
    notice, selfcheck, forms = ex("notice.xml"), ex("selfcheck.xml"), ex("nominations.xml")
    notice_text = open(notice, encoding="utf-8").read()
    check(SUMMARY in notice_text and FORMS in notice_text, "examples/notice.xml lists the two attachments")

    def variant(name, text):
        path = os.path.join(tmp, name)
        open(path, "w", encoding="utf-8").write(text)
        return path

    # Given in order, and reordered: the same PDF, the notice's order.
    in_order, reordered = os.path.join(tmp, "in-order.pdf"), os.path.join(tmp, "reordered.pdf")
    rc1, err1 = bundle(in_order, notice, selfcheck, forms)
    rc2, err2 = bundle(reordered, notice, forms, selfcheck)
    check(rc1 == 0 and rc2 == 0, f"both orders render ({rc1}: {err1[:200]}; {rc2}: {err2[:200]})")
    check(rc2 == 0 and open(in_order, "rb").read() == open(reordered, "rb").read(),
          "nominations given first: the same PDF as in the notice's order")
    texts = pages_of(reordered) if rc2 == 0 else []
    att1 = [i for i, t in enumerate(texts) if first_lines(t, 1) == ["附件1"]]
    att2 = [i for i, t in enumerate(texts) if first_lines(t, 1) == ["附件2"]]
    check(len(att1) == 1 and att2 and att1[0] < att2[0],
          f"附件1 (one first page) before every 附件2 page: {att1} {att2}")
    if att1 and att2:
        check(first_lines(texts[att1[0]], 2) == ["附件1", "认证机构自查情况汇总表"],
              f"附件1's first page: its label, then the notice's title: {first_lines(texts[att1[0]], 2)}")
        check(first_lines(texts[att2[0]], 2) == ["附件2", FORMS_TITLE],
              f"the first forms page: 附件2 and the notice's title: {first_lines(texts[att2[0]], 2)}")
        check(all(first_lines(texts[i], 2) == ["附件2", FORMS_TITLE] for i in att2),
              "every form is 附件2 under the notice's title")
        check(all("推荐企业" in texts[i] for i in att2) and "推荐企业" not in texts[att1[0]],
              "附件2's pages are the forms, 附件1's the summary")
    # a <self-check> for ref="selfcheck-summary" is the summary, not the default whole report
    check(texts and not any("自查情况的报告" in t or "在浙江省认证企业名录" in t for t in texts),
          "the self-check record is laid out by selfcheck-summary, not selfcheck-report")
    tops = [(title, page) for depth, title, page in bookmarks(reordered) if depth == 1] if rc2 == 0 else []
    check([t for t, _ in tops][1:] == ["附件1　认证机构自查情况汇总表", "附件2　" + FORMS_TITLE],
          f"the attachments' bookmarks carry the notice's labels and titles: {tops}")

    # Alone, each attachment keeps its own label and title.
    alone = os.path.join(tmp, "forms.pdf")
    rc, _, _ = gen("render", forms, "-o", alone)
    alone_first = first_lines(page_text(alone, 1), 2) if rc == 0 else []
    check(alone_first == ["附件2", "认证示范企业推荐表"], f"the forms alone: their own 附件2 and title: {alone_first}")
    alone = os.path.join(tmp, "summary.pdf")
    rc, _, _ = gen("render", "-t", "selfcheck-summary", selfcheck, "-o", alone)
    alone_first = first_lines(page_text(alone, 1), 2) if rc == 0 else []
    check(alone_first == ["附件1", "认证机构自查情况汇总表"], f"the summary alone: its own label and title: {alone_first}")

    # The notice lists the forms first: they are 附件1 and come first.
    swapped = variant("swapped.xml", notice_text.replace(SUMMARY, "@@").replace(FORMS, SUMMARY).replace("@@", FORMS))
    out = os.path.join(tmp, "swapped.pdf")
    rc, err = bundle(out, swapped, selfcheck, forms)
    texts = pages_of(out) if rc == 0 else []
    heads = [first_lines(t, 2) for t in texts if first_lines(t, 1) in (["附件1"], ["附件2"])]
    check(rc == 0 and heads and heads[0] == ["附件1", FORMS_TITLE] and heads[-1] == ["附件2", "认证机构自查情况汇总表"],
          f"the notice's order decides: forms 附件1, summary 附件2 ({rc}: {err[:200]}; {heads[:1]} {heads[-1:]})")

    # One attachment: "附件" without a number, as the notice's 附件说明 has it.
    single = variant("single.xml", notice_text.replace(FORMS + "\n", ""))
    out = os.path.join(tmp, "single.pdf")
    rc, err = bundle(out, single, selfcheck)
    texts = pages_of(out) if rc == 0 else []
    check(rc == 0 and any(first_lines(t, 2) == ["附件", "认证机构自查情况汇总表"] for t in texts)
          and not any(first_lines(t, 1) == ["附件1"] for t in texts), f"a single attachment is 附件, unnumbered ({rc}: {err[:200]})")

    # Refused: exit 2, the notice's entry and its line named, no PDF.
    forms_line, summary_line = line_of(notice, 'ref="nomination-form"'), line_of(notice, 'ref="selfcheck-summary"')
    list_line = line_of(notice, "<attachments>")
    out = os.path.join(tmp, "refused.pdf")
    rc, err = bundle(out, notice, selfcheck)
    refused("a missing attachment", rc, err, out, f"{notice}:{forms_line}: 附件2", FORMS_TITLE, "nomination-form",
            "no record given")
    rc, err = bundle(out, notice, selfcheck, forms, ex("inspection.xml"))
    refused("an extra attachment", rc, err, out, f"{notice}:{list_line}:", ex("inspection.xml"), "<inspection-report>")
    rc, err = bundle(out, notice, selfcheck, ex("inspection.xml"))
    refused("the wrong kind of attachment", rc, err, out, f"{notice}:{list_line}:", ex("inspection.xml"),
            f"{notice}:{forms_line}: 附件2")
    rc, err = bundle(out, single, selfcheck, forms)
    refused("nominations where no entry takes them", rc, err, out, f"{single}:{line_of(single, '<attachments>')}:",
            forms, "<nominations>")
    rc, err = bundle(out, notice, selfcheck, forms, ex("selfcheck.xml"))
    refused("two records for one entry", rc, err, out, f"{notice}:{summary_line}: 附件1", "both given")
    rc, err = bundle(out, notice)
    refused("no attachments at all", rc, err, out, f"{notice}:{summary_line}: 附件1", f"{notice}:{forms_line}: 附件2")
    for name, text, needle in [
            ("no ref=", notice_text.replace('<attachment ref="nomination-form">', "<attachment>"), "names no template"),
            ("an unknown template", notice_text.replace('ref="nomination-form"', 'ref="no-such-form"'), "no-such-form"),
            ("a template without the label and title params",
             notice_text.replace('ref="nomination-form"', 'ref="selfcheck-report"'), "attachment-label"),
            ("two entries of one kind", notice_text.replace('ref="nomination-form"', 'ref="selfcheck-summary"'),
             "<self-check>")]:
        bad = variant("entry.xml", text)
        rc, err = bundle(out, bad, selfcheck, forms)
        refused(f"an entry with {name}", rc, err, out, f"{bad}:{forms_line}: 附件2", needle)

    # The list is the template's word (<attachments of template title> in
    # templates/notice.xml), not the pipeline's: a copy of the templates
    # whose notice lists the attachments elsewhere is read there, and one
    # that declares no list cannot head a bundle.
    moved = os.path.join(tmp, "moved-templates")
    shutil.copytree(os.path.join(ROOT, "templates"), moved)
    tpl_path = os.path.join(moved, "notice.xml")
    tpl_text = open(tpl_path, encoding="utf-8").read()
    declared = '<attachments of="attachments/attachment" template="@ref" title="."/>'
    check(declared in tpl_text, "templates/notice.xml declares where a notice lists its attachments")
    open(tpl_path, "w", encoding="utf-8").write(
        tpl_text.replace(declared, '<attachments of="attachments/attachment[@ref = \'selfcheck-summary\']" '
                                   'template="@ref" title="concat(., \'（摘录）\')"/>'))
    out = os.path.join(tmp, "moved.pdf")
    rc, _, err = gen("render", "--bundle", notice, selfcheck, "--templates", moved, "-o", out)
    texts = pages_of(out) if rc == 0 else []
    check(rc == 0 and any(first_lines(t, 2) == ["附件", "认证机构自查情况汇总表（摘录）"] for t in texts),
          f"the template's of= and title= choose the entries and their titles ({rc}: {err[:200]})")
    open(tpl_path, "w", encoding="utf-8").write(tpl_text.replace(declared, ""))
    out = os.path.join(tmp, "undeclared.pdf")
    rc, _, err = gen("render", "--bundle", notice, selfcheck, forms, "--templates", moved, "-o", out)
    refused("a notice template that declares no list", rc, err, out, "declares no <attachments",
            "cannot head a bundle")

finish()
