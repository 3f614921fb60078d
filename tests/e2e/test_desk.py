"""The desk (gen serve) at the level of HTTP, every route of issue 18 as
the spec (its shared contract) says: logging in and out, the session
cookie's flags, the rate limit of logins; the csrf field of every POST;
uploads of records (XML, a GBK CSV self-check sheet, .xlsx) with their
422 pages giving the command line's own messages, the oversize upload;
who sees which record (404, never 403), what only the province may do
(403); record pages, versions, originals and PDFs; the nomination form;
the campaign page and the three documents built from it.  Every upload
that was acknowledged (303) is read back at the end byte for byte."""
import os
import re
import shutil
import sqlite3
import tempfile
import xml.etree.ElementTree as ET

import deskclient as dc
import harness
from deskclient import nows, read, record_id, table_rows, texts
from harness import check, finish, guarded
from sheetcheck import NOMINATION_FIELDS

TMP = tempfile.mkdtemp(prefix="test-desk-")
# every acknowledged upload: (server, user, record id, version, the bytes sent)
ACKED = []
# what the tests share: record ids
STATE = {}


def acked(server, user, resp, data):
    """Notes an upload the server acknowledged (303 to /records/ID); returns
    the record's id (None when it was not acknowledged)."""
    rid = record_id(resp) if resp.status == 303 else None
    if rid is not None:
        version = 1 + sum(1 for s, _, i, _, _ in ACKED if s is server and i == rid)
        ACKED.append((server, user, rid, version, data))
    return rid


def is_page(resp):
    return (resp.header("Content-Type") or "").startswith("text/html") and "charset=utf-8" in \
        (resp.header("Content-Type") or "").lower().replace(" ", "")


def heading(page):
    """The page's <title> and <h1> texts, joined."""
    return " ".join(texts(page, "title") + texts(page, "h1"))


# The desk's workers speak Chinese whatever the server's locale (gen/desk/main.c)
DESK_LANGUAGE = {"LC_ALL": "C.UTF-8", "LANGUAGE": "zh_CN"}


def cli(*args, cwd=TMP):
    """bin/gen in TMP (file names as the clerk gave them), in the desk's
    language: (rc, stdout, stderr)."""
    return harness.gen(*args, cwd=cwd, env=dict(os.environ, **DESK_LANGUAGE))


def message_lines(err):
    """The command line's messages, split into errors and warnings, white
    space runs as one space (as the page's text reads)."""
    lines = [re.sub(r"\s+", " ", l).strip() for l in err.splitlines() if l.strip()]
    return [l for l in lines if "warning:" not in l], [l for l in lines if "warning:" in l]


def pdf_ok(resp, what, name=None):
    """A PDF download: 200, application/pdf, the filename; its text."""
    check(resp.status == 200, what + ": 200", repr(resp))
    check((resp.header("Content-Type") or "").startswith("application/pdf"), what + ": application/pdf",
          str(resp.header("Content-Type")))
    if name:
        cd = resp.header("Content-Disposition") or ""
        check(cd.startswith("attachment") and 'filename="%s"' % name in cd, what + ": Content-Disposition names " + name,
              cd)
    check(resp.body.startswith(b"%PDF-"), what + ": the body is a PDF", repr(resp.body[:40]))
    return dc.pdf_text_of(resp.body, TMP) if resp.body.startswith(b"%PDF-") else ""


# --------------------------------------------------------------- logging in

def test_login_page(s):
    c = s.client()
    r = c.get("/")
    check(r.status == 200 and is_page(r), "GET / logged out: 200, text/html UTF-8", "%r %s" % (r, r.header("Content-Type")))
    check(re.match(r'\s*<!DOCTYPE html>\s*<html lang="zh-CN">', r.text), "the page starts <!DOCTYPE html><html lang=zh-CN>",
          r.text[:80])
    check(re.search(r'<meta charset="utf-8">', r.text, re.I), "<meta charset=utf-8>")
    check("认证活动报送台" in r.text, "the title 认证活动报送台")
    form = r.page.one("form#login")
    check(form is not None and form.get("action") == "/login" and form.get("method", "").lower() == "post",
          "form#login posts to /login", repr(form))
    if form is not None:
        check(form.one("input[name=user]") is not None and form.one("input[name=password]") is not None,
              "form#login has user and password")
        pw = form.one("input[name=password]")
        check(pw is not None and pw.get("type") == "password", "the password field is type=password")
    check(r.page.one("span#user") is None and r.page.one("form#logout") is None, "no user and no logout when logged out")


def test_login(s):
    c = s.client()
    r = c.login("donghai")
    check(r.status == 303 and (r.header("Location") or "").endswith("/"), "login: 303 to /", repr(r))
    cookie = r.header("Set-Cookie") or ""
    check(re.match(r"desk_session=[0-9a-f]{64};", cookie) is not None, "the session cookie desk_session=TOKEN", cookie)
    flags = [f.strip().lower() for f in cookie.split(";")[1:]]
    check("path=/" in flags and "httponly" in flags and "samesite=strict" in flags,
          "the cookie: Path=/; HttpOnly; SameSite=Strict", cookie)
    check("secure" not in flags, "no Secure on plain HTTP", cookie)
    home = c.get("/")
    check(home.status == 200, "home after login: 200", repr(home))
    user = home.page.one("span#user")
    check(user is not None and user.text == "donghai（东海质量认证有限公司）", "span#user: NAME（ORG）", repr(user))
    out = home.page.one("form#logout")
    check(out is not None and out.get("action") == "/logout" and out.one("input[name=csrf]") is not None,
          "form#logout posts to /logout with csrf", repr(out))
    up = home.page.one("form#upload")
    check(up is not None and up.get("action") == "/records" and "multipart/form-data" in up.get("enctype", ""),
          "form#upload: multipart POST /records", repr(up))
    if up is not None:
        check(up.one("input[name=file]") is not None and up.one("input[name=file]").get("type") == "file",
              "the upload form: a file field named file")
        opts = [o.get("value") for o in up.select("select[name=type] option")]
        check(opts == ["selfcheck", "nominations"], "the type select: selfcheck, nominations", str(opts))
        optext = texts(up, "select[name=type] option")
        check(len(optext) == 2 and "自查表" in optext[0] and "推荐表" in optext[1], "the options say 自查表 / 推荐表",
              str(optext))
        check(up.one("textarea[name=settings]") is not None, "the settings textarea")
        tok = up.one("input[name=csrf]")
        check(tok is not None and tok.get("type") == "hidden" and len(tok.get("value", "")) >= 32,
              "a hidden csrf field in the upload form", repr(tok))
    check(home.page.one("table#records") is not None, "table#records on the home page")
    check(home.page.one("a[href=/forms/new]") is not None, "a body's home links to /forms/new")
    check(home.page.one("a[href=/campaign]") is None, "a body's home has no link to /campaign")
    prov = s.client("sheng").get("/")
    check(prov.page.one("a[href=/campaign]") is not None, "the province's home links to /campaign")
    check(prov.page.one("span#user") is not None and prov.page.one("span#user").text == "sheng（省局）",
          "the province's org defaults to 省局")
    heads = [th.text for th in home.page.select("table#records th")]
    check(heads[:6] == ["编号", "类型", "单位", "版本", "最后更新时间", "更新人"], "table#records' columns", str(heads))


