/* Templates: page geometry and named styles are read once; the flow and
 * the foot are walked against the record, XPath deciding every value,
 * condition and repetition. */
#include "template.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "markdown.h"
#include "seal_image.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

#define MM (72.0 / 25.4)

int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           (!name || (n->name[0] == (xmlChar)name[0] && strcmp((const char *)n->name, name) == 0));
}

char *get_attr(const xmlNode *n, const char *name)
{
    const char *v = attr_text(n, name);
    return v ? xstrdup(v) : NULL;
}

void template_error(const template *t, const xmlNode *n, diag_list *diags, const char *msg,
                           const char *what)
{
    diag_add(diags, DIAG_ERROR, t->path, n ? xmlGetLineNo(n) : 0, "%s%s%s", msg,
             what ? ": " : "", what ? what : "");
}

/* A length attribute: "37mm", "16pt", "2em" (of `em`), "2line" (grid
 * lines), a Chinese type size ("3号", "小四"), or a bare number of points.
 * Returns 0 when absent (leaving *out), 1 when read, -1 when malformed. */
int length_attr(const template *t, const xmlNode *n, const char *name, double em,
                       double *out, diag_list *diags)
{
    const char *v = attr_text(n, name);
    if (!v)
        return 0;
    int ok = template_parse_length(v, em, t->grid_line, t->grid_char, out);
    if (!ok)
        diag_add(diags, DIAG_ERROR, t->path, xmlGetLineNo(n),
                 "%s=\"%s\" is not a length (37mm, 16pt, 2em, 1line, 3号)", name, v);
    return ok ? 1 : -1;
}

static const text_style *find_style(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nstyles; i++)
        if (strcmp(t->styles[i].name, name) == 0)
            return &t->styles[i].style;
    return NULL;
}

