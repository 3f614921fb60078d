"""The font map (fonts.xml) with an office's own files in it: two files of
one family, files that cannot be used, files that are not there.  Every map
and font file is made here, in a temporary folder, from the Debian fonts
that fonts/fonts.xml names."""
import os
import shutil
import struct
import tempfile

from harness import GEN, check, finish, run
import pdfcheck

SONG = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
KAI = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
WENKAI_BOLD = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
RECORD = "examples/notice.xml"


def gen(*args, unprivileged=False):
    """bin/gen in the project folder: (exit status, stdout, stderr).  With
    `unprivileged` and as root, run without root's power to read any file
    (setpriv, util-linux, drops it from the capability bounding set), so
    that it meets a file it may not read; still root, so it reaches the
    program wherever the project lies (a clone in /root, 0700)."""
    cmd = [GEN, *args]
    if unprivileged and os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] + cmd
    return run(cmd)


def font(path, index=None, optional=False):
    attrs = f' file="{path}"'
    if index is not None:
        attrs += f' index="{index}"'
    if optional:
        attrs += ' optional="yes"'
    return f"<font{attrs}/>"


# The Debian chains of fonts/fonts.xml, without the places for an office's fonts.
DEBIAN = {
    "宋体": [font(SONG), font(WENKAI), font(ZENHEI, 0)],
    "仿宋": [font(WENKAI), font(SONG), font(ZENHEI, 0)],
    "黑体": [font(ZENHEI, 0), font(WENKAI_BOLD)],
    "楷体": [font(KAI), font(WENKAI), font(ZENHEI, 0)],
    "小标宋": [font(ZENHEI, 0), font(WENKAI_BOLD)],
}


