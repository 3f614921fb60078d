/* A face with CFF (PostScript) outlines embedded as a PDF composite font:
 * a Type0 font whose descendant is a CIDFontType0 with the subset's bare
 * CFF table as its FontFile3 (/CIDFontType0C).  libharu has no such font
 * (it embeds TrueType only), so its objects are built here through
 * libharu's object layer and handed to it as an HPDF_Font; libharu still
 * writes the file.
 *
 * The text's codes are those of font_subset.c (dense, from
 * FONT_FIRST_CODE, one per character), and a CIDFontType0 has no
 * CIDToGIDMap: the font's Encoding is a CMap of our own that maps each
 * code to its glyph's CID (font_subset_cids; ranges of consecutive codes
 * and CIDs, a handful as the CIDs are the glyph ids), so that characters
 * sharing a glyph keep codes of their own and extract as themselves
 * (with poppler; mupdf keys a ToUnicode map by CID, and gives one of
 * them for both). */
#ifndef GEN_PDF_CFF_H
#define GEN_PDF_CFF_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

#include "font_pdf.h"

/* The face's CFF subset (font_subset made) as a font of the document,
 * with glyphs[k] and widths[k] the glyph and advance of code
 * FONT_FIRST_CODE + k (font_code_glyphs), n codes; NULL when it cannot be
 * made (the CFF is damaged, or libharu failed).  The caller attaches the
 * ToUnicode map (to_unicode_attach). */
HPDF_Font pdf_load_cff(HPDF_Doc doc, font_face *face, const uint16_t *glyphs, const int *widths,
                       size_t n);

/* Whether a CFF subset (a probe's) can be embedded: NULL, or why not
 * (allocated). */
char *pdf_cff_check(font_face *face);

#endif
