#define _GNU_SOURCE
/* The store's records (store.h): one per (org, kind), every upload a new
 * version, numbered 1, 2, ... without a gap, in the transaction that
 * stores it.  Nothing here changes or deletes a version. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "store_db.h"
#include "util.h"

/* A record with its latest version: how many (their numbers have no
 * gap), when and by whom. */
#define RECORD_SELECT                                                          \
    "SELECT r.id, r.org, r.kind, r.created, v.n, v.at, v.by_user "            \
    "FROM records r JOIN versions v ON v.record_id = r.id "                    \
    "AND v.n = (SELECT max(n) FROM versions WHERE record_id = r.id) "

static void record_from_row(sqlite3_stmt *st, store_record *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    db_column_copy(st, 1, r->org, sizeof r->org);
    db_column_copy(st, 2, r->kind, sizeof r->kind);
    r->created = sqlite3_column_int64(st, 3);
    r->versions = sqlite3_column_int(st, 4);
    r->updated = sqlite3_column_int64(st, 5);
    db_column_copy(st, 6, r->updated_by, sizeof r->updated_by);
}

/* Under the lock, in the transaction: the record's id, made when it is
 * the first of (org, kind). */
static int record_id(store *s, const char *org, const char *kind, long long now, long long *id)
{
    sqlite3_stmt *make = db_prepare(
        s, "INSERT INTO records(org, kind, created) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING");
    sqlite3_stmt *find = db_prepare(s, "SELECT id FROM records WHERE org = ?1 AND kind = ?2");
    int rc = -1;
    if (make && find) {
        db_bind_text(make, 1, org);
        db_bind_text(make, 2, kind);
        sqlite3_bind_int64(make, 3, now);
        db_bind_text(find, 1, org);
        db_bind_text(find, 2, kind);
        if (sqlite3_step(make) == SQLITE_DONE && sqlite3_step(find) == SQLITE_ROW) {
            *id = sqlite3_column_int64(find, 0);
            rc = 0;
        }
    }
    sqlite3_finalize(make);
    sqlite3_finalize(find);
    return rc;
}

