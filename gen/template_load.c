/* Reading a template: its head (page geometries, named styles, code
 * tables, params, where its flow and foot are) once, and the templates
 * its flow includes, loaded with it from its folder. */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define MAX_INCLUDE_DEPTH 4

static template *S_load_nested(const char *path, int depth, diag_list *diags);

static void S_read_param(template *t, xmlNode *n, diag_list *diags)
{
    char *name = tpl_attr_dup(n, "name");
    if (!name) {
        tpl_error(t, n, diags, "<param> needs a name", NULL);
        return;
    }
    char *value = tpl_attr_dup(n, "default");
    t->param_names = xrealloc(t->param_names, (t->nparams + 1) * sizeof *t->param_names);
    t->param_defaults = xrealloc(t->param_defaults, (t->nparams + 1) * sizeof *t->param_defaults);
    t->param_names[t->nparams] = name;
    t->param_defaults[t->nparams++] = value ? value : xstrdup("");
}


static void S_read_style(template *t, xmlNode *n, diag_list *diags)
{
    char *name = tpl_attr_dup(n, "name"), *role = tpl_attr_dup(n, "role");
    char *color = tpl_attr_dup(n, "color");
    if (!name || !role) {
        tpl_error(t, n, diags, "<style> needs name and role", NULL);
        free(name), free(role), free(color);
        return;
    }
    GROW(t->styles, t->nstyles, t->styles_cap);
    tpl_named_style *s = &t->styles[t->nstyles++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->role = role;
    s->node = n;
    s->style.role = role;
    s->style.size = 16;
    tpl_length_attr(t, n, "size", 16, &s->style.size, diags);
    tpl_length_attr(t, n, "pitch", s->style.size, &s->style.pitch, diags);
    tpl_length_attr(t, n, "leading", s->style.size, &s->style.leading, diags);
    if (color && !template_parse_color(color, &s->style.color))
        tpl_error(t, n, diags, "color is not #RRGGBB", color);
    free(color);
}

/* A <page>: the first without a name is the document's; named ones are
 * the geometries <page-break page="NAME"/> switches to. */
static void S_read_page(template *t, xmlNode *n, diag_list *diags)
{
    char *name = tpl_attr_dup(n, "name");
    page_geometry *p = &t->page;
    if (name) {
        GROW(t->pages, t->npages, t->pages_cap);
        t->pages[t->npages] = (tpl_named_page){name, {210 * MM, 297 * MM, 25 * MM, 25 * MM, 0, 0}};
        p = &t->pages[t->npages++].page;
    }
    char *orientation = tpl_attr_dup(n, "orientation");
    if (orientation && strcmp(orientation, "landscape") == 0) {
        double w = p->width;
        p->width = p->height, p->height = w;
    }
    free(orientation);
    double right = 20 * MM, bottom = 20 * MM;
    tpl_length_attr(t, n, "top", 0, &p->top, diags);
    tpl_length_attr(t, n, "left", 0, &p->left, diags);
    tpl_length_attr(t, n, "right", 0, &right, diags);
    tpl_length_attr(t, n, "bottom", 0, &bottom, diags);
    p->area_width = p->width - p->left - right;
    p->area_height = p->height - p->top - bottom;
    tpl_length_attr(t, n, "width", 0, &p->area_width, diags);
    tpl_length_attr(t, n, "height", 0, &p->area_height, diags);
    if (name)
        return; /* the grid is the document's */
    char *lines = tpl_attr_dup(n, "grid-lines"), *chars = tpl_attr_dup(n, "grid-chars");
    if (lines && atoi(lines) > 0)
        t->grid_line = p->area_height / atoi(lines);
    if (chars && atoi(chars) > 0)
        t->grid_char = p->area_width / atoi(chars);
    free(lines), free(chars);
}

static int S_use_fragment(template *t, const xmlNode *use, diag_list *diags);

/* One element of the head (or of a fragment's: `in_fragment`). */
static void S_read_head_element(template *t, xmlNode *n, int in_fragment, diag_list *diags)
{
    if (tpl_is_element(n, "page"))
        S_read_page(t, n, diags);
    else if (tpl_is_element(n, "style"))
        S_read_style(t, n, diags);
    else if (tpl_is_element(n, "flow") && !in_fragment)
        t->flow = n;
    else if (tpl_is_element(n, "foot") && !in_fragment)
        t->foot = n;
    else if (tpl_is_element(n, "page-number"))
        t->page_number = n;
    else if (tpl_is_element(n, "markdown-style"))
        t->markdown_style = n;
    else if (tpl_is_element(n, "info"))
        t->info = n;
    else if (tpl_is_element(n, "attachments") && !in_fragment)
        t->attachments = n;
    else if (tpl_is_element(n, "codes"))
        tpl_read_codes(t, n, diags);
    else if (tpl_is_element(n, "param"))
        S_read_param(t, n, diags);
    else if (tpl_is_element(n, "use") && !in_fragment)
        S_use_fragment(t, n, diags);
    else if (tpl_is_element(n, "flow") || tpl_is_element(n, "use"))
        tpl_error(t, n, diags, "a fragment's body is its <body>; it uses no other fragment",
                  (const char *)n->name);
    else if (tpl_is_element(n, "body") && in_fragment)
        ; /* the fragment's flow content (tpl_fragment.body) */
    else if (tpl_is_element(n, NULL))
        tpl_error(t, n, diags, "unknown template element", (const char *)n->name);
}

static int S_read_head(template *t, xmlNode *root, diag_list *diags)
{
    size_t errors = diag_count(diags, DIAG_ERROR);
    t->page = (page_geometry){210 * MM, 297 * MM, 25 * MM, 25 * MM, 160 * MM, 247 * MM};
    for (xmlNode *n = root->children; n; n = n->next)
        S_read_head_element(t, n, 0, diags);
    if (!t->flow)
        tpl_error(t, root, diags, "the template has no <flow>", NULL);
    return diag_count(diags, DIAG_ERROR) > errors ? -1 : 0;
}

/* ---- fragments: templates/NAME.xml whose root is <fragment> ---- */

/* The fragment NAME of t, read from the template's folder now if it is
 * not yet; NULL (reported) when it cannot be. */
static tpl_fragment *S_fragment(template *t, const xmlNode *use, diag_list *diags)
{
    const char *name = tpl_attr_text(use, "fragment");
    if (!name || !*name) {
        tpl_error(t, use, diags, "<use> needs fragment=\"NAME\"", NULL);
        return NULL;
    }
    for (size_t i = 0; i < t->nfragments; i++)
        if (strcmp(t->fragments[i].name, name) == 0)
            return &t->fragments[i];
    char *copy = xstrdup(t->path);
    char *path = xasprintf("%s/%s.xml", dirname(copy), name);
    free(copy);
    xmlDoc *doc = load_xml(path, diags);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (doc && (!root || !tpl_is_element(root, "fragment"))) {
        tpl_error(t, use, diags, "not a fragment (the root element of its file must be <fragment>)",
                  path);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc) {
        free(path);
        return NULL;
    }
    t->fragments = xrealloc(t->fragments, (t->nfragments + 1) * sizeof *t->fragments);
    tpl_fragment *f = &t->fragments[t->nfragments++];
    *f = (tpl_fragment){xstrdup(name), path, doc, NULL, 0};
    for (xmlNode *c = root->children; c; c = c->next)
        if (tpl_is_element(c, "body"))
            f->body = c;
    return f;
}

/* <use fragment="NAME"/>: the fragment's head elements, once, as if they
 * were written here. */
static int S_use_fragment(template *t, const xmlNode *use, diag_list *diags)
{
    tpl_fragment *f = S_fragment(t, use, diags);
    if (!f)
        return -1;
    if (f->head_read)
        return 0;
    f->head_read = 1;
    for (xmlNode *c = xmlDocGetRootElement(f->doc)->children; c; c = c->next)
        S_read_head_element(t, c, 1, diags);
    return 0;
}

/* Every <include> of the flow, loaded now (once per template, not once
 * per document), from the folder the template is in. */
static int S_load_from(template *t, const xmlNode *node, diag_list *diags)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!tpl_is_element(c, NULL))
            continue;
        if (tpl_is_element(c, "use")) {
            /* a fragment the flow uses: its head read after the template's */
            if (S_use_fragment(t, c, diags) != 0)
                return -1;
            continue;
        }
        if (!tpl_is_element(c, "include")) {
            if (S_load_from(t, c, diags) != 0)
                return -1;
            continue;
        }
        char *name = tpl_attr_dup(c, "template");
        if (!name || tpl_included(t, name) || strcmp(name, template_name(t)) == 0) {
            if (!name || strcmp(name, template_name(t)) == 0)
                tpl_error(t, c, diags, "<include> needs template= another template", name);
            free(name);
            if (diag_count(diags, DIAG_ERROR))
                return -1;
            continue;
        }
        if (t->depth >= MAX_INCLUDE_DEPTH) {
            tpl_error(t, c, diags, "templates include each other too deeply", name);
            free(name);
            return -1;
        }
        char *copy = xstrdup(t->path);
        char *path = xasprintf("%s/%s.xml", dirname(copy), name);
        free(copy);
        template *inc = S_load_nested(path, t->depth + 1, diags);
        free(path);
        free(name);
        if (!inc)
            return -1;
        t->includes = xrealloc(t->includes, (t->nincludes + 1) * sizeof *t->includes);
        t->includes[t->nincludes++] = inc;
    }
    return 0;
}

