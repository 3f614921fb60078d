#define _GNU_SOURCE
#include "util.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
    fputs(_("gen: out of memory\n"), stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *space_normalized(const char *s)
{
    char *out = xmalloc(strlen(s) + 1);
    size_t n = 0;
    for (; *s; s++) {
        int space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (!space)
            out[n++] = *s;
        else if (n > 0 && out[n - 1] != ' ')
            out[n++] = ' ';
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory();
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* A few dozen names in all (the record formats' element names); the last
 * one asked for is usually asked for again (a table column's field).
 *
 * Mutable and not locked, which is safe because one thread only ever
 * interns: the template stage's (block_add_run), which is the main
 * thread's; the process's other threads (the record's check, the page
 * deflater, the publisher) never build a block tree.  Batch workers are
 * processes, each with its own table.  A server making documents in
 * several threads at once would need a lock here, or a table per
 * document. */
static char **names;
static size_t nnames;
static const char *last_name;

const char *intern_name(const char *s)
{
    if (!s)
        return NULL;
    if (last_name && strcmp(last_name, s) == 0)
        return last_name;
    for (size_t i = 0; i < nnames; i++)
        if (strcmp(names[i], s) == 0)
            return last_name = names[i];
    names = xrealloc(names, (nnames + 1) * sizeof *names);
    names[nnames] = xstrdup(s);
    return last_name = names[nnames++];
}

void intern_forget(void)
{
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    names = NULL;
    nnames = 0;
    last_name = NULL;
}
