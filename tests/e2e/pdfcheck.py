"""Small helpers for the end-to-end tests: run poppler/qpdf tools on a PDF
and read text positions, font metrics, the outline and rendered pixels
back, and judge lines by the line-breaking rules.

Python 3 standard library only.  Coordinates are PDF points with y measured
from the TOP of the page (as pdftotext -bbox reports); 1 mm = 72/25.4 pt.
"""

import collections
import functools
import html
import json
import os
import re
import subprocess
import tempfile

import harness

MM = 72 / 25.4  # points per millimetre
A4 = (595.276, 841.89)            # portrait, points
A4_LANDSCAPE = (841.89, 595.276)

# GB/T 15834 / CLREQ line-breaking rules: no line starts with a closing
# mark, none ends with an opening one.  A closing mark's ink sits in its
# left half: a line may end with one squeezed by up to half its width, its
# empty part then reaching past the line's edge in pdftotext's boxes.
NO_START = set("，。、；：？！）」』》〉”’〕】")
NO_END = set("（「『《〈“‘〔【")


def run(args, timeout=60, binary=False):
    """Runs a command in the current folder; returns (exit status, stdout,
    stderr).  stdout is bytes if binary, else text."""
    return harness.run(args, cwd=None, timeout=timeout, binary=binary)


def _tool(args, binary=False):
    """A tool's stdout; raises RuntimeError with its message if it fails."""
    rc, out, err = run(args, binary=binary)
    if rc != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(args), rc, err.strip()))
    return out


def nows(text):
    """The text without any whitespace (ASCII, U+3000, NBSP ...)."""
    return re.sub(r"\s+", "", text)


def fmt_mm(pt):
    """A length in points said in millimetres, for a failure's reason."""
    return "%.2f mm" % (pt / MM)


def breaking_faults(lines, where):
    """The texts of lines (one cell, one page ...) against the
    line-breaking rules: a fault for each line that starts with a closing
    or ends with an opening mark, said with `where`."""
    bad = []
    for t in lines:
        if t and t[0] in NO_START:
            bad.append("%s: line starts with %r (%r)" % (where, t[0], t[:12]))
        if t and t[-1] in NO_END:
            bad.append("%s: line ends with %r (%r)" % (where, t[-1], t[-12:]))
    return bad


def pdf_text(pdf, *options):
    """The text pdftotext gives of the PDF with the options (e.g. "-layout",
    "-f", "2"), as UTF-8; "" (or what it read) when it cannot read the file,
    so that a check on the text fails."""
    return run(["pdftotext", "-enc", "UTF-8", *options, pdf, "-"], timeout=harness.TIMEOUT)[1]


def outline(pdf):
    """The PDF's outline (bookmarks) as qpdf reads it: a list of (title,
    page number counted from 1, [the entry's kids, alike])."""
    rc, out, err = run(["qpdf", "--json", "--json-key=outlines", pdf])
    if rc not in (0, 3):  # 3: qpdf warned
        raise RuntimeError("qpdf failed: " + err)

    def walk(items):
        return [(i.get("title", ""), i.get("destpageposfrom1"), walk(i.get("kids", []))) for i in items]
    return walk(json.loads(out)["outlines"])


# ------------------------------------------------------ content streams ---

def page_content(pdf, page):
    """The content stream of one page (from 1), decoded (qpdf)."""
    pages = _tool(["qpdf", "--show-pages", pdf])
    m = re.search(r"^page %d: .*?\n\s*content:\n((?:\s+\d+ 0 R\n?)+)" % page, pages, re.M)
    if not m:
        return b""
    return b"".join(_tool(["qpdf", "--show-object=" + obj, "--filtered-stream-data", pdf], binary=True)
                    for obj in re.findall(r"(\d+) 0 R", m.group(1)))


