/* Boxes onto pages: the flow from the top of the first page, tables'
 * header rows repeated where a table runs onto a new page (with 续表 above
 * them), rows taller than a page split between lines, a row that fills the
 * rest of its page, and the foot (版记) at the bottom of the last page. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "util.h"

#define EPS 0.01

/* What of a box a placement draws: `height` tall, and of a row the part
 * [from, to) of its text area (whole: the row at once, its cells'
 * contents aligned in it; a whole box that is no row: 0, 0). */
typedef struct row_part {
    double height;
    double from, to;
    int whole;
} row_part;

/* ---- landing: boxes (or parts of rows) drawn onto a page ---- */

static laid_page *pager_page_at(layout_result *out, size_t index)
{
    while (out->npages <= index) {
        GROW(out->pages, out->npages, out->pages_cap);
        memset(&out->pages[out->npages++], 0, sizeof *out->pages);
    }
    return &out->pages[index];
}

/* Put a box's runs and rules onto the page, its top at `top` (PDF y);
 * the texts are copied into the page's own. */
static void pager_land_content(const box *b, laid_page *pg, double top)
{
    for (size_t j = 0; j < b->nruns; j++)
        laid_page_add_run(pg, &b->runs[j], b->runs[j].text)->y = top - b->runs[j].y;
    if (b->image.path) /* y: its lower edge */
        laid_page_add_image(pg, &b->image)->y = top - b->image.y - b->image.height;
    for (size_t j = 0; j < b->nrules; j++) {
        rule_line *r = laid_page_add_rule(pg, &b->rules[j]);
        r->y1 = top - b->rules[j].y1;
        r->y2 = top - b->rules[j].y2;
    }
}

static void pager_add_rule(laid_page *pg, double x1, double y1, double x2, double y2, double t)
{
    laid_page_add_rule(pg, &(rule_line){x1, y1, x2, y2, t, 0});
}

/* The part [part->from, part->to) of a row's text area, drawn
 * part->height tall from `top`: every cell's frame, and the lines that
 * fall in the part. */
static void pager_land_row(const row_box *row, const row_part *part, laid_page *pg, double top)
{
    double from = part->from, to = part->to, height = part->height;
    double bottom = top - height, left = row->cells[0].x1, right = row->cells[row->ncells - 1].x2;
    pager_add_rule(pg, left, top, right, top, row->rule);
    pager_add_rule(pg, left, bottom, right, bottom, row->rule);
    for (size_t c = 0; c < row->ncells; c++) {
        const row_cell *cell = &row->cells[c];
        pager_add_rule(pg, cell->x1, top, cell->x1, bottom, row->rule);
        double spare = part->whole ? height - 2 * row->pad_y - cell->content_height : 0;
        double shift = cell->valign == VALIGN_MIDDLE   ? spare / 2
                       : cell->valign == VALIGN_BOTTOM ? spare
                                                       : 0;
        double y = 0;
        for (size_t k = 0; k < cell->lines.n; k++) {
            const box *line = &cell->lines.items[k];
            if (y >= from - EPS && y + line->height <= to + EPS)
                pager_land_content(line, pg, top - row->pad_y - shift - (y - from));
            y += line->height;
        }
    }
    pager_add_rule(pg, right, top, right, bottom, row->rule);
}

/* Where the text of a row may be cut between `from` and `limit` (offsets
 * into its text area) without cutting a line of any cell: the lowest such
 * offset, or `from` when not even one line fits. */
static double pager_row_cut(const row_box *row, double from, double limit)
{
    double cut = limit;
    for (int moved = 1; moved;) {
        moved = 0;
        for (size_t c = 0; c < row->ncells; c++) {
            double y = 0;
            const box_list *lines = &row->cells[c].lines;
            for (size_t k = 0; k < lines->n; k++) {
                double h = lines->items[k].height;
                if (y < cut - EPS && y + h > cut + EPS) { /* this line straddles the cut */
                    cut = y;
                    moved = 1;
                }
                y += h;
            }
        }
    }
    return cut > from + EPS ? cut : from;
}

