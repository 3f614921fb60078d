/* The template's named styles as the evaluation uses them (style="cell",
 * the body style, the Markdown fields' style), found by name. */
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"

static const text_style *S_find_style(const template *t, const char *name)
{
    for (size_t i = 0; i < t->nstyles; i++)
        if (strcmp(t->styles[i].name, name) == 0)
            return &t->styles[i].style;
    return NULL;
}

const text_style *tpl_style_attr(tpl_eval *e, const xmlNode *n, const text_style *fallback)
{
    const char *name = tpl_attr_text(n, "style");
    if (!name)
        return fallback;
    const text_style *s = S_find_style(e->t, name);
    if (!s)
        tpl_error(e->t, n, e->diags, "no such style", name);
    return s ? s : fallback;
}

const text_style *tpl_style_attr_named(tpl_eval *e, const xmlNode *n, const char *attr,
                                       const text_style *fallback)
{
    const char *name = tpl_attr_text(n, attr);
    const text_style *s = name ? S_find_style(e->t, name) : fallback;
    if (!s)
        tpl_error(e->t, n, e->diags, "no such style", name);
    return s ? s : fallback;
}

const text_style *tpl_body_style(tpl_eval *e)
{
    static const text_style plain = {TPL_DEFAULT_ROLE, 12, 0, 0, 0};
    const text_style *s = S_find_style(e->t, "body");
    return s ? s : &plain;
}

double tpl_em(const text_style *s)
{
    return s->pitch > 0 ? s->pitch : s->size;
}

/* Roles named by <markdown-style>: the attribute's text in the template,
 * which lives as long as the template. */
static const char *S_role_attr_named(const xmlNode *n, const char *attr, const char *fallback)
{
    const char *v = tpl_attr_text(n, attr);
    return v ? v : fallback;
}

void tpl_read_markdown_style(tpl_eval *e)
{
    const text_style *body = tpl_body_style(e);
    markdown_style *md = &e->md;
    md->body = *body;
    for (int i = 0; i < 4; i++)
        md->heading[i] = *body;
    md->strong_role = md->emph_role = md->quote_role = body->role;
    md->indent = 2 * tpl_em(body);
    const xmlNode *n = e->t->markdown_style;
    if (!n)
        return;
    static const char *const levels[4] = {"h1", "h2", "h3", "h4"};
    for (int i = 0; i < 4; i++)
        md->heading[i] = *tpl_style_attr_named(e, n, levels[i], body);
    md->strong_role = S_role_attr_named(n, "strong", body->role);
    md->emph_role = S_role_attr_named(n, "emph", body->role);
    md->quote_role = S_role_attr_named(n, "quote", body->role);
    tpl_length_attr(e->t, n, "indent", tpl_em(body), &md->indent, e->diags);
    char *level = tpl_attr_dup(n, "bookmarks");
    md->bookmark_level = level ? atoi(level) : 0;
    free(level);
}
