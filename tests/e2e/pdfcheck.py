"""Small helpers for the end-to-end tests: run poppler/qpdf tools on a PDF
and read text positions, font metrics and rendered pixels back.

Python 3 standard library only.  Coordinates are PDF points with y measured
from the TOP of the page (as pdftotext -bbox reports); 1 mm = 72/25.4 pt.
"""

import functools
import html
import json
import os
import re
import subprocess

MM = 72 / 25.4  # points per millimetre

def run(args, timeout=60, binary=False):
    """Runs a command; returns (exit status, stdout, stderr).  stdout is
    bytes if binary, else text."""
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def _tool(args, binary=False):
    rc, out, err = run(args, binary=binary)
    if rc != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(args), rc, err.strip()))
    return out


def nows(text):
    """The text without any whitespace (ASCII, U+3000, NBSP ...)."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- pdfinfo ---

def pdfinfo(pdf):
    info = {}
    for line in _tool(["pdfinfo", pdf]).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def page_count(pdf):
    return int(pdfinfo(pdf)["Pages"])


def page_size(pdf):
    """(width, height) in points of the first page."""
    m = re.match(r"([\d.]+) x ([\d.]+) pts", pdfinfo(pdf)["Page size"])
    return float(m.group(1)), float(m.group(2))


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

class Word:
    def __init__(self, x0, y0, x1, y1, text):
        self.x0, self.y0, self.x1, self.y1, self.text = x0, y0, x1, y1, text

    def __repr__(self):
        return "Word(%.2f,%.2f,%.2f,%.2f,%r)" % (self.x0, self.y0, self.x1, self.y1, self.text)


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
        words = [Word(float(w.group(1)), float(w.group(2)), float(w.group(3)),
                      float(w.group(4)), html.unescape(w.group(5)))
                 for w in _WORD_RE.finditer(m.group(5))]
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
    or an (r, g, b) tuple."""

    def __init__(self, data):
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


def render(pdf, page, x, y, w, h, dpi=254, gray=False, tmpdir=None):
    """Renders the crop (x, y, w, h in device pixels at dpi) of one page with
    pdftoppm and returns it as an Image."""
    prefix = os.path.join(tmpdir, "render-%d-%d-%d" % (page, x, y))
    args = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page),
            "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h),
            "-singlefile"]
    if gray:
        args.append("-gray")
    _tool(args + [pdf, prefix])
    path = prefix + (".pgm" if gray else ".ppm")
    with open(path, "rb") as f:
        return Image(f.read())


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
