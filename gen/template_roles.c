/* The font roles a template names, checked against the font map before
 * anything is laid out: a role the map lacks would draw every character
 * of its text as 〓 (one warning each) and leave the PDF without it. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "template_internal.h"
#include "util.h"

/* "宋体, 仿宋, 黑体": the map's roles, for the message (allocated). */
static char *S_role_list(const font_set *fonts)
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

/* What the check is against: the font map (`map`, its path for the
 * messages) and where problems go. */
typedef struct role_check {
    const font_set *fonts;
    const char *map;
    diag_list *diags;
} role_check;

/* One place naming a role (`what`, "the font role"); 1 when the map lacks
 * it (reported). */
static int S_unknown_role(const role_check *rc, const template *t, const xmlNode *n,
                          const char *what, const char *role)
{
    if (!role || font_set_has_role(rc->fonts, role))
        return 0;
    char *roles = S_role_list(rc->fonts);
    diag_add(rc->diags, DIAG_ERROR, tpl_file_of(t, n), n ? (int)xmlGetLineNo((xmlNode *)n) : 0,
             "%s \"%s\" is not in the font map %s (its roles: %s); name one of them, "
             "or add the role to the font map",
             _(what), role, rc->map, roles);
    free(roles);
    return 1;
}

static int S_body_is_styled(const template *t)
{
    for (size_t i = 0; i < t->nstyles; i++)
        if (strcmp(t->styles[i].name, "body") == 0)
            return 1;
    return 0;
}

static int S_check_roles(const role_check *rc, const template *t)
{
    int bad = 0;
    for (size_t i = 0; i < t->nstyles; i++)
        bad += S_unknown_role(rc, t, t->styles[i].node, "the font role", t->styles[i].role);
    static const char *const markdown_roles[] = {"strong", "emph", "quote"};
    for (size_t i = 0; t->markdown_style && i < 3; i++)
        bad += S_unknown_role(rc, t, t->markdown_style, "the font role",
                              tpl_attr_text(t->markdown_style, markdown_roles[i]));
    if (!S_body_is_styled(t)) /* as tpl_body_style() */
        bad += S_unknown_role(
            rc, t, xmlDocGetRootElement(t->doc),
            "with no style named body, text without a style is set in the font role",
            TPL_DEFAULT_ROLE);
    for (size_t i = 0; i < t->nincludes; i++)
        bad += S_check_roles(rc, t->includes[i]);
    return bad;
}

int template_check_roles(const template *t, const font_set *fonts, const char *map,
                         diag_list *diags)
{
    role_check rc = {fonts, map, diags};
    return S_check_roles(&rc, t);
}
