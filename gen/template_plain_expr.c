/* Plain expressions: the XPath most <value>s of a big table are — a child
 * path ("name", "check/findings", "certificate/@type", "@year", "."),
 * with equality tests on its steps ("entry[region='杭州市']/name"), the
 * count() of one ("count(enterprises/enterprise[check/@result='pass'])"),
 * position() and last() — evaluated by walking the record instead of by
 * libxml2.  libxml2 takes some 3,000 instructions to evaluate "name" (a
 * parser context, node-sets, their sorting) and as many per node a
 * predicate tests; the walk, a few dozen.  A 38,000-row table evaluates
 * ten values a row, and its totals count the 38,000 rows nine times (in
 * one walk: plain_expr_count_together).
 *
 * Only what the grammar below accepts is taken, and only once libxml2 has
 * compiled it; everything else (other functions, [1], axes,
 * prefixes, operators) stays with libxml2.  Names are ASCII NCNames and
 * match elements and attributes in no namespace, as an unprefixed XPath
 * name test does; the string value of a node is XPath's (all the text in
 * it), and `path = 'literal'` is true when one node of the path has that
 * string value, as XPath compares a node-set with a string.
 *
 *     expr  = "count(" S path S ")" | path | "position()" | "last()"
 *     path  = "." | step ("/" step)* ["/@" NAME] | "@" NAME
 *     step  = NAME ["[" S test S "=" S (literal | "$" NAME) S "]"]
 *     test  = "." | NAME ("/" NAME)* ["/@" NAME] | "@" NAME    (no tests inside)
 *
 * A variable ($code, of <each codes>) may be compared with in the last
 * step of a count() only: count(enterprises/enterprise[certificate/@type =
 * $code]) over each certificate type.  Counted together with the others,
 * it is counted per value of its test (one walk for all the types). */
#include <libxml/hash.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

#define MAX_STEPS 8

typedef struct step {
    const char *name;
    const struct plain_path *test; /* [test = literal], or NULL */
    const char *literal;
    const char *variable; /* [test = $variable]: literal is NULL */
} step;

typedef struct plain_path {
    step steps[MAX_STEPS];
    size_t nsteps;
    const char *attr; /* the last step @NAME, or NULL */
} plain_path;

struct plain_expr {
    plain_path paths[1 + MAX_STEPS]; /* [0] the expression's, then its steps' tests */
    size_t npaths;
    plain_kind kind;
    char **strings; /* the names and literals, owned */
    size_t nstrings;
};

/* ---- parsing ---- */

typedef struct parser {
    const char *s;
    plain_expr *x;
} parser;

