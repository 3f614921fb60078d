/* The walker: the children of a template element, each made by the
 * handler its context has for it; <if> and <each> are the walker's own,
 * the same in every context (the flow, a paragraph, a table, a row, a
 * cell). */
#include "template_internal.h"

int tpl_test(tpl_eval *e, const xmlNode *tnode, tpl_focus f)
{
    if (!tpl_attr_text(tnode, "test")) {
        tpl_error(e->t, tnode, e->diags, "<if> needs test=\"XPATH\"", NULL);
        return 0;
    }
    return tpl_xpath_boolean(e, tnode, "test", f);
}

/* <each of="XPATH">: the children once per selected node, in order. */
static void S_each(tpl_eval *e, const xmlNode *tnode, tpl_focus f, const tpl_context *cx,
                   void *target, const text_style *style)
{
    xmlXPathObject *obj = tpl_xpath(e, tnode, "of", f);
    if (!tpl_attr_text(tnode, "of"))
        tpl_error(e->t, tnode, e->diags, "<each> needs of=\"XPATH\"", NULL);
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval) {
        int n = obj->nodesetval->nodeNr;
        for (int i = 0; i < n; i++) {
            tpl_focus inner = {obj->nodesetval->nodeTab[i], i + 1, n};
            tpl_walk(e, tnode, inner, cx, target, style);
        }
    }
    xmlXPathFreeObject(obj);
}

void tpl_walk_node(tpl_eval *e, const xmlNode *tnode, tpl_focus f, const tpl_context *cx,
                   void *target, const text_style *style)
{
    if (tnode->type == XML_TEXT_NODE) {
        if (cx->text)
            cx->text(e, tnode, f, target, style);
        return;
    }
    if (tnode->type != XML_ELEMENT_NODE)
        return;
    for (const tpl_handler *h = cx->handlers; h->name; h++)
        if (tpl_is_element(tnode, h->name)) {
            h->fn(e, tnode, f, target, style);
            return;
        }
    if (tpl_is_element(tnode, "if")) {
        if (tpl_test(e, tnode, f))
            tpl_walk(e, tnode, f, cx, target, style);
    } else if (tpl_is_element(tnode, "each")) {
        S_each(e, tnode, f, cx, target, style);
    } else {
        tpl_error(e->t, tnode, e->diags, cx->unknown, (const char *)tnode->name);
    }
}

void tpl_walk(tpl_eval *e, const xmlNode *parent, tpl_focus f, const tpl_context *cx,
              void *target, const text_style *style)
{
    for (const xmlNode *c = parent->children; c; c = c->next)
        tpl_walk_node(e, c, f, cx, target, style);
}
