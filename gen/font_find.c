/* A family name to a font file, through fontconfig (font_find.h). */
#include "font_find.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>

#include "util.h"

struct font_finder {
    FcConfig *config;
};

font_finder *font_finder_open(void)
{
    FcConfig *config = FcInitLoadConfigAndFonts();
    if (!config)
        return NULL;
    font_finder *f = xcalloc(1, sizeof *f);
    f->config = config;
    return f;
}

void font_finder_close(font_finder *finder)
{
    if (!finder)
        return;
    FcConfigDestroy(finder->config);
    free(finder);
}

/* Two family names the same as fontconfig compares them: ASCII case and
 * blanks ignored (SimSun, simsun, Sim Sun); other characters (仿宋_GB2312)
 * as they are. */
static int same_family(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        unsigned char x = (unsigned char)*a++, y = (unsigned char)*b++;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
}

/* Whether one of the match's family names is `family`. */
static int has_family(FcPattern *match, const char *family)
{
    FcChar8 *name;
    for (int n = 0; FcPatternGetString(match, FC_FAMILY, n, &name) == FcResultMatch; n++)
        if (same_family((const char *)name, family))
            return 1;
    return 0;
}

char *font_finder_find(font_finder *finder, const char *family, const char *style, int *index,
                       char **found_style)
{
    *index = 0;
    *found_style = NULL;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    if (style)
        FcPatternAddString(pat, FC_STYLE, (const FcChar8 *)style);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(finder->config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(finder->config, pat, &result);
    FcPatternDestroy(pat);
    char *path = NULL;
    FcChar8 *file, *st;
    int i = 0;
    if (match && has_family(match, family) &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        path = xstrdup((const char *)file);
        if (FcPatternGetInteger(match, FC_INDEX, 0, &i) == FcResultMatch)
            *index = i & 0xFFFF; /* the high bits name a variable font's instance */
        if (FcPatternGetString(match, FC_STYLE, 0, &st) == FcResultMatch)
            *found_style = xstrdup((const char *)st);
    }
    if (match)
        FcPatternDestroy(match);
    return path;
}
