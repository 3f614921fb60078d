/* Layout on hand-built block trees: line breaking, justification to the
 * grid, pagination, keeping the signature with the text, the foot of the
 * last page and page numbers.  Needs the Debian fonts of fonts/fonts.xml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "check.h"
#include "layout_fixture.h"
#include "layout.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define PITCH (156 * MM / 28)
#define LINE (225 * MM / 22)
#define NEAR(a, b) (fabs((a) - (b)) < 0.05)

static const page_geometry notice_page = {210 * MM, 297 * MM, 37 * MM, 28 * MM, 156 * MM, 225 * MM};
static text_style body = {"仿宋", 16, PITCH, LINE, 0};

static void add_para(document *doc, const char *text, double first, align al)
{
    block *b = block_list_push(&doc->flow, BLOCK_PARA);
    b->first = first;
    b->align = al;
    block_add_run(b, RUN_TEXT, text, &body, NULL);
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static char *repeat(const char *unit, size_t times)
{
    char *s = xcalloc(strlen(unit) * times + 1, 1);
    for (size_t i = 0; i < times; i++)
        strcat(s, unit);
    return s;
}

static void test_grid_and_indent(const font_set *fonts)
{
    document doc = {.page = notice_page};
    char *text = repeat("中", 60);
    add_para(&doc, text, 2 * PITCH, ALIGN_JUSTIFY);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    line_text lines[8];
    size_t n = page_lines(&r.pages[0], lines, 8);
    CHECK(n == 3, "60 characters with a two-character indent make 3 lines, got %zu", n);
    CHECK(count_chars(lines[0].text) == 26, "first line holds 26 characters, got %zu",
          count_chars(lines[0].text));
    CHECK(count_chars(lines[1].text) == 28, "a full line holds 28 characters");
    CHECK(NEAR(lines[0].x_start, 28 * MM + 2 * PITCH), "first line indented two characters: %.2f",
          lines[0].x_start);
    CHECK(NEAR(lines[1].x_start, 28 * MM), "other lines start at the margin");
    CHECK(NEAR(lines[0].y - lines[1].y, LINE), "line pitch is the grid's: %.3f",
          lines[0].y - lines[1].y);
    double baseline = 297 * MM - 37 * MM - ((LINE - 16) / 2 + 0.88 * 16);
    CHECK(NEAR(lines[0].y, baseline), "first baseline in the first grid cell: %.2f vs %.2f",
          lines[0].y, baseline);
    free(text);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A line whose 29th character would be "，": squeezed in or pushed, never
 * starting the next line, and the line still ends at the right edge. */
