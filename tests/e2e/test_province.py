#!/usr/bin/env python3
"""Any province (issue 16, item 5): the self-check report
(templates/selfcheck-report.xml) is addressed to the record's <recipient>
and titles its directory 在<province>认证企业名录, defaulting to 浙江 as
before; the campaign's lists and 通报 name campaign.xml's <province>, else
the issuer's province.

A 江苏 record is the example record with every 浙江 of its data made 江苏,
so that any 浙江 left in the PDF's text comes from the template.

Plain script, standard library only; the last line printed is
"N passed, N failed" and the exit status is non-zero if any check failed."""

import os
import re
import tempfile
import xml.etree.ElementTree as ET

from harness import (EXAMPLES, ROOT, can_run, check, finish, gen, guarded, line_of, make_campaign,
                     summarise, write_text)
from pdfcheck import nows, outline, pdf_text

SELFCHECK = os.path.join(EXAMPLES, "selfcheck.xml")


def selfcheck(tmp, name, fields, province_of_data="江苏"):
    """The example self-check with 浙江 in its data made province_of_data
    and the elements `fields` (tag -> text) added before <signed-by>."""
    with open(SELFCHECK, encoding="utf-8") as f:
        text = f.read().replace("浙江", province_of_data)
    added = "".join("<%s>%s</%s>\n  " % (tag, value, tag) for tag, value in fields.items())
    text = text.replace("<signed-by>", added + "<signed-by>", 1)
    return write_text(os.path.join(tmp, name + ".xml"), text)


def rendered(tmp, record, *options):
    """(exit status, stderr, the PDF's text without white space, its outline's titles)."""
    pdf = record[:-4] + ".pdf"
    rc, _, err = gen("render", record, "-o", pdf, *options)
    if rc != 0:
        return rc, err, "", []
    titles = []

    def walk(items):
        for title, _, kids in items:
            titles.append(title)
            walk(kids)
    walk(outline(pdf))
    return rc, err, nows(pdf_text(pdf)), titles


def test_jiangsu(tmp):
    record = selfcheck(tmp, "jiangsu", {"recipient": "江苏省质量技术监督局", "province": "江苏省"})
    rc, err, text, titles = rendered(tmp, record)
    check(rc == 0 and not err.strip(), "a 江苏 self-check renders without a word", f"{rc} {err[:300]}")
    check("江苏省质量技术监督局：" in text, "it is addressed to 江苏省质量技术监督局：", text[:200])
    check(text.count("在江苏省认证企业名录") == 2,
          "its 附件说明 and the directory's title read 在江苏省认证企业名录",
          "%d times" % text.count("在江苏省认证企业名录"))
    check("浙江" not in text, "no 浙江 anywhere in its text",
          summarise(m.start() for m in re.finditer("浙江", text)))
    check("附件1　在江苏省认证企业名录" in titles, "its bookmark is 附件1　在江苏省认证企业名录", summarise(titles))
    check(not any("浙江" in t for t in titles), "no 浙江 in its bookmarks", summarise(titles))


def test_defaults(tmp):
    """Without the fields: what it printed before; with the recipient only,
    its province; a colon the clerk typed printed once."""
    rc, err, text, titles = rendered(tmp, selfcheck(tmp, "zhejiang", {}, "浙江"))
    check(rc == 0 and "浙江省质量技术监督局：" in text and text.count("在浙江省认证企业名录") == 2,
          "without <recipient> and <province>: 浙江省质量技术监督局： and 在浙江省认证企业名录",
          f"{rc} {err[:200]} {text[:200]}")
    rc, err, text, _ = rendered(tmp, selfcheck(tmp, "recipient-only", {"recipient": "江苏省质量技术监督局："}))
    check(rc == 0 and not err.strip(), "a recipient alone renders without a word", f"{rc} {err[:300]}")
    check("江苏省质量技术监督局：" in text and "：：" not in text,
          "the recipient typed with its colon is printed with one", text[:200])
    check(text.count("在江苏省认证企业名录") == 2 and "浙江" not in text,
          "the province is the recipient's up to 省: 在江苏省认证企业名录, no 浙江", text[:400])
    rc, err, text, _ = rendered(tmp, selfcheck(tmp, "province-only", {"province": "江苏省"}))
    check(rc == 0 and "浙江省质量技术监督局：" in text and text.count("在江苏省认证企业名录") == 2,
          "a province alone: the directory 在江苏省认证企业名录, the default recipient", f"{rc} {text[:300]}")


