/* The flow: the elements a <flow> or <foot> holds, each appending its
 * blocks (paragraphs, stacks, spaces, rules, tables, page breaks,
 * bookmarks, an included template's flow) to the document's list. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "seal_image.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

#define MM (72.0 / 25.4)

static void S_para(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                   const text_style *outer)
{
    (void)outer;
    tpl_make_para(e, tnode, f, block_list_push(out, BLOCK_PARA), tpl_body_style(e));
}

/* seal="XPATH": the record names its seal image, relative to the record. */
static void S_stack_seal(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block *b)
{
    tpl_xpath_text v;
    const char *name = tpl_xpath_string(e, tnode, "seal", f, &v) ? v.text : NULL;
    if (name && *name) {
        text_origin o = tpl_origin_of(e, &v);
        char *dir = xstrdup(e->record_path);
        char *slash = strrchr(dir, '/');
        char *path = name[0] == '/' || !slash ? xstrdup(name)
                                              : (*slash = '\0', xasprintf("%s/%s", dir, name));
        unsigned w = 0, h = 0;
        b->seal_width = 42 * MM; /* the common size of an office's round seal */
        tpl_length_attr(e->t, tnode, "seal-width", 0, &b->seal_width, e->diags);
        char *problem = NULL;
        if (seal_image_check(path, &w, &h, &problem) != 0)
            diag_add(e->diags, DIAG_ERROR, o.file, o.line, "the seal \"%s\" named in <%s> (%s): %s",
                     name, o.field ? o.field : "seal", path, problem);
        else {
            b->seal = xstrdup(path);
            b->seal_height = b->seal_width * h / w;
        }
        free(problem);
        free(path);
        free(dir);
    }
    tpl_xpath_text_free(&v);
}

/* A <stack> takes a paragraph's attributes, but first, leading, balance
 * and shrink-to-fit are its lines' business: a stack block has no such
 * fields.  They are still read (a malformed length is an error). */
static void S_stack_attrs(tpl_eval *e, const xmlNode *tnode, block *b, const text_style *style)
{
    block group = {.kind = BLOCK_PARA};
    tpl_para_attrs(e, tnode, &group, style);
    b->align = group.align;
    b->left = group.left;
    b->right = group.right;
    b->keep_with_previous = group.keep_with_previous;
    b->keep_with_next = group.keep_with_next;
}

static void S_stack(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                    const text_style *outer)
{
    (void)outer;
    const text_style *style = tpl_style_attr(e, tnode, tpl_body_style(e));
    block *b = block_list_push(out, BLOCK_STACK);
    S_stack_attrs(e, tnode, b, style);
    b->centre_lines = tpl_attr_yes(tnode, "centre-lines");
    S_stack_seal(e, tnode, f, b);
    for (const xmlNode *c = tnode->children; c; c = c->next) {
        if (!tpl_is_element(c, "line")) {
            if (tpl_is_element(c, NULL))
                tpl_error(e->t, c, e->diags, "a <stack> holds <line>s only", NULL);
            continue;
        }
        tpl_make_para(e, c, f, block_add_line(b), style);
    }
}

static void S_space(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                    const text_style *outer)
{
    (void)f, (void)outer;
    block *b = block_list_push(out, BLOCK_SPACE);
    char *lines = tpl_attr_dup(tnode, "lines");
    if (lines)
        b->height = atof(lines) * e->t->grid_line;
    free(lines);
    tpl_length_attr(e->t, tnode, "height", tpl_em(tpl_body_style(e)), &b->height, e->diags);
    b->keep_with_previous = tpl_attr_yes(tnode, "keep-with-previous");
}

static void S_rule(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                   const text_style *outer)
{
    (void)f, (void)outer;
    double em = tpl_em(tpl_body_style(e));
    block *b = block_list_push(out, BLOCK_RULE);
    b->thickness = 0.5;
    tpl_length_attr(e->t, tnode, "thickness", em, &b->thickness, e->diags);
    tpl_length_attr(e->t, tnode, "space-before", em, &b->space_before, e->diags);
    tpl_length_attr(e->t, tnode, "space-after", em, &b->space_after, e->diags);
    tpl_length_attr(e->t, tnode, "left", em, &b->left, e->diags);
    tpl_length_attr(e->t, tnode, "right", em, &b->right, e->diags);
    char *color = tpl_attr_dup(tnode, "color");
    if (color && !template_parse_color(color, &b->color))
        tpl_error(e->t, tnode, e->diags, "color is not #RRGGBB", color);
    free(color);
    b->keep_with_previous = tpl_attr_yes(tnode, "keep-with-previous");
}

