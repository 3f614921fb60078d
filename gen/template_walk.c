/* The walker: the children of a template element, each made by the
 * handler its context has for it.  The control elements are the walker's
 * own, the same in every context (the flow, a paragraph, a table, a row, a
 * cell): <if>, <each>, <group>, <let> and <use>. */
#include <libxml/hash.h>
#include <libxml/xpathInternals.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

/* The walk in hand: what every control element passes on to its
 * children. */
typedef struct walk {
    tpl_eval *e;
    const tpl_context *cx;
    void *target;
    const text_style *style;
} walk;

static void S_walk_children(const walk *w, const xmlNode *parent, tpl_focus f);

/* ---- variables: set for a while, then what they were put back ---- */

/* Sets $name to value (owned by the context now); returns its former
 * value (NULL: none), for S_restore. */
static xmlXPathObject *S_bind(tpl_eval *e, const char *name, xmlXPathObject *value)
{
    xmlXPathObject *former = xmlXPathVariableLookup(e->xp, (const xmlChar *)name);
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)name, value);
    return former;
}

static void S_restore(tpl_eval *e, const char *name, xmlXPathObject *former)
{
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)name, former); /* NULL: removed */
}

typedef struct binding {
    const char *name;
    xmlXPathObject *former;
} binding;

/* <let name="N" of="XPATH"/>: $N, for the elements after it in the same
 * parent (put back at its end: S_walk_children). */
static int S_let(const walk *w, const xmlNode *tnode, tpl_focus f, binding *b)
{
    const char *name = tpl_attr_text(tnode, "name");
    xmlXPathObject *value = tpl_xpath(w->e, tnode, "of", f);
    if (!name || !*name || !tpl_attr_text(tnode, "of")) {
        tpl_error(w->e->t, tnode, w->e->diags, "<let> needs name=\"NAME\" and of=\"XPATH\"", NULL);
        xmlXPathFreeObject(value);
        return 0;
    }
    if (!value)
        return 0; /* not valid XPath: reported */
    *b = (binding){name, S_bind(w->e, name, value)};
    return 1;
}

/* ---- <if>, <each> ---- */

int tpl_test(tpl_eval *e, const xmlNode *tnode, tpl_focus f)
{
    if (!tpl_attr_text(tnode, "test")) {
        tpl_error(e->t, tnode, e->diags, "<if> needs test=\"XPATH\"", NULL);
        return 0;
    }
    return tpl_xpath_boolean(e, tnode, "test", f);
}

/* <each codes="NAME">: the children once per code of the table, in its
 * order, $code its value; position() and last() count the codes. */
static void S_each_code(const walk *w, const xmlNode *tnode, tpl_focus f, const char *table)
{
    size_t n;
    if (!tpl_code_count(w->e->t, table, &n)) {
        tpl_error(w->e->t, tnode, w->e->diags, "no such code table", table);
        return;
    }
    xmlXPathObject *former = xmlXPathVariableLookup(w->e->xp, (const xmlChar *)"code");
    for (size_t i = 0; i < n; i++) {
        xmlXPathObject *code = xmlXPathNewCString(tpl_code_at(w->e->t, table, i));
        xmlXPathRegisterVariable(w->e->xp, (const xmlChar *)"code", code);
        tpl_focus inner = {f.node, (int)i + 1, (int)n};
        S_walk_children(w, tnode, inner);
    }
    S_restore(w->e, "code", former);
}

/* <each of="XPATH">: the children once per selected node, in order. */
static void S_each(const walk *w, const xmlNode *tnode, tpl_focus f)
{
    const char *codes = tpl_attr_text(tnode, "codes");
    if (codes) {
        S_each_code(w, tnode, f, codes);
        return;
    }
    xmlXPathObject *obj = tpl_xpath(w->e, tnode, "of", f);
    if (!tpl_attr_text(tnode, "of"))
        tpl_error(w->e->t, tnode, w->e->diags, "<each> needs of=\"XPATH\" or codes=\"NAME\"",
                  NULL);
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval) {
        int n = obj->nodesetval->nodeNr;
        for (int i = 0; i < n; i++) {
            tpl_focus inner = {obj->nodesetval->nodeTab[i], i + 1, n};
            S_walk_children(w, tnode, inner);
        }
    }
    xmlXPathFreeObject(obj);
}

