"""What the tests of gen import share (test_import.py's sheets saved as
CSV, test_xlsx.py's workbooks): the program run with its record read as
bytes, the fields of a nomination with the headings a sheet gives them,
the record read back, and the record written and rendered.

Python 3 standard library only."""

import os
import xml.etree.ElementTree as ET

import harness

# each field of a <nomination>: the heading of its column, its element
NOMINATION_FIELDS = [("推荐企业", "enterprise"), ("所在地区", "region"), ("企业地址", "address"),
                     ("邮政编码", "postcode"), ("主要产品", "products"), ("联系人", "contact"),
                     ("联系电话", "phone"), ("认证类型", "certification"),
                     ("证书有效期", "valid-until"), ("推荐理由", "reason"), ("填表人", "filled-by"),
                     ("审核人", "reviewed-by"), ("填报时间", "filled-on")]


def gen(*args):
    """Exit status, stdout as bytes (the record), stderr as text."""
    return harness.gen(*args, binary=True)


def record_of(out):
    """The record gen import printed, parsed; None (and why, printed) if it
    is not XML."""
    try:
        return ET.fromstring(out)
    except ET.ParseError as e:
        print("not XML:", e)
        return None


def write_record(tmp, name, out):
    """Writes the record gen import printed (bytes) to tmp/name; returns
    the path."""
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(out)
    return path


def render_record(path, template, pdf=None):
    """gen render -t template of the record at path, to pdf (path + ".pdf"
    unless given): (exit status, stderr, the PDF's path)."""
    if pdf is None:
        pdf = path + ".pdf"
    rc, _, err = gen("render", "-t", template, path, "-o", pdf)
    return rc, err, pdf
