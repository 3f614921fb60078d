/* Boxes to pages: the flow from the top of the first page, the foot (版记)
 * at the bottom of the last, page numbers on every page. */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "text.h"
#include "util.h"

#define EPS 0.01

static void rule_box(const block *b, const page_geometry *pg, box_list *out)
{
    box *x = box_list_push(out, BOX_RULE, b->space_before + b->thickness + b->space_after);
    x->keep_with_previous = b->keep_with_previous;
    x->rule.x1 = pg->left + b->left;
    x->rule.x2 = pg->left + pg->area_width - b->right;
    x->rule.y = b->space_before + b->thickness / 2;
    x->rule.thickness = b->thickness;
    x->rule.color = b->color;
}

/* A signature and its date: the group sits against the right indent (or
 * the left, or centred); each line is shifted inside it by its `first`. */
static void stack_boxes(layout_ctx *ctx, const block *b, box_list *out)
{
    const page_geometry *pg = ctx->page;
    double *w = xcalloc(b->nlines + 1, sizeof *w), group = 0;
    for (size_t i = 0; i < b->nlines; i++) {
        w[i] = para_natural_width(ctx, &b->lines[i]);
        group = fmax(group, w[i] + (b->centre_lines ? 0 : b->lines[i].first));
    }
    double left = pg->left + b->left;
    if (b->align == ALIGN_RIGHT)
        left = pg->left + pg->area_width - b->right - group;
    else if (b->align == ALIGN_CENTER)
        left = pg->left + (pg->area_width - group) / 2;
    for (size_t i = 0; i < b->nlines; i++) {
        double x = b->centre_lines ? left + (group - w[i]) / 2 : left + b->lines[i].first;
        size_t first_box = out->n;
        para_line_at(ctx, &b->lines[i], x, out);
        if (out->n > first_box)
            out->items[first_box].keep_with_previous = i > 0 || b->keep_with_previous;
    }
    free(w);
}

static void blocks_to_boxes(layout_ctx *ctx, const block_list *blocks, box_list *out)
{
    const page_geometry *pg = ctx->page;
    int keep_next = 0;
    for (size_t i = 0; i < blocks->n; i++) {
        const block *b = &blocks->items[i];
        size_t first_box = out->n;
        switch (b->kind) {
        case BLOCK_PARA:
            para_to_boxes(ctx, b, pg->left, pg->area_width, out);
            break;
        case BLOCK_SPACE:
            box_list_push(out, BOX_SPACE, b->height)->keep_with_previous = b->keep_with_previous;
            break;
        case BLOCK_RULE:
            rule_box(b, pg, out);
            break;
        case BLOCK_STACK:
            stack_boxes(ctx, b, out);
            break;
        case BLOCK_PAGE_BREAK:
            box_list_push(out, BOX_PAGE_BREAK, 0);
            break;
        }
        if (keep_next && out->n > first_box)
            out->items[first_box].keep_with_previous = 1;
        keep_next = b->keep_with_next;
    }
}

/* Where each box of the flow goes: page number and offset from the top of
 * the type area; -1 for a box dropped (a space at the top of a page). */
typedef struct placement {
    long *page;
    double *y;
    size_t npages;
    double end_y; /* where the flow ends on its last page */
} placement;

/* The first box of the next page when box i does not fit: a box that must
 * not begin a page takes the line before it along (and the spaces between). */
static size_t carry_back(const box_list *boxes, size_t i, size_t page_first)
{
    size_t bp = i;
    while (bp > page_first && boxes->items[bp].keep_with_previous) {
        bp--;
        while (bp > page_first && boxes->items[bp].kind == BOX_SPACE)
            bp--;
    }
    return bp > page_first ? bp : i;
}

static placement paginate(const box_list *boxes, double area_height)
{
    placement p = {xmalloc((boxes->n + 1) * sizeof *p.page), xmalloc((boxes->n + 1) * sizeof *p.y),
                   1, 0};
    double cursor = 0;
    size_t page_first = 0;
    for (size_t i = 0; i < boxes->n; i++) {
        const box *b = &boxes->items[i];
        p.page[i] = -1;
        if (b->kind == BOX_PAGE_BREAK) {
            p.npages++, cursor = 0, page_first = i + 1;
            continue;
        }
        if (cursor + b->height > area_height + EPS && cursor > 0) {
            size_t bp = carry_back(boxes, i, page_first);
            for (size_t k = bp; k < i; k++)
                p.page[k] = -1;
            p.npages++, cursor = 0, page_first = i = bp;
            b = &boxes->items[i];
        }
        if (b->kind == BOX_SPACE && cursor == 0 && p.npages > 1)
            continue;
        p.page[i] = (long)p.npages - 1;
        p.y[i] = cursor;
        cursor += b->height;
    }
    p.end_y = cursor;
    return p;
}

static laid_page *page_at(layout_result *out, size_t index)
{
    while (out->npages <= index) {
        GROW(out->pages, out->npages, out->pages_cap);
        memset(&out->pages[out->npages++], 0, sizeof *out->pages);
    }
    return &out->pages[index];
}

