"""gen import csv: sheets saved from Excel (GBK, UTF-8 with and without BOM)
turned into records that gen accepts, the values round-tripped against the
record the sheet was made from, and every bad row reported at once."""
import csv
import os
import tempfile
import xml.etree.ElementTree as ET
import pdfcheck
from harness import ROOT, check, finish
from sheetcheck import NOMINATION_FIELDS, gen, record_of, render_record, write_record


# ---------------------------------------------------------------------------
# Sheets made from the example records, as a clerk would have typed them

SELFCHECK_HEADINGS = ["序号", "企业名称", "所在地区", "所在县（市、区）", "企业地址", "邮政编码",
                      "主要产品", "证书编号", "认证类型", "认证标准", "发证日期", "有效期至",
                      "证书状态", "检查日期", "处理结果", "发现的主要问题", "整改措施"]
TYPE_NAMES = {"QMS": "质量管理体系", "EMS": "环境管理体系认证", "OHSMS": "职业健康安全管理体系",
              "FSMS": "食品安全管理体系", "CCC": "强制性产品认证"}
STATUS_NAMES = {"valid": "有效", "suspended": "暂停", "withdrawn": "撤销"}
RESULT_NAMES = {"pass": "符合要求", "rectified": "整改后符合", "suspended": "暂停证书",
                "withdrawn": "撤销证书"}
# A findings cell holding a comma (both kinds) and a line break.
ODD_FINDINGS = "部分记录未签字, 可追溯性不足，\n已整改。"
ODD_NAME = "杭州\"德力\",汽车零部件有限公司"


def clerk_date(iso, i):
    """The date written the ways a clerk does, one after the other."""
    y, m, d = (int(x) for x in iso.split("-"))
    return [iso, f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}年{m}月{d}日", f"{y}-{m}-{d}"][i % 5]


def selfcheck_source():
    root = ET.parse(os.path.join(ROOT, "examples", "selfcheck.xml")).getroot()
    first = root.find("enterprises/enterprise")
    first.find("check/findings").text = ODD_FINDINGS
    root.findall("enterprises/enterprise")[2].find("name").text = ODD_NAME
    return root


def selfcheck_rows(root):
    rows = [list(SELFCHECK_HEADINGS)]
    for i, e in enumerate(root.iter("enterprise")):
        c, k = e.find("certificate"), e.find("check")
        # codes as codes on even rows, as Chinese names on odd ones
        kind = (lambda code, names: names[code]) if i % 2 else (lambda code, names: code)
        rows.append([str(i + 1), e.findtext("name"), e.findtext("region"), e.findtext("county"),
                     e.findtext("address"), e.findtext("postcode"), e.findtext("products"),
                     c.get("no"), kind(c.get("type"), TYPE_NAMES), c.get("standard"),
                     clerk_date(c.get("issued"), i), clerk_date(c.get("expires"), i + 1),
                     kind(c.get("status"), STATUS_NAMES), clerk_date(k.get("date"), i + 2),
                     kind(k.get("result"), RESULT_NAMES), k.findtext("findings"),
                     k.findtext("actions")])
    return rows


def nominations_source():
    return ET.parse(os.path.join(ROOT, "examples", "nominations.xml")).getroot()


def nomination_rows(root):
    rows = [[h for h, _ in NOMINATION_FIELDS]]
    for n in root.iter("nomination"):
        rows.append([n.findtext(tag).strip() for _, tag in NOMINATION_FIELDS])
    return rows


def write_sheet(path, rows, encoding):
    """As Excel saves it: CRLF rows, quotes only where needed."""
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def selfcheck_settings(tmp, root):
    body = root.find("body")
    report = os.path.join(tmp, "报告.md")
    with open(report, "w", encoding="utf-8") as f:
        f.write(root.findtext("report"))
    pairs = [("认证机构", body.findtext("name")), ("批准号", body.findtext("approval-no")),
             ("机构地址", body.findtext("address")), ("联系人", body.findtext("contact")),
             ("联系电话", body.findtext("phone")), ("检查开始", root.find("period").get("from")),
             ("检查结束", "2009年8月28日"), ("报告", "@" + report)]
    return [a for label, value in pairs for a in ("--set", f"{label}={value}")]