def test_wrong_password(s):
    for user, pw in (("donghai", "wrong-mima"), ("nobody", "nobody-mima-2009"), ("donghai", "")):
        c = s.client()
        r = c.login(user, pw)
        check(r.status == 401, "login %s/%r: 401" % (user, pw), repr(r))
        check(texts(r.page, "p.error") == ["用户名或密码不正确"], "401: p.error 用户名或密码不正确", str(texts(r.page, "p.error")))
        check(r.page.one("form#login") is not None, "401: the login form again")
        check("desk_session" not in c.cookies, "401: no session cookie")


def test_secure_cookie(s):
    c = s.client()
    r = c.login("zhengyan", headers={"X-Forwarded-Proto": "https"})
    cookie = r.header("Set-Cookie") or ""
    check(r.status == 303 and "secure" in [f.strip().lower() for f in cookie.split(";")],
          "X-Forwarded-Proto: https: the cookie is Secure", cookie)


def test_not_logged_in(s):
    c = s.client()
    for path in ("/records/1", "/records/1.pdf?template=notice", "/records/1/original?v=1", "/forms/new", "/campaign"):
        r = c.get(path)
        check(r.status == 303 and (r.header("Location") or "").endswith("/"), "GET %s logged out: 303 to /" % path,
              repr(r))
    r = c.upload("a.xml", read(os.path.join(harness.EXAMPLES, "notice.xml")), csrf="0" * 64)
    check(r.status in (303, 403) and record_id(r) is None, "POST /records logged out: refused (303 to / or 403)",
          repr(r))


def test_logout(s):
    c = s.client("ningbo")
    token = c.cookies.get("desk_session")
    r = c.post("/logout", csrf=None)
    check(r.status == 403, "logout without csrf: 403", repr(r))
    check(c.get("/").page.one("span#user") is not None, "the session lives on after a refused logout")
    r = c.post("/logout")
    check(r.status == 303 and (r.header("Location") or "").endswith("/"), "logout: 303 to /", repr(r))
    cookie = r.header("Set-Cookie") or ""
    check(cookie.startswith("desk_session=") and re.search(r"Max-Age=0", cookie, re.I), "logout clears the cookie "
          "(Max-Age=0)", cookie)
    old = s.client()
    old.cookies["desk_session"] = token
    r = old.get("/")
    check(r.status == 200 and r.page.one("form#login") is not None and r.page.one("span#user") is None,
          "the old token no longer logs in", repr(r))
    r = old.get("/forms/new")
    check(r.status == 303, "a page with the old token: 303 to /", repr(r))


def test_rate_limit():
    """On a server of its own: five wrong passwords, then 429 with
    Retry-After, even for the right password; another name still logs in."""
    with dc.Server() as s:
        c = s.client()
        codes = [c.login("donghai", "guess-%d" % i).status for i in range(5)]
        check(codes == [401] * 5, "five wrong passwords: 401 each", str(codes))
        r = c.login("donghai", "guess-6")
        check(r.status == 429, "the sixth: 429", repr(r))
        retry = r.header("Retry-After") or ""
        check(retry.isdigit() and 0 < int(retry) <= 300, "429 with Retry-After: SECONDS", repr(retry))
        err = " ".join(texts(r.page, "p.error"))
        m = re.search(r"登录失败次数过多，请 (\d+) 分钟后再试", err)
        check(m is not None, "p.error 登录失败次数过多，请 N 分钟后再试", err)
        r = c.login("donghai")
        check(r.status == 429 and "desk_session" not in c.cookies, "the right password while limited: 429, no session",
              repr(r))
        r = s.client().login("zhengyan")
        check(r.status == 303, "another name still logs in", repr(r))


# ---------------------------------------------------------------- uploads

