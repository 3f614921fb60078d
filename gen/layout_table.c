/* Tables: column widths (shares moved to where they save lines), every
 * cell's text wrapped in its column by the rules of body text and between
 * words where it can, rows as boxes the pager can repeat (headers) or
 * split (rows taller than a page). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "util.h"

static double table_cell_natural_width(layout_ctx *ctx, const table_cell *cell)
{
    double w = 0;
    for (size_t k = 0; k < cell->ncontent; k++)
        w = fmax(w, para_natural_width(ctx, &cell->content[k]));
    return w;
}

/* What the share columns' widths are tried against: every row's cells'
 * natural widths in those columns (0: no cell there), and the most lines
 * any other cell of the row takes. */
typedef struct share_fit {
    const table *t;
    size_t *cols; /* the share columns */
    size_t ncols;
    size_t nrows, stride; /* the rows tried: every stride-th of the table */
    double *natural; /* nrows x ncols */
    int *other_lines;
    double pad; /* a cell's text is its column less twice this */
} share_fit;

static int share_cell_lines(double natural, double width)
{
    if (natural <= 0 || width <= 0)
        return 1;
    return (int)ceil((natural - 0.01) / width);
}

/* What a choice of widths costs: first the table's height in lines, each
 * row as tall as its cell of most lines; then, between choices of one
 * height, the lines of the share columns' cells (a company name on two
 * lines rather than three in a row made tall by a long finding).  A
 * cell's lines are estimated as its natural width over its text's, so a
 * field that fits on one line counts one. */
static long long share_cost(const share_fit *f, const double *w)
{
    long long rows = 0, cells = 0;
    for (size_t r = 0; r < f->nrows; r++) {
        int most = f->other_lines[r];
        for (size_t k = 0; k < f->ncols; k++) {
            int n = share_cell_lines(f->natural[r * f->ncols + k], w[f->cols[k]] - 2 * f->pad);
            most = n > most ? n : most;
            cells += n;
        }
        rows += most;
    }
    return (rows << 24) + cells;
}

static void share_fit_measure(layout_ctx *ctx, share_fit *f, const double *w, double *step)
{
    const table *t = f->t;
    for (size_t r = 0; r < f->nrows; r++) {
        const table_row *row = &t->rows[r * f->stride];
        size_t c = 0;
        for (size_t k = 0; k < row->ncells && c < t->ncolumns; k++) {
            const table_cell *cell = &row->cells[k];
            if (cell->span == 1) {
                double nat = table_cell_natural_width(ctx, cell);
                size_t j = 0;
                while (j < f->ncols && f->cols[j] != c)
                    j++;
                if (j < f->ncols)
                    f->natural[r * f->ncols + j] = nat;
                else if (share_cell_lines(nat, w[c] - 2 * f->pad) > f->other_lines[r])
                    f->other_lines[r] = share_cell_lines(nat, w[c] - 2 * f->pad);
                if (*step == 0 && cell->ncontent && cell->content[0].nruns) {
                    const text_style *st = &cell->content[0].runs[0].style;
                    *step = st->pitch > 0 ? st->pitch : st->size;
                }
            }
            c += (size_t)cell->span;
        }
    }
}

/* The share columns start from the template's weights; then width moves
 * from one to another, a character's width at a time, while that makes
 * the table fewer lines (share_cost): a short field (a company name, a
 * certificate type) that a share leaves a character short of one line
 * gets that character from a column of long text, which hardly grows.
 * No column goes below two thirds of its share.  A long table is judged
 * by SHARE_ROWS_TRIED of its rows, evenly spaced (the 38,000-row summary
 * by every 38th): measuring every cell once more and trying a few dozen
 * widths on all of them cost as much as the segmenting of its cells. */
#define SHARE_ROWS_TRIED 1000

static void table_rebalance_shares(layout_ctx *ctx, const table *t, double *w)
{
    share_fit f = {t, xcalloc(t->ncolumns + 1, sizeof(size_t)), 0, 0, 1, NULL, NULL, t->pad_x};
    for (size_t c = 0; c < t->ncolumns; c++)
        if (t->columns[c].kind == COLUMN_SHARE && w[c] > 0)
            f.cols[f.ncols++] = c;
    if (f.ncols < 2 || t->nrows == 0) {
        free(f.cols);
        return;
    }
    f.stride = (t->nrows + SHARE_ROWS_TRIED - 1) / SHARE_ROWS_TRIED;
    f.nrows = (t->nrows + f.stride - 1) / f.stride;
    f.natural = xcalloc(f.nrows * f.ncols, sizeof *f.natural);
    f.other_lines = xcalloc(f.nrows, sizeof *f.other_lines);
    double step = 0, *floor_w = xcalloc(t->ncolumns, sizeof *floor_w);
    share_fit_measure(ctx, &f, w, &step);
    for (size_t k = 0; k < f.ncols; k++)
        floor_w[f.cols[k]] = w[f.cols[k]] * 2 / 3;
    long long best = share_cost(&f, w);
    for (int round = 0; step > 0 && round < 200; round++) {
        size_t from = 0, to = 0;
        long long gain = 0;
        for (size_t a = 0; a < f.ncols; a++)
            for (size_t b = 0; b < f.ncols; b++) {
                size_t ca = f.cols[a], cb = f.cols[b];
                if (a == b || w[ca] - step < floor_w[ca])
                    continue;
                w[ca] -= step, w[cb] += step;
                long long n = share_cost(&f, w);
                w[ca] += step, w[cb] -= step;
                if (best - n > gain)
                    gain = best - n, from = ca, to = cb;
            }
        if (gain == 0)
            break;
        w[from] -= step, w[to] += step, best -= gain;
    }
    free(floor_w);
    free(f.natural);
    free(f.other_lines);
    free(f.cols);
}

