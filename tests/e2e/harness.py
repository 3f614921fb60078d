"""What the end-to-end tests share: where the program, the project's
records and its record generator are; running the program and other
commands; the records and texts the tests make; and the tally whose last
line tests/run reads.  What is read back from a PDF is pdfcheck.py's."""
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import traceback
import xml.etree.ElementTree as ET
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the program under test (make test-sanitize and test-valgrind set GEN)
# absolute: some tests run it from a temporary folder (cwd=)
GEN = os.path.abspath(os.environ.get("GEN", os.path.join(ROOT, "bin", "gen")))
# The project's own generator of records (tools/make_records.py) and its
# copies of the records organisations submit (tests/records/): the tests
# need nothing outside the project.
MAKE_RECORDS = os.path.join(ROOT, "tools", "make_records.py")
RECORDS = os.path.join(ROOT, "tests", "records")
# The campaign folders' generator (tests/e2e/make_campaign.py).
MAKE_CAMPAIGN = os.path.join(ROOT, "tests", "e2e", "make_campaign.py")
EXAMPLES = os.path.join(ROOT, "examples")
# The team's shared/, beside the project here (not in a clone of the project
# alone): tests may add checks with it when it is there, never need it.
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
# The program speaks the locale's language (po/): the tests read its
# English messages, so every program they run is in the C locale, whatever
# the machine's; test_i18n sets its own for the Chinese ones.
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)
# A run that hangs fails its test after this many seconds instead of
# holding up make test (valgrind makes runs some 50 times slower).
TIMEOUT = 600

_tally = {"passed": 0, "failed": 0}


# ------------------------------------------------------------- the tally ---

def check(cond, what, reason=""):
    """One assertion: counted, and when it fails, said ("FAIL: what", and
    ": reason" when one is given).  Returns whether it held.  (The
    condition comes first: test_notice, test_tables and test_forms once
    had their own check(name, ok, reason); such a call is refused, not
    counted as a pass.)"""
    if not isinstance(what, str):
        raise TypeError("check(cond, what, reason=''): what must be the check's name, not %r" % (what,))
    if cond:
        _tally["passed"] += 1
    else:
        _tally["failed"] += 1
        print("FAIL: %s: %s" % (what, reason) if reason else "FAIL: %s" % what)
    sys.stdout.flush()  # in order with what the programs run print
    return bool(cond)


def skipped(what):
    """A part not checked here, for want of something this machine lacks:
    said on a line of its own, which tests/run repeats at the end."""
    print("skipped:", what)


def failures():
    """The number of checks that failed so far."""
    return _tally["failed"]


def finish():
    """The closing line "N passed, N failed" and the exit status."""
    print(f"{_tally['passed']} passed, {_tally['failed']} failed")
    sys.exit(1 if _tally["failed"] else 0)


def guarded(name, test, *args):
    """Runs test(*args); an exception in it is one failed check that names
    the test and where the exception was raised, and the script goes on
    with its next test."""
    try:
        test(*args)
    except Exception as e:  # noqa: BLE001
        tb = traceback.extract_tb(e.__traceback__)[-1]
        check(False, name, "crashed: %s: %s (%s:%d)"
              % (type(e).__name__, e, os.path.basename(tb.filename), tb.lineno))


def can_run(*tools):
    """True if the program under test and every tool named are there;
    otherwise one failed check for each that is missing."""
    ok = True
    if not os.access(GEN, os.X_OK):
        ok = check(False, "bin/gen exists", "%s missing: run make all" % GEN)
    for tool in tools:
        if not shutil.which(tool):
            ok = check(False, "tool %s" % tool, "%s not installed (make deps)" % tool)
    return ok


def summarise(items, limit=6):
    """The first `limit` items joined by "; " (for a failure's reason), and
    how many there are in all when there are more."""
    items = list(items)
    text = "; ".join(str(i) for i in items[:limit])
    if len(items) > limit:
        text += "; ... (%d in all)" % len(items)
    return text


# ------------------------------------------------------ running programs ---

def run(args, cwd=ROOT, env=None, timeout=TIMEOUT, binary=False):
    """Runs a command in cwd; returns (exit status, stdout, stderr), stdout
    as bytes if binary, else as text like stderr (UTF-8, any bad byte
    replaced)."""
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
                       timeout=timeout)
    out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def gen(*args, cwd=ROOT, env=None, timeout=TIMEOUT, binary=False):
    """Runs the program under test with args, in the project's folder unless
    cwd says otherwise: (exit status, stdout, stderr) as run() gives them."""
    return run([GEN, *args], cwd=cwd, env=env, timeout=timeout, binary=binary)


