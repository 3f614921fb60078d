/* Paragraphs: the inline content of a <para>, a <line>, a cell or a
 * <bookmark> (text, <value>, <span>, <fill/>, <br/>) as styled runs, a
 * paragraph's attributes, and the paragraphs of a <markdown> field. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

text_origin tpl_origin_of(tpl_eval *e, const tpl_xpath_text *v)
{
    xmlNode *n = v->node;
    if (n && n->type != XML_ELEMENT_NODE && n->parent)
        n = n->parent;
    text_origin o = {e->record_path, (char *)(n ? n->name : NULL), n ? (int)xmlGetLineNo(n) : 0};
    return o;
}

/* A value shown through the template's code table (codes="result"); a
 * code outside the table is an error of the record. */
static const char *S_coded_value(tpl_eval *e, const xmlNode *tnode, const char *raw,
                                 const text_origin *o)
{
    const char *codes = tpl_attr_text(tnode, "codes");
    if (!codes)
        return raw;
    int known = 0;
    const char *label = tpl_code_label(e->t, codes, raw, &known);
    if (!known)
        tpl_error(e->t, tnode, e->diags, "no such code table", codes);
    else if (!label)
        diag_add(e->diags, DIAG_ERROR, o->file, o->line,
                 "<%s> \"%s\" is not one of the codes of %s", o->field ? o->field : "?", raw,
                 codes);
    return label;
}

/* <value of="XPATH" format codes end>. */
static void S_value(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                    const text_style *outer)
{
    block *para = target;
    const text_style *style = tpl_style_attr(e, tnode, outer);
    const char *format = tpl_attr_text(tnode, "format"), *end = tpl_attr_text(tnode, "end");
    tpl_xpath_text v;
    if (!tpl_xpath_string(e, tnode, "of", f, &v)) {
        if (!tpl_attr_text(tnode, "of"))
            tpl_error(e->t, tnode, e->diags, "<value> needs of=\"XPATH\"", NULL);
        return;
    }
    text_origin o = tpl_origin_of(e, &v);
    const char *shown = S_coded_value(e, tnode, v.text, &o);
    /* a code's name, as the template holds it, is borrowed; a record
     * field's text, which render frees before layout, is copied into the
     * document's pool */
    if (shown && !format && !end && template_is_literal(shown)) {
        if (*shown) {
            const char *text =
                shown != v.text ? shown : text_pool_copy(e->texts, shown, strlen(shown));
            block_add_run_borrowed(para, RUN_TEXT, text, style, &o);
        }
    } else {
        char *text = shown ? template_format_value(shown, format, end, &o, e->diags) : NULL;
        if (text && *text)
            block_add_run_owned(para, RUN_TEXT, text, style, &o);
        else
            free(text);
    }
    tpl_xpath_text_free(&v);
}

/* The template's own text. */
static void S_text(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                   const text_style *style)
{
    (void)f;
    char *text = template_literal((const char *)tnode->content);
    if (*text) {
        text_origin o = {tpl_file_of(e->t, tnode), "template", (int)xmlGetLineNo((xmlNode *)tnode)};
        block_add_run_owned(target, RUN_TEXT, text, style, &o);
    } else {
        free(text);
    }
}

static void S_span(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                   const text_style *style)
{
    tpl_walk(e, tnode, f, &tpl_inline_context, target, tpl_style_attr(e, tnode, style));
}

static void S_fill(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                   const text_style *style)
{
    (void)e, (void)tnode, (void)f;
    block_add_run(target, RUN_FILL, NULL, style, NULL);
}

static void S_br(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                 const text_style *style)
{
    (void)e, (void)tnode, (void)f;
    block_add_run(target, RUN_BREAK, NULL, style, NULL);
}

static const tpl_handler S_inline_handlers[] = {
    {"value", S_value}, {"span", S_span}, {"fill", S_fill}, {"br", S_br}, {NULL, NULL}};

const tpl_context tpl_inline_context = {S_inline_handlers, S_text,
                                        N_("not allowed inside a paragraph")};

/* At most how many runs the inline content of `parent` makes: one a
 * node, unless a <span>, <if> or <each> makes more. */