/* Fitted columns take their widest single-column cell (within their
 * limits); shares divide what fixed and fitted ones leave. */
static double *table_column_widths(layout_ctx *ctx, const table *t, double measure)
{
    double *w = xcalloc(t->ncolumns + 1, sizeof *w), used = 0, shares = 0;
    for (size_t c = 0; c < t->ncolumns; c++) {
        const table_column *col = &t->columns[c];
        if (col->kind == COLUMN_FIXED)
            w[c] = col->value;
        else if (col->kind == COLUMN_SHARE)
            shares += col->value;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        size_t c = 0;
        for (size_t k = 0; k < t->rows[r].ncells && c < t->ncolumns; k++) {
            const table_cell *cell = &t->rows[r].cells[k];
            if (cell->span == 1 && t->columns[c].kind == COLUMN_FIT)
                w[c] = fmax(w[c], table_cell_natural_width(ctx, cell) + 2 * t->pad_x + 0.01);
            c += (size_t)cell->span;
        }
    }
    for (size_t c = 0; c < t->ncolumns; c++) {
        const table_column *col = &t->columns[c];
        if (col->kind == COLUMN_FIT)
            w[c] = fmin(fmax(w[c], col->min), col->max > 0 ? col->max : measure);
        used += w[c];
    }
    double rest = measure - used;
    for (size_t c = 0; c < t->ncolumns; c++)
        if (t->columns[c].kind == COLUMN_SHARE)
            w[c] = rest > 0 && shares > 0 ? rest * t->columns[c].value / shares : 0;
    table_rebalance_shares(ctx, t, w);
    return w;
}

static row_box *table_lay_out_row(layout_ctx *ctx, const table *t, const table_row *r,
                                  const double *xs)
{
    row_box *rb = xcalloc(1, sizeof *rb);
    rb->cells = xcalloc(r->ncells + 1, sizeof *rb->cells);
    rb->pad_y = t->pad_y;
    rb->rule = t->rule;
    rb->header = r->header;
    rb->fill_rest = r->fill_rest;
    size_t col = 0;
    for (size_t k = 0; k < r->ncells && col < t->ncolumns; k++) {
        const table_cell *cell = &r->cells[k];
        size_t end = col + (size_t)cell->span;
        if (end > t->ncolumns)
            end = t->ncolumns;
        row_cell *rc = &rb->cells[rb->ncells++];
        rc->x1 = xs[col];
        rc->x2 = xs[end];
        rc->valign = cell->valign;
        for (size_t p = 0; p < cell->ncontent; p++)
            para_cell_to_boxes(ctx, &cell->content[p], rc->x1 + t->pad_x,
                               rc->x2 - rc->x1 - 2 * t->pad_x, &rc->lines);
        for (size_t l = 0; l < rc->lines.n; l++)
            rc->content_height += rc->lines.items[l].height;
        rb->inner = fmax(rb->inner, rc->content_height);
        col = end;
    }
    rb->inner = fmax(rb->inner, r->min_height - 2 * t->pad_y);
    return rb;
}

static size_t table_register(layout_ctx *ctx, const table *t)
{
    GROW(ctx->tables, ctx->ntables, ctx->tables_cap);
    table_info *info = &ctx->tables[ctx->ntables];
    memset(info, 0, sizeof *info);
    if (t->continued)
        para_to_boxes(ctx, t->continued, ctx->page->left, ctx->page->area_width, &info->caption);
    return ctx->ntables++;
}

void table_to_boxes(layout_ctx *ctx, block *b, box_list *out)
{
    table *t = b->table;
    if (!t || t->ncolumns == 0)
        return;
    size_t id = table_register(ctx, t);
    double measure = ctx->page->area_width - b->left - b->right;
    double *w = table_column_widths(ctx, t, measure);
    double *xs = xcalloc(t->ncolumns + 1, sizeof *xs);
    xs[0] = ctx->page->left + b->left;
    for (size_t c = 0; c < t->ncolumns; c++)
        xs[c + 1] = xs[c] + w[c];
    int seen_body = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        table_row *row = &t->rows[r];
        row_box *rb = table_lay_out_row(ctx, t, row, xs);
        table_row_free_cells(row);
        rb->table = id;
        box *x = box_list_push(out, BOX_ROW, rb->inner + 2 * t->pad_y);
        x->row = rb;
        table_info *info = &ctx->tables[id];
        if (row->header && !seen_body) {
            if (info->nheaders++ == 0)
                info->first_header = out->n - 1;
            /* header rows keep together, and with the table's caption */
            x->keep_with_previous = info->nheaders > 1 || b->keep_with_previous;
        } else {
            /* the header never stands alone at the foot of a page */
            /* a table without a header (合计) keeps its first row with
             * what is before it when asked */
            x->keep_with_previous = (!seen_body && info->nheaders > 0) ||
                                    (r > 0 && t->rows[r - 1].keep_with_next) ||
                                    (r == 0 && b->keep_with_previous);
            seen_body = 1;
            rb->header = 0;
        }
    }
    free(w);
    free(xs);
}
