/* Code lists read from schemas/codes.rng: each <define> of the grammar a
 * list, each <value> of its <choice> a code with its names (code_lists.h). */
#include "code_lists.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "load.h"
#include "util.h"

#define CODE_LISTS_RNG_NS "http://relaxng.org/ns/structure/1.0"

static int code_lists_is_rng(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           xmlStrEqual(n->ns->href, BAD_CAST CODE_LISTS_RNG_NS) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

/* The RelaxNG element children of n one after the other (annotations, in
 * other namespaces, skipped): the first with prev NULL, then NULL. */
static xmlNode *code_lists_next_rng(const xmlNode *parent, xmlNode *prev)
{
    xmlNode *n = prev ? prev->next : parent->children;
    while (n && !(n->type == XML_ELEMENT_NODE && n->ns &&
                  xmlStrEqual(n->ns->href, BAD_CAST CODE_LISTS_RNG_NS)))
        n = n->next;
    return n;
}

char *code_lists_note(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNsProp(n, BAD_CAST name, BAD_CAST CODE_LISTS_NS);
    char *copy = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return copy;
}

/* The text of a <value>, without the white space around it (RelaxNG
 * compares tokens so), allocated. */
static char *code_lists_value_text(const xmlNode *n)
{
    xmlChar *text = xmlNodeGetContent(n);
    const char *s = text ? (const char *)text : "", *end = s + strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    char *value = xstrndup(s, (size_t)(end - s));
    xmlFree(text);
    return value;
}

/* "a|b|c" as its non-empty names. */
static void code_lists_split_also(const char *also, code_entry *e)
{
    size_t cap = 0;
    for (const char *p = also; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len > 0) {
            GROW(e->also, e->n_also, cap);
            e->also[e->n_also++] = xstrndup(p, len);
        }
        p = bar ? bar + 1 : p + len;
    }
}

static void code_entry_free(code_entry *e)
{
    free(e->value);
    free(e->label);
    for (size_t i = 0; i < e->n_also; i++)
        free(e->also[i]);
    free(e->also);
}

static void code_list_free(code_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        code_entry_free(&l->codes[i]);
    free(l->codes);
    free(l->name);
}

static int code_list_has(const code_list *l, const char *value)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->codes[i].value, value) == 0)
            return 1;
    return 0;
}

/* One <value> into the list; 0, or -1 with the fault reported. */
static int code_list_add(code_list *l, size_t *cap, const xmlNode *v, const char *path,
                         diag_list *diags)
{
    char *value = code_lists_value_text(v);
    const char *fault = !*value                   ? _("an empty <value>")
                        : code_list_has(l, value) ? _("a value given twice")
                                                  : NULL;
    if (fault) {
        diag_add(diags, DIAG_ERROR, path, (int)xmlGetLineNo(v), "code list %s: %s (\"%s\")",
                 l->name, fault, value);
        free(value);
        return -1;
    }
    GROW(l->codes, l->n, *cap);
    code_entry *e = &l->codes[l->n++];
    *e = (code_entry){value, code_lists_note(v, "label"), NULL, 0};
    if (!e->label)
        e->label = xstrdup(value);
    char *also = code_lists_note(v, "also");
    code_lists_split_also(also, e);
    free(also);
    return 0;
}

/* A <define>: a <choice> of <value>s (or one <value>).  0, or -1 with the
 * faults reported. */
static int code_list_read(code_list *l, const xmlNode *define, const char *path, diag_list *diags)
{
    xmlNode *body = code_lists_next_rng(define, NULL);
    int one = code_lists_is_rng(body, "value");
    int shaped = body && !code_lists_next_rng(define, body) &&
                 (one || code_lists_is_rng(body, "choice"));
    for (xmlNode *v = shaped && !one ? code_lists_next_rng(body, NULL) : NULL; v && shaped;
         v = code_lists_next_rng(body, v))
        shaped = code_lists_is_rng(v, "value");
    if (!shaped) {
        diag_add(diags, DIAG_ERROR, path, l->line,
                 "<define name=\"%s\"> is not a code list: a <choice> of <value>s", l->name);
        return -1;
    }
    int rc = 0;
    size_t cap = 0;
    if (one)
        return code_list_add(l, &cap, body, path, diags);
    for (xmlNode *v = code_lists_next_rng(body, NULL); v; v = code_lists_next_rng(body, v))
        rc |= code_list_add(l, &cap, v, path, diags);
    return rc;
}

