"""Messages in the user's language (issue 16): GNU gettext with the zh_CN
catalogue of po/, the language following the locale as Unix programs do.

Each case runs the program twice on the same bad input: in the C locale,
and with LANGUAGE=zh_CN in the zh_CN.UTF-8 locale.  The English line is
the message format of the source filled with what the case knows (the
file, the line, the value); the Chinese line is the same format's
translation, read from po/zh_CN.po and filled the same way.  So each
message is checked whole, at its line, in both languages, and a message
the program prints untranslated (or a translation the catalogue lacks)
fails.  Then: the catalogue holds every message of the sources, all
translated; the other ways a locale is chosen (LANG alone, LC_ALL,
LC_MESSAGES=C) do what they do for every Unix program; the exit status
and what is written do not depend on the language."""
import os
import re
import subprocess
import tempfile

from harness import EXAMPLES, ROOT, check, finish, gen, guarded, write_text

PO = os.path.join(ROOT, "po", "zh_CN.po")
C = dict(os.environ, LC_ALL="C.UTF-8")
C.pop("LANGUAGE", None)
ZH = dict(os.environ, LC_ALL="zh_CN.UTF-8", LANGUAGE="zh_CN")


# ------------------------------------------------------------ the catalogue

def po_unquote(s):
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def read_po(path):
    """{msgid: (msgstr, fuzzy)} of a .po file (no plurals: gen has none)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        blocks = f.read().strip().split("\n\n")
    for block in blocks:
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in block.split("\n"))
        parts, cur = {"msgid": "", "msgstr": ""}, None
        for line in block.split("\n"):
            m = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if m:
                cur = m.group(1)
                parts[cur] += po_unquote(m.group(2))
            elif line.startswith('"') and cur:
                parts[cur] += po_unquote(line[1:-1])
        if parts["msgid"]:
            out[parts["msgid"]] = (parts["msgstr"], fuzzy)
    return out


CATALOGUE = read_po(PO) if os.path.exists(PO) else {}

DIRECTIVE = re.compile(r"%(?:(\d+)\$)?([-+ #0]*)(\d+)?(?:\.(\d+))?(?:hh|h|ll|l|z|j|t|L)?([diouxXfsc%])")


def cformat(fmt, *args):
    """fmt (a C printf format, positional %n$ allowed) filled with args."""
    out, at, nxt = [], 0, 0
    for m in DIRECTIVE.finditer(fmt):
        out.append(fmt[at:m.start()])
        at = m.end()
        if m.group(5) == "%":
            out.append("%")
            continue
        if m.group(1):
            arg = args[int(m.group(1)) - 1]
        else:
            arg, nxt = args[nxt], nxt + 1
        spec = "%" + m.group(2) + (m.group(3) or "") + ("." + m.group(4) if m.group(4) else "") + \
            {"i": "d", "u": "d"}.get(m.group(5), m.group(5))
        out.append(spec % arg)
    out.append(fmt[at:])
    return "".join(out)


def en(msgid, *args):
    return cformat(msgid, *args)


def zh(msgid, *args):
    """The Chinese of msgid, filled; the msgid itself when the catalogue
    lacks it (so that the comparison fails and says so)."""
    msgstr, fuzzy = CATALOGUE.get(msgid, ("", False))
    return cformat(msgstr if msgstr and not fuzzy else msgid, *args)


def both(*args, env_en=C, env_zh=ZH, **kw):
    """The program run in English and in Chinese: ((rc, out, err), (rc, out, err))."""
    return gen(*args, env=env_en, **kw), gen(*args, env=env_zh, **kw)


def has_cjk(s):
    return any("\u4e00" <= c <= "\u9fff" for c in s)


# ------------------------------------------------------------------ cases

def line_of(text, needle):
    return text[:text.index(needle)].count("\n") + 1


def record_fault(tmp):
    """A record's wrong element, at its line, named by its label."""
    with open(os.path.join(EXAMPLES, "notice.xml"), encoding="utf-8") as f:
        src = f.read().replace("<title>", "<titel>").replace("</title>", "</titel>")
    path = os.path.join(tmp, "titel.xml")
    write_text(path, src)
    line = line_of(src, "<titel>")
    fmt = "<%s> is not a field of %s; did you mean <%s> (%s)?"
    args = ("titel", "通知 <notice>", "title", "标题")
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("check", path)
    check(rc_en == 2 and rc_zh == 2, "a bad record: exit 2 in both languages", f"{rc_en} {rc_zh}")
    check(err_en == f"{path}:{line}: {en(fmt, *args)}\n", "a bad record: the English message at its line", err_en)
    want = f"{path}:{line}: {zh(fmt, *args)}\n"
    check(err_zh == want and has_cjk(zh(fmt, *args)) and "is not a field" not in err_zh,
          "a bad record: the Chinese message at its line", f"{err_zh!r}, expected {want!r}")


