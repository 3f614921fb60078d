#!/usr/bin/env python3
"""make install and make uninstall: the program, its templates, font map and
schemas, and the manual page gen(1) land under PREFIX (and under DESTDIR for
a packager); the installed program, run from another folder, finds its data
beside itself (PREFIX/share/gen) and renders the notice; --templates and
--fonts replace the installed ones; the manual page renders and names every
option the program's help does; uninstall removes what install put there.

Plain script, standard library only; run from anywhere after `make all`.
The last line printed is "N passed, N failed"; the exit status is non-zero
if any check failed.  Nothing is built: the program under test is installed
as it is (GEN, when it names a built gen such as build/asan/bin/gen, else
bin/gen)."""

import os
import re
import shutil
import tempfile
from harness import EXAMPLES, GEN, ROOT, check, finish, guarded, run
from pdfcheck import page_count, pdf_text

# GEN: the program under test (make test-sanitize and test-valgrind set it);
# a wrapper script (tests/valgrind-gen) runs bin/gen, which is installed then.
BIN_DIR = os.path.dirname(os.path.abspath(GEN)) if os.path.basename(GEN) == "gen" \
    else os.path.join(ROOT, "bin")
RECORD = os.path.join(EXAMPLES, "notice.xml")
MARK = "模板覆盖已生效"  # drawn by the edited copy of the notice template


def make(target, *variables):
    """make TARGET VAR=VALUE..., installing the program under test as built:
    BIN (and its BUILD) point at it and -o keeps make from rebuilding it."""
    rel = os.path.relpath(BIN_DIR, ROOT)
    build = os.path.dirname(rel) if rel not in ("bin", ".") else "build"
    return run(["make", "--no-print-directory", "-C", ROOT, f"BIN={rel}", f"BUILD={build}",
                "-o", f"{rel}/gen", target, *variables])


