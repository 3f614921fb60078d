/* The layout stage's entry: blocks become boxes (lines, rules, spaces,
 * table rows), boxes are stacked onto pages. */
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "utf8.h"
#include "util.h"

/* Where the characters of a line box end, down from its top: the bottom of
 * the em box of its largest run (layout_para.c sets a baseline 0.88 em under
 * the em box's top, so the box's bottom is 0.12 em under it; the 〔〕 of a
 * 发文字号 reach it).  The box's own bottom when it holds no text. */
static double layout_line_text_bottom(const box *line)
{
    double bottom = 0;
    for (size_t i = 0; i < line->nruns; i++)
        bottom = fmax(bottom, line->runs[i].y + 0.12 * line->runs[i].size);
    return line->nruns ? fmin(bottom, line->height) : line->height;
}

/* A rule; `space_before` is measured from the bottom of the characters of
 * the line above it when there is one (GB/T 9704-2012 7.2.6: the red rule
 * 4 mm below the 发文字号 is 4 mm below its characters, not below the grid
 * line it sits on), else from the box above; to the rule's top edge. */
static void layout_rule_box(const block *b, const page_geometry *pg, box_list *out)
{
    double before = b->space_before;
    if (before > 0 && out->n > 0 && out->items[out->n - 1].kind == BOX_LINE) {
        const box *line = &out->items[out->n - 1];
        before -= line->height - layout_line_text_bottom(line);
    }
    /* the rule may reach up into the line's box below its characters; the
     * box itself keeps no negative height */
    double y = before + b->thickness / 2;
    box *x = box_list_push(out, BOX_RULE, fmax(0, before + b->thickness + b->space_after));
    x->keep_with_previous = b->keep_with_previous;
    box_add_rule(x, &(rule_line){pg->left + b->left, y, pg->left + pg->area_width - b->right, y,
                                 b->thickness, b->color});
}

/* A signature and its date: the group sits against the right indent (or
 * the left, or centred); each line is shifted inside it by its `first`, or
 * with centre_lines centred on the last line. */
static void layout_stack_boxes(layout_ctx *ctx, const block *b, box_list *out)
{
    const page_geometry *pg = ctx->page;
    double *w = xcalloc(b->nlines + 1, sizeof *w), group = 0;
    for (size_t i = 0; i < b->nlines; i++) {
        w[i] = para_natural_width(ctx, &b->lines[i]);
        group = fmax(group, w[i] + (b->centre_lines ? 0 : b->lines[i].first));
    }
    /* centred lines are centred on the last (the date, GB/T 9704: 以成文日期为准
     * 居中), which alone is set against the indent */
    if (b->centre_lines && b->nlines > 0)
        group = w[b->nlines - 1];
    double left = pg->left + b->left;
    if (b->align == ALIGN_RIGHT)
        left = pg->left + pg->area_width - b->right - group;
    else if (b->align == ALIGN_CENTER)
        left = pg->left + (pg->area_width - group) / 2;
    size_t first_line = out->n;
    double height = 0;
    for (size_t i = 0; i < b->nlines; i++) {
        double x = b->centre_lines ? left + (group - w[i]) / 2 : left + b->lines[i].first;
        size_t first_box = out->n;
        para_line_at(ctx, &b->lines[i], x, out);
        if (out->n > first_box) {
            out->items[first_box].keep_with_previous = i > 0 || b->keep_with_previous;
            height += out->items[first_box].height;
        }
    }
    if (b->seal && out->n > first_line) {
        /* GB/T 9704 7.3.5.1: centred on the signature and date, which sit a
         * little below the seal's middle */
        placed_image *img = &out->items[first_line].image;
        img->path = xstrdup(b->seal);
        img->width = b->seal_width;
        img->height = b->seal_height;
        img->x = left + group / 2 - img->width / 2;
        img->y = height / 2 - 0.15 * height / (double)b->nlines - img->height / 2;
    }
    free(w);
}

/* A landscape page in a portrait document is turned (GB/T 9704-2012
 * 10.1: 横排表格 keep the sheet portrait); a document landscape throughout
 * (a summary printed alone) stays on landscape sheets. */
static int layout_page_turned(const page_geometry *g, const page_geometry *doc)
{
    return g->width > g->height && doc->height > doc->width;
}