/* ---- pagination: a plan of placements first, landed at the end, so
 * that keeping a line with what follows can take back what was placed ---- */

typedef struct placement {
    box *b;
    const page_geometry *geom; /* of the page it lands on */
    size_t flow_index; /* NO_INDEX for repeated headers and captions */
    size_t page;
    double y;          /* top, down from the top of the type area */
    row_part part;     /* its height, and of a row the part of its text area */
} placement;

#define NO_INDEX ((size_t)-1)

typedef struct pager {
    layout_ctx *ctx;
    box_list *flow;
    placement *plan;
    size_t nplan, plan_cap;
    size_t page;
    const page_geometry *geom; /* this page's */
    const page_geometry **geoms; /* every page's */
    size_t geoms_cap;
    double cursor;     /* down from the top of the type area */
    double area;       /* its height */
    size_t page_first; /* index of the first flow box on this page */
    size_t last_split; /* the last row split across pages, or NO_INDEX */
} pager;

/* index: the box's in the flow, or NO_INDEX */
static void pager_plan(pager *p, box *b, size_t index, row_part part)
{
    GROW(p->plan, p->nplan, p->plan_cap);
    p->plan[p->nplan++] = (placement){b, p->geom, index, p->page, p->cursor, part};
    p->cursor += part.height;
}

/* A box placed whole, `height` tall. */
static void pager_place(pager *p, box *b, size_t index, double height)
{
    pager_plan(p, b, index, (row_part){height, 0, b->row ? b->row->inner : 0, 1});
}

static double pager_table_header_height(const pager *p, size_t table)
{
    const table_info *t = &p->ctx->tables[table];
    double h = 0;
    for (size_t i = 0; i < t->nheaders; i++)
        h += p->flow->items[t->first_header + i].height;
    for (size_t i = 0; i < t->caption.n; i++)
        h += t->caption.items[i].height;
    return h;
}

/* A new page; when a table runs onto it, its caption (续表) and header
 * rows go first. */
static void pager_new_page(pager *p, const box *next)
{
    p->page++;
    p->cursor = 0;
    p->area = p->geom->area_height;
    size_t n = p->page;
    GROW(p->geoms, n, p->geoms_cap);
    p->geoms[p->page] = p->geom;
    if (!next || next->kind != BOX_ROW || next->row->header)
        return;
    table_info *t = &p->ctx->tables[next->row->table];
    for (size_t i = 0; i < t->caption.n; i++)
        pager_place(p, &t->caption.items[i], NO_INDEX, t->caption.items[i].height);
    for (size_t i = 0; i < t->nheaders; i++) {
        box *h = &p->flow->items[t->first_header + i];
        pager_place(p, h, NO_INDEX, h->height);
    }
}

/* The first box of the next page when box i does not fit: a box that must
 * not begin a page takes the line before it along (and the spaces between).
 * A space that does not fit is dropped at the break: what follows it asks
 * (填表人 under the 合计, with 4 mm between). */
static size_t pager_carry_back(const box_list *boxes, size_t i, size_t page_first)
{
    size_t next = i;
    while (next + 1 < boxes->n && boxes->items[next].kind == BOX_SPACE &&
           !boxes->items[next].keep_with_previous)
        next++;
    if (next != i && boxes->items[next].kind != BOX_PAGE_BREAK &&
        boxes->items[next].keep_with_previous) {
        size_t bp = pager_carry_back(boxes, next, page_first);
        return bp != next ? bp : i;
    }
    size_t bp = i;
    while (bp > page_first && boxes->items[bp].keep_with_previous) {
        bp--;
        while (bp > page_first && boxes->items[bp].kind == BOX_SPACE)
            bp--;
    }
    return bp > page_first ? bp : i;
}

