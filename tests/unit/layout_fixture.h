/* What the unit tests of the layout stage share: the shipped font map
 * loaded once, and a laid page's runs gathered into lines of text. */
#ifndef GEN_TEST_LAYOUT_FIXTURE_H
#define GEN_TEST_LAYOUT_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "font.h"
#include "layout.h"

/* fonts/fonts.xml (the Debian fonts `make deps` installs), a failed check
 * and NULL when it cannot be loaded (its diagnostics printed). */
static inline font_set *fixture_fonts(void)
{
    diag_list d = {0};
    font_set *fonts = font_set_load("fonts/fonts.xml", NULL, &d);
    CHECK(fonts != NULL, "fonts/fonts.xml loads");
    if (!fonts)
        diag_print(&d, stderr);
    diag_free(&d);
    return fonts;
}

/* One line of a page: its baseline, where its first run starts, where its
 * last ends (set by the caller when needed) and its text. */
typedef struct line_text {
    double y, x_start, x_end;
    char text[4096];
} line_text;

/* The page's runs as lines (runs on one baseline, within 0.05 pt, in the
 * order drawn), at most `max`; how many. */
static inline size_t page_lines(const laid_page *pg, line_text *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < pg->nruns; i++) {
        const glyph_run *r = &pg->runs[i];
        size_t k = 0;
        while (k < n && fabs(out[k].y - r->y) >= 0.05)
            k++;
        if (k == n) {
            if (n == max)
                continue;
            memset(&out[n], 0, sizeof out[n]);
            out[n].y = r->y, out[n].x_start = r->x;
            n++;
        }
        strncat(out[k].text, r->text, sizeof out[k].text - strlen(out[k].text) - 1);
        out[k].x_start = fmin(out[k].x_start, r->x);
    }
    return n;
}

#endif
