"""Fonts of each kind embedded (issue 15): a TrueType .ttf, a TrueType face
of a .ttc, a CFF face of a .ttc (Noto Serif CJK SC), the same face as an
.otf of its own (written here from the collection), and a name-keyed CFF
.otf (Latin Modern, for the Latin letters and digits).  Each is the font
of every role of a map written here, and the notice, with a line of CJK,
Latin and digits put in, is rendered plain and --pdfa: pdffonts says
embedded, subset, Unicode (CID Type 0C for CFF), the text comes back
through pdftotext, qpdf --check is clean, the checks of test_archive
(widths, PDF/A-1b) hold, the embedded programs are within 1.3 times their
floor, and every code draws the glyph the font has for its character:
for Noto the outline Noto has for it, for Latin Modern the glyph of
the character's standard name.  `--keep DIR` copies the plain PDFs there."""
import os
import re
import sys
import tempfile

import cff
import pdfcheck as pc
from harness import EXAMPLES, check, finish, gen, run
from pdfcheck import nows
from test_archive import FONT_RATIO, Pdf, font_report, test_pdfa_file, test_text_layer

SONG = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
NOTO = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SC = 2  # the collection's face of family "Noto Serif CJK SC" (fc-query)
LMROMAN = "/usr/share/texmf/fonts/opentype/public/lm/lmroman10-regular.otf"
ROLES = ("宋体", "仿宋", "黑体", "楷体", "小标宋")
# CJK, Latin and digits; ⼀ (the Kangxi radical) and 一, ⾦ and 金 share
# a glyph in Noto and must still come back as themselves
LINE = "GB/T 9704-2012 Font Test 0123456789 字体⼀一⾦金"


def font(path, index=None):
    return '<font file="%s"%s/>' % (path, ' index="%d"' % index if index is not None else "")


