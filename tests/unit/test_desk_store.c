/* Unit tests for the desk's store (gen/desk/store.h): each test opens a
 * fresh store in a folder of its own under /tmp and looks at what it
 * wrote with a second SQLite connection, as an administrator would. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

static char dir[64];

static store *open_fresh(void)
{
    strcpy(dir, "/tmp/desk-store-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    char *err = NULL;
    store *s = store_open(dir, &err);
    if (!s) {
        fprintf(stderr, "store_open: %s\n", err);
        exit(1);
    }
    return s;
}

static void remove_dir(void)
{
    static const char *const files[] = {"desk.db", "desk.db-wal", "desk.db-shm"};
    char path[128];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void close_fresh(store *s)
{
    store_close(s);
    remove_dir();
}

/* A second connection to the store's file. */
static sqlite3 *peek(void)
{
    char path[128];
    sqlite3 *db = NULL;
    snprintf(path, sizeof path, "%s/desk.db", dir);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

/* The first column of the first row of sql with one text parameter (or
 * none), as a number; -1 when there is no row. */
static long long sql_number(sqlite3 *db, const char *sql, const char *param)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (param)
            sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    } else {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return v;
}

static int is_hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static void add(store *s, const char *name, desk_role role, const char *org)
{
    char *err = NULL, password[96];
    snprintf(password, sizeof password, "%s-mima-2009", name);
    if (store_add_user(s, name, role, org, password, &err) != 0) {
        fprintf(stderr, "store_add_user %s: %s\n", name, err ? err : "taken");
        exit(1);
    }
}

/* Logs NAME in with its right password from client; the token. */
static int login(store *s, const char *name, const char *client, char token[65])
{
    char password[96];
    int retry;
    snprintf(password, sizeof password, "%s-mima-2009", name);
    return store_login(s, name, password, client, token, &retry);
}

static desk_user user_of(store *s, const char *name)
{
    char token[65], csrf[65];
    desk_user u;
    memset(&u, 0, sizeof u);
    if (login(s, name, "127.0.0.1", token) != STORE_OK || store_session(s, token, &u, csrf) != 0) {
        fprintf(stderr, "cannot log %s in\n", name);
        exit(1);
    }
    return u;
}

static int put(store *s, const desk_user *by, const char *org, const char *kind,
               const char *filename, const char *bytes, size_t size, long long *id,
               int *version)
{
    char *err = NULL;
    int rc = store_put(s, by, org, kind, filename, bytes, size, bytes, size, id, version, &err);
    if (rc != 0) {
        fprintf(stderr, "store_put: %s\n", err);
        free(err);
    }
    return rc;
}

