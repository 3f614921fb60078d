/* The code tables of a template (<codes name="result">): the record's
 * codes and the names a clerk reads (pass → 符合要求). */
#include <libxml/tree.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

void read_codes(template *t, xmlNode *n, diag_list *diags)
{
    char *name = tpl_attr_dup(n, "name");
    if (!name) {
        tpl_error(t, n, diags, "<codes> needs a name", NULL);
        return;
    }
    GROW(t->codes, t->ncodes, t->codes_cap);
    code_table *c = &t->codes[t->ncodes++];
    memset(c, 0, sizeof *c);
    c->name = name;
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

void free_codes(template *t)
{
    for (size_t i = 0; i < t->ncodes; i++) {
        for (size_t k = 0; k < t->codes[i].n; k++) {
            free(t->codes[i].values[k]);
            free(t->codes[i].labels[k]);
        }
        free(t->codes[i].values);
        free(t->codes[i].labels);
        free(t->codes[i].name);
    }
    free(t->codes);
}

const char *code_label(const template *t, const char *name, const char *value, int *known)
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
