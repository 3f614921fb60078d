"""Every character drawn, fonts found as the system finds them, and the
发文机关标志 condensed (issue 15, items 3 to 5), checked in the PDFs:

- a notice with 𠀀 (U+20000) and 𠮷 (U+20BB7) in a name: drawn (BabelStone
  Han embedded as a subset with a ToUnicode map), extracted as themselves,
  on the baseline and at the size of their neighbours, one em each; and
  `gen fonts RECORD` tells which face draws them;
- <font family="..."> through fontconfig, with a test configuration
  (FONTCONFIG_FILE) whose only folder is a temporary one: the family found
  there and used, a family that is nowhere said missing (only by `gen
  fonts` when optional);
- a long mark condensed (PDF Tz) before its size is reduced, read back from
  the page's content stream: its width the type area's or less, the size
  unchanged while the ratio is above the limit, the text extracted whole.

The content streams are read with tests/regress/crosscheck's reader (qpdf
--qdf), the same that checks the golden dumps against the PDFs."""
import importlib.machinery
import importlib.util
import os
import re
import subprocess
import tempfile

from harness import GEN, ROOT, can_run, check, finish, gen, guarded, write_text
import pdfcheck

KAI = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
BABELSTONE = "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"
NOTICE = os.path.join(ROOT, "examples", "notice.xml")
MM = 72 / 25.4
AREA = 156 * MM  # the notice's type area, 442.20 pt

_loader = importlib.machinery.SourceFileLoader(
    "crosscheck", os.path.join(ROOT, "tests", "regress", "crosscheck"))
_spec = importlib.util.spec_from_loader("crosscheck", _loader)
crosscheck = importlib.util.module_from_spec(_spec)
_loader.exec_module(crosscheck)