def field_format(tmp):
    """A postcode of five digits: the field's label, the value, its format."""
    with open(os.path.join(EXAMPLES, "nominations.xml"), encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"<postcode>(\d{6})</postcode>", src)
    bad = src.replace(m.group(0), "<postcode>32100</postcode>", 1)
    path = os.path.join(tmp, "postcode.xml")
    write_text(path, bad)
    line = line_of(bad, "<postcode>32100")
    fmt = '%s: "%s" does not fit its format (%s), e.g. %s'
    args = ("邮政编码 <postcode>", "32100", "6位数字", "321000")
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("check", path)
    check(rc_en == 2 and rc_zh == 2, "a bad postcode: exit 2 in both languages", f"{rc_en} {rc_zh}")
    check(f"{path}:{line}: {en(fmt, *args)}\n" in err_en, "a bad postcode: English, at its line", err_en)
    check(f"{path}:{line}: {zh(fmt, *args)}\n" in err_zh and "does not fit" not in err_zh,
          "a bad postcode: Chinese, at its line", f"{err_zh!r}, expected {zh(fmt, *args)!r}")


SHEET = ("推荐企业,所在地区,企业地址,邮政编码,主要产品,联系人,联系电话,认证类型,证书有效期,推荐理由,填表人,审核人,填报时间\n"
         "金华嘉和家具有限公司,金华市,金华市婺城区工业园区8号,321000,办公家具,张伟,0579-82000001,"
         "质量管理体系认证（GB/T 19001-2008）,2012-05-31,运行有效。,王芳,李华,2009-08-20\n"
         "宁波海天塑料有限公司,宁波市,宁波市北仑区1号,31580,塑料制品,赵敏,0574-86000001,"
         "质量管理体系认证（GB/T 19001-2008）,2012-05-31,运行有效。,王芳,李华,2009-08-20\n")


def sheet_row(tmp):
    """A sheet's bad cell: the row, the enterprise, the heading, what is
    wrong; and nothing written in either language."""
    path = os.path.join(tmp, "推荐表.csv")
    write_text(path, SHEET)
    out = os.path.join(tmp, "record.xml")
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("import", "--type", "nominations", path, "--encoding",
                                                  "UTF-8", "--set", "推荐单位=东海质量认证有限公司", "-o", out)
    row = "宁波海天塑料有限公司"
    # the enterprise, then the heading and what is wrong with the cell
    why = chr(34) + "%s" + chr(34) + " is not a postcode (6 digits)"
    line_en = f'{path}:3: {en("%s: %s", row, en("%s %s", "邮政编码", en(why, "31580")))}\n'
    line_zh = f'{path}:3: {zh("%s: %s", row, zh("%s %s", "邮政编码", zh(why, "31580")))}\n'
    check(rc_en == 2 and rc_zh == 2, "a bad sheet: exit 2 in both languages", f"{rc_en} {rc_zh}")
    check(err_en == line_en, "a bad sheet: the English message names row 3, the enterprise and the heading", err_en)
    check(err_zh == line_zh and "postcode" not in err_zh, "a bad sheet: the same in Chinese",
          f"{err_zh!r}, expected {line_zh!r}")
    check(not os.path.exists(out), "a bad sheet: no record written in either language")


def proofreading_warning(tmp):
    """A warning: the prefix and the proofreader's hint, both translated."""
    with open(os.path.join(EXAMPLES, "notice.xml"), encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"<body[^>]*>", src)
    bad = src[:m.end()] + "请3-5家企业参加。\n\n" + src[m.end():]
    path = os.path.join(tmp, "range.xml")
    write_text(path, bad)
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("check", path)
    hint = "a range is written with ～ (%s), not a hyphen"
    check(rc_en == 0 and rc_zh == 0, "a proofreading slip: exit 0 in both languages", f"{rc_en} {rc_zh}")
    check(en("warning: ") + "body: " in err_en and en(hint, "3～5家") in err_en,
          "a proofreading slip: the English warning", err_en)
    check(zh("warning: ") != "warning: " and zh("warning: ") in err_zh and zh(hint, "3～5家") in err_zh
          and "warning" not in err_zh, "a proofreading slip: the Chinese warning",
          f"{err_zh!r}, expected {zh('warning: ')!r} and {zh(hint, '3～5家')!r}")
    lines_en = [l.split(": ")[0] for l in err_en.splitlines()]
    lines_zh = [l.split(": ")[0] for l in err_zh.splitlines()]
    check(lines_en == lines_zh and lines_en, "a proofreading slip: the same FILE:LINE in both languages",
          f"{lines_en} {lines_zh}")


