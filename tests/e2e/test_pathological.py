"""Pathological input that must stay linear (issue #7): one table cell of
200,000 characters, a paragraph with no break opportunity (a 5,000-character
URL), 10,000 Markdown list items, a table of 300 columns.  Each is rendered
through a small template written here (-t PATH) and must finish and give its
text back (pdftotext in content-stream order, whitespace aside).  How fast
is the benchmark's business (make bench), never a test's."""
import os
import re
import subprocess
import tempfile
from harness import check, finish, gen, xml_escape
from pdfcheck import page_count, pdf_text

# far beyond any sane run, even under valgrind: only a hang trips it
TIMEOUT = 600


HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你能而子那得着下自之年"
       "过发后里道行所然家种事方多经么去法学如都同现当没动面起看定天还进好小部其些主样理心她本前开但因只从"
       "想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文")


def chinese(n, seed):
    """n characters of Chinese text with punctuation, the same every run."""
    out, x = [], seed
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        for _ in range(8 + x % 23):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
            out.append(HAN[x % len(HAN)])
        out.append("，。、；"[x % 4])
    return "".join(out[:n])


PORTRAIT = ('<page size="A4" top="25mm" left="25mm" right="25mm" bottom="25mm"/>'
            '<style name="body" role="仿宋" size="五号" leading="14pt"/>')


def render(tmp, name, head, flow, record):
    """Write the template and the record, render; (exit status, stderr, PDF)."""
    tpl = os.path.join(tmp, f"{name}.xml")
    rec = os.path.join(tmp, f"{name}-record.xml")
    pdf = os.path.join(tmp, f"{name}.pdf")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<template name="{name}" record="patho">{head}<flow>{flow}</flow></template>\n')
    with open(rec, "w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<patho>{record}</patho>\n')
    try:
        rc, _, err = gen("render", "-t", tpl, rec, "-o", pdf, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, f"did not finish in {TIMEOUT} s", pdf
    return rc, err, pdf


def text_of(pdf):
    """The PDF's text in content-stream order, without whitespace."""
    return re.sub(r"\s+", "", pdf_text(pdf, "-raw"))


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at {i}: {a[max(0, i - 10):i + 10]!r} / {b[max(0, i - 10):i + 10]!r}"
    return f"lengths {len(a)} and {len(b)}"


with tempfile.TemporaryDirectory(prefix="e2e-patho-") as tmp:
    # One table cell of 200,000 characters: a row many pages tall, split
    # between its lines.
    text = chinese(200000, 1)
    rc, err, pdf = render(tmp, "p-cell", PORTRAIT,
                          '<table columns="1*" rule="0.5pt" padding="1mm 1mm">'
                          '<row><cell><value of="text"/></cell></row></table>',
                          f"<text>{text}</text>")
    check(rc == 0 and os.path.exists(pdf), f"a cell of 200,000 characters renders: {rc} {err}")
    if rc == 0:
        got = text_of(pdf)
        check(got == text, "the cell's 200,000 characters come back in order: "
              + first_difference(got, text))
        check(page_count(pdf) > 50, f"the cell runs over many pages ({page_count(pdf)})")

    # A paragraph with no break opportunity: cut where the line is full.
    alnum = "abcdefghijklmnopqrstuvwxyz0123456789-_"
    url = "https://example.org/" + "".join(alnum[(i * 7919) % len(alnum)] for i in range(4980))
    rc, err, pdf = render(tmp, "p-url", PORTRAIT, '<para align="justify"><value of="url"/></para>',
                          f"<url>{url}</url>")
    check(rc == 0 and os.path.exists(pdf), f"a 5,000-character URL renders: {rc} {err}")
    if rc == 0:
        got = text_of(pdf)
        check(got == url, "the URL comes back whole: " + first_difference(got, url))
        lines = pdf_text(pdf, "-raw").split()
        check(len(lines) > 40, f"the URL is cut into lines ({len(lines)})")

    # 10,000 Markdown list items.
    items = [f"第{i}项{chinese(5 + i % 30, i)}" for i in range(1, 10001)]
    body = "".join(f"- {item}\n" for item in items)
    rc, err, pdf = render(tmp, "p-list", PORTRAIT, '<markdown of="body"/>',
                          f"<body>{xml_escape(body)}</body>")
    check(rc == 0 and os.path.exists(pdf), f"10,000 list items render: {rc} {err}")
    if rc == 0:
        got = text_of(pdf)
        numbers = [int(n) for n in re.findall(r"第(\d+)项", got)]
        check(numbers == list(range(1, 10001)), f"all 10,000 items, in order ({len(numbers)})")
        bare = re.sub(r"[●•·◦▪–-]", "", got)
        check(bare == "".join(items), "the items' text comes back: "
              + first_difference(bare, "".join(items)))

    # A table of 300 columns (landscape, 2 pt type so that a character fits
    # its column), 40 rows.
    n = 300
    chars = chinese(40 * n, 3)
    cells = "".join(f'<cell><value of="c[{k}]"/></cell>' for k in range(1, n + 1))
    rows = "".join("<r>" + "".join(f"<c>{chars[i * n + k]}</c>" for k in range(n)) + "</r>"
                   for i in range(40))
    rc, err, pdf = render(
        tmp, "p-wide",
        '<page size="A4" orientation="landscape" top="20mm" left="20mm" right="20mm" '
        'bottom="20mm"/><style name="body" role="仿宋" size="2pt" leading="3pt"/>',
        f'<table columns="{" ".join(["1*"] * n)}" rule="0.2pt" padding="0.1mm 0.1mm">'
        f'<row each="r">{cells}</row></table>', rows)
    check(rc == 0 and os.path.exists(pdf), f"a table of 300 columns renders: {rc} {err}")
    if rc == 0:
        got = text_of(pdf)
        check(got == chars, "every cell of the 300 columns comes back, row by row: "
              + first_difference(got, chars))

finish()
