/* Shared between the parts of the layout stage.  Calls go one way, down
 * this list; no file calls one above it:
 *
 *   layout.c          the entry (layout_document): blocks to boxes, then
 *                     pages, rules merged, page numbers
 *   layout_page.c     pager_*: boxes stacked onto pages (laid_page)
 *   layout_table.c    table_*: a table as row boxes
 *   layout_para.c     para_*: a paragraph as line boxes
 *   layout_measure.c  measure_*: a character as a style sets it
 *   layout_rules.c    rules_*: a laid page's rules merged
 *   layout_box.c      box_*, laid_page_*: the data made and freed
 *
 * Ownership: a box owns its runs (each run's text its own allocation),
 * its rules, its image's path and its row (a row its cells' lines); a
 * box_list owns its boxes; a mark's title and a page break's geometry
 * are borrowed from the document, which outlives the boxes.  Landing
 * copies what it lands (texts into the page's one text block, rules,
 * images with their paths), so a page owns all it holds and no page
 * points into a box. */
#ifndef GEN_LAYOUT_INTERNAL_H
#define GEN_LAYOUT_INTERNAL_H

#include "layout.h"

typedef enum { BOX_LINE, BOX_RULE, BOX_SPACE, BOX_PAGE_BREAK, BOX_ROW, BOX_MARK } box_kind;

struct row_box;

/* A slice of the flow, as tall as `height`; runs and rules inside it are
 * placed with x from the paper's left edge and y measured down from the
 * box's top (converted to PDF coordinates when the box lands on a page). */
typedef struct box {
    box_kind kind;
    double height;
    int keep_with_previous;
    glyph_run *runs;
    size_t nruns;
    rule_line *rules;
    size_t nrules;
    struct row_box *row; /* BOX_ROW */
    const page_geometry *page; /* BOX_PAGE_BREAK: the pages' geometry from here, or NULL */
    const char *bookmark;      /* BOX_MARK: an outline entry (the block's title) */
    int bookmark_level;
    placed_image image; /* a seal over the box (path NULL: none); y down from its top */
} box;

typedef struct box_list {
    box *items;
    size_t n, cap;
} box_list;

/* One cell of a laid-out table row: its borders and its lines, stacked
 * from the top of the cell's text area. */
typedef struct row_cell {
    double x1, x2;
    double content_height;
    valign valign;
    box_list lines;
} row_cell;

typedef struct row_box {
    row_cell *cells;
    size_t ncells;
    double pad_y, rule;
    double inner; /* height of the text area: the tallest cell, or more */
    int header, fill_rest;
    size_t table; /* index into layout_ctx.tables */
} row_box;

/* What a table needs when it runs onto another page. */
typedef struct table_info {
    size_t first_header, nheaders; /* indices of its header rows in the flow */
    box_list caption;              /* 续表, above the repeated header */
} table_info;

/* A character as a style sets it (layout_measure.c): the face that draws
 * it, or 〓's when no face of the role has it; its advances and ink; the
 * classes the line breaker and the squeezing ask about.  What a mark may
 * give up depends on its neighbours, and is worked out by the paragraph
 * (layout_para.c). */
typedef struct measured_char {
    font_face *face; /* NULL: it draws nothing (a control character) */
    double glyph_adv; /* the glyph's own width, as the PDF will advance */
    double adv;       /* the width it takes in a line (grid pitch for full-width) */
    double squeeze;   /* how much of adv it may give up when a line is squeezed */
    double em;        /* the style's em: its grid pitch, or its size */
    double ink_left, ink_right; /* the glyph's ink from its origin (0, 0: none) */
    uint32_t cp;      /* what is drawn: the character, ' ' for a tab, or 〓 */
    char utf8[4];     /* cp in UTF-8, utf8_len bytes */
    unsigned char utf8_len, known, word, opening, space;
    /* a full-width mark that may give up the blank on one side of its
     * ink (the left of an opening mark, the right of a closing one) */
    unsigned char mark;
    unsigned char quote; /* “ ” ‘ ’ (full em between Chinese characters) */
    unsigned char cjk;   /* text_is_cjk */
} measured_char;

/* The characters measured in one style (role, size, pitch), in blocks of
 * 256 code points made when first touched. */
typedef struct measure_style {
    char *role;
    double size, pitch;
    measured_char **blocks;
    measured_char beyond; /* for a code point beyond Unicode (not cached) */
} measure_style;