/* c:names-of="LIST": the values are LIST's names, one for one. */
static int code_lists_names_agree(const code_lists *c, const code_list *l, const char *of,
                                  diag_list *diags)
{
    const code_list *named = code_lists_find(c, of);
    int same = named && named->n == l->n;
    for (size_t i = 0; same && i < l->n; i++)
        same = strcmp(named->codes[i].label, l->codes[i].value) == 0;
    if (!same)
        diag_add(diags, DIAG_ERROR, c->path, l->line,
                 named ? "code list %s: its values are not the names of %s, in that order"
                       : "code list %s: c:names-of names no list before it (%s)",
                 l->name, of);
    return same ? 0 : -1;
}

static int code_lists_define(code_lists *c, size_t *cap, const xmlNode *define, diag_list *diags)
{
    char *name = (char *)xmlGetProp(define, BAD_CAST "name");
    int line = (int)xmlGetLineNo(define);
    if (!name)
        diag_add(diags, DIAG_ERROR, c->path, line, "a <define> without a name");
    else if (code_lists_find(c, name))
        diag_add(diags, DIAG_ERROR, c->path, line, "a second code list named %s", name);
    if (!name || code_lists_find(c, name)) {
        xmlFree(name);
        return -1;
    }
    GROW(c->lists, c->n, *cap);
    code_list *l = &c->lists[c->n++];
    *l = (code_list){xstrdup(name), NULL, 0, line};
    xmlFree(name);
    int rc = code_list_read(l, define, c->path, diags);
    char *of = code_lists_note(define, "names-of");
    if (rc == 0 && of)
        rc = code_lists_names_agree(c, l, of, diags);
    free(of);
    return rc;
}

/* The lists of a <grammar> or a <div> in it; its <start> and other
 * content are the schemas' business. */
static int code_lists_collect(code_lists *c, size_t *cap, const xmlNode *parent, diag_list *diags)
{
    int rc = 0;
    for (xmlNode *n = code_lists_next_rng(parent, NULL); n; n = code_lists_next_rng(parent, n))
        if (code_lists_is_rng(n, "define"))
            rc |= code_lists_define(c, cap, n, diags);
        else if (code_lists_is_rng(n, "div"))
            rc |= code_lists_collect(c, cap, n, diags);
    return rc;
}

char *code_lists_file(const char *data_dir)
{
    return xasprintf("%s/schemas/codes.rng", data_dir ? data_dir : ".");
}

code_lists *code_lists_load(const char *path, diag_list *diags)
{
    xmlDoc *doc = load_xml(path, diags);
    if (!doc)
        return NULL;
    code_lists *c = xcalloc(1, sizeof *c);
    c->path = xstrdup(path);
    xmlNode *root = xmlDocGetRootElement(doc);
    size_t cap = 0;
    int rc = -1;
    if (!code_lists_is_rng(root, "grammar"))
        diag_add(diags, DIAG_ERROR, path, root ? (int)xmlGetLineNo(root) : 0,
                 "not a file of code lists (a RelaxNG <grammar> of <define>s)");
    else
        rc = code_lists_collect(c, &cap, root, diags);
    xmlFreeDoc(doc);
    if (rc != 0) {
        code_lists_free(c);
        return NULL;
    }
    return c;
}

void code_lists_free(code_lists *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        code_list_free(&c->lists[i]);
    free(c->lists);
    free(c->path);
    free(c);
}

const code_list *code_lists_find(const code_lists *c, const char *name)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->lists[i].name, name) == 0)
            return &c->lists[i];
    return NULL;
}