static void test_open(void)
{
    mode_t old = umask(0);
    store *s = open_fresh();
    umask(old);
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "%s/desk.db", dir);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
          "desk.db is mode 0600 even under umask 0, got %o", (unsigned)(st.st_mode & 0777));
    snprintf(path, sizeof path, "%s/desk.db-wal", dir);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
          "its write-ahead log is there and mode 0600, got %o", (unsigned)(st.st_mode & 0777));

    sqlite3 *db = peek();
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
    CHECK(q && sqlite3_step(q) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(q, 0), "wal") == 0,
          "the file is in WAL mode");
    sqlite3_finalize(q);
    CHECK(sql_number(db, "PRAGMA user_version", NULL) == 1, "schema version 1");
    sqlite3_close(db);

    add(s, "donghai", ROLE_BODY, "东海质量认证有限公司");
    desk_user u = user_of(s, "donghai");
    long long id;
    int v;
    CHECK(put(s, &u, u.org, "self-check", "a.xml", "<self-check/>", 13, &id, &v) == 0,
          "a record kept");
    store_close(s);

    char *err = NULL;
    s = store_open(dir, &err);
    CHECK(s != NULL, "reopened: %s", err ? err : "");
    char token[65];
    CHECK(s && login(s, "donghai", "::1", token) == STORE_OK, "the account is still there");
    store_record r;
    CHECK(s && store_get(s, id, &r) == 0 && r.versions == 1 && strcmp(r.kind, "self-check") == 0,
          "the record is still there");
    store_close(s);

    /* a file made readable by others is made private again */
    snprintf(path, sizeof path, "%s/desk.db", dir);
    chmod(path, 0644);
    s = store_open(dir, &err);
    CHECK(s && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600 again");
    store_close(s);

    /* a file of a later schema is left alone */
    sqlite3 *later = peek();
    sqlite3_exec(later, "PRAGMA user_version = 2", NULL, NULL, NULL);
    sqlite3_close(later);
    err = NULL;
    s = store_open(dir, &err);
    CHECK(!s && err && strstr(err, "of a later version"), "a later schema refused: %s",
          err ? err : "(none)");
    free(err);
    remove_dir();

    /* a file that is no database */
    s = open_fresh();
    store_close(s);
    remove_dir();
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/desk.db", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not a database, but a clerk's notes\n", f);
        fclose(f);
    }
    err = NULL;
    s = store_open(dir, &err);
    CHECK(!s && err && strstr(err, "not a database"), "not a database: %s", err ? err : "(none)");
    free(err);
    remove_dir();

    err = NULL;
    s = store_open("/nonexistent/desk-folder", &err);
    CHECK(!s && err &&
              strstr(err, "cannot open the desk's database /nonexistent/desk-folder/desk.db"),
          "an unusable folder is said: %s", err ? err : "(none)");
    free(err);
}

static void test_accounts(void)
{
    store *s = open_fresh();
    char *err = NULL;
    CHECK(store_add_user(s, "sheng", ROLE_PROVINCE, "省局", "sheng-mima-2009", &err) == 0,
          "an account added");
    CHECK(store_add_user(s, "sheng", ROLE_BODY, "别的", "other", &err) == 1, "the name is taken");
    CHECK(store_add_user(s, "x", (desk_role)7, "省局", "pw", &err) == -1 && err,
          "an unknown role refused");
    free(err);
    err = NULL;
    CHECK(store_add_user(s, "y", ROLE_CITY, "宁波市", "", &err) == -1 && err,
          "an empty password refused");
    free(err);
    err = NULL;
    char long_name[80];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    CHECK(store_add_user(s, long_name, ROLE_CITY, "宁波市", "pw", &err) == -1 && err,
          "a name longer than 63 bytes refused");
    free(err);

    CHECK(desk_role_parse("province") == ROLE_PROVINCE && desk_role_parse("city") == ROLE_CITY &&
              desk_role_parse("body") == ROLE_BODY && desk_role_parse("admin") == -1,
          "role words");
    CHECK(strcmp(desk_role_name(ROLE_CITY), "city") == 0, "a role's word");

    sqlite3 *db = peek();
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "SELECT hash FROM users WHERE name = 'sheng'", -1, &q, NULL);
    const char *hash =
        q && sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : "";
    CHECK(strncmp(hash, "$argon2id$v=19$m=19456,t=2,", 27) == 0,
          "an Argon2id hash of 19 MiB and 2 passes: %s", hash);
    CHECK(!strstr(hash, "mima"), "not the password");
    sqlite3_finalize(q);
    CHECK(sql_number(db, "SELECT count(*) FROM users", NULL) == 1, "only the one account");
    sqlite3_close(db);
    close_fresh(s);
}

