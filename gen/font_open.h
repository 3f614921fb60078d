/* A font file of the map, read and checked before any document uses it
 * (font.c): a file that is not there, cannot be read, is not a TrueType
 * font or collection (a .otf with CFF outlines, a WOFF), names a face a
 * collection does not have, or is cut short or damaged, is said so with
 * the reason, and never reaches HarfBuzz's subsetter or libharu. */
#ifndef GEN_FONT_OPEN_H
#define GEN_FONT_OPEN_H

#include <hb.h>

/* The file's bytes (mapped read-only), or NULL: then *missing when there
 * is no such file, else *why says why it cannot be read (allocated). */
hb_blob_t *font_file_map(const char *path, int *missing, char **why);

/* Why face `index` of the file cannot be embedded (allocated), or NULL
 * when it can: a TrueType font (or collection holding that face) whose
 * tables lie within the file, with the tables libharu reads, and whose
 * head, maxp, loca and glyf agree. */
char *font_file_check(hb_blob_t *blob, int index);

#endif