/* Take back the placements of flow boxes from `first` on. */
static void pager_unplan_from(pager *p, size_t first)
{
    while (p->nplan > 0) {
        const placement *last = &p->plan[p->nplan - 1];
        if (last->flow_index == NO_INDEX || last->flow_index < first)
            break;
        p->cursor = last->y;
        p->nplan--;
    }
}

/* The height of what follows box i up to the next page break. */
static double pager_height_after(const pager *p, size_t i)
{
    double after = 0;
    for (size_t k = i + 1; k < p->flow->n && p->flow->items[k].kind != BOX_PAGE_BREAK; k++)
        after += p->flow->items[k].height;
    return after;
}

/* A row that fills the rest of the page leaves room for what follows it,
 * if that all fits after it. */
static double pager_fill_height(const pager *p, size_t i)
{
    const box *b = &p->flow->items[i];
    double room = p->area - p->cursor - pager_height_after(p, i);
    return room > b->height ? room : b->height;
}

static double pager_box_height_here(const pager *p, size_t i)
{
    const box *b = &p->flow->items[i];
    return b->kind == BOX_ROW && b->row->fill_rest ? pager_fill_height(p, i) : b->height;
}

/* The last part of a split row: when what follows must not begin a page
 * (填表人 under the form) and will not fit under it, the row's last line
 * goes to the next page with it. */
static double pager_leave_last_line(const pager *p, size_t index, double from, double to)
{
    const row_box *row = p->flow->items[index].row;
    size_t k = index + 1;
    double between = 0; /* spaces between the row and what is kept with it */
    while (k < p->flow->n && p->flow->items[k].kind == BOX_SPACE)
        between += p->flow->items[k++].height;
    const box *next = k < p->flow->n ? &p->flow->items[k] : NULL;
    if (to < row->inner - EPS || !next || !next->keep_with_previous)
        return to;
    double bottom = p->cursor + (to - from) + 2 * row->pad_y;
    if (bottom + between + next->height <= p->area + EPS)
        return to;
    double earlier = pager_row_cut(row, from, to - 2 * EPS);
    return earlier > from + EPS ? earlier : to;
}

/* A row taller than what a page holds: as much as fits here, the rest on
 * the following pages, each part framed. */
static void pager_place_split_row(pager *p, size_t index)
{
    box *b = &p->flow->items[index];
    const row_box *row = b->row;
    double from = 0;
    while (from < row->inner - EPS) {
        double room = p->area - p->cursor - 2 * row->pad_y;
        double to = pager_row_cut(row, from, fmin(row->inner, from + room));
        if (to <= from + EPS && p->cursor > pager_table_header_height(p, row->table) + EPS) {
            pager_new_page(p, b);
            continue;
        }
        if (to <= from + EPS) /* one line taller than a page: set it anyway */
            to = fmin(row->inner, from + fmax(room, EPS * 10));
        to = pager_leave_last_line(p, index, from, to);
        double h = to - from + 2 * row->pad_y;
        if (row->fill_rest && to >= row->inner - EPS) /* the last part fills the page */
            h = fmax(h, p->area - p->cursor - pager_height_after(p, index));
        pager_plan(p, b, index, (row_part){h, from, to, 0});
        from = to;
        if (from < row->inner - EPS)
            pager_new_page(p, b);
    }
}

static int pager_too_tall_for_any_page(const pager *p, const box *b)
{
    double header = b->row->header ? 0 : pager_table_header_height(p, b->row->table);
    return b->height > p->area - header + EPS;
}

/* A row that does not fit where it is and would not fit on any page: split
 * it here.  Returns 1 when it was. */
static int pager_split_if_too_tall(pager *p, size_t i, double h)
{
    const box *b = &p->flow->items[i];
    if (b->kind != BOX_ROW || h <= p->area - p->cursor + EPS || !pager_too_tall_for_any_page(p, b))
        return 0;
    pager_place_split_row(p, i);
    p->last_split = i;
    return 1;
}

