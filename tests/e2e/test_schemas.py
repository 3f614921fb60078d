"""The record schemas (schemas/ROOT.rng) and the template schema.

Every record the bodies and bureaus submit (tests/records/, the project's
copies of shared/records/, and examples/) and everything
tools/make_records.py writes is accepted by `bin/gen check` and by xmllint;
the generator writes the same bytes for the same seed whatever the locale.
Copies with one mistake each (a missing field, 2009-13-45, an unknown code,
a five-digit postcode, an unknown element, ...) are refused with exit 2 and
a FILE:LINE: message at the mistake.  Every templates/*.xml matches
schemas/template.rng.  With shared/ beside the project, the copies are
compared with the shared records, a shared record with no copy is checked
itself, and so is what shared/tools/make_records.py writes; without it the
test says what it did not check.
"""
import glob
import os
import re
import shutil
import sys
import tempfile
import xml.dom.minidom
from harness import (MAKE_RECORDS, RECORDS, ROOT, SHARED, check, finish, gen, make_records, record_root,
                     run, skipped, templates_for)

SHARED_RECORDS = os.path.join(SHARED, "records")
SHARED_MAKE_RECORDS = os.path.join(SHARED, "tools", "make_records.py")
XMLLINT = shutil.which("xmllint")
NO_TEMPLATE = "no template lays out"


def note(what):
    print("note:", what)


def xmllint(schema, path):
    rc, _, err = run([XMLLINT, "--noout", "--relaxng", schema, path])
    return rc, err


def shown(path):
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


def template_for(root):
    """The one template whose record= is `root`, or None."""
    names = templates_for(root)
    return names[0] if len(names) == 1 else None


def accepted(path, what):
    """`gen check` accepts the record: exit 0, or (no template for its kind
    yet) only the message that no template lays it out; and xmllint agrees."""
    root = record_root(path)
    schema = os.path.join(ROOT, "schemas", f"{root}.rng")
    check(os.path.exists(schema), f"{what}: there is a schema for <{root}> ({schema})")
    tpl = template_for(root)
    rc, _, err = gen("check", *(["-t", tpl] if tpl else []), path)
    lines = [l for l in err.splitlines() if l.strip()]
    if tpl:
        check(rc == 0, f"{what}: gen check -t {tpl} exits 0 (got {rc}: {err.strip()[:400]!r})")
    else:
        check(rc == 0 or (rc == 2 and lines and all(NO_TEMPLATE in l for l in lines)),
              f"{what}: gen check validates (exit {rc}: {err.strip()[:400]!r})")
    if XMLLINT:
        rc, err = xmllint(schema, path)
        check(rc == 0, f"{what}: xmllint --relaxng {os.path.relpath(schema, ROOT)} ({err.strip()[:400]!r})")


# ---- mutations: each returns (the record with one mistake, the line of the mistake) ----

def line_at(src, index):
    return src.count("\n", 0, index) + 1


def nth(src, needle, k):
    i = -1
    for _ in range(k):
        i = src.index(needle, i + 1)
    return i


def replace(needle, repl, k=1):
    """The k-th `needle` replaced; the mistake is on its line."""
    def mutate(src):
        i = nth(src, needle, k)
        return src[:i] + repl + src[i + len(needle):], line_at(src, i)
    return mutate


def drop_line(needle, parent, k=1):
    """The line of the k-th `needle` removed; the element missing it starts
    at the last `parent` before it."""
    def mutate(src):
        i = nth(src, needle, k)
        start, end = src.rindex("\n", 0, i) + 1, src.index("\n", i) + 1
        return src[:start] + src[end:], line_at(src, src.rindex(parent, 0, i))
    return mutate


def add_line(after, text, k=1):
    """`text` on a line of its own after the line of the k-th `after`."""
    def mutate(src):
        end = src.index("\n", nth(src, after, k)) + 1
        return src[:end] + text + "\n" + src[end:], line_at(src, end)
    return mutate


