"""The proofreader (gen/proofread.c) as a user meets it: `gen check` and
`gen render` warn of each slip with the record's file and line, the field
and the fix; --strict makes them errors (exit 2, no PDF); the text printed
is the text written; the project's examples say nothing, and the records
offices submit (tests/records/) only what is really wrong in them."""
import os
import re
import shutil
import tempfile

from harness import EXAMPLES, RECORDS, ROOT, check, finish, gen, templates_for, record_root, write_text
from pdfcheck import pdf_text

NOTICE = os.path.join(EXAMPLES, "notice.xml")

# Each slip, a line of the body as written, and what the warning must hold.
SLIPS = [
    ("1、加强组织领导，明确工作责任。",
     'body: "1、加强组织": a third-level number is written 1． (full-width full stop), not 1、 (1．加强组织)'),
    ("每个地区抽查3-5家企业。", 'body: "3-5家": a range is written with ～ (3～5家), not a hyphen'),
    ("联系人:王明。", 'body: "联系人:王明。": a half-width : in Chinese text; write the full-width ： (联系人：王明。)'),
    ("按照\"谁发证、谁负责\"的原则。", 'body: ""谁发证、谁负责"": straight quotes in Chinese text; write “” (“谁发证、谁负责”)'),
    ("联系电话(传真)：0571-80000000。", 'body: "(传真)": half-width brackets in Chinese text; write （） (（传真）)'),
]

# Look-alikes in the same body: none may be warned of.
FINE = [
    "发文日期2009-08-04，联系电话0571-80000000，邮编310013。",
    "依据GB/T 9704-2012，证书编号CQC2009-0123，2009-2010年度。",
    "共计1,000元，上午10:30开始，E-mail:rzjg@example.org.cn。",
    "地址：杭州市天目山路222-1号。",
]


def slipped_notice(path):
    """The example notice with a section of slips and look-alikes before
    its first heading, and a （一） before any 一、; returns {text: line}."""
    src = open(NOTICE, encoding="utf-8").read()
    lines = ["## （一）提前的二级标题", ""]
    for text, _ in SLIPS:
        lines += [text, ""]
    for text in FINE:
        lines += [text, ""]
    section = "\n".join(lines)
    src = src.replace("# 一、目的和意义", section + "\n# 一、目的和意义", 1)
    write_text(path, src)
    at = {}
    for n, line in enumerate(src.split("\n"), 1):
        for text in [t for t, _ in SLIPS] + FINE + ["## （一）提前的二级标题"]:
            if line == text:
                at[text] = n
    return at


def warnings(err):
    return [l for l in err.splitlines() if ": warning: " in l]


def test_slips(tmp):
    rec = os.path.join(tmp, "slips.xml")
    at = slipped_notice(rec)
    rc, _, err = gen("check", rec)
    check(rc == 0, f"check warns, exit 0 ({rc}: {err.strip()[:300]})")
    for text, said in SLIPS:
        want = f"{rec}:{at[text]}: warning: {said}"
        check(want in err.splitlines(), f"said at line {at[text]}: {said}", err.strip()[:800])
    order = f"{rec}:{at['## （一）提前的二级标题']}: warning: body: \"（一）提前的二\": heading levels out of order"
    check(any(l.startswith(order) for l in err.splitlines()), "（一） before any 一、: said at its line",
          err.strip()[:800])
    for text in FINE:
        check(not any(f":{at[text]}: " in l for l in warnings(err)), f"nothing said of {text}")
    check(len(warnings(err)) == len(SLIPS) + 1, f"one warning a slip ({len(warnings(err))})",
          err.strip()[:800])

    # render says the same, and prints the text as written
    pdf = os.path.join(tmp, "slips.pdf")
    rc, _, rerr = gen("render", rec, "-o", pdf)
    check(rc == 0 and os.path.exists(pdf), f"render: exit 0 and a PDF ({rc})")
    check(warnings(rerr) == warnings(err), "render warns as check does")
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for t in ["1、加强组织领导", "3-5家", "联系人:王明", "\"谁发证、谁负责\"", "(传真)"]:
        check(t in text, f"the PDF holds {t} as written: the text is never changed")

    # --strict: errors, exit 2, no PDF
    rc, _, err = gen("check", "--strict", rec)
    check(rc == 2 and not warnings(err) and f"{rec}:{at[SLIPS[0][0]]}: body: " in err,
          f"check --strict: exit 2, the warnings are errors ({rc}: {err.strip()[:300]})")
    strict_pdf = os.path.join(tmp, "strict.pdf")
    rc, _, err = gen("render", "--strict", rec, "-o", strict_pdf)
    check(rc == 2 and not os.path.exists(strict_pdf), f"render --strict: exit 2 and no PDF ({rc})")
    check(f"{rec}:{at[SLIPS[1][0]]}: " in err and "3～5家" in err, "with --strict the slip is still said")