def test_upload_xml(s):
    c = s.client("donghai")
    data = read(os.path.join(harness.EXAMPLES, "selfcheck.xml"))
    r = c.upload("自查报告.xml", data)
    rid = acked(s, "donghai", r, data)
    check(r.status == 303 and rid is not None, "a good XML: 303 to /records/ID", repr(r) + s.log())
    if rid is None:
        return
    STATE["selfcheck"] = rid
    p = c.get("/records/%d" % rid)
    check(p.status == 200, "its page: 200", repr(p))
    kind = p.page.one("td#kind")
    check(kind is not None and "self-check" in kind.text and re.search(r"[\u4e00-\u9fff]", kind.text),
          "td#kind: self-check with its Chinese name", repr(kind))
    check(texts(p.page, "td#org") == ["东海质量认证有限公司"], "td#org: the account's org", str(texts(p.page, "td#org")))
    docs = [(a.get("href"), a.text) for a in p.page.select("ul#documents li a")]
    labels = {"selfcheck-report": "自查报告", "selfcheck-summary": "自查情况汇总表"}
    want = [("/records/%d.pdf?template=%s" % (rid, t), labels.get(t, t)) for t in harness.templates_for("self-check")]
    check(sorted(docs) == sorted(want), "ul#documents: a link per template of self-check, by the document's name",
          "%s != %s" % (docs, want))
    home = c.get("/")
    rows = table_rows(home.page, "table#records")
    mine = [row for row in rows if row and row[0] == str(rid)]
    check(len(mine) == 1 and mine[0][3] == "1" and mine[0][5] == "donghai" and "东海质量认证有限公司" in mine[0][2],
          "the home page lists it: 编号, 版本 1, 更新人", str(rows))
    check(home.page.one("table#records a[href=/records/%d]" % rid) is not None, "编号 links to /records/ID")
    # the name's case does not matter
    data = read(os.path.join(harness.EXAMPLES, "notice.xml"))
    r = c.upload("通知.XML", data)
    STATE["notice"] = acked(s, "donghai", r, data)
    check(r.status == 303 and STATE["notice"], "a name ending .XML: accepted", repr(r))


def notice_with_mistakes():
    """examples/notice.xml with a misspelt element and square brackets in
    its 发文字号: the bytes, and the lines they are on."""
    text = read(os.path.join(harness.EXAMPLES, "notice.xml")).decode()
    text = text.replace("<title>", "<titel>", 1).replace("</title>", "</titel>", 1)
    text = text.replace("浙质评发〔2009〕195号", "浙质评发[2009]195号", 1)
    return text.encode()


def test_bad_xml(s):
    c = s.client("donghai")
    before = table_rows(c.get("/").page, "table#records")
    data = notice_with_mistakes()
    with open(os.path.join(TMP, "通知.xml"), "wb") as f:
        f.write(data)
    rc, _, err = cli("check", "通知.xml")
    want_err, want_warn = message_lines(err)
    check(rc == 2 and len(want_err) >= 2, "gen check finds the mistakes (the reference)", err)
    r = c.upload("通知.xml", data)
    check(r.status == 422, "a bad XML: 422", repr(r))
    check("文件有误，未保存" in texts(r.page, "h1"), "h1 文件有误，未保存", str(texts(r.page, "h1")))
    got = texts(r.page, "ul.errors li")
    check(got == want_err, "ul.errors: the messages of gen check, one li each", "\n got  %s\n want %s" % (got, want_err))
    check(all(re.match(r"通知\.xml:\d+: ", l) for l in got) and got, "each names the uploaded file and its line",
          str(got))
    check("upload.xml" not in r.text, "the job's own file name is not shown")
    check(texts(r.page, "ul.warnings li") == want_warn, "ul.warnings: gen check's warnings",
          "%s != %s" % (texts(r.page, "ul.warnings li"), want_warn))
    check(r.page.one("form#upload") is not None, "the upload form again")
    check(table_rows(c.get("/").page, "table#records") == before, "nothing stored")
    # not even XML: the line where it breaks off
    broken = b'<?xml version="1.0" encoding="UTF-8"?>\n<notice>\n  <title>x</titel>\n</notice>\n'
    with open(os.path.join(TMP, "坏.xml"), "wb") as f:
        f.write(broken)
    _, _, err = cli("check", "坏.xml")
    r = c.upload("坏.xml", broken)
    got = texts(r.page, "ul.errors li")
    check(r.status == 422 and got == message_lines(err)[0] and any(l.startswith("坏.xml:3:") for l in got),
          "XML that is not well-formed: 422, gen check's message with line 3", "%r %s / %s" % (r, got, err))


def test_refused_files(s):
    c = s.client("donghai")
    r = c.upload("报告.docx", b"PK\x03\x04 not a record")
    check(r.status == 422 and "只接受 .xml、.csv 或 .xlsx 文件" in r.text, "a .docx: 422 只接受 .xml、.csv 或 .xlsx 文件",
          repr(r))
    r = c.upload("自查.csv", dc.csv_bytes(dc.selfcheck_rows()), "selfcheck", "认证机构=东海质量认证有限公司\n坏的一行\n\n")
    check(r.status == 422 and "第2行设置缺少“=”" in r.text, "a settings line without =: 422 第2行设置缺少“=”", repr(r))
    # 报告=@FILE makes the importer read a file: on the server, a path made from what a user sent
    before = table_rows(c.get("/").page, "table#records")
    r = c.upload("自查.csv", dc.csv_bytes(dc.selfcheck_rows()), "selfcheck",
                 re.sub(r"报告=.*", "报告=@/etc/passwd", dc.SELFCHECK_SETTINGS))
    said = " ".join(texts(r.page, "p.error") + texts(r.page, "ul.errors li"))
    check(r.status == 422 and "@" in said and "root:" not in r.text,
          "a setting 报告=@/etc/passwd: refused (422, the @ named), the file not read", "%r: %s" % (r, said))
    check(table_rows(c.get("/").page, "table#records") == before, "nothing stored")