static void S_markdown(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                       const text_style *outer)
{
    (void)outer;
    tpl_add_markdown(e, tnode, f, out);
}

static void S_table(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                    const text_style *outer)
{
    (void)outer;
    tpl_add_table(e, tnode, f, out);
}

/* <page-break page="NAME"/>: a new page, of the named geometry if given. */
static void S_page_break(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                         const text_style *outer)
{
    (void)f, (void)outer;
    block *b = block_list_push(out, BLOCK_PAGE_BREAK);
    char *name = tpl_attr_dup(tnode, "page");
    if (!name)
        return;
    size_t i = 0;
    while (i < e->t->npages && strcmp(e->t->pages[i].name, name) != 0)
        i++;
    if (i < e->t->npages) {
        b->page = xmalloc(sizeof *b->page);
        *b->page = e->t->pages[i].page;
    } else {
        tpl_error(e->t, tnode, e->diags, "no <page name=...> of that name", name);
    }
    free(name);
}

/* <bookmark level="2">text and values</bookmark>: an outline entry. */
static void S_bookmark(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                       const text_style *outer)
{
    (void)outer;
    block scratch = {.kind = BLOCK_PARA};
    tpl_walk(e, tnode, f, &tpl_inline_context, &scratch, tpl_body_style(e));
    size_t len = 0;
    for (size_t i = 0; i < scratch.nruns; i++)
        len += scratch.runs[i].text ? strlen(scratch.runs[i].text) : 0;
    char *title = xcalloc(len + 1, 1);
    for (size_t i = 0; i < scratch.nruns; i++)
        if (scratch.runs[i].text)
            strcat(title, scratch.runs[i].text);
    for (size_t i = 0; i < scratch.nruns; i++)
        if (!scratch.runs[i].text_borrowed)
            free(scratch.runs[i].text);
    free(scratch.runs);
    char *level = tpl_attr_dup(tnode, "level");
    block *b = block_list_push(out, BLOCK_BOOKMARK);
    b->bookmark = title;
    b->bookmark_level = level && atoi(level) > 0 ? atoi(level) : 1;
    free(level);
}

/* <include template="NAME">: the named template's flow, on a new page of
 * its geometry, evaluated with its own styles and params. */
static void S_include(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                      const text_style *outer)
{
    (void)outer;
    tpl_eval sub;
    if (tpl_include_begin(e, tnode, out, &sub) != 0)
        return;
    tpl_apply_flow(&sub, sub.t->flow, f, out);
    tpl_end_evaluation(&sub);
}

/* <warn test="XPATH" at="XPATH">text</warn>: a warning when the test
 * holds, at the line of the record node `at` selects (else the node in
 * hand): what a record may lack and the document still print, such as an
 * upward report's 签发人.  The text is the template's, whitespace folded;
 * it says what is missing and how to add it, in the user's language when
 * the catalogue has it (make po extracts it as folded, po/templates.its);
 * an office's own text is said as written. */
static void S_warn(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *out,
                   const text_style *outer)
{
    (void)out;
    (void)outer;
    if (!tpl_test(e, tnode, f))
        return;
    xmlChar *raw = xmlNodeGetContent(tnode);
    char *text = space_normalized(raw ? (const char *)raw : "");
    xmlFree(raw);
    int line = (int)xmlGetLineNo(f.node);
    tpl_xpath_text at;
    if (tpl_attr_text(tnode, "at") && tpl_xpath_string(e, tnode, "at", f, &at) && at.node)
        line = (int)xmlGetLineNo(at.node);
    if (tpl_attr_text(tnode, "at"))
        tpl_xpath_text_free(&at);
    /* not gettext(""): that is the catalogue's header */
    diag_add(e->diags, DIAG_WARNING, e->record_path, line, "%s", *text ? _(text) : text);
    free(text);
}

static const tpl_handler S_flow_handlers[] = {
    {"para", S_para},         {"stack", S_stack},       {"space", S_space},
    {"rule", S_rule},         {"markdown", S_markdown}, {"table", S_table},
    {"page-break", S_page_break}, {"bookmark", S_bookmark}, {"include", S_include},
    {"warn", S_warn},         {NULL, NULL}};

static const tpl_context S_flow_context = {S_flow_handlers, NULL, N_("unknown element in the flow")};

void tpl_apply_flow(tpl_eval *e, const xmlNode *parent, tpl_focus f, block_list *out)
{
    tpl_walk(e, parent, f, &S_flow_context, out, NULL);
}