def test_no_province_in_recipient(tmp):
    """上海市质量技术监督局 names no 省: a warning at the recipient's line
    says to add <province>; with it, no warning and 上海市 printed."""
    record = selfcheck(tmp, "shanghai", {"recipient": "上海市质量技术监督局"}, "上海")
    with open(record, encoding="utf-8") as f:
        line = line_of(f.read(), "<recipient>")
    rc, err, text, _ = rendered(tmp, record)
    check(rc == 0 and re.search(r"shanghai\.xml:%d: warning: .*<province>" % line, err),
          "a recipient without 省: a warning at its line (%d) saying to add <province>" % line, err[:300])
    check("上海市质量技术监督局：" in text, "it is addressed to 上海市质量技术监督局：", text[:200])
    rc, _, err = gen("render", "--strict", record, "-o", os.path.join(tmp, "strict.pdf"))
    check(rc == 2 and not os.path.exists(os.path.join(tmp, "strict.pdf")),
          "with --strict the warning refuses it, no PDF", f"{rc} {err[:200]}")
    record = selfcheck(tmp, "shanghai2", {"recipient": "上海市质量技术监督局", "province": "上海市"}, "上海")
    rc, err, text, _ = rendered(tmp, record)
    check(rc == 0 and not err.strip() and text.count("在上海市认证企业名录") == 2 and "浙江" not in text,
          "with <province>上海市</province>: no warning, 在上海市认证企业名录, no 浙江", f"{rc} {err[:200]}")


def test_empty_directory(tmp):
    with open(SELFCHECK, encoding="utf-8") as f:
        text = f.read().replace("浙江", "江苏")
    text = re.sub(r"<enterprises>.*</enterprises>", "<enterprises/>", text, flags=re.S)
    text = text.replace("<signed-by>", "<province>江苏省</province>\n  <signed-by>", 1)
    rc, err, out, _ = rendered(tmp, write_text(os.path.join(tmp, "empty.xml"), text))
    check(rc == 0 and "本期没有在江苏省认证的企业。" in out and "在浙江" not in out,
          "an empty directory: 本期没有在江苏省认证的企业。", f"{rc} {err[:200]}")


def test_refused(tmp):
    """The new fields are one each, not blank."""
    for name, fields in (("blank province", {"province": " "}),
                         ("two recipients", {"recipient": "江苏省质量技术监督局"})):
        record = selfcheck(tmp, name.replace(" ", "-"), fields)
        if name == "two recipients":
            with open(record, encoding="utf-8") as f:
                text = f.read().replace("<signed-by>", "<recipient>某局</recipient>\n  <signed-by>", 1)
            write_text(record, text)
        rc, _, err = gen("check", record)
        check(rc == 2 and ".xml:" in err, f"a record with a {name} is refused at its line", f"{rc} {err[:200]}")


