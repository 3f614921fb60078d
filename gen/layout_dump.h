/* The laid-out pages as text, one line per thing drawn: the golden layout
 * tests (tests/regress/) compare it, and `gen render|check --layout-dump
 * FILE` writes it.  A second back end over the layout stage's result, as
 * the pdf module is the first; it decides nothing and changes nothing.
 *
 * The format, every length in PDF points with 2 decimals, origin at the
 * bottom left of the paper, a run's y its baseline:
 *
 *   layout NPAGES pages
 *   page N: paper W x H, margins top T left L, type area W x H
 *     turned onto paper W x H, cm 0 1 -1 0 E F, runs from K upright
 *     run X Y FAMILY FILE#INDEX SIZE #RRGGBB cs CHAR_SPACE [hs PERCENT] "TEXT"
 *     rule X1 Y1 X2 Y2 thick T #RRGGBB
 *     image X Y W x H FILE
 *   outline LEVEL page N y Y "TITLE"
 *
 * (hs: a condensed run's horizontal scale, PDF Tz; absent at 100 %),
 * in the order they are drawn (runs, rules, images of each page, then
 * the outline).  FILE is a base name (the font's or the image's), so the
 * dump does not depend on where the files are installed.
 *
 * The `turned` line is there for a turned page only (layout.h: page_turn):
 * the paper printed on, and the matrix through which the page's rules,
 * images and runs before the K-th (1 = the first run) are drawn; those
 * are given as laid out, in the landscape frame of the `page` line; runs
 * from the K-th on (the page number) in the paper's own frame, upright. */
#ifndef GEN_LAYOUT_DUMP_H
#define GEN_LAYOUT_DUMP_H

#include <stdio.h>

#include "diag.h"
#include "layout.h"

/* Writes the dump of `pages` (whole: before pdf_write releases them) to
 * `out`.  Returns 0, or -1 when writing failed (ferror). */
int layout_dump(FILE *out, const layout_result *pages);

/* The dump written to the file at `path` (created, or emptied first).
 * Returns 0, or -1 with an error diagnostic naming the file. */
int layout_dump_file(const char *path, const layout_result *pages, diag_list *diags);

#endif