static void test_kinsoku(const font_set *fonts)
{
    document doc = {.page = notice_page};
    char *text = repeat("中", 28);
    char *para = xasprintf("%s，%s。", text, text);
    add_para(&doc, para, 0, ALIGN_JUSTIFY);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    line_text lines[8];
    size_t n = page_lines(&r.pages[0], lines, 8);
    int starts_with_comma = 0;
    for (size_t i = 0; i < n; i++)
        starts_with_comma |= strncmp(lines[i].text, "，", 3) == 0 || strncmp(lines[i].text, "。", 3) == 0;
    CHECK(!starts_with_comma, "no line starts with ， or 。");
    CHECK(n == 3, "three lines: %zu", n);
    const glyph_run *last = NULL;
    for (size_t i = 0; i < r.pages[0].nruns; i++)
        if (NEAR(r.pages[0].runs[i].y, lines[0].y))
            last = &r.pages[0].runs[i];
    CHECK(last != NULL, "first line has runs");
    free(text);
    free(para);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

static void test_pagination_and_keep(const font_set *fonts)
{
    document doc = {.page = notice_page};
    for (int i = 0; i < 22; i++)
        add_para(&doc, "一行", 0, ALIGN_LEFT);
    block *stack = block_list_push(&doc.flow, BLOCK_STACK);
    stack->align = ALIGN_RIGHT;
    stack->right = 2 * PITCH;
    stack->keep_with_previous = 1;
    block_add_run(block_add_line(stack), RUN_TEXT, "浙江省质量技术监督局", &body, NULL);
    block *date = block_add_line(stack);
    date->first = 2 * PITCH;
    block_add_run(date, RUN_TEXT, "2009年8月4日", &body, NULL);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 2, "two pages: %zu", r.npages);
    line_text a[32], b[32];
    size_t na = page_lines(&r.pages[0], a, 32), nb = r.npages > 1 ? page_lines(&r.pages[1], b, 32) : 0;
    CHECK(na == 21, "the page gives up its last line to the signature: %zu lines", na);
    CHECK(nb == 3 && strcmp(b[0].text, "一行") == 0, "page 2 starts with the carried line");
    if (nb == 3) {
        CHECK(NEAR(b[1].x_start + 10 * PITCH, 28 * MM + 156 * MM - 2 * PITCH),
              "signature right-indented two characters: ends at %.2f", b[1].x_start + 10 * PITCH);
        CHECK(NEAR(b[2].x_start, b[1].x_start + 2 * PITCH),
              "date starts two characters right of the signature");
    }
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A heading on the last line of a page goes to the next, with its text. */
static void test_heading_keeps_with_next(const font_set *fonts)
{
    document doc = {.page = notice_page};
    for (int i = 0; i < 21; i++)
        add_para(&doc, "一行", 0, ALIGN_LEFT);
    add_para(&doc, "一、标题", 0, ALIGN_LEFT);
    doc.flow.items[doc.flow.n - 1].keep_with_next = 1;
    char *text = repeat("中", 60);
    add_para(&doc, text, 0, ALIGN_JUSTIFY);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    line_text a[32], b[32];
    size_t na = page_lines(&r.pages[0], a, 32), nb = r.npages > 1 ? page_lines(&r.pages[1], b, 32) : 0;
    CHECK(na == 21, "the heading leaves page 1: %zu lines there", na);
    CHECK(nb == 4 && strcmp(b[0].text, "一、标题") == 0, "page 2 starts with the heading");
    free(text);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

static void test_foot_and_page_numbers(const font_set *fonts)
{
    document doc = {.page = notice_page};
    add_para(&doc, "正文", 0, ALIGN_LEFT);
    block *rule = block_list_push(&doc.foot, BLOCK_RULE);
    rule->thickness = 1;
    doc.page_number.enabled = 1;
    doc.page_number.format = xstrdup("— {n} —");
    doc.page_number.style = (text_style){"宋体", 14, 0, 0, 0};
    doc.page_number.below = 7 * MM;
    doc.page_number.inset = 14;
    doc.page_number.odd = ALIGN_RIGHT;
    doc.page_number.even = ALIGN_LEFT;
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 1 && r.pages[0].nrules == 1, "one page, one rule");
    if (r.npages == 1 && r.pages[0].nrules == 1) {
        double bottom_edge = r.pages[0].rules[0].y1 - 0.5;
        CHECK(NEAR(bottom_edge, 297 * MM - 262 * MM), "the foot's last rule sits on the type area's "
                                                     "bottom edge: %.2f",
              bottom_edge);
    }
    const glyph_run *num = &r.pages[0].runs[r.pages[0].nruns - 1];
    CHECK(strstr(num->text, "1") != NULL, "page number run: %s", num->text);
    CHECK(num->y < 297 * MM - 262 * MM - 7 * MM, "page number below the type area");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* A document with a page number, its foot `foot_height` tall (a space),
 * its flow one line, or two on two pages. */
static void duplex_doc(document *doc, int two_pages, double foot_height, int duplex)
{
    memset(doc, 0, sizeof *doc);
    doc->page = notice_page;
    doc->duplex = duplex;
    add_para(doc, "正文", 0, ALIGN_LEFT);
    if (two_pages) {
        block_list_push(&doc->flow, BLOCK_PAGE_BREAK);
        add_para(doc, "正文", 0, ALIGN_LEFT);
    }
    block *rule = block_list_push(&doc->foot, BLOCK_RULE);
    rule->thickness = 1;
    rule->space_before = foot_height;
    doc->page_number.enabled = 1;
    doc->page_number.format = xstrdup("— {n} —");
    doc->page_number.style = (text_style){"宋体", 14, 0, 0, 0};
    doc->page_number.below = 7 * MM;
    doc->page_number.odd = ALIGN_RIGHT;
    doc->page_number.even = ALIGN_LEFT;
}

/* Whether page i holds the foot's rule, and its page number run, if any
 * (a run below the type area). */
static int has_rule(const layout_result *r, size_t i)
{
    return r->pages[i].nrules == 1;
}

static int numbered(const layout_result *r, size_t i)
{
    for (size_t k = 0; k < r->pages[i].nruns; k++)
        if (r->pages[i].runs[k].y < 297 * MM - 262 * MM)
            return 1;
    return 0;
}

/* --duplex: the 版记 on an even page.  With the text on an odd page it
 * goes over the leaf, numbered; alone on an odd page, a blank page before
 * it and neither numbered (GB/T 9704-2012 7.5).  Without, as before. */
static void test_duplex_foot(const font_set *fonts)
{
    struct {
        int two_pages, duplex;
        double foot;
        size_t pages, foot_page;
        int numbers[4];
        const char *what;
    } cases[] = {
        {0, 0, 0, 1, 0, {1}, "one side: the foot under the text on page 1"},
        {0, 1, 0, 2, 1, {1, 1}, "duplex: the foot over the leaf, on page 2, numbered"},
        {1, 0, 220 * MM, 3, 2, {1, 1, 1}, "one side: the foot alone on page 3"},
        {1, 1, 220 * MM, 4, 3, {1, 1, 0, 0}, "duplex: page 3 blank, the foot on page 4, both unnumbered"},
        {0, 1, 220 * MM, 2, 1, {1, 1}, "duplex: the foot alone on page 2, no blank page"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        document doc;
        duplex_doc(&doc, cases[c].two_pages, cases[c].foot, cases[c].duplex);
        layout_result r;
        diag_list d = {0};
        layout_document(&doc, fonts, &r, &d);
        int ok = r.npages == cases[c].pages;
        for (size_t i = 0; ok && i < r.npages; i++)
            ok = has_rule(&r, i) == (i == cases[c].foot_page) && numbered(&r, i) == cases[c].numbers[i] &&
                 (i != 2 || !cases[c].duplex || !cases[c].two_pages || r.pages[i].nruns == 0);
        CHECK(ok, "%s (%zu pages)", cases[c].what, r.npages);
        layout_result_free(&r);
        document_free(&doc);
        diag_free(&d);
    }
}

/* GB/T 9704-2012 7.2.6: a rule's space-before after a line of text runs
 * from the bottom of the line's characters (their em box, 0.12 em under
 * the baseline), not from the grid line, to the rule's top edge. */
static void test_rule_below_text(const font_set *fonts)
{
    document doc = {.page = notice_page};
    add_para(&doc, "浙质评发〔2009〕195号", 0, ALIGN_CENTER);
    block *rule = block_list_push(&doc.flow, BLOCK_RULE);
    rule->thickness = 1;
    rule->space_before = 4 * MM;
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 1 && r.pages[0].nrules == 1 && r.pages[0].nruns > 0, "one line and a rule");
    if (r.npages == 1 && r.pages[0].nrules == 1 && r.pages[0].nruns > 0) {
        double text_bottom = r.pages[0].runs[0].y - 0.12 * 16;
        double rule_top = r.pages[0].rules[0].y1 + 0.5;
        CHECK(NEAR(text_bottom - rule_top, 4 * MM), "the rule's top 4 mm under the characters: %.2f mm",
              (text_bottom - rule_top) / MM);
    }
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

static void test_missing_glyph(const font_set *fonts)
{
    document doc = {.page = notice_page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    text_origin o = {"rec.xml", "title", 7};
    block_add_run(b, RUN_TEXT, "标\xEE\x80\x80题", &body, &o); /* U+E000 */
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(d.n == 1 && d.items[0].level == DIAG_WARNING && d.items[0].line == 7 &&
              strstr(d.items[0].message, "U+E000") && strstr(d.items[0].message, "title"),
          "a character no font has is reported with its field, line and code point");
    CHECK(r.pages[0].nruns > 0 && strstr(r.pages[0].runs[0].text, "〓"),
          "and drawn as 〓, not as an empty box");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* The contract of layout.h: layout_document returns 0; it takes the
 * table's cells (the rows stay, empty); every run's text lies in its
 * page's own text block; laid_page_release empties a page and keeps its
 * geometry. */
static void test_ownership(const font_set *fonts)
{
    document doc = {.page = notice_page};
    add_para(&doc, "正文。", 2 * PITCH, ALIGN_JUSTIFY);
    block *b = block_list_push(&doc.flow, BLOCK_TABLE);
    table *t = b->table = xcalloc(1, sizeof *t);
    t->columns = xcalloc(2, sizeof *t->columns);
    t->columns[0] = (table_column){COLUMN_SHARE, 1, 0, 0};
    t->columns[1] = (table_column){COLUMN_SHARE, 1, 0, 0};
    t->ncolumns = 2;
    t->rule = 0.5;
    for (int r = 0; r < 3; r++) {
        table_row *row = table_add_row(t);
        for (int c = 0; c < 2; c++)
            block_add_run(table_cell_add_para(table_row_add_cell(row)), RUN_TEXT, "甲乙", &body,
                          NULL);
    }
    layout_result res;
    diag_list d = {0};
    CHECK(layout_document(&doc, fonts, &res, &d) == 0, "layout_document returns 0");
    CHECK(t->nrows == 3, "the table keeps its rows: %zu", t->nrows);
    size_t cells = 0;
    for (size_t r = 0; r < t->nrows; r++)
        cells += t->rows[r].ncells;
    CHECK(cells == 0, "but their cells are freed as laid out: %zu left", cells);
    CHECK(res.npages == 1 && res.pages[0].nruns == 7, "one page, the paragraph and 6 cells: %zu",
          res.npages ? res.pages[0].nruns : 0);
    laid_page *pg = &res.pages[0];
    int inside = 1;
    for (size_t i = 0; i < pg->nruns; i++)
        inside &= pg->runs[i].text >= pg->text && pg->runs[i].text < pg->text + pg->text_used;
    CHECK(inside, "every run's text is in the page's text block");
    document_free(&doc); /* nothing of the pages points into it */
    CHECK(strcmp(pg->runs[0].text, "正文。") == 0, "the pages outlive the document: %s",
          pg->runs[0].text);
    laid_page_release(pg);
    CHECK(pg->nruns == 0 && pg->nrules == 0 && pg->text == NULL &&
              NEAR(pg->geometry.width, notice_page.width),
          "a released page is empty and keeps its geometry");
    layout_result_free(&res);
    diag_free(&d);
}

/* A page break to a landscape geometry, what follows on it. */
static void add_landscape_break(document *doc, const page_geometry *g)
{
    block *b = block_list_push(&doc->flow, BLOCK_PAGE_BREAK);
    if (g) {
        b->page = xmalloc(sizeof *b->page);
        *b->page = *g;
    }
}

static const glyph_run *last_run(const laid_page *pg)
{
    return pg->nruns ? &pg->runs[pg->nruns - 1] : NULL;
}

/* GB/T 9704-2012 10.1: a landscape page of a portrait document is turned
 * onto the document's sheet, laid out in its type area turned (whatever
 * margins its own geometry has), its page number upright where the
 * portrait pages have theirs; the 版记 back on a portrait page.  A
 * document landscape throughout is not turned. */
static void test_turned_pages(const font_set *fonts)
{
    /* the template's own landscape page: 20 mm margins, 257 x 168 mm */
    const page_geometry own = {297 * MM, 210 * MM, 20 * MM, 20 * MM, 257 * MM, 168 * MM};
    document doc;
    duplex_doc(&doc, 0, 0, 0);
    add_landscape_break(&doc, &own);
    block *mark = block_list_push(&doc.flow, BLOCK_BOOKMARK);
    mark->bookmark = xstrdup("附件");
    mark->bookmark_level = 1;
    add_para(&doc, "附件", 0, ALIGN_LEFT);
    add_landscape_break(&doc, NULL); /* a second page of that paper */
    add_para(&doc, "续表", 0, ALIGN_LEFT);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    CHECK(r.npages == 4, "the text, two landscape pages, the foot's own page: %zu", r.npages);
    if (r.npages != 4) {
        layout_result_free(&r);
        document_free(&doc);
        diag_free(&d);
        return;
    }
    const laid_page *p1 = &r.pages[0], *p2 = &r.pages[1], *p3 = &r.pages[2], *p4 = &r.pages[3];
    CHECK(!p1->turn.turned && !p4->turn.turned && has_rule(&r, 3),
          "the portrait pages are not turned, the foot on the last");
    for (int i = 1; i <= 2; i++) {
        const laid_page *pg = &r.pages[i];
        const page_geometry *g = &pg->geometry;
        CHECK(pg->turn.turned && NEAR(pg->turn.sheet_width, 210 * MM) &&
                  NEAR(pg->turn.sheet_height, 297 * MM),
              "page %d turned onto the A4 portrait sheet", i + 1);
        /* the portrait type area turned: top 28 mm (the binding side),
         * left 35 mm (297 - 37 - 225, the portrait bottom margin) */
        CHECK(NEAR(g->width, 297 * MM) && NEAR(g->height, 210 * MM) && NEAR(g->top, 28 * MM) &&
                  NEAR(g->left, 35 * MM) && NEAR(g->area_width, 225 * MM) &&
                  NEAR(g->area_height, 156 * MM),
              "page %d laid out in the document's type area turned, not its own 20 mm margins: "
              "top %.2f left %.2f, %.2f x %.2f",
              i + 1, g->top / MM, g->left / MM, g->area_width / MM, g->area_height / MM);
        /* sheet x = e - y, sheet y = x + f: the landscape top (y = 210 mm)
         * at the sheet's left edge, its left edge at the sheet's bottom */
        CHECK(NEAR(pg->turn.e, 210 * MM) && NEAR(pg->turn.f, 0),
              "page %d: cm 0 1 -1 0 %.2f %.2f", i + 1, pg->turn.e, pg->turn.f);
        CHECK(pg->turn.upright_from == pg->nruns - 1 && pg->nruns >= 2,
              "page %d: every run turned but the last (its number): %zu of %zu", i + 1,
              pg->turn.upright_from, pg->nruns);
        CHECK(NEAR(pg->runs[0].x, 35 * MM), "page %d: its text starts at the turned left margin",
              i + 1);
    }
    const glyph_run *n1 = last_run(p1), *n2 = last_run(p2), *n3 = last_run(p3);
    CHECK(strcmp(n2->text, "— 2 —") == 0 && strcmp(n3->text, "— 3 —") == 0,
          "the turned pages numbered on: %s, %s", n2->text, n3->text);
    CHECK(NEAR(n3->x, n1->x) && NEAR(n3->y, n1->y),
          "odd page 3's number (upright, sheet frame) where page 1's is: %.2f %.2f / %.2f %.2f",
          n3->x, n3->y, n1->x, n1->y);
    CHECK(NEAR(n2->x, 28 * MM) && NEAR(n2->y, n1->y),
          "even page 2's number at the portrait type area's left, page 1's height: %.2f %.2f",
          n2->x, n2->y);
    CHECK(r.noutline == 1 && r.outline[0].page == 1 && NEAR(r.outline[0].y, 297 * MM),
          "the bookmark on turned page 2 points at its sheet's top");
    layout_result_free(&r);
    document_free(&doc);

    /* landscape throughout: nothing turned */
    duplex_doc(&doc, 0, 0, 0);
    doc.page = own;
    add_landscape_break(&doc, &own);
    add_para(&doc, "正文", 0, ALIGN_LEFT);
    layout_document(&doc, fonts, &r, &d);
    int turned = 0;
    for (size_t i = 0; i < r.npages; i++)
        turned |= r.pages[i].turn.turned;
    CHECK(r.npages >= 2 && !turned && NEAR(r.pages[1].geometry.left, 20 * MM),
          "a landscape document stays landscape, on its own margins");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

int main(void)
{
    font_set *fonts = fixture_fonts();
    if (!fonts)
        return check_summary();
    test_grid_and_indent(fonts);
    test_kinsoku(fonts);
    test_pagination_and_keep(fonts);
    test_heading_keeps_with_next(fonts);
    test_foot_and_page_numbers(fonts);
    test_duplex_foot(fonts);
    test_rule_below_text(fonts);
    test_missing_glyph(fonts);
    test_ownership(fonts);
    test_turned_pages(fonts);
    font_set_free(fonts);
    return check_summary();
}
