/* A font file of the map, read and checked before any document uses it
 * (font.c): a file that is not there, cannot be read, is not an OpenType
 * font or collection with TrueType (glyf) or CFF outlines (a WOFF, a
 * variable CFF2 font, a bitmap-only font), names a face a collection does
 * not have, or is cut short or damaged, is said so with the reason, and
 * never reaches HarfBuzz's subsetter or libharu. */
#ifndef GEN_FONT_OPEN_H
#define GEN_FONT_OPEN_H

#include <hb.h>

/* The file's bytes (mapped read-only), or NULL: then *missing when there
 * is no such file, else *why says why it cannot be read (allocated). */
hb_blob_t *font_file_map(const char *path, int *missing, char **why);

/* Why face `index` of the file cannot be embedded (allocated), or NULL
 * when it can: an OpenType font (or collection holding that face) whose
 * tables lie within the file, with cmap, head, hhea, hmtx, maxp and name,
 * and either TrueType outlines (glyf and loca, which agree with head and
 * maxp) or CFF ones (a 'CFF ' table whose glyphs maxp counts). */
char *font_file_check(hb_blob_t *blob, int index);

#endif
