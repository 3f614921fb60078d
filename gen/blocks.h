/* The block tree: what a template makes of a record, and what layout reads.
 *
 * Plain data, built by the template and markdown stages (or by hand in a
 * test).  Lengths are PDF points.  Strings are UTF-8.
 *
 * Who owns what: a document owns its blocks, their arrays, tables, seals'
 * file names, bookmarks, its info and its text pool; document_free frees
 * them all.  It does not own what outlives it, and points into:
 *   - the template: the styles' roles (text_style.role), and a run's text
 *     when it is the template's own (text_borrowed), so the template must
 *     outlive the tree;
 *   - the caller: an origin's file (the record's path);
 *   - the process: an origin's field, interned (intern_name), so that the
 *     record can be freed before layout (pipeline_render_owned does).
 * A run's text is owned one of three ways, and only the first is freed
 * with the run:
 *   1. its own copy (block_add_run, block_add_run_owned);
 *   2. the template's (block_add_run_borrowed, text_borrowed set);
 *   3. the document's text pool (text_pool_copy, then borrowed; freed
 *      with the document, not run by run).
 * Layout reads the tree, but frees each table's rows as it lays them out
 * (layout.h); after layout the tree is only fit for document_free. */
#ifndef GEN_BLOCKS_H
#define GEN_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

/* How text looks: a typographic role of fonts/fonts.xml (宋体, 仿宋, ...),
 * a size, a colour, and the pitch of full-width characters. */
typedef struct text_style {
    const char *role; /* role name, e.g. "仿宋"; not owned: the template's */
    double size;     /* font size, pt */
    double pitch;    /* advance of a full-width (CJK) character; 0 = size */
    double leading;  /* baseline-to-baseline distance; 0 = size * 1.5 */
    uint32_t color;  /* 0xRRGGBB */
} text_style;

/* Where a piece of text came from, for messages about it. */
typedef struct text_origin {
    const char *file;  /* the record's path */
    const char *field; /* record field, e.g. "body" or "title" (the record's
                          element name; interned in a block tree) */
    int line;         /* line in the record, 0 when unknown */
} text_origin;

typedef enum {
    RUN_TEXT,  /* text in a style */
    RUN_BREAK, /* forced line break (Markdown hard break) */
    RUN_FILL   /* stretchable gap taking all of a line's spare width */
} run_kind;

typedef struct run {
    run_kind kind;
    /* the text is the template's, as it holds it (a code's name), which
     * outlives the tree: not a copy, not freed */
    unsigned char text_borrowed;
    char *text; /* RUN_TEXT only */
    text_style style;
    text_origin origin;
} run;

typedef enum { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } align;

typedef enum {
    BLOCK_TABLE,     /* a ruled table (see table below) */
    BLOCK_PARA,      /* a paragraph of runs */
    BLOCK_SPACE,     /* vertical space; dropped at the top of a page */
    BLOCK_RULE,      /* a horizontal rule across the measure */
    BLOCK_STACK,     /* lines set as one right/left/centre-aligned group */
    BLOCK_PAGE_BREAK, /* start a new page, of another geometry when `page` is set */
    BLOCK_BOOKMARK    /* an entry of the PDF's outline, pointing here */
} block_kind;

struct block;

typedef enum { VALIGN_TOP, VALIGN_MIDDLE, VALIGN_BOTTOM } valign;

/* A table cell: paragraphs set in the width of the columns it spans. */
typedef struct table_cell {
    struct block *content; /* BLOCK_PARA blocks */
    size_t ncontent, content_cap;
    int span;              /* columns covered, 1 or more */
    valign valign;
} table_cell;

typedef struct table_row {
    table_cell *cells;
    size_t ncells, cells_cap;
    int header;        /* repeated at the top of every page the table runs onto */
    int fill_rest;     /* grows down to what follows it at the foot of the page */
    int keep_with_next; /* never the last row of a page (a group's heading row) */
    double min_height;
} table_row;

/* Column widths: fixed, a share of what the fixed ones leave ("2*"), or
 * fitted to the widest content within [min, max]. */
typedef enum { COLUMN_FIXED, COLUMN_SHARE, COLUMN_FIT } column_kind;

typedef struct table_column {
    column_kind kind;
    double value; /* width (FIXED) or weight (SHARE) */
    double min, max;
} table_column;

typedef struct table {
    table_column *columns;
    size_t ncolumns;
    table_row *rows;
    size_t nrows, rows_cap;
    double rule;         /* border thickness */
    double pad_x, pad_y; /* space between the borders and the text */
    struct block *continued; /* caption above the repeated header (续表), or NULL */
} table;

/* A block is one of the kinds above.  A table of 38,000 rows holds
 * 380,000 of them (one paragraph a cell), so what only one kind uses is in
 * a union: read and write only the fields of the block's own kind. */