def template_warning(tmp):
    """A template's own <warn> (the inspection report names no 签发人): its
    text translated too, <signer> as the characters the template escapes."""
    path = os.path.join(ROOT, "tests", "records", "inspection.xml")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    src = re.sub(r"\s*<signer>[^<]*</signer>", "", src)
    record = os.path.join(tmp, "no-signer.xml")
    write_text(record, src)
    line = line_of(src, "<doc-number>")
    msgid = ("an upward report shows 签发人 and the signer's name beside its 发文字号 (GB/T 9704-2012 7.2.5); "
             "the record names none, so the number is printed centred: add <signer>NAME</signer> "
             "after <doc-number>")
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("check", record)
    want_en = f"{record}:{line}: {en('warning: ')}{msgid}"
    want_zh = f"{record}:{line}: {zh('warning: ')}{zh(msgid)}"
    check(rc_en == 0 and want_en in err_en.splitlines(), "a template's <warn>: in English at its line", err_en)
    check(rc_zh == 0 and want_zh in err_zh.splitlines() and "<signer>" in want_zh and has_cjk(zh(msgid)),
          "a template's <warn>: in Chinese at its line, <signer> unescaped", f"{err_zh!r}, expected {want_zh!r}")


def missing_folder(tmp):
    folder = os.path.join(tmp, "no-such-folder")
    out = os.path.join(folder, "notice.pdf")
    fmt = "the folder %s does not exist: create it first (mkdir -p %s) or correct the path"
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("render", os.path.join(EXAMPLES, "notice.xml"), "-o", out)
    check(rc_en == 2 and rc_zh == 2, "a missing folder: exit 2 in both languages", f"{rc_en} {rc_zh}")
    check(en(fmt, folder, folder) in err_en, "a missing folder: in English", err_en)
    check(zh(fmt, folder, folder) in err_zh and has_cjk(err_zh), "a missing folder: in Chinese",
          f"{err_zh!r}, expected {zh(fmt, folder, folder)!r}")


def batch_summary(tmp):
    out_en, out_zh = os.path.join(tmp, "forms-en"), os.path.join(tmp, "forms-zh")
    record = os.path.join(EXAMPLES, "nominations.xml")
    r_en = gen("batch", "-t", "nomination-form", record, "-o", out_en, env=C)
    r_zh = gen("batch", "-t", "nomination-form", record, "-o", out_zh, env=ZH)
    n = len(os.listdir(out_en)) if os.path.isdir(out_en) else 0
    fmt = "batch: %zu written, %zu failed, %.1f s\n"
    # the time is the run's: the line is matched with any time in it
    def pattern(s):
        return re.escape(s).replace(re.escape("9.9"), r"\d+\.\d")
    check(r_en[0] == 0 and re.fullmatch(pattern(en(fmt, n, 0, 9.9)), r_en[2]),
          "batch: the English summary", r_en[2])
    check(r_zh[0] == 0 and re.fullmatch(pattern(zh(fmt, n, 0, 9.9)), r_zh[2]) and has_cjk(r_zh[2]),
          "batch: the Chinese summary", f"{r_zh[2]!r}, expected {zh(fmt, n, 0, 9.9)!r}")
    same = n > 0 and sorted(os.listdir(out_en)) == sorted(os.listdir(out_zh)) and all(
        open(os.path.join(out_en, f), "rb").read() == open(os.path.join(out_zh, f), "rb").read()
        for f in os.listdir(out_en))
    check(same, "batch: the same PDFs, byte for byte, whatever the language of the messages")


def help_texts():
    main_usage = next(k for k in CATALOGUE if k.startswith("usage: gen COMMAND"))
    import_usage = next(k for k in CATALOGUE if k.startswith("usage: gen import "))
    for args, msgid in ((["--help"], main_usage), (["import", "--help"], import_usage)):
        (rc_en, out_en, _), (rc_zh, out_zh, _) = both(*args)
        check(rc_en == 0 and out_en == msgid, f"gen {' '.join(args)}: the English text", out_en[:200])
        check(rc_zh == 0 and out_zh == zh(msgid) and has_cjk(out_zh) and out_zh != out_en,
              f"gen {' '.join(args)}: the Chinese text", out_zh[:200])
    fmt = "gen: unknown option or missing value: %s\n"
    (rc_en, _, err_en), (rc_zh, _, err_zh) = both("render", "--colour")
    check(rc_en == 2 and err_en.startswith(en(fmt, "--colour")), "an unknown option: in English", err_en)
    check(rc_zh == 2 and err_zh.startswith(zh(fmt, "--colour")) and has_cjk(err_zh),
          "an unknown option: in Chinese", err_zh)


