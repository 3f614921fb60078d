#include "blocks.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

block *block_list_push(block_list *list, block_kind kind)
{
    GROW(list->items, list->n, list->cap);
    block *b = &list->items[list->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

run *block_add_run(block *para, run_kind kind, const char *text,
                   const text_style *style, const text_origin *origin)
{
    GROW(para->runs, para->nruns, para->runs_cap);
    run *r = &para->runs[para->nruns++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->text = text ? xstrdup(text) : NULL;
    if (style)
        r->style = *style;
    if (origin) {
        r->origin = *origin;
        r->origin.field = intern_name(origin->field); /* the record goes before layout */
    }
    return r;
}

run *block_add_run_owned(block *para, run_kind kind, char *text,
                         const text_style *style, const text_origin *origin)
{
    run *r = block_add_run(para, kind, NULL, style, origin);
    r->text = text;
    return r;
}

run *block_add_run_borrowed(block *para, run_kind kind, const char *text,
                            const text_style *style, const text_origin *origin)
{
    run *r = block_add_run(para, kind, NULL, style, origin);
    r->text = (char *)text;
    r->text_borrowed = 1;
    return r;
}

block *block_add_line(block *stack)
{
    stack->lines = xrealloc(stack->lines, (stack->nlines + 1) * sizeof *stack->lines);
    block *b = &stack->lines[stack->nlines++];
    memset(b, 0, sizeof *b);
    b->kind = BLOCK_PARA;
    return b;
}

table_row *table_add_row(table *t)
{
    GROW(t->rows, t->nrows, t->rows_cap);
    table_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

table_cell *table_row_add_cell(table_row *row)
{
    GROW(row->cells, row->ncells, row->cells_cap);
    table_cell *c = &row->cells[row->ncells++];
    memset(c, 0, sizeof *c);
    c->span = 1;
    return c;
}

block *table_cell_add_para(table_cell *cell)
{
    GROW(cell->content, cell->ncontent, cell->content_cap);
    block *b = &cell->content[cell->ncontent++];
    memset(b, 0, sizeof *b);
    b->kind = BLOCK_PARA;
    return b;
}

void block_reserve_runs(block *para, size_t n)
{
    if (para->runs_cap < n) {
        para->runs = xrealloc(para->runs, n * sizeof *para->runs);
        para->runs_cap = n;
    }
}

void block_fit_runs(block *para)
{
    if (para->runs_cap == para->nruns)
        return;
    if (para->nruns == 0) {
        free(para->runs);
        para->runs = NULL;
    } else {
        para->runs = xrealloc(para->runs, para->nruns * sizeof *para->runs);
    }
    para->runs_cap = para->nruns;
}

void table_row_reserve_cells(table_row *row, size_t n)
{
    if (row->cells_cap < n) {
        row->cells = xrealloc(row->cells, n * sizeof *row->cells);
        row->cells_cap = n;
    }
}

void table_reserve_rows(table *t, size_t n)
{
    if (t->rows_cap < n) {
        t->rows = xrealloc(t->rows, n * sizeof *t->rows);
        t->rows_cap = n;
    }
}

static void block_free(block *b);

void table_row_free_cells(table_row *row)
{
    for (size_t j = 0; j < row->ncells; j++) {
        table_cell *c = &row->cells[j];
        for (size_t k = 0; k < c->ncontent; k++)
            block_free(&c->content[k]);
        free(c->content);
    }
    free(row->cells);
    row->cells = NULL;
    row->ncells = row->cells_cap = 0;
}

static void table_free(table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows; i++)
        table_row_free_cells(&t->rows[i]);
    free(t->rows);
    free(t->columns);
    if (t->continued) {
        block_free(t->continued);
        free(t->continued);
    }
    free(t);
}

static void block_free(block *b)
{
    switch (b->kind) {
    case BLOCK_PARA:
        for (size_t i = 0; i < b->nruns; i++)
            if (!b->runs[i].text_borrowed)
                free(b->runs[i].text);
        free(b->runs);
        break;
    case BLOCK_STACK:
        for (size_t i = 0; i < b->nlines; i++)
            block_free(&b->lines[i]);
        free(b->lines);
        free(b->seal);
        break;
    case BLOCK_TABLE:
        table_free(b->table);
        break;
    case BLOCK_PAGE_BREAK:
        free(b->page);
        break;
    case BLOCK_BOOKMARK:
        free(b->bookmark);
        break;
    case BLOCK_SPACE:
    case BLOCK_RULE:
        break;
    }
}

void block_list_free(block_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        block_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

#define POOL_BLOCK ((size_t)1 << 20)

const char *text_pool_copy(text_pool *pool, const char *s, size_t n)
{
    if (n + 1 > pool->room) {
        size_t size = n + 1 > POOL_BLOCK ? n + 1 : POOL_BLOCK;
        pool->blocks = xrealloc(pool->blocks, (pool->nblocks + 1) * sizeof *pool->blocks);
        /* a long text gets a block of its own, and the last block stays */
        if (size > POOL_BLOCK && pool->nblocks > 0) {
            char *own = xmalloc(size);
            pool->blocks[pool->nblocks] = pool->blocks[pool->nblocks - 1];
            pool->blocks[pool->nblocks++ - 1] = own;
            memcpy(own, s, n);
            own[n] = '\0';
            return own;
        }
        pool->blocks[pool->nblocks++] = xmalloc(size);
        pool->used = 0;
        pool->room = size;
    }
    char *at = pool->blocks[pool->nblocks - 1] + pool->used;
    memcpy(at, s, n);
    at[n] = '\0';
    pool->used += n + 1;
    pool->room -= n + 1;
    return at;
}

static void text_pool_free(text_pool *pool)
{
    for (size_t i = 0; i < pool->nblocks; i++)
        free(pool->blocks[i]);
    free(pool->blocks);
    memset(pool, 0, sizeof *pool);
}

void document_free(document *doc)
{
    text_pool_free(&doc->texts);
    block_list_free(&doc->flow);
    block_list_free(&doc->foot);
    free(doc->page_number.format);
    free(doc->info.title);
    free(doc->info.author);
    free(doc->info.subject);
    free(doc->info.keywords);
    free(doc->info.date);
}
