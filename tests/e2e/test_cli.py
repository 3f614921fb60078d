"""The command line: help, version, exit statuses, messages, default paths."""
import os
import shutil
import subprocess
import tempfile
from harness import GEN, ROOT, check, finish, gen, make_records


rc, out, _ = gen("--help")
check(rc == 0 and "render" in out and "check" in out and "fonts" in out, "gen --help lists the commands")
for cmd in ("render", "check", "fonts"):
    rc, out, _ = gen(cmd, "--help")
    check(rc == 0 and out.startswith("usage: gen " + cmd), f"gen {cmd} --help")
rc, out, _ = gen("--version")
check(rc == 0 and out.startswith("gen "), "gen --version")
rc, _, err = gen("frobnicate")
check(rc == 2 and "unknown command" in err, "an unknown command is bad input")
rc, _, err = gen("render")
check(rc == 2 and "which record" in err, "render without a record")
rc, _, err = gen("render", "examples/notice.xml", "--bogus")
check(rc == 2 and "--bogus" in err, "an unknown option is named")

with tempfile.TemporaryDirectory() as tmp:
    # Without -o the PDF goes beside the record.
    rec = os.path.join(tmp, "notice.xml")
    shutil.copy(os.path.join(ROOT, "examples", "notice.xml"), rec)
    rc, _, _ = gen("render", rec)
    check(rc == 0 and os.path.exists(os.path.join(tmp, "notice.pdf")), "default output beside the record")
    mode = os.stat(os.path.join(tmp, "notice.pdf")).st_mode & 0o777
    check(mode & 0o044 == 0o044, f"the PDF is readable by others (mode {mode:o})")
    check([f for f in os.listdir(tmp) if ".tmp-" in f] == [], "no temporary file left behind")

    # A directory given as the record.
    rc, _, err = gen("render", tmp)
    check(rc == 2 and "directory" in err, "a directory is not a record")
    # A record no template lays out.
    other = os.path.join(tmp, "x.xml")
    with open(other, "w") as f:
        f.write("<?xml version='1.0'?>\n<unknown-thing/>\n")
    rc, _, err = gen("render", other, "-o", os.path.join(tmp, "x.pdf"))
    check(rc == 2 and "no template" in err and not os.path.exists(os.path.join(tmp, "x.pdf")),
          "no template for the root element: exit 2, no PDF")
    # The wrong template for the record.
    rc, _, err = gen("render", "-t", "notice", other, "-o", os.path.join(tmp, "x.pdf"))
    check(rc == 2 and "unknown-thing" in err, "a template for other records is refused")
    # A font map whose role has no installed file: an environment failure.
    fonts = os.path.join(tmp, "fonts.xml")
    with open(fonts, "w") as f:
        f.write('<fonts><role name="仿宋"><font file="/nonexistent.ttf"/></role></fonts>\n')
    out_pdf = os.path.join(tmp, "y.pdf")
    rc, _, err = gen("render", "--fonts", fonts, rec, "-o", out_pdf)
    check(rc == 1 and "仿宋" in err and not os.path.exists(out_pdf), "missing font files: exit 1, no PDF")
    # A folder that is not there: the user's typo, exit 2, the folder named.
    rc, _, err = gen("render", rec, "-o", "/nonexistent-dir/z.pdf")
    check(rc == 2 and "the folder /nonexistent-dir does not exist" in err,
          f"an output folder that does not exist: exit 2, named ({rc} {err!r})")
    # The disk fills up while writing: exit 1, the reason named, nothing left behind.
    import resource, signal

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100000, 100000))

    full = os.path.join(tmp, "full")
    os.mkdir(full)
    p = subprocess.run([GEN, "render", rec, "-o", os.path.join(full, "n.pdf")], capture_output=True,
                       text=True, cwd=ROOT, preexec_fn=small_disk)
    check(p.returncode == 1 and "File too large" in p.stderr and os.listdir(full) == [],
          f"a write that fails midway: exit 1, reason named, no file left ({p.returncode}, {p.stderr!r})")
    # Killed (SIGKILL) in the middle: the old file stays whole, nothing else appears.
    import signal as sig
    import time as clock
    big = make_records(os.path.join(tmp, "big.xml"), "selfcheck", "--enterprises", "3000")
    killed = os.path.join(tmp, "killed")
    os.mkdir(killed)
    target = os.path.join(killed, "summary.pdf")
    open(target, "wb").write(b"%PDF-1.3 the old file\n")
    clean = True
    for delay in (0.1, 0.3, 0.6, 0.9, 1.2):
        p = subprocess.Popen([GEN, "render", "-t", "selfcheck-summary", big, "-o", target],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        clock.sleep(delay)
        p.send_signal(sig.SIGKILL)
        p.wait()
        names = os.listdir(killed)
        data = open(target, "rb").read()
        whole = data == b"%PDF-1.3 the old file\n" or data.rstrip().endswith(b"%%EOF")
        clean = clean and names == ["summary.pdf"] and whole
    check(clean, f"killed while writing: the old file or the whole new one, nothing else ({os.listdir(killed)})")
    # check and fonts
    rc, out, err = gen("check", "examples/notice.xml")
    check(rc == 0 and err.strip() == "", "check on a good record is silent")
    rc, out, _ = gen("fonts", "examples/notice.xml")
    check(rc == 0 and "仿宋" in out and "every character is covered" in out, "fonts lists roles and coverage")

finish()