def test_sheet(s):
    """The story: a GBK self-check sheet with a mistake, the error read,
    the sheet fixed: version 2 of the body's self-check."""
    c = s.client("donghai")
    rows, row, head = dc.bad_selfcheck_rows()
    bad = dc.csv_bytes(rows)
    with open(os.path.join(TMP, "自查.csv"), "wb") as f:
        f.write(bad)
    rc, _, err = cli("import", "--type", "selfcheck", "自查.csv", *dc.settings_args(dc.SELFCHECK_SETTINGS),
                     "-o", "imported.xml")
    want_err, _ = message_lines(err)
    check(rc == 2 and want_err, "gen import finds the mistake (the reference)", err)
    r = c.upload("自查.csv", bad, "selfcheck", dc.SELFCHECK_SETTINGS)
    check(r.status == 422, "the sheet with a mistake: 422", repr(r))
    got = texts(r.page, "ul.errors li")
    check(got == want_err, "the sheet's errors as gen import gives them", "\n got  %s\n want %s" % (got, want_err))
    check(any(l.startswith("自查.csv:%d: " % row) and head in l and rows[row - 1][1] in l for l in got),
          "the error names row %d, its enterprise and the heading %s" % (row, head), str(got))
    good = dc.csv_bytes(dc.selfcheck_rows())
    r = c.upload("自查.csv", good, "selfcheck", dc.SELFCHECK_SETTINGS)
    rid = acked(s, "donghai", r, good)
    check(r.status == 303 and rid is not None and rid == STATE.get("selfcheck"),
          "the fixed sheet: 303 to the body's self-check record", "%r, want /records/%s" % (r, STATE.get("selfcheck")))
    if rid is None:
        return
    p = c.get("/records/%d" % rid)
    vrows = table_rows(p.page, "table#versions")
    check(len(vrows) == 2 and vrows[1][0] == "2" and vrows[1][1] == "自查.csv" and vrows[1][2] == "donghai",
          "table#versions: version 2, 自查.csv, donghai", str(vrows))
    check(len(vrows) == 2 and vrows[0][:3] == ["1", "自查报告.xml", "donghai"], "version 1 still there", str(vrows))
    links = [a.get("href") for a in p.page.select("table#versions a")]
    check(links == ["/records/%d/original?v=1" % rid, "/records/%d/original?v=2" % rid],
          "原件 links to /records/ID/original?v=N", str(links))
    check(all(a.text == "原件" for a in p.page.select("table#versions a")), "the links say 原件")
    heads = [th.text for th in p.page.select("table#versions th")]
    check(heads[:4] == ["版本", "文件名", "报送人", "时间"], "table#versions' columns", str(heads))
    # the latest version is the sheet's: its settings are in the PDF
    text = pdf_ok(c.get("/records/%d.pdf?template=selfcheck-report" % rid), "the self-check report",
                  "record-%d-selfcheck-report.pdf" % rid)
    check("逐一检查了获证企业" in nows(text), "the report's text (a setting of the sheet) in the PDF", text[:300])


def test_xlsx(s):
    c = s.client("zhengyan")
    data = dc.xlsx_bytes(dc.selfcheck_rows())
    # as a browser sends a textarea: CRLF, here with an empty line
    settings = dc.SELFCHECK_SETTINGS.replace("东海质量认证有限公司", "浙江正言认证有限公司").replace("\n", "\r\n")
    settings = settings.replace("\r\n批准号", "\r\n\r\n批准号")
    r = c.upload("自查.xlsx", data, "selfcheck", settings)
    rid = acked(s, "zhengyan", r, data)
    check(r.status == 303 and rid is not None and rid != STATE.get("selfcheck"),
          "an .xlsx sheet: a record of its own body", repr(r))
    if rid is None:
        return
    STATE["xlsx"] = rid
    p = c.get("/records/%d" % rid)
    check(texts(p.page, "td#org") == ["浙江正言认证有限公司"], "its org", str(texts(p.page, "td#org")))
    text = pdf_ok(c.get("/records/%d.pdf?template=selfcheck-summary" % rid), "its summary")
    name = dc.selfcheck_rows()[1][1]
    check(name in nows(text) and "浙江正言认证有限公司" in nows(text), "the summary holds the sheet's enterprises", text[:300])


def test_oversize(s):
    c = s.client("donghai")
    big = b"<x>" + b"a" * (21 * 1024 * 1024) + b"</x>"
    r = c.upload("big.xml", big)
    check(r.status == 413, "a 21 MB upload: 413", repr(r))
    # no Content-Length: refused while reading
    body, ctype = dc.multipart([("csrf", c.csrf or "")], [("file", "big.xml", big)])
    piece = 1 << 20
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + piece]), body[i:i + piece])
                      for i in range(0, len(body), piece)) + b"0\r\n\r\n"
    r = c.request("POST", "/records", chunks, {"Content-Type": ctype, "Transfer-Encoding": "chunked"})
    check(r.status == 413, "21 MB sent chunked: 413", repr(r))
    check(c.get("/").status == 200, "the server answers after them")


# ------------------------------------------------------- who sees what

def test_visibility(s):
    rid = STATE.get("selfcheck")
    if not check(rid is not None, "a record of donghai's to read"):
        return
    paths = ["/records/%d" % rid, "/records/%d.pdf?template=selfcheck-summary" % rid,
             "/records/%d/original?v=1" % rid]
    for user in ("zhengyan", "ningbo"):
        c = s.client(user)
        for path in paths:
            r = c.get(path)
            check(r.status == 404, "%s reads another org's %s: 404" % (user, path), repr(r))
        rows = table_rows(c.get("/").page, "table#records")
        check(all(row[0] != str(rid) for row in rows), "%s's home does not list it" % user, str(rows))
    prov = s.client("sheng")
    for path in paths:
        r = prov.get(path)
        check(r.status == 200, "the province reads %s" % path, repr(r))
    rows = table_rows(prov.get("/").page, "table#records")
    ids = {row[0] for row in rows}
    want = {str(i) for server, _, i, _, _ in ACKED if server is s}
    check(want <= ids, "the province's home lists every record", "%s not in %s" % (want - ids, ids))
    c = s.client("donghai")
    for path in ("/records/999999", "/records/999999.pdf?template=notice", "/records/999999/original?v=1",
                 "/records/%d/original?v=9" % rid, "/records/abc", "/records/-1", "/nosuch"):
        r = c.get(path)
        check(r.status == 404, "GET %s: 404" % path, repr(r))


