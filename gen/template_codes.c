/* Code tables of templates: <codes name="result"> turns the codes of a
 * record field into the names a clerk reads (<value of="check/@result"
 * codes="result"/> prints 符合要求 for pass).  A table holds its own
 * <code value="pass">符合要求</code>s, or takes a list of the data file
 * (<codes name="result" list="check-result"/>, schemas/codes.rng), which
 * the schemas and the importer read too; such a table is filled after
 * the template is loaded (template_read_code_lists). */
#include <stdlib.h>
#include <string.h>

#include "code_lists.h"
#include "template_internal.h"
#include "util.h"

/* The table's own <code value="...">label</code>s. */
static void template_codes_inline(template *t, code_table *c, xmlNode *n, diag_list *diags)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        if (!tpl_is_element(k, "code"))
            continue;
        char *value = tpl_attr_dup(k, "value");
        xmlChar *label = xmlNodeGetContent(k);
        if (!value) {
            tpl_error(t, k, diags, "<code> needs a value", NULL);
        } else {
            c->values = xrealloc(c->values, (c->n + 1) * sizeof *c->values);
            c->labels = xrealloc(c->labels, (c->n + 1) * sizeof *c->labels);
            c->values[c->n] = value;
            c->labels[c->n++] = xstrdup((const char *)label);
            value = NULL;
        }
        free(value);
        xmlFree(label);
    }
}

static int template_codes_has_code(const xmlNode *n)
{
    for (const xmlNode *k = n->children; k; k = k->next)
        if (tpl_is_element(k, "code"))
            return 1;
    return 0;
}

void tpl_read_codes(template *t, xmlNode *n, diag_list *diags)
{
    char *list = tpl_attr_dup(n, "list");
    char *name = list && !tpl_attr_text(n, "name") ? xstrdup(list) : tpl_attr_dup(n, "name");
    if (!name) {
        tpl_error(t, n, diags, "<codes> needs a name (or a list)", NULL);
        return;
    }
    if (list && template_codes_has_code(n)) {
        tpl_error(t, n, diags, "<codes list> takes its codes from the list: it has no <code>s",
                       list);
        free(name), free(list);
        return;
    }
    GROW(t->codes, t->ncodes, t->codes_cap);
    code_table *c = &t->codes[t->ncodes++];
    *c = (code_table){.name = name, .list = list, .node = n};
    if (!list)
        template_codes_inline(t, c, n, diags);
}

void tpl_free_codes(template *t)
{
    for (size_t i = 0; i < t->ncodes; i++) {
        for (size_t k = 0; k < t->codes[i].n; k++) {
            free(t->codes[i].values[k]);
            free(t->codes[i].labels[k]);
        }
        free(t->codes[i].values);
        free(t->codes[i].labels);
        free(t->codes[i].name);
        free(t->codes[i].list);
    }
    free(t->codes);
}

const char *tpl_code_label(const template *t, const char *name, const char *value, int *known)
{
    *known = 0;
    for (size_t i = 0; i < t->ncodes; i++) {
        if (strcmp(t->codes[i].name, name) != 0)
            continue;
        *known = 1;
        for (size_t k = 0; k < t->codes[i].n; k++)
            if (strcmp(t->codes[i].values[k], value) == 0)
                return t->codes[i].labels[k];
    }
    return NULL;
}

int template_uses_code_lists(const template *t)
{
    for (size_t i = 0; i < t->ncodes; i++)
        if (t->codes[i].list)
            return 1;
    for (size_t i = 0; i < t->nincludes; i++)
        if (template_uses_code_lists(t->includes[i]))
            return 1;
    return 0;
}

/* "certificate-type, certificate-status, ..." for a message. */
static char *template_codes_names(const code_lists *lists)
{
    char *names = xstrdup("");
    for (size_t i = 0; i < lists->n; i++) {
        char *more = xasprintf("%s%s%s", names, i ? ", " : "", lists->lists[i].name);
        free(names);
        names = more;
    }
    return names;
}

/* The table's codes and labels, copies of the list's (the template
 * outlives the lists). */
static void template_codes_fill(code_table *c, const code_list *list)
{
    c->values = xcalloc(list->n, sizeof *c->values);
    c->labels = xcalloc(list->n, sizeof *c->labels);
    for (size_t k = 0; k < list->n; k++) {
        c->values[k] = xstrdup(list->codes[k].value);
        c->labels[k] = xstrdup(list->codes[k].label);
    }
    c->n = list->n;
}

/* Each <codes list> of t and of the templates it includes filled from
 * `lists`; a list they lack is an error at its <codes>.  Returns the
 * number of those. */
static int template_codes_take(template *t, const code_lists *lists, diag_list *diags)
{
    int missing = 0;
    for (size_t i = 0; i < t->ncodes; i++) {
        code_table *c = &t->codes[i];
        if (!c->list || c->n > 0)
            continue;
        const code_list *list = code_lists_find(lists, c->list);
        if (list) {
            template_codes_fill(c, list);
            continue;
        }
        char *names = template_codes_names(lists);
        diag_add(diags, DIAG_ERROR, t->path, (int)xmlGetLineNo(c->node),
                 "<codes list=\"%s\">: %s has no such list (it has %s)", c->list, lists->path,
                 names);
        free(names);
        missing++;
    }
    for (size_t i = 0; i < t->nincludes; i++)
        missing += template_codes_take(t->includes[i], lists, diags);
    return missing;
}

int template_read_code_lists(template *t, const char *file, diag_list *diags)
{
    if (!template_uses_code_lists(t))
        return 0;
    code_lists *lists = code_lists_load(file, diags);
    int rc = lists && template_codes_take(t, lists, diags) == 0 ? 0 : -1;
    code_lists_free(lists);
    return rc;
}
