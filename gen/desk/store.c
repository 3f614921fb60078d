#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC, fchmod */
/* The desk's store: opening DIR/desk.db (made 0600, WAL, synchronous=FULL,
 * its tables made when absent) and the helpers the rest of the store
 * shares (store_db.h).  Accounts and sessions are in store_auth.c, the
 * records in store_records.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "store_db.h"
#include "util.h"

/* The schema's version, in PRAGMA user_version: a later change to the
 * tables is a migration from the version found there. */
#define STORE_SCHEMA_VERSION 1

static const char schema_sql[] =
    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " role INTEGER NOT NULL,"
    " org TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE sessions("
    " id INTEGER PRIMARY KEY,"
    " token_hash BLOB NOT NULL UNIQUE,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " last_used INTEGER NOT NULL);"
    /* every failed login, and every login whose password is being
     * checked (the rate limit counts it before the check) */
    "CREATE TABLE login_failures("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " client TEXT NOT NULL,"
    " at INTEGER NOT NULL);"
    "CREATE INDEX login_failures_name ON login_failures(name, at);"
    "CREATE INDEX login_failures_client ON login_failures(client, at);"
    "CREATE TABLE records("
    " id INTEGER PRIMARY KEY,"
    " org TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " UNIQUE(org, kind));"
    "CREATE TABLE versions("
    " record_id INTEGER NOT NULL REFERENCES records(id),"
    " n INTEGER NOT NULL,"
    " by_user TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " filename TEXT NOT NULL,"
    " original BLOB NOT NULL,"
    " xml BLOB NOT NULL,"
    " PRIMARY KEY(record_id, n));";

static const char *const role_names[] = {"province", "city", "body"};

int desk_role_parse(const char *word)
{
    for (int i = 0; i < 3; i++)
        if (word && strcmp(word, role_names[i]) == 0)
            return i;
    return -1;
}

const char *desk_role_name(desk_role role)
{
    return role >= 0 && role < 3 ? role_names[role] : "?";
}

/* ---- helpers (store_db.h) ---- */

char *db_error(store *s, const char *what)
{
    /* TRANSLATORS: the database's path, what failed ("cannot make its
     * tables", "cannot keep the upload", or in the server's log an SQL
     * statement), and SQLite's reason */
    return xasprintf(_("the desk's database %s: %s: %s"), s->path, what, sqlite3_errmsg(s->db));
}

void db_report(store *s, const char *what)
{
    char *message = db_error(s, what);
    fprintf(stderr, "%s\n", message);
    free(message);
}

sqlite3_stmt *db_prepare(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_report(s, sql);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int db_exec(store *s, const char *sql)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        db_report(s, sql);
        return -1;
    }
    return 0;
}

int db_begin(store *s)
{
    return db_exec(s, "BEGIN IMMEDIATE");
}

int db_commit(store *s)
{
    if (db_exec(s, "COMMIT") == 0)
        return 0;
    db_rollback(s);
    return -1;
}

