#!/usr/bin/env python3
"""make demo: render every record of examples/ through every template that
lays it out, into out/, and the notice with its attachments as one bundle.
Exits non-zero if any render fails."""
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "bin", "gen")


def root_of(path):
    return ET.parse(path).getroot().tag


def render(args, out):
    p = subprocess.run([GEN, "render", *args, "-o", out], cwd=ROOT)
    print(("" if p.returncode == 0 else "FAILED: ") + os.path.relpath(out, ROOT))
    return p.returncode == 0


def main():
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    templates = {}
    for t in sorted(glob.glob(os.path.join(ROOT, "templates", "*.xml"))):
        tree = ET.parse(t).getroot()
        templates.setdefault(tree.get("record"), []).append(os.path.basename(t)[:-4])
    ok = True
    for record in sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml"))):
        name = os.path.basename(record)[:-4]
        for_it = templates.get(root_of(record), [])
        if not for_it:
            print(f"skipped {os.path.relpath(record, ROOT)}: no template for it yet")
        for t in for_it:
            out = f"{name}.pdf" if len(for_it) == 1 else f"{name}-{t}.pdf"
            ok &= render(["-t", t, record], os.path.join(ROOT, "out", out))
    ex = lambda n: os.path.join(ROOT, "examples", n)
    ok &= render(["--bundle", ex("notice.xml"), ex("selfcheck.xml"), ex("nominations.xml")],
                 os.path.join(ROOT, "out", "notice-bundle.pdf"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