static int S_is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int S_is_name_char(char c)
{
    return S_is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static void S_skip_space(parser *p)
{
    while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
        p->s++;
}

static const char *S_keep(parser *p, const char *from, size_t n)
{
    plain_expr *x = p->x;
    x->strings = xrealloc(x->strings, (x->nstrings + 1) * sizeof *x->strings);
    return x->strings[x->nstrings++] = xstrndup(from, n);
}

static const char *S_name_at(parser *p)
{
    const char *from = p->s;
    if (!S_is_name_start(*p->s))
        return NULL;
    while (S_is_name_char(*p->s))
        p->s++;
    return S_keep(p, from, (size_t)(p->s - from));
}

static const char *S_literal_at(parser *p)
{
    char quote = *p->s;
    const char *end = quote == '\'' || quote == '"' ? strchr(p->s + 1, quote) : NULL;
    if (!end)
        return NULL;
    const char *text = S_keep(p, p->s + 1, (size_t)(end - p->s - 1));
    p->s = end + 1;
    return text;
}

static int S_parse_path(parser *p, plain_path *path, int tests);

/* "[test = 'literal']" after a step. */
static int S_parse_test(parser *p, step *st)
{
    p->s++; /* '[' */
    S_skip_space(p);
    plain_path *test = &p->x->paths[p->x->npaths++];
    if (!S_parse_path(p, test, 0))
        return 0;
    S_skip_space(p);
    if (*p->s++ != '=')
        return 0;
    S_skip_space(p);
    st->test = test;
    if (*p->s == '$') {
        p->s++;
        st->variable = S_name_at(p);
        if (!st->variable)
            return 0;
    } else if (!(st->literal = S_literal_at(p))) {
        return 0;
    }
    S_skip_space(p);
    return *p->s++ == ']';
}

/* A path, up to the first character it does not take (left at p->s). */
static int S_parse_path(parser *p, plain_path *path, int tests)
{
    if (*p->s == '.' && !S_is_name_char(p->s[1]) && p->s[1] != '/') {
        p->s++;
        return 1;
    }
    for (;;) {
        if (*p->s == '@') {
            p->s++;
            return (path->attr = S_name_at(p)) != NULL;
        }
        if (path->nsteps == MAX_STEPS)
            return 0;
        step *st = &path->steps[path->nsteps++];
        if (!(st->name = S_name_at(p)))
            return 0;
        if (*p->s == '[' && (!tests || !S_parse_test(p, st)))
            return 0;
        if (*p->s != '/')
            return 1;
        p->s++;
    }
}

/* A variable only in the last step's test of a count(). */
static int S_variables_allowed(const plain_expr *x)
{
    const plain_path *p = &x->paths[0];
    for (size_t i = 0; i < p->nsteps; i++)
        if (p->steps[i].variable && (x->kind != PLAIN_COUNT || i + 1 != p->nsteps))
            return 0;
    return 1;
}

plain_expr *plain_expr_parse(const char *expr)
{
    plain_expr *x = xcalloc(1, sizeof *x);
    parser p = {expr, x};
    x->npaths = 1;
    if (strcmp(expr, "position()") == 0 || strcmp(expr, "last()") == 0) {
        x->kind = expr[0] == 'p' ? PLAIN_POSITION : PLAIN_LAST;
        return x;
    }
    if (strncmp(p.s, "count(", 6) == 0) {
        x->kind = PLAIN_COUNT;
        p.s += 6;
        S_skip_space(&p);
    }
    int ok = S_parse_path(&p, &x->paths[0], 1);
    if (ok && x->kind == PLAIN_COUNT) {
        S_skip_space(&p);
        ok = *p.s++ == ')';
    }
    if (!ok || *p.s != '\0' || !S_variables_allowed(x)) {
        plain_expr_free(x);
        return NULL;
    }
    return x;
}

const char *plain_expr_variable(const plain_expr *x)
{
    const plain_path *p = &x->paths[0];
    return p->nsteps ? p->steps[p->nsteps - 1].variable : NULL;
}

void plain_expr_free(plain_expr *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x);
}

plain_kind plain_expr_kind(const plain_expr *x)
{
    return x->kind;
}

/* ---- evaluation ---- */

static xmlNode *S_attribute_of(xmlNode *element, const char *name)
{
    for (xmlAttr *a = element->properties; a; a = a->next)
        if (a->name[0] == (xmlChar)name[0] && strcmp((const char *)a->name, name) == 0 &&
            (!a->ns || !a->ns->prefix))
            return (xmlNode *)a;
    return NULL;
}

/* XPath's string value of an element or attribute: `*owned` set when it
 * had to be put together (free with xmlFree). */
const char *plain_node_string_value(xmlNode *n, xmlChar **owned)
{
    xmlNode *c = n->children;
    *owned = NULL;
    if (!c)
        return "";
    if (!c->next && c->type == XML_TEXT_NODE)
        return c->content ? (const char *)c->content : "";
    *owned = xmlNodeGetContent(n);
    return *owned ? (const char *)*owned : "";
}

static int S_has_value(xmlNode *n, const char *literal)
{
    xmlChar *owned;
    int same = strcmp(plain_node_string_value(n, &owned), literal) == 0;
    xmlFree(owned);
    return same;
}

/* An element of that name in no namespace (the name, held in the record's
 * dictionary and likely in cache, before the namespace, which is not; its
 * first letter before a call: most siblings differ there). */
static int S_is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name[0] == (xmlChar)name[0] &&
           strcmp((const char *)n->name, name) == 0 && !n->ns;
}

/* Visits the nodes of `path` from `element` in document order (depth
 * first, children in order) until `fn` returns nonzero, which it returns. */
typedef int (*visit_fn)(xmlNode *n, void *arg);

static int S_passes(const step *st, xmlNode *element);

static int S_walk(const plain_path *path, size_t from, xmlNode *element, visit_fn fn, void *arg)
{
    if (from == path->nsteps) {
        if (!path->attr)
            return fn(element, arg);
        xmlNode *a = S_attribute_of(element, path->attr);
        return a ? fn(a, arg) : 0;
    }
    const step *st = &path->steps[from];
    for (xmlNode *c = element->children; c; c = c->next) {
        if (!S_is_named(c, st->name))
            continue;
        if (st->test && !S_passes(st, c))
            continue;
        int stop = S_walk(path, from + 1, c, fn, arg);
        if (stop)
            return stop;
    }
    return 0;
}