/* The document's portrait page turned a quarter, as a turned page is laid
 * out (one document, one set of furniture): paper and type area with
 * width and height swapped, the portrait left margin (the binding side of
 * a recto, 28 mm) its top and the portrait bottom margin its left, so that
 * its type area lands on the document's (layout_turn_page). */
static page_geometry layout_turned_geometry(const page_geometry *doc)
{
    double bottom = doc->height - doc->top - doc->area_height;
    return (page_geometry){doc->height, doc->width, doc->left, bottom, doc->area_height,
                           doc->area_width};
}

/* Where the flow goes from a page break on: a landscape page of a
 * portrait document takes the document's page turned, whatever margins
 * its template gives it (its type area must land on the portrait one). */
static const page_geometry *layout_break_geometry(layout_ctx *ctx, const page_geometry *g)
{
    return layout_page_turned(g, ctx->doc_page) ? &ctx->turned_page : g;
}

static void layout_block_to_boxes(layout_ctx *ctx, block *b, box_list *out)
{
    const page_geometry *pg = ctx->page;
    box *x;
    switch (b->kind) {
    case BLOCK_PARA:
        para_to_boxes(ctx, b, pg->left, pg->area_width, out);
        break;
    case BLOCK_TABLE:
        table_to_boxes(ctx, b, out);
        break;
    case BLOCK_SPACE:
        box_list_push(out, BOX_SPACE, b->height)->keep_with_previous = b->keep_with_previous;
        break;
    case BLOCK_RULE:
        layout_rule_box(b, pg, out);
        break;
    case BLOCK_STACK:
        layout_stack_boxes(ctx, b, out);
        break;
    case BLOCK_PAGE_BREAK:
        x = box_list_push(out, BOX_PAGE_BREAK, 0);
        if (b->page) /* what follows is laid out for the new pages */
            ctx->page = x->page = layout_break_geometry(ctx, b->page);
        break;
    case BLOCK_BOOKMARK:
        x = box_list_push(out, BOX_MARK, 0);
        x->bookmark = b->bookmark;
        x->bookmark_level = b->bookmark_level;
        break;
    }
}

static void layout_blocks_to_boxes(layout_ctx *ctx, block_list *blocks, box_list *out)
{
    int keep_next = 0;
    size_t marks = 0; /* the first of the bookmarks just before this block */
    for (size_t i = 0; i < blocks->n; i++) {
        const block *b = &blocks->items[i];
        size_t first_box = out->n;
        layout_block_to_boxes(ctx, &blocks->items[i], out);
        if (keep_next && out->n > first_box)
            out->items[first_box].keep_with_previous = 1;
        /* a bookmark goes to the page of what it marks, and so along with
         * it when that keeps with what is before (合计 under its table) */
        if (b->kind != BLOCK_BOOKMARK && b->keep_with_previous)
            for (size_t k = marks; k < first_box; k++)
                out->items[k].keep_with_previous = 1;
        if (b->kind != BLOCK_BOOKMARK)
            marks = out->n;
        keep_next = b->keep_with_next || b->kind == BLOCK_BOOKMARK;
    }
}

static char *layout_page_number_text(const char *format, size_t n, size_t total)
{
    char *s = xstrdup(format);
    const char *keys[2] = {"{n}", "{total}"};
    size_t values[2] = {n, total};
    for (int k = 0; k < 2; k++) {
        char *at;
        while ((at = strstr(s, keys[k])) != NULL) {
            char *t = xasprintf("%.*s%zu%s", (int)(at - s), s, values[k], at + strlen(keys[k]));
            free(s);
            s = t;
        }
    }
    return s;
}

static double layout_first_ink_top(const glyph_run *r)
{
    uint32_t *cps = NULL;
    size_t bad;
    long n = utf8_decode(r->text, strlen(r->text), &cps, &bad);
    double top = n > 0 ? font_ink_top(r->face, cps[0], r->size) : 0.7 * r->size;
    free(cps);
    return top;
}

/* "— 1 —": the top of the first character's ink `below` the type area,
 * `inset` in from the outside edge (right on odd pages, left on even). */
