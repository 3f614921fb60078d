"""What the tests of the desk (gen serve) share: a server started on a port
the kernel picks, with a fresh data folder and the test accounts; a client
with a cookie jar that picks up the csrf field of the pages it reads and
posts urlencoded and multipart forms without following redirects (so a
303 is seen as a 303); a small reading of the HTML pages (elements by tag,
id, class and attribute); and the records the tests upload: self-check
sheets saved as GBK CSV and as .xlsx, made from examples/selfcheck.xml.

Python 3 standard library only."""
import csv
import html.parser
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

import harness

DESK = os.path.join(os.path.dirname(harness.GEN), "gen-desk")

# the test accounts of the spec: name -> (role, org); password NAME-mima-2009
ACCOUNTS = {"sheng": ("province", "省局"), "donghai": ("body", "东海质量认证有限公司"),
            "zhengyan": ("body", "浙江正言认证有限公司"), "ningbo": ("city", "宁波市")}


def password(name):
    return name + "-mima-2009"


# ------------------------------------------------------------- the server ---

class Server:
    """bin/gen serve --data DATA --listen 127.0.0.1:0 [extra]: started by
    start(), its messages kept in DATA/../server.log (log() reads them, for
    failure messages), stopped by stop() (SIGTERM) or kill() (SIGKILL).
    The data folder is made fresh, with the accounts, unless data= names
    one that is there."""

    def __init__(self, extra=(), env=None, accounts=ACCOUNTS, data=None):
        self.tmp = tempfile.mkdtemp(prefix="desk-")
        self.data = data or os.path.join(self.tmp, "data")
        self.extra = list(extra)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.port = None
        self.logpath = os.path.join(self.tmp, "server.log")
        if not os.path.isdir(self.data):
            os.makedirs(self.data)
            for name, (role, org) in accounts.items():
                add_user(self.data, name, role, org)

    def start(self, timeout=30):
        """Starts the server and waits for its `listening on` line; returns
        self.  Raises RuntimeError with its log when it does not come."""
        log = open(self.logpath, "ab")
        start_at = log.tell()
        self.proc = subprocess.Popen([harness.GEN, "serve", "--data", self.data, "--listen", "127.0.0.1:0",
                                      *self.extra], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     env=self.env)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.logpath, "rb") as f:
                f.seek(start_at)
                text = f.read().decode("utf-8", "replace")
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", text)
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("gen serve exited (%d) before listening: %s" % (self.proc.returncode, text.strip()))
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("gen serve did not say it listens within %d s: %s" % (timeout, self.log()))

    def log(self, tail=3000):
        """The end of what the server printed."""
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")[-tail:]
        except OSError:
            return ""

    def client(self, user=None, **kw):
        """A new client of this server, logged in as user when given."""
        c = Client(self.port, **kw)
        if user:
            c.login(user)
        return c

    def stop(self, timeout=20):
        """SIGTERM, then waits: the exit status (None when it had to be
        killed)."""
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        """SIGKILL (kill -9), then waits."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


def add_user(data, name, role, org=None, pw=None):
    """gen serve --data DATA --add-user NAME --role ROLE [--of ORG], the
    password on stdin: (exit status, stderr)."""
    args = [harness.GEN, "serve", "--data", data, "--add-user", name, "--role", role]
    if org:
        args += ["--of", org]
    p = subprocess.run(args, input=((pw or password(name)) + "\n").encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0 and pw is None:
        raise RuntimeError("--add-user %s failed (%d): %s" % (name, p.returncode, p.stderr.decode("utf-8", "replace")))
    return p.returncode, p.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------ the client ---

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # a list of (name, value)
        self.body = body
        self._page = None

    def header(self, name):
        """The first header of that name (case-insensitive), or None."""
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def page(self):
        """The body read as an HTML page (Node)."""
        if self._page is None:
            self._page = parse_html(self.text)
        return self._page

    def __repr__(self):
        return "<%d %s>" % (self.status, self.text[:300].replace("\n", " "))


class Client:
    """One browser: cookies (desk_session), the csrf of the last page read
    that had one; requests never follow redirects."""

    def __init__(self, port, host="127.0.0.1", timeout=60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None):
        h = {"Host": "%s:%d" % (self.host, self.port)}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            if body is not None and "Content-Length" not in h and h.get("Transfer-Encoding") != "chunked":
                h["Content-Length"] = str(len(body))
            for k, v in h.items():
                conn.putheader(k, v)
            conn.endheaders()
            if body is not None:
                try:
                    # in pieces: a server that refuses early closes the connection
                    for at in range(0, len(body), 1 << 16):
                        conn.send(body[at:at + (1 << 16)])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # its answer may still be there to read
            r = conn.getresponse()
            resp = Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        self._take(resp)
        return resp

    def _take(self, resp):
        for c in resp.all("Set-Cookie"):
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            if re.search(r";\s*Max-Age=0\b", c, re.I) or value == "":
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        ctype = resp.header("Content-Type") or ""
        if "html" in ctype:
            m = re.search(r'<input[^>]*name="csrf"[^>]*>', resp.text)
            if m:
                v = re.search(r'value="([^"]*)"', m.group(0))
                if v:
                    self.csrf = v.group(1)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def _with_csrf(self, fields, csrf):
        fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf is True:
            if self.csrf is None:
                self.get("/")
            fields.append(("csrf", self.csrf or ""))
        elif csrf:
            fields.append(("csrf", csrf))
        return fields

    def post(self, path, fields=(), csrf=True, headers=None):
        """An urlencoded form; csrf: True the one picked up, None none, a
        string that string."""
        body = urllib.parse.urlencode(self._with_csrf(fields, csrf)).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body, h)

    def post_multipart(self, path, fields=(), files=(), csrf=True, headers=None):
        """A multipart/form-data form: fields (name, value), files (name,
        filename, bytes[, content type])."""
        body, ctype = multipart(self._with_csrf(fields, csrf), files)
        h = {"Content-Type": ctype}
        h.update(headers or {})
        return self.request("POST", path, body, h)

    def login(self, user, pw=None, headers=None):
        """POST /login; on success reads / for its csrf."""
        r = self.post("/login", {"user": user, "password": pw if pw is not None else password(user)},
                      csrf=None, headers=headers)
        if r.status == 303:
            self.get("/")
        return r

    def upload(self, filename, data, kind=None, settings=None, csrf=True):
        """POST /records as the home page's form does."""
        fields = []
        if kind:
            fields.append(("type", kind))
        if settings is not None:
            fields.append(("settings", settings))
        return self.post_multipart("/records", fields, [("file", filename, data)], csrf=csrf)


