#define _GNU_SOURCE
/* The store's accounts, logins and sessions (store.h).
 *
 * A login is counted as failed before its password is checked: the
 * attempt is written down (a row of login_failures) in the transaction
 * that finds the account under its limits, and taken back only when the
 * password was right.  So twelve wrong guesses at once for one name get
 * at most five checks; the others are refused unchecked.  The hashing
 * itself runs outside the database's lock. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "store_db.h"
#include "util.h"

#define NAME_LIMIT 5    /* failed logins per name in the window */
#define CLIENT_LIMIT 30 /* and per client address */
#define TOUCH_EVERY 60  /* seconds between writes of a session's last use */

typedef unsigned char token_digest[crypto_generichash_BYTES];

int store_add_user(store *s, const char *name, desk_role role, const char *org,
                   const char *password, char **err)
{
    if (!name || !*name || strlen(name) >= sizeof ((desk_user *)0)->name) {
        *err = xasprintf(_("an account's name must be 1 to %d bytes long: \"%s\""),
                         (int)sizeof ((desk_user *)0)->name - 1, name ? name : "");
        return -1;
    }
    if (role < ROLE_PROVINCE || role > ROLE_BODY) {
        *err = xasprintf(_("unknown role %d"), (int)role);
        return -1;
    }
    if (!org || !*org || strlen(org) >= sizeof ((desk_user *)0)->org) {
        *err = xasprintf(_("an account's organisation must be 1 to %d bytes long"),
                         (int)sizeof ((desk_user *)0)->org - 1);
        return -1;
    }
    if (!password || !*password) {
        *err = xstrdup(_("an account's password may not be empty"));
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (store_hash_password(s, password, hash) != 0) {
        *err = xstrdup(_("cannot hash a password: out of memory"));
        return -1;
    }
    int rc = -1;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, "INSERT INTO users(name, role, org, hash, created) "
                                     "VALUES(?1, ?2, ?3, ?4, ?5)");
    if (st) {
        db_bind_text(st, 1, name);
        sqlite3_bind_int(st, 2, (int)role);
        db_bind_text(st, 3, org);
        db_bind_text(st, 4, hash);
        sqlite3_bind_int64(st, 5, (long long)time(NULL));
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            rc = 0;
        else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
            rc = 1;
    }
    if (rc < 0)
        *err = db_error(s, _("cannot add the account"));
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* Seconds until the failures of `key` (the column the SQL names) in the
 * window are fewer than `limit` again: the limit-th newest leaves it.  0
 * when they are fewer already, -1 when it cannot tell. */
static int limit_wait(store *s, const char *sql, const char *key, int limit, long long now)
{
    sqlite3_stmt *st = db_prepare(s, sql);
    if (!st)
        return -1;
    db_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, now - STORE_LOGIN_WINDOW);
    sqlite3_bind_int(st, 3, limit - 1);
    int wait = 0, step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        long long left = sqlite3_column_int64(st, 0) + STORE_LOGIN_WINDOW - now;
        wait = left < 1 ? 1 : left > STORE_LOGIN_WINDOW ? STORE_LOGIN_WINDOW : (int)left;
    } else if (step != SQLITE_DONE) {
        db_report(s, sql);
        wait = -1;
    }
    sqlite3_finalize(st);
    return wait;
}

/* The account's id and hash (id 0 when there is none); 0, or -1. */
static int find_account(store *s, const char *name, long long *id,
                        char hash[crypto_pwhash_STRBYTES])
{
    sqlite3_stmt *st = db_prepare(s, "SELECT id, hash FROM users WHERE name = ?1");
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    *id = 0;
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, hash, crypto_pwhash_STRBYTES);
    } else if (step != SQLITE_DONE) {
        db_report(s, "SELECT users");
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
}

static int insert_attempt(store *s, const char *name, const char *client, long long now,
                          long long *attempt)
{
    sqlite3_stmt *st =
        db_prepare(s, "INSERT INTO login_failures(name, client, at) VALUES(?1, ?2, ?3)");
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, client);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc != 0)
        db_report(s, "INSERT login_failures");
    *attempt = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

/* Under the lock, one transaction: the limits, then the attempt written
 * down as a failure and the account looked up. */
