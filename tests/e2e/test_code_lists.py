"""The code lists live in one file, schemas/codes.rng, and its three readers
take them from there: the record schemas (a record with a code the list
lacks is refused), the templates (<codes list=> prints the code's name) and
gen import csv (a clerk's name for a code becomes the code).  A copy of the
data folder with an edited codes.rng (a new certificate type ISMS with its
names, a status renamed) shows each reader follows the file; a file whose
lists disagree, and a template naming a list the file lacks, are refused
at their lines."""
import os
import re
import shutil
import subprocess
import tempfile
from harness import GEN, ROOT, check, finish

# A wrapper script (tests/valgrind-gen) runs bin/gen: the copy is of that.
BINARY = GEN if os.path.basename(GEN) == "gen" else os.path.join(ROOT, "bin", "gen")
SELFCHECK = os.path.join(ROOT, "examples", "selfcheck.xml")
DEMO_LIST = os.path.join(ROOT, "examples", "demo-list.xml")
# short names, which the summary's narrow columns print on one line
ISMS = '<value c:label="信息安全" c:also="信息安全管理体系|信息安全管理体系认证">ISMS</value>'


def data_folder(tmp, name, edit):
    """bin/gen with templates/, schemas/ and fonts/ beside it (where gen
    looks for its data), schemas/codes.rng passed through edit()."""
    top = os.path.join(tmp, name)
    os.makedirs(os.path.join(top, "bin"))
    shutil.copy(BINARY, os.path.join(top, "bin", "gen"))
    for folder in ("templates", "schemas", "fonts"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(top, folder))
    path = os.path.join(top, "schemas", "codes.rng")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(edit(text))
    return top


def gen(top, *args, cwd=None):
    p = subprocess.run([os.path.join(top, "bin", "gen"), *args], capture_output=True,
                       cwd=cwd or top, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def replaced(text, old, new):
    check(old in text, f"schemas/codes.rng has {old!r}")
    return text.replace(old, new, 1)


def with_isms(text):
    """ISMS in certificate-type and its name in certificate-type-name; 暂停
    (a status) renamed 停用."""
    text = replaced(text, '<value c:label="强制性产品认证">CCC</value>',
                    '<value c:label="强制性产品认证">CCC</value>\n      ' + ISMS)
    text = replaced(text, "<value>强制性产品认证</value>",
                    "<value>强制性产品认证</value>\n      <value>信息安全</value>")
    return replaced(text, '<value c:label="暂停">suspended</value>',
                    '<value c:label="停用">suspended</value>')


def pdf_text(pdf):
    p = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True)
    return re.sub(r"\s+", "", p.stdout)