def page_runs(pdf, tmp):
    """Each page's runs as drawn: (x, y, size, colour, char spacing as laid
    out, text, drawn turned, font resource, Tz)."""
    qdf = os.path.join(tmp, os.path.basename(pdf) + ".qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, qdf], check=True)
    data = open(qdf, "rb").read()
    maps = crosscheck.unicode_maps(data)
    return [crosscheck.drawn(s, fonts, maps)[0]
            for s, fonts in zip(crosscheck.page_streams(data), crosscheck.page_fonts(data))]


def notice_variant(tmp, name, replace):
    text = open(NOTICE, encoding="utf-8").read()
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    path = os.path.join(tmp, name)
    write_text(path, text)
    return path


# ---------------------------------------------------- every character drawn

def test_extension_b(tmp):
    record = notice_variant(tmp, "rare.xml", [
        ("<recipients>各市质量技术监督局，", "<recipients>王𠀀明、李𠮷同志，各市质量技术监督局，")])
    pdf = os.path.join(tmp, "rare.pdf")
    rc, _, err = gen("render", record, "-o", pdf)
    check(rc == 0 and "〓" not in err, "the notice with 𠀀 and 𠮷 renders, nothing missing", err[:300])
    fonts = pdfcheck.pdffonts(pdf)
    babel = [f for f in fonts if f["name"].endswith("+BabelStoneHan")]
    check(len(babel) == 1 and babel[0]["emb"] == "yes" and babel[0]["sub"] == "yes"
          and babel[0]["uni"] == "yes",
          "BabelStone Han is embedded, a subset, with a ToUnicode map", str(fonts))
    text = pdfcheck.pdf_text(pdf, "-f", "1", "-l", "1")
    check("王\U00020000明、李\U00020BB7同志" in text, "pdftotext gives U+20000 and U+20BB7 back",
          text[:200])
    runs = page_runs(pdf, tmp)[0]
    # the ToUnicode maps give the real code points, as UTF-16 surrogate pairs
    qdf = open(os.path.join(tmp, "rare.pdf.qdf"), "rb").read()
    check(re.search(rb"<[0-9A-F]{4}> <D840DC00>", qdf) and re.search(rb"<[0-9A-F]{4}> <D842DFB7>", qdf),
          "ToUnicode: 𠀀 as <D840DC00>, 𠮷 as <D842DFB7>")
    line = sorted((r for r in runs if abs(r[1] - next(q[1] for q in runs if "\U00020000" in q[5])) < 0.01),
                  key=lambda r: r[0])
    rare = next(r for r in line if "\U00020000" in r[5])
    before = [r for r in line if r[0] < rare[0]]
    check(rare[5] == "\U00020000" and before and before[-1][5].endswith("王"),
          "𠀀 is a run of its own (another face) after 王", str([r[5] for r in line]))
    check(all(abs(r[1] - rare[1]) < 0.005 and r[2] == rare[2] for r in line),
          "every run of the line on one baseline at one size", str([(r[1], r[2]) for r in line]))
    check(rare[7] != before[-1][7], "𠀀 in another font than its neighbour")
    after = min((r for r in line if r[0] > rare[0]), key=lambda r: r[0])
    pitch = after[0] - rare[0]
    check(after[5].startswith("明") and abs(pitch - rare[2]) < 0.6,
          "明 follows one character's pitch later (%.2f at %.2f pt)" % (pitch, rare[2]))

    rc, out, err = gen("fonts", record)
    check(rc == 0 and "仿宋: \U00020000 (U+20000) from BabelStone Han" in out,
          "gen fonts RECORD: 𠀀 from BabelStone Han", out[-400:] + err[-200:])
    check("仿宋: \U00020BB7 (U+20BB7) from Noto Serif CJK SC" in out,
          "𠮷 from Noto Serif CJK SC (仿宋's second font: FandolFang lacks it)", out[-300:])
    rc, out2, _ = gen("fonts", record, "-t", "notice")
    check(rc == 0 and out2 == out, "gen fonts RECORD -t notice: the same")


# ----------------------------------------------------------- fontconfig

def fontconfig_env(tmp, name):
    """An environment whose fontconfig knows one folder, tmp/name/fonts,
    holding a link to the AR PL KaitiM GB file (文鼎ＰＬ简中楷)."""
    folder = os.path.join(tmp, name)
    os.makedirs(os.path.join(folder, "fonts"))
    os.symlink(KAI, os.path.join(folder, "fonts", "office-kai.ttf"))
    conf = os.path.join(folder, "fonts.conf")
    write_text(conf, '<?xml version="1.0"?>\n<fontconfig>\n'
                     f'  <dir>{folder}/fonts</dir>\n  <cachedir>{folder}/cache</cachedir>\n'
                     '</fontconfig>\n')
    env = dict(os.environ, FONTCONFIG_FILE=conf)
    return env, os.path.join(folder, "fonts", "office-kai.ttf")


def family_map(tmp, first):
    """The shipped map with `first` (<font>s) put first in 仿宋."""
    text = open(os.path.join(ROOT, "fonts", "fonts.xml"), encoding="utf-8").read()
    text = text.replace('<role name="仿宋">', '<role name="仿宋">\n    ' + "\n    ".join(first), 1)
    path = os.path.join(tmp, "family-map.xml")
    write_text(path, text)
    lines = text.splitlines()
    return path, [i + 1 for i, l in enumerate(lines) if any(f in l for f in first)]


def test_family_found(tmp):
    env, link = fontconfig_env(tmp, "fc-found")
    fonts, _ = family_map(tmp, ['<font family="文鼎ＰＬ简中楷"/>'])
    rc, out, err = gen("fonts", "--fonts", fonts, env=env)
    check(rc == 0 and f"-> family 文鼎ＰＬ简中楷: {link} (index 0)  [AR PL KaitiM GB Regular]" in out,
          "gen fonts: the family found in the test folder, by its Chinese name", out[:600] + err)
    pdf = os.path.join(tmp, "family.pdf")
    rc, _, err = gen("render", NOTICE, "--fonts", fonts, "-o", pdf, env=env)
    names = [f["name"] for f in pdfcheck.pdffonts(pdf)] if rc == 0 else []
    # (AR PL KaitiM GB's PostScript name is GBZenKai-Medium)
    check(rc == 0 and any(n.endswith("+GBZenKai-Medium") for n in names),
          "render draws 仿宋 with it", f"{rc} {err[:200]} {names}")


def test_family_missing(tmp):
    env, _ = fontconfig_env(tmp, "fc-missing")
    fonts, lines = family_map(tmp, ['<font family="FangSong_GB2312"/>',
                                    '<font family="方正仿宋_GBK" optional="yes"/>'])
    rc, out, err = gen("check", NOTICE, "--fonts", fonts, env=env)
    check(rc == 0 and f"family-map.xml:{lines[0]}: warning: no installed font has the family "
          "FangSong_GB2312; 仿宋 falls back to" in err,
          "a family nowhere installed (fontconfig would give the kai): a warning at its line",
          err[:400])
    check("方正仿宋_GBK" not in err, "the optional one: no word", err[:400])
    rc, out, err = gen("fonts", "--fonts", fonts, env=env)
    check("  (not found) family 方正仿宋_GBK  [optional]" in out
          and "  (not found) family FangSong_GB2312\n" in out,
          "gen fonts lists both as not found", out[:500])
    rc, _, err = gen("check", NOTICE, "--fonts", fonts, "--strict", env=env)
    check(rc == 1 and "FangSong_GB2312" in err, "--strict: the missing family is an error")
    # the shipped map's families for an office's fonts are all optional
    rc, out, err = gen("check", NOTICE, "--strict", env=env)
    check(rc == 0 and err == "", "the shipped map, none of the office fonts there: silent", err[:300])


# --------------------------------------------------------- the condensed mark

def mark_run(tmp, name, header):
    record = notice_variant(tmp, name + ".xml",
                            [("<header>浙江省质量技术监督局文件</header>", header)])
    pdf = os.path.join(tmp, name + ".pdf")
    rc, _, err = gen("render", record, "-o", pdf)
    check(rc == 0, f"{name}: renders", err[:300])
    runs = page_runs(pdf, tmp)[0]
    red = [r for r in runs if r[3] == "#E60012"]
    return red[0] if red else None, pdf


def test_condensed_mark(tmp):
    cases = [
        # name, header, characters, the scale wanted, the size wanted
        ("mark-fits", "<header>浙江省质量技术监督局文件</header>", 12, 100, 36),
        ("mark-condensed", "<header>浙江省质量技术监督局认证监管处文件</header>", 17,
         100 * AREA / (17 * 36), 36),
        ("mark-long", "<header>浙江省质量技术监督局浙江省发展和改革委员会文件</header>", 23,
         70, 36 * AREA / (23 * 36) / 0.7),
        ("mark-record", '<header condense="90%">浙江省质量技术监督局浙江省发展和改革委员会文件</header>',
         23, 90, 36 * AREA / (23 * 36) / 0.9),
    ]
    for name, header, n, scale, size in cases:
        run, pdf = mark_run(tmp, name, header)
        if not check(run is not None, f"{name}: the mark is drawn"):
            continue
        x, _, got_size, _, cs, text, _, _, tz = run
        width = n * got_size * tz / 100
        check(abs(tz - scale) < 0.01 and abs(got_size - size) < 0.01,
              f"{name}: Tz {tz:.2f} % (wanted {scale:.2f}), size {got_size:.2f} (wanted {size:.2f})")
        check(width <= AREA + 0.01 and abs(cs) < 0.005,
              f"{name}: the mark's width {width:.2f} is within the type area {AREA:.2f}")
        left = 28 * MM + (AREA - width) / 2
        check(abs(x - left) < 0.01, f"{name}: centred ({x:.2f}, wanted {left:.2f})")
        if AREA / (n * 36) >= 0.7:
            check(got_size == 36, f"{name}: the size is unchanged while the scale is above 70 %")
        first = pdfcheck.pdf_text(pdf, "-f", "1", "-l", "1").split("\n")[0]
        wanted = re.sub(r"<[^>]+>", "", header)
        check(first == wanted, f"{name}: pdftotext gives the mark back", first)
    record = notice_variant(tmp, "bad-ratio.xml",
                            [("<header>", '<header condense="40%">')])
    rc, out, err = gen("check", record)
    check(rc == 2 and re.search(r"bad-ratio\.xml:\d+", err) and "condense" in err,
          "a record's ratio below 50 %: refused with its line, exit 2", err[:300])


if can_run("qpdf", "pdffonts", "pdftotext"):
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.exists(BABELSTONE):
            guarded("Extension B", test_extension_b, tmp)
        else:
            check(False, "BabelStone Han installed", "make deps installs fonts-babelstone-han")
        guarded("family found", test_family_found, tmp)
        guarded("family missing", test_family_missing, tmp)
        guarded("condensed mark", test_condensed_mark, tmp)
finish()