/* The fragments the foot uses (it includes no template). */
static int S_load_uses(template *t, const xmlNode *node, diag_list *diags)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!tpl_is_element(c, NULL))
            continue;
        if (tpl_is_element(c, "use") ? S_use_fragment(t, c, diags) != 0
                                     : S_load_uses(t, c, diags) != 0)
            return -1;
    }
    return 0;
}

static int S_load_includes(template *t, diag_list *diags)
{
    if (t->flow && S_load_from(t, t->flow, diags) != 0)
        return -1;
    return t->foot ? S_load_uses(t, t->foot, diags) : 0;
}

void template_included_files(const template *t, void (*fn)(const char *path, void *ctx),
                             void *ctx)
{
    for (size_t i = 0; i < t->nfragments; i++)
        fn(t->fragments[i].path, ctx);
    for (size_t i = 0; i < t->nincludes; i++) {
        fn(t->includes[i]->path, ctx);
        template_included_files(t->includes[i], fn, ctx);
    }
}

static void S_free_includes(template *t)
{
    for (size_t i = 0; i < t->nincludes; i++)
        template_free(t->includes[i]);
    free(t->includes);
    for (size_t i = 0; i < t->nparams; i++) {
        free(t->param_names[i]);
        free(t->param_defaults[i]);
    }
    free(t->param_names);
    free(t->param_defaults);
}


