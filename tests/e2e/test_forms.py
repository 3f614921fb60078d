#!/usr/bin/env python3
"""End-to-end tests of the nomination form (附件2,
templates/nomination-form.xml): one A4 portrait page per <nomination> of
examples/nominations.xml with its title, labels, values, Markdown reason
and signature line; a fully ruled frame whose 推荐理由 row fills the page;
a reason too long for one page continuing, framed, on the next pages (and
at every length around a page's worth); long values wrapping inside their
cells.

Plain script, standard library only; the last line printed is
"N passed, N failed" and the exit status is non-zero if any check failed.
Geometry: PDF points, y from the top of the page (pdftotext -bbox)."""

import os
import re
import tempfile
import xml.etree.ElementTree as ET

import pdfcheck as pc
from harness import (EXAMPLES, can_run, check, chinese_text, cn_date, finish, gen, guarded,
                     summarise)
from pdfcheck import (A4, MM, NO_END, NO_START, breaking_faults, centre_y, fmt_mm, group_lines,
                      horizontal_rules, ink_rows, line_text, nows, render_page, vertical_rule_span)

RECORD = os.path.join(EXAMPLES, "nominations.xml")

LEFT = 26 * MM
RIGHT = A4[0] - 26 * MM
TOP = 30 * MM
BOTTOM = A4[1] - 25 * MM
LABEL_W = 30 * MM                  # the label columns
VALUE_W = (RIGHT - LEFT - 2 * LABEL_W) / 2
PAD_X = 2 * MM
TITLE = "认证示范企业推荐表"


# ---------------------------------------------------------------- record ---

FIELDS = ["enterprise", "region", "address", "postcode", "products", "contact", "phone",
          "certification", "valid-until", "reason", "filled-by", "reviewed-by", "filled-on"]


def load_record(path):
    root = ET.parse(path).getroot()
    noms = []
    for n in root.findall("nomination"):
        noms.append({f: (n.findtext(f) or "").strip() for f in FIELDS})
    return {"year": root.get("year"), "nominator": (root.findtext("nominator") or "").strip(),
            "nominations": noms}


def md_fragments(src):
    """The pieces of text a Markdown reason shows, in order: each source
    line without list markers, heading marks and emphasis marks."""
    out = []
    for line in src.splitlines():
        line = line.strip()
        line = re.sub(r"^(#+\s+|[-*+]\s+|\d+[.)]\s+|>\s*)", "", line)
        line = line.replace("**", "").replace("__", "")
        line = re.sub(r"(?<!\w)\*(\S[^*]*)\*", r"\1", line)
        line = nows(line)
        if line:
            out.append(line)
    return out


def find_in_order(text, pieces):
    """None if every piece is found in text in order, else a reason."""
    pos = 0
    for p in pieces:
        i = text.find(p, pos)
        if i < 0:
            k = len(p)
            while k > 0 and text.find(p[:k], pos) < 0:
                k -= 1
            j = text.find(p[:k], pos) + k if k else pos
            return ("%r: %d of %d characters found in order, then expected %r but read %r"
                    % (p[:16], k, len(p), p[k:k + 10], text[j:j + 10]))
        pos = i + len(p)
    return None


# ------------------------------------------------------------ reading ---

def form_starts(pages):
    """Page indices (0-based) where a form begins (its title)."""
    return [i for i, p in enumerate(pages) if any(w.text == TITLE for w in p.words)]


def lines_of(page):
    return group_lines([w for w in page.words])


def signature_line(page):
    for l in lines_of(page):
        if line_text(l).startswith("填表人"):
            return l
    return None


def reason_words(page, first):
    """Words of the 推荐理由 cell's text on a page: right of the label
    column, below the 证书有效期 row on the form's first page, above the
    signature line."""
    ws = [w for w in page.words if w.x0 >= LEFT + LABEL_W]
    if first:
        v = [w for w in page.words if w.text.startswith("证书有效期")]
        if not v:
            return []
        ws = [w for w in ws if w.y0 > v[0].y1 + 10]
    sig = signature_line(page)
    if sig:
        ws = [w for w in ws if w.y1 < min(w.y0 for w in sig)]
    return ws


