"""The same right answer every time: `check` and `render` of every example
and of generated records of several sizes, run many times one after
another and two side by side; every run must exit 0 with the same messages
and every PDF must be byte-identical to the first.

A record is validated beside the template stage only when that is safe
(pipeline.h, pipeline_check): libxml2 relinks an <interleave>'s children
while it validates them, and a reader in another thread saw fields as "".
That failed some 2 % of the runs of a 40-enterprise self-check record, so
300 runs of one such record find it with odds of about 999 in 1,000; the
other records cover the other paths (a large record's ordered twin in a
thread, a large record in another order of its children, a large invalid
record, a sealed notice).  Bounded by run counts, never by time."""
import os
import re
import subprocess
import tempfile
from harness import GEN, MAKE_RECORDS, ROOT, check, finish, make_records

# Under valgrind or the sanitizers each run is 20-50 times slower: fewer
# runs, the same checks.
SLOW = any(w in GEN for w in ("valgrind", "asan"))
RUNS_SMALL = 40 if SLOW else 300  # the record that showed the race
RUNS_OTHER = 3 if SLOW else 25
PAIRS = 2 if SLOW else 20


def run(args):
    """The program's exit status and stderr as bytes: every run's must be
    the same, byte for byte (side_by_side reads them from Popen alike)."""
    p = subprocess.run([GEN] + args, capture_output=True, cwd=ROOT)
    return p.returncode, p.stderr


def swap_region_county(src, dst):
    """The same record with each enterprise's <region> and <county> swapped:
    valid (an <interleave> takes any order), but not in the order the
    ordered twin wants, so the schema itself must say it is valid."""
    lines = open(src, encoding="utf-8").read().split("\n")
    for i in range(len(lines) - 1):
        if "<region>" in lines[i] and "<county>" in lines[i + 1]:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    open(dst, "w", encoding="utf-8").write("\n".join(lines))


def break_one_date(src, dst):
    """The same record with one date that is not a date, far down."""
    text = open(src, encoding="utf-8").read()
    at = text.rindex('date="2009-')
    open(dst, "w", encoding="utf-8").write(text[:at] + 'date="2009-13-45"' + text[at + 17:])


def repeat(label, args, runs, out=None, expect_rc=0):
    """`runs` runs one after another: the first run's status, messages and
    PDF are the reference; every later one must give the same."""
    first = None
    bad = []
    for i in range(runs):
        rc, err = run(args)
        pdf = open(out, "rb").read() if out and rc == 0 else None
        if first is None:
            first = (rc, err, pdf)
            check(rc == expect_rc, f"{label}: exit {expect_rc} (got {rc}: {err.decode()[:300]})")
            if out and expect_rc == 0:
                check(pdf is not None and pdf.startswith(b"%PDF-"), f"{label}: a PDF")
        elif (rc, err, pdf) != first:
            bad.append((i, rc, err.decode()[:200]))
    check(not bad, f"{label}: {runs} runs one after another alike ({len(bad)} differ; first: {bad[:1]})")
    return first


def side_by_side(label, args_a, args_b, pairs, ref_a, ref_b):
    """Two runs at once, `pairs` times: each as its reference."""
    bad = []
    for i in range(pairs):
        procs = [subprocess.Popen([GEN] + a, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
                 for a in (args_a, args_b)]
        for p, args, ref in zip(procs, (args_a, args_b), (ref_a, ref_b)):
            err = p.communicate()[1]
            out = args[args.index("-o") + 1] if "-o" in args else None
            pdf = open(out, "rb").read() if out and p.returncode == 0 else None
            if (p.returncode, err, pdf) != ref:
                bad.append((i, p.returncode, err.decode()[:200]))
    check(not bad, f"{label}: {pairs} pairs side by side alike ({len(bad)} differ; first: {bad[:1]})")


with tempfile.TemporaryDirectory() as tmp:
    records = {}
    if os.path.exists(MAKE_RECORDS):
        made = {"selfcheck-40": ("selfcheck", 40, 7), "selfcheck-300": ("selfcheck", 300, 3),
                "nominations-40": ("nominations", 40, 5), "demo-list-300": ("demo-list", 300, 2),
                "inspection-60": ("inspection", 60, 4)}
        for name, (kind, count, seed) in made.items():
            records[name] = os.path.join(tmp, name + ".xml")
            make_records(records[name], kind, "--count", str(count), "--seed", str(seed))
        swap_region_county(records["selfcheck-300"], os.path.join(tmp, "reordered-300.xml"))
        break_one_date(records["selfcheck-300"], os.path.join(tmp, "invalid-300.xml"))
    else:
        check(False, f"the record generator {MAKE_RECORDS} is there")

    # ---- the record that showed the race: check, and render, 300 times ----
    if "selfcheck-40" in records:
        r = records["selfcheck-40"]
        pdf = os.path.join(tmp, "m40.pdf")
        repeat("check selfcheck-40", ["check", r], RUNS_SMALL)
        ref = repeat("render selfcheck-40", ["render", "-t", "selfcheck-report", r, "-o", pdf], RUNS_SMALL // 3,
                     out=pdf)
        side_by_side("check and render selfcheck-40", ["check", r],
                     ["render", "-t", "selfcheck-report", r, "-o", pdf], PAIRS, (0, b"", None), ref)

    # ---- every example, and the other generated records ----
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".xml"))
    check(len(examples) >= 6, f"the examples are there ({examples})")
    jobs = [(f, os.path.join(ROOT, "examples", f)) for f in examples]
    jobs += [(n, records[n]) for n in ("selfcheck-300", "nominations-40", "demo-list-300", "inspection-60")
             if n in records]
    for name, rec in jobs:
        pdf = os.path.join(tmp, name + ".pdf")
        repeat(f"check {name}", ["check", rec], RUNS_OTHER)
        repeat(f"render {name}", ["render", rec, "-o", pdf], RUNS_OTHER, out=pdf)

    # ---- a large record in another order of its children: valid ----
    if records:
        rec = os.path.join(tmp, "reordered-300.xml")
        pdf = os.path.join(tmp, "reordered.pdf")
        ref = repeat("render reordered-300", ["render", "-t", "selfcheck-summary", rec, "-o", pdf], RUNS_OTHER,
                     out=pdf)
        same = os.path.join(tmp, "in-order.pdf")
        rc, err = run(["render", "-t", "selfcheck-summary", records["selfcheck-300"], "-o", same])
        check(rc == 0 and ref[2] == open(same, "rb").read(),
              "reordered-300: the same PDF as the record in the schema's order (region and county are fields)")

    # ---- a large invalid record: refused alike every time, at its line ----
    if records:
        rec = os.path.join(tmp, "invalid-300.xml")
        pdf = os.path.join(tmp, "invalid.pdf")
        rc, err, _ = repeat("render invalid-300", ["render", "-t", "selfcheck-summary", rec, "-o", pdf],
                            RUNS_OTHER, out=pdf, expect_rc=2)
        line = next(i for i, l in enumerate(open(rec, encoding="utf-8"), 1) if "2009-13-45" in l)
        check(re.search(r"invalid-300\.xml:%d: " % line, err.decode()) is not None,
              f"invalid-300: the message names line {line} ({err.decode()[:300]})")
        check(not os.path.exists(pdf), "invalid-300: no PDF written")

finish()
