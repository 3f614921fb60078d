"""Bad and hostile input: every case a one-line FILE:LINE message, exit 2,
no PDF, quickly and in bounded memory; encodings checked and converted."""
import os
import subprocess
import tempfile
import time
from harness import GEN, ROOT, check, finish

NOTICE = open(os.path.join(ROOT, "examples", "notice.xml"), encoding="utf-8").read()


def gen(*args, timeout=60):
    """Run the program: exit status, stderr, seconds and peak memory (MB)."""
    start = time.monotonic()
    p = subprocess.Popen([GEN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                         env=dict(os.environ, SOURCE_DATE_EPOCH="1249344000"))
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, err, time.monotonic() - start, usage.ru_maxrss / 1024


def refused(tmp, name, data, want, limit_mb=1024, seconds=10):
    """Render `data` as a record: exit 2, one line naming the file and `want`, no PDF."""
    path = os.path.join(tmp, name + ".xml")
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    out = os.path.join(tmp, name + ".pdf")
    rc, err, took, peak = gen("render", path, "-o", out)
    lines = [l for l in err.splitlines() if l.strip()]
    check(rc == 2, f"{name}: exit 2 (got {rc}: {err!r})")
    check(len(lines) == 1 and lines[0].startswith(path + ":"), f"{name}: one line naming the file: {lines}")
    check(want in err, f"{name}: message says {want!r}: {err!r}")
    check(not os.path.exists(out) and not [f for f in os.listdir(tmp) if ".tmp-" in f],
          f"{name}: no PDF, no temporary file")
    check(took < seconds, f"{name}: answered in {took:.1f} s")
    check(peak < limit_mb, f"{name}: peak memory {peak:.0f} MB, under {limit_mb} MB")
    return err


with tempfile.TemporaryDirectory() as tmp:
    # External entities: /etc/passwd must not leak into any PDF or message.
    xxe = NOTICE.replace("<notice>", '<!DOCTYPE notice [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<notice>', 1)
    xxe = xxe.replace("<cc>国家认证认可监督管理委员会</cc>", "<cc>&x;</cc>")
    err = refused(tmp, "xxe", xxe, "entities")
    check("root:" not in err, "the password file is not in the message")
    net = NOTICE.replace("<notice>", '<!DOCTYPE notice [<!ENTITY y SYSTEM "http://192.0.2.1/x">]>\n<notice>', 1)
    net = net.replace("<cc>国家认证认可监督管理委员会</cc>", "<cc>&y;</cc>")
    refused(tmp, "network-entity", net, "entities", seconds=5)
    # An external DTD is never fetched; the record is read without it.
    dtd = NOTICE.replace("<notice>", '<!DOCTYPE notice SYSTEM "http://192.0.2.1/notice.dtd">\n<notice>', 1)
    path = os.path.join(tmp, "dtd.xml")
    open(path, "w", encoding="utf-8").write(dtd)
    rc, err, took, _ = gen("check", path)
    check(rc == 0 and took < 5, f"an external DTD is not fetched ({rc}, {took:.1f} s, {err!r})")

    # Entity expansion bombs: refused quickly, in bounded memory.
    lol = '<?xml version="1.0"?>\n<!DOCTYPE notice [\n<!ENTITY a "aaaaaaaaaa">\n'
    lol += "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    lol += "]>\n<notice><title>&j;</title></notice>\n"
    refused(tmp, "billion-laughs", lol, "entit", limit_mb=200, seconds=5)
    quad = '<?xml version="1.0"?>\n<!DOCTYPE notice [<!ENTITY a "' + "x" * 50000 + '">]>\n<notice><title>'
    quad += "&a;" * 50000 + "</title></notice>\n"
    refused(tmp, "quadratic-blowup", quad, "entities", limit_mb=200, seconds=5)

    # Structure and size.
    refused(tmp, "deep", '<?xml version="1.0"?>\n' + "<a>" * 100000 + "</a>" * 100000, "nested")
    refused(tmp, "huge-text", '<?xml version="1.0"?>\n<notice><title>' + "字" * 17_000_000 + "</title></notice>\n",
            "longer than", limit_mb=600)
    refused(tmp, "nul", b'<?xml version="1.0"?>\n<notice>\0</notice>\n', "NUL")
    refused(tmp, "empty", b"", "empty")
    refused(tmp, "truncated", NOTICE[: len(NOTICE) // 2], "")
    bad = NOTICE.encode("utf-8").replace("监督局".encode("utf-8"), b"\xff\xfe\xfd", 1)
    err = refused(tmp, "bad-utf8", bad, "not valid UTF-8")
    line = NOTICE[: NOTICE.index("监督局")].count("\n") + 1
    offset = NOTICE.encode("utf-8").index("监督局".encode("utf-8"))
    check(f":{line}:" in err and f"byte {offset}" in err and "--encoding GBK" in err,
          f"the bad byte's line {line} and offset {offset}, and the hint: {err!r}")
    gbk_as_utf8 = NOTICE.encode("gbk")
    refused(tmp, "gbk-undeclared", gbk_as_utf8, "--encoding GBK")
    rc, err, _, _ = gen("render", tmp, "-o", os.path.join(tmp, "dir.pdf"))
    check(rc == 2 and "directory" in err and len(err.strip().splitlines()) == 1, f"a directory: {err!r}")

    # A template that is not valid.
    tpl = os.path.join(tmp, "broken.xml")
    open(tpl, "w").write('<template name="x" record="notice"><flow><para>')
    rc, err, _, _ = gen("render", "-t", tpl, "examples/notice.xml", "-o", os.path.join(tmp, "t.pdf"))
    check(rc == 2 and err.startswith(tpl + ":") and not os.path.exists(os.path.join(tmp, "t.pdf")),
          f"a malformed template: {err!r}")
    open(tpl, "w").write('<template name="x" record="notice"><flow><frobnicate/></flow></template>')
    rc, err, _, _ = gen("render", "-t", tpl, "examples/notice.xml", "-o", os.path.join(tmp, "t.pdf"))
    check(rc == 2 and "frobnicate" in err and f"{tpl}:1:" in err, f"an unknown template element: {err!r}")

    # Encodings: a GBK (and a GB18030) twin renders to the same PDF as the UTF-8 original.
    utf8 = os.path.join(tmp, "utf8.xml")
    open(utf8, "w", encoding="utf-8").write(NOTICE)
    rc, err, _, _ = gen("render", utf8, "-o", os.path.join(tmp, "utf8.pdf"))
    check(rc == 0, f"the UTF-8 original renders: {err!r}")
    for enc in ("GBK", "GB18030"):
        twin = os.path.join(tmp, enc + ".xml")
        with open(twin, "wb") as f:
            f.write(NOTICE.replace('encoding="UTF-8"', f'encoding="{enc}"').encode(enc.lower()))
        rc, err, _, _ = gen("render", twin, "-o", os.path.join(tmp, enc + ".pdf"))
        same = rc == 0 and open(os.path.join(tmp, enc + ".pdf"), "rb").read() == open(
            os.path.join(tmp, "utf8.pdf"), "rb").read()
        check(same, f"the {enc} twin gives the same PDF, byte for byte ({rc}, {err!r})")
    bom = os.path.join(tmp, "bom.xml")
    open(bom, "wb").write(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"))
    rc, err, _, _ = gen("check", bom)
    check(rc == 0, f"a UTF-8 BOM is accepted: {err!r}")

finish()