static size_t S_runs_expected(const xmlNode *parent)
{
    size_t n = 0;
    for (const xmlNode *c = parent->children; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE ||
             (c->type == XML_TEXT_NODE && !xmlIsBlankNode((xmlNode *)c));
    return n;
}

void tpl_fill_para(tpl_eval *e, const xmlNode *parent, tpl_focus f, block *para,
                   const text_style *style)
{
    block_reserve_runs(para, para->nruns + S_runs_expected(parent));
    tpl_walk(e, parent, f, &tpl_inline_context, para, style);
    block_fit_runs(para);
}

static align S_align_attr(tpl_eval *e, const xmlNode *n, align fallback)
{
    const char *v = tpl_attr_text(n, "align");
    align a = fallback;
    if (v && !template_parse_align(v, &a))
        tpl_error(e->t, n, e->diags, "align must be justify, left, center or right", v);
    return a;
}

/* "70%": a percentage from 50 to 100, or 0 when it is not one. */
static unsigned char S_percent(const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    return end != v && strcmp(end, "%") == 0 && n >= 50 && n <= 100 ? (unsigned char)n : 0;
}

/* condense="70%": how far a shrink-to-fit line is condensed before its
 * size is reduced. */
static void S_condense_attr(tpl_eval *e, const xmlNode *tnode, block *b)
{
    const char *v = tpl_attr_text(tnode, "condense");
    if (v && !(b->condense = S_percent(v)))
        tpl_error(e->t, tnode, e->diags, "condense must be a percentage from 50% to 100%", v);
}

/* condense-of="XPATH": the record's own ratio (a notice's
 * <header condense="80%">), in place of the template's when it gives one
 * (the record's schema checks its form). */
static void S_condense_of(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block *b)
{
    tpl_xpath_text v;
    if (!tpl_attr_text(tnode, "condense-of") || !tpl_xpath_string(e, tnode, "condense-of", f, &v))
        return;
    unsigned char pc = S_percent(v.text);
    if (pc)
        b->condense = pc;
    else if (v.text[0])
        diag_add(e->diags, DIAG_ERROR, tpl_origin_of(e, &v).file, tpl_origin_of(e, &v).line,
                 "%s: the condensing of the line must be a percentage from 50%% to 100%%",
                 v.text);
    tpl_xpath_text_free(&v);
}

void tpl_para_attrs(tpl_eval *e, const xmlNode *tnode, block *b, const text_style *style)
{
    double em = tpl_em(style);
    b->align = S_align_attr(e, tnode, ALIGN_JUSTIFY);
    b->keep_with_previous = b->keep_with_next = b->balance = b->shrink_to_fit = 0;
    b->condense = 0;
    if (!tnode->properties)
        return; /* most cells of a table: nine lookups saved */
    tpl_length_attr(e->t, tnode, "left", em, &b->left, e->diags);
    tpl_length_attr(e->t, tnode, "right", em, &b->right, e->diags);
    b->keep_with_previous = tpl_attr_yes(tnode, "keep-with-previous");
    b->keep_with_next = tpl_attr_yes(tnode, "keep-with-next");
    tpl_length_attr(e->t, tnode, "first", em, &b->first, e->diags);
    tpl_length_attr(e->t, tnode, "leading", em, &b->leading, e->diags);
    b->balance = tpl_attr_yes(tnode, "balance");
    b->shrink_to_fit = tpl_attr_yes(tnode, "shrink-to-fit");
    S_condense_attr(e, tnode, b);
}

void tpl_add_markdown(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block_list *out)
{
    tpl_xpath_text v;
    if (!tpl_xpath_string(e, tnode, "of", f, &v)) {
        if (!tpl_attr_text(tnode, "of"))
            tpl_error(e->t, tnode, e->diags, "<markdown> needs of=\"XPATH\"", NULL);
        return;
    }
    text_origin o = tpl_origin_of(e, &v);
    markdown_to_blocks(v.text, &e->md, &o, out, e->diags);
    tpl_xpath_text_free(&v);
}

void tpl_make_para(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block *b,
                   const text_style *outer)
{
    const text_style *style = tpl_style_attr(e, tnode, outer);
    tpl_para_attrs(e, tnode, b, style);
    if (b->shrink_to_fit)
        S_condense_of(e, tnode, f, b);
    tpl_fill_para(e, tnode, f, b, style);
}