def write_map(path, chain):
    """Every role: the chain, then WenQuanYi Zen Hei for what it lacks."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<fonts>"]
    for role in ROLES:
        lines += ['  <role name="%s">' % role] + ["    " + f for f in chain]
        lines += ["    " + font(ZENHEI, 0), "  </role>"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + ["</fonts>", ""]))


def kinds(tmp):
    """(name, the map's chain, pdffonts' type, a word of the font's name)."""
    otf = os.path.join(tmp, "NotoSerifCJKsc-Regular.otf")
    tables, _ = cff.face_tables(NOTO, NOTO_SC)
    cff.write_otf(otf, tables)
    return [("TrueType .ttf", [font(SONG)], "CID TrueType", "BousungEG"),
            ("TrueType face of a .ttc", [font(ZENHEI, 0)], "CID TrueType", "WenQuanYi"),
            ("CFF face of a .ttc", [font(NOTO, NOTO_SC)], "CID Type 0C", "NotoSerifCJKsc"),
            ("CFF .otf, CID-keyed", [font(otf)], "CID Type 0C", "NotoSerifCJKsc"),
            ("CFF .otf, name-keyed", [font(LMROMAN), font(NOTO, NOTO_SC)], "CID Type 0C", "LMRoman10")]


def copied_text(path):
    return nows(re.sub(r"(?m)^\s*—\s*\d+\s*—\s*$", "", pc.pdf_text(path)))


def test_glyphs(name, pdf, rows, source):
    """Each code of a CFF font draws the font's glyph for its character."""
    noto_tables, _ = cff.face_tables(NOTO, NOTO_SC)
    noto = None
    for r in rows:
        if r["kind"] != "CFF":
            continue
        chars = cff.to_unicode(pdf.data(r["type0"]["/ToUnicode"]).decode("latin1"))
        check(all(c in chars for c in r["codes"]), "%s %s: every code shown has its character" % (name, r["name"]))
        if r["cff"].cid_keyed:
            if noto is None:
                noto = cff.Cff(noto_tables["CFF "])
            gids = cff.cmap_glyphs(noto_tables["cmap"], {ord(chars[c]) for c in r["codes"]
                                                         if len(chars.get(c, "")) == 1})
            bad = [chars.get(c) for c in sorted(r["codes"])
                   if len(chars.get(c, "")) != 1 or not gids.get(ord(chars[c]))
                   or r["cff"].drawing(r["code_gid"][c]) != noto.drawing(gids[ord(chars[c])])]
            check(not bad, "%s %s: each code draws the outline Noto has for its character (%d codes)"
                  % (name, r["name"], len(r["codes"])), "not: %s" % "".join(bad[:10]))
            same = [c for c in r["codes"] if chars.get(c) in ("⼀", "一")]
            check(len(same) == 2 and r["to_cid"][same[0]] == r["to_cid"][same[1]],
                  "%s: ⼀ and 一, two codes of one CID" % name)
            cids = sorted(r["cff"].cids)
            check(cids == list(range(len(cids))), "%s %s: its CIDs are its glyph ids" % (name, r["name"]))
        else:
            alnum = [c for c in r["codes"] if cff.standard_sid(chars.get(c, "")[:1] or " ")]
            bad = [chars[c] for c in alnum
                   if r["cff"].charset[r["code_gid"][c]] != cff.standard_sid(chars[c])]
            check(len(alnum) >= 20 and not bad,
                  "%s %s: each letter and digit draws the glyph of its name (%d)" % (name, r["name"], len(alnum)),
                  "not: %s" % "".join(bad))


def test_kind(tmp, name, chain, ftype, word, source):
    slug = re.sub(r"[^a-z]+", "-", name.lower())
    fonts = os.path.join(tmp, slug + ".xml")
    write_map(fonts, chain)
    out = {}
    for extra in ([], ["--pdfa"]):
        path = os.path.join(tmp, slug + ("-pdfa" if extra else "") + ".pdf")
        rc, _, err = gen("render", *extra, source, "--fonts", fonts, "-o", path)
        check(rc == 0 and err.strip() == "", "%s %s: renders silently (%d %s)"
              % (name, " ".join(extra), rc, err.strip()[:300]))
        out[bool(extra)] = path if rc == 0 else None
    path = out[False]
    if not path:
        return
    listed = pc.pdffonts(path)
    mine = [f for f in listed if word in f["name"]]
    check(mine and all(f["type"] == ftype and [f["emb"], f["sub"], f["uni"]] == ["yes"] * 3 for f in mine),
          "%s: pdffonts lists %s as %s, embedded, subset, Unicode" % (name, word, ftype),
          "; ".join("%(name)s %(type)s %(emb)s %(sub)s %(uni)s" % f for f in listed))
    text = copied_text(path)
    check(nows(LINE) in text and "浙江省质量技术监督局文件" in text,
          "%s: the line of CJK, Latin and digits comes back through pdftotext" % name,
          text[:200])
    test_text_layer({name: path})   # no warnings, qpdf --check, pdffonts, /W
    pdf = Pdf(path)
    rows = font_report(pdf)
    for r in rows:
        ratio = r["bytes"] / max(r["floor"], 1)
        print("%s: %s %s: %d bytes embedded, floor %d, ratio %.3f, %d glyphs"
              % (name, r["kind"], r["name"], r["bytes"], r["floor"], ratio, r["glyphs"]))
    check(all(r["bytes"] <= FONT_RATIO * r["floor"] for r in rows if word in r["name"]),
          "%s: the embedded font within %.1f times its floor" % (name, FONT_RATIO))
    test_glyphs(name, pdf, rows, source)
    if out[True]:
        test_pdfa_file(name + " --pdfa", out[True])
        test_text_layer({name + " --pdfa": out[True]})
    return path


def test_same_drawing(paths):
    """The CFF face drawn from the collection and from the .otf made of it:
    the same page, pixel for pixel."""
    a, b = paths.get("CFF face of a .ttc"), paths.get("CFF .otf, CID-keyed")
    if a and b:
        ia, ib = pc.render_page(a, 1, (595, 842), dpi=60), pc.render_page(b, 1, (595, 842), dpi=60)
        check(ia.data == ib.data, "a CFF face draws the same from a .ttc and from an .otf")


def main():
    with tempfile.TemporaryDirectory(prefix="e2e-cff-") as tmp:
        src = open(os.path.join(EXAMPLES, "notice.xml"), encoding="utf-8").read()
        source = os.path.join(tmp, "notice.xml")
        with open(source, "w", encoding="utf-8") as f:
            f.write(src.replace("各市质量技术监督局", "各市质量技术监督局" + LINE, 1))
        paths = {}
        for name, chain, ftype, word in kinds(tmp):
            paths[name] = test_kind(tmp, name, chain, ftype, word, source)
        test_same_drawing(paths)
        if sys.argv[1:2] == ["--keep"] and len(sys.argv) == 3:  # --keep DIR: the plain PDFs, to look at
            for p in paths.values():
                if p:
                    run(["cp", p, sys.argv[2]])
    finish()


if __name__ == "__main__":
    main()
