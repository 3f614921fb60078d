/* A code table as a list, for <each codes="NAME"> and <group order="NAME">:
 * how many codes it has and each one's value, in the table's order.  How
 * a table gets its entries is template_codes.c's; this reads them only. */
#include <string.h>

#include "template_internal.h"

static const code_table *S_table(const template *t, const char *name)
{
    for (size_t i = 0; i < t->ncodes; i++)
        if (strcmp(t->codes[i].name, name) == 0)
            return &t->codes[i];
    return NULL;
}

int tpl_code_count(const template *t, const char *name, size_t *n)
{
    const code_table *c = S_table(t, name);
    *n = c ? c->n : 0;
    return c != NULL;
}

const char *tpl_code_at(const template *t, const char *name, size_t i)
{
    const code_table *c = S_table(t, name);
    return c && i < c->n ? c->values[i] : NULL;
}