void db_rollback(store *s)
{
    /* a failed statement may already have ended the transaction */
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int db_bind_text(sqlite3_stmt *st, int i, const char *text)
{
    return sqlite3_bind_text(st, i, text ? text : "", -1, SQLITE_TRANSIENT);
}

void db_column_copy(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    size_t n = text ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= size) {
        n = size - 1;
        /* not in the middle of a UTF-8 sequence: back off its continuation bytes */
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(buf, text, n);
    buf[n] = '\0';
}

/* ---- passwords ---- */

/* OWASP's minimum for Argon2id: 19 MiB, two passes. */
#define STORE_PWHASH_OPS 2
#define STORE_PWHASH_MEM ((size_t)19 << 20)

int store_hash_password(store *s, const char *password, char out[crypto_pwhash_STRBYTES])
{
    while (sem_wait(&s->hashing) != 0 && errno == EINTR)
        ;
    int rc = crypto_pwhash_str_alg(out, password, strlen(password), STORE_PWHASH_OPS,
                                   STORE_PWHASH_MEM, crypto_pwhash_ALG_ARGON2ID13);
    sem_post(&s->hashing);
    return rc == 0 ? 0 : -1;
}

int store_check_password(store *s, const char *hash, const char *password)
{
    while (sem_wait(&s->hashing) != 0 && errno == EINTR)
        ;
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    sem_post(&s->hashing);
    return ok;
}

/* ---- opening ---- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ready;

static void sodium_start(void)
{
    sodium_ready = sodium_init() >= 0;
}

/* The database file made (or found) a regular file of mode 0600 before
 * SQLite opens it; its -wal and -shm files take that mode from it. */
static int make_private_file(const char *path, char **err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *err = xasprintf(_("cannot open the desk's database %s: %s"), path, strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = xasprintf(_("the desk's database %s is not a regular file"), path);
        rc = -1;
    } else if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
        *err = xasprintf(_("cannot make the desk's database %s private (mode 0600): %s"), path,
                         strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

/* The pragmas every connection needs; journal_mode answers with the mode
 * it got, which must be WAL. */
static int set_pragmas(store *s, char **err)
{
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_stmt *st = NULL; /* its failure said in *err, not logged */
    sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    const char *mode =
        st && sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int wal = mode && strcmp(mode, "wal") == 0;
    sqlite3_finalize(st);
    if (!wal || sqlite3_exec(s->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL,
                             NULL, NULL) != SQLITE_OK) {
        *err = db_error(s, _("cannot set it to WAL mode"));
        return -1;
    }
    return 0;
}

/* The tables, made when the file is new; a file of a later schema is not
 * touched. */
static int make_schema(store *s, char **err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        *err = db_error(s, _("cannot read it"));
        return -1;
    }
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    int version = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    int rc = 0;
    if (version < 0) {
        *err = db_error(s, _("cannot read it"));
        rc = -1;
    } else if (version > STORE_SCHEMA_VERSION) {
        *err = xasprintf(_("the desk's database %s is of a later version of gen (%d)"), s->path,
                         version);
        rc = -1;
    } else if (version == 0) {
        char *sql = xasprintf("%s PRAGMA user_version=%d;", schema_sql, STORE_SCHEMA_VERSION);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            *err = db_error(s, _("cannot make its tables"));
            rc = -1;
        }
        free(sql);
    }
    if (rc != 0) {
        db_rollback(s);
        return -1;
    }
    if (db_commit(s) != 0) {
        *err = db_error(s, _("cannot make its tables"));
        return -1;
    }
    return 0;
}

store *store_open(const char *dir, char **err)
{
    pthread_once(&sodium_once, sodium_start);
    if (!sodium_ready) {
        *err = xstrdup(_("cannot start libsodium"));
        return NULL;
    }
    store *s = xcalloc(1, sizeof *s);
    s->path = xasprintf("%s/desk.db", dir);
    pthread_mutex_init(&s->lock, NULL);
    sem_init(&s->hashing, 0, STORE_HASHES_AT_ONCE);
    if (make_private_file(s->path, err) != 0)
        goto fail;
    if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        *err = xasprintf(_("cannot open the desk's database %s: %s"), s->path,
                         s->db ? sqlite3_errmsg(s->db) : strerror(ENOMEM));
        goto fail;
    }
    if (set_pragmas(s, err) != 0 || make_schema(s, err) != 0)
        goto fail;
    /* a password no one knows, hashed as an account's is */
    unsigned char random[32];
    char random_hex[65];
    randombytes_buf(random, sizeof random);
    sodium_bin2hex(random_hex, sizeof random_hex, random, sizeof random);
    if (store_hash_password(s, random_hex, s->dummy_hash) != 0) {
        *err = xstrdup(_("cannot hash a password: out of memory"));
        goto fail;
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    sem_destroy(&s->hashing);
    pthread_mutex_destroy(&s->lock);
    free(s->path);
    free(s);
}
