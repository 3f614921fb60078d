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
 * points, origin at the bottom left of the paper, y the baseline.  The
 * face is the font set's (borrowed: the font set outlives the pages);
 * the text is owned by whatever holds the run (on a laid page, the page's
 * `text` block). */
typedef struct glyph_run {
    font_face *face;
    double size;
    uint32_t color;
    double x, y;
    double char_space;
    /* horizontal scale of the glyphs (PDF Tz / 100; 0 means 1): advances
     * and char_space are as laid out, scale included */
    double hscale;
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
    char *path; /* owned by the page */
    double x, y, width, height;
} placed_image;

/* A landscape page of a portrait document, turned onto the document's
 * portrait sheet (GB/T 9704-2012 10.1: 横排表格); layout_document says
 * which way and why.  Its runs before `upright_from`, its rules and its
 * images are in the landscape frame of the page's `geometry` and drawn
 * through the matrix [0 1 -1 0 e f] (a PDF `cm`: sheet x = e - y, sheet
 * y = x + f); the runs from `upright_from` on (the page number) are in the
 * sheet's own frame, upright.  turned 0: none of this, the page is its
 * geometry's paper. */
typedef struct page_turn {
    int turned;
    double sheet_width, sheet_height; /* the paper printed on (portrait) */
    double e, f;
    size_t upright_from;
} page_turn;

/* One page, owning all it holds: its runs and their texts (one block,
 * `text`, that every run's text points into), its rules, its images and
 * their paths.  laid_page_release frees them. */
typedef struct laid_page {
    page_geometry geometry; /* its paper and type area (turned: as laid out) */
    page_turn turn;         /* kept, as the geometry, by laid_page_release */
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
    double y; /* PDF y of the top of what it points at (a turned page: its
                 sheet's top, as what it points at runs across the sheet) */
} outline_entry;

/* The laid-out document: it owns its pages and its outline (the entries'
 * titles); layout_result_free frees them all. */
typedef struct layout_result {
    double width, height; /* the first page's paper */
    laid_page *pages;
    size_t npages, pages_cap;
    outline_entry *outline;
    size_t noutline, outline_cap;
} layout_result;

/* Lay out the document into *out (overwritten: it need not be
 * initialised).  Characters no font of their role has are reported (with
 * the record, field and code point) as warnings and drawn as 〓; the fonts
 * that draw something are marked used (font_use), for the PDF's subsets.
 *
 * Ownership: `doc` stays the caller's, but the stage takes the contents of
 * its tables: each row's cells are freed as the row is laid out (the
 * tables keep their rows, empty), so that a long table's text is not held
 * twice; the caller frees `doc` (document_free) afterwards, and must not
 * lay it out again.  Nothing of *out points into `doc`: the pages own
 * their texts, and the outline its titles.  The caller frees *out with
 * layout_result_free (after pdf_write, which releases pages as it goes).
 *
 * Returns 0: the stage has no failure of its own (a missing character is a
 * warning; running out of memory ends the program).  Callers still check
 * for non-zero, which would come with an error diagnostic. */
int layout_document(document *doc, const font_set *fonts, layout_result *out,
                    diag_list *diags);
/* Every page released, the pages' and outline's arrays and the outline's
 * titles freed; *result emptied. */
void layout_result_free(layout_result *result);
/* A page's runs and their texts, rules and images freed (its counts now
 * 0; its geometry kept): pdf_write drops each page once drawn, so a long
 * document is never held twice (laid out and in libharu). */
void laid_page_release(laid_page *pg);

#endif
