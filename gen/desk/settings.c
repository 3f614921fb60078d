#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "util.h"

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

int settings_parse(const char *text, settings *out)
{
    *out = (settings){0};
    int number = 0;
    for (const char *p = text ? text : ""; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        number++;
        const char *b = p, *e = p + len;
        while (b < e && blank(*b))
            b++;
        while (e > b && blank(e[-1]))
            e--;
        if (e > b) {
            const char *eq = memchr(b, '=', (size_t)(e - b));
            if (!eq || eq == b || (eq + 1 < e && eq[1] == '@')) {
                settings_free(out);
                out->file_reference = eq && eq != b;
                return number;
            }
            out->lines = xrealloc(out->lines, (out->n + 1) * sizeof *out->lines);
            out->lines[out->n++] = xstrndup(b, (size_t)(e - b));
        }
        p = end ? end + 1 : p + len;
    }
    return 0;
}

void settings_free(settings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    *s = (settings){0};
}