typedef struct layout_ctx {
    const font_set *fonts;
    const page_geometry *page;     /* the geometry at this point of the flow */
    const page_geometry *doc_page; /* the document's own (the foot's) */
    page_geometry turned_page;     /* doc_page turned, for its landscape pages
                                      (layout.c: layout_turned_geometry) */
    int duplex;                    /* both sides: the foot on an even page */
    diag_list *diags;
    /* code points already reported missing, so a field with a hundred
     * unknown characters gives one line per character, not a hundred */
    uint32_t *reported;
    size_t nreported, reported_cap;
    table_info *tables;
    size_t ntables, tables_cap;
    /* every style's measured characters, for this document (a character
     * is marked used with its face when first measured) */
    measure_style **styles;
    size_t nstyles, styles_cap, last_style;
    /* pages from this index on carry no page number (GB/T 9704-2012 7.5:
     * a blank page before the 版记's page, and that page); set by the
     * pager, SIZE_MAX: every page numbered */
    size_t unnumbered_from;
} layout_ctx;

/* ---- layout_measure.c ---- */

/* The style of text run r, for measure_char. */
measure_style *measure_style_of(layout_ctx *ctx, const run *r);

/* How r's style sets cp: the first time asked, the face is chosen (a
 * missing character reported once, as 〓), marked used and measured. */
const measured_char *measure_char_first(layout_ctx *ctx, measure_style *st, const run *r,
                                        uint32_t cp);

#define MEASURE_BLOCK_BITS 8
#define MEASURE_BLOCK_SIZE (1u << MEASURE_BLOCK_BITS)

static inline const measured_char *measure_char(layout_ctx *ctx, measure_style *st, const run *r,
                                                uint32_t cp)
{
    if (cp <= 0x10FFFF) {
        const measured_char *block = st->blocks[cp >> MEASURE_BLOCK_BITS];
        if (block && block[cp & (MEASURE_BLOCK_SIZE - 1)].known)
            return &block[cp & (MEASURE_BLOCK_SIZE - 1)];
    }
    return measure_char_first(ctx, st, r, cp);
}

void measure_styles_free(layout_ctx *ctx);

/* ---- layout_box.c ---- */

/* A new box (zeroed but for kind and height) at the end of the list; a
 * pointer into the list, valid until the next push. */
box *box_list_push(box_list *list, box_kind kind, double height);
/* The boxes' contents and the list's array freed; the list emptied. */
void box_list_free(box_list *list);
/* What a box owns freed (runs and their texts, rules, image path, row);
 * the box stays, empty. */
void box_free_content(box *b);
/* A copy of `rule` added to the box's rules (y down from its top). */
void box_add_rule(box *b, const rule_line *rule);

/* Add a run to the page with a copy of `text` in the page's texts (room
 * made when the page has none left: a page laid out by layout_document
 * has room for all of its runs).  Returns the page's run, for its y. */
glyph_run *laid_page_add_run(laid_page *pg, const glyph_run *r, const char *text);
/* A copy of the rule (of the image, with its own copy of the path) added
 * to the page; returns the page's. */
rule_line *laid_page_add_rule(laid_page *pg, const rule_line *rule);
placed_image *laid_page_add_image(laid_page *pg, const placed_image *image);

/* ---- layout_para.c ---- */

/* Break a paragraph (or one line of a stack) into line boxes appended to
 * `out`.  `x0` and `measure`: where the paragraph's lines may go. */
void para_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure, box_list *out);

/* The same for a table cell's paragraph: lines break between words
 * where they can (words.h), as a title's and a heading's do. */
void para_cell_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure,
                        box_list *out);

/* The natural width of a paragraph set on one line. */
double para_natural_width(layout_ctx *ctx, const block *para);

/* Set a one-line paragraph at x (its left edge), as a line box. */
void para_line_at(layout_ctx *ctx, const block *para, double x, box_list *out);

/* ---- layout_table.c ---- */

/* A table as row boxes appended to `out` (header rows first, flagged).
 * Takes the rows' contents: each row's cells are freed
 * (table_row_free_cells) once laid out, the table keeps its rows, empty. */
void table_to_boxes(layout_ctx *ctx, block *b, box_list *out);

/* ---- layout_page.c ---- */

/* Pages: the flow's boxes stacked onto pages (tables' headers repeated,
 * rows too tall for a page split), the foot on the last page, appended to
 * out->pages and out->outline.  Each box of the flow is emptied
 * (box_free_content) once landed, headers and the foot excepted (they
 * land again); the lists stay the caller's to free. */
void pager_paginate_and_land(layout_ctx *ctx, box_list *flow, box_list *foot, layout_result *out);

/* ---- layout_rules.c ---- */

/* A page's rules with duplicates dropped and collinear horizontal or
 * vertical pieces of one thickness and colour joined (layout_rules.c):
 * a table's frames as a few long strokes.  The page looks the same. */
void rules_merge_page(laid_page *page);

#endif