def data_files():
    """What install puts under PREFIX, from the project's own tree."""
    files = ["bin/gen", "bin/gen-desk", "share/man/man1/gen.1", "share/gen/fonts/fonts.xml"]
    for folder, ext in (("templates", ".xml"), ("schemas", ".rng")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(ext):
                files.append(f"share/gen/{folder}/{name}")
    # the message catalogues, one for each po/LANG.po
    for name in sorted(os.listdir(os.path.join(ROOT, "po"))):
        if name.endswith(".po"):
            files.append(f"share/locale/{name[:-3]}/LC_MESSAGES/gen.mo")
    return files


def test_install(tmp):
    prefix = os.path.join(tmp, "prefix")
    rc, out, err = make("install", f"PREFIX={prefix}")
    check(rc == 0, f"make install PREFIX=... exits 0 (got {rc}: {err.strip()[-300:]})")
    files = data_files()
    missing = [f for f in files if not os.path.isfile(os.path.join(prefix, f))]
    check(not missing, f"installed: {len(files)} files (missing: {missing})")
    gen = os.path.join(prefix, "bin", "gen")
    check(os.access(gen, os.X_OK), "PREFIX/bin/gen is executable")
    check(os.access(gen + "-desk", os.X_OK), "PREFIX/bin/gen-desk (the desk, gen serve) is executable")
    modes = {f: os.stat(os.path.join(prefix, f)).st_mode & 0o777 for f in files[2:]
             if os.path.exists(os.path.join(prefix, f))}
    check(all(m == 0o644 for m in modes.values()), f"data and man page are 0644: {modes}")
    if missing or rc != 0:
        return prefix

    # From /, with absolute paths: the data is found beside the program.
    pdf = os.path.join(tmp, "notice.pdf")
    rc, _, err = run([gen, "render", RECORD, "-o", pdf], cwd="/")
    check(rc == 0 and page_count(pdf) >= 1,
          f"installed gen renders examples/notice.xml from / (exit {rc}: {err.strip()[-300:]})")
    check(rc == 0 and "浙江省质量技术监督局" in pdf_text(pdf), "the rendered notice has its text")
    rc, out, err = run([gen, "serve", "--help"], cwd="/")
    check(rc == 0 and "--add-user" in out, f"installed gen serve runs the installed gen-desk (exit {rc}: {err.strip()[-300:]})")
    rc, _, err = run([gen, "render", "-t", "no-such-template", RECORD, "-o", pdf + ".x"], cwd="/")
    installed_templates = os.path.join(prefix, "share", "gen", "templates")
    check(rc == 2 and installed_templates in err,
          f"templates are looked up in PREFIX/share/gen/templates (exit {rc}: {err.strip()})")
    rc, out, _ = run([gen, "--help"], cwd="/")
    check(rc == 0 and "usage: gen" in out, "installed gen --help")
    # its Chinese messages come from PREFIX/share/locale
    zh = dict(os.environ, LC_ALL="", LANG="zh_CN.UTF-8", LANGUAGE="zh_CN")
    rc, out, _ = run([gen, "--help"], cwd="/", env=zh)
    check(rc == 0 and "用法" in out and "usage: gen" not in out,
          "installed gen --help in zh_CN.UTF-8 is in Chinese (PREFIX/share/locale)", out[:200])

    # --templates: a copy of the folder with an edited notice.xml.
    own = os.path.join(tmp, "own-templates")
    shutil.copytree(installed_templates, own)
    path = os.path.join(own, "notice.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    edited = re.sub(r"(<flow\b[^>]*>)", r"\1<para>" + MARK + "</para>", text, count=1)
    check(edited != text, "the notice template has a <flow> to add a line to")
    with open(path, "w", encoding="utf-8") as f:
        f.write(edited)
    own_pdf = os.path.join(tmp, "own.pdf")
    rc, _, err = run([gen, "render", RECORD, "-o", own_pdf, "--templates", own], cwd="/")
    check(rc == 0 and MARK in pdf_text(own_pdf),
          f"--templates DIR: the edited notice.xml is used (exit {rc}: {err.strip()[-300:]})")
    check(MARK not in pdf_text(pdf), "without --templates the installed notice.xml is used")

    # The installed font map is the one read; --fonts replaces it.
    fonts = os.path.join(prefix, "share", "gen", "fonts", "fonts.xml")
    shutil.copy(fonts, os.path.join(tmp, "fonts.xml"))
    with open(fonts, "w", encoding="utf-8") as f:
        f.write('<fonts><role name="仿宋"><font file="/nonexistent/x.ttf"/></role></fonts>\n')
    rc, _, err = run([gen, "render", RECORD, "-o", pdf + ".y"], cwd="/")
    check(rc == 1 and fonts in err and not os.path.exists(pdf + ".y"),
          f"fonts come from PREFIX/share/gen/fonts/fonts.xml (exit {rc}: {err.strip()})")
    fonts_pdf = os.path.join(tmp, "fonts.pdf")
    rc, _, err = run([gen, "render", RECORD, "-o", fonts_pdf,
                      "--fonts", os.path.join(tmp, "fonts.xml")], cwd="/")
    check(rc == 0 and page_count(fonts_pdf) >= 1,
          f"--fonts FILE replaces the installed map (exit {rc}: {err.strip()[-300:]})")
    shutil.copy(os.path.join(tmp, "fonts.xml"), fonts)

    # The installed manual page.
    page = os.path.join(prefix, "share", "man", "man1", "gen.1")
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    if shutil.which("man"):
        rc, out, err = run(["man", "-l", page], env=env)
        how = "man -l"
    else:
        rc, out, err = run(["groff", "-man", "-Tutf8", page])
        how = "groff -man"
    plain = re.sub(r".\x08", "", out)
    check(rc == 0 and re.search(r"^NAME\n\s+gen - ", plain, re.M),
          f"{how} of the installed gen.1 shows the NAME section (exit {rc}: {err.strip()})")
    return prefix


def test_manual():
    """man/gen.1: no groff warnings, every command and every option the help
    names (as `gen --help` and `gen COMMAND --help` print them)."""
    page = os.path.join(ROOT, "man", "gen.1")
    if check(shutil.which("groff"), "groff is installed (groff-base, which make deps installs)"):
        rc, _, err = run(["groff", "-man", "-Tutf8", "-ww", page])
        check(rc == 0 and err == "", f"groff -man -ww: no warnings ({err.strip()})")
    with open(page, encoding="ascii") as f:
        source = f.read()
    check(".SH NAME" in source, "gen.1 has a NAME section")
    text = source.replace("\\-", "-").replace("\\%", "").replace("\\~", " ")
    helps = [run([GEN, "--help"])[1]]
    commands = ["render", "batch", "check", "fonts", "import", "campaign", "new", "fields"]
    helps += [run([GEN, c, "--help"])[1] for c in commands]
    options = set()
    usage = re.compile(r"(usage: )?(gen )?(%s)\b|[-\[]" % "|".join(commands))
    for h in helps:
        for line in h.splitlines():
            # option lines, usage lines and their continuations, not prose
            # (Slurm's --array in an example of --shard)
            if usage.match(line.strip()):
                options.update(re.findall(r"(?:^|[\s\[|,])(--?[a-zA-Z][\w-]*)", line))
    check(len(options) >= 15, f"the help names the options ({sorted(options)})")
    absent = sorted(o for o in options if not re.search(re.escape(o) + r"(?![\w-])", text))
    check(not absent, f"gen.1 documents every option of the help (absent: {absent})")
    for c in commands + ["import csv", "SOURCE_DATE_EPOCH", "fonts.xml", "schemas",
                         "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"]:
        check(c in text, f"gen.1 mentions {c}")


def test_uninstall(prefix):
    own = os.path.join(prefix, "share", "gen", "templates", "office-own.xml")
    with open(own, "w") as f:
        f.write("<template/>\n")
    rc, _, err = make("uninstall", f"PREFIX={prefix}")
    check(rc == 0, f"make uninstall PREFIX=... exits 0 (got {rc}: {err.strip()[-300:]})")
    left = [f for f in data_files() if os.path.lexists(os.path.join(prefix, f))]
    check(not left, f"uninstall removes every installed file (left: {left})")
    check(os.path.exists(own), "uninstall keeps a template the office added")


def test_destdir(tmp):
    stage = os.path.join(tmp, "stage")
    before = os.path.exists("/usr/local/share/gen")
    rc, _, err = make("install", f"DESTDIR={stage}", "PREFIX=/usr/local")
    check(rc == 0, f"make install DESTDIR=... PREFIX=/usr/local exits 0 ({err.strip()[-300:]})")
    root = os.path.join(stage, "usr", "local")
    missing = [f for f in data_files() if not os.path.isfile(os.path.join(root, f))]
    check(not missing, f"DESTDIR: installed under DESTDIR/usr/local (missing: {missing})")
    check(os.path.exists("/usr/local/share/gen") == before, "DESTDIR: nothing written to /usr/local")
    pdf = os.path.join(tmp, "staged.pdf")
    rc, _, err = run([os.path.join(root, "bin", "gen"), "render", RECORD, "-o", pdf], cwd="/")
    check(rc == 0 and page_count(pdf) >= 1, f"the staged gen renders the notice ({err.strip()[-300:]})")
    rc, _, err = make("uninstall", f"DESTDIR={stage}", "PREFIX=/usr/local")
    check(rc == 0 and not os.path.exists(os.path.join(root, "share", "gen"))
          and not os.path.exists(os.path.join(root, "bin", "gen")),
          f"make uninstall with DESTDIR removes the files and share/gen ({err.strip()[-300:]})")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for name, test in (("install", lambda: test_uninstall(test_install(tmp))),
                           ("manual", test_manual),
                           ("destdir", lambda: test_destdir(tmp))):
            guarded(name, test)
    finish()


if __name__ == "__main__":
    main()
