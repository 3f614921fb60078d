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

box *box_list_push(box_list *list, box_kind kind, double height)
{
    GROW(list->items, list->n, list->cap);
    box *b = &list->items[list->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->height = height;
    return b;
}

void box_add_rule(box *b, double x1, double y1, double x2, double y2, double thickness,
                  uint32_t color)
{
    b->rules = xrealloc(b->rules, (b->nrules + 1) * sizeof *b->rules);
    b->rules[b->nrules++] = (rule_line){x1, y1, x2, y2, thickness, color};
}

static void row_free(row_box *row)
{
    for (size_t i = 0; i < row->ncells; i++)
        box_list_free(&row->cells[i].lines);
    free(row->cells);
    free(row);
}

static void box_free_content(box *b)
{
    for (size_t j = 0; j < b->nruns; j++)
        free(b->runs[j].text);
    free(b->runs);
    free(b->rules);
    free(b->image.path);
    if (b->row)
        row_free(b->row);
    b->runs = NULL, b->rules = NULL, b->image.path = NULL, b->row = NULL;
    b->nruns = b->nrules = 0;
}

void box_list_free(box_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        box_free_content(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* ---- landing: boxes (or parts of rows) drawn onto a page ---- */

static laid_page *page_at(layout_result *out, size_t index)
{
    while (out->npages <= index) {
        GROW(out->pages, out->npages, out->pages_cap);
        memset(&out->pages[out->npages++], 0, sizeof *out->pages);
    }
    return &out->pages[index];
}

/* Put a box's runs and rules onto the page, its top at `top` (PDF y);
 * the texts are copied into the page's own. */
static void land_content(const box *b, laid_page *pg, double top)
{
    for (size_t j = 0; j < b->nruns; j++)
        laid_page_add_run(pg, &b->runs[j], b->runs[j].text)->y = top - b->runs[j].y;
    if (b->image.path) {
        GROW(pg->images, pg->nimages, pg->images_cap);
        placed_image *img = &pg->images[pg->nimages++];
        *img = b->image;
        img->path = xstrdup(b->image.path);
        img->y = top - b->image.y - b->image.height; /* its lower edge */
    }
    for (size_t j = 0; j < b->nrules; j++) {
        GROW(pg->rules, pg->nrules, pg->rules_cap);
        rule_line *r = &pg->rules[pg->nrules++];
        *r = b->rules[j];
        r->y1 = top - b->rules[j].y1;
        r->y2 = top - b->rules[j].y2;
    }
}

static void add_rule(laid_page *pg, double x1, double y1, double x2, double y2, double t)
{
    GROW(pg->rules, pg->nrules, pg->rules_cap);
    pg->rules[pg->nrules++] = (rule_line){x1, y1, x2, y2, t, 0};
}

/* The part [from, to) of a row's text area, drawn `height` tall from
 * `top`: every cell's frame, and the lines that fall in the part. */
static void land_row(const row_box *row, laid_page *pg, double top, double from, double to,
                     double height, int whole)
{
    double bottom = top - height, left = row->cells[0].x1, right = row->cells[row->ncells - 1].x2;
    add_rule(pg, left, top, right, top, row->rule);
    add_rule(pg, left, bottom, right, bottom, row->rule);
    for (size_t c = 0; c < row->ncells; c++) {
        const row_cell *cell = &row->cells[c];
        add_rule(pg, cell->x1, top, cell->x1, bottom, row->rule);
        double spare = whole ? height - 2 * row->pad_y - cell->content_height : 0;
        double shift = cell->valign == VALIGN_MIDDLE   ? spare / 2
                       : cell->valign == VALIGN_BOTTOM ? spare
                                                       : 0;
        double y = 0;
        for (size_t k = 0; k < cell->lines.n; k++) {
            const box *line = &cell->lines.items[k];
            if (y >= from - EPS && y + line->height <= to + EPS)
                land_content(line, pg, top - row->pad_y - shift - (y - from));
            y += line->height;
        }
    }
    add_rule(pg, right, top, right, bottom, row->rule);
}

double row_cut(const row_box *row, double from, double limit)
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
    double height;
    double from, to;   /* the part of a row's text area; whole rows: 0, inner */
    int whole;
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

static void plan(pager *p, box *b, size_t index, double height, double from, double to,
                 int whole)
{
    GROW(p->plan, p->nplan, p->plan_cap);
    p->plan[p->nplan++] = (placement){b, p->geom, index, p->page, p->cursor, height, from, to, whole};
    p->cursor += height;
}

static void place(pager *p, box *b, size_t index, double height)
{
    plan(p, b, index, height, 0, b->row ? b->row->inner : 0, 1);
}

static double table_header_height(const pager *p, size_t table)
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
static void new_page(pager *p, const box *next)
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
        place(p, &t->caption.items[i], NO_INDEX, t->caption.items[i].height);
    for (size_t i = 0; i < t->nheaders; i++) {
        box *h = &p->flow->items[t->first_header + i];
        place(p, h, NO_INDEX, h->height);
    }
}

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

/* Take back the placements of flow boxes from `first` on. */
static void unplan_from(pager *p, size_t first)
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
static double height_after(const pager *p, size_t i)
{
    double after = 0;
    for (size_t k = i + 1; k < p->flow->n && p->flow->items[k].kind != BOX_PAGE_BREAK; k++)
        after += p->flow->items[k].height;
    return after;
}

/* A row that fills the rest of the page leaves room for what follows it,
 * if that all fits after it. */
static double fill_height(const pager *p, size_t i)
{
    const box *b = &p->flow->items[i];
    double room = p->area - p->cursor - height_after(p, i);
    return room > b->height ? room : b->height;
}

static double box_height_here(const pager *p, size_t i)
{
    const box *b = &p->flow->items[i];
    return b->kind == BOX_ROW && b->row->fill_rest ? fill_height(p, i) : b->height;
}

/* The last part of a split row: when what follows must not begin a page
 * (填表人 under the form) and will not fit under it, the row's last line
 * goes to the next page with it. */
static double leave_last_line(const pager *p, size_t index, double from, double to)
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
    double earlier = row_cut(row, from, to - 2 * EPS);
    return earlier > from + EPS ? earlier : to;
}

/* A row taller than what a page holds: as much as fits here, the rest on
 * the following pages, each part framed. */
static void place_split_row(pager *p, size_t index)
{
    box *b = &p->flow->items[index];
    const row_box *row = b->row;
    double from = 0;
    while (from < row->inner - EPS) {
        double room = p->area - p->cursor - 2 * row->pad_y;
        double to = row_cut(row, from, fmin(row->inner, from + room));
        if (to <= from + EPS && p->cursor > table_header_height(p, row->table) + EPS) {
            new_page(p, b);
            continue;
        }
        if (to <= from + EPS) /* one line taller than a page: set it anyway */
            to = fmin(row->inner, from + fmax(room, EPS * 10));
        to = leave_last_line(p, index, from, to);
        double h = to - from + 2 * row->pad_y;
        if (row->fill_rest && to >= row->inner - EPS) /* the last part fills the page */
            h = fmax(h, p->area - p->cursor - height_after(p, index));
        plan(p, b, index, h, from, to, 0);
        from = to;
        if (from < row->inner - EPS)
            new_page(p, b);
    }
}

static int too_tall_for_any_page(const pager *p, const box *b)
{
    double header = b->row->header ? 0 : table_header_height(p, b->row->table);
    return b->height > p->area - header + EPS;
}

/* A row that does not fit where it is and would not fit on any page: split
 * it here.  Returns 1 when it was. */
static int split_if_too_tall(pager *p, size_t i, double h)
{
    const box *b = &p->flow->items[i];
    if (b->kind != BOX_ROW || h <= p->area - p->cursor + EPS || !too_tall_for_any_page(p, b))
        return 0;
    place_split_row(p, i);
    p->last_split = i;
    return 1;
}

static void paginate_flow(pager *p)
{
    box_list *flow = p->flow;
    for (size_t i = 0; i < flow->n; i++) {
        box *b = &flow->items[i];
        if (b->kind == BOX_PAGE_BREAK) {
            if (b->page)
                p->geom = b->page;
            new_page(p, i + 1 < flow->n ? &flow->items[i + 1] : NULL);
            p->page_first = i + 1;
            continue;
        }
        if (b->kind == BOX_SPACE && p->cursor == 0 && p->page > 0)
            continue;
        double h = box_height_here(p, i);
        if (split_if_too_tall(p, i, h))
            continue;
        if (p->cursor + h > p->area + EPS && p->cursor > 0) {
            /* nothing takes a split row along: it began pages ago */
            size_t first = p->last_split != NO_INDEX && p->last_split + 1 > p->page_first
                               ? p->last_split + 1
                               : p->page_first;
            size_t bp = carry_back(flow, i, first);
            unplan_from(p, bp);
            i = bp;
            b = &flow->items[i];
            new_page(p, b);
            p->page_first = i;
            if (b->kind == BOX_SPACE)
                continue;
            h = box_height_here(p, i);
            if (split_if_too_tall(p, i, h))
                continue;
        }
        place(p, b, i, h);
    }
}

static void add_outline(layout_result *out, const box *mark, size_t page, double y)
{
    GROW(out->outline, out->noutline, out->outline_cap);
    out->outline[out->noutline++] = (outline_entry){xstrdup(mark->bookmark), mark->bookmark_level,
                                                    page, y};
}

/* Whether plan[i] is its box's last placement: the parts of a split row
 * are apart only by what is not of the flow (the header rows repeated). */
static int last_placement(const pager *p, size_t i)
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

static void count_box(const box *b, page_sizes *z, size_t pg)
{
    z->runs[pg] += b->nruns;
    z->rules[pg] += b->nrules;
    for (size_t j = 0; j < b->nruns; j++)
        z->text[pg] += strlen(b->runs[j].text) + 1;
}

static page_sizes count_page_sizes(const pager *p, size_t npages)
{
    page_sizes z = {xcalloc(npages + 1, sizeof *z.runs), xcalloc(npages + 1, sizeof *z.rules),
                    xcalloc(npages + 1, sizeof *z.text)};
    for (size_t i = 0; i < p->nplan; i++) {
        const box *b = p->plan[i].b;
        size_t pg = p->plan[i].page;
        count_box(b, &z, pg);
        if (b->kind != BOX_ROW)
            continue;
        z.rules[pg] += b->row->ncells + 3;
        for (size_t c = 0; c < b->row->ncells; c++)
            for (size_t k = 0; k < b->row->cells[c].lines.n; k++)
                count_box(&b->row->cells[c].lines.items[k], &z, pg);
    }
    return z;
}

static void reserve_page(laid_page *pg, const page_sizes *z, size_t i)
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
static void land_plan(const pager *p, layout_result *out)
{
    page_sizes sizes = count_page_sizes(p, out->npages);
    size_t reserved = 0; /* pages below this one have their arrays */
    for (size_t i = 0; i < p->nplan; i++) {
        const placement *pl = &p->plan[i];
        laid_page *pg = page_at(out, pl->page);
        for (; reserved <= pl->page; reserved++)
            reserve_page(&out->pages[reserved], &sizes, reserved);
        double top = pl->geom->height - pl->geom->top - pl->y;
        box *b = pl->b;
        int again = pl->flow_index == NO_INDEX || (b->kind == BOX_ROW && b->row->header);
        if (b->kind == BOX_MARK)
            add_outline(out, b, pl->page, top);
        else if (b->kind == BOX_ROW)
            land_row(b->row, pg, top, pl->from, pl->to, pl->height, pl->whole);
        else
            land_content(b, pg, top);
        if (!again && last_placement(p, i))
            box_free_content(b);
    }
    free(sizes.runs);
    free(sizes.rules);
    free(sizes.text);
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
static void plan_foot(pager *p, box_list *foot)
{
    if (foot->n == 0)
        return;
    double h = boxes_height(foot);
    const page_geometry *own = p->ctx->doc_page;
    int other_paper = memcmp(p->geom, own, sizeof *own) != 0;
    if ((p->cursor + h > p->area + EPS && p->cursor > 0) || other_paper) {
        p->geom = own; /* after a landscape attachment, back on the document's paper */
        new_page(p, NULL);
    }
    p->cursor = p->area - h;
    for (size_t i = 0; i < foot->n; i++)
        plan(p, &foot->items[i], NO_INDEX, foot->items[i].height, 0, 0, 1);
}

void paginate_and_land(layout_ctx *ctx, box_list *flow, box_list *foot, layout_result *out)
{
    pager p = {.ctx = ctx,
               .flow = flow,
               .geom = ctx->page,
               .area = ctx->page->area_height,
               .last_split = NO_INDEX};
    GROW(p.geoms, p.page, p.geoms_cap);
    p.geoms[0] = p.geom;
    paginate_flow(&p);
    plan_foot(&p, foot);
    for (size_t i = 0; i <= p.page; i++)
        page_at(out, i)->geometry = *p.geoms[i];
    land_plan(&p, out);
    free(p.geoms);
    free(p.plan);
}