/* ---- <group of="XPATH" by="XPATH" order="CODES" others="LABEL"> ---- */

/* The nodes of one group, and its key. */
typedef struct group {
    char *key;
    xmlNodeSet *nodes;
    int others;
} group;

typedef struct grouping {
    group *groups;
    size_t n, cap;
    xmlHashTable *index; /* key → its group's number + 1 */
} grouping;

static size_t S_group_number(grouping *g, const char *key, int others)
{
    uintptr_t i = (uintptr_t)xmlHashLookup(g->index, (const xmlChar *)key);
    if (i)
        return i - 1;
    GROW(g->groups, g->n, g->cap);
    g->groups[g->n] = (group){xstrdup(key), xmlXPathNodeSetCreate(NULL), others};
    xmlHashAddEntry(g->index, (const xmlChar *)key, (void *)(uintptr_t)(g->n + 1));
    return g->n++;
}

/* order-of="XPATH": the groups the record names, the string values of
 * the nodes it selects in their order (a province's own cities); 0 when
 * it selects none (order= then gives them), -1 when it is not XPath. */
static int S_record_order(const walk *w, const xmlNode *tnode, tpl_focus f, grouping *g)
{
    if (!tpl_attr_text(tnode, "order-of"))
        return 0;
    xmlXPathObject *obj = tpl_xpath(w->e, tnode, "order-of", f);
    if (!obj)
        return -1; /* reported */
    int n = obj->type == XPATH_NODESET && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    for (int i = 0; i < n; i++) {
        xmlChar *key = xmlXPathCastNodeToString(obj->nodesetval->nodeTab[i]);
        /* as by= is written: normalize-space(region) */
        char *name = space_normalized(key ? (const char *)key : "");
        if (*name)
            S_group_number(g, name, 0);
        free(name);
        xmlFree(key);
    }
    xmlXPathFreeObject(obj);
    return g->n > 0;
}

/* The groups: the record's (order-of=) or the code table's (order=), in
 * that order, then (others=) the nodes of none of them; without either,
 * in the order their keys first come. */
static int S_make_groups(const walk *w, const xmlNode *tnode, tpl_focus f, xmlNodeSet *nodes,
                         grouping *g)
{
    const char *order = tpl_attr_text(tnode, "order"), *others = tpl_attr_text(tnode, "others");
    size_t ncodes = 0;
    if (order && !tpl_code_count(w->e->t, order, &ncodes)) {
        tpl_error(w->e->t, tnode, w->e->diags, "no such code table", order);
        return -1;
    }
    int own = S_record_order(w, tnode, f, g);
    if (own < 0)
        return -1;
    for (size_t i = 0; !own && i < ncodes; i++)
        S_group_number(g, tpl_code_at(w->e->t, order, i), 0);
    int ordered = own || order; /* the groups are set: a key of none goes to others */
    size_t rest = others && ordered ? S_group_number(g, others, 1) : 0;
    int n = nodes ? nodes->nodeNr : 0;
    for (int i = 0; i < n; i++) {
        tpl_xpath_text key;
        tpl_focus at = {nodes->nodeTab[i], i + 1, n};
        if (!tpl_xpath_string(w->e, tnode, "by", at, &key))
            return -1; /* not valid XPath: reported */
        uintptr_t k = (uintptr_t)xmlHashLookup(g->index, (const xmlChar *)key.text);
        size_t number;
        if (k && !g->groups[k - 1].others)
            number = k - 1;
        else if (ordered)
            number = others ? rest : SIZE_MAX; /* in no group */
        else
            number = S_group_number(g, key.text, 0);
        if (number != SIZE_MAX)
            xmlXPathNodeSetAddUnique(g->groups[number].nodes, nodes->nodeTab[i]);
        tpl_xpath_text_free(&key);
    }
    return 0;
}

