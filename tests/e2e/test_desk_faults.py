"""The desk under faults and load, with its test hooks on
(GEN_DESK_FAULTS=1, --job-timeout 4, two workers): a render that crashes
answers 500 and the server goes on, other renders succeeding meanwhile; a
render that hangs answers 500 at the timeout while another client's
renders go on; kill -9 in the middle of many concurrent uploads, then a
restart: every acknowledged upload is there byte for byte and the database
passes PRAGMA integrity_check; 20 clients for 8 s uploading and
downloading, every answer right and the same PDF every time."""
import os
import socket
import sqlite3
import tempfile
import threading
import time

import deskclient as dc
import harness
from deskclient import read, record_id, table_rows, texts
from harness import check, finish, guarded

TMP = tempfile.mkdtemp(prefix="test-desk-faults-")
NOTICE = read(os.path.join(harness.EXAMPLES, "notice.xml"))
FAULTS = {"env": {"GEN_DESK_FAULTS": "1"}, "extra": ["--job-timeout", "4", "--workers", "2"]}


def numbered(n):
    """The notice with a comment making its bytes those of upload n."""
    return NOTICE.replace(b"<notice>", b"<!-- upload %d -->\n<notice>" % n, 1)


def bad_notice(n):
    return numbered(n).replace(b"<title>", b"<titel>", 1).replace(b"</title>", b"</titel>", 1)


def stored_notice(s, user="donghai"):
    """Uploads the notice as user: (client, record id)."""
    c = s.client(user)
    r = c.upload("通知.xml", NOTICE)
    rid = record_id(r)
    if not check(rid is not None, "%s uploads a notice" % user, repr(r) + s.log()):
        raise RuntimeError("no record to render")
    return c, rid


def test_crash(s):
    c, rid = stored_notice(s)
    good = c.get("/records/%d.pdf?template=notice" % rid)
    check(good.status == 200 and good.body.startswith(b"%PDF"), "a render before the crash", repr(good))
    results, stop = [], threading.Event()

    def renders():
        other = s.client("zhengyan")
        oc, orid = other, None
        r = oc.upload("通知.xml", NOTICE)
        orid = record_id(r)
        while not stop.is_set() and orid:
            r = oc.get("/records/%d.pdf?template=notice" % orid)
            results.append((r.status, r.body == good.body))
    t = threading.Thread(target=renders)
    t.start()
    deadline = time.monotonic() + 30
    while not results and time.monotonic() < deadline:
        time.sleep(0.05)
    # crashes, one after the other, until the other client has had three
    # renders answered while they went on
    crashes, before = [], len(results)
    while (len(crashes) < 3 or len(results) < before + 3) and len(crashes) < 50:
        crashes.append(c.get("/records/%d.pdf?template=__crash__" % rid))
    during = len(results) - before
    stop.set()
    t.join(60)
    for r in crashes:
        err = " ".join(texts(r.page, "p.error"))
        check(r.status == 500 and "渲染进程崩溃" in err, "a crashing render: 500 with 渲染进程崩溃…", repr(r))
    check(during >= 3 and all(st == 200 and same for st, same in results),
          "another client's renders meanwhile (%d): all 200 and the same PDF" % during, str(results[:10]))
    r = c.get("/records/%d.pdf?template=notice" % rid)
    check(r.status == 200 and r.body == good.body, "after the crashes the same render succeeds", repr(r))
    check(c.get("/").status == 200, "the server still answers")


def test_hang(s):
    c, rid = stored_notice(s)
    other, orid = stored_notice(s, "zhengyan")
    hang = {}

    def hanging():
        t0 = time.monotonic()
        hang["r"] = c.get("/records/%d.pdf?template=__hang__" % rid)
        hang["took"] = time.monotonic() - t0
    t = threading.Thread(target=hanging)
    t.start()
    time.sleep(0.3)  # let the hang take its worker
    done_while_hanging = []
    for _ in range(4):
        r = other.get("/records/%d.pdf?template=notice" % orid)
        done_while_hanging.append((r.status, t.is_alive()))
    t.join(60)
    check(all(st == 200 for st, _ in done_while_hanging), "another client's renders during the hang: 200",
          str(done_while_hanging))
    check(all(alive for _, alive in done_while_hanging), "they were answered while the hang was still waiting",
          str(done_while_hanging))
    r = hang.get("r")
    err = " ".join(texts(r.page, "p.error")) if r else ""
    check(r is not None and r.status == 500 and "渲染超时" in err, "a hanging render: 500 with 渲染超时…", repr(r))
    check(hang.get("took", 0) >= 3.5, "answered at the timeout (4 s), not before", "took %.1f s" % hang.get("took", 0))
    r = c.get("/records/%d.pdf?template=notice" % rid)
    check(r.status == 200 and r.body.startswith(b"%PDF"), "after the hang its client renders again", repr(r))