def accepted_by_gen(tmp, out, name, template):
    path = write_record(tmp, name, out)
    rc, _, err = gen("check", path)
    check(rc == 0, f"gen check accepts the imported {name}: {err}")
    rc, err, _ = render_record(path, template)
    check(rc == 0, f"gen render -t {template} lays out the imported {name}: {err}")


def same_enterprises(got, want):
    def fields(e):
        c, k = e.find("certificate"), e.find("check")
        return [e.get("id"), e.findtext("name"), e.findtext("region"), e.findtext("county"),
                e.findtext("address"), e.findtext("postcode"), e.findtext("products"),
                *(c.get(a) for a in ("no", "type", "standard", "issued", "expires", "status")),
                k.get("date"), k.get("result"), k.findtext("findings"), k.findtext("actions")]
    g = [fields(e) for e in got.iter("enterprise")]
    w = [fields(e) for e in want.iter("enterprise")]
    check(len(g) == len(w) == 12, f"12 enterprises, got {len(g)}")
    for a, b in zip(g, w):
        check(a == b, f"enterprise round trip:\n  got  {a}\n  want {b}")


def same_record_fields(got, want):
    check(got.tag == "self-check" and got.get("year") == want.get("year"), "root and year")
    for path in ("body/name", "body/approval-no", "body/address", "body/contact", "body/phone",
                 "signed-by", "date"):
        check(got.findtext(path) == want.findtext(path),
              f"{path}: {got.findtext(path)!r} != {want.findtext(path)!r}")
    check(got.find("period").attrib == want.find("period").attrib, "the period")
    check(got.findtext("report").strip() == want.findtext("report").strip(), "the report text")
    check(got.find("report").get("format") == "markdown", "the report is Markdown")


def test_selfcheck(tmp):
    want = selfcheck_source()
    rows = selfcheck_rows(want)
    sets = selfcheck_settings(tmp, want)
    gbk, bom = os.path.join(tmp, "自查-gbk.csv"), os.path.join(tmp, "自查-bom.csv")
    write_sheet(gbk, rows, "gbk")
    write_sheet(bom, rows, "utf-8-sig")
    check(b'"' + ODD_FINDINGS.encode("gbk") + b'"' in open(gbk, "rb").read(),
          "the sheet holds a quoted cell with a comma and a line break")

    rc, out, err = gen("import", "csv", "--type", "selfcheck", gbk, *sets)
    check(rc == 0 and err == "", f"a GBK sheet without --encoding: exit {rc}, {err}")
    check(out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), "an XML declaration, UTF-8")
    got = record_of(out)
    if got is not None:
        same_enterprises(got, want)
        same_record_fields(got, want)
        accepted_by_gen(tmp, out, "selfcheck-gbk.xml", "selfcheck-summary")

    rc, out_bom, err = gen("import", "csv", "--type", "selfcheck", bom, "--encoding", "GBK", *sets)
    check(rc == 0 and out_bom == out, f"UTF-8 with a BOM, whatever --encoding says: {err}")


def test_nominations(tmp):
    want = nominations_source()
    rows = nomination_rows(want)
    rows[2][0] = "金华嘉和家具有限公司，金东\n分厂"  # a comma and a line break in a name
    want.findall("nomination")[1].find("enterprise").text = rows[2][0]
    for encoding, name in (("gbk", "推荐-gbk.csv"), ("utf-8-sig", "推荐-bom.csv")):
        path = os.path.join(tmp, name)
        write_sheet(path, rows, encoding)
        rc, out, err = gen("import", "csv", "--type", "nominations", path, "--set",
                           "推荐单位=" + want.findtext("nominator"))
        check(rc == 0, f"nominations from {encoding}: exit {rc}, {err}")
        got = record_of(out)
        if got is None:
            continue
        check(got.get("year") == "2009", "the year from 填报时间")
        check(got.findtext("nominator") == want.findtext("nominator"), "the nominator")
        g = [[n.findtext(t) for _, t in NOMINATION_FIELDS] for n in got.iter("nomination")]
        w = [[n.findtext(t).strip() for _, t in NOMINATION_FIELDS] for n in want.iter("nomination")]
        check(g == w, f"nominations round trip from {encoding}:\n  got  {g}\n  want {w}")
        check(all(n.find("reason").get("format") == "markdown" for n in got.iter("nomination")),
              "reasons are Markdown")
        if encoding == "gbk":
            accepted_by_gen(tmp, out, "nominations.xml", "nomination-form")


