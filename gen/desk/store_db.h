/* Inside the desk's store (store.h): the one SQLite connection every
 * thread shares, behind a mutex, and the small helpers store.c,
 * store_auth.c and store_records.c use around it. */
#ifndef GEN_DESK_STORE_DB_H
#define GEN_DESK_STORE_DB_H

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

struct store {
    sqlite3 *db;
    /* One connection: a transaction of several statements needs it to
     * itself, which SQLite's own per-call mutex does not give. */
    pthread_mutex_t lock;
    /* Argon2id takes 19 MiB and tens of milliseconds a hash: at most
     * STORE_HASHES_AT_ONCE of them run at once, never under `lock`. */
    sem_t hashing;
    /* An unknown name is checked against this, so that the time a login
     * takes does not tell which names exist. */
    char dummy_hash[crypto_pwhash_STRBYTES];
    char *path; /* DIR/desk.db, for messages */
};

#define STORE_HASHES_AT_ONCE 4

/* The SQL statement (a literal: user text is only ever bound), or NULL
 * after reporting why on standard error. */
sqlite3_stmt *db_prepare(store *s, const char *sql);
/* Runs SQL without results (a literal); 0, or -1 after reporting. */
int db_exec(store *s, const char *sql);
/* BEGIN IMMEDIATE, COMMIT (rolled back when it fails), ROLLBACK. */
int db_begin(store *s);
int db_commit(store *s);
void db_rollback(store *s);
/* Says on standard error that `what` failed, with SQLite's reason: for
 * the functions of store.h that have no *err to fill. */
void db_report(store *s, const char *what);
/* The reason of the last failure, malloc'd, for an *err. */
char *db_error(store *s, const char *what);

/* Binds text (NULL as "") to parameter i. */
int db_bind_text(sqlite3_stmt *st, int i, const char *text);
/* Copies column i (text) into a buffer of `size` bytes, cut at a
 * character boundary when it is longer. */
void db_column_copy(sqlite3_stmt *st, int i, char *buf, size_t size);

/* Argon2id, bounded by s->hashing: 0 done, -1 out of memory. */
int store_hash_password(store *s, const char *password, char out[crypto_pwhash_STRBYTES]);
/* 1 when password matches hash; the time does not depend on which. */
int store_check_password(store *s, const char *hash, const char *password);

#endif