static void read_style(template *t, xmlNode *n, diag_list *diags)
{
    char *name = get_attr(n, "name"), *role = get_attr(n, "role"), *color = get_attr(n, "color");
    if (!name || !role) {
        template_error(t, n, diags, "<style> needs name and role", NULL);
        free(name), free(role), free(color);
        return;
    }
    GROW(t->styles, t->nstyles, t->styles_cap);
    named_style *s = &t->styles[t->nstyles++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->role = role;
    s->node = n;
    s->style.role = role;
    s->style.size = 16;
    length_attr(t, n, "size", 16, &s->style.size, diags);
    length_attr(t, n, "pitch", s->style.size, &s->style.pitch, diags);
    length_attr(t, n, "leading", s->style.size, &s->style.leading, diags);
    if (color && !template_parse_color(color, &s->style.color))
        template_error(t, n, diags, "color is not #RRGGBB", color);
    free(color);
}

/* A <page>: the first without a name is the document's; named ones are
 * the geometries <page-break page="NAME"/> switches to. */
static void read_page(template *t, xmlNode *n, diag_list *diags)
{
    char *name = get_attr(n, "name");
    page_geometry *p = &t->page;
    if (name) {
        GROW(t->pages, t->npages, t->pages_cap);
        t->pages[t->npages] = (named_page){name, {210 * MM, 297 * MM, 25 * MM, 25 * MM, 0, 0}};
        p = &t->pages[t->npages++].page;
    }
    char *orientation = get_attr(n, "orientation");
    if (orientation && strcmp(orientation, "landscape") == 0) {
        double w = p->width;
        p->width = p->height, p->height = w;
    }
    free(orientation);
    double right = 20 * MM, bottom = 20 * MM;
    length_attr(t, n, "top", 0, &p->top, diags);
    length_attr(t, n, "left", 0, &p->left, diags);
    length_attr(t, n, "right", 0, &right, diags);
    length_attr(t, n, "bottom", 0, &bottom, diags);
    p->area_width = p->width - p->left - right;
    p->area_height = p->height - p->top - bottom;
    length_attr(t, n, "width", 0, &p->area_width, diags);
    length_attr(t, n, "height", 0, &p->area_height, diags);
    if (name)
        return; /* the grid is the document's */
    char *lines = get_attr(n, "grid-lines"), *chars = get_attr(n, "grid-chars");
    if (lines && atoi(lines) > 0)
        t->grid_line = p->area_height / atoi(lines);
    if (chars && atoi(chars) > 0)
        t->grid_char = p->area_width / atoi(chars);
    free(lines), free(chars);
}

static int read_head(template *t, xmlNode *root, diag_list *diags)
{
    size_t errors = diag_count(diags, DIAG_ERROR);
    t->page = (page_geometry){210 * MM, 297 * MM, 25 * MM, 25 * MM, 160 * MM, 247 * MM};
    for (xmlNode *n = root->children; n; n = n->next) {
        if (is_element(n, "page"))
            read_page(t, n, diags);
        else if (is_element(n, "style"))
            read_style(t, n, diags);
        else if (is_element(n, "flow"))
            t->flow = n;
        else if (is_element(n, "foot"))
            t->foot = n;
        else if (is_element(n, "page-number"))
            t->page_number = n;
        else if (is_element(n, "markdown-style"))
            t->markdown_style = n;
        else if (is_element(n, "info"))
            t->info = n;
        else if (is_element(n, "codes"))
            read_codes(t, n, diags);
        else if (is_element(n, "param"))
            read_param(t, n, diags);
        else if (is_element(n, NULL))
            template_error(t, n, diags, "unknown template element", (const char *)n->name);
    }
    if (!t->flow)
        template_error(t, root, diags, "the template has no <flow>", NULL);
    return diag_count(diags, DIAG_ERROR) > errors ? -1 : 0;
}

template *template_load(const char *path, diag_list *diags)
{
    return template_load_nested(path, 0, diags);
}

template *template_load_nested(const char *path, int depth, diag_list *diags)
{
    xmlDoc *doc = load_xml(path, diags);
    if (!doc)
        return NULL;
    template *t = xcalloc(1, sizeof *t);
    t->doc = doc;
    t->path = xstrdup(path);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !is_element(root, "template")) {
        template_error(t, root, diags, "not a template (the root element must be <template>)", NULL);
        template_free(t);
        return NULL;
    }
    t->name = get_attr(root, "name");
    t->record = get_attr(root, "record");
    t->each = get_attr(root, "each");
    t->is_default = yes_attr(root, "default");
    if (!t->name || !t->record) {
        template_error(t, root, diags, "<template> needs name and record attributes", NULL);
        template_free(t);
        return NULL;
    }
    t->depth = depth;
    if (read_head(t, root, diags) != 0 || load_includes(t, diags) != 0) {
        template_free(t);
        return NULL;
    }
    return t;
}

void template_free(template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nstyles; i++) {
        free(t->styles[i].name);
        free(t->styles[i].role);
    }
    free(t->styles);
    for (size_t i = 0; i < t->npages; i++)
        free(t->pages[i].name);
    free(t->pages);
    free_codes(t);
    free_includes(t);
    if (t->doc)
        free_compiled_xpaths(t->doc->children);
    xmlFreeDoc(t->doc);
    free(t->path);
    free(t->name);
    free(t->record);
    free(t->each);
    free(t);
}

int template_validate(const template *t, const char *schema, diag_list *diags)
{
    return load_validate(t->doc, t->path, schema, diags);
}

const char *template_name(const template *t) { return t->name; }
const char *template_record(const template *t) { return t->record; }
int template_is_default(const template *t) { return t->is_default; }

/* ---- evaluation ---- */

/* Where a value came from: the first node the expression selected (an
 * attribute's or a text's element). */
static text_origin origin_of(eval *e, const xpath_text *v)
{
    xmlNode *n = v->node;
    if (n && n->type != XML_ELEMENT_NODE && n->parent)
        n = n->parent;
    text_origin o = {e->record_path, (char *)(n ? n->name : NULL), n ? (int)xmlGetLineNo(n) : 0};
    return o;
}

const text_style *style_attr(eval *e, const xmlNode *n, const text_style *fallback)
{
    const char *name = attr_text(n, "style");
    if (!name)
        return fallback;
    const text_style *s = find_style(e->t, name);
    if (!s)
        template_error(e->t, n, e->diags, "no such style", name);
    return s ? s : fallback;
}

double em_of(const text_style *s)
{
    return s->pitch > 0 ? s->pitch : s->size;
}

