#!/usr/bin/env python3
"""Forms an office can extend (issue 16, item 4): records carry extra named
fields (<extra name="...">, schemas/extra.rng) that every schema accepts at
the record's top level and among the fields of each row describing an
enterprise; no shipped template prints them; a copy of a template prints
one by name.

The walkthrough is the README's own: its section "在表上增加一项" is read,
its commands run as written (bin/gen being the program under test) in a
folder of their own, its rows put into the copied template where its text
says (before the <row> of the cell 所在地区), its <extra> line into every
<nomination> of the example record; the PDF's text is then read back.

Plain script, standard library only; the last line printed is
"N passed, N failed" and the exit status is non-zero if any check failed."""

import os
import re
import shlex
import shutil
import tempfile

from harness import (EXAMPLES, GEN, ROOT, can_run, check, finish, gen, guarded, line_of, run,
                     summarise, templates_for, write_text)
from pdfcheck import nows, pdf_text

README = os.path.join(ROOT, "README.md")
SECTION = "### 在表上增加一项"
CODE = "91330100MA27XXXX0X"

# each example record: its root's start tag, and the start tag of the rows
# that describe an enterprise (None: the record has none)
EXAMPLE_ROWS = {
    "nominations.xml": "<nomination>",
    "selfcheck.xml": "<enterprise id=",
    "inspection.xml": "<violation>",
    "demo-list.xml": "<entry>",
    "exposure-list.xml": "<entry>",
    "notice.xml": None,
    "notice-sealed.xml": None,
}


# ------------------------------------------------------------ the README ---

