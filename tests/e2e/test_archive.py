"""PDFs an archive accepts (#6): the embedded fonts no larger than the glyph
outlines they draw, a text layer that poppler reads without a warning and
that gives the record's text back, the same bytes on every run, qpdf
--check clean, and --pdfa: PDF/A-1b checked by hand against the rules that
can be tested without a validator (README.md, "PDFs for the archive", says which).

Python 3 standard library, with qpdf and poppler-utils.  Run from the
project root; GEN names the program (default bin/gen).
`python3 tests/e2e/test_archive.py --table` prints the size table of
README.md instead of testing.
"""
import base64
import json
import os
import re
import struct
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

import cff
import pdfcheck as pc
from harness import (EXAMPLES, ROOT, check, finish, gen, png_chunk, record_root, run,
                     summarise, templates_for, write_png)
from pdfcheck import nows

FONT_RATIO = 1.3      # embedded font programs / used glyph outlines, compressed
FORM_LIMIT = 100_000  # bytes, a one-page nomination form


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ------------------------------------------------------- a PDF, via qpdf ---

class Pdf:
    """Every object of a PDF as qpdf --json reads it, streams undecoded."""

    def __init__(self, path):
        self.path = path
        rc, out, err = run(["qpdf", "--json=2", "--json-stream-data=inline",
                            "--decode-level=none", path, "-"])
        if rc != 0:
            raise RuntimeError("qpdf --json %s: %s" % (path, err.strip()))
        objects = json.loads(out)["qpdf"][1]
        self.trailer = objects.pop("trailer")["value"]
        self.objects = {k[4:]: v for k, v in objects.items() if k.startswith("obj:")}
        # with the data inline qpdf leaves /Length out of a stream's dictionary
        rc, out, err = run(["qpdf", "--json=2", "--json-stream-data=none", path, "-"])
        for k, v in json.loads(out)["qpdf"][1].items():
            if k.startswith("obj:") and "stream" in v and k[4:] in self.objects:
                self.objects[k[4:]]["stream"]["dict"] = v["stream"]["dict"]

    def get(self, value):
        """A reference resolved to its value (a stream: its dictionary)."""
        while isinstance(value, str) and value.endswith(" R") and value in self.objects:
            o = self.objects[value]
            value = o["stream"]["dict"] if "stream" in o else o.get("value")
        return value

    def is_stream(self, ref):
        return isinstance(ref, str) and "stream" in self.objects.get(ref, {})

    def raw(self, ref):
        return base64.b64decode(self.objects[ref]["stream"]["data"])

    def data(self, ref):
        d = self.raw(ref)
        f = self.objects[ref]["stream"]["dict"].get("/Filter")
        filters = f if isinstance(f, list) else [f] if f else []
        for name in filters:
            if name != "/FlateDecode":
                raise ValueError("filter %s" % name)
            d = zlib.decompress(d)
        return d

    def root(self):
        return self.get(self.trailer["/Root"])

    def info(self):
        return self.get(self.trailer.get("/Info")) or {}

    def pages(self):
        out, todo = [], [self.root()["/Pages"]]
        while todo:
            node = self.get(todo.pop(0))
            if node.get("/Type") == "/Pages":
                todo[0:0] = node["/Kids"]
            else:
                out.append(node)
        return out

    def dicts(self):
        """Every dictionary of the file (objects, stream dictionaries and
        the dictionaries inside them)."""
        def walk(v):
            if isinstance(v, dict):
                yield v
                for x in v.values():
                    yield from walk(x)
            elif isinstance(v, list):
                for x in v:
                    yield from walk(x)
        for o in self.objects.values():
            yield from walk(o["stream"]["dict"] if "stream" in o else o.get("value"))
        yield from walk(self.trailer)

    def unreferenced(self):
        """Objects no chain of references from the trailer reaches."""
        seen, todo = set(), [self.trailer]
        while todo:
            v = todo.pop()
            if isinstance(v, dict):
                todo.extend(v.values())
            elif isinstance(v, list):
                todo.extend(v)
            elif isinstance(v, str) and v.endswith(" R") and v in self.objects and v not in seen:
                seen.add(v)
                o = self.objects[v]
                todo.append(o["stream"]["dict"] if "stream" in o else o.get("value"))
        return sorted(set(self.objects) - seen)


# --------------------------------------------------------------- fonts ---