_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/\[\]()<>]+|[-+\d.]+|[A-Za-z*'\"]+")


def _times(m, n):
    """The product m x n of PDF matrices [a b c d e f] (m applied first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]


def text_runs(pdf, page):
    """Every text-showing operation of a page as (x, y, dx, dy, ctm): the
    origin of its text in PDF space (points from the page's BOTTOM left)
    and the unit vector its glyphs advance along ((1, 0): left to right;
    (0, 1): bottom to top), through the text matrix (Tm) and every `cm` in
    force (q/Q kept); ctm the graphics matrix it is drawn under."""
    ctm, stack, tm, args, out = [1, 0, 0, 1, 0, 0], [], [1, 0, 0, 1, 0, 0], [], []
    for tok in _TOKEN.findall(page_content(pdf, page)):
        t = tok.decode("latin1")
        if t[0] in "-+.0123456789<([/]" or t == "]":
            args.append(t)
            continue
        nums = [float(v) for v in args if v[0] in "-+.0123456789"]
        if t == "q":
            stack.append(ctm)
        elif t == "Q" and stack:
            ctm = stack.pop()
        elif t == "cm" and len(nums) >= 6:
            ctm = _times(nums[-6:], ctm)
        elif t == "BT":
            tm = [1, 0, 0, 1, 0, 0]
        elif t == "Tm" and len(nums) >= 6:
            tm = nums[-6:]
        elif t in ("Tj", "TJ", "'", '"'):
            m = _times(tm, ctm)
            n = (m[0] ** 2 + m[1] ** 2) ** 0.5 or 1
            out.append((m[4], m[5], round(m[0] / n, 6), round(m[1] / n, 6), ctm))
        args = []
    return out


def turned_frame(page_size):
    """For a page turned onto a portrait sheet (GB/T 9704-2012 10.1: its
    head at the sheet's left, its lines running up) of page_size (the
    sheet's width, height): a function taking a Word in the sheet's
    top-down coordinates (pdftotext's) to the Word in the landscape page's
    own (as it would be printed upright: width = the sheet's height)."""
    sheet_h = page_size[1]

    def unturn(w):
        return Word(sheet_h - w.y1, w.x0, sheet_h - w.y0, w.x1, w.text)
    return unturn


def unturned_image(img):
    """A gray rendering of a turned page (turned_frame) turned back a
    quarter: the landscape page as printed upright."""
    out = bytearray(img.width * img.height)
    w2, h2 = img.height, img.width  # the upright page's size in pixels
    for y in range(h2):
        for x in range(w2):
            out[y * w2 + x] = img.data[(img.height - 1 - x) * img.width + y]
    return Image(b"P5\n%d %d\n255\n" % (w2, h2) + bytes(out), img.dpi)


# ---------------------------------------------------------------- pdfinfo ---

def pdfinfo(pdf):
    """pdfinfo's fields as a dict ("Pages", "Title", "Page size" ...)."""
    info = {}
    for line in _tool(["pdfinfo", pdf]).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def page_count(pdf):
    """The number of pages, or 0 when pdfinfo cannot read the file."""
    rc, out, _ = run(["pdfinfo", pdf])
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if rc == 0 and m else 0


def page_size(pdf, page=None):
    """(width, height) in points of the first page, or of the page given
    ((0, 0) when pdfinfo cannot tell)."""
    if page is None:
        m = re.match(r"([\d.]+) x ([\d.]+) pts", pdfinfo(pdf)["Page size"])
        return float(m.group(1)), float(m.group(2))
    out = run(["pdfinfo", "-f", str(page), "-l", str(page), pdf])[1]
    m = re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    return (float(m.group(1)), float(m.group(2))) if m else (0, 0)


def pdffonts(pdf):
    """A list of dicts: name, type, encoding, emb, sub, uni."""
    lines = _tool(["pdffonts", pdf]).splitlines()
    dash = next(i for i, l in enumerate(lines) if l.startswith("---"))
    # column spans from the dashes line
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[dash])]
    keys = ["name", "type", "encoding", "emb", "sub", "uni", "object", "id"]
    fonts = []
    for line in lines[dash + 1:]:
        if not line.strip():
            continue
        row = {}
        for key, (a, b) in zip(keys, spans):
            row[key] = line[a:b + 1].strip()
        fonts.append(row)
    return fonts


def font_metrics(pdf):
    """[(FontName, ascent, descent)] in units of the em, from the
    FontDescriptors (what pdftotext uses for its word boxes)."""
    data = json.loads(_tool(["qpdf", "--json", "--json-key=qpdf", pdf]))
    result = []
    for entry in data["qpdf"][1].values():
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, dict) and value.get("/Type") == "/FontDescriptor":
            result.append((value.get("/FontName", "?"),
                           value.get("/Ascent", 950) / 1000.0,
                           value.get("/Descent", -350) / 1000.0))
    return result


# ------------------------------------------------------------- text boxes ---

class Word(collections.namedtuple("Word", "x0 y0 x1 y1 text")):
    """One word's box as pdftotext gives it (it holds no white space)."""
    __slots__ = ()

    def __repr__(self):
        return "Word(%.2f,%.2f,%.2f,%.2f,%r)" % (self.x0, self.y0, self.x1, self.y1, self.text)


# One page of bbox_pages(): its number (from 1), size in points, words.
Page = collections.namedtuple("Page", "number width height words")


class Line:
    """A visual line: the words at one height, left to right."""

    def __init__(self, words):
        self.words = sorted(words, key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in words)
        self.x1 = max(w.x1 for w in words)
        self.y0 = min(w.y0 for w in words)
        self.y1 = max(w.y1 for w in words)

    @property
    def text(self):
        return " ".join(w.text for w in self.words)

    @property
    def flat(self):
        return nows(self.text)

    @property
    def height(self):
        return self.y1 - self.y0

    def __repr__(self):
        return "Line(x %.2f..%.2f, y %.2f..%.2f, %r)" % (self.x0, self.x1, self.y0, self.y1, self.text)


_ATTR = r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"'
_LINE_RE = re.compile(r"<line " + _ATTR + r">(.*?)</line>", re.S)
_WORD_RE = re.compile(r"<word " + _ATTR + r">(.*?)</word>", re.S)
_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _words(xhtml):
    """The Words of pdftotext -bbox(-layout) XHTML."""
    return [Word(float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD_RE.findall(xhtml)]


def bbox_pages(pdf, npages=None, jobs=1):
    """Every page of the PDF as a Page whose words are in pdftotext -bbox's
    order: one pdftotext run, or `jobs` of them at the same time on ranges
    of the npages pages (counted when not given)."""
    if npages is None:
        npages = page_count(pdf) if jobs > 1 else 0
    jobs = max(1, min(jobs, npages))
    pages = []
    with tempfile.TemporaryDirectory(prefix="bbox-") as tmp:
        procs = []
        for j in range(jobs):
            span = [] if jobs == 1 else ["-f", str(1 + j * npages // jobs), "-l", str((j + 1) * npages // jobs)]
            out = os.path.join(tmp, "bbox-%d.html" % j)
            procs.append((subprocess.Popen(["pdftotext", "-bbox", *span, pdf, out],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), out))
        for p, out in procs:
            _, err = p.communicate(timeout=harness.TIMEOUT)
            if p.returncode != 0:
                raise RuntimeError("pdftotext failed: %s" % err.decode("utf-8", "replace"))
            with open(out, encoding="utf-8") as f:
                for part in f.read().split("<page ")[1:]:
                    m = _PAGE_RE.match("<page " + part)
                    pages.append(Page(len(pages) + 1, float(m.group(1)) if m else 0,
                                      float(m.group(2)) if m else 0, _words(part)))
    return pages


def centre_y(w):
    """The vertical centre of a word's (or a line's) box."""
    return (w.y0 + w.y1) / 2


def group_lines(words, tol=5.0):
    """Words into lines, top to bottom, each line's words left to right: a
    word whose vertical centre lies within tol points of the first one's of
    a line is on that line (words of different fonts have different
    boxes)."""
    lines = []
    last = None
    for w in sorted(words, key=centre_y):
        c = centre_y(w)
        if lines and c - last <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
            last = c
    for l in lines:
        if len(l) > 1:
            l.sort(key=lambda w: w.x0)
    return lines


def line_text(line):
    """The text of a line of words (pdftotext's words hold no white space)."""
    return "".join(w.text for w in line)


def text_of(words, tol=5.0):
    """The text of words, line by line (group_lines), without white space."""
    return "".join(line_text(l) for l in group_lines(words, tol))


@functools.lru_cache(maxsize=None)
def bbox_layout(pdf, page):
    """The lines of one page as pdftotext -bbox-layout reports them, each a
    list of Words, in pdftotext's reading order (cached per path and page:
    do not rewrite a PDF under the same path)."""
    xhtml = _tool(["pdftotext", "-f", str(page), "-l", str(page),
                   "-bbox-layout", pdf, "-"])
    body = xhtml.split("<body>", 1)[-1]  # skip the (mojibake-prone) <head>
    lines = []
    for m in _LINE_RE.finditer(body):
        words = _words(m.group(5))
        if words:
            lines.append(words)
    return lines


def page_words(pdf, page):
    """Every word of a page in pdftotext's reading order."""
    return [w for line in bbox_layout(pdf, page) for w in line]


def _same_line(a, b):
    """Two word boxes overlap vertically by more than half the smaller one
    (words of different fonts on one line have different boxes)."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def visual_lines(pdf, page):
    """The page's words grouped into visual lines (vertically overlapping
    boxes), top to bottom.  pdftotext sometimes splits one printed line in
    two (for example where a compressed punctuation mark makes glyph boxes
    overlap); this puts such pieces back together."""
    groups = []
    for words in bbox_layout(pdf, page):
        for w in words:
            for g in groups:
                if _same_line(g[0], w):
                    g.append(w)
                    break
            else:
                groups.append([w])
    lines = [Line(g) for g in groups]
    lines.sort(key=lambda l: l.y0)
    return lines


def baseline(line, metrics, sizes=(10.5, 12, 14, 15, 16, 18, 22, 24, 26, 28, 36)):
    """The baseline of a line and the font size it was set in, guessed from
    its box height: pdftotext's box is baseline - ascent*size ..
    baseline - descent*size with the FontDescriptor's ascent and descent.
    Returns (baseline, size, font name) for the best-fitting font and size,
    judged on the line's widest word (a line may mix fonts)."""
    word = max(line.words, key=lambda w: w.x1 - w.x0)
    height = word.y1 - word.y0
    best = None
    for name, asc, desc in metrics:
        for size in sizes:
            err = abs((asc - desc) * size - height)
            if best is None or err < best[0]:
                best = (err, word.y0 + asc * size, size, name)
    return best[1], best[2], best[3]


# ----------------------------------------------------------------- pixels ---

class Image:
    """A decoded PGM (P5) or PPM (P6) image; pixel(x, y) gives an int (gray)
    or an (r, g, b) tuple.  dpi: its resolution, when render() made it."""

    def __init__(self, data, dpi=None):
        self.dpi = dpi
        m = re.match(rb"(P[56])\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s", data)
        if not m:
            raise ValueError("not a binary PGM/PPM image")
        self.kind = m.group(1).decode()
        self.width, self.height = int(m.group(2)), int(m.group(3))
        if int(m.group(4)) > 255:
            raise ValueError("16-bit images are not supported")
        self.channels = 1 if self.kind == "P5" else 3
        self.data = data[m.end():]
        need = self.width * self.height * self.channels
        if len(self.data) < need:
            raise ValueError("image data truncated (%d < %d bytes)" % (len(self.data), need))

    def row(self, y):
        n = self.width * self.channels
        return self.data[y * n:(y + 1) * n]

    def pixel(self, x, y):
        i = (y * self.width + x) * self.channels
        if self.channels == 1:
            return self.data[i]
        return tuple(self.data[i:i + 3])


def render(pdf, page, x=None, y=None, w=None, h=None, dpi=254, gray=False, tmpdir=None):
    """Renders one page with pdftoppm, or the crop (x, y, w, h in device
    pixels at dpi) of it, and returns it as an Image.  (tmpdir is not
    needed: pdftoppm writes the image to a pipe.)"""
    args = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page)]
    if x is not None:
        args += ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    if gray:
        args.append("-gray")
    return Image(_tool(args + ["-singlefile", pdf], binary=True), dpi)


def render_page(pdf, page, size, dpi=100, tmpdir=None):
    """One page of `size` (width, height in points) rendered in gray at dpi:
    an Image of size's pixels, which the rule and ink helpers below read."""
    px = dpi / 72.0
    return render(pdf, page, 0, 0, int(size[0] * px), int(size[1] * px), dpi=dpi, gray=True)


INK = 160  # a gray pixel darker than this is ink (rules, text)


def vertical_rule_span(img, x_pt, y0_pt, y1_pt):
    """The fraction of the rows y0..y1 (points) of a gray image with ink
    within two pixels of the column at x (points)."""
    px = img.dpi / 72.0
    x = int(round(x_pt * px))
    a, b = int(y0_pt * px), int(y1_pt * px)
    if b <= a:
        return 0.0
    hit = 0
    for y in range(max(0, a), min(img.height, b + 1)):
        if any(img.pixel(xx, y) < INK for xx in range(max(0, x - 2), min(img.width, x + 2))):
            hit += 1
    return hit / float(b - a + 1)


def horizontal_rules(img, x0_pt, x1_pt, frac=0.95):
    """The rules of a gray image across x0..x1 (points): the rows holding
    ink across frac of it, adjacent rows merged, as their middles in
    points, top down."""
    px = img.dpi / 72.0
    a, b = int(round(x0_pt * px)) + 2, int(round(x1_pt * px)) - 2
    need = frac * (b - a + 1)
    rows = []
    for y in range(img.height):
        row = img.row(y)
        n = sum(1 for v in row[a:b + 1] if v < INK)
        if n >= need:
            rows.append(y)
    merged = []
    for y in rows:
        if merged and y - merged[-1][1] <= 2:
            merged[-1][1] = y
        else:
            merged.append([y, y])
    return [((m[0] + m[1]) / 2.0) / px for m in merged]


def ink_rows(img, y0_pt, y1_pt):
    """The rows (points) between y0 and y1 of a gray image with any ink."""
    px = img.dpi / 72.0
    out = []
    for y in range(max(0, int(y0_pt * px)), min(img.height, int(y1_pt * px) + 1)):
        if min(img.row(y)) < INK:
            out.append(y / px)
    return out


def rules_across_row(img, y):
    """The vertical rules that pixel row y of a gray image crosses: the
    middle of each run of ink, in points from the left."""
    px = img.dpi / 72.0
    row = img.row(y)
    xs, x = [], 0
    while x < img.width:
        if row[x] < INK:
            a = x
            while x + 1 < img.width and row[x + 1] < INK:
                x += 1
            xs.append(((a + x) / 2.0 + 0.5) / px)
        x += 1
    return xs


def horizontal_runs(img, y, is_ink, start_x):
    """The run of ink pixels in row y that contains column start_x, as
    (first, last) columns, or None if that pixel is no ink."""
    if not is_ink(img.pixel(start_x, y)):
        return None
    a = start_x
    while a > 0 and is_ink(img.pixel(a - 1, y)):
        a -= 1
    b = start_x
    while b < img.width - 1 and is_ink(img.pixel(b + 1, y)):
        b += 1
    return a, b


def long_rules(img, is_ink, min_len, probe_xs):
    """Rows holding a horizontal run of ink at least min_len pixels long that
    passes through one of the probe columns: [(row, first, last)]."""
    found = []
    for y in range(img.height):
        for px in probe_xs:
            run_ = horizontal_runs(img, y, is_ink, px)
            if run_ and run_[1] - run_[0] + 1 >= min_len:
                found.append((y, run_[0], run_[1]))
                break
    return found


def red_rule_gap(pdf, page=1, y0_mm=37, y1_mm=167, dpi=254):
    """GB/T 9704-2012 7.2.6 as a reader measures it: the gap, in mm, from
    the lowest ink of the black text above the red rule (the 发文字号: the
    bottom of its characters) to the rule's top edge, on a render of the
    band y0..y1 mm of the page.  None when there is no red rule wider than
    150 mm or no black ink above it."""
    per_mm = dpi / 25.4
    y0 = int(y0_mm * per_mm)
    img = render(pdf, page, 0, y0, int(210 * per_mm), int((y1_mm - y0_mm) * per_mm), dpi=dpi)

    def red(px):
        return px[0] > 180 and px[1] < 100 and px[2] < 100

    probes = [int(x * per_mm) for x in (106, 40, 170)]
    rules = long_rules(img, red, int(150 * per_mm), probes)
    if not rules:
        return None
    top = rules[0][0]
    x0, x1 = rules[0][1], rules[0][2]
    for y in range(top - 1, -1, -1):
        row = img.row(y)
        for x in range(x0, x1 + 1):
            px = row[3 * x:3 * x + 3]
            if max(px) < 128:  # black, not the red of the mark
                return (top - (y + 1)) / per_mm
    return None


# ------------------------------------------------------- glyph origins ---

Glyph = collections.namedtuple("Glyph", "x y adv size ch")


def _pdf_objects(data):
    """{number: (dictionary text, stream bytes or None)} of a PDF that
    qpdf --qdf has written (streams uncompressed, one object a block)."""
    objs = {}
    for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)\nendobj", data, re.S):
        body = m.group(2)
        stream = None
        s = body.find(b"\nstream\n")
        if s >= 0:
            e = body.rfind(b"endstream")
            stream = body[s + 8:e]
            body = body[:s]
        objs[int(m.group(1))] = (body.decode("latin-1"), stream)
    return objs


def _ref(text, key):
    m = re.search(r"/%s\s+(\d+) 0 R" % key, text)
    return int(m.group(1)) if m else None


def _cid_widths(text):
    """A CIDFontType2's /W and /DW: width of a CID, in 1/1000 em."""
    dw = re.search(r"/DW\s+(\d+)", text)
    dw = int(dw.group(1)) if dw else 1000
    widths = {}
    m = re.search(r"/W\s*\[(.*?)\]\s*\n\s*(?:/|>>)", text, re.S)
    if m:
        toks = re.findall(r"\[|\]|-?\d+(?:\.\d+)?", m.group(1))
        i = 0
        while i < len(toks):
            first = int(toks[i])
            if toks[i + 1] == "[":
                j = i + 2
                c = first
                while toks[j] != "]":
                    widths[c] = float(toks[j])
                    c += 1
                    j += 1
                i = j + 1
            else:
                for c in range(first, int(toks[i + 1]) + 1):
                    widths[c] = float(toks[i + 2])
                i += 3
    return lambda cid: widths.get(cid, dw)


def _to_unicode(cmap):
    """A ToUnicode CMap's bfchar and bfrange entries as {code: text}."""
    out = {}
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                    block):
            base = int(dst, 16)
            for k, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(base + k)
    return out


