/* The desk's pages: a growing buffer of HTML, every text a user sent
 * written through html_text (escaped), the rest through html_raw. */
#ifndef GEN_DESK_HTML_H
#define GEN_DESK_HTML_H

#include <stddef.h>

#include "store.h"

typedef struct html {
    char *s;
    size_t n, cap;
} html;

/* Markup as it is (never a user's text). */
void html_raw(html *h, const char *s);
void html_rawf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text, escaped: & < > " ' become entities, so it is safe in an element
 * and in a quoted attribute alike. */
void html_text(html *h, const char *s);
void html_textn(html *h, const char *s, size_t n);
void html_free(html *h);

/* What the frame shows of the visitor: the account, when logged in, and
 * the CSRF token its forms carry. */
typedef struct page_visitor {
    const desk_user *user; /* NULL: not logged in */
    const char *csrf;
} page_visitor;

/* The page's head, the header bar (title, the account and its logout
 * form) and the start of <main>; html_page_end closes them. */
void html_page_begin(html *h, const char *title, const page_visitor *v);
void html_page_end(html *h);
/* <input type="hidden" name="csrf" value="..."> */
void html_csrf(html *h, const page_visitor *v);
/* "2026-12-05 14:03" in local time */
void html_time(html *h, long long unix_time);

#endif