def sfnt_tables(font):
    count = struct.unpack(">H", font[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, off, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin1")] = font[off:off + length]
    return tables


def glyphs_of(tables):
    """The glyf data of each glyph, by the loca table."""
    loca, long_loca = tables["loca"], struct.unpack(">h", tables["head"][50:52])[0] == 1
    if long_loca:
        offsets = struct.unpack(">%dI" % (len(loca) // 4), loca)
    else:
        offsets = [2 * o for o in struct.unpack(">%dH" % (len(loca) // 2), loca)]
    glyf = tables["glyf"]
    return [glyf[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def components(glyph):
    """The glyphs a composite glyph is made of."""
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    out, p = [], 10
    while True:
        flags, gid = struct.unpack(">HH", glyph[p:p + 4])
        out.append(gid)
        p += 4 + (4 if flags & 1 else 2)
        p += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
        if not flags & 0x20:
            return out


def advances(tables):
    upem = struct.unpack(">H", tables["head"][18:20])[0]
    n = struct.unpack(">H", tables["hhea"][34:36])[0]
    hmtx = tables["hmtx"]
    adv = [struct.unpack(">H", hmtx[4 * i:4 * i + 2])[0] for i in range(n)]
    return upem, lambda gid: adv[min(gid, n - 1)]


SHOW = re.compile(rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>\s*Tj|\[(.*?)\]\s*TJ", re.S)


def codes_shown(pdf):
    """{Type0 font reference: the set of 2-byte codes shown with it}."""
    shown = {}
    for page in pdf.pages():
        fonts = pdf.get(pdf.get(page.get("/Resources", {})).get("/Font", {})) or {}
        contents = page["/Contents"]
        data = b"".join(pdf.data(c) for c in (contents if isinstance(contents, list) else [contents]))
        font = None
        for m in SHOW.finditer(data):
            if m.group(1):
                font = fonts.get("/" + m.group(1).decode())
                continue
            strings = [m.group(2)] if m.group(2) is not None else re.findall(rb"<([0-9A-Fa-f\s]*)>", m.group(3))
            for s in strings:
                b = bytes.fromhex(nows(s.decode()))
                shown.setdefault(font, set()).update(struct.unpack(">%dH" % (len(b) // 2), b))
    return shown


def cid_map(pdf, cidfont):
    m = cidfont.get("/CIDToGIDMap", "/Identity")
    if m == "/Identity":
        return None
    return pdf.data(m)


def gid_of(cmap, code):
    if cmap is None:
        return code
    return struct.unpack(">H", cmap[2 * code:2 * code + 2])[0] if 2 * code + 2 <= len(cmap) else 0


def font_report(pdf):
    """Per embedded font: its name, the font program as stored
    (compressed), the floor (the outlines of the glyphs the text shows,
    zlib-compressed as one block: for TrueType the glyf data of them and of
    their components, for CFF their charstrings with the subroutines they
    call expanded), and what the checks below need."""
    rows = []
    for ref, codes in sorted(codes_shown(pdf).items()):
        type0 = pdf.get(ref)
        cidfont = pdf.get(type0["/DescendantFonts"][0])
        desc = pdf.get(cidfont["/FontDescriptor"])
        if "/FontFile3" in desc:
            rows.append(cff_report(pdf, codes, type0, cidfont, desc))
            continue
        program = pdf.data(desc["/FontFile2"])
        tables = sfnt_tables(program)
        glyphs = glyphs_of(tables)
        cmap = cid_map(pdf, cidfont)
        used = {gid_of(cmap, c) for c in codes}
        todo = list(used)
        while todo:
            for c in components(glyphs[todo.pop()]):
                if c not in used:
                    used.add(c)
                    todo.append(c)
        used.discard(0)
        floor = len(zlib.compress(b"".join(glyphs[g] for g in sorted(used)), 9))
        rows.append({"name": desc["/FontName"], "bytes": len(pdf.raw(desc["/FontFile2"])),
                     "floor": floor, "codes": codes, "cmap": cmap, "tables": tables,
                     "type0": type0, "cidfont": cidfont, "desc": desc,
                     "glyphs": len(glyphs), "used": len(used), "kind": "TrueType"})
    return rows


def cff_report(pdf, codes, type0, cidfont, desc):
    """font_report's row of a CIDFontType0 (CFF outlines): the codes go to
    CIDs through the font's Encoding CMap, the CIDs to glyphs through the
    CFF's charset (the glyph id itself in a name-keyed CFF)."""
    program = cff.Cff(pdf.data(desc["/FontFile3"]))
    enc = type0.get("/Encoding")
    to_cid = cff.cmap_cid_ranges(pdf.data(enc).decode("latin1")) if pdf.is_stream(enc) else {}
    gid_of_cid = {cid: g for g, cid in enumerate(program.cids)}
    code_gid = {c: gid_of_cid.get(to_cid.get(c, 0), 0) for c in codes}
    used = set(code_gid.values()) - {0}
    floor = len(zlib.compress(b"".join(program.outline(g) for g in sorted(used)), 9))
    return {"name": desc["/FontName"], "bytes": len(pdf.raw(desc["/FontFile3"])),
            "floor": floor, "codes": codes, "cmap": None, "cff": program, "to_cid": to_cid,
            "code_gid": code_gid, "type0": type0, "cidfont": cidfont, "desc": desc,
            "glyphs": len(program.charstrings), "used": len(used), "kind": "CFF"}


def widths_of(cidfont):
    """{CID: width} from /W."""
    out, w = {}, cidfont.get("/W", [])
    i = 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            for k, x in enumerate(w[i + 1]):
                out[w[i] + k] = x
            i += 2
        else:
            for c in range(w[i], w[i + 1] + 1):
                out[c] = w[i + 2]
            i += 3
    return out


# ------------------------------------------------------------- renders ---

def render_examples(out):
    """Every record of examples/ through every template that lays it out
    (so also what `make demo` writes), the bundle, and the nomination forms
    one by one.  Returns {name: path} and the forms' paths."""
    docs = {}
    for f in sorted(os.listdir(EXAMPLES)):
        if not f.endswith(".xml"):
            continue
        record = os.path.join(EXAMPLES, f)
        for t in templates_for(record_root(record)):
            name = "%s.%s" % (f[:-4], t)
            path = os.path.join(out, name + ".pdf")
            rc, _, err = gen("render", "-t", t, record, "-o", path)
            check(rc == 0, "render %s through %s: exit %d %s" % (f, t, rc, err.strip()[:300]))
            if rc == 0:
                docs[name] = path
    path = os.path.join(out, "bundle.pdf")
    rc, _, err = gen("render", "--bundle", "examples/notice.xml", "examples/selfcheck.xml",
                     "examples/nominations.xml", "-o", path)
    check(rc == 0, "render --bundle: exit %d %s" % (rc, err.strip()[:300]))
    if rc == 0:
        docs["bundle"] = path
    forms = os.path.join(out, "forms")
    rc, _, err = gen("batch", "examples/nominations.xml", "--each", "//nomination", "-o", forms)
    check(rc == 0, "batch nominations: exit %d %s" % (rc, err.strip()[:300]))
    form_paths = sorted(os.path.join(forms, f) for f in os.listdir(forms)) if rc == 0 else []
    for p in form_paths:
        docs["form " + os.path.basename(p)] = p
    return docs, form_paths


# ------------------------------------------------------------- checks ---

def test_size(docs, forms):
    for name, path in docs.items():
        pdf = Pdf(path)
        rows = font_report(pdf)
        font_bytes, floor = sum(r["bytes"] for r in rows), sum(r["floor"] for r in rows)
        check(rows and font_bytes <= FONT_RATIO * floor,
              "%s: embedded fonts %d bytes, %.2f times the %d bytes of glyph outlines used"
              % (name, font_bytes, font_bytes / max(floor, 1), floor))
        for r in rows:
            if r["kind"] == "CFF":
                # the Encoding maps the codes used, every one to a glyph
                check(set(r["to_cid"]) >= r["codes"] and 0 not in r["code_gid"].values()
                      and len(r["to_cid"]) <= 0x20 + len(r["codes"]) + 64,
                      "%s %s: the Encoding maps the %d codes used, each to a glyph (%d mapped)"
                      % (name, r["name"], len(r["codes"]), len(r["to_cid"])))
                check(r["used"] + 1 >= r["glyphs"] * 0.9,
                      "%s %s: %d glyphs embedded, %d used" % (name, r["name"], r["glyphs"], r["used"]))
                continue
            # the CIDToGIDMap covers the codes used, not all of Unicode
            check(r["cmap"] is not None and len(r["cmap"]) <= 2 * (0x20 + len(r["codes"]) + 64),
                  "%s %s: CIDToGIDMap of %d bytes for %d codes"
                  % (name, r["name"], len(r["cmap"] or b""), len(r["codes"])))
            # libharu writes no loca/hmtx beyond the subset
            check(r["used"] + 1 >= r["glyphs"] * 0.9,
                  "%s %s: %d glyphs embedded, %d used" % (name, r["name"], r["glyphs"], r["used"]))
    for p in forms:
        size = os.path.getsize(p)
        check(size <= FORM_LIMIT, "%s: a one-page form of %d bytes (at most %d)" % (p, size, FORM_LIMIT))


def test_widths(name, pdf, rows):
    """/W and /DW as the embedded program has its advances (PDF/A 6.3.6)."""
    for r in rows:
        w, dw = widths_of(r["cidfont"]), r["cidfont"].get("/DW", 1000)
        if r["kind"] == "CFF":  # /W by CID, the program's advances in thousandths of the em
            bad = [c for c in sorted(r["codes"])
                   if abs(w.get(r["to_cid"].get(c), dw) - r["cff"].advance(r["code_gid"][c])) > 1]
            check(not bad, "%s %s: widths of codes %s differ from the font's" % (name, r["name"], bad[:5]))
            continue
        upem, advance = advances(r["tables"])
        bad = [c for c in sorted(r["codes"])
               if abs(w.get(c, dw) - advance(gid_of(r["cmap"], c)) * 1000 / upem) > 1]
        check(not bad, "%s %s: widths of codes %s differ from the font's" % (name, r["name"], bad[:5]))


def test_text_layer(docs):
    for name, path in docs.items():
        for tool in (["pdftotext", path, "-"], ["pdffonts", path], ["pdfinfo", path]):
            rc, _, err = run(tool)
            check(rc == 0 and err.strip() == "", "%s: %s prints no warning (%s)" % (name, tool[0], err.strip()[:200]))
        rc, out, err = run(["qpdf", "--check", path])
        check(rc == 0 and "No syntax or stream encoding errors" in out and "WARNING" not in out + err,
              "%s: qpdf --check (%d) %s" % (name, rc, (out + err).strip()[-300:]))
        fonts = pc.pdffonts(path)
        bad = ["%s (emb %s, sub %s, uni %s)" % (f["name"], f["emb"], f["sub"], f["uni"]) for f in fonts
               if [f["emb"], f["sub"], f["uni"]] != ["yes", "yes", "yes"]]
        check(fonts and not bad, "%s: every font embedded, a subset, with a ToUnicode map" % name,
              summarise(bad) if fonts else "pdffonts lists no font")
        pdf = Pdf(path)
        check(pdf.unreferenced() == [], "%s: objects nothing refers to: %s" % (name, pdf.unreferenced()[:10]))
        test_widths(name, pdf, font_report(pdf))


def copied_text(path):
    """The PDF's text as copying it out gives it, without white space and
    without the page numbers (— 1 —) that stand between a paragraph's
    pages."""
    return nows(re.sub(r"(?m)^\s*—\s*\d+\s*—\s*$", "", pc.pdf_text(path)))


def test_copy_text(docs, forms, tmp):
    """Copying text out of the PDF gives the record's text."""
    text = copied_text(docs["notice.notice"])
    record = ET.parse(os.path.join(EXAMPLES, "notice.xml")).getroot()
    for tag in ("issuer", "doc-number", "title", "recipients"):
        want = nows(record.findtext(tag))
        check(want in text, "notice: the %s %r comes back from the PDF" % (tag, want))
    paragraphs = [re.sub(r"^#+\s*", "", p) for p in record.findtext("body").split("\n\n") if p.strip()]
    missing = [p[:20] for p in paragraphs if nows(p) not in text]
    check(len(paragraphs) > 10 and not missing, "notice: every paragraph comes back (missing: %s)" % missing)
    names = [nows(e.text) for e in ET.parse(os.path.join(EXAMPLES, "nominations.xml")).iter("enterprise")]
    got = [copied_text(p) for p in forms]
    check(len(got) == len(names) and all(n in t for n, t in zip(names, got)),
          "each nomination form gives its enterprise's name back")
    # a character beyond U+FFFF (CJK Extension B), in the 仿宋 role's font
    src = open(os.path.join(EXAMPLES, "notice.xml"), encoding="utf-8").read()
    path, out = os.path.join(tmp, "ext-b.xml"), os.path.join(tmp, "ext-b.pdf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src.replace("各市质量技术监督局", "各市\U00020BB7质量技术监督局", 1))
    rc, _, err = gen("render", path, "-o", out)
    check(rc == 0 and "\U00020BB7" not in err, "a character beyond U+FFFF renders (%s)" % err.strip()[:200])
    if rc == 0:
        check("各市\U00020BB7质量技术监督局" in copied_text(out), "U+20BB7 comes back from the PDF's text")
        # FandolFang (the 仿宋) lacks it; the next font of the role,
        # Noto Serif CJK SC, has it
        check(any("NotoSerifCJKsc-Regular" in f["name"] for f in pc.pdffonts(out)),
              "U+20BB7 is drawn with a font that has it (Noto Serif CJK SC, 仿宋's second)")


def test_reproducible(tmp):
    """Same record, template and fonts: the same bytes, from any folder and
    with any TMPDIR; batch with one worker or two."""
    record = os.path.join(EXAMPLES, "notice-sealed.xml")
    elsewhere = os.path.join(tmp, "elsewhere")
    other_tmp = os.path.join(tmp, "other-tmp")
    os.makedirs(elsewhere)
    os.makedirs(other_tmp)
    env = dict(os.environ, TMPDIR=other_tmp)
    for extra in ([], ["--pdfa"]):
        a, b, c = (os.path.join(tmp, "again-%s%d.pdf" % ("a" if extra else "", i)) for i in range(3))
        gen("render", *extra, record, "-o", a)
        gen("render", *extra, record, "-o", b)
        gen("render", *extra, record, "-o", c, cwd=elsewhere, env=env)
        what = "render %s" % " ".join(extra)
        check(os.path.exists(a) and read(a) == read(b), what + ": the same bytes twice")
        check(os.path.exists(c) and read(a) == read(c), what + ": the same bytes from another folder and TMPDIR")
    one, two = os.path.join(tmp, "j1"), os.path.join(tmp, "j2")
    gen("batch", "examples/nominations.xml", "-o", one, "--name", "enterprise")
    gen("batch", "examples/nominations.xml", "-o", two, "--name", "enterprise", "-j", "2", cwd=ROOT, env=env)
    names = sorted(os.listdir(one)) if os.path.isdir(one) else []
    check(len(names) == 4 and all(read(os.path.join(one, n)) == read(os.path.join(two, n)) for n in names),
          "batch -j 1 and -j 2 write the same bytes")
    ids = [re.search(rb"/ID \[ <([0-9A-F]{32})> <\1> \]", read(os.path.join(one, n))) for n in names]
    check(all(ids) and len({m.group(1) for m in ids}) == len(names),
          "each form has an ID of its own, the same twice in the trailer")
    # SOURCE_DATE_EPOCH sets the date, never the clock
    out = os.path.join(tmp, "epoch.pdf")
    gen("render", record, "-o", out, env=dict(os.environ, SOURCE_DATE_EPOCH="1262304000"))
    info = Pdf(out).info()
    check(info.get("/CreationDate", "").startswith("u:D:20100101000000"),
          "SOURCE_DATE_EPOCH is the creation date (%s)" % info.get("/CreationDate"))


def xmp_text(el, path, ns):
    node = el.find(path, ns)
    return None if node is None else (node.text or "")


def pdf_date_to_xmp(d):
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'\d\d)?", d)
    z = m.group(7) or ""
    zone = "Z" if z.startswith("Z") or not z else "%s:%s" % (z[:3], z[4:6])
    return "%s-%s-%sT%s:%s:%s%s" % (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), zone)


def test_pdfa_file(name, path):
    """The PDF/A-1b rules that can be checked without a validator."""
    data = read(path)
    check(re.match(rb"%PDF-1\.[0-4]\r?\n%[\x80-\xff]{4}", data) is not None,
          "%s: header %%PDF-1.4 or lower, then a comment of 4 bytes above 127 (6.1.2)" % name)
    pdf = Pdf(path)
    ids = pdf.trailer.get("/ID")
    check(isinstance(ids, list) and len(ids) == 2 and ids[0] == ids[1] and len(ids[0]) == 2 + 32,
          "%s: the trailer has an /ID (6.1.3): %s" % (name, ids))
    check("/Encrypt" not in pdf.trailer, "%s: not encrypted" % name)
    root = pdf.root()
    # metadata: unfiltered XMP equal to the Info dictionary (6.7)
    meta = root.get("/Metadata")
    check(pdf.is_stream(meta) and "/Filter" not in pdf.get(meta)
          and pdf.get(meta).get("/Type") == "/Metadata" and pdf.get(meta).get("/Subtype") == "/XML",
          "%s: the catalog's /Metadata is an unfiltered XML stream" % name)
    if pdf.is_stream(meta):
        packet = pdf.data(meta).decode("utf-8")
        check(packet.startswith("<?xpacket begin=") and packet.rstrip().endswith("<?xpacket end=\"w\"?>")
              and "bytes=" not in packet.split("?>")[0] and "encoding=" not in packet.split("?>")[0],
              "%s: an XMP packet with its xpacket header and trailer" % name)
        body = packet[packet.index("?>") + 2:packet.rindex("<?xpacket")]
        ns = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
              "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
              "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
        try:
            xmp = ET.fromstring(body)
        except ET.ParseError as e:
            check(False, "%s: the XMP packet parses: %s" % (name, e))
            return
        d = xmp.find("rdf:RDF/rdf:Description", ns)
        check(xmp_text(d, "pdfaid:part", ns) == "1" and xmp_text(d, "pdfaid:conformance", ns) == "B",
              "%s: pdfaid:part 1, pdfaid:conformance B" % name)
        check(xmp_text(d, "dc:language/rdf:Bag/rdf:li", ns) == "zh-CN", "%s: dc:language zh-CN" % name)
        info = pdf.info()
        pairs = (("/Title", "dc:title/rdf:Alt/rdf:li"), ("/Author", "dc:creator/rdf:Seq/rdf:li"),
                 ("/Subject", "dc:description/rdf:Alt/rdf:li"), ("/Keywords", "pdf:Keywords"),
                 ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"))
        for key, prop in pairs:
            want = info.get(key, "u:")[2:] or None
            check(xmp_text(d, prop, ns) == want, "%s: XMP %s is the Info %s (%r, %r)"
                  % (name, prop, key, xmp_text(d, prop, ns), want))
        created = info.get("/CreationDate")
        check(created and xmp_text(d, "xmp:CreateDate", ns) == pdf_date_to_xmp(created[2:]),
              "%s: xmp:CreateDate is the Info /CreationDate (%s)" % (name, created))
        check(root.get("/Lang") == "u:zh-CN", "%s: the catalog's /Lang is zh-CN" % name)
    # the output intent (6.2.2)
    intents = pdf.get(root.get("/OutputIntents")) or []
    gts = [pdf.get(i) for i in intents if pdf.get(i).get("/S") == "/GTS_PDFA1"]
    check(len(gts) == 1, "%s: one output intent /S /GTS_PDFA1" % name)
    if gts:
        profile = gts[0].get("/DestOutputProfile")
        icc = pdf.data(profile) if pdf.is_stream(profile) else b""
        check(pdf.get(profile).get("/N") == 3 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
              and icc[8] <= 2 and gts[0].get("/OutputConditionIdentifier"),
              "%s: its DestOutputProfile is an RGB ICC profile of version 2 with /N 3" % name)
    # fonts: all embedded, subsets with a CIDSet, a CIDToGIDMap (6.3);
    # a CFF one with its own Encoding CMap, embedded (6.3.3.3)
    rows = font_report(pdf)
    fonts = [d for d in pdf.dicts() if d.get("/Type") == "/Font"]
    check(fonts and all(f.get("/Subtype") in ("/Type0", "/CIDFontType2", "/CIDFontType0") for f in fonts),
          "%s: only Type0 fonts of TrueType or CFF CIDFonts" % name)
    identity = {"/Registry": "u:Adobe", "/Ordering": "u:Identity", "/Supplement": 0}
    for r in rows:
        cidset = r["desc"].get("/CIDSet")
        bits = pdf.data(cidset) if pdf.is_stream(cidset) else b""
        listed = [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> i % 8)]
        if r["kind"] == "CFF":
            enc = r["type0"].get("/Encoding")
            check(pdf.get(r["desc"]["/FontFile3"]).get("/Subtype") == "/CIDFontType0C"
                  and r["cidfont"].get("/Subtype") == "/CIDFontType0" and pdf.is_stream(enc)
                  and pdf.get(enc).get("/Type") == "/CMap"
                  and pdf.get(pdf.get(enc).get("/CIDSystemInfo")) == identity
                  and pdf.get(r["cidfont"].get("/CIDSystemInfo")) == identity,
                  "%s %s: a CIDFontType0C program, an embedded Encoding CMap of the same "
                  "CIDSystemInfo (Adobe-Identity-0) as its CIDFont" % (name, r["name"]))
            check(re.match(r"/[A-Z]{6}\+", r["name"]) and listed == sorted(set(r["cff"].cids)),
                  "%s %s: a subset whose CIDSet lists every CID of its program (6.3.5)" % (name, r["name"]))
            continue
        check("/FontFile2" in r["desc"] and "/CIDToGIDMap" in r["cidfont"] and r["type0"].get("/Encoding") == "/Identity-H",
              "%s %s: embedded, with a CIDToGIDMap, Identity-H" % (name, r["name"]))
        ncids = len(r["cmap"] or b"") // 2
        check(re.match(r"/[A-Z]{6}\+", r["name"]) and listed == list(range(ncids)),
              "%s %s: a subset whose CIDSet lists every CID of its map (6.3.5)" % (name, r["name"]))
    # no transparency (6.4), no LZW (6.1.10), nothing forbidden: one check
    # per rule, naming the first dictionary that breaks it
    rules = (
        ("no soft mask (6.4)", lambda d: "/SMask" not in d or d["/SMask"] == "/None"),
        ("no transparency group (6.4)", lambda d: pdf.get(d.get("/Group", {})).get("/S") != "/Transparency"),
        ("no alpha or blend mode (6.4)", lambda d: d.get("/CA", 1) == 1 and d.get("/ca", 1) == 1
         and d.get("/BM", "/Normal") in ("/Normal", "/Compatible")),
        ("no LZW (6.1.10)", lambda d: "/LZWDecode" not in (d.get("/Filter") if isinstance(d.get("/Filter"), list)
                                                          else [d.get("/Filter")])),
        ("images without Interpolate, Alternates or OPI (6.2.4)",
         lambda d: d.get("/Interpolate") is not True and "/Alternates" not in d and "/OPI" not in d),
        ("no actions or embedded files (6.6, 6.1.11)",
         lambda d: d.get("/S") not in ("/JavaScript", "/Launch", "/Movie", "/Sound", "/ResetForm", "/ImportData")
         and "/JS" not in d and "/EmbeddedFiles" not in d),
    )
    dicts = list(pdf.dicts())
    for what, ok in rules:
        bad = next((d for d in dicts if not ok(d)), None)
        check(bad is None, "%s: %s: %s" % (name, what, str(bad)[:160]))
    check("/AA" not in root and "/OpenAction" not in root, "%s: no document actions" % name)


def red_pixels(img):
    """(red, dark) pixel counts of an RGB image (pdfcheck.Image)."""
    px = img.data
    red = dark = 0
    for i in range(0, 3 * img.width * img.height, 3):
        r, g, b = px[i], px[i + 1], px[i + 2]
        red += r > 180 and g < 110 and b < 110
        dark += r < 80 and g < 80 and b < 80
    return red, dark


ICC_PROFILE = "/usr/share/color/icc/sRGB.icc"  # of the Debian package icc-profiles-free


def test_pdfa(tmp):
    if not os.path.exists(ICC_PROFILE):
        rc, _, err = gen("render", "--pdfa", "examples/notice.xml", "-o", os.path.join(tmp, "no-icc.pdf"))
        check(rc == 1 and "icc-profiles-free" in err and not os.path.exists(os.path.join(tmp, "no-icc.pdf")),
              "without its profile --pdfa stops with exit 1 and names the package (%d: %s)" % (rc, err.strip()))
        check(False, "%s is missing: install icc-profiles-free (make deps) to test --pdfa" % ICC_PROFILE)
        return
    out = os.path.join(tmp, "pdfa")
    os.makedirs(out)
    sealed = os.path.join(out, "notice-sealed.pdf")
    rc, _, err = gen("render", "--pdfa", "examples/notice-sealed.xml", "-o", sealed)
    check(rc == 0, "render --pdfa a sealed notice: exit %d %s" % (rc, err.strip()[:300]))
    rc, _, err = gen("batch", "--pdfa", "examples/nominations.xml", "-o", os.path.join(out, "forms"))
    check(rc == 0, "batch --pdfa: exit %d %s" % (rc, err.strip()[:300]))
    bundle = os.path.join(out, "bundle.pdf")
    rc, _, err = gen("render", "--pdfa", "--bundle", "examples/notice.xml", "examples/selfcheck.xml",
                     "examples/nominations.xml", "-o", bundle)
    check(rc == 0, "render --pdfa --bundle: exit %d %s" % (rc, err.strip()[:300]))
    rc, _, err = gen("check", "--pdfa", "examples/notice-sealed.xml")
    check(rc == 0, "check --pdfa: exit %d %s" % (rc, err.strip()[:200]))
    rc, _, err = gen("fonts", "--pdfa")
    check(rc == 2 and "--pdfa" in err, "fonts --pdfa is refused (%d)" % rc)
    rc, out_help, _ = gen("render", "--help")
    check("--pdfa" in out_help, "render --help tells of --pdfa")
    files = {"sealed notice": sealed, "bundle": bundle}
    forms = os.path.join(out, "forms")
    for f in sorted(os.listdir(forms)) if os.path.isdir(forms) else []:
        files["form " + f] = os.path.join(forms, f)
    test_text_layer({"--pdfa " + k: v for k, v in files.items() if os.path.exists(v)})
    for name, path in files.items():
        if os.path.exists(path):
            test_pdfa_file(name, path)
    if not os.path.exists(sealed):
        return
    # the seal: flattened on white with a stencil mask, under the text
    pdf = Pdf(sealed)
    images = [d for d in pdf.dicts() if d.get("/Subtype") == "/Image" and not d.get("/ImageMask")]
    check(len(images) == 1 and pdf.get(images[0].get("/Mask", "")).get("/ImageMask") is True
          and pdf.get(images[0]["/Mask"]).get("/BitsPerComponent") == 1,
          "the seal is an image with a 1-bit stencil /Mask")
    plain = os.path.join(out, "plain.pdf")
    gen("render", "examples/notice-sealed.xml", "-o", plain)
    last = len(pdf.pages())
    counts = [red_pixels(pc.render(p, last, dpi=40)) for p in (sealed, plain)]
    (red_a, dark_a), (red_b, dark_b) = counts
    check(red_b > 200 and abs(red_a - red_b) < 0.25 * red_b,
          "the flattened seal prints as much red as the transparent one (%d, %d pixels)" % (red_a, red_b))
    check(dark_a >= dark_b, "the text under the seal stays as legible (%d, %d dark pixels)" % (dark_a, dark_b))
    check(copied_text(sealed) == copied_text(plain), "the PDF/A notice's text is the plain one's")


def test_seal_forms(tmp):
    """Seals as offices save them: 16-bit RGBA (libharu declares it wrong)
    and a palette with transparency, plain and --pdfa."""
    size = 96
    inside = [[(x - 48) ** 2 + (y - 48) ** 2 < 44 ** 2 for x in range(size)] for y in range(size)]
    seals = {
        "rgba16": (16, 6, [b"".join(struct.pack(">4H", 56000, 2000, 2000, 65535 if i else 0) for i in r)
                           for r in inside], b""),
        "palette": (8, 3, [bytes(1 if i else 0 for i in r) for r in inside],
                    png_chunk(b"PLTE", bytes([255, 255, 255, 220, 10, 10])) + png_chunk(b"tRNS", bytes([0, 255]))),
    }
    src = open(os.path.join(EXAMPLES, "notice-sealed.xml"), encoding="utf-8").read()
    for name, (depth, ctype, rows, extra) in seals.items():
        png = os.path.join(tmp, name + ".png")
        write_png(png, size, size, depth, ctype, rows, extra)
        record = os.path.join(tmp, "sealed-%s.xml" % name)
        with open(record, "w", encoding="utf-8") as f:
            f.write(re.sub(r"<seal>[^<]*</seal>", "<seal>%s</seal>" % png, src))
        for extra_args in ([], ["--pdfa"]) if os.path.exists(ICC_PROFILE) else ([],):
            out = os.path.join(tmp, "sealed-%s%s.pdf" % (name, "-a" if extra_args else ""))
            rc, _, err = gen("render", *extra_args, record, "-o", out)
            what = "a %s seal%s" % (name, " --pdfa" if extra_args else "")
            check(rc == 0, "%s: exit %d %s" % (what, rc, err.strip()[:200]))
            if rc != 0:
                continue
            pdf = Pdf(out)
            red, _ = red_pixels(pc.render(out, len(pdf.pages()), dpi=40))
            # the disc, about 66 px across at 40 dpi: some 3,000 red pixels less the text
            # over it (a 16-bit seal read as libharu declares it: half as many)
            check(2000 < red < 4500, "%s prints as a red disc (%d red pixels)" % (what, red))
            images = [d for d in pdf.dicts() if d.get("/Subtype") == "/Image"]
            check(all(d.get("/BitsPerComponent") in (1, 8) for d in images),
                  "%s: 8-bit samples as declared" % what)
            if extra_args:
                check(not any("/SMask" in d for d in images), "%s: no soft mask" % what)


def table(docs):
    print("| document | file bytes | font bytes | floor bytes | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, path in docs.items():
        rows = font_report(Pdf(path))
        fb, fl = sum(r["bytes"] for r in rows), sum(r["floor"] for r in rows)
        print("| %s | %d | %d | %d | %.2f |" % (name, os.path.getsize(path), fb, fl, fb / fl))


def main():
    with tempfile.TemporaryDirectory(prefix="e2e-archive-") as tmp:
        docs, forms = render_examples(tmp)
        if "--table" in sys.argv[1:]:
            table(docs)  # README's table instead of the tests: no result line
            return
        test_size(docs, forms)
        test_text_layer(docs)
        test_copy_text(docs, forms, tmp)
        test_reproducible(tmp)
        test_pdfa(tmp)
        test_seal_forms(tmp)
    finish()


if __name__ == "__main__":
    main()