static void test_login(void)
{
    store *s = open_fresh();
    add(s, "ningbo", ROLE_CITY, "宁波市");
    char token[65], token2[65], csrf[65], csrf2[65];
    int retry = -1;
    CHECK(store_login(s, "ningbo", "ningbo-mima-2009", "10.1.1.1", token, &retry) == STORE_OK,
          "the right password");
    CHECK(is_hex64(token), "a token of 64 hex digits: %s", token);
    desk_user u;
    CHECK(store_session(s, token, &u, csrf) == 0, "its session");
    CHECK(strcmp(u.name, "ningbo") == 0 && u.role == ROLE_CITY && strcmp(u.org, "宁波市") == 0 &&
              u.id > 0,
          "the session's account");
    CHECK(is_hex64(csrf) && strcmp(csrf, token) != 0, "a CSRF token of its own");
    CHECK(login(s, "ningbo", "10.1.1.1", token2) == STORE_OK && strcmp(token, token2) != 0,
          "a second login, a second token");
    CHECK(store_session(s, token2, &u, csrf2) == 0 && strcmp(csrf, csrf2) != 0,
          "each session its CSRF token");

    CHECK(store_login(s, "ningbo", "ningbo-mima-2008", "10.1.1.1", token2, &retry) ==
              STORE_BAD_PASSWORD && token2[0] == '\0',
          "a wrong password, no token");
    CHECK(store_login(s, "nobody", "ningbo-mima-2009", "10.1.1.1", token2, &retry) ==
              STORE_BAD_PASSWORD,
          "an unknown name answers as a wrong password");

    static char huge[100000];
    memset(huge, 'n', sizeof huge - 1);
    CHECK(store_login(s, huge, "x", huge, token2, &retry) == STORE_BAD_PASSWORD,
          "a name of 100 KB is a wrong name");

    sqlite3 *db = peek();
    CHECK(sql_number(db, "SELECT count(*) FROM login_failures WHERE name = ?1", "ningbo") == 1,
          "the wrong password counted, the right ones not");
    CHECK(sql_number(db, "SELECT max(length(name) + length(client)) FROM login_failures", NULL) <=
              2 * 255,
          "a failure is counted under at most 255 bytes of name and address");
    sqlite3_close(db);

    char other[65];
    strcpy(other, token);
    other[10] = other[10] == '0' ? '1' : '0';
    CHECK(store_session(s, other, &u, csrf) == -1, "a token one digit off has no session");
    CHECK(store_session(s, "deadbeef", &u, csrf) == -1, "a short token has none");
    CHECK(store_session(s, NULL, &u, csrf) == -1, "no token, none");
    close_fresh(s);
}

/* Whether `needle` occurs in the file at path. */
static int file_holds(const char *path, const void *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return memmem(buf, got, needle, n) != NULL;
}

static void test_tokens_hashed(void)
{
    store *s = open_fresh();
    add(s, "zhengyan", ROLE_BODY, "浙江正言认证有限公司");
    char token[65];
    CHECK(login(s, "zhengyan", "127.0.0.1", token) == STORE_OK, "logged in");
    unsigned char raw[32], digest[crypto_generichash_BYTES];
    sodium_hex2bin(raw, sizeof raw, token, 64, NULL, NULL, NULL);
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, 64, NULL, 0);

    sqlite3 *db = peek();
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "SELECT token_hash, csrf FROM sessions", -1, &q, NULL);
    int rows = 0, plain = 0, hashed = 0;
    while (q && sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        const void *blob = sqlite3_column_blob(q, 0);
        int n = sqlite3_column_bytes(q, 0);
        plain |= (n == 64 && memcmp(blob, token, 64) == 0) ||
                 (n == 32 && memcmp(blob, raw, 32) == 0);
        plain |= strcmp((const char *)sqlite3_column_text(q, 1), token) == 0;
        hashed |= n == (int)sizeof digest && memcmp(blob, digest, sizeof digest) == 0;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(rows == 1 && hashed, "the session kept as the token's BLAKE2b digest");
    CHECK(!plain, "the token itself is not in the sessions table");
    char path[128];
    int anywhere = 0;
    static const char *const files[] = {"desk.db", "desk.db-wal"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        anywhere |= file_holds(path, token, 64) || file_holds(path, raw, 32);
    }
    CHECK(!anywhere, "nor anywhere in the database's files");
    close_fresh(s);
}