/* A value shown through the template's code table (codes="result"); a
 * code outside the table is an error of the record. */
static const char *coded_value(eval *e, const xmlNode *tnode, const char *raw,
                               const text_origin *o)
{
    const char *codes = attr_text(tnode, "codes");
    if (!codes)
        return raw;
    int known = 0;
    const char *label = code_label(e->t, codes, raw, &known);
    if (!known)
        template_error(e->t, tnode, e->diags, "no such code table", codes);
    else if (!label)
        diag_add(e->diags, DIAG_ERROR, o->file, o->line, "<%s> \"%s\" is not one of the codes of %s",
                 o->field ? o->field : "?", raw, codes);
    return label;
}

static void add_value(eval *e, const xmlNode *tnode, focus f, block *para, const text_style *style)
{
    const char *format = attr_text(tnode, "format"), *end = attr_text(tnode, "end");
    xpath_text v;
    if (!xpath_string(e, tnode, "of", f, &v)) {
        if (!attr_text(tnode, "of"))
            template_error(e->t, tnode, e->diags, "<value> needs of=\"XPATH\"", NULL);
        return;
    }
    text_origin o = origin_of(e, &v);
    const char *shown = coded_value(e, tnode, v.text, &o);
    /* a code's name, as the template holds it, is borrowed; a record
     * field's text, which render frees before layout, is copied into the
     * document's pool */
    if (shown && !format && !end && template_is_literal(shown)) {
        if (*shown)
            block_add_run_borrowed(
                para, RUN_TEXT, shown != v.text ? shown : text_pool_copy(e->texts, shown, strlen(shown)),
                style, &o);
    } else {
        char *text = shown ? template_format_value(shown, format, end, &o, e->diags) : NULL;
        if (text && *text)
            block_add_run_owned(para, RUN_TEXT, text, style, &o);
        else
            free(text);
    }
    xpath_text_free(&v);
}

int test_attr(eval *e, const xmlNode *tnode, focus f)
{
    if (!attr_text(tnode, "test")) {
        template_error(e->t, tnode, e->diags, "<if> needs test=\"XPATH\"", NULL);
        return 0;
    }
    return xpath_boolean(e, tnode, "test", f);
}


/* <each of="XPATH">: the children once per selected node, in order. */
void each(eval *e, const xmlNode *tnode, focus f, child_fn fn, void *target,
                 const text_style *style)
{
    xmlXPathObject *obj = xpath(e, tnode, "of", f);
    if (!attr_text(tnode, "of"))
        template_error(e->t, tnode, e->diags, "<each> needs of=\"XPATH\"", NULL);
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval) {
        int n = obj->nodesetval->nodeNr;
        for (int i = 0; i < n; i++) {
            focus inner = {obj->nodesetval->nodeTab[i], i + 1, n};
            for (const xmlNode *c = tnode->children; c; c = c->next)
                fn(e, c, inner, target, style);
        }
    }
    xmlXPathFreeObject(obj);
}

void inline_child(eval *e, const xmlNode *tnode, focus f, void *target,
                         const text_style *style)
{
    block *para = target;
    if (tnode->type == XML_TEXT_NODE) {
        char *text = template_literal((const char *)tnode->content);
        if (*text) {
            text_origin o = {e->t->path, "template", (int)xmlGetLineNo(tnode)};
            block_add_run_owned(para, RUN_TEXT, text, style, &o);
        } else {
            free(text);
        }
    } else if (is_element(tnode, "value")) {
        add_value(e, tnode, f, para, style_attr(e, tnode, style));
    } else if (is_element(tnode, "span")) {
        const text_style *s = style_attr(e, tnode, style);
        for (const xmlNode *c = tnode->children; c; c = c->next)
            inline_child(e, c, f, para, s);
    } else if (is_element(tnode, "fill")) {
        block_add_run(para, RUN_FILL, NULL, style, NULL);
    } else if (is_element(tnode, "br")) {
        block_add_run(para, RUN_BREAK, NULL, style, NULL);
    } else if (is_element(tnode, "if")) {
        if (test_attr(e, tnode, f))
            for (const xmlNode *c = tnode->children; c; c = c->next)
                inline_child(e, c, f, para, style);
    } else if (is_element(tnode, "each")) {
        each(e, tnode, f, inline_child, para, style);
    } else if (is_element(tnode, NULL)) {
        template_error(e->t, tnode, e->diags, "not allowed inside a paragraph",
                       (const char *)tnode->name);
    }
}