def test_bad_rows(tmp):
    root = selfcheck_source()
    rows = selfcheck_rows(root)
    rows[3][13] = "2009-13-45"   # sheet row 4: no such date
    rows[6][14] = "合格了"        # row 7: not a result
    rows[9][1] = ""              # row 10: no enterprise name
    rows[11][5] = "31015"        # row 12: five digits
    path = os.path.join(tmp, "bad.csv")
    write_sheet(path, rows, "gbk")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path,
                       *selfcheck_settings(tmp, root))
    check(rc == 2, f"bad rows: exit 2, got {rc}")
    check(out == b"", "bad rows: nothing on standard output")
    # each with the row's enterprise, but for the row that lacks its name
    check(f'{path}:4: {rows[3][1]}: 检查日期 "2009-13-45" is not a date' in err,
          f"the bad date, row 4: {err}")
    check(f'{path}:7: {rows[6][1]}: 处理结果 "合格了"' in err, "the unknown result, row 7")
    check(f"{path}:10: 企业名称 is empty" in err, "the missing name, row 10")
    check(f'{path}:12: {rows[11][1]}: 邮政编码 "31015"' in err, "the short postcode, row 12")
    check(len(err.strip().splitlines()) == 4, f"those four and nothing else:\n{err}")

    # a quoted line break earlier does not shift the row numbers
    rows[1][15] = "第一行\n第二行\n第三行"
    write_sheet(path, rows, "gbk")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", path, *selfcheck_settings(tmp, root))
    check(rc == 2 and f"{path}:4: {rows[3][1]}: 检查日期" in err, "rows are sheet rows, not lines")


def test_headings(tmp):
    root = selfcheck_source()
    rows = selfcheck_rows(root)
    sets = selfcheck_settings(tmp, root)
    path = os.path.join(tmp, "headings.csv")
    rows[0][6] = "产品名称"
    write_sheet(path, rows, "gbk")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path, *sets)
    check(rc == 2 and out == b"", f"a heading mistyped: exit 2, nothing written ({rc})")
    check(f'{path}:1: warning: unknown heading "产品名称" (column G)' in err,
          f"the heading named: {err}")
    check(f"{path}:1: no column headed 主要产品" in err and "are: 企业名称, 所在地区" in err,
          "the missing column named and the known headings listed")

    # headings as clerks vary them: spaces, half-width brackets, synonyms
    rows = selfcheck_rows(root)
    rows[0][2], rows[0][3], rows[0][4] = " 所在市 ", "县(市、区)", "地址"
    rows[0][11] = "证书有效期"
    write_sheet(path, rows, "gbk")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", path, *sets)
    check(rc == 0, f"heading variants accepted: {err}")

    # headings only (and a blank row): a sheet saved before it was filled in
    write_sheet(path, selfcheck_rows(root)[:1] + [[""] * 5], "gbk")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path, *sets)
    check(rc == 2 and out == b"" and f"{path}:1: the sheet has headings but no rows" in err,
          f"a sheet of headings only: exit 2, nothing written: {rc} {err}")
    write_sheet(path, nomination_rows(nominations_source())[:1], "gbk")
    rc, out, err = gen("import", "csv", "--type", "nominations", path, "--set", "推荐单位=东海")
    check(rc == 2 and out == b"" and "headings but no rows" in err, f"nominations too: {err}")

    rows = [r[:7] + r[8:] for r in selfcheck_rows(root)]  # no 证书编号
    write_sheet(path, rows, "gbk")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", path, *sets)
    check(rc == 2 and "证书编号" in err and f"{path}:1:" in err, f"a missing column named: {err}")