static void layout_add_page_number(layout_ctx *ctx, const page_number_spec *spec, size_t n,
                                   size_t total, laid_page *page)
{
    const page_geometry *pg = ctx->page;
    block_list blocks = {0};
    block *para = block_list_push(&blocks, BLOCK_PARA);
    char *text = layout_page_number_text(spec->format, n, total);
    block_add_run(para, RUN_TEXT, text, &spec->style, NULL);
    free(text);
    para->leading = spec->style.size;
    double w = para_natural_width(ctx, para);
    align al = n % 2 ? spec->odd : spec->even;
    double x = pg->left + spec->inset;
    if (al == ALIGN_RIGHT)
        x = pg->left + pg->area_width - spec->inset - w;
    else if (al == ALIGN_CENTER)
        x = pg->left + (pg->area_width - w) / 2;
    box_list line = {0};
    para_line_at(ctx, para, x, &line);
    if (line.n && line.items[0].nruns) {
        box *b = &line.items[0];
        double baseline =
            pg->top + pg->area_height + spec->below + layout_first_ink_top(&b->runs[0]);
        for (size_t i = 0; i < b->nruns; i++)
            laid_page_add_run(page, &b->runs[i], b->runs[i].text)->y = pg->height - baseline;
    }
    box_list_free(&line);
    block_list_free(&blocks);
}

/* Which way a page is turned.  10.1 turns the table's head (its top)
 * toward the binding edge (订口) on odd pages and toward the outer edge
 * (切口) on even ones.  A recto (odd) is bound along its left edge; a
 * verso (even) along its right, so its outer edge is its left one: on
 * both, the head is at the sheet's left edge, and the reader turns the
 * bound document a quarter clockwise to read every turned table alike.
 * So the landscape page's top (y = its height H) goes to the sheet's left
 * (x = 0) and its left (x = 0) to the sheet's bottom: sheet x = H - y,
 * sheet y = x, the matrix [0 1 -1 0 H 0]; its lines run up the sheet.  As
 * its geometry is the document's turned (layout_turned_geometry), its
 * type area lands on the document's: the landscape top margin (28 mm) is
 * the sheet's left, its left margin (35 mm) the sheet's bottom one.  The
 * page number, added after, stays upright where the document's are; an
 * outline entry on the page points at the sheet's top. */
static void layout_turn_page(laid_page *pg, size_t index, const page_geometry *doc,
                             layout_result *out)
{
    pg->turn = (page_turn){1, doc->width, doc->height, pg->geometry.height, 0, pg->nruns};
    for (size_t k = 0; k < out->noutline; k++)
        if (out->outline[k].page == index)
            out->outline[k].y = doc->height;
}

int layout_document(document *doc, const font_set *fonts, layout_result *out,
                    diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->width = doc->page.width;
    out->height = doc->page.height;
    layout_ctx ctx = {.fonts = fonts,
                      .page = &doc->page,
                      .doc_page = &doc->page,
                      .diags = diags,
                      .duplex = doc->duplex,
                      .unnumbered_from = SIZE_MAX};
    ctx.turned_page = layout_turned_geometry(&doc->page);
    box_list flow = {0}, foot = {0};
    layout_blocks_to_boxes(&ctx, &doc->flow, &flow);
    ctx.page = &doc->page;
    layout_blocks_to_boxes(&ctx, &doc->foot, &foot);
    pager_paginate_and_land(&ctx, &flow, &foot, out);
    for (size_t i = 0; i < out->npages; i++) {
        rules_merge_page(&out->pages[i]);
        if (layout_page_turned(&out->pages[i].geometry, &doc->page))
            layout_turn_page(&out->pages[i], i, &doc->page, out);
    }
    for (size_t i = 0; doc->page_number.enabled && i < out->npages && i < ctx.unnumbered_from; i++) {
        /* a turned page's number is where the document's pages have theirs */
        ctx.page = out->pages[i].turn.turned ? &doc->page : &out->pages[i].geometry;
        layout_add_page_number(&ctx, &doc->page_number, i + 1, out->npages, &out->pages[i]);
    }
    box_list_free(&flow);
    box_list_free(&foot);
    for (size_t i = 0; i < ctx.ntables; i++)
        box_list_free(&ctx.tables[i].caption);
    free(ctx.tables);
    free(ctx.reported);
    measure_styles_free(&ctx);
    return 0;
}

void layout_result_free(layout_result *result)
{
    for (size_t i = 0; i < result->npages; i++)
        laid_page_release(&result->pages[i]);
    free(result->pages);
    for (size_t i = 0; i < result->noutline; i++)
        free(result->outline[i].title);
    free(result->outline);
    memset(result, 0, sizeof *result);
}