static void test_expiry_and_logout(void)
{
    store *s = open_fresh();
    add(s, "donghai", ROLE_BODY, "东海质量认证有限公司");
    char a[65], b[65], c[65], csrf[65];
    desk_user u;
    CHECK(login(s, "donghai", "1.2.3.4", a) == STORE_OK && login(s, "donghai", "1.2.3.4", b) ==
              STORE_OK && login(s, "donghai", "1.2.3.4", c) == STORE_OK,
          "three sessions");

    sqlite3 *db = peek();
    /* a: idle for 8 hours; b: for 8 hours less two minutes */
    CHECK(sqlite3_exec(db, "UPDATE sessions SET last_used = last_used - 28800 "
                           "WHERE id = (SELECT min(id) FROM sessions)",
                       NULL, NULL, NULL) == SQLITE_OK,
          "session a aged");
    CHECK(sqlite3_exec(db, "UPDATE sessions SET last_used = last_used - 28680 WHERE id = "
                           "(SELECT min(id) + 1 FROM sessions)",
                       NULL, NULL, NULL) == SQLITE_OK,
          "session b aged");
    long long before = sql_number(db, "SELECT last_used FROM sessions WHERE id = "
                                      "(SELECT min(id) + 1 FROM sessions)", NULL);
    CHECK(store_session(s, a, &u, csrf) == -1 && csrf[0] == '\0', "idle 8 hours: no session");
    CHECK(sql_number(db, "SELECT count(*) FROM sessions", NULL) == 2, "and its row is gone");
    CHECK(store_session(s, b, &u, csrf) == 0 && strcmp(u.name, "donghai") == 0,
          "idle a little less: still a session");
    CHECK(sql_number(db, "SELECT last_used FROM sessions WHERE id = "
                         "(SELECT min(id) FROM sessions)", NULL) >= before + 28680,
          "whose last use is now");

    store_logout(s, b);
    CHECK(store_session(s, b, &u, csrf) == -1, "logged out: no session");
    CHECK(store_session(s, c, &u, csrf) == 0, "the other session goes on");
    store_logout(s, "not a token");
    CHECK(sql_number(db, "SELECT count(*) FROM sessions", NULL) == 1, "one session left");
    sqlite3_close(db);
    close_fresh(s);
}

static void test_rate_limit(void)
{
    store *s = open_fresh();
    add(s, "sheng", ROLE_PROVINCE, "省局");
    add(s, "ningbo", ROLE_CITY, "宁波市");
    char token[65], client[32];
    int retry = -1, bad = 0;
    for (int i = 0; i < 5; i++) {
        snprintf(client, sizeof client, "10.0.0.%d", i + 1);
        bad += store_login(s, "sheng", "guess", client, token, &retry) == STORE_BAD_PASSWORD;
    }
    CHECK(bad == 5, "five wrong passwords checked, %d", bad);
    retry = -1;
    CHECK(store_login(s, "sheng", "sheng-mima-2009", "10.0.0.99", token, &retry) == STORE_LIMITED,
          "the sixth login for the name refused, right password and new address alike");
    CHECK(retry >= 1 && retry <= STORE_LOGIN_WINDOW, "wait 1 to 300 seconds: %d", retry);
    CHECK(token[0] == '\0', "and no token");
    CHECK(login(s, "ningbo", "10.0.0.1", token) == STORE_OK, "another name goes on");

    /* thirty failures from one address, each for another name */
    bad = 0;
    for (int i = 0; i < 30; i++) {
        char name[32];
        snprintf(name, sizeof name, "guess%d", i);
        bad += store_login(s, name, "guess", "192.0.2.7", token, &retry) == STORE_BAD_PASSWORD;
    }
    CHECK(bad == 30, "thirty wrong logins from one address checked, %d", bad);
    retry = -1;
    CHECK(store_login(s, "ningbo", "ningbo-mima-2009", "192.0.2.7", token, &retry) ==
              STORE_LIMITED && retry >= 1 && retry <= STORE_LOGIN_WINDOW,
          "the 31st from that address refused (wait %d)", retry);
    CHECK(login(s, "ningbo", "192.0.2.8", token) == STORE_OK, "another address goes on");

    /* the window: failures older than 300 s no longer count */
    sqlite3 *db = peek();
    CHECK(sqlite3_exec(db, "UPDATE login_failures SET at = at - 300", NULL, NULL, NULL) ==
              SQLITE_OK,
          "the failures aged");
    sqlite3_close(db);
    CHECK(login(s, "sheng", "192.0.2.7", token) == STORE_OK, "out of the window, let in again");
    close_fresh(s);
}

