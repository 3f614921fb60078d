/* A scanner of XPath 1.0's tokens (the recommendation's section 3.7),
 * enough to find the name tests: whether a name is a name test, an
 * operator name (and, or, div, mod), a function or node type (before
 * "("), or an axis (before "::") depends on the token before it and on
 * what follows. */
#include "xpath_names.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef enum {
    TOK_NONE,     /* nothing before: the start */
    TOK_OPERATOR, /* an operator, also / // | and the operator names */
    TOK_OPEN,     /* one of @ :: ( [ , (after which * and names are tests) */
    TOK_OTHER     /* a name test, literal, number, variable, ) ] . .. */
} tok_class;

typedef struct scan {
    const char *p;
    tok_class prev;
    int after_at;        /* the token before is @ */
    int attribute_axis;  /* the token before is ::, of the attribute axis */
    int namespace_axis;  /* ... of the namespace axis */
    xpath_name *names;
    size_t n, cap;
} scan;

static int name_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

static const char *ncname_end(const char *p)
{
    while (name_char((unsigned char)*p))
        p++;
    return p;
}

static void add_name(scan *s, const char *name, size_t len, int attribute)
{
    GROW(s->names, s->n, s->cap);
    s->names[s->n].name = xstrndup(name, len);
    s->names[s->n++].attribute = attribute;
}

/* The token at s->p is a name: classify it and move past it. */
static void scan_name(scan *s)
{
    const char *start = s->p, *end = ncname_end(start);
    int operator_place = s->prev == TOK_OTHER; /* there "and", "or", ... are operators */
    if (!operator_place && end[0] == ':' && end[1] != ':') /* a QName or prefix:* */
        end = end[1] == '*' ? end + 2 : ncname_end(end + 1);
    const char *next = skip_space(end);
    size_t len = (size_t)(end - start);
    s->p = end;
    if (operator_place) {
        s->prev = TOK_OPERATOR;
    } else if (*next == '(') {
        s->prev = TOK_OTHER; /* a function or node type: its "(" opens next */
    } else if (next[0] == ':' && next[1] == ':') {
        s->attribute_axis = len == 9 && !strncmp(start, "attribute", 9);
        s->namespace_axis = len == 9 && !strncmp(start, "namespace", 9);
        s->p = next + 2;
        s->prev = TOK_OPEN;
        return; /* the axis flags hold for the name test that follows */
    } else {
        if (end[-1] != '*' && !s->namespace_axis)
            add_name(s, start, len, s->after_at || s->attribute_axis);
        s->prev = TOK_OTHER;
    }
    s->attribute_axis = s->namespace_axis = 0;
}

/* Any other token: returns 0 at the end or at a fault. */
static int scan_other(scan *s)
{
    const char *p = s->p;
    unsigned char c = (unsigned char)*p;
    tok_class cls = TOK_OTHER;
    s->after_at = c == '@';
    if (c == '\'' || c == '"') {
        const char *close = strchr(p + 1, c);
        if (!close)
            return 0;
        p = close + 1;
    } else if ((c >= '0' && c <= '9') || (c == '.' && p[1] >= '0' && p[1] <= '9')) {
        p++;
        while ((*p >= '0' && *p <= '9') || *p == '.')
            p++;
    } else if (c == '$') {
        p = ncname_end(p + 1);
        if (p[0] == ':' && p[1] != ':')
            p = ncname_end(p + 1);
    } else if (c == '*') {
        p++; /* a wildcard test where a name could be, else multiplication */
        cls = s->prev == TOK_OTHER ? TOK_OPERATOR : TOK_OTHER;
    } else if (c == '@' || c == '(' || c == '[' || c == ',') {
        p++;
        cls = TOK_OPEN;
    } else if (c == ')' || c == ']' || c == '.') {
        p += p[0] == '.' && p[1] == '.' ? 2 : 1;
    } else if (strchr("/|+-=<>!", c)) {
        p += (p[1] == '=' || (c == '/' && p[1] == '/')) ? 2 : 1;
        cls = TOK_OPERATOR;
    } else {
        return 0;
    }
    s->p = p;
    s->prev = cls;
    s->attribute_axis = s->namespace_axis = 0;
    return 1;
}

size_t xpath_name_tests(const char *expr, xpath_name **out)
{
    scan s = {.p = expr, .prev = TOK_NONE};
    for (;;) {
        s.p = skip_space(s.p);
        if (!*s.p)
            break;
        if (name_start((unsigned char)*s.p)) {
            scan_name(&s);
            s.after_at = 0;
        } else if (!scan_other(&s)) {
            break;
        }
    }
    *out = s.names;
    return s.n;
}

void xpath_names_free(xpath_name *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
    free(names);
}
