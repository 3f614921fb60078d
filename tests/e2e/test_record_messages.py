"""Records a clerk can put right from the messages alone (issue 16): every
fault of a record in one run, each at the offending element's own line,
named by the label the printed form uses, with what is expected; dates as
clerks write them; a missing output folder; a broken template of
--templates; `gen new`'s skeletons; the field reference kept in step with
the schemas."""
import os
import re
import shutil
import tempfile
from harness import EXAMPLES, ROOT, check, finish, gen, guarded, line_of, write_text
from pdfcheck import pdf_text

NOTICE = os.path.join(EXAMPLES, "notice.xml")
SELFCHECK = os.path.join(EXAMPLES, "selfcheck.xml")
NOMINATIONS = os.path.join(EXAMPLES, "nominations.xml")


def source(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def errors(err):
    return [l for l in err.splitlines() if l.strip()]


def faults_at_their_lines(tmp):
    src = source(NOTICE)
    root_line = line_of(src, "<notice")

    # a wrong element name, at its own line, with the field it is likely meant to be
    bad = src.replace("<title>", "<titel>").replace("</title>", "</titel>")
    path = write_text(os.path.join(tmp, "titel.xml"), bad)
    rc, _, err = gen("check", path)
    line = line_of(bad, "<titel>")
    check(rc == 2, f"<titel>: exit 2 ({rc})")
    check(f"{path}:{line}: <titel> is not a field of 通知 <notice>; did you mean <title> (标题)?" in err,
          f"<titel>: said at line {line}, with did you mean: {err!r}")
    check(f":{root_line}:" not in err, f"<titel>: nothing said at the root's line {root_line}: {err!r}")
    check(len(errors(err)) == 1, f"<titel>: one message, not one more for the missing <title>: {err!r}")

    # [2010] for 〔2010〕
    bad = src.replace("浙质评发〔2009〕195号", "浙质监[2010]12号")
    path = write_text(os.path.join(tmp, "brackets.xml"), bad)
    rc, _, err = gen("check", path)
    line = line_of(bad, "<doc-number>")
    check(rc == 2 and f"{path}:{line}: the year of 发文字号 is written in 六角括号 〔〕: "
          f"write \"浙质监〔2010〕12号\", not \"浙质监[2010]12号\"" in err,
          f"[2010]: the fix at line {line}: {err!r}")

    # & in a title: not well-formed XML, said in plain words at its line
    bad = src.replace("<title>关于开展", "<title>质量 & 安全 关于开展")
    path = write_text(os.path.join(tmp, "ampersand.xml"), bad)
    rc, _, err = gen("check", path)
    line = line_of(bad, "<title>")
    check(rc == 2 and f"{path}:{line}: " in err and "write & as &amp;" in err and "EntityRef" not in err,
          f"&: 'write & as &amp;' at line {line}: {err!r}")

    # other well-formedness faults in plain words
    for name, mutated, needle, at in [
        ("nbsp", src.replace("<title>关于", "<title>&nbsp;关于"), "&nbsp; is not an entity XML knows", "<title>"),
        ("mismatch", src.replace("</title>", "</titel>"), "<title> (line", "</titel>"),
        ("less-than", src.replace("<title>关于", "<title>a < b 关于"), "write < as &lt;", "<title>"),
    ]:
        path = write_text(os.path.join(tmp, f"wf-{name}.xml"), mutated)
        rc, _, err = gen("check", path)
        line = line_of(mutated, at)
        check(rc == 2 and f"{path}:{line}: " in err and needle in err,
              f"well-formedness {name}: {needle!r} at line {line}: {err!r}")

    # a missing field, at its parent's line, by its label; a field given twice
    bad = re.sub(r"  <printer>[^\n]*\n", "", src)
    bad = bad.replace("<cc>", "<cc>国家认监委</cc>\n  <cc>", 1)
    path = write_text(os.path.join(tmp, "missing.xml"), bad)
    rc, _, err = gen("check", path)
    check(rc == 2 and f"{path}:{root_line}: 印发机关 <printer> is missing from 通知 <notice>: add <printer>" in err,
          f"missing <printer>: at the root's line {root_line}, by its label: {err!r}")
    line = line_of(bad, "<cc>", 2)
    check(f"{path}:{line}: 抄送机关 <cc> is given again (first at line {line - 1})" in err,
          f"a repeated <cc>: at its line {line}: {err!r}")
    check(len(errors(err)) == 2, f"missing and repeated: two messages: {err!r}")


def three_faults_one_run(tmp):
    src = source(SELFCHECK)
    bad = src
    # 1. an unknown element in the third enterprise
    at = bad.index("<products>", bad.index('<enterprise id="E00003"'))
    bad = bad[:at] + "<remarks>备注</remarks>\n      " + bad[at:]
    # 2. the fifth enterprise without its postcode
    at = bad.index("<postcode>", bad.index('<enterprise id="E00005"'))
    bad = bad[:at] + bad[bad.index("\n", at) + 1:]
    # 3. a postcode of five digits in the seventh
    at = bad.index("<postcode>", bad.index('<enterprise id="E00007"'))
    bad = bad[:at] + "<postcode>32501</postcode>" + bad[bad.index("</postcode>", at) + len("</postcode>"):]
    path = write_text(os.path.join(tmp, "three.xml"), bad)
    rc, _, err = gen("check", path)
    got = errors(err)
    check(rc == 2 and len(got) == 3, f"three faults: three messages in one run: {rc} {got!r}")
    want = [
        (line_of(bad, "<remarks>"), "<remarks> is not a field of 每家获证企业 <enterprise>"),
        (line_of(bad, '<enterprise id="E00005"'), "邮政编码 <postcode> is missing from 每家获证企业 <enterprise>"),
        (line_of(bad, "<postcode>32501<"), '邮政编码 <postcode>: "32501" does not fit its format (6位数字), e.g. 310012'),
    ]
    for line, needle in want:
        check(f"{path}:{line}: {needle}" in err, f"three faults: {needle!r} at line {line}: {err!r}")


def dates_as_clerks_write_them(tmp):
    src = source(NOTICE)
    out = os.path.join(tmp, "dates-iso.pdf")
    rc, _, err = gen("render", NOTICE, "-o", out)
    check(rc == 0, f"the notice renders ({err!r})")
    want = pdf_text(out, "-layout") if rc == 0 else None
    for form in ["2009年8月4日", "2009/8/4", "2009.8.4", "2009-8-4"]:
        path = write_text(os.path.join(tmp, "dates.xml"),
                          src.replace("<date>2009-08-04</date>", f"<date>{form}</date>")
                          .replace("<print-date>2009-08-04</print-date>", f"<print-date>{form}</print-date>"))
        rc, _, err = gen("check", path)
        check(rc == 0 and not errors(err), f"date {form}: accepted ({rc} {err!r})")
        pdf = os.path.join(tmp, "dates.pdf")
        rc, _, err = gen("render", path, "-o", pdf)
        check(rc == 0 and want is not None and pdf_text(pdf, "-layout") == want,
              f"date {form}: the PDF prints what 2009-08-04 prints ({rc} {err!r})")
    # an attribute that holds a date, in a record with rows
    src = source(SELFCHECK)
    path = write_text(os.path.join(tmp, "period.xml"),
                      src.replace('from="2009-05-20"', 'from="2009年5月20日"')
                      .replace('<check date="2009-08-08"', '<check date="2009.8.8"'))
    rc, _, err = gen("check", "-t", "selfcheck-summary", path)
    check(rc == 0, f"dates in attributes: accepted ({rc} {err!r})")
    # no such day
    bad = source(NOTICE).replace("<date>2009-08-04</date>", "<date>2009年2月30日</date>")
    path = write_text(os.path.join(tmp, "feb30.xml"), bad)
    rc, _, err = gen("check", path)
    check(rc == 2 and f"{path}:{line_of(bad, '<date>')}: 成文日期 <date>: \"2009年2月30日\" is no day of the "
          "calendar: month 2 of 2009 has 28 days" in err, f"2009年2月30日: refused at its line ({err!r})")
    bad = source(NOTICE).replace("<date>2009-08-04</date>", "<date>八月四日</date>")
    path = write_text(os.path.join(tmp, "words.xml"), bad)
    rc, _, err = gen("check", path)
    check(rc == 2 and "is not a date; write it as 2009-08-04, 2009年8月4日" in err,
          f"a date in words: refused with the forms ({err!r})")


def missing_folder(tmp):
    for args, folder in [
        (["render", NOTICE, "-o", "nosuchdir/x.pdf"], "nosuchdir"),
        (["render", "--bundle", NOTICE, SELFCHECK, NOMINATIONS, "-o", "nosuchdir/b.pdf"], "nosuchdir"),
        (["batch", NOMINATIONS, "-o", "nosuch/deeper/", "--name", "enterprise"], "nosuch"),
        (["campaign", "list", EXAMPLES, "-o", "nosuchdir/list.xml"], "nosuchdir"),
        (["new", "notice", "-o", "nosuchdir/n.xml"], "nosuchdir"),
    ]:
        rc, _, err = gen(*args, cwd=tmp)
        check(rc == 2 and f"the folder {folder} does not exist" in err,
              f"{args[0]} into a missing folder: exit 2 naming {folder} ({rc} {err!r})")
    check(os.listdir(tmp) == [], f"nothing made in {tmp}: {os.listdir(tmp)}")


def broken_template(tmp):
    folder = os.path.join(tmp, "templates")
    shutil.copytree(os.path.join(ROOT, "templates"), folder)
    path = os.path.join(folder, "nomination-form.xml")
    text = source(path)
    at = text.index("<page")
    write_text(path, text[:at] + "<pagex" + text[at + len("<page"):])
    line = line_of(text, "<page")
    out = os.path.join(tmp, "forms.pdf")
    rc, _, err = gen("render", "--templates", folder, NOMINATIONS, "-o", out)
    check(rc == 2 and f"{path}:{line}:" in err and "pagex" in err,
          f"a broken template: its own file, line and error ({rc} {err!r})")
    check(not os.path.exists(out), "a broken template: no PDF")
    # not well-formed
    write_text(path, text.replace("</template>", ""))
    rc, _, err = gen("check", "--templates", folder, NOMINATIONS)
    check(rc == 2 and f"{path}:" in err and "is closed" in err,
          f"a template that is not well-formed: said of the template ({rc} {err!r})")


def skeletons(tmp):
    types = {"notice": "notice", "selfcheck": "self-check", "nominations": "nominations",
             "inspection": "inspection-report", "public-list": "public-list"}
    for kind, root in types.items():
        path = os.path.join(tmp, f"{kind}.xml")
        rc, _, err = gen("new", kind, "-o", path)
        check(rc == 0 and os.path.exists(path), f"gen new {kind}: written ({rc} {err!r})")
        if rc != 0:
            continue
        text = source(path)
        check(f"<{root}" in text, f"gen new {kind}: a <{root}> record")
        empty = re.findall(r'<([a-z-]+)></\1>|([a-z-]+)=""', text)
        rc, _, err = gen("check", path)
        got = errors(err)
        check(rc == 2 and len(got) == len(empty) and all("is empty: fill it in" in l for l in got),
              f"gen new {kind} left empty: refused, one message for each of its {len(empty)} blanks: {got[:3]!r}")
        # fill every blank with the example of the comment above it
        lines, pending, filled = text.split("\n"), [], []
        for line in lines:
            if line.strip().startswith("<!--"):
                pending.append(line)
                continue

            def example(attr):
                for c in reversed(pending):
                    if (f"（{attr}=）" in c) if attr else ("=）" not in c and "可加" not in c):
                        m = re.search(r"例如 (.*?) -->", c)
                        return m.group(1) if m else None
                return None
            for attr in re.findall(r'([a-z-]+)=""', line):
                value = example(attr)
                check(value is not None, f"gen new {kind}: {attr}= has an example in a comment")
                line = line.replace(f'{attr}=""', f'{attr}="{value}"', 1)
            m = re.search(r"<([a-z-]+)></\1>", line)
            if m:
                value = example(None)
                check(value is not None, f"gen new {kind}: <{m.group(1)}> has an example in a comment")
                line = line.replace(m.group(0), f"<{m.group(1)}>{value}</{m.group(1)}>")
            filled.append(line)
            pending = []
        done = write_text(os.path.join(tmp, f"{kind}-filled.xml"), "\n".join(filled))
        rc, _, err = gen("check", done)
        check(rc == 0, f"gen new {kind} filled with the examples: valid ({rc} {err!r})")
        pdf = os.path.join(tmp, f"{kind}.pdf")
        rc, _, err = gen("render", done, "-o", pdf)
        check(rc == 0 and os.path.getsize(pdf) > 1000, f"gen new {kind} filled: renders ({rc} {err!r})")
        if rc == 0:  # the examples are what the PDF prints
            words = pdf_text(pdf, "-layout").replace(" ", "")
            check("2009" in words and any(v in words for v in ("东海质量认证有限公司", "浙江省质量技术监督局",
                                                                 "宁波市质量技术监督局")),
                  f"gen new {kind} filled: its PDF prints the examples")
    path = os.path.join(tmp, "notice.xml")
    before = source(path)
    rc, _, err = gen("new", "notice", "-o", path)
    check(rc == 2 and "exists already" in err and source(path) == before,
          f"gen new never writes over a record ({rc} {err!r})")
    rc, _, err = gen("new", "letter")
    check(rc == 2 and "which type?" in err, f"gen new letter: the types named ({rc} {err!r})")


def reference_in_step():
    rc, out, err = gen("fields")
    check(rc == 0, f"gen fields ({err!r})")
    check(out == source(os.path.join(ROOT, "docs", "fields.md")),
          "docs/fields.md is what gen fields prints from the schemas (make reference)")
    for label in ["邮政编码", "证书编号", "发文字号", "`nomination/postcode`", "`enterprises/enterprise/certificate/@no`"]:
        check(label in out, f"the reference has {label}")
    rc, man, err = gen("fields", "--man")
    page = source(os.path.join(ROOT, "man", "gen.1"))
    m = re.search(r'\.\\" fields: begin[^\n]*\n(.*)\.\\" fields: end', page, re.S)
    check(rc == 0 and m is not None and m.group(1) == man,
          "man/gen.1's RECORD FIELDS is what gen fields --man prints (make reference)")
    check(all(ord(c) < 128 for c in man), "the man section is ASCII (\\[uXXXX] escapes)")
    readme = source(os.path.join(ROOT, "README.md"))
    check("docs/fields.md" in readme, "the README's 使用说明 points to docs/fields.md")


def main():
    for test in (faults_at_their_lines, three_faults_one_run, dates_as_clerks_write_them,
                 missing_folder, broken_template, skeletons):
        with tempfile.TemporaryDirectory() as tmp:
            guarded(test.__name__, test, tmp)
    reference_in_step()
    finish()


main()