struct guess {
    store *s;
    pthread_barrier_t *start;
    int i, rc, retry;
};

static void *guess_wrong(void *arg)
{
    struct guess *g = arg;
    char client[32], token[65];
    snprintf(client, sizeof client, "198.51.100.%d", g->i + 1);
    pthread_barrier_wait(g->start);
    g->rc = store_login(g->s, "target", "wrong", client, token, &g->retry);
    return NULL;
}

static void test_rate_limit_concurrent(void)
{
    enum { N = 12 };
    store *s = open_fresh();
    add(s, "target", ROLE_BODY, "东海质量认证有限公司");
    pthread_t t[N];
    struct guess g[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    for (int i = 0; i < N; i++) {
        g[i] = (struct guess){s, &start, i, -9, 0};
        pthread_create(&t[i], NULL, guess_wrong, &g[i]);
    }
    int bad = 0, limited = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        bad += g[i].rc == STORE_BAD_PASSWORD;
        limited += g[i].rc == STORE_LIMITED && g[i].retry >= 1 && g[i].retry <= 300;
    }
    pthread_barrier_destroy(&start);
    /* each guess is written down before its check: the first five to
     * get there are checked, the other seven see five already */
    CHECK(bad == 5 && limited == N - 5,
          "12 wrong guesses at once: %d checked (5), %d refused (7)", bad, limited);
    sqlite3 *db = peek();
    CHECK(sql_number(db, "SELECT count(*) FROM login_failures WHERE name = 'target'", NULL) == bad,
          "every checked guess counted");
    sqlite3_close(db);
    close_fresh(s);
}

struct putter {
    store *s;
    const desk_user *by;
    long long ids[20];
    int versions[20], failed;
};

static void *put_twenty(void *arg)
{
    struct putter *p = arg;
    for (int i = 0; i < 20; i++)
        p->failed += put(p->s, p->by, p->by->org, "self-check", "表.csv", "x", 1, &p->ids[i],
                         &p->versions[i]) != 0;
    return NULL;
}

static void test_concurrent_puts(void)
{
    enum { THREADS = 50, TOTAL = THREADS * 20 };
    store *s = open_fresh();
    add(s, "donghai", ROLE_BODY, "东海质量认证有限公司");
    desk_user u = user_of(s, "donghai");
    static struct putter p[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].s = s;
        p[i].by = &u;
        pthread_create(&t[i], NULL, put_twenty, &p[i]);
    }
    static int seen[TOTAL + 1];
    memset(seen, 0, sizeof seen);
    int failed = 0, out_of_range = 0, other_id = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failed += p[i].failed;
        for (int j = 0; j < 20; j++) {
            int v = p[i].versions[j];
            if (v < 1 || v > TOTAL)
                out_of_range++;
            else
                seen[v]++;
            other_id += p[i].ids[j] != p[0].ids[0];
        }
    }
    int once = 0;
    for (int v = 1; v <= TOTAL; v++)
        once += seen[v] == 1;
    CHECK(failed == 0 && out_of_range == 0, "1000 uploads kept (%d failed)", failed);
    CHECK(once == TOTAL, "versions 1..1000 each given once: %d", once);
    CHECK(other_id == 0, "all of one record");

    store_version *vs = NULL;
    size_t n = 0;
    int in_order = store_versions(s, p[0].ids[0], &vs, &n) == 0 && n == TOTAL;
    for (size_t i = 0; in_order && i < n; i++)
        in_order = vs[i].n == (int)i + 1;
    free(vs);
    CHECK(in_order, "the stored versions are 1..1000 with no gap or duplicate (%zu)", n);
    store_record r;
    CHECK(store_get(s, p[0].ids[0], &r) == 0 && r.versions == TOTAL, "the record counts 1000");
    close_fresh(s);
}

