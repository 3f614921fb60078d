#define _POSIX_C_SOURCE 200809L
/* Tables in templates: columns, header rows, rows repeated over record
 * nodes, cells of inline text or paragraphs, the line shown when a table
 * has no rows.  The table, its rows and its cells of paragraphs are each
 * a context of the walker (template_walk.c): <if> and <each> may stand
 * among rows, among cells and among a cell's paragraphs. */
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "template_internal.h"
#include "template_values.h"
#include "util.h"

/* "28mm", "2*" (a share of what is left), "fit" or "fit(10mm,40mm)". */
static int S_parse_column(const template *t, const char *spec, table_column *col)
{
    size_t n = strlen(spec);
    if (n > 1 && spec[n - 1] == '*') {
        col->kind = COLUMN_SHARE;
        col->value = n == 1 ? 1 : atof(spec);
        return col->value > 0;
    }
    if (strncmp(spec, "fit", 3) == 0) {
        col->kind = COLUMN_FIT;
        if (spec[3] == '\0')
            return 1;
        char lo[32], hi[32];
        return sscanf(spec + 3, "(%31[^,],%31[^)])", lo, hi) == 2 &&
               template_parse_length(lo, 0, t->grid_line, t->grid_char, &col->min) &&
               template_parse_length(hi, 0, t->grid_line, t->grid_char, &col->max);
    }
    col->kind = COLUMN_FIXED;
    return template_parse_length(spec, 0, t->grid_line, t->grid_char, &col->value);
}

static void S_parse_columns(tpl_eval *e, const xmlNode *tnode, table *tb)
{
    char *spec = tpl_attr_dup(tnode, "columns");
    if (!spec) {
        tpl_error(e->t, tnode, e->diags, "<table> needs columns=\"...\"", NULL);
        return;
    }
    char *save = NULL;
    for (char *tok = strtok_r(spec, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        tb->columns = xrealloc(tb->columns, (tb->ncolumns + 1) * sizeof *tb->columns);
        table_column *col = &tb->columns[tb->ncolumns++];
        memset(col, 0, sizeof *col);
        if (!S_parse_column(e->t, tok, col))
            tpl_error(e->t, tnode, e->diags, "not a column width (28mm, 2*, fit(10mm,40mm))",
                           tok);
    }
    free(spec);
}

static int S_valign_attr(tpl_eval *e, const xmlNode *n, valign fallback)
{
    const char *v = tpl_attr_text(n, "valign");
    valign a = fallback;
    if (v && !strcmp(v, "top"))
        a = VALIGN_TOP;
    else if (v && !strcmp(v, "middle"))
        a = VALIGN_MIDDLE;
    else if (v && !strcmp(v, "bottom"))
        a = VALIGN_BOTTOM;
    else if (v)
        tpl_error(e->t, n, e->diags, "valign must be top, middle or bottom", v);
    return (int)a;
}

/* The table in hand while its rows are read. */
typedef struct table_build {
    table *tb;
    const text_style *style; /* the cells' default */
    int header;              /* inside <header> */
    size_t body_rows;
    size_t data_rows; /* rows of <row each> outside <header>: $row */
} table_build;

/* The row in hand while its cells are read. */
typedef struct row_build {
    table_row *row;
    valign valign; /* the cells' default */
} row_build;

#define ROW_VARIABLE "row"

/* $row: the running number of the table's data rows, across the groups
 * the rows may be made in (序号 1..N), without XPath counting the rows
 * before (quadratic). */
static void S_set_row_number(tpl_eval *e, size_t n)
{
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)ROW_VARIABLE, xmlXPathNewFloat((double)n));
}

/* Does a cell hold paragraphs (<para>, <markdown>, possibly inside <each>
 * or <if>) rather than inline text? */
static int S_has_block_children(const xmlNode *node)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (tpl_is_element(c, "para") || tpl_is_element(c, "markdown"))
            return 1;
        if ((tpl_is_element(c, "each") || tpl_is_element(c, "if")) && S_has_block_children(c))
            return 1;
    }
    return 0;
}

/* ---- a cell of paragraphs: <para> and <markdown>; target the cell ---- */

static void S_cell_para(tpl_eval *e, const xmlNode *c, tpl_focus f, void *target,
                        const text_style *style)
{
    tpl_make_para(e, c, f, table_cell_add_para(target), style);
}

