"""Nothing silently wrong (issue 12): what used to give a wrong result with
exit status 0 is refused with exit status 2, a message naming the file, the
line and the thing, and no output written (the inputs untouched).

Every file a test could damage is a copy in a temporary folder, or a link
to the project's file that a wrongly written PDF would replace (the PDF is
renamed into place, which replaces a link, not what it points to)."""
import os
import shutil
import tempfile
from harness import EXAMPLES, ROOT, check, finish, gen, record_root, templates_for, write_png

FONT = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"


def snapshot(folder):
    """Every file under folder and its bytes (links as their target's)."""
    files = {}
    for top, _, names in os.walk(folder):
        for n in names:
            path = os.path.join(top, n)
            files[os.path.relpath(path, folder)] = open(path, "rb").read() if os.path.exists(path) else None
    return files


def refused(rc, err, what, *needles):
    """Exit status 2 and every needle in the message err."""
    missing = [n for n in needles if n not in err]
    return check(rc == 2 and not missing,
                 f"{what}: exit 2 naming {missing}: {rc} {err!r}")


def same_files(before, folder, what):
    after = snapshot(folder)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    check(not changed, f"{what}: nothing written or changed ({changed})")


def copy(name, tmp, as_name=None):
    dest = os.path.join(tmp, as_name or name)
    shutil.copyfile(os.path.join(EXAMPLES, name), dest)
    return dest


def output_is_input(tmp):
    """1. An output that is an input, however it is written, is refused
    before any work."""
    copy("notice.xml", tmp, "copy.xml")
    os.symlink("copy.xml", os.path.join(tmp, "link.xml"))
    os.link(os.path.join(tmp, "copy.xml"), os.path.join(tmp, "hard.xml"))
    for out in ("copy.xml", "./copy.xml", "link.xml", "hard.xml", "../" + os.path.basename(tmp) + "/copy.xml"):
        before = snapshot(tmp)
        rc, _, err = gen("render", "copy.xml", "-o", out, cwd=tmp)
        refused(rc, err, f"render copy.xml -o {out}", f"{out}: ", "the record copy.xml", "-o")
        same_files(before, tmp, f"-o {out}")

    # the template, its schema, the record's schema, the font map: through
    # links in the temporary folder, so that a failure cannot harm them
    for target, name, said in ((os.path.join(ROOT, "templates", "notice.xml"), "t.xml", "the template"),
                               (os.path.join(ROOT, "schemas", "notice.rng"), "s.rng", "the record's schema"),
                               (os.path.join(ROOT, "schemas", "template.rng"), "ts.rng", "the templates' schema"),
                               (os.path.join(ROOT, "fonts", "fonts.xml"), "f.xml", "the font map")):
        os.symlink(target, os.path.join(tmp, name))
        before = snapshot(tmp)
        rc, _, err = gen("render", "copy.xml", "-o", name, cwd=tmp)
        refused(rc, err, f"-o a link to {said}", f"{name}: ", said, target)
        same_files(before, tmp, f"-o a link to {said}")
        check(os.path.islink(os.path.join(tmp, name)), f"the link to {said} is still there")

    # a font the map names, installed (a link to one) or not yet
    fonts = os.path.join(tmp, "fonts")
    os.mkdir(fonts)
    os.symlink(FONT, os.path.join(fonts, "installed.ttf"))
    with open(os.path.join(fonts, "map.xml"), "w", encoding="utf-8") as f:
        f.write(open(os.path.join(ROOT, "fonts", "fonts.xml"), encoding="utf-8").read()
                .replace('<role name="仿宋">', '<role name="仿宋"><font file="installed.ttf"/>'
                         '<font file="not-yet.ttf"/>'))
    for font in ("installed.ttf", "not-yet.ttf"):
        before = snapshot(tmp)
        rc, _, err = gen("render", "copy.xml", "--fonts", "fonts/map.xml", "-o", "fonts/" + font, cwd=tmp)
        refused(rc, err, f"-o a font of the map ({font})", "the font map's font file", font)
        same_files(before, tmp, f"-o the font {font}")

    # the seal: known once the template stage has read the record
    copy("notice-sealed.xml", tmp)
    copy("seal.png", tmp)
    before = snapshot(tmp)
    rc, _, err = gen("render", "notice-sealed.xml", "-o", "seal.png", cwd=tmp)
    refused(rc, err, "-o the seal", "seal.png: ", "the record's seal image")
    same_files(before, tmp, "-o the seal")

    # a bundle's attachment
    copy("selfcheck.xml", tmp)
    before = snapshot(tmp)
    rc, _, err = gen("render", "--bundle", "copy.xml", "selfcheck.xml", "-o", "./selfcheck.xml", cwd=tmp)
    refused(rc, err, "--bundle -o an attachment", "./selfcheck.xml: ", "the record selfcheck.xml")
    same_files(before, tmp, "--bundle -o an attachment")

    # batch: a file name of the output folder that is an input; no file
    # of the batch is written, not even those before it
    copy("nominations.xml", tmp, "form-3.pdf")
    before = snapshot(tmp)
    rc, _, err = gen("batch", "-t", "nomination-form", "form-3.pdf", "-o", ".",
                     "--name", "concat('form-', position())", cwd=tmp)
    refused(rc, err, "batch naming a file as its record", "./form-3.pdf: ", "the record form-3.pdf", "--name")
    same_files(before, tmp, "batch over its record")

    # and what is not an input is written as before
    rc, _, err = gen("render", "copy.xml", "-o", "copy.pdf", cwd=tmp)
    check(rc == 0 and os.path.getsize(os.path.join(tmp, "copy.pdf")) > 1000,
          f"render to another file works: {err}")