static void pager_paginate_flow(pager *p)
{
    box_list *flow = p->flow;
    for (size_t i = 0; i < flow->n; i++) {
        box *b = &flow->items[i];
        if (b->kind == BOX_PAGE_BREAK) {
            if (b->page)
                p->geom = b->page;
            pager_new_page(p, i + 1 < flow->n ? &flow->items[i + 1] : NULL);
            p->page_first = i + 1;
            continue;
        }
        if (b->kind == BOX_SPACE && p->cursor == 0 && p->page > 0)
            continue;
        double h = pager_box_height_here(p, i);
        if (pager_split_if_too_tall(p, i, h))
            continue;
        if (p->cursor + h > p->area + EPS && p->cursor > 0) {
            /* nothing takes a split row along: it began pages ago */
            size_t first = p->last_split != NO_INDEX && p->last_split + 1 > p->page_first
                               ? p->last_split + 1
                               : p->page_first;
            size_t bp = pager_carry_back(flow, i, first);
            pager_unplan_from(p, bp);
            i = bp;
            b = &flow->items[i];
            pager_new_page(p, b);
            p->page_first = i;
            if (b->kind == BOX_SPACE)
                continue;
            h = pager_box_height_here(p, i);
            if (pager_split_if_too_tall(p, i, h))
                continue;
        }
        pager_place(p, b, i, h);
    }
}

static void pager_add_outline(layout_result *out, const box *mark, size_t page, double y)
{
    GROW(out->outline, out->noutline, out->outline_cap);
    out->outline[out->noutline++] = (outline_entry){xstrdup(mark->bookmark), mark->bookmark_level,
                                                    page, y};
}

/* Whether plan[i] is its box's last placement: the parts of a split row
 * are apart only by what is not of the flow (the header rows repeated). */
static int pager_last_placement(const pager *p, size_t i)
{
    for (size_t k = i + 1; k < p->nplan; k++)
        if (p->plan[k].flow_index != NO_INDEX)
            return p->plan[k].flow_index != p->plan[i].flow_index;
    return 1;
}

/* Every page's arrays allocated once, at the size the plan gives them (a
 * split row's part counted whole), and a few runs more for its number:
 * grown run by run, a table's 4,000 pages left a heap of holes behind.
 * Counted here for all pages, allocated as landing reaches each page, so
 * that a page can take the room of the boxes landed before it. */
typedef struct page_sizes {
    size_t *runs, *rules, *text;
} page_sizes;

static void pager_count_box(const box *b, page_sizes *z, size_t pg)
{
    z->runs[pg] += b->nruns;
    z->rules[pg] += b->nrules;
    for (size_t j = 0; j < b->nruns; j++)
        z->text[pg] += strlen(b->runs[j].text) + 1;
}

static page_sizes pager_count_page_sizes(const pager *p, size_t npages)
{
    page_sizes z = {xcalloc(npages + 1, sizeof *z.runs), xcalloc(npages + 1, sizeof *z.rules),
                    xcalloc(npages + 1, sizeof *z.text)};
    for (size_t i = 0; i < p->nplan; i++) {
        const box *b = p->plan[i].b;
        size_t pg = p->plan[i].page;
        pager_count_box(b, &z, pg);
        if (b->kind != BOX_ROW)
            continue;
        z.rules[pg] += b->row->ncells + 3;
        for (size_t c = 0; c < b->row->ncells; c++)
            for (size_t k = 0; k < b->row->cells[c].lines.n; k++)
                pager_count_box(&b->row->cells[c].lines.items[k], &z, pg);
    }
    return z;
}

static void pager_reserve_page(laid_page *pg, const page_sizes *z, size_t i)
{
    pg->runs_cap = z->runs[i] + 4; /* the page number's */
    pg->runs = xrealloc(pg->runs, pg->runs_cap * sizeof *pg->runs);
    pg->rules_cap = z->rules[i] > 0 ? z->rules[i] : 1;
    pg->rules = xrealloc(pg->rules, pg->rules_cap * sizeof *pg->rules);
    pg->text_cap = z->text[i] + 64; /* and its text */
    pg->text = xrealloc(pg->text, pg->text_cap);
}

