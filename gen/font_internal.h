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
    hb_blob_t *subset; /* made once, at the end */
    /* characters beyond U+FFFF used, in order; the k-th is drawn with the
     * private-use code pua_base + k (see font_pdf_code) */
    uint32_t *pua_cps;
    size_t npua;
    uint32_t pua_base;
};

#endif