def write_seal_png(path, interlaced=False):
    """A red disc on transparency, 96 pixels across, 8-bit RGBA; Adam7
    interlaced if asked."""
    size = 96
    pixel = lambda x, y: bytes([220, 10, 10, 255 if (x - 48) ** 2 + (y - 48) ** 2 < 44 ** 2 else 0])
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)) \
        if interlaced else ((0, 0, 1, 1),)
    scanlines = [b"".join(pixel(x, y) for x in range(x0, size, dx))
                 for x0, y0, dx, dy in passes for y in range(y0, size, dy)]
    write_png(path, size, size, 8, 6, scanlines, interlaced=interlaced)


def broken_seals(tmp):
    """5. A seal the record names that is missing or not a whole PNG is the
    record's fault: exit 2 with the record's line, from render and check
    alike (a damaged PNG made libpng abort the process under libharu, an
    interlaced one made libharu free memory twice)."""
    src = open(os.path.join(EXAMPLES, "notice-sealed.xml"), encoding="utf-8").read()
    line = src[:src.index("<seal>")].count("\n") + 1
    good = open(os.path.join(EXAMPLES, "seal.png"), "rb").read()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 0xFF  # inside the compressed data
    seals = {"missing.png": (None, "not found"),
             "junk.png": (b"GIF89a not a png", "not a PNG image"),
             "empty.png": (b"", "not a PNG image"),
             "cut.png": (good[:len(good) // 2], "a damaged PNG image"),
             "header-only.png": (good[:40], "a damaged PNG image"),
             "flipped.png": (bytes(damaged), "a damaged PNG image"),
             "interlaced.png": ("interlaced", "an interlaced PNG"),
             "folder.png": ("folder", "not a file")}
    for name, (content, said) in seals.items():
        path = os.path.join(tmp, name)
        if content == "interlaced":
            write_seal_png(path, interlaced=True)
        elif content == "folder":
            os.mkdir(path)
        elif content is not None:
            open(path, "wb").write(content)
        record = os.path.join(tmp, "sealed-" + name + ".xml")
        open(record, "w", encoding="utf-8").write(src.replace("<seal>seal.png</seal>", f"<seal>{name}</seal>"))
        before = snapshot(tmp)
        rc, _, err = gen("render", record, "-o", os.path.join(tmp, "out.pdf"), cwd=tmp)
        refused(rc, err, f"render with the seal {name}", f"{record}:{line}: ", f'the seal "{name}"', said)
        check(rc != 2 or "cannot use this seal" not in err, f"{name}: said once, by the record")
        same_files(before, tmp, f"the seal {name}")
        rc, _, err = gen("check", record, cwd=tmp)
        refused(rc, err, f"check with the seal {name}", f"{record}:{line}: ", f'the seal "{name}"', said)
    # a whole PNG of another form than the example's is drawn
    write_seal_png(os.path.join(tmp, "plain.png"))
    record = os.path.join(tmp, "sealed-plain.xml")
    open(record, "w", encoding="utf-8").write(src.replace("<seal>seal.png</seal>", "<seal>plain.png</seal>"))
    rc, _, err = gen("render", record, "-o", os.path.join(tmp, "plain.pdf"), cwd=tmp)
    check(rc == 0 and os.path.exists(os.path.join(tmp, "plain.pdf")),
          f"a whole non-interlaced seal is drawn: {rc} {err}")


def line_of(path, text):
    """The line of the end of the start tag holding text (libxml2 gives an
    element that line)."""
    src = open(path, encoding="utf-8").read()
    return src[:src.index(">", src.index(text))].count("\n") + 1


def unknown_roles(tmp):
    """2. A font role the font map lacks is the template's error, found
    before any layout by render, check -t, batch and bundles alike, once
    for each place that names it (it drew every character as 〓)."""
    templates = os.path.join(tmp, "templates")
    shutil.copytree(os.path.join(ROOT, "templates"), templates)
    form = os.path.join(templates, "nomination-form.xml")
    src = open(form, encoding="utf-8").read()
    src = src.replace('<style name="body" role="仿宋"', '<style name="body" role="仿宋体"')
    src = src.replace('strong="黑体"', 'strong="粗体"')
    open(form, "w", encoding="utf-8").write(src)
    body, strong = line_of(form, 'role="仿宋体"'), line_of(form, 'strong="粗体"')
    fonts = os.path.join(ROOT, "fonts", "fonts.xml")
    record = os.path.join(EXAMPLES, "nominations.xml")
    runs = {"render": ["render", "--templates", templates, record, "-o", os.path.join(tmp, "out", "x.pdf")],
            "check -t": ["check", "--templates", templates, "-t", "nomination-form", record],
            "check": ["check", "--templates", templates, record],
            "batch": ["batch", "--templates", templates, record, "-o", os.path.join(tmp, "out", "forms")],
            "bundle": ["render", "--templates", templates, "--bundle", os.path.join(EXAMPLES, "notice.xml"),
                       os.path.join(EXAMPLES, "selfcheck.xml"), record, "-o", os.path.join(tmp, "out", "b.pdf")]}
    os.mkdir(os.path.join(tmp, "out"))
    for what, args in runs.items():
        rc, _, err = gen(*args, cwd=tmp)
        refused(rc, err, f"{what} with an unknown role",
                f"{form}:{body}: the font role \"仿宋体\" is not in the font map {fonts}",
                f"{form}:{strong}: the font role \"粗体\"", "(its roles: 宋体, 仿宋, 黑体, 楷体, 小标宋)")
        check(err.count("仿宋体") == 1 and err.count("粗体") == 1 and "〓" not in err,
              f"{what}: said once for each place, no 〓: {err!r}")
        check(os.listdir(os.path.join(tmp, "out")) == [], f"{what}: nothing written")
    # an included template's role: once, though check lays the record out
    # through the report (which includes the summary) and the summary
    summary = os.path.join(templates, "selfcheck-summary.xml")
    text = open(summary, encoding="utf-8").read()
    open(summary, "w", encoding="utf-8").write(text.replace('role="黑体"', 'role="黑体字"', 1))
    where = line_of(summary, 'role="黑体字"')
    rc, _, err = gen("check", "--templates", templates, os.path.join(EXAMPLES, "selfcheck.xml"), cwd=tmp)
    refused(rc, err, "check of an included template's role", f"{summary}:{where}: ", '"黑体字"')
    check(err.count("黑体字") == 1, f"said once though two templates lay it out: {err!r}")


def node_lines(path, tag):
    src = open(path, encoding="utf-8").read()
    return [src[:i].count("\n") + 1 for i in range(len(src)) if src.startswith(f"<{tag}>", i)]


def unnamed_files(tmp):
    """4. A --name that names no node, or only some, is refused before any
    file is written: every file of a batch is named or none is written."""
    record = copy("nominations.xml", tmp)
    lines = node_lines(record, "nomination")
    out = os.path.join(tmp, "forms")
    rc, _, err = gen("batch", "-t", "nomination-form", record, "--each", "//nomination", "-o", out,
                     "--name", "推荐企业", cwd=tmp)
    refused(rc, err, "--name selecting nothing", f"{record}:{lines[0]}: ", '--name "推荐企业"', "none of the 4 nodes",
            "e.g. --name enterprise")
    check(err.count("\n") == 1, f"said once, not once a node: {err!r}")
    check(not os.path.exists(out), "no folder, no file")
    # some nodes only: each of the others with its line
    some = "enterprise[not(starts-with(., '金华')) and not(starts-with(., '舟山'))]"
    rc, _, err = gen("batch", "-t", "nomination-form", record, "-o", out, "--name", some, "-j", "2", cwd=tmp)
    src = open(record, encoding="utf-8").read()
    skipped = [i for i, n in enumerate(src.split("<nomination>")[1:]) if "<enterprise>金华" in n or "<enterprise>舟山" in n]
    check(len(skipped) == 2, f"the example has the two nodes the test leaves unnamed ({skipped})")
    refused(rc, err, "--name naming some nodes",
            *(f"{record}:{lines[i]}: --name \"{some}\" gives node {i + 1} no file name" for i in skipped))
    check(err.count("no file name") == 2, f"only those nodes: {err!r}")
    check(not os.path.exists(out), "nothing written for the nodes that were named either")
    for shard in ("0/2", "1/2"):  # names are decided over all the nodes, so every shard refuses
        rc, _, err = gen("batch", "-t", "nomination-form", record, "-o", out, "--name", some, "--shard", shard,
                         cwd=tmp)
        check(rc == 2 and not os.path.exists(out), f"--shard {shard} refuses too: {rc}")
    rc, _, err = gen("batch", "-t", "nomination-form", record, "-o", out, "--name", "enterprise", cwd=tmp)
    check(rc == 0 and len(os.listdir(out)) == 4, f"--name enterprise names all four: {err}")


def edit(path, old, new):
    text = open(path, encoding="utf-8").read()
    check(old in text, f"{path} holds {old}")
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def xpath_typos(tmp):
    """3. An expression that finds nothing in any node and names what the
    record's schema does not define is a typo: a warning with the
    template's line from check (and render), an error with --strict; a
    record's missing optional field is not one."""
    templates = os.path.join(tmp, "templates")
    shutil.copytree(os.path.join(ROOT, "templates"), templates)
    form, notice, summary = (os.path.join(templates, n + ".xml")
                             for n in ("nomination-form", "notice", "selfcheck-summary"))
    edit(form, '<value of="postcode"/>', '<value of="postcod"/>')
    edit(form, 'of="../@year"', 'of="../@yeer"')
    edit(notice, '<if test="seal">', '<if test="sael">')
    edit(summary, '<row each="enterprises/enterprise">', '<row each="enterprises/enterprize">')
    cases = (
        (form, "nominations.xml", 'of="postcod"', 'of="postcod" selects nothing in {rec}: <nominations> records '
         'have no element "postcod" (did you mean "postcode"?)'),
        (form, "nominations.xml", 'of="../@yeer"', 'of="../@yeer" selects nothing in {rec}: <nominations> '
         'records have no attribute "yeer" (did you mean "@year"?)'),
        (notice, "notice-sealed.xml", 'test="sael"', 'test="sael" selects nothing in {rec}: <notice> records '
         'have no element "sael" (did you mean "seal"?)'),
        (summary, "selfcheck.xml", 'each="enterprises/enterprize"', 'each="enterprises/enterprize" selects '
         'nothing in {rec}: <self-check> records have no element "enterprize" (did you mean "enterprise"?)'))
    for template, name, attr, said in cases:
        rec = os.path.join(EXAMPLES, name)
        where = f"{template}:{line_of(template, attr)}: warning: " + said.format(rec=rec)
        t = os.path.basename(template)[:-4]
        rc, _, err = gen("check", "--templates", templates, "-t", t, rec, cwd=tmp)
        check(rc == 0 and where in err, f"check -t {t} warns of {attr}: {rc} {err!r}")
        rc, _, err = gen("check", "--strict", "--templates", templates, "-t", t, rec, cwd=tmp)
        check(rc == 2 and where.replace("warning: ", "") in err,
              f"check --strict -t {t}: {attr} is an error: {rc} {err!r}")
    out = os.path.join(tmp, "form.pdf")
    rc, _, err = gen("render", "--templates", templates, os.path.join(EXAMPLES, "nominations.xml"), "-o", out,
                     cwd=tmp)
    check(rc == 0 and 'of="postcod" selects nothing' in err and os.path.exists(out),
          f"render warns too, and writes: {rc} {err!r}")
    os.remove(out)
    rc, _, err = gen("render", "--strict", "--templates", templates, os.path.join(EXAMPLES, "nominations.xml"),
                     "-o", out, cwd=tmp)
    check(rc == 2 and not os.path.exists(out), f"render --strict refuses: {rc} {err!r}")

    # no false alarm: every example through every template for it, the
    # notice without a seal among them (the template asks test="seal")
    for name in sorted(os.listdir(EXAMPLES)):
        if not name.endswith(".xml"):
            continue
        rec = os.path.join(EXAMPLES, name)
        for t in templates_for(record_root(rec)):
            rc, _, err = gen("check", "--strict", "-t", t, rec, cwd=tmp)
            check(rc == 0 and err == "", f"check --strict -t {t} {name}: nothing to say: {err!r}")


with tempfile.TemporaryDirectory() as tmp:
    output_is_input(tmp)
with tempfile.TemporaryDirectory() as tmp:
    xpath_typos(tmp)
with tempfile.TemporaryDirectory() as tmp:
    unnamed_files(tmp)
with tempfile.TemporaryDirectory() as tmp:
    unknown_roles(tmp)
with tempfile.TemporaryDirectory() as tmp:
    broken_seals(tmp)

finish()
