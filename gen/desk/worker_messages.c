#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "worker_messages.h"

char *replace_all(const char *line, const char *from, const char *to)
{
    size_t from_len = strlen(from), to_len = strlen(to), n = 0, cap = strlen(line) + 1;
    char *out = xmalloc(cap);
    for (const char *p = line; *p;) {
        const char *hit = from_len ? strstr(p, from) : NULL;
        size_t keep = hit ? (size_t)(hit - p) : strlen(p);
        size_t need = n + keep + (hit ? to_len : 0) + 1;
        if (need > cap)
            out = xrealloc(out, cap = need * 2);
        memcpy(out + n, p, keep);
        n += keep;
        if (!hit)
            break;
        memcpy(out + n, to, to_len);
        n += to_len;
        p = hit + from_len;
    }
    out[n] = '\0';
    return out;
}

/* The CLI writes "FILE:LINE: warning: ..." (diag.c), "warning: " in the
 * user's language. */
static int is_warning(const char *line)
{
    const char *translated = _("warning: ");
    return strstr(line, ": warning: ") || strncmp(line, "warning: ", 9) == 0 ||
           (strcmp(translated, "warning: ") != 0 && strstr(line, translated));
}

static void add(char ***items, size_t *n, char *line)
{
    *items = xrealloc(*items, (*n + 1) * sizeof **items);
    (*items)[(*n)++] = line;
}

void worker_messages_add(worker_messages *m, const char *text, const char *const *internal,
                         const char *shown)
{
    for (const char *p = text ? text : ""; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *line = xstrndup(p, len);
        p = end ? end + 1 : p + len;
        size_t l = strlen(line);
        while (l > 0 && (line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        if (l == 0) {
            free(line);
            continue;
        }
        for (size_t i = 0; internal && internal[i]; i++) {
            char *r = replace_all(line, internal[i], shown);
            free(line);
            line = r;
        }
        if (is_warning(line))
            add(&m->warnings, &m->n_warnings, line);
        else
            add(&m->errors, &m->n_errors, line);
    }
}

void worker_messages_free(worker_messages *m)
{
    for (size_t i = 0; i < m->n_errors; i++)
        free(m->errors[i]);
    for (size_t i = 0; i < m->n_warnings; i++)
        free(m->warnings[i]);
    free(m->errors);
    free(m->warnings);
    *m = (worker_messages){0};
}
