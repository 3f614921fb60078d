/* The session cookie: read out of a request's Cookie header. */
#ifndef GEN_DESK_COOKIE_H
#define GEN_DESK_COOKIE_H

#include <stddef.h>

#define SESSION_COOKIE "desk_session"

/* The value of the cookie `name` in a Cookie header ("a=1; b=2"), copied
 * into out (size bytes with its NUL).  1 found, 0 absent or too long. */
int cookie_find(const char *header, const char *name, char *out, size_t size);

/* 1 when s is exactly 64 hexadecimal digits (a session or CSRF token). */
int token_is_hex64(const char *s);

/* Compares a CSRF token sent with the session's, in constant time. */
int csrf_matches(const char *sent, const char *expected);

#endif