static void S_cell_markdown(tpl_eval *e, const xmlNode *c, tpl_focus f, void *target,
                            const text_style *style)
{
    (void)style;
    table_cell *cell = target;
    block_list blocks = {0};
    tpl_add_markdown(e, c, f, &blocks);
    for (size_t i = 0; i < blocks.n; i++) {
        const table *nested = blocks.items[i].kind == BLOCK_TABLE ? blocks.items[i].table : NULL;
        if (nested && nested->continued && nested->continued->nruns > 0) {
            const text_origin *o = &nested->continued->runs[0].origin; /* the table's line */
            diag_add(e->diags, DIAG_WARNING, o->file, o->line,
                     "%s: a table has no place in a table's cell; left out", o->field);
        }
        if (blocks.items[i].kind != BLOCK_PARA)
            continue;
        *table_cell_add_para(cell) = blocks.items[i];
        memset(&blocks.items[i], 0, sizeof blocks.items[i]); /* moved */
    }
    block_list_free(&blocks);
}

static const tpl_handler S_cell_handlers[] = {
    {"para", S_cell_para}, {"markdown", S_cell_markdown}, {NULL, NULL}};
static const tpl_context S_cell_context = {S_cell_handlers, NULL,
                                           N_("a cell holds text, <para>s or <markdown>")};

/* A cell's paragraphs: one of its inline content, or its <para>s and the
 * paragraphs of its <markdown>s. */
static void S_fill_cell(tpl_eval *e, const xmlNode *tnode, tpl_focus f, table_cell *cell,
                        const text_style *style)
{
    if (!S_has_block_children(tnode)) {
        block *p = table_cell_add_para(cell);
        tpl_para_attrs(e, tnode, p, style);
        if (!tpl_attr_text(tnode, "align"))
            p->align = ALIGN_LEFT;
        tpl_fill_para(e, tnode, f, p, style);
        return;
    }
    tpl_walk(e, tnode, f, &S_cell_context, cell, style);
}

/* ---- a row: <cell>s; target a row_build, style the row's ---- */

static void S_cell(tpl_eval *e, const xmlNode *c, tpl_focus f, void *target,
                   const text_style *style)
{
    row_build *rb = target;
    table_cell *cell = table_row_add_cell(rb->row);
    const char *span = tpl_attr_text(c, "span");
    cell->span = span && atoi(span) > 0 ? atoi(span) : 1;
    cell->valign = (valign)S_valign_attr(e, c, rb->valign);
    S_fill_cell(e, c, f, cell, tpl_style_attr(e, c, style));
}

static const tpl_handler S_row_handlers[] = {{"cell", S_cell}, {NULL, NULL}};
static const tpl_context S_row_context = {S_row_handlers, NULL, N_("a <row> holds <cell>s")};

static size_t S_cells_of(const xmlNode *row)
{
    size_t n = 0;
    for (const xmlNode *c = row->children; c; c = c->next)
        n += tpl_is_element(c, "cell");
    return n;
}

static void S_add_row(tpl_eval *e, const xmlNode *tnode, tpl_focus f, table_build *tb)
{
    table_row *row = table_add_row(tb->tb);
    row->header = tb->header;
    tb->body_rows += !tb->header;
    const char *fill = tpl_attr_text(tnode, "fill");
    row->fill_rest = fill && !strcmp(fill, "rest");
    row->keep_with_next = tpl_attr_yes(tnode, "keep-with-next");
    tpl_length_attr(e->t, tnode, "min-height", tpl_em(tb->style), &row->min_height, e->diags);
    row_build rb = {row, (valign)S_valign_attr(e, tnode, VALIGN_MIDDLE)};
    const text_style *row_style = tpl_style_attr(e, tnode, tb->style);
    table_row_reserve_cells(row, S_cells_of(tnode));
    tpl_walk(e, tnode, f, &S_row_context, &rb, row_style);
}

/* ---- a table: <row>s, <header>, <empty>; target a table_build ---- */

/* <row>, or <row each="XPATH">: one row per node selected. */
static void S_row(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                  const text_style *style)
{
    (void)style;
    table_build *tb = target;
    if (!tpl_attr_text(tnode, "each")) {
        S_add_row(e, tnode, f, tb);
        return;
    }
    xmlXPathObject *obj = tpl_xpath(e, tnode, "each", f);
    int n = obj && obj->type == XPATH_NODESET && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    table_reserve_rows(tb->tb, tb->tb->nrows + (size_t)n);
    for (int i = 0; i < n; i++) {
        if (!tb->header)
            S_set_row_number(e, ++tb->data_rows);
        S_add_row(e, tnode, (tpl_focus){obj->nodesetval->nodeTab[i], i + 1, n}, tb);
    }
    xmlXPathFreeObject(obj);
}

