"""gen batch: one PDF per node, safe and unique names, workers, shards,
bad nodes reported by position, argument checking."""
import os
import pty
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from harness import GEN, ROOT, check, finish, gen, make_records, skipped
from pdfcheck import pdf_text

EXAMPLE = os.path.join(ROOT, "examples", "nominations.xml")
SUMMARY = re.compile(r"^batch: (\d+) written, (\d+) failed, \d+\.\d s$", re.M)

# No real form template yet: a tiny one, enough to show the name and a date.
TEMPLATE = """<template name="t" record="nominations" each="nomination">
  <page top="25mm" left="25mm" right="25mm" bottom="25mm"/>
  <style name="body" role="仿宋" size="16pt"/>
  <flow><para align="center"><value of="enterprise"/></para><para><value of="filled-on" format="date"/></para></flow>
</template>
"""


def batch(tpl, record, out, *more):
    return gen("batch", "-t", tpl, record, "-o", out, *more)


def summary(err):
    m = SUMMARY.search(err)
    return (int(m.group(1)), int(m.group(2))) if m else None


def texts(folder):
    """{file name: its text} of the PDFs in folder."""
    return {f: pdf_text(os.path.join(folder, f)).strip() for f in sorted(os.listdir(folder))}


def enterprises(record):
    return [n.findtext("enterprise") for n in ET.parse(record).getroot().iter("nomination")]


def write_renamed(src, dst, names):
    """A copy of src whose nominations' enterprises are renamed {position: name}."""
    tree = ET.parse(src)
    for i, node in enumerate(tree.getroot().iter("nomination")):
        if i in names:
            node.find("enterprise").text = names[i]
    tree.write(dst, encoding="UTF-8", xml_declaration=True)


def leftovers(folder):
    return [f for f in os.listdir(folder) if ".tmp-" in f or not f.endswith(".pdf")]


# ---- help ----
rc, out, _ = gen("--help")
check(rc == 0 and "batch" in out and "--shard" in out, "gen --help shows batch")
rc, out, _ = gen("batch", "--help")
check(rc == 0 and out.startswith("usage: gen batch") and "--shard I/N" in out
      and "Slurm" in out and "Kubernetes" in out and "parallel" in out, "gen batch --help")

