"""gen render --bundle: the notice and its attachments as one PDF."""
import json
import os
import re
import subprocess
import sys
import tempfile
from harness import GEN, ROOT, check, finish





def page_text(pdf, page):
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-"],
                          capture_output=True, text=True).stdout


def page_size(pdf, page):
    out = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), pdf], capture_output=True,
                         text=True).stdout
    m = re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    return (float(m.group(1)), float(m.group(2))) if m else (0, 0)


def outline(pdf):
    out = subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf], capture_output=True, text=True).stdout
    entries = []

    def walk(items, depth):
        for it in items:
            entries.append((depth, it.get("title", ""), it.get("destpageposfrom1")))
            walk(it.get("kids", []), depth + 1)
    walk(json.loads(out)["outlines"], 1)
    return entries


with tempfile.TemporaryDirectory() as tmp:
    pdf = os.path.join(tmp, "bundle.pdf")
    ex = lambda name: os.path.join(ROOT, "examples", name)
    p = subprocess.run([GEN, "render", "--bundle", ex("notice.xml"), ex("selfcheck.xml"), ex("nominations.xml"),
                        "-o", pdf], capture_output=True, text=True, cwd=ROOT)
    check(p.returncode == 0 and os.path.exists(pdf), f"the bundle renders: {p.stderr}")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    texts = [page_text(pdf, i) for i in range(1, pages + 1)]

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
    check(w > h, f"附件1 is on landscape pages ({w} x {h})")
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

    # One outline: the notice and its sections, each attachment and its parts.
    entries = outline(pdf)
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
    p = subprocess.run([GEN, "render", "--bundle", ex("notice.xml"), ex("selfcheck.xml"), bad, "-o", out2],
                       capture_output=True, text=True, cwd=ROOT)
    check(p.returncode == 2 and bad in p.stderr and not os.path.exists(out2),
          f"a bad attachment: exit 2, named, no PDF ({p.returncode}: {p.stderr[:200]})")

finish()