def test_encodings(tmp):
    root = selfcheck_source()
    rows = selfcheck_rows(root)
    sets = selfcheck_settings(tmp, root)
    plain = os.path.join(tmp, "utf8.csv")
    write_sheet(plain, rows, "utf-8")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", plain, *sets)
    check(rc == 2 and out == b"", f"UTF-8 without a BOM read as GBK: exit 2 ({rc})")
    check(f"{plain}:1: byte" in err and "--encoding UTF-8" in err, f"the hint: {err}")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", plain, "--encoding", "UTF-8", *sets)
    check(rc == 0 and record_of(out) is not None, f"--encoding UTF-8 then works: {err}")

    # a byte that is no GBK in row 5 (rows end in CRLF, quoted line breaks are LF)
    gbk = os.path.join(tmp, "broken.csv")
    write_sheet(gbk, rows, "gbk")
    data = open(gbk, "rb").read()
    lines = data.split(b"\r\n")
    at = len(b"\r\n".join(lines[:4])) + 2 + len(b"4,")  # the name's first byte
    with open(gbk, "wb") as f:
        f.write(data[:at] + b"\xff" + data[at + 1:])
    rc, out, err = gen("import", "csv", "--type", "selfcheck", gbk, *sets)
    check(rc == 2 and out == b"" and f"{gbk}:5: byte {at}" in err and "GBK" in err,
          f"an invalid GBK byte: its row and offset: {err}")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", gbk, "--encoding", "UTF-8", *sets)
    check(rc == 2 and "--encoding GBK" in err, f"GBK read as UTF-8 hints at GBK: {err}")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", gbk, "--encoding", "BIG5", *sets)
    check(rc == 2 and "BIG5" in err, "an encoding not read is named")

    # a quote opened in row 7 and never closed
    unclosed = os.path.join(tmp, "unclosed.csv")
    lines[6] = b'"' + lines[6]
    with open(unclosed, "wb") as f:
        f.write(b"\r\n".join(lines))
    rc, out, err = gen("import", "csv", "--type", "selfcheck", unclosed, *sets)
    check(rc == 2 and out == b"" and f"{unclosed}:7:" in err and "never closed" in err,
          f"an unclosed quote, with its row: {err}")


def test_settings(tmp):
    root = selfcheck_source()
    path = os.path.join(tmp, "s.csv")
    write_sheet(path, selfcheck_rows(root), "gbk")
    sets = selfcheck_settings(tmp, root)
    without_body = []
    for flag, value in zip(sets[::2], sets[1::2]):
        if not value.startswith("认证机构="):
            without_body += [flag, value]
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path, *without_body)
    check(rc == 2 and out == b"" and "--set 认证机构=" in err, f"a missing setting named: {err}")
    check("署名" not in err, "署名 falls back on 认证机构, not reported twice")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", path, *sets, "--set", "检查开始=昨天",
                     "--set", "颜色=红")
    check(rc == 2 and '检查开始: "昨天" is not a date' in err and "颜色" in err,
          f"a bad and an unknown setting: {err}")
    rc, out, _ = gen("import", "csv", "--type", "selfcheck", path, *sets, "--set", "年度=2010",
                     "--set", "署名=东海质量认证有限公司（盖章）")
    got = record_of(out)
    check(rc == 0 and got is not None and got.get("year") == "2010"
          and got.findtext("signed-by") == "东海质量认证有限公司（盖章）", "defaults overridden")


def test_other_province(tmp):
    """--set 主送机关= and 省份=: a report to another province's bureau, which
    the report then addresses and whose directory it names; absent, the
    record has neither (the template's defaults, 浙江)."""
    root = selfcheck_source()
    path = os.path.join(tmp, "js.csv")
    write_sheet(path, selfcheck_rows(root), "gbk")
    sets = selfcheck_settings(tmp, root)
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path, *sets,
                       "--set", "主送机关=江苏省质量技术监督局", "--set", "省份=江苏省")
    got = record_of(out)
    check(rc == 0 and got is not None and got.findtext("recipient") == "江苏省质量技术监督局"
          and got.findtext("province") == "江苏省", f"主送机关 and 省份 set: {err}")
    if rc == 0:
        accepted_by_gen(tmp, out, "js", "selfcheck-report")
        text = pdfcheck.pdf_text(os.path.join(tmp, "js.pdf"))
        check("江苏省质量技术监督局：" in text and "在江苏省认证企业名录" in text and "浙江省质量技术监督局" not in text,
              "the report goes to 江苏 and names its directory")
    rc, out, _ = gen("import", "csv", "--type", "selfcheck", path, *sets)
    got = record_of(out)
    check(rc == 0 and got is not None and got.find("recipient") is None and got.find("province") is None,
          "without them the record has neither")