def test_slow_clients(s):
    """Fifty connections that send half a request and wait: the others
    are answered meanwhile (the 30 s connection timeout ends them later)."""
    held = []
    try:
        for k in range(50):
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            sock.sendall(b"POST /records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                         b"boundary=x\r\nContent-Length: 100000\r\n\r\n--x\r\n" if k % 2 else b"GET / HTTP/1.1\r\nHo")
            held.append(sock)
        c, rid = stored_notice(s, "ningbo")
        r = c.get("/records/%d.pdf?template=notice" % rid)
        check(r.status == 200 and r.body.startswith(b"%PDF"), "50 half-sent requests held open: a render is answered",
              repr(r))
    finally:
        for sock in held:
            sock.close()


def children(pid):
    """The pids of the processes whose parent is pid."""
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                kids.append(int(d))
    return kids


def alive(pids):
    """Those of pids still running (not gone, not zombies)."""
    running = []
    for p in pids:
        try:
            with open("/proc/%d/stat" % p) as f:
                if f.read().rpartition(")")[2].split()[0] != "Z":
                    running.append(p)
        except OSError:
            pass
    return running


def test_kill(s):
    """kill -9 while eight clients upload; restart; every acknowledged
    upload there byte for byte, versions numbered without a gap, and the
    database whole."""
    acked, lock, stop = [], threading.Lock(), threading.Event()
    counter = iter(range(1, 1 << 30))

    def uploader(user):
        c = s.client(user)
        while not stop.is_set():
            with lock:
                n = next(counter)
            data = numbered(n)
            try:
                r = c.upload("通知-%d.xml" % n, data)
            except OSError:
                return  # the server died under it
            if r.status == 303:
                with lock:
                    acked.append((user, record_id(r), data))
    users = ["donghai", "zhengyan", "ningbo", "sheng"] * 2
    threads = [threading.Thread(target=uploader, args=(u,)) for u in users]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(acked) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children(s.proc.pid)
    s.kill()
    stop.set()
    for t in threads:
        t.join(60)
    check(len(acked) >= 40, "%d uploads acknowledged before the kill" % len(acked))
    deadline = time.monotonic() + 10
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    check(workers and not alive(workers), "the killed server's workers end with it",
          "workers %s, still there %s" % (workers, alive(workers)))
    db = os.path.join(s.data, "desk.db")
    con = sqlite3.connect(db)
    ok = con.execute("PRAGMA integrity_check").fetchall()
    con.close()
    check(ok == [("ok",)], "PRAGMA integrity_check after kill -9: ok", str(ok))
    s.start()
    by_record = {}
    for user, rid, data in acked:
        by_record.setdefault((user, rid), []).append(data)
    for (user, rid), sent in by_record.items():
        c = s.client(user)
        p = c.get("/records/%d" % rid)
        versions = table_rows(p.page, "table#versions")
        numbers = [row[0] for row in versions]
        check(numbers == [str(i) for i in range(1, len(numbers) + 1)], "record %d: versions 1..n" % rid, str(numbers))
        kept = set()
        for v in range(1, len(versions) + 1):
            r = c.get("/records/%d/original?v=%d" % (rid, v))
            kept.add(r.body)
        missing = [d for d in sent if d not in kept]
        check(not missing, "record %d: every acknowledged upload kept byte for byte (%d)" % (rid, len(sent)),
              "%d missing" % len(missing))
    rc = s.stop()
    check(rc == 0, "the restarted server stops on SIGTERM", "%s %s" % (rc, s.log()))
    con = sqlite3.connect(db)
    ok = con.execute("PRAGMA integrity_check").fetchall()
    con.close()
    check(ok == [("ok",)], "PRAGMA integrity_check at the end: ok", str(ok))


def test_stress(s):
    """20 clients for 8 s: each uploads (good and bad in turn) and downloads
    the PDF of its account's first notice (version 1, the same bytes for
    every account); every answer as it must be."""
    users = ["donghai", "zhengyan", "ningbo", "sheng"]
    first = {}
    for u in users:
        c = s.client(u)
        r = c.upload("通知.xml", NOTICE)
        first[u] = record_id(r)
    want = s.client("sheng").get("/records/%d.pdf?template=notice&v=1" % first["sheng"]).body
    if not check(want.startswith(b"%PDF") and all(first.values()), "each account's notice and the PDF to compare with",
                 str(first)):
        return
    wrong, counts, lock = [], {"upload": 0, "bad": 0, "pdf": 0}, threading.Lock()
    end = time.monotonic() + 8

    def client(k):
        user = users[k % 4]
        me = s.client(user)
        n = 0
        while time.monotonic() < end:
            n += 1
            try:
                if n % 3 == 1:
                    r = me.upload("通知.xml", numbered(k * 100000 + n))
                    ok, what = r.status == 303 and record_id(r) == first[user], "upload"
                elif n % 3 == 2:
                    r = me.upload("通知.xml", bad_notice(n))
                    ok, what = r.status == 422 and any("titel" in e for e in texts(r.page, "ul.errors li")), "bad"
                else:
                    r = me.get("/records/%d.pdf?template=notice&v=1" % first[user])
                    ok, what = r.status == 200 and r.body == want, "pdf"
            except OSError as e:
                ok, what, r = False, "connection", e
            with lock:
                counts[what] = counts.get(what, 0) + 1
                if not ok:
                    wrong.append("%s: %r" % (what, r))
    threads = [threading.Thread(target=client, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    check(not wrong, "20 clients for 8 s: every answer right %s" % counts, harness.summarise(wrong))
    check(counts["upload"] > 0 and counts["bad"] > 0 and counts["pdf"] > 0, "each kind of request made", str(counts))


def main():
    if not harness.can_run("pdftotext"):
        finish()
    # one server for the faults and the stress, another to kill
    for tests in ((("crash", test_crash), ("hang", test_hang), ("slow clients", test_slow_clients),
                   ("stress", test_stress)), (("kill", test_kill),)):
        s = dc.Server(**FAULTS)
        try:
            s.start()
            for name, test in tests:
                guarded(name, test, s)
        except RuntimeError as e:
            check(False, "the server starts", str(e))
        finally:
            s.cleanup()
    finish()


if __name__ == "__main__":
    main()
