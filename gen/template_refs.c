/* A notice's list of attachments, as the bundle reads it (template_refs.h). */
#include "template_refs.h"

#include <string.h>

#include "util.h"

static int refs_is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

size_t template_attachment_refs(xmlDoc *record, template_ref **refs, int *line)
{
    const xmlNode *root = xmlDocGetRootElement(record), *list = NULL;
    for (const xmlNode *c = root->children; c && !list; c = c->next)
        if (refs_is_element(c, "attachments"))
            list = c;
    *line = (int)xmlGetLineNo(list ? list : root);
    size_t n = 0;
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next)
        n += refs_is_element(c, "attachment");
    *refs = xcalloc(n ? n : 1, sizeof **refs);
    size_t k = 0;
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
        if (!refs_is_element(c, "attachment"))
            continue;
        xmlChar *ref = xmlGetProp(c, (const xmlChar *)"ref");
        (*refs)[k++] = (template_ref){c, ref ? xstrdup((const char *)ref) : NULL};
        xmlFree(ref);
    }
    return n;
}
