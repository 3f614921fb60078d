/* PDF: the only module that calls libharu.  It draws what layout placed,
 * embedding for each face the subset the font module made, and writes the
 * file atomically (out_file.h). */
#ifndef GEN_PDF_H
#define GEN_PDF_H

#include "blocks.h"
#include "diag.h"
#include "font.h"
#include "layout.h"
#include "run_options.h"

/* Draws the pages and writes opts->output, atomically: PDF/A-1b with
 * opts->pdfa; with opts->publisher, 0 means the file is written and handed
 * over to be synced and named, its outcome to come from
 * publisher_collect.  Returns 0, or -1 with an error diagnostic and no
 * file at the path.
 *
 * Ownership: it consumes the pages' contents: each page's runs, rules and
 * images are freed as soon as it is drawn (laid_page_release: its counts
 * become 0; the pages themselves, their geometry and the outline stay), so
 * the caller still frees `pages` with layout_result_free but can use no
 * more than that.  The font set is only read (the subsets of what the
 * pages use); info and opts are borrowed. */
int pdf_write(layout_result *pages, font_set *fonts, const document_info *info,
              const run_options *opts, diag_list *diags);

/* Whether the face can be embedded (a font_probe): its subset of its
 * first and last characters made and loaded into libharu as pdf_write
 * would.  NULL, or why not (allocated); the face is left unused. */
char *pdf_font_probe(font_face *face);

#endif