/* Under the lock, in the transaction: version max + 1 of record id. */
static int add_version(store *s, long long id, const desk_user *by, long long now,
                       const char *filename, const void *original, size_t original_size,
                       const char *xml, size_t xml_size, int *version)
{
    static const char empty[1];
    sqlite3_stmt *next =
        db_prepare(s, "SELECT coalesce(max(n), 0) + 1 FROM versions WHERE record_id = ?1");
    sqlite3_stmt *add = db_prepare(s, "INSERT INTO versions(record_id, n, by_user, at, filename, "
                                      "original, xml) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    int rc = -1;
    if (next && add) {
        sqlite3_bind_int64(next, 1, id);
        if (sqlite3_step(next) == SQLITE_ROW) {
            *version = sqlite3_column_int(next, 0);
            sqlite3_bind_int64(add, 1, id);
            sqlite3_bind_int(add, 2, *version);
            db_bind_text(add, 3, by->name);
            sqlite3_bind_int64(add, 4, now);
            db_bind_text(add, 5, filename);
            /* a NULL pointer would bind SQL NULL, not an empty blob */
            sqlite3_bind_blob64(add, 6, original_size ? original : empty, original_size,
                                SQLITE_STATIC);
            sqlite3_bind_blob64(add, 7, xml_size ? xml : empty, xml_size, SQLITE_STATIC);
            rc = sqlite3_step(add) == SQLITE_DONE ? 0 : -1;
        }
    }
    sqlite3_finalize(next);
    sqlite3_finalize(add);
    return rc;
}

int store_put(store *s, const desk_user *by, const char *org, const char *kind,
              const char *filename, const void *original, size_t original_size,
              const char *xml, size_t xml_size, long long *id, int *version, char **err)
{
    if (!org || !*org || strlen(org) >= sizeof ((store_record *)0)->org || !kind || !*kind ||
        strlen(kind) >= sizeof ((store_record *)0)->kind) {
        *err = xasprintf(_("a record's organisation (1 to %d bytes) and kind (1 to %d bytes) "
                           "are needed"),
                         (int)sizeof ((store_record *)0)->org - 1,
                         (int)sizeof ((store_record *)0)->kind - 1);
        return -1;
    }
    long long now = (long long)time(NULL);
    pthread_mutex_lock(&s->lock);
    int rc = db_begin(s);
    if (rc == 0 && (record_id(s, org, kind, now, id) != 0 ||
                    add_version(s, *id, by, now, filename, original, original_size, xml,
                                xml_size, version) != 0)) {
        *err = db_error(s, _("cannot keep the upload"));
        db_rollback(s);
        rc = -1;
    } else if (rc == 0 && db_commit(s) != 0) {
        *err = db_error(s, _("cannot keep the upload"));
        rc = -1;
    } else if (rc != 0) {
        *err = db_error(s, _("cannot keep the upload"));
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_visible(const desk_user *user, const store_record *r)
{
    return user->role == ROLE_PROVINCE || strcmp(user->org, r->org) == 0;
}

/* Runs a query of RECORD_SELECT rows, the text parameters bound in
 * order; the rows into a malloc'd array. */
static int record_rows(store *s, const char *sql, const char *const *params, int nparams,
                       store_record **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, sql);
    int step = SQLITE_ERROR;
    if (st) {
        for (int i = 0; i < nparams; i++)
            db_bind_text(st, i + 1, params[i]);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            GROW(*out, *n, cap);
            record_from_row(st, &(*out)[(*n)++]);
        }
        if (step != SQLITE_DONE)
            db_report(s, sql);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    if (step != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int store_get(store *s, long long id, store_record *out)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, RECORD_SELECT "WHERE r.id = ?1");
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            record_from_row(st, out);
            rc = 0;
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_list(store *s, const desk_user *user, store_record **out, size_t *n)
{
    if (user->role == ROLE_PROVINCE)
        return record_rows(s, RECORD_SELECT "ORDER BY v.at DESC, r.id DESC", NULL, 0, out, n);
    const char *org = user->org;
    return record_rows(s, RECORD_SELECT "WHERE r.org = ?1 ORDER BY v.at DESC, r.id DESC", &org,
                       1, out, n);
}

int store_list_all(store *s, store_record **out, size_t *n)
{
    return record_rows(s, RECORD_SELECT "ORDER BY r.org, r.kind", NULL, 0, out, n);
}

int store_versions(store *s, long long id, store_version **out, size_t *n)
{
    static const char sql[] = "SELECT n, by_user, at, filename, length(original), length(xml) "
                              "FROM versions WHERE record_id = ?1 ORDER BY n";
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, sql);
    int step = SQLITE_ERROR;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            GROW(*out, *n, cap);
            store_version *v = &(*out)[(*n)++];
            memset(v, 0, sizeof *v);
            v->n = sqlite3_column_int(st, 0);
            db_column_copy(st, 1, v->by, sizeof v->by);
            v->at = sqlite3_column_int64(st, 2);
            db_column_copy(st, 3, v->filename, sizeof v->filename);
            v->original_size = (size_t)sqlite3_column_int64(st, 4);
            v->xml_size = (size_t)sqlite3_column_int64(st, 5);
        }
        if (step != SQLITE_DONE)
            db_report(s, sql);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    if (step != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* A blob column (xml or original: a literal, never user text) of a
 * version, 0 the latest, copied with a NUL after it. */
static int version_bytes(store *s, const char *sql, long long id, int version, char **out,
                         size_t *size)
{
    *out = NULL;
    *size = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = db_prepare(s, sql);
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, version);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const void *bytes = sqlite3_column_blob(st, 0);
            size_t n = (size_t)sqlite3_column_bytes(st, 0);
            *out = xmalloc(n + 1);
            if (n)
                memcpy(*out, bytes, n);
            (*out)[n] = '\0';
            *size = n;
            rc = 0;
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

#define VERSION_WHERE                                                          \
    " FROM versions WHERE record_id = ?1 AND n = CASE WHEN ?2 = 0 THEN "       \
    "(SELECT max(n) FROM versions WHERE record_id = ?1) ELSE ?2 END"

int store_xml(store *s, long long id, int version, char **out, size_t *size)
{
    return version_bytes(s, "SELECT xml" VERSION_WHERE, id, version, out, size);
}

int store_original(store *s, long long id, int version, char **out, size_t *size)
{
    return version_bytes(s, "SELECT original" VERSION_WHERE, id, version, out, size);
}