def _encoding_cids(cmap):
    """An embedded Encoding CMap's codes -> CIDs (its cidrange and
    cidchar entries)."""
    text = cmap.decode("latin-1")
    out = {}
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block):
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = int(cid) + k - int(lo, 16)
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            out[int(code, 16)] = int(cid)
    return out


def glyphs(pdf):
    """Every glyph the PDF draws, page by page: a list per page of
    Glyph(x, y, adv, size, ch), x the glyph's origin from the left, y the
    baseline from the TOP of the page, adv the glyph's own advance (its
    font's width at its size, character spacing not included).  Read from
    the content streams (qpdf --qdf uncompresses them): the Type0 fonts
    that gen writes (Identity-H, or for a CFF font an embedded CMap of its
    codes to CIDs, whose /W is by CID), Tf, Tc, Tm, Td and Tj."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "q.pdf")
        status, _, err = run(["qpdf", "--qdf", "--object-streams=disable", pdf, out])
        if status not in (0, 3):
            raise RuntimeError("qpdf: " + err)
        with open(out, "rb") as f:
            objs = _pdf_objects(f.read())
    fonts = {}

    def font(num):
        if num not in fonts:
            text = objs[num][0]
            desc = re.search(r"/DescendantFonts\s*\[\s*(\d+) 0 R", text)
            width = _cid_widths(objs[int(desc.group(1))][0])
            tu = _to_unicode(objs[_ref(text, "ToUnicode")][1])
            enc = _ref(text, "Encoding")  # a CFF font's own CMap; else Identity-H
            if enc:
                cids, by_cid = _encoding_cids(objs[enc][1]), width
                width = lambda code: by_cid(cids.get(code, code))
            fonts[num] = (width, tu)
        return fonts[num]

    root = next(t for t, _ in objs.values() if re.search(r"/Type /Pages\b", t) and
                "/Parent" not in t)
    def leaves(text):
        for k in re.findall(r"(\d+) 0 R", re.search(r"/Kids\s*\[(.*?)\]", text, re.S).group(1)):
            kid = objs[int(k)][0]
            if re.search(r"/Type /Pages\b", kid):
                yield from leaves(kid)
            else:
                yield int(k)

    pages = []
    for num in leaves(root):
        text = objs[num][0]
        box = re.search(r"/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([\d.]+)",
                        text) or re.search(r"/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([\d.]+)",
                                           root)
        height = float(box.group(1))
        res = text
        rnum = _ref(text, "Resources")
        if rnum:
            res = objs[rnum][0]
        fm = re.search(r"/Font\s*<<(.*?)>>", res, re.S)
        names = {n: int(r) for n, r in re.findall(r"/(\w+)\s+(\d+) 0 R", fm.group(1))} if fm else {}
        contents = re.search(r"/Contents\s*(\[.*?\]|\d+ 0 R)", text, re.S).group(1)
        stream = b"".join(objs[int(c)][1] for c in re.findall(r"(\d+) 0 R", contents))
        page = []
        cur, size, tc, x, y, lx, ly = None, 0, 0, 0, 0, 0, 0
        stack = []
        for tok in re.findall(rb"<[0-9A-Fa-f]*>|/[^\s/<>\[\]()]+|[-+]?\d*\.?\d+|[A-Za-z'\"*]+",
                              stream):
            t = tok.decode("latin-1")
            if t == "Tf":
                cur, size = font(names[stack[-2][1:]]), float(stack[-1])
            elif t == "Tc":
                tc = float(stack[-1])
            elif t == "Tm":
                x = lx = float(stack[-2])
                y = ly = float(stack[-1])
            elif t == "Td":
                lx += float(stack[-2])
                ly += float(stack[-1])
                x, y = lx, ly
            elif t == "BT":
                x = y = lx = ly = 0
            elif t == "Tj" and cur:
                hexs = stack[-1][1:-1]
                width, tu = cur
                for k in range(0, len(hexs), 4):
                    cid = int(hexs[k:k + 4], 16)
                    adv = width(cid) * size / 1000
                    page.append(Glyph(x, height - y, adv, size, tu.get(cid, "?")))
                    x += adv + tc
            if t[0].isalpha():
                stack = []
            else:
                stack.append(t)
        pages.append(page)
    return pages


def glyph_lines(page, tol=2.0):
    """A page's glyphs grouped into lines (same baseline within tol),
    each sorted left to right, lines top to bottom."""
    lines = []
    for g in sorted(page, key=lambda g: (round(g.y, 1), g.x)):
        if lines and abs(lines[-1][0].y - g.y) <= tol:
            lines[-1].append(g)
        else:
            lines.append([g])
    return [sorted(l, key=lambda g: g.x) for l in lines]