def area_faults(page, pi):
    bad = []
    for w in page.words:
        hang = 7.5 if w.text[:1] in NO_END else 0.5
        # a squeezed closing mark at a line's end: its advance box (what
        # pdftotext reports) passes the edge, its ink (the box's left half)
        # does not
        hang_right = 7.5 if w.text[-1:] in NO_START else 0.5
        if w.x0 < LEFT - hang or w.x1 > RIGHT + hang_right or w.y0 < TOP - 1 or w.y1 > BOTTOM + 1:
            bad.append("page %d: %r at x %.1f..%.1f y %.1f..%.1f outside the type area"
                       % (pi + 1, w.text[:12], w.x0, w.x1, w.y0, w.y1))
    return bad


def frame_faults(img, top, bottom, xs=(LEFT, LEFT + LABEL_W, RIGHT)):
    faults = []
    for x in xs:
        f = vertical_rule_span(img, x, top, bottom)
        if f < 0.99:
            faults.append("vertical rule at %s covers %.0f%% of y %.1f..%.1f"
                          % (fmt_mm(x), 100 * f, top, bottom))
    return faults


# ------------------------------------------------------------------ tests ---

def test_example(ctx, tmp):
    rec = ctx["rec"]
    noms = rec["nominations"]
    pdf = os.path.join(tmp, "forms.pdf")
    rc, _, err = gen("render", RECORD, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), "F render examples/nominations.xml",
                 "exit %d: %s" % (rc, err.strip()[:300])):
        return
    pages = pc.bbox_pages(pdf)
    check(len(pages) == len(noms), "F one page per nomination",
          "%d pages for %d nominations" % (len(pages), len(noms)))
    bad = ["page %d is %.1f x %.1f" % (i + 1, p.width, p.height) for i, p in enumerate(pages)
           if abs(p.width - A4[0]) > 0.5 or abs(p.height - A4[1]) > 0.5]
    check(not bad, "F every page A4 portrait", summarise(bad))
    for i, (page, nom) in enumerate(zip(pages, noms)):
        form_page_checks("F page %d" % (i + 1), pdf, i, page, nom, rec)


def test_metadata(ctx, tmp):
    """All the forms in one PDF: its author and date are the ones every form
    gives (the nominator, the day they were filled in), and a date the forms
    disagree on is no date of the document (it was empty for any)."""
    pdf = os.path.join(tmp, "meta.pdf")
    rc, _, err = gen("render", RECORD, "-o", pdf)
    info = pc.pdfinfo(pdf) if rc == 0 else {}
    nominator = ctx["rec"]["nominator"]
    check(info.get("Author") == nominator, "M the forms' PDF names the nominator as its author",
          "%r, not %r" % (info.get("Author"), nominator))
    check("Aug 28" in info.get("CreationDate", "") and "2009" in info.get("CreationDate", ""),
          "M the forms' PDF is dated as they were filled in (2009-08-28)",
          repr(info.get("CreationDate")))
    rec = os.path.join(tmp, "two-dates.xml")
    record_with(rec, {1: {"filled-on": "2009-08-30"}})
    rc, _, err = gen("render", rec, "-o", pdf)
    info = pc.pdfinfo(pdf) if rc == 0 else {}
    check(rc == 0 and info.get("Author") == nominator and "2009" not in info.get("CreationDate", ""),
          "M forms filled on two days: exit 0, the author kept, no one date",
          "exit %d, %r, %r" % (rc, info.get("Author"), info.get("CreationDate")))


