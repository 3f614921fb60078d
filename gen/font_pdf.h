/* The font module's face towards the pdf stage: the subset of a face the
 * document used, the 16-bit codes its text is drawn with, and what the
 * PDF's CIDFont and ToUnicode map say of them.  Layout never needs these
 * (font.h is its view); font_internal.h, the face's fields, stays inside
 * font*.c. */
#ifndef GEN_FONT_PDF_H
#define GEN_FONT_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "font.h"

/* A TrueType font holding just the glyphs used (with .notdef), its cmap
 * mapping their PDF codes (font_pdf_code); for a face with CFF outlines
 * (font_is_cff), the bare CFF table of such a subset (what a PDF embeds
 * as FontFile3 /CIDFontType0C), its glyphs numbered as the subset's.  The
 * data stays valid until the set is freed.  Returns 0, or -1 if HarfBuzz
 * could not subset the face. */
int font_subset(font_face *face, const char **data, size_t *len);

/* Whether the face has CFF (PostScript) outlines rather than TrueType. */
int font_is_cff(const font_face *face);

/* For a CFF face, once font_subset has been made: the CID of each glyph
 * of the subset (allocated, indexed by glyph id; the count returned, 0
 * and NULL when the CFF cannot be read), the one a PDF's CIDFontType0
 * draws the glyph by: the CFF's charset says it for a CID-keyed font,
 * the glyph id is it for a name-keyed one (PDF 32000-1 9.7.4.2).
 * HarfBuzz keeps a CID-keyed font's own CIDs while it renumbers the
 * glyphs; font_subset rewrites the charset so that they are the glyph
 * ids, when the charset has room (it has, but for a subset of one
 * glyph). */
size_t font_subset_cids(const font_face *face, uint16_t **cids);

/* The 16-bit code the PDF's text uses for cp with this face: every
 * character used gets a dense code of its own, from 0x20 upward in the
 * order of the subset's glyphs, which the subset's cmap maps (so the
 * CIDToGIDMap is sized to the subset, and characters beyond U+FFFF pass
 * through libharu).  Valid once font_subset has been made. */
uint32_t font_pdf_code(const font_face *face, uint32_t cp);

/* Every character used with the face and its PDF code (for the ToUnicode
 * map); the arrays are allocated, the caller frees both. */
size_t font_used_codes(const font_face *face, uint32_t **codes, uint32_t **cps);

/* The first PDF code: libharu's UTF-8 encoder treats the bytes below
 * 0x20 as undefined, so the codes start above them. */
#define FONT_FIRST_CODE 0x20

/* For the PDF's CIDFont: the subset's glyph and its advance width (in
 * thousandths of the em) of each code from FONT_FIRST_CODE on; the
 * arrays have n = number of codes entries each, allocated; the caller
 * frees both.  Valid once font_subset has been made. */
size_t font_code_glyphs(const font_face *face, uint16_t **glyphs, int **widths);

/* Cap height of the face in thousandths of the em (its OS/2 table, else
 * its ascender). */
int font_cap_height(const font_face *face);

/* The face's bounding box (xMin, yMin, xMax, yMax), ascent and descent,
 * in thousandths of the em, for a PDF font descriptor. */
void font_box(const font_face *face, int box[4], int *ascent, int *descent);

/* The face's PostScript name, as a PDF name may carry it (allocated;
 * "Font" when it has none). */
char *font_ps_name(const font_face *face);

/* For a probe: use a face's first and last character, and forget any
 * use of the face again. */
void font_use_sample(font_face *face);
void font_face_forget_usage(font_face *face);

#endif