typedef struct block {
    block_kind kind;
    align align; /* BLOCK_PARA, BLOCK_STACK */

    /* Flags, 0 or 1.  Bytes, in the room left before the doubles: the
     * paragraph's and the stack's are here so that the union is 40 bytes
     * and a block 72 (a malloc chunk of 80, not 96). */
    /* Never let a page begin with this block: it goes with what precedes. */
    unsigned char keep_with_previous;
    /* Never let a page end with this block (a heading): it goes with what
     * follows. */
    unsigned char keep_with_next;
    unsigned char balance;       /* BLOCK_PARA: break into lines of even length (titles) */
    unsigned char shrink_to_fit; /* BLOCK_PARA: reduce the size until the one line fits */
    /* BLOCK_PARA with shrink_to_fit: condense the glyphs horizontally (PDF
     * Tz) down to this percentage before reducing the size, as offices set
     * a long 发文机关标志; 0 (or 100): never condensed */
    unsigned char condense;
    unsigned char centre_lines;  /* BLOCK_STACK: see below */

    double left, right; /* indents from the type area's edges (not SPACE,
                           PAGE_BREAK, BOOKMARK) */

    union {
        /* BLOCK_PARA (and each line of a BLOCK_STACK) */
        struct {
            run *runs;
            size_t nruns, runs_cap;
            double first;      /* extra indent of the first line (negative: hanging) */
            double leading;    /* line pitch; 0 = the first run's style leading */
        };

        /* BLOCK_STACK: lines (BLOCK_PARA children, one line each) placed as
         * a group against the right (or left) indent; each child's `first`
         * shifts it inside the group, so a date can start two characters
         * right of the signature above it.  centre_lines centres each line
         * in the group. */
        struct {
            struct block *lines;
            size_t nlines;
            /* and a seal (印章, a PNG with transparency) pressed over them:
             * centred on the group, the lines a little below its middle */
            char *seal;                     /* the image file, or NULL */
            double seal_width, seal_height; /* as printed */
        };

        /* BLOCK_TABLE */
        table *table;

        /* BLOCK_SPACE */
        double height;

        /* BLOCK_RULE: the rule and the space above and below it */
        struct {
            double space_before, space_after;
            double thickness;
            uint32_t color;
        };

        /* BLOCK_PAGE_BREAK: the geometry of the pages from here on, or NULL */
        struct page_geometry *page;

        /* BLOCK_BOOKMARK: the outline entry's title and level (1 = top) */
        struct {
            char *bookmark;
            int bookmark_level;
        };
    };
} block;

typedef struct block_list {
    block *items;
    size_t n, cap;
} block_list;

/* Page numbers: format with "{n}" for the number; placed `below` the type
 * area (to the top of the text) and `inset` in from the outside edge. */
typedef struct page_number_spec {
    int enabled;
    char *format;
    text_style style;
    double below, inset;
    align odd, even; /* ALIGN_LEFT/RIGHT/CENTER */
} page_number_spec;

typedef struct page_geometry {
    double width, height;        /* paper */
    double top, left;            /* margins */
    double area_width, area_height; /* type area (版心) */
} page_geometry;

typedef struct document_info {
    char *title, *author, *subject, *keywords;
    char *date; /* YYYY-MM-DD, the record's own date: the PDF's creation date */
} document_info;

/* Texts kept one after another in large blocks, for the document's life:
 * a table of 38,000 rows has some 400,000 run texts, each a malloc
 * otherwise (and 16 bytes of its header and rounding).  Owned by the
 * document (document_free); runs borrow from it. */
typedef struct text_pool {
    char **blocks;
    size_t nblocks;
    size_t used, room; /* in the last block */
} text_pool;

/* A copy of s[0..n) with a NUL after it, in the pool. */
const char *text_pool_copy(text_pool *pool, const char *s, size_t n);

typedef struct document {
    page_geometry page;
    page_number_spec page_number;
    block_list flow; /* from the top of the first page on */
    block_list foot; /* set at the foot of the last page (版记, colophon) */
    document_info info;
    text_pool texts; /* runs' texts that are borrowed from it (owned here) */
    /* printed on both sides of the paper (run_options.duplex, set by the
     * pipeline): the foot ends on an even page (layout.h) */
    int duplex;
} document;

/* Building.  Text is copied; roles and origins' file names are not (they
 * belong to the template and the caller, which outlive the block tree); an
 * origin's field name is interned (intern_name), as the record may be freed
 * before layout. */
block *block_list_push(block_list *list, block_kind kind);
run *block_add_run(block *para, run_kind kind, const char *text,
                   const text_style *style, const text_origin *origin);
/* The same, taking `text` (allocated with malloc) instead of a copy; or
 * borrowing it from the template, which outlives the tree (the record does
 * not: render frees it before layout). */
run *block_add_run_owned(block *para, run_kind kind, char *text,
                         const text_style *style, const text_origin *origin);
run *block_add_run_borrowed(block *para, run_kind kind, const char *text,
                            const text_style *style, const text_origin *origin);
block *block_add_line(block *stack);
table_row *table_add_row(table *t);
table_cell *table_row_add_cell(table_row *row);
block *table_cell_add_para(table_cell *cell);

/* Room for n runs, cells or rows in all, so that adding up to that many
 * allocates nothing (a table of 38,000 rows otherwise grows its arrays
 * run by run and cell by cell). */
void block_reserve_runs(block *para, size_t n);
/* A paragraph's runs allocated exactly (after a reservation it did not
 * fill). */
void block_fit_runs(block *para);
void table_row_reserve_cells(table_row *row, size_t n);
void table_reserve_rows(table *t, size_t n);

/* A row's cells and their contents (the row keeps its flags): layout
 * frees each row once it is laid out. */
void table_row_free_cells(table_row *row);
void block_list_free(block_list *list);
void document_free(document *doc);

#endif
