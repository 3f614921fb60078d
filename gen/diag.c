#define _GNU_SOURCE
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

void diag_add(diag_list *list, diag_level level, const char *file, int line,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = NULL;
    /* the message in the user's language: every caller gives a literal
     * English format, which xgettext extracts (--keyword=diag_add:5) */
    if (vasprintf(&message, _(fmt), ap) < 0)
        message = NULL;
    va_end(ap);
    /* a template loop repeats its mistake once per node: say it once */
    const diag *last = list->n ? &list->items[list->n - 1] : NULL;
    if (last && message && last->level == level && last->line == line &&
        !strcmp(last->message, message) &&
        ((!last->file && !file) || (last->file && file && !strcmp(last->file, file)))) {
        free(message);
        return;
    }
    GROW(list->items, list->n, list->cap);
    diag *d = &list->items[list->n++];
    d->level = level;
    d->file = file ? xstrdup(file) : NULL;
    d->line = line;
    d->message = message ? message : xstrdup(_("(message lost: out of memory)"));
}

void diag_append(diag_list *to, const diag_list *from)
{
    for (size_t i = 0; i < from->n; i++)
        diag_add(to, from->items[i].level, from->items[i].file, from->items[i].line, "%s",
                 from->items[i].message);
}

size_t diag_count(const diag_list *list, diag_level level)
{
    size_t count = 0;
    for (size_t i = 0; i < list->n; i++)
        count += list->items[i].level == level;
    return count;
}

void diag_print(const diag_list *list, FILE *out)
{
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        const char *kind = d->level == DIAG_WARNING ? _("warning: ") : "";
        if (d->file && d->line > 0)
            fprintf(out, "%s:%d: %s%s\n", d->file, d->line, kind, d->message);
        else if (d->file)
            fprintf(out, "%s: %s%s\n", d->file, kind, d->message);
        else
            fprintf(out, "gen: %s%s\n", kind, d->message);
    }
}

void diag_truncate(diag_list *list, size_t n)
{
    for (size_t i = n; i < list->n; i++) {
        free(list->items[i].file);
        free(list->items[i].message);
    }
    if (n < list->n)
        list->n = n;
}

void diag_free(diag_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].file);
        free(list->items[i].message);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

/* Equal diagnostics compare 0. */
static int diag_cmp(const diag *a, const diag *b)
{
    int c = (a->file != NULL) - (b->file != NULL);
    if (c == 0 && a->file)
        c = strcmp(a->file, b->file);
    if (c == 0)
        c = (a->line > b->line) - (a->line < b->line);
    if (c == 0)
        c = (int)a->level - (int)b->level;
    return c ? c : strcmp(a->message, b->message);
}

/* By content, then by position, so that the first of equal ones leads. */
static int by_content(const void *a, const void *b, void *items)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = diag_cmp(&((const diag *)items)[i], &((const diag *)items)[j]);
    return c ? c : (i > j) - (i < j);
}

void diag_drop_repeats(diag_list *list, size_t n)
{
    if (list->n <= n)
        return;
    size_t *order = xmalloc(list->n * sizeof *order);
    for (size_t i = 0; i < list->n; i++)
        order[i] = i;
    qsort_r(order, list->n, sizeof *order, by_content, list->items);
    char *drop = xcalloc(list->n, 1);
    for (size_t k = 1; k < list->n; k++)
        if (order[k] >= n && diag_cmp(&list->items[order[k - 1]], &list->items[order[k]]) == 0)
            drop[order[k]] = 1;
    size_t kept = 0;
    for (size_t i = 0; i < list->n; i++) {
        if (drop[i]) {
            free(list->items[i].file);
            free(list->items[i].message);
        } else {
            list->items[kept++] = list->items[i];
        }
    }
    list->n = kept;
    free(drop);
    free(order);
}