def walkthrough():
    """The README section's text and its code blocks (indented four or more
    spaces more than the text before them), each a list of lines with the
    block's common indentation removed."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start = text.index(SECTION)
    end = text.find("\n### ", start + 1)
    section = text[start:end if end > 0 else len(text)]
    blocks, block, text_indent, prev_blank = [], None, 0, True
    for line in section.splitlines():
        if not line.strip():
            prev_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent >= text_indent + 4 and (block is not None or prev_blank):
            if block is None:
                block = []
                blocks.append(block)
            block.append(line)
        else:
            block = None
            # a numbered step's text is indented 3, its code blocks 7 and more
            step = re.match(r"( *)\d+\. ", line)
            text_indent = len(step.group(1)) + 3 if step else indent
        prev_blank = False
    out = []
    for b in blocks:
        common = min(len(l) - len(l.lstrip(" ")) for l in b)
        out.append([l[common:] for l in b])
    return section, out


def run_commands(lines, cwd):
    """Runs each command line as the README writes it, bin/gen being the
    program under test: (exit status, stderr) of the last, or of the first
    that fails."""
    rc, err = 0, ""
    for line in lines:
        args = shlex.split(line)
        if args[0] == "bin/gen":
            args[0] = GEN
        rc, _, err = run(args, cwd=cwd)
        if rc != 0:
            break
    return rc, err


def edit_as_told(template_path, rows):
    """Puts `rows` into the template before the <row min-height="13mm">
    line of the cell 所在地区, at that line's indentation."""
    with open(template_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cell = next(i for i, l in enumerate(lines) if "所在地区</cell>" in l)
    row = max(i for i in range(cell) if '<row min-height="13mm">' in lines[i])
    indent = lines[row][:len(lines[row]) - len(lines[row].lstrip(" "))]
    lines[row:row] = [indent + r for r in rows]
    write_text(template_path, "\n".join(lines))


def with_extra(record_text, extra_lines):
    """The record with the README's <extra> line in every <nomination>,
    after its first field."""
    extra = " ".join(l.strip() for l in extra_lines)
    return re.sub(r"(<nomination>\s*<[^/][^>]*>[^<]*</[^>]+>)", r"\1\n    " + extra, record_text)


def test_walkthrough(tmp):
    section, blocks = walkthrough()
    check(len(blocks) == 4, "the walkthrough has four code blocks (copy, rows, <extra>, render)",
          summarise(b[0] for b in blocks))
    if len(blocks) != 4:
        return
    copy, rows, extra, render = blocks
    check("所在地区" in section and "--templates 我的模板" in render[0],
          "the README says where the rows go and renders with --templates", render[0])
    # the office's folder: the project's templates/ beside it, as in the project folder
    office = os.path.join(tmp, "office")
    os.makedirs(os.path.join(office, "out"))
    os.symlink(os.path.join(ROOT, "templates"), os.path.join(office, "templates"))
    rc, err = run_commands(copy, office)
    mine = os.path.join(office, "我的模板", "nomination-form.xml")
    check(rc == 0 and os.path.exists(mine), "step 1 as written copies the template", f"{rc} {err[:200]}")
    if not os.path.exists(mine):
        return
    edit_as_told(mine, rows)
    with open(os.path.join(EXAMPLES, "nominations.xml"), encoding="utf-8") as f:
        plain = f.read()
    record_text = with_extra(plain, extra)
    n = plain.count("<nomination>")
    check(record_text.count(CODE) == n, f"step 3's line goes into each of the {n} nominations",
          "%d" % record_text.count(CODE))
    write_text(os.path.join(office, "推荐表.xml"), record_text)
    rc, err = run_commands(render, office)
    pdf = os.path.join(office, "out", "推荐表.pdf")
    check(rc == 0 and not err.strip() and os.path.exists(pdf), "step 4 as written renders without a word",
          f"{rc} {err[:300]}")
    if not os.path.exists(pdf):
        return
    pages = [nows(p) for p in pdf_text(pdf).split("\f") if p.strip()]
    check(len(pages) == n, f"one page a nomination ({n})", "%d pages" % len(pages))
    printed = [p for p in pages if "统一社会信用代码" + CODE in p]
    check(len(printed) == n, "every form prints 统一社会信用代码 and the code beside it",
          summarise(p[:120] for p in pages))
    check(all(p.index("推荐企业") < p.index("统一社会信用代码") < p.index("所在地区") for p in printed),
          "between 推荐企业 and 所在地区, where the README puts it", summarise(p[:120] for p in printed))
    # the check the README offers: no word for the copy, one for a slip
    rc, out, err = gen("check", "-t", "nomination-form", "--templates", "我的模板", "推荐表.xml", cwd=office)
    check(rc == 0 and not err.strip(), "gen check -t of the copy: nothing to say", f"{rc} {err[:300]}")
    write_text(os.path.join(office, "原表.xml"), plain)
    rc, out, err = gen("check", "-t", "nomination-form", "--templates", "我的模板", "原表.xml", cwd=office)
    check(rc == 0 and not err.strip(), "a record without the extra: no warning (an extra is optional)",
          f"{rc} {err[:300]}")
    with open(mine, encoding="utf-8") as f:
        good = f.read()
    write_text(mine, good.replace("extra[@name=", "extar[@name=", 1))
    rc, out, err = gen("check", "-t", "nomination-form", "--templates", "我的模板", "推荐表.xml", cwd=office)
    check(rc == 0 and re.search(r"nomination-form\.xml:\d+: warning: .*\"extar\".*did you mean \"extra\"", err),
          "a misspelt extar is warned of at its line", err[:300])
    write_text(mine, good)
    # the shipped template: the same record renders as the record without the extra
    shipped = os.path.join(tmp, "shipped.pdf")
    rc, _, err = gen("render", os.path.join(office, "推荐表.xml"), "-o", shipped)
    before = os.path.join(tmp, "before.pdf")
    rc2, _, err2 = gen("render", os.path.join(EXAMPLES, "nominations.xml"), "-o", before)
    check(rc == 0 and rc2 == 0 and not err.strip(), "the shipped template renders the record with the extra",
          f"{rc} {err[:200]} {err2[:200]}")
    if rc == 0 and rc2 == 0:
        text = pdf_text(shipped)
        check(CODE not in text and "统一社会" not in text, "the shipped template does not print the extra")
        check(text == pdf_text(before), "its text is that of the record without the extra")


# ------------------------------------------- every record, every template ---

def add_extras(text, row):
    """The record with extras at its top level (after the root's start tag
    and before its end tag) and in each row (first and last among its
    fields, one blank)."""
    text = re.sub(r"(<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*)*<[a-z-]+[^>]*>)",
                  r'\1\n  <extra name="批次">第一批</extra>', text, count=1, flags=re.S)
    root = re.search(r"<([a-z-]+)[^>]*>\s*<extra", text).group(1)
    text = text.replace("</%s>" % root, '  <extra name="备注">整份记录的备注</extra>\n</%s>' % root)
    if row:
        tag = re.match(r"<([a-z-]+)", row).group(1)
        start = re.escape(row) + ("" if row.endswith(">") else "[^>]*>")
        text = re.sub("(%s)" % start, r'\1<extra name="统一社会信用代码">%s</extra>' % CODE, text)
        text = text.replace("</%s>" % tag, '<extra name="备注"/></%s>' % tag) if tag != "enterprise" else \
            re.sub(r"(</check>\s*)(</enterprise>)", r'\1<extra name="备注"/>\2', text)
    return text, root


def dump(tmp, name, template, record):
    path = os.path.join(tmp, name)
    rc, _, err = gen("check", "-t", template, record, "--layout-dump", path)
    if rc != 0 or not os.path.exists(path):
        return None, err
    with open(path, encoding="utf-8") as f:
        return f.read(), err


def test_every_template(tmp):
    shutil.copy(os.path.join(EXAMPLES, "seal.png"), tmp)  # notice-sealed's
    for example, row in EXAMPLE_ROWS.items():
        source = os.path.join(EXAMPLES, example)
        with open(source, encoding="utf-8") as f:
            text, root = add_extras(f.read(), row)
        record = write_text(os.path.join(tmp, "extra-" + example), text)
        n = text.count("<extra ")
        wanted = 2 + (2 * len(re.findall(re.escape(row), text)) if row else 0)
        check(n == wanted and n > 2 if row else n == 2, f"{example}: extras put in ({n})")
        rc, _, err = gen("check", record)
        check(rc == 0 and not err.strip(), f"{example} with {n} extras validates", f"{rc} {err[:300]}")
        names = templates_for(root)
        check(names, f"{example}: the shipped templates of <{root}>")
        for t in names:
            plain, _ = dump(tmp, "plain.dump", t, source)
            extended, err = dump(tmp, "extended.dump", t, record)
            check(plain is not None and extended == plain and not err.strip(),
                  f"{example} with extras lays out through {t} exactly as without them",
                  err[:300] if extended is None else "the dumps differ")


def test_refused(tmp):
    """An extra is <extra name="...">text</extra>: a name is needed, and
    nothing but text inside."""
    with open(os.path.join(EXAMPLES, "nominations.xml"), encoding="utf-8") as f:
        plain = f.read()
    for what, extra in (("without a name", "<extra>1</extra>"),
                        ("with a blank name", '<extra name=" ">1</extra>'),
                        ("with an element inside", '<extra name="备注"><b>1</b></extra>')):
        text = plain.replace("<region>", extra + "\n    <region>", 1)
        line = line_of(text, extra)
        record = write_text(os.path.join(tmp, "bad.xml"), text)
        rc, _, err = gen("check", record)
        check(rc == 2 and re.search(r"bad\.xml:%d:" % line, err) is not None,
              f"an extra {what} is refused at its line ({line})", f"{rc} {err[:300]}")
    text = plain.replace("<region>", '<extra name="备注"/>\n    <region>', 1)
    rc, _, err = gen("check", write_text(os.path.join(tmp, "empty.xml"), text))
    check(rc == 0 and not err.strip(), "an empty extra (a blank cell) is accepted", f"{rc} {err[:300]}")


def main():
    if not can_run("pdftotext"):
        finish()
    with tempfile.TemporaryDirectory() as tmp:
        guarded("walkthrough", test_walkthrough, tmp)
        guarded("every template", test_every_template, tmp)
        guarded("refused", test_refused, tmp)
    finish()


main()