static const tpl_context S_table_context;

static void S_header(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                     const text_style *style)
{
    table_build *tb = target;
    tb->header = 1;
    tpl_walk(e, tnode, f, &S_table_context, tb, style);
    tb->header = 0;
}

/* <empty> is read after the rows (S_add_empty_row). */
static void S_empty(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                    const text_style *style)
{
    (void)e, (void)tnode, (void)f, (void)target, (void)style;
}

static const tpl_handler S_table_handlers[] = {
    {"row", S_row}, {"header", S_header}, {"empty", S_empty}, {NULL, NULL}};
static const tpl_context S_table_context = {S_table_handlers, NULL, N_("not allowed in a <table>")};

/* <empty>: a row across the table saying that there is nothing to list. */
static void S_add_empty_row(tpl_eval *e, const xmlNode *tnode, tpl_focus f, table_build *tb)
{
    for (const xmlNode *c = tnode->children; c; c = c->next) {
        if (!tpl_is_element(c, "empty"))
            continue;
        table_row *row = table_add_row(tb->tb);
        table_cell *cell = table_row_add_cell(row);
        cell->span = (int)tb->tb->ncolumns;
        cell->valign = VALIGN_MIDDLE;
        block *p = table_cell_add_para(cell);
        tpl_para_attrs(e, c, p, tb->style);
        p->align = ALIGN_CENTER;
        tpl_fill_para(e, c, f, p, tb->style);
    }
}

static void S_table_frame(tpl_eval *e, const xmlNode *tnode, table *tb, const text_style *style)
{
    double em = tpl_em(style);
    tb->rule = 0.5;
    tpl_length_attr(e->t, tnode, "rule", em, &tb->rule, e->diags);
    tb->pad_x = tb->pad_y = 0.2 * em;
    char *pad = tpl_attr_dup(tnode, "padding");
    if (pad) {
        char y[32] = "", x[32] = "";
        int n = sscanf(pad, "%31s %31s", y, x);
        if (n < 1 || !template_parse_length(y, em, e->t->grid_line, e->t->grid_char, &tb->pad_y) ||
            !template_parse_length(n == 2 ? x : y, em, e->t->grid_line, e->t->grid_char,
                                   &tb->pad_x))
            tpl_error(e->t, tnode, e->diags, "padding is \"VERTICAL HORIZONTAL\"", pad);
        free(pad);
    }
}

void tpl_add_table(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block_list *out)
{
    const text_style *style = tpl_style_attr(e, tnode, tpl_body_style(e));
    block *b = block_list_push(out, BLOCK_TABLE);
    b->table = xcalloc(1, sizeof *b->table);
    tpl_length_attr(e->t, tnode, "left", tpl_em(style), &b->left, e->diags);
    tpl_length_attr(e->t, tnode, "right", tpl_em(style), &b->right, e->diags);
    b->keep_with_previous = tpl_attr_yes(tnode, "keep-with-previous");
    S_parse_columns(e, tnode, b->table);
    S_table_frame(e, tnode, b->table, style);
    char *continued = tpl_attr_dup(tnode, "continued");
    if (continued) {
        block *cap = b->table->continued = xcalloc(1, sizeof *cap);
        cap->kind = BLOCK_PARA;
        cap->align = ALIGN_LEFT;
        const text_style *cs = tpl_style_attr_named(e, tnode, "continued-style", tpl_body_style(e));
        text_origin o = {tpl_file_of(e->t, tnode), "template", (int)xmlGetLineNo((xmlNode *)tnode)};
        block_add_run(cap, RUN_TEXT, continued, cs, &o);
        free(continued);
    }
    /* $row is the table's own: a <param name="row"> is back after it */
    xmlXPathObject *outer = xmlXPathVariableLookup(e->xp, (const xmlChar *)ROW_VARIABLE);
    table_build tb = {b->table, style, 0, 0, 0};
    S_set_row_number(e, 0);
    tpl_walk(e, tnode, f, &S_table_context, &tb, NULL);
    if (tb.body_rows == 0)
        S_add_empty_row(e, tnode, f, &tb);
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)ROW_VARIABLE, outer); /* NULL: removed */
}
