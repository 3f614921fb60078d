/* Templates: the entry of the stage's evaluation.  The nodes to lay out
 * are selected, the page number and the document's information read, and
 * the flow and the foot walked against the record (template_flow.c), XPath
 * deciding every value, condition and repetition.  Reading a template is
 * template_load.c's. */
#include "template.h"

#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "template_values.h"
#include "util.h"

static void S_read_page_number(tpl_eval *e, document *doc)
{
    const xmlNode *n = e->t->page_number;
    page_number_spec *pn = &doc->page_number;
    if (!n)
        return;
    pn->enabled = 1;
    char *format = tpl_attr_dup(n, "format");
    pn->format = format ? format : xstrdup("{n}");
    pn->style = *tpl_style_attr(e, n, tpl_body_style(e));
    double em = pn->style.size;
    tpl_length_attr(e->t, n, "below", em, &pn->below, e->diags);
    tpl_length_attr(e->t, n, "inset", em, &pn->inset, e->diags);
    char *odd = tpl_attr_dup(n, "odd"), *even = tpl_attr_dup(n, "even");
    pn->odd = pn->even = ALIGN_CENTER;
    if (odd && !template_parse_align(odd, &pn->odd))
        tpl_error(e->t, n, e->diags, "odd must be left, center or right", odd);
    if (even && !template_parse_align(even, &pn->even))
        tpl_error(e->t, n, e->diags, "even must be left, center or right", even);
    free(odd), free(even);
}

static char *S_info_field(tpl_eval *e, const xmlNode *n, const char *attr, tpl_focus f)
{
    tpl_xpath_text v;
    if (!tpl_xpath_string(e, n, attr, f, &v))
        return NULL;
    char *s = *v.text ? template_literal(v.text) : NULL;
    tpl_xpath_text_free(&v);
    return s;
}

/* A field of a document of several nodes (all the forms in one PDF): the
 * value every node gives it when they agree (the same author on every
 * form), else its value at the root (the forms' several dates are no one
 * date of the document). */
static char *S_info_field_of_all(tpl_eval *e, const xmlNode *n, const char *attr,
                                 const template_run *run, tpl_focus root)
{
    xmlNode **nodes = run->nodes;
    size_t count = run->n;
    if (count == 0)
        return S_info_field(e, n, attr, root);
    char *first = S_info_field(e, n, attr, (tpl_focus){nodes[0], 1, (int)count});
    for (size_t i = 1; first && i < count; i++) {
        char *v = S_info_field(e, n, attr, (tpl_focus){nodes[i], (int)i + 1, (int)count});
        int same = v && strcmp(v, first) == 0;
        free(v);
        if (!same) {
            free(first);
            first = NULL;
        }
    }
    return first ? first : S_info_field(e, n, attr, root);
}

static void S_read_info(tpl_eval *e, document *doc, const template_run *run, tpl_focus root)
{
    static const char *const fields[] = {"title", "author", "subject", "keywords", "date"};
    char **to[] = {&doc->info.title, &doc->info.author, &doc->info.subject, &doc->info.keywords,
                   &doc->info.date};
    const xmlNode *n = e->t->info;
    for (size_t i = 0; n && i < sizeof fields / sizeof *fields; i++)
        *to[i] = S_info_field_of_all(e, n, fields[i], run, root);
}

size_t template_select(const template *t, xmlDoc *record, const char *each, xmlNode ***nodes,
                       diag_list *diags)
{
    xmlNode *root = xmlDocGetRootElement(record);
    const char *expr = each ? each : t->each;
    *nodes = NULL;
    if (!expr) {
        *nodes = xmalloc(sizeof **nodes);
        (*nodes)[0] = root;
        return 1;
    }
    xmlXPathContext *xp = xmlXPathNewContext(record);
    xp->node = root;
    xmlXPathObject *obj = xmlXPathEvalExpression((const xmlChar *)expr, xp);
    size_t n = 0;
    if (!obj || obj->type != XPATH_NODESET)
        diag_add(diags, DIAG_ERROR, each ? NULL : t->path, 0,
                 "\"%s\" is not an XPath expression that selects nodes", expr);
    else if (obj->nodesetval && obj->nodesetval->nodeNr > 0) {
        n = (size_t)obj->nodesetval->nodeNr;
        *nodes = xmalloc(n * sizeof **nodes);
        memcpy(*nodes, obj->nodesetval->nodeTab, n * sizeof **nodes);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xp);
    return n;
}

int template_apply_run(const template *t, const template_run *run, document *out,
                       diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->page = t->page;
    size_t errors = diag_count(diags, DIAG_ERROR);
    tpl_eval e = {.t = t, .xp = tpl_xpath_context_new(run->record),
                  .record_path = run->record_path, .diags = diags, .texts = &out->texts};
    if (!e.xp) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "libxml2 could not start XPath");
        return -1;
    }
    tpl_focus root = {xmlDocGetRootElement(run->record), 1, 1};
    tpl_set_params(&e, NULL, run->given);
    tpl_read_markdown_style(&e);
    S_read_page_number(&e, out);
    S_read_info(&e, out, run, root);
    for (size_t i = 0; i < run->n; i++) {
        if (i > 0)
            block_list_push(&out->flow, BLOCK_PAGE_BREAK);
        tpl_focus f = {run->nodes[i], (int)i + 1, (int)run->n};
        tpl_apply_flow(&e, t->flow, f, &out->flow);
    }
    if (t->foot)
        tpl_apply_flow(&e, t->foot, root, &out->foot);
    tpl_end_evaluation(&e);
    return diag_count(diags, DIAG_ERROR) > errors ? -1 : 0;
}

int template_apply(const template *t, xmlDoc *record, const char *record_path, document *out,
                   diag_list *diags)
{
    xmlNode **nodes = NULL;
    size_t n = template_select(t, record, NULL, &nodes, diags);
    template_run run = {record, record_path, nodes, n, NULL};
    int rc = template_apply_run(t, &run, out, diags);
    free(nodes);
    return rc;
}
