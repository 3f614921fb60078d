/* The font roles a template names, checked against the font map before
 * anything is laid out: a role the map lacks would draw every character
 * of its text as 〓 (one warning each) and leave the PDF without it. */
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "util.h"

/* "宋体, 仿宋, 黑体": the map's roles, for the message (allocated). */
static char *role_list(const font_set *fonts)
{
    size_t len = 1;
    for (size_t i = 0; i < font_set_role_count(fonts); i++)
        len += strlen(font_set_role_name(fonts, i)) + 2;
    char *list = xcalloc(len, 1);
    for (size_t i = 0; i < font_set_role_count(fonts); i++) {
        if (i > 0)
            strcat(list, ", ");
        strcat(list, font_set_role_name(fonts, i));
    }
    return list;
}

/* One place naming a role (`what`, "the font role"); 1 when the map lacks
 * it (reported). */
static int unknown_role(const template *t, const xmlNode *n, const char *what, const char *role,
                        const font_set *fonts, const char *map, diag_list *diags)
{
    if (!role || font_set_has_role(fonts, role))
        return 0;
    char *roles = role_list(fonts);
    diag_add(diags, DIAG_ERROR, t->path, n ? (int)xmlGetLineNo((xmlNode *)n) : 0,
             "%s \"%s\" is not in the font map %s (its roles: %s); name one of them, "
             "or add the role to the font map",
             what, role, map, roles);
    free(roles);
    return 1;
}

static int body_is_styled(const template *t)
{
    for (size_t i = 0; i < t->nstyles; i++)
        if (strcmp(t->styles[i].name, "body") == 0)
            return 1;
    return 0;
}

int template_check_roles(const template *t, const font_set *fonts, const char *map,
                         diag_list *diags)
{
    int bad = 0;
    for (size_t i = 0; i < t->nstyles; i++)
        bad += unknown_role(t, t->styles[i].node, "the font role", t->styles[i].role, fonts, map,
                            diags);
    static const char *const markdown_roles[] = {"strong", "emph", "quote"};
    for (size_t i = 0; t->markdown_style && i < 3; i++)
        bad += unknown_role(t, t->markdown_style, "the font role",
                            attr_text(t->markdown_style, markdown_roles[i]), fonts, map, diags);
    if (!body_is_styled(t)) /* as body_style() */
        bad += unknown_role(t, xmlDocGetRootElement(t->doc),
                            "with no style named body, text without a style is set in the font role",
                            DEFAULT_ROLE, fonts, map, diags);
    for (size_t i = 0; i < t->nincludes; i++)
        bad += template_check_roles(t->includes[i], fonts, map, diags);
    return bad;
}
