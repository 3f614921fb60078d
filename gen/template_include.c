/* One template inside another: <include template="selfcheck-summary"
 * label="附件2"/> lays the named template's flow out at that point, on a
 * new page of its own geometry, with its own styles and codes, against the
 * same record node; its <param>s ($label) take the include's attributes. */
#define _GNU_SOURCE
#include <libgen.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

#define MAX_INCLUDE_DEPTH 4

void read_param(template *t, xmlNode *n, diag_list *diags)
{
    char *name = get_attr(n, "name");
    if (!name) {
        template_error(t, n, diags, "<param> needs a name", NULL);
        return;
    }
    char *value = get_attr(n, "default");
    t->param_names = xrealloc(t->param_names, (t->nparams + 1) * sizeof *t->param_names);
    t->param_defaults = xrealloc(t->param_defaults, (t->nparams + 1) * sizeof *t->param_defaults);
    t->param_names[t->nparams] = name;
    t->param_defaults[t->nparams++] = value ? value : xstrdup("");
}

static const template *included(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nincludes; i++)
        if (strcmp(template_name(t->includes[i]), name) == 0)
            return t->includes[i];
    return NULL;
}

/* Every <include> of the flow, loaded now (once per template, not once
 * per document), from the folder the template is in. */
static int load_from(template *t, const xmlNode *node, diag_list *diags)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!is_element(c, NULL))
            continue;
        if (!is_element(c, "include")) {
            if (load_from(t, c, diags) != 0)
                return -1;
            continue;
        }
        char *name = get_attr(c, "template");
        if (!name || included(t, name) || strcmp(name, template_name(t)) == 0) {
            if (!name || strcmp(name, template_name(t)) == 0)
                template_error(t, c, diags, "<include> needs template= another template", name);
            free(name);
            if (diag_count(diags, DIAG_ERROR))
                return -1;
            continue;
        }
        if (t->depth >= MAX_INCLUDE_DEPTH) {
            template_error(t, c, diags, "templates include each other too deeply", name);
            free(name);
            return -1;
        }
        char *copy = xstrdup(t->path);
        char *path = xasprintf("%s/%s.xml", dirname(copy), name);
        free(copy);
        template *inc = template_load_nested(path, t->depth + 1, diags);
        free(path);
        free(name);
        if (!inc)
            return -1;
        t->includes = xrealloc(t->includes, (t->nincludes + 1) * sizeof *t->includes);
        t->includes[t->nincludes++] = inc;
    }
    return 0;
}

int load_includes(template *t, diag_list *diags)
{
    return t->flow ? load_from(t, t->flow, diags) : 0;
}

void template_included_files(const template *t, void (*fn)(const char *path, void *ctx),
                             void *ctx)
{
    for (size_t i = 0; i < t->nincludes; i++) {
        fn(t->includes[i]->path, ctx);
        template_included_files(t->includes[i], fn, ctx);
    }
}

void free_includes(template *t)
{
    for (size_t i = 0; i < t->nincludes; i++)
        template_free(t->includes[i]);
    free(t->includes);
    for (size_t i = 0; i < t->nparams; i++) {
        free(t->param_names[i]);
        free(t->param_defaults[i]);
    }
    free(t->param_names);
    free(t->param_defaults);
}

int template_has_param(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nparams; i++)
        if (strcmp(t->param_names[i], name) == 0)
            return 1;
    return 0;
}

/* The caller's value for the param `name`, or NULL. */
static const char *given_value(const template_params *given, const char *name)
{
    for (size_t i = 0; given && i < given->n; i++)
        if (strcmp(given->items[i].name, name) == 0)
            return given->items[i].value;
    return NULL;
}

/* The template's params as XPath variables: the include's attribute of
 * that name, else the caller's value, else the default. */
void set_params(eval *e, const xmlNode *include, const template_params *given)
{
    for (size_t i = 0; i < e->t->nparams; i++) {
        char *attr = include ? get_attr(include, e->t->param_names[i]) : NULL;
        const char *value = attr ? attr : given_value(given, e->t->param_names[i]);
        if (!value)
            value = e->t->param_defaults[i];
        xmlXPathRegisterVariable(e->xp, (const xmlChar *)e->t->param_names[i],
                                 xmlXPathNewCString(value));
        free(attr);
    }
}

void add_include(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    char *name = get_attr(tnode, "template");
    const template *inc = name ? included(e->t, name) : NULL;
    free(name);
    if (!inc)
        return; /* reported when the template was loaded */
    block *b = block_list_push(out, BLOCK_PAGE_BREAK);
    b->page = xmalloc(sizeof *b->page);
    *b->page = inc->page;
    eval sub = {.t = inc, .xp = new_xpath_context(e->xp->doc), .record_path = e->record_path,
                .diags = e->diags, .texts = e->texts};
    if (!sub.xp)
        return;
    set_params(&sub, tnode, NULL);
    read_markdown_style(&sub);
    apply_flow(&sub, inc->flow, f, out);
    end_evaluation(&sub);
}