static template *S_load_nested(const char *path, int depth, diag_list *diags)
{
    xmlDoc *doc = load_xml(path, diags);
    if (!doc)
        return NULL;
    template *t = xcalloc(1, sizeof *t);
    t->doc = doc;
    t->path = xstrdup(path);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !tpl_is_element(root, "template")) {
        tpl_error(t, root, diags, "not a template (the root element must be <template>)", NULL);
        template_free(t);
        return NULL;
    }
    t->name = tpl_attr_dup(root, "name");
    t->record = tpl_attr_dup(root, "record");
    t->each = tpl_attr_dup(root, "each");
    t->is_default = tpl_attr_yes(root, "default");
    if (!t->name || !t->record) {
        tpl_error(t, root, diags, "<template> needs name and record attributes", NULL);
        template_free(t);
        return NULL;
    }
    t->depth = depth;
    if (S_read_head(t, root, diags) != 0 || S_load_includes(t, diags) != 0) {
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
    tpl_free_codes(t);
    S_free_includes(t);
    for (size_t i = 0; i < t->nfragments; i++) {
        tpl_free_compiled_xpaths(t->fragments[i].doc->children);
        xmlFreeDoc(t->fragments[i].doc);
        free(t->fragments[i].name);
        free(t->fragments[i].path);
    }
    free(t->fragments);
    if (t->doc)
        tpl_free_compiled_xpaths(t->doc->children);
    xmlFreeDoc(t->doc);
    free(t->path);
    free(t->name);
    free(t->record);
    free(t->each);
    free(t);
}

int template_validate(const template *t, const char *schema, diag_list *diags)
{
    int problems = load_validate(t->doc, t->path, schema, diags);
    for (size_t i = 0; problems >= 0 && i < t->nfragments; i++) {
        int more = load_validate(t->fragments[i].doc, t->fragments[i].path, schema, diags);
        problems = more < 0 ? more : problems + more;
    }
    return problems;
}

const char *template_name(const template *t) { return t->name; }
const char *template_record(const template *t) { return t->record; }
int template_is_default(const template *t) { return t->is_default; }

template *template_load(const char *path, diag_list *diags)
{
    return S_load_nested(path, 0, diags);
}