def make_records(path, kind, *options, maker=MAKE_RECORDS, timeout=TIMEOUT):
    """Writes what the record generator (tools/make_records.py unless maker
    names another) makes of `kind` and the options (e.g. "--count", "40")
    to path; returns path.  Raises RuntimeError with the generator's message
    if it fails."""
    with open(path, "wb") as f:
        p = subprocess.run([sys.executable, maker, kind, *options], stdout=f,
                           stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("%s %s failed (exit %d): %s"
                           % (os.path.basename(maker), " ".join((kind,) + options), p.returncode,
                              p.stderr.decode("utf-8", "replace").strip()))
    return path


def make_campaign(folder, *options):
    """Writes a campaign folder with make_campaign.py and the options (e.g.
    "--plant", "--seed", "7"); returns what it planted (folder/planted.json).
    Raises CalledProcessError if the generator fails."""
    subprocess.run([sys.executable, MAKE_CAMPAIGN, folder, *options], check=True)
    with open(os.path.join(folder, "planted.json"), encoding="utf-8") as f:
        return json.load(f)


# ------------------------------------------------------ records, templates ---

def cn_date(iso):
    """An ISO date as the documents print it: 2009-08-04 -> 2009年8月4日."""
    y, m, d = (int(x) for x in iso.strip().split("-"))
    return "%d年%d月%d日" % (y, m, d)


def xml_escape(s):
    """s with &, < and > escaped, to put into a record as element text."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_text(path, text):
    """Writes text to path in UTF-8; returns path."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def line_of(text, needle, k=1):
    """The line (from 1) of the k-th occurrence of needle in text; raises
    ValueError if there are fewer."""
    at = -1
    for _ in range(k):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def record_root(path):
    """The name of the root element of the XML file at path, or None if it
    is not well-formed XML."""
    try:
        for _, elem in ET.iterparse(path, events=("start",)):
            return elem.tag
    except ET.ParseError:
        return None
    return None


def templates_for(root):
    """The names of the shipped templates (templates/NAME.xml) whose
    record= is `root`, in file name order."""
    names = []
    folder = os.path.join(ROOT, "templates")
    for f in sorted(os.listdir(folder)):
        if f.endswith(".xml"):
            with open(os.path.join(folder, f), encoding="utf-8") as src:
                m = re.search(r'<template\b[^>]*\brecord="([^"]+)"', src.read())
            if m and m.group(1) == root:
                names.append(f[:-4])
    return names


_WORDS = ["认证机构", "获证企业", "质量管理体系", "监督检查", "整改措施", "产品质量", "内部审核",
          "管理评审", "认证证书", "标志使用", "检验记录", "关键元器件", "型式试验", "纠正措施"]
_PUNCT_SETS = [("，", ""), ("。", ""), ("、", ""), ("；", ""), ("“", "”"), ("（", "）"), ("《", "》"),
               ("：", ""), ("？", ""), ("！", "")]


def chinese_text(n, seed):
    """About n characters of Chinese with all kinds of punctuation, paired
    marks around words and a running number (第k段) every seventh piece;
    the same for the same seed."""
    rnd = random.Random(seed)
    out = []
    size = 0
    k = 0
    while size < n:
        w = rnd.choice(_WORDS)
        a, b = _PUNCT_SETS[rnd.randrange(len(_PUNCT_SETS))]
        piece = a + w + b if b else w + a
        if k % 7 == 0:
            piece = "第%d段" % k + piece
        k += 1
        out.append(piece)
        size += len(piece)
    return "".join(out)


# ------------------------------------------------------------- PNG files ---

def png_chunk(kind, data):
    """One PNG chunk: length, type, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path, width, height, depth, ctype, scanlines, extra=b"", interlaced=False):
    """A PNG of the given scanlines (bytes each, unfiltered: a 0 is put
    before each), in Adam7 order if interlaced; extra: chunks before IDAT."""
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n"
                + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, int(interlaced)))
                + extra + png_chunk(b"IDAT", zlib.compress(b"".join(b"\0" + r for r in scanlines)))
                + png_chunk(b"IEND", b""))
    return path
