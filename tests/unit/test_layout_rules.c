/* rules_merge_page (gen/layout_rules.c) on hand-made pages: duplicates
 * dropped, collinear pieces joined, nothing else changed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout_internal.h"
#include "util.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void add(laid_page *pg, double x1, double y1, double x2, double y2, double t, uint32_t c)
{
    GROW(pg->rules, pg->nrules, pg->rules_cap);
    pg->rules[pg->nrules++] = (rule_line){x1, y1, x2, y2, t, c};
}

static int has(const laid_page *pg, double x1, double y1, double x2, double y2)
{
    for (size_t i = 0; i < pg->nrules; i++) {
        const rule_line *r = &pg->rules[i];
        if (NEAR(r->x1, x1) && NEAR(r->y1, y1) && NEAR(r->x2, x2) && NEAR(r->y2, y2))
            return 1;
    }
    return 0;
}

/* Two rows of two cells, framed as layout_page.c frames rows: top, bottom,
 * each cell's left edge, the right edge. */
static void test_table_frame(void)
{
    laid_page pg = {0};
    double tops[2] = {500, 480}, xs[3] = {50, 150, 300};
    for (int r = 0; r < 2; r++) {
        double top = tops[r], bottom = top - 20;
        add(&pg, xs[0], top, xs[2], top, 0.5, 0);
        add(&pg, xs[0], bottom, xs[2], bottom, 0.5, 0);
        for (int c = 0; c < 3; c++)
            add(&pg, xs[c], top, xs[c], bottom, 0.5, 0);
    }
    rules_merge_page(&pg);
    CHECK(pg.nrules == 6, "a 2x2 frame is 3 + 3 rules, not %zu", pg.nrules);
    CHECK(has(&pg, 50, 500, 300, 500) && has(&pg, 50, 480, 300, 480) &&
              has(&pg, 50, 460, 300, 460),
          "the three horizontal rules");
    /* the verticals run the way their first pieces did: top to bottom */
    for (int c = 0; c < 3; c++)
        CHECK(has(&pg, xs[c], 500, xs[c], 460), "the column rule at x %g, whole", xs[c]);
    for (size_t i = 0; i < pg.nrules; i++)
        CHECK(pg.rules[i].thickness == 0.5 && pg.rules[i].color == 0, "style kept");
    /* drawn in the order of their first pieces: the first row's top first */
    CHECK(NEAR(pg.rules[0].y1, 500) && NEAR(pg.rules[0].y2, 500), "first rule is the top");
    free(pg.rules);
}

static void test_join_and_gaps(void)
{
    laid_page pg = {0};
    add(&pg, 0, 10, 10, 10, 1, 0);
    add(&pg, 10.005, 10, 20, 10, 1, 0); /* touches, within the tolerance */
    add(&pg, 5, 10.004, 15, 10.004, 1, 0); /* overlaps, a hair off the line */
    add(&pg, 21, 10, 30, 10, 1, 0);     /* a gap of 1 pt: stays apart */
    add(&pg, 40, 0, 40, 5, 1, 0);
    add(&pg, 40, 5, 40, 0, 1, 0);       /* the same rule, drawn the other way */
    rules_merge_page(&pg);
    CHECK(pg.nrules == 3, "3 rules remain, not %zu", pg.nrules);
    CHECK(has(&pg, 0, 10, 20, 10), "the touching and overlapping pieces are one rule");
    CHECK(has(&pg, 21, 10, 30, 10), "the piece past the gap is left as it was");
    CHECK(has(&pg, 40, 0, 40, 5), "the duplicate is dropped");
    free(pg.rules);
}

/* A line is reckoned from its lowest position: pieces 0.006 pt apart are
 * on one line, a third 0.012 pt from the first is not, though only 0.006
 * from the second. */
static void test_line_from_its_lowest(void)
{
    laid_page pg = {0};
    add(&pg, 20, 100.012, 30, 100.012, 1, 0);
    add(&pg, 10, 100.006, 20, 100.006, 1, 0);
    add(&pg, 0, 100, 10, 100, 1, 0);
    rules_merge_page(&pg);
    CHECK(pg.nrules == 2, "2 rules remain, not %zu", pg.nrules);
    CHECK(has(&pg, 0, 100, 20, 100), "the two near pieces are one, at the lowest piece's y");
    CHECK(has(&pg, 20, 100.012, 30, 100.012), "the far piece stays");
    CHECK(NEAR(pg.rules[0].x1, 20), "drawn in the order of their first pieces");
    free(pg.rules);
}

/* A column's pieces as rows give them, going down the page (up in PDF
 * y), and out of order, join into one rule each. */
static void test_column_pieces(void)
{
    laid_page pg = {0};
    for (int r = 0; r < 5; r++)
        add(&pg, 50, 500 - 20 * r, 50, 480 - 20 * r, 0.5, 0);
    double tops[4] = {300, 260, 280, 240};
    for (int r = 0; r < 4; r++)
        add(&pg, 80, tops[r], 80, tops[r] - 20, 0.5, 0);
    rules_merge_page(&pg);
    CHECK(pg.nrules == 2, "two columns, not %zu rules", pg.nrules);
    CHECK(has(&pg, 50, 500, 50, 400), "the first column whole, drawn downwards");
    CHECK(has(&pg, 80, 300, 80, 220), "the second column whole");
    free(pg.rules);
}

static void test_styles_apart(void)
{
    laid_page pg = {0};
    add(&pg, 0, 10, 10, 10, 1, 0);
    add(&pg, 10, 10, 20, 10, 2, 0);        /* thicker */
    add(&pg, 20, 10, 30, 10, 2, 0xFF0000); /* red */
    add(&pg, 30, 10, 40, 10, 1, 0);        /* same style as the first, after others */
    add(&pg, 0, 0, 10, 10, 1, 0);          /* diagonal */
    add(&pg, 0, 0, 10, 10, 1, 0);          /* and again: only axis rules merge */
    rules_merge_page(&pg);
    CHECK(pg.nrules == 6, "nothing merges across styles or off the axes: %zu", pg.nrules);
    CHECK(pg.rules[1].thickness == 2 && pg.rules[2].color == 0xFF0000,
          "the drawing order stays");
    free(pg.rules);
}

static void test_empty(void)
{
    laid_page pg = {0};
    rules_merge_page(&pg);
    CHECK(pg.nrules == 0, "an empty page stays empty");
    add(&pg, 1, 2, 1, 2, 1, 0); /* a point: no axis, left alone */
    rules_merge_page(&pg);
    CHECK(pg.nrules == 1 && has(&pg, 1, 2, 1, 2), "a point is left alone");
    free(pg.rules);
}

int main(void)
{
    test_table_frame();
    test_join_and_gaps();
    test_line_from_its_lowest();
    test_column_pieces();
    test_styles_apart();
    test_empty();
    return check_summary();
}
