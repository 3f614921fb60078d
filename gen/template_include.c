/* One template inside another, as it is evaluated: <include
 * template="selfcheck-summary" label="附件2"/> lays the named template's
 * flow out at that point, on a new page of its own geometry, with its own
 * styles and codes, against the same record node; its <param>s ($label)
 * take the include's attributes.  (The included templates are read with
 * the template: template_load.c.) */
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

const template *tpl_included(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nincludes; i++)
        if (strcmp(t->includes[i]->name, name) == 0)
            return t->includes[i];
    return NULL;
}

int template_has_param(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nparams; i++)
        if (strcmp(t->param_names[i], name) == 0)
            return 1;
    return 0;
}

/* The caller's value for the param `name`, or NULL. */
static const char *S_given_value(const template_params *given, const char *name)
{
    for (size_t i = 0; given && i < given->n; i++)
        if (strcmp(given->items[i].name, name) == 0)
            return given->items[i].value;
    return NULL;
}

void tpl_set_params(tpl_eval *e, const xmlNode *include, const template_params *given)
{
    for (size_t i = 0; i < e->t->nparams; i++) {
        char *attr = include ? tpl_attr_dup(include, e->t->param_names[i]) : NULL;
        const char *value = attr ? attr : S_given_value(given, e->t->param_names[i]);
        if (!value)
            value = e->t->param_defaults[i];
        xmlXPathRegisterVariable(e->xp, (const xmlChar *)e->t->param_names[i],
                                 xmlXPathNewCString(value));
        free(attr);
    }
}

int tpl_include_begin(tpl_eval *e, const xmlNode *tnode, block_list *out, tpl_eval *sub)
{
    const char *name = tpl_attr_text(tnode, "template");
    const template *inc = name ? tpl_included(e->t, name) : NULL;
    if (!inc)
        return -1; /* reported when the template was loaded */
    block *b = block_list_push(out, BLOCK_PAGE_BREAK);
    b->page = xmalloc(sizeof *b->page);
    *b->page = inc->page;
    *sub = (tpl_eval){.t = inc, .xp = tpl_xpath_context_new(e->xp->doc),
                      .record_path = e->record_path, .diags = e->diags, .texts = e->texts};
    if (!sub->xp)
        return -1;
    tpl_set_params(sub, tnode, NULL);
    tpl_read_markdown_style(sub);
    return 0;
}