/* At most how many runs the inline content of `parent` makes: one a
 * node, unless a <span>, <if> or <each> makes more. */
static size_t runs_expected(const xmlNode *parent)
{
    size_t n = 0;
    for (const xmlNode *c = parent->children; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE ||
             (c->type == XML_TEXT_NODE && !xmlIsBlankNode((xmlNode *)c));
    return n;
}

void fill_para(eval *e, const xmlNode *parent, focus f, block *para, const text_style *style)
{
    block_reserve_runs(para, para->nruns + runs_expected(parent));
    for (const xmlNode *c = parent->children; c; c = c->next)
        inline_child(e, c, f, para, style);
    block_fit_runs(para);
}

static align align_attr(eval *e, const xmlNode *n, align fallback)
{
    const char *v = attr_text(n, "align");
    align a = fallback;
    if (v && !template_parse_align(v, &a))
        template_error(e->t, n, e->diags, "align must be justify, left, center or right", v);
    return a;
}

int yes_attr(const xmlNode *n, const char *name)
{
    const char *v = attr_text(n, name);
    return v && strcmp(v, "yes") == 0;
}

void para_attrs(eval *e, const xmlNode *tnode, block *b, const text_style *style)
{
    double em = em_of(style);
    b->align = align_attr(e, tnode, ALIGN_JUSTIFY);
    b->keep_with_previous = b->keep_with_next = b->balance = b->shrink_to_fit = 0;
    if (!tnode->properties)
        return; /* most cells of a table: nine lookups saved */
    length_attr(e->t, tnode, "left", em, &b->left, e->diags);
    length_attr(e->t, tnode, "right", em, &b->right, e->diags);
    b->keep_with_previous = yes_attr(tnode, "keep-with-previous");
    b->keep_with_next = yes_attr(tnode, "keep-with-next");
    length_attr(e->t, tnode, "first", em, &b->first, e->diags);
    length_attr(e->t, tnode, "leading", em, &b->leading, e->diags);
    b->balance = yes_attr(tnode, "balance");
    b->shrink_to_fit = yes_attr(tnode, "shrink-to-fit");
}

const text_style *body_style(eval *e)
{
    static const text_style plain = {DEFAULT_ROLE, 12, 0, 0, 0};
    const text_style *s = find_style(e->t, "body");
    return s ? s : &plain;
}

static void add_para(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    const text_style *style = style_attr(e, tnode, body_style(e));
    block *b = block_list_push(out, BLOCK_PARA);
    para_attrs(e, tnode, b, style);
    fill_para(e, tnode, f, b, style);
}

/* seal="XPATH": the record names its seal image, relative to the record. */
static void stack_seal(eval *e, const xmlNode *tnode, focus f, block *b)
{
    xpath_text v;
    const char *name = xpath_string(e, tnode, "seal", f, &v) ? v.text : NULL;
    if (name && *name) {
        text_origin o = origin_of(e, &v);
        char *dir = xstrdup(e->record_path);
        char *slash = strrchr(dir, '/');
        char *path = name[0] == '/' || !slash ? xstrdup(name)
                                              : (*slash = '\0', xasprintf("%s/%s", dir, name));
        unsigned w = 0, h = 0;
        b->seal_width = 42 * MM; /* the common size of an office's round seal */
        length_attr(e->t, tnode, "seal-width", 0, &b->seal_width, e->diags);
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
    xpath_text_free(&v);
}

/* A <stack> takes a paragraph's attributes, but first, leading, balance
 * and shrink-to-fit are its lines' business: a stack block has no such
 * fields.  They are still read (a malformed length is an error). */
static void stack_attrs(eval *e, const xmlNode *tnode, block *b, const text_style *style)
{
    block group = {.kind = BLOCK_PARA};
    para_attrs(e, tnode, &group, style);
    b->align = group.align;
    b->left = group.left;
    b->right = group.right;
    b->keep_with_previous = group.keep_with_previous;
    b->keep_with_next = group.keep_with_next;
}

static void add_stack(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    const text_style *style = style_attr(e, tnode, body_style(e));
    block *b = block_list_push(out, BLOCK_STACK);
    stack_attrs(e, tnode, b, style);
    b->centre_lines = yes_attr(tnode, "centre-lines");
    stack_seal(e, tnode, f, b);
    for (const xmlNode *c = tnode->children; c; c = c->next) {
        if (!is_element(c, "line")) {
            if (is_element(c, NULL))
                template_error(e->t, c, e->diags, "a <stack> holds <line>s only", NULL);
            continue;
        }
        const text_style *ls = style_attr(e, c, style);
        block *line = block_add_line(b);
        para_attrs(e, c, line, ls);
        fill_para(e, c, f, line, ls);
    }
}

static void add_space(eval *e, const xmlNode *tnode, block_list *out)
{
    block *b = block_list_push(out, BLOCK_SPACE);
    char *lines = get_attr(tnode, "lines");
    if (lines)
        b->height = atof(lines) * e->t->grid_line;
    free(lines);
    length_attr(e->t, tnode, "height", em_of(body_style(e)), &b->height, e->diags);
    b->keep_with_previous = yes_attr(tnode, "keep-with-previous");
}

static void add_rule(eval *e, const xmlNode *tnode, block_list *out)
{
    double em = em_of(body_style(e));
    block *b = block_list_push(out, BLOCK_RULE);
    b->thickness = 0.5;
    length_attr(e->t, tnode, "thickness", em, &b->thickness, e->diags);
    length_attr(e->t, tnode, "space-before", em, &b->space_before, e->diags);
    length_attr(e->t, tnode, "space-after", em, &b->space_after, e->diags);
    length_attr(e->t, tnode, "left", em, &b->left, e->diags);
    length_attr(e->t, tnode, "right", em, &b->right, e->diags);
    char *color = get_attr(tnode, "color");
    if (color && !template_parse_color(color, &b->color))
        template_error(e->t, tnode, e->diags, "color is not #RRGGBB", color);
    free(color);
    b->keep_with_previous = yes_attr(tnode, "keep-with-previous");
}

void add_markdown(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    xpath_text v;
    if (!xpath_string(e, tnode, "of", f, &v)) {
        if (!attr_text(tnode, "of"))
            template_error(e->t, tnode, e->diags, "<markdown> needs of=\"XPATH\"", NULL);
        return;
    }
    text_origin o = origin_of(e, &v);
    markdown_to_blocks(v.text, &e->md, &o, out, e->diags);
    xpath_text_free(&v);
}

/* <page-break page="NAME"/>: a new page, of the named geometry if given. */
static void add_page_break(eval *e, const xmlNode *tnode, block_list *out)
{
    block *b = block_list_push(out, BLOCK_PAGE_BREAK);
    char *name = get_attr(tnode, "page");
    if (!name)
        return;
    size_t i = 0;
    while (i < e->t->npages && strcmp(e->t->pages[i].name, name) != 0)
        i++;
    if (i < e->t->npages) {
        b->page = xmalloc(sizeof *b->page);
        *b->page = e->t->pages[i].page;
    } else {
        template_error(e->t, tnode, e->diags, "no <page name=...> of that name", name);
    }
    free(name);
}

/* <bookmark level="2">text and values</bookmark>: an outline entry. */
static void add_bookmark(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    block scratch = {.kind = BLOCK_PARA};
    for (const xmlNode *c = tnode->children; c; c = c->next)
        inline_child(e, c, f, &scratch, body_style(e));
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
    char *level = get_attr(tnode, "level");
    block *b = block_list_push(out, BLOCK_BOOKMARK);
    b->bookmark = title;
    b->bookmark_level = level && atoi(level) > 0 ? atoi(level) : 1;
    free(level);
}

static void flow_child(eval *e, const xmlNode *tnode, focus f, void *target,
                       const text_style *style)
{
    block_list *out = target;
    if (is_element(tnode, "para"))
        add_para(e, tnode, f, out);
    else if (is_element(tnode, "stack"))
        add_stack(e, tnode, f, out);
    else if (is_element(tnode, "space"))
        add_space(e, tnode, out);
    else if (is_element(tnode, "rule"))
        add_rule(e, tnode, out);
    else if (is_element(tnode, "markdown"))
        add_markdown(e, tnode, f, out);
    else if (is_element(tnode, "table"))
        add_table(e, tnode, f, out);
    else if (is_element(tnode, "page-break"))
        add_page_break(e, tnode, out);
    else if (is_element(tnode, "bookmark"))
        add_bookmark(e, tnode, f, out);
    else if (is_element(tnode, "include"))
        add_include(e, tnode, f, out);
    else if (is_element(tnode, "if")) {
        if (test_attr(e, tnode, f))
            for (const xmlNode *c = tnode->children; c; c = c->next)
                flow_child(e, c, f, target, style);
    } else if (is_element(tnode, "each"))
        each(e, tnode, f, flow_child, target, style);
    else if (is_element(tnode, NULL))
        template_error(e->t, tnode, e->diags, "unknown element in the flow",
                       (const char *)tnode->name);
}

const text_style *style_attr_named(eval *e, const xmlNode *n, const char *attr,
                                          const text_style *fallback)
{
    const char *name = attr_text(n, attr);
    const text_style *s = name ? find_style(e->t, name) : fallback;
    if (!s)
        template_error(e->t, n, e->diags, "no such style", name);
    return s ? s : fallback;
}

/* Roles named by <markdown-style>: the attribute's text in the template,
 * which lives as long as the template. */
static const char *role_attr_named(const xmlNode *n, const char *attr, const char *fallback)
{
    const char *v = attr_text(n, attr);
    return v ? v : fallback;
}

void read_markdown_style(eval *e)
{
    const text_style *body = body_style(e);
    markdown_style *md = &e->md;
    md->body = *body;
    for (int i = 0; i < 4; i++)
        md->heading[i] = *body;
    md->strong_role = md->emph_role = md->quote_role = body->role;
    md->indent = 2 * em_of(body);
    const xmlNode *n = e->t->markdown_style;
    if (!n)
        return;
    static const char *const levels[4] = {"h1", "h2", "h3", "h4"};
    for (int i = 0; i < 4; i++)
        md->heading[i] = *style_attr_named(e, n, levels[i], body);
    md->strong_role = role_attr_named(n, "strong", body->role);
    md->emph_role = role_attr_named(n, "emph", body->role);
    md->quote_role = role_attr_named(n, "quote", body->role);
    length_attr(e->t, n, "indent", em_of(body), &md->indent, e->diags);
    char *level = get_attr(n, "bookmarks");
    md->bookmark_level = level ? atoi(level) : 0;
    free(level);
}

static void read_page_number(eval *e, document *doc)
{
    const xmlNode *n = e->t->page_number;
    page_number_spec *pn = &doc->page_number;
    if (!n)
        return;
    pn->enabled = 1;
    char *format = get_attr(n, "format");
    pn->format = format ? format : xstrdup("{n}");
    pn->style = *style_attr(e, n, body_style(e));
    double em = pn->style.size;
    length_attr(e->t, n, "below", em, &pn->below, e->diags);
    length_attr(e->t, n, "inset", em, &pn->inset, e->diags);
    char *odd = get_attr(n, "odd"), *even = get_attr(n, "even");
    pn->odd = pn->even = ALIGN_CENTER;
    if (odd && !template_parse_align(odd, &pn->odd))
        template_error(e->t, n, e->diags, "odd must be left, center or right", odd);
    if (even && !template_parse_align(even, &pn->even))
        template_error(e->t, n, e->diags, "even must be left, center or right", even);
    free(odd), free(even);
}

static char *info_field(eval *e, const xmlNode *n, const char *attr, focus f)
{
    xpath_text v;
    if (!xpath_string(e, n, attr, f, &v))
        return NULL;
    char *s = *v.text ? template_literal(v.text) : NULL;
    xpath_text_free(&v);
    return s;
}

/* A field of a document of several nodes (all the forms in one PDF): the
 * value every node gives it when they agree (the same author on every
 * form), else its value at the root (the forms' several dates are no one
 * date of the document). */
static char *info_field_of_all(eval *e, const xmlNode *n, const char *attr, xmlNode **nodes,
                               size_t count, focus root)
{
    if (count == 0)
        return info_field(e, n, attr, root);
    char *first = info_field(e, n, attr, (focus){nodes[0], 1, (int)count});
    for (size_t i = 1; first && i < count; i++) {
        char *v = info_field(e, n, attr, (focus){nodes[i], (int)i + 1, (int)count});
        int same = v && strcmp(v, first) == 0;
        free(v);
        if (!same) {
            free(first);
            first = NULL;
        }
    }
    return first ? first : info_field(e, n, attr, root);
}

static void read_info(eval *e, document *doc, xmlNode **nodes, size_t count, focus root)
{
    static const char *const fields[] = {"title", "author", "subject", "keywords", "date"};
    char **to[] = {&doc->info.title, &doc->info.author, &doc->info.subject, &doc->info.keywords,
                   &doc->info.date};
    const xmlNode *n = e->t->info;
    for (size_t i = 0; n && i < sizeof fields / sizeof *fields; i++)
        *to[i] = info_field_of_all(e, n, fields[i], nodes, count, root);
}

void apply_flow(eval *e, const xmlNode *parent, focus f, block_list *out)
{
    for (const xmlNode *c = parent->children; c; c = c->next)
        flow_child(e, c, f, out, NULL);
}

size_t template_select(const template *t, xmlDoc *record, const char *each, xmlNode ***nodes,
                       diag_list *diags)
{
    xmlNode *root = xmlDocGetRootElement(record);
    const char *expr = each ? each : t->each;
    *nodes = NULL;
    if (!expr) {
        *nodes = xmalloc(sizeof **nodes);
        (*nodes)[0] = root;
        return 1;
    }
    xmlXPathContext *xp = xmlXPathNewContext(record);
    xp->node = root;
    xmlXPathObject *obj = xmlXPathEvalExpression((const xmlChar *)expr, xp);
    size_t n = 0;
    if (!obj || obj->type != XPATH_NODESET)
        diag_add(diags, DIAG_ERROR, each ? NULL : t->path, 0,
                 "\"%s\" is not an XPath expression that selects nodes", expr);
    else if (obj->nodesetval && obj->nodesetval->nodeNr > 0) {
        n = (size_t)obj->nodesetval->nodeNr;
        *nodes = xmalloc(n * sizeof **nodes);
        memcpy(*nodes, obj->nodesetval->nodeTab, n * sizeof **nodes);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xp);
    return n;
}

int template_apply_nodes(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                         const char *record_path, document *out, diag_list *diags)
{
    return template_apply_with(t, record, nodes, n, NULL, record_path, out, diags);
}

int template_apply_with(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                        const template_params *given, const char *record_path, document *out,
                        diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->page = t->page;
    size_t errors = diag_count(diags, DIAG_ERROR);
    eval e = {.t = t, .xp = new_xpath_context(record), .record_path = record_path, .diags = diags,
              .texts = &out->texts};
    if (!e.xp) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "libxml2 could not start XPath");
        return -1;
    }
    focus root = {xmlDocGetRootElement(record), 1, 1};
    set_params(&e, NULL, given);
    read_markdown_style(&e);
    read_page_number(&e, out);
    read_info(&e, out, nodes, n, root);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            block_list_push(&out->flow, BLOCK_PAGE_BREAK);
        apply_flow(&e, t->flow, (focus){nodes[i], (int)i + 1, (int)n}, &out->flow);
    }
    if (t->foot)
        apply_flow(&e, t->foot, root, &out->foot);
    end_evaluation(&e);
    return diag_count(diags, DIAG_ERROR) > errors ? -1 : 0;
}

int template_apply(const template *t, xmlDoc *record, const char *record_path, document *out,
                   diag_list *diags)
{
    xmlNode **nodes = NULL;
    size_t n = template_select(t, record, NULL, &nodes, diags);
    int rc = template_apply_nodes(t, record, nodes, n, record_path, out, diags);
    free(nodes);
    return rc;
}