def form_page_checks(label, pdf, pi, page, nom, rec, one_line_values=True):
    lines = lines_of(page)
    flat = [line_text(l) for l in lines]
    head = [("title", TITLE), ("year", "（%s年度）" % rec["year"]),
            ("nominator", "推荐单位（公章）：" + rec["nominator"])]
    for what, want in head:
        check(want in flat, "%s: %s %r" % (label, what, want), "lines: %s" % flat[:6])
    rows = [
        ("推荐企业", "推荐企业" + nom["enterprise"]),
        ("所在地区/邮政编码", "所在地区" + nom["region"] + "邮政编码" + nom["postcode"]),
        ("企业地址", "企业地址" + nom["address"]),
        ("主要产品", "主要产品" + nom["products"]),
        ("联系人/联系电话", "联系人" + nom["contact"] + "联系电话" + nom["phone"]),
        ("认证类型", "认证类型" + nom["certification"]),
        ("证书有效期", "证书有效期至" + cn_date(nom["valid-until"])),
    ]
    if one_line_values:
        at = []
        for what, want in rows:
            want = nows(want)
            ok = want in flat
            check(ok, "%s: row %s reads %r" % (label, what, want),
                  "no such line; lines: %s" % summarise(flat[3:12], 9))
            at.append(flat.index(want) if ok else None)
        got = [a for a in at if a is not None]
        check(got == sorted(got), "%s: the rows in the form's order" % label, "line indices %s" % at)
    # the reason
    text = "".join(line_text(l) for l in group_lines(reason_words(page, True)))
    pieces = md_fragments(nom["reason"])
    why = find_in_order(text, pieces)
    check(why is None, "%s: the reason's text, in order" % label, why)
    rest = text
    for p in pieces:
        rest = rest.replace(p, "", 1)
    check(set(rest) <= set("●•·"),
          "%s: nothing else in the reason cell (list bullets aside)" % label, "left over: %r" % rest[:40])
    breaks = breaking_faults([line_text(l) for l in group_lines(reason_words(page, True))],
                                label)
    check(not breaks, "%s: reason lines follow the line-breaking rules" % label, summarise(breaks))
    # the signature line, last on the page
    sig = signature_line(page)
    want = nows("填表人：%s审核人：%s填报时间：%s" % (nom["filled-by"], nom["reviewed-by"],
                                              cn_date(nom["filled-on"])))
    check(sig is not None and line_text(sig) == want, "%s: 填表人/审核人/填报时间 with values" % label,
          "reads %r, expected %r" % (line_text(sig) if sig else None, want))
    if sig:
        check(line_text(lines[-1]) == line_text(sig),
              "%s: the signature line is the last on the page" % label, "last line %r" % flat[-1])
    bad = area_faults(page, pi)
    check(not bad, "%s: all text within the margins (26 mm .. 184 mm) and the type area" % label,
          summarise(bad))
    # the frame (100 dpi pixels)
    img = render_page(pdf, pi + 1, A4)
    rules = horizontal_rules(img, LEFT, RIGHT)
    if not check(len(rules) >= 2, "%s: a ruled frame" % label, "rules across at %s" % rules):
        return
    top, bottom = rules[0], rules[-1]
    if one_line_values:
        check(len(rules) == 9, "%s: nine rules across (the top and eight rows)" % label,
              "%d at y %s" % (len(rules), ["%.1f" % r for r in rules]))
    bad = frame_faults(img, top, bottom)
    check(not bad, "%s: the frame's left, label and right rules run from top to bottom" % label,
          summarise(bad))
    if one_line_values and len(rules) == 9:
        inner = [LEFT + LABEL_W + VALUE_W, LEFT + 2 * LABEL_W + VALUE_W]
        bad = []
        for r in (1, 4):       # 所在地区/邮政编码 and 联系人/联系电话: four cells
            bad += frame_faults(img, rules[r] + 1, rules[r + 1] - 1, inner)
        for r in (0, 2, 3, 5, 6, 7):   # one value across three columns
            for x in inner:
                if vertical_rule_span(img, x, rules[r] + 2, rules[r + 1] - 2) > 0.5:
                    bad.append("row %d: a rule at %s inside a spanning cell" % (r + 1, fmt_mm(x)))
        check(not bad,
              "%s: rules between label and value cells where the rows have four cells" % label, summarise(bad))
        lab = [w for w in page.words if w.text == "推荐理由"]
        if lab:
            c = centre_y(lab[0])
            check(abs(c - (rules[7] + rules[8]) / 2) < 3,
                  "%s: 推荐理由 centred in its row (valign middle)" % label,
                  "label centre %.1f, row %.1f..%.1f" % (c, rules[7], rules[8]))
    if sig:
        sy0, sy1 = min(w.y0 for w in sig), max(w.y1 for w in sig)
        check(0 < sy0 - bottom <= 15 * MM,
              "%s: the frame's bottom (the reason row filling the page) within 15 mm above 填表人" % label,
              "frame bottom y %.1f, 填表人 y %.1f (%s)" % (bottom, sy0, fmt_mm(sy0 - bottom)))
        check(BOTTOM - 8 * MM < sy1 <= BOTTOM + 1, "%s: 填表人 at the foot of the type area" % label,
              "its box ends at y %.1f, the area at %.1f" % (sy1, BOTTOM))
    ink = ink_rows(img, BOTTOM + 2, A4[1])
    check(not ink, "%s: nothing drawn below the type area" % label,
          "ink at y %.1f..%.1f" % (ink[0], ink[-1]) if ink else "")


