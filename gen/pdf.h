/* PDF: the only module that calls libharu.  It draws what layout placed,
 * embedding for each face the subset the font module made, and writes the
 * file atomically (a temporary file beside it, renamed when complete). */
#ifndef GEN_PDF_H
#define GEN_PDF_H

#include "blocks.h"
#include "diag.h"
#include "font.h"
#include "layout.h"

/* Returns 0, or -1 with an error diagnostic and no file at `path`. */
int pdf_write(const layout_result *pages, font_set *fonts, const document_info *info,
              const char *path, diag_list *diags);

#endif