def refused(tmp, kind, name, base, mutate):
    with open(base, encoding="utf-8") as f:
        src = f.read()
    try:
        new, line = mutate(src)
    except ValueError:  # the example no longer has what the mutation changes
        check(False, f"{kind} {name}: {os.path.basename(base)} has the text this mutation changes")
        return
    path = os.path.join(tmp, f"{kind}-{name}.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    try:  # a mutation must stay well-formed: the schema has to find the mistake
        xml.dom.minidom.parseString(new.encode("utf-8"))
    except Exception as e:  # noqa: BLE001 (any parse error)
        check(False, f"{kind} {name}: the mutated record is well-formed XML ({e})")
        return
    rc, _, err = gen("check", path)
    where = f"{path}:{line}:"
    check(rc == 2, f"{kind} {name}: gen check exits 2 (got {rc}: {err.strip()[:300]!r})")
    check(where in err, f"{kind} {name}: a message at {os.path.basename(path)}:{line}: ({err.strip()[:500]!r})")
    check(NO_TEMPLATE not in err, f"{kind} {name}: refused by validation, not for want of a template")


TYPES = {
    # kind: (the example, make_records.py's name for it, its mutations)
    "notice": ("notice.xml", None, [
        ("missing printer", drop_line("<printer>", "<notice>")),
        ("missing title", drop_line("<title>", "<notice>")),
        ("date 2009-13-45", replace("<date>2009-08-04</date>", "<date>2009-13-45</date>")),
        # 2009-8-4 is a clerk's date, made 2009-08-04 (test_record_messages); no such day stays refused
        ("print-date 2009年2月30日", replace("<print-date>2009-08-04<", "<print-date>2009年2月30日<")),
        ("edition passed", replace("<notice>", '<notice edition="passed">')),
        ("doc-number in []", replace("〔2009〕195号", "[2009]195号")),
        ("empty signature", replace("<signature>浙江省质量技术监督局<", "<signature>  <")),
        ("unknown element", add_line("<cc>", "  <remarks>备注</remarks>")),
        ("body format html", replace('<body format="markdown">', '<body format="html">')),
    ]),
    "self-check": ("selfcheck.xml", "selfcheck", [
        ("missing postcode", drop_line("<postcode>", "<enterprise ", 3)),
        ("missing signed-by", drop_line("<signed-by>", "<self-check")),
        ("missing findings", drop_line("<findings>", "<check ", 5)),
        ("check date 2009-13-45", replace('<check date="2009-08-19"', '<check date="2009-13-45"')),
        ("period date 2009-13-45", replace('to="2009-08-28"', 'to="2009-13-45"')),
        ("result passed", replace('result="pass"', 'result="passed"', 2)),
        ("certificate type ISO9001", replace('type="QMS"', 'type="ISO9001"')),
        ("certificate status active", replace('status="valid"', 'status="active"', 4)),
        ("postcode 31015", replace("<postcode>310158<", "<postcode>31015<")),
        ("unknown element", add_line("<products>", "      <remarks>备注</remarks>", 4)),
        ("empty name", replace("<name>湖州宏图食品有限公司<", "<name> <")),
        ("year 09", replace('<self-check year="2009">', '<self-check year="09">')),
    ]),
    "nominations": ("nominations.xml", "nominations", [
        ("missing postcode", drop_line("<postcode>", "<nomination>", 3)),
        ("missing nominator", drop_line("<nominator>", "<nominations")),
        ("filled-on 2009-13-45", replace("<filled-on>2009-08-28<", "<filled-on>2009-13-45<", 2)),
        ("valid-until 2011-02-29", replace("<valid-until>2011-01-17<", "<valid-until>2011-02-29<")),
        ("reason format passed", replace('<reason format="markdown">', '<reason format="passed">', 2)),
        ("postcode 31015", replace("<postcode>315344<", "<postcode>31015<")),
        ("phone a name", replace("<phone>0574-85911133<", "<phone>钱阳<")),
        ("unknown element", add_line("<products>", "    <remarks>备注</remarks>", 2)),
        ("empty enterprise", replace("<enterprise>宁波德力化工有限公司<", "<enterprise><")),
    ]),
    "inspection-report": ("inspection.xml", "inspection", [
        ("missing county", drop_line("<county>", "<violation>", 5)),
        ("missing recipients", drop_line("<recipients>", "<inspection-report")),
        ("date 2009-13-45", replace("<date>2009-10-30<", "<date>2009-13-45<")),
        ("certificate type passed", replace('type="CCC"', 'type="passed"', 2)),
        ("action passed", replace("<action>立案查处<", "<action>passed<", 2)),
        ("doc-number 058号", replace("〔2009〕58号", "〔2009〕058号")),
        ("unknown element", add_line("<product>", "      <remarks>备注</remarks>", 3)),
    ]),
    "public-list": ("demo-list.xml", "demo-list", [
        ("missing certification", drop_line("<certification>", "<entry>", 7)),
        ("missing signature", drop_line("<signature>", "<public-list")),
        ("date 2009-13-45", replace("<date>2009-11-30<", "<date>2009-13-45<")),
        ("kind passed", replace('kind="demonstration"', 'kind="passed"')),
        ("certification passed", replace("<certification>质量管理体系<", "<certification>passed<", 3)),
        ("unknown element", add_line("<region>", "      <remarks>备注</remarks>", 2)),
    ]),
}

def made_records(maker, label, tmp):
    """What the generator `maker` writes, a few sizes and seeds, is accepted."""
    for kind, (_, made, _) in TYPES.items():
        if not made:
            continue
        for seed, count in ((2009, 1), (7, 40), (31, 200)):
            path = os.path.join(tmp, f"made-{made}-{seed}-{count}.xml")
            try:
                make_records(path, made, "--count", str(count), "--seed", str(seed), maker=maker)
                failure = ""
            except RuntimeError as e:
                failure = str(e)
            check(not failure, f"{label} {made}: {failure.strip()[:200]}")
            accepted(path, f"{label} {made} --count {count} --seed {seed}")
        # none at all: valid, though a template may find nothing to print
        path = make_records(os.path.join(tmp, f"made-{made}-0.xml"), made, "--count", "0", maker=maker)
        rc, _, err = gen("check", path)
        lines = [l for l in err.splitlines() if l.strip()]
        check(rc == 0 or (rc == 2 and lines and all("holds nothing" in l or NO_TEMPLATE in l for l in lines)),
              f"{label} {made} --count 0 validates (exit {rc}: {err.strip()[:300]!r})")
        if XMLLINT:
            rc, err = xmllint(os.path.join(ROOT, "schemas", record_root(path) + ".rng"), path)
            check(rc == 0, f"{label} {made} --count 0: xmllint ({err.strip()[:300]!r})")


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


check(XMLLINT, "xmllint is installed (libxml2-utils, which make deps installs)")
with tempfile.TemporaryDirectory() as tmp:
    # ---- what organisations submit: tests/records/ and examples/ ----
    known = [t[0] for t in TYPES.values()]
    for kind, (example, _, _) in TYPES.items():
        for path in (os.path.join(RECORDS, example), os.path.join(ROOT, "examples", example)):
            check(os.path.exists(path), f"{path} exists")
            if os.path.exists(path):
                check(record_root(path) == kind, f"{path} is a <{kind}> record")
                accepted(path, shown(path))
    for path in sorted(glob.glob(os.path.join(RECORDS, "*.xml"))):
        if os.path.basename(path) not in known:  # a kind this test does not know is still checked
            accepted(path, shown(path))
    # with shared/: the copies are the shared records, byte for byte, and a
    # shared record with no copy is checked itself
    if not os.path.isdir(SHARED_RECORDS):
        skipped(f"{SHARED_RECORDS} not found: tests/records/ is not compared with the shared "
                "records, and a shared record with no copy there is not checked")
    else:
        for path in sorted(glob.glob(os.path.join(SHARED_RECORDS, "*.xml"))):
            copy = os.path.join(RECORDS, os.path.basename(path))
            if os.path.exists(copy):
                check(same_bytes(path, copy), f"{shown(copy)} is a byte-identical copy of {path}")
            else:
                accepted(path, shown(path))

    # ---- what make_records.py writes, a few sizes and seeds ----
    if check(os.path.exists(MAKE_RECORDS), f"the project's generator {MAKE_RECORDS} is there"):
        made_records(MAKE_RECORDS, "tools/make_records.py", tmp)
        # the same bytes for the same seed: whatever the hash seed, and in
        # UTF-8 (as the records declare) whatever the locale's encoding
        for made in [t[1] for t in TYPES.values() if t[1]]:
            outs = []
            for env in ({"PYTHONHASHSEED": "1"},
                        {"PYTHONHASHSEED": "2", "LC_ALL": "C", "PYTHONIOENCODING": "latin-1"}):
                rc, out, _ = run([sys.executable, MAKE_RECORDS, made, "--count", "30", "--seed", "5"],
                                 env=dict(os.environ, **env), binary=True)
                outs.append((rc, out))
            check(outs[0] == outs[1] and outs[0][0] == 0
                  and outs[0][1].startswith(b'<?xml version="1.0" encoding="UTF-8"?>'),
                  f"tools/make_records.py {made} --seed 5 writes the same UTF-8 bytes each run "
                  f"(exits {outs[0][0]}, {outs[1][0]}; {len(outs[0][1])} and {len(outs[1][1])} bytes)")
    if not os.path.exists(SHARED_MAKE_RECORDS):
        skipped(f"{SHARED_MAKE_RECORDS} not found: what the shared generator writes is not checked")
    else:
        made_records(SHARED_MAKE_RECORDS, shown(SHARED_MAKE_RECORDS), tmp)

    # ---- one mistake each: exit 2 and FILE:LINE: at the mistake ----
    for kind, (example, _, mutations) in TYPES.items():
        for name, mutate in mutations:
            refused(tmp, kind, name.replace(" ", "-"), os.path.join(ROOT, "examples", example), mutate)

    # ---- every schema says at its top what it describes ----
    for path in sorted(glob.glob(os.path.join(ROOT, "schemas", "*.rng"))):
        with open(path, encoding="utf-8") as f:
            head = re.sub(r"^<\?xml[^>]*\?>\s*", "", f.read())
        check(head.startswith("<!--"), f"{os.path.relpath(path, ROOT)} begins with a comment")

    # ---- templates against schemas/template.rng ----
    template_rng = os.path.join(ROOT, "schemas", "template.rng")
    templates = sorted(glob.glob(os.path.join(ROOT, "templates", "*.xml")))
    check(os.path.exists(template_rng), "schemas/template.rng exists")
    if XMLLINT:  # (its absence is a failure above)
        for path in templates:
            rc, err = xmllint(template_rng, path)
            check(rc == 0, f"{os.path.relpath(path, ROOT)} matches schemas/template.rng: {err.strip()[:500]}")
        # and the schema is not a blank cheque: typical slips are refused
        # (in templates/notice.xml, or in the fragment it takes its page
        # furniture from, templates/gbt9704.xml)
        sources = {}
        for name in ("notice.xml", "gbt9704.xml"):
            tpl = os.path.join(ROOT, "templates", name)
            if os.path.exists(tpl):
                with open(tpl, encoding="utf-8") as f:
                    sources[name] = f.read()
        slips = [('align="center"', 'align="centre"'), ('shrink-to-fit="yes"', 'shrink-to-fit="true"'),
                 ('top="37mm"', 'top="37 mm"'), ('<space lines="1"/>', "<space/>"),
                 ('<value of="header"/>', '<value of="header" format="date-CN"/>'),
                 ('color="#E60012"/>', 'color="red"/>'), ("<flow>", "<title>x</title><flow>"),
                 ('<value of="doc-number"/>', "<value/>")]
        for old, new in slips:
            name = next((n for n, src in sources.items() if old in src), None)
            if not name:
                note(f"templates/notice.xml has no {old}: that slip is not tried")
                continue
            path = os.path.join(tmp, "slip.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(sources[name].replace(old, new, 1))
            rc, _ = xmllint(template_rng, path)
            check(rc != 0, f"schemas/template.rng refuses {new} in templates/{name}")

finish()