def how_the_locale_is_chosen():
    """As for every program that uses gettext: LC_ALL over LC_MESSAGES over
    LANG; LANGUAGE picks the language unless the locale is C."""
    main_usage = next(k for k in CATALOGUE if k.startswith("usage: gen COMMAND"))
    base = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    cases = [
        ("LANG=zh_CN.UTF-8", dict(base, LANG="zh_CN.UTF-8"), "zh"),
        ("LC_ALL=zh_CN.UTF-8 over LANG=C", dict(base, LANG="C", LC_ALL="zh_CN.UTF-8"), "zh"),
        ("LC_MESSAGES=zh_CN.UTF-8", dict(base, LC_MESSAGES="zh_CN.UTF-8"), "zh"),
        ("LC_MESSAGES=C over LANG=zh_CN.UTF-8", dict(base, LANG="zh_CN.UTF-8", LC_MESSAGES="C"), "en"),
        ("LC_ALL=C over LANG=zh_CN.UTF-8", dict(base, LANG="zh_CN.UTF-8", LC_ALL="C"), "en"),
        ("LANGUAGE=zh_CN in the C locale", dict(base, LC_ALL="C", LANGUAGE="zh_CN"), "en"),
        ("nothing set", dict(base), "en"),
    ]
    for name, env, lang in cases:
        rc, out, _ = gen("--help", env=env)
        want = zh(main_usage) if lang == "zh" else main_usage
        check(rc == 0 and out == want, f"{name}: --help in {'Chinese' if lang == 'zh' else 'English'}", out[:120])


def catalogue_complete():
    """Every message of the sources is in po/zh_CN.po, translated, not
    fuzzy, its printf directives kept (msgfmt --check)."""
    check(os.path.exists(PO), "po/zh_CN.po is there")
    with tempfile.TemporaryDirectory() as tmp:
        # what make po extracts (the Makefile's keywords and ITS rules)
        pot = os.path.join(tmp, "gen.pot")
        p = subprocess.run(["make", "-s", "pot", "POT=" + pot], cwd=ROOT, capture_output=True, text=True)
        check(p.returncode == 0 and "warning" not in p.stderr, "xgettext reads the sources without a warning",
              p.stderr[-500:])
        extracted = read_po(pot) if os.path.exists(pot) else {}
        check(any(m.startswith("an upward report shows 签发人") for m in extracted),
              "xgettext reads the templates' <warn> texts", p.stderr[-500:])
        wanted = set(extracted)
    missing = sorted(m for m in wanted if m not in CATALOGUE)
    untranslated = sorted(m for m in wanted if m in CATALOGUE and not CATALOGUE[m][0])
    fuzzy = sorted(m for m in wanted if m in CATALOGUE and CATALOGUE[m][1])
    check(len(wanted) > 300, f"the sources hold the messages ({len(wanted)})")
    check(not missing, f"every message of the sources is in po/zh_CN.po (make po): {len(missing)} missing",
          "; ".join(repr(m[:60]) for m in missing[:5]))
    check(not untranslated, f"every message is translated: {len(untranslated)} not",
          "; ".join(repr(m[:60]) for m in untranslated[:5]))
    check(not fuzzy, f"no translation is fuzzy: {len(fuzzy)} are", "; ".join(repr(m[:60]) for m in fuzzy[:5]))
    p = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", PO], capture_output=True, text=True)
    check(p.returncode == 0, "msgfmt --check accepts po/zh_CN.po (the printf directives match)", p.stderr[-500:])
    mo = os.path.join(ROOT, "build", "locale", "zh_CN", "LC_MESSAGES", "gen.mo")
    check(os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(PO),
          "make built build/locale/zh_CN/LC_MESSAGES/gen.mo from it")


def locale_there():
    p = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return "zh_CN.utf8" in p.stdout.split()


def main():
    catalogue_complete()
    if not check(locale_there(), "the zh_CN.UTF-8 locale is installed (make deps: tests/install-locale)"):
        finish()
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in (("record_fault", record_fault), ("field_format", field_format),
                           ("sheet_row", sheet_row), ("proofreading_warning", proofreading_warning),
                           ("template_warning", template_warning), ("missing_folder", missing_folder),
                           ("batch_summary", batch_summary)):
            guarded(name, case, tmp)
    guarded("help_texts", help_texts)
    guarded("how_the_locale_is_chosen", how_the_locale_is_chosen)
    finish()


if __name__ == "__main__":
    main()
