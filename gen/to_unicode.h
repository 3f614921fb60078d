/* The ToUnicode map of an embedded font, written by the pdf module in
 * place of libharu's (which uses begincidrange, invalid in a ToUnicode
 * CMap, and takes the codes for Unicode, which ours are not: see
 * font_subset.c), into libharu's own stream object. */
#ifndef GEN_TO_UNICODE_H
#define GEN_TO_UNICODE_H

#include <hpdf.h>

#include "font.h"

/* Give `font` (a libharu Type0 font of `face`'s subset) a ToUnicode CMap
 * mapping each code used to its character.  Returns 0, or -1. */
int to_unicode_attach(HPDF_Doc doc, HPDF_Font font, const font_face *face);

#endif