with tempfile.TemporaryDirectory() as tmp:
    tpl = os.path.join(tmp, "t.xml")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(TEMPLATE)
    names = enterprises(EXAMPLE)

    # ---- one PDF per node, named by --name, the folder created ----
    out = os.path.join(tmp, "named")
    rc, _, err = batch(tpl, EXAMPLE, out, "--name", "enterprise")
    check(rc == 0, f"batch of the example: exit 0 ({rc}: {err})")
    check(sorted(os.listdir(out)) == sorted(n + ".pdf" for n in names), "one PDF per node, by name")
    got = texts(out)
    check(all(got.get(n + ".pdf", "").startswith(n) and "2009年8月28日" in got[n + ".pdf"] for n in names),
          "each PDF holds its own node")
    check(summary(err) == (len(names), 0), f"the summary line ({err!r})")
    check("\r" not in err, "no progress line when stderr is not a terminal")

    # ---- without --name: positions; --each given explicitly ----
    out = os.path.join(tmp, "positions")
    rc, _, _ = batch(tpl, EXAMPLE, out, "--each", "//nomination")
    check(rc == 0 and sorted(os.listdir(out)) == sorted(f"{i}.pdf" for i in range(1, len(names) + 1)),
          "no --name: files named by position")
    check(pdf_text(os.path.join(out, "2.pdf")).strip().startswith(names[1]), "position 2 is the second node")
    rc, _, err = batch(tpl, EXAMPLE, out, "--each", "//nomination[enterprise='no such']")
    check(rc == 2 and "selects nothing" in err, "--each that selects nothing is bad input")
    rc, _, err = batch(tpl, EXAMPLE, out, "--name", "enterprise[")
    check(rc == 2 and "--name" in err, "an invalid --name XPath is bad input")

    # ---- duplicates numbered, unsafe names made safe ----
    dup = os.path.join(tmp, "dup.xml")
    long_name = "长" * 100  # 300 bytes of UTF-8
    write_renamed(EXAMPLE, dup, {1: names[0], 2: names[0] + "-2", 3: names[0]})
    out = os.path.join(tmp, "dup")
    rc, _, _ = batch(tpl, dup, out, "--name", "enterprise")
    want = {names[0] + ".pdf", names[0] + "-2.pdf", names[0] + "-2-2.pdf", names[0] + "-3.pdf"}
    check(rc == 0 and set(os.listdir(out)) == want, f"duplicates numbered: {sorted(os.listdir(out))}")
    unsafe = os.path.join(tmp, "unsafe.xml")
    write_renamed(EXAMPLE, unsafe, {0: "../etc/passwd", 1: " .隐藏\t企业\n", 2: long_name})
    out = os.path.join(tmp, "unsafe")
    rc, _, err = batch(tpl, unsafe, out, "--name", "enterprise")
    files = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(rc == 0 and len(files) == 4, f"unsafe names: all written ({rc}, {files}, {err})")
    check("_etc_passwd.pdf" in files, "'/' replaced and leading dots dropped")
    check("隐藏 企业.pdf" in files, "controls become spaces, trimmed, no leading dot")
    # a name of dots and spaces is no name: refused (it used to be numbered
    # in silence), the node's line given, nothing written
    dots = os.path.join(tmp, "dots.xml")
    write_renamed(EXAMPLE, dots, {3: " ... "})
    rc, _, err = batch(tpl, dots, os.path.join(tmp, "dots"), "--name", "enterprise")
    line = open(dots, encoding="utf-8").read().split("<nomination>")
    line = sum(part.count("\n") for part in line[:4]) + 1
    check(rc == 2 and f"dots.xml:{line}: " in err and "node 4 no file name" in err
          and not os.path.exists(os.path.join(tmp, "dots")),
          f"a name of dots and spaces is refused with the node's line: {rc} {err!r}")
    longs = [f for f in files if f.startswith("长")]
    check(len(longs) == 1 and len(longs[0].encode()) <= 200 + 4 and len(longs[0].encode()) >= 190 + 4
          and long_name.startswith(longs[0][:-4]), f"a long name cut at a character boundary: {longs}")
    check(not any(f.startswith(".") for f in files) and os.listdir(tmp).count("etc") == 0,
          "nothing hidden, nothing outside the folder")

    # ---- a bigger record: -j 2 is -j 1; shards add up to the whole ----
    big = make_records(os.path.join(tmp, "big.xml"), "nominations", "--count", "40")
    big_names = enterprises(big)
    # equal names across shards: numbering must not depend on the sharding
    write_renamed(big, big, {5: big_names[0], 13: big_names[0], 20: big_names[0]})
    whole = os.path.join(tmp, "j1")
    rc1, _, err1 = batch(tpl, big, whole, "--name", "enterprise")
    par = os.path.join(tmp, "j2")
    rc2, _, err2 = batch(tpl, big, par, "--name", "enterprise", "-j", "2")
    check(rc1 == 0 and rc2 == 0 and len(os.listdir(whole)) == 40, f"40 nodes written ({rc1}, {rc2})")
    check(summary(err2) == (40, 0), f"summary with workers ({err2!r})")
    whole_texts = texts(whole)
    check(whole_texts == texts(par), "-j 2 gives the same files with the same text as -j 1")
    shards = []
    for i in range(3):
        d = os.path.join(tmp, f"shard{i}")
        rc, _, err = batch(tpl, big, d, "--name", "enterprise", "--shard", f"{i}/3",
                           *(["-j", "2"] if i == 1 else []))
        check(rc == 0 and summary(err) == (len(range(i, 40, 3)), 0), f"shard {i}/3 ({rc}, {err!r})")
        shards.append(set(os.listdir(d)))
    union = set().union(*shards)
    check(sum(len(s) for s in shards) == len(union) == 40, "shards do not overlap")
    check(union == set(whole_texts), "shards together are the unsharded run, same names")
    check(all(pdf_text(os.path.join(tmp, f"shard{i}", f)).strip() == whole_texts[f]
              for i in range(3) for f in shards[i]),
          "a sharded file holds the same node as unsharded")

    # ---- a progress line when stderr is a terminal ----
    # A pseudo-terminal stands for it; a chroot without /dev/pts mounted has
    # none, and only then is this part skipped, saying so.
    try:
        leader, follower = pty.openpty()
    except OSError as e:
        skipped(f"the progress line on a terminal: no pseudo-terminal here ({e}; is /dev/pts mounted?)")
    else:
        p = subprocess.run([GEN, "batch", "-t", tpl, big, "-o", os.path.join(tmp, "tty"), "-j", "2"],
                           stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT)
        os.close(follower)
        shown = b""
        try:
            while chunk := os.read(leader, 65536):
                shown += chunk
        except OSError:  # the pty is empty and closed
            pass
        os.close(leader)
        shown = shown.decode()
        check(p.returncode == 0 and "\r\033[Kbatch: 40/40" in shown
              and re.search(r"\033\[Kbatch: 40 written, 0 failed, \d+\.\d s\r?\n", shown),
              f"a progress line on a terminal: {shown!r}")

    # ---- a bad node: reported with position and line, the rest written ----
    with open(big, encoding="utf-8") as f:
        lines = f.read().split("\n")
    seen = 0
    for n, line in enumerate(lines):
        if "<filled-on>" in line:
            seen += 1
            if seen == 7:
                lines[n] = re.sub(r">[^<]*<", ">2009-13-45<", line)
                bad_line = n + 1
                break
    bad = os.path.join(tmp, "bad.xml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    bad_name = enterprises(bad)[6]
    for jobs in ("1", "2"):
        out = os.path.join(tmp, "bad-j" + jobs)
        rc, _, err = batch(tpl, bad, out, "--name", "enterprise", "-j", jobs)
        prefix = f"{bad}:{bad_line}: node 7 ({bad_name}): "
        check(rc == 2, f"-j {jobs}: a bad node gives exit 2 ({rc})")
        check(prefix in err and "2009-13-45" in err, f"-j {jobs}: reported as {prefix!r}: {err!r}")
        files = set(os.listdir(out))
        check(len(files) == 39 and bad_name + ".pdf" not in files, f"-j {jobs}: the others are written")
        check(leftovers(out) == [], f"-j {jobs}: no partial or temporary files")
        check(summary(err) == (39, 1), f"-j {jobs}: the summary counts the failure")

    # ---- arguments ----
    for shard in ("3/3", "x/2", "1/0", "-1/2", "1/2x", "/2"):
        out = os.path.join(tmp, "never")
        rc, _, err = batch(tpl, EXAMPLE, out, "--shard", shard)
        check(rc == 2 and "--shard" in err and not os.path.exists(out), f"--shard {shard} is bad input")
    for jobs in ("0", "x", "-1"):
        rc, _, err = batch(tpl, EXAMPLE, os.path.join(tmp, "never"), "-j", jobs)
        check(rc == 2 and "-j" in err, f"-j {jobs} is bad input")
    rc, _, err = gen("batch", "-t", tpl, EXAMPLE)
    check(rc == 2 and "-o" in err, "batch without -o is bad input")
    rc, _, err = gen("render", "-t", tpl, EXAMPLE, "--shard", "0/2")
    check(rc == 2 and "batch" in err, "--shard is an option of batch only")
    rc, _, err = batch(tpl, EXAMPLE, os.path.join(tmp, "no", "such", "dir"))
    check(rc == 2 and f"the folder {os.path.join(tmp, 'no')} does not exist" in err,
          f"an output folder under one that does not exist: exit 2, the first missing named ({err!r})")
    before = open(tpl, "rb").read()
    rc, _, err = batch(tpl, EXAMPLE, tpl)
    check(rc == 2 and "is a file, not a folder" in err and "-o" in err,
          f"an output that is a file: exit 2, saying to give a folder ({rc}: {err.strip()[:200]})")
    check(open(tpl, "rb").read() == before, "the file given as the output folder is untouched")
    rc, _, err = batch(tpl, EXAMPLE, os.path.join(tmp, "empty-shard"), "--shard", "7/9")
    check(rc == 0 and summary(err) == (0, 0), "an empty shard is not an error")

# 500 forms: every subset size comes up, including those that once met a
# libharu bug at an 8 KB boundary of the embedded font (node 272 of seed 1).
with tempfile.TemporaryDirectory() as tmp:
    big = make_records(os.path.join(tmp, "n500.xml"), "nominations", "--count", "500")
    out = os.path.join(tmp, "forms")
    rc, _, err = gen("batch", "-t", "nomination-form", big, "-o", out, "--name", "enterprise", "-j", "2",
                     timeout=None)
    check(rc == 0 and "batch: 500 written, 0 failed" in err
          and len(os.listdir(out)) == 500, f"500 forms all written: {err[-300:]}")
finish()