def test_province_only(s):
    for user in ("donghai", "ningbo"):
        c = s.client(user)
        r = c.get("/campaign")
        check(r.status == 403 and "没有权限" in heading(r.page), "%s GET /campaign: 403 没有权限" % user, repr(r))
        for what in ("list", "exposure", "bulletin"):
            r = c.post("/campaign/" + what)
            check(r.status == 403 and "没有权限" in heading(r.page), "%s POST /campaign/%s: 403 没有权限" % (user, what),
                  repr(r))
    c = s.client("ningbo")
    r = c.get("/forms/new")
    check(r.status == 403 and "没有权限" in heading(r.page), "a city GET /forms/new: 403", repr(r))
    r = c.post("/forms", {"year": "2009"})
    check(r.status == 403, "a city POST /forms: 403", repr(r))


def test_pdf(s):
    rid = STATE.get("notice")
    if not check(rid is not None, "a stored notice"):
        return
    c = s.client("donghai")
    text = pdf_ok(c.get("/records/%d.pdf?template=notice" % rid), "the notice's PDF", "record-%d-notice.pdf" % rid)
    title = ET.parse(os.path.join(harness.EXAMPLES, "notice.xml")).getroot().findtext("title")
    check(nows(title) in nows(text), "pdftotext reads the notice's title", text[:200])
    for q in ("selfcheck-summary", "nosuch", "../notice", ""):
        r = c.get("/records/%d.pdf?template=%s" % (rid, q))
        check(r.status == 404, "template=%r for a notice: 404" % q, repr(r))
    r = c.get("/records/%d.pdf" % rid)
    check(r.status == 404, "no template: 404", repr(r))
    sid = STATE.get("selfcheck")
    if sid:
        r = c.get("/records/%d.pdf?template=selfcheck-summary&v=1" % sid)
        text = pdf_ok(r, "version 1's summary")
        check("东海质量认证有限公司" in nows(text), "version 1 rendered", text[:200])


def schema_examples():
    """The c:example of each element of schemas/nominations.rng."""
    ns = "{http://relaxng.org/ns/structure/1.0}"
    root = ET.parse(os.path.join(harness.ROOT, "schemas", "nominations.rng")).getroot()
    out = {}
    for e in root.iter(ns + "element"):
        for k, v in e.attrib.items():
            if k.endswith("}example"):
                out[e.get("name")] = v
    return out


def test_forms(s):
    c = s.client("donghai")
    r = c.get("/forms/new")
    check(r.status == 200, "GET /forms/new: 200", repr(r))
    form = r.page.one("form#nomination")
    if not check(form is not None and form.get("action") == "/forms", "form#nomination posts to /forms", repr(form)):
        return
    check(form.one("input[name=year]") is not None, "a year field")
    labels = {l.get("for"): l.text for l in form.select("label")}
    for label, tag in NOMINATION_FIELDS:
        field = form.one("textarea#f-%s" % tag) if tag == "reason" else form.one("input#f-%s" % tag)
        check(field is not None and field.get("name") == tag, "the field %s (%s)" % (tag, "textarea" if tag == "reason"
                                                                                     else "input"), repr(field))
        lab = labels.get("f-" + tag) or next((l.text for l in form.select("label") if l.one("#f-" + tag)), "")
        check(label in lab, "the label of %s: %s" % (tag, label), repr(lab))
    examples = schema_examples()
    missing = [tag for _, tag in NOMINATION_FIELDS if examples.get(tag) and examples[tag] not in form.text]
    check(not missing, "each field's hint gives the schema's example", "not shown for %s" % missing)
    check("东海质量认证有限公司" in form.text or "东海质量认证有限公司" in r.text, "the nominator (the org) is shown")
    named = form.select("input[name=nominator]")
    check(all("readonly" in n.attrs or "disabled" in n.attrs or n.get("type") == "hidden" for n in named),
          "the nominator is not editable", repr(named))
    nom = ET.parse(os.path.join(harness.EXAMPLES, "nominations.xml")).getroot().find("nomination")
    values = {tag: nom.findtext(tag).strip() for _, tag in NOMINATION_FIELDS}
    bad = dict(values, postcode="32100", phone="电话")
    r = c.post("/forms", dict(bad, year="2009", nominator="浙江正言认证有限公司"))
    check(r.status == 422, "a bad nomination: 422", repr(r))
    errs = texts(r.page, "ul.errors li")
    check(any("邮政编码" in e for e in errs) and any("联系电话" in e for e in errs),
          "its errors name 邮政编码 and 联系电话", str(errs))
    form = r.page.one("form#nomination")
    if check(form is not None, "the form again"):
        for tag in ("enterprise", "postcode", "phone", "region"):
            f = form.one("input#f-" + tag)
            check(f is not None and f.get("value") == bad[tag], "the value of %s kept" % tag, repr(f))
        f = form.one("textarea#f-reason")
        check(f is not None and f.text == re.sub(r"\s+", " ", bad["reason"]).strip(), "the reason kept", repr(f))
        check(form.one("input[name=year]") is not None and form.one("input[name=year]").get("value") == "2009",
              "the year kept")
    r = s.client("sheng").get("/forms/new")
    check(r.status == 200 and r.page.one("form#nomination") is not None, "the province may fill in the form too", repr(r))
    # a date as a clerk writes it, as gen check takes it in a record
    r = c.post("/forms", dict(values, year="2009", nominator="浙江正言认证有限公司", **{"filled-on": "2009年8月28日"}))
    rid = record_id(r)
    check(r.status == 303 and rid is not None, "a good nomination: 303 to its record", repr(r))
    if rid is None:
        return
    p = c.get("/records/%d" % rid)
    check("nominations" in (p.page.one("td#kind").text if p.page.one("td#kind") else ""), "its kind: nominations")
    vrows = table_rows(p.page, "table#versions")
    check(vrows and vrows[-1][1] == "推荐表（网上填写）", "its file name: 推荐表（网上填写）", str(vrows))
    text = pdf_ok(c.get("/records/%d.pdf?template=nomination-form" % rid), "the nomination form's PDF",
                  "record-%d-nomination-form.pdf" % rid)
    check(nows(values["enterprise"]) in nows(text) and "东海质量认证有限公司" in nows(text)
          and "浙江正言" not in text, "the PDF: the enterprise, nominated by the account's org", text[:300])