static int S_is_literal(xmlNode *n, void *literal)
{
    return S_has_value(n, literal);
}

/* [test = 'literal']: one node of the test's path has that value. */
static int S_passes(const step *st, xmlNode *element)
{
    return st->literal && S_walk(st->test, 0, element, S_is_literal, (void *)st->literal);
}

static int S_first(xmlNode *n, void *out)
{
    *(xmlNode **)out = n;
    return 1;
}

static int S_tally(xmlNode *n, void *count)
{
    (void)n;
    ++*(size_t *)count;
    return 0;
}

xmlNode *plain_expr_first(const plain_expr *x, xmlNode *element)
{
    xmlNode *n = NULL;
    S_walk(&x->paths[0], 0, element, S_first, &n);
    return n;
}

size_t plain_expr_count(const plain_expr *x, xmlNode *element)
{
    size_t n = 0;
    S_walk(&x->paths[0], 0, element, S_tally, &n);
    return n;
}

/* ---- several count()s in one walk ---- */

int plain_expr_same_walk(const plain_expr *a, const plain_expr *b)
{
    const plain_path *p = &a->paths[0], *q = &b->paths[0];
    if (a->kind != PLAIN_COUNT || b->kind != PLAIN_COUNT || p->nsteps != q->nsteps)
        return 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        int last = i + 1 == p->nsteps;
        if (strcmp(p->steps[i].name, q->steps[i].name) != 0 ||
            (!last && (p->steps[i].test || q->steps[i].test)))
            return 0;
    }
    return 1;
}

typedef struct tallies {
    const plain_expr *const *xs;
    size_t n;
    plain_count *counts;
    xmlNode *node; /* the node of the walk in hand */
} tallies;

/* One of a node's values of a test compared with a variable: the node
 * counted once under each value it has. */
typedef struct value_count {
    size_t n;
    const xmlNode *last; /* the node counted last */
} value_count;

static void S_free_value_count(void *payload, const xmlChar *name)
{
    (void)name;
    free(payload);
}

typedef struct by_value {
    xmlHashTable *table;
    const xmlNode *node;
} by_value;

static int S_count_value(xmlNode *n, void *arg)
{
    by_value *b = arg;
    xmlChar *owned;
    const xmlChar *v = (const xmlChar *)plain_node_string_value(n, &owned);
    value_count *c = xmlHashLookup(b->table, v);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        xmlHashAddEntry(b->table, v, c);
    }
    if (c->last != b->node) {
        c->n++;
        c->last = b->node;
    }
    xmlFree(owned);
    return 0;
}

/* A node of the walk: counted by each count() whose last test and
 * attribute it passes; by each value of its test for a variable's. */
static int S_tally_each(xmlNode *n, void *arg)
{
    tallies *t = arg;
    for (size_t i = 0; i < t->n; i++) {
        const plain_path *p = &t->xs[i]->paths[0];
        const step *last = p->nsteps ? &p->steps[p->nsteps - 1] : NULL;
        if (p->attr && !S_attribute_of(n, p->attr))
            continue;
        if (last && last->variable) {
            by_value b = {t->counts[i].by_value, n};
            S_walk(last->test, 0, n, S_count_value, &b);
            continue;
        }
        if (last && last->test && !S_passes(last, n))
            continue;
        t->counts[i].n++;
    }
    return 0;
}

void plain_expr_count_together(const plain_expr *const *xs, size_t n, xmlNode *element,
                               plain_count *counts)
{
    if (n == 0)
        return;
    /* the walk of them all: the path without its last test and attribute */
    plain_path shape = xs[0]->paths[0];
    if (shape.nsteps)
        shape.steps[shape.nsteps - 1].test = NULL;
    shape.attr = NULL;
    for (size_t i = 0; i < n; i++) {
        plain_count_clear(&counts[i]);
        if (plain_expr_variable(xs[i]))
            counts[i].by_value = xmlHashCreate(16);
    }
    tallies t = {xs, n, counts, NULL};
    S_walk(&shape, 0, element, S_tally_each, &t);
}

size_t plain_count_of(const plain_count *c, const char *value)
{
    if (!c->by_value)
        return c->n;
    const value_count *v = value ? xmlHashLookup(c->by_value, (const xmlChar *)value) : NULL;
    return v ? v->n : 0;
}

void plain_count_clear(plain_count *c)
{
    if (c->by_value)
        xmlHashFree(c->by_value, S_free_value_count);
    c->by_value = NULL;
    c->n = 0;
}
