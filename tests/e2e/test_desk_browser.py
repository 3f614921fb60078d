"""The desk in a real browser (Debian's chromium, driven by chromium-driver
through python3-selenium, headless, 1280x1000), the story of issue 18: a
body logs in, uploads a GBK CSV self-check sheet with a mistake, reads the
error on the page, uploads the fixed sheet, downloads the summary PDF;
fills in a nomination form and downloads it; the province logs in, uploads
the campaign, builds the public list and downloads it.  Each PDF is read
with pdftotext.  A screenshot of each step: build/desk-screens/NN-name.png.

chromium, chromium-driver and python3-selenium are installed by make deps:
when one is missing the test fails saying which, it does not skip."""
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import deskclient as dc
import harness
from deskclient import nows
from harness import check, finish
from sheetcheck import NOMINATION_FIELDS

try:
    import selenium  # noqa: F401
except ImportError:
    # Debian's python3-selenium, when the python3 found first is not Debian's
    sys.path.append("/usr/lib/python3/dist-packages")
try:
    from selenium import webdriver
    from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection
    from selenium.webdriver.remote.file_detector import UselessFileDetector
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import Select, WebDriverWait
    SELENIUM = None
except ImportError as e:
    SELENIUM = str(e)

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENS = os.path.join(harness.ROOT, "build", "desk-screens")
TMP = tempfile.mkdtemp(prefix="test-desk-browser-")
DOWNLOADS = os.path.join(TMP, "downloads")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, seconds, what, proc, log):
    """Until ready(); an error with the end of the process's log when it
    ended first or seconds passed."""
    end = time.time() + seconds
    while not ready():
        if proc.poll() is not None or time.time() > end:
            with open(log, "rb") as f:
                said = f.read()[-1500:].decode("utf-8", "replace")
            raise RuntimeError("%s: %s; %s says: %s" % (
                what, "not there after %d s" % seconds if proc.poll() is None else "exit %s" % proc.poll(),
                os.path.basename(log), said))
        time.sleep(0.1)


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        return True
    except OSError:
        return False


class Browser:
    """Debian's chromium, headless, its DevTools on 127.0.0.1, and
    chromium-driver attached to it, both started here.  Left to themselves,
    selenium reaches the driver it starts, and the driver the browser it
    starts, by the name "localhost", which a bare Debian root made by
    debootstrap (no /etc/hosts) cannot resolve."""

    def __init__(self):
        self.procs, self.driver = [], None
        try:
            self.begin()
        except BaseException:
            self.quit()
            raise

    def begin(self):
        profile = os.path.join(TMP, "profile")
        os.makedirs(os.path.join(profile, "Default"), exist_ok=True)
        with open(os.path.join(profile, "Default", "Preferences"), "w") as f:
            json.dump({"download": {"default_directory": DOWNLOADS, "prompt_for_download": False},
                       "plugins": {"always_open_pdf_externally": True}}, f)
        chromium = self.start([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                    "--disable-dev-shm-usage", "--lang=zh-CN", "--no-first-run", "--user-data-dir=" + profile,
                    "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"], "chromium")
        active = os.path.join(profile, "DevToolsActivePort")
        wait_until(lambda: self.read_port(active), 60, "chromium's " + active, chromium, self.log("chromium"))
        driver_port = free_port()
        driver = self.start([DRIVER, "--port=%d" % driver_port], "chromedriver")
        wait_until(lambda: answers(driver_port), 30, "chromedriver on 127.0.0.1:%d" % driver_port, driver,
                   self.log("chromedriver"))
        opts = webdriver.ChromeOptions()
        opts.debugger_address = "127.0.0.1:%d" % self.read_port(active)
        server = ChromiumRemoteConnection("http://127.0.0.1:%d" % driver_port, "goog", "chrome")
        # the files a form uploads are on this machine, as is the browser
        self.driver = webdriver.Remote(command_executor=server, options=opts,
                                       file_detector=UselessFileDetector())

    @staticmethod
    def log(name):
        return os.path.join(TMP, name + ".log")

    def start(self, argv, name):
        with open(self.log(name), "wb") as log:
            self.procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
        return self.procs[-1]

    @staticmethod
    def read_port(path):
        """The DevTools port chromium chose (its first line), or None."""
        try:
            with open(path) as f:
                first = f.readline().strip()
            return int(first) if first.isdigit() else None
        except OSError:
            return None

    def quit(self):
        """The browser closed as a user closes it (its helper processes end
        with it), then the driver."""
        if self.driver:
            for cmd in (lambda: self.driver.execute("executeCdpCommand", {"cmd": "Browser.close", "params": {}}),
                        self.driver.quit):
                try:
                    cmd()
                except WebDriverException:
                    pass
        for p in self.procs:  # chromium, closing; then chromedriver, which stays
            try:
                p.wait(10 if p is self.procs[0] else 0)
            except subprocess.TimeoutExpired:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


