/* Layout: from the block tree to positioned glyph runs and rules on pages.
 * Lines, justification to the character grid, Chinese line breaking,
 * pagination, the foot of the last page (版记), page numbers.  The pdf
 * module draws what this stage places and decides nothing. */
#ifndef GEN_LAYOUT_H
#define GEN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "blocks.h"
#include "diag.h"
#include "font.h"

/* Glyphs of one face, size and colour set from (x, y) on: each advances by
 * its own width plus char_space (the PDF's Tc).  Coordinates are PDF
 * points, origin at the bottom left of the paper, y the baseline. */
typedef struct glyph_run {
    font_face *face;
    double size;
    uint32_t color;
    double x, y;
    double char_space;
    char *text; /* UTF-8 */
} glyph_run;

/* A straight stroke from (x1, y1) to (x2, y2), centred on that line. */
typedef struct rule_line {
    double x1, y1, x2, y2;
    double thickness;
    uint32_t color;
} rule_line;

/* An image (a seal) drawn over the text, its lower left corner at (x, y). */
typedef struct placed_image {
    char *path;
    double x, y, width, height;
} placed_image;

typedef struct laid_page {
    page_geometry geometry; /* its paper and type area */
    glyph_run *runs; /* their texts are in `text` */
    size_t nruns, runs_cap;
    char *text; /* the runs' texts, one after another, each ended by NUL */
    size_t text_used, text_cap;
    rule_line *rules;
    size_t nrules, rules_cap;
    placed_image *images;
    size_t nimages, images_cap;
} laid_page;

/* An entry of the PDF's outline (bookmarks): where on which page. */
typedef struct outline_entry {
    char *title;
    int level; /* 1 = top */
    size_t page;
    double y; /* PDF y of the top of what it points at */
} outline_entry;

typedef struct layout_result {
    double width, height; /* the first page's paper */
    laid_page *pages;
    size_t npages, pages_cap;
    outline_entry *outline;
    size_t noutline, outline_cap;
} layout_result;

/* Lay out the document.  Characters no font of their role has are reported
 * (with the record, field and code point) as warnings and drawn as 〓.
 * Tables' rows are freed as they are laid out (the tables stay, empty), so
 * that a long table's text is not held twice; document_free afterwards.
 * Returns 0, or -1 with an error diagnostic. */
int layout_document(document *doc, const font_set *fonts, layout_result *out,
                    diag_list *diags);
void layout_result_free(layout_result *result);
/* A page's runs, rules and images freed (its counts now 0; its geometry
 * kept): pdf_write drops each page once drawn. */
void laid_page_release(laid_page *pg);

/* Add a run to the page with a copy of `text` in the page's texts (room
 * made when the page has none left: a page laid out by layout_document
 * has room for all of its runs). */
glyph_run *laid_page_add_run(laid_page *pg, const glyph_run *r, const char *text);

#endif