# ------------------------------------------------------------------ csrf

def test_csrf(s):
    """Each POST route without csrf and with a wrong one: 403, nothing done."""
    body = s.client("donghai")
    prov = s.client("sheng")
    other = s.client("zhengyan").csrf  # a real token, of another session
    data = read(os.path.join(harness.EXAMPLES, "notice.xml"))
    before = table_rows(prov.get("/").page, "table#records")
    for token, what in ((None, "without csrf"), ("0" * 64, "with a wrong csrf"), (other, "with another session's")):
        r = body.upload("通知.xml", data, csrf=token)
        check(r.status == 403 and "表单已失效，请返回重新提交" in heading(r.page), "POST /records %s: 403" % what, repr(r))
        r = body.post_multipart("/records", [("type", "selfcheck")],
                                [("file", "自查.csv", dc.csv_bytes(dc.selfcheck_rows()))], csrf=token)
        check(r.status == 403, "POST /records (a sheet) %s: 403" % what, repr(r))
        r = body.post("/forms", {"year": "2009", "enterprise": "某公司"}, csrf=token)
        check(r.status == 403 and "表单已失效，请返回重新提交" in heading(r.page), "POST /forms %s: 403" % what, repr(r))
        for route in ("/campaign/list", "/campaign/exposure", "/campaign/bulletin"):
            r = prov.post(route, csrf=token)
            check(r.status == 403 and "表单已失效，请返回重新提交" in heading(r.page), "POST %s %s: 403" % (route, what),
                  repr(r))
        r = body.post("/logout", csrf=token)
        check(r.status == 403, "POST /logout %s: 403" % what, repr(r))
    check(table_rows(prov.get("/").page, "table#records") == before, "nothing stored by a refused POST")
    check(body.get("/").page.one("span#user") is not None, "the session lives on")


def test_escaping(s):
    c = s.client("zhengyan")
    data = read(os.path.join(harness.EXAMPLES, "notice.xml"))
    name = '通知<b>&c.xml'  # (no slash: a name is what follows the last / or \\)
    r = c.upload(name, data)
    rid = acked(s, "zhengyan", r, data)
    if not check(rid is not None, "a file name with markup: stored", repr(r)):
        return
    p = c.get("/records/%d" % rid)
    check('<b>&c' not in p.text and "通知&lt;b&gt;&amp;c.xml" in p.text, "the file name is escaped on the record page")
    check(any(name == row[1] for row in table_rows(p.page, "table#versions")), "and reads as sent")
    bad = notice_with_mistakes()
    r = c.upload('坏<i>.xml', bad)
    check(r.status == 422 and "坏<i>" not in r.text and "坏&lt;i&gt;.xml:" in r.text,
          "the file name is escaped in the errors", repr(r))


def test_methods(s):
    c = s.client("donghai")
    for method, path in (("GET", "/logout"), ("GET", "/login"), ("PUT", "/records"), ("DELETE", "/")):
        r = c.request(method, path)
        check(r.status == 405, "%s %s: 405" % (method, path), repr(r))
    r = c.get("/no/such/page")
    check(r.status == 404 and is_page(r), "an unknown route: a 404 page", repr(r))


def test_accounts(s):
    """--add-user's refusals (exit 2, a message), on the running server's
    data folder; an account made while it runs logs in."""
    for args, what in ((("donghai", "body", "某机构"), "a name taken"), (("wang", "king", "某机构"), "an unknown role"),
                       (("wang", "body", None), "a body without --of"), (("wang", "city", None), "a city without --of")):
        rc, err = dc.add_user(s.data, *args, pw="wang-mima-2009")
        check(rc == 2 and err.strip(), "--add-user refuses %s: exit 2 with a message" % what, "%d %r" % (rc, err))
    rc, err = dc.add_user(s.data, "wenzhou", "city", "温州市", pw="wenzhou-mima-2009")
    check(rc == 0, "--add-user while the server runs", err)
    r = s.client().login("wenzhou", "wenzhou-mima-2009")
    check(r.status == 303, "the new account logs in", repr(r))


def test_data_folder(s):
    """desk.db is 0600; no job folder is left behind."""
    mode = os.stat(os.path.join(s.data, "desk.db")).st_mode & 0o777
    check(mode == 0o600, "desk.db: mode 0600", oct(mode))
    work = os.path.join(s.data, "work")
    left = os.listdir(work) if os.path.isdir(work) else []
    check(left == [], "no job folder left in DATA/work", str(left[:10]))
    # the README's backup, taken while the server runs
    backup = os.path.join(TMP, "desk-backup.db")
    db = os.path.join(s.data, "desk.db")
    if shutil.which("sqlite3"):
        rc, _, err = harness.run(["sqlite3", db, ".backup %s" % backup])
        check(rc == 0, "sqlite3 .backup while the server runs", err)
    else:
        with sqlite3.connect(db) as src, sqlite3.connect(backup) as dst:
            src.backup(dst)
    con = sqlite3.connect(backup)
    ok = con.execute("PRAGMA integrity_check").fetchall()
    tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    con.close()
    check(ok == [("ok",)] and tables > 0, "the backup is whole", "%s, %d tables" % (ok, tables))
    size = os.path.getsize(backup)
    check(size > sum(len(a[4]) for a in ACKED if a[0] is s), "the backup holds the uploads' bytes", "%d bytes" % size)