/* Move a box onto its page: its runs are handed over, y becomes PDF's. */
static void land_box(box *b, laid_page *pg, double top)
{
    for (size_t j = 0; j < b->nruns; j++) {
        GROW(pg->runs, pg->nruns, pg->runs_cap);
        glyph_run *r = &pg->runs[pg->nruns++];
        *r = b->runs[j];
        r->y = top - b->runs[j].y;
        b->runs[j].text = NULL;
    }
    if (b->kind == BOX_RULE) {
        GROW(pg->rules, pg->nrules, pg->rules_cap);
        rule_line *r = &pg->rules[pg->nrules++];
        *r = b->rule;
        r->y = top - b->rule.y;
    }
}

static double boxes_height(const box_list *boxes)
{
    double h = 0;
    for (size_t i = 0; i < boxes->n; i++)
        h += boxes->items[i].height;
    return h;
}

/* 版记 (colophon): its last rule on the bottom edge of the type area of
 * the last page; on a page of its own when the flow leaves no room. */
static void land_foot(box_list *foot, const placement *p, layout_result *out,
                      const page_geometry *pg)
{
    if (foot->n == 0)
        return;
    double h = boxes_height(foot);
    size_t page = p->npages - 1;
    if (p->end_y + h > pg->area_height + EPS && p->end_y > 0)
        page++;
    double y = pg->top + pg->area_height - h;
    for (size_t i = 0; i < foot->n; i++) {
        land_box(&foot->items[i], page_at(out, page), pg->height - y);
        y += foot->items[i].height;
    }
}

static char *page_number_text(const char *format, size_t n)
{
    const char *at = strstr(format, "{n}");
    if (!at)
        return xstrdup(format);
    return xasprintf("%.*s%zu%s", (int)(at - format), format, n, at + 3);
}

/* "— 1 —": the top of the dashes `below` under the type area, `inset` in
 * from the outside edge (right on odd pages, left on even ones). */
static void add_page_number(layout_ctx *ctx, const page_number_spec *spec, size_t n,
                            laid_page *page)
{
    const page_geometry *pg = ctx->page;
    block para = {0};
    char *text = page_number_text(spec->format, n);
    block_add_run(&para, RUN_TEXT, text, &spec->style, NULL);
    para.leading = spec->style.size;
    double w = para_natural_width(ctx, &para);
    align al = n % 2 ? spec->odd : spec->even;
    double x = pg->left + spec->inset;
    if (al == ALIGN_RIGHT)
        x = pg->left + pg->area_width - spec->inset - w;
    else if (al == ALIGN_CENTER)
        x = pg->left + (pg->area_width - w) / 2;
    uint32_t *cps = NULL;
    size_t bad;
    double ink_top = spec->style.size * 0.88;
    if (utf8_decode(text, strlen(text), &cps, &bad) > 0) {
        font_face *f = font_for_char(ctx->fonts, spec->style.role, cps[0]);
        if (f)
            ink_top = font_ink_top(f, cps[0], spec->style.size);
    }
    free(cps);
    box_list tmp = {0};
    para_line_at(ctx, &para, x, &tmp);
    if (tmp.n) {
        double baseline = pg->top + pg->area_height + spec->below + ink_top;
        land_box(&tmp.items[0], page, pg->height - (baseline - tmp.items[0].runs[0].y));
    }
    box_list_free(&tmp);
    free(text);
    free(para.runs[0].text);
    free(para.runs[0].style.role);
    free(para.runs);
}

int layout_document(const document *doc, const font_set *fonts, layout_result *out,
                    diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->width = doc->page.width;
    out->height = doc->page.height;
    layout_ctx ctx = {fonts, &doc->page, diags, NULL, 0, 0};
    box_list flow = {0}, foot = {0};
    blocks_to_boxes(&ctx, &doc->flow, &flow);
    blocks_to_boxes(&ctx, &doc->foot, &foot);
    placement p = paginate(&flow, doc->page.area_height);
    page_at(out, p.npages - 1);
    for (size_t i = 0; i < flow.n; i++)
        if (p.page[i] >= 0)
            land_box(&flow.items[i], page_at(out, (size_t)p.page[i]),
                     doc->page.height - doc->page.top - p.y[i]);
    land_foot(&foot, &p, out, &doc->page);
    if (doc->page_number.enabled)
        for (size_t i = 0; i < out->npages; i++)
            add_page_number(&ctx, &doc->page_number, i + 1, &out->pages[i]);
    free(p.page);
    free(p.y);
    box_list_free(&flow);
    box_list_free(&foot);
    free(ctx.reported);
    return 0;
}

void layout_result_free(layout_result *result)
{
    for (size_t i = 0; i < result->npages; i++) {
        laid_page *pg = &result->pages[i];
        for (size_t j = 0; j < pg->nruns; j++)
            free(pg->runs[j].text);
        free(pg->runs);
        free(pg->rules);
    }
    free(result->pages);
    memset(result, 0, sizeof *result);
}
