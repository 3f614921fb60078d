/* PDF: the only module that calls libharu.  It draws what layout placed,
 * embedding for each face the subset the font module made, and writes the
 * file atomically (out_file.h). */
#ifndef GEN_PDF_H
#define GEN_PDF_H

#include "blocks.h"
#include "diag.h"
#include "font.h"
#include "layout.h"
#include "out_file.h"

/* Draws the pages and writes the file.  It consumes the pages: each
 * page's runs, rules and images are freed as soon as it is drawn (its
 * counts become 0; the pages themselves, their geometry and the outline
 * stay), so the caller still frees `pages` with layout_result_free but can
 * use no more than that.  Returns 0, or -1 with an error diagnostic and no
 * file at `path`.  With a publisher, 0 means the file is written and handed
 * over to be synced and named: its outcome comes from publisher_collect. */
int pdf_write(layout_result *pages, font_set *fonts, const document_info *info,
              const char *path, publisher *pub, diag_list *diags);

/* Whether the face can be embedded (a font_probe): its subset of its
 * first and last characters made and loaded into libharu as pdf_write
 * would.  NULL, or why not (allocated); the face is left unused. */
char *pdf_font_probe(font_face *face);

#endif