class Story:
    def __init__(self, server):
        self.s = server
        self.base = "http://127.0.0.1:%d" % server.port
        self.step = 0
        self.browser = Browser()
        self.d = self.browser.driver
        self.d.set_window_size(1280, 1000)
        self.d.set_page_load_timeout(60)
        self.d.execute("executeCdpCommand", {"cmd": "Browser.setDownloadBehavior",
                                             "params": {"behavior": "allow", "downloadPath": DOWNLOADS}})

    def shot(self, name):
        self.step += 1
        path = os.path.join(SCREENS, "%02d-%s.png" % (self.step, name))
        self.d.save_screenshot(path)
        return path

    def open(self, path):
        self.d.get(self.base + path)

    def find(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css):
        return [e.text.strip() for e in self.finds(css)]

    def submit(self, button):
        """Clicks a button or link that leads to another page and waits
        for that page (a click returns before the browser has it): the old
        page is marked, and the wait is for a whole page without the mark.
        (Watching the old page's element go stale races with chromium
        dropping it: "Node ... does not belong to the document".)"""
        self.d.execute_script("window.__desk_old_page = true;")
        button.click()

        def new_page(d):
            try:
                return d.execute_script(
                    "return !window.__desk_old_page && document.readyState === 'complete';")
            except WebDriverException:  # the page is changing under us
                return False
        WebDriverWait(self.d, 60).until(new_page)

    def path(self):
        return self.d.current_url[len(self.base):]

    def login(self, user):
        self.open("/")
        form = self.find("form#login")
        form.find_element(By.NAME, "user").send_keys(user)
        form.find_element(By.NAME, "password").send_keys(dc.password(user))
        self.shot("login-" + user)
        self.submit(form.find_element(By.CSS_SELECTOR, "[type=submit]"))
        user_span = self.finds("span#user")
        check(user_span and user_span[0].text.startswith(user), "%s is logged in" % user, self.d.page_source[:300])

    def logout(self):
        self.submit(self.find("form#logout [type=submit]"))
        check(self.finds("form#login"), "logged out: the login form")

    def upload(self, path, kind=None, settings=None):
        form = self.find("form#upload")
        form.find_element(By.NAME, "file").send_keys(path)
        if kind:
            Select(form.find_element(By.NAME, "type")).select_by_value(kind)
        if settings:
            box = form.find_element(By.NAME, "settings")
            box.clear()
            box.send_keys(settings)
        self.submit(form.find_element(By.CSS_SELECTOR, "[type=submit]"))

    def download(self, link, name):
        """Clicks the link; waits for the file `name` in the download
        folder: its path, or None."""
        for f in glob.glob(os.path.join(DOWNLOADS, "*")):
            os.remove(f)
        link.click()
        want = os.path.join(DOWNLOADS, name)
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(want) and not glob.glob(os.path.join(DOWNLOADS, "*.crdownload")):
                return want
            time.sleep(0.2)
        check(False, "the download %s" % name, "found: %s" % os.listdir(DOWNLOADS))
        return None

    def document_link(self, template):
        links = [a for a in self.finds("ul#documents li a")
                 if (a.get_attribute("href") or "").endswith("template=" + template)]
        check(links, "the record page links %s" % template, str(self.texts("ul#documents li a")))
        return links[0] if links else None

    def quit(self):
        self.browser.quit()


def pdf_text(path):
    return dc.pdf_text_of(dc.read(path), TMP) if path else ""