def long_reason(n, seed):
    """About n characters of Markdown: paragraphs of Chinese with
    punctuation and a list."""
    body = chinese_text(n, seed)
    # paragraphs of 300-odd characters, a list in the middle
    paras, k = [], 0
    while k < len(body):
        paras.append(body[k:k + 331])
        k += 331
    paras.insert(len(paras) // 2, "- 近三年未发生质量安全事故；\n- 顾客满意度连续三年保持在95%以上；")
    return "\n\n".join(paras)


def record_with(path, changes, keep=None):
    """A copy of examples/nominations.xml with fields of nominations
    changed: changes = {index: {field: text}}; keep: only those indices."""
    tree = ET.parse(RECORD)
    root = tree.getroot()
    noms = root.findall("nomination")
    for i, ch in changes.items():
        for f, v in ch.items():
            noms[i].find(f).text = v
    if keep is not None:
        for i, n in enumerate(noms):
            if i not in keep:
                root.remove(n)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def continued_form_checks(label, pdf, pages, first, last, nom):
    """A form over pages first..last (0-based): the reason complete and in
    order, each part framed, 填表人 on the last page only."""
    text = ""
    for pi in range(first, last + 1):
        text += "".join(line_text(l) for l in group_lines(reason_words(pages[pi], pi == first)))
    why = find_in_order(text, md_fragments(nom["reason"]))
    check(why is None, "%s: the whole reason read back in order over the form's pages" % label, why)
    sigs = [pi for pi in range(first, last + 1) if signature_line(pages[pi])]
    check(sigs == [last], "%s: 填表人 on the form's last page only" % label,
          "on pages %s of %d..%d" % ([s + 1 for s in sigs], first + 1, last + 1))
    bad, frames, empty = [], [], []
    for pi in range(first, last + 1):
        bad += area_faults(pages[pi], pi)
        ws = reason_words(pages[pi], pi == first)
        if not ws:
            empty.append("page %d: no reason text" % (pi + 1))
            continue
        img = render_page(pdf, pi + 1, A4)
        top, bottom = min(w.y0 for w in ws), max(w.y1 for w in ws)
        frames += ["page %d: %s" % (pi + 1, f) for f in frame_faults(img, top, bottom)]
        rules = horizontal_rules(img, LEFT, RIGHT)
        # the rule below may lie lower than the text: the row fills its page
        sig = signature_line(pages[pi])
        floor = min(w.y0 for w in sig) if sig else BOTTOM + 1
        if not any(top - 20 < y < top for y in rules) or not any(bottom < y < floor for y in rules):
            frames.append("page %d: no rule across above and below the reason's part (y %.1f..%.1f), "
                          "rules at %s" % (pi + 1, top, bottom, ["%.1f" % y for y in rules]))
        ink = ink_rows(img, BOTTOM + 2, A4[1])
        if ink:
            bad.append("page %d: ink below the type area at y %.1f" % (pi + 1, ink[0]))
    check(not empty, "%s: every page of the form holds part of the reason" % label, summarise(empty))
    check(not frames, "%s: each part of the reason framed" % label, summarise(frames, 4))
    check(not bad, "%s: everything inside the type area" % label, summarise(bad, 4))


def test_long_reason(ctx, tmp):
    rec = ctx["rec"]
    reason = long_reason(4000, 3)
    path = os.path.join(tmp, "long-reason.xml")
    record_with(path, {0: {"reason": reason}})
    pdf = os.path.join(tmp, "long-reason.pdf")
    rc, _, err = gen("render", path, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), "L render a reason of ~4,000 characters",
                 "exit %d: %s" % (rc, err.strip()[:300])):
        return
    pages = pc.bbox_pages(pdf)
    starts = form_starts(pages)
    n = len(rec["nominations"])
    if not check(len(starts) == n and starts[0] == 0, "L each nomination's form begins with its title",
                 "titles on pages %s" % [s + 1 for s in starts]):
        return
    first_len = starts[1] - starts[0]
    check(first_len >= 2, "L the long form takes two pages or more", "%d page(s)" % first_len)
    check([b - a for a, b in zip(starts[1:], starts[2:] + [len(pages)])]
          == [1] * (n - 1), "L the other forms one page each",
          "forms begin on pages %s of %d" % ([s + 1 for s in starts], len(pages)))
    nom = dict(rec["nominations"][0], reason=reason)
    continued_form_checks("L", pdf, pages, 0, first_len - 1, nom)