def test_examples_silent(tmp):
    """Every example through each of its templates, and the bundle, under
    --strict: nothing to say."""
    for name in sorted(os.listdir(EXAMPLES)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(EXAMPLES, name)
        for t in templates_for(record_root(path)):
            rc, _, err = gen("check", "--strict", "-t", t, path)
            check(rc == 0 and err.strip() == "", f"examples/{name} -t {t}: silent under --strict",
                  f"{rc}: {err.strip()[:300]}")
    ex = lambda n: os.path.join(EXAMPLES, n)
    pdf = os.path.join(tmp, "bundle.pdf")
    rc, _, err = gen("render", "--strict", "--bundle", ex("notice.xml"), ex("selfcheck.xml"),
                     ex("nominations.xml"), "-o", pdf)
    check(rc == 0 and err.strip() == "", "the examples' bundle: silent under --strict",
          f"{rc}: {err.strip()[:300]}")


def test_submitted_records():
    """tests/records/ (as offices submit them): the one with slips, the
    notice, is told of its 1、 numbers and its 3-5家 and of nothing else;
    the inspection report, of its missing 签发人 (the format has no field
    for it), at its 发文字号's line, and of nothing else."""
    for name in sorted(os.listdir(RECORDS)):
        path = os.path.join(RECORDS, name)
        if not name.endswith(".xml") or not templates_for(record_root(path)):
            continue
        rc, _, err = gen("check", path)
        said = warnings(err)
        if name == "inspection.xml":
            src = open(path, encoding="utf-8").read().split("\n")
            at = [n for n, l in enumerate(src, 1) if "<doc-number>" in l]
            check(rc == 0 and len(said) == 1 and said[0].startswith(f"{path}:{at[0]}: ")
                  and "签发人" in said[0] and "<signer>" in said[0],
                  "tests/records/inspection.xml: told of its missing 签发人 at <doc-number>, only",
                  "; ".join(said)[:300])
            continue
        if name != "notice.xml":
            check(rc == 0 and not said, f"tests/records/{name}: nothing to say", "; ".join(said)[:300])
            continue
        src = open(path, encoding="utf-8").read().split("\n")
        numbered = [n for n, l in enumerate(src, 1) if re.match(r"[0-9]+、", l)]
        ranges = [n for n, l in enumerate(src, 1) if "3-5家" in l]
        lines = sorted(int(l.split(":")[1]) for l in said)
        check(lines == sorted(numbered + ranges), f"tests/records/notice.xml: the {len(numbered)} 1、 "
              f"and the 3-5家, at their lines ({lines})")
        check(all("third-level number" in l or "3～5家" in l for l in said),
              "tests/records/notice.xml: nothing else", "; ".join(said)[:300])


def test_attachment_title(tmp):
    """A bundle whose attachment template prints a title of its own, not
    the name the notice's 附件说明 gives it: said at the entry's line."""
    templates = os.path.join(tmp, "templates")
    shutil.copytree(os.path.join(ROOT, "templates"), templates)
    form = os.path.join(templates, "nomination-form.xml")
    src = open(form, encoding="utf-8").read()
    printed = '<para style="title" align="center"><value of="$attachment-title"/></para>'
    check(printed in src, "nomination-form prints $attachment-title as its title")
    write_text(form, src.replace(printed, '<para style="title" align="center">认证示范企业推荐表</para>'))
    ex = lambda n: os.path.join(EXAMPLES, n)
    line = next(n for n, l in enumerate(open(ex("notice.xml"), encoding="utf-8"), 1)
                if 'ref="nomination-form"' in l)
    pdf = os.path.join(tmp, "own-title.pdf")
    args = ["--templates", templates, "--bundle", ex("notice.xml"), ex("selfcheck.xml"), ex("nominations.xml")]
    rc, _, err = gen("render", *args, "-o", pdf)
    want = (f"{ex('notice.xml')}:{line}: warning: attachment: \"质量管理体系认证示范企业推荐表\": "
            "the 附件说明 names 附件2 so, and its first page prints no such title; make the two the same")
    check(rc == 0 and os.path.exists(pdf) and warnings(err) == [want],
          f"the attachment's own title: said at the entry's line {line}", f"{rc}: {err.strip()[:400]}")
    os.unlink(pdf)
    rc, _, err = gen("render", "--strict", *args, "-o", pdf)
    check(rc == 2 and not os.path.exists(pdf), f"with --strict: exit 2, no PDF ({rc})")


with tempfile.TemporaryDirectory() as tmp:
    test_slips(tmp)
    test_examples_silent(tmp)
    test_attachment_title(tmp)
test_submitted_records()
finish()
