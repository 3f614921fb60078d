#define _POSIX_C_SOURCE 200809L
/* Tables in templates: columns, header rows, rows repeated over record
 * nodes, cells of inline text or paragraphs, the line shown when a table
 * has no rows.  (The code tables are template_codes.c's.) */
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "template_values.h"
#include "util.h"

/* "28mm", "2*" (a share of what is left), "fit" or "fit(10mm,40mm)". */
static int parse_column(const template *t, const char *spec, table_column *col)
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

static void parse_columns(eval *e, const xmlNode *tnode, table *tb)
{
    char *spec = get_attr(tnode, "columns");
    if (!spec) {
        template_error(e->t, tnode, e->diags, "<table> needs columns=\"...\"", NULL);
        return;
    }
    char *save = NULL;
    for (char *tok = strtok_r(spec, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        tb->columns = xrealloc(tb->columns, (tb->ncolumns + 1) * sizeof *tb->columns);
        table_column *col = &tb->columns[tb->ncolumns++];
        memset(col, 0, sizeof *col);
        if (!parse_column(e->t, tok, col))
            template_error(e->t, tnode, e->diags, "not a column width (28mm, 2*, fit(10mm,40mm))",
                           tok);
    }
    free(spec);
}

static int valign_attr(eval *e, const xmlNode *n, valign fallback)
{
    const char *v = attr_text(n, "valign");
    valign a = fallback;
    if (v && !strcmp(v, "top"))
        a = VALIGN_TOP;
    else if (v && !strcmp(v, "middle"))
        a = VALIGN_MIDDLE;
    else if (v && !strcmp(v, "bottom"))
        a = VALIGN_BOTTOM;
    else if (v)
        template_error(e->t, n, e->diags, "valign must be top, middle or bottom", v);
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

#define ROW_VARIABLE "row"

/* $row: the running number of the table's data rows, across the groups
 * the rows may be made in (序号 1..N), without XPath counting the rows
 * before (quadratic). */
static void set_row_number(eval *e, size_t n)
{
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)ROW_VARIABLE, xmlXPathNewFloat((double)n));
}

/* Does a cell hold paragraphs (<para>, <markdown>, possibly inside <each>
 * or <if>) rather than inline text? */
static int has_block_children(const xmlNode *node)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (is_element(c, "para") || is_element(c, "markdown"))
            return 1;
        if ((is_element(c, "each") || is_element(c, "if")) && has_block_children(c))
            return 1;
    }
    return 0;
}

static void add_cell_blocks(table_cell *cell, block_list *blocks)
{
    for (size_t i = 0; i < blocks->n; i++) {
        if (blocks->items[i].kind != BLOCK_PARA)
            continue;
        *table_cell_add_para(cell) = blocks->items[i];
        memset(&blocks->items[i], 0, sizeof blocks->items[i]); /* moved */
    }
    block_list_free(blocks);
}

/* One child of a cell that holds paragraphs. */
static void cell_block_child(eval *e, const xmlNode *c, focus f, void *target,
                             const text_style *style)
{
    table_cell *cell = target;
    block_list blocks = {0};
    if (is_element(c, "para")) {
        const text_style *s = style_attr(e, c, style);
        block *p = block_list_push(&blocks, BLOCK_PARA);
        para_attrs(e, c, p, s);
        fill_para(e, c, f, p, s);
    } else if (is_element(c, "markdown")) {
        add_markdown(e, c, f, &blocks);
    } else if (is_element(c, "each")) {
        each(e, c, f, cell_block_child, cell, style);
    } else if (is_element(c, "if")) {
        if (test_attr(e, c, f))
            for (const xmlNode *k = c->children; k; k = k->next)
                cell_block_child(e, k, f, cell, style);
    } else if (is_element(c, NULL)) {
        template_error(e->t, c, e->diags, "a cell holds text, <para>s or <markdown>",
                       (const char *)c->name);
    }
    add_cell_blocks(cell, &blocks);
}

/* A cell's paragraphs: one of its inline content, or its <para>s and the
 * paragraphs of its <markdown>s. */
static void fill_cell(eval *e, const xmlNode *tnode, focus f, table_cell *cell,
                      const text_style *style)
{
    if (!has_block_children(tnode)) {
        block *p = table_cell_add_para(cell);
        para_attrs(e, tnode, p, style);
        if (!attr_text(tnode, "align"))
            p->align = ALIGN_LEFT;
        fill_para(e, tnode, f, p, style);
        return;
    }
    for (const xmlNode *c = tnode->children; c; c = c->next)
        cell_block_child(e, c, f, cell, style);
}

static size_t cells_of(const xmlNode *row)
{
    size_t n = 0;
    for (const xmlNode *c = row->children; c; c = c->next)
        n += is_element(c, "cell");
    return n;
}

static void add_row(eval *e, const xmlNode *tnode, focus f, table_build *tb)
{
    table_row *row = table_add_row(tb->tb);
    row->header = tb->header;
    tb->body_rows += !tb->header;
    const char *fill = attr_text(tnode, "fill");
    row->fill_rest = fill && !strcmp(fill, "rest");
    row->keep_with_next = yes_attr(tnode, "keep-with-next");
    length_attr(e->t, tnode, "min-height", em_of(tb->style), &row->min_height, e->diags);
    valign row_valign = (valign)valign_attr(e, tnode, VALIGN_MIDDLE);
    const text_style *row_style = style_attr(e, tnode, tb->style);
    table_row_reserve_cells(row, cells_of(tnode));
    for (const xmlNode *c = tnode->children; c; c = c->next) {
        if (!is_element(c, "cell")) {
            if (is_element(c, NULL))
                template_error(e->t, c, e->diags, "a <row> holds <cell>s", (const char *)c->name);
            continue;
        }
        table_cell *cell = table_row_add_cell(row);
        const char *span = attr_text(c, "span");
        cell->span = span && atoi(span) > 0 ? atoi(span) : 1;
        cell->valign = (valign)valign_attr(e, c, row_valign);
        fill_cell(e, c, f, cell, style_attr(e, c, row_style));
    }
}