def test_reason_lengths(ctx, tmp):
    """Reasons from about two pages on, a line longer each time, over more
    than a page's worth of lines: whatever the length, the reason is
    complete, inside the type area, no page is left empty, and 填表人 ends
    the form (a reason whose last part fills its page is among them)."""
    rec = ctx["rec"]
    unit = "认证企业质量管理体系运行有效产品监督抽查合格率高持续改进顾客满意度"
    base = 1000

    def render(n, name):
        text = (unit * (n // len(unit) + 1))[:n]
        path = os.path.join(tmp, name + ".xml")
        record_with(path, {0: {"reason": text}}, keep={0})
        pdf = os.path.join(tmp, name + ".pdf")
        rc, _, err = gen("render", path, "-o", pdf)
        return rc, err, pdf, text

    rc, err, pdf, text = render(base, "len-probe")
    if not check(rc == 0, "R render a reason of %d characters" % base, err.strip()[:300]):
        return
    pages = pc.bbox_pages(pdf)
    widths = [len(line_text(l)) for p in pages[1:] for l in group_lines(reason_words(p, False))]
    per_line = max(widths) if widths else 25
    check(20 <= per_line <= 30, "R a full reason line holds 20 to 30 characters", "%d" % per_line)
    bad, unfilled, alone = [], [], []
    for k in range(0, 32):
        n = base + k * per_line
        rc, err, pdf, text = render(n, "len-%d" % k)
        if rc != 0:
            bad.append("%d characters: exit %d %s" % (n, rc, err.strip()[:80]))
            continue
        pages = pc.bbox_pages(pdf)
        faults = []
        got = ""
        for pi, p in enumerate(pages):
            got += "".join(line_text(l) for l in group_lines(reason_words(p, pi == 0)))
            faults += area_faults(p, pi)[:1]
            if not p.words:
                faults.append("page %d of %d is blank" % (pi + 1, len(pages)))
            elif not reason_words(p, pi == 0) and not signature_line(p):
                faults.append("page %d of %d holds no part of the reason" % (pi + 1, len(pages)))
        if got != text:
            faults.append("reason read back %d of %d characters%s" % (
                len(got), len(text), " (text repeated)" if len(got) > len(text) else ""))
        sig = [pi for pi, p in enumerate(pages) if signature_line(p)]
        if sig != [len(pages) - 1]:
            faults.append("填表人 on pages %s of %d" % ([s + 1 for s in sig], len(pages)))
        elif len(pages) > 1 and not reason_words(pages[-1], False):
            alone.append("%d characters: 填表人 alone on page %d" % (n, len(pages)))
        elif len(pages) > 1:
            # the reason row (fill="rest") grows on its last page too: the
            # signature line at the foot of the type area, as on a one-page form
            y1 = max(w.y1 for w in signature_line(pages[-1]))
            if y1 < BOTTOM - 8 * MM:
                unfilled.append("%d characters: 填表人 on page %d ends at %s, the type area at %s"
                                % (n, len(pages), fmt_mm(y1), fmt_mm(BOTTOM)))
        if faults:
            bad.append("%d characters (%d pages): %s" % (n, len(pages), "; ".join(faults[:3])))
    check(not bad, "R reasons of %d..%d characters, a line apart: complete, in the type area, no empty page, "
          "填表人 last" % (base, base + 31 * per_line), summarise(bad, 3))
    check(not alone,
          "R 填表人 (keep-with-previous) never begins a page: part of the reason goes with it",
          "%d of 32 lengths: %s" % (len(alone), summarise(alone, 2)))
    check(not unfilled,
          "R a reason row split over pages still fills its last page: 填表人 at the foot",
          "%d of 32 lengths: %s" % (len(unfilled), summarise(unfilled, 2)))


def test_long_values(ctx, tmp):
    rec = ctx["rec"]
    name = ("浙江省杭州市西湖区文三路" + "东海质量认证示范电子科技股份有限公司" * 3)[:60]
    addr = ("浙江省杭州市建德市滨海大道116号" + "东海工业园区创新大厦第三十八层" * 4)[:60]
    products = "开关电源、LED驱动电源、" * 5
    path = os.path.join(tmp, "long-values.xml")
    record_with(path, {1: {"enterprise": name, "address": addr, "products": products}})
    pdf = os.path.join(tmp, "long-values.pdf")
    rc, _, err = gen("render", path, "-o", pdf)
    if not check(rc == 0 and os.path.exists(pdf), "V render long values", "exit %d: %s"
                 % (rc, err.strip()[:300])):
        return
    pages = pc.bbox_pages(pdf)
    check(len(pages) == len(rec["nominations"]), "V still one page per nomination",
          "%d pages" % len(pages))
    if len(pages) < 2:
        return
    page = pages[1]
    img = render_page(pdf, 2, A4)
    rules = horizontal_rules(img, LEFT, RIGHT)
    check(len(rules) == 9, "V nine rules across", "%d: %s" % (len(rules), ["%.1f" % r for r in rules]))
    if len(rules) < 5:
        return
    for what, value, r in (("enterprise", name, 0), ("address", addr, 2), ("products", products, 3)):
        ws = [w for w in page.words if w.x0 >= LEFT + LABEL_W and rules[r] < centre_y(w) < rules[r + 1]]
        lines = group_lines(ws)
        text = "".join(line_text(l) for l in lines)
        check(text == nows(value), "V %s of %d characters read back whole in its cell" % (what, len(value)),
              "read %r" % text[:70])
        check(len(lines) >= 2, "V %s wraps onto several lines" % what, "%d line(s)" % len(lines))
        out = [w for w in ws if w.x0 < LEFT + LABEL_W + PAD_X - (7.5 if w.text[:1] in NO_END else 0.5)
               or w.x1 > RIGHT - PAD_X + 7.5]
        check(not out, "V %s inside its cell" % what,
              summarise("%r x %.1f..%.1f" % (w.text, w.x0, w.x1) for w in out))
        check(not breaking_faults([line_text(l) for l in lines], what),
              "V %s lines follow the line-breaking rules" % what, "")
    bad = area_faults(page, 1)
    check(not bad, "V all text within the margins 26 mm .. 184 mm", summarise(bad))
    form_page_checks("V page 2", pdf, 1, page, dict(rec["nominations"][1], enterprise=name, address=addr,
                                                    products=products), rec, one_line_values=False)


# ------------------------------------------------------------------- main ---

def main():
    with tempfile.TemporaryDirectory(prefix="e2e-forms-") as tmp:
        try:
            ctx = {"rec": load_record(RECORD)}
        except Exception as e:  # noqa: BLE001
            check(False, "record readable", "%s: %s" % (RECORD, e))
            return
        for fn in (test_example, test_metadata, test_long_reason, test_reason_lengths, test_long_values):
            guarded(fn.__name__, fn, ctx, tmp)


if __name__ == "__main__":
    if can_run("pdftotext", "pdfinfo", "pdftoppm"):
        main()
    finish()