def multipart(fields, files):
    """The body and the Content-Type of a multipart/form-data form."""
    boundary = "----desk" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode())
        out.write(value.encode() if isinstance(value, str) else value)
        out.write(b"\r\n")
    for f in files:
        name, filename, data = f[:3]
        ctype = f[3] if len(f) > 3 else "application/octet-stream"
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(("--%s--\r\n" % boundary).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + boundary


def record_id(resp):
    """The record id of a 303 to /records/ID, or None."""
    m = re.fullmatch(r"(?:http://[^/]+)?/records/(\d+)", resp.header("Location") or "")
    return int(m.group(1)) if m else None


# ---------------------------------------------------------- HTML reading ---

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# a tag that closes an open one of these when it starts (p, li, td ...
# whose end tag HTML lets one leave out)
IMPLIED_END = {"li": {"li"}, "p": {"p"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
               "option": {"option"}}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Nodes and strings

    @property
    def text(self):
        """Every text inside, joined, with white space runs as one space."""
        parts = []

        def walk(n):
            for c in n.children:
                if isinstance(c, str):
                    parts.append(c)
                else:
                    walk(c)
        walk(self)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def select(self, selector):
        """Elements matching a selector of compounds (tag#id.class[attr=v])
        separated by spaces (descendants), in document order."""
        nodes = [self]
        for part in selector.split():
            test = _compound(part)
            found, seen = [], set()
            for n in nodes:
                for d in n.walk():
                    if id(d) not in seen and test(d):
                        seen.add(id(d))
                        found.append(d)
            nodes = found
        return nodes

    def one(self, selector):
        """The first element matching, or None."""
        found = self.select(selector)
        return found[0] if found else None

    def __repr__(self):
        return "<%s %s: %s>" % (self.tag, self.attrs, self.text[:80])


def _compound(part):
    m = re.fullmatch(r"([a-zA-Z0-9]*)((?:[#.][\w-]+)*)((?:\[[\w-]+(?:=[^\]]*)?\])*)", part)
    if not m:
        raise ValueError("selector not understood: " + part)
    tag = m.group(1).lower()
    ids = re.findall(r"#([\w-]+)", m.group(2))
    classes = re.findall(r"\.([\w-]+)", m.group(2))
    attrs = [(a, v.strip("\"'") if v else None) for a, v in re.findall(r"\[([\w-]+)(?:=([^\]]*))?\]", m.group(3))]

    def test(n):
        if tag and n.tag != tag:
            return False
        if ids and n.get("id") != ids[0]:
            return False
        if any(c not in n.classes() for c in classes):
            return False
        for a, v in attrs:
            if a not in n.attrs or (v is not None and n.attrs[a] != v):
                return False
        return True
    return test


class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        closes = IMPLIED_END.get(tag)
        if closes:
            n = self.cur
            while n is not self.root and n.tag not in ("ul", "ol", "table", "tbody", "thead", "select", "form"):
                if n.tag in closes:
                    self.cur = n.parent
                    break
                n = n.parent
        node = Node(tag, [(k, v if v is not None else "") for k, v in attrs], self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, [(k, v if v is not None else "") for k, v in attrs], self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(text):
    p = _Parser()
    p.feed(text)
    p.close()
    return p.root


def texts(page, selector):
    """The texts of the elements matching."""
    return [n.text for n in page.select(selector)]


def table_rows(page, selector):
    """The rows of the table matching selector, each a list of its cells'
    texts; header rows (of th only) left out."""
    table = page.one(selector)
    if table is None:
        return []
    rows = []
    for tr in table.select("tr"):
        cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
        if cells and any(c.tag == "td" for c in cells):
            rows.append([c.text for c in cells])
    return rows


def pdf_text_of(data, tmp):
    """What pdftotext reads in PDF bytes (one line of text, white space as
    in the PDF), or "" when it cannot."""
    path = os.path.join(tmp, "got-%s.pdf" % secrets.token_hex(4))
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.remove(path)
    return p.stdout.decode("utf-8", "replace") if p.returncode == 0 else ""


def nows(text):
    return re.sub(r"\s+", "", text)


# ---------------------------------------------- the records uploaded ---

SELFCHECK_HEADINGS = ["序号", "企业名称", "所在地区", "所在县（市、区）", "企业地址", "邮政编码", "主要产品", "证书编号",
                      "认证类型", "认证标准", "发证日期", "有效期至", "证书状态", "检查日期", "处理结果", "发现的主要问题",
                      "整改措施"]
# what the sheet does not hold, as the home page's settings box takes it
SELFCHECK_SETTINGS = ("认证机构=东海质量认证有限公司\n批准号=CNCA-R-2003-099\n机构地址=杭州市西湖区文三路100号\n"
                      "联系人=李华\n联系电话=0571-80000001\n检查开始=2009-05-20\n检查结束=2009-08-28\n"
                      "报告=按照省局的统一部署开展了自查，逐一检查了获证企业。\n")


def settings_args(settings):
    """The --set arguments the desk makes of a settings box."""
    return [a for line in settings.splitlines() if line.strip() for a in ("--set", line)]


def selfcheck_rows():
    """The enterprises of examples/selfcheck.xml as a clerk's sheet:
    headings, then a row each."""
    root = ET.parse(os.path.join(harness.EXAMPLES, "selfcheck.xml")).getroot()
    rows = [list(SELFCHECK_HEADINGS)]
    for i, e in enumerate(root.iter("enterprise")):
        c, k = e.find("certificate"), e.find("check")
        rows.append([str(i + 1), e.findtext("name"), e.findtext("region"), e.findtext("county"), e.findtext("address"),
                     e.findtext("postcode"), e.findtext("products"), c.get("no"), c.get("type"), c.get("standard"),
                     c.get("issued"), c.get("expires"), c.get("status"), k.get("date"), k.get("result"),
                     k.findtext("findings"), k.findtext("actions")])
    return rows


def csv_bytes(rows, encoding="gbk"):
    """The rows as Excel saves a CSV on Chinese Windows: GBK, CRLF."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def bad_selfcheck_rows():
    """The sheet with one mistake: row 4 (the third enterprise) has no
    such date as its 检查日期.  (rows, the sheet row, the heading)"""
    rows = selfcheck_rows()
    rows[3][13] = "2009-13-45"
    return rows, 4, "检查日期"


def xlsx_bytes(rows):
    """A workbook of one sheet holding the rows as inline strings: the
    least a spreadsheet program writes."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = "".join('<c r="%s%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (col(c), r, esc(v))
                        for c, v in enumerate(row) if v != "")
        sheet_rows.append('<row r="%d">%s</row>' % (r, cells))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>' % rel,
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets><sheet name="自查" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>' % rel,
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData>'
        '</worksheet>' % (ns, "".join(sheet_rows)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def read(path):
    with open(path, "rb") as f:
        return f.read()