def body_story(b):
    b.login("donghai")
    b.shot("home-donghai")
    rows, row, head = dc.bad_selfcheck_rows()
    sheets = os.path.join(TMP, "bad")
    os.makedirs(sheets)
    bad = os.path.join(sheets, "自查.csv")
    with open(bad, "wb") as f:
        f.write(dc.csv_bytes(rows))
    b.upload(bad, "selfcheck", dc.SELFCHECK_SETTINGS)
    errs = b.texts("ul.errors li")
    b.shot("sheet-error")
    check("文件有误，未保存" in b.texts("h1"), "the page says 文件有误，未保存", str(b.texts("h1")))
    check(any(e.startswith("自查.csv:%d: " % row) and head in e for e in errs),
          "the error on the page names row %d and %s" % (row, head), str(errs))
    fixed = os.path.join(TMP, "自查.csv")
    with open(fixed, "wb") as f:
        f.write(dc.csv_bytes(dc.selfcheck_rows()))
    b.upload(fixed, "selfcheck", dc.SELFCHECK_SETTINGS)
    check(b.path().startswith("/records/"), "the fixed sheet: the record's page", b.path())
    b.shot("sheet-stored")
    rid = b.path().split("/")[-1]
    check("self-check" in " ".join(b.texts("td#kind")), "its kind: self-check", str(b.texts("td#kind")))
    link = b.document_link("selfcheck-summary")
    if link:
        pdf = b.download(link, "record-%s-selfcheck-summary.pdf" % rid)
        text = nows(pdf_text(pdf))
        check(dc.selfcheck_rows()[1][1] in text and "东海质量认证有限公司" in text,
              "the summary PDF (pdftotext): the sheet's enterprises", text[:200])
    # the nomination form
    b.open("/")
    b.submit(b.find("a[href='/forms/new']"))
    form = b.find("form#nomination")
    nom = ET.parse(os.path.join(harness.EXAMPLES, "nominations.xml")).getroot().find("nomination")
    year = form.find_element(By.NAME, "year")
    year.clear()
    year.send_keys("2009")
    for _, tag in NOMINATION_FIELDS:
        field = form.find_element(By.ID, "f-" + tag)
        field.clear()
        field.send_keys(" ".join(nom.findtext(tag).split()))
    b.shot("nomination-filled")
    b.submit(form.find_element(By.CSS_SELECTOR, "[type=submit]"))
    check(b.path().startswith("/records/"), "the nomination: stored, its page", b.path() + " " +
          " ".join(b.texts("ul.errors li")))
    b.shot("nomination-stored")
    rid = b.path().split("/")[-1]
    link = b.document_link("nomination-form")
    if link:
        pdf = b.download(link, "record-%s-nomination-form.pdf" % rid)
        text = nows(pdf_text(pdf))
        check(nows(nom.findtext("enterprise")) in text and "东海质量认证有限公司" in text,
              "the nomination form PDF: the enterprise and its nominator", text[:200])
    b.logout()
    return nom.findtext("enterprise").strip()


def province_story(b, nominee):
    b.login("sheng")
    b.shot("home-sheng")
    b.submit(b.find("a[href='/campaign']"))
    check(b.finds("p#no-campaign"), "no campaign yet: p#no-campaign")
    folder = os.path.join(TMP, "campaign")
    harness.make_campaign(folder, "--bodies", "2", "--enterprises", "3", "--nominees", "3", "--seed", "5")
    roster = [x.text for x in ET.parse(os.path.join(folder, "campaign.xml")).getroot().iter("body")]
    path = os.path.join(TMP, "campaign.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(dc.read(os.path.join(folder, "campaign.xml")).decode().replace(roster[0], "东海质量认证有限公司"))
    b.upload(path)
    check(b.path().startswith("/records/"), "the campaign uploaded: its record page", b.path())
    b.open("/campaign")
    verdict = b.texts("p#verdict")
    check(verdict in (["可以公布"], ["暂不能公布"]), "the campaign page gives a verdict", str(verdict))
    check(b.finds("table#bodies"), "table#bodies")
    rows = [r.text for r in b.finds("table#bodies tr")]
    check(any("东海质量认证有限公司" in r for r in rows), "东海 in table#bodies", str(rows))
    b.shot("campaign")
    b.submit(b.find("form#make-list [type=submit]"))
    check(b.path().startswith("/records/"), "the public list built: its record page", b.path())
    b.shot("public-list")
    rid = b.path().split("/")[-1]
    link = b.document_link("demo-list")
    if link:
        pdf = b.download(link, "record-%s-demo-list.pdf" % rid)
        text = nows(pdf_text(pdf))
        check(nows(nominee) in text, "the public list PDF names the nominee", text[:300])
        if pdf:
            shutil.copy(pdf, os.path.join(SCREENS, "public-list.pdf"))


def main():
    missing = [p for p in (CHROMIUM, DRIVER) if not os.access(p, os.X_OK)]
    ok = check(not missing, "chromium and chromium-driver are installed", "missing %s: make deps" % missing)
    ok = check(SELENIUM is None, "python3-selenium is installed", "%s: make deps" % SELENIUM) and ok
    ok = harness.can_run("pdftotext") and ok
    if not ok:
        finish()
    os.makedirs(SCREENS, exist_ok=True)
    os.makedirs(DOWNLOADS, exist_ok=True)
    for old in glob.glob(os.path.join(SCREENS, "*.png")):
        os.remove(old)
    with dc.Server() as s:
        try:
            b = Story(s)
        except Exception as e:  # noqa: BLE001
            check(False, "chromium starts through chromedriver", "%s: %s" % (type(e).__name__, e))
            finish()
        try:
            nominee = None
            try:
                nominee = body_story(b)
            except Exception as e:  # noqa: BLE001
                b.shot("failed")
                check(False, "the body's story", "%s: %s (%s)" % (type(e).__name__, e, s.log(800)))
            try:
                province_story(b, nominee or "")
            except Exception as e:  # noqa: BLE001
                b.shot("failed")
                check(False, "the province's story", "%s: %s (%s)" % (type(e).__name__, e, s.log(800)))
        finally:
            b.quit()
    print("screenshots:", SCREENS)
    finish()


if __name__ == "__main__":
    main()
