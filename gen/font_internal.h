/* A face as font.c loads it and font_subset.c cuts it down: for font*.c
 * only (the pdf stage reads faces through font_pdf.h). */
#ifndef GEN_FONT_INTERNAL_H
#define GEN_FONT_INTERNAL_H

#include <hb.h>

#include "font_pdf.h"

struct font_face {
    char *path;
    int index;
    char *family;
    char *style; /* its subfamily name: Regular, Bold, ... */
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
    hb_set_t *used;    /* code points drawn with this face */
    uint32_t sample[2]; /* the first and last character it has (font_use_sample) */
    hb_blob_t *subset; /* made once, at the end */
    /* The PDF codes (see font_pdf_code), made with the subset: every
     * character used gets one of the dense codes pua_base, pua_base + 1,
     * ..., in the order of the subset's glyphs.  One allocation of
     * 2 * npua values: the characters in ascending order, then the code of
     * each.  (The names are historical: once only characters beyond U+FFFF
     * had codes of their own, in the private use area.) */
    uint32_t *pua_cps;
    size_t npua;
    uint32_t pua_base;
};

/* The CID of each of the n glyphs of a bare CFF table (font_cff.c): the
 * charset's for a CID-keyed font, the glyph id for a name-keyed one.
 * Returns 0, or -1 when the table is damaged or has another number of
 * glyphs. */
int font_cff_cids(const unsigned char *cff, size_t len, uint16_t *cids, size_t n);

/* A CID-keyed CFF table of n glyphs rewritten in place so that each
 * glyph's CID is its glyph id: its charset becomes one range, written in
 * the bytes the old one took (the rest of them zero).  Returns 1 when it
 * was rewritten, 0 when the table is left as it was (name-keyed, or its
 * charset too small to hold the range, or unreadable). */
int font_cff_dense_cids(unsigned char *cff, size_t len, size_t n);

#endif