static void table_child(eval *e, const xmlNode *tnode, focus f, void *target,
                        const text_style *style)
{
    table_build *tb = target;
    (void)style;
    if (is_element(tnode, "row")) {
        if (!attr_text(tnode, "each")) {
            add_row(e, tnode, f, tb);
        } else {
            xmlXPathObject *obj = xpath(e, tnode, "each", f);
            int n = obj && obj->type == XPATH_NODESET && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
            table_reserve_rows(tb->tb, tb->tb->nrows + (size_t)n);
            for (int i = 0; i < n; i++) {
                if (!tb->header)
                    set_row_number(e, ++tb->data_rows);
                add_row(e, tnode, (focus){obj->nodesetval->nodeTab[i], i + 1, n}, tb);
            }
            xmlXPathFreeObject(obj);
        }
    } else if (is_element(tnode, "header")) {
        tb->header = 1;
        for (const xmlNode *c = tnode->children; c; c = c->next)
            table_child(e, c, f, tb, NULL);
        tb->header = 0;
    } else if (is_element(tnode, "if")) {
        if (test_attr(e, tnode, f))
            for (const xmlNode *c = tnode->children; c; c = c->next)
                table_child(e, c, f, tb, NULL);
    } else if (is_element(tnode, "each")) {
        each(e, tnode, f, table_child, tb, NULL);
    } else if (is_element(tnode, NULL) && !is_element(tnode, "empty")) {
        template_error(e->t, tnode, e->diags, "not allowed in a <table>", (const char *)tnode->name);
    }
}

/* <empty>: a row across the table saying that there is nothing to list. */
static void add_empty_row(eval *e, const xmlNode *tnode, focus f, table_build *tb)
{
    for (const xmlNode *c = tnode->children; c; c = c->next) {
        if (!is_element(c, "empty"))
            continue;
        table_row *row = table_add_row(tb->tb);
        table_cell *cell = table_row_add_cell(row);
        cell->span = (int)tb->tb->ncolumns;
        cell->valign = VALIGN_MIDDLE;
        block *p = table_cell_add_para(cell);
        para_attrs(e, c, p, tb->style);
        p->align = ALIGN_CENTER;
        fill_para(e, c, f, p, tb->style);
    }
}

static void table_frame(eval *e, const xmlNode *tnode, table *tb, const text_style *style)
{
    double em = em_of(style);
    tb->rule = 0.5;
    length_attr(e->t, tnode, "rule", em, &tb->rule, e->diags);
    tb->pad_x = tb->pad_y = 0.2 * em;
    char *pad = get_attr(tnode, "padding");
    if (pad) {
        char y[32] = "", x[32] = "";
        int n = sscanf(pad, "%31s %31s", y, x);
        if (n < 1 || !template_parse_length(y, em, e->t->grid_line, e->t->grid_char, &tb->pad_y) ||
            !template_parse_length(n == 2 ? x : y, em, e->t->grid_line, e->t->grid_char, &tb->pad_x))
            template_error(e->t, tnode, e->diags, "padding is \"VERTICAL HORIZONTAL\"", pad);
        free(pad);
    }
}

void add_table(eval *e, const xmlNode *tnode, focus f, block_list *out)
{
    const text_style *style = style_attr(e, tnode, body_style(e));
    block *b = block_list_push(out, BLOCK_TABLE);
    b->table = xcalloc(1, sizeof *b->table);
    length_attr(e->t, tnode, "left", em_of(style), &b->left, e->diags);
    length_attr(e->t, tnode, "right", em_of(style), &b->right, e->diags);
    b->keep_with_previous = yes_attr(tnode, "keep-with-previous");
    parse_columns(e, tnode, b->table);
    table_frame(e, tnode, b->table, style);
    char *continued = get_attr(tnode, "continued");
    if (continued) {
        block *cap = b->table->continued = xcalloc(1, sizeof *cap);
        cap->kind = BLOCK_PARA;
        cap->align = ALIGN_LEFT;
        const text_style *cs = style_attr_named(e, tnode, "continued-style", body_style(e));
        text_origin o = {e->t->path, "template", (int)xmlGetLineNo((xmlNode *)tnode)};
        block_add_run(cap, RUN_TEXT, continued, cs, &o);
        free(continued);
    }
    /* $row is the table's own: a <param name="row"> is back after it */
    xmlXPathObject *outer = xmlXPathVariableLookup(e->xp, (const xmlChar *)ROW_VARIABLE);
    table_build tb = {b->table, style, 0, 0, 0};
    set_row_number(e, 0);
    for (const xmlNode *c = tnode->children; c; c = c->next)
        table_child(e, c, f, &tb, NULL);
    if (tb.body_rows == 0)
        add_empty_row(e, tnode, f, &tb);
    xmlXPathRegisterVariable(e->xp, (const xmlChar *)ROW_VARIABLE, outer); /* NULL: removed */
}
