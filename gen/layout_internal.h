/* Shared between the two halves of the layout stage: layout_para.c turns a
 * paragraph into line boxes, layout.c stacks boxes into pages. */
#ifndef GEN_LAYOUT_INTERNAL_H
#define GEN_LAYOUT_INTERNAL_H

#include "layout.h"

typedef enum { BOX_LINE, BOX_RULE, BOX_SPACE, BOX_PAGE_BREAK } box_kind;

/* A slice of the flow, as tall as `height`; runs and rules inside it are
 * placed with x from the paper's left edge and y measured down from the
 * box's top (converted to PDF coordinates when the box lands on a page). */
typedef struct box {
    box_kind kind;
    double height;
    int keep_with_previous;
    glyph_run *runs;
    size_t nruns;
    rule_line rule; /* BOX_RULE */
} box;

typedef struct box_list {
    box *items;
    size_t n, cap;
} box_list;

typedef struct layout_ctx {
    const font_set *fonts;
    const page_geometry *page;
    diag_list *diags;
    /* code points already reported missing, so a field with a hundred
     * unknown characters gives one line per character, not a hundred */
    uint32_t *reported;
    size_t nreported, reported_cap;
} layout_ctx;

box *box_list_push(box_list *list, box_kind kind, double height);
void box_list_free(box_list *list);

/* Break a paragraph (or one line of a stack) into line boxes appended to
 * `out`.  `x0` and `measure`: where the paragraph's lines may go. */
void para_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure, box_list *out);

/* The natural width of a paragraph set on one line. */
double para_natural_width(layout_ctx *ctx, const block *para);

/* Set a one-line paragraph at x (its left edge), as a line box. */
void para_line_at(layout_ctx *ctx, const block *para, double x, box_list *out);

#endif
