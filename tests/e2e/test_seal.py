"""A seal over the signature and date (GB/T 9704-2012 7.3.5.1)."""
import os
import re
import subprocess
import sys
import tempfile
from harness import GEN, ROOT, check, finish

MM = 72 / 25.4


def words(pdf, page):
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True).stdout
    return [(float(m[0]), float(m[1]), float(m[2]), float(m[3]), m[4]) for m in
            re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', out)]


def image_box(pdf, page):
    """The seal's box on the page, from pdfimages' list and the red pixels."""
    out = subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-list", pdf],
                         capture_output=True, text=True).stdout
    return [l.split() for l in out.splitlines()[2:] if l.strip()]


with tempfile.TemporaryDirectory() as tmp:
    sealed = os.path.join(ROOT, "examples", "notice-sealed.xml")
    pdf = os.path.join(tmp, "sealed.pdf")
    p = subprocess.run([GEN, "render", sealed, "-o", pdf], capture_output=True, text=True, cwd=ROOT)
    check(p.returncode == 0, f"the sealed notice renders: {p.stderr}")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                            text=True).stdout).group(1))
    images = image_box(pdf, pages)
    check(len(images) == 2 and images[0][2] == "image" and images[1][2] == "smask",
          f"one image with its soft mask (transparency) on the signature's page: {images}")
    # Render that page and find the seal's red ring: centred on the signature and date.
    subprocess.run(["pdftoppm", "-r", "72", "-f", str(pages), "-l", str(pages), pdf, os.path.join(tmp, "q")],
                   check=True)
    q = [f for f in os.listdir(tmp) if f.startswith("q") and f.endswith(".ppm")][0]
    data = open(os.path.join(tmp, q), "rb").read()
    parts = data.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    pix = parts[3]
    reds = [(i % w, i // w) for i in range(w * h)
            if pix[3 * i] > 180 and pix[3 * i + 1] < 120 and pix[3 * i + 2] < 120]
    xs, ys = [x for x, _ in reds], [y for _, y in reds]
    check(len(reds) > 500, f"the seal's red is drawn ({len(reds)} pixels)")
    if reds:
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        width_mm = (max(xs) - min(xs)) / MM
        check(abs(width_mm - 42 * 0.96) < 2.5, f"the seal is about 42 mm across ({width_mm:.1f} mm)")
        ws = words(pdf, pages)
        sig = [wd for wd in ws if "浙江省质量技术监督局" in wd[4] and wd[1] < 700]
        date = [wd for wd in ws if wd[4].startswith("2009年8月4日") and not wd[4].endswith("印发")]
        check(sig and date, "signature and date found")
        if sig and date:
            s, d = sig[0], date[0]
            group_cx = (min(s[0], d[0]) + max(s[2], d[2])) / 2
            check(abs(cx - group_cx) < 3, f"centred on signature and date ({cx:.1f} vs {group_cx:.1f})")
            text_cy = (s[1] + d[3]) / 2
            check(0 < text_cy - cy < 0.5 * 28.95, f"the text a little below the seal's middle ({text_cy - cy:.1f} pt)")
            check(abs(d[2] - (28 * MM + 156 * MM - 4 * 15.79)) < 1.5, "the date right-indented four characters")
            check(abs((s[0] + s[2]) / 2 - (d[0] + d[2]) / 2) < 1, "the signature centred over the date")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    check("浙江省质量技术监督局" in text and "2009年8月4日" in text, "the seal leaves the text layer whole")

    # A missing or unreadable seal is an error naming the file: exit 2, no PDF.
    for name, content in (("missing.png", None), ("broken.png", b"not a png at all")):
        rec = os.path.join(tmp, "rec-" + name + ".xml")
        open(rec, "w", encoding="utf-8").write(open(sealed, encoding="utf-8").read()
                                               .replace("<seal>seal.png</seal>", f"<seal>{name}</seal>"))
        if content is not None:
            open(os.path.join(tmp, name), "wb").write(content)
        out = os.path.join(tmp, name + ".pdf")
        p = subprocess.run([GEN, "render", rec, "-o", out], capture_output=True, text=True, cwd=ROOT)
        check(p.returncode == 2 and os.path.join(tmp, name) in p.stderr and rec + ":" in p.stderr
              and not os.path.exists(out), f"seal {name}: exit 2, the file named: {p.returncode} {p.stderr!r}")

finish()