static void test_round_trip(void)
{
    store *s = open_fresh();
    add(s, "zhengyan", ROLE_BODY, "浙江正言认证有限公司");
    desk_user u = user_of(s, "zhengyan");
    static const char original1[] = "a\0b\0\xff\xfe,企业名称\r\n"; /* NUL bytes and GBK-ish */
    static const char xml1[] = "<nominations year=\"2025\"/>";
    static const char original2[] = "<nominations year=\"2026\">\0</nominations>";
    static const char xml2[] = "<nominations year=\"2026\"></nominations>";
    long long id = 0, id2 = 0;
    int v1 = 0, v2 = 0;
    char *err = NULL;
    CHECK(store_put(s, &u, u.org, "nominations", "推荐表（网上填写）", original1,
                    sizeof original1 - 1, xml1, strlen(xml1), &id, &v1, &err) == 0 && v1 == 1,
          "first version");
    CHECK(store_put(s, &u, u.org, "nominations", "nominations.xml", original2,
                    sizeof original2 - 1, xml2, strlen(xml2), &id2, &v2, &err) == 0 &&
              v2 == 2 && id2 == id,
          "second version of the same record");

    store_record r;
    CHECK(store_get(s, id, &r) == 0, "the record");
    CHECK(r.id == id && strcmp(r.org, u.org) == 0 && strcmp(r.kind, "nominations") == 0 &&
              r.versions == 2 && strcmp(r.updated_by, "zhengyan") == 0 && r.created > 0 &&
              r.updated >= r.created,
          "its fields");
    CHECK(store_get(s, id + 100, &r) == -1, "no such record");

    store_version *vs = NULL;
    size_t n = 0;
    CHECK(store_versions(s, id, &vs, &n) == 0 && n == 2, "two versions");
    CHECK(n == 2 && vs[0].n == 1 && strcmp(vs[0].filename, "推荐表（网上填写）") == 0 &&
              strcmp(vs[0].by, "zhengyan") == 0 && vs[0].original_size == sizeof original1 - 1 &&
              vs[0].xml_size == strlen(xml1) && vs[1].n == 2 &&
              strcmp(vs[1].filename, "nominations.xml") == 0,
          "their names, senders and sizes");
    free(vs);

    char *bytes = NULL;
    size_t size = 0;
    CHECK(store_original(s, id, 1, &bytes, &size) == 0 && size == sizeof original1 - 1 &&
              memcmp(bytes, original1, size) == 0 && bytes[size] == '\0',
          "the original as sent, NUL bytes and all");
    free(bytes);
    CHECK(store_original(s, id, 0, &bytes, &size) == 0 && size == sizeof original2 - 1 &&
              memcmp(bytes, original2, size) == 0,
          "version 0: the latest original");
    free(bytes);
    CHECK(store_xml(s, id, 1, &bytes, &size) == 0 && size == strlen(xml1) &&
              strcmp(bytes, xml1) == 0,
          "the first validated XML");
    free(bytes);
    CHECK(store_xml(s, id, 0, &bytes, &size) == 0 && strcmp(bytes, xml2) == 0,
          "the latest validated XML");
    free(bytes);
    CHECK(store_xml(s, id, 3, &bytes, &size) == -1 && bytes == NULL, "no version 3");
    CHECK(store_original(s, id + 100, 0, &bytes, &size) == -1, "no such record's original");

    CHECK(store_put(s, &u, u.org, "self-check", "空.xml", NULL, 0, "", 0, &id2, &v2, &err) == 0 &&
              id2 != id && v2 == 1,
          "an empty upload is a record of another kind");
    CHECK(store_original(s, id2, 0, &bytes, &size) == 0 && size == 0 && bytes[0] == '\0',
          "kept empty");
    free(bytes);
    err = NULL;
    CHECK(store_put(s, &u, u.org, "", "x.xml", "x", 1, "x", 1, &id2, &v2, &err) == -1 && err,
          "no kind: refused");
    free(err);
    close_fresh(s);
}

