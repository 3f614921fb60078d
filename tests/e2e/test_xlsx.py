"""gen import with Excel workbooks (.xlsx) written by a real writer
(openpyxl, from Debian's python3-openpyxl) in a temporary folder: dates as
Excel dates (serial numbers under a date format, 1900 and 1904 systems),
numbers, shared strings (rich text, a phonetic guide), inline strings, a
title row and a blank row above the headings, headings merged over two
rows, a second sheet chosen with --sheet; each record checked field by
field against what the workbook was written from, and rendered.  Then what
is not a workbook (.xls, .docx, another zip), and workbooks that are broken
or hostile (truncated, a part that unpacks past 200 MB, bad XML, a part
missing): each refused with its reason, exit 2, nothing written."""
import datetime
import html
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
import harness
from harness import ROOT, check, finish
from sheetcheck import NOMINATION_FIELDS, gen, record_of, render_record, write_record

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl, when the python3 found first is not Debian's
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import openpyxl
    except ImportError:
        openpyxl = None


DATE_TAGS = ("valid-until", "filled-on")
NOMINATOR = "东海质量认证有限公司"


def nominations_want():
    """The example nominations: the values each row is written from, and
    compared with (ISO dates as datetime.date, postcodes as int)."""
    root = ET.parse(os.path.join(ROOT, "examples", "nominations.xml")).getroot()
    rows = []
    for n in root.iter("nomination"):
        rows.append({tag: n.findtext(tag).strip() for _, tag in NOMINATION_FIELDS})
    return rows


def excel_value(tag, text):
    """A value as a clerk's workbook holds it: dates as dates, the postcode
    as a number."""
    if tag in DATE_TAGS:
        return datetime.date.fromisoformat(text)
    if tag == "postcode":
        return int(text)
    return text


def write_nominations(ws, rows, first_row):
    """Headings at first_row, a row a nomination below; dates in Excel's
    built-in m/d/yy (id 14) and in a custom Chinese format."""
    for c, (heading, _) in enumerate(NOMINATION_FIELDS, 1):
        ws.cell(first_row, c, heading)
    for r, row in enumerate(rows, first_row + 1):
        for c, (_, tag) in enumerate(NOMINATION_FIELDS, 1):
            cell = ws.cell(r, c, excel_value(tag, row[tag]))
            if tag == "valid-until":
                cell.number_format = "mm-dd-yy"  # openpyxl's name of built-in 14
            elif tag == "filled-on":
                cell.number_format = 'yyyy"年"m"月"d"日"'


def same_nominations(got, want, what):
    """The record's nominations field by field against the rows written."""
    if not check(got is not None, f"{what}: a record"):
        return
    noms = got.findall("nomination")
    check(len(noms) == len(want), f"{what}: {len(want)} nominations", f"got {len(noms)}")
    for i, (n, w) in enumerate(zip(noms, want)):
        for _, tag in NOMINATION_FIELDS:
            check(n.findtext(tag) == w[tag], f"{what}: nomination {i + 1} {tag}",
                  f"got {n.findtext(tag)!r}, want {w[tag]!r}")
    check(got.findtext("nominator") == NOMINATOR, f"{what}: the nominator")
    check(got.get("year") == want[0]["filled-on"][:4], f"{what}: the year from 填报时间")


def rendered(tmp, out, name, template):
    path = write_record(tmp, name + ".xml", out)
    rc, err, pdf = render_record(path, template, os.path.join(tmp, name + ".pdf"))
    check(rc == 0 and os.path.getsize(pdf) > 1000, f"{name}: rendered with {template}", err)


def import_nominations(path, *more):
    return gen("import", "csv", "--type", "nominations", path, "--set", "推荐单位=" + NOMINATOR,
               *more)


def refused(what, rc, out, err, *words):
    """Exit 2, nothing on standard output, and the message says each word."""
    check(rc == 2 and out == b"", f"{what}: exit 2, nothing written", f"exit {rc}, {err}")
    for w in words:
        check(w in err, f"{what}: the message says {w!r}", err)


