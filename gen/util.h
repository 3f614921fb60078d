/* Small helpers every stage uses: checked allocation and growable arrays. */
#ifndef GEN_UTIL_H
#define GEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation failure is an environment failure: print and exit 1. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* s with its runs of white space (space, tab, newline, carriage return)
 * made one space and none at either end, as XPath's normalize-space()
 * gives it; malloc'd. */
char *space_normalized(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* The same name, kept for the life of the process (intern_forget frees
 * them all): for names that outlive the document they come from, such as
 * a record's field names in the messages of later stages.  For one thread
 * only (util.c says why that holds). */
const char *intern_name(const char *s);
void intern_forget(void);

/* Make room for one more element in a (items, n, cap) array.  It starts at
 * one: most cells hold one paragraph of one run, and there are millions. */
#define GROW(items, n, cap)                                                    \
    do {                                                                       \
        if ((n) >= (cap)) {                                                    \
            (cap) = (cap) ? (cap) * 2 : 1;                                     \
            (items) = xrealloc((items), (cap) * sizeof *(items));              \
        }                                                                      \
    } while (0)

#endif
