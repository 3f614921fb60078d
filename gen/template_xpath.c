/* The template's attributes as the evaluation reads them: their text
 * without copies, and their XPath expressions compiled once per template.
 *
 * A table of 38,000 rows evaluates each <value of> 38,000 times; parsing
 * the expression again every time was a quarter of the template stage.
 * The compiled expression is kept on the attribute that holds it (the
 * attribute node's _private, which libxml2 leaves to applications), so
 * finding it costs nothing; template_free frees them with the document.
 * The program is single-threaded (batch forks its workers), so filling
 * the cache while a const template is evaluated is safe. */
#include <libxml/xpathInternals.h>

#include "template_internal.h"

static xmlAttr *find_attr(const xmlNode *n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE)
        return NULL;
    /* as xmlGetProp: an attribute in no namespace */
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (!a->ns && xmlStrEqual(a->name, (const xmlChar *)name))
            return a;
    return NULL;
}

const char *attr_text(const xmlNode *n, const char *name)
{
    xmlAttr *a = find_attr(n, name);
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

/* The attribute's expression, compiled on first use; NULL when it is not
 * valid XPath (compiled again, and reported, at every use: the messages
 * are those of an evaluation from the text). */
static xmlXPathCompExpr *compiled(xmlAttr *a, const char *expr)
{
    if (!a->_private)
        a->_private = xmlXPathCompile((const xmlChar *)expr);
    return a->_private;
}

xmlXPathContext *new_xpath_context(xmlDoc *record)
{
    xmlXPathContext *xp = xmlXPathNewContext(record);
    /* reuse the objects of one evaluation in the next (fewer mallocs: a
     * tenth of the instructions of a big table) */
    if (xp)
        xmlXPathContextSetCache(xp, 1, -1, 0);
    return xp;
}

static void focus_on(eval *e, focus f)
{
    e->xp->node = f.node;
    e->xp->proximityPosition = f.position;
    e->xp->contextSize = f.size;
}

xmlXPathObject *xpath(eval *e, const xmlNode *tnode, const char *attr, focus f)
{
    xmlAttr *a = find_attr(tnode, attr);
    const char *expr = a ? attr_text(tnode, attr) : NULL;
    if (!expr)
        return NULL;
    xmlXPathCompExpr *comp = compiled(a, expr);
    focus_on(e, f);
    xmlXPathObject *obj = comp ? xmlXPathCompiledEval(comp, e->xp) : NULL;
    if (!obj)
        template_error(e->t, tnode, e->diags, "not a valid XPath expression", expr);
    return obj;
}

int xpath_boolean(eval *e, const xmlNode *tnode, const char *attr, focus f)
{
    xmlAttr *a = find_attr(tnode, attr);
    const char *expr = a ? attr_text(tnode, attr) : NULL;
    if (!expr)
        return 0;
    xmlXPathCompExpr *comp = compiled(a, expr);
    focus_on(e, f);
    int yes = comp ? xmlXPathCompiledEvalToBoolean(comp, e->xp) : -1;
    if (yes < 0)
        template_error(e->t, tnode, e->diags, "not a valid XPath expression", expr);
    return yes > 0;
}

void free_compiled_xpaths(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next)
            if (a->_private) {
                xmlXPathFreeCompExpr(a->_private);
                a->_private = NULL;
            }
        free_compiled_xpaths(n->children);
    }
}
