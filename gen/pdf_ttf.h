/* A TrueType subset handed to libharu from memory.  libharu reads fonts
 * from files only, through stdio, and glibc makes a system call for every
 * fseek, even one inside its buffer: loading a one-page form's subsets
 * took 242 lseek calls, a tenth of a batch of forms.  Here the subset goes
 * in as a libharu memory stream and is registered as
 * HPDF_LoadTTFontFromFile registers a file's (libharu 2.3's internal
 * calls, from hpdf_doc.h and hpdf_fontdef.h). */
#ifndef GEN_PDF_TTF_H
#define GEN_PDF_TTF_H

#include <hpdf.h>
#include <stddef.h>

/* Embed the font (`data` is copied); its name for HPDF_GetFont, or NULL
 * (the document's error says why). */
const char *pdf_load_ttf(HPDF_Doc doc, const char *data, size_t len);

/* The document's next subset tag (AAAAAA+ names, six capitals), shared
 * with the TrueType subsets libharu names: no two subsets share one. */
void pdf_subset_tag(HPDF_Doc doc, char tag[7]);

/* Whether libharu can embed the font: loaded into a document of its own
 * and its program written out, as pdf.c embeds a subset (libharu's own
 * CIDFont, which maps all 65,536 codes through the font, is not made: it
 * would cost as much again).  NULL, or why not (allocated). */
char *pdf_ttf_check(const char *data, size_t len);

#endif