def selfcheck_import(tmp, rows, name="sheet.csv", *extra):
    """Write the rows as a GBK sheet and import it: (path, exit, record bytes, stderr)."""
    root = selfcheck_source()
    path = os.path.join(tmp, name)
    write_sheet(path, rows, "gbk")
    rc, out, err = gen("import", "csv", "--type", "selfcheck", path,
                       *selfcheck_settings(tmp, root), *extra)
    return path, rc, out, err


def test_output_file(tmp):
    """-o FILE: the record written there whole; a failed re-import leaves
    the good one as it was and nothing else in its folder."""
    rows = selfcheck_rows(selfcheck_source())
    folder = os.path.join(tmp, "records")
    os.makedirs(folder)
    record = os.path.join(folder, "自查.xml")
    path, rc, to_stdout, err = selfcheck_import(tmp, rows)
    check(rc == 0, f"the sheet imports: {err}")
    _, rc, out, err = selfcheck_import(tmp, rows, "sheet.csv", "-o", record)
    good = open(record, "rb").read() if os.path.exists(record) else b""
    check(rc == 0 and out == b"" and err == "", f"-o: exit 0, nothing on stdout: {rc} {err}")
    check(good == to_stdout and record_of(good) is not None,
          "-o writes what standard output would have had")
    rows[5][5] = "3101"  # row 6: a bad postcode
    _, rc, out, err = selfcheck_import(tmp, rows, "sheet.csv", "-o", record)
    check(rc == 2 and out == b"" and f"{path}:6: {rows[5][1]}: 邮政编码 \"3101\"" in err,
          f"a bad re-import: exit 2 with the row: {err}")
    check(open(record, "rb").read() == good, "the good record is byte-identical after it")
    check(os.listdir(folder) == ["自查.xml"], f"nothing left beside it: {os.listdir(folder)}")
    # -o naming the sheet itself: refused before the sheet is read, the sheet kept
    sheet = open(path, "rb").read()
    _, rc, out, err = selfcheck_import(tmp, rows, "sheet.csv", "-o", path)
    check(rc == 2 and "(the same file)" in err and open(path, "rb").read() == sheet,
          f"-o the sheet itself: exit 2, the sheet untouched: {rc} {err}")
    # -o into a folder that is not there: the clerk's typo, exit 2
    missing = os.path.join(tmp, "no-such-folder")
    _, rc, out, err = selfcheck_import(tmp, rows, "sheet.csv", "-o", os.path.join(missing, "自查.xml"))
    check(rc == 2 and f"the folder {missing} does not exist" in err and not os.path.exists(missing),
          f"-o into a missing folder: exit 2, named: {rc} {err}")