def write_map(path, first=None, replace=None):
    """A map of the Debian chains, with first[role] (a list of <font>s) put
    before a role's own, or replace[role] instead of them.  Returns the line
    of each <font> put first: {(role, k): line}."""
    first, replace = first or {}, replace or {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<fonts>"]
    where = {}
    for role, chain in DEBIAN.items():
        lines.append(f'  <role name="{role}">')
        for k, f in enumerate(first.get(role, [])):
            lines.append("    " + f)
            where[(role, k)] = len(lines)
        for f in replace.get(role, chain):
            lines.append("    " + f)
        lines.append("  </role>")
    lines.append("</fonts>")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return where


def read_sfnt(path, index=0):
    """The tables of a TrueType font (or of a collection's face)."""
    data = open(path, "rb").read()
    at = struct.unpack(">I", data[12 + 4 * index:16 + 4 * index])[0] if data[:4] == b"ttcf" else 0
    version, count = struct.unpack(">IH", data[at:at + 6])
    tables = {}
    for i in range(count):
        tag, _, off, length = struct.unpack(">4sIII", data[at + 12 + 16 * i:at + 28 + 16 * i])
        tables[tag] = data[off:off + length]
    return version, tables


def write_sfnt(path, version, tables):
    tags = sorted(tables)
    head = bytearray(struct.pack(">IHHHH", version, len(tags), 0, 0, 0))
    body = bytearray()
    for tag in tags:
        head += struct.pack(">4sIII", tag, 0, 12 + 16 * len(tags) + len(body), len(tables[tag]))
        body += tables[tag] + b"\0" * (-len(tables[tag]) % 4)
    with open(path, "wb") as out:
        out.write(bytes(head + body))


def fonts_in(pdf):
    return sorted(f["name"].split("+", 1)[-1] for f in pdfcheck.pdffonts(pdf) if f["emb"] == "yes")


def page_pixels(pdf):
    """The first page at 80 dpi in gray: its size and pixels."""
    img = pdfcheck.render(pdf, 1, dpi=80, gray=True)
    return img.width, img.height, img.data


def test_same_family(tmp):
    """An office's 仿宋_GB2312.ttf that is really AR PL SungtiL GB, first in
    仿宋, while 宋体 draws with the Debian file itself: two files of one
    PostScript name in one document."""
    own = os.path.join(tmp, "FangSong_GB2312.ttf")
    shutil.copy(SONG, own)
    copy_map, song_map = os.path.join(tmp, "copy.xml"), os.path.join(tmp, "song.xml")
    write_map(copy_map, first={"仿宋": [font(own)]})
    write_map(song_map, first={"仿宋": [font(SONG)]})
    rc, _, err = gen("check", RECORD, "--fonts", copy_map)
    check(rc == 0 and err == "", f"check: the copy is usable ({rc}, {err.strip()[:300]})")
    a, b = os.path.join(tmp, "copy.pdf"), os.path.join(tmp, "song.pdf")
    rc, _, err = gen("render", RECORD, "--fonts", copy_map, "-o", a)
    check(rc == 0 and err == "", f"render with the copy first in 仿宋: exit 0 ({rc}, {err.strip()[:300]})")
    rc, _, err = gen("render", RECORD, "--fonts", song_map, "-o", b)
    check(rc == 0, f"render with the Debian file first in 仿宋 ({rc}, {err.strip()[:300]})")
    if not (os.path.exists(a) and os.path.exists(b)):
        return
    names = fonts_in(a)
    check(names.count("BousungEG-Light-GB") == 2,
          f"both files are embedded, each a subset of its own: {names}")
    check(fonts_in(b).count("BousungEG-Light-GB") == 1, "one file: one font")
    tags = [f["name"] for f in pdfcheck.pdffonts(a)]
    check(len(set(tags)) == len(tags), f"every embedded font has a name of its own: {tags}")
    text_a, text_b = pdfcheck.pdf_text(a), pdfcheck.pdf_text(b)
    check("各市质量技术监督局" in pdfcheck.nows(text_a) and text_a == text_b,
          "the text reads back as with the Debian file itself")
    check(page_pixels(a) == page_pixels(b),
          "the first page looks as with the Debian file itself (the copy's glyphs drawn)")


def test_collection_faces(tmp):
    """Three faces of one .ttc, one per role, and one file in two roles."""
    faces = os.path.join(tmp, "faces.xml")
    write_map(faces, replace={"宋体": [font(ZENHEI, 1)], "仿宋": [font(ZENHEI, 0)],
                              "黑体": [font(ZENHEI, 2)], "楷体": [font(KAI)],
                              "小标宋": [font(KAI)]})
    out = os.path.join(tmp, "faces.pdf")
    rc, _, err = gen("render", RECORD, "--fonts", faces, "-o", out)
    check(rc == 0, f"a collection's faces in three roles ({rc}, {err.strip()[:300]})")
    if rc == 0:
        names = fonts_in(out)
        check(sum(n.startswith("WenQuanYi") for n in names) >= 2 and names.count("GBZenKai-Medium") == 1,
              f"each face embedded once: {names}")


def broken_files(tmp):
    """Files that cannot be used, each with a word its reason must hold."""
    version, tables = read_sfnt(SONG)
    made = {}
    half = os.path.join(tmp, "half.ttf")
    with open(SONG, "rb") as f, open(half, "wb") as out:
        out.write(f.read()[:1000000])
    made["truncated"] = (font(half), "cut short")
    junk = os.path.join(tmp, "junk.ttf")
    with open(junk, "wb") as out:
        out.write(b"<html>this is a web page saved as .ttf</html>\n" * 40)
    made["not a font"] = (font(junk), "not a TrueType or OpenType font")
    cff = os.path.join(tmp, "cff.otf")
    otf = {t: d for t, d in tables.items() if t not in (b"glyf", b"loca")}
    otf[b"CFF "] = b"\x01\x00\x04\x01" + b"\0" * 60
    write_sfnt(cff, 0x4F54544F, otf)
    made["CFF"] = (font(cff), "PostScript outlines ('CFF ' table) are damaged")
    made["index"] = (font(ZENHEI, 7), "no index 7")
    no_os2 = os.path.join(tmp, "no-os2.ttf")
    write_sfnt(no_os2, version, {t: d for t, d in tables.items() if t != b"OS/2"})
    made["libharu refuses"] = (font(no_os2), "libharu")
    restricted = os.path.join(tmp, "restricted.ttf")
    os2 = bytearray(tables[b"OS/2"])
    os2[8:10] = struct.pack(">H", 2)  # fsType: restricted licence embedding
    write_sfnt(restricted, version, {**tables, b"OS/2": bytes(os2)})
    made["no embedding"] = (font(restricted), "licence")
    folder = os.path.join(tmp, "folder.ttf")
    os.mkdir(folder)
    made["folder"] = (font(folder), "folder")
    return made


def test_broken_file_falls_back(tmp, name, entry, reason):
    """A broken file first in 仿宋: said with its line by check and fonts,
    the role drawn by the next file; with --strict an environment failure
    before any PDF."""
    path = entry.split('"')[1]
    fonts = os.path.join(tmp, f"map-{name.replace(' ', '-')}.xml")
    line = write_map(fonts, first={"仿宋": [entry]})[("仿宋", 0)]
    said = f"{fonts}:{line}: warning: the font file {path}"
    rc, _, err = gen("check", RECORD, "--fonts", fonts)
    check(rc == 0 and said in err and "cannot be used" in err and reason in err
          and f"仿宋 falls back to {WENKAI}" in err,
          f"{name}: check warns at the map's line, with the reason ({rc}, {err.strip()[:400]})")
    rc, out, err = gen("fonts", "--fonts", fonts)
    lines = out.splitlines()
    at = [i for i, l in enumerate(lines) if l.startswith(f"  (cannot be used) {path}")]
    listed = lines[at[0]:at[0] + 2] if at else []
    check(rc == 0 and said in err and len(at) == 1 and reason in listed[0]
          and listed[1].startswith(f"  -> {WENKAI}"),
          f"{name}: fonts lists it as unusable, with the reason ({rc}, {listed}, {err.strip()[:300]})")
    pdf = os.path.join(tmp, f"{name}.pdf")
    rc, _, err = gen("render", RECORD, "--fonts", fonts, "-o", pdf)
    check(rc == 0 and said in err and os.path.exists(pdf), f"{name}: render falls back ({rc}, {err.strip()[:300]})")
    if os.path.exists(pdf):
        check("LXGWWenKai-Regular" in fonts_in(pdf), f"{name}: 仿宋 drawn by the next file")
        os.unlink(pdf)
    rc, _, err = gen("render", RECORD, "--fonts", fonts, "-o", pdf, "--strict")
    check(rc == 1 and f"{fonts}:{line}: the font file {path}" in err and not os.path.exists(pdf),
          f"{name}: with --strict, exit 1 and no PDF ({rc}, {err.strip()[:300]})")


def test_unreadable(tmp):
    """A file the user may not read."""
    secret = os.path.join(tmp, "secret.ttf")
    shutil.copy(SONG, secret)
    os.chmod(secret, 0)
    fonts = os.path.join(tmp, "secret.xml")
    line = write_map(fonts, first={"仿宋": [font(secret)]})[("仿宋", 0)]
    rc, _, err = gen("check", RECORD, "--fonts", fonts, unprivileged=True)
    check(rc == 0 and f"{fonts}:{line}: warning: the font file {secret} cannot be used: it cannot be read"
          in err and "Permission denied" in err, f"an unreadable file is said so ({rc}, {err.strip()[:300]})")


def test_no_usable_file(tmp, made):
    """A role whose every file is broken: render refuses before any work."""
    fonts = os.path.join(tmp, "none.xml")
    write_map(fonts, replace={"仿宋": [made["truncated"][0], made["CFF"][0]]})
    pdf = os.path.join(tmp, "none.pdf")
    rc, _, err = gen("render", RECORD, "--fonts", fonts, "-o", pdf)
    check(rc == 1 and "no font file of the role 仿宋 can be used" in err and not os.path.exists(pdf),
          f"render: exit 1, no PDF ({rc}, {err.strip()[:300]})")
    rc, _, err = gen("check", RECORD, "--fonts", fonts)
    check(rc == 1 and "仿宋" in err, f"check: exit 1 ({rc})")
    rc, out, err = gen("fonts", "--fonts", fonts)
    check(rc == 1 and out.count("(cannot be used)") == 2 and "仿宋" in err,
          f"fonts lists the role's files, exit 1 ({rc})")


def test_missing(tmp):
    """A path that is not there: listed by fonts; a warning with its line
    when not optional, silence when optional."""
    gone = os.path.join(tmp, "nowhere", "FangSong_GB2312.ttf")
    fonts, quiet = os.path.join(tmp, "missing.xml"), os.path.join(tmp, "optional.xml")
    line = write_map(fonts, first={"仿宋": [font(gone)]})[("仿宋", 0)]
    write_map(quiet, first={"仿宋": [font(gone, optional=True)]})
    rc, out, err = gen("fonts", "--fonts", fonts)
    check(rc == 0 and f"  (not found) {gone}\n" in out, f"fonts marks the missing path ({out[:300]})")
    said = f"{fonts}:{line}: warning: the font file {gone} is not there; 仿宋 falls back to {WENKAI}"
    check(said in err, f"fonts warns of it ({err.strip()[:300]})")
    pdf = os.path.join(tmp, "missing.pdf")
    rc, _, err = gen("render", RECORD, "--fonts", fonts, "-o", pdf)
    check(rc == 0 and said in err and os.path.exists(pdf), f"render warns and falls back ({rc}, {err.strip()[:300]})")
    rc, out, err = gen("fonts", "--fonts", quiet)
    check(rc == 0 and f"  (not found) {gone}  [optional]" in out and err == "",
          f"an optional path: listed, no warning ({err.strip()[:200]})")
    rc, _, err = gen("render", RECORD, "--fonts", quiet, "-o", pdf)
    check(rc == 0 and err == "", f"an optional path: render is silent ({err.strip()[:200]})")
    rc, _, err = gen("check", RECORD, "--fonts", quiet, "--strict")
    check(rc == 0 and err == "", "an optional path: not even --strict minds")


def test_shipped_map():
    """fonts/fonts.xml: the places for an office's fonts are optional."""
    rc, out, err = gen("fonts")
    placeholder = "/usr/share/fonts/truetype/fangsong/FangSong_GB2312.ttf"
    if not os.path.exists(placeholder):
        check(f"  (not found) {placeholder}  [optional]" in out, "fonts lists the absent 仿宋_GB2312")
    check(rc == 0 and err == "", f"the shipped map: no warning ({err.strip()[:200]})")
    rc, _, err = gen("check", RECORD, "--strict")
    check(rc == 0 and err == "", "check --strict with the shipped map is silent")


def test_batch_warns_once(tmp, made):
    fonts = os.path.join(tmp, "batch.xml")
    write_map(fonts, first={"仿宋": [made["not a font"][0]], "宋体": [made["not a font"][0]]})
    rc, _, err = gen("batch", "examples/nominations.xml", "--fonts", fonts, "-o",
                     os.path.join(tmp, "forms"), "-j", "2")
    warnings = [l for l in err.splitlines() if "cannot be used" in l]
    check(rc == 0 and len(warnings) == 2, f"batch: one warning per line of the map, not per form ({warnings})")


with tempfile.TemporaryDirectory() as tmp:
    test_same_family(tmp)
    test_collection_faces(tmp)
    made = broken_files(tmp)
    for name, (entry, reason) in made.items():
        test_broken_file_falls_back(tmp, name, entry, reason)
    test_unreadable(tmp)
    test_no_usable_file(tmp, made)
    test_missing(tmp)
    test_shipped_map()
    test_batch_warns_once(tmp, made)

finish()
