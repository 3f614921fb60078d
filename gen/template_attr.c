/* The template's attributes as every file of the stage reads them: their
 * text without copies, "yes", lengths; and the errors at a template's
 * line.  The bottom of the stage: it calls no other file of it. */
#include <libxml/tree.h>
#include <string.h>

#include "i18n.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

int tpl_is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           (!name || (n->name[0] == (xmlChar)name[0] && strcmp((const char *)n->name, name) == 0));
}

xmlAttr *tpl_attr_find(const xmlNode *n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE)
        return NULL;
    /* as xmlGetProp: an attribute in no namespace */
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (a->name[0] == (xmlChar)name[0] && !a->ns && strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

const char *tpl_attr_text(const xmlNode *n, const char *name)
{
    xmlAttr *a = tpl_attr_find(n, name);
    if (!a)
        return NULL;
    if (!a->children)
        return "";
    if (a->children->next || a->children->type != XML_TEXT_NODE) {
        /* The parser gives one text node (templates may not declare
         * entities); a tree built otherwise is made so, once. */
        xmlChar *v = xmlNodeListGetString(a->doc, a->children, 1);
        xmlNode *text = xmlNewDocText(a->doc, v ? v : (const xmlChar *)"");
        xmlFree(v);
        xmlFreeNodeList(a->children);
        a->children = a->last = text;
        text->parent = (xmlNode *)a;
    }
    return (const char *)a->children->content;
}

char *tpl_attr_dup(const xmlNode *n, const char *name)
{
    const char *v = tpl_attr_text(n, name);
    return v ? xstrdup(v) : NULL;
}

int tpl_attr_yes(const xmlNode *n, const char *name)
{
    const char *v = tpl_attr_text(n, name);
    return v && strcmp(v, "yes") == 0;
}

const char *tpl_file_of(const template *t, const xmlNode *n)
{
    for (size_t i = 0; n && n->doc != t->doc && i < t->nfragments; i++)
        if (n->doc == t->fragments[i].doc)
            return t->fragments[i].path;
    return t->path;
}

void tpl_error(const template *t, const xmlNode *n, diag_list *diags, const char *msg,
               const char *what)
{
    diag_add(diags, DIAG_ERROR, tpl_file_of(t, n), n ? xmlGetLineNo(n) : 0, "%s%s%s", _(msg),
             what ? ": " : "", what ? what : "");
}

/* A length attribute: "37mm", "16pt", "2em" (of `em`), "2line" (grid
 * lines), a Chinese type size ("3号", "小四"), or a bare number of points. */
int tpl_length_attr(const template *t, const xmlNode *n, const char *name, double em,
                    double *out, diag_list *diags)
{
    const char *v = tpl_attr_text(n, name);
    if (!v)
        return 0;
    int ok = template_parse_length(v, em, t->grid_line, t->grid_char, out);
    if (!ok)
        diag_add(diags, DIAG_ERROR, tpl_file_of(t, n), xmlGetLineNo(n),
                 "%s=\"%s\" is not a length (37mm, 16pt, 2em, 1line, 3号)", name, v);
    return ok ? 1 : -1;
}
