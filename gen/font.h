/* Fonts: the typographic roles of fonts/fonts.xml (宋体, 仿宋, 黑体, 楷体,
 * 小标宋), each a fallback chain of font files, read with HarfBuzz for
 * coverage, advance widths and subsetting.  libharu never sees a full font:
 * the pdf module embeds the subset this module makes. */
#ifndef GEN_FONT_H
#define GEN_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct font_face font_face;
typedef struct font_set font_set;

/* Read a font map.  Files that are not present are skipped (an office's
 * licensed font need not be installed); a role none of whose files is
 * present, or a file that is not a TrueType font, is an error.  Returns
 * NULL with diagnostics when the map cannot be used. */
font_set *font_set_load(const char *path, diag_list *diags);
void font_set_free(font_set *set);

int font_set_has_role(const font_set *set, const char *role);

/* The face of `role` that draws `cp`: the first face of the chain that has
 * a glyph for it, or NULL when none has. */
font_face *font_for_char(const font_set *set, const char *role, uint32_t cp);

/* Advance width of cp in the face at `size`, in points. */
double font_advance(const font_face *face, uint32_t cp, double size);

/* Top of the glyph's ink above the baseline at `size`, in points. */
double font_ink_top(const font_face *face, uint32_t cp, double size);

/* Ascender and descender (positive below) as fractions of the em. */
double font_ascender(const font_face *face);
double font_descender(const font_face *face);

/* Note that the document draws cp with this face. */
void font_use(font_face *face, uint32_t cp);
int font_is_used(const font_face *face);

/* Start a new document with the same fonts: nothing used, no subsets
 * (batch mode parses the fonts once per process, not once per PDF). */
void font_set_forget_usage(font_set *set);

/* A TrueType font holding just the glyphs used (with .notdef), its cmap
 * mapping their PDF codes (font_pdf_code).  The data stays valid until the set is
 * freed.  Returns 0, or -1 if HarfBuzz could not subset the face. */
int font_subset(font_face *face, const char **data, size_t *len);

/* The 16-bit code the PDF's text uses for cp with this face: every
 * character used gets a dense code of its own, from 0x20 upward in the
 * order of the subset's glyphs, which the subset's cmap maps (so the
 * CIDToGIDMap is sized to the subset, and characters beyond U+FFFF pass
 * through libharu).  Valid once font_subset has been made. */
uint32_t font_pdf_code(const font_face *face, uint32_t cp);

/* Every character used with the face and its PDF code (for the ToUnicode
 * map); the arrays are allocated, the caller frees both. */
size_t font_used_codes(const font_face *face, uint32_t **codes, uint32_t **cps);

/* For listing (`gen fonts`): roles, and each role's chain. */
size_t font_set_role_count(const font_set *set);
const char *font_set_role_name(const font_set *set, size_t i);
size_t font_set_chain_length(const font_set *set, size_t role);
const font_face *font_set_chain_face(const font_set *set, size_t role, size_t j);

/* Every distinct face of the set (a file used by several roles is one face). */
size_t font_set_face_count(const font_set *set);
font_face *font_set_face(const font_set *set, size_t i);

const char *font_face_path(const font_face *face);
int font_face_index(const font_face *face);
const char *font_face_family(const font_face *face);

#endif
