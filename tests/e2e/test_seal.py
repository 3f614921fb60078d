"""A seal over the signature and date (GB/T 9704-2012 7.3.5.1)."""
import os
import tempfile
import pdfcheck as pc
from harness import EXAMPLES, check, finish, gen, run
from pdfcheck import MM


def image_box(pdf, page):
    """The seal's box on the page, from pdfimages' list and the red pixels."""
    out = run(["pdfimages", "-f", str(page), "-l", str(page), "-list", pdf])[1]
    return [l.split() for l in out.splitlines()[2:] if l.strip()]


with tempfile.TemporaryDirectory() as tmp:
    sealed = os.path.join(EXAMPLES, "notice-sealed.xml")
    pdf = os.path.join(tmp, "sealed.pdf")
    rc, _, err = gen("render", sealed, "-o", pdf)
    check(rc == 0, f"the sealed notice renders: {err}")
    pages = pc.page_count(pdf)
    images = image_box(pdf, pages)
    check(len(images) == 2 and images[0][2] == "image" and images[1][2] == "smask",
          f"one image with its soft mask (transparency) on the signature's page: {images}")
    # Render that page and find the seal's red ring: centred on the signature and date.
    img = pc.render(pdf, pages, dpi=72)
    w, h, pix = img.width, img.height, img.data
    reds = [(i % w, i // w) for i in range(w * h)
            if pix[3 * i] > 180 and pix[3 * i + 1] < 120 and pix[3 * i + 2] < 120]
    xs, ys = [x for x, _ in reds], [y for _, y in reds]
    check(len(reds) > 500, f"the seal's red is drawn ({len(reds)} pixels)")
    if reds:
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        width_mm = (max(xs) - min(xs)) / MM
        check(abs(width_mm - 42 * 0.96) < 2.5, f"the seal is about 42 mm across ({width_mm:.1f} mm)")
        ws = pc.bbox_pages(pdf)[pages - 1].words
        sig = [wd for wd in ws if "浙江省质量技术监督局" in wd.text and wd.y0 < 700]
        date = [wd for wd in ws if wd.text.startswith("2009年8月4日") and not wd.text.endswith("印发")]
        check(sig and date, "signature and date found")
        if sig and date:
            s, d = sig[0], date[0]
            group_cx = (min(s.x0, d.x0) + max(s.x1, d.x1)) / 2
            check(abs(cx - group_cx) < 3, f"centred on signature and date ({cx:.1f} vs {group_cx:.1f})")
            text_cy = (s.y0 + d.y1) / 2
            check(0 < text_cy - cy < 0.5 * 28.95, f"the text a little below the seal's middle ({text_cy - cy:.1f} pt)")
            check(abs(d.x1 - (28 * MM + 156 * MM - 4 * 15.79)) < 1.5, "the date right-indented four characters")
            check(abs((s.x0 + s.x1) / 2 - (d.x0 + d.x1) / 2) < 1, "the signature centred over the date")
    text = pc.pdf_text(pdf)
    check("浙江省质量技术监督局" in text and "2009年8月4日" in text, "the seal leaves the text layer whole")

    # A missing or unreadable seal is an error naming the file: exit 2, no PDF.
    for name, content in (("missing.png", None), ("broken.png", b"not a png at all")):
        rec = os.path.join(tmp, "rec-" + name + ".xml")
        open(rec, "w", encoding="utf-8").write(open(sealed, encoding="utf-8").read()
                                               .replace("<seal>seal.png</seal>", f"<seal>{name}</seal>"))
        if content is not None:
            open(os.path.join(tmp, name), "wb").write(content)
        out = os.path.join(tmp, name + ".pdf")
        rc, _, err = gen("render", rec, "-o", out)
        check(rc == 2 and os.path.join(tmp, name) in err and rec + ":" in err
              and not os.path.exists(out), f"seal {name}: exit 2, the file named: {rc} {err!r}")

finish()