def test_extra_columns(tmp):
    """Columns the importer does not know: kept as <extra name="HEADING">
    after the row's own fields, one warning each naming its column."""
    rows = selfcheck_rows(selfcheck_source())
    rows[0].append("备注")                     # column R
    rows[0].insert(2, " 统一社会信用代码 ")     # column C, trimmed
    remarks, codes = {}, {}
    for i, row in enumerate(rows[1:], start=1):
        codes[i] = f"91330100MA2{i:05d}X" if i != 4 else ""
        row.insert(2, codes[i])
        remarks[i] = f"第{i}行备注，含逗号,\n两行" if i % 3 else ""
        row.append(remarks[i])
    path, rc, out, err = selfcheck_import(tmp, rows)
    check(rc == 0, f"a sheet with two unknown columns imports: {rc} {err}")
    warnings = [l for l in err.splitlines() if "warning:" in l]
    check(len(warnings) == 2 and f'{path}:1: warning: unknown heading "统一社会信用代码" (column C)'
          in err and f'{path}:1: warning: unknown heading "备注" (column S)' in err,
          f"one warning each, with its column letter: {err}")
    got = record_of(out)
    if got is None:
        return
    for i, e in enumerate(got.iter("enterprise"), start=1):
        extras = [(x.get("name"), x.text) for x in e.findall("extra")]
        want = [(n, v) for n, v in (("统一社会信用代码", codes[i]), ("备注", remarks[i])) if v]
        check(extras == want, f"enterprise {i}: extras {extras}, want {want}")
        tags = [c.tag for c in e]
        check(tags[len(tags) - len(want):] == ["extra"] * len(want),
              f"enterprise {i}: extras after its own fields: {tags}")
    accepted_by_gen(tmp, out, "selfcheck-extra.xml", "selfcheck-summary")

    nrows = nomination_rows(nominations_source())
    nrows[0].append("备注")
    for i, row in enumerate(nrows[1:], start=1):
        row.append(f"推荐{i}")
    npath = os.path.join(tmp, "推荐-备注.csv")
    write_sheet(npath, nrows, "gbk")
    rc, out, err = gen("import", "csv", "--type", "nominations", npath, "--set", "推荐单位=东海")
    got = record_of(out)
    check(rc == 0 and got is not None and [n.find("extra").text for n in got.iter("nomination")]
          == [f"推荐{i}" for i in range(1, len(nrows))]
          and all(n.find("extra").get("name") == "备注" for n in got.iter("nomination")),
          f"nominations keep 备注 too: {err}")
    if got is not None:
        accepted_by_gen(tmp, out, "nominations-extra.xml", "nomination-form")

    rows = selfcheck_rows(selfcheck_source())
    rows[0] += ["备注", "备注"]
    path, rc, out, err = selfcheck_import(tmp, rows)
    check(rc == 2 and out == b"" and f'{path}:1: "备注" is a heading twice (columns R and S)' in err,
          f"an unknown heading twice: {err}")


SCIENTIFIC_HINT = ("Excel showed the number in scientific notation and dropped digits: format the "
                   "证书编号 column as 文本 (text) and type the numbers again")


def test_excel_numbers(tmp):
    rows = selfcheck_rows(selfcheck_source())
    rows[2][7] = "2.00701E+15"             # row 3
    rows[4][7] = "200701030123456000"      # row 5: 18 digits, the last 3 made 0
    path, rc, out, err = selfcheck_import(tmp, rows)
    check(rc == 2 and out == b"", f"mangled numbers: exit 2, nothing written ({rc})")
    check(f'{path}:3: {rows[2][1]}: 证书编号 "2.00701E+15": {SCIENTIFIC_HINT}' in err,
          f"scientific notation, with the hint: {err}")
    check(f'{path}:5: {rows[4][1]}: 证书编号 "200701030123456000": Excel kept 15 digits' in err
          and "文本 (text)" in err, f"digits made 0: {err}")
    check(len(err.strip().splitlines()) == 2, f"those two only: {err}")

    rows = selfcheck_rows(selfcheck_source())
    rows[6][7] = "2007010301234560"        # row 7: 16 digits, a 0 last: may be right
    path, rc, out, err = selfcheck_import(tmp, rows)
    got = record_of(out)
    check(rc == 0 and f"{path}:7: warning: {rows[6][1]}: 证书编号 \"2007010301234560\" has 16 digits"
          in err, f"a doubtful number: a warning, and imported: {rc} {err}")
    check(got is not None and got.findall("enterprises/enterprise")[5].find("certificate")
          .get("no") == "2007010301234560", "the doubtful number kept as it is")


def test_dates_in_order(tmp):
    rows = selfcheck_rows(selfcheck_source())
    rows[0][11] = "证书有效期"               # named as written
    rows[3][10], rows[3][11] = "2009-05-01", "2008年1月1日"   # row 4: expires before issued
    rows[5][13] = "2009-09-15"              # row 6: checked after 检查结束 (2009-08-28)
    rows[6][13] = "2009/5/1"                # row 7: checked before 检查开始 (2009-05-20)
    path, rc, out, err = selfcheck_import(tmp, rows)
    check(rc == 2 and out == b"", f"impossible dates: exit 2, nothing written ({rc})")
    check(f"{path}:4: {rows[3][1]}: 证书有效期 2008-01-01 is before 发证日期 2009-05-01" in err,
          f"expiry before issue, both headings named: {err}")
    check(f"{path}:6: {rows[5][1]}: 检查日期 2009-09-15 is after 检查结束 2009-08-28" in err,
          "a check after the period")
    check(f"{path}:7: {rows[6][1]}: 检查日期 2009-05-01 is before 检查开始 2009-05-20" in err,
          "a check before the period")
    check(len(err.strip().splitlines()) == 3, f"those three only: {err}")

    rows = selfcheck_rows(selfcheck_source())
    path, rc, out, err = selfcheck_import(tmp, rows, "sheet.csv", "--set", "检查开始=2009-09-01")
    check(rc == 2 and "--set 检查结束=2009-08-28 is before 检查开始 2009-09-01" in err,
          f"a period that ends before it starts: {err}")


