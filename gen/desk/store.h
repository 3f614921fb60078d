/* The desk's store: one SQLite file, DATA/desk.db (WAL, synchronous=FULL,
 * every change one transaction, mode 0600).  It holds the accounts
 * (Argon2id password hashes, libsodium), the sessions (only a hash of
 * each session token is stored) with their CSRF tokens, the failed logins
 * that the rate limit counts, and the records: one per (org, kind), every
 * upload kept as a version with the bytes as sent and the validated XML,
 * who sent it and when.  Nothing acknowledged is changed or deleted.
 *
 * One store is shared by all the server's threads: every function is
 * safe to call from any thread at once. */
#ifndef GEN_DESK_STORE_H
#define GEN_DESK_STORE_H

#include <stddef.h>

typedef struct store store;

typedef enum desk_role { ROLE_PROVINCE = 0, ROLE_CITY = 1, ROLE_BODY = 2 } desk_role;

typedef struct desk_user {
    long long id;
    char name[64];
    desk_role role;
    char org[256]; /* the body, city or office the account acts for */
} desk_user;

/* "province", "city", "body" and back; -1 for another word */
int desk_role_parse(const char *word);
const char *desk_role_name(desk_role role);

/* Opens (creating when absent, with its tables) DIR/desk.db.  NULL with a
 * message in *err (malloc'd) when it cannot. */
store *store_open(const char *dir, char **err);
void store_close(store *s);

/* A new account.  0 done, 1 the name is taken, -1 failure (*err). */
int store_add_user(store *s, const char *name, desk_role role, const char *org,
                   const char *password, char **err);

enum { STORE_OK = 0, STORE_BAD_PASSWORD = 1, STORE_LIMITED = 2, STORE_ERROR = -1 };
/* Logs in: a new session, its token (64 hex digits) into token.  Failed
 * logins are counted per name and per client address; past the limit
 * (5 per name, 30 per address in 300 s) it answers STORE_LIMITED,
 * before checking the password, with the seconds to wait. */
#define STORE_LOGIN_WINDOW 300
int store_login(store *s, const char *name, const char *password, const char *client,
                char token[65], int *retry_after);
/* The session of a token: 0 with its user and CSRF token (64 hex digits);
 * -1 when there is none or it was idle for 8 hours. */
#define STORE_SESSION_IDLE (8 * 3600)
int store_session(store *s, const char *token, desk_user *user, char csrf[65]);
void store_logout(store *s, const char *token);

typedef struct store_record {
    long long id;
    char org[256];
    char kind[64];  /* the record's root element: nominations, self-check, ... */
    int versions;   /* how many */
    long long created, updated; /* Unix times of its first and last version */
    char updated_by[64];
} store_record;

typedef struct store_version {
    int n;          /* 1, 2, ... */
    char by[64];    /* the account's name */
    long long at;   /* Unix time */
    char filename[256]; /* as sent (a form: "推荐表") */
    size_t original_size, xml_size;
} store_version;

/* Keeps an upload: a new version of the record (org, kind), the record made
 * when it is the first.  0 with its id and version number, -1 (*err). */
int store_put(store *s, const desk_user *by, const char *org, const char *kind,
              const char *filename, const void *original, size_t original_size,
              const char *xml, size_t xml_size, long long *id, int *version, char **err);

/* A record by id: 0, or -1 when there is none. */
int store_get(store *s, long long id, store_record *out);
/* Whether `user` may see and change `r`: the province every record, a
 * city or a body only those of its own org. */
int store_visible(const desk_user *user, const store_record *r);
/* The records `user` may see, newest first (malloc'd array, *n of them). */
int store_list(store *s, const desk_user *user, store_record **out, size_t *n);
/* Every record (the campaign's view), by org then kind. */
int store_list_all(store *s, store_record **out, size_t *n);
/* A record's versions, oldest first (malloc'd). */
int store_versions(store *s, long long id, store_version **out, size_t *n);
/* A version's bytes (version 0: the latest): the validated XML, or the
 * original as sent.  malloc'd, NUL-terminated beyond *size; -1 when none. */
int store_xml(store *s, long long id, int version, char **out, size_t *size);
int store_original(store *s, long long id, int version, char **out, size_t *size);

#endif
