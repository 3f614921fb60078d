/* Table layout on hand-built block trees: column widths (fixed, shares,
 * fitted), vertical alignment in a row, header rows repeated on every page
 * a table runs onto with its continued caption (续表) above them, a row
 * that does not fit moving whole to the next page, a row taller than a page
 * split between lines with every part framed and every line landed exactly
 * once, and a fill_rest row ending where what follows it begins.
 * Needs the Debian fonts of fonts/fonts.xml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "check.h"
#include "layout_fixture.h"
#include "layout.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define NEAR(a, b) (fabs((a) - (b)) < 0.05)
#define CLOSE(a, b, tol) (fabs((a) - (b)) < (tol))

/* A4 portrait, the nomination form's margins: type area 158 x 242 mm. */
static const page_geometry page = {210 * MM, 297 * MM, 30 * MM, 26 * MM, 158 * MM, 242 * MM};
#define AREA_TOP (297 * MM - 30 * MM)              /* PDF y of the type area's top */
#define AREA_BOTTOM (297 * MM - 30 * MM - 242 * MM) /* and of its bottom */
#define AREA_LEFT (26 * MM)
#define AREA_RIGHT (26 * MM + 158 * MM)

static text_style cell_style = {"仿宋", 14, 0, 20, 0};
static text_style head_style = {"黑体", 14, 0, 20, 0};
static text_style body_style = {"仿宋", 16, 0, 28, 0};

#define PAD_X 6.0
#define PAD_Y 4.0
#define RULE 0.5

/* ---- building ---- */

static void add_para(block_list *flow, const char *text, const text_style *st)
{
    block *b = block_list_push(flow, BLOCK_PARA);
    b->align = ALIGN_LEFT;
    block_add_run(b, RUN_TEXT, text, st, NULL);
}

/* A table block with columns given as kinds/values (min/max for fit). */
static table *add_table(block_list *flow, size_t ncols, const table_column *cols,
                        const char *continued)
{
    block *b = block_list_push(flow, BLOCK_TABLE);
    table *t = b->table = calloc(1, sizeof *t);
    t->columns = malloc(ncols * sizeof *t->columns);
    memcpy(t->columns, cols, ncols * sizeof *cols);
    t->ncolumns = ncols;
    t->rule = RULE;
    t->pad_x = PAD_X;
    t->pad_y = PAD_Y;
    if (continued) {
        block *cap = t->continued = calloc(1, sizeof *cap);
        cap->kind = BLOCK_PARA;
        cap->align = ALIGN_LEFT;
        block_add_run(cap, RUN_TEXT, continued, &head_style, NULL);
    }
    return t;
}

static table_cell *add_cell(table_row *row, const char *text, const text_style *st, valign va)
{
    table_cell *c = table_row_add_cell(row);
    c->valign = va;
    if (text) {
        block *p = table_cell_add_para(c);
        p->align = ALIGN_LEFT;
        block_add_run(p, RUN_TEXT, text, st, NULL);
    }
    return c;
}

static void cell_add_line(table_cell *c, const char *text)
{
    block *p = table_cell_add_para(c);
    p->align = ALIGN_LEFT;
    block_add_run(p, RUN_TEXT, text, &cell_style, NULL);
}

/* ---- reading the result ---- */

/* A line of text on a page: the runs at one baseline inside [xlo, xhi),
 * joined left to right. */
typedef struct tline {
    double y, x0, x1;
    char text[2048];
} tline;

typedef struct tlines {
    tline *v;
    size_t n, cap;
} tlines;

static int by_y_desc(const void *a, const void *b)
{
    const tline *p = a, *q = b;
    return p->y > q->y ? -1 : p->y < q->y ? 1 : 0;
}