static void S_group(const walk *w, const xmlNode *tnode, tpl_focus f)
{
    if (!tpl_attr_text(tnode, "of") || !tpl_attr_text(tnode, "by")) {
        tpl_error(w->e->t, tnode, w->e->diags, "<group> needs of=\"XPATH\" and by=\"XPATH\"", NULL);
        return;
    }
    xmlXPathObject *obj = tpl_xpath(w->e, tnode, "of", f);
    grouping g = {.index = xmlHashCreate(16)};
    xmlNodeSet *nodes = obj && obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
    if (obj && S_make_groups(w, tnode, f, nodes, &g) == 0) {
        static const char *const names[] = {"group", "key", "others"};
        xmlXPathObject *former[3];
        for (size_t i = 0; i < 3; i++)
            former[i] = xmlXPathVariableLookup(w->e->xp, (const xmlChar *)names[i]);
        for (size_t i = 0; i < g.n; i++) {
            if (g.groups[i].nodes->nodeNr == 0)
                continue;
            xmlXPathObject *values[3] = {xmlXPathWrapNodeSet(g.groups[i].nodes),
                                         xmlXPathNewCString(g.groups[i].key),
                                         xmlXPathNewBoolean(g.groups[i].others)};
            g.groups[i].nodes = NULL; /* the variable's now */
            for (size_t k = 0; k < 3; k++)
                xmlXPathRegisterVariable(w->e->xp, (const xmlChar *)names[k], values[k]);
            S_walk_children(w, tnode, f);
        }
        for (size_t i = 0; i < 3; i++)
            S_restore(w->e, names[i], former[i]);
    }
    for (size_t i = 0; i < g.n; i++) {
        xmlXPathFreeNodeSet(g.groups[i].nodes);
        free(g.groups[i].key);
    }
    free(g.groups);
    xmlHashFree(g.index, NULL);
    xmlXPathFreeObject(obj);
}

/* ---- <use fragment="NAME"/>: the fragment's body, here ---- */

static void S_use(const walk *w, const xmlNode *tnode, tpl_focus f)
{
    const char *name = tpl_attr_text(tnode, "fragment");
    const template *t = w->e->t;
    for (size_t i = 0; name && i < t->nfragments; i++) {
        if (strcmp(t->fragments[i].name, name) != 0)
            continue;
        if (t->fragments[i].body)
            S_walk_children(w, t->fragments[i].body, f);
        else
            tpl_error(t, tnode, w->e->diags, "the fragment has no <body>", name);
        return;
    }
    /* (read with the template, where a fragment that cannot be is an error) */
    tpl_error(t, tnode, w->e->diags, "no such fragment", name);
}

/* ---- the walk ---- */

static void S_walk_node(const walk *w, const xmlNode *tnode, tpl_focus f)
{
    if (tnode->type == XML_TEXT_NODE) {
        if (w->cx->text)
            w->cx->text(w->e, tnode, f, w->target, w->style);
        return;
    }
    if (tnode->type != XML_ELEMENT_NODE)
        return;
    for (const tpl_handler *h = w->cx->handlers; h->name; h++)
        if (tpl_is_element(tnode, h->name)) {
            h->fn(w->e, tnode, f, w->target, w->style);
            return;
        }
    if (tpl_is_element(tnode, "if")) {
        if (tpl_test(w->e, tnode, f))
            S_walk_children(w, tnode, f);
    } else if (tpl_is_element(tnode, "each")) {
        S_each(w, tnode, f);
    } else if (tpl_is_element(tnode, "group")) {
        S_group(w, tnode, f);
    } else if (tpl_is_element(tnode, "use")) {
        S_use(w, tnode, f);
    } else {
        tpl_error(w->e->t, tnode, w->e->diags, w->cx->unknown, (const char *)tnode->name);
    }
}

static void S_walk_children(const walk *w, const xmlNode *parent, tpl_focus f)
{
    binding *lets = NULL;
    size_t nlets = 0, cap = 0;
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (tpl_is_element(c, "let")) {
            GROW(lets, nlets, cap);
            nlets += S_let(w, c, f, &lets[nlets]);
        } else {
            S_walk_node(w, c, f);
        }
    }
    while (nlets > 0) {
        nlets--;
        S_restore(w->e, lets[nlets].name, lets[nlets].former);
    }
    free(lets);
}

void tpl_walk(tpl_eval *e, const xmlNode *parent, tpl_focus f, const tpl_context *cx,
              void *target, const text_style *style)
{
    walk w = {e, cx, target, style};
    S_walk_children(&w, parent, f);
}
