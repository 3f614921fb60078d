/* The template's attributes as the evaluation reads them: their XPath
 * expressions compiled once per template;
 * plain ones (template_plain_expr.c) evaluated by walking the record, and
 * count()s of the same walk counted together.
 *
 * A table of 38,000 rows evaluates each <value of> 38,000 times; parsing
 * the expression again every time was a quarter of the template stage.
 * The compiled expression is kept on the attribute that holds it (the
 * attribute node's _private, which libxml2 leaves to applications), so
 * finding it costs nothing; template_free frees them with the document.
 * The program is single-threaded (batch forks its workers), so filling
 * the cache while a const template is evaluated is safe. */
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

/* What is kept on an attribute: its expression compiled, and as a plain
 * expression when it is one (template_plain_expr.c); and how often it was
 * evaluated and found something (tpl_unselected_xpaths). */
typedef struct template_expr {
    xmlXPathCompExpr *comp;
    plain_expr *plain;
    unsigned long evaluated, selected;
} template_expr;

/* The attribute's expression, compiled on first use; NULL when it is not
 * valid XPath (compiled again, and reported, at every use: the messages
 * are those of an evaluation from the text). */
static template_expr *S_compiled(xmlAttr *a, const char *expr)
{
    if (!a->_private) {
        xmlXPathCompExpr *comp = xmlXPathCompile((const xmlChar *)expr);
        if (!comp)
            return NULL;
        template_expr *x = xcalloc(1, sizeof *x);
        x->comp = comp;
        x->plain = plain_expr_parse(expr);
        a->_private = x;
    }
    return a->_private;
}

/* One evaluation of x, which found something or not. */
static void S_tally(template_expr *x, int found)
{
    if (x) {
        x->evaluated++;
        x->selected += found != 0;
    }
}

/* Did the result find anything: a node, a non-empty string, true, a
 * number other than 0 (a count() of nothing) or NaN (number() of nothing)? */
static int S_found_something(const xmlXPathObject *obj)
{
    switch (obj->type) {
    case XPATH_NODESET:
        return obj->nodesetval && obj->nodesetval->nodeNr > 0;
    case XPATH_STRING:
        return obj->stringval && obj->stringval[0];
    case XPATH_BOOLEAN:
        return obj->boolval;
    case XPATH_NUMBER:
        return obj->floatval != 0 && obj->floatval == obj->floatval;
    default:
        return 1;
    }
}

/* The attribute holding tnode's expression `attr`, and its text. */
static xmlAttr *S_expression(const xmlNode *tnode, const char *attr, const char **expr)
{
    xmlAttr *a = tpl_attr_find(tnode, attr);
    *expr = a ? tpl_attr_text(tnode, attr) : NULL;
    return a;
}

xmlXPathContext *tpl_xpath_context_new(xmlDoc *record)
{
    xmlXPathContext *xp = xmlXPathNewContext(record);
    /* reuse the objects of one evaluation in the next (fewer mallocs: a
     * tenth of the instructions of a big table) */
    if (xp)
        xmlXPathContextSetCache(xp, 1, -1, 0);
    return xp;
}

/* ---- count()s counted together ----
 *
 * A report's totals count the same rows again and again
 * (count(enterprises/enterprise[check/@result='pass']), then 'rectified',
 * ...): each walk through 38,000 rows is some 40 ms of memory latency.
 * The first of them to be evaluated counts, in one walk, all the
 * template's count()s that walk the same nodes from the same node; the
 * others find their numbers here.  Kept for one evaluation (the record
 * does not change during it). */
typedef struct tpl_count_batch {
    const plain_expr **all; /* the template's plain count()s */
    size_t nall;
    xmlNode *focus; /* what was counted from */
    const plain_expr **xs;
    plain_count *counts; /* nall + 1 of them, {0} when unused */
    size_t n;
} tpl_count_batch;

static void S_find_counts(tpl_count_batch *b, xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next) {
            const char *text = tpl_attr_text(n, (const char *)a->name);
            if (a->ns || strncmp(text, "count(", 6) != 0)
                continue;
            const template_expr *x = S_compiled(a, text);
            if (x && x->plain && plain_expr_kind(x->plain) == PLAIN_COUNT) {
                b->all = xrealloc(b->all, (b->nall + 1) * sizeof *b->all);
                b->all[b->nall++] = x->plain;
            }
        }
        S_find_counts(b, n->children);
    }
}

/* x's count from `from`; `value` that of its variable (plain_expr_variable). */
static size_t S_counted(tpl_eval *e, const plain_expr *x, xmlNode *from, const char *value)
{
    tpl_count_batch *b = e->counts;
    if (!b) {
        b = e->counts = xcalloc(1, sizeof *b);
        S_find_counts(b, e->t->doc->children);
        for (size_t i = 0; i < e->t->nfragments; i++)
            S_find_counts(b, e->t->fragments[i].doc->children);
        b->xs = xmalloc((b->nall + 1) * sizeof *b->xs);
        b->counts = xcalloc(b->nall + 1, sizeof *b->counts);
    }
    if (b->focus != from || b->n > b->nall) /* another node; or full (were x not in all) */
        b->n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->xs[i] == x)
            return plain_count_of(&b->counts[i], value);
    /* x and the template's count()s of its walk, counted now */
    size_t first = b->n;
    b->xs[b->n++] = x;
    for (size_t i = 0; i < b->nall; i++)
        if (b->all[i] != x && plain_expr_same_walk(x, b->all[i]) && b->n <= b->nall)
            b->xs[b->n++] = b->all[i];
    plain_expr_count_together(b->xs + first, b->n - first, from, b->counts + first);
    b->focus = from;
    return plain_count_of(&b->counts[first], value);
}

