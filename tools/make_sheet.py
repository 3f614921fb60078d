#!/usr/bin/env python3
"""Write a self-check sheet as a clerk saves it from Excel (CSV, GBK, CRLF
rows, quotes only where needed), for `gen import csv --type selfcheck`:
the enterprises of tools/make_records.py's self-check record (the same
--seed gives the same rows), one a row, with the headings clerks type.

  make_sheet.py --enterprises 38000 > 自查.csv
  make_sheet.py --enterprises 200000 --settings   (the --set arguments, one a line)

The benchmark (bench/run, workload I) imports these.
"""
import argparse
import csv
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
HEADINGS = ["序号", "企业名称", "所在地区", "所在县（市、区）", "企业地址", "邮政编码", "主要产品",
            "证书编号", "认证类型", "认证标准", "发证日期", "有效期至", "证书状态", "检查日期",
            "处理结果", "发现的主要问题", "整改措施"]
# what the settings are in make_records.py's self-check record
SETTINGS = ["认证机构=东海质量认证有限公司", "批准号=CNCA-R-2003-099",
            "机构地址=杭州市西湖区文三路100号", "联系人=李华", "联系电话=0571-80000001",
            "检查开始=2009-05-20", "检查结束=2009-08-28", "报告=本期检查情况见附表。"]


def rows(n, seed):
    record = subprocess.run([sys.executable, os.path.join(HERE, "make_records.py"), "selfcheck",
                             "--enterprises", str(n), "--seed", str(seed)],
                            stdout=subprocess.PIPE, check=True).stdout
    yield HEADINGS
    for i, e in enumerate(ET.fromstring(record).iter("enterprise")):
        c, k = e.find("certificate"), e.find("check")
        yield [str(i + 1), e.findtext("name"), e.findtext("region"), e.findtext("county"),
               e.findtext("address"), e.findtext("postcode"), e.findtext("products"),
               c.get("no"), c.get("type"), c.get("standard"), c.get("issued"), c.get("expires"),
               c.get("status"), k.get("date"), k.get("result"), k.findtext("findings"),
               k.findtext("actions")]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=12)
    p.add_argument("--seed", type=int, default=2009)
    p.add_argument("--settings", action="store_true", help="print the --set values, one a line")
    a = p.parse_args()
    if a.settings:
        sys.stdout.reconfigure(encoding="utf-8")
        print("\n".join(SETTINGS))
        return
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows(a.enterprises, a.seed))
    sys.stdout.buffer.write(text.getvalue().encode("gbk"))


if __name__ == "__main__":
    main()