static tlines lines_between(const laid_page *pg, double xlo, double xhi)
{
    tlines out = {0};
    /* runs in x order within each line: collect run indices sorted by x */
    size_t *idx = xcalloc(pg->nruns + 1, sizeof *idx), n = 0;
    for (size_t i = 0; i < pg->nruns; i++)
        if (pg->runs[i].x >= xlo - 0.01 && pg->runs[i].x < xhi)
            idx[n++] = i;
    for (size_t a = 1; a < n; a++) /* insertion sort by x (stable) */
        for (size_t b = a; b > 0 && pg->runs[idx[b - 1]].x > pg->runs[idx[b]].x; b--) {
            size_t t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    for (size_t a = 0; a < n; a++) {
        const glyph_run *r = &pg->runs[idx[a]];
        size_t k = 0;
        while (k < out.n && !NEAR(out.v[k].y, r->y))
            k++;
        if (k == out.n) {
            GROW(out.v, out.n, out.cap);
            memset(&out.v[k], 0, sizeof out.v[k]);
            out.v[k].y = r->y;
            out.v[k].x0 = r->x;
            out.n++;
        }
        strncat(out.v[k].text, r->text, sizeof out.v[k].text - strlen(out.v[k].text) - 1);
        out.v[k].x1 = r->x;
    }
    free(idx);
    if (out.n > 1)
        qsort(out.v, out.n, sizeof *out.v, by_y_desc);
    return out;
}

/* The text ranges searched for a line: the whole page, then each of the
 * two columns of two_cols (lines of one baseline in several cells join). */
static const double ranges[3][2] = {
    {0, 1e9}, {0, AREA_LEFT + 30 * MM - 0.01}, {AREA_LEFT + 30 * MM - 0.01, 1e9}};

/* y of the (first) line whose text is exactly `text`, or NAN. */
static double line_y(const laid_page *pg, const char *text)
{
    double y = NAN;
    for (int k = 0; k < 3 && isnan(y); k++) {
        tlines ls = lines_between(pg, ranges[k][0], ranges[k][1]);
        for (size_t i = 0; i < ls.n && isnan(y); i++)
            if (strcmp(ls.v[i].text, text) == 0)
                y = ls.v[i].y;
        free(ls.v);
    }
    return y;
}

static int page_has_text(const laid_page *pg, const char *text)
{
    return !isnan(line_y(pg, text));
}

/* Every run of every page inside the type area (page numbers aside: these
 * tests have none). */
static int runs_in_area(const layout_result *r, char *why, size_t whylen)
{
    for (size_t p = 0; p < r->npages; p++)
        for (size_t i = 0; i < r->pages[p].nruns; i++) {
            const glyph_run *g = &r->pages[p].runs[i];
            if (g->y < AREA_BOTTOM - 0.01 || g->y > AREA_TOP + 0.01) {
                snprintf(why, whylen, "page %zu: run \"%.40s\" at baseline y %.2f, type area %.2f..%.2f",
                         p + 1, g->text, g->y, AREA_BOTTOM, AREA_TOP);
                return 0;
            }
        }
    for (size_t p = 0; p < r->npages; p++)
        for (size_t i = 0; i < r->pages[p].nrules; i++) {
            const rule_line *l = &r->pages[p].rules[i];
            double lo = fmin(l->y1, l->y2), hi = fmax(l->y1, l->y2);
            if (lo < AREA_BOTTOM - 1 || hi > AREA_TOP + 1) {
                snprintf(why, whylen, "page %zu: rule y %.2f..%.2f outside the type area %.2f..%.2f",
                         p + 1, lo, hi, AREA_BOTTOM, AREA_TOP);
                return 0;
            }
        }
    return 1;
}

/* A vertical rule at x covering [ylo, yhi] (made of one or more segments). */
static int vertical_rule_covers(const laid_page *pg, double x, double ylo, double yhi)
{
    /* merge the segments at x and look for one covering the span */
    double need = ylo;
    for (int moved = 1; moved && need < yhi - 0.05;) {
        moved = 0;
        for (size_t i = 0; i < pg->nrules; i++) {
            const rule_line *l = &pg->rules[i];
            if (!NEAR(l->x1, x) || !NEAR(l->x2, x))
                continue;
            double lo = fmin(l->y1, l->y2), hi = fmax(l->y1, l->y2);
            if (lo <= need + 0.05 && hi > need + 0.05) {
                need = hi;
                moved = 1;
            }
        }
    }
    return need >= yhi - 0.05;
}

/* A horizontal rule from xl to xr at a height within (ylo, yhi). */
static int horizontal_rule_between(const laid_page *pg, double xl, double xr, double ylo, double yhi,
                                   double *y)
{
    for (size_t i = 0; i < pg->nrules; i++) {
        const rule_line *l = &pg->rules[i];
        if (NEAR(l->y1, l->y2) && l->y1 > ylo && l->y1 < yhi && fmin(l->x1, l->x2) <= xl + 0.05 &&
            fmax(l->x1, l->x2) >= xr - 0.05) {
            if (y)
                *y = l->y1;
            return 1;
        }
    }
    return 0;
}

static double lowest_horizontal_rule(const laid_page *pg)
{
    double y = INFINITY;
    for (size_t i = 0; i < pg->nrules; i++)
        if (NEAR(pg->rules[i].y1, pg->rules[i].y2))
            y = fmin(y, pg->rules[i].y1);
    return y;
}

/* Where text "prefixN" landed: counts[N] incremented, order checked. */
typedef struct landing {
    int *count;
    int n;
    int in_order;
    int last;
} landing;

static void land_scan(const layout_result *r, const char *prefix, landing *L, double xlo, double xhi)
{
    size_t plen = strlen(prefix);
    for (size_t p = 0; p < r->npages; p++) {
        tlines ls = lines_between(&r->pages[p], xlo, xhi);
        for (size_t i = 0; i < ls.n; i++) {
            if (strncmp(ls.v[i].text, prefix, plen) != 0)
                continue;
            int k = atoi(ls.v[i].text + plen);
            if (k < 1 || k > L->n)
                continue;
            L->count[k - 1]++;
            if (k != L->last + 1)
                L->in_order = 0;
            L->last = k;
        }
        free(ls.v);
    }
}

static void report_landing(const landing *L, const char *what)
{
    int missing = 0, dup = 0, first_missing = 0, first_dup = 0;
    for (int k = 0; k < L->n; k++) {
        if (L->count[k] == 0 && missing++ == 0)
            first_missing = k + 1;
        if (L->count[k] > 1 && dup++ == 0)
            first_dup = k + 1;
    }
    CHECK(missing == 0, "%s: %d of %d lines never landed (first: %d)", what, missing, L->n,
          first_missing);
    CHECK(dup == 0, "%s: %d lines landed more than once (first: %d)", what, dup, first_dup);
    CHECK(L->in_order, "%s: lines out of order (page, top to bottom)", what);
}

static const table_column two_cols[2] = {{COLUMN_FIXED, 30 * MM, 0, 0}, {COLUMN_SHARE, 1, 0, 0}};

/* ---- tests ---- */

/* Fixed, share and fitted columns: the cells' frames and their text. */
static void test_column_widths(const font_set *fonts)
{
    document doc = {.page = page};
    table_column cols[4] = {{COLUMN_FIXED, 20 * MM, 0, 0},
                            {COLUMN_SHARE, 1, 0, 0},
                            {COLUMN_SHARE, 2, 0, 0},
                            {COLUMN_FIT, 0, 10 * MM, 40 * MM}};
    table *t = add_table(&doc.flow, 4, cols, NULL);
    table_row *row = table_add_row(t);
    add_cell(row, "甲", &cell_style, VALIGN_TOP);
    add_cell(row, "乙", &cell_style, VALIGN_TOP);
    add_cell(row, "丙", &cell_style, VALIGN_TOP);
    add_cell(row, "丁丁丁丁", &cell_style, VALIGN_TOP); /* 4 x 14 pt + padding */
    /* a second table: the fitted column with text wider than its maximum */
    table_column cols2[2] = {{COLUMN_FIT, 0, 10 * MM, 40 * MM}, {COLUMN_SHARE, 1, 0, 0}};
    t = add_table(&doc.flow, 2, cols2, NULL);
    row = table_add_row(t);
    add_cell(row, "一二三四五六七八九十一二三四五六七八九十", &cell_style, VALIGN_TOP);
    add_cell(row, "后", &cell_style, VALIGN_TOP);
    /* a third: the fitted column with very short text, held at its minimum */
    t = add_table(&doc.flow, 2, cols2, NULL);
    row = table_add_row(t);
    add_cell(row, "一", &cell_style, VALIGN_TOP);
    add_cell(row, "再", &cell_style, VALIGN_TOP);

    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 1, "three small tables on one page: %zu", r.npages);
    if (r.npages < 1)
        goto done;
    const laid_page *pg = &r.pages[0];
    double fit = 4 * 14 + 2 * PAD_X; /* + 0.01 */
    double rest = 158 * MM - 20 * MM - fit;
    double x[5] = {AREA_LEFT, AREA_LEFT + 20 * MM, 0, 0, AREA_RIGHT};
    x[2] = x[1] + rest / 3;
    x[3] = x[2] + 2 * rest / 3;
    const char *texts[4] = {"甲", "乙", "丙", "丁丁丁丁"};
    double top = AREA_TOP;
    for (int c = 0; c < 4; c++) {
        double lx = NAN;
        tlines ls = lines_between(pg, 0, 1e9);
        for (size_t i = 0; i < ls.n; i++)
            if (strcmp(ls.v[i].text, texts[c]) == 0)
                lx = ls.v[i].x0;
        free(ls.v);
        /* runs of one line may be joined across cells; look them up by x */
        if (isnan(lx)) {
            for (size_t i = 0; i < pg->nruns; i++)
                if (strncmp(pg->runs[i].text, texts[c], strlen(texts[c])) == 0 && isnan(lx))
                    lx = pg->runs[i].x;
        }
        CHECK(CLOSE(lx, x[c] + PAD_X, 0.1), "column %d text starts at %.2f, expected %.2f (column from %.2f)",
              c + 1, lx, x[c] + PAD_X, x[c]);
        CHECK(vertical_rule_covers(pg, x[c], top - 20, top - 5),
              "a vertical rule at the left of column %d (x %.2f)", c + 1, x[c]);
    }
    CHECK(vertical_rule_covers(pg, x[4], top - 20, top - 5), "a vertical rule at the table's right edge");
    CHECK(CLOSE((x[3] - x[2]), 2 * (x[2] - x[1]), 0.1), "a 2* column is twice a 1* column");

    /* second table: fitted column capped at 40 mm, its text wrapped in it */
    tlines ls = lines_between(pg, 0, 1e9);
    double after_x = NAN, again_x = NAN, widest = 0;
    for (size_t i = 0; i < ls.n; i++) {
        if (strstr(ls.v[i].text, "后"))
            after_x = ls.v[i].x1;
        if (strstr(ls.v[i].text, "再"))
            again_x = ls.v[i].x1;
    }
    for (size_t i = 0; i < pg->nruns; i++)
        if (strstr(pg->runs[i].text, "一二") || strstr(pg->runs[i].text, "十"))
            widest = fmax(widest, pg->runs[i].x);
    free(ls.v);
    CHECK(CLOSE(after_x, AREA_LEFT + 40 * MM + PAD_X, 0.1),
          "a fitted column with long text takes its maximum, 40 mm: next column's text at %.2f, "
          "expected %.2f",
          after_x, AREA_LEFT + 40 * MM + PAD_X);
    CHECK(widest < AREA_LEFT + 40 * MM, "the long text wraps inside the fitted column");
    CHECK(CLOSE(again_x, AREA_LEFT + 10 * MM + PAD_X, 0.1),
          "a fitted column with one character takes its minimum, 10 mm: next text at %.2f, expected %.2f",
          again_x, AREA_LEFT + 10 * MM + PAD_X);
    CHECK(again_x < after_x, "short fitted column narrower than the long one");
done:
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A row of one five-line cell and three one-line cells, top, middle and
 * bottom aligned. */
static void test_valign(const font_set *fonts)
{
    document doc = {.page = page};
    table_column cols[4] = {{COLUMN_SHARE, 1, 0, 0}, {COLUMN_SHARE, 1, 0, 0},
                            {COLUMN_SHARE, 1, 0, 0}, {COLUMN_SHARE, 1, 0, 0}};
    table *t = add_table(&doc.flow, 4, cols, NULL);
    table_row *row = table_add_row(t);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    for (int i = 0; i < 5; i++)
        cell_add_line(c, "行");
    add_cell(row, "上", &cell_style, VALIGN_TOP);
    add_cell(row, "中", &cell_style, VALIGN_MIDDLE);
    add_cell(row, "下", &cell_style, VALIGN_BOTTOM);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    const laid_page *pg = &r.pages[0];
    double ys[5], n = 0;
    tlines ls = lines_between(pg, 0, AREA_LEFT + 158 * MM / 4);
    for (size_t i = 0; i < ls.n && n < 5; i++)
        if (strcmp(ls.v[i].text, "行") == 0)
            ys[(int)n++] = ls.v[i].y;
    free(ls.v);
    CHECK(n == 5, "five lines in the first cell: %g", n);
    if (n == 5) {
        double top = NAN, mid = NAN, bot = NAN;
        for (size_t i = 0; i < pg->nruns; i++) {
            if (!strcmp(pg->runs[i].text, "上"))
                top = pg->runs[i].y;
            if (!strcmp(pg->runs[i].text, "中"))
                mid = pg->runs[i].y;
            if (!strcmp(pg->runs[i].text, "下"))
                bot = pg->runs[i].y;
        }
        CHECK(NEAR(top, ys[0]), "valign top: on the first line (%.2f vs %.2f)", top, ys[0]);
        CHECK(NEAR(mid, ys[2]), "valign middle: on the third of five lines (%.2f vs %.2f)", mid, ys[2]);
        CHECK(NEAR(bot, ys[4]), "valign bottom: on the last line (%.2f vs %.2f)", bot, ys[4]);
        double rule_y = NAN;
        CHECK(horizontal_rule_between(pg, AREA_LEFT, AREA_RIGHT, ys[4] - 20, ys[4], &rule_y) &&
                  NEAR(rule_y, AREA_TOP - (5 * 20 + 2 * PAD_Y)),
              "row is five lines and its padding tall: bottom rule at %.2f, expected %.2f", rule_y,
              AREA_TOP - (5 * 20 + 2 * PAD_Y));
    }
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* 120 rows under a header: the header and 续表 on every following page,
 * every row landed once and framed. */
static void test_header_repeated(const font_set *fonts)
{
    document doc = {.page = page};
    add_para(&doc.flow, "表一", &body_style);
    table *t = add_table(&doc.flow, 2, two_cols, "续表");
    doc.flow.items[1].keep_with_previous = 1;
    table_row *h = table_add_row(t);
    h->header = 1;
    add_cell(h, "序号", &head_style, VALIGN_MIDDLE);
    add_cell(h, "名称", &head_style, VALIGN_MIDDLE);
    enum { N = 120 };
    for (int i = 1; i <= N; i++) {
        table_row *row = table_add_row(t);
        char a[32], b[32];
        snprintf(a, sizeof a, "%d", i);
        snprintf(b, sizeof b, "名称%d", i);
        add_cell(row, a, &cell_style, VALIGN_MIDDLE);
        add_cell(row, b, &cell_style, VALIGN_MIDDLE);
    }
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    /* 120 rows of 28 pt: about 15 pages' worth of 685 pt */
    CHECK(r.npages >= 4, "120 rows of 28 pt run onto several pages: %zu", r.npages);
    double row_h = 20 + 2 * PAD_Y;
    for (size_t p = 0; p < r.npages; p++) {
        const laid_page *pg = &r.pages[p];
        double hy = line_y(pg, "序号"), cy = line_y(pg, "续表");
        CHECK(!isnan(hy), "page %zu has the header row", p + 1);
        if (p == 0) {
            CHECK(isnan(cy), "no 续表 on the first page");
            CHECK(!isnan(line_y(pg, "表一")) && line_y(pg, "表一") > hy,
                  "page 1: the paragraph before the table, above its header");
        } else {
            CHECK(!isnan(cy), "page %zu starts with 续表", p + 1);
            CHECK(!isnan(cy) && !isnan(hy) && cy > hy, "page %zu: 续表 above the header", p + 1);
            /* nothing above 续表 */
            tlines ls = lines_between(pg, 0, 1e9);
            CHECK(ls.n > 0 && strcmp(ls.v[0].text, "续表") == 0, "page %zu: 续表 is the topmost line (%s)",
                  p + 1, ls.n ? ls.v[0].text : "");
            CHECK(!isnan(cy) && cy <= AREA_TOP && cy > AREA_TOP - 30,
                  "page %zu: 续表 at the top of the type area (baseline %.2f)", p + 1, cy);
            free(ls.v);
        }
        /* each body row on this page framed: a vertical rule at both edges
         * and horizontal rules above and below its baseline */
        tlines ls = lines_between(pg, AREA_LEFT + 30 * MM, 1e9);
        int body_rows = 0, framed = 1;
        for (size_t i = 0; i < ls.n; i++) {
            if (strncmp(ls.v[i].text, "名称", 6) != 0 || ls.v[i].text[6] == '\0')
                continue;
            body_rows++;
            double y = ls.v[i].y;
            if (!vertical_rule_covers(pg, AREA_LEFT, y - 2, y + 10) ||
                !vertical_rule_covers(pg, AREA_LEFT + 30 * MM, y - 2, y + 10) ||
                !vertical_rule_covers(pg, AREA_RIGHT, y - 2, y + 10) ||
                !horizontal_rule_between(pg, AREA_LEFT, AREA_RIGHT, y, y + row_h, NULL) ||
                !horizontal_rule_between(pg, AREA_LEFT, AREA_RIGHT, y - row_h, y, NULL)) {
                if (framed)
                    CHECK(0, "page %zu: row %s not framed by rules", p + 1, ls.v[i].text);
                framed = 0;
            }
        }
        free(ls.v);
        CHECK(framed, "page %zu: every row framed", p + 1);
        CHECK(body_rows > 0, "page %zu: the header is followed by body rows", p + 1);
    }
    landing L = {calloc(N, sizeof(int)), N, 1, 0};
    land_scan(&r, "名称", &L, AREA_LEFT + 30 * MM, 1e9);
    report_landing(&L, "120 rows");
    free(L.count);
    char why[256] = "";
    CHECK(runs_in_area(&r, why, sizeof why), "everything inside the type area: %s", why);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A row of 200 lines (about 6 pages): split between lines, each part
 * framed, the header and 续表 above each continuation, every line once. */
static void test_split_row(const font_set *fonts)
{
    document doc = {.page = page};
    add_para(&doc.flow, "表二", &body_style);
    table *t = add_table(&doc.flow, 2, two_cols, "续表");
    table_row *h = table_add_row(t);
    h->header = 1;
    add_cell(h, "项目", &head_style, VALIGN_MIDDLE);
    add_cell(h, "内容", &head_style, VALIGN_MIDDLE);
    table_row *row = table_add_row(t);
    add_cell(row, "第一项", &cell_style, VALIGN_TOP);
    add_cell(row, "短", &cell_style, VALIGN_TOP);
    row = table_add_row(t);
    add_cell(row, "长项", &cell_style, VALIGN_MIDDLE);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    enum { N = 200 };
    for (int i = 1; i <= N; i++) {
        char s[32];
        snprintf(s, sizeof s, "第%d行", i);
        cell_add_line(c, s);
    }
    row = table_add_row(t);
    add_cell(row, "末项", &cell_style, VALIGN_TOP);
    add_cell(row, "完", &cell_style, VALIGN_TOP);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages >= 6, "200 lines of 20 pt take six pages or more: %zu", r.npages);
    landing L = {calloc(N, sizeof(int)), N, 1, 0};
    land_scan(&r, "第", &L, AREA_LEFT + 30 * MM, 1e9);
    report_landing(&L, "a row taller than a page");
    free(L.count);
    char why[256] = "";
    CHECK(runs_in_area(&r, why, sizeof why), "everything inside the type area: %s", why);
    /* the split starts on page 1, right after the first row: no page is
     * left with just the header */
    CHECK(r.npages > 0 && page_has_text(&r.pages[0], "第1行"), "the long row starts on page 1");
    for (size_t p = 0; p < r.npages; p++) {
        const laid_page *pg = &r.pages[p];
        tlines ls = lines_between(pg, AREA_LEFT + 30 * MM, 1e9);
        double hi = -INFINITY, lo = INFINITY;
        int parts = 0;
        for (size_t i = 0; i < ls.n; i++)
            if (strncmp(ls.v[i].text, "第", 3) == 0 && strstr(ls.v[i].text, "行")) {
                hi = fmax(hi, ls.v[i].y);
                lo = fmin(lo, ls.v[i].y);
                parts++;
            }
        free(ls.v);
        CHECK(!isnan(line_y(pg, "内容")), "page %zu has the header", p + 1);
        if (p > 0)
            CHECK(!isnan(line_y(pg, "续表")), "page %zu has 续表", p + 1);
        if (parts == 0)
            continue;
        /* this page's part: framed left, middle, right from above its
         * first line to below its last, rules across above and below */
        int framed = vertical_rule_covers(pg, AREA_LEFT, lo - 4, hi + 12) &&
                     vertical_rule_covers(pg, AREA_LEFT + 30 * MM, lo - 4, hi + 12) &&
                     vertical_rule_covers(pg, AREA_RIGHT, lo - 4, hi + 12) &&
                     horizontal_rule_between(pg, AREA_LEFT, AREA_RIGHT, hi, hi + 25, NULL) &&
                     horizontal_rule_between(pg, AREA_LEFT, AREA_RIGHT, lo - 25, lo, NULL);
        CHECK(framed, "page %zu: the part of the long row (%d lines) is framed", p + 1, parts);
        if (p > 0 && p + 1 < r.npages)
            CHECK(lo - AREA_BOTTOM < 20 + 2 * PAD_Y + 1,
                  "page %zu: the part fills the page (last baseline %.2f, area bottom %.2f)", p + 1, lo,
                  AREA_BOTTOM);
    }
    CHECK(r.npages > 0 && page_has_text(&r.pages[r.npages - 1], "完"), "the row after it on the last page");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* The same, with the table the first thing of the document and no header:
 * nothing placed before the long row on its page. */
static void test_split_row_at_top(const font_set *fonts)
{
    document doc = {.page = page};
    table *t = add_table(&doc.flow, 2, two_cols, NULL);
    table_row *row = table_add_row(t);
    add_cell(row, "长项", &cell_style, VALIGN_TOP);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    enum { N = 100 };
    for (int i = 1; i <= N; i++) {
        char s[32];
        snprintf(s, sizeof s, "第%d行", i);
        cell_add_line(c, s);
    }
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages >= 3, "a first row of 100 lines of 20 pt takes three pages or more: %zu", r.npages);
    landing L = {calloc(N, sizeof(int)), N, 1, 0};
    land_scan(&r, "第", &L, AREA_LEFT + 30 * MM, 1e9);
    report_landing(&L, "a first row taller than a page");
    free(L.count);
    char why[256] = "";
    CHECK(runs_in_area(&r, why, sizeof why), "a first row taller than a page stays in the type area: %s",
          why);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A row taller than the rest of the page but shorter than a page goes
 * whole to the next page. */
static void test_row_moves_whole(const font_set *fonts)
{
    document doc = {.page = page};
    for (int i = 0; i < 15; i++) /* 15 x 28 pt = 420 pt of the 686 */
        add_para(&doc.flow, "前文", &body_style);
    table *t = add_table(&doc.flow, 2, two_cols, NULL);
    table_row *row = table_add_row(t);
    add_cell(row, "短行", &cell_style, VALIGN_TOP);
    add_cell(row, "短", &cell_style, VALIGN_TOP);
    row = table_add_row(t);
    add_cell(row, "长行", &cell_style, VALIGN_TOP);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    enum { N = 20 }; /* 20 x 20 pt + padding: more than what is left */
    for (int i = 1; i <= N; i++) {
        char s[32];
        snprintf(s, sizeof s, "第%d行", i);
        cell_add_line(c, s);
    }
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 2, "two pages: %zu", r.npages);
    if (r.npages == 2) {
        CHECK(page_has_text(&r.pages[0], "短行") && !page_has_text(&r.pages[1], "短行"),
              "the short row stays on page 1");
        int on1 = 0, on2 = 0;
        for (int i = 1; i <= N; i++) {
            char s[32];
            snprintf(s, sizeof s, "第%d行", i);
            on1 += page_has_text(&r.pages[0], s);
            on2 += page_has_text(&r.pages[1], s);
        }
        CHECK(on1 == 0 && on2 == N, "the tall row whole on page 2: %d lines on page 1, %d on page 2", on1,
              on2);
        double y1 = line_y(&r.pages[1], "第1行");
        CHECK(!isnan(y1) && y1 > AREA_TOP - 20 - PAD_Y - 1, "page 2 begins with it (first baseline %.2f)", y1);
        /* page 1 has no frame below the short row: its lowest rule is the
         * short row's bottom */
        double low = lowest_horizontal_rule(&r.pages[0]), sy = line_y(&r.pages[0], "短行");
        CHECK(!isnan(sy) && low > sy - 20 - 2 * PAD_Y, "page 1 ends with the short row's frame (%.2f)", low);
    }
    char why[256] = "";
    CHECK(runs_in_area(&r, why, sizeof why), "everything inside the type area: %s", why);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* The header never stands alone at the foot of a page: when the first
 * body row does not fit under it, the header goes along to the next page
 * (where the table begins: no 续表 there). */
static void test_header_keeps_with_first_row(const font_set *fonts)
{
    document doc = {.page = page};
    /* 23 x 28 pt = 644 pt of the 686: room for the 28 pt header, not for
     * the 48 pt first row after it */
    for (int i = 0; i < 23; i++)
        add_para(&doc.flow, "前文", &body_style);
    table *t = add_table(&doc.flow, 2, two_cols, "续表");
    table_row *h = table_add_row(t);
    h->header = 1;
    add_cell(h, "序号", &head_style, VALIGN_MIDDLE);
    add_cell(h, "名称", &head_style, VALIGN_MIDDLE);
    table_row *row = table_add_row(t);
    table_cell *c = add_cell(row, "一", &cell_style, VALIGN_MIDDLE);
    (void)c;
    c = add_cell(row, "甲行", &cell_style, VALIGN_TOP);
    cell_add_line(c, "乙行");
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 2, "two pages: %zu", r.npages);
    if (r.npages == 2) {
        CHECK(!page_has_text(&r.pages[0], "序号"), "the header does not stay alone on page 1");
        CHECK(page_has_text(&r.pages[1], "序号") && page_has_text(&r.pages[1], "甲行") &&
                  page_has_text(&r.pages[1], "乙行"),
              "header and first row together on page 2");
        CHECK(!page_has_text(&r.pages[1], "续表"), "no 续表 where the table begins");
        CHECK(line_y(&r.pages[1], "序号") > line_y(&r.pages[1], "甲行"), "header above the row");
    }
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A form's table under a title: a 名称 row, then a 理由 row that fills
 * the rest of the page (its content cell is the caller's to fill). */
static table_row *form_table(document *doc)
{
    add_para(&doc->flow, "标题", &body_style);
    table *t = add_table(&doc->flow, 2, two_cols, NULL);
    table_row *row = table_add_row(t);
    row->min_height = 13 * MM;
    add_cell(row, "名称", &head_style, VALIGN_MIDDLE);
    add_cell(row, "某公司", &cell_style, VALIGN_MIDDLE);
    row = table_add_row(t);
    row->fill_rest = 1;
    row->min_height = 40 * MM;
    add_cell(row, "理由", &head_style, VALIGN_MIDDLE);
    return row;
}

/* A fill_rest row grows to the foot of the page, leaving exactly the room
 * of what follows it up to the next page break. */
static void test_fill_rest(const font_set *fonts)
{
    document doc = {.page = page};
    table_row *row = form_table(&doc);
    add_cell(row, "理由正文", &cell_style, VALIGN_TOP);
    block *sp = block_list_push(&doc.flow, BLOCK_SPACE);
    sp->height = 3 * MM;
    add_para(&doc.flow, "填表人", &body_style);
    doc.flow.items[doc.flow.n - 1].keep_with_previous = 1;
    block_list_push(&doc.flow, BLOCK_PAGE_BREAK);
    add_para(&doc.flow, "下一页", &body_style);
    add_para(&doc.flow, "又一行", &body_style);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 2, "two pages (a page break): %zu", r.npages);
    if (r.npages >= 1) {
        const laid_page *pg = &r.pages[0];
        double bottom = lowest_horizontal_rule(pg);
        double want = AREA_BOTTOM + 3 * MM + 28; /* room for the space and one 28 pt line */
        CHECK(NEAR(bottom, want), "the fill row ends 3 mm + one line above the area's bottom: %.2f, want %.2f",
              bottom, want);
        double fy = line_y(pg, "填表人");
        CHECK(!isnan(fy) && fy < bottom - 3 * MM && fy > AREA_BOTTOM,
              "the line after it sits in the room left (baseline %.2f, row bottom %.2f)", fy, bottom);
        /* valign middle in the grown row: 理由 centred between the row's rules */
        double top = NAN, ly = line_y(pg, "理由"), ty = line_y(pg, "理由正文");
        for (size_t i = 0; i < pg->nrules; i++) {
            const rule_line *l = &pg->rules[i];
            if (NEAR(l->y1, l->y2) && l->y1 > bottom + 1 && (isnan(top) || l->y1 < top))
                top = l->y1;
        }
        CHECK(!isnan(top) && !isnan(ly) && CLOSE(ly + (20 - 14) / 2.0 - 10 + 0.88 * 14, (top + bottom) / 2, 1),
              "the label (valign middle) is centred in the grown row: baseline %.2f, row %.2f..%.2f", ly,
              bottom, top);
        CHECK(!isnan(ty) && !isnan(top) && CLOSE(ty, top - PAD_Y - (20 - 14) / 2.0 - 0.88 * 14, 1),
              "the text (valign top) on the row's first line: baseline %.2f, row top %.2f", ty, top);
        CHECK(vertical_rule_covers(pg, AREA_LEFT, bottom, top) &&
                  vertical_rule_covers(pg, AREA_RIGHT, bottom, top),
              "the grown row is framed down to its bottom");
    }
    if (r.npages == 2)
        CHECK(page_has_text(&r.pages[1], "下一页") && page_has_text(&r.pages[1], "又一行"),
              "what follows the page break is on page 2");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A fill_rest row taller than a page (a reason of two pages): split, and
 * its last part still grows to leave just the room for what follows. */
static void test_fill_rest_split(const font_set *fonts)
{
    document doc = {.page = page};
    table_row *row = form_table(&doc);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    enum { N = 40 }; /* 800 pt: page 1 and a few lines of page 2 */
    for (int i = 1; i <= N; i++) {
        char s[32];
        snprintf(s, sizeof s, "第%d行", i);
        cell_add_line(c, s);
    }
    block *sp = block_list_push(&doc.flow, BLOCK_SPACE);
    sp->height = 3 * MM;
    add_para(&doc.flow, "填表人", &body_style);
    doc.flow.items[doc.flow.n - 1].keep_with_previous = 1;
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    landing L = {calloc(N, sizeof(int)), N, 1, 0};
    land_scan(&r, "第", &L, AREA_LEFT + 30 * MM, 1e9);
    report_landing(&L, "a fill_rest row taller than a page");
    free(L.count);
    CHECK(r.npages == 2, "a fill_rest row of 40 lines: two pages, %zu", r.npages);
    if (r.npages == 2) {
        const laid_page *pg = &r.pages[1];
        double bottom = lowest_horizontal_rule(pg), want = AREA_BOTTOM + 3 * MM + 28;
        CHECK(NEAR(bottom, want),
              "the split fill_rest row's last part grows to 3 mm + one line above the area's bottom: "
              "ends at %.2f, want %.2f",
              bottom, want);
        CHECK(page_has_text(pg, "填表人"), "填表人 on page 2");
    }
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A row taller than a page whose last part fills its page exactly, with a
 * line that must not begin a page after it (填表人 keep-with-previous): the
 * line takes some of the row along, and every line still lands once.
 * with_header: the table has a header row and 续表 (repeated on page 2);
 * with_space: 3 mm of space between the row and the line (as the
 * nomination form has between its frame and 填表人). */
static void test_split_row_then_kept_line(const font_set *fonts, int with_header, int with_space)
{
    /* page 1: a 28 pt paragraph (and the 28 pt header row), then the row's
     * first part; the room a page gives a row is what is left less 2 x 4 pt
     * of padding: n lines of 20 pt; page 2 holds 续表 (20 pt) and the
     * header again */
    double area = 242 * MM, head = with_header ? 20 + 2 * PAD_Y : 0, cap = with_header ? 20 : 0;
    int first = (int)floor((area - 28 - head - 2 * PAD_Y + 0.01) / 20);
    int full = (int)floor((area - cap - head - 2 * PAD_Y + 0.01) / 20);
    int n = first + full; /* the second part fills page 2 exactly */
    document doc = {.page = page};
    add_para(&doc.flow, "标题", &body_style);
    table *t = add_table(&doc.flow, 2, two_cols, with_header ? "续表" : NULL);
    if (with_header) {
        table_row *h = table_add_row(t);
        h->header = 1;
        add_cell(h, "项目", &head_style, VALIGN_MIDDLE);
        add_cell(h, "内容", &head_style, VALIGN_MIDDLE);
    }
    table_row *row = table_add_row(t);
    add_cell(row, "理由", &cell_style, VALIGN_TOP);
    table_cell *c = add_cell(row, NULL, &cell_style, VALIGN_TOP);
    for (int i = 1; i <= n; i++) {
        char s[32];
        snprintf(s, sizeof s, "第%d行", i);
        cell_add_line(c, s);
    }
    if (with_space)
        block_list_push(&doc.flow, BLOCK_SPACE)->height = 3 * MM;
    add_para(&doc.flow, "填表人", &body_style);
    doc.flow.items[doc.flow.n - 1].keep_with_previous = 1;
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    const char *what = with_space    ? "split row, a space, then a kept line"
                       : with_header ? "split row (header, 续表) then a kept line"
                                     : "split row then a kept line";
    landing L = {calloc((size_t)n, sizeof(int)), n, 1, 0};
    land_scan(&r, "第", &L, AREA_LEFT + 30 * MM, 1e9);
    report_landing(&L, what);
    free(L.count);
    char why[256] = "";
    CHECK(runs_in_area(&r, why, sizeof why), "%s: everything in the type area: %s", what, why);
    int empty = 0, alone = 0;
    for (size_t p = 0; p < r.npages; p++) {
        int text = 0;
        tlines ls = lines_between(&r.pages[p], AREA_LEFT + 30 * MM, 1e9);
        for (size_t i = 0; i < ls.n; i++)
            text |= strncmp(ls.v[i].text, "第", 3) == 0;
        free(ls.v);
        empty += !text && p > 0 && !page_has_text(&r.pages[p], "填表人");
        alone += !text && page_has_text(&r.pages[p], "填表人");
    }
    CHECK(empty == 0, "%s: no page without the row's text or 填表人 (%d of %zu pages)", what, empty,
          r.npages);
    CHECK(r.npages == 3 && page_has_text(&r.pages[2], "填表人"),
          "%s: three pages, 填表人 on the last: %zu pages", what, r.npages);
    CHECK(alone == 0,
          "%s: 填表人 (keep-with-previous) does not begin a page: the row's last line(s) go along with it",
          what);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

int main(void)
{
    font_set *fonts = fixture_fonts();
    if (!fonts)
        return check_summary();
    test_column_widths(fonts);
    test_valign(fonts);
    test_header_repeated(fonts);
    test_split_row(fonts);
    test_split_row_at_top(fonts);
    test_row_moves_whole(fonts);
    test_header_keeps_with_first_row(fonts);
    test_fill_rest(fonts);
    test_fill_rest_split(fonts);
    test_split_row_then_kept_line(fonts, 0, 0);
    test_split_row_then_kept_line(fonts, 1, 0);
    test_split_row_then_kept_line(fonts, 0, 1);
    font_set_free(fonts);
    return check_summary();
}