static int list_has(const store_record *rs, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (rs[i].id == id)
            return 1;
    return 0;
}

static void test_visibility(void)
{
    store *s = open_fresh();
    add(s, "sheng", ROLE_PROVINCE, "省局");
    add(s, "ningbo", ROLE_CITY, "宁波市");
    add(s, "donghai", ROLE_BODY, "东海质量认证有限公司");
    add(s, "zhengyan", ROLE_BODY, "浙江正言认证有限公司");
    desk_user sheng = user_of(s, "sheng"), ningbo = user_of(s, "ningbo"),
              donghai = user_of(s, "donghai"), zhengyan = user_of(s, "zhengyan");
    long long dh, zy, nb, sj;
    int v;
    put(s, &donghai, donghai.org, "self-check", "a.csv", "a", 1, &dh, &v);
    put(s, &zhengyan, zhengyan.org, "nominations", "b.xml", "b", 1, &zy, &v);
    put(s, &ningbo, ningbo.org, "self-check", "c.xlsx", "c", 1, &nb, &v);
    put(s, &sheng, sheng.org, "public-list", "made.xml", "d", 1, &sj, &v);

    store_record r;
    store_get(s, dh, &r);
    CHECK(store_visible(&donghai, &r) && !store_visible(&zhengyan, &r) &&
              !store_visible(&ningbo, &r) && store_visible(&sheng, &r),
          "a body's record: the body and the province");
    store_get(s, nb, &r);
    CHECK(store_visible(&ningbo, &r) && !store_visible(&donghai, &r) && store_visible(&sheng, &r),
          "a city's record: the city and the province");
    store_get(s, sj, &r);
    CHECK(store_visible(&sheng, &r) && !store_visible(&ningbo, &r) &&
              !store_visible(&zhengyan, &r),
          "the province's record: the province only");

    store_record *rs = NULL;
    size_t n = 0;
    CHECK(store_list(s, &donghai, &rs, &n) == 0 && n == 1 && rs[0].id == dh,
          "a body lists its own record only");
    free(rs);
    CHECK(store_list(s, &ningbo, &rs, &n) == 0 && n == 1 && rs[0].id == nb,
          "a city lists its own only");
    free(rs);
    CHECK(store_list(s, &sheng, &rs, &n) == 0 && n == 4 && list_has(rs, n, dh) &&
              list_has(rs, n, zy) && list_has(rs, n, nb) && list_has(rs, n, sj),
          "the province lists every record");
    /* newest first: all in one second here, so the later id first */
    CHECK(n == 4 && rs[0].id == sj && rs[3].id == dh, "newest first");
    free(rs);

    CHECK(store_list_all(s, &rs, &n) == 0 && n == 4, "every record for the campaign");
    int ordered = 1;
    for (size_t i = 1; i < n; i++) {
        int c = strcmp(rs[i - 1].org, rs[i].org);
        ordered &= c < 0 || (c == 0 && strcmp(rs[i - 1].kind, rs[i].kind) < 0);
    }
    CHECK(ordered, "by org then kind");
    free(rs);
    close_fresh(s);
}

int main(void)
{
    test_open();
    test_accounts();
    test_login();
    test_tokens_hashed();
    test_expiry_and_logout();
    test_rate_limit();
    test_rate_limit_concurrent();
    test_concurrent_puts();
    test_round_trip();
    test_visibility();
    return check_summary();
}