# ---------------------------------------------------------------------------
# Shared strings: openpyxl 3.0 writes every string inline (<is>); Excel
# writes them to xl/sharedStrings.xml.  The workbook is rewritten as Excel
# would have it, one string a rich-text run pair with a phonetic guide.

def to_shared_strings(path, rich=None):
    """Every inline string of every sheet into xl/sharedStrings.xml; the
    string `rich` is written as two runs and a phonetic guide (<rPh>) that
    is not part of its text."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    strings = []

    def shared(m):
        strings.append(html.unescape(m.group(2)))  # openpyxl writes &#26477;
        return f'{m.group(1)}t="s"><v>{len(strings) - 1}</v></c>'
    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        text = parts[name].decode()
        parts[name] = re.sub(r'(<c [^>]*?)t="inlineStr"><is><t>(.*?)</t></is></c>', shared,
                             text, flags=re.S).encode()
    items = []
    for s in strings:
        if rich is not None and s == rich:
            half = len(rich) // 2
            items.append(f'<si><r><rPr><b/></rPr><t>{harness.xml_escape(rich[:half])}</t></r>'
                         f'<r><t xml:space="preserve">{harness.xml_escape(rich[half:])}</t></r>'
                         f'<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>')
        else:
            items.append(f"<si><t>{harness.xml_escape(s)}</t></si>")
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(items)}" uniqueCount="{len(items)}">'
        + "".join(items) + "</sst>").encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')).encode()
    write_zip(path, parts)
    return len(strings)


def write_zip(path, parts, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, data in parts.items():
            z.writestr(name, data)


# ---------------------------------------------------------------------------

def test_title_and_blank_rows(tmp):
    """A merged title across the columns, a blank row, the headings in row
    3; dates in two formats; shared strings with a rich-text run."""
    want = nominations_want()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "推荐企业"
    ws["A1"] = "2009年度推荐企业汇总表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(NOMINATION_FIELDS))
    write_nominations(ws, want, 3)
    path = os.path.join(tmp, "推荐.xlsx")
    wb.save(path)
    rich = want[1]["enterprise"]
    n_strings = to_shared_strings(path, rich=rich)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        sst = z.read("xl/sharedStrings.xml").decode()
    check('t="inlineStr"' not in sheet and n_strings > 20 and "<rPh" in sst,
          "the workbook holds shared strings, one in runs with a phonetic guide",
          f"{n_strings} strings, rPh {'<rPh' in sst}")
    check('<mergeCell ref="A1:M1"/>' in sheet and 'numFmtId="14"' in styles
          and "年" in styles and '<row r="2"' not in sheet,
          "a merged title, row 2 blank, a built-in and a custom date format")
    check(re.search(r'<c r="I4" s="\d+" t="n"><v>40560</v>', sheet) is not None,
          "证书有效期 2011-01-17 is the serial number 40560")

    rc, out, err = import_nominations(path)
    check(rc == 0 and err == "", f"a workbook with a title and a blank row: exit {rc}", err)
    got = record_of(out)
    same_nominations(got, want, "title and blank row")
    if got is not None:
        rendered(tmp, out, "nominations-xlsx", "nomination-form")
    # the clerk need not know what the file is: no "csv", or "xlsx"
    for form in (("import", "--type", "nominations"), ("import", "xlsx", "--type", "nominations")):
        rc, out2, err = gen(*form, path, "--set", "推荐单位=" + NOMINATOR)
        check(rc == 0 and out2 == out, f"gen {' '.join(form)} FILE", err)

    # a bad cell is named by its Excel row: the headings are row 3
    ws.cell(5, 4, 31015)  # 邮政编码 of the second nomination, row 5
    wb.save(path)
    rc, out, err = import_nominations(path)
    refused("a bad postcode", rc, out, err, f"{path}:5:", '"31015" is not a postcode')


def test_merged_headings(tmp):
    """Headings in two rows: 联系方式 merged over 联系人 and 联系电话, the
    other headings merged down over both rows."""
    want = nominations_want()
    wb = openpyxl.Workbook()
    ws = wb.active
    write_nominations(ws, want, 2)
    contact = [c for c, (h, _) in enumerate(NOMINATION_FIELDS, 1) if h in ("联系人", "联系电话")]
    for c in range(1, len(NOMINATION_FIELDS) + 1):
        if c not in contact:
            ws.cell(1, c, ws.cell(2, c).value)
            ws.cell(2, c).value = None
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    ws.cell(1, contact[0], "联系方式")
    ws.merge_cells(start_row=1, start_column=contact[0], end_row=1, end_column=contact[1])
    path = os.path.join(tmp, "merged.xlsx")
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    check('<mergeCell ref="A1:A2"/>' in sheet and '<mergeCell ref="F1:G1"/>' in sheet,
          "headings merged down and across")
    rc, out, err = import_nominations(path)
    check(rc == 0, f"headings merged over two rows: exit {rc}", err)
    same_nominations(record_of(out), want, "merged headings")


def test_sheets_and_values(tmp):
    """The data on a second sheet (--sheet), a 1904 workbook, numbers and
    booleans as Excel shows them, an inline string left inline."""
    want = nominations_want()
    want[0]["products"] = "2.5"        # a number with a fraction
    want[1]["products"] = "TRUE"       # a boolean
    want[2]["postcode"] = "321000"     # written as the float 321000.0
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "请在“名单”表中填写"
    ws = wb.create_sheet("名单")
    write_nominations(ws, want, 1)
    ws.cell(2, 5, 2.5)
    ws.cell(3, 5, True)
    ws.cell(4, 4, 321000.0)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    path = os.path.join(tmp, "sheets.xlsx")
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    serial_1904 = (datetime.date.fromisoformat(want[0]["valid-until"]) - datetime.date(1904, 1, 1)).days
    check('date1904="1"' in book and f"<v>{serial_1904}</v>" in sheet and 't="b"' in sheet,
          "a 1904 workbook, its dates counted from 1904-01-01; a boolean cell")

    rc, out, err = import_nominations(path, "--sheet", "名单")
    check(rc == 0, f"--sheet 名单: exit {rc}", err)
    same_nominations(record_of(out), want, "the second sheet of a 1904 workbook")

    rc, out, err = import_nominations(path)
    refused("the first sheet holds no headings", rc, out, err, "unknown heading")
    rc, out, err = import_nominations(path, "--sheet", "名册")
    refused("a wrong sheet name", rc, out, err, 'no sheet named "名册"', '"填表说明", "名单"')
    csv_path = os.path.join(tmp, "a.csv")
    harness.write_text(csv_path, ",".join(h for h, _ in NOMINATION_FIELDS) + "\n")
    rc, out, err = import_nominations(csv_path, "--sheet", "名单")
    refused("--sheet with a CSV file", rc, out, err, "a CSV file has one sheet")


def test_csv_title_row(tmp):
    """A title and a blank row above the headings of a CSV file too."""
    want = nominations_want()
    lines = ["2009年度推荐企业汇总表" + "," * 12, "", ",".join(h for h, _ in NOMINATION_FIELDS)]
    for w in want:
        lines.append(",".join('"%s"' % w[t].replace('"', '""') for _, t in NOMINATION_FIELDS))
    path = os.path.join(tmp, "title.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    rc, out, err = import_nominations(path)
    check(rc == 0, f"a CSV file with a title row: exit {rc}", err)
    same_nominations(record_of(out), want, "CSV with a title row")


# ---------------------------------------------------------------------------
# What is not a workbook, and workbooks broken or hostile

def small_workbook(tmp, name):
    want = nominations_want()[:1]
    wb = openpyxl.Workbook()
    write_nominations(wb.active, want, 1)
    path = os.path.join(tmp, name)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return path, {n: z.read(n) for n in z.namelist()}


def test_not_workbooks(tmp):
    xls = os.path.join(tmp, "旧表.xls")
    with open(xls, "wb") as f:  # an OLE2 compound file's header, then nothing of use
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    rc, out, err = import_nominations(xls)
    refused("an .xls", rc, out, err, "old Excel workbook", ".xlsx (Excel 工作簿) or CSV")

    docx = os.path.join(tmp, "名单.docx")
    write_zip(docx, {"[Content_Types].xml": "<Types/>", "word/document.xml":
                     '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                     '2006/main"><w:body/></w:document>'})
    rc, out, err = import_nominations(docx)
    refused("a .docx", rc, out, err, "a Word document, not a sheet", "copy the table into Excel")

    other = os.path.join(tmp, "附件.xlsx")
    write_zip(other, {"readme.txt": "hello"})
    rc, out, err = import_nominations(other)
    refused("another zip named .xlsx", rc, out, err, "not an Excel workbook")


def test_broken(tmp):
    path, parts = small_workbook(tmp, "good.xlsx")
    rc, _, err = import_nominations(path)
    check(rc == 0, "the workbook the broken ones are made from imports", err)

    data = open(path, "rb").read()
    cut = os.path.join(tmp, "cut.xlsx")
    with open(cut, "wb") as f:
        f.write(data[:len(data) // 2])
    rc, out, err = import_nominations(cut)
    refused("a truncated workbook", rc, out, err, cut, "damaged or incomplete zip")

    bad = dict(parts)
    bad["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40]
    path = os.path.join(tmp, "badxml.xlsx")
    write_zip(path, bad)
    rc, out, err = import_nominations(path)
    refused("a sheet that is not well-formed", rc, out, err, path, "xl/worksheets/sheet1.xml",
            "not well-formed XML")

    missing = {n: d for n, d in parts.items() if n != "xl/worksheets/sheet1.xml"}
    path = os.path.join(tmp, "missing.xlsx")
    write_zip(path, missing)
    rc, out, err = import_nominations(path)
    refused("a sheet part missing", rc, out, err, "no part xl/worksheets/sheet1.xml")

    doctype = dict(parts)
    doctype["xl/workbook.xml"] = (b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                  + parts["xl/workbook.xml"].split(b"?>", 1)[-1])
    path = os.path.join(tmp, "dtd.xlsx")
    write_zip(path, doctype)
    rc, out, err = import_nominations(path)
    refused("a part with a DTD", rc, out, err, "xl/workbook.xml", "DTD")


def test_zip_bomb(tmp):
    """A sheet part that unpacks to 201 MB (of spaces inside the XML): some
    200 KB in the archive; refused without inflating it all."""
    _, parts = small_workbook(tmp, "bomb-base.xlsx")
    path = os.path.join(tmp, "bomb.xlsx")
    sheet = parts["xl/worksheets/sheet1.xml"]
    head, tail = sheet.split(b"<sheetData>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head + b"<sheetData>")
            block = b" " * (1 << 20)
            for _ in range(201):
                f.write(block)
            f.write(tail)
    check(os.path.getsize(path) < 2 << 20, "the bomb is small packed",
          f"{os.path.getsize(path)} bytes")
    rc, out, err = import_nominations(path)
    refused("a part over 200 MB unpacked", rc, out, err, "xl/worksheets/sheet1.xml", "200 MB")


if openpyxl is None:
    check(False, "python3-openpyxl", "not installed: make deps")
else:
    with tempfile.TemporaryDirectory() as tmp:
        for t in (test_title_and_blank_rows, test_merged_headings, test_sheets_and_values,
                  test_csv_title_row, test_not_workbooks, test_broken, test_zip_bomb):
            harness.guarded(t.__name__, t, tmp)
finish()