def test_statuses(tmp):
    """注销 and 过期 are certificate statuses: the record holds their codes
    and the summary prints their names."""
    rows = selfcheck_rows(selfcheck_source())
    given = {1: "注销", 2: "过期", 3: "cancelled", 4: "已过期"}
    for r, status in given.items():
        rows[r][12] = status
    path, rc, out, err = selfcheck_import(tmp, rows)
    got = record_of(out)
    check(rc == 0 and got is not None, f"注销 and 过期 accepted: {err}")
    if got is None:
        return
    statuses = [e.find("certificate").get("status") for e in got.iter("enterprise")][:4]
    check(statuses == ["cancelled", "expired", "cancelled", "expired"], f"their codes: {statuses}")
    accepted_by_gen(tmp, out, "selfcheck-statuses.xml", "selfcheck-summary")
    text = pdfcheck.pdf_text(os.path.join(tmp, "selfcheck-statuses.xml.pdf"))
    check("注销" in text and "过期" in text, "the summary prints 注销 and 过期")
    check("共检查企业12家" in "".join(text.split()), "every enterprise still counted")


def test_nomination_names(tmp):
    """A nomination's row messages name its 推荐企业."""
    rows = nomination_rows(nominations_source())
    rows[2][3] = "31011"
    path = os.path.join(tmp, "推荐表.csv")
    write_sheet(path, rows, "gbk")
    rc, out, err = gen("import", "csv", "--type", "nominations", path, "--set", "推荐单位=东海")
    check(rc == 2 and f'{path}:3: {rows[2][0]}: 邮政编码 "31011" is not a postcode' in err,
          f"the enterprise named: {err}")


def test_cli():
    rc, out, _ = gen("import", "--help")
    text = out.decode()
    check(rc == 0 and text.startswith("usage: gen import --type"), "gen import --help")
    check(all(w in text for w in ("认证机构", "检查结束", "报告", "推荐单位", "--encoding")),
          "the help lists the settings")
    check(all(w in text for w in ("-o FILE", "--sheet NAME", ".xlsx", "<extra name=", "2.00701E+15", "注销")),
          "the help names -o, --sheet, .xlsx, the extra columns, Excel's mangled numbers and 注销", text)
    rc, out, _ = gen("--help")
    check("import" in out.decode(), "gen --help names import")
    rc, _, err = gen("import", "csv", "x.csv")
    check(rc == 2 and "--type" in err, "import without --type")
    rc, _, err = gen("import", "csv", "--type", "inspection", "x.csv")
    check(rc == 2 and "inspection" in err, "an unknown --type")
    rc, _, err = gen("import", "csv", "--type", "selfcheck", "/nonexistent.csv")
    check(rc == 2 and "/nonexistent.csv" in err, "a missing file")
    rc, _, err = gen("check", "--set", "a=b", "examples/notice.xml")
    check(rc == 2 and "--set" in err, "--set belongs to import")


with tempfile.TemporaryDirectory() as tmp:
    test_selfcheck(tmp)
    test_nominations(tmp)
    test_bad_rows(tmp)
    test_headings(tmp)
    test_encodings(tmp)
    test_settings(tmp)
    test_other_province(tmp)
    test_output_file(tmp)
    test_extra_columns(tmp)
    test_excel_numbers(tmp)
    test_dates_in_order(tmp)
    test_statuses(tmp)
    test_nomination_names(tmp)
test_cli()

finish()