def test_chinese_messages():
    """The pages are Chinese, and so are the record's errors on them, even
    from a desk started in the plain C locale (a service's default)."""
    with open(os.path.join(TMP, "通知.xml"), "wb") as f:
        f.write(notice_with_mistakes())
    rc, _, err = cli("check", "通知.xml")
    want, _ = message_lines(err)
    check(rc == 2 and want and all(re.search(r"[\u4e00-\u9fff]", l.partition(": ")[2]) for l in want),
          "gen check in the desk's language gives Chinese messages", err)
    with dc.Server(env={"LC_ALL": "C", "LANG": "C", "LANGUAGE": ""}) as s:
        r = s.client("donghai").upload("通知.xml", notice_with_mistakes())
        check(r.status == 422 and texts(r.page, "ul.errors li") == want,
              "a desk started in the C locale: gen check's Chinese messages", "%s != %s" % (texts(r.page, "ul.errors li"), want))


# -------------------------------------------------------------- campaign

def campaign_folder():
    """A clean campaign of three bodies (the first two renamed to the test
    accounts' orgs, the third sends nothing) and the cities; the
    self-check deadline far ahead, so that every upload is on time."""
    folder = os.path.join(TMP, "campaign")
    harness.make_campaign(folder, "--bodies", "3", "--enterprises", "4", "--nominees", "3", "--seed", "5")
    roster = [b.text for b in ET.parse(os.path.join(folder, "campaign.xml")).getroot().iter("body")]
    names = {roster[0]: "东海质量认证有限公司", roster[1]: "浙江正言认证有限公司"}
    for f in os.listdir(folder):
        if f.endswith(".xml"):
            path = os.path.join(folder, f)
            text = read(path).decode()
            for old, new in names.items():
                text = text.replace(old, new)
            text = text.replace('<deadline for="self-check">2009-08-31', '<deadline for="self-check">2099-12-31')
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
    return folder, roster[2]


def test_campaign():
    with dc.Server() as s:
        campaign(s)
        originals(s)