/* Land the plan in order.  A box of the flow lands once (a split row once
 * per part, each line in one part): its texts copied into the page's, it
 * is freed after its last placement, so that all a row held is given back
 * in one piece and the pages that follow take its room.  Header rows and
 * captions stay: they land on every page of their table. */
static void pager_land_plan(const pager *p, layout_result *out)
{
    page_sizes sizes = pager_count_page_sizes(p, out->npages);
    size_t reserved = 0; /* pages below this one have their arrays */
    for (size_t i = 0; i < p->nplan; i++) {
        const placement *pl = &p->plan[i];
        laid_page *pg = pager_page_at(out, pl->page);
        for (; reserved <= pl->page; reserved++)
            pager_reserve_page(&out->pages[reserved], &sizes, reserved);
        double top = pl->geom->height - pl->geom->top - pl->y;
        box *b = pl->b;
        int again = pl->flow_index == NO_INDEX || (b->kind == BOX_ROW && b->row->header);
        if (b->kind == BOX_MARK)
            pager_add_outline(out, b, pl->page, top);
        else if (b->kind == BOX_ROW)
            pager_land_row(b->row, &pl->part, pg, top);
        else
            pager_land_content(b, pg, top);
        if (!again && pager_last_placement(p, i))
            box_free_content(b);
    }
    free(sizes.runs);
    free(sizes.rules);
    free(sizes.text);
}

static double pager_boxes_height(const box_list *boxes)
{
    double h = 0;
    for (size_t i = 0; i < boxes->n; i++)
        h += boxes->items[i].height;
    return h;
}

/* Printing on both sides, the 版记 is on the last side of the last sheet
 * (GB/T 9704-2012 7.4: 置于公文最后一面), an even page.  On an odd page
 * with the end of the text, it goes over the leaf, alone; alone on an odd
 * page, a blank page comes before it, and neither it nor the blank page
 * is numbered (7.5: 版记页前有空白页的，空白页和版记页均不编排页码). */
static void pager_foot_on_even_page(pager *p, int alone)
{
    if (!p->ctx->duplex || (p->page + 1) % 2 == 0)
        return;
    pager_new_page(p, NULL);
    if (alone)
        p->ctx->unnumbered_from = p->page - 1;
}

/* 版记 (colophon): its last rule on the bottom edge of the type area of
 * the last page; on a page of its own when the flow leaves no room. */
static void pager_plan_foot(pager *p, box_list *foot)
{
    if (foot->n == 0)
        return;
    double h = pager_boxes_height(foot);
    const page_geometry *own = p->ctx->doc_page;
    int other_paper = memcmp(p->geom, own, sizeof *own) != 0;
    if ((p->cursor + h > p->area + EPS && p->cursor > 0) || other_paper) {
        p->geom = own; /* after a landscape attachment, back on the document's paper */
        pager_new_page(p, NULL);
    }
    pager_foot_on_even_page(p, p->cursor == 0);
    p->cursor = p->area - h;
    for (size_t i = 0; i < foot->n; i++)
        pager_plan(p, &foot->items[i], NO_INDEX, (row_part){foot->items[i].height, 0, 0, 1});
}

void pager_paginate_and_land(layout_ctx *ctx, box_list *flow, box_list *foot, layout_result *out)
{
    pager p = {.ctx = ctx,
               .flow = flow,
               .geom = ctx->page,
               .area = ctx->page->area_height,
               .last_split = NO_INDEX};
    GROW(p.geoms, p.page, p.geoms_cap);
    p.geoms[0] = p.geom;
    pager_paginate_flow(&p);
    pager_plan_foot(&p, foot);
    for (size_t i = 0; i <= p.page; i++)
        pager_page_at(out, i)->geometry = *p.geoms[i];
    pager_land_plan(&p, out);
    free(p.geoms);
    free(p.plan);
}
