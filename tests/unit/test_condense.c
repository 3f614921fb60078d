/* A shrink-to-fit line (the 发文机关标志) condensed horizontally before its
 * size is reduced, on hand-built paragraphs: the runs' scale, size and
 * width.  Needs the Debian fonts of fonts/fonts.xml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "check.h"
#include "layout_fixture.h"
#include "layout.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define AREA (156 * MM) /* 442.20 pt */

static const page_geometry notice_page = {210 * MM, 297 * MM, 37 * MM, 28 * MM, AREA, 225 * MM};
static text_style mark = {"小标宋", 36, 0, 0, 0xE60012};

/* The mark's line laid out: its one run (NULL when it is not one). */
static glyph_run one_run(const font_set *fonts, const char *text, unsigned char condense,
                         layout_result *r)
{
    document doc = {.page = notice_page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = ALIGN_CENTER;
    b->shrink_to_fit = 1;
    b->condense = condense;
    block_add_run(b, RUN_TEXT, text, &mark, NULL);
    diag_list d = {0};
    layout_document(&doc, fonts, r, &d);
    CHECK(d.n == 0 && r->npages == 1 && r->pages[0].nruns == 1, "%s: one run", text);
    glyph_run g = r->npages && r->pages[0].nruns ? r->pages[0].runs[0] : (glyph_run){0};
    document_free(&doc);
    diag_free(&d);
    return g;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_condense(const font_set *fonts)
{
    layout_result r;
    /* 17 characters: 612 pt; 442.20 / 612 = 72.26 % >= 70 %: condensed only */
    const char *mid = "浙江省质量技术监督局认证监管处文件";
    glyph_run g = one_run(fonts, mid, 70, &r);
    CHECK(g.size == 36, "the size is kept: %.2f", g.size);
    CHECK(fabs(g.hscale - AREA / 612) < 1e-4, "condensed to %.4f", g.hscale);
    double width = chars(mid) * g.size * g.hscale;
    CHECK(fabs(width - AREA) < 0.01 && fabs(g.x - notice_page.left) < 0.01,
          "the line is the type area's width (%.2f), from its left edge (%.2f)", width, g.x);
    layout_result_free(&r);

    /* 23 characters: 828 pt; 53.4 % < 70 %: condensed to 70 %, then smaller */
    const char *lng = "浙江省质量技术监督局浙江省发展和改革委员会文件";
    g = one_run(fonts, lng, 70, &r);
    CHECK(fabs(g.hscale - 0.7) < 1e-9, "condensed to the limit: %.4f", g.hscale);
    CHECK(fabs(g.size - 36 * AREA / 828 / 0.7) < 0.01, "then set at %.2f pt", g.size);
    width = chars(lng) * g.size * g.hscale;
    CHECK(fabs(width - AREA) < 0.01, "the line fits: %.2f", width);
    layout_result_free(&r);

    /* no limit: the size alone, as before */
    g = one_run(fonts, lng, 0, &r);
    CHECK(g.hscale == 0 && fabs(g.size - 36 * AREA / 828) < 0.01, "not condensed: %.2f pt",
          g.size);
    layout_result_free(&r);

    /* a mark that fits: neither */
    g = one_run(fonts, "浙江省质量技术监督局文件", 70, &r);
    CHECK(g.hscale == 0 && g.size == 36, "a mark that fits is left alone");
    layout_result_free(&r);
}

int main(void)
{
    font_set *fonts = fixture_fonts();
    CHECK(!fonts || font_set_complete(fonts), "every role of fonts/fonts.xml has a font");
    if (fonts && font_set_complete(fonts))
        test_condense(fonts);
    font_set_free(fonts);
    return check_summary();
}