def same_findings(got, want, ids):
    """The page's findings against gen campaign check's of the same files:
    the page names a file as the clerk knows it (记录ID（单位，类型）), not by
    the job's file name; line and message the same."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        m = re.match(r"\./([^:]+):(\d+: .*)", re.sub(r"\s+", " ", w).strip())
        if not m or m.group(1) not in ids:
            return False
        label, _, rest = g.partition(":")
        if "记录%d" % ids[m.group(1)] not in label or rest != m.group(2):
            return False
    return True


def campaign(s):
    folder, silent = campaign_folder()
    prov = s.client("sheng")
    r = prov.get("/campaign")
    check(r.status == 200 and texts(r.page, "p#no-campaign") == ["尚未上传活动文件（campaign.xml）"],
          "no campaign yet: p#no-campaign", repr(r))
    check(r.page.one("form#upload") is not None, "and the upload form")
    uploads = [("donghai", "selfcheck-001.xml"), ("donghai", "nominations-001.xml"),
               ("zhengyan", "selfcheck-002.xml"), ("zhengyan", "nominations-002.xml"),
               ("ningbo", "inspection-02.xml"), ("sheng", "campaign.xml")]
    local = os.path.join(TMP, "campaign-as-stored")
    campaign_id = None
    os.makedirs(local)
    for user, f in uploads:
        data = read(os.path.join(folder, f))
        r = s.client(user).upload(f, data)
        rid = acked(s, user, r, data)
        check(rid is not None, "%s uploads %s" % (user, f), repr(r) + s.log())
        if rid is not None:
            with open(os.path.join(local, "campaign.xml" if f == "campaign.xml" else "record-%d.xml" % rid), "wb") as o:
                o.write(data)
            if f == "campaign.xml":
                campaign_id = rid
                p = prov.get("/records/%d" % rid)
                check("campaign" in (p.page.one("td#kind").text if p.page.one("td#kind") else "")
                      and texts(p.page, "td#org") == ["省局"] and not p.page.select("ul#documents li"),
                      "the campaign's record: kind campaign, org 省局, no documents", p.text[:500])
    ids = {f: int(f[7:-4]) for f in os.listdir(local) if f.startswith("record-")}
    ids["campaign.xml"] = campaign_id
    rc, out, err = cli("campaign", "check", ".", cwd=local)
    findings = [l for l in out.splitlines() if re.match(r"\S+\.xml:\d+: ", l)]
    check(rc == 0, "the local check of the same files lets it be published (the reference)", out + err)
    r = prov.get("/campaign")
    check(r.status == 200 and r.page.one("p#no-campaign") is None, "GET /campaign: 200, a campaign", repr(r))
    check(texts(r.page, "p#verdict") == ["可以公布"], "p#verdict 可以公布", str(texts(r.page, "p#verdict")))
    got = texts(r.page, "ul#findings li")
    check(same_findings(got, findings, ids), "ul#findings: the campaign check's findings",
          "\n got  %s\n want %s" % (got, findings))
    rows = table_rows(r.page, "table#bodies")
    roster = [b.text for b in ET.parse(os.path.join(folder, "campaign.xml")).getroot().iter("body")]
    check([row[0] for row in rows[:3]] == roster, "table#bodies: a row for each body of the roster, in its order",
          str(rows))
    by = {row[0] if row else "": " ".join(row) for row in rows}
    row_of = {name: by.get(name, "") for name in ("东海质量认证有限公司", "浙江正言认证有限公司", silent)}
    check("未报" in row_of[silent], "the body that sent nothing: 未报", str(by))
    for name in ("东海质量认证有限公司", "浙江正言认证有限公司"):
        check("按时" in row_of[name] and "未报" not in row_of[name].replace("按时", ""),
              "%s: sent in time (按时)" % name, row_of[name])
    check(r.page.one("ul#uncounted") is None, "every record counted in the table: no ul#uncounted")
    for what in ("list", "exposure", "bulletin"):
        form = r.page.one("form#make-" + what)
        check(form is not None and form.get("action") == "/campaign/" + what and form.one("input[name=csrf]") is not None,
              "form#make-%s posts to /campaign/%s with csrf" % (what, what), repr(form))
    builds = (("list", "public-list", "demo-list"), ("exposure", "exposure-list", "exposure-list"),
              ("bulletin", "notice", "notice"))
    for what, kind, template in builds:
        rc, _, err = cli("campaign", what, ".", "-o", os.path.join(TMP, "made-%s.xml" % what), cwd=local)
        title = ET.parse(os.path.join(TMP, "made-%s.xml" % what)).getroot().findtext("title") if rc == 0 else None
        r = prov.post("/campaign/" + what)
        rid = record_id(r)
        check(r.status == 303 and rid is not None, "POST /campaign/%s: 303 to a record" % what, repr(r) + s.log())
        if rid is None:
            continue
        p = prov.get("/records/%d" % rid)
        kind_text = p.page.one("td#kind").text if p.page.one("td#kind") else ""
        check(kind in kind_text and texts(p.page, "td#org") == ["省局"], "%s: a %s record of 省局" % (what, kind),
              kind_text)
        hrefs = [a.get("href") for a in p.page.select("ul#documents li a")]
        href = "/records/%d.pdf?template=%s" % (rid, template)
        check(href in hrefs, "%s: its page links its PDF (%s)" % (what, template), str(hrefs))
        text = pdf_ok(prov.get(href), "%s's PDF" % what, "record-%d-%s.pdf" % (rid, template))
        check(title and nows(title) in nows(text), "%s's PDF: its title (%s)" % (what, title), text[:300])
        if what == "list":
            nominee = ET.parse(os.path.join(folder, "nominations-001.xml")).getroot().findtext("nomination/enterprise")
            check(nows(nominee) in nows(text), "the public list names a nominee of 东海", nominee)
        with open(os.path.join(local, "record-%d.xml" % rid), "wb") as o:
            # the record as the office's folder would hold it, for the checks after
            o.write(read(os.path.join(TMP, "made-%s.xml" % what)) if rc == 0 else b"")
    # a nominee of 东海's nominated by 正言 as well: a blocking finding
    first = ET.parse(os.path.join(folder, "nominations-001.xml")).getroot().find("nomination")
    text = read(os.path.join(folder, "nominations-002.xml")).decode()
    text = text.replace("</nominations>", ET.tostring(first, encoding="unicode") + "\n</nominations>")
    data = text.encode()
    r = s.client("zhengyan").upload("推荐表-补.xml", data)
    acked(s, "zhengyan", r, data)
    r = prov.get("/campaign")
    check(texts(r.page, "p#verdict") == ["暂不能公布"], "a nominee of two bodies: 暂不能公布",
          str(texts(r.page, "p#verdict")))
    check(any(first.findtext("enterprise") in l for l in texts(r.page, "ul#findings li")),
          "the finding names the enterprise", str(texts(r.page, "ul#findings li")))
    # an account made with the body's name typed another way: its record is
    # counted for no body of the table, and listed under it
    rc, err = dc.add_user(s.data, "donghai-b", "body", "东海质量认证公司")
    check(rc == 0, "an account of 东海质量认证公司 (not the campaign's name)", err)
    data = read(os.path.join(folder, "selfcheck-001.xml"))
    rid = acked(s, "donghai-b", s.client("donghai-b").upload("自查.xml", data), data)
    r = prov.get("/campaign")
    items = texts(r.page, "ul#uncounted li")
    check(rid is not None and items == ["记录%d（东海质量认证公司，%s）" % (rid, "自查报告")],
          "ul#uncounted: the record of the misnamed account, with its organisation and kind", str(items))
    rows = {row[0]: row for row in table_rows(r.page, "table#bodies") if row}
    cities = list(ET.parse(os.path.join(folder, "campaign.xml")).getroot().iter("city"))
    check(len(rows) == len(roster) + len(cities) and "东海质量认证公司" not in rows,
          "the table still has a row per body and city of the campaign, none for the misnamed account",
          str(sorted(rows)))


# ------------------------------------------------------------- originals

def originals(s):
    """Every acknowledged upload of this server: its bytes back exactly."""
    mine = [a for a in ACKED if a[0] is s]
    clients = {}
    for _, user, rid, version, data in mine:
        c = clients.get(user) or clients.setdefault(user, s.client(user))
        r = c.get("/records/%d/original?v=%d" % (rid, version))
        check(r.status == 200 and r.body == data, "record %d version %d: the bytes as sent" % (rid, version),
              "%d, %d bytes, want %d" % (r.status, len(r.body), len(data)))
        check((r.header("Content-Disposition") or "").startswith("attachment"), "the original: an attachment")
    check(len(mine) > 0, "some uploads acknowledged")


def main():
    if not harness.can_run("pdftotext") or not os.access(dc.DESK, os.X_OK):
        check(os.access(dc.DESK, os.X_OK), "bin/gen-desk exists", "run make all")
        finish()
    try:
        s = dc.Server().start()
    except RuntimeError as e:
        check(False, "the server starts", str(e))
        finish()
    try:
        for name, test in (("login page", test_login_page), ("login", test_login), ("wrong password", test_wrong_password),
                           ("secure cookie", test_secure_cookie), ("not logged in", test_not_logged_in),
                           ("upload xml", test_upload_xml), ("bad xml", test_bad_xml),
                           ("refused files", test_refused_files), ("sheet", test_sheet), ("xlsx", test_xlsx),
                           ("oversize", test_oversize), ("visibility", test_visibility),
                           ("province only", test_province_only), ("pdf", test_pdf), ("forms", test_forms),
                           ("csrf", test_csrf), ("escaping", test_escaping), ("methods", test_methods),
                           ("logout", test_logout), ("accounts", test_accounts), ("originals", originals),
                           ("data folder", test_data_folder)):
            guarded(name, test, s)
        rc = s.stop()
        check(rc == 0, "SIGTERM: the server exits 0", "exit %s: %s" % (rc, s.log()))
    finally:
        s.cleanup()
    guarded("rate limit", test_rate_limit)
    guarded("chinese messages", test_chinese_messages)
    guarded("campaign", test_campaign)
    finish()


if __name__ == "__main__":
    main()