void tpl_end_evaluation(tpl_eval *e)
{
    xmlXPathFreeContext(e->xp);
    tpl_count_batch *b = e->counts;
    if (b) {
        free(b->all);
        free(b->xs);
        for (size_t i = 0; i <= b->nall; i++)
            plain_count_clear(&b->counts[i]);
        free(b->counts);
        free(b);
    }
    e->counts = NULL;
}

static void S_focus_on(tpl_eval *e, tpl_focus f)
{
    e->xp->node = f.node;
    e->xp->proximityPosition = f.position;
    e->xp->contextSize = f.size;
}

static xmlXPathObject *S_evaluate(tpl_eval *e, const xmlNode *tnode, const char *expr,
                                const template_expr *x, tpl_focus f)
{
    S_focus_on(e, f);
    xmlXPathObject *obj = x ? xmlXPathCompiledEval(x->comp, e->xp) : NULL;
    if (!obj)
        tpl_error(e->t, tnode, e->diags, "not a valid XPath expression", expr);
    return obj;
}

xmlXPathObject *tpl_xpath(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f)
{
    const char *expr;
    xmlAttr *a = S_expression(tnode, attr, &expr);
    if (!expr)
        return NULL;
    template_expr *x = S_compiled(a, expr);
    xmlXPathObject *obj = S_evaluate(e, tnode, expr, x, f);
    if (obj)
        S_tally(x, S_found_something(obj));
    return obj;
}

/* The string value of x's variable, if it has one (*var; NULL if not):
 * 0 when the variable is not a string (or not set), for libxml2 to
 * evaluate (or refuse) the expression. */
static int S_string_variable(tpl_eval *e, const plain_expr *x, xmlXPathObject **var)
{
    const char *name = plain_expr_variable(x);
    *var = NULL;
    if (!name)
        return 1;
    *var = xmlXPathVariableLookup(e->xp, (const xmlChar *)name);
    if (*var && (*var)->type == XPATH_STRING && (*var)->stringval)
        return 1;
    xmlXPathFreeObject(*var);
    *var = NULL;
    return 0;
}

int tpl_xpath_string(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f,
                     tpl_xpath_text *out)
{
    *out = (tpl_xpath_text){.text = "", .node = f.node};
    const char *expr;
    xmlAttr *a = S_expression(tnode, attr, &expr);
    if (!expr)
        return 0;
    template_expr *x = S_compiled(a, expr);
    /* (positions are never negative, where libxml2 would refuse them) */
    xmlXPathObject *var = NULL;
    if (x && x->plain && f.node && f.node->type == XML_ELEMENT_NODE && f.position >= 0 &&
        f.size >= 0 && S_string_variable(e, x->plain, &var)) {
        xmlNode *n;
        switch (plain_expr_kind(x->plain)) {
        case PLAIN_COUNT: {
            const char *value = var ? (const char *)var->stringval : NULL;
            size_t count = S_counted(e, x->plain, f.node, value);
            snprintf(out->number, sizeof out->number, "%zu", count);
            out->text = out->number;
            S_tally(x, count > 0);
            break;
        }
        case PLAIN_POSITION: /* as XPath writes a whole number */
        case PLAIN_LAST:
            snprintf(out->number, sizeof out->number, "%d",
                     plain_expr_kind(x->plain) == PLAIN_POSITION ? f.position : f.size);
            out->text = out->number;
            S_tally(x, 1);
            break;
        case PLAIN_PATH:
            if ((n = plain_expr_first(x->plain, f.node)) != NULL) {
                out->node = n;
                out->text = plain_node_string_value(n, &out->owned);
            }
            S_tally(x, n != NULL);
            break;
        }
        xmlXPathFreeObject(var);
        return 1;
    }
    xmlXPathObject *obj = S_evaluate(e, tnode, expr, x, f);
    if (!obj)
        return 0;
    S_tally(x, S_found_something(obj));
    out->text = (const char *)(out->owned = xmlXPathCastToString(obj));
    /* the cast sorted a node-set: its first node is the first in document order */
    if (obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0)
        out->node = obj->nodesetval->nodeTab[0];
    xmlXPathFreeObject(obj);
    if (!out->text)
        out->text = "";
    return 1;
}

void tpl_xpath_text_free(tpl_xpath_text *v)
{
    xmlFree(v->owned);
    v->owned = NULL;
}

int tpl_xpath_boolean(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f)
{
    const char *expr;
    xmlAttr *a = S_expression(tnode, attr, &expr);
    if (!expr)
        return 0;
    template_expr *x = S_compiled(a, expr);
    S_focus_on(e, f);
    int yes = x ? xmlXPathCompiledEvalToBoolean(x->comp, e->xp) : -1;
    if (yes < 0)
        tpl_error(e->t, tnode, e->diags, "not a valid XPath expression", expr);
    else
        S_tally(x, yes);
    return yes > 0;
}

void tpl_unselected_xpaths(const xmlNode *n, tpl_unselected_fn fn, void *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next) {
            const template_expr *x = a->_private;
            if (x && x->evaluated > 0 && x->selected == 0)
                fn(n, (const char *)a->name, tpl_attr_text(n, (const char *)a->name), ctx);
        }
        tpl_unselected_xpaths(n->children, fn, ctx);
    }
}

void tpl_forget_tallies(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next) {
            template_expr *x = a->_private;
            if (x)
                x->evaluated = x->selected = 0;
        }
        tpl_forget_tallies(n->children);
    }
}

void tpl_free_compiled_xpaths(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next) {
            template_expr *x = a->_private;
            if (!x)
                continue;
            xmlXPathFreeCompExpr(x->comp);
            plain_expr_free(x->plain);
            free(x);
            a->_private = NULL;
        }
        tpl_free_compiled_xpaths(n->children);
    }
}
