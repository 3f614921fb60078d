/* A bundle's list of attachments, read as the heading record's template
 * declares it (template_refs.h). */
#include "template_refs.h"

#include <libxml/xpath.h>
#include <stdlib.h>

#include "template_internal.h"
#include "util.h"

int template_lists_attachments(const template *t)
{
    return t->attachments != NULL;
}

/* The string value of the entry's attribute `attr` of <attachments>, an
 * XPath from `node`; NULL (reported) when it is not valid. */
static char *S_string_at(const template *t, xmlXPathContext *xp, xmlNode *node, const char *attr,
                         diag_list *diags)
{
    const char *expr = tpl_attr_text(t->attachments, attr);
    xp->node = node;
    xmlXPathObject *v = xmlXPathEvalExpression((const xmlChar *)expr, xp);
    if (!v) {
        tpl_error(t, t->attachments, diags, "not a valid XPath expression", expr);
        return NULL;
    }
    xmlChar *s = xmlXPathCastToString(v);
    xmlXPathFreeObject(v);
    char *out = xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    return out;
}

long template_attachment_refs(const template *t, xmlDoc *record, template_ref **refs, int *line,
                              diag_list *diags)
{
    xmlNode *root = xmlDocGetRootElement(record);
    *refs = NULL;
    *line = (int)xmlGetLineNo(root);
    if (!t->attachments) {
        diag_add(diags, DIAG_ERROR, t->path, 0,
                 "the template %s declares no <attachments of=\"XPATH\" template=\"XPATH\" "
                 "title=\"XPATH\"/>, so its records cannot head a bundle",
                 template_name(t));
        return -1;
    }
    xmlXPathContext *xp = xmlXPathNewContext(record);
    xp->node = root;
    const char *of = tpl_attr_text(t->attachments, "of");
    xmlXPathObject *list = xmlXPathEvalExpression((const xmlChar *)of, xp);
    if (!list || list->type != XPATH_NODESET) {
        tpl_error(t, t->attachments, diags, "of= must select the record's entries (nodes)", of);
        xmlXPathFreeObject(list);
        xmlXPathFreeContext(xp);
        return -1;
    }
    size_t n = list->nodesetval ? (size_t)list->nodesetval->nodeNr : 0;
    *refs = xcalloc(n ? n : 1, sizeof **refs);
    long rc = (long)n;
    for (size_t k = 0; k < n && rc >= 0; k++) {
        xmlNode *entry = list->nodesetval->nodeTab[k];
        template_ref *r = &(*refs)[k];
        r->entry = entry;
        r->name = S_string_at(t, xp, entry, "template", diags);
        r->title = S_string_at(t, xp, entry, "title", diags);
        if (!r->name || !r->title)
            rc = -1;
        else if (!*r->name)
            free(r->name), r->name = NULL;
    }
    if (n > 0 && list->nodesetval->nodeTab[0]->parent)
        *line = (int)xmlGetLineNo(list->nodesetval->nodeTab[0]->parent);
    xmlXPathFreeObject(list);
    xmlXPathFreeContext(xp);
    if (rc < 0) {
        template_refs_free(*refs, n);
        *refs = NULL;
    }
    return rc;
}

void template_refs_free(template_ref *refs, size_t n)
{
    for (size_t k = 0; refs && k < n; k++)
        free(refs[k].name), free(refs[k].title);
    free(refs);
}
