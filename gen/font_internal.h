/* A face as font.c loads it and font_subset.c cuts it down. */
#ifndef GEN_FONT_INTERNAL_H
#define GEN_FONT_INTERNAL_H

#include <hb.h>

#include "font.h"

struct font_face {
    char *path;
    int index;
    char *family;
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

#endif