static int reserve_attempt(store *s, const char *name, const char *client, long long now,
                           long long *user_id, char hash[crypto_pwhash_STRBYTES],
                           long long *attempt, int *retry_after)
{
    if (db_begin(s) != 0)
        return STORE_ERROR;
    sqlite3_stmt *st = db_prepare(s, "DELETE FROM login_failures WHERE at <= ?1");
    int rc = st ? 0 : -1;
    if (st) {
        sqlite3_bind_int64(st, 1, now - STORE_LOGIN_WINDOW);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(st);
    }
    int by_name = rc ? -1
                     : limit_wait(s,
                                  "SELECT at FROM login_failures WHERE name = ?1 AND at > ?2 "
                                  "ORDER BY at DESC LIMIT 1 OFFSET ?3",
                                  name, NAME_LIMIT, now);
    int by_client = by_name < 0 ? -1
                                : limit_wait(s,
                                             "SELECT at FROM login_failures WHERE client = ?1 "
                                             "AND at > ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3",
                                             client, CLIENT_LIMIT, now);
    if (by_client < 0) {
        db_rollback(s);
        return STORE_ERROR;
    }
    if (by_name > 0 || by_client > 0) {
        *retry_after = by_name > by_client ? by_name : by_client;
        db_rollback(s); /* nothing to keep but the old failures' deletion */
        return STORE_LIMITED;
    }
    if (find_account(s, name, user_id, hash) != 0 ||
        insert_attempt(s, name, client, now, attempt) != 0) {
        db_rollback(s);
        return STORE_ERROR;
    }
    return db_commit(s) == 0 ? STORE_OK : STORE_ERROR;
}

/* The digest of a token of 64 hex digits, as the sessions table keeps
 * it; -1 when token is not such a token. */
static int digest_token(const char *token, token_digest digest)
{
    if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return -1;
    crypto_generichash(digest, sizeof(token_digest), (const unsigned char *)token, 64, NULL, 0);
    return 0;
}

static void random_hex(char out[65])
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2hex(out, 65, bytes, sizeof bytes);
    sodium_memzero(bytes, sizeof bytes);
}

/* Under the lock, one transaction: the attempt taken back (it was no
 * failure) and a new session. */
static int open_session(store *s, long long user_id, long long attempt, long long now,
                        char token[65])
{
    if (db_begin(s) != 0)
        return STORE_ERROR;
    sqlite3_stmt *forget = db_prepare(s, "DELETE FROM login_failures WHERE id = ?1");
    sqlite3_stmt *expire = db_prepare(s, "DELETE FROM sessions WHERE last_used <= ?1");
    sqlite3_stmt *add = db_prepare(s, "INSERT INTO sessions(token_hash, user_id, csrf, "
                                      "created, last_used) VALUES(?1, ?2, ?3, ?4, ?4)");
    int rc = STORE_ERROR;
    if (forget && expire && add) {
        char csrf[65];
        token_digest digest;
        random_hex(token);
        random_hex(csrf);
        digest_token(token, digest);
        sqlite3_bind_int64(forget, 1, attempt);
        sqlite3_bind_int64(expire, 1, now - STORE_SESSION_IDLE);
        sqlite3_bind_blob(add, 1, digest, sizeof digest, SQLITE_TRANSIENT);
        sqlite3_bind_int64(add, 2, user_id);
        db_bind_text(add, 3, csrf);
        sqlite3_bind_int64(add, 4, now);
        if (sqlite3_step(forget) == SQLITE_DONE && sqlite3_step(expire) == SQLITE_DONE &&
            sqlite3_step(add) == SQLITE_DONE)
            rc = STORE_OK;
        else
            db_report(s, "INSERT sessions");
    }
    sqlite3_finalize(forget);
    sqlite3_finalize(expire);
    sqlite3_finalize(add);
    if (rc != STORE_OK)
        db_rollback(s);
    else if (db_commit(s) != 0)
        rc = STORE_ERROR;
    if (rc != STORE_OK)
        token[0] = '\0';
    return rc;
}

/* What a failure is counted under: the name or address cut to KEY_SIZE - 1
 * bytes, so that a megabyte of a name is not kept.  A name that long is
 * no account's (at most 63 bytes), whole or cut. */