def test_edited(tmp):
    top = data_folder(tmp, "edited", with_isms)
    with open(SELFCHECK, encoding="utf-8") as f:
        src = f.read()
    record = os.path.join(tmp, "isms.xml")
    with open(record, "w", encoding="utf-8") as f:
        f.write(src.replace('type="FSMS"', 'type="ISMS"', 1))

    # the schema: ISMS is a certificate type now, and only with the edited file
    rc, _, err = gen(top, "check", "-t", "selfcheck-summary", record)
    check(rc == 0, f"a record with type=\"ISMS\" is valid by the edited lists: {rc} {err[:300]}")
    p = subprocess.run([GEN, "check", "-t", "selfcheck-summary", record], capture_output=True,
                       text=True, cwd=ROOT)
    check(p.returncode == 2 and '认证类型 type=: "ISMS" is not one of QMS (质量管理体系), EMS' in p.stderr,
          f"and refused by the project's own: {p.returncode} {p.stderr[:300]}")

    # the template: the new code and the renamed status print as the file says
    pdf = os.path.join(tmp, "isms.pdf")
    rc, _, err = gen(top, "render", "-t", "selfcheck-summary", record, "-o", pdf)
    text = pdf_text(pdf) if rc == 0 else ""
    check(rc == 0, f"the summary renders: {err[:300]}")
    check("信息安全" in text, "the summary prints ISMS as 信息安全")
    check("停用" in text, "and a suspended certificate as 停用")
    check("食品安全管理体系" in text, "the other types print as before")

    # a public list may name the new type (certificate-type-name)
    with open(DEMO_LIST, encoding="utf-8") as f:
        demo = f.read().replace("<certification>强制性产品认证<", "<certification>信息安全<", 1)
    demo_path = os.path.join(tmp, "demo-isms.xml")
    with open(demo_path, "w", encoding="utf-8") as f:
        f.write(demo)
    rc, _, err = gen(top, "check", demo_path)
    check(rc == 0, f"a public list naming 信息安全 is valid by the edited lists: {err[:300]}")

    # the importer: a clerk's name for the new code, and the renamed status
    headings = ["企业名称", "所在地区", "所在县", "企业地址", "邮政编码", "主要产品", "证书编号",
                "认证类型", "认证标准", "发证日期", "有效期至", "证书状态", "检查日期", "处理结果",
                "发现的主要问题", "整改措施"]
    row = ["杭州某某信息技术有限公司", "杭州市", "西湖区", "杭州市西湖区文三路1号", "310012", "软件",
           "0109I1234R0M", "信息安全管理体系认证", "GB/T 22080-2008", "2009-01-05", "2012-01-04",
           "停用", "2009-08-20", "符合要求", "无。", "无。"]
    sheet = os.path.join(tmp, "sheet.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write(",".join(headings) + "\n" + ",".join(row) + "\n")
    settings = ["认证机构=东海质量认证有限公司", "批准号=CNCA-R-2003-099", "机构地址=杭州市",
                "联系人=王某", "联系电话=0571-80000001", "检查开始=2009-08-01",
                "检查结束=2009-08-28", "报告=本期检查一家企业。"]
    args = ["import", "csv", "--type", "selfcheck", "--encoding", "UTF-8", sheet]
    for s in settings:
        args += ["--set", s]
    rc, out, err = gen(top, *args)
    record_text = out.decode("utf-8", "replace")
    check(rc == 0, f"the sheet imports with the edited lists: {rc} {err[:300]}")
    check('type="ISMS"' in record_text and 'status="suspended"' in record_text,
          f"信息安全管理体系认证 becomes ISMS, 停用 suspended: {record_text[:200]!r}")
    p = subprocess.run([GEN, *args], capture_output=True, text=True, cwd=ROOT)
    check(p.returncode == 2 and '认证类型 "信息安全管理体系认证" is not one of' in p.stderr
          and '证书状态 "停用" is not one of' in p.stderr,
          f"the project's own lists refuse both: {p.returncode} {p.stderr[:400]}")


def test_broken(tmp):
    # a certificate type renamed without its name in certificate-type-name
    top = data_folder(tmp, "disagree", lambda t: replaced(
        t, 'c:label="环境管理体系"', 'c:label="环境体系"'))
    with open(os.path.join(top, "schemas", "codes.rng"), encoding="utf-8") as f:
        line = next(i for i, l in enumerate(f, 1) if 'name="certificate-type-name"' in l)
    rc, _, err = gen(top, "check", "-t", "selfcheck-summary", SELFCHECK)
    where = f"{os.path.join(top, 'schemas', 'codes.rng')}:{line}: code list certificate-type-name:"
    check(rc == 2 and where in err and "not the names of certificate-type" in err,
          f"lists that disagree: exit 2 and {where} ({rc} {err[:400]})")

    # a template naming a list the file lacks, in a template another includes
    top = data_folder(tmp, "typo", lambda t: t)
    summary = os.path.join(top, "templates", "selfcheck-summary.xml")
    with open(summary, encoding="utf-8") as f:
        src = f.read()
    with open(summary, "w", encoding="utf-8") as f:
        f.write(replaced(src, '<codes list="certificate-status"/>', '<codes list="certificate-statu"/>'))
    line = src[:src.index('<codes list="certificate-status"/>')].count("\n") + 1
    for template in ("selfcheck-summary", "selfcheck-report"):
        rc, _, err = gen(top, "check", "-t", template, SELFCHECK)
        check(rc == 2 and f'{summary}:{line}: <codes list="certificate-statu">' in err
              and "(it has certificate-type, " in err,
              f"-t {template}: the unknown list at its line, the lists named ({rc} {err[:400]})")

    # no code lists file at all: neither the schema nor the template can be used
    top = data_folder(tmp, "none", lambda t: t)
    os.remove(os.path.join(top, "schemas", "codes.rng"))
    rc, _, err = gen(top, "check", "-t", "selfcheck-summary", SELFCHECK)
    check(rc == 2 and "codes.rng" in err, f"no codes.rng: the summary is refused ({rc} {err[:300]})")


def test_not_overwritten(tmp):
    """The file is an input of every record's check (the schemas include
    it): an output that is it is refused, even where the template uses no
    list (the inspection report)."""
    top = data_folder(tmp, "guard", lambda t: t)
    codes = os.path.join(top, "schemas", "codes.rng")
    with open(codes, "rb") as f:
        before = f.read()
    link = os.path.join(tmp, "c.rng")
    os.symlink(codes, link)
    for record in ("inspection.xml", "selfcheck.xml"):
        rc, _, err = gen(top, "render", os.path.join(ROOT, "examples", record), "-o", link)
        check(rc == 2 and "the output is the code lists" in err,
              f"render {record} -o a link to codes.rng: refused ({rc} {err[:300]})")
    with open(codes, "rb") as f:
        check(f.read() == before, "codes.rng is unchanged")


with tempfile.TemporaryDirectory() as tmp:
    test_edited(tmp)
    test_not_overwritten(tmp)
    test_broken(tmp)
finish()