def campaign_folder(tmp, name, issuer, province=None):
    folder = os.path.join(tmp, name)
    make_campaign(folder)
    path = os.path.join(folder, "campaign.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    extra = "<issuer>%s</issuer>" % issuer + ("\n  <province>%s</province>" % province if province else "")
    write_text(path, text.replace("<issuer>浙江省质量技术监督局</issuer>", extra, 1))
    return folder


def test_campaign(tmp):
    for name, issuer, province, expect in (("jiangsu", "江苏省质量技术监督局", None, "江苏省"),
                                           ("shanghai", "上海市质量技术监督局", "上海市", "上海市")):
        folder = campaign_folder(tmp, "campaign-" + name, issuer, province)
        out = os.path.join(tmp, name + "-list.xml")
        rc, _, err = gen("campaign", "list", folder, "-o", out, "--date", "2009-11-30")
        check(rc == 0, f"campaign list of a {name} campaign", err[:300])
        if rc == 0:
            root = ET.parse(out).getroot()
            check(root.findtext("title") == "关于公布2009年度%s认证示范企业名单的公告" % expect,
                  f"the {name} public list's title names {expect}", root.findtext("title"))
            check("浙江" not in (root.findtext("body") or ""), f"the {name} list's text names no 浙江",
                  root.findtext("body"))
        out = os.path.join(tmp, name + "-exposure.xml")
        rc, _, err = gen("campaign", "exposure", folder, "-o", out, "--date", "2009-11-30")
        check(rc == 0 and ET.parse(out).getroot().findtext("title")
              == "关于曝光2009年度%s认证严重违法企业名单的公告" % expect,
              f"the {name} exposure list's title names {expect}", err[:300])
        out = os.path.join(tmp, name + "-bulletin.xml")
        rc, _, err = gen("campaign", "bulletin", folder, "-o", out, "--date", "2009-11-30")
        body = ET.parse(out).getroot().findtext("body") if rc == 0 else ""
        check(rc == 0 and "在%s开展认证工作" % expect in body, f"the {name} 通报 names {expect}",
              f"{rc} {err[:200]} {body[:200]}")


# 浙江's cities mapped onto 江苏's, whose own order is not 浙江's
JIANGSU = ["南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市", "淮安市", "盐城市", "扬州市",
           "镇江市"]
ZHEJIANG = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市",
            "丽水市"]


def test_city_order(tmp):
    """A public list of another province groups its entries by the cities
    its record names (<cities>, in their order), none under 其他; without
    them, by 浙江's, where 江苏's cities are all 其他."""
    with open(os.path.join(ROOT, "tests", "records", "demo-list.xml"), encoding="utf-8") as f:
        text = f.read()
    for zj, js in zip(ZHEJIANG, JIANGSU):
        text = text.replace("<region>%s</region>" % zj, "<region>%s</region>" % js)
    order = list(reversed(JIANGSU))  # an order no code list has
    cities = "<cities>%s</cities>\n  <entries>" % "".join("<city>%s</city>" % c for c in order)
    with_cities = os.path.join(tmp, "js-list.xml")
    write_text(with_cities, text.replace("<entries>", cities, 1))
    rc, err, got, _ = rendered(tmp, with_cities)
    heads = [(got.find(c + "（"), c) for c in JIANGSU if got.find(c + "（") >= 0]
    check(rc == 0 and [c for _, c in sorted(heads)] == order and "其他（" not in got,
          "a 江苏 public list's groups follow its <cities>, none under 其他",
          f"{rc} {err[:200]} {sorted(heads)}")
    without = os.path.join(tmp, "js-list-plain.xml")
    write_text(without, text)
    rc, err, got, _ = rendered(tmp, without)
    check(rc == 0 and "其他（%d家）" % text.count("<entry>") in got and not any(c + "（" in got for c in JIANGSU),
          "without <cities>, 浙江's order: 江苏's entries all under 其他", f"{rc} {err[:200]}")
    # gen campaign list writes the roster's cities, in the roster's order
    folder = campaign_folder(tmp, "campaign-cities", "江苏省质量技术监督局")
    out = os.path.join(tmp, "cities-list.xml")
    rc, _, err = gen("campaign", "list", folder, "-o", out, "--date", "2009-11-30")
    roster = [c.text for c in ET.parse(os.path.join(folder, "campaign.xml")).getroot().iter("city")]
    written = [c.text for c in ET.parse(out).getroot().iter("city")] if rc == 0 else []
    check(rc == 0 and written == roster and roster, "campaign list writes the roster's cities in its order",
          f"{written} vs {roster}")


def main():
    if not can_run("pdftotext", "qpdf"):
        finish()
    with tempfile.TemporaryDirectory() as tmp:
        guarded("jiangsu", test_jiangsu, tmp)
        guarded("defaults", test_defaults, tmp)
        guarded("no province in the recipient", test_no_province_in_recipient, tmp)
        guarded("empty directory", test_empty_directory, tmp)
        guarded("refused", test_refused, tmp)
        guarded("campaign", test_campaign, tmp)
        guarded("city order", test_city_order, tmp)
    finish()


main()