#define KEY_SIZE 256

static const char *key_of(const char *text, char key[KEY_SIZE])
{
    size_t n = text ? strnlen(text, KEY_SIZE - 1) : 0;
    if (n)
        memcpy(key, text, n);
    key[n] = '\0';
    return key;
}

int store_login(store *s, const char *name_sent, const char *password, const char *client_sent,
                char token[65], int *retry_after)
{
    token[0] = '\0';
    *retry_after = 0;
    char name_key[KEY_SIZE], client_key[KEY_SIZE];
    const char *name = key_of(name_sent, name_key), *client = key_of(client_sent, client_key);
    password = password ? password : "";
    long long now = (long long)time(NULL), user_id = 0, attempt = 0;
    char hash[crypto_pwhash_STRBYTES];
    pthread_mutex_lock(&s->lock);
    int rc = reserve_attempt(s, name, client, now, &user_id, hash, &attempt, retry_after);
    pthread_mutex_unlock(&s->lock);
    if (rc != STORE_OK)
        return rc;
    /* an unknown name costs the same time as a known one */
    if (!store_check_password(s, user_id ? hash : s->dummy_hash, password) || !user_id)
        return STORE_BAD_PASSWORD;
    pthread_mutex_lock(&s->lock);
    rc = open_session(s, user_id, attempt, now, token);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Under the lock, one transaction: the session found, dropped when it
 * was idle too long, else its last use written (once a minute at most:
 * every page asks). */
static int find_session(store *s, const token_digest digest, long long now, desk_user *user,
                        char csrf[65])
{
    static const char sql[] =
        "SELECT s.id, s.token_hash, s.csrf, s.last_used, u.id, u.name, u.role, u.org "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1";
    if (db_begin(s) != 0)
        return -1;
    sqlite3_stmt *st = db_prepare(s, sql);
    int rc = -1;
    long long id = 0, last_used = 0;
    if (st) {
        sqlite3_bind_blob(st, 1, digest, sizeof(token_digest), SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_bytes(st, 1) == (int)sizeof(token_digest) &&
            sodium_memcmp(sqlite3_column_blob(st, 1), digest, sizeof(token_digest)) == 0) {
            id = sqlite3_column_int64(st, 0);
            db_column_copy(st, 2, csrf, 65);
            last_used = sqlite3_column_int64(st, 3);
            user->id = sqlite3_column_int64(st, 4);
            db_column_copy(st, 5, user->name, sizeof user->name);
            user->role = (desk_role)sqlite3_column_int(st, 6);
            db_column_copy(st, 7, user->org, sizeof user->org);
            rc = 0;
        }
        sqlite3_finalize(st);
    }
    const char *change = NULL;
    if (rc == 0 && now - last_used >= STORE_SESSION_IDLE) {
        change = "DELETE FROM sessions WHERE id = ?2";
        rc = -1;
    } else if (rc == 0 && now - last_used >= TOUCH_EVERY) {
        change = "UPDATE sessions SET last_used = ?1 WHERE id = ?2";
    }
    if (change) {
        st = db_prepare(s, change);
        if (st) {
            sqlite3_bind_int64(st, 1, now);
            sqlite3_bind_int64(st, 2, id);
            if (sqlite3_step(st) != SQLITE_DONE)
                db_report(s, change);
            sqlite3_finalize(st);
        }
    }
    if (db_commit(s) != 0)
        rc = -1;
    return rc;
}

int store_session(store *s, const char *token, desk_user *user, char csrf[65])
{
    token_digest digest;
    if (digest_token(token, digest) != 0)
        return -1;
    pthread_mutex_lock(&s->lock);
    int rc = find_session(s, digest, (long long)time(NULL), user, csrf);
    pthread_mutex_unlock(&s->lock);
    if (rc != 0)
        csrf[0] = '\0';
    return rc;
}

void store_logout(store *s, const char *token)
{
    token_digest digest;
    if (digest_token(token, digest) != 0)
        return;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, "DELETE FROM sessions WHERE token_hash = ?1");
    if (st) {
        sqlite3_bind_blob(st, 1, digest, sizeof digest, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            db_report(s, "DELETE FROM sessions");
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
}
